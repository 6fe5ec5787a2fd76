//! What parents asked for, on the session page (issue #17, docs/guide/sessions.md): the
//! families who asked for childcare in their answer, those who cannot come for want of
//! transport, and the children expected per age band — counts and first names, for staff.

use mtp_domain::attendance::{AgeBand, age_band};
use mtp_store::RsvpLine;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;

/// The `<dd>` after `<dt>{term}</dt>` on a page.
fn fact<'a>(body: &'a str, term: &str) -> &'a str {
    let start = body
        .find(&format!("<dt>{term}</dt><dd>"))
        .unwrap_or_else(|| panic!("no {term} on the page: {body}"))
        + term.len()
        + "<dt></dt><dd>".len();
    let end = body[start..]
        .find("</dd>")
        .map_or(body.len(), |e| start + e);
    &body[start..end]
}

/// Families of Almere Poort that have no answer for the session yet, by id and first names.
async fn unanswered_families(app: &TestApp, session: Uuid, n: usize) -> Vec<(Uuid, String)> {
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let answered: Vec<Uuid> = app
        .store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .into_iter()
        .filter(|l| l.rsvp.is_some())
        .map(|l| l.household_id)
        .collect();
    let filter = mtp_store::HouseholdFilter {
        neighbourhood_id: Some(poort),
        // The coffee hour's audience.
        kind: Some(mtp_domain::HouseholdKind::SingleParent),
        status: Some(mtp_domain::HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(&t, &filter, 100, 0).await.unwrap();
    let found: Vec<(Uuid, String)> = rows
        .into_iter()
        .filter(|h| !answered.contains(&h.id))
        .map(|h| (h.id, h.first_names.join(" & ")))
        .take(n)
        .collect();
    assert_eq!(found.len(), n, "the demo has families without an answer");
    found
}

/// "2 gezinnen …: Sanne, Ayse" → the count.
fn count_in(fact: &str) -> usize {
    fact.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

async fn the_session_page_shows_what_parents_asked_for(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let page = format!("/sessions/{session}");
    let mut w = app.client();
    w.login(&logins["worker"]).await;

    // Before: whatever the demo has.
    let r = w.get(&page).await;
    let transport_before = count_in(fact(&r.body, "Vervoer gevraagd"));
    let childcare_before = count_in(fact(&r.body, "Opvang gevraagd"));

    // One family cannot come without transport, another comes and asks for childcare.
    let families = unanswered_families(&app, session, 2).await;
    let (lift, lift_names) = &families[0];
    let (sitter, sitter_names) = &families[1];
    app.store
        .set_rsvp(
            &t,
            session,
            *lift,
            &RsvpLine {
                coming: false,
                reason: Some("transport".into()),
                children: 0,
                childcare: false,
            },
            None,
        )
        .await
        .unwrap();
    app.store
        .set_rsvp(
            &t,
            session,
            *sitter,
            &RsvpLine {
                coming: true,
                reason: None,
                children: 2,
                childcare: true,
            },
            None,
        )
        .await
        .unwrap();
    let r = w.get(&page).await;
    let transport = fact(&r.body, "Vervoer gevraagd");
    assert_eq!(count_in(transport), transport_before + 1, "{transport}");
    let word = if transport_before == 0 {
        "gezin kan"
    } else {
        "gezinnen kunnen"
    };
    assert!(
        transport.contains(&format!("{word} niet komen zonder vervoer: "))
            && transport.contains(lift_names.as_str()),
        "{transport}"
    );
    let childcare = fact(&r.body, "Opvang gevraagd");
    assert_eq!(count_in(childcare), childcare_before + 1, "{childcare}");
    assert!(childcare.contains(sitter_names.as_str()), "{childcare}");
    assert!(
        !transport.contains(sitter_names.as_str()) && !childcare.contains(lift_names.as_str()),
        "each family under its own request"
    );

    // The children expected, per age band, from the birth months of the expected families'
    // children (the one who cannot come is not expected).
    let d = app.store.session_detail(&t, session).await.unwrap();
    let day =
        d.s.starts_at
            .with_timezone(&mtp_domain::schedule::TZ)
            .date_naive();
    let mut bands = [0u32; 5];
    for l in d.lines.iter().filter(|l| l.expected()) {
        for c in &l.children {
            if let Some(b) = age_band(c, day) {
                bands[AgeBand::ALL.iter().position(|x| *x == b).unwrap()] += 1;
            }
        }
    }
    assert!(
        bands.iter().sum::<u32>() > 0,
        "the demo's families have children"
    );
    let expected = fact(&r.body, "Kinderen verwacht");
    let labels = [
        "0 tot 2 jaar",
        "2 en 3 jaar",
        "4 en 5 jaar",
        "6 tot 12 jaar",
        "12 tot 18 jaar",
    ];
    for (label, n) in labels.iter().zip(bands) {
        if n > 0 {
            assert!(expected.contains(&format!("{label}: {n}")), "{expected}");
        } else {
            assert!(!expected.contains(label), "{expected}");
        }
    }

    // In English.
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.get(&page).await;
    let transport = fact(&r.body, "Transport asked for");
    assert!(
        transport.contains("cannot come without transport: ")
            && transport.contains(lift_names.as_str()),
        "{transport}"
    );
    assert!(fact(&r.body, "Childcare asked for").contains(sitter_names.as_str()));
    assert!(fact(&r.body, "Children expected").contains(" years: "));

    // A worker of another organisation gets neither the page nor the names.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other.get(&page).await;
    assert_ne!(r.status, reqwest::StatusCode::OK);
    assert!(!r.body.contains(lift_names.as_str()));
}
on_both!(
    session_requests_shown,
    the_session_page_shows_what_parents_asked_for
);

/// The demo shows what a team prepares for: at Haven's next coffee hour two families asked
/// for childcare and one cannot come without a lift, each under its own request.
async fn the_demos_next_coffee_hour_in_haven_has_requests_to_prepare_for(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let coffee = app
        .store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == "Koffie-uurtje Haven")
        .expect("the demo has Haven's coffee hour")
        .id;
    let next = crate::activities::next_session(&app, &t, coffee).await;
    let mut w = app.client();
    w.login(&logins["admin"]).await;
    let r = w.get(&format!("/sessions/{}", next.id)).await;
    let childcare = fact(&r.body, "Opvang gevraagd");
    assert_eq!(count_in(childcare), 2, "{childcare}");
    assert!(
        childcare.contains("2 gezinnen vragen opvang voor de kinderen: "),
        "{childcare}"
    );
    let transport = fact(&r.body, "Vervoer gevraagd");
    assert_eq!(count_in(transport), 1, "{transport}");
    assert!(
        transport.contains("gezin kan niet komen zonder vervoer: "),
        "{transport}"
    );
}
on_both!(
    demo_requests,
    the_demos_next_coffee_hour_in_haven_has_requests_to_prepare_for
);

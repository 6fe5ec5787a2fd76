//! Talent development with a return service and the engagement ladder (issue #18,
//! docs/guide/talent.md): the demo's bootcamp course and the sessions given in return on
//! `/talent` and on the household's page; a new investment with every bad field named; a
//! session of another neighbourhood refused; the state by hand; hosts, partners and
//! researchers see none of it; the right of access and erasure.

use mtp_domain::talent::{LadderStep, TalentState};
use mtp_domain::{HouseholdStatus, Tenant};
use mtp_store::{AuditFilter, HouseholdFilter};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

async fn families(app: &TestApp, t: &Tenant, nb: Uuid) -> Vec<Uuid> {
    let filter = HouseholdFilter {
        neighbourhood_id: Some(nb),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(t, &filter, 20, 0).await.unwrap();
    rows.into_iter().map(|h| h.id).collect()
}

/// A session of a neighbourhood in the coming weeks.
async fn session_in(app: &TestApp, t: &Tenant, nb: Uuid) -> Uuid {
    let now = chrono::Utc::now();
    app.store
        .programme(t, now, now + chrono::Duration::weeks(8), 500)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.neighbourhood_id == nb)
        .map(|s| s.id)
        .expect("a session in the neighbourhood")
}

async fn the_demos_bootcamp_course_is_returned_in_sessions(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let talents = app.store.talents(&t, poort).await.unwrap();
    let bootcamp = talents
        .iter()
        .find(|x| x.course == "Bootcamp-instructeur")
        .expect("the demo's bootcamp course");
    assert_eq!(bootcamp.cost.cents(), 45_000);
    assert_eq!(bootcamp.sessions_agreed, 10);
    assert_eq!(bootcamp.sessions.len(), 10);
    assert_eq!(bootcamp.sessions_given, 4);
    assert_eq!(bootcamp.state, TalentState::InProgress);
    assert!(
        bootcamp
            .sessions
            .iter()
            .all(|s| s.kind == mtp_domain::activity::ActivityKind::Movement)
    );
    assert_eq!(
        app.store
            .household_ladder(&t, bootcamp.household_id)
            .await
            .unwrap(),
        LadderStep::Contribute
    );
    let ladder = app.store.ladder(&t, poort).await.unwrap();
    assert!(ladder.iter().all(|(_, n)| *n < 1000));
    assert!(ladder[3].1 >= 1, "someone contributes: {ladder:?}");
    assert!(ladder[0].1 + ladder[1].1 + ladder[2].1 >= 1);

    let mut c = signed_in(&app, &logins["worker"]).await;
    let page = c.get("/talent").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Bootcamp-instructeur",
        "Bezig",
        "4 van de 10 keer gegeven",
        "Tien gratis bootcamplessen",
        "Bijdragen",
        "Meedoen",
        "Kennismaken",
    ] {
        assert!(page.body.contains(text), "{text} on /talent");
    }
    let one = c.get(&format!("/talent/{}", bootcamp.id)).await;
    assert!(one.body.contains("€ 450,00") || one.body.contains("450,00"));
    assert!(one.body.contains("Projectbudget"));
    assert!(one.body.contains("Bootcamp in het park"));
    let household = c
        .get(&format!("/households/{}", bootcamp.household_id))
        .await;
    for text in [
        "Dit gezin staat op de trede: Bijdragen",
        "Bootcamp-instructeur",
        "4 van de 10 keer gegeven",
        "Investering en wederdienst afgesproken",
    ] {
        assert!(
            household.body.contains(text),
            "{text} on the household page"
        );
    }

    // Hosts, partners and researchers see none of the ledger.
    for who in ["host", "partner", "researcher"] {
        let mut c = signed_in(&app, &logins[who]).await;
        for path in ["/talent".to_string(), format!("/talent/{}", bootcamp.id)] {
            let r = c.get(&path).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} on {path}");
            assert!(!r.body.contains("Bootcamp-instructeur"));
        }
    }
}

async fn a_return_service_stays_in_its_neighbourhood(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let family = families(&app, &t, poort).await[5];
    let parent = app.store.household(&t, family).await.unwrap().parents[0].id;
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    c.get("/talent").await;

    // Every bad field is named at the field.
    let r = c
        .post(
            "/talent",
            &[
                ("talent_parent", ""),
                ("talent_course", ""),
                ("talent_cost", "veel"),
                ("talent_invested_on", "2099-01-01"),
                ("talent_budget", "other"),
                ("talent_budget_other", ""),
                ("talent_service", ""),
                ("talent_sessions_agreed", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for text in [
        "Kies de ouder.",
        "Vul de cursus in.",
        "Vul de kosten in als bedrag",
        "Vul een echte datum in",
        "Vul het andere budget in.",
        "Vul de afgesproken wederdienst in.",
        "een heel getal in, 1 of meer.",
    ] {
        assert!(r.body.contains(text), "{text} in the errors");
    }

    let today = chrono::Utc::now().date_naive().to_string();
    let r = c
        .post(
            "/talent",
            &[
                ("talent_parent", &parent.to_string()),
                ("talent_course", "EHBO-cursus"),
                ("talent_certificate", "EHBO-diploma"),
                ("talent_cost", "125,50"),
                ("talent_invested_on", &today),
                ("talent_budget", "other"),
                ("talent_budget_other", "Fonds Buurtkracht"),
                ("talent_service", "EHBO bij drie uitjes"),
                ("talent_sessions_agreed", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: Uuid = r
        .location
        .trim_start_matches("/talent/")
        .parse()
        .expect("the new talent's page");
    let x = app.store.talent(&t, id).await.unwrap();
    assert_eq!(
        (x.cost.cents(), x.budget.as_str()),
        (12_550, "Fonds Buurtkracht")
    );
    assert_eq!(x.state, TalentState::Agreed);

    // A session of another neighbourhood is refused with a message; nothing is linked.
    let elsewhere = session_in(&app, &t, haven).await;
    let r = c
        .post(
            &format!("/talent/{id}/sessions"),
            &[("talent_session", &elsewhere.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Deze keer is in een andere wijk."));
    assert!(app.store.talent(&t, id).await.unwrap().sessions.is_empty());
    // A session of its own neighbourhood is linked.
    let here = session_in(&app, &t, poort).await;
    let r = c
        .post(
            &format!("/talent/{id}/sessions"),
            &[("talent_session", &here.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let x = app.store.talent(&t, id).await.unwrap();
    assert_eq!(x.sessions.len(), 1);
    assert_eq!(x.sessions_given, 0, "planned, not yet given");

    // Released by hand.
    let r = c
        .post(&format!("/talent/{id}/state"), &[("talent_state", "nope")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kies een stand uit de lijst."));
    let r = c
        .post(
            &format!("/talent/{id}/state"),
            &[("talent_state", "released")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/talent/{id}")).await;
    assert!(page.body.contains("Vrijgesteld"));
    assert!(page.body.contains("€ 125,50") || page.body.contains("125,50"));

    // Every change on record.
    let actions: Vec<String> = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                object_id: Some(id),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "talent.added",
        "talent.session-linked",
        "talent.state-changed",
    ] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }

    // A worker of another organisation reaches none of it.
    let mut other = signed_in(&app, &logins["other-worker"]).await;
    assert_eq!(
        other.get(&format!("/talent/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    // The right of access shows it; erasure takes the course and the service away.
    let export = app.store.export_household(&t, family).await.unwrap();
    assert_eq!(export["talents"][0]["course"], "EHBO-cursus");
    assert_eq!(export["talents"][0]["cost_cents"], 12_550);
    app.store
        .erase_household(
            &t,
            None,
            family,
            mtp_store::NewAuditEvent {
                org_id: t.org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: mtp_domain::audit::Action::HouseholdErased,
                object_type: "household".into(),
                object_id: Some(family),
                neighbourhood_id: None,
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: String::new(),
            },
        )
        .await
        .unwrap();
    let x = app.store.talent(&t, id).await.unwrap();
    assert_eq!((x.course.as_str(), x.service.as_str()), ("", ""));
    assert_eq!(x.cost.cents(), 12_550, "the figures stay");
}

on_both!(
    the_demos_bootcamp_course_is_returned_in_sessions,
    the_demos_bootcamp_course_is_returned_in_sessions
);
on_both!(
    a_return_service_stays_in_its_neighbourhood,
    a_return_service_stays_in_its_neighbourhood
);

/// docs/indicators.md §13 by hand: a family named co-organiser moves from its step to
/// *Bijdragen* (one fewer there, one more on top), its page and timeline say so, `/talent`
/// counts it; taken off again, everything is as before.
async fn a_co_organiser_contributes(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let mut c = signed_in(&app, &logins["worker"]).await;
    let before = app.store.ladder(&t, poort).await.unwrap();
    let mut family = None;
    for h in families(&app, &t, poort).await {
        let step = app.store.household_ladder(&t, h).await.unwrap();
        if step != LadderStep::Contribute {
            family = Some((h, step));
            break;
        }
    }
    let (family, step) = family.expect("a family that does not contribute yet");
    let activity = c
        .new_activity(poort, "holiday", "Keti Koti in de wijk")
        .await;
    let r = c
        .post(
            &format!("/activities/{activity}/organisers"),
            &[("organiser", &family.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let mut expected = before;
    let from = LadderStep::ALL.iter().position(|s| *s == step).unwrap();
    expected[from].1 -= 1;
    expected[3].1 += 1;
    assert_eq!(app.store.ladder(&t, poort).await.unwrap(), expected);
    assert_eq!(
        app.store.household_ladder(&t, family).await.unwrap(),
        LadderStep::Contribute
    );
    let page = c.get(&format!("/households/{family}")).await;
    let link =
        format!("Organiseert mee: <a href=\"/activities/{activity}\">Keti Koti in de wijk</a>");
    for text in [
        "Dit gezin staat op de trede: Bijdragen",
        link.as_str(),
        // The timeline.
        "Organiseert mee: Keti Koti in de wijk",
    ] {
        assert!(page.body.contains(text), "{text} on the household page");
    }
    let list = c.get("/talent").await;
    assert!(
        list.body.contains(&format!(
            "<th scope=\"row\">Bijdragen</th><td>{}</td>",
            expected[3].1
        )),
        "the count on /talent"
    );

    let r = c
        .post(
            &format!("/activities/{activity}/organisers/remove"),
            &[("household", &family.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.ladder(&t, poort).await.unwrap(), before);
    assert_eq!(app.store.household_ladder(&t, family).await.unwrap(), step);
    let page = c.get(&format!("/households/{family}")).await;
    assert!(
        page.body
            .contains("Organiseert niet meer mee: Keti Koti in de wijk")
    );
}
on_both!(a_co_organiser_contributes, a_co_organiser_contributes);

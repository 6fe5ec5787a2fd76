//! In the field (issue #17): the programme's calendar address on the pages workers use, the
//! parents' childcare requests on the session page, and the handbook's rules as the handbook
//! says them (the exclusive chat group, the cost of activities).

use crate::helpers::{TestApp, post_org_settings};
use crate::on_both;

async fn the_programme_address_is_on_the_activities_and_neighbourhood_pages(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let address = format!("{}/programme/{poort}.ics", app.base);
    let webcal = address
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let r = w.get("/activities").await;
    assert!(r.body.contains("Het programma in een agenda"), "{}", r.body);
    // A read-only field to copy, and a link that opens the calendar app.
    assert!(
        r.body.contains(&format!(
            "type=\"text\" readonly data-select-on-focus spellcheck=\"false\" value=\"{address}\""
        )),
        "the activities page shows the address to copy: {}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"{webcal}\"")), "{}", r.body);
    assert!(
        r.body.contains("Agenda-link van Almere Poort"),
        "{}",
        r.body
    );

    // The address works: it is the public programme of that neighbourhood.
    let feed = app.client().get(&format!("/programme/{poort}.ics")).await;
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"), "{}", feed.body);

    // The neighbourhood page shows the same address, in English too.
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    let r = a.get(&format!("/admin/neighbourhoods/{poort}")).await;
    assert!(
        r.body.contains(&format!("value=\"{address}\"")),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"{webcal}\"")), "{}", r.body);
    a.post("/lang/en", &[("next", "/")]).await;
    let r = a.get(&format!("/admin/neighbourhoods/{poort}")).await;
    assert!(r.body.contains("The programme in a calendar"), "{}", r.body);
    // The new-neighbourhood form has no address yet.
    let r = a.get("/admin/neighbourhoods/new").await;
    assert!(!r.body.contains("/programme/"), "{}", r.body);

    // A worker of another organisation never sees this neighbourhood's address.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other.get("/activities").await;
    assert!(!r.body.contains(&poort.to_string()), "{}", r.body);
}
on_both!(
    the_programme_address_is_on_the_activities_and_neighbourhood_pages,
    the_programme_address_is_on_the_activities_and_neighbourhood_pages
);

/// Two single-parent families of Almere Poort, by id and first names.
async fn two_poort_families(app: &TestApp, t: &mtp_domain::Tenant) -> Vec<(uuid::Uuid, String)> {
    let poort = app.neighbourhood(t, "Almere Poort").await;
    let filter = mtp_store::HouseholdFilter {
        neighbourhood_id: Some(poort),
        kind: Some(mtp_domain::HouseholdKind::SingleParent),
        status: Some(mtp_domain::HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(t, &filter, 2, 0).await.unwrap();
    assert_eq!(rows.len(), 2, "the demo has active families in Poort");
    rows.into_iter()
        .map(|h| (h.id, h.first_names.join(" & ")))
        .collect()
}

async fn the_session_page_shows_which_families_asked_for_childcare(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let families = two_poort_families(&app, &t).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = format!("/sessions/{session}");
    let r = w.get(&page).await;
    assert!(
        r.body.contains("<dt>Opvang gevraagd</dt><dd>Geen</dd>"),
        "{}",
        r.body
    );

    let answer = |childcare| mtp_store::RsvpLine {
        coming: true,
        reason: None,
        children: 1,
        childcare,
    };
    let (first, first_names) = &families[0];
    app.store
        .set_rsvp(&t, session, *first, &answer(true), None)
        .await
        .unwrap();
    let r = w.get(&page).await;
    assert!(
        r.body.contains(&format!(
            "<dd>1 gezin vraagt opvang voor de kinderen: {first_names}</dd>"
        )),
        "{}",
        r.body
    );

    // A second family asks too; a "yes" without childcare is not counted.
    let (second, second_names) = &families[1];
    app.store
        .set_rsvp(&t, session, *second, &answer(true), None)
        .await
        .unwrap();
    let r = w.get(&page).await;
    assert!(
        r.body
            .contains("2 gezinnen vragen opvang voor de kinderen: "),
        "{}",
        r.body
    );
    assert!(r.body.contains(first_names.as_str()) && r.body.contains(second_names.as_str()));
    app.store
        .set_rsvp(&t, session, *second, &answer(false), None)
        .await
        .unwrap();
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.get(&page).await;
    assert!(
        r.body.contains(&format!(
            "<dt>Childcare asked for</dt><dd>1 family asks for childcare: {first_names}</dd>"
        )),
        "{}",
        r.body
    );

    // Reach: a worker of another organisation does not get the page, nor the names.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other.get(&page).await;
    assert!(!r.body.contains(first_names.as_str()), "{}", r.body);
    assert_ne!(r.status, reqwest::StatusCode::OK);
}
on_both!(
    the_session_page_shows_which_families_asked_for_childcare,
    the_session_page_shows_which_families_asked_for_childcare
);

/// Handbook §3.3: the WhatsApp group is "exclusief eenoudergezinnen". Consent alone does not
/// put a two-parent family in it; the refusal is said at the field.
async fn a_two_parent_family_cannot_join_the_exclusive_whatsapp_group(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let filter = mtp_store::HouseholdFilter {
        neighbourhood_id: Some(poort),
        kind: Some(mtp_domain::HouseholdKind::MultiParent),
        status: Some(mtp_domain::HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(&t, &filter, 1, 0).await.unwrap();
    let two_parents = rows.first().expect("the demo has a two-parent family").id;
    // With consent, so only the audience rule can refuse.
    app.store
        .record_consent(
            &t,
            None,
            two_parents,
            mtp_domain::Purpose::ChatGroup,
            true,
            mtp_domain::ConsentMethod::Verbal,
            None,
        )
        .await
        .unwrap();

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let (nb, household) = (poort.to_string(), two_parents.to_string());
    let join = [
        ("nb", nb.as_str()),
        ("do", "join"),
        ("household", household.as_str()),
    ];
    let r = w.post("/chat/members", &join).await;
    assert_eq!(r.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "id=\"household-error\"><span class=\"vh\">Fout:</span> Deze WhatsApp-groep is alleen voor eenoudergezinnen"
        ),
        "{}",
        r.body
    );
    let roster = app.store.chat_roster(&t, poort).await.unwrap();
    assert!(roster.iter().all(|m| m.household_id != two_parents));

    // In English too.
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.post("/chat/members", &join).await;
    assert!(
        r.body
            .contains("This WhatsApp group is for single-parent families only"),
        "{}",
        r.body
    );
}
on_both!(
    a_two_parent_family_cannot_join_the_exclusive_whatsapp_group,
    a_two_parent_family_cannot_join_the_exclusive_whatsapp_group
);

/// Handbook §3.5 and §3.3: "geen financiële drempels", and an outing "past bij de financiële
/// mogelijkheden van de groep". The warning on a paid activity says that, not "keep it free".
async fn a_paid_activity_is_warned_of_as_the_handbook_says_no_financial_barriers(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let paid_outing = [
        ("kind", "outing"),
        ("name", ""),
        ("place", "Dierentuin"),
        ("cost", "5,00"),
    ];
    let r = w.post("/activities/new", &paid_outing).await;
    assert_eq!(r.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "Het handboek zegt: geld mag geen drempel zijn om mee te doen. En een uitje moet passen bij wat de groep kan betalen."
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("gratis te houden"), "{}", r.body);
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.post("/activities/new", &paid_outing).await;
    assert!(
        r.body.contains(
            "The handbook says: money must not keep anyone from taking part. And an outing must fit what the group can pay."
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("keep activities free"), "{}", r.body);
}
on_both!(
    a_paid_activity_is_warned_of_as_the_handbook_says_no_financial_barriers,
    a_paid_activity_is_warned_of_as_the_handbook_says_no_financial_barriers
);

/// Departure 4: "the weekly budget of 3 group messages is a fixed number the handbook never
/// gives; make it an organisation setting (default 3) and say so."
async fn the_weekly_number_of_group_messages_is_the_organisations_own_choice(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let form = admin.get("/admin/organisation").await;
    assert!(
        form.body
            .contains("name=\"chat_budget\" type=\"text\" value=\"3\""),
        "the default of three: {}",
        form.body
    );
    assert!(form.body.contains("Het handboek noemt geen aantal."));
    let org = app.store.organisation(t.org_id).await.unwrap();
    for bad in ["0", "51", "drie"] {
        let r = post_org_settings(&mut admin, &org, &[("chat_budget", bad)]).await;
        assert_eq!(r.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            r.body.contains("Vul een getal in van 1 tot en met 50."),
            "{bad}: {}",
            r.body
        );
    }
    // The demo group had two posts this week: with a budget of two, the next is one too many.
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    assert!(
        wk.get("/chat")
            .await
            .body
            .contains("Deze week: 2 van 3 berichten.")
    );
    let r = post_org_settings(&mut admin, &org, &[("chat_budget", "2")]).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store
            .organisation(t.org_id)
            .await
            .unwrap()
            .chat_budget
            .get(),
        2
    );
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let page = wk.get("/chat").await;
    assert!(
        page.body.contains("Deze week: 2 van 2 berichten."),
        "{}",
        page.body
    );
    assert!(page.body.contains("al genoeg berichten geplaatst"));
}
on_both!(
    field_chat_budget_setting,
    the_weekly_number_of_group_messages_is_the_organisations_own_choice
);

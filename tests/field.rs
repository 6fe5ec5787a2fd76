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

// ---------------------------------------------------------------- departures 1, 3, 6 and 7

/// An activity of Almere Poort, created by the worker through the form; its id.
async fn create_through_the_form(
    w: &mut crate::helpers::Client,
    fields: &[(&str, &str)],
) -> uuid::Uuid {
    let r = w.post("/activities/new", fields).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.body);
    r.location
        .strip_prefix("/activities/")
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .expect("the form leads to the new activity")
}

/// Departure 1. Handbook §3.3, list item 8: "Workshops/ themabijeenkomsten — op maat": made to
/// fit the topic, and it may be offered to a broad audience. So a workshop is open unless the
/// worker chooses otherwise, and the portal offers an open workshop to every family.
async fn a_workshop_made_to_measure_is_open_by_default_and_the_portal_offers_it(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    // The demo has a workshop of each audience.
    let mut demo: Vec<&str> = app
        .store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.d.kind == mtp_domain::activity::ActivityKind::Workshop)
        .map(|a| a.d.audience.as_str())
        .collect();
    demo.sort_unstable();
    demo.dedup();
    assert_eq!(demo, ["open", "single_parent_only", "tailored"]);
    let nb = poort.to_string();
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let form = w.get("/activities/new?kind=workshop").await;
    assert!(
        form.body
            .contains("passend bij het onderwerp. Hij mag voor een brede groep zijn."),
        "{}",
        form.body
    );
    let mut ids = Vec::new();
    for (audience, name) in [
        ("", "Workshop: slapen"),
        ("single_parent_only", "Workshop: alleen opvoeden"),
        ("tailored", "Workshop: schulden"),
    ] {
        let fields = [
            ("neighbourhood", nb.as_str()),
            ("kind", "workshop"),
            ("audience", audience),
            ("name", name),
            ("place", "Buurthuis De Schakel"),
            ("cost", "0"),
        ];
        ids.push(create_through_the_form(&mut w, &fields).await);
    }
    let audiences: Vec<mtp_domain::activity::Audience> = {
        let mut out = Vec::new();
        for id in &ids {
            out.push(app.store.activity(&t, *id).await.unwrap().d.audience);
        }
        out
    };
    use mtp_domain::activity::Audience;
    assert_eq!(
        audiences,
        [
            Audience::Open,
            Audience::SingleParentOnly,
            Audience::Tailored
        ],
        "the default is open; the other two are the worker's choice"
    );

    // Each gets a session next week; a two-parent family is offered the open one only.
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(7);
    let slot = mtp_domain::schedule::slot(
        day,
        chrono::NaiveTime::from_hms_opt(19, 30, 0).unwrap(),
        chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
    );
    for id in &ids {
        app.store
            .plan_sessions(&t, *id, &[(day, slot)], None)
            .await
            .unwrap();
    }
    let filter = mtp_store::HouseholdFilter {
        neighbourhood_id: Some(poort),
        kind: Some(mtp_domain::HouseholdKind::MultiParent),
        ..Default::default()
    };
    let (rows, _) = app.store.households(&t, &filter, 1, 0).await.unwrap();
    let two_parents = rows.first().expect("the demo has a two-parent family").id;
    let scope = app.parent_scope(&t, two_parents).await;
    let now = chrono::Utc::now();
    let offers = app
        .store
        .portal_offers(&scope, now, now + chrono::Duration::days(14), 200)
        .await
        .unwrap();
    let offered: Vec<&str> = offers
        .iter()
        .map(|o| o.session.activity_name.as_str())
        .collect();
    assert!(offered.contains(&"Workshop: slapen"), "{offered:?}");
    assert!(
        !offered.contains(&"Workshop: alleen opvoeden"),
        "{offered:?}"
    );
    assert!(!offered.contains(&"Workshop: schulden"), "{offered:?}");
}
on_both!(
    field_workshop_audience,
    a_workshop_made_to_measure_is_open_by_default_and_the_portal_offers_it
);

/// A two-parent family of Almere Poort, made for the test.
fn two_parent_family(nb: uuid::Uuid, first: &str) -> mtp_store::HouseholdDraft {
    let parent = |name: &str| mtp_store::ParentDraft {
        first_name: mtp_domain::PersonName::parse(name).unwrap(),
        last_name: None,
        phone: None,
        email: None,
        channel: mtp_domain::Channel::WhatsApp,
        languages: String::new(),
        works: false,
        free_days: vec![],
    };
    mtp_store::HouseholdDraft {
        neighbourhood_id: nb,
        kind: mtp_domain::HouseholdKind::MultiParent,
        source: mtp_domain::Source::School,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents: vec![parent(first), parent("Tom")],
        children: vec![],
        data_consent: mtp_domain::ConsentMethod::Verbal,
    }
}

/// An open coffee hour of `nb` with one session on `day` (09:30–11:00): (activity, session).
async fn open_coffee_hour_on(
    app: &TestApp,
    t: &mtp_domain::Tenant,
    nb: uuid::Uuid,
    day: chrono::NaiveDate,
) -> (uuid::Uuid, uuid::Uuid) {
    let kind = mtp_domain::activity::ActivityKind::CoffeeHourOpen;
    let draft = mtp_store::ActivityDraft {
        neighbourhood_id: nb,
        kind,
        audience: mtp_domain::activity::Audience::Open,
        name: "Koffie-uurtje voor iedereen (test)".into(),
        description: String::new(),
        place: "Buurthuis De Schakel".into(),
        address: String::new(),
        accessibility: String::new(),
        near_school: false,
        cost: mtp_domain::activity::Cost::FREE,
        capacity: None,
        childcare: false,
        staff: kind.default_staff_minutes(),
    };
    let activity = app.store.create_activity(t, &draft, None).await.unwrap();
    let slot = mtp_domain::schedule::slot(
        day,
        chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
        chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
    );
    app.store
        .plan_sessions(t, activity, &[(day, slot)], None)
        .await
        .unwrap();
    let session = app
        .store
        .activity_sessions(t, activity, slot.start - chrono::Duration::hours(1), 1)
        .await
        .unwrap()[0]
        .id;
    (activity, session)
}

/// Departure 3. Handbook §3.3: "Als de groep groot is (+10) is een tweede animator
/// wenselijk". The group is the parents (six two-parent families are twelve parents; the
/// children do not count), and a worker who was only asked is not yet a second worker.
async fn a_second_worker_is_wanted_when_more_than_ten_parents_come_and_counts_once_confirmed(
    app: TestApp,
) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(7);
    let (activity, session) = open_coffee_hour_on(&app, &t, poort, day).await;
    for first in ["Anna", "Bea", "Cem", "Dewi", "Eva", "Fenna"] {
        let id = app
            .store
            .create_household(&t, None, &two_parent_family(poort, first), None)
            .await
            .unwrap();
        app.store
            .register(&t, None, activity, id, None)
            .await
            .unwrap();
    }
    let staff = app.store.accounts(t.org_id).await.unwrap();
    let of_role = |role| {
        staff
            .iter()
            .find(|a| a.role == role && a.neighbourhoods.contains(&poort))
            .map(|a| a.id)
            .expect("a demo account of that role in Poort")
    };
    let (worker, coordinator) = (
        of_role(mtp_domain::Role::Worker),
        of_role(mtp_domain::Role::Coordinator),
    );
    use mtp_domain::attendance::HostReply;
    app.store
        .set_session_staff(&t, session, worker, HostReply::Confirmed, None)
        .await
        .unwrap();
    app.store
        .set_session_staff(&t, session, coordinator, HostReply::Asked, None)
        .await
        .unwrap();

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = format!("/sessions/{session}");
    let warning =
        "Er komen meer dan 10 ouders en er is nog geen tweede wijkwerker die heeft toegezegd.";
    let r = w.get(&page).await;
    assert!(
        r.body.contains(warning),
        "six families, twelve parents, and the second worker only asked: {}",
        r.body
    );
    assert!(r.body.contains("kinderen tellen niet mee"), "{}", r.body);
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.get(&page).await;
    assert!(
        r.body.contains("More than 10 parents are coming")
            && r.body.contains("children do not count"),
        "{}",
        r.body
    );

    // Once the second worker confirmed, the warning goes.
    app.store
        .set_session_staff(&t, session, coordinator, HostReply::Confirmed, None)
        .await
        .unwrap();
    let r = w.get(&page).await;
    assert!(!r.body.contains("More than 10 parents"), "{}", r.body);
}
on_both!(
    field_second_worker_parents,
    a_second_worker_is_wanted_when_more_than_ten_parents_come_and_counts_once_confirmed
);

/// Departure 6. Handbook §3.3 gives the time only for the coffee hour ("Voorbereiding 1 uur,
/// uitvoering 1 uur, afronding 1 uur"). The other kinds' minutes are the organisation's own
/// estimate, set by the administrator; the activity form starts from it.
async fn only_the_coffee_hours_minutes_are_the_handbooks_the_others_are_the_organisations_estimate(
    app: TestApp,
) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let form = admin.get("/admin/organisation").await;
    assert!(
        form.body
            .contains("60 minuten voorbereiden, 60 minuten uitvoeren, 60 minuten afronden.")
            && form.body.contains("Uit het handboek"),
        "{}",
        form.body
    );
    assert!(
        form.body.contains(
            "name=\"staff_outing_preparation\" type=\"text\" inputmode=\"numeric\" value=\"120\""
        ),
        "our starting estimate for an outing: {}",
        form.body
    );
    assert!(form.body.contains("Eigen schatting van de organisatie"));
    let org = app.store.organisation(t.org_id).await.unwrap();
    let outing = [
        ("staff_outing_preparation", "90"),
        ("staff_outing_execution", "zes uur"),
        ("staff_outing_wrap_up", "45"),
    ];
    let r = post_org_settings(&mut admin, &org, &outing).await;
    assert_eq!(r.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "id=\"staff_outing_execution-error\"><span class=\"vh\">Fout:</span> Vul een aantal minuten in van 0 tot en met 600."
        ),
        "{}",
        r.body
    );
    let outing = [
        ("staff_outing_preparation", "90"),
        ("staff_outing_execution", "300"),
        ("staff_outing_wrap_up", "45"),
    ];
    let r = post_org_settings(&mut admin, &org, &outing).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.body);
    let kept = app
        .store
        .organisation(t.org_id)
        .await
        .unwrap()
        .staff_minutes;
    let m = kept.for_kind(mtp_domain::activity::ActivityKind::Outing);
    assert_eq!((m.preparation, m.execution, m.wrap_up), (90, 300, 45));
    // The other kinds kept the starting estimate they were sent with.
    assert_eq!(
        kept.for_kind(mtp_domain::activity::ActivityKind::Workshop),
        mtp_domain::activity::ActivityKind::Workshop.default_staff_minutes()
    );

    // The activity form starts from it, and says whose figure it is.
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let r = w.get("/activities/new?kind=outing").await;
    assert!(
        r.body
            .contains("name=\"preparation\" type=\"text\" value=\"90\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("name=\"execution\" type=\"text\" value=\"300\"")
    );
    assert!(r.body.contains(
        "<strong class=\"tag tag--neutral\">Eigen schatting van de organisatie</strong>"
    ));
    let r = w.get("/activities/new?kind=coffee_hour_exclusive").await;
    assert!(
        r.body
            .contains("name=\"preparation\" type=\"text\" value=\"60\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<strong class=\"tag tag--neutral\">Uit het handboek</strong>")
    );
    w.post("/lang/en", &[("next", "/")]).await;
    let r = w.get("/activities/new?kind=coffee_hour_open").await;
    assert!(r.body.contains("From the handbook"), "{}", r.body);
    let r = w.get("/activities/new?kind=holiday").await;
    assert!(
        r.body.contains("The organisation&#39;s own estimate")
            || r.body.contains("The organisation's own estimate"),
        "{}",
        r.body
    );
}
on_both!(
    field_staff_minutes,
    only_the_coffee_hours_minutes_are_the_handbooks_the_others_are_the_organisations_estimate
);

/// Departure 7. A family's status never becomes *even stil* by itself: the start page proposes
/// it for a family that took part (three visits or more) and has not come for 8 weeks, and the
/// worker confirms or dismisses it; a family that comes again is no longer proposed.
async fn a_family_that_took_part_and_stayed_away_eight_weeks_is_proposed_as_quiet_never_made_quiet_by_itself(
    app: TestApp,
) {
    use mtp_domain::HouseholdStatus;
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let today = chrono::Utc::now()
        .with_timezone(&mtp_domain::schedule::TZ)
        .date_naive();
    let proposals = app.store.quiet_proposals(&t, today, 50).await.unwrap();
    assert!(
        proposals.len() >= 2,
        "the demo has families that took part and stayed away: {proposals:?}"
    );
    // Each is as the rule says: active, three visits or more, none in the last 8 weeks.
    for p in &proposals {
        assert!(p.visits >= 3, "{p:?}");
        assert!((today - p.last_visit).num_days() >= 56, "{p:?}");
        let h = app.store.household(&t, p.household_id).await.unwrap();
        assert_eq!(h.status, HouseholdStatus::Active, "not changed by itself");
    }
    let (first, second) = (&proposals[0], &proposals[1]);

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let home = w.get("/").await;
    assert!(
        home.body.contains("<h2 id=\"even-stil\">Even stil?</h2>"),
        "{}",
        home.body
    );
    assert!(home.body.contains(&first.first_names), "{}", home.body);
    assert!(home.body.contains(&format!(
        "action=\"/households/{}/quiet\"",
        first.household_id
    )));

    // Without the form's token nothing happens.
    let path = format!("/households/{}/quiet", first.household_id);
    let r = w.post_raw(&path, "do=confirm".to_string()).await;
    assert_eq!(r.status, reqwest::StatusCode::FORBIDDEN);
    // A worker of another organisation cannot answer it either.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other.post(&path, &[("do", "confirm")]).await;
    assert_eq!(r.status, reqwest::StatusCode::NOT_FOUND);
    assert_eq!(
        app.store
            .household(&t, first.household_id)
            .await
            .unwrap()
            .status,
        HouseholdStatus::Active
    );

    // One click confirms it; the move is in the audit trail.
    let r = w.post(&path, &[("do", "confirm")]).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/");
    assert_eq!(
        app.store
            .household(&t, first.household_id)
            .await
            .unwrap()
            .status,
        HouseholdStatus::Quiet
    );
    let home = w.get("/").await;
    assert!(
        home.body
            .contains(&format!("{} staat nu op even stil.", first.first_names)),
        "{}",
        home.body
    );
    assert!(
        !home
            .body
            .contains(&format!("/households/{}/quiet", first.household_id))
    );
    let audit = app
        .store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 200)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "household.status-changed"
        && e.object_id == Some(first.household_id)
        && e.detail.starts_with("quiet")));

    // The second is dismissed: it goes from the page, its status stays, and that is logged.
    let path = format!("/households/{}/quiet", second.household_id);
    let r = w.post(&path, &[("do", "dismiss")]).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.body);
    let home = w.get("/").await;
    assert!(!home.body.contains(&path), "{}", home.body);
    assert_eq!(
        app.store
            .household(&t, second.household_id)
            .await
            .unwrap()
            .status,
        HouseholdStatus::Active
    );
    let audit = app
        .store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 200)
        .await
        .unwrap();
    assert!(audit.iter().any(
        |e| e.action == "household.quiet-dismissed" && e.object_id == Some(second.household_id)
    ));
    // A dismissed proposal cannot be confirmed from an old page.
    let r = w.post(&path, &[("do", "confirm")]).await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .household(&t, second.household_id)
            .await
            .unwrap()
            .status,
        HouseholdStatus::Active
    );

    // A family that comes again is no longer proposed.
    if let Some(third) = proposals.get(2) {
        let (coffee, _) = app.coffee_hour().await;
        let last_week = app
            .store
            .activity_sessions(
                &t,
                coffee,
                chrono::Utc::now() - chrono::Duration::days(10),
                2,
            )
            .await
            .unwrap();
        let held = last_week
            .iter()
            .find(|s| s.state == mtp_domain::attendance::SessionState::Held)
            .expect("a coffee hour held last week");
        app.store
            .load_attendance(
                t.org_id,
                &[mtp_store::PastAttendance {
                    session_id: held.id,
                    session_start: held.starts_at,
                    household_id: third.household_id,
                    status: mtp_domain::attendance::AttendanceStatus::Present,
                    reason: None,
                    children: 0,
                }],
            )
            .await
            .unwrap();
        let again = app.store.quiet_proposals(&t, today, 50).await.unwrap();
        assert!(again.iter().all(|p| p.household_id != third.household_id));
        assert!(again.iter().all(|p| p.household_id != second.household_id));
    }

    // In English; and only families of the worker's own neighbourhoods are proposed.
    w.post("/lang/en", &[("next", "/")]).await;
    let home = w.get("/").await;
    if home.body.contains("id=\"even-stil\"") {
        assert!(home.body.contains("Quiet for now?"), "{}", home.body);
        assert!(home.body.contains("Not needed"));
    }
    let worker_tenant = mtp_domain::Tenant {
        role: mtp_domain::Role::Worker,
        neighbourhoods: vec![poort],
        ..t.clone()
    };
    for p in app
        .store
        .quiet_proposals(&worker_tenant, today, 50)
        .await
        .unwrap()
    {
        assert_eq!(p.neighbourhood_id, poort);
    }
}
on_both!(
    field_quiet_proposal,
    a_family_that_took_part_and_stayed_away_eight_weeks_is_proposed_as_quiet_never_made_quiet_by_itself
);

/// Departure 3 in the report: the fidelity check "second worker" applies when more than ten
/// parents came, whatever the number of families (six two-parent families are twelve parents).
async fn the_fidelity_check_wants_a_second_worker_when_more_than_ten_parents_came(app: TestApp) {
    use mtp_domain::indicators::{Check, checks};
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let nb = app
        .store
        .create_neighbourhood(
            t.org_id,
            &mtp_domain::PlaceName::parse("Teststad").unwrap(),
            None,
            None,
        )
        .await
        .unwrap();
    let today = chrono::Utc::now()
        .with_timezone(&mtp_domain::schedule::TZ)
        .date_naive();
    let day = today - chrono::Duration::days(7);
    let (_, session) = open_coffee_hour_on(&app, &t, nb, day).await;
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    for first in ["Anna", "Bea", "Cem", "Dewi", "Eva", "Fenna"] {
        let id = app
            .store
            .create_household(&t, None, &two_parent_family(nb, first), None)
            .await
            .unwrap()
            .to_string();
        let r = a
            .post(
                &format!("/sessions/{session}/attendance"),
                &[
                    ("household", id.as_str()),
                    ("status", "present"),
                    ("adults", "2"),
                    ("children", "1"),
                ],
            )
            .await;
        assert!(
            r.status.is_redirection() || r.status.is_success(),
            "{}",
            r.body
        );
    }
    app.store
        .set_session_state(
            &t,
            session,
            mtp_domain::attendance::SessionState::Held,
            None,
        )
        .await
        .unwrap();
    let worker = app
        .store
        .accounts(t.org_id)
        .await
        .unwrap()
        .into_iter()
        .find(|acc| acc.role == mtp_domain::Role::Worker)
        .expect("a demo worker")
        .id;
    app.store
        .set_session_staff(
            &t,
            session,
            worker,
            mtp_domain::attendance::HostReply::Confirmed,
            None,
        )
        .await
        .unwrap();
    let rows = app.store.report_inputs(&t, nb, today, today).await.unwrap();
    let record = rows
        .inputs
        .coffee_hours
        .iter()
        .find(|r| r.date == day)
        .expect("the held coffee hour is judged");
    assert_eq!(
        record.attended, 12,
        "twelve parents; the six children do not count"
    );
    assert!(
        checks(record).contains(&(Check::SecondWorker, false)),
        "{:?}",
        checks(record)
    );
}
on_both!(
    field_fidelity_parents,
    the_fidelity_check_wants_a_second_worker_when_more_than_ten_parents_came
);

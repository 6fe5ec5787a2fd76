//! The organisation's own school holidays: an administrator adds and removes them, every field
//! says what is wrong, other roles and other organisations stay out, and a weekly series
//! planned through the form skips exactly the organisation's dates.

use chrono::{Duration, NaiveDate, Utc};
use mtp_domain::schedule::{OwnHoliday, SchoolHoliday, TZ};
use mtp_domain::{Email, NewPassword, PersonName, Role, Tenant};
use mtp_store::{AuditFilter, NewAccount};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

async fn own(app: &TestApp, t: &Tenant) -> Vec<(Uuid, OwnHoliday)> {
    app.store
        .school_holidays(t)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.period))
        .collect()
}

async fn audit(app: &TestApp, t: &Tenant, action: &str) -> Vec<mtp_store::AuditEntry> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap()
}

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

async fn an_administrator_adds_and_removes_the_schools_own_autumn_holiday(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let demo = own(&app, &t).await;
    assert_eq!(
        demo.iter().map(|(_, p)| p.holiday).collect::<Vec<_>>(),
        [
            SchoolHoliday::Spring,
            SchoolHoliday::May,
            SchoolHoliday::Summer
        ],
        "the demo has Almere's 2027 holidays"
    );
    let mut a = signed_in(&app, &logins["admin"]).await;
    let page = a.get("/admin/holidays").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h1>Schoolvakanties</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Schooljaar 2027–2028"), "{}", page.body);
    assert!(page.body.contains("20 februari – 28 februari 2027"));
    assert!(page.body.contains(">Eigen datum<"));
    assert!(page.body.contains(">Landelijk advies<"));
    assert!(
        page.body.contains("16 oktober – 24 oktober 2027"),
        "the national autumn holiday of noord"
    );
    let org = a.get("/admin/organisation").await;
    assert!(
        org.body.contains("href=\"/admin/holidays\""),
        "linked from the settings"
    );

    // The schools keep the autumn week of Midden and Zuid: that replaces the advice.
    let r = a
        .post(
            "/admin/holidays",
            &[
                ("holiday", "autumn"),
                ("first_day", "2027-10-23"),
                ("last_day", "31-10-2027"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/holidays");
    let page = a.get("/admin/holidays").await;
    assert!(
        page.body
            .contains("Herfstvakantie (23 oktober – 31 oktober 2027) is toegevoegd."),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("16 oktober – 24 oktober 2027"),
        "replaced"
    );
    let now = own(&app, &t).await;
    assert_eq!(now.len(), 4);
    let (id, added) = now
        .iter()
        .find(|(_, p)| p.holiday == SchoolHoliday::Autumn)
        .copied()
        .unwrap_or_else(|| panic!("the autumn holiday is stored: {now:?}"));
    assert_eq!(
        (added.first, added.last),
        (day(2027, 10, 23), day(2027, 10, 31))
    );
    assert!(
        page.body
            .contains(&format!("action=\"/admin/holidays/{id}/remove\""))
    );

    let remove = format!("/admin/holidays/{id}/remove");
    let r = a.post(&remove, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, format!("/admin/holidays?undo={id}"));
    let page = a.get(&r.location).await;
    assert!(
        page.body
            .contains("Herfstvakantie (23 oktober – 31 oktober 2027) is verwijderd."),
        "{}",
        page.body
    );
    let restore = format!("/admin/holidays/{id}/restore");
    assert!(
        page.body.contains(&format!("action=\"{restore}\"")),
        "undo, don't ask: {}",
        page.body
    );
    assert!(page.body.contains("Ongedaan maken"));
    assert!(
        page.body.contains("16 oktober – 24 oktober 2027"),
        "advice again"
    );
    assert_eq!(own(&app, &t).await.len(), 3);
    // Sent twice (a double tap): the same answer, and no second entry in the trail.
    let again = a.post(&remove, &[]).await;
    assert_eq!(again.location, r.location);

    // Undo: the schools' week holds again; then removed for good.
    let r = a.post(&restore, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = a.get(&r.location).await;
    assert!(
        page.body
            .contains("Herfstvakantie (23 oktober – 31 oktober 2027) is teruggezet."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("16 oktober – 24 oktober 2027"));
    assert_eq!(own(&app, &t).await.len(), 4);
    let r = a.post(&remove, &[]).await;
    let page = a.get(&r.location).await;
    assert!(page.body.contains("16 oktober – 24 oktober 2027"));
    assert_eq!(own(&app, &t).await.len(), 3);
    // The undo button of an old page, after a new period took those days: refused, kept out.
    let r = a
        .post(
            "/admin/holidays",
            &[
                ("holiday", "autumn"),
                ("first_day", "2027-10-30"),
                ("last_day", "2027-11-07"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    a.get("/admin/holidays").await;
    let r = a.post(&restore, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("valt samen met een vakantie"), "{}", r.body);
    assert_eq!(own(&app, &t).await.len(), 4);

    let added_events = audit(&app, &t, "school-holiday.added").await;
    let mine: Vec<_> = added_events
        .iter()
        .filter(|e| e.object_id == Some(id))
        .collect();
    assert_eq!(mine.len(), 1, "{added_events:?}");
    assert_eq!(
        mine.first()
            .map(|e| (e.actor_role.as_str(), e.detail.as_str())),
        Some(("admin", "holiday=autumn first=2027-10-23 last=2027-10-31"))
    );
    let removed = audit(&app, &t, "school-holiday.removed").await;
    assert_eq!(removed.len(), 2, "twice, not three times: {removed:?}");
    let restored = audit(&app, &t, "school-holiday.restored").await;
    assert_eq!(restored.len(), 1, "{restored:?}");
    assert_eq!(restored.first().and_then(|e| e.object_id), Some(id));
    assert_eq!(removed.first().and_then(|e| e.object_id), Some(id));
    assert_eq!(
        removed.first().map(|e| e.detail.as_str()),
        Some("holiday=autumn first=2027-10-23 last=2027-10-31")
    );
    assert_eq!(
        removed.first().map(|e| e.object_type.as_str()),
        Some("school_holiday")
    );
}
on_both!(
    add_and_remove,
    an_administrator_adds_and_removes_the_schools_own_autumn_holiday
);

/// A form as sent, the field the summary links to first, and the messages shown.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a [&'a str]);

async fn every_field_says_what_is_wrong_and_nothing_is_stored(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let before = own(&app, &t).await;
    let mut a = signed_in(&app, &logins["admin"]).await;
    a.get("/admin/holidays").await;
    let cases: &[Case] = &[
        (
            &[("holiday", ""), ("first_day", ""), ("last_day", "")],
            "holiday",
            &[
                "Kies welke vakantie het is.",
                "Vul de eerste vakantiedag in.",
                "Vul de laatste vakantiedag in.",
            ],
        ),
        (
            &[
                ("holiday", "pinksteren"),
                ("first_day", "morgen"),
                ("last_day", "2027-13-01"),
            ],
            "holiday",
            &[
                "Kies een vakantie uit de lijst.",
                "Vul de eerste vakantiedag in als datum",
                "Vul de laatste vakantiedag in als datum",
            ],
        ),
        (
            &[
                ("holiday", "autumn"),
                ("first_day", "2027-10-31"),
                ("last_day", "2027-10-23"),
            ],
            "last_day",
            &["De laatste vakantiedag moet op of na de eerste vakantiedag liggen."],
        ),
        (
            &[
                ("holiday", "summer"),
                ("first_day", "2028-06-24"),
                ("last_day", "2028-09-03"),
            ],
            "last_day",
            &["Een vakantie duurt hoogstens 10 weken. Kijk de laatste vakantiedag na."],
        ),
        (
            &[
                ("holiday", "spring"),
                ("first_day", "2027-10-16"),
                ("last_day", "2027-10-24"),
            ],
            "first_day",
            &["De voorjaarsvakantie valt in februari of maart."],
        ),
        (
            &[
                ("holiday", "may"),
                ("first_day", "2027-05-01"),
                ("last_day", "2027-05-09"),
            ],
            "first_day",
            &["De vakantie valt samen met Meivakantie (24 april – 2 mei 2027)"],
        ),
    ];
    for (fields, first_field, messages) in cases {
        let r = a.post("/admin/holidays", fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.body.contains("<title>Fout: "), "{fields:?}");
        assert!(r.body.contains("Er is een probleem"));
        assert!(
            r.body.contains(&format!("href=\"#{first_field}\"")),
            "the summary links to {first_field}: {fields:?}"
        );
        assert!(
            r.body.contains(&format!("id=\"{first_field}-error\"")),
            "the message sits at {first_field}"
        );
        for m in *messages {
            assert!(r.body.contains(m), "{m}: {}", r.body);
        }
        for (name, value) in *fields {
            if *name != "holiday" && !value.is_empty() {
                assert!(
                    r.body.contains(&format!("value=\"{value}\"")),
                    "{value} kept"
                );
            }
        }
    }
    // In English too.
    a.post("/lang/en", &[("next", "/admin/holidays")]).await;
    let r = a
        .post(
            "/admin/holidays",
            &[
                ("holiday", "autumn"),
                ("first_day", "2027-10-31"),
                ("last_day", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter the last day of the holiday."),
        "{}",
        r.body
    );
    assert_eq!(own(&app, &t).await, before, "nothing stored");
    assert!(audit(&app, &t, "school-holiday.added").await.len() == before.len());
}
on_both!(
    bad_input,
    every_field_says_what_is_wrong_and_nothing_is_stored
);

async fn a_coordinator_sees_the_holidays_and_a_worker_does_not(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let before = own(&app, &t).await;
    let fields = [
        ("holiday", "autumn"),
        ("first_day", "2027-10-23"),
        ("last_day", "2027-10-31"),
    ];
    let mut w = signed_in(&app, &logins["worker"]).await;
    assert_eq!(w.get("/admin/holidays").await.status, StatusCode::FORBIDDEN);
    w.get("/").await;
    assert_eq!(
        w.post("/admin/holidays", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let page = c.get("/admin/holidays").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("20 februari – 28 februari 2027"));
    assert!(
        page.body
            .contains("Alleen een beheerder kan eigen data toevoegen")
    );
    assert!(!page.body.contains("action=\"/admin/holidays\""), "no form");
    assert_eq!(
        c.post("/admin/holidays", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let (id, _) = before[0];
    c.get("/").await;
    assert_eq!(
        c.post(&format!("/admin/holidays/{id}/remove"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(own(&app, &t).await, before, "nothing changed");
    let denied = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                outcome: Some("denied".into()),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap_or_default();
    assert!(
        denied
            .iter()
            .any(|e| e.actor_role == "worker" && e.detail == "GET /admin/holidays"),
        "{denied:?}"
    );
}
on_both!(roles, a_coordinator_sees_the_holidays_and_a_worker_does_not);

async fn another_organisations_holidays_are_out_of_sight_and_reach(app: TestApp) {
    app.demo().await;
    let almere = app.org("Almere").await;
    let lelystad = app.org("Lelystad").await;
    let pw = NewPassword::parse("een-ander-wachtwoord").unwrap();
    app.store
        .create_account(
            &NewAccount {
                org_id: lelystad.org_id,
                email: Email::parse("beheer@lelystad.test").unwrap(),
                display_name: PersonName::parse("Andere Beheerder").unwrap(),
                role: Role::Admin,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut other = signed_in(
        &app,
        &Login {
            email: "beheer@lelystad.test".into(),
            password: pw.expose().into(),
        },
    )
    .await;
    let page = other.get("/admin/holidays").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("Eigen datum<"),
        "Almere's dates stay in Almere"
    );
    assert!(!page.body.contains("20 februari 2027"));
    assert!(
        page.body.contains("Nog niet bekend"),
        "spring 2027 unknown there"
    );
    let before = own(&app, &almere).await;
    let (id, _) = before[0];
    let r = other
        .post(&format!("/admin/holidays/{id}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(&format!("/admin/holidays/{id}/restore"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = other.get(&format!("/admin/holidays?undo={id}")).await;
    assert!(!page.body.contains("Ongedaan maken"), "no banner for it");
    assert_eq!(own(&app, &almere).await, before, "still there");
    assert!(own(&app, &lelystad).await.is_empty());
    assert!(
        audit(&app, &lelystad, "school-holiday.removed")
            .await
            .is_empty()
    );
    assert!(
        audit(&app, &almere, "school-holiday.removed")
            .await
            .is_empty()
    );
}
on_both!(
    other_tenant,
    another_organisations_holidays_are_out_of_sight_and_reach
);

async fn a_series_planned_through_the_form_skips_exactly_the_own_holiday(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut a = signed_in(&app, &logins["admin"]).await;
    let r = a
        .post(
            "/admin/holidays",
            &[
                ("holiday", "autumn"),
                ("first_day", "2027-10-23"),
                ("last_day", "2027-10-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut w = signed_in(&app, &logins["worker"]).await;
    w.get("/activities/new").await;
    let r = w
        .post(
            "/activities/new",
            &[
                ("kind", "coffee_hour_exclusive"),
                ("name", "Koffie-uurtje Herfst"),
                ("place", "Buurthuis De Wissel"),
                ("cost", "0"),
                ("capacity", ""),
                ("preparation", "60"),
                ("execution", "60"),
                ("wrap_up", "60"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location
        .trim_start_matches("/activities/")
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .to_string();
    // As a browser does: follow the redirect (which shows and clears its notification).
    w.get(&r.location).await;
    let plan = format!("/activities/{id}/plan");
    // Wednesdays of October and November 2027: the advice (16–24 October) would skip the
    // 20th, the schools' own week (23–31 October) skips the 27th instead.
    let r = w
        .post(
            &plan,
            &[
                ("weekday", "3"),
                ("start", "09:30"),
                ("end", "10:30"),
                ("from", "2027-10-01"),
                ("until", "2027-11-30"),
                ("skip_holidays", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let activity = Uuid::parse_str(&id).unwrap_or_default();
    let dates: Vec<NaiveDate> = app
        .store
        .activity_sessions(&t, activity, Utc::now() - Duration::days(1), 1000)
        .await
        .unwrap_or_default()
        .iter()
        .map(|s| s.starts_at.with_timezone(&TZ).date_naive())
        .collect();
    assert_eq!(
        dates,
        [
            day(2027, 10, 6),
            day(2027, 10, 13),
            day(2027, 10, 20),
            day(2027, 11, 3),
            day(2027, 11, 10),
            day(2027, 11, 17),
            day(2027, 11, 24)
        ]
    );
    let page = w.get(&r.location).await;
    assert!(
        page.body.contains("Bijeenkomsten ingepland: 7."),
        "{}",
        page.body
    );

    // The planning form knows the demo's own 2027 dates: no warning for the spring of 2027.
    let spring = [
        ("weekday", "3"),
        ("start", ""),
        ("end", "10:30"),
        ("from", "2027-01-06"),
        ("until", "2027-03-31"),
        ("skip_holidays", "yes"),
    ];
    let r = w.post(&plan, &spring).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.body.contains("kennen we nog niet"), "{}", r.body);
    // Without the organisation's spring holiday the form warns, from the first Wednesday of
    // February; the worker is told who can fill it in, the administrator gets the link.
    let (spring_id, _) = own(&app, &t)
        .await
        .into_iter()
        .find(|(_, p)| p.holiday == SchoolHoliday::Spring)
        .expect("the demo's spring holiday");
    a.get("/admin/holidays").await;
    let r = a
        .post(&format!("/admin/holidays/{spring_id}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w.post(&plan, &spring).await;
    assert!(
        r.body
            .contains("De schoolvakanties vanaf woensdag 3 februari 2027 kennen we nog niet."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Een beheerder kan de schoolvakanties"));
    assert!(
        !r.body.contains("href=\"/admin/holidays\""),
        "not for a worker"
    );
    a.get(&format!("/activities/{id}")).await;
    let r = a.post(&plan, &spring).await;
    assert!(r.body.contains("href=\"/admin/holidays\""), "{}", r.body);
}
on_both!(
    series,
    a_series_planned_through_the_form_skips_exactly_the_own_holiday
);

//! The target-group estimate a coordinator enters per neighbourhood (docs/indicators.md §2):
//! the coordinator sets it on the neighbourhood's form and sees it back, a wrong number gets a
//! message at the field, a coordinator of another neighbourhood and a worker cannot set it,
//! and every change leaves an audit entry.

use mtp_domain::{Email, NewPassword, PersonName, Role, Tenant};
use mtp_store::{AuditFilter, NewAccount};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

async fn nb(app: &TestApp, t: &Tenant, name: &str) -> mtp_store::Neighbourhood {
    app.store
        .neighbourhoods(t)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("no neighbourhood {name}"))
}

async fn set_entries(app: &TestApp, t: &Tenant) -> Vec<mtp_store::AuditEntry> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some("neighbourhood.target-group-set".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap()
}

/// The form of Almere Poort as the demo fills it, with the estimate fields given.
fn poort_form<'a>(estimate: &'a str, source: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Almere Poort"),
        ("cbs_code", "WK003401"),
        ("contact_name", "Fatima"),
        ("contact_phone", "06-12 00 00 01"),
        ("target_group", estimate),
        ("target_group_source", source),
    ]
}

fn estimate_of(n: &mtp_store::Neighbourhood) -> Option<u32> {
    n.target_group.as_ref().map(|g| g.estimate.get())
}

async fn a_coordinator_sets_the_estimate_and_sees_it_back(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = nb(&app, &t, "Almere Poort").await;
    assert_eq!(
        estimate_of(&poort),
        Some(310),
        "the demo's made-up estimate"
    );
    let demo_entries = set_entries(&app, &t).await.len();
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let path = format!("/admin/neighbourhoods/{}", poort.id);
    let page = c.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Aantal eenoudergezinnen in de wijk (schatting, optioneel)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bijvoorbeeld uit de CBS-cijfers."));
    assert!(page.body.contains("value=\"310\""), "{}", page.body);
    assert!(page.body.contains("value=\"CBS 2025\""));

    let r = c.post(&path, &poort_form("1.250", "CBS 2024")).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let poort = nb(&app, &t, "Almere Poort").await;
    let g = poort.target_group.clone().expect("an estimate");
    assert_eq!(g.estimate.get(), 1250);
    assert_eq!(g.source, "CBS 2024");
    assert_eq!(g.set_on, Some(mtp_web::today()));
    let page = c.get(&path).await;
    assert!(page.body.contains("value=\"1250\""), "{}", page.body);
    assert!(page.body.contains("value=\"CBS 2024\""));
    assert!(page.body.contains("Ingevuld op "), "{}", page.body);

    let entries = set_entries(&app, &t).await;
    assert_eq!(entries.len(), demo_entries + 1, "one entry for the change");
    let e = entries
        .iter()
        .find(|e| e.actor_role == "coordinator")
        .expect("the coordinator's entry");
    assert_eq!(e.object_id, Some(poort.id));
    assert_eq!(e.detail, "1250 CBS 2024");

    // Saving the form unchanged does not enter the estimate again.
    let r = c.post(&path, &poort_form("1250", "CBS 2024")).await;
    assert!(r.status.is_redirection());
    assert_eq!(set_entries(&app, &t).await.len(), demo_entries + 1);

    // An empty field clears it.
    let r = c.post(&path, &poort_form("", "")).await;
    assert!(r.status.is_redirection());
    assert_eq!(estimate_of(&nb(&app, &t, "Almere Poort").await), None);
    assert_eq!(set_entries(&app, &t).await.len(), demo_entries + 2);
}
on_both!(
    coordinator_sets,
    a_coordinator_sets_the_estimate_and_sees_it_back
);

async fn a_wrong_number_gets_a_message_at_the_field(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = nb(&app, &t, "Almere Poort").await;
    let before = set_entries(&app, &t).await.len();
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let path = format!("/admin/neighbourhoods/{}", poort.id);
    c.get(&path).await;
    for (typed, message) in [
        (
            "veel",
            "Vul een heel getal in, zoals 240. Of laat het veld leeg.",
        ),
        (
            "12,5",
            "Vul een heel getal in, zoals 240. Of laat het veld leeg.",
        ),
        (
            "-3",
            "Vul een heel getal in, zoals 240. Of laat het veld leeg.",
        ),
        (
            "200000",
            "Dit getal is te groot. Vul een aantal in van hoogstens 100.000.",
        ),
    ] {
        let r = c.post(&path, &poort_form(typed, "CBS 2024")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(r.body.contains(message), "{typed}: {}", r.body);
        assert!(r.body.contains("id=\"target_group-error\""), "{typed}");
        assert!(
            r.body.contains(&format!("value=\"{typed}\"")),
            "what was typed stays: {typed}"
        );
    }
    let long = "x".repeat(61);
    let r = c.post(&path, &poort_form("240", &long)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"target_group_source-error\""));
    assert_eq!(
        estimate_of(&nb(&app, &t, "Almere Poort").await),
        Some(310),
        "nothing saved"
    );
    assert_eq!(set_entries(&app, &t).await.len(), before);
}
on_both!(bad_input, a_wrong_number_gets_a_message_at_the_field);

async fn others_cannot_set_the_estimate(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = nb(&app, &t, "Almere Poort").await;
    let haven = nb(&app, &t, "Almere Haven").await;
    let before = set_entries(&app, &t).await.len();
    let pw = NewPassword::parse("een-ander-wachtwoord").unwrap();
    app.store
        .create_account(
            &NewAccount {
                org_id: t.org_id,
                email: Email::parse("coordinator.haven@almere.test").unwrap(),
                display_name: PersonName::parse("Hanna Haven").unwrap(),
                role: Role::Coordinator,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![haven.id],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut other = signed_in(
        &app,
        &Login {
            email: "coordinator.haven@almere.test".into(),
            password: pw.expose().into(),
        },
    )
    .await;
    let path = format!("/admin/neighbourhoods/{}", poort.id);
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    let r = other.post(&path, &poort_form("5", "geraden")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Their own neighbourhood they may set.
    let own = format!("/admin/neighbourhoods/{}", haven.id);
    let r = other
        .post(
            &own,
            &[
                ("name", "Almere Haven"),
                ("cbs_code", ""),
                ("contact_name", ""),
                ("contact_phone", ""),
                ("target_group", "200"),
                ("target_group_source", "eigen schatting"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert_eq!(estimate_of(&nb(&app, &t, "Almere Haven").await), Some(200));

    let mut worker = signed_in(&app, &logins["worker"]).await;
    let r = worker.post(&path, &poort_form("5", "geraden")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let random = format!("/admin/neighbourhoods/{}", Uuid::now_v7());
    let mut coordinator = signed_in(&app, &logins["coordinator"]).await;
    let r = coordinator.post(&random, &poort_form("5", "")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    assert_eq!(estimate_of(&nb(&app, &t, "Almere Poort").await), Some(310));
    let entries = set_entries(&app, &t).await;
    assert_eq!(entries.len(), before + 1, "only Haven's own change");
    assert!(
        entries
            .iter()
            .all(|e| e.object_id != Some(poort.id) || e.actor_role == "cli")
    );
}
on_both!(others, others_cannot_set_the_estimate);

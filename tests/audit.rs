//! The audit trail: a valid chain with several app servers writing at once, tamper evidence,
//! append-only.

use mtp_domain::audit::{Action, Outcome};
use mtp_store::{NewAuditEvent, Store};
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::{Login, TestApp, spawn_on};
use crate::on_both;

fn event(org: uuid::Uuid, n: usize) -> NewAuditEvent {
    NewAuditEvent {
        org_id: org,
        actor_id: None,
        actor_role: "test".into(),
        action: Action::AuditViewed,
        object_type: "test".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: format!("n={n}"),
    }
}

async fn two_app_servers_writing_at_once_keep_one_valid_chain(app: TestApp) {
    app.demo().await;
    let org = app.store.organisations().await.unwrap_or_default()[0].id;
    // A second app server on the same database.
    let second = spawn_on(app.database_url.clone(), app.data_dir.clone()).await;
    let mut tasks = Vec::new();
    for (i, store) in [
        app.store.clone(),
        second.store.clone(),
        app.store.clone(),
        second.store.clone(),
    ]
    .into_iter()
    .enumerate()
    {
        tasks.push(tokio::spawn(async move {
            for n in 0..25 {
                store
                    .audit(event(org, i * 100 + n))
                    .await
                    .expect("append failed");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let reports = app.store.audit_verify().await.unwrap();
    let chain = reports.iter().find(|r| r.org_id == org).expect("no chain");
    assert_eq!(chain.broken_at, None, "{reports:?}");
    let written = app
        .store
        .audit_entries(
            org,
            &mtp_store::AuditFilter {
                action: Some(Action::AuditViewed.as_str().into()),
                ..Default::default()
            },
            1000,
        )
        .await
        .unwrap_or_default();
    assert_eq!(written.len(), 100);
    assert!(chain.events >= 100);
}
on_both!(
    concurrent_chain,
    two_app_servers_writing_at_once_keep_one_valid_chain
);

async fn nobody_can_edit_the_trail_and_tampering_is_detected(app: TestApp) {
    app.demo().await;
    let org = app.store.organisations().await.unwrap_or_default()[0].id;
    for n in 0..5 {
        app.store.audit(event(org, n)).await.unwrap();
    }
    let db = Database::connect(&app.database_url).await.unwrap();
    let update = db
        .execute_unprepared(
            "UPDATE audit_event SET detail = 'verborgen' WHERE action = 'audit.viewed'",
        )
        .await;
    assert!(
        update.is_err(),
        "the database refuses to change an audit event"
    );
    let delete = db.execute_unprepared("DELETE FROM audit_event").await;
    assert!(
        delete.is_err(),
        "the database refuses to delete audit events"
    );

    // Someone with the power to drop the trigger can change a row, but not unnoticed.
    let drop = if app.store.is_sqlite() {
        "DROP TRIGGER audit_event_no_UPDATE"
    } else {
        "DROP TRIGGER audit_event_no_change ON audit_event"
    };
    db.execute_unprepared(drop).await.unwrap();
    db.execute_unprepared("UPDATE audit_event SET detail = 'verborgen' WHERE detail = 'n=2'")
        .await
        .unwrap();
    let reports = Store::audit_verify(&app.store).await.unwrap();
    let chain = reports.iter().find(|r| r.org_id == org).expect("no chain");
    assert!(
        chain.broken_at.is_some(),
        "a changed event breaks the chain: {reports:?}"
    );
}
on_both!(
    tamper_evidence,
    nobody_can_edit_the_trail_and_tampering_is_detected
);

/// The demo's worker of Almere Haven, with a password to sign in with.
async fn haven_worker(app: &TestApp) -> Login {
    let email = "wijkwerker.haven@almere.demo.meettheparents.nl";
    let account = app
        .store
        .account_by_email(&mtp_domain::Email::parse(email).unwrap())
        .await
        .ok()
        .flatten()
        .expect("the demo has a worker in Almere Haven");
    let password = "wachtwoord-van-haven";
    app.store
        .set_password(
            account.org_id,
            account.id,
            &mtp_domain::NewPassword::parse(password).unwrap(),
            false,
            None,
        )
        .await
        .unwrap();
    Login {
        email: email.into(),
        password: password.into(),
    }
}

/// Issue #14, finding 10: a coordinator reads the trail of their own neighbourhoods, their
/// own actions, and what happened to the accounts they manage (decision (aj)); not what
/// happens in another neighbourhood, nor the sign-ins of its worker or of the administrator.
async fn a_coordinator_reads_the_trail_of_their_own_neighbourhoods(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let family = crate::activities::family_in(&app, &t, haven, &[("Wendelien", None)], None).await;
    let poort = mtp_store::HouseholdFilter {
        neighbourhood_id: Some(app.neighbourhood(&t, "Almere Poort").await),
        ..Default::default()
    };
    let (rows, _) = app
        .store
        .households(&t, &poort, 1, 0)
        .await
        .unwrap_or_default();
    let poort_family = rows
        .first()
        .map(|h| h.id)
        .expect("the demo has families in Poort");

    let mut sem = app.client();
    sem.login(&haven_worker(&app).await).await;
    assert_eq!(
        sem.get(&format!("/households/{family}")).await.status,
        reqwest::StatusCode::OK
    );
    let mut fatima = app.client();
    fatima.login(&logins["worker"]).await;
    assert_eq!(
        fatima
            .get(&format!("/households/{poort_family}"))
            .await
            .status,
        reqwest::StatusCode::OK
    );
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let mut c = app.client();
    c.login(&logins["coordinator"]).await;

    let viewed = c.get("/audit?action=household.viewed").await.body;
    assert!(
        viewed.contains("Fatima el Amrani"),
        "Poort's worker: {viewed}"
    );
    assert!(!viewed.contains("Sem de Boer"), "Haven's worker: {viewed}");
    assert_eq!(
        viewed.matches("<td>household.viewed</td>").count(),
        1,
        "one view in Poort, none of the family of Haven: {viewed}"
    );
    let sign_ins = c.get("/audit?action=login.succeeded").await.body;
    assert!(
        sign_ins.contains("Fatima el Amrani") && sign_ins.contains("Carla Jansen"),
        "the worker they manage, and themselves: {sign_ins}"
    );
    assert!(
        !sign_ins.contains("Sem de Boer") && !sign_ins.contains("Bram Beheer"),
        "not Haven's worker, not the administrator: {sign_ins}"
    );
    // The administrator reads the whole organisation.
    let all = admin.get("/audit?action=household.viewed").await.body;
    assert!(
        all.contains("Fatima el Amrani") && all.contains("Sem de Boer"),
        "{all}"
    );
    assert_eq!(all.matches("<td>household.viewed</td>").count(), 2);
    let all = admin.get("/audit?action=login.succeeded").await.body;
    assert!(
        all.contains("Sem de Boer") && all.contains("Carla Jansen"),
        "{all}"
    );
}
on_both!(
    coordinator_trail,
    a_coordinator_reads_the_trail_of_their_own_neighbourhoods
);

/// Issue #21: a change and its audit entry commit in one transaction. A change the database
/// refuses leaves no entry; one that goes through has exactly its entry, with the typed
/// action and the new object's id, and the chain still verifies.
async fn a_change_and_its_audit_entry_commit_together(app: TestApp) {
    app.demo().await;
    let org = app.store.organisations().await.unwrap_or_default()[0].id;
    let event = || NewAuditEvent {
        org_id: org,
        actor_id: None,
        actor_role: "admin".into(),
        action: Action::NeighbourhoodCreated,
        object_type: "neighbourhood".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: String::new(),
    };
    let entries = || async {
        app.store
            .audit_entries(
                org,
                &mtp_store::AuditFilter {
                    action: Some(Action::NeighbourhoodCreated.as_str().into()),
                    ..Default::default()
                },
                100,
            )
            .await
            .unwrap()
    };
    let before = entries().await.len();
    let name = mtp_domain::PlaceName::parse("Wijk van issue 21").unwrap();
    let id = app
        .store
        .create_neighbourhood(org, &name, None, Some(event()))
        .await
        .unwrap();
    let after = entries().await;
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[0].object_id, Some(id));
    assert_eq!(
        Action::parse(&after[0].action),
        Some(Action::NeighbourhoodCreated)
    );

    // The same name again: the database refuses the change, and no entry is left behind.
    let again = app
        .store
        .create_neighbourhood(org, &name, None, Some(event()))
        .await;
    assert!(
        matches!(again, Err(mtp_store::StoreError::Duplicate("name"))),
        "{again:?}"
    );
    assert_eq!(entries().await.len(), before + 1);
    let reports = app.store.audit_verify().await.unwrap();
    assert!(reports.iter().all(|r| r.broken_at.is_none()), "{reports:?}");
}
on_both!(
    change_and_entry_together,
    a_change_and_its_audit_entry_commit_together
);

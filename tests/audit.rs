//! The audit trail: a valid chain with several app servers writing at once, tamper evidence,
//! append-only.

use mtp_domain::audit::Outcome;
use mtp_store::{NewAuditEvent, Store};
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::{TestApp, spawn_on};
use crate::on_both;

fn event(org: uuid::Uuid, n: usize) -> NewAuditEvent {
    NewAuditEvent {
        org_id: org,
        actor_id: None,
        actor_role: "test".into(),
        action: "test.event".into(),
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
                    .unwrap_or_else(|e| panic!("append failed: {e}"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap_or_else(|e| panic!("{e}"));
    }
    let reports = app
        .store
        .audit_verify()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let chain = reports
        .iter()
        .find(|r| r.org_id == org)
        .unwrap_or_else(|| panic!("no chain"));
    assert_eq!(chain.broken_at, None, "{reports:?}");
    let written = app
        .store
        .audit_entries(
            org,
            &mtp_store::AuditFilter {
                action: Some("test.event".into()),
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
        app.store
            .audit(event(org, n))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let db = Database::connect(&app.database_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let update = db
        .execute_unprepared(
            "UPDATE audit_event SET detail = 'verborgen' WHERE action = 'test.event'",
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
    db.execute_unprepared(drop)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db.execute_unprepared("UPDATE audit_event SET detail = 'verborgen' WHERE detail = 'n=2'")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reports = Store::audit_verify(&app.store)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let chain = reports
        .iter()
        .find(|r| r.org_id == org)
        .unwrap_or_else(|| panic!("no chain"));
    assert!(
        chain.broken_at.is_some(),
        "a changed event breaks the chain: {reports:?}"
    );
}
on_both!(
    tamper_evidence,
    nobody_can_edit_the_trail_and_tampering_is_detected
);

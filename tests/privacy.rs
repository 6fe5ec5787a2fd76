//! The families' privacy rights: export, erasure on request, retention.

use chrono::{Duration, Utc};
use mtp_domain::Tenant;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both;

async fn almere(app: &TestApp) -> Tenant {
    app.org("Almere").await
}

async fn a_household_can_see_its_data_and_have_it_erased(app: TestApp) {
    let logins = app.demo().await;
    let all = almere(&app).await;
    let (rows, total) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    let h = app.store.household(&all, rows[0].id).await.unwrap();
    let parent = h.parents[0].clone();
    let mut w = app.client();
    w.login(&logins["worker"]).await;

    let page = w.get(&format!("/households/{}/export", h.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&parent.full_name()));
    let json = w.get(&format!("/households/{}/export.json", h.id)).await;
    assert!(
        json.headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment") && !v.contains(&parent.first_name))
    );
    let data: serde_json::Value = serde_json::from_str(&json.body).unwrap_or_default();
    assert_eq!(
        data["parents"][0]["first_name"],
        serde_json::json!(parent.first_name)
    );
    assert_eq!(data["household"]["id"], serde_json::json!(h.id));
    assert!(data["consents"].as_array().is_some_and(|c| !c.is_empty()));

    let confirm = w.get(&format!("/households/{}/erase", h.id)).await;
    assert!(
        confirm.body.contains("Dit kun je niet ongedaan maken.")
            && confirm.body.contains("button--warning")
    );
    let r = w.post(&format!("/households/{}/erase", h.id), &[]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/households")
    );
    assert!(
        w.get("/households")
            .await
            .body
            .contains("De gegevens zijn verwijderd.")
    );

    let after = app.store.household(&all, h.id).await.unwrap();
    assert!(after.anonymised);
    assert!(after.parents.iter().all(|p| p.first_name.is_empty()
        && p.phone.is_none()
        && p.email.is_none()
        && p.last_name.is_none()));
    assert!(after.children.iter().all(|c| c.first_name.is_empty()));
    assert!(after.notes.is_empty() && after.postcode4.is_none());
    assert_eq!(
        after.children.len(),
        h.children.len(),
        "counts for statistics are kept"
    );
    assert_eq!(after.kind, h.kind);
    let (_, total_after) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    assert_eq!(
        total_after,
        total - 1,
        "an erased household leaves the list"
    );
    let page = w.get(&format!("/households/{}", h.id)).await;
    assert!(page.body.contains("Gegevens verwijderd") && !page.body.contains(&parent.full_name()));
    let entries = app
        .store
        .audit_entries(
            all.org_id,
            &mtp_store::AuditFilter {
                object_id: Some(h.id),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap_or_default();
    for action in ["household.exported", "household.erased"] {
        assert!(
            entries.iter().any(|e| e.action == action),
            "{action} is in the audit trail"
        );
    }
    // Hosts cannot export or erase.
    let mut host = app.client();
    host.login(&logins["host"]).await;
    assert_eq!(
        host.get(&format!("/households/{}/export.json", rows[0].id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
on_both!(
    export_and_erase,
    a_household_can_see_its_data_and_have_it_erased
);

async fn retention_anonymises_old_households_once_and_reports_it(app: TestApp) {
    app.demo().await;
    let all = almere(&app).await;
    let (_, total) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    assert!(total > 30);
    // Within the period nothing happens.
    let reports = app
        .store
        .run_retention_as_of(Utc::now() + Duration::days(30 * 20))
        .await
        .unwrap();
    assert!(reports.iter().all(|r| r.anonymised == 0), "{reports:?}");
    // After the default 24 months without activity, everything goes, exactly once, even with
    // two servers running the job at the same moment.
    let later = Utc::now() + Duration::days(30 * 25);
    let second = crate::helpers::spawn_on(app.database_url.clone(), app.data_dir.clone()).await;
    let (a, b) = tokio::join!(
        app.store.run_retention_as_of(later),
        second.store.run_retention_as_of(later)
    );
    let done: u32 = a
        .unwrap_or_default()
        .iter()
        .chain(b.unwrap_or_default().iter())
        .filter(|r| r.org_id == all.org_id)
        .map(|r| r.anonymised)
        .sum();
    assert_eq!(u64::from(done), total, "each household anonymised once");
    let (_, left) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    assert_eq!(left, 0);
    let runs = app
        .store
        .retention_runs(all.org_id, 10)
        .await
        .unwrap_or_default();
    assert!(runs.len() >= 3, "every run is reported");
    let anonymised = app
        .store
        .audit_entries(
            all.org_id,
            &mtp_store::AuditFilter {
                action: Some("household.anonymised".into()),
                ..Default::default()
            },
            500,
        )
        .await
        .unwrap_or_default();
    assert_eq!(anonymised.len() as u64, total);
    assert!(anonymised.iter().all(|e| e.actor_role == "system"));
}
on_both!(
    retention,
    retention_anonymises_old_households_once_and_reports_it
);

//! The demo's side of the handbook's rules as the handbook says them (issue #17): next to the
//! workshop by invitation, a workshop open to everyone (the default for "op maat") and one for
//! single parents only, each with an evening ahead. Made once: a second `mtp demo --force`
//! finds them by name and leaves them.
//!
//! The family the start page proposes as *even stil* needs no step of its own: the year's
//! story already has families who came often and then stayed away (`year.rs`), and the rule
//! (`mtp_domain::quiet`) finds them; docs/guide/demo.md names them.

use chrono::{Duration, NaiveTime, Utc};
use mtp_domain::activity::{ActivityKind, Audience, Cost};
use mtp_domain::{Role, Tenant, schedule};
use mtp_store::{ActivityDraft, Store};
use uuid::Uuid;

/// The two workshops: name, audience, description, days ahead.
const WORKSHOPS: [(&str, Audience, &str, i64); 2] = [
    (
        "Workshop: gezond koken voor weinig geld",
        Audience::Open,
        "Een kok uit de wijk laat zien hoe je gezond kookt met weinig geld. Voor iedereen.",
        23,
    ),
    (
        "Themabijeenkomst: er alleen voor staan",
        Audience::SingleParentOnly,
        "Een avond over opvoeden als je er alleen voor staat. Alleen voor eenoudergezinnen.",
        30,
    ),
];

pub async fn load(store: &Store, org_id: Uuid, poort: Uuid) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let existing: Vec<String> = store
        .activities(&tenant)
        .await?
        .into_iter()
        .map(|a| a.d.name)
        .collect();
    let estimates = store.organisation(org_id).await?.staff_minutes;
    let today = Utc::now().with_timezone(&schedule::TZ).date_naive();
    for (name, audience, description, days) in WORKSHOPS {
        if existing.iter().any(|n| n == name) {
            continue;
        }
        let id = store
            .create_activity(
                &tenant,
                &ActivityDraft {
                    neighbourhood_id: poort,
                    kind: ActivityKind::Workshop,
                    audience,
                    name: name.into(),
                    description: description.into(),
                    place: "Buurthuis De Schakel".into(),
                    address: "Fongersplaats 10, Almere".into(),
                    accessibility: "Ingang zonder drempel.".into(),
                    near_school: true,
                    cost: Cost::FREE,
                    capacity: None,
                    childcare: true,
                    staff: estimates.for_kind(ActivityKind::Workshop),
                },
                None,
            )
            .await?;
        let day = today + Duration::days(days);
        let (start, end) = (
            NaiveTime::from_hms_opt(19, 30, 0).unwrap_or_default(),
            NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
        );
        store
            .plan_sessions(&tenant, id, &[(day, schedule::slot(day, start, end))], None)
            .await?;
    }
    Ok(())
}

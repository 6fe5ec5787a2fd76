//! The demo's questionnaires (issue #19, docs/guide/questionnaires.md): twelve Almere Poort
//! parents answered twice — at intake about five months ago and again two weeks ago — so the
//! outcome figures on /reports show the paired change (ten or more parents with both). Most
//! feel a little better the second time; two do not. Two more families answered once only,
//! so they are not in the pairs. Made once: a second `mtp demo --force` adds nothing.

use chrono::{Duration, NaiveDate};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::questionnaire::EnteredBy;
use mtp_domain::{HouseholdStatus, Role, Tenant};
use mtp_store::{HouseholdFilter, NewAuditEvent, Store};
use uuid::Uuid;

fn cli_event(org_id: Uuid, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "household".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: String::new(),
    }
}

/// One parent's answers: health, the six loneliness items, the three support items, the two
/// activity items and the six life domains. `better` is the second round of a parent for whom
/// things improved.
fn answers(i: usize, second: bool, better: bool) -> Vec<(&'static str, Option<u8>)> {
    let lift = u8::from(second && better);
    // Health: fair or poor at intake (a few good), a step up later for most.
    let health = [3u8, 3, 4, 3, 2, 3, 4, 3, 3, 2, 3, 4][i % 12] - lift;
    // Loneliness: 1 yes, 2 more or less, 3 no. Emotional items 1, 4, 6 lonely when not "no";
    // social items 2, 3, 5 lonely when not "yes".
    let lonely_first = [2u8, 1, 2, 2, 3, 2, 1, 2, 2, 3, 2, 1][i % 12];
    let emotional = if lift == 1 { 3 } else { lonely_first };
    let social = if lift == 1 {
        1
    } else {
        4 - lonely_first.min(3)
    };
    let support = |base: u8| base + 2 * lift;
    let mut out = vec![
        ("health", Some(health)),
        ("djg1", Some(emotional)),
        ("djg2", Some(social)),
        ("djg3", Some(1)),
        ("djg4", Some(3)),
        ("djg5", Some(social)),
        // One parent skipped the last loneliness item at intake: the total still counts.
        ("djg6", (i != 4 || second).then_some(emotional)),
        ("osss1", Some(support(2).min(4))),
        ("osss2", Some(support(3).min(5))),
        ("osss3", Some(support(2).min(5))),
        ("active_days", Some(2 + 2 * lift + (i % 3) as u8)),
        ("strength_days", Some(1 + lift)),
    ];
    for (n, key) in [
        "body",
        "mental",
        "meaning",
        "quality_of_life",
        "taking_part",
        "daily_functioning",
    ]
    .into_iter()
    .enumerate()
    {
        out.push((key, Some(5 + ((i + n) % 3) as u8 + lift)));
    }
    out
}

pub async fn load(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let admin = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let filter = HouseholdFilter {
        neighbourhood_id: Some(poort),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (families, _) = store.households(&admin, &filter, 14, 0).await?;
    let Some(worker) = store
        .accounts(org_id)
        .await?
        .into_iter()
        .find(|a| a.role == Role::Worker && a.neighbourhoods.contains(&poort))
    else {
        return Ok(());
    };
    let tenant = Tenant {
        org_id,
        role: Role::Worker,
        neighbourhoods: vec![poort],
    };
    if let Some(first) = families.first()
        && !store.household_rounds(&tenant, first.id).await?.is_empty()
    {
        return Ok(());
    }
    for (i, family) in families.iter().enumerate() {
        let intake = today - Duration::days(150 + (i as i64 % 4) * 7);
        let how = if i % 2 == 0 {
            EnteredBy::WorkerFromPaper
        } else {
            EnteredBy::WorkerWithParent
        };
        store
            .start_round(
                &tenant,
                worker.id,
                family.id,
                how,
                intake,
                &answers(i, false, false),
                cli_event(org_id, Action::QuestionnaireAnswered),
            )
            .await?;
        if i < 12 {
            // Ten of the twelve feel better the second time.
            let better = !matches!(i, 5 | 9);
            store
                .start_round(
                    &tenant,
                    worker.id,
                    family.id,
                    EnteredBy::WorkerWithParent,
                    today - Duration::days(14 + i as i64),
                    &answers(i, true, better),
                    cli_event(org_id, Action::QuestionnaireAnswered),
                )
                .await?;
        }
    }
    Ok(())
}

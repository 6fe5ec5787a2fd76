//! The demo's new site (issue #19, docs/guide/scan.md): Almere Buiten, where the team is just
//! starting. Its scan is read from the sample CBS files of the tests (made-up numbers in the
//! real export format), which fills its target-group estimate; two key-informant
//! conversations, an action plan, and the start-up checklist half done (4 of 7 steps).
//! Made once: a second `mtp demo --force` finds each part and leaves it.

use chrono::{Duration, NaiveDate};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::scan::{InformantDraft, PlanDraft, StartStep};
use mtp_domain::{Role, Tenant, cbs};
use mtp_store::{NewAuditEvent, PartnerFilter, Store};
use uuid::Uuid;

const KERNCIJFERS: &str =
    include_str!("../../../../tests/fixtures/cbs/85984NED_kerncijfers_2024.csv");
const HOUSEHOLDS: &str =
    include_str!("../../../../tests/fixtures/cbs/71487ned_huishoudens_2023.csv");

/// The new neighbourhood's CBS code (a district of Almere, GM0034).
pub const BUITEN_CODE: &str = "WK003403";

fn event(org_id: Uuid, nb: Uuid, action: Action, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "neighbourhood".into(),
        object_id: Some(nb),
        neighbourhood_id: Some(nb),
        outcome: Outcome::Allowed,
        detail: detail.into(),
    }
}

pub async fn load(store: &Store, org_id: Uuid, today: NaiveDate) -> anyhow::Result<Uuid> {
    let buiten = super::neighbourhood(store, org_id, "Almere Buiten", Some(BUITEN_CODE)).await?;
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if store.scan_figures(&tenant, buiten).await?.is_none() {
        let err = |e: cbs::CbsError| anyhow::anyhow!("demo CBS sample: {e:?}");
        let k = cbs::read_kerncijfers(KERNCIJFERS.as_bytes(), None).map_err(err)?;
        let h = cbs::read_households(HOUSEHOLDS.as_bytes(), None).map_err(err)?;
        let scan = cbs::scan(&k, Some(&h), BUITEN_CODE).map_err(err)?;
        store
            .import_scan(
                &tenant,
                None,
                "Carla Jansen",
                buiten,
                2024,
                &scan,
                // The scan was done a month ago: the import ticks its start-up step then.
                today - Duration::days(30),
                event(org_id, buiten, Action::ScanImported, "demo"),
            )
            .await?;
    }
    if store.informants(&tenant, buiten).await?.is_empty() {
        let debt_help = store
            .partners(&tenant, &PartnerFilter::default())
            .await?
            .into_iter()
            .find(|p| p.name == "Schuldhulp Almere")
            .map(|p| p.id);
        let talks = [
            InformantDraft {
                name: "Intern begeleider".into(),
                organisation: "Basisschool De Sterrenkijker".into(),
                partner_id: None,
                held_on: today - Duration::days(40),
                sees: "Veel moeders brengen hun kinderen alleen. Na schooltijd blijven ze \
                       niet hangen: ze moeten snel door naar werk of huis. Een koffie-uurtje \
                       op de school zou passen."
                    .into(),
            },
            InformantDraft {
                name: "Schuldhulpverlener".into(),
                organisation: "Schuldhulp Almere".into(),
                partner_id: debt_help,
                held_on: today - Duration::days(33),
                sees: "Eenoudergezinnen komen laat, als de schulden al hoog zijn. Ze schamen \
                       zich. Een plek waar ze andere ouders treffen helpt om eerder hulp te \
                       vragen."
                    .into(),
            },
        ];
        for t in &talks {
            store
                .add_informant(
                    &tenant,
                    None,
                    buiten,
                    t,
                    event(org_id, buiten, Action::ScanInformantAdded, "demo"),
                )
                .await?;
        }
    }
    if store
        .action_plan(&tenant, buiten)
        .await?
        .updated_at
        .is_none()
    {
        let plan = PlanDraft {
            goals: "Eenoudergezinnen in Almere Buiten ontmoeten elkaar en ontspannen.\n\
                    Binnen een jaar komen 25 gezinnen minstens één keer."
                .into(),
            modules: "Koffie-uurtje op woensdagochtend.\nWhatsApp-groep.\nIn de zomer een uitje."
                .into(),
            location: "Basisschool De Sterrenkijker: de ouderkamer, dicht bij het schoolplein, \
                       gelijkvloers."
                .into(),
            partners: "De school, het wijkteam, de JGZ en Schuldhulp Almere.".into(),
            start_on: Some(today + Duration::days(28)),
        };
        store
            .save_action_plan(
                &tenant,
                None,
                buiten,
                &plan,
                event(org_id, buiten, Action::ScanPlanSaved, "demo"),
            )
            .await?;
    }
    let done = [
        (StartStep::ScanDone, 30),
        (StartStep::PartnersInformed, 21),
        (StartStep::LocationChosen, 14),
        (StartStep::HostsFound, 7),
    ];
    for (step, days_ago) in done {
        store
            .set_start_step(
                &tenant,
                None,
                "Carla Jansen",
                buiten,
                step,
                true,
                today - Duration::days(days_ago),
                event(org_id, buiten, Action::StartStepTicked, step.as_str()),
            )
            .await?;
    }
    Ok(buiten)
}

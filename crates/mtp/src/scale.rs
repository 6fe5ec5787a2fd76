//! Generated programmes for benchmarks: many neighbourhoods, each with a weekly coffee hour
//! over several years, a dozen households and their attendance. Deterministic, loaded in bulk.
//! Only for throw-away benchmark databases (`mtp generate --neighbourhoods … --years …`).

use chrono::{Duration, NaiveTime, Utc, Weekday};
use mtp_domain::activity::{ActivityKind, Cost};
use mtp_domain::attendance::{AbsenceReason, AttendanceStatus};
use mtp_domain::consent::ConsentMethod;
use mtp_domain::schedule::{self, Weekly};
use mtp_domain::{Channel, HouseholdKind, PersonName, PlaceName, Role, Source, Tenant};
use mtp_store::{ActivityDraft, HouseholdDraft, ParentDraft, PastAttendance, Store};
use uuid::Uuid;

/// Households per generated neighbourhood, and how many of them come in a given week.
const HOUSEHOLDS: usize = 12;

/// What the generator made.
#[derive(Debug, Default)]
pub struct Generated {
    pub neighbourhoods: usize,
    pub sessions: u64,
    pub attendance: u64,
}

fn coffee_hour(neighbourhood_id: Uuid, name: &str) -> ActivityDraft {
    let kind = ActivityKind::CoffeeHourExclusive;
    ActivityDraft {
        neighbourhood_id,
        kind,
        audience: kind.default_audience(),
        name: name.into(),
        description: String::new(),
        place: "Buurthuis".into(),
        address: String::new(),
        accessibility: String::new(),
        near_school: false,
        cost: Cost::FREE,
        capacity: None,
        childcare: false,
        co_organisers: String::new(),
        staff: kind.default_staff_minutes(),
    }
}

/// Grow the demo organisation to `neighbourhoods` neighbourhoods (Almere Poort counts as the
/// first) with `years` years of weekly coffee hours each, up to eight weeks ahead. Almere Poort's
/// coffee hour gets 60 registered households, the size the session-page benchmark asks for.
pub async fn programme(
    store: &Store,
    neighbourhoods: usize,
    years: u32,
) -> anyhow::Result<Generated> {
    let org = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.name == "Welzijn Almere (demo)")
        .ok_or_else(|| anyhow::anyhow!("load the demo first: mtp demo"))?;
    let tenant = Tenant {
        org_id: org.id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let existing = store.neighbourhoods(&tenant).await?;
    let poort = existing
        .iter()
        .find(|n| n.name == "Almere Poort")
        .map(|n| n.id)
        .ok_or_else(|| anyhow::anyhow!("the demo has no Almere Poort"))?;
    let mut out = Generated::default();
    let today = Utc::now().with_timezone(&schedule::TZ).date_naive();
    let start = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN);
    let end = NaiveTime::from_hms_opt(10, 30, 0).unwrap_or(NaiveTime::MIN);
    let weeks = i64::from(years) * 52;
    let rule = Weekly {
        weekday: Weekday::Wed,
        start,
        end,
        from: today - Duration::weeks(weeks - 8),
        until: today + Duration::weeks(8),
        skip_school_holidays: None,
    };
    let dates = rule.dates().map_err(|e| anyhow::anyhow!("schedule: {e}"))?;
    let slots: Vec<_> = dates
        .iter()
        .map(|d| (*d, schedule::slot(*d, start, end)))
        .collect();
    let person = |s: &str| PersonName::parse(s).map_err(|e| anyhow::anyhow!("{e}"));
    let reasons = AbsenceReason::ALL;
    let now = Utc::now();

    // Poort: 60 households on the coffee hour's list.
    if let Some(coffee) = store
        .activities(&tenant)
        .await?
        .into_iter()
        .find(|a| a.d.name == "Koffie-uurtje Poort")
    {
        let have = store.registrants(&tenant, coffee.id).await?.len();
        let missing = 60usize.saturating_sub(have);
        let drafts: Vec<HouseholdDraft> = (0..missing)
            .map(|k| household(poort, &format!("Extra {k}"), &person))
            .collect::<anyhow::Result<_>>()?;
        let ids = store.create_households_bulk(&tenant, &drafts).await?;
        store.register_bulk(&tenant, coffee.id, &ids).await?;
    }

    for n in existing.len()..neighbourhoods {
        let name =
            PlaceName::parse(&format!("Wijk {:04}", n + 1)).map_err(|e| anyhow::anyhow!("{e}"))?;
        let nb = store.create_neighbourhood(org.id, &name, None).await?;
        let activity = store
            .create_activity(
                &tenant,
                &coffee_hour(nb, &format!("Koffie-uurtje {}", name.as_str())),
            )
            .await?;
        out.sessions += store.plan_sessions(&tenant, activity, &slots).await?;
        let drafts: Vec<HouseholdDraft> = (0..HOUSEHOLDS)
            .map(|k| household(nb, &format!("W{n} H{k}"), &person))
            .collect::<anyhow::Result<_>>()?;
        let households = store.create_households_bulk(&tenant, &drafts).await?;
        store.register_bulk(&tenant, activity, &households).await?;
        let sessions = store
            .activity_sessions(&tenant, activity, now - Duration::weeks(weeks + 1), 10_000)
            .await?;
        let mut rows = Vec::new();
        for (w, s) in sessions.iter().enumerate().filter(|(_, s)| s.ends_at < now) {
            for (k, h) in households.iter().enumerate() {
                let roll = (k * 31 + w * 17 + n * 7) % 10;
                let (status, reason) = match roll {
                    0..=5 => (AttendanceStatus::Present, None),
                    6 | 7 => (
                        AttendanceStatus::Excused,
                        Some(reasons[(k + w) % reasons.len()]),
                    ),
                    _ => (AttendanceStatus::Absent, None),
                };
                rows.push(PastAttendance {
                    session_id: s.id,
                    session_start: s.starts_at,
                    household_id: *h,
                    status,
                    reason,
                    children: u32::try_from(roll % 3).unwrap_or(0),
                });
            }
        }
        out.attendance += store.load_attendance(org.id, &rows).await?;
        out.neighbourhoods += 1;
    }
    store.analyze().await?;
    Ok(out)
}

fn household(
    neighbourhood_id: Uuid,
    last: &str,
    person: &dyn Fn(&str) -> anyhow::Result<PersonName>,
) -> anyhow::Result<HouseholdDraft> {
    Ok(HouseholdDraft {
        neighbourhood_id,
        kind: HouseholdKind::SingleParent,
        source: Source::NeighbourhoodTeam,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents: vec![ParentDraft {
            first_name: person("Ouder")?,
            last_name: Some(person(last)?),
            phone: None,
            email: None,
            channel: Channel::WhatsApp,
            languages: String::new(),
            works: false,
            free_days: vec![],
        }],
        children: vec![],
        data_consent: ConsentMethod::Paper,
    })
}

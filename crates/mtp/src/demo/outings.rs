//! The demo's outings, holiday list and monthly series (issue #18, docs/guide/outings.md):
//! - a past outing to the beach with its co-organising parents, drivers, a family that
//!   needed a lift, the budget, the costs booked and who came;
//! - the coming outing to the petting farm planned with two parents, with its budget and
//!   checklist (the demo's main story made the activity and its waiting list);
//! - a cooking workshop once a month on the second Thursday, planned around the school
//!   holidays;
//! - the organisation's holiday list: Suikerfeest with its dates and a holiday of its own.
//!
//! Made once: a second `mtp demo --force` finds them by name and leaves them.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use mtp_domain::activity::{ActivityKind, Audience, Cost};
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::outing::{Budget, HolidayRule, RideKind};
use mtp_domain::schedule::{self, Holidays, Nth, Repeat, Weekly};
use mtp_domain::{HolidayRegion, Role, Tenant};
use mtp_store::outings::OutingDraft;
use mtp_store::{ActivityDraft, NewAuditEvent, Store};
use uuid::Uuid;

pub const BEACH: &str = "Uitje naar het strand";
pub const FARM: &str = "Uitje naar de kinderboerderij";
/// The story's weekly coffee hour (made by the main demo step), which Sanne and Naima help
/// organise.
pub const COFFEE: &str = "Koffie-uurtje Poort";
pub const COOKING: &str = "Kookworkshop (1 keer per maand)";
pub const OWN_HOLIDAY: &str = "Zomerfeest in de wijk";

/// The checklist's lines as a Dutch-speaking worker gets them.
const CHECKLIST_NL: [&str; 5] = [
    "Kaartjes gereserveerd of gekocht",
    "Vervoer geregeld",
    "Verzamelplek en tijd doorgegeven aan de gezinnen",
    "Telefoonnummers voor noodgevallen bij de hand",
    "EHBO-doos mee",
];

fn event(
    tenant: &Tenant,
    action: Action,
    object: &str,
    id: Uuid,
    nb: Option<Uuid>,
) -> NewAuditEvent {
    NewAuditEvent {
        org_id: tenant.org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: object.into(),
        object_id: Some(id),
        neighbourhood_id: nb,
        outcome: Outcome::Allowed,
        detail: "demo".into(),
    }
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn draft(poort: Uuid, kind: ActivityKind, name: &str, place: &str) -> ActivityDraft {
    ActivityDraft {
        neighbourhood_id: poort,
        kind,
        audience: kind.default_audience(),
        name: name.into(),
        description: String::new(),
        place: place.into(),
        address: String::new(),
        accessibility: String::new(),
        near_school: false,
        cost: Cost::FREE,
        capacity: None,
        childcare: false,
        staff: kind.default_staff_minutes(),
    }
}

pub async fn load(store: &Store, org_id: Uuid, poort: Uuid) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    holiday_list(store, &tenant).await?;
    let activities = store.activities(&tenant).await?;
    let find = |name: &str| activities.iter().find(|a| a.d.name == name).map(|a| a.id);
    // Single-parent families (an outing's audience) among those who came most recently:
    // regulars, so a visit more changes none of the story's numbers (docs/guide/demo.md)
    // nor turns someone who stayed away into a regular.
    let mut families = Vec::new();
    for h in store
        .neighbourhood_households(&tenant, poort, &[], 16)
        .await?
    {
        if store.household(&tenant, h.id).await?.kind == mtp_domain::HouseholdKind::SingleParent {
            families.push(h);
        }
    }
    families.truncate(10);
    let today = Utc::now().with_timezone(&schedule::TZ).date_naive();
    if find(BEACH).is_none() && families.len() >= 8 {
        beach(store, &tenant, poort, &families, today).await?;
    }
    if let Some(farm) = find(FARM)
        && families.len() >= 8
        && store.outing(&tenant, farm, None).await?.draft.is_none()
    {
        petting_farm(store, &tenant, poort, farm, &families).await?;
    }
    if find(COOKING).is_none() {
        cooking(store, &tenant, poort, today).await?;
    }
    for (activity, names) in [(COFFEE, ["Sanne", "Naima"].as_slice()), (FARM, &["Fatima"])] {
        if let Some(id) = find(activity) {
            named_organisers(store, &tenant, poort, id, names).await?;
        }
    }
    Ok(())
}

/// Parents who help organise an activity, linked by the first name the story gives them (the
/// first family of the neighbourhood with a parent of that name). Linking twice changes
/// nothing, so a second `mtp demo --force` leaves them.
async fn named_organisers(
    store: &Store,
    tenant: &Tenant,
    poort: Uuid,
    activity: Uuid,
    names: &[&str],
) -> anyhow::Result<()> {
    let households = store
        .neighbourhood_households(tenant, poort, &[], 500)
        .await?;
    for name in names {
        let found = households.iter().find(|h| {
            h.first_names
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == *name)
        });
        if let Some(h) = found {
            store
                .add_organiser(
                    tenant,
                    activity,
                    h.id,
                    event(
                        tenant,
                        Action::OutingOrganiserAdded,
                        "household",
                        h.id,
                        Some(poort),
                    ),
                )
                .await?;
        }
    }
    Ok(())
}

/// Suikerfeest's dates, and a summer party of the neighbourhood's own.
async fn holiday_list(store: &Store, tenant: &Tenant) -> anyhow::Result<()> {
    let list = store.holiday_list(tenant).await?;
    if list
        .iter()
        .any(|h| h.own.as_ref().is_some_and(|(_, n)| n == OWN_HOLIDAY))
    {
        return Ok(());
    }
    let org = tenant.org_id;
    store
        .add_holiday(
            tenant,
            OWN_HOLIDAY,
            HolidayRule::Fixed(7, 5),
            event(
                tenant,
                Action::HolidayListChanged,
                "organisation",
                org,
                None,
            ),
        )
        .await?;
    // Suikerfeest moves about eleven days a year; the coordinator enters its dates.
    for (y, m, d) in [(2026, 3, 20), (2027, 3, 10), (2028, 2, 27)] {
        if let Some(day) = chrono::NaiveDate::from_ymd_opt(y, m, d) {
            store
                .set_holiday_date(
                    tenant,
                    "holiday-suikerfeest",
                    day,
                    event(
                        tenant,
                        Action::HolidayListChanged,
                        "organisation",
                        org,
                        None,
                    ),
                )
                .await?;
        }
    }
    Ok(())
}

/// The beach outing's day: five weeks ago, but not before the first of January, so that in
/// the first weeks of a year its costs still fall in this year's budget, where the money
/// demo gives it its own budget (`demo/money.rs`).
fn beach_day(today: NaiveDate) -> NaiveDate {
    let new_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    (today - Duration::days(35)).max(new_year)
}

/// The outing to the beach, five weeks ago: planned with two parents, a parent and a
/// volunteer drove, one family needed a lift; six families came; the costs are booked.
async fn beach(
    store: &Store,
    tenant: &Tenant,
    poort: Uuid,
    families: &[mtp_store::HouseholdName],
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let id = store
        .create_activity(
            tenant,
            &ActivityDraft {
                description: "Een dag naar het strand, samen met de ouders bedacht.".into(),
                ..draft(poort, ActivityKind::Outing, BEACH, "Almeerderstrand")
            },
            None,
        )
        .await?;
    let day = beach_day(today);
    store
        .plan_sessions(
            tenant,
            id,
            &[(day, schedule::slot(day, time(10, 0), time(16, 0)))],
            None,
        )
        .await?;
    let nb = Some(poort);
    let going: Vec<Uuid> = families.iter().take(8).map(|h| h.id).collect();
    for h in &going {
        store.register(tenant, None, id, *h, None).await?;
    }
    let a_event = |action| event(tenant, action, "activity", id, nb);
    store
        .save_outing(
            tenant,
            id,
            &OutingDraft {
                destination: "Almeerderstrand".into(),
                meeting_point: "Voor het buurthuis, 9.45 uur".into(),
                public_transport: "Bus 24 vanaf station Poort, 10.07 uur".into(),
                budget: Budget {
                    ticket_cents: 0,
                    transport_cents: 9_000,
                    subsidy_cents: 12_000,
                    affordable_cents: 500,
                },
            },
            &CHECKLIST_NL.map(String::from),
            a_event(Action::OutingSaved),
        )
        .await?;
    for h in going.iter().take(2) {
        store
            .add_organiser(
                tenant,
                id,
                *h,
                event(tenant, Action::OutingOrganiserAdded, "household", *h, nb),
            )
            .await?;
    }
    if let Some(driver) = going.get(2) {
        store
            .add_ride(
                tenant,
                id,
                RideKind::Driver,
                Some(*driver),
                None,
                3,
                a_event(Action::OutingRideAdded),
            )
            .await?;
    }
    store
        .add_ride(
            tenant,
            id,
            RideKind::Driver,
            None,
            Some("Henk (vrijwilliger)".into()),
            4,
            a_event(Action::OutingRideAdded),
        )
        .await?;
    if let Some(lift) = going.get(5) {
        store
            .add_ride(
                tenant,
                id,
                RideKind::Lift,
                Some(*lift),
                None,
                1,
                a_event(Action::OutingRideAdded),
            )
            .await?;
    }
    for c in store.outing(tenant, id, None).await?.checks {
        store
            .set_check(
                tenant,
                id,
                c.id,
                Some(true),
                a_event(Action::OutingCheckChanged),
            )
            .await?;
    }
    for (what, cents) in [
        ("Ijsjes voor de kinderen", 3_450),
        ("Benzinegeld voor de chauffeurs", 4_000),
        ("Picknick: brood, fruit en drinken", 6_275),
    ] {
        store
            .book_cost(
                tenant,
                None,
                id,
                what,
                cents,
                day,
                a_event(Action::OutingCostBooked),
            )
            .await?;
    }
    // Who came: six of the eight families.
    if let Some(session) = store.first_session(tenant, id).await? {
        let s = store.session_summary(tenant, session).await?;
        for (i, h) in going.iter().enumerate().filter(|(i, _)| *i != 3 && *i != 6) {
            let checkin = mtp_store::Checkin {
                session_id: s.id,
                household_id: *h,
                status: Some(AttendanceStatus::Present),
                reason: None,
                adults: 1,
                children: u32::try_from(1 + i % 3).unwrap_or(1),
                parents: None,
                key: None,
                at: None,
            };
            store
                .record_attendance(
                    tenant,
                    &s,
                    None,
                    &checkin,
                    event(tenant, Action::AttendanceLoaded, "household", *h, nb),
                )
                .await?;
        }
        store
            .set_session_state(tenant, s.id, SessionState::Held, None)
            .await?;
    }
    Ok(())
}

/// The coming outing to the petting farm: two parents organise it, a parent drives and a
/// family needs a lift; entrance € 4,50 a person against € 5 a family.
async fn petting_farm(
    store: &Store,
    tenant: &Tenant,
    poort: Uuid,
    id: Uuid,
    families: &[mtp_store::HouseholdName],
) -> anyhow::Result<()> {
    let nb = Some(poort);
    let a_event = |action| event(tenant, action, "activity", id, nb);
    store
        .save_outing(
            tenant,
            id,
            &OutingDraft {
                destination: "Kinderboerderij Almere".into(),
                meeting_point: "Bij de ingang van het buurthuis, 9.45 uur".into(),
                public_transport: "Bus 22 vanaf station Poort".into(),
                budget: Budget {
                    ticket_cents: 450,
                    transport_cents: 2_000,
                    subsidy_cents: 3_000,
                    affordable_cents: 500,
                },
            },
            &CHECKLIST_NL.map(String::from),
            a_event(Action::OutingSaved),
        )
        .await?;
    for h in families.iter().skip(6).take(2) {
        store
            .add_organiser(
                tenant,
                id,
                h.id,
                event(tenant, Action::OutingOrganiserAdded, "household", h.id, nb),
            )
            .await?;
    }
    if let Some(driver) = families.get(6) {
        store
            .add_ride(
                tenant,
                id,
                RideKind::Driver,
                Some(driver.id),
                None,
                2,
                a_event(Action::OutingRideAdded),
            )
            .await?;
    }
    if let Some(lift) = families.get(4) {
        store
            .add_ride(
                tenant,
                id,
                RideKind::Lift,
                Some(lift.id),
                None,
                1,
                a_event(Action::OutingRideAdded),
            )
            .await?;
    }
    if let Some(first) = store.outing(tenant, id, None).await?.checks.first() {
        store
            .set_check(
                tenant,
                id,
                first.id,
                Some(true),
                a_event(Action::OutingCheckChanged),
            )
            .await?;
    }
    Ok(())
}

/// The handbook's "kookworkshop 1x per maand": the second Thursday, from this month for ten
/// months, without the school holidays.
async fn cooking(
    store: &Store,
    tenant: &Tenant,
    poort: Uuid,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let id = store
        .create_activity(
            tenant,
            &ActivityDraft {
                audience: Audience::Open,
                description: "Samen koken en eten, elke tweede donderdag van de maand.".into(),
                ..draft(
                    poort,
                    ActivityKind::Workshop,
                    COOKING,
                    "Buurthuis De Schakel",
                )
            },
            None,
        )
        .await?;
    let own = store
        .school_holidays(tenant)
        .await?
        .into_iter()
        .map(|s| s.period)
        .collect();
    let series = Weekly {
        weekday: chrono::Weekday::Thu,
        start: time(17, 30),
        end: time(19, 30),
        from: today,
        until: today + Duration::days(300),
        skip_school_holidays: Some(Holidays::new(HolidayRegion::Noord, own)),
    }
    .series(Repeat::Monthly(Nth::Second));
    let slots: Vec<_> = series
        .dates()
        .map_err(|e| anyhow::anyhow!("demo cooking series: {e:?}"))?
        .into_iter()
        .map(|d| (d, schedule::slot(d, time(17, 30), time(19, 30))))
        .collect();
    store
        .plan_sessions(
            tenant,
            id,
            &slots,
            Some(&|added| {
                Some(NewAuditEvent {
                    detail: format!("demo added={added} repeat=m2"),
                    ..event(
                        tenant,
                        Action::ActivitySessionsPlanned,
                        "activity",
                        id,
                        Some(poort),
                    )
                })
            }),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_beach_outing_stays_in_this_year() {
        assert_eq!(beach_day(d(2026, 12, 6)), d(2026, 11, 1), "five weeks ago");
        assert_eq!(beach_day(d(2027, 1, 20)), d(2027, 1, 1), "not in last year");
        assert_eq!(beach_day(d(2027, 1, 1)), d(2027, 1, 1));
        assert_eq!(beach_day(d(2027, 2, 5)), d(2027, 1, 1));
        assert_eq!(beach_day(d(2027, 2, 6)), d(2027, 1, 2));
    }
}

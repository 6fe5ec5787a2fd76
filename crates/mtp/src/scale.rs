//! Generated programmes for benchmarks: many neighbourhoods, each with a weekly coffee hour
//! over several years, a dozen households and their attendance. Deterministic, loaded in bulk.
//! Only for throw-away benchmark databases (`mtp generate --neighbourhoods … --years …`).

use chrono::{Datelike, Duration, NaiveTime, Utc, Weekday};
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
        let nb = store
            .create_neighbourhood(org.id, &name, None, None)
            .await?;
        let activity = store
            .create_activity(
                &tenant,
                &coffee_hour(nb, &format!("Koffie-uurtje {}", name.as_str())),
                None,
            )
            .await?;
        out.sessions += store.plan_sessions(&tenant, activity, &slots, None).await?;
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

/// The shape of the national data set (issue #7): organisations × neighbourhoods each ×
/// households each, and years of weekly coffee hours. `NATIONAL` is the full size; the test
/// and the 1/10 measurement use smaller shapes of the same kind, so every neighbourhood looks
/// alike whatever the size.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub orgs: usize,
    pub per_org: usize,
    pub per_neighbourhood: usize,
    pub years: u32,
}

impl Shape {
    /// 50 organisations, 1,000 neighbourhoods, 500,000 households, 10 years of weekly
    /// sessions: about 520,000 sessions and 25 million attendance rows.
    pub const NATIONAL: Shape = Shape {
        orgs: 50,
        per_org: 20,
        per_neighbourhood: 500,
        years: 10,
    };
}

/// What `national` made, counted as it went.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct National {
    pub orgs: usize,
    pub neighbourhoods: usize,
    pub households: u64,
    pub sessions: u64,
    pub attendance: u64,
    pub contacts: u64,
    pub consents: u64,
}

/// How long a household keeps coming, in weeks. With 500 households over ten years this
/// leaves about 48 households on a week's list, which gives the issue's ~25 million
/// attendance rows (1,000 × ~512 past weeks × ~48).
const ACTIVE_WEEKS: i64 = 55;

/// The names of the generated organisations; a second run finds them and stops.
pub fn national_org_name(o: usize) -> String {
    format!("Landelijk netwerk {:02}", o + 1)
}

/// A fixed mixing of numbers (splitmix64's finaliser): the same inputs always give the same
/// "random" choices, so two loads of the same shape hold the same families and history.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The weeks (indexes into the past sessions) in which household `k` of a neighbourhood
/// comes: windows of `ACTIVE_WEEKS` spread evenly over the history, starting before it so
/// the first weeks have a full list too.
fn active_window(k: usize, per_neighbourhood: usize, past_weeks: usize) -> (i64, i64) {
    let span = past_weeks as i64 + ACTIVE_WEEKS;
    let start = (k as i64 * span) / per_neighbourhood.max(1) as i64 - ACTIVE_WEEKS + 8;
    (start, start + ACTIVE_WEEKS)
}

/// Generate the national data set (or a smaller one of the same shape) into an empty or
/// demo-only database: every organisation, neighbourhood, household with parents, children,
/// consents and search words, a weekly coffee hour per neighbourhood with its sessions, the
/// registrations of the households that come now, attendance, contact moments with their
/// audit entries, and consents for the chat group, photos and research. Deterministic: the
/// same shape gives the same names, numbers and history (ids are fresh UUIDv7s).
/// Each neighbourhood is loaded in a few transactions of multi-row statements.
pub async fn national(store: &Store, shape: Shape) -> anyhow::Result<National> {
    use mtp_domain::HolidayRegion;

    let known = store.organisations().await?;
    if known.iter().any(|o| o.name == national_org_name(0)) {
        anyhow::bail!("this database already holds the generated organisations");
    }
    let mut out = National::default();
    let today = Utc::now().with_timezone(&schedule::TZ).date_naive();
    let start = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN);
    let end = NaiveTime::from_hms_opt(11, 0, 0).unwrap_or(NaiveTime::MIN);
    let weeks = i64::from(shape.years.max(1)) * 52;
    let rule = Weekly {
        weekday: Weekday::Tue,
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
    let run = Run {
        store,
        shape,
        today,
        weeks,
        slots,
        now: Utc::now(),
    };
    let started = std::time::Instant::now();

    for o in 0..shape.orgs {
        let name = PlaceName::parse(&national_org_name(o)).map_err(|e| anyhow::anyhow!("{e}"))?;
        let region = HolidayRegion::ALL[o % HolidayRegion::ALL.len()];
        let org_id = store.create_organisation(&name, region).await?;
        out.orgs += 1;
        for n in 0..shape.per_org {
            national_neighbourhood(&run, org_id, o, n, &mut out).await?;
        }
        eprintln!(
            "organisation {}/{}: {} households, {} attendance rows so far ({:.0} s)",
            o + 1,
            shape.orgs,
            out.households,
            out.attendance,
            started.elapsed().as_secs_f64()
        );
    }
    store.analyze().await?;
    Ok(out)
}

/// What every neighbourhood of one `national` run shares.
struct Run<'a> {
    store: &'a Store,
    shape: Shape,
    today: chrono::NaiveDate,
    weeks: i64,
    slots: Vec<(chrono::NaiveDate, schedule::Slot)>,
    now: chrono::DateTime<Utc>,
}

/// Neighbourhood `n` of organisation `o`: its coffee hour with sessions, its households and
/// their history, counted into `out`.
async fn national_neighbourhood(
    run: &Run<'_>,
    org_id: Uuid,
    o: usize,
    n: usize,
    out: &mut National,
) -> anyhow::Result<()> {
    let (store, shape, now) = (run.store, run.shape, run.now);
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let nb_name = PlaceName::parse(&format!("Wijk {:02}-{:02}", o + 1, n + 1))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let nb = store
        .create_neighbourhood(org_id, &nb_name, None, None)
        .await?;
    let activity = store
        .create_activity(
            &tenant,
            &coffee_hour(nb, &format!("Koffie-uurtje {}", nb_name.as_str())),
            None,
        )
        .await?;
    out.sessions += store
        .plan_sessions(&tenant, activity, &run.slots, None)
        .await?;

    // The households, each with a number unique in the data set.
    let base = (o * shape.per_org + n) * shape.per_neighbourhood;
    let drafts: Vec<HouseholdDraft> = (0..shape.per_neighbourhood)
        .map(|k| national_household(base + k, nb, run.today))
        .collect::<anyhow::Result<_>>()?;
    let households = store.create_households_bulk(&tenant, &drafts).await?;
    out.households += households.len() as u64;

    let sessions = store
        .activity_sessions(
            &tenant,
            activity,
            now - Duration::weeks(run.weeks + 1),
            100_000,
        )
        .await?;
    let past: Vec<_> = sessions.iter().filter(|s| s.ends_at < now).collect();
    let upcoming = sessions.iter().find(|s| s.ends_at >= now);
    let mut history = History::default();
    for (k, h) in households.iter().enumerate() {
        history.add(run, base, k, *h, nb, &past);
    }
    if upcoming.is_some() {
        store
            .register_bulk(&tenant, activity, &history.now_coming)
            .await?;
    }
    out.attendance += store.load_attendance(org_id, &history.rows).await?;
    let (c, k) = store
        .load_history(org_id, &history.contacts, &history.consents)
        .await?;
    out.contacts += c;
    out.consents += k;
    out.neighbourhoods += 1;
    Ok(())
}

/// Household number `g` of the data set, in neighbourhood `nb`.
fn national_household(
    g: usize,
    nb: Uuid,
    today: chrono::NaiveDate,
) -> anyhow::Result<HouseholdDraft> {
    use mtp_domain::{ChildBirth, Email, PhoneNumber};
    use mtp_store::ChildDraft;

    let person = |s: &str| PersonName::parse(s).map_err(|e| anyhow::anyhow!("{e}"));
    let r = mix(g as u64, 1);
    let multi = r % 100 < 15;
    let mut parents = vec![ParentDraft {
        first_name: person(crate::demo::MOTHERS[r as usize % crate::demo::MOTHERS.len()])?,
        last_name: Some(person(
            crate::demo::LAST[(r >> 8) as usize % crate::demo::LAST.len()],
        )?),
        // 06-3xxxxxxx: unique per household; only for throw-away databases.
        phone: PhoneNumber::parse(&format!("06-3{:07}", g % 10_000_000)).ok(),
        email: if r.is_multiple_of(3) {
            Email::parse(&format!("ouder{g}@voorbeeld.test")).ok()
        } else {
            None
        },
        channel: if r.is_multiple_of(3) {
            Channel::Email
        } else {
            Channel::WhatsApp
        },
        languages: String::new(),
        works: r.is_multiple_of(4),
        free_days: vec![],
    }];
    if multi {
        parents.push(ParentDraft {
            first_name: person(
                crate::demo::FATHERS[(r >> 16) as usize % crate::demo::FATHERS.len()],
            )?,
            last_name: parents[0].last_name.clone(),
            phone: None,
            email: None,
            channel: Channel::Phone,
            languages: String::new(),
            works: true,
            free_days: vec![],
        });
    }
    let children = (0..1 + (r >> 24) % 3)
        .map(|c| {
            let cr = mix(g as u64, 100 + c);
            Ok(ChildDraft {
                first_name: person(
                    crate::demo::CHILDREN[cr as usize % crate::demo::CHILDREN.len()],
                )?,
                birth: ChildBirth {
                    year: today.year() - 1 - (cr % 16) as i32,
                    month: 1 + (cr >> 8) as u32 % 12,
                },
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(HouseholdDraft {
        neighbourhood_id: nb,
        kind: if multi {
            HouseholdKind::MultiParent
        } else {
            HouseholdKind::SingleParent
        },
        source: Source::ALL[(r >> 32) as usize % Source::ALL.len()],
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents,
        children,
        data_consent: ConsentMethod::ALL[(r >> 40) as usize % ConsentMethod::ALL.len()],
    })
}

/// The history of one neighbourhood's households, gathered to be loaded in bulk.
#[derive(Default)]
struct History {
    rows: Vec<PastAttendance>,
    contacts: Vec<mtp_store::PastContact>,
    consents: Vec<mtp_store::PastConsent>,
    /// The households still coming, registered for the coming sessions.
    now_coming: Vec<Uuid>,
}

impl History {
    /// Household `h`, number `k` in its neighbourhood (`base + k` in the data set): its
    /// weeks of attendance within its active window, the contacts after an absence, and
    /// its consents.
    fn add(
        &mut self,
        run: &Run<'_>,
        base: usize,
        k: usize,
        h: Uuid,
        nb: Uuid,
        past: &[&mtp_store::SessionSummary],
    ) {
        use mtp_domain::message::ContactOutcome;
        use mtp_store::PastContact;

        let reasons = AbsenceReason::ALL;
        let g = (base + k) as u64;
        let (from, until) = active_window(k, run.shape.per_neighbourhood, past.len());
        if until > past.len() as i64 {
            self.now_coming.push(h);
        }
        let first = past.get(from.max(0) as usize).map(|s| s.starts_at);
        let mut absent_before = false;
        for w in from.max(0)..until.min(past.len() as i64) {
            let s = past[w as usize];
            // Absent last week: the worker calls or messages before this session.
            if absent_before && mix(g, 7_000 + w as u64).is_multiple_of(2) {
                let cr = mix(g, 9_000 + w as u64);
                self.contacts.push(PastContact {
                    household_id: h,
                    neighbourhood_id: nb,
                    session_id: Some(s.id),
                    channel: if cr.is_multiple_of(3) {
                        Channel::Phone
                    } else {
                        Channel::WhatsApp
                    },
                    outcome: match cr % 5 {
                        0 | 1 => ContactOutcome::Coming,
                        2 => ContactOutcome::Maybe,
                        3 => ContactOutcome::NotReached,
                        _ => ContactOutcome::NotComing(None),
                    },
                    at: s.starts_at - Duration::days(2),
                });
            }
            let roll = mix(g, w as u64) % 10;
            let (status, reason) = match roll {
                0..=5 => (AttendanceStatus::Present, None),
                6 | 7 => (
                    AttendanceStatus::Excused,
                    Some(reasons[(k + w as usize) % reasons.len()]),
                ),
                _ => (AttendanceStatus::Absent, None),
            };
            absent_before = status == AttendanceStatus::Absent;
            self.rows.push(PastAttendance {
                session_id: s.id,
                session_start: s.starts_at,
                household_id: h,
                status,
                reason,
                children: u32::try_from(roll % 3).unwrap_or(0),
            });
        }
        self.add_consents(run.now, g, h, first, until, past);
    }

    /// Consents beyond the registration itself, given when the family first came; some
    /// withdraw the chat group when they stop coming.
    fn add_consents(
        &mut self,
        now: chrono::DateTime<Utc>,
        g: u64,
        h: Uuid,
        first: Option<chrono::DateTime<Utc>>,
        until: i64,
        past: &[&mtp_store::SessionSummary],
    ) {
        use mtp_domain::consent::Purpose;
        use mtp_store::PastConsent;

        let cr = mix(g, 2);
        let at = first.unwrap_or(now);
        let method = ConsentMethod::ALL[cr as usize % ConsentMethod::ALL.len()];
        for (purpose, share) in [
            (Purpose::ChatGroup, 70),
            (Purpose::Photos, 30),
            (Purpose::Research, 20),
        ] {
            if (cr >> 8) % 100 < share {
                self.consents.push(PastConsent {
                    household_id: h,
                    purpose,
                    given: true,
                    method,
                    at,
                });
            }
        }
        if (cr >> 8) % 100 < 7 && until < past.len() as i64 {
            let left = past.get(until.max(0) as usize).map_or(now, |s| s.starts_at);
            self.consents.push(PastConsent {
                household_id: h,
                purpose: Purpose::ChatGroup,
                given: false,
                method,
                at: left,
            });
        }
    }
}

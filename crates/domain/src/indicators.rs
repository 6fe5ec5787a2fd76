//! The process indicators: what the weeks add up to, for the team and the funder.
//!
//! Issue #15 asks how many families the programme reaches, how often they come, who stays,
//! whether the coffee hour runs as the handbook describes and what keeps families away. Each
//! indicator is defined in `docs/indicators.md`; the section is named on each function, and
//! the tests use that section's worked example, so the page, the document and the code cannot
//! tell three different stories. Plain rows in, plain numbers out: the store gathers the rows,
//! the web shows them.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::hash::Hash;

use chrono::{Datelike, Days, IsoWeek, Months, NaiveDate, Weekday};
// The counting maps are keyed by household ids and dates from our own records, never by what a
// visitor types, so a fast hasher without SipHash's flood protection is safe here; SipHash
// was a tenth of an organisation's report (docs/benchmarks.md, "Reports").
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::HouseholdKind;
use crate::activity::ActivityKind;
use crate::attendance::{AbsenceReason, SECOND_WORKER_ABOVE, SessionState};
use crate::effect::Effect;
use crate::fields::FieldError;

/// A report period: both dates inclusive (`docs/indicators.md §1.1`), because a funder writes
/// a quarter as "1 January–31 March" and the page prints the dates the user typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// A period that ends before it starts is a typing error, not an empty report.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, FieldError> {
        if to < from {
            return Err(FieldError::UntilBeforeFrom);
        }
        Ok(Period { from, to })
    }

    /// For periods computed rather than typed (a quarter, the period before): `to` before
    /// `from` becomes the one day `from`.
    pub fn at_least_a_day(from: NaiveDate, to: NaiveDate) -> Period {
        Period {
            from,
            to: to.max(from),
        }
    }

    pub fn from(self) -> NaiveDate {
        self.from
    }

    pub fn to(self) -> NaiveDate {
        self.to
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The date up to which records are looked at (`§4.1`): the end of the period, or today
    /// when the period is still running. What happens later must not change a past report.
    pub fn reference(self, today: NaiveDate) -> NaiveDate {
        self.to.min(today)
    }
}

/// A share kept as its two whole numbers (`§1.5`), so the page, the workbook and a
/// recomputation agree to the digit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub part: u32,
    pub whole: u32,
}

impl Share {
    pub fn new(part: u32, whole: u32) -> Share {
        Share { part, whole }
    }

    /// `None` when nothing was measured: "0 %" of nobody would be a claim, and a division by
    /// zero would be NaN. Not capped at 100: reach above it points at a low estimate.
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| f64::from(self.part) * 100.0 / f64::from(self.whole))
    }

    fn add(&mut self, other: Share) {
        self.part += other.part;
        self.whole += other.whole;
    }
}

/// One household present at one held session (`§1.3`): the store passes only present rows of
/// sessions whose state is held, one per household per session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit<K> {
    pub household: K,
    pub date: NaiveDate,
    pub kind: ActivityKind,
}

/// What the indicators need to know of a household (`§1.4`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household<K> {
    pub id: K,
    pub kind: HouseholdKind,
}

/// Households counted apart for single-parent households, the programme's target group, and
/// all others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Split {
    pub single_parent: u32,
    pub other: u32,
}

impl Split {
    pub fn total(self) -> u32 {
        self.single_parent + self.other
    }

    pub fn count(&mut self, kind: HouseholdKind) {
        match kind {
            HouseholdKind::SingleParent => self.single_parent += 1,
            HouseholdKind::MultiParent => self.other += 1,
        }
    }
}

/// A household takes part from its third visit in a period: it came back twice by its own
/// choice, not just tried it once (`§2`).
pub const TAKING_PART_VISITS: u32 = 3;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Visits per household within the period.
fn visits_in<K: Eq + Hash>(visits: &[Visit<K>], period: Period) -> HashMap<&K, u32> {
    let mut per: HashMap<&K, u32> = HashMap::default();
    for v in visits.iter().filter(|v| period.contains(v.date)) {
        *per.entry(&v.household).or_default() += 1;
    }
    per
}

/// Each household's first visit ever among the visits given, up to `until`.
fn first_visits<K: Eq + Hash>(visits: &[Visit<K>], until: NaiveDate) -> HashMap<&K, NaiveDate> {
    let mut first: HashMap<&K, NaiveDate> = HashMap::default();
    for v in visits.iter().filter(|v| v.date <= until) {
        first
            .entry(&v.household)
            .and_modify(|d| *d = (*d).min(v.date))
            .or_insert(v.date);
    }
    first
}

/// The households taking part in the period (`§2`), for the time-slot fit (`§8`).
pub fn taking_part<K: Eq + Hash + Clone>(visits: &[Visit<K>], period: Period) -> Vec<K> {
    visits_in(visits, period)
        .into_iter()
        .filter(|(_, n)| *n >= TAKING_PART_VISITS)
        .map(|(k, _)| k.clone())
        .collect()
}

/// Reach in a period (`docs/indicators.md §2`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// At least one visit in the period.
    pub reached: Split,
    /// At least three visits in the period.
    pub taking_part: Split,
    /// Reached, and the first visit ever falls in the period.
    pub new: Split,
    /// Single-parent households reached against the coordinator's estimate of single-parent
    /// households; the whole is 0 (no percentage) when there is no estimate.
    pub reach: Share,
}

/// Reach (`§2`). `visits` may include visits before the period: they decide who is new.
/// Visits of households not in `households` are left out: they belong to a neighbourhood the
/// caller did not ask about.
pub fn reach<K: Eq + Hash>(
    households: &[Household<K>],
    visits: &[Visit<K>],
    period: Period,
    estimate: Option<u32>,
) -> Reach {
    let in_period = visits_in(visits, period);
    let first = first_visits(visits, period.to);
    let mut r = Reach::default();
    for h in households {
        let Some(&n) = in_period.get(&h.id) else {
            continue;
        };
        r.reached.count(h.kind);
        if n >= TAKING_PART_VISITS {
            r.taking_part.count(h.kind);
        }
        if first.get(&h.id).is_some_and(|d| period.contains(*d)) {
            r.new.count(h.kind);
        }
    }
    r.reach = Share::new(r.reached.single_parent, estimate.unwrap_or(0));
    r
}

/// Visits and households for one kind of activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindDose {
    pub visits: u32,
    pub households: u32,
}

/// Dose in a period (`docs/indicators.md §3`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dose {
    /// Number of visits → number of reached households that came that often.
    pub distribution: BTreeMap<u32, u32>,
    /// Median visits per reached household; `None` when nobody came.
    pub median: Option<f64>,
    /// Every activity kind in `ActivityKind::ALL` order, also those nobody came to.
    pub per_kind: Vec<(ActivityKind, KindDose)>,
}

/// Dose (`§3`): only households with a visit in the period; a zero would count registrations,
/// which reach already shows.
pub fn dose<K: Eq + Hash>(visits: &[Visit<K>], period: Period) -> Dose {
    let per = visits_in(visits, period);
    let mut counts: Vec<u32> = per.values().copied().collect();
    counts.sort_unstable();
    let mut distribution = BTreeMap::new();
    for n in &counts {
        *distribution.entry(*n).or_insert(0) += 1;
    }
    let mid = counts.len() / 2;
    let median = match counts.len() {
        0 => None,
        n if n % 2 == 1 => counts.get(mid).map(|m| f64::from(*m)),
        _ => match (counts.get(mid - 1), counts.get(mid)) {
            (Some(a), Some(b)) => Some((f64::from(*a) + f64::from(*b)) / 2.0),
            _ => None,
        },
    };
    // One pass over the visits for every kind (a report of an organisation has tens of
    // thousands), then every kind in `ActivityKind::ALL` order.
    let mut of_kind: HashMap<ActivityKind, (usize, HashSet<&K>)> = HashMap::default();
    for v in visits.iter().filter(|v| period.contains(v.date)) {
        let e = of_kind.entry(v.kind).or_default();
        e.0 += 1;
        e.1.insert(&v.household);
    }
    let per_kind = ActivityKind::ALL
        .into_iter()
        .map(|kind| {
            let (n, households) = of_kind.remove(&kind).unwrap_or_default();
            (
                kind,
                KindDose {
                    visits: count(n),
                    households: count(households.len()),
                },
            )
        })
        .collect();
    Dose {
        distribution,
        median,
        per_kind,
    }
}

/// A household counts as active when it came in the 8 weeks up to and including a date
/// (`§4.1`).
pub const ACTIVE_WINDOW_DAYS: u64 = 56;

/// The months after the first visit at which retention is measured (`§4.1`).
pub const MILESTONES: [u32; 3] = [3, 6, 12];

/// The households whose first visit fell in one month, and how many of them still came
/// 3, 6 and 12 months on (`docs/indicators.md §4.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cohort {
    pub year: i32,
    pub month: u32,
    pub households: u32,
    /// One per `MILESTONES` entry; `None` while the cohort is too young for it.
    pub still_active: [Option<Share>; 3],
}

/// Retention: every cohort, oldest first, and the cohorts pooled per milestone (only those old
/// enough for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub cohorts: Vec<Cohort>,
    pub pooled: [Option<Share>; 3],
}

/// Each household's visit dates up to `until`, sorted.
fn dates_per_household<K: Eq + Hash>(
    visits: &[Visit<K>],
    until: NaiveDate,
) -> HashMap<&K, Vec<NaiveDate>> {
    let mut per: HashMap<&K, Vec<NaiveDate>> = HashMap::default();
    for v in visits.iter().filter(|v| v.date <= until) {
        per.entry(&v.household).or_default().push(v.date);
    }
    for dates in per.values_mut() {
        dates.sort_unstable();
    }
    per
}

/// Whether a household with these (sorted) visit dates came in the 8 weeks ending on `day`.
fn active_on(dates: &[NaiveDate], day: NaiveDate) -> bool {
    let start = day
        .checked_sub_days(Days::new(ACTIVE_WINDOW_DAYS - 1))
        .unwrap_or(NaiveDate::MIN);
    let i = dates.partition_point(|d| *d < start);
    dates.get(i).is_some_and(|d| *d <= day)
}

/// The last day of a date's month.
fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// Retention (`§4.1`) on the reference date `as_of`: visits after it are ignored, and a cohort
/// gets a figure for a milestone only when the milestone of its month's last day has passed,
/// so every household in it has been watched for the whole time (no figure beats a low one).
pub fn retention<K: Eq + Hash>(visits: &[Visit<K>], as_of: NaiveDate) -> Retention {
    let per = dates_per_household(visits, as_of);
    let mut cohorts: BTreeMap<(i32, u32), Vec<&Vec<NaiveDate>>> = BTreeMap::new();
    for dates in per.values() {
        if let Some(first) = dates.first() {
            cohorts
                .entry((first.year(), first.month()))
                .or_default()
                .push(dates);
        }
    }
    let mut pooled: [Option<Share>; 3] = [None; 3];
    let cohorts = cohorts
        .into_iter()
        .map(|((year, month), members)| {
            let mut still_active: [Option<Share>; 3] = [None; 3];
            for (i, m) in MILESTONES.into_iter().enumerate() {
                let old_enough = month_end(year, month)
                    .and_then(|e| e.checked_add_months(Months::new(m)))
                    .is_some_and(|e| e <= as_of);
                if !old_enough {
                    continue;
                }
                let active = members
                    .iter()
                    .filter(|dates| {
                        dates
                            .first()
                            .and_then(|f| f.checked_add_months(Months::new(m)))
                            .is_some_and(|milestone| active_on(dates, milestone))
                    })
                    .count();
                let share = Share::new(count(active), count(members.len()));
                if let (Some(s), Some(p)) = (still_active.get_mut(i), pooled.get_mut(i)) {
                    *s = Some(share);
                    let mut total = p.unwrap_or_default();
                    total.add(share);
                    *p = Some(total);
                }
            }
            Cohort {
                year,
                month,
                households: count(members.len()),
                still_active,
            }
        })
        .collect();
    Retention { cohorts, pooled }
}

/// Only a household that came at least this often can drop out (`§4.2`): before that it was
/// trying the programme, not leaving it. The same number as taking part, counted over all
/// visits rather than within one period.
pub const DROP_OUT_AFTER_VISITS: usize = 3;

/// A household that came at least three times and then stayed away for 8 weeks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropOut<K> {
    pub household: K,
    /// The day the 8 weeks were full: the last visit plus 56 days.
    pub date: NaiveDate,
}

/// Drop-outs whose date falls in the period and has passed on `as_of` (`§4.2`). The weeks are
/// calendar weeks, holidays included: a family that misses the weeks around a long break is
/// one the team should call. A household counts once per period, on its latest drop-out.
pub fn drop_outs<K: Eq + Hash + Clone>(
    visits: &[Visit<K>],
    period: Period,
    as_of: NaiveDate,
) -> Vec<DropOut<K>> {
    let until = as_of.min(period.to);
    let per = dates_per_household(visits, until);
    let mut out: Vec<DropOut<K>> = Vec::new();
    for (k, dates) in per {
        let mut latest = None;
        for (i, v) in dates.iter().enumerate() {
            if i + 1 < DROP_OUT_AFTER_VISITS {
                continue;
            }
            let Some(away) = v.checked_add_days(Days::new(ACTIVE_WINDOW_DAYS)) else {
                continue;
            };
            let came_back = dates.get(i + 1).is_some_and(|next| *next <= away);
            if !came_back && away <= until && period.contains(away) {
                latest = Some(away);
            }
        }
        if let Some(date) = latest {
            out.push(DropOut {
                household: k.clone(),
                date,
            });
        }
    }
    out.sort_by_key(|d| d.date);
    out
}

/// What the team recorded about one planned coffee-hour session (`docs/indicators.md §5`).
/// A week without a planned coffee hour (a school holiday the schedule skips) has no record,
/// so it is never held against the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoffeeHourRecord {
    pub date: NaiveDate,
    pub state: SessionState,
    pub host_present: bool,
    pub healthy_snacks: bool,
    /// Parents recorded present (children do not count): the group the handbook's second
    /// worker is for (`attendance::needs_second_worker`).
    pub attended: u32,
    pub workers: u32,
    pub free_of_charge: bool,
    /// The worklist was done, or the checklist item ticked, before the session started.
    pub encouraged_before: bool,
    /// Whether the chat group stayed within its weekly post budget that week; `None` when the
    /// neighbourhood has no chat group.
    pub chat_budget_kept: Option<bool>,
}

/// One of the handbook's checks on a coffee hour (§3.3 of the handbook, `§5` of ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    Held,
    HostPresent,
    HealthySnacks,
    SecondWorker,
    FreeOfCharge,
    EncouragedBefore,
    ChatBudgetKept,
}

impl Check {
    pub const ALL: [Check; 7] = [
        Check::Held,
        Check::HostPresent,
        Check::HealthySnacks,
        Check::SecondWorker,
        Check::FreeOfCharge,
        Check::EncouragedBefore,
        Check::ChatBudgetKept,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Check::Held => "held",
            Check::HostPresent => "host_present",
            Check::HealthySnacks => "healthy_snacks",
            Check::SecondWorker => "second_worker",
            Check::FreeOfCharge => "free_of_charge",
            Check::EncouragedBefore => "encouraged_before",
            Check::ChatBudgetKept => "chat_budget_kept",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Check::Held => "fidelity-held",
            Check::HostPresent => "fidelity-host_present",
            Check::HealthySnacks => "fidelity-healthy_snacks",
            Check::SecondWorker => "fidelity-second_worker",
            Check::FreeOfCharge => "fidelity-free_of_charge",
            Check::EncouragedBefore => "fidelity-encouraged_before",
            Check::ChatBudgetKept => "fidelity-chat_budget_kept",
        }
    }
}

/// The checks that apply to one session, each with whether it passed. A session that was not
/// held (cancelled, "we did not meet", or never closed) fails "held" and nothing else applies:
/// there was no host to be present. The second worker is checked only above ten attending,
/// the chat budget only where there is a chat group.
pub fn checks(r: &CoffeeHourRecord) -> Vec<(Check, bool)> {
    if !r.state.counts_attendance() {
        return vec![(Check::Held, false)];
    }
    let mut out = vec![
        (Check::Held, true),
        (Check::HostPresent, r.host_present),
        (Check::HealthySnacks, r.healthy_snacks),
    ];
    if r.attended > SECOND_WORKER_ABOVE {
        out.push((Check::SecondWorker, r.workers >= 2));
    }
    out.push((Check::FreeOfCharge, r.free_of_charge));
    out.push((Check::EncouragedBefore, r.encouraged_before));
    if let Some(kept) = r.chat_budget_kept {
        out.push((Check::ChatBudgetKept, kept));
    }
    out
}

/// A session with at least one failed check, for the list the score links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedWeek {
    pub date: NaiveDate,
    /// The ISO week (Monday to Sunday) the team numbers its weeks by (`§1.2`).
    pub week: IsoWeek,
    pub failed: Vec<Check>,
}

/// Fidelity of one neighbourhood in one period (`docs/indicators.md §5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fidelity {
    /// Checks passed ÷ checks that applied, over all planned sessions in the period.
    pub score: Share,
    /// Each check in `Check::ALL` order.
    pub per_check: Vec<(Check, Share)>,
    /// Oldest first.
    pub missed: Vec<MissedWeek>,
}

/// Fidelity (`§5`). Checks, not perfect weeks, are counted: one forgotten snack tray should not
/// weigh as much as a week without a coffee hour.
pub fn fidelity(records: &[CoffeeHourRecord], period: Period) -> Fidelity {
    let mut records: Vec<&CoffeeHourRecord> =
        records.iter().filter(|r| period.contains(r.date)).collect();
    records.sort_by_key(|r| r.date);
    let mut score = Share::default();
    let mut per: HashMap<Check, Share> = HashMap::default();
    let mut missed = Vec::new();
    for r in records {
        let mut failed = Vec::new();
        for (check, passed) in checks(r) {
            let s = Share::new(u32::from(passed), 1);
            score.add(s);
            per.entry(check).or_default().add(s);
            if !passed {
                failed.push(check);
            }
        }
        if !failed.is_empty() {
            missed.push(MissedWeek {
                date: r.date,
                week: r.date.iso_week(),
                failed,
            });
        }
    }
    let per_check = Check::ALL
        .into_iter()
        .map(|c| (c, per.get(&c).copied().unwrap_or_default()))
        .collect();
    Fidelity {
        score,
        per_check,
        missed,
    }
}

/// How often one reason was given; `reason` is `None` for "no reason given".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonCount {
    pub reason: Option<AbsenceReason>,
    pub count: u32,
}

/// What keeps families away in a period (`docs/indicators.md §6`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barriers {
    /// Excused and absent rows of held sessions, most frequent reason first.
    pub absences: Vec<ReasonCount>,
    /// "Can't come" answers (RSVPs and contact moments), most frequent reason first.
    pub cant_come: Vec<ReasonCount>,
    pub childcare_requests: u32,
}

/// Reasons given in the period, most frequent first; ties in `AbsenceReason::ALL` order with
/// "no reason given" last, so the barrier to solve first is on top. Reasons nobody gave are
/// left out.
fn reason_counts(given: &[(NaiveDate, Option<AbsenceReason>)], period: Period) -> Vec<ReasonCount> {
    let order = AbsenceReason::ALL.into_iter().map(Some).chain([None]);
    let mut out: Vec<ReasonCount> = order
        .map(|reason| ReasonCount {
            reason,
            count: count(
                given
                    .iter()
                    .filter(|(date, r)| *r == reason && period.contains(*date))
                    .count(),
            ),
        })
        .filter(|c| c.count > 0)
        .collect();
    // A stable sort keeps the order above among equal counts.
    out.sort_by_key(|c| Reverse(c.count));
    out
}

/// Barriers (`§6`). The absences and the "can't come" answers are kept apart and never added:
/// a parent who said "no childcare" and was then recorded excused for it would count twice.
pub fn barriers(
    absences: &[(NaiveDate, Option<AbsenceReason>)],
    cant_come: &[(NaiveDate, Option<AbsenceReason>)],
    childcare_requests: &[NaiveDate],
    period: Period,
) -> Barriers {
    Barriers {
        absences: reason_counts(absences, period),
        cant_come: reason_counts(cant_come, period),
        childcare_requests: count(
            childcare_requests
                .iter()
                .filter(|d| period.contains(**d))
                .count(),
        ),
    }
}

/// The encouragement effect over a period (`docs/indicators.md §7`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncouragementEffect {
    /// Of the households the worker reached before a session, those that came.
    pub reached_came: Share,
    /// Of those the worker tried but did not reach, those that came all the same.
    pub not_reached_came: Share,
    /// Sessions with contacts whose attendance was not taken: they neither help nor hurt.
    pub not_judged: u32,
}

/// The per-session rule of `effect::effect` summed over the sessions in the period (`§7`).
/// Each session comes with its date and that rule's answer (`None`: attendance not taken).
pub fn encouragement(
    sessions: &[(NaiveDate, Option<Effect>)],
    period: Period,
) -> EncouragementEffect {
    let mut total = Effect::default();
    let mut not_judged = 0;
    for (_, e) in sessions.iter().filter(|(d, _)| period.contains(*d)) {
        match e {
            Some(e) => total.add(*e),
            None => not_judged += 1,
        }
    }
    EncouragementEffect {
        reached_came: Share::new(count(total.reached_came), count(total.reached)),
        not_reached_came: Share::new(count(total.not_reached_came), count(total.not_reached)),
        not_judged,
    }
}

/// One parent's days as recorded on the household form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentDays {
    pub works: bool,
    /// The weekdays a working parent is free.
    pub free_days: Vec<Weekday>,
}

impl ParentDays {
    /// A parent can come on a weekday when they do not work, or are free that day (`§8`).
    pub fn can_come(&self, day: Weekday) -> bool {
        !self.works || self.free_days.contains(&day)
    }
}

/// One weekday of the time-slot fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayFit {
    pub weekday: Weekday,
    /// Taking-part households with at least one parent who can come that day.
    pub can_come: u32,
    /// Whether a session of the neighbourhood was held on this weekday in the period.
    pub activity_runs: bool,
}

/// The time-slot fit of a period (`docs/indicators.md §8`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSlotFit {
    /// Monday to Sunday.
    pub days: Vec<DayFit>,
    /// Taking-part households with at least one working parent, of all taking-part households.
    pub working_parent: Share,
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Time-slot fit (`§8`) for the taking-part households (`taking_part`), each given as its
/// parents' days, against the dates of the sessions held in the period. Only taking-part
/// households, because theirs are the days the programme has to fit.
pub fn time_slot_fit(
    households: &[Vec<ParentDays>],
    held_sessions: &[NaiveDate],
    period: Period,
) -> TimeSlotFit {
    let days = WEEK
        .into_iter()
        .map(|weekday| DayFit {
            weekday,
            can_come: count(
                households
                    .iter()
                    .filter(|parents| parents.iter().any(|p| p.can_come(weekday)))
                    .count(),
            ),
            activity_runs: held_sessions
                .iter()
                .any(|d| period.contains(*d) && d.weekday() == weekday),
        })
        .collect();
    let working = households
        .iter()
        .filter(|parents| parents.iter().any(|p| p.works))
        .count();
    TimeSlotFit {
        days,
        working_parent: Share::new(count(working), count(households.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityKind::{CoffeeHourExclusive as Coffee, Outing};
    use HouseholdKind::{MultiParent, SingleParent};
    use chrono::Weekday;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Period {
        Period::new(from, to).unwrap_or(Period { from, to: from })
    }

    fn q1() -> Period {
        period(d(2026, 1, 1), d(2026, 3, 31))
    }

    fn visit(h: &'static str, date: NaiveDate, kind: ActivityKind) -> Visit<&'static str> {
        Visit {
            household: h,
            date,
            kind,
        }
    }

    fn hh(id: &'static str, kind: HouseholdKind) -> Household<&'static str> {
        Household { id, kind }
    }

    /// The households and visits of the worked example in §2 (and §3).
    fn example() -> (Vec<Household<&'static str>>, Vec<Visit<&'static str>>) {
        let households = vec![
            hh("A", SingleParent),
            hh("B", SingleParent),
            hh("C", MultiParent),
            hh("D", SingleParent),
        ];
        let visits = vec![
            visit("A", d(2025, 12, 10), Coffee),
            visit("A", d(2026, 1, 8), Coffee),
            visit("A", d(2026, 1, 15), Coffee),
            visit("A", d(2026, 1, 22), Coffee),
            visit("B", d(2026, 1, 8), Coffee),
            visit("C", d(2026, 1, 15), Outing),
            visit("C", d(2026, 1, 22), Outing),
            visit("C", d(2026, 1, 29), Outing),
            visit("D", d(2026, 4, 2), Coffee),
        ];
        (households, visits)
    }

    #[test]
    fn a_period_includes_both_its_ends_and_may_not_end_before_it_starts() {
        let p = q1();
        assert!(p.contains(d(2026, 1, 1)));
        assert!(p.contains(d(2026, 3, 31)));
        assert!(!p.contains(d(2026, 4, 1)));
        assert!(!p.contains(d(2025, 12, 31)));
        assert_eq!(
            Period::new(d(2026, 3, 31), d(2026, 1, 1)),
            Err(FieldError::UntilBeforeFrom)
        );
        assert!(
            Period::new(d(2026, 1, 1), d(2026, 1, 1)).is_ok(),
            "one day is a period"
        );
    }

    #[test]
    fn a_running_period_is_looked_at_up_to_today() {
        assert_eq!(q1().reference(d(2026, 2, 10)), d(2026, 2, 10));
        assert_eq!(q1().reference(d(2026, 6, 1)), d(2026, 3, 31));
    }

    #[test]
    fn a_share_of_nothing_has_no_percentage() {
        assert_eq!(Share::new(0, 0).percent(), None);
        assert_eq!(Share::new(3, 0).percent(), None);
        assert_eq!(Share::new(1, 4).percent(), Some(25.0));
        assert_eq!(Share::new(0, 4).percent(), Some(0.0));
        assert_eq!(Share::new(30, 20).percent(), Some(150.0), "not capped");
    }

    #[test]
    fn reach_counts_the_worked_example_of_section_2() {
        let (households, visits) = example();
        let r = reach(&households, &visits, q1(), Some(20));
        assert_eq!(
            r.reached,
            Split {
                single_parent: 2,
                other: 1
            }
        );
        assert_eq!(r.reached.total(), 3);
        assert_eq!(
            r.taking_part,
            Split {
                single_parent: 1,
                other: 1
            },
            "A's December visit is outside the period, the three in January count"
        );
        assert_eq!(
            r.new,
            Split {
                single_parent: 1,
                other: 1
            },
            "B and C; A first came in December"
        );
        assert_eq!(r.reach, Share::new(2, 20));
        assert_eq!(r.reach.percent(), Some(10.0));
    }

    #[test]
    fn reach_without_an_estimate_has_no_percentage() {
        let (households, visits) = example();
        assert_eq!(
            reach(&households, &visits, q1(), None).reach.percent(),
            None
        );
        assert_eq!(
            reach(&households, &visits, q1(), Some(0)).reach.percent(),
            None
        );
    }

    #[test]
    fn a_household_with_visits_only_outside_the_period_is_not_reached() {
        let (households, visits) = example();
        let r = reach(&households[3..], &visits, q1(), Some(20));
        assert_eq!(
            r,
            Reach {
                reach: Share::new(0, 20),
                ..Reach::default()
            }
        );
    }

    #[test]
    fn an_empty_period_reaches_nobody_and_has_no_median() {
        let (households, visits) = example();
        let summer = period(d(2026, 7, 1), d(2026, 8, 31));
        assert_eq!(
            reach(&households, &visits, summer, Some(20))
                .reached
                .total(),
            0
        );
        let dose = dose(&visits, summer);
        assert!(dose.distribution.is_empty());
        assert_eq!(dose.median, None);
        assert!(dose.per_kind.iter().all(|(_, k)| *k == KindDose::default()));
    }

    #[test]
    fn visits_of_households_outside_the_neighbourhood_are_left_out() {
        let (_, visits) = example();
        let r = reach(&[hh("C", MultiParent)], &visits, q1(), None);
        assert_eq!(
            r.reached,
            Split {
                single_parent: 0,
                other: 1
            }
        );
    }

    #[test]
    fn dose_counts_the_worked_example_of_section_3() {
        let (_, visits) = example();
        let dose = dose(&visits, q1());
        assert_eq!(dose.distribution, BTreeMap::from([(1, 1), (3, 2)]));
        assert_eq!(dose.median, Some(3.0));
        let of = |kind| {
            dose.per_kind
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, n)| *n)
                .unwrap_or_default()
        };
        assert_eq!(
            of(Coffee),
            KindDose {
                visits: 4,
                households: 2
            }
        );
        assert_eq!(
            of(Outing),
            KindDose {
                visits: 3,
                households: 1
            }
        );
        assert_eq!(dose.per_kind.len(), ActivityKind::ALL.len());
    }

    #[test]
    fn the_median_of_an_even_number_of_households_is_the_mean_of_the_middle_two() {
        let visits = vec![
            visit("A", d(2026, 1, 8), Coffee),
            visit("B", d(2026, 1, 8), Coffee),
            visit("B", d(2026, 1, 15), Coffee),
        ];
        assert_eq!(dose(&visits, q1()).median, Some(1.5));
    }

    #[test]
    fn taking_part_starts_at_the_third_visit_in_the_period() {
        let (_, visits) = example();
        let mut who = taking_part(&visits, q1());
        who.sort_unstable();
        assert_eq!(who, vec!["A", "C"]);
    }

    /// E and F of the worked example in §4: E comes every week of 2026, F four times.
    fn cohort_example() -> Vec<Visit<&'static str>> {
        let mut visits = Vec::new();
        let mut day = d(2026, 1, 5);
        while day.year() == 2026 {
            visits.push(visit("E", day, Coffee));
            day = day + Days::new(7);
        }
        for day in [
            d(2026, 1, 12),
            d(2026, 1, 19),
            d(2026, 1, 26),
            d(2026, 2, 2),
        ] {
            visits.push(visit("F", day, Coffee));
        }
        visits
    }

    #[test]
    fn retention_counts_the_worked_example_of_section_4() {
        let r = retention(&cohort_example(), d(2026, 12, 31));
        assert_eq!(
            r.cohorts,
            vec![Cohort {
                year: 2026,
                month: 1,
                households: 2,
                still_active: [Some(Share::new(1, 2)), Some(Share::new(1, 2)), None],
            }]
        );
        assert_eq!(
            r.pooled,
            [Some(Share::new(1, 2)), Some(Share::new(1, 2)), None]
        );
    }

    #[test]
    fn a_cohort_too_young_for_twelve_months_gets_no_figure_rather_than_a_low_one() {
        let r = retention(&cohort_example(), d(2027, 1, 30));
        assert_eq!(r.cohorts.first().map(|c| c.still_active[2]), Some(None));
        let r = retention(&cohort_example(), d(2027, 1, 31));
        assert_eq!(
            r.cohorts.first().map(|c| c.still_active[2]),
            Some(Some(Share::new(1, 2))),
            "on 31 January 2027 the whole cohort is a year on: E (last came 28 December, within \
             8 weeks of 5 January) still counts, F does not"
        );
    }

    #[test]
    fn active_means_a_visit_in_the_56_days_up_to_and_including_the_day() {
        let dates = [d(2026, 1, 1)];
        assert!(active_on(&dates, d(2026, 1, 1)));
        assert!(active_on(&dates, d(2026, 2, 25)), "day 56");
        assert!(!active_on(&dates, d(2026, 2, 26)), "day 57");
        assert!(!active_on(&dates, d(2025, 12, 31)), "before the visit");
    }

    #[test]
    fn a_milestone_from_the_31st_falls_on_the_last_day_of_a_shorter_month() {
        assert_eq!(
            d(2026, 1, 31).checked_add_months(Months::new(3)),
            Some(d(2026, 4, 30))
        );
    }

    #[test]
    fn no_visits_no_cohorts() {
        let r = retention::<&str>(&[], d(2026, 12, 31));
        assert!(r.cohorts.is_empty());
        assert_eq!(r.pooled, [None, None, None]);
    }

    #[test]
    fn a_household_that_came_four_times_and_stayed_away_eight_weeks_dropped_out() {
        let outs = drop_outs(&cohort_example(), q1(), d(2026, 12, 31));
        assert_eq!(
            outs,
            vec![DropOut {
                household: "F",
                date: d(2026, 3, 30)
            }]
        );
        assert!(
            drop_outs(&cohort_example(), q1(), d(2026, 3, 29)).is_empty(),
            "not before the 8 weeks are full"
        );
    }

    #[test]
    fn two_visits_and_gone_is_not_a_drop_out() {
        let visits = vec![
            visit("G", d(2026, 1, 5), Coffee),
            visit("G", d(2026, 1, 12), Coffee),
        ];
        assert!(drop_outs(&visits, q1(), d(2026, 12, 31)).is_empty());
    }

    #[test]
    fn coming_back_on_the_last_day_of_the_eight_weeks_is_not_dropping_out() {
        let visits = vec![
            visit("G", d(2026, 1, 5), Coffee),
            visit("G", d(2026, 1, 12), Coffee),
            visit("G", d(2026, 1, 19), Coffee),
            visit("G", d(2026, 3, 16), Coffee),
            visit("G", d(2026, 3, 23), Coffee),
        ];
        // 19 January + 56 days = 16 March: back on the day. The last visit, 23 March, is
        // followed by 8 weeks only on 18 May, in the next quarter.
        assert!(drop_outs(&visits, q1(), d(2026, 12, 31)).is_empty());
        let q2 = period(d(2026, 4, 1), d(2026, 6, 30));
        assert_eq!(
            drop_outs(&visits, q2, d(2026, 12, 31)),
            vec![DropOut {
                household: "G",
                date: d(2026, 5, 18)
            }]
        );
    }

    /// A coffee hour that did everything right, with 8 attending and a chat group.
    fn faithful(date: NaiveDate) -> CoffeeHourRecord {
        CoffeeHourRecord {
            date,
            state: SessionState::Held,
            host_present: true,
            healthy_snacks: true,
            attended: 8,
            workers: 1,
            free_of_charge: true,
            encouraged_before: true,
            chat_budget_kept: Some(true),
        }
    }

    /// The four planned weeks of the worked example in §5 (week 5 is a holiday: no record).
    fn fidelity_example() -> Vec<CoffeeHourRecord> {
        vec![
            faithful(d(2026, 1, 7)),
            CoffeeHourRecord {
                healthy_snacks: false,
                attended: 12,
                ..faithful(d(2026, 1, 14))
            },
            CoffeeHourRecord {
                state: SessionState::Cancelled,
                host_present: false,
                attended: 0,
                ..faithful(d(2026, 1, 21))
            },
            CoffeeHourRecord {
                chat_budget_kept: None,
                ..faithful(d(2026, 2, 4))
            },
        ]
    }

    fn week(n: u32) -> IsoWeek {
        NaiveDate::from_isoywd_opt(2026, n, Weekday::Mon)
            .unwrap_or(NaiveDate::MIN)
            .iso_week()
    }

    #[test]
    fn fidelity_counts_the_worked_example_of_section_5() {
        let f = fidelity(&fidelity_example(), q1());
        assert_eq!(f.score, Share::new(16, 19));
        assert_eq!(f.score.percent().map(|p| p.round()), Some(84.0));
        assert_eq!(
            f.missed,
            vec![
                MissedWeek {
                    date: d(2026, 1, 14),
                    week: week(3),
                    failed: vec![Check::HealthySnacks, Check::SecondWorker],
                },
                MissedWeek {
                    date: d(2026, 1, 21),
                    week: week(4),
                    failed: vec![Check::Held],
                },
            ]
        );
        let of = |c| {
            f.per_check
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, s)| *s)
                .unwrap_or_default()
        };
        assert_eq!(of(Check::Held), Share::new(3, 4));
        assert_eq!(of(Check::SecondWorker), Share::new(0, 1));
        assert_eq!(of(Check::ChatBudgetKept), Share::new(2, 2));
    }

    #[test]
    fn a_holiday_week_without_a_planned_coffee_hour_is_not_held_against_the_team() {
        // Week 5 (26 January–1 February) has no record in the example; the score is the same
        // as for the four planned weeks alone, and week 5 is not among the missed.
        let f = fidelity(&fidelity_example(), q1());
        assert!(f.missed.iter().all(|m| m.week != week(5)));
        assert_eq!(f.score.whole, 19);
    }

    #[test]
    fn a_session_not_held_or_never_closed_fails_only_held() {
        for state in [
            SessionState::Cancelled,
            SessionState::NotHeld,
            SessionState::Planned,
        ] {
            let r = CoffeeHourRecord {
                state,
                ..faithful(d(2026, 1, 7))
            };
            assert_eq!(checks(&r), vec![(Check::Held, false)], "{state:?}");
        }
    }

    #[test]
    fn a_second_worker_is_checked_only_above_ten() {
        let ten = CoffeeHourRecord {
            attended: 10,
            ..faithful(d(2026, 1, 7))
        };
        assert!(checks(&ten).iter().all(|(c, _)| *c != Check::SecondWorker));
        let eleven_with_two = CoffeeHourRecord {
            attended: 11,
            workers: 2,
            ..ten
        };
        assert!(checks(&eleven_with_two).contains(&(Check::SecondWorker, true)));
    }

    #[test]
    fn a_period_without_planned_coffee_hours_has_no_score() {
        let f = fidelity(&fidelity_example(), period(d(2026, 7, 1), d(2026, 8, 31)));
        assert_eq!(f.score.percent(), None);
        assert!(f.missed.is_empty());
        assert!(f.per_check.iter().all(|(_, s)| s.percent().is_none()));
    }

    #[test]
    fn barriers_count_the_worked_example_of_section_6() {
        use AbsenceReason::{NoChildcare, Transport, Work};
        let day = d(2026, 2, 4);
        let absences = [
            (day, Some(Work)),
            (day, Some(NoChildcare)),
            (day, None),
            (day, Some(NoChildcare)),
            (day, Some(Work)),
            (day, Some(NoChildcare)),
            (d(2026, 4, 1), Some(Transport)),
        ];
        let cant_come = [
            (day, Some(Transport)),
            (day, Some(NoChildcare)),
            (day, Some(NoChildcare)),
        ];
        let b = barriers(&absences, &cant_come, &[day, day, d(2025, 12, 1)], q1());
        let rc = |reason, count| ReasonCount { reason, count };
        assert_eq!(
            b.absences,
            vec![rc(Some(NoChildcare), 3), rc(Some(Work), 2), rc(None, 1)],
            "April's transport is outside the period"
        );
        assert_eq!(
            b.cant_come,
            vec![rc(Some(NoChildcare), 2), rc(Some(Transport), 1)]
        );
        assert_eq!(b.childcare_requests, 2);
    }

    #[test]
    fn equal_counts_keep_the_order_of_the_reasons_with_no_reason_last() {
        use AbsenceReason::{SickChild, Work};
        let day = d(2026, 2, 4);
        let given = [(day, None), (day, Some(Work)), (day, Some(SickChild))];
        let b = barriers(&given, &[], &[], q1());
        let order: Vec<_> = b.absences.iter().map(|c| c.reason).collect();
        assert_eq!(order, vec![Some(SickChild), Some(Work), None]);
    }

    #[test]
    fn an_empty_period_has_no_barriers() {
        let b = barriers(&[], &[], &[], q1());
        assert!(b.absences.is_empty() && b.cant_come.is_empty());
        assert_eq!(b.childcare_requests, 0);
    }

    #[test]
    fn the_encouragement_effect_sums_the_worked_example_of_section_7() {
        let sessions = [
            (
                d(2026, 1, 7),
                Some(Effect {
                    reached: 4,
                    reached_came: 3,
                    not_reached: 2,
                    not_reached_came: 0,
                }),
            ),
            (
                d(2026, 1, 14),
                Some(Effect {
                    reached: 2,
                    reached_came: 2,
                    not_reached: 1,
                    not_reached_came: 1,
                }),
            ),
            (d(2026, 1, 21), None),
            (
                d(2026, 4, 1),
                Some(Effect {
                    reached: 9,
                    reached_came: 0,
                    not_reached: 0,
                    not_reached_came: 0,
                }),
            ),
        ];
        let e = encouragement(&sessions, q1());
        assert_eq!(e.reached_came, Share::new(5, 6));
        assert_eq!(e.reached_came.percent().map(|p| p.round()), Some(83.0));
        assert_eq!(e.not_reached_came, Share::new(1, 3));
        assert_eq!(e.not_reached_came.percent().map(|p| p.round()), Some(33.0));
        assert_eq!(e.not_judged, 1);
    }

    #[test]
    fn without_contacts_the_encouragement_effect_has_no_percentages() {
        let e = encouragement(&[(d(2026, 1, 7), Some(Effect::default()))], q1());
        assert_eq!(e.reached_came.percent(), None);
        assert_eq!(e.not_reached_came.percent(), None);
    }

    #[test]
    fn time_slot_fit_counts_the_worked_example_of_section_8() {
        use Weekday::{Fri, Mon, Tue, Wed};
        let working = |free: &[Weekday]| ParentDays {
            works: true,
            free_days: free.to_vec(),
        };
        let g = vec![working(&[Wed, Fri])];
        let h = vec![ParentDays {
            works: false,
            free_days: vec![],
        }];
        let j = vec![working(&[Mon]), working(&[Fri])];
        let wednesdays = [d(2026, 1, 7), d(2026, 1, 14)];
        let fit = time_slot_fit(&[g, h, j], &wednesdays, q1());
        let on = |day| fit.days.iter().find(|f| f.weekday == day).copied();
        assert_eq!(
            on(Wed).map(|f| (f.can_come, f.activity_runs)),
            Some((2, true))
        );
        assert_eq!(
            on(Fri).map(|f| (f.can_come, f.activity_runs)),
            Some((3, false))
        );
        assert_eq!(on(Mon).map(|f| f.can_come), Some(2));
        assert_eq!(on(Tue).map(|f| f.can_come), Some(1));
        assert_eq!(fit.working_parent, Share::new(2, 3));
        assert_eq!(fit.days.len(), 7);
    }

    #[test]
    fn time_slot_fit_without_taking_part_households_has_no_share() {
        let fit = time_slot_fit(&[], &[], q1());
        assert!(fit.days.iter().all(|f| f.can_come == 0 && !f.activity_runs));
        assert_eq!(fit.working_parent.percent(), None);
    }

    proptest! {
        #[test]
        fn the_counts_of_one_period_agree_with_each_other(
            raw in proptest::collection::vec((0u8..6, 0u32..400), 0..60),
            from in 0u32..300,
            length in 0u32..200,
        ) {
            const IDS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];
            let start = d(2026, 1, 1);
            let day = |n: u32| start + Days::new(u64::from(n));
            let visits: Vec<Visit<&'static str>> = raw
                .iter()
                .map(|(h, n)| visit(IDS[usize::from(*h)], day(*n), Coffee))
                .collect();
            let households: Vec<Household<&'static str>> = IDS
                .iter()
                .enumerate()
                .map(|(i, id)| hh(id, if i % 2 == 0 { SingleParent } else { MultiParent }))
                .collect();
            let p = period(day(from), day(from + length));
            let r = reach(&households, &visits, p, Some(0));
            let dose = dose(&visits, p);
            prop_assert_eq!(dose.distribution.values().sum::<u32>(), r.reached.total());
            prop_assert!(r.taking_part.total() <= r.reached.total());
            prop_assert!(r.new.total() <= r.reached.total());
            prop_assert_eq!(r.reach.percent(), None);
            prop_assert_eq!(count(taking_part(&visits, p).len()), r.taking_part.total());
            let retained = retention(&visits, p.to());
            for c in &retained.cohorts {
                for s in c.still_active.iter().flatten() {
                    prop_assert!(s.part <= s.whole && s.whole == c.households);
                }
            }
            prop_assert!(drop_outs(&visits, p, p.to()).iter().all(|o| p.contains(o.date)));
        }
    }
}

//! One report: every indicator of `docs/indicators.md` computed together, for one
//! neighbourhood (or several pooled) and one period, and the period the user chose on the
//! report page (`docs/indicators.md §10`).
//!
//! The store fills `Inputs` from the records; `compute` turns them into `Indicators`. The
//! page, the workbook and the recomputation test all call `compute`, so they cannot differ.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use chrono::{Datelike, Days, IsoWeek, Months, NaiveDate};
use rustc_hash::FxHashMap;

use crate::activity::ActivityKind;
use crate::attendance::AbsenceReason;
use crate::effect::Effect;
use crate::fields::FieldError;
use crate::indicators::{
    self, Barriers, CoffeeHourRecord, Dose, EncouragementEffect, Fidelity, Household, ParentDays,
    Period, Reach, Retention, Split, TimeSlotFit, Visit,
};

/// The longest custom period: five years. A report over decades would read every record the
/// organisation has and say little a funder asks about.
pub const MAX_PERIOD_DAYS: i64 = 5 * 366;

/// How the user picked the period on the report page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// 1–4.
    Quarter {
        year: i32,
        quarter: u32,
    },
    Year(i32),
    Custom(Period),
}

impl PeriodChoice {
    /// The quarter today falls in: the default, because funders ask per quarter.
    pub fn current_quarter(today: NaiveDate) -> PeriodChoice {
        PeriodChoice::Quarter {
            year: today.year(),
            quarter: (today.month() - 1) / 3 + 1,
        }
    }

    pub fn period(self) -> Period {
        match self {
            PeriodChoice::Quarter { year, quarter } => {
                let from = date(year, (quarter.clamp(1, 4) - 1) * 3 + 1, 1);
                span(from, 3)
            }
            PeriodChoice::Year(year) => span(date(year, 1, 1), 12),
            PeriodChoice::Custom(p) => p,
        }
    }

    /// The period before, to compare the headline numbers with: the quarter or year before,
    /// or as many days just before a custom period.
    pub fn previous(self) -> Period {
        match self {
            PeriodChoice::Quarter { year, quarter } if quarter <= 1 => PeriodChoice::Quarter {
                year: year - 1,
                quarter: 4,
            }
            .period(),
            PeriodChoice::Quarter { year, quarter } => PeriodChoice::Quarter {
                year,
                quarter: quarter - 1,
            }
            .period(),
            PeriodChoice::Year(year) => PeriodChoice::Year(year - 1).period(),
            PeriodChoice::Custom(p) => {
                let days = (p.to() - p.from()).num_days();
                let to = p.from().pred_opt().unwrap_or(p.from());
                Period::at_least_a_day(to - chrono::Duration::days(days), to)
            }
        }
    }

    /// The form's name for the kind of period: "quarter", "year" or "custom".
    pub fn kind(self) -> &'static str {
        match self {
            PeriodChoice::Quarter { .. } => "quarter",
            PeriodChoice::Year(_) => "year",
            PeriodChoice::Custom(_) => "custom",
        }
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// `months` calendar months from `from`, both ends inclusive.
fn span(from: NaiveDate, months: u32) -> Period {
    let to = from
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from);
    Period::at_least_a_day(from, to)
}

/// The report form's fields, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeriodForm<'a> {
    /// "quarter", "year" or "custom"; empty means the current quarter.
    pub kind: &'a str,
    pub year: &'a str,
    pub quarter: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

/// The period from the report form, or a message per field (the field names are the form's).
pub fn parse_period(
    form: PeriodForm<'_>,
    today: NaiveDate,
) -> Result<PeriodChoice, Vec<(&'static str, FieldError)>> {
    let year = |raw: &str| -> Result<i32, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(today.year());
        }
        match raw.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Ok(y),
            _ => Err(FieldError::YearInvalid),
        }
    };
    match form.kind.trim() {
        "" => Ok(PeriodChoice::current_quarter(today)),
        "quarter" => {
            let y = year(form.year);
            let q = match form.quarter.trim() {
                "" => Ok((today.month() - 1) / 3 + 1),
                raw => match raw.trim_start_matches(['Q', 'q', 'K', 'k']).parse::<u32>() {
                    Ok(q) if (1..=4).contains(&q) => Ok(q),
                    _ => Err(FieldError::ChoiceInvalid),
                },
            };
            match (y, q) {
                (Ok(year), Ok(quarter)) => Ok(PeriodChoice::Quarter { year, quarter }),
                (y, q) => Err([
                    y.err().map(|e| ("year", e)),
                    q.err().map(|e| ("quarter", e)),
                ]
                .into_iter()
                .flatten()
                .collect()),
            }
        }
        "year" => year(form.year)
            .map(PeriodChoice::Year)
            .map_err(|e| vec![("year", e)]),
        "custom" => {
            let from = crate::schedule::parse_date(form.from);
            let to = crate::schedule::parse_date(form.to);
            match (from, to) {
                (Ok(from), Ok(to)) => {
                    let period = Period::new(from, to).map_err(|e| vec![("to", e)])?;
                    if (to - from).num_days() > MAX_PERIOD_DAYS {
                        return Err(vec![("to", FieldError::PeriodTooLong)]);
                    }
                    Ok(PeriodChoice::Custom(period))
                }
                (from, to) => Err(
                    [from.err().map(|e| ("from", e)), to.err().map(|e| ("to", e))]
                        .into_iter()
                        .flatten()
                        .collect(),
                ),
            }
        }
        _ => Err(vec![("period", FieldError::ChoiceInvalid)]),
    }
}

/// The rows one report needs (`docs/indicators.md §1.6`), already limited to the
/// neighbourhoods the user may see.
#[derive(Debug, Clone)]
pub struct Inputs<K> {
    pub households: Vec<Household<K>>,
    /// Every visit up to the end of the period, of the households above.
    pub visits: Vec<Visit<K>>,
    /// The coordinator's estimate of single-parent households (`§2`); for several
    /// neighbourhoods the sum, and none when one of them has none.
    pub estimate: Option<u32>,
    pub coffee_hours: Vec<CoffeeHourRecord>,
    pub absences: Vec<(NaiveDate, Option<AbsenceReason>)>,
    pub cant_come: Vec<(NaiveDate, Option<AbsenceReason>)>,
    pub childcare_requests: Vec<NaiveDate>,
    /// One per held session with its encouragement effect (`§7`).
    pub effects: Vec<(NaiveDate, Option<Effect>)>,
    /// The dates of held sessions, for which weekdays activities run (`§8`).
    pub held_sessions: Vec<NaiveDate>,
    /// Each household's parents' working days (`§8`).
    pub parent_days: HashMap<K, Vec<ParentDays>>,
}

impl<K> Default for Inputs<K> {
    fn default() -> Self {
        Inputs {
            households: Vec::new(),
            visits: Vec::new(),
            estimate: Some(0),
            coffee_hours: Vec::new(),
            absences: Vec::new(),
            cant_come: Vec::new(),
            childcare_requests: Vec::new(),
            effects: Vec::new(),
            held_sessions: Vec::new(),
            parent_days: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash> Inputs<K> {
    /// Several neighbourhoods as one: their rows together. The estimate is the sum only when
    /// every neighbourhood has one; a partial sum would inflate the reach percentage.
    pub fn pool(parts: impl IntoIterator<Item = Inputs<K>>) -> Inputs<K> {
        let mut all = Inputs::default();
        for p in parts {
            all.households.extend(p.households);
            all.visits.extend(p.visits);
            all.estimate = match (all.estimate, p.estimate) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                _ => None,
            };
            all.coffee_hours.extend(p.coffee_hours);
            all.absences.extend(p.absences);
            all.cant_come.extend(p.cant_come);
            all.childcare_requests.extend(p.childcare_requests);
            all.effects.extend(p.effects);
            all.held_sessions.extend(p.held_sessions);
            all.parent_days.extend(p.parent_days);
        }
        all
    }
}

/// Turnout of one ISO week: the line of the trend chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekTurnout {
    pub week: IsoWeek,
    /// The Monday of the week (may lie before the period's first day).
    pub monday: NaiveDate,
    /// Visits in the week, within the period.
    pub visits: u32,
}

/// Every indicator of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub period: Period,
    /// The day records were looked at up to (`§4.1`).
    pub as_of: NaiveDate,
    pub reach: Reach,
    pub dose: Dose,
    pub retention: Retention,
    /// Drop-outs in the period (`§4.2`), single-parent and other.
    pub drop_outs: Split,
    pub fidelity: Fidelity,
    pub barriers: Barriers,
    pub encouragement: EncouragementEffect,
    pub time_slot_fit: TimeSlotFit,
    pub weeks: Vec<WeekTurnout>,
}

/// One column of a report: one neighbourhood, or the chosen neighbourhoods together, with the
/// same indicators for the period before so each headline number can show its change.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The neighbourhood's name, or "all chosen neighbourhoods" in the user's language.
    pub name: String,
    /// Where the estimate of single-parent households came from ("CBS 2025"); empty when
    /// there is none, or for the pooled column.
    pub estimate_source: String,
    pub now: Indicators,
    pub before: Indicators,
}

/// How many months of cohorts the retention part of a report shows (`§4.1`): enough for every
/// milestone, 12 months included, to have cohorts that are old enough.
pub const RETENTION_MONTHS: u32 = 24;

/// All indicators for `period`, looked at on `today` (`docs/indicators.md`).
pub fn compute<K: Eq + Hash + Clone>(
    inputs: &Inputs<K>,
    period: Period,
    today: NaiveDate,
) -> Indicators {
    let as_of = period.reference(today);
    let kinds: FxHashMap<&K, _> = inputs.households.iter().map(|h| (&h.id, h.kind)).collect();

    let mut drop_outs = Split::default();
    for d in indicators::drop_outs(&inputs.visits, period, today) {
        if let Some(kind) = kinds.get(&d.household) {
            drop_outs.count(*kind);
        }
    }

    let taking_part = indicators::taking_part(&inputs.visits, period);
    let days: Vec<Vec<ParentDays>> = taking_part
        .iter()
        .map(|k| inputs.parent_days.get(k).cloned().unwrap_or_default())
        .collect();

    Indicators {
        period,
        as_of,
        reach: indicators::reach(&inputs.households, &inputs.visits, period, inputs.estimate),
        dose: indicators::dose(&inputs.visits, period),
        retention: indicators::retention(&recent_cohorts(&inputs.visits, as_of), as_of),
        drop_outs,
        fidelity: indicators::fidelity(&inputs.coffee_hours, period),
        barriers: indicators::barriers(
            &inputs.absences,
            &inputs.cant_come,
            &inputs.childcare_requests,
            period,
        ),
        encouragement: indicators::encouragement(&inputs.effects, period),
        time_slot_fit: indicators::time_slot_fit(&days, &inputs.held_sessions, period),
        weeks: weeks(&inputs.visits, period),
    }
}

/// The first day of the oldest cohort a report on `as_of` shows: the `RETENTION_MONTHS`
/// months up to and including `as_of`'s month.
fn cohort_start(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(RETENTION_MONTHS))
        .map(|d| date(d.year(), d.month(), 1))
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .unwrap_or(NaiveDate::MIN)
}

/// The visits of households whose first visit falls in the `RETENTION_MONTHS` months up to
/// `as_of`: older cohorts say how the programme ran years ago, not now.
fn recent_cohorts<K: Eq + Hash + Clone>(visits: &[Visit<K>], as_of: NaiveDate) -> Vec<Visit<K>> {
    let start = cohort_start(as_of);
    let mut first: FxHashMap<&K, NaiveDate> = FxHashMap::default();
    for v in visits.iter().filter(|v| v.date <= as_of) {
        first
            .entry(&v.household)
            .and_modify(|d| *d = (*d).min(v.date))
            .or_insert(v.date);
    }
    visits
        .iter()
        .filter(|v| first.get(&v.household).is_some_and(|f| *f >= start))
        .cloned()
        .collect()
}

/// What a report of some periods reads of the visits (`docs/indicators.md §10.1`): every
/// visit from one day on, the visits of recent newcomers from an earlier day, and of the rest
/// only a household's first two visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitWindow {
    /// Every visit from this day on: before it lies no visit of a period and none whose
    /// 8 weeks away could end in one.
    pub every_visit_from: NaiveDate,
    /// The first day of the oldest retention cohort: a household whose first visit is on or
    /// after it is followed from its first visit on.
    pub cohorts_from: NaiveDate,
}

impl VisitWindow {
    pub fn new(periods: &[Period], today: NaiveDate) -> VisitWindow {
        let min = |f: &dyn Fn(&Period) -> NaiveDate| {
            periods.iter().map(f).min().unwrap_or(NaiveDate::MIN)
        };
        VisitWindow {
            every_visit_from: min(&|p| {
                p.from()
                    .checked_sub_days(Days::new(indicators::ACTIVE_WINDOW_DAYS))
                    .unwrap_or(NaiveDate::MIN)
            }),
            cohorts_from: min(&|p| cohort_start(p.reference(today))),
        }
    }

    /// The first day any visit is read one by one.
    pub fn start(self) -> NaiveDate {
        self.every_visit_from.min(self.cohorts_from)
    }

    /// Whether a visit on `date` is read one by one, for a household whose first visit was
    /// on `first`.
    pub fn reads(self, date: NaiveDate, first: Option<NaiveDate>) -> bool {
        date >= self.every_visit_from
            || (date >= self.start() && first.is_some_and(|f| f >= self.cohorts_from))
    }

    /// The visits that stand for those a household has before the window: for a household
    /// that is no recent newcomer, those of its first two visits ever (`first`, `second`)
    /// that lie before `every_visit_from`. The first says it is not new and belongs to no
    /// recent cohort; the second, with the visits after it, tells whether it had come three
    /// times before it stayed away. They lie before every period, so their kind counts
    /// nowhere and is not kept.
    pub fn stand_ins<K: Clone>(
        self,
        household: &K,
        first: Option<NaiveDate>,
        second: Option<NaiveDate>,
    ) -> Vec<Visit<K>> {
        if first.is_none_or(|f| f >= self.cohorts_from) {
            return Vec::new();
        }
        [first, second]
            .into_iter()
            .flatten()
            .filter(|d| *d < self.every_visit_from)
            .map(|date| Visit {
                household: household.clone(),
                date,
                kind: ActivityKind::CoffeeHourExclusive,
            })
            .collect()
    }
}

/// Visits per ISO week of the period, every week present (a week without visits is a zero on
/// the line, not a gap that hides it).
fn weeks<K>(visits: &[Visit<K>], period: Period) -> Vec<WeekTurnout> {
    let mut per: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let monday = |d: NaiveDate| d - Days::new(u64::from(d.weekday().num_days_from_monday()));
    let mut day = monday(period.from());
    while day <= period.to() {
        per.insert(day, 0);
        day = day + Days::new(7);
    }
    for v in visits.iter().filter(|v| period.contains(v.date)) {
        *per.entry(monday(v.date)).or_default() += 1;
    }
    per.into_iter()
        .map(|(monday, visits)| WeekTurnout {
            week: monday.iso_week(),
            monday,
            visits,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HouseholdKind::{MultiParent, SingleParent};
    use crate::activity::ActivityKind::CoffeeHourExclusive as Coffee;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        date(y, m, day)
    }

    fn form<'a>(kind: &'a str, year: &'a str, quarter: &'a str) -> PeriodForm<'a> {
        PeriodForm {
            kind,
            year,
            quarter,
            ..PeriodForm::default()
        }
    }

    #[test]
    fn a_quarter_runs_from_its_first_to_its_last_day() {
        let q = parse_period(form("quarter", "2026", "1"), d(2026, 12, 6));
        assert_eq!(
            q,
            Ok(PeriodChoice::Quarter {
                year: 2026,
                quarter: 1
            })
        );
        let p = PeriodChoice::Quarter {
            year: 2026,
            quarter: 1,
        }
        .period();
        assert_eq!((p.from(), p.to()), (d(2026, 1, 1), d(2026, 3, 31)));
        let p = PeriodChoice::Quarter {
            year: 2026,
            quarter: 4,
        }
        .period();
        assert_eq!((p.from(), p.to()), (d(2026, 10, 1), d(2026, 12, 31)));
    }

    #[test]
    fn the_period_before_a_first_quarter_is_last_years_fourth() {
        let p = PeriodChoice::Quarter {
            year: 2026,
            quarter: 1,
        }
        .previous();
        assert_eq!((p.from(), p.to()), (d(2025, 10, 1), d(2025, 12, 31)));
        let p = PeriodChoice::Year(2026).previous();
        assert_eq!((p.from(), p.to()), (d(2025, 1, 1), d(2025, 12, 31)));
        let custom =
            Period::new(d(2026, 3, 1), d(2026, 3, 10)).unwrap_or(PeriodChoice::Year(2026).period());
        let p = PeriodChoice::Custom(custom).previous();
        assert_eq!((p.from(), p.to()), (d(2026, 2, 19), d(2026, 2, 28)));
    }

    #[test]
    fn without_a_choice_the_report_shows_the_current_quarter() {
        assert_eq!(
            parse_period(PeriodForm::default(), d(2026, 12, 6)),
            Ok(PeriodChoice::Quarter {
                year: 2026,
                quarter: 4
            })
        );
    }

    #[test]
    fn nonsense_in_the_period_form_names_the_field() {
        let today = d(2026, 12, 6);
        assert_eq!(
            parse_period(form("quarter", "20x6", "5"), today),
            Err(vec![
                ("year", FieldError::YearInvalid),
                ("quarter", FieldError::ChoiceInvalid)
            ])
        );
        assert_eq!(
            parse_period(form("decade", "", ""), today),
            Err(vec![("period", FieldError::ChoiceInvalid)])
        );
        let custom = |from, to| PeriodForm {
            kind: "custom",
            from,
            to,
            ..PeriodForm::default()
        };
        assert_eq!(
            parse_period(custom("31-02-2026", ""), today),
            Err(vec![
                ("from", FieldError::DateInvalid),
                ("to", FieldError::Required)
            ])
        );
        assert_eq!(
            parse_period(custom("2026-03-01", "2026-02-01"), today),
            Err(vec![("to", FieldError::UntilBeforeFrom)])
        );
        assert_eq!(
            parse_period(custom("2010-01-01", "2026-01-01"), today),
            Err(vec![("to", FieldError::PeriodTooLong)])
        );
        assert!(matches!(
            parse_period(custom("1-2-2026", "28-02-2026"), today),
            Ok(PeriodChoice::Custom(p)) if p.from() == d(2026, 2, 1) && p.to() == d(2026, 2, 28)
        ));
    }

    fn visit(h: &'static str, date: NaiveDate) -> Visit<&'static str> {
        Visit {
            household: h,
            date,
            kind: Coffee,
        }
    }

    /// The worked example of `docs/indicators.md §2` through `compute`, plus a drop-out.
    #[test]
    fn compute_gives_the_numbers_of_the_worked_examples() {
        let inputs = Inputs {
            households: vec![
                Household {
                    id: "A",
                    kind: SingleParent,
                },
                Household {
                    id: "B",
                    kind: SingleParent,
                },
                Household {
                    id: "C",
                    kind: MultiParent,
                },
                Household {
                    id: "D",
                    kind: SingleParent,
                },
            ],
            visits: vec![
                visit("A", d(2025, 12, 10)),
                visit("A", d(2026, 1, 8)),
                visit("A", d(2026, 1, 15)),
                visit("A", d(2026, 1, 22)),
                visit("B", d(2026, 1, 8)),
                visit("C", d(2026, 1, 15)),
                visit("C", d(2026, 1, 22)),
                visit("C", d(2026, 1, 29)),
                visit("D", d(2026, 4, 2)),
            ],
            estimate: Some(20),
            ..Inputs::default()
        };
        let q1 = PeriodChoice::Quarter {
            year: 2026,
            quarter: 1,
        }
        .period();
        let r = compute(&inputs, q1, d(2026, 12, 6));
        assert_eq!(
            r.reach.reached,
            Split {
                single_parent: 2,
                other: 1
            }
        );
        assert_eq!(r.reach.taking_part.total(), 2);
        assert_eq!(r.reach.new.total(), 2);
        assert_eq!(r.reach.reach.percent(), Some(10.0));
        // A's fourth visit on 22 January, then nothing: away from 19 March (22 Jan + 56 days).
        // C's third on 29 January: out on 26 March. Both in the first quarter.
        assert_eq!(
            r.drop_outs,
            Split {
                single_parent: 1,
                other: 1
            }
        );
        assert_eq!(r.as_of, d(2026, 3, 31));
        // 1 January 2026 is a Thursday: ISO week 1 of 2026 starts 29 December 2025.
        assert_eq!(r.weeks.first().map(|w| w.monday), Some(d(2025, 12, 29)));
        assert_eq!(r.weeks.len(), 14);
        let visits: u32 = r.weeks.iter().map(|w| w.visits).sum();
        assert_eq!(visits, 7);
        assert_eq!(r.weeks.get(2).map(|w| w.visits), Some(2));
    }

    #[test]
    fn pooled_neighbourhoods_have_an_estimate_only_when_each_has_one() {
        let with = |estimate| Inputs::<u8> {
            estimate,
            ..Inputs::default()
        };
        assert_eq!(
            Inputs::pool([with(Some(10)), with(Some(5))]).estimate,
            Some(15)
        );
        assert_eq!(Inputs::pool([with(Some(10)), with(None)]).estimate, None);
    }

    /// What the store does, done here on full inputs: only the households whose latest
    /// visit is on or after the window's first day (`docs/indicators.md §10.3`), with their
    /// parents' days; of those, the visits the window reads one by one, and the stand-ins for
    /// the rest.
    fn windowed(all: &Inputs<u8>, window: VisitWindow) -> Inputs<u8> {
        let mut dates: BTreeMap<u8, Vec<NaiveDate>> = BTreeMap::new();
        for v in &all.visits {
            dates.entry(v.household).or_default().push(v.date);
        }
        for d in dates.values_mut() {
            d.sort_unstable();
        }
        let came = |h: &u8| {
            dates
                .get(h)
                .and_then(|d| d.last())
                .is_some_and(|last| *last >= window.start())
        };
        let first = |h: &u8| dates.get(h).and_then(|d| d.first().copied());
        let mut visits: Vec<Visit<u8>> = all
            .visits
            .iter()
            .filter(|v| came(&v.household) && window.reads(v.date, first(&v.household)))
            .cloned()
            .collect();
        for (h, d) in dates.iter().filter(|(h, _)| came(h)) {
            visits.extend(window.stand_ins(h, d.first().copied(), d.get(1).copied()));
        }
        Inputs {
            households: all
                .households
                .iter()
                .filter(|h| came(&h.id))
                .cloned()
                .collect(),
            visits,
            parent_days: all
                .parent_days
                .iter()
                .filter(|(h, _)| came(h))
                .map(|(h, p)| (*h, p.clone()))
                .collect(),
            ..Inputs::default()
        }
    }

    proptest::proptest! {
        /// The report reads only the window's visits one by one (`docs/indicators.md
        /// §10.1`), and only the households that came on or after its first day (`§10.3`):
        /// for any visits and any quarter, year or custom period, every indicator is the same
        /// as from every household and all visits.
        #[test]
        fn the_window_gives_the_same_report_as_every_visit(
            raw in proptest::collection::vec((0u8..12, 0u32..2200, 0usize..3), 0..400),
            choice in 0u8..3,
            year in 2023i32..2027,
            quarter in 1u32..5,
            custom_from in 0u32..1800,
            custom_days in 0u32..1830,
            today_offset in 0u32..2300,
        ) {
            let origin = d(2020, 1, 1);
            let kinds = [Coffee, ActivityKind::Outing, ActivityKind::Workshop];
            let visits: Vec<Visit<u8>> = raw
                .iter()
                .map(|(h, day, k)| Visit {
                    household: *h,
                    date: origin + Days::new(u64::from(*day)),
                    kind: kinds.get(*k).copied().unwrap_or(Coffee),
                })
                .collect();
            let households = (0u8..12)
                .map(|id| Household {
                    id,
                    kind: if id % 3 == 0 { MultiParent } else { SingleParent },
                })
                .collect::<Vec<_>>();
            let today = origin + Days::new(u64::from(today_offset));
            let choice = match choice {
                0 => PeriodChoice::Quarter { year, quarter },
                1 => PeriodChoice::Year(year),
                _ => {
                    let from = origin + Days::new(u64::from(custom_from));
                    PeriodChoice::Custom(Period::at_least_a_day(
                        from,
                        from + Days::new(u64::from(custom_days)),
                    ))
                }
            };
            let (period, previous) = (choice.period(), choice.previous());
            let window = VisitWindow::new(&[period, previous], today);
            // Every household has parents: one who works and is free on a weekday of its
            // own, and in every third household a second who does not work.
            let parent_days = (0u8..12)
                .map(|id| {
                    let free = chrono::Weekday::try_from(id % 7).unwrap_or(chrono::Weekday::Mon);
                    let mut days = vec![crate::indicators::ParentDays { works: true, free_days: vec![free] }];
                    if id % 3 == 0 {
                        days.push(crate::indicators::ParentDays { works: false, free_days: Vec::new() });
                    }
                    (id, days)
                })
                .collect();
            let held_sessions = visits.iter().map(|v| v.date).collect();
            let all = Inputs { households, visits, parent_days, held_sessions, ..Inputs::default() };
            let window = Inputs { held_sessions: all.held_sessions.clone(), ..windowed(&all, window) };
            for p in [period, previous] {
                proptest::prop_assert_eq!(compute(&all, p, today), compute(&window, p, today));
            }
        }
    }

    #[test]
    fn retention_looks_at_the_cohorts_of_the_last_two_years() {
        let old = visit("old", d(2023, 5, 1));
        let new = visit("new", d(2025, 1, 6));
        let kept = recent_cohorts(&[old, new.clone()], d(2026, 12, 31));
        assert_eq!(kept, vec![new]);
    }
}

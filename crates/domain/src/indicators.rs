//! The process indicators: what the weeks add up to, for the team and the funder.
//!
//! Issue #15 asks how many families the programme reaches, how often they come, who stays,
//! whether the coffee hour runs as the handbook describes and what keeps families away. Each
//! indicator is defined in `docs/indicators.md`; the section is named on each function, and
//! the tests use that section's worked example, so the page, the document and the code cannot
//! tell three different stories. Plain rows in, plain numbers out: the store gathers the rows,
//! the web shows them.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use chrono::NaiveDate;

use crate::HouseholdKind;
use crate::activity::ActivityKind;
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

    fn count(&mut self, kind: HouseholdKind) {
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
    let mut per: HashMap<&K, u32> = HashMap::new();
    for v in visits.iter().filter(|v| period.contains(v.date)) {
        *per.entry(&v.household).or_default() += 1;
    }
    per
}

/// Each household's first visit ever among the visits given, up to `until`.
fn first_visits<K: Eq + Hash>(visits: &[Visit<K>], until: NaiveDate) -> HashMap<&K, NaiveDate> {
    let mut first: HashMap<&K, NaiveDate> = HashMap::new();
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
    let per_kind = ActivityKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<&Visit<K>> = visits
                .iter()
                .filter(|v| v.kind == kind && period.contains(v.date))
                .collect();
            let households: std::collections::HashSet<&K> =
                of_kind.iter().map(|v| &v.household).collect();
            (
                kind,
                KindDose {
                    visits: count(of_kind.len()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityKind::{CoffeeHourExclusive as Coffee, Outing};
    use HouseholdKind::{MultiParent, SingleParent};

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
}

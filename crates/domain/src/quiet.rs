//! When to propose *even stil* (quiet) for a family (issue #17, departure 7).
//!
//! A household's status never changes by itself: a family that stays away may be ill, moved,
//! or only busy, and the worker knows which. The software proposes the move on the worker's
//! start page; the worker confirms it with one click, or dismisses it.
//!
//! The rule uses the reports' own words (docs/indicators.md): a family **took part** when it
//! came at least three times (§2, "taking part"), and it is **away** when it has had no visit
//! in the 8 weeks ending today (§4.1, "active on a date"; the same 56 days as a drop-out in
//! §4.2).

use chrono::NaiveDate;

use crate::HouseholdStatus;

/// Visits after which a family took part (docs/indicators.md §2).
pub const TOOK_PART_VISITS: u32 = 3;

/// Days without a visit after which a family that took part is away: 8 weeks.
pub const AWAY_DAYS: i64 = 56;

/// What the rule needs to know of one household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietFacts {
    pub status: HouseholdStatus,
    /// Visits ever: present at a session that was held.
    pub visits: u32,
    /// The day of the last of those visits.
    pub last_visit: Option<NaiveDate>,
    /// The day a worker last dismissed the proposal for this household, if ever.
    pub dismissed_on: Option<NaiveDate>,
}

/// The last day a visit keeps a family active on `today`: a visit on this day or later is in
/// the 56 days ending today.
pub fn away_unless_seen_since(today: NaiveDate) -> NaiveDate {
    today - chrono::Duration::days(AWAY_DAYS - 1)
}

/// Whether to propose *even stil* for this household today: it is active, it took part, and
/// it has not come for 8 weeks. A proposal the worker dismissed stays away until the family
/// comes again (a visit after the dismissal) and then stays away for 8 weeks once more.
pub fn propose_quiet(f: &QuietFacts, today: NaiveDate) -> bool {
    let Some(last) = f.last_visit else {
        return false;
    };
    f.status == HouseholdStatus::Active
        && f.visits >= TOOK_PART_VISITS
        && last < away_unless_seen_since(today)
        && f.dismissed_on.is_none_or(|d| d < last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn family(visits: u32, last_visit: NaiveDate) -> QuietFacts {
        QuietFacts {
            status: HouseholdStatus::Active,
            visits,
            last_visit: Some(last_visit),
            dismissed_on: None,
        }
    }

    #[test]
    fn a_family_that_took_part_and_has_not_come_for_eight_weeks_is_proposed_as_quiet() {
        let today = day(2026, 12, 9);
        // Eight weeks ago to the day: the 56 days ending today hold no visit.
        assert!(propose_quiet(&family(3, day(2026, 10, 14)), today));
        // One day later, the visit is still within the 8 weeks.
        assert!(!propose_quiet(&family(3, day(2026, 10, 15)), today));
        assert!(propose_quiet(&family(40, day(2025, 1, 6)), today));
    }

    #[test]
    fn a_family_that_came_only_once_or_twice_did_not_take_part_and_is_not_proposed() {
        let today = day(2026, 12, 9);
        assert!(!propose_quiet(&family(2, day(2026, 1, 5)), today));
        assert!(!propose_quiet(&family(0, day(2026, 1, 5)), today));
        let never = QuietFacts {
            last_visit: None,
            ..family(3, today)
        };
        assert!(!propose_quiet(&never, today));
    }

    #[test]
    fn only_an_active_family_becomes_quiet() {
        let today = day(2026, 12, 9);
        for status in HouseholdStatus::ALL {
            let f = QuietFacts {
                status,
                ..family(5, day(2026, 6, 1))
            };
            assert_eq!(
                propose_quiet(&f, today),
                status == HouseholdStatus::Active,
                "{status:?}"
            );
            // The proposal is always a move the lifecycle allows.
            if propose_quiet(&f, today) {
                assert!(status.may_become(HouseholdStatus::Quiet));
            }
        }
    }

    #[test]
    fn a_dismissed_proposal_comes_back_only_after_the_family_came_again_and_stayed_away() {
        let today = day(2026, 12, 9);
        let dismissed = QuietFacts {
            dismissed_on: Some(day(2026, 11, 1)),
            ..family(5, day(2026, 9, 1))
        };
        assert!(!propose_quiet(&dismissed, today));
        // They came on 2 November, after the dismissal, and not since: proposed again on
        // 28 December, 8 weeks later.
        let came_again = QuietFacts {
            last_visit: Some(day(2026, 11, 2)),
            ..dismissed
        };
        assert!(!propose_quiet(&came_again, today));
        assert!(!propose_quiet(&came_again, day(2026, 12, 27)));
        assert!(propose_quiet(&came_again, day(2026, 12, 28)));
    }
}

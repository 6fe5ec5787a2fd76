//! What came of the encouragement, and the follow-up tasks it leaves.
//!
//! Handbook §3.3 says the personal word before a session is "necessary for a good turnout".
//! Issue #5 asks the software to show it: of the households the worker encouraged for a
//! session, how many came. A worker who tried and did not get through has not encouraged
//! anyone, so those households are counted apart; the two numbers side by side are the
//! honest comparison the data allows (there is no control group).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::NaiveDate;

use crate::message::ContactOutcome;

/// The effect of the encouragement for one session that took place and whose attendance was
/// taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effect {
    /// Households the worker reached about this session (coming, maybe, not coming, needs help).
    pub reached: usize,
    /// …of whom came.
    pub reached_came: usize,
    /// Households the worker tried but did not reach ("not reached", "try again later").
    pub not_reached: usize,
    /// …of whom came all the same.
    pub not_reached_came: usize,
}

impl Effect {
    /// Whether anyone was contacted about the session at all.
    pub fn is_empty(&self) -> bool {
        self.reached == 0 && self.not_reached == 0
    }

    /// Add another session's numbers (the weekly overview sums the past week).
    pub fn add(&mut self, other: Effect) {
        self.reached += other.reached;
        self.reached_came += other.reached_came;
        self.not_reached += other.not_reached;
        self.not_reached_came += other.not_reached_came;
    }
}

/// Whether a contact with this outcome means the parent got the personal word.
pub fn reached(outcome: ContactOutcome) -> bool {
    !matches!(
        outcome,
        ContactOutcome::NotReached | ContactOutcome::TryLater
    )
}

/// The effect for one session, from its contact moments in the order they were logged
/// (oldest first: the latest contact with a household decides) and the households present.
///
/// `None` when households were contacted but attendance was not taken: then "0 came" would
/// be a claim we cannot make. Without contacts there is nothing to report: an empty effect.
pub fn effect<K: Eq + Hash + Clone>(
    contacts: &[(K, ContactOutcome)],
    present: &HashSet<K>,
    attendance_taken: bool,
) -> Option<Effect> {
    if contacts.is_empty() {
        return Some(Effect::default());
    }
    if !attendance_taken {
        return None;
    }
    let mut latest: HashMap<&K, ContactOutcome> = HashMap::new();
    for (k, o) in contacts {
        latest.insert(k, *o);
    }
    let mut e = Effect::default();
    for (k, o) in latest {
        let came = present.contains(k);
        if reached(o) {
            e.reached += 1;
            e.reached_came += usize::from(came);
        } else {
            e.not_reached += 1;
            e.not_reached_came += usize::from(came);
        }
    }
    Some(e)
}

/// Where a follow-up task stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Its date has passed, this many days ago.
    Overdue(u32),
    Today,
    /// Still ahead, in this many days.
    Later(u32),
}

impl Due {
    pub fn of(date: NaiveDate, today: NaiveDate) -> Due {
        let days = (date - today).num_days();
        let n = u32::try_from(days.unsigned_abs()).unwrap_or(u32::MAX);
        match days {
            0 => Due::Today,
            d if d < 0 => Due::Overdue(n),
            _ => Due::Later(n),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Due::Overdue(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::AbsenceReason;

    fn set(ids: &[&'static str]) -> HashSet<&'static str> {
        ids.iter().copied().collect()
    }

    #[test]
    fn of_the_households_reached_we_count_who_came() {
        let contacts = [
            ("Sanne", ContactOutcome::Coming),
            ("Fatima", ContactOutcome::Maybe),
            ("Ilse", ContactOutcome::NotComing(Some(AbsenceReason::Work))),
            ("Noor", ContactOutcome::NeedsHelp),
        ];
        let e = effect(&contacts, &set(&["Sanne", "Noor", "Amira"]), true);
        assert_eq!(
            e,
            Some(Effect {
                reached: 4,
                reached_came: 2,
                not_reached: 0,
                not_reached_came: 0,
            })
        );
    }

    #[test]
    fn tried_but_not_reached_is_counted_apart() {
        let contacts = [
            ("Sanne", ContactOutcome::NotReached),
            ("Fatima", ContactOutcome::TryLater),
            ("Ilse", ContactOutcome::Coming),
        ];
        let e = effect(&contacts, &set(&["Sanne", "Ilse"]), true).unwrap_or_default();
        assert_eq!((e.reached, e.reached_came), (1, 1));
        assert_eq!((e.not_reached, e.not_reached_came), (2, 1));
    }

    #[test]
    fn the_latest_contact_with_a_household_decides_and_counts_once() {
        // Not reached on Monday, reached on Tuesday: one household, reached.
        let contacts = [
            ("Sanne", ContactOutcome::NotReached),
            ("Sanne", ContactOutcome::Coming),
            ("Fatima", ContactOutcome::Coming),
            ("Fatima", ContactOutcome::TryLater),
        ];
        let e = effect(&contacts, &set(&["Sanne"]), true).unwrap_or_default();
        assert_eq!(
            e,
            Effect {
                reached: 1,
                reached_came: 1,
                not_reached: 1,
                not_reached_came: 0,
            }
        );
    }

    #[test]
    fn without_attendance_there_is_no_effect_to_report() {
        let contacts = [("Sanne", ContactOutcome::Coming)];
        assert_eq!(effect(&contacts, &set(&[]), false), None);
        // Nobody encouraged: nothing to report, taken or not.
        for taken in [true, false] {
            assert_eq!(
                effect::<&str>(&[], &set(&["Sanne"]), taken),
                Some(Effect::default())
            );
        }
        assert!(Effect::default().is_empty());
    }

    #[test]
    fn effects_add_up_over_a_week() {
        let mut week = Effect::default();
        week.add(Effect {
            reached: 3,
            reached_came: 2,
            not_reached: 1,
            not_reached_came: 0,
        });
        week.add(Effect {
            reached: 2,
            reached_came: 2,
            not_reached: 2,
            not_reached_came: 1,
        });
        assert_eq!(
            week,
            Effect {
                reached: 5,
                reached_came: 4,
                not_reached: 3,
                not_reached_came: 1,
            }
        );
    }

    #[test]
    fn a_follow_up_is_due_overdue_or_later() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert_eq!(Due::of(day(2), today), Due::Today);
        assert_eq!(Due::of(day(1), today), Due::Overdue(1));
        assert_eq!(Due::of(day(9), today), Due::Later(7));
        assert!(Due::of(day(1), today).is_overdue());
        assert!(!Due::of(day(2), today).is_overdue());
    }
}

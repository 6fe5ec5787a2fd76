//! Households: who they are, how they came in, where they stand, and how old the children are.

use chrono::{Datelike, NaiveDate};

use crate::fields::FieldError;

/// One or more parents at home. The intervention is made for single-parent households
/// (eenoudergezinnen); others may join a group but are not its primary target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdKind {
    SingleParent,
    MultiParent,
}

impl HouseholdKind {
    pub const ALL: [HouseholdKind; 2] = [HouseholdKind::SingleParent, HouseholdKind::MultiParent];

    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdKind::SingleParent => "single_parent",
            HouseholdKind::MultiParent => "multi_parent",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        HouseholdKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Where a household stands: contacted, then active, possibly quiet for a while, and
/// eventually left. A family that left may come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HouseholdStatus {
    Contacted,
    Active,
    Quiet,
    Left,
}

impl HouseholdStatus {
    pub const ALL: [HouseholdStatus; 4] = [
        HouseholdStatus::Contacted,
        HouseholdStatus::Active,
        HouseholdStatus::Quiet,
        HouseholdStatus::Left,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdStatus::Contacted => "contacted",
            HouseholdStatus::Active => "active",
            HouseholdStatus::Quiet => "quiet",
            HouseholdStatus::Left => "left",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        HouseholdStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    /// Whether a worker may move a household from this status to `next`. Staying put is not
    /// a move. Nobody goes back to "contacted": once active, the history says so.
    pub fn may_become(self, next: HouseholdStatus) -> bool {
        use HouseholdStatus::{Active, Contacted, Left, Quiet};
        matches!(
            (self, next),
            (Contacted, Active | Left)
                | (Active, Quiet | Left)
                | (Quiet, Active | Left)
                | (Left, Active)
        )
    }
}

/// How a parent prefers to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    WhatsApp,
    Phone,
    Sms,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::WhatsApp,
        Channel::Phone,
        Channel::Sms,
        Channel::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WhatsApp => "whatsapp",
            Channel::Phone => "phone",
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Who brought the household in. The handbook asks to keep track, so a neighbourhood learns
/// which partners find parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    NeighbourhoodTeam,
    School,
    YouthHealthCare,
    SportsCoach,
    OtherParent,
    Publicity,
    SelfReferral,
    /// Through a partner organisation of another kind than the ones above (culture, police,
    /// debt help, …): `source_partner_id` says which (issue #16).
    Partner,
}

impl Source {
    pub const ALL: [Source; 8] = [
        Source::NeighbourhoodTeam,
        Source::School,
        Source::YouthHealthCare,
        Source::SportsCoach,
        Source::OtherParent,
        Source::Publicity,
        Source::SelfReferral,
        Source::Partner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::NeighbourhoodTeam => "neighbourhood_team",
            Source::School => "school",
            Source::YouthHealthCare => "youth_health_care",
            Source::SportsCoach => "sports_coach",
            Source::OtherParent => "other_parent",
            Source::Publicity => "publicity",
            Source::SelfReferral => "self",
            Source::Partner => "partner",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Source::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// A child's month and year of birth. We do not ask for the day: month and year tell whether
/// the child is a minor, and keep less about the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildBirth {
    pub year: i32,
    pub month: u32,
}

impl ChildBirth {
    /// The age from which a child no longer counts as a minor.
    pub const ADULT_AGE: u32 = 18;
    /// Earliest year the form accepts.
    pub const MIN_YEAR: i32 = 1900;

    /// From the form's two fields (month 1–12 as text, year four digits). Errors are per
    /// field: ("month", MonthInvalid) or ("year", YearInvalid / Required), and ("year",
    /// ChildTooOld) when the child is 18 or older on `today`; a birth month after today's
    /// month → ("year", DateInvalid).
    pub fn parse(
        month_raw: &str,
        year_raw: &str,
        today: NaiveDate,
    ) -> Result<ChildBirth, Vec<(&'static str, FieldError)>> {
        let month = parse_month(month_raw);
        let year = parse_year(year_raw);
        let (month, year) = match (month, year) {
            (Ok(month), Ok(year)) => (month, year),
            (month, year) => {
                let mut errors = Vec::new();
                if let Err(e) = month {
                    errors.push(("month", e));
                }
                if let Err(e) = year {
                    errors.push(("year", e));
                }
                return Err(errors);
            }
        };
        let birth = ChildBirth { year, month };
        if (year, month) > (today.year(), today.month()) {
            Err(vec![("year", FieldError::DateInvalid)])
        } else if !birth.is_minor_on(today) {
            Err(vec![("year", FieldError::ChildTooOld)])
        } else {
            Ok(birth)
        }
    }

    /// Whole years, counting the birthday as the first of the birth month. A birth after
    /// `today` counts as 0.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        let mut years = i64::from(today.year()) - i64::from(self.year);
        if today.month() < self.month {
            years -= 1;
        }
        u32::try_from(years.max(0)).unwrap_or(u32::MAX)
    }

    pub fn is_minor_on(&self, today: NaiveDate) -> bool {
        self.age_on(today) < Self::ADULT_AGE
    }
}

fn parse_month(raw: &str) -> Result<u32, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    if text.len() > 2 || !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::MonthInvalid);
    }
    text.parse::<u32>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(FieldError::MonthInvalid)
}

fn parse_year(raw: &str) -> Result<i32, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    if text.len() != 4 || !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::YearInvalid);
    }
    text.parse::<i32>()
        .ok()
        .filter(|y| *y >= ChildBirth::MIN_YEAR)
        .ok_or(FieldError::YearInvalid)
}

/// The handbook's primary target group (§2.5): a single-parent household with at least one
/// minor child.
pub fn is_primary_target(kind: HouseholdKind, children: &[ChildBirth], today: NaiveDate) -> bool {
    kind == HouseholdKind::SingleParent && children.iter().any(|c| c.is_minor_on(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn born(year: i32, month: u32) -> ChildBirth {
        ChildBirth { year, month }
    }

    #[test]
    fn choices_parse_from_their_form_values() {
        for k in HouseholdKind::ALL {
            assert_eq!(HouseholdKind::parse(k.as_str()), Ok(k));
        }
        for s in HouseholdStatus::ALL {
            assert_eq!(HouseholdStatus::parse(s.as_str()), Ok(s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Ok(c));
        }
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Ok(s));
        }
        assert_eq!(Source::parse("self"), Ok(Source::SelfReferral));
        assert_eq!(Channel::parse(" whatsapp "), Ok(Channel::WhatsApp));
        assert_eq!(
            HouseholdKind::parse("two_parent"),
            Err(FieldError::ChoiceInvalid)
        );
        assert_eq!(HouseholdStatus::parse(""), Err(FieldError::ChoiceInvalid));
        assert_eq!(Channel::parse("WhatsApp"), Err(FieldError::ChoiceInvalid));
        assert_eq!(
            Source::parse("self_referral"),
            Err(FieldError::ChoiceInvalid)
        );
    }

    #[test]
    fn a_household_moves_from_contacted_to_active_to_quiet_to_left() {
        use HouseholdStatus::{Active, Contacted, Left, Quiet};
        assert!(Contacted.may_become(Active));
        assert!(Contacted.may_become(Left));
        assert!(Active.may_become(Quiet));
        assert!(Active.may_become(Left));
        assert!(Quiet.may_become(Active));
        assert!(Quiet.may_become(Left));
        assert!(!Contacted.may_become(Quiet));
        assert!(!Active.may_become(Contacted));
        assert!(!Quiet.may_become(Contacted));
        assert!(!Left.may_become(Contacted));
        assert!(!Left.may_become(Quiet));
    }

    #[test]
    fn a_family_that_left_may_come_back() {
        assert!(HouseholdStatus::Left.may_become(HouseholdStatus::Active));
    }

    #[test]
    fn staying_in_the_same_status_is_not_a_move() {
        for s in HouseholdStatus::ALL {
            assert!(!s.may_become(s), "{s:?}");
        }
    }

    #[test]
    fn the_birthday_counts_as_the_first_of_the_birth_month() {
        let child = born(2015, 6);
        assert_eq!(child.age_on(day(2025, 5, 31)), 9);
        assert_eq!(child.age_on(day(2025, 6, 1)), 10);
        assert_eq!(child.age_on(day(2025, 12, 31)), 10);
        assert_eq!(born(2026, 1).age_on(day(2025, 12, 31)), 0);
    }

    #[test]
    fn a_child_of_eighteen_is_no_longer_a_minor() {
        let child = born(2008, 3);
        assert!(child.is_minor_on(day(2026, 2, 28)));
        assert!(!child.is_minor_on(day(2026, 3, 1)));
    }

    #[test]
    fn a_single_parent_with_a_minor_child_is_the_primary_target() {
        let today = day(2026, 11, 15);
        assert!(is_primary_target(
            HouseholdKind::SingleParent,
            &[born(2005, 1), born(2016, 9)],
            today
        ));
    }

    #[test]
    fn a_multi_parent_household_is_not_the_primary_target() {
        let today = day(2026, 11, 15);
        assert!(!is_primary_target(
            HouseholdKind::MultiParent,
            &[born(2016, 9)],
            today
        ));
    }

    #[test]
    fn a_single_parent_whose_children_are_all_grown_up_is_not_the_primary_target() {
        let today = day(2026, 11, 15);
        assert!(!is_primary_target(
            HouseholdKind::SingleParent,
            &[born(2005, 1), born(2008, 11)],
            today
        ));
        assert!(!is_primary_target(HouseholdKind::SingleParent, &[], today));
    }

    #[test]
    fn a_birth_is_read_from_month_and_year_fields() {
        let today = day(2026, 11, 15);
        assert_eq!(ChildBirth::parse("3", "2019", today), Ok(born(2019, 3)));
        assert_eq!(
            ChildBirth::parse(" 03 ", " 2019 ", today),
            Ok(born(2019, 3))
        );
        assert_eq!(ChildBirth::parse("11", "2026", today), Ok(born(2026, 11)));
        assert_eq!(ChildBirth::parse("12", "2008", today), Ok(born(2008, 12)));
    }

    #[test]
    fn each_field_gets_its_own_error() {
        let today = day(2026, 11, 15);
        assert_eq!(
            ChildBirth::parse("", "", today),
            Err(vec![
                ("month", FieldError::Required),
                ("year", FieldError::Required)
            ])
        );
        assert_eq!(
            ChildBirth::parse("13", "2019", today),
            Err(vec![("month", FieldError::MonthInvalid)])
        );
        for bad in ["0", "maart", "-1", "+3", "003", "1.5"] {
            assert_eq!(
                ChildBirth::parse(bad, "2019", today),
                Err(vec![("month", FieldError::MonthInvalid)]),
                "{bad}"
            );
        }
        for bad in ["19", "1899", "twintig", "20190", "+201", "-2019"] {
            assert_eq!(
                ChildBirth::parse("3", bad, today),
                Err(vec![("year", FieldError::YearInvalid)]),
                "{bad}"
            );
        }
        assert_eq!(
            ChildBirth::parse("13", "", today),
            Err(vec![
                ("month", FieldError::MonthInvalid),
                ("year", FieldError::Required)
            ])
        );
    }

    #[test]
    fn a_birth_after_today_is_not_a_date() {
        let today = day(2026, 11, 15);
        assert_eq!(
            ChildBirth::parse("12", "2026", today),
            Err(vec![("year", FieldError::DateInvalid)])
        );
        assert_eq!(
            ChildBirth::parse("1", "2027", today),
            Err(vec![("year", FieldError::DateInvalid)])
        );
    }

    #[test]
    fn a_child_of_eighteen_or_older_is_refused_on_the_form() {
        let today = day(2026, 11, 15);
        assert_eq!(
            ChildBirth::parse("11", "2008", today),
            Err(vec![("year", FieldError::ChildTooOld)])
        );
        assert_eq!(
            ChildBirth::parse("1", "1900", today),
            Err(vec![("year", FieldError::ChildTooOld)])
        );
    }
}

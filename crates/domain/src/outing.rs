//! Outings and holiday activities (handbook §3.3). An outing is organised *with* the parents
//! and must "passen bij de financiële mogelijkheden van de groep": the budget leads to a cost
//! per family, compared with what the group said it can pay. Holiday activities come from a
//! list each organisation keeps: built-in holidays it can hide, and its own.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use crate::FieldError;
use crate::schedule::{Nth, PLAN_WEEKS_AHEAD};

/// The budget of an outing, all amounts in integer cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    /// Entrance per person (parents and children alike).
    pub ticket_cents: u32,
    /// Transport for the whole group (a bus, fuel money, train tickets together).
    pub transport_cents: u32,
    /// What a fund, the municipality or the organisation pays towards it.
    pub subsidy_cents: u32,
    /// What a family can pay, as agreed with the group.
    pub affordable_cents: u32,
}

/// Who is coming: families, and people in them (parents and children).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    pub families: u32,
    pub people: u32,
}

/// What the budget comes to for the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyCost {
    /// Tickets for everyone plus transport.
    pub total_cents: u64,
    /// The total less the subsidy, never below zero.
    pub to_pay_cents: u64,
    /// What each family pays: the rest shared equally, rounded up to a whole cent so the
    /// costs are covered.
    pub per_family_cents: u64,
    /// Whether that is at most what a family can pay (handbook §3.3: "past bij de
    /// financiële mogelijkheden van de groep").
    pub fits: bool,
    /// The subsidy that is still missing for the outing to fit: zero when it fits.
    pub subsidy_short_cents: u64,
}

/// The cost per family of an outing; `None` while no family is coming.
pub fn cost_per_family(budget: &Budget, group: Group) -> Option<FamilyCost> {
    if group.families == 0 {
        return None;
    }
    let families = u64::from(group.families);
    let total = u64::from(budget.ticket_cents) * u64::from(group.people)
        + u64::from(budget.transport_cents);
    let to_pay = total.saturating_sub(u64::from(budget.subsidy_cents));
    let per_family = to_pay.div_ceil(families);
    let affordable = u64::from(budget.affordable_cents);
    Some(FamilyCost {
        total_cents: total,
        to_pay_cents: to_pay,
        per_family_cents: per_family,
        fits: per_family <= affordable,
        subsidy_short_cents: to_pay.saturating_sub(affordable * families),
    })
}

/// Whether a ride offers seats or asks for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RideKind {
    Driver,
    Lift,
}

impl RideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RideKind::Driver => "driver",
            RideKind::Lift => "lift",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "driver" => Ok(RideKind::Driver),
            "lift" => Ok(RideKind::Lift),
            "" => Err(FieldError::Required),
            _ => Err(FieldError::ChoiceInvalid),
        }
    }
}

/// The most seats one driver offers: more is a typo (a bus is transport, not a ride).
pub const MAX_SEATS: u32 = 8;

/// Seats from a form: 1 to [`MAX_SEATS`].
pub fn parse_seats(raw: &str) -> Result<u32, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::Required);
    }
    match raw.parse::<u32>() {
        Ok(n) if (1..=MAX_SEATS).contains(&n) => Ok(n),
        _ => Err(FieldError::ChoiceInvalid),
    }
}

/// Seats offered against families that need a lift: how many are still without a seat.
pub fn lifts_short(seats_offered: u32, lifts_asked: u32) -> u32 {
    lifts_asked.saturating_sub(seats_offered)
}

/// The checklist every new outing starts with (the worker can tick, add and remove).
pub const CHECKLIST_KEYS: [&str; 5] = [
    "outing-check-tickets",
    "outing-check-transport",
    "outing-check-meeting-point",
    "outing-check-emergency-numbers",
    "outing-check-first-aid",
];

/// When a holiday falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRule {
    /// The same day every year (month, day).
    Fixed(u32, u32),
    /// The n-th weekday of a month (Mother's Day: the second Sunday of May).
    NthWeekday(u32, Weekday, Nth),
    /// A date that moves (Suikerfeest): entered per year by a coordinator.
    Entered,
}

impl HolidayRule {
    /// The date in `year`; for an entered holiday, the one entered for that year.
    pub fn date_in(self, year: i32, entered: &[NaiveDate]) -> Option<NaiveDate> {
        match self {
            HolidayRule::Fixed(month, day) => NaiveDate::from_ymd_opt(year, month, day),
            HolidayRule::NthWeekday(month, weekday, nth) => nth.in_month(year, month, weekday),
            HolidayRule::Entered => entered.iter().copied().find(|d| d.year() == year),
        }
    }

    /// A fixed day as stored ("12-25"), empty for an entered one.
    pub fn as_stored(self) -> String {
        match self {
            HolidayRule::Fixed(month, day) => format!("{month:02}-{day:02}"),
            HolidayRule::NthWeekday(..) | HolidayRule::Entered => String::new(),
        }
    }

    /// Back from [`HolidayRule::as_stored`]; anything else is entered per year.
    pub fn from_stored(raw: &str) -> HolidayRule {
        raw.split_once('-')
            .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
            .filter(|(m, d)| NaiveDate::from_ymd_opt(2024, *m, *d).is_some())
            .map_or(HolidayRule::Entered, |(m, d)| HolidayRule::Fixed(m, d))
    }
}

/// A fixed day from the form ("25-12", "25/12" or "25 12"; day first, as in Dutch); empty
/// means the date moves and is entered per year.
pub fn parse_fixed_day(raw: &str) -> Result<HolidayRule, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(HolidayRule::Entered);
    }
    let mut parts = raw.split(['-', '/', ' ', '.']).filter(|p| !p.is_empty());
    let (Some(d), Some(m), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(FieldError::DateInvalid);
    };
    let (Ok(d), Ok(m)) = (d.parse::<u32>(), m.parse::<u32>()) else {
        return Err(FieldError::DateInvalid);
    };
    // 2024 is a leap year, so 29 February is a day.
    NaiveDate::from_ymd_opt(2024, m, d)
        .map(|_| HolidayRule::Fixed(m, d))
        .ok_or(FieldError::DateInvalid)
}

/// A holiday every organisation starts with. The name is the interface text `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltInHoliday {
    pub key: &'static str,
    pub rule: HolidayRule,
}

/// The built-in list: the handbook's Moederdag, Sinterklaas and Kerst, and the days many
/// families of the neighbourhoods celebrate. An organisation hides what does not fit.
pub const BUILT_IN_HOLIDAYS: [BuiltInHoliday; 6] = [
    BuiltInHoliday {
        key: "holiday-mothers-day",
        rule: HolidayRule::NthWeekday(5, Weekday::Sun, Nth::Second),
    },
    BuiltInHoliday {
        key: "holiday-fathers-day",
        rule: HolidayRule::NthWeekday(6, Weekday::Sun, Nth::Third),
    },
    BuiltInHoliday {
        key: "holiday-keti-koti",
        rule: HolidayRule::Fixed(7, 1),
    },
    BuiltInHoliday {
        key: "holiday-sinterklaas",
        rule: HolidayRule::Fixed(12, 5),
    },
    BuiltInHoliday {
        key: "holiday-christmas",
        rule: HolidayRule::Fixed(12, 25),
    },
    BuiltInHoliday {
        key: "holiday-suikerfeest",
        rule: HolidayRule::Entered,
    },
];

/// The built-in holiday of a key.
pub fn built_in(key: &str) -> Option<BuiltInHoliday> {
    BUILT_IN_HOLIDAYS.into_iter().find(|h| h.key == key)
}

/// The longest look ahead that makes sense for a suggestion list.
const MAX_HORIZON_DAYS: i64 = 3660;

/// The next dates of a holiday whose planning window ([`PLAN_WEEKS_AHEAD`] weeks before) is
/// open on `today` or opens within `horizon_days`: the holiday lies ahead (after today) and
/// its planning starts by `today + horizon_days`. The same window as
/// [`crate::schedule::holiday_suggestions`], for any rule.
pub fn upcoming(
    rule: HolidayRule,
    entered: &[NaiveDate],
    today: NaiveDate,
    horizon_days: i64,
) -> Vec<(NaiveDate, NaiveDate)> {
    let horizon = today
        .checked_add_signed(TimeDelta::days(horizon_days.clamp(0, MAX_HORIZON_DAYS)))
        .unwrap_or(NaiveDate::MAX);
    let lead = TimeDelta::weeks(PLAN_WEEKS_AHEAD);
    let last_year = horizon
        .checked_add_signed(lead)
        .unwrap_or(NaiveDate::MAX)
        .year();
    (today.year()..=last_year)
        .filter_map(|year| rule.date_in(year, entered))
        .filter_map(|date| {
            let plan_from = date.checked_sub_signed(lead)?;
            (date > today && plan_from <= horizon).then_some((date, plan_from))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn an_outing_fits_the_means_of_the_group() {
        // Handbook §3.3: "past bij de financiële mogelijkheden van de groep". Eight families,
        // 24 people, € 7,50 entrance, € 120 bus, € 150 from a fund; the group said € 10.
        let budget = Budget {
            ticket_cents: 750,
            transport_cents: 12_000,
            subsidy_cents: 15_000,
            affordable_cents: 1_000,
        };
        let group = Group {
            families: 8,
            people: 24,
        };
        let cost = cost_per_family(&budget, group);
        assert_eq!(
            cost,
            Some(FamilyCost {
                total_cents: 30_000,
                to_pay_cents: 15_000,
                per_family_cents: 1_875,
                fits: false,
                subsidy_short_cents: 7_000,
            })
        );
        // With € 70 more subsidy it fits exactly.
        let more = Budget {
            subsidy_cents: 22_000,
            ..budget
        };
        let cost = cost_per_family(&more, group);
        assert_eq!(
            cost.map(|c| (c.per_family_cents, c.fits)),
            Some((1_000, true))
        );
        assert_eq!(cost.map(|c| c.subsidy_short_cents), Some(0));
    }

    #[test]
    fn the_cost_per_family_is_rounded_up_and_never_negative() {
        let budget = Budget {
            ticket_cents: 0,
            transport_cents: 1_000,
            subsidy_cents: 0,
            affordable_cents: 500,
        };
        let three = Group {
            families: 3,
            people: 9,
        };
        assert_eq!(
            cost_per_family(&budget, three).map(|c| c.per_family_cents),
            Some(334)
        );
        let generous = Budget {
            subsidy_cents: 5_000,
            ..budget
        };
        assert_eq!(
            cost_per_family(&generous, three).map(|c| (c.to_pay_cents, c.per_family_cents, c.fits)),
            Some((0, 0, true))
        );
        assert_eq!(cost_per_family(&budget, Group::default()), None);
        // The largest amounts the forms allow do not overflow.
        let max = Budget {
            ticket_cents: u32::MAX,
            transport_cents: u32::MAX,
            subsidy_cents: 0,
            affordable_cents: 0,
        };
        let huge = Group {
            families: 1,
            people: u32::MAX,
        };
        assert!(cost_per_family(&max, huge).is_some_and(|c| !c.fits));
    }

    #[test]
    fn seats_and_lifts() {
        assert_eq!(parse_seats("3"), Ok(3));
        assert_eq!(parse_seats(""), Err(FieldError::Required));
        for bad in ["0", "9", "-1", "drie", "2.5"] {
            assert_eq!(parse_seats(bad), Err(FieldError::ChoiceInvalid), "{bad}");
        }
        assert_eq!(lifts_short(3, 5), 2);
        assert_eq!(lifts_short(6, 5), 0);
        assert_eq!(RideKind::parse("lift"), Ok(RideKind::Lift));
        assert_eq!(RideKind::parse("bus"), Err(FieldError::ChoiceInvalid));
    }

    #[test]
    fn holiday_rules_give_their_date_in_a_year() {
        let mothers = built_in("holiday-mothers-day").map(|h| h.rule);
        assert_eq!(
            mothers.and_then(|r| r.date_in(2027, &[])),
            Some(day(2027, 5, 9))
        );
        let fathers = built_in("holiday-fathers-day").map(|h| h.rule);
        assert_eq!(
            fathers.and_then(|r| r.date_in(2027, &[])),
            Some(day(2027, 6, 20))
        );
        let keti_koti = built_in("holiday-keti-koti").map(|h| h.rule);
        assert_eq!(
            keti_koti.and_then(|r| r.date_in(2027, &[])),
            Some(day(2027, 7, 1))
        );
        // Suikerfeest moves: only a date entered for the year counts.
        let entered = [day(2027, 3, 10)];
        assert_eq!(
            HolidayRule::Entered.date_in(2027, &entered),
            Some(day(2027, 3, 10))
        );
        assert_eq!(HolidayRule::Entered.date_in(2028, &entered), None);
    }

    #[test]
    fn a_holiday_is_suggested_six_weeks_ahead() {
        let today = day(2027, 1, 20);
        // Suikerfeest on 10 March 2027: planning opens on 27 January.
        let entered = [day(2027, 3, 10)];
        assert_eq!(upcoming(HolidayRule::Entered, &entered, today, 0), vec![]);
        assert_eq!(
            upcoming(HolidayRule::Entered, &entered, today, 7),
            vec![(day(2027, 3, 10), day(2027, 1, 27))]
        );
        // Christmas is past its window in January, and comes back within a year.
        let christmas = HolidayRule::Fixed(12, 25);
        assert_eq!(upcoming(christmas, &[], today, 30), vec![]);
        assert_eq!(
            upcoming(christmas, &[], today, 320),
            vec![(day(2027, 12, 25), day(2027, 11, 13))]
        );
    }

    #[test]
    fn a_fixed_day_is_typed_day_first() {
        assert_eq!(parse_fixed_day("1-7"), Ok(HolidayRule::Fixed(7, 1)));
        assert_eq!(parse_fixed_day("25/12"), Ok(HolidayRule::Fixed(12, 25)));
        assert_eq!(parse_fixed_day("29 2"), Ok(HolidayRule::Fixed(2, 29)));
        assert_eq!(parse_fixed_day(""), Ok(HolidayRule::Entered));
        for bad in ["31-2", "12", "1-13", "a-b", "1-2-3"] {
            assert_eq!(parse_fixed_day(bad), Err(FieldError::DateInvalid), "{bad}");
        }
        for rule in [HolidayRule::Fixed(7, 1), HolidayRule::Fixed(12, 25)] {
            assert_eq!(HolidayRule::from_stored(&rule.as_stored()), rule);
        }
        assert_eq!(HolidayRule::from_stored(""), HolidayRule::Entered);
    }
}

//! When sessions take place. Workers and parents think in Dutch wall-clock time; the database
//! keeps UTC instants, so a weekly 09:30 coffee hour stays at 09:30 across the change to and
//! from summer time.

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike,
    Utc, Weekday,
};

use crate::fields::FieldError;

/// Every neighbourhood the intervention serves is in the Netherlands.
pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// The school-holiday regions. The same type as the organisation setting, so the region an
/// administrator picked can be passed straight to a schedule.
pub use crate::settings::HolidayRegion as Region;

/// A time of day from a form: "9:30", "09:30", "9.30", "0930", "9" (whole hour) and the
/// browser's "09:30:00".
pub fn parse_time(raw: &str) -> Result<NaiveTime, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    let (hour, minute, second) = match text.split_once([':', '.']) {
        Some((hour, rest)) => {
            let (minute, second) = rest.split_once(':').unwrap_or((rest, "00"));
            if !digits(hour, 1, 2) || !digits(minute, 2, 2) || !digits(second, 2, 2) {
                return Err(FieldError::TimeInvalid);
            }
            (hour, minute, second)
        }
        None if digits(text, 1, 2) => (text, "00", "00"),
        None if digits(text, 3, 4) => {
            let (hour, minute) = text.split_at(text.len() - 2);
            (hour, minute, "00")
        }
        None => return Err(FieldError::TimeInvalid),
    };
    NaiveTime::from_hms_opt(number(hour), number(minute), number(second))
        .ok_or(FieldError::TimeInvalid)
}

/// Whether `s` is `min` to `max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
}

/// A short run of digits as a number; anything else becomes a number no date or time accepts.
fn number(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

/// A date from a form: the browser's "2026-12-02", or the Dutch way of writing it, "2-12-2026"
/// or "02-12-2026" (also with "/" or ".").
pub fn parse_date(raw: &str) -> Result<NaiveDate, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(FieldError::DateInvalid);
    };
    let (year, month, day) = if digits(a, 4, 4) && digits(b, 1, 2) && digits(c, 1, 2) {
        (a, b, c)
    } else if digits(c, 4, 4) && digits(b, 1, 2) && digits(a, 1, 2) {
        (c, b, a)
    } else {
        return Err(FieldError::DateInvalid);
    };
    let year = i32::try_from(number(year)).map_err(|_| FieldError::DateInvalid)?;
    // A year like 0026 is a typo, not the first century.
    if !(1900..=2999).contains(&year) {
        return Err(FieldError::DateInvalid);
    }
    NaiveDate::from_ymd_opt(year, number(month), number(day)).ok_or(FieldError::DateInvalid)
}

/// A session ends after it starts, on the same day.
pub fn check_times(start: NaiveTime, end: NaiveTime) -> Result<(), FieldError> {
    if end > start {
        Ok(())
    } else {
        Err(FieldError::EndBeforeStart)
    }
}

/// Local wall-clock time in the Netherlands → UTC.
///
/// Twice a year a wall-clock time is not one instant:
/// - in spring the clocks jump from 02:00 to 03:00, so 02:30 does not exist; it moves to the
///   first instant after the gap (03:00 summer time), because a session planned "at half past
///   two" should not take place before anyone could be there;
/// - in autumn 02:00–03:00 happens twice; we take the first (summer-time) one, as calendar
///   programs do for a time with a TZID (RFC 5545 §3.3.5).
pub fn local_to_utc(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let wall = date.and_time(time);
    if let Some(t) = TZ.from_local_datetime(&wall).earliest() {
        return t.with_timezone(&Utc);
    }
    // Clocks jump on a whole minute, so the first wall time after the gap is found by
    // stepping whole minutes from the start of the missing minute.
    let minute = wall.with_second(0).and_then(|w| w.with_nanosecond(0));
    for step in 1..=24 * 60 {
        let candidate = minute.and_then(|m| m.checked_add_signed(TimeDelta::minutes(step)));
        if let Some(t) = candidate.and_then(|c| TZ.from_local_datetime(&c).earliest()) {
            return t.with_timezone(&Utc);
        }
    }
    // No gap in the Amsterdam rules is a day long; this is only reached at chrono's limits.
    wall.and_utc()
}

/// UTC → wall-clock time in the Netherlands.
pub fn utc_to_local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&TZ).naive_local()
}

/// A weekday from a form: "1" (Monday) to "7" (Sunday), or its English or Dutch name or
/// abbreviation ("mon", "monday", "ma", "maandag").
pub fn parse_weekday(raw: &str) -> Result<Weekday, FieldError> {
    let text = raw.trim().to_lowercase();
    let day = match text.as_str() {
        "" => return Err(FieldError::Required),
        "1" | "mon" | "monday" | "ma" | "maandag" => Weekday::Mon,
        "2" | "tue" | "tuesday" | "di" | "dinsdag" => Weekday::Tue,
        "3" | "wed" | "wednesday" | "wo" | "woensdag" => Weekday::Wed,
        "4" | "thu" | "thursday" | "do" | "donderdag" => Weekday::Thu,
        "5" | "fri" | "friday" | "vr" | "vrijdag" => Weekday::Fri,
        "6" | "sat" | "saturday" | "za" | "zaterdag" => Weekday::Sat,
        "7" | "sun" | "sunday" | "zo" | "zondag" => Weekday::Sun,
        _ => return Err(FieldError::ChoiceInvalid),
    };
    Ok(day)
}

/// Ten years of weekly sessions: more is a typo in the end date.
pub const MAX_OCCURRENCES: usize = 520;

/// A weekly series, e.g. the coffee hour every Wednesday 09:30–11:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Leave out the dates in this region's school holidays: parents have their children at
    /// home then, and the school-based locations are often closed.
    pub skip_school_holidays: Option<Region>,
}

impl Weekly {
    /// Dates of the occurrences, in order; `from` and `until` count. Refused when `until` is
    /// before `from`, when the series would have more than [`MAX_OCCURRENCES`] dates, and when
    /// it has none (no such weekday in the range, or all of them in the school holidays), so
    /// that a form never creates an activity without sessions.
    ///
    /// Dates outside the school-holiday table ([`school_holidays_known`]) are kept: we do not
    /// know whether they fall in a holiday.
    pub fn dates(&self) -> Result<Vec<NaiveDate>, FieldError> {
        if self.until < self.from {
            return Err(FieldError::UntilBeforeFrom);
        }
        let ahead = (7 + self.weekday.num_days_from_monday()
            - self.from.weekday().num_days_from_monday())
            % 7;
        let Some(first) = self
            .from
            .checked_add_days(Days::new(u64::from(ahead)))
            .filter(|first| *first <= self.until)
        else {
            return Err(FieldError::NoSessions);
        };
        let count = (self.until - first).num_days() / 7 + 1;
        if usize::try_from(count).map_or(true, |n| n > MAX_OCCURRENCES) {
            return Err(FieldError::SeriesTooLong);
        }
        let dates: Vec<NaiveDate> = first
            .iter_weeks()
            .take_while(|d| *d <= self.until)
            .filter(|d| match self.skip_school_holidays {
                Some(region) => school_holiday(region, *d).is_none(),
                None => true,
            })
            .collect();
        if dates.is_empty() {
            return Err(FieldError::NoSessions);
        }
        Ok(dates)
    }

    /// The sessions of the series as UTC instants; also checks that the end follows the start.
    pub fn slots(&self) -> Result<Vec<Slot>, FieldError> {
        check_times(self.start, self.end)?;
        Ok(self
            .dates()?
            .into_iter()
            .map(|d| slot(d, self.start, self.end))
            .collect())
    }
}

/// One session's start and end as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A session on `date` from `start` to `end`, Dutch wall-clock time.
pub fn slot(date: NaiveDate, start: NaiveTime, end: NaiveTime) -> Slot {
    Slot {
        start: local_to_utc(date, start),
        end: local_to_utc(date, end),
    }
}

/// The five school holidays the Dutch government sets or advises each school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchoolHoliday {
    Autumn,
    Christmas,
    Spring,
    May,
    Summer,
}

impl SchoolHoliday {
    pub const ALL: [SchoolHoliday; 5] = [
        SchoolHoliday::Autumn,
        SchoolHoliday::Christmas,
        SchoolHoliday::Spring,
        SchoolHoliday::May,
        SchoolHoliday::Summer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchoolHoliday::Autumn => "autumn",
            SchoolHoliday::Christmas => "christmas",
            SchoolHoliday::Spring => "spring",
            SchoolHoliday::May => "may",
            SchoolHoliday::Summer => "summer",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SchoolHoliday::Autumn => "school-holiday-autumn",
            SchoolHoliday::Christmas => "school-holiday-christmas",
            SchoolHoliday::Spring => "school-holiday-spring",
            SchoolHoliday::May => "school-holiday-may",
            SchoolHoliday::Summer => "school-holiday-summer",
        }
    }
}

/// One holiday in one region, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchoolHolidayPeriod {
    pub holiday: SchoolHoliday,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

type Ymd = (i32, u32, u32);

struct Period {
    holiday: SchoolHoliday,
    regions: &'static [Region],
    first: Ymd,
    last: Ymd,
}

const fn period(
    holiday: SchoolHoliday,
    regions: &'static [Region],
    first: Ymd,
    last: Ymd,
) -> Period {
    Period {
        holiday,
        regions,
        first,
        last,
    }
}

const NOORD: &[Region] = &[Region::Noord];
const MIDDEN: &[Region] = &[Region::Midden];
const ZUID: &[Region] = &[Region::Zuid];
const NOORD_MIDDEN: &[Region] = &[Region::Noord, Region::Midden];
const MIDDEN_ZUID: &[Region] = &[Region::Midden, Region::Zuid];
const EVERYWHERE: &[Region] = &Region::ALL;

/// The school holidays of primary and secondary schools, Saturday to Sunday as the government
/// publishes them. Christmas, May and summer are fixed by the government; autumn and spring
/// are advice that a school may depart from, and many schools add a second May week (the
/// government's advice week is not in this table). A school's own guide has the last word.
///
/// Sources, looked up November 2026:
/// - 2027-2028 and 2028-2029: Rijksoverheid, "Overzicht schoolvakanties 2027-2028" and
///   "... 2028-2029" (rijksoverheid.nl, onderwerpen/schoolvakanties).
/// - 2025-2026 and autumn and Christmas 2026: Rijksoverheid's pages for these years were not
///   at hand; the dates are those that agree across the OpenHolidays data set
///   (openpotato/openholidaysapi.data, "NL" school holidays), sites quoting Rijksoverheid
///   and several schools' own calendars in each region. Where those disagreed (summer 2026
///   Zuid) the Saturday-to-Sunday date that the schools' calendars confirm was taken.
/// - Spring, May and summer 2027 are left out: we found no agreeing sources for them, and a
///   guessed holiday would silently drop or keep a session. [`school_holidays_known`] says
///   false for those months so the interface can warn.
const SCHOOL_HOLIDAYS: &[Period] = &[
    // 2025-2026
    period(
        SchoolHoliday::Autumn,
        NOORD_MIDDEN,
        (2025, 10, 18),
        (2025, 10, 26),
    ),
    period(SchoolHoliday::Autumn, ZUID, (2025, 10, 11), (2025, 10, 19)),
    period(
        SchoolHoliday::Christmas,
        EVERYWHERE,
        (2025, 12, 20),
        (2026, 1, 4),
    ),
    period(SchoolHoliday::Spring, NOORD, (2026, 2, 21), (2026, 3, 1)),
    period(
        SchoolHoliday::Spring,
        MIDDEN_ZUID,
        (2026, 2, 14),
        (2026, 2, 22),
    ),
    period(SchoolHoliday::May, EVERYWHERE, (2026, 4, 25), (2026, 5, 3)),
    period(SchoolHoliday::Summer, NOORD, (2026, 7, 4), (2026, 8, 16)),
    period(SchoolHoliday::Summer, ZUID, (2026, 7, 11), (2026, 8, 23)),
    period(SchoolHoliday::Summer, MIDDEN, (2026, 7, 18), (2026, 8, 30)),
    // 2026-2027, up to and including Christmas
    period(SchoolHoliday::Autumn, NOORD, (2026, 10, 10), (2026, 10, 18)),
    period(
        SchoolHoliday::Autumn,
        MIDDEN_ZUID,
        (2026, 10, 17),
        (2026, 10, 25),
    ),
    period(
        SchoolHoliday::Christmas,
        EVERYWHERE,
        (2026, 12, 19),
        (2027, 1, 3),
    ),
    // 2027-2028
    period(
        SchoolHoliday::Autumn,
        NOORD_MIDDEN,
        (2027, 10, 16),
        (2027, 10, 24),
    ),
    period(SchoolHoliday::Autumn, ZUID, (2027, 10, 23), (2027, 10, 31)),
    period(
        SchoolHoliday::Christmas,
        EVERYWHERE,
        (2027, 12, 25),
        (2028, 1, 9),
    ),
    period(SchoolHoliday::Spring, NOORD, (2028, 2, 19), (2028, 2, 27)),
    period(
        SchoolHoliday::Spring,
        MIDDEN_ZUID,
        (2028, 2, 26),
        (2028, 3, 5),
    ),
    period(SchoolHoliday::May, EVERYWHERE, (2028, 4, 29), (2028, 5, 7)),
    period(SchoolHoliday::Summer, MIDDEN, (2028, 7, 8), (2028, 8, 20)),
    period(SchoolHoliday::Summer, NOORD, (2028, 7, 15), (2028, 8, 27)),
    period(SchoolHoliday::Summer, ZUID, (2028, 7, 22), (2028, 9, 3)),
    // 2028-2029
    period(SchoolHoliday::Autumn, NOORD, (2028, 10, 14), (2028, 10, 22)),
    period(
        SchoolHoliday::Autumn,
        MIDDEN_ZUID,
        (2028, 10, 21),
        (2028, 10, 29),
    ),
    period(
        SchoolHoliday::Christmas,
        EVERYWHERE,
        (2028, 12, 23),
        (2029, 1, 7),
    ),
    period(
        SchoolHoliday::Spring,
        NOORD_MIDDEN,
        (2029, 2, 17),
        (2029, 2, 25),
    ),
    period(SchoolHoliday::Spring, ZUID, (2029, 2, 10), (2029, 2, 18)),
    period(SchoolHoliday::May, EVERYWHERE, (2029, 4, 28), (2029, 5, 6)),
    period(SchoolHoliday::Summer, MIDDEN, (2029, 7, 7), (2029, 8, 19)),
    period(SchoolHoliday::Summer, ZUID, (2029, 7, 14), (2029, 8, 26)),
    period(SchoolHoliday::Summer, NOORD, (2029, 7, 21), (2029, 9, 2)),
];

/// The stretches of days for which the table above is complete in every region: from after
/// the 2025 summer holiday to the end of Christmas 2026, and from after the 2027 summer
/// holiday (whose dates we lack) to the end of the 2029 summer holiday.
const KNOWN: &[(Ymd, Ymd)] = &[((2025, 9, 1), (2027, 1, 3)), ((2027, 10, 1), (2029, 9, 2))];

fn ymd(date: NaiveDate) -> Ymd {
    (date.year(), date.month(), date.day())
}

fn date_of((year, month, day): Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Which school holiday `date` falls in for schools in `region`, if any (and if known: see
/// [`school_holidays_known`]).
pub fn school_holiday(region: Region, date: NaiveDate) -> Option<SchoolHoliday> {
    let day = ymd(date);
    SCHOOL_HOLIDAYS
        .iter()
        .find(|p| p.regions.contains(&region) && p.first <= day && day <= p.last)
        .map(|p| p.holiday)
}

/// Whether the table knows every school holiday around `date`. When false, a date that is
/// not in a holiday according to [`school_holiday`] may still be one.
pub fn school_holidays_known(date: NaiveDate) -> bool {
    let day = ymd(date);
    KNOWN
        .iter()
        .any(|(first, last)| *first <= day && day <= *last)
}

/// First and last calendar year the table reaches, so the interface can warn when a schedule
/// runs past it. Within these years there is a gap (spring to summer 2027): use
/// [`school_holidays_known`] for a particular date.
pub fn school_holiday_years() -> (i32, i32) {
    let first = KNOWN.first().map_or(0, |(first, _)| first.0);
    let last = KNOWN.last().map_or(0, |(_, last)| last.0);
    (first, last)
}

/// The known school holidays of a region, in date order.
pub fn school_holiday_periods(region: Region) -> Vec<SchoolHolidayPeriod> {
    let mut periods: Vec<SchoolHolidayPeriod> = SCHOOL_HOLIDAYS
        .iter()
        .filter(|p| p.regions.contains(&region))
        .map(|p| SchoolHolidayPeriod {
            holiday: p.holiday,
            first: date_of(p.first),
            last: date_of(p.last),
        })
        .collect();
    periods.sort_by_key(|p| p.first);
    periods
}

/// Holidays the parents may want to organise something for (handbook §3.3: Moederdag,
/// Sinterklaas, Kerst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    MothersDay,
    Sinterklaas,
    Christmas,
}

impl Holiday {
    pub const ALL: [Holiday; 3] = [
        Holiday::MothersDay,
        Holiday::Sinterklaas,
        Holiday::Christmas,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Holiday::MothersDay => "holiday-mothers-day",
            Holiday::Sinterklaas => "holiday-sinterklaas",
            Holiday::Christmas => "holiday-christmas",
        }
    }
}

/// Mother's Day is the second Sunday of May; Sinterklaas is celebrated on the evening of
/// 5 December (pakjesavond); Christmas is 25 December. Years outside chrono's range give its
/// first or last date.
pub fn holiday_date(h: Holiday, year: i32) -> NaiveDate {
    let date = match h {
        Holiday::MothersDay => NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Sun, 2),
        Holiday::Sinterklaas => NaiveDate::from_ymd_opt(year, 12, 5),
        Holiday::Christmas => NaiveDate::from_ymd_opt(year, 12, 25),
    };
    date.unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// A holiday coming up, and from when to start planning for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidaySuggestion {
    pub holiday: Holiday,
    pub date: NaiveDate,
    pub plan_from: NaiveDate,
}

/// Parents organise the holiday activities themselves (§3.3); they need time for it.
pub const PLAN_WEEKS_AHEAD: i64 = 6;

/// The longest look ahead that makes sense for a suggestion list.
const MAX_HORIZON_DAYS: i64 = 3660;

/// Suggestions whose planning window is open on `today` or opens within `horizon_days`, i.e.
/// the holiday lies ahead (after today) and `plan_from <= today + horizon_days`. Sorted by
/// date. A negative horizon counts as zero.
pub fn holiday_suggestions(today: NaiveDate, horizon_days: i64) -> Vec<HolidaySuggestion> {
    let horizon_days = horizon_days.clamp(0, MAX_HORIZON_DAYS);
    let horizon = today
        .checked_add_signed(TimeDelta::days(horizon_days))
        .unwrap_or(NaiveDate::MAX);
    let lead = TimeDelta::weeks(PLAN_WEEKS_AHEAD);
    let last_year = horizon
        .checked_add_signed(lead)
        .unwrap_or(NaiveDate::MAX)
        .year();
    let mut suggestions: Vec<HolidaySuggestion> = (today.year()..=last_year)
        .flat_map(|year| Holiday::ALL.map(|holiday| (holiday, holiday_date(holiday, year))))
        .filter_map(|(holiday, date)| {
            let plan_from = date.checked_sub_signed(lead)?;
            (date > today && plan_from <= horizon).then_some(HolidaySuggestion {
                holiday,
                date,
                plan_from,
            })
        })
        .collect();
    suggestions.sort_by_key(|s| s.date);
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        day(y, mo, d).and_time(time(h, mi)).and_utc()
    }

    fn wednesdays(from: NaiveDate, until: NaiveDate, skip: Option<Region>) -> Weekly {
        Weekly {
            weekday: Weekday::Wed,
            start: time(9, 30),
            end: time(11, 0),
            from,
            until,
            skip_school_holidays: skip,
        }
    }

    #[test]
    fn a_time_is_read_the_way_people_type_it() {
        for raw in [
            "9:30", "09:30", "9.30", "0930", "930", " 09:30 ", "09:30:00",
        ] {
            assert_eq!(parse_time(raw), Ok(time(9, 30)), "{raw:?}");
        }
        assert_eq!(parse_time("9"), Ok(time(9, 0)));
        assert_eq!(parse_time("23:59"), Ok(time(23, 59)));
        assert_eq!(parse_time(""), Err(FieldError::Required));
        for bad in [
            "24:00",
            "9:60",
            "9:3",
            "half tien",
            "9:30am",
            "12345",
            "-9:30",
            "9:30:61",
        ] {
            assert_eq!(parse_time(bad), Err(FieldError::TimeInvalid), "{bad:?}");
        }
    }

    #[test]
    fn a_date_is_read_from_the_browser_or_the_dutch_way() {
        for raw in [
            "2026-12-02",
            "2-12-2026",
            "02-12-2026",
            "2/12/2026",
            "2.12.2026",
        ] {
            assert_eq!(parse_date(raw), Ok(day(2026, 12, 2)), "{raw:?}");
        }
        assert_eq!(parse_date(" "), Err(FieldError::Required));
        for bad in [
            "2026-13-01",
            "31-02-2026",
            "12-2026",
            "2-12-26",
            "0026-12-02",
            "morgen",
            "2026-12-02-1",
            "2026--02",
        ] {
            assert_eq!(parse_date(bad), Err(FieldError::DateInvalid), "{bad:?}");
        }
    }

    #[test]
    fn end_before_start_refused() {
        assert_eq!(check_times(time(9, 30), time(11, 0)), Ok(()));
        assert_eq!(
            check_times(time(11, 0), time(9, 30)),
            Err(FieldError::EndBeforeStart)
        );
        assert_eq!(
            check_times(time(9, 30), time(9, 30)),
            Err(FieldError::EndBeforeStart)
        );
        let mut series = wednesdays(day(2026, 12, 2), day(2026, 12, 16), None);
        series.end = time(9, 0);
        assert_eq!(series.slots(), Err(FieldError::EndBeforeStart));
    }

    #[test]
    fn a_weekday_is_a_number_from_monday_or_a_name() {
        assert_eq!(parse_weekday("1"), Ok(Weekday::Mon));
        assert_eq!(parse_weekday("7"), Ok(Weekday::Sun));
        assert_eq!(parse_weekday("Wed"), Ok(Weekday::Wed));
        assert_eq!(parse_weekday("woensdag"), Ok(Weekday::Wed));
        assert_eq!(parse_weekday("vr"), Ok(Weekday::Fri));
        assert_eq!(parse_weekday(""), Err(FieldError::Required));
        for bad in ["0", "8", "wednes", "w"] {
            assert_eq!(parse_weekday(bad), Err(FieldError::ChoiceInvalid), "{bad}");
        }
    }

    #[test]
    fn a_weekly_coffee_hour_stays_at_half_past_nine_when_summer_time_ends() {
        let series = wednesdays(day(2026, 10, 21), day(2026, 11, 4), None);
        let starts: Vec<_> = series
            .slots()
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.start)
            .collect();
        assert_eq!(
            starts,
            [
                utc(2026, 10, 21, 7, 30),
                utc(2026, 10, 28, 8, 30),
                utc(2026, 11, 4, 8, 30)
            ]
        );
        for s in starts {
            assert_eq!(utc_to_local(s).time(), time(9, 30));
        }
    }

    #[test]
    fn a_weekly_coffee_hour_stays_at_half_past_nine_when_summer_time_starts() {
        let series = wednesdays(day(2027, 3, 24), day(2027, 3, 31), None);
        let slots = series.slots().unwrap_or_default();
        let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
        assert_eq!(starts, [utc(2027, 3, 24, 8, 30), utc(2027, 3, 31, 7, 30)]);
        assert_eq!(slots.first().map(|s| s.end), Some(utc(2027, 3, 24, 10, 0)));
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_to_three_oclock_summer_time() {
        assert_eq!(
            local_to_utc(day(2027, 3, 28), time(2, 30)),
            utc(2027, 3, 28, 1, 0)
        );
        assert_eq!(
            local_to_utc(day(2027, 3, 28), time(2, 0)),
            utc(2027, 3, 28, 1, 0)
        );
        let with_seconds = NaiveTime::from_hms_opt(2, 59, 59).unwrap_or_default();
        assert_eq!(
            local_to_utc(day(2027, 3, 28), with_seconds),
            utc(2027, 3, 28, 1, 0)
        );
        assert_eq!(
            local_to_utc(day(2027, 3, 28), time(3, 0)),
            utc(2027, 3, 28, 1, 0)
        );
    }

    #[test]
    fn an_ambiguous_autumn_time_is_the_first_one_in_summer_time() {
        assert_eq!(
            local_to_utc(day(2026, 10, 25), time(2, 30)),
            utc(2026, 10, 25, 0, 30)
        );
        assert_eq!(
            utc_to_local(utc(2026, 10, 25, 1, 30)),
            day(2026, 10, 25).and_time(time(2, 30)),
            "the second 02:30 reads the same on the wall"
        );
    }

    #[test]
    fn until_before_from_refused() {
        let series = wednesdays(day(2026, 12, 16), day(2026, 12, 2), None);
        assert_eq!(series.dates(), Err(FieldError::UntilBeforeFrom));
    }

    #[test]
    fn a_series_runs_from_the_first_such_weekday_to_until_inclusive() {
        // 2026-12-01 is a Tuesday.
        let series = wednesdays(day(2026, 12, 1), day(2026, 12, 16), None);
        assert_eq!(
            series.dates(),
            Ok(vec![day(2026, 12, 2), day(2026, 12, 9), day(2026, 12, 16)])
        );
        let one = wednesdays(day(2026, 12, 2), day(2026, 12, 2), None);
        assert_eq!(one.dates(), Ok(vec![day(2026, 12, 2)]));
    }

    #[test]
    fn a_series_without_any_date_is_refused() {
        // Thursday to Tuesday: no Wednesday in between.
        let series = wednesdays(day(2026, 12, 3), day(2026, 12, 8), None);
        assert_eq!(series.dates(), Err(FieldError::NoSessions));
        let in_holiday = wednesdays(day(2027, 12, 27), day(2028, 1, 7), Some(Region::Zuid));
        assert_eq!(in_holiday.dates(), Err(FieldError::NoSessions));
    }

    #[test]
    fn a_series_of_more_than_ten_years_is_refused() {
        let ten_years = wednesdays(day(2026, 1, 7), day(2035, 12, 19), None);
        assert_eq!(ten_years.dates().map(|d| d.len()), Ok(520));
        let longer = wednesdays(day(2026, 1, 7), day(2035, 12, 26), None);
        assert_eq!(longer.dates(), Err(FieldError::SeriesTooLong));
        let absurd = wednesdays(day(2026, 1, 7), NaiveDate::MAX, None);
        assert_eq!(absurd.dates(), Err(FieldError::SeriesTooLong));
    }

    #[test]
    fn a_series_that_skips_school_holidays_has_no_session_in_the_christmas_holiday() {
        let series = wednesdays(day(2026, 12, 2), day(2027, 1, 13), Some(Region::Noord));
        assert_eq!(
            series.dates(),
            Ok(vec![
                day(2026, 12, 2),
                day(2026, 12, 9),
                day(2026, 12, 16),
                day(2027, 1, 6),
                day(2027, 1, 13)
            ])
        );
        let next_year = wednesdays(day(2027, 12, 15), day(2028, 1, 19), Some(Region::Noord));
        assert_eq!(
            next_year.dates(),
            Ok(vec![
                day(2027, 12, 15),
                day(2027, 12, 22),
                day(2028, 1, 12),
                day(2028, 1, 19)
            ])
        );
        let all = wednesdays(day(2026, 12, 2), day(2027, 1, 13), None);
        assert_eq!(all.dates().map(|d| d.len()), Ok(7));
    }

    #[test]
    fn the_autumn_holiday_differs_per_region() {
        assert_eq!(
            school_holiday(Region::Noord, day(2026, 10, 14)),
            Some(SchoolHoliday::Autumn)
        );
        assert_eq!(school_holiday(Region::Midden, day(2026, 10, 14)), None);
        assert_eq!(
            school_holiday(Region::Zuid, day(2026, 10, 21)),
            Some(SchoolHoliday::Autumn)
        );
        assert_eq!(school_holiday(Region::Noord, day(2026, 10, 21)), None);
        assert_eq!(
            school_holiday(Region::Zuid, day(2028, 9, 3)),
            Some(SchoolHoliday::Summer)
        );
        assert_eq!(school_holiday(Region::Midden, day(2028, 9, 3)), None);
        assert_eq!(
            school_holiday(Region::Midden, day(2029, 5, 1)),
            Some(SchoolHoliday::May)
        );
    }

    #[test]
    fn the_holiday_table_says_where_it_is_not_known() {
        assert_eq!(school_holiday_years(), (2025, 2029));
        assert!(school_holidays_known(day(2026, 12, 2)));
        assert!(school_holidays_known(day(2027, 1, 3)));
        assert!(
            !school_holidays_known(day(2027, 1, 4)),
            "spring 2027 is missing"
        );
        assert!(
            !school_holidays_known(day(2027, 7, 20)),
            "summer 2027 is missing"
        );
        assert!(school_holidays_known(day(2028, 2, 20)));
        assert!(!school_holidays_known(day(2029, 9, 3)));
        assert!(!school_holidays_known(day(2025, 8, 31)));
    }

    #[test]
    fn every_school_holiday_runs_from_a_saturday_to_a_sunday_within_the_known_stretches() {
        for p in SCHOOL_HOLIDAYS {
            let (first, last) = (date_of(p.first), date_of(p.last));
            assert_eq!(first.weekday(), Weekday::Sat, "{:?}", p.first);
            assert_eq!(last.weekday(), Weekday::Sun, "{:?}", p.last);
            let days = (last - first).num_days() + 1;
            let expected = match p.holiday {
                SchoolHoliday::Christmas => 16,
                SchoolHoliday::Summer => 44,
                _ => 9,
            };
            assert_eq!(days, expected, "{:?} {:?}", p.holiday, p.first);
            assert!(school_holidays_known(first) && school_holidays_known(last));
        }
    }

    #[test]
    fn each_region_has_each_holiday_once_per_complete_school_year() {
        for region in Region::ALL {
            let periods = school_holiday_periods(region);
            for pair in periods.windows(2) {
                if let [a, b] = pair {
                    assert!(a.last < b.first, "{region:?} overlaps at {:?}", b.first);
                }
            }
            for (from, until) in [
                (day(2025, 9, 1), day(2026, 8, 31)),
                (day(2027, 10, 1), day(2028, 9, 30)),
                (day(2028, 10, 1), day(2029, 9, 30)),
            ] {
                let kinds: Vec<_> = periods
                    .iter()
                    .filter(|p| from <= p.first && p.first <= until)
                    .map(|p| p.holiday)
                    .collect();
                assert_eq!(kinds, SchoolHoliday::ALL, "{region:?} from {from}");
            }
        }
    }

    #[test]
    fn school_holiday_keys_name_the_holiday() {
        for h in SchoolHoliday::ALL {
            assert_eq!(h.key(), format!("school-holiday-{}", h.as_str()));
        }
    }

    #[test]
    fn mothers_day_is_the_second_sunday_of_may() {
        assert_eq!(holiday_date(Holiday::MothersDay, 2026), day(2026, 5, 10));
        assert_eq!(holiday_date(Holiday::MothersDay, 2027), day(2027, 5, 9));
        assert_eq!(holiday_date(Holiday::MothersDay, 2028), day(2028, 5, 14));
        assert_eq!(holiday_date(Holiday::Sinterklaas, 2026), day(2026, 12, 5));
        assert_eq!(holiday_date(Holiday::Christmas, 2026), day(2026, 12, 25));
        assert_eq!(Holiday::MothersDay.key(), "holiday-mothers-day");
    }

    #[test]
    fn holidays_are_suggested_six_weeks_ahead() {
        let today = day(2026, 11, 29);
        let soon = holiday_suggestions(today, 0);
        assert_eq!(
            soon,
            [
                HolidaySuggestion {
                    holiday: Holiday::Sinterklaas,
                    date: day(2026, 12, 5),
                    plan_from: day(2026, 10, 24)
                },
                HolidaySuggestion {
                    holiday: Holiday::Christmas,
                    date: day(2026, 12, 25),
                    plan_from: day(2026, 11, 13)
                },
            ]
        );
        // Mother's Day 2027 (9 May) opens for planning on 28 March 2027: 119 days ahead.
        assert_eq!(holiday_suggestions(today, 118).len(), 2);
        let with_mothers_day = holiday_suggestions(today, 119);
        assert_eq!(
            with_mothers_day.last().map(|s| (s.holiday, s.date)),
            Some((Holiday::MothersDay, day(2027, 5, 9)))
        );
    }

    #[test]
    fn a_holiday_that_is_today_or_past_is_not_suggested() {
        let suggestions = holiday_suggestions(day(2026, 12, 5), 0);
        assert_eq!(
            suggestions.iter().map(|s| s.holiday).collect::<Vec<_>>(),
            [Holiday::Christmas]
        );
        let a_year = holiday_suggestions(day(2026, 12, 26), 365);
        assert_eq!(
            a_year.iter().map(|s| s.date).collect::<Vec<_>>(),
            [day(2027, 5, 9), day(2027, 12, 5), day(2027, 12, 25)]
        );
        assert!(holiday_suggestions(day(2026, 6, 1), -5).is_empty());
    }
}

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
    if raw.trim().is_empty() {
        return Err(FieldError::Required);
    }
    crate::dates::parse_weekday(raw).ok_or(FieldError::ChoiceInvalid)
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
    /// Leave out the dates in these school holidays (the region's, refined by the
    /// organisation's own dates): parents have their children at home then, and the
    /// school-based locations are often closed.
    pub skip_school_holidays: Option<Holidays>,
}

impl Weekly {
    /// Dates of the occurrences, in order; `from` and `until` count. Refused when `until` is
    /// before `from`, when the series would have more than [`MAX_OCCURRENCES`] dates, and when
    /// it has none (no such weekday in the range, or all of them in the school holidays), so
    /// that a form never creates an activity without sessions.
    ///
    /// Dates whose holidays are not known ([`Holidays::known`]) are kept: we do not know
    /// whether they fall in a holiday.
    pub fn dates(&self) -> Result<Vec<NaiveDate>, FieldError> {
        self.series(Repeat::EveryWeeks(1)).dates()
    }

    /// The sessions of the series as UTC instants; also checks that the end follows the start.
    pub fn slots(&self) -> Result<Vec<Slot>, FieldError> {
        self.series(Repeat::EveryWeeks(1)).slots()
    }

    /// The same weekday, times, period and holidays with another rhythm.
    pub fn series(&self, repeat: Repeat) -> Series {
        Series {
            repeat,
            rule: self.clone(),
        }
    }
}

/// Which occurrence of a weekday in its month: the first to the fourth, or the last (the
/// fourth or the fifth, whichever the month has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl Nth {
    pub const ALL: [Nth; 5] = [Nth::First, Nth::Second, Nth::Third, Nth::Fourth, Nth::Last];

    /// The date of this occurrence of `weekday` in the month; every month has four of each
    /// weekday, so only a date outside chrono's range gives none.
    pub fn in_month(self, year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
        let n = match self {
            Nth::First => 1,
            Nth::Second => 2,
            Nth::Third => 3,
            Nth::Fourth => 4,
            Nth::Last => {
                return NaiveDate::from_weekday_of_month_opt(year, month, weekday, 5)
                    .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, weekday, 4));
            }
        };
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    }

    fn number(self) -> u8 {
        match self {
            Nth::First => 1,
            Nth::Second => 2,
            Nth::Third => 3,
            Nth::Fourth => 4,
            Nth::Last => 5,
        }
    }
}

/// The most weeks between two sessions a series form offers.
pub const MAX_WEEKS_APART: u8 = 8;

/// How often a series comes back: every N weeks (1 = every week) or once a month on the n-th
/// weekday (handbook §3.3: "kookworkshop 1x per maand").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repeat {
    EveryWeeks(u8),
    Monthly(Nth),
}

impl Repeat {
    /// Every rhythm the series form offers, in its order.
    pub fn all() -> Vec<Repeat> {
        (1..=4)
            .map(Repeat::EveryWeeks)
            .chain(Nth::ALL.map(Repeat::Monthly))
            .collect()
    }

    /// The form value: "w1" … "w8" for every N weeks, "m1" … "m4" and "m5" (the last) for a
    /// weekday of the month.
    pub fn as_value(self) -> String {
        match self {
            Repeat::EveryWeeks(n) => format!("w{n}"),
            Repeat::Monthly(nth) => format!("m{}", nth.number()),
        }
    }

    /// A form value back. An empty value is every week, the form's default and what older
    /// forms without the field meant.
    pub fn parse(raw: &str) -> Result<Repeat, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Repeat::EveryWeeks(1));
        }
        let (kind, n) = raw.split_at_checked(1).ok_or(FieldError::ChoiceInvalid)?;
        let n: u8 = n.parse().map_err(|_| FieldError::ChoiceInvalid)?;
        match kind {
            "w" if (1..=MAX_WEEKS_APART).contains(&n) => Ok(Repeat::EveryWeeks(n)),
            "m" => Nth::ALL
                .into_iter()
                .find(|nth| nth.number() == n)
                .map(Repeat::Monthly)
                .ok_or(FieldError::ChoiceInvalid),
            _ => Err(FieldError::ChoiceInvalid),
        }
    }

    /// The key of its label in the interface texts, e.g. "repeat-w2" or "repeat-m5".
    pub fn key(self) -> String {
        format!("repeat-{}", self.as_value())
    }
}

/// A series with any rhythm: the weekly one's weekday, times, period and school holidays,
/// every N weeks or on the n-th weekday of the month. The holidays are left out the same way
/// and each date gets its own wall-clock times ([`slot`]), so summer time changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub repeat: Repeat,
    pub rule: Weekly,
}

impl Series {
    /// The candidate dates in order, before holidays are left out; refused when there are
    /// more than [`MAX_OCCURRENCES`].
    fn candidates(&self) -> Result<Vec<NaiveDate>, FieldError> {
        let Weekly {
            weekday,
            from,
            until,
            ..
        } = self.rule;
        match self.repeat {
            Repeat::EveryWeeks(n) => {
                let n = i64::from(n.max(1));
                let ahead = (7 + weekday.num_days_from_monday()
                    - from.weekday().num_days_from_monday())
                    % 7;
                let Some(first) = from
                    .checked_add_days(Days::new(u64::from(ahead)))
                    .filter(|first| *first <= until)
                else {
                    return Ok(Vec::new());
                };
                let count = (until - first).num_days() / (7 * n) + 1;
                if usize::try_from(count).map_or(true, |c| c > MAX_OCCURRENCES) {
                    return Err(FieldError::SeriesTooLong);
                }
                Ok((0..count)
                    .filter_map(|i| first.checked_add_signed(TimeDelta::weeks(i * n)))
                    .take_while(|d| *d <= until)
                    .collect())
            }
            Repeat::Monthly(nth) => {
                let months = (until.year() - from.year()) * 12 + until.month() as i32
                    - from.month() as i32
                    + 1;
                if usize::try_from(months).map_or(true, |m| m > MAX_OCCURRENCES) {
                    return Err(FieldError::SeriesTooLong);
                }
                let (mut year, mut month) = (from.year(), from.month());
                let mut dates = Vec::new();
                for _ in 0..months.max(0) {
                    if let Some(d) = nth.in_month(year, month, weekday)
                        && from <= d
                        && d <= until
                    {
                        dates.push(d);
                    }
                    (year, month) = if month == 12 {
                        (year + 1, 1)
                    } else {
                        (year, month + 1)
                    };
                }
                Ok(dates)
            }
        }
    }

    /// Dates of the occurrences, in order, with the same refusals as [`Weekly::dates`].
    pub fn dates(&self) -> Result<Vec<NaiveDate>, FieldError> {
        if self.rule.until < self.rule.from {
            return Err(FieldError::UntilBeforeFrom);
        }
        let dates: Vec<NaiveDate> = self
            .candidates()?
            .into_iter()
            .filter(|d| match &self.rule.skip_school_holidays {
                Some(holidays) => holidays.holiday_on(*d).is_none(),
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
        check_times(self.rule.start, self.rule.end)?;
        Ok(self
            .dates()?
            .into_iter()
            .map(|d| slot(d, self.rule.start, self.rule.end))
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

    /// A holiday from a form's select (the `as_str` value).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "" => Err(FieldError::Required),
            text => SchoolHoliday::ALL
                .into_iter()
                .find(|h| h.as_str() == text)
                .ok_or(FieldError::ChoiceInvalid),
        }
    }

    /// The season of this holiday in the school year that starts in August of `school_year`:
    /// the months its days may fall in. The five seasons tile the year from 1 October to
    /// 30 September without a gap, so every date belongs to exactly one holiday's season
    /// ([`season_of`]); that is what lets us say a date's holidays are known.
    ///
    /// Autumn: October–November; Christmas: December–January; spring: February–March; May:
    /// April–May; summer: June–September (it starts in July and runs into the next school
    /// year's first weeks).
    pub fn season(self, school_year: i32) -> (NaiveDate, NaiveDate) {
        let next = school_year + 1;
        let (first, last) = match self {
            SchoolHoliday::Autumn => ((school_year, 10, 1), (school_year, 11, 30)),
            SchoolHoliday::Christmas => ((school_year, 12, 1), (next, 1, 31)),
            SchoolHoliday::Spring => ((next, 2, 1), (next, 3, 31)),
            SchoolHoliday::May => ((next, 4, 1), (next, 5, 31)),
            SchoolHoliday::Summer => ((next, 6, 1), (next, 9, 30)),
        };
        (date_of(first), date_of(last))
    }
}

/// The school year a date is in, by the year it starts: 1 August 2026 to 31 July 2027 is 2026.
pub fn school_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// Whose season `date` lies in: the holiday and the school year that holiday belongs to. An
/// August or September day belongs to the summer holiday of the school year that just ended.
pub fn season_of(date: NaiveDate) -> (SchoolHoliday, i32) {
    let year = date.year();
    match date.month() {
        10 | 11 => (SchoolHoliday::Autumn, year),
        12 => (SchoolHoliday::Christmas, year),
        1 => (SchoolHoliday::Christmas, year - 1),
        2 | 3 => (SchoolHoliday::Spring, year - 1),
        4 | 5 => (SchoolHoliday::May, year - 1),
        _ => (SchoolHoliday::Summer, year - 1),
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

fn date_of((year, month, day): Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn national_periods(region: Region) -> impl Iterator<Item = SchoolHolidayPeriod> {
    SCHOOL_HOLIDAYS
        .iter()
        .filter(move |p| p.regions.contains(&region))
        .map(|p| SchoolHolidayPeriod {
            holiday: p.holiday,
            first: date_of(p.first),
            last: date_of(p.last),
        })
}

/// Which school holiday `date` falls in for schools in `region` according to the national
/// table, if any (and if known: see [`school_holidays_known`]).
pub fn school_holiday(region: Region, date: NaiveDate) -> Option<SchoolHoliday> {
    Holidays::national(region).holiday_on(date)
}

/// Whether the national table knows, in every region, whether `date` is a school holiday:
/// whether it has the holiday whose season the date lies in ([`season_of`]). When false, a
/// date that is not in a holiday according to [`school_holiday`] may still be one.
pub fn school_holidays_known(date: NaiveDate) -> bool {
    Region::ALL
        .into_iter()
        .all(|r| Holidays::national(r).known(date))
}

/// The national school holidays of a region, in date order.
pub fn school_holiday_periods(region: Region) -> Vec<SchoolHolidayPeriod> {
    let mut periods: Vec<SchoolHolidayPeriod> = national_periods(region).collect();
    periods.sort_by_key(|p| p.first);
    periods
}

/// The longest holiday an organisation may enter: the summer holiday is six weeks and two
/// days; more than ten weeks is a typo in a date.
pub const MAX_HOLIDAY_DAYS: i64 = 70;

/// A school holiday as the organisation's schools keep it, entered by the organisation. It
/// belongs to the school year of its first day and lies within its holiday's season
/// ([`SchoolHoliday::season`]), so it can only be meant for one holiday of one school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnHoliday {
    pub holiday: SchoolHoliday,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl OwnHoliday {
    /// A period from the form's three fields; every field's problem at once, by field name
    /// (`holiday`, `first_day`, `last_day`).
    pub fn parse(
        holiday: &str,
        first_day: &str,
        last_day: &str,
    ) -> Result<Self, Vec<(&'static str, FieldError)>> {
        let holiday = SchoolHoliday::parse(holiday);
        let first = parse_date(first_day);
        let last = parse_date(last_day);
        let mut errors = Vec::new();
        for (field, result) in [
            ("holiday", holiday.err()),
            ("first_day", first.err()),
            ("last_day", last.err()),
        ] {
            if let Some(e) = result {
                errors.push((field, e));
            }
        }
        match (holiday, first, last) {
            (Ok(holiday), Ok(first), Ok(last)) => {
                OwnHoliday::new(holiday, first, last).map_err(|e| vec![e])
            }
            _ => Err(errors),
        }
    }

    /// Checks one period: the last day not before the first, at most [`MAX_HOLIDAY_DAYS`],
    /// within its season. The error names the field to fix.
    pub fn new(
        holiday: SchoolHoliday,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Self, (&'static str, FieldError)> {
        if last < first {
            return Err(("last_day", FieldError::LastBeforeFirst));
        }
        if (last - first).num_days() + 1 > MAX_HOLIDAY_DAYS {
            return Err(("last_day", FieldError::HolidayTooLong));
        }
        let (season_first, season_last) = holiday.season(school_year_of(first));
        if first < season_first {
            return Err(("first_day", FieldError::HolidayOutOfSeason));
        }
        if last > season_last {
            return Err(("last_day", FieldError::HolidayOutOfSeason));
        }
        Ok(OwnHoliday {
            holiday,
            first,
            last,
        })
    }

    /// The school year the period belongs to: that of its first day.
    pub fn school_year(&self) -> i32 {
        school_year_of(self.first)
    }

    pub fn overlaps(&self, other: &OwnHoliday) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// The first of `others` that shares a day with this period: two own periods may not
    /// overlap, because then it is unclear which of them the schools keep.
    pub fn overlapping<'a>(&self, others: &'a [OwnHoliday]) -> Option<&'a OwnHoliday> {
        others.iter().find(|o| self.overlaps(o))
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
}

/// Where an effective holiday's dates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidaySource {
    /// The government's table for the region.
    National,
    /// The organisation's own dates.
    Own,
}

/// One holiday as a series sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectiveHoliday {
    pub period: SchoolHolidayPeriod,
    pub source: HolidaySource,
}

/// The school holidays that hold for an organisation: its region's national table, refined by
/// its own periods. An own period REPLACES the national one of the same holiday and school
/// year (the organisation knows its schools, which may depart from the advice); an own period
/// for which the table has nothing (spring 2027) adds to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holidays {
    region: Region,
    own: Vec<OwnHoliday>,
}

impl Holidays {
    /// The national table alone.
    pub fn national(region: Region) -> Self {
        Holidays {
            region,
            own: Vec::new(),
        }
    }

    pub fn new(region: Region, own: Vec<OwnHoliday>) -> Self {
        Holidays { region, own }
    }

    pub fn region(&self) -> Region {
        self.region
    }

    fn has_own(&self, holiday: SchoolHoliday, school_year: i32) -> bool {
        self.own
            .iter()
            .any(|o| o.holiday == holiday && o.school_year() == school_year)
    }

    fn national_in_force(&self) -> impl Iterator<Item = SchoolHolidayPeriod> + '_ {
        national_periods(self.region).filter(|p| !self.has_own(p.holiday, school_year_of(p.first)))
    }

    /// The holidays in force, in date order.
    pub fn periods(&self) -> Vec<EffectiveHoliday> {
        let mut all: Vec<EffectiveHoliday> = self
            .national_in_force()
            .map(|period| EffectiveHoliday {
                period,
                source: HolidaySource::National,
            })
            .chain(self.own.iter().map(|o| EffectiveHoliday {
                period: SchoolHolidayPeriod {
                    holiday: o.holiday,
                    first: o.first,
                    last: o.last,
                },
                source: HolidaySource::Own,
            }))
            .collect();
        all.sort_by_key(|h| (h.period.first, h.period.holiday as u8));
        all
    }

    /// The holiday `date` falls in, if any (and if known: see [`Holidays::known`]).
    pub fn holiday_on(&self, date: NaiveDate) -> Option<SchoolHoliday> {
        if let Some(own) = self.own.iter().find(|o| o.contains(date)) {
            return Some(own.holiday);
        }
        self.national_in_force()
            .find(|p| p.first <= date && date <= p.last)
            .map(|p| p.holiday)
    }

    /// Whether we know if `date` is a school holiday: we know the holiday whose season it
    /// lies in, from the table or from the organisation. A date in a known season but outside
    /// that holiday is known to be a school day.
    pub fn known(&self, date: NaiveDate) -> bool {
        let (holiday, year) = season_of(date);
        self.has_own(holiday, year)
            || national_periods(self.region)
                .any(|p| p.holiday == holiday && school_year_of(p.first) == year)
    }

    /// The first of `dates` whose holidays we do not know, for a warning on the planning page.
    pub fn first_unknown(&self, dates: &[NaiveDate]) -> Option<NaiveDate> {
        dates.iter().copied().find(|d| !self.known(*d))
    }
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
            skip_school_holidays: skip.map(Holidays::national),
        }
    }

    fn own(holiday: SchoolHoliday, first: NaiveDate, last: NaiveDate) -> OwnHoliday {
        OwnHoliday::new(holiday, first, last)
            .unwrap_or_else(|e| panic!("{holiday:?} {first}..{last}: {e:?}"))
    }

    /// Almere's schools' spring, May and summer holidays of 2027 (the demo's dates).
    fn almere_2027() -> Vec<OwnHoliday> {
        vec![
            own(SchoolHoliday::Spring, day(2027, 2, 20), day(2027, 2, 28)),
            own(SchoolHoliday::May, day(2027, 4, 24), day(2027, 5, 2)),
            own(SchoolHoliday::Summer, day(2027, 7, 17), day(2027, 8, 29)),
        ]
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
        assert!(school_holidays_known(day(2026, 12, 2)));
        assert!(school_holidays_known(day(2027, 1, 3)));
        assert!(
            school_holidays_known(day(2027, 1, 20)),
            "January is the Christmas holiday's season, and that one is known"
        );
        assert!(
            !school_holidays_known(day(2027, 2, 1)),
            "spring 2027 is missing"
        );
        assert!(
            !school_holidays_known(day(2027, 5, 12)),
            "May 2027 is missing"
        );
        assert!(
            !school_holidays_known(day(2027, 7, 20)),
            "summer 2027 is missing"
        );
        assert!(
            !school_holidays_known(day(2027, 9, 20)),
            "September still belongs to the missing summer of 2027"
        );
        assert!(school_holidays_known(day(2027, 10, 1)));
        assert!(school_holidays_known(day(2028, 2, 20)));
        assert!(school_holidays_known(day(2029, 9, 3)), "after summer 2029");
        assert!(!school_holidays_known(day(2029, 10, 1)), "past the table");
        assert!(!school_holidays_known(day(2025, 8, 31)), "summer 2025");
    }

    #[test]
    fn the_seasons_tile_the_year_so_every_date_belongs_to_one_holiday() {
        let mut d = day(2026, 10, 1);
        while d <= day(2027, 9, 30) {
            let (holiday, year) = season_of(d);
            assert_eq!(year, 2026, "{d}");
            let (first, last) = holiday.season(year);
            assert!(first <= d && d <= last, "{d} in {holiday:?}");
            let others = SchoolHoliday::ALL
                .into_iter()
                .filter(|h| {
                    let (f, l) = h.season(2026);
                    f <= d && d <= l
                })
                .count();
            assert_eq!(others, 1, "{d} lies in one season");
            d = d.succ_opt().unwrap_or(NaiveDate::MAX);
        }
    }

    #[test]
    fn a_series_in_region_noord_skips_the_organisations_own_spring_holiday_2027() {
        let national = wednesdays(day(2027, 2, 10), day(2027, 3, 10), Some(Region::Noord));
        assert_eq!(
            national.dates().map(|d| d.len()),
            Ok(5),
            "the table has no spring 2027: nothing is skipped"
        );
        let series = Weekly {
            skip_school_holidays: Some(Holidays::new(Region::Noord, almere_2027())),
            ..national
        };
        assert_eq!(
            series.dates(),
            Ok(vec![
                day(2027, 2, 10),
                day(2027, 2, 17),
                day(2027, 3, 3),
                day(2027, 3, 10)
            ]),
            "24 February is in Almere's spring holiday"
        );
    }

    #[test]
    fn a_coffee_hour_through_2027_skips_the_own_may_and_summer_holidays_too() {
        let series = Weekly {
            skip_school_holidays: Some(Holidays::new(Region::Noord, almere_2027())),
            ..wednesdays(day(2027, 4, 21), day(2027, 9, 8), None)
        };
        let dates = series.dates().unwrap_or_default();
        assert!(dates.contains(&day(2027, 4, 21)));
        assert!(!dates.contains(&day(2027, 4, 28)), "May holiday");
        assert!(dates.contains(&day(2027, 5, 5)));
        assert!(dates.contains(&day(2027, 7, 14)));
        for skipped in [day(2027, 7, 21), day(2027, 8, 4), day(2027, 8, 25)] {
            assert!(!dates.contains(&skipped), "summer holiday {skipped}");
        }
        assert!(dates.contains(&day(2027, 9, 1)));
        assert_eq!(dates.len(), 21 - 1 - 6);
    }

    #[test]
    fn an_own_holiday_replaces_the_national_advice_for_that_holiday_and_school_year() {
        // The schools of a Noord town take the autumn week of Midden and Zuid in 2027.
        let later = own(SchoolHoliday::Autumn, day(2027, 10, 23), day(2027, 10, 31));
        let h = Holidays::new(Region::Noord, vec![later]);
        assert_eq!(
            school_holiday(Region::Noord, day(2027, 10, 20)),
            Some(SchoolHoliday::Autumn)
        );
        assert_eq!(h.holiday_on(day(2027, 10, 20)), None, "advice replaced");
        assert_eq!(h.holiday_on(day(2027, 10, 27)), Some(SchoolHoliday::Autumn));
        // Other holidays and other years keep the advice.
        assert_eq!(h.holiday_on(day(2028, 10, 18)), Some(SchoolHoliday::Autumn));
        assert_eq!(
            h.holiday_on(day(2027, 12, 29)),
            Some(SchoolHoliday::Christmas)
        );
        let autumns: Vec<_> = h
            .periods()
            .into_iter()
            .filter(|p| p.period.holiday == SchoolHoliday::Autumn)
            .filter(|p| school_year_of(p.period.first) == 2027)
            .collect();
        assert_eq!(autumns.len(), 1);
        assert_eq!(autumns.first().map(|p| p.source), Some(HolidaySource::Own));
    }

    #[test]
    fn once_the_organisation_entered_the_missing_holidays_no_date_of_2027_is_unknown() {
        let national = Holidays::national(Region::Noord);
        let almere = Holidays::new(Region::Noord, almere_2027());
        let year: Vec<NaiveDate> = day(2026, 10, 1)
            .iter_days()
            .take_while(|d| *d <= day(2027, 9, 30))
            .collect();
        assert_eq!(national.first_unknown(&year), Some(day(2027, 2, 1)));
        assert_eq!(almere.first_unknown(&year), None);
        // Only the spring holiday entered: May is still unknown.
        let spring_only = Holidays::new(Region::Noord, almere_2027()[..1].to_vec());
        assert_eq!(spring_only.first_unknown(&year), Some(day(2027, 4, 1)));
        // A holiday entered for another region's table changes nothing in this one's.
        assert!(!Holidays::national(Region::Zuid).known(day(2027, 2, 20)));
    }

    #[test]
    fn an_own_holiday_whose_last_day_is_before_its_first_is_refused_at_the_last_day() {
        assert_eq!(
            OwnHoliday::parse("spring", "2027-02-28", "2027-02-20"),
            Err(vec![("last_day", FieldError::LastBeforeFirst)])
        );
        assert_eq!(
            OwnHoliday::parse("spring", "20-2-2027", "28-2-2027"),
            Ok(own(
                SchoolHoliday::Spring,
                day(2027, 2, 20),
                day(2027, 2, 28)
            )),
            "a one-day holiday and the Dutch way of writing dates are fine"
        );
        assert!(OwnHoliday::new(SchoolHoliday::May, day(2027, 5, 5), day(2027, 5, 5)).is_ok());
    }

    #[test]
    fn every_field_of_an_own_holiday_says_what_is_wrong() {
        assert_eq!(
            OwnHoliday::parse("", "", "morgen"),
            Err(vec![
                ("holiday", FieldError::Required),
                ("first_day", FieldError::Required),
                ("last_day", FieldError::DateInvalid)
            ])
        );
        assert_eq!(
            OwnHoliday::parse("pinksteren", "2027-02-20", "2027-02-28"),
            Err(vec![("holiday", FieldError::ChoiceInvalid)])
        );
    }

    #[test]
    fn a_holiday_of_more_than_ten_weeks_is_refused() {
        let ten_weeks = OwnHoliday::new(SchoolHoliday::Summer, day(2027, 7, 3), day(2027, 9, 10));
        assert!(ten_weeks.is_ok(), "{ten_weeks:?}");
        assert_eq!(
            OwnHoliday::new(SchoolHoliday::Summer, day(2027, 7, 3), day(2027, 9, 11)),
            Err(("last_day", FieldError::HolidayTooLong))
        );
    }

    #[test]
    fn a_holiday_lies_within_one_school_year_in_its_own_season() {
        assert_eq!(
            OwnHoliday::new(SchoolHoliday::Spring, day(2027, 10, 16), day(2027, 10, 24)),
            Err(("first_day", FieldError::HolidayOutOfSeason)),
            "a spring holiday in October is the wrong holiday or the wrong date"
        );
        assert_eq!(
            OwnHoliday::new(SchoolHoliday::Christmas, day(2027, 12, 25), day(2028, 2, 2)),
            Err(("last_day", FieldError::HolidayOutOfSeason))
        );
        assert_eq!(
            OwnHoliday::new(SchoolHoliday::Summer, day(2027, 8, 7), day(2027, 9, 5)),
            Err(("first_day", FieldError::HolidayOutOfSeason)),
            "a summer holiday starts before 1 August, in the school year it ends"
        );
        let summer = own(SchoolHoliday::Summer, day(2027, 7, 17), day(2027, 8, 29));
        assert_eq!(summer.school_year(), 2026, "by its first day");
        let christmas = own(SchoolHoliday::Christmas, day(2027, 12, 25), day(2028, 1, 9));
        assert_eq!(christmas.school_year(), 2027);
    }

    #[test]
    fn two_own_holidays_may_not_overlap() {
        let may = own(SchoolHoliday::May, day(2027, 4, 24), day(2027, 5, 2));
        let second_may_week = own(SchoolHoliday::May, day(2027, 5, 1), day(2027, 5, 9));
        let after = own(SchoolHoliday::May, day(2027, 5, 3), day(2027, 5, 9));
        assert_eq!(second_may_week.overlapping(&[may]), Some(&may));
        assert_eq!(after.overlapping(&[may]), None, "the day after is fine");
    }

    #[test]
    fn every_national_holiday_lies_in_its_season() {
        for region in Region::ALL {
            for p in school_holiday_periods(region) {
                let checked = OwnHoliday::new(p.holiday, p.first, p.last);
                assert!(checked.is_ok(), "{region:?} {p:?}: {checked:?}");
            }
        }
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

    fn cooking(repeat: Repeat, from: NaiveDate, until: NaiveDate, skip: bool) -> Series {
        Series {
            repeat,
            rule: Weekly {
                weekday: Weekday::Thu,
                start: time(18, 0),
                end: time(20, 0),
                from,
                until,
                skip_school_holidays: skip.then(|| Holidays::national(Region::Midden)),
            },
        }
    }

    #[test]
    fn a_cooking_workshop_once_a_month_on_the_second_thursday() {
        // Handbook §3.3: "kookworkshop 1x per maand".
        let series = cooking(
            Repeat::Monthly(Nth::Second),
            day(2026, 9, 1),
            day(2027, 1, 31),
            true,
        );
        assert_eq!(
            series.dates(),
            Ok(vec![
                day(2026, 9, 10),
                day(2026, 10, 8),
                day(2026, 11, 12),
                day(2026, 12, 10),
                day(2027, 1, 14),
            ])
        );
    }

    #[test]
    fn a_monthly_series_skips_the_christmas_holiday() {
        // The last Thursday of December 2026 is New Year's Eve, in the Christmas holiday.
        let last = |skip| {
            cooking(
                Repeat::Monthly(Nth::Last),
                day(2026, 10, 1),
                day(2027, 1, 31),
                skip,
            )
            .dates()
        };
        assert_eq!(
            last(false),
            Ok(vec![
                day(2026, 10, 29),
                day(2026, 11, 26),
                day(2026, 12, 31),
                day(2027, 1, 28),
            ])
        );
        assert_eq!(
            last(true),
            Ok(vec![day(2026, 10, 29), day(2026, 11, 26), day(2027, 1, 28)])
        );
        // The first Thursday of January 2028 is still in the Christmas holiday.
        let first = cooking(
            Repeat::Monthly(Nth::First),
            day(2027, 12, 1),
            day(2028, 2, 29),
            true,
        );
        assert_eq!(first.dates(), Ok(vec![day(2027, 12, 2), day(2028, 2, 3)]));
    }

    #[test]
    fn the_last_weekday_is_the_fifth_when_the_month_has_five() {
        assert_eq!(
            Nth::Last.in_month(2026, 10, Weekday::Thu),
            Some(day(2026, 10, 29))
        );
        assert_eq!(
            Nth::Last.in_month(2027, 2, Weekday::Thu),
            Some(day(2027, 2, 25))
        );
        assert_eq!(
            Nth::Fourth.in_month(2026, 10, Weekday::Thu),
            Some(day(2026, 10, 22))
        );
    }

    #[test]
    fn a_monthly_series_keeps_its_wall_clock_time_across_summer_time() {
        // Summer time ends on 25 October 2026: 18:00 is 16:00 UTC before, 17:00 after.
        let series = cooking(
            Repeat::Monthly(Nth::Second),
            day(2026, 10, 1),
            day(2026, 11, 30),
            false,
        );
        let starts: Vec<_> = series
            .slots()
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.start)
            .collect();
        assert_eq!(
            starts,
            vec![utc(2026, 10, 8, 16, 0), utc(2026, 11, 12, 17, 0)]
        );
    }

    #[test]
    fn every_other_week_starts_on_the_first_matching_day() {
        let series = wednesdays(day(2026, 11, 30), day(2027, 1, 31), Some(Region::Midden))
            .series(Repeat::EveryWeeks(2));
        // 2, 16 and 30 December; 30 December is in the Christmas holiday; then 13 and 27 January.
        assert_eq!(
            series.dates(),
            Ok(vec![
                day(2026, 12, 2),
                day(2026, 12, 16),
                day(2027, 1, 13),
                day(2027, 1, 27),
            ])
        );
        // Every week is the weekly series itself.
        let weekly = wednesdays(day(2026, 11, 30), day(2027, 1, 31), Some(Region::Midden));
        assert_eq!(weekly.series(Repeat::EveryWeeks(1)).dates(), weekly.dates());
    }

    #[test]
    fn series_refusals_are_the_weekly_ones() {
        let backwards = cooking(
            Repeat::Monthly(Nth::First),
            day(2027, 1, 1),
            day(2026, 1, 1),
            false,
        );
        assert_eq!(backwards.dates(), Err(FieldError::UntilBeforeFrom));
        // 1 to 7 December 2026 has no second Thursday.
        let none = cooking(
            Repeat::Monthly(Nth::Second),
            day(2026, 12, 1),
            day(2026, 12, 7),
            false,
        );
        assert_eq!(none.dates(), Err(FieldError::NoSessions));
        let long = cooking(
            Repeat::Monthly(Nth::First),
            day(2026, 1, 1),
            day(2080, 1, 1),
            false,
        );
        assert_eq!(long.dates(), Err(FieldError::SeriesTooLong));
        let fortnightly = cooking(
            Repeat::EveryWeeks(2),
            day(2026, 1, 1),
            day(2040, 1, 1),
            false,
        );
        assert!(fortnightly.dates().is_ok());
        let late = cooking(
            Repeat::EveryWeeks(1),
            day(2026, 1, 1),
            day(2040, 1, 1),
            false,
        );
        assert_eq!(late.dates(), Err(FieldError::SeriesTooLong));
    }

    #[test]
    fn a_repeat_reads_back_from_its_form_value() {
        for r in Repeat::all() {
            assert_eq!(Repeat::parse(&r.as_value()), Ok(r));
        }
        assert_eq!(Repeat::parse(""), Ok(Repeat::EveryWeeks(1)));
        assert_eq!(Repeat::parse("w8"), Ok(Repeat::EveryWeeks(8)));
        assert_eq!(Repeat::parse("m5"), Ok(Repeat::Monthly(Nth::Last)));
        for bad in ["w0", "w9", "m0", "m6", "x1", "w", "wé", "é1", "month"] {
            assert_eq!(Repeat::parse(bad), Err(FieldError::ChoiceInvalid), "{bad}");
        }
    }
}

/// Property tests of weekly series: over several years, on every weekday, at any time of day
/// and especially in the hour the clocks change, with and without the school holidays.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// A series is the costly case (up to ten years of dates, walked day by day in the
    /// model): half the cases of the others (128 of the default 256, or half of
    /// `PROPTEST_CASES`) keeps `cargo test -p mtp-domain` quick in debug.
    fn series_config() -> ProptestConfig {
        let default = ProptestConfig::default();
        ProptestConfig {
            cases: (default.cases / 2).max(1),
            ..default
        }
    }

    const WEEKDAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap_or_default()
    }

    fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
        date.checked_add_signed(TimeDelta::days(days))
            .unwrap_or(date)
    }

    /// The night the clocks change in the Netherlands (EU rule, since 1996): the last Sunday
    /// of March (02:00 → 03:00) and of October (03:00 → 02:00). Written out here from the
    /// rule, not read from the time zone database the code uses.
    fn is_last_sunday_of(date: NaiveDate, month: u32) -> bool {
        date.month() == month && date.weekday() == Weekday::Sun && date.day() + 7 > 31
    }

    /// 02:00–03:00 on the last Sunday of March does not exist on Dutch clocks.
    fn in_spring_gap(date: NaiveDate, time: NaiveTime) -> bool {
        is_last_sunday_of(date, 3) && time.hour() == 2
    }

    /// 02:00–03:00 on the last Sunday of October happens twice.
    fn in_autumn_overlap(date: NaiveDate, time: NaiveTime) -> bool {
        is_last_sunday_of(date, 10) && time.hour() == 2
    }

    /// What a Dutch clock shows at a session's start: the planned time, or 03:00 when the
    /// planned time falls in the hour that is skipped in spring.
    fn expected_wall_clock(date: NaiveDate, time: NaiveTime) -> NaiveDateTime {
        if in_spring_gap(date, time) {
            date.and_time(hms(3, 0, 0))
        } else {
            date.and_time(time)
        }
    }

    /// Any time of day; often in or around the hour the clocks change.
    fn time_of_day() -> impl Strategy<Value = NaiveTime> {
        prop_oneof![
            2 => (0u32..24, 0u32..60).prop_map(|(h, m)| hms(h, m, 0)),
            1 => (0u32..60, 0u32..60).prop_map(|(m, s)| hms(2, m, s)),
            1 => (1u32..=3, select(vec![0u32, 1, 29, 30, 59]))
                .prop_map(|(h, m)| hms(h, m, 0)),
        ]
    }

    /// Every weekday; Sunday, the day the clocks change, more often.
    fn weekday() -> impl Strategy<Value = Weekday> {
        prop_oneof![select(WEEKDAYS.to_vec()), Just(Weekday::Sun)]
    }

    /// An organisation's own holiday in its season: any holiday of the school years 2025 to
    /// 2030, one day to a bit over two weeks long.
    fn own_holiday() -> impl Strategy<Value = OwnHoliday> {
        (
            select(SchoolHoliday::ALL.to_vec()),
            2025i32..=2030,
            0i64..61,
            0i64..16,
        )
            .prop_filter_map(
                "the holiday lies in its season",
                |(holiday, year, offset, length)| {
                    let (season_first, season_last) = holiday.season(year);
                    let first = plus_days(season_first, offset).min(season_last);
                    let last = plus_days(first, length).min(season_last);
                    OwnHoliday::new(holiday, first, last).ok()
                },
            )
    }

    /// No skipping, a region's national table, or that refined by the organisation's dates.
    fn holidays() -> impl Strategy<Value = Option<Holidays>> {
        let region = || select(Region::ALL.to_vec());
        prop_oneof![
            1 => Just(None),
            1 => region().prop_map(|r| Some(Holidays::national(r))),
            1 => (region(), vec(own_holiday(), 1..=3))
                .prop_map(|(r, own)| Some(Holidays::new(r, own))),
        ]
    }

    /// A series starting somewhere in 2025–2031, mostly up to three years long, sometimes up
    /// to eleven (past the ten-year bound), now and then ending before it starts.
    fn series() -> impl Strategy<Value = Weekly> {
        (
            weekday(),
            time_of_day(),
            1i64..=240,
            0i64..7 * 365,
            prop_oneof![
                16 => 0i64..=3 * 365,
                2 => 0i64..=11 * 365,
                1 => -14i64..0,
            ],
            holidays(),
        )
            .prop_map(|(weekday, start, minutes, from, span, skip)| {
                let from = plus_days(day(2025, 1, 1), from);
                Weekly {
                    weekday,
                    start,
                    // May run past midnight and so end "before" it starts: refused.
                    end: start + TimeDelta::minutes(minutes),
                    from,
                    until: plus_days(from, span),
                    skip_school_holidays: skip,
                }
            })
    }

    /// A school holiday per the holidays' list of periods: another road than `holiday_on`.
    fn in_a_holiday(periods: &[EffectiveHoliday], date: NaiveDate) -> bool {
        periods
            .iter()
            .any(|h| h.period.first <= date && date <= h.period.last)
    }

    proptest! {
        #[test]
        fn on_the_nights_the_clocks_change_a_wall_clock_time_follows_the_documented_rule(
            year in 2025i32..=2040,
            month in select(vec![3u32, 10]),
            h in 0u32..5,
            m in 0u32..60,
            s in 0u32..60,
        ) {
            let date = NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, 5)
                .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, 4))
                .unwrap_or_default();
            prop_assert!(is_last_sunday_of(date, month));
            let time = hms(h, m, s);
            let utc = local_to_utc(date, time);
            prop_assert_eq!(utc_to_local(utc), expected_wall_clock(date, time));
            if in_spring_gap(date, time) {
                // The first instant after the gap: 03:00 summer time, 01:00 UTC.
                prop_assert_eq!(utc, date.and_time(hms(1, 0, 0)).and_utc());
            }
            if in_autumn_overlap(date, time) {
                // The first of the two: still summer time, two hours ahead of UTC.
                prop_assert_eq!(utc, (date.and_time(time) - TimeDelta::hours(2)).and_utc());
            }
        }

        #[test]
        fn a_later_wall_clock_time_is_never_an_earlier_instant(
            date in (0i64..20 * 365).prop_map(|n| plus_days(day(2025, 1, 1), n)),
            a in time_of_day(),
            b in time_of_day(),
        ) {
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(local_to_utc(date, early) <= local_to_utc(date, late));
        }
    }

    proptest! {
        #![proptest_config(series_config())]

        #[test]
        fn a_series_has_every_such_weekday_from_from_to_until_except_the_school_holidays(
            series in series(),
        ) {
            let periods = series
                .skip_school_holidays
                .as_ref()
                .map(Holidays::periods)
                .unwrap_or_default();
            let on_the_weekday: Vec<NaiveDate> = series
                .from
                .iter_days()
                .take_while(|d| *d <= series.until)
                .filter(|d| d.weekday() == series.weekday)
                .collect();
            let kept: Vec<NaiveDate> = on_the_weekday
                .iter()
                .copied()
                .filter(|d| !in_a_holiday(&periods, *d))
                .collect();
            let expected = if series.until < series.from {
                Err(FieldError::UntilBeforeFrom)
            } else if on_the_weekday.is_empty() {
                Err(FieldError::NoSessions)
            } else if on_the_weekday.len() > MAX_OCCURRENCES {
                Err(FieldError::SeriesTooLong)
            } else if kept.is_empty() {
                Err(FieldError::NoSessions)
            } else {
                Ok(kept)
            };
            prop_assert_eq!(series.dates(), expected);
        }

        #[test]
        fn sessions_are_sorted_distinct_and_a_whole_number_of_weeks_apart(series in series()) {
            let Ok(dates) = series.dates() else {
                return Ok(());
            };
            prop_assert!(dates.len() <= MAX_OCCURRENCES);
            let first = dates.first().copied().unwrap_or_default();
            let last = dates.last().copied().unwrap_or_default();
            prop_assert!(series.from <= first && last <= series.until);
            for pair in dates.windows(2) {
                if let [a, b] = pair {
                    let days = (*b - *a).num_days();
                    prop_assert!(days > 0 && days % 7 == 0, "{} then {}", a, b);
                    match &series.skip_school_holidays {
                        // Without skipping: exactly a week apart.
                        None => prop_assert_eq!(days, 7),
                        // Every week left out lies in a school holiday.
                        Some(holidays) => {
                            for k in 1..days / 7 {
                                let skipped = plus_days(*a, 7 * k);
                                prop_assert!(holidays.holiday_on(skipped).is_some(), "{}", skipped);
                            }
                        }
                    }
                }
            }
            if let Some(holidays) = &series.skip_school_holidays {
                for d in &dates {
                    prop_assert_eq!(holidays.holiday_on(*d), None, "{}", d);
                }
            }
        }

        #[test]
        fn every_session_is_on_the_chosen_weekday_at_the_chosen_dutch_wall_clock_time(
            series in series(),
        ) {
            let (Ok(dates), Ok(slots)) = (series.dates(), series.slots()) else {
                return Ok(());
            };
            prop_assert_eq!(dates.len(), slots.len());
            for (date, slot) in dates.iter().zip(&slots) {
                prop_assert_eq!(date.weekday(), series.weekday);
                prop_assert_eq!(utc_to_local(slot.start), expected_wall_clock(*date, series.start));
                prop_assert_eq!(utc_to_local(slot.end), expected_wall_clock(*date, series.end));
                if in_autumn_overlap(*date, series.start) {
                    prop_assert_eq!(
                        slot.start,
                        (date.and_time(series.start) - TimeDelta::hours(2)).and_utc()
                    );
                }
            }
            // Instants in order too, each a whole number of weeks later give or take the
            // hour the clocks moved.
            for (pair, days) in slots.windows(2).zip(dates.windows(2)) {
                if let ([a, b], [da, db]) = (pair, days) {
                    let drift = (b.start - a.start) - (*db - *da);
                    prop_assert!(drift.num_minutes().abs() <= 60, "{:?} then {:?}", a, b);
                    prop_assert!(a.start < b.start);
                }
            }
        }

        #[test]
        fn a_session_never_ends_before_it_starts(series in series()) {
            if series.end <= series.start {
                prop_assert_eq!(series.slots(), Err(FieldError::EndBeforeStart));
                return Ok(());
            }
            let Ok(slots) = series.slots() else {
                return Ok(());
            };
            for slot in &slots {
                prop_assert!(slot.start <= slot.end, "{:?}", slot);
                if slot.start == slot.end {
                    // Only when both ends fall in (or at the end of) the hour skipped in spring.
                    let date = utc_to_local(slot.start).date();
                    prop_assert!(in_spring_gap(date, series.start), "{:?}", slot);
                }
            }
        }
    }
}

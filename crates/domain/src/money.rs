//! Time and money (issue #20, handbook §3.6 *Begroting*): the budget lines, amounts in cents,
//! the worker's hours per week by category, the straight-line forecast to the end of the year
//! and what a session, a family taking part and a visit cost.
//!
//! The handbook's figures (§3.6): staff 10–12 hours a week; quality and coordination about 2
//! hours a week; third parties (partners, volunteers) 750 hours; activity costs €2,500–3,000;
//! organisation costs €1,850; implementation in the first phase €3,000–5,000. "The amounts are
//! an indication", so every figure of the template can be changed per neighbourhood and year.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use thiserror::Error;

/// Why a money or time field was refused. The code is stable and maps to a Fluent key
/// (`crates/web/locales/*/money.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("amount-invalid")]
    AmountInvalid,
    #[error("amount-too-high")]
    AmountTooHigh,
    /// A minus sign: a correction is made by reversing the entry, never by a negative amount.
    #[error("amount-negative")]
    AmountNegative,
    #[error("amount-zero")]
    AmountZero,
    #[error("hours-invalid")]
    HoursInvalid,
    /// More than [`MAX_WEEK_MINUTES`] in one week.
    #[error("week-too-long")]
    WeekTooLong,
    /// A date outside the budget's year.
    #[error("date-outside-year")]
    DateOutsideYear,
    #[error("receipt-type")]
    ReceiptType,
    #[error("receipt-too-large")]
    ReceiptTooLarge,
}

impl MoneyError {
    /// The Fluent key of the message that tells the user how to fix the field.
    pub fn key(self) -> &'static str {
        match self {
            MoneyError::AmountInvalid => "money-error-amount-invalid",
            MoneyError::AmountTooHigh => "money-error-amount-too-high",
            MoneyError::AmountNegative => "money-error-amount-negative",
            MoneyError::AmountZero => "money-error-amount-zero",
            MoneyError::HoursInvalid => "money-error-hours-invalid",
            MoneyError::WeekTooLong => "money-error-week-too-long",
            MoneyError::DateOutsideYear => "money-error-date-outside-year",
            MoneyError::ReceiptType => "money-error-receipt-type",
            MoneyError::ReceiptTooLarge => "money-error-receipt-too-large",
        }
    }
}

// ---------------------------------------------------------------- cents

/// An amount in euro cents. Never a float. Typed amounts are never negative: a negative
/// amount only exists as the reversal of an earlier entry ([`Cents::reversed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);
    /// One million euro: far above any neighbourhood's budget line, so only a typo reaches it.
    pub const MAX: i64 = 100_000_000;

    pub const fn from_cents(c: i64) -> Cents {
        Cents(c)
    }

    pub const fn euros(e: i64) -> Cents {
        Cents(e * 100)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// What people type: "12", "12,50", "12.50", "12,5", "€ 12,50", "€12", "12,-",
    /// "1.234,50" and "1,234.50". Empty is [`MoneyError::AmountInvalid`]; a minus is
    /// [`MoneyError::AmountNegative`]; anything that is not a plain amount ("1.850", "12,505",
    /// "1e3", "12.5.0", "NaN") is refused, not guessed.
    pub fn parse(raw: &str) -> Result<Cents, MoneyError> {
        let text = raw.trim();
        let text = text.strip_prefix('€').unwrap_or(text).trim();
        let text = text.strip_suffix('€').unwrap_or(text).trim();
        let text = text
            .strip_prefix("EUR")
            .or_else(|| text.strip_prefix("eur"))
            .unwrap_or(text)
            .trim();
        if text.starts_with('-')
            || (text.ends_with('-') && !text.ends_with(",-") && !text.ends_with(".-"))
        {
            return Err(MoneyError::AmountNegative);
        }
        let text = text.strip_suffix(",-").unwrap_or(text);
        let text = text.strip_suffix(".-").unwrap_or(text);
        if text.is_empty()
            || text
                .chars()
                .any(|c| !c.is_ascii_digit() && c != ',' && c != '.')
        {
            return Err(MoneyError::AmountInvalid);
        }
        let seps: Vec<(usize, char)> = text
            .char_indices()
            .filter(|(_, c)| *c == ',' || *c == '.')
            .collect();
        // The last separator is the decimal one when one or two digits follow it; with three
        // it groups thousands, which one separator alone cannot say ("1.000" is a thousand in
        // Dutch and one euro in English): refused rather than guessed.
        let (whole, fraction, decimal) = match seps.last() {
            None => (text, "", None),
            Some(&(at, c)) => match text.len() - at - 1 {
                1 | 2 => (&text[..at], &text[at + 1..], Some(c)),
                3 if seps.len() > 1 => (text, "", None),
                _ => return Err(MoneyError::AmountInvalid),
            },
        };
        // Thousands separators: one kind, not the decimal one, groups of three.
        let groups: Vec<char> = whole.chars().filter(|c| *c == ',' || *c == '.').collect();
        if let Some(g) = groups.first() {
            if groups.iter().any(|c| c != g) || Some(*g) == decimal {
                return Err(MoneyError::AmountInvalid);
            }
            let mut parts = whole.split(*g);
            let first = parts.next().unwrap_or("");
            if first.is_empty() || first.len() > 3 || parts.any(|p| p.len() != 3) {
                return Err(MoneyError::AmountInvalid);
            }
        }
        let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
        if whole.is_empty() && fraction.is_empty() {
            return Err(MoneyError::AmountInvalid);
        }
        let euros: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::AmountTooHigh)?
        };
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<i64>()
                    .map_err(|_| MoneyError::AmountInvalid)?
                    * 10
            }
            _ => fraction.parse().map_err(|_| MoneyError::AmountInvalid)?,
        };
        let total = euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .ok_or(MoneyError::AmountTooHigh)?;
        if total > Self::MAX {
            return Err(MoneyError::AmountTooHigh);
        }
        Ok(Cents(total))
    }

    /// An expense: as [`Cents::parse`], and more than zero.
    pub fn parse_expense(raw: &str) -> Result<Cents, MoneyError> {
        let c = Self::parse(raw)?;
        if c.0 == 0 {
            return Err(MoneyError::AmountZero);
        }
        Ok(c)
    }

    /// The entry that cancels this one: the same amount, negative.
    pub fn reversed(self) -> Cents {
        Cents(-self.0)
    }

    pub fn saturating_add(self, other: Cents) -> Cents {
        Cents(self.0.saturating_add(other.0))
    }

    /// `hours` (in minutes) at an hourly rate, rounded to the nearest cent.
    pub fn for_minutes(rate: Cents, minutes: i64) -> Cents {
        Cents(div_round(rate.0.saturating_mul(minutes), 60))
    }

    /// For a form field: "12,50" (Dutch) or "12.50" (English), no thousands separator.
    pub fn to_input(self, decimal: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}{decimal}{:02}", a / 100, a % 100)
    }

    /// For reading: "€ 1.234,50" (Dutch) or "€1,234.50" (English).
    pub fn show(self, dutch: bool) -> String {
        let (group, decimal) = if dutch { ('.', ',') } else { (',', '.') };
        let sign = if self.0 < 0 { "−" } else { "" };
        let a = self.0.unsigned_abs();
        let euros = (a / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let space = if dutch { " " } else { "" };
        format!("{sign}€{space}{grouped}{decimal}{:02}", a % 100)
    }
}

/// `a / b` rounded half away from zero; `b > 0`.
fn div_round(a: i64, b: i64) -> i64 {
    if a >= 0 {
        (a + b / 2) / b
    } else {
        -((-a + b / 2) / b)
    }
}

// ---------------------------------------------------------------- budget lines

/// The handbook's budget lines (§3.6). The three hour lines are budgeted in hours and cost
/// their hours at an hourly rate the organisation fills in (the handbook gives none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BudgetLine {
    /// *Activiteitenkosten*: the coffee hour's snacks, outings, workshops, materials.
    Activities,
    /// *Organisatiekosten*: room, printing, telephone, publicity.
    Organisation,
    /// *Introductie en ontwikkeling*: the first phase in a new neighbourhood.
    Implementation,
    /// *Personeelskosten*: the worker's hours.
    StaffHours,
    /// *Kwaliteitsbewaking/coördinatie*.
    CoordinationHours,
    /// *Inzet derden*: partners and volunteers.
    ThirdPartyHours,
}

impl BudgetLine {
    pub const ALL: [BudgetLine; 6] = [
        BudgetLine::Activities,
        BudgetLine::Organisation,
        BudgetLine::Implementation,
        BudgetLine::StaffHours,
        BudgetLine::CoordinationHours,
        BudgetLine::ThirdPartyHours,
    ];

    /// The lines an expense can be booked on.
    pub const SPENDING: [BudgetLine; 3] = [
        BudgetLine::Activities,
        BudgetLine::Organisation,
        BudgetLine::Implementation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BudgetLine::Activities => "activities",
            BudgetLine::Organisation => "organisation",
            BudgetLine::Implementation => "implementation",
            BudgetLine::StaffHours => "staff_hours",
            BudgetLine::CoordinationHours => "coordination_hours",
            BudgetLine::ThirdPartyHours => "third_party_hours",
        }
    }

    pub fn parse(raw: &str) -> Option<BudgetLine> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }

    /// Whether the line is budgeted in hours (and spent by time entries, not expenses).
    pub fn is_hours(self) -> bool {
        matches!(
            self,
            BudgetLine::StaffHours | BudgetLine::CoordinationHours | BudgetLine::ThirdPartyHours
        )
    }

    /// The Fluent key of the line's name.
    pub fn key(self) -> &'static str {
        match self {
            BudgetLine::Activities => "money-line-activities",
            BudgetLine::Organisation => "money-line-organisation",
            BudgetLine::Implementation => "money-line-implementation",
            BudgetLine::StaffHours => "money-line-staff-hours",
            BudgetLine::CoordinationHours => "money-line-coordination-hours",
            BudgetLine::ThirdPartyHours => "money-line-third-party-hours",
        }
    }
}

/// The weeks a year of hours counts: the handbook speaks of hours a week; the template
/// counts every week of the year (holidays are the team's own choice to budget).
pub const WEEKS_PER_YEAR: i64 = 52;

/// One line of a year's budget: an amount for the money lines, hours and an hourly rate for
/// the hour lines (their amount is hours × rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineBudget {
    pub line: BudgetLine,
    /// The money lines' amount; zero for the hour lines.
    pub amount: Cents,
    /// The hour lines' hours for the year; zero for the money lines.
    pub hours: i64,
    /// The hour lines' cost of one hour; zero means not filled in.
    pub rate: Cents,
}

impl LineBudget {
    /// What the line may cost in the year.
    pub fn total(self) -> Cents {
        if self.line.is_hours() {
            Cents(self.rate.0.saturating_mul(self.hours))
        } else {
            self.amount
        }
    }
}

/// The handbook's figures as a new year's budget (§3.6). Where the handbook gives a range the
/// template takes its top (activities €3,000, implementation €5,000, staff 12 hours a week):
/// a budget that the handbook's own team needed. Implementation is only for a neighbourhood
/// in its first phase; a team that has started sets it to zero.
pub fn template() -> [LineBudget; 6] {
    let money = |line, euros| LineBudget {
        line,
        amount: Cents::euros(euros),
        hours: 0,
        rate: Cents::ZERO,
    };
    let hours = |line, hours| LineBudget {
        line,
        amount: Cents::ZERO,
        hours,
        rate: Cents::ZERO,
    };
    [
        money(BudgetLine::Activities, 3_000),
        money(BudgetLine::Organisation, 1_850),
        money(BudgetLine::Implementation, 5_000),
        hours(BudgetLine::StaffHours, 12 * WEEKS_PER_YEAR),
        hours(BudgetLine::CoordinationHours, 2 * WEEKS_PER_YEAR),
        hours(BudgetLine::ThirdPartyHours, 750),
    ]
}

/// The handbook's norm for the worker: 10 to 12 hours a week, in minutes.
pub const STAFF_NORM_MINUTES: (i64, i64) = (10 * 60, 12 * 60);
/// The handbook's norm for quality and coordination: about 2 hours a week, in minutes.
pub const COORDINATION_NORM_MINUTES: i64 = 2 * 60;

// ---------------------------------------------------------------- time

/// What a worker's time went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeCategory {
    /// Preparing a session (the coffee hour: one hour, §3.6).
    Preparation,
    /// Running a session.
    Execution,
    /// Wrapping a session up.
    WrapUp,
    /// Encouraging families before a session and moderating the WhatsApp group, also outside
    /// working hours (the handbook warns about it, §3.3).
    Encouragement,
    /// Talks with one family and referrals to help.
    IndividualContact,
    /// Outreach to families, partners and the network (§3.5).
    Outreach,
    /// Quality and coordination (§3.6: about 2 hours a week).
    Coordination,
    Other,
}

impl TimeCategory {
    pub const ALL: [TimeCategory; 8] = [
        TimeCategory::Preparation,
        TimeCategory::Execution,
        TimeCategory::WrapUp,
        TimeCategory::Encouragement,
        TimeCategory::IndividualContact,
        TimeCategory::Outreach,
        TimeCategory::Coordination,
        TimeCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeCategory::Preparation => "preparation",
            TimeCategory::Execution => "execution",
            TimeCategory::WrapUp => "wrap_up",
            TimeCategory::Encouragement => "encouragement",
            TimeCategory::IndividualContact => "individual_contact",
            TimeCategory::Outreach => "outreach",
            TimeCategory::Coordination => "coordination",
            TimeCategory::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<TimeCategory> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn key(self) -> &'static str {
        match self {
            TimeCategory::Preparation => "money-time-preparation",
            TimeCategory::Execution => "money-time-execution",
            TimeCategory::WrapUp => "money-time-wrap-up",
            TimeCategory::Encouragement => "money-time-encouragement",
            TimeCategory::IndividualContact => "money-time-individual-contact",
            TimeCategory::Outreach => "money-time-outreach",
            TimeCategory::Coordination => "money-time-coordination",
            TimeCategory::Other => "money-time-other",
        }
    }

    /// The budget line the time is spent from: coordination from its own line, the rest from
    /// the staff hours.
    pub fn line(self) -> BudgetLine {
        match self {
            TimeCategory::Coordination => BudgetLine::CoordinationHours,
            _ => BudgetLine::StaffHours,
        }
    }

    /// Whether the rota proposes this category from the sessions (preparation, execution,
    /// wrap-up).
    pub fn from_sessions(self) -> bool {
        matches!(
            self,
            TimeCategory::Preparation | TimeCategory::Execution | TimeCategory::WrapUp
        )
    }
}

/// A steppers' step: a quarter of an hour.
pub const STEP_MINUTES: i64 = 15;
/// The most one week can hold: 60 hours. More is a typo (or a worker who must be stopped).
pub const MAX_WEEK_MINUTES: i64 = 60 * 60;
/// Third parties' hours in one month: at most 1,000 hours (750 a year is the handbook's).
pub const MAX_MONTH_MINUTES: i64 = 1_000 * 60;

/// Hours as typed, in minutes: "2", "1,5", "1.25", "1:30", "0:15", "" (none). Refused when
/// negative or not a whole number of minutes.
pub fn parse_hours(raw: &str) -> Result<i64, MoneyError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(0);
    }
    if text.starts_with('-') {
        return Err(MoneyError::HoursInvalid);
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 6 && s.chars().all(|c| c.is_ascii_digit());
    if let Some((h, m)) = text.split_once(':') {
        if !digits(h) || !digits(m) || m.len() != 2 {
            return Err(MoneyError::HoursInvalid);
        }
        let h: i64 = h.parse().map_err(|_| MoneyError::HoursInvalid)?;
        let m: i64 = m.parse().map_err(|_| MoneyError::HoursInvalid)?;
        if m >= 60 {
            return Err(MoneyError::HoursInvalid);
        }
        return Ok(h * 60 + m);
    }
    let (h, f) = match text.find([',', '.']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let h = if h.is_empty() { "0" } else { h };
    if !digits(h) || !(f.is_empty() || digits(f)) || f.len() > 4 {
        return Err(MoneyError::HoursInvalid);
    }
    let h: i64 = h.parse().map_err(|_| MoneyError::HoursInvalid)?;
    // The fraction of an hour, in ten-thousandths, must be whole minutes.
    let scale = 10i64.pow(u32::try_from(f.len()).unwrap_or(0));
    let f: i64 = if f.is_empty() {
        0
    } else {
        f.parse().map_err(|_| MoneyError::HoursInvalid)?
    };
    if (f * 60) % scale != 0 {
        return Err(MoneyError::HoursInvalid);
    }
    Ok(h * 60 + f * 60 / scale)
}

/// Minutes as hours for reading and for a form field: "1,5" / "1.5", "0,25", "12".
pub fn show_hours(minutes: i64, decimal: char) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    let whole = m / 60;
    let rest = m % 60;
    if rest == 0 {
        return format!("{sign}{whole}");
    }
    // Minutes as a fraction of an hour with up to two decimals ("0,25", "1,5", "0,17").
    let hundredths = (rest * 100 + 30) / 60;
    let frac = format!("{hundredths:02}");
    let frac = frac.trim_end_matches('0');
    format!("{sign}{whole}{decimal}{frac}")
}

/// The week rule: a week's minutes per category, refused when they add up to more than 60
/// hours or one is negative.
pub fn check_week(minutes: &[i64]) -> Result<i64, MoneyError> {
    if minutes.iter().any(|m| *m < 0) {
        return Err(MoneyError::HoursInvalid);
    }
    let total: i64 = minutes.iter().fold(0i64, |a, m| a.saturating_add(*m));
    if total > MAX_WEEK_MINUTES {
        return Err(MoneyError::WeekTooLong);
    }
    Ok(total)
}

/// The Monday of the week `day` falls in: a week is named by its Monday.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
        .unwrap_or(day)
}

/// Whether `day` is a Monday (a week's name).
pub fn is_monday(day: NaiveDate) -> bool {
    day.weekday() == Weekday::Mon
}

/// The year a week counts in: the year of its Thursday (ISO 8601), so a week is never
/// counted twice.
pub fn year_of_week(monday: NaiveDate) -> i32 {
    monday
        .checked_add_days(Days::new(3))
        .unwrap_or(monday)
        .year()
}

/// The date of an expense must fall in its budget year.
pub fn check_in_year(day: NaiveDate, year: i32) -> Result<(), MoneyError> {
    if day.year() == year {
        Ok(())
    } else {
        Err(MoneyError::DateOutsideYear)
    }
}

// ---------------------------------------------------------------- forecast

/// How a line is doing against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    /// On course, or no budget to compare with.
    Fine,
    /// At this pace the line will be overspent by the end of the year.
    WillOverrun,
    /// Already spent more than the budget.
    Overrun,
}

/// What has been spent by `today`, drawn as a straight line to the end of the year:
/// spent ÷ days passed × days in the year. Before the year starts nothing is forecast beyond
/// what is spent; after it ends the spent amount is the outcome.
pub fn forecast(spent: Cents, year: i32, today: NaiveDate) -> Cents {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return spent;
    };
    if today < first || today >= last {
        return spent;
    }
    let days_in_year = (last - first).num_days() + 1;
    let passed = (today - first).num_days() + 1;
    Cents(div_round(
        spent.0.saturating_mul(days_in_year),
        passed.max(1),
    ))
}

/// The warning for a line: overspent, going to overspend at this pace, or fine. A line
/// without a budget (zero) gets no warning: there is nothing to compare with.
pub fn line_state(budget: Cents, spent: Cents, forecast: Cents) -> LineState {
    if budget.0 <= 0 {
        LineState::Fine
    } else if spent > budget {
        LineState::Overrun
    } else if forecast > budget {
        LineState::WillOverrun
    } else {
        LineState::Fine
    }
}

// ---------------------------------------------------------------- cost per unit

/// What the year cost per session held, per household that took part and per visit. `None`
/// where there is nothing to divide by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitCosts {
    pub per_session: Option<Cents>,
    pub per_household: Option<Cents>,
    pub per_visit: Option<Cents>,
}

pub fn unit_costs(total: Cents, sessions: u64, households: u64, visits: u64) -> UnitCosts {
    let per = |n: u64| {
        i64::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .map(|n| Cents(div_round(total.0, n)))
    };
    UnitCosts {
        per_session: per(sessions),
        per_household: per(households),
        per_visit: per(visits),
    }
}

// ---------------------------------------------------------------- the year at a glance

/// What a year's records add up to, as the store reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearRecords {
    /// The expenses (reversals included) per money line.
    pub spent: Vec<(BudgetLine, Cents)>,
    /// The minutes per hour line: the workers' (by category) and the third parties'.
    pub minutes: Vec<(BudgetLine, i64)>,
    pub sessions_held: u64,
    pub households_taking_part: u64,
    pub visits: u64,
}

/// One line of the dashboard, the printable page and the workbook's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSummary {
    pub budget: LineBudget,
    /// The line's budget in money (hours × rate for the hour lines).
    pub budgeted: Cents,
    pub spent: Cents,
    /// The hour lines' minutes so far; zero for the money lines.
    pub minutes: i64,
    pub forecast: Cents,
    pub state: LineState,
}

/// The whole year: every line, the totals and the cost per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSummary {
    pub lines: Vec<LineSummary>,
    pub budgeted: Cents,
    pub spent: Cents,
    pub forecast: Cents,
    pub units: UnitCosts,
}

/// The year at a glance, on `today`: per line what was budgeted, spent and is forecast, and
/// what the year cost so far per session held, per household taking part and per visit. The
/// hour lines are spent at their rate; without a rate they cost nothing in money (their
/// hours are still shown).
pub fn summarise(
    budget: &[LineBudget],
    r: &YearRecords,
    year: i32,
    today: NaiveDate,
) -> YearSummary {
    let mut lines = Vec::with_capacity(budget.len());
    for b in budget {
        let minutes: i64 = r
            .minutes
            .iter()
            .filter(|(l, _)| *l == b.line)
            .map(|(_, m)| *m)
            .sum();
        let spent = if b.line.is_hours() {
            Cents::for_minutes(b.rate, minutes)
        } else {
            r.spent
                .iter()
                .filter(|(l, _)| *l == b.line)
                .fold(Cents::ZERO, |a, (_, c)| a.saturating_add(*c))
        };
        let budgeted = b.total();
        let f = forecast(spent, year, today);
        lines.push(LineSummary {
            budget: *b,
            budgeted,
            spent,
            minutes,
            forecast: f,
            state: line_state(budgeted, spent, f),
        });
    }
    let sum = |f: fn(&LineSummary) -> Cents| {
        lines
            .iter()
            .fold(Cents::ZERO, |a, l| a.saturating_add(f(l)))
    };
    let spent = sum(|l| l.spent);
    YearSummary {
        budgeted: sum(|l| l.budgeted),
        forecast: sum(|l| l.forecast),
        units: unit_costs(spent, r.sessions_held, r.households_taking_part, r.visits),
        spent,
        lines,
    }
}

// ---------------------------------------------------------------- own budgets

/// An outing's or a workshop's own budget within the activity line, with what was booked on
/// it and its sessions of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubRecord {
    pub budget: Cents,
    pub spent: Cents,
    /// Its sessions of the year that were held.
    pub held: u32,
    /// Its sessions of the year that are not cancelled (held ones included).
    pub planned: u32,
}

impl SubRecord {
    /// What is left of the own budget: negative once more was spent.
    pub fn remaining(&self) -> Cents {
        Cents(self.budget.0.saturating_sub(self.spent.0))
    }
}

/// One own budget on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubSummary {
    pub record: SubRecord,
    pub forecast: Cents,
    pub state: LineState,
}

/// An own budget with its forecast and warning, as a line gets them: the budget page's rows
/// and an outing's or workshop's own page read the same figures.
pub fn sub_summary(r: SubRecord) -> SubSummary {
    let forecast = sub_forecast(r.spent, r.held, r.planned);
    SubSummary {
        record: r,
        forecast,
        state: line_state(r.budget, r.spent, forecast),
    }
}

/// What an outing or a workshop will have cost once all its sessions of the year are held:
/// what was spent ÷ sessions held × sessions planned. Before the first session (tickets
/// bought in advance), and once all are held, what was spent is the forecast. An activity's
/// costs follow its sessions, not the calendar, so the year's straight line does not apply.
pub fn sub_forecast(spent: Cents, held: u32, planned: u32) -> Cents {
    if held == 0 || planned <= held {
        return spent;
    }
    Cents(div_round(
        spent.0.saturating_mul(i64::from(planned)),
        i64::from(held),
    ))
}

/// The activity line split into its own budgets and the rest ("other activities").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSplit {
    pub subs: Vec<SubSummary>,
    /// The own budgets together.
    pub sub_budgets: Cents,
    /// The line's budget that is not given to an own budget (never below zero).
    pub other_budget: Cents,
    /// What was booked on the line outside the own budgets.
    pub other_spent: Cents,
    /// The own budgets add up to more than the line.
    pub over_line: bool,
}

/// Split a line (its budget and what was spent on it, every entry counted once) into its
/// own budgets and the rest. Each own budget gets its forecast and warning as a line does.
pub fn split_line(line_budget: Cents, line_spent: Cents, subs: &[SubRecord]) -> LineSplit {
    let sub_budgets = subs
        .iter()
        .fold(Cents::ZERO, |a, s| a.saturating_add(s.budget));
    let sub_spent = subs
        .iter()
        .fold(Cents::ZERO, |a, s| a.saturating_add(s.spent));
    LineSplit {
        subs: subs.iter().map(|r| sub_summary(*r)).collect(),
        sub_budgets,
        other_budget: Cents(line_budget.0.saturating_sub(sub_budgets.0).max(0)),
        other_spent: Cents(line_spent.0.saturating_sub(sub_spent.0)),
        over_line: sub_budgets > line_budget,
    }
}

// ---------------------------------------------------------------- receipts

/// The receipt files we keep: what the file's first bytes say it is, not its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptKind {
    Pdf,
    Jpeg,
    Png,
}

/// A receipt may be 5 MB at most.
pub const MAX_RECEIPT_BYTES: usize = 5 * 1024 * 1024;

impl ReceiptKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ReceiptKind::Pdf => "application/pdf",
            ReceiptKind::Jpeg => "image/jpeg",
            ReceiptKind::Png => "image/png",
        }
    }

    pub fn from_content_type(raw: &str) -> Option<ReceiptKind> {
        [ReceiptKind::Pdf, ReceiptKind::Jpeg, ReceiptKind::Png]
            .into_iter()
            .find(|k| k.content_type() == raw)
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReceiptKind::Pdf => "pdf",
            ReceiptKind::Jpeg => "jpg",
            ReceiptKind::Png => "png",
        }
    }

    /// What the bytes are, by their magic number.
    pub fn sniff(bytes: &[u8]) -> Option<ReceiptKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(ReceiptKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ReceiptKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ReceiptKind::Png)
        } else {
            None
        }
    }

    /// A receipt as uploaded: its content must be a PDF, JPEG or PNG of at most 5 MB, and a
    /// name that says one of these must say what the content is ("bon.pdf" that is a PNG
    /// is refused: it is not what its name says).
    pub fn check(file_name: &str, bytes: &[u8]) -> Result<ReceiptKind, MoneyError> {
        if bytes.len() > MAX_RECEIPT_BYTES {
            return Err(MoneyError::ReceiptTooLarge);
        }
        let kind = Self::sniff(bytes).ok_or(MoneyError::ReceiptType)?;
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let named = match ext.as_str() {
            "pdf" => Some(ReceiptKind::Pdf),
            "jpg" | "jpeg" => Some(ReceiptKind::Jpeg),
            "png" => Some(ReceiptKind::Png),
            _ => None,
        };
        match named {
            Some(n) if n != kind => Err(MoneyError::ReceiptType),
            _ => Ok(kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn an_amount_is_typed_the_way_people_write_it() {
        assert_eq!(Cents::parse("12,50"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("12.50"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("€ 12,50"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("€12"), Ok(Cents(1200)));
        assert_eq!(Cents::parse("12,5"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("12,-"), Ok(Cents(1200)));
        assert_eq!(Cents::parse("1.234,50"), Ok(Cents(123_450)));
        assert_eq!(Cents::parse("1,234.50"), Ok(Cents(123_450)));
        assert_eq!(Cents::parse("1.850,00"), Ok(Cents(185_000)));
        assert_eq!(Cents::parse("12.345,67"), Ok(Cents(1_234_567)));
        assert_eq!(Cents::parse("999.999"), Err(MoneyError::AmountInvalid));
        assert_eq!(Cents::parse("1.000.000"), Ok(Cents(100_000_000)));
        assert_eq!(Cents::parse(",50"), Ok(Cents(50)));
        assert_eq!(Cents::parse("0"), Ok(Cents(0)));
    }

    #[test]
    fn garbage_and_floats_are_refused_not_guessed() {
        for bad in [
            "", "abc", "1e3", "12.5.0", "NaN", "inf", "12,505", "1.23.4", "1,234,5", "1.234.5",
            "12 50", "0x10", "1.2345", "1.850", "1,000",
        ] {
            assert_eq!(Cents::parse(bad), Err(MoneyError::AmountInvalid), "{bad}");
        }
        assert_eq!(Cents::parse("1000001"), Err(MoneyError::AmountTooHigh));
        assert_eq!(
            Cents::parse("99999999999999999999"),
            Err(MoneyError::AmountTooHigh)
        );
    }

    #[test]
    fn negative_only_as_a_reversal() {
        assert_eq!(Cents::parse("-12,50"), Err(MoneyError::AmountNegative));
        assert_eq!(Cents::parse("€ -5"), Err(MoneyError::AmountNegative));
        assert_eq!(Cents::parse_expense("0"), Err(MoneyError::AmountZero));
        let c = Cents::parse_expense("12,50").unwrap_or_default();
        assert_eq!(c.reversed(), Cents(-1250));
        assert_eq!(c.saturating_add(c.reversed()), Cents::ZERO);
    }

    #[test]
    fn amounts_read_as_euros() {
        assert_eq!(Cents(123_450).show(true), "€ 1.234,50");
        assert_eq!(Cents(123_450).show(false), "€1,234.50");
        assert_eq!(Cents(-1250).show(true), "−€ 12,50");
        assert_eq!(Cents(5).to_input(','), "0,05");
        assert_eq!(
            Cents::parse(&Cents(98_765).to_input(',')),
            Ok(Cents(98_765))
        );
    }

    #[test]
    fn the_template_is_the_handbooks_budget() {
        let t = template();
        let line = |l| t.iter().find(|b| b.line == l).copied().unwrap_or(t[0]);
        assert_eq!(line(BudgetLine::Activities).amount, Cents::euros(3_000));
        assert_eq!(line(BudgetLine::Organisation).amount, Cents::euros(1_850));
        assert_eq!(line(BudgetLine::Implementation).amount, Cents::euros(5_000));
        assert_eq!(line(BudgetLine::StaffHours).hours, 624);
        assert_eq!(line(BudgetLine::CoordinationHours).hours, 104);
        assert_eq!(line(BudgetLine::ThirdPartyHours).hours, 750);
        for l in BudgetLine::ALL {
            assert_eq!(BudgetLine::parse(l.as_str()), Some(l));
        }
    }

    #[test]
    fn hour_lines_cost_their_hours_at_the_rate() {
        let staff = LineBudget {
            line: BudgetLine::StaffHours,
            amount: Cents::ZERO,
            hours: 624,
            rate: Cents::euros(50),
        };
        assert_eq!(staff.total(), Cents::euros(31_200));
        assert_eq!(Cents::for_minutes(Cents::euros(50), 90), Cents::euros(75));
        assert_eq!(Cents::for_minutes(Cents(1000), 1), Cents(17));
    }

    #[test]
    fn the_coffee_hour_is_three_hours_of_staff_time() {
        // §3.6: one hour of preparation, one of execution, one of wrap-up.
        let week = [60, 60, 60, 0, 0, 0, 0, 0];
        assert_eq!(check_week(&week), Ok(180));
        for c in TimeCategory::ALL {
            assert_eq!(TimeCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(
            TimeCategory::Coordination.line(),
            BudgetLine::CoordinationHours
        );
        assert_eq!(TimeCategory::Encouragement.line(), BudgetLine::StaffHours);
    }

    #[test]
    fn a_week_of_more_than_sixty_hours_is_refused() {
        assert_eq!(check_week(&[60 * 60]), Ok(3600));
        assert_eq!(
            check_week(&[30 * 60, 30 * 60 + 15]),
            Err(MoneyError::WeekTooLong)
        );
        assert_eq!(check_week(&[-15]), Err(MoneyError::HoursInvalid));
    }

    #[test]
    fn hours_are_typed_as_hours_and_quarters() {
        assert_eq!(parse_hours(""), Ok(0));
        assert_eq!(parse_hours("2"), Ok(120));
        assert_eq!(parse_hours("1,5"), Ok(90));
        assert_eq!(parse_hours("1.25"), Ok(75));
        assert_eq!(parse_hours("0.75"), Ok(45));
        assert_eq!(parse_hours("1:30"), Ok(90));
        assert_eq!(parse_hours(",25"), Ok(15));
        for bad in ["-1", "abc", "1:75", "1,333", "1e2", "1:5", "99999999"] {
            assert_eq!(parse_hours(bad), Err(MoneyError::HoursInvalid), "{bad}");
        }
        assert_eq!(show_hours(90, ','), "1,5");
        assert_eq!(show_hours(75, '.'), "1.25");
        assert_eq!(show_hours(600, ','), "10");
        assert_eq!(parse_hours(&show_hours(45, ',')), Ok(45));
    }

    #[test]
    fn a_week_is_named_by_its_monday_and_counts_in_its_thursdays_year() {
        assert_eq!(monday_of(d(2026, 12, 6)), d(2026, 11, 30));
        assert!(is_monday(d(2026, 11, 30)));
        // 29 December 2025 is the Monday of week 1 of 2026.
        assert_eq!(year_of_week(d(2025, 12, 29)), 2026);
        assert_eq!(year_of_week(d(2026, 12, 28)), 2026);
    }

    #[test]
    fn an_expense_falls_in_its_budget_year() {
        assert_eq!(check_in_year(d(2026, 3, 1), 2026), Ok(()));
        assert_eq!(
            check_in_year(d(2025, 12, 31), 2026),
            Err(MoneyError::DateOutsideYear)
        );
    }

    #[test]
    fn the_forecast_is_a_straight_line_to_the_end_of_the_year() {
        // Half of 2026 gone (181 of 365 days) with €1,500 spent: about €3,025 at year end.
        let f = forecast(Cents::euros(1_500), 2026, d(2026, 6, 30));
        assert_eq!(f, Cents(302_486));
        assert_eq!(
            line_state(Cents::euros(3_000), Cents::euros(1_500), f),
            LineState::WillOverrun
        );
        assert_eq!(
            line_state(Cents::euros(3_500), Cents::euros(1_500), f),
            LineState::Fine
        );
        assert_eq!(
            line_state(Cents::euros(1_000), Cents::euros(1_500), f),
            LineState::Overrun
        );
        // No budget, no warning.
        assert_eq!(
            line_state(Cents::ZERO, Cents::euros(10), f),
            LineState::Fine
        );
        // Outside the year the spent amount is the outcome.
        assert_eq!(
            forecast(Cents::euros(10), 2026, d(2027, 2, 1)),
            Cents::euros(10)
        );
        assert_eq!(
            forecast(Cents::euros(10), 2026, d(2025, 2, 1)),
            Cents::euros(10)
        );
        assert_eq!(
            forecast(Cents::euros(1), 2026, d(2026, 1, 1)),
            Cents::euros(365)
        );
    }

    #[test]
    fn cost_per_session_household_and_visit() {
        let u = unit_costs(Cents::euros(3_000), 40, 12, 300);
        assert_eq!(u.per_session, Some(Cents::euros(75)));
        assert_eq!(u.per_household, Some(Cents::euros(250)));
        assert_eq!(u.per_visit, Some(Cents::euros(10)));
        let none = unit_costs(Cents::euros(3_000), 0, 0, 0);
        assert_eq!(none.per_session, None);
    }

    #[test]
    fn the_year_adds_the_ledger_and_the_hours_up() {
        let mut budget = template().to_vec();
        budget[3].rate = Cents::euros(50);
        let r = YearRecords {
            spent: vec![
                (BudgetLine::Activities, Cents::euros(2_000)),
                (BudgetLine::Activities, Cents::euros(100)),
                // A correction: the €100 reversed.
                (BudgetLine::Activities, Cents::euros(-100)),
                (BudgetLine::Organisation, Cents::euros(500)),
            ],
            minutes: vec![
                (BudgetLine::StaffHours, 300 * 60),
                (BudgetLine::ThirdPartyHours, 60),
            ],
            sessions_held: 40,
            households_taking_part: 10,
            visits: 200,
        };
        let s = summarise(&budget, &r, 2026, d(2026, 6, 30));
        let act = s.lines[0];
        assert_eq!(act.spent, Cents::euros(2_000));
        // €2,000 by the end of June is about €4,033 by December: more than €3,000.
        assert_eq!(act.state, LineState::WillOverrun);
        let staff = s.lines[3];
        assert_eq!(staff.minutes, 300 * 60);
        assert_eq!(staff.spent, Cents::euros(15_000));
        assert_eq!(staff.budgeted, Cents::euros(31_200));
        // Third parties without a rate cost nothing in money; their hours are kept.
        assert_eq!(s.lines[5].spent, Cents::ZERO);
        assert_eq!(s.lines[5].minutes, 60);
        assert_eq!(s.spent, Cents::euros(17_500));
        assert_eq!(s.units.per_session, Some(Cents(43_750)));
        assert_eq!(s.units.per_household, Some(Cents::euros(1_750)));
        assert_eq!(
            s.units.per_visit,
            Some(Cents::euros(87).saturating_add(Cents(50)))
        );
    }

    #[test]
    fn a_receipt_is_what_its_content_says_not_its_name() {
        let pdf = b"%PDF-1.7 rest";
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];
        let jpg = [0xFF, 0xD8, 0xFF, 0xE0];
        assert_eq!(ReceiptKind::check("bon.pdf", pdf), Ok(ReceiptKind::Pdf));
        assert_eq!(ReceiptKind::check("bon.PNG", &png), Ok(ReceiptKind::Png));
        assert_eq!(ReceiptKind::check("bon.jpeg", &jpg), Ok(ReceiptKind::Jpeg));
        assert_eq!(ReceiptKind::check("scan", &jpg), Ok(ReceiptKind::Jpeg));
        // A text file named .pdf, a PNG named .pdf, an executable.
        assert_eq!(
            ReceiptKind::check("bon.pdf", b"hello, I am text"),
            Err(MoneyError::ReceiptType)
        );
        assert_eq!(
            ReceiptKind::check("bon.pdf", &png),
            Err(MoneyError::ReceiptType)
        );
        assert_eq!(
            ReceiptKind::check("bon.pdf", b"MZ\x90\x00"),
            Err(MoneyError::ReceiptType)
        );
        let big = vec![b'%'; MAX_RECEIPT_BYTES + 1];
        assert_eq!(
            ReceiptKind::check("bon.pdf", &big),
            Err(MoneyError::ReceiptTooLarge)
        );
    }

    #[test]
    fn an_own_budget_is_forecast_per_session() {
        // Two of four workshop evenings held, €60 spent: €120 at the end.
        assert_eq!(sub_forecast(Cents::euros(60), 2, 4), Cents::euros(120));
        // Tickets bought before the outing's day: what was spent.
        assert_eq!(sub_forecast(Cents::euros(90), 0, 1), Cents::euros(90));
        assert_eq!(sub_forecast(Cents::euros(90), 1, 1), Cents::euros(90));
    }

    #[test]
    fn the_activity_line_splits_into_own_budgets_and_the_rest() {
        let outing = SubRecord {
            budget: Cents::euros(300),
            spent: Cents::euros(250),
            held: 1,
            planned: 1,
        };
        let workshop = SubRecord {
            budget: Cents::euros(200),
            spent: Cents::euros(150),
            held: 2,
            planned: 4,
        };
        let s = split_line(
            Cents::euros(3_000),
            Cents::euros(1_000),
            &[outing, workshop],
        );
        assert_eq!(s.sub_budgets, Cents::euros(500));
        assert_eq!(s.other_budget, Cents::euros(2_500));
        assert_eq!(s.other_spent, Cents::euros(600));
        assert!(!s.over_line);
        assert_eq!(s.subs[0].state, LineState::Fine);
        // €150 after two of four evenings: €300 against €200.
        assert_eq!(s.subs[1].forecast, Cents::euros(300));
        assert_eq!(s.subs[1].state, LineState::WillOverrun);
        let tight = split_line(Cents::euros(400), Cents::euros(400), &[outing, workshop]);
        assert!(tight.over_line);
        assert_eq!(tight.other_budget, Cents::ZERO);
    }

    #[test]
    fn what_remains_of_an_own_budget_goes_below_zero_when_overspent() {
        let beach = SubRecord {
            budget: Cents::euros(150),
            spent: Cents::from_cents(13_725),
            held: 1,
            planned: 1,
        };
        assert_eq!(beach.remaining(), Cents::from_cents(1_275));
        assert_eq!(sub_summary(beach).state, LineState::Fine);
        let over = SubRecord {
            spent: Cents::from_cents(15_725),
            ..beach
        };
        assert_eq!(over.remaining(), Cents::from_cents(-725));
        assert_eq!(sub_summary(over).state, LineState::Overrun);
    }
}

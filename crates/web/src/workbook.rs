//! The funder workbook: every indicator of one report as a real `.xlsx`, one sheet per part of
//! `docs/indicators.md` (the sheets and columns are described in its §11).
//!
//! Numbers are numbers, shares are fractions with a percent format and dates are dates, so a
//! funder can sort, sum and chart without retyping. A share of nothing is an empty cell, the
//! page's "–" (`§1.5`): a 0 % would claim something was measured.

use chrono::{Datelike, NaiveDate};
use mtp_domain::Language;
use mtp_domain::activity::ActivityKind;
use mtp_domain::attendance::AbsenceReason;
use mtp_domain::indicators::{Check, MILESTONES, ReasonCount, Share, Split};
use mtp_domain::report::{Column, Indicators, PeriodChoice};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::i18n::{Tr, WEEK};
use crate::import::rows::csv_safe;

/// Why no workbook could be made: only the writer itself can fail.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One cell's value, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A bold text: a header, or the heading of a part of a sheet.
    Bold(String),
    /// The cover's title: bold and larger.
    Title(String),
    Number(f64),
    /// A fraction 0–1 (or above: reach is not capped, `§1.5`), shown as a percentage.
    Percent(f64),
    Date(NaiveDate),
    /// The month a date falls in ("Jan 2026").
    Month(NaiveDate),
}

fn count(n: u32) -> Cell {
    Cell::Number(f64::from(n))
}

/// A share as a fraction, or an empty cell when nothing was measured (`§1.5`).
fn share(s: Share) -> Cell {
    if s.whole == 0 {
        Cell::Empty
    } else {
        Cell::Percent(f64::from(s.part) / f64::from(s.whole))
    }
}

fn opt_share(s: Option<Share>) -> Cell {
    s.map_or(Cell::Empty, share)
}

/// A sheet as rows of cells. The first row is the header: bold and frozen. Other modules add
/// their own sheets through [`funder_workbook_and`] (the referral figures).
pub struct Sheet {
    name: String,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub(crate) fn new(name: String, header: Vec<String>) -> Sheet {
        Sheet {
            name,
            rows: vec![header.into_iter().map(Cell::Bold).collect()],
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// A row with a label in the first column.
    pub(crate) fn labelled(&mut self, label: String, cells: impl IntoIterator<Item = Cell>) {
        let mut row = vec![Cell::Text(label)];
        row.extend(cells);
        self.rows.push(row);
    }

    fn heading(&mut self, text: String) {
        self.rows.push(vec![Cell::Bold(text)]);
    }

    /// A second table further down the sheet: an empty row, its title and its header.
    pub(crate) fn table(&mut self, title: String, header: Vec<String>) {
        self.rows.push(Vec::new());
        self.rows.push(vec![Cell::Bold(title)]);
        self.rows.push(header.into_iter().map(Cell::Bold).collect());
    }
}

struct Formats {
    bold: Format,
    title: Format,
    percent: Format,
    date: Format,
    month: Format,
}

impl Formats {
    fn new(t: &Tr) -> Formats {
        // Excel shows month names in the reader's own language; the order of day and month is
        // what the format fixes, so Dutch readers get the day first as they write it.
        let date = match t.lang.texts() {
            Language::Nl => "dd-mm-yyyy",
            _ => "d mmm yyyy",
        };
        Formats {
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format(date),
            month: Format::new().set_num_format("mmm yyyy"),
        }
    }
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

fn write(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        // Every text goes through the CSV guard: a neighbourhood name is typed by users, and a
        // funder may save the sheet as CSV, where "=…" would run.
        Cell::Text(s) => {
            ws.write_string(row, col, &*csv_safe(s))?;
        }
        Cell::Bold(s) => {
            ws.write_string_with_format(row, col, &*csv_safe(s), &f.bold)?;
        }
        Cell::Title(s) => {
            ws.write_string_with_format(row, col, &*csv_safe(s), &f.title)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Percent(n) => {
            ws.write_number_with_format(row, col, *n, &f.percent)?;
        }
        Cell::Date(d) | Cell::Month(d) => {
            let format = if matches!(cell, Cell::Month(_)) {
                &f.month
            } else {
                &f.date
            };
            match excel_date(*d) {
                Some(x) => {
                    ws.write_datetime_with_format(row, col, &x, format)?;
                }
                // Excel has no dates before 1900: the date as text rather than no workbook.
                None => {
                    ws.write_string(row, col, d.to_string())?;
                }
            }
        }
    }
    Ok(())
}

/// The width a cell needs, in characters.
fn width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) | Cell::Bold(s) => s.chars().count(),
        // The title may run over the empty cells beside it.
        Cell::Title(_) => 0,
        Cell::Number(_) | Cell::Percent(_) | Cell::Month(_) => 8,
        Cell::Date(_) => 11,
    }
}

fn add(book: &mut Workbook, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(&sheet.name)?;
    let mut widths: Vec<usize> = Vec::new();
    for (r, cells) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, cell) in cells.iter().enumerate() {
            write(ws, r, u16::try_from(c).unwrap_or(u16::MAX), cell, f)?;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width(cell));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Capped, so one long heading does not push the numbers off the screen.
        let w = u32::try_from((*w).clamp(8, 45) + 2).unwrap_or(47);
        ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), w)?;
    }
    if matches!(
        sheet.rows.first().and_then(|r| r.first()),
        Some(Cell::Bold(_))
    ) {
        ws.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// The funder workbook for the chosen period and columns (one per neighbourhood, or the
/// pooled one), made on `made_on`. Sheets in this order: cover, reach, dose, retention,
/// fidelity, barriers, encouragement, time-slot fit, turnout per week
/// (`docs/indicators.md §11`). No columns or no data gives every sheet with zeros and blanks.
pub fn funder_workbook(
    t: &Tr,
    choice: PeriodChoice,
    columns: &[Column],
    made_on: NaiveDate,
) -> Result<Vec<u8>, WorkbookError> {
    funder_workbook_and(t, choice, columns, made_on, &[])
}

/// [`funder_workbook`] with more sheets after its own.
pub fn funder_workbook_and(
    t: &Tr,
    choice: PeriodChoice,
    columns: &[Column],
    made_on: NaiveDate,
    more: &[Sheet],
) -> Result<Vec<u8>, WorkbookError> {
    let f = Formats::new(t);
    let mut book = Workbook::new();
    for sheet in [
        &cover(t, choice, columns, made_on),
        &reach(t, columns),
        &dose(t, columns),
        &retention(t, columns),
        &fidelity(t, columns),
        &barriers(t, columns),
        &encouragement(t, columns),
        &time_slot_fit(t, columns),
        &turnout(t, columns),
    ] {
        add(&mut book, sheet, &f)?;
    }
    for sheet in more {
        add(&mut book, sheet, &f)?;
    }
    Ok(book.save_to_buffer()?)
}

/// A workbook of the given sheets only (the year's hours and spend, `routes::money`).
pub fn workbook_of(t: &Tr, sheets: &[Sheet]) -> Result<Vec<u8>, WorkbookError> {
    let f = Formats::new(t);
    let mut book = Workbook::new();
    for sheet in sheets {
        add(&mut book, sheet, &f)?;
    }
    Ok(book.save_to_buffer()?)
}

fn cover(t: &Tr, choice: PeriodChoice, columns: &[Column], made_on: NaiveDate) -> Sheet {
    let period = choice.period();
    let before = choice.previous();
    let kind = match choice {
        PeriodChoice::Quarter { year, quarter } => t.get2(
            "workbook-period-quarter",
            ("quarter", quarter),
            ("year", year),
        ),
        PeriodChoice::Year(year) => t.get1("workbook-period-year", "year", year),
        PeriodChoice::Custom(_) => t.get("workbook-period-custom"),
    };
    let mut s = Sheet {
        name: t.get("workbook-sheet-cover"),
        rows: vec![vec![Cell::Title(t.get("workbook-title"))], Vec::new()],
    };
    s.labelled(t.get("workbook-period"), [Cell::Text(kind)]);
    s.labelled(t.get("workbook-from"), [Cell::Date(period.from())]);
    s.labelled(t.get("workbook-to"), [Cell::Date(period.to())]);
    s.labelled(
        t.get("workbook-compared-with"),
        [Cell::Date(before.from()), Cell::Date(before.to())],
    );
    for (i, c) in columns.iter().enumerate() {
        let label = if i == 0 {
            t.get("workbook-neighbourhoods")
        } else {
            String::new()
        };
        s.labelled(label, [Cell::Text(c.name.clone())]);
    }
    s.labelled(t.get("workbook-made-on"), [Cell::Date(made_on)]);
    s.labelled(
        t.get("workbook-reference-date"),
        [Cell::Date(period.reference(made_on))],
    );
    s.row(Vec::new());
    s.row(vec![Cell::Text(t.get("workbook-empty-cell"))]);
    s.row(vec![Cell::Text(t.get("workbook-definitions"))]);
    s
}

/// The header of a sheet with one column per report column.
fn side_by_side(t: &Tr, name: &str, first: &str, columns: &[Column]) -> Sheet {
    let mut header = vec![t.get(first)];
    header.extend(columns.iter().map(|c| c.name.clone()));
    Sheet::new(t.get(name), header)
}

/// One figure of a report.
type Of<T> = fn(&Indicators) -> T;
/// One of a report's reason lists.
type Reasons = fn(&Indicators) -> &[ReasonCount];
/// Single-parent, other or both.
type SplitPart = fn(Split) -> u32;

/// One value per column from a function of its indicators for the period.
fn per<'a>(columns: &'a [Column], f: impl Fn(&Indicators) -> Cell + 'a) -> Vec<Cell> {
    columns.iter().map(|c| f(&c.now)).collect()
}

fn reach(t: &Tr, columns: &[Column]) -> Sheet {
    let mut header = vec![t.get("workbook-indicator")];
    for c in columns {
        header.push(c.name.clone());
        header.push(t.get1("workbook-before", "name", &c.name));
    }
    let mut s = Sheet::new(t.get("workbook-sheet-reach"), header);
    // Each value now and in the period before, side by side per column.
    let both = |f: &dyn Fn(&Indicators) -> Cell| -> Vec<Cell> {
        columns
            .iter()
            .flat_map(|c| [f(&c.now), f(&c.before)])
            .collect()
    };
    let splits: [(&str, Of<Split>); 3] = [
        ("workbook-reached", |i| i.reach.reached),
        ("workbook-taking-part", |i| i.reach.taking_part),
        ("workbook-new", |i| i.reach.new),
    ];
    let parts: [(String, SplitPart); 3] = [
        (t.get("workbook-total"), Split::total),
        (t.get("workbook-single-parent"), |s| s.single_parent),
        (t.get("workbook-other-households"), |s| s.other),
    ];
    for (key, split) in splits {
        let what = t.get(key);
        for (part, pick) in &parts {
            s.labelled(
                t.get2("workbook-split", ("what", &what), ("part", part)),
                both(&|i| count(pick(split(i)))),
            );
        }
    }
    s.labelled(
        t.get("workbook-estimate"),
        both(&|i| match i.reach.reach.whole {
            0 => Cell::Empty,
            n => count(n),
        }),
    );
    s.labelled(
        t.get("workbook-estimate-source"),
        columns.iter().flat_map(|c| {
            let source = match c.estimate_source.as_str() {
                "" => Cell::Empty,
                text => Cell::Text(text.to_string()),
            };
            [source, Cell::Empty]
        }),
    );
    s.labelled(t.get("workbook-reach"), both(&|i| share(i.reach.reach)));
    s
}

fn dose(t: &Tr, columns: &[Column]) -> Sheet {
    let mut s = side_by_side(t, "workbook-sheet-dose", "workbook-indicator", columns);
    s.heading(t.get("workbook-dose-distribution"));
    let mut times: Vec<u32> = columns
        .iter()
        .flat_map(|c| c.now.dose.distribution.keys().copied())
        .collect();
    times.sort_unstable();
    times.dedup();
    for n in times {
        s.labelled(
            t.get1("workbook-dose-times", "count", n),
            per(columns, move |i| {
                count(i.dose.distribution.get(&n).copied().unwrap_or(0))
            }),
        );
    }
    s.labelled(
        t.get("workbook-dose-median"),
        per(columns, |i| i.dose.median.map_or(Cell::Empty, Cell::Number)),
    );
    s.heading(t.get("workbook-dose-per-kind"));
    for kind in ActivityKind::ALL {
        let of = move |i: &Indicators| {
            i.dose
                .per_kind
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, d)| *d)
                .unwrap_or_default()
        };
        let name = t.label(&kind);
        s.labelled(
            t.get1("workbook-kind-visits", "kind", &name),
            per(columns, move |i| count(of(i).visits)),
        );
        s.labelled(
            t.get1("workbook-kind-households", "kind", &name),
            per(columns, move |i| count(of(i).households)),
        );
    }
    s
}

fn retention(t: &Tr, columns: &[Column]) -> Sheet {
    let milestones = MILESTONES.map(|m| t.get1("workbook-still-active", "months", m));
    let mut header = vec![
        t.get("workbook-neighbourhood"),
        t.get("workbook-first-month"),
        t.get("workbook-households"),
    ];
    header.extend(milestones);
    let mut s = Sheet::new(t.get("workbook-sheet-retention"), header);
    for c in columns {
        let r = &c.now.retention;
        for cohort in &r.cohorts {
            let month = NaiveDate::from_ymd_opt(cohort.year, cohort.month, 1);
            let mut row = vec![
                Cell::Text(c.name.clone()),
                month.map_or(Cell::Empty, Cell::Month),
                count(cohort.households),
            ];
            row.extend(cohort.still_active.map(opt_share));
            s.row(row);
        }
        let mut pooled = vec![
            Cell::Text(c.name.clone()),
            Cell::Text(t.get("workbook-all-months")),
            Cell::Empty,
        ];
        pooled.extend(r.pooled.map(opt_share));
        s.row(pooled);
    }
    let now = t.get("workbook-drop-outs");
    let split = |part: String| t.get2("workbook-split", ("what", &now), ("part", &part));
    s.table(
        t.get("workbook-drop-outs-title"),
        vec![
            t.get("workbook-neighbourhood"),
            split(t.get("workbook-total")),
            split(t.get("workbook-single-parent")),
            split(t.get("workbook-other-households")),
            t.get("workbook-drop-outs-before"),
        ],
    );
    for c in columns {
        s.row(vec![
            Cell::Text(c.name.clone()),
            count(c.now.drop_outs.total()),
            count(c.now.drop_outs.single_parent),
            count(c.now.drop_outs.other),
            count(c.before.drop_outs.total()),
        ]);
    }
    s
}

fn fidelity(t: &Tr, columns: &[Column]) -> Sheet {
    let mut s = side_by_side(t, "workbook-sheet-fidelity", "workbook-indicator", columns);
    s.labelled(
        t.get("workbook-fidelity-score"),
        per(columns, |i| share(i.fidelity.score)),
    );
    for check in Check::ALL {
        s.labelled(
            t.get(check.key()),
            per(columns, move |i| {
                i.fidelity
                    .per_check
                    .iter()
                    .find(|(c, _)| *c == check)
                    .map_or(Cell::Empty, |(_, sh)| share(*sh))
            }),
        );
    }
    s.table(
        t.get("workbook-missed-title"),
        vec![
            t.get("workbook-neighbourhood"),
            t.get("workbook-date"),
            t.get("workbook-week"),
            t.get("workbook-failed-checks"),
        ],
    );
    for c in columns {
        for m in &c.now.fidelity.missed {
            let failed: Vec<String> = m.failed.iter().map(|k| t.get(k.key())).collect();
            s.row(vec![
                Cell::Text(c.name.clone()),
                Cell::Date(m.date),
                count(m.week.week()),
                Cell::Text(failed.join(", ")),
            ]);
        }
    }
    s
}

/// How often `reason` was given; 0 when it is not in the list (nobody gave it).
fn times_given(list: &[ReasonCount], reason: Option<AbsenceReason>) -> u32 {
    list.iter()
        .find(|r| r.reason == reason)
        .map_or(0, |r| r.count)
}

fn barriers(t: &Tr, columns: &[Column]) -> Sheet {
    let mut s = side_by_side(t, "workbook-sheet-barriers", "workbook-reason", columns);
    let reasons: Vec<Option<AbsenceReason>> = AbsenceReason::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .collect();
    let name = |r: Option<AbsenceReason>| match r {
        Some(r) => t.label(&r),
        None => t.get("workbook-reason-unknown"),
    };
    let parts: [(&str, Reasons); 2] = [
        ("workbook-absences", |i| &i.barriers.absences),
        ("workbook-cant-come", |i| &i.barriers.cant_come),
    ];
    for (key, list) in parts {
        s.heading(t.get(key));
        // Every reason, most given first over all columns (`§6`): the same rows in every
        // column, and the barrier to solve first on top.
        let mut order: Vec<(Option<AbsenceReason>, u32)> = reasons
            .iter()
            .map(|r| {
                let total = columns.iter().map(|c| times_given(list(&c.now), *r)).sum();
                (*r, total)
            })
            .collect();
        order.sort_by_key(|(_, total)| std::cmp::Reverse(*total));
        for (reason, _) in order {
            s.labelled(
                name(reason),
                per(columns, move |i| count(times_given(list(i), reason))),
            );
        }
    }
    s.row(Vec::new());
    s.labelled(
        t.get("workbook-childcare-requests"),
        per(columns, |i| count(i.barriers.childcare_requests)),
    );
    s
}

fn encouragement(t: &Tr, columns: &[Column]) -> Sheet {
    let mut s = side_by_side(
        t,
        "workbook-sheet-encouragement",
        "workbook-indicator",
        columns,
    );
    // Per group: the households, those of them that came, and the share.
    let groups: [(&str, Of<Share>); 2] = [
        ("workbook-encouraged", |i| i.encouragement.reached_came),
        ("workbook-not-reached", |i| i.encouragement.not_reached_came),
    ];
    for (key, of) in groups {
        s.labelled(t.get(key), per(columns, move |i| count(of(i).whole)));
        let came = format!("{key}-came");
        s.labelled(t.get(&came), per(columns, move |i| count(of(i).part)));
        s.labelled(
            t.get(format!("{came}-share")),
            per(columns, move |i| share(of(i))),
        );
    }
    s.labelled(
        t.get("workbook-not-judged"),
        per(columns, |i| count(i.encouragement.not_judged)),
    );
    s
}

fn time_slot_fit(t: &Tr, columns: &[Column]) -> Sheet {
    let mut header = vec![t.get("workbook-weekday")];
    for c in columns {
        header.push(t.get1("workbook-can-come", "name", &c.name));
        header.push(t.get1("workbook-activity-runs", "name", &c.name));
    }
    let mut s = Sheet::new(t.get("workbook-sheet-time-slot"), header);
    for day in WEEK {
        s.labelled(
            t.weekday(day).to_string(),
            columns.iter().flat_map(|c| {
                let fit = c.now.time_slot_fit.days.iter().find(|d| d.weekday == day);
                let runs = fit.is_some_and(|d| d.activity_runs);
                [
                    count(fit.map_or(0, |d| d.can_come)),
                    Cell::Text(t.get(if runs { "workbook-yes" } else { "workbook-no" })),
                ]
            }),
        );
    }
    s.row(Vec::new());
    let working = |f: fn(Share) -> Cell| -> Vec<Cell> {
        columns
            .iter()
            .flat_map(|c| [f(c.now.time_slot_fit.working_parent), Cell::Empty])
            .collect()
    };
    s.labelled(
        t.get("workbook-fit-taking-part"),
        working(|w| count(w.whole)),
    );
    s.labelled(t.get("workbook-working-parent"), working(share));
    s
}

fn turnout(t: &Tr, columns: &[Column]) -> Sheet {
    let mut s = Sheet::new(
        t.get("workbook-sheet-turnout"),
        vec![
            t.get("workbook-neighbourhood"),
            t.get("workbook-year"),
            t.get("workbook-week"),
            t.get("workbook-monday"),
            t.get("workbook-visits"),
        ],
    );
    for c in columns {
        for w in &c.now.weeks {
            s.row(vec![
                Cell::Text(c.name.clone()),
                Cell::Number(f64::from(w.week.year())),
                count(w.week.week()),
                Cell::Date(w.monday),
                count(w.visits),
            ]);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
    use mtp_domain::attendance::SessionState;
    use mtp_domain::effect::Effect;
    use mtp_domain::household::HouseholdKind;
    use mtp_domain::indicators::{CoffeeHourRecord, Household, ParentDays, Visit};
    use mtp_domain::report::{Inputs, compute};

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    const Q1: PeriodChoice = PeriodChoice::Quarter {
        year: 2026,
        quarter: 1,
    };
    const TODAY: (i32, u32, u32) = (2026, 12, 6);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    /// Excel's day number of a date: days since 30 December 1899.
    fn serial(date: NaiveDate) -> f64 {
        (date - d(1899, 12, 30)).num_days() as f64
    }

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

    /// The worked example of `docs/indicators.md §2` (estimate 20), with two coffee hours of
    /// which the second was cancelled.
    fn example() -> Inputs<&'static str> {
        let household = |id, kind| Household { id, kind };
        let visit = |household, date| Visit {
            household,
            date,
            kind: ActivityKind::CoffeeHourExclusive,
        };
        Inputs {
            households: vec![
                household("A", HouseholdKind::SingleParent),
                household("B", HouseholdKind::SingleParent),
                household("C", HouseholdKind::MultiParent),
                household("D", HouseholdKind::SingleParent),
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
            coffee_hours: vec![
                faithful(d(2026, 1, 8)),
                CoffeeHourRecord {
                    state: SessionState::Cancelled,
                    ..faithful(d(2026, 1, 21))
                },
            ],
            ..Inputs::default()
        }
    }

    fn column<K: Eq + std::hash::Hash + Clone>(name: &str, inputs: &Inputs<K>) -> Column {
        Column {
            name: name.to_string(),
            estimate_source: "CBS 2025".to_string(),
            now: compute(inputs, Q1.period(), today()),
            before: compute(inputs, Q1.previous(), today()),
        }
    }

    struct Book(Xlsx<Cursor<Vec<u8>>>);

    impl Book {
        fn open(lang: Language, columns: &[Column]) -> Book {
            let bytes = funder_workbook(&Tr::new(lang), Q1, columns, today());
            let bytes = bytes.unwrap_or_else(|e| panic!("no workbook: {e}"));
            let book = open_workbook_from_rs(Cursor::new(bytes));
            Book(book.unwrap_or_else(|e| panic!("calamine cannot read it: {e}")))
        }

        fn names(&self) -> Vec<String> {
            self.0.sheet_names()
        }

        fn sheet(&mut self, name: &str) -> Range<Data> {
            self.0
                .worksheet_range(name)
                .unwrap_or_else(|e| panic!("no sheet {name}: {e}"))
        }
    }

    fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
        range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }

    /// The row whose first cell is `label`.
    fn row_of(range: &Range<Data>, label: &str) -> u32 {
        (0..=range.end().map_or(0, |e| e.0))
            .find(|r| at(range, *r, 0) == Data::String(label.to_string()))
            .unwrap_or_else(|| panic!("no row {label}"))
    }

    fn date_at(range: &Range<Data>, row: u32, col: u32) -> f64 {
        match at(range, row, col) {
            Data::DateTime(x) => x.as_f64(),
            other => panic!("({row}, {col}) is no date: {other:?}"),
        }
    }

    const NL_SHEETS: [&str; 9] = [
        "Voorblad",
        "Bereik",
        "Hoe vaak gekomen",
        "Blijven komen",
        "Volgens het handboek",
        "Drempels",
        "Effect van aanmoedigen",
        "Past het tijdstip",
        "Opkomst per week",
    ];

    #[test]
    fn the_dutch_workbook_has_every_sheet_and_numbers_as_numbers() {
        let mut book = Book::open(Language::Nl, &[column("Noord", &example())]);
        assert_eq!(book.names(), NL_SHEETS);

        let reach = book.sheet("Bereik");
        assert_eq!(at(&reach, 0, 1), Data::String("Noord".into()));
        assert_eq!(
            at(&reach, 0, 2),
            Data::String("Noord, vorige periode".into())
        );
        let reached = row_of(&reach, "Bereikt: totaal");
        assert_eq!(at(&reach, reached, 1), Data::Float(3.0));
        // In the last quarter of 2025 only A came (10 December).
        assert_eq!(at(&reach, reached, 2), Data::Float(1.0));
        let single = row_of(&reach, "Doen mee (3 keer of vaker): eenoudergezinnen");
        assert_eq!(at(&reach, single, 1), Data::Float(1.0));
        let new = row_of(&reach, "Nieuw: totaal");
        assert_eq!(at(&reach, new, 1), Data::Float(2.0));
        let estimate = row_of(
            &reach,
            "Schatting van het aantal eenoudergezinnen in de wijk",
        );
        assert_eq!(at(&reach, estimate, 1), Data::Float(20.0));
        let source = row_of(&reach, "Bron van de schatting");
        assert_eq!(at(&reach, source, 1), Data::String("CBS 2025".into()));
        let pct = row_of(&reach, "Bereik: bereikte eenoudergezinnen ÷ schatting");
        assert_eq!(at(&reach, pct, 1), Data::Float(0.1));
        // Previous quarter: A (single) reached, 1 of 20.
        assert_eq!(at(&reach, pct, 2), Data::Float(0.05));

        let dose = book.sheet("Hoe vaak gekomen");
        assert_eq!(at(&dose, row_of(&dose, "1 bezoek"), 1), Data::Float(1.0));
        assert_eq!(at(&dose, row_of(&dose, "3 bezoeken"), 1), Data::Float(2.0));
        let median = row_of(&dose, "Mediaan aantal bezoeken per bereikt gezin");
        assert_eq!(at(&dose, median, 1), Data::Float(3.0));
        let coffee = row_of(&dose, "Koffie-uurtje voor eenoudergezinnen: bezoeken");
        assert_eq!(at(&dose, coffee, 1), Data::Float(7.0));
        let outing = row_of(&dose, "Uitje: gezinnen");
        assert_eq!(at(&dose, outing, 1), Data::Float(0.0));

        let turnout = book.sheet("Opkomst per week");
        // 1 January 2026 is a Thursday: the first row is ISO week 1, from 29 December 2025.
        assert_eq!(at(&turnout, 1, 0), Data::String("Noord".into()));
        assert_eq!(at(&turnout, 1, 1), Data::Float(2026.0));
        assert_eq!(at(&turnout, 1, 2), Data::Float(1.0));
        assert_eq!(date_at(&turnout, 1, 3), serial(d(2025, 12, 29)));
        assert_eq!(at(&turnout, 3, 4), Data::Float(2.0));
        assert_eq!(turnout.end().map(|e| e.0), Some(14));
    }

    #[test]
    fn the_cover_gives_the_period_as_real_dates() {
        let mut book = Book::open(Language::Nl, &[column("Noord", &example())]);
        let cover = book.sheet("Voorblad");
        assert_eq!(
            at(&cover, 0, 0),
            Data::String("Meet the Parents: rapportage voor de financier".into())
        );
        let from = row_of(&cover, "Van");
        assert_eq!(date_at(&cover, from, 1), serial(d(2026, 1, 1)));
        assert_eq!(date_at(&cover, from, 1), 46023.0);
        assert_eq!(
            date_at(&cover, row_of(&cover, "Tot en met"), 1),
            serial(d(2026, 3, 31))
        );
        let before = row_of(&cover, "Vergeleken met (vorige periode)");
        assert_eq!(date_at(&cover, before, 1), serial(d(2025, 10, 1)));
        assert_eq!(date_at(&cover, before, 2), serial(d(2025, 12, 31)));
        assert_eq!(
            at(&cover, row_of(&cover, "Wijken"), 1),
            Data::String("Noord".into())
        );
        assert_eq!(
            date_at(&cover, row_of(&cover, "Gemaakt op"), 1),
            serial(today())
        );
        let reference = row_of(&cover, "Peildatum (gegevens tot en met deze dag)");
        assert_eq!(date_at(&cover, reference, 1), serial(d(2026, 3, 31)));
        assert_eq!(
            at(&cover, row_of(&cover, "Periode"), 1),
            Data::String("Kwartaal 1 van 2026".into())
        );
    }

    #[test]
    fn a_missed_coffee_hour_is_listed_with_its_date_and_week() {
        let mut book = Book::open(Language::Nl, &[column("Noord", &example())]);
        let fidelity = book.sheet("Volgens het handboek");
        // 6 checks passed on 8 January (8 present: no second worker needed), and on
        // 21 January only "held" applied, and failed: 6 of 7.
        let score = row_of(&fidelity, "Score: punten in orde ÷ punten die golden");
        assert_eq!(at(&fidelity, score, 1), Data::Float(6.0 / 7.0));
        let held = row_of(&fidelity, "Koffie-uurtje gehouden");
        assert_eq!(at(&fidelity, held, 1), Data::Float(0.5));
        // Nobody had more than 10 present: the check never applied, so no figure.
        let second = row_of(&fidelity, "Tweede wijkwerker bij meer dan 10 ouders");
        assert_eq!(at(&fidelity, second, 1), Data::Empty);

        let title = row_of(&fidelity, "Weken waarin iets niet in orde was");
        let first = title + 2;
        assert_eq!(at(&fidelity, first, 0), Data::String("Noord".into()));
        assert_eq!(date_at(&fidelity, first, 1), serial(d(2026, 1, 21)));
        assert_eq!(at(&fidelity, first, 2), Data::Float(4.0));
        assert_eq!(
            at(&fidelity, first, 3),
            Data::String("Koffie-uurtje gehouden".into())
        );
        assert_eq!(at(&fidelity, first + 1, 0), Data::Empty);
    }

    #[test]
    fn retention_cohorts_are_months_as_dates() {
        let mut book = Book::open(Language::Nl, &[column("Noord", &example())]);
        let retention = book.sheet("Blijven komen");
        // A's first visit was in December 2025, B's and C's in January 2026.
        assert_eq!(date_at(&retention, 1, 1), serial(d(2025, 12, 1)));
        assert_eq!(at(&retention, 1, 2), Data::Float(1.0));
        assert_eq!(date_at(&retention, 2, 1), serial(d(2026, 1, 1)));
        assert_eq!(at(&retention, 2, 2), Data::Float(2.0));
        // On 31 March only December's cohort is 3 months past its month's end; A came on
        // 22 January, within 8 weeks of 10 March, so A is still active.
        assert_eq!(at(&retention, 1, 3), Data::Float(1.0));
        assert_eq!(at(&retention, 2, 3), Data::Empty);
        assert_eq!(
            at(&retention, 3, 1),
            Data::String("Alle maanden samen".into())
        );
        let drop_outs = row_of(
            &retention,
            "Gestopt (8 weken niet gekomen na minstens 3 bezoeken)",
        ) + 1;
        assert_eq!(
            at(&retention, drop_outs, 1),
            Data::String("Gestopt: totaal".into())
        );
        assert_eq!(at(&retention, drop_outs + 1, 1), Data::Float(2.0));
    }

    #[test]
    fn a_formula_in_a_neighbourhood_name_is_defused() {
        let name = "=HYPERLINK(\"https://example.org\",\"klik\")";
        let mut book = Book::open(
            Language::Nl,
            &[column("Noord", &example()), column(name, &example())],
        );
        let defused = Data::String(format!("'{name}"));
        let reach = book.sheet("Bereik");
        // Side by side: Noord, Noord before, the second name, its before.
        assert_eq!(at(&reach, 0, 3), defused);
        assert_eq!(
            at(&reach, row_of(&reach, "Bereikt: totaal"), 3),
            Data::Float(3.0)
        );
        let turnout = book.sheet("Opkomst per week");
        assert_eq!(at(&turnout, 15, 0), defused);
        let cover = book.sheet("Voorblad");
        assert_eq!(at(&cover, row_of(&cover, "Wijken") + 1, 1), defused);
        for sheet in NL_SHEETS {
            let range = book.sheet(sheet);
            for (r, c, cell) in range.used_cells() {
                if let Data::String(s) = cell {
                    assert!(!s.starts_with('='), "{sheet} ({r}, {c}) runs: {s}");
                }
            }
        }
    }

    #[test]
    fn an_empty_report_is_a_workbook_with_zeros_and_blanks() {
        let empty = Inputs::<u8>::default();
        let mut book = Book::open(Language::Nl, &[column("Zuid", &empty)]);
        assert_eq!(book.names(), NL_SHEETS);
        let reach = book.sheet("Bereik");
        assert_eq!(
            at(&reach, row_of(&reach, "Bereikt: totaal"), 1),
            Data::Float(0.0)
        );
        // An estimate of 0 gives no percentage: an empty cell, not 0 %.
        let pct = row_of(&reach, "Bereik: bereikte eenoudergezinnen ÷ schatting");
        assert_eq!(at(&reach, pct, 1), Data::Empty);
        let fidelity = book.sheet("Volgens het handboek");
        let score = row_of(&fidelity, "Score: punten in orde ÷ punten die golden");
        assert_eq!(at(&fidelity, score, 1), Data::Empty);
        let fit = book.sheet("Past het tijdstip");
        assert_eq!(at(&fit, 1, 0), Data::String("maandag".into()));
        assert_eq!(at(&fit, 1, 1), Data::Float(0.0));
        assert_eq!(at(&fit, 1, 2), Data::String("nee".into()));
        let barriers = book.sheet("Drempels");
        let childcare = row_of(&barriers, "Vragen om kinderopvang");
        assert_eq!(at(&barriers, childcare, 1), Data::Float(0.0));

        // No columns at all: still every sheet.
        let book = Book::open(Language::Nl, &[]);
        assert_eq!(book.names(), NL_SHEETS);
    }

    #[test]
    fn in_english_the_sheets_and_labels_are_english() {
        let mut book = Book::open(Language::En, &[column("North", &example())]);
        assert_eq!(
            book.names(),
            [
                "Cover",
                "Reach",
                "Dose",
                "Retention",
                "Fidelity",
                "Barriers",
                "Encouragement effect",
                "Time-slot fit",
                "Turnout per week",
            ]
        );
        let reach = book.sheet("Reach");
        assert_eq!(at(&reach, 0, 0), Data::String("Indicator".into()));
        assert_eq!(
            at(&reach, 0, 2),
            Data::String("North, previous period".into())
        );
        assert_eq!(
            at(&reach, row_of(&reach, "Reached: total"), 1),
            Data::Float(3.0)
        );
        let fidelity = book.sheet("Fidelity");
        assert_eq!(
            at(&fidelity, row_of(&fidelity, "Coffee hour held"), 1),
            Data::Float(0.5)
        );
        let cover = book.sheet("Cover");
        assert_eq!(
            at(&cover, row_of(&cover, "Period"), 1),
            Data::String("Quarter 1 of 2026".into())
        );
    }

    #[test]
    fn sheet_names_are_names_excel_accepts() {
        for lang in [Language::Nl, Language::En] {
            let t = Tr::new(lang);
            for key in [
                "workbook-sheet-cover",
                "workbook-sheet-reach",
                "workbook-sheet-dose",
                "workbook-sheet-retention",
                "workbook-sheet-fidelity",
                "workbook-sheet-barriers",
                "workbook-sheet-encouragement",
                "workbook-sheet-time-slot",
                "workbook-sheet-turnout",
            ] {
                let name = t.get(key);
                assert!(
                    !name.is_empty() && name.chars().count() <= 31,
                    "{key}: {name}"
                );
                assert!(
                    !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                    "{name}"
                );
                assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
            }
        }
    }

    #[test]
    fn barriers_put_the_most_given_reason_on_top() {
        let mut inputs = example();
        inputs.absences = vec![
            (d(2026, 1, 8), Some(AbsenceReason::Work)),
            (d(2026, 1, 15), Some(AbsenceReason::NoChildcare)),
            (d(2026, 1, 22), Some(AbsenceReason::NoChildcare)),
            (d(2026, 1, 22), None),
        ];
        let mut book = Book::open(Language::Nl, &[column("Noord", &inputs)]);
        let barriers = book.sheet("Drempels");
        let heading = row_of(&barriers, "Afgemeld of niet gekomen, per reden");
        assert_eq!(
            at(&barriers, heading + 1, 0),
            Data::String("Geen opvang voor de kinderen".into())
        );
        assert_eq!(at(&barriers, heading + 1, 1), Data::Float(2.0));
        assert_eq!(at(&barriers, heading + 2, 1), Data::Float(1.0));
        let unknown = row_of(&barriers, "Geen reden bekend");
        assert_eq!(at(&barriers, unknown, 1), Data::Float(1.0));
    }

    /// A part of the package as text, e.g. `xl/styles.xml`.
    fn part(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip =
            zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("not a zip: {e}"));
        let mut file = zip
            .by_name(name)
            .unwrap_or_else(|e| panic!("no {name}: {e}"));
        let mut text = String::new();
        file.read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is no text: {e}"));
        text
    }

    #[test]
    fn headers_are_bold_and_frozen_and_columns_have_widths() {
        let t = Tr::new(Language::Nl);
        let bytes = funder_workbook(&t, Q1, &[column("Noord", &example())], today());
        let bytes = bytes.unwrap_or_else(|e| panic!("no workbook: {e}"));
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
        assert!(styles.contains("formatCode=\"mmm yyyy\""), "{styles}");
        assert!(styles.contains("formatCode=\"dd-mm-yyyy\""), "{styles}");
        assert!(styles.contains("<b/>"), "{styles}");
        // Sheet 2 is the reach sheet: its header row is frozen and its columns are set.
        let reach = part(&bytes, "xl/worksheets/sheet2.xml");
        assert!(reach.contains("ySplit=\"1\""), "{reach}");
        assert!(
            reach.contains("<col ") && reach.contains("customWidth=\"1\""),
            "{reach}"
        );
        // The cover has no header row to freeze.
        let cover = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!cover.contains("ySplit"), "{cover}");
    }

    #[test]
    fn encouragement_gives_counts_and_shares_of_the_worked_example() {
        let effect = |reached, reached_came, not_reached, not_reached_came| {
            Some(Effect {
                reached,
                reached_came,
                not_reached,
                not_reached_came,
            })
        };
        // docs/indicators.md §7: 6 reached of whom 5 came, 3 not reached of whom 1 came.
        let inputs = Inputs::<u8> {
            effects: vec![
                (d(2026, 1, 7), effect(4, 3, 2, 0)),
                (d(2026, 1, 14), effect(2, 2, 1, 1)),
                (d(2026, 1, 21), None),
                // After the period: not counted.
                (d(2026, 4, 1), effect(9, 9, 0, 0)),
            ],
            ..Inputs::default()
        };
        let mut book = Book::open(Language::Nl, &[column("Noord", &inputs)]);
        let sheet = book.sheet("Effect van aanmoedigen");
        let value = |label: &str| at(&sheet, row_of(&sheet, label), 1);
        assert_eq!(value("Vooraf bereikt (gezinnen)"), Data::Float(6.0));
        assert_eq!(value("Vooraf bereikt en gekomen"), Data::Float(5.0));
        assert_eq!(
            value("Vooraf bereikt: deel dat kwam"),
            Data::Float(5.0 / 6.0)
        );
        assert_eq!(
            value("Geprobeerd maar niet bereikt (gezinnen)"),
            Data::Float(3.0)
        );
        assert_eq!(value("Niet bereikt en toch gekomen"), Data::Float(1.0));
        assert_eq!(
            value("Niet bereikt: deel dat toch kwam"),
            Data::Float(1.0 / 3.0)
        );
        assert_eq!(
            value("Bijeenkomsten zonder aanwezigheid (niet meegeteld)"),
            Data::Float(1.0)
        );
    }

    #[test]
    fn the_time_slot_fit_has_a_row_per_weekday() {
        let mut inputs = example();
        // A and C take part in the first quarter: A works and is free on Wednesdays, C does
        // not work. The coffee hour runs on Wednesday 14 January.
        inputs.parent_days.insert(
            "A",
            vec![ParentDays {
                works: true,
                free_days: vec![chrono::Weekday::Wed],
            }],
        );
        inputs.parent_days.insert(
            "C",
            vec![ParentDays {
                works: false,
                free_days: Vec::new(),
            }],
        );
        inputs.held_sessions = vec![d(2026, 1, 14)];
        let mut book = Book::open(Language::Nl, &[column("Noord", &inputs)]);
        let fit = book.sheet("Past het tijdstip");
        assert_eq!(at(&fit, 0, 1), Data::String("Noord: kunnen komen".into()));
        let monday = row_of(&fit, "maandag");
        assert_eq!(at(&fit, monday, 1), Data::Float(1.0));
        assert_eq!(at(&fit, monday, 2), Data::String("nee".into()));
        let wednesday = row_of(&fit, "woensdag");
        assert_eq!(at(&fit, wednesday, 1), Data::Float(2.0));
        assert_eq!(at(&fit, wednesday, 2), Data::String("ja".into()));
        let taking_part = row_of(&fit, "Gezinnen die meedoen");
        assert_eq!(at(&fit, taking_part, 1), Data::Float(2.0));
        let working = row_of(&fit, "Met een werkende ouder");
        assert_eq!(at(&fit, working, 1), Data::Float(0.5));
        assert_eq!(at(&fit, working, 2), Data::Empty);
    }
}

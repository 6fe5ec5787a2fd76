//! Time and money (issue #20, docs/guide/money.md): the budget and its dashboard (`/budget`),
//! the expense ledger with receipts (`/budget/expenses`), the third parties' hours per month,
//! the year as a workbook and as a printable page, and a worker's week of hours (`/time`).
//!
//! The sums are `mtp_domain::money::summarise`, over the rows `Store::money_year` gathers:
//! the page, the printable page and the workbook show the same numbers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Days, NaiveDate};
use mtp_domain::audit::Action;
use mtp_domain::money::{
    self, BudgetLine, COORDINATION_NORM_MINUTES, Cents, LineBudget, LineSplit, LineState,
    MAX_RECEIPT_BYTES, MoneyError, ReceiptKind, STAFF_NORM_MINUTES, SubRecord, SubSummary,
    TimeCategory, YearSummary,
};
use mtp_domain::schedule::TZ;
use mtp_domain::{Language, Role};
use mtp_store::money::{Expense, MoneyYear, NewExpense, TeamMember, WeekHours};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::chart::{ChartTable, LineChart, Series, Unit};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::{parse_id, pick_neighbourhood};
use crate::respond::redirect_with_flash;
use crate::workbook::{Cell, Sheet};

/// The receipt upload's body: the file and the form's few fields.
pub const UPLOAD_LIMIT: usize = MAX_RECEIPT_BYTES + 64 * 1024;
/// Free texts of an expense.
const MAX_TEXT: usize = 200;
const MAX_NOTE: usize = 1000;

fn nl(t: &Tr) -> bool {
    t.lang.texts() == Language::Nl
}

pub(crate) fn eur(t: &Tr, c: Cents) -> String {
    c.show(nl(t))
}

fn decimal(t: &Tr) -> char {
    if nl(t) { ',' } else { '.' }
}

fn hours(t: &Tr, minutes: i64) -> String {
    money::show_hours(minutes, decimal(t))
}

fn money_error(t: &Tr, e: MoneyError) -> String {
    t.get(e.key())
}

/// The neighbourhood and year a page is about: `?nb=&year=`, by default the user's first
/// neighbourhood and this year.
struct Which {
    neighbourhoods: Vec<mtp_store::Neighbourhood>,
    nb: Uuid,
    year: i32,
}

async fn which(state: &AppState, user: &User, f: &FormData) -> Result<Which, AppError> {
    let (neighbourhoods, nb) = pick_neighbourhood(state, user, f.get("nb")).await?;
    let year = match f.get("year").trim() {
        "" => crate::today().year(),
        raw => raw
            .parse::<i32>()
            .ok()
            .filter(|y| budget_years().contains(y))
            .ok_or(AppError::NotFound)?,
    };
    Ok(Which {
        neighbourhoods,
        nb,
        year,
    })
}

/// The years a budget page opens: from 2000 up to next year, the furthest a budget is made
/// ahead. A page that links to a budget checks it first.
pub(crate) fn budget_years() -> std::ops::RangeInclusive<i32> {
    2000..=crate::today().year() + 1
}

pub(crate) fn query(nb: Uuid, year: i32) -> String {
    format!("nb={nb}&year={year}")
}

/// The neighbourhood and year picker above a budget page (`budget_filter.html`) and the
/// hidden fields of its forms.
pub struct Frame {
    pub action: &'static str,
    pub neighbourhoods: Vec<(Uuid, String)>,
    pub nb: Uuid,
    pub year: i32,
    /// `nb=…&year=…`, for the links between the pages.
    pub q: String,
}

impl Which {
    fn frame(&self, action: &'static str) -> Frame {
        Frame {
            action,
            neighbourhoods: self
                .neighbourhoods
                .iter()
                .map(|n| (n.id, n.name.clone()))
                .collect(),
            nb: self.nb,
            year: self.year,
            q: query(self.nb, self.year),
        }
    }

    fn name(&self) -> String {
        self.neighbourhoods
            .iter()
            .find(|n| n.id == self.nb)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }
}

/// A page shown again with field messages is a 422.
fn respond(res: Response, invalid: bool) -> Response {
    if invalid { unprocessable(res) } else { res }
}

/// The year's records and their sums, as every view of the year reads them.
async fn year_of(
    state: &AppState,
    user: &User,
    w: &Which,
) -> Result<(MoneyYear, YearSummary), AppError> {
    let y = state.store.money_year(&user.tenant, w.nb, w.year).await?;
    let s = money::summarise(&y.budget.lines, &y.records, w.year, crate::today());
    Ok((y, s))
}

// ---------------------------------------------------------------- views

/// One line of the budget table.
pub struct LineView {
    pub line: &'static str,
    pub name: String,
    pub is_hours: bool,
    pub budgeted: String,
    pub spent: String,
    pub forecast: String,
    /// "1.234 uur van 624"; empty for the money lines.
    pub hours_text: String,
    /// The warning's text; empty when fine.
    pub warning: String,
    pub warning_class: &'static str,
    /// The edit form's values.
    pub amount_value: String,
    pub hours_value: String,
    pub rate_value: String,
}

fn line_views(t: &Tr, s: &YearSummary) -> Vec<LineView> {
    s.lines
        .iter()
        .map(|l| {
            let b = l.budget;
            let name = t.get(b.line.key());
            let (warning, warning_class) = match l.state {
                LineState::Fine => (String::new(), ""),
                LineState::WillOverrun => (
                    t.get2(
                        "money-will-overrun",
                        ("line", name.as_str()),
                        ("forecast", eur(t, l.forecast).as_str()),
                    ),
                    "tag--excused",
                ),
                LineState::Overrun => (
                    t.get1("money-overrun", "line", name.as_str()),
                    "tag--absent",
                ),
            };
            LineView {
                line: b.line.as_str(),
                is_hours: b.line.is_hours(),
                budgeted: eur(t, l.budgeted),
                spent: eur(t, l.spent),
                forecast: eur(t, l.forecast),
                hours_text: if b.line.is_hours() {
                    t.get2(
                        "money-hours-of",
                        ("done", hours(t, l.minutes).as_str()),
                        ("budget", b.hours.to_string().as_str()),
                    )
                } else {
                    String::new()
                },
                warning,
                warning_class,
                amount_value: b.amount.to_input(decimal(t)),
                hours_value: b.hours.to_string(),
                rate_value: b.rate.to_input(decimal(t)),
                name,
            }
        })
        .collect()
}

/// Cost per unit, as label and value.
fn unit_views(t: &Tr, s: &YearSummary, y: &MoneyYear) -> Vec<(String, String, String)> {
    let show = |c: Option<Cents>| c.map_or_else(|| "–".to_string(), |c| eur(t, c));
    vec![
        (
            t.get("money-cost-per-session"),
            show(s.units.per_session),
            t.get1("money-count-sessions", "n", y.records.sessions_held),
        ),
        (
            t.get("money-cost-per-household"),
            show(s.units.per_household),
            t.get1(
                "money-count-households",
                "n",
                y.records.households_taking_part,
            ),
        ),
        (
            t.get("money-cost-per-visit"),
            show(s.units.per_visit),
            t.get1("money-count-visits", "n", y.records.visits),
        ),
    ]
}

/// One own budget within the activity line, or the rest of the line ("other activities").
pub struct SubView {
    pub name: String,
    pub kind: String,
    pub budgeted: String,
    pub spent: String,
    pub forecast: String,
    pub warning_class: &'static str,
    pub watch: bool,
    /// The row of the rest of the line.
    pub other: bool,
}

/// The activity line split into the outings' and workshops' own budgets.
pub struct SubsView {
    pub rows: Vec<SubView>,
    pub warnings: Vec<String>,
    pub line_budget: String,
}

/// The activity line of the year and its own budgets, split.
fn split_of(s: &YearSummary, y: &MoneyYear) -> LineSplit {
    let (budgeted, spent) = s
        .lines
        .iter()
        .find(|l| l.budget.line == BudgetLine::Activities)
        .map_or((Cents::ZERO, Cents::ZERO), |l| (l.budgeted, l.spent));
    let records: Vec<SubRecord> = y.subs.iter().map(|b| b.record).collect();
    money::split_line(budgeted, spent, &records)
}

/// The warning of an own budget that is overspent or will be at this pace, with its tag's
/// class: the same words on the budget page and on the activity's own page.
pub(crate) fn sub_warning(t: &Tr, name: &str, sub: &SubSummary) -> Option<(String, &'static str)> {
    match sub.state {
        LineState::Fine => None,
        LineState::WillOverrun => Some((
            t.get2(
                "money-sub-will-overrun",
                ("name", name),
                ("forecast", eur(t, sub.forecast).as_str()),
            ),
            "tag--excused",
        )),
        LineState::Overrun => Some((
            t.get2(
                "money-sub-overrun",
                ("name", name),
                ("budget", eur(t, sub.record.budget).as_str()),
            ),
            "tag--absent",
        )),
    }
}

fn subs_view(t: &Tr, s: &YearSummary, y: &MoneyYear) -> SubsView {
    let split = split_of(s, y);
    let line_name = t.get(BudgetLine::Activities.key());
    let mut warnings = Vec::new();
    let mut rows: Vec<SubView> = y
        .subs
        .iter()
        .zip(&split.subs)
        .map(|(b, sub)| {
            let warning_class = match sub_warning(t, &b.name, sub) {
                Some((warning, class)) => {
                    warnings.push(warning);
                    class
                }
                None => "",
            };
            SubView {
                name: b.name.clone(),
                kind: t.label(&b.kind),
                budgeted: eur(t, sub.record.budget),
                spent: eur(t, sub.record.spent),
                forecast: eur(t, sub.forecast),
                warning_class,
                watch: sub.state != LineState::Fine,
                other: false,
            }
        })
        .collect();
    if split.over_line {
        warnings.push(t.get2(
            "money-subs-over-line",
            ("total", eur(t, split.sub_budgets).as_str()),
            ("line", line_name.as_str()),
        ));
    }
    if !rows.is_empty() {
        rows.push(SubView {
            name: t.get("money-subs-other"),
            kind: String::new(),
            budgeted: eur(t, split.other_budget),
            spent: eur(t, split.other_spent),
            forecast: String::new(),
            warning_class: "",
            watch: false,
            other: true,
        });
    }
    SubsView {
        rows,
        warnings,
        line_budget: s
            .lines
            .iter()
            .find(|l| l.budget.line == BudgetLine::Activities)
            .map(|l| eur(t, l.budgeted))
            .unwrap_or_default(),
    }
}

fn hours_chart(t: &Tr, y: &MoneyYear, upto: NaiveDate) -> LineChart {
    let weeks: Vec<_> = y.weeks.iter().filter(|w| w.monday <= upto).collect();
    let h = |m: i64| Some(m as f64 / 60.0);
    let dec = decimal(t);
    let desc = t.get2(
        "money-chart-desc",
        ("low", STAFF_NORM_MINUTES.0 / 60),
        ("high", STAFF_NORM_MINUTES.1 / 60),
    );
    LineChart {
        id: "hours".into(),
        title: t.get("money-chart-title"),
        desc,
        empty_text: t.get("money-chart-empty"),
        unit: Unit::Count,
        x_labels: weeks
            .iter()
            .map(|w| t.get1("money-week-n", "n", w.monday.iso_week().week()))
            .collect(),
        series: vec![
            Series::new(
                t.get("money-series-staff"),
                weeks.iter().map(|w| h(w.staff)).collect(),
            ),
            Series::new(
                t.get("money-series-norm"),
                weeks.iter().map(|_| h(STAFF_NORM_MINUTES.1)).collect(),
            ),
            Series::new(
                t.get("money-series-coordination"),
                weeks.iter().map(|w| h(w.coordination)).collect(),
            ),
            Series::new(
                t.get("money-series-coordination-norm"),
                weeks.iter().map(|_| h(COORDINATION_NORM_MINUTES)).collect(),
            ),
        ],
        y_format: Box::new(move |v| money::show_hours((v * 60.0).round() as i64, dec)),
    }
}

// ---------------------------------------------------------------- /budget

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    p: Page,
    w: Frame,
    from_template: bool,
    lines: Vec<LineView>,
    warnings: Vec<String>,
    total_budgeted: String,
    total_spent: String,
    total_forecast: String,
    units: Vec<(String, String, String)>,
    chart: String,
    chart_table: ChartTable,
    months: Vec<(u32, String, String)>,
    third_party_total: String,
    subs: SubsView,
    /// The outings and workshops that can get their own budget: id and name.
    sub_choices: Vec<(String, String)>,
    sub_form: (String, String),
}

async fn budget_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    w: &Which,
    errors: FormErrors,
    form: Option<&FormData>,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "money-budget-title");
    let t = p.t;
    let (y, s) = year_of(state, user, w).await?;
    let today = crate::today();
    let mut lines = line_views(&t, &s);
    let subs = subs_view(&t, &s, &y);
    let sub_choices = state
        .store
        .budget_activities(&user.tenant, w.nb)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let sub_form = form.map_or_else(Default::default, |f| {
        (
            f.get("activity").to_string(),
            f.get("activity_amount").to_string(),
        )
    });
    // A form shown again keeps what was typed.
    if let Some(f) = form {
        for l in &mut lines {
            l.amount_value = f.get(&format!("amount_{}", l.line)).to_string();
            l.hours_value = f.get(&format!("hours_{}", l.line)).to_string();
            l.rate_value = f.get(&format!("rate_{}", l.line)).to_string();
        }
    }
    let chart = hours_chart(&t, &y, today);
    let chart_table = chart.table(&t.get("money-week"), "–");
    let months = (1..=12u32)
        .map(|m| {
            let i = usize::try_from(m - 1).unwrap_or(0);
            let value = match form {
                Some(f) if f.has(&format!("month_{m}")) => f.get(&format!("month_{m}")).to_string(),
                _ => {
                    let v = y.third_party.get(i).copied().unwrap_or(0);
                    if v == 0 {
                        String::new()
                    } else {
                        money::show_hours(v, '.')
                    }
                }
            };
            (m, t.month(m), value)
        })
        .collect();
    let invalid = !errors.is_empty();
    let res = render_page(&BudgetPage {
        warnings: lines
            .iter()
            .filter(|l| !l.warning.is_empty())
            .map(|l| l.warning.clone())
            .chain(subs.warnings.iter().cloned())
            .collect(),
        total_budgeted: eur(&t, s.budgeted),
        total_spent: eur(&t, s.spent),
        total_forecast: eur(&t, s.forecast),
        units: unit_views(&t, &s, &y),
        chart: chart.render(),
        chart_table,
        months,
        third_party_total: hours(&t, y.third_party.iter().sum()),
        from_template: y.budget.from_template,
        lines,
        subs,
        sub_choices,
        sub_form,
        w: w.frame("/budget"),
        p: p.with_errors(errors),
    });
    Ok(respond(res, invalid))
}

/// `GET /budget`: the dashboard and the budget's lines.
pub async fn budget(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let f = FormData::parse(raw.unwrap_or_default().as_bytes());
    let w = which(&state, &user, &f).await?;
    budget_page(&state, &ctx, &user, &w, FormErrors::default(), None).await
}

/// `POST /budget`: save the year's lines.
pub async fn budget_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let w = which(&state, &user, &f).await?;
    let mut e = FormErrors::default();
    let mut lines = Vec::new();
    for b in money::template() {
        let key = b.line.as_str();
        let mut l = LineBudget { ..b };
        if b.line.is_hours() {
            let field = format!("hours_{key}");
            match f.get(&field).trim().parse::<i64>() {
                Ok(h) if (0..=100_000).contains(&h) => l.hours = h,
                _ => e.add(&field, t.get("money-error-hours-whole")),
            }
            let field = format!("rate_{key}");
            match Cents::parse(f.get(&field)) {
                Ok(c) => l.rate = c,
                Err(err) if f.get(&field).trim().is_empty() => {
                    let _ = err;
                    l.rate = Cents::ZERO;
                }
                Err(err) => e.add(&field, money_error(&t, err)),
            }
        } else {
            let field = format!("amount_{key}");
            match Cents::parse(f.get(&field)) {
                Ok(c) => l.amount = c,
                Err(err) => e.add(&field, money_error(&t, err)),
            }
        }
        lines.push(l);
    }
    if !e.is_empty() {
        return budget_page(&state, &ctx, &user, &w, e, Some(&f)).await;
    }
    let event = audit_event(&user, Action::BudgetSaved, Subject::neighbourhood(w.nb), "");
    state
        .store
        .set_budget(
            &user.tenant,
            Some(user.account.id),
            w.nb,
            w.year,
            &lines,
            event,
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/budget?{}", query(w.nb, w.year)),
        "flash-money-budget-saved",
        &w.year.to_string(),
    ))
}

/// `POST /budget/third-party`: the third parties' hours per month.
pub async fn third_party_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let w = which(&state, &user, &f).await?;
    let mut e = FormErrors::default();
    let mut values = Vec::new();
    for m in 1..=12u32 {
        let field = format!("month_{m}");
        match money::parse_hours(f.get(&field)) {
            Ok(v) if v <= money::MAX_MONTH_MINUTES => values.push((m, v)),
            Ok(_) => e.add(&field, t.get("money-error-month-too-many")),
            Err(err) => e.add(&field, money_error(&t, err)),
        }
    }
    if !e.is_empty() {
        return budget_page(&state, &ctx, &user, &w, e, Some(&f)).await;
    }
    let current = state
        .store
        .third_party_hours(&user.tenant, w.nb, w.year)
        .await?;
    for (m, v) in values {
        let i = usize::try_from(m - 1).unwrap_or(0);
        if current.get(i).copied().unwrap_or(0) == v {
            continue;
        }
        let event = audit_event(
            &user,
            Action::ThirdPartyHoursSaved,
            Subject::neighbourhood(w.nb),
            "",
        );
        state
            .store
            .set_third_party_hours(
                &user.tenant,
                Some(user.account.id),
                w.nb,
                w.year,
                m,
                v,
                event,
            )
            .await?;
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/budget?{}#derden", query(w.nb, w.year)),
        "flash-money-third-party-saved",
        &w.year.to_string(),
    ))
}

/// `POST /budget/activities`: an outing's or a workshop's own budget within the activity
/// line; an empty amount or zero takes it away.
pub async fn activity_budget_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let w = which(&state, &user, &f).await?;
    let mut e = FormErrors::default();
    let activity = Uuid::parse_str(f.get("activity").trim()).ok();
    if activity.is_none() {
        e.add("activity", t.get("money-error-sub-activity"));
    }
    let raw = f.get("activity_amount");
    let amount = if raw.trim().is_empty() {
        Some(Cents::ZERO)
    } else {
        match Cents::parse(raw) {
            Ok(c) => Some(c),
            Err(err) => {
                e.add("activity_amount", money_error(&t, err));
                None
            }
        }
    };
    let (Some(activity), Some(amount), true) = (activity, amount, e.is_empty()) else {
        return budget_page(&state, &ctx, &user, &w, e, Some(&f)).await;
    };
    let event = audit_event(
        &user,
        Action::ActivityBudgetSaved,
        Subject::in_neighbourhood("activity", activity, w.nb),
        "",
    );
    match state
        .store
        .set_activity_budget(
            &user.tenant,
            Some(user.account.id),
            w.nb,
            w.year,
            activity,
            amount,
            event,
        )
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/budget?{}#eigen-budget", query(w.nb, w.year)),
            "flash-money-sub-saved",
            &w.year.to_string(),
        )),
        // Not an outing or workshop of this neighbourhood: a wrong choice on this form.
        Err(mtp_store::StoreError::NotFound) => {
            e.add("activity", t.get("money-error-sub-activity"));
            budget_page(&state, &ctx, &user, &w, e, Some(&f)).await
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- /budget/print

#[derive(Template)]
#[template(path = "budget_print.html")]
struct PrintPage {
    p: Page,
    heading: String,
    year: i32,
    made_on: String,
    lines: Vec<LineView>,
    subs: SubsView,
    total_budgeted: String,
    total_spent: String,
    total_forecast: String,
    units: Vec<(String, String, String)>,
    chart_table: ChartTable,
}

/// `GET /budget/print`: the year on one page for the municipality.
pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let f = FormData::parse(raw.unwrap_or_default().as_bytes());
    let w = which(&state, &user, &f).await?;
    let p = Page::new(&ctx, "money-print-title");
    let t = p.t;
    let (y, s) = year_of(&state, &user, &w).await?;
    let today = crate::today();
    let chart = hours_chart(&t, &y, today);
    let nb_name = w.name();
    Ok(render_page(&PrintPage {
        subs: subs_view(&t, &s, &y),
        heading: t.get2(
            "money-print-heading",
            ("name", nb_name.as_str()),
            ("year", w.year.to_string().as_str()),
        ),
        year: w.year,
        made_on: t.day(today),
        lines: line_views(&t, &s),
        total_budgeted: eur(&t, s.budgeted),
        total_spent: eur(&t, s.spent),
        total_forecast: eur(&t, s.forecast),
        units: unit_views(&t, &s, &y),
        chart_table: chart.table(&t.get("money-week"), "–"),
        p,
    }))
}

// ---------------------------------------------------------------- /budget/export.xlsx

fn euros(c: Cents) -> Cell {
    Cell::Number(c.cents() as f64 / 100.0)
}

fn hours_cell(minutes: i64) -> Cell {
    Cell::Number(minutes as f64 / 60.0)
}

/// The year as a workbook: a summary, then a sheet per budget line.
pub fn year_workbook(
    t: &Tr,
    nb_name: &str,
    y: &MoneyYear,
    s: &YearSummary,
) -> Result<Vec<u8>, crate::workbook::WorkbookError> {
    let mut sheets = Vec::new();
    let mut summary = Sheet::new(
        t.get("money-sheet-summary"),
        vec![
            t.get("money-col-line"),
            t.get("money-col-budget"),
            t.get("money-col-spent"),
            t.get("money-col-forecast"),
            t.get("money-col-hours-budget"),
            t.get("money-col-hours-done"),
        ],
    );
    for l in &s.lines {
        let is_hours = l.budget.line.is_hours();
        summary.labelled(
            t.get(l.budget.line.key()),
            [
                euros(l.budgeted),
                euros(l.spent),
                euros(l.forecast),
                if is_hours {
                    Cell::Number(l.budget.hours as f64)
                } else {
                    Cell::Empty
                },
                if is_hours {
                    hours_cell(l.minutes)
                } else {
                    Cell::Empty
                },
            ],
        );
    }
    summary.labelled(
        t.get("money-total"),
        [euros(s.budgeted), euros(s.spent), euros(s.forecast)],
    );
    let split = split_of(s, y);
    if !split.subs.is_empty() {
        summary.table(
            t.get("money-subs-heading"),
            vec![
                t.get("money-col-activity"),
                t.get("money-col-budget"),
                t.get("money-col-spent"),
                t.get("money-col-forecast"),
            ],
        );
        for (b, sub) in y.subs.iter().zip(&split.subs) {
            summary.labelled(
                b.name.clone(),
                [
                    euros(sub.record.budget),
                    euros(sub.record.spent),
                    euros(sub.forecast),
                ],
            );
        }
        summary.labelled(
            t.get("money-subs-other"),
            [euros(split.other_budget), euros(split.other_spent)],
        );
    }
    summary.table(
        t.get2(
            "money-sheet-about",
            ("name", nb_name),
            ("year", y.budget.year),
        ),
        vec![t.get("money-col-what"), t.get("money-col-value")],
    );
    let unit = |c: Option<Cents>| c.map_or(Cell::Empty, euros);
    summary.labelled(t.get("money-cost-per-session"), [unit(s.units.per_session)]);
    summary.labelled(
        t.get("money-cost-per-household"),
        [unit(s.units.per_household)],
    );
    summary.labelled(t.get("money-cost-per-visit"), [unit(s.units.per_visit)]);
    summary.labelled(
        t.get("money-sessions-held"),
        [Cell::Number(y.records.sessions_held as f64)],
    );
    summary.labelled(
        t.get("money-households-taking-part"),
        [Cell::Number(y.records.households_taking_part as f64)],
    );
    summary.labelled(
        t.get("money-visits"),
        [Cell::Number(y.records.visits as f64)],
    );
    sheets.push(summary);

    for line in BudgetLine::ALL {
        let name = t.get(line.key());
        let rate = y
            .budget
            .lines
            .iter()
            .find(|b| b.line == line)
            .map(|b| b.rate)
            .unwrap_or(Cents::ZERO);
        let sheet = match line {
            BudgetLine::StaffHours | BudgetLine::CoordinationHours => {
                let mut sh = Sheet::new(
                    name,
                    vec![
                        t.get("money-week"),
                        t.get("money-col-hours-done"),
                        t.get("money-col-spent"),
                    ],
                );
                for w in &y.weeks {
                    let m = if line == BudgetLine::StaffHours {
                        w.staff
                    } else {
                        w.coordination
                    };
                    sh.row(vec![
                        Cell::Date(w.monday),
                        hours_cell(m),
                        euros(Cents::for_minutes(rate, m)),
                    ]);
                }
                sh
            }
            BudgetLine::ThirdPartyHours => {
                let mut sh = Sheet::new(
                    name,
                    vec![
                        t.get("money-month"),
                        t.get("money-col-hours-done"),
                        t.get("money-col-spent"),
                    ],
                );
                for (i, m) in y.third_party.iter().enumerate() {
                    let month = u32::try_from(i + 1).unwrap_or(1);
                    if let Some(d) = NaiveDate::from_ymd_opt(y.budget.year, month, 1) {
                        sh.row(vec![
                            Cell::Month(d),
                            hours_cell(*m),
                            euros(Cents::for_minutes(rate, *m)),
                        ]);
                    }
                }
                sh
            }
            _ => {
                let mut sh = Sheet::new(
                    name,
                    vec![
                        t.get("money-col-date"),
                        t.get("money-col-amount"),
                        t.get("money-col-supplier"),
                        t.get("money-col-activity"),
                        t.get("money-col-note"),
                    ],
                );
                for e in y.expenses.iter().filter(|e| e.line == line) {
                    let note = if e.reverses.is_some() {
                        t.get("money-reversal")
                    } else {
                        e.note.clone()
                    };
                    sh.row(vec![
                        Cell::Date(e.spent_on),
                        euros(e.amount),
                        Cell::Text(e.supplier.clone()),
                        Cell::Text(e.activity_name.clone().unwrap_or_default()),
                        Cell::Text(note),
                    ]);
                }
                sh
            }
        };
        sheets.push(sheet);
    }
    crate::workbook::workbook_of(t, &sheets)
}

/// `GET /budget/export.xlsx`: the year's hours and spend as a workbook.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let f = FormData::parse(raw.unwrap_or_default().as_bytes());
    let w = which(&state, &user, &f).await?;
    let (y, s) = year_of(&state, &user, &w).await?;
    let name = w.name();
    let bytes = year_workbook(&t, &name, &y, &s).map_err(|_| AppError::Internal)?;
    audit(
        &state,
        &user,
        Action::MoneyExported,
        Subject::neighbourhood(w.nb),
        &format!("year={}", w.year),
    )
    .await;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"begroting-{}.xlsx\"", w.year),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- /budget/expenses

pub struct ExpenseView {
    pub id: Uuid,
    pub date: String,
    pub line: String,
    pub amount: String,
    pub negative: bool,
    pub activity: String,
    /// The session's day ("bijeenkomst van 12 maart"); empty without a session.
    pub session: String,
    pub supplier: String,
    pub note: String,
    pub receipt: Option<Uuid>,
    /// "Teruggedraaid" / "Correctie"; empty for a standing entry.
    pub status: String,
    pub may_reverse: bool,
}

fn expense_view(t: &Tr, e: &Expense) -> ExpenseView {
    let status = if e.reverses.is_some() {
        t.get("money-reversal")
    } else if e.reversed_by.is_some() {
        t.get("money-reversed")
    } else {
        String::new()
    };
    ExpenseView {
        id: e.id,
        date: t.day(e.spent_on),
        line: t.get(e.line.key()),
        amount: eur(t, e.amount),
        negative: e.amount.cents() < 0,
        activity: e.activity_name.clone().unwrap_or_default(),
        session: e.session_starts.map_or_else(String::new, |at| {
            t.get1(
                "money-session-of",
                "date",
                t.day(at.with_timezone(&TZ).date_naive()),
            )
        }),
        supplier: e.supplier.clone(),
        note: e.note.clone(),
        receipt: e.receipt_id,
        may_reverse: e.reverses.is_none() && e.reversed_by.is_none(),
        status,
    }
}

/// The add form as typed.
#[derive(Default)]
pub struct ExpenseForm {
    pub spent_on: String,
    pub line: String,
    pub amount: String,
    pub activity: String,
    pub session: String,
    pub supplier: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "budget_expenses.html")]
struct ExpensesPage {
    p: Page,
    w: Frame,
    rows: Vec<ExpenseView>,
    total: String,
    lines: Vec<(String, String)>,
    activities: Vec<(String, String)>,
    /// The year's sessions per activity (activity name; session id and day), for the form's
    /// grouped choice.
    sessions: Vec<(String, Vec<(String, String)>)>,
    f: ExpenseForm,
}

async fn expenses_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    w: &Which,
    errors: FormErrors,
    f: ExpenseForm,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "money-expenses-title");
    let t = p.t;
    let list = state.store.expenses(&user.tenant, w.nb, w.year).await?;
    let total = list
        .iter()
        .fold(Cents::ZERO, |a, e| a.saturating_add(e.amount));
    let named = state.store.money_activities(&user.tenant, w.nb).await?;
    let mut by_activity: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
    for s in state
        .store
        .money_sessions(&user.tenant, w.nb, w.year)
        .await?
    {
        let local = s.starts_at.with_timezone(&TZ);
        by_activity.entry(s.activity_id).or_default().push((
            s.id.to_string(),
            format!("{} {}", t.day(local.date_naive()), local.format("%H:%M")),
        ));
    }
    let sessions = named
        .iter()
        .filter_map(|(id, name)| by_activity.remove(id).map(|list| (name.clone(), list)))
        .collect();
    let activities = named
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let invalid = !errors.is_empty();
    let res = render_page(&ExpensesPage {
        sessions,
        rows: list.iter().map(|e| expense_view(&t, e)).collect(),
        total: eur(&t, total),
        lines: BudgetLine::SPENDING
            .iter()
            .map(|l| (l.as_str().to_string(), t.get(l.key())))
            .collect(),
        activities,
        w: w.frame("/budget/expenses"),
        f,
        p: p.with_errors(errors),
    });
    Ok(respond(res, invalid))
}

/// `GET /budget/expenses`: the year's ledger and the form to book an expense.
pub async fn expenses(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let f = FormData::parse(raw.unwrap_or_default().as_bytes());
    let w = which(&state, &user, &f).await?;
    expenses_page(
        &state,
        &ctx,
        &user,
        &w,
        FormErrors::default(),
        ExpenseForm::default(),
    )
    .await
}

/// Only a body past the limit is "too large"; a broken one is unreadable.
fn upload_error(err: &axum::extract::multipart::MultipartError) -> MoneyError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        MoneyError::ReceiptTooLarge
    } else {
        MoneyError::ReceiptType
    }
}

/// `POST /budget/expenses` (multipart): book an expense, with an optional receipt.
pub async fn expense_add(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(bytes) if name == "receipt" => {
                        if !bytes.is_empty() {
                            file = Some((file_name, bytes.to_vec()));
                        }
                    }
                    Ok(bytes) if bytes.len() <= 4 * MAX_NOTE => {
                        fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
                    }
                    Ok(_) => e.add(&name, t.get("error-too-long")),
                    Err(err) => {
                        e.add("receipt", money_error(&t, upload_error(&err)));
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(err) => {
                e.add("receipt", money_error(&t, upload_error(&err)));
                break;
            }
        }
    }
    let body = {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &fields {
            body.append_pair(k, v);
        }
        body.finish()
    };
    let f = FormData::parse(body.as_bytes());
    let w = which(&state, &user, &f).await?;
    let typed = ExpenseForm {
        spent_on: f.get("spent_on").trim().to_string(),
        line: f.get("line").to_string(),
        amount: f.get("amount").trim().to_string(),
        activity: f.get("activity").to_string(),
        session: f.get("session").to_string(),
        supplier: f.get("supplier").trim().to_string(),
        note: f.get("note").trim().to_string(),
    };
    let spent_on = match NaiveDate::parse_from_str(&typed.spent_on, "%Y-%m-%d") {
        Ok(d) => match money::check_in_year(d, w.year) {
            Ok(()) => Some(d),
            Err(err) => {
                e.add(
                    "spent_on",
                    t.get1(err.key(), "year", w.year.to_string().as_str()),
                );
                None
            }
        },
        Err(_) => {
            e.add("spent_on", t.get("money-error-date"));
            None
        }
    };
    let line = BudgetLine::parse(&typed.line).filter(|l| !l.is_hours());
    if line.is_none() {
        e.add("line", t.get("money-error-line"));
    }
    let amount = match Cents::parse_expense(&typed.amount) {
        Ok(c) => Some(c),
        Err(err) => {
            e.add("amount", money_error(&t, err));
            None
        }
    };
    let activity_id = match typed.activity.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                e.add("activity", t.get("money-error-activity"));
                None
            }
        },
    };
    let session_id = match typed.session.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                e.add("session", t.get("money-error-session"));
                None
            }
        },
    };
    if typed.supplier.chars().count() > MAX_TEXT {
        e.add("supplier", t.get("error-too-long"));
    }
    if typed.note.chars().count() > MAX_NOTE {
        e.add("note", t.get("error-too-long"));
    }
    let receipt = match file {
        Some((name, bytes)) if e.get("receipt").is_none() => {
            match ReceiptKind::check(&name, &bytes) {
                Ok(kind) => Some((kind, bytes)),
                Err(err) => {
                    e.add("receipt", money_error(&t, err));
                    None
                }
            }
        }
        _ => None,
    };
    let (Some(spent_on), Some(line), Some(amount), true) = (spent_on, line, amount, e.is_empty())
    else {
        return expenses_page(&state, &ctx, &user, &w, e, typed).await;
    };
    let event = audit_event(
        &user,
        Action::ExpenseAdded,
        Subject::in_neighbourhood("expense", Uuid::nil(), w.nb),
        "",
    );
    let res = state
        .store
        .add_expense(
            &user.tenant,
            Some(user.account.id),
            NewExpense {
                neighbourhood_id: w.nb,
                spent_on,
                line,
                amount,
                activity_id,
                session_id,
                supplier: typed.supplier.clone(),
                note: typed.note.clone(),
                receipt,
            },
            event,
        )
        .await;
    match res {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/budget/expenses?{}", query(w.nb, w.year)),
            "flash-money-expense-added",
            &eur(&t, amount),
        )),
        // A session of another activity or neighbourhood is a wrong choice on this form, as
        // is an activity of another neighbourhood.
        Err(mtp_store::StoreError::Refused("money-error-session"))
        | Err(mtp_store::StoreError::NotFound)
            if session_id.is_some() =>
        {
            e.add("session", t.get("money-error-session"));
            expenses_page(&state, &ctx, &user, &w, e, typed).await
        }
        Err(mtp_store::StoreError::NotFound) if activity_id.is_some() => {
            e.add("activity", t.get("money-error-activity"));
            expenses_page(&state, &ctx, &user, &w, e, typed).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /budget/expenses/{id}/reverse`: the correction of an entry.
pub async fn expense_reverse(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let id = parse_id(&id)?;
    let w = which(&state, &user, &f).await?;
    let event = audit_event(
        &user,
        Action::ExpenseReversed,
        Subject::in_neighbourhood("expense", id, w.nb),
        "",
    );
    match state
        .store
        .reverse_expense(&user.tenant, Some(user.account.id), id, event)
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/budget/expenses?{}", query(w.nb, w.year)),
            "flash-money-expense-reversed",
            "",
        )),
        Err(mtp_store::StoreError::Refused(key)) => {
            let mut e = FormErrors::default();
            e.add("ledger", t.get(key));
            expenses_page(&state, &ctx, &user, &w, e, ExpenseForm::default()).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `GET /budget/receipts/{id}`: a receipt, to whoever reaches its neighbourhood. The id is
/// random (v4), never listed outside the ledger; the file is sent as a download.
pub async fn receipt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (kind, bytes, nb) = state.store.receipt(&user.tenant, id).await?;
    audit(
        &state,
        &user,
        Action::ReceiptViewed,
        Subject::in_neighbourhood("receipt", id, nb),
        "",
    )
    .await;
    Ok((
        [
            (header::CONTENT_TYPE, kind.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bon.{}\"", kind.extension()),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- /time

pub struct CategoryRow {
    pub name: String,
    pub field: String,
    pub label: String,
    pub value: String,
    pub hint: String,
}

pub struct RotaView {
    pub when: String,
    pub activity: String,
    pub minutes: String,
}

#[derive(Template)]
#[template(path = "time.html")]
struct TimePage {
    p: Page,
    worker: Uuid,
    worker_name: String,
    team: Vec<(String, String)>,
    neighbourhoods: Vec<(Uuid, String)>,
    nb: Uuid,
    week: String,
    week_text: String,
    prev: String,
    next: String,
    rows: Vec<CategoryRow>,
    rota: Vec<RotaView>,
    proposal_text: String,
    total: String,
    norm: String,
}

fn field_of(c: TimeCategory) -> String {
    format!("c_{}", c.as_str())
}

/// The worker, neighbourhood and week a `/time` request is about: `worker` (default: the
/// user), `nb` (default: the worker's first in reach) and `week` (any day; default today).
async fn time_which(
    state: &AppState,
    user: &User,
    f: &FormData,
) -> Result<
    (
        Vec<TeamMember>,
        TeamMember,
        Vec<mtp_store::Neighbourhood>,
        Uuid,
        NaiveDate,
    ),
    AppError,
> {
    let team = state.store.team(&user.tenant, user.account.id).await?;
    let worker_id = match f.get("worker").trim() {
        "" => user.account.id,
        raw => Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?,
    };
    let worker = team
        .iter()
        .find(|m| m.id == worker_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let reach = state.store.neighbourhoods(&user.tenant).await?;
    // The worker's neighbourhoods within the viewer's reach (an administrator without any
    // gets the organisation's).
    let mut nbs: Vec<mtp_store::Neighbourhood> = reach
        .iter()
        .filter(|n| worker.neighbourhoods.contains(&n.id))
        .cloned()
        .collect();
    if nbs.is_empty() {
        nbs = reach;
    }
    let nb = match f.get("nb").trim() {
        "" => nbs.first().map(|n| n.id).ok_or(AppError::NotFound)?,
        raw => Uuid::parse_str(raw)
            .ok()
            .filter(|id| nbs.iter().any(|n| n.id == *id))
            .ok_or(AppError::NotFound)?,
    };
    let week = match f.get("week").trim() {
        "" => crate::today(),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| AppError::NotFound)?,
    };
    Ok((team, worker, nbs, nb, money::monday_of(week)))
}

fn time_query(worker: Uuid, nb: Uuid, week: NaiveDate) -> String {
    format!("worker={worker}&nb={nb}&week={week}")
}

#[allow(clippy::too_many_arguments)]
fn time_page(
    ctx: &Ctx,
    user: &User,
    team: &[TeamMember],
    worker: &TeamMember,
    nbs: &[mtp_store::Neighbourhood],
    wh: &WeekHours,
    errors: FormErrors,
    typed: Option<&FormData>,
) -> Response {
    let p = Page::new(ctx, "money-time-title");
    let t = p.t;
    let monday = wh.monday;
    let sunday = monday.checked_add_days(Days::new(6)).unwrap_or(monday);
    let rows = wh
        .minutes
        .iter()
        .map(|(c, m)| {
            let field = field_of(*c);
            CategoryRow {
                name: c.as_str().to_string(),
                label: t.get(c.key()),
                hint: t.get(format!("{}-hint", c.key())),
                value: match typed {
                    Some(f) => f.get(&field).to_string(),
                    None if *m == 0 => String::new(),
                    None => money::show_hours(*m, '.'),
                },
                field,
            }
        })
        .collect();
    let proposal = wh.proposal();
    let invalid = !errors.is_empty();
    let res = render_page(&TimePage {
        worker: worker.id,
        worker_name: worker.name.clone(),
        team: if user.role() == Role::Worker {
            Vec::new()
        } else {
            team.iter()
                .map(|m| (m.id.to_string(), m.name.clone()))
                .collect()
        },
        neighbourhoods: nbs.iter().map(|n| (n.id, n.name.clone())).collect(),
        nb: wh.neighbourhood_id,
        week: monday.to_string(),
        week_text: t.get2(
            "money-week-of",
            ("n", monday.iso_week().week()),
            (
                "days",
                format!("{} – {}", t.day(monday), t.day(sunday)).as_str(),
            ),
        ),
        prev: time_query(
            worker.id,
            wh.neighbourhood_id,
            monday.checked_sub_days(Days::new(7)).unwrap_or(monday),
        ),
        next: time_query(
            worker.id,
            wh.neighbourhood_id,
            monday.checked_add_days(Days::new(7)).unwrap_or(monday),
        ),
        rows,
        rota: wh
            .rota
            .iter()
            .map(|s| RotaView {
                when: t.datetime(s.starts_at),
                activity: s.activity_name.clone(),
                minutes: t.get2(
                    "money-rota-minutes",
                    (
                        "total",
                        hours(&t, s.preparation + s.execution + s.wrap_up).as_str(),
                    ),
                    (
                        "parts",
                        format!(
                            "{} + {} + {}",
                            hours(&t, s.preparation),
                            hours(&t, s.execution),
                            hours(&t, s.wrap_up)
                        )
                        .as_str(),
                    ),
                ),
            })
            .collect(),
        proposal_text: proposal
            .iter()
            .map(|(c, m)| format!("{} {}", t.get(c.key()), hours(&t, *m)))
            .collect::<Vec<_>>()
            .join(", "),
        total: t.get2(
            "money-week-total",
            ("total", hours(&t, wh.total()).as_str()),
            ("elsewhere", hours(&t, wh.elsewhere).as_str()),
        ),
        norm: t.get2(
            "money-week-norm",
            ("low", STAFF_NORM_MINUTES.0 / 60),
            ("high", STAFF_NORM_MINUTES.1 / 60),
        ),
        p: p.with_errors(errors),
    });
    if invalid { unprocessable(res) } else { res }
}

/// `GET /time`: a worker's week.
pub async fn time(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let f = FormData::parse(raw.unwrap_or_default().as_bytes());
    let (team, worker, nbs, nb, monday) = time_which(&state, &user, &f).await?;
    let wh = state
        .store
        .week_hours(&user.tenant, user.account.id, worker.id, nb, monday)
        .await?;
    Ok(time_page(
        &ctx,
        &user,
        &team,
        &worker,
        &nbs,
        &wh,
        FormErrors::default(),
        None,
    ))
}

/// `POST /time`: save the week; with `accept` the rota's proposal replaces preparation,
/// execution and wrap-up.
pub async fn time_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (team, worker, nbs, nb, monday) = time_which(&state, &user, &f).await?;
    let wh = state
        .store
        .week_hours(&user.tenant, user.account.id, worker.id, nb, monday)
        .await?;
    let accept = f.has("accept");
    let proposal = wh.proposal();
    let mut e = FormErrors::default();
    let mut minutes = Vec::new();
    for c in TimeCategory::ALL {
        let field = field_of(c);
        let from_rota = proposal.iter().find(|(p, _)| *p == c).map(|(_, m)| *m);
        let value = match (accept, from_rota) {
            (true, Some(m)) => Ok(m),
            _ => money::parse_hours(f.get(&field)),
        };
        match value {
            Ok(m) => minutes.push((c, m)),
            Err(err) => e.add(&field, money_error(&t, err)),
        }
    }
    if e.is_empty() {
        let mut all: Vec<i64> = minutes.iter().map(|(_, m)| *m).collect();
        all.push(wh.elsewhere);
        if let Err(err) = money::check_week(&all) {
            e.add(
                &field_of(TimeCategory::Preparation),
                t.get1(err.key(), "total", hours(&t, all.iter().sum()).as_str()),
            );
        }
    }
    if !e.is_empty() {
        return Ok(time_page(
            &ctx,
            &user,
            &team,
            &worker,
            &nbs,
            &wh,
            e,
            Some(&f),
        ));
    }
    let event = audit_event(
        &user,
        Action::TimeSaved,
        Subject::in_neighbourhood("account", worker.id, nb),
        "",
    );
    match state
        .store
        .set_week_hours(
            &user.tenant,
            user.account.id,
            worker.id,
            nb,
            monday,
            &minutes,
            event,
        )
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/time?{}", time_query(worker.id, nb, monday)),
            "flash-money-time-saved",
            &worker.name,
        )),
        Err(mtp_store::StoreError::Refused(key)) => {
            // Refused by the store: hours saved meanwhile (another neighbourhood, another
            // phone) made the week too long; the total the page knew is not the total now.
            let key = if key == MoneyError::WeekTooLong.key() {
                "money-error-week-too-long-meanwhile"
            } else {
                key
            };
            e.add(&field_of(TimeCategory::Preparation), t.get(key));
            Ok(time_page(
                &ctx,
                &user,
                &team,
                &worker,
                &nbs,
                &wh,
                e,
                Some(&f),
            ))
        }
        Err(err) => Err(err.into()),
    }
}

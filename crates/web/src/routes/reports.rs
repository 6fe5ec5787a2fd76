//! What the weeks add up to (issue #15): `/reports` shows every indicator of
//! `docs/indicators.md` for a period and one or more neighbourhoods, side by side, with a
//! chart and the table of its numbers; `/reports/export.xlsx` is the same report as a
//! workbook for the funder.
//!
//! The counting is `mtp_domain::report::compute`; this module only chooses what to show and
//! words it. Researchers see the same aggregates with small counts hidden
//! (`docs/indicators.md §10`).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use mtp_domain::Role;
use mtp_domain::audit::Action;
use mtp_domain::indicators::{Check, Share};
use mtp_domain::report::{self, Column, Indicators, Inputs, PeriodChoice, PeriodForm};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit};
use crate::chart::{BarChart, BarGroup, BarValue, LineChart, Series, Unit};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};

/// The report form as typed, kept to show it again.
#[derive(Debug, Default, Clone)]
pub struct ReportQuery {
    pub period: String,
    pub year: String,
    pub quarter: String,
    pub from: String,
    pub to: String,
    pub nb: Vec<String>,
}

impl ReportQuery {
    fn parse(raw: Option<&str>) -> ReportQuery {
        let f = FormData::parse(raw.unwrap_or("").as_bytes());
        ReportQuery {
            period: f.get("period").to_string(),
            year: f.get("year").to_string(),
            quarter: f.get("quarter").to_string(),
            from: f.get("from").to_string(),
            to: f.get("to").to_string(),
            nb: f.all("nb").iter().map(|s| s.to_string()).collect(),
        }
    }

    fn form(&self) -> PeriodForm<'_> {
        PeriodForm {
            kind: &self.period,
            year: &self.year,
            quarter: &self.quarter,
            from: &self.from,
            to: &self.to,
        }
    }

    /// The same report's query string, for the workbook link.
    fn query_string(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("period", &self.period),
            ("year", &self.year),
            ("quarter", &self.quarter),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        for nb in &self.nb {
            s.append_pair("nb", nb);
        }
        s.finish()
    }
}

/// A neighbourhood to tick on the form.
pub struct NbOption {
    pub id: Uuid,
    pub name: String,
    pub checked: bool,
}

/// One row of a table: a label and one cell per column.
pub struct Row {
    pub label: String,
    pub cells: Vec<String>,
}

/// A table under a chart or on its own (docs/ui.md, tables).
pub struct Table {
    pub id: String,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Row>,
}

/// One number that matters, with its change against the period before.
pub struct Headline {
    pub label: String,
    pub value: String,
    pub change: String,
}

/// A week that missed a fidelity check, linked to its session where the reader may open it.
pub struct Missed {
    pub column: String,
    pub date: String,
    pub week: u32,
    pub failed: String,
    pub href: Option<String>,
}

/// One indicator's part of the page.
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub finding: String,
    pub headlines: Vec<Headline>,
    /// An inline SVG chart (server-rendered, already escaped) and its caption.
    pub figure: Option<(String, String)>,
    pub tables: Vec<Table>,
    pub missed: Vec<Missed>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    p: Page,
    q: ReportQuery,
    kind: &'static str,
    quarters: Vec<(String, String)>,
    neighbourhoods: Vec<NbOption>,
    period_text: String,
    as_of_text: String,
    sections: Vec<Section>,
    /// The workbook link; none for researchers, whose counts the workbook would not hide.
    export_href: Option<String>,
}

/// The report the request asks for: the period, the columns, or the form's errors.
struct Asked {
    choice: PeriodChoice,
    columns: Vec<Column>,
    /// The coffee-hour session of each neighbourhood's dates, to link the weeks that missed.
    sessions: Vec<std::collections::HashMap<NaiveDate, Uuid>>,
}

async fn gather(
    state: &AppState,
    user: &crate::ctx::User,
    t: Tr,
    q: &ReportQuery,
    options: &[NbOption],
    e: &mut FormErrors,
) -> Result<Option<Asked>, AppError> {
    let today = crate::today();
    let choice = match report::parse_period(q.form(), today) {
        Ok(c) => Some(c),
        Err(errors) => {
            for (field, err) in errors {
                // The year and quarter selects share one message place per field.
                e.add(field, t.get(err.key()));
            }
            None
        }
    };
    let mut chosen: Vec<Uuid> = Vec::new();
    for raw in &q.nb {
        match Uuid::parse_str(raw.trim())
            .ok()
            .filter(|id| options.iter().any(|o| o.id == *id))
        {
            Some(id) if !chosen.contains(&id) => chosen.push(id),
            Some(_) => {}
            None => e.add("nb", t.get("error-choice-invalid")),
        }
    }
    if chosen.is_empty() {
        chosen = options.iter().map(|o| o.id).collect();
    }
    let Some(choice) = choice.filter(|_| e.is_empty()) else {
        return Ok(None);
    };
    let period = choice.period();
    let before = choice.previous();
    let until = period.reference(today);
    let mut parts = Vec::new();
    let mut columns = Vec::new();
    let mut sessions = Vec::new();
    for id in chosen {
        let rows = state
            .store
            .report_inputs(&user.tenant, id, until, today)
            .await?;
        columns.push(Column {
            name: rows.neighbourhood.name.clone(),
            estimate_source: rows
                .neighbourhood
                .target_group
                .as_ref()
                .map(|g| g.source.clone())
                .unwrap_or_default(),
            now: report::compute(&rows.inputs, period, today),
            before: report::compute(&rows.inputs, before, today),
        });
        sessions.push(rows.coffee_sessions);
        parts.push(rows.inputs);
    }
    if parts.len() > 1 {
        let all: Inputs<Uuid> = Inputs::pool(parts);
        columns.push(Column {
            name: t.get("report-all-chosen"),
            estimate_source: String::new(),
            now: report::compute(&all, period, today),
            before: report::compute(&all, before, today),
        });
    }
    Ok(Some(Asked {
        choice,
        columns,
        sessions,
    }))
}

async fn neighbourhood_options(
    state: &AppState,
    user: &crate::ctx::User,
    q: &ReportQuery,
) -> Result<Vec<NbOption>, AppError> {
    Ok(state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| NbOption {
            checked: q.nb.iter().any(|raw| raw.trim() == n.id.to_string()),
            id: n.id,
            name: n.name,
        })
        .collect())
}

/// What the audit trail keeps of a report: the filter, never a household.
fn audit_detail(q: &ReportQuery, asked: Option<&Asked>) -> String {
    match asked {
        Some(a) => {
            let p = a.choice.period();
            format!(
                "period={}..{} neighbourhoods={}",
                p.from(),
                p.to(),
                a.sessions.len()
            )
        }
        None => format!(
            "invalid period={}",
            q.period.chars().take(10).collect::<String>()
        ),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "report-title");
    let t = p.t;
    let q = ReportQuery::parse(raw.as_deref());
    let neighbourhoods = neighbourhood_options(&state, &user, &q).await?;
    let mut e = FormErrors::default();
    let asked = gather(&state, &user, t, &q, &neighbourhoods, &mut e).await?;
    audit(
        &state,
        &user,
        Action::ReportViewed,
        Subject::none("report"),
        &audit_detail(&q, asked.as_ref()),
    )
    .await;
    let researcher = user.role() == Role::Researcher;
    let (kind, period_text, as_of_text, sections) = match &asked {
        Some(a) => {
            let period = a.choice.period();
            let as_of = a
                .columns
                .first()
                .map(|c| c.now.as_of)
                .unwrap_or(period.to());
            (
                a.choice.kind(),
                t.get2(
                    "report-period",
                    ("from", t.day(period.from()).as_str()),
                    ("to", t.day(period.to()).as_str()),
                ),
                t.get1("report-as-of", "date", t.day(as_of).as_str()),
                sections(t, a, researcher),
            )
        }
        None => (
            match q.period.as_str() {
                "year" => "year",
                "custom" => "custom",
                _ => "quarter",
            },
            String::new(),
            String::new(),
            Vec::new(),
        ),
    };
    let invalid = !e.is_empty();
    let res = render_page(&ReportsPage {
        p: p.with_errors(e),
        kind,
        quarters: (1..=4)
            .map(|n| (n.to_string(), t.get1("report-quarter-n", "n", n)))
            .collect(),
        export_href: (!researcher).then(|| format!("/reports/export.xlsx?{}", q.query_string())),
        neighbourhoods,
        period_text,
        as_of_text,
        sections,
        q,
    });
    Ok(if invalid { unprocessable(res) } else { res })
}

/// The funder workbook of the same report (`docs/indicators.md §11`).
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let q = ReportQuery::parse(raw.as_deref());
    let neighbourhoods = neighbourhood_options(&state, &user, &q).await?;
    let mut e = FormErrors::default();
    let Some(asked) = gather(&state, &user, t, &q, &neighbourhoods, &mut e).await? else {
        // The form is where the messages are shown: send the user back to it.
        return Ok(
            axum::response::Redirect::to(&format!("/reports?{}", q.query_string())).into_response(),
        );
    };
    let bytes = crate::workbook::funder_workbook(&t, asked.choice, &asked.columns, crate::today())
        .map_err(|_| AppError::Internal)?;
    audit(
        &state,
        &user,
        Action::ReportExported,
        Subject::none("report"),
        &audit_detail(&q, Some(&asked)),
    )
    .await;
    let period = asked.choice.period();
    let name = format!("rapportage-{}-{}.xlsx", period.from(), period.to());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// How a count is shown: in full for staff, "< 5" from 1 to 4 for researchers
/// (`docs/indicators.md §10`).
#[derive(Clone, Copy)]
struct Show {
    t: Tr,
    researcher: bool,
}

impl Show {
    fn n(self, n: u32) -> String {
        if self.researcher && (1..5).contains(&n) {
            "< 5".to_string()
        } else {
            self.t.number(n)
        }
    }

    fn share(self, s: Share) -> String {
        if self.researcher && (1..5).contains(&s.whole) {
            return "< 5".to_string();
        }
        self.t.percent(s.percent())
    }

    fn opt_share(self, s: Option<Share>) -> String {
        s.map(|s| self.share(s)).unwrap_or_else(|| "–".to_string())
    }

    /// A count as a bar: no bar for a hidden small count, only its "< 5".
    fn bar(self, n: u32) -> BarValue {
        if self.researcher && (1..5).contains(&n) {
            BarValue::new(None, "< 5")
        } else {
            BarValue::new(Some(f64::from(n)), self.t.number(n))
        }
    }

    fn share_bar(self, s: Option<Share>) -> BarValue {
        match s {
            Some(s) if !(self.researcher && (1..5).contains(&s.whole)) => {
                BarValue::new(s.percent(), self.share(s))
            }
            _ => BarValue::new(None, self.opt_share(s)),
        }
    }

    /// "+4" / "−2" / "gelijk" against the period before.
    fn change(self, now: u32, before: u32) -> String {
        let t = self.t;
        if self.researcher && ((1..5).contains(&now) || (1..5).contains(&before)) {
            return String::new();
        }
        let d = i64::from(now) - i64::from(before);
        match d {
            0 => t.get("report-change-same"),
            d if d > 0 => t.get1("report-change-up", "n", d),
            d => t.get1("report-change-down", "n", -d),
        }
    }

    /// The change of a percentage, in percentage points with one decimal.
    fn change_share(self, now: Share, before: Share) -> String {
        let t = self.t;
        match (now.percent(), before.percent()) {
            (Some(a), Some(b)) => {
                let d = a - b;
                if d.abs() < 0.05 {
                    t.get("report-change-same")
                } else if d > 0.0 {
                    t.get1("report-change-points-up", "n", t.decimal(d).as_str())
                } else {
                    t.get1("report-change-points-down", "n", t.decimal(-d).as_str())
                }
            }
            _ => String::new(),
        }
    }
}

/// A bar chart of the main column (docs/ui.md §2.11) and its caption, for a section's figure.
fn bar_figure(
    t: Tr,
    main: &Column,
    id: &str,
    title: String,
    desc: String,
    unit: Unit,
    bars: Vec<(String, BarValue)>,
) -> Option<(String, String)> {
    let chart = BarChart {
        id: format!("{id}-grafiek"),
        title,
        desc,
        empty_text: t.get("report-chart-empty"),
        unit,
        series: Vec::new(),
        groups: bars
            .into_iter()
            .map(|(label, v)| BarGroup::new(label, vec![v]))
            .collect(),
        highlight: None,
    };
    Some((chart.render(), caption(t, main)))
}

fn caption(t: Tr, main: &Column) -> String {
    t.get1("report-chart-caption", "name", main.name.as_str())
}

fn head(t: Tr, first: &str, columns: &[Column]) -> Vec<String> {
    std::iter::once(t.get(first))
        .chain(columns.iter().map(|c| c.name.clone()))
        .collect()
}

fn row(label: String, columns: &[Column], cell: impl Fn(&Indicators) -> String) -> Row {
    Row {
        label,
        cells: columns.iter().map(|c| cell(&c.now)).collect(),
    }
}

/// The column the headlines and charts speak about: all chosen neighbourhoods together, or
/// the only one.
fn main_column(columns: &[Column]) -> Option<&Column> {
    columns.last()
}

fn sections(t: Tr, a: &Asked, researcher: bool) -> Vec<Section> {
    let show = Show { t, researcher };
    let cols = &a.columns;
    let Some(main) = main_column(cols) else {
        return Vec::new();
    };
    vec![
        reach_section(show, cols, main),
        turnout_section(show, cols),
        dose_section(show, cols, main),
        retention_section(show, cols, main),
        fidelity_section(show, a, main),
        barriers_section(show, cols, main),
        encouragement_section(show, cols, main),
        time_slot_section(show, cols, main),
    ]
}

fn reach_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let (now, before) = (&main.now.reach, &main.before.reach);
    Section {
        id: "bereik",
        heading: t.get("report-reach"),
        finding: t.get2(
            "report-reach-finding",
            ("reached", show.n(now.reached.total()).as_str()),
            ("taking", show.n(now.taking_part.total()).as_str()),
        ),
        headlines: vec![
            Headline {
                label: t.get("report-reached"),
                value: show.n(now.reached.total()),
                change: show.change(now.reached.total(), before.reached.total()),
            },
            Headline {
                label: t.get("report-taking-part"),
                value: show.n(now.taking_part.total()),
                change: show.change(now.taking_part.total(), before.taking_part.total()),
            },
            Headline {
                label: t.get("report-new"),
                value: show.n(now.new.total()),
                change: show.change(now.new.total(), before.new.total()),
            },
            Headline {
                label: t.get("report-reach-percent"),
                value: show.share(now.reach),
                change: show.change_share(now.reach, before.reach),
            },
        ],
        figure: bar_figure(
            t,
            main,
            "bereik",
            t.get("report-reach-chart"),
            t.get2(
                "report-reach-finding",
                ("reached", show.n(now.reached.total()).as_str()),
                ("taking", show.n(now.taking_part.total()).as_str()),
            ),
            Unit::Count,
            vec![
                (t.get("report-reached"), show.bar(now.reached.total())),
                (
                    t.get("report-taking-part"),
                    show.bar(now.taking_part.total()),
                ),
                (t.get("report-new"), show.bar(now.new.total())),
            ],
        ),
        tables: vec![Table {
            id: "bereik-tabel".into(),
            caption: t.get("report-reach-table"),
            head: head(t, "report-what", cols),
            rows: vec![
                row(t.get("report-reached"), cols, |i| {
                    show.n(i.reach.reached.total())
                }),
                row(t.get("report-of-which-single"), cols, |i| {
                    show.n(i.reach.reached.single_parent)
                }),
                row(t.get("report-of-which-other"), cols, |i| {
                    show.n(i.reach.reached.other)
                }),
                row(t.get("report-taking-part"), cols, |i| {
                    show.n(i.reach.taking_part.total())
                }),
                row(t.get("report-of-which-single"), cols, |i| {
                    show.n(i.reach.taking_part.single_parent)
                }),
                row(t.get("report-new"), cols, |i| show.n(i.reach.new.total())),
                Row {
                    label: t.get("report-estimate"),
                    cells: cols
                        .iter()
                        .map(|c| {
                            let whole = c.now.reach.reach.whole;
                            match (whole, c.estimate_source.is_empty()) {
                                (0, _) => "–".to_string(),
                                (n, true) => t.number(n),
                                (n, false) => format!("{} ({})", t.number(n), c.estimate_source),
                            }
                        })
                        .collect(),
                },
                row(t.get("report-reach-percent"), cols, |i| {
                    show.share(i.reach.reach)
                }),
            ],
        }],
        missed: Vec::new(),
    }
}

fn turnout_section(show: Show, cols: &[Column]) -> Section {
    let t = show.t;
    let weeks = cols
        .first()
        .map(|c| c.now.weeks.clone())
        .unwrap_or_default();
    Section {
        id: "opkomst",
        heading: t.get("report-turnout"),
        finding: t.get("report-turnout-finding"),
        headlines: main_column(cols)
            .map(|main| {
                let total = |i: &Indicators| i.weeks.iter().map(|w| w.visits).sum::<u32>();
                vec![Headline {
                    label: t.get("report-visits-total"),
                    value: show.n(total(&main.now)),
                    change: show.change(total(&main.now), total(&main.before)),
                }]
            })
            .unwrap_or_default(),
        figure: turnout_chart(show, cols),
        tables: vec![Table {
            id: "opkomst-tabel".into(),
            caption: t.get("report-turnout-table"),
            head: head(t, "report-week", cols),
            rows: weeks
                .iter()
                .enumerate()
                .map(|(i, w)| Row {
                    label: t.get2(
                        "report-week-label",
                        ("week", w.week.week()),
                        ("date", t.day(w.monday).as_str()),
                    ),
                    cells: cols
                        .iter()
                        .map(|c| show.n(c.now.weeks.get(i).map(|w| w.visits).unwrap_or_default()))
                        .collect(),
                })
                .collect(),
        }],
        missed: Vec::new(),
    }
}

fn dose_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let most = cols
        .iter()
        .filter_map(|c| c.now.dose.distribution.keys().max().copied())
        .max()
        .unwrap_or(0);
    let median = main
        .now
        .dose
        .median
        .map(|m| t.decimal(m))
        .unwrap_or_else(|| "–".to_string());
    Section {
        id: "dosis",
        heading: t.get("report-dose"),
        finding: t.get1("report-dose-finding", "median", median.as_str()),
        headlines: vec![Headline {
            label: t.get("report-median"),
            value: median.clone(),
            change: match (main.now.dose.median, main.before.dose.median) {
                (Some(a), Some(b)) if (a - b).abs() < 0.05 => t.get("report-change-same"),
                (Some(a), Some(b)) if a > b => {
                    t.get1("report-change-up", "n", t.decimal(a - b).as_str())
                }
                (Some(a), Some(b)) => t.get1("report-change-down", "n", t.decimal(b - a).as_str()),
                _ => String::new(),
            },
        }],
        figure: bar_figure(
            t,
            main,
            "dosis",
            t.get("report-dose-table"),
            t.get1("report-dose-finding", "median", median.as_str()),
            Unit::Count,
            dose_bars(show, &main.now),
        ),
        tables: vec![
            Table {
                id: "dosis-tabel".into(),
                caption: t.get("report-dose-table"),
                head: head(t, "report-visits", cols),
                rows: (1..=most)
                    .map(|n| {
                        row(t.get1("report-times", "n", n), cols, |i| {
                            show.n(i.dose.distribution.get(&n).copied().unwrap_or(0))
                        })
                    })
                    .collect(),
            },
            Table {
                id: "dosis-soort".into(),
                caption: t.get("report-dose-kind-table"),
                head: head(t, "report-activity-kind", cols),
                rows: mtp_domain::activity::ActivityKind::ALL
                    .into_iter()
                    .filter(|k| {
                        cols.iter()
                            .any(|c| c.now.dose.per_kind.iter().any(|(kk, _)| kk == k))
                    })
                    .map(|k| {
                        row(t.label(&k), cols, |i| {
                            let d = i.dose.per_kind.iter().find(|(kk, _)| *kk == k);
                            let (v, h) = d.map(|(_, d)| (d.visits, d.households)).unwrap_or((0, 0));
                            t.get2(
                                "report-visits-by",
                                ("visits", show.n(v).as_str()),
                                ("households", show.n(h).as_str()),
                            )
                        })
                    })
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn retention_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let months = mtp_domain::indicators::MILESTONES;
    let mut rows: Vec<Row> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            row(t.get1("report-after-months", "n", *m), cols, |ind| {
                show.opt_share(ind.retention.pooled.get(i).copied().flatten())
            })
        })
        .collect();
    rows.push(row(t.get("report-drop-outs"), cols, |i| {
        show.n(i.drop_outs.total())
    }));
    Section {
        id: "blijven",
        heading: t.get("report-retention"),
        finding: t.get("report-retention-finding"),
        headlines: vec![
            Headline {
                label: t.get1("report-after-months", "n", 3),
                value: show.opt_share(main.now.retention.pooled[0]),
                change: match (
                    main.now.retention.pooled[0],
                    main.before.retention.pooled[0],
                ) {
                    (Some(a), Some(b)) => show.change_share(a, b),
                    _ => String::new(),
                },
            },
            Headline {
                label: t.get("report-drop-outs"),
                value: show.n(main.now.drop_outs.total()),
                change: show.change(main.now.drop_outs.total(), main.before.drop_outs.total()),
            },
        ],
        figure: bar_figure(
            t,
            main,
            "blijven",
            t.get("report-retention-chart"),
            t.get("report-retention-desc"),
            Unit::Percent,
            months
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    (
                        t.get1("report-after-months", "n", *m),
                        show.share_bar(main.now.retention.pooled.get(i).copied().flatten()),
                    )
                })
                .collect(),
        ),
        tables: vec![
            Table {
                id: "blijven-tabel".into(),
                caption: t.get("report-retention-table"),
                head: head(t, "report-what", cols),
                rows,
            },
            Table {
                id: "blijven-cohorten".into(),
                caption: t.get1("report-cohorts-table", "name", main.name.as_str()),
                head: std::iter::once(t.get("report-first-visit"))
                    .chain(std::iter::once(t.get("report-households")))
                    .chain(
                        months
                            .iter()
                            .map(|m| t.get1("report-after-months", "n", *m)),
                    )
                    .collect(),
                rows: main
                    .now
                    .retention
                    .cohorts
                    .iter()
                    .rev()
                    .map(|c| Row {
                        label: format!("{} {}", t.month(c.month), c.year),
                        cells: std::iter::once(show.n(c.households))
                            .chain(c.still_active.iter().map(|s| show.opt_share(*s)))
                            .collect(),
                    })
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn fidelity_section(show: Show, a: &Asked, main: &Column) -> Section {
    let t = show.t;
    let cols = &a.columns;
    let failed_text = |failed: &[Check]| {
        failed
            .iter()
            .map(|c| t.get(c.key()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut missed = Vec::new();
    // The pooled column repeats the neighbourhoods' weeks; list each neighbourhood's own.
    for (i, c) in cols.iter().enumerate().take(a.sessions.len()) {
        for m in &c.now.fidelity.missed {
            missed.push(Missed {
                column: c.name.clone(),
                date: t.day(m.date),
                week: m.week.week(),
                failed: failed_text(&m.failed),
                href: (!show.researcher)
                    .then(|| a.sessions.get(i).and_then(|s| s.get(&m.date)))
                    .flatten()
                    .map(|id| format!("/sessions/{id}")),
            });
        }
    }
    Section {
        id: "trouw",
        heading: t.get("report-fidelity"),
        finding: t.get1(
            "report-fidelity-finding",
            "weeks",
            u32::try_from(missed.len()).unwrap_or(u32::MAX),
        ),
        headlines: vec![Headline {
            label: t.get("report-fidelity-score"),
            value: show.t.percent(main.now.fidelity.score.percent()),
            change: show.change_share(main.now.fidelity.score, main.before.fidelity.score),
        }],
        figure: bar_figure(
            t,
            main,
            "trouw",
            t.get("report-fidelity-table"),
            t.get("report-fidelity-desc"),
            Unit::Percent,
            Check::ALL
                .into_iter()
                .map(|check| {
                    let share = main
                        .now
                        .fidelity
                        .per_check
                        .iter()
                        .find(|(c, _)| *c == check)
                        .map(|(_, s)| *s)
                        .filter(|s| s.whole > 0);
                    (
                        t.get(check.key()),
                        BarValue::new(
                            share.and_then(|s| s.percent()),
                            t.percent(share.and_then(|s| s.percent())),
                        ),
                    )
                })
                .collect(),
        ),
        tables: vec![Table {
            id: "trouw-tabel".into(),
            caption: t.get("report-fidelity-table"),
            head: head(t, "report-check", cols),
            rows: std::iter::once(row(t.get("report-fidelity-score"), cols, |i| {
                t.percent(i.fidelity.score.percent())
            }))
            .chain(Check::ALL.into_iter().map(|check| {
                row(t.get(check.key()), cols, |i| {
                    i.fidelity
                        .per_check
                        .iter()
                        .find(|(c, _)| *c == check)
                        .map(|(_, s)| t.percent(s.percent()))
                        .unwrap_or_else(|| "–".to_string())
                })
            }))
            .collect(),
        }],
        missed,
    }
}

fn barriers_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let reason_label = |r: Option<mtp_domain::attendance::AbsenceReason>| match r {
        Some(r) => t.label(&r),
        None => t.get("report-reason-unknown"),
    };
    let reasons: Vec<Option<mtp_domain::attendance::AbsenceReason>> =
        mtp_domain::attendance::AbsenceReason::ALL
            .into_iter()
            .map(Some)
            .chain(std::iter::once(None))
            .collect();
    let count_of = |list: &[mtp_domain::indicators::ReasonCount], r| {
        list.iter()
            .find(|c| c.reason == r)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    let top = main
        .now
        .barriers
        .absences
        .first()
        .map(|c| reason_label(c.reason));
    Section {
        id: "drempels",
        heading: t.get("report-barriers"),
        finding: match top {
            Some(reason) => t.get1("report-barriers-finding", "reason", reason.as_str()),
            None => t.get("report-barriers-none"),
        },
        headlines: vec![Headline {
            label: t.get("report-childcare-requests"),
            value: show.n(main.now.barriers.childcare_requests),
            change: show.change(
                main.now.barriers.childcare_requests,
                main.before.barriers.childcare_requests,
            ),
        }],
        figure: bar_figure(
            t,
            main,
            "drempels",
            t.get("report-absences-table"),
            t.get("report-barriers-desc"),
            Unit::Count,
            main.now
                .barriers
                .absences
                .iter()
                .map(|c| (reason_label(c.reason), show.bar(c.count)))
                .collect(),
        ),
        tables: vec![
            Table {
                id: "drempels-afwezig".into(),
                caption: t.get("report-absences-table"),
                head: head(t, "report-reason", cols),
                rows: reasons
                    .iter()
                    .map(|r| {
                        row(reason_label(*r), cols, |i| {
                            show.n(count_of(&i.barriers.absences, *r))
                        })
                    })
                    .collect(),
            },
            Table {
                id: "drempels-kan-niet".into(),
                caption: t.get("report-cant-come-table"),
                head: head(t, "report-reason", cols),
                rows: reasons
                    .iter()
                    .map(|r| {
                        row(reason_label(*r), cols, |i| {
                            show.n(count_of(&i.barriers.cant_come, *r))
                        })
                    })
                    .chain(std::iter::once(row(
                        t.get("report-childcare-requests"),
                        cols,
                        |i| show.n(i.barriers.childcare_requests),
                    )))
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn encouragement_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let e = &main.now.encouragement;
    let came = |s: Share| {
        t.get2(
            "report-came-of",
            ("came", show.n(s.part).as_str()),
            ("of", show.n(s.whole).as_str()),
        )
    };
    Section {
        id: "aanmoedigen",
        heading: t.get("report-encouragement"),
        finding: t.get2(
            "report-encouragement-finding",
            ("reached", show.share(e.reached_came).as_str()),
            ("not", show.share(e.not_reached_came).as_str()),
        ),
        headlines: vec![Headline {
            label: t.get("report-reached-came"),
            value: show.share(e.reached_came),
            change: show.change_share(e.reached_came, main.before.encouragement.reached_came),
        }],
        figure: bar_figure(
            t,
            main,
            "aanmoedigen",
            t.get("report-encouragement-table"),
            t.get2(
                "report-encouragement-finding",
                ("reached", show.share(e.reached_came).as_str()),
                ("not", show.share(e.not_reached_came).as_str()),
            ),
            Unit::Percent,
            vec![
                (
                    t.get("report-reached-came"),
                    show.share_bar(Some(e.reached_came)),
                ),
                (
                    t.get("report-not-reached-came"),
                    show.share_bar(Some(e.not_reached_came)),
                ),
            ],
        ),
        tables: vec![Table {
            id: "aanmoedigen-tabel".into(),
            caption: t.get("report-encouragement-table"),
            head: head(t, "report-what", cols),
            rows: vec![
                row(t.get("report-reached-came"), cols, |i| {
                    format!(
                        "{} ({})",
                        show.share(i.encouragement.reached_came),
                        came(i.encouragement.reached_came)
                    )
                }),
                row(t.get("report-not-reached-came"), cols, |i| {
                    format!(
                        "{} ({})",
                        show.share(i.encouragement.not_reached_came),
                        came(i.encouragement.not_reached_came)
                    )
                }),
                row(t.get("report-not-judged"), cols, |i| {
                    show.n(i.encouragement.not_judged)
                }),
            ],
        }],
        missed: Vec::new(),
    }
}

fn time_slot_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let fit = &main.now.time_slot_fit;
    let best = fit
        .days
        .iter()
        .filter(|d| !d.activity_runs && d.can_come > 0)
        .max_by_key(|d| d.can_come);
    Section {
        id: "dagen",
        heading: t.get("report-time-slot"),
        finding: match best {
            Some(d) => t.get2(
                "report-time-slot-finding",
                ("day", t.weekday(d.weekday)),
                ("n", show.n(d.can_come).as_str()),
            ),
            None => t.get("report-time-slot-none"),
        },
        headlines: vec![Headline {
            label: t.get("report-working-parent"),
            value: show.share(fit.working_parent),
            change: show.change_share(fit.working_parent, main.before.time_slot_fit.working_parent),
        }],
        figure: bar_figure(
            t,
            main,
            "dagen",
            t.get("report-time-slot-table"),
            t.get("report-time-slot-desc"),
            Unit::Count,
            fit.days
                .iter()
                .map(|d| (t.weekday(d.weekday).to_string(), show.bar(d.can_come)))
                .collect(),
        ),
        tables: vec![Table {
            id: "dagen-tabel".into(),
            caption: t.get("report-time-slot-table"),
            head: head(t, "report-weekday", cols),
            rows: fit
                .days
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    row(t.weekday(d.weekday).to_string(), cols, |i| {
                        let day = i.time_slot_fit.days.get(n);
                        let can = show.n(day.map(|d| d.can_come).unwrap_or(0));
                        if day.is_some_and(|d| d.activity_runs) {
                            t.get1("report-can-come-runs", "n", can.as_str())
                        } else {
                            can
                        }
                    })
                })
                .collect(),
        }],
        missed: Vec::new(),
    }
}

/// Visits per week as a line: one line per neighbourhood when there are a few, otherwise the
/// main column alone (more than four lines repeat colours and dashes).
fn turnout_chart(show: Show, cols: &[Column]) -> Option<(String, String)> {
    let t = show.t;
    let main = main_column(cols)?;
    let shown: Vec<&Column> = if (2..=5).contains(&cols.len()) {
        cols.iter().take(cols.len() - 1).collect()
    } else {
        vec![main]
    };
    let chart = LineChart {
        id: "opkomst-grafiek".into(),
        title: t.get("report-turnout"),
        desc: t.get("report-turnout-finding"),
        empty_text: t.get("report-chart-empty"),
        unit: Unit::Count,
        x_labels: main
            .now
            .weeks
            .iter()
            .map(|w| t.get1("report-week-number", "week", w.week.week()))
            .collect(),
        series: shown
            .iter()
            .map(|c| {
                Series::new(
                    c.name.clone(),
                    c.now
                        .weeks
                        .iter()
                        .map(|w| show.bar(w.visits).value)
                        .collect(),
                )
            })
            .collect(),
        y_format: Box::new(move |v| {
            t.decimal(v)
                .trim_end_matches(",0")
                .trim_end_matches(".0")
                .to_string()
        }),
    };
    Some((chart.render(), caption(t, main)))
}

/// The distribution of visits as bars: 1 to 9 visits each, then "10 or more" together, so a
/// year's report stays a readable chart (the table keeps every number).
fn dose_bars(show: Show, i: &Indicators) -> Vec<(String, BarValue)> {
    let t = show.t;
    let mut bars: Vec<(String, BarValue)> = (1..10)
        .filter(|n| i.dose.distribution.keys().any(|k| k >= n))
        .map(|n| {
            (
                t.get1("report-times", "n", n),
                show.bar(i.dose.distribution.get(&n).copied().unwrap_or(0)),
            )
        })
        .collect();
    let many: u32 = i.dose.distribution.range(10..).map(|(_, h)| *h).sum();
    if many > 0 {
        bars.push((t.get("report-times-many"), show.bar(many)));
    }
    bars
}

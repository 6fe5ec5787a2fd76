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
use mtp_domain::report::{self, Column, Inputs, PeriodChoice, PeriodForm};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::report_view::{self, Section};

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
    /// The neighbourhoods chosen (for the referral figures).
    chosen: Vec<Uuid>,
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
    let window = report::VisitWindow::new(&[period, before], today);
    for rows in state
        .store
        .report_rows(&user.tenant, &chosen, Some(window), until, today)
        .await?
    {
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
        chosen,
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
                report_view::sections(t, &a.columns, &a.sessions, researcher),
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
    // The referral figures (issue #16), for staff: a section of their own after the report's.
    let mut sections = sections;
    if let Some(a) = asked.as_ref().filter(|_| !researcher) {
        let figures =
            crate::referral_report::gather(&state, &user.tenant, &a.chosen, a.choice.period())
                .await?;
        sections.push(crate::referral_report::section(&t, &figures));
    }
    // The parents' own questionnaires (issue #19): paired figures, hidden below ten parents.
    if let Some(a) = asked.as_ref() {
        let outcomes = crate::outcome_report::gather(&state, &user.tenant, &a.chosen).await?;
        sections.push(crate::outcome_report::section(&t, &outcomes));
    }
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
    let figures =
        crate::referral_report::gather(&state, &user.tenant, &asked.chosen, asked.choice.period())
            .await?;
    let bytes = crate::workbook::funder_workbook_and(
        &t,
        asked.choice,
        &asked.columns,
        crate::today(),
        &[crate::referral_report::sheet(&t, &figures)],
    )
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

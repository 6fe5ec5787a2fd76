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
use mtp_domain::indicators::Period;
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
}

/// The period and neighbourhoods the form asks for, or `None` with the form's errors in `e`.
fn ask(
    t: Tr,
    q: &ReportQuery,
    options: &[NbOption],
    e: &mut FormErrors,
) -> Option<(PeriodChoice, Vec<Uuid>)> {
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
    choice.filter(|_| e.is_empty()).map(|c| (c, chosen))
}

/// Every indicator of the report asked for: one column per neighbourhood, and one pooled
/// over them when there are several.
async fn columns(
    state: &AppState,
    user: &crate::ctx::User,
    t: Tr,
    choice: PeriodChoice,
    chosen: &[Uuid],
) -> Result<Asked, AppError> {
    let today = crate::today();
    let period = choice.period();
    let before = choice.previous();
    let until = period.reference(today);
    let window = report::VisitWindow::new(&[period, before], today);
    let rows = state
        .store
        .report_rows(&user.tenant, chosen, Some(window), until, today)
        .await?;
    let pooled_name = (rows.len() > 1).then(|| t.get("report-all-chosen"));
    // Counting is CPU work: off the request's thread, and the period and the one before on
    // a core each (docs/benchmarks.md, "Reports").
    let (rows, now, then) = tokio::task::spawn_blocking(move || {
        let (rows, inputs): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .map(|r| ((r.neighbourhood, r.coffee_sessions), r.inputs))
            .unzip();
        let (mut now, mut then) = both_periods(&inputs, period, before, today)?;
        if inputs.len() > 1 {
            // The neighbourhoods' own columns are done: their inputs move into the pooled one.
            let (all_now, all_then) = both_periods(&[Inputs::pool(inputs)], period, before, today)?;
            now.extend(all_now);
            then.extend(all_then);
        }
        Ok::<_, AppError>((rows, now, then))
    })
    .await
    .map_err(|_| AppError::Internal)??;
    let mut sessions = Vec::with_capacity(rows.len());
    let mut names = Vec::with_capacity(rows.len() + 1);
    for (neighbourhood, coffee_sessions) in rows {
        let source = neighbourhood
            .target_group
            .as_ref()
            .map(|g| g.source.clone())
            .unwrap_or_default();
        names.push((neighbourhood.name, source));
        sessions.push(coffee_sessions);
    }
    names.extend(pooled_name.map(|n| (n, String::new())));
    let columns = names
        .into_iter()
        .zip(now.into_iter().zip(then))
        .map(|((name, estimate_source), (now, before))| Column {
            name,
            estimate_source,
            now,
            before,
        })
        .collect();
    Ok(Asked {
        choice,
        columns,
        sessions,
    })
}

/// The indicators of two periods, one for each of a list of inputs.
type Both = (Vec<report::Indicators>, Vec<report::Indicators>);

/// The indicators of `period` and of `before` for each of `inputs`, the two periods on a
/// core each.
fn both_periods(
    inputs: &[Inputs<Uuid>],
    period: Period,
    before: Period,
    today: NaiveDate,
) -> Result<Both, AppError> {
    let of = |p: Period| -> Vec<report::Indicators> {
        inputs
            .iter()
            .map(|i| report::compute(i, p, today))
            .collect()
    };
    std::thread::scope(|s| {
        let then = s.spawn(|| of(before));
        let now = of(period);
        Ok((now, then.join().map_err(|_| AppError::Internal)?))
    })
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
    let researcher = user.role() == Role::Researcher;
    // The indicators, the referral figures (issue #16, staff only) and the parents' own
    // questionnaires (issue #19) are independent: gathered side by side, the page waits
    // for the slowest of them, not their sum.
    let (asked, figures, outcomes) = match ask(t, &q, &neighbourhoods, &mut e) {
        Some((choice, chosen)) => {
            let (asked, figures, outcomes) = tokio::try_join!(
                Box::pin(columns(&state, &user, t, choice, &chosen)),
                Box::pin(async {
                    if researcher {
                        return Ok(None);
                    }
                    crate::referral_report::gather(&state, &user.tenant, &chosen, choice.period())
                        .await
                        .map(Some)
                }),
                Box::pin(crate::outcome_report::gather(&state, &user.tenant, &chosen)),
            )?;
            (Some(asked), figures, Some(outcomes))
        }
        None => (None, None, None),
    };
    audit(
        &state,
        &user,
        Action::ReportViewed,
        Subject::none("report"),
        &audit_detail(&q, asked.as_ref()),
    )
    .await;
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
    // The referral figures, for staff: a section of their own after the report's; then the
    // questionnaires' paired figures, hidden below ten parents.
    let mut sections = sections;
    if let Some(figures) = figures {
        sections.push(crate::referral_report::section(&t, &figures));
    }
    if let Some(outcomes) = outcomes {
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
    let Some((choice, chosen)) = ask(t, &q, &neighbourhoods, &mut e) else {
        // The form is where the messages are shown: send the user back to it.
        return Ok(
            axum::response::Redirect::to(&format!("/reports?{}", q.query_string())).into_response(),
        );
    };
    let (asked, figures) = tokio::try_join!(
        Box::pin(columns(&state, &user, t, choice, &chosen)),
        Box::pin(crate::referral_report::gather(
            &state,
            &user.tenant,
            &chosen,
            choice.period()
        )),
    )?;
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

//! The parents' questionnaires (issue #19, docs/guide/questionnaires.md, docs/outcomes.md).
//!
//! - The parent, in the portal: `/portal/questionnaire` says why we ask and shows their own
//!   answers over time; a round is one question per page, each answer a big button that sends
//!   the form (no script), every question skippable, nothing ever pre-filled.
//! - The household's own worker: `/households/{id}/questionnaire` shows the family's answers
//!   over time, enters a paper questionnaire on one page, or starts a round to go through with
//!   the parent on the worker's phone (`/questionnaires/{id}`, one question per screen).
//!
//! The store decides who may read what (workers only, never coordinators); every answer and
//! every view of answers is in the audit trail.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use mtp_domain::audit::Action;
use mtp_domain::questionnaire::{
    EnteredBy, Health, Instrument, Item, LonelinessCategory, Scale, SupportCategory, all_items,
};
use mtp_store::questionnaires::Round;
use serde::Deserialize;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event, audit_parent, parent_event};
use crate::chart::{LineChart, Series, Unit};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::{Parent, Staff};
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::parse_id;

/// Which question of a round a page shows (`?q=`), from 0; one past the last is "done".
#[derive(Deserialize, Default)]
pub struct Step {
    #[serde(default)]
    q: String,
}

impl Step {
    fn index(&self) -> usize {
        self.q.trim().parse().unwrap_or(0).min(all_items().len())
    }
}

fn english(ctx: &Ctx) -> bool {
    ctx.lang.as_str() == "en"
}

/// The answers of a scale as (code, label), in the order shown.
fn options(t: &Tr, en: bool, scale: Scale) -> Vec<(String, String)> {
    let (lo, hi) = scale.range();
    (lo..=hi)
        .map(|code| {
            let label = match scale {
                Scale::Health => t.get(format!("questionnaire-health-{code}")),
                Scale::YesMoreOrLessNo => t.get(format!("questionnaire-ynm-{code}")),
                Scale::Options(o) => o
                    .get(usize::from(code).saturating_sub(1))
                    .map(|(nl, e)| if en { *e } else { *nl })
                    .unwrap_or_default()
                    .to_string(),
                Scale::DaysPerWeek => t.get1("questionnaire-days", "count", u32::from(code)),
                Scale::Grade => code.to_string(),
            };
            (code.to_string(), label)
        })
        .collect()
}

/// The line under a validated item: who made it, and for the Dutch OSSS-3 that the wording is
/// our own translation.
fn source_note(t: &Tr, en: bool, instrument: Instrument) -> String {
    let mut note = instrument
        .attribution()
        .map(|a| t.get1("questionnaire-source", "source", a))
        .unwrap_or_default();
    if !en && instrument.dutch_is_unvalidated_translation() {
        note.push(' ');
        note.push_str(&t.get("questionnaire-unvalidated-translation"));
    }
    note
}

fn question_text(en: bool, item: &Item) -> &'static str {
    if en { item.en } else { item.nl }
}

// ---- one question per page (the parent, or the parent with the worker) ----------------------

#[derive(Template)]
#[template(path = "questionnaire_question.html")]
struct QuestionPage {
    p: Page,
    /// Where the form goes: `/portal/questionnaire/{id}` or `/questionnaires/{id}`.
    action: String,
    /// Where "done" leads back to.
    back: String,
    index: usize,
    item_key: &'static str,
    /// "Vraag 3 van 18".
    progress: String,
    /// "Eenzaamheid": which part of the questionnaire.
    part: String,
    /// An explanation above the grades of the life domains; empty elsewhere.
    intro: String,
    options: Vec<(String, String)>,
    source: String,
    done: bool,
    /// The grades 0–10 and days 0–7 sit in a grid of small buttons; the rest one under another.
    compact: bool,
    /// Answered by the worker with the parent: said on the page.
    with_worker: bool,
}

fn question_page(
    ctx: &Ctx,
    action: String,
    back: String,
    index: usize,
    with_worker: bool,
) -> Response {
    let t = Tr::new(ctx.lang);
    let en = english(ctx);
    let items = all_items();
    let total = items.len();
    let mut p = Page::new(ctx, "questionnaire-done-title");
    let Some((instrument, item)) = items.get(index).copied() else {
        return render_page(&QuestionPage {
            p,
            action,
            back,
            index,
            item_key: "",
            progress: String::new(),
            part: String::new(),
            intro: String::new(),
            options: Vec::new(),
            source: String::new(),
            done: true,
            compact: false,
            with_worker,
        });
    };
    p.title = question_text(en, item).to_string();
    render_page(&QuestionPage {
        action,
        back,
        index,
        item_key: item.key,
        progress: t.get2(
            "questionnaire-progress",
            ("n", (index + 1).to_string().as_str()),
            ("total", total.to_string().as_str()),
        ),
        part: t.get(format!("questionnaire-part-{}", instrument.as_str())),
        intro: if instrument == Instrument::LifeDomains {
            t.get("questionnaire-life-domains-intro")
        } else {
            String::new()
        },
        options: options(&t, en, item.scale),
        source: source_note(&t, en, instrument),
        done: false,
        compact: matches!(item.scale, Scale::Grade | Scale::DaysPerWeek),
        with_worker,
        p,
    })
}

/// The answer of a question form: the item's key (so a form sent twice or late never lands on
/// another question) and its code, or "skip".
fn posted_answer(f: &FormData) -> Result<(usize, &'static str, Option<u8>), AppError> {
    let items = all_items();
    let index: usize = f
        .get("q")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let (_, item) = items.get(index).copied().ok_or(AppError::BadRequest)?;
    if f.get("item") != item.key {
        return Err(AppError::BadRequest);
    }
    let code = match f.get("code") {
        "skip" => None,
        raw => Some(
            item.scale
                .parse(raw)
                .ok()
                .flatten()
                .ok_or(AppError::BadRequest)?,
        ),
    };
    Ok((index, item.key, code))
}

// ---- the parent's own answers over time ------------------------------------------------------

/// One round as a line of the data table, in words.
#[derive(Clone)]
pub struct RoundRow {
    pub date: String,
    pub health: String,
    pub loneliness: String,
    pub support: String,
    pub activity: String,
    pub entered_by: String,
}

fn round_rows(t: &Tr, rounds: &[Round]) -> Vec<RoundRow> {
    let missing = || t.get("questionnaire-missing");
    rounds
        .iter()
        .map(|r| RoundRow {
            date: t.day(r.taken_on),
            health: r
                .answers
                .health()
                .map(|h| t.get(format!("questionnaire-health-{}", h as u8)))
                .unwrap_or_else(missing),
            loneliness: match (
                r.answers.loneliness().total,
                r.answers.loneliness().category(),
            ) {
                (Some(total), Some(c)) => t.get2(
                    "questionnaire-loneliness-value",
                    ("total", total.to_string().as_str()),
                    (
                        "category",
                        t.get(format!("questionnaire-loneliness-{}", c.as_str()))
                            .as_str(),
                    ),
                ),
                _ => missing(),
            },
            support: match r.answers.support() {
                Some(sum) => t.get2(
                    "questionnaire-support-value",
                    ("sum", sum.to_string().as_str()),
                    (
                        "category",
                        t.get(format!(
                            "questionnaire-support-{}",
                            SupportCategory::of_sum(sum).as_str()
                        ))
                        .as_str(),
                    ),
                ),
                None => missing(),
            },
            activity: match r.answers.meets_activity_guideline() {
                Some(true) => t.get("questionnaire-activity-yes"),
                Some(false) => t.get("questionnaire-activity-no"),
                None => missing(),
            },
            entered_by: t.get(format!("questionnaire-entered-{}", r.entered_by.as_str())),
        })
        .collect()
}

/// The chart the parent and the worker look at together: perceived health (1 very poor … 5
/// very good, so up is better), the loneliness total (0–6, up is lonelier) and the support sum
/// (3–14, up is more support), one point per round.
fn over_time_chart(t: &Tr, rounds: &[Round]) -> String {
    let health: Vec<Option<f64>> = rounds
        .iter()
        .map(|r| r.answers.health().map(|h| f64::from(6 - h as u8)))
        .collect();
    let loneliness = rounds
        .iter()
        .map(|r| r.answers.loneliness().total.map(f64::from))
        .collect();
    let support = rounds
        .iter()
        .map(|r| r.answers.support().map(f64::from))
        .collect();
    LineChart {
        id: "answers-over-time".into(),
        title: t.get("questionnaire-chart-title"),
        desc: t.get("questionnaire-chart-desc"),
        empty_text: t.get("questionnaire-chart-empty"),
        unit: Unit::Count,
        x_labels: rounds.iter().map(|r| t.day(r.taken_on)).collect(),
        series: vec![
            Series::new(t.get("questionnaire-series-health"), health),
            Series::new(t.get("questionnaire-series-loneliness"), loneliness),
            Series::new(t.get("questionnaire-series-support"), support),
        ],
        y_format: Box::new(|v| format!("{v}")),
    }
    .render()
}

// ---- the portal ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_questionnaire.html")]
struct PortalStartPage {
    p: Page,
    rows: Vec<RoundRow>,
    chart: String,
}

/// `GET /portal/questionnaire`: why we ask, the button to start, and the parent's own answers
/// over time.
pub async fn portal_start(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "questionnaire-portal-title");
    let t = p.t;
    let rounds = state.store.portal_rounds(&v.scope).await?;
    audit_parent(
        &state,
        &v.scope,
        Action::QuestionnaireViewed,
        &format!("rounds={}", rounds.len()),
    )
    .await;
    Ok(render_page(&PortalStartPage {
        chart: if rounds.is_empty() {
            String::new()
        } else {
            over_time_chart(&t, &rounds)
        },
        rows: round_rows(&t, &rounds),
        p,
    }))
}

/// `POST /portal/questionnaire`: a new round, then its first question.
pub async fn portal_begin(
    State(state): State<AppState>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let event = parent_event(&v.scope, Action::QuestionnaireStarted, "");
    let id = state
        .store
        .portal_start_round(&v.scope, crate::today(), event)
        .await?;
    Ok(Redirect::to(&format!("/portal/questionnaire/{id}?q=0")).into_response())
}

/// `GET /portal/questionnaire/{id}?q=N`: one question, never with its earlier answer.
pub async fn portal_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(step): Query<Step>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    state.store.portal_open_round(&v.scope, id).await?;
    Ok(question_page(
        &ctx,
        format!("/portal/questionnaire/{id}"),
        "/portal/questionnaire".into(),
        step.index(),
        false,
    ))
}

/// `POST /portal/questionnaire/{id}`: one answer (or skipped), then the next question.
pub async fn portal_answer(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    state.store.portal_open_round(&v.scope, id).await?;
    let (index, key, code) = posted_answer(&f)?;
    let event = parent_event(&v.scope, Action::QuestionnaireAnswered, "");
    state
        .store
        .portal_questionnaire_answer(&v.scope, id, key, code, event)
        .await?;
    Ok(Redirect::to(&format!("/portal/questionnaire/{id}?q={}", index + 1)).into_response())
}

// ---- the household's own worker --------------------------------------------------------------

/// Nothing to add for an anonymised family: back to its (empty) questionnaire page.
fn erased(h: &mtp_store::Household) -> Response {
    Redirect::to(&format!("/households/{}/questionnaire", h.id)).into_response()
}

/// The questionnaire part of the household page.
pub struct HouseholdSection {
    pub rows: Vec<RoundRow>,
    pub chart: String,
    pub next_due: String,
}

fn next_due(
    t: &Tr,
    interval: mtp_domain::questionnaire::IntervalMonths,
    rounds: &[Round],
) -> String {
    match rounds.last() {
        Some(r) => t.get1(
            "questionnaire-next-due",
            "date",
            t.day(interval.next_due(r.taken_on)).as_str(),
        ),
        None => t.get("questionnaire-none-yet"),
    }
}

/// For the household page: the answers over time, for the family's own worker only (nothing
/// for other roles, and nothing for an erased family). A view with answers is audit-logged.
pub async fn household_section(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    h: &mtp_store::Household,
) -> Result<Option<HouseholdSection>, AppError> {
    if user.role() != mtp_domain::Role::Worker || h.anonymised {
        return Ok(None);
    }
    let rounds = state.store.household_rounds(&user.tenant, h.id).await?;
    if !rounds.is_empty() {
        audit(
            state,
            user,
            Action::QuestionnaireViewed,
            Subject::household(h.id, h.neighbourhood_id),
            &format!("household-page rounds={}", rounds.len()),
        )
        .await;
    }
    let t = Tr::new(ctx.lang);
    let interval = state.store.questionnaire_interval(user.org.id).await?;
    Ok(Some(HouseholdSection {
        chart: if rounds.is_empty() {
            String::new()
        } else {
            over_time_chart(&t, &rounds)
        },
        next_due: next_due(&t, interval, &rounds),
        rows: round_rows(&t, &rounds),
    }))
}

#[derive(Template)]
#[template(path = "questionnaires.html")]
struct HouseholdPage {
    p: Page,
    household_id: String,
    anonymised: bool,
    names: String,
    rows: Vec<RoundRow>,
    chart: String,
    next_due: String,
}

/// `GET /households/{id}/questionnaire`: the family's answers over time, and the two ways to
/// add a round. The household's own worker only.
pub async fn of_household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &raw).await?;
    let rounds = state.store.household_rounds(&user.tenant, h.id).await?;
    audit(
        &state,
        &user,
        Action::QuestionnaireViewed,
        Subject::household(h.id, h.neighbourhood_id),
        &format!("rounds={}", rounds.len()),
    )
    .await;
    let interval = state.store.questionnaire_interval(user.org.id).await?;
    let p = Page::new(&ctx, "questionnaire-household-title");
    let t = p.t;
    Ok(render_page(&HouseholdPage {
        household_id: h.id.to_string(),
        anonymised: h.anonymised,
        names: h
            .parents
            .iter()
            .map(|x| x.first_name.as_str())
            .collect::<Vec<_>>()
            .join(" & "),
        chart: if rounds.is_empty() {
            String::new()
        } else {
            over_time_chart(&t, &rounds)
        },
        next_due: next_due(&t, interval, &rounds),
        rows: round_rows(&t, &rounds),
        p,
    }))
}

/// `POST /households/{id}/questionnaire/with`: a round the worker goes through with the parent.
pub async fn with_parent(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &raw).await?;
    if h.anonymised {
        return Ok(erased(&h));
    }
    let event = audit_event(
        &user,
        Action::QuestionnaireStarted,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    let id = state
        .store
        .start_round(
            &user.tenant,
            user.account.id,
            h.id,
            EnteredBy::WorkerWithParent,
            crate::today(),
            &[],
            event,
        )
        .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}?q=0")).into_response())
}

/// `GET /questionnaires/{id}?q=N`: one question on the worker's phone.
pub async fn worker_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(step): Query<Step>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let round = state.store.worker_open_round(&user.tenant, id).await?;
    Ok(question_page(
        &ctx,
        format!("/questionnaires/{id}"),
        format!("/households/{}/questionnaire", round.household_id),
        step.index(),
        true,
    ))
}

/// `POST /questionnaires/{id}`: the parent's answer, tapped on the worker's phone.
pub async fn worker_answer(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let round = state.store.worker_open_round(&user.tenant, id).await?;
    let (index, key, code) = posted_answer(&f)?;
    let event = audit_event(
        &user,
        Action::QuestionnaireAnswered,
        Subject::of("household", round.household_id),
        "",
    );
    state
        .store
        .worker_answer(&user.tenant, round.household_id, id, key, code, event)
        .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}?q={}", index + 1)).into_response())
}

// ---- from paper: every item on one page ------------------------------------------------------

pub struct PaperItem {
    pub key: &'static str,
    pub text: &'static str,
    pub options: Vec<(String, String)>,
    pub selected: String,
}

pub struct PaperPart {
    pub heading: String,
    pub source: String,
    pub items: Vec<PaperItem>,
}

#[derive(Template)]
#[template(path = "questionnaire_paper.html")]
struct PaperPage {
    p: Page,
    household_id: String,
    names: String,
    taken_on: String,
    parts: Vec<PaperPart>,
}

fn paper_page(ctx: &Ctx, h: &mtp_store::Household, f: &FormData, errors: FormErrors) -> Response {
    let p = Page::new(ctx, "questionnaire-paper-title").with_errors(errors);
    let t = p.t;
    let en = english(ctx);
    let parts = Instrument::ALL
        .iter()
        .map(|i| PaperPart {
            heading: t.get(format!("questionnaire-part-{}", i.as_str())),
            source: source_note(&t, en, *i),
            items: i
                .items()
                .iter()
                .map(|item| PaperItem {
                    key: item.key,
                    text: question_text(en, item),
                    options: options(&t, en, item.scale),
                    selected: f.get(item.key).to_string(),
                })
                .collect(),
        })
        .collect();
    render_page(&PaperPage {
        household_id: h.id.to_string(),
        names: h
            .parents
            .iter()
            .map(|x| x.first_name.as_str())
            .collect::<Vec<_>>()
            .join(" & "),
        taken_on: if f.has("taken_on") {
            f.get("taken_on").to_string()
        } else {
            crate::today().to_string()
        },
        parts,
        p,
    })
}

/// `GET /households/{id}/questionnaire/paper`: the form to copy a paper questionnaire into.
pub async fn paper_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &raw).await?;
    if user.role() != mtp_domain::Role::Worker {
        return Err(AppError::Forbidden);
    }
    if h.anonymised {
        return Ok(erased(&h));
    }
    Ok(paper_page(
        &ctx,
        &h,
        &FormData::default(),
        FormErrors::default(),
    ))
}

/// `POST /households/{id}/questionnaire/paper`: every answer at once; an empty item was skipped.
pub async fn paper_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &raw).await?;
    if user.role() != mtp_domain::Role::Worker {
        return Err(AppError::Forbidden);
    }
    if h.anonymised {
        return Ok(erased(&h));
    }
    let t = Tr::new(ctx.lang);
    let en = english(&ctx);
    let mut e = FormErrors::default();
    let taken_on = match NaiveDate::parse_from_str(f.get("taken_on").trim(), "%Y-%m-%d") {
        Ok(d) if d <= crate::today() => Some(d),
        Ok(_) => {
            e.add("taken_on", t.get("questionnaire-error-date-future"));
            None
        }
        Err(_) => {
            e.add("taken_on", t.get("questionnaire-error-date"));
            None
        }
    };
    let mut answers: Vec<(&str, Option<u8>)> = Vec::new();
    for (_, item) in all_items() {
        match item.scale.parse(f.get(item.key)) {
            Ok(code) => answers.push((item.key, code)),
            Err(_) => e.add(
                item.key,
                t.get1(
                    "questionnaire-error-item",
                    "question",
                    question_text(en, item),
                ),
            ),
        }
    }
    let Some(taken_on) = taken_on.filter(|_| e.is_empty()) else {
        return Ok(unprocessable(paper_page(&ctx, &h, &f, e)));
    };
    let event = audit_event(
        &user,
        Action::QuestionnaireAnswered,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    state
        .store
        .start_round(
            &user.tenant,
            user.account.id,
            h.id,
            EnteredBy::WorkerFromPaper,
            taken_on,
            &answers,
            event,
        )
        .await?;
    Ok(crate::respond::redirect_with_flash(
        &state,
        &format!("/households/{}/questionnaire", h.id),
        "flash-questionnaire-saved",
        "",
    ))
}

// ---- small helpers the outcome section uses ---------------------------------------------------

pub fn loneliness_label(t: &Tr, c: LonelinessCategory) -> String {
    t.get(format!("questionnaire-loneliness-{}", c.as_str()))
}

pub fn support_label(t: &Tr, c: SupportCategory) -> String {
    t.get(format!("questionnaire-support-{}", c.as_str()))
}

/// Below good, for the outcome section's wording.
pub fn below_good(h: Health) -> bool {
    h.below_good()
}

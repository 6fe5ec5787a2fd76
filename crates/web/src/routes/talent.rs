//! Talent development with a return service, and the engagement ladder (issue #18,
//! docs/guide/talent.md, handbook §3.3): per parent the investment (course, certificate,
//! cost, date, budget) and the return service agreed for it, linked to the sessions where it
//! is given. Coordinators and workers only; hosts, partners and researchers see none of it.

use std::borrow::Cow;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use mtp_domain::FieldError;
use mtp_domain::audit::Action;
use mtp_domain::talent::{BUDGETS, LadderStep, TalentDraft, TalentForm, TalentState};
use mtp_store::talent::Talent;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::{Choice, Label, options};
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

impl Label for TalentState {
    fn key(&self) -> Cow<'static, str> {
        Cow::Owned(format!("talent-state-{}", self.as_str()))
    }
}

impl Choice for TalentState {
    type Value = &'static str;
    fn value(&self) -> &'static str {
        self.as_str()
    }
}

impl Label for LadderStep {
    fn key(&self) -> Cow<'static, str> {
        Cow::Owned(format!("ladder-{}", self.as_str()))
    }
}

fn state_tag(s: TalentState) -> &'static str {
    match s {
        TalentState::Agreed => "tag--neutral",
        TalentState::InProgress => "tag--info",
        TalentState::Fulfilled => "tag--present",
        TalentState::Released => "tag--excused",
    }
}

/// An investment as a card shows it.
pub struct TalentView {
    pub id: Uuid,
    pub household_id: Uuid,
    pub parent_name: String,
    pub course: String,
    pub certificate: String,
    pub cost: String,
    pub invested_on: String,
    pub budget: String,
    pub service: String,
    /// "3 van de 10 keer gegeven".
    pub progress: String,
    pub state: String,
    pub state_tag: &'static str,
    pub sessions: Vec<(Uuid, String)>,
}

fn budget_label(t: &Tr, b: &str) -> String {
    if BUDGETS.contains(&b) && b != "other" {
        t.get(format!("talent-budget-{b}"))
    } else {
        b.to_string()
    }
}

pub fn view(t: &Tr, x: &Talent) -> TalentView {
    TalentView {
        id: x.id,
        household_id: x.household_id,
        parent_name: x.parent_name.clone(),
        course: x.course.clone(),
        certificate: x.certificate.clone(),
        cost: t.money(x.cost.cents()),
        invested_on: x.invested_on.map(|d| t.day(d)).unwrap_or_default(),
        budget: budget_label(t, &x.budget),
        service: x.service.clone(),
        progress: t.get2(
            "talent-progress",
            ("given", x.sessions_given),
            ("agreed", x.sessions_agreed),
        ),
        state: t.label(&x.state),
        state_tag: state_tag(x.state),
        sessions: x
            .sessions
            .iter()
            .map(|s| {
                (
                    s.id,
                    format!(
                        "{}, {} ({})",
                        s.activity_name,
                        t.datetime(s.starts_at),
                        t.label(&s.state)
                    ),
                )
            })
            .collect(),
    }
}

/// The household page's part: where the family stands on the ladder, and its return
/// services.
pub struct Engagement {
    pub step: String,
    pub step_key: &'static str,
    pub talents: Vec<TalentView>,
    /// The activities the family co-organises: id and name.
    pub organises: Vec<(Uuid, String)>,
}

/// The engagement of one household, for its page.
pub async fn engagement(
    state: &AppState,
    user: &User,
    t: &Tr,
    household_id: Uuid,
) -> Result<Engagement, AppError> {
    let step = state
        .store
        .household_ladder(&user.tenant, household_id)
        .await?;
    let talents = state
        .store
        .talents_of_household(&user.tenant, household_id)
        .await?;
    let organises = state.store.organised_by(&user.tenant, household_id).await?;
    Ok(Engagement {
        organises,
        step: t.label(&step),
        step_key: step.as_str(),
        talents: talents.iter().map(|x| view(t, x)).collect(),
    })
}

pub struct LadderRow {
    pub label: String,
    pub count: u32,
}

pub struct NeighbourhoodTalent {
    pub name: String,
    pub ladder: Vec<LadderRow>,
    pub talents: Vec<TalentView>,
}

#[derive(Template)]
#[template(path = "talent.html")]
struct ListPage {
    p: Page,
    neighbourhoods: Vec<NeighbourhoodTalent>,
    parents: Vec<(Uuid, String)>,
    budgets: Vec<(&'static str, String)>,
    f: FormData,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "talent-title").with_errors(errors);
    let t = p.t;
    let mut neighbourhoods = Vec::new();
    let mut parents = Vec::new();
    let nbs = state.store.neighbourhoods(&user.tenant).await?;
    let several = nbs.len() > 1;
    for nb in nbs {
        let ladder = state.store.ladder(&user.tenant, nb.id).await?;
        let talents = state.store.talents(&user.tenant, nb.id).await?;
        for c in state.store.parent_choices(&user.tenant, nb.id).await? {
            let name = if several {
                format!("{} ({})", c.name, nb.name)
            } else {
                c.name
            };
            parents.push((c.id, name));
        }
        neighbourhoods.push(NeighbourhoodTalent {
            name: nb.name,
            ladder: ladder
                .iter()
                .map(|(s, n)| LadderRow {
                    label: t.label(s),
                    count: *n,
                })
                .collect(),
            talents: talents.iter().map(|x| view(&t, x)).collect(),
        });
    }
    let budgets = BUDGETS
        .iter()
        .map(|b| (*b, t.get(format!("talent-budget-{b}"))))
        .collect();
    Ok(render_page(&ListPage {
        neighbourhoods,
        parents,
        budgets,
        f,
        p,
    }))
}

/// `GET /talent`: the ladder and the investments of the user's neighbourhoods, and the form
/// for a new one. Names parents and what was paid for them: who looked is on record.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    audit(
        &state,
        &user,
        Action::TalentViewed,
        Subject::none("talent"),
        "list",
    )
    .await;
    let f = FormData::parse(format!("talent_invested_on={}", crate::today()).as_bytes());
    list_page(&state, &ctx, &user, f, FormErrors::default()).await
}

/// `POST /talent`: a new investment and its return service.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    // The store checks the parent's reach; a refusal comes back to this field.
    let parent = e.choice(&t, &f, "talent_parent", |_| true);
    let draft = match TalentDraft::parse(
        &TalentForm {
            course: f.get("talent_course"),
            certificate: f.get("talent_certificate"),
            cost: f.get("talent_cost"),
            invested_on: f.get("talent_invested_on"),
            budget: f.get("talent_budget"),
            budget_other: f.get("talent_budget_other"),
            service: f.get("talent_service"),
            sessions_agreed: f.get("talent_sessions_agreed"),
        },
        crate::today(),
    ) {
        Ok(d) => Some(d),
        Err(errors) => {
            e.fields(&t, errors);
            None
        }
    };
    let (Some(parent), Some(draft)) = (parent, draft) else {
        return Ok(unprocessable(list_page(&state, &ctx, &user, f, e).await?));
    };
    let event = audit_event(&user, Action::TalentAdded, Subject::none("talent"), "");
    match state
        .store
        .add_talent(&user.tenant, Some(user.account.id), parent, &draft, event)
        .await
    {
        Ok(id) => Ok(redirect_with_flash(
            &state,
            &format!("/talent/{id}"),
            "flash-talent-added",
            &draft.course,
        )),
        Err(mtp_store::StoreError::NotFound) => {
            e.field(&t, "talent_parent", FieldError::ChoiceInvalid);
            Ok(unprocessable(list_page(&state, &ctx, &user, f, e).await?))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "talent_one.html")]
struct OnePage {
    p: Page,
    x: TalentView,
    choices: Vec<(Uuid, String)>,
    states: Vec<(&'static str, String)>,
    current: &'static str,
}

async fn one_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    x: &Talent,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "talent-one-title").with_errors(errors);
    let t = p.t;
    let choices = state
        .store
        .talent_session_choices(&user.tenant, x.id, Utc::now())
        .await?
        .iter()
        .map(|s| {
            (
                s.id,
                format!("{}, {}", s.activity_name, t.datetime(s.starts_at)),
            )
        })
        .collect();
    Ok(render_page(&OnePage {
        x: view(&t, x),
        choices,
        states: options(&t, TalentState::ALL),
        current: x.state.as_str(),
        p,
    }))
}

/// `GET /talent/{id}`: one investment, its sessions and its state.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let x = state.store.talent(&user.tenant, parse_id(&id)?).await?;
    audit(
        &state,
        &user,
        Action::TalentViewed,
        Subject::household(x.household_id, x.neighbourhood_id),
        &format!("talent={}", x.id),
    )
    .await;
    one_page(&state, &ctx, &user, &x, FormErrors::default()).await
}

/// `POST /talent/{id}/sessions`: link a session where the service is given.
pub async fn link_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let x = state.store.talent(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let session = match f.get("talent_session").trim() {
        "" => {
            e.field(&t, "talent_session", FieldError::Required);
            None
        }
        raw => match Uuid::parse_str(raw) {
            Ok(s) => Some(s),
            Err(_) => {
                e.field(&t, "talent_session", FieldError::ChoiceInvalid);
                None
            }
        },
    };
    let Some(session) = session else {
        return Ok(unprocessable(one_page(&state, &ctx, &user, &x, e).await?));
    };
    let event = audit_event(
        &user,
        Action::TalentSessionLinked,
        Subject::none("talent"),
        "",
    );
    match state
        .store
        .link_talent_session(&user.tenant, x.id, session, event)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/talent/{}", x.id),
            "flash-saved",
            "",
        )),
        Err(mtp_store::StoreError::NotFound) => {
            e.field(&t, "talent_session", FieldError::ChoiceInvalid);
            Ok(unprocessable(one_page(&state, &ctx, &user, &x, e).await?))
        }
        Err(err) => {
            e.refused(&t, "talent_session", err)?;
            Ok(unprocessable(one_page(&state, &ctx, &user, &x, e).await?))
        }
    }
}

/// `POST /talent/{id}/state`: agreed, in progress, fulfilled or released, by hand.
pub async fn set_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let x = state.store.talent(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let next = match TalentState::parse(f.get("talent_state")) {
        Ok(s) => s,
        Err(err) => {
            let mut e = FormErrors::default();
            e.field(&t, "talent_state", err);
            return Ok(unprocessable(one_page(&state, &ctx, &user, &x, e).await?));
        }
    };
    let event = audit_event(
        &user,
        Action::TalentStateChanged,
        Subject::none("talent"),
        "",
    );
    state
        .store
        .set_talent_state(&user.tenant, x.id, next, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/talent/{}", x.id),
        "flash-saved",
        "",
    ))
}

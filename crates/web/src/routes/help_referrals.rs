//! Referrals to help (issue #16, docs/guide/help-referrals.md): from a household's page a
//! worker refers the family on to help, records the parent's consent and takes the referral
//! through its steps (handbook §2.2). The rules are `mtp_domain::help_referral`; the store
//! checks reach for every id; these handlers parse, ask and render.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use mtp_domain::audit::Action;
use mtp_domain::consent::ConsentMethod;
use mtp_domain::effect::Due;
use mtp_domain::help_referral::{
    HelpKind, ReferralDraft, ReferralForm, ReferralOutcome, ReferralState, Step, StepDraft,
    StepError, StepForm, StepKind, parse_follow_up,
};
use mtp_store::{HelpReferral, Household};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

/// A referral as a card and as its page show it.
pub struct ReferralView {
    pub id: Uuid,
    pub household_id: Uuid,
    pub names: String,
    pub kind: String,
    pub partner: Option<(Uuid, String)>,
    pub reason: String,
    pub state: String,
    pub state_tag: &'static str,
    pub outcome: String,
    /// "Mondeling, 3 december 2026"; empty when none.
    pub consent: String,
    pub withdrawn: String,
    pub referred: String,
    pub first_contact: String,
    pub ended: String,
    pub follow_up: String,
    pub overdue: bool,
    pub open: bool,
}

pub fn state_tag(s: ReferralState) -> &'static str {
    match s {
        ReferralState::Proposed => "tag--neutral",
        ReferralState::Consented | ReferralState::Referred => "tag--info",
        ReferralState::FirstContact => "tag--present",
        ReferralState::Closed => "tag--neutral",
        ReferralState::Stopped => "tag--absent",
    }
}

fn view(t: &Tr, r: &HelpReferral, today: NaiveDate) -> ReferralView {
    let day = |d: Option<NaiveDate>| d.map(|d| t.day(d)).unwrap_or_default();
    let how = |c: Option<(ConsentMethod, NaiveDate)>| {
        c.map(|(m, d)| format!("{}, {}", t.label(&m), t.day(d)))
            .unwrap_or_default()
    };
    ReferralView {
        id: r.id,
        household_id: r.household_id,
        names: r.first_names.clone(),
        kind: t.label(&r.kind),
        partner: r.partner.clone(),
        reason: r.reason.clone(),
        state: t.label(&r.state),
        state_tag: state_tag(r.state),
        outcome: r.outcome.map(|o| t.label(&o)).unwrap_or_default(),
        consent: how(r.consent),
        withdrawn: how(r.withdrawn),
        referred: day(r.referred_on),
        first_contact: day(r.first_contact_on),
        ended: day(r.ended_on),
        follow_up: if r.state.is_open() {
            day(r.follow_up_on)
        } else {
            String::new()
        },
        overdue: r.state.is_open()
            && r.follow_up_on
                .is_some_and(|d| Due::of(d, today).is_overdue()),
        open: r.state.is_open(),
    }
}

fn names(h: &Household) -> String {
    h.parents
        .iter()
        .map(|p| p.first_name.as_str())
        .collect::<Vec<_>>()
        .join(" & ")
}

// ---------------------------------------------------------------- a household's referrals

#[derive(Template)]
#[template(path = "help_referrals.html")]
struct HouseholdPage {
    p: Page,
    household_id: Uuid,
    names: String,
    anonymised: bool,
    referrals: Vec<ReferralView>,
    kinds: Vec<(&'static str, String)>,
    partners: Vec<(Uuid, String)>,
    methods: Vec<(&'static str, String)>,
    consent_choices: Vec<(&'static str, String)>,
    f: FormData,
}

async fn household_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    h: &Household,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "help-title").with_errors(errors);
    let t = p.t;
    let today = crate::today();
    let referrals = state
        .store
        .help_referrals_of(&user.tenant, h.id)
        .await?
        .iter()
        .map(|r| view(&t, r, today))
        .collect();
    let partners = if h.anonymised {
        Vec::new()
    } else {
        state
            .store
            .partner_choices(&user.tenant, Some(h.neighbourhood_id))
            .await?
    };
    Ok(render_page(&HouseholdPage {
        household_id: h.id,
        names: names(h),
        anonymised: h.anonymised,
        referrals,
        kinds: options(&t, HelpKind::ALL),
        partners,
        methods: options(&t, ConsentMethod::ALL),
        consent_choices: vec![
            ("later", t.get("help-consent-later")),
            ("now", t.get("help-consent-now")),
        ],
        f,
        p,
    }))
}

/// The new-referral form starts with consent still to ask, and today as its day.
fn fresh_form() -> FormData {
    let body = format!(
        "help_consent=later&help_consent_method=verbal&help_consent_on={}",
        crate::today()
    );
    FormData::parse(body.as_bytes())
}

/// `GET /households/{id}/help-referrals`: the family's referrals and the form for a new one.
pub async fn of_household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &id).await?;
    // The page shows the family's names and why they were referred: who looked is on record.
    audit(
        &state,
        &user,
        Action::HelpReferralViewed,
        Subject::household(h.id, h.neighbourhood_id),
        "list",
    )
    .await;
    household_page(&state, &ctx, &user, &h, fresh_form(), FormErrors::default()).await
}

/// `POST /households/{id}/help-referrals`: a new referral.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &id).await?;
    if h.anonymised {
        // Nothing to add to an erased family: show what remains.
        return Ok(crate::views::erased(format!(
            "/households/{}/help-referrals",
            h.id
        )));
    }
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = ReferralForm {
        kind: f.get("help_kind"),
        partner: f.get("help_partner"),
        reason: f.get("help_reason"),
        consent: f.get("help_consent"),
        consent_method: f.get("help_consent_method"),
        consent_on: f.get("help_consent_on"),
        follow_up_on: f.get("help_follow_up_on"),
    };
    let draft = match ReferralDraft::parse(&form, crate::today()) {
        Ok(d) => d,
        Err(errors) => {
            e.fields(&t, errors);
            return Ok(unprocessable(
                household_page(&state, &ctx, &user, &h, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::HelpReferralCreated,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    match state
        .store
        .create_help_referral(&user.tenant, Some(user.account.id), h.id, &draft, event)
        .await
    {
        Ok(rid) => Ok(redirect_with_flash(
            &state,
            &format!("/help-referrals/{rid}"),
            "flash-help-created",
            &t.label(&draft.kind),
        )),
        Err(err) => {
            e.refused(&t, "help_partner", err)?;
            Ok(unprocessable(
                household_page(&state, &ctx, &user, &h, f, e).await?,
            ))
        }
    }
}

// ---------------------------------------------------------------- one referral

/// A step the page offers: what the form sends and its name.
pub struct StepChoice {
    pub value: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "help_referral.html")]
struct ReferralPage {
    p: Page,
    r: ReferralView,
    steps: Vec<StepChoice>,
    /// Whether one of the steps asks how the parent said it (consent, withdrawal).
    asks_method: bool,
    /// Whether closing is one of the steps.
    asks_outcome: bool,
    methods: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    f: FormData,
}

impl ReferralPage {
    fn chosen(&self, step: &str) -> bool {
        match self.f.get("step") {
            "" => self.steps.first().is_some_and(|s| s.value == step),
            sent => sent == step,
        }
    }
}

/// The name of a step on the form: withdrawing what was never given reads as "the parent
/// does not want it".
fn step_label(t: &Tr, from: ReferralState, k: StepKind) -> String {
    match (from, k) {
        (ReferralState::Proposed, StepKind::Withdraw) => t.get("help-step-decline"),
        _ => t.get(format!("help-step-{}", k.as_str())),
    }
}

async fn referral_page(
    ctx: &Ctx,
    r: &HelpReferral,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "help-referral-title").with_errors(errors);
    let t = p.t;
    let kinds = r.state.steps();
    Ok(render_page(&ReferralPage {
        r: view(&t, r, crate::today()),
        steps: kinds
            .iter()
            .map(|k| StepChoice {
                value: k.as_str(),
                label: step_label(&t, r.state, *k),
            })
            .collect(),
        asks_method: kinds
            .iter()
            .any(|k| matches!(k, StepKind::Consent | StepKind::Withdraw)),
        asks_outcome: kinds.contains(&StepKind::Close),
        methods: options(&t, ConsentMethod::ALL),
        outcomes: options(&t, ReferralOutcome::CHOSEN),
        f,
        p,
    }))
}

/// The step form starts on today, the parent's consent told in person.
fn fresh_step() -> FormData {
    let body = format!("step_on={}&step_method=verbal", crate::today());
    FormData::parse(body.as_bytes())
}

async fn referral(state: &AppState, user: &User, id: &str) -> Result<HelpReferral, AppError> {
    Ok(state
        .store
        .help_referral(&user.tenant, parse_id(id)?)
        .await?)
}

/// `GET /help-referrals/{id}`: one referral, its steps so far and the next one.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let r = referral(&state, &user, &id).await?;
    audit(
        &state,
        &user,
        Action::HelpReferralViewed,
        Subject::household(r.household_id, r.neighbourhood_id),
        &format!("referral={}", r.id),
    )
    .await;
    referral_page(&ctx, &r, fresh_step(), FormErrors::default()).await
}

fn step_action(step: Step) -> Action {
    match step {
        Step::Consent(_) => Action::HelpReferralConsented,
        Step::Withdraw(_) => Action::HelpReferralConsentWithdrawn,
        Step::Refer => Action::HelpReferralReferred,
        Step::FirstContact => Action::HelpReferralFirstContact,
        Step::Close(_) => Action::HelpReferralClosed,
    }
}

/// `POST /help-referrals/{id}/step`: the next step. A step that does not follow from where
/// the referral stands (sending without consent, anything after the end) is refused with a
/// message at the step's choice; nothing changes.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let r = referral(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = StepForm {
        step: f.get("step"),
        on: f.get("step_on"),
        method: f.get("step_method"),
        outcome: f.get("step_outcome"),
        follow_up_on: f.get("step_follow_up_on"),
    };
    let draft = match StepDraft::parse(&form, r.state, r.latest_step_on(), crate::today()) {
        Ok(d) => d,
        Err(StepError::Fields(errors)) => {
            e.fields(&t, errors);
            return Ok(unprocessable(referral_page(&ctx, &r, f, e).await?));
        }
        Err(StepError::Refused(refusal)) => {
            e.add("step", t.get(refusal.key()));
            return Ok(unprocessable(referral_page(&ctx, &r, f, e).await?));
        }
    };
    let event = audit_event(
        &user,
        step_action(draft.step),
        Subject::household(r.household_id, r.neighbourhood_id),
        "",
    );
    match state
        .store
        .help_referral_step(
            &user.tenant,
            Some(user.account.id),
            r.id,
            r.state,
            &draft,
            event,
        )
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/help-referrals/{}", r.id),
            &format!("flash-help-step-{}", draft.step.kind().as_str()),
            &r.first_names,
        )),
        Err(err) => {
            e.refused(&t, "step", err)?;
            // Someone else took a step: show the referral as it stands now.
            let now = referral(&state, &user, &id).await?;
            Ok(unprocessable(referral_page(&ctx, &now, f, e).await?))
        }
    }
}

/// `POST /help-referrals/{id}/follow-up`: another day to look at an open referral again.
pub async fn follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let r = referral(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let Some(on) = e.take(
        &t,
        "referral_follow_up_on",
        parse_follow_up(f.get("referral_follow_up_on"), crate::today()),
    ) else {
        return Ok(unprocessable(referral_page(&ctx, &r, f, e).await?));
    };
    let event = audit_event(
        &user,
        Action::HelpReferralFollowUpSet,
        Subject::household(r.household_id, r.neighbourhood_id),
        "",
    );
    match state
        .store
        .set_help_referral_follow_up(&user.tenant, r.id, on, event)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/help-referrals/{}", r.id),
            "flash-help-follow-up-set",
            &t.day(on),
        )),
        Err(err) => {
            e.refused(&t, "referral_follow_up_on", err)?;
            Ok(unprocessable(referral_page(&ctx, &r, f, e).await?))
        }
    }
}

// ---------------------------------------------------------------- figures for coordinators

/// How far back the figures look: a year of referrals.
const FIGURE_DAYS: i64 = 365;

/// One row of a figures table.
pub struct FigureRow {
    pub name: String,
    pub made: usize,
    pub sent: usize,
    pub first_contact: usize,
    pub help_started: usize,
    /// "12" or "–".
    pub days: String,
}

fn figure_row(name: String, l: &mtp_domain::help_referral::FigureLine) -> FigureRow {
    FigureRow {
        name,
        made: l.made,
        sent: l.sent,
        first_contact: l.first_contact,
        help_started: l.help_started,
        days: l
            .median_days_to_contact
            .map_or_else(|| "–".to_string(), |d| d.to_string()),
    }
}

/// One table: per kind of help, or per partner.
pub struct FigureTable {
    pub id: &'static str,
    pub caption: String,
    pub first_column: String,
    pub rows: Vec<FigureRow>,
}

#[derive(Template)]
#[template(path = "help_referral_figures.html")]
struct FiguresPage {
    p: Page,
    since: String,
    tables: Vec<FigureTable>,
    total: FigureRow,
}

/// `GET /help-referrals`: referrals out in figures, per kind of help and per partner, with the
/// days from sending to the first contact (docs/guide/help-referrals.md#figures).
pub async fn figures(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "help-figures-title");
    let t = p.t;
    let since = chrono::Utc::now() - chrono::Duration::days(FIGURE_DAYS);
    let rows = state
        .store
        .help_referral_figures(&user.tenant, since)
        .await?;
    let f = mtp_domain::help_referral::figures(&rows);
    let tables = vec![
        FigureTable {
            id: "by-kind",
            caption: t.get("help-figures-by-kind"),
            first_column: t.get("field-help-kind"),
            rows: f
                .by_kind
                .iter()
                .map(|(k, l)| figure_row(t.label(k), l))
                .collect(),
        },
        FigureTable {
            id: "by-partner",
            caption: t.get("help-figures-by-partner"),
            first_column: t.get("field-help-partner"),
            rows: f
                .by_partner
                .iter()
                .map(|(name, l)| {
                    figure_row(name.clone().unwrap_or_else(|| t.get("help-no-partner")), l)
                })
                .collect(),
        },
    ];
    Ok(render_page(&FiguresPage {
        since: t.date(since),
        tables,
        total: figure_row(t.get("help-figures-total"), &f.total),
        p,
    }))
}

// ---------------------------------------------------------------- in the parent's portal

/// A referral to help as the portal's data page says it, in the parents' words.
pub struct PortalHelpLine {
    pub what: String,
    pub to: String,
    pub state: String,
    pub since: String,
}

/// The family's own referrals to help, for its portal (docs/guide/help-referrals.md#in-the-portal).
pub(crate) async fn portal_lines(
    state: &AppState,
    t: &Tr,
    scope: &mtp_store::portal::PortalScope,
) -> Result<Vec<PortalHelpLine>, AppError> {
    Ok(state
        .store
        .portal_help_referrals(scope)
        .await?
        .into_iter()
        .map(|r| PortalHelpLine {
            what: t.get(format!("portal-help-kind-{}", r.kind.as_str())),
            to: match r.partner {
                Some(name) => t.get1("portal-help-to", "name", name.as_str()),
                None => t.get("portal-help-no-partner"),
            },
            state: t.get(format!("portal-help-state-{}", r.state.as_str())),
            since: t.get1("portal-help-since", "date", t.date(r.since).as_str()),
        })
        .collect())
}

//! The parent portal (`/portal`): sign in with a link, say whether you come, ideas, your own
//! data and consents. One question per page, plain words, no JavaScript needed (docs/ui.md §3.7).
//!
//! Every handler takes the household from the portal session (`ctx.parent`), never from the
//! URL; ids in a URL name a session or an idea, and the store checks they belong to the
//! household's neighbourhood and audience.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use mtp_domain::attendance::{AbsenceReason, SessionState};
use mtp_domain::audit::Action;
use mtp_domain::consent::latest;
use mtp_domain::portal::{
    ContactKey, IdeaKind, IdeaTitle, LINK_REQUESTS_PER_CONTACT, LINK_REQUESTS_PER_IP, MAX_CHILDREN,
    Pin, parent_may_change,
};
use mtp_domain::{Email, FieldError, PhoneNumber, PhotoPolicy, Purpose};
use mtp_store::calendar::Feed;
use mtp_store::portal::{ContactChange, ErasureStatus, LinkState, Offer, PortalVisitor, Unlock};
use mtp_store::ratelimit::{self, Slot};
use mtp_store::{RsvpLine, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::audit::{audit_parent, parent_event};
use crate::ctx::{Ctx, PORTAL_COOKIE, set_cookie};
use crate::error::AppError;
use crate::extract::Parent;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::{redirect_with_flash, with_cookie};
use crate::views::{IdeaView, idea_views};

/// The portal cookie outlives the session on purpose: the server decides when it ends.
const COOKIE_DAYS: i64 = 400;
/// How far ahead "what is coming" looks.
const AHEAD_WEEKS: i64 = 8;

/// One session as a card: every text worked out here, so the template only places it.
pub struct OfferView {
    pub id: String,
    pub name: String,
    pub when: String,
    pub place: String,
    pub address: String,
    pub accessibility: String,
    pub description: String,
    pub cost: String,
    pub childcare: bool,
    pub cancelled: bool,
    /// Still ahead and not cancelled: the answer buttons show.
    pub open: bool,
    /// "Je komt, met 2 kinderen" / "Je komt niet" / "".
    pub answer: String,
    pub coming: Option<bool>,
    pub children: u32,
    pub wants_childcare: bool,
    pub reason: String,
}

fn offer_view(t: &Tr, o: &Offer) -> OfferView {
    let s = &o.session;
    let now = Utc::now();
    let today = now
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let day = s
        .starts_at
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let relative = if day == today {
        format!(" ({})", t.get("portal-today"))
    } else if Some(day) == today.succ_opt() {
        format!(" ({})", t.get("portal-tomorrow"))
    } else {
        String::new()
    };
    let answer = match &o.answer {
        Some(a) if a.coming && a.children > 0 => {
            t.get1("portal-answer-coming-with", "count", a.children)
        }
        Some(a) if a.coming => t.get("portal-answer-coming"),
        Some(_) => t.get("portal-answer-not-coming"),
        None => String::new(),
    };
    OfferView {
        id: s.id.to_string(),
        name: s.activity_name.clone(),
        when: format!(
            "{}{relative}, {}",
            t.date(s.starts_at),
            t.times(s.starts_at, s.ends_at)
        ),
        place: s.place.clone(),
        address: s.address.clone(),
        accessibility: o.accessibility.clone(),
        description: o.description.clone(),
        cost: t.money(o.cost.cents()),
        childcare: o.childcare,
        cancelled: s.state == SessionState::Cancelled,
        open: mtp_store::portal::open_for_answers(s, now),
        answer,
        coming: o.answer.as_ref().map(|a| a.coming),
        children: o.answer.as_ref().map(|a| a.children).unwrap_or(0),
        wants_childcare: o.answer.as_ref().is_some_and(|a| a.childcare),
        reason: o
            .answer
            .as_ref()
            .and_then(|a| a.reason.clone())
            .unwrap_or_default(),
    }
}

// ---- signing in -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_login.html")]
struct LoginPage {
    p: Page,
    contact: String,
    sent: bool,
    limited: bool,
}

pub async fn login_form(ctx: Ctx) -> Result<Response, AppError> {
    if ctx.parent.is_some() {
        return Ok(Redirect::to("/portal").into_response());
    }
    Ok(render_page(&LoginPage {
        p: Page::new(&ctx, "portal-login-title"),
        contact: String::new(),
        sent: false,
        limited: false,
    }))
}

/// A parent asks for a new link. The answer is the same whether we know the address or
/// number or not, so the page cannot be used to find out who takes part.
pub async fn login_request(
    State(state): State<AppState>,
    ctx: Ctx,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let raw = f.get("contact").trim().to_string();
    let key = match ContactKey::parse(&raw) {
        Ok(k) => k,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.field(&t, "contact", e);
            return Ok(unprocessable(render_page(&LoginPage {
                p: Page::new(&ctx, "portal-login-title").with_errors(errors),
                contact: raw,
                sent: false,
                limited: false,
            })));
        }
    };
    let by_contact = ratelimit::key(&state.secret, "portal-link", key.limiter_value());
    let by_ip = ratelimit::key(&state.secret, "portal-link-ip", &ratelimit::network(ctx.ip));
    // Every request takes its slots before anything is looked up, so requests sent side by
    // side cannot all pass; a request refused by the second limit gives the first slot back.
    let limited = match state.store.take_slot(&by_ip, LINK_REQUESTS_PER_IP).await? {
        Slot::Full { .. } => true,
        Slot::Taken { id: ip_slot, .. } => {
            match state
                .store
                .take_slot(&by_contact, LINK_REQUESTS_PER_CONTACT)
                .await?
            {
                Slot::Taken { .. } => false,
                Slot::Full { .. } => {
                    state.store.give_back_slots(&[ip_slot]).await?;
                    true
                }
            }
        }
    };
    if limited {
        return Ok(render_page(&LoginPage {
            p: Page::new(&ctx, "portal-login-title"),
            contact: String::new(),
            sent: false,
            limited: true,
        }));
    }
    for link in state.store.request_portal_link(&key).await? {
        let mt = Tr::new(link.lang.unwrap_or(ctx.lang));
        let url = format!("{}/portal/link/{}", state.cfg.public_url, link.token);
        let text = mt.get2(
            "portal-link-mail-text",
            ("name", &link.first_name),
            ("url", &url),
        );
        match state
            .store
            .queue_portal_link_mail(&link, &mt.get("portal-link-mail-subject"), &text)
            .await
        {
            Ok(_) | Err(StoreError::Refused(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render_page(&LoginPage {
        p: Page::new(&ctx, "portal-login-sent-title"),
        contact: String::new(),
        sent: true,
        limited: false,
    }))
}

#[derive(Template)]
#[template(path = "portal_link.html")]
struct LinkPage {
    p: Page,
    token: String,
    state: &'static str,
    message: String,
}

/// The shape of a one-time link's secret (64 hex digits); also the referral links'.
pub(crate) fn valid_token(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit())
}

fn link_state_key(s: LinkState) -> &'static str {
    match s {
        LinkState::Valid => "valid",
        LinkState::Expired => "expired",
        LinkState::Used => "used",
        LinkState::Unknown => "unknown",
    }
}

/// The page behind a link: one button. Following the link alone signs nobody in, so a mail
/// program that opens links to scan them does not use it up.
pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let link = if valid_token(&token) {
        state.store.portal_link_state(&token).await?
    } else {
        LinkState::Unknown
    };
    let title = if link == LinkState::Valid {
        "portal-link-title"
    } else {
        "portal-link-expired-title"
    };
    Ok(render_page(&LinkPage {
        p: Page::new(&ctx, title),
        token: if link == LinkState::Valid {
            token
        } else {
            String::new()
        },
        state: link_state_key(link),
        message: format!("portal-link-{}", link_state_key(link)),
    }))
}

pub async fn link_sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if !valid_token(&token) {
        return Err(AppError::NotFound);
    }
    match state.store.use_portal_link(&token).await? {
        Ok((session, scope)) => {
            // The phone's earlier portal session (another household's link opened on a
            // shared phone) ends here, so one phone is one household at a time.
            if let Some(old) = &ctx.portal_token {
                state.store.end_portal_session(old).await?;
            }
            audit_parent(&state, &scope, Action::PortalSignIn, "").await;
            let res = redirect_with_flash(&state, "/portal", "flash-portal-welcome", "");
            Ok(with_cookie(
                res,
                set_cookie(
                    &state,
                    PORTAL_COOKIE,
                    &session,
                    Some(COOKIE_DAYS * 24 * 3600),
                ),
            ))
        }
        Err(link) => {
            let mut res = render_page(&LinkPage {
                p: Page::new(&ctx, "portal-link-expired-title"),
                token: String::new(),
                state: link_state_key(link),
                message: format!("portal-link-{}", link_state_key(link)),
            });
            *res.status_mut() = axum::http::StatusCode::GONE;
            Ok(res)
        }
    }
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(token) = &ctx.portal_token {
        state.store.end_portal_session(token).await?;
        if let Some(v) = &ctx.parent {
            audit_parent(&state, &v.scope, Action::PortalSignOut, "").await;
        }
    }
    let res = redirect_with_flash(&state, "/portal/login", "flash-portal-signed-out", "");
    Ok(with_cookie(
        res,
        set_cookie(&state, PORTAL_COOKIE, "", Some(0)),
    ))
}

#[derive(Template)]
#[template(path = "portal_unlock.html")]
struct UnlockPage {
    p: Page,
}

pub async fn unlock_form(ctx: Ctx, Parent(v): Parent) -> Result<Response, AppError> {
    if !v.locked {
        return Ok(Redirect::to("/portal").into_response());
    }
    Ok(render_page(&UnlockPage {
        p: Page::new(&ctx, "portal-unlock-title"),
    }))
}

pub async fn unlock(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let token = ctx.portal_token.clone().ok_or(AppError::Forbidden)?;
    let t = Tr::new(ctx.lang);
    let mut errors = FormErrors::default();
    let Some(pin) = errors.take(&t, "pin", Pin::parse(f.get("pin"))) else {
        return Ok(unprocessable(render_page(&UnlockPage {
            p: Page::new(&ctx, "portal-unlock-title").with_errors(errors),
        })));
    };
    let outcome = state.store.unlock_portal(&token, &pin).await?;
    match outcome {
        Unlock::Open => Ok(Redirect::to("/portal").into_response()),
        Unlock::Wrong { left } => {
            audit_parent(&state, &v.scope, Action::PortalPinWrong, "").await;
            errors.add("pin", t.get1("portal-pin-wrong", "count", left));
            Ok(unprocessable(render_page(&UnlockPage {
                p: Page::new(&ctx, "portal-unlock-title").with_errors(errors),
            })))
        }
        Unlock::LockedOut | Unlock::SignedOut => {
            // Only the try that ended the session is audited; tries sent alongside it find
            // the session ended.
            if outcome == Unlock::LockedOut {
                audit_parent(&state, &v.scope, Action::PortalPinLockedOut, "").await;
            }
            let res = redirect_with_flash(&state, "/portal/login", "flash-portal-pin-locked", "");
            Ok(with_cookie(
                res,
                set_cookie(&state, PORTAL_COOKIE, "", Some(0)),
            ))
        }
    }
}

// ---- home and activities ----------------------------------------------------------------

/// One consent as a line: what it is for and whether it is given.
pub struct ConsentView {
    pub purpose: &'static str,
    pub label: String,
    pub state: String,
    pub given: bool,
    pub changeable: bool,
}

fn consent_views(t: &Tr, records: &[mtp_domain::ConsentRecord]) -> Vec<ConsentView> {
    Purpose::ALL
        .into_iter()
        .map(|purpose| {
            let last = latest(records, purpose);
            ConsentView {
                purpose: purpose.as_str(),
                // The portal's own words, never the staff label (docs/glossary.md).
                label: t.get(format!("portal-consent-label-{}", purpose.as_str())),
                state: t.get(match last {
                    Some(r) if r.given => "portal-consent-yes",
                    Some(_) => "portal-consent-no",
                    None => "portal-consent-not-asked",
                }),
                given: last.is_some_and(|r| r.given),
                changeable: parent_may_change(purpose),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    p: Page,
    hello: String,
    next: Option<OfferView>,
    later: Vec<OfferView>,
    consents: Vec<ConsentView>,
    erasure_requested: bool,
    contact: Option<ContactView>,
}

/// Who the family can reach: the neighbourhood's contact person (docs/ui.md §3.7 "Contact").
pub struct ContactView {
    pub name: String,
    pub phone: String,
    pub tel: String,
    pub whatsapp: String,
}

/// The neighbourhood's contact person as the family sees them, when one is set.
pub(crate) async fn contact_view(
    state: &AppState,
    v: &PortalVisitor,
) -> Result<Option<ContactView>, AppError> {
    Ok(state
        .store
        .portal_contact(&v.scope)
        .await?
        .map(|(name, phone)| ContactView {
            name,
            phone: phone.as_ref().map(|p| p.display()).unwrap_or_default(),
            tel: phone
                .as_ref()
                .map(mtp_domain::message::tel_link)
                .unwrap_or_default(),
            whatsapp: phone
                .as_ref()
                .filter(|p| p.is_mobile())
                .map(|p| mtp_domain::message::whatsapp_link(p, ""))
                .unwrap_or_default(),
        }))
}

pub async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let now = Utc::now();
    let offers = state
        .store
        .portal_offers(&v.scope, now, now + Duration::weeks(AHEAD_WEEKS), 6)
        .await?;
    let mut views: Vec<OfferView> = offers.iter().map(|o| offer_view(&t, o)).collect();
    let next_at = views.iter().position(|o| o.open);
    let next = next_at.map(|i| views.remove(i));
    let consents = consent_views(&t, &state.store.portal_consents(&v.scope).await?);
    let erasure_requested = state.store.portal_erasure_requested(&v.scope).await?;
    let contact = contact_view(&state, &v).await?;
    audit_parent(&state, &v.scope, Action::PortalHomeViewed, "").await;
    Ok(render_page(&HomePage {
        contact,
        hello: t.get1("portal-hello", "name", &v.first_name),
        p: Page::new(&ctx, "portal-home-title"),
        next,
        later: views.into_iter().take(5).collect(),
        consents,
        erasure_requested,
    }))
}

#[derive(Template)]
#[template(path = "portal_activities.html")]
struct ActivitiesPage {
    p: Page,
    offers: Vec<OfferView>,
}

pub async fn activities(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let now = Utc::now();
    let offers = state
        .store
        .portal_offers(&v.scope, now, now + Duration::weeks(AHEAD_WEEKS), 60)
        .await?;
    Ok(render_page(&ActivitiesPage {
        p: Page::new(&ctx, "portal-activities-title"),
        offers: offers.iter().map(|o| offer_view(&t, o)).collect(),
    }))
}

#[derive(Deserialize)]
pub struct AnswerQuery {
    #[serde(default)]
    answer: String,
}

#[derive(Template)]
#[template(path = "portal_answer.html")]
struct AnswerPage {
    p: Page,
    o: OfferView,
    /// "yes" / "no" / "": which answer the form starts with.
    choice: String,
    children: Vec<u32>,
    reasons: Vec<(&'static str, String)>,
}

fn answer_page(ctx: &Ctx, t: &Tr, o: &Offer, choice: &str, errors: FormErrors) -> Response {
    let view = offer_view(t, o);
    let choice = match choice {
        "yes" | "no" => choice.to_string(),
        _ => match view.coming {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
    };
    let mut p = Page::new(ctx, "portal-answer-title").with_errors(errors);
    p.title = view.name.clone();
    render_page(&AnswerPage {
        p,
        o: view,
        choice,
        children: (0..=MAX_CHILDREN).collect(),
        reasons: options(t, AbsenceReason::ALL),
    })
}

/// A session, with the question "Kom je?".
pub async fn answer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<AnswerQuery>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let o = state.store.portal_offer(&v.scope, parse_id(&id)?).await?;
    Ok(answer_page(&ctx, &t, &o, &q.answer, FormErrors::default()))
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let session_id = parse_id(&id)?;
    let o = state.store.portal_offer(&v.scope, session_id).await?;
    let mut errors = FormErrors::default();
    let coming = match f.get("answer") {
        "yes" => Some(true),
        "no" => Some(false),
        "" => {
            errors.add("answer", t.get("portal-error-answer"));
            None
        }
        _ => return Err(AppError::BadRequest),
    };
    let children = match f.get("children").trim() {
        "" => Some(0),
        raw => match raw.parse::<u32>() {
            Ok(n) if n <= MAX_CHILDREN => Some(n),
            _ => {
                errors.field(&t, "children", FieldError::NumberInvalid);
                None
            }
        },
    };
    let reason = match f.get("reason") {
        "" => None,
        raw => match AbsenceReason::parse(raw) {
            Ok(r) => Some(r.as_str().to_string()),
            Err(_) => return Err(AppError::BadRequest),
        },
    };
    let (Some(coming), Some(children)) = (coming, children) else {
        return Ok(unprocessable(answer_page(
            &ctx,
            &t,
            &o,
            f.get("answer"),
            errors,
        )));
    };
    let line = RsvpLine {
        coming,
        reason: if coming { None } else { reason },
        children: if coming { children } else { 0 },
        childcare: coming && o.childcare && f.get("childcare") == "yes",
    };
    let detail = format!(
        "{}:{}",
        if coming { "coming" } else { "not-coming" },
        line.children
    );
    let event = parent_event(&v.scope, Action::PortalAnswer, &detail);
    match state
        .store
        .portal_answer(&v.scope, session_id, &line, event)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Refused(key)) => {
            errors.add("answer", t.get(key));
            return Ok(unprocessable(answer_page(
                &ctx,
                &t,
                &o,
                f.get("answer"),
                errors,
            )));
        }
        Err(e) => return Err(e.into()),
    }
    let flash = if coming {
        "flash-portal-coming"
    } else {
        "flash-portal-not-coming"
    };
    Ok(redirect_with_flash(
        &state,
        &format!("/portal/sessions/{session_id}"),
        flash,
        &o.session.activity_name,
    ))
}

/// One session as a calendar file, to add to the phone's calendar.
pub async fn session_ics(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let o = state.store.portal_offer(&v.scope, parse_id(&id)?).await?;
    let mut res = crate::feed::ics(Feed {
        name: o.session.activity_name.clone(),
        sessions: vec![o.session],
    });
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"meet-the-parents.ics\""),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "portal_calendar.html")]
struct CalendarPage {
    p: Page,
    has_feed: bool,
    https_url: String,
    webcal_url: String,
}

pub async fn calendar_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    Ok(render_page(&CalendarPage {
        p: Page::new(&ctx, "portal-calendar-title"),
        has_feed: state.store.portal_has_calendar_feed(&v.scope).await?,
        https_url: String::new(),
        webcal_url: String::new(),
    }))
}

/// Make the household's calendar address and show it once.
pub async fn calendar_address(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let event = parent_event(&v.scope, Action::PortalCalendarAddress, "");
    let token = state.store.portal_calendar_feed(&v.scope, event).await?;
    let https_url = format!("{}/calendar/{token}.ics", state.cfg.public_url);
    let webcal_url = crate::routes::calendar::webcal(&https_url);
    Ok(render_page(&CalendarPage {
        p: Page::new(&ctx, "portal-calendar-title"),
        has_feed: true,
        https_url,
        webcal_url,
    }))
}

// ---- ideas ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_ideas.html")]
struct IdeasPage {
    p: Page,
    ideas: Vec<IdeaView>,
    kinds: Vec<(&'static str, String)>,
    kind: String,
    title: String,
}

async fn ideas_page(
    state: &AppState,
    ctx: &Ctx,
    v: &PortalVisitor,
    errors: FormErrors,
    kind: &str,
    title: &str,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let ideas = state.store.portal_ideas(&v.scope).await?;
    Ok(render_page(&IdeasPage {
        p: Page::new(ctx, "portal-ideas-title").with_errors(errors),
        ideas: idea_views(&t, &ideas),
        kinds: options(&t, IdeaKind::ALL),
        kind: kind.to_string(),
        title: title.to_string(),
    }))
}

pub async fn ideas(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    ideas_page(&state, &ctx, &v, FormErrors::default(), "", "").await
}

pub async fn add_idea(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut errors = FormErrors::default();
    let kind = errors.take(&t, "kind", IdeaKind::parse(f.get("kind")));
    let title = errors.take(&t, "idea", IdeaTitle::parse(f.get("idea")));
    let (Some(kind), Some(title)) = (kind, title) else {
        return Ok(unprocessable(
            ideas_page(&state, &ctx, &v, errors, f.get("kind"), f.get("idea")).await?,
        ));
    };
    let event = parent_event(&v.scope, Action::PortalIdeaAdded, kind.as_str());
    state
        .store
        .add_idea(&v.scope, kind, &title, Some(event))
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/portal/ideas",
        "flash-portal-idea",
        "",
    ))
}

pub async fn vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let idea_id = parse_id(&id)?;
    let event = |now_voting: bool| {
        let action = if now_voting {
            Action::PortalIdeaVote
        } else {
            Action::PortalIdeaUnvote
        };
        parent_event(&v.scope, action, "")
    };
    state
        .store
        .toggle_idea_vote(&v.scope, idea_id, Some(&event))
        .await?;
    Ok(Redirect::to(&format!("/portal/ideas#idee-{idea_id}")).into_response())
}

// ---- consents ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_consents.html")]
struct ConsentsPage {
    p: Page,
    consents: Vec<ConsentView>,
}

pub async fn consents(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let records = state.store.portal_consents(&v.scope).await?;
    audit_parent(&state, &v.scope, Action::PortalConsentsViewed, "").await;
    Ok(render_page(&ConsentsPage {
        p: Page::new(&ctx, "portal-consents-title"),
        consents: consent_views(&t, &records),
    }))
}

fn changeable_purpose(raw: &str) -> Result<Purpose, AppError> {
    Purpose::parse(raw)
        .filter(|p| parent_may_change(*p))
        .ok_or(AppError::NotFound)
}

/// Which step of the consent flow a page shows.
#[derive(PartialEq, Eq)]
enum ConsentStep {
    Question,
    Check,
    Done,
}

#[derive(Template)]
#[template(path = "portal_consent.html")]
struct ConsentPage {
    p: Page,
    step: ConsentStep,
    purpose: &'static str,
    question: String,
    explain: String,
    /// The answer on the check and done pages: "yes" / "no".
    given: String,
    summary: String,
    now: String,
}

fn consent_page(
    ctx: &Ctx,
    purpose: Purpose,
    step: ConsentStep,
    given: Option<bool>,
    photos: PhotoPolicy,
    errors: FormErrors,
) -> Response {
    let t = Tr::new(ctx.lang);
    let key = purpose.as_str();
    let question = t.get(format!("portal-consent-question-{key}"));
    let title = match step {
        ConsentStep::Question => "portal-consent-title",
        ConsentStep::Check => "portal-consent-check-title",
        ConsentStep::Done => "portal-consent-done-title",
    };
    let mut p = Page::new(ctx, title).with_errors(errors);
    if step == ConsentStep::Question {
        p.title = question.clone();
    }
    let yes_no = if given == Some(true) { "yes" } else { "no" };
    render_page(&ConsentPage {
        p,
        step,
        purpose: key,
        explain: t.get(format!("portal-consent-explain-{key}")),
        question,
        given: given.map(|_| yes_no.to_string()).unwrap_or_default(),
        summary: t.get(format!("portal-consent-answer-{yes_no}")),
        now: consent_now(&t, purpose, given == Some(true), photos),
    })
}

/// What happens now that the parent answered, in their words. Withdrawing photo consent says
/// what the organisation really does with photos already taken (its setting), never more.
fn consent_now(t: &Tr, purpose: Purpose, given: bool, photos: PhotoPolicy) -> String {
    match (purpose, given) {
        (Purpose::Photos, false) => {
            t.get(format!("portal-consent-now-photos-no-{}", photos.as_str()))
        }
        (_, given) => t.get(format!(
            "portal-consent-now-{}-{}",
            purpose.as_str(),
            if given { "yes" } else { "no" }
        )),
    }
}

async fn photo_policy(state: &AppState, v: &PortalVisitor) -> Result<PhotoPolicy, AppError> {
    Ok(state.store.organisation(v.scope.org_id()).await?.photos)
}

pub async fn consent_question(
    ctx: Ctx,
    Path(raw): Path<String>,
    Parent(_): Parent,
) -> Result<Response, AppError> {
    let purpose = changeable_purpose(&raw)?;
    Ok(consent_page(
        &ctx,
        purpose,
        ConsentStep::Question,
        None,
        PhotoPolicy::default(),
        FormErrors::default(),
    ))
}

fn given_of(f: &FormData) -> Result<Option<bool>, AppError> {
    match f.get("given") {
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        "" => Ok(None),
        _ => Err(AppError::BadRequest),
    }
}

/// The answer to the question, shown back with one button to confirm (the check page).
pub async fn consent_check(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let purpose = changeable_purpose(&raw)?;
    let t = Tr::new(ctx.lang);
    match given_of(&f)? {
        Some(given) => Ok(consent_page(
            &ctx,
            purpose,
            ConsentStep::Check,
            Some(given),
            photo_policy(&state, &v).await?,
            FormErrors::default(),
        )),
        None => {
            let mut errors = FormErrors::default();
            errors.add("given", t.get("portal-error-yes-no"));
            Ok(unprocessable(consent_page(
                &ctx,
                purpose,
                ConsentStep::Question,
                None,
                PhotoPolicy::default(),
                errors,
            )))
        }
    }
}

pub async fn consent_confirm(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let purpose = changeable_purpose(&raw)?;
    let given = given_of(&f)?.ok_or(AppError::BadRequest)?;
    let action = if given {
        Action::PortalConsentGiven
    } else {
        Action::PortalConsentWithdrawn
    };
    let event = parent_event(&v.scope, action, purpose.as_str());
    state
        .store
        .portal_set_consent(&v.scope, purpose, given, event)
        .await?;
    Ok(Redirect::to(&format!("/portal/consents/{}/done", purpose.as_str())).into_response())
}

pub async fn consent_done(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let purpose = changeable_purpose(&raw)?;
    let records = state.store.portal_consents(&v.scope).await?;
    let given = latest(&records, purpose).map(|r| r.given);
    Ok(consent_page(
        &ctx,
        purpose,
        ConsentStep::Done,
        Some(given.unwrap_or(false)),
        photo_policy(&state, &v).await?,
        FormErrors::default(),
    ))
}

// ---- my data -------------------------------------------------------------------------------

pub struct ParentView {
    pub id: String,
    pub phone_id: String,
    pub email_id: String,
    pub name: String,
    pub phone: String,
    pub phone_raw: String,
    pub email: String,
    pub channel: String,
}

#[derive(Template)]
#[template(path = "portal_data.html")]
struct DataPage {
    p: Page,
    parents: Vec<ParentView>,
    children: Vec<String>,
    kind: String,
    neighbourhood: String,
    since: String,
    visits: usize,
    consents: Vec<ConsentView>,
    erasure_requested: bool,
    /// The latest erasure request was refused: the erase page says why.
    erasure_refused: bool,
    has_pin: bool,
    /// The family's referrals to help (docs/guide/help-referrals.md#in-the-portal).
    help: Vec<crate::routes::help_referrals::PortalHelpLine>,
}

fn parent_views(t: &Tr, h: &mtp_store::Household) -> Vec<ParentView> {
    h.parents
        .iter()
        .enumerate()
        .map(|(i, p)| ParentView {
            id: p.id.to_string(),
            phone_id: format!("p{i}_phone"),
            email_id: format!("p{i}_email"),
            name: p.full_name(),
            phone: p.phone.as_ref().map(|n| n.display()).unwrap_or_default(),
            phone_raw: p.phone.as_ref().map(|n| n.display()).unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            channel: t.label(&p.channel),
        })
        .collect()
}

/// A child as the family's pages show it: "Noor (maart 2019)".
fn child_line(t: &Tr, c: &mtp_store::Child) -> String {
    format!(
        "{} ({} {})",
        c.first_name,
        t.month(c.birth.month),
        c.birth.year
    )
}

pub async fn data(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let h = state.store.portal_household(&v.scope).await?;
    let visits = state.store.portal_visits(&v.scope).await?;
    let erasure = state.store.portal_erasure_status(&v.scope).await?;
    let help = crate::routes::help_referrals::portal_lines(&state, &t, &v.scope).await?;
    audit_parent(&state, &v.scope, Action::PortalDataViewed, "").await;
    Ok(render_page(&DataPage {
        help,
        p: Page::new(&ctx, "portal-data-title"),
        parents: parent_views(&t, &h),
        children: h.children.iter().map(|c| child_line(&t, c)).collect(),
        kind: t.get(format!("portal-kind-{}", h.kind.as_str())),
        neighbourhood: h.neighbourhood_name.clone(),
        since: t.date(h.created_at),
        visits,
        consents: consent_views(&t, &h.consents),
        erasure_requested: matches!(erasure, ErasureStatus::Open { .. }),
        erasure_refused: matches!(erasure, ErasureStatus::Refused { .. }),
        has_pin: v.has_pin,
    }))
}

/// One line of the readable record: a label and its value.
pub struct RecordLine {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "portal_data_all.html")]
struct DataAllPage {
    p: Page,
    parents: Vec<(String, Vec<RecordLine>)>,
    family: Vec<RecordLine>,
    consents: Vec<RecordLine>,
    visits: Vec<RecordLine>,
}

/// The right of access as a page a parent can read, print or save as PDF on a phone: the same
/// facts as the JSON download (docs/guide/portal.md, "My data"), in words.
pub async fn data_all(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let h = state.store.portal_household(&v.scope).await?;
    let attendance = state.store.portal_attendance(&v.scope).await?;
    audit_parent(&state, &v.scope, Action::PortalDataViewed, "all").await;
    let line = |label: &str, value: String| RecordLine {
        label: t.get(label),
        value: if value.trim().is_empty() {
            t.get("portal-none")
        } else {
            value
        },
    };
    let parents = h
        .parents
        .iter()
        .map(|p| {
            let days = p
                .free_days
                .iter()
                .filter_map(|d| chrono::Weekday::try_from(*d).ok())
                .map(|d| t.weekday(d))
                .collect::<Vec<_>>()
                .join(", ");
            (
                p.full_name(),
                vec![
                    line(
                        "portal-phone",
                        p.phone.as_ref().map(|n| n.display()).unwrap_or_default(),
                    ),
                    line("portal-email", p.email.clone().unwrap_or_default()),
                    line("portal-channel", t.label(&p.channel)),
                    line("portal-languages", p.languages.clone()),
                    line("portal-free-days", days),
                ],
            )
        })
        .collect();
    let children = h
        .children
        .iter()
        .map(|c| child_line(&t, c))
        .collect::<Vec<_>>()
        .join(", ");
    let family = vec![
        line("portal-children", children),
        line(
            "portal-family-kind",
            t.get(format!("portal-kind-{}", h.kind.as_str())),
        ),
        line("portal-neighbourhood", h.neighbourhood_name.clone()),
        line("portal-postcode", h.postcode4.clone().unwrap_or_default()),
        line("portal-interests", h.interests.clone()),
        line("portal-talents", h.talents.clone()),
        line("portal-since", t.date(h.created_at)),
        // The partner organisation the family came through (issue #16).
        line(
            "portal-came-through",
            h.source_partner_org
                .as_ref()
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        ),
    ];
    let mut consents: Vec<RecordLine> = h
        .consents
        .iter()
        .map(|c| RecordLine {
            label: t.get(format!("portal-consent-label-{}", c.purpose.as_str())),
            value: format!(
                "{}: {} ({})",
                t.date(c.at),
                t.get(if c.given {
                    "portal-consent-yes"
                } else {
                    "portal-consent-no"
                }),
                t.label(&c.method)
            ),
        })
        .collect();
    consents.reverse();
    let visits = attendance
        .iter()
        .map(|(s, a)| RecordLine {
            label: format!("{} {}", t.date(s.starts_at), s.activity_name),
            value: t.label(&a.status),
        })
        .collect();
    Ok(render_page(&DataAllPage {
        p: Page::new(&ctx, "portal-data-all-title"),
        parents,
        family,
        consents,
        visits,
    }))
}

/// Everything recorded about the household as a JSON file (the right of access).
pub async fn download(
    State(state): State<AppState>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let export = state.store.portal_export(&v.scope).await?;
    audit_parent(&state, &v.scope, Action::PortalDataDownloaded, "").await;
    let body = serde_json::to_string_pretty(&export).map_err(|_| AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mijn-gegevens.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "portal_contact.html")]
struct ContactPage {
    p: Page,
    parents: Vec<ParentView>,
}

pub async fn contact_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let h = state.store.portal_household(&v.scope).await?;
    Ok(render_page(&ContactPage {
        p: Page::new(&ctx, "portal-contact-title"),
        parents: parent_views(&t, &h),
    }))
}

/// Correct phone numbers and e-mail addresses. Field names carry the parent's position
/// (`p0_phone`), and the store checks that each parent is of this household.
pub async fn contact_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let h = state.store.portal_household(&v.scope).await?;
    let mut errors = FormErrors::default();
    let mut changes = Vec::new();
    for (i, p) in h.parents.iter().enumerate() {
        let phone_field = format!("p{i}_phone");
        let email_field = format!("p{i}_email");
        let phone = errors.take(
            &t,
            &phone_field,
            PhoneNumber::parse_optional(f.get(&phone_field)),
        );
        let email = match f.get(&email_field).trim() {
            "" => Some(None),
            raw => errors.take(&t, &email_field, Email::parse(raw)).map(Some),
        };
        if let (Some(phone), Some(email)) = (phone, email) {
            changes.push(ContactChange {
                parent_id: p.id,
                phone,
                email,
            });
        }
    }
    if !errors.is_empty() {
        let mut parents = parent_views(&t, &h);
        for (i, pv) in parents.iter_mut().enumerate() {
            pv.phone_raw = f.get(&format!("p{i}_phone")).to_string();
            pv.email = f.get(&format!("p{i}_email")).to_string();
        }
        return Ok(unprocessable(render_page(&ContactPage {
            p: Page::new(&ctx, "portal-contact-title").with_errors(errors),
            parents,
        })));
    }
    let event = parent_event(&v.scope, Action::PortalContactChanged, "");
    state
        .store
        .portal_update_contacts(&v.scope, &changes, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/portal/data",
        "flash-portal-contact",
        "",
    ))
}

#[derive(Template)]
#[template(path = "portal_erase.html")]
struct ErasePage {
    p: Page,
    requested: bool,
    /// The answer to the latest request, when it was "no": the worker's reason, line by
    /// line, and the day of the answer.
    refusal: Vec<String>,
    refused_on: String,
}

pub async fn erase_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "portal-erase-title");
    let (refusal, refused_on) = match state.store.portal_erasure_status(&v.scope).await? {
        ErasureStatus::Refused { reason, at } => (
            reason
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            p.t.get1("portal-erase-refused-on", "date", p.t.date(at)),
        ),
        _ => (Vec::new(), String::new()),
    };
    Ok(render_page(&ErasePage {
        requested: state.store.portal_erasure_requested(&v.scope).await?,
        refusal,
        refused_on,
        p,
    }))
}

pub async fn erase_request(
    State(state): State<AppState>,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let event = parent_event(&v.scope, Action::PortalErasureRequested, "");
    state.store.portal_request_erasure(&v.scope, event).await?;
    Ok(Redirect::to("/portal/data/erase").into_response())
}

#[derive(Template)]
#[template(path = "portal_pin.html")]
struct PinPage {
    p: Page,
    has_pin: bool,
}

pub async fn pin_form(ctx: Ctx, Parent(v): Parent) -> Result<Response, AppError> {
    Ok(render_page(&PinPage {
        p: Page::new(&ctx, "portal-pin-title"),
        has_pin: v.has_pin,
    }))
}

pub async fn pin_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
    f: FormData,
) -> Result<Response, AppError> {
    let token = ctx.portal_token.clone().ok_or(AppError::Forbidden)?;
    let t = Tr::new(ctx.lang);
    if f.get("remove") == "yes" {
        let event = parent_event(&v.scope, Action::PortalPinRemoved, "");
        state.store.set_portal_pin(&token, None, event).await?;
        return Ok(redirect_with_flash(
            &state,
            "/portal/data",
            "flash-portal-pin-removed",
            "",
        ));
    }
    let mut errors = FormErrors::default();
    let Some(pin) = errors.take(&t, "pin", Pin::parse_new(f.get("pin"), f.get("pin_again"))) else {
        return Ok(unprocessable(render_page(&PinPage {
            p: Page::new(&ctx, "portal-pin-title").with_errors(errors),
            has_pin: v.has_pin,
        })));
    };
    let event = parent_event(&v.scope, Action::PortalPinSet, "");
    state
        .store
        .set_portal_pin(&token, Some(&pin), event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/portal/data",
        "flash-portal-pin-set",
        "",
    ))
}

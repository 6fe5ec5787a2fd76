//! The worker's side of the parent portal: send a household its sign-in link, end its access,
//! handle parents' requests, and read the parents' ideas as demand.
//!
//! An erasure request is answered in one of two ways only (docs/guide/households.md): the
//! erasure itself, which closes it, or a refusal with a reason the family is told. A plain
//! "done" is refused for it, so a family is never left waiting behind a closed request.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use mtp_domain::audit::Action;
use mtp_domain::message::{sms_link, whatsapp_link};
use mtp_domain::portal::{RefusalReason, RequestKind, erasure_due, erasure_overdue};
use mtp_store::StoreError;
use mtp_store::portal::ParentRequest;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::{parse_id, safe_next};
use crate::respond::redirect_with_flash;

/// One way to send the link to one parent.
pub struct SendButton {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "portal_link_made.html")]
struct LinkMadePage {
    p: Page,
    household_id: String,
    url: String,
    buttons: Vec<SendButton>,
}

/// Make a sign-in link and hand it over: by e-mail through the queue, or as WhatsApp and
/// text-message buttons with the message filled in (the worker sends from their own phone).
pub async fn make_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = state.store.household(&user.tenant, parse_id(&id)?).await?;
    let channel = match f.get("channel") {
        c @ ("whatsapp" | "sms" | "email") => c,
        _ => return Err(AppError::BadRequest),
    };
    if h.anonymised {
        return Err(AppError::NotFound);
    }
    let event = audit_event(
        &user,
        Action::HouseholdPortalLink,
        Subject::household(h.id, h.neighbourhood_id),
        channel,
    );
    let token = state
        .store
        .create_portal_link(&user.tenant, Some(user.account.id), h.id, Some(event))
        .await?;
    let url = format!("{}/portal/link/{token}", state.cfg.public_url);
    let home = format!("/households/{}", h.id);
    // The message goes in the family's language where we know it.
    let first = h.parents.first();
    let lang = first
        .and_then(|p| mtp_domain::reminder::language_of(&p.languages))
        .unwrap_or(ctx.lang);
    let mt = Tr::new(lang);
    let name = first.map(|p| p.first_name.clone()).unwrap_or_default();
    let text = mt.get2("portal-link-message", ("name", &name), ("url", &url));
    if channel == "email" {
        let subject = mt.get("portal-link-mail-subject");
        let key = format!("portal-link:{}", mtp_store::sign_in::token_hash(&token));
        return match state
            .store
            .queue_mail(&user.tenant, h.id, &subject, &text, &key, None)
            .await
        {
            Ok(_) => Ok(redirect_with_flash(
                &state,
                &home,
                "flash-portal-link-mailed",
                &name,
            )),
            Err(StoreError::Refused(reason)) => Ok(redirect_with_flash(
                &state,
                &home,
                "flash-portal-link-not-mailed",
                &Tr::new(ctx.lang).get(reason),
            )),
            Err(e) => Err(e.into()),
        };
    }
    let t = Tr::new(ctx.lang);
    let buttons = h
        .parents
        .iter()
        .filter_map(|p| {
            let phone = p.phone.as_ref()?;
            Some(if channel == "whatsapp" {
                SendButton {
                    href: whatsapp_link(phone, &text),
                    label: t.get1("portal-staff-send-whatsapp", "name", &p.first_name),
                }
            } else {
                SendButton {
                    href: sms_link(phone, &text),
                    label: t.get1("portal-staff-send-sms", "name", &p.first_name),
                }
            })
        })
        .collect();
    Ok(render_page(&LinkMadePage {
        p: Page::new(&ctx, "portal-staff-link-title"),
        household_id: h.id.to_string(),
        url,
        buttons,
    }))
}

/// Sign the household out on every phone and stop its open links.
pub async fn end_access(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = state.store.household(&user.tenant, parse_id(&id)?).await?;
    let event = |phones, links| {
        audit_event(
            &user,
            Action::HouseholdPortalEnded,
            Subject::household(h.id, h.neighbourhood_id),
            &format!("phones={phones} links={links}"),
        )
    };
    state
        .store
        .end_portal_access(&user.tenant, Some(user.account.id), h.id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{}", h.id),
        "flash-portal-ended",
        "",
    ))
}

/// Mark a parent's request as handled, then go back where the worker came from. An erasure
/// request cannot be closed this way (422, with the page that says how it is closed).
pub async fn finish_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let request_id = parse_id(&id)?;
    let r = match state
        .store
        .finish_parent_request(&user.tenant, user.account.id, request_id, |r| {
            audit_event(
                &user,
                Action::HouseholdParentRequestDone,
                Subject::household(r.household_id, r.neighbourhood_id),
                r.kind.as_str(),
            )
        })
        .await
    {
        Ok(r) => r,
        Err(StoreError::Refused(key)) => {
            let r = state.store.parent_request(&user.tenant, request_id).await?;
            let mut errors = FormErrors::default();
            errors.add("erase", Tr::new(ctx.lang).get(key));
            return Ok(unprocessable(erasure_page(&ctx, &r, errors, "")));
        }
        Err(e) => return Err(e.into()),
    };
    let back = match f.get("next") {
        "" => format!("/households/{}", r.household_id),
        next => safe_next(next),
    };
    Ok(redirect_with_flash(
        &state,
        &back,
        "flash-parent-request-done",
        "",
    ))
}

#[derive(Template)]
#[template(path = "request_erasure.html")]
struct ErasureRequestPage {
    p: Page,
    id: String,
    household_id: String,
    lead: String,
    due: String,
    overdue: bool,
    reason: String,
}

fn erasure_page(ctx: &Ctx, r: &ParentRequest, errors: FormErrors, reason: &str) -> Response {
    let p = Page::new(ctx, "erasure-request-title").with_errors(errors);
    let due = erasure_due(r.created_at);
    render_page(&ErasureRequestPage {
        id: r.id.to_string(),
        household_id: r.household_id.to_string(),
        lead: p.t.get2(
            "erasure-request-lead",
            ("name", &r.first_names),
            ("date", &p.t.date(r.created_at)),
        ),
        due: p.t.get1("erasure-request-due", "date", p.t.date(due)),
        overdue: erasure_overdue(r.created_at, chrono::Utc::now()),
        reason: reason.to_string(),
        p,
    })
}

/// An erasure request: the two ways to answer it, the erasure itself (the household's own
/// confirmation page, which closes the request) or a refusal with a reason the family is
/// told. Another kind of request, or one already answered, goes to the household page.
pub async fn request_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let request_id = parse_id(&id)?;
    let r = state.store.parent_request(&user.tenant, request_id).await?;
    if r.kind != RequestKind::Erasure
        || !state
            .store
            .parent_request_open(&user.tenant, request_id)
            .await?
    {
        return Ok(
            Redirect::to(&format!("/households/{}#ouderportaal", r.household_id)).into_response(),
        );
    }
    Ok(erasure_page(&ctx, &r, FormErrors::default(), ""))
}

/// Refuse an erasure request with a reason. The family reads it in the portal, where they
/// asked, and by e-mail when they can be e-mailed (the queue's usual rules).
pub async fn refuse_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let request_id = parse_id(&id)?;
    let r = state.store.parent_request(&user.tenant, request_id).await?;
    let t = Tr::new(ctx.lang);
    let mut errors = FormErrors::default();
    let Some(reason) = errors.take(&t, "reason", RefusalReason::parse(f.get("reason"))) else {
        return Ok(unprocessable(erasure_page(
            &ctx,
            &r,
            errors,
            f.get("reason"),
        )));
    };
    let refused = state
        .store
        .refuse_erasure_request(&user.tenant, user.account.id, request_id, &reason, |r| {
            audit_event(
                &user,
                Action::HouseholdErasureRefused,
                Subject::household(r.household_id, r.neighbourhood_id),
                "",
            )
        })
        .await;
    let home = format!("/households/{}", r.household_id);
    match refused {
        Ok(_) => {}
        // A colleague answered it a moment ago, or it is not an erasure request.
        Err(StoreError::Refused(key)) => {
            return Ok(redirect_with_flash(&state, &home, key, ""));
        }
        Err(e) => return Err(e.into()),
    }
    let h = state.store.household(&user.tenant, r.household_id).await?;
    let first = h.parents.first();
    let mt = Tr::new(
        first
            .and_then(|p| mtp_domain::reminder::language_of(&p.languages))
            .unwrap_or(ctx.lang),
    );
    let text = mt.get2(
        "erasure-refused-mail-text",
        (
            "name",
            &first.map(|p| p.first_name.clone()).unwrap_or_default(),
        ),
        ("reason", reason.as_str()),
    );
    let mailed = state
        .store
        .queue_mail(
            &user.tenant,
            h.id,
            &mt.get("erasure-refused-mail-subject"),
            &text,
            &format!("erasure-refused:{}", r.id),
            None,
        )
        .await;
    let flash = match mailed {
        Ok(_) => "flash-erasure-refused-mailed",
        // No address, no consent, unsubscribed: the portal still shows the reason.
        Err(StoreError::Refused(_)) | Err(StoreError::Duplicate(_)) => "flash-erasure-refused",
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with_flash(&state, &home, flash, ""))
}

/// Hide a parent's idea from the list (done, or not for this neighbourhood).
pub async fn hide_idea(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let idea_id: Uuid = parse_id(&id)?;
    // The store puts the idea's neighbourhood in the entry.
    let event = audit_event(&user, Action::IdeaHidden, Subject::of("idea", idea_id), "");
    state.store.hide_idea(&user.tenant, idea_id, event).await?;
    Ok(redirect_with_flash(
        &state,
        "/activities#wensen",
        "flash-saved",
        "",
    ))
}

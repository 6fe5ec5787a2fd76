//! Calendar feeds (iCalendar): a neighbourhood's public programme, and a household's own
//! sessions behind a secret address that a worker can renew or stop.
//!
//! Feeds are fetched by calendar apps every few hours, so a fetch is not audit-logged; making
//! and stopping an address is.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use mtp_domain::audit::Action;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::feed::ics;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

/// `/calendar/{token}.ics`: a household's sessions. An unknown or stopped address is a 404.
pub async fn household_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let feed = state
        .store
        .household_feed(token, Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ics(feed))
}

/// `/programme/{neighbourhood}.ics`: the public programme of a neighbourhood.
pub async fn programme_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(file.strip_suffix(".ics").ok_or(AppError::NotFound)?)?;
    Ok(ics(state.store.neighbourhood_feed(id, Utc::now()).await?))
}

#[derive(Template)]
#[template(path = "calendar_address.html")]
struct AddressPage {
    p: Page,
    household_id: String,
    url: String,
}

/// Make a new secret calendar address for a household and show it once.
pub async fn renew(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = state.store.household(&user.tenant, parse_id(&id)?).await?;
    if h.anonymised {
        return Ok(redirect_with_flash(
            &state,
            &format!("/households/{}", h.id),
            "flash-saved",
            "",
        ));
    }
    let event = audit_event(
        &user,
        Action::HouseholdCalendarRenewed,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    let token = state
        .store
        .renew_calendar_feed(&user.tenant, h.id, event)
        .await?;
    let p = Page::new(&ctx, "calendar-address-title");
    Ok(render_page(&AddressPage {
        household_id: h.id.to_string(),
        url: format!("{}/calendar/{token}.ics", state.cfg.public_url),
        p,
    }))
}

/// Stop a household's calendar address.
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = state.store.household(&user.tenant, parse_id(&id)?).await?;
    let event = audit_event(
        &user,
        Action::HouseholdCalendarRevoked,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    state
        .store
        .revoke_calendar_feed(&user.tenant, h.id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{}", h.id),
        "flash-calendar-revoked",
        "",
    ))
}

/// A neighbourhood's programme address, as shown on the activities page and the
/// neighbourhood page so a worker can put it in a calendar app or pass it on
/// (docs/guide/sessions.md, calendar feeds).
pub struct ProgrammeLink {
    pub name: String,
    /// `https://…/programme/{id}.ics`, for copying into a calendar app.
    pub url: String,
    /// The same address as `webcal://`, which phones open in their calendar app.
    pub webcal: String,
}

/// A calendar address as `webcal://`, which phones open in their calendar app.
pub fn webcal(url: &str) -> String {
    url.replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1)
}

/// The programme address of a neighbourhood, built from the configured public address
/// (never from a request's `Host`), like every other link the app hands out.
pub fn programme_link(public_url: &str, id: uuid::Uuid, name: &str) -> ProgrammeLink {
    let url = format!("{public_url}/programme/{id}.ics");
    let webcal = webcal(&url);
    ProgrammeLink {
        name: name.to_string(),
        url,
        webcal,
    }
}

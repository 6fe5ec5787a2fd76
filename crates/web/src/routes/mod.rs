//! Handlers by feature. Handlers stay thin: parse the form, ask the store, render.

pub mod account;
pub mod activities;
pub mod admin;
pub mod audit_log;
pub mod auth;
pub mod calendar;
pub mod chat;
pub mod encourage;
pub mod holidays;
pub mod home;
pub mod households;
pub mod import;
pub mod messages;
pub mod portal;
pub mod portal_staff;
pub mod public;
pub mod reminders;
pub mod sessions;

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use mtp_domain::audit::Outcome;
use mtp_store::NewAuditEvent;
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, FLASH_COOKIE, User, encode_flash_arg, set_cookie};

/// What an audit entry is about.
pub struct Subject<'a> {
    pub object_type: &'a str,
    pub object_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
}

impl Subject<'static> {
    pub fn account(id: Uuid) -> Self {
        Subject::of("account", id)
    }

    pub fn neighbourhood(id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(id),
            ..Subject::of("neighbourhood", id)
        }
    }

    pub fn household(id: Uuid, neighbourhood_id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(neighbourhood_id),
            ..Subject::of("household", id)
        }
    }

    pub fn in_neighbourhood(object_type: &'static str, id: Uuid, neighbourhood_id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(neighbourhood_id),
            ..Subject::of(object_type, id)
        }
    }

    pub fn of(object_type: &'static str, id: Uuid) -> Self {
        Subject {
            object_type,
            object_id: Some(id),
            neighbourhood_id: None,
        }
    }

    pub fn none(object_type: &'static str) -> Self {
        Subject {
            object_type,
            object_id: None,
            neighbourhood_id: None,
        }
    }
}

/// The audit entry of an action of a signed-in user, for a store call that commits it in the
/// same transaction as the change.
pub fn audit_event(user: &User, action: &str, subject: Subject<'_>, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        org_id: user.org.id,
        actor_id: Some(user.account.id),
        actor_role: user.role().as_str().into(),
        action: action.into(),
        object_type: subject.object_type.into(),
        object_id: subject.object_id,
        neighbourhood_id: subject.neighbourhood_id,
        outcome: Outcome::Allowed,
        detail: detail.into(),
    }
}

/// Record an action of a signed-in user. A failure to write the trail is logged, and the
/// action still answers: the write it records has already happened.
pub async fn audit(
    state: &AppState,
    user: &User,
    action: &str,
    subject: Subject<'_>,
    detail: &str,
) {
    let event = audit_event(user, action, subject, detail);
    if let Err(e) = state.store.audit(event).await {
        tracing::error!(error = %e, action, "could not write audit event");
    }
}

/// POST → redirect → GET with a notification on the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, key: &str, arg: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let value = format!("{key}:{}", encode_flash_arg(arg));
    res.headers_mut().append(
        axum::http::header::SET_COOKIE,
        set_cookie(state, FLASH_COOKIE, &value, Some(60)),
    );
    res
}

/// An id from a path; anything that is not one is a page that does not exist.
/// The neighbourhood a page asks for (`?nb=`), or the user's first; 404 for one out of reach.
/// Also gives the list for the page's neighbourhood picker.
pub async fn pick_neighbourhood(
    state: &AppState,
    user: &crate::ctx::User,
    raw: &str,
) -> Result<(Vec<mtp_store::Neighbourhood>, Uuid), crate::error::AppError> {
    use crate::error::AppError;
    let all = state.store.neighbourhoods(&user.tenant).await?;
    let nb = match raw.trim() {
        "" => all.first().map(|n| n.id).ok_or(AppError::NotFound)?,
        raw => Uuid::parse_str(raw)
            .ok()
            .filter(|id| all.iter().any(|n| n.id == *id))
            .ok_or(AppError::NotFound)?,
    };
    Ok((all, nb))
}

pub fn parse_id(raw: &str) -> Result<Uuid, crate::error::AppError> {
    Uuid::parse_str(raw).map_err(|_| crate::error::AppError::NotFound)
}

/// A local path to return to; anything else becomes "/". Only a path that starts with one
/// `/`: browsers read `//host`, `/\\host` and `/<tab>/host` as another site, and a control
/// character cannot go into a `Location` header at all.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.contains('\\')
        && next.chars().all(|c| c.is_ascii_graphic())
        && next.len() < 512;
    if ok { next.to_string() } else { "/".into() }
}

pub fn with_cookie(mut res: Response, cookie: HeaderValue) -> Response {
    res.headers_mut()
        .append(axum::http::header::SET_COOKIE, cookie);
    res
}

pub fn ctx_user(ctx: &Ctx) -> Result<&User, crate::error::AppError> {
    ctx.user()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/admin/accounts"), "/admin/accounts");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/%09/evil.example"), "/%09/evil.example");
        assert_eq!(safe_next("/a\\b"), "/");
        assert_eq!(safe_next("/ruimte en zo"), "/");
        assert_eq!(
            safe_next("/households?q=zo%C3%AB"),
            "/households?q=zo%C3%AB"
        );
        assert_eq!(safe_next(""), "/");
    }
}

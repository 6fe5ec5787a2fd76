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
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, FLASH_COOKIE, User, encode_flash_arg, set_cookie};

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

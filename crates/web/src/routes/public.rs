//! Pages and endpoints anyone may reach.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, LANG_COOKIE, set_cookie};
use crate::error::AppError;
use crate::forms::FormData;
use crate::page::{Page, render_page};
use crate::parse::safe_next;
use crate::respond::with_cookie;

pub async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready when the database answers and every migration has run (a new release's app servers
/// wait for `mtp migrate`).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match (
        state.store.ping().await,
        state.store.pending_migrations().await,
    ) {
        (Ok(()), Ok(0)) => (StatusCode::OK, "ready\n").into_response(),
        (Ok(()), Ok(n)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{n} migrations pending\n"),
        )
            .into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response(),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The language switch (docs/security.md, "Requests from other sites"). A link for anyone: the choice is
/// kept in a cookie and changes nothing on the server, so a link on another site cannot
/// change an account. Signed-in staff get a form that posts to [`switch_language_post`],
/// which also keeps the choice on the account.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let lang = crate::i18n::supported(&lang).ok_or(AppError::NotFound)?;
    let res = Redirect::to(&safe_next(&q.next)).into_response();
    Ok(with_cookie(
        res,
        set_cookie(&state, LANG_COOKIE, lang.as_str(), Some(60 * 60 * 24 * 365)),
    ))
}

/// The signed-in form of the language switch: the cookie and the account's language.
pub async fn switch_language_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(lang): Path<String>,
    f: FormData,
) -> Result<Response, AppError> {
    let lang = crate::i18n::supported(&lang).ok_or(AppError::NotFound)?;
    if let Some(u) = &ctx.user {
        state
            .store
            .set_account_lang(u.org.id, u.account.id, lang)
            .await?;
    }
    let res = Redirect::to(&safe_next(f.get("next"))).into_response();
    Ok(with_cookie(
        res,
        set_cookie(&state, LANG_COOKIE, lang.as_str(), Some(60 * 60 * 24 * 365)),
    ))
}

#[derive(Template)]
#[template(path = "statement.html")]
struct Statement {
    p: Page,
    lead: String,
    body: String,
    contact: String,
}

fn statement(ctx: &Ctx, key: &str) -> Response {
    let p = Page::new(ctx, &format!("{key}-title"));
    let text = |part: &str| p.t.get(format!("{key}-{part}"));
    let (lead, body, contact) = (text("lead"), text("body"), text("contact"));
    render_page(&Statement {
        p,
        lead,
        body,
        contact,
    })
}

pub async fn accessibility(ctx: Ctx) -> Response {
    statement(&ctx, "accessibility")
}

pub async fn privacy(ctx: Ctx) -> Response {
    statement(&ctx, "privacy")
}

//! The start page after sign-in.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::page::{Page, render_page};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    p: Page,
    role_label: String,
    org_name: String,
    neighbourhoods: Vec<String>,
    two_factor_on: bool,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let p = Page::new(&ctx, "home-title");
    let neighbourhoods = state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| n.name)
        .collect();
    Ok(render_page(&Home {
        role_label: p.t.get(format!("role-{}", user.role().as_str())),
        org_name: user.org.name.clone(),
        neighbourhoods,
        two_factor_on: user.account.totp_enabled,
        p,
    }))
}

//! First-run set-up, sign-in (password, then security code), sign-out.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::{CbsCode, Email, HolidayRegion, NewPassword, PersonName, PlaceName, TotpCode};
use mtp_store::ratelimit::{self, Admission, SignInKeys};
use mtp_store::{Account, FirstRun, NewAuditEvent, StoreError};

use crate::AppState;
use crate::ctx::{Ctx, SESSION_COOKIE, set_cookie};
use crate::error::AppError;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::label::options;
use crate::page::{Page, render_page};
use crate::respond::{redirect_with_flash, with_cookie};

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    p: Page,
    f: FormData,
    regions: Vec<(&'static str, String)>,
}

fn regions(p: &Page) -> Vec<(&'static str, String)> {
    options(&p.t, HolidayRegion::ALL)
}

pub async fn setup_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if !state.store.needs_setup().await? {
        return Err(AppError::NotFound);
    }
    let p = Page::new(&ctx, "setup-title");
    // Almere, where the handbook's pilot ran, is in region north.
    let f = FormData::parse(b"holiday_region=noord");
    Ok(render_page(&SetupPage {
        regions: regions(&p),
        p,
        f,
    }))
}

pub async fn setup_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    f: FormData,
) -> Result<Response, AppError> {
    if !state.store.needs_setup().await? {
        return Err(AppError::NotFound);
    }
    let p = Page::new(&ctx, "setup-title");
    let t = p.t;
    let mut e = FormErrors::default();
    let org_name = e.take(&t, "org_name", PlaceName::parse(f.get("org_name")));
    let region = e.take(
        &t,
        "holiday_region",
        HolidayRegion::parse(f.get("holiday_region")),
    );
    let nb_name = e.take(
        &t,
        "neighbourhood_name",
        PlaceName::parse(f.get("neighbourhood_name")),
    );
    let cbs = e.take(&t, "cbs_code", CbsCode::parse_optional(f.get("cbs_code")));
    let name = e.take(&t, "display_name", PersonName::parse(f.get("display_name")));
    let email = e.take(&t, "email", Email::parse(f.get("email")));
    let password = e.take(&t, "password", NewPassword::parse(f.get("password")));
    let (
        Some(org_name),
        Some(holiday_region),
        Some(neighbourhood_name),
        Some(cbs_code),
        Some(admin_name),
        Some(admin_email),
        Some(admin_password),
    ) = (org_name, region, nb_name, cbs, name, email, password)
    else {
        let p = p.with_errors(e);
        return Ok(unprocessable(render_page(&SetupPage {
            regions: regions(&p),
            p,
            f,
        })));
    };
    let run = FirstRun {
        org_name,
        holiday_region,
        neighbourhood_name,
        cbs_code,
        admin_name,
        admin_email,
        admin_password,
    };
    let event = |org_id, account_id| NewAuditEvent {
        org_id,
        actor_id: Some(account_id),
        actor_role: "admin".into(),
        action: Action::OrganisationCreated,
        object_type: "organisation".into(),
        object_id: Some(org_id),
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: "first-run set-up".into(),
    };
    match state.store.first_run(&run, event).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/login",
            "flash-setup-done",
            "",
        )),
        Err(StoreError::AlreadySetUp) => Err(AppError::NotFound),
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    p: Page,
    email: String,
}

pub async fn login_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if state.store.needs_setup().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    if ctx.user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(render_page(&LoginPage {
        p: Page::new(&ctx, "login-title"),
        email: String::new(),
    }))
}

fn login_again(ctx: &Ctx, email: &str, field: &str, key: &str, status: StatusCode) -> Response {
    let message = crate::i18n::Tr::new(ctx.lang).get(key);
    login_again_saying(ctx, email, field, message, status)
}

fn login_again_saying(
    ctx: &Ctx,
    email: &str,
    field: &str,
    message: String,
    status: StatusCode,
) -> Response {
    let p = Page::new(ctx, "login-title");
    let mut e = FormErrors::default();
    e.add(field, message);
    let mut res = render_page(&LoginPage {
        p: p.with_errors(e),
        email: email.to_string(),
    });
    *res.status_mut() = status;
    res
}

async fn login_event(
    state: &AppState,
    account: Option<&Account>,
    action: Action,
    outcome: Outcome,
) {
    let event = NewAuditEvent {
        org_id: account
            .map(|a| a.org_id)
            .unwrap_or(mtp_domain::audit::SYSTEM_CHAIN),
        actor_id: account.map(|a| a.id),
        actor_role: account
            .map(|a| a.role.as_str().to_string())
            .unwrap_or_else(|| "anonymous".into()),
        action,
        object_type: "account".into(),
        object_id: account.map(|a| a.id),
        neighbourhood_id: None,
        outcome,
        detail: String::new(),
    };
    crate::audit::record(state, event).await;
}

fn sign_in_keys(state: &AppState, ctx: &Ctx, email: &str) -> SignInKeys {
    SignInKeys::new(&state.secret, &ratelimit::network(ctx.ip), email)
}

/// "Probeer het om 14:35 opnieuw" (docs/ui.md §3.1): the minute is rounded up, so a try at the
/// time shown passes.
fn too_many(t: &crate::i18n::Tr, until: DateTime<Utc>) -> String {
    let secs = until.timestamp();
    let whole = secs % 60 == 0 && until.timestamp_subsec_nanos() == 0;
    let minute = if whole {
        secs
    } else {
        (secs.div_euclid(60) + 1) * 60
    };
    let at = DateTime::from_timestamp(minute, 0).unwrap_or(until);
    t.get1(
        "login-too-many",
        "time",
        at.with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%H:%M")
            .to_string(),
    )
}

pub async fn login_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    f: FormData,
) -> Result<Response, AppError> {
    let typed = f.get("email").trim().to_string();
    let t = crate::i18n::Tr::new(ctx.lang);
    let email = match Email::parse(&typed) {
        Ok(e) => e,
        Err(err) => {
            let mut e = FormErrors::default();
            e.field(&t, "email", err);
            if f.get("password").is_empty() {
                e.add("password", t.get("error-required-password"));
            }
            let p = Page::new(&ctx, "login-title").with_errors(e);
            return Ok(unprocessable(render_page(&LoginPage { p, email: typed })));
        }
    };
    if f.get("password").is_empty() {
        return Ok(login_again(
            &ctx,
            &typed,
            "password",
            "error-required-password",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    // The try is counted before the password is checked, so tries sent side by side cannot
    // all slip under the limit, and Argon2 only runs for the ones that may be checked.
    let attempt = match state
        .store
        .begin_sign_in_attempt(sign_in_keys(&state, &ctx, email.as_str()))
        .await?
    {
        Admission::Go(attempt) => attempt,
        Admission::Refused { until } => {
            let known = state.store.account_by_email(&email).await?;
            login_event(
                &state,
                known.as_ref(),
                Action::LoginBlocked,
                Outcome::Denied,
            )
            .await;
            return Ok(login_again_saying(
                &ctx,
                &typed,
                "email",
                too_many(&t, until),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
    };
    let Some(account) = state
        .store
        .check_password(&email, f.get("password"))
        .await?
    else {
        // The attempt keeps its slots: they are the failure.
        let known = state.store.account_by_email(&email).await?;
        login_event(&state, known.as_ref(), Action::LoginFailed, Outcome::Denied).await;
        return Ok(login_again(
            &ctx,
            &typed,
            "email",
            "login-wrong",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    if account.disabled {
        state.store.attempt_was_right(attempt).await?;
        login_event(
            &state,
            Some(&account),
            Action::LoginDisabled,
            Outcome::Denied,
        )
        .await;
        return Ok(login_again(
            &ctx,
            &typed,
            "email",
            "login-disabled",
            StatusCode::FORBIDDEN,
        ));
    }
    // With a security code to follow, failures are forgiven only once the code is right:
    // otherwise a known password would reset the count between code guesses.
    if account.totp_enabled {
        state.store.attempt_was_right(attempt).await?;
    } else {
        state.store.signed_in(attempt).await?;
    }
    // A new token at every step: whatever session the browser had before is gone.
    if let Some(old) = &ctx.session_token {
        state.store.end_session(old).await?;
    }
    let done = !account.totp_enabled;
    let token = state.store.create_session(&account, done).await?;
    let cookie = set_cookie(&state, SESSION_COOKIE, &token, None);
    if done {
        login_event(
            &state,
            Some(&account),
            Action::LoginSucceeded,
            Outcome::Allowed,
        )
        .await;
        let res = redirect_with_flash(&state, "/", "flash-signed-in", &account.display_name);
        Ok(with_cookie(res, cookie))
    } else {
        Ok(with_cookie(
            Redirect::to("/login/code").into_response(),
            cookie,
        ))
    }
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    p: Page,
}

pub async fn code_form(ctx: Ctx) -> Response {
    render_page(&CodePage {
        p: Page::new(&ctx, "code-title"),
    })
}

pub async fn code_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    f: FormData,
) -> Result<Response, AppError> {
    let account = ctx.pending.clone().ok_or(AppError::Forbidden)?;
    let p = Page::new(&ctx, "code-title");
    let t = p.t;
    let again_saying = |message: String, status: StatusCode| {
        let mut e = FormErrors::default();
        e.add("code", message);
        let mut res = render_page(&CodePage {
            p: p.clone().with_errors(e),
        });
        *res.status_mut() = status;
        res
    };
    let again = |key: &str, status: StatusCode| again_saying(t.get(key), status);
    let code = match TotpCode::parse(f.get("code")) {
        Ok(c) => c,
        Err(err) => {
            let key = format!("{}-code", err.key());
            return Ok(again(&key, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    // Codes count against the same limits as passwords: per account, per address on the
    // account, and per address; the try is counted before the code is checked.
    let attempt = match state
        .store
        .begin_sign_in_attempt(sign_in_keys(&state, &ctx, &account.email))
        .await?
    {
        Admission::Go(attempt) => attempt,
        Admission::Refused { until } => {
            login_event(
                &state,
                Some(&account),
                Action::LoginBlocked,
                Outcome::Denied,
            )
            .await;
            return Ok(again_saying(
                too_many(&t, until),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
    };
    let secret = state.store.totp_secret(account.org_id, account.id).await?;
    let Some(step) = secret.and_then(|s| crate::totp::totp_step(&s, code.as_str(), &account.email))
    else {
        login_event(
            &state,
            Some(&account),
            Action::LoginCodeWrong,
            Outcome::Denied,
        )
        .await;
        return Ok(again("code-wrong", StatusCode::UNPROCESSABLE_ENTITY));
    };
    // A code is good once (RFC 6238 §5.2): someone who saw it over a shoulder is too late.
    // A replayed code keeps its slots, as a wrong one does.
    if !state
        .store
        .use_totp_step(account.org_id, account.id, step)
        .await?
    {
        login_event(
            &state,
            Some(&account),
            Action::LoginCodeReused,
            Outcome::Denied,
        )
        .await;
        return Ok(again("code-reused", StatusCode::UNPROCESSABLE_ENTITY));
    }
    state.store.signed_in(attempt).await?;
    if let Some(old) = &ctx.session_token {
        state.store.end_session(old).await?;
    }
    let token = state.store.create_session(&account, true).await?;
    login_event(
        &state,
        Some(&account),
        Action::LoginSucceeded,
        Outcome::Allowed,
    )
    .await;
    let res = redirect_with_flash(&state, "/", "flash-signed-in", &account.display_name);
    Ok(with_cookie(
        res,
        set_cookie(&state, SESSION_COOKIE, &token, None),
    ))
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(token) = &ctx.session_token {
        state.store.end_session(token).await?;
        if let Some(u) = &ctx.user {
            crate::audit::audit(
                &state,
                u,
                Action::Logout,
                crate::audit::Subject::account(u.account.id),
                "",
            )
            .await;
        }
    }
    let res = redirect_with_flash(&state, "/login", "flash-signed-out", "");
    Ok(with_cookie(
        res,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    ))
}

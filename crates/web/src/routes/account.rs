//! A signed-in person's own account: password, two-factor sign-in, sessions.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use mtp_domain::NewPassword;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::page::{Page, render_page};
use crate::respond::redirect_with_flash;
use crate::totp::{totp, totp_step};
use mtp_domain::audit::Action;
use totp_rs::Secret;

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    p: Page,
    forced: bool,
}

pub async fn password_form(ctx: Ctx, Staff(user): Staff) -> Result<Response, AppError> {
    let forced = user.account.must_change_password;
    Ok(render_page(&PasswordPage {
        p: Page::new(&ctx, "password-title"),
        forced,
    }))
}

pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "password-title");
    let t = p.t;
    let mut e = FormErrors::default();
    if f.get("current_password").is_empty() {
        e.add("current_password", t.get("error-required-current_password"));
    }
    let new = e.take(
        &t,
        "new_password",
        NewPassword::parse(f.get("new_password")),
    );
    if new.is_some() && f.get("confirm_password") != f.get("new_password") {
        e.add("confirm_password", t.get("error-password-mismatch"));
    }
    if e.is_empty() {
        let email =
            mtp_domain::Email::parse(&user.account.email).map_err(|_| AppError::Internal)?;
        if state
            .store
            .check_password(&email, f.get("current_password"))
            .await?
            .is_none()
        {
            e.add("current_password", t.get("error-current-password-wrong"));
        }
    }
    let (Some(new), true) = (new, e.is_empty()) else {
        let forced = user.account.must_change_password;
        return Ok(unprocessable(render_page(&PasswordPage {
            p: p.with_errors(e),
            forced,
        })));
    };
    state
        .store
        .set_password(
            user.org.id,
            user.account.id,
            &new,
            false,
            Some(audit_event(
                &user,
                Action::AccountPasswordChanged,
                Subject::account(user.account.id),
                "",
            )),
        )
        .await?;
    // Changing the password ended every session, this one too: sign in with the new one.
    Ok(redirect_with_flash(
        &state,
        "/login",
        "flash-password-changed",
        "",
    ))
}

#[derive(Template)]
#[template(path = "account_two_factor.html")]
struct TwoFactorPage {
    p: Page,
    enabled: bool,
    required: bool,
    secret: String,
    qr_svg: String,
}

async fn two_factor_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let required = user.org.two_factor.requires(user.role());
    let p = Page::new(ctx, "two-factor-title").with_errors(errors);
    if user.account.totp_enabled {
        return Ok(render_page(&TwoFactorPage {
            p,
            enabled: true,
            required,
            secret: String::new(),
            qr_svg: String::new(),
        }));
    }
    // Keep one unconfirmed secret, so reloading the page does not invalidate a scanned code.
    let secret = match state
        .store
        .totp_secret(user.org.id, user.account.id)
        .await?
    {
        Some(s) => s,
        None => {
            let s = Secret::generate().to_base32();
            state
                .store
                .set_totp(user.org.id, user.account.id, Some(s.clone()), false, None)
                .await?;
            s
        }
    };
    let url = totp(&secret, &user.account.email)
        .and_then(|t| t.to_url().ok())
        .unwrap_or_default();
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    // The renderer starts with an XML declaration that has no place inside HTML.
    let qr_svg = qr_svg
        .find("<svg")
        .map(|i| qr_svg[i..].to_string())
        .unwrap_or_default();
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let res = render_page(&TwoFactorPage {
        p,
        enabled: false,
        required,
        secret: grouped,
        qr_svg,
    });
    Ok(res)
}

pub async fn two_factor_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    two_factor_page(&state, &ctx, &user, FormErrors::default()).await
}

pub async fn two_factor_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = crate::i18n::Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let code = e.take(&t, "code", mtp_domain::TotpCode::parse(f.get("code")));
    let secret = state
        .store
        .totp_secret(user.org.id, user.account.id)
        .await?;
    let step = match (&code, &secret) {
        (Some(code), Some(secret)) => totp_step(secret, code.as_str(), &user.account.email),
        _ => None,
    };
    match (code, secret, step) {
        (Some(_), Some(secret), Some(step)) => {
            state
                .store
                .set_totp(
                    user.org.id,
                    user.account.id,
                    Some(secret),
                    true,
                    Some(audit_event(
                        &user,
                        Action::AccountTwoFactorOn,
                        Subject::account(user.account.id),
                        "",
                    )),
                )
                .await?;
            // The code that switched it on cannot sign in a second time.
            state
                .store
                .use_totp_step(user.org.id, user.account.id, step)
                .await?;
            Ok(redirect_with_flash(&state, "/", "flash-two-factor-on", ""))
        }
        (Some(_), _, _) => {
            e.add("code", t.get("code-wrong"));
            Ok(unprocessable(
                two_factor_page(&state, &ctx, &user, e).await?,
            ))
        }
        (None, _, _) => Ok(unprocessable(
            two_factor_page(&state, &ctx, &user, e).await?,
        )),
    }
}

/// Switching the security code off asks for the password: someone at an unlocked computer
/// should not be able to weaken the account.
pub async fn two_factor_off(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    if user.org.two_factor.requires(user.role()) {
        return Err(AppError::Forbidden);
    }
    let t = crate::i18n::Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let email = mtp_domain::Email::parse(&user.account.email).map_err(|_| AppError::Internal)?;
    if f.get("password").is_empty() {
        e.add("password", t.get("error-required-password"));
    } else if state
        .store
        .check_password(&email, f.get("password"))
        .await?
        .is_none()
    {
        e.add("password", t.get("error-current-password-wrong"));
    }
    if !e.is_empty() {
        return Ok(unprocessable(
            two_factor_page(&state, &ctx, &user, e).await?,
        ));
    }
    state
        .store
        .set_totp(
            user.org.id,
            user.account.id,
            None,
            false,
            Some(audit_event(
                &user,
                Action::AccountTwoFactorOff,
                Subject::account(user.account.id),
                "",
            )),
        )
        .await?;
    Ok(redirect_with_flash(&state, "/", "flash-two-factor-off", ""))
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    state
        .store
        .end_all_sessions(user.org.id, user.account.id)
        .await?;
    audit(
        &state,
        &user,
        Action::AccountSignedOutEverywhere,
        Subject::account(user.account.id),
        "",
    )
    .await;
    Ok(redirect_with_flash(
        &state,
        "/login",
        "flash-signed-out",
        "",
    ))
}

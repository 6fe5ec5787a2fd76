//! Secret referral addresses (issue #16, docs/guide/referrals.md#a-referral-address): a
//! coordinator gives a partner organisation without an account a secret address
//! (`POST /partners/{id}/referral-address`, shown once; `…/revoke`); behind it, the referral
//! form works without signing in (`/refer/{token}`) and makes the same referral a partner
//! account makes, waiting for the parent's confirmation. The referrer gets the status by
//! e-mail with a signed link (`/referral-status/{token}`) that shows only the minimal status.
//!
//! Against programs that fill in forms, without an image puzzle (docs/security.md): the form
//! carries a signed time stamp that must be at least [`MIN_FORM_AGE`] and at most
//! [`MAX_FORM_AGE`] old, and a field people never meet (hidden from sight, keyboard and
//! screen readers) must stay empty. Limits per address and per network address are counted
//! in the database (`mtp_store::referral_addresses`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use mtp_domain::Email;
use mtp_domain::Language;
use mtp_domain::audit::Action;
use mtp_domain::referral::{PartnerStatus, ReferralDraft};
use mtp_store::ratelimit;
use mtp_store::referral_addresses::{AddressForm, StatusChange};
use sha2::Sha256;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;
use crate::routes::portal::valid_token;
use crate::routes::referrals::{AddressExtras, FormPage, referral_form};

/// A form sent sooner than this after it was shown was not filled in by a person.
pub const MIN_FORM_AGE: Duration = Duration::seconds(3);
/// A form older than this is shown again with a fresh stamp (a tab left open overnight).
pub const MAX_FORM_AGE: Duration = Duration::hours(6);

fn mac(secret: &str, purpose: &str, parts: &[&str]) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut m) => {
            m.update(purpose.as_bytes());
            for p in parts {
                m.update(b"\0");
                m.update(p.as_bytes());
            }
            hex::encode(m.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The form's signed time stamp, bound to the address it was shown for.
pub fn form_token(secret: &str, address: &str, issued: DateTime<Utc>) -> String {
    let ts = issued.timestamp().to_string();
    let sig = mac(secret, "refer-form", &[address, &ts]);
    format!("{ts}.{sig}")
}

/// Why a form's stamp was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampRefused {
    Forged,
    TooFresh,
    TooOld,
}

/// Check the form's stamp at `at`.
pub fn check_form_token(
    secret: &str,
    address: &str,
    raw: &str,
    at: DateTime<Utc>,
) -> Result<(), StampRefused> {
    let (ts, sig) = raw.split_once('.').ok_or(StampRefused::Forged)?;
    let secs: i64 = ts.parse().map_err(|_| StampRefused::Forged)?;
    // Compared as MACs of the MACs: no timing difference tells how much matched.
    let want = mac(secret, "refer-form", &[address, ts]);
    if want.is_empty() || mac(secret, "cmp", &[&want]) != mac(secret, "cmp", &[sig]) {
        return Err(StampRefused::Forged);
    }
    let issued = DateTime::<Utc>::from_timestamp(secs, 0).ok_or(StampRefused::Forged)?;
    let age = at - issued;
    if age < MIN_FORM_AGE {
        return Err(StampRefused::TooFresh);
    }
    if age > MAX_FORM_AGE {
        return Err(StampRefused::TooOld);
    }
    Ok(())
}

/// The signed part of a referral's status link.
pub fn status_token(secret: &str, referral: Uuid) -> String {
    let id = referral.simple().to_string();
    format!("{id}.{}", mac(secret, "referral-status", &[&id]))
}

fn status_referral(secret: &str, raw: &str) -> Option<Uuid> {
    let (id, _) = raw.split_once('.')?;
    let want = status_token(secret, Uuid::parse_str(id).ok()?);
    (mac(secret, "cmp", &[&want]) == mac(secret, "cmp", &[raw]))
        .then(|| Uuid::parse_str(id).ok())?
}

// ---------------------------------------------------------------- the coordinator's side

/// The partner page's line about its address, and whether one works now.
pub(crate) async fn state_text(
    state: &AppState,
    user: &User,
    t: &Tr,
    partner: Uuid,
) -> Result<(String, bool), AppError> {
    Ok(
        match state
            .store
            .referral_address_state(&user.tenant, partner)
            .await?
        {
            None => (t.get("referral-address-none"), false),
            Some(a) => match a.revoked_at {
                Some(at) => (
                    t.get1("referral-address-revoked-on", "date", t.date(at)),
                    false,
                ),
                None => (
                    t.get1("referral-address-made-on", "date", t.date(a.made_at)),
                    true,
                ),
            },
        },
    )
}

#[derive(Template)]
#[template(path = "referral_address_made.html")]
struct MadePage {
    p: Page,
    id: Uuid,
    url: String,
}

/// `POST /partners/{id}/referral-address`: a new secret address, shown once; the old one
/// stops working.
pub async fn make(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let event = audit_event(
        &user,
        Action::ReferralAddressMade,
        Subject::of("partner", id),
        "",
    );
    let token = state
        .store
        .make_referral_address(&user.tenant, id, event)
        .await?;
    Ok(render_page(&MadePage {
        p: Page::new(&ctx, "referral-address-made-title"),
        id,
        url: format!("{}/refer/{token}", state.cfg.public_url),
    }))
}

/// `POST /partners/{id}/referral-address/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let event = audit_event(
        &user,
        Action::ReferralAddressRevoked,
        Subject::of("partner", id),
        "",
    );
    state
        .store
        .revoke_referral_address(&user.tenant, id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/partners/{id}#referral-address"),
        "flash-referral-address-revoked",
        "",
    ))
}

// ---------------------------------------------------------------- the public form

#[derive(Template)]
#[template(path = "refer_plain.html")]
struct PlainPage {
    p: Page,
    /// The Fluent key of the one message.
    message: &'static str,
}

/// The plain page of an address that does not work (revoked, replaced or never made): 410,
/// and not a word about whether it ever worked.
fn gone(ctx: &Ctx) -> Response {
    let mut res = render_page(&PlainPage {
        p: Page::new(ctx, "refer-title"),
        message: "refer-gone",
    })
    .into_response();
    *res.status_mut() = StatusCode::GONE;
    res
}

fn plain(ctx: &Ctx, message: &'static str, status: StatusCode) -> Response {
    let mut res = render_page(&PlainPage {
        p: Page::new(ctx, "refer-title"),
        message,
    })
    .into_response();
    *res.status_mut() = status;
    res
}

fn form_page(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
    a: AddressForm,
    f: FormData,
    errors: FormErrors,
) -> Response {
    render_page(&FormPage {
        p: Page::new(ctx, "referral-new-title").with_errors(errors),
        f,
        neighbourhoods: a.neighbourhoods,
        action: format!("/refer/{token}"),
        address: Some(AddressExtras {
            partner_name: a.partner_name,
            org_name: a.org_name,
            form_token: form_token(&state.secret, token, mtp_store::now()),
        }),
    })
}

async fn address(state: &AppState, token: &str) -> Result<Option<AddressForm>, AppError> {
    if !valid_token(token) {
        return Ok(None);
    }
    Ok(state.store.referral_address_form(token).await?)
}

/// `GET /refer/{token}`: the referral form behind a secret address.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(a) = address(&state, &token).await? else {
        return Ok(gone(&ctx));
    };
    let body = match a.neighbourhoods.as_slice() {
        [only] => format!("neighbourhood_id={}", only.id),
        _ => String::new(),
    };
    Ok(form_page(
        &state,
        &ctx,
        &token,
        a,
        FormData::parse(body.as_bytes()),
        FormErrors::default(),
    ))
}

/// `POST /refer/{token}`: a referral through a secret address. In this order: the address
/// works; the bot check; the fields; the limits (network, then address, each counted and
/// decided in one statement); then the referral, and the referrer's first status mail.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    f: FormData,
) -> Result<Response, AppError> {
    let Some(a) = address(&state, &token).await? else {
        return Ok(gone(&ctx));
    };
    let t = Tr::new(ctx.lang);
    let at = mtp_store::now();
    let stamp = check_form_token(&state.secret, &token, f.get("form_token"), at);
    let trap = !f.get("homepage").is_empty();
    if stamp.is_err() || trap {
        let why = match (trap, stamp) {
            (true, _) => "trap field",
            (_, Err(StampRefused::TooFresh)) => "too fresh",
            (_, Err(StampRefused::TooOld)) => "too old",
            _ => "stamp",
        };
        state.store.audit_address_refusal(&a, why).await?;
        let mut e = FormErrors::default();
        e.add("first_name", t.get("refer-error-check"));
        return Ok(unprocessable(form_page(&state, &ctx, &token, a, f, e)));
    }
    let mut e = FormErrors::default();
    let draft = ReferralDraft::parse(&referral_form(&f)).map_err(|errors| e.fields(&t, errors));
    let referrer = e.take(&t, "referrer_email", Email::parse(f.get("referrer_email")));
    let (Ok(draft), Some(referrer)) = (draft, referrer) else {
        return Ok(unprocessable(form_page(&state, &ctx, &token, a, f, e)));
    };
    let network = ratelimit::key(&state.secret, "refer-ip", &ratelimit::network(ctx.ip));
    if !state.store.take_network_use(&network, at).await? {
        state
            .store
            .audit_address_refusal(&a, "network limit")
            .await?;
        return Ok(plain(&ctx, "refer-limited", StatusCode::TOO_MANY_REQUESTS));
    }
    if !state.store.take_address_use(a.address_id, at).await? {
        state.store.give_back_network_use(&network).await?;
        state
            .store
            .audit_address_refusal(&a, "address limit")
            .await?;
        return Ok(plain(&ctx, "refer-limited", StatusCode::TOO_MANY_REQUESTS));
    }
    let made = match state
        .store
        .create_address_referral(&token, &draft, &referrer, at)
        .await
    {
        Ok(made) => made,
        Err(mtp_store::StoreError::Refused(key)) => {
            e.add("neighbourhood_id", t.get(key));
            return Ok(unprocessable(form_page(&state, &ctx, &token, a, f, e)));
        }
        Err(mtp_store::StoreError::NotFound) => return Ok(gone(&ctx)),
        Err(err) => return Err(err.into()),
    };
    let received = StatusChange {
        referral_id: made.referral_id,
        made_at: at,
        status: PartnerStatus::Received,
        partner_name: a.partner_name.clone(),
        lang: None,
    };
    mail_status(&state, &received, ctx.lang).await?;
    Ok(plain(&ctx, "refer-thanks", StatusCode::OK))
}

// ---------------------------------------------------------------- the status mails

/// Queue the referrer's mail about one status, in their language, with the signed link.
async fn mail_status(
    state: &AppState,
    change: &StatusChange,
    lang: Language,
) -> Result<bool, AppError> {
    let t = Tr::new(lang);
    let url = format!(
        "{}/referral-status/{}",
        state.cfg.public_url,
        status_token(&state.secret, change.referral_id)
    );
    let (subject, text) = match change.status {
        PartnerStatus::Received => (
            t.get("refer-mail-subject"),
            t.get2(
                "refer-mail-text",
                ("partner", &change.partner_name),
                ("url", &url),
            ),
        ),
        other => {
            let status = t.get(other.key());
            (
                t.get1("refer-mail-status-subject", "status", status.as_str()),
                format!(
                    "{}\n\n{}",
                    t.get1("refer-mail-status-now", "status", status.as_str()),
                    t.get2(
                        "refer-mail-status-text",
                        ("partner", &change.partner_name),
                        ("url", &url),
                    )
                ),
            )
        }
    };
    Ok(state
        .store
        .mail_referrer_status(change, lang.as_str(), &subject, &text)
        .await?)
}

/// Tell referrers who used a referral address each change of their referral's status
/// (received → contact made → joined an activity / did not join), once each, in the language
/// they used the form in. The server runs this every few minutes; it is idempotent, so
/// several app servers may run it at once. Returns how many mails were queued.
pub async fn mail_referrer_status_changes(state: &AppState) -> Result<usize, AppError> {
    let mut queued = 0;
    for change in state.store.referrer_status_changes(500).await? {
        let lang = change
            .lang
            .as_deref()
            .and_then(Language::parse)
            .unwrap_or_default();
        if mail_status(state, &change, lang).await? {
            queued += 1;
        }
    }
    state
        .store
        .erase_stale_referrer_addresses(mtp_store::now())
        .await?;
    Ok(queued)
}

// ---------------------------------------------------------------- the status link

#[derive(Template)]
#[template(path = "referral_status.html")]
struct StatusPage {
    p: Page,
    status: String,
    since: String,
}

/// `GET /referral-status/{token}`: one referral's minimal status and its date; nothing else.
pub async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(id) = status_referral(&state.secret, &token) else {
        return Ok(plain(&ctx, "referral-status-unknown", StatusCode::OK));
    };
    let Some((status, since)) = state.store.address_referral_status(id).await? else {
        return Ok(plain(&ctx, "referral-status-unknown", StatusCode::OK));
    };
    let p = Page::new(&ctx, "referral-status-title");
    Ok(render_page(&StatusPage {
        status: p.t.get(status.key()),
        since: p.t.date(since),
        p,
    }))
}

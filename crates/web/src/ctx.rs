//! Who is asking: the per-request context every handler and the gate read.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use hmac::{Hmac, Mac};
use mtp_domain::{Language, Role, Tenant};
use mtp_store::portal::PortalVisitor;
use mtp_store::{Account, Organisation};
use sha2::Sha256;

use crate::AppState;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "mtp_session";
pub const ANON_COOKIE: &str = "mtp_anon";
pub const LANG_COOKIE: &str = "mtp_lang";
pub const FLASH_COOKIE: &str = "mtp_flash";
/// A parent's portal session: separate from staff sessions, so neither ever opens the other.
pub const PORTAL_COOKIE: &str = "mtp_portal";

/// A fully signed-in account.
#[derive(Debug, Clone)]
pub struct User {
    pub account: Account,
    pub org: Organisation,
    pub tenant: Tenant,
}

impl User {
    pub fn role(&self) -> Role {
        self.account.role
    }
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Language,
    /// The token every form of this page must send back.
    pub csrf: String,
    pub user: Option<User>,
    /// Password given, security code still to come.
    pub pending: Option<Account>,
    pub session_token: Option<String>,
    /// A parent signed in to the portal, and their cookie token.
    pub parent: Option<PortalVisitor>,
    pub portal_token: Option<String>,
    pub ip: Option<IpAddr>,
    pub path: String,
    /// A notification to show once (a Fluent key, with an optional argument).
    pub flash: Option<(String, String)>,
}

impl Ctx {
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Forbidden)
    }

    pub fn parent(&self) -> Result<&PortalVisitor, AppError> {
        self.parent.as_ref().ok_or(AppError::Forbidden)
    }

    pub fn actor_role(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.role().as_str().to_string())
            .unwrap_or_else(|| "anonymous".into())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or(AppError::Internal)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_graphic()))
}

/// A `Set-Cookie` value. `max_age` of 0 removes the cookie.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.cfg.secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

/// CSRF token bound to the session (or, before sign-in, to the anonymous cookie).
pub fn csrf_token(secret: &str, binding: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(b"csrf\0");
            mac.update(binding.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Flash arguments (a first name) travel percent-encoded in the cookie.
pub fn encode_flash_arg(arg: &str) -> String {
    url::form_urlencoded::byte_serialize(arg.as_bytes()).collect()
}

pub fn decode_flash_arg(arg: &str) -> String {
    url::form_urlencoded::parse(format!("a={arg}").as_bytes())
        .next()
        .map(|(_, v)| v.chars().take(100).collect())
        .unwrap_or_default()
}

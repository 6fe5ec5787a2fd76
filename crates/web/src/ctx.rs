//! Who is asking: the per-request context every handler and the gate read.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use mtp_domain::{Language, Role, Tenant};
use mtp_store::portal::PortalVisitor;
use mtp_store::{Account, Organisation};
use sha2::Sha256;

use crate::AppState;
use crate::error::{AppError, ErrorPage};

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

fn client_ip(state: &AppState, req: &Request) -> Option<IpAddr> {
    if state.cfg.trust_proxy {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Middleware: build the `Ctx`, run the request, and render error pages in the user's language.
pub async fn load(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    // Assets and probes need no session: no database round trips, no cookies.
    let path = req.uri().path();
    if path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics") {
        let ctx = Ctx {
            lang: cookie(&headers, LANG_COOKIE)
                .and_then(crate::i18n::supported)
                .unwrap_or_default(),
            csrf: String::new(),
            user: None,
            pending: None,
            session_token: None,
            parent: None,
            portal_token: None,
            ip: None,
            path: path.to_string(),
            flash: None,
        };
        req.extensions_mut().insert(ctx.clone());
        let res = next.run(req).await;
        return match res.extensions().get::<ErrorPage>().copied() {
            Some(page) => crate::error::render(&ctx, page),
            None => res,
        };
    }
    let mut set_cookies: Vec<HeaderValue> = Vec::new();

    let mut user = None;
    let mut pending = None;
    let mut session_token = None;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        match state.store.session(token).await {
            Ok(Some(info)) => {
                session_token = Some(token.to_string());
                if info.second_factor_done {
                    let tenant = Tenant {
                        org_id: info.org.id,
                        role: info.account.role,
                        neighbourhoods: info.account.neighbourhoods.clone(),
                    };
                    user = Some(User {
                        account: info.account,
                        org: info.org,
                        tenant,
                    });
                } else {
                    pending = Some(info.account);
                }
            }
            Ok(None) => set_cookies.push(set_cookie(&state, SESSION_COOKIE, "", Some(0))),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return AppError::Internal.into_response();
            }
        }
    }

    let mut parent = None;
    let mut portal_token = None;
    if let Some(token) = cookie(&headers, PORTAL_COOKIE)
        && req.uri().path().starts_with("/portal")
    {
        match state.store.portal_visitor(token).await {
            Ok(Some(v)) => {
                parent = Some(v);
                portal_token = Some(token.to_string());
            }
            Ok(None) => set_cookies.push(set_cookie(&state, PORTAL_COOKIE, "", Some(0))),
            Err(e) => {
                tracing::error!(error = %e, "portal session lookup failed");
                return AppError::Internal.into_response();
            }
        }
    }

    let binding = match session_token.as_ref().or(portal_token.as_ref()) {
        Some(t) => t.clone(),
        None => match cookie(&headers, ANON_COOKIE) {
            Some(a) => a.to_string(),
            None => {
                let a = mtp_store::sign_in::random_token();
                set_cookies.push(set_cookie(&state, ANON_COOKIE, &a, None));
                a
            }
        },
    };

    let lang = user
        .as_ref()
        .map(|u| u.account.lang)
        .filter(|l| crate::i18n::languages().contains(l))
        .or_else(|| cookie(&headers, LANG_COOKIE).and_then(crate::i18n::supported))
        .unwrap_or_default();

    let flash = cookie(&headers, FLASH_COOKIE).map(|v| match v.split_once(':') {
        Some((k, arg)) => (k.to_string(), decode_flash_arg(arg)),
        None => (v.to_string(), String::new()),
    });

    let ctx = Ctx {
        lang,
        csrf: csrf_token(&state.secret, &binding),
        user,
        pending,
        session_token,
        parent,
        portal_token,
        ip: client_ip(&state, &req),
        path: req.uri().path().to_string(),
        flash,
    };
    req.extensions_mut().insert(ctx.clone());

    let mut res = next.run(req).await;
    if let Some(page) = res.extensions().get::<ErrorPage>().copied() {
        res = crate::error::render(&ctx, page);
    }
    // A page for one person must not be kept by a shared cache.
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    for c in set_cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    // The message was read, so it goes; unless this response brings a new one, which a clearing
    // cookie after it would throw away (a second form sent before the first one's page showed).
    let prefix = format!("{FLASH_COOKIE}=");
    let new_flash = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().is_ok_and(|c| c.starts_with(&prefix)));
    if ctx.flash.is_some() && !new_flash {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, FLASH_COOKIE, "", Some(0)),
        );
    }
    res
}

/// Flash arguments (a first name) travel percent-encoded in the cookie.
pub fn encode_flash_arg(arg: &str) -> String {
    url::form_urlencoded::byte_serialize(arg.as_bytes()).collect()
}

fn decode_flash_arg(arg: &str) -> String {
    url::form_urlencoded::parse(format!("a={arg}").as_bytes())
        .next()
        .map(|(_, v)| v.chars().take(100).collect())
        .unwrap_or_default()
}

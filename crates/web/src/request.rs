//! The middleware that builds each request's [`Ctx`] and, after the handler, renders error
//! markers as pages and sets the cookies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mtp_domain::Tenant;

use crate::AppState;
use crate::ctx::{
    ANON_COOKIE, Ctx, FLASH_COOKIE, LANG_COOKIE, PORTAL_COOKIE, SESSION_COOKIE, User, cookie,
    csrf_token, decode_flash_arg, set_cookie,
};
use crate::error::{AppError, ErrorPage};

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
    if crate::gate::needs_no_session(path) {
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
            Some(page) => crate::page::error_page(&ctx, page),
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
        res = crate::page::error_page(&ctx, page);
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

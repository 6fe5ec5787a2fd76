//! The one authorization gate. Every route is declared here, with its access rule, in one
//! table; the router is built from the same table, so a route cannot exist without a rule.
//! Anything the table does not allow is denied.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use mtp_domain::Role;
use mtp_domain::audit::{Action, Outcome};
use mtp_store::NewAuditEvent;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::routes::reminders;
use crate::routes::{
    account, activities, admin, audit_log, auth, calendar, chat, encourage, holidays, home,
    households, import, messages, portal, portal_staff, public, sessions,
};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Someone who gave their password and still has to give their security code.
    SecondFactor,
    /// Any signed-in account.
    SignedIn,
    /// Signed in with one of these roles.
    Roles(&'static [Role]),
    /// A scraper with the metrics token.
    Metrics,
    /// A parent signed in to the portal (and past the PIN, if their phone has one).
    Parent,
    /// A parent signed in to the portal, PIN or not: the PIN page itself.
    ParentAnyLock,
}

pub const ADMIN: &[Role] = &[Role::Admin];
pub const ADMIN_COORD: &[Role] = &[Role::Admin, Role::Coordinator];
/// The roles that handle household data.
pub const STAFF: &[Role] = &[Role::Admin, Role::Coordinator, Role::Worker];
/// Staff, and hosts for the list of first names.
pub const STAFF_HOST: &[Role] = &[Role::Admin, Role::Coordinator, Role::Worker, Role::Host];

/// One row of the table: method, path pattern, rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

type Table = Vec<(Method, &'static str, Access, MethodRouter<AppState>)>;

// One line per route reads as the access policy it is; keep it that way.
#[rustfmt::skip]
fn table() -> Table {
    use Access::*;
    let g = || Method::GET;
    let p = || Method::POST;
    vec![
        (g(), "/healthz", Public, get(public::healthz)),
        (g(), "/readyz", Public, get(public::readyz)),
        (g(), "/static/{file}", Public, get(crate::assets::serve)),
        (g(), "/lang/{lang}", Public, get(public::switch_language)),
        (p(), "/lang/{lang}", Public, post(public::switch_language_post)),
        (g(), "/toegankelijkheid", Public, get(public::accessibility)),
        (g(), "/privacy", Public, get(public::privacy)),
        (g(), "/metrics", Metrics, get(crate::metrics::endpoint)),
        (g(), "/setup", Public, get(auth::setup_form)),
        (p(), "/setup", Public, post(auth::setup_submit)),
        (g(), "/login", Public, get(auth::login_form)),
        (p(), "/login", Public, post(auth::login_submit)),
        (g(), "/login/code", SecondFactor, get(auth::code_form)),
        (p(), "/login/code", SecondFactor, post(auth::code_submit)),
        (p(), "/logout", Public, post(auth::logout)),
        (g(), "/", SignedIn, get(home::home)),
        (g(), "/account/password", SignedIn, get(account::password_form)),
        (p(), "/account/password", SignedIn, post(account::password_submit)),
        (g(), "/account/two-factor", SignedIn, get(account::two_factor_form)),
        (p(), "/account/two-factor", SignedIn, post(account::two_factor_submit)),
        (p(), "/account/two-factor/off", SignedIn, post(account::two_factor_off)),
        (p(), "/account/sign-out-everywhere", SignedIn, post(account::sign_out_everywhere)),
        (g(), "/admin/organisation", Roles(ADMIN), get(admin::org_form)),
        (p(), "/admin/organisation", Roles(ADMIN), post(admin::org_submit)),
        (g(), "/admin/neighbourhoods", Roles(ADMIN_COORD), get(admin::neighbourhoods)),
        (g(), "/admin/neighbourhoods/new", Roles(ADMIN), get(admin::neighbourhood_new)),
        (p(), "/admin/neighbourhoods/new", Roles(ADMIN), post(admin::neighbourhood_create)),
        (g(), "/admin/neighbourhoods/{id}", Roles(ADMIN_COORD), get(admin::neighbourhood_edit)),
        (p(), "/admin/neighbourhoods/{id}", Roles(ADMIN_COORD), post(admin::neighbourhood_update)),
        (g(), "/admin/accounts", Roles(ADMIN_COORD), get(admin::accounts)),
        (g(), "/admin/accounts/new", Roles(ADMIN_COORD), get(admin::account_new)),
        (p(), "/admin/accounts/new", Roles(ADMIN_COORD), post(admin::account_create)),
        (g(), "/admin/accounts/{id}", Roles(ADMIN_COORD), get(admin::account_edit)),
        (p(), "/admin/accounts/{id}", Roles(ADMIN_COORD), post(admin::account_update)),
        (p(), "/admin/accounts/{id}/disable", Roles(ADMIN_COORD), post(admin::account_disable)),
        (p(), "/admin/accounts/{id}/enable", Roles(ADMIN_COORD), post(admin::account_enable)),
        (g(), "/admin/accounts/{id}/reset-password", Roles(ADMIN_COORD), get(admin::reset_password_confirm)),
        (p(), "/admin/accounts/{id}/reset-password", Roles(ADMIN_COORD), post(admin::reset_password)),
        (p(), "/admin/accounts/{id}/reset-two-factor", Roles(ADMIN_COORD), post(admin::reset_two_factor)),
        (g(), "/admin/retention", Roles(ADMIN_COORD), get(admin::retention)),
        (p(), "/admin/retention/run", Roles(ADMIN), post(admin::retention_run)),
        (g(), "/admin/holidays", Roles(ADMIN_COORD), get(holidays::list)),
        (p(), "/admin/holidays", Roles(ADMIN), post(holidays::add)),
        (p(), "/admin/holidays/{id}/remove", Roles(ADMIN), post(holidays::remove)),
        (p(), "/admin/holidays/{id}/restore", Roles(ADMIN), post(holidays::restore)),
        (g(), "/audit", Roles(ADMIN_COORD), get(audit_log::audit)),
        (g(), "/households", Roles(STAFF_HOST), get(households::list)),
        (g(), "/households/new", Roles(STAFF), get(households::new_form)),
        (p(), "/households/new", Roles(STAFF), post(households::create)),
        (g(), "/households/{id}", Roles(STAFF), get(households::show)),
        (g(), "/households/{id}/edit", Roles(STAFF), get(households::edit_form)),
        (p(), "/households/{id}/edit", Roles(STAFF), post(households::update)),
        (p(), "/households/{id}/status", Roles(STAFF), post(households::change_status)),
        (p(), "/households/{id}/consent", Roles(STAFF), post(households::change_consent)),
        (g(), "/households/{id}/export", Roles(STAFF), get(households::export_page)),
        (g(), "/households/{id}/export.json", Roles(STAFF), get(households::export_json)),
        (g(), "/households/{id}/erase", Roles(STAFF), get(households::erase_confirm)),
        (p(), "/households/{id}/erase", Roles(STAFF), post(households::erase)),
        (g(), "/households/{id}/merge/{other}", Roles(STAFF), get(households::merge_confirm)),
        (p(), "/households/{id}/merge/{other}", Roles(STAFF), post(households::merge)),
        (p(), "/households/{id}/calendar", Roles(STAFF), post(calendar::renew)),
        (p(), "/households/{id}/calendar/revoke", Roles(STAFF), post(calendar::revoke)),
        (g(), "/households/import", Roles(STAFF), get(import::upload_form)),
        (p(), "/households/import", Roles(STAFF), post(import::upload).layer(DefaultBodyLimit::max(import::MAX_UPLOAD))),
        (g(), "/households/import/template.csv", Roles(STAFF), get(import::template)),
        (g(), "/households/import/{id}/columns", Roles(STAFF), get(import::columns_form)),
        (p(), "/households/import/{id}/columns", Roles(STAFF), post(import::columns_submit)),
        (g(), "/households/import/{id}/check", Roles(STAFF), get(import::check_form)),
        (p(), "/households/import/{id}/check", Roles(STAFF), post(import::check_submit)),
        (g(), "/households/import/{id}/errors.csv", Roles(STAFF), get(import::errors_csv)),
        (g(), "/households/import/{id}/confirm", Roles(STAFF), get(import::confirm_form)),
        (p(), "/households/import/{id}/confirm", Roles(STAFF), post(import::commit)),
        (g(), "/activities", Roles(STAFF), get(activities::list)),
        (g(), "/activities/new", Roles(STAFF), get(activities::new_form)),
        (p(), "/activities/new", Roles(STAFF), post(activities::create)),
        (g(), "/activities/{id}", Roles(STAFF), get(activities::show)),
        (g(), "/activities/{id}/edit", Roles(STAFF), get(activities::edit_form)),
        (p(), "/activities/{id}/edit", Roles(STAFF), post(activities::update)),
        (p(), "/activities/{id}/plan", Roles(STAFF), post(activities::plan_weekly)),
        (p(), "/activities/{id}/sessions", Roles(STAFF), post(activities::add_session)),
        (p(), "/activities/{id}/register", Roles(STAFF), post(activities::register)),
        (p(), "/activities/{id}/unregister", Roles(STAFF), post(activities::unregister)),
        (g(), "/sessions", Roles(STAFF_HOST), get(sessions::programme)),
        (g(), "/sessions/{id}", Roles(STAFF), get(sessions::show)),
        (p(), "/sessions/{id}/plan", Roles(STAFF), post(sessions::plan)),
        (p(), "/sessions/{id}/state", Roles(STAFF), post(sessions::set_state)),
        (p(), "/sessions/{id}/move", Roles(STAFF), post(sessions::move_session)),
        (p(), "/sessions/{id}/staff", Roles(STAFF), post(sessions::staff)),
        (p(), "/sessions/{id}/staff/reply", Roles(STAFF_HOST), post(sessions::reply)),
        (p(), "/sessions/{id}/attendance", Roles(STAFF), post(sessions::attendance)),
        (p(), "/sessions/{id}/rsvp", Roles(STAFF), post(sessions::rsvp)),
        (g(), "/sessions/{id}/checkin", Roles(STAFF_HOST), get(sessions::checkin_page)),
        (p(), "/sessions/{id}/checkin", Roles(STAFF_HOST), post(sessions::checkin)),
        (p(), "/sessions/{id}/walk-in", Roles(STAFF_HOST), post(sessions::walk_in)),
        (g(), "/sessions/{id}/encourage", Roles(STAFF), get(encourage::show)),
        (p(), "/sessions/{id}/encourage/email", Roles(STAFF), post(encourage::email)),
        (g(), "/chat", Roles(STAFF), get(chat::show)),
        (g(), "/messages", Roles(STAFF), get(messages::show)),
        (p(), "/messages", Roles(STAFF), post(messages::save)),
        (p(), "/chat/members", Roles(STAFF), post(chat::change)),
        (p(), "/chat/posts", Roles(STAFF), post(chat::post)),
        (p(), "/sessions/{id}/encourage/contact", Roles(STAFF), post(encourage::contact)),
        (g(), "/encourage", Roles(STAFF), get(encourage::overview)),
        (p(), "/encourage/follow-ups/{id}/done", Roles(STAFF), post(encourage::follow_up_done)),
        (g(), "/calendar/{file}", Public, get(calendar::household_feed)),
        (g(), "/programme/{file}", Public, get(calendar::programme_feed)),
        (g(), "/reminders", Roles(STAFF), get(reminders::list)),
        (g(), "/unsubscribe/{token}", Public, get(reminders::unsubscribe_form)),
        (p(), "/unsubscribe/{token}", Public, post(reminders::unsubscribe)),
        (p(), "/households/{id}/portal-link", Roles(STAFF), post(portal_staff::make_link)),
        (p(), "/households/{id}/portal-end", Roles(STAFF), post(portal_staff::end_access)),
        (p(), "/requests/{id}/done", Roles(STAFF), post(portal_staff::finish_request)),
        (p(), "/ideas/{id}/hide", Roles(STAFF), post(portal_staff::hide_idea)),
        (g(), "/portal/login", Public, get(portal::login_form)),
        (p(), "/portal/login", Public, post(portal::login_request)),
        (g(), "/portal/link/{token}", Public, get(portal::link_form)),
        (p(), "/portal/link/{token}", Public, post(portal::link_sign_in)),
        (p(), "/portal/logout", Public, post(portal::logout)),
        (g(), "/portal/unlock", ParentAnyLock, get(portal::unlock_form)),
        (p(), "/portal/unlock", ParentAnyLock, post(portal::unlock)),
        (g(), "/portal", Parent, get(portal::home)),
        (g(), "/portal/activities", Parent, get(portal::activities)),
        (g(), "/portal/sessions/{id}", Parent, get(portal::answer_form)),
        (p(), "/portal/sessions/{id}", Parent, post(portal::answer)),
        (g(), "/portal/sessions/{id}/calendar.ics", Parent, get(portal::session_ics)),
        (g(), "/portal/calendar", Parent, get(portal::calendar_page)),
        (p(), "/portal/calendar", Parent, post(portal::calendar_address)),
        (g(), "/portal/ideas", Parent, get(portal::ideas)),
        (p(), "/portal/ideas", Parent, post(portal::add_idea)),
        (p(), "/portal/ideas/{id}/vote", Parent, post(portal::vote)),
        (g(), "/portal/consents", Parent, get(portal::consents)),
        (g(), "/portal/consents/{purpose}", Parent, get(portal::consent_question)),
        (p(), "/portal/consents/{purpose}", Parent, post(portal::consent_check)),
        (p(), "/portal/consents/{purpose}/confirm", Parent, post(portal::consent_confirm)),
        (g(), "/portal/consents/{purpose}/done", Parent, get(portal::consent_done)),
        (g(), "/portal/data", Parent, get(portal::data)),
        (g(), "/portal/data/download", Parent, get(portal::download)),
        (g(), "/portal/data/contact", Parent, get(portal::contact_form)),
        (p(), "/portal/data/contact", Parent, post(portal::contact_save)),
        (g(), "/portal/data/erase", Parent, get(portal::erase_form)),
        (p(), "/portal/data/erase", Parent, post(portal::erase_request)),
        (g(), "/portal/pin", Parent, get(portal::pin_form)),
        (p(), "/portal/pin", Parent, post(portal::pin_save)),
    ]
}

/// Every route and its rule, for the role × route test and the documentation.
pub fn rules() -> Vec<Rule> {
    table()
        .into_iter()
        .map(|(method, path, access, _)| Rule {
            method,
            path,
            access,
        })
        .collect()
}

static RULES: LazyLock<HashMap<(Method, &'static str), Access>> = LazyLock::new(|| {
    rules()
        .into_iter()
        .map(|r| ((r.method, r.path), r.access))
        .collect()
});

pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for (_, path, _, handler) in table() {
        r = r.route(path, handler);
    }
    r.route_layer(axum::middleware::from_fn_with_state(state.clone(), check))
        .route_layer(axum::middleware::from_fn(crate::metrics::expose_route))
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}

/// The rule of a route; `HEAD` is checked as `GET`.
fn rule(method: &Method, path: &str) -> Option<Access> {
    let method = if method == Method::HEAD {
        Method::GET
    } else {
        method.clone()
    };
    RULES.get(&(method, path)).copied()
}

/// Whether an account with this role may use the route `path` (a pattern of the table, such as
/// `/households/{id}`) with `method`: the rule [`check`] applies to the request of an account in
/// good standing (no password change or two-factor set-up pending). Menus and links ask this,
/// so they never offer what the gate refuses.
pub fn allows(role: Role, method: &Method, path: &str) -> bool {
    match rule(method, path) {
        Some(Access::Public | Access::SignedIn) => true,
        Some(Access::Roles(roles)) => roles.contains(&role),
        Some(Access::SecondFactor | Access::Metrics | Access::Parent | Access::ParentAnyLock)
        | None => false,
    }
}

/// Whether a parent in the portal may use the route: every portal page, and only the PIN page
/// while their phone is locked; the same rule [`check`] applies to a request.
pub fn parent_allows(locked: bool, method: &Method, path: &str) -> bool {
    match rule(method, path) {
        Some(Access::Public | Access::ParentAnyLock) => true,
        Some(Access::Parent) => !locked,
        Some(Access::SecondFactor | Access::SignedIn | Access::Roles(_) | Access::Metrics)
        | None => false,
    }
}

/// Routes that are answered without a session: the probes, the metrics scrape and the assets.
/// `request::load` neither looks a session up nor sets a cookie for them.
const NO_SESSION: &[&str] = &["/healthz", "/readyz", "/metrics", "/static/{file}"];

/// Whether a request for `path` (as sent, not a pattern) is answered without a session.
pub fn needs_no_session(path: &str) -> bool {
    NO_SESSION
        .iter()
        .any(|route| match route.strip_suffix("{file}") {
            Some(folder) => path.starts_with(folder),
            None => path == *route,
        })
}

/// Paths a signed-in account may still reach while it must first change its password or
/// set up two-factor sign-in.
const ALWAYS_REACHABLE: &[&str] = &[
    "/logout",
    "/account/password",
    "/account/two-factor",
    "/lang/{lang}",
    "/static/{file}",
];

/// POST routes that carry their own secret and are posted by mail programs, not our forms.
const ONE_CLICK: &[&str] = &["/unsubscribe/{token}"];

/// Forms are small; anything larger is refused before it is parsed.
const FORM_LIMIT: usize = 64 * 1024;

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Internal.into_response();
    };
    let Some(access) = rule(&method, &path) else {
        tracing::error!(%method, %path, "route without an access rule: denied");
        return AppError::Forbidden.into_response();
    };

    match access {
        Access::Public => {}
        Access::Metrics => return next.run(req).await,
        Access::SecondFactor => {
            if ctx.pending.is_none() {
                return Redirect::to("/login").into_response();
            }
        }
        Access::Parent | Access::ParentAnyLock => {
            let Some(parent) = &ctx.parent else {
                return Redirect::to("/portal/login").into_response();
            };
            if access == Access::Parent && parent.locked {
                return Redirect::to("/portal/unlock").into_response();
            }
            // A phone with a PIN stays open while it is being used (one write a minute at most).
            if access == Access::Parent
                && parent.touch
                && let Some(token) = &ctx.portal_token
                && let Err(e) = state.store.touch_portal_unlock(token).await
            {
                tracing::error!(error = %e, "could not keep the portal open");
            }
        }
        Access::SignedIn | Access::Roles(_) => {
            let Some(user) = &ctx.user else {
                return Redirect::to("/login").into_response();
            };
            if !ALWAYS_REACHABLE.contains(&path.as_str()) {
                if user.account.must_change_password {
                    return Redirect::to("/account/password").into_response();
                }
                if user.org.two_factor.requires(user.role()) && !user.account.totp_enabled {
                    return Redirect::to("/account/two-factor").into_response();
                }
            }
            if let Access::Roles(roles) = access
                && !roles.contains(&user.role())
            {
                deny(&state, &ctx, &method, &path).await;
                return AppError::Forbidden.into_response();
            }
        }
    }

    // One-click unsubscribe (RFC 8058): a mail program posts without a session or a form;
    // the secret in the address is the credential.
    if method == Method::POST && ONE_CLICK.contains(&path.as_str()) {
        return next.run(req).await;
    }
    if method == Method::POST {
        return match check_csrf(&ctx, req).await {
            Ok(req) => next.run(req).await,
            Err(e) => e.into_response(),
        };
    }
    next.run(req).await
}

/// Record a refused request in the audit trail (who tried what), without the request's data.
pub async fn deny(state: &AppState, ctx: &Ctx, method: &Method, path: &str) {
    let Some(user) = &ctx.user else { return };
    let event = NewAuditEvent {
        org_id: user.org.id,
        actor_id: Some(user.account.id),
        actor_role: ctx.actor_role(),
        action: Action::AccessDenied,
        object_type: "route".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Denied,
        detail: format!("{method} {path}"),
    };
    if let Err(e) = state.store.audit(event).await {
        tracing::error!(error = %e, "could not write audit event");
    }
}

/// Every POST carries the page's CSRF token: in the `_csrf` field of a url-encoded form, or
/// in an `X-CSRF-Token` header for our own scripts.
async fn check_csrf(ctx: &Ctx, req: Request) -> Result<Request, AppError> {
    let (parts, body) = req.into_parts();
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // File uploads are not buffered here (they may be megabytes): their form carries the
    // token in its action URL instead, and the handler reads the body with its own limit.
    if content_type.starts_with("multipart/form-data") {
        let sent = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned())
            .or(header_token)
            .unwrap_or_default();
        if sent.is_empty() || !constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
            return Err(AppError::FormExpired);
        }
        return Ok(Request::from_parts(parts, body));
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let sent = match header_token {
        Some(t) => t,
        None if is_form => crate::forms::FormData::parse(&bytes)
            .get("_csrf")
            .to_string(),
        None => String::new(),
    };
    if sent.is_empty() || !constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
        return Err(AppError::FormExpired);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_exactly_one_rule() {
        let rules = rules();
        let mut seen = std::collections::HashSet::new();
        for r in &rules {
            assert!(
                seen.insert((r.method.clone(), r.path)),
                "duplicate rule {} {}",
                r.method,
                r.path
            );
        }
        assert_eq!(RULES.len(), rules.len());
    }

    #[test]
    fn admin_pages_are_never_public() {
        for r in rules() {
            if r.path.starts_with("/admin") || r.path == "/audit" {
                assert!(
                    matches!(r.access, Access::Roles(_)),
                    "{} {}",
                    r.method,
                    r.path
                );
            }
        }
    }

    #[test]
    fn only_open_routes_go_without_a_session() {
        for path in NO_SESSION {
            let access = rule(&Method::GET, path);
            assert!(
                matches!(access, Some(Access::Public | Access::Metrics)),
                "{path}: {access:?}"
            );
        }
        assert!(needs_no_session("/static/app.css"));
        assert!(needs_no_session("/healthz"));
        assert!(!needs_no_session("/healthz/x"));
        assert!(!needs_no_session("/login"));
    }

    #[test]
    fn allows_follows_the_table() {
        assert!(allows(Role::Admin, &Method::POST, "/admin/retention/run"));
        assert!(!allows(
            Role::Coordinator,
            &Method::POST,
            "/admin/retention/run"
        ));
        assert!(allows(Role::Host, &Method::HEAD, "/sessions"));
        assert!(allows(Role::Partner, &Method::GET, "/"));
        assert!(!allows(Role::Admin, &Method::GET, "/portal"));
        assert!(!allows(Role::Admin, &Method::GET, "/login/code"));
        assert!(!allows(Role::Admin, &Method::GET, "/no-such-page"));
        assert!(parent_allows(true, &Method::GET, "/portal/unlock"));
        assert!(!parent_allows(true, &Method::GET, "/portal"));
        assert!(parent_allows(false, &Method::GET, "/portal"));
    }

    #[test]
    fn tokens_compare_by_value() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}

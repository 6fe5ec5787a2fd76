//! The one authorization gate. Every route is declared here, with its access rule, in one
//! table; the router (`crate::router`) attaches a handler to each row and refuses to start when
//! a handler has no rule or a rule no handler, so a route cannot exist without a rule.
//! Anything the table does not allow is denied.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use mtp_domain::Role;
use mtp_domain::audit::{Action, Outcome};
use mtp_store::NewAuditEvent;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;

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
/// The pseudonymised research export (docs/guide/research.md): researchers, and administrators
/// who make the studies. Never a page with household data.
pub const RESEARCH: &[Role] = &[Role::Admin, Role::Researcher];
/// A partner account: its own organisation's referrals (docs/guide/referrals.md), never a
/// family's data.
pub const PARTNER: &[Role] = &[Role::Partner];
/// A family's own worker: the only staff who see a parent's individual questionnaire answers
/// (docs/outcomes.md §5); coordinators see the figures on /reports.
pub const WORKER: &[Role] = &[Role::Worker];
/// Wishes and the talent ledger (docs/guide/wishes.md, docs/guide/talent.md): the workers
/// and coordinators of the neighbourhood; never hosts, partners or researchers.
pub const COORD_WORKER: &[Role] = &[Role::Coordinator, Role::Worker];

/// Who reads the reports: staff for their neighbourhoods, researchers the aggregates with
/// small counts hidden (docs/indicators.md §10).
pub const REPORTS: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Worker,
    Role::Researcher,
];

/// One row of the table: method, path pattern, rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

// One line per route reads as the access policy it is; keep it that way.
#[rustfmt::skip]
fn table() -> Vec<(Method, &'static str, Access)> {
    use Access::*;
    let g = || Method::GET;
    let p = || Method::POST;
    vec![
        (g(), "/healthz", Public),
        (g(), "/readyz", Public),
        (g(), "/static/{file}", Public),
        (g(), "/lang/{lang}", Public),
        (p(), "/lang/{lang}", Public),
        (g(), "/toegankelijkheid", Public),
        (g(), "/privacy", Public),
        (g(), "/metrics", Metrics),
        (g(), "/setup", Public),
        (p(), "/setup", Public),
        (g(), "/login", Public),
        (p(), "/login", Public),
        (g(), "/login/code", SecondFactor),
        (p(), "/login/code", SecondFactor),
        (p(), "/logout", Public),
        (g(), "/", SignedIn),
        (g(), "/account/password", SignedIn),
        (p(), "/account/password", SignedIn),
        (g(), "/account/two-factor", SignedIn),
        (p(), "/account/two-factor", SignedIn),
        (p(), "/account/two-factor/off", SignedIn),
        (p(), "/account/sign-out-everywhere", SignedIn),
        (g(), "/admin/organisation", Roles(ADMIN)),
        (p(), "/admin/organisation", Roles(ADMIN)),
        (g(), "/admin/neighbourhoods", Roles(ADMIN_COORD)),
        (g(), "/admin/neighbourhoods/new", Roles(ADMIN)),
        (p(), "/admin/neighbourhoods/new", Roles(ADMIN)),
        (g(), "/admin/neighbourhoods/{id}", Roles(ADMIN_COORD)),
        (p(), "/admin/neighbourhoods/{id}", Roles(ADMIN_COORD)),
        (g(), "/admin/accounts", Roles(ADMIN_COORD)),
        (g(), "/admin/accounts/new", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/new", Roles(ADMIN_COORD)),
        (g(), "/admin/accounts/{id}", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/{id}", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/{id}/disable", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/{id}/enable", Roles(ADMIN_COORD)),
        (g(), "/admin/accounts/{id}/reset-password", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/{id}/reset-password", Roles(ADMIN_COORD)),
        (p(), "/admin/accounts/{id}/reset-two-factor", Roles(ADMIN_COORD)),
        (g(), "/admin/retention", Roles(ADMIN_COORD)),
        (p(), "/admin/retention/run", Roles(ADMIN)),
        (g(), "/admin/holidays", Roles(ADMIN_COORD)),
        (p(), "/admin/holidays", Roles(ADMIN)),
        (p(), "/admin/holidays/{id}/remove", Roles(ADMIN)),
        (p(), "/admin/holidays/{id}/restore", Roles(ADMIN)),
        (g(), "/audit", Roles(ADMIN_COORD)),
        (g(), "/reports", Roles(REPORTS)),
        (g(), "/reports/export.xlsx", Roles(STAFF)),
        // Time and money (issue #20, docs/guide/money.md): the budget for coordinators and
        // administrators; expenses for staff; each worker their own week, a coordinator their team's.
        (g(), "/budget", Roles(ADMIN_COORD)),
        (p(), "/budget", Roles(ADMIN_COORD)),
        (p(), "/budget/third-party", Roles(ADMIN_COORD)),
        (p(), "/budget/activities", Roles(ADMIN_COORD)),
        (g(), "/budget/print", Roles(ADMIN_COORD)),
        (g(), "/budget/export.xlsx", Roles(ADMIN_COORD)),
        (g(), "/budget/expenses", Roles(STAFF)),
        (p(), "/budget/expenses", Roles(STAFF)),
        (p(), "/budget/expenses/{id}/reverse", Roles(STAFF)),
        (g(), "/budget/receipts/{id}", Roles(STAFF)),
        (g(), "/time", Roles(STAFF)),
        (p(), "/time", Roles(STAFF)),
        (g(), "/households", Roles(STAFF_HOST)),
        (g(), "/households/new", Roles(STAFF)),
        (p(), "/households/new", Roles(STAFF)),
        (g(), "/households/{id}", Roles(STAFF)),
        (g(), "/households/{id}/edit", Roles(STAFF)),
        (p(), "/households/{id}/edit", Roles(STAFF)),
        (p(), "/households/{id}/status", Roles(STAFF)),
        (p(), "/households/{id}/quiet", Roles(STAFF)),
        (p(), "/households/{id}/consent", Roles(STAFF)),
        (g(), "/households/{id}/export", Roles(STAFF)),
        (g(), "/households/{id}/export.json", Roles(STAFF)),
        (g(), "/households/{id}/erase", Roles(STAFF)),
        (p(), "/households/{id}/erase", Roles(STAFF)),
        (g(), "/households/{id}/merge/{other}", Roles(STAFF)),
        (p(), "/households/{id}/merge/{other}", Roles(STAFF)),
        (p(), "/households/{id}/calendar", Roles(STAFF)),
        (p(), "/households/{id}/calendar/revoke", Roles(STAFF)),
        (g(), "/households/import", Roles(STAFF)),
        (p(), "/households/import", Roles(STAFF)),
        (g(), "/households/import/template.csv", Roles(STAFF)),
        (g(), "/households/import/{id}/columns", Roles(STAFF)),
        (p(), "/households/import/{id}/columns", Roles(STAFF)),
        (g(), "/households/import/{id}/check", Roles(STAFF)),
        (p(), "/households/import/{id}/check", Roles(STAFF)),
        (g(), "/households/import/{id}/errors.csv", Roles(STAFF)),
        (g(), "/households/import/{id}/confirm", Roles(STAFF)),
        (p(), "/households/import/{id}/confirm", Roles(STAFF)),
        (g(), "/activities", Roles(STAFF)),
        (g(), "/activities/new", Roles(STAFF)),
        (p(), "/activities/new", Roles(STAFF)),
        (g(), "/activities/{id}", Roles(STAFF)),
        (g(), "/activities/{id}/edit", Roles(STAFF)),
        (p(), "/activities/{id}/edit", Roles(STAFF)),
        (p(), "/activities/{id}/plan", Roles(STAFF)),
        (p(), "/activities/{id}/sessions", Roles(STAFF)),
        (p(), "/activities/{id}/register", Roles(STAFF)),
        (p(), "/activities/{id}/unregister", Roles(STAFF)),
        // Outings and holiday activities (issue #18, docs/guide/outings.md).
        (p(), "/activities/{id}/outing", Roles(STAFF)),
        (p(), "/activities/{id}/organisers", Roles(STAFF)),
        (p(), "/activities/{id}/organisers/remove", Roles(STAFF)),
        (p(), "/activities/{id}/rides", Roles(STAFF)),
        (p(), "/activities/{id}/rides/remove", Roles(STAFF)),
        (p(), "/activities/{id}/checks", Roles(STAFF)),
        (p(), "/activities/{id}/checks/set", Roles(STAFF)),
        (p(), "/activities/{id}/costs", Roles(STAFF)),
        (p(), "/activities/{id}/costs/remove", Roles(STAFF)),
        (g(), "/holiday-activities", Roles(ADMIN_COORD)),
        (p(), "/holiday-activities", Roles(ADMIN_COORD)),
        (p(), "/holiday-activities/hide", Roles(ADMIN_COORD)),
        (p(), "/holiday-activities/dates", Roles(ADMIN_COORD)),
        (g(), "/sessions", Roles(STAFF_HOST)),
        (g(), "/sessions/{id}", Roles(STAFF)),
        (p(), "/sessions/{id}/plan", Roles(STAFF)),
        (p(), "/sessions/{id}/state", Roles(STAFF)),
        (p(), "/sessions/{id}/move", Roles(STAFF)),
        (p(), "/sessions/{id}/staff", Roles(STAFF)),
        (p(), "/sessions/{id}/staff/reply", Roles(STAFF_HOST)),
        (p(), "/sessions/{id}/attendance", Roles(STAFF)),
        (p(), "/sessions/{id}/rsvp", Roles(STAFF)),
        (g(), "/sessions/{id}/checkin", Roles(STAFF_HOST)),
        (p(), "/sessions/{id}/checkin", Roles(STAFF_HOST)),
        (p(), "/sessions/{id}/walk-in", Roles(STAFF_HOST)),
        (g(), "/sessions/{id}/encourage", Roles(STAFF)),
        (p(), "/sessions/{id}/encourage/email", Roles(STAFF)),
        (g(), "/chat", Roles(STAFF)),
        (g(), "/messages", Roles(STAFF)),
        (p(), "/messages", Roles(STAFF)),
        (p(), "/chat/members", Roles(STAFF)),
        (p(), "/chat/posts", Roles(STAFF)),
        (p(), "/sessions/{id}/encourage/contact", Roles(STAFF)),
        (g(), "/encourage", Roles(STAFF)),
        (p(), "/encourage/follow-ups/{id}/done", Roles(STAFF)),
        (g(), "/calendar/{file}", Public),
        (g(), "/programme/{file}", Public),
        (g(), "/reminders", Roles(STAFF)),
        (g(), "/unsubscribe/{token}", Public),
        (p(), "/unsubscribe/{token}", Public),
        (p(), "/households/{id}/portal-link", Roles(STAFF)),
        (p(), "/households/{id}/portal-end", Roles(STAFF)),
        (p(), "/requests/{id}/done", Roles(STAFF)),
        // An erasure request: erase, or refuse with a reason (issue #22).
        (g(), "/requests/{id}", Roles(STAFF)),
        (p(), "/requests/{id}/refuse", Roles(STAFF)),
        (p(), "/ideas/{id}/hide", Roles(STAFF)),
        (g(), "/research", Roles(RESEARCH)),
        (p(), "/research/studies", Roles(ADMIN)),
        (g(), "/research/export.csv", Roles(RESEARCH)),
        (g(), "/research/export.xlsx", Roles(RESEARCH)),
        (g(), "/partners", Roles(STAFF)),
        (g(), "/partners/new", Roles(ADMIN_COORD)),
        (p(), "/partners/new", Roles(ADMIN_COORD)),
        (g(), "/partners/{id}", Roles(STAFF)),
        (g(), "/partners/{id}/edit", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/edit", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/contacts", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/contacts/{contact}/remove", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/briefings", Roles(ADMIN_COORD)),
        (g(), "/partners/{id}/delete", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/delete", Roles(ADMIN_COORD)),
        // Inbound referrals (issue #16): the partner refers and follows its own; the team acts.
        (g(), "/referrals", Roles(PARTNER)),
        (g(), "/referrals/new", Roles(PARTNER)),
        (p(), "/referrals/new", Roles(PARTNER)),
        (g(), "/referrals/inbox", Roles(STAFF)),
        (g(), "/referrals/{id}", Roles(STAFF)),
        (p(), "/referrals/{id}/link", Roles(STAFF)),
        (p(), "/referrals/{id}/household", Roles(STAFF)),
        (p(), "/referrals/{id}/merge", Roles(STAFF)),
        // The parent's one-time link: the secret in the address is the credential.
        (g(), "/referral/{token}", Public),
        (p(), "/referral/{token}", Public),
        // Secret referral addresses for partners without an account: coordinators make and
        // revoke them; the form behind one works without signing in, limited per address and
        // per network address; the referrer's status link is signed
        // (docs/guide/referrals.md#a-referral-address, docs/security.md).
        (p(), "/partners/{id}/referral-address", Roles(ADMIN_COORD)),
        (p(), "/partners/{id}/referral-address/revoke", Roles(ADMIN_COORD)),
        (g(), "/refer/{token}", Public),
        (p(), "/refer/{token}", Public),
        (g(), "/referral-status/{token}", Public),
        // Referrals to help (docs/guide/help-referrals.md): staff of the household's
        // neighbourhood; never partners, hosts or researchers.
        (g(), "/households/{id}/help-referrals", Roles(STAFF)),
        // The figures: coordinators and administrators.
        (g(), "/help-referrals", Roles(ADMIN_COORD)),
        (p(), "/households/{id}/help-referrals", Roles(STAFF)),
        (g(), "/help-referrals/{id}", Roles(STAFF)),
        (p(), "/help-referrals/{id}/step", Roles(STAFF)),
        (p(), "/help-referrals/{id}/follow-up", Roles(STAFF)),
        // Parents' quotes: recorded by staff from the household page; the publicity list for
        // coordinators (docs/guide/help-referrals.md#quotes-and-publicity).
        (g(), "/households/{id}/quotes", Roles(STAFF)),
        (p(), "/households/{id}/quotes", Roles(STAFF)),
        (p(), "/quotes/{id}/remove", Roles(STAFF)),
        (g(), "/publicity", Roles(ADMIN_COORD)),
        // A new site's start (issue #19, docs/guide/scan.md): the neighbourhood's staff read the
        // scan, the action plan and the checklist; its coordinators and administrators change
        // them (the store checks the neighbourhood is theirs). Never hosts, partners or
        // researchers.
        (g(), "/neighbourhoods/{id}/scan", Roles(STAFF)),
        (p(), "/neighbourhoods/{id}/scan", Roles(ADMIN_COORD)),
        (p(), "/neighbourhoods/{id}/scan/informants", Roles(ADMIN_COORD)),
        (g(), "/neighbourhoods/{id}/plan", Roles(STAFF)),
        (g(), "/neighbourhoods/{id}/plan/edit", Roles(ADMIN_COORD)),
        (p(), "/neighbourhoods/{id}/plan", Roles(ADMIN_COORD)),
        (g(), "/neighbourhoods/{id}/start", Roles(STAFF)),
        (p(), "/neighbourhoods/{id}/start", Roles(ADMIN_COORD)),
        // Wishes that become workshops (docs/guide/wishes.md, issue #18).
        (g(), "/wishes", Roles(COORD_WORKER)),
        (p(), "/wishes", Roles(COORD_WORKER)),
        (g(), "/wishes/{id}", Roles(COORD_WORKER)),
        (p(), "/wishes/{id}/households", Roles(COORD_WORKER)),
        (p(), "/wishes/{id}/activity", Roles(COORD_WORKER)),
        (p(), "/ideas/{id}/activity", Roles(COORD_WORKER)),
        (p(), "/ideas/{id}/theme", Roles(COORD_WORKER)),
        // Talent with a return service (docs/guide/talent.md, issue #18).
        (g(), "/talent", Roles(COORD_WORKER)),
        (p(), "/talent", Roles(COORD_WORKER)),
        (g(), "/talent/{id}", Roles(COORD_WORKER)),
        (p(), "/talent/{id}/sessions", Roles(COORD_WORKER)),
        (p(), "/talent/{id}/state", Roles(COORD_WORKER)),
        // The handbook inside the app (issue #19, docs/guide/help.md): every staff role reads
        // every guide; partners and researchers have their own short pages and no guide here.
        // The reflection on the competencies is for those who run the coffee hour, and each
        // account reads only its own (docs/decisions.md, "Who sees a worker's reflection").
        (g(), "/help", Roles(STAFF_HOST)),
        (g(), "/help/{role}", Roles(STAFF_HOST)),
        (g(), "/help/reflection", Roles(COORD_WORKER)),
        (p(), "/help/reflection", Roles(COORD_WORKER)),
        (g(), "/portal/login", Public),
        (p(), "/portal/login", Public),
        (g(), "/portal/link/{token}", Public),
        (p(), "/portal/link/{token}", Public),
        (p(), "/portal/logout", Public),
        (g(), "/portal/unlock", ParentAnyLock),
        (p(), "/portal/unlock", ParentAnyLock),
        (g(), "/portal", Parent),
        (g(), "/portal/activities", Parent),
        (g(), "/portal/sessions/{id}", Parent),
        (p(), "/portal/sessions/{id}", Parent),
        (g(), "/portal/sessions/{id}/calendar.ics", Parent),
        (g(), "/portal/calendar", Parent),
        (p(), "/portal/calendar", Parent),
        (g(), "/portal/ideas", Parent),
        (p(), "/portal/ideas", Parent),
        (p(), "/portal/ideas/{id}/vote", Parent),
        (g(), "/portal/consents", Parent),
        (g(), "/portal/consents/{purpose}", Parent),
        (p(), "/portal/consents/{purpose}", Parent),
        (p(), "/portal/consents/{purpose}/confirm", Parent),
        (g(), "/portal/consents/{purpose}/done", Parent),
        (g(), "/portal/data", Parent),
        (g(), "/portal/data/all", Parent),
        (g(), "/portal/data/download", Parent),
        (g(), "/portal/data/contact", Parent),
        (p(), "/portal/data/contact", Parent),
        (g(), "/portal/data/erase", Parent),
        (p(), "/portal/data/erase", Parent),
        (g(), "/portal/pin", Parent),
        (p(), "/portal/pin", Parent),
        // The parents' help page (docs/guide/portal.md#help): static texts, the contact person.
        (g(), "/portal/help", Parent),
        (g(), "/portal/questionnaire", Parent),
        (p(), "/portal/questionnaire", Parent),
        (g(), "/portal/questionnaire/{id}", Parent),
        (p(), "/portal/questionnaire/{id}", Parent),
        (g(), "/households/{id}/questionnaire", Roles(WORKER)),
        (p(), "/households/{id}/questionnaire/with", Roles(WORKER)),
        (g(), "/households/{id}/questionnaire/paper", Roles(WORKER)),
        (p(), "/households/{id}/questionnaire/paper", Roles(WORKER)),
        (g(), "/questionnaires/{id}", Roles(WORKER)),
        (p(), "/questionnaires/{id}", Roles(WORKER)),
    ]
}

/// Every route and its rule, for the router, the role × route test and the documentation.
pub fn rules() -> Vec<Rule> {
    table()
        .into_iter()
        .map(|(method, path, access)| Rule {
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
        // The parents' help page, and so its header link, waits for the PIN like the rest.
        assert!(parent_allows(false, &Method::GET, "/portal/help"));
        assert!(!parent_allows(true, &Method::GET, "/portal/help"));
        assert!(!allows(Role::Worker, &Method::GET, "/portal/help"));
    }

    #[test]
    fn tokens_compare_by_value() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}

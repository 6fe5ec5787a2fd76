//! The router: a handler for every route of the gate's table (`crate::gate`). The gate holds
//! who may use a route and imports no handler; this module attaches the handlers and refuses to
//! start when a handler has no access rule or a rule has no handler.

use std::collections::HashSet;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{self, MethodRouter};

use crate::AppState;
use crate::error::AppError;
use crate::gate::{self, Rule};
use crate::routes::scan;
use crate::routes::{
    account, activities, admin, audit_log, auth, calendar, chat, encourage, help_referrals,
    holidays, home, households, import, messages, money, partners, portal, portal_guide,
    portal_staff, public, publicity, questionnaires, referral_address, referrals, reminders,
    reports, research, rules, sessions,
};
use crate::routes::{guide, talent, wishes};
use crate::routes::{holiday_list, outings};

/// The handler of one (method, path) of the gate's table.
struct Route {
    method: Method,
    path: &'static str,
    handler: MethodRouter<AppState>,
}

fn get<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
    Route {
        method: Method::GET,
        path,
        handler: routing::get(handler),
    }
}

fn post<H: Handler<T, AppState>, T: 'static>(path: &'static str, handler: H) -> Route {
    Route {
        method: Method::POST,
        path,
        handler: routing::post(handler),
    }
}

impl Route {
    /// A body limit of its own, for a handler that reads more than a form (an upload).
    fn body_limit(mut self, bytes: usize) -> Self {
        self.handler = self.handler.layer(DefaultBodyLimit::max(bytes));
        self
    }
}

// One line per route, in the order of the gate's table.
#[rustfmt::skip]
fn handlers() -> Vec<Route> {
    vec![
        get("/healthz", public::healthz),
        get("/readyz", public::readyz),
        get("/static/{file}", crate::assets::serve),
        get("/lang/{lang}", public::switch_language),
        post("/lang/{lang}", public::switch_language_post),
        get("/toegankelijkheid", public::accessibility),
        get("/privacy", public::privacy),
        get("/metrics", crate::metrics::endpoint),
        get("/setup", auth::setup_form),
        post("/setup", auth::setup_submit),
        get("/login", auth::login_form),
        post("/login", auth::login_submit),
        get("/login/code", auth::code_form),
        post("/login/code", auth::code_submit),
        post("/logout", auth::logout),
        get("/", home::home),
        get("/account/password", account::password_form),
        post("/account/password", account::password_submit),
        get("/account/two-factor", account::two_factor_form),
        post("/account/two-factor", account::two_factor_submit),
        post("/account/two-factor/off", account::two_factor_off),
        post("/account/sign-out-everywhere", account::sign_out_everywhere),
        get("/admin/organisation", admin::org_form),
        post("/admin/organisation", admin::org_submit),
        get("/admin/neighbourhoods", admin::neighbourhoods),
        get("/admin/neighbourhoods/new", admin::neighbourhood_new),
        post("/admin/neighbourhoods/new", admin::neighbourhood_create),
        get("/admin/neighbourhoods/{id}", admin::neighbourhood_edit),
        post("/admin/neighbourhoods/{id}", admin::neighbourhood_update),
        get("/admin/accounts", admin::accounts),
        get("/admin/accounts/new", admin::account_new),
        post("/admin/accounts/new", admin::account_create),
        get("/admin/accounts/{id}", admin::account_edit),
        post("/admin/accounts/{id}", admin::account_update),
        post("/admin/accounts/{id}/disable", admin::account_disable),
        post("/admin/accounts/{id}/enable", admin::account_enable),
        get("/admin/accounts/{id}/reset-password", admin::reset_password_confirm),
        post("/admin/accounts/{id}/reset-password", admin::reset_password),
        post("/admin/accounts/{id}/reset-two-factor", admin::reset_two_factor),
        get("/admin/retention", admin::retention),
        post("/admin/retention/run", admin::retention_run),
        get("/admin/holidays", holidays::list),
        post("/admin/holidays", holidays::add),
        post("/admin/holidays/{id}/remove", holidays::remove),
        post("/admin/holidays/{id}/restore", holidays::restore),
        get("/audit", audit_log::audit),
        get("/reports", reports::page),
        get("/reports/export.xlsx", reports::export),
        get("/budget", money::budget),
        post("/budget", money::budget_save),
        post("/budget/third-party", money::third_party_save),
        post("/budget/activities", money::activity_budget_save),
        get("/budget/print", money::print),
        get("/budget/export.xlsx", money::export),
        get("/budget/expenses", money::expenses),
        post("/budget/expenses", money::expense_add).body_limit(money::UPLOAD_LIMIT),
        post("/budget/expenses/{id}/reverse", money::expense_reverse),
        get("/budget/receipts/{id}", money::receipt),
        get("/time", money::time),
        post("/time", money::time_save),
        get("/households", households::list),
        get("/households/new", households::new_form),
        post("/households/new", households::create),
        get("/households/{id}", households::show),
        get("/households/{id}/edit", households::edit_form),
        post("/households/{id}/edit", households::update),
        post("/households/{id}/status", households::change_status),
        post("/households/{id}/quiet", rules::answer),
        post("/households/{id}/consent", households::change_consent),
        get("/households/{id}/export", households::export_page),
        get("/households/{id}/export.json", households::export_json),
        get("/households/{id}/erase", households::erase_confirm),
        post("/households/{id}/erase", households::erase),
        get("/households/{id}/merge/{other}", households::merge_confirm),
        post("/households/{id}/merge/{other}", households::merge),
        post("/households/{id}/calendar", calendar::renew),
        post("/households/{id}/calendar/revoke", calendar::revoke),
        get("/households/import", import::upload_form),
        post("/households/import", import::upload).body_limit(import::MAX_UPLOAD),
        get("/households/import/template.csv", import::template),
        get("/households/import/{id}/columns", import::columns_form),
        post("/households/import/{id}/columns", import::columns_submit),
        get("/households/import/{id}/check", import::check_form),
        post("/households/import/{id}/check", import::check_submit),
        get("/households/import/{id}/errors.csv", import::errors_csv),
        get("/households/import/{id}/confirm", import::confirm_form),
        post("/households/import/{id}/confirm", import::commit),
        get("/activities", activities::list),
        get("/activities/new", activities::new_form),
        post("/activities/new", activities::create),
        get("/activities/{id}", activities::show),
        get("/activities/{id}/edit", activities::edit_form),
        post("/activities/{id}/edit", activities::update),
        post("/activities/{id}/plan", activities::plan_weekly),
        post("/activities/{id}/sessions", activities::add_session),
        post("/activities/{id}/register", activities::register),
        post("/activities/{id}/unregister", activities::unregister),
        post("/activities/{id}/outing", outings::save),
        post("/activities/{id}/organisers", outings::add_organiser),
        post("/activities/{id}/organisers/remove", outings::remove_organiser),
        post("/activities/{id}/rides", outings::add_ride),
        post("/activities/{id}/rides/remove", outings::remove_ride),
        post("/activities/{id}/checks", outings::add_check),
        post("/activities/{id}/checks/set", outings::set_check),
        post("/activities/{id}/costs", outings::book_cost),
        post("/activities/{id}/costs/remove", outings::remove_cost),
        get("/holiday-activities", holiday_list::page),
        post("/holiday-activities", holiday_list::add),
        post("/holiday-activities/hide", holiday_list::hide),
        post("/holiday-activities/dates", holiday_list::set_date),
        get("/sessions", sessions::programme),
        get("/sessions/{id}", sessions::show),
        post("/sessions/{id}/plan", sessions::plan),
        post("/sessions/{id}/state", sessions::set_state),
        post("/sessions/{id}/move", sessions::move_session),
        post("/sessions/{id}/staff", sessions::staff),
        post("/sessions/{id}/staff/reply", sessions::reply),
        post("/sessions/{id}/attendance", sessions::attendance),
        post("/sessions/{id}/rsvp", sessions::rsvp),
        get("/sessions/{id}/checkin", sessions::checkin_page),
        post("/sessions/{id}/checkin", sessions::checkin),
        post("/sessions/{id}/walk-in", sessions::walk_in),
        get("/sessions/{id}/encourage", encourage::show),
        post("/sessions/{id}/encourage/email", encourage::email),
        get("/chat", chat::show),
        get("/messages", messages::show),
        post("/messages", messages::save),
        post("/chat/members", chat::change),
        post("/chat/posts", chat::post),
        post("/sessions/{id}/encourage/contact", encourage::contact),
        get("/encourage", encourage::overview),
        post("/encourage/follow-ups/{id}/done", encourage::follow_up_done),
        get("/calendar/{file}", calendar::household_feed),
        get("/programme/{file}", calendar::programme_feed),
        get("/reminders", reminders::list),
        get("/unsubscribe/{token}", reminders::unsubscribe_form),
        post("/unsubscribe/{token}", reminders::unsubscribe),
        post("/households/{id}/portal-link", portal_staff::make_link),
        post("/households/{id}/portal-end", portal_staff::end_access),
        post("/requests/{id}/done", portal_staff::finish_request),
        get("/requests/{id}", portal_staff::request_page),
        post("/requests/{id}/refuse", portal_staff::refuse_request),
        post("/ideas/{id}/hide", portal_staff::hide_idea),
        get("/research", research::show),
        post("/research/studies", research::create),
        get("/research/export.csv", research::export_csv),
        get("/research/export.xlsx", research::export_xlsx),
        get("/partners", partners::list),
        get("/partners/new", partners::new_form),
        post("/partners/new", partners::create),
        get("/partners/{id}", partners::show),
        get("/partners/{id}/edit", partners::edit_form),
        post("/partners/{id}/edit", partners::update),
        post("/partners/{id}/contacts", partners::add_contact),
        post("/partners/{id}/contacts/{contact}/remove", partners::remove_contact),
        post("/partners/{id}/briefings", partners::add_briefing),
        get("/partners/{id}/delete", partners::delete_confirm),
        post("/partners/{id}/delete", partners::delete),
        get("/referrals", referrals::list),
        get("/referrals/new", referrals::new_form),
        post("/referrals/new", referrals::create),
        get("/referrals/inbox", referrals::inbox),
        get("/referrals/{id}", referrals::show),
        post("/referrals/{id}/link", referrals::make_link),
        post("/referrals/{id}/household", referrals::to_household),
        post("/referrals/{id}/merge", referrals::merge),
        get("/referral/{token}", referrals::answer_form),
        post("/referral/{token}", referrals::answer),
        post("/partners/{id}/referral-address", referral_address::make),
        post("/partners/{id}/referral-address/revoke", referral_address::revoke),
        get("/refer/{token}", referral_address::form),
        post("/refer/{token}", referral_address::submit),
        get("/referral-status/{token}", referral_address::status),
        get("/households/{id}/help-referrals", help_referrals::of_household),
        get("/help-referrals", help_referrals::figures),
        post("/households/{id}/help-referrals", help_referrals::create),
        get("/help-referrals/{id}", help_referrals::show),
        post("/help-referrals/{id}/step", help_referrals::step),
        post("/help-referrals/{id}/follow-up", help_referrals::follow_up),
        get("/households/{id}/quotes", publicity::of_household),
        post("/households/{id}/quotes", publicity::create),
        post("/quotes/{id}/remove", publicity::remove),
        get("/publicity", publicity::list),
        get("/neighbourhoods/{id}/scan", scan::show),
        post("/neighbourhoods/{id}/scan", scan::upload).body_limit(scan::MAX_UPLOAD),
        post("/neighbourhoods/{id}/scan/informants", scan::add_informant),
        get("/neighbourhoods/{id}/plan", scan::plan),
        get("/neighbourhoods/{id}/plan/edit", scan::plan_edit),
        post("/neighbourhoods/{id}/plan", scan::plan_save),
        get("/neighbourhoods/{id}/start", scan::start),
        post("/neighbourhoods/{id}/start", scan::tick),
        get("/wishes", wishes::list),
        post("/wishes", wishes::create),
        get("/wishes/{id}", wishes::show),
        post("/wishes/{id}/households", wishes::add_households),
        post("/wishes/{id}/activity", wishes::make_activity),
        post("/ideas/{id}/activity", wishes::idea_activity),
        post("/ideas/{id}/theme", wishes::idea_theme),
        get("/talent", talent::list),
        post("/talent", talent::create),
        get("/talent/{id}", talent::show),
        post("/talent/{id}/sessions", talent::link_session),
        post("/talent/{id}/state", talent::set_state),
        get("/help", guide::mine),
        get("/help/reflection", guide::reflection),
        post("/help/reflection", guide::save_reflection),
        get("/help/{role}", guide::one),
        get("/portal/login", portal::login_form),
        post("/portal/login", portal::login_request),
        get("/portal/link/{token}", portal::link_form),
        post("/portal/link/{token}", portal::link_sign_in),
        post("/portal/logout", portal::logout),
        get("/portal/unlock", portal::unlock_form),
        post("/portal/unlock", portal::unlock),
        get("/portal", portal::home),
        get("/portal/activities", portal::activities),
        get("/portal/sessions/{id}", portal::answer_form),
        post("/portal/sessions/{id}", portal::answer),
        get("/portal/sessions/{id}/calendar.ics", portal::session_ics),
        get("/portal/calendar", portal::calendar_page),
        post("/portal/calendar", portal::calendar_address),
        get("/portal/ideas", portal::ideas),
        post("/portal/ideas", portal::add_idea),
        post("/portal/ideas/{id}/vote", portal::vote),
        get("/portal/consents", portal::consents),
        get("/portal/consents/{purpose}", portal::consent_question),
        post("/portal/consents/{purpose}", portal::consent_check),
        post("/portal/consents/{purpose}/confirm", portal::consent_confirm),
        get("/portal/consents/{purpose}/done", portal::consent_done),
        get("/portal/data", portal::data),
        get("/portal/data/all", portal::data_all),
        get("/portal/data/download", portal::download),
        get("/portal/data/contact", portal::contact_form),
        post("/portal/data/contact", portal::contact_save),
        get("/portal/data/erase", portal::erase_form),
        post("/portal/data/erase", portal::erase_request),
        get("/portal/pin", portal::pin_form),
        post("/portal/pin", portal::pin_save),
        get("/portal/help", portal_guide::help),
        get("/portal/questionnaire", questionnaires::portal_start),
        post("/portal/questionnaire", questionnaires::portal_begin),
        get("/portal/questionnaire/{id}", questionnaires::portal_question),
        post("/portal/questionnaire/{id}", questionnaires::portal_answer),
        get("/households/{id}/questionnaire", questionnaires::of_household),
        post("/households/{id}/questionnaire/with", questionnaires::with_parent),
        get("/households/{id}/questionnaire/paper", questionnaires::paper_form),
        post("/households/{id}/questionnaire/paper", questionnaires::paper_submit),
        get("/questionnaires/{id}", questionnaires::worker_question),
        post("/questionnaires/{id}", questionnaires::worker_answer),
    ]
}

pub fn router(state: AppState) -> Router {
    build(&gate::rules(), handlers())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::check,
        ))
        .route_layer(axum::middleware::from_fn(crate::metrics::expose_route))
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}

/// The routes, each with its handler. Panics (the server does not start) on a handler without
/// an access rule, a second handler for one route, or a rule without a handler.
fn build(rules: &[Rule], handlers: Vec<Route>) -> Router<AppState> {
    let ruled: HashSet<(Method, &str)> = rules.iter().map(|r| (r.method.clone(), r.path)).collect();
    let mut served = HashSet::new();
    let mut router = Router::new();
    for route in handlers {
        let key = (route.method.clone(), route.path);
        assert!(
            ruled.contains(&key),
            "a handler for {} {} without an access rule in gate.rs",
            route.method,
            route.path
        );
        assert!(
            served.insert(key),
            "two handlers for {} {}",
            route.method,
            route.path
        );
        router = router.route(route.path, route.handler);
    }
    let unserved: Vec<String> = rules
        .iter()
        .filter(|r| !served.contains(&(r.method.clone(), r.path)))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        unserved.is_empty(),
        "access rules without a handler: {}",
        unserved.join(", ")
    );
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_handler_and_every_handler_a_rule() {
        let _ = build(&gate::rules(), handlers());
    }

    #[test]
    #[should_panic(expected = "without an access rule")]
    fn a_handler_without_a_rule_is_refused() {
        let mut rules = gate::rules();
        rules.retain(|r| r.path != "/privacy");
        let _ = build(&rules, handlers());
    }

    #[test]
    #[should_panic(expected = "access rules without a handler: GET /privacy")]
    fn a_rule_without_a_handler_is_refused() {
        let mut handlers = handlers();
        handlers.retain(|r| r.path != "/privacy");
        let _ = build(&gate::rules(), handlers);
    }
}

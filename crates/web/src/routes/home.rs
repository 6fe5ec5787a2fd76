//! The start page after sign-in.

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;

use mtp_domain::Role;
use mtp_domain::schedule;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::gate;
use crate::page::{Page, render_page};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    p: Page,
    role_label: String,
    org_name: String,
    neighbourhoods: Vec<String>,
    two_factor_on: bool,
    today: Vec<crate::views::SessionRow>,
    door: bool,
    requests: Vec<crate::views::RequestView>,
    /// Erasure requests past the month the family was promised: for the administrator and
    /// the coordinator, who answer for the organisation keeping that promise.
    overdue_erasures: usize,
    /// Staff get the way to the week's encouragement here too: not every role has it in the
    /// menu (coordinators' five items are full).
    staff: bool,
    /// The report is on the home page for every role that may read it: the menus of
    /// coordinators, workers and administrators are full.
    reports: bool,
    /// Time and money (issue #20): the budget for coordinators and administrators, the week of
    /// hours for staff.
    budget: bool,
    time: bool,
    /// The research export: the administrator's five menu items are full.
    research: bool,
    /// Partner organisations (docs/guide/partners.md): the staff menus are full.
    partners: bool,
    /// Parents' quotes for publicity (docs/guide/help-referrals.md): coordinators.
    publicity: bool,
    /// A partner account's own organisation (`partner_home.rs`).
    partner_org: Option<Option<crate::partner_home::PartnerHome>>,
    /// Families the handbook's rule proposes as *even stil* (`home_quiet.html`).
    quiet: Vec<crate::routes::rules::QuietView>,
}

pub async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "home-title");
    let neighbourhoods = state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| n.name)
        .collect();
    // Staff and hosts start their day at the door: today's sessions, each with its check-in.
    let door = gate::allows(user.role(), &Method::GET, "/sessions/{id}/checkin");
    let today = if door {
        let day = crate::today();
        let from = schedule::local_to_utc(day, chrono::NaiveTime::MIN);
        let until = schedule::local_to_utc(day + chrono::Duration::days(1), chrono::NaiveTime::MIN);
        state
            .store
            .programme(&user.tenant, from, until, 20)
            .await?
            .iter()
            .map(|s| crate::views::session_row(&p.t, s))
            .collect()
    } else {
        Vec::new()
    };
    // What parents asked for in the portal and a worker still has to do.
    let requests = if gate::allows(user.role(), &Method::GET, "/households/{id}") {
        let open = state.store.parent_requests(&user.tenant, None).await?;
        crate::views::request_views(&p.t, &open)
    } else {
        Vec::new()
    };
    let overdue_erasures = if matches!(user.role(), Role::Admin | Role::Coordinator) {
        requests.iter().filter(|r| r.overdue).count()
    } else {
        0
    };
    let partner_org = crate::partner_home::load(&state, &user, &p.t).await?;
    // Only a status is proposed, never changed by itself: the worker answers each one.
    let quiet = if gate::allows(user.role(), &Method::POST, "/households/{id}/quiet") {
        crate::routes::rules::quiet_views(&state, &user, &p.t).await?
    } else {
        Vec::new()
    };
    Ok(render_page(&Home {
        overdue_erasures,
        quiet,
        partners: gate::allows(user.role(), &Method::GET, "/partners"),
        publicity: gate::allows(user.role(), &Method::GET, "/publicity"),
        partner_org,
        requests,
        today,
        door,
        staff: gate::allows(user.role(), &Method::GET, "/encourage"),
        reports: gate::allows(user.role(), &Method::GET, "/reports"),
        budget: gate::allows(user.role(), &Method::GET, "/budget"),
        time: gate::allows(user.role(), &Method::GET, "/time"),
        research: gate::allows(user.role(), &Method::GET, "/research"),
        role_label: p.t.label(&user.role()),
        org_name: user.org.name.clone(),
        neighbourhoods,
        two_factor_on: user.account.totp_enabled,
        p,
    }))
}

//! What several pages show alike: a session as a line, a parent's request, an idea, the portal
//! block of a household, the colour tags of states, and the organisation's holidays.

use chrono::NaiveDate;
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_domain::portal::{RequestKind, erasure_overdue};
use mtp_domain::schedule::Holidays;
use mtp_store::portal::{IdeaLine, ParentRequest};
use mtp_store::{Household, SessionSummary};
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::i18n::Tr;

pub fn state_tag(s: SessionState) -> &'static str {
    match s {
        SessionState::Planned => "tag--info",
        SessionState::Held => "tag--present",
        SessionState::NotHeld => "tag--excused",
        SessionState::Cancelled => "tag--absent",
    }
}

/// A session as one line of a list: what, when, where, state.
pub struct SessionRow {
    pub id: Uuid,
    pub name: String,
    pub when: String,
    pub times: String,
    pub place: String,
    pub state: String,
    pub state_tag: &'static str,
    pub moved: bool,
}

pub fn session_row(t: &Tr, s: &SessionSummary) -> SessionRow {
    SessionRow {
        id: s.id,
        name: s.activity_name.clone(),
        when: t.date(s.starts_at),
        times: t.times(s.starts_at, s.ends_at),
        place: s.place.clone(),
        state: t.label(&s.state),
        state_tag: state_tag(s.state),
        moved: s.moved,
    }
}

pub fn status_tag(s: AttendanceStatus) -> &'static str {
    match s {
        AttendanceStatus::Present => "tag--present",
        AttendanceStatus::Excused => "tag--excused",
        AttendanceStatus::Absent => "tag--absent",
    }
}

/// A parent's idea as a line, with its votes.
pub struct IdeaView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub votes: String,
    pub voted: bool,
    pub mine: bool,
}

pub fn idea_views(t: &Tr, ideas: &[IdeaLine]) -> Vec<IdeaView> {
    ideas
        .iter()
        .map(|i| IdeaView {
            id: i.id.to_string(),
            title: i.title.clone(),
            kind: t.label(&i.kind),
            votes: t.get1("idea-votes", "count", i.votes),
            voted: i.voted,
            mine: i.mine,
        })
        .collect()
}

/// A parent's open request, as a line for the worker.
pub struct RequestView {
    pub id: String,
    pub household_id: String,
    pub first_names: String,
    pub what: String,
    pub since: String,
    /// An erasure request: handled on its own page (erase, or refuse with a reason), never
    /// by a plain "done".
    pub erasure: bool,
    /// An erasure request past the month the family was promised
    /// (`mtp_domain::portal::erasure_overdue`).
    pub overdue: bool,
}

pub fn request_views(t: &Tr, requests: &[ParentRequest]) -> Vec<RequestView> {
    let now = chrono::Utc::now();
    requests
        .iter()
        .map(|r| {
            let erasure = r.kind == RequestKind::Erasure;
            RequestView {
                id: r.id.to_string(),
                household_id: r.household_id.to_string(),
                first_names: r.first_names.clone(),
                what: t.label(&r.kind),
                since: t.date(r.created_at),
                erasure,
                overdue: erasure && erasure_overdue(r.created_at, now),
            }
        })
        .collect()
}

/// The portal block of a household page.
#[derive(Default)]
pub struct PortalSection {
    pub status: String,
    pub can_phone: bool,
    pub can_email: bool,
    pub signed_in: bool,
    pub requests: Vec<RequestView>,
}

pub async fn portal_section(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    h: &Household,
) -> Result<PortalSection, AppError> {
    let t = Tr::new(ctx.lang);
    let access = state.store.portal_access(&user.tenant, h.id).await?;
    let mut status = vec![t.get1("portal-staff-phones", "count", access.phones)];
    if access.open_links > 0 {
        status.push(t.get1("portal-staff-open-links", "count", access.open_links));
    }
    if let Some(at) = access.last_sign_in {
        status.push(t.get1("portal-staff-last-sign-in", "date", t.date(at)));
    }
    let requests = state
        .store
        .parent_requests(&user.tenant, Some(h.id))
        .await?;
    Ok(PortalSection {
        status: status.join(" · "),
        can_phone: h.parents.iter().any(|p| p.phone.is_some()),
        can_email: h.parents.iter().any(|p| p.email.is_some()),
        signed_in: access.phones > 0 || access.open_links > 0,
        requests: request_views(&t, &requests),
    })
}

/// The holidays that hold for the user's organisation: its region's table and its own dates.
pub async fn org_holidays(state: &AppState, user: &User) -> Result<Holidays, AppError> {
    let own = state
        .store
        .school_holidays(&user.tenant)
        .await?
        .into_iter()
        .map(|s| s.period)
        .collect();
    Ok(Holidays::new(user.org.holiday_region, own))
}

/// The first date of a planned series whose school holidays nobody knows yet, written out.
pub fn first_unknown(t: &Tr, holidays: &Holidays, dates: &[NaiveDate]) -> Option<String> {
    holidays.first_unknown(dates).map(|d| t.day(d))
}

/// A household of the user's reach, by the id in the address, for the pages that hang under
/// it (a family's referrals and quotes, docs/guide/help-referrals.md). A miss on a valid id is
/// recorded as a refused look, as on the household page itself.
pub async fn household_in_reach(
    state: &AppState,
    user: &User,
    raw_id: &str,
) -> Result<Household, AppError> {
    let id = crate::parse::parse_id(raw_id)?;
    match state.store.household(&user.tenant, id).await {
        Ok(h) => Ok(h),
        Err(mtp_store::StoreError::NotFound) => {
            let mut event = crate::audit::audit_event(
                user,
                mtp_domain::audit::Action::HouseholdViewed,
                crate::audit::Subject::of("household", id),
                "not found or out of reach",
            );
            event.outcome = mtp_domain::audit::Outcome::Denied;
            crate::audit::record(state, event).await;
            Err(AppError::NotFound)
        }
        Err(err) => Err(err.into()),
    }
}

/// Where a form about an erased household leads: back to what remains of it.
pub fn erased(path: String) -> axum::response::Response {
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(&path))
}

//! Sessions: the programme, the worker's plan for one session with its attendance list and
//! rota, and the check-in page at the door.
//!
//! Hosts are volunteers: they reach the programme and the check-in page of sessions from today
//! on in their own neighbourhoods, and see first names only.

use mtp_domain::audit::Action;
use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use mtp_domain::activity::StaffMinutes;
use mtp_domain::attendance::{
    self, AbsenceReason, AgeBand, AttendanceStatus, ChecklistItem, HostReply, SessionState,
};
use mtp_domain::consent::ConsentMethod;
use mtp_domain::schedule;
use mtp_domain::{HouseholdKind, PersonName, Role, Source};
use mtp_store::{
    Checkin, CheckinOutcome, NewAuditEvent, SessionDetail, SessionLine, SessionSummary, StoreError,
    Tap,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::parse::{parse_minutes, parse_times};
use crate::respond::redirect_with_flash;
use crate::views::status_tag;
use crate::views::{SessionRow, session_row};

/// How far the programme looks back (to fill in attendance afterwards) and ahead.
const PROGRAMME_BACK_DAYS: i64 = 7;
const PROGRAMME_AHEAD_DAYS: i64 = 28;
/// Families a search under "someone else?" at the door shows at most (docs/ui.md §1.5: the
/// page stays small however large the neighbourhood; past this it asks for more of the name).
const DOOR_RESULTS: u64 = 10;

/// A session the user may act on. Hosts only reach sessions from today on.
async fn load(state: &AppState, user: &User, id: &str) -> Result<SessionSummary, AppError> {
    load_from(state, user, id, crate::today()).await
}

/// A session the user may act on, for a host from `from` on: the day a tap made offline was
/// made, so a check-in at Wednesday's coffee hour that reaches the server on Thursday counts.
async fn load_from(
    state: &AppState,
    user: &User,
    id: &str,
    from: NaiveDate,
) -> Result<SessionSummary, AppError> {
    let s = state
        .store
        .session_summary(&user.tenant, parse_id(id)?)
        .await?;
    if user.role() == Role::Host {
        let day = s.starts_at.with_timezone(&schedule::TZ).date_naive();
        if day < from {
            return Err(AppError::Forbidden);
        }
    }
    Ok(s)
}

/// The day (Europe/Amsterdam) a tap was made, from the phone's `at`; today when it has none
/// that can be believed (`attendance::tap_time`).
pub(crate) fn tap_day(f: &FormData) -> (Option<DateTime<Utc>>, NaiveDate) {
    match attendance::tap_time(f.get("at"), Utc::now()) {
        Some(at) => (Some(at), at.with_timezone(&schedule::TZ).date_naive()),
        None => (None, crate::today()),
    }
}

fn session_subject(s: &SessionSummary) -> Subject<'static> {
    Subject::in_neighbourhood("session", s.id, s.neighbourhood_id)
}

// ---------------------------------------------------------------- programme

pub struct AskedRow {
    pub row: SessionRow,
    pub reply: String,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct ProgrammePage {
    p: Page,
    rows: Vec<SessionRow>,
    asked: Vec<AskedRow>,
    staff: bool,
}

pub async fn programme(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "sessions-title");
    let t = p.t;
    let staff = user.role().is_staff();
    let now = Utc::now();
    let from = if staff {
        now - Duration::days(PROGRAMME_BACK_DAYS)
    } else {
        schedule::local_to_utc(crate::today(), chrono::NaiveTime::MIN)
    };
    let sessions = state
        .store
        .programme(
            &user.tenant,
            from,
            now + Duration::days(PROGRAMME_AHEAD_DAYS),
            200,
        )
        .await?;
    let mine = state
        .store
        .rota_sessions(&user.tenant, user.account.id)
        .await?;
    let mut asked = Vec::new();
    for s in sessions.iter().filter(|s| mine.contains(&s.id)) {
        let detail_reply = state
            .store
            .session_staff_reply(&user.tenant, s.id, user.account.id)
            .await?;
        asked.push(AskedRow {
            row: session_row(&t, s),
            reply: detail_reply
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
        });
    }
    Ok(render_page(&ProgrammePage {
        rows: sessions.iter().map(|s| session_row(&t, s)).collect(),
        asked,
        staff,
        p,
    }))
}

// ---------------------------------------------------------------- session page

pub struct LineRow {
    pub id: Uuid,
    pub names: String,
    pub expected: bool,
    pub registered: bool,
    pub waiting: bool,
    pub rsvp: String,
    pub status: String,
    pub status_value: &'static str,
    pub status_tag: &'static str,
    pub reason_value: &'static str,
    pub children: u32,
    pub adults: u32,
    pub multi_parent: bool,
    /// With two or more parents the worker ticks who came instead of typing a number.
    pub parents: Vec<ParentBox>,
}

/// One parent's box in "who came".
pub struct ParentBox {
    pub id: Uuid,
    pub name: String,
    pub ticked: bool,
}

pub struct StaffRow {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub reply: String,
    pub reply_tag: &'static str,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    p: Page,
    s: SessionRow,
    activity_id: Uuid,
    kind: String,
    lines: Vec<LineRow>,
    expected: u32,
    present: u32,
    children_present: u32,
    adults_present: u32,
    bands: Vec<(String, u32)>,
    /// The families who said in their answer that they are coming and need childcare, by
    /// first names (the portal's RSVP asks this; the host arranges a sitter from it).
    childcare: Vec<String>,
    /// The families who answered they cannot come for want of transport, by first names: a
    /// lift or a bus ticket may bring them after all (issue #17, docs/guide/sessions.md).
    transport: Vec<String>,
    second_worker: bool,
    paid: String,
    staff: Vec<StaffRow>,
    candidates: Vec<(Uuid, String)>,
    checklist: Vec<(&'static str, String, bool)>,
    minutes: StaffMinutes,
    note: String,
    statuses: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    state_value: &'static str,
    f: FormData,
}

fn reply_tag(r: HostReply) -> &'static str {
    match r {
        HostReply::Asked => "tag--info",
        HostReply::Confirmed => "tag--present",
        HostReply::Declined => "tag--absent",
    }
}

/// The worker's page of one session; with errors, the form that was sent is shown again.
async fn session_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    s: &SessionSummary,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let d = state.store.session_detail(&user.tenant, s.id).await?;
    let p = Page::new(ctx, "session-title").with_errors(errors);
    let t = p.t;
    let day = d.s.starts_at.with_timezone(&schedule::TZ).date_naive();
    let expected = u32::try_from(d.lines.iter().filter(|l| l.expected()).count()).unwrap_or(0);
    let present_lines: Vec<_> = d
        .lines
        .iter()
        .filter(|l| {
            l.attendance
                .as_ref()
                .is_some_and(|a| a.status == AttendanceStatus::Present)
        })
        .collect();
    let present = u32::try_from(present_lines.len()).unwrap_or(0);
    let adults_present = present_lines
        .iter()
        .filter_map(|l| l.attendance.as_ref())
        .map(|a| a.adults)
        .sum();
    let children_present = present_lines
        .iter()
        .filter_map(|l| l.attendance.as_ref())
        .map(|a| a.children)
        .sum();
    let bands = age_bands(&d.lines, day);
    let childcare = d
        .lines
        .iter()
        .filter(|l| l.rsvp.as_ref().is_some_and(|r| r.coming && r.childcare))
        .map(|l| l.first_names.clone())
        .collect();
    // The second-worker rule counts parents, not families, and only workers who confirmed
    // (`attendance::needs_second_worker`, issue #17).
    let parents_expected: u32 = d
        .lines
        .iter()
        .filter(|l| l.expected())
        .map(|l| attendance::expected_parents(l.parents.len()))
        .sum();
    let transport = d
        .lines
        .iter()
        .filter(|l| {
            l.rsvp.as_ref().is_some_and(|r| {
                !r.coming && r.reason.as_deref() == Some(AbsenceReason::Transport.as_str())
            })
        })
        .map(|l| l.first_names.clone())
        .collect();
    let workers = u32::try_from(
        d.staff
            .iter()
            .filter(|s| attendance::counts_as_worker(s.role, s.reply))
            .count(),
    )
    .unwrap_or(0);
    let candidates = rota_candidates(state, user, &d).await?;
    let lines = d.lines.iter().map(|l| line_row(&t, l)).collect();
    let staff = d
        .staff
        .iter()
        .map(|s| StaffRow {
            id: s.account_id,
            name: s.name.clone(),
            role: t.label(&s.role),
            reply: t.label(&s.reply),
            reply_tag: reply_tag(s.reply),
        })
        .collect();
    let page = SessionPage {
        s: session_row(&t, &d.s),
        activity_id: d.s.activity_id,
        kind: t.label(&d.s.kind),
        second_worker: attendance::needs_second_worker(parents_expected, adults_present, workers),
        paid: if d.activity.d.cost.is_free() {
            String::new()
        } else {
            t.money(d.activity.d.cost.cents())
        },
        lines,
        expected,
        present,
        children_present,
        adults_present,
        bands: bands
            .into_iter()
            .map(|(i, n)| (t.label(&AgeBand::ALL[i]), n))
            .collect(),
        childcare,
        transport,
        staff,
        candidates,
        checklist: ChecklistItem::ALL
            .iter()
            .map(|c| (c.as_str(), t.label(c), d.checklist.contains(c)))
            .collect(),
        minutes: d.minutes,
        note: d.note.clone(),
        statuses: options(&t, AttendanceStatus::ALL),
        reasons: options(&t, AbsenceReason::ALL),
        states: options(&t, SessionState::ALL),
        state_value: d.s.state.as_str(),
        f,
        p: Page {
            title: format!("{} – {}", d.s.activity_name, t.date(d.s.starts_at)),
            ..p
        },
    };
    Ok(render_page(&page))
}

/// One household's line on the session page: its answer, its attendance and the form's
/// defaults.
fn line_row(t: &Tr, l: &SessionLine) -> LineRow {
    let a = l.attendance.as_ref();
    LineRow {
        id: l.household_id,
        names: l.first_names.clone(),
        expected: l.expected(),
        registered: l.registered,
        waiting: l.waiting,
        rsvp: match &l.rsvp {
            Some(r) if r.coming => t.get("rsvp-coming"),
            Some(_) => t.get("rsvp-not-coming"),
            None => String::new(),
        },
        status: a.map(|a| t.label(&a.status)).unwrap_or_default(),
        status_value: a.map(|a| a.status.as_str()).unwrap_or(""),
        status_tag: a.map(|a| status_tag(a.status)).unwrap_or(""),
        reason_value: a.and_then(|a| a.reason).map(|r| r.as_str()).unwrap_or(""),
        children: a
            .map(|a| a.children)
            .or_else(|| l.rsvp.as_ref().map(|r| r.children))
            .unwrap_or(0),
        adults: a.map(|a| a.adults).filter(|n| *n > 0).unwrap_or(
            if l.kind == mtp_domain::HouseholdKind::MultiParent {
                2
            } else {
                1
            },
        ),
        multi_parent: l.kind == mtp_domain::HouseholdKind::MultiParent,
        parents: if l.parents.len() > 1 {
            l.parents
                .iter()
                .map(|(id, name)| ParentBox {
                    id: *id,
                    name: name.clone(),
                    ticked: a.is_some_and(|a| a.parents.contains(id)),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// How many expected children there are per age band (by the band's place in
/// `AgeBand::ALL`), on the session's day.
fn age_bands(lines: &[SessionLine], day: NaiveDate) -> BTreeMap<usize, u32> {
    let mut bands: BTreeMap<usize, u32> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.expected()) {
        for c in &l.children {
            if let Some(b) = attendance::age_band(c, day) {
                let i = AgeBand::ALL.iter().position(|x| *x == b).unwrap_or(0);
                *bands.entry(i).or_default() += 1;
            }
        }
    }
    bands
}

/// Who can still be put on the rota: the neighbourhood's hosts, workers and coordinators
/// not on it yet.
async fn rota_candidates(
    state: &AppState,
    user: &User,
    d: &SessionDetail,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let on_rota: Vec<Uuid> = d.staff.iter().map(|s| s.account_id).collect();
    Ok(state
        .store
        .neighbourhood_accounts(user.org.id, d.s.neighbourhood_id)
        .await?
        .into_iter()
        .filter(|a| {
            matches!(a.role, Role::Host | Role::Worker | Role::Coordinator)
                && !on_rota.contains(&a.id)
        })
        .map(|a| (a.id, a.display_name))
        .collect())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    audit(
        &state,
        &user,
        Action::SessionViewed,
        session_subject(&s),
        "",
    )
    .await;
    session_page(
        &state,
        &ctx,
        &user,
        &s,
        move_defaults(&s),
        FormErrors::default(),
    )
    .await
}

fn move_defaults(s: &SessionSummary) -> FormData {
    let start = s.starts_at.with_timezone(&schedule::TZ);
    let end = s.ends_at.with_timezone(&schedule::TZ);
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("date", &start.format("%Y-%m-%d").to_string())
        .append_pair("start", &start.format("%H:%M").to_string())
        .append_pair("end", &end.format("%H:%M").to_string());
    FormData::parse(ser.finish().as_bytes())
}

/// Save the plan: staff hours, the checklist and the note.
pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let preparation = e.take(&t, "preparation", parse_minutes(f.get("preparation")));
    let execution = e.take(&t, "execution", parse_minutes(f.get("execution")));
    let wrap_up = e.take(&t, "wrap_up", parse_minutes(f.get("wrap_up")));
    let note = e.text(&t, &f, "note", 2000);
    let checklist: Vec<ChecklistItem> = f
        .all("checklist")
        .into_iter()
        .filter_map(|c| ChecklistItem::parse(c).ok())
        .collect();
    let (Some(preparation), Some(execution), Some(wrap_up)) = (preparation, execution, wrap_up)
    else {
        return Ok(unprocessable(
            session_page(&state, &ctx, &user, &s, f, e).await?,
        ));
    };
    if !e.is_empty() {
        return Ok(unprocessable(
            session_page(&state, &ctx, &user, &s, f, e).await?,
        ));
    }
    state
        .store
        .update_session_plan(
            &user.tenant,
            s.id,
            StaffMinutes {
                preparation,
                execution,
                wrap_up,
            },
            &checklist,
            &note,
            audit_event(&user, Action::SessionPlanned, session_subject(&s), ""),
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/sessions/{}", s.id),
        "flash-saved",
        "",
    ))
}

/// Held, "we did not meet", cancelled, or planned again.
pub async fn set_state(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let to = format!("/sessions/{}", s.id);
    // The choices are buttons: anything else is a tampered or broken form, and saying
    // "saved" would be untrue.
    let Ok(next) = SessionState::parse(f.get("state")) else {
        return Err(AppError::BadRequest);
    };
    let event = audit_event(
        &user,
        Action::SessionStateChanged,
        session_subject(&s),
        next.as_str(),
    );
    state
        .store
        .set_session_state(&user.tenant, s.id, next, Some(event))
        .await?;
    Ok(redirect_with_flash(&state, &to, "flash-saved", ""))
}

/// Move one occurrence to another day or time.
pub async fn move_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let date = e.take(&t, "date", schedule::parse_date(f.get("date")));
    let times = parse_times(&t, &mut e, &f, "start", "end");
    if let (Some(date), Some((start, end)), true) = (date, times, e.is_empty()) {
        let event = audit_event(&user, Action::SessionMoved, session_subject(&s), "");
        match state
            .store
            .move_session(&user.tenant, s.id, schedule::slot(date, start, end), event)
            .await
        {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/sessions/{}", s.id),
                    "flash-session-moved",
                    &t.day(date),
                ));
            }
            Err(StoreError::Refused(key)) => e.add("date", t.get(key)),
            Err(err) => return Err(err.into()),
        }
    }
    Ok(unprocessable(
        session_page(&state, &ctx, &user, &s, f, e).await?,
    ))
}

/// Ask someone for the rota, record their answer, or take them off it.
pub async fn staff(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let to = format!("/sessions/{}", s.id);
    let Ok(account) = Uuid::parse_str(f.get("account")) else {
        return Err(AppError::BadRequest);
    };
    let event = || audit_event(&user, Action::SessionRotaChanged, session_subject(&s), "");
    if f.get("reply") == "remove" {
        state
            .store
            .remove_session_staff(&user.tenant, s.id, account, event())
            .await?;
    } else {
        let reply = HostReply::parse(f.get("reply")).unwrap_or(HostReply::Asked);
        match state
            .store
            .set_session_staff(&user.tenant, s.id, account, reply, Some(event()))
            .await
        {
            Ok(()) => {}
            // An account out of reach changes nothing, and is on record as before.
            Err(StoreError::NotFound) => crate::audit::record(&state, event()).await,
            Err(err) => return Err(err.into()),
        }
    }
    Ok(redirect_with_flash(&state, &to, "flash-saved", ""))
}

/// A host or worker answers a request to help at a session.
pub async fn reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let asked = state
        .store
        .session_staff_reply(&user.tenant, s.id, user.account.id)
        .await?;
    if asked.is_some()
        && let Ok(reply) = HostReply::parse(f.get("reply"))
    {
        let event = audit_event(
            &user,
            Action::SessionRotaReplied,
            session_subject(&s),
            reply.as_str(),
        );
        state
            .store
            .set_session_staff(&user.tenant, s.id, user.account.id, reply, Some(event))
            .await?;
    }
    Ok(redirect_with_flash(&state, "/sessions", "flash-saved", ""))
}

// ---------------------------------------------------------------- attendance and check-in

/// Whether the request comes from the check-in script, which wants JSON instead of a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

#[derive(Serialize)]
struct CheckinAnswer {
    ok: bool,
    replayed: bool,
    message: String,
}

fn json(status: StatusCode, ok: bool, replayed: bool, message: String) -> Response {
    (
        status,
        Json(CheckinAnswer {
            ok,
            replayed,
            message,
        }),
    )
        .into_response()
}

/// Parse one attendance line: household, status (or "undo"), reason, children and key.
pub(crate) fn parse_checkin(
    t: &Tr,
    e: &mut FormErrors,
    session_id: Uuid,
    f: &FormData,
) -> Option<Checkin> {
    let household = Uuid::parse_str(f.get("household")).ok();
    if household.is_none() {
        e.field(t, "household", mtp_domain::FieldError::Required);
    }
    let status = match f.get("status") {
        "undo" => None,
        raw => Some(e.take(t, "status", AttendanceStatus::parse(raw))?),
    };
    let reason = match (status, f.get("reason")) {
        (Some(AttendanceStatus::Excused), "") => {
            e.field(t, "reason", mtp_domain::FieldError::Required);
            None
        }
        (Some(AttendanceStatus::Excused), raw) => e.take(t, "reason", AbsenceReason::parse(raw)),
        _ => None,
    };
    let children = e
        .take(
            t,
            "children",
            attendance::parse_children_count(f.get("children")),
        )
        .unwrap_or(0);
    // The door counts one parent; the worker's list may say two.
    let adults = match f.get("adults").trim() {
        "" => 1,
        raw => e
            .take(t, "adults", attendance::parse_children_count(raw))
            .unwrap_or(1),
    };
    // The worker's list of a family with two parents says who came; the door does not.
    let parents = if f.has("who") {
        let mut ids = Vec::new();
        for raw in f.all("parent") {
            match Uuid::parse_str(raw.trim()) {
                Ok(id) => ids.push(id),
                Err(_) => {
                    e.add("parents", t.get("checkin-refused-parents"));
                    break;
                }
            }
        }
        Some(ids)
    } else {
        None
    };
    let key: String = f.get("key").trim().to_string();
    if key.len() > mtp_store::sessions::MAX_KEY {
        e.field(t, "key", mtp_domain::FieldError::TooLong);
    }
    if !e.is_empty() {
        return None;
    }
    Some(Checkin {
        session_id,
        household_id: household?,
        status,
        reason,
        adults,
        children,
        parents,
        key: Some(key).filter(|k| !k.is_empty()),
        at: tap_day(f).0,
    })
}

/// The audit entry of a tap; the store fills in the session's neighbourhood when it writes it.
fn checkin_event(user: &User, c: &Checkin) -> NewAuditEvent {
    audit_event(
        user,
        Action::AttendanceRecorded,
        Subject {
            object_type: "household",
            object_id: Some(c.household_id),
            neighbourhood_id: None,
        },
        &format!(
            "session={} status={}",
            c.session_id,
            c.status.map_or("undo", |st| st.as_str())
        ),
    )
}

/// Record attendance: the tap at the door (`/checkin`) and the worker's attendance list
/// (`/attendance`) share this. The script gets JSON; a form without script gets the page back.
///
/// A tap goes to the store's group commit without a read of its own: the session's reach, a
/// host's "from today on", the household and the audience are checked there, for the whole
/// group at once. The session is read here only when a page has to be shown again.
async fn record(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    headers: &HeaderMap,
    id: &str,
    f: &FormData,
    back: &str,
) -> Result<Response, AppError> {
    let session_id = parse_id(id)?;
    let t = Tr::new(ctx.lang);
    let json_wanted = wants_json(headers);
    let mut e = FormErrors::default();
    let Some(c) = parse_checkin(&t, &mut e, session_id, f) else {
        // A session out of reach answers 404 (403 for a host and a past session) before the
        // form's faults.
        let s = load(state, user, id).await?;
        let message = e.list().first().map(|(_, m)| m.clone()).unwrap_or_default();
        if json_wanted {
            return Ok(json(
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
                false,
                message,
            ));
        }
        // Shown at the family's card, in the words of the field that was wrong.
        let Ok(household) = Uuid::parse_str(f.get("household")) else {
            return Err(AppError::BadRequest);
        };
        let mut at_card = FormErrors::default();
        at_card.add(&format!("h-{household}"), message);
        return Ok(unprocessable(if back == "checkin" {
            door_page(
                state,
                ctx,
                user,
                s,
                walk_in_defaults(),
                at_card,
                DoorAsk::Family(household),
            )
            .await?
        } else {
            session_page(state, ctx, user, &s, move_defaults(&s), at_card).await?
        }));
    };
    let result = state
        .store
        .check_in(Tap {
            tenant: user.tenant.clone(),
            // The tap's own day, from the time parse_checkin already believed (or not).
            from_day: (user.role() == Role::Host).then(|| {
                c.at.map_or_else(crate::today, |at| {
                    at.with_timezone(&schedule::TZ).date_naive()
                })
            }),
            actor: Some(user.account.id),
            checkin: c.clone(),
            audit: checkin_event(user, &c),
        })
        .await;
    // The script shows its own state after a tap that worked; the name is for messages only.
    let names = if json_wanted && matches!(result, Ok(CheckinOutcome::Recorded)) {
        String::new()
    } else {
        state
            .store
            .household_first_names(&user.tenant, &[c.household_id])
            .await
            .unwrap_or_default()
            .join(" & ")
    };
    let to = format!("/sessions/{session_id}/{back}#h-{}", c.household_id);
    match result {
        Ok(outcome) => {
            let key = match (c.status, outcome) {
                (_, CheckinOutcome::Replayed) => "flash-checkin-replayed",
                (Some(AttendanceStatus::Present), _) => "flash-checked-in",
                (None, _) => "flash-checkin-undone",
                (Some(_), _) => "flash-attendance-saved",
            };
            if json_wanted {
                return Ok(json(
                    StatusCode::OK,
                    true,
                    outcome == CheckinOutcome::Replayed,
                    t.get1(key, "name", &names),
                ));
            }
            Ok(redirect_with_flash(state, &to, key, &names))
        }
        Err(StoreError::Refused(key)) => {
            let message = t.get1(key, "name", &names);
            if json_wanted {
                return Ok(json(StatusCode::CONFLICT, false, false, message));
            }
            let s = load(state, user, id).await?;
            let mut e = FormErrors::default();
            e.add(&format!("h-{}", c.household_id), message);
            Ok(unprocessable(if back == "checkin" {
                door_page(
                    state,
                    ctx,
                    user,
                    s,
                    walk_in_defaults(),
                    e,
                    DoorAsk::Family(c.household_id),
                )
                .await?
            } else {
                session_page(state, ctx, user, &s, move_defaults(&s), e).await?
            }))
        }
        Err(StoreError::NotFound) => {
            if json_wanted {
                return Ok(json(
                    StatusCode::NOT_FOUND,
                    false,
                    false,
                    t.get("checkin-unknown-household"),
                ));
            }
            Err(AppError::NotFound)
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    record(&state, &ctx, &user, &headers, &id, &f, "").await
}

pub async fn checkin(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    record(&state, &ctx, &user, &headers, &id, &door_tap(f), "checkin").await
}

/// The check-in page is one form for all its cards (docs/ui.md §1.5, §3.5): a card's button
/// is named after its household (`h-{id}`) and says what it does (`present` or `undo`), and
/// its children field is `c-{id}`. This turns such a submission into the one tap it is, in
/// the fields a single tap has (those the script sends, which pass through unchanged).
///
/// The page has one key; each tap gets its own, a hash of that key, the household and what
/// was tapped. The same form sent twice is counted once, and a second family tapped on the
/// same page (one kept by the back button) is not taken for the first one sent again.
fn door_tap(f: FormData) -> FormData {
    // A form sends the one button pressed; anything else is not the page's form.
    let Some((household, action)) = f.pairs().find_map(|(name, value)| {
        let id = Uuid::parse_str(name.strip_prefix("h-")?).ok()?;
        matches!(value, "present" | "undo").then_some((id, value))
    }) else {
        return f;
    };
    let mut tap = url::form_urlencoded::Serializer::new(String::new());
    tap.append_pair("household", &household.to_string())
        .append_pair("status", action)
        .append_pair("children", f.get(&format!("c-{household}")));
    let key = f.get("key").trim();
    if !key.is_empty() {
        let digest = Sha256::digest(format!("{key} {household} {action}").as_bytes());
        tap.append_pair("key", &hex::encode(digest));
    }
    FormData::parse(tap.finish().as_bytes())
}

pub struct DoorCard {
    pub id: Uuid,
    pub names: String,
    pub present: bool,
    /// "09:42": when the family was checked in.
    pub time: String,
    pub children: u32,
    /// The id of the card's children field: short ("c3"), unique on the page.
    pub field: String,
    /// The script's pattern: every part of a card, also those its state does not need.
    pub pattern: bool,
    /// A search result, outside the list and so outside the page's form: its controls name
    /// the form (`form="d"`).
    pub outside: bool,
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct DoorPage {
    p: Page,
    s: SessionRow,
    session_id: Uuid,
    cards: Vec<DoorCard>,
    /// The key of the page's one form; each family's tap gets its own from it ([`door_tap`]).
    key: Uuid,
    search: DoorSearch,
    expected: usize,
    present: usize,
    count_text: String,
    /// The counter's text with `%n` for the script to fill in.
    count_template: String,
    cancelled: bool,
    f: FormData,
    kinds: Vec<(&'static str, String)>,
    /// One checked-in card without a household: the script's pattern for a walk-in it has
    /// queued (a `<template>`, so the card looks like the server's own).
    walk_card: Vec<DoorCard>,
}

/// "Someone else?": what was searched and the families found (docs/ui.md §3.5).
pub struct DoorSearch {
    pub q: String,
    /// The hint under the field: a host searches first names only.
    pub hint: String,
    /// "3 gezinnen gevonden", "Geen gezin gevonden…", or nothing before a search.
    pub found: String,
    /// Families not on the list yet, each with its own check-in form.
    pub cards: Vec<DoorCard>,
    /// Families found that are on the list already: a link to their card.
    pub listed: Vec<(Uuid, String)>,
    /// More than `DOOR_RESULTS` matched: the page asks for more of the name.
    pub more: String,
}

/// Only the results of a search, for the script's search-as-you-type (`?part=results`).
#[derive(Template)]
#[template(path = "checkin_results.html")]
struct DoorResults {
    p: Page,
    session_id: Uuid,
    search: DoorSearch,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoorQuery {
    /// A search under "someone else?".
    #[serde(default)]
    q: String,
    /// "results": only the search results, without the page around them.
    #[serde(default)]
    part: String,
}

/// The check-in page: one big button per expected household, and a search for the other
/// families of the neighbourhood (a GET form, so it works without a script). The page's one
/// form carries a fresh key, from which each family's tap gets its own ([`door_tap`]), so a
/// resent form is counted once; the script makes its own key per tap.
pub async fn checkin_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<DoorQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let q: String = query.q.trim().chars().take(100).collect();
    audit(
        &state,
        &user,
        Action::SessionCheckinViewed,
        session_subject(&s),
        if q.is_empty() { "" } else { "search" },
    )
    .await;
    if query.part == "results" {
        let p = Page::new(&ctx, "checkin-title");
        let listed = door_lines(&state, &user, s.id).await?;
        let search = door_search(&state, &p.t, &user, &s, &q, &listed).await?;
        return Ok(render_page(&DoorResults {
            session_id: s.id,
            search,
            p,
        }));
    }
    door_page(
        &state,
        &ctx,
        &user,
        s,
        walk_in_defaults(),
        FormErrors::default(),
        DoorAsk::Search(&q),
    )
    .await
}

/// The walk-in form's start: a single-parent household, no children, a fresh key.
fn walk_in_defaults() -> FormData {
    FormData::parse(format!("kind=single_parent&children=0&key={}", Uuid::now_v7()).as_bytes())
}

fn door_card(
    field: String,
    id: Uuid,
    names: String,
    present: Option<DateTime<Utc>>,
    children: u32,
) -> DoorCard {
    DoorCard {
        field,
        pattern: false,
        outside: false,
        id,
        names,
        present: present.is_some(),
        time: present
            .map(|at| at.with_timezone(&schedule::TZ).format("%H:%M").to_string())
            .unwrap_or_default(),
        children,
    }
}

/// The door's list: the families expected or already checked in, as cards.
async fn door_lines(
    state: &AppState,
    user: &User,
    session_id: Uuid,
) -> Result<Vec<DoorCard>, AppError> {
    let d = state.store.session_detail(&user.tenant, session_id).await?;
    let mut cards = Vec::new();
    for l in &d.lines {
        let came = l
            .attendance
            .as_ref()
            .filter(|a| a.status == AttendanceStatus::Present)
            .map(|a| a.recorded_at);
        if l.expected() || came.is_some() {
            let children = l
                .attendance
                .as_ref()
                .map(|a| a.children)
                .or_else(|| l.rsvp.as_ref().map(|r| r.children))
                .unwrap_or(0);
            let field = format!("c{}", cards.len());
            cards.push(door_card(
                field,
                l.household_id,
                l.first_names.clone(),
                came,
                children,
            ));
        }
    }
    Ok(cards)
}

/// Search the session's neighbourhood for `q`. A host finds families by first name only and
/// sees first names; staff also by surname, phone or e-mail, and see full names to tell two
/// Sannes apart.
async fn door_search(
    state: &AppState,
    t: &Tr,
    user: &User,
    s: &SessionSummary,
    q: &str,
    listed: &[DoorCard],
) -> Result<DoorSearch, AppError> {
    let host = user.role() == Role::Host;
    let mut out = DoorSearch {
        q: q.to_string(),
        hint: t.get(if host {
            "door-search-hint-host"
        } else {
            "door-search-hint-staff"
        }),
        found: String::new(),
        cards: Vec::new(),
        listed: Vec::new(),
        more: String::new(),
    };
    if q.is_empty() {
        return Ok(out);
    }
    let (found, more) = state
        .store
        .door_search(&user.tenant, s.neighbourhood_id, q, host, DOOR_RESULTS)
        .await?;
    out.found = if found.is_empty() {
        t.get("door-search-none")
    } else {
        t.get1("door-search-found", "count", found.len())
    };
    if more {
        out.more = t.get1("door-search-more", "count", DOOR_RESULTS);
    }
    for h in found {
        let names = if host { h.first_names } else { h.full_names };
        if listed.iter().any(|c| c.id == h.id) {
            out.listed.push((h.id, names));
        } else {
            let field = format!("r{}", out.cards.len());
            out.cards.push(DoorCard {
                outside: true,
                ..door_card(field, h.id, names, None, 0)
            });
        }
    }
    Ok(out)
}

/// What the page shows under "someone else?" besides the field.
enum DoorAsk<'a> {
    Nothing,
    /// The results of this search.
    Search(&'a str),
    /// The card of this family, whose tap was refused, so the error leads to it also when it
    /// was found by a search and is not on the list.
    Family(Uuid),
}

async fn door_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    s: SessionSummary,
    f: FormData,
    errors: FormErrors,
    ask: DoorAsk<'_>,
) -> Result<Response, AppError> {
    let cards = door_lines(state, user, s.id).await?;
    let p = Page::new(ctx, "checkin-title").with_errors(errors);
    let t = p.t;
    let q = match ask {
        DoorAsk::Search(q) => q,
        _ => "",
    };
    let mut search = door_search(state, &t, user, &s, q, &cards).await?;
    if let DoorAsk::Family(id) = ask
        && !cards.iter().any(|c| c.id == id)
    {
        let names = state
            .store
            .household_first_names(&user.tenant, &[id])
            .await?
            .join(" & ");
        if !names.is_empty() {
            search.cards.push(DoorCard {
                outside: true,
                ..door_card("r".into(), id, names, None, 0)
            });
        }
    }
    let present = cards.iter().filter(|c| c.present).count();
    Ok(render_page(&DoorPage {
        s: session_row(&t, &s),
        session_id: s.id,
        expected: cards.len(),
        count_text: t.get1(
            "checkin-count",
            "name",
            format!("{present} / {}", cards.len()),
        ),
        count_template: t.get1("checkin-count", "name", "%n"),
        kinds: options(&t, HouseholdKind::ALL),
        f,
        key: Uuid::now_v7(),
        present,
        walk_card: vec![DoorCard {
            pattern: true,
            ..door_card("w".into(), Uuid::nil(), String::new(), Some(Utc::now()), 0)
        }],
        cancelled: s.state == SessionState::Cancelled,
        cards,
        search,
        p,
    }))
}

/// What the check-in script hears about a walk-in it sends from its queue.
#[derive(Serialize)]
struct WalkInAnswer {
    ok: bool,
    replayed: bool,
    message: String,
    /// The new household: the card's anchor becomes `h-{household}`.
    household: Option<Uuid>,
    /// The form field the message is about, so the host can fix that one.
    field: Option<String>,
}

fn walk_in_json(status: StatusCode, answer: WalkInAnswer) -> Response {
    (status, Json(answer)).into_response()
}

fn walk_in_refused(status: StatusCode, field: &str, message: String) -> Response {
    walk_in_json(
        status,
        WalkInAnswer {
            ok: false,
            replayed: false,
            message,
            household: None,
            field: Some(field.to_string()),
        },
    )
}

/// A family that comes for the first time: a first name, the kind of household and their
/// word that we may note it, and they are checked in. The worker completes the rest later.
/// The check-in script sends this form from its queue on the phone and wants JSON; a form
/// without script gets a redirect or the page with its errors.
pub async fn walk_in(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let json_wanted = wants_json(&headers);
    let (at, from) = tap_day(&f);
    let s = load_from(&state, &user, &id, from).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let first_name = e.take(&t, "first_name", PersonName::parse(f.get("first_name")));
    let kind = e.take(&t, "kind", HouseholdKind::parse(f.get("kind")));
    let children = e.take(
        &t,
        "children",
        attendance::parse_children_count(f.get("children")),
    );
    if !f.has("consent") {
        e.field(&t, "consent", mtp_domain::FieldError::Required);
    }
    let key: String = f
        .get("key")
        .trim()
        .chars()
        .take(mtp_store::sessions::MAX_KEY)
        .collect();
    let (Some(first_name), Some(kind), Some(children), true) =
        (first_name, kind, children, e.is_empty())
    else {
        if json_wanted {
            let (field, message) = e.list().first().cloned().unwrap_or_default();
            return Ok(walk_in_refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                &field,
                message,
            ));
        }
        return Ok(unprocessable(
            door_page(&state, &ctx, &user, s, f, e, DoorAsk::Nothing).await?,
        ));
    };
    let name = first_name.as_str().to_string();
    let draft = mtp_store::HouseholdDraft {
        neighbourhood_id: s.neighbourhood_id,
        kind,
        source: Source::SelfReferral,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents: vec![mtp_store::ParentDraft {
            first_name,
            last_name: None,
            phone: None,
            email: None,
            channel: mtp_domain::Channel::WhatsApp,
            languages: String::new(),
            works: false,
            free_days: Vec::new(),
        }],
        children: Vec::new(),
        data_consent: ConsentMethod::Verbal,
    };
    let key = if key.is_empty() {
        Uuid::now_v7().to_string()
    } else {
        key
    };
    // The store puts the new household's id in the entry.
    let event = audit_event(
        &user,
        Action::HouseholdWalkedIn,
        Subject::in_neighbourhood("household", Uuid::nil(), s.neighbourhood_id),
        &format!("session={} status=present", s.id),
    );
    match state
        .store
        .walk_in(
            &user.tenant,
            s.id,
            &draft,
            &mtp_store::sessions::WalkInTap { children, key, at },
            event,
        )
        .await
    {
        Ok((household, outcome)) if json_wanted => {
            let replayed = outcome == CheckinOutcome::Replayed;
            let key = if replayed {
                "flash-checkin-replayed"
            } else {
                "flash-walk-in"
            };
            Ok(walk_in_json(
                StatusCode::OK,
                WalkInAnswer {
                    ok: true,
                    replayed,
                    message: t.get1(key, "name", &name),
                    household: Some(household),
                    field: None,
                },
            ))
        }
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/sessions/{}/checkin", s.id),
            "flash-walk-in",
            &name,
        )),
        // The same 409 as a refused tap: the form was fine, the activity or session says no.
        Err(StoreError::Refused(key)) if json_wanted => Ok(walk_in_refused(
            StatusCode::CONFLICT,
            "kind",
            t.get1(key, "name", &name),
        )),
        Err(StoreError::Refused(key)) => {
            e.add("kind", t.get1(key, "name", &name));
            Ok(unprocessable(
                door_page(&state, &ctx, &user, s, f, e, DoorAsk::Nothing).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// The worker notes what a family said about one session ("komt", "kan niet"), for example
/// after a call. Intent only: attendance is recorded at the door.
pub async fn rsvp(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let s = load(&state, &user, &id).await?;
    let to = format!("/sessions/{}", s.id);
    let (Ok(household), Ok(coming)) = (
        Uuid::parse_str(f.get("household")),
        match f.get("coming") {
            "yes" => Ok(true),
            "no" => Ok(false),
            _ => Err(()),
        },
    ) else {
        return Err(AppError::BadRequest);
    };
    let t = Tr::new(ctx.lang);
    let answer = mtp_store::RsvpLine {
        coming,
        reason: AbsenceReason::parse(f.get("reason"))
            .ok()
            .filter(|_| !coming)
            .map(|r| r.as_str().to_string()),
        children: attendance::parse_children_count(f.get("children")).unwrap_or(0),
        childcare: f.has("childcare"),
    };
    let names = state
        .store
        .household_first_names(&user.tenant, &[household])
        .await?
        .join(" & ");
    let event = audit_event(
        &user,
        Action::RsvpRecorded,
        Subject::household(household, s.neighbourhood_id),
        if coming { "coming" } else { "not-coming" },
    );
    match state
        .store
        .set_rsvp(&user.tenant, s.id, household, &answer, Some(event))
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("{to}#h-{household}"),
            "flash-rsvp-saved",
            &names,
        )),
        Err(StoreError::Refused(key)) => {
            let mut e = FormErrors::default();
            e.add(&format!("h-{household}"), t.get1(key, "name", &names));
            Ok(unprocessable(
                session_page(&state, &ctx, &user, &s, move_defaults(&s), e).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

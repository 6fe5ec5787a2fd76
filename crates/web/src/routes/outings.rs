//! Outings and holiday activities on their activity page (issue #18, docs/guide/outings.md):
//! the parents who organise them (linked households of the neighbourhood), and for an outing
//! its destination, transport, budget with the cost per family, children by age band, the
//! checklist, and after the day who came and the costs booked.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use chrono::Datelike;
use mtp_domain::activity::{ActivityKind, Cost};
use mtp_domain::attendance::{AgeBand, AttendanceStatus, age_band};
use mtp_domain::audit::Action;
use mtp_domain::money::{self, Cents, SubRecord};
use mtp_domain::outing::{
    Budget, CHECKLIST_KEYS, Group, RideKind, cost_per_family, lifts_short, parse_seats,
};
use mtp_domain::{FieldError, schedule};
use mtp_store::money::OWN_BUDGET_KINDS;
use mtp_store::outings::{OutingDraft, OutingView};
use mtp_store::{Activity, NewAuditEvent, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::gate;
use crate::i18n::Tr;
use crate::parse::{parse_id, parse_times};
use crate::respond::redirect_with_flash;
use crate::routes::money::{budget_years, eur, query, sub_warning};

/// Free text on an outing is bounded so a paste cannot fill the disk.
const MAX_TEXT: usize = 500;

/// An amount in euros for the page; zero is "€ 0,00", not "free".
fn euros(t: &Tr, cents: u64) -> String {
    if cents == 0 {
        return t.get("outing-zero-euros");
    }
    t.money(u32::try_from(cents).unwrap_or(u32::MAX))
}

pub struct RideRow {
    pub id: Uuid,
    pub names: String,
    pub seats: u32,
}

pub struct CostRow {
    pub id: Uuid,
    pub description: String,
    pub amount: String,
    pub date: String,
}

pub struct CheckRow {
    pub id: Uuid,
    pub label: String,
    pub done: bool,
}

/// The budget's outcome for the page.
pub struct CostView {
    pub total: String,
    pub to_pay: String,
    pub per_family: String,
    pub affordable: String,
    pub fits: bool,
    pub short: String,
}

/// An outing's or a workshop's own budget for its year (docs/guide/outings.md#its-own-budget),
/// for the roles that may open the budget itself.
pub struct OwnBudgetView {
    /// "Eigen budget 2026".
    pub title: String,
    /// An own budget is set for the year; otherwise `none` says so, with what was spent.
    pub set: bool,
    pub none: String,
    pub budget: String,
    pub spent: String,
    /// What is left, or how much more was spent than the budget when `over`.
    pub remaining: String,
    pub over: bool,
    /// What it is expected to cost once the year's sessions are held, when that differs from
    /// what was spent (a workshop halfway through its evenings).
    pub forecast: Option<String>,
    /// The budget page's own warning for this activity.
    pub warning: Option<String>,
    /// The budget of the activity's neighbourhood and year, where the own budget is set.
    pub href: String,
}

fn own_budget_view(t: &Tr, a: &Activity, year: i32, r: SubRecord) -> OwnBudgetView {
    let sub = money::sub_summary(r);
    let left = r.remaining();
    let year_text = year.to_string();
    let spent = eur(t, r.spent);
    OwnBudgetView {
        title: t.get1("outing-own-title", "year", year_text.as_str()),
        set: r.budget > Cents::ZERO,
        none: t.get2(
            "outing-own-none",
            ("year", year_text.as_str()),
            ("spent", spent.as_str()),
        ),
        budget: eur(t, r.budget),
        spent,
        remaining: eur(t, Cents::from_cents(left.cents().abs())),
        over: left < Cents::ZERO,
        forecast: (sub.forecast != r.spent).then(|| eur(t, sub.forecast)),
        warning: sub_warning(t, &a.d.name, &sub).map(|(w, _)| w),
        href: format!("/budget?{}", query(a.d.neighbourhood_id, year)),
    }
}

/// The outing part of an activity page, and the organisers of a holiday activity.
pub struct OutingSection {
    pub is_outing: bool,
    /// The organisers' heading and hint by kind: `outing`, `holiday` or `activity`.
    pub organisers_key: &'static str,
    pub organisers: Vec<(Uuid, String)>,
    /// Households of the neighbourhood that can still be named organiser, driver or lift.
    pub candidates: Vec<(Uuid, String)>,
    pub saved: bool,
    pub destination: String,
    pub meeting_point: String,
    pub public_transport: String,
    pub ticket: String,
    pub transport: String,
    pub subsidy: String,
    pub affordable: String,
    /// The outing's day: its first session.
    pub session: Option<Uuid>,
    pub when: String,
    pub past: bool,
    pub families: u32,
    pub people: u32,
    pub cost: Option<CostView>,
    pub drivers: Vec<RideRow>,
    pub lifts: Vec<RideRow>,
    pub seats: u32,
    pub lifts_short: u32,
    /// Families who answered they cannot come for want of transport.
    pub transport_answers: Vec<String>,
    pub children: u32,
    pub adults: u32,
    pub bands: Vec<(String, u32)>,
    pub checks: Vec<CheckRow>,
    pub came: Vec<String>,
    pub costs: Vec<CostRow>,
    pub booked: String,
    /// Only for outings and workshops, and only for the roles the gate lets open `/budget`:
    /// workers book costs here but do not see the budgets.
    pub own_budget: Option<OwnBudgetView>,
    pub coming_line: String,
    pub seats_line: String,
    pub children_line: String,
}

/// An amount as the form shows it again ("7,50"); empty for nothing saved yet.
fn amount_value(cents: u32) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// The section for an activity page: the parents who co-organise it (every kind, since the
/// free-text co-organisers went, docs/decisions.md), and for an outing its plan. `f` holds the
/// values of a form that was sent back with errors.
pub async fn section(
    state: &AppState,
    t: &Tr,
    user: &User,
    a: &Activity,
    f: &FormData,
) -> Result<Option<OutingSection>, AppError> {
    let is_outing = a.d.kind == ActivityKind::Outing;
    let organisers_key = match a.d.kind {
        ActivityKind::Outing => "outing",
        ActivityKind::Holiday => "holiday",
        _ => "activity",
    };
    let view: OutingView = state
        .store
        .outing(
            &user.tenant,
            a.id,
            Some(audit_event(
                user,
                Action::OutingViewed,
                Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
                "",
            )),
        )
        .await?;
    let organiser_ids: Vec<Uuid> = view.organisers.iter().map(|(h, _)| *h).collect();
    let candidates = state
        .store
        .neighbourhood_households(&user.tenant, a.d.neighbourhood_id, &organiser_ids, 500)
        .await?
        .into_iter()
        .map(|h| (h.id, h.full_names))
        .collect();
    let d = view.draft.clone().unwrap_or_default();
    let posted = f.has("destination");
    let value = |field: &str, saved: String| {
        if posted {
            f.get(field).to_string()
        } else {
            saved
        }
    };
    let money_value = |field: &str, cents: u32| {
        if posted {
            f.get(field).to_string()
        } else if view.draft.is_some() {
            amount_value(cents)
        } else {
            String::new()
        }
    };
    // Only an outing's page shows its day and who comes; a series has no one day.
    let session = if is_outing {
        state.store.first_session(&user.tenant, a.id).await?
    } else {
        None
    };
    let detail = match session {
        Some(id) => Some(state.store.session_detail(&user.tenant, id).await?),
        None => None,
    };
    let today = crate::today();
    let (mut families, mut people, mut adults, mut children) = (0u32, 0u32, 0u32, 0u32);
    let mut bands: Vec<(AgeBand, u32)> = AgeBand::ALL.iter().map(|b| (*b, 0)).collect();
    let mut came = Vec::new();
    let mut transport_answers = Vec::new();
    let mut when = String::new();
    let mut past = false;
    if let Some(s) = &detail {
        let day = schedule::utc_to_local(s.s.starts_at).date();
        when = format!("{}, {}", t.day(day), t.times(s.s.starts_at, s.s.ends_at));
        past = day < today;
        for line in &s.lines {
            if line
                .attendance
                .as_ref()
                .is_some_and(|at| at.status == AttendanceStatus::Present)
            {
                came.push(line.first_names.clone());
            }
            if line
                .rsvp
                .as_ref()
                .is_some_and(|r| !r.coming && r.reason.as_deref() == Some("transport"))
            {
                transport_answers.push(line.first_names.clone());
            }
            if !line.expected() {
                continue;
            }
            families += 1;
            let parents = u32::try_from(line.parents.len().max(1)).unwrap_or(1);
            adults += parents;
            let kids = u32::try_from(line.children.len()).unwrap_or(0);
            children += kids;
            people += parents + kids;
            for birth in &line.children {
                if let Some(band) = age_band(birth, day)
                    && let Some(slot) = bands.iter_mut().find(|(b, _)| *b == band)
                {
                    slot.1 += 1;
                }
            }
        }
    }
    let cost = view
        .draft
        .as_ref()
        .and_then(|d| cost_per_family(&d.budget, Group { families, people }))
        .map(|c| CostView {
            total: euros(t, c.total_cents),
            to_pay: euros(t, c.to_pay_cents),
            per_family: euros(t, c.per_family_cents),
            affordable: euros(t, u64::from(d.budget.affordable_cents)),
            fits: c.fits,
            short: euros(t, c.subsidy_short_cents),
        });
    let row = |r: &mtp_store::outings::Ride| RideRow {
        id: r.id,
        names: r.names.clone(),
        seats: r.seats,
    };
    let drivers: Vec<RideRow> = view
        .rides
        .iter()
        .filter(|r| r.kind == RideKind::Driver)
        .map(row)
        .collect();
    let lifts: Vec<RideRow> = view
        .rides
        .iter()
        .filter(|r| r.kind == RideKind::Lift)
        .map(row)
        .collect();
    let seats: u32 = drivers.iter().map(|r| r.seats).sum();
    let asked = u32::try_from(lifts.len() + transport_answers.len()).unwrap_or(u32::MAX);
    let short = lifts_short(seats, asked);
    // The outing's year is its day's; a workshop's (a series) this year's.
    let year = detail
        .as_ref()
        .map_or(today, |s| schedule::utc_to_local(s.s.starts_at).date())
        .year();
    // An outing further ahead than a budget is made has no budget page to show or link to.
    let own_budget = if OWN_BUDGET_KINDS.contains(&a.d.kind)
        && gate::allows(user.role(), &Method::GET, "/budget")
        && budget_years().contains(&year)
    {
        let r = state.store.own_budget(&user.tenant, a.id, year).await?;
        Some(own_budget_view(t, a, year, r))
    } else {
        None
    };
    Ok(Some(OutingSection {
        own_budget,
        coming_line: t.get2(
            "outing-coming-count",
            ("families", families),
            ("people", people),
        ),
        seats_line: t.get2("outing-seats", ("seats", seats), ("short", short)),
        children_line: t.get2(
            "outing-children-summary",
            ("children", children),
            ("adults", adults),
        ),
        is_outing,
        organisers_key,
        organisers: view.organisers.clone(),
        candidates,
        saved: view.draft.is_some(),
        destination: value("destination", d.destination.clone()),
        meeting_point: value("meeting_point", d.meeting_point.clone()),
        public_transport: value("public_transport", d.public_transport.clone()),
        ticket: money_value("ticket", d.budget.ticket_cents),
        transport: money_value("transport", d.budget.transport_cents),
        subsidy: money_value("subsidy", d.budget.subsidy_cents),
        affordable: money_value("affordable", d.budget.affordable_cents),
        session,
        when,
        past,
        families,
        people,
        cost,
        lifts_short: short,
        drivers,
        lifts,
        seats,
        transport_answers,
        children,
        adults,
        bands: bands
            .into_iter()
            .map(|(b, n)| (t.get(b.key()), n))
            .collect(),
        checks: view
            .checks
            .iter()
            .map(|c| CheckRow {
                id: c.id,
                label: c.label.clone(),
                done: c.done,
            })
            .collect(),
        came,
        costs: view
            .costs
            .iter()
            .map(|c| CostRow {
                id: c.id,
                description: c.description.clone(),
                amount: euros(t, u64::from(c.cents)),
                date: t.day(c.booked_on),
            })
            .collect(),
        booked: euros(t, view.booked_cents()),
    }))
}

async fn back_with_errors(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    a: Activity,
    f: FormData,
    e: FormErrors,
) -> Result<Response, AppError> {
    Ok(unprocessable(
        crate::routes::activities::show_page(state, ctx, user, a, f, e).await?,
    ))
}

fn to_activity(state: &AppState, a: &Activity, flash: &str) -> Response {
    redirect_with_flash(state, &format!("/activities/{}#outing", a.id), flash, "")
}

/// An amount field: empty is zero.
fn amount(t: &Tr, e: &mut FormErrors, f: &FormData, field: &str) -> u32 {
    let raw = f.get(field).trim();
    if raw.is_empty() {
        return 0;
    }
    e.take(t, field, Cost::parse(raw)).map_or(0, Cost::cents)
}

/// For an activity that is not an outing, back to its page with a word why: the outing's
/// forms are only on an outing's page.
fn not_an_outing(state: &AppState, a: &Activity) -> Option<Response> {
    (a.d.kind != ActivityKind::Outing).then(|| to_activity(state, a, "flash-not-an-outing"))
}

/// The outing an outing form is for (`Ok`), or the way back to the activity's page when it
/// is not an outing (`Err`).
async fn outing_for(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<Result<Activity, Response>, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(id)?).await?;
    Ok(match not_an_outing(state, &a) {
        Some(back) => Err(back),
        None => Ok(a),
    })
}

/// The activity a line form is for and the line (`field`: a ride, a checklist line, an
/// organiser) it names (`Ok`), or the way back to the activity's page (`Err`): when
/// `outing_only` and the activity is not an outing, or when the form names no line (it then
/// changes nothing).
async fn line_form(
    state: &AppState,
    user: &User,
    id: &str,
    f: &FormData,
    field: &str,
    outing_only: bool,
) -> Result<Result<(Activity, Uuid), Response>, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(id)?).await?;
    if outing_only && let Some(back) = not_an_outing(state, &a) {
        return Ok(Err(back));
    }
    Ok(match Uuid::parse_str(f.get(field)) {
        Ok(line) => Ok((a, line)),
        Err(_) => Err(to_activity(state, &a, "flash-saved")),
    })
}

/// The audit entry of a change to an activity's outing part.
fn outing_event(user: &User, a: &Activity, action: Action, detail: &str) -> NewAuditEvent {
    audit_event(
        user,
        action,
        Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
        detail,
    )
}

/// Save the outing's details and budget; with a date, plan its day.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    if let Some(back) = not_an_outing(&state, &a) {
        return Ok(back);
    }
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let destination = e.text(&t, &f, "destination", MAX_TEXT);
    if destination.is_empty() {
        e.field(&t, "destination", FieldError::Required);
    }
    let meeting_point = e.text(&t, &f, "meeting_point", MAX_TEXT);
    let public_transport = e.text(&t, &f, "public_transport", MAX_TEXT);
    let budget = Budget {
        ticket_cents: amount(&t, &mut e, &f, "ticket"),
        transport_cents: amount(&t, &mut e, &f, "transport"),
        subsidy_cents: amount(&t, &mut e, &f, "subsidy"),
        affordable_cents: amount(&t, &mut e, &f, "affordable"),
    };
    // The day, when the outing has none yet.
    let day = if f.get("outing_date").trim().is_empty() {
        None
    } else {
        let date = e.take(
            &t,
            "outing_date",
            schedule::parse_date(f.get("outing_date")),
        );
        let times = parse_times(&t, &mut e, &f, "outing_start", "outing_end");
        date.zip(times)
    };
    if !e.is_empty() {
        return back_with_errors(&state, &ctx, &user, a, f, e).await;
    }
    let draft = OutingDraft {
        destination,
        meeting_point,
        public_transport,
        budget,
    };
    let checklist: Vec<String> = CHECKLIST_KEYS.iter().map(|k| t.get(k)).collect();
    state
        .store
        .save_outing(
            &user.tenant,
            a.id,
            &draft,
            &checklist,
            audit_event(
                &user,
                Action::OutingSaved,
                Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
                &format!(
                    "ticket={} transport={} subsidy={} affordable={}",
                    budget.ticket_cents,
                    budget.transport_cents,
                    budget.subsidy_cents,
                    budget.affordable_cents
                ),
            ),
        )
        .await?;
    if let Some((date, (start, end))) = day {
        let event = |added: u64| {
            (added > 0).then(|| {
                audit_event(
                    &user,
                    Action::ActivitySessionAdded,
                    Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
                    "",
                )
            })
        };
        state
            .store
            .plan_sessions(
                &user.tenant,
                a.id,
                &[(date, schedule::slot(date, start, end))],
                Some(&event),
            )
            .await?;
    }
    Ok(to_activity(&state, &a, "flash-outing-saved"))
}

/// A household id from a form field, or the field's error on the page. The store checks the
/// household is of the activity's neighbourhood.
fn household_field(t: &Tr, e: &mut FormErrors, f: &FormData, field: &str) -> Option<Uuid> {
    e.choice(t, f, field, |_| true)
}

/// Name a household of the neighbourhood as (co-)organiser of an activity.
pub async fn add_organiser(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let Some(household) = household_field(&t, &mut e, &f, "organiser") else {
        return back_with_errors(&state, &ctx, &user, a, f, e).await;
    };
    let event = audit_event(
        &user,
        Action::OutingOrganiserAdded,
        Subject::household(household, a.d.neighbourhood_id),
        &a.id.to_string(),
    );
    match state
        .store
        .add_organiser(&user.tenant, a.id, household, event)
        .await
    {
        Ok(_) => Ok(to_activity(&state, &a, "flash-organiser-added")),
        Err(StoreError::NotFound) => {
            e.field(&t, "organiser", FieldError::ChoiceInvalid);
            back_with_errors(&state, &ctx, &user, a, f, e).await
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn remove_organiser(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let (a, household) = match line_form(&state, &user, &id, &f, "household", false).await? {
        Ok(x) => x,
        Err(back) => return Ok(back),
    };
    let event = audit_event(
        &user,
        Action::OutingOrganiserRemoved,
        Subject::household(household, a.d.neighbourhood_id),
        &a.id.to_string(),
    );
    state
        .store
        .remove_organiser(&user.tenant, a.id, household, event)
        .await?;
    Ok(to_activity(&state, &a, "flash-organiser-removed"))
}

/// A driver (a household of the neighbourhood or a named volunteer, with seats) or a
/// family that needs a lift.
pub async fn add_ride(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = match outing_for(&state, &user, &id).await? {
        Ok(a) => a,
        Err(back) => return Ok(back),
    };
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let kind = e.take(&t, "ride_kind", RideKind::parse(f.get("ride_kind")));
    let name = e.text(&t, &f, "driver_name", 100);
    let household = if kind == Some(RideKind::Driver) && f.get("ride_household").trim().is_empty() {
        if name.is_empty() {
            e.field(&t, "ride_household", FieldError::Required);
        }
        None
    } else {
        household_field(&t, &mut e, &f, "ride_household")
    };
    let seats = match kind {
        Some(RideKind::Driver) => e.take(&t, "seats", parse_seats(f.get("seats"))),
        _ => Some(1),
    };
    let (Some(kind), Some(seats), true) = (kind, seats, e.is_empty()) else {
        return back_with_errors(&state, &ctx, &user, a, f, e).await;
    };
    let detail = format!("activity={} kind={} seats={seats}", a.id, kind.as_str());
    let event = match household {
        Some(h) => audit_event(
            &user,
            Action::OutingRideAdded,
            Subject::household(h, a.d.neighbourhood_id),
            &detail,
        ),
        None => outing_event(&user, &a, Action::OutingRideAdded, &detail),
    };
    match state
        .store
        .add_ride(
            &user.tenant,
            a.id,
            kind,
            household,
            (!name.is_empty()).then_some(name),
            seats,
            event,
        )
        .await
    {
        Ok(()) => Ok(to_activity(&state, &a, "flash-ride-added")),
        Err(StoreError::NotFound) => {
            e.field(&t, "ride_household", FieldError::ChoiceInvalid);
            back_with_errors(&state, &ctx, &user, a, f, e).await
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn remove_ride(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let (a, ride) = match line_form(&state, &user, &id, &f, "ride", true).await? {
        Ok(x) => x,
        Err(back) => return Ok(back),
    };
    let event = outing_event(&user, &a, Action::OutingRideRemoved, &ride.to_string());
    state
        .store
        .remove_ride(&user.tenant, a.id, ride, event)
        .await?;
    Ok(to_activity(&state, &a, "flash-ride-removed"))
}

pub async fn add_check(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = match outing_for(&state, &user, &id).await? {
        Ok(a) => a,
        Err(back) => return Ok(back),
    };
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let label = e.text(&t, &f, "check_label", 200);
    if label.is_empty() {
        e.field(&t, "check_label", FieldError::Required);
    }
    if !e.is_empty() {
        return back_with_errors(&state, &ctx, &user, a, f, e).await;
    }
    let event = outing_event(&user, &a, Action::OutingCheckAdded, "");
    state
        .store
        .add_check(&user.tenant, a.id, &label, event)
        .await?;
    Ok(to_activity(&state, &a, "flash-saved"))
}

/// Tick, untick (`done` = "yes" / "no") or remove (`done` = "remove") a checklist line.
pub async fn set_check(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let (a, check) = match line_form(&state, &user, &id, &f, "check", true).await? {
        Ok(x) => x,
        Err(back) => return Ok(back),
    };
    // A form that names no change changes nothing.
    let done = match f.get("done") {
        "yes" => Some(true),
        "no" => Some(false),
        "remove" => None,
        _ => return Ok(to_activity(&state, &a, "flash-saved")),
    };
    let event = outing_event(&user, &a, Action::OutingCheckChanged, f.get("done"));
    state
        .store
        .set_check(&user.tenant, a.id, check, done, event)
        .await?;
    Ok(to_activity(&state, &a, "flash-saved"))
}

/// Book a cost after the outing, in cents.
pub async fn book_cost(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    if let Some(back) = not_an_outing(&state, &a) {
        return Ok(back);
    }
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let description = e.text(&t, &f, "cost_description", 200);
    if description.is_empty() {
        e.field(&t, "cost_description", FieldError::Required);
    }
    let cents = if f.get("cost_amount").trim().is_empty() {
        e.field(&t, "cost_amount", FieldError::Required);
        None
    } else {
        e.take(&t, "cost_amount", Cost::parse(f.get("cost_amount")))
            .map(Cost::cents)
    };
    // The cost is an expense of the ledger, where an amount of nothing is no entry.
    if cents == Some(0) {
        e.add("cost_amount", t.get("money-error-amount-zero"));
    }
    let date = e.take(&t, "cost_date", schedule::parse_date(f.get("cost_date")));
    let (Some(cents), Some(date), true) = (cents, date, e.is_empty()) else {
        return back_with_errors(&state, &ctx, &user, a, f, e).await;
    };
    let event = audit_event(
        &user,
        Action::OutingCostBooked,
        Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
        &format!("cents={cents}"),
    );
    state
        .store
        .book_cost(
            &user.tenant,
            Some(user.account.id),
            a.id,
            &description,
            cents,
            date,
            event,
        )
        .await?;
    Ok(to_activity(&state, &a, "flash-cost-booked"))
}

pub async fn remove_cost(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    if let Some(back) = not_an_outing(&state, &a) {
        return Ok(back);
    }
    let Ok(cost) = Uuid::parse_str(f.get("cost")) else {
        return Ok(to_activity(&state, &a, "flash-saved"));
    };
    let event = audit_event(
        &user,
        Action::OutingCostRemoved,
        Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
        &cost.to_string(),
    );
    state
        .store
        .remove_cost(&user.tenant, Some(user.account.id), a.id, cost, event)
        .await?;
    Ok(to_activity(&state, &a, "flash-cost-removed"))
}

//! Activities: the list with holiday suggestions and rota gaps, the activity form, the
//! activity page with its sessions, planning a weekly series or one session, and the list of
//! registered households.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::Response;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use mtp_domain::activity::{self, ActivityKind, Audience, Cost, StaffMinutes};
use mtp_domain::audit::Action;
use mtp_domain::schedule::{self, Repeat, Weekly};
use mtp_domain::{FieldError, PlaceName};
use mtp_store::{Activity, ActivityDraft, Neighbourhood, Registered, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::{Tr, WEEK};
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::parse::{parse_minutes, parse_times};
use crate::respond::redirect_with_flash;
use crate::views::{SessionRow, session_row};

/// Free text on an activity is bounded so a paste cannot fill the disk.
const MAX_TEXT: usize = 2000;
/// Sessions shown on the activity page; the rest are a click further.
const SESSIONS_SHOWN: u64 = 12;

// ---------------------------------------------------------------- list

pub struct ActivityCard {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub audience: String,
    pub neighbourhood: String,
    pub cost: String,
    pub paid: bool,
    pub places: String,
}

fn activity_card(t: &Tr, a: &Activity) -> ActivityCard {
    ActivityCard {
        id: a.id,
        name: a.d.name.clone(),
        kind: t.label(&a.d.kind),
        audience: t.label(&a.d.audience),
        neighbourhood: a.neighbourhood_name.clone(),
        cost: t.money(a.d.cost.cents()),
        paid: !a.d.cost.is_free(),
        places: match a.d.capacity {
            Some(c) => t.get1(
                "activity-places-of",
                "name",
                format!("{} / {c}", a.registered),
            ),
            None => t.get1("activity-places", "name", a.registered),
        },
    }
}

pub struct Suggestion {
    pub title: String,
    pub when: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    p: Page,
    cards: Vec<ActivityCard>,
    suggestions: Vec<Suggestion>,
    /// Whether the user may change the organisation's holiday list.
    holiday_list_link: bool,
    gaps: Vec<SessionRow>,
    ideas: Vec<(String, Vec<crate::views::IdeaView>)>,
    /// The public programme address of each neighbourhood the user reaches.
    programmes: Vec<crate::routes::calendar::ProgrammeLink>,
    /// Whether the user may open the wishes and talent pages (issue #18).
    wishes_link: bool,
}

/// How far ahead the list proposes holiday activities and looks for rota gaps.
const SUGGEST_DAYS: i64 = 42;
const GAP_DAYS: i64 = 28;

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "activities-title");
    let t = p.t;
    let activities = state.store.activities(&user.tenant).await?;
    let now = Utc::now();
    let gaps = state
        .store
        .rota_gaps(&user.tenant, now, now + Duration::days(GAP_DAYS))
        .await?;
    // The parents' wishes from the portal, per neighbourhood: what to organise next (§3.3).
    let mut ideas = Vec::new();
    let mut programmes = Vec::new();
    for nb in state.store.neighbourhoods(&user.tenant).await? {
        programmes.push(crate::routes::calendar::programme_link(
            &state.cfg.public_url,
            nb.id,
            &nb.name,
        ));
        let demand = state.store.idea_demand(&user.tenant, nb.id).await?;
        if !demand.is_empty() {
            ideas.push((nb.name, crate::views::idea_views(&t, &demand)));
        }
    }
    Ok(render_page(&ListPage {
        wishes_link: crate::gate::allows(user.role(), &axum::http::Method::GET, "/wishes"),
        ideas,
        programmes,
        cards: activities.iter().map(|a| activity_card(&t, a)).collect(),
        // The organisation's own holiday list (issue #18), not a closed list of three.
        suggestions: crate::routes::holiday_list::suggestions(&state, &user, &t, SUGGEST_DAYS)
            .await?
            .into_iter()
            .map(|s| Suggestion {
                title: s.title,
                when: s.when,
                href: s.href,
            })
            .collect(),
        holiday_list_link: crate::gate::allows(user.role(), &Method::GET, "/holiday-activities"),
        gaps: gaps.iter().map(|s| session_row(&t, s)).collect(),
        p,
    }))
}

// ---------------------------------------------------------------- form

#[derive(Template)]
#[template(path = "activity_form.html")]
struct FormPage {
    p: Page,
    f: FormData,
    action: String,
    neighbourhoods: Vec<Neighbourhood>,
    kinds: Vec<(&'static str, String)>,
    audiences: Vec<(&'static str, String)>,
    cost_warning: bool,
    /// Where the minutes come from for the kind in the form: the handbook's (a coffee hour)
    /// or the organisation's own estimate (issue #17).
    staff_source: String,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
    editing: Option<Uuid>,
) -> Result<Response, AppError> {
    let title = if editing.is_some() {
        "activity-edit-title"
    } else {
        "activity-new-title"
    };
    let p = Page::new(ctx, title).with_errors(errors);
    let t = p.t;
    let mut audiences = vec![("", t.get("audience-default"))];
    audiences.extend(options(&t, Audience::ALL));
    let cost_warning = Cost::parse(f.get("cost")).is_ok_and(|c| !c.is_free());
    let staff_source = crate::routes::rules::staff_source(&t, f.get("kind"));
    Ok(render_page(&FormPage {
        staff_source,
        action: match editing {
            Some(id) => format!("/activities/{id}/edit"),
            None => "/activities/new".into(),
        },
        neighbourhoods: state.store.neighbourhoods(&user.tenant).await?,
        kinds: options(&t, ActivityKind::ALL),
        audiences,
        cost_warning,
        f,
        p,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let kind = ActivityKind::parse(&q.kind).unwrap_or(ActivityKind::CoffeeHourExclusive);
    // The handbook's minutes for a coffee hour, the organisation's own estimate otherwise.
    let staff = user.org.staff_minutes.for_kind(kind);
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("kind", kind.as_str())
        .append_pair("name", &q.name.chars().take(100).collect::<String>())
        .append_pair("cost", "0")
        .append_pair("preparation", &staff.preparation.to_string())
        .append_pair("execution", &staff.execution.to_string())
        .append_pair("wrap_up", &staff.wrap_up.to_string())
        .finish();
    let f = FormData::parse(body.as_bytes());
    form_page(&state, &ctx, &user, f, FormErrors::default(), None).await
}

/// On the activity form an empty time means none.
fn minutes(raw: &str) -> Result<u32, FieldError> {
    if raw.trim().is_empty() {
        Ok(0)
    } else {
        parse_minutes(raw)
    }
}

async fn parse_draft(
    state: &AppState,
    user: &User,
    t: &Tr,
    f: &FormData,
) -> Result<(FormErrors, Option<ActivityDraft>), AppError> {
    let mut e = FormErrors::default();
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let neighbourhood_id = match neighbourhoods.as_slice() {
        [only] => Some(only.id),
        _ => {
            let chosen = Uuid::parse_str(f.get("neighbourhood"))
                .ok()
                .filter(|id| neighbourhoods.iter().any(|n| n.id == *id));
            if chosen.is_none() {
                e.field(t, "neighbourhood", FieldError::Required);
            }
            chosen
        }
    };
    let kind = e.take(t, "kind", ActivityKind::parse(f.get("kind")));
    let audience = match f.get("audience") {
        "" => kind.map(ActivityKind::default_audience),
        raw => e.take(t, "audience", Audience::parse(raw)),
    };
    let name = e.take(t, "name", PlaceName::parse(f.get("name")));
    let place = e.take(t, "place", PlaceName::parse(f.get("place")));
    let address = e.text(t, f, "address", 200);
    let description = e.text(t, f, "description", MAX_TEXT);
    let accessibility = e.text(t, f, "accessibility", MAX_TEXT);
    let cost = e.take(t, "cost", Cost::parse(f.get("cost")));
    let capacity = e.take(t, "capacity", activity::parse_capacity(f.get("capacity")));
    let preparation = e.take(t, "preparation", minutes(f.get("preparation")));
    let execution = e.take(t, "execution", minutes(f.get("execution")));
    let wrap_up = e.take(t, "wrap_up", minutes(f.get("wrap_up")));
    let draft = match (
        neighbourhood_id,
        kind,
        audience,
        name,
        place,
        cost,
        capacity,
        preparation,
        execution,
        wrap_up,
    ) {
        (
            Some(neighbourhood_id),
            Some(kind),
            Some(audience),
            Some(name),
            Some(place),
            Some(cost),
            Some(capacity),
            Some(preparation),
            Some(execution),
            Some(wrap_up),
        ) if e.is_empty() => Some(ActivityDraft {
            neighbourhood_id,
            kind,
            audience,
            name: name.into_inner(),
            description,
            place: place.into_inner(),
            address,
            accessibility,
            near_school: f.has("near_school"),
            cost,
            capacity,
            childcare: f.has("childcare"),
            staff: StaffMinutes {
                preparation,
                execution,
                wrap_up,
            },
        }),
        _ => None,
    };
    Ok((e, draft))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (e, draft) = parse_draft(&state, &user, &t, &f).await?;
    let Some(draft) = draft else {
        return Ok(unprocessable(
            form_page(&state, &ctx, &user, f, e, None).await?,
        ));
    };
    // The store puts the new activity's id in the entry.
    let event = audit_event(
        &user,
        Action::ActivityCreated,
        Subject::in_neighbourhood("activity", Uuid::nil(), draft.neighbourhood_id),
        draft.kind.as_str(),
    );
    let id = match state
        .store
        .create_activity(&user.tenant, &draft, Some(event))
        .await
    {
        Ok(id) => id,
        Err(StoreError::NotFound) => return Err(AppError::Forbidden),
        Err(err) => return Err(err.into()),
    };
    Ok(redirect_with_flash(
        &state,
        &format!("/activities/{id}"),
        "flash-activity-created",
        &draft.name,
    ))
}

/// The cost as the form shows it: "0", "2,50".
fn cost_value(cents: u32) -> String {
    if cents.is_multiple_of(100) {
        (cents / 100).to_string()
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

fn as_form(a: &Activity) -> FormData {
    let d = &a.d;
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("neighbourhood", &d.neighbourhood_id.to_string())
        .append_pair("kind", d.kind.as_str())
        .append_pair("audience", d.audience.as_str())
        .append_pair("name", &d.name)
        .append_pair("description", &d.description)
        .append_pair("place", &d.place)
        .append_pair("address", &d.address)
        .append_pair("accessibility", &d.accessibility)
        .append_pair("cost", &cost_value(d.cost.cents()))
        .append_pair(
            "capacity",
            &d.capacity.map(|c| c.to_string()).unwrap_or_default(),
        )
        .append_pair("preparation", &d.staff.preparation.to_string())
        .append_pair("execution", &d.staff.execution.to_string())
        .append_pair("wrap_up", &d.staff.wrap_up.to_string());
    if d.near_school {
        ser.append_pair("near_school", "yes");
    }
    if d.childcare {
        ser.append_pair("childcare", "yes");
    }
    FormData::parse(ser.finish().as_bytes())
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    form_page(
        &state,
        &ctx,
        &user,
        as_form(&a),
        FormErrors::default(),
        Some(a.id),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let (mut e, draft) = parse_draft(&state, &user, &t, &f).await?;
    if let Some(draft) = draft {
        let event = audit_event(
            &user,
            Action::ActivityUpdated,
            Subject::in_neighbourhood("activity", a.id, draft.neighbourhood_id),
            "",
        );
        match state
            .store
            .update_activity(&user.tenant, a.id, &draft, event)
            .await
        {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/activities/{}", a.id),
                    "flash-saved",
                    "",
                ));
            }
            Err(StoreError::Refused(key)) => e.add("capacity", t.get1(key, "name", a.registered)),
            Err(StoreError::NotFound) => return Err(AppError::Forbidden),
            Err(err) => return Err(err.into()),
        }
    }
    Ok(unprocessable(
        form_page(&state, &ctx, &user, f, e, Some(a.id)).await?,
    ))
}

// ---------------------------------------------------------------- activity page

pub struct RegistrantRow {
    pub id: Uuid,
    pub names: String,
    pub waiting: bool,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ShowPage {
    p: Page,
    a: Activity,
    kind: String,
    audience: String,
    cost: String,
    sessions: Vec<SessionRow>,
    registrants: Vec<RegistrantRow>,
    candidates: Vec<(Uuid, String)>,
    /// The weekdays with how many taking-part households can come on each.
    weekdays: Vec<(String, String)>,
    /// How often a series comes back: form value and label.
    repeats: Vec<(String, String)>,
    weekday_fit_hint: String,
    /// Organisers of an outing or holiday activity, and the outing's plan.
    outing: Option<crate::routes::outings::OutingSection>,
    f: FormData,
    /// The first date of the series being planned whose school holidays nobody knows yet.
    holidays_unknown_from: Option<String>,
    /// Whether the user may open the holidays page the warning links to.
    holidays_link: bool,
    places: String,
}

pub(crate) async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    a: Activity,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "activity-title").with_errors(errors);
    let t = p.t;
    let sessions = state
        .store
        .activity_sessions(
            &user.tenant,
            a.id,
            Utc::now() - Duration::days(1),
            SESSIONS_SHOWN,
        )
        .await?;
    let registrants = state.store.registrants(&user.tenant, a.id).await?;
    let on_list: Vec<Uuid> = registrants.iter().map(|r| r.household_id).collect();
    let candidates = state
        .store
        .neighbourhood_households(&user.tenant, a.d.neighbourhood_id, &on_list, 500)
        .await?
        .into_iter()
        .map(|h| (h.id, h.full_names))
        .collect();
    let holidays = crate::views::org_holidays(state, user).await?;
    let series = planned_dates(&f);
    let fit = state
        .store
        .weekday_fit(&user.tenant, a.d.neighbourhood_id, crate::today())
        .await?;
    let outing = crate::routes::outings::section(state, &t, user, &a, &f).await?;
    let holidays_unknown_from = if f.has("skip_holidays") {
        crate::views::first_unknown(&t, &holidays, &series)
    } else {
        None
    };
    Ok(render_page(&ShowPage {
        p: Page {
            title: a.d.name.clone(),
            ..p
        },
        kind: t.label(&a.d.kind),
        audience: t.label(&a.d.audience),
        cost: t.money(a.d.cost.cents()),
        sessions: sessions.iter().map(|s| session_row(&t, s)).collect(),
        registrants: registrants
            .into_iter()
            .map(|r| RegistrantRow {
                id: r.household_id,
                names: r.first_names,
                waiting: r.waiting,
            })
            .collect(),
        candidates,
        weekdays: WEEK
            .iter()
            .map(|&d| {
                let can_come = fit
                    .fit
                    .days
                    .iter()
                    .find(|f| f.weekday == d)
                    .map_or(0, |f| f.can_come);
                let label = if fit.taking_part == 0 {
                    t.weekday(d).to_string()
                } else {
                    t.get2(
                        "weekday-fit-option",
                        ("day", t.weekday(d)),
                        ("count", can_come),
                    )
                };
                (d.number_from_monday().to_string(), label)
            })
            .collect(),
        repeats: Repeat::all()
            .into_iter()
            .map(|r| (r.as_value(), t.get(r.key())))
            .collect(),
        weekday_fit_hint: t.get1("weekday-fit-hint", "count", fit.taking_part),
        outing,
        holidays_unknown_from,
        holidays_link: crate::gate::allows(user.role(), &Method::GET, "/admin/holidays"),
        places: activity_card(&t, &a).places,
        f,
        a,
    }))
}

/// The dates of the series the planning form describes, holidays not left out; none while a
/// field is still wrong.
fn planned_dates(f: &FormData) -> Vec<NaiveDate> {
    let (Ok(weekday), Ok(from), Ok(until), Ok(repeat)) = (
        schedule::parse_weekday(f.get("weekday")),
        schedule::parse_date(f.get("from")),
        schedule::parse_date(f.get("until")),
        Repeat::parse(f.get("repeat")),
    ) else {
        return Vec::new();
    };
    Weekly {
        weekday,
        start: NaiveTime::MIN,
        end: NaiveTime::MIN,
        from,
        until,
        skip_school_holidays: None,
    }
    .series(repeat)
    .dates()
    .unwrap_or_default()
}

/// The planning form's defaults: the next 52 weeks on the weekday and times of the handbook's
/// coffee hour (Wednesday morning, so working parents with a free day can come).
fn plan_defaults() -> FormData {
    let today = crate::today();
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("weekday", "3")
        .append_pair("repeat", &Repeat::EveryWeeks(1).as_value())
        .append_pair("start", "09:30")
        .append_pair("end", "10:30")
        .append_pair("from", &today.format("%Y-%m-%d").to_string())
        .append_pair(
            "until",
            &(today + Duration::weeks(52)).format("%Y-%m-%d").to_string(),
        )
        .append_pair("skip_holidays", "yes")
        .append_pair("date", "")
        .append_pair("one_start", "09:30")
        .append_pair("one_end", "10:30");
    FormData::parse(ser.finish().as_bytes())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    show_page(
        &state,
        &ctx,
        &user,
        a,
        plan_defaults(),
        FormErrors::default(),
    )
    .await
}

/// Plan a series: one session every N weeks or once a month on the chosen weekday, optionally
/// skipping the organisation's school holidays.
pub async fn plan_weekly(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let weekday = e.take(&t, "weekday", schedule::parse_weekday(f.get("weekday")));
    let repeat = e.take(&t, "repeat", Repeat::parse(f.get("repeat")));
    let times = parse_times(&t, &mut e, &f, "start", "end");
    let from = e.take(&t, "from", schedule::parse_date(f.get("from")));
    let until = e.take(&t, "until", schedule::parse_date(f.get("until")));
    let holidays = if f.has("skip_holidays") {
        Some(crate::views::org_holidays(&state, &user).await?)
    } else {
        None
    };
    let slots = match (weekday, repeat, times, from, until) {
        (Some(weekday), Some(repeat), Some((start, end)), Some(from), Some(until))
            if e.is_empty() =>
        {
            let rule = Weekly {
                weekday,
                start,
                end,
                from,
                until,
                skip_school_holidays: holidays,
            }
            .series(repeat);
            match rule.dates() {
                Ok(dates) => dates
                    .into_iter()
                    .map(|d| (d, schedule::slot(d, start, end)))
                    .collect::<Vec<_>>(),
                Err(err) => {
                    e.field(&t, "until", err);
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    };
    if !e.is_empty() {
        return Ok(unprocessable(
            show_page(&state, &ctx, &user, a, f, e).await?,
        ));
    }
    let event = |added: u64| {
        Some(audit_event(
            &user,
            Action::ActivitySessionsPlanned,
            Subject::in_neighbourhood("activity", a.id, a.d.neighbourhood_id),
            &format!(
                "added={added} repeat={}",
                repeat.map(Repeat::as_value).unwrap_or_default()
            ),
        ))
    };
    let added = state
        .store
        .plan_sessions(&user.tenant, a.id, &slots, Some(&event))
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/activities/{}", a.id),
        "flash-sessions-planned",
        &added.to_string(),
    ))
}

/// Add one session (an outing, a workshop, or an extra coffee hour).
pub async fn add_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let date = e.take(&t, "date", schedule::parse_date(f.get("date")));
    let times = parse_times(&t, &mut e, &f, "one_start", "one_end");
    let (Some(date), Some((start, end)), true) = (date, times, e.is_empty()) else {
        return Ok(unprocessable(
            show_page(&state, &ctx, &user, a, f, e).await?,
        ));
    };
    // A day that already has its session adds nothing, and nothing is on record.
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
    let added = state
        .store
        .plan_sessions(
            &user.tenant,
            a.id,
            &[(date, schedule::slot(date, start, end))],
            Some(&event),
        )
        .await?;
    if added == 0 {
        e.add("date", t.get("error-session-exists"));
        return Ok(unprocessable(
            show_page(&state, &ctx, &user, a, f, e).await?,
        ));
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/activities/{}", a.id),
        "flash-sessions-planned",
        "1",
    ))
}

/// Register a household for the activity: for a weekly series, for every session.
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let Ok(household) = Uuid::parse_str(f.get("household")) else {
        e.field(&t, "household", FieldError::Required);
        return Ok(unprocessable(
            show_page(&state, &ctx, &user, a, plan_defaults(), e).await?,
        ));
    };
    let event = |action| {
        audit_event(
            &user,
            action,
            Subject::household(household, a.d.neighbourhood_id),
            &a.id.to_string(),
        )
    };
    let result = if f.get("invite") == "yes" {
        state
            .store
            .invite(
                &user.tenant,
                a.id,
                household,
                Some(event(Action::ActivityInvited)),
            )
            .await
            .map(|()| None)
    } else {
        state
            .store
            .register(
                &user.tenant,
                Some(user.account.id),
                a.id,
                household,
                Some(event(Action::ActivityRegistered)),
            )
            .await
            .map(Some)
    };
    let flash = match result {
        Ok(None) => "flash-invited",
        Ok(Some(Registered::Placed(activity::Placement::Registered))) => "flash-registered",
        Ok(Some(Registered::Placed(activity::Placement::WaitingList))) => "flash-waiting-list",
        Ok(Some(Registered::AlreadyRegistered)) => "flash-already-registered",
        Err(StoreError::Refused(key)) => {
            let names = state
                .store
                .household_first_names(&user.tenant, &[household])
                .await?
                .join(" & ");
            e.add("household", t.get1(key, "name", names));
            return Ok(unprocessable(
                show_page(&state, &ctx, &user, a, plan_defaults(), e).await?,
            ));
        }
        Err(StoreError::NotFound) => {
            e.field(&t, "household", FieldError::ChoiceInvalid);
            return Ok(unprocessable(
                show_page(&state, &ctx, &user, a, plan_defaults(), e).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    };
    Ok(redirect_with_flash(
        &state,
        &format!("/activities/{}", a.id),
        flash,
        "",
    ))
}

/// Take a household off the list; whoever moves up from the waiting list is named in the
/// notification, so the worker can tell them.
pub async fn unregister(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = state.store.activity(&user.tenant, parse_id(&id)?).await?;
    let Ok(household) = Uuid::parse_str(f.get("household")) else {
        return Ok(redirect_with_flash(
            &state,
            &format!("/activities/{}", a.id),
            "flash-saved",
            "",
        ));
    };
    let event = audit_event(
        &user,
        Action::ActivityUnregistered,
        Subject::household(household, a.d.neighbourhood_id),
        &a.id.to_string(),
    );
    let up = state
        .store
        .unregister(&user.tenant, Some(user.account.id), a.id, household, event)
        .await?;
    let to = format!("/activities/{}", a.id);
    if up.is_empty() {
        return Ok(redirect_with_flash(&state, &to, "flash-unregistered", ""));
    }
    let names = state.store.household_first_names(&user.tenant, &up).await?;
    Ok(redirect_with_flash(
        &state,
        &to,
        "flash-moved-up",
        &names.join(", "),
    ))
}

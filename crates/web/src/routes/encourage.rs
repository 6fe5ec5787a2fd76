//! The encouragement worklist before a session (docs/ui.md §3.6, handbook §3.3): who needs a
//! personal word, why, and one tap to WhatsApp, call or text them from the worker's own phone.
//! The outcome is logged as a contact moment. Workers and coordinators only: hosts never see
//! phone numbers.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use mtp_domain::attendance::AbsenceReason;
use mtp_domain::attendance::SessionState;
use mtp_domain::audit::Action;
use mtp_domain::effect::{Due, Effect};
use mtp_domain::encourage::Reason;
use mtp_domain::message::{
    self, ContactChannel, ContactOutcome, Placeholder, Template as Message, TemplatePurpose, Values,
};
use mtp_domain::{Channel, PhoneNumber};
use mtp_store::{FollowUp, NewContact, SessionSummary, StoreError, Worklist, WorklistCard};
use serde::{Deserialize, Serialize};
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
use crate::respond::redirect_with_flash;
use crate::views::{SessionRow, session_row};

/// One way to reach one parent: the number in full (a desk phone can dial it too) and the
/// links the phone opens.
pub struct Reach {
    pub name: String,
    pub phone: String,
    pub whatsapp: Option<String>,
    pub tel: String,
    pub sms: Option<String>,
    /// The parent's own preference, shown first and marked.
    pub preferred: &'static str,
}

pub struct Card {
    pub id: Uuid,
    pub names: String,
    pub tags: Vec<(String, &'static str)>,
    pub last_contact: String,
    pub reach: Vec<Reach>,
    pub email: Option<String>,
    pub message: String,
    pub no_phone: bool,
    pub outcome: String,
    pub done: bool,
    /// The outcome form is shown in this card: it was opened (`?open=`, the way without a
    /// script) or it comes back with an error. Every other card stays short (docs/ui.md §3.6).
    pub open: bool,
}

/// The open cards shown unfolded: seven short cards and the page's head are well within five screens on
/// a phone (issue #17); the rest wait folded, most urgent first.
const SHOWN: usize = 7;

/// A contact note on a card stays one glance long; the household page has the full text.
const NOTE_SHOWN: usize = 160;

fn short_note(note: &str) -> String {
    let note = note.trim();
    if note.chars().count() <= NOTE_SHOWN {
        return note.to_string();
    }
    let cut: String = note.chars().take(NOTE_SHOWN - 1).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Template)]
#[template(path = "encourage.html")]
struct WorklistPage {
    p: Page,
    s: SessionRow,
    session_id: Uuid,
    open: Vec<Card>,
    /// How many open cards show unfolded; the rest wait under `more`.
    shown: usize,
    /// "Nog 15 gezinnen", over the folded rest.
    more: String,
    /// A folded card is opened (or has an error): the fold is open too.
    more_open: bool,
    /// The same words for one family and, with `%n`, for more: the script counts down.
    more_one: String,
    more_other: String,
    done: Vec<Card>,
    /// The outcome form's pattern for the script: one card with the nil id and no names.
    pattern: Vec<Card>,
    progress: String,
    report: Vec<String>,
    outcomes: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
}

fn reason_text(t: &Tr, r: Reason) -> String {
    match r {
        Reason::AbsentInARow(n) | Reason::NoContactForWeeks(n) => t.get1(r.key(), "count", n),
        Reason::ExcusedSolvable(why) | Reason::SaidNotComing(Some(why)) => {
            format!("{}: {}", t.label(&r), t.label(&why).to_lowercase())
        }
        Reason::LeftChatGroup(d) => t.get1(r.key(), "date", t.day(d)),
        _ => t.label(&r),
    }
}

fn tag_class(r: Reason) -> &'static str {
    match r {
        Reason::AbsentInARow(_) => "tag--absent",
        Reason::ExcusedSolvable(_) | Reason::LeftChatGroup(_) => "tag--excused",
        Reason::Newcomer => "tag--info",
        Reason::CameLastTime | Reason::SaidComing => "tag--present",
        _ => "tag--neutral",
    }
}

/// The personal message, from the default template of the activity's kind (or "we missed
/// you" for a family that stayed away), in the worker's language.
fn message_text(t: &Tr, user: &User, s: &SessionSummary, card: &WorklistCard, own: &Own) -> String {
    let purpose = TemplatePurpose::for_worklist(s.kind, &card.reasons);
    let first = card
        .parents
        .first()
        .map(|p| p.first_name.clone())
        .unwrap_or_else(|| card.first_names.clone());
    let local = s.starts_at.with_timezone(&mtp_domain::schedule::TZ);
    let date = local.date_naive();
    let values = Values::new()
        .with(Placeholder::FirstName, &first)
        .with(Placeholder::Activity, &s.activity_name)
        .with(Placeholder::Day, t.weekday(date.weekday()))
        .with(
            Placeholder::Date,
            &format!("{} {}", date.day(), t.month(date.month())),
        )
        .with(Placeholder::Time, &t.times(s.starts_at, s.ends_at))
        .with(Placeholder::Place, &s.place)
        .with(Placeholder::Worker, &user.account.display_name);
    own.get(&(purpose.as_str().to_string(), t.lang.as_str().to_string()))
        .and_then(|text| Message::parse(text).ok())
        .unwrap_or_else(|| Message::default_for(purpose, t.lang))
        .render(&values)
        .unwrap_or_default()
}

/// The neighbourhood's own wording of the messages, by (purpose, language).
type Own = std::collections::HashMap<(String, String), String>;

fn card_view(t: &Tr, user: &User, s: &SessionSummary, c: &WorklistCard, own: &Own) -> Card {
    let text = message_text(t, user, s, c, own);
    let reach: Vec<Reach> = c
        .parents
        .iter()
        .filter_map(|p| {
            let phone: &PhoneNumber = p.phone.as_ref()?;
            let mobile = phone.is_mobile();
            Some(Reach {
                name: p.first_name.clone(),
                phone: phone.display(),
                whatsapp: mobile.then(|| message::whatsapp_link(phone, &text)),
                tel: message::tel_link(phone),
                sms: mobile.then(|| message::sms_link(phone, &text)),
                preferred: match p.channel {
                    Channel::WhatsApp => "whatsapp",
                    Channel::Phone => "phone",
                    Channel::Sms => "sms",
                    Channel::Email => "email",
                },
            })
        })
        .collect();
    let email = c.parents.iter().find_map(|p| p.email.clone());
    Card {
        id: c.household_id,
        names: c.first_names.clone(),
        tags: c
            .reasons
            .iter()
            .map(|r| (reason_text(t, *r), tag_class(*r)))
            .collect(),
        last_contact: match (c.last_contact, c.last_note.as_deref()) {
            (Some(d), Some(note)) => t.get2(
                "encourage-last-contact-note",
                ("date", t.day_month(d, crate::today())),
                ("note", short_note(note)),
            ),
            (Some(d), None) => t.get1(
                "encourage-last-contact",
                "date",
                t.day_month(d, crate::today()),
            ),
            (None, _) => t.get("encourage-never-contacted"),
        },
        no_phone: reach.is_empty(),
        reach,
        email,
        message: text,
        outcome: c.outcome.map(|o| t.label(&o)).unwrap_or_default(),
        done: c.done(),
        open: false,
    }
}

async fn load(state: &AppState, user: &User, id: &str) -> Result<Worklist, AppError> {
    Ok(state
        .store
        .worklist(
            &user.tenant,
            parse_id(id)?,
            crate::today(),
            &user.org.encourage,
        )
        .await?)
}

async fn worklist_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    w: Worklist,
    errors: FormErrors,
    opened: Option<Uuid>,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let own = state
        .store
        .message_templates(&user.tenant, w.s.neighbourhood_id)
        .await?;
    let (done, open): (Vec<Card>, Vec<Card>) = w
        .cards
        .iter()
        .map(|c| {
            let mut card = card_view(&t, user, &w.s, c, &own);
            card.open = opened == Some(card.id) || errors.get(&format!("h-{}", card.id)).is_some();
            card
        })
        .partition(|c| c.done);
    let pattern = vec![Card {
        id: Uuid::nil(),
        names: String::new(),
        tags: Vec::new(),
        last_contact: String::new(),
        reach: Vec::new(),
        email: None,
        message: String::new(),
        no_phone: false,
        outcome: String::new(),
        done: false,
        open: true,
    }];
    let total = open.len() + done.len();
    let rest = open.len().saturating_sub(SHOWN);
    let more = t.get1("phone-more", "count", rest);
    let more_open = open.iter().skip(SHOWN).any(|c| c.open);
    let progress = t.get2("encourage-progress", ("done", done.len()), ("total", total));
    let report = effect_lines(&t, &w.s, w.effect);
    let title = t.get1("encourage-title", "session", t.date(w.s.starts_at));
    let mut p = Page::new(ctx, "encourage-title").with_errors(errors);
    p.title = format!("{title} · {}", w.s.activity_name);
    Ok(render_page(&WorklistPage {
        s: session_row(&t, &w.s),
        session_id: w.s.id,
        open,
        shown: SHOWN,
        more,
        more_open,
        more_one: t.get1("phone-more", "count", 1),
        more_other: t.get1("phone-more", "count", "%n"),
        done,
        pattern,
        progress,
        report,
        outcomes: options(&t, ContactOutcome::CHOICES),
        channels: options(&t, ContactChannel::ALL),
        reasons: options(&t, AbsenceReason::ALL),
        p,
    }))
}

/// `?open={household}`: the card whose outcome form is shown, the way to it without a script.
#[derive(Debug, Default, Deserialize)]
pub struct WorklistQuery {
    #[serde(default)]
    open: String,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<WorklistQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let w = load(&state, &user, &id).await?;
    audit(
        &state,
        &user,
        Action::SessionWorklistViewed,
        Subject::in_neighbourhood("session", w.s.id, w.s.neighbourhood_id),
        &format!("households={}", w.cards.len()),
    )
    .await;
    // An id that is not on the list opens nothing.
    let opened = Uuid::parse_str(query.open.trim()).ok();
    worklist_page(&state, &ctx, &user, w, FormErrors::default(), opened).await
}

/// Log what came of a contact: channel, outcome (with the reason when not coming), a note and,
/// for "needs help", the date to follow up.
///
/// The worklist's script sends the same form in the background with `Accept: application/json`
/// and gets [`Saved`] instead of a redirect; a form with errors gets the page with its errors
/// either way (the script then shows that page, as without JavaScript).
pub async fn contact(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let w = load(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let household = Uuid::parse_str(f.get("household")).ok();
    let card = format!("h-{}", f.get("household"));
    let channel = ContactChannel::parse(f.get("channel"));
    let outcome = ContactOutcome::parse(f.get("outcome"), f.get("reason"));
    let follow_up = match f.get("follow_up").trim() {
        "" => None,
        raw => match raw.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(&card, t.get("error-date-invalid"));
                None
            }
        },
    };
    let note = f.get("note").trim().to_string();
    if note.chars().count() > 1000 {
        e.add(&card, t.get("error-too-long"));
    }
    if channel.is_err() {
        e.add(&card, t.get("encourage-error-channel"));
    }
    if outcome.is_err() {
        e.add(&card, t.get("encourage-error-outcome"));
    }
    let (Some(household), Ok(channel), Ok(outcome)) = (household, channel, outcome) else {
        if household.is_none() {
            return Err(AppError::BadRequest);
        }
        return Ok(unprocessable(
            worklist_page(&state, &ctx, &user, w, e, None).await?,
        ));
    };
    if !w.cards.iter().any(|c| c.household_id == household) {
        return Err(AppError::NotFound);
    }
    if !e.is_empty() {
        return Ok(unprocessable(
            worklist_page(&state, &ctx, &user, w, e, None).await?,
        ));
    }
    let c = NewContact {
        household_id: household,
        channel,
        outcome,
        note,
        follow_up_on: if outcome == ContactOutcome::NeedsHelp {
            follow_up.or(Some(crate::today() + chrono::Duration::days(7)))
        } else {
            None
        },
    };
    let event = audit_event(
        &user,
        Action::HouseholdContactLogged,
        Subject::in_neighbourhood("household", household, w.s.neighbourhood_id),
        &format!(
            "session={} channel={} outcome={}",
            w.s.id,
            channel.as_str(),
            outcome.as_str()
        ),
    );
    match state
        .store
        .record_contact(&user.tenant, Some(w.s.id), Some(user.account.id), &c, event)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Refused(key)) => {
            e.add(&card, t.get(key));
            return Ok(unprocessable(
                worklist_page(&state, &ctx, &user, w, e, None).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    }
    // On to the next open card.
    let next = w
        .cards
        .iter()
        .filter(|c| !c.done() && c.household_id != household)
        .map(|c| format!("#h-{}", c.household_id))
        .next()
        .unwrap_or_default();
    let card = w.cards.iter().find(|c| c.household_id == household);
    let name = card.map(|c| c.first_names.clone()).unwrap_or_default();
    if wants_json(&headers) {
        // The count as it is now: this card may have been done before, or stay open.
        let was_done = card.is_some_and(WorklistCard::done);
        let done = w.cards.iter().filter(|c| c.done()).count() - usize::from(was_done)
            + usize::from(outcome.is_done());
        let answer = Saved {
            done: outcome.is_done(),
            outcome: format!("{}: {}", t.get("encourage-outcome"), t.label(&outcome)),
            progress: t.get2(
                "encourage-progress",
                ("done", done),
                ("total", w.cards.len()),
            ),
            message: t.get1("flash-contact-logged", "name", &name),
        };
        return Ok(Json(answer).into_response());
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/sessions/{}/encourage{next}", w.s.id),
        "flash-contact-logged",
        &name,
    ))
}

/// Send the card's message by e-mail through the organisation's mail server (the job queue:
/// it waits and retries when the server is down, and is sent once). Consent, the family's
/// unsubscribe and a missing address are refused with a message at the card.
pub async fn email(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let w = load(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let Ok(household) = Uuid::parse_str(f.get("household")) else {
        return Err(AppError::BadRequest);
    };
    let Some(card) = w.cards.iter().find(|c| c.household_id == household) else {
        return Err(AppError::NotFound);
    };
    let own = state
        .store
        .message_templates(&user.tenant, w.s.neighbourhood_id)
        .await?;
    let text = message_text(&t, &user, &w.s, card, &own);
    let subject = format!("{} · {}", w.s.activity_name, t.date(w.s.starts_at));
    let dedupe = format!("encourage:{}:{}", w.s.id, card.household_id);
    let name = card.first_names.clone();
    let event = audit_event(
        &user,
        Action::HouseholdEmailQueued,
        Subject::household(household, w.s.neighbourhood_id),
        &format!("session={}", w.s.id),
    );
    match state
        .store
        .queue_mail(
            &user.tenant,
            household,
            &subject,
            &text,
            &dedupe,
            Some(event),
        )
        .await
    {
        Ok(_) | Err(StoreError::Duplicate(_)) => {}
        Err(StoreError::Refused(key)) => {
            let mut e = FormErrors::default();
            e.add(&format!("h-{household}"), t.get(key));
            return Ok(unprocessable(
                worklist_page(&state, &ctx, &user, w, e, None).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/sessions/{}/encourage#h-{household}", w.s.id),
        "flash-email-queued",
        &name,
    ))
}

/// What the worklist's script gets back after saving an outcome.
#[derive(Serialize)]
struct Saved {
    /// The card goes to "Gedaan" (everything but "try again later").
    done: bool,
    /// "Uitkomst: Komt", for the card.
    outcome: String,
    /// "5 van 12 gedaan".
    progress: String,
    /// "Opgeslagen voor Sanne."
    message: String,
}

/// Whether the request comes from our script, which wants JSON instead of a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// "Gekomen: 5 van de 8 gezinnen die je bereikte." and the same for those not reached; for a
/// past session without attendance, that the numbers follow. Nothing before the session.
fn effect_lines(t: &Tr, s: &SessionSummary, effect: Option<Effect>) -> Vec<String> {
    if s.starts_at > Utc::now() {
        return Vec::new();
    }
    match effect {
        None => vec![t.get("encourage-effect-pending")],
        Some(e) if e.is_empty() => Vec::new(),
        Some(e) => {
            let mut lines = vec![t.get2(
                "encourage-effect-reached",
                ("came", e.reached_came),
                ("total", e.reached),
            )];
            if e.not_reached > 0 {
                lines.push(t.get2(
                    "encourage-effect-not-reached",
                    ("came", e.not_reached_came),
                    ("total", e.not_reached),
                ));
            }
            lines
        }
    }
}

// ---------------------------------------------------------------- the week

/// How many coming sessions the overview builds a worklist for. Each is a handful of
/// queries; a coordinator of many neighbourhoods gets the first ones and a pointer to the
/// programme rather than a page that takes seconds.
const WEEK_SESSIONS: usize = 20;
/// How many past sessions the effect section looks at.
const PAST_SESSIONS: u64 = 50;
/// How many open tasks the overview lists.
const TASKS_SHOWN: usize = 50;

pub struct WeekSession {
    pub row: SessionRow,
    /// "vandaag" / "morgen" next to the date, never instead of it (docs/ui.md §5.3).
    pub relative: String,
    pub progress: String,
    pub all_done: bool,
}

pub struct PastSession {
    pub row: SessionRow,
    pub lines: Vec<String>,
}

pub struct Task {
    pub id: Uuid,
    pub household_id: Uuid,
    pub names: String,
    pub due: String,
    pub overdue: bool,
    pub today: bool,
    pub note: String,
}

/// An open referral to help to look at again (docs/guide/help-referrals.md).
pub struct ReferralTask {
    pub id: Uuid,
    pub names: String,
    /// "Schuldhulp: Schuldhulp Almere · Doorverwezen".
    pub what: String,
    pub due: String,
    pub overdue: bool,
    pub today: bool,
}

fn referral_task(t: &Tr, r: &mtp_store::HelpReferralTask, today: NaiveDate) -> ReferralTask {
    let due = Due::of(r.due, today);
    let kind = match &r.partner {
        Some(partner) => format!("{}: {partner}", t.label(&r.kind)),
        None => t.label(&r.kind),
    };
    ReferralTask {
        id: r.id,
        names: r.first_names.clone(),
        what: format!("{kind} · {}", t.label(&r.state)),
        due: t.day(r.due),
        overdue: due.is_overdue(),
        today: due == Due::Today,
    }
}

#[derive(Template)]
#[template(path = "encourage_week.html")]
struct WeekPage {
    p: Page,
    sessions: Vec<WeekSession>,
    more_sessions: String,
    tasks: Vec<Task>,
    more_tasks: String,
    referral_tasks: Vec<ReferralTask>,
    more_referral_tasks: String,
    past: Vec<PastSession>,
    past_total: Vec<String>,
}

fn task_view(t: &Tr, f: &FollowUp, today: NaiveDate) -> Task {
    let due = Due::of(f.due, today);
    Task {
        id: f.id,
        household_id: f.household_id,
        names: f.first_names.clone(),
        due: t.day(f.due),
        overdue: due.is_overdue(),
        today: due == Due::Today,
        note: f.note.clone(),
    }
}

/// The week at a glance: the coming sessions with their worklist progress, the open
/// follow-up tasks, and what last week's encouragement achieved.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "encourage-week-title");
    let t = p.t;
    let now = Utc::now();
    let today = crate::today();

    let coming: Vec<SessionSummary> = state
        .store
        .programme(&user.tenant, now, now + Duration::days(7), 200)
        .await?
        .into_iter()
        // A session already under way still gets its late words; a cancelled one none.
        .filter(|s| s.state == SessionState::Planned)
        .collect();
    let mut sessions = Vec::new();
    for s in coming.iter().take(WEEK_SESSIONS) {
        let w = state
            .store
            .worklist(&user.tenant, s.id, today, &user.org.encourage)
            .await?;
        let done = w.cards.iter().filter(|c| c.done()).count();
        let day = s
            .starts_at
            .with_timezone(&mtp_domain::schedule::TZ)
            .date_naive();
        sessions.push(WeekSession {
            row: session_row(&t, s),
            relative: match (day - today).num_days() {
                0 => t.get("encourage-week-today"),
                1 => t.get("encourage-week-tomorrow"),
                _ => String::new(),
            },
            progress: t.get2(
                "encourage-progress",
                ("done", done),
                ("total", w.cards.len()),
            ),
            all_done: done > 0 && done == w.cards.len(),
        });
    }
    let more_sessions = if coming.len() > WEEK_SESSIONS {
        t.get2(
            "encourage-week-more",
            ("shown", WEEK_SESSIONS),
            ("total", coming.len()),
        )
    } else {
        String::new()
    };

    let (open, open_total) = state
        .store
        .open_follow_ups(&user.tenant, TASKS_SHOWN)
        .await?;
    let tasks: Vec<Task> = open.iter().map(|f| task_view(&t, f, today)).collect();
    let more_tasks = if open_total > tasks.len() {
        t.get2(
            "encourage-tasks-more",
            ("shown", tasks.len()),
            ("total", open_total),
        )
    } else {
        String::new()
    };

    // The referrals to help to look at again, overdue ones first.
    let (open, open_total) = state
        .store
        .help_referral_tasks(&user.tenant, TASKS_SHOWN)
        .await?;
    let referral_tasks: Vec<ReferralTask> =
        open.iter().map(|r| referral_task(&t, r, today)).collect();
    let more_referral_tasks = if open_total > referral_tasks.len() {
        t.get2(
            "encourage-tasks-more",
            ("shown", referral_tasks.len()),
            ("total", open_total),
        )
    } else {
        String::new()
    };

    // Last week: of the families encouraged, how many came.
    let held: Vec<SessionSummary> = state
        .store
        .programme(&user.tenant, now - Duration::days(7), now, PAST_SESSIONS)
        .await?
        .into_iter()
        .filter(|s| s.starts_at <= now && s.state != SessionState::Cancelled)
        .collect();
    let ids: Vec<Uuid> = held.iter().map(|s| s.id).collect();
    let effects = state.store.effects(&user.tenant, &ids).await?;
    let mut week = Effect::default();
    let mut past = Vec::new();
    for s in &held {
        let effect = effects.get(&s.id).copied().flatten();
        if let Some(e) = effect {
            week.add(e);
        }
        let lines = effect_lines(&t, s, effect);
        // A session nobody was encouraged for has nothing to report.
        if effect.is_some_and(|e| e.is_empty()) {
            continue;
        }
        past.push(PastSession {
            row: session_row(&t, s),
            lines,
        });
    }
    let past_total = if week.is_empty() {
        Vec::new()
    } else {
        let mut lines = vec![t.get2(
            "encourage-effect-reached",
            ("came", week.reached_came),
            ("total", week.reached),
        )];
        if week.not_reached > 0 {
            lines.push(t.get2(
                "encourage-effect-not-reached",
                ("came", week.not_reached_came),
                ("total", week.not_reached),
            ));
        }
        lines
    };

    // The page shows first names and notes of households: who looked is on record.
    audit(
        &state,
        &user,
        Action::EncourageWeekViewed,
        Subject::none("encourage"),
        &format!(
            "sessions={} tasks={} referrals={}",
            sessions.len(),
            tasks.len(),
            referral_tasks.len()
        ),
    )
    .await;
    Ok(render_page(&WeekPage {
        sessions,
        more_sessions,
        tasks,
        more_tasks,
        referral_tasks,
        more_referral_tasks,
        past,
        past_total,
        p,
    }))
}

/// Mark a follow-up task done. Sent twice, it is done once; either way the worker lands back
/// on the overview.
pub async fn follow_up_done(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (task, _) = state.store.follow_up(&user.tenant, id).await?;
    let event = audit_event(
        &user,
        Action::HouseholdFollowUpDone,
        Subject::household(task.household_id, task.neighbourhood_id),
        &format!("contact={id}"),
    );
    state
        .store
        .complete_follow_up(&user.tenant, id, Some(user.account.id), event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/encourage#taken",
        "flash-follow-up-done",
        &task.first_names,
    ))
}

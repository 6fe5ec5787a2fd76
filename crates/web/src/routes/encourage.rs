//! The encouragement worklist before a session (UI.md §3.6, handbook §3.3): who needs a
//! personal word, why, and one tap to WhatsApp, call or text them from the worker's own phone.
//! The outcome is logged as a contact moment. Workers and coordinators only: hosts never see
//! phone numbers.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use mtp_domain::attendance::AbsenceReason;
use mtp_domain::encourage::Reason;
use mtp_domain::message::{
    self, ContactChannel, ContactOutcome, Placeholder, Template as Message, TemplatePurpose, Values,
};
use mtp_domain::{Channel, PhoneNumber};
use mtp_store::{NewContact, SessionSummary, StoreError, Worklist, WorklistCard};
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::routes::activities::{SessionRow, session_row};
use crate::routes::{Subject, audit, audit_event, parse_id, redirect_with_flash};

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
}

#[derive(Template)]
#[template(path = "encourage.html")]
struct WorklistPage {
    p: Page,
    s: SessionRow,
    session_id: Uuid,
    open: Vec<Card>,
    done: Vec<Card>,
    progress: String,
    report: String,
    outcomes: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
}

fn reason_text(t: &Tr, r: Reason) -> String {
    match r {
        Reason::AbsentInARow(n) | Reason::NoContactForWeeks(n) => t.get1(r.key(), "count", n),
        Reason::ExcusedSolvable(why) | Reason::SaidNotComing(Some(why)) => {
            format!("{}: {}", t.get(r.key()), t.get(why.key()).to_lowercase())
        }
        Reason::LeftChatGroup(d) => t.get1(r.key(), "date", t.day(d)),
        _ => t.get(r.key()),
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
        .with(
            Placeholder::Day,
            &t.get(format!("weekday-{}", date.weekday().num_days_from_monday())),
        )
        .with(
            Placeholder::Date,
            &format!(
                "{} {}",
                date.day(),
                t.get(format!("month-{}", date.month()))
            ),
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
        last_contact: c
            .last_contact
            .map(|d| t.get1("encourage-last-contact", "date", t.day(d)))
            .unwrap_or_else(|| t.get("encourage-never-contacted")),
        no_phone: reach.is_empty(),
        reach,
        email,
        message: text,
        outcome: c.outcome.map(|o| t.get(o.key())).unwrap_or_default(),
        done: c.done(),
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
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let own = state
        .store
        .message_templates(&user.tenant, w.s.neighbourhood_id)
        .await?;
    let (done, open): (Vec<Card>, Vec<Card>) = w
        .cards
        .iter()
        .map(|c| card_view(&t, user, &w.s, c, &own))
        .partition(|c| c.done);
    let total = open.len() + done.len();
    let progress = t.get2("encourage-progress", ("done", done.len()), ("total", total));
    let report = if w.encouraged > 0 && w.s.starts_at <= chrono::Utc::now() {
        t.get2(
            "encourage-report",
            ("encouraged", w.encouraged),
            ("came", w.encouraged_came),
        )
    } else {
        String::new()
    };
    let title = t.get1("encourage-title", "session", t.date(w.s.starts_at));
    let mut p = Page::new(ctx, "encourage-title").with_errors(errors);
    p.title = format!("{title} · {}", w.s.activity_name);
    Ok(render_page(&WorklistPage {
        s: session_row(&t, &w.s),
        session_id: w.s.id,
        open,
        done,
        progress,
        report,
        outcomes: ContactOutcome::CHOICES
            .into_iter()
            .map(|o| (o.as_str(), t.get(o.key())))
            .collect(),
        channels: ContactChannel::ALL
            .into_iter()
            .map(|c| (c.as_str(), t.get(c.key())))
            .collect(),
        reasons: AbsenceReason::ALL
            .into_iter()
            .map(|r| (r.as_str(), t.get(r.key())))
            .collect(),
        p,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let w = load(&state, &user, &id).await?;
    audit(
        &state,
        &user,
        "session.worklist-viewed",
        Subject::in_neighbourhood("session", w.s.id, w.s.neighbourhood_id),
        &format!("households={}", w.cards.len()),
    )
    .await;
    worklist_page(&state, &ctx, &user, w, FormErrors::default()).await
}

/// Log what came of a contact: channel, outcome (with the reason when not coming), a note and,
/// for "needs help", the date to follow up.
pub async fn contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    f: FormData,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
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
            worklist_page(&state, &ctx, &user, w, e).await?,
        ));
    };
    if !w.cards.iter().any(|c| c.household_id == household) {
        return Err(AppError::NotFound);
    }
    if !e.is_empty() {
        return Ok(unprocessable(
            worklist_page(&state, &ctx, &user, w, e).await?,
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
        "household.contact-logged",
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
        .record_contact(&user.tenant, w.s.id, Some(user.account.id), &c, event)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Refused(key)) => {
            e.add(&card, t.get(key));
            return Ok(unprocessable(
                worklist_page(&state, &ctx, &user, w, e).await?,
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
    let name = w
        .cards
        .iter()
        .find(|c| c.household_id == household)
        .map(|c| c.first_names.clone())
        .unwrap_or_default();
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
    f: FormData,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
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
    match state
        .store
        .queue_mail(&user.tenant, household, &subject, &text, &dedupe)
        .await
    {
        Ok(_) | Err(StoreError::Duplicate(_)) => {}
        Err(StoreError::Refused(key)) => {
            let mut e = FormErrors::default();
            e.add(&format!("h-{household}"), t.get(key));
            return Ok(unprocessable(
                worklist_page(&state, &ctx, &user, w, e).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    }
    audit(
        &state,
        &user,
        "household.email-queued",
        Subject::of("household", household),
        &format!("session={}", w.s.id),
    )
    .await;
    Ok(redirect_with_flash(
        &state,
        &format!("/sessions/{}/encourage#h-{household}", w.s.id),
        "flash-email-queued",
        &name,
    ))
}

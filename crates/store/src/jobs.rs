//! The job queue in the database, and what it is for today: e-mail. Reminder e-mails the day
//! before a session to the households that said they are coming, and personal e-mails a
//! worker sends from the encouragement worklist.
//!
//! How it stays correct with several app servers and restarts:
//!
//! - **Queued once.** Every job has a `dedupe_key`, unique per organisation
//!   (`reminder:<session>:<household>`); a second insert of the same key does nothing.
//! - **Claimed once at a time.** A server claims a job with one conditional UPDATE (`state =
//!   'waiting' AND run_at <= now`, or `state = 'sending'` with an expired lease) that sets a
//!   lease (`locked_by`, `locked_until`). Only the server whose UPDATE changed the row sends.
//!   The same statement on SQLite and PostgreSQL: PostgreSQL re-checks the WHERE clause on the
//!   row a concurrent UPDATE just committed, SQLite runs writers one at a time.
//! - **Marked sent only after the SMTP server accepted it.** A failure puts the job back to
//!   `waiting` with exponential back-off; after [`MAX_ATTEMPTS`] it is `failed`. A permanent
//!   refusal (5xx) fails at once.
//! - **Survives restarts.** A server that dies while sending leaves a lease that expires; the
//!   next claim takes it over.
//!
//! The one window that remains: the SMTP server accepted the message and this server died
//! before it wrote `sent`. The lease then expires and the message is sent again. Both copies
//! carry the same `Message-ID` (`<job id@sender's domain>`), which lets mail clients and many
//! providers show it once. No queue can close this window without the SMTP server taking part.
//!
//! Nothing personal is logged or kept in `last_error`: errors are short codes.
//!
//! When a reminder is due and what it says are rules of `crates/domain/src/reminder.rs`. The
//! sending is `crates/mtp/src/mail.rs`: it claims jobs here, gets each message as a plain
//! [`OutgoingMail`], and reports back what the SMTP server said.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use mtp_domain::attendance::SessionState;
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::consent::{ConsentMethod, ConsentRecord, Purpose, has_consent};
use mtp_domain::household::Channel;
use mtp_domain::reminder::{
    REMIND_FROM, REMIND_UNTIL, ReminderFacts, language_of, personal_mail_body, reminder_due,
    reminder_text,
};
use mtp_domain::{Language, Tenant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::audit::append_audit_opt;
use crate::entities::{
    activity, consent_record, email_unsubscribe, household, household_event, job, organisation,
    parent, rsvp, session,
};
use crate::sign_in::token_hash;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// After this many tries a job is `failed` for good.
pub const MAX_ATTEMPTS: i32 = 8;
/// The longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::hours(6);

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    /// Due at `run_at`; also after a failed try, with the next try in `run_at`.
    Waiting,
    /// A server holds the lease and is talking to the SMTP server.
    Sending,
    /// The SMTP server accepted the message.
    Sent,
    /// Given up: refused for good, or [`MAX_ATTEMPTS`] tries.
    Failed,
    /// No longer to be sent: unsubscribed, consent withdrawn, no longer coming, session
    /// cancelled. `last_error` says which.
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::Waiting,
        JobState::Sending,
        JobState::Sent,
        JobState::Failed,
        JobState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Waiting => "waiting",
            JobState::Sending => "sending",
            JobState::Sent => "sent",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The Fluent key of the state's name ("wacht", "verstuurd", …).
    pub fn key(self) -> &'static str {
        match self {
            JobState::Waiting => "job-state-waiting",
            JobState::Sending => "job-state-sending",
            JobState::Sent => "job-state-sent",
            JobState::Failed => "job-state-failed",
            JobState::Cancelled => "job-state-cancelled",
        }
    }
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// The reminder the day before a session.
    Reminder,
    /// A worker's own message to one household.
    PersonalMail,
    /// The one-time link of an inbound referral, to the address the partner gave
    /// (`crate::referrals`): no household yet, so it goes to the payload's address.
    ReferralMail,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Reminder => "reminder",
            JobKind::PersonalMail => "personal_mail",
            JobKind::ReferralMail => "referral_mail",
        }
    }

    pub fn parse(raw: &str) -> Option<JobKind> {
        [
            JobKind::Reminder,
            JobKind::PersonalMail,
            JobKind::ReferralMail,
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Payload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// The text holds a secret (a sign-in link): emptied as soon as the job ends, and by
    /// [`Store::scrub_stale_secrets`] if it never does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    secret: bool,
    /// The parent who asked for this mail themselves: a sign-in link from `/portal/login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asked_by: Option<AskedBy>,
    /// A referral's link: the parent's address and first name (no household to ask).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<(String, String)>,
}

/// A mail a parent asked for themselves (a sign-in link): it goes to the address they typed
/// and to no other (not to the household's chosen recipient, who may be the other parent),
/// and it is sent even after the household unsubscribed, which stops news and reminders,
/// not what a parent asks for (docs/guide/portal.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AskedBy {
    pub(crate) parent_id: Uuid,
    pub(crate) email: String,
}

/// The JSON of a payload a parent asked for, so unsubscribing leaves those jobs waiting.
const ASKED_MARK: &str = "\"asked_by\":";

/// The JSON a secret-holding payload contains, for the sweep that finds forgotten ones.
const SECRET_MARK: &str = "\"secret\":true";

/// The wait before try `attempts + 1`: `base`, then doubling, at most six hours.
pub fn backoff(base: StdDuration, attempts: i32) -> Duration {
    let base = Duration::from_std(base).unwrap_or(Duration::minutes(1));
    let shift = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    base.checked_mul(1i32 << shift)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

/// One line of the reminders page.
#[derive(Debug, Clone)]
pub struct JobLine {
    pub id: Uuid,
    pub kind: JobKind,
    pub state: JobState,
    pub household_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
    /// The first name of the parent the message is for.
    pub first_name: String,
    pub session_id: Option<Uuid>,
    pub activity_name: Option<String>,
    pub session_starts_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    /// When it is (or was) due; for a waiting job after a failure, the next try.
    pub run_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// A job this server claimed: it sends the job's message, then says how that went
/// ([`Store::mail_sent`], [`Store::mail_failed`], [`Store::mail_cancelled`]).
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: Uuid,
    /// Tries so far, this one included.
    pub attempts: i32,
    row: job::Model,
}

/// A claimed job's message, ready for the sender to turn into e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The parent's first name, for the `To` header.
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    /// The household's one-click unsubscribe address, for the `List-Unsubscribe` header.
    pub unsubscribe_url: String,
}

/// The parent a message goes to.
#[derive(Debug, Clone)]
struct Recipient {
    first_name: String,
    email: String,
    lang: Option<Language>,
}

/// What the unsubscribe page needs to know about a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeLink {
    pub org_id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub org_name: String,
    pub unsubscribed: bool,
}

fn valid_token(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit())
}

impl Store {
    /// The secret unsubscribe token of a household: a keyed hash of its ids, so it can be put
    /// in every message without being stored. Only its SHA-256 is stored, for the lookup.
    async fn unsubscribe_token(&self, org_id: Uuid, household_id: Uuid) -> Result<String> {
        let key = self.secret("unsubscribe").await?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(key.as_bytes()).map_err(|_| StoreError::NotFound)?;
        mac.update(org_id.as_bytes());
        mac.update(household_id.as_bytes());
        let token = hex::encode(mac.finalize().into_bytes());
        email_unsubscribe::Entity::insert(email_unsubscribe::ActiveModel {
            org_id: Set(org_id),
            household_id: Set(household_id),
            token_hash: Set(token_hash(&token)),
            created_at: Set(now()),
            unsubscribed_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                email_unsubscribe::Column::OrgId,
                email_unsubscribe::Column::HouseholdId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        Ok(token)
    }

    /// The household's unsubscribe address, e.g. to show a worker or to put in a message the
    /// lead builds elsewhere.
    pub async fn unsubscribe_url(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        base_url: &str,
    ) -> Result<String> {
        let h = self.household_row(tenant, household_id).await?;
        let token = self.unsubscribe_token(h.org_id, h.id).await?;
        Ok(format!(
            "{}/unsubscribe/{token}",
            base_url.trim_end_matches('/')
        ))
    }

    async fn is_unsubscribed(&self, org_id: Uuid, household_id: Uuid) -> Result<bool> {
        Ok(email_unsubscribe::Entity::find()
            .filter(email_unsubscribe::Column::OrgId.eq(org_id))
            .filter(email_unsubscribe::Column::HouseholdId.eq(household_id))
            .filter(email_unsubscribe::Column::UnsubscribedAt.is_not_null())
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Whether a household asked for no more e-mail.
    pub async fn email_unsubscribed(&self, tenant: &Tenant, household_id: Uuid) -> Result<bool> {
        let h = self.household_row(tenant, household_id).await?;
        self.is_unsubscribed(h.org_id, h.id).await
    }

    /// Who a message to a household goes to, or the code of why it may not be sent. For a
    /// reminder the parent must have chosen e-mail; a personal message goes to the first
    /// parent with an address who prefers e-mail, else the first with an address. A mail a
    /// parent asked for goes to that parent's address, only while it is still the one they
    /// typed, unsubscribed or not.
    async fn recipient(
        &self,
        org_id: Uuid,
        household_id: Uuid,
        kind: JobKind,
        asked_by: Option<&AskedBy>,
    ) -> Result<std::result::Result<Recipient, &'static str>> {
        let Some(h) = household::Entity::find_by_id(household_id)
            .filter(household::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?
        else {
            return Ok(Err("household-gone"));
        };
        if h.anonymised_at.is_some() {
            return Ok(Err("household-gone"));
        }
        let consents: Vec<ConsentRecord> = consent_record::Entity::find()
            .filter(consent_record::Column::OrgId.eq(org_id))
            .filter(consent_record::Column::HouseholdId.eq(household_id))
            .order_by_asc(consent_record::Column::At)
            .order_by_asc(consent_record::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|c| {
                Some(ConsentRecord {
                    purpose: Purpose::parse(&c.purpose)?,
                    given: c.given,
                    at: c.at,
                    method: ConsentMethod::parse(&c.method).ok()?,
                    text_version: c.text_version,
                })
            })
            .collect();
        if !has_consent(&consents, Purpose::DataRegistration) {
            return Ok(Err("no-consent"));
        }
        if asked_by.is_none() && self.is_unsubscribed(org_id, household_id).await? {
            return Ok(Err("unsubscribed"));
        }
        let parents = parent::Entity::find()
            .filter(parent::Column::OrgId.eq(org_id))
            .filter(parent::Column::HouseholdId.eq(household_id))
            .order_by_asc(parent::Column::Position)
            .all(&self.db)
            .await?;
        if let Some(asked) = asked_by {
            return Ok(parents
                .iter()
                .find(|p| {
                    p.id == asked.parent_id && p.email.as_deref() == Some(asked.email.as_str())
                })
                .map(|p| Recipient {
                    first_name: p.first_name.clone(),
                    email: asked.email.clone(),
                    lang: language_of(&p.languages),
                })
                .ok_or("no-address"));
        }
        let with_address = |p: &&parent::Model| p.email.as_deref().is_some_and(|e| !e.is_empty());
        let prefers_mail = |p: &&parent::Model| p.channel == Channel::Email.as_str();
        let chosen = parents
            .iter()
            .filter(with_address)
            .find(prefers_mail)
            .or_else(|| match kind {
                JobKind::Reminder | JobKind::ReferralMail => None,
                JobKind::PersonalMail => parents.iter().find(with_address),
            });
        let Some(p) = chosen else {
            let any_address = parents.iter().any(|p| with_address(&p));
            return Ok(Err(if any_address {
                "channel-not-email"
            } else {
                "no-address"
            }));
        };
        Ok(Ok(Recipient {
            first_name: p.first_name.clone(),
            email: p.email.clone().unwrap_or_default(),
            lang: language_of(&p.languages),
        }))
    }

    /// Queue one personal e-mail to a household now, through the same queue as the
    /// reminders: it respects consent and unsubscribe, is sent once per `dedupe_key` (use
    /// e.g. `encourage:<session>:<household>`), and shows on the reminders page. Refused with
    /// `reminders-refused-<code>` when the household may not be e-mailed.
    pub async fn queue_mail(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        subject: &str,
        text: &str,
        dedupe_key: &str,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        self.queue_personal_mail(
            tenant,
            household_id,
            subject,
            text,
            dedupe_key,
            false,
            None,
            audit,
        )
        .await
    }

    /// [`Store::queue_mail`] for a text that holds a secret: it is kept only until the job
    /// ends (sent, cancelled or given up); and for a mail a parent asked for themselves
    /// (`asked_by`, see [`AskedBy`]). The audit event commits with the job, and also
    /// when the same mail was queued before (the worker asked for it again).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn queue_personal_mail(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        subject: &str,
        text: &str,
        dedupe_key: &str,
        secret: bool,
        asked_by: Option<AskedBy>,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        let h = self.household_row(tenant, household_id).await?;
        let subject: String = subject
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let text: String = text.chars().take(10_000).collect();
        if subject.trim().is_empty() || text.trim().is_empty() || dedupe_key.trim().is_empty() {
            return Err(StoreError::Refused("reminders-refused-empty"));
        }
        if let Err(code) = self
            .recipient(h.org_id, h.id, JobKind::PersonalMail, asked_by.as_ref())
            .await?
        {
            return Err(StoreError::Refused(refused_key(code)));
        }
        let payload = Payload {
            subject: Some(subject.trim().to_string()),
            text: Some(text.trim().to_string()),
            secret,
            asked_by,
            to: None,
        };
        let txn = self.db.begin().await?;
        let id = self
            .insert_job(
                &txn,
                h.org_id,
                Some(h.neighbourhood_id),
                Some(h.id),
                None,
                JobKind::PersonalMail,
                &format!("mail:{}", dedupe_key.trim()),
                &payload,
                now(),
            )
            .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        id.ok_or(StoreError::Duplicate("dedupe_key"))
    }

    /// Queue the e-mail with a referral's one-time link to the parent's address, with the
    /// audit entry of making the link in the same transaction (`crate::referrals`). The text
    /// holds the secret: it is kept only until the job ends.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn queue_referral_mail_job<C: ConnectionTrait>(
        &self,
        db: &C,
        org_id: Uuid,
        neighbourhood_id: Uuid,
        to: (String, String),
        subject: &str,
        text: &str,
        dedupe_key: &str,
    ) -> Result<Uuid> {
        let payload = Payload {
            subject: Some(
                subject
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect(),
            ),
            text: Some(text.chars().take(10_000).collect()),
            secret: true,
            asked_by: None,
            to: Some(to),
        };
        self.insert_job(
            db,
            org_id,
            Some(neighbourhood_id),
            None,
            None,
            JobKind::ReferralMail,
            &format!("mail:{dedupe_key}"),
            &payload,
            now(),
        )
        .await?
        .ok_or(StoreError::Duplicate("dedupe_key"))
    }

    /// Insert a job unless its key is already queued; the id of the new job, or `None`.
    #[allow(clippy::too_many_arguments)]
    async fn insert_job<C: ConnectionTrait>(
        &self,
        db: &C,
        org_id: Uuid,
        neighbourhood_id: Option<Uuid>,
        household_id: Option<Uuid>,
        session_id: Option<Uuid>,
        kind: JobKind,
        dedupe_key: &str,
        payload: &Payload,
        run_at: DateTime<Utc>,
    ) -> Result<Option<Uuid>> {
        let id = Uuid::now_v7();
        let n = job::Entity::insert(job::ActiveModel {
            id: Set(id),
            org_id: Set(org_id),
            neighbourhood_id: Set(neighbourhood_id),
            household_id: Set(household_id),
            session_id: Set(session_id),
            kind: Set(kind.as_str().into()),
            dedupe_key: Set(dedupe_key.into()),
            payload: Set(serde_json::to_string(payload).unwrap_or_else(|_| "{}".into())),
            state: Set(JobState::Waiting.as_str().into()),
            attempts: Set(0),
            run_at: Set(run_at),
            locked_by: Set(None),
            locked_until: Set(None),
            last_error: Set(None),
            // Filled in by the sender with the sender's domain; the job id decides it.
            message_id: Set(String::new()),
            created_at: Set(now()),
            sent_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([job::Column::OrgId, job::Column::DedupeKey])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        Ok((n > 0).then_some(id))
    }

    /// The scheduler step every server runs: queue a reminder for each household that said
    /// it is coming to a session starting between one hour and two days after `at`, may be
    /// e-mailed (consent, an address, e-mail as the chosen channel, not unsubscribed), and
    /// has none queued yet. Returns how many were queued. Safe to run on several servers at
    /// once: the dedupe key lets only one insert win.
    pub async fn schedule_reminders(&self, at: DateTime<Utc>) -> Result<u32> {
        let sessions = session::Entity::find()
            .filter(session::Column::StartsAt.gt(at + REMIND_FROM))
            .filter(session::Column::StartsAt.lte(at + REMIND_UNTIL))
            .filter(session::Column::State.ne(SessionState::Cancelled.as_str()))
            .all(&self.db)
            .await?;
        let mut queued = 0;
        for s in sessions {
            let coming: Vec<Uuid> = rsvp::Entity::find()
                .select_only()
                .column(rsvp::Column::HouseholdId)
                .filter(rsvp::Column::OrgId.eq(s.org_id))
                .filter(rsvp::Column::SessionId.eq(s.id))
                .filter(rsvp::Column::Coming.eq(true))
                .into_tuple()
                .all(&self.db)
                .await?;
            if coming.is_empty() {
                continue;
            }
            let have: std::collections::HashSet<Uuid> = job::Entity::find()
                .select_only()
                .column(job::Column::HouseholdId)
                .filter(job::Column::OrgId.eq(s.org_id))
                .filter(job::Column::SessionId.eq(s.id))
                .filter(job::Column::Kind.eq(JobKind::Reminder.as_str()))
                .into_tuple::<Option<Uuid>>()
                .all(&self.db)
                .await?
                .into_iter()
                .flatten()
                .collect();
            for hh in coming.into_iter().filter(|h| !have.contains(h)) {
                if self
                    .recipient(s.org_id, hh, JobKind::Reminder, None)
                    .await?
                    .is_err()
                {
                    continue;
                }
                let key = format!("reminder:{}:{hh}", s.id);
                if self
                    .insert_job(
                        &self.db,
                        s.org_id,
                        Some(s.neighbourhood_id),
                        Some(hh),
                        Some(s.id),
                        JobKind::Reminder,
                        &key,
                        &Payload::default(),
                        reminder_due(s.starts_at, at),
                    )
                    .await?
                    .is_some()
                {
                    queued += 1;
                }
            }
        }
        Ok(queued)
    }

    /// Claim up to `limit` due jobs for `worker`: waiting jobs whose time has come, and jobs
    /// whose sender's lease ran out. Each claim is one conditional UPDATE; only the server
    /// whose UPDATE changed the row owns the job.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        at: DateTime<Utc>,
        lease: StdDuration,
        limit: u64,
    ) -> Result<Vec<Uuid>> {
        Ok(self
            .claim(worker, at, lease, limit)
            .await?
            .into_iter()
            .map(|j| j.id)
            .collect())
    }

    async fn claim(
        &self,
        worker: &str,
        at: DateTime<Utc>,
        lease: StdDuration,
        limit: u64,
    ) -> Result<Vec<job::Model>> {
        let due = || {
            Condition::any()
                .add(
                    Condition::all()
                        .add(job::Column::State.eq(JobState::Waiting.as_str()))
                        .add(job::Column::RunAt.lte(at)),
                )
                .add(
                    Condition::all()
                        .add(job::Column::State.eq(JobState::Sending.as_str()))
                        .add(job::Column::LockedUntil.lt(at)),
                )
        };
        let candidates: Vec<Uuid> = job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .filter(due())
            .order_by_asc(job::Column::RunAt)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await?;
        let until = at + Duration::from_std(lease).unwrap_or(Duration::minutes(5));
        let mut claimed = Vec::new();
        for id in candidates {
            let res = job::Entity::update_many()
                .col_expr(job::Column::State, Expr::value(JobState::Sending.as_str()))
                .col_expr(job::Column::LockedBy, Expr::value(Some(worker.to_string())))
                .col_expr(job::Column::LockedUntil, Expr::value(Some(until)))
                .col_expr(
                    job::Column::Attempts,
                    Expr::col(job::Column::Attempts).add(1),
                )
                .filter(job::Column::Id.eq(id))
                .filter(due())
                .exec(&self.db)
                .await?;
            if res.rows_affected == 1
                && let Some(j) = job::Entity::find_by_id(id).one(&self.db).await?
            {
                claimed.push(j);
            }
        }
        Ok(claimed)
    }

    async fn finish_job(
        &self,
        j: &job::Model,
        state: JobState,
        error: Option<&str>,
        run_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let mut q = job::Entity::update_many()
            .col_expr(job::Column::State, Expr::value(state.as_str()))
            .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(
                job::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                job::Column::LastError,
                Expr::value(error.map(str::to_string)),
            );
        if state == JobState::Sent {
            q = q.col_expr(job::Column::SentAt, Expr::value(Some(now())));
        }
        if state != JobState::Waiting && j.payload.contains(SECRET_MARK) {
            q = q.col_expr(job::Column::Payload, Expr::value("{}"));
        }
        if let Some(t) = run_at {
            q = q.col_expr(job::Column::RunAt, Expr::value(t));
        }
        q.filter(job::Column::OrgId.eq(j.org_id))
            .filter(job::Column::Id.eq(j.id))
            // Never undo a `sent` another server wrote after taking over the lease.
            .filter(job::Column::State.ne(JobState::Sent.as_str()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Claim up to `limit` due jobs for `worker` to send (see [`Store::claim_jobs`]).
    pub async fn claim_mail(
        &self,
        worker: &str,
        at: DateTime<Utc>,
        lease: StdDuration,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>> {
        Ok(self
            .claim(worker, at, lease, limit)
            .await?
            .into_iter()
            .map(|row| ClaimedJob {
                id: row.id,
                attempts: row.attempts,
                row,
            })
            .collect())
    }

    /// The message of a claimed job, or the code of why it is no longer to be sent. Keeps
    /// `message_id` with the job on its first try, so every try carries the same one; the
    /// unsubscribe link points at `base_url`.
    pub async fn mail_of(
        &self,
        claimed: &ClaimedJob,
        message_id: &str,
        base_url: &str,
        at: DateTime<Utc>,
    ) -> Result<std::result::Result<OutgoingMail, &'static str>> {
        let j = &claimed.row;
        if j.message_id.is_empty() {
            job::Entity::update_many()
                .col_expr(job::Column::MessageId, Expr::value(message_id))
                .filter(job::Column::OrgId.eq(j.org_id))
                .filter(job::Column::Id.eq(j.id))
                .exec(&self.db)
                .await?;
        }
        let Some(kind) = JobKind::parse(&j.kind) else {
            return Ok(Err("unknown-kind"));
        };
        let payload: Payload = serde_json::from_str(&j.payload).unwrap_or_default();
        if kind == JobKind::ReferralMail {
            // No household and nothing to unsubscribe from: one message the parent's referrer
            // agreed with them, to the address given.
            return Ok(match (payload.to, payload.subject, payload.text) {
                (Some((to_email, to_name)), Some(subject), Some(body)) => Ok(OutgoingMail {
                    to_name,
                    to_email,
                    subject,
                    body,
                    unsubscribe_url: String::new(),
                }),
                _ => Err("referral-gone"),
            });
        }
        let Some(hh) = j.household_id else {
            return Ok(Err("household-gone"));
        };
        let to = match self
            .recipient(j.org_id, hh, kind, payload.asked_by.as_ref())
            .await?
        {
            Ok(r) => r,
            Err(code) => return Ok(Err(code)),
        };
        let org = organisation::Entity::find_by_id(j.org_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let lang = to.lang.unwrap_or_default();
        let token = self.unsubscribe_token(j.org_id, hh).await?;
        let url = format!("{}/unsubscribe/{token}", base_url.trim_end_matches('/'));
        let (subject, body) = match kind {
            JobKind::Reminder => {
                let Some(sid) = j.session_id else {
                    return Ok(Err("session-gone"));
                };
                let Some(s) = session::Entity::find_by_id(sid)
                    .filter(session::Column::OrgId.eq(j.org_id))
                    .one(&self.db)
                    .await?
                else {
                    return Ok(Err("session-gone"));
                };
                if s.state == SessionState::Cancelled.as_str() {
                    return Ok(Err("session-cancelled"));
                }
                if s.starts_at <= at {
                    return Ok(Err("session-started"));
                }
                let still_coming = rsvp::Entity::find()
                    .filter(rsvp::Column::OrgId.eq(j.org_id))
                    .filter(rsvp::Column::SessionId.eq(sid))
                    .filter(rsvp::Column::HouseholdId.eq(hh))
                    .filter(rsvp::Column::Coming.eq(true))
                    .one(&self.db)
                    .await?
                    .is_some();
                if !still_coming {
                    return Ok(Err("not-coming"));
                }
                let a = activity::Entity::find_by_id(s.activity_id)
                    .filter(activity::Column::OrgId.eq(j.org_id))
                    .one(&self.db)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let r = reminder_text(
                    lang,
                    &ReminderFacts {
                        first_name: &to.first_name,
                        activity: &a.name,
                        place: &a.place,
                        address: &a.address,
                        starts_at: s.starts_at,
                        ends_at: s.ends_at,
                        signed: &org.name,
                        unsubscribe_url: &url,
                    },
                );
                (r.subject, r.body)
            }
            JobKind::PersonalMail | JobKind::ReferralMail => (
                payload.subject.unwrap_or_default(),
                personal_mail_body(lang, &payload.text.unwrap_or_default(), &url),
            ),
        };
        Ok(Ok(OutgoingMail {
            to_name: to.first_name,
            to_email: to.email,
            subject,
            body,
            unsubscribe_url: url,
        }))
    }

    /// The SMTP server accepted the job's message.
    pub async fn mail_sent(&self, claimed: &ClaimedJob) -> Result<()> {
        self.finish_job(&claimed.row, JobState::Sent, None, None)
            .await
    }

    /// The job's message is no longer to be sent, for the reason `code` says.
    pub async fn mail_cancelled(&self, claimed: &ClaimedJob, code: &str) -> Result<()> {
        self.finish_job(&claimed.row, JobState::Cancelled, Some(code), None)
            .await
    }

    /// Sending failed with the short code `code`: `failed` for good when the refusal was
    /// `permanent` or this was try [`MAX_ATTEMPTS`], else `waiting` for the next try after
    /// [`backoff`]. Returns which.
    pub async fn mail_failed(
        &self,
        claimed: &ClaimedJob,
        code: &str,
        permanent: bool,
        retry_base: StdDuration,
    ) -> Result<JobState> {
        if permanent || claimed.attempts >= MAX_ATTEMPTS {
            self.finish_job(&claimed.row, JobState::Failed, Some(code), None)
                .await?;
            Ok(JobState::Failed)
        } else {
            let next = now() + backoff(retry_base, claimed.attempts);
            self.finish_job(&claimed.row, JobState::Waiting, Some(code), Some(next))
                .await?;
            Ok(JobState::Waiting)
        }
    }

    /// Empties the payload of secret-holding jobs older than a sign-in link lives: on a server
    /// without SMTP they would wait for ever. Returns how many.
    pub async fn scrub_stale_secrets(&self) -> Result<u64> {
        Ok(job::Entity::update_many()
            .col_expr(job::Column::Payload, Expr::value("{}"))
            .filter(job::Column::Payload.contains(SECRET_MARK))
            .filter(job::Column::CreatedAt.lt(now() - mtp_domain::portal::LINK_VALID))
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// The tenant's messages due between `from` and `until` (or sent then), newest first.
    pub async fn mail_jobs(
        &self,
        tenant: &Tenant,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<JobLine>> {
        let rows: Vec<job::Model> = job::Entity::find()
            .filter(job::Column::OrgId.eq(tenant.org_id))
            .filter(job::Column::RunAt.gte(from))
            .filter(job::Column::RunAt.lt(until))
            .order_by_desc(job::Column::RunAt)
            .limit(1000)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|j| {
                j.neighbourhood_id
                    .is_none_or(|nb| tenant.may_see_neighbourhood(j.org_id, nb))
            })
            .collect();
        let households: Vec<Uuid> = rows.iter().filter_map(|j| j.household_id).collect();
        let sessions: Vec<Uuid> = rows.iter().filter_map(|j| j.session_id).collect();
        let mut names = std::collections::HashMap::new();
        for p in parent::Entity::find()
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .filter(parent::Column::HouseholdId.is_in(households))
            .order_by_desc(parent::Column::Position)
            .all(&self.db)
            .await?
        {
            // Descending, so the first parent's name is the one left.
            names.insert(p.household_id, p.first_name);
        }
        let ss = session::Entity::find()
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::Id.is_in(sessions))
            .all(&self.db)
            .await?;
        let acts: std::collections::HashMap<Uuid, String> = activity::Entity::find()
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::Id.is_in(ss.iter().map(|s| s.activity_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let ss: std::collections::HashMap<Uuid, (String, DateTime<Utc>)> = ss
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    (
                        acts.get(&s.activity_id).cloned().unwrap_or_default(),
                        s.starts_at,
                    ),
                )
            })
            .collect();
        Ok(rows
            .into_iter()
            .map(|j| {
                let s = j.session_id.and_then(|id| ss.get(&id));
                JobLine {
                    id: j.id,
                    kind: JobKind::parse(&j.kind).unwrap_or(JobKind::PersonalMail),
                    state: JobState::parse(&j.state).unwrap_or(JobState::Waiting),
                    household_id: j.household_id,
                    neighbourhood_id: j.neighbourhood_id,
                    first_name: j
                        .household_id
                        .and_then(|h| names.get(&h).cloned())
                        .unwrap_or_default(),
                    session_id: j.session_id,
                    activity_name: s.map(|s| s.0.clone()),
                    session_starts_at: s.map(|s| s.1),
                    attempts: j.attempts,
                    run_at: j.run_at,
                    sent_at: j.sent_at,
                    last_error: j.last_error,
                }
            })
            .collect())
    }

    /// What an unsubscribe link belongs to; `None` for a link we never made.
    pub async fn unsubscribe_link(&self, token: &str) -> Result<Option<UnsubscribeLink>> {
        if !valid_token(token) {
            return Ok(None);
        }
        let Some(u) = email_unsubscribe::Entity::find()
            .filter(email_unsubscribe::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(h) = household::Entity::find_by_id(u.household_id)
            .filter(household::Column::OrgId.eq(u.org_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let org_name = organisation::Entity::find_by_id(u.org_id)
            .one(&self.db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok(Some(UnsubscribeLink {
            org_id: u.org_id,
            household_id: u.household_id,
            neighbourhood_id: h.neighbourhood_id,
            org_name,
            unsubscribed: u.unsubscribed_at.is_some(),
        }))
    }

    /// One-click unsubscribe: no more e-mail to this household, the messages still waiting
    /// are cancelled, and the household's timeline and the audit trail say so. `None` for an
    /// unknown link; `Some(false)` when it was already done.
    pub async fn unsubscribe(&self, token: &str) -> Result<Option<UnsubscribeLink>> {
        let Some(link) = self.unsubscribe_link(token).await? else {
            return Ok(None);
        };
        let t = now();
        let res = email_unsubscribe::Entity::update_many()
            .col_expr(
                email_unsubscribe::Column::UnsubscribedAt,
                Expr::value(Some(t)),
            )
            .filter(email_unsubscribe::Column::OrgId.eq(link.org_id))
            .filter(email_unsubscribe::Column::HouseholdId.eq(link.household_id))
            .filter(email_unsubscribe::Column::UnsubscribedAt.is_null())
            .exec(&self.db)
            .await?;
        job::Entity::update_many()
            .col_expr(
                job::Column::State,
                Expr::value(JobState::Cancelled.as_str()),
            )
            .col_expr(job::Column::LastError, Expr::value(Some("unsubscribed")))
            .filter(job::Column::OrgId.eq(link.org_id))
            .filter(job::Column::HouseholdId.eq(link.household_id))
            .filter(job::Column::State.eq(JobState::Waiting.as_str()))
            // A sign-in link the parent asked for is still sent.
            .filter(job::Column::Payload.not_like(format!("%{ASKED_MARK}%")))
            .exec(&self.db)
            .await?;
        if res.rows_affected > 0 {
            sea_orm::ActiveModelTrait::insert(
                household_event::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    org_id: Set(link.org_id),
                    household_id: Set(link.household_id),
                    at: Set(t),
                    actor_id: Set(None),
                    kind: Set("email-unsubscribed".into()),
                    detail: Set(String::new()),
                },
                &self.db,
            )
            .await?;
            self.audit(NewAuditEvent {
                org_id: link.org_id,
                actor_id: None,
                actor_role: "anonymous".into(),
                action: Action::HouseholdEmailUnsubscribed,
                object_type: "household".into(),
                object_id: Some(link.household_id),
                neighbourhood_id: Some(link.neighbourhood_id),
                outcome: Outcome::Allowed,
                detail: String::new(),
            })
            .await?;
        }
        Ok(Some(UnsubscribeLink {
            unsubscribed: res.rows_affected > 0,
            ..link
        }))
    }
}

/// The Fluent key for a refusal code.
fn refused_key(code: &str) -> &'static str {
    match code {
        "no-consent" => "reminders-refused-no-consent",
        "unsubscribed" => "reminders-refused-unsubscribed",
        "no-address" => "reminders-refused-no-address",
        "channel-not-email" => "reminders-refused-no-address",
        _ => "reminders-refused-gone",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_and_stops_at_six_hours() {
        let base = StdDuration::from_secs(60);
        assert_eq!(backoff(base, 1), Duration::minutes(1));
        assert_eq!(backoff(base, 2), Duration::minutes(2));
        assert_eq!(backoff(base, 4), Duration::minutes(8));
        assert_eq!(backoff(base, 30), Duration::hours(6));
        assert_eq!(backoff(base, 0), Duration::minutes(1));
    }

    #[test]
    fn job_states_and_kinds_round_trip() {
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.as_str()), Some(s));
        }
        for k in [JobKind::Reminder, JobKind::PersonalMail] {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
    }
}

//! Sending e-mail: the queue worker every app server runs, the SMTP sender behind the
//! [`MailSender`] trait, and the message itself with its `List-Unsubscribe` headers (RFC 2369
//! and 8058). The queue (claims, leases, retries) is `crates/store/src/jobs.rs`; what a
//! reminder says is `crates/domain/src/reminder.rs`.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mtp_store::Store;
use mtp_store::jobs::{JobState, OutgoingMail};
use thiserror::Error;
use uuid::Uuid;

use crate::Config;

/// Jobs one server claims per round.
const CLAIM_BATCH: u64 = 20;

/// Why a message cannot be set up: the SMTP address or the sender address is wrong.
#[derive(Debug, Error)]
pub enum MailConfigError {
    #[error("MTP_SMTP_URL is not a valid smtp:// or smtps:// address")]
    SmtpUrl,
    #[error("MTP_MAIL_FROM is not a valid e-mail address")]
    From,
}

/// How one server sends: the SMTP server, the sender, and the queue's timings.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required`, `smtps://user:pass@host`.
    pub smtp_url: String,
    /// `Meet the Parents <noreply@example.nl>` or a bare address.
    pub from: String,
    /// Where the unsubscribe link points: the public address of the application.
    pub base_url: String,
    /// The first wait after a failed try; it doubles with every further try.
    pub retry_base: Duration,
    /// How long a claim lasts before another server may take the job over.
    pub lease: Duration,
    /// This server's name in `locked_by` (for the operator; no personal data).
    pub worker: String,
}

/// Why a message was not accepted, as a short code without the server's text (which may
/// quote an address), and whether trying again is of no use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub code: String,
    pub permanent: bool,
}

/// Hands one built message to a mail server. [`Smtp`] in the application; a test may put in
/// its own.
pub trait MailSender: Send + Sync + 'static {
    fn send(&self, msg: Message) -> impl Future<Output = Result<(), SendFailure>> + Send;
}

/// The SMTP server of `MTP_SMTP_URL`.
#[derive(Clone)]
pub struct Smtp(AsyncSmtpTransport<Tokio1Executor>);

impl Smtp {
    pub fn new(smtp_url: &str) -> Result<Smtp, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|_| MailConfigError::SmtpUrl)?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Smtp(transport))
    }
}

impl MailSender for Smtp {
    async fn send(&self, msg: Message) -> Result<(), SendFailure> {
        match self.0.send(msg).await {
            Ok(_) => Ok(()),
            Err(e) => Err(SendFailure {
                code: smtp_error_code(&e),
                permanent: e.is_permanent(),
            }),
        }
    }
}

/// A short code for an SMTP failure, without the server's text (which may quote an address).
fn smtp_error_code(e: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = e.status() {
        let kind = if e.is_permanent() {
            "permanent"
        } else {
            "transient"
        };
        format!("smtp-{kind}-{code}")
    } else if e.is_timeout() {
        "smtp-timeout".into()
    } else if e.is_tls() {
        "smtp-tls".into()
    } else {
        "smtp-connection".into()
    }
}

/// A configured sender.
#[derive(Clone)]
pub struct Mailer<S = Smtp> {
    sender: S,
    from: Mailbox,
    domain: String,
    cfg: MailConfig,
}

impl<S> std::fmt::Debug for Mailer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the SMTP address: it may hold a password.
        f.debug_struct("Mailer")
            .field("worker", &self.cfg.worker)
            .finish_non_exhaustive()
    }
}

impl Mailer<Smtp> {
    pub fn new(cfg: MailConfig) -> Result<Mailer<Smtp>, MailConfigError> {
        let sender = Smtp::new(&cfg.smtp_url)?;
        Mailer::with_sender(cfg, sender)
    }
}

impl<S: MailSender> Mailer<S> {
    /// A mailer that hands its messages to `sender` (`cfg.smtp_url` is not used).
    pub fn with_sender(cfg: MailConfig, sender: S) -> Result<Mailer<S>, MailConfigError> {
        let from: Mailbox = cfg.from.parse().map_err(|_| MailConfigError::From)?;
        let domain = from.email.domain().to_string();
        Ok(Mailer {
            sender,
            from,
            domain,
            cfg,
        })
    }

    pub fn config(&self) -> &MailConfig {
        &self.cfg
    }

    /// The `Message-ID` of a job: the same on every try, so a copy sent twice in the crash
    /// window is recognisable as the same message.
    pub fn message_id(&self, job_id: Uuid) -> String {
        format!("<{}@{}>", job_id.simple(), self.domain)
    }

    /// The e-mail of a job's message, or the code of why it cannot be one.
    pub fn message(&self, job_id: Uuid, mail: &OutgoingMail) -> Result<Message, &'static str> {
        let Ok(to) = format!("{} <{}>", quote_name(&mail.to_name), mail.to_email)
            .parse::<Mailbox>()
            .or_else(|_| mail.to_email.parse::<Mailbox>())
        else {
            return Err("bad-address");
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(self.message_id(job_id)))
            .header(ListUnsubscribe(format!("<{}>", mail.unsubscribe_url)))
            .header(ListUnsubscribePost)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|_| "bad-message")
    }

    /// One round of the queue on this server: claim the due jobs and send each. Returns
    /// what happened; errors of single jobs are recorded on the job, not returned.
    pub async fn run_queue(&self, store: &Store, at: DateTime<Utc>) -> mtp_store::Result<QueueRun> {
        let mut run = QueueRun::default();
        let jobs = store
            .claim_mail(&self.cfg.worker, at, self.cfg.lease, CLAIM_BATCH)
            .await?;
        for j in jobs {
            let msg = store
                .mail_of(&j, &self.message_id(j.id), &self.cfg.base_url, at)
                .await?
                .and_then(|mail| self.message(j.id, &mail));
            let msg = match msg {
                Ok(m) => m,
                Err(code) => {
                    store.mail_cancelled(&j, code).await?;
                    run.cancelled += 1;
                    continue;
                }
            };
            match self.sender.send(msg).await {
                Ok(()) => {
                    store.mail_sent(&j).await?;
                    run.sent += 1;
                }
                Err(e) => {
                    tracing::warn!(job = %j.id, attempts = j.attempts, error = %e.code, "sending an e-mail failed");
                    match store
                        .mail_failed(&j, &e.code, e.permanent, self.cfg.retry_base)
                        .await?
                    {
                        JobState::Failed => run.failed += 1,
                        _ => run.retried += 1,
                    }
                }
            }
        }
        Ok(run)
    }
}

/// What one round of the queue did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueRun {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    pub cancelled: u32,
}

/// A display name as an RFC 5322 quoted string.
fn quote_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
        .collect();
    format!("\"{clean}\"")
}

/// A raw header whose value we build ourselves (`List-Unsubscribe`, RFC 2369 and 8058).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The SMTP sender from `MTP_SMTP_URL` and `MTP_MAIL_FROM`; `None` when e-mail is not set up.
pub fn mailer(cfg: &Config, addr: SocketAddr) -> anyhow::Result<Option<Mailer>> {
    let Some(url) = cfg.smtp_url.clone() else {
        return Ok(None);
    };
    let from = cfg
        .mail_from
        .clone()
        .context("MTP_SMTP_URL is set but MTP_MAIL_FROM is not")?;
    let base_url = crate::public_url(cfg, addr);
    let mailer = Mailer::new(MailConfig {
        smtp_url: url,
        from,
        base_url,
        retry_base: Duration::from_secs(cfg.mail_retry_secs.max(1)),
        lease: Duration::from_secs(300),
        worker: format!("{}-{}", addr, Uuid::now_v7().simple()),
    })?;
    Ok(Some(mailer))
}

/// Every app server runs this loop too. The scheduler step queues reminders (a unique key per
/// reminder lets only one server's insert win); the sender claims due jobs with a lease, so
/// two servers never send the same job at once, and a job of a server that died is taken
/// over when its lease runs out (`crates/store/src/jobs.rs`). Without SMTP configuration the
/// reminders are still queued and stay visible as waiting.
pub fn spawn_mail_queue<S: MailSender>(store: Store, mailer: Option<Mailer<S>>, poll_ms: u64) {
    tokio::spawn(async move {
        let poll = Duration::from_millis(poll_ms.max(50));
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let schedule_every = Duration::from_secs(300);
        let mut last_schedule: Option<tokio::time::Instant> = None;
        loop {
            tick.tick().await;
            if last_schedule.is_none_or(|t| t.elapsed() >= schedule_every) {
                last_schedule = Some(tokio::time::Instant::now());
                match store.schedule_reminders(mtp_store::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "reminders queued"),
                    Err(e) => tracing::warn!(error = %e, "queueing reminders failed"),
                }
            }
            if let Some(m) = &mailer {
                match m.run_queue(&store, mtp_store::now()).await {
                    Ok(r) if r == QueueRun::default() => {}
                    Ok(r) => tracing::info!(
                        sent = r.sent,
                        retried = r.retried,
                        failed = r.failed,
                        cancelled = r.cancelled,
                        "mail queue round"
                    ),
                    Err(e) => tracing::warn!(error = %e, "mail queue round failed"),
                }
            }
        }
    });
}

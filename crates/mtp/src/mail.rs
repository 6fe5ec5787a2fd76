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
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(self.message_id(job_id)));
        // A referral's link goes to a parent who is on no list yet: nothing to unsubscribe from.
        if !mail.unsubscribe_url.is_empty() {
            builder = builder
                .header(ListUnsubscribe(format!("<{}>", mail.unsubscribe_url)))
                .header(ListUnsubscribePost);
        }
        builder
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use mtp_domain::{
        Channel, ConsentMethod, Email, HouseholdKind, PersonName, Role, Source, Tenant,
    };
    use mtp_store::jobs::JobState;
    use mtp_store::{HouseholdDraft, ParentDraft};

    use super::*;

    /// A sender in place of SMTP: keeps what it is given and answers as told.
    #[derive(Clone, Default)]
    struct Kept {
        sent: Arc<Mutex<Vec<String>>>,
        answer: Option<SendFailure>,
    }

    impl MailSender for Kept {
        async fn send(&self, msg: Message) -> Result<(), SendFailure> {
            if let Ok(mut sent) = self.sent.lock() {
                sent.push(String::from_utf8_lossy(&msg.formatted()).into_owned());
            }
            self.answer.clone().map_or(Ok(()), Err)
        }
    }

    fn config() -> MailConfig {
        MailConfig {
            smtp_url: String::new(),
            from: "Meet the Parents <noreply@mtp.example>".into(),
            base_url: "https://mtp.example/".into(),
            retry_base: Duration::from_secs(60),
            lease: Duration::from_secs(300),
            worker: "test".into(),
        }
    }

    #[test]
    fn a_message_carries_the_one_click_unsubscribe_and_a_stable_message_id() {
        let Ok(mailer) = Mailer::with_sender(config(), Kept::default()) else {
            panic!("mailer")
        };
        let id = Uuid::now_v7();
        let mail = OutgoingMail {
            to_name: "Sanne \"S\"".into(),
            to_email: "sanne@gezin.test".into(),
            subject: "Hallo".into(),
            body: "Tekst".into(),
            unsubscribe_url: "https://mtp.example/unsubscribe/abc".into(),
        };
        let Ok(msg) = mailer.message(id, &mail) else {
            panic!("message")
        };
        let text = String::from_utf8_lossy(&msg.formatted()).into_owned();
        assert!(
            text.contains("To: \"Sanne S\" <sanne@gezin.test>"),
            "{text}"
        );
        assert!(
            text.contains("List-Unsubscribe: <https://mtp.example/unsubscribe/abc>"),
            "{text}"
        );
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(text.contains(&format!("Message-ID: <{}@mtp.example>", id.simple())));
        let bad = OutgoingMail {
            to_email: "not an address".into(),
            ..mail
        };
        assert_eq!(mailer.message(id, &bad).err(), Some("bad-address"));
        assert!(matches!(
            Mailer::with_sender(
                MailConfig {
                    from: "nobody".into(),
                    ..config()
                },
                Kept::default()
            ),
            Err(MailConfigError::From)
        ));
    }

    /// The queue with a sender that accepts, then one that refuses for now, then for good.
    #[tokio::test]
    async fn the_queue_marks_sent_retries_and_fails_as_the_sender_answers() {
        let dir = std::env::temp_dir().join(format!("mtp-mail-{}", Uuid::now_v7().simple()));
        let url = format!("sqlite://{}/mtp.sqlite?mode=rwc", dir.display());
        let _ = std::fs::create_dir_all(&dir);
        let Ok(()) = Store::migrate(&url).await else {
            panic!("migrate")
        };
        let Ok(store) = Store::connect(&url, 2).await else {
            panic!("connect")
        };
        let Ok(_) = crate::demo::load(&store).await else {
            panic!("demo")
        };
        let org_id = store.organisations().await.unwrap_or_default()[0].id;
        let t = Tenant {
            org_id,
            role: Role::Admin,
            neighbourhoods: vec![],
        };
        let nb = store.neighbourhoods(&t).await.unwrap_or_default()[0].id;
        let (Ok(name), Ok(email)) = (PersonName::parse("Sanne"), Email::parse("sanne@gezin.test"))
        else {
            panic!("draft")
        };
        let draft = HouseholdDraft {
            neighbourhood_id: nb,
            kind: HouseholdKind::SingleParent,
            source: Source::School,
            source_partner: None,
            postcode4: None,
            interests: String::new(),
            talents: String::new(),
            notes: String::new(),
            parents: vec![ParentDraft {
                first_name: name,
                last_name: None,
                phone: None,
                email: Some(email),
                channel: Channel::Email,
                languages: "Nederlands".into(),
                works: false,
                free_days: vec![],
            }],
            children: vec![],
            data_consent: ConsentMethod::Verbal,
        };
        let Ok(hh) = store.create_household(&t, None, &draft, None).await else {
            panic!("household")
        };
        let queue = |key: &'static str| {
            let store = store.clone();
            let t = t.clone();
            async move {
                let Ok(job) = store.queue_mail(&t, hh, "Hallo", "Tekst", key, None).await else {
                    panic!("queue")
                };
                (store, t, job)
            }
        };

        let kept = Kept::default();
        let Ok(mailer) = Mailer::with_sender(config(), kept.clone()) else {
            panic!("mailer")
        };
        let (store, t, _) = queue("one").await;
        let run = mailer.run_queue(&store, mtp_store::now()).await;
        assert_eq!(
            run.ok(),
            Some(QueueRun {
                sent: 1,
                ..QueueRun::default()
            })
        );
        let sent = kept.sent.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(sent.len(), 1);
        assert!(
            sent[0].contains("Wil je geen e-mail meer van ons?"),
            "{}",
            sent[0]
        );

        for (key, permanent, state) in [
            ("two", false, JobState::Waiting),
            ("three", true, JobState::Failed),
        ] {
            let refusing = Kept {
                answer: Some(SendFailure {
                    code: "smtp-test".into(),
                    permanent,
                }),
                ..Kept::default()
            };
            let Ok(mailer) = Mailer::with_sender(config(), refusing) else {
                panic!("mailer")
            };
            let (store, _, job) = queue(key).await;
            let Ok(run) = mailer.run_queue(&store, mtp_store::now()).await else {
                panic!("run")
            };
            assert_eq!(
                (run.retried, run.failed),
                (u32::from(!permanent), u32::from(permanent))
            );
            let from = mtp_store::now() - chrono::Duration::days(1);
            let until = mtp_store::now() + chrono::Duration::days(1);
            let jobs = store.mail_jobs(&t, from, until).await.unwrap_or_default();
            let line = jobs.iter().find(|j| j.id == job);
            assert_eq!(
                line.map(|j| (j.state, j.last_error.clone())),
                Some((state, Some("smtp-test".into())))
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Reminder e-mails through the job queue, against a real SMTP server (aiosmtpd) on
//! 127.0.0.1: the message itself, exactly once with two app servers, an SMTP server that is
//! down, the one-click unsubscribe, and the households that must get nothing.

use chrono::{Duration, NaiveDate, Utc};
use mail_parser::MessageParser;
use mtp_domain::household::{Channel, HouseholdKind, Source};
use mtp_domain::schedule::Slot;
use mtp_domain::{ConsentMethod, Email, PersonName, Purpose, Tenant};
use mtp_store::jobs::{JobKind, JobLine, JobState};
use mtp_store::sessions::RsvpLine;
use mtp_store::{HouseholdDraft, ParentDraft, StoreError};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{SmtpServer, TestApp, free_port, smtp_url, spawn_with_mail};
use crate::on_both;

pub(crate) struct Family {
    pub(crate) id: Uuid,
    first_name: &'static str,
    pub(crate) email: String,
}

pub(crate) async fn family(
    app: &TestApp,
    t: &Tenant,
    first_name: &'static str,
    channel: Channel,
    languages: &str,
) -> Family {
    let poort = app.neighbourhood(t, "Almere Poort").await;
    let email = format!(
        "{}.{}@gezin.test",
        first_name.to_lowercase(),
        &Uuid::now_v7().simple().to_string()[20..]
    );
    let d = HouseholdDraft {
        neighbourhood_id: poort,
        kind: HouseholdKind::SingleParent,
        source: Source::School,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents: vec![ParentDraft {
            first_name: PersonName::parse(first_name).unwrap(),
            last_name: None,
            phone: None,
            email: Some(Email::parse(&email).unwrap()),
            channel,
            languages: languages.into(),
            works: false,
            free_days: vec![],
        }],
        children: vec![],
        data_consent: ConsentMethod::Verbal,
    };
    let id = app
        .store
        .create_household(t, None, &d, None)
        .await
        .expect("household");
    Family {
        id,
        first_name,
        email,
    }
}

/// A new session of the demo's coffee hour that starts in three hours, so its reminder is
/// due at once.
pub(crate) async fn session_soon(app: &TestApp, t: &Tenant, hours: i64) -> Uuid {
    let (coffee, _) = app.coffee_hour().await;
    let start = Utc::now() + Duration::hours(hours);
    // A series date of its own, so it never collides with the planned weekly sessions.
    let series = NaiveDate::from_ymd_opt(2099, 1, 1)
        .unwrap_or_default()
        .checked_add_days(chrono::Days::new(u64::try_from(hours).unwrap_or(0)))
        .unwrap_or_default();
    let added = app
        .store
        .plan_sessions(
            t,
            coffee,
            &[(
                series,
                Slot {
                    start,
                    end: start + Duration::minutes(90),
                },
            )],
            None,
        )
        .await
        .expect("plan");
    assert_eq!(added, 1);
    app.store
        .activity_sessions(t, coffee, Utc::now(), 500)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|s| (s.starts_at - start).num_seconds().abs() < 1)
        .map(|s| s.id)
        .expect("the new session")
}

/// The family clicks the unsubscribe link of its e-mails.
pub(crate) async fn unsubscribe(app: &TestApp, t: &Tenant, household: Uuid) {
    let url = app
        .store
        .unsubscribe_url(t, household, "http://x")
        .await
        .unwrap();
    let token = url.rsplit('/').next().unwrap_or_default().to_string();
    assert!(app.store.unsubscribe(&token).await.ok().flatten().is_some());
}

pub(crate) async fn coming(app: &TestApp, t: &Tenant, session: Uuid, household: Uuid) {
    app.store
        .set_rsvp(
            t,
            session,
            household,
            &RsvpLine {
                coming: true,
                reason: None,
                children: 1,
                childcare: false,
            },
            None,
        )
        .await
        .expect("rsvp");
}

async fn jobs(app: &TestApp, t: &Tenant) -> Vec<JobLine> {
    app.store
        .mail_jobs(
            t,
            Utc::now() - Duration::days(7),
            Utc::now() + Duration::days(8),
        )
        .await
        .expect("jobs")
}

fn to_of(raw: &[u8]) -> String {
    MessageParser::default()
        .parse(raw)
        .and_then(|m| {
            m.to()
                .and_then(|a| a.first()?.address().map(str::to_string))
        })
        .unwrap_or_default()
}

pub(crate) fn for_address<'a>(msgs: &'a [Vec<u8>], email: &str) -> Vec<&'a Vec<u8>> {
    msgs.iter().filter(|m| to_of(m) == email).collect()
}

async fn a_reminder_arrives_exactly_once_with_two_servers(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let sanne = family(&app, &t, "Sanne", Channel::Email, "Nederlands, Arabisch").await;
    let sam = family(&app, &t, "Samuel", Channel::Email, "English").await;
    let session = session_soon(&app, &t, 3).await;
    coming(&app, &t, session, sanne.id).await;
    coming(&app, &t, session, sam.id).await;

    let smtp = SmtpServer::start().await;
    let a = spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url()).await;
    let b = spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url()).await;
    // Both servers run the scheduler step at the same moment; one insert per reminder wins.
    let (qa, qb) = tokio::join!(
        a.store.schedule_reminders(Utc::now()),
        b.store.schedule_reminders(Utc::now())
    );
    let (qa, qb) = (qa.unwrap_or(0), qb.unwrap_or(0));
    let ours = |j: &&JobLine| j.household_id == Some(sanne.id) || j.household_id == Some(sam.id);
    let queued: Vec<JobLine> = jobs(&app, &t).await;
    assert_eq!(
        queued.iter().filter(ours).count(),
        2,
        "one reminder per household ({qa} + {qb} queued): {queued:?}"
    );

    // Both servers' queues run; wait for both messages, then a little longer for duplicates.
    smtp.wait_until(30, |m| {
        !for_address(m, &sanne.email).is_empty() && !for_address(m, &sam.email).is_empty()
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let msgs = smtp.messages();
    let to_sanne = for_address(&msgs, &sanne.email);
    assert_eq!(to_sanne.len(), 1, "exactly one reminder to Sanne");
    assert_eq!(
        for_address(&msgs, &sam.email).len(),
        1,
        "exactly one to Samuel"
    );

    let m = MessageParser::default()
        .parse(to_sanne[0].as_slice())
        .expect("a parseable message");
    let subject = m.subject().unwrap_or_default();
    assert!(
        subject.starts_with("Herinnering: Koffie-uurtje Poort op "),
        "{subject}"
    );
    let body = m.body_text(0).unwrap_or_default().to_string();
    assert!(
        body.starts_with("Hoi Sanne, denk je aan Koffie-uurtje Poort?"),
        "{body}"
    );
    let starts = app
        .store
        .session_summary(&t, session)
        .await
        .map(|s| s.starts_at)
        .unwrap();
    let local = starts.with_timezone(&chrono_tz::Europe::Amsterdam);
    assert!(body.contains(&local.format("%H:%M").to_string()), "{body}");
    assert!(
        !body.contains("Samuel"),
        "no other household's name: {body}"
    );
    let mid = m.message_id().unwrap_or_default().to_string();
    assert!(mid.ends_with("@mtp.test"), "{mid}");
    let job = jobs(&app, &t)
        .await
        .into_iter()
        .find(|j| j.household_id == Some(sanne.id))
        .expect("Sanne's job");
    assert_eq!(job.state, JobState::Sent);
    assert_eq!(job.kind, JobKind::Reminder);
    assert_eq!(job.attempts, 1);
    assert!(
        mid.starts_with(&job.id.simple().to_string()),
        "deterministic Message-ID {mid}"
    );
    let lu = m
        .header_raw("List-Unsubscribe")
        .unwrap_or_default()
        .trim()
        .to_string();
    assert_eq!(
        m.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    let link = lu.trim_start_matches('<').trim_end_matches('>').to_string();
    assert!(link.contains("/unsubscribe/"), "{lu}");
    assert!(body.contains(&link), "the text carries the link too");
    let english = MessageParser::default()
        .parse(for_address(&msgs, &sam.email)[0].as_slice())
        .unwrap();
    let en_body = english.body_text(0).unwrap_or_default().to_string();
    assert!(
        en_body.starts_with("Hi Samuel, just a reminder of Koffie-uurtje Poort."),
        "{en_body}"
    );
    assert!(!en_body.contains("Sanne"));

    // The page: workers see it, hosts do not.
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get("/reminders").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sanne") && page.body.contains("Verstuurd"));
    assert!(
        page.body.contains("E-mail is nog niet ingesteld"),
        "this server has no SMTP"
    );
    let mut h = app.client();
    h.login(&logins["host"]).await;
    assert_eq!(h.get("/reminders").await.status, StatusCode::FORBIDDEN);

    // The link: GET asks, a one-click POST without session or token unsubscribes.
    let path = link
        .split_once("/unsubscribe/")
        .map(|(_, tok)| format!("/unsubscribe/{tok}"))
        .unwrap_or_default();
    let anon = reqwest::Client::new();
    let r = anon
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        !app.store
            .email_unsubscribed(&t, sanne.id)
            .await
            .unwrap_or(true),
        "opening the link alone changes nothing"
    );
    let r = anon
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        app.store
            .email_unsubscribed(&t, sanne.id)
            .await
            .unwrap_or(false)
    );
    let r = anon
        .post(format!("{}/unsubscribe/{}", app.base, "0".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "an unknown link");

    // No more reminders for Sanne; Samuel still gets his.
    let next = session_soon(&app, &t, 5).await;
    coming(&app, &t, next, sanne.id).await;
    coming(&app, &t, next, sam.id).await;
    a.store.schedule_reminders(Utc::now()).await.unwrap();
    smtp.wait_until(30, |m| for_address(m, &sam.email).len() == 2)
        .await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let msgs = smtp.messages();
    assert_eq!(for_address(&msgs, &sam.email).len(), 2);
    assert_eq!(for_address(&msgs, &sanne.email).len(), 1, "unsubscribed");
    assert_eq!(
        app.store
            .queue_mail(&t, sanne.id, "Hoi", "Tot woensdag", "x-1", None)
            .await
            .err()
            .map(|e| e.to_string()),
        Some(StoreError::Refused("reminders-refused-unsubscribed").to_string())
    );
}
on_both!(
    exactly_once_with_two_servers,
    a_reminder_arrives_exactly_once_with_two_servers
);

async fn an_smtp_server_that_is_down_leaves_reminders_waiting(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let lotte = family(&app, &t, "Lotte", Channel::Email, "Nederlands").await;
    let session = session_soon(&app, &t, 3).await;
    coming(&app, &t, session, lotte.id).await;
    let port = free_port();
    let sender = spawn_with_mail(
        app.database_url.clone(),
        app.data_dir.clone(),
        smtp_url(port),
    )
    .await;
    sender.store.schedule_reminders(Utc::now()).await.unwrap();
    // Tries fail: the job waits, with its tries counted and a next try set.
    let mut line = None;
    for _ in 0..100 {
        let j = jobs(&app, &t)
            .await
            .into_iter()
            .find(|j| j.household_id == Some(lotte.id));
        if j.as_ref()
            .is_some_and(|j| j.attempts >= 2 && j.state == JobState::Waiting)
        {
            line = j;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let line = line.expect("the reminder waits after failed tries");
    assert_eq!(line.last_error.as_deref(), Some("smtp-connection"));
    assert!(line.sent_at.is_none());
    assert!(
        line.run_at > Utc::now() - Duration::seconds(1),
        "a next try"
    );
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get("/reminders").await;
    assert!(
        page.body.contains("Lotte") && page.body.contains("Wacht"),
        "{}",
        page.body
    );
    assert!(page.body.contains("De mailserver was niet bereikbaar."));

    // The server comes up: the next try delivers it, once.
    let smtp = SmtpServer::start_on(port).await;
    let msgs = smtp
        .wait_until(60, |m| !for_address(m, &lotte.email).is_empty())
        .await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(
        for_address(&smtp.messages(), &lotte.email).len(),
        1,
        "{}",
        msgs.len()
    );
    let j = jobs(&app, &t)
        .await
        .into_iter()
        .find(|j| j.household_id == Some(lotte.id))
        .unwrap();
    assert_eq!(j.state, JobState::Sent);
    assert!(j.attempts >= 3, "{}", j.attempts);
}
on_both!(
    smtp_down,
    an_smtp_server_that_is_down_leaves_reminders_waiting
);

async fn without_consent_email_or_subscription_nothing_is_queued(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let ok = family(&app, &t, "Noor", Channel::Email, "").await;
    let no_consent = family(&app, &t, "Ayse", Channel::Email, "").await;
    let whatsapp = family(&app, &t, "Priya", Channel::WhatsApp, "").await;
    let unsubscribed = family(&app, &t, "Mila", Channel::Email, "").await;
    app.store
        .record_consent(
            &t,
            None,
            no_consent.id,
            Purpose::DataRegistration,
            false,
            ConsentMethod::Verbal,
            None,
        )
        .await
        .unwrap();
    unsubscribe(&app, &t, unsubscribed.id).await;
    let session = session_soon(&app, &t, 3).await;
    for f in [&ok, &no_consent, &whatsapp, &unsubscribed] {
        coming(&app, &t, session, f.id).await;
    }
    app.store.schedule_reminders(Utc::now()).await.unwrap();
    let queued: Vec<Uuid> = jobs(&app, &t)
        .await
        .into_iter()
        .filter_map(|j| j.household_id)
        .collect();
    assert!(queued.contains(&ok.id));
    for f in [&no_consent, &whatsapp, &unsubscribed] {
        assert!(
            !queued.contains(&f.id),
            "{} must get no reminder",
            f.first_name
        );
    }
    // Scheduling again queues nothing new.
    assert_eq!(
        app.store.schedule_reminders(Utc::now()).await.unwrap_or(9),
        0
    );

    // A personal e-mail from the worklist goes through the same rules.
    let refused = |r: Result<Uuid, StoreError>| match r {
        Err(StoreError::Refused(k)) => k,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refused(
            app.store
                .queue_mail(&t, no_consent.id, "Hoi", "Tekst", "k1", None)
                .await
        ),
        "reminders-refused-no-consent"
    );
    assert_eq!(
        refused(
            app.store
                .queue_mail(&t, unsubscribed.id, "Hoi", "Tekst", "k1", None)
                .await
        ),
        "reminders-refused-unsubscribed"
    );
    let first = app
        .store
        .queue_mail(&t, whatsapp.id, "Hoi Priya", "Tot woensdag", "k1", None)
        .await;
    assert!(
        first.is_ok(),
        "a worker may e-mail a parent with an address: {first:?}"
    );
    assert!(matches!(
        app.store
            .queue_mail(&t, whatsapp.id, "Hoi Priya", "Tot woensdag", "k1", None)
            .await,
        Err(StoreError::Duplicate(_))
    ));
    // Another organisation's household is not found.
    let other = app.org("Lelystad").await;
    assert!(matches!(
        app.store
            .queue_mail(&other, ok.id, "Hoi", "Tekst", "k2", None)
            .await,
        Err(StoreError::NotFound)
    ));

    // A lease that ran out is taken over by another server.
    let a = app
        .store
        .claim_jobs(
            "server-a",
            Utc::now(),
            std::time::Duration::from_millis(1),
            100,
        )
        .await
        .unwrap_or_default();
    assert!(!a.is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let again = app
        .store
        .claim_jobs(
            "server-b",
            Utc::now(),
            std::time::Duration::from_secs(60),
            100,
        )
        .await
        .unwrap_or_default();
    assert!(
        a.iter().all(|j| again.contains(j)),
        "expired leases are taken over"
    );
    let none = app
        .store
        .claim_jobs(
            "server-c",
            Utc::now(),
            std::time::Duration::from_secs(60),
            100,
        )
        .await
        .unwrap_or_default();
    assert!(none.is_empty(), "a live lease is not");
}
on_both!(
    nothing_queued_without_consent,
    without_consent_email_or_subscription_nothing_is_queued
);

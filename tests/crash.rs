//! Crash consistency (issue #14): a burst of check-ins and RSVPs while the server is killed
//! with SIGKILL, several times, on SQLite and PostgreSQL. Every write the server acknowledged
//! is there after a restart, none is there twice (the phone's queue sends everything again,
//! as it does after a lost answer), and the audit chain verifies.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use mtp_domain::attendance::AttendanceStatus;
use mtp_domain::household::HouseholdKind;
use mtp_store::{AuditFilter, Store};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Backend, csrf_in, fresh_database};
use crate::scale_out::{Jar, Server, coffee_hour_at, demo_as_admin, get, http};

const ROUNDS: usize = 3;
const PER_ROUND: usize = 8;

/// What one request of the burst is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Write {
    Checkin,
    Rsvp,
}

/// Sends a form as the page's script does; `None` when the connection broke (the server was
/// killed before it answered: the phone does not know whether it arrived).
async fn send(
    c: &reqwest::Client,
    jar: &Jar,
    url: &str,
    body: String,
) -> Option<(StatusCode, String)> {
    let r = c
        .post(url)
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .ok()?;
    let status = r.status();
    Some((status, r.text().await.ok()?))
}

fn checkin_body(csrf: &str, household: Uuid, key: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("_csrf", csrf)
        .append_pair("household", &household.to_string())
        .append_pair("status", "present")
        .append_pair("children", "1")
        .append_pair("key", key)
        .finish()
}

fn rsvp_body(csrf: &str, household: Uuid) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("_csrf", csrf)
        .append_pair("household", &household.to_string())
        .append_pair("coming", "yes")
        .append_pair("children", "2")
        .finish()
}

/// Signs the worker in on `server` and returns the cookie jar and the check-in page's token.
async fn sign_in(server: &Server, email: &str, password: &str, session: Uuid) -> (Jar, String) {
    let c = http();
    let mut jar = Jar::default();
    let (_, page) = get(&c, &mut jar, &format!("{}/login", server.base)).await;
    let csrf = csrf_in(&page).expect("a token on /login");
    let r = c
        .post(format!("{}/login", server.base))
        .header("cookie", jar.header())
        .form(&[
            ("_csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    jar.take(&r);
    let (status, page) = get(
        &c,
        &mut jar,
        &format!("{}/sessions/{session}/checkin", server.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    (jar, csrf_in(&page).expect("a token on the check-in page"))
}

async fn acknowledged_writes_survive_repeated_kills(backend: Backend) {
    let Some((url, dir)) = fresh_database(backend).await else {
        assert!(
            std::env::var("MTP_TEST_POSTGRES_URL").is_err(),
            "MTP_TEST_POSTGRES_URL is set but no PostgreSQL database was made"
        );
        return;
    };
    if backend == Backend::Sqlite {
        Store::migrate(&url).await.unwrap();
    }
    let store = Store::connect(&url, 2).await.expect("connect");
    let (logins, t) = demo_as_admin(&store).await;
    let org_id = t.org_id;
    let worker = logins
        .iter()
        .find(|l| l.label == "worker")
        .expect("the demo has a worker");
    // A coffee hour that starts in two hours: open for taps and answers.
    let start = Utc::now() + chrono::Duration::hours(2);
    let session = coffee_hour_at(&store, &t, start, 2098).await;
    let families: Vec<Uuid> = store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .iter()
        .filter(|l| l.kind == HouseholdKind::SingleParent)
        .map(|l| l.household_id)
        .take(ROUNDS * PER_ROUND)
        .collect();
    assert_eq!(
        families.len(),
        ROUNDS * PER_ROUND,
        "enough families on the list"
    );

    let mut acknowledged: BTreeSet<(Write, Uuid)> = BTreeSet::new();
    let mut sent: Vec<(Write, Uuid, String)> = Vec::new();
    for round in 0..ROUNDS {
        let mut server =
            Server::start(&format!("crash-{round}"), &url, &dir, "smtp://127.0.0.1:1").await;
        let (jar, csrf) = sign_in(&server, &worker.email, &worker.password, session).await;
        let answered = Arc::new(AtomicUsize::new(0));
        let mut burst = tokio::task::JoinSet::new();
        for (i, household) in families[round * PER_ROUND..(round + 1) * PER_ROUND]
            .iter()
            .copied()
            .enumerate()
        {
            let key = format!("crash-{round}-{i}");
            for (what, path, body) in [
                (
                    Write::Checkin,
                    "checkin",
                    checkin_body(&csrf, household, &key),
                ),
                (Write::Rsvp, "rsvp", rsvp_body(&csrf, household)),
            ] {
                sent.push((what, household, body.clone()));
                let (c, jar, answered) = (http(), jar.clone(), answered.clone());
                let url = format!("{}/sessions/{session}/{path}", server.base);
                burst.spawn(async move {
                    let r = send(&c, &jar, &url, body).await;
                    answered.fetch_add(1, Ordering::SeqCst);
                    (what, household, r)
                });
            }
        }
        // Kill the server in the middle of the burst: after a few answers, before the rest.
        let deadline = Instant::now() + Duration::from_secs(30);
        while answered.load(Ordering::SeqCst) < PER_ROUND / 2 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill();
        while let Some(done) = burst.join_next().await {
            let (what, household, r) = done.unwrap();
            let ok = match (what, r) {
                (Write::Checkin, Some((status, body))) => {
                    status == StatusCode::OK && body.contains("\"ok\":true")
                }
                (Write::Rsvp, Some((status, _))) => status == StatusCode::SEE_OTHER,
                (_, None) => false,
            };
            if ok {
                acknowledged.insert((what, household));
            }
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "some writes were acknowledged before the kills"
    );
    // Not asserted (the server may be quick enough to answer a whole round), but shown: how
    // much of the bursts the kills cut off.
    eprintln!(
        "acknowledged {} of {} writes",
        acknowledged.len(),
        sent.len()
    );

    // What the database holds after the kills: every acknowledged write.
    let d = store.session_detail(&t, session).await.unwrap();
    let present: BTreeSet<Uuid> = d
        .lines
        .iter()
        .filter(|l| {
            l.attendance
                .as_ref()
                .is_some_and(|a| a.status == AttendanceStatus::Present)
        })
        .map(|l| l.household_id)
        .collect();
    let coming: BTreeSet<Uuid> = d
        .lines
        .iter()
        .filter(|l| l.rsvp.as_ref().is_some_and(|r| r.coming))
        .map(|l| l.household_id)
        .collect();
    for (what, household) in &acknowledged {
        let there = match what {
            Write::Checkin => present.contains(household),
            Write::Rsvp => coming.contains(household),
        };
        assert!(there, "an acknowledged {what:?} for {household} is lost");
    }

    // The phone's queue sends everything again on a fresh server: each tap counts once.
    let server = Server::start("crash-after", &url, &dir, "smtp://127.0.0.1:1").await;
    let (jar, csrf) = sign_in(&server, &worker.email, &worker.password, session).await;
    let c = http();
    for (round, chunk) in families.chunks(PER_ROUND).enumerate() {
        for (i, household) in chunk.iter().copied().enumerate() {
            let key = format!("crash-{round}-{i}");
            let url = format!("{}/sessions/{session}/checkin", server.base);
            let r = send(&c, &jar, &url, checkin_body(&csrf, household, &key)).await;
            assert!(
                r.as_ref()
                    .is_some_and(|(s, b)| *s == StatusCode::OK && b.contains("\"ok\":true")),
                "{r:?}"
            );
        }
    }
    let taps = store
        .audit_entries(
            org_id,
            &AuditFilter {
                action: Some("attendance.recorded".into()),
                from: Some(start - chrono::Duration::hours(3)),
                ..AuditFilter::default()
            },
            10_000,
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.object_id.is_some_and(|h| families.contains(&h)))
        .collect::<Vec<_>>();
    let tapped: BTreeSet<Uuid> = taps.iter().filter_map(|e| e.object_id).collect();
    assert_eq!(
        tapped.len(),
        families.len(),
        "every family checked in once in the end"
    );
    assert_eq!(taps.len(), families.len(), "no tap counted twice: {taps:?}");
    drop(server);

    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_mtp"))
        .args(["audit", "verify"])
        .env("MTP_DATABASE_URL", &url)
        .env("MTP_DATA_DIR", &dir)
        .env("MTP_LOG", "warn")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && !out.contains("BROKEN"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_sqlite() {
    acknowledged_writes_survive_repeated_kills(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_postgres() {
    acknowledged_writes_survive_repeated_kills(Backend::Postgres).await;
}

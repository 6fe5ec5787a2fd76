//! The `mtp` binary as a coordinator runs it: demo, serve, backup, user, audit verify.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::helpers::{Backend, Login, fresh_database};

fn mtp(db: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtp"))
        .args(args)
        .env("MTP_DATABASE_URL", db)
        .env("MTP_DATA_DIR", dir)
        .env("MTP_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("mtp {args:?}: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn demo_logins(out: &str) -> std::collections::HashMap<String, Login> {
    out.lines()
        .filter_map(|l| {
            let mut parts = l.split(' ');
            let (role, email, password) = (parts.next()?, parts.next()?, parts.next()?);
            Some((
                role.to_string(),
                Login {
                    email: email.into(),
                    password: password.into(),
                },
            ))
        })
        .collect()
}

async fn demo_prints_one_account_per_role_and_refuses_to_mix(backend: Backend) {
    let Some((db, dir)) = fresh_database(backend).await else {
        return;
    };
    let out = mtp(&db, &dir, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let logins = demo_logins(&stdout(&out));
    // A one-time link for a demo parent, on stderr.
    let err = String::from_utf8_lossy(&out.stderr);
    let link = err
        .lines()
        .find_map(|l| {
            l.split_once("/portal/link/")
                .map(|(_, rest)| rest.to_string())
        })
        .unwrap_or_else(|| panic!("no parent link in {err}"));
    assert!(
        link.starts_with(|c: char| c.is_ascii_hexdigit()) && link.len() > 64,
        "{link}"
    );
    let mut labels: Vec<&str> = logins.keys().map(String::as_str).collect();
    labels.sort_unstable();
    assert_eq!(
        labels,
        [
            "admin",
            "coordinator",
            "host",
            "other-worker",
            "partner",
            "researcher",
            "worker"
        ]
    );
    assert_eq!(stdout(&out).lines().count(), 7, "one line per account");

    let again = mtp(&db, &dir, &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));

    let forced = mtp(&db, &dir, &["demo", "--force"]);
    assert!(forced.status.success());
    let new = demo_logins(&stdout(&forced));
    assert_ne!(
        new["admin"].password, logins["admin"].password,
        "--force gives fresh passwords"
    );

    // Accounts from the command line, recorded in the audit trail.
    let created = Command::new(env!("CARGO_BIN_EXE_mtp"))
        .args([
            "user",
            "create",
            "--email",
            "nieuw@almere.test",
            "--name",
            "Nieuwe Wijkwerker",
            "--role",
            "worker",
            "--org",
            "Welzijn Almere (demo)",
            "--neighbourhood",
            "Almere Poort",
        ])
        .env("MTP_DATABASE_URL", &db)
        .env("MTP_DATA_DIR", &dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(stdout(&created).contains("temporary password: "));
    let bad = mtp(
        &db,
        &dir,
        &[
            "user",
            "create",
            "--email",
            "geen-adres",
            "--name",
            "X",
            "--role",
            "worker",
            "--org",
            "Welzijn Almere (demo)",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));
    assert!(
        mtp(
            &db,
            &dir,
            &["user", "disable", "--email", "nieuw@almere.test"]
        )
        .status
        .success()
    );
    let verify = mtp(&db, &dir, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("ok"));
    assert!(!stdout(&verify).contains("BROKEN"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_sqlite() {
    demo_prints_one_account_per_role_and_refuses_to_mix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_postgres() {
    demo_prints_one_account_per_role_and_refuses_to_mix(Backend::Postgres).await;
}

/// Start `mtp serve`, return the child and the URL it printed.
fn serve(db: &str, dir: &Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtp"))
        .arg("serve")
        .env("MTP_DATABASE_URL", db)
        .env("MTP_DATA_DIR", dir)
        .env("MTP_BIND", "127.0.0.1:0")
        .env("MTP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{e}"));
    let url = line.trim().rsplit(' ').next().unwrap_or("").to_string();
    assert!(
        line.starts_with("Meet the Parents serves http://127.0.0.1:"),
        "{line}"
    );
    (child, url)
}

/// A neighbourhood created and acknowledged (303) is there after `kill -9`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_its_url_and_an_acknowledged_write_survives_a_killed_process() {
    let Some((db, dir)) = fresh_database(Backend::Sqlite).await else {
        panic!("no SQLite database");
    };
    let logins = demo_logins(&stdout(&mtp(&db, &dir, &["demo"])));
    let (mut child, url) = serve(&db, &dir);
    let mut c = crate::helpers::Client::new(&url);
    c.login(&logins["admin"]).await;
    c.get("/admin/neighbourhoods/new").await;
    let r = c
        .post(
            "/admin/neighbourhoods/new",
            &[("name", "Almere Stad"), ("cbs_code", "")],
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER);
    child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: no shutdown, no flush
    let _ = child.wait();

    let (mut child, url) = serve(&db, &dir);
    let mut c = crate::helpers::Client::new(&url);
    c.login(&logins["admin"]).await;
    assert!(
        c.get("/admin/neighbourhoods")
            .await
            .body
            .contains("Almere Stad")
    );
    let _ = child.kill();
    let _ = child.wait();

    // A backup of the live database is a working database.
    let copy = dir.join("kopie.sqlite");
    let out = mtp(&db, &dir, &["backup", "--out", &copy.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy_url = format!("sqlite://{}?mode=rw", copy.display());
    let verify = mtp(&copy_url, &dir, &["audit", "verify"]);
    assert!(
        verify.status.success() && stdout(&verify).contains("ok"),
        "{}",
        stdout(&verify)
    );
    let again = mtp(&db, &dir, &["backup", "--out", &copy.display().to_string()]);
    assert!(
        !again.status.success(),
        "an existing backup is never overwritten"
    );
}

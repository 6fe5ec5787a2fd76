//! The `mtp` binary as a coordinator runs it: demo, serve, backup, restore, user, audit verify.

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

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub(crate) fn demo_logins(out: &str) -> std::collections::HashMap<String, Login> {
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
        .unwrap();
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

/// A running `mtp serve`, killed (SIGKILL, no shutdown) and reaped when dropped, so that a
/// failing assertion does not leave it running.
pub(crate) struct Serving(std::process::Child);

impl Serving {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Start `mtp serve`, return the running server and the URL it printed.
pub(crate) fn serve(db: &str, dir: &Path) -> (Serving, String) {
    serve_with(db, dir, &[])
}

/// `serve` with more environment variables (`MTP_SECRET_KEY`).
pub(crate) fn serve_with(db: &str, dir: &Path, env: &[(&str, &str)]) -> (Serving, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtp"))
        .arg("serve")
        .envs(env.iter().copied())
        .env("MTP_DATABASE_URL", db)
        .env("MTP_DATA_DIR", dir)
        .env("MTP_BIND", "127.0.0.1:0")
        .env("MTP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take();
    let child = Serving(child);
    let out = out.expect("no stdout");
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).unwrap();
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
    child.kill(); // SIGKILL: no shutdown, no flush

    let (mut child, url) = serve(&db, &dir);
    let mut c = crate::helpers::Client::new(&url);
    c.login(&logins["admin"]).await;
    assert!(
        c.get("/admin/neighbourhoods")
            .await
            .body
            .contains("Almere Stad")
    );
    child.kill();

    // A backup of the live database is a working database.
    let copy = dir.join("kopie.sqlite");
    let out = mtp(&db, &dir, &["backup", "--out", &copy.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It holds every family's data: its owner alone may read it.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
    }
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

/// `mtp` as an operator runs it on a data dir: the default database in it, the key from its
/// `secret.key` (whatever the environment of the test run says).
fn mtp_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtp"))
        .args(args)
        .env_remove("MTP_DATABASE_URL")
        .env_remove("MTP_SECRET_KEY")
        .env("MTP_DATA_DIR", dir)
        .env("MTP_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("mtp {args:?}: {e}"))
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}?mode=rw", file.display())
}

pub(crate) fn new_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mtp-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Every file of a directory with the SHA-256 of its bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    use sha2::Digest;
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                hex::encode(sha2::Sha256::digest(&bytes)),
            )
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// The demo with a server run on it (which seals the installation's keys into the database
/// and records a sign-in), and a backup of it in a directory of its own. Returns the data
/// dir, the demo's logins and the backup file.
async fn demo_with_backup() -> (
    std::path::PathBuf,
    std::collections::HashMap<String, Login>,
    std::path::PathBuf,
) {
    let dir = new_dir();
    let db = sqlite_url(&dir.join("mtp.sqlite")).replace("mode=rw", "mode=rwc");
    let logins = demo_logins(&stdout(&mtp(&db, &dir, &["demo"])));
    assert!(logins.contains_key("admin"), "the demo loaded");
    {
        let (_server, url) = serve(&db, &dir);
        crate::helpers::Client::new(&url)
            .login(&logins["admin"])
            .await;
    }
    let backup = new_dir().join("backup.sqlite");
    let out = mtp_in(&dir, &["backup", "--out", &backup.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, logins, backup)
}

/// `mtp restore` puts a backup of `mtp backup` into a fresh data dir (the key file copied
/// over), and the result is the same database: every table, every row (ordered and keyed by
/// primary key, compared by checksum), the schema. Without the key, or with another one, it
/// is refused and leaves nothing behind; a second restore needs `--force`, which keeps the
/// database it replaces; the restored database serves and the backup's admin signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_a_fresh_data_dir_row_for_row() {
    let (dir, logins, backup) = demo_with_backup().await;
    let backup_arg = backup.display().to_string();
    let original_url = sqlite_url(&dir.join("mtp.sqlite"));
    let original = crate::tables::snapshot(&original_url).await;

    let fresh = new_dir();
    let out = mtp_in(&fresh, &["restore", &backup_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("there is no key to open them")
            && stderr(&out).contains("secret.key"),
        "{}",
        stderr(&out)
    );
    assert!(names(&fresh).is_empty(), "{:?}", names(&fresh));

    std::fs::write(fresh.join("secret.key"), "ab".repeat(32)).unwrap();
    let out = mtp_in(&fresh, &["restore", &backup_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not the key the backup was made with"),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&fresh), ["secret.key"]);

    std::fs::copy(dir.join("secret.key"), fresh.join("secret.key")).unwrap();
    let out = mtp_in(&fresh, &["restore", &backup_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("restored {backup_arg} to "))
            && said.contains("(0 migrations run)")
            && said.contains("sealed secrets open with the key from")
            && said.contains("audit trail ok (2 chains"),
        "{said}"
    );
    assert_eq!(names(&fresh), ["mtp.sqlite", "secret.key"]);
    let restored_url = sqlite_url(&fresh.join("mtp.sqlite"));
    let restored = crate::tables::snapshot(&restored_url).await;
    assert_eq!(
        original.shapes, restored.shapes,
        "the same tables and columns"
    );
    crate::tables::assert_same_rows("restored against original", &original.rows, &restored.rows);
    assert_eq!(
        crate::tables::sqlite_schema(&original_url).await,
        crate::tables::sqlite_schema(&restored_url).await
    );

    let out = mtp_in(&fresh, &["restore", &backup_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already holds a database"),
        "{}",
        stderr(&out)
    );
    let out = mtp_in(&fresh, &["restore", "--force", &backup_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("is kept as"), "{}", stdout(&out));
    let aside: Vec<String> = names(&fresh)
        .into_iter()
        .filter(|n| n.starts_with("mtp.sqlite.replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", names(&fresh));
    let kept = crate::tables::rows_of(&sqlite_url(&fresh.join(&aside[0])), &restored.shapes).await;
    crate::tables::assert_same_rows("the database moved aside", &restored.rows, &kept);

    {
        let (_server, url) = serve(&restored_url.replace("mode=rw", "mode=rwc"), &fresh);
        let mut c = crate::helpers::Client::new(&url);
        c.login(&logins["admin"]).await;
        // Not while a server has the database open: it would write on into the moved file.
        let out = mtp_in(&fresh, &["restore", "--force", &backup_arg]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("is still open in another process"),
            "{}",
            stderr(&out)
        );
        let aside_now = names(&fresh)
            .into_iter()
            .filter(|n| n.starts_with("mtp.sqlite.replaced-"))
            .count();
        assert_eq!(aside_now, 1, "{:?}", names(&fresh));
        assert!(c.get("/").await.status.is_success(), "the server goes on");
    }
    for d in [&fresh, &dir] {
        let _ = std::fs::remove_dir_all(d);
    }
    if let Some(d) = backup.parent() {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// What `mtp restore` refuses, even with `--force`, and that the data dir (database, log,
/// key) is left byte for byte as it was: a file that is not a database, a damaged one (cut
/// short; a page overwritten), an SQLite database of something else, a backup whose audit
/// chain does not verify, and a backup from a newer release (a migration this build does not
/// know).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_or_newer_backup_is_refused_and_the_data_dir_is_left_alone() {
    use sea_orm::ConnectionTrait;
    let (dir, _, backup) = demo_with_backup().await;
    let bytes = std::fs::read(&backup).unwrap();
    let work = backup.parent().expect("no parent").to_path_buf();
    let write = |name: &str, data: &[u8]| {
        let p = work.join(name);
        std::fs::write(&p, data).unwrap();
        p
    };
    let sql = |file: &Path, statements: &'static [&'static str]| {
        let url = format!("sqlite://{}?mode=rwc", file.display());
        async move {
            let db = sea_orm::Database::connect(&url).await.unwrap();
            for s in statements {
                db.execute_unprepared(s)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
            let _ = db.close().await;
        }
    };

    let text = write("notes.sqlite", b"dit is geen database\n");
    let cut = write("cut.sqlite", &bytes[..bytes.len() / 2]);
    // A page in the middle of the file overwritten: the header and the schema still read.
    let page = 4096;
    let middle = (bytes.len() / page / 2) * page;
    let mut bent = bytes.clone();
    bent[middle..middle + page].fill(0xA5);
    let bent = write("bent.sqlite", &bent);
    let newer = write("newer.sqlite", &bytes);
    sql(
        &newer,
        &[
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)",
            "PRAGMA journal_mode = DELETE",
        ],
    )
    .await;
    // The head of a chain moved on without its event, as when events are cut off the end.
    let broken = write("broken.sqlite", &bytes);
    sql(
        &broken,
        &[
            "UPDATE audit_head SET seq = seq + 1",
            "PRAGMA journal_mode = DELETE",
        ],
    )
    .await;
    let other = work.join("other.sqlite");
    sql(
        &other,
        &[
            "CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)",
            "PRAGMA journal_mode = DELETE",
        ],
    )
    .await;

    let before = files(&dir);
    assert!(before.contains_key("mtp.sqlite") && before.contains_key("secret.key"));
    for (file, says) in [
        (&text, "is not an SQLite database"),
        (&cut, "is damaged and was not restored"),
        (&bent, "is damaged and was not restored"),
        (&other, "not one of Meet the Parents"),
        (&broken, "the audit trail in"),
        (
            &newer,
            "comes from a newer release of mtp: it has the migration(s) m20991231_000001_from_the_future",
        ),
    ] {
        let out = mtp_in(&dir, &["restore", "--force", &file.display().to_string()]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            file.display(),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(says) && stderr(&out).contains("Nothing was changed"),
            "{}: {}",
            file.display(),
            stderr(&out)
        );
        assert_eq!(
            files(&dir),
            before,
            "{} left the data dir changed",
            file.display()
        );
    }
    // Without --force too, the file's own fault is named, not the database already there.
    let out = mtp_in(&dir, &["restore", &cut.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
    assert_eq!(files(&dir), before);
    // The same backup, unharmed, is restored (the checks above refused for the harm alone).
    let out = mtp_in(&dir, &["restore", "--force", &backup.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&work);
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL is restored with pg_restore; `mtp restore` says so and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_on_postgres_points_to_pg_restore() {
    let Some((db, dir)) = fresh_database(Backend::Postgres).await else {
        eprintln!("MTP_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
        return;
    };
    let out = mtp(&db, &dir, &["restore", "/nonexistent/backup.sqlite"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pg_restore"), "{}", stderr(&out));
}

/// `mtp refresh` after a write that did not keep what the rows keep (as a server of the
/// release before does during a rolling release): it says what had drifted, and afterwards
/// nothing has; a second run finds nothing.
async fn refresh_recomputes_what_the_rows_keep(backend: Backend) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let Some((db, dir)) = fresh_database(backend).await else {
        return;
    };
    let out = mtp(&db, &dir, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // As an old server would leave them: a household's consent and visits not kept, and
    // of other households the latest visit and the parents' days.
    let conn = sea_orm::Database::connect(&db).await.unwrap();
    let stale_days = Query::update()
        .table(Alias::new("household"))
        .value(Alias::new("last_visit_at"), Expr::cust("NULL"))
        .value(Alias::new("parent_days"), "")
        .and_where(Expr::col(Alias::new("research_consent")).eq(false))
        .and_where(Expr::col(Alias::new("last_visit_at")).is_not_null())
        .and_where(Expr::col(Alias::new("parent_days")).ne(""))
        .to_owned();
    let changed_days = conn.execute(&stale_days).await.unwrap().rows_affected();
    assert!(changed_days > 0, "the demo has households that came");
    let stale = Query::update()
        .table(Alias::new("household"))
        .value(Alias::new("research_consent"), false)
        .value(Alias::new("visit_log"), "")
        .and_where(Expr::col(Alias::new("research_consent")).eq(true))
        .to_owned();
    let changed = conn.execute(&stale).await.unwrap().rows_affected();
    assert!(changed > 0, "the demo has households with research consent");
    let _ = conn.close().await;

    let out = mtp(&db, &dir, &["refresh"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = stdout(&out);
    assert!(
        said.contains(&format!(
            "{} households' parents, children or research consent",
            changed + changed_days
        )),
        "{said}"
    );
    let visits: u64 = said
        .split(" households' visits")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of households' visits in {said}"));
    assert!(visits >= changed_days, "{said}");
    let out = mtp(&db, &dir, &["refresh"]);
    assert_eq!(
        stdout(&out).trim(),
        "recomputed from the records; drifted before: 0 households' visits, 0 sessions' attendance counts, 0 households' parents, children or research consent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_sqlite() {
    refresh_recomputes_what_the_rows_keep(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_postgres() {
    refresh_recomputes_what_the_rows_keep(Backend::Postgres).await;
}

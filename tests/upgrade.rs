//! Upgrades: a database made at an earlier schema, brought up to date by this build's
//! migrations, keeps every row, and the app serves it. The SQLite databases are committed
//! fixtures (`tests/fixtures/upgrade/<last migration>/`, see the README there); the
//! PostgreSQL one is built by the test at the newest fixture's schema and goes through
//! pg_dump and pg_restore first.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::cli::{demo_logins, new_dir, serve, serve_with, stderr, stdout};
use crate::helpers::{Client, Login, empty_postgres_database};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/upgrade");

/// Tables an upgrade may add rows to; every row they had must still be there, unchanged. Only
/// the migrations' own record today. A migration meant to add rows to a table of the fixture
/// (seeding defaults) names that table here, in the same commit, so that adding rows is a
/// decision someone made and not an accident that passes unseen.
///
/// Migration 000032 moves the costs booked on outings into the expense ledger (`expense`
/// grows by them, with their own ids) and puts a view of the ledger in place of
/// `outing_cost`: every cost it had is still there, unchanged, next to the outings' other
/// entries of the ledger.
const MAY_GROW: &[&str] = &["seaql_migrations", "expense", "outing_cost"];

/// Columns a migration was meant to rewrite or drop, left out of the comparison, each with
/// the migration and the test that checks what it does instead. Like [`MAY_GROW`], a
/// migration that needs one names it here in the same commit. Migration 000034 drops the
/// activity's free-text co-organisers and adds their text to the end of the description
/// (tests/activities.rs, `co_organisers_migration`); every other column of `activity` is
/// still compared.
const REWRITTEN: &[(&str, &[&str])] = &[("activity", &["co_organisers", "description"])];

/// A database's snapshot over the columns an upgrade must keep as they were.
async fn kept_snapshot(url: &str) -> crate::tables::Snapshot {
    let mut shapes = crate::tables::shapes(url).await;
    for shape in &mut shapes {
        if let Some((_, columns)) = REWRITTEN.iter().find(|(t, _)| *t == shape.name) {
            shape.columns.retain(|c| !columns.contains(&c.as_str()));
        }
    }
    let rows = crate::tables::rows_of(url, &shapes).await;
    crate::tables::Snapshot { shapes, rows }
}

/// One committed fixture: a folder named after the last migration its database has.
struct Fixture {
    schema: String,
    dir: PathBuf,
}

/// The fixtures, oldest schema first.
fn fixtures() -> Vec<Fixture> {
    let mut out: Vec<Fixture> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|e| panic!("{FIXTURES}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("mtp.sqlite.zip").is_file())
        .map(|dir| Fixture {
            schema: dir
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.schema.cmp(&b.schema));
    assert!(!out.is_empty(), "no fixture in {FIXTURES}");
    out
}

impl Fixture {
    /// The database and its key, unpacked into a fresh data dir.
    fn unpack(&self) -> PathBuf {
        let data = new_dir();
        let zipped = std::fs::File::open(self.dir.join("mtp.sqlite.zip"))
            .unwrap_or_else(|e| panic!("{}: {e}", self.dir.display()));
        let mut archive = zip::ZipArchive::new(zipped).unwrap();
        let mut inner = archive
            .by_name("mtp.sqlite")
            .expect("mtp.sqlite in the zip");
        let mut db = std::fs::File::create(data.join("mtp.sqlite")).unwrap();
        std::io::copy(&mut inner, &mut db).unwrap();
        std::fs::copy(self.dir.join("secret.key"), data.join("secret.key")).unwrap();
        data
    }

    fn key(&self) -> String {
        std::fs::read_to_string(self.dir.join("secret.key"))
            .unwrap()
            .trim()
            .to_string()
    }

    /// The demo's accounts as `mtp demo` printed them when the fixture was made.
    fn login(&self, label: &str) -> Login {
        let text = std::fs::read_to_string(self.dir.join("logins.txt")).unwrap();
        demo_logins(&text)
            .remove(label)
            .unwrap_or_else(|| panic!("no {label} in logins.txt"))
    }
}

fn mtp(db: &str, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtp"))
        .args(args)
        .env_remove("MTP_SECRET_KEY")
        .envs(env.iter().copied())
        .env("MTP_DATABASE_URL", db)
        .env("MTP_DATA_DIR", dir)
        .env("MTP_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("mtp {args:?}: {e}"))
}

/// Every committed SQLite fixture, copied to a temporary data dir with its key, is brought up
/// to date by this build's `mtp migrate`; then every table the fixture had keeps its row
/// count and every row its checksum (over the fixture's columns: a column a migration adds
/// does not count, one it drops or renames fails the read), no migration is left, and
/// `mtp serve` starts on it (opening its sealed keys with the fixture's key) and lets the
/// demo's administrator sign in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_fixtures_upgrade_with_every_row_intact() {
    for fixture in fixtures() {
        let dir = fixture.unpack();
        let url = format!("sqlite://{}?mode=rw", dir.join("mtp.sqlite").display());
        let fit = mtp_store::restore::inspect_sqlite(&url)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e:?}", fixture.schema));
        assert_eq!(
            fit.schema, fixture.schema,
            "the fixture's folder names its schema"
        );
        let before = kept_snapshot(&url).await;

        let out = mtp(&url, &dir, &[], &["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("database is up to date"));

        let after = crate::tables::rows_of(&url, &before.shapes).await;
        crate::tables::assert_kept_rows(
            &format!("{} upgraded", fixture.schema),
            &before.rows,
            &after,
            MAY_GROW,
        );
        let now = mtp_store::restore::inspect_sqlite(&url)
            .await
            .unwrap()
            .unwrap();
        assert!(now.pending.is_empty(), "left: {:?}", now.pending);

        {
            let (_server, base) = serve(&url, &dir);
            Client::new(&base).login(&fixture.login("admin")).await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL's path through a release: a database at the newest fixture's schema (this
/// build's migrations up to that one only), filled through the store with the demo (the
/// generator the SQLite fixture was made with) and a sealed installation key, is dumped with
/// `pg_dump --format=custom`, restored with `pg_restore --no-owner` into a fresh database,
/// and brought up to date with `mtp migrate`. Every table of the first database keeps its
/// row count and every row its checksum (over the columns it had) in the second, and
/// `mtp serve` with the same key serves it to the demo's administrator.
///
/// How it catches a future migration that loses rows: today the newest fixture is at the
/// newest migration, so `migrate_up_to` runs every migration, `mtp migrate` finds nothing to
/// do, and the test proves the dump-and-restore path alone. Once a migration newer than the
/// fixture exists, the first database stays at the fixture's schema and the new migration
/// runs on the restored dump: a row it deletes, a value it rewrites or a column it drops
/// shows up as a missing row, a changed checksum or a failed read. If the store of that day
/// can no longer write the fixture's schema (it fills a column the new migration adds), the
/// demo load fails at once with the column's name: then add a fixture at the newer schema
/// (tests/fixtures/upgrade/README.md) and this test moves up with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_dump_restore_and_upgrade_keep_every_row() {
    let Some(first) = empty_postgres_database().await else {
        assert!(
            std::env::var("MTP_TEST_POSTGRES_URL").is_err(),
            "MTP_TEST_POSTGRES_URL is set but no database was made"
        );
        eprintln!("MTP_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
        return;
    };
    let Some(second) = empty_postgres_database().await else {
        panic!("no second PostgreSQL database");
    };
    let fixture = fixtures().pop().expect("no fixture");
    mtp_store::restore::migrate_up_to(&first, &fixture.schema)
        .await
        .unwrap_or_else(|e| panic!("migrating to {}: {e}", fixture.schema));
    let key = fixture.key();
    let store = mtp_store::Store::connect(&first, 2)
        .await
        .unwrap()
        .with_seal_key(Some(mtp_store::sealing::SealKey::from_hex(&key).unwrap()));
    let logins = mtp::demo::load(&store)
        .await
        .unwrap_or_else(|e| panic!("the demo at {}: {e:#}", fixture.schema));
    store.secret("web").await.unwrap();
    let _ = store.close().await;
    let before = kept_snapshot(&first).await;

    let work = new_dir();
    let dump = work.join("mtp.dump").display().to_string();
    run("pg_dump", &["--format=custom", "--file", &dump, &first]);
    run(
        "pg_restore",
        &["--no-owner", "--exit-on-error", "--dbname", &second, &dump],
    );
    let out = mtp(&second, &work, &[], &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let after = crate::tables::rows_of(&second, &before.shapes).await;
    crate::tables::assert_kept_rows(
        &format!("{} dumped, restored and upgraded", fixture.schema),
        &before.rows,
        &after,
        MAY_GROW,
    );

    let admin = logins
        .into_iter()
        .find(|l| l.label == "admin")
        .expect("no admin in the demo");
    {
        let (_server, base) = serve_with(&second, &work, &[("MTP_SECRET_KEY", &key)]);
        Client::new(&base)
            .login(&Login {
                email: admin.email,
                password: admin.password,
            })
            .await;
    }
    let _ = std::fs::remove_dir_all(&work);
}

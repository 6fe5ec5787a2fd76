//! What `mtp restore` asks of an SQLite file before it lets the file replace a database, and
//! the migration steps the upgrade tests take one by one. The file handling (temporary copy,
//! rename, the key file) is the binary's; the SQL is here, like all SQL.

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait};
use sea_orm_migration::{MigratorTrait, seaql_migrations};

use crate::migration::Migrator;
use crate::{Result, StoreError};

/// The names of the migrations this build knows, oldest first (the names in
/// `seaql_migrations.version`).
pub fn migration_names() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

/// Run the migrations up to and including `last`, and no further: the upgrade tests build a
/// database at the schema of an older release this way. Refuses a name this build does not
/// know. Like [`crate::Store::migrate`], on one connection of its own.
pub async fn migrate_up_to(url: &str, last: &str) -> Result<()> {
    let names = migration_names();
    let Some(at) = names.iter().position(|n| n == last) else {
        return Err(StoreError::Db(sea_orm::DbErr::Custom(format!(
            "no migration named {last} in this build"
        ))));
    };
    let db = Database::connect(crate::options(url, 1)).await?;
    let done = Migrator::get_applied_migrations(&db).await?.len();
    // `up` counts steps from the first pending migration, not from the start.
    let steps = (at + 1).saturating_sub(done);
    if steps > 0 {
        Migrator::up(&db, Some(steps as u32)).await?;
    }
    db.close().await?;
    Ok(())
}

/// Why an SQLite file cannot be restored. Each says what is wrong with the file itself; the
/// caller adds where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfit {
    /// SQLite cannot read it, or `PRAGMA integrity_check` reports damage (the first lines).
    Damaged(String),
    /// An SQLite database, but without the migration table every Meet the Parents database has.
    NotOurs,
    /// Migrations this build does not know: the file comes from a newer release.
    Newer(Vec<String>),
}

/// An SQLite file that may be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// The last migration the file has (in this build's order).
    pub schema: String,
    /// The migrations this build will still run on it.
    pub pending: Vec<String>,
}

/// Check an SQLite database file (`sqlite://…` URL) for restoring: it opens, it passes
/// `PRAGMA integrity_check`, and it has no migration this build does not know. Reads only;
/// the outer error is for the case where not even the question could be asked.
pub async fn inspect_sqlite(url: &str) -> Result<std::result::Result<Fit, Unfit>> {
    // A plain connection: no WAL switch, no foreign keys, no create-if-missing, so that a
    // file that is not a database is reported as such instead of being turned into one.
    let mut opt = ConnectOptions::new(url.to_string());
    opt.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    opt.map_sqlx_sqlite_opts(|o| o.create_if_missing(false));
    let db = match Database::connect(opt).await {
        Ok(db) => db,
        Err(e) => return Ok(Err(Unfit::Damaged(e.to_string()))),
    };
    let answer = inspect(&db).await;
    let _ = db.close().await;
    Ok(answer)
}

async fn inspect(db: &DatabaseConnection) -> std::result::Result<Fit, Unfit> {
    let damaged = |e: sea_orm::DbErr| Unfit::Damaged(e.to_string());
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            // 20 lines are enough to say what is wrong; the whole list can be thousands.
            "PRAGMA integrity_check(20)",
        ))
        .await
        .map_err(damaged)?;
    let lines: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    if lines != ["ok"] {
        return Err(Unfit::Damaged(if lines.is_empty() {
            "the integrity check gave no answer".into()
        } else {
            lines.join("; ")
        }));
    }
    let has_table = sea_orm_migration::SchemaManager::new(db)
        .has_table("seaql_migrations")
        .await
        .map_err(damaged)?;
    if !has_table {
        return Err(Unfit::NotOurs);
    }
    let applied: Vec<String> = seaql_migrations::Entity::find()
        .all(db)
        .await
        .map_err(damaged)?
        .into_iter()
        .map(|m| m.version)
        .collect();
    let known = migration_names();
    let mut newer: Vec<String> = applied
        .iter()
        .filter(|v| !known.contains(v))
        .cloned()
        .collect();
    if !newer.is_empty() {
        newer.sort();
        return Err(Unfit::Newer(newer));
    }
    let schema = known
        .iter()
        .rev()
        .find(|n| applied.contains(n))
        .cloned()
        .unwrap_or_default();
    let pending = known.into_iter().filter(|n| !applied.contains(n)).collect();
    Ok(Fit { schema, pending })
}

/// What [`settle_sqlite`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The database is in one file now, in rollback-journal mode.
    OneFile,
    /// Another process has the database open (a server that still runs): SQLite does not
    /// leave WAL mode then. Nothing was changed.
    InUse,
}

/// Leave an SQLite file whole in one file: write the write-ahead log back into it and switch
/// to the rollback journal, so that renaming the one file moves the whole database. The
/// server switches it back to WAL when it opens it. Leaving WAL needs the only connection to
/// the file, so this also tells whether a server still has it open: every `mtp serve` keeps
/// at least one connection open, idle or not.
pub async fn settle_sqlite(url: &str) -> Result<Settled> {
    let mut opt = ConnectOptions::new(url.to_string());
    opt.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    opt.map_sqlx_sqlite_opts(|o| {
        o.create_if_missing(false)
            .busy_timeout(std::time::Duration::from_secs(2))
    });
    let db = Database::connect(opt).await?;
    let answer = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "PRAGMA journal_mode = DELETE",
        ))
        .await;
    let _ = db.close().await;
    let mode = match answer {
        Ok(row) => row
            .and_then(|r| r.try_get_by_index::<String>(0).ok())
            .unwrap_or_default(),
        // SQLITE_BUSY's words: another connection holds the file.
        Err(e) if e.to_string().contains("database is locked") => return Ok(Settled::InUse),
        Err(e) => return Err(e.into()),
    };
    // SQLite answers with the mode it stayed in when it could not switch.
    Ok(if mode.eq_ignore_ascii_case("delete") {
        Settled::OneFile
    } else {
        Settled::InUse
    })
}

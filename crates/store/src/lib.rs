//! Storage: one code path for SQLite and PostgreSQL.
//!
//! Every repository call that touches tenant data takes the organisation id (and where it
//! applies a neighbourhood) from the caller's tenant context, and every query filters on it.
//! Nothing outside this crate writes SQL or sees an entity.

mod entities;
mod migration;

pub mod accounts;
pub mod activities;
pub mod audit;
pub mod calendar;
pub mod chat;
pub mod encourage;
mod group_commit;
pub mod help_referrals;
pub mod history;
pub mod holidays;
pub mod household_facts;
pub mod households;
pub mod imports;
pub mod jobs;
pub mod money;
pub mod orgs;
pub mod outings;
pub mod partners;
pub mod password;
pub mod portal;
pub mod privacy;
pub mod questionnaires;
pub mod quiet;
pub mod quotes;
pub mod ratelimit;
pub mod referral_addresses;
pub mod referral_figures;
pub mod referrals;
pub mod reflections;
mod register;
pub mod reports;
pub mod research;
pub mod restore;
pub mod scan;
pub mod sealing;
pub mod secrets;
pub mod sessions;
pub mod sign_in;
pub mod talent;
mod visit_marks;
pub mod wishes;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;
use thiserror::Error;

pub use accounts::{Account, AccountUpdate, NewAccount};
pub use activities::{Activity, ActivityDraft, Registered, Registrant, SessionSummary};
pub use audit::{AuditEntry, AuditFilter, ChainReport, NewAuditEvent};
pub use chat::{ChatMember, ChatPost};
pub use encourage::{FollowUp, NewContact, Worklist, WorklistCard};
pub use help_referrals::{HelpReferral, HelpReferralTask};
pub use history::{PastConsent, PastContact};
pub use holidays::{Changed, StoredHoliday};
pub use households::{
    Attended, Child, ChildDraft, Household, HouseholdDraft, HouseholdEvent, HouseholdFilter,
    HouseholdSummary, Parent, ParentDraft,
};
pub use imports::{ImportBatch, KnownContacts};
pub use orgs::{FirstRun, Neighbourhood, Organisation, TargetGroup};
pub use partners::{Briefing, Partner, PartnerContact, PartnerDetail, PartnerFilter};
pub use privacy::RetentionReport;
pub use quiet::QuietProposal;
pub use quotes::Quote;
pub use reports::ReportRows;
pub use scan::{ActionPlan, DoneStep, Informant, ScanFigures};
pub use sessions::{
    AttendanceLine, Checkin, CheckinOutcome, HouseholdName, PastAttendance, PastRota, RsvpLine,
    SessionDetail, SessionLine, StaffLine, Tap,
};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("not found")]
    NotFound,
    /// Within the tenant, but not for this role (a host and a past session).
    #[error("forbidden")]
    Forbidden,
    /// A unique key refused the write; the payload names the form field it belongs to.
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    /// The first-run set-up was already done.
    #[error("already set up")]
    AlreadySetUp,
    #[error("password hashing failed")]
    Hash,
    /// A rule of the handbook refused the change; the payload is the Fluent key of the
    /// message that says why.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// A sealed secret could not be sealed or opened: no key, or not the key it was sealed
    /// with (docs/security.md, "Secrets at rest").
    #[error(
        "a sealed secret cannot be opened: MTP_SECRET_KEY is missing or not the key it was sealed with"
    )]
    Sealing,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the application database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// On SQLite, writers of the hot paths (check-in, audit entries) queue here instead of in
    /// SQLite's busy handler, which sleeps in steps of milliseconds when the write lock is
    /// taken. One writer at a time is all SQLite allows anyway. `None` on PostgreSQL, where
    /// row locks let writers run side by side.
    write_gate: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// Check-ins waiting for the next group commit (`group_commit.rs`).
    checkins: group_commit::Queue,
    /// Recent sign-in lookups of this process (`sign_in.rs`).
    sign_ins: std::sync::Arc<sign_in::SignIns>,
    /// Seals TOTP seeds and HMAC keys at rest (`sealing.rs`); `None` stores them plain.
    seal_key: Option<std::sync::Arc<sealing::SealKey>>,
}

/// Both SQLite and PostgreSQL give back microseconds unchanged; nanoseconds would not survive
/// PostgreSQL and would break the audit chain's hashes.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

pub fn is_sqlite_url(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Rows SQLite's reading thread may run ahead of the request that reads them.
const ROW_BUFFER: usize = 1024;

fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut opt = ConnectOptions::new(url.to_string());
    // No idle timeout and no maximum lifetime: with either, sqlx 0.9.0 runs a pool
    // maintenance task whose idle count can wrap below zero in a race and then spins a
    // runtime thread for good (transact-rs/sqlx#3645, fixed upstream after 0.9.0), which hung
    // a whole server in the test suite. A connection is still checked before it is handed
    // out (sqlx's test-before-acquire), so one the database closed is replaced. Decision (al).
    opt.max_connections(max_connections)
        .min_connections(1)
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if is_sqlite_url(url) {
        opt.map_sqlx_sqlite_opts(|o| {
            // WAL lets readers go on while one writer writes; FULL makes every acknowledged
            // commit reach the disk before we answer, so it survives a killed process and a
            // power cut. busy_timeout makes a second writer wait instead of failing.
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
                // The driver hands rows from its own thread through a queue of this many; at
                // its default of 50 a page of the research export or a report's read stops the
                // reading thread forty times to wait for the reader (docs/benchmarks.md).
                .row_buffer_size(ROW_BUFFER)
        });
    }
    opt
}

impl Store {
    /// Run all pending migrations. On SQLite this uses its own single connection: the
    /// migrator toggles pragmas per statement, which on a pool could land on different
    /// connections.
    pub async fn migrate(url: &str) -> Result<()> {
        let db = Database::connect(options(url, 1)).await?;
        migration::Migrator::up(&db, None).await?;
        db.close().await?;
        Ok(())
    }

    /// Open the pool. `max_connections` is the pool size for PostgreSQL; SQLite gets a few
    /// connections for concurrent readers.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store> {
        let n = if is_sqlite_url(url) {
            4
        } else {
            max_connections.max(1)
        };
        let db = Database::connect(options(url, n)).await?;
        let write_gate =
            is_sqlite_url(url).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Store {
            db,
            write_gate,
            checkins: group_commit::Queue::default(),
            sign_ins: Default::default(),
            seal_key: None,
        })
    }

    /// Seal secrets at rest with this key from now on.
    pub fn with_seal_key(mut self, key: Option<sealing::SealKey>) -> Store {
        self.seal_key = key.map(std::sync::Arc::new);
        self
    }

    /// Remember sign-in lookups this long instead of [`sign_in::REMEMBER_SIGN_IN`]; zero
    /// reads every one from the database.
    pub fn with_sign_in_memory(mut self, ttl: std::time::Duration) -> Store {
        self.sign_ins = std::sync::Arc::new(sign_in::SignIns::for_ttl(ttl));
        self
    }

    /// Begin a write transaction of a hot path; on SQLite, after waiting for the write gate.
    /// Keep the guard until the transaction has ended.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<(
        Option<tokio::sync::OwnedMutexGuard<()>>,
        sea_orm::DatabaseTransaction,
    )> {
        let guard = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        // IMMEDIATE takes SQLite's write lock at BEGIN. The group commit reads before it
        // writes; in a deferred transaction a writer outside the gate (a sign-in, a form)
        // committing between that read and the first write would fail the group with
        // SQLITE_BUSY at once, without the busy handler. PostgreSQL ignores the option.
        let options = sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok((
            guard,
            sea_orm::TransactionTrait::begin_with_options(&self.db, options).await?,
        ))
    }

    pub fn is_sqlite(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Sqlite
    }

    /// Whether the database answers; used by `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Whether migrations are all applied; `/readyz` fails until they are.
    pub async fn pending_migrations(&self) -> Result<usize> {
        Ok(migration::Migrator::get_pending_migrations(&self.db)
            .await?
            .len())
    }

    /// Copy a live SQLite database to a file with `VACUUM INTO`, which reads one consistent
    /// snapshot while the application keeps writing.
    pub async fn backup_sqlite(&self, target: &str) -> Result<()> {
        let quoted = target.replace('\'', "''");
        self.db
            .execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await?;
        Ok(())
    }

    /// Refresh the planner's statistics; worth it after a bulk load (both databases know
    /// `ANALYZE`).
    pub async fn analyze(&self) -> Result<()> {
        self.db.execute_unprepared("ANALYZE").await?;
        Ok(())
    }

    pub async fn close(self) -> Result<()> {
        self.db.close().await?;
        Ok(())
    }
}

/// Map a unique-key violation to a duplicate error naming the form field; pass other errors on.
pub(crate) fn unique_violation(err: DbErr, field: &'static str) -> StoreError {
    let text = err.to_string().to_lowercase();
    if text.contains("unique") || text.contains("duplicate key") {
        StoreError::Duplicate(field)
    } else {
        StoreError::Db(err)
    }
}

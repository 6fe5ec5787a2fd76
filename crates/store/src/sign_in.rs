//! Sign-in sessions, kept in the database so that any app server can serve any request.
//!
//! The browser holds a random token; the database holds only its SHA-256, so a copy of the
//! database does not let anyone sign in.

use chrono::Duration;
use rand::RngCore;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::accounts::{Account, revoke_sessions, to_account};
use crate::entities::{account, account_neighbourhood, auth_session, organisation};
use crate::orgs::Organisation;
use crate::{Result, Store, now};

/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_LIFETIME: Duration = Duration::hours(12);
/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::hours(2);
/// The time someone has to type their security code after their password.
pub const SECOND_FACTOR_WINDOW: Duration = Duration::minutes(10);
/// How stale `last_seen_at` may get before a request writes it again; saves a write per request.
const TOUCH_EVERY: Duration = Duration::minutes(5);

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long this process may answer the sign-in lookup of a token from memory, unless the
/// server is started with another value (`MTP_SIGN_IN_MEMORY_MS`; 0 turns it off). Every signed-in
/// request starts with that lookup, and on SQLite it was half of a check-in's round trips to
/// the database (docs/benchmarks.md). A change of an account, its neighbourhoods, its
/// organisation or its sessions made through this process forgets everything at once; one made
/// on another app server or by `mtp user …` takes effect here within this time (decision (ae)).
pub const REMEMBER_SIGN_IN: std::time::Duration = std::time::Duration::from_secs(2);

/// The most tokens remembered at once; beyond it the stale ones go, or all.
const REMEMBER_AT_MOST: usize = 10_000;

/// Recent sign-in lookups of this process (see [`REMEMBER_SIGN_IN`]).
#[derive(Debug)]
pub(crate) struct SignIns {
    /// How long a lookup is remembered; zero remembers nothing.
    ttl: std::time::Duration,
    generation: std::sync::atomic::AtomicU64,
    recent: std::sync::Mutex<std::collections::HashMap<String, Remembered>>,
}

#[derive(Debug)]
struct Remembered {
    at: std::time::Instant,
    generation: u64,
    /// The session ends at the earlier of its absolute end and its idle end.
    ends: chrono::DateTime<chrono::Utc>,
    info: SessionInfo,
}

impl Default for SignIns {
    fn default() -> Self {
        SignIns::for_ttl(REMEMBER_SIGN_IN)
    }
}

impl SignIns {
    pub(crate) fn for_ttl(ttl: std::time::Duration) -> Self {
        SignIns {
            ttl,
            generation: Default::default(),
            recent: Default::default(),
        }
    }

    fn recall(&self, hash: &str) -> Option<SessionInfo> {
        if self.ttl.is_zero() {
            return None;
        }
        let generation = self.generation.load(std::sync::atomic::Ordering::Acquire);
        let recent = self.recent.lock().ok()?;
        let r = recent.get(hash)?;
        (r.generation == generation && r.at.elapsed() < self.ttl && now() < r.ends)
            .then(|| r.info.clone())
    }

    fn remember(
        &self,
        hash: String,
        generation: u64,
        ends: chrono::DateTime<chrono::Utc>,
        info: SessionInfo,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut recent) = self.recent.lock() else {
            return;
        };
        if recent.len() >= REMEMBER_AT_MOST {
            let ttl = self.ttl;
            recent.retain(|_, r| r.at.elapsed() < ttl);
            if recent.len() >= REMEMBER_AT_MOST {
                recent.clear();
            }
        }
        recent.insert(
            hash,
            Remembered {
                at: std::time::Instant::now(),
                generation,
                ends,
                info,
            },
        );
    }

    /// Forget every remembered lookup: something they were made of has changed.
    pub(crate) fn forget_all(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        if let Ok(mut recent) = self.recent.lock() {
            recent.clear();
        }
    }
}

/// A live session and the account it belongs to.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub account: Account,
    pub org: Organisation,
    /// False while the account still has to give its security code.
    pub second_factor_done: bool,
}

impl Store {
    /// Start a new session and return the token for the cookie. Called at every sign-in step,
    /// so the token changes when privilege changes (no session fixation).
    pub async fn create_session(
        &self,
        account: &Account,
        second_factor_done: bool,
    ) -> Result<String> {
        let token = random_token();
        let t = now();
        let expires = if second_factor_done {
            t + ABSOLUTE_LIFETIME
        } else {
            t + SECOND_FACTOR_WINDOW
        };
        auth_session::ActiveModel {
            token_hash: Set(token_hash(&token)),
            org_id: Set(account.org_id),
            account_id: Set(account.id),
            second_factor_done: Set(second_factor_done),
            created_at: Set(t),
            last_seen_at: Set(t),
            expires_at: Set(expires),
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    /// The session behind a cookie token, if it is live and its account is not disabled.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>> {
        let hash = token_hash(token);
        if let Some(info) = self.sign_ins.recall(&hash) {
            return Ok(Some(info));
        }
        // Taken before the read: a change that lands during it makes this lookup stale at once.
        let generation = self
            .sign_ins
            .generation
            .load(std::sync::atomic::Ordering::Acquire);
        let Some((s, acc, org, neighbourhoods)) = self.session_with_account(&hash).await? else {
            return Ok(None);
        };
        let t = now();
        if s.expires_at <= t || s.last_seen_at + IDLE_TIMEOUT <= t {
            self.end_session(token).await?;
            return Ok(None);
        }
        if acc.disabled {
            return Ok(None);
        }
        if s.last_seen_at + TOUCH_EVERY <= t {
            auth_session::Entity::update_many()
                .col_expr(auth_session::Column::LastSeenAt, t.into())
                .filter(auth_session::Column::TokenHash.eq(hash.as_str()))
                .exec(&self.db)
                .await?;
        }
        let info = SessionInfo {
            account: to_account(acc, neighbourhoods),
            org: Organisation::from(org),
            second_factor_done: s.second_factor_done,
        };
        let seen = if s.last_seen_at + TOUCH_EVERY <= t {
            t
        } else {
            s.last_seen_at
        };
        let ends = std::cmp::min(s.expires_at, seen + IDLE_TIMEOUT);
        self.sign_ins.remember(hash, generation, ends, info.clone());
        Ok(Some(info))
    }

    /// The session row, its account, the organisation and the account's neighbourhoods in one
    /// round trip (one row per neighbourhood): this runs before every signed-in request.
    async fn session_with_account(
        &self,
        hash: &str,
    ) -> Result<
        Option<(
            auth_session::Model,
            account::Model,
            organisation::Model,
            Vec<Uuid>,
        )>,
    > {
        let mut q = Query::select();
        q.from(auth_session::Entity)
            .inner_join(
                account::Entity,
                Expr::col((account::Entity, account::Column::Id))
                    .equals((auth_session::Entity, auth_session::Column::AccountId))
                    .and(
                        Expr::col((account::Entity, account::Column::OrgId))
                            .equals((auth_session::Entity, auth_session::Column::OrgId)),
                    ),
            )
            .inner_join(
                organisation::Entity,
                Expr::col((organisation::Entity, organisation::Column::Id))
                    .equals((auth_session::Entity, auth_session::Column::OrgId)),
            )
            .left_join(
                account_neighbourhood::Entity,
                Expr::col((
                    account_neighbourhood::Entity,
                    account_neighbourhood::Column::AccountId,
                ))
                .equals((account::Entity, account::Column::Id))
                .and(
                    Expr::col((
                        account_neighbourhood::Entity,
                        account_neighbourhood::Column::OrgId,
                    ))
                    .equals((account::Entity, account::Column::OrgId)),
                ),
            )
            .and_where(Expr::col((auth_session::Entity, auth_session::Column::TokenHash)).eq(hash));
        select_prefixed::<auth_session::Entity>(&mut q, "s_");
        select_prefixed::<account::Entity>(&mut q, "a_");
        select_prefixed::<organisation::Entity>(&mut q, "o_");
        q.expr_as(
            Expr::col((
                account_neighbourhood::Entity,
                account_neighbourhood::Column::NeighbourhoodId,
            )),
            Alias::new("n_id"),
        );
        let rows = self.db.query_all(&q).await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let s = auth_session::Model::from_query_result(first, "s_")?;
        let a = account::Model::from_query_result(first, "a_")?;
        let o = organisation::Model::from_query_result(first, "o_")?;
        let mut neighbourhoods = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(id) = r.try_get::<Option<Uuid>>("", "n_id")? {
                neighbourhoods.push(id);
            }
        }
        Ok(Some((s, a, o, neighbourhoods)))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        auth_session::Entity::delete_by_id(token_hash(token))
            .exec(&self.db)
            .await?;
        self.sign_ins.forget_all();
        Ok(())
    }

    /// End every session of an account ("sign out everywhere"); returns how many ended.
    pub async fn end_all_sessions(&self, org_id: Uuid, account_id: Uuid) -> Result<u64> {
        let n = revoke_sessions(&self.db, org_id, account_id).await;
        self.sign_ins.forget_all();
        n
    }

    /// Remove expired sessions; run now and then.
    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        Ok(auth_session::Entity::delete_many()
            .filter(auth_session::Column::ExpiresAt.lte(now()))
            .exec(&self.db)
            .await?
            .rows_affected)
    }
}

/// Select every column of `E` as `{prefix}{column}`, the names `FromQueryResult` reads back
/// with that prefix.
fn select_prefixed<E: EntityTrait>(q: &mut SelectStatement, prefix: &str) {
    for c in E::Column::iter() {
        q.expr_as(
            Expr::col((E::default(), c)),
            Alias::new(format!("{prefix}{}", c.as_str())),
        );
    }
}

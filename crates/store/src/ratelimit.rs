//! Sign-in limits, counted in the database so that they hold across app servers.
//!
//! Every attempt takes a slot (a row) in its key's window *before* it is checked, and counts
//! the slots after taking its own; an attempt that finds the window full gives its slot back
//! and is refused. Counting after the insert is what makes the limit hold for parallel
//! requests: of N attempts at once, the k-th to commit sees at least k rows, so no more than
//! the limit can pass. A slot that was not a failure (a right password) is given back
//! afterwards; a failure keeps its slot until it leaves the window.
//!
//! Keys are hashed: the table holds no e-mail address or IP address.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::login_failure;
use crate::{Result, Store, now};

/// The window over which failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures per account in the window before sign-in is refused to every address that has
/// failed on it.
pub const MAX_PER_ACCOUNT: u64 = 5;
/// Tries per account in the window, from all addresses together. Past [`MAX_PER_ACCOUNT`],
/// an address with no failure on the account still gets a try (so strangers cannot lock the
/// owner out), up to this ceiling (so many addresses together cannot guess without end).
pub const CEILING_PER_ACCOUNT: u64 = 25;
/// Failures per IP address in the window: higher, because a school or office shares one.
pub const MAX_PER_IP: u64 = 20;

/// How often, and after how long, a try among the first of a burst counts again.
const RECOUNTS: u32 = 5;
const RECOUNT_AFTER: std::time::Duration = std::time::Duration::from_millis(20);

/// A limiter key, e.g. `("account", email)` or `("ip", address)`. The secret keeps the hash
/// from being reversed by trying every address.
pub fn key(secret: &str, kind: &str, value: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{secret}\u{0}{kind}\u{0}{value}").as_bytes(),
    ))
}

/// The network a request comes from, as the limits count it: an IPv4 address, or the /64
/// an IPv6 address lies in. One IPv6 subscriber holds a whole /64 and could otherwise show
/// up as a new address on every try.
pub fn network(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => String::new(),
    }
}

/// The outcome of taking a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The attempt may go on. `count` includes this slot: 1 means nothing else in the window.
    Taken { id: Uuid, count: u64 },
    /// The window is full until `until`.
    Full { until: DateTime<Utc> },
}

/// The three keys of a sign-in attempt.
#[derive(Debug, Clone)]
pub struct SignInKeys {
    ip: String,
    pair: String,
    account: String,
}

impl SignInKeys {
    /// `network` from [`network`]; `email` as typed after parsing (unknown addresses count
    /// too, so the limit does not tell who has an account).
    pub fn new(secret: &str, network: &str, email: &str) -> SignInKeys {
        SignInKeys {
            ip: key(secret, "ip", network),
            pair: key(secret, "account-ip", &format!("{email}\u{0}{network}")),
            account: key(secret, "account", email),
        }
    }
}

/// A sign-in attempt that may be checked. End it with [`Store::attempt_was_right`] (the
/// factor was right but another follows) or [`Store::signed_in`]; when the check fails, drop
/// it: its slots stay as the failure.
#[derive(Debug)]
pub struct Attempt {
    keys: SignInKeys,
    slots: [Uuid; 3],
}

/// Whether a sign-in attempt may be checked.
#[derive(Debug)]
pub enum Admission {
    Go(Attempt),
    Refused { until: DateTime<Utc> },
}

impl Store {
    /// Take a slot in `key_hash`'s window if fewer than `limit` are taken.
    pub async fn take_slot(&self, key_hash: &str, limit: u64) -> Result<Slot> {
        let id = Uuid::now_v7();
        login_failure::ActiveModel {
            id: Set(id),
            key_hash: Set(key_hash.to_string()),
            at: Set(now()),
        }
        .insert(&self.db)
        .await?;
        let mut recounts = 0;
        loop {
            let taken: Vec<(Uuid, DateTime<Utc>)> = login_failure::Entity::find()
                .select_only()
                .column(login_failure::Column::Id)
                .column(login_failure::Column::At)
                .filter(login_failure::Column::KeyHash.eq(key_hash))
                .filter(login_failure::Column::At.gt(now() - WINDOW))
                .order_by_asc(login_failure::Column::At)
                .order_by_asc(login_failure::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await?;
            let count = taken.len() as u64;
            if count <= limit {
                return Ok(Slot::Taken { id, count });
            }
            // Tries sent at the same moment all see each other's slots before any is given
            // back, and would all be refused. The first `limit` of them wait a moment for the
            // later ones to leave and count again. Only a count admits, so this never lets
            // more than `limit` through; it only keeps a burst from refusing everyone.
            let early = taken
                .iter()
                .position(|(other, _)| *other == id)
                .is_some_and(|i| (i as u64) < limit);
            if early && recounts < RECOUNTS {
                recounts += 1;
                tokio::time::sleep(RECOUNT_AFTER).await;
                continue;
            }
            self.give_back_slots(&[id]).await?;
            // The next try passes once enough of the others have left the window.
            let others: Vec<DateTime<Utc>> = taken
                .into_iter()
                .filter(|(other, _)| *other != id)
                .map(|(_, at)| at)
                .collect();
            let must_leave = others.len().saturating_sub(limit as usize);
            let until = others.get(must_leave).map_or_else(now, |at| *at) + WINDOW;
            return Ok(Slot::Full { until });
        }
    }

    /// Give slots back: the attempts they belonged to did not fail.
    pub async fn give_back_slots(&self, ids: &[Uuid]) -> Result<()> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Id.is_in(ids.iter().copied()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Take the slots of one sign-in step (password or security code), before it is checked:
    /// the address over all accounts, this address on this account, and the account over all
    /// addresses. An address that has not failed on the account is held to the ceiling
    /// instead of the account's limit, so strangers who use up the limit do not lock the
    /// owner out.
    pub async fn begin_sign_in_attempt(&self, keys: SignInKeys) -> Result<Admission> {
        let ip = match self.take_slot(&keys.ip, MAX_PER_IP).await? {
            Slot::Taken { id, .. } => id,
            Slot::Full { until } => return Ok(Admission::Refused { until }),
        };
        let (pair, fresh) = match self.take_slot(&keys.pair, MAX_PER_ACCOUNT).await? {
            Slot::Taken { id, count } => (id, count == 1),
            Slot::Full { until } => {
                self.give_back_slots(&[ip]).await?;
                return Ok(Admission::Refused { until });
            }
        };
        let limit = if fresh {
            CEILING_PER_ACCOUNT
        } else {
            MAX_PER_ACCOUNT
        };
        let account = match self.take_slot(&keys.account, limit).await? {
            Slot::Taken { id, .. } => id,
            Slot::Full { until } => {
                self.give_back_slots(&[ip, pair]).await?;
                return Ok(Admission::Refused { until });
            }
        };
        Ok(Admission::Go(Attempt {
            keys,
            slots: [ip, pair, account],
        }))
    }

    /// The step was right but is not the last one (a password before the security code):
    /// it is no failure, and the failures before it still count until the sign-in is done.
    pub async fn attempt_was_right(&self, attempt: Attempt) -> Result<()> {
        self.give_back_slots(&attempt.slots).await
    }

    /// The sign-in is complete: the account's failures and this address's failures on it
    /// are forgiven. The address's count over all accounts stays.
    pub async fn signed_in(&self, attempt: Attempt) -> Result<()> {
        login_failure::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(login_failure::Column::Id.eq(attempt.slots[0]))
                    .add(
                        login_failure::Column::KeyHash
                            .is_in([attempt.keys.pair, attempt.keys.account]),
                    ),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn purge_old_login_failures(&self) -> Result<u64> {
        Ok(login_failure::Entity::delete_many()
            .filter(login_failure::Column::At.lte(now() - WINDOW))
            .exec(&self.db)
            .await?
            .rows_affected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_per_64_and_ipv4_per_address() {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        assert_eq!(network(ip("192.0.2.7")), "192.0.2.7");
        assert_eq!(network(ip("::ffff:192.0.2.7")), "192.0.2.7");
        assert_eq!(
            network(ip("2001:db8:1:2:aaaa::1")),
            network(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            network(ip("2001:db8:1:2::1")),
            network(ip("2001:db8:1:3::1"))
        );
        assert_eq!(network(None), "");
    }
}

//! Failed sign-ins, counted in the database so that the limit holds across app servers.
//!
//! Keys are hashed: the table holds no e-mail address or IP address.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::login_failure;
use crate::{Result, Store, now};

/// The window over which failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures per account in the window before sign-in is refused.
pub const MAX_PER_ACCOUNT: u64 = 5;
/// Failures per IP address in the window: higher, because a school or office shares one.
pub const MAX_PER_IP: u64 = 20;

/// A limiter key, e.g. `("account", email)` or `("ip", address)`. The secret keeps the hash
/// from being reversed by trying every address.
pub fn key(secret: &str, kind: &str, value: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{secret}\u{0}{kind}\u{0}{value}").as_bytes(),
    ))
}

impl Store {
    pub async fn record_login_failure(&self, key_hash: &str) -> Result<()> {
        login_failure::ActiveModel {
            id: Set(Uuid::now_v7()),
            key_hash: Set(key_hash.to_string()),
            at: Set(now()),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    pub async fn login_failures(&self, key_hash: &str) -> Result<u64> {
        Ok(login_failure::Entity::find()
            .filter(login_failure::Column::KeyHash.eq(key_hash))
            .filter(login_failure::Column::At.gt(now() - WINDOW))
            .count(&self.db)
            .await?)
    }

    /// A successful sign-in clears the account's count (not the IP's).
    pub async fn clear_login_failures(&self, key_hash: &str) -> Result<()> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::KeyHash.eq(key_hash))
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

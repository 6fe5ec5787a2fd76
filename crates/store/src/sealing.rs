//! Secrets the database keeps but must not give away: the accounts' TOTP seeds, the
//! installation's HMAC keys (CSRF, limiter keys, unsubscribe links) and the research studies'
//! pseudonym keys. With a key from outside
//! the database (`MTP_SECRET_KEY` or the data dir's key file, docs/security.md "Secrets at
//! rest"), they are stored sealed: ChaCha20-Poly1305 with a random nonce, bound to the row
//! they belong to, so a copy of the database (a backup, a dump) does not hold them.
//!
//! Without a key the values are stored as before, in plain text; a value written then is
//! sealed at the next start with a key ([`Store::seal_plain_secrets`]).

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::{account, app_secret, research_study};
use crate::research::study_place;
use crate::{Result, Store, StoreError};

/// Marks a sealed value; anything else is a value stored before there was a key.
const SEALED: &str = "sealed1:";

/// The key that seals secrets, 32 bytes.
pub struct SealKey {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(..)")
    }
}

impl SealKey {
    /// A key written as 64 hexadecimal digits (what `openssl rand -hex 32` prints).
    pub fn from_hex(text: &str) -> std::result::Result<SealKey, &'static str> {
        let bytes = hex::decode(text.trim()).map_err(|_| "not hexadecimal")?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "not 32 bytes (64 hex digits)")?;
        let key = UnboundKey::new(&CHACHA20_POLY1305, &bytes).map_err(|_| "unusable key")?;
        Ok(SealKey {
            key: LessSafeKey::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// A new random key, as 64 hexadecimal digits.
    pub fn generate_hex() -> String {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        hex::encode(bytes)
    }

    /// `place` names the row the value belongs to ("account:<id>"): a sealed value copied into
    /// another row does not open there.
    fn seal(&self, place: &str, plain: &str) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| StoreError::Sealing)?;
        let mut data = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(place.as_bytes()),
                &mut data,
            )
            .map_err(|_| StoreError::Sealing)?;
        Ok(format!(
            "{SEALED}{}{}",
            hex::encode(nonce),
            hex::encode(data)
        ))
    }

    fn open(&self, place: &str, stored: &str) -> Result<String> {
        let raw = stored
            .strip_prefix(SEALED)
            .and_then(|h| hex::decode(h).ok())
            .filter(|r| r.len() > NONCE_LEN)
            .ok_or(StoreError::Sealing)?;
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| StoreError::Sealing)?;
        let mut data = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(place.as_bytes()), &mut data)
            .map_err(|_| StoreError::Sealing)?;
        String::from_utf8(plain.to_vec()).map_err(|_| StoreError::Sealing)
    }
}

pub(crate) fn account_place(id: uuid::Uuid) -> String {
    format!("account:{id}")
}

pub(crate) fn secret_place(name: &str) -> String {
    format!("app_secret:{name}")
}

impl Store {
    /// Seal `plain` for `place` when there is a key; without one it is stored as it is.
    pub(crate) fn seal(&self, place: &str, plain: &str) -> Result<String> {
        match &self.seal_key {
            Some(k) => k.seal(place, plain),
            None => Ok(plain.to_string()),
        }
    }

    /// The value behind a stored one. A sealed value without the key (or with another key)
    /// is an error, never a value: the server says so instead of guessing.
    pub(crate) fn open(&self, place: &str, stored: &str) -> Result<String> {
        match (&self.seal_key, stored.starts_with(SEALED)) {
            (Some(k), true) => k.open(place, stored),
            (None, true) => Err(StoreError::Sealing),
            (_, false) => Ok(stored.to_string()),
        }
    }

    /// With a key: seal every secret still stored in plain text (written before the key was
    /// set). Each update only applies if the row still holds the plain value, so servers
    /// starting together seal each value once. Returns how many were sealed.
    pub async fn seal_plain_secrets(&self) -> Result<u64> {
        if self.seal_key.is_none() {
            return Ok(0);
        }
        let mut sealed = 0;
        for s in app_secret::Entity::find()
            .filter(app_secret::Column::Name.starts_with("secret:"))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|s| !s.value.starts_with(SEALED))
        {
            let value = self.seal(&secret_place(&s.name), &s.value)?;
            sealed += app_secret::Entity::update_many()
                .col_expr(app_secret::Column::Value, value.into())
                .filter(app_secret::Column::Name.eq(s.name))
                .filter(app_secret::Column::Value.eq(s.value))
                .exec(&self.db)
                .await?
                .rows_affected;
        }
        for a in account::Entity::find()
            .filter(account::Column::TotpSecret.is_not_null())
            .all(&self.db)
            .await?
        {
            let Some(plain) = a.totp_secret.filter(|v| !v.starts_with(SEALED)) else {
                continue;
            };
            let value = self.seal(&account_place(a.id), &plain)?;
            sealed += account::Entity::update_many()
                .col_expr(account::Column::TotpSecret, Some(value).into())
                .filter(account::Column::OrgId.eq(a.org_id))
                .filter(account::Column::Id.eq(a.id))
                .filter(account::Column::TotpSecret.eq(plain))
                .exec(&self.db)
                .await?
                .rows_affected;
        }
        for s in research_study::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|s| !s.key.starts_with(SEALED))
        {
            let value = self.seal(&study_place(s.id), &s.key)?;
            sealed += research_study::Entity::update_many()
                .col_expr(research_study::Column::Key, value.into())
                .filter(research_study::Column::Id.eq(s.id))
                .filter(research_study::Column::Key.eq(s.key))
                .exec(&self.db)
                .await?
                .rows_affected;
        }
        Ok(sealed)
    }
}

/// What [`Store::check_sealed_secrets`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedCheck {
    /// Values stored sealed (installation keys, TOTP seeds and study keys).
    pub sealed: u64,
    /// Of those, how many this store's key does not open (all of them without a key).
    pub unopened: u64,
}

impl Store {
    /// Try to open every sealed value with this store's key, without changing anything. A
    /// restore runs it on the copy before it replaces a database: a backup whose secrets the
    /// key cannot open would give a server that refuses to start (installation keys) or
    /// accounts that cannot sign in (TOTP seeds).
    pub async fn check_sealed_secrets(&self) -> Result<SealedCheck> {
        let mut check = SealedCheck {
            sealed: 0,
            unopened: 0,
        };
        let mut tally = |place: String, stored: &str| {
            if stored.starts_with(SEALED) {
                check.sealed += 1;
                if self.open(&place, stored).is_err() {
                    check.unopened += 1;
                }
            }
        };
        for s in app_secret::Entity::find()
            .filter(app_secret::Column::Name.starts_with("secret:"))
            .all(&self.db)
            .await?
        {
            tally(secret_place(&s.name), &s.value);
        }
        for a in account::Entity::find()
            .filter(account::Column::TotpSecret.is_not_null())
            .all(&self.db)
            .await?
        {
            if let Some(v) = &a.totp_secret {
                tally(account_place(a.id), v);
            }
        }
        for s in research_study::Entity::find().all(&self.db).await? {
            tally(study_place(s.id), &s.key);
        }
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(hex: &str) -> SealKey {
        SealKey::from_hex(hex).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_in_its_place() {
        let k = key(&"ab".repeat(32));
        let sealed = k.seal("account:1", "JBSWY3DPEHPK3PXP").unwrap_or_default();
        assert!(sealed.starts_with(SEALED) && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            k.open("account:1", &sealed).ok().as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        // Another row, another key, a changed byte: refused.
        assert!(k.open("account:2", &sealed).is_err());
        assert!(key(&"cd".repeat(32)).open("account:1", &sealed).is_err());
        let mut bent = sealed.clone().into_bytes();
        let last = bent.len() - 1;
        bent[last] = if bent[last] == b'0' { b'1' } else { b'0' };
        assert!(
            k.open("account:1", &String::from_utf8_lossy(&bent))
                .is_err()
        );
        // Two seals of one value differ (random nonce).
        assert_ne!(k.seal("account:1", "x").ok(), k.seal("account:1", "x").ok());
    }

    #[test]
    fn a_key_is_64_hex_digits() {
        assert!(SealKey::from_hex(&SealKey::generate_hex()).is_ok());
        assert!(SealKey::from_hex("abcd").is_err());
        assert!(SealKey::from_hex(&"zz".repeat(32)).is_err());
    }
}

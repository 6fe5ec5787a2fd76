//! Argon2id password hashes in PHC string form.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::{Result, StoreError};

/// Hash with Argon2id and the crate's default (OWASP-recommended) parameters.
pub fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Hash)
}

/// Constant-time check of a password against a stored hash. A malformed stored hash never
/// matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash that no password matches, verified when the e-mail address is unknown so that the
/// answer takes as long as for a known one.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5y2Z3lYv0vJ9f5o4b5o4b5o4b5o4b5o4b5o4b5o4b5o"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let h = hash("koffie op woensdag").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("koffie op woensdag", &h));
        assert!(!verify("koffie op donderdag", &h));
        assert!(!verify("koffie op woensdag", "not a hash"));
        assert!(!verify("", dummy_hash()));
    }
}

//! Time-based security codes for two-factor sign-in.

use totp_rs::{Builder, Secret, Totp};

const ISSUER: &str = "Meet the Parents";

/// SHA-1, six digits, 30-second steps and one step of clock drift either way: what every
/// authenticator app does by default.
pub fn totp(secret_b32: &str, email: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(email)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The time step a code belongs to, if it is right for now (give or take one step).
pub fn totp_step(secret_b32: &str, code: &str, email: &str) -> Option<i64> {
    totp(secret_b32, email)
        .and_then(|t| t.check_current(code))
        .and_then(|s| i64::try_from(s).ok())
}

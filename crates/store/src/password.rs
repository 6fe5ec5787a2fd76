//! Argon2id password hashes in PHC string form.
//!
//! Every hash and check in a request goes through [`hash_bounded`] and [`verify_bounded`]:
//! off the async runtime, and at most one per core at a time.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::{Result, StoreError};

/// Argon2's default parameters take about 19 MiB and a core's worth of work for each hash.
/// A burst of sign-ins beyond the core count would only make every one of them slower and
/// could exhaust memory, so the rest wait here for a turn. One process-wide pool: memory is
/// per process, however many stores it opens.
static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
    )
});

/// Run Argon2 work on the blocking pool once a slot is free. The slot travels into the
/// blocking task, so a request that gives up (a time-out) still holds it until the work it
/// started is done: the bound counts what runs, not what waits.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let slot = SLOTS.acquire().await.map_err(|_| StoreError::Hash)?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|_| StoreError::Hash)
}

/// [`hash`] in the bounded pool.
pub async fn hash_bounded(password: String) -> Result<String> {
    bounded(move || hash(&password)).await?
}

/// [`verify`] in the bounded pool.
pub async fn verify_bounded(password: String, stored: String) -> Result<bool> {
    bounded(move || verify(&password, &stored)).await
}

/// Hash with Argon2id and the crate's default (OWASP-recommended) parameters.
fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Hash)
}

/// Constant-time check of a password against a stored hash. A malformed stored hash never
/// matches.
fn verify(password: &str, stored: &str) -> bool {
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_run_at_once_than_the_pool_has_slots() {
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (running, most) = (running.clone(), most.clone());
            tasks.spawn(bounded(move || {
                use std::sync::atomic::Ordering;
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        let mut done = 0;
        while let Some(r) = tasks.join_next().await {
            assert!(matches!(r, Ok(Ok(()))));
            done += 1;
        }
        assert_eq!(done, 12);
        let slots = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let most = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            most >= 1 && most <= slots,
            "{most} ran at once, {slots} slots"
        );
        let h = hash_bounded("koffie op woensdag".into())
            .await
            .unwrap_or_default();
        assert_eq!(
            verify_bounded("koffie op woensdag".into(), h).await.ok(),
            Some(true)
        );
    }
}

//! The `mtp` binary's commands, as a library so the integration tests start the very same
//! server the binary does.

pub mod config;
pub mod demo;
pub mod logs;
pub mod mail;
pub mod restore;
pub mod scale;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use mtp_store::Store;
use mtp_web::{AppState, WebConfig};

pub use config::Config;

/// Install one rustls crypto provider for the whole process: sea-orm's and the test client's
/// TLS stacks enable different ones, and rustls refuses to choose.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Open (and on SQLite, migrate) the configured database.
pub async fn open_store(cfg: &Config) -> anyhow::Result<Store> {
    let url = cfg.database_url()?;
    if mtp_store::is_sqlite_url(&url) {
        Store::migrate(&url)
            .await
            .context("migrating the SQLite database")?;
    }
    let key = seal_key(cfg, mtp_store::is_sqlite_url(&url))?;
    let store = Store::connect(&url, cfg.db_pool)
        .await
        .context("connecting to the database")?
        .with_sign_in_memory(std::time::Duration::from_millis(cfg.sign_in_memory_ms))
        .with_seal_key(key);
    let sealed = store
        .seal_plain_secrets()
        .await
        .context("sealing the secrets stored before there was a key")?;
    if sealed > 0 {
        tracing::info!(sealed, "secrets stored in plain text are sealed now");
    }
    Ok(store)
}

/// The key that seals secrets at rest (docs/security.md, "Secrets at rest"): `MTP_SECRET_KEY`,
/// else the data dir's key file, made on first start on SQLite. PostgreSQL without either
/// stores them plain and says so in the log.
fn seal_key(cfg: &Config, sqlite: bool) -> anyhow::Result<Option<mtp_store::sealing::SealKey>> {
    if cfg.secret_key.is_none() {
        let path = cfg.key_file();
        if !path.exists() && sqlite {
            write_key_file(&path).with_context(|| format!("making {}", path.display()))?;
        }
    }
    match existing_seal_key(cfg)? {
        Some((key, _)) => Ok(Some(key)),
        None => {
            tracing::warn!(
                "no MTP_SECRET_KEY: TOTP seeds and the installation's keys are stored unsealed"
            );
            Ok(None)
        }
    }
}

/// The key from `MTP_SECRET_KEY` or the data dir's key file, with where it came from; `None`
/// when there is neither. Never makes a key file: `mtp restore` must not invent a key that
/// cannot open the backup's secrets.
pub fn existing_seal_key(
    cfg: &Config,
) -> anyhow::Result<Option<(mtp_store::sealing::SealKey, String)>> {
    use mtp_store::sealing::SealKey;
    let parse = |text: &str, from: String| {
        SealKey::from_hex(text)
            .map(|k| (k, from.clone()))
            .map_err(|e| anyhow::anyhow!("{from}: the key is {e}"))
    };
    if let Some(k) = &cfg.secret_key {
        return parse(k, "MTP_SECRET_KEY".into()).map(Some);
    }
    let path = cfg.key_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, path.display().to_string()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// A new key file, readable by its owner only, that appears whole or not at all: two servers
/// starting on one data dir both end up with the key of the one that linked it first.
fn write_key_file(path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::now_v7().simple()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(mtp_store::sealing::SealKey::generate_hex().as_bytes())?;
    f.sync_all()?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    pub store: Store,
    pub handle: tokio::task::JoinHandle<()>,
}

/// Bind, build the app and serve in the background. `shutdown` ends the server gracefully.
pub async fn start(
    cfg: &Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Running> {
    let store = open_store(cfg).await?;
    let pending = store.pending_migrations().await?;
    if pending > 0 {
        anyhow::bail!(
            "{pending} database migrations are pending; run `mtp migrate` first (a release step on PostgreSQL)"
        );
    }
    let metrics = if cfg.metrics_token.is_some() || cfg.metrics_bind.is_some() {
        Some(install_metrics_recorder(cfg.metrics_bind).await?)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .with_context(|| format!("binding {}", cfg.bind))?;
    let addr = listener.local_addr()?;
    let web = WebConfig {
        secure_cookies: cfg
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        trust_proxy: cfg.trust_proxy,
        metrics_token: cfg.metrics_token.clone(),
        mail_configured: cfg.smtp_url.is_some(),
        public_url: public_url(cfg, addr),
        research_workbook_max: cfg.research_workbook_max,
    };
    let state = AppState::new(store.clone(), web, metrics).await?;
    spawn_referrer_mail(state.clone());
    let app = mtp_web::app(state).into_make_service_with_connect_info::<SocketAddr>();
    spawn_housekeeping(
        store.clone(),
        Duration::from_secs(cfg.retention_first_secs),
        Duration::from_secs(cfg.retention_every_secs),
    );
    mail::spawn_mail_queue(store.clone(), mail::mailer(cfg, addr)?, cfg.mail_poll_ms);
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok(Running {
        addr,
        store,
        handle,
    })
}

/// The recorder is process-wide: a second call (a second server in one test process) reuses it.
async fn install_metrics_recorder(
    bind: Option<SocketAddr>,
) -> anyhow::Result<metrics_exporter_prometheus::PrometheusHandle> {
    use std::sync::OnceLock;
    static HANDLE: OnceLock<metrics_exporter_prometheus::PrometheusHandle> = OnceLock::new();
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    if metrics::set_global_recorder(recorder).is_err() {
        anyhow::bail!("a metrics recorder is already installed");
    }
    let _ = HANDLE.set(handle.clone());
    if let Some(bind) = bind {
        let h = handle.clone();
        let listener = tokio::net::TcpListener::bind(bind).await?;
        let app = axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let h = h.clone();
                async move { h.render() }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    Ok(handle)
}

/// Every app server may run this: each step is idempotent, so several at once do no harm.
/// The retention job anonymises each household at most once (a conditional update), and
/// its state lives in the database, so a restart simply picks up where it stopped.
/// The retention job has its own timer (`MTP_RETENTION_FIRST_SECS`, `MTP_RETENTION_EVERY_SECS`:
/// ten minutes after start, then hourly) so a test can run it on two real servers at once.
fn spawn_housekeeping(store: Store, retention_first: Duration, retention_every: Duration) {
    let purger = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = purger.purge_expired_sessions().await {
                tracing::warn!(error = %e, "purging sessions failed");
            }
            if let Err(e) = purger.purge_old_login_failures().await {
                tracing::warn!(error = %e, "purging login failures failed");
            }
            if let Err(e) = purger.scrub_stale_secrets().await {
                tracing::warn!(error = %e, "emptying stale sign-in mails failed");
            }
            // Referrals the parent never confirmed expire and lose their contact details.
            match purger.expire_referrals_at(mtp_store::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "referrals expired"),
                Err(e) => tracing::warn!(error = %e, "expiring referrals failed"),
            }
        }
    });
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + retention_first;
        let mut tick = tokio::time::interval_at(start, retention_every.max(Duration::from_secs(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match store.run_retention().await {
                Ok(reports) => {
                    let n: u32 = reports.iter().map(|r| r.anonymised).sum();
                    tracing::info!(anonymised = n, "retention run");
                }
                Err(e) => tracing::warn!(error = %e, "retention run failed"),
            }
        }
    });
}

/// Referrers who used a referral address hear each change of their referral's status: the
/// sweep is idempotent (each change is remembered in the same transaction as its mail), so
/// every app server may run it.
fn spawn_referrer_mail(state: AppState) {
    tokio::spawn(async move {
        // Not at start: a server (re)starting is no reason to mail anyone.
        let every = Duration::from_secs(300);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match mtp_web::routes::referral_address::mail_referrer_status_changes(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "referral status mails"),
                Err(e) => tracing::warn!(error = ?e, "referral status mails failed"),
            }
        }
    });
}

/// Where people reach the app: `MTP_PUBLIC_URL`, or the bound address for a local demo.
pub(crate) fn public_url(cfg: &Config, addr: SocketAddr) -> String {
    match &cfg.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            tracing::warn!(
                "MTP_PUBLIC_URL is not set: links in messages point at the bind address"
            );
            format!("http://{addr}")
        }
    }
}

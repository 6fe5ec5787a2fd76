//! Configuration: every option is a flag and an `MTP_*` environment variable, with safe
//! defaults (local only, SQLite in `./data`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Where the SQLite database and backups live.
    #[arg(long, env = "MTP_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`. Default: SQLite in the data dir.
    #[arg(long, env = "MTP_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(
        long,
        env = "MTP_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// The address people use, e.g. `https://mtp.example.nl`. With https, cookies are Secure
    /// and HSTS is sent.
    #[arg(long, env = "MTP_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind your own load balancer).
    #[arg(long, env = "MTP_TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,
    /// Serve `/metrics` to requests with `Authorization: Bearer <token>`.
    #[arg(long, env = "MTP_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Serve `/metrics` without a token on a separate address (e.g. 127.0.0.1:9090).
    #[arg(long, env = "MTP_METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,
    /// Database connections per app server (PostgreSQL).
    #[arg(long, env = "MTP_DB_POOL", default_value_t = 10, global = true)]
    pub db_pool: u32,
    /// The SMTP server for reminders and e-mails: `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required` or `smtps://user:pass@host:465`. Without it,
    /// messages stay waiting in the queue.
    #[arg(long, env = "MTP_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of e-mails, e.g. `Meet the Parents <noreply@example.nl>`.
    #[arg(long, env = "MTP_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// How often each server looks for e-mails to send, in milliseconds.
    #[arg(long, env = "MTP_MAIL_POLL_MS", default_value_t = 5000, global = true)]
    pub mail_poll_ms: u64,
    /// The wait after a failed send, in seconds; it doubles with each try (at most 6 hours).
    #[arg(long, env = "MTP_MAIL_RETRY_SECS", default_value_t = 60, global = true)]
    pub mail_retry_secs: u64,
    /// Seconds after start-up before this server first runs the retention job.
    #[arg(
        long,
        env = "MTP_RETENTION_FIRST_SECS",
        default_value_t = 600,
        global = true
    )]
    pub retention_first_secs: u64,
    /// Seconds between two retention runs of this server.
    #[arg(
        long,
        env = "MTP_RETENTION_EVERY_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub retention_every_secs: u64,
    /// How long a server may answer a sign-in lookup from memory, in milliseconds. A sign-out or
    /// disabled account made on another server takes effect here within this time; 0 turns it
    /// off (every request reads the database).
    #[arg(
        long,
        env = "MTP_SIGN_IN_MEMORY_MS",
        default_value_t = 2000,
        global = true
    )]
    pub sign_in_memory_ms: u64,
    /// The most households a research export may hold as a workbook. A workbook is built whole
    /// in memory; above this the CSV, which streams, is the way (and a spreadsheet program
    /// would struggle anyway).
    #[arg(
        long,
        env = "MTP_RESEARCH_WORKBOOK_MAX",
        default_value_t = 50_000,
        global = true
    )]
    pub research_workbook_max: u32,
    /// The key (64 hex digits) that seals TOTP seeds and the installation's keys in the
    /// database. Without it: the data dir's `secret.key` (made on first start on SQLite).
    #[arg(long, env = "MTP_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
}

impl Config {
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let path = self.data_dir.join("mtp.sqlite");
        Ok(format!("sqlite://{}?mode=rwc", path.display()))
    }

    /// The data dir's key file: read when it exists; made (mode 600) on SQLite when it does
    /// not. PostgreSQL's app servers never make one, because they must all share one key.
    pub fn key_file(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    pub fn for_tests(data_dir: PathBuf, database_url: Option<String>) -> Config {
        Config {
            data_dir,
            database_url,
            bind: "127.0.0.1:0".into(),
            public_url: None,
            trust_proxy: false,
            metrics_token: Some("test-metrics-token".into()),
            metrics_bind: None,
            db_pool: 5,
            smtp_url: None,
            mail_from: None,
            mail_poll_ms: 200,
            mail_retry_secs: 1,
            retention_first_secs: 600,
            retention_every_secs: 3600,
            sign_in_memory_ms: 2000,
            research_workbook_max: 50_000,
            secret_key: None,
        }
    }
}

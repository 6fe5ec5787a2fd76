//! Log output: JSON lines for a log collector, readable lines for a person at a terminal.
//!
//! What is never logged (docs/security.md, "Logs"): a request's path (it can hold a sign-in,
//! calendar or unsubscribe token) — the span carries the matched route pattern instead —,
//! query strings, form values, personal data.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The default filter: our own events at info, the database libraries only when they warn.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Text,
}

impl LogFormat {
    /// `MTP_LOG_FORMAT=json|text`; without it, text on a terminal and JSON otherwise.
    pub fn from_env() -> LogFormat {
        match std::env::var("MTP_LOG_FORMAT").as_deref() {
            Ok("json") => LogFormat::Json,
            Ok("text") => LogFormat::Text,
            _ if std::io::stderr().is_terminal() => LogFormat::Text,
            _ => LogFormat::Json,
        }
    }
}

/// Install the process's log subscriber, writing to stderr, filtered by `MTP_LOG`.
pub fn init() {
    let filter =
        EnvFilter::try_from_env("MTP_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // A second call (a test that installed its own) keeps the first.
    let _ = install(LogFormat::from_env(), filter, std::io::stderr);
}

/// Install a subscriber with this format and filter on `writer`: the binary's stderr, or a
/// test's buffer.
pub fn install<W>(format: LogFormat, filter: EnvFilter, writer: W) -> Result<(), String>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    }
    .map_err(|e| e.to_string())
}

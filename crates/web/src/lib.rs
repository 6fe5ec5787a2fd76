//! The web application: server-rendered pages, one authorization gate, security headers.
//!
//! Request path (outside in): request id → trace → security headers → timeout →
//! compression → metrics → `request::load` (session, language, CSRF token; renders error pages)
//! → `router` → `gate::check` (the route's access rule, CSRF on POST) → handler.

pub mod assets;
pub mod audit;
pub mod chart;
pub mod ctx;
pub mod error;
pub mod extract;
pub mod feed;
pub mod forms;
pub mod fuzz;
pub mod gate;
pub mod i18n;
pub mod import;
pub mod label;
pub mod metrics;
pub mod outcome_report;
pub mod page;
pub mod parse;
pub mod partner_home;
pub mod referral_report;
pub mod report_view;
pub mod request;
pub mod respond;
pub mod router;
pub mod routes;
pub mod totp;
pub mod views;
pub mod workbook;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use mtp_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Today's date where the families live.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// Settings the web layer needs; the binary fills them from flags and `MTP_*` variables.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set the Secure flag on cookies and send HSTS: true when served over https.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a load balancer for the client address (rate limits).
    pub trust_proxy: bool,
    /// Bearer token that `/metrics` requires; `None` switches the route off.
    pub metrics_token: Option<String>,
    /// Whether an SMTP server is configured (`MTP_SMTP_URL`); the reminders page says so.
    pub mail_configured: bool,
    /// The address parents and calendar apps reach the app on (`MTP_PUBLIC_URL`, else the
    /// bound address). Links in messages are built from it, never from a request's `Host`.
    pub public_url: String,
    /// The most households a research export may hold as a workbook
    /// (`MTP_RESEARCH_WORKBOOK_MAX`).
    pub research_workbook_max: u32,
}

/// Shared by every request. Holds nothing that differs between app servers.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub cfg: Arc<WebConfig>,
    /// HMAC key for CSRF tokens and rate-limit keys, the same on every app server.
    pub secret: Arc<String>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl AppState {
    pub async fn new(
        store: Store,
        cfg: WebConfig,
        metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    ) -> Result<Self, mtp_store::StoreError> {
        let secret = store.secret("web").await?;
        Ok(AppState {
            store,
            cfg: Arc::new(cfg),
            secret: Arc::new(secret),
            metrics,
        })
    }
}

/// `worker-src 'self'`: the check-in page's service worker (`static/door-sw.js`, docs/ui.md §3.5).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; worker-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// The whole application as one router.
pub fn app(state: AppState) -> Router {
    let hsts = state.cfg.secure_cookies;
    let mut router = router::router(state.clone())
        // Inside `request::load`, so a panic becomes the friendly 500 page in the user's language.
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(error::AppError::Internal)
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request::load,
        ))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(forms::clean_query))
        // Brotli's default is its slowest level (11): on a 150 KB page that alone took several
        // milliseconds per request. Level 5 costs a few per cent in size (docs/benchmarks.md).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(5)))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
        .layer(header_layer(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ));
    if hsts {
        router = router.layer(header_layer(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000",
        ));
    }
    let x_request_id = HeaderName::from_static("x-request-id");
    router
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .make_span_with(|req: &axum::http::Request<_>| {
            // Never the path: it can hold a sign-in, calendar or unsubscribe token, and a query
            // string a parent's name. The route pattern is filled in once the router matched
            // it (`metrics::expose_route`); an unmatched path leaves it out.
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), route = tracing::field::Empty)
        }),
        )
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

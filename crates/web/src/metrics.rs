//! Prometheus metrics: request counts and latencies by route pattern (never by full path).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let res = next.run(req).await;
    // The matched route pattern is known only after routing; the router copies it onto
    // the response so the label stays bounded ("/admin/accounts/{id}").
    let route = res
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// `GET /metrics`: needs `Authorization: Bearer <MTP_METRICS_TOKEN>`; without a configured
/// token the route does not exist. (A separate listener, `MTP_METRICS_BIND`, needs no token.)
pub async fn endpoint(State(state): State<AppState>, req: Request) -> Response {
    let (Some(token), Some(handle)) = (&state.cfg.metrics_token, &state.metrics) else {
        return AppError::NotFound.into_response();
    };
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let ok = sent.len() == token.len()
        && sent
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0;
    if !ok {
        return (StatusCode::UNAUTHORIZED, "unauthorized\n").into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// Copies the matched route onto the response for `track`, and into the request's log span
/// (logs name the route pattern, never the path).
pub async fn expose_route(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    if let Some(m) = &matched {
        tracing::Span::current().record("route", m.as_str());
    }
    let mut res = next.run(req).await;
    if let Some(m) = matched {
        res.extensions_mut().insert(m);
    }
    res
}

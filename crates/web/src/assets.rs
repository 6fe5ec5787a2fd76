//! Stylesheet and script, compiled into the binary.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
    etag: String,
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let raw: [(&str, &str, &[u8]); 2] = [
        (
            "app.css",
            "text/css; charset=utf-8",
            include_bytes!("../static/app.css"),
        ),
        (
            "app.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/app.js"),
        ),
    ];
    raw.into_iter()
        .map(|(name, mime, body)| Asset {
            name,
            mime,
            body,
            etag: format!("\"{}\"", &hex::encode(Sha256::digest(body))[..16]),
        })
        .collect()
});

/// A short content hash for cache-busting `?v=` in the page frame.
pub fn version() -> &'static str {
    static V: LazyLock<String> = LazyLock::new(|| {
        ASSETS
            .iter()
            .map(|a| a.etag.trim_matches('"'))
            .collect::<Vec<_>>()
            .join("")
            .chars()
            .take(12)
            .collect()
    });
    &V
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == file) else {
        return AppError::NotFound.into_response();
    };
    let etag = HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let cache = HeaderValue::from_static("public, max-age=86400");
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.mime)),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        asset.body,
    )
        .into_response()
}

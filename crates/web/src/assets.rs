//! Stylesheet and script, compiled into the binary.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
    etag: String,
    cache: &'static str,
}

/// The check-in page's service worker (docs/ui.md §3.5). It lives with the other assets but
/// works for the pages under `/sessions/` (`Service-Worker-Allowed`), and is asked for anew
/// on every visit (`no-cache`, answered 304 while it is the same) so a new version reaches
/// the phones at once.
pub const DOOR_WORKER: &str = "door-sw.js";
const DOOR_SCOPE: &str = "/sessions/";

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let raw: [(&str, &str, &[u8]); 3] = [
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
        (
            DOOR_WORKER,
            "text/javascript; charset=utf-8",
            include_bytes!("../static/door-sw.js"),
        ),
    ];
    raw.into_iter()
        .map(|(name, mime, body)| Asset {
            name,
            mime,
            body,
            etag: format!("\"{}\"", &hex::encode(Sha256::digest(body))[..16]),
            cache: if name == DOOR_WORKER {
                "no-cache"
            } else {
                "public, max-age=86400"
            },
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
    let cache = HeaderValue::from_static(asset.cache);
    let mut res = if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(asset.mime)),
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
            ],
            asset.body,
        )
            .into_response()
    };
    if asset.name == DOOR_WORKER {
        res.headers_mut().insert(
            HeaderName::from_static("service-worker-allowed"),
            HeaderValue::from_static(DOOR_SCOPE),
        );
    }
    res
}

//! Answers several handlers give alike.

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::ctx::{FLASH_COOKIE, encode_flash_arg, set_cookie};

/// POST → redirect → GET with a notification on the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, key: &str, arg: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let value = format!("{key}:{}", encode_flash_arg(arg));
    res.headers_mut().append(
        axum::http::header::SET_COOKIE,
        set_cookie(state, FLASH_COOKIE, &value, Some(60)),
    );
    res
}

pub fn with_cookie(mut res: Response, cookie: HeaderValue) -> Response {
    res.headers_mut()
        .append(axum::http::header::SET_COOKIE, cookie);
    res
}

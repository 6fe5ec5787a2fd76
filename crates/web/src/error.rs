//! One error type for every handler. It becomes a marker on the response; `ctx::load` turns
//! the marker into a friendly page in the user's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mtp_store::StoreError;

use crate::ctx::Ctx;
use crate::page::{Page, render_page};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppError {
    NotFound,
    BadRequest,
    Forbidden,
    /// The form's CSRF token was missing or wrong (often: the page was open for too long).
    FormExpired,
    TooLarge,
    Internal,
}

/// The marker `ctx::load` renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage(pub AppError);

impl AppError {
    fn status(self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Forbidden | AppError::FormExpired => StatusCode::FORBIDDEN,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn key(self) -> &'static str {
        match self {
            AppError::NotFound => "not-found",
            AppError::BadRequest => "bad-request",
            AppError::Forbidden => "forbidden",
            AppError::FormExpired => "form-expired",
            AppError::TooLarge => "too-large",
            AppError::Internal => "server-error",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorPage(self));
        res
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            other => {
                // The error text names tables and constraints, never values.
                tracing::error!(error = %other, "store error");
                AppError::Internal
            }
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template error");
        AppError::Internal
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    p: Page,
    body: String,
}

pub fn render(ctx: &Ctx, page: ErrorPage) -> Response {
    let key = page.0.key();
    let p = Page::new(ctx, &format!("{key}-title"));
    let body = p.t.get(format!("{key}-body"));
    let mut res = render_page(&ErrorTemplate { p, body }).into_response();
    *res.status_mut() = page.0.status();
    res
}

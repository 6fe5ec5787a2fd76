//! One error type for every handler. It becomes a marker on the response; `request::load`
//! turns the marker into a friendly page in the user's language (`page::error_page`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mtp_store::StoreError;

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

/// The marker `request::load` renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage(pub AppError);

impl AppError {
    pub fn status(self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Forbidden | AppError::FormExpired => StatusCode::FORBIDDEN,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The first part of the message ids of its page's title and text.
    pub fn key(self) -> &'static str {
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

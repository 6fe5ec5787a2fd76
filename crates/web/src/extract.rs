//! Who a handler serves, as typed extractors: [`Staff`] for a signed-in account, [`Parent`] for
//! a parent in the portal. The gate has already sent anyone else to the sign-in page, or
//! refused them (docs/architecture.md, "Request path"); reached without one anyway, a handler
//! answers 403, as `Ctx::user` and `Ctx::parent` do.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use mtp_store::portal::PortalVisitor;

use crate::ctx::{Ctx, User};
use crate::error::AppError;

/// The signed-in account of a staff route.
pub struct Staff(pub User);

/// The parent of a portal route.
pub struct Parent(pub PortalVisitor);

fn ctx(parts: &Parts) -> Result<&Ctx, AppError> {
    parts.extensions.get::<Ctx>().ok_or(AppError::Internal)
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        ctx(parts)?.user().cloned().map(Staff)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Parent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        ctx(parts)?.parent().cloned().map(Parent)
    }
}

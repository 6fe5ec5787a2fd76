//! Handlers by feature. Handlers stay thin: parse the form, ask the store, render.

pub mod account;
pub mod activities;
pub mod admin;
pub mod audit_log;
pub mod auth;
pub mod calendar;
pub mod chat;
pub mod encourage;
pub mod holidays;
pub mod home;
pub mod households;
pub mod import;
pub mod messages;
pub mod portal;
pub mod portal_staff;
pub mod public;
pub mod reminders;
pub mod sessions;

use mtp_domain::audit::Outcome;
use mtp_store::NewAuditEvent;
use uuid::Uuid;

use crate::AppState;
use crate::ctx::User;

/// What an audit entry is about.
pub struct Subject<'a> {
    pub object_type: &'a str,
    pub object_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
}

impl Subject<'static> {
    pub fn account(id: Uuid) -> Self {
        Subject::of("account", id)
    }

    pub fn neighbourhood(id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(id),
            ..Subject::of("neighbourhood", id)
        }
    }

    pub fn household(id: Uuid, neighbourhood_id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(neighbourhood_id),
            ..Subject::of("household", id)
        }
    }

    pub fn in_neighbourhood(object_type: &'static str, id: Uuid, neighbourhood_id: Uuid) -> Self {
        Subject {
            neighbourhood_id: Some(neighbourhood_id),
            ..Subject::of(object_type, id)
        }
    }

    pub fn of(object_type: &'static str, id: Uuid) -> Self {
        Subject {
            object_type,
            object_id: Some(id),
            neighbourhood_id: None,
        }
    }

    pub fn none(object_type: &'static str) -> Self {
        Subject {
            object_type,
            object_id: None,
            neighbourhood_id: None,
        }
    }
}

/// The audit entry of an action of a signed-in user, for a store call that commits it in the
/// same transaction as the change.
pub fn audit_event(user: &User, action: &str, subject: Subject<'_>, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        org_id: user.org.id,
        actor_id: Some(user.account.id),
        actor_role: user.role().as_str().into(),
        action: action.into(),
        object_type: subject.object_type.into(),
        object_id: subject.object_id,
        neighbourhood_id: subject.neighbourhood_id,
        outcome: Outcome::Allowed,
        detail: detail.into(),
    }
}

/// Record an action of a signed-in user. A failure to write the trail is logged, and the
/// action still answers: the write it records has already happened.
pub async fn audit(
    state: &AppState,
    user: &User,
    action: &str,
    subject: Subject<'_>,
    detail: &str,
) {
    let event = audit_event(user, action, subject, detail);
    if let Err(e) = state.store.audit(event).await {
        tracing::error!(error = %e, action, "could not write audit event");
    }
}

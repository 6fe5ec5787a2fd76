//! Audit entries of the people who use the site (docs/architecture.md, "Audit chain").
//!
//! A change hands its entry to the store call that makes it, so both commit in one
//! transaction ([`audit_event`], [`parent_event`]). Only what changes nothing — a page
//! read, an export — is recorded afterwards ([`audit`], [`audit_parent`]).

use mtp_domain::audit::{Action, Outcome};
use mtp_store::NewAuditEvent;
use mtp_store::portal::PortalScope;
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
pub fn audit_event(
    user: &User,
    action: Action,
    subject: Subject<'_>,
    detail: &str,
) -> NewAuditEvent {
    NewAuditEvent {
        org_id: user.org.id,
        actor_id: Some(user.account.id),
        actor_role: user.role().as_str().into(),
        action,
        object_type: subject.object_type.into(),
        object_id: subject.object_id,
        neighbourhood_id: subject.neighbourhood_id,
        outcome: Outcome::Allowed,
        detail: detail.into(),
    }
}

/// The audit entry of something a parent did: no account, the household as actor and object.
pub fn parent_event(scope: &PortalScope, action: Action, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        org_id: scope.org_id(),
        actor_id: None,
        actor_role: "parent".into(),
        action,
        object_type: "household".into(),
        object_id: Some(scope.household_id()),
        neighbourhood_id: Some(scope.neighbourhood_id()),
        outcome: Outcome::Allowed,
        detail: detail.into(),
    }
}

/// Record what a signed-in user read. A failure to write the trail is logged, and the page
/// still answers.
pub async fn audit(
    state: &AppState,
    user: &User,
    action: Action,
    subject: Subject<'_>,
    detail: &str,
) {
    record(state, audit_event(user, action, subject, detail)).await;
}

/// Record what a parent read or did outside the data (signing in or out), as [`audit`].
pub async fn audit_parent(state: &AppState, scope: &PortalScope, action: Action, detail: &str) {
    record(state, parent_event(scope, action, detail)).await;
}

/// Write an entry on its own. A failure is logged; the request still answers.
pub async fn record(state: &AppState, event: NewAuditEvent) {
    let action = event.action.as_str();
    if let Err(e) = state.store.audit(event).await {
        tracing::error!(error = %e, action, "could not write audit event");
    }
}

//! Loading history in bulk: contact moments and consents that happened before the data came
//! into this system (the national benchmark data set, `mtp generate --scale national`).
//!
//! Rows go in as multi-row INSERTs in one transaction per call, the same path the spreadsheet
//! import takes, so SQLite and PostgreSQL share it.

use chrono::{DateTime, Utc};
use mtp_domain::Channel;
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::consent::{CURRENT_TEXT_VERSION, ConsentMethod, Purpose};
use mtp_domain::message::ContactOutcome;
use sea_orm::{Set, TransactionTrait};
use uuid::Uuid;

use crate::entities::{consent_record, contact_moment};
use crate::{NewAuditEvent, Result, Store};

/// A contact moment that already happened: a worker's call or message before a session.
#[derive(Debug, Clone)]
pub struct PastContact {
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub session_id: Option<Uuid>,
    pub channel: Channel,
    pub outcome: ContactOutcome,
    pub at: DateTime<Utc>,
}

/// A consent given or withdrawn in the past.
#[derive(Debug, Clone)]
pub struct PastConsent {
    pub household_id: Uuid,
    pub purpose: Purpose,
    pub given: bool,
    pub method: ConsentMethod,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Insert past contact moments and consents of one organisation in one transaction. Each
    /// contact moment gets its audit entry, as one recorded through the worklist does, so the
    /// audit log of a generated organisation has the size it would have in real use.
    pub async fn load_history(
        &self,
        org_id: Uuid,
        contacts: &[PastContact],
        consents: &[PastConsent],
    ) -> Result<(u64, u64)> {
        self.audit_ensure_head(org_id).await?;
        let txn = self.db.begin().await?;
        let mut cm = Vec::with_capacity(contacts.len());
        let mut events = Vec::with_capacity(contacts.len());
        for c in contacts {
            let id = Uuid::now_v7();
            cm.push(contact_moment::ActiveModel {
                id: Set(id),
                org_id: Set(org_id),
                household_id: Set(c.household_id),
                session_id: Set(c.session_id),
                actor_id: Set(None),
                channel: Set(c.channel.as_str().into()),
                outcome: Set(c.outcome.as_str().into()),
                reason: Set(c.outcome.reason().map(|r| r.as_str().to_string())),
                note: Set(String::new()),
                follow_up_on: Set(None),
                follow_up_done_at: Set(None),
                at: Set(c.at),
            });
            events.push(NewAuditEvent {
                org_id,
                actor_id: None,
                actor_role: "system".into(),
                action: Action::ContactRecorded,
                object_type: "household".into(),
                object_id: Some(c.household_id),
                neighbourhood_id: Some(c.neighbourhood_id),
                outcome: Outcome::Allowed,
                detail: format!("outcome={} loaded", c.outcome.as_str()),
            });
        }
        let cr: Vec<consent_record::ActiveModel> = consents
            .iter()
            .map(|c| consent_record::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(org_id),
                household_id: Set(c.household_id),
                purpose: Set(c.purpose.as_str().into()),
                given: Set(c.given),
                at: Set(c.at),
                method: Set(c.method.as_str().into()),
                text_version: Set(CURRENT_TEXT_VERSION.into()),
                recorded_by: Set(None),
            })
            .collect();
        crate::imports::insert_chunked(&txn, cm).await?;
        crate::imports::insert_chunked(&txn, cr).await?;
        let households: Vec<Uuid> = consents.iter().map(|c| c.household_id).collect();
        crate::household_facts::refresh_household_facts(&txn, org_id, &households).await?;
        // The head exists (made above), so this appends rather than asking for a retry.
        if crate::audit::append_audit_many(&txn, org_id, events)
            .await?
            .is_some()
        {
            txn.rollback().await?;
            return Err(crate::StoreError::NotFound);
        }
        txn.commit().await?;
        Ok((contacts.len() as u64, consents.len() as u64))
    }
}

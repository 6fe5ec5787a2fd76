//! A worker's reflection on the handbook's competencies (issue #19, docs/guide/help.md).
//!
//! Every read and write is by the account itself: the functions take the signed-in account's
//! id, never an id from a request, so there is no way to ask for somebody else's reflection
//! (docs/decisions.md, "Who sees a worker's reflection"). The audit entry records that a
//! reflection was saved, never its ratings or note.

use chrono::{DateTime, Utc};
use mtp_domain::Tenant;
use mtp_domain::reflection::{Rating, ReflectionDraft, parse_ratings};
use sea_orm::TransactionTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::reflection;
use crate::{NewAuditEvent, Result, Store};

/// A reflection as its writer reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reflection {
    pub id: Uuid,
    pub ratings: Vec<(&'static str, Rating)>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Save a reflection of the account `me` (the signed-in account), written at `at`, with
    /// its audit entry in the same transaction.
    pub async fn add_reflection(
        &self,
        tenant: &Tenant,
        me: Uuid,
        d: &ReflectionDraft,
        at: DateTime<Utc>,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        reflection::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            account_id: Set(me),
            ratings: Set(d.ratings_text()),
            note: Set(d.note.clone()),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The reflections of the account `me` (the signed-in account), newest first.
    pub async fn my_reflections(&self, tenant: &Tenant, me: Uuid) -> Result<Vec<Reflection>> {
        Ok(reflection::Entity::find()
            .filter(reflection::Column::OrgId.eq(tenant.org_id))
            .filter(reflection::Column::AccountId.eq(me))
            .order_by_desc(reflection::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| Reflection {
                id: r.id,
                ratings: parse_ratings(&r.ratings),
                note: r.note,
                created_at: r.created_at,
            })
            .collect())
    }
}

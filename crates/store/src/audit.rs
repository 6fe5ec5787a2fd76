//! The append-only audit trail, one hash chain per organisation.

use chrono::{DateTime, Utc};
use mtp_domain::audit::{Action, AuditFields, GENESIS, chain_hash};
use mtp_domain::{Role, Tenant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IdenStatic, JoinType, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

use crate::entities::{account, account_neighbourhood, audit_event, audit_head};
use crate::{Result, Store, now};

/// An event to record. `detail` must never hold personal data: ids and codes only.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    /// The organisation; `SYSTEM_CHAIN` (nil) when none is known.
    pub org_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    pub action: Action,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
    pub outcome: mtp_domain::audit::Outcome,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    pub outcome: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub outcome: Option<String>,
    pub object_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Show events with a sequence number below this one (the next page).
    pub before_seq: Option<i64>,
}

/// The result of checking one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub org_id: Uuid,
    pub events: i64,
    /// The first sequence number at which the chain is broken, if any.
    pub broken_at: Option<i64>,
}

fn fields(m: &audit_event::Model) -> AuditFields<'_> {
    AuditFields {
        chain_id: m.org_id,
        seq: m.seq,
        at: m.at,
        actor_id: m.actor_id,
        action: &m.action,
        object_type: &m.object_type,
        object_id: m.object_id,
        neighbourhood_id: m.neighbourhood_id,
        outcome: &m.outcome,
        detail: &m.detail,
    }
}

/// Append one event inside the caller's transaction, so a change and its audit entry commit
/// together. Gives the event back when the organisation has no chain head yet.
pub(crate) async fn append_audit<C: ConnectionTrait>(
    txn: &C,
    e: NewAuditEvent,
) -> Result<Option<NewAuditEvent>> {
    Ok(append_audit_many(txn, e.org_id, vec![e])
        .await?
        .and_then(|mut v| v.pop()))
}

/// Append events of one organisation, in order, inside the caller's transaction: one bump of
/// the chain head for all of them, so a batch of check-ins costs four statements of audit,
/// not four per tap. Gives the events back when the organisation has no chain head yet.
///
/// The head row is *updated first*: that takes PostgreSQL's row lock and SQLite's write
/// lock before anything is read, so two servers appending at once are put in line instead
/// of both linking to the same predecessor.
pub(crate) async fn append_audit_many<C: ConnectionTrait>(
    txn: &C,
    org_id: Uuid,
    events: Vec<NewAuditEvent>,
) -> Result<Option<Vec<NewAuditEvent>>> {
    if events.is_empty() {
        return Ok(None);
    }
    debug_assert!(events.iter().all(|e| e.org_id == org_id));
    let n = events.len() as i64;
    // One statement bumps the head and reads it back (`UPDATE … RETURNING`, both databases).
    let mut bump = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(n),
        )
        .filter(audit_head::Column::OrgId.eq(org_id))
        .into_query();
    bump.returning(
        Query::returning().columns([audit_head::Column::Seq, audit_head::Column::LastHash]),
    );
    let Some(head) = txn.query_one(&bump).await? else {
        return Ok(Some(events));
    };
    let head_seq: i64 = head.try_get("", audit_head::Column::Seq.as_str())?;
    let last_hash: String = head.try_get("", audit_head::Column::LastHash.as_str())?;
    let at = now();
    let mut prev = last_hash;
    let mut rows = Vec::with_capacity(events.len());
    for (seq, e) in (head_seq - n + 1..).zip(events) {
        let mut row = audit_event::Model {
            id: Uuid::now_v7(),
            org_id,
            seq,
            at,
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            action: e.action.as_str().to_string(),
            object_type: e.object_type,
            object_id: e.object_id,
            neighbourhood_id: e.neighbourhood_id,
            outcome: e.outcome.as_str().to_string(),
            detail: e.detail,
            prev_hash: prev,
            hash: String::new(),
        };
        row.hash = chain_hash(&row.prev_hash, &fields(&row));
        prev = row.hash.clone();
        rows.push(audit_event::ActiveModel::from(row));
    }
    // Fourteen columns a row: well within both databases' limits on bound values.
    for chunk in rows.chunks(500) {
        audit_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, prev.into())
        .filter(audit_head::Column::OrgId.eq(org_id))
        .exec(txn)
        .await?;
    Ok(None)
}

/// Append one event inside the caller's transaction, making the organisation's chain head
/// first when it has none yet, so a change and its audit entry commit together. A head made
/// here by two servers at once is one head: the second insert waits for the first and then
/// does nothing.
pub(crate) async fn append_audit_in<C: ConnectionTrait>(txn: &C, e: NewAuditEvent) -> Result<()> {
    let org_id = e.org_id;
    let Some(e) = append_audit(txn, e).await? else {
        return Ok(());
    };
    insert_head(txn, org_id).await?;
    match append_audit(txn, e).await? {
        None => Ok(()),
        Some(_) => Err(crate::StoreError::NotFound),
    }
}

/// Append the event, if there is one, as [`append_audit_in`].
pub(crate) async fn append_audit_opt<C: ConnectionTrait>(
    txn: &C,
    e: Option<NewAuditEvent>,
) -> Result<()> {
    match e {
        Some(e) => append_audit_in(txn, e).await,
        None => Ok(()),
    }
}

async fn insert_head<C: ConnectionTrait>(db: &C, org_id: Uuid) -> Result<()> {
    audit_head::Entity::insert(audit_head::ActiveModel {
        org_id: Set(org_id),
        seq: Set(0),
        last_hash: Set(GENESIS.to_string()),
    })
    .on_conflict(
        OnConflict::column(audit_head::Column::OrgId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

impl Store {
    /// Append `e` inside `txn` and commit both. When the organisation has no chain head yet,
    /// roll back, make the head and answer `false`: the caller runs its transaction again.
    pub(crate) async fn commit_with_audit(
        &self,
        txn: sea_orm::DatabaseTransaction,
        e: NewAuditEvent,
    ) -> Result<bool> {
        let org_id = e.org_id;
        if append_audit(&txn, e).await?.is_none() {
            txn.commit().await?;
            return Ok(true);
        }
        txn.rollback().await?;
        self.audit_ensure_head(org_id).await?;
        Ok(false)
    }

    /// Make sure a chain has its head row. Idempotent; safe with many servers.
    pub(crate) async fn audit_ensure_head(&self, org_id: Uuid) -> Result<()> {
        insert_head(&self.db, org_id).await
    }

    /// Append one event to its organisation's chain.
    ///
    /// The head row is *updated first*: that takes PostgreSQL's row lock and SQLite's write
    /// lock before anything is read, so two servers appending at once are put in line instead
    /// of both linking to the same predecessor.
    pub async fn audit(&self, e: NewAuditEvent) -> Result<()> {
        let (gate, txn) = self.begin_write().await?;
        let org_id = e.org_id;
        if let Some(e) = append_audit(&txn, e).await? {
            txn.rollback().await?;
            // Let go of the gate first: the retry takes it again.
            drop(gate);
            self.audit_ensure_head(org_id).await?;
            return Box::pin(self.audit(e)).await;
        }
        txn.commit().await?;
        Ok(())
    }

    /// The newest events of an organisation that match the filter, at most `limit`: the
    /// whole trail, for an administrator, the CLI and tests.
    pub async fn audit_entries(
        &self,
        org_id: Uuid,
        f: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_query(org_id, None, f, limit).await
    }

    /// The events `viewer` may read, as [`Store::audit_entries`]. A role that sees the whole
    /// organisation reads its whole trail. Anyone else (a coordinator) reads the events of
    /// their neighbourhoods, their own actions, and the events without a neighbourhood about
    /// their own account or an account they manage: one that shares a neighbourhood with them
    /// and has a role they may grant (decisions (j) and (aj)). The reach is part of the one
    /// query, so a page still costs the same statements.
    pub async fn audit_entries_for(
        &self,
        tenant: &Tenant,
        viewer: Uuid,
        f: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEntry>> {
        if tenant.role.sees_whole_organisation() {
            return self.audit_query(tenant.org_id, None, f, limit).await;
        }
        let roles: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|r| tenant.role.may_grant(*r))
            .map(Role::as_str)
            .collect();
        let mut accounts: Vec<Uuid> = if roles.is_empty() || tenant.neighbourhoods.is_empty() {
            Vec::new()
        } else {
            account_neighbourhood::Entity::find()
                .select_only()
                .column(account_neighbourhood::Column::AccountId)
                .distinct()
                .join(
                    JoinType::InnerJoin,
                    account_neighbourhood::Entity::belongs_to(account::Entity)
                        .from(account_neighbourhood::Column::AccountId)
                        .to(account::Column::Id)
                        .into(),
                )
                .filter(account_neighbourhood::Column::OrgId.eq(tenant.org_id))
                .filter(account::Column::OrgId.eq(tenant.org_id))
                .filter(
                    account_neighbourhood::Column::NeighbourhoodId
                        .is_in(tenant.neighbourhoods.clone()),
                )
                .filter(account::Column::Role.is_in(roles))
                .into_tuple()
                .all(&self.db)
                .await?
        };
        accounts.push(viewer);
        let reach = Condition::any()
            .add(audit_event::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()))
            .add(audit_event::Column::ActorId.eq(viewer))
            .add(
                Condition::all()
                    .add(audit_event::Column::NeighbourhoodId.is_null())
                    .add(audit_event::Column::ObjectType.eq("account"))
                    .add(audit_event::Column::ObjectId.is_in(accounts)),
            );
        self.audit_query(tenant.org_id, Some(reach), f, limit).await
    }

    async fn audit_query(
        &self,
        org_id: Uuid,
        reach: Option<Condition>,
        f: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEntry>> {
        let mut q = audit_event::Entity::find().filter(audit_event::Column::OrgId.eq(org_id));
        if let Some(reach) = reach {
            q = q.filter(reach);
        }
        if let Some(a) = &f.action {
            q = q.filter(audit_event::Column::Action.eq(a.clone()));
        }
        if let Some(a) = f.actor_id {
            q = q.filter(audit_event::Column::ActorId.eq(a));
        }
        if let Some(o) = &f.outcome {
            q = q.filter(audit_event::Column::Outcome.eq(o.clone()));
        }
        if let Some(o) = f.object_id {
            q = q.filter(audit_event::Column::ObjectId.eq(o));
        }
        if let Some(t) = f.from {
            q = q.filter(audit_event::Column::At.gte(t));
        }
        if let Some(t) = f.until {
            q = q.filter(audit_event::Column::At.lt(t));
        }
        if let Some(s) = f.before_seq {
            q = q.filter(audit_event::Column::Seq.lt(s));
        }
        let rows = q
            .order_by_desc(audit_event::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await?;
        let actor_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
        let names: HashMap<Uuid, String> = if actor_ids.is_empty() {
            HashMap::new()
        } else {
            account::Entity::find()
                .filter(account::Column::OrgId.eq(org_id))
                .filter(account::Column::Id.is_in(actor_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|a| (a.id, a.display_name))
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                actor_name: r.actor_id.and_then(|a| names.get(&a).cloned()),
                actor_id: r.actor_id,
                actor_role: r.actor_role,
                action: r.action,
                object_type: r.object_type,
                object_id: r.object_id,
                outcome: r.outcome,
                detail: r.detail,
            })
            .collect())
    }

    /// Walk every chain from its first event and recompute each hash.
    pub async fn audit_verify(&self) -> Result<Vec<ChainReport>> {
        const PAGE: u64 = 1000;
        let heads = audit_head::Entity::find()
            .order_by_asc(audit_head::Column::OrgId)
            .all(&self.db)
            .await?;
        let mut reports = Vec::new();
        for head in heads {
            let mut prev = GENESIS.to_string();
            let mut expected_seq = 1;
            let mut broken_at = None;
            'pages: loop {
                let rows = audit_event::Entity::find()
                    .filter(audit_event::Column::OrgId.eq(head.org_id))
                    .filter(audit_event::Column::Seq.gte(expected_seq))
                    .order_by_asc(audit_event::Column::Seq)
                    .limit(PAGE)
                    .all(&self.db)
                    .await?;
                let n = rows.len();
                for r in rows {
                    if r.seq != expected_seq
                        || r.prev_hash != prev
                        || chain_hash(&prev, &fields(&r)) != r.hash
                    {
                        broken_at = Some(expected_seq);
                        break 'pages;
                    }
                    prev = r.hash;
                    expected_seq += 1;
                }
                if (n as u64) < PAGE {
                    break;
                }
            }
            let events = expected_seq - 1;
            // Rows removed from the end leave the head pointing past the last event.
            if broken_at.is_none() && (events != head.seq || prev != head.last_hash) {
                broken_at = Some(events + 1);
            }
            reports.push(ChainReport {
                org_id: head.org_id,
                events,
                broken_at,
            });
        }
        Ok(reports)
    }
}

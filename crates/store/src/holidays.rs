//! An organisation's own school-holiday dates. They refine the national table for the
//! organisation's region (`mtp_domain::schedule::Holidays`); the rules live in the domain.

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::schedule::{OwnHoliday, SchoolHoliday};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use uuid::Uuid;

use crate::entities::school_holiday;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// An own period as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHoliday {
    pub id: Uuid,
    pub period: OwnHoliday,
    pub created_at: DateTime<Utc>,
}

/// What a remove or a restore did. Either sent twice (a double tap, a resend) finds the period already
/// gone and says so, instead of failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Now(OwnHoliday),
    Already(OwnHoliday),
}

/// What the audit trail says about a period: codes and dates, nothing personal.
fn detail(p: &OwnHoliday) -> String {
    format!(
        "holiday={} first={} last={}",
        p.holiday.as_str(),
        p.first,
        p.last
    )
}

fn period_of(m: &school_holiday::Model) -> Option<OwnHoliday> {
    let holiday = SchoolHoliday::parse(&m.holiday).ok()?;
    let first = NaiveDate::parse_from_str(&m.first_day, "%Y-%m-%d").ok()?;
    let last = NaiveDate::parse_from_str(&m.last_day, "%Y-%m-%d").ok()?;
    // Stored rows passed the same check when they were added; this only guards against a
    // row changed by hand.
    OwnHoliday::new(holiday, first, last).ok()
}

fn stored(m: &school_holiday::Model) -> Option<StoredHoliday> {
    let period = period_of(m);
    if period.is_none() {
        tracing::error!(id = %m.id, "school holiday row unreadable: left out");
    }
    Some(StoredHoliday {
        id: m.id,
        period: period?,
        created_at: m.created_at,
    })
}

async fn live<C: sea_orm::ConnectionTrait>(db: &C, org_id: Uuid) -> Result<Vec<StoredHoliday>> {
    Ok(school_holiday::Entity::find()
        .filter(school_holiday::Column::OrgId.eq(org_id))
        .filter(school_holiday::Column::RemovedAt.is_null())
        .order_by_asc(school_holiday::Column::FirstDay)
        .all(db)
        .await?
        .iter()
        .filter_map(stored)
        .collect())
}

impl Store {
    /// The organisation's own school-holiday periods, earliest first.
    pub async fn school_holidays(&self, tenant: &Tenant) -> Result<Vec<StoredHoliday>> {
        live(&self.db, tenant.org_id).await
    }

    /// Add an own period, with its audit entry (the store fills in the entry's object id and
    /// detail).
    /// A period that overlaps one already there is refused as `Duplicate("first_day")`.
    pub async fn add_school_holiday(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        period: &OwnHoliday,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let audit = NewAuditEvent {
            object_id: Some(id),
            detail: detail(period),
            ..audit
        };
        loop {
            let txn = self.db.begin().await?;
            let existing: Vec<OwnHoliday> = live(&txn, tenant.org_id)
                .await?
                .into_iter()
                .map(|s| s.period)
                .collect();
            if period.overlapping(&existing).is_some() {
                txn.rollback().await?;
                return Err(StoreError::Duplicate("first_day"));
            }
            school_holiday::Entity::insert(school_holiday::ActiveModel {
                org_id: Set(tenant.org_id),
                id: Set(id),
                holiday: Set(period.holiday.as_str().into()),
                first_day: Set(period.first.to_string()),
                last_day: Set(period.last.to_string()),
                created_by: Set(actor),
                created_at: Set(now()),
                removed_by: Set(None),
                removed_at: Set(None),
            })
            .exec_without_returning(&txn)
            .await?;
            if self.commit_with_audit(txn, audit.clone()).await? {
                return Ok(id);
            }
        }
    }

    /// One own period of the tenant's organisation, removed or not (`true` when removed).
    pub async fn school_holiday(&self, tenant: &Tenant, id: Uuid) -> Result<(StoredHoliday, bool)> {
        let row = school_holiday::Entity::find()
            .filter(school_holiday::Column::OrgId.eq(tenant.org_id))
            .filter(school_holiday::Column::Id.eq(id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let removed = row.removed_at.is_some();
        Ok((stored(&row).ok_or(StoreError::NotFound)?, removed))
    }

    /// Bring back a removed own period (the undo after a remove), with its audit entry. One
    /// that overlaps a period added since is refused as `Duplicate("first_day")`.
    pub async fn restore_school_holiday(
        &self,
        tenant: &Tenant,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Changed> {
        self.mark_school_holiday(tenant, id, Mark::Restore, audit)
            .await
    }

    /// Remove an own period of the tenant's organisation, with its audit entry (detail filled
    /// in here); the national advice (if any) holds again. Another organisation's period, or
    /// none at all, is `NotFound`.
    pub async fn remove_school_holiday(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Changed> {
        self.mark_school_holiday(tenant, id, Mark::Remove(actor), audit)
            .await
    }

    /// Remove or bring back a period: the row stays, so the same request twice answers the
    /// same and is audited once.
    async fn mark_school_holiday(
        &self,
        tenant: &Tenant,
        id: Uuid,
        mark: Mark,
        audit: NewAuditEvent,
    ) -> Result<Changed> {
        let removing = matches!(mark, Mark::Remove(_));
        loop {
            let txn = self.db.begin().await?;
            let row = school_holiday::Entity::find()
                .filter(school_holiday::Column::OrgId.eq(tenant.org_id))
                .filter(school_holiday::Column::Id.eq(id))
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            let period = period_of(&row).ok_or(StoreError::NotFound)?;
            if row.removed_at.is_some() == removing {
                txn.rollback().await?;
                return Ok(Changed::Already(period));
            }
            if !removing {
                let others: Vec<OwnHoliday> = live(&txn, tenant.org_id)
                    .await?
                    .into_iter()
                    .map(|s| s.period)
                    .collect();
                if period.overlapping(&others).is_some() {
                    txn.rollback().await?;
                    return Err(StoreError::Duplicate("first_day"));
                }
            }
            let (at, by) = match mark {
                Mark::Remove(actor) => (Some(now()), actor),
                Mark::Restore => (None, None),
            };
            // Only a row in the other state: of two requests at once, one changes it and the
            // other finds it changed.
            let state = if removing {
                school_holiday::Column::RemovedAt.is_null()
            } else {
                school_holiday::Column::RemovedAt.is_not_null()
            };
            let changed = school_holiday::Entity::update_many()
                .col_expr(school_holiday::Column::RemovedAt, at.into())
                .col_expr(school_holiday::Column::RemovedBy, by.into())
                .filter(school_holiday::Column::OrgId.eq(tenant.org_id))
                .filter(school_holiday::Column::Id.eq(id))
                .filter(state)
                .exec(&txn)
                .await?
                .rows_affected;
            if changed == 0 {
                txn.rollback().await?;
                return Ok(Changed::Already(period));
            }
            let audit = NewAuditEvent {
                detail: detail(&period),
                ..audit.clone()
            };
            if self.commit_with_audit(txn, audit).await? {
                return Ok(Changed::Now(period));
            }
        }
    }
}

/// What [`Store::mark_school_holiday`] does, and who removes.
#[derive(Debug, Clone, Copy)]
enum Mark {
    Remove(Option<Uuid>),
    Restore,
}

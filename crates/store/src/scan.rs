//! The neighbourhood scan and a new site's start (issue #19, docs/guide/scan.md): the CBS
//! figures last imported, the key-informant conversations, the action plan and the start-up
//! checklist. Every call checks the neighbourhood is in the caller's reach (organisation and,
//! below administrator, one of their neighbourhoods); changes are for administrators and
//! coordinators only and write their audit entry in the same transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::cbs::Scan;
use mtp_domain::scan::{InformantDraft, PlanDraft, StartStep};
use mtp_domain::{Role, Tenant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{
    action_plan, neighbourhood, partner_org, scan_figures, scan_informant, start_step,
};
use crate::{Result, Store, StoreError, now};

/// The figures of the last import, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanFigures {
    pub year: i32,
    pub area_code: String,
    pub municipality: String,
    pub inhabitants: Option<u32>,
    pub households: Option<u32>,
    pub with_children: Option<u32>,
    pub average_income_tenths: Option<i64>,
    pub low_income_tenths: Option<i64>,
    pub social_minimum_tenths: Option<i64>,
    pub assistance: Option<u32>,
    pub share_tenths: Option<u32>,
    pub single_parent_estimate: Option<u32>,
    pub imported_at: DateTime<Utc>,
}

fn u(v: Option<i32>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}

fn i(v: Option<u32>) -> Option<i32> {
    v.map(|n| i32::try_from(n).unwrap_or(i32::MAX))
}

fn t(v: Option<i64>) -> Option<i32> {
    v.and_then(|n| i32::try_from(n).ok())
}

impl From<scan_figures::Model> for ScanFigures {
    fn from(m: scan_figures::Model) -> Self {
        ScanFigures {
            year: m.year,
            area_code: m.area_code,
            municipality: m.municipality,
            inhabitants: u(m.inhabitants),
            households: u(m.households),
            with_children: u(m.with_children),
            average_income_tenths: m.average_income_tenths.map(i64::from),
            low_income_tenths: m.low_income_tenths.map(i64::from),
            social_minimum_tenths: m.social_minimum_tenths.map(i64::from),
            assistance: u(m.assistance),
            share_tenths: u(m.share_tenths),
            single_parent_estimate: u(m.single_parent_estimate),
            imported_at: m.imported_at,
        }
    }
}

/// A key-informant conversation as stored; the partner's name when one is linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Informant {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub partner: Option<(Uuid, String)>,
    pub held_on: Option<NaiveDate>,
    pub sees: String,
}

/// The action plan; an empty one when nobody wrote it yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionPlan {
    pub plan: PlanDraft,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A ticked step of the start-up checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneStep {
    pub step: StartStep,
    pub done_on: Option<NaiveDate>,
    pub done_by: String,
}

/// Changes are for administrators and coordinators (the gate says so first).
fn may_change(tenant: &Tenant) -> Result<()> {
    if matches!(tenant.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

impl Store {
    /// The figures last imported for a neighbourhood in reach; `None` before the first import.
    pub async fn scan_figures(&self, tenant: &Tenant, nb: Uuid) -> Result<Option<ScanFigures>> {
        let n = self.neighbourhood(tenant, nb).await?;
        Ok(scan_figures::Entity::find()
            .filter(scan_figures::Column::OrgId.eq(n.org_id))
            .filter(scan_figures::Column::NeighbourhoodId.eq(n.id))
            .one(&self.db)
            .await?
            .map(ScanFigures::from))
    }

    /// Store an import's figures for a neighbourhood (replacing the last), and when it gives
    /// an estimate of single-parent households, make that the neighbourhood's target-group
    /// estimate with source "CBS <year>", dated `today`. The start-up step "scan done" is
    /// ticked with it (dated `today`, by `actor_name`), unless it already was: a later import
    /// keeps the first date. All or nothing, with `audit`.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_scan(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        actor_name: &str,
        nb: Uuid,
        year: i32,
        scan: &Scan,
        today: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        may_change(tenant)?;
        let n = self.neighbourhood(tenant, nb).await?;
        let f = &scan.figures;
        let txn = self.db.begin().await?;
        scan_figures::Entity::delete_many()
            .filter(scan_figures::Column::OrgId.eq(n.org_id))
            .filter(scan_figures::Column::NeighbourhoodId.eq(n.id))
            .exec(&txn)
            .await?;
        scan_figures::ActiveModel {
            org_id: Set(n.org_id),
            neighbourhood_id: Set(n.id),
            year: Set(year),
            area_code: Set(scan.code.clone()),
            municipality: Set(scan.municipality.clone()),
            inhabitants: Set(i(f.inhabitants)),
            households: Set(i(f.households)),
            with_children: Set(i(f.with_children)),
            average_income_tenths: Set(t(f.average_income_tenths)),
            low_income_tenths: Set(t(f.low_income_tenths)),
            social_minimum_tenths: Set(t(f.social_minimum_tenths)),
            assistance: Set(i(f.assistance)),
            share_tenths: Set(i(scan.share_tenths)),
            single_parent_estimate: Set(i(scan.single_parent_estimate)),
            imported_at: Set(now()),
            imported_by: Set(actor),
        }
        .insert(&txn)
        .await?;
        if let Some(estimate) = scan
            .single_parent_estimate
            .filter(|e| *e <= mtp_domain::TargetGroupEstimate::MAX)
        {
            neighbourhood::Entity::update_many()
                .col_expr(
                    neighbourhood::Column::TargetGroupEstimate,
                    i32::try_from(estimate).unwrap_or(i32::MAX).into(),
                )
                .col_expr(
                    neighbourhood::Column::TargetGroupSource,
                    format!("CBS {year}").into(),
                )
                .col_expr(
                    neighbourhood::Column::TargetGroupSetOn,
                    today.format("%Y-%m-%d").to_string().into(),
                )
                .filter(neighbourhood::Column::OrgId.eq(n.org_id))
                .filter(neighbourhood::Column::Id.eq(n.id))
                .exec(&txn)
                .await?;
        }
        start_step::Entity::insert(start_step::ActiveModel {
            org_id: Set(n.org_id),
            neighbourhood_id: Set(n.id),
            step: Set(StartStep::ScanDone.as_str().to_string()),
            done_on: Set(today.format("%Y-%m-%d").to_string()),
            done_by: Set(actor),
            done_by_name: Set(actor_name.chars().take(100).collect()),
        })
        .on_conflict(
            OnConflict::columns([
                start_step::Column::OrgId,
                start_step::Column::NeighbourhoodId,
                start_step::Column::Step,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The key-informant conversations of a neighbourhood in reach, latest first.
    pub async fn informants(&self, tenant: &Tenant, nb: Uuid) -> Result<Vec<Informant>> {
        let n = self.neighbourhood(tenant, nb).await?;
        let rows = scan_informant::Entity::find()
            .filter(scan_informant::Column::OrgId.eq(n.org_id))
            .filter(scan_informant::Column::NeighbourhoodId.eq(n.id))
            .order_by_desc(scan_informant::Column::HeldOn)
            .order_by_desc(scan_informant::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.partner_id).collect();
        let names: HashMap<Uuid, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            partner_org::Entity::find()
                .filter(partner_org::Column::OrgId.eq(n.org_id))
                .filter(partner_org::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|r| Informant {
                id: r.id,
                partner: r
                    .partner_id
                    .and_then(|p| names.get(&p).map(|name| (p, name.clone()))),
                name: r.name,
                organisation: r.organisation,
                held_on: r.held_on.parse().ok(),
                sees: r.sees,
            })
            .collect())
    }

    /// Log a key-informant conversation; a linked partner must be one of the organisation's,
    /// in the caller's reach and not deleted (`NotFound` otherwise).
    pub async fn add_informant(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        nb: Uuid,
        d: &InformantDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        may_change(tenant)?;
        let n = self.neighbourhood(tenant, nb).await?;
        let txn = self.db.begin().await?;
        if let Some(p) = d.partner_id {
            let row = crate::partners::row_in_reach(&txn, tenant, p).await?;
            if row.deleted_at.is_some() {
                return Err(StoreError::NotFound);
            }
        }
        let id = Uuid::now_v7();
        scan_informant::ActiveModel {
            id: Set(id),
            org_id: Set(n.org_id),
            neighbourhood_id: Set(n.id),
            name: Set(d.name.clone()),
            organisation: Set(d.organisation.clone()),
            partner_id: Set(d.partner_id),
            held_on: Set(d.held_on.format("%Y-%m-%d").to_string()),
            sees: Set(d.sees.clone()),
            created_at: Set(now()),
            created_by: Set(actor),
        }
        .insert(&txn)
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(id),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The action plan of a neighbourhood in reach (empty when none was written).
    pub async fn action_plan(&self, tenant: &Tenant, nb: Uuid) -> Result<ActionPlan> {
        let n = self.neighbourhood(tenant, nb).await?;
        Ok(action_plan::Entity::find()
            .filter(action_plan::Column::OrgId.eq(n.org_id))
            .filter(action_plan::Column::NeighbourhoodId.eq(n.id))
            .one(&self.db)
            .await?
            .map(|m| ActionPlan {
                plan: PlanDraft {
                    goals: m.goals,
                    modules: m.modules,
                    location: m.location,
                    partners: m.partners,
                    start_on: m.start_on.as_deref().and_then(|d| d.parse().ok()),
                },
                updated_at: Some(m.updated_at),
            })
            .unwrap_or_default())
    }

    /// Save the action plan (the whole document, replacing the last version).
    pub async fn save_action_plan(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        nb: Uuid,
        plan: &PlanDraft,
        audit: NewAuditEvent,
    ) -> Result<()> {
        may_change(tenant)?;
        let n = self.neighbourhood(tenant, nb).await?;
        let txn = self.db.begin().await?;
        action_plan::Entity::delete_many()
            .filter(action_plan::Column::OrgId.eq(n.org_id))
            .filter(action_plan::Column::NeighbourhoodId.eq(n.id))
            .exec(&txn)
            .await?;
        action_plan::ActiveModel {
            org_id: Set(n.org_id),
            neighbourhood_id: Set(n.id),
            goals: Set(plan.goals.clone()),
            modules: Set(plan.modules.clone()),
            location: Set(plan.location.clone()),
            partners: Set(plan.partners.clone()),
            start_on: Set(plan.start_on.map(|d| d.format("%Y-%m-%d").to_string())),
            updated_at: Set(now()),
            updated_by: Set(actor),
        }
        .insert(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The ticked steps of a neighbourhood in reach, in the checklist's order.
    pub async fn start_steps(&self, tenant: &Tenant, nb: Uuid) -> Result<Vec<DoneStep>> {
        let n = self.neighbourhood(tenant, nb).await?;
        let mut done: Vec<DoneStep> = start_step::Entity::find()
            .filter(start_step::Column::OrgId.eq(n.org_id))
            .filter(start_step::Column::NeighbourhoodId.eq(n.id))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|m| {
                Some(DoneStep {
                    step: StartStep::parse(&m.step).ok()?,
                    done_on: m.done_on.parse().ok(),
                    done_by: m.done_by_name,
                })
            })
            .collect();
        done.sort_by_key(|d| StartStep::ALL.iter().position(|s| *s == d.step));
        Ok(done)
    }

    /// How many steps each neighbourhood in reach has ticked, by neighbourhood id.
    pub async fn start_progress(&self, tenant: &Tenant) -> Result<HashMap<Uuid, usize>> {
        let ids: Vec<Uuid> = self
            .neighbourhoods(tenant)
            .await?
            .into_iter()
            .map(|n| n.id)
            .collect();
        let mut out: HashMap<Uuid, usize> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        for m in start_step::Entity::find()
            .filter(start_step::Column::OrgId.eq(tenant.org_id))
            .filter(start_step::Column::NeighbourhoodId.is_in(ids))
            .all(&self.db)
            .await?
        {
            if StartStep::parse(&m.step).is_ok() {
                *out.entry(m.neighbourhood_id).or_default() += 1;
            }
        }
        Ok(out)
    }

    /// Tick a step (dated `on`, by `actor` named `actor_name`) or, with `done` false, untick
    /// it. Ticking a ticked step keeps its first date.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_start_step(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        actor_name: &str,
        nb: Uuid,
        step: StartStep,
        done: bool,
        on: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        may_change(tenant)?;
        let n = self.neighbourhood(tenant, nb).await?;
        let txn = self.db.begin().await?;
        let existing = start_step::Entity::find()
            .filter(start_step::Column::OrgId.eq(n.org_id))
            .filter(start_step::Column::NeighbourhoodId.eq(n.id))
            .filter(start_step::Column::Step.eq(step.as_str()))
            .one(&txn)
            .await?;
        match (done, existing) {
            (true, None) => {
                start_step::ActiveModel {
                    org_id: Set(n.org_id),
                    neighbourhood_id: Set(n.id),
                    step: Set(step.as_str().to_string()),
                    done_on: Set(on.format("%Y-%m-%d").to_string()),
                    done_by: Set(actor),
                    done_by_name: Set(actor_name.chars().take(100).collect()),
                }
                .insert(&txn)
                .await?;
            }
            (false, Some(_)) => {
                start_step::Entity::delete_many()
                    .filter(start_step::Column::OrgId.eq(n.org_id))
                    .filter(start_step::Column::NeighbourhoodId.eq(n.id))
                    .filter(start_step::Column::Step.eq(step.as_str()))
                    .exec(&txn)
                    .await?;
            }
            // Nothing changes: no audit entry either.
            _ => return Ok(()),
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

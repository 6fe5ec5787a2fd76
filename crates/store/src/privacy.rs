//! The families' privacy rights: export, erasure (anonymisation) and retention.
//!
//! Erasure keeps what statistics need (kind, status, birth years, the timeline's dates and
//! kinds, consent history) and removes everything that names or reaches a person.

use chrono::{DateTime, Duration, Utc};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::portal::RequestKind;
use mtp_domain::{HouseholdStatus, Tenant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{
    calendar_feed, child, contact_moment, household, household_event, job, parent, portal_request,
    retention_run, rsvp,
};
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// What one retention run did for one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionReport {
    pub org_id: Uuid,
    pub ran_at: DateTime<Utc>,
    pub cutoff: DateTime<Utc>,
    pub anonymised: u32,
}

/// Anonymise one household inside a transaction. Conditional on `anonymised_at IS NULL`, so
/// two servers (or a retry after a crash) erase a household exactly once. The household's
/// open erasure requests are closed by it, in the same transaction: the erasure is the one
/// way such a request is done (the other is a refusal with a reason). Returns `None` when
/// another call did it, else the open erasure requests it closed, for the audit trail.
async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    id: Uuid,
    actor: Option<Uuid>,
    why: &str,
) -> Result<Option<Vec<portal_request::Model>>> {
    let t = now();
    let res = household::Entity::update_many()
        .col_expr(household::Column::AnonymisedAt, Expr::value(Some(t)))
        .col_expr(household::Column::Notes, Expr::value(""))
        .col_expr(household::Column::Interests, Expr::value(""))
        .col_expr(household::Column::Talents, Expr::value(""))
        .col_expr(
            household::Column::SourcePartner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            household::Column::StatusReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            household::Column::Postcode4,
            Expr::value(Option::<String>::None),
        )
        .filter(household::Column::OrgId.eq(org_id))
        .filter(household::Column::Id.eq(id))
        .filter(household::Column::AnonymisedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    parent::Entity::update_many()
        .col_expr(parent::Column::FirstName, Expr::value(""))
        .col_expr(
            parent::Column::LastName,
            Expr::value(Option::<String>::None),
        )
        .col_expr(parent::Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(parent::Column::Email, Expr::value(Option::<String>::None))
        .col_expr(parent::Column::Languages, Expr::value(""))
        .col_expr(parent::Column::FreeDays, Expr::value(""))
        .filter(parent::Column::OrgId.eq(org_id))
        .filter(parent::Column::HouseholdId.eq(id))
        .exec(db)
        .await?;
    crate::register::set_search_tokens(db, org_id, id, &Default::default()).await?;
    // The birth year stays for age statistics; the month and the name go.
    child::Entity::update_many()
        .col_expr(child::Column::FirstName, Expr::value(""))
        .col_expr(child::Column::BirthMonth, Expr::value(1))
        .filter(child::Column::OrgId.eq(org_id))
        .filter(child::Column::HouseholdId.eq(id))
        .exec(db)
        .await?;
    crate::household_facts::refresh_household_facts(db, org_id, &[id]).await?;
    // Attendance counts stay for the figures; a free-text reason and the calendar address go.
    rsvp::Entity::update_many()
        .col_expr(rsvp::Column::Reason, Expr::value(Option::<String>::None))
        .filter(rsvp::Column::OrgId.eq(org_id))
        .filter(rsvp::Column::HouseholdId.eq(id))
        .exec(db)
        .await?;
    calendar_feed::Entity::update_many()
        .col_expr(calendar_feed::Column::RevokedAt, Expr::value(Some(t)))
        .filter(calendar_feed::Column::OrgId.eq(org_id))
        .filter(calendar_feed::Column::HouseholdId.eq(id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    // A worker's note of a call and the text of a queued or sent e-mail are about the family.
    contact_moment::Entity::update_many()
        .col_expr(contact_moment::Column::Note, Expr::value(""))
        .filter(contact_moment::Column::OrgId.eq(org_id))
        .filter(contact_moment::Column::HouseholdId.eq(id))
        .exec(db)
        .await?;
    // A referral's reason and a parent's quotes (docs/guide/help-referrals.md).
    crate::help_referrals::anonymise(db, org_id, id).await?;
    crate::quotes::anonymise(db, org_id, id).await?;
    crate::questionnaires::anonymise(db, org_id, id).await?;
    // Who asked for a wish, and what a parent's course was (docs/guide/wishes.md, talent.md).
    crate::wishes::anonymise(db, org_id, id).await?;
    crate::talent::anonymise(db, org_id, id).await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::State,
            Expr::case(
                job::Column::State.is_in(["waiting", "sending"]),
                Expr::value("cancelled"),
            )
            .finally(Expr::col(job::Column::State))
            .into(),
        )
        .col_expr(job::Column::Payload, Expr::value("{}"))
        .filter(job::Column::OrgId.eq(org_id))
        .filter(job::Column::HouseholdId.eq(id))
        .exec(db)
        .await?;
    household_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(org_id),
        household_id: Set(id),
        at: Set(t),
        actor_id: Set(actor),
        kind: Set("anonymised".into()),
        detail: Set(why.into()),
    }
    .insert(db)
    .await?;
    let open = portal_request::Entity::find()
        .filter(portal_request::Column::OrgId.eq(org_id))
        .filter(portal_request::Column::HouseholdId.eq(id))
        .filter(portal_request::Column::DoneAt.is_null())
        .all(db)
        .await?;
    // Every open request ends with the household: a new link can no longer be sent either.
    portal_request::Entity::update_many()
        .col_expr(portal_request::Column::DoneAt, Expr::value(Some(t)))
        .col_expr(portal_request::Column::DoneBy, Expr::value(actor))
        .filter(portal_request::Column::OrgId.eq(org_id))
        .filter(portal_request::Column::HouseholdId.eq(id))
        .filter(portal_request::Column::DoneAt.is_null())
        .exec(db)
        .await?;
    Ok(Some(
        open.into_iter()
            .filter(|r| r.kind == RequestKind::Erasure.as_str())
            .collect(),
    ))
}

/// The audit entries of erasure requests an anonymisation closed, each under the same actor
/// as the anonymisation's own entry.
async fn audit_closed_requests<C: ConnectionTrait>(
    db: &C,
    closed: &[portal_request::Model],
    like: &NewAuditEvent,
) -> Result<()> {
    for r in closed {
        crate::audit::append_audit_in(
            db,
            NewAuditEvent {
                org_id: r.org_id,
                actor_id: like.actor_id,
                actor_role: like.actor_role.clone(),
                action: Action::HouseholdErasureRequestErased,
                object_type: "household".into(),
                object_id: Some(r.household_id),
                neighbourhood_id: Some(r.neighbourhood_id),
                outcome: Outcome::Allowed,
                detail: format!("request={}", r.id),
            },
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Everything recorded about one household, as JSON (the right of access and portability).
    pub async fn export_household(&self, tenant: &Tenant, id: Uuid) -> Result<serde_json::Value> {
        let h = self.household(tenant, id).await?;
        let attendance = self.household_attendance(tenant, id, 10_000).await?;
        let help_referrals = crate::help_referrals::export(&self.db, tenant.org_id, id).await?;
        let quotes = crate::quotes::export(&self.db, tenant.org_id, id).await?;
        let talents = crate::talent::export(&self.db, tenant.org_id, id).await?;
        Ok(json!({
            "household": {
                "id": h.id,
                "neighbourhood": h.neighbourhood_name,
                "kind": h.kind.as_str(),
                "status": h.status.as_str(),
                "status_changed_at": h.status_changed_at,
                "status_reason": h.status_reason,
                "postcode4": h.postcode4,
                "source": h.source.as_str(),
                "source_partner": h.source_partner,
                // The partner organisation the family came through (issue #16), by name.
                "source_partner_org": h.source_partner_org.as_ref().map(|(_, name)| name),
                "interests": h.interests,
                "talents": h.talents,
                "notes": h.notes,
                "registered_at": h.created_at,
                "anonymised": h.anonymised,
            },
            "parents": h.parents.iter().map(|p| json!({
                "first_name": p.first_name,
                "last_name": p.last_name,
                "phone": p.phone.as_ref().map(|n| n.e164().to_string()),
                "email": p.email,
                "channel": p.channel.as_str(),
                "languages": p.languages,
                "works": p.works,
                "free_days": p.free_days,
            })).collect::<Vec<_>>(),
            "children": h.children.iter().map(|c| json!({
                "first_name": c.first_name,
                "birth_year": c.birth.year,
                "birth_month": c.birth.month,
            })).collect::<Vec<_>>(),
            "consents": h.consents.iter().map(|c| json!({
                "purpose": c.purpose.as_str(),
                "given": c.given,
                "at": c.at,
                "method": c.method.as_str(),
                "text_version": c.text_version,
            })).collect::<Vec<_>>(),
            "timeline": h.events.iter().map(|e| json!({
                "at": e.at,
                "kind": e.kind,
                "detail": e.detail,
            })).collect::<Vec<_>>(),
            "attendance": attendance.iter().map(|(s, a)| json!({
                "activity": s.activity_name,
                "starts_at": s.starts_at,
                "status": a.status.as_str(),
                "reason": a.reason.map(|r| r.as_str()),
                "children": a.children,
                "parents_who_came": h.parents.iter()
                    .filter(|p| a.parents.contains(&p.id))
                    .map(|p| p.first_name.as_str())
                    .collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            // Referrals to help and quotes (docs/guide/help-referrals.md).
            "help_referrals": help_referrals,
            "quotes": quotes,
            // Investments and return services (docs/guide/talent.md).
            "talents": talents,
        }))
    }

    /// Erase a household on request: anonymise it at once.
    pub async fn erase_household(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<bool> {
        let h = self.household(tenant, id).await?;
        if h.anonymised {
            return Ok(false);
        }
        let txn = self.db.begin().await?;
        let done = anonymise(&txn, tenant.org_id, id, actor, "request").await?;
        // Erased before (a resent form): no second entry.
        if let Some(closed) = &done {
            audit_closed_requests(&txn, closed, &audit).await?;
            crate::audit::append_audit_in(&txn, audit).await?;
        }
        txn.commit().await?;
        Ok(done.is_some())
    }

    /// Households whose data has been kept long enough: left before `cutoff`, or without any
    /// timeline activity or attendance since `cutoff`.
    async fn retention_candidates(&self, org_id: Uuid, cutoff: DateTime<Utc>) -> Result<Vec<Uuid>> {
        let left: Vec<Uuid> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::Status.eq(HouseholdStatus::Left.as_str()))
            .filter(household::Column::StatusChangedAt.lt(cutoff))
            .into_tuple()
            .all(&self.db)
            .await?;
        // A household is active when anything happened to it after the cutoff.
        let recent: std::collections::HashSet<Uuid> = household_event::Entity::find()
            .select_only()
            .column(household_event::Column::HouseholdId)
            .filter(household_event::Column::OrgId.eq(org_id))
            .filter(household_event::Column::At.gte(cutoff))
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let idle: Vec<Uuid> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::CreatedAt.lt(cutoff))
            .filter(
                sea_orm::Condition::any()
                    .add(household::Column::LastAttendedAt.is_null())
                    .add(household::Column::LastAttendedAt.lt(cutoff)),
            )
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|id| !recent.contains(id))
            .collect();
        let mut all = left;
        all.extend(idle);
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }

    /// The retention job for every organisation, with each organisation's own retention
    /// period. Safe to run on several servers at once and to re-run after a crash: each
    /// household is anonymised at most once, in its own transaction.
    pub async fn run_retention(&self) -> Result<Vec<RetentionReport>> {
        self.run_retention_as_of(now()).await
    }

    /// The retention job as if the clock said `as_of`: tests and a dry look ahead use it.
    pub async fn run_retention_as_of(&self, as_of: DateTime<Utc>) -> Result<Vec<RetentionReport>> {
        let mut reports = Vec::new();
        for org in self.organisations().await? {
            reports.push(self.retention_of(&org, as_of, None).await?);
        }
        Ok(reports)
    }

    /// The retention job for one organisation only: what its administrator may start. The
    /// other organisations of the installation keep their own timer. `audit` is the entry of
    /// the run, committed with its record; the store sets its detail to `anonymised=<n>`.
    pub async fn run_retention_for(
        &self,
        org_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<RetentionReport> {
        let org = self.organisation(org_id).await?;
        self.retention_of(&org, now(), Some(audit)).await
    }

    async fn retention_of(
        &self,
        org: &crate::Organisation,
        as_of: DateTime<Utc>,
        audit: Option<NewAuditEvent>,
    ) -> Result<RetentionReport> {
        let ran_at = now();
        let cutoff = as_of - Duration::days(i64::from(org.retention_months) * 30);
        let mut anonymised = 0u32;
        for id in self.retention_candidates(org.id, cutoff).await? {
            let txn = self.db.begin().await?;
            let done = anonymise(&txn, org.id, id, None, "retention").await?;
            if let Some(closed) = &done {
                let event = NewAuditEvent {
                    org_id: org.id,
                    actor_id: None,
                    actor_role: "system".into(),
                    action: Action::HouseholdAnonymised,
                    object_type: "household".into(),
                    object_id: Some(id),
                    neighbourhood_id: None,
                    outcome: Outcome::Allowed,
                    detail: format!("retention_months={}", org.retention_months),
                };
                audit_closed_requests(&txn, closed, &event).await?;
                crate::audit::append_audit_in(&txn, event).await?;
            }
            txn.commit().await?;
            if done.is_some() {
                anonymised += 1;
            }
        }
        let txn = self.db.begin().await?;
        retention_run::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(org.id),
            ran_at: Set(ran_at),
            cutoff: Set(cutoff),
            anonymised: Set(i32::try_from(anonymised).unwrap_or(i32::MAX)),
        }
        .insert(&txn)
        .await?;
        let audit = audit.map(|e| NewAuditEvent {
            detail: format!("anonymised={anonymised}"),
            ..e
        });
        crate::audit::append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(RetentionReport {
            org_id: org.id,
            ran_at,
            cutoff,
            anonymised,
        })
    }

    /// The latest retention runs of an organisation, newest first.
    pub async fn retention_runs(&self, org_id: Uuid, limit: u64) -> Result<Vec<RetentionReport>> {
        Ok(retention_run::Entity::find()
            .filter(retention_run::Column::OrgId.eq(org_id))
            .order_by_desc(retention_run::Column::RanAt)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| RetentionReport {
                org_id: r.org_id,
                ran_at: r.ran_at,
                cutoff: r.cutoff,
                anonymised: u32::try_from(r.anonymised).unwrap_or(0),
            })
            .collect())
    }

    /// Whether a household exists at all in this organisation (for tests and the CLI).
    pub async fn household_is_anonymised(&self, org_id: Uuid, id: Uuid) -> Result<bool> {
        household::Entity::find_by_id(id)
            .filter(household::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?
            .map(|h| h.anonymised_at.is_some())
            .ok_or(StoreError::NotFound)
    }
}

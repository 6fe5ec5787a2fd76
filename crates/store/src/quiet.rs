//! The families to propose as *even stil* (quiet) on the worker's start page, and the worker's
//! answer to a proposal (`mtp_domain::quiet`, issue #17). The status itself changes only
//! through `Store::set_household_status`, when the worker confirms.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_domain::quiet::{self, QuietFacts};
use mtp_domain::{HouseholdStatus, Tenant, schedule};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use sea_orm::{QueryOrder, TransactionTrait};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{attendance, household, session};
use crate::{Result, Store, StoreError, now};

/// One family the start page proposes as quiet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietProposal {
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    /// "Sanne & Ahmed".
    pub first_names: String,
    pub visits: u32,
    pub last_visit: NaiveDate,
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&schedule::TZ).date_naive()
}

impl Store {
    /// The families in the tenant's reach that the rule proposes as quiet on `today`, longest
    /// away first, at most `limit`.
    ///
    /// The household's kept last check-in (`last_attended_at`) picks the candidates in one
    /// indexed read; their visits are then counted from the attendance rows, as the reports
    /// count them (present at a held session of the family's own neighbourhood).
    pub async fn quiet_proposals(
        &self,
        tenant: &Tenant,
        today: NaiveDate,
        limit: usize,
    ) -> Result<Vec<QuietProposal>> {
        let seen_since =
            schedule::local_to_utc(quiet::away_unless_seen_since(today), NaiveTime::MIN);
        let mut q = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .column(household::Column::NeighbourhoodId)
            .column(household::Column::QuietDismissedAt)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::Status.eq(HouseholdStatus::Active.as_str()))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::LastAttendedAt.lt(seen_since));
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(household::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()));
        }
        let candidates: Vec<(Uuid, Uuid, Option<DateTime<Utc>>)> =
            q.into_tuple().all(&self.db).await?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = candidates.iter().map(|c| c.0).collect();
        let visits = self.visits_of(tenant.org_id, &ids).await?;
        let mut out = Vec::new();
        for (id, nb, dismissed) in candidates {
            let own: Vec<DateTime<Utc>> = visits
                .get(&id)
                .map(|v| {
                    v.iter()
                        .filter(|(n, _)| *n == nb)
                        .map(|(_, at)| *at)
                        .collect()
                })
                .unwrap_or_default();
            let facts = QuietFacts {
                status: HouseholdStatus::Active,
                visits: u32::try_from(own.len()).unwrap_or(u32::MAX),
                last_visit: own.iter().max().map(|at| local_day(*at)),
                dismissed_on: dismissed.map(local_day),
            };
            if let (true, Some(last_visit)) =
                (quiet::propose_quiet(&facts, today), facts.last_visit)
            {
                out.push(QuietProposal {
                    household_id: id,
                    neighbourhood_id: nb,
                    first_names: String::new(),
                    visits: facts.visits,
                    last_visit,
                });
            }
        }
        out.sort_by_key(|p| (p.last_visit, p.household_id));
        out.truncate(limit);
        let shown: Vec<Uuid> = out.iter().map(|p| p.household_id).collect();
        let names = self.first_names(tenant, &shown).await?;
        for p in &mut out {
            p.first_names = names.get(&p.household_id).cloned().unwrap_or_default();
        }
        Ok(out)
    }

    /// Whether the rule proposes this household as quiet on `today`, and its neighbourhood:
    /// what the confirm button checks again, so an old start page cannot mark a family that
    /// came back. Reach-checked: a household out of reach is `NotFound`.
    pub async fn quiet_proposed(
        &self,
        tenant: &Tenant,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<(bool, Uuid)> {
        let h = self.household_row(tenant, id).await?;
        let visits = self.visits_of(tenant.org_id, &[id]).await?;
        let own: Vec<DateTime<Utc>> = visits
            .get(&id)
            .map(|v| {
                v.iter()
                    .filter(|(n, _)| *n == h.neighbourhood_id)
                    .map(|(_, at)| *at)
                    .collect()
            })
            .unwrap_or_default();
        let facts = QuietFacts {
            status: HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Contacted),
            visits: u32::try_from(own.len()).unwrap_or(u32::MAX),
            last_visit: own.iter().max().map(|at| local_day(*at)),
            dismissed_on: h.quiet_dismissed_at.map(local_day),
        };
        Ok((quiet::propose_quiet(&facts, today), h.neighbourhood_id))
    }

    /// The worker says the family is not quiet: the proposal goes until the family comes
    /// again and stays away for 8 weeks once more. Reach-checked; the audit entry is written
    /// in the same transaction.
    pub async fn dismiss_quiet_proposal(
        &self,
        tenant: &Tenant,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let h = self.household_row(tenant, id).await?;
        let txn = self.db.begin().await?;
        let res = household::Entity::update_many()
            .col_expr(household::Column::QuietDismissedAt, now().into())
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::Id.eq(h.id))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Each household's visits: the neighbourhood and start of every held session it was
    /// present at.
    async fn visits_of(
        &self,
        org_id: Uuid,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<(Uuid, DateTime<Utc>)>>> {
        let mut out: HashMap<Uuid, Vec<(Uuid, DateTime<Utc>)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, Uuid, DateTime<Utc>)> = attendance::Entity::find()
                .select_only()
                .column(attendance::Column::HouseholdId)
                .column(session::Column::NeighbourhoodId)
                .column(session::Column::StartsAt)
                .join(
                    JoinType::InnerJoin,
                    attendance::Entity::belongs_to(session::Entity)
                        .from(attendance::Column::SessionId)
                        .to(session::Column::Id)
                        .into(),
                )
                .filter(attendance::Column::OrgId.eq(org_id))
                .filter(session::Column::OrgId.eq(org_id))
                .filter(attendance::Column::HouseholdId.is_in(chunk.to_vec()))
                .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
                .filter(session::Column::State.eq(SessionState::Held.as_str()))
                .order_by_asc(session::Column::StartsAt)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (household_id, nb, at) in rows {
                out.entry(household_id).or_default().push((nb, at));
            }
        }
        Ok(out)
    }
}

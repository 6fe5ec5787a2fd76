//! Talent development with a return service, and the engagement ladder (issue #18,
//! docs/guide/talent.md, handbook §3.3). The rules are `mtp_domain::talent`.
//!
//! A talent row is an investment in one parent and the return service agreed for it; its
//! sessions (`talent_session`) are always of the talent's own neighbourhood. The state a page
//! shows is the stored one moved on by the sessions given (`state_by_progress`), so marking a
//! session held elsewhere needs no second write here.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::activity::Cost;
use mtp_domain::attendance::SessionState;
use mtp_domain::talent::{
    LadderFacts, LadderStep, TalentDraft, TalentState, ladder_counts, ladder_step,
    state_by_progress,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::activities::SessionSummary;
use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{activity_organiser, household, parent, session, talent, talent_session};
use crate::{Result, Store, StoreError, now};

/// An investment in a parent and its return service, as the pages show it.
#[derive(Debug, Clone)]
pub struct Talent {
    pub id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    /// The parent's first name ("" once erased).
    pub parent_name: String,
    pub course: String,
    pub certificate: String,
    pub cost: Cost,
    pub invested_on: Option<NaiveDate>,
    pub budget: String,
    pub service: String,
    pub sessions_agreed: u32,
    /// Linked sessions that were held.
    pub sessions_given: u32,
    /// As stored, moved on by the sessions given.
    pub state: TalentState,
    /// The linked sessions, oldest first.
    pub sessions: Vec<SessionSummary>,
    pub created_at: DateTime<Utc>,
}

/// A parent to pick on the new-investment form.
#[derive(Debug, Clone)]
pub struct ParentChoice {
    pub id: Uuid,
    pub household_id: Uuid,
    pub name: String,
}

fn u32_of(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl Store {
    async fn talent_rows(&self, tenant: &Tenant, rows: Vec<talent::Model>) -> Result<Vec<Talent>> {
        let rows: Vec<talent::Model> = rows
            .into_iter()
            .filter(|t| tenant.may_see_neighbourhood(t.org_id, t.neighbourhood_id))
            .collect();
        let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
        let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for l in talent_session::Entity::find()
                .filter(talent_session::Column::OrgId.eq(tenant.org_id))
                .filter(talent_session::Column::TalentId.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                links.entry(l.talent_id).or_default().push(l.session_id);
            }
        }
        let session_ids: Vec<Uuid> = links.values().flatten().copied().collect();
        let mut sessions = Vec::new();
        for chunk in session_ids.chunks(500) {
            sessions.extend(
                session::Entity::find()
                    .filter(session::Column::OrgId.eq(tenant.org_id))
                    .filter(session::Column::Id.is_in(chunk.to_vec()))
                    .order_by_asc(session::Column::StartsAt)
                    .all(&self.db)
                    .await?,
            );
        }
        let summaries: HashMap<Uuid, SessionSummary> = self
            .summaries(tenant.org_id, sessions)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let parent_ids: Vec<Uuid> = rows.iter().map(|t| t.parent_id).collect();
        let mut names: HashMap<Uuid, String> = HashMap::new();
        for chunk in parent_ids.chunks(500) {
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::Id.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                names.insert(p.id, p.first_name);
            }
        }
        Ok(rows
            .into_iter()
            .map(|t| {
                let mut linked: Vec<SessionSummary> = links
                    .get(&t.id)
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|s| summaries.get(s).cloned())
                            .collect()
                    })
                    .unwrap_or_default();
                linked.sort_by_key(|s| s.starts_at);
                let given = u32::try_from(
                    linked
                        .iter()
                        .filter(|s| s.state == SessionState::Held)
                        .count(),
                )
                .unwrap_or(u32::MAX);
                let agreed = u32_of(t.sessions_agreed);
                let stored = TalentState::parse(&t.state).unwrap_or(TalentState::Agreed);
                Talent {
                    id: t.id,
                    household_id: t.household_id,
                    neighbourhood_id: t.neighbourhood_id,
                    parent_name: names.get(&t.parent_id).cloned().unwrap_or_default(),
                    course: t.course,
                    certificate: t.certificate,
                    cost: Cost::from_cents(u32_of(t.cost_cents)).unwrap_or_default(),
                    invested_on: NaiveDate::parse_from_str(&t.invested_on, "%Y-%m-%d").ok(),
                    budget: t.budget,
                    service: t.service,
                    sessions_agreed: agreed,
                    sessions_given: given,
                    state: state_by_progress(stored, given, agreed),
                    sessions: linked,
                    created_at: t.created_at,
                }
            })
            .collect())
    }

    /// The investments of one neighbourhood, newest first.
    pub async fn talents(&self, tenant: &Tenant, neighbourhood_id: Uuid) -> Result<Vec<Talent>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let rows = talent::Entity::find()
            .filter(talent::Column::OrgId.eq(tenant.org_id))
            .filter(talent::Column::NeighbourhoodId.eq(neighbourhood_id))
            .order_by_desc(talent::Column::CreatedAt)
            .limit(500)
            .all(&self.db)
            .await?;
        self.talent_rows(tenant, rows).await
    }

    /// The investments in the parents of one household.
    pub async fn talents_of_household(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
    ) -> Result<Vec<Talent>> {
        let h = self.household_row(tenant, household_id).await?;
        let rows = talent::Entity::find()
            .filter(talent::Column::OrgId.eq(h.org_id))
            .filter(talent::Column::HouseholdId.eq(h.id))
            .order_by_desc(talent::Column::CreatedAt)
            .all(&self.db)
            .await?;
        self.talent_rows(tenant, rows).await
    }

    async fn talent_row(&self, tenant: &Tenant, id: Uuid) -> Result<talent::Model> {
        talent::Entity::find_by_id(id)
            .filter(talent::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|t| tenant.may_see_neighbourhood(t.org_id, t.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// One investment.
    pub async fn talent(&self, tenant: &Tenant, id: Uuid) -> Result<Talent> {
        let row = self.talent_row(tenant, id).await?;
        self.talent_rows(tenant, vec![row])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The parents of a neighbourhood's households that take part now, to pick on the form.
    pub async fn parent_choices(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<Vec<ParentChoice>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let households: Vec<Uuid> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::Status.ne("left"))
            .limit(1000)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = Vec::new();
        for chunk in households.chunks(500) {
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                let name = match &p.last_name {
                    Some(last) => format!("{} {last}", p.first_name),
                    None => p.first_name.clone(),
                };
                out.push(ParentChoice {
                    id: p.id,
                    household_id: p.household_id,
                    name,
                });
            }
        }
        out.sort_by_key(|p| p.name.to_lowercase());
        Ok(out)
    }

    /// A new investment in a parent of a household within reach, with its timeline entry
    /// and audit entry (the store sets the object and neighbourhood).
    pub async fn add_talent(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        parent_id: Uuid,
        d: &TalentDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let p = parent::Entity::find_by_id(parent_id)
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let h = self.household_row(tenant, p.household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        let at = now();
        let txn = self.db.begin().await?;
        talent::ActiveModel {
            id: Set(id),
            org_id: Set(h.org_id),
            neighbourhood_id: Set(h.neighbourhood_id),
            household_id: Set(h.id),
            parent_id: Set(p.id),
            course: Set(d.course.clone()),
            certificate: Set(d.certificate.clone()),
            cost_cents: Set(i32::try_from(d.cost.cents()).unwrap_or(i32::MAX)),
            invested_on: Set(d.invested_on.format("%Y-%m-%d").to_string()),
            budget: Set(d.budget.clone()),
            service: Set(d.service.clone()),
            sessions_agreed: Set(i32::try_from(d.sessions_agreed).unwrap_or(1)),
            state: Set(TalentState::Agreed.as_str().into()),
            created_by: Set(actor),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&txn)
        .await?;
        crate::register::add_event(&txn, h.org_id, h.id, actor, "talent_added", &d.course).await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_type: "talent".into(),
                object_id: Some(id),
                neighbourhood_id: Some(h.neighbourhood_id),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Sessions of the talent's neighbourhood that could be linked: from eight weeks back to
    /// half a year ahead, not linked yet.
    pub async fn talent_session_choices(
        &self,
        tenant: &Tenant,
        talent_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionSummary>> {
        let t = self.talent_row(tenant, talent_id).await?;
        let linked: HashSet<Uuid> = talent_session::Entity::find()
            .filter(talent_session::Column::OrgId.eq(t.org_id))
            .filter(talent_session::Column::TalentId.eq(t.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.session_id)
            .collect();
        let rows: Vec<session::Model> = session::Entity::find()
            .filter(session::Column::OrgId.eq(t.org_id))
            .filter(session::Column::NeighbourhoodId.eq(t.neighbourhood_id))
            .filter(session::Column::StartsAt.gte(now - Duration::weeks(8)))
            .filter(session::Column::StartsAt.lte(now + Duration::weeks(26)))
            .order_by_asc(session::Column::StartsAt)
            .limit(300)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|s| !linked.contains(&s.id))
            .collect();
        self.summaries(t.org_id, rows).await
    }

    /// Link a session where the return service is given. A session of another
    /// neighbourhood is refused: the service is given where the parent belongs.
    pub async fn link_talent_session(
        &self,
        tenant: &Tenant,
        talent_id: Uuid,
        session_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let t = self.talent_row(tenant, talent_id).await?;
        let s = session::Entity::find_by_id(session_id)
            .filter(session::Column::OrgId.eq(t.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if s.neighbourhood_id != t.neighbourhood_id {
            return Err(StoreError::Refused("talent-session-other-neighbourhood"));
        }
        let txn = self.db.begin().await?;
        talent_session::Entity::insert(talent_session::ActiveModel {
            org_id: Set(t.org_id),
            talent_id: Set(t.id),
            session_id: Set(s.id),
            created_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                talent_session::Column::OrgId,
                talent_session::Column::TalentId,
                talent_session::Column::SessionId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_type: "talent".into(),
                object_id: Some(t.id),
                neighbourhood_id: Some(t.neighbourhood_id),
                detail: format!("session={}", s.id),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Set the state by hand (released, or fulfilled early).
    pub async fn set_talent_state(
        &self,
        tenant: &Tenant,
        talent_id: Uuid,
        state: TalentState,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let t = self.talent_row(tenant, talent_id).await?;
        let txn = self.db.begin().await?;
        talent::Entity::update_many()
            .col_expr(talent::Column::State, Expr::value(state.as_str()))
            .col_expr(talent::Column::UpdatedAt, Expr::value(now()))
            .filter(talent::Column::OrgId.eq(t.org_id))
            .filter(talent::Column::Id.eq(t.id))
            .exec(&txn)
            .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_type: "talent".into(),
                object_id: Some(t.id),
                neighbourhood_id: Some(t.neighbourhood_id),
                detail: format!("state={}", state.as_str()),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Which households give (or gave) a return service, among `households`.
    async fn giving_back(&self, org_id: Uuid, households: &[Uuid]) -> Result<HashSet<Uuid>> {
        let mut out = HashSet::new();
        for chunk in households.chunks(500) {
            for t in talent::Entity::find()
                .filter(talent::Column::OrgId.eq(org_id))
                .filter(talent::Column::HouseholdId.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                if TalentState::parse(&t.state).is_ok_and(|s| s.gives_back()) {
                    out.insert(t.household_id);
                }
            }
        }
        Ok(out)
    }

    /// Which households co-organise (or co-organised) an activity, among `households`: an
    /// outing or a holiday activity they are linked to as organiser (docs/indicators.md §13).
    async fn co_organising(&self, org_id: Uuid, households: &[Uuid]) -> Result<HashSet<Uuid>> {
        let mut out = HashSet::new();
        for chunk in households.chunks(500) {
            out.extend(
                activity_organiser::Entity::find()
                    .select_only()
                    .column(activity_organiser::Column::HouseholdId)
                    .filter(activity_organiser::Column::OrgId.eq(org_id))
                    .filter(activity_organiser::Column::HouseholdId.is_in(chunk.to_vec()))
                    .into_tuple::<Uuid>()
                    .all(&self.db)
                    .await?,
            );
        }
        Ok(out)
    }

    /// What the ladder counts of `households` beyond their visits: who gives back, who
    /// co-organises.
    async fn contributing(&self, org_id: Uuid, households: &[Uuid]) -> Result<Contributing> {
        Ok(Contributing {
            giving: self.giving_back(org_id, households).await?,
            organising: self.co_organising(org_id, households).await?,
        })
    }

    /// The step of the engagement ladder one household stands on.
    pub async fn household_ladder(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
    ) -> Result<LadderStep> {
        let h = self.household_row(tenant, household_id).await?;
        let c = self.contributing(h.org_id, &[h.id]).await?;
        Ok(ladder_step(&facts(&h, &c)))
    }

    /// How many households of a neighbourhood stand on each step of the ladder: every
    /// household the project knows there, not erased and not gone.
    pub async fn ladder(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<[(LadderStep, u32); 4]> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let rows = household::Entity::find()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::Status.ne("left"))
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|h| h.id).collect();
        let c = self.contributing(tenant.org_id, &ids).await?;
        Ok(ladder_counts(
            rows.iter().map(|h| ladder_step(&facts(h, &c))),
        ))
    }
}

struct Contributing {
    giving: HashSet<Uuid>,
    organising: HashSet<Uuid>,
}

fn facts(h: &household::Model, c: &Contributing) -> LadderFacts {
    LadderFacts {
        // Visits in its own neighbourhood, as the reports count them (docs/indicators.md §2).
        visits: u32::try_from(
            crate::visit_marks::decode_log(&h.visit_log)
                .filter(|v| v.own)
                .count(),
        )
        .unwrap_or(u32::MAX),
        gives_return_service: c.giving.contains(&h.id),
        co_organises: c.organising.contains(&h.id),
        // Hosts are volunteer accounts, not linked to a household: hosting cannot be counted
        // per family (docs/indicators.md §13).
        hosts: false,
    }
}

/// Erasure: what the course and the service were says who the parent is; the cost, budget,
/// dates and state stay for the figures.
pub(crate) async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<()> {
    talent::Entity::update_many()
        .col_expr(talent::Column::Course, Expr::value(""))
        .col_expr(talent::Column::Certificate, Expr::value(""))
        .col_expr(talent::Column::Service, Expr::value(""))
        .filter(talent::Column::OrgId.eq(org_id))
        .filter(talent::Column::HouseholdId.eq(household_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The right of access: the household's investments as JSON.
pub(crate) async fn export<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<Vec<serde_json::Value>> {
    Ok(talent::Entity::find()
        .filter(talent::Column::OrgId.eq(org_id))
        .filter(talent::Column::HouseholdId.eq(household_id))
        .order_by_asc(talent::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            serde_json::json!({
                "course": t.course,
                "certificate": t.certificate,
                "cost_cents": t.cost_cents,
                "invested_on": t.invested_on,
                "budget": t.budget,
                "return_service": t.service,
                "sessions_agreed": t.sessions_agreed,
                "state": t.state,
            })
        })
        .collect())
}

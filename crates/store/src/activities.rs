//! Activities, their planned sessions, and which households are registered for them.
//!
//! The rules (who may join, when a place is free, how a series falls across the calendar)
//! live in `mtp_domain`; this module stores what they decide.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::activity::{
    self as rules, ActivityKind, Audience, Cost, Placement, StaffMinutes, check_capacity, may_join,
};
use mtp_domain::attendance::SessionState;
use mtp_domain::schedule::Slot;
use mtp_domain::{HouseholdKind, Tenant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{activity, activity_invite, attendance, household, registration, session};
use crate::{Result, Store, StoreError, now};

/// Everything the activity form asks.
#[derive(Debug, Clone)]
pub struct ActivityDraft {
    pub neighbourhood_id: Uuid,
    pub kind: ActivityKind,
    pub audience: Audience,
    pub name: String,
    pub description: String,
    pub place: String,
    pub address: String,
    pub accessibility: String,
    pub near_school: bool,
    pub cost: Cost,
    pub capacity: Option<u32>,
    pub childcare: bool,
    pub staff: StaffMinutes,
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub id: Uuid,
    pub neighbourhood_name: String,
    pub d: ActivityDraft,
    pub registered: u32,
    pub waiting: u32,
    pub archived: bool,
}

/// One occurrence, as lists and calendars show it.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub activity_name: String,
    pub kind: ActivityKind,
    pub audience: Audience,
    pub neighbourhood_id: Uuid,
    pub place: String,
    pub address: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub state: SessionState,
    pub moved: bool,
    pub sequence: u32,
}

/// A household on an activity's list.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub household_id: Uuid,
    pub first_names: String,
    pub waiting: bool,
}

/// What happened to a registration request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Placed(Placement),
    AlreadyRegistered,
}

pub(crate) fn u32_of(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn i32_of(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn to_draft(m: &activity::Model) -> ActivityDraft {
    ActivityDraft {
        neighbourhood_id: m.neighbourhood_id,
        kind: ActivityKind::parse(&m.kind).unwrap_or(ActivityKind::CoffeeHourOpen),
        audience: Audience::parse(&m.audience).unwrap_or(Audience::Open),
        name: m.name.clone(),
        description: m.description.clone(),
        place: m.place.clone(),
        address: m.address.clone(),
        accessibility: m.accessibility.clone(),
        near_school: m.near_school,
        cost: Cost::from_cents(u32_of(m.cost_cents)).unwrap_or_default(),
        capacity: m.capacity.map(u32_of),
        childcare: m.childcare,
        staff: StaffMinutes {
            preparation: u32_of(m.preparation_minutes),
            execution: u32_of(m.execution_minutes),
            wrap_up: u32_of(m.wrap_up_minutes),
        },
    }
}

pub(crate) fn to_summary(s: session::Model, a: &activity::Model) -> SessionSummary {
    SessionSummary {
        id: s.id,
        activity_id: s.activity_id,
        activity_name: a.name.clone(),
        kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::CoffeeHourOpen),
        audience: Audience::parse(&a.audience).unwrap_or(Audience::Open),
        neighbourhood_id: s.neighbourhood_id,
        place: a.place.clone(),
        address: a.address.clone(),
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        state: SessionState::parse(&s.state).unwrap_or(SessionState::Planned),
        moved: s.moved,
        sequence: u32_of(s.sequence),
    }
}

impl Store {
    pub(crate) async fn activity_row(&self, tenant: &Tenant, id: Uuid) -> Result<activity::Model> {
        activity::Entity::find_by_id(id)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|a| tenant.may_see_neighbourhood(a.org_id, a.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// Create an activity, with its audit entry if any (the store sets its object id to the
    /// new activity's).
    pub async fn create_activity(
        &self,
        tenant: &Tenant,
        d: &ActivityDraft,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        if !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        activity::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(d.neighbourhood_id),
            kind: Set(d.kind.as_str().into()),
            audience: Set(d.audience.as_str().into()),
            name: Set(d.name.clone()),
            description: Set(d.description.clone()),
            place: Set(d.place.clone()),
            address: Set(d.address.clone()),
            accessibility: Set(d.accessibility.clone()),
            near_school: Set(d.near_school),
            cost_cents: Set(i32_of(d.cost.cents())),
            capacity: Set(d.capacity.map(i32_of)),
            childcare: Set(d.childcare),
            preparation_minutes: Set(i32_of(d.staff.preparation)),
            execution_minutes: Set(i32_of(d.staff.execution)),
            wrap_up_minutes: Set(i32_of(d.staff.wrap_up)),
            created_at: Set(now()),
            archived_at: Set(None),
        }
        .insert(&txn)
        .await?;
        let audit = audit.map(|e| NewAuditEvent {
            object_id: Some(id),
            ..e
        });
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Change an activity, with its audit entry. The capacity may not drop below the
    /// households already placed.
    pub async fn update_activity(
        &self,
        tenant: &Tenant,
        id: Uuid,
        d: &ActivityDraft,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let current = self.activity_row(tenant, id).await?;
        if !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let (registered, _) = self.registration_counts(tenant.org_id, id).await?;
        check_capacity(d.capacity, registered).map_err(|e| StoreError::Refused(e.key()))?;
        let (current_kind, current_nb) = (current.kind.clone(), current.neighbourhood_id);
        let mut m: activity::ActiveModel = current.into();
        m.neighbourhood_id = Set(d.neighbourhood_id);
        m.kind = Set(d.kind.as_str().into());
        m.audience = Set(d.audience.as_str().into());
        m.name = Set(d.name.clone());
        m.description = Set(d.description.clone());
        m.place = Set(d.place.clone());
        m.address = Set(d.address.clone());
        m.accessibility = Set(d.accessibility.clone());
        m.near_school = Set(d.near_school);
        m.cost_cents = Set(i32_of(d.cost.cents()));
        m.capacity = Set(d.capacity.map(i32_of));
        m.childcare = Set(d.childcare);
        m.preparation_minutes = Set(i32_of(d.staff.preparation));
        m.execution_minutes = Set(i32_of(d.staff.execution));
        m.wrap_up_minutes = Set(i32_of(d.staff.wrap_up));
        let txn = self.db.begin().await?;
        m.update(&txn).await?;
        // Sessions of the activity move with it to another neighbourhood.
        session::Entity::update_many()
            .col_expr(session::Column::NeighbourhoodId, d.neighbourhood_id.into())
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::ActivityId.eq(id))
            .exec(&txn)
            .await?;
        // A new kind or neighbourhood changes what the visits there count as: the visit
        // marks and logs of everyone who came (`crate::visit_marks`).
        if current_kind != d.kind.as_str() || current_nb != d.neighbourhood_id {
            let came: Vec<Uuid> = attendance::Entity::find()
                .select_only()
                .column(attendance::Column::HouseholdId)
                .join(
                    JoinType::InnerJoin,
                    attendance::Entity::belongs_to(session::Entity)
                        .from(attendance::Column::SessionId)
                        .to(session::Column::Id)
                        .into(),
                )
                .filter(attendance::Column::OrgId.eq(tenant.org_id))
                .filter(session::Column::OrgId.eq(tenant.org_id))
                .filter(session::Column::ActivityId.eq(id))
                .distinct()
                .into_tuple()
                .all(&txn)
                .await?;
            crate::visit_marks::refresh_visit_marks(&txn, tenant.org_id, &came).await?;
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn registration_counts(&self, org_id: Uuid, activity_id: Uuid) -> Result<(u32, u32)> {
        let rows: Vec<(String, i64)> = registration::Entity::find()
            .select_only()
            .column(registration::Column::State)
            .column_as(registration::Column::HouseholdId.count(), "n")
            .filter(registration::Column::OrgId.eq(org_id))
            .filter(registration::Column::ActivityId.eq(activity_id))
            .group_by(registration::Column::State)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut registered = 0;
        let mut waiting = 0;
        for (state, n) in rows {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if state == "waiting" {
                waiting = n;
            } else {
                registered = n;
            }
        }
        Ok((registered, waiting))
    }

    pub async fn activity(&self, tenant: &Tenant, id: Uuid) -> Result<Activity> {
        let m = self.activity_row(tenant, id).await?;
        self.activity_of(&m).await
    }

    /// An activity row with its counts and neighbourhood name.
    pub(crate) async fn activity_of(&self, m: &activity::Model) -> Result<Activity> {
        let (registered, waiting) = self.registration_counts(m.org_id, m.id).await?;
        let names = self
            .neighbourhood_names(m.org_id, [m.neighbourhood_id])
            .await?;
        Ok(Activity {
            id: m.id,
            neighbourhood_name: names.get(&m.neighbourhood_id).cloned().unwrap_or_default(),
            d: to_draft(m),
            registered,
            waiting,
            archived: m.archived_at.is_some(),
        })
    }

    /// The tenant's activities, by neighbourhood and kind.
    pub async fn activities(&self, tenant: &Tenant) -> Result<Vec<Activity>> {
        let mut q = activity::Entity::find().filter(activity::Column::OrgId.eq(tenant.org_id));
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(activity::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()));
        }
        let rows = q
            .filter(activity::Column::ArchivedAt.is_null())
            .order_by_asc(activity::Column::NeighbourhoodId)
            .order_by_asc(activity::Column::Name)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
        let counts: Vec<(Uuid, String, i64)> = if ids.is_empty() {
            Vec::new()
        } else {
            registration::Entity::find()
                .select_only()
                .column(registration::Column::ActivityId)
                .column(registration::Column::State)
                .column_as(registration::Column::HouseholdId.count(), "n")
                .filter(registration::Column::OrgId.eq(tenant.org_id))
                .filter(registration::Column::ActivityId.is_in(ids))
                .group_by(registration::Column::ActivityId)
                .group_by(registration::Column::State)
                .into_tuple()
                .all(&self.db)
                .await?
        };
        let mut by_activity: HashMap<Uuid, (u32, u32)> = HashMap::new();
        for (id, state, n) in counts {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let e = by_activity.entry(id).or_default();
            if state == "waiting" {
                e.1 = n;
            } else {
                e.0 = n;
            }
        }
        let names = self
            .neighbourhood_names(tenant.org_id, rows.iter().map(|a| a.neighbourhood_id))
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let (registered, waiting) = by_activity.get(&m.id).copied().unwrap_or_default();
                Activity {
                    id: m.id,
                    neighbourhood_name: names.get(&m.neighbourhood_id).cloned().unwrap_or_default(),
                    d: to_draft(&m),
                    registered,
                    waiting,
                    archived: m.archived_at.is_some(),
                }
            })
            .collect())
    }

    /// Materialise sessions. A date the activity already has a session on is left alone, so
    /// planning the same series twice, or extending it, never doubles a session. Returns how
    /// many sessions were added. `audit`, if any, gives the entry for that number (or none),
    /// committed with the sessions.
    pub async fn plan_sessions(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        slots: &[(NaiveDate, Slot)],
        audit: Option<&(dyn Fn(u64) -> Option<NewAuditEvent> + Sync)>,
    ) -> Result<u64> {
        let a = self.activity_row(tenant, activity_id).await?;
        let at = now();
        let rows: Vec<session::ActiveModel> = slots
            .iter()
            .map(|(date, slot)| session::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(a.org_id),
                neighbourhood_id: Set(a.neighbourhood_id),
                activity_id: Set(a.id),
                series_date: Set(date.format("%Y-%m-%d").to_string()),
                starts_at: Set(slot.start),
                ends_at: Set(slot.end),
                state: Set(SessionState::Planned.as_str().into()),
                moved: Set(false),
                note: Set(String::new()),
                checklist: Set(String::new()),
                preparation_minutes: Set(a.preparation_minutes),
                execution_minutes: Set(a.execution_minutes),
                wrap_up_minutes: Set(a.wrap_up_minutes),
                sequence: Set(0),
                created_at: Set(at),
                attendance_counts: Set(String::new()),
            })
            .collect();
        let txn = self.db.begin().await?;
        let mut added = 0;
        for chunk in rows.chunks(500) {
            added += session::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        session::Column::OrgId,
                        session::Column::ActivityId,
                        session::Column::SeriesDate,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        append_audit_opt(&txn, audit.and_then(|a| a(added))).await?;
        txn.commit().await?;
        Ok(added)
    }

    /// Sessions of one activity from `from` on, in order.
    pub async fn activity_sessions(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        from: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<SessionSummary>> {
        let a = self.activity_row(tenant, activity_id).await?;
        Ok(session::Entity::find()
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::ActivityId.eq(activity_id))
            .filter(session::Column::EndsAt.gte(from))
            .order_by_asc(session::Column::StartsAt)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| to_summary(s, &a))
            .collect())
    }

    /// The programme: sessions in the tenant's neighbourhoods between two instants.
    pub async fn programme(
        &self,
        tenant: &Tenant,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<SessionSummary>> {
        let mut q = session::Entity::find()
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::EndsAt.gte(from))
            .filter(session::Column::StartsAt.lt(until));
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(session::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()));
        }
        let rows = q
            .order_by_asc(session::Column::StartsAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.summaries(tenant.org_id, rows).await
    }

    pub(crate) async fn summaries(
        &self,
        org_id: Uuid,
        rows: Vec<session::Model>,
    ) -> Result<Vec<SessionSummary>> {
        let mut ids: Vec<Uuid> = rows.iter().map(|s| s.activity_id).collect();
        ids.sort();
        ids.dedup();
        let activities: HashMap<Uuid, activity::Model> = if ids.is_empty() {
            HashMap::new()
        } else {
            activity::Entity::find()
                .filter(activity::Column::OrgId.eq(org_id))
                .filter(activity::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect()
        };
        Ok(rows
            .into_iter()
            .filter_map(|s| {
                let a = activities.get(&s.activity_id)?;
                Some(to_summary(s, a))
            })
            .collect())
    }

    /// Register a household for an activity (for a series: for every session). The household
    /// must be of the activity's neighbourhood; then the audience rule is asked; when the
    /// activity is full the household goes on the waiting list.
    pub async fn register(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        activity_id: Uuid,
        household_id: Uuid,
        audit: Option<NewAuditEvent>,
    ) -> Result<Registered> {
        let a = self.activity_row(tenant, activity_id).await?;
        let h = self.household_row(tenant, household_id).await?;
        if h.anonymised_at.is_some() || h.neighbourhood_id != a.neighbourhood_id {
            return Err(StoreError::NotFound);
        }
        self.check_audience(&a, &h).await?;
        let txn = self.db.begin().await?;
        let existing = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(a.org_id))
            .filter(registration::Column::ActivityId.eq(a.id))
            .filter(registration::Column::HouseholdId.eq(h.id))
            .one(&txn)
            .await?;
        if existing.is_some() {
            // Registered before: nothing changes, and the answer is on record all the same.
            append_audit_opt(&txn, audit).await?;
            txn.commit().await?;
            return Ok(Registered::AlreadyRegistered);
        }
        let registered = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(a.org_id))
            .filter(registration::Column::ActivityId.eq(a.id))
            .filter(registration::Column::State.eq("registered"))
            .count(&txn)
            .await?;
        let place = rules::placement(
            a.capacity.map(u32_of),
            u32::try_from(registered).unwrap_or(u32::MAX),
        );
        let state = match place {
            Placement::Registered => "registered",
            Placement::WaitingList => "waiting",
        };
        registration::ActiveModel {
            org_id: Set(a.org_id),
            activity_id: Set(a.id),
            household_id: Set(h.id),
            state: Set(state.into()),
            created_at: Set(now()),
            created_by: Set(actor),
        }
        .insert(&txn)
        .await
        .map_err(|e| crate::unique_violation(e, "household"))?;
        crate::register::add_event(
            &txn,
            a.org_id,
            h.id,
            actor,
            &format!("activity_{state}"),
            &a.name,
        )
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(Registered::Placed(place))
    }

    /// The audience rule for one household and activity.
    pub(crate) async fn check_audience(
        &self,
        a: &activity::Model,
        h: &household::Model,
    ) -> Result<()> {
        let audience = Audience::parse(&a.audience).unwrap_or(Audience::Open);
        self.check_audience_of(a.org_id, a.id, audience, h).await
    }

    /// The audience rule, for a caller that already knows the activity's audience. Only a
    /// tailored activity costs a query (its invitation list).
    pub(crate) async fn check_audience_of(
        &self,
        org_id: Uuid,
        activity_id: Uuid,
        audience: Audience,
        h: &household::Model,
    ) -> Result<()> {
        let kind = HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::MultiParent);
        let invited = audience == Audience::Tailored
            && activity_invite::Entity::find()
                .filter(activity_invite::Column::OrgId.eq(org_id))
                .filter(activity_invite::Column::ActivityId.eq(activity_id))
                .filter(activity_invite::Column::HouseholdId.eq(h.id))
                .one(&self.db)
                .await?
                .is_some();
        may_join(audience, kind, invited).map_err(|r| StoreError::Refused(r.key()))
    }

    /// Take a household off an activity's list. When that frees a place, the first households
    /// on the waiting list move up; their ids are returned so the worker can tell them.
    pub async fn unregister(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        activity_id: Uuid,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Vec<Uuid>> {
        let a = self.activity_row(tenant, activity_id).await?;
        // Within reach only; a family that moved to another neighbourhood of the tenant's can
        // still be taken off the list.
        let h = self.household_row(tenant, household_id).await?;
        let txn = self.db.begin().await?;
        let gone = registration::Entity::delete_many()
            .filter(registration::Column::OrgId.eq(a.org_id))
            .filter(registration::Column::ActivityId.eq(a.id))
            .filter(registration::Column::HouseholdId.eq(h.id))
            .exec(&txn)
            .await?;
        if gone.rows_affected == 0 {
            // Not on the list (a resent form): nothing changes; the request is on record.
            append_audit_in(&txn, audit).await?;
            txn.commit().await?;
            return Ok(Vec::new());
        }
        crate::register::add_event(
            &txn,
            a.org_id,
            h.id,
            actor,
            "activity_unregistered",
            &a.name,
        )
        .await?;
        let rows = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(a.org_id))
            .filter(registration::Column::ActivityId.eq(a.id))
            .order_by_asc(registration::Column::CreatedAt)
            .order_by_asc(registration::Column::HouseholdId)
            .all(&txn)
            .await?;
        let registered = rows.iter().filter(|r| r.state == "registered").count();
        let waiting: Vec<Uuid> = rows
            .iter()
            .filter(|r| r.state == "waiting")
            .map(|r| r.household_id)
            .collect();
        let n = rules::moves_up(
            a.capacity.map(u32_of),
            u32::try_from(registered).unwrap_or(u32::MAX),
            u32::try_from(waiting.len()).unwrap_or(u32::MAX),
        );
        let up: Vec<Uuid> = waiting
            .into_iter()
            .take(usize::try_from(n).unwrap_or(0))
            .collect();
        for id in &up {
            registration::Entity::update_many()
                .col_expr(registration::Column::State, "registered".into())
                .filter(registration::Column::OrgId.eq(a.org_id))
                .filter(registration::Column::ActivityId.eq(a.id))
                .filter(registration::Column::HouseholdId.eq(*id))
                .exec(&txn)
                .await?;
            crate::register::add_event(&txn, a.org_id, *id, actor, "activity_moved_up", &a.name)
                .await?;
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(up)
    }

    /// The households on an activity's list within the tenant's reach, registered first, then
    /// the waiting list in the order they came.
    pub async fn registrants(&self, tenant: &Tenant, activity_id: Uuid) -> Result<Vec<Registrant>> {
        let a = self.activity_row(tenant, activity_id).await?;
        let rows = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(a.org_id))
            .filter(registration::Column::ActivityId.eq(a.id))
            .order_by_asc(registration::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.household_id).collect();
        let names = self.first_names(tenant, &ids).await?;
        let mut out: Vec<Registrant> = rows
            .into_iter()
            .filter_map(|r| {
                Some(Registrant {
                    first_names: names.get(&r.household_id)?.clone(),
                    household_id: r.household_id,
                    waiting: r.state == "waiting",
                })
            })
            .collect();
        out.sort_by_key(|r| r.waiting);
        Ok(out)
    }

    /// Register many households at once, without the audience check or timeline entries: for
    /// generated benchmark data only. Returns how many were added.
    pub async fn register_bulk(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        households: &[Uuid],
    ) -> Result<u64> {
        let a = self.activity_row(tenant, activity_id).await?;
        let at = now();
        let rows: Vec<registration::ActiveModel> = households
            .iter()
            .map(|h| registration::ActiveModel {
                org_id: Set(a.org_id),
                activity_id: Set(a.id),
                household_id: Set(*h),
                state: Set("registered".into()),
                created_at: Set(at),
                created_by: Set(None),
            })
            .collect();
        let txn = self.db.begin().await?;
        let mut n = 0;
        for chunk in rows.chunks(1000) {
            n += registration::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        registration::Column::OrgId,
                        registration::Column::ActivityId,
                        registration::Column::HouseholdId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(n)
    }

    /// Put a household of the activity's neighbourhood on a tailored activity's invitation
    /// list.
    pub async fn invite(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        household_id: Uuid,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let a = self.activity_row(tenant, activity_id).await?;
        let h = self.household_row(tenant, household_id).await?;
        if h.neighbourhood_id != a.neighbourhood_id {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        activity_invite::Entity::insert(activity_invite::ActiveModel {
            org_id: Set(a.org_id),
            activity_id: Set(a.id),
            household_id: Set(h.id),
            created_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                activity_invite::Column::OrgId,
                activity_invite::Column::ActivityId,
                activity_invite::Column::HouseholdId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

//! Wishes that become workshops (issue #18, docs/guide/wishes.md, handbook §3.3).
//!
//! Two kinds of wish stand side by side: what a worker noted at the coffee hour (`wish`, with
//! the households who asked in `wish_household`) and a parent's idea from the portal (`idea`,
//! its votes in `idea_vote`; the theme a worker gave it and its workshop in `idea_wish`).
//! Either becomes a workshop in one step that invites exactly the households that asked or
//! voted — only those still in the wish's neighbourhood, which the caller reaches.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use mtp_domain::Tenant;
use mtp_domain::activity::{ActivityKind, Audience, StaffMinutes};
use mtp_domain::attendance::AttendanceStatus;
use mtp_domain::wishes::{Theme, WishDraft, demand};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{
    activity, activity_invite, attendance, household, idea, idea_vote, idea_wish, session, wish,
    wish_household,
};
use crate::{Result, Store, StoreError, now};

/// Where a wish came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WishSource {
    /// Noted by a worker.
    Worker,
    /// A parent's idea from the portal; its demand is its votes.
    Idea,
}

/// Which wish: a worker's or a parent's idea.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WishRef {
    Wish(Uuid),
    Idea(Uuid),
}

/// A wish with its demand and, once made into one, its workshop.
#[derive(Debug, Clone)]
pub struct Wish {
    pub id: Uuid,
    pub source: WishSource,
    pub neighbourhood_id: Uuid,
    pub theme: Theme,
    pub title: String,
    pub note: String,
    /// How many parents asked (a worker's count, never below the households named) or voted.
    pub demand: u32,
    /// The households named as asking, with their first names; empty for an idea (votes are
    /// anonymous on the page, though the workshop invites the voters).
    pub asked: Vec<(Uuid, String)>,
    /// The workshop made of it: id and name.
    pub activity: Option<(Uuid, String)>,
    /// Of those who asked or voted: how many the workshop invited, and how many came to one
    /// of its sessions.
    pub invited: u32,
    pub came: u32,
    pub created_at: DateTime<Utc>,
}

/// The households that asked for or voted on each wish, by wish id.
type AskedBy = HashMap<Uuid, Vec<Uuid>>;

async fn asked_by_worker<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<AskedBy> {
    let mut out: AskedBy = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in wish_household::Entity::find()
            .filter(wish_household::Column::OrgId.eq(org_id))
            .filter(wish_household::Column::WishId.is_in(chunk.to_vec()))
            .order_by_asc(wish_household::Column::CreatedAt)
            .all(db)
            .await?
        {
            out.entry(r.wish_id).or_default().push(r.household_id);
        }
    }
    Ok(out)
}

async fn voters<C: ConnectionTrait>(db: &C, org_id: Uuid, ids: &[Uuid]) -> Result<AskedBy> {
    let mut out: AskedBy = HashMap::new();
    for chunk in ids.chunks(500) {
        for v in idea_vote::Entity::find()
            .filter(idea_vote::Column::OrgId.eq(org_id))
            .filter(idea_vote::Column::IdeaId.is_in(chunk.to_vec()))
            .order_by_asc(idea_vote::Column::CreatedAt)
            .all(db)
            .await?
        {
            out.entry(v.idea_id).or_default().push(v.household_id);
        }
    }
    Ok(out)
}

/// Per workshop: its name, the households invited and the households present at one of its
/// sessions.
struct Turnout {
    name: String,
    invited: HashSet<Uuid>,
    came: HashSet<Uuid>,
}

async fn turnout<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    activities: &[Uuid],
) -> Result<HashMap<Uuid, Turnout>> {
    let mut out: HashMap<Uuid, Turnout> = HashMap::new();
    if activities.is_empty() {
        return Ok(out);
    }
    for a in activity::Entity::find()
        .filter(activity::Column::OrgId.eq(org_id))
        .filter(activity::Column::Id.is_in(activities.to_vec()))
        .all(db)
        .await?
    {
        out.insert(
            a.id,
            Turnout {
                name: a.name,
                invited: HashSet::new(),
                came: HashSet::new(),
            },
        );
    }
    for i in activity_invite::Entity::find()
        .filter(activity_invite::Column::OrgId.eq(org_id))
        .filter(activity_invite::Column::ActivityId.is_in(activities.to_vec()))
        .all(db)
        .await?
    {
        if let Some(t) = out.get_mut(&i.activity_id) {
            t.invited.insert(i.household_id);
        }
    }
    let sessions: Vec<(Uuid, Uuid)> = session::Entity::find()
        .select_only()
        .column(session::Column::Id)
        .column(session::Column::ActivityId)
        .filter(session::Column::OrgId.eq(org_id))
        .filter(session::Column::ActivityId.is_in(activities.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let of: HashMap<Uuid, Uuid> = sessions.into_iter().collect();
    let ids: Vec<Uuid> = of.keys().copied().collect();
    for chunk in ids.chunks(500) {
        for a in attendance::Entity::find()
            .filter(attendance::Column::OrgId.eq(org_id))
            .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .all(db)
            .await?
        {
            if let Some(t) = of.get(&a.session_id).and_then(|act| out.get_mut(act)) {
                t.came.insert(a.household_id);
            }
        }
    }
    Ok(out)
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Store {
    /// The wishes of one neighbourhood: the workers' and the parents' ideas, most asked
    /// first.
    pub async fn wishes(&self, tenant: &Tenant, neighbourhood_id: Uuid) -> Result<Vec<Wish>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let org = tenant.org_id;
        let rows = wish::Entity::find()
            .filter(wish::Column::OrgId.eq(org))
            .filter(wish::Column::NeighbourhoodId.eq(neighbourhood_id))
            .order_by_desc(wish::Column::CreatedAt)
            .limit(300)
            .all(&self.db)
            .await?;
        let ideas = idea::Entity::find()
            .filter(idea::Column::OrgId.eq(org))
            .filter(idea::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(idea::Column::HiddenAt.is_null())
            .order_by_desc(idea::Column::CreatedAt)
            .limit(200)
            .all(&self.db)
            .await?;
        let wish_ids: Vec<Uuid> = rows.iter().map(|w| w.id).collect();
        let idea_ids: Vec<Uuid> = ideas.iter().map(|i| i.id).collect();
        let asked = asked_by_worker(&self.db, org, &wish_ids).await?;
        let votes = voters(&self.db, org, &idea_ids).await?;
        let mut idea_extra: HashMap<Uuid, idea_wish::Model> = HashMap::new();
        for chunk in idea_ids.chunks(500) {
            for r in idea_wish::Entity::find()
                .filter(idea_wish::Column::OrgId.eq(org))
                .filter(idea_wish::Column::IdeaId.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                idea_extra.insert(r.idea_id, r);
            }
        }
        let mut activities: Vec<Uuid> = rows.iter().filter_map(|w| w.activity_id).collect();
        activities.extend(idea_extra.values().filter_map(|r| r.activity_id));
        let turnout = turnout(&self.db, org, &activities).await?;
        let named: Vec<Uuid> = asked.values().flatten().copied().collect();
        let names = self.first_names(tenant, &named).await?;
        let outcome = |activity_id: Option<Uuid>, households: &[Uuid]| {
            let Some(t) = activity_id.and_then(|a| turnout.get(&a).map(|t| (a, t))) else {
                return (None, 0, 0);
            };
            let (a, t) = t;
            let invited = households.iter().filter(|h| t.invited.contains(h)).count();
            let came = households
                .iter()
                .filter(|h| t.invited.contains(h) && t.came.contains(h))
                .count();
            (Some((a, t.name.clone())), u32_of(invited), u32_of(came))
        };
        let mut out = Vec::new();
        for w in rows {
            let households = asked.get(&w.id).cloned().unwrap_or_default();
            let (activity, invited, came) = outcome(w.activity_id, &households);
            let named: Vec<(Uuid, String)> = households
                .iter()
                .filter_map(|h| Some((*h, names.get(h)?.clone())))
                .collect();
            out.push(Wish {
                id: w.id,
                source: WishSource::Worker,
                neighbourhood_id: w.neighbourhood_id,
                theme: Theme::parse(&w.theme).unwrap_or(Theme::Other),
                demand: demand(u32::try_from(w.demand).unwrap_or(1), u32_of(named.len())),
                title: w.title,
                note: w.note,
                asked: named,
                activity,
                invited,
                came,
                created_at: w.created_at,
            });
        }
        for i in ideas {
            let households = votes.get(&i.id).cloned().unwrap_or_default();
            let extra = idea_extra.get(&i.id);
            let (activity, invited, came) = outcome(extra.and_then(|e| e.activity_id), &households);
            out.push(Wish {
                id: i.id,
                source: WishSource::Idea,
                neighbourhood_id: i.neighbourhood_id,
                theme: extra
                    .and_then(|e| Theme::parse(&e.theme).ok())
                    .unwrap_or(Theme::Other),
                title: i.title,
                note: String::new(),
                demand: u32_of(households.len()),
                asked: Vec::new(),
                activity,
                invited,
                came,
                created_at: i.created_at,
            });
        }
        out.sort_by(|a, b| {
            a.theme
                .cmp(&b.theme)
                .then(b.demand.cmp(&a.demand))
                .then(b.created_at.cmp(&a.created_at))
        });
        Ok(out)
    }

    /// One wish a worker noted, with its demand and workshop.
    pub async fn wish(&self, tenant: &Tenant, id: Uuid) -> Result<Wish> {
        let w = self.wish_row(tenant, id).await?;
        self.wishes(tenant, w.neighbourhood_id)
            .await?
            .into_iter()
            .find(|x| x.source == WishSource::Worker && x.id == id)
            .ok_or(StoreError::NotFound)
    }

    async fn wish_row(&self, tenant: &Tenant, id: Uuid) -> Result<wish::Model> {
        wish::Entity::find_by_id(id)
            .filter(wish::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|w| tenant.may_see_neighbourhood(w.org_id, w.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// The households of `neighbourhood_id` among `ids`, within reach and not erased; any
    /// other id refuses the whole request.
    async fn households_of(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>> {
        let mut unique: Vec<Uuid> = ids.to_vec();
        unique.sort();
        unique.dedup();
        let mut found = Vec::new();
        for chunk in unique.chunks(500) {
            found.extend(
                household::Entity::find()
                    .filter(household::Column::OrgId.eq(tenant.org_id))
                    .filter(household::Column::NeighbourhoodId.eq(neighbourhood_id))
                    .filter(household::Column::AnonymisedAt.is_null())
                    .filter(household::Column::Id.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id))
                    .map(|h| h.id),
            );
        }
        if found.len() != unique.len() {
            return Err(StoreError::NotFound);
        }
        Ok(found)
    }

    /// A wish a worker noted, with the households who asked (each of the neighbourhood and
    /// within reach). The audit entry gets the new wish's id and neighbourhood.
    pub async fn add_wish(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        neighbourhood_id: Uuid,
        d: &WishDraft,
        households: &[Uuid],
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let households = self
            .households_of(tenant, neighbourhood_id, households)
            .await?;
        let id = Uuid::now_v7();
        let at = now();
        let txn = self.db.begin().await?;
        wish::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(neighbourhood_id),
            theme: Set(d.theme.as_str().into()),
            title: Set(d.title.clone()),
            note: Set(d.note.clone()),
            demand: Set(i32::try_from(d.demand).unwrap_or(1)),
            activity_id: Set(None),
            created_by: Set(actor),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        link_households(&txn, tenant.org_id, id, &households).await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(id),
                neighbourhood_id: Some(neighbourhood_id),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Name more households who asked for a wish. Returns how many were added.
    pub async fn add_wish_households(
        &self,
        tenant: &Tenant,
        wish_id: Uuid,
        households: &[Uuid],
        audit: NewAuditEvent,
    ) -> Result<u64> {
        let w = self.wish_row(tenant, wish_id).await?;
        let households = self
            .households_of(tenant, w.neighbourhood_id, households)
            .await?;
        let txn = self.db.begin().await?;
        let n = link_households(&txn, w.org_id, w.id, &households).await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(w.id),
                neighbourhood_id: Some(w.neighbourhood_id),
                detail: format!("households={n}"),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Give a parent's idea a theme.
    pub async fn set_idea_theme(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        idea_id: Uuid,
        theme: Theme,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let i = self.idea_row(tenant, idea_id).await?;
        let txn = self.db.begin().await?;
        idea_wish::Entity::insert(idea_wish::ActiveModel {
            org_id: Set(i.org_id),
            idea_id: Set(i.id),
            theme: Set(theme.as_str().into()),
            activity_id: Set(None),
            updated_by: Set(actor),
            updated_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([idea_wish::Column::OrgId, idea_wish::Column::IdeaId])
                .update_columns([
                    idea_wish::Column::Theme,
                    idea_wish::Column::UpdatedBy,
                    idea_wish::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(i.id),
                neighbourhood_id: Some(i.neighbourhood_id),
                detail: format!("theme={}", theme.as_str()),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The neighbourhood of a parent's idea within reach (not hidden).
    pub async fn idea_neighbourhood(&self, tenant: &Tenant, id: Uuid) -> Result<Uuid> {
        Ok(self.idea_row(tenant, id).await?.neighbourhood_id)
    }

    async fn idea_row(&self, tenant: &Tenant, id: Uuid) -> Result<idea::Model> {
        idea::Entity::find_by_id(id)
            .filter(idea::Column::OrgId.eq(tenant.org_id))
            .filter(idea::Column::HiddenAt.is_null())
            .one(&self.db)
            .await?
            .filter(|i| tenant.may_see_neighbourhood(i.org_id, i.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// The households on a workshop's invitation list, within reach.
    pub async fn invitees(&self, tenant: &Tenant, activity_id: Uuid) -> Result<Vec<Uuid>> {
        let a = self.activity_row(tenant, activity_id).await?;
        Ok(activity_invite::Entity::find()
            .filter(activity_invite::Column::OrgId.eq(a.org_id))
            .filter(activity_invite::Column::ActivityId.eq(a.id))
            .order_by_asc(activity_invite::Column::HouseholdId)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| i.household_id)
            .collect())
    }

    /// *Maak er een activiteit van*: a workshop "on invitation" named after the wish, that
    /// invites exactly the households that asked or voted and are still of the wish's
    /// neighbourhood (so within the caller's reach). A wish that already has its workshop
    /// gets no second one: its id comes back. With the audit entry (the workshop's id and
    /// neighbourhood, and how many were invited) and a timeline entry per invited household.
    pub async fn make_workshop(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        of: WishRef,
        staff: StaffMinutes,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let (org, nb, title, note, existing, households) = match of {
            WishRef::Wish(id) => {
                let w = self.wish_row(tenant, id).await?;
                let asked = asked_by_worker(&self.db, w.org_id, &[w.id]).await?;
                (
                    w.org_id,
                    w.neighbourhood_id,
                    w.title,
                    w.note,
                    w.activity_id,
                    asked.get(&id).cloned().unwrap_or_default(),
                )
            }
            WishRef::Idea(id) => {
                let i = self.idea_row(tenant, id).await?;
                let existing = idea_wish::Entity::find()
                    .filter(idea_wish::Column::OrgId.eq(i.org_id))
                    .filter(idea_wish::Column::IdeaId.eq(i.id))
                    .one(&self.db)
                    .await?
                    .and_then(|r| r.activity_id);
                let votes = voters(&self.db, i.org_id, &[i.id]).await?;
                (
                    i.org_id,
                    i.neighbourhood_id,
                    i.title,
                    String::new(),
                    existing,
                    votes.get(&id).cloned().unwrap_or_default(),
                )
            }
        };
        if let Some(a) = existing {
            return Ok(a);
        }
        // Only the households still of the wish's neighbourhood and not erased: a family
        // that moved away is not invited by a wish it made here.
        let mut invite: Vec<Uuid> = Vec::new();
        for chunk in households.chunks(500) {
            invite.extend(
                household::Entity::find()
                    .filter(household::Column::OrgId.eq(org))
                    .filter(household::Column::NeighbourhoodId.eq(nb))
                    .filter(household::Column::AnonymisedAt.is_null())
                    .filter(household::Column::Id.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id))
                    .map(|h| h.id),
            );
        }
        invite.sort();
        invite.dedup();
        let id = Uuid::now_v7();
        let at = now();
        let i32_of = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        let txn = self.db.begin().await?;
        activity::ActiveModel {
            id: Set(id),
            org_id: Set(org),
            neighbourhood_id: Set(nb),
            kind: Set(ActivityKind::Workshop.as_str().into()),
            audience: Set(Audience::Tailored.as_str().into()),
            name: Set(title.clone()),
            description: Set(note),
            place: Set(String::new()),
            address: Set(String::new()),
            accessibility: Set(String::new()),
            near_school: Set(false),
            cost_cents: Set(0),
            capacity: Set(None),
            childcare: Set(false),
            preparation_minutes: Set(i32_of(staff.preparation)),
            execution_minutes: Set(i32_of(staff.execution)),
            wrap_up_minutes: Set(i32_of(staff.wrap_up)),
            created_at: Set(at),
            archived_at: Set(None),
        }
        .insert(&txn)
        .await?;
        for h in &invite {
            activity_invite::ActiveModel {
                org_id: Set(org),
                activity_id: Set(id),
                household_id: Set(*h),
                created_at: Set(at),
            }
            .insert(&txn)
            .await?;
            crate::register::add_event(&txn, org, *h, actor, "activity_invited", &title).await?;
        }
        match of {
            WishRef::Wish(w) => {
                wish::Entity::update_many()
                    .col_expr(wish::Column::ActivityId, Some(id).into())
                    .filter(wish::Column::OrgId.eq(org))
                    .filter(wish::Column::Id.eq(w))
                    .exec(&txn)
                    .await?;
            }
            WishRef::Idea(i) => {
                idea_wish::Entity::insert(idea_wish::ActiveModel {
                    org_id: Set(org),
                    idea_id: Set(i),
                    theme: Set(Theme::Other.as_str().into()),
                    activity_id: Set(Some(id)),
                    updated_by: Set(actor),
                    updated_at: Set(at),
                })
                .on_conflict(
                    OnConflict::columns([idea_wish::Column::OrgId, idea_wish::Column::IdeaId])
                        .update_columns([
                            idea_wish::Column::ActivityId,
                            idea_wish::Column::UpdatedBy,
                            idea_wish::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            }
        }
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_type: "activity".into(),
                object_id: Some(id),
                neighbourhood_id: Some(nb),
                detail: format!("invited={}", invite.len()),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }
}

async fn link_households<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    wish_id: Uuid,
    households: &[Uuid],
) -> Result<u64> {
    if households.is_empty() {
        return Ok(0);
    }
    let at = now();
    let rows: Vec<wish_household::ActiveModel> = households
        .iter()
        .map(|h| wish_household::ActiveModel {
            org_id: Set(org_id),
            wish_id: Set(wish_id),
            household_id: Set(*h),
            created_at: Set(at),
        })
        .collect();
    Ok(wish_household::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                wish_household::Column::OrgId,
                wish_household::Column::WishId,
                wish_household::Column::HouseholdId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?)
}

/// Erasure: who asked for a wish says something about the family; the link goes, the wish
/// and its count stay.
pub(crate) async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<()> {
    wish_household::Entity::delete_many()
        .filter(wish_household::Column::OrgId.eq(org_id))
        .filter(wish_household::Column::HouseholdId.eq(household_id))
        .exec(db)
        .await?;
    Ok(())
}

//! The household register: households, their parents and children, consent per purpose and
//! the household's timeline. Every call takes the caller's tenant: a household outside the
//! tenant's organisation or neighbourhoods is `NotFound`, exactly like one that does not exist.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mtp_domain::consent::{ConsentMethod, ConsentRecord, Purpose};
use mtp_domain::search::{fold, name_words, query_words};
use mtp_domain::{
    Channel, ChildBirth, HouseholdKind, HouseholdStatus, PhoneNumber, Source, Tenant,
};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{
    account, attendance, attendance_parent, child, consent_record, household, household_event,
    household_search, neighbourhood, parent,
};
pub use crate::register::{ChildDraft, HouseholdDraft, ParentDraft};
// Re-exported for the modules above this one that write timeline events and search words.
use crate::register::{add_event, set_search_tokens};
use crate::register::{free_days_text, search_tokens, stored_tokens};
use crate::{Result, Store, StoreError, now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
    pub channel: Channel,
    pub languages: String,
    pub works: bool,
    pub free_days: Vec<u8>,
}

impl Parent {
    pub fn full_name(&self) -> String {
        match &self.last_name {
            Some(l) => format!("{} {l}", self.first_name),
            None => self.first_name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub id: Uuid,
    pub first_name: String,
    pub birth: ChildBirth,
}

/// One row of the household list.
#[derive(Debug, Clone)]
pub struct HouseholdSummary {
    pub id: Uuid,
    pub neighbourhood_name: String,
    pub kind: HouseholdKind,
    pub status: HouseholdStatus,
    pub first_names: Vec<String>,
    pub full_names: Vec<String>,
    pub children: usize,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HouseholdEvent {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: Uuid,
    pub org_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub neighbourhood_name: String,
    pub kind: HouseholdKind,
    pub status: HouseholdStatus,
    pub status_changed_at: DateTime<Utc>,
    pub status_reason: Option<String>,
    pub postcode4: Option<String>,
    pub source: Source,
    pub source_partner: Option<String>,
    /// The partner organisation the family came through (docs/guide/partners.md): its id
    /// and name, kept when the partner is deleted later.
    pub source_partner_org: Option<(Uuid, String)>,
    pub interests: String,
    pub talents: String,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub anonymised: bool,
    pub parents: Vec<Parent>,
    pub children: Vec<Child>,
    pub consents: Vec<ConsentRecord>,
    pub events: Vec<HouseholdEvent>,
}

/// The household list counts matches up to this number and then says "more than".
pub const COUNT_CAP: u64 = 1000;
/// A search word matching at most this many households is looked up by primary key.
const SELECTIVE: u64 = 5000;

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    /// Part of a name, phone number or e-mail address.
    pub q: String,
    pub status: Option<HouseholdStatus>,
    pub kind: Option<HouseholdKind>,
    pub neighbourhood_id: Option<Uuid>,
    /// Only households registered since then ("new").
    pub registered_since: Option<DateTime<Utc>>,
    /// When they last came to a session.
    pub attended: Option<Attended>,
}

/// The "last attended" filter of the household list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attended {
    /// Came to a session since then.
    Since(DateTime<Utc>),
    /// Came before, but not since then: the families who dropped away.
    NotSince(DateTime<Utc>),
    /// Never came to a session.
    Never,
}

fn parse_free_days(text: &str) -> Vec<u8> {
    text.split(',')
        .filter_map(|d| d.parse().ok())
        .filter(|d| *d < 7)
        .collect()
}

/// The neighbourhoods a tenant's household queries are limited to; `None` means the whole
/// organisation.
fn reach(tenant: &Tenant) -> Option<Vec<Uuid>> {
    (!tenant.role.sees_whole_organisation()).then(|| tenant.neighbourhoods.clone())
}

async fn set_source_partner<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    id: Uuid,
    partner: Option<Uuid>,
) -> Result<()> {
    household::Entity::update_many()
        .col_expr(household::Column::SourcePartnerId, partner.into())
        .filter(household::Column::OrgId.eq(org_id))
        .filter(household::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub(crate) fn to_parent(p: parent::Model) -> Parent {
    Parent {
        id: p.id,
        phone: p.phone.as_deref().and_then(PhoneNumber::from_e164),
        channel: Channel::parse(&p.channel).unwrap_or(Channel::WhatsApp),
        free_days: parse_free_days(&p.free_days),
        first_name: p.first_name,
        last_name: p.last_name,
        email: p.email,
        languages: p.languages,
        works: p.works,
    }
}

impl Store {
    /// Register a household with its parents, children and the consent for registration,
    /// with its audit entry (if any; the store sets its object id to the new household's).
    pub async fn create_household(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        d: &HouseholdDraft,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        self.create_household_via(tenant, actor, d, None, audit)
            .await
    }

    /// [`Store::create_household`], and the partner organisation the family came through
    /// (checked as `partners::check_source_partner` says; refused at the form's field).
    pub async fn create_household_via(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        d: &HouseholdDraft,
        partner: Option<Uuid>,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        if !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        let ids = crate::imports::insert_many_households(
            &txn,
            tenant.org_id,
            actor,
            std::slice::from_ref(d),
            "registered",
        )
        .await?;
        let id = ids.first().copied().ok_or(StoreError::NotFound)?;
        if let Some(p) = partner {
            crate::partners::check_source_partner(&txn, tenant, p, d.neighbourhood_id, None)
                .await?;
            set_source_partner(&txn, tenant.org_id, id, partner).await?;
        }
        append_audit_opt(
            &txn,
            audit.map(|e| NewAuditEvent {
                object_id: Some(id),
                ..e
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The tenant's households that match the filter, newest first; `limit` rows from `offset`.
    pub async fn households(
        &self,
        tenant: &Tenant,
        f: &HouseholdFilter,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<HouseholdSummary>, u64)> {
        let mut q = household::Entity::find()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::AnonymisedAt.is_null());
        if let Some(ids) = reach(tenant) {
            q = q.filter(household::Column::NeighbourhoodId.is_in(ids));
        }
        if let Some(s) = f.status {
            q = q.filter(household::Column::Status.eq(s.as_str()));
        }
        if let Some(k) = f.kind {
            q = q.filter(household::Column::Kind.eq(k.as_str()));
        }
        if let Some(n) = f.neighbourhood_id {
            q = q.filter(household::Column::NeighbourhoodId.eq(n));
        }
        if let Some(t) = f.registered_since {
            q = q.filter(household::Column::CreatedAt.gte(t));
        }
        match f.attended {
            Some(Attended::Since(t)) => q = q.filter(household::Column::LastAttendedAt.gte(t)),
            Some(Attended::NotSince(t)) => q = q.filter(household::Column::LastAttendedAt.lt(t)),
            Some(Attended::Never) => q = q.filter(household::Column::LastAttendedAt.is_null()),
            None => {}
        }
        let q = self.matching_words(tenant, &f.q, q).await?;
        // Counting stops at COUNT_CAP: beyond that the page says "more than 1,000" and asks for
        // a narrower search, and a count over 100,000 rows would cost more than the page.
        let total = q
            .clone()
            .select_only()
            .column(household::Column::Id)
            .limit(COUNT_CAP + 1)
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .len() as u64;
        let rows = q
            .order_by_desc(household::Column::CreatedAt)
            .order_by_desc(household::Column::Id)
            .limit(limit)
            .offset(offset)
            .all(&self.db)
            .await?;
        let list = self.household_summaries(tenant, rows).await?;
        Ok((list, total))
    }

    /// Narrow `q` to the households with a search word starting with each word of `text`.
    pub(crate) async fn matching_words(
        &self,
        tenant: &Tenant,
        text: &str,
        mut q: sea_orm::Select<household::Entity>,
    ) -> Result<sea_orm::Select<household::Entity>> {
        // Every word must start one of the household's search words. Each word's households
        // come from an index range scan; when one word is selective (it usually is: a name, a
        // number) the page then reads those households by primary key. Only when every word
        // matches thousands ("a") do we let the database combine the word lists itself.
        let mut selective: Option<std::collections::HashSet<Uuid>> = None;
        let mut broad = Vec::new();
        for word in query_words(text) {
            let mut upper = word.clone();
            upper.push(char::MAX);
            let range = household_search::Column::Token
                .gte(word.clone())
                .and(household_search::Column::Token.lt(upper.clone()));
            let ids: Vec<Uuid> = household_search::Entity::find()
                .select_only()
                .column(household_search::Column::HouseholdId)
                .filter(household_search::Column::OrgId.eq(tenant.org_id))
                .filter(range.clone())
                .limit(SELECTIVE + 1)
                .into_tuple()
                .all(&self.db)
                .await?;
            if ids.len() as u64 <= SELECTIVE {
                let ids: std::collections::HashSet<Uuid> = ids.into_iter().collect();
                selective = Some(match selective {
                    Some(before) => before.intersection(&ids).copied().collect(),
                    None => ids,
                });
            } else {
                broad.push(range);
            }
        }
        match selective {
            Some(mut ids) => {
                // Narrow the few candidates by the broad words too, through the per-household
                // index, instead of letting the database expand a broad word in full.
                for range in broad {
                    if ids.is_empty() {
                        break;
                    }
                    let keep: Vec<Uuid> = household_search::Entity::find()
                        .select_only()
                        .column(household_search::Column::HouseholdId)
                        .filter(household_search::Column::OrgId.eq(tenant.org_id))
                        .filter(household_search::Column::HouseholdId.is_in(ids.iter().copied()))
                        .filter(range)
                        .into_tuple()
                        .all(&self.db)
                        .await?;
                    ids = keep.into_iter().collect();
                }
                q = q.filter(household::Column::Id.is_in(ids));
            }
            None => {
                for range in broad {
                    q = q.filter(
                        household::Column::Id.in_subquery(
                            sea_orm::sea_query::Query::select()
                                .column(household_search::Column::HouseholdId)
                                .from(household_search::Entity)
                                .and_where(household_search::Column::OrgId.eq(tenant.org_id))
                                .cond_where(range)
                                .to_owned(),
                        ),
                    );
                }
            }
        }
        Ok(q)
    }

    /// A page's households with their parents' names, number of children and neighbourhood.
    async fn household_summaries(
        &self,
        tenant: &Tenant,
        rows: Vec<household::Model>,
    ) -> Result<Vec<HouseholdSummary>> {
        let ids: Vec<Uuid> = rows.iter().map(|h| h.id).collect();
        let mut parents: HashMap<Uuid, Vec<parent::Model>> = HashMap::new();
        let mut children: HashMap<Uuid, usize> = HashMap::new();
        if !ids.is_empty() {
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.is_in(ids.clone()))
                .order_by_asc(parent::Column::Position)
                .all(&self.db)
                .await?
            {
                parents.entry(p.household_id).or_default().push(p);
            }
            for c in child::Entity::find()
                .filter(child::Column::OrgId.eq(tenant.org_id))
                .filter(child::Column::HouseholdId.is_in(ids))
                .all(&self.db)
                .await?
            {
                *children.entry(c.household_id).or_default() += 1;
            }
        }
        let names = self
            .neighbourhood_names(tenant.org_id, rows.iter().map(|h| h.neighbourhood_id))
            .await?;
        Ok(rows
            .into_iter()
            .map(|h| {
                let ps = parents.remove(&h.id).unwrap_or_default();
                HouseholdSummary {
                    id: h.id,
                    neighbourhood_name: names.get(&h.neighbourhood_id).cloned().unwrap_or_default(),
                    kind: HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::SingleParent),
                    status: HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Contacted),
                    first_names: ps.iter().map(|p| p.first_name.clone()).collect(),
                    full_names: ps
                        .iter()
                        .map(|p| match &p.last_name {
                            Some(l) => format!("{} {l}", p.first_name),
                            None => p.first_name.clone(),
                        })
                        .collect(),
                    children: children.get(&h.id).copied().unwrap_or(0),
                    created_at: h.created_at,
                }
            })
            .collect())
    }

    /// The names of the given neighbourhoods (an organisation may have a thousand; a page shows
    /// a few).
    pub(crate) async fn neighbourhood_names(
        &self,
        org_id: Uuid,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, String>> {
        let mut ids: Vec<Uuid> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(neighbourhood::Entity::find()
            .filter(neighbourhood::Column::OrgId.eq(org_id))
            .filter(neighbourhood::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect())
    }

    pub(crate) async fn household_row(
        &self,
        tenant: &Tenant,
        id: Uuid,
    ) -> Result<household::Model> {
        household::Entity::find_by_id(id)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// One household with everything recorded about it.
    pub async fn household(&self, tenant: &Tenant, id: Uuid) -> Result<Household> {
        let h = self.household_row(tenant, id).await?;
        let org = tenant.org_id;
        let parents = parent::Entity::find()
            .filter(parent::Column::OrgId.eq(org))
            .filter(parent::Column::HouseholdId.eq(id))
            .order_by_asc(parent::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_parent)
            .collect();
        let children = child::Entity::find()
            .filter(child::Column::OrgId.eq(org))
            .filter(child::Column::HouseholdId.eq(id))
            .order_by_asc(child::Column::BirthYear)
            .order_by_asc(child::Column::BirthMonth)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| Child {
                id: c.id,
                first_name: c.first_name,
                birth: ChildBirth {
                    year: c.birth_year,
                    month: u32::try_from(c.birth_month).unwrap_or(1),
                },
            })
            .collect();
        let consents = self.consents(org, id).await?;
        let rows = household_event::Entity::find()
            .filter(household_event::Column::OrgId.eq(org))
            .filter(household_event::Column::HouseholdId.eq(id))
            .order_by_desc(household_event::Column::At)
            .order_by_desc(household_event::Column::Id)
            .all(&self.db)
            .await?;
        let actor_ids: Vec<Uuid> = rows.iter().filter_map(|e| e.actor_id).collect();
        let actors: HashMap<Uuid, String> = if actor_ids.is_empty() {
            HashMap::new()
        } else {
            account::Entity::find()
                .filter(account::Column::OrgId.eq(org))
                .filter(account::Column::Id.is_in(actor_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|a| (a.id, a.display_name))
                .collect()
        };
        let events = rows
            .into_iter()
            .map(|e| HouseholdEvent {
                at: e.at,
                actor_name: e.actor_id.and_then(|a| actors.get(&a).cloned()),
                kind: e.kind,
                detail: e.detail,
            })
            .collect();
        let names = self.neighbourhood_names(org, [h.neighbourhood_id]).await?;
        let source_partner_org = match h.source_partner_id {
            Some(p) => self.partner_name(org, p).await?.map(|name| (p, name)),
            None => None,
        };
        Ok(Household {
            id: h.id,
            org_id: h.org_id,
            neighbourhood_id: h.neighbourhood_id,
            neighbourhood_name: names.get(&h.neighbourhood_id).cloned().unwrap_or_default(),
            kind: HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::SingleParent),
            status: HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Contacted),
            status_changed_at: h.status_changed_at,
            status_reason: h.status_reason,
            postcode4: h.postcode4,
            source: Source::parse(&h.source).unwrap_or(Source::SelfReferral),
            source_partner: h.source_partner,
            source_partner_org,
            interests: h.interests,
            talents: h.talents,
            notes: h.notes,
            created_at: h.created_at,
            anonymised: h.anonymised_at.is_some(),
            parents,
            children,
            consents,
            events,
        })
    }

    async fn consents(&self, org_id: Uuid, household_id: Uuid) -> Result<Vec<ConsentRecord>> {
        Ok(self
            .consents_of(org_id, &[household_id])
            .await?
            .remove(&household_id)
            .unwrap_or_default())
    }

    /// The consent records of several households, oldest first per household.
    pub(crate) async fn consents_of(
        &self,
        org_id: Uuid,
        ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, Vec<ConsentRecord>>> {
        let mut out: std::collections::HashMap<Uuid, Vec<ConsentRecord>> =
            std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            for c in consent_record::Entity::find()
                .filter(consent_record::Column::OrgId.eq(org_id))
                .filter(consent_record::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(consent_record::Column::At)
                .order_by_asc(consent_record::Column::Id)
                .all(&self.db)
                .await?
            {
                let (Some(purpose), Ok(method)) =
                    (Purpose::parse(&c.purpose), ConsentMethod::parse(&c.method))
                else {
                    continue;
                };
                out.entry(c.household_id).or_default().push(ConsentRecord {
                    purpose,
                    given: c.given,
                    at: c.at,
                    method,
                    text_version: c.text_version,
                });
            }
        }
        Ok(out)
    }

    /// Move a household to another status, with its audit entry (if any). Refused
    /// (`Ok(false)`, and no entry) when the lifecycle does not allow the move.
    pub async fn set_household_status(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        next: HouseholdStatus,
        reason: Option<String>,
        audit: Option<NewAuditEvent>,
    ) -> Result<bool> {
        let h = self.household_row(tenant, id).await?;
        let current = HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Contacted);
        if !current.may_become(next) {
            return Ok(false);
        }
        let txn = self.db.begin().await?;
        // Conditional on the status we read, so two workers changing it at once cannot both
        // win with a move the lifecycle forbids.
        let res = household::Entity::update_many()
            .col_expr(household::Column::Status, next.as_str().into())
            .col_expr(household::Column::StatusChangedAt, now().into())
            .col_expr(household::Column::StatusReason, reason.into())
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::Id.eq(id))
            .filter(household::Column::Status.eq(current.as_str()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Ok(false);
        }
        let detail = format!("{}>{}", current.as_str(), next.as_str());
        add_event(&txn, tenant.org_id, id, actor, "status", &detail).await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Record that consent for a purpose was given or withdrawn, with its audit entry (if
    /// any).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_consent(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        purpose: Purpose,
        given: bool,
        method: ConsentMethod,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        self.household_row(tenant, id).await?;
        let txn = self.db.begin().await?;
        insert_consent(&txn, tenant.org_id, id, actor, purpose, given, method).await?;
        // The consent gate for the chat group: without it, off the roster.
        if purpose == Purpose::ChatGroup
            && !given
            && crate::chat::end_membership(&txn, tenant.org_id, id, "consent_withdrawn").await? > 0
        {
            add_event(
                &txn,
                tenant.org_id,
                id,
                actor,
                "chat_left",
                "consent_withdrawn",
            )
            .await?;
        }
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The recorded consents of a household, for the consent gate.
    pub async fn household_consents(
        &self,
        tenant: &Tenant,
        id: Uuid,
    ) -> Result<Vec<ConsentRecord>> {
        self.household_row(tenant, id).await?;
        self.consents(tenant.org_id, id).await
    }
}

async fn insert_consent<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
    actor: Option<Uuid>,
    purpose: Purpose,
    given: bool,
    method: ConsentMethod,
) -> Result<()> {
    consent_record::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(org_id),
        household_id: Set(household_id),
        purpose: Set(purpose.as_str().into()),
        given: Set(given),
        at: Set(now()),
        method: Set(method.as_str().into()),
        text_version: Set(mtp_domain::consent::CURRENT_TEXT_VERSION.into()),
        recorded_by: Set(actor),
    }
    .insert(db)
    .await?;
    crate::household_facts::refresh_household_facts(db, org_id, &[household_id]).await?;
    let detail = format!(
        "{}:{}",
        purpose.as_str(),
        if given { "given" } else { "withdrawn" }
    );
    add_event(db, org_id, household_id, actor, "consent", &detail).await
}

impl Store {
    /// Register many households in one transaction (the benchmark generator).
    pub async fn create_households_bulk(
        &self,
        tenant: &Tenant,
        drafts: &[HouseholdDraft],
    ) -> Result<Vec<Uuid>> {
        if drafts
            .iter()
            .any(|d| !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id))
        {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        let ids =
            crate::imports::insert_many_households(&txn, tenant.org_id, None, drafts, "registered")
                .await?;
        txn.commit().await?;
        Ok(ids)
    }
}

impl Store {
    /// Correct a household's details: its fields, its parents (kept in place by position, so
    /// anything that refers to a parent keeps referring to them) and its children; with its
    /// audit entry.
    pub async fn update_household(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        d: &HouseholdDraft,
        audit: NewAuditEvent,
    ) -> Result<()> {
        self.update_household_via(tenant, actor, id, d, None, audit)
            .await
    }

    /// [`Store::update_household`], and with `Some(partner)` the partner organisation the
    /// family came through set or cleared (checked as `partners::check_source_partner` says;
    /// keeping the stored one is always allowed). `None` leaves it as it is.
    pub async fn update_household_via(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        d: &HouseholdDraft,
        partner: Option<Option<Uuid>>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let h = self.household_row(tenant, id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        if !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let org_id = tenant.org_id;
        let txn = self.db.begin().await?;
        if let Some(chosen) = partner {
            if let Some(p) = chosen {
                crate::partners::check_source_partner(
                    &txn,
                    tenant,
                    p,
                    d.neighbourhood_id,
                    h.source_partner_id,
                )
                .await?;
            }
            set_source_partner(&txn, org_id, id, chosen).await?;
        }
        household::Entity::update_many()
            .col_expr(
                household::Column::NeighbourhoodId,
                d.neighbourhood_id.into(),
            )
            .col_expr(household::Column::Kind, d.kind.as_str().into())
            .col_expr(
                household::Column::Postcode4,
                d.postcode4.as_ref().map(|p| p.as_str().to_string()).into(),
            )
            .col_expr(household::Column::Source, d.source.as_str().into())
            .col_expr(
                household::Column::SourcePartner,
                d.source_partner.clone().into(),
            )
            .col_expr(household::Column::Interests, d.interests.clone().into())
            .col_expr(household::Column::Talents, d.talents.clone().into())
            .col_expr(household::Column::Notes, d.notes.clone().into())
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        // Only visits in its own neighbourhood count as its first (`crate::visit_marks`).
        if h.neighbourhood_id != d.neighbourhood_id {
            crate::visit_marks::refresh_visit_marks(&txn, org_id, &[id]).await?;
        }
        let existing = parent::Entity::find()
            .filter(parent::Column::OrgId.eq(org_id))
            .filter(parent::Column::HouseholdId.eq(id))
            .order_by_asc(parent::Column::Position)
            .all(&txn)
            .await?;
        for (i, p) in d.parents.iter().enumerate() {
            let position = i32::try_from(i).unwrap_or(0);
            let mut row = match existing.get(i) {
                Some(e) => parent::ActiveModel::from(e.clone()),
                None => parent::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    org_id: Set(org_id),
                    household_id: Set(id),
                    ..Default::default()
                },
            };
            row.position = Set(position);
            row.first_name = Set(p.first_name.as_str().into());
            row.last_name = Set(p.last_name.as_ref().map(|l| l.as_str().to_string()));
            row.phone = Set(p.phone.as_ref().map(|n| n.e164().to_string()));
            row.email = Set(p.email.as_ref().map(|e| e.as_str().to_string()));
            row.channel = Set(p.channel.as_str().into());
            row.languages = Set(p.languages.clone());
            row.works = Set(p.works);
            row.free_days = Set(free_days_text(&p.free_days));
            if existing.get(i).is_some() {
                row.update(&txn).await?;
            } else {
                row.insert(&txn).await?;
            }
        }
        for gone in existing.iter().skip(d.parents.len()) {
            // Someone who is no longer a parent of the household: the family's attendance
            // stays, the note of who of them came goes with them.
            attendance_parent::Entity::delete_many()
                .filter(attendance_parent::Column::OrgId.eq(org_id))
                .filter(attendance_parent::Column::ParentId.eq(gone.id))
                .exec(&txn)
                .await?;
            parent::Entity::delete_by_id(gone.id).exec(&txn).await?;
        }
        child::Entity::delete_many()
            .filter(child::Column::OrgId.eq(org_id))
            .filter(child::Column::HouseholdId.eq(id))
            .exec(&txn)
            .await?;
        for c in &d.children {
            child::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(org_id),
                household_id: Set(id),
                first_name: Set(c.first_name.as_str().into()),
                birth_year: Set(c.birth.year),
                birth_month: Set(i32::try_from(c.birth.month).unwrap_or(1)),
            }
            .insert(&txn)
            .await?;
        }
        crate::household_facts::refresh_household_facts(&txn, org_id, &[id]).await?;
        set_search_tokens(&txn, org_id, id, &search_tokens(&d.parents)).await?;
        add_event(&txn, org_id, id, actor, "edited", "").await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Other households of the tenant that share a phone number or e-mail address with this
    /// one: likely the same family registered twice.
    pub async fn possible_duplicates(
        &self,
        tenant: &Tenant,
        id: Uuid,
    ) -> Result<Vec<HouseholdSummary>> {
        self.household_row(tenant, id).await?;
        let contacts: Vec<String> = household_search::Entity::find()
            .select_only()
            .column(household_search::Column::Token)
            .filter(household_search::Column::OrgId.eq(tenant.org_id))
            .filter(household_search::Column::HouseholdId.eq(id))
            .into_tuple::<String>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|t| t.contains('@') || (t.len() >= 9 && t.chars().all(|c| c.is_ascii_digit())))
            .collect();
        let mut others: std::collections::HashSet<Uuid> = if contacts.is_empty() {
            Default::default()
        } else {
            household_search::Entity::find()
                .select_only()
                .column(household_search::Column::HouseholdId)
                .filter(household_search::Column::OrgId.eq(tenant.org_id))
                .filter(household_search::Column::Token.is_in(contacts))
                .filter(household_search::Column::HouseholdId.ne(id))
                .into_tuple::<Uuid>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect()
        };
        // The same parent by name: every word of a first and last name (as the search folds
        // them), so "Zoë de Vries" finds "Zoe de Vries". A first name alone is too common.
        for p in parent::Entity::find()
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .filter(parent::Column::HouseholdId.eq(id))
            .all(&self.db)
            .await?
        {
            let Some(last) = p.last_name.as_deref().filter(|l| !l.trim().is_empty()) else {
                continue;
            };
            let words: std::collections::BTreeSet<String> =
                name_words(&p.first_name).chain(name_words(last)).collect();
            let mut matched: HashMap<Uuid, usize> = HashMap::new();
            for (household, _) in household_search::Entity::find()
                .select_only()
                .column(household_search::Column::HouseholdId)
                .column(household_search::Column::Token)
                .filter(household_search::Column::OrgId.eq(tenant.org_id))
                .filter(household_search::Column::Token.is_in(words.iter().cloned()))
                .filter(household_search::Column::HouseholdId.ne(id))
                .into_tuple::<(Uuid, String)>()
                .all(&self.db)
                .await?
            {
                *matched.entry(household).or_default() += 1;
            }
            others.extend(
                matched
                    .into_iter()
                    .filter(|(_, n)| *n == words.len())
                    .map(|(h, _)| h),
            );
        }
        let mut out = Vec::new();
        for other in others.into_iter().take(10) {
            // Only those the tenant may see; a miss is someone else's neighbourhood.
            if let Ok(h) = self.household(tenant, other).await {
                out.push(HouseholdSummary {
                    id: h.id,
                    neighbourhood_name: h.neighbourhood_name,
                    kind: h.kind,
                    status: h.status,
                    first_names: h.parents.iter().map(|p| p.first_name.clone()).collect(),
                    full_names: h.parents.iter().map(Parent::full_name).collect(),
                    children: h.children.len(),
                    created_at: h.created_at,
                });
            }
        }
        Ok(out)
    }

    /// Merge household `other` into `keep`: its parents (unless the same name is already
    /// there), children (unless already there), consents, timeline and everything it took
    /// part in (registrations, answers, attendance, contacts, portal access) move over, and
    /// `other` is deleted. One transaction, with the audit entry.
    pub async fn merge_households(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        keep: Uuid,
        other: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if keep == other {
            return Err(StoreError::NotFound);
        }
        let a = self.household_row(tenant, keep).await?;
        let b = self.household_row(tenant, other).await?;
        if a.anonymised_at.is_some() || b.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let org_id = tenant.org_id;
        let txn = self.db.begin().await?;
        let parents_of = |h: Uuid| {
            parent::Entity::find()
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::HouseholdId.eq(h))
                .order_by_asc(parent::Column::Position)
        };
        let mut kept = parents_of(keep).all(&txn).await?;
        for p in parents_of(other).all(&txn).await? {
            // A parent known only by first name (a walk-in at the door) is the one of that
            // first name in the family the worker merges it into.
            let twin = kept.iter().find(|k| {
                fold(&k.first_name) == fold(&p.first_name)
                    && match (k.last_name.as_deref(), p.last_name.as_deref()) {
                        (Some(a), Some(b)) => fold(a) == fold(b),
                        _ => true,
                    }
            });
            if let Some(twin) = twin {
                // The same person twice: who came where moves to the one that stays.
                move_rows(
                    &txn,
                    org_id,
                    "attendance_parent",
                    "parent_id",
                    p.id,
                    twin.id,
                    Some("session_id"),
                )
                .await?;
                parent::Entity::delete_by_id(p.id).exec(&txn).await?;
            } else {
                let mut row = parent::ActiveModel::from(p.clone());
                row.household_id = Set(keep);
                row.position = Set(i32::try_from(kept.len()).unwrap_or(0));
                kept.push(row.update(&txn).await?);
            }
        }
        let children_of = |h: Uuid| {
            child::Entity::find()
                .filter(child::Column::OrgId.eq(org_id))
                .filter(child::Column::HouseholdId.eq(h))
        };
        let kids = children_of(keep).all(&txn).await?;
        for c in children_of(other).all(&txn).await? {
            let same = kids.iter().any(|k| {
                fold(&k.first_name) == fold(&c.first_name)
                    && k.birth_year == c.birth_year
                    && k.birth_month == c.birth_month
            });
            if same {
                child::Entity::delete_by_id(c.id).exec(&txn).await?;
            } else {
                let mut row = child::ActiveModel::from(c);
                row.household_id = Set(keep);
                row.update(&txn).await?;
            }
        }
        consent_record::Entity::update_many()
            .col_expr(consent_record::Column::HouseholdId, keep.into())
            .filter(consent_record::Column::OrgId.eq(org_id))
            .filter(consent_record::Column::HouseholdId.eq(other))
            .exec(&txn)
            .await?;
        household_event::Entity::update_many()
            .col_expr(household_event::Column::HouseholdId, keep.into())
            .filter(household_event::Column::OrgId.eq(org_id))
            .filter(household_event::Column::HouseholdId.eq(other))
            .exec(&txn)
            .await?;
        // Everything else that hangs on the household moves too. Where both have a row for
        // the same thing (both registered for the coffee hour, both at one session), the row of
        // the household that stays wins; a walk-in connected to a known family keeps the
        // family's own record of that session.
        // Where both were at one session, one row is left: that session's counts change.
        let other_sessions: Vec<Uuid> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::SessionId)
            .filter(attendance::Column::OrgId.eq(org_id))
            .filter(attendance::Column::HouseholdId.eq(other))
            .into_tuple()
            .all(&txn)
            .await?;
        for (table, key) in KEYED_BY_HOUSEHOLD {
            move_rows(&txn, org_id, table, "household_id", other, keep, *key).await?;
        }
        // The visits of both are now the kept household's.
        crate::visit_marks::refresh_visit_marks(&txn, org_id, &[keep]).await?;
        crate::household_facts::refresh_household_facts(&txn, org_id, &[keep]).await?;
        crate::visit_marks::refresh_session_counts(&txn, org_id, &other_sessions).await?;
        for table in HANGS_ON_HOUSEHOLD {
            move_rows(&txn, org_id, table, "household_id", other, keep, None).await?;
        }
        if let Some(at) = b.last_attended_at {
            household::Entity::update_many()
                .col_expr(household::Column::LastAttendedAt, at.into())
                .filter(household::Column::OrgId.eq(org_id))
                .filter(household::Column::Id.eq(keep))
                .filter(
                    sea_orm::Condition::any()
                        .add(household::Column::LastAttendedAt.is_null())
                        .add(household::Column::LastAttendedAt.lt(at)),
                )
                .exec(&txn)
                .await?;
        }
        set_search_tokens(&txn, org_id, other, &Default::default()).await?;
        set_search_tokens(&txn, org_id, keep, &stored_tokens(&kept)).await?;
        add_event(&txn, org_id, keep, actor, "merged", "").await?;
        household::Entity::delete_many()
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::Id.eq(other))
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Tables with at most one row per household and thing (the second column); `None`: one
/// row per household.
const KEYED_BY_HOUSEHOLD: &[(&str, Option<&str>)] = &[
    ("registration", Some("activity_id")),
    ("activity_invite", Some("activity_id")),
    ("rsvp", Some("session_id")),
    ("attendance", Some("session_id")),
    ("idea_vote", Some("idea_id")),
    ("activity_organiser", Some("activity_id")),
    ("wish_household", Some("wish_id")),
    ("email_unsubscribe", None),
];

/// Tables whose rows simply follow the household.
const HANGS_ON_HOUSEHOLD: &[&str] = &[
    "attendance_parent",
    "contact_moment",
    "chat_membership",
    "checkin_key",
    "calendar_feed",
    "job",
    "portal_link",
    "portal_session",
    "idea",
    "portal_request",
    "help_referrals",
    "parent_quotes",
    "questionnaire_round",
    "outing_ride",
    "talent",
];

/// Point the rows of `table` whose `column` is `from` at `to`, within the organisation. With a
/// `key`, a row that `to` already has for the same key stays and `from`'s is dropped; with
/// `key` `None` in a keyed table, any row of `to` wins.
async fn move_rows<C: ConnectionTrait>(
    txn: &C,
    org_id: Uuid,
    table: &'static str,
    column: &'static str,
    from: Uuid,
    to: Uuid,
    key: Option<&'static str>,
) -> Result<()> {
    use sea_orm::sea_query::{Alias, Expr, Query};
    let t = || Alias::new(table);
    let org = || Expr::col(Alias::new("org_id")).eq(org_id);
    let is = |id: Uuid| Expr::col(Alias::new(column)).eq(id);
    let keyed = KEYED_BY_HOUSEHOLD.iter().any(|(k, _)| *k == table) || key.is_some();
    if keyed {
        let mut taken = Query::select();
        taken.from(t()).and_where(org()).and_where(is(to));
        let mut drop = Query::delete();
        drop.from_table(t()).and_where(org()).and_where(is(from));
        match key {
            Some(k) => {
                taken.column(Alias::new(k));
                drop.and_where(Expr::col(Alias::new(k)).in_subquery(taken));
            }
            None => {
                taken.expr(Expr::val(1));
                drop.and_where(Expr::exists(taken));
            }
        }
        txn.execute(&drop).await?;
    }
    let mut q = Query::update();
    q.table(t())
        .value(Alias::new(column), to)
        .and_where(org())
        .and_where(is(from));
    txn.execute(&q).await?;
    Ok(())
}

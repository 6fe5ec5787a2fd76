//! Partner organisations (issue #16, docs/guide/partners.md): the partners, their contact
//! people, the neighbourhoods they work in and the briefings given to them.
//!
//! Reach: a partner belongs to the organisation. Administrators see all of it; everyone else
//! sees the partners that work in at least one of their neighbourhoods, and may only give a
//! partner neighbourhoods of their own. Every id a caller names (partner, contact,
//! neighbourhood, account) is checked against the organisation and that reach: another
//! tenant's id is `NotFound`, exactly like one that does not exist.
//!
//! A deleted partner is only marked: it leaves the lists and the selects, but its rows stay so
//! that a household (and later a referral) keeps its partner's name.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::partner::{BriefingDraft, ContactDraft, PartnerDraft, PartnerKind};
use mtp_domain::search::fold;
use mtp_domain::{PhoneNumber, Tenant};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{
    account, account_neighbourhood, neighbourhood, partner_briefing, partner_contact,
    partner_neighbourhood, partner_org,
};
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// A partner organisation as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    pub kind: PartnerKind,
    pub refers_families: bool,
    pub offers_activity: bool,
    pub receives_referrals: bool,
    pub note: String,
    pub last_contact: Option<NaiveDate>,
    /// The neighbourhoods it works in, by name: id and name.
    pub neighbourhoods: Vec<(Uuid, String)>,
    pub created_at: DateTime<Utc>,
    /// When it was deleted; a deleted partner is only shown where something refers to it.
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerContact {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    pub id: Uuid,
    pub given_on: NaiveDate,
    pub given_by: Uuid,
    /// The account's display name.
    pub given_by_name: String,
    pub presented: String,
}

/// One partner with its contact people and briefings (newest first).
#[derive(Debug, Clone)]
pub struct PartnerDetail {
    pub partner: Partner,
    pub contacts: Vec<PartnerContact>,
    pub briefings: Vec<Briefing>,
}

#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    /// Part of the name, any case, accents folded ("zoe" finds "Zoë").
    pub q: String,
    pub kind: Option<PartnerKind>,
}

/// The neighbourhoods the tenant's partner queries are limited to; `None` is the whole
/// organisation.
fn reach(tenant: &Tenant) -> Option<&[Uuid]> {
    (!tenant.role.sees_whole_organisation()).then_some(tenant.neighbourhoods.as_slice())
}

fn to_partner(m: partner_org::Model, neighbourhoods: Vec<(Uuid, String)>) -> Partner {
    Partner {
        id: m.id,
        // A kind this version does not know reads as "other", never as an error page.
        kind: PartnerKind::parse(&m.kind).unwrap_or(PartnerKind::Other),
        last_contact: m
            .last_contact
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        name: m.name,
        refers_families: m.refers_families,
        offers_activity: m.offers_activity,
        receives_referrals: m.receives_referrals,
        note: m.note,
        neighbourhoods,
        created_at: m.created_at,
        deleted_at: m.deleted_at,
    }
}

/// Which neighbourhoods each of these partners works in, with their names, by name.
async fn neighbourhoods_of<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    partners: &[Uuid],
) -> Result<HashMap<Uuid, Vec<(Uuid, String)>>> {
    let names: HashMap<Uuid, String> = neighbourhood::Entity::find()
        .filter(neighbourhood::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect();
    let mut out: HashMap<Uuid, Vec<(Uuid, String)>> = HashMap::new();
    for chunk in partners.chunks(500) {
        for r in partner_neighbourhood::Entity::find()
            .filter(partner_neighbourhood::Column::OrgId.eq(org_id))
            .filter(partner_neighbourhood::Column::PartnerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            let name = names.get(&r.neighbourhood_id).cloned().unwrap_or_default();
            out.entry(r.partner_id)
                .or_default()
                .push((r.neighbourhood_id, name));
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.1.cmp(&b.1));
    }
    Ok(out)
}

/// The ids of the neighbourhoods one partner works in.
async fn neighbourhood_ids<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    partner_id: Uuid,
) -> Result<Vec<Uuid>> {
    Ok(neighbourhoods_of(db, org_id, &[partner_id])
        .await?
        .remove(&partner_id)
        .unwrap_or_default()
        .into_iter()
        .map(|(nb, _)| nb)
        .collect())
}

/// The partner row, if the tenant may see it: of its organisation and, unless the tenant sees
/// the whole organisation, working in one of the tenant's neighbourhoods. Deleted or not.
pub(crate) async fn row_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<partner_org::Model> {
    let row = partner_org::Entity::find_by_id(id)
        .filter(partner_org::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if let Some(nbs) = reach(tenant) {
        let shared = partner_neighbourhood::Entity::find()
            .filter(partner_neighbourhood::Column::OrgId.eq(tenant.org_id))
            .filter(partner_neighbourhood::Column::PartnerId.eq(id))
            .filter(partner_neighbourhood::Column::NeighbourhoodId.is_in(nbs.to_vec()))
            .one(db)
            .await?;
        if shared.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    Ok(row)
}

/// As [`row_in_reach`], and not deleted: what every change needs.
async fn live_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<partner_org::Model> {
    let row = row_in_reach(db, tenant, id).await?;
    if row.deleted_at.is_some() {
        return Err(StoreError::NotFound);
    }
    Ok(row)
}

/// Check the neighbourhoods a tenant gives a partner: each of the organisation (else
/// `NotFound`) and within the tenant's reach (else refused, with the message for the field).
async fn check_neighbourhoods<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    ids: &[Uuid],
) -> Result<()> {
    let unique: BTreeSet<Uuid> = ids.iter().copied().collect();
    let found = neighbourhood::Entity::find()
        .filter(neighbourhood::Column::OrgId.eq(tenant.org_id))
        .filter(neighbourhood::Column::Id.is_in(unique.iter().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    if found.len() != unique.len() {
        return Err(StoreError::NotFound);
    }
    if unique
        .iter()
        .any(|nb| !tenant.may_see_neighbourhood(tenant.org_id, *nb))
    {
        return Err(StoreError::Refused(
            "error-choice-invalid-partner_neighbourhoods",
        ));
    }
    Ok(())
}

async fn set_neighbourhoods<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    partner_id: Uuid,
    ids: &BTreeSet<Uuid>,
) -> Result<()> {
    partner_neighbourhood::Entity::delete_many()
        .filter(partner_neighbourhood::Column::OrgId.eq(org_id))
        .filter(partner_neighbourhood::Column::PartnerId.eq(partner_id))
        .exec(db)
        .await?;
    for nb in ids {
        partner_neighbourhood::ActiveModel {
            org_id: Set(org_id),
            partner_id: Set(partner_id),
            neighbourhood_id: Set(*nb),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Check the partner a household is said to have come through, inside the household's
/// write. `current` is the household's partner as stored: keeping it is always allowed (it
/// may have been deleted since, or stopped working there), so editing a household never loses
/// that history. Another partner must be the organisation's (else `NotFound`), not deleted,
/// in the tenant's reach and working in the household's neighbourhood (else refused, with the
/// message for the field).
pub(crate) async fn check_source_partner<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    partner_id: Uuid,
    household_neighbourhood: Uuid,
    current: Option<Uuid>,
) -> Result<()> {
    if current == Some(partner_id) {
        return Ok(());
    }
    let row = partner_org::Entity::find_by_id(partner_id)
        .filter(partner_org::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let works_there = partner_neighbourhood::Entity::find()
        .filter(partner_neighbourhood::Column::OrgId.eq(tenant.org_id))
        .filter(partner_neighbourhood::Column::PartnerId.eq(partner_id))
        .filter(partner_neighbourhood::Column::NeighbourhoodId.eq(household_neighbourhood))
        .one(db)
        .await?
        .is_some();
    if row.deleted_at.is_some()
        || !works_there
        || !tenant.may_see_neighbourhood(tenant.org_id, household_neighbourhood)
    {
        return Err(StoreError::Refused(
            "error-choice-invalid-source_partner_id",
        ));
    }
    Ok(())
}

/// The accounts that may be named as having given a briefing to this partner: the
/// organisation's staff who see the whole organisation or work in one of the partner's
/// neighbourhoods, enabled, by name.
async fn givers<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    partner_neighbourhoods: &[Uuid],
) -> Result<Vec<(Uuid, String)>> {
    let local: BTreeSet<Uuid> = account_neighbourhood::Entity::find()
        .filter(account_neighbourhood::Column::OrgId.eq(org_id))
        .filter(
            account_neighbourhood::Column::NeighbourhoodId.is_in(partner_neighbourhoods.to_vec()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    Ok(account::Entity::find()
        .filter(account::Column::OrgId.eq(org_id))
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| match mtp_domain::Role::parse(&a.role) {
            Some(r) if r.sees_whole_organisation() => r == mtp_domain::Role::Admin,
            Some(r) => r.is_staff() && local.contains(&a.id),
            None => false,
        })
        .map(|a| (a.id, a.display_name))
        .collect())
}

/// Commit a change with its audit entry, about this partner and with this detail.
async fn commit_audited(
    txn: sea_orm::DatabaseTransaction,
    audit: NewAuditEvent,
    partner_id: Uuid,
    detail: String,
) -> Result<()> {
    append_audit_in(
        &txn,
        NewAuditEvent {
            object_id: Some(partner_id),
            detail,
            ..audit
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn contact_of(m: partner_contact::Model) -> PartnerContact {
    PartnerContact {
        id: m.id,
        name: m.name,
        role: m.role,
        phone: m.phone.as_deref().and_then(PhoneNumber::from_e164),
        email: m.email,
    }
}

impl Store {
    /// The tenant's partners that match the filter, by name; deleted ones left out.
    ///
    /// An organisation has tens of partners, not thousands: they are read whole and matched
    /// here, so the name search folds accents and case the same way on both databases.
    pub async fn partners(&self, tenant: &Tenant, f: &PartnerFilter) -> Result<Vec<Partner>> {
        let mut q = partner_org::Entity::find()
            .filter(partner_org::Column::OrgId.eq(tenant.org_id))
            .filter(partner_org::Column::DeletedAt.is_null());
        if let Some(kind) = f.kind {
            q = q.filter(partner_org::Column::Kind.eq(kind.as_str()));
        }
        let rows = q
            .order_by_asc(partner_org::Column::Name)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut nbs = neighbourhoods_of(&self.db, tenant.org_id, &ids).await?;
        let words: Vec<String> = fold(&f.q).split_whitespace().map(String::from).collect();
        Ok(rows
            .into_iter()
            .filter(|r| {
                let name = fold(&r.name);
                words.iter().all(|w| name.contains(w.as_str()))
            })
            .filter_map(|r| {
                let list = nbs.remove(&r.id).unwrap_or_default();
                let in_reach = match reach(tenant) {
                    None => true,
                    Some(mine) => list.iter().any(|(nb, _)| mine.contains(nb)),
                };
                in_reach.then(|| to_partner(r, list))
            })
            .collect())
    }

    /// The partners a household of `neighbourhood` may have come through, for the household
    /// form's select: live, in the tenant's reach, working in that neighbourhood (or, with
    /// `None`, in any neighbourhood of the tenant's reach). Id and name, by name.
    pub async fn partner_choices(
        &self,
        tenant: &Tenant,
        neighbourhood: Option<Uuid>,
    ) -> Result<Vec<(Uuid, String)>> {
        Ok(self
            .partners(tenant, &PartnerFilter::default())
            .await?
            .into_iter()
            .filter(|p| match neighbourhood {
                Some(nb) => p.neighbourhoods.iter().any(|(id, _)| *id == nb),
                None => true,
            })
            .map(|p| (p.id, p.name))
            .collect())
    }

    /// One partner with its contacts and briefings, deleted or not (the page says so). Out of
    /// reach or another organisation's: `NotFound`.
    pub async fn partner(&self, tenant: &Tenant, id: Uuid) -> Result<PartnerDetail> {
        let row = row_in_reach(&self.db, tenant, id).await?;
        self.detail_of(tenant.org_id, row).await
    }

    async fn detail_of(&self, org_id: Uuid, row: partner_org::Model) -> Result<PartnerDetail> {
        let id = row.id;
        let nbs = neighbourhoods_of(&self.db, org_id, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let contacts = partner_contact::Entity::find()
            .filter(partner_contact::Column::OrgId.eq(org_id))
            .filter(partner_contact::Column::PartnerId.eq(id))
            .order_by_asc(partner_contact::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(contact_of)
            .collect();
        let rows = partner_briefing::Entity::find()
            .filter(partner_briefing::Column::OrgId.eq(org_id))
            .filter(partner_briefing::Column::PartnerId.eq(id))
            .order_by_desc(partner_briefing::Column::GivenOn)
            .order_by_desc(partner_briefing::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let names: HashMap<Uuid, String> = account::Entity::find()
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.is_in(rows.iter().map(|b| b.given_by).collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.display_name))
            .collect();
        let briefings = rows
            .into_iter()
            .filter_map(|b| {
                Some(Briefing {
                    id: b.id,
                    given_on: NaiveDate::parse_from_str(&b.given_on, "%Y-%m-%d").ok()?,
                    given_by: b.given_by,
                    given_by_name: names.get(&b.given_by).cloned().unwrap_or_default(),
                    presented: b.presented,
                })
            })
            .collect();
        Ok(PartnerDetail {
            partner: to_partner(row, nbs),
            contacts,
            briefings,
        })
    }

    /// The partner organisation a partner account belongs to, for its start page: the
    /// account's own organisation only. `None` when the account has none or it was deleted.
    pub async fn own_partner(
        &self,
        org_id: Uuid,
        partner_id: Option<Uuid>,
    ) -> Result<Option<PartnerDetail>> {
        let Some(id) = partner_id else {
            return Ok(None);
        };
        let row = partner_org::Entity::find_by_id(id)
            .filter(partner_org::Column::OrgId.eq(org_id))
            .filter(partner_org::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?;
        match row {
            Some(row) => Ok(Some(self.detail_of(org_id, row).await?)),
            None => Ok(None),
        }
    }

    /// The neighbourhoods a partner works in, with who parents and partners can call there
    /// (`Neighbourhood::contact_name`): the partner account's start page.
    pub async fn partner_team(
        &self,
        org_id: Uuid,
        partner_id: Uuid,
    ) -> Result<Vec<crate::Neighbourhood>> {
        let ids: Vec<Uuid> = partner_neighbourhood::Entity::find()
            .filter(partner_neighbourhood::Column::OrgId.eq(org_id))
            .filter(partner_neighbourhood::Column::PartnerId.eq(partner_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.neighbourhood_id)
            .collect();
        Ok(neighbourhood::Entity::find()
            .filter(neighbourhood::Column::OrgId.eq(org_id))
            .filter(neighbourhood::Column::Id.is_in(ids))
            .order_by_asc(neighbourhood::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(crate::Neighbourhood::from)
            .collect())
    }

    /// The name of a partner of the organisation, deleted or not: what a household that came
    /// through it shows.
    pub async fn partner_name(&self, org_id: Uuid, id: Uuid) -> Result<Option<String>> {
        Ok(partner_org::Entity::find_by_id(id)
            .filter(partner_org::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?
            .map(|p| p.name))
    }

    /// Whether a partner of the organisation exists and is not deleted: what an account can
    /// belong to.
    pub(crate) async fn check_account_partner<C: ConnectionTrait>(
        db: &C,
        org_id: Uuid,
        id: Uuid,
    ) -> Result<()> {
        partner_org::Entity::find_by_id(id)
            .filter(partner_org::Column::OrgId.eq(org_id))
            .filter(partner_org::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }

    /// Who may be named as having given a briefing to this partner (see [`givers`]).
    pub async fn briefing_givers(&self, tenant: &Tenant, id: Uuid) -> Result<Vec<(Uuid, String)>> {
        row_in_reach(&self.db, tenant, id).await?;
        let nbs = neighbourhood_ids(&self.db, tenant.org_id, id).await?;
        givers(&self.db, tenant.org_id, &nbs).await
    }

    /// Add a partner, with its audit entry (the store fills in the object id).
    pub async fn create_partner(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        d: &PartnerDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        check_neighbourhoods(&txn, tenant, &d.neighbourhoods).await?;
        partner_org::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            name: Set(d.name.as_str().into()),
            kind: Set(d.kind.as_str().into()),
            refers_families: Set(d.refers_families),
            offers_activity: Set(d.offers_activity),
            receives_referrals: Set(d.receives_referrals),
            note: Set(d.note.clone()),
            last_contact: Set(None),
            created_at: Set(now()),
            created_by: Set(actor),
            deleted_at: Set(None),
            deleted_by: Set(None),
        }
        .insert(&txn)
        .await?;
        let nbs: BTreeSet<Uuid> = d.neighbourhoods.iter().copied().collect();
        set_neighbourhoods(&txn, tenant.org_id, id, &nbs).await?;
        commit_audited(txn, audit, id, format!("kind={}", d.kind.as_str())).await?;
        Ok(id)
    }

    /// Change a partner, with its audit entry. The neighbourhoods the editor cannot see stay
    /// as they are; the ones they can see are replaced by the draft's.
    pub async fn update_partner(
        &self,
        tenant: &Tenant,
        id: Uuid,
        d: &PartnerDraft,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        live_in_reach(&txn, tenant, id).await?;
        check_neighbourhoods(&txn, tenant, &d.neighbourhoods).await?;
        let mut nbs: BTreeSet<Uuid> = neighbourhood_ids(&txn, tenant.org_id, id)
            .await?
            .into_iter()
            .filter(|nb| !tenant.may_see_neighbourhood(tenant.org_id, *nb))
            .collect();
        nbs.extend(d.neighbourhoods.iter().copied());
        partner_org::Entity::update_many()
            .col_expr(partner_org::Column::Name, d.name.as_str().into())
            .col_expr(partner_org::Column::Kind, d.kind.as_str().into())
            .col_expr(
                partner_org::Column::RefersFamilies,
                d.refers_families.into(),
            )
            .col_expr(
                partner_org::Column::OffersActivity,
                d.offers_activity.into(),
            )
            .col_expr(
                partner_org::Column::ReceivesReferrals,
                d.receives_referrals.into(),
            )
            .col_expr(partner_org::Column::Note, d.note.clone().into())
            .filter(partner_org::Column::OrgId.eq(tenant.org_id))
            .filter(partner_org::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        set_neighbourhoods(&txn, tenant.org_id, id, &nbs).await?;
        commit_audited(txn, audit, id, format!("kind={}", d.kind.as_str())).await?;
        Ok(())
    }

    /// Delete a partner: it leaves the lists and selects; its rows, contacts and briefings
    /// stay, so households that came through it keep its name. `false` when it was already
    /// deleted (a second click), which is not audited again.
    pub async fn delete_partner(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<bool> {
        let txn = self.db.begin().await?;
        row_in_reach(&txn, tenant, id).await?;
        let changed = partner_org::Entity::update_many()
            .col_expr(partner_org::Column::DeletedAt, Some(now()).into())
            .col_expr(partner_org::Column::DeletedBy, actor.into())
            .filter(partner_org::Column::OrgId.eq(tenant.org_id))
            .filter(partner_org::Column::Id.eq(id))
            .filter(partner_org::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            return Ok(false);
        }
        commit_audited(txn, audit, id, String::new()).await?;
        Ok(true)
    }

    /// Add a contact person to a live partner in reach, with its audit entry (the contact's
    /// id in the detail; no name or number in the trail).
    pub async fn add_partner_contact(
        &self,
        tenant: &Tenant,
        partner_id: Uuid,
        c: &ContactDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        live_in_reach(&txn, tenant, partner_id).await?;
        partner_contact::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            partner_id: Set(partner_id),
            name: Set(c.name.as_str().into()),
            role: Set(c.role.clone()),
            phone: Set(c.phone.as_ref().map(|p| p.e164().to_string())),
            email: Set(c.email.as_ref().map(|e| e.as_str().to_string())),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        commit_audited(txn, audit, partner_id, format!("contact={id}")).await?;
        Ok(id)
    }

    /// Remove a contact person (they left the partner, or asked to be removed): the row goes,
    /// nothing of the person is kept. The contact must be this partner's.
    pub async fn remove_partner_contact(
        &self,
        tenant: &Tenant,
        partner_id: Uuid,
        contact_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        live_in_reach(&txn, tenant, partner_id).await?;
        let gone = partner_contact::Entity::delete_many()
            .filter(partner_contact::Column::OrgId.eq(tenant.org_id))
            .filter(partner_contact::Column::PartnerId.eq(partner_id))
            .filter(partner_contact::Column::Id.eq(contact_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if gone == 0 {
            txn.rollback().await?;
            return Err(StoreError::NotFound);
        }
        commit_audited(txn, audit, partner_id, format!("contact={contact_id}")).await?;
        Ok(())
    }

    /// Log a briefing given to a live partner in reach, with its audit entry. Who gave it
    /// must be one of [`Store::briefing_givers`] (else refused at the field; another
    /// organisation's account is `NotFound`). The partner's last contact moves to the
    /// briefing's date when that is later.
    pub async fn add_briefing(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        partner_id: Uuid,
        b: &BriefingDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        let row = live_in_reach(&txn, tenant, partner_id).await?;
        account::Entity::find_by_id(b.given_by)
            .filter(account::Column::OrgId.eq(tenant.org_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let nbs = neighbourhood_ids(&txn, tenant.org_id, partner_id).await?;
        if !givers(&txn, tenant.org_id, &nbs)
            .await?
            .iter()
            .any(|(a, _)| *a == b.given_by)
        {
            return Err(StoreError::Refused("error-choice-invalid-given_by"));
        }
        partner_briefing::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            partner_id: Set(partner_id),
            given_on: Set(b.given_on.to_string()),
            given_by: Set(b.given_by),
            presented: Set(b.presented.clone()),
            created_at: Set(now()),
            created_by: Set(actor),
        }
        .insert(&txn)
        .await?;
        let last = row
            .last_contact
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let next = mtp_domain::partner::last_contact_after(last, b.given_on);
        if Some(next) != last {
            partner_org::Entity::update_many()
                .col_expr(
                    partner_org::Column::LastContact,
                    Some(next.to_string()).into(),
                )
                .filter(partner_org::Column::OrgId.eq(tenant.org_id))
                .filter(partner_org::Column::Id.eq(partner_id))
                .exec(&txn)
                .await?;
        }
        commit_audited(
            txn,
            audit,
            partner_id,
            format!("briefing={id} on={}", b.given_on),
        )
        .await?;
        Ok(id)
    }
}

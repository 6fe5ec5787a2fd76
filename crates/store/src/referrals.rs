//! Inbound referrals (issue #16, docs/guide/referrals.md): a partner account refers a parent,
//! the parent confirms on their own phone through a one-time link, and a worker of the
//! neighbourhood turns the referral into a household or joins it to one.
//!
//! Reach:
//! - A partner account acts as a [`PartnerScope`], which the web layer makes from the
//!   signed-in account's own partner organisation, never from an address. It makes referrals
//!   for that partner's neighbourhoods only and reads only that partner's referrals, and of
//!   those only the minimal status of `mtp_domain::referral::partner_status`.
//! - Staff see the referrals of their neighbourhoods (a [`Tenant`]); another tenant's id is
//!   `NotFound`, exactly like one that does not exist.
//! - The parent holds only the link: its hash is kept, never the link.
//!
//! Privacy: until the parent confirms, staff see the first name only (the contact details
//! only when they make the link that goes to them). The parent's details are erased when the
//! parent declines, when the referral expires unconfirmed, and when it became a household
//! (which then holds them). A referral without confirmation never becomes a household.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::consent::ConsentMethod;
use mtp_domain::household::{Channel, HouseholdKind, HouseholdStatus};
use mtp_domain::partner::PartnerKind;
use mtp_domain::portal::ContactKey;
use mtp_domain::referral::{
    EXPIRES_AFTER, HouseholdFacts, PartnerStatus, ReferralDraft, ReferralState, partner_status,
    source_of,
};
use mtp_domain::{Email, PersonName, PhoneNumber, Tenant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{
    household, inbound_referral, neighbourhood, partner_neighbourhood, partner_org,
};
use crate::register::{HouseholdDraft, ParentDraft, add_event};
use crate::sign_in::{random_token, token_hash};
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// A partner account acting for its own partner organisation. Made by the web layer from the
/// signed-in account (`account.partner_org_id`), never from a request's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerScope {
    pub org_id: Uuid,
    pub partner_id: Uuid,
    pub account_id: Uuid,
}

/// One line of a partner's own list: all the partner is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerReferralLine {
    pub created_at: DateTime<Utc>,
    pub neighbourhood_name: String,
    /// While the team holds it; gone once the referral is closed or became a household.
    pub first_name: Option<String>,
    pub status: PartnerStatus,
    /// Since when the status stands.
    pub since: DateTime<Utc>,
}

/// A referral as the team sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamReferral {
    pub id: Uuid,
    pub state: ReferralState,
    pub first_name: String,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    pub neighbourhood_id: Uuid,
    pub neighbourhood_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub link_made_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub household_id: Option<Uuid>,
    /// The partner gave an e-mail address (not which): the link can go by the mail queue.
    pub by_email: bool,
    /// Only once the parent confirmed: how to reach them and what they look for.
    pub confirmed: Option<Confirmed>,
}

/// What the team may read once the parent confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    pub reach: Option<ContactKey>,
    pub need: String,
}

/// A new link for the parent, to hand over once: the secret and where it goes.
#[derive(Debug, Clone)]
pub struct ReferralLink {
    pub token: String,
    pub first_name: String,
    pub reach: Option<ContactKey>,
}

/// What the page behind a parent's link may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentLink {
    /// Still to be answered.
    Open {
        first_name: String,
        partner_name: String,
        org_name: String,
        neighbourhood_name: String,
    },
    /// Answered already (yes or no).
    Answered,
    /// Expired unconfirmed.
    Expired,
    /// No such link.
    Unknown,
}

fn reach_of(r: &inbound_referral::Model) -> Option<ContactKey> {
    if let Some(p) = r.phone.as_deref().and_then(PhoneNumber::from_e164) {
        return Some(ContactKey::Phone(p));
    }
    r.email
        .as_deref()
        .and_then(|e| Email::parse(e).ok())
        .map(ContactKey::Email)
}

fn state_of(r: &inbound_referral::Model) -> ReferralState {
    // A state this version does not know reads as closed, never as open to act on.
    ReferralState::parse(&r.state).unwrap_or(ReferralState::Expired)
}

/// The names of the organisation's neighbourhoods.
async fn neighbourhood_names<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
) -> Result<HashMap<Uuid, String>> {
    Ok(neighbourhood::Entity::find()
        .filter(neighbourhood::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect())
}

/// The update that erases the parent's details, to add to a state change.
fn erasing(
    q: sea_orm::UpdateMany<inbound_referral::Entity>,
) -> sea_orm::UpdateMany<inbound_referral::Entity> {
    q.col_expr(
        inbound_referral::Column::FirstName,
        Expr::value(Option::<String>::None),
    )
    .col_expr(
        inbound_referral::Column::Phone,
        Expr::value(Option::<String>::None),
    )
    .col_expr(
        inbound_referral::Column::Email,
        Expr::value(Option::<String>::None),
    )
    .col_expr(inbound_referral::Column::Need, Expr::value(""))
}

/// The referral row, if the tenant's reach includes its neighbourhood.
async fn row_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<inbound_referral::Model> {
    inbound_referral::Entity::find_by_id(id)
        .filter(inbound_referral::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .filter(|r| tenant.may_see_neighbourhood(r.org_id, r.neighbourhood_id))
        .ok_or(StoreError::NotFound)
}

/// As [`row_in_reach`], confirmed by the parent and not yet acted on: what turning it into a
/// household needs. Any other state is refused with the page's message.
async fn confirmed_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<inbound_referral::Model> {
    let r = row_in_reach(db, tenant, id).await?;
    if state_of(&r) != ReferralState::Confirmed {
        return Err(StoreError::Refused("referral-refused-not-confirmed"));
    }
    Ok(r)
}

/// Commit with the audit entry about this referral.
async fn commit_audited(
    txn: sea_orm::DatabaseTransaction,
    audit: NewAuditEvent,
    r: &inbound_referral::Model,
    detail: String,
) -> Result<()> {
    append_audit_in(
        &txn,
        NewAuditEvent {
            object_type: "referral".into(),
            object_id: Some(r.id),
            neighbourhood_id: Some(r.neighbourhood_id),
            detail,
            ..audit
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The audit entry of something the parent or the system did (no account).
fn anonymous_event(r: &inbound_referral::Model, role: &str, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id: r.org_id,
        actor_id: None,
        actor_role: role.into(),
        action,
        object_type: "referral".into(),
        object_id: Some(r.id),
        neighbourhood_id: Some(r.neighbourhood_id),
        outcome: Outcome::Allowed,
        detail: String::new(),
    }
}

/// The partner's minimal status of each referral (in order), from its state and what its
/// household says: the partner's list and a referrer's status link both read this.
pub(crate) async fn statuses_of<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    rows: &[inbound_referral::Model],
) -> Result<Vec<(PartnerStatus, DateTime<Utc>)>> {
    let households: Vec<Uuid> = rows.iter().filter_map(|r| r.household_id).collect();
    let mut facts: HashMap<Uuid, HouseholdFacts> = HashMap::new();
    for chunk in households.chunks(500) {
        for h in household::Entity::find()
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            facts.insert(
                h.id,
                HouseholdFacts {
                    first_visit: h.first_visit_at,
                    gone: h.anonymised_at.is_some() || h.status == HouseholdStatus::Left.as_str(),
                },
            );
        }
    }
    Ok(rows
        .iter()
        .map(|r| {
            let hh = r.household_id.map(|h| {
                // A household erased since is gone.
                facts.get(&h).copied().unwrap_or(HouseholdFacts {
                    first_visit: None,
                    gone: true,
                })
            });
            partner_status(state_of(r), r.changed_at, hh)
        })
        .collect())
}

/// Insert a referral waiting for the parent, for a live partner that works in the chosen
/// neighbourhood (else refused at the field): what a partner account's form and a referral
/// address's form both make (`referred_by` is `None` for the latter).
pub(crate) async fn insert_referral<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    partner_id: Uuid,
    referred_by: Option<Uuid>,
    d: &ReferralDraft,
    at: DateTime<Utc>,
) -> Result<inbound_referral::Model> {
    Store::check_account_partner(db, org_id, partner_id).await?;
    let works_there = partner_neighbourhood::Entity::find()
        .filter(partner_neighbourhood::Column::OrgId.eq(org_id))
        .filter(partner_neighbourhood::Column::PartnerId.eq(partner_id))
        .filter(partner_neighbourhood::Column::NeighbourhoodId.eq(d.neighbourhood))
        .one(db)
        .await?
        .is_some();
    if !works_there {
        return Err(StoreError::Refused("error-choice-invalid-neighbourhood_id"));
    }
    let (phone, email) = match &d.reach {
        ContactKey::Phone(p) => (Some(p.e164().to_string()), None),
        ContactKey::Email(e) => (None, Some(e.as_str().to_string())),
    };
    Ok(inbound_referral::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(org_id),
        partner_id: Set(partner_id),
        neighbourhood_id: Set(d.neighbourhood),
        referred_by: Set(referred_by),
        state: Set(ReferralState::Waiting.as_str().into()),
        first_name: Set(Some(d.first_name.as_str().into())),
        phone: Set(phone),
        email: Set(email),
        need: Set(d.need.clone()),
        token_hash: Set(None),
        link_made_at: Set(None),
        created_at: Set(at),
        changed_at: Set(at),
        confirmed_at: Set(None),
        household_id: Set(None),
        handled_by: Set(None),
    }
    .insert(db)
    .await?)
}

impl Store {
    /// The neighbourhoods a partner may refer a parent to: those it works in.
    pub async fn referral_neighbourhoods(
        &self,
        by: &PartnerScope,
    ) -> Result<Vec<crate::Neighbourhood>> {
        self.partner_team(by.org_id, by.partner_id).await
    }

    /// A partner account refers a parent, with its audit entry (no personal datum in it). The
    /// partner must be live and work in the chosen neighbourhood (else refused at the field).
    pub async fn create_referral(
        &self,
        by: &PartnerScope,
        d: &ReferralDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        self.create_referral_at(by, d, audit, now()).await
    }

    /// [`Store::create_referral`] as if it were `at` (the demo's older referrals, tests of
    /// expiry).
    pub async fn create_referral_at(
        &self,
        by: &PartnerScope,
        d: &ReferralDraft,
        audit: NewAuditEvent,
        at: DateTime<Utc>,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        let row =
            insert_referral(&txn, by.org_id, by.partner_id, Some(by.account_id), d, at).await?;
        commit_audited(txn, audit, &row, String::new()).await?;
        Ok(row.id)
    }

    /// The partner's own referrals, newest first, with only their minimal status.
    pub async fn partner_referrals(&self, by: &PartnerScope) -> Result<Vec<PartnerReferralLine>> {
        let rows = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::OrgId.eq(by.org_id))
            .filter(inbound_referral::Column::PartnerId.eq(by.partner_id))
            .order_by_desc(inbound_referral::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let names = neighbourhood_names(&self.db, by.org_id).await?;
        let statuses = statuses_of(&self.db, by.org_id, &rows).await?;
        Ok(rows
            .into_iter()
            .zip(statuses)
            .map(|(r, (status, since))| PartnerReferralLine {
                created_at: r.created_at,
                neighbourhood_name: names.get(&r.neighbourhood_id).cloned().unwrap_or_default(),
                first_name: r.first_name,
                status,
                since,
            })
            .collect())
    }

    fn team_referral_of(
        r: inbound_referral::Model,
        partners: &HashMap<Uuid, partner_org::Model>,
        names: &HashMap<Uuid, String>,
    ) -> TeamReferral {
        let state = state_of(&r);
        let partner = partners.get(&r.partner_id);
        let confirmed = (state == ReferralState::Confirmed).then(|| Confirmed {
            reach: reach_of(&r),
            need: r.need.clone(),
        });
        TeamReferral {
            id: r.id,
            state,
            first_name: r.first_name.clone().unwrap_or_default(),
            partner_id: r.partner_id,
            partner_name: partner.map(|p| p.name.clone()).unwrap_or_default(),
            partner_kind: partner
                .and_then(|p| PartnerKind::parse(&p.kind).ok())
                .unwrap_or(PartnerKind::Other),
            neighbourhood_id: r.neighbourhood_id,
            neighbourhood_name: names.get(&r.neighbourhood_id).cloned().unwrap_or_default(),
            created_at: r.created_at,
            expires_at: r.created_at + EXPIRES_AFTER,
            link_made_at: r.link_made_at,
            confirmed_at: r.confirmed_at,
            household_id: r.household_id,
            by_email: r.email.is_some(),
            confirmed,
        }
    }

    async fn partners_by_id(&self, org_id: Uuid) -> Result<HashMap<Uuid, partner_org::Model>> {
        Ok(partner_org::Entity::find()
            .filter(partner_org::Column::OrgId.eq(org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }

    /// The open referrals of the tenant's neighbourhoods (waiting for the parent, or
    /// confirmed and waiting for the team), oldest first: the team's list.
    pub async fn team_referrals(&self, tenant: &Tenant) -> Result<Vec<TeamReferral>> {
        let mut q = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::OrgId.eq(tenant.org_id))
            .filter(inbound_referral::Column::State.is_in([
                ReferralState::Waiting.as_str(),
                ReferralState::Confirmed.as_str(),
            ]));
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(
                inbound_referral::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()),
            );
        }
        let rows = q
            .order_by_asc(inbound_referral::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let partners = self.partners_by_id(tenant.org_id).await?;
        let names = neighbourhood_names(&self.db, tenant.org_id).await?;
        Ok(rows
            .into_iter()
            .map(|r| Self::team_referral_of(r, &partners, &names))
            .collect())
    }

    /// One referral of the tenant's neighbourhoods. Its contact details and what the parent
    /// looks for only once the parent confirmed.
    pub async fn team_referral(&self, tenant: &Tenant, id: Uuid) -> Result<TeamReferral> {
        let r = row_in_reach(&self.db, tenant, id).await?;
        let partners = self.partners_by_id(tenant.org_id).await?;
        let names = neighbourhood_names(&self.db, tenant.org_id).await?;
        Ok(Self::team_referral_of(r, &partners, &names))
    }

    /// A new one-time link for the parent of a waiting referral, with its audit entry; an
    /// earlier link stops working. Returns the secret (shown once; its hash is kept) and
    /// where to send it.
    pub async fn make_referral_link(
        &self,
        tenant: &Tenant,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<ReferralLink> {
        self.make_referral_link_at(tenant, id, audit, now()).await
    }

    pub async fn make_referral_link_at(
        &self,
        tenant: &Tenant,
        id: Uuid,
        audit: NewAuditEvent,
        at: DateTime<Utc>,
    ) -> Result<ReferralLink> {
        let txn = self.db.begin().await?;
        let r = row_in_reach(&txn, tenant, id).await?;
        if state_of(&r) != ReferralState::Waiting || mtp_domain::referral::expired(r.created_at, at)
        {
            return Err(StoreError::Refused("referral-refused-not-waiting"));
        }
        let token = random_token();
        inbound_referral::Entity::update_many()
            .col_expr(
                inbound_referral::Column::TokenHash,
                Expr::value(Some(token_hash(&token))),
            )
            .col_expr(inbound_referral::Column::LinkMadeAt, Expr::value(Some(at)))
            .filter(inbound_referral::Column::OrgId.eq(r.org_id))
            .filter(inbound_referral::Column::Id.eq(r.id))
            .exec(&txn)
            .await?;
        commit_audited(txn, audit, &r, String::new()).await?;
        Ok(ReferralLink {
            token,
            first_name: r.first_name.clone().unwrap_or_default(),
            reach: reach_of(&r),
        })
    }

    /// E-mail a referral's link to the address the partner gave, through the job queue: only
    /// the referral's current link (`token`), while it waits for the parent. The message
    /// holds the secret, so the job keeps it only until it ends.
    pub async fn queue_referral_mail(
        &self,
        tenant: &Tenant,
        id: Uuid,
        token: &str,
        subject: &str,
        text: &str,
    ) -> Result<Uuid> {
        let r = row_in_reach(&self.db, tenant, id).await?;
        let hash = token_hash(token);
        if state_of(&r) != ReferralState::Waiting || r.token_hash.as_deref() != Some(hash.as_str())
        {
            return Err(StoreError::Refused("referral-refused-not-waiting"));
        }
        let Some(email) = r.email.clone() else {
            return Err(StoreError::Refused("referral-refused-no-email"));
        };
        let to = (email, r.first_name.clone().unwrap_or_default());
        self.queue_referral_mail_job(
            &self.db,
            r.org_id,
            r.neighbourhood_id,
            to,
            subject,
            text,
            &format!("referral-link:{hash}"),
        )
        .await
    }

    /// What the page behind a parent's link shows.
    pub async fn referral_link_at(&self, token: &str, at: DateTime<Utc>) -> Result<ParentLink> {
        let Some(r) = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(ParentLink::Unknown);
        };
        let state = state_of(&r);
        if state == ReferralState::Expired
            || (state == ReferralState::Waiting && mtp_domain::referral::expired(r.created_at, at))
        {
            return Ok(ParentLink::Expired);
        }
        if state != ReferralState::Waiting {
            return Ok(ParentLink::Answered);
        }
        let partner_name = partner_org::Entity::find_by_id(r.partner_id)
            .filter(partner_org::Column::OrgId.eq(r.org_id))
            .one(&self.db)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        let org_name = crate::entities::organisation::Entity::find_by_id(r.org_id)
            .one(&self.db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let neighbourhood_name = neighbourhood_names(&self.db, r.org_id)
            .await?
            .remove(&r.neighbourhood_id)
            .unwrap_or_default();
        Ok(ParentLink::Open {
            first_name: r.first_name.unwrap_or_default(),
            partner_name,
            org_name,
            neighbourhood_name,
        })
    }

    /// The parent answers through their link: yes confirms the referral, no declines it and
    /// erases their details at once. Exactly once, before it expires (a conditional update:
    /// of two taps at once, one wins). Audit-logged as the parent's. Returns the page's state
    /// when the link no longer takes an answer.
    pub async fn answer_referral_at(
        &self,
        token: &str,
        yes: bool,
        at: DateTime<Utc>,
    ) -> Result<std::result::Result<(), ParentLink>> {
        let hash = token_hash(token);
        let txn = self.db.begin().await?;
        let Some(r) = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::TokenHash.eq(hash.clone()))
            .one(&txn)
            .await?
        else {
            txn.rollback().await?;
            return Ok(Err(ParentLink::Unknown));
        };
        let state = if yes {
            ReferralState::Confirmed
        } else {
            ReferralState::Declined
        };
        let mut q = inbound_referral::Entity::update_many()
            .col_expr(inbound_referral::Column::State, Expr::value(state.as_str()))
            .col_expr(inbound_referral::Column::ChangedAt, Expr::value(at));
        q = if yes {
            q.col_expr(inbound_referral::Column::ConfirmedAt, Expr::value(Some(at)))
        } else {
            erasing(q)
        };
        let won = q
            .filter(inbound_referral::Column::OrgId.eq(r.org_id))
            .filter(inbound_referral::Column::Id.eq(r.id))
            .filter(inbound_referral::Column::TokenHash.eq(hash))
            .filter(inbound_referral::Column::State.eq(ReferralState::Waiting.as_str()))
            .filter(inbound_referral::Column::CreatedAt.gt(at - EXPIRES_AFTER))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !won {
            txn.rollback().await?;
            return Ok(Err(self.referral_link_at(token, at).await?));
        }
        let action = if yes {
            Action::ReferralConfirmed
        } else {
            Action::ReferralDeclined
        };
        append_audit_in(&txn, anonymous_event(&r, "parent", action)).await?;
        txn.commit().await?;
        Ok(Ok(()))
    }

    /// Turn a confirmed referral into a new household of its neighbourhood: status
    /// contacted, its partner as the source, the parent's first name and contact details,
    /// what they look for as interests, and the registration consent the parent gave through
    /// the link. The referral keeps only the link to the household. With its audit entry.
    pub async fn referral_to_household(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        kind: HouseholdKind,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        let r = confirmed_in_reach(&txn, tenant, id).await?;
        let partner = partner_org::Entity::find_by_id(r.partner_id)
            .filter(partner_org::Column::OrgId.eq(r.org_id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let reach = reach_of(&r);
        let first_name = PersonName::parse(r.first_name.as_deref().unwrap_or_default())
            .map_err(|_| StoreError::Refused("referral-refused-not-confirmed"))?;
        let (phone, email, channel) = match reach {
            Some(ContactKey::Phone(p)) => (Some(p), None, Channel::WhatsApp),
            Some(ContactKey::Email(e)) => (None, Some(e), Channel::Email),
            None => (None, None, Channel::WhatsApp),
        };
        let draft = HouseholdDraft {
            neighbourhood_id: r.neighbourhood_id,
            kind,
            source: source_of(PartnerKind::parse(&partner.kind).unwrap_or(PartnerKind::Other)),
            source_partner: None,
            postcode4: None,
            interests: r.need.clone(),
            talents: String::new(),
            notes: String::new(),
            parents: vec![ParentDraft {
                first_name,
                last_name: None,
                phone,
                email,
                channel,
                languages: String::new(),
                works: false,
                free_days: Vec::new(),
            }],
            children: Vec::new(),
            data_consent: ConsentMethod::Portal,
        };
        let household_id = crate::imports::insert_many_households(
            &txn,
            r.org_id,
            actor,
            std::slice::from_ref(&draft),
            "registered",
        )
        .await?
        .first()
        .copied()
        .ok_or(StoreError::NotFound)?;
        household::Entity::update_many()
            .col_expr(
                household::Column::SourcePartnerId,
                Expr::value(Some(r.partner_id)),
            )
            .filter(household::Column::OrgId.eq(r.org_id))
            .filter(household::Column::Id.eq(household_id))
            .exec(&txn)
            .await?;
        add_event(&txn, r.org_id, household_id, actor, "referral", "").await?;
        self.close_into(&txn, &r, household_id, actor).await?;
        commit_audited(txn, audit, &r, format!("household={household_id}")).await?;
        Ok(household_id)
    }

    /// Households of the referral's neighbourhood that may be the same family, for joining
    /// the referral to one: found by the parent's phone number or e-mail address, else by
    /// first name. Only for a confirmed referral.
    pub async fn referral_matches(
        &self,
        tenant: &Tenant,
        id: Uuid,
    ) -> Result<Vec<crate::HouseholdSummary>> {
        let r = confirmed_in_reach(&self.db, tenant, id).await?;
        let mut found = Vec::new();
        let keys = [
            reach_of(&r).map(|k| k.limiter_value().to_string()),
            r.first_name.clone(),
        ];
        for q in keys.into_iter().flatten() {
            let filter = crate::HouseholdFilter {
                q,
                neighbourhood_id: Some(r.neighbourhood_id),
                ..Default::default()
            };
            let (rows, _) = self.households(tenant, &filter, 10, 0).await?;
            for h in rows {
                if !found.iter().any(|f: &crate::HouseholdSummary| f.id == h.id) {
                    found.push(h);
                }
            }
        }
        Ok(found)
    }

    /// Join a confirmed referral to a household of its neighbourhood the team knows already:
    /// the household gets the partner as its source when it has none, and a line on its
    /// timeline; the referral keeps only the link to it. With its audit entry.
    pub async fn merge_referral(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let r = confirmed_in_reach(&txn, tenant, id).await?;
        let h = household::Entity::find_by_id(household_id)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .one(&txn)
            .await?
            .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id))
            .filter(|h| h.anonymised_at.is_none())
            .ok_or(StoreError::NotFound)?;
        if h.neighbourhood_id != r.neighbourhood_id {
            return Err(StoreError::Refused("referral-refused-other-neighbourhood"));
        }
        if h.source_partner_id.is_none() {
            household::Entity::update_many()
                .col_expr(
                    household::Column::SourcePartnerId,
                    Expr::value(Some(r.partner_id)),
                )
                .filter(household::Column::OrgId.eq(h.org_id))
                .filter(household::Column::Id.eq(h.id))
                .exec(&txn)
                .await?;
        }
        add_event(&txn, h.org_id, h.id, actor, "referral_merged", "").await?;
        self.close_into(&txn, &r, h.id, actor).await?;
        commit_audited(txn, audit, &r, format!("household={}", h.id)).await?;
        Ok(())
    }

    /// The referral became (part of) a household: the state says so, and the parent's
    /// details, which the household holds now, leave the referral.
    async fn close_into<C: ConnectionTrait>(
        &self,
        db: &C,
        r: &inbound_referral::Model,
        household_id: Uuid,
        actor: Option<Uuid>,
    ) -> Result<()> {
        let done = erasing(inbound_referral::Entity::update_many())
            .col_expr(
                inbound_referral::Column::State,
                Expr::value(ReferralState::Household.as_str()),
            )
            .col_expr(inbound_referral::Column::ChangedAt, Expr::value(now()))
            .col_expr(
                inbound_referral::Column::HouseholdId,
                Expr::value(Some(household_id)),
            )
            .col_expr(inbound_referral::Column::HandledBy, Expr::value(actor))
            .filter(inbound_referral::Column::OrgId.eq(r.org_id))
            .filter(inbound_referral::Column::Id.eq(r.id))
            .filter(inbound_referral::Column::State.eq(ReferralState::Confirmed.as_str()))
            .exec(db)
            .await?
            .rows_affected;
        // Two workers at once: the second one's household is not made.
        if done != 1 {
            return Err(StoreError::Refused("referral-refused-not-confirmed"));
        }
        Ok(())
    }

    /// The sweep the housekeeping runs: referrals still waiting for the parent
    /// [`EXPIRES_AFTER`] after they were made expire, and their contact details are erased.
    /// One audit entry each. Safe on several servers at once (a conditional update per
    /// referral). Returns how many expired.
    pub async fn expire_referrals_at(&self, at: DateTime<Utc>) -> Result<u64> {
        let due = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::State.eq(ReferralState::Waiting.as_str()))
            .filter(inbound_referral::Column::CreatedAt.lte(at - EXPIRES_AFTER))
            .all(&self.db)
            .await?;
        let mut expired = 0;
        for r in due {
            let txn = self.db.begin().await?;
            let n = erasing(inbound_referral::Entity::update_many())
                .col_expr(
                    inbound_referral::Column::State,
                    Expr::value(ReferralState::Expired.as_str()),
                )
                .col_expr(inbound_referral::Column::ChangedAt, Expr::value(at))
                .filter(inbound_referral::Column::OrgId.eq(r.org_id))
                .filter(inbound_referral::Column::Id.eq(r.id))
                .filter(inbound_referral::Column::State.eq(ReferralState::Waiting.as_str()))
                .exec(&txn)
                .await?
                .rows_affected;
            if n == 1 {
                append_audit_in(&txn, anonymous_event(&r, "system", Action::ReferralExpired))
                    .await?;
                txn.commit().await?;
                expired += 1;
            } else {
                txn.rollback().await?;
            }
        }
        Ok(expired)
    }
}

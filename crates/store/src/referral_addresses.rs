//! Secret referral addresses (issue #16, docs/guide/referrals.md#a-referral-address): most
//! schools and GPs will never sign in to one more system, so a coordinator gives a partner
//! organisation a secret address whose form works without signing in. A referral made there
//! is the same referral a partner account makes (`referrals::insert_referral`) and waits for
//! the parent's confirmation in the same way.
//!
//! - One address per partner organisation; only the hash of its secret is kept, and it is
//!   shown once when made. A new address replaces the old one; revoking empties the hash, so
//!   an old address finds nothing.
//! - Limits: per address and per network address, each one conditional UPDATE that counts
//!   and decides at once (see [`Store::take_address_use`]), so a burst of parallel requests
//!   cannot pass together.
//! - The referrer's own e-mail address is kept with the referral (`address_referral`) for the
//!   status mail; the status link itself is signed by the web layer and shows only
//!   `mtp_domain::referral::PartnerStatus`. Each change of that status is mailed once; the
//!   address is erased once the last status is told, or after [`REFERRER_KEPT`].

use chrono::{DateTime, Duration, Utc};
use mtp_domain::Tenant;
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::referral::{PartnerStatus, ReferralDraft};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{
    address_referral, inbound_referral, partner_org, referral_address, referral_limit,
};
use crate::referrals::{insert_referral, statuses_of};
use crate::sign_in::{random_token, token_hash};
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// Referrals per address in [`ADDRESS_WINDOW`]: a school refers a few parents a week; a
/// leaked address cannot flood the team's list.
pub const PER_ADDRESS: i32 = 20;
pub const ADDRESS_WINDOW: Duration = Duration::days(1);
/// Referrals per network address in [`NETWORK_WINDOW`] (a school's office shares one).
pub const PER_NETWORK: i32 = 5;
pub const NETWORK_WINDOW: Duration = Duration::hours(1);

/// How long a referrer's e-mail address is kept when the referral's last status (joined, or
/// did not join) never comes: half a year, after which the team has long stopped hearing.
pub const REFERRER_KEPT: Duration = Duration::days(183);

/// A status the referrer has not been told yet (see [`Store::referrer_status_changes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub referral_id: Uuid,
    pub made_at: DateTime<Utc>,
    pub status: PartnerStatus,
    pub partner_name: String,
    /// The language the referrer used the form in; `None` until the first mail.
    pub lang: Option<String>,
}

/// What the partner's page says about its address (never the address itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressState {
    pub made_at: DateTime<Utc>,
    /// `None` while it works.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What the public form behind a live address needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressForm {
    pub address_id: Uuid,
    pub org_id: Uuid,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub org_name: String,
    pub neighbourhoods: Vec<crate::Neighbourhood>,
}

/// A referral made through an address, for its status mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressReferral {
    pub referral_id: Uuid,
    pub org_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub first_name: String,
}

/// The event of something done through an address (no account).
fn referrer_event(
    org_id: Uuid,
    action: Action,
    object: Option<Uuid>,
    outcome: Outcome,
) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "referrer".into(),
        action,
        object_type: "referral".into(),
        object_id: object,
        neighbourhood_id: None,
        outcome,
        detail: "address".into(),
    }
}

/// One use of a windowed limit, counted and decided in one conditional UPDATE: a window that
/// began more than `window` before `at` starts again at 1; otherwise the count goes up by one,
/// but only while it is under `limit`. The caller adds which row; one row changed means the
/// use was taken. Parallel requests queue on the row (PostgreSQL re-checks the condition
/// after the lock; SQLite has one writer), so each sees the count the one before left.
fn take_use<E: EntityTrait>(
    count: E::Column,
    start: E::Column,
    at: DateTime<Utc>,
    window: Duration,
    limit: i32,
) -> sea_orm::UpdateMany<E> {
    let stale = Expr::col(start).lte(at - window);
    E::update_many()
        .col_expr(
            count,
            Expr::case(stale.clone(), 1)
                .finally(Expr::col(count).add(1))
                .into(),
        )
        .col_expr(
            start,
            Expr::case(stale.clone(), at)
                .finally(Expr::col(start))
                .into(),
        )
        .filter(stale.or(Expr::col(count).lt(limit)))
}

/// Commit a coordinator's change of a partner's address with its audit entry, the partner as
/// its object.
async fn commit_about_partner(
    txn: sea_orm::DatabaseTransaction,
    partner: Uuid,
    audit: NewAuditEvent,
) -> Result<()> {
    append_audit_in(
        &txn,
        NewAuditEvent {
            object_type: "partner".into(),
            object_id: Some(partner),
            ..audit
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

impl Store {
    /// Make (or replace) the partner's secret address: the secret, to show once. The partner
    /// must be live and in the coordinator's reach. Audit-logged with the partner as object.
    pub async fn make_referral_address(
        &self,
        tenant: &Tenant,
        partner_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<String> {
        let txn = self.db.begin().await?;
        let p = crate::partners::row_in_reach(&txn, tenant, partner_id).await?;
        if p.deleted_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let token = random_token();
        let at = now();
        let existing = referral_address::Entity::find()
            .filter(referral_address::Column::OrgId.eq(p.org_id))
            .filter(referral_address::Column::PartnerId.eq(p.id))
            .one(&txn)
            .await?;
        match existing {
            Some(row) => {
                referral_address::Entity::update_many()
                    .col_expr(
                        referral_address::Column::TokenHash,
                        Expr::value(Some(token_hash(&token))),
                    )
                    .col_expr(referral_address::Column::MadeAt, Expr::value(at))
                    .col_expr(
                        referral_address::Column::MadeBy,
                        Expr::value(audit.actor_id),
                    )
                    .col_expr(
                        referral_address::Column::RevokedAt,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(referral_address::Column::Id.eq(row.id))
                    .exec(&txn)
                    .await?;
            }
            None => {
                referral_address::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    org_id: Set(p.org_id),
                    partner_id: Set(p.id),
                    token_hash: Set(Some(token_hash(&token))),
                    made_at: Set(at),
                    made_by: Set(audit.actor_id),
                    revoked_at: Set(None),
                    window_start: Set(at),
                    window_count: Set(0),
                }
                .insert(&txn)
                .await?;
            }
        }
        commit_about_partner(txn, p.id, audit).await?;
        Ok(token)
    }

    /// Revoke the partner's address: it stops working at once. `false` when there was no
    /// working address. Audit-logged.
    pub async fn revoke_referral_address(
        &self,
        tenant: &Tenant,
        partner_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<bool> {
        let txn = self.db.begin().await?;
        let p = crate::partners::row_in_reach(&txn, tenant, partner_id).await?;
        let n = referral_address::Entity::update_many()
            .col_expr(
                referral_address::Column::TokenHash,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                referral_address::Column::RevokedAt,
                Expr::value(Some(now())),
            )
            .filter(referral_address::Column::OrgId.eq(p.org_id))
            .filter(referral_address::Column::PartnerId.eq(p.id))
            .filter(referral_address::Column::TokenHash.is_not_null())
            .exec(&txn)
            .await?
            .rows_affected;
        commit_about_partner(txn, p.id, audit).await?;
        Ok(n == 1)
    }

    /// Whether the partner has an address, and since when (for the partner's page).
    pub async fn referral_address_state(
        &self,
        tenant: &Tenant,
        partner_id: Uuid,
    ) -> Result<Option<AddressState>> {
        let p = crate::partners::row_in_reach(&self.db, tenant, partner_id).await?;
        Ok(referral_address::Entity::find()
            .filter(referral_address::Column::OrgId.eq(p.org_id))
            .filter(referral_address::Column::PartnerId.eq(p.id))
            .one(&self.db)
            .await?
            .map(|a| AddressState {
                made_at: a.made_at,
                revoked_at: a.revoked_at,
            }))
    }

    /// The form behind a secret address, if the address works and its partner is live.
    pub async fn referral_address_form(&self, token: &str) -> Result<Option<AddressForm>> {
        let Some(a) = referral_address::Entity::find()
            .filter(referral_address::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(p) = partner_org::Entity::find_by_id(a.partner_id)
            .filter(partner_org::Column::OrgId.eq(a.org_id))
            .filter(partner_org::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let org_name = crate::entities::organisation::Entity::find_by_id(a.org_id)
            .one(&self.db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok(Some(AddressForm {
            address_id: a.id,
            org_id: a.org_id,
            partner_id: p.id,
            partner_name: p.name,
            org_name,
            neighbourhoods: self.partner_team(a.org_id, p.id).await?,
        }))
    }

    /// Take one use of the address's limit (see [`take_use`]). `false` when the window is
    /// full or the address no longer works.
    pub async fn take_address_use(&self, address_id: Uuid, at: DateTime<Utc>) -> Result<bool> {
        let n = take_use::<referral_address::Entity>(
            referral_address::Column::WindowCount,
            referral_address::Column::WindowStart,
            at,
            ADDRESS_WINDOW,
            PER_ADDRESS,
        )
        .filter(referral_address::Column::Id.eq(address_id))
        .filter(referral_address::Column::TokenHash.is_not_null())
        .exec(&self.db)
        .await?
        .rows_affected;
        Ok(n == 1)
    }

    /// Take one use of a network address's limit (`key_hash` is a keyed hash of it), after
    /// making sure its row exists (see [`take_use`]).
    pub async fn take_network_use(&self, key_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        referral_limit::Entity::insert(referral_limit::ActiveModel {
            key_hash: Set(key_hash.to_string()),
            window_start: Set(at),
            window_count: Set(0),
        })
        .on_conflict(
            OnConflict::column(referral_limit::Column::KeyHash)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        let n = take_use::<referral_limit::Entity>(
            referral_limit::Column::WindowCount,
            referral_limit::Column::WindowStart,
            at,
            NETWORK_WINDOW,
            PER_NETWORK,
        )
        .filter(referral_limit::Column::KeyHash.eq(key_hash))
        .exec(&self.db)
        .await?
        .rows_affected;
        Ok(n == 1)
    }

    /// Give back a network use that did not lead to a referral (the address's limit was
    /// full), so one full limit does not also use up the other.
    pub async fn give_back_network_use(&self, key_hash: &str) -> Result<()> {
        referral_limit::Entity::update_many()
            .col_expr(
                referral_limit::Column::WindowCount,
                Expr::col(referral_limit::Column::WindowCount).sub(1),
            )
            .filter(referral_limit::Column::KeyHash.eq(key_hash))
            .filter(referral_limit::Column::WindowCount.gt(0))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Audit something refused at the public form (limit, bot check) without any datum of
    /// the request: the organisation's trail shows the address is being tried.
    pub async fn audit_address_refusal(&self, form: &AddressForm, why: &str) -> Result<()> {
        // A public path, sent side by side: SQLite's write lock at BEGIN (see
        // `Store::begin_write`), so the audit head's read-then-write cannot fail at once.
        let (_gate, txn) = self.begin_write().await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_type: "partner".into(),
                object_id: Some(form.partner_id),
                detail: format!("address refused: {why}"),
                ..referrer_event(
                    form.org_id,
                    Action::ReferralAddressRefused,
                    None,
                    Outcome::Denied,
                )
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A referral through a working address: the same referral a partner account makes, with
    /// the referrer's e-mail address for the status. Audit-logged as the referrer's.
    pub async fn create_address_referral(
        &self,
        token: &str,
        d: &ReferralDraft,
        referrer_email: &mtp_domain::Email,
        at: DateTime<Utc>,
    ) -> Result<AddressReferral> {
        // A public path, sent side by side: SQLite's write lock at BEGIN (see
        // `Store::begin_write`), so the audit head's read-then-write cannot fail at once.
        let (_gate, txn) = self.begin_write().await?;
        let a = referral_address::Entity::find()
            .filter(referral_address::Column::TokenHash.eq(token_hash(token)))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let r = insert_referral(&txn, a.org_id, a.partner_id, None, d, at).await?;
        address_referral::ActiveModel {
            referral_id: Set(r.id),
            org_id: Set(a.org_id),
            address_id: Set(a.id),
            referrer_email: Set(Some(referrer_email.as_str().to_string())),
            mailed_status: Set(None),
            referrer_lang: Set(None),
        }
        .insert(&txn)
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                neighbourhood_id: Some(r.neighbourhood_id),
                ..referrer_event(
                    a.org_id,
                    Action::ReferralCreated,
                    Some(r.id),
                    Outcome::Allowed,
                )
            },
        )
        .await?;
        txn.commit().await?;
        Ok(AddressReferral {
            referral_id: r.id,
            org_id: r.org_id,
            neighbourhood_id: r.neighbourhood_id,
            first_name: d.first_name.as_str().to_string(),
        })
    }

    /// Address referrals whose referrer has not yet been told their present status, oldest
    /// first, at most `limit`. Each change is told once ([`Store::mail_referrer_status`]
    /// remembers it); a referral whose referrer's address is erased has nothing to tell.
    pub async fn referrer_status_changes(&self, limit: u64) -> Result<Vec<StatusChange>> {
        let waiting = address_referral::Entity::find()
            .filter(address_referral::Column::ReferrerEmail.is_not_null())
            .all(&self.db)
            .await?;
        let mut by_org: std::collections::BTreeMap<Uuid, Vec<address_referral::Model>> =
            std::collections::BTreeMap::new();
        for ar in waiting {
            by_org.entry(ar.org_id).or_default().push(ar);
        }
        let mut out = Vec::new();
        for (org_id, ars) in by_org {
            for chunk in ars.chunks(500) {
                let ids: Vec<Uuid> = chunk.iter().map(|a| a.referral_id).collect();
                let rows = inbound_referral::Entity::find()
                    .filter(inbound_referral::Column::OrgId.eq(org_id))
                    .filter(inbound_referral::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await?;
                let statuses = statuses_of(&self.db, org_id, &rows).await?;
                let partners: std::collections::HashMap<Uuid, String> = partner_org::Entity::find()
                    .filter(partner_org::Column::OrgId.eq(org_id))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p.name))
                    .collect();
                for (r, (status, _)) in rows.iter().zip(statuses) {
                    let Some(ar) = chunk.iter().find(|a| a.referral_id == r.id) else {
                        continue;
                    };
                    if ar.mailed_status.as_deref() == Some(status.code()) {
                        continue;
                    }
                    out.push(StatusChange {
                        referral_id: r.id,
                        made_at: r.created_at,
                        status,
                        partner_name: partners.get(&r.partner_id).cloned().unwrap_or_default(),
                        lang: ar.referrer_lang.clone(),
                    });
                }
            }
        }
        out.sort_by_key(|c| c.made_at);
        out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(out)
    }

    /// Queue the referrer's mail about `change` (the text holds the signed status link) and
    /// remember that it was told, in one transaction, so a change is mailed once however often
    /// the sweep runs. Once the last status is told (joined, or did not join) the referrer's
    /// address is erased: nothing more will be sent to it. `lang` is the referrer's language
    /// when first known (the form's); later calls keep it. Returns whether a mail was queued.
    pub async fn mail_referrer_status(
        &self,
        change: &StatusChange,
        lang: &str,
        subject: &str,
        text: &str,
    ) -> Result<bool> {
        let (_gate, txn) = self.begin_write().await?;
        let Some(ar) = address_referral::Entity::find_by_id(change.referral_id)
            .one(&txn)
            .await?
        else {
            return Ok(false);
        };
        let (Some(email), Some(r)) = (
            ar.referrer_email.clone(),
            inbound_referral::Entity::find_by_id(change.referral_id)
                .filter(inbound_referral::Column::OrgId.eq(ar.org_id))
                .one(&txn)
                .await?,
        ) else {
            return Ok(false);
        };
        if ar.mailed_status.as_deref() == Some(change.status.code()) {
            return Ok(false);
        }
        let queued = self
            .queue_referral_mail_job(
                &txn,
                r.org_id,
                r.neighbourhood_id,
                (email, String::new()),
                subject,
                text,
                &format!("referral-status:{}:{}", r.id, change.status.code()),
            )
            .await;
        let queued = match queued {
            Ok(_) => true,
            Err(StoreError::Duplicate(_)) => false,
            Err(e) => return Err(e),
        };
        let last = matches!(
            change.status,
            PartnerStatus::Joined | PartnerStatus::DidNotJoin
        );
        let keep_lang = ar.referrer_lang.clone().unwrap_or_else(|| lang.to_string());
        let mut am: address_referral::ActiveModel = ar.into();
        am.mailed_status = Set(Some(change.status.code().to_string()));
        am.referrer_lang = Set(Some(keep_lang));
        if last {
            am.referrer_email = Set(None);
        }
        am.update(&txn).await?;
        txn.commit().await?;
        Ok(queued)
    }

    /// Erase the referrer's e-mail address of referrals made more than [`REFERRER_KEPT`]
    /// before `at` whose last status never came: the address is kept for the status mail
    /// only. Returns how many were erased.
    pub async fn erase_stale_referrer_addresses(&self, at: DateTime<Utc>) -> Result<u64> {
        let old: Vec<Uuid> = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::CreatedAt.lt(at - REFERRER_KEPT))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut erased = 0;
        for chunk in old.chunks(500) {
            erased += address_referral::Entity::update_many()
                .col_expr(
                    address_referral::Column::ReferrerEmail,
                    Expr::value(Option::<String>::None),
                )
                .filter(address_referral::Column::ReferralId.is_in(chunk.to_vec()))
                .filter(address_referral::Column::ReferrerEmail.is_not_null())
                .exec(&self.db)
                .await?
                .rows_affected;
        }
        Ok(erased)
    }

    /// The minimal status of a referral made through an address (for its signed status
    /// link), and the date it stands since; `None` for any other referral. The view is
    /// audit-logged as the referrer's.
    pub async fn address_referral_status(
        &self,
        referral_id: Uuid,
    ) -> Result<Option<(PartnerStatus, DateTime<Utc>)>> {
        let Some(ar) = address_referral::Entity::find_by_id(referral_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(r) = inbound_referral::Entity::find_by_id(referral_id)
            .filter(inbound_referral::Column::OrgId.eq(ar.org_id))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let status = statuses_of(&self.db, r.org_id, std::slice::from_ref(&r))
            .await?
            .pop();
        // A public path, sent side by side: SQLite's write lock at BEGIN (see
        // `Store::begin_write`), so the audit head's read-then-write cannot fail at once.
        let (_gate, txn) = self.begin_write().await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                neighbourhood_id: Some(r.neighbourhood_id),
                ..referrer_event(
                    r.org_id,
                    Action::ReferralStatusViewed,
                    Some(r.id),
                    Outcome::Allowed,
                )
            },
        )
        .await?;
        txn.commit().await?;
        Ok(status)
    }
}

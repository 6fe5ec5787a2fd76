//! Parents' quotes for publicity (issue #16, docs/guide/help-referrals.md#quotes-and-publicity).
//!
//! Whether a quote may be used is never stored: every read asks the household's consent for
//! quotes (`mtp_domain::quote::usable`), so a withdrawal — by a worker on the household page or
//! by the parent in the portal — hides the quote at once, on every page. A quote is recorded
//! only while that consent is given. Reach: through the household, as everywhere.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::consent::{ConsentMethod, ConsentRecord, Purpose};
use mtp_domain::quote::{Attribution, QuoteDraft, byline, usable};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{consent_record, neighbourhood, parent, parent_quote};
use crate::help_referrals::{commit_audited, households_in_reach};
use crate::register::add_event;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// A quote as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub neighbourhood_name: String,
    /// Empty when the quote may not be used: its text is shown nowhere then.
    pub text: String,
    /// The first name or the phrase, as the parent chose; empty when not usable.
    pub byline: String,
    pub attribution: Attribution,
    pub said_on: NaiveDate,
    /// The household's consent for quotes is given now.
    pub usable: bool,
    pub created_at: DateTime<Utc>,
}

/// The consent records for quotes of these households.
async fn quote_consents<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    households: &[Uuid],
) -> Result<HashMap<Uuid, Vec<ConsentRecord>>> {
    let mut out: HashMap<Uuid, Vec<ConsentRecord>> = HashMap::new();
    for chunk in households.chunks(500) {
        for r in consent_record::Entity::find()
            .filter(consent_record::Column::OrgId.eq(org_id))
            .filter(consent_record::Column::HouseholdId.is_in(chunk.to_vec()))
            .filter(consent_record::Column::Purpose.eq(Purpose::PublishQuote.as_str()))
            .order_by_asc(consent_record::Column::At)
            .all(db)
            .await?
        {
            out.entry(r.household_id).or_default().push(ConsentRecord {
                purpose: Purpose::PublishQuote,
                given: r.given,
                at: r.at,
                method: ConsentMethod::parse(&r.method).unwrap_or(ConsentMethod::Verbal),
                text_version: r.text_version,
            });
        }
    }
    Ok(out)
}

impl Store {
    /// Quotes of the tenant's households, newest first: all of one household (`Some`), or
    /// every usable one (`None`, the publicity list). A quote whose household withdrew the
    /// consent comes back without text or name, marked not usable.
    async fn quotes_where(
        &self,
        tenant: &Tenant,
        household_id: Option<Uuid>,
    ) -> Result<Vec<Quote>> {
        let mut q =
            parent_quote::Entity::find().filter(parent_quote::Column::OrgId.eq(tenant.org_id));
        if let Some(h) = household_id {
            q = q.filter(parent_quote::Column::HouseholdId.eq(h));
        }
        let rows = q
            .order_by_desc(parent_quote::Column::SaidOn)
            .order_by_desc(parent_quote::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let reach =
            households_in_reach(&self.db, tenant, rows.iter().map(|r| r.household_id), false)
                .await?;
        let seen: Vec<Uuid> = reach.keys().copied().collect();
        let consents = quote_consents(&self.db, tenant.org_id, &seen).await?;
        let parent_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.parent_id).collect();
        let first_names: HashMap<Uuid, String> = if parent_ids.is_empty() {
            HashMap::new()
        } else {
            parent::Entity::find()
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::Id.is_in(parent_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.first_name))
                .collect()
        };
        let names: HashMap<Uuid, String> = neighbourhood::Entity::find()
            .filter(neighbourhood::Column::OrgId.eq(tenant.org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let nb = *reach.get(&r.household_id)?;
                let ok = usable(consents.get(&r.household_id).map_or(&[][..], |c| c));
                if household_id.is_none() && !ok {
                    return None;
                }
                let attribution = Attribution::parse(&r.attribution).unwrap_or(Attribution::Phrase);
                let name = r
                    .parent_id
                    .and_then(|p| first_names.get(&p))
                    .map(String::as_str);
                Some(Quote {
                    id: r.id,
                    household_id: r.household_id,
                    neighbourhood_id: nb,
                    neighbourhood_name: names.get(&nb).cloned().unwrap_or_default(),
                    text: if ok { r.text } else { String::new() },
                    byline: if ok {
                        byline(attribution, name, &r.phrase)
                    } else {
                        String::new()
                    },
                    attribution,
                    said_on: NaiveDate::parse_from_str(&r.said_on, "%Y-%m-%d").ok()?,
                    usable: ok,
                    created_at: r.created_at,
                })
            })
            .collect())
    }

    /// The quotes of one household in reach (`NotFound` otherwise), usable or not.
    pub async fn quotes_of(&self, tenant: &Tenant, household_id: Uuid) -> Result<Vec<Quote>> {
        self.household_row(tenant, household_id).await?;
        self.quotes_where(tenant, Some(household_id)).await
    }

    /// The quotes that may be used now, of every household in reach: the publicity list.
    pub async fn usable_quotes(&self, tenant: &Tenant) -> Result<Vec<Quote>> {
        self.quotes_where(tenant, None).await
    }

    /// Record a quote of a household in reach, with its timeline event and audit entry. Only
    /// while the household's consent for quotes is given (else refused at `quote_text`); a
    /// parent named by first name must be the household's (else refused at `quote_parent`).
    pub async fn add_quote(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        d: &QuoteDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let h = self.household_row(tenant, household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        let consents = quote_consents(&txn, tenant.org_id, &[h.id]).await?;
        if !usable(consents.get(&h.id).map_or(&[][..], |c| c)) {
            return Err(StoreError::Refused("error-quote-no-consent"));
        }
        if let Some(p) = d.parent {
            parent::Entity::find_by_id(p)
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.eq(h.id))
                .one(&txn)
                .await?
                .ok_or(StoreError::Refused("error-choice-invalid-quote_parent"))?;
        }
        let id = Uuid::now_v7();
        parent_quote::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            household_id: Set(h.id),
            parent_id: Set(d.parent),
            text: Set(d.text.clone()),
            attribution: Set(d.attribution.as_str().into()),
            phrase: Set(d.phrase.clone()),
            said_on: Set(d.said_on.to_string()),
            created_at: Set(now()),
            created_by: Set(actor),
        }
        .insert(&txn)
        .await?;
        add_event(&txn, tenant.org_id, h.id, actor, "quote_recorded", "").await?;
        commit_audited(txn, audit, &h, format!("quote={id}")).await?;
        Ok(id)
    }

    /// The household a quote of the tenant's reach belongs to (`NotFound` otherwise).
    pub async fn quote_household(&self, tenant: &Tenant, id: Uuid) -> Result<Uuid> {
        let row = parent_quote::Entity::find_by_id(id)
            .filter(parent_quote::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.household_row(tenant, row.household_id).await?.id)
    }

    /// Remove a quote of a household in reach for good (the parent asked, or it was wrong),
    /// with its timeline event and audit entry. Returns the household's id.
    pub async fn remove_quote(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let row = parent_quote::Entity::find_by_id(id)
            .filter(parent_quote::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let h = self.household_row(tenant, row.household_id).await?;
        let txn = self.db.begin().await?;
        let gone = parent_quote::Entity::delete_many()
            .filter(parent_quote::Column::OrgId.eq(tenant.org_id))
            .filter(parent_quote::Column::Id.eq(id))
            .exec(&txn)
            .await?
            .rows_affected;
        if gone == 0 {
            txn.rollback().await?;
            return Err(StoreError::NotFound);
        }
        add_event(&txn, tenant.org_id, h.id, actor, "quote_removed", "").await?;
        commit_audited(txn, audit, &h, format!("quote={id}")).await?;
        Ok(h.id)
    }
}

/// A household's quotes as its data export shows them (the right of access): the words as
/// recorded, usable now or not.
pub(crate) async fn export<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<Vec<serde_json::Value>> {
    Ok(parent_quote::Entity::find()
        .filter(parent_quote::Column::OrgId.eq(org_id))
        .filter(parent_quote::Column::HouseholdId.eq(household_id))
        .order_by_asc(parent_quote::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|q| {
            serde_json::json!({
                "text": q.text,
                "attribution": q.attribution,
                "phrase": q.phrase,
                "said_on": q.said_on,
            })
        })
        .collect())
}

/// Erasure: a parent's own words go with the family.
pub(crate) async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<()> {
    parent_quote::Entity::delete_many()
        .filter(parent_quote::Column::OrgId.eq(org_id))
        .filter(parent_quote::Column::HouseholdId.eq(household_id))
        .exec(db)
        .await?;
    Ok(())
}

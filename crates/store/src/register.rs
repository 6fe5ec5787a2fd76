//! The household register's rows that several parts of the store write: the drafts a
//! household is registered from, its search words and its timeline. Kept below
//! `households`, `imports`, `chat` and `portal`, so none of those needs another for them.

use std::collections::BTreeSet;

use mtp_domain::consent::ConsentMethod;
use mtp_domain::search::{Findable, search_tokens as tokens_of};
use mtp_domain::{
    Channel, ChildBirth, Email, HouseholdKind, PersonName, PhoneNumber, Postcode4, Source,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::{household_event, household_search, parent};
use crate::{Result, now};

#[derive(Debug, Clone)]
pub struct ParentDraft {
    pub first_name: PersonName,
    pub last_name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
    pub channel: Channel,
    pub languages: String,
    pub works: bool,
    /// Weekday numbers 0 (Monday) – 6 (Sunday) on which a working parent is free.
    pub free_days: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct ChildDraft {
    pub first_name: PersonName,
    pub birth: ChildBirth,
}

/// Everything the registration form asks.
#[derive(Debug, Clone)]
pub struct HouseholdDraft {
    pub neighbourhood_id: Uuid,
    pub kind: HouseholdKind,
    pub source: Source,
    pub source_partner: Option<String>,
    pub postcode4: Option<Postcode4>,
    pub interests: String,
    pub talents: String,
    pub notes: String,
    pub parents: Vec<ParentDraft>,
    pub children: Vec<ChildDraft>,
    /// How the family consented to having their data registered (docs/design.md §4.2: consent per
    /// purpose; registration itself is the first purpose).
    pub data_consent: ConsentMethod,
}

pub(crate) fn free_days_text(days: &[u8]) -> String {
    days.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
}

/// The words a household is found by (`mtp_domain::search::search_tokens`).
pub(crate) fn search_tokens(parents: &[ParentDraft]) -> BTreeSet<String> {
    tokens_of(parents.iter().map(|p| Findable {
        first_name: p.first_name.as_str(),
        last_name: p.last_name.as_ref().map(|l| l.as_str()),
        phone: p.phone.as_ref(),
        email: p.email.as_ref().map(|e| e.as_str()),
    }))
}

/// The same words for parents as stored.
pub(crate) fn stored_tokens(parents: &[parent::Model]) -> BTreeSet<String> {
    let phones: Vec<Option<PhoneNumber>> = parents
        .iter()
        .map(|p| p.phone.as_deref().and_then(PhoneNumber::from_e164))
        .collect();
    tokens_of(parents.iter().zip(&phones).map(|(p, phone)| Findable {
        first_name: &p.first_name,
        last_name: p.last_name.as_deref(),
        phone: phone.as_ref(),
        email: p.email.as_deref(),
    }))
}

/// Replace a household's search words (inside the caller's transaction).
pub(crate) async fn set_search_tokens<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
    tokens: &std::collections::BTreeSet<String>,
) -> Result<()> {
    household_search::Entity::delete_many()
        .filter(household_search::Column::OrgId.eq(org_id))
        .filter(household_search::Column::HouseholdId.eq(household_id))
        .exec(db)
        .await?;
    let rows: Vec<household_search::ActiveModel> = tokens
        .iter()
        .map(|t| household_search::ActiveModel {
            org_id: Set(org_id),
            token: Set(t.clone()),
            household_id: Set(household_id),
        })
        .collect();
    for chunk in rows.chunks(200) {
        household_search::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub(crate) async fn add_event<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
    actor: Option<Uuid>,
    kind: &str,
    detail: &str,
) -> Result<()> {
    household_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(org_id),
        household_id: Set(household_id),
        at: Set(now()),
        actor_id: Set(actor),
        kind: Set(kind.into()),
        detail: Set(detail.into()),
    }
    .insert(db)
    .await?;
    Ok(())
}

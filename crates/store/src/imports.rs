//! Import batches and the all-or-nothing commit of many households at once.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use mtp_domain::consent::{CURRENT_TEXT_VERSION, Purpose};
use mtp_domain::{HouseholdStatus, Tenant};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{
    child, consent_record, household, household_event, household_search, import_batch, parent,
};
use crate::households::{HouseholdDraft, search_tokens};
use crate::{Result, Store, StoreError, now};

/// An uploaded sheet on its way in.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    pub id: Uuid,
    pub neighbourhood_id: Uuid,
    pub file_kind: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Target field → source column index.
    pub mapping: BTreeMap<String, usize>,
    /// Data row indexes (0-based) the user chose to skip.
    pub excluded: BTreeSet<usize>,
    pub committed: bool,
}

/// What is already registered, to flag duplicates: phone numbers (E.164), e-mail addresses
/// and full names, lower-cased.
#[derive(Debug, Default)]
pub struct KnownContacts {
    pub phones: HashSet<String>,
    pub emails: HashSet<String>,
    pub names: HashSet<String>,
}

/// Rows per multi-row INSERT: big enough to be fast, small enough for SQLite's variable limit.
const CHUNK: usize = 200;

fn to_batch(m: import_batch::Model) -> ImportBatch {
    ImportBatch {
        id: m.id,
        neighbourhood_id: m.neighbourhood_id,
        file_kind: m.file_kind,
        headers: serde_json::from_str(&m.headers).unwrap_or_default(),
        rows: serde_json::from_str(&m.rows).unwrap_or_default(),
        mapping: serde_json::from_str(&m.mapping).unwrap_or_default(),
        excluded: serde_json::from_str(&m.excluded).unwrap_or_default(),
        committed: m.committed_at.is_some(),
    }
}

impl Store {
    pub async fn create_import(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        neighbourhood_id: Uuid,
        file_kind: &str,
        headers: &[String],
        rows: &[Vec<String>],
    ) -> Result<Uuid> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        import_batch::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(neighbourhood_id),
            created_by: Set(actor),
            created_at: Set(now()),
            file_kind: Set(file_kind.into()),
            headers: Set(serde_json::to_string(headers).unwrap_or_default()),
            rows: Set(serde_json::to_string(rows).unwrap_or_default()),
            mapping: Set("{}".into()),
            excluded: Set("[]".into()),
            committed_at: Set(None),
        }
        .insert(&self.db)
        .await?;
        Ok(id)
    }

    pub async fn import_batch(&self, tenant: &Tenant, id: Uuid) -> Result<ImportBatch> {
        import_batch::Entity::find_by_id(id)
            .filter(import_batch::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|b| tenant.may_see_neighbourhood(b.org_id, b.neighbourhood_id))
            .map(to_batch)
            .ok_or(StoreError::NotFound)
    }

    pub async fn set_import_choices(
        &self,
        tenant: &Tenant,
        id: Uuid,
        mapping: &BTreeMap<String, usize>,
        excluded: &BTreeSet<usize>,
    ) -> Result<()> {
        let b = self.import_batch(tenant, id).await?;
        import_batch::Entity::update_many()
            .col_expr(
                import_batch::Column::Mapping,
                serde_json::to_string(mapping).unwrap_or_default().into(),
            )
            .col_expr(
                import_batch::Column::Excluded,
                serde_json::to_string(excluded).unwrap_or_default().into(),
            )
            .filter(import_batch::Column::OrgId.eq(tenant.org_id))
            .filter(import_batch::Column::Id.eq(b.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Phones, e-mail addresses and names already registered in the organisation.
    pub async fn known_contacts(&self, tenant: &Tenant) -> Result<KnownContacts> {
        let live: Vec<Uuid> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let live: HashSet<Uuid> = live.into_iter().collect();
        let mut known = KnownContacts::default();
        for p in parent::Entity::find()
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|p| live.contains(&p.household_id))
        {
            if let Some(phone) = p.phone {
                known.phones.insert(phone);
            }
            if let Some(email) = p.email {
                known.emails.insert(email.to_lowercase());
            }
            let name = match &p.last_name {
                Some(l) => format!("{} {l}", p.first_name),
                None => p.first_name.clone(),
            };
            known.names.insert(name.to_lowercase());
        }
        Ok(known)
    }

    /// Create all households of an import in one transaction: all or nothing. The batch is
    /// marked committed in the same transaction, so a second click creates nothing twice.
    pub async fn commit_import(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        batch_id: Uuid,
        drafts: &[HouseholdDraft],
    ) -> Result<Option<usize>> {
        let b = self.import_batch(tenant, batch_id).await?;
        if drafts
            .iter()
            .any(|d| !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id))
        {
            return Err(StoreError::NotFound);
        }
        let org_id = tenant.org_id;
        let txn = self.db.begin().await?;
        let marked = import_batch::Entity::update_many()
            .col_expr(import_batch::Column::CommittedAt, Some(now()).into())
            .filter(import_batch::Column::OrgId.eq(org_id))
            .filter(import_batch::Column::Id.eq(b.id))
            .filter(import_batch::Column::CommittedAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected == 0 {
            return Ok(None);
        }
        insert_many_households(&txn, org_id, actor, drafts, "imported").await?;
        txn.commit().await?;
        Ok(Some(drafts.len()))
    }
}

/// Insert many households with their parents, children, registration consent and first
/// timeline event in multi-row statements, inside the caller's transaction.
pub(crate) async fn insert_many_households<C: sea_orm::ConnectionTrait>(
    txn: &C,
    org_id: Uuid,
    actor: Option<Uuid>,
    drafts: &[HouseholdDraft],
    event_kind: &str,
) -> Result<Vec<Uuid>> {
    let t = now();
    let mut ids = Vec::with_capacity(drafts.len());
    let mut households = Vec::with_capacity(drafts.len());
    let mut parents = Vec::new();
    let mut children = Vec::new();
    let mut consents = Vec::new();
    let mut events = Vec::new();
    let mut tokens = Vec::new();
    for d in drafts {
        let id = Uuid::now_v7();
        ids.push(id);
        for token in search_tokens(&d.parents) {
            tokens.push(household_search::ActiveModel {
                org_id: Set(org_id),
                token: Set(token),
                household_id: Set(id),
            });
        }
        households.push(household::ActiveModel {
            id: Set(id),
            org_id: Set(org_id),
            neighbourhood_id: Set(d.neighbourhood_id),
            kind: Set(d.kind.as_str().into()),
            status: Set(HouseholdStatus::Contacted.as_str().into()),
            status_changed_at: Set(t),
            status_reason: Set(None),
            postcode4: Set(d.postcode4.as_ref().map(|p| p.as_str().to_string())),
            source: Set(d.source.as_str().into()),
            source_partner: Set(d.source_partner.clone()),
            interests: Set(d.interests.clone()),
            talents: Set(d.talents.clone()),
            notes: Set(d.notes.clone()),
            created_at: Set(t),
            anonymised_at: Set(None),
            last_attended_at: Set(None),
        });
        for (i, p) in d.parents.iter().enumerate() {
            parents.push(parent::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(org_id),
                household_id: Set(id),
                position: Set(i32::try_from(i).unwrap_or(0)),
                first_name: Set(p.first_name.as_str().into()),
                last_name: Set(p.last_name.as_ref().map(|l| l.as_str().to_string())),
                phone: Set(p.phone.as_ref().map(|n| n.e164().to_string())),
                email: Set(p.email.as_ref().map(|e| e.as_str().to_string())),
                channel: Set(p.channel.as_str().into()),
                languages: Set(p.languages.clone()),
                works: Set(p.works),
                free_days: Set(crate::households::free_days_text(&p.free_days)),
            });
        }
        for c in &d.children {
            children.push(child::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(org_id),
                household_id: Set(id),
                first_name: Set(c.first_name.as_str().into()),
                birth_year: Set(c.birth.year),
                birth_month: Set(i32::try_from(c.birth.month).unwrap_or(1)),
            });
        }
        consents.push(consent_record::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(org_id),
            household_id: Set(id),
            purpose: Set(Purpose::DataRegistration.as_str().into()),
            given: Set(true),
            at: Set(t),
            method: Set(d.data_consent.as_str().into()),
            text_version: Set(CURRENT_TEXT_VERSION.into()),
            recorded_by: Set(actor),
        });
        events.push(household_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(org_id),
            household_id: Set(id),
            at: Set(t),
            actor_id: Set(actor),
            kind: Set(event_kind.into()),
            detail: Set(String::new()),
        });
    }
    // Parents, children and consents point at households: insert those first.
    for chunk in households.chunks(CHUNK) {
        household::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in parents.chunks(CHUNK) {
        parent::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in children.chunks(CHUNK) {
        child::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in consents.chunks(CHUNK) {
        consent_record::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in tokens.chunks(CHUNK) {
        household_search::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in events.chunks(CHUNK) {
        household_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(ids)
}

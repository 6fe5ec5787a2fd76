//! Import batches and the all-or-nothing commit of many households at once.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use mtp_domain::consent::{CURRENT_TEXT_VERSION, Purpose};
use mtp_domain::{HouseholdStatus, Tenant};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Iterable, QueryFilter,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{
    child, consent_record, household, household_event, household_search, import_batch, parent,
};
use crate::register::{HouseholdDraft, free_days_text, search_tokens};
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

/// Phone numbers (E.164), e-mail addresses and full names, lower-cased.
#[derive(Debug, Default)]
pub struct Contacts {
    pub phones: HashSet<String>,
    pub emails: HashSet<String>,
    pub names: HashSet<String>,
}

/// What is already registered, to flag duplicates. Only the contacts of households that
/// share something with the sheet (see [`ContactKeys`]), not the whole register.
#[derive(Debug, Default)]
pub struct KnownContacts {
    /// Of the live households within the importer's reach: a match is a duplicate.
    pub reach: Contacts,
    /// Of the live households of the organisation out of the importer's reach, for a role that
    /// may hear, without any detail, that a family is possibly registered elsewhere
    /// (`Role::may_hear_of_families_elsewhere`). Empty for everyone else: for a worker such a
    /// family does not exist.
    pub elsewhere: Contacts,
}

/// What a sheet's rows are matched on against the register: phone numbers (E.164), e-mail
/// addresses (as `Email` parses them: lower case) and (first name, last name) as written.
#[derive(Debug, Default, Clone)]
pub struct ContactKeys {
    pub phones: BTreeSet<String>,
    pub emails: BTreeSet<String>,
    pub names: BTreeSet<(String, String)>,
}

/// A parent's household, first name, last name, phone number and e-mail address, as stored.
type ParentContact = (Uuid, String, Option<String>, Option<String>, Option<String>);

/// The longest word of a name as the search table stores it: the most telling one to look a
/// name up by.
fn longest_word(name: &str) -> Option<String> {
    mtp_domain::search::name_words(name).max_by_key(|w| w.chars().count())
}

/// Bind parameters per statement, and so rows per multi-row INSERT (this divided by the
/// table's columns). On PostgreSQL every statement is a round trip over the network (see
/// `insert_chunked`), so statements are big, though below the protocol's 65,535: larger ones
/// were no faster, and PostgreSQL keeps the plan of every prepared statement per connection
/// (sqlx caches them), about 8 MB for one of 65,535 parameters and 3 MB for 16,384. SQLite runs
/// in-process, so more statements cost next to nothing there, while the prepared ones stay in
/// the server's memory: 16,384 parameters made `mtp generate` no faster and 35 MB bigger.
fn params_per_statement<C: ConnectionTrait>(db: &C) -> usize {
    match db.get_database_backend() {
        DbBackend::Postgres => 16_384,
        _ => 4_096,
    }
}

/// Insert rows in few multi-row statements. Each statement is a round trip, and sqlx 0.9.0
/// does not set TCP_NODELAY, so on PostgreSQL a statement larger than the socket's send buffer
/// (16 KB at first) waits some 40 ms for TCP's delayed acknowledgement: at 200 rows per
/// statement, an import of 10,000 households spent 8 of its 11 s waiting.
pub(crate) async fn insert_chunked<A, C>(db: &C, rows: Vec<A>) -> Result<()>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per = (params_per_statement(db) / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

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
    /// Keep an uploaded sheet for the steps that follow, with its audit entry if any (the
    /// store sets its object id to the new batch's).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_import(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        neighbourhood_id: Uuid,
        file_kind: &str,
        headers: &[String],
        rows: &[Vec<String>],
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
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

    /// The registered contacts that could match `keys`: those of the live households with one
    /// of the phone numbers or e-mail addresses, or with the longest word of a last name among
    /// their search words (decision (k); a full name that matches has all its words there),
    /// split by the tenant's reach (see [`KnownContacts`]). A few queries per sheet, each with
    /// as many keys as a statement may carry, instead of reading every parent of the
    /// organisation; the reach is a column of a query that runs anyway.
    pub async fn known_contacts(
        &self,
        tenant: &Tenant,
        keys: &ContactKeys,
    ) -> Result<KnownContacts> {
        let org_id = tenant.org_id;
        // A query per kind of key and a few thousand keys (one parameter is the organisation).
        let per = params_per_statement(&self.db) - 1;
        let mut candidates: BTreeSet<Uuid> = BTreeSet::new();
        let phones: Vec<&String> = keys.phones.iter().collect();
        for chunk in phones.chunks(per) {
            let found: Vec<Uuid> = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::Phone.is_in(chunk.iter().map(|p| p.as_str())))
                .into_tuple()
                .all(&self.db)
                .await?;
            candidates.extend(found);
        }
        let emails: Vec<&String> = keys.emails.iter().collect();
        for chunk in emails.chunks(per) {
            let found: Vec<Uuid> = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::Email.is_in(chunk.iter().map(|e| e.as_str())))
                .into_tuple()
                .all(&self.db)
                .await?;
            candidates.extend(found);
        }
        let words: BTreeSet<String> = keys
            .names
            .iter()
            .filter_map(|(_, last)| longest_word(last))
            .collect();
        let words: Vec<String> = words.into_iter().collect();
        for chunk in words.chunks(per) {
            let found: Vec<Uuid> = household_search::Entity::find()
                .select_only()
                .column(household_search::Column::HouseholdId)
                .filter(household_search::Column::OrgId.eq(org_id))
                .filter(household_search::Column::Token.is_in(chunk.iter().map(String::as_str)))
                .into_tuple()
                .all(&self.db)
                .await?;
            candidates.extend(found);
        }
        let candidates: Vec<Uuid> = candidates.into_iter().collect();
        let hint = tenant.role.may_hear_of_families_elsewhere();
        let mut known = KnownContacts::default();
        for chunk in candidates.chunks(per) {
            let live: Vec<(Uuid, Uuid)> = household::Entity::find()
                .select_only()
                .column(household::Column::Id)
                .column(household::Column::NeighbourhoodId)
                .filter(household::Column::OrgId.eq(org_id))
                .filter(household::Column::AnonymisedAt.is_null())
                .filter(household::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            // Household → within reach. Out of reach and no hint allowed: not read at all.
            let within: HashMap<Uuid, bool> = live
                .into_iter()
                .filter_map(|(id, nb)| {
                    let within = tenant.may_see_neighbourhood(org_id, nb);
                    (within || hint).then_some((id, within))
                })
                .collect();
            if within.is_empty() {
                continue;
            }
            let rows: Vec<ParentContact> = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .column(parent::Column::FirstName)
                .column(parent::Column::LastName)
                .column(parent::Column::Phone)
                .column(parent::Column::Email)
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::HouseholdId.is_in(within.keys().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (household_id, first_name, last_name, phone, email) in rows {
                let set = if within.get(&household_id).copied().unwrap_or(false) {
                    &mut known.reach
                } else {
                    &mut known.elsewhere
                };
                if let Some(phone) = phone {
                    set.phones.insert(phone);
                }
                if let Some(email) = email {
                    set.emails.insert(email.to_lowercase());
                }
                let name = match &last_name {
                    Some(l) => format!("{first_name} {l}"),
                    None => first_name,
                };
                set.names.insert(name.to_lowercase());
            }
        }
        Ok(known)
    }

    /// Create all households of an import in one transaction: all or nothing. The batch is
    /// marked committed in the same transaction, so a second click creates nothing twice.
    /// An import only inserts, into the batch's own neighbourhood (which the tenant reaches):
    /// it never changes a household that is already registered, in reach or not, so a row
    /// that matched a family the importer cannot see becomes a household of its own. The
    /// audit entry commits with the households; a batch committed before writes none.
    pub async fn commit_import(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        batch_id: Uuid,
        drafts: &[HouseholdDraft],
        audit: NewAuditEvent,
    ) -> Result<Option<usize>> {
        let b = self.import_batch(tenant, batch_id).await?;
        if drafts.iter().any(|d| {
            d.neighbourhood_id != b.neighbourhood_id
                || !tenant.may_see_neighbourhood(tenant.org_id, d.neighbourhood_id)
        }) {
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
        append_audit_in(&txn, audit).await?;
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
            source_partner_id: Set(None),
            first_visit_at: Set(None),
            second_visit_at: Set(None),
            quiet_dismissed_at: Set(None),
            visit_log: Set(String::new()),
            // Filled from the rows below, once they are in (`crate::household_facts`).
            parent_count: Set(0),
            parent_works: Set(false),
            children_births: Set(String::new()),
            research_consent: Set(false),
            last_visit_at: Set(None),
            parent_days: Set(String::new()),
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
                free_days: Set(free_days_text(&p.free_days)),
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
    insert_chunked(txn, households).await?;
    insert_chunked(txn, parents).await?;
    insert_chunked(txn, children).await?;
    insert_chunked(txn, consents).await?;
    insert_chunked(txn, tokens).await?;
    insert_chunked(txn, events).await?;
    crate::household_facts::refresh_household_facts(txn, org_id, &ids).await?;
    Ok(ids)
}

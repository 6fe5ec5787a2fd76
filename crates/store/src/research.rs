//! The research export's storage (docs/guide/research.md): studies with their sealed keys, and
//! the participating households read in pages by id, so an export of half a million
//! households never holds more than one page. What a row says is the domain's
//! (`mtp_domain::research`); this module only gathers the facts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mtp_domain::consent::Purpose;
use mtp_domain::research::{Facts, StudyKey, VisitCounts, local_date};
use mtp_domain::{HouseholdKind, PlaceName, Source, Tenant};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{consent_record, household, parent, research_study};
use crate::visit_marks::decode_log;
use crate::{Result, Store, StoreError, now, unique_violation};

/// Households read per page: small enough to keep memory flat, large enough that the
/// queries per page are few against the rows they bring.
pub const PAGE: u64 = 2000;

/// A study as the research page lists it: never its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// One page of participating households, and where the next page starts.
#[derive(Debug, Clone)]
pub struct ResearchPage {
    pub households: Vec<Facts>,
    /// The last household id looked at when the page was full; `None` after the last page.
    pub next: Option<Uuid>,
}

/// The place a study's key is sealed to (`sealing.rs`): a sealed key copied into another
/// study's row does not open there.
pub(crate) fn study_place(id: Uuid) -> String {
    format!("research_study:{id}")
}

fn to_study(m: &research_study::Model) -> Study {
    Study {
        id: m.id,
        name: m.name.clone(),
        created_at: m.created_at,
    }
}

/// id, neighbourhood, kind, postcode, source, registered, visit log.
type HouseholdRow = (
    Uuid,
    Uuid,
    String,
    Option<String>,
    String,
    DateTime<Utc>,
    String,
);

impl Store {
    /// Make a study with a new random key, with its audit entry (the store sets its object id
    /// to the study's). The key is returned this once, to be shown once; it is stored sealed.
    pub async fn create_study(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        name: &PlaceName,
        audit: NewAuditEvent,
    ) -> Result<(Uuid, StudyKey)> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let key = StudyKey::from_bytes(bytes);
        let id = Uuid::now_v7();
        let sealed = self.seal(&study_place(id), &key.hex())?;
        let txn = self.db.begin().await?;
        research_study::Entity::insert(research_study::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            name: Set(name.as_str().to_string()),
            key: Set(sealed),
            created_at: Set(now()),
            created_by: Set(actor),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| unique_violation(e, "study_name"))?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(id),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok((id, key))
    }

    /// The organisation's studies, newest first.
    pub async fn studies(&self, tenant: &Tenant) -> Result<Vec<Study>> {
        Ok(research_study::Entity::find()
            .filter(research_study::Column::OrgId.eq(tenant.org_id))
            .order_by_desc(research_study::Column::CreatedAt)
            .all(&self.db)
            .await?
            .iter()
            .map(to_study)
            .collect())
    }

    /// A study of the organisation with its key opened, for an export. Another
    /// organisation's study is `NotFound`, like one that does not exist.
    pub async fn study_key(&self, tenant: &Tenant, id: Uuid) -> Result<(Study, StudyKey)> {
        let m = research_study::Entity::find_by_id(id)
            .filter(research_study::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let key = StudyKey::from_hex(&self.open(&study_place(m.id), &m.key)?)
            .ok_or(StoreError::Sealing)?;
        Ok((to_study(&m), key))
    }

    /// How many households of each neighbourhood an export of `neighbourhoods` holds: those
    /// with research consent now, not erased. The postcode rule needs the number before the
    /// first row is written (`mtp_domain::research::shown_postcode`), so this reads the ids
    /// in pages once more, without the details.
    pub async fn research_participants(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
    ) -> Result<HashMap<Uuid, u32>> {
        let mut counts: HashMap<Uuid, u32> = HashMap::new();
        let mut after = None;
        loop {
            let (rows, next) = self
                .participating_rows(tenant, neighbourhoods, after)
                .await?;
            for r in &rows {
                *counts.entry(r.1).or_default() += 1;
            }
            match next {
                Some(n) => after = Some(n),
                None => return Ok(counts),
            }
        }
    }

    /// One page of the export: the participating households after `after` (by id), with
    /// what the export says of them. `counted` is `Export::instants`: the visits in the
    /// period are counted between its first two, and the first and last visit are looked
    /// for before its third; the database counts, so a page reads one row per household and
    /// kind of activity rather than every visit.
    pub async fn research_page(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        after: Option<Uuid>,
        counted: (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>),
    ) -> Result<ResearchPage> {
        let (rows, next) = self
            .participating_rows(tenant, neighbourhoods, after)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        let org = tenant.org_id;
        let (from, to, until) = counted;
        let mut parents: HashMap<Uuid, (u32, bool)> = HashMap::new();
        let mut children = self.child_births(org, &ids).await?;
        for chunk in ids.chunks(PAGE as usize) {
            // Per household the number of parents and of those who work, counted by the
            // database: one row per household.
            let found: Vec<(Uuid, i64, i64)> = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .column_as(parent::Column::HouseholdId.count(), "parents")
                .column_as(
                    Expr::cust("SUM(CASE WHEN parent.works THEN 1 ELSE 0 END)"),
                    "working",
                )
                .filter(parent::Column::OrgId.eq(org))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .group_by(parent::Column::HouseholdId)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (h, n, working) in found {
                parents.insert(h, (u32::try_from(n).unwrap_or(0), working > 0));
            }
        }
        // The visits from each household's log (`crate::visit_marks`): the instants are
        // midnights in Amsterdam, so comparing days is comparing instants.
        let (from, to, until) = (local_date(from), local_date(to), local_date(until));
        let households = rows
            .into_iter()
            .map(
                |(id, neighbourhood_id, kind, postcode4, source, registered_at, log)| {
                    let mut visits = VisitCounts::default();
                    for v in decode_log(&log).filter(|v| v.date < until) {
                        visits.first = Some(visits.first.map_or(v.date, |f| f.min(v.date)));
                        visits.last = Some(visits.last.map_or(v.date, |l| l.max(v.date)));
                        if from <= v.date && v.date < to {
                            *visits.in_period.entry(v.kind).or_default() += 1;
                        }
                    }
                    let (n_parents, parent_works) = parents.get(&id).copied().unwrap_or_default();
                    Facts {
                        id,
                        neighbourhood_id,
                        kind: HouseholdKind::parse(&kind).unwrap_or(HouseholdKind::MultiParent),
                        parents: n_parents,
                        parent_works,
                        children: children.remove(&id).unwrap_or_default(),
                        postcode4,
                        source: Source::parse(&source).unwrap_or(Source::NeighbourhoodTeam),
                        registered_at,
                        visits,
                    }
                },
            )
            .collect();
        Ok(ResearchPage { households, next })
    }

    /// The households after `after` (by id, [`PAGE`] of them looked at) in the chosen
    /// neighbourhoods within the tenant's reach that are not erased and have research consent
    /// now: the latest record decides (`mtp_domain::consent::has_consent`), so a withdrawal takes a household out
    /// of the next export.
    async fn participating_rows(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        after: Option<Uuid>,
    ) -> Result<(Vec<HouseholdRow>, Option<Uuid>)> {
        let within: Vec<Uuid> = neighbourhoods
            .iter()
            .copied()
            .filter(|n| tenant.may_see_neighbourhood(tenant.org_id, *n))
            .collect();
        if within.is_empty() {
            return Ok((Vec::new(), None));
        }
        let mut q = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .column(household::Column::NeighbourhoodId)
            .column(household::Column::Kind)
            .column(household::Column::Postcode4)
            .column(household::Column::Source)
            .column(household::Column::CreatedAt)
            .column(household::Column::VisitLog)
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::NeighbourhoodId.is_in(within))
            // Only households that ever said yes can have research consent now: the database
            // leaves out the rest (most of them), and `has_consent` below decides on the
            // latest record, as everywhere else.
            .filter(
                household::Column::Id.in_subquery(
                    consent_record::Entity::find()
                        .select_only()
                        .column(consent_record::Column::HouseholdId)
                        .filter(consent_record::Column::OrgId.eq(tenant.org_id))
                        .filter(consent_record::Column::Purpose.eq(Purpose::Research.as_str()))
                        .filter(consent_record::Column::Given.eq(true))
                        .into_query(),
                ),
            );
        if let Some(after) = after {
            q = q.filter(household::Column::Id.gt(after));
        }
        let rows: Vec<HouseholdRow> = q
            .order_by_asc(household::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(&self.db)
            .await?;
        let next = (rows.len() as u64 == PAGE)
            .then(|| rows.last().map(|r| r.0))
            .flatten();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        // Only the research records decide (`mtp_domain::consent::has_consent` looks at the latest of its
        // purpose): oldest first, so the last one seen per household is the latest.
        let mut research: HashMap<Uuid, bool> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(PAGE as usize) {
            for (h, given) in consent_record::Entity::find()
                .select_only()
                .column(consent_record::Column::HouseholdId)
                .column(consent_record::Column::Given)
                .filter(consent_record::Column::OrgId.eq(tenant.org_id))
                .filter(consent_record::Column::Purpose.eq(Purpose::Research.as_str()))
                .filter(consent_record::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(consent_record::Column::At)
                .order_by_asc(consent_record::Column::Id)
                .into_tuple::<(Uuid, bool)>()
                .all(&self.db)
                .await?
            {
                research.insert(h, given);
            }
        }
        let rows = rows
            .into_iter()
            .filter(|r| research.get(&r.0).copied().unwrap_or(false))
            .collect();
        Ok((rows, next))
    }
}

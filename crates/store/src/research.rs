//! The research export's storage (docs/guide/research.md): studies with their sealed keys, and
//! the participating households read in pages by id, so an export of half a million
//! households never holds more than one page. What a row says is the domain's
//! (`mtp_domain::research`); this module only gathers the facts.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::questionnaire::Answers;
use mtp_domain::research::{Facts, StudyKey, VisitCounts, local_date};
use mtp_domain::{HouseholdKind, PlaceName, Source, Tenant};
use rand::RngCore;
use sea_orm::sea_query::{
    Alias, Asterisk, CommonTableExpression, Expr, Order, Query, SelectStatement, WithClause,
    WithQuery,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{household, research_study};
use crate::household_facts::births;
use crate::visit_marks::{decode_log, decode_log_newest_first};
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

impl ResearchPage {
    /// How many of the page's households live in each neighbourhood.
    fn per_neighbourhood(&self) -> HashMap<Uuid, u32> {
        let mut counts = HashMap::new();
        for h in &self.households {
            *counts.entry(h.neighbourhood_id).or_default() += 1;
        }
        counts
    }
}

fn to_study(m: &research_study::Model) -> Study {
    Study {
        id: m.id,
        name: m.name.clone(),
        created_at: m.created_at,
    }
}

/// id, neighbourhood, kind, postcode, source, registered, visit log, then what the row keeps
/// of its parents and children (`crate::household_facts`): parents, whether one of them
/// works, the children's births.
type HouseholdRow = (
    Uuid,
    Uuid,
    String,
    Option<String>,
    String,
    DateTime<Utc>,
    String,
    i32,
    bool,
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

    /// The export's first page, and how many households of each neighbourhood the whole
    /// export holds: the postcode rule needs the number before the first row is written
    /// (`mtp_domain::research::shown_postcode`), and so does the audit entry. When the first
    /// page is the only one, its own households are the count; only an export of more than
    /// one page asks the database to count (`research_participants`), and then the count's
    /// query is small beside the pages.
    pub async fn research_start(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        counted: (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>),
    ) -> Result<(HashMap<Uuid, u32>, ResearchPage)> {
        let first = self
            .research_page(tenant, neighbourhoods, None, counted)
            .await?;
        let counts = match first.next {
            None => first.per_neighbourhood(),
            Some(_) => self.research_participants(tenant, neighbourhoods).await?,
        };
        Ok((counts, first))
    }

    /// How many households of each neighbourhood an export of `neighbourhoods` holds: those
    /// with research consent now, not erased, as each page finds them (`participants`).
    pub async fn research_participants(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
    ) -> Result<HashMap<Uuid, u32>> {
        let Some(q) = participants(tenant, neighbourhoods) else {
            return Ok(HashMap::new());
        };
        let counted: Vec<(Uuid, i64)> = q
            .column(household::Column::NeighbourhoodId)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .group_by(household::Column::NeighbourhoodId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(counted
            .into_iter()
            .map(|(nb, n)| (nb, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }

    /// One page of the export: the participating households after `after` (by id), with
    /// what the export says of them. `counted` is `Export::instants`: the visits in the
    /// period are counted between its first two, and the first and last visit are looked
    /// for before its third, in each household's visit log (`crate::visit_marks`), which
    /// rides along with its row, so a page reads one row per household and no visits.
    pub async fn research_page(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        after: Option<Uuid>,
        counted: (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>),
    ) -> Result<ResearchPage> {
        let Some(mut q) = participants(tenant, neighbourhoods) else {
            return Ok(ResearchPage {
                households: Vec::new(),
                next: None,
            });
        };
        if let Some(after) = after {
            q = q.filter(household::Column::Id.gt(after));
        }
        // What the row keeps of its parents and children rides along with it: one row per
        // household, and no look-up per household in another table (docs/benchmarks.md,
        // "Research export", session 17).
        let page = q
            .order_by_asc(household::Column::Id)
            .limit(PAGE)
            .columns([
                household::Column::Id,
                household::Column::NeighbourhoodId,
                household::Column::Kind,
                household::Column::Postcode4,
                household::Column::Source,
                household::Column::CreatedAt,
                household::Column::VisitLog,
                household::Column::ParentCount,
                household::Column::ParentWorks,
                household::Column::ChildrenBirths,
            ])
            .into_query();
        let rows = match self.db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => self.db.query_all(&computed_first(page)).await?,
            // PostgreSQL's rows come over a socket, not from a thread that wakes the request
            // for each of them; working the page out first there only costs a second copy.
            _ => self.db.query_all(&page).await?,
        };
        let rows: Vec<HouseholdRow> = rows
            .iter()
            .map(|r| r.try_get_many_by_index())
            .collect::<std::result::Result<_, _>>()?;
        let next = page_end(&rows, |r| r.0);
        // The questionnaire rounds of the households that take part, named by id: asked
        // beside the page with the page's own query as a sub-query, SQLite made the candidates
        // a second time (docs/benchmarks.md, "Research export", session 16).
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        let rounds = crate::questionnaires::rounds_of(&self.db, tenant.org_id, &ids).await?;
        let (from, to, until) = counted;
        let mut measurements: HashMap<Uuid, Vec<(NaiveDate, Answers)>> = HashMap::new();
        for r in rounds {
            measurements
                .entry(r.household_id)
                .or_default()
                .push((r.taken_on, r.answers));
        }
        // The visits from each household's log (`crate::visit_marks`): the instants are
        // midnights in Amsterdam, so comparing days is comparing instants.
        let (from, to, until) = (local_date(from), local_date(to), local_date(until));
        let households = rows
            .into_iter()
            .map(
                |(
                    id,
                    neighbourhood_id,
                    kind,
                    postcode4,
                    source,
                    registered_at,
                    log,
                    parents,
                    parent_works,
                    children,
                )| {
                    // The log is oldest first: the first visit is its first entry, and
                    // the last visit and the period's are found from its end, so the
                    // years before the period are not decoded.
                    let mut visits = VisitCounts {
                        first: decode_log(&log)
                            .next()
                            .map(|v| v.date)
                            .filter(|d| *d < until),
                        ..VisitCounts::default()
                    };
                    for v in decode_log_newest_first(&log).filter(|v| v.date < until) {
                        visits.last.get_or_insert(v.date);
                        if v.date < from {
                            break;
                        }
                        if v.date < to {
                            *visits.in_period.entry(v.kind).or_default() += 1;
                        }
                    }
                    Facts {
                        id,
                        neighbourhood_id,
                        kind: HouseholdKind::parse(&kind).unwrap_or(HouseholdKind::MultiParent),
                        parents: u32::try_from(parents).unwrap_or(0),
                        parent_works,
                        children: births(&children),
                        postcode4,
                        source: Source::parse(&source).unwrap_or(Source::NeighbourhoodTeam),
                        registered_at,
                        visits,
                        measurements: measurements.remove(&id).unwrap_or_default(),
                    }
                },
            )
            .collect();
        Ok(ResearchPage { households, next })
    }
}

/// The households an export of `neighbourhoods` holds, without their columns: those in the
/// chosen neighbourhoods within reach, not erased, whose latest research consent record gives
/// consent (kept on the row, `crate::household_facts`). `None` when no chosen neighbourhood
/// is within reach.
fn participants(
    tenant: &Tenant,
    neighbourhoods: &[Uuid],
) -> Option<sea_orm::Select<household::Entity>> {
    let within = within_reach(tenant, neighbourhoods);
    if within.is_empty() {
        return None;
    }
    Some(
        household::Entity::find()
            .select_only()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::ResearchConsent.eq(true))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::NeighbourhoodId.is_in(within)),
    )
}

/// `page` (ordered by `id`) worked out whole before its first row is handed over, in the same
/// order, for SQLite. Its driver hands rows over one by one from a thread of its own; while the
/// database is still working out each row, every row wakes the request and puts it back to
/// sleep, and that took a fifth of the server's time for an export. Worked out first, the rows
/// come in bursts (docs/benchmarks.md, "Research export", session 16).
fn computed_first(page: SelectStatement) -> WithQuery {
    let name = Alias::new("page");
    let mut whole = CommonTableExpression::new();
    whole
        .query(page)
        .table_name(name.clone())
        .materialized(true);
    WithClause::new().cte(whole).to_owned().query(
        Query::select()
            .column(Asterisk)
            .from(name.clone())
            .order_by((name, household::Column::Id), Order::Asc)
            .to_owned(),
    )
}

/// The chosen neighbourhoods the caller may see.
fn within_reach(tenant: &Tenant, neighbourhoods: &[Uuid]) -> Vec<Uuid> {
    neighbourhoods
        .iter()
        .copied()
        .filter(|n| tenant.may_see_neighbourhood(tenant.org_id, *n))
        .collect()
}

/// Where the next page starts: the last id looked at when the page was full.
fn page_end<R>(rows: &[R], id: impl Fn(&R) -> Uuid) -> Option<Uuid> {
    (rows.len() as u64 == PAGE)
        .then(|| rows.last().map(id))
        .flatten()
}

//! The research export's storage (docs/guide/research.md): studies with their sealed keys, and
//! the participating households read in pages by id, so an export of half a million
//! households never holds more than one page. What a row says is the domain's
//! (`mtp_domain::research`); this module only gathers the facts.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::consent::Purpose;
use mtp_domain::questionnaire::Answers;
use mtp_domain::research::{Facts, StudyKey, VisitCounts, local_date};
use mtp_domain::{ChildBirth, HouseholdKind, PlaceName, Source, Tenant};
use rand::RngCore;
use sea_orm::sea_query::{
    Alias, Asterisk, CommonTableExpression, Expr, ExprTrait, Order, Query, SelectStatement,
    WithClause, WithQuery,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{consent_record, household, research_study};
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

/// id, neighbourhood, kind, postcode, source, registered, visit log, then what rides along
/// (`Store::research_page`): the parents (`PARENTS`), the children's births, and whether the
/// latest research consent record gives consent.
type HouseholdRow = (
    Uuid,
    Uuid,
    String,
    Option<String>,
    String,
    DateTime<Utc>,
    String,
    i64,
    Option<String>,
    Option<bool>,
);

/// The household row's parents in one number: twice how many there are, plus one when one of
/// them works (`parents_of` reads it back). One sub-query instead of two, read from the
/// parent index alone (migration 000036): a sub-query per household is what a page costs on
/// SQLite (docs/benchmarks.md, "Research export").
const PARENTS: &str = "(SELECT COUNT(*) * 2 + COALESCE(MAX(CASE WHEN p.works THEN 1 ELSE 0 END), 0) \
     FROM parent p WHERE p.org_id = household.org_id AND p.household_id = household.id)";

/// How many parents `PARENTS` counted, and whether one of them works.
fn parents_of(packed: i64) -> (u32, bool) {
    (u32::try_from(packed / 2).unwrap_or(0), packed % 2 == 1)
}

/// The latest research consent record of the household row being read: given or not
/// (`mtp_domain::consent::has_consent` decides on the latest record of a purpose).
fn latest_research_consent() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(format!(
        "(SELECT c.given FROM consent_record c WHERE c.org_id = household.org_id \
         AND c.household_id = household.id AND c.purpose = '{}' \
         ORDER BY c.at DESC, c.id DESC LIMIT 1)",
        Purpose::Research.as_str()
    ))
}

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
    /// with research consent now, not erased. The database counts, in one query over the
    /// organisation's research records (`research_records`), by the rule the pages apply to
    /// each household (`latest_research_consent`).
    pub async fn research_participants(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
    ) -> Result<HashMap<Uuid, u32>> {
        let within = within_reach(tenant, neighbourhoods);
        if within.is_empty() {
            return Ok(HashMap::new());
        }
        let records = Alias::new("latest");
        let q = Query::select()
            .column((household::Entity, household::Column::NeighbourhoodId))
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(research_records(tenant.org_id), records.clone())
            .inner_join(
                household::Entity,
                Expr::col((household::Entity, household::Column::Id))
                    .equals((records.clone(), Alias::new("household_id"))),
            )
            .and_where(Expr::col((records.clone(), Alias::new("later"))).is_null())
            .and_where(Expr::col((records, Alias::new("given"))).eq(true))
            .and_where(Expr::col((household::Entity, household::Column::OrgId)).eq(tenant.org_id))
            .and_where(Expr::col((household::Entity, household::Column::AnonymisedAt)).is_null())
            .and_where(
                Expr::col((household::Entity, household::Column::NeighbourhoodId)).is_in(within),
            )
            .group_by_col((household::Entity, household::Column::NeighbourhoodId))
            .to_owned();
        let mut counts = HashMap::new();
        for row in self.db.query_all(&q).await? {
            let (nb, n): (Uuid, i64) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            counts.insert(nb, u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(counts)
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
        let Some(q) = self.participants_query(tenant, neighbourhoods, after) else {
            return Ok(ResearchPage {
                households: Vec::new(),
                next: None,
            });
        };
        // What the row says of parents and children rides along with it, counted and joined
        // by the database: one row per household, not one more per parent, child and consent
        // record (rows, not SQL, are what a page costs; docs/benchmarks.md, "Reports").
        let page = q
            .columns([
                household::Column::Id,
                household::Column::NeighbourhoodId,
                household::Column::Kind,
                household::Column::Postcode4,
                household::Column::Source,
                household::Column::CreatedAt,
                household::Column::VisitLog,
            ])
            .column_as(Expr::cust(PARENTS), "parents")
            .column_as(Expr::cust(children_births(&self.db)), "children")
            .column_as(latest_research_consent(), "research")
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
        let rows: Vec<HouseholdRow> = rows.into_iter().filter(|r| r.9 == Some(true)).collect();
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
                    children,
                    _,
                )| {
                    let (parents, parent_works) = parents_of(parents);
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
                        parents,
                        parent_works,
                        children: children.as_deref().map(births).unwrap_or_default(),
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

    /// The page of candidate households after `after`, by id, without its columns: those in
    /// the chosen neighbourhoods within reach, not erased, that ever gave research consent.
    /// `None` when no chosen neighbourhood is within reach.
    fn participants_query(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        after: Option<Uuid>,
    ) -> Option<sea_orm::Select<household::Entity>> {
        let within = within_reach(tenant, neighbourhoods);
        if within.is_empty() {
            return None;
        }
        // Only households that ever said yes can have research consent now: the database
        // leaves out the rest (most of them), and the latest record decides
        // (`latest_research_consent`), as everywhere else.
        let mut ever = consent_record::Entity::find()
            .select_only()
            .column(consent_record::Column::HouseholdId)
            .filter(consent_record::Column::OrgId.eq(tenant.org_id))
            .filter(consent_record::Column::Purpose.eq(Purpose::Research.as_str()))
            .filter(consent_record::Column::Given.eq(true));
        let mut q = household::Entity::find()
            .select_only()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::NeighbourhoodId.is_in(within));
        if let Some(after) = after {
            // Both sides start after the last page, so a page reads the consent records from
            // where it starts instead of the organisation's every time (SQLite makes the
            // whole list before it looks for the page's households).
            ever = ever.filter(consent_record::Column::HouseholdId.gt(after));
            q = q.filter(household::Column::Id.gt(after));
        }
        Some(
            q.filter(household::Column::Id.in_subquery(ever.into_query()))
                .order_by_asc(household::Column::Id)
                .limit(PAGE),
        )
    }
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

/// The organisation's research consent records as a table of `household_id`, `given` and
/// `later`: the id of the household's next record, NULL on its latest, which decides
/// (`mtp_domain::consent::has_consent`). The same rule as `latest_research_consent`, for a
/// whole organisation at once: both databases read it in one pass over `ix_consent_purpose`
/// instead of a look-up per household (migration 000036). The tests that withdraw consent
/// hold the two to the same answer.
fn research_records(org: Uuid) -> SelectStatement {
    Query::select()
        .column(consent_record::Column::HouseholdId)
        .column(consent_record::Column::Given)
        .expr_as(
            Expr::cust("LEAD(id) OVER (PARTITION BY household_id ORDER BY at, id)"),
            Alias::new("later"),
        )
        .from(consent_record::Entity)
        .and_where(consent_record::Column::OrgId.eq(org))
        .and_where(consent_record::Column::Purpose.eq(Purpose::Research.as_str()))
        .to_owned()
}

/// The household row's children as "year-month;year-month" (`births` reads it back).
fn children_births(db: &sea_orm::DatabaseConnection) -> String {
    let agg = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    format!(
        "(SELECT {agg}(CAST(c.birth_year AS TEXT) || '-' || CAST(c.birth_month AS TEXT), ';') \
         FROM child c WHERE c.org_id = household.org_id AND c.household_id = household.id)"
    )
}

/// The children's births of `children_births`' text; a part that does not read is left out.
fn births(text: &str) -> Vec<ChildBirth> {
    text.split(';')
        .filter_map(|b| {
            let (year, month) = b.split_once('-')?;
            Some(ChildBirth {
                year: year.parse().ok()?,
                month: month.parse().ok()?,
            })
        })
        .collect()
}

/// Where the next page starts: the last id looked at when the page was full.
fn page_end<R>(rows: &[R], id: impl Fn(&R) -> Uuid) -> Option<Uuid> {
    (rows.len() as u64 == PAGE)
        .then(|| rows.last().map(id))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::parents_of;

    #[test]
    fn the_packed_parents_read_back() {
        assert_eq!(parents_of(0), (0, false), "no parents");
        assert_eq!(parents_of(2), (1, false));
        assert_eq!(parents_of(3), (1, true));
        assert_eq!(parents_of(4), (2, false));
        assert_eq!(parents_of(5), (2, true));
    }
}

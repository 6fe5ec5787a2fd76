//! What a household row keeps of its parents, children and research consent: how many
//! parents, whether one of them works, the children's births as `year-month;year-month`, each
//! parent's work and free days (for a report's time-slot fit, docs/indicators.md §10.3), and
//! whether the latest research consent record gives consent (`mtp_domain::consent::has_consent`:
//! the latest record of a purpose decides). The research export reads them with the row;
//! looking them up in the parent, child and consent tables for each household was most of a
//! page's time on PostgreSQL (docs/benchmarks.md, "Research export", session 17).
//!
//! Every write that adds, changes, moves or removes a parent, a child or a consent record (a
//! household made in any way, a household's form saved, a consent recorded, a loaded history,
//! two households merged, a household anonymised) refreshes them in its own transaction by
//! recomputing them from those rows: never a job that can be stale.
//! `Store::household_facts_drift` recomputes them for the tests that prove it.

use mtp_domain::ChildBirth;
use mtp_domain::consent::Purpose;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr, UpdateStatement};
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
use uuid::Uuid;

use crate::{Result, Store};

/// How many parents the household row being read or updated has.
fn parent_count() -> SimpleExpr {
    Expr::cust(
        "(SELECT COUNT(*) FROM parent p \
         WHERE p.org_id = household.org_id AND p.household_id = household.id)",
    )
}

/// Whether one of the parents of the household row being read or updated works.
fn parent_works() -> SimpleExpr {
    Expr::cust(
        "EXISTS (SELECT 1 FROM parent p \
         WHERE p.org_id = household.org_id AND p.household_id = household.id AND p.works)",
    )
}

/// The births of the children of the household row being read or updated, as `births`
/// reads them; empty without children. In no particular order: the export sorts the ages.
fn children_births(backend: DbBackend) -> SimpleExpr {
    let agg = match backend {
        DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    Expr::cust(format!(
        "COALESCE((SELECT {agg}(CAST(c.birth_year AS TEXT) || '-' || CAST(c.birth_month AS TEXT), ';') \
         FROM child c WHERE c.org_id = household.org_id AND c.household_id = household.id), '')"
    ))
}

/// Each parent of the household row being read or updated as `works:free days` ("1:0,4" =
/// works, free on Monday and Friday; 0 is Monday), `;` between parents, as the report's
/// time-slot fit reads them (`crate::reports`); empty without parents. In no particular order.
fn parent_days(backend: DbBackend) -> SimpleExpr {
    let agg = match backend {
        DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    Expr::cust(format!(
        "COALESCE((SELECT {agg}(CASE WHEN p.works THEN '1' ELSE '0' END || ':' || p.free_days, ';') \
         FROM parent p WHERE p.org_id = household.org_id AND p.household_id = household.id), '')"
    ))
}

/// Whether the latest research consent record of the household row being read or updated
/// gives consent; without one it does not.
fn research_consent() -> SimpleExpr {
    Expr::cust(format!(
        "COALESCE((SELECT c.given FROM consent_record c WHERE c.org_id = household.org_id \
         AND c.household_id = household.id AND c.purpose = '{}' \
         ORDER BY c.at DESC, c.id DESC LIMIT 1), FALSE)",
        Purpose::Research.as_str()
    ))
}

/// The statement that sets every kept value from the rows; the caller narrows it. Columns by
/// name, so the migration that added the parents' days (000038) fills them with it too.
pub(crate) fn refresh_statement(backend: DbBackend) -> UpdateStatement {
    let mut update = statement_of_000037(backend);
    update.value(Alias::new("parent_days"), parent_days(backend));
    update
}

/// The four values migration 000037 added, which it fills with this: its schema has no
/// `parent_days` yet.
pub(crate) fn statement_of_000037(backend: DbBackend) -> UpdateStatement {
    Query::update()
        .table(Alias::new("household"))
        .value(Alias::new("parent_count"), parent_count())
        .value(Alias::new("parent_works"), parent_works())
        .value(Alias::new("children_births"), children_births(backend))
        .value(Alias::new("research_consent"), research_consent())
        .to_owned()
}

/// Recompute what the rows of `households` of `org` keep of their parents, children and
/// research consent, inside the caller's transaction.
pub(crate) async fn refresh_household_facts<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    households: &[Uuid],
) -> Result<()> {
    for chunk in crate::visit_marks::each_once(households).chunks(500) {
        let mut update = refresh_statement(conn.get_database_backend());
        update
            .and_where(Expr::col(Alias::new("org_id")).eq(org))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()));
        conn.execute(&update).await?;
    }
    Ok(())
}

/// The children's births of a `children_births` text; a part that does not read is left out.
pub(crate) fn births(text: &str) -> Vec<ChildBirth> {
    text.split(';')
        .filter_map(|part| {
            let (year, month) = part.split_once('-')?;
            Some(ChildBirth {
                year: year.parse().ok()?,
                month: month.parse().ok()?,
            })
        })
        .collect()
}

/// What a row keeps, in a form two readings can be compared in: the births and the parents'
/// days sorted, as the database aggregates them in no particular order.
type Kept<'a> = (i64, bool, Vec<(i32, u32)>, bool, Vec<&'a str>);

fn kept<'a>(count: i64, works: bool, children: &str, research: bool, days: &'a str) -> Kept<'a> {
    let mut births: Vec<(i32, u32)> = births(children).iter().map(|b| (b.year, b.month)).collect();
    births.sort_unstable();
    let mut days: Vec<&str> = days.split(';').filter(|p| !p.is_empty()).collect();
    days.sort_unstable();
    (count, works, births, research, days)
}

/// How many rows `Store::refresh_kept` found drifted before it recomputed them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeptRefresh {
    /// Households whose first visits or visit log differed (`crate::visit_marks`).
    pub visits: usize,
    /// Sessions whose attendance counts differed.
    pub sessions: usize,
    /// Households whose parents, children or research consent differed (this module).
    pub households: usize,
}

impl Store {
    /// Recompute every value kept on a household or session row from the records, for every
    /// organisation, and say how many rows had drifted. An operator runs it (`mtp refresh`)
    /// once after a rolling release whose migrations added kept columns: a server of the
    /// release before, still serving during the rollout, writes records without keeping them
    /// (docs/operations.md, "Migrations as a release step").
    pub async fn refresh_kept(&self) -> Result<KeptRefresh> {
        let mut found = KeptRefresh::default();
        for org in self.organisations().await? {
            found.visits += self.visit_marks_drift(org.id).await?.len();
            found.sessions += self.session_counts_drift(org.id).await?.len();
            found.households += self.household_facts_drift(org.id).await?.len();
        }
        let txn = self.db.begin().await?;
        crate::visit_marks::refresh_all(&txn, crate::visit_marks::Columns::All).await?;
        txn.execute(&refresh_statement(txn.get_database_backend()))
            .await?;
        txn.commit().await?;
        Ok(found)
    }

    /// The households of `org` whose kept parents, children and research consent differ from
    /// a recomputation from the rows: empty when every write kept them. For the tests, and
    /// for an operator who doubts.
    pub async fn household_facts_drift(&self, org: Uuid) -> Result<Vec<Uuid>> {
        let q = Query::select()
            .column(Alias::new("id"))
            .column(Alias::new("parent_count"))
            .column(Alias::new("parent_works"))
            .column(Alias::new("children_births"))
            .column(Alias::new("research_consent"))
            .column(Alias::new("parent_days"))
            .expr(parent_count())
            .expr(parent_works())
            .expr(children_births(self.db.get_database_backend()))
            .expr(research_consent())
            .expr(parent_days(self.db.get_database_backend()))
            .from(Alias::new("household"))
            .and_where(Expr::col(Alias::new("org_id")).eq(org))
            .to_owned();
        let mut drift = Vec::new();
        for row in self.db.query_all(&q).await? {
            let (id, count, works, children, research, days): (
                Uuid,
                i32,
                bool,
                String,
                bool,
                String,
            ) = row.try_get_many_by_index()?;
            let (now_count, now_works, now_children, now_research, now_days): (
                i64,
                bool,
                String,
                bool,
                String,
            ) = (
                row.try_get_by_index(6)?,
                row.try_get_by_index(7)?,
                row.try_get_by_index(8)?,
                row.try_get_by_index(9)?,
                row.try_get_by_index(10)?,
            );
            if kept(i64::from(count), works, &children, research, &days)
                != kept(now_count, now_works, &now_children, now_research, &now_days)
            {
                drift.push(id);
            }
        }
        drift.sort_unstable();
        Ok(drift)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn births_read_back_in_any_order_and_skip_what_does_not_read() {
        let a = kept(2, true, "2019-4;2016-11;x;2020-", false, "0:;1:0,4");
        let b = kept(2, true, "2016-11;2019-4", false, "1:0,4;0:");
        assert_eq!(a, b);
        assert_eq!(a.2.len(), 2);
        assert_eq!(births(""), Vec::new());
        // Another parent's days, or a parent's other days, is a difference.
        assert_ne!(a, kept(2, true, "2016-11;2019-4", false, "1:0,4;1:"));
        assert_ne!(a, kept(2, true, "2016-11;2019-4", false, "1:0;0:"));
    }
}

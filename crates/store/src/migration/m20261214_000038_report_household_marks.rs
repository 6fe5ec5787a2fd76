//! Two more values kept on the household row for the reports (docs/indicators.md §10.3):
//!
//! - `last_visit_at`, the start of the household's latest visit in its own neighbourhood
//!   (`crate::visit_marks`, beside the first two). A report reads only the households that
//!   came on or after its window's first day; in the bench organisation that is four in ten.
//! - `parent_days`, its parents' work and free days as one text (`crate::household_facts`),
//!   which a report looked up per household in the parent table.
//!
//! Filled here from the rows already recorded; from then on every write that changes them
//! keeps the row in its own transaction (docs/benchmarks.md, "Reports", session 18).
//!
//! `ix_household_org_nb_last_visit (org_id, neighbourhood_id, last_visit_at)`: a report's
//! households of one neighbourhood are one range of it.

use sea_orm_migration::prelude::*;

use super::schema::{add_columns, index, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ts_null("last_visit_at"),
            ColumnDef::new(Alias::new("parent_days"))
                .text()
                .not_null()
                .default("")
                .to_owned(),
        ];
        add_columns(m, "household", columns).await?;
        let conn = m.get_connection();
        conn.execute(&crate::visit_marks::last_visit_statement())
            .await?;
        conn.execute(&crate::household_facts::refresh_statement(
            conn.get_database_backend(),
        ))
        .await?;
        m.create_index(index(
            "household",
            "ix_household_org_nb_last_visit",
            &["org_id", "neighbourhood_id", "last_visit_at"],
            false,
        ))
        .await
    }
}

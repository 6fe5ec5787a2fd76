//! What a household row keeps of its parents, children and research consent
//! (`crate::household_facts`): how many parents, whether one of them works, the children's
//! births, and whether the latest research consent record gives consent. The research export
//! reads them with the row instead of looking them up for each household, which was most of
//! a page's time on PostgreSQL (docs/benchmarks.md, "Research export", session 17). Filled
//! here from the rows already recorded; from then on every write of them keeps the row in its
//! own transaction.
//!
//! `ix_household_research (org_id, research_consent, id)`: an export's households of an
//! organisation are one range of it, in the order its pages are read.

use sea_orm_migration::prelude::*;

use super::schema::{add_columns, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Alias::new("parent_count"))
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Alias::new("parent_works"))
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Alias::new("children_births"))
                .text()
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Alias::new("research_consent"))
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ];
        add_columns(m, "household", columns).await?;
        let conn = m.get_connection();
        conn.execute(&crate::household_facts::statement_of_000037(
            conn.get_database_backend(),
        ))
        .await?;
        m.create_index(index(
            "household",
            "ix_household_research",
            &["org_id", "research_consent", "id"],
            false,
        ))
        .await
    }
}

//! The report of each retention run: what the background job anonymised, per organisation.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("retention_run"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(ts("ran_at"))
                .col(ts("cutoff"))
                .col(int("anonymised"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "retention_run",
            "ix_retention_run_org",
            &["org_id", "ran_at"],
            false,
        ))
        .await?;
        Ok(())
    }
}

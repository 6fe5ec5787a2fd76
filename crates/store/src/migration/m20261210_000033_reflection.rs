//! A worker's reflection on the competencies of the handbook (issue #19,
//! docs/guide/help.md#my-reflection): one row per reflection, the ratings as one text
//! (`organise=good;…`, read by `mtp_domain::reflection::parse_ratings`) and an optional
//! note. Only the account that wrote it reads it back (docs/decisions.md).

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, long_text, text, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("reflection"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("account_id"))
                .col(text("ratings"))
                .col(long_text("note"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "reflection",
            "ix_reflection_account",
            &["org_id", "account_id", "created_at"],
            false,
        ))
        .await
    }
}

//! A study of the pseudonymised research export (issue #15, docs/guide/research.md): its name
//! and the key its pseudonyms are made with. The key is sealed at rest like the other secrets
//! (`sealing.rs`), bound to its row.
//!
//! One name per organisation, so the export form's list of studies is never ambiguous.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, text, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("research_study"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(text("name"))
                // 64 hex digits, sealed when the installation has a key: "sealed1:…".
                .col(text("key"))
                .col(ts("created_at"))
                // None when the command line or the demo made it.
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "research_study",
            "ux_research_study_org_name",
            &["org_id", "name"],
            true,
        ))
        .await?;
        Ok(())
    }
}

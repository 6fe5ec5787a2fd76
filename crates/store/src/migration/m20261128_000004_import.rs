//! Spreadsheet imports waiting for their column mapping, preview and commit. Kept in the
//! database so that any app server can continue an import another one received.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, long_text, text, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("import_batch"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(uuid_null("created_by"))
                .col(ts("created_at"))
                .col(text("file_kind"))
                // JSON: the header row, the data rows, the chosen mapping, excluded rows.
                .col(long_text("headers"))
                .col(long_text("rows"))
                .col(long_text("mapping"))
                .col(long_text("excluded"))
                .col(ts_null("committed_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "import_batch",
            "ix_import_batch_org",
            &["org_id", "created_at"],
            false,
        ))
        .await?;
        Ok(())
    }
}

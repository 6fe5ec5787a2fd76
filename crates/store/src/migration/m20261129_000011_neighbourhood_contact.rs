//! Who parents of a neighbourhood can call or WhatsApp: shown on the portal's start page.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(Alias::new("neighbourhood"))
                .add_column(
                    ColumnDef::new(Alias::new("contact_name"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("neighbourhood"))
                .add_column(ColumnDef::new(Alias::new("contact_phone")).text().null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

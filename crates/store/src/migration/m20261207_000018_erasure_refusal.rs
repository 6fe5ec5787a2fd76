//! An erasure request is closed in one of two ways only: by the erasure itself, or by a
//! refusal whose reason the family is told (issue #22). The reason is kept with the request,
//! so the portal can show it where the family asked.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("portal_request"))
                .add_column(ColumnDef::new(Alias::new("refusal")).text().null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

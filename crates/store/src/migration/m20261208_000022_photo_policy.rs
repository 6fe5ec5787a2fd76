//! What the organisation does with photos already taken when a parent withdraws consent
//! (issue #22): the portal says exactly that. Existing organisations start at "not set", which
//! tells the parent to ask their contact person rather than promise anything.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("organisation"))
                .add_column(
                    ColumnDef::new(Alias::new("photo_policy"))
                        .text()
                        .not_null()
                        .default("not_set"),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

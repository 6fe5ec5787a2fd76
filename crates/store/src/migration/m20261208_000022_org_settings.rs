//! Two organisation settings where the software used to decide alone (issues #22 and #17):
//! what the organisation does with photos already taken when a parent withdraws consent (the
//! portal says exactly that; "not set" tells the parent to ask their contact person), and how
//! many posts a week the WhatsApp group aims for (the handbook gives no number; 3 stays the
//! default).

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
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(Alias::new("organisation"))
                .add_column(
                    ColumnDef::new(Alias::new("chat_budget"))
                        .integer()
                        .not_null()
                        .default(3),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

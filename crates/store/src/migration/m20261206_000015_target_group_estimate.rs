//! The target-group estimate a coordinator enters per neighbourhood: how many single-parent
//! households live there (often a CBS figure typed in), where the number comes from, and when
//! it was entered. Reach % is computed against it (docs/indicators.md §2).

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
                    ColumnDef::new(Alias::new("target_group_estimate"))
                        .integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("neighbourhood"))
                .add_column(
                    ColumnDef::new(Alias::new("target_group_source"))
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
                // An ISO date as text, like the other dates of this schema (school holidays).
                .add_column(
                    ColumnDef::new(Alias::new("target_group_set_on"))
                        .text()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

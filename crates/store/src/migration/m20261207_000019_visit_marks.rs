//! Each household's first two visits, kept on its row (`crate::visit_marks`,
//! docs/indicators.md §10.1), so a report of this year need not read ten years to know who
//! came before. Filled here from the attendance already recorded.

use sea_orm_migration::prelude::*;

use super::schema::ts_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["first_visit_at", "second_visit_at"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("household"))
                    .add_column(ts_null(column))
                    .to_owned(),
            )
            .await?;
        }
        m.get_connection()
            .execute(&crate::visit_marks::refresh_statement())
            .await?;
        Ok(())
    }
}

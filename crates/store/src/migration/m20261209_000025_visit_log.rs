//! Each household's visits as one short text on its row (`crate::visit_marks`,
//! docs/indicators.md §10.2), so a report reads one row per household instead of every
//! visit, and the research export counts visits without reading the attendance. Filled here
//! from the attendance already recorded; from then on every write of attendance keeps it in
//! its own transaction. Likewise each session's attendance counted per status and reason
//! (`session.attendance_counts`), so a report counts absences and turnout without reading
//! the attendance.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("household"))
                .add_column(
                    ColumnDef::new(Alias::new("visit_log"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("session"))
                .add_column(
                    ColumnDef::new(Alias::new("attendance_counts"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        crate::visit_marks::refresh_all(m.get_connection(), crate::visit_marks::Columns::UpTo000025)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))
    }
}

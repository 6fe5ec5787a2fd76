//! Two of the handbook's rules as the handbook says them (issue #17): the organisation's own
//! estimate of a worker's minutes per session for the activities the handbook gives no figure
//! for (`mtp_domain::activity::StaffEstimates`; empty means our starting estimate), and the
//! day a worker last dismissed the proposal to mark a family *even stil*
//! (`mtp_domain::quiet`).

use sea_orm_migration::prelude::*;

use super::schema::ts_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("organisation"))
                .add_column(
                    ColumnDef::new(Alias::new("staff_minutes"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("household"))
                .add_column(ts_null("quiet_dismissed_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

//! An organisation's own school-holiday dates, which refine the national table for its region
//! (its schools may depart from the government's advice, and the table has gaps).
//!
//! The key starts with `org_id`, like every tenant table's. A removed period keeps its row
//! (`removed_at`), so a remove sent twice finds it and answers the same.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, pk, text, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("school_holiday"))
                .col(id("org_id"))
                .col(id("id"))
                // autumn / christmas / spring / may / summer
                .col(text("holiday"))
                // Local dates (YYYY-MM-DD), both included.
                .col(text("first_day"))
                .col(text("last_day"))
                // None when the demo or the command line entered it.
                .col(uuid_null("created_by"))
                .col(ts("created_at"))
                .col(uuid_null("removed_by"))
                .col(ts_null("removed_at"))
                .primary_key(&mut pk(&["org_id", "id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

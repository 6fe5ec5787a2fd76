//! Which parents of a household came to a session (issue #4: attendance per person).
//!
//! The household's attendance row stays the fact the door and the figures use; these rows
//! only refine a *present* household: the worker ticks who of a two-parent family was there.
//! No row for a present household means "not said" (the door taps families, not people).

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("attendance_parent"))
                .col(id("org_id"))
                .col(id("session_id"))
                .col(id("parent_id"))
                .col(id("household_id"))
                .primary_key(&mut pk(&["org_id", "session_id", "parent_id"]))
                .foreign_key(&mut fk("session_id", "session"))
                .foreign_key(&mut fk("parent_id", "parent"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "attendance_parent",
            "ix_attendance_parent_household",
            &["org_id", "household_id", "session_id"],
            false,
        ))
        .await?;
        Ok(())
    }
}

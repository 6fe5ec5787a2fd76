//! `ix_contact_open_follow_up (org_id, follow_up_on, at) WHERE follow_up_on IS NOT NULL AND
//! follow_up_done_at IS NULL`: the open follow-up tasks on the encouragement overview
//! (`Store::open_follow_ups`). Without it the query read every contact moment of the
//! organisation through `ix_contact_session (org_id, session_id)` and sorted them, to find the
//! few with an open task: 48,600 rows per organisation of the national data set, growing with
//! every week of history, which made the overview three times slower at 1/10 of national
//! scale than with one neighbourhood alone (scripts/bench-national.sh, docs/benchmarks.md).
//!
//! Partial, on both databases: only open tasks are in it, so it stays a few rows however long
//! the history grows, and costs nothing on the contact moments without a task. The query's
//! own WHERE terms match the index's literally, which SQLite needs to use a partial index.
//! `IF NOT EXISTS`, so an operator may build it beforehand with `CREATE INDEX CONCURRENTLY`
//! under the same name (docs/operations.md).

use sea_orm_migration::prelude::*;

use super::schema::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            index(
                "contact_moment",
                "ix_contact_open_follow_up",
                &["org_id", "follow_up_on", "at"],
                false,
            )
            .and_where(Expr::col(Alias::new("follow_up_on")).is_not_null())
            .and_where(Expr::col(Alias::new("follow_up_done_at")).is_null())
            .if_not_exists()
            .to_owned(),
        )
        .await
    }
}

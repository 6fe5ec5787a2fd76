//! Indexes found with `scripts/explain.sh` on the national data set's shape (docs/operations.md,
//! "Query plans"): the queries that had no index bounded by the tenant in the order they read.
//!
//! - `ix_household_org_created (org_id, created_at, id)`: the household list of someone who
//!   sees every neighbourhood (coordinator, administrator) is ordered by registration across
//!   neighbourhoods; the existing `(org_id, neighbourhood_id, created_at, id)` cannot give
//!   that order, so PostgreSQL read all 10,000 households of the organisation (bitmap scan)
//!   and sorted them for a page of 50 (8 ms at 1/10 of national scale).
//! - `ix_audit_event_org_action_seq (org_id, action, seq)`: the audit list filtered by action
//!   read the organisation's whole trail (48,609 events, 20 ms) to find the few events of a
//!   rare action.
//!
//! `IF NOT EXISTS`, so an operator may build them beforehand with `CREATE INDEX CONCURRENTLY`
//! under the same names and keep writes flowing (docs/operations.md).

use sea_orm_migration::prelude::*;

use super::schema::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            index(
                "household",
                "ix_household_org_created",
                &["org_id", "created_at", "id"],
                false,
            )
            .if_not_exists()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "audit_event",
                "ix_audit_event_org_action_seq",
                &["org_id", "action", "seq"],
                false,
            )
            .if_not_exists()
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}

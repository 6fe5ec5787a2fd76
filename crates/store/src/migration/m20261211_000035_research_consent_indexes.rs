//! Two indexes on `consent_record` for the research export (docs/benchmarks.md, "Research
//! export"), measured on one organisation of 10,000 households of which 1,994 consent:
//!
//! - `ix_consent_given (org_id, purpose, given, household_id)`: the households that ever said
//!   yes to a purpose are a range of it. Without it both databases read every consent record
//!   of every purpose to find them (PostgreSQL: a sequential scan of 22,602 rows and a hash
//!   join with every household, 23 ms; with it, 2,000 index entries and as many look-ups).
//! - `ix_consent_latest (org_id, household_id, purpose, at, id)` replaces
//!   `ix_consent_household (org_id, household_id, purpose)`, its prefix: "the latest record of
//!   a purpose decides" (`mtp_domain::consent::has_consent`) is then the index's last entry,
//!   read backwards, instead of a sort per household.

use sea_orm_migration::prelude::*;

use super::schema::{drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            index(
                "consent_record",
                "ix_consent_given",
                &["org_id", "purpose", "given", "household_id"],
                false,
            )
            .if_not_exists()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "consent_record",
                "ix_consent_latest",
                &["org_id", "household_id", "purpose", "at", "id"],
                false,
            )
            .if_not_exists()
            .to_owned(),
        )
        .await?;
        m.drop_index(drop_index("consent_record", "ix_consent_household"))
            .await
    }
}

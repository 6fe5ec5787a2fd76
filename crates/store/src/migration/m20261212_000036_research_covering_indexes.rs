//! Indexes that let the research export read what it needs of a household from indexes alone
//! (docs/benchmarks.md, "Research export", session 15):
//!
//! - `ix_parent_household (org_id, household_id)` gains `works`: the parents counted and
//!   whether one works;
//! - `ix_child_household (org_id, household_id)` gains `birth_year`, `birth_month`: the
//!   children's births;
//! - `ix_consent_purpose (org_id, purpose, household_id, at, id, given)` replaces
//!   `ix_consent_given (org_id, purpose, given, household_id)`: a purpose's records of an
//!   organisation in the order "the latest record decides" reads them, so the participants
//!   are counted in one pass over them (`Store::research_participants`), the households
//!   that ever said yes are still one range of it, and a household's latest record is its
//!   last entry there.
//!
//! The two widened indexes keep their names and their first columns, so every query that used
//! them still does. Measured on one organisation of 10,000 households of which 1,994 consent
//! (SQLite): a page of the export 23.6 → 13.5 ms.
//! Without the columns each household costs a look-up in each table, whose pages are read
//! from the disk cache again on every export.

use sea_orm_migration::prelude::*;

use super::schema::{drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// table, index, its columns now.
const WIDENED: [(&str, &str, &[&str]); 2] = [
    (
        "parent",
        "ix_parent_household",
        &["org_id", "household_id", "works"],
    ),
    (
        "child",
        "ix_child_household",
        &["org_id", "household_id", "birth_year", "birth_month"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, cols) in WIDENED {
            m.drop_index(drop_index(table, name)).await?;
            m.create_index(index(table, name, cols, false)).await?;
        }
        m.create_index(index(
            "consent_record",
            "ix_consent_purpose",
            &["org_id", "purpose", "household_id", "at", "id", "given"],
            false,
        ))
        .await?;
        m.drop_index(drop_index("consent_record", "ix_consent_given"))
            .await
    }
}

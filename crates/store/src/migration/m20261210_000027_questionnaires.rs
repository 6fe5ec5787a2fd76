//! The parents' own questionnaires (issue #19, docs/outcomes.md, `crate::questionnaires`).
//!
//! `questionnaire_round`: one measurement of one household on one day, and who put the answers
//! in (`mtp_domain::questionnaire::EnteredBy`: the parent in the portal, the worker from paper,
//! the worker with the parent). The neighbourhood is the household's, read through it.
//!
//! `questionnaire_answer`: the answer code of one item of a round (`Item::key`); a skipped item
//! has no row. Scores are never stored: they are computed from the codes.
//!
//! `organisation.questionnaire_months`: how often the team asks again, 3–6 months.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, text, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("questionnaire_round"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                // YYYY-MM-DD, the local day of the measurement.
                .col(text("taken_on"))
                // parent / worker_paper / worker_with_parent
                .col(text("entered_by"))
                .col(uuid_null("entered_by_account"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "questionnaire_round",
            "ix_questionnaire_round_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("questionnaire_answer"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("round_id"))
                .col(text("item_key"))
                .col(int("code"))
                .col(ts("answered_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("round_id", "questionnaire_round"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "questionnaire_answer",
            "ux_questionnaire_answer_item",
            &["round_id", "item_key"],
            true,
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("organisation"))
                .add_column(
                    ColumnDef::new(Alias::new("questionnaire_months"))
                        .integer()
                        .not_null()
                        .default(6),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

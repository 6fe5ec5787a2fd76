//! The neighbourhood scan and a new site's start (issue #19, docs/guide/scan.md).
//!
//! `scan_figures`: the CBS figures last imported for a neighbourhood (one row each, replaced
//! by a new import); `scan_informant`: the log of conversations with key informants;
//! `action_plan`: the short plan the scan leads to (one per neighbourhood); `start_step`: the
//! start-up checklist, one row per ticked step. Dates are local dates as text (YYYY-MM-DD),
//! like the other dates of this schema; tenths are whole numbers (27.3 → 273).

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, int_null, long_text, pk, text, text_null, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("scan_figures"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(int("year"))
                // The WK or BU code the figures are of, and its municipality (GM).
                .col(text("area_code"))
                .col(text("municipality"))
                .col(int_null("inhabitants"))
                .col(int_null("households"))
                .col(int_null("with_children"))
                .col(int_null("average_income_tenths"))
                .col(int_null("low_income_tenths"))
                .col(int_null("social_minimum_tenths"))
                .col(int_null("assistance"))
                .col(int_null("share_tenths"))
                .col(int_null("single_parent_estimate"))
                .col(ts("imported_at"))
                .col(uuid_null("imported_by"))
                .primary_key(&mut pk(&["org_id", "neighbourhood_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("scan_informant"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("name"))
                .col(text("organisation"))
                .col(uuid_null("partner_id"))
                .col(text("held_on"))
                .col(long_text("sees"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "scan_informant",
            "ix_scan_informant_nb",
            &["org_id", "neighbourhood_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("action_plan"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(long_text("goals"))
                .col(long_text("modules"))
                .col(long_text("location"))
                .col(long_text("partners"))
                .col(text_null("start_on"))
                .col(ts("updated_at"))
                .col(uuid_null("updated_by"))
                .primary_key(&mut pk(&["org_id", "neighbourhood_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("start_step"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                // mtp_domain::scan::StartStep::as_str
                .col(text("step"))
                .col(text("done_on"))
                // Who ticked it: the account, and its name as it was then.
                .col(uuid_null("done_by"))
                .col(text("done_by_name"))
                .primary_key(&mut pk(&["org_id", "neighbourhood_id", "step"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

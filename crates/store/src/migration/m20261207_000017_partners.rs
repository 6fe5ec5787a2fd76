//! Partner organisations (issue #16, docs/guide/partners.md): the warm network of handbook
//! §2.6 and §3.5. A partner belongs to one organisation and works in one or more of its
//! neighbourhoods; it has contact people and a log of the briefings given to it.
//!
//! A partner is never deleted, only marked (`deleted_at`): households and, later, referrals
//! keep pointing at it and keep its name. Dates are local dates as text (YYYY-MM-DD), like the
//! other dates of this schema.
//!
//! `account.partner_org_id` ties a partner account to its organisation and
//! `household.source_partner_id` records which partner a family came through; both are
//! nullable columns added without a foreign key (SQLite adds no constraint to an existing
//! table), so the store checks them against the tenant on every write.

use sea_orm_migration::prelude::*;

use super::schema::{fk, flag, id, index, long_text, pk, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("partner_org"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(text("name"))
                // school / youth_health_care / … (mtp_domain::partner::PartnerKind)
                .col(text("kind"))
                // What the partner does for us.
                .col(flag("refers_families"))
                .col(flag("offers_activity"))
                .col(flag("receives_referrals"))
                .col(long_text("note"))
                .col(text_null("last_contact"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .col(ts_null("deleted_at"))
                .col(uuid_null("deleted_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        // The list: one organisation's partners by name.
        m.create_index(index(
            "partner_org",
            "ix_partner_org_org_name",
            &["org_id", "name"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("partner_neighbourhood"))
                .col(id("org_id"))
                .col(id("partner_id"))
                .col(id("neighbourhood_id"))
                .primary_key(&mut pk(&["org_id", "partner_id", "neighbourhood_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        // A worker's partners: those working in one of their neighbourhoods.
        m.create_index(index(
            "partner_neighbourhood",
            "ix_partner_neighbourhood_nb",
            &["org_id", "neighbourhood_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("partner_contact"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("partner_id"))
                .col(text("name"))
                // What the person does at the partner ("intern begeleider"); may be empty.
                .col(text("role"))
                // E.164, like parents' numbers.
                .col(text_null("phone"))
                .col(text_null("email"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "partner_contact",
            "ix_partner_contact_partner",
            &["org_id", "partner_id"],
            false,
        ))
        .await?;

        // The publicity log of handbook §3.5: who told the partner about Meet the Parents,
        // when, and what was presented.
        m.create_table(
            Table::create()
                .table(Alias::new("partner_briefing"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("partner_id"))
                .col(text("given_on"))
                .col(id("given_by"))
                .col(long_text("presented"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .foreign_key(&mut fk("given_by", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "partner_briefing",
            "ix_partner_briefing_partner",
            &["org_id", "partner_id", "given_on"],
            false,
        ))
        .await?;

        // One column per statement: SQLite adds only one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(Alias::new("account"))
                .add_column(uuid_null("partner_org_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("household"))
                .add_column(uuid_null("source_partner_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

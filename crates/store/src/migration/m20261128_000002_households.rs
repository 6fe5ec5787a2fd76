//! Households, their parents and children, consent per purpose, and the household timeline.
//!
//! Every table carries `org_id`; households also their neighbourhood. Children are stored
//! with first name and birth year and month only: no more than needed (docs/design.md §4.2).

use sea_orm_migration::prelude::*;

use super::schema::{fk, flag, id, index, int, long_text, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("household"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("kind"))
                .col(text("status"))
                .col(ts("status_changed_at"))
                .col(text_null("status_reason"))
                .col(text_null("postcode4"))
                .col(text("source"))
                .col(text_null("source_partner"))
                .col(long_text("interests"))
                .col(long_text("talents"))
                .col(long_text("notes"))
                .col(ts("created_at"))
                .col(ts_null("anonymised_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "household",
            "ix_household_org_nb_status",
            &["org_id", "neighbourhood_id", "status"],
            false,
        ))
        .await?;
        // The list: one neighbourhood's households, newest first, a page at a time.
        m.create_index(index(
            "household",
            "ix_household_org_nb_created",
            &["org_id", "neighbourhood_id", "created_at", "id"],
            false,
        ))
        .await?;

        // Search: one row per word of a parent's name, phone number or e-mail address, folded
        // to lower-case ASCII. A prefix search is an index range scan on (org_id, token), the
        // same on SQLite and PostgreSQL, fast at 100,000 households.
        m.create_table(
            Table::create()
                .table(Alias::new("household_search"))
                .col(id("org_id"))
                .col(text("token"))
                .col(id("household_id"))
                .primary_key(
                    Index::create()
                        .col(Alias::new("org_id"))
                        .col(Alias::new("token"))
                        .col(Alias::new("household_id")),
                )
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "household_search",
            "ix_household_search_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("parent"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(int("position"))
                .col(text("first_name"))
                .col(text_null("last_name"))
                .col(text_null("phone"))
                .col(text_null("email"))
                .col(text("channel"))
                .col(text("languages"))
                .col(flag("works"))
                .col(text("free_days"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "parent",
            "ix_parent_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "parent",
            "ix_parent_phone",
            &["org_id", "phone"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("child"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(text("first_name"))
                .col(int("birth_year"))
                .col(int("birth_month"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "child",
            "ix_child_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("consent_record"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(text("purpose"))
                .col(flag("given"))
                .col(ts("at"))
                .col(text("method"))
                .col(text("text_version"))
                .col(uuid_null("recorded_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "consent_record",
            "ix_consent_household",
            &["org_id", "household_id", "purpose"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("household_event"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(ts("at"))
                .col(uuid_null("actor_id"))
                .col(text("kind"))
                .col(text("detail"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "household_event",
            "ix_household_event_household",
            &["org_id", "household_id", "at"],
            false,
        ))
        .await?;
        Ok(())
    }
}

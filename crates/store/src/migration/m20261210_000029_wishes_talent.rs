//! Wishes that become workshops and talent with a return service (issue #18, handbook §3.3).
//!
//! `wish`: what parents asked a worker for at the coffee hour, with how many asked, its theme
//! and, once made into one, the workshop; `wish_household`: the households who asked.
//! `idea_wish`: the theme a worker gave a parent's idea from the portal, and the workshop made
//! of it (the idea itself stays as the portal made it). `talent`: an investment in a parent (course, cost in cents,
//! budget) and the return service agreed for it; `talent_session`: the sessions where the
//! return service is given, always of the talent's own neighbourhood.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, pk, text, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("wish"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("theme"))
                .col(text("title"))
                .col(text("note"))
                .col(int("demand"))
                .col(uuid_null("activity_id"))
                .col(uuid_null("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "wish",
            "ix_wish_neighbourhood",
            &["org_id", "neighbourhood_id", "created_at"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("wish_household"))
                .col(id("org_id"))
                .col(id("wish_id"))
                .col(id("household_id"))
                .col(ts("created_at"))
                .primary_key(&mut pk(&["org_id", "wish_id", "household_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("idea_wish"))
                .col(id("org_id"))
                .col(id("idea_id"))
                .col(text("theme"))
                .col(uuid_null("activity_id"))
                .col(uuid_null("updated_by"))
                .col(ts("updated_at"))
                .primary_key(&mut pk(&["org_id", "idea_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("talent"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(id("household_id"))
                .col(id("parent_id"))
                .col(text("course"))
                .col(text("certificate"))
                .col(int("cost_cents"))
                // YYYY-MM-DD, the day of the investment.
                .col(text("invested_on"))
                .col(text("budget"))
                .col(text("service"))
                .col(int("sessions_agreed"))
                // agreed / in_progress / fulfilled / released
                .col(text("state"))
                .col(uuid_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "talent",
            "ix_talent_neighbourhood",
            &["org_id", "neighbourhood_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "talent",
            "ix_talent_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("talent_session"))
                .col(id("org_id"))
                .col(id("talent_id"))
                .col(id("session_id"))
                .col(ts("created_at"))
                .primary_key(&mut pk(&["org_id", "talent_id", "session_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await
    }
}

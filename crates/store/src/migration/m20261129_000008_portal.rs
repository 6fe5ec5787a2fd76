//! The parent portal: sign-in links and sessions for households (no passwords), parents'
//! ideas with anonymous votes, and requests from parents that a worker handles (erasure, a
//! new sign-in link asked for by phone number).
//!
//! Links and sessions keep only the SHA-256 of their token.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, pk, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("portal_link"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(text("token_hash"))
                // The worker who made it; none when the parent asked for it by e-mail.
                .col(uuid_null("created_by"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_link",
            "ux_portal_link_token",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "portal_link",
            "ix_portal_link_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("portal_session"))
                .col(text("token_hash").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("expires_at"))
                .col(ts_null("ended_at"))
                // A PIN for a shared phone: asked again after a quiet while.
                .col(text_null("pin_hash"))
                .col(int("pin_failures"))
                .col(ts_null("unlocked_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_session",
            "ix_portal_session_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("idea"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                // Never shown to other parents; the worker sees it.
                .col(id("household_id"))
                .col(text("kind"))
                .col(text("title"))
                .col(ts("created_at"))
                .col(ts_null("hidden_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idea",
            "ix_idea_neighbourhood",
            &["org_id", "neighbourhood_id", "created_at"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("idea_vote"))
                .col(id("org_id"))
                .col(id("idea_id"))
                .col(id("household_id"))
                .col(ts("created_at"))
                .primary_key(&mut pk(&["org_id", "idea_id", "household_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("portal_request"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(id("household_id"))
                // erasure / new_link
                .col(text("kind"))
                .col(ts("created_at"))
                .col(ts_null("done_at"))
                .col(uuid_null("done_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_request",
            "ix_portal_request_open",
            &["org_id", "neighbourhood_id", "done_at"],
            false,
        ))
        .await?;

        // A parent asks for a new link with an address or a number, without an organisation.
        m.create_index(index("parent", "ix_parent_email", &["email"], false))
            .await?;
        m.create_index(index("parent", "ix_parent_phone_any", &["phone"], false))
            .await?;
        Ok(())
    }
}

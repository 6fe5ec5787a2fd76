//! Encouragement before a session (handbook §3.3): the contact moments a worker logs from the
//! worklist; who is in a neighbourhood's chat group (joined, left and why), because leaving
//! the group puts a household on the worklist; and the announcements posted in the group,
//! because too many messages make people leave.
//!
//! As everywhere, `org_id` leads every key so a distributed PostgreSQL can shard by
//! organisation.

use sea_orm_migration::prelude::*;

use super::schema::{fk, flag, id, index, long_text, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The organisation's worklist thresholds, "3,6,4,3,6,30" (see `orgs.rs`); empty means
        // the handbook defaults.
        m.alter_table(
            Table::alter()
                .table(Alias::new("organisation"))
                .add_column(
                    ColumnDef::new(Alias::new("encourage"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("contact_moment"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                // The session the word was about; none for a contact outside the worklist.
                .col(uuid_null("session_id"))
                .col(uuid_null("actor_id"))
                .col(text("channel"))
                .col(text("outcome"))
                .col(text_null("reason"))
                .col(long_text("note"))
                // "Needs help": the follow-up task's date (YYYY-MM-DD) and when it was done.
                .col(text_null("follow_up_on"))
                .col(ts_null("follow_up_done_at"))
                .col(ts("at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "contact_moment",
            "ix_contact_household_at",
            &["org_id", "household_id", "at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "contact_moment",
            "ix_contact_session",
            &["org_id", "session_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("chat_membership"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(id("household_id"))
                .col(ts("joined_at"))
                .col(ts_null("left_at"))
                .col(text_null("left_reason"))
                .col(flag("moderator"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "chat_membership",
            "ix_chat_household",
            &["org_id", "household_id", "joined_at"],
            false,
        ))
        .await?;

        // A neighbourhood's own wording of a message; without a row the default is used.
        m.create_table(
            Table::create()
                .table(Alias::new("message_template"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("purpose"))
                .col(text("lang"))
                .col(long_text("text"))
                .col(uuid_null("updated_by"))
                .col(ts("updated_at"))
                .primary_key(&mut super::schema::pk(&[
                    "org_id",
                    "neighbourhood_id",
                    "purpose",
                    "lang",
                ]))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;

        // The announcements a worker posts in a neighbourhood's group, for the weekly budget.
        m.create_table(
            Table::create()
                .table(Alias::new("chat_post"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(uuid_null("actor_id"))
                .col(long_text("text"))
                .col(ts("at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "chat_post",
            "ix_chat_post_nb_at",
            &["org_id", "neighbourhood_id", "at"],
            false,
        ))
        .await?;
        Ok(())
    }
}

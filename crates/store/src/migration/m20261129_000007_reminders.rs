//! The job queue (reminder e-mails and personal e-mails a worker sends from the worklist) and
//! the one-click unsubscribe addresses.
//!
//! A job is claimed with a conditional UPDATE, so several app servers can work the same queue;
//! `dedupe_key` is unique per organisation, so the same reminder is never queued twice.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, long_text, pk, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("job"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(uuid_null("neighbourhood_id"))
                // No foreign keys to the household or the session: a merge or an erasure must
                // not be blocked by a queued message; the sender checks both again anyway.
                .col(uuid_null("household_id"))
                .col(uuid_null("session_id"))
                .col(text("kind"))
                .col(text("dedupe_key"))
                .col(long_text("payload"))
                // waiting / sending / sent / failed / cancelled
                .col(text("state"))
                .col(int("attempts"))
                .col(ts("run_at"))
                .col(text_null("locked_by"))
                .col(ts_null("locked_until"))
                // A short code (`smtp-connection`, `smtp-permanent-550`, `unsubscribed`), never
                // a server's text, which may quote an address.
                .col(text_null("last_error"))
                .col(text("message_id"))
                .col(ts("created_at"))
                .col(ts_null("sent_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "job",
            "ux_job_dedupe",
            &["org_id", "dedupe_key"],
            true,
        ))
        .await?;
        // The claim: due waiting jobs and expired leases, oldest first.
        m.create_index(index("job", "ix_job_due", &["state", "run_at"], false))
            .await?;
        // The reminders page: an organisation's jobs by time.
        m.create_index(index("job", "ix_job_org_run", &["org_id", "run_at"], false))
            .await?;

        // One secret unsubscribe address per household; only the token's hash is kept.
        m.create_table(
            Table::create()
                .table(Alias::new("email_unsubscribe"))
                .col(id("org_id"))
                .col(id("household_id"))
                .col(text("token_hash"))
                .col(ts("created_at"))
                .col(ts_null("unsubscribed_at"))
                .primary_key(&mut pk(&["org_id", "household_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "email_unsubscribe",
            "ux_email_unsubscribe_token",
            &["token_hash"],
            true,
        ))
        .await?;
        Ok(())
    }
}

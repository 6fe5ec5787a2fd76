//! Referrals to help and parents' quotes (issue #16, docs/guide/help-referrals.md).
//!
//! `help_referrals`: a worker refers a family on to help (handbook §2.2), with the parent's
//! consent recorded on the referral (how and on which day) and each step's date kept on its
//! row; `state` follows `mtp_domain::help_referral`. The neighbourhood is the household's, read
//! through it, so a family that moves takes its referrals along. `partner_id` points at a
//! partner organisation, which is only ever marked deleted, so the name stays.
//!
//! `parent_quotes`: what a parent said that may be used in publicity (handbook §3.5), and how
//! the parent wants to be named. Whether a quote may be used is not stored: it is read from
//! the household's consent for quotes every time, so a withdrawal hides it at once.
//!
//! Dates are local dates as text (YYYY-MM-DD), like the other dates of this schema.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, long_text, text, text_null, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("help_referrals"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(uuid_null("partner_id"))
                // debt_help / parenting_support / … (mtp_domain::help_referral::HelpKind)
                .col(text("kind"))
                .col(long_text("reason"))
                // proposed / consented / referred / first_contact / closed / stopped
                .col(text("state"))
                .col(text_null("outcome"))
                // The parent's consent: how (mtp_domain::consent::ConsentMethod) and when.
                .col(text_null("consent_method"))
                .col(text_null("consent_on"))
                .col(text_null("withdrawn_method"))
                .col(text_null("withdrawn_on"))
                .col(text_null("referred_on"))
                .col(text_null("first_contact_on"))
                .col(text_null("ended_on"))
                // Open referrals only; shown with the worker's open tasks.
                .col(text_null("follow_up_on"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "help_referrals",
            "ix_help_referrals_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        // The open tasks: open referrals by follow-up date.
        m.create_index(index(
            "help_referrals",
            "ix_help_referrals_follow_up",
            &["org_id", "follow_up_on"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("parent_quotes"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                // The parent who said it, for the first name; none when named by a phrase.
                .col(uuid_null("parent_id"))
                .col(long_text("text"))
                // first_name / phrase (mtp_domain::quote::Attribution)
                .col(text("attribution"))
                // "een moeder uit Almere Poort", as the parent chose it.
                .col(text("phrase"))
                .col(text("said_on"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "parent_quotes",
            "ix_parent_quotes_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        Ok(())
    }
}

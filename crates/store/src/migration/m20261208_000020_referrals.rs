//! Inbound referrals (issue #16, docs/guide/referrals.md): a partner account refers a parent;
//! the parent confirms on their own phone through a one-time link (only its hash is kept);
//! then a worker turns it into a household or joins it to one.
//!
//! The parent's details (`first_name`, `phone`, `email`, `need`) are emptied when the parent
//! declines, when the referral expires unconfirmed (30 days) and once it became a household
//! (the household holds them then); the row itself stays, so the partner's list and the
//! reports keep their history. A partner is only ever soft-deleted, so `partner_id` keeps
//! pointing at it.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, long_text, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("inbound_referral"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("partner_id"))
                .col(id("neighbourhood_id"))
                // The partner account that made it; `None` once that account is gone.
                .col(uuid_null("referred_by"))
                // waiting / confirmed / declined / expired / household
                // (mtp_domain::referral::ReferralState)
                .col(text("state"))
                .col(text_null("first_name"))
                // E.164, like parents' numbers; or an e-mail address. One of the two.
                .col(text_null("phone"))
                .col(text_null("email"))
                .col(long_text("need"))
                // The parent's one-time link: its hash only, and when it was made.
                .col(text_null("token_hash"))
                .col(ts_null("link_made_at"))
                .col(ts("created_at"))
                // When the state last changed: what the partner's list dates.
                .col(ts("changed_at"))
                .col(ts_null("confirmed_at"))
                .col(uuid_null("household_id"))
                .col(uuid_null("handled_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        // A partner's own list, newest first.
        m.create_index(index(
            "inbound_referral",
            "ix_inbound_referral_partner",
            &["org_id", "partner_id", "created_at"],
            false,
        ))
        .await?;
        // The team's list per neighbourhood, and the expiry sweep by state.
        m.create_index(index(
            "inbound_referral",
            "ix_inbound_referral_nb_state",
            &["org_id", "neighbourhood_id", "state"],
            false,
        ))
        .await?;
        m.create_index(index(
            "inbound_referral",
            "ix_inbound_referral_state_created",
            &["state", "created_at"],
            false,
        ))
        .await?;
        // The parent's link is looked up by its hash.
        m.create_index(index(
            "inbound_referral",
            "ux_inbound_referral_token",
            &["token_hash"],
            true,
        ))
        .await?;
        Ok(())
    }
}

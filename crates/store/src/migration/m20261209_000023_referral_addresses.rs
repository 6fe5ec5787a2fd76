//! Secret referral addresses (issue #16, docs/guide/referrals.md#a-referral-address): a
//! partner organisation without an account refers parents through a form behind a secret
//! address. One address per partner organisation (`partner_id` is unique); only its hash is
//! kept; a new address replaces the old one and revoking empties the hash, so an old address
//! finds nothing. The address row also counts its own uses in a window (the per-address
//! limit, one conditional UPDATE); `referral_limit` does the same per network address (its
//! key is a keyed hash: no IP address is stored). `address_referral` holds, for a referral
//! made through an address, the referrer's e-mail address the status goes back to.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, text, text_null, ts, ts_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("referral_address"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("partner_id"))
                // `None` once revoked.
                .col(text_null("token_hash"))
                .col(ts("made_at"))
                .col(uuid_null("made_by"))
                .col(ts_null("revoked_at"))
                // The per-address limit: uses since `window_start`.
                .col(ts("window_start"))
                .col(int("window_count"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("partner_id", "partner_org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "referral_address",
            "ux_referral_address_partner",
            &["partner_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "referral_address",
            "ux_referral_address_token",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("referral_limit"))
                .col(text("key_hash").primary_key())
                .col(ts("window_start"))
                .col(int("window_count"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("address_referral"))
                .col(id("referral_id").primary_key())
                .col(id("org_id"))
                .col(id("address_id"))
                // Where the status goes; emptied with the parent's details.
                .col(text_null("referrer_email"))
                .foreign_key(&mut fk("referral_id", "inbound_referral"))
                .foreign_key(&mut fk("address_id", "referral_address"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

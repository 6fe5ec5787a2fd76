//! The referrer's status mail on each change (issue #16, docs/guide/referrals.md#a-referral-address):
//! which status the referrer was last told of, so each change is mailed once, and the language
//! they used the form in, so the mail speaks it. The e-mail address itself is erased once the
//! last status is told (see `Store::referrer_status_changes`).

use sea_orm_migration::prelude::*;

use super::schema::text_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["mailed_status", "referrer_lang"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("address_referral"))
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

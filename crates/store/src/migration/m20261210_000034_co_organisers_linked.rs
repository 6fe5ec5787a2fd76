//! The activity's free-text co-organisers go (issue #18): parents who help organise are linked
//! households (`activity_organiser`, migration 000028). What the old text said is kept: it is
//! added to the end of the activity's description, under a line of its own, so nothing a
//! worker wrote is lost (docs/decisions.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The words before the kept text. In Dutch, as the field's label was for nearly every
/// organisation; the migration cannot know a reader's language.
pub const KEPT_LABEL: &str = "Ouders die meehelpen";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `||` joins text on both databases; the newlines are inside the literals.
        let sql = format!(
            "UPDATE activity SET description = CASE WHEN TRIM(description) = '' \
             THEN '{KEPT_LABEL}: ' || TRIM(co_organisers) \
             ELSE description || '\n\n{KEPT_LABEL}: ' || TRIM(co_organisers) END \
             WHERE TRIM(co_organisers) <> ''"
        );
        m.get_connection().execute_unprepared(&sql).await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("activity"))
                .drop_column(Alias::new("co_organisers"))
                .to_owned(),
        )
        .await
    }
}

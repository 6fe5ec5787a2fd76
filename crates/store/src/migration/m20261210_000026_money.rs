//! Time and money (issue #20, docs/guide/money.md): the budget per neighbourhood per year
//! (one row per line), the expenses as an append-only ledger (a correction is a new entry
//! that reverses the old one: `reverses` is unique, so an entry is reversed once at most),
//! receipts kept in the database and served only through an authorised page by their
//! random id, the workers' hours per week per category in minutes, and the third parties'
//! hours per month.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, index, int, long_text, pk, text, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cents(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .big_integer()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("budget_line"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(int("year"))
                .col(text("line"))
                .col(cents("amount_cents"))
                .col(cents("hours"))
                .col(cents("rate_cents"))
                .col(ts("updated_at"))
                .col(uuid_null("updated_by"))
                .primary_key(&mut pk(&["org_id", "neighbourhood_id", "year", "line"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("receipt"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("content_type"))
                .col(
                    ColumnDef::new(Alias::new("content"))
                        .blob()
                        .not_null()
                        .to_owned(),
                )
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("expense"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(int("year"))
                .col(text("line"))
                // YYYY-MM-DD, the day of the purchase.
                .col(text("spent_on"))
                // Negative only on a reversal.
                .col(cents("amount_cents"))
                .col(uuid_null("activity_id"))
                .col(uuid_null("session_id"))
                .col(text("supplier"))
                .col(long_text("note"))
                .col(uuid_null("receipt_id"))
                // The entry this one reverses.
                .col(uuid_null("reverses"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .foreign_key(&mut fk("receipt_id", "receipt"))
                .foreign_key(&mut fk("reverses", "expense"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "expense",
            "ix_expense_year",
            &["org_id", "neighbourhood_id", "year"],
            false,
        ))
        .await?;
        m.create_index(index(
            "expense",
            "ux_expense_reverses",
            &["org_id", "reverses"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("time_entry"))
                .col(id("org_id"))
                .col(id("account_id"))
                .col(id("neighbourhood_id"))
                // YYYY-MM-DD, the week's Monday.
                .col(text("week"))
                .col(text("category"))
                .col(int("minutes"))
                .col(ts("updated_at"))
                .col(uuid_null("updated_by"))
                .primary_key(&mut pk(&[
                    "org_id",
                    "account_id",
                    "neighbourhood_id",
                    "week",
                    "category",
                ]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("account_id", "account"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "time_entry",
            "ix_time_entry_week",
            &["org_id", "neighbourhood_id", "week"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("third_party_hours"))
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                // YYYY-MM.
                .col(text("month"))
                .col(int("minutes"))
                .col(ts("updated_at"))
                .col(uuid_null("updated_by"))
                .primary_key(&mut pk(&["org_id", "neighbourhood_id", "month"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

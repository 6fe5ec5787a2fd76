//! Outings and workshops get their own budget within the activity line (issue #20,
//! docs/guide/money.md, decision "One ledger for an outing's costs"):
//!
//! - `activity_budget`: an activity's own budget for a year, in cents, part of its
//!   neighbourhood's activity line.
//! - The costs booked on an outing (`outing_cost`, migration 000028) become entries of the
//!   expense ledger (line `activities`, that activity): the entry keeps the cost's id, day
//!   and author, and its description becomes the entry's note. The table gives way to a
//!   view of the same name and columns over the ledger (an outing's standing entries on the
//!   activity line), so nothing is kept, or counted, twice, and a reader of the old table
//!   finds every cost it had.

use sea_orm_migration::prelude::*;

use super::schema::{fk, id, int, pk, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("activity_budget"))
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(int("year"))
                .col(id("neighbourhood_id"))
                .col(
                    ColumnDef::new(Alias::new("amount_cents"))
                        .big_integer()
                        .not_null()
                        .to_owned(),
                )
                .col(ts("updated_at"))
                .col(uuid_null("updated_by"))
                .primary_key(&mut pk(&["org_id", "activity_id", "year"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        // The year is the first four characters of the day (YYYY-MM-DD), as `add_expense`
        // takes it from the date; a cost of nothing was never bookable and is left out.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO expense (id, org_id, neighbourhood_id, year, line, spent_on, \
                 amount_cents, activity_id, session_id, supplier, note, receipt_id, reverses, \
                 created_at, created_by) \
                 SELECT c.id, c.org_id, a.neighbourhood_id, \
                 CAST(SUBSTR(c.booked_on, 1, 4) AS INTEGER), 'activities', c.booked_on, \
                 c.cents, c.activity_id, NULL, '', c.description, NULL, NULL, c.created_at, \
                 c.booked_by \
                 FROM outing_cost c JOIN activity a ON a.id = c.activity_id \
                 AND a.org_id = c.org_id WHERE c.cents > 0",
            )
            .await?;
        m.drop_table(Table::drop().table(Alias::new("outing_cost")).to_owned())
            .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE VIEW outing_cost AS \
                 SELECT e.id, e.org_id, e.activity_id, e.note AS description, \
                 e.amount_cents AS cents, e.spent_on AS booked_on, e.created_by AS booked_by, \
                 e.created_at \
                 FROM expense e JOIN activity a ON a.id = e.activity_id AND a.org_id = e.org_id \
                 WHERE a.kind = 'outing' AND e.line = 'activities' AND e.reverses IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM expense r WHERE r.org_id = e.org_id \
                 AND r.reverses = e.id)",
            )
            .await?;
        Ok(())
    }
}

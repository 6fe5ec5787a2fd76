//! Outings, holiday activities and their organising parents (issue #18, docs/guide/outings.md).
//!
//! - `outing`: one row per activity of kind Outing: destination, meeting point, public
//!   transport, and the budget in integer cents (ticket per person, transport, subsidy) with
//!   what a family can pay, agreed with the group.
//! - `activity_organiser`: the parents (their households) who co-organise an outing or
//!   organise a holiday activity; households of the activity's neighbourhood only.
//! - `outing_ride`: who drives (a household of the neighbourhood or a named volunteer, with
//!   seats) and the families that need a lift.
//! - `outing_check`: the outing's checklist.
//! - `outing_cost`: the costs booked after the outing (a later budget feature links them).
//! - `org_holiday`: the organisation's list of holidays to organise something for. The
//!   built-in ones (Moederdag, Sinterklaas, …) need no row; a row with their `key` and
//!   `hidden` removes one; rows without a key are the organisation's own.
//! - `org_holiday_date`: the date of a holiday in a year, for those that move (Suikerfeest).

use sea_orm_migration::prelude::*;

use super::schema::{fk, flag, id, index, int, long_text, pk, text, text_null, ts, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("outing"))
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(long_text("destination"))
                .col(long_text("meeting_point"))
                .col(long_text("public_transport"))
                .col(int("ticket_cents"))
                .col(int("transport_cents"))
                .col(int("subsidy_cents"))
                .col(int("affordable_cents"))
                .col(ts("updated_at"))
                .primary_key(&mut pk(&["org_id", "activity_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("activity_organiser"))
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(id("household_id"))
                .col(ts("created_at"))
                .primary_key(&mut pk(&["org_id", "activity_id", "household_id"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "activity_organiser",
            "ix_activity_organiser_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("outing_ride"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("activity_id"))
                // "driver" or "lift".
                .col(text("kind"))
                .col(uuid_null("household_id"))
                // A driver who is not a parent of the neighbourhood (a volunteer, a worker).
                .col(text_null("name"))
                .col(int("seats"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outing_ride",
            "ix_outing_ride_activity",
            &["org_id", "activity_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("outing_check"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(long_text("label"))
                .col(flag("done"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outing_check",
            "ix_outing_check_activity",
            &["org_id", "activity_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("outing_cost"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(long_text("description"))
                .col(int("cents"))
                // YYYY-MM-DD, the day the cost was made.
                .col(text("booked_on"))
                .col(uuid_null("booked_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outing_cost",
            "ix_outing_cost_activity",
            &["org_id", "activity_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("org_holiday"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                // The built-in holiday this row hides; `None` for the organisation's own.
                .col(text_null("key"))
                .col(long_text("name"))
                // "MM-DD" for a fixed day, "" for a holiday whose date is entered per year.
                .col(text("fixed_day"))
                .col(flag("hidden"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "org_holiday",
            "ix_org_holiday_org",
            &["org_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("org_holiday_date"))
                .col(id("org_id"))
                // The built-in key ("suikerfeest") or the id of an own holiday.
                .col(text("holiday"))
                .col(int("year"))
                // YYYY-MM-DD.
                .col(text("day"))
                .primary_key(&mut pk(&["org_id", "holiday", "year"]))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

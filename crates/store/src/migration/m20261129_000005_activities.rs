//! Activities, their sessions (one row per occurrence, so attendance can hang on it),
//! registration for a whole series, RSVPs and attendance as separate facts, the host rota,
//! replay-safe check-ins and calendar feed tokens.
//!
//! Every table carries `org_id`, and every primary or unique key starts with it, so a
//! distributed PostgreSQL can shard by organisation.

use sea_orm_migration::prelude::*;

use super::schema::{
    fk, flag, id, index, int, int_null, long_text, pk, text, text_null, ts, ts_null, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("activity"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(text("kind"))
                .col(text("audience"))
                .col(text("name"))
                .col(long_text("description"))
                .col(text("place"))
                .col(text("address"))
                .col(long_text("accessibility"))
                .col(flag("near_school"))
                .col(int("cost_cents"))
                .col(int_null("capacity"))
                .col(flag("childcare"))
                .col(long_text("co_organisers"))
                .col(int("preparation_minutes"))
                .col(int("execution_minutes"))
                .col(int("wrap_up_minutes"))
                .col(ts("created_at"))
                .col(ts_null("archived_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "activity",
            "ix_activity_org_nb",
            &["org_id", "neighbourhood_id", "kind"],
            false,
        ))
        .await?;

        // The invitation list of a tailored activity (a workshop).
        m.create_table(
            Table::create()
                .table(Alias::new("activity_invite"))
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(id("household_id"))
                .col(ts("created_at"))
                .primary_key(&mut pk(&["org_id", "activity_id", "household_id"]))
                .foreign_key(&mut fk("activity_id", "activity"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("session"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("neighbourhood_id"))
                .col(id("activity_id"))
                // The local date the series planned it on (YYYY-MM-DD); a moved session keeps
                // it, so planning the series again never creates it twice.
                .col(text("series_date"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(text("state"))
                .col(flag("moved"))
                .col(long_text("note"))
                .col(text("checklist"))
                .col(int("preparation_minutes"))
                .col(int("execution_minutes"))
                .col(int("wrap_up_minutes"))
                .col(int("sequence"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "session",
            "ux_session_series_date",
            &["org_id", "activity_id", "series_date"],
            true,
        ))
        .await?;
        m.create_index(index(
            "session",
            "ix_session_activity_start",
            &["org_id", "activity_id", "starts_at"],
            false,
        ))
        .await?;
        // A neighbourhood's programme, by date.
        m.create_index(index(
            "session",
            "ix_session_nb_start",
            &["org_id", "neighbourhood_id", "starts_at"],
            false,
        ))
        .await?;

        // Registration for a whole series (or a one-off activity): on every session's list.
        m.create_table(
            Table::create()
                .table(Alias::new("registration"))
                .col(id("org_id"))
                .col(id("activity_id"))
                .col(id("household_id"))
                .col(text("state"))
                .col(ts("created_at"))
                .col(uuid_null("created_by"))
                .primary_key(&mut pk(&["org_id", "activity_id", "household_id"]))
                .foreign_key(&mut fk("activity_id", "activity"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "registration",
            "ix_registration_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        // Intent for one session: "I'm coming" / "I can't come".
        m.create_table(
            Table::create()
                .table(Alias::new("rsvp"))
                .col(id("org_id"))
                .col(id("session_id"))
                .col(id("household_id"))
                .col(flag("coming"))
                .col(text_null("reason"))
                .col(int("children"))
                .col(flag("childcare"))
                .col(ts("at"))
                .primary_key(&mut pk(&["org_id", "session_id", "household_id"]))
                .foreign_key(&mut fk("session_id", "session"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;

        // What happened: one row per household and session.
        m.create_table(
            Table::create()
                .table(Alias::new("attendance"))
                .col(id("org_id"))
                .col(id("session_id"))
                .col(id("household_id"))
                .col(text("status"))
                .col(text_null("reason"))
                .col(int("adults"))
                .col(int("children"))
                .col(flag("walk_in"))
                .col(uuid_null("recorded_by"))
                .col(ts("recorded_at"))
                .primary_key(&mut pk(&["org_id", "session_id", "household_id"]))
                .foreign_key(&mut fk("session_id", "session"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "attendance",
            "ix_attendance_household",
            &["org_id", "household_id", "session_id"],
            false,
        ))
        .await?;

        // Each tap at the door carries a key made on the device; a replay finds its key here
        // and changes nothing.
        m.create_table(
            Table::create()
                .table(Alias::new("checkin_key"))
                .col(id("org_id"))
                .col(text("key"))
                .col(id("session_id"))
                .col(id("household_id"))
                .col(text("action"))
                .col(ts("at"))
                .primary_key(&mut pk(&["org_id", "key"]))
                .foreign_key(&mut fk("session_id", "session"))
                .to_owned(),
        )
        .await?;

        // The rota: hosts and workers asked for a session, and their answer.
        m.create_table(
            Table::create()
                .table(Alias::new("session_staff"))
                .col(id("org_id"))
                .col(id("session_id"))
                .col(id("account_id"))
                .col(text("reply"))
                .col(ts("at"))
                .primary_key(&mut pk(&["org_id", "session_id", "account_id"]))
                .foreign_key(&mut fk("session_id", "session"))
                .foreign_key(&mut fk("account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "session_staff",
            "ix_session_staff_account",
            &["org_id", "account_id"],
            false,
        ))
        .await?;

        // A household's secret calendar address; only a hash of the token is kept.
        m.create_table(
            Table::create()
                .table(Alias::new("calendar_feed"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(id("household_id"))
                .col(text("token_hash"))
                .col(ts("created_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "calendar_feed",
            "ux_calendar_feed_token",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "calendar_feed",
            "ix_calendar_feed_household",
            &["org_id", "household_id"],
            false,
        ))
        .await?;

        // "Last attended" filters the household list and keeps active families out of the
        // retention job without a scan of all attendance.
        m.alter_table(
            Table::alter()
                .table(Alias::new("household"))
                .add_column(ts_null("last_attended_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "household",
            "ix_household_org_nb_attended",
            &["org_id", "neighbourhood_id", "last_attended_at"],
            false,
        ))
        .await?;
        Ok(())
    }
}

//! Tenants, accounts, sign-in sessions and the audit trail.
//!
//! Foreign keys are declared inline when the table is created: SQLite cannot add them later.

use sea_orm_migration::prelude::*;

use super::schema::{fk, flag, id, index, text, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("organisation"))
                .col(id("id").primary_key())
                .col(text("name"))
                .col(text("holiday_region"))
                .col(text("two_factor"))
                .col(
                    ColumnDef::new(Alias::new("retention_months"))
                        .integer()
                        .not_null(),
                )
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("neighbourhood"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(text("name"))
                .col(ColumnDef::new(Alias::new("cbs_code")).string().null())
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "neighbourhood",
            "ux_neighbourhood_org_name",
            &["org_id", "name"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("account"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(text("email"))
                .col(text("display_name"))
                .col(text("role"))
                .col(text("password_hash"))
                .col(ColumnDef::new(Alias::new("totp_secret")).string().null())
                .col(flag("totp_enabled"))
                // The last time step a code was accepted for: a code is good once.
                .col(
                    ColumnDef::new(Alias::new("totp_last_step"))
                        .big_integer()
                        .null(),
                )
                .col(flag("must_change_password"))
                .col(flag("disabled"))
                .col(text("lang"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .to_owned(),
        )
        .await?;
        // The one unique key without org_id: sign-in happens before we know the tenant, so an
        // e-mail address names one account across the whole installation (docs/decisions.md).
        // Primary keys are UUIDv7 and unique on their own.
        m.create_index(index("account", "ux_account_email", &["email"], true))
            .await?;
        m.create_index(index("account", "ix_account_org", &["org_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("account_neighbourhood"))
                .col(id("org_id"))
                .col(id("account_id"))
                .col(id("neighbourhood_id"))
                .primary_key(
                    Index::create()
                        .col(Alias::new("org_id"))
                        .col(Alias::new("account_id"))
                        .col(Alias::new("neighbourhood_id")),
                )
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("account_id", "account"))
                .foreign_key(&mut fk("neighbourhood_id", "neighbourhood"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("auth_session"))
                .col(text("token_hash").primary_key())
                .col(id("org_id"))
                .col(id("account_id"))
                .col(flag("second_factor_done"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("expires_at"))
                .foreign_key(&mut fk("org_id", "organisation"))
                .foreign_key(&mut fk("account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "auth_session",
            "ix_auth_session_account",
            &["org_id", "account_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("login_failure"))
                .col(id("id").primary_key())
                .col(text("key_hash"))
                .col(ts("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "login_failure",
            "ix_login_failure_key_at",
            &["key_hash", "at"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("audit_head"))
                .col(id("org_id").primary_key())
                .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null())
                .col(text("last_hash"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("audit_event"))
                .col(id("id").primary_key())
                .col(id("org_id"))
                .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null())
                .col(ts("at"))
                .col(ColumnDef::new(Alias::new("actor_id")).uuid().null())
                .col(text("actor_role"))
                .col(text("action"))
                .col(text("object_type"))
                .col(ColumnDef::new(Alias::new("object_id")).uuid().null())
                .col(ColumnDef::new(Alias::new("neighbourhood_id")).uuid().null())
                .col(text("outcome"))
                .col(text("detail"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "audit_event",
            "ux_audit_event_org_seq",
            &["org_id", "seq"],
            true,
        ))
        .await?;
        m.create_index(index(
            "audit_event",
            "ix_audit_event_org_at",
            &["org_id", "at"],
            false,
        ))
        .await?;

        append_only_audit(m).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("app_secret"))
                .col(text("name").primary_key())
                .col(text("value"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// Nobody edits or deletes audit events, not even through SQL typed by hand in the app's own
/// database account. This is one of the rare dialect splits: triggers have no portable form.
async fn append_only_audit(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    match m.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER audit_event_no_{op} BEFORE {op} ON audit_event \
                     BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
                ))
                .await?;
            }
        }
        _ => {
            db.execute_unprepared(
                "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event \
                 FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event \
                 FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
            )
            .await?;
        }
    }
    Ok(())
}

//! The audit trail for coordinators and administrators: read and filter, never edit. An
//! administrator reads the whole organisation's trail, a coordinator their part of it
//! (decision (aj)).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use mtp_domain::audit::Action;
use mtp_store::{AuditEntry, AuditFilter};
use serde::Deserialize;

use crate::AppState;
use crate::audit::{Subject, audit as record};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormErrors, unprocessable};
use crate::page::{Page, render_page};

const PAGE_SIZE: u64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: Option<i64>,
}

pub struct Row {
    pub at: String,
    pub who: String,
    pub role: String,
    pub action: String,
    pub object: String,
    pub denied: bool,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    p: Page,
    q: AuditQuery,
    rows: Vec<Row>,
    older_href: Option<String>,
    /// Only part of the organisation's trail is shown.
    scoped: bool,
}

/// A date from `<input type="date">` as the start of that day in Amsterdam.
fn day_start(raw: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| ())?;
    let local = d.and_hms_opt(0, 0, 0).ok_or(())?;
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|t| Some(t.with_timezone(&chrono::Utc)))
        .ok_or(())
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "audit-title");
    let t = p.t;
    let mut e = FormErrors::default();
    let from = day_start(&q.from).unwrap_or_else(|()| {
        e.add("from", t.get("error-date-invalid"));
        None
    });
    let until = day_start(&q.until)
        .map(|d| d.map(|d| d + chrono::Duration::days(1)))
        .unwrap_or_else(|()| {
            e.add("until", t.get("error-date-invalid"));
            None
        });
    let filter = AuditFilter {
        action: Some(q.action.trim().to_string()).filter(|a| !a.is_empty()),
        outcome: Some(q.outcome.clone()).filter(|o| o == "allowed" || o == "denied"),
        from,
        until,
        before_seq: q.before,
        ..AuditFilter::default()
    };
    let entries: Vec<AuditEntry> = if e.is_empty() {
        state
            .store
            .audit_entries_for(&user.tenant, user.account.id, &filter, PAGE_SIZE)
            .await?
    } else {
        Vec::new()
    };
    // Reading the trail is itself worth a line in it.
    record(
        &state,
        &user,
        Action::AuditViewed,
        Subject::none("audit"),
        "",
    )
    .await;
    let older_href = (entries.len() as u64 == PAGE_SIZE)
        .then(|| {
            entries.last().map(|last| {
                url::form_urlencoded::Serializer::new("/audit?".to_string())
                    .append_pair("action", &q.action)
                    .append_pair("outcome", &q.outcome)
                    .append_pair("from", &q.from)
                    .append_pair("until", &q.until)
                    .append_pair("before", &last.seq.to_string())
                    .finish()
            })
        })
        .flatten();
    let rows = entries
        .into_iter()
        .map(|a| Row {
            at: t.datetime(a.at),
            who: a.actor_name.unwrap_or_else(|| t.get("audit-nobody")),
            role: a.actor_role,
            object: match a.object_id {
                Some(id) => format!("{} {}", a.object_type, &id.to_string()[..8]),
                None => a.object_type,
            },
            denied: a.outcome == "denied",
            action: a.action,
            detail: a.detail,
        })
        .collect();
    let invalid = !e.is_empty();
    let res = render_page(&AuditPage {
        scoped: !user.tenant.role.sees_whole_organisation(),
        p: p.with_errors(e),
        q,
        rows,
        older_href,
    });
    Ok(if invalid { unprocessable(res) } else { res })
}

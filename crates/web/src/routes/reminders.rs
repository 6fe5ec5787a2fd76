//! Reminder e-mails and the mail queue: the page where workers and coordinators see what was
//! sent, what waits and what failed, and the public one-click unsubscribe address.
//!
//! Hosts never see this page: it shows which families get e-mail.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use mtp_domain::audit::{Action, Outcome};
use mtp_store::NewAuditEvent;
use mtp_store::jobs::{JobKind, JobState, UnsubscribeLink};

use crate::AppState;
use crate::audit::{Subject, audit};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Staff;
use crate::page::{Page, render_page};

pub struct Row {
    pub household_href: Option<String>,
    pub first_name: String,
    pub what: String,
    pub state: String,
    pub state_class: &'static str,
    pub attempts: i32,
    pub when: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "reminders.html")]
struct RemindersPage {
    p: Page,
    mail_configured: bool,
    rows: Vec<Row>,
}

/// `/reminders`: the messages of the past and the coming week.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "reminders-title");
    let t = p.t;
    let at = chrono::Utc::now();
    let jobs = state
        .store
        .mail_jobs(&user.tenant, at - Duration::days(7), at + Duration::days(8))
        .await?;
    audit(
        &state,
        &user,
        Action::RemindersViewed,
        Subject::none("mail_queue"),
        &jobs.len().to_string(),
    )
    .await;
    let rows = jobs
        .into_iter()
        .map(|j| {
            let what = match (j.kind, &j.activity_name, j.session_starts_at) {
                (JobKind::Reminder, Some(a), Some(s)) => format!("{a}, {}", t.datetime(s)),
                (JobKind::Reminder, _, _) => t.get("reminders-kind-reminder"),
                (JobKind::PersonalMail, _, _) => t.get("reminders-kind-personal"),
                (JobKind::ReferralMail, _, _) => t.get("reminders-kind-referral"),
            };
            let when = match (j.state, j.sent_at) {
                (JobState::Sent, Some(s)) => t.datetime(s),
                (JobState::Waiting, _) => t.datetime(j.run_at),
                _ => String::new(),
            };
            Row {
                household_href: j.household_id.map(|h| format!("/households/{h}")),
                first_name: j.first_name,
                what,
                state: t.label(&j.state),
                state_class: match j.state {
                    JobState::Sent => "tag--present",
                    JobState::Failed => "tag--absent",
                    JobState::Cancelled => "tag--neutral",
                    JobState::Waiting | JobState::Sending => "tag--info",
                },
                attempts: j.attempts,
                when,
                error: j.last_error.map(|e| error_text(&t, &e)).unwrap_or_default(),
            }
        })
        .collect();
    Ok(render_page(&RemindersPage {
        p,
        mail_configured: state.cfg.mail_configured,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    p: Page,
    token: String,
    org_name: String,
    done: bool,
}

async fn link(state: &AppState, token: &str) -> Result<UnsubscribeLink, AppError> {
    state
        .store
        .unsubscribe_link(token)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /unsubscribe/{token}`: asks to confirm, so a link scanner that opens every link in a
/// message does not unsubscribe anyone.
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let l = link(&state, &token).await?;
    let p = Page::new(&ctx, "unsubscribe-title");
    Ok(render_page(&UnsubscribePage {
        p,
        token,
        org_name: l.org_name,
        done: l.unsubscribed,
    }))
}

/// `POST /unsubscribe/{token}`: the confirm button, or a mail program's one-click
/// unsubscribe (RFC 8058, body `List-Unsubscribe=One-Click`, without a session). The secret
/// in the address is the credential, so the gate lets this one POST in without a CSRF token.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let l = state
        .store
        .unsubscribe(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    if !l.unsubscribed {
        // Already done earlier: still worth a line, without personal data.
        let _ = state
            .store
            .audit(NewAuditEvent {
                org_id: l.org_id,
                actor_id: None,
                actor_role: ctx.actor_role(),
                action: Action::HouseholdEmailUnsubscribeRepeated,
                object_type: "household".into(),
                object_id: Some(l.household_id),
                neighbourhood_id: Some(l.neighbourhood_id),
                outcome: Outcome::Allowed,
                detail: String::new(),
            })
            .await;
    }
    let p = Page::new(&ctx, "unsubscribe-title");
    Ok(render_page(&UnsubscribePage {
        p,
        token,
        org_name: l.org_name,
        done: true,
    })
    .into_response())
}

/// What went wrong with a message, in the reader's words (issue #22): never the short code
/// the queue keeps (`smtp-permanent-550`), which means nothing to a coordinator. A mail
/// server's status number is kept in the sentence, for whoever manages that server.
pub fn error_text(t: &crate::i18n::Tr, code: &str) -> String {
    let key = format!("reminders-error-{code}");
    if t.has(&key) {
        return t.get(&key);
    }
    for kind in ["smtp-permanent", "smtp-transient"] {
        if let Some(status) = code.strip_prefix(kind).and_then(|r| r.strip_prefix('-')) {
            let status: String = status
                .chars()
                .filter(char::is_ascii_digit)
                .take(3)
                .collect();
            return t.get1(format!("reminders-error-{kind}"), "status", status.as_str());
        }
    }
    t.get("reminders-error-other")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Tr;
    use mtp_domain::Language;

    /// Every code the queue and the mail sender write (`crates/store/src/jobs.rs`,
    /// `crates/mtp/src/mail.rs`).
    const CODES: [&str; 18] = [
        "household-gone",
        "no-consent",
        "not-coming",
        "session-cancelled",
        "session-gone",
        "session-started",
        "unknown-kind",
        "unsubscribed",
        "email-unsubscribed",
        "no-address",
        "channel-not-email",
        "bad-address",
        "bad-message",
        "smtp-permanent-550",
        "smtp-transient-421",
        "smtp-timeout",
        "smtp-tls",
        "smtp-connection",
    ];

    #[test]
    fn every_error_code_reads_as_a_sentence_in_both_languages() {
        for lang in [Language::Nl, Language::En] {
            let t = Tr::new(lang);
            for code in CODES {
                let text = error_text(&t, code);
                assert!(!text.contains(code), "{lang:?} {code}: {text}");
                assert!(text.ends_with('.'), "{lang:?} {code}: {text}");
            }
            assert!(error_text(&t, "smtp-permanent-550").contains("550"));
            assert_eq!(
                error_text(&t, "something-new"),
                t.get("reminders-error-other")
            );
        }
    }
}

//! The chat-group register of a neighbourhood (handbook §3.3): who is in the WhatsApp group
//! (only with the chat-group consent), who left and why, the moderators, and the announcements
//! the worker posts, with a weekly budget because too many messages make people leave. The
//! worker posts from their own phone through WhatsApp's share link; we never post ourselves.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Duration;
use mtp_domain::audit::Action;
use mtp_domain::message::{self, over_budget};
use mtp_store::{ChatMember, HouseholdName, Neighbourhood, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::pick_neighbourhood;
use crate::respond::redirect_with_flash;

/// Why a household left the group; `consent_withdrawn` is set by the consent gate itself.
const LEFT_REASONS: [&str; 4] = ["left_self", "too_many_messages", "moved", "other"];
/// The longest announcement: WhatsApp takes more, parents read less.
const MAX_POST: usize = 2000;

#[derive(Debug, Deserialize, Default)]
pub struct ChatQuery {
    #[serde(default)]
    nb: String,
}

pub struct MemberRow {
    pub id: Uuid,
    pub names: String,
    pub since: String,
    pub moderator: bool,
    pub left: String,
}

pub struct PostRow {
    pub at: String,
    pub text: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "chat.html")]
struct ChatPage {
    p: Page,
    neighbourhoods: Vec<Neighbourhood>,
    nb: Uuid,
    members: Vec<MemberRow>,
    left: Vec<MemberRow>,
    candidates: Vec<HouseholdName>,
    without_consent: usize,
    posts: Vec<PostRow>,
    budget_text: String,
    over: bool,
    reasons: Vec<(&'static str, String)>,
    text: String,
}

fn member_row(t: &Tr, m: &ChatMember) -> MemberRow {
    MemberRow {
        id: m.household_id,
        names: m.first_names.clone(),
        since: t.date(m.joined_at),
        moderator: m.moderator,
        left: match (m.left_at, &m.left_reason) {
            (Some(at), Some(r)) => format!("{} ({})", t.date(at), t.get(format!("chat-left-{r}"))),
            (Some(at), None) => t.date(at),
            _ => String::new(),
        },
    }
}

async fn chat_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    nb_raw: &str,
    errors: FormErrors,
    text: String,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (neighbourhoods, nb) = pick_neighbourhood(state, user, nb_raw).await?;
    let roster = state.store.chat_roster(&user.tenant, nb).await?;
    let (candidates, without_consent) = state.store.chat_candidates(&user.tenant, nb).await?;
    let posts = state
        .store
        .chat_posts(&user.tenant, nb, mtp_store::now() - Duration::days(7), 50)
        .await?;
    let budget = user.org.chat_budget.get();
    let n = u32::try_from(posts.len()).unwrap_or(u32::MAX);
    audit(
        state,
        user,
        Action::ChatRosterViewed,
        Subject::neighbourhood(nb),
        &format!("members={}", roster.len()),
    )
    .await;
    let (members, left): (Vec<MemberRow>, Vec<MemberRow>) = roster
        .iter()
        .map(|m| member_row(&t, m))
        .partition(|m| m.left.is_empty());
    Ok(render_page(&ChatPage {
        p: Page::new(ctx, "chat-title").with_errors(errors),
        neighbourhoods,
        nb,
        members,
        left,
        candidates,
        without_consent,
        budget_text: t.get2("chat-budget", ("posts", n), ("budget", budget)),
        over: over_budget(n, budget),
        posts: posts
            .into_iter()
            .map(|p| PostRow {
                at: t.datetime(p.at),
                share: message::whatsapp_share_link(&p.text),
                text: p.text,
            })
            .collect(),
        reasons: options(&t, LEFT_REASONS.map(|r| (r, format!("chat-left-{r}")))),
        text,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ChatQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    chat_page(
        &state,
        &ctx,
        &user,
        &q.nb,
        FormErrors::default(),
        String::new(),
    )
    .await
}

fn back(nb: Uuid) -> String {
    format!("/chat?nb={nb}")
}

/// Join, leave or (un)make a moderator: one form per member, the action in `do`.
pub async fn change(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (_, nb) = pick_neighbourhood(&state, &user, f.get("nb")).await?;
    let Ok(household) = Uuid::parse_str(f.get("household")) else {
        let mut e = FormErrors::default();
        e.add("household", t.get("chat-error-household"));
        return Ok(unprocessable(
            chat_page(&state, &ctx, &user, f.get("nb"), e, String::new()).await?,
        ));
    };
    let actor = Some(user.account.id);
    let event = |action| {
        audit_event(
            &user,
            action,
            Subject::of("household", household),
            &format!("neighbourhood={nb}"),
        )
    };
    let (result, flash) = match f.get("do") {
        "join" => (
            state
                .store
                .chat_join(
                    &user.tenant,
                    actor,
                    household,
                    f.has("moderator"),
                    Some(event(Action::ChatJoin)),
                )
                .await,
            "flash-chat-joined",
        ),
        "leave" => {
            let reason = f.get("reason");
            if !LEFT_REASONS.contains(&reason) {
                let mut e = FormErrors::default();
                e.add(&format!("m-{household}"), t.get("chat-error-reason"));
                return Ok(unprocessable(
                    chat_page(&state, &ctx, &user, f.get("nb"), e, String::new()).await?,
                ));
            }
            (
                state
                    .store
                    .chat_leave(
                        &user.tenant,
                        actor,
                        household,
                        reason,
                        Some(event(Action::ChatLeave)),
                    )
                    .await,
                "flash-chat-left",
            )
        }
        "moderator" => (
            state
                .store
                .chat_set_moderator(
                    &user.tenant,
                    household,
                    f.get("on") == "yes",
                    event(Action::ChatModerator),
                )
                .await,
            "flash-saved",
        ),
        _ => return Err(AppError::BadRequest),
    };
    match result {
        Ok(()) => {}
        Err(StoreError::Refused(key)) => {
            let mut e = FormErrors::default();
            e.add("household", t.get(key));
            return Ok(unprocessable(
                chat_page(&state, &ctx, &user, f.get("nb"), e, String::new()).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    }
    let name = state
        .store
        .household_first_names(&user.tenant, &[household])
        .await
        .unwrap_or_default()
        .join(" & ");
    Ok(redirect_with_flash(&state, &back(nb), flash, &name))
}

/// Log an announcement; the list below then offers the WhatsApp share link to post it.
pub async fn post(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (_, nb) = pick_neighbourhood(&state, &user, f.get("nb")).await?;
    let text = f.get("text").trim().to_string();
    let mut e = FormErrors::default();
    if text.is_empty() {
        e.add("text", t.get("chat-error-empty"));
    } else if text.chars().count() > MAX_POST {
        e.add("text", t.get("error-too-long"));
    }
    if !e.is_empty() {
        return Ok(unprocessable(
            chat_page(&state, &ctx, &user, f.get("nb"), e, text).await?,
        ));
    }
    state
        .store
        .chat_post(&user.tenant, Some(user.account.id), nb, &text)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("{}#posts", back(nb)),
        "flash-chat-posted",
        "",
    ))
}

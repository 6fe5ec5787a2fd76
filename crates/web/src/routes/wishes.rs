//! Wishes that become workshops (issue #18, docs/guide/wishes.md, handbook §3.3
//! "vraaggericht"): the parents' ideas from the portal and the wishes a worker noted at the
//! coffee hour, by theme, each with its demand; *Maak er een activiteit van* makes a workshop
//! that invites exactly the households that asked or voted. Workers and coordinators only.

use std::borrow::Cow;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use mtp_domain::activity::ActivityKind;
use mtp_domain::audit::Action;
use mtp_domain::wishes::{Theme, WishDraft, WishForm};
use mtp_store::wishes::{Wish, WishRef, WishSource};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::{Choice, Label, options};
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

impl Label for Theme {
    fn key(&self) -> Cow<'static, str> {
        Cow::Owned(format!("wish-theme-{}", self.as_str()))
    }
}

impl Choice for Theme {
    type Value = &'static str;
    fn value(&self) -> &'static str {
        self.as_str()
    }
}

/// A wish as a card shows it.
pub struct WishView {
    pub id: Uuid,
    pub idea: bool,
    pub theme: &'static str,
    pub title: String,
    pub note: String,
    /// "3 ouders vroegen erom" or "2 stemmen".
    pub demand: String,
    /// The first names of the households who asked, joined.
    pub asked: String,
    pub activity: Option<(Uuid, String)>,
    /// "2 van de 3 uitgenodigde gezinnen kwamen"; empty before the workshop.
    pub came: String,
}

fn view(t: &Tr, w: &Wish) -> WishView {
    WishView {
        id: w.id,
        idea: w.source == WishSource::Idea,
        theme: w.theme.as_str(),
        title: w.title.clone(),
        note: w.note.clone(),
        demand: match w.source {
            WishSource::Worker => t.get1("wish-demand", "count", w.demand),
            WishSource::Idea => t.get1("wish-votes", "count", w.demand),
        },
        asked: w
            .asked
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        activity: w.activity.clone(),
        came: if w.activity.is_some() {
            t.get2("wish-came", ("came", w.came), ("invited", w.invited))
        } else {
            String::new()
        },
    }
}

pub struct ThemeGroup {
    pub label: String,
    pub wishes: Vec<WishView>,
}

pub struct NeighbourhoodWishes {
    pub name: String,
    pub themes: Vec<ThemeGroup>,
}

fn by_theme(t: &Tr, wishes: &[Wish]) -> Vec<ThemeGroup> {
    Theme::ALL
        .iter()
        .filter_map(|theme| {
            let list: Vec<WishView> = wishes
                .iter()
                .filter(|w| w.theme == *theme)
                .map(|w| view(t, w))
                .collect();
            (!list.is_empty()).then(|| ThemeGroup {
                label: t.label(theme),
                wishes: list,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "wishes.html")]
struct ListPage {
    p: Page,
    neighbourhoods: Vec<NeighbourhoodWishes>,
    choices: Vec<(Uuid, String)>,
    themes: Vec<(&'static str, String)>,
    f: FormData,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "wishes-title").with_errors(errors);
    let t = p.t;
    let mut neighbourhoods = Vec::new();
    let mut choices = Vec::new();
    for nb in state.store.neighbourhoods(&user.tenant).await? {
        let wishes = state.store.wishes(&user.tenant, nb.id).await?;
        choices.push((nb.id, nb.name.clone()));
        neighbourhoods.push(NeighbourhoodWishes {
            name: nb.name,
            themes: by_theme(&t, &wishes),
        });
    }
    Ok(render_page(&ListPage {
        neighbourhoods,
        choices,
        themes: options(&t, Theme::ALL),
        f,
        p,
    }))
}

/// `GET /wishes`: the wishes of the user's neighbourhoods, by theme, and the form for a new
/// one. The page names the households who asked: who looked is on record.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    audit(
        &state,
        &user,
        Action::WishesViewed,
        Subject::none("wish"),
        "list",
    )
    .await;
    list_page(
        &state,
        &ctx,
        &user,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

/// `POST /wishes`: a wish noted at the coffee hour.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let nb = e.choice(&t, &f, "wish_neighbourhood", |id| {
        user.tenant.may_see_neighbourhood(user.org.id, id)
    });
    let draft = WishDraft::parse(&WishForm {
        theme: f.get("wish_theme"),
        title: f.get("wish_title"),
        demand: f.get("wish_demand"),
        note: f.get("wish_note"),
    });
    let draft = match draft {
        Ok(d) => Some(d),
        Err(errors) => {
            e.fields(&t, errors);
            None
        }
    };
    let (Some(nb), Some(draft)) = (nb, draft) else {
        return Ok(unprocessable(list_page(&state, &ctx, &user, f, e).await?));
    };
    let event = audit_event(
        &user,
        Action::WishAdded,
        Subject::none("wish"),
        draft.theme.as_str(),
    );
    let id = state
        .store
        .add_wish(&user.tenant, Some(user.account.id), nb, &draft, &[], event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/wishes/{id}"),
        "flash-wish-added",
        &draft.title,
    ))
}

#[derive(Template)]
#[template(path = "wish.html")]
struct WishPage {
    p: Page,
    w: WishView,
    households: Vec<(Uuid, String)>,
}

async fn wish_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    w: &Wish,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "wish-title").with_errors(errors);
    let t = p.t;
    let except: Vec<Uuid> = w.asked.iter().map(|(id, _)| *id).collect();
    let households = state
        .store
        .neighbourhood_households(&user.tenant, w.neighbourhood_id, &except, 80)
        .await?
        .into_iter()
        .map(|h| (h.id, h.full_names))
        .collect();
    Ok(render_page(&WishPage {
        w: view(&t, w),
        households,
        p,
    }))
}

/// `GET /wishes/{id}`: one wish, who asked, and the households to add.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let w = state.store.wish(&user.tenant, parse_id(&id)?).await?;
    audit(
        &state,
        &user,
        Action::WishesViewed,
        Subject::in_neighbourhood("wish", w.id, w.neighbourhood_id),
        "",
    )
    .await;
    wish_page(&state, &ctx, &user, &w, FormErrors::default()).await
}

/// `POST /wishes/{id}/households`: the households who asked, ticked.
pub async fn add_households(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let w = state.store.wish(&user.tenant, parse_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut ids = Vec::new();
    for raw in f.all("household") {
        match Uuid::parse_str(raw.trim()) {
            Ok(id) => ids.push(id),
            Err(_) => return Err(AppError::BadRequest),
        }
    }
    if ids.is_empty() {
        let mut e = FormErrors::default();
        e.add("household", t.get("error-required-wish_household"));
        return Ok(unprocessable(wish_page(&state, &ctx, &user, &w, e).await?));
    }
    let event = audit_event(
        &user,
        Action::WishHouseholdsAdded,
        Subject::none("wish"),
        "",
    );
    state
        .store
        .add_wish_households(&user.tenant, w.id, &ids, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/wishes/{}", w.id),
        "flash-saved",
        "",
    ))
}

async fn make(
    state: &AppState,
    user: &User,
    of: WishRef,
    action: Action,
) -> Result<Response, AppError> {
    let event = audit_event(user, action, Subject::none("activity"), "");
    let staff = user.org.staff_minutes.for_kind(ActivityKind::Workshop);
    let activity = state
        .store
        .make_workshop(&user.tenant, Some(user.account.id), of, staff, event)
        .await?;
    Ok(redirect_with_flash(
        state,
        &format!("/activities/{activity}"),
        "flash-wish-workshop",
        "",
    ))
}

/// `POST /wishes/{id}/activity`: *Maak er een activiteit van*.
pub async fn make_activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    make(&state, &user, WishRef::Wish(id), Action::WishMadeActivity).await
}

/// `POST /ideas/{id}/activity`: a parent's idea made into a workshop for those who voted.
pub async fn idea_activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    make(&state, &user, WishRef::Idea(id), Action::IdeaMadeActivity).await
}

/// `POST /ideas/{id}/theme`: put a parent's idea under a theme.
pub async fn idea_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    // Out of reach is 404 before the form is read.
    state.store.idea_neighbourhood(&user.tenant, id).await?;
    let t = Tr::new(ctx.lang);
    let theme = match Theme::parse(f.get("theme")) {
        Ok(theme) => theme,
        Err(err) => {
            let mut e = FormErrors::default();
            e.field(&t, "theme", err);
            return Ok(unprocessable(
                list_page(&state, &ctx, &user, FormData::default(), e).await?,
            ));
        }
    };
    let event = audit_event(&user, Action::IdeaThemeSet, Subject::none("idea"), "");
    state
        .store
        .set_idea_theme(&user.tenant, Some(user.account.id), id, theme, event)
        .await?;
    Ok(redirect_with_flash(&state, "/wishes", "flash-saved", ""))
}

//! The parents' help page (`/portal/help`, docs/guide/portal.md#help): what the portal lets a
//! parent do, each linked to the page where it is done, how to sign in again, what we keep and
//! whom to ask. Plain words for a parent on a cheap phone (docs/ui.md §3.7, docs/glossary.md,
//! "Parent pages"); the texts are the `portal-guide-…` keys of `portal_guide.ftl`, laid out as
//! the staff's guides are (`crate::routes::guide`).
//!
//! The page shows no family data, only the neighbourhood's contact person that the start page
//! shows too, so opening it is not audit-logged (like the activities and the ideas).

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Parent;
use crate::gate;
use crate::page::{Page, render_page};
use crate::routes::guide::{Section, SectionView, go, say, section_views};
use crate::routes::portal::{ContactView, contact_view};

/// The page, in order; the neighbourhood's contact person follows the last part ("Who can you
/// ask?"). Every link is a portal page; `/portal/login` is named, not linked, as it is for a
/// parent who is signed out.
const PARTS: &[Section] = &[
    Section {
        title: "portal-guide-do",
        steps: &[
            go(
                "portal-guide-activities",
                "/portal/activities",
                "portal-guide-go-activities",
            ),
            go(
                "portal-guide-calendar",
                "/portal/calendar",
                "portal-guide-go-calendar",
            ),
            go(
                "portal-guide-ideas",
                "/portal/ideas",
                "portal-guide-go-ideas",
            ),
            go(
                "portal-guide-consents",
                "/portal/consents",
                "portal-guide-go-consents",
            ),
            go("portal-guide-data", "/portal/data", "portal-guide-go-data"),
        ],
    },
    Section {
        title: "portal-guide-sign-in",
        steps: &[
            say("portal-guide-stay"),
            say("portal-guide-new-link"),
            say("portal-guide-link-once"),
            go("portal-guide-pin", "/portal/pin", "portal-guide-go-pin"),
        ],
    },
    Section {
        title: "portal-guide-privacy",
        steps: &[
            say("portal-guide-kept"),
            go("portal-guide-see", "/portal/data", "portal-guide-go-data"),
            go(
                "portal-guide-change-mind",
                "/portal/consents",
                "portal-guide-go-consents",
            ),
        ],
    },
    Section {
        title: "portal-guide-ask",
        steps: &[say("portal-guide-ask-worker"), say("portal-guide-ask-host")],
    },
];

#[derive(Template)]
#[template(path = "portal_guide.html")]
struct HelpPage {
    p: Page,
    sections: Vec<SectionView>,
    /// The neighbourhood's contact person, when one is set.
    contact: Option<ContactView>,
}

/// `GET /portal/help`.
pub async fn help(
    State(state): State<AppState>,
    ctx: Ctx,
    Parent(v): Parent,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "portal-guide-title");
    let sections = section_views(&p.t, PARTS, |href| {
        gate::parent_allows(v.locked, &Method::GET, href)
    });
    Ok(render_page(&HelpPage {
        contact: contact_view(&state, &v).await?,
        sections,
        p,
    }))
}

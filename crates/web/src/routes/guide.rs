//! The handbook inside the app (issue #19, docs/guide/help.md): a short guide per role —
//! worker, host, coordinator — in the app's own words, each step linked to the page where it
//! is done, and the worker's private reflection on the competencies of the handbook.
//!
//! The guides are texts in `guide.ftl` laid out by the tables below; a link is shown only when
//! the gate lets the reader's role open it, so a host reading the worker's guide is never sent
//! to a page that refuses them. The reflection is the signed-in account's own: the store
//! reads it by the session's account, never by an id from the request (docs/decisions.md).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use chrono::Utc;
use mtp_domain::audit::Action;
use mtp_domain::reflection::{COMPETENCIES, Rating, ReflectionDraft, field};
use mtp_domain::{FieldError, Role};

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::gate;
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::respond::redirect_with_flash;

/// One step of a guide: its text, and where in the app it is done.
pub(crate) struct Step {
    text: &'static str,
    /// The page (a route of the gate's table without parameters) and the link's words.
    link: Option<(&'static str, &'static str)>,
}

pub(crate) const fn say(text: &'static str) -> Step {
    Step { text, link: None }
}

pub(crate) const fn go(text: &'static str, href: &'static str, label: &'static str) -> Step {
    Step {
        text,
        link: Some((href, label)),
    }
}

/// A part of a guide: its heading and steps.
pub(crate) struct Section {
    pub(crate) title: &'static str,
    pub(crate) steps: &'static [Step],
}

/// The guides there are, in the order the help page lists them.
pub const GUIDES: [&str; 3] = ["worker", "host", "coordinator"];

const WORKER: &[Section] = &[
    Section {
        title: "guide-worker-core",
        steps: &[
            say("guide-worker-core-1"),
            say("guide-worker-core-2"),
            say("guide-worker-core-3"),
            say("guide-worker-core-4"),
            say("guide-worker-core-5"),
        ],
    },
    Section {
        title: "guide-worker-before",
        steps: &[
            go("guide-worker-before-1", "/encourage", "guide-go-encourage"),
            go("guide-worker-before-2", "/chat", "guide-go-chat"),
            go("guide-worker-before-3", "/sessions", "guide-go-sessions"),
            go("guide-worker-before-4", "/reminders", "guide-go-reminders"),
        ],
    },
    Section {
        title: "guide-worker-during",
        steps: &[
            go("guide-worker-during-1", "/sessions", "guide-go-sessions"),
            go("guide-worker-during-2", "/sessions", "guide-go-sessions"),
            say("guide-worker-during-3"),
            go("guide-worker-during-4", "/wishes", "guide-go-wishes"),
            go(
                "guide-worker-during-5",
                "/households",
                "guide-go-households",
            ),
        ],
    },
    Section {
        title: "guide-worker-after",
        steps: &[
            go("guide-worker-after-1", "/sessions", "guide-go-sessions"),
            go("guide-worker-after-2", "/encourage", "guide-go-encourage"),
            go("guide-worker-after-3", "/households", "guide-go-households"),
            go(
                "guide-worker-after-4",
                "/households/new",
                "guide-go-household-new",
            ),
            go("guide-worker-after-5", "/time", "guide-go-time"),
        ],
    },
    Section {
        title: "guide-worker-more",
        steps: &[
            go("guide-worker-more-1", "/chat", "guide-go-chat"),
            go("guide-worker-more-2", "/activities", "guide-go-activities"),
            go("guide-worker-more-3", "/talent", "guide-go-talent"),
            go("guide-worker-more-4", "/referrals/inbox", "guide-go-inbox"),
            go("guide-worker-more-5", "/partners", "guide-go-partners"),
        ],
    },
    Section {
        title: "guide-worker-skills",
        steps: &[go(
            "guide-worker-skills-1",
            "/help/reflection",
            "guide-go-reflection",
        )],
    },
];

const HOST: &[Section] = &[
    Section {
        title: "guide-host-role",
        steps: &[
            say("guide-host-role-1"),
            say("guide-host-role-2"),
            say("guide-host-role-3"),
        ],
    },
    Section {
        title: "guide-host-before",
        steps: &[
            go("guide-host-before-1", "/sessions", "guide-go-sessions"),
            say("guide-host-before-2"),
            say("guide-host-before-3"),
        ],
    },
    Section {
        title: "guide-host-during",
        steps: &[
            go("guide-host-during-1", "/sessions", "guide-go-checkin"),
            go("guide-host-during-2", "/households", "guide-go-first-names"),
            say("guide-host-during-3"),
        ],
    },
    Section {
        title: "guide-host-after",
        steps: &[say("guide-host-after-1"), say("guide-host-after-2")],
    },
];

const COORDINATOR: &[Section] = &[
    Section {
        title: "guide-coord-conditions",
        steps: &[
            say("guide-coord-conditions-1"),
            say("guide-coord-conditions-2"),
            go("guide-coord-conditions-3", "/partners", "guide-go-partners"),
            go(
                "guide-coord-conditions-4",
                "/publicity",
                "guide-go-publicity",
            ),
            go("guide-coord-conditions-5", "/audit", "guide-go-audit"),
        ],
    },
    Section {
        title: "guide-coord-start",
        steps: &[
            go(
                "guide-coord-start-1",
                "/admin/neighbourhoods",
                "guide-go-neighbourhoods",
            ),
            say("guide-coord-start-2"),
            go("guide-coord-start-3", "/activities", "guide-go-activities"),
        ],
    },
    Section {
        title: "guide-coord-team",
        steps: &[
            go("guide-coord-team-1", "/admin/accounts", "guide-go-accounts"),
            go("guide-coord-team-2", "/sessions", "guide-go-sessions"),
            say("guide-coord-team-3"),
        ],
    },
    Section {
        title: "guide-coord-money",
        steps: &[
            go("guide-coord-money-1", "/budget", "guide-go-budget"),
            go(
                "guide-coord-money-2",
                "/holiday-activities",
                "guide-go-holiday-activities",
            ),
        ],
    },
    Section {
        title: "guide-coord-results",
        steps: &[
            go("guide-coord-results-1", "/reports", "guide-go-reports"),
            go(
                "guide-coord-results-2",
                "/help-referrals",
                "guide-go-help-referrals",
            ),
        ],
    },
];

fn sections(guide: &str) -> Option<&'static [Section]> {
    match guide {
        "worker" => Some(WORKER),
        "host" => Some(HOST),
        "coordinator" => Some(COORDINATOR),
        _ => None,
    }
}

/// The guide a role reads first: administrators and coordinators the coordinator's.
pub fn guide_of(role: Role) -> &'static str {
    match role {
        Role::Worker => "worker",
        Role::Host => "host",
        _ => "coordinator",
    }
}

pub struct StepView {
    pub text: String,
    pub link: Option<(&'static str, String)>,
}

pub struct SectionView {
    pub title: String,
    pub steps: Vec<StepView>,
}

pub struct OtherGuide {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    p: Page,
    lead: String,
    sections: Vec<SectionView>,
    others: Vec<OtherGuide>,
    /// The reader's own guide: "this is yours" above it.
    own: bool,
}

/// A guide's sections in the reader's language; a step's link only where `open` says the
/// reader may open its page, so a guide never leads to a refusal.
pub(crate) fn section_views(
    t: &Tr,
    all: &[Section],
    open: impl Fn(&str) -> bool,
) -> Vec<SectionView> {
    all.iter()
        .map(|s| SectionView {
            title: t.get(s.title),
            steps: s
                .steps
                .iter()
                .map(|step| StepView {
                    text: t.get(step.text),
                    link: step
                        .link
                        .filter(|(href, _)| open(href))
                        .map(|(href, label)| (href, t.get(label))),
                })
                .collect(),
        })
        .collect()
}

fn guide_page(ctx: &Ctx, user: &User, guide: &'static str) -> Result<Response, AppError> {
    let all = sections(guide).ok_or(AppError::NotFound)?;
    let mut p = Page::new(ctx, "guide-title");
    let t = p.t;
    p.title = t.get(format!("guide-{guide}-title"));
    let role = user.role();
    let sections = section_views(&t, all, |href| gate::allows(role, &Method::GET, href));
    let others = GUIDES
        .iter()
        .filter(|g| **g != guide)
        .map(|g| OtherGuide {
            href: format!("/help/{g}"),
            label: t.get(format!("guide-{g}-title")),
        })
        .collect();
    Ok(render_page(&GuidePage {
        lead: t.get(format!("guide-{guide}-lead")),
        sections,
        others,
        own: guide_of(role) == guide,
        p,
    }))
}

/// `GET /help`: the guide of the reader's own role, and links to the others.
pub async fn mine(ctx: Ctx, Staff(user): Staff) -> Result<Response, AppError> {
    guide_page(&ctx, &user, guide_of(user.role()))
}

/// `GET /help/{role}`: one guide; every staff role may read each of them.
pub async fn one(
    ctx: Ctx,
    Staff(user): Staff,
    Path(guide): Path<String>,
) -> Result<Response, AppError> {
    let guide = GUIDES
        .iter()
        .copied()
        .find(|g| *g == guide)
        .ok_or(AppError::NotFound)?;
    guide_page(&ctx, &user, guide)
}

// ---------------------------------------------------------------- my reflection

pub struct SkillView {
    pub field: String,
    pub legend: String,
    pub hint: String,
}

pub struct PastRating {
    pub skill: String,
    pub rating: String,
    pub grow: bool,
}

pub struct PastReflection {
    pub when: String,
    pub ratings: Vec<PastRating>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "reflection.html")]
struct ReflectionPage {
    p: Page,
    skills: Vec<SkillView>,
    ratings: Vec<(&'static str, String)>,
    past: Vec<PastReflection>,
    f: FormData,
}

fn rating_label(t: &Tr, r: Rating) -> String {
    t.get(format!("guide-rating-{}", r.as_str()))
}

async fn reflection_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "guide-reflection-title").with_errors(errors);
    let t = p.t;
    let skills = COMPETENCIES
        .iter()
        .map(|c| SkillView {
            field: field(c),
            legend: format!("guide-skill-{c}"),
            hint: t.get(format!("guide-skill-{c}-hint")),
        })
        .collect();
    let ratings = Rating::ALL
        .iter()
        .map(|r| (r.as_str(), rating_label(&t, *r)))
        .collect();
    let past = state
        .store
        .my_reflections(&user.tenant, user.account.id)
        .await?
        .into_iter()
        .map(|r| PastReflection {
            when: t.date(r.created_at),
            ratings: r
                .ratings
                .iter()
                .map(|(c, rating)| PastRating {
                    skill: t.get(format!("guide-skill-{c}")),
                    rating: rating_label(&t, *rating),
                    grow: *rating == Rating::Grow,
                })
                .collect(),
            note: r.note,
        })
        .collect();
    Ok(render_page(&ReflectionPage {
        skills,
        ratings,
        past,
        f,
        p,
    }))
}

/// `GET /help/reflection`: the form, and the reader's own earlier reflections.
pub async fn reflection(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    reflection_page(
        &state,
        &ctx,
        &user,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

/// `POST /help/reflection`: save a reflection. The audit entry says one was saved, not what
/// it says.
pub async fn save_reflection(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let draft = match ReflectionDraft::parse(|k| f.get(k)) {
        Ok(d) => d,
        Err(errors) => {
            let mut e = FormErrors::default();
            for (name, err) in errors {
                let message = match name.strip_prefix("skill_") {
                    Some(c) => t.get1(
                        if err == FieldError::Required {
                            "guide-error-rating-required"
                        } else {
                            "guide-error-rating-invalid"
                        },
                        "skill",
                        t.get(format!("guide-skill-{c}")),
                    ),
                    None => t.get("guide-error-note-too-long"),
                };
                e.add(&name, message);
            }
            return Ok(unprocessable(
                reflection_page(&state, &ctx, &user, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::ReflectionSaved,
        Subject::account(user.account.id),
        "",
    );
    state
        .store
        .add_reflection(&user.tenant, user.account.id, &draft, Utc::now(), event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/help/reflection",
        "flash-reflection-saved",
        "",
    ))
}

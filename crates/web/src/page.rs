//! The page frame every template shares: language, navigation, CSRF token, notification.

use askama::Template;
use axum::http::Method;
use axum::response::{Html, IntoResponse, Response};
use mtp_domain::Role;

use crate::ctx::Ctx;
use crate::error::{AppError, ErrorPage};
use crate::forms::FormErrors;
use crate::gate;
use crate::i18n::Tr;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct LangSwitch {
    pub code: String,
    pub label: String,
    pub href: String,
    /// The page to come back to, for the signed-in form.
    pub next: String,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub t: Tr,
    pub lang: String,
    pub title: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub signed_in: bool,
    /// A parent in the portal: their own menu and sign-out.
    pub portal: bool,
    pub user_name: String,
    pub home_href: &'static str,
    /// The help link in the header, its address and words: staff whose role has a guide
    /// (docs/guide/help.md), parents in the portal their own page (docs/guide/portal.md#help).
    pub help: Option<(&'static str, &'static str)>,
    /// One link per other language we have, each in its own language ("English",
    /// "Nederlands").
    pub switches: Vec<LangSwitch>,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub asset_v: &'static str,
}

/// The navigation per role: at most five items (docs/ui.md §2.1), the pages each role works in most.
/// Which pages a role may open is the gate's to say: [`Page::new`] shows an item only when
/// `gate::allows` it, so a menu never offers a page the gate refuses.
fn nav_for(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/households", "nav-households"),
            ("/admin/accounts", "nav-accounts"),
            ("/admin/neighbourhoods", "nav-neighbourhoods"),
            ("/admin/organisation", "nav-organisation"),
            ("/audit", "nav-audit"),
        ],
        Role::Coordinator => &[
            ("/", "nav-home"),
            ("/households", "nav-households"),
            ("/activities", "nav-activities"),
            ("/admin/accounts", "nav-accounts"),
            ("/audit", "nav-audit"),
        ],
        // The WhatsApp group and the message texts are part of encouraging: the overview at
        // /encourage links them, which keeps the menu at five.
        Role::Worker => &[
            ("/", "nav-home"),
            ("/households", "nav-households"),
            ("/activities", "nav-activities"),
            ("/sessions", "nav-sessions"),
            ("/encourage", "nav-encourage"),
        ],
        Role::Host => &[
            ("/", "nav-home"),
            ("/sessions", "nav-sessions"),
            ("/households", "nav-households"),
        ],
        Role::Researcher => &[
            ("/", "nav-home"),
            ("/reports", "nav-reports"),
            ("/research", "nav-research"),
        ],
        Role::Partner => &[("/", "nav-home"), ("/referrals", "nav-referrals")],
    }
}

/// The parent's menu: four plain words, no jargon (docs/ui.md §3.7).
const PORTAL_NAV: &[(&str, &str)] = &[
    ("/portal", "portal-nav-home"),
    ("/portal/activities", "portal-nav-activities"),
    ("/portal/ideas", "portal-nav-ideas"),
    ("/portal/data", "portal-nav-data"),
];

/// The header's help link, shown only when the gate lets the reader open it: a phone still
/// locked by its PIN gets none.
fn help_link(ctx: &Ctx, in_portal: bool) -> Option<(&'static str, &'static str)> {
    let (href, label) = if in_portal {
        ("/portal/help", "portal-guide-link")
    } else {
        ("/help", "guide-help-link")
    };
    let open = match (&ctx.user, &ctx.parent) {
        (_, Some(parent)) if in_portal => gate::parent_allows(parent.locked, &Method::GET, href),
        (Some(u), _) if !in_portal => gate::allows(u.role(), &Method::GET, href),
        _ => false,
    };
    open.then_some((href, label))
}

impl Page {
    pub fn new(ctx: &Ctx, title_key: &str) -> Page {
        let t = Tr::new(ctx.lang);
        let in_portal = ctx.path.starts_with("/portal");
        let items: Vec<&(&'static str, &'static str)> = match (&ctx.user, &ctx.parent) {
            (_, Some(parent)) if in_portal => PORTAL_NAV
                .iter()
                .filter(|(href, _)| gate::parent_allows(parent.locked, &Method::GET, href))
                .collect(),
            (Some(u), _) if !in_portal => nav_for(u.role())
                .iter()
                .filter(|(href, _)| gate::allows(u.role(), &Method::GET, href))
                .collect(),
            _ => Vec::new(),
        };
        let nav = items
            .into_iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.get(key),
                current: ctx.path == *href
                    || (*href != "/" && *href != "/portal" && ctx.path.starts_with(href)),
            })
            .collect();
        let next: String = url::form_urlencoded::byte_serialize(ctx.path.as_bytes()).collect();
        let flash = ctx
            .flash
            .as_ref()
            .filter(|(k, _)| k.starts_with("flash-") && t.has(k))
            .map(|(k, arg)| t.get1(k, "name", arg));
        Page {
            title: t.get(title_key),
            lang: ctx.lang.as_str().to_string(),
            csrf: ctx.csrf.clone(),
            nav,
            signed_in: ctx.user.is_some() && !in_portal,
            portal: ctx.parent.is_some() && in_portal,
            user_name: match (&ctx.user, &ctx.parent) {
                (_, Some(parent)) if in_portal => parent.first_name.clone(),
                (Some(u), _) => u.account.display_name.clone(),
                _ => String::new(),
            },
            home_href: if in_portal { "/portal" } else { "/" },
            help: help_link(ctx, in_portal),
            switches: crate::i18n::languages()
                .iter()
                .filter(|l| **l != ctx.lang)
                .map(|l| LangSwitch {
                    code: l.as_str().to_string(),
                    label: Tr::new(*l).get("language-name"),
                    href: format!("/lang/{}?next={next}", l.as_str()),
                    next: ctx.path.clone(),
                })
                .collect(),
            flash,
            errors: FormErrors::default(),
            asset_v: crate::assets::version(),
            t,
        }
    }

    pub fn with_errors(mut self, errors: FormErrors) -> Page {
        self.errors = errors;
        self
    }

    /// `aria-describedby` for a field: its hint and its error message, when present.
    pub fn described_by(&self, id: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if self.errors.get(id).is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }

    pub fn err(&self, id: &str) -> Option<&str> {
        self.errors.get(id)
    }

    /// The `<title>`: "Fout: " first when the form has errors.
    pub fn full_title(&self) -> String {
        let service = self.t.get("service-name");
        if self.errors.is_empty() {
            format!("{} – {service}", self.title)
        } else {
            format!("{}: {} – {service}", self.t.get("error-prefix"), self.title)
        }
    }
}

pub fn render_page<T: Template>(tpl: &T) -> Response {
    match tpl.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    p: Page,
    body: String,
}

/// The friendly page for an error marker, in the user's language.
pub fn error_page(ctx: &Ctx, page: ErrorPage) -> Response {
    let key = page.0.key();
    let p = Page::new(ctx, &format!("{key}-title"));
    let body = p.t.get(format!("{key}-body"));
    let mut res = render_page(&ErrorTemplate { p, body }).into_response();
    *res.status_mut() = page.0.status();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The menus name only pages their role may open, so the gate's filter never has to drop
    /// an item (which would leave a role with a shorter menu than designed).
    #[test]
    fn every_menu_item_is_a_page_the_gate_lets_its_role_open() {
        for role in Role::ALL {
            for (href, _) in nav_for(role) {
                assert!(gate::allows(role, &Method::GET, href), "{role:?} {href}");
            }
        }
        for (href, _) in PORTAL_NAV {
            assert!(gate::parent_allows(false, &Method::GET, href), "{href}");
            assert!(!gate::parent_allows(true, &Method::GET, href), "{href}");
        }
    }
}

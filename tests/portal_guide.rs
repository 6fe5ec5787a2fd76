//! The parents' help page (`/portal/help`, docs/guide/portal.md#help): in plain Dutch and
//! English, every link a portal page the parent opens, the help link in the portal's header,
//! and nobody else let in.

use reqwest::StatusCode;

use crate::guide::main_links;
use crate::helpers::TestApp;
use crate::on_both;
use crate::portal::{link_for_a_family, sign_in_with_link};

/// The portal pages the help page sends a parent to: what each task is done on.
const LINKED: [&str; 6] = [
    "/portal/activities",
    "/portal/calendar",
    "/portal/ideas",
    "/portal/consents",
    "/portal/data",
    "/portal/pin",
];

/// The sequence number of the organisation's newest audit entry.
async fn last_entry(app: &TestApp, t: &mtp_domain::Tenant) -> Option<i64> {
    app.store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 1)
        .await
        .unwrap()
        .first()
        .map(|e| e.seq)
}

async fn a_parent_reads_the_help_page_and_every_link_opens(app: TestApp) {
    let logins = app.demo().await;
    let (t, token) = link_for_a_family(&app).await;
    let (mut c, _) = sign_in_with_link(&app, &token).await;

    // Every portal page has the help link in its header, in the parent's words.
    for page in ["/portal", "/portal/activities", "/portal/data"] {
        let body = c.get(page).await.body;
        assert!(
            body.contains("<a class=\"site-header__help\" href=\"/portal/help\">Hulp</a>"),
            "{page}: {body}"
        );
    }

    let before = last_entry(&app, &t).await;
    let page = c.get("/portal/help").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Only texts and the contact person: nothing of the family's is shown, so the visit is
    // not logged (docs/guide/portal.md#help).
    assert_eq!(last_entry(&app, &t).await, before);
    for text in [
        "<title>Hulp bij de app – Meet the Parents</title>",
        "Wat kun je in de app doen?",
        "Bij elke activiteit laat je weten of je komt.",
        "Een ja kun je altijd intrekken: kies dan Nee.",
        "Hoe log je opnieuw in?",
        "Een nieuwe link vraag je aan je contactpersoon.",
        "Een link werkt 7 dagen en maar één keer.",
        "Wie kun je iets vragen?",
        "gastvrouw of gastheer",
        // The demo neighbourhood's contact person, as on the start page.
        "Bel of app Fatima",
        "Wat doen we met je gegevens?",
        "Je kunt ook vragen of we het verwijderen.",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    let links = main_links(&page.body);
    for href in LINKED {
        assert!(links.iter().any(|l| l == href), "{href} in {links:?}");
    }
    for href in &links {
        let r = c.get(href).await;
        assert_eq!(r.status, StatusCode::OK, "the parent follows {href}");
    }

    // The same page in English, every link still open.
    c.get("/lang/en?next=/portal/help").await;
    let en = c.get("/portal/help").await;
    assert_eq!(en.status, StatusCode::OK);
    for text in [
        "<a class=\"site-header__help\" href=\"/portal/help\">Help</a>",
        "<title>Help with the app – Meet the Parents</title>",
        "What can you do in the app?",
        "You can always take back a yes: choose No.",
        "How do you sign in again?",
        "Ask your contact person for a new link.",
        "Who can you ask?",
        "At the coffee hour you can also ask the host.",
        "What do we do with your details?",
        "Go to my permissions",
    ] {
        assert!(en.body.contains(text), "{text}: {}", en.body);
    }
    assert!(!en.body.contains("Hulp bij de app"));
    for href in main_links(&en.body) {
        assert_eq!(c.get(&href).await.status, StatusCode::OK, "{href}");
    }

    // Staff and strangers are sent to the parents' sign-in, as the gate does for every
    // portal page; staff keep their own help link.
    let mut worker = app.client();
    worker.login(&logins["worker"]).await;
    let refused = worker.get("/portal/help").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location, "/portal/login");
    let home = worker.get("/").await;
    assert!(
        home.body
            .contains("<a class=\"site-header__help\" href=\"/help\">Hulp</a>"),
        "{}",
        home.body
    );
    let stranger = app.client().get("/portal/help").await;
    assert_eq!(stranger.status, StatusCode::SEE_OTHER);
    assert_eq!(stranger.location, "/portal/login");
    // The parents' sign-in page, signed out, has no help link: the help page needs a parent.
    let login = app.client().get("/portal/login").await;
    assert!(!login.body.contains("site-header__help"), "{}", login.body);
}
on_both!(
    portal_help,
    a_parent_reads_the_help_page_and_every_link_opens
);

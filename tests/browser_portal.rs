//! A parent on a phone (360×740) in headless Chromium: opens the link from WhatsApp, says
//! "I'm coming" to next week's coffee hour with two children, makes a calendar address,
//! withdraws the photo consent and downloads the family's data, then in English gives it
//! again and joins the research. The worker sees each at once. axe-core, reflow and the
//! weight budget on every page visited.

use fantoccini::{Client, Locator};
use mtp_domain::{HouseholdKind, Purpose};
use serde_json::Value;

use crate::browser::{axe_source, browser, check, click_and_wait, submit, text};
use crate::helpers::TestApp;
use crate::on_both;

async fn run(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// The parent portal pages stay within their own, tighter budget (docs/ui.md §3.7: < 15 KB).
async fn under_15_kb(c: &Client, label: &str) {
    let bytes = run(
        c,
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))\
         .reduce((n, e) => n + (e.transferSize || 0), 0);",
    )
    .await
    .as_u64()
    .unwrap_or(u64::MAX);
    assert!(bytes <= 15 * 1024, "{label} transferred {bytes} bytes");
}

/// The answer as the worker's session page has it: the parent's answer arrives at once.
async fn rsvp_seen_by_the_worker(
    app: &TestApp,
    t: &mtp_domain::Tenant,
    session: uuid::Uuid,
    family: uuid::Uuid,
) -> mtp_store::RsvpLine {
    app.store
        .session_detail(t, session)
        .await
        .unwrap()
        .lines
        .into_iter()
        .find(|l| l.household_id == family)
        .and_then(|l| l.rsvp)
        .expect("the worker sees the answer")
}

async fn a_parent_answers_subscribes_withdraws_and_downloads_on_a_phone(app: TestApp) {
    app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let family = crate::portal::family_on_the_list(&app, &t, session).await;
    let token = app
        .store
        .create_portal_link(&t, None, family, None)
        .await
        .unwrap();

    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{}/portal/link/{token}", app.base))
        .await
        .unwrap();
    check(&c, &src, "link page").await;
    submit(&c, &format!("/portal/link/{token}")).await;
    let home = text(&c).await;
    assert!(home.contains("Hallo "), "{home}");
    assert!(home.contains("Je bent ingelogd"), "{home}");
    check(&c, &src, "portal home").await;
    under_15_kb(&c, "portal home").await;

    // Next Wednesday's coffee hour from the list of activities: "Ik kom", two children.
    c.goto(&format!("{}/portal/activities", app.base))
        .await
        .unwrap();
    check(&c, &src, "activities").await;
    under_15_kb(&c, "activities").await;
    click_and_wait(
        &c,
        Locator::Css(&format!("a[href='/portal/sessions/{session}']")),
    )
    .await;
    let answer_page = text(&c).await;
    assert!(answer_page.contains("Kom je?"), "{answer_page}");
    assert!(answer_page.contains("Koffie-uurtje"), "{answer_page}");
    assert!(answer_page.contains("woensdag"), "{answer_page}");
    c.find(Locator::Css("label[for='answer']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    check(&c, &src, "answer page").await;
    c.find(Locator::Css("#children option[value='2']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(
        &c,
        Locator::Css("form[action^='/portal/sessions/'] button[type='submit']"),
    )
    .await;
    let answered = text(&c).await;
    assert!(answered.contains("Fijn dat je komt"), "{answered}");
    assert!(answered.contains("Kinderen die meekomen: 2"), "{answered}");
    check(&c, &src, "answered").await;
    let answered_session = session;
    let rsvp = rsvp_seen_by_the_worker(&app, &t, answered_session, family).await;
    assert!(rsvp.coming && rsvp.children == 2);

    // Subscribe to all: the calendar address, served as a real calendar.
    c.goto(&format!("{}/portal/calendar", app.base))
        .await
        .unwrap();
    check(&c, &src, "calendar").await;
    submit(&c, "/portal/calendar").await;
    let feed = run(
        &c,
        "return document.querySelector('a[href^=\"webcal://\"]').getAttribute('href');",
    )
    .await;
    let feed = feed
        .as_str()
        .unwrap_or_default()
        .replacen("webcal://", "http://", 1);
    assert!(feed.ends_with(".ics"), "{feed}");
    let ics = reqwest::get(&feed)
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(ics.contains(&answered_session.to_string()), "{ics}");
    check(&c, &src, "calendar address").await;

    // Withdraw the photo consent: question, check, confirmation.
    c.goto(&format!("{}/portal/consents", app.base))
        .await
        .unwrap();
    check(&c, &src, "consents").await;
    click_and_wait(&c, Locator::Css("a[href='/portal/consents/photos']")).await;
    check(&c, &src, "consent question").await;
    c.find(Locator::Css("label[for='given-no']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&c, "/portal/consents/photos").await;
    assert!(text(&c).await.contains("Klopt dit?"));
    check(&c, &src, "consent check").await;
    submit(&c, "/portal/consents/photos/confirm").await;
    assert!(text(&c).await.contains("Je keuze is opgeslagen"));
    check(&c, &src, "consent done").await;
    let records = app.store.household_consents(&t, family).await.unwrap();
    assert!(!mtp_domain::has_consent(&records, Purpose::Photos));

    // My data, and the download a real JSON reader opens.
    c.goto(&format!("{}/portal/data", app.base)).await.unwrap();
    check(&c, &src, "my data").await;
    let json = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch('/portal/data/download').then(r => r.json()).then(done).catch(e => done({error: String(e)}));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(json["household"]["id"], Value::String(family.to_string()));
    assert!(json["household"].get("notes").is_none());
    assert!(json["consents"].as_array().is_some_and(|a| !a.is_empty()));

    // The worker sees the download and the consent on the household's timeline.
    let h = app.store.household(&t, family).await.unwrap();
    assert!(h.events.iter().any(|e| e.kind == "data_downloaded"));
    assert!(
        h.events
            .iter()
            .any(|e| e.kind == "consent" && e.detail == "photos:withdrawn")
    );

    // Everything we know, readable on the phone: the first option, before the file.
    click_and_wait(&c, Locator::Css("a[href='/portal/data/all']")).await;
    let all = text(&c).await;
    assert!(all.contains("Wat we over je weten"), "{all}");
    assert!(all.contains("Wanneer je ja of nee zei"), "{all}");
    assert!(all.contains("Op foto's staan"), "{all}");
    plain(&all, "nl", "all my data");
    check(&c, &src, "all my data").await;
    under_15_kb(&c, "all my data").await;

    // Ask for erasure: what goes, what stays, who answers and when.
    c.goto(&format!("{}/portal/data/erase", app.base))
        .await
        .unwrap();
    let erase = text(&c).await;
    assert!(
        erase.contains("Wat blijft: alleen cijfers zonder naam."),
        "{erase}"
    );
    plain(&erase, "nl", "erasure");
    check(&c, &src, "erasure").await;
    submit(&c, "/portal/data/erase").await;
    let asked = text(&c).await;
    assert!(asked.contains("We hebben je vraag ontvangen"), "{asked}");
    assert!(asked.contains("binnen 2 weken"), "{asked}");
    check(&c, &src, "erasure asked").await;

    // English, switched from the footer, keeps the page; the same way once more.
    click_and_wait(&c, Locator::Css("a.lang-switch")).await;
    let asked_en = text(&c).await;
    assert!(
        asked_en.contains("Your contact person gets in touch with you within 2 weeks."),
        "{asked_en}"
    );
    plain(&asked_en, "en", "erasure asked in English");
    for (path, expect) in [
        ("/portal", "Hello"),
        ("/portal/consents", "Being in photos"),
        (
            "/portal/consents/research",
            "You may say no. You can still take part.",
        ),
        ("/portal/data", "My details"),
        ("/portal/data/all", "When you said yes or no"),
    ] {
        c.goto(&format!("{}{path}", app.base)).await.unwrap();
        let page = text(&c).await;
        assert!(page.contains(expect), "{path}: {page}");
        plain(&page, "en", path);
        check(&c, &src, path).await;
    }

    // In English a parent also changes their mind: photos again, and research for the first
    // time; each answer goes through the same question, check and confirmation.
    for (purpose, question, now) in [
        (
            "photos",
            "May we take photos with you or your children in them?",
            "You may be in photos. You can always change this again.",
        ),
        (
            "research",
            "Do you want to take part in research?",
            "You take part in research. Researchers never see your name.",
        ),
    ] {
        c.goto(&format!("{}/portal/consents", app.base))
            .await
            .unwrap();
        click_and_wait(
            &c,
            Locator::Css(&format!("a[href='/portal/consents/{purpose}']")),
        )
        .await;
        let asked = text(&c).await;
        assert!(asked.contains(question), "{purpose}: {asked}");
        assert!(asked.contains("You may say no. You can still take part."));
        plain(&asked, "en", purpose);
        c.find(Locator::Css("label[for='given']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        submit(&c, &format!("/portal/consents/{purpose}")).await;
        let checked = text(&c).await;
        assert!(checked.contains("Is this right?"), "{purpose}: {checked}");
        assert!(
            checked.contains("Yes, that is fine"),
            "{purpose}: {checked}"
        );
        check(&c, &src, "consent check in English").await;
        submit(&c, &format!("/portal/consents/{purpose}/confirm")).await;
        let done = text(&c).await;
        assert!(done.contains("Your choice is saved"), "{purpose}: {done}");
        assert!(done.contains(now), "{purpose}: {done}");
        plain(&done, "en", purpose);
        check(&c, &src, "consent done in English").await;
    }
    let records = app.store.household_consents(&t, family).await.unwrap();
    assert!(mtp_domain::has_consent(&records, Purpose::Photos));
    assert!(mtp_domain::has_consent(&records, Purpose::Research));
    let h = app.store.household(&t, family).await.unwrap();
    assert!(
        h.events
            .iter()
            .any(|e| e.kind == "consent" && e.detail == "research:given")
    );
}

/// The same journey for a parent who reads English: switch on the link page, before signing
/// in, and every page after it is English and plain.
async fn a_parent_signs_in_answers_and_asks_for_erasure_in_english(app: TestApp) {
    app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let family = app
        .store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .iter()
        .filter(|l| l.kind == HouseholdKind::SingleParent)
        .map(|l| l.household_id)
        .nth(1)
        .expect("a second family on the list");
    let token = app
        .store
        .create_portal_link(&t, None, family, None)
        .await
        .unwrap();

    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{}/portal/link/{token}", app.base))
        .await
        .unwrap();
    click_and_wait(&c, Locator::Css("a.lang-switch[lang='en']")).await;
    check(&c, &src, "link page in English").await;
    submit(&c, &format!("/portal/link/{token}")).await;
    let home = text(&c).await;
    assert!(home.contains("You are signed in. Welcome!"), "{home}");
    plain(&home, "en", "home");
    check(&c, &src, "home in English").await;

    c.goto(&format!("{}/portal/sessions/{session}", app.base))
        .await
        .unwrap();
    let asked = text(&c).await;
    assert!(asked.contains("Are you coming?"), "{asked}");
    plain(&asked, "en", "answer page");
    c.find(Locator::Css("label[for='answer']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#children option[value='1']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(
        &c,
        Locator::Css("form[action^='/portal/sessions/'] button[type='submit']"),
    )
    .await;
    let answered = text(&c).await;
    assert!(
        answered.contains("Great that you are coming!"),
        "{answered}"
    );
    assert!(
        answered.contains("Children coming with you: 1"),
        "{answered}"
    );
    plain(&answered, "en", "answered");
    check(&c, &src, "answered in English").await;
    let rsvp = rsvp_seen_by_the_worker(&app, &t, session, family).await;
    assert!(rsvp.coming && rsvp.children == 1);

    c.goto(&format!("{}/portal/data/erase", app.base))
        .await
        .unwrap();
    let erase = text(&c).await;
    assert!(
        erase.contains("What stays: only numbers without a name."),
        "{erase}"
    );
    plain(&erase, "en", "erasure");
    check(&c, &src, "erasure in English").await;
    submit(&c, "/portal/data/erase").await;
    let done = text(&c).await;
    assert!(done.contains("We have received your request"), "{done}");
    assert!(done.contains("within 2 weeks"), "{done}");
    plain(&done, "en", "erasure asked");
    let h = app.store.household(&t, family).await.unwrap();
    assert!(
        h.events
            .iter()
            .any(|e| e.kind == "portal_request" && e.detail == "erasure")
    );
}

/// A parent on a phone finds the help page from the header: plain words in both languages,
/// axe-clean, no sideways scrolling and within the portal's 15 KB (docs/guide/portal.md#help).
async fn a_parent_finds_help_in_the_header_on_a_phone(app: TestApp) {
    app.demo().await;
    let src = axe_source();
    let (_, token) = crate::portal::link_for_a_family(&app).await;
    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{}/portal/link/{token}", app.base))
        .await
        .unwrap();
    submit(&c, &format!("/portal/link/{token}")).await;
    check(&c, &src, "portal home with the help link").await;
    click_and_wait(&c, Locator::Css(".site-header__help")).await;
    let page = text(&c).await;
    assert!(page.contains("Hulp bij de app"), "{page}");
    assert!(page.contains("Hoe log je opnieuw in?"), "{page}");
    assert!(page.contains("Bel of app Fatima"), "{page}");
    plain(&page, "nl", "help");
    check(&c, &src, "help").await;
    under_15_kb(&c, "help").await;

    // From the help page to the consents, as a parent taps it.
    click_and_wait(&c, Locator::Css("main a[href='/portal/consents']")).await;
    assert!(text(&c).await.contains("Mijn toestemmingen"));

    c.goto(&format!("{}/portal/help", app.base)).await.unwrap();
    click_and_wait(&c, Locator::Css("a.lang-switch[lang='en']")).await;
    let en = text(&c).await;
    assert!(en.contains("Help with the app"), "{en}");
    assert!(
        en.contains("At the coffee hour you can also ask the host."),
        "{en}"
    );
    plain(&en, "en", "help in English");
    check(&c, &src, "help in English").await;
    under_15_kb(&c, "help in English").await;
    let _ = c.close().await;
}

/// No staff word on a page a parent reads (docs/glossary.md, "Parent pages"); the locale
/// test checks every parent text, this checks what a real page put together.
fn plain(page: &str, lang: &str, label: &str) {
    let staff: &[&str] = if lang == "nl" {
        &[
            "huishoud",
            "sessie",
            "RSVP",
            "Eenoudergezin",
            "optioneel",
            "kwartier",
            "AVG",
            "WCAG",
            "anonimis",
        ]
    } else {
        &[
            "household",
            "session",
            "RSVP",
            "optional",
            "GDPR",
            "WCAG",
            "anonymis",
            "e-mail",
        ]
    };
    for w in staff {
        assert!(!page.contains(w), "{label} says {w}: {page}");
    }
}
on_both!(
    parent_on_a_phone,
    a_parent_answers_subscribes_withdraws_and_downloads_on_a_phone
);
on_both!(
    parent_in_english,
    a_parent_signs_in_answers_and_asks_for_erasure_in_english
);
on_both!(parent_help, a_parent_finds_help_in_the_header_on_a_phone);

//! A worker encourages families before the coffee hour, on a phone (360×740) in headless
//! Chromium: the worklist with its reasons and one-tap WhatsApp links, an outcome saved in
//! the background, and the week's overview. axe-core, reflow and the weight budget on every
//! page visited.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{axe_source, browser, check, fill, submit, text, wait_for};
use crate::helpers::TestApp;
use crate::on_both;

/// `https://wa.me/316\d{8}\?text=…`: a Dutch mobile number in international digits, and a
/// prefilled message.
fn is_whatsapp_link(href: &str) -> bool {
    href.strip_prefix("https://wa.me/316")
        .and_then(|rest| rest.get(..8).zip(rest.get(8..)))
        .is_some_and(|(digits, rest)| {
            digits.chars().all(|c| c.is_ascii_digit()) && rest.starts_with("?text=")
        })
}

async fn run(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn a_worker_encourages_families_on_a_phone(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (_, session) = app.coffee_hour().await;
    let t = app.org("Almere").await;
    let before = app
        .store
        .worklist(
            &t,
            session,
            chrono::Utc::now()
                .with_timezone(&mtp_domain::schedule::TZ)
                .date_naive(),
            &mtp_domain::encourage::Thresholds::default(),
        )
        .await
        .unwrap();
    let total = before.cards.len();

    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    fill(&c, "email", &logins["worker"].email).await;
    fill(&c, "password", &logins["worker"].password).await;
    submit(&c, "/login").await;
    assert!(text(&c).await.contains("Welkom, Fatima"));
    check(&c, &src, "home").await;

    // The next coffee hour's worklist: reasons on the cards, one tap to WhatsApp.
    c.goto(&format!("{}/sessions/{session}/encourage", app.base))
        .await
        .unwrap();
    let page = text(&c).await;
    assert!(page.contains("Aanmoedigen voor"), "{page}");
    assert!(page.contains("3 keer op rij niet gekomen"), "{page}");
    assert!(page.contains("Vorige keer gekomen"));
    assert!(page.contains(&format!("0 van {total} gedaan")));
    let links = run(
        &c,
        "return Array.from(document.querySelectorAll('a[href^=\"https://wa.me/\"]')).map(a => a.href);",
    )
    .await;
    let links: Vec<String> = serde_json::from_value(links).unwrap_or_default();
    assert!(!links.is_empty(), "the worklist has WhatsApp buttons");
    for href in &links {
        assert!(is_whatsapp_link(href), "{href}");
    }
    check(&c, &src, "worklist").await;

    // Save "Komt" on the first card: it goes to "Gedaan", the progress says so, and the
    // focus is on the next card's heading.
    let first = before.cards[0].household_id;
    let second = before.cards[1].household_id;
    c.find(Locator::Css(&format!("label[for='o-{first}-coming']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&c, &format!("note-{first}"), "Komt met de kleine mee.").await;
    run(&c, "window.__mtpSamePage = true;").await;
    c.find(Locator::Css(&format!(
        "#h-{first} form.encourage-form button[type='submit']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for(
        &c,
        &format!(
            "const card = document.getElementById('h-{first}');\
             return !!card.closest('.encourage-done') && !card.closest('.encourage-done').hidden;"
        ),
        10,
        "the card in Gedaan",
    )
    .await;
    assert_eq!(
        run(&c, "return window.__mtpSamePage === true;").await,
        Value::Bool(true),
        "saved in the background, no page load"
    );
    assert_eq!(
        run(&c, "return document.querySelector('.encourage-done').open;").await,
        Value::Bool(false),
        "the Gedaan section stays collapsed"
    );
    let focused = run(
        &c,
        "const el = document.activeElement; return el.tagName + ' ' + (el.closest('li') || {}).id;",
    )
    .await;
    assert_eq!(focused, Value::String(format!("H2 h-{second}")));
    let status = c
        .find(Locator::Id("encourage-progress"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(
        status.contains(&format!("1 van {total} gedaan")) && status.contains("Opgeslagen voor"),
        "{status}"
    );
    let summary = run(
        &c,
        "return document.querySelector('.encourage-done summary').textContent;",
    )
    .await;
    assert_eq!(summary, Value::String("Gedaan (1)".into()));
    let saved = app
        .store
        .worklist(
            &t,
            session,
            chrono::Utc::now()
                .with_timezone(&mtp_domain::schedule::TZ)
                .date_naive(),
            &mtp_domain::encourage::Thresholds::default(),
        )
        .await
        .unwrap();
    let card = saved
        .cards
        .iter()
        .find(|c| c.household_id == first)
        .expect("still on the list");
    assert_eq!(
        card.outcome,
        Some(mtp_domain::message::ContactOutcome::Coming)
    );
    assert_eq!(card.last_note.as_deref(), Some("Komt met de kleine mee."));
    check(&c, &src, "worklist after saving").await;

    // A reload shows the same: the server has it.
    c.refresh().await.unwrap();
    let page = text(&c).await;
    assert!(page.contains(&format!("1 van {total} gedaan")), "{page}");

    // The week's overview.
    c.goto(&format!("{}/encourage", app.base)).await.unwrap();
    let page = text(&c).await;
    assert!(page.contains("Aanmoedigen deze week"), "{page}");
    assert!(page.contains("Open taken"));
    assert!(page.contains("Zoekt hulp bij het aanvragen van toeslag."));
    let in_week = (before.s.starts_at - chrono::Utc::now()) < chrono::Duration::days(7);
    if in_week {
        assert!(page.contains(&format!("1 van {total} gedaan")), "{page}");
    }
    check(&c, &src, "weekly overview").await;
    let _ = c.close().await;
}
on_both!(
    worker_encourages_on_a_phone,
    a_worker_encourages_families_on_a_phone
);

#[test]
fn the_whatsapp_check_is_as_strict_as_the_pattern() {
    assert!(is_whatsapp_link(
        "https://wa.me/31600000012?text=Hoi%20Sanne"
    ));
    assert!(!is_whatsapp_link("https://wa.me/3160000001?text=Hoi"));
    assert!(!is_whatsapp_link("https://wa.me/31200000012?text=Hoi"));
    assert!(!is_whatsapp_link("https://wa.me/31600000012"));
    assert!(!is_whatsapp_link("https://wa.me/3160000a012?text=Hoi"));
}

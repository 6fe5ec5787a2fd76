//! The guides and the reflection on a worker's phone (360×740) in headless Chromium (issue
//! #19, docs/guide/help.md): the help link in the header, the worker's guide, the
//! coordinator's, the reflection form, its error state and the saved reflection — every page
//! axe-clean, without sideways scrolling and within the page weight (docs/ui.md §7).

use fantoccini::Locator;

use crate::browser::{
    axe_source, browser, check, click_and_wait, fill, sign_in, submit, tap, text,
};
use crate::helpers::TestApp;
use crate::on_both;

async fn the_guides_and_the_reflection_pass_axe_on_a_phone(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["worker"]).await;

    // The help link in the header opens the worker's own guide.
    check(&c, &src, "home with the help link").await;
    click_and_wait(&c, Locator::Css(".site-header__help")).await;
    let page = text(&c).await;
    assert!(page.contains("Gids voor de werker"), "{page}");
    assert!(page.contains("Voor het koffie-uurtje"));
    check(&c, &src, "worker guide").await;

    c.goto(&format!("{}/help/coordinator", app.base))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Gids voor de coördinator"));
    check(&c, &src, "coordinator guide").await;

    c.goto(&format!("{}/help/reflection", app.base))
        .await
        .unwrap();
    let page = text(&c).await;
    assert!(page.contains("Alleen jij ziet je reflectie."), "{page}");
    assert!(page.contains("Vaker bellen als iemand twee keer niet kwam."));
    check(&c, &src, "reflection").await;
    // Sent without ratings: every competency is named.
    submit(&c, "/help/reflection").await;
    let page = text(&c).await;
    assert!(page.contains("Luisteren: kies of het goed gaat"), "{page}");
    check(&c, &src, "reflection with errors").await;
    for skill in mtp_domain::reflection::COMPETENCIES {
        tap(&c, &format!("label[for='skill_{skill}']")).await;
    }
    fill(&c, "note", "Goed geluisterd deze week").await;
    submit(&c, "/help/reflection").await;
    let page = text(&c).await;
    assert!(page.contains("Je reflectie is opgeslagen."), "{page}");
    assert!(page.contains("Goed geluisterd deze week"));
    check(&c, &src, "reflection saved").await;
    let _ = c.close().await;
}
on_both!(
    guide_a11y,
    the_guides_and_the_reflection_pass_axe_on_a_phone
);

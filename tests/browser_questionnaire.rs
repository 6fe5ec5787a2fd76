//! A parent on a phone (360×740) in headless Chromium answers the questionnaire in the portal
//! (issue #19): "why we ask" first, one question per page with big answer buttons, a few
//! skipped, then their own answers over time as a chart with its table. axe-core, reflow and
//! the weight budget on every kind of page visited.

use fantoccini::Locator;
use mtp_domain::questionnaire::all_items;

use crate::browser::{axe_source, browser, check, click_and_wait, submit, text};
use crate::helpers::TestApp;
use crate::on_both;

async fn a_parent_answers_the_questionnaire_on_a_phone(app: TestApp) {
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
    submit(&c, &format!("/portal/link/{token}")).await;
    click_and_wait(&c, Locator::Css("a[href='/portal/questionnaire']")).await;
    let why = text(&c).await;
    assert!(why.contains("Waarom vragen we dit?"), "{why}");
    check(&c, &src, "why we ask").await;
    submit(&c, "/portal/questionnaire").await;

    for (i, (_, item)) in all_items().iter().enumerate() {
        let page = text(&c).await;
        assert!(page.contains(item.nl), "{}: {page}", item.key);
        // One page of each kind: a question with long answers, the loneliness scale, the
        // support options, the days and the grades.
        if matches!(
            item.key,
            "health" | "djg1" | "osss1" | "active_days" | "body"
        ) {
            check(&c, &src, item.key).await;
        }
        let button = if i % 5 == 4 {
            "button[value='skip']".to_string()
        } else {
            let (lo, _) = item.scale.range();
            format!("button[name='code'][value='{}']", lo + 1)
        };
        click_and_wait(&c, Locator::Css(&button)).await;
    }
    let done = text(&c).await;
    assert!(done.contains("Dank je wel"), "{done}");
    check(&c, &src, "done").await;

    click_and_wait(&c, Locator::Css("a.button[href='/portal/questionnaire']")).await;
    let mine = text(&c).await;
    assert!(mine.contains("Je antwoorden tot nu toe"), "{mine}");
    assert!(mine.contains("de ouder zelf, online"), "{mine}");
    assert!(
        c.find(Locator::Css("figure svg")).await.is_ok(),
        "the chart is drawn"
    );
    check(&c, &src, "answers over time").await;

    // Stored: what was tapped, not the skipped ones.
    let scope = app.parent_scope(&t, family).await;
    let rounds = app.store.portal_rounds(&scope).await.unwrap();
    let answered = rounds
        .iter()
        .find(|r| r.entered_by == mtp_domain::questionnaire::EnteredBy::Parent)
        .map(|r| r.answers.0.len())
        .unwrap_or(0);
    let total = all_items().len();
    assert_eq!(answered, total - total / 5);
}
on_both!(
    parent_questionnaire_on_a_phone,
    a_parent_answers_the_questionnaire_on_a_phone
);

//! Issue #18 in Chromium at phone width (360×740): the worker opens the past outing (who came,
//! the costs booked, transport) and the coming one, sends the outing form with a mistake, and
//! the coordinator opens the past outing with its own budget and the holiday list. axe-core, reflow and the weight budget on every
//! page visited.

use fantoccini::{Client, Locator};
use uuid::Uuid;

use crate::browser::{axe_source, browser, check, click_and_wait, fill, submit, text};
use crate::helpers::{Login, TestApp};
use crate::on_both;

async fn sign_in(c: &Client, base: &str, l: &Login) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "email", &l.email).await;
    fill(c, "password", &l.password).await;
    submit(c, "/login").await;
}

async fn activity(app: &TestApp, name: &str) -> Uuid {
    let t = app.org("Almere").await;
    app.store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == name)
        .map(|a| a.id)
        .unwrap()
}

async fn outings_at_phone_width(app: TestApp) {
    let logins = app.demo().await;
    let beach = activity(&app, "Uitje naar het strand").await;
    let farm = activity(&app, "Uitje naar de kinderboerderij").await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;

    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/activities/{beach}", app.base))
        .await
        .unwrap();
    check(&c, &src, "the past outing").await;
    let page = text(&c).await;
    assert!(page.contains("6 gezinnen waren er bij:"), "{page}");
    assert!(page.contains("€ 137,25"), "{page}");
    // The form says what to fix, at the field.
    fill(&c, "destination", "").await;
    submit(&c, &format!("/activities/{beach}/outing")).await;
    let page = text(&c).await;
    assert!(page.contains("Vul in waar het uitje heen gaat."), "{page}");
    check(&c, &src, "the outing form with an error").await;

    c.goto(&format!("{}/activities/{farm}", app.base))
        .await
        .unwrap();
    check(&c, &src, "the coming outing").await;
    let page = text(&c).await;
    assert!(page.contains("Wat kost het per gezin?"), "{page}");
    submit(&c, "/logout").await;

    sign_in(&c, &app.base, &logins["coordinator"]).await;
    // The coordinator also sees the outing's own budget, what was spent and what is left.
    c.goto(&format!("{}/activities/{beach}", app.base))
        .await
        .unwrap();
    check(&c, &src, "the past outing with its own budget").await;
    let page = text(&c).await;
    assert!(
        page.contains("Eigen budget") && page.contains("€ 12,75"),
        "{page}"
    );
    c.goto(&format!("{}/activities", app.base)).await.unwrap();
    click_and_wait(&c, Locator::Css("a[href='/holiday-activities']")).await;
    check(&c, &src, "the holiday list").await;
    let page = text(&c).await;
    assert!(page.contains("Suikerfeest"), "{page}");
    assert!(page.contains("Zomerfeest in de wijk"), "{page}");
}
on_both!(browser_outings, outings_at_phone_width);

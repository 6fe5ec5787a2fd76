//! Issue #16 in Chromium at phone width (360×740): the school's partner account refers a
//! mother; she confirms on her phone through the link the worker sends; the worker makes her
//! a household; the school sees the status change and nothing more. axe-core, reflow and the
//! weight budget on every page visited.

use fantoccini::{Client, Locator};

use crate::browser::{axe_source, browser, check, click_and_wait, fill, submit, text};
use crate::helpers::{Login, TestApp};
use crate::on_both;

async fn sign_in(c: &Client, base: &str, l: &Login) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "email", &l.email).await;
    fill(c, "password", &l.password).await;
    submit(c, "/login").await;
}

async fn a_school_refers_a_mother_who_confirms_and_becomes_a_family(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;

    // The school's partner account refers Amina from its start page.
    sign_in(&c, &app.base, &logins["partner"]).await;
    click_and_wait(&c, Locator::Css("a[href='/referrals/new']")).await;
    check(&c, &src, "referral form").await;
    fill(&c, "first_name", "Amina").await;
    fill(&c, "reach", "06-13572468").await;
    fill(&c, "need", "Andere moeders op het schoolplein leren kennen").await;
    submit(&c, "/referrals/new").await;
    let page = text(&c).await;
    assert!(page.contains("Zet dan een vinkje"), "{page}");
    check(&c, &src, "referral form with an error").await;
    // As a person would: tap the label (it covers the box to make a 44 px target).
    c.find(Locator::Css("label[for='agreed']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&c, "/referrals/new").await;
    let page = text(&c).await;
    assert!(
        page.contains("De verwijzing van Amina is verstuurd."),
        "{page}"
    );
    assert!(page.contains("Ontvangen"), "{page}");
    check(&c, &src, "the partner's referrals").await;
    submit(&c, "/logout").await;

    // The worker sees "waiting for the parent" and makes the link.
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/referrals/inbox", app.base))
        .await
        .unwrap();
    check(&c, &src, "the team's referrals").await;
    let page = text(&c).await;
    assert!(
        page.contains("Verwijzing wacht op bevestiging van de ouder"),
        "{page}"
    );
    click_and_wait(&c, Locator::LinkText("Amina")).await;
    check(&c, &src, "the referral").await;
    let page = text(&c).await;
    assert!(
        !page.contains("13 57 24 68"),
        "no number before she confirms"
    );
    let referral = c.current_url().await.unwrap().path().to_string();
    submit(&c, &format!("{referral}/link")).await;
    check(&c, &src, "the link to send").await;
    let link = c
        .find(Locator::Css("p.code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(link.contains("/referral/"), "{link}");
    submit(&c, "/logout").await;

    // Amina opens it on her phone and says yes.
    c.goto(&link).await.unwrap();
    check(&c, &src, "the parent's page").await;
    let page = text(&c).await;
    assert!(page.contains("Hallo Amina,"), "{page}");
    assert!(page.contains("Basisschool De Regenboog"), "{page}");
    let path = link
        .split_once("/referral/")
        .map(|(_, t)| format!("/referral/{t}"))
        .unwrap();
    submit(&c, &path).await;
    let page = text(&c).await;
    assert!(
        page.contains("Iemand van ons team neemt snel contact met je op."),
        "{page}"
    );
    check(&c, &src, "the parent's thanks").await;

    // The worker makes her a family: status contacted, the school as its source.
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}{referral}", app.base)).await.unwrap();
    let page = text(&c).await;
    assert!(page.contains("06-13 57 24 68"), "{page}");
    check(&c, &src, "the confirmed referral").await;
    submit(&c, &format!("{referral}/household")).await;
    let page = text(&c).await;
    assert!(page.contains("Amina staat nu in het register."), "{page}");
    assert!(page.contains("Basisschool De Regenboog"), "{page}");
    check(&c, &src, "the new household").await;
    submit(&c, "/logout").await;

    // The school sees the status change, and nothing of the family.
    sign_in(&c, &app.base, &logins["partner"]).await;
    c.goto(&format!("{}/referrals", app.base)).await.unwrap();
    let page = text(&c).await;
    assert!(page.contains("Contact gelegd"), "{page}");
    assert!(!page.contains("Amina"), "{page}");
    let _ = c.close().await;
}
on_both!(
    browser_referral,
    a_school_refers_a_mother_who_confirms_and_becomes_a_family
);

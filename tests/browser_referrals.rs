//! Issue #16 in Chromium at phone width (360×740): the school's partner account refers a
//! mother; she confirms on her phone through the link the worker sends; the worker makes her
//! a household, invites her to the coffee hour, checks her in at the door and closes the coffee
//! hour as held; the school sees each status change ("joined an activity" at the end) and
//! nothing more. axe-core, reflow and the weight budget on every page visited.

use fantoccini::{Client, Locator};

use crate::browser::{
    axe_source, browser, check, click_and_wait, fill, submit, tap, text, wait_for,
};
use crate::browser_door::households_named;
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
    tap(&c, "label[for='agreed']").await;
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
    submit(&c, "/logout").await;

    // The worker invites her to the next coffee hour: on its worklist she is new.
    let amina = households_named(&app, "Amina").await;
    assert_eq!(amina.len(), 1, "one family Amina");
    let amina = amina[0];
    let (coffee, session) = app.coffee_hour().await;
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/activities/{coffee}", app.base))
        .await
        .unwrap();
    tap(&c, &format!("#household option[value='{amina}']")).await;
    submit(&c, &format!("/activities/{coffee}/register")).await;
    check(&c, &src, "the coffee hour with Amina registered").await;
    c.goto(&format!("{}/sessions/{session}/encourage", app.base))
        .await
        .unwrap();
    c.execute(
        "const more = document.querySelector('.encourage-more'); if (more) more.open = true;",
        vec![],
    )
    .await
    .unwrap();
    let card = c
        .find(Locator::Id(&format!("h-{amina}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(card.contains("Amina") && card.contains("Nieuw"), "{card}");
    tap(&c, &format!("#h-{amina} .encourage-card__record a")).await;
    tap(&c, &format!("label[for='o-{amina}-coming']")).await;
    tap(
        &c,
        &format!("#h-{amina} form.encourage-form button[type='submit']"),
    )
    .await;
    wait_for(
        &c,
        &format!(
            "const card = document.getElementById('h-{amina}');\
             return !!card.closest('.encourage-done');"
        ),
        10,
        "Amina's card in Gedaan",
    )
    .await;
    check(&c, &src, "the worklist with Amina invited").await;

    // She comes: the worker finds her at the door and checks her in.
    c.goto(&format!("{}/sessions/{session}/checkin?q=Amina", app.base))
        .await
        .unwrap();
    check(&c, &src, "the door, Amina found").await;
    // Registered, she is on the door's list already: the search says so and leads there.
    click_and_wait(&c, Locator::LinkText("Amina staat al op de lijst")).await;
    tap(&c, &format!("button[name='h-{amina}'][value='present']")).await;
    let t = app.org("Almere").await;
    let mut present = false;
    for _ in 0..100 {
        let d = app.store.session_detail(&t, session).await.unwrap();
        present = d.lines.iter().any(|l| {
            l.household_id == amina
                && l.attendance.as_ref().map(|a| a.status)
                    == Some(mtp_domain::attendance::AttendanceStatus::Present)
        });
        if present {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(present, "Amina is checked in");
    // After the coffee hour the worker closes it: it took place.
    c.goto(&format!("{}/sessions/{session}", app.base))
        .await
        .unwrap();
    tap(&c, "label[for='state-held']").await;
    submit(&c, &format!("/sessions/{session}/state")).await;
    check(&c, &src, "the coffee hour, held").await;
    submit(&c, "/logout").await;

    // The school sees that she joined an activity, and still nothing of the family.
    sign_in(&c, &app.base, &logins["partner"]).await;
    c.goto(&format!("{}/referrals", app.base)).await.unwrap();
    let page = text(&c).await;
    assert!(page.contains("Kwam naar een activiteit"), "{page}");
    for private in ["Amina", "Koffie", "aanwezig", "Aanwezig"] {
        assert!(
            !page.contains(private),
            "{private} on the partner's page: {page}"
        );
    }
    check(&c, &src, "the partner's referrals, joined").await;
    let _ = c.close().await;
}
on_both!(
    browser_referral,
    a_school_refers_a_mother_who_confirms_and_becomes_a_family
);

/// A partner without an account (the youth health care team): the coordinator makes its
/// referral address, someone there refers a father through it without signing in, and the
/// status link from the mail shows the status only. Every page axe-checked at 360 px.
async fn a_partner_without_an_account_refers_through_its_address(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let jgz = crate::referral_addresses::jgz(&app, &t).await;
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["coordinator"]).await;
    c.goto(&format!("{}/partners/{jgz}#referral-address", app.base))
        .await
        .unwrap();
    check(&c, &src, "the partner with its address section").await;
    submit(&c, &format!("/partners/{jgz}/referral-address")).await;
    check(&c, &src, "the address, shown once").await;
    let address = c
        .find(Locator::Css("p.code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(address.contains("/refer/"), "{address}");
    submit(&c, "/logout").await;

    // Someone at the JGZ opens it: no sign-in, the team's neighbourhoods to choose from.
    c.goto(&address).await.unwrap();
    check(&c, &src, "the referral form behind the address").await;
    let page = text(&c).await;
    assert!(
        page.contains("Je verwijst namens JGZ Almere Poort"),
        "{page}"
    );
    fill(&c, "first_name", "Karim").await;
    fill(&c, "reach", "06-24681357").await;
    fill(
        &c,
        "need",
        "Vaders ontmoeten, samen iets doen met de kinderen",
    )
    .await;
    tap(&c, "label[for='agreed']").await;
    fill(&c, "referrer_email", "geen adres").await;
    // A person takes more than a few seconds to fill in a form (docs/security.md).
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let path = address
        .split_once("/refer/")
        .map(|(_, token)| format!("/refer/{token}"))
        .unwrap();
    submit(&c, &path).await;
    let page = text(&c).await;
    assert!(page.contains("Dit is geen goed e-mailadres."), "{page}");
    check(&c, &src, "the form with an error at the field").await;
    fill(&c, "referrer_email", "zorg@jgz.example.nl").await;
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    submit(&c, &path).await;
    let page = text(&c).await;
    assert!(
        page.contains("We hebben de verwijzing ontvangen."),
        "{page}"
    );
    check(&c, &src, "the thanks").await;

    // The link from the referrer's mail: the status and its date, nothing more.
    let id = app
        .store
        .team_referrals(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.first_name == "Karim")
        .expect("the referral is on the team's list")
        .id;
    let secret = app.store.secret("web").await.unwrap();
    c.goto(&format!(
        "{}/referral-status/{}",
        app.base,
        mtp_web::routes::referral_address::status_token(&secret, id)
    ))
    .await
    .unwrap();
    check(&c, &src, "the status link").await;
    let page = text(&c).await;
    assert!(page.contains("Ontvangen"), "{page}");
    for private in ["Karim", "Vaders", "Poort", "06-"] {
        assert!(
            !page.contains(private),
            "{private} on the status page: {page}"
        );
    }
    let _ = c.close().await;
}
on_both!(
    browser_referral_address,
    a_partner_without_an_account_refers_through_its_address
);

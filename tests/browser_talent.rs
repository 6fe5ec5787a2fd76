//! Wishes and talent on a worker's phone (360×740) in headless Chromium (issue #18): the
//! wishes by theme with the form's error state, a wish's page, the talent ledger with the
//! ladder, one investment and the household page with its step: every page axe-clean, without
//! sideways scrolling and within the page weight (docs/ui.md §7).

use crate::browser::{axe_source, browser, check, sign_in, submit, text};
use crate::helpers::TestApp;
use crate::on_both;

async fn wishes_and_talent_pass_axe_on_a_phone(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let wish = app
        .store
        .wishes(&t, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.title == "Schulden en rekeningen: waar begin je?")
        .expect("the demo's debt wish");
    let talent = app
        .store
        .talents(&t, poort)
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo's bootcamp course");

    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["worker"]).await;

    c.goto(&format!("{}/wishes", app.base)).await.unwrap();
    assert!(
        text(&c)
            .await
            .contains("2 van de 3 uitgenodigde gezinnen kwamen")
    );
    check(&c, &src, "wishes").await;
    // The form's error state names the fields.
    submit(&c, "/wishes").await;
    let page = text(&c).await;
    assert!(page.contains("Kies een thema."), "{page}");
    assert!(page.contains("Vul in wat de ouders willen."));
    check(&c, &src, "wishes with errors").await;

    for (path, expect) in [
        (format!("/wishes/{}", wish.id), "Wie vroeg erom?"),
        ("/talent".to_string(), "Bijdragen"),
        (format!("/talent/{}", talent.id), "4 van de 10 keer gegeven"),
        (
            format!("/households/{}", talent.household_id),
            "Dit gezin staat op de trede: Bijdragen",
        ),
    ] {
        c.goto(&format!("{}{path}", app.base)).await.unwrap();
        assert!(text(&c).await.contains(expect), "{expect} on {path}");
        check(&c, &src, &path).await;
    }
    // The talent form's error state.
    c.goto(&format!("{}/talent", app.base)).await.unwrap();
    submit(&c, "/talent").await;
    assert!(text(&c).await.contains("Kies de ouder."));
    check(&c, &src, "talent with errors").await;
    let _ = c.close().await;
}
on_both!(wishes_talent_a11y, wishes_and_talent_pass_axe_on_a_phone);

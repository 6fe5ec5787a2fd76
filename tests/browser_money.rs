//! Time and money in headless Chromium (issue #20): a worker's week at phone width with the
//! 60-hour error, and the budget (with the outings' and workshops' own budgets and their
//! form's error), ledger, team week and printable page at phone width (a coordinator) and
//! desk width (an administrator), in Dutch and in English; every page axe-clean, without
//! sideways scrolling and within the page weight (docs/ui.md §7).

use crate::browser::{
    axe_source, browser, check, click_and_wait, fill, sign_in, submit, text, title,
};
use crate::helpers::TestApp;
use crate::on_both;

async fn the_money_pages_pass_axe_at_both_widths(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();

    // The worker's week at phone width, with a week that is too long.
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/time", app.base)).await.unwrap();
    check(&c, &src, "worker /time").await;
    fill(&c, "c_preparation", "40").await;
    fill(&c, "c_execution", "21").await;
    click_and_wait(
        &c,
        fantoccini::Locator::Css("form[action='/time'] button:not([name])"),
    )
    .await;
    assert!(title(&c).await.starts_with("Fout: "));
    assert!(text(&c).await.contains("Een week heeft hoogstens 60 uur"));
    check(&c, &src, "worker /time with an error").await;
    c.goto(&format!("{}/budget/expenses", app.base))
        .await
        .unwrap();
    check(&c, &src, "worker /budget/expenses").await;
    let _ = c.close().await;

    // A different account per width: switching to English is kept on the account.
    for (width, height, who) in [(360, 740, "coordinator"), (1280, 800, "admin")] {
        let (_driver, c) = browser(width, height).await;
        c.goto(&format!("{}/login", app.base)).await.unwrap();
        fill(&c, "email", &logins[who].email).await;
        fill(&c, "password", &logins[who].password).await;
        submit(&c, "/login").await;
        for path in ["/budget", "/budget/expenses", "/budget/print", "/time"] {
            c.goto(&format!("{}{path}", app.base)).await.unwrap();
            check(&c, &src, &format!("{who} {width}px {path}")).await;
        }
        if who == "coordinator" {
            // The outings' and workshops' own budgets at phone width, and their form with a
            // wrong amount.
            c.goto(&format!("{}/budget", app.base)).await.unwrap();
            let page = text(&c).await;
            assert!(page.contains("Uitjes en workshops binnen de activiteitenkosten"));
            assert!(page.contains("Uitje naar het strand"));
            assert!(page.contains("Overige activiteiten"));
            fill(&c, "activity_amount", "veel").await;
            click_and_wait(
                &c,
                fantoccini::Locator::Css("form[action='/budget/activities'] button"),
            )
            .await;
            assert!(title(&c).await.starts_with("Fout: "));
            check(&c, &src, "coordinator 360px own budget with an error").await;
        }
        c.goto(&format!("{}/budget", app.base)).await.unwrap();
        let svgs = c
            .find_all(fantoccini::Locator::Css("figure svg[role=img]"))
            .await
            .unwrap()
            .len();
        assert_eq!(svgs, 1, "the hours chart");
        // English.
        click_and_wait(&c, fantoccini::Locator::Css("button.lang-switch")).await;
        c.goto(&format!("{}/budget", app.base)).await.unwrap();
        assert!(text(&c).await.contains("Spending next to the budget"));
        check(&c, &src, &format!("{who} {width}px English")).await;
        let _ = c.close().await;
    }
}
on_both!(money_a11y, the_money_pages_pass_axe_at_both_widths);

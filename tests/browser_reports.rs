//! The report pages in headless Chromium (issue #15): at phone width and at desk width, in
//! Dutch and in English, with the form's error state, every page axe-clean, without sideways
//! scrolling and within the page weight (docs/ui.md §7).

use crate::browser::{axe_source, browser, check, fill, submit, text};
use crate::helpers::TestApp;
use crate::on_both;

async fn the_report_pages_pass_axe_at_both_widths(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    for (width, height, who) in [
        (360, 740, "coordinator"),
        (1280, 800, "admin"),
        (360, 740, "researcher"),
    ] {
        let (_driver, c) = browser(width, height).await;
        c.goto(&format!("{}/login", app.base)).await.unwrap();
        fill(&c, "email", &logins[who].email).await;
        fill(&c, "password", &logins[who].password).await;
        submit(&c, "/login").await;
        for path in [
            "/reports",
            "/reports?period=year",
            "/reports?period=custom&from=31-02-2026&to=",
        ] {
            c.goto(&format!("{}{path}", app.base)).await.unwrap();
            let label = format!("{who} {width}px {path}");
            check(&c, &src, &label).await;
        }
        // The error state names the field.
        assert!(text(&c).await.contains("Er is een probleem"));
        // The year report has charts with their tables.
        c.goto(&format!("{}/reports?period=year", app.base))
            .await
            .unwrap();
        let svgs = c
            .find_all(fantoccini::Locator::Css("figure svg[role=img]"))
            .await
            .unwrap()
            .len();
        assert_eq!(svgs, 8, "{who}: one chart per indicator");
        // English.
        crate::browser::click_and_wait(&c, fantoccini::Locator::Css("button.lang-switch")).await;
        c.goto(&format!("{}/reports?period=year", app.base))
            .await
            .unwrap();
        assert!(text(&c).await.contains("Who keeps coming?"));
        check(&c, &src, &format!("{who} {width}px English")).await;
        let _ = c.close().await;
    }
}
on_both!(reports_a11y, the_report_pages_pass_axe_at_both_widths);

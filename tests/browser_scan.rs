//! A new site's scan on a coordinator's phone (360×740) in headless Chromium (issue #19,
//! docs/guide/scan.md): the CBS sample files uploaded and the figures shown with their
//! source, a key informant added, the action plan edited and ready to print, a start-up step
//! ticked (the import ticked "scan done" itself) and the progress on the neighbourhood list:
//! every page axe-clean, without sideways scrolling and within the page weight.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{
    axe_source, browser, check, click_and_wait, fill, sign_in, submit, text, upload_files,
};
use crate::helpers::TestApp;
use crate::on_both;

const KERN: &[u8] = include_bytes!("fixtures/cbs/85984NED_kerncijfers_2024.csv");
const HOUSEHOLDS: &[u8] = include_bytes!("fixtures/cbs/71487ned_huishoudens_2023.csv");

async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![Value::from(id), Value::from(value)],
    )
    .await
    .unwrap();
}

async fn a_coordinator_scans_and_starts_a_site_on_a_phone(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let kern = app.data_dir.join("kerncijfers.csv");
    let households = app.data_dir.join("huishoudens.csv");
    std::fs::write(&kern, KERN).unwrap();
    std::fs::write(&households, HOUSEHOLDS).unwrap();

    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["coordinator"]).await;

    // The figures: the sample files in the real export format.
    let scan = format!("/neighbourhoods/{poort}/scan");
    c.goto(&format!("{}{scan}", app.base)).await.unwrap();
    assert!(text(&c).await.contains("Er zijn nog geen cijfers."));
    check(&c, &src, "scan without figures").await;
    fill(&c, "year", "2024").await;
    upload_files(&c, &[("kerncijfers", &kern), ("households", &households)]).await;
    let page = text(&c).await;
    for shown in ["De cijfers zijn ingelezen.", "Bron: CBS", "437 (CBS 2024)"] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    check(&c, &src, "scan with figures").await;

    // A key informant.
    fill(&c, "name", "Wijkagent").await;
    fill(&c, "organisation", "Politie Almere").await;
    set_value(
        &c,
        "held_on",
        &mtp_web::today().format("%Y-%m-%d").to_string(),
    )
    .await;
    fill(
        &c,
        "sees",
        "Veel moeders staan er alleen voor en kennen niemand.",
    )
    .await;
    submit(&c, &format!("{scan}/informants")).await;
    let page = text(&c).await;
    assert!(page.contains("Wijkagent"), "{page}");
    assert!(page.contains("kennen niemand"));
    check(&c, &src, "scan with an informant").await;

    // The action plan, edited and ready to print.
    let plan = format!("/neighbourhoods/{poort}/plan");
    c.goto(&format!("{}{plan}/edit", app.base)).await.unwrap();
    check(&c, &src, "plan form").await;
    fill(&c, "goals", "Ouders ontmoeten elkaar op de school.").await;
    fill(&c, "location", "De ouderkamer van De Regenboog").await;
    submit(&c, &plan).await;
    let page = text(&c).await;
    assert!(
        page.contains("Ouders ontmoeten elkaar op de school."),
        "{page}"
    );
    assert!(page.contains("Druk deze pagina af"));
    // The page has print rules: what is marked `noprint` stays off the paper.
    let printable = c
        .execute(
            "return [...document.styleSheets].some(s => { try { return [...s.cssRules].some(r => \
             r.media && r.media.mediaText.includes('print')); } catch (e) { return false; } });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(printable, Value::Bool(true), "print rules on the plan");
    check(&c, &src, "plan").await;

    // The start-up checklist: the import ticked "scan done"; the coordinator ticks another.
    let start = format!("/neighbourhoods/{poort}/start");
    c.goto(&format!("{}{start}", app.base)).await.unwrap();
    let page = text(&c).await;
    assert!(page.contains("1 van 7 stappen klaar"), "{page}");
    check(&c, &src, "start").await;
    click_and_wait(&c, Locator::Css("#step-partners form button")).await;
    let page = text(&c).await;
    assert!(page.contains("2 van 7 stappen klaar"), "{page}");
    check(&c, &src, "start with a step ticked").await;

    c.goto(&format!("{}/admin/neighbourhoods", app.base))
        .await
        .unwrap();
    let page = text(&c).await;
    assert!(page.contains("2 van 7"), "{page}");
    check(&c, &src, "neighbourhood list").await;
    let _ = c.close().await;
}
on_both!(
    browser_scan,
    a_coordinator_scans_and_starts_a_site_on_a_phone
);

//! In the field (issue #17): the programme's calendar address on the pages workers use, the
//! parents' childcare requests on the session page, and the handbook's rules as the handbook
//! says them (the exclusive chat group, the cost of activities).

use crate::helpers::TestApp;
use crate::on_both;

async fn the_programme_address_is_on_the_activities_and_neighbourhood_pages(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let address = format!("{}/programme/{poort}.ics", app.base);
    let webcal = address
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let r = w.get("/activities").await;
    assert!(r.body.contains("Het programma in een agenda"), "{}", r.body);
    // A read-only field to copy, and a link that opens the calendar app.
    assert!(
        r.body.contains(&format!(
            "type=\"text\" readonly data-select-on-focus spellcheck=\"false\" value=\"{address}\""
        )),
        "the activities page shows the address to copy: {}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"{webcal}\"")), "{}", r.body);
    assert!(r.body.contains("Agenda-adres van Almere Poort"), "{}", r.body);

    // The address works: it is the public programme of that neighbourhood.
    let feed = app.client().get(&format!("/programme/{poort}.ics")).await;
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"), "{}", feed.body);

    // The neighbourhood page shows the same address, in English too.
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    let r = a.get(&format!("/admin/neighbourhoods/{poort}")).await;
    assert!(
        r.body.contains(&format!("value=\"{address}\"")),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"{webcal}\"")), "{}", r.body);
    a.post("/lang/en", &[("next", "/")]).await;
    let r = a.get(&format!("/admin/neighbourhoods/{poort}")).await;
    assert!(r.body.contains("The programme in a calendar"), "{}", r.body);
    // The new-neighbourhood form has no address yet.
    let r = a.get("/admin/neighbourhoods/new").await;
    assert!(!r.body.contains("/programme/"), "{}", r.body);

    // A worker of another organisation never sees this neighbourhood's address.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other.get("/activities").await;
    assert!(!r.body.contains(&poort.to_string()), "{}", r.body);
}
on_both!(
    the_programme_address_is_on_the_activities_and_neighbourhood_pages,
    the_programme_address_is_on_the_activities_and_neighbourhood_pages
);

//! A host at the door on a phone (360×740) in headless Chromium adds first-timers while the
//! network is gone: the walk-ins wait on the phone with the taps, survive a reload, and reach
//! the server exactly once; a walk-in the server refuses stays on screen until the host fixes it.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::browser::{
    axe, axe_source, browser, cdp, check, fill, fits, network, sign_in, submit, wait_for,
};
use crate::helpers::TestApp;
use crate::on_both;

async fn run(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// The check-in page's HTML, CSS and JS as a phone gets them (compressed bodies, nothing
/// from the cache), in bytes.
async fn page_weight(c: &Client) -> Vec<i64> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const urls = [location.href, document.querySelector('link[rel=stylesheet]').href,\
                           document.querySelector('script[src]').src];\
             Promise.all(urls.map(u => fetch(u, {cache: 'no-store', credentials: 'same-origin'})\
                 .then(r => r.arrayBuffer())))\
               .then(() => setTimeout(() => done(urls.map(u => {\
                   const e = performance.getEntriesByName(u, 'resource').pop();\
                   return e ? e.encodedBodySize : -1; })), 200))\
               .catch(e => done(['' + e]));",
            vec![],
        )
        .await
        .expect("weighing");
    serde_json::from_value(v.clone()).unwrap_or_else(|_| panic!("weights: {v}"))
}

/// The households of the organisation whose only first name is `name`.
pub(crate) async fn households_named(app: &TestApp, name: &str) -> Vec<uuid::Uuid> {
    let t = app.org("Almere").await;
    let filter = mtp_store::HouseholdFilter {
        q: name.into(),
        ..Default::default()
    };
    app.store
        .households(&t, &filter, 100, 0)
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|h| h.first_names == [name])
        .map(|h| h.id)
        .collect()
}

/// The session's attendance rows of a household: (status, walk-in).
async fn attendance_of(
    app: &TestApp,
    session: uuid::Uuid,
    household: uuid::Uuid,
) -> Vec<(mtp_domain::attendance::AttendanceStatus, bool)> {
    let t = app.org("Almere").await;
    app.store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .into_iter()
        .filter(|l| l.household_id == household)
        .filter_map(|l| l.attendance.map(|a| (a.status, a.walk_in)))
        .collect()
}

const QUEUE: &str = "JSON.parse(localStorage.getItem('mtp-checkin-queue') || '[]')";

/// Fill in the walk-in form and press its button (the form sits in a closed `<details>`).
async fn walk_in(c: &Client, first_name: &str, kind: &str, children: &str, consent: bool) {
    run(
        c,
        "document.querySelector('.walk-in-form').closest('details').open = true;",
    )
    .await;
    fill(c, "first_name", first_name).await;
    fill(c, "children", children).await;
    run(
        c,
        &format!(
            "const f = document.querySelector('.walk-in-form').elements;\
             f.kind.value = '{kind}'; f.consent.checked = {consent};\
             document.querySelector('.walk-in-form button[type=submit]').click();"
        ),
    )
    .await;
}

/// The text of the walk-in card with this heading, or "" when there is none.
async fn card_text(c: &Client, name: &str) -> String {
    run(
        c,
        &format!(
            "const cs = Array.from(document.querySelectorAll('.door-list > .door-card'))\
                 .filter(c => c.querySelector('h2').textContent.trim() === '{name}');\
             return cs.length === 1 ? cs[0].innerText : (cs.length ? 'MORE THAN ONE' : '');"
        ),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn a_host_adds_walk_ins_at_the_door_with_the_network_off_and_on(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let households_before = app
        .store
        .households(&t, &Default::default(), 1, 0)
        .await
        .map(|(_, n)| n)
        .unwrap_or_default();
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["host"]).await;
    let page = format!("{}/sessions/{session}/checkin", app.base);
    c.goto(&page).await.unwrap();
    check(&c, &src, "check-in").await;
    // docs/ui.md §3.5: the check-in page, HTML + CSS + JS compressed, stays within 20 KB.
    let weights = page_weight(&c).await;
    let total: i64 = weights.iter().sum();
    assert!(
        weights.iter().all(|w| *w > 0) && total <= 20 * 1024,
        "check-in weighs {weights:?} = {total} bytes"
    );
    eprintln!("check-in page weight (html, css, js): {weights:?} = {total} bytes");
    let expected = run(
        &c,
        "return +document.getElementById('door-count').getAttribute('data-expected');",
    )
    .await
    .as_i64()
    .unwrap_or_default();

    // Offline: one ordinary tap and two first-timers wait on the phone.
    network(&c, true).await;
    run(
        &c,
        "document.querySelector('.door-list > .door-card:not(.door-card--in) button[value=\"present\"]').click();",
    )
    .await;
    // The obvious faults are caught on the phone, in the server's words; nothing is queued.
    walk_in(&c, " ", "single_parent", "2", false).await;
    let errors = run(
        &c,
        "return Array.from(document.querySelectorAll('.walk-in-form .error-message')).map(e => e.textContent);",
    )
    .await;
    assert_eq!(
        errors,
        json!([
            "Fout: Vul een voornaam in.",
            "Fout: Vraag of de ouder het goed vindt dat we de voornaam noteren, en vink het aan."
        ])
    );
    assert_eq!(
        run(&c, "return document.activeElement.id;").await,
        "first_name"
    );
    assert_eq!(run(&c, &format!("return {QUEUE}.length;")).await, 1);
    axe(&c, &src, "walk-in form with errors on the phone").await;

    let key_before = run(
        &c,
        "return document.querySelector('.walk-in-form').elements.key.value;",
    )
    .await;
    walk_in(&c, "Tirza", "single_parent", "2", true).await;
    // The form is ready for the next family: empty, with a key of its own.
    let form = run(
        &c,
        "const f = document.querySelector('.walk-in-form').elements;\
         return [f.first_name.value, f.kind.value, f.children.value, f.consent.checked, f.key.value,\
                 document.querySelectorAll('.walk-in-form .error-message').length];",
    )
    .await;
    assert_eq!(form[0], "");
    assert_eq!(form[1], "single_parent");
    assert_eq!(form[2], "0");
    assert_eq!(form[3], false);
    assert_ne!(form[4], key_before, "a fresh key for the next walk-in");
    assert_eq!(form[5], 0, "the messages of the last try are gone");
    assert_eq!(
        run(&c, "return document.activeElement.textContent;").await,
        "Tirza",
        "focus moves to the new card"
    );
    // A two-parent family at a coffee hour for single parents: the phone cannot know that.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    walk_in(&c, "Fenna", "multi_parent", "1", true).await;
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 3 && !document.getElementById('offline-bar').hidden;"),
        10,
        "a tap and two walk-ins queued",
    )
    .await;
    // Newest on top, each with the tag and "not sent yet".
    let top = run(
        &c,
        "return Array.from(document.querySelectorAll('.door-list > .door-card')).slice(0, 2)\
             .map(c => c.querySelector('h2').textContent);",
    )
    .await;
    assert_eq!(top, json!(["Fenna", "Tirza"]));
    for name in ["Tirza", "Fenna"] {
        let card = card_text(&c, name).await;
        assert!(
            card.contains("Aanwezig") && card.contains("Nog niet verstuurd"),
            "{name}: {card}"
        );
    }
    let bar = run(
        &c,
        "return document.getElementById('offline-bar').textContent;",
    )
    .await;
    let bar = bar.as_str().unwrap_or_default();
    assert!(
        bar.starts_with("Geen verbinding.")
            && bar.contains("Nog niet verstuurd:")
            && bar.contains("Tirza")
            && bar.contains("Fenna"),
        "{bar}"
    );
    let counter = run(
        &c,
        "return document.getElementById('door-count').textContent;",
    )
    .await;
    assert_eq!(
        counter,
        format!("3 / {} aanwezig", expected + 2),
        "the phone counts the tap and both walk-ins"
    );
    assert!(
        households_named(&app, "Tirza").await.is_empty(),
        "nothing arrived offline"
    );
    axe(&c, &src, "check-in with walk-ins offline").await;
    let tirza_item = run(
        &c,
        &format!("return JSON.stringify({QUEUE}.find(i => i.name === 'Tirza'));"),
    )
    .await;
    let tirza_item = tirza_item.as_str().unwrap_or_default().to_string();

    // The network is back for pages, but walk-ins still do not get through: a reload keeps
    // them on the phone and on screen, and the tap goes out.
    cdp(&c, "Network.setBlockedURLs", json!({"urls": ["*/walk-in"]})).await;
    network(&c, false).await;
    c.refresh().await.unwrap();
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 2 && {QUEUE}.every(i => i.walk);"),
        20,
        "the tap to be sent and the walk-ins kept",
    )
    .await;
    for name in ["Tirza", "Fenna"] {
        let card = card_text(&c, name).await;
        assert!(
            card.contains("Nog niet verstuurd"),
            "after a reload, {name}: {card}"
        );
    }
    assert!(households_named(&app, "Tirza").await.is_empty());

    // Through: Tirza is made once; Fenna is refused and stays on screen with the reason.
    cdp(&c, "Network.setBlockedURLs", json!({"urls": []})).await;
    wait_for(
        &c,
        &format!(
            "return {QUEUE}.length === 1 && {QUEUE}[0].name === 'Fenna' && !!{QUEUE}[0].refused;"
        ),
        20,
        "Tirza to be sent and Fenna refused",
    )
    .await;
    let tirza = households_named(&app, "Tirza").await;
    assert_eq!(tirza.len(), 1, "{tirza:?}");
    assert_eq!(
        attendance_of(&app, session, tirza[0]).await,
        vec![(mtp_domain::attendance::AttendanceStatus::Present, true)]
    );
    assert!(households_named(&app, "Fenna").await.is_empty());
    let anchor = run(
        &c,
        "return Array.from(document.querySelectorAll('.door-list > .door-card'))\
             .find(c => c.querySelector('h2').textContent === 'Tirza').id;",
    )
    .await;
    assert_eq!(
        anchor,
        format!("h-{}", tirza[0]),
        "the card is the new household's"
    );
    let card = card_text(&c, "Tirza").await;
    assert!(
        card.contains("Aanwezig") && !card.contains("Nog niet verstuurd"),
        "{card}"
    );
    let card = card_text(&c, "Fenna").await;
    assert!(
        card.contains("Deze activiteit is alleen voor eenoudergezinnen.")
            && card.contains("Nog niet verstuurd")
            && !card.contains("Aanwezig")
            && card.contains("Wijzigen")
            && card.contains("Verwijderen"),
        "{card}"
    );
    axe(&c, &src, "check-in with a refused walk-in").await;

    // The same walk-in again (an answer lost on the way, a second sync): still one family.
    c.execute(
        &format!(
            "const q = {QUEUE}; q.unshift(JSON.parse(arguments[0]));\
             localStorage.setItem('mtp-checkin-queue', JSON.stringify(q));"
        ),
        vec![Value::String(tirza_item)],
    )
    .await
    .unwrap();
    c.refresh().await.unwrap();
    run(
        &c,
        "window.dispatchEvent(new Event('online')); window.dispatchEvent(new Event('online'));",
    )
    .await;
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 1 && !!{QUEUE}[0].refused;"),
        20,
        "the replay to be answered",
    )
    .await;
    assert_eq!(households_named(&app, "Tirza").await, tirza);
    assert_eq!(attendance_of(&app, session, tirza[0]).await.len(), 1);
    let card = card_text(&c, "Tirza").await;
    assert!(
        card.contains("Aanwezig") && !card.contains("Nog niet verstuurd"),
        "one card for Tirza, sent: {card}"
    );

    // Fenna: back into the form, the kind fixed, and in.
    run(
        &c,
        "document.querySelector('.door-card__refused button[value=\"change\"]').click();",
    )
    .await;
    let back = run(
        &c,
        "const f = document.querySelector('.walk-in-form').elements;\
         return [f.first_name.value, f.kind.value, f.consent.checked, document.activeElement.name];",
    )
    .await;
    assert_eq!(back, json!(["Fenna", "multi_parent", true, "kind"]));
    assert_eq!(card_text(&c, "Fenna").await, "");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    walk_in(&c, "Fenna", "single_parent", "1", true).await;
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 0;"),
        20,
        "Fenna to be sent",
    )
    .await;
    let fenna = households_named(&app, "Fenna").await;
    assert_eq!(fenna.len(), 1, "{fenna:?}");
    // Her card is now one like any other: a mistaken walk-in is undone with one tap.
    run(
        &c,
        &format!(
            "document.querySelector('#h-{} button[value=\"undo\"]').click();",
            fenna[0]
        ),
    )
    .await;
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 0 && !document.getElementById('h-{}').classList.contains('door-card--in');", fenna[0]),
        20,
        "the undo to be sent",
    )
    .await;
    assert!(attendance_of(&app, session, fenna[0]).await.is_empty());
    let households_after = app
        .store
        .households(&t, &Default::default(), 1, 0)
        .await
        .map(|(_, n)| n)
        .unwrap_or_default();
    assert_eq!(
        households_after,
        households_before + 2,
        "Tirza and Fenna, once each"
    );
    let audited = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("household.walked-in".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap_or_default();
    assert_eq!(audited.len(), 2, "two walk-ins, two audit entries");
    let _ = c.close().await;
}
on_both!(
    door_walk_in_offline,
    a_host_adds_walk_ins_at_the_door_with_the_network_off_and_on
);

/// The network between the phone and the server, which the test can cut. Every connection of
/// the browser goes through here; cut, it takes each new connection and closes it at once, and
/// ends the open ones, as a hall without a signal does, while the server runs on with its data.
/// Chromium's own offline switch is not used: it is set per page, and a service worker's
/// requests could still get through.
struct Cable {
    port: u16,
    up: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    /// Connections the browser tried while the cable was cut.
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Cable {
    async fn to(base: &str) -> Cable {
        let server: std::net::SocketAddr = base
            .trim_start_matches("http://")
            .parse()
            .expect("the server's address");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, _) = tokio::sync::watch::channel(true);
        let up = std::sync::Arc::new(up);
        let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (signal, count) = (up.clone(), refused.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut phone, _)) = listener.accept().await {
                if !*signal.borrow() {
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    drop(phone);
                    continue;
                }
                let mut cut = signal.subscribe();
                tokio::spawn(async move {
                    let Ok(mut hall) = tokio::net::TcpStream::connect(server).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut phone, &mut hall) => {}
                        _ = cut.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Cable {
            port,
            up,
            refused,
            task,
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }

    fn refused(&self) -> usize {
        self.refused.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for Cable {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Whether this page, its stylesheet and its script are kept on the phone (door-sw.js).
async fn kept_on_phone(c: &Client) -> bool {
    c.execute_async(
        "const done = arguments[arguments.length - 1];\
         const urls = [location.pathname, document.querySelector('link[rel=stylesheet]').href,\
                       document.querySelector('script[src]').src];\
         caches.keys()\
           .then(keys => Promise.all(keys.filter(k => k.startsWith('mtp-door-')).map(k => caches.open(k))))\
           .then(cs => Promise.all(urls.map(u => Promise.all(cs.map(c => c.match(u))).then(r => r.some(x => !!x)))))\
           .then(found => done(found.every(x => x)))\
           .catch(() => done(false));",
        vec![],
    )
    .await
    .unwrap_or(Value::Bool(false))
        == Value::Bool(true)
}

/// How often the check-in page of `session` was opened, by the audit trail.
async fn door_views(app: &TestApp, session: uuid::Uuid) -> usize {
    let t = app.org("Almere").await;
    app.store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("session.checkin-viewed".into()),
                ..Default::default()
            },
            1000,
        )
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.object_id == Some(session))
        .count()
}

/// Issue #17: a host opens the check-in page once with a network, on a phone at 360 px. In the
/// hall there is none: the page opens all the same (from the phone), a family found by a search
/// before the network went and a family on the list are checked in, and when the network is
/// back each check-in reaches the server exactly once.
async fn the_check_in_page_opens_without_a_network_once_opened_before(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let wilhelmina = app
        .store
        .create_households_bulk(
            &t,
            &[crate::checkin_search::family(
                poort,
                "Wilhelmina",
                "Zuidervaart",
                None,
            )],
        )
        .await
        .unwrap()[0];
    let cable = Cable::to(&app.base).await;
    let base = cable.base();
    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(&c, "email", &logins["host"].email).await;
    fill(&c, "password", &logins["host"].password).await;
    submit(&c, "/login").await;
    let page = format!("{base}/sessions/{session}/checkin");
    c.goto(&page).await.unwrap();
    check(&c, &src, "check-in, first visit").await;
    wait_for(
        &c,
        "return !!navigator.serviceWorker.controller;",
        20,
        "the service worker to take charge",
    )
    .await;
    let mut kept = false;
    for _ in 0..100 {
        kept = kept_on_phone(&c).await;
        if kept {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        kept,
        "the page, its stylesheet and script kept on the phone"
    );

    // Search as you type, with the network: a family not on the list.
    run(&c, "document.getElementById('iemand-anders').open = true;").await;
    fill(&c, "q", "Wilh").await;
    wait_for(
        &c,
        &format!("return !!document.querySelector('#door-results #h-{wilhelmina}');"),
        20,
        "the search's results",
    )
    .await;
    let found = run(
        &c,
        "return document.getElementById('door-found').textContent;",
    )
    .await;
    assert_eq!(found, "1 gezin gevonden");
    assert_eq!(
        run(
            &c,
            "return document.querySelectorAll('.door-list > .door-card').length;"
        )
        .await,
        run(
            &c,
            "return +document.getElementById('door-count').getAttribute('data-expected');"
        )
        .await,
        "as the host types, the list stays"
    );
    axe(&c, &src, "check-in with search results").await;

    // The network goes. Wilhelmina is checked in from the results: she waits on the phone.
    cable.set(false);
    run(
        &c,
        &format!("document.querySelector('#h-{wilhelmina} button[value=\"present\"]').click();"),
    )
    .await;
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 1 && !document.getElementById('offline-bar').hidden;"),
        20,
        "Wilhelmina's tap to wait on the phone",
    )
    .await;
    assert_eq!(
        run(
            &c,
            "return document.querySelector('.door-list > .door-card').id;"
        )
        .await,
        format!("h-{wilhelmina}"),
        "the family found joins the list"
    );

    // Without a network, the page is opened again.
    let views = door_views(&app, session).await;
    let refused = cable.refused();
    c.goto(&page).await.unwrap();
    assert_eq!(
        run(&c, "return document.querySelector('h1').textContent;").await,
        "Inchecken"
    );
    assert!(
        cable.refused() > refused,
        "the phone tried the network and did not get through"
    );
    assert_eq!(
        door_views(&app, session).await,
        views,
        "the page came from the phone, not from the server"
    );
    let bar = run(
        &c,
        "return document.getElementById('offline-bar').textContent;",
    )
    .await;
    assert!(
        bar.as_str().unwrap_or_default().contains("Wilhelmina"),
        "the tap still waits: {bar}"
    );
    fits(&c, "check-in without a network").await;
    axe(&c, &src, "check-in without a network").await;
    // Searching needs the network, and the page says so.
    run(&c, "document.getElementById('iemand-anders').open = true;").await;
    fill(&c, "q", "San").await;
    wait_for(
        &c,
        "return document.getElementById('door-found').textContent.startsWith('Geen verbinding.');",
        20,
        "the search to say there is no connection",
    )
    .await;

    // A family on the list is tapped, still without a network.
    let tapped = run(
        &c,
        "const card = document.querySelector('.door-list > .door-card:not(.door-card--in)');\
         card.querySelector('button[value=\"present\"]').click(); return card.id.slice(2);",
    )
    .await;
    let tapped: uuid::Uuid = tapped.as_str().unwrap_or_default().parse().unwrap();
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 2;"),
        20,
        "two taps waiting",
    )
    .await;
    assert!(
        present_of(&app, session).await.is_empty(),
        "nothing arrived"
    );

    // The network is back: both taps arrive, each once.
    cable.set(true);
    wait_for(
        &c,
        &format!("return {QUEUE}.length === 0;"),
        30,
        "the queue to empty",
    )
    .await;
    let mut present = present_of(&app, session).await;
    present.sort();
    let mut expected = vec![wilhelmina, tapped];
    expected.sort();
    assert_eq!(present, expected);
    let audited = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("attendance.recorded".into()),
                ..Default::default()
            },
            1000,
        )
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.detail.contains(&format!("session={session}")))
        .count();
    assert_eq!(audited, 2, "two taps, two check-ins");
    // Online again, the page comes from the server and shows both.
    c.goto(&page).await.unwrap();
    assert_eq!(door_views(&app, session).await, views + 1);
    let counter = run(
        &c,
        "return document.getElementById('door-count').textContent;",
    )
    .await;
    assert!(
        counter.as_str().unwrap_or_default().starts_with("2 / "),
        "{counter}"
    );

    // Signing out deletes the pages kept on the phone.
    c.execute(
        "document.querySelector('form[action=\"/logout\"] button').click();",
        vec![],
    )
    .await
    .unwrap();
    let mut gone = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let left = c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 caches.keys().then(k => done(k.filter(n => n.startsWith('mtp-door-')).length)).catch(() => done(-1));",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        if left == json!(0) {
            gone = true;
            break;
        }
    }
    assert!(gone, "the kept pages are gone after signing out");
    let _ = c.close().await;
}
on_both!(
    door_opens_offline,
    the_check_in_page_opens_without_a_network_once_opened_before
);

/// The households the store has as present at a session.
async fn present_of(app: &TestApp, session: uuid::Uuid) -> Vec<uuid::Uuid> {
    let t = app.org("Almere").await;
    app.store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .into_iter()
        .filter(|l| {
            l.attendance
                .as_ref()
                .is_some_and(|a| a.status == mtp_domain::attendance::AttendanceStatus::Present)
        })
        .map(|l| l.household_id)
        .collect()
}

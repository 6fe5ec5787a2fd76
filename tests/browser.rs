//! Browser journeys in Debian's headless Chromium, with axe-core on every page visited.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{TestApp, totp_code, totp_code_ahead};
use crate::on_both;

/// Chromedriver and every Chromium process it started, ended when dropped: when a test
/// passes, when it panics halfway, and also when its session was never closed. Killing
/// chromedriver alone leaves Chromium running: it is handed to init and lives on after the
/// test process is gone (nextest only signals a test's process group when it times out).
pub(crate) struct Driver {
    child: Child,
    /// Chromium's profile, a fresh directory per browser.
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole tree under chromedriver, each process stopped before its children are
        // listed, so nothing forks a child past the list; then all killed at once. Killed one
        // by one, a parent's death would hand its children to init, out of sight.
        let mut tree: BTreeSet<u32> = BTreeSet::new();
        let mut next = vec![self.child.id()];
        while !next.is_empty() {
            signal("STOP", &next);
            tree.extend(&next);
            next = children_of(&tree)
                .into_iter()
                .filter(|p| !tree.contains(p))
                .collect();
        }
        signal("KILL", &tree.iter().copied().collect::<Vec<_>>());
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Send a signal with kill(1): the test binary, like the rest, has no unsafe code for kill(2).
fn signal(name: &str, pids: &[u32]) {
    if pids.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .args(pids.iter().map(u32::to_string))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The processes whose parent is one of `parents`, from /proc.
fn children_of(parents: &BTreeSet<u32>) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // "pid (comm) state ppid ...": the name may hold spaces and parentheses.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let rest = &stat[stat.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                .is_some_and(|ppid| parents.contains(&ppid))
        })
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

pub(crate) fn axe_source() -> String {
    let path = std::env::var("MTP_AXE_PATH").unwrap_or_else(|_| {
        format!(
            "{}/../../.cache/node_modules/axe-core/axe.min.js",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core not found at {path} ({e}); run scripts/test.sh, which installs it")
    })
}

pub(crate) async fn browser(width: u32, height: u32) -> (Driver, Client) {
    let port = free_port();
    let child =
        Command::new(std::env::var("MTP_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("chromedriver did not start ({e}); scripts/test.sh installs chromium-driver")
            });
    let profile = std::env::temp_dir().join(format!("mtp-chrome-{}", uuid::Uuid::now_v7()));
    let driver = Driver {
        child,
        profile: profile.clone(),
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("MTP_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={width},{height}"),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => {
                let _ = c.set_window_size(width, height).await;
                return (driver, c);
            }
            Err(e) => {
                last = Some(e.to_string());
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("could not connect to chromedriver: {last:?}");
}

/// Run axe-core (WCAG 2.1 A and AA) on the current page; fail with the violations listed.
pub(crate) async fn axe(c: &Client, src: &str, label: &str) {
    c.execute(src, vec![]).await.expect("injecting axe");
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})\
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("running axe");
    let violations: Vec<String> = match result {
        Value::Array(v) => v
            .into_iter()
            .map(|x| x.as_str().unwrap_or("").to_string())
            .collect(),
        other => vec![format!("unexpected axe result {other}")],
    };
    assert!(
        violations.is_empty(),
        "axe violations on {label}: {violations:#?}"
    );
}

pub(crate) async fn fill(c: &Client, id: &str, value: &str) {
    let el = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Click and wait until the next page has fully loaded. A mark on the old page's window is
/// Sign in on the login page as `login`, as a person would: the browser's session from here on.
pub(crate) async fn sign_in(c: &Client, base: &str, login: &crate::helpers::Login) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "email", &login.email).await;
    fill(c, "password", &login.password).await;
    submit(c, "/login").await;
}

/// gone once a new document is in place; waiting for an element alone can find the old one.
pub(crate) async fn click_and_wait(c: &Client, locator: Locator<'_>) {
    c.execute("window.__mtpOld = true;", vec![]).await.unwrap();
    c.find(locator)
        .await
        .expect("nothing to click")
        .click()
        .await
        .unwrap();
    for _ in 0..300 {
        let done = c
            .execute(
                "return window.__mtpOld === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await
            .unwrap_or(Value::Bool(false));
        if done == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page did not change after the click");
}

/// Press the submit button of the form whose action is `form_action` (or, ending in "/",
/// starts with it and ends in "/erase").
pub(crate) async fn submit(c: &Client, form_action: &str) {
    let sel = if form_action.ends_with('/') {
        format!("form[action^='{form_action}'][action$='/erase'] button[type='submit']")
    } else {
        format!("form[action='{form_action}'] button[type='submit']")
    };
    click_and_wait(c, Locator::Css(&sel)).await;
}

/// Choose the files of a multipart form (field id and path on disk) and send it, waiting for
/// the next page.
pub(crate) async fn upload_files(c: &Client, files: &[(&str, &std::path::Path)]) {
    for (id, path) in files {
        c.find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no #{id}: {e}"))
            .send_keys(&path.display().to_string())
            .await
            .unwrap();
    }
    click_and_wait(
        c,
        Locator::Css("form[enctype='multipart/form-data'] button"),
    )
    .await;
}

/// Click the element `css` finds, as a finger would: no page load awaited.
pub(crate) async fn tap(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

pub(crate) async fn text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default()
}

pub(crate) async fn title(c: &Client) -> String {
    c.title().await.unwrap_or_default()
}

/// No horizontal scrolling at phone width (docs/ui.md §7 "Zoom and reflow").
pub(crate) async fn fits(c: &Client, label: &str) {
    let v = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(v, Value::Bool(true), "{label} scrolls sideways");
}

/// HTML + CSS + JS as transferred (compressed) stay under 30 KB (docs/ui.md §1.5), and nothing
/// comes from another host.
pub(crate) async fn light(c: &Client, label: &str) {
    let v = c
        .execute(
            "const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));\
             return {bytes: entries.reduce((n, e) => n + (e.transferSize || 0), 0),\
                     foreign: entries.filter(e => !e.name.startsWith(location.origin)).map(e => e.name)};",
            vec![],
        )
        .await
        .unwrap();
    let bytes = v["bytes"].as_u64().unwrap_or(u64::MAX);
    assert!(
        bytes > 0 && bytes <= 30 * 1024,
        "{label} transferred {bytes} bytes"
    );
    assert_eq!(v["foreign"], json!([]), "{label} loads from other hosts");
}

pub(crate) async fn check(c: &Client, src: &str, label: &str) {
    axe(c, src, label).await;
    fits(c, label).await;
    light(c, label).await;
}

/// A coordinator's first day: set up, fail and fix a form, sign in, switch language, turn on
/// two-factor sign-in, sign out and back in with a code. At phone width and desktop width.
async fn first_run_sign_in_language_and_two_factor_in_a_real_browser(app: TestApp) {
    let src = axe_source();
    for (w, h) in [(360, 740), (1280, 800)] {
        let fresh = if w == 360 { None } else { Some(()) };
        let email = format!("beheer{w}@test.example");
        let (_driver, c) = browser(w, h).await;
        if fresh.is_none() {
            // Set-up, with a mistake first.
            c.goto(&format!("{}/", app.base)).await.unwrap();
            assert!(
                c.current_url()
                    .await
                    .map(|u| u.path() == "/setup")
                    .unwrap_or(false)
            );
            check(&c, &src, "set-up").await;
            fill(&c, "org_name", "Welzijn Test").await;
            submit(&c, "/setup").await;
            assert!(title(&c).await.starts_with("Fout: "));
            let focused = c
                .execute("return document.activeElement.className;", vec![])
                .await
                .unwrap_or(Value::Null);
            assert_eq!(
                focused,
                json!("error-summary"),
                "the error summary gets focus"
            );
            check(&c, &src, "set-up with errors").await;
            fill(&c, "neighbourhood_name", "Almere Poort").await;
            fill(&c, "display_name", "Carla").await;
            fill(&c, "email", &email).await;
            fill(&c, "password", "koffie op woensdag").await;
            submit(&c, "/setup").await;
        } else {
            let store = &app.store;
            let org = store.organisations().await.unwrap_or_default()[0].id;
            store
                .create_account(
                    &mtp_store::NewAccount {
                        org_id: org,
                        email: mtp_domain::Email::parse(&email).unwrap(),
                        display_name: mtp_domain::PersonName::parse("Carla").unwrap(),
                        role: mtp_domain::Role::Coordinator,
                        password: mtp_domain::NewPassword::parse("koffie op woensdag").unwrap(),
                        must_change_password: false,
                        neighbourhoods: vec![],
                        partner_org_id: None,
                    },
                    None,
                )
                .await
                .unwrap();
            c.goto(&format!("{}/login", app.base)).await.unwrap();
        }
        assert!(text(&c).await.contains("Inloggen"));
        check(&c, &src, "login").await;
        fill(&c, "email", &email).await;
        fill(&c, "password", "fout wachtwoord").await;
        submit(&c, "/login").await;
        let page = text(&c).await;
        assert!(
            page.contains("Het e-mailadres of het wachtwoord klopt niet."),
            "{} {page}",
            c.current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        );
        check(&c, &src, "login with error").await;
        fill(&c, "password", "koffie op woensdag").await;
        submit(&c, "/login").await;
        assert!(text(&c).await.contains("Welkom, Carla."));
        check(&c, &src, "home").await;

        // Language switch in the footer: a form once signed in.
        click_and_wait(&c, Locator::Css("button.lang-switch")).await;
        assert!(c.find(Locator::Css("html[lang='en']")).await.is_ok());
        assert!(text(&c).await.contains("Your account"));
        check(&c, &src, "home in English").await;

        // Two-factor sign-in.
        c.goto(&format!("{}/account/two-factor", app.base))
            .await
            .unwrap();
        check(&c, &src, "two-factor enrolment").await;
        let secret = c
            .find(Locator::Id("totp-secret"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap_or_default();
        fill(&c, "code", &totp_code(&secret, &email)).await;
        submit(&c, "/account/two-factor").await;
        assert!(
            text(&c)
                .await
                .contains("Signing in with a security code is on.")
        );
        submit(&c, "/logout").await;
        let page = text(&c).await;
        assert!(page.contains("You are signed out."), "{page}");
        fill(&c, "email", &email).await;
        fill(&c, "password", "koffie op woensdag").await;
        submit(&c, "/login").await;
        assert!(
            c.current_url()
                .await
                .map(|u| u.path() == "/login/code")
                .unwrap_or(false)
        );
        check(&c, &src, "security code").await;
        fill(&c, "code", &totp_code_ahead(&secret, &email, 1)).await;
        submit(&c, "/login/code").await;
        assert!(text(&c).await.contains("Welcome, Carla."));
        submit(&c, "/logout").await;
        let _ = c.close().await;
    }
}
on_both!(
    journeys,
    first_run_sign_in_language_and_two_factor_in_a_real_browser
);

/// The administrator's pages pass axe too.
async fn admin_pages_are_accessible(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["admin"]).await;
    for path in [
        "/admin/accounts",
        "/admin/accounts/new",
        "/admin/neighbourhoods",
        "/admin/neighbourhoods/new",
        "/admin/organisation",
        "/admin/holidays",
        "/audit",
        "/households",
        "/households/new",
        "/partners",
        "/partners/new",
        "/publicity",
        "/help-referrals",
        "/encourage",
        "/account/password",
        "/toegankelijkheid",
        "/privacy",
        "/bestaat-niet",
    ] {
        c.goto(&format!("{}{path}", app.base)).await.unwrap();
        check(&c, &src, path).await;
    }
    // An account page with its action buttons.
    c.goto(&format!("{}/admin/accounts", app.base))
        .await
        .unwrap();
    click_and_wait(&c, Locator::LinkText("Fatima el Amrani")).await;
    assert!(text(&c).await.contains("wijkwerker@almere"));
    c.wait().for_element(Locator::Css("footer")).await.unwrap();
    check(&c, &src, "account page").await;
    // Referrals to help and quotes (docs/guide/help-referrals.md): the overdue referral with
    // its step form, its family's referrals with the new-referral form, and a family's quotes.
    let t = app.org("Almere").await;
    let (tasks, _) = app.store.help_referral_tasks(&t, 1).await.unwrap();
    let quoted = app.store.usable_quotes(&t).await.unwrap()[0].household_id;
    for path in [
        format!("/help-referrals/{}", tasks[0].id),
        format!("/households/{}/help-referrals", tasks[0].household_id),
        format!("/households/{quoted}/quotes"),
    ] {
        c.goto(&format!("{}{path}", app.base)).await.unwrap();
        c.wait().for_element(Locator::Css("footer")).await.unwrap();
        check(&c, &src, &path).await;
    }
    // A partner's page with its contact and briefing forms, and the delete confirmation.
    c.goto(&format!("{}/partners", app.base)).await.unwrap();
    click_and_wait(&c, Locator::LinkText("Basisschool De Regenboog")).await;
    assert!(text(&c).await.contains("Ellen Bos"));
    c.wait().for_element(Locator::Css("footer")).await.unwrap();
    check(&c, &src, "partner page").await;
    click_and_wait(&c, Locator::LinkText("Partner verwijderen")).await;
    assert!(
        text(&c)
            .await
            .contains("Wil je Basisschool De Regenboog verwijderen?")
    );
    c.wait().for_element(Locator::Css("footer")).await.unwrap();
    check(&c, &src, "partner delete").await;
    let _ = c.close().await;
}
on_both!(admin_a11y, admin_pages_are_accessible);

/// A worker registers a family on a phone: a mistake first, then the household page.
async fn a_worker_registers_a_family_on_a_phone(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/households", app.base)).await.unwrap();
    check(&c, &src, "household list").await;
    click_and_wait(&c, Locator::LinkText("Nieuw gezin")).await;
    check(&c, &src, "new household").await;
    fill(&c, "p0_first_name", "Sanne").await;
    fill(&c, "p0_phone", "06 1234").await;
    submit(&c, "/households/new").await;
    assert!(title(&c).await.starts_with("Fout: "));
    let page = text(&c).await;
    assert!(
        page.contains("Vul een telefoonnummer in zoals 06-12345678"),
        "{page}"
    );
    check(&c, &src, "new household with errors").await;
    fill(&c, "p0_phone", "06-12345678").await;
    fill(&c, "c0_first_name", "Noah").await;
    c.find(Locator::Css("#c0_month option[value='3']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&c, "c0_year", "2019").await;
    // As a person would: tap the label (it covers the box to make a 44 px target).
    c.find(Locator::Css("label[for='consent_data']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&c, "/households/new").await;
    let page = text(&c).await;
    assert!(
        page.contains("Het gezin van Sanne is opgeslagen."),
        "{page}"
    );
    assert!(page.contains("06-12 34 56 78"));
    check(&c, &src, "household page").await;
    // Access and erasure on request.
    click_and_wait(&c, Locator::LinkText("Gegevens van dit gezin")).await;
    check(&c, &src, "export page").await;
    c.back().await.unwrap();
    click_and_wait(&c, Locator::LinkText("Gegevens verwijderen")).await;
    check(&c, &src, "erase confirmation").await;
    submit(&c, "/households/").await;
    let page = text(&c).await;
    assert!(page.contains("De gegevens zijn verwijderd."), "{page}");
    // The demo's forty remain; the erased one is gone from the list.
    assert!(page.contains("40 gezinnen gevonden."), "{page}");
    let _ = c.close().await;
}
on_both!(register_family, a_worker_registers_a_family_on_a_phone);

/// A worker brings in her spreadsheet with a mistake in it, skips the bad row, and finds the
/// imported family with the search.
async fn a_worker_imports_a_spreadsheet_with_an_error_and_searches(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let file = app.data_dir.join("gezinnen.csv");
    std::fs::write(
        &file,
        "Voornaam;Achternaam;Telefoon\r\nMerel;Hoekstra;06-11118888\r\nFout;Nummer;06-1\r\n",
    )
    .unwrap();
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/households/import", app.base))
        .await
        .unwrap();
    check(&c, &src, "import: choose a file").await;
    upload_files(&c, &[("file", &file)]).await;
    assert!(text(&c).await.contains("Stap 2 van 4"));
    check(&c, &src, "import: match columns").await;
    click_and_wait(&c, Locator::Css("form[action$='/columns'] button")).await;
    let page = text(&c).await;
    assert!(page.contains("Goed / met een fout: 1/1."), "{page}");
    check(&c, &src, "import: check").await;
    c.find(Locator::Css("label[for='only_good']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(&c, Locator::Css("form[action$='/check'] button")).await;
    check(&c, &src, "import: confirm").await;
    c.find(Locator::Css("label[for='consent_data']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(&c, Locator::Css("form[action$='/confirm'] button")).await;
    assert!(text(&c).await.contains("Klaar. Gezinnen geïmporteerd: 1."));
    fill(&c, "q", "hoekstra").await;
    submit(&c, "/households").await;
    let page = text(&c).await;
    assert!(
        page.contains("Merel Hoekstra") && page.contains("1 gezin gevonden."),
        "{page}"
    );
    check(&c, &src, "search results").await;
    let _ = c.close().await;
}
on_both!(
    import_journey,
    a_worker_imports_a_spreadsheet_with_an_error_and_searches
);

/// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`): how the test
/// takes the browser's network away and gives it back.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({"cmd": self.0, "params": self.1}).to_string()),
        )
    }
}

pub(crate) async fn network(c: &Client, offline: bool) {
    c.issue_cmd(Cdp("Network.enable", json!({})))
        .await
        .expect("Network.enable");
    c.issue_cmd(Cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    ))
    .await
    .expect("emulateNetworkConditions");
}

/// Any other DevTools command, e.g. `Network.setBlockedURLs` to fail some requests only.
pub(crate) async fn cdp(c: &Client, cmd: &'static str, params: Value) {
    c.issue_cmd(Cdp(cmd, params))
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
}

/// Run a script until it returns true, for at most `seconds`.
pub(crate) async fn wait_for(c: &Client, script: &str, seconds: u64, what: &str) {
    for _ in 0..seconds * 10 {
        if c.execute(script, vec![])
            .await
            .unwrap_or(Value::Bool(false))
            == Value::Bool(true)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// How many households the store has as present at a session.
async fn present_at(app: &TestApp, session: uuid::Uuid) -> Vec<uuid::Uuid> {
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

/// A host at the door on a phone: one tap per family; the network drops, two more taps wait on
/// the phone and show as not sent; the network comes back and each tap is counted once.
async fn a_host_checks_in_at_the_door_with_the_network_off_and_on(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let (_driver, c) = browser(360, 740).await;
    sign_in(&c, &app.base, &logins["host"]).await;
    c.goto(&format!("{}/sessions", app.base)).await.unwrap();
    check(&c, &src, "programme (host)").await;
    c.goto(&format!("{}/sessions/{session}/checkin", app.base))
        .await
        .unwrap();
    check(&c, &src, "check-in").await;

    let cards =
        "Array.from(document.querySelectorAll('.door-list > .door-card:not(.door-card--in)'))";
    let tap = format!(
        "const card = {cards}[0]; card.querySelector('button[value=\"present\"]').click(); return card.id;"
    );
    // Online: the tap reaches the server.
    c.execute(&tap, vec![]).await.unwrap();
    wait_for(
        &c,
        "return localStorage.getItem('mtp-checkin-queue') === '[]';",
        10,
        "the first tap to be sent",
    )
    .await;
    assert_eq!(present_at(&app, session).await.len(), 1);

    // Offline: two taps wait on the phone, and the page says so.
    network(&c, true).await;
    c.execute(&tap, vec![]).await.unwrap();
    c.execute(&tap, vec![]).await.unwrap();
    wait_for(
        &c,
        "return !document.getElementById('offline-bar').hidden && JSON.parse(localStorage.getItem('mtp-checkin-queue')).length === 2;",
        10,
        "two taps queued and the offline bar",
    )
    .await;
    let bar = c
        .find(Locator::Id("offline-bar"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(bar.contains("Nog niet verstuurd"), "{bar}");
    assert_eq!(
        present_at(&app, session).await.len(),
        1,
        "nothing arrived offline"
    );
    let counter = c
        .find(Locator::Id("door-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(
        counter.starts_with("3 / "),
        "the phone counts its own taps: {counter}"
    );
    axe(&c, &src, "check-in offline").await;

    // Back online: the queue empties, and each tap is counted once.
    network(&c, false).await;
    wait_for(
        &c,
        "return localStorage.getItem('mtp-checkin-queue') === '[]';",
        20,
        "the queue to empty",
    )
    .await;
    let present = present_at(&app, session).await;
    assert_eq!(present.len(), 3, "{present:?}");
    let audited = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("attendance.recorded".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap_or_default()
        .into_iter()
        // The demo's own records of earlier sessions are in the trail too.
        .filter(|e| e.detail.contains(&format!("session={session}")))
        .collect::<Vec<_>>();
    assert_eq!(audited.len(), 3, "three taps, three changes");
    // A reload shows what the server has: the same three.
    c.refresh().await.unwrap();
    let counter = c
        .find(Locator::Id("door-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    assert!(counter.starts_with("3 / "), "{counter}");
    let _ = c.close().await;
}
on_both!(
    door_offline,
    a_host_checks_in_at_the_door_with_the_network_off_and_on
);

/// The worker's pages for activities and sessions, at phone width and desktop width.
async fn activity_and_session_pages_are_accessible(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let (coffee, session) = app.coffee_hour().await;
    for (w, h) in [(360, 740), (1280, 800)] {
        let (_driver, c) = browser(w, h).await;
        sign_in(&c, &app.base, &logins["worker"]).await;
        for (path, label) in [
            // The start page with the demo's *even stil* proposals (issue #17).
            ("/".to_string(), "start page"),
            ("/activities".to_string(), "activities"),
            ("/activities/new".to_string(), "new activity"),
            (format!("/activities/{coffee}"), "activity"),
            (format!("/sessions/{session}"), "session"),
            (format!("/sessions/{session}/encourage"), "worklist"),
            ("/chat".to_string(), "chat group"),
            ("/messages".to_string(), "messages"),
            ("/sessions".to_string(), "programme"),
        ] {
            c.goto(&format!("{}{path}", app.base)).await.unwrap();
            check(&c, &src, &format!("{label} at {w}px")).await;
        }
        // A form with errors: the summary, the messages, the title.
        c.goto(&format!("{}/activities/{coffee}", app.base))
            .await
            .unwrap();
        fill(&c, "end", "08:00").await;
        submit(&c, &format!("/activities/{coffee}/plan")).await;
        assert!(title(&c).await.starts_with("Fout: "));
        check(&c, &src, &format!("plan with errors at {w}px")).await;
        let _ = c.close().await;
    }
}
on_both!(
    activity_pages_a11y,
    activity_and_session_pages_are_accessible
);

/// Record what the import progress indicator shows, in sessionStorage: the page it is on is
/// gone by the time the test looks. A MutationObserver notes every state (determinate with
/// the upload percentage, or indeterminate with the server's phase) as it appears.
async fn watch_progress(c: &Client) {
    c.execute(
        "sessionStorage.setItem('mtp-progress-seen', '[]');\
         const box = document.getElementById('import-progress');\
         const bar = box.querySelector('progress');\
         const text = box.querySelector('[role=status]');\
         new MutationObserver(() => {\
           if (bar.hidden || !text.textContent) return;\
           const seen = JSON.parse(sessionStorage.getItem('mtp-progress-seen'));\
           const now = (bar.hasAttribute('value') ? 'upload ' + bar.value + ': ' : 'working: ') + text.textContent;\
           if (seen[seen.length - 1] !== now) seen.push(now);\
           sessionStorage.setItem('mtp-progress-seen', JSON.stringify(seen));\
         }).observe(box, {subtree: true, childList: true, characterData: true, attributes: true});",
        vec![],
    )
    .await
    .expect("watching the progress indicator");
}

async fn progress_seen(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return JSON.parse(sessionStorage.getItem('mtp-progress-seen') || '[]');",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

/// A sheet of 3,000 families: with JavaScript on, each step of the wizard shows a progress
/// indicator (the upload percentage, then what the server is doing) until the next page is
/// there, and the page that arrives is the one the form leads to.
async fn a_large_spreadsheet_shows_progress_until_the_next_step(app: TestApp) {
    let logins = app.demo().await;
    let src = axe_source();
    let mut csv = String::from("Voornaam;Achternaam;Telefoon\r\n");
    for i in 0..3000 {
        csv.push_str(&format!("Ouder;Groot {i};06-4{i:07}\r\n"));
    }
    let file = app.data_dir.join("groot.csv");
    std::fs::write(&file, csv).unwrap();
    let (_driver, c) = browser(1280, 900).await;
    sign_in(&c, &app.base, &logins["worker"]).await;
    c.goto(&format!("{}/households/import", app.base))
        .await
        .unwrap();
    // Until a form is sent, the indicator is there but hidden and silent.
    let idle = c
        .execute(
            "const box = document.getElementById('import-progress');\
             return !!box && box.closest('form').dataset.progress === 'import-progress'\
               && box.querySelector('progress').hidden\
               && box.querySelector('[role=status]').textContent === '';",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        idle,
        Value::Bool(true),
        "the upload form has no idle indicator"
    );
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    watch_progress(&c).await;
    click_and_wait(
        &c,
        Locator::Css("form[enctype='multipart/form-data'] button"),
    )
    .await;
    let seen = progress_seen(&c).await;
    assert_eq!(
        seen.first().map(String::as_str),
        Some("upload 0: We ontvangen je bestand: 0%"),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some(
            "working: Je bestand is binnen. We lezen de rijen. Bij een groot bestand duurt dat even."
        ),
        "{seen:?}"
    );
    assert!(text(&c).await.contains("Stap 2 van 4"));
    assert!(
        c.current_url()
            .await
            .map(|u| u.path().ends_with("/columns"))
            .unwrap_or(false)
    );

    watch_progress(&c).await;
    click_and_wait(&c, Locator::Css("form[action$='/columns'] button")).await;
    assert_eq!(
        progress_seen(&c).await,
        vec!["working: We controleren de rijen (3.000). Bij een groot bestand duurt dat even."]
    );
    let page = text(&c).await;
    assert!(
        page.contains("Rijen gelezen: 3.000.") && page.contains("Goed / met een fout: 3.000/0."),
        "{page}"
    );
    check(&c, &src, "import: check of 3,000 rows").await;

    watch_progress(&c).await;
    click_and_wait(&c, Locator::Css("form[action$='/check'] button")).await;
    assert_eq!(
        progress_seen(&c).await,
        vec!["working: We controleren de rijen (3.000). Bij een groot bestand duurt dat even."]
    );
    // Without the consent ticked, the answer is the same page with its error: the script puts
    // it in place of the old one and moves the focus to the error summary.
    c.find(Locator::Css("form[action$='/confirm'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        &c,
        "return !!document.activeElement && document.activeElement.classList.contains('error-summary');",
        20,
        "the confirm page with its error summary in focus",
    )
    .await;
    let page = text(&c).await;
    assert!(
        page.contains("Importeer alleen gezinnen die toestemming hebben gegeven."),
        "{page}"
    );
    check(&c, &src, "import: confirm without consent").await;
    c.find(Locator::Css("label[for='consent_data']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    watch_progress(&c).await;
    click_and_wait(&c, Locator::Css("form[action$='/confirm'] button")).await;
    assert_eq!(
        progress_seen(&c).await,
        vec![
            "working: We importeren de gezinnen (3.000). Sluit deze pagina niet tot het klaar is."
        ]
    );
    let page = text(&c).await;
    assert!(page.contains("Gezinnen geïmporteerd: 3000."), "{page}");
    let _ = c.close().await;
}
on_both!(
    import_progress,
    a_large_spreadsheet_shows_progress_until_the_next_step
);

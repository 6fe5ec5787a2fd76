//! First-run set-up, sign-in, sign-out, CSRF, rate limits, two-factor, language.

use reqwest::StatusCode;

use crate::helpers::{Client, Login, TestApp, totp_code, totp_code_ahead};
use crate::on_both;

/// A refused sign-in says until when, as a time of day in the Netherlands about fifteen
/// minutes from now (docs/ui.md §3.1: "Probeer het om 14:35 opnieuw").
fn says_try_again_in_a_quarter(body: &str) -> bool {
    let now = chrono::Utc::now();
    (14..=16).any(|minutes| {
        let at = (now + chrono::Duration::minutes(minutes))
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%H:%M");
        body.contains(&format!(
            "Je hebt het te vaak geprobeerd. Probeer het om {at} opnieuw."
        ))
    })
}

/// The value of a cookie a response sets, e.g. the anonymous visitor's `mtp_anon`.
pub(crate) fn set_cookie_value(r: &crate::helpers::Res, name: &str) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// One answer to a form sent `n` times side by side.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

/// Send the same form `n` times at once, each with the same cookies (no cookie jar, so an
/// answer that changes a cookie does not change the requests still on their way).
pub(crate) async fn post_at_once(
    base: &str,
    path: &str,
    cookies: &str,
    fields: &[(&str, &str)],
    n: usize,
) -> Vec<Answer> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut sent = tokio::task::JoinSet::new();
    for _ in 0..n {
        let request = http
            .post(format!("{base}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookies)
            .body(body.clone());
        sent.spawn(async move {
            let r = request.send().await.expect("POST");
            let status = r.status();
            let location = r
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            Answer {
                status,
                location,
                body: r.text().await.unwrap_or_default(),
            }
        });
    }
    let mut answers = Vec::new();
    while let Some(a) = sent.join_next().await {
        answers.push(a.expect("a request task failed"));
    }
    answers
}

async fn audit_count(app: &TestApp, email: &str, action: &str) -> usize {
    let org = app
        .store
        .account_by_email(&mtp_domain::Email::parse(email).unwrap())
        .await
        .ok()
        .flatten()
        .map(|a| a.org_id)
        .unwrap_or_default();
    app.store
        .audit_entries(org, &mtp_store::AuditFilter::default(), 1000)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

async fn first_run_setup_creates_the_organisation_and_its_administrator(app: TestApp) {
    let mut c = app.client();
    let r = c.get("/").await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let r = c.get("/login").await;
    assert_eq!(
        r.location, "/setup",
        "an empty installation offers the set-up"
    );
    c.get("/setup").await;

    // Bad input: every field gets its own message, the title says "Fout:", nothing is lost.
    let r = c
        .post(
            "/setup",
            &[
                ("org_name", "Welzijn Test"),
                ("cbs_code", "WK12"),
                ("email", "geen-adres"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("<title>Fout: Meet the Parents instellen"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Er is een probleem"));
    for msg in [
        "Vul de naam van de wijk in.",
        "Vul een CBS-code in zoals WK003401",
        "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
        "Kies een wachtwoord van minstens 10 tekens.",
        "Vul een naam in.",
    ] {
        assert!(r.body.contains(msg), "missing message {msg:?}");
    }
    assert!(
        r.body.contains("value=\"Welzijn Test\""),
        "typed values are kept"
    );
    assert!(
        r.body.contains("href=\"#cbs_code\""),
        "the summary links to the field"
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(
        app.store.needs_setup().await.unwrap_or(false),
        "a refused set-up changes nothing"
    );

    let admin = Login {
        email: "beheer@test.example".into(),
        password: "koffie op woensdag".into(),
    };
    let r = c
        .post(
            "/setup",
            &[
                ("org_name", "Welzijn Test"),
                ("holiday_region", "noord"),
                ("neighbourhood_name", "Almere Poort"),
                ("cbs_code", "wk 003401"),
                ("display_name", "Beheerder Test"),
                ("email", "Beheer@Test.example"),
                ("password", &admin.password),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/login"),
        "{}",
        r.body
    );
    // The set-up happens once.
    assert_eq!(c.get("/setup").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.post("/setup", &[("org_name", "Tweede")]).await.status,
        StatusCode::NOT_FOUND
    );

    c.login(&admin).await;
    let home = c.get("/").await;
    assert!(
        home.body.contains("Welzijn Test")
            && home.body.contains("Almere Poort")
            && home.body.contains("Beheerder")
    );
    let nb = c.get("/admin/neighbourhoods").await;
    assert!(
        nb.body.contains("WK003401"),
        "the CBS code is stored normalised"
    );
}
on_both!(
    first_run_setup,
    first_run_setup_creates_the_organisation_and_its_administrator
);

async fn wrong_passwords_get_a_clear_message_and_are_limited_per_account(app: TestApp) {
    let logins = app.demo().await;
    let worker = &logins["worker"];
    let mut c = app.client();
    for _ in 0..5 {
        let r = c
            .post(
                "/login",
                &[
                    ("email", &worker.email),
                    ("password", "niet het wachtwoord"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Het e-mailadres of het wachtwoord klopt niet.")
        );
        assert!(
            r.body.contains(&format!("value=\"{}\"", worker.email)),
            "the e-mail address is kept"
        );
    }
    // Even the right password is refused now, with a message that says what to do.
    let r = c
        .post(
            "/login",
            &[("email", &worker.email), ("password", &worker.password)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
    // Another account from the same address is not blocked yet (the IP limit is higher).
    let mut other = app.client();
    other.login(&logins["host"]).await;
    let org = app
        .store
        .account_by_email(&mtp_domain::Email::parse(&worker.email).unwrap())
        .await
        .ok()
        .flatten()
        .map(|a| a.org_id);
    let events = app
        .store
        .audit_entries(
            org.unwrap_or_default(),
            &mtp_store::AuditFilter::default(),
            100,
        )
        .await
        .unwrap_or_default();
    assert_eq!(
        events.iter().filter(|e| e.action == "login.failed").count(),
        5
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "login.blocked")
            .count(),
        1
    );
}
on_both!(
    login_rate_limit,
    wrong_passwords_get_a_clear_message_and_are_limited_per_account
);

async fn forms_without_the_right_csrf_token_are_refused(app: TestApp) {
    let logins = app.demo().await;
    let mut c = app.client();
    c.get("/login").await;
    let r = c
        .post_raw(
            "/login",
            format!(
                "email={}&password={}",
                logins["admin"].email, logins["admin"].password
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Het formulier is verlopen"), "{}", r.body);
    let r = c
        .post_raw(
            "/login",
            format!(
                "_csrf=00&email={}&password={}",
                logins["admin"].email, logins["admin"].password
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A token of another visitor does not work either.
    let mut other = app.client();
    other.get("/login").await;
    let stolen = other.csrf.clone();
    let r = c
        .post_raw(
            "/login",
            format!(
                "_csrf={stolen}&email={}&password={}",
                logins["admin"].email, logins["admin"].password
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Signed in, the token changes with the session.
    c.login(&logins["admin"]).await;
    let r = c
        .post_raw(
            "/admin/organisation",
            format!("_csrf={stolen}&org_name=Gekaapt"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        c.get("/admin/organisation")
            .await
            .body
            .contains("Welzijn Almere (demo)")
    );
}
on_both!(csrf, forms_without_the_right_csrf_token_are_refused);

fn session_cookie(r: &crate::helpers::Res) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("mtp_session=") && !v.starts_with("mtp_session=;"))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

async fn sign_out_ends_the_session_and_cookies_are_safe(app: TestApp) {
    let logins = app.demo().await;
    let mut c = app.client();
    c.get("/login").await;
    let r = c
        .post(
            "/login",
            &[
                ("email", &logins["worker"].email),
                ("password", &logins["worker"].password),
            ],
        )
        .await;
    let cookie = session_cookie(&r).expect("no session cookie");
    let raw = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("mtp_session="))
        .unwrap_or("")
        .to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );
    c.get("/").await;
    let r = c.post("/logout", &[]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/login")
    );
    assert!(c.get("/login").await.body.contains("Je bent uitgelogd."));
    // The old token is worthless now, even if someone kept a copy.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(format!("{}/", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login")
    );
}
on_both!(sign_out, sign_out_ends_the_session_and_cookies_are_safe);

fn secret_on(body: &str) -> String {
    let i = body
        .find("id=\"totp-secret\">")
        .expect("no secret on the page");
    let rest = &body[i + 17..];
    rest[..rest.find('<').unwrap_or(0)].to_string()
}

async fn two_factor_enrolment_and_sign_in_with_a_security_code(app: TestApp) {
    let logins = app.demo().await;
    let w = &logins["worker"];
    let mut c = app.client();
    c.login(w).await;
    let page = c.get("/account/two-factor").await;
    assert!(page.body.contains("<svg"), "a QR code is shown");
    let secret = secret_on(&page.body);
    let r = c.post("/account/two-factor", &[("code", "000000")]).await;
    let wrong_is_wrong = totp_code(&secret, &w.email) != "000000";
    if wrong_is_wrong {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Deze beveiligingscode klopt niet."));
    }
    let r = c.post("/account/two-factor", &[("code", "12a")]).await;
    assert!(r.body.contains("Vul de 6 cijfers uit je app in."));
    let r = c
        .post(
            "/account/two-factor",
            &[("code", &totp_code(&secret, &w.email))],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/"),
        "{}",
        r.body
    );
    c.post("/logout", &[]).await;

    // Password alone is not enough any more.
    let mut c = app.client();
    c.get("/login").await;
    let r = c
        .post("/login", &[("email", &w.email), ("password", &w.password)])
        .await;
    assert_eq!(r.location, "/login/code");
    assert_eq!(
        c.get("/").await.location,
        "/login",
        "no page before the code"
    );
    c.get("/login/code").await;
    let r = c.post("/login/code", &[("code", "")]).await;
    assert!(r.body.contains("Vul de beveiligingscode in."), "{}", r.body);
    let next = totp_code_ahead(&secret, &w.email, 1);
    let r = c.post("/login/code", &[("code", &next)]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/"),
        "{}",
        r.body
    );
    // The same code a second time, in another browser: refused.
    let mut thief = app.client();
    thief.get("/login").await;
    thief
        .post("/login", &[("email", &w.email), ("password", &w.password)])
        .await;
    thief.get("/login/code").await;
    let r = thief.post("/login/code", &[("code", &next)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Deze code is al gebruikt."), "{}", r.body);
    // Switching it off needs the password.
    c.get("/account/two-factor").await;
    let r = c
        .post("/account/two-factor/off", &[("password", "geraden")])
        .await;
    assert!(r.body.contains("Je huidige wachtwoord klopt niet."));
    let r = c
        .post("/account/two-factor/off", &[("password", &w.password)])
        .await;
    assert_eq!(r.location, "/");
    assert_eq!(c.get("/").await.status, StatusCode::OK);
}
on_both!(
    two_factor,
    two_factor_enrolment_and_sign_in_with_a_security_code
);

async fn an_organisation_can_require_two_factor_for_staff(app: TestApp) {
    let logins = app.demo().await;
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let r = admin
        .post(
            "/admin/organisation",
            &[
                ("org_name", "Welzijn Almere (demo)"),
                ("holiday_region", "noord"),
                ("two_factor", "staff"),
                ("retention_months", "24"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut worker = app.client();
    worker.get("/login").await;
    worker
        .post(
            "/login",
            &[
                ("email", &logins["worker"].email),
                ("password", &logins["worker"].password),
            ],
        )
        .await;
    let r = worker.get("/").await;
    assert_eq!(
        r.location, "/account/two-factor",
        "staff must set up a security code first"
    );
    assert!(
        worker
            .get("/account/two-factor")
            .await
            .body
            .contains("Je organisatie wil dat je inlogt met een beveiligingscode.")
    );
    // A host is not staff: no security code needed.
    let mut host = app.client();
    host.login(&logins["host"]).await;
}
on_both!(
    two_factor_policy,
    an_organisation_can_require_two_factor_for_staff
);

async fn the_language_choice_is_remembered_per_account(app: TestApp) {
    let logins = app.demo().await;
    let mut c = app.client();
    let r = c.get("/login").await;
    assert!(r.body.contains("<html lang=\"nl\">") && r.body.contains("hreflang=\"en\""));
    c.login(&logins["worker"]).await;
    // Signed in, the switch is a form: a link on another site cannot change the account.
    let home = c.get("/").await;
    assert!(
        home.body.contains("action=\"/lang/en\"") && !home.body.contains("href=\"/lang/en"),
        "{}",
        home.body
    );
    let r = c.get("/lang/en?next=/").await;
    assert_eq!(r.location, "/");
    assert!(c.get("/").await.body.contains("<html lang=\"nl\">"));
    let r = c.post("/lang/en", &[("next", "/")]).await;
    assert_eq!(r.location, "/");
    let home = c.get("/").await;
    assert!(
        home.body.contains("<html lang=\"en\">") && home.body.contains("Your account"),
        "{}",
        home.body
    );
    // A fresh browser, after signing in, gets English too.
    let mut other = app.client();
    other.login(&logins["worker"]).await;
    assert!(other.get("/").await.body.contains("<html lang=\"en\">"));
    // Only local addresses to go back to.
    assert_eq!(
        c.post("/lang/nl", &[("next", "https://example.com/")])
            .await
            .location,
        "/"
    );
    // A form from another site has no token.
    let mut stranger = app.client();
    stranger.csrf = "not-the-token".into();
    assert_eq!(
        stranger.post("/lang/en", &[("next", "/")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.get("/lang/de").await.status, StatusCode::NOT_FOUND);
}
on_both!(language, the_language_choice_is_remembered_per_account);

async fn health_readiness_metrics_and_error_pages(app: TestApp) {
    let mut c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok\n"));
    let r = c.get("/readyz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready\n"));
    let r = c.get("/bestaat-niet").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Pagina niet gevonden") && r.body.contains("<html lang=\"nl\">"));
    let csp = r
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(
        r.headers
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(r.headers.get("x-request-id").is_some());
    // Metrics need the token.
    let m = reqwest::Client::new();
    let r = m.get(format!("{}/metrics", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = m
        .get(format!("{}/metrics", app.base))
        .bearer_auth("test-metrics-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("http_requests_total")
    );
    // Static assets are embedded and cacheable.
    let r = c.get("/static/app.css").await;
    assert!(r.status == StatusCode::OK && r.body.contains("--c-primary"));
    assert!(r.headers.get("etag").is_some());
}
on_both!(health_and_errors, health_readiness_metrics_and_error_pages);

/// Issue #14, finding 2: the limit holds for tries sent side by side. Each try is counted
/// before the password is checked, so of fifty at once no more than five are checked.
async fn fifty_wrong_passwords_at_once_are_checked_at_most_five_times(app: TestApp) {
    let logins = app.demo().await;
    let worker = &logins["worker"];
    let mut c = app.client();
    let page = c.get("/login").await;
    let anon = set_cookie_value(&page, "mtp_anon").expect("no mtp_anon");
    let answers = post_at_once(
        &app.base,
        "/login",
        &format!("mtp_anon={anon}"),
        &[
            ("_csrf", &c.csrf),
            ("email", &worker.email),
            ("password", "niet het wachtwoord"),
        ],
        50,
    )
    .await;
    let wrong = answers
        .iter()
        .filter(|a| {
            a.status == StatusCode::UNPROCESSABLE_ENTITY
                && a.body
                    .contains("Het e-mailadres of het wachtwoord klopt niet.")
        })
        .count();
    let refused = answers
        .iter()
        .filter(|a| {
            a.status == StatusCode::TOO_MANY_REQUESTS && says_try_again_in_a_quarter(&a.body)
        })
        .count();
    assert!(
        wrong <= 5,
        "{wrong} of 50 tries were checked; the limit is 5"
    );
    assert_eq!(
        wrong + refused,
        50,
        "every other try is refused with a time"
    );
    assert_eq!(
        audit_count(&app, &worker.email, "login.failed").await,
        wrong
    );
    assert_eq!(
        audit_count(&app, &worker.email, "login.blocked").await,
        refused
    );
    eprintln!("of 50 wrong passwords at once, {wrong} were checked and {refused} refused");
    // One at a time afterwards, the tries that are checked add up to five exactly.
    let mut later = 0;
    loop {
        let r = try_password(&mut c, &worker.email, "niet het wachtwoord").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
            break;
        }
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        later += 1;
        assert!(wrong + later <= 5, "more than five tries were checked");
    }
    assert_eq!(wrong + later, 5);
    // The right password is refused too from here now.
    let r = try_password(&mut c, &worker.email, &worker.password).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
    assert_eq!(c.get("/").await.location, "/login", "not signed in");
}
on_both!(
    login_limit_parallel,
    fifty_wrong_passwords_at_once_are_checked_at_most_five_times
);

/// A code that is none of the codes the server could accept while the test runs.
fn a_wrong_code(secret: &str, email: &str) -> String {
    let compact: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let near: Vec<String> = mtp_web::totp::totp(&compact, email)
        .map(|t| {
            (0..8)
                .map(|step| t.generate(now + 30 * step - 60).to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(!near.is_empty(), "the secret makes codes");
    (0..10u32)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|c| !near.contains(c))
        .expect("ten codes cannot all be near")
}

/// Issue #14, finding 3: a known password does not reset the count of wrong security codes.
/// Password, four wrong codes, password again, …: the limit is reached after five wrong
/// codes in all, and then the password and the codes, even the right one, stay refused.
async fn wrong_security_codes_stay_limited_after_the_right_password(app: TestApp) {
    let logins = app.demo().await;
    let w = &logins["worker"];
    let mut c = app.client();
    c.login(w).await;
    let page = c.get("/account/two-factor").await;
    let secret = secret_on(&page.body);
    let r = c
        .post(
            "/account/two-factor",
            &[("code", &totp_code(&secret, &w.email))],
        )
        .await;
    assert_eq!(r.location, "/", "{}", r.body);
    c.post("/logout", &[]).await;

    let wrong_code = a_wrong_code(&secret, &w.email);
    let mut guess = app.client();
    let (mut wrong, mut refused_codes, mut refused_passwords) = (0, 0, 0);
    for _ in 0..4 {
        guess.get("/login").await;
        let r = guess
            .post("/login", &[("email", &w.email), ("password", &w.password)])
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
            refused_passwords += 1;
            continue;
        }
        assert_eq!(r.location, "/login/code", "{}", r.body);
        guess.get("/login/code").await;
        for _ in 0..4 {
            let r = guess.post("/login/code", &[("code", &wrong_code)]).await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
                refused_codes += 1;
            } else {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
                assert!(
                    r.body.contains("Deze beveiligingscode klopt niet."),
                    "{}",
                    r.body
                );
                wrong += 1;
            }
        }
    }
    assert_eq!(wrong, 5, "five wrong codes are checked, no more");
    assert_eq!(refused_codes, 3, "the rest of the second round is refused");
    assert_eq!(
        refused_passwords, 2,
        "then the password step is refused too"
    );
    // And it stays there: the right code on the pending step is refused as well.
    let r = guess
        .post(
            "/login/code",
            &[("code", &totp_code_ahead(&secret, &w.email, 1))],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
    assert_eq!(guess.get("/").await.location, "/login", "not signed in");
    assert_eq!(audit_count(&app, &w.email, "login.code-wrong").await, 5);
}
on_both!(
    code_limit,
    wrong_security_codes_stay_limited_after_the_right_password
);

/// A second app server on the same database that takes the client's address from
/// `X-Forwarded-For`, as behind the organisation's own proxy (`MTP_TRUST_PROXY`). Stops
/// when dropped.
struct BehindProxy {
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn behind_proxy(app: &TestApp) -> BehindProxy {
    let mut cfg = mtp::Config::for_tests(app.data_dir.clone(), Some(app.database_url.clone()));
    cfg.trust_proxy = true;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = mtp::start(&cfg, async move {
        let _ = stopped.await;
    })
    .await
    .expect("the app behind a proxy did not start");
    BehindProxy {
        base: format!("http://{}", running.addr),
        _stop: stop,
    }
}

/// A browser at `address`, as the proxy reports it.
fn browser_at(server: &BehindProxy, address: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().expect("header value"));
    Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client"),
        base: server.base.clone(),
        csrf: String::new(),
    }
}

async fn try_password(c: &mut Client, email: &str, password: &str) -> crate::helpers::Res {
    c.get("/login").await;
    c.post("/login", &[("email", email), ("password", password)])
        .await
}

/// Issue #14, finding 9: strangers who know an e-mail address cannot lock its owner out.
/// Their own address is refused after five wrong passwords; the owner, from an address that
/// has not failed, still signs in; the strangers' address stays refused.
async fn strangers_use_up_the_limit_and_the_owner_still_signs_in(app: TestApp) {
    let logins = app.demo().await;
    let worker = &logins["worker"];
    let server = behind_proxy(&app).await;
    let mut stranger = browser_at(&server, "203.0.113.7");
    for _ in 0..5 {
        let r = try_password(&mut stranger, &worker.email, "geraden wachtwoord").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Het e-mailadres of het wachtwoord klopt niet.")
        );
    }
    for password in ["nog een gok", worker.password.as_str()] {
        let r = try_password(&mut stranger, &worker.email, password).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
    }
    // While the account is over its limit, an address that has not failed on it gets one
    // try, not five.
    let mut second = browser_at(&server, "203.0.113.8");
    let r = try_password(&mut second, &worker.email, "geraden wachtwoord").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = try_password(&mut second, &worker.email, "nog een gok").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);

    let mut owner = browser_at(&server, "198.51.100.20");
    owner.login(worker).await;
    assert!(owner.get("/").await.body.contains("Uitloggen"));

    for password in ["weer een gok", worker.password.as_str()] {
        let r = try_password(&mut stranger, &worker.email, password).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(says_try_again_in_a_quarter(&r.body), "{}", r.body);
    }
    assert_eq!(audit_count(&app, &worker.email, "login.failed").await, 6);
    assert_eq!(audit_count(&app, &worker.email, "login.succeeded").await, 1);
}
on_both!(
    login_limit_owner,
    strangers_use_up_the_limit_and_the_owner_still_signs_in
);

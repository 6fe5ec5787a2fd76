//! Secret referral addresses (issue #16, docs/guide/referrals.md#a-referral-address): a
//! coordinator makes one for a partner without an account (shown once, its hash kept); the
//! form behind it works without signing in, refuses programs (a signed time stamp that must
//! be a few seconds old, a field people never meet) and names bad fields; it makes the same
//! referral as a partner account, with the referrer's status by e-mail through a signed link
//! that shows the minimal status only; the limits per address and per network address hold
//! for requests sent side by side; a revoked address answers with a plain page.

use chrono::{Duration, Utc};
use mtp_domain::Tenant;
use mtp_store::AuditFilter;
use mtp_store::referral_addresses::{PER_ADDRESS, PER_NETWORK};
use mtp_web::routes::referral_address::{form_token, status_token};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::helpers::{Client, TestApp};
use crate::on_both;

/// The demo's youth health care team of Poort: a partner without an account.
pub(crate) async fn jgz(app: &TestApp, t: &Tenant) -> Uuid {
    app.store
        .partners(t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "JGZ Almere Poort")
        .map(|p| p.id)
        .expect("the demo has the JGZ as a partner")
}

/// The address on the page a coordinator gets when making one.
fn address_in(body: &str) -> String {
    let at = body.find("/refer/").expect("an address on the page") + "/refer/".len();
    body[at..at + 64].to_string()
}

async fn audit_count(app: &TestApp, t: &Tenant, action: &str) -> usize {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap()
        .len()
}

/// The fields of a good referral through an address, with a stamp `age` old.
fn fields(secret: &str, token: &str, poort: Uuid, age: Duration) -> Vec<(String, String)> {
    vec![
        ("first_name".into(), "Ayse".into()),
        ("reach".into(), "06-23456789".into()),
        ("need".into(), "Andere moeders leren kennen".into()),
        ("neighbourhood_id".into(), poort.to_string()),
        ("agreed".into(), "yes".into()),
        ("referrer_email".into(), "zorg@jgz.example.nl".into()),
        ("homepage".into(), String::new()),
        (
            "form_token".into(),
            form_token(secret, token, Utc::now() - age),
        ),
    ]
}

async fn post(c: &mut Client, path: &str, f: &[(String, String)]) -> crate::helpers::Res {
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(path, &f).await
}

fn with(f: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    f.iter()
        .map(|(k, v)| {
            if k == name {
                (k.clone(), value.to_string())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

/// The demo, the youth health care team, the web key and a coordinator signed in.
struct Setup {
    logins: std::collections::HashMap<String, crate::helpers::Login>,
    t: Tenant,
    poort: Uuid,
    partner: Uuid,
    secret: String,
    coord: Client,
}

async fn setup(app: &TestApp) -> Setup {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let partner = jgz(app, &t).await;
    let secret = app.store.secret("web").await.unwrap();
    let mut coord = app.client();
    coord.login(&logins["coordinator"]).await;
    Setup {
        logins,
        t,
        poort,
        partner,
        secret,
        coord,
    }
}

async fn an_address_is_made_used_and_revoked(app: TestApp) {
    let Setup {
        logins,
        t,
        poort,
        partner,
        secret,
        mut coord,
    } = setup(&app).await;

    // The coordinator makes (or replaces) the address: shown once, on this page only.
    let page = coord.get(&format!("/partners/{partner}")).await;
    assert!(page.body.contains("Verwijsadres"), "{}", page.body);
    let made = coord
        .post(&format!("/partners/{partner}/referral-address"), &[])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.body.contains("Je ziet het alleen nu."));
    let token = address_in(&made.body);
    let page = coord.get(&format!("/partners/{partner}")).await;
    assert!(page.body.contains("Het verwijsadres werkt."));
    assert!(
        !page.body.contains(&token),
        "the address is shown once only"
    );

    // The form works without signing in, for the partner's own neighbourhoods.
    let mut anyone = app.client();
    let form = anyone.get(&format!("/refer/{token}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Je verwijst namens JGZ Almere Poort"));
    assert!(form.body.contains(&format!("value=\"{poort}\" checked")));
    // The field people never meet: out of sight, keyboard and screen readers.
    assert!(
        form.body
            .contains("<div class=\"vh\" aria-hidden=\"true\">")
    );
    assert!(
        form.body
            .contains("name=\"homepage\" type=\"text\" tabindex=\"-1\"")
    );
    let path = format!("/refer/{token}");
    let good = fields(&secret, &token, poort, Duration::seconds(10));
    let refused_before = audit_count(&app, &t, "referral-address.refused").await;

    // Sent at once with the form's own stamp: too quick for a person.
    let own_stamp = {
        let at = form.body.find("name=\"form_token\" value=\"").unwrap() + 25;
        form.body[at..at + form.body[at..].find('"').unwrap()].to_string()
    };
    let r = post(&mut anyone, &path, &with(&good, "form_token", &own_stamp)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Kijk het formulier na en verstuur het opnieuw.")
    );
    // The field people leave empty, filled in; a stamp of yesterday; a forged stamp.
    for bad in [
        with(&good, "homepage", "https://spam.example"),
        fields(&secret, &token, poort, Duration::hours(7)),
        with(&good, "form_token", "1.00"),
        fields("another secret", &token, poort, Duration::seconds(10)),
    ] {
        let r = post(&mut anyone, &path, &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Kijk het formulier na"));
    }
    assert_eq!(
        audit_count(&app, &t, "referral-address.refused").await,
        refused_before + 5
    );
    // Bad fields are named at the field, in Dutch.
    let bad = with(
        &with(&good, "referrer_email", "geen adres"),
        "reach",
        "bel maar",
    );
    let r = post(&mut anyone, &path, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Dit is geen goed e-mailadres. Bijvoorbeeld naam@school.nl.")
    );
    assert!(
        r.body
            .contains("Dit is geen goed telefoonnummer of e-mailadres.")
    );
    assert!(
        !app.store
            .team_referrals(&t)
            .await
            .unwrap()
            .iter()
            .any(|r| r.first_name == "Ayse")
    );

    // A good referral: the same referral a partner account makes, waiting for the parent.
    let r = post(&mut anyone, &path, &good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("We hebben de verwijzing ontvangen."));
    let referral = app
        .store
        .team_referrals(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.first_name == "Ayse")
        .expect("the referral is on the team's list");
    assert_eq!(referral.partner_id, partner);
    assert_eq!(referral.state, mtp_domain::referral::ReferralState::Waiting);
    let trail = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some("referral.created".into()),
                object_id: Some(referral.id),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor_role, "referrer");
    assert!(!trail[0].detail.contains("Ayse") && !trail[0].detail.contains("zorg@"));
    // The status goes back by e-mail through the queue.
    let now = Utc::now();
    let jobs = app
        .store
        .mail_jobs(&t, now - Duration::hours(1), now + Duration::hours(1))
        .await
        .unwrap();
    assert!(
        jobs.iter()
            .any(|j| j.kind == mtp_store::jobs::JobKind::ReferralMail
                && j.neighbourhood_id == Some(poort))
    );
    // The signed link shows that referral's minimal status and date, nothing more.
    let status = anyone
        .get(&format!(
            "/referral-status/{}",
            status_token(&secret, referral.id)
        ))
        .await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(status.body.contains("Ontvangen"));
    assert!(!status.body.contains("Ayse") && !status.body.contains("moeders"));
    assert_eq!(audit_count(&app, &t, "referral.status-viewed").await, 1);
    // A link with another referral's id under this signature does not work.
    let forged = format!(
        "{}.{}",
        Uuid::now_v7().simple(),
        status_token(&secret, referral.id)
            .split_once('.')
            .unwrap()
            .1
    );
    let r = anyone.get(&format!("/referral-status/{forged}")).await;
    assert!(r.body.contains("Deze link werkt niet."));
    assert!(!r.body.contains("Ontvangen"));

    // A new address replaces the old one; revoking stops it: a plain page, nothing else.
    let renewed = address_in(
        &coord
            .post(&format!("/partners/{partner}/referral-address"), &[])
            .await
            .body,
    );
    let old = anyone.get(&path).await;
    assert_eq!(old.status, StatusCode::GONE);
    assert!(old.body.contains("Dit verwijsadres werkt niet meer."));
    assert!(!old.body.contains("JGZ"));
    assert_eq!(
        anyone.get(&format!("/refer/{renewed}")).await.status,
        StatusCode::OK
    );
    let r = coord
        .post(&format!("/partners/{partner}/referral-address/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let gone = anyone.get(&format!("/refer/{renewed}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("Dit verwijsadres werkt niet meer."));
    let r = post(
        &mut anyone,
        &format!("/refer/{renewed}"),
        &fields(&secret, &renewed, poort, Duration::seconds(10)),
    )
    .await;
    assert_eq!(r.status, StatusCode::GONE);
    let page = coord.get(&format!("/partners/{partner}")).await;
    assert!(page.body.contains("Het verwijsadres is gestopt op"));
    for action in ["referral-address.made", "referral-address.revoked"] {
        assert!(audit_count(&app, &t, action).await >= 1, "{action}");
    }
    // A worker may read the partner, not make its address.
    let mut worker = app.client();
    worker.login(&logins["worker"]).await;
    let r = worker
        .post(&format!("/partners/{partner}/referral-address"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
on_both!(referral_address, an_address_is_made_used_and_revoked);

/// Sent side by side, no more pass than the limits allow: per network address through the
/// form, and per address in the store.
async fn the_limits_hold_for_requests_sent_side_by_side(app: TestApp) {
    let Setup {
        t,
        poort,
        partner,
        secret,
        mut coord,
        ..
    } = setup(&app).await;
    let token = address_in(
        &coord
            .post(&format!("/partners/{partner}/referral-address"), &[])
            .await
            .body,
    );
    let mut c = app.client();
    let page = c.get(&format!("/refer/{token}")).await;
    let anon = crate::auth::set_cookie_value(&page, "mtp_anon").expect("no mtp_anon");
    let mut f = fields(&secret, &token, poort, Duration::seconds(10));
    f.push(("_csrf".into(), c.csrf.clone()));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let n = PER_NETWORK as usize + 5;
    let answers = crate::auth::post_at_once(
        &app.base,
        &format!("/refer/{token}"),
        &format!("mtp_anon={anon}"),
        &f,
        n,
    )
    .await;
    let passed = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    let limited = answers
        .iter()
        .filter(|a| {
            a.status == StatusCode::TOO_MANY_REQUESTS
                && a.body
                    .contains("Vanaf hier zijn veel verwijzingen verstuurd.")
        })
        .count();
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(
        (passed, limited),
        (PER_NETWORK as usize, 5),
        "{statuses:?} {}",
        answers
            .iter()
            .find(|a| a.status != StatusCode::OK && a.status != StatusCode::TOO_MANY_REQUESTS)
            .map(|a| a.body.as_str())
            .unwrap_or_default()
    );
    let made = app
        .store
        .team_referrals(&t)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.first_name == "Ayse")
        .count();
    assert_eq!(made, PER_NETWORK as usize);

    // The address's own limit, each use from another network, all at once.
    let form = app
        .store
        .referral_address_form(&token)
        .await
        .unwrap()
        .expect("the address works");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..PER_ADDRESS + 10 {
        let store = app.store.clone();
        tasks.spawn(async move { store.take_address_use(form.address_id, Utc::now()).await });
    }
    let mut taken = 0;
    while let Some(r) = tasks.join_next().await {
        if r.unwrap().unwrap() {
            taken += 1;
        }
    }
    // The form's five referrals took five uses already.
    assert_eq!(taken, PER_ADDRESS - PER_NETWORK);
    // The same for one network key in the store.
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..PER_NETWORK + 10 {
        let store = app.store.clone();
        tasks.spawn(async move { store.take_network_use("test-key", Utc::now()).await });
    }
    let mut taken = 0;
    while let Some(r) = tasks.join_next().await {
        if r.unwrap().unwrap() {
            taken += 1;
        }
    }
    assert_eq!(taken, PER_NETWORK);
    // After the window, a use counts from one again.
    assert!(
        app.store
            .take_network_use("test-key", Utc::now() + Duration::hours(2))
            .await
            .unwrap()
    );
}
on_both!(
    referral_address_limits,
    the_limits_hold_for_requests_sent_side_by_side
);

/// The text of each message to `email`, in the order they arrived.
fn mails_to(msgs: &[Vec<u8>], email: &str) -> Vec<(String, String)> {
    crate::reminders::for_address(msgs, email)
        .into_iter()
        .filter_map(|m| mail_parser::MessageParser::default().parse(m.as_slice()))
        .map(|m| {
            (
                m.subject().unwrap_or_default().to_string(),
                m.body_text(0).map(|b| b.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

/// The key of the check-in page's one form.
fn door_key(body: &str) -> String {
    let mark = r#"<input type="hidden" name="key" value=""#;
    let at = body.find(mark).expect("the page's form has a key") + mark.len();
    body[at..at + 36].to_string()
}

/// The referrer who used an address hears each change of the status once (received → contact
/// made → came to an activity), in the language they used the form in, through a real SMTP
/// server; after the last status their e-mail address is erased, so nothing more is sent.
async fn the_referrer_hears_each_change_once_in_their_own_language(app: TestApp) {
    let Setup {
        logins,
        t,
        poort,
        partner,
        secret,
        mut coord,
    } = setup(&app).await;
    let made = coord
        .post(&format!("/partners/{partner}/referral-address"), &[])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let token = address_in(&made.body);
    // The referrer reads English.
    let mut referrer = app.client();
    referrer.post("/lang/en", &[("next", "/")]).await;
    let sent = post(
        &mut referrer,
        &format!("/refer/{token}"),
        &fields(&secret, &token, poort, Duration::seconds(10)),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let id = app
        .store
        .team_referrals(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.first_name == "Ayse")
        .expect("the referral is on the team's list")
        .id;

    // The sweep the server runs every few minutes: nothing changed, nothing sent.
    let state = mtp_web::AppState::new(
        app.store.clone(),
        mtp_web::WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            metrics_token: None,
            mail_configured: true,
            public_url: app.base.clone(),
            research_workbook_max: 50_000,
        },
        None,
    )
    .await
    .unwrap();
    let sweep = || mtp_web::routes::referral_address::mail_referrer_status_changes(&state);
    // The demo's own referrals through an address are told first; then nothing changed.
    sweep().await.unwrap();
    assert_eq!(sweep().await.unwrap(), 0);

    // The parent confirms and the worker takes the family on: "contact made", told once.
    let audit = crate::referrals::event(t.org_id);
    let now = Utc::now();
    let parent_link = app
        .store
        .make_referral_link_at(&t, id, audit.clone(), now)
        .await
        .unwrap();
    app.store
        .answer_referral_at(&parent_link.token, true, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sweep().await.unwrap(), 0, "confirmed is still received");
    let household = app
        .store
        .referral_to_household(
            &t,
            None,
            id,
            mtp_domain::household::HouseholdKind::SingleParent,
            audit,
        )
        .await
        .unwrap();
    assert_eq!(sweep().await.unwrap(), 1);
    assert_eq!(sweep().await.unwrap(), 0, "each change once");

    // She comes to the coffee hour: checked in at the door by the worker.
    let (_, session) = app.coffee_hour().await;
    let mut worker = app.client();
    worker.login(&logins["worker"]).await;
    let door = format!("/sessions/{session}/checkin");
    let page = worker.get(&format!("{door}?q=Ayse")).await;
    assert!(
        page.body.contains(&format!("id=\"h-{household}\"")),
        "{}",
        page.body
    );
    let button = format!("h-{household}");
    let r = worker
        .post(
            &door,
            &[
                ("key", door_key(&page.body).as_str()),
                (button.as_str(), "present"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        sweep().await.unwrap(),
        0,
        "a coffee hour still to come is no visit yet"
    );
    // After the coffee hour the worker closes it as held: now she came.
    let r = worker
        .post(&format!("/sessions/{session}/state"), &[("state", "held")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(sweep().await.unwrap(), 1);

    // The mails go out through a real SMTP server (a second app server sends the queue; it
    // starts only now, as two servers writing one SQLite file at once is not how we run).
    let smtp = crate::helpers::SmtpServer::start().await;
    let _sender =
        crate::helpers::spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url())
            .await;
    let to = "zorg@jgz.example.nl";
    let msgs = smtp.wait_until(30, |m| mails_to(m, to).len() >= 3).await;
    let mut mails = mails_to(&msgs, to);
    mails.sort();
    let subjects: Vec<&str> = mails.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "News about your referral: Contact made",
            "News about your referral: Joined an activity",
            "Your referral was received",
        ],
        "each status once, in English"
    );
    let link = format!("/referral-status/{}", status_token(&secret, id));
    for (subject, text) in &mails {
        assert!(text.contains(&link), "{subject}: {text}");
        assert!(text.contains("JGZ Almere Poort"), "{subject}: {text}");
        assert!(!text.contains("Ayse"), "no name in the mail: {text}");
    }
    // The last status is told: the address is erased, nothing more goes out.
    assert_eq!(sweep().await.unwrap(), 0);
    let kept = app
        .store
        .referrer_status_changes(100)
        .await
        .unwrap()
        .into_iter()
        .any(|c| c.referral_id == id);
    assert!(!kept, "no address left to write to");
    let db = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT referrer_email FROM address_referral WHERE referral_id = $1"
        }
        _ => "SELECT referrer_email FROM address_referral WHERE referral_id = ?",
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [sea_orm::Value::from(id)],
        ))
        .await
        .unwrap()
        .expect("the referral's row");
    let email: Option<String> = row.try_get("", "referrer_email").unwrap();
    assert_eq!(
        email, None,
        "the referrer's address is erased after the last status"
    );
}
on_both!(
    referrer_status_mails,
    the_referrer_hears_each_change_once_in_their_own_language
);

/// A referrer's address is kept for the status only: half a year on, with the last status
/// never come, it is erased.
async fn a_referrers_address_is_erased_after_half_a_year(app: TestApp) {
    let Setup {
        t, poort, partner, ..
    } = setup(&app).await;
    let token = app
        .store
        .make_referral_address(&t, partner, crate::referrals::event(t.org_id))
        .await
        .unwrap();
    let made = Utc::now() - mtp_store::referral_addresses::REFERRER_KEPT - Duration::days(1);
    let email = mtp_domain::Email::parse("balie@jgz.example.nl").unwrap();
    let old = app
        .store
        .create_address_referral(
            &token,
            &crate::referrals::draft("Oud", "06-41414141", poort),
            &email,
            made,
        )
        .await
        .unwrap()
        .referral_id;
    let new = app
        .store
        .create_address_referral(
            &token,
            &crate::referrals::draft("Nieuw", "06-42424242", poort),
            &email,
            Utc::now(),
        )
        .await
        .unwrap()
        .referral_id;
    assert_eq!(
        app.store
            .erase_stale_referrer_addresses(Utc::now())
            .await
            .unwrap(),
        1
    );
    let waiting: Vec<Uuid> = app
        .store
        .referrer_status_changes(100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.referral_id)
        .collect();
    assert!(
        waiting.contains(&new) && !waiting.contains(&old),
        "{waiting:?}"
    );
}
on_both!(
    referrer_address_retention,
    a_referrers_address_is_erased_after_half_a_year
);

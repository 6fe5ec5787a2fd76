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
use uuid::Uuid;

use crate::helpers::{Client, TestApp};
use crate::on_both;

/// The demo's youth health care team of Poort: a partner without an account.
async fn jgz(app: &TestApp, t: &Tenant) -> Uuid {
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

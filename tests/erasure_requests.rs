//! A family's erasure request (issue #22, bug 3): it is closed only by the erasure itself or
//! by a refusal with a reason the family is told, never by a plain "done"; requests older than
//! the month the family was promised show on the coordinator's and administrator's start
//! page; another organisation or neighbourhood does not find them.

use mtp_domain::household::Channel;
use mtp_domain::portal::{RefusalReason, RequestKind};
use mtp_domain::{Role, Tenant};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use uuid::Uuid;

use crate::helpers::{Client, SmtpServer, TestApp, spawn_with_mail};
use crate::on_both;
use crate::reminders::{family, for_address};

/// A parent's phone, signed in to the portal with a fresh link.
async fn parent_phone(app: &TestApp, t: &Tenant, household: Uuid) -> Client {
    let token = app
        .store
        .create_portal_link(t, None, household, None)
        .await
        .unwrap();
    let mut c = app.client();
    c.get(&format!("/portal/link/{token}")).await;
    let res = c.post(&format!("/portal/link/{token}"), &[]).await;
    assert_eq!(res.location, "/portal", "{}", res.body);
    c
}

/// The parent asks for erasure in the portal; returns the open request's id.
async fn ask_erasure(app: &TestApp, t: &Tenant, phone: &mut Client, household: Uuid) -> Uuid {
    phone.get("/portal/data/erase").await;
    let res = phone.post("/portal/data/erase", &[]).await;
    assert_eq!(res.location, "/portal/data/erase");
    open_erasure(app, t, household)
        .await
        .expect("the erasure request is open")
}

async fn open_erasure(app: &TestApp, t: &Tenant, household: Uuid) -> Option<Uuid> {
    app.store
        .parent_requests(t, Some(household))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == RequestKind::Erasure)
        .map(|r| r.id)
}

async fn actions(app: &TestApp, t: &Tenant) -> Vec<String> {
    app.store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 1000)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn closed_only_by_erasure_or_refusal(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let sanne = family(&app, &t, "Sanne", Channel::Email, "Nederlands").await;
    let smtp = SmtpServer::start().await;
    let _sender = spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url()).await;
    let mut phone = parent_phone(&app, &t, sanne.id).await;
    let request = ask_erasure(&app, &t, &mut phone, sanne.id).await;

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get(&format!("/households/{}", sanne.id)).await;
    assert!(
        page.body.contains(&format!("href=\"/requests/{request}\"")),
        "the household page leads to the request's own page"
    );
    assert!(
        !page.body.contains(&format!("/requests/{request}/done")),
        "no plain done button for an erasure request"
    );

    // The plain close is refused, and the request stays open.
    let done = w.post(&format!("/requests/{request}/done"), &[]).await;
    assert_eq!(
        done.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        done.body
    );
    assert!(
        done.body.contains("Zo kun je dit verzoek niet afsluiten"),
        "{}",
        done.body
    );
    assert_eq!(open_erasure(&app, &t, sanne.id).await, Some(request));

    // Its page offers the two ways.
    let handle = w.get(&format!("/requests/{request}")).await;
    assert_eq!(handle.status, StatusCode::OK);
    assert!(handle.body.contains("Sanne vroeg op "), "{}", handle.body);
    assert!(
        handle
            .body
            .contains(&format!("/households/{}/erase", sanne.id))
    );
    assert!(handle.body.contains("Verzoek weigeren"));
    assert!(
        !handle.body.contains("Langer dan een maand"),
        "a fresh request"
    );

    // A refusal needs a reason.
    let empty = w
        .post(&format!("/requests/{request}/refuse"), &[("reason", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"reason-error\""), "{}", empty.body);
    assert!(empty.body.contains("Schrijf de reden op"), "{}", empty.body);
    assert_eq!(open_erasure(&app, &t, sanne.id).await, Some(request));

    // With a reason: closed, told in the portal and by e-mail.
    let reason = "We moeten je gegevens nog 3 maanden bewaren voor de gemeente.";
    let refused = w
        .post(
            &format!("/requests/{request}/refuse"),
            &[("reason", reason)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    assert_eq!(refused.location, format!("/households/{}", sanne.id));
    assert_eq!(open_erasure(&app, &t, sanne.id).await, None);
    let again = w
        .post(
            &format!("/requests/{request}/refuse"),
            &[("reason", "Nog een keer")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "an answered request stays answered"
    );

    let erase_page = phone.get("/portal/data/erase").await;
    assert!(erase_page.body.contains(reason), "{}", erase_page.body);
    assert!(
        erase_page
            .body
            .contains("We verwijderen je gegevens nu niet."),
        "{}",
        erase_page.body
    );
    assert!(
        !erase_page.body.contains("Nog een keer"),
        "only the first answer counts"
    );
    let data = phone.get("/portal/data").await;
    assert!(data.body.contains("Lees waarom"), "{}", data.body);
    for page in [&erase_page.body, &data.body] {
        for staff_word in ["AVG", "anonimis", "Afhandelen"] {
            assert!(!page.contains(staff_word), "{staff_word} on a parent page");
        }
    }
    let msgs = smtp
        .wait_until(30, |m| !for_address(m, &sanne.email).is_empty())
        .await;
    let mail = for_address(&msgs, &sanne.email);
    assert_eq!(mail.len(), 1, "the refusal is e-mailed once");
    let body = mail_parser::MessageParser::default()
        .parse(mail[0].as_slice())
        .and_then(|m| m.body_text(0).map(|b| b.to_string()))
        .unwrap_or_default();
    assert!(body.starts_with("Hallo Sanne,"), "{body}");
    assert!(body.contains(reason), "{body}");
    assert!(
        actions(&app, &t)
            .await
            .contains(&"household.erasure-refused".to_string())
    );

    // Asked again: this time the erasure itself closes it, in the same go.
    let second = ask_erasure(&app, &t, &mut phone, sanne.id).await;
    assert_ne!(second, request);
    w.get(&format!("/households/{}/erase", sanne.id)).await;
    let erased = w
        .post(&format!("/households/{}/erase", sanne.id), &[])
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.body);
    assert!(
        app.store
            .household_is_anonymised(t.org_id, sanne.id)
            .await
            .unwrap()
    );
    assert_eq!(open_erasure(&app, &t, sanne.id).await, None);
    assert!(
        actions(&app, &t)
            .await
            .contains(&"household.erasure-request-erased".to_string())
    );
    assert_eq!(
        phone.get("/portal").await.location,
        "/portal/login",
        "an erased family is signed out"
    );
}
on_both!(
    erasure_closed_only_by_erasure_or_refusal,
    closed_only_by_erasure_or_refusal
);

/// Age every open erasure request to a day long before today.
async fn age_open_erasure_requests(app: &TestApp) {
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared(
        "UPDATE portal_request SET created_at = '2020-01-15T10:00:00Z' \
         WHERE kind = 'erasure' AND done_at IS NULL",
    )
    .await
    .unwrap();
    let _ = db.close().await;
}

async fn overdue_requests_on_the_start_page_and_out_of_reach(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let old = family(&app, &t, "Olga", Channel::Email, "").await;
    let fresh = family(&app, &t, "Fenna", Channel::Email, "").await;
    let mut old_phone = parent_phone(&app, &t, old.id).await;
    let old_request = ask_erasure(&app, &t, &mut old_phone, old.id).await;

    let mut coordinator = app.client();
    coordinator.login(&logins["coordinator"]).await;
    let home = coordinator.get("/").await;
    assert!(home.body.contains("Vragen van ouders"), "{}", home.body);
    assert!(
        !home.body.contains("langer dan een maand"),
        "a fresh request is not overdue: {}",
        home.body
    );

    age_open_erasure_requests(&app).await;
    let mut fresh_phone = parent_phone(&app, &t, fresh.id).await;
    let fresh_request = ask_erasure(&app, &t, &mut fresh_phone, fresh.id).await;

    for who in ["coordinator", "admin"] {
        let mut c = app.client();
        c.login(&logins[who]).await;
        let home = c.get("/").await;
        assert!(
            home.body
                .contains("1 verzoek om gegevens te verwijderen wacht langer dan een maand."),
            "{who}: {}",
            home.body
        );
        assert!(home.body.contains("href=\"#vragen-van-ouders\""));
        // The list marks the old request, not the fresh one.
        let card = |id: Uuid| {
            let at = home.body.find(&format!("/requests/{id}\"")).unwrap_or(0);
            let end = home.body[at..]
                .find("</li>")
                .map_or(home.body.len(), |e| at + e);
            home.body[at..end].to_string()
        };
        assert!(card(old_request).contains("Langer dan een maand"), "{who}");
        assert!(
            !card(fresh_request).contains("Langer dan een maand"),
            "{who}"
        );
    }
    let handle = coordinator.get(&format!("/requests/{old_request}")).await;
    assert!(
        handle.body.contains("Langer dan een maand"),
        "{}",
        handle.body
    );
    coordinator.post("/lang/en", &[]).await;
    let english = coordinator.get("/").await;
    assert!(
        english
            .body
            .contains("1 request to remove details has waited for more than a month."),
        "{}",
        english.body
    );

    // Another organisation finds nothing: not the page, not the refusal, not the close.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    assert_eq!(
        other.get(&format!("/requests/{old_request}")).await.status,
        StatusCode::NOT_FOUND
    );
    other.get("/").await;
    for path in [
        format!("/requests/{old_request}/refuse"),
        format!("/requests/{old_request}/done"),
    ] {
        let res = other.post(&path, &[("reason", "Mag niet")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Nor a worker of another neighbourhood of the same organisation.
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let haven_worker = Tenant {
        org_id: t.org_id,
        role: Role::Worker,
        neighbourhoods: vec![haven],
    };
    assert!(matches!(
        app.store.parent_request(&haven_worker, old_request).await,
        Err(mtp_store::StoreError::NotFound)
    ));
    let reason = RefusalReason::parse("Mag niet").unwrap();
    let refused = app
        .store
        .refuse_erasure_request(&haven_worker, Uuid::now_v7(), old_request, &reason, |_| {
            unreachable!("no audit entry for a request out of reach")
        })
        .await;
    assert!(matches!(refused, Err(mtp_store::StoreError::NotFound)));
    assert!(
        !app.store
            .parent_requests(&haven_worker, None)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == old_request)
    );
    assert_eq!(open_erasure(&app, &t, old.id).await, Some(old_request));
}
on_both!(
    erasure_overdue_on_the_start_page,
    overdue_requests_on_the_start_page_and_out_of_reach
);

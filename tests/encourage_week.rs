//! The week of encouragement (issue #5): the overview of the coming sessions with their
//! worklist progress, the open follow-up tasks, what last week's encouragement achieved, and
//! the worklist's background save for the script.

use chrono::{Datelike, Duration, NaiveTime, Utc};
use mtp_domain::attendance::SessionState;
use mtp_domain::encourage::Thresholds;
use mtp_domain::schedule::{self, TZ};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, TestApp};
use crate::on_both;

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&TZ).date_naive()
}

async fn worklist(app: &TestApp, session: Uuid) -> mtp_store::Worklist {
    let t = app.org("Almere").await;
    app.store
        .worklist(&t, session, today(), &Thresholds::default())
        .await
        .unwrap()
}

/// The part of a page from `start` up to the end of its card.
fn card<'a>(body: &'a str, start: &str) -> &'a str {
    body.split(start)
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .unwrap_or_else(|| panic!("no card with {start} in {body}"))
}

async fn audited(app: &TestApp, org: Uuid, action: &str) -> Vec<mtp_store::AuditEntry> {
    app.store
        .audit_entries(
            org,
            &mtp_store::AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_default()
}

async fn log_contact(
    wk: &mut Client,
    session: Uuid,
    household: Uuid,
    outcome: &str,
    follow_up: &str,
    note: &str,
) {
    let r = wk
        .post(
            &format!("/sessions/{session}/encourage/contact"),
            &[
                ("household", &household.to_string()),
                ("channel", "phone"),
                ("outcome", outcome),
                ("follow_up", follow_up),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn the_week_shows_each_coming_session_with_its_progress_and_the_open_tasks(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;

    // The worker's menu leads here, and stays at five items.
    let home = wk.get("/").await;
    assert!(home.body.contains("href=\"/encourage\""), "{}", home.body);
    let menu = home
        .body
        .split("<ul class=\"nav-list\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default();
    assert_eq!(menu.matches("<li>").count(), 5, "{menu}");
    assert!(
        menu.contains("href=\"/encourage\">Aanmoedigen</a>"),
        "{menu}"
    );

    // Every planned session of the coming seven days in the worker's neighbourhood (Almere
    // Haven's coffee hour is another worker's), with the progress of its worklist.
    let now = Utc::now();
    let poort = app
        .store
        .session_summary(&t, session)
        .await
        .unwrap()
        .neighbourhood_id;
    let coming: Vec<_> = app
        .store
        .programme(&t, now, now + Duration::days(7), 100)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.state == SessionState::Planned && s.neighbourhood_id == poort)
        .collect();
    let page = wk.get("/encourage").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Aanmoedigen deze week"));
    for s in &coming {
        let w = worklist(&app, s.id).await;
        assert!(
            page.body
                .contains(&format!("/sessions/{}/encourage\">Werklijst openen", s.id)),
            "a link to the worklist of {}",
            s.activity_name
        );
        assert!(
            page.body
                .contains(&format!("0 van {} gedaan", w.cards.len())),
            "{} has {} cards",
            s.activity_name,
            w.cards.len()
        );
    }
    // Nothing beyond the week: the coffee hour a fortnight from now is not there.
    let later = app
        .store
        .programme(&t, now + Duration::days(8), now + Duration::days(30), 100)
        .await
        .unwrap_or_default();
    for s in later {
        assert!(!page.body.contains(&format!("/sessions/{}/encourage", s.id)));
    }

    // The demo's two open tasks, with their notes; the one for today says so.
    assert!(
        page.body
            .contains("Zoekt hulp bij het aanvragen van toeslag.")
    );
    assert!(
        page.body
            .contains("Vraagt naar kinderopvang tijdens de beweegactiviteit.")
    );
    let today_task = card(&page.body, "class=\"card\" id=\"taak-");
    assert!(
        today_task.contains("Vandaag") && today_task.contains("toeslag"),
        "{today_task}"
    );
    // (The demo's overdue referral to help has its own list below the tasks.)
    let contact_tasks = page.body.split("id=\"verwijzingen\"").next().unwrap_or("");
    assert!(!contact_tasks.contains("Te laat"), "nothing is overdue yet");

    // A family that needs help, to be called back yesterday: overdue, and on top.
    let w = worklist(&app, session).await;
    let family = &w.cards[0];
    let yesterday = today() - Duration::days(1);
    log_contact(
        &mut wk,
        session,
        family.household_id,
        "needs_help",
        &yesterday.to_string(),
        "Belt terug over de huur.",
    )
    .await;
    let page = wk.get("/encourage").await;
    let first = card(&page.body, "id=\"taak-");
    assert!(
        first.contains("Te laat") && first.contains("Belt terug over de huur."),
        "{first}"
    );
    assert!(first.contains(&format!("/households/{}", family.household_id)));
    assert!(page.body.contains("card card--overdue"));
    // The worklist counts it as done: "needs help" is an outcome.
    if coming.iter().any(|s| s.id == session) {
        assert!(
            page.body
                .contains(&format!("1 van {} gedaan", w.cards.len()))
        );
    }

    // Done: gone from the list, on the timeline, audited, and done twice is done once.
    let (tasks, _) = app.store.open_follow_ups(&t, 50).await.unwrap();
    assert_eq!(tasks.len(), 3);
    let task = tasks
        .iter()
        .find(|f| f.household_id == family.household_id)
        .expect("the new task is open");
    assert_eq!(task.due, yesterday);
    let done_path = format!("/encourage/follow-ups/{}/done", task.id);
    let r = wk.post(&done_path, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/encourage#taken");
    let page = wk.get("/encourage").await;
    assert!(
        page.body
            .contains(&format!("De taak voor {} is afgerond.", family.first_names)),
        "{}",
        page.body
    );
    // Sent again (a second tap, a colleague): the same answer, nothing changes.
    let r = wk.post(&done_path, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = wk.get("/encourage").await;
    assert!(!page.body.contains("Belt terug over de huur."));
    let contact_tasks = page.body.split("id=\"verwijzingen\"").next().unwrap_or("");
    assert!(!contact_tasks.contains("Te laat"));
    let household = wk
        .get(&format!("/households/{}", family.household_id))
        .await;
    assert!(household.body.contains("Taak afgerond"));
    let done = audited(&app, t.org_id, "household.follow-up-done").await;
    assert_eq!(done.len(), 1, "done once, though sent twice");
    assert_eq!(done[0].object_id, Some(family.household_id));
    assert!(
        audited(&app, t.org_id, "encourage.week-viewed").await.len() >= 3,
        "looking at the week is on record"
    );

    // Bad input and other people's tasks.
    let r = wk.post("/encourage/follow-ups/geen-id/done", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let other = &tasks.iter().find(|f| f.id != task.id).map(|f| f.id);
    let other = other.expect("a demo task");
    let mut elsewhere = app.client();
    elsewhere.login(&logins["other-worker"]).await;
    let page = elsewhere.get("/encourage").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("toeslag"),
        "another organisation's task"
    );
    assert!(page.body.contains("Er zijn geen open taken."));
    let r = elsewhere
        .post(&format!("/encourage/follow-ups/{other}/done"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (still, _) = app.store.open_follow_ups(&t, 50).await.unwrap_or_default();
    assert!(still.iter().any(|f| f.id == other));

    // Hosts never see it.
    let mut host = app.client();
    host.login(&logins["host"]).await;
    assert_eq!(host.get("/encourage").await.status, StatusCode::FORBIDDEN);
    assert!(!host.get("/").await.body.contains("href=\"/encourage\""));
}
on_both!(
    week_overview,
    the_week_shows_each_coming_session_with_its_progress_and_the_open_tasks
);

/// After a session: of the families encouraged, how many came, counted apart for those the
/// worker reached and those not reached; on the worklist and in the week's overview.
async fn after_a_session_the_worklist_and_the_week_say_who_of_those_encouraged_came(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (coffee, _) = app.coffee_hour().await;
    // An extra coffee hour yesterday morning, so the test does not depend on the holidays.
    let yesterday = today() - Duration::days(1);
    let slot = schedule::slot(
        yesterday,
        NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default(),
        NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default(),
    );
    app.store
        .plan_sessions(&t, coffee, &[(yesterday, slot)], None)
        .await
        .unwrap();
    let session = app
        .store
        .activity_sessions(&t, coffee, slot.start - Duration::minutes(1), 1)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.starts_at == slot.start)
        .map(|s| s.id)
        .expect("yesterday's coffee hour");
    let w = worklist(&app, session).await;
    assert!(w.cards.len() >= 4, "{}", w.cards.len());
    let ids: Vec<Uuid> = w.cards.iter().map(|c| c.household_id).collect();

    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let path = format!("/sessions/{session}/encourage");
    let page = wk.get(&path).await;
    assert!(!page.body.contains("Gekomen:"), "nobody encouraged yet");

    // Reached: two (one came); not reached: two (one came all the same). The first one was
    // not reached at first and reached later: the latest word counts.
    log_contact(&mut wk, session, ids[0], "not_reached", "", "").await;
    log_contact(&mut wk, session, ids[0], "coming", "", "").await;
    log_contact(&mut wk, session, ids[1], "maybe", "", "").await;
    log_contact(&mut wk, session, ids[2], "not_reached", "", "").await;
    log_contact(&mut wk, session, ids[3], "try_later", "", "").await;
    let page = wk.get(&path).await;
    assert!(
        page.body.contains("De aanwezigheid is nog niet ingevuld."),
        "no numbers before attendance is taken"
    );
    for (household, status) in [(ids[0], "present"), (ids[2], "present"), (ids[1], "absent")] {
        let r = wk
            .post(
                &format!("/sessions/{session}/attendance"),
                &[
                    ("household", &household.to_string()),
                    ("status", status),
                    ("adults", "1"),
                    ("children", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = wk.get(&path).await;
    assert!(
        page.body
            .contains("Gekomen: 1 van de 2 gezinnen die je hebt bereikt."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Gekomen: 1 van de 2 gezinnen die je niet hebt bereikt.")
    );

    // The week: the same session under "Vorige week", and the week's total.
    let week = wk.get("/encourage").await;
    let past = week
        .body
        .split("id=\"effect\"")
        .nth(1)
        .expect("the effect section");
    assert!(
        past.contains(&format!("/sessions/{session}/encourage")),
        "{past}"
    );
    assert_eq!(
        past.matches("Gekomen: 1 van de 2 gezinnen die je hebt bereikt.")
            .count(),
        2,
        "the week's total and the session: {past}"
    );
    // In English too.
    wk.post("/lang/en", &[("next", "/")]).await;
    let page = wk.get(&path).await;
    assert!(
        page.body.contains("Came: 1 of the 2 families you reached."),
        "{}",
        page.body
    );
}
on_both!(
    effect_report,
    after_a_session_the_worklist_and_the_week_say_who_of_those_encouraged_came
);

/// The worklist's script saves in the background: the CSRF token in a header, JSON back with
/// the new progress. The card shows the note of the latest contact.
async fn the_worklist_saves_in_the_background_for_the_script(app: TestApp) {
    let logins = app.demo().await;
    let (_, session) = app.coffee_hour().await;
    let w = worklist(&app, session).await;
    let total = w.cards.len();
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let path = format!("/sessions/{session}/encourage");
    wk.get(&path).await;
    let send = |household: Uuid, outcome: &'static str, token: String| {
        let http = wk.http.clone();
        let url = format!("{}{path}/contact", wk.base);
        async move {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("household", household.to_string().as_str()),
                    ("channel", "whatsapp"),
                    ("outcome", outcome),
                    ("note", "Komt met de kleine mee."),
                ])
                .finish();
            let r = http
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("x-csrf-token", token)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let json = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            let text = r.text().await.unwrap_or_default();
            (status, json, text)
        }
    };
    let first = w.cards[0].household_id;
    let (status, json, body) = send(first, "try_later", wk.csrf.clone()).await;
    assert_eq!((status, json), (StatusCode::OK, true), "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(v["done"], serde_json::json!(false));
    assert_eq!(v["progress"], format!("0 van {total} gedaan"));

    let (status, _, body) = send(first, "coming", wk.csrf.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(v["done"], serde_json::json!(true));
    assert_eq!(v["outcome"], "Uitkomst: Komt");
    assert_eq!(v["progress"], format!("1 van {total} gedaan"));
    assert_eq!(
        v["message"],
        format!("Opgeslagen voor {}.", w.cards[0].first_names)
    );
    // Saved again: still one done.
    let (_, _, body) = send(first, "maybe", wk.csrf.clone()).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(v["progress"], format!("1 van {total} gedaan"));

    // Without the token: refused, nothing saved.
    let second = w.cards[1].household_id;
    let (status, _, _) = send(second, "coming", String::new()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A form with an error gets the page with its messages, as without JavaScript.
    let (status, json, body) = send(second, "onzin", wk.csrf.clone()).await;
    assert_eq!((status, json), (StatusCode::UNPROCESSABLE_ENTITY, false));
    assert!(body.contains("Kies een uitkomst."));

    // The card shows what was said last time.
    let page = wk.get(&path).await;
    let today = today();
    let expected = format!(
        "Laatst gesproken: {} {} — Komt met de kleine mee.",
        today.day(),
        mtp_domain::dates::month_name(mtp_domain::Language::Nl, today.month()).unwrap_or_default()
    );
    let section = card(&page.body, &format!("id=\"h-{first}\""));
    assert!(section.contains(&expected), "{section}");
    assert!(section.contains("Uitkomst: Komt misschien"), "{section}");
    assert!(
        page.body
            .contains(&format!("<strong>1 van {total} gedaan</strong>"))
    );
}
on_both!(
    background_save,
    the_worklist_saves_in_the_background_for_the_script
);

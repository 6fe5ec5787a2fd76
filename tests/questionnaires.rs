//! The parents' questionnaires (issue #19, docs/guide/questionnaires.md, docs/outcomes.md): a
//! parent answers one question per page in the portal, skipping what they like, and a stored
//! round scores as the worked examples say; a worker enters a paper questionnaire (bad input
//! named at its field) or goes through it with the parent; only the family's own worker sees
//! the answers, coordinators see the paired figures on /reports, hidden below ten parents;
//! every answer and every view of answers is in the audit trail.

use mtp_domain::audit::Action;
use mtp_domain::questionnaire::{EnteredBy, LonelinessCategory, SupportCategory, all_items};
use mtp_domain::{Email, Role, Tenant};
use mtp_store::{AuditFilter, StoreError};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

/// The demo's coffee-hour family (Almere Poort), whose parent the portal tests sign in.
async fn portal_family(app: &TestApp, t: &Tenant) -> Uuid {
    let (_, session) = app.coffee_hour().await;
    app.store
        .session_detail(t, session)
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.kind == mtp_domain::HouseholdKind::SingleParent)
        .map(|l| l.household_id)
        .expect("the coffee hour expects single-parent families")
}

async fn parent_client(app: &TestApp, t: &Tenant, household: Uuid) -> Client {
    let token = app
        .store
        .create_portal_link(t, None, household, None)
        .await
        .unwrap();
    let mut c = app.client();
    c.get(&format!("/portal/link/{token}")).await;
    let res = c.post(&format!("/portal/link/{token}"), &[]).await;
    assert_eq!(res.location, "/portal");
    c
}

async fn worker_tenant(app: &TestApp, login: &Login) -> (Tenant, Uuid) {
    let a = app
        .store
        .account_by_email(&Email::parse(&login.email).unwrap())
        .await
        .unwrap()
        .expect("the demo worker");
    (
        Tenant {
            org_id: a.org_id,
            role: a.role,
            neighbourhoods: a.neighbourhoods.clone(),
        },
        a.id,
    )
}

async fn audit_actions(app: &TestApp, org_id: Uuid, household: Uuid) -> Vec<(String, String)> {
    app.store
        .audit_entries(
            org_id,
            &AuditFilter {
                object_id: Some(household),
                ..Default::default()
            },
            500,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor_role))
        .collect()
}

/// The answer codes of the worked examples of docs/outcomes.md: loneliness "yes, yes, yes, no,
/// yes, no" (emotional 1, social 0, total 1: not lonely), support 4 + 5 + 5 = 14 (strong),
/// health "gaat wel" (below good), the activity items skipped.
fn worked_example(key: &str) -> Option<&'static str> {
    Some(match key {
        "health" => "3",
        "djg1" | "djg2" | "djg3" | "djg5" => "1",
        "djg4" | "djg6" => "3",
        "osss1" => "4",
        "osss2" | "osss3" => "5",
        "body" => "7",
        _ => return None,
    })
}

async fn a_parent_answers_one_question_per_page(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let family = portal_family(&app, &t).await;
    let mut c = parent_client(&app, &t, family).await;

    // The portal's start page leads to the questionnaire, which says why we ask first.
    assert!(
        c.get("/portal")
            .await
            .body
            .contains("/portal/questionnaire")
    );
    let start = c.get("/portal/questionnaire").await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(
        start.body.contains("Waarom vragen we dit?"),
        "{}",
        start.body
    );
    assert!(start.body.contains("Je hoeft geen vraag te beantwoorden."));

    let res = c.post("/portal/questionnaire", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.location.ends_with("?q=0"), "{}", res.location);
    let round_path = res.location.trim_end_matches("?q=0").to_string();

    let items = all_items();
    for (i, (_, item)) in items.iter().enumerate() {
        let page = c.get(&format!("{round_path}?q={i}")).await;
        assert_eq!(page.status, StatusCode::OK, "question {i}");
        // The validated wording, word for word, and never an earlier answer.
        assert!(page.body.contains(item.nl), "{}: {}", item.key, page.body);
        assert!(!page.body.contains("checked"), "{}", item.key);
        assert!(
            page.body
                .contains(&format!("Vraag {} van {}", i + 1, items.len()))
        );
        assert!(page.body.contains("Sla deze vraag over"));
        if item.key == "djg1" {
            assert!(page.body.contains("De Jong Gierveld"), "attribution");
        }
        if item.key == "osss1" {
            assert!(page.body.contains("Kocalevent"), "attribution");
            assert!(page.body.contains("onze eigen vertaling"));
        }
        let code = worked_example(item.key).unwrap_or("skip");
        let res = c
            .post(
                &round_path,
                &[("q", &i.to_string()), ("item", item.key), ("code", code)],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{}: {}",
            item.key,
            res.body
        );
        assert_eq!(res.location, format!("{round_path}?q={}", i + 1));
    }
    let done = c.get(&format!("{round_path}?q={}", items.len())).await;
    assert!(done.body.contains("Dank je wel"), "{}", done.body);

    // A form for another question, or an answer out of range, changes nothing.
    for bad in [
        vec![("q", "0"), ("item", "djg1"), ("code", "1")],
        vec![("q", "0"), ("item", "health"), ("code", "9")],
        vec![("q", "99"), ("item", "health"), ("code", "1")],
    ] {
        let res = c.post(&round_path, &bad).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad:?}");
    }

    // Scored from the stored round: the worked examples.
    let scope = app.parent_scope(&t, family).await;
    let rounds = app.store.portal_rounds(&scope).await.unwrap();
    let round = rounds
        .iter()
        .find(|r| r.entered_by == EnteredBy::Parent)
        .expect("the parent's round");
    let l = round.answers.loneliness();
    assert_eq!(
        (l.emotional, l.social, l.total),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(l.category(), Some(LonelinessCategory::NotLonely));
    assert_eq!(round.answers.support(), Some(14));
    assert_eq!(
        round.answers.support().map(SupportCategory::of_sum),
        Some(SupportCategory::Strong)
    );
    assert!(round.answers.health().is_some_and(|h| h.below_good()));
    assert_eq!(round.answers.meets_activity_guideline(), None, "skipped");
    assert_eq!(round.answers.0.len(), 11, "skipped items are not stored");

    // The parent sees their own answers over time, with a chart and its table.
    let mine = c.get("/portal/questionnaire").await;
    assert!(mine.body.contains("<svg"), "the chart");
    assert!(mine.body.contains("Antwoorden door de tijd"));
    assert!(mine.body.contains("1 van 6: niet eenzaam"), "{}", mine.body);
    assert!(mine.body.contains("14 van 14: veel steun"));
    assert!(mine.body.contains("de ouder zelf, online"));

    // Every answer and the views are in the audit trail, as the parent's.
    let trail = audit_actions(&app, t.org_id, family).await;
    let answered = trail
        .iter()
        .filter(|(a, r)| a == Action::QuestionnaireAnswered.as_str() && r == "parent")
        .count();
    assert_eq!(answered, items.len());
    assert!(
        trail
            .iter()
            .any(|(a, r)| a == Action::QuestionnaireViewed.as_str() && r == "parent")
    );
}
on_both!(parent_answers, a_parent_answers_one_question_per_page);

async fn only_the_familys_own_worker_sees_answers(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let family = portal_family(&app, &t).await;
    let (worker_t, worker_id) = worker_tenant(&app, &logins["worker"]).await;
    // The demo gave the first Poort families two rounds; give this one a paper round too.
    app.store
        .start_round(
            &worker_t,
            worker_id,
            family,
            EnteredBy::WorkerFromPaper,
            chrono::Utc::now().date_naive() - chrono::Duration::days(3),
            &[("health", Some(4)), ("djg1", Some(1))],
            crate::referrals::event(t.org_id),
        )
        .await
        .unwrap();

    // The worker: the household page shows the answers over time; the questionnaire page too.
    let mut w = signed_in(&app, &logins["worker"]).await;
    let page = w.get(&format!("/households/{family}")).await;
    assert!(
        page.body.contains("Antwoorden door de tijd"),
        "{}",
        page.body
    );
    assert!(page.body.contains("medewerker, van papier"));
    let q = w.get(&format!("/households/{family}/questionnaire")).await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.body.contains("Slecht"), "{}", q.body);
    assert!(q.body.contains("Samen met de ouder invullen"));
    let trail = audit_actions(&app, t.org_id, family).await;
    assert!(
        trail
            .iter()
            .any(|(a, r)| a == Action::QuestionnaireViewed.as_str() && r == "worker"),
        "{trail:?}"
    );

    // A coordinator sees the family's page, but no answers; the questionnaire page is closed.
    let mut coord = signed_in(&app, &logins["coordinator"]).await;
    let page = coord.get(&format!("/households/{family}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Antwoorden door de tijd"));
    assert!(!page.body.contains("medewerker, van papier"));
    assert_eq!(
        coord
            .get(&format!("/households/{family}/questionnaire"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Host, partner and researcher get nothing either.
    for label in ["host", "partner", "researcher"] {
        let mut c = signed_in(&app, &logins[label]).await;
        let r = c.get(&format!("/households/{family}/questionnaire")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{label}");
    }
    // The store refuses every other role, and a worker of another neighbourhood.
    for role in [Role::Admin, Role::Coordinator, Role::Host, Role::Researcher] {
        let other = Tenant { role, ..t.clone() };
        assert!(
            matches!(
                app.store.household_rounds(&other, family).await,
                Err(StoreError::Forbidden)
            ),
            "{role:?}"
        );
    }
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let haven_worker = Tenant {
        org_id: t.org_id,
        role: Role::Worker,
        neighbourhoods: vec![haven],
    };
    assert!(matches!(
        app.store.household_rounds(&haven_worker, family).await,
        Err(StoreError::NotFound)
    ));
}
on_both!(own_worker_only, only_the_familys_own_worker_sees_answers);

async fn a_worker_enters_paper_and_goes_through_it_with_the_parent(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let family = portal_family(&app, &t).await;
    let (worker_t, _) = worker_tenant(&app, &logins["worker"]).await;
    let before = app.store.household_rounds(&worker_t, family).await.unwrap();
    let mut w = signed_in(&app, &logins["worker"]).await;
    let form = w
        .get(&format!("/households/{family}/questionnaire/paper"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("Hoe is over het algemeen uw gezondheid?")
    );

    // Bad input: named at its field, nothing stored.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(2)).to_string();
    let r = w
        .post(
            &format!("/households/{family}/questionnaire/paper"),
            &[("taken_on", &tomorrow), ("health", "9"), ("osss1", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"taken_on-error\""));
    assert!(r.body.contains("niet in de toekomst"));
    assert!(r.body.contains("id=\"health-error\""));
    assert!(r.body.contains("id=\"osss1-error\""));
    let r = w
        .post(
            &format!("/households/{family}/questionnaire/paper"),
            &[("taken_on", "gisteren")],
        )
        .await;
    assert!(r.body.contains("Vul de datum van invullen in"));
    assert_eq!(
        app.store
            .household_rounds(&worker_t, family)
            .await
            .unwrap()
            .len(),
        before.len()
    );

    // Good: stored as from paper, skipped items left out.
    let r = w
        .post(
            &format!("/households/{family}/questionnaire/paper"),
            &[
                ("taken_on", "2026-09-01"),
                ("health", "2"),
                ("osss1", "2"),
                ("osss2", "3"),
                ("osss3", "3"),
                ("djg1", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rounds = app.store.household_rounds(&worker_t, family).await.unwrap();
    let paper = rounds
        .iter()
        .find(|r| r.taken_on.to_string() == "2026-09-01")
        .expect("the paper round");
    assert_eq!(paper.entered_by, EnteredBy::WorkerFromPaper);
    assert_eq!(paper.answers.support(), Some(8));
    assert_eq!(paper.answers.0.len(), 4);

    // With the parent: one question per screen on the worker's phone.
    let r = w
        .post(&format!("/households/{family}/questionnaire/with"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.starts_with("/questionnaires/"));
    let path = r.location.trim_end_matches("?q=0").to_string();
    let page = w.get(&r.location).await;
    assert!(
        page.body
            .contains("Hoe is over het algemeen uw gezondheid?")
    );
    assert!(page.body.contains("Laat de ouder zelf kiezen."));
    let r = w
        .post(&path, &[("q", "0"), ("item", "health"), ("code", "1")])
        .await;
    assert_eq!(r.location, format!("{path}?q=1"));
    // Nobody else may answer in it.
    let mut coord = signed_in(&app, &logins["coordinator"]).await;
    assert_eq!(coord.get(&path).await.status, StatusCode::FORBIDDEN);
    let rounds = app.store.household_rounds(&worker_t, family).await.unwrap();
    let with = rounds
        .iter()
        .find(|r| {
            r.entered_by == EnteredBy::WorkerWithParent
                && r.answers.health().is_some()
                && r.answers.0.len() == 1
        })
        .expect("the round gone through with the parent");
    assert_eq!(with.answers.health().map(|h| h as u8), Some(1));
}
on_both!(
    worker_entry,
    a_worker_enters_paper_and_goes_through_it_with_the_parent
);

async fn the_report_shows_the_paired_change_and_hides_small_numbers(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let mut coord = signed_in(&app, &logins["coordinator"]).await;
    let r = coord
        .get(&format!(
            "/reports?period=quarter&year=2026&quarter=4&nb={poort}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.body;
    assert!(
        body.contains("Uitkomsten: hoe gaat het met de ouders?"),
        "{body}"
    );
    // The demo: twelve Poort parents with two rounds; ten of them below good at intake,
    // four at the latest round.
    assert!(body.contains("12 ouders met twee metingen"), "{body}");
    assert!(
        body.contains("10 van 12 (83,3%) → 4 van 12 (33,3%)"),
        "{body}"
    );
    assert!(body.contains("niet eenzaam"));
    assert!(body.contains("veel steun"));
    // Aggregates only: no family's answers.
    assert!(!body.contains("medewerker, van papier"));

    // Almere Haven has no pairs: nothing shown but that there are too few (the administrator
    // reads it; the coordinator is Poort's).
    let mut admin = signed_in(&app, &logins["admin"]).await;
    let r = admin
        .get(&format!(
            "/reports?period=quarter&year=2026&quarter=4&nb={haven}"
        ))
        .await;
    assert!(
        r.body
            .contains("Te weinig ouders om te tonen (0 met twee metingen)"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("outcomes-loneliness"));

    // Fewer than ten: remove the pairs of three families by erasing them.
    let measured = app.store.outcome_measurements(&t, &[poort]).await.unwrap();
    assert_eq!(measured.values().filter(|m| m.len() >= 2).count(), 12);
    let outcomes = mtp_domain::questionnaire::paired_outcomes(&measured);
    assert!(matches!(
        outcomes.health_below_good,
        mtp_domain::questionnaire::Paired::Shown {
            n: 12,
            first: 10,
            latest: 4
        }
    ));
    let (families, _) = app
        .store
        .households(
            &t,
            &mtp_store::HouseholdFilter {
                neighbourhood_id: Some(poort),
                status: Some(mtp_domain::HouseholdStatus::Active),
                ..Default::default()
            },
            3,
            0,
        )
        .await
        .unwrap();
    for h in &families {
        app.store
            .erase_household(
                &t,
                None,
                h.id,
                mtp_store::NewAuditEvent {
                    org_id: t.org_id,
                    actor_id: None,
                    actor_role: "cli".into(),
                    action: Action::HouseholdErased,
                    object_type: "household".into(),
                    object_id: Some(h.id),
                    neighbourhood_id: None,
                    outcome: mtp_domain::audit::Outcome::Allowed,
                    detail: String::new(),
                },
            )
            .await
            .unwrap();
    }
    let r = coord
        .get(&format!(
            "/reports?period=quarter&year=2026&quarter=4&nb={poort}"
        ))
        .await;
    assert!(
        r.body
            .contains("Te weinig ouders om te tonen (9 met twee metingen)"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("83,3%"));
}
on_both!(
    paired_report,
    the_report_shows_the_paired_change_and_hides_small_numbers
);

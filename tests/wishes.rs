//! Wishes that become workshops (issue #18, docs/guide/wishes.md): the demo's two wishes made
//! into workshops show how many of those who asked came; a worker notes a wish, names the
//! households who asked and turns it into a workshop that invites exactly them; bad input is
//! named at its field; a household out of reach cannot be named; every change is audited.

use mtp_domain::{HouseholdStatus, Tenant};
use mtp_store::wishes::WishSource;
use mtp_store::{AuditFilter, HouseholdFilter};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

async fn families(app: &TestApp, t: &Tenant, nb: Uuid) -> Vec<Uuid> {
    let filter = HouseholdFilter {
        neighbourhood_id: Some(nb),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(t, &filter, 20, 0).await.unwrap();
    rows.into_iter().map(|h| h.id).collect()
}

fn id_after(location: &str, prefix: &str) -> Uuid {
    location
        .trim_start_matches(prefix)
        .split(['#', '/', '?'])
        .next()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

async fn actions_on(app: &TestApp, t: &Tenant, id: Uuid) -> Vec<String> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                object_id: Some(id),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn the_demo_shows_two_wishes_made_workshops(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let wishes = app.store.wishes(&t, poort).await.unwrap();
    let debts = wishes
        .iter()
        .find(|w| w.title == "Schulden en rekeningen: waar begin je?")
        .expect("the demo's debt wish");
    assert_eq!(debts.source, WishSource::Worker);
    assert_eq!((debts.demand, debts.asked.len()), (3, 3));
    assert_eq!((debts.invited, debts.came), (3, 2));
    let cooking = wishes
        .iter()
        .find(|w| w.title == "Gezond koken met weinig geld")
        .expect("the parents' cooking idea");
    assert_eq!(cooking.source, WishSource::Idea);
    assert!(cooking.activity.is_some(), "made into a workshop");
    assert!(cooking.invited >= 1 && cooking.came == 1, "{cooking:?}");
    // The workshop invites exactly the households that asked.
    let (workshop, _) = debts.activity.clone().unwrap();
    let mut invited = app.store.invitees(&t, workshop).await.unwrap();
    let mut asked: Vec<Uuid> = debts.asked.iter().map(|(id, _)| *id).collect();
    invited.sort();
    asked.sort();
    assert_eq!(invited, asked);

    let mut c = signed_in(&app, &logins["worker"]).await;
    let page = c.get("/wishes").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Geld",
        "Gezondheid en eten",
        "Sociale media",
        "Schulden en rekeningen: waar begin je?",
        "3 ouders vroegen erom",
        "2 van de 3 uitgenodigde gezinnen kwamen",
        "Kinderen en sociale media",
        "Maak er een activiteit van",
        "Idee uit het portaal",
    ] {
        assert!(page.body.contains(text), "{text} on /wishes");
    }
    // The activities page leads to it, for those who may open it.
    assert!(c.get("/activities").await.body.contains("href=\"/wishes\""));
    let mut admin = signed_in(&app, &logins["admin"]).await;
    assert!(
        !admin
            .get("/activities")
            .await
            .body
            .contains("href=\"/wishes\"")
    );
    assert_eq!(admin.get("/wishes").await.status, StatusCode::FORBIDDEN);
    // The one the worker can still make a workshop of.
    let waiting = wishes
        .iter()
        .find(|w| w.title == "Kinderen en sociale media")
        .unwrap();
    assert!(
        page.body
            .contains(&format!("action=\"/wishes/{}/activity\"", waiting.id))
    );
}

async fn a_worker_turns_a_wish_into_a_workshop_for_those_who_asked(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let mut c = signed_in(&app, &logins["worker"]).await;
    c.get("/wishes").await;

    // Every bad field is named, and nothing is stored.
    let before = app.store.wishes(&t, poort).await.unwrap().len();
    let r = c
        .post(
            "/wishes",
            &[
                ("wish_neighbourhood", &haven.to_string()),
                ("wish_theme", "cooking"),
                ("wish_title", ""),
                ("wish_demand", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for text in [
        "Kies een van je eigen wijken.",
        "Kies een thema uit de lijst.",
        "Vul in wat de ouders willen.",
        "een heel getal in, 1 of meer.",
    ] {
        assert!(r.body.contains(text), "{text} in the errors");
    }
    assert_eq!(app.store.wishes(&t, poort).await.unwrap().len(), before);

    // A wish noted at the coffee hour.
    let r = c
        .post(
            "/wishes",
            &[
                ("wish_neighbourhood", &poort.to_string()),
                ("wish_theme", "stress"),
                ("wish_title", "Rust in je hoofd"),
                ("wish_demand", "2"),
                ("wish_note", "Na de zomer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let wish = id_after(&r.location, "/wishes/");
    let page = c.get(&format!("/wishes/{wish}")).await;
    assert!(page.body.contains("Rust in je hoofd"));
    assert!(page.body.contains("2 ouders vroegen erom"));

    // Naming the households who asked: none is a message; one of another neighbourhood is
    // refused and nothing is added.
    let r = c.post(&format!("/wishes/{wish}/households"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Vink minstens één gezin aan."));
    let ours = families(&app, &t, poort).await;
    let theirs = families(&app, &t, haven).await;
    let (a, b) = (ours[0].to_string(), ours[1].to_string());
    let r = c
        .post(
            &format!("/wishes/{wish}/households"),
            &[("household", &a), ("household", &theirs[0].to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let w = app.store.wish(&t, wish).await.unwrap();
    assert!(w.asked.is_empty(), "nothing named: {:?}", w.asked);
    let r = c
        .post(
            &format!("/wishes/{wish}/households"),
            &[("household", &a), ("household", &b)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let w = app.store.wish(&t, wish).await.unwrap();
    assert_eq!(w.asked.len(), 2);

    // One action: the workshop, by invitation, for exactly those two.
    let r = c.post(&format!("/wishes/{wish}/activity"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let activity = id_after(&r.location, "/activities/");
    let a = app.store.activity(&t, activity).await.unwrap();
    assert_eq!(a.d.name, "Rust in je hoofd");
    assert_eq!(a.d.kind, mtp_domain::activity::ActivityKind::Workshop);
    assert_eq!(a.d.audience, mtp_domain::activity::Audience::Tailored);
    let mut invited = app.store.invitees(&t, activity).await.unwrap();
    invited.sort();
    let mut expected = vec![ours[0], ours[1]];
    expected.sort();
    assert_eq!(invited, expected);
    // Sent again: no second workshop.
    let again = c.post(&format!("/wishes/{wish}/activity"), &[]).await;
    assert_eq!(again.location, r.location);
    let page = c.get("/wishes").await;
    assert!(
        page.body
            .contains("0 van de 2 uitgenodigde gezinnen kwamen")
    );
    // On the invited family's timeline.
    let h = c.get(&format!("/households/{}", ours[0])).await;
    assert!(h.body.contains("Uitgenodigd voor: Rust in je hoofd"));

    // On record: the wish, the households named and the workshop made.
    let on_wish = actions_on(&app, &t, wish).await;
    assert!(on_wish.contains(&"wish.added".to_string()), "{on_wish:?}");
    assert!(on_wish.contains(&"wish.households-added".to_string()));
    let on_activity = actions_on(&app, &t, activity).await;
    assert!(on_activity.contains(&"wish.made-activity".to_string()));

    // A worker of another organisation reaches none of it.
    let mut other = signed_in(&app, &logins["other-worker"]).await;
    assert_eq!(
        other.get(&format!("/wishes/{wish}")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = other.get("/wishes").await;
    assert!(!page.body.contains("Rust in je hoofd"));
}

async fn an_idea_becomes_a_workshop_for_its_voters_only_within_reach(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let ours = families(&app, &t, poort).await;
    let (author, voter) = (ours[10], ours[11]);
    let idea = app
        .store
        .add_idea(
            &app.parent_scope(&t, author).await,
            mtp_domain::portal::IdeaKind::Workshop,
            &mtp_domain::portal::IdeaTitle::parse("Werk zoeken met kinderen").unwrap(),
            None,
        )
        .await
        .unwrap();
    app.store
        .toggle_idea_vote(&app.parent_scope(&t, voter).await, idea, None)
        .await
        .unwrap();
    // A worker of Almere Poort only.
    let worker = Tenant {
        org_id: t.org_id,
        role: mtp_domain::Role::Worker,
        neighbourhoods: vec![poort],
    };
    let event = |action| mtp_store::NewAuditEvent {
        org_id: t.org_id,
        actor_id: None,
        actor_role: "worker".into(),
        action,
        object_type: "idea".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: mtp_domain::audit::Outcome::Allowed,
        detail: String::new(),
    };
    app.store
        .set_idea_theme(
            &worker,
            None,
            idea,
            mtp_domain::wishes::Theme::Work,
            event(mtp_domain::audit::Action::IdeaThemeSet),
        )
        .await
        .unwrap();
    // A worker of the other neighbourhood cannot make it a workshop.
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let elsewhere = Tenant {
        neighbourhoods: vec![haven],
        ..worker.clone()
    };
    assert!(
        app.store
            .make_workshop(
                &elsewhere,
                None,
                mtp_store::wishes::WishRef::Idea(idea),
                mtp_domain::activity::ActivityKind::Workshop.default_staff_minutes(),
                event(mtp_domain::audit::Action::IdeaMadeActivity),
            )
            .await
            .is_err()
    );
    let activity = app
        .store
        .make_workshop(
            &worker,
            None,
            mtp_store::wishes::WishRef::Idea(idea),
            mtp_domain::activity::ActivityKind::Workshop.default_staff_minutes(),
            event(mtp_domain::audit::Action::IdeaMadeActivity),
        )
        .await
        .unwrap();
    let mut invited = app.store.invitees(&t, activity).await.unwrap();
    invited.sort();
    let mut expected = vec![author, voter];
    expected.sort();
    assert_eq!(invited, expected, "exactly the author and the voter");
    let w = app
        .store
        .wishes(&worker, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.id == idea)
        .unwrap();
    assert_eq!(w.theme, mtp_domain::wishes::Theme::Work);
    assert_eq!((w.demand, w.invited, w.came), (2, 2, 0));
}

on_both!(
    the_demo_shows_two_wishes_made_workshops,
    the_demo_shows_two_wishes_made_workshops
);
on_both!(
    a_worker_turns_a_wish_into_a_workshop_for_those_who_asked,
    a_worker_turns_a_wish_into_a_workshop_for_those_who_asked
);
on_both!(
    an_idea_becomes_a_workshop_for_its_voters_only_within_reach,
    an_idea_becomes_a_workshop_for_its_voters_only_within_reach
);

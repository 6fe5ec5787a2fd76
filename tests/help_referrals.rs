//! Referrals to help (issue #16, docs/guide/help-referrals.md): a worker refers a family on
//! from its page; every bad field says what is wrong; nothing is sent without the parent's
//! consent; withdrawing it before sending stops the referral; each step is on the household's
//! timeline and in the audit trail (ids only); the follow-up date shows in the worker's open
//! tasks, overdue ones marked; reach follows the household's neighbourhood and organisation.

use chrono::{Duration, Utc};
use mtp_domain::audit::Action;
use mtp_domain::consent::ConsentMethod;
use mtp_domain::help_referral::{HelpKind, ReferralOutcome, ReferralState};
use mtp_domain::{HouseholdStatus, Role, Tenant};
use mtp_store::{AuditFilter, HouseholdFilter, PartnerFilter, StoreError};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// An active Almere Poort family the demo did not refer.
async fn family(app: &TestApp, t: &Tenant, poort: Uuid) -> Uuid {
    let filter = HouseholdFilter {
        neighbourhood_id: Some(poort),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(t, &filter, 20, 0).await.unwrap();
    for h in rows {
        if app
            .store
            .help_referrals_of(t, h.id)
            .await
            .unwrap()
            .is_empty()
        {
            return h.id;
        }
    }
    panic!("no Poort family without a referral");
}

async fn partner(app: &TestApp, t: &Tenant, name: &str) -> Uuid {
    app.store
        .partners(t, &PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .unwrap_or_else(|| panic!("no partner {name}"))
}

fn id_in(location: &str) -> Uuid {
    location
        .trim_start_matches("/help-referrals/")
        .split(['#', '/'])
        .next()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no referral id in {location:?}"))
}

/// The message in a field's own error paragraph.
fn error_at(body: &str, field: &str) -> String {
    let at = body
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("no error at {field}"));
    let end = at + body[at..].find("</p>").unwrap_or(0);
    body[at..end].to_string()
}

/// Erase a family, as the retention job or a worker would.
async fn erase(app: &TestApp, t: &Tenant, h: Uuid) {
    app.store
        .erase_household(
            t,
            None,
            h,
            mtp_store::NewAuditEvent {
                org_id: t.org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: Action::HouseholdErased,
                object_type: "household".into(),
                object_id: Some(h),
                neighbourhood_id: None,
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: String::new(),
            },
        )
        .await
        .unwrap();
}

async fn step(c: &mut Client, id: Uuid, fields: &[(&str, &str)]) -> crate::helpers::Res {
    c.post(&format!("/help-referrals/{id}/step"), fields).await
}

async fn a_worker_refers_a_family_step_by_step(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let h = family(&app, &t, poort).await;
    let debt_help = partner(&app, &t, "Schuldhulp Almere").await;
    let mut c = signed_in(&app, &logins["worker"]).await;

    // The household page leads to the referrals.
    let page = c.get(&format!("/households/{h}")).await;
    assert!(
        page.body
            .contains(&format!("/households/{h}/help-referrals"))
    );
    let list = c.get(&format!("/households/{h}/help-referrals")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Dit gezin is nog niet doorverwezen."));
    assert!(
        list.body.contains("Schuldhulp Almere"),
        "the partner to choose"
    );

    // Every bad field is named at the field, and nothing is stored.
    let tomorrow = (today() + Duration::days(1)).to_string();
    let r = c
        .post(
            &format!("/households/{h}/help-referrals"),
            &[
                ("help_kind", "bank"),
                ("help_reason", &"x".repeat(301)),
                ("help_consent", "now"),
                ("help_consent_method", "telepathy"),
                ("help_consent_on", &tomorrow),
                ("help_follow_up_on", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, msg) in [
        ("help_kind", "Kies een soort hulp uit de lijst."),
        ("help_reason", "Gebruik hoogstens 300 tekens."),
        ("help_consent_method", "Kies hoe de ouder toestemming gaf."),
        ("help_consent_on", "vandaag of eerder"),
        ("help_follow_up_on", "vanaf vandaag en binnen een jaar"),
    ] {
        assert!(error_at(&r.body, field).contains(msg), "{field}: {msg}");
    }
    let r = c
        .post(&format!("/households/{h}/help-referrals"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "help_kind").contains("Kies een soort hulp."));
    assert!(error_at(&r.body, "help_reason").contains("Schrijf kort op waarom"));
    assert!(error_at(&r.body, "help_consent").contains("Kies of de ouder al toestemming gaf."));
    assert!(app.store.help_referrals_of(&t, h).await.unwrap().is_empty());

    // A good one, consent still to ask: proposed, to be looked at in a week.
    let reason = "Zorgen over rekeningen; wil hulp bij het op orde brengen.";
    let r = c
        .post(
            &format!("/households/{h}/help-referrals"),
            &[
                ("help_kind", "debt_help"),
                ("help_partner", &debt_help.to_string()),
                ("help_reason", reason),
                ("help_consent", "later"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_in(&r.location);
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.state, ReferralState::Proposed);
    assert_eq!(x.kind, HelpKind::DebtHelp);
    assert_eq!(x.partner.as_ref().map(|p| p.0), Some(debt_help));
    assert_eq!(x.reason, reason);
    assert_eq!(x.consent, None);
    assert_eq!(x.follow_up_on, Some(today() + Duration::days(7)));
    let page = c.get(&r.location).await;
    assert!(page.body.contains("Voorgesteld"));
    assert!(page.body.contains(reason));
    assert!(page.body.contains("Nog niet gegeven"));

    // Not sent without the parent's consent: refused, nothing changes.
    let now = today().to_string();
    let r = step(&mut c, id, &[("step", "refer"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_at(&r.body, "step").contains("Eerst moet de ouder toestemming geven."),
        "{}",
        r.body
    );
    assert_eq!(
        app.store.help_referral(&t, id).await.unwrap().state,
        ReferralState::Proposed
    );

    // The consent, recorded like the other consents: how and when.
    let r = step(&mut c, id, &[("step", "consent"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "step_method").contains("Kies hoe de ouder het zei."));
    let r = step(
        &mut c,
        id,
        &[
            ("step", "consent"),
            ("step_on", &now),
            ("step_method", "paper"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.state, ReferralState::Consented);
    assert_eq!(x.consent, Some((ConsentMethod::Paper, today())));
    assert!(c.get(&r.location).await.body.contains("Op papier"));

    // A step dated before the previous one is refused at the date.
    let before = (today() - Duration::days(1)).to_string();
    let r = step(&mut c, id, &[("step", "refer"), ("step_on", &before)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "step_on").contains("niet voor de vorige stap"));

    // Sent: two weeks for the first contact.
    let r = step(&mut c, id, &[("step", "refer"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.state, ReferralState::Referred);
    assert_eq!(x.referred_on, Some(today()));
    assert_eq!(x.follow_up_on, Some(today() + Duration::days(14)));

    let r = step(&mut c, id, &[("step", "first_contact"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Closing needs an outcome.
    let r = step(&mut c, id, &[("step", "close"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "step_outcome").contains("Kies hoe het is afgelopen."));
    let r = step(
        &mut c,
        id,
        &[
            ("step", "close"),
            ("step_on", &now),
            ("step_outcome", "help_started"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.state, ReferralState::Closed);
    assert_eq!(x.outcome, Some(ReferralOutcome::HelpStarted));
    assert_eq!(x.first_contact_on, Some(today()));
    assert_eq!(x.ended_on, Some(today()));
    assert_eq!(x.follow_up_on, None, "a closed referral needs no follow-up");
    let page = c.get(&format!("/help-referrals/{id}")).await;
    assert!(page.body.contains("Afgesloten"));
    assert!(page.body.contains("De hulp is begonnen"));
    assert!(!page.body.contains("Stap opslaan"), "no more steps offered");
    // Closed takes no more steps.
    let r = step(&mut c, id, &[("step", "first_contact"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "step").contains("Deze verwijzing is al afgesloten."));

    // Every step is on the household's timeline...
    let hh = app.store.household(&t, h).await.unwrap();
    let kinds: Vec<&str> = hh.events.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "help_referral_proposed",
        "help_referral_consented",
        "help_referral_referred",
        "help_referral_first_contact",
        "help_referral_closed",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let page = c.get(&format!("/households/{h}")).await;
    assert!(page.body.contains("Doorverwezen naar hulp"));
    // ... and in the audit trail, about the household, with ids only.
    let entries = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                object_id: Some(h),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
    for action in [
        Action::HelpReferralCreated,
        Action::HelpReferralConsented,
        Action::HelpReferralReferred,
        Action::HelpReferralFirstContact,
        Action::HelpReferralClosed,
        Action::HelpReferralViewed,
    ] {
        assert!(
            entries.iter().any(|e| e.action == action.as_str()
                && (action == Action::HelpReferralViewed
                    || e.detail.contains(&format!("referral={id}")))),
            "{action}"
        );
    }
    assert!(
        entries.iter().all(|e| !e.detail.contains("rekeningen")),
        "no reason in the trail"
    );
    // The family's data export holds the referral, reason and steps.
    let export = c.get(&format!("/households/{h}/export.json")).await;
    assert!(
        export.body.contains("\"help_referrals\""),
        "{}",
        export.body
    );
    assert!(export.body.contains(reason));
    assert!(export.body.contains("\"help_started\""));
}
on_both!(
    a_worker_refers_a_family_step_by_step_,
    a_worker_refers_a_family_step_by_step
);

async fn withdrawing_the_consent_before_sending_stops_it(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let h = family(&app, &t, poort).await;
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let now = today().to_string();
    let r = c
        .post(
            &format!("/households/{h}/help-referrals"),
            &[
                ("help_kind", "mental_health"),
                ("help_reason", "Slaapt slecht sinds de scheiding."),
                ("help_consent", "now"),
                ("help_consent_method", "verbal"),
                ("help_consent_on", &now),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_in(&r.location);
    assert_eq!(
        app.store.help_referral(&t, id).await.unwrap().state,
        ReferralState::Consented
    );
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    assert!(tasks.iter().any(|x| x.id == id), "open: among the tasks");

    let r = step(
        &mut c,
        id,
        &[
            ("step", "withdraw"),
            ("step_on", &now),
            ("step_method", "portal"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.state, ReferralState::Stopped);
    assert_eq!(x.withdrawn, Some((ConsentMethod::Portal, today())));
    assert_eq!(x.referred_on, None);
    // Stopped, it is never sent and leaves the open tasks.
    let r = step(&mut c, id, &[("step", "refer"), ("step_on", &now)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store.help_referral(&t, id).await.unwrap().referred_on,
        None
    );
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    assert!(tasks.iter().all(|x| x.id != id));
    let r = c
        .post(
            &format!("/help-referrals/{id}/follow-up"),
            &[("referral_follow_up_on", &now)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        c.get(&format!("/help-referrals/{id}"))
            .await
            .body
            .contains("Gestopt")
    );
    let hh = app.store.household(&t, h).await.unwrap();
    assert!(
        hh.events
            .iter()
            .any(|e| e.kind == "help_referral_withdrawn")
    );
}
on_both!(
    withdrawing_the_consent_before_sending_stops_it_,
    withdrawing_the_consent_before_sending_stops_it
);

async fn the_follow_up_shows_in_the_open_tasks_overdue_marked(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    // The demo: one referral sent three weeks ago whose check is overdue, one proposed.
    let (tasks, total) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    assert_eq!(total, 2, "{tasks:?}");
    assert_eq!(tasks[0].state, ReferralState::Referred);
    assert_eq!(tasks[0].kind, HelpKind::DebtHelp);
    assert!(tasks[0].due < today(), "overdue first");
    assert_eq!(tasks[1].state, ReferralState::Proposed);
    assert!(tasks[1].due > today());

    let mut c = signed_in(&app, &logins["worker"]).await;
    let page = c.get("/encourage").await;
    assert_eq!(page.status, StatusCode::OK);
    let at = page.body.find("id=\"verwijzingen\"").expect("the section");
    let section = &page.body[at..];
    let card = |id: Uuid| {
        let at = section
            .find(&format!("id=\"verwijzing-{id}\""))
            .unwrap_or_else(|| panic!("no card of {id}"));
        let start = section[..at].rfind("<li").unwrap_or(at);
        let end = at + section[at..].find("</li>").unwrap_or(0);
        (start, &section[start..end])
    };
    let (first, overdue) = card(tasks[0].id);
    let (second, proposed) = card(tasks[1].id);
    assert!(first < second, "overdue on top");
    assert!(overdue.contains("card--overdue"), "{overdue}");
    assert!(overdue.contains("Te laat"), "{overdue}");
    assert!(
        overdue.contains("Schuldhulp: Schuldhulp Almere"),
        "{overdue}"
    );
    assert!(!proposed.contains("Te laat"), "{proposed}");
    assert!(proposed.contains("Voorgesteld"), "{proposed}");
    // The referral's own page marks it too; a new date takes the mark away.
    let path = format!("/help-referrals/{}", tasks[0].id);
    assert!(c.get(&path).await.body.contains("Te laat"));
    let next_week = (today() + Duration::days(7)).to_string();
    let r = c
        .post(
            &format!("{path}/follow-up"),
            &[("referral_follow_up_on", &next_week)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store
            .help_referral(&t, tasks[0].id)
            .await
            .unwrap()
            .follow_up_on,
        Some(today() + Duration::days(7))
    );
    assert!(!c.get(&path).await.body.contains("Te laat"));
    let r = c
        .post(
            &format!("{path}/follow-up"),
            &[("referral_follow_up_on", "gisteren")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "referral_follow_up_on").contains("vanaf vandaag"));
}

async fn coordinators_see_the_referrals_in_figures(app: TestApp) {
    let logins = app.demo().await;
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    assert!(c.get("/").await.body.contains("href=\"/help-referrals\""));
    let page = c.get("/help-referrals").await;
    assert_eq!(page.status, StatusCode::OK);
    // The demo: debt help sent to Schuldhulp Almere without a first contact yet; parenting
    // support proposed, without a partner.
    for row in [
        "<th scope=\"row\">Schuldhulp</th><td>1</td><td>1</td><td>0</td><td>0</td><td>–</td>",
        "<th scope=\"row\">Opvoedsteun</th><td>1</td><td>0</td><td>0</td><td>0</td><td>–</td>",
        "<th scope=\"row\">Schuldhulp Almere</th><td>1</td><td>1</td>",
        "<th scope=\"row\">Geen organisatie gekozen</th><td>1</td><td>0</td>",
        "<th scope=\"row\">Totaal</th><td>2</td><td>1</td><td>0</td>",
    ] {
        assert!(page.body.contains(row), "{row}");
    }
    // A first contact after five days shows in the days.
    let t = app.org("Almere").await;
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    let sent = app.store.help_referral(&t, tasks[0].id).await.unwrap();
    let contact = (sent.referred_on.unwrap() + Duration::days(5)).to_string();
    let r = step(
        &mut c,
        sent.id,
        &[("step", "first_contact"), ("step_on", &contact)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get("/help-referrals").await;
    assert!(page.body.contains(
        "<th scope=\"row\">Schuldhulp</th><td>1</td><td>1</td><td>1</td><td>0</td><td>5</td>"
    ));
    let mut worker = signed_in(&app, &logins["worker"]).await;
    assert_eq!(
        worker.get("/help-referrals").await.status,
        StatusCode::FORBIDDEN
    );
}
on_both!(
    coordinators_see_the_referrals_in_figures_,
    coordinators_see_the_referrals_in_figures
);

on_both!(
    the_follow_up_shows_in_the_open_tasks_overdue_marked_,
    the_follow_up_shows_in_the_open_tasks_overdue_marked
);

async fn reach_follows_the_households_neighbourhood(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    let id = tasks[0].id;
    let h = tasks[0].household_id;

    // A worker of Haven does not see a Poort family's referral, nor its task.
    let haven_worker = Tenant {
        org_id: t.org_id,
        role: Role::Worker,
        neighbourhoods: vec![haven],
    };
    assert!(matches!(
        app.store.help_referral(&haven_worker, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        app.store.help_referrals_of(&haven_worker, h).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        app.store
            .help_referral_tasks(&haven_worker, 100)
            .await
            .unwrap()
            .1,
        0
    );

    // Another organisation's worker: not found, whatever the route.
    let mut other = signed_in(&app, &logins["other-worker"]).await;
    for path in [
        format!("/help-referrals/{id}"),
        format!("/households/{h}/help-referrals"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = other
        .post(
            &format!("/help-referrals/{id}/step"),
            &[("step", "first_contact"), ("step_on", &today().to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.help_referral(&t, id).await.unwrap().state,
        ReferralState::Referred
    );

    // Partners, hosts and researchers never reach referrals.
    for label in ["partner", "host", "researcher"] {
        let mut c = signed_in(&app, &logins[label]).await;
        assert_eq!(
            c.get(&format!("/help-referrals/{id}")).await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
    }

    // A partner that does not work in the family's neighbourhood is refused at the field; one
    // of another organisation is no partner at all.
    let haven_only = app
        .store
        .create_partner(
            &t,
            None,
            &mtp_domain::partner::PartnerDraft::parse(&mtp_domain::partner::PartnerForm {
                name: "Bibliotheek Haven",
                kind: "culture",
                neighbourhoods: vec![&haven.to_string()],
                ..Default::default()
            })
            .unwrap(),
            mtp_store::NewAuditEvent {
                org_id: t.org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: Action::PartnerCreated,
                object_type: "partner".into(),
                object_id: None,
                neighbourhood_id: None,
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: String::new(),
            },
        )
        .await
        .unwrap();
    let fam = family(&app, &t, poort).await;
    let mut c = signed_in(&app, &logins["worker"]).await;
    let form = |partner: String| {
        vec![
            ("help_kind".to_string(), "other".to_string()),
            ("help_partner".to_string(), partner),
            (
                "help_reason".to_string(),
                "Zoekt een taalcursus.".to_string(),
            ),
            ("help_consent".to_string(), "later".to_string()),
        ]
    };
    let fields = form(haven_only.to_string());
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = c
        .post(&format!("/households/{fam}/help-referrals"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "help_partner").contains("Kies een organisatie uit de lijst"));
    let fields = form(Uuid::now_v7().to_string());
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = c
        .post(&format!("/households/{fam}/help-referrals"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        app.store
            .help_referrals_of(&t, fam)
            .await
            .unwrap()
            .is_empty()
    );
}
on_both!(
    reach_follows_the_households_neighbourhood_,
    reach_follows_the_households_neighbourhood
);

async fn erasing_a_family_keeps_the_figures_not_the_reason(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    let (id, h) = (tasks[0].id, tasks[0].household_id);
    erase(&app, &t, h).await;
    let x = app.store.help_referral(&t, id).await.unwrap();
    assert_eq!(x.reason, "");
    assert_eq!(x.kind, HelpKind::DebtHelp);
    assert_eq!(x.state, ReferralState::Referred);
    let (tasks, _) = app.store.help_referral_tasks(&t, 100).await.unwrap();
    assert!(tasks.iter().all(|x| x.household_id != h));
}
on_both!(
    erasing_a_family_keeps_the_figures_not_the_reason_,
    erasing_a_family_keeps_the_figures_not_the_reason
);

/// The Poort family at `i` of the active ones, as the demo picks its quotes' families.
async fn demo_family(app: &TestApp, t: &Tenant, poort: Uuid, i: usize) -> Uuid {
    let filter = HouseholdFilter {
        neighbourhood_id: Some(poort),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (rows, _) = app.store.households(t, &filter, 10, 0).await.unwrap();
    rows[i].id
}

async fn consent_for_quotes(c: &mut Client, h: Uuid, given: &str) {
    let r = c
        .post(
            &format!("/households/{h}/consent"),
            &[
                ("purpose", "quote"),
                ("given", given),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn quotes_are_used_only_while_the_consent_is_given(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let shown_text = "Hier hoef ik even niets uit te leggen.";
    let hidden_text = "eindelijk andere moeders op het schoolplein";

    // The demo: two quotes, one hidden because the mother withdrew her consent.
    let usable = app.store.usable_quotes(&t).await.unwrap();
    assert_eq!(usable.len(), 1, "{usable:?}");
    assert!(usable[0].text.starts_with(shown_text));
    assert_eq!(usable[0].byline, "een moeder uit Almere Poort");
    let shown = usable[0].household_id;
    let hidden = demo_family(&app, &t, poort, 5).await;
    let theirs = app.store.quotes_of(&t, hidden).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert!(!theirs[0].usable && theirs[0].text.is_empty() && theirs[0].byline.is_empty());

    let mut coordinator = signed_in(&app, &logins["coordinator"]).await;
    let page = coordinator.get("/publicity").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(shown_text));
    assert!(page.body.contains("een moeder uit Almere Poort"));
    assert!(!page.body.contains(hidden_text), "hidden on the list");
    assert!(coordinator.get("/").await.body.contains("/publicity"));
    let mut worker = signed_in(&app, &logins["worker"]).await;
    assert_eq!(worker.get("/publicity").await.status, StatusCode::FORBIDDEN);
    let page = worker.get(&format!("/households/{hidden}/quotes")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Verborgen"));
    assert!(
        !page.body.contains(hidden_text),
        "hidden on the family's page too"
    );
    assert!(
        page.body
            .contains("Vraag de ouder eerst om toestemming voor citaten.")
    );
    assert!(
        !page.body.contains("Citaat opslaan"),
        "no form without consent"
    );
    // The family's own data export still holds the mother's words (the right of access).
    let export = worker
        .get(&format!("/households/{hidden}/export.json"))
        .await;
    assert!(export.body.contains(hidden_text), "{}", export.body);

    // Withdrawal hides a quote at once, everywhere; consent given again shows it again.
    consent_for_quotes(&mut worker, shown, "no").await;
    assert!(app.store.usable_quotes(&t).await.unwrap().is_empty());
    assert!(
        !coordinator
            .get("/publicity")
            .await
            .body
            .contains(shown_text)
    );
    let page = worker.get(&format!("/households/{shown}/quotes")).await;
    assert!(!page.body.contains(shown_text));
    assert!(page.body.contains("Verborgen"));
    // Recording one now is refused.
    let today_s = today().to_string();
    let r = worker
        .post(
            &format!("/households/{shown}/quotes"),
            &[
                ("quote_text", "Fijn hier."),
                ("quote_attribution", "phrase"),
                ("quote_phrase", "een moeder"),
                ("quote_said_on", &today_s),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "quote_text").contains("gaf geen toestemming voor citaten"));
    consent_for_quotes(&mut worker, shown, "yes").await;
    assert!(
        coordinator
            .get("/publicity")
            .await
            .body
            .contains(shown_text)
    );

    // Every bad field is named; a good quote by first name shows the first name.
    let r = worker
        .post(
            &format!("/households/{shown}/quotes"),
            &[
                ("quote_text", ""),
                ("quote_attribution", "phrase"),
                ("quote_phrase", &"y".repeat(81)),
                ("quote_said_on", "2999-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, msg) in [
        ("quote_text", "Schrijf op wat de ouder zei."),
        ("quote_phrase", "hoogstens 80 tekens"),
        ("quote_said_on", "vandaag of eerder"),
    ] {
        assert!(error_at(&r.body, field).contains(msg), "{field}: {msg}");
    }
    let family = app.store.household(&t, shown).await.unwrap();
    let parent = &family.parents[0];
    let r = worker
        .post(
            &format!("/households/{shown}/quotes"),
            &[
                ("quote_text", "De kinderen kijken er de hele week naar uit."),
                ("quote_attribution", "first_name"),
                ("quote_parent", &parent.id.to_string()),
                ("quote_said_on", &today_s),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = coordinator.get("/publicity").await;
    assert!(
        page.body
            .contains("De kinderen kijken er de hele week naar uit.")
    );
    assert!(page.body.contains(&format!("— {}", parent.first_name)));
    // Another family's parent is refused at the field.
    let other = app.store.household(&t, hidden).await.unwrap();
    let r = worker
        .post(
            &format!("/households/{shown}/quotes"),
            &[
                ("quote_text", "Gezellig."),
                ("quote_attribution", "first_name"),
                ("quote_parent", &other.parents[0].id.to_string()),
                ("quote_said_on", &today_s),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "quote_parent").contains("Kies een ouder van dit gezin."));

    // Other organisations never reach a quote; removing one needs the button.
    let id = app.store.quotes_of(&t, shown).await.unwrap()[0].id;
    let mut other_org = signed_in(&app, &logins["other-worker"]).await;
    assert_eq!(
        other_org
            .get(&format!("/households/{shown}/quotes"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = other_org
        .post(&format!("/quotes/{id}/remove"), &[("remove", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = worker.post(&format!("/quotes/{id}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = worker
        .post(&format!("/quotes/{id}/remove"), &[("remove", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.store
            .quotes_of(&t, shown)
            .await
            .unwrap()
            .iter()
            .all(|q| q.id != id)
    );

    // Each step is in the audit trail, with ids only.
    let entries = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                object_id: Some(shown),
                ..Default::default()
            },
            200,
        )
        .await
        .unwrap();
    for action in [
        Action::QuoteRecorded,
        Action::QuoteRemoved,
        Action::PublicityViewed,
    ] {
        assert!(
            entries.iter().any(|e| e.action == action.as_str()),
            "{action}"
        );
    }
    assert!(entries.iter().all(|e| !e.detail.contains("kinderen")));

    // Erasing the family erases its quotes.
    erase(&app, &t, shown).await;
    assert!(app.store.usable_quotes(&t).await.unwrap().is_empty());
}
on_both!(
    quotes_are_used_only_while_the_consent_is_given_,
    quotes_are_used_only_while_the_consent_is_given
);

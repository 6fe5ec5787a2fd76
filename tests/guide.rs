//! The handbook inside the app (issue #19, docs/guide/help.md): a guide per role in Dutch and
//! English whose every link opens for its reader, the help link on the staff pages, the
//! worker's private reflection on the competencies, and the questionnaire interval on the
//! organisation settings.

use mtp_domain::Tenant;
use mtp_store::{AuditEntry, AuditFilter};
use reqwest::StatusCode;

use crate::helpers::{Client, Login, TestApp, post_org_settings};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

/// The links of a page's `<main>`.
pub(crate) fn main_links(body: &str) -> Vec<String> {
    let main = body
        .split("<main")
        .nth(1)
        .and_then(|rest| rest.split("</main>").next())
        .unwrap_or_default();
    main.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/'))
        .map(str::to_string)
        .collect()
}

/// The organisation's audit entries of one action.
async fn entries(app: &TestApp, t: &Tenant, action: &str) -> Vec<AuditEntry> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            20,
        )
        .await
        .unwrap()
}

const THE_DEMO_NOTE: &str = "Vaker bellen als iemand twee keer niet kwam.";

async fn each_role_reads_its_guide_and_every_link_opens(app: TestApp) {
    let logins = app.demo().await;
    for (who, guide, nl, nl_step, en, en_step) in [
        (
            "worker",
            "worker",
            "Gids voor de werker",
            "Komen er meer dan tien mensen? Zorg dan voor een tweede werker.",
            "Guide for the worker",
            "More than ten people? Then make sure a second worker is there.",
        ),
        (
            "host",
            "host",
            "Gids voor de gastvrouw of gastheer",
            "gezonde hapjes: tomaatjes, worteltjes of komkommer",
            "Guide for the host",
            "healthy snacks: cherry tomatoes, carrots or cucumber",
        ),
        (
            "coordinator",
            "coordinator",
            "Gids voor de coördinator",
            "Begin met een wijkscan",
            "Guide for the coordinator",
            "Start with a neighbourhood scan",
        ),
    ] {
        let mut c = signed_in(&app, &logins[who]).await;
        // `/help` is the reader's own guide; the others are listed.
        let mine = c.get("/help").await;
        assert_eq!(mine.status, StatusCode::OK, "{who}: {}", mine.body);
        assert!(mine.body.contains(nl), "{who}: {}", mine.body);
        assert!(mine.body.contains(nl_step), "{who}");
        assert!(mine.body.contains("Dit is de gids voor jouw rol."), "{who}");
        for other in ["worker", "host", "coordinator"] {
            if other != guide {
                assert!(
                    mine.body.contains(&format!("href=\"/help/{other}\"")),
                    "{who}"
                );
            }
        }
        let links = main_links(&mine.body);
        assert!(links.len() >= 3, "{who}: {links:?}");
        for href in &links {
            let r = c.get(href).await;
            assert_eq!(r.status, StatusCode::OK, "{who} follows {href}");
        }
        // The same guide in English.
        c.post("/lang/en", &[("next", "/")]).await;
        let en_page = c.get(&format!("/help/{guide}")).await;
        assert!(en_page.body.contains(en), "{who}: {}", en_page.body);
        assert!(en_page.body.contains(en_step), "{who}");
        assert!(en_page.body.contains("This is the guide for your role."));
        // The language is the account's: back to Dutch for what follows.
        c.post("/lang/nl", &[("next", "/")]).await;
    }

    // Every staff role reads every guide; a link the reader's role may not open is left out.
    let mut host = signed_in(&app, &logins["host"]).await;
    let worker_guide = host.get("/help/worker").await;
    assert_eq!(worker_guide.status, StatusCode::OK);
    assert!(worker_guide.body.contains("Gids voor de werker"));
    assert!(!worker_guide.body.contains("Dit is de gids voor jouw rol."));
    assert!(!worker_guide.body.contains("href=\"/households/new\""));
    assert!(!worker_guide.body.contains("href=\"/help/reflection\""));
    for href in main_links(&worker_guide.body) {
        assert_eq!(
            host.get(&href).await.status,
            StatusCode::OK,
            "host follows {href}"
        );
    }
    assert_eq!(host.get("/help/nobody").await.status, StatusCode::NOT_FOUND);
    // The administrator reads the coordinator's guide first.
    let mut admin = signed_in(&app, &logins["admin"]).await;
    assert!(
        admin
            .get("/help")
            .await
            .body
            .contains("Gids voor de coördinator")
    );
}
on_both!(
    guides_per_role,
    each_role_reads_its_guide_and_every_link_opens
);

async fn the_help_link_is_on_every_staff_page(app: TestApp) {
    let logins = app.demo().await;
    let link = "class=\"site-header__help\" href=\"/help\">Hulp</a>";
    for (who, pages) in [
        (
            "worker",
            &["/", "/households", "/sessions", "/encourage", "/chat"][..],
        ),
        ("host", &["/", "/sessions", "/households"][..]),
        (
            "coordinator",
            &["/", "/activities", "/admin/accounts", "/audit"][..],
        ),
        (
            "admin",
            &["/households", "/admin/organisation", "/reports"][..],
        ),
    ] {
        let mut c = signed_in(&app, &logins[who]).await;
        for page in pages {
            let r = c.get(page).await;
            assert_eq!(r.status, StatusCode::OK, "{who} {page}");
            assert!(r.body.contains(link), "{who} {page}: {}", r.body);
        }
    }
    // Partners and researchers have their own short pages and no guide here.
    for who in ["partner", "researcher"] {
        let mut c = signed_in(&app, &logins[who]).await;
        assert!(
            !c.get("/").await.body.contains("site-header__help"),
            "{who}"
        );
        for path in ["/help", "/help/worker", "/help/reflection"] {
            assert_eq!(
                c.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
    // Not on the sign-in page, nor in the parents' portal.
    let mut anonymous = app.client();
    assert!(
        !anonymous
            .get("/login")
            .await
            .body
            .contains("site-header__help")
    );
}
on_both!(help_link, the_help_link_is_on_every_staff_page);

async fn a_reflection_is_seen_by_its_writer_only(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut worker = signed_in(&app, &logins["worker"]).await;
    let page = worker.get("/help/reflection").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alleen jij ziet je reflectie."));
    // The demo's earlier reflection, with its date.
    assert!(page.body.contains(THE_DEMO_NOTE), "{}", page.body);
    assert!(page.body.contains("<strong>Wil ik aan werken</strong>"));

    // Every competency needs one of the two ratings, each refusal names its competency.
    let mut bad: Vec<(&str, &str)> = vec![
        ("skill_organise", "good"),
        ("skill_network", "good"),
        ("skill_listen", "excellent"),
        ("skill_encourage", "grow"),
        ("skill_connect", "good"),
        ("skill_difficult", "good"),
        ("skill_whatsapp", "grow"),
        ("note", "Nog niet opslaan"),
    ];
    let r = worker.post("/help/reflection", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Luisteren: kies een van de twee antwoorden."),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Vertrouwen opbouwen: kies of het goed gaat")
    );
    assert!(r.body.contains("href=\"#skill_listen\""));
    bad.retain(|(k, _)| *k != "skill_listen");
    bad.push(("skill_listen", "grow"));
    bad.push(("skill_trust", "good"));
    let long = "x".repeat(2001);
    let mut too_long = bad.clone();
    too_long.retain(|(k, _)| *k != "note");
    too_long.push(("note", long.as_str()));
    let r = worker.post("/help/reflection", &too_long).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("De notitie is te lang."));

    let mine = "Mijn eigen notitie over het luisteren";
    bad.retain(|(k, _)| *k != "note");
    bad.push(("note", mine));
    let r = worker.post("/help/reflection", &bad).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/help/reflection");
    let page = worker.get("/help/reflection").await;
    assert!(page.body.contains("Je reflectie is opgeslagen."));
    assert!(page.body.contains(mine));
    assert!(page.body.contains(THE_DEMO_NOTE));
    // Newest first.
    assert!(page.body.find(mine) < page.body.find(THE_DEMO_NOTE));

    // Nobody else reads it: not the coordinator of the neighbourhood, not a worker of another
    // organisation (each sees only their own, none), and the administrator and the host not
    // at all.
    for who in ["coordinator", "other-worker"] {
        let mut c = signed_in(&app, &logins[who]).await;
        let r = c.get("/help/reflection").await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert!(
            r.body.contains("Je hebt nog geen reflectie opgeslagen."),
            "{who}"
        );
        assert!(
            !r.body.contains(mine) && !r.body.contains(THE_DEMO_NOTE),
            "{who}"
        );
    }
    for who in ["admin", "host"] {
        let mut c = signed_in(&app, &logins[who]).await;
        let r = c.get("/help/reflection").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        assert!(!r.body.contains(mine), "{who}");
        // Nor in the audit log, which says a reflection was saved, not what it says.
        let log = c.get("/audit").await;
        assert!(!log.body.contains(mine), "{who}");
    }
    let saved = entries(&app, &t, "reflection.saved").await;
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert!(
        saved
            .iter()
            .all(|e| !e.detail.contains("notitie") && !e.detail.contains("Vaker"))
    );
}
on_both!(reflection_private, a_reflection_is_seen_by_its_writer_only);

async fn the_questionnaire_interval_is_an_organisation_setting(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut admin = signed_in(&app, &logins["admin"]).await;
    let form = admin.get("/admin/organisation").await;
    assert!(
        form.body
            .contains("name=\"questionnaire_months\" type=\"text\" value=\"6\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("Vragenlijsten opnieuw na (maanden)"));
    let org = app.store.organisation(t.org_id).await.unwrap();
    for bad in ["2", "7", "zes"] {
        let r = post_org_settings(&mut admin, &org, &[("questionnaire_months", bad)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            r.body
                .contains("Vragenlijsten opnieuw na: vul een getal in van 3 tot en met 6."),
            "{bad}: {}",
            r.body
        );
    }
    assert_eq!(
        app.store
            .questionnaire_interval(t.org_id)
            .await
            .unwrap()
            .get(),
        6
    );
    // In English too.
    admin.post("/lang/en", &[("next", "/")]).await;
    let r = post_org_settings(&mut admin, &org, &[("questionnaire_months", "9")]).await;
    assert!(
        r.body
            .contains("Questionnaires again after: enter a number from 3 to 6.")
    );

    let r = post_org_settings(&mut admin, &org, &[("questionnaire_months", "4")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store
            .questionnaire_interval(t.org_id)
            .await
            .unwrap()
            .get(),
        4
    );
    assert!(
        admin
            .get("/admin/organisation")
            .await
            .body
            .contains("name=\"questionnaire_months\" type=\"text\" value=\"4\"")
    );
    // A form without the field (a page opened before it existed) keeps the setting.
    let r = post_org_settings(&mut admin, &org, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store
            .questionnaire_interval(t.org_id)
            .await
            .unwrap()
            .get(),
        4
    );
    let changes = entries(&app, &t, "organisation.updated").await;
    assert!(
        changes.iter().any(|e| e.detail == "questionnaire_months=4"),
        "{changes:?}"
    );
}
on_both!(
    questionnaire_interval,
    the_questionnaire_interval_is_an_organisation_setting
);

//! Partner organisations (issue #16, docs/guide/partners.md): a coordinator keeps the
//! register and every bad field says what is wrong; workers read it; other roles and other
//! organisations stay out; reach follows neighbourhoods; a deleted partner leaves the lists
//! but a household that came through it keeps its name; briefings move the last contact; a
//! partner account belongs to a partner organisation.

use chrono::{Duration, Utc};
use mtp_domain::audit::Action;
use mtp_domain::partner::{PartnerDraft, PartnerForm};
use mtp_domain::{Role, Tenant};
use mtp_store::{AuditFilter, PartnerFilter, StoreError};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

async fn partner_id(app: &TestApp, t: &Tenant, name: &str) -> Option<Uuid> {
    app.store
        .partners(t, &PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
}

fn id_in(location: &str) -> Uuid {
    location
        .trim_start_matches("/partners/")
        .split(['#', '/'])
        .next()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no partner id in {location:?}"))
}

/// The audit entry of a change made outside the web (as the demo makes its partners).
fn cli_event(t: &Tenant, action: Action) -> mtp_store::NewAuditEvent {
    mtp_store::NewAuditEvent {
        org_id: t.org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "partner".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: mtp_domain::audit::Outcome::Allowed,
        detail: String::new(),
    }
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

async fn a_coordinator_keeps_the_register(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let before = app
        .store
        .partners(&t, &PartnerFilter::default())
        .await
        .unwrap()
        .len();
    assert_eq!(before, 5, "the demo has five partners");
    let mut c = signed_in(&app, &logins["coordinator"]).await;

    // Every bad field is named at the field, and nothing is stored.
    let form = c.get("/partners/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let r = c
        .post(
            "/partners/new",
            &[
                ("partner_name", "  "),
                ("partner_kind", "bank"),
                ("partner_note", &"x".repeat(2001)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, msg) in [
        ("partner_name", "Vul de naam van de organisatie in."),
        ("partner_kind", "Kies een soort organisatie uit de lijst."),
        (
            "partner_note",
            "De notitie is te lang. Gebruik hoogstens 2000 tekens.",
        ),
        ("partner_neighbourhoods", "Kies minstens één wijk."),
    ] {
        // The message stands in the field's own error paragraph.
        let at = r
            .body
            .find(&format!("id=\"{field}-error\""))
            .unwrap_or_else(|| panic!("no error at {field}"));
        let end = at + r.body[at..].find("</p>").unwrap_or(0);
        assert!(r.body[at..end].contains(msg), "{field}: {msg}");
    }
    // A neighbourhood outside the coordinator's reach is refused at the field.
    let r = c
        .post(
            "/partners/new",
            &[
                ("partner_name", "Bibliotheek Haven"),
                ("partner_kind", "culture"),
                ("partner_neighbourhoods", &haven.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Kies alleen wijken uit de lijst waar je zelf werkt."),
        "{}",
        r.body
    );
    // Another organisation's neighbourhood is no neighbourhood at all.
    let lelystad = app.org("Lelystad").await;
    let atol = app.neighbourhood(&lelystad, "Lelystad Atolwijk").await;
    let r = c
        .post(
            "/partners/new",
            &[
                ("partner_name", "Bibliotheek Atol"),
                ("partner_kind", "culture"),
                ("partner_neighbourhoods", &atol.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store
            .partners(&t, &PartnerFilter::default())
            .await
            .unwrap()
            .len(),
        before,
        "nothing was stored"
    );

    // A good one.
    let r = c
        .post(
            "/partners/new",
            &[
                ("partner_name", "Bibliotheek Poort"),
                ("partner_kind", "culture"),
                ("offers_activity", "yes"),
                ("partner_note", "Leesochtend op zaterdag."),
                ("partner_neighbourhoods", &poort.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let library = id_in(&r.location);
    let page = c.get(&r.location).await;
    assert!(page.body.contains("Bibliotheek Poort is toegevoegd."));
    assert!(page.body.contains("Biedt een activiteit of plek"));
    assert!(page.body.contains("Nog geen contact vastgelegd"));

    // Search by name (any case) and filter by kind, as a plain GET form.
    let found = c.get("/partners?q=BIBLIO").await;
    assert!(found.body.contains("Bibliotheek Poort"));
    assert!(!found.body.contains("Basisschool De Regenboog"));
    let schools = c.get("/partners?kind=school").await;
    assert!(schools.body.contains("Basisschool De Regenboog"));
    assert!(!schools.body.contains("Bibliotheek Poort"));
    let none = c.get("/partners?q=zwembad").await;
    assert!(none.body.contains("Geen partners gevonden."));

    // Contact people: one way to reach them is needed.
    let r = c
        .post(
            &format!("/partners/{library}/contacts"),
            &[("contact_name", "Joke Vos"), ("contact_role", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Vul een telefoonnummer of een e-mailadres in.")
    );
    let r = c
        .post(
            &format!("/partners/{library}/contacts"),
            &[
                ("contact_name", "Joke Vos"),
                ("contact_role", "leesconsulent"),
                ("contact_phone", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/partners/{library}")).await;
    assert!(page.body.contains("Joke Vos") && page.body.contains("06-12 34 56 78"));

    // Briefings: a later one moves the last contact, an earlier one does not; none in the
    // future.
    let me = app
        .store
        .account_by_email(&mtp_domain::Email::parse(&logins["coordinator"].email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let recent = (today() - Duration::days(3)).to_string();
    let older = (today() - Duration::days(40)).to_string();
    let future = (today() + Duration::days(3)).to_string();
    for (day, what) in [(&recent, "Folder in de leeshoek"), (&older, "Kennismaking")] {
        let r = c
            .post(
                &format!("/partners/{library}/briefings"),
                &[("given_on", day), ("given_by", &me), ("presented", what)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = c
        .post(
            &format!("/partners/{library}/briefings"),
            &[("given_on", &future), ("given_by", &me), ("presented", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Het mag vandaag zijn of eerder, niet later.")
    );
    assert!(r.body.contains("Vul in wat je vertelde of liet zien."));
    let d = app.store.partner(&t, library).await.unwrap();
    assert_eq!(
        d.partner.last_contact,
        Some(today() - Duration::days(3)),
        "the later briefing decides"
    );
    assert_eq!(d.briefings.len(), 2);
    assert_eq!(d.briefings[0].presented, "Folder in de leeshoek");
    // Another organisation's account cannot have given it.
    let stranger = app
        .store
        .accounts(lelystad.org_id)
        .await
        .unwrap()
        .first()
        .map(|a| a.id.to_string())
        .expect("Lelystad has an account");
    let r = c
        .post(
            &format!("/partners/{library}/briefings"),
            &[
                ("given_on", &recent),
                ("given_by", &stranger),
                ("presented", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Editing keeps the neighbourhoods the coordinator cannot see (the team works in Haven too).
    let team = partner_id(&app, &t, "Wijkteam Poort").await.unwrap();
    let r = c
        .post(
            &format!("/partners/{team}/edit"),
            &[
                ("partner_name", "Wijkteam Almere Poort"),
                ("partner_kind", "neighbourhood_team"),
                ("refers_families", "yes"),
                ("partner_neighbourhoods", &poort.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = app.store.partner(&t, team).await.unwrap();
    assert_eq!(d.partner.name, "Wijkteam Almere Poort");
    assert_eq!(d.partner.neighbourhoods.len(), 2, "Haven was kept");

    let created = app
        .store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some("partner.created".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
    assert!(created.iter().any(|e| e.object_id == Some(library)));
}
on_both!(register, a_coordinator_keeps_the_register);

async fn workers_read_and_other_roles_stay_out(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let school = partner_id(&app, &t, "Basisschool De Regenboog")
        .await
        .unwrap();
    let mut w = signed_in(&app, &logins["worker"]).await;
    let list = w.get("/partners").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Basisschool De Regenboog"));
    assert!(
        !list.body.contains("href=\"/partners/new\""),
        "no add button"
    );
    let page = w.get(&format!("/partners/{school}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ellen Bos"));
    assert!(!page.body.contains(&format!("/partners/{school}/edit")));
    assert!(!page.body.contains("Voorlichting vastleggen"));
    let home = w.get("/").await;
    assert!(home.body.contains("href=\"/partners\""), "linked from home");
    for (path, fields) in [
        ("/partners/new".to_string(), vec![("partner_name", "X")]),
        (
            format!("/partners/{school}/edit"),
            vec![("partner_name", "X")],
        ),
        (
            format!("/partners/{school}/delete"),
            vec![("delete", "yes")],
        ),
    ] {
        let r = w.post(&path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    for role in ["host", "partner", "researcher"] {
        let mut c = signed_in(&app, &logins[role]).await;
        assert_eq!(
            c.get("/partners").await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        assert_eq!(
            c.get(&format!("/partners/{school}")).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
    // Another organisation's worker, and an Almere coordinator asking for Lelystad's partner.
    let mut other = signed_in(&app, &logins["other-worker"]).await;
    assert_eq!(
        other.get(&format!("/partners/{school}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!other.get("/partners").await.body.contains("Regenboog"));
    let lelystad = app.org("Lelystad").await;
    let atol = app.neighbourhood(&lelystad, "Lelystad Atolwijk").await;
    let atol_s = atol.to_string();
    let draft = PartnerDraft::parse(&PartnerForm {
        name: "Basisschool Atol",
        kind: "school",
        neighbourhoods: vec![atol_s.as_str()],
        ..Default::default()
    })
    .unwrap();
    let theirs = app
        .store
        .create_partner(
            &lelystad,
            None,
            &draft,
            cli_event(&lelystad, Action::PartnerCreated),
        )
        .await
        .unwrap();
    let mut coord = signed_in(&app, &logins["coordinator"]).await;
    assert_eq!(
        coord.get(&format!("/partners/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );
    coord.get("/partners").await;
    let r = coord
        .post(
            &format!("/partners/{theirs}/edit"),
            &[("partner_name", "Van ons"), ("partner_kind", "school")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A contact of another partner, named under this one, is no contact of it.
    let their_contact = app
        .store
        .add_partner_contact(
            &lelystad,
            theirs,
            &mtp_domain::partner::ContactDraft::parse(&mtp_domain::partner::ContactForm {
                name: "Iemand",
                email: "iemand@atol.test",
                ..Default::default()
            })
            .unwrap(),
            cli_event(&lelystad, Action::PartnerContactAdded),
        )
        .await
        .unwrap();
    let r = coord
        .post(
            &format!("/partners/{school}/contacts/{their_contact}/remove"),
            &[("remove", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store
            .partner(&lelystad, theirs)
            .await
            .unwrap()
            .contacts
            .len(),
        1
    );

    // Reach follows neighbourhoods: a worker of Almere Haven sees the partners working there
    // (the neighbourhood team, debt help), not the school of Poort.
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let haven_worker = Tenant {
        org_id: t.org_id,
        role: Role::Worker,
        neighbourhoods: vec![haven],
    };
    let seen: Vec<String> = app
        .store
        .partners(&haven_worker, &PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(seen, ["Schuldhulp Almere", "Wijkteam Poort"]);
    assert!(matches!(
        app.store.partner(&haven_worker, school).await,
        Err(StoreError::NotFound)
    ));
}
on_both!(roles, workers_read_and_other_roles_stay_out);

async fn a_deleted_partner_leaves_the_lists_but_the_household_keeps_its_name(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let mut coord = signed_in(&app, &logins["coordinator"]).await;
    let r = coord
        .post(
            "/partners/new",
            &[
                ("partner_name", "Moskee Poort"),
                ("partner_kind", "religious"),
                ("refers_families", "yes"),
                ("partner_neighbourhoods", &poort.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mosque = id_in(&r.location);

    // A worker registers a family that came through it.
    let mut w = signed_in(&app, &logins["worker"]).await;
    let form = w.get("/households/new").await;
    assert!(
        form.body
            .contains(&format!("<option value=\"{mosque}\">Moskee Poort</option>"))
    );
    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Amira"),
                ("p0_channel", "whatsapp"),
                ("p0_phone", "06-11122233"),
                ("source", "other_parent"),
                ("source_partner_id", &mosque.to_string()),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let household = r.location.clone();
    let page = w.get(&household).await;
    assert!(
        page.body
            .contains(&format!("<a href=\"/partners/{mosque}\">Moskee Poort</a>"))
    );
    // A partner not in the family's neighbourhood cannot be chosen.
    let debt_only_haven = {
        let haven = app.neighbourhood(&t, "Almere Haven").await;
        let admin_draft = PartnerDraft::parse(&PartnerForm {
            name: "Kerk Haven",
            kind: "religious",
            neighbourhoods: vec![&haven.to_string()],
            ..Default::default()
        })
        .unwrap();
        app.store
            .create_partner(
                &t,
                None,
                &admin_draft,
                cli_event(&t, Action::PartnerCreated),
            )
            .await
            .unwrap()
    };
    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Noor"),
                ("p0_channel", "whatsapp"),
                ("p0_phone", "06-11122244"),
                ("source", "other_parent"),
                ("source_partner_id", &debt_only_haven.to_string()),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kies een partner uit de lijst."));

    // The coordinator deletes it, after a confirmation.
    let confirm = coord.get(&format!("/partners/{mosque}/delete")).await;
    assert!(confirm.body.contains("Wil je Moskee Poort verwijderen?"));
    let bare = coord.post(&format!("/partners/{mosque}/delete"), &[]).await;
    assert_eq!(
        bare.status,
        StatusCode::BAD_REQUEST,
        "a bare POST deletes nothing"
    );
    let r = coord
        .post(&format!("/partners/{mosque}/delete"), &[("delete", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = coord.get("/partners").await;
    assert!(list.body.contains("Moskee Poort is verwijderd."));
    assert!(
        !list.body.contains(&format!("/partners/{mosque}")),
        "not in the list"
    );
    let form = w.get("/households/new").await;
    assert!(!form.body.contains("Moskee Poort"), "not in the select");
    // The household keeps the name and the link; the partner's page says it was deleted.
    let page = w.get(&household).await;
    assert!(
        page.body
            .contains(&format!("<a href=\"/partners/{mosque}\">Moskee Poort</a>"))
    );
    let gone = w.get(&format!("/partners/{mosque}")).await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(gone.body.contains("Deze partner is verwijderd op"));
    // Editing the household keeps its partner, deleted or not.
    let edit = w.get(&format!("{household}/edit")).await;
    assert!(edit.body.contains(&format!(
        "<option value=\"{mosque}\" selected>Moskee Poort</option>"
    )));
    // Nothing more can be added to a deleted partner.
    let r = coord
        .post(
            &format!("/partners/{mosque}/contacts"),
            &[
                ("contact_name", "Imam"),
                ("contact_email", "imam@moskee.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let rows = app.store.partner(&t, mosque).await.unwrap();
    assert!(rows.partner.deleted_at.is_some(), "the row stays");
}
on_both!(
    soft_delete,
    a_deleted_partner_leaves_the_lists_but_the_household_keeps_its_name
);

async fn a_partner_account_belongs_to_a_partner_organisation(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let school = partner_id(&app, &t, "Basisschool De Regenboog")
        .await
        .unwrap();
    let mut admin = signed_in(&app, &logins["admin"]).await;
    admin.get("/admin/accounts/new").await;
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Ellen Bos"),
                ("email", "ellen@regenboog.test"),
                ("role", "partner"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let at = r
        .body
        .find("id=\"partner_org-error\"")
        .expect("error at the field");
    assert!(r.body[at..].contains("Kies de partnerorganisatie van dit partneraccount."));
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Ellen Bos"),
                ("email", "ellen@regenboog.test"),
                ("role", "partner"),
                ("partner_org", &school.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ellen = app
        .store
        .account_by_email(&mtp_domain::Email::parse("ellen@regenboog.test").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ellen.partner_org_id, Some(school));
    // A worker account belongs to no partner, whatever the form sends.
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Wim Werk"),
                ("email", "wim@almere.test"),
                ("role", "worker"),
                ("partner_org", &school.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let wim = app
        .store
        .account_by_email(&mtp_domain::Email::parse("wim@almere.test").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(wim.partner_org_id, None);

    // The demo's partner account belongs to the school: its start page says so, with the
    // team's contact and the last briefing, and nothing about families.
    let mut partner = signed_in(&app, &logins["partner"]).await;
    let home = partner.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Jouw organisatie"));
    assert!(home.body.contains("Basisschool De Regenboog"));
    assert!(home.body.contains("Almere Poort"));
    assert!(home.body.contains("Laatste voorlichting"));
    assert!(home.body.contains("Bij de ouderavond van groep 1–4"));
    assert!(!home.body.contains("href=\"/partners\""));
    assert!(!home.body.contains("href=\"/households"));
}
on_both!(
    partner_accounts,
    a_partner_account_belongs_to_a_partner_organisation
);

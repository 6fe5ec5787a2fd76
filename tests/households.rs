//! The household register: registration with bad input, what hosts may (not) see, tenant and
//! neighbourhood reach, consent per purpose, the status lifecycle, search.

use mtp_domain::consent::{Purpose, has_consent};
use mtp_domain::{Role, Tenant};
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both;

async fn org_and_poort(app: &TestApp) -> (uuid::Uuid, uuid::Uuid) {
    let almere = app.org("Almere").await;
    let poort = app.neighbourhood(&almere, "Almere Poort").await;
    (almere.org_id, poort)
}

fn id_from(location: &str) -> String {
    location.trim_start_matches("/households/").to_string()
}

async fn a_worker_registers_a_household_and_bad_input_gets_clear_messages(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let form = w.get("/households/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Geboortemaand") && form.body.contains("Toestemming"));

    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", ""),
                ("p0_phone", "06-123"),
                ("p0_channel", "whatsapp"),
                ("c0_first_name", "Noah"),
                ("c0_month", "13"),
                ("c0_year", "1990"),
                ("postcode4", "0123"),
                ("source", "school"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Vul een voornaam in.",
        "Vul een telefoonnummer in zoals 06-12345678 of 020-1234567.",
        "Kies een maand.",
        "Vul de vier cijfers van de postcode in, zoals 1363.",
        "Vraag eerst toestemming. Zonder toestemming slaan we niets op.",
    ] {
        assert!(r.body.contains(msg), "missing {msg:?}");
    }
    assert!(r.body.contains("value=\"Noah\""), "typed values are kept");
    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Sanne"),
                ("p0_channel", "whatsapp"),
                ("c0_first_name", "Oma"),
                ("c0_month", "3"),
                ("c0_year", "1990"),
                ("source", "school"),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert!(
        r.body.contains("Dit kind is 18 jaar of ouder."),
        "a child is under 18"
    );
    assert!(
        r.body.contains("Vul een telefoonnummer in, of kies e-mail"),
        "WhatsApp needs a phone number"
    );

    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Sanne"),
                ("p0_last_name", "de Boer"),
                ("p0_phone", "+31 6 1234 5678"),
                ("p0_channel", "whatsapp"),
                ("p0_works", "yes"),
                ("p0_free_days", "2"),
                ("c0_first_name", "Noah"),
                ("c0_month", "3"),
                ("c0_year", "2019"),
                ("postcode4", "1363 AB"),
                ("source", "school"),
                ("notes", "Zoekt opvang op woensdag."),
                ("consent_data", "yes"),
                ("consent_method", "paper"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location);
    let page = w.get(&r.location).await;
    assert!(page.body.contains("Het gezin van Sanne is opgeslagen."));
    for shown in [
        "Sanne de Boer",
        "06-12 34 56 78",
        "Noah",
        "maart 2019",
        "1363",
        "Via school",
        "Zoekt opvang op woensdag.",
        "Contact gehad",
        "Eenoudergezin met minderjarige kinderen",
    ] {
        assert!(page.body.contains(shown), "missing {shown:?}");
    }
    assert!(
        !page.body.contains("1363 AB"),
        "only the four digits are kept"
    );
    // Registration recorded the consent for registering, and the page view is in the trail.
    let (org, _) = org_and_poort(&app).await;
    let entries = app
        .store
        .audit_entries(
            org,
            &mtp_store::AuditFilter {
                action: Some("household.viewed".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_default();
    assert!(
        entries
            .iter()
            .any(|e| e.object_id.map(|o| o.to_string()) == Some(id.clone())
                && e.outcome == "allowed")
    );
    assert!(page.body.contains("Gegevens vastleggen en contact opnemen"));
    let hid = uuid::Uuid::parse_str(&id).unwrap_or_default();
    let all = Tenant {
        org_id: org,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let consents = app
        .store
        .household_consents(&all, hid)
        .await
        .unwrap_or_default();
    assert!(has_consent(&consents, Purpose::DataRegistration));
    assert!(
        !has_consent(&consents, Purpose::Photos),
        "nothing else is assumed"
    );

    // Search by last name and by phone number as people type it.
    assert!(
        w.get("/households?q=de+boer")
            .await
            .body
            .contains("Sanne de Boer")
    );
    assert!(
        w.get("/households?q=0612345678")
            .await
            .body
            .contains("Sanne de Boer")
    );
    assert!(
        !w.get("/households?q=niemand")
            .await
            .body
            .contains("Sanne de Boer")
    );
}
on_both!(
    register,
    a_worker_registers_a_household_and_bad_input_gets_clear_messages
);

async fn hosts_see_first_names_only_and_partners_nothing(app: TestApp) {
    let logins = app.demo().await;
    let (org, _) = org_and_poort(&app).await;
    let all = Tenant {
        org_id: org,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let (rows, _) = app
        .store
        .households(
            &all,
            &mtp_store::HouseholdFilter {
                status: Some(mtp_domain::HouseholdStatus::Active),
                ..Default::default()
            },
            100,
            0,
        )
        .await
        .unwrap_or_default();
    let h = app.store.household(&all, rows[1].id).await.unwrap();
    let parent = h.parents[0].clone();
    let mut host = app.client();
    host.login(&logins["host"]).await;
    let list = host.get("/households?q=zoek").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&parent.first_name));
    if let Some(last) = &parent.last_name {
        assert!(
            !list.body.contains(last.as_str()),
            "a host never sees last names"
        );
    }
    if let Some(phone) = &parent.phone {
        assert!(!list.body.contains(&phone.display()) && !list.body.contains(phone.e164()));
    }
    assert!(
        !list.body.contains("href=\"/households/0"),
        "a host cannot open a household"
    );
    assert!(!list.body.contains("name=\"q\""), "a host cannot search");
    assert!(
        !list.body.contains(
            &h.children
                .first()
                .map(|c| c.first_name.clone())
                .unwrap_or_else(|| "@@".into())
        ) || h
            .children
            .iter()
            .all(|c| h.parents.iter().any(|p| p.first_name == c.first_name))
    );
    assert_eq!(
        host.get(&format!("/households/{}", h.id)).await.status,
        StatusCode::FORBIDDEN
    );

    for label in ["partner", "researcher"] {
        let mut c = app.client();
        c.login(&logins[label]).await;
        assert_eq!(
            c.get("/households").await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
        assert_eq!(
            c.get(&format!("/households/{}", h.id)).await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
    }
}
on_both!(host_view, hosts_see_first_names_only_and_partners_nothing);

async fn households_stay_within_their_organisation_and_neighbourhood(app: TestApp) {
    let logins = app.demo().await;
    let (org, _) = org_and_poort(&app).await;
    let all = Tenant {
        org_id: org,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let (rows, total) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    assert!(total >= 35, "the demo has a living neighbourhood: {total}");
    let id = rows[0].id;
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    assert_eq!(
        other.get(&format!("/households/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        other
            .get("/households")
            .await
            .body
            .contains("0 gezinnen gevonden.")
    );
    let r = other
        .post(
            &format!("/households/{id}/consent"),
            &[
                ("purpose", "photos"),
                ("given", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The refused look is in the other organisation's audit trail.
    let lelystad = app
        .store
        .organisations()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.name.contains("Lelystad"))
        .map(|o| o.id)
        .unwrap_or_default();
    let denied = app
        .store
        .audit_entries(
            lelystad,
            &mtp_store::AuditFilter {
                outcome: Some("denied".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_default();
    assert!(
        denied
            .iter()
            .any(|e| e.action == "household.viewed" && e.object_id == Some(id))
    );
    // Within one organisation: a worker of another neighbourhood does not see Almere Poort.
    let haven = app
        .store
        .account_by_email(
            &mtp_domain::Email::parse("wijkwerker.haven@almere.demo.meettheparents.nl").unwrap(),
        )
        .await
        .ok()
        .flatten()
        .expect("no haven worker");
    let tenant = Tenant {
        org_id: org,
        role: Role::Worker,
        neighbourhoods: haven.neighbourhoods.clone(),
    };
    assert!(matches!(
        app.store.household(&tenant, id).await,
        Err(mtp_store::StoreError::NotFound)
    ));
}
on_both!(
    household_reach,
    households_stay_within_their_organisation_and_neighbourhood
);

async fn consent_is_given_and_withdrawn_per_purpose_and_the_status_follows_the_lifecycle(
    app: TestApp,
) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get("/households/new").await;
    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Naima"),
                ("p0_channel", "sms"),
                ("p0_phone", "0612345679"),
                ("source", "other_parent"),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    let page_url = r.location.clone();
    let id = id_from(&page_url);
    w.get(&page_url).await;
    let r = w
        .post(
            &format!("/households/{id}/consent"),
            &[
                ("purpose", "photos"),
                ("given", "yes"),
                ("consent_method", "paper"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    w.get(&page_url).await;
    let r = w
        .post(
            &format!("/households/{id}/consent"),
            &[
                ("purpose", "photos"),
                ("given", "no"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.get(&page_url).await;
    assert!(
        page.body.contains("Toestemming ingetrokken")
            && page.body.contains("Foto&#39;s maken en gebruiken"),
        "{}",
        page.body
    );
    let (org, _) = org_and_poort(&app).await;
    let all = Tenant {
        org_id: org,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let hid = uuid::Uuid::parse_str(&id).unwrap_or_default();
    let consents = app
        .store
        .household_consents(&all, hid)
        .await
        .unwrap_or_default();
    assert!(
        !has_consent(&consents, Purpose::Photos),
        "a withdrawn photo consent means no photos"
    );
    assert_eq!(
        consents
            .iter()
            .filter(|c| c.purpose == Purpose::Photos)
            .count(),
        2,
        "history is kept"
    );

    // Lifecycle: a contacted household cannot go "quiet" before it took part.
    let r = w
        .post(&format!("/households/{id}/status"), &[("status", "quiet")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Deze status kan nu niet."));
    w.get(&page_url).await;
    let r = w
        .post(&format!("/households/{id}/status"), &[("status", "active")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.get(&page_url).await;
    assert!(
        page.body
            .contains("Status veranderd: Contact gehad → Doet mee")
    );
    let r = w
        .post(
            &format!("/households/{id}/consent"),
            &[
                ("purpose", "nonsense"),
                ("given", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
on_both!(
    consent_and_status,
    consent_is_given_and_withdrawn_per_purpose_and_the_status_follows_the_lifecycle
);

async fn a_worker_corrects_a_households_details(app: TestApp) {
    let logins = app.demo().await;
    let (org, _) = org_and_poort(&app).await;
    let all = Tenant {
        org_id: org,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let (rows, _) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap_or_default();
    let before = app.store.household(&all, rows[0].id).await.unwrap();
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let url = format!("/households/{}/edit", before.id);
    let form = w.get(&url).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(&format!("value=\"{}\"", before.parents[0].first_name)),
        "the form is filled in"
    );
    assert!(
        !form.body.contains("consent_data"),
        "consent is not asked again"
    );
    // Keep everything, change the phone number, add a child.
    let mut fields: Vec<(String, String)> = Vec::new();
    let p = &before.parents[0];
    fields.push(("kind".into(), before.kind.as_str().into()));
    fields.push(("source".into(), before.source.as_str().into()));
    fields.push(("p0_first_name".into(), p.first_name.clone()));
    fields.push(("p0_channel".into(), "phone".into()));
    fields.push(("p0_phone".into(), "020-1234567".into()));
    fields.push(("c0_first_name".into(), "Mees".into()));
    fields.push(("c0_month".into(), "7".into()));
    fields.push(("c0_year".into(), "2021".into()));
    let bad: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), if k == "p0_phone" { "12" } else { v.as_str() }))
        .collect();
    let r = w.post(&url, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Mees\""), "typed values are kept");
    let good: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = w.post(&url, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w.get(&r.location).await;
    assert!(
        page.body.contains("020-123 45 67")
            && page.body.contains("Mees")
            && page.body.contains("Gegevens gewijzigd")
    );
    let after = app.store.household(&all, before.id).await.unwrap();
    assert_eq!(
        after.parents[0].id, before.parents[0].id,
        "the parent keeps their identity"
    );
    assert_eq!(after.children.len(), 1);
}
on_both!(edit, a_worker_corrects_a_households_details);

async fn a_family_registered_twice_is_merged_into_one(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let mut ids = Vec::new();
    for (name, child) in [("Sanne", "Noah"), ("Sanne", "Emma")] {
        w.get("/households/new").await;
        let r = w
            .post(
                "/households/new",
                &[
                    ("kind", "single_parent"),
                    ("p0_first_name", name),
                    ("p0_last_name", "Dubbel"),
                    ("p0_phone", "06-22223333"),
                    ("p0_channel", "whatsapp"),
                    ("c0_first_name", child),
                    ("c0_month", "5"),
                    ("c0_year", "2020"),
                    ("source", "school"),
                    ("consent_data", "yes"),
                    ("consent_method", "verbal"),
                ],
            )
            .await;
        ids.push(id_from(&r.location));
    }
    let page = w.get(&format!("/households/{}", ids[0])).await;
    assert!(
        page.body.contains("Misschien dubbel")
            && page
                .body
                .contains(&format!("/households/{}/merge/{}", ids[0], ids[1])),
        "{}",
        page.body
    );
    let confirm = w
        .get(&format!("/households/{}/merge/{}", ids[0], ids[1]))
        .await;
    assert!(
        confirm.body.contains("Dit kun je niet ongedaan maken.")
            && confirm.body.contains("button--warning")
    );
    let r = w
        .post(&format!("/households/{}/merge/{}", ids[0], ids[1]), &[])
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a bare POST merges nothing"
    );
    let r = w
        .post(
            &format!("/households/{}/merge/{}", ids[0], ids[1]),
            &[("merge", "yes")],
        )
        .await;
    assert_eq!(r.location, format!("/households/{}", ids[0]));
    let page = w.get(&r.location).await;
    assert!(
        page.body.contains("De gezinnen zijn samengevoegd.")
            && page.body.contains("Noah")
            && page.body.contains("Emma")
    );
    assert!(!page.body.contains("Misschien dubbel"));
    assert_eq!(
        page.body.matches("Sanne Dubbel").count(),
        1,
        "the same parent is not added twice"
    );
    assert_eq!(
        w.get(&format!("/households/{}", ids[1])).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        w.get("/households?q=dubbel")
            .await
            .body
            .contains("1 gezin gevonden.")
    );
}
on_both!(merge, a_family_registered_twice_is_merged_into_one);

async fn the_same_parent_by_name_is_a_possible_duplicate(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let mut ids = Vec::new();
    for (first, last, phone) in [
        ("Zoë", "van den Berg", "06-31313131"),
        ("Zoe", "Van den Berg", "06-42424242"),
        ("Zoe", "Bergsma", "06-53535353"),
    ] {
        w.get("/households/new").await;
        let r = w
            .post(
                "/households/new",
                &[
                    ("kind", "single_parent"),
                    ("p0_first_name", first),
                    ("p0_last_name", last),
                    ("p0_phone", phone),
                    ("p0_channel", "whatsapp"),
                    ("source", "school"),
                    ("consent_data", "yes"),
                    ("consent_method", "verbal"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        ids.push(id_from(&r.location));
    }
    let page = w.get(&format!("/households/{}", ids[0])).await;
    assert!(
        page.body
            .contains(&format!("/households/{}/merge/{}", ids[0], ids[1])),
        "same name, other phone number, other spelling of the accent: {}",
        page.body
    );
    assert!(
        !page
            .body
            .contains(&format!("/households/{}/merge/{}", ids[0], ids[2])),
        "a first name alone is not a duplicate"
    );
}
on_both!(
    duplicate_by_name,
    the_same_parent_by_name_is_a_possible_duplicate
);

//! Organisation settings, neighbourhoods and accounts, as an administrator and a coordinator.

use reqwest::StatusCode;

use crate::helpers::{Login, TestApp};
use crate::on_both;

fn temporary_password(body: &str) -> String {
    let i = body
        .find("id=\"temporary-password\">")
        .unwrap_or_else(|| panic!("no password shown: {body}"));
    let rest = &body[i + 24..];
    rest[..rest.find('<').unwrap_or(0)].to_string()
}

async fn an_administrator_creates_an_account_that_chooses_its_own_password(app: TestApp) {
    let logins = app.demo().await;
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let form = admin.get("/admin/accounts/new").await;
    assert!(form.body.contains("Almere Poort") && form.body.contains("Almere Haven"));
    let org = app
        .store
        .organisations()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.name.contains("Almere"))
        .map(|o| o.id)
        .unwrap_or_default();
    let all = mtp_domain::Tenant {
        org_id: org,
        role: mtp_domain::Role::Admin,
        neighbourhoods: vec![],
    };
    let poort_id = app
        .store
        .neighbourhoods(&all)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|n| n.name == "Almere Poort")
        .map(|n| n.id.to_string())
        .unwrap_or_default();
    // Bad input first.
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", ""),
                ("email", "sanne@"),
                ("role", "baas"),
                ("neighbourhoods", "00000000-0000-0000-0000-000000000000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Vul een naam in.",
        "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
        "Kies een rol.",
        "Kies alleen wijken uit de lijst.",
    ] {
        assert!(r.body.contains(msg), "missing {msg:?}");
    }
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Sanne de Vries"),
                ("email", "sanne@almere.test"),
                ("role", "worker"),
                ("neighbourhoods", &poort_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pw = temporary_password(&r.body);
    // The same address twice is refused with a message at the field.
    let r = admin
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Sanne 2"),
                ("email", "SANNE@almere.test"),
                ("role", "worker"),
            ],
        )
        .await;
    assert!(r.body.contains("Er is al een account met dit e-mailadres."));

    let mut sanne = app.client();
    sanne.get("/login").await;
    let r = sanne
        .post(
            "/login",
            &[("email", "sanne@almere.test"), ("password", &pw)],
        )
        .await;
    assert_eq!(r.location, "/");
    assert_eq!(
        sanne.get("/").await.location,
        "/account/password",
        "first a password of her own"
    );
    assert!(
        sanne
            .get("/account/password")
            .await
            .body
            .contains("Iemand anders heeft je wachtwoord gekozen.")
    );
    let r = sanne
        .post(
            "/account/password",
            &[
                ("current_password", &pw),
                ("new_password", "mijn eigen wachtwoord"),
                ("confirm_password", "iets anders"),
            ],
        )
        .await;
    assert!(
        r.body
            .contains("Typ hetzelfde nieuwe wachtwoord twee keer.")
    );
    let r = sanne
        .post(
            "/account/password",
            &[
                ("current_password", &pw),
                ("new_password", "mijn eigen wachtwoord"),
                ("confirm_password", "mijn eigen wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.location, "/login");
    sanne
        .login(&Login {
            email: "sanne@almere.test".into(),
            password: "mijn eigen wachtwoord".into(),
        })
        .await;
    assert!(sanne.get("/").await.body.contains("Almere Poort"));

    // Disabling ends her sessions at once.
    let list = admin.get("/admin/accounts").await.body;
    let i = list.find(">Sanne de Vries<").expect("Sanne not listed");
    let id = &list[i - 37..i - 1];
    let r = admin
        .post(&format!("/admin/accounts/{id}/disable"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(sanne.get("/").await.location, "/login");
    let mut again = app.client();
    again.get("/login").await;
    let r = again
        .post(
            "/login",
            &[
                ("email", "sanne@almere.test"),
                ("password", "mijn eigen wachtwoord"),
            ],
        )
        .await;
    assert!(r.body.contains("Dit account is uitgezet."));
}
on_both!(
    create_account,
    an_administrator_creates_an_account_that_chooses_its_own_password
);

async fn a_coordinator_cannot_create_an_administrator_or_change_settings(app: TestApp) {
    let logins = app.demo().await;
    let mut c = app.client();
    c.login(&logins["coordinator"]).await;
    let form = c.get("/admin/accounts/new").await;
    assert!(
        !form.body.contains("value=\"admin\""),
        "the admin role is not offered"
    );
    let r = c
        .post(
            "/admin/accounts/new",
            &[
                ("display_name", "Stiekem"),
                ("email", "stiekem@almere.test"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kies een rol."));
    assert_eq!(
        c.get("/admin/organisation").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get("/admin/neighbourhoods/new").await.status,
        StatusCode::FORBIDDEN
    );
    // The administrator's own account is out of reach.
    let admin_id = app
        .store
        .account_by_email(&mtp_domain::Email::parse(&logins["admin"].email).unwrap())
        .await
        .ok()
        .flatten()
        .map(|a| a.id)
        .unwrap_or_default();
    assert_eq!(
        c.post(&format!("/admin/accounts/{admin_id}/reset-password"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
on_both!(
    coordinator_limits,
    a_coordinator_cannot_create_an_administrator_or_change_settings
);

async fn organisation_settings_and_neighbourhoods_validate_their_input(app: TestApp) {
    let logins = app.demo().await;
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    let r = a
        .post(
            "/admin/organisation",
            &[
                ("org_name", ""),
                ("holiday_region", "west"),
                ("two_factor", "soms"),
                ("retention_months", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Vul de naam van de organisatie in.",
        "Kies een van de mogelijkheden.",
        "Vul een aantal maanden in tussen 6 en 120.",
    ] {
        assert!(r.body.contains(msg), "missing {msg:?}");
    }
    let r = a
        .post(
            "/admin/organisation",
            &[
                ("org_name", "Welzijn Almere"),
                ("holiday_region", "midden"),
                ("two_factor", "optional"),
                ("retention_months", "36"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = a.get("/admin/organisation").await;
    assert!(
        page.body.contains("De wijzigingen zijn opgeslagen.") && page.body.contains("value=\"36\"")
    );

    let r = a
        .post(
            "/admin/neighbourhoods/new",
            &[("name", "Almere Poort"), ("cbs_code", "")],
        )
        .await;
    assert!(r.body.contains("Er is al een wijk met deze naam."));
    let r = a
        .post(
            "/admin/neighbourhoods/new",
            &[("name", &"x".repeat(101)), ("cbs_code", "BU1")],
        )
        .await;
    assert!(r.body.contains("Dit is te lang.") && r.body.contains("Vul een CBS-code in"));
    let r = a
        .post(
            "/admin/neighbourhoods/new",
            &[("name", "Almere Hout"), ("cbs_code", "WK003405")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = a.get("/admin/neighbourhoods").await;
    assert!(
        list.body.contains("Wijk Almere Hout is aangemaakt."),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("Wijk Almere Hout is aangemaakt.") && list.body.contains("WK003405")
    );
    let audit = a.get("/audit?action=neighbourhood.created").await;
    assert!(audit.body.contains("neighbourhood.created") && audit.body.contains("Bram Beheer"));
    let r = a.get("/audit?from=gisteren").await;
    assert!(r.body.contains("Vul een datum in zoals 2026-12-04."));
}
on_both!(
    settings_validation,
    organisation_settings_and_neighbourhoods_validate_their_input
);

/// Issue #14, finding 10: "run retention now" runs for the administrator's own organisation;
/// another organisation's retention keeps its own timer (and `mtp retention` runs for all).
async fn running_retention_now_stays_within_the_organisation(app: TestApp) {
    let logins = app.demo().await;
    let almere = app.org("Almere").await.org_id;
    let lelystad = app.org("Lelystad").await.org_id;
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    a.get("/admin/retention").await;
    let r = a.post("/admin/retention/run", &[]).await;
    assert_eq!(r.location, "/admin/retention", "{}", r.body);
    let page = a.get("/admin/retention").await;
    assert!(
        page.body
            .contains("Klaar. Gezinnen van wie we de gegevens verwijderden: 0."),
        "{}",
        page.body
    );
    let runs = |org| {
        let store = app.store.clone();
        async move { store.retention_runs(org, 10).await.unwrap_or_default() }
    };
    assert_eq!(runs(almere).await.len(), 1, "Almere's run is reported");
    assert!(
        runs(lelystad).await.is_empty(),
        "Lelystad's retention did not run: {:?}",
        runs(lelystad).await
    );
}
on_both!(
    retention_scope,
    running_retention_now_stays_within_the_organisation
);

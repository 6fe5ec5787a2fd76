//! Every route × every role, a user of another organisation, and nobody signed in.
//! The rules come from the gate's own table, so a new route is in this test automatically.

use mtp_domain::{Email, NewPassword, PersonName, PlaceName, Role, Tenant};
use mtp_store::NewAccount;
use mtp_web::gate::{Access, Rule, rules};
use reqwest::StatusCode;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in_as(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Allowed,
    Forbidden,
    ToLogin,
    ToPortalLogin,
    NotFound,
}

fn seen(status: StatusCode, location: &str, flash: bool) -> Seen {
    if status == StatusCode::FORBIDDEN {
        Seen::Forbidden
    } else if status == StatusCode::NOT_FOUND {
        Seen::NotFound
    } else if status == StatusCode::SEE_OTHER && location == "/login" && !flash {
        // The gate's redirect carries no notification; a handler's (signed out) does.
        Seen::ToLogin
    } else if status == StatusCode::SEE_OTHER && location == "/portal/login" && !flash {
        Seen::ToPortalLogin
    } else {
        Seen::Allowed
    }
}

/// Routes that end the session go last, so the rest of the walk stays signed in.
fn order(rules: &mut [Rule]) {
    rules.sort_by_key(|r| match r.path {
        "/account/sign-out-everywhere" => 1,
        "/logout" => 2,
        "/portal/logout" => 3,
        _ => 0,
    });
}

struct Targets {
    neighbourhood: String,
    account: String,
    household: String,
    other_household: String,
    import: String,
    activity: String,
    session: String,
    request: String,
    idea: String,
    follow_up: String,
    holiday: String,
    partner: String,
    partner_contact: String,
    referral: String,
    help_referral: String,
    quote: String,
    expense: String,
    receipt: String,
    portal_round: String,
    worker_round: String,
    wish: String,
    talent: String,
    /// A parent's idea the walk does not hide (the hide route comes first).
    idea_wish: String,
}

fn fill(path: &str, t: &Targets) -> String {
    let p = path
        .replace("{file}", "app.css")
        .replace("{lang}", "nl")
        .replace("{other}", &t.other_household)
        .replace("{purpose}", "photos")
        .replace("{role}", "worker");
    if p.starts_with("/portal/questionnaire/") {
        p.replace("{id}", &t.portal_round)
    } else if p.starts_with("/questionnaires/") {
        p.replace("{id}", &t.worker_round)
    } else if p.starts_with("/referrals/") {
        p.replace("{id}", &t.referral)
    } else if p.starts_with("/partners/") {
        p.replace("{id}", &t.partner)
            .replace("{contact}", &t.partner_contact)
    } else if p.starts_with("/help-referrals/") {
        p.replace("{id}", &t.help_referral)
    } else if p.starts_with("/budget/expenses/") {
        p.replace("{id}", &t.expense)
    } else if p.starts_with("/budget/receipts/") {
        p.replace("{id}", &t.receipt)
    } else if p.starts_with("/wishes/") {
        p.replace("{id}", &t.wish)
    } else if p.starts_with("/talent/") {
        p.replace("{id}", &t.talent)
    } else if p.starts_with("/quotes/") {
        p.replace("{id}", &t.quote)
    } else if p.starts_with("/admin/holidays/") {
        p.replace("{id}", &t.holiday)
    } else if p.starts_with("/admin/neighbourhoods/") || p.starts_with("/neighbourhoods/") {
        p.replace("{id}", &t.neighbourhood)
    } else if p.starts_with("/households/import/") {
        p.replace("{id}", &t.import)
    } else if p.starts_with("/requests/") {
        p.replace("{id}", &t.request)
    } else if p.starts_with("/ideas/{id}/activity") || p.starts_with("/ideas/{id}/theme") {
        p.replace("{id}", &t.idea_wish)
    } else if p.starts_with("/ideas/") || p.starts_with("/portal/ideas/") {
        p.replace("{id}", &t.idea)
    } else if p.starts_with("/portal/sessions/") {
        p.replace("{id}", &t.session)
    } else if p.starts_with("/activities/") {
        p.replace("{id}", &t.activity)
    } else if p.starts_with("/encourage/follow-ups/") {
        p.replace("{id}", &t.follow_up)
    } else if p.starts_with("/sessions/") {
        p.replace("{id}", &t.session)
    } else if p.starts_with("/households/") {
        p.replace("{id}", &t.household)
    } else {
        p.replace("{id}", &t.account)
    }
}

async fn request(c: &mut Client, r: &Rule, path: &str) -> Seen {
    let res = if r.method == axum::http::Method::POST {
        // As a browser would: the form comes from a page of the current session (a parent's
        // forms from the portal, where the parent's session is).
        let (home, fallback) = if path.starts_with("/portal") {
            ("/portal", "/portal/login")
        } else {
            ("/", "/login")
        };
        let page = c.get(home).await;
        if crate::helpers::csrf_in(&page.body).is_none() {
            c.get(fallback).await;
        }
        c.post(path, &[]).await
    } else {
        c.get(path).await
    };
    let flash = res
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("mtp_flash=") && !v.starts_with("mtp_flash=;"));
    seen(res.status, &res.location, flash)
}

fn expected(
    access: Access,
    role: Option<Role>,
    parent: bool,
    path_has_id: bool,
    other_org: bool,
) -> Seen {
    match (access, role) {
        (Access::Public, _) => Seen::Allowed,
        (Access::Parent | Access::ParentAnyLock, _) if parent => Seen::Allowed,
        (Access::Parent | Access::ParentAnyLock, _) => Seen::ToPortalLogin,
        (Access::Metrics, _) => Seen::Allowed,
        (Access::SecondFactor, _) => Seen::ToLogin,
        (_, None) => Seen::ToLogin,
        (Access::SignedIn, Some(_)) => Seen::Allowed,
        (Access::Roles(roles), Some(r)) if roles.contains(&r) => {
            if path_has_id && other_org {
                Seen::NotFound
            } else {
                Seen::Allowed
            }
        }
        (Access::Roles(_), Some(_)) => Seen::Forbidden,
    }
}

async fn every_route_allows_exactly_the_roles_in_its_rule(app: TestApp) {
    let logins = app.demo().await;
    let almere = app
        .store
        .organisations()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.name.contains("Almere"))
        .map(|o| o.id)
        .unwrap_or_default();
    let lelystad = app
        .store
        .organisations()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.name.contains("Lelystad"))
        .map(|o| o.id)
        .unwrap_or_default();
    let all = Tenant {
        org_id: almere,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let poort = app
        .store
        .neighbourhoods(&all)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|n| n.name == "Almere Poort")
        .map(|n| n.id)
        .unwrap_or_default();
    // A throw-away account in Almere Poort that the admin routes may change.
    let pw = NewPassword::parse("slachtoffer-van-de-test").unwrap();
    let target = app
        .store
        .create_account(
            &NewAccount {
                org_id: almere,
                email: Email::parse("doelwit@almere.test").unwrap(),
                display_name: PersonName::parse("Doelwit").unwrap(),
                role: Role::Host,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![poort],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    // An administrator of the other organisation: same role, other tenant.
    let _ = PlaceName::parse("x");
    app.store
        .create_account(
            &NewAccount {
                org_id: lelystad,
                email: Email::parse("beheer@lelystad.test").unwrap(),
                display_name: PersonName::parse("Andere Beheerder").unwrap(),
                role: Role::Admin,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    let (rows, _) = app
        .store
        .households(&all, &mtp_store::HouseholdFilter::default(), 2, 0)
        .await
        .unwrap();
    let (household, other_household) = (rows[0].id, rows[1].id);
    let import = app
        .store
        .create_import(
            &all,
            None,
            poort,
            "csv",
            &["Voornaam".to_string()],
            &[vec!["Test".to_string()]],
            None,
        )
        .await
        .unwrap();
    // The demo's coffee hour and its next session: the check-in a host may reach.
    let (coffee, session) = app.coffee_hour().await;
    // A parent of a family on the coffee hour's list, signed in through a link; a request
    // and an idea for the routes that name one.
    let expected_family = app
        .store
        .session_detail(&all, session)
        .await
        .unwrap()
        .lines
        .first()
        .map(|l| l.household_id)
        .expect("the demo coffee hour expects families");
    let token = app
        .store
        .create_portal_link(&all, None, expected_family, None)
        .await
        .unwrap();
    let scope = app.parent_scope(&all, expected_family).await;
    let idea = app
        .store
        .add_idea(
            &scope,
            mtp_domain::portal::IdeaKind::Outing,
            &mtp_domain::portal::IdeaTitle::parse("Naar het strand").unwrap(),
            None,
        )
        .await
        .unwrap();
    app.store
        .portal_request_erasure(
            &scope,
            mtp_web::audit::parent_event(
                &scope,
                mtp_domain::audit::Action::PortalErasureRequested,
                "",
            ),
        )
        .await
        .unwrap();
    let parent_request = app
        .store
        .parent_requests(&all, Some(expected_family))
        .await
        .unwrap()
        .first()
        .map(|r| r.id)
        .expect("the erasure request is open");
    // One of the demo's open follow-up tasks (done once, then done again: still allowed).
    let (tasks, _) = app.store.open_follow_ups(&all, 1).await.unwrap();
    let follow_up = tasks
        .first()
        .map(|f| f.id.to_string())
        .expect("the demo has an open follow-up task");
    // One of the demo's own school holidays (removed once, then again: still allowed).
    let holiday = app
        .store
        .school_holidays(&all)
        .await
        .unwrap()
        .first()
        .map(|h| h.id.to_string())
        .expect("the demo has own school holidays");
    // A demo partner in Almere Poort (the coordinator's and the worker's neighbourhood) and
    // its contact person.
    let partner = app
        .store
        .partners(&all, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Basisschool De Regenboog")
        .map(|p| p.id)
        .expect("the demo has the school as a partner");
    let partner_contact = app.store.partner(&all, partner).await.unwrap().contacts[0]
        .id
        .to_string();
    // A referral by the demo's partner account (the school) in Almere Poort.
    let by = crate::referrals::school_scope(&app, &logins).await;
    let referral = app
        .store
        .create_referral(
            &by,
            &crate::referrals::draft("Gatetest", "06-12121212", poort),
            crate::referrals::event(almere),
        )
        .await
        .unwrap();
    // The demo's overdue referral to help, of a Poort family.
    let (referrals, _) = app.store.help_referral_tasks(&all, 1).await.unwrap();
    let help_referral = referrals
        .first()
        .map(|r| r.id.to_string())
        .expect("the demo has an open referral to help");
    // The demo's usable quote (removed with a bare POST: never, the button's field is missing).
    let quote = app
        .store
        .usable_quotes(&all)
        .await
        .unwrap()
        .first()
        .map(|q| q.id.to_string())
        .expect("the demo has a usable quote");
    // An expense of Almere Poort with its receipt (issue #20): reversed by the first role
    // that may, refused kindly after that; the receipt read by every role that may.
    let expense = app
        .store
        .add_expense(
            &all,
            None,
            mtp_store::money::NewExpense {
                neighbourhood_id: poort,
                spent_on: chrono::Utc::now().date_naive(),
                line: mtp_domain::money::BudgetLine::Activities,
                amount: mtp_domain::money::Cents::euros(10),
                activity_id: None,
                session_id: None,
                supplier: "Gatetest".into(),
                note: String::new(),
                receipt: Some((
                    mtp_domain::money::ReceiptKind::Pdf,
                    b"%PDF-1.4 gate".to_vec(),
                )),
            },
            crate::referrals::event(almere),
        )
        .await
        .unwrap();
    let receipt = app
        .store
        .expenses(
            &all,
            poort,
            chrono::Datelike::year(&chrono::Utc::now().date_naive()),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == expense)
        .and_then(|e| e.receipt_id)
        .expect("the receipt is kept");
    // A questionnaire round the parent is answering, and one the family's worker goes through
    // with the parent (issue #19).
    let portal_round = app
        .store
        .portal_start_round(
            &scope,
            chrono::Utc::now().date_naive(),
            mtp_web::audit::parent_event(
                &scope,
                mtp_domain::audit::Action::QuestionnaireStarted,
                "",
            ),
        )
        .await
        .unwrap()
        .to_string();
    let worker_account = app
        .store
        .account_by_email(&Email::parse(&logins["worker"].email).unwrap())
        .await
        .unwrap()
        .expect("the demo worker");
    let worker_tenant = Tenant {
        org_id: almere,
        role: Role::Worker,
        neighbourhoods: worker_account.neighbourhoods.clone(),
    };
    let worker_round = app
        .store
        .start_round(
            &worker_tenant,
            worker_account.id,
            expected_family,
            mtp_domain::questionnaire::EnteredBy::WorkerWithParent,
            chrono::Utc::now().date_naive(),
            &[],
            crate::referrals::event(almere),
        )
        .await
        .unwrap()
        .to_string();
    // The demo's wish that waits and its bootcamp course, both in Almere Poort (issue #18).
    let wish = app
        .store
        .wishes(&all, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.title == "Kinderen en sociale media")
        .map(|w| w.id.to_string())
        .expect("the demo has a wish that waits");
    let talent = app
        .store
        .talents(&all, poort)
        .await
        .unwrap()
        .first()
        .map(|x| x.id.to_string())
        .expect("the demo has a bootcamp course");
    let idea_wish = app
        .store
        .wishes(&all, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.title == "Omgaan met geldzorgen")
        .map(|w| w.id.to_string())
        .expect("the demo has the parents' money idea");
    let targets = Targets {
        expense: expense.to_string(),
        receipt: receipt.to_string(),
        portal_round,
        worker_round,
        idea_wish,
        wish,
        talent,
        quote,
        help_referral,
        referral: referral.to_string(),
        partner: partner.to_string(),
        partner_contact,
        holiday,
        request: parent_request.to_string(),
        idea: idea.to_string(),
        follow_up,
        activity: coffee.to_string(),
        session: session.to_string(),
        import: import.to_string(),
        household: household.to_string(),
        other_household: other_household.to_string(),
        neighbourhood: poort.to_string(),
        account: target.to_string(),
    };

    let mut users: Vec<(&str, Option<Role>, bool, Option<Login>)> = vec![
        ("anonymous", None, false, None),
        ("parent", None, false, None),
    ];
    for (label, role) in [
        ("admin", Role::Admin),
        ("coordinator", Role::Coordinator),
        ("worker", Role::Worker),
        ("host", Role::Host),
        ("partner", Role::Partner),
        ("researcher", Role::Researcher),
        ("other-worker", Role::Worker),
    ] {
        let l = &logins[label];
        users.push((
            label,
            Some(role),
            label.starts_with("other"),
            Some(Login {
                email: l.email.clone(),
                password: l.password.clone(),
            }),
        ));
    }
    users.push((
        "other-admin",
        Some(Role::Admin),
        true,
        Some(Login {
            email: "beheer@lelystad.test".into(),
            password: pw.expose().into(),
        }),
    ));

    let mut table = rules();
    order(&mut table);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (label, role, other_org, login) in &users {
        let mut c = app.client();
        if let Some(l) = login {
            c.login(l).await;
        }
        let parent = *label == "parent";
        if parent {
            c.get(&format!("/portal/link/{token}")).await;
            let res = c.post(&format!("/portal/link/{token}"), &[]).await;
            assert_eq!(res.location, "/portal", "the parent signs in with the link");
        }
        for r in &table {
            if r.access == Access::Metrics {
                continue; // token, not role: tested in auth::health_and_errors
            }
            let path = fill(r.path, &targets);
            let got = request(&mut c, r, &path).await;
            let want = expected(r.access, *role, parent, r.path.contains("{id}"), *other_org);
            checked += 1;
            // A public route may still answer 404 for its own reasons (the set-up, once done).
            let public_404 = r.access == Access::Public && got == Seen::NotFound;
            // What menus and links ask the gate (`gate::allows`) is what it did to the request.
            if let (Some(role), false, false) = (*role, parent, *other_org)
                && r.access != Access::Public
            {
                let passed = !matches!(got, Seen::Forbidden | Seen::ToLogin | Seen::ToPortalLogin);
                if passed != mtp_web::gate::allows(role, &r.method, r.path) {
                    wrong.push(format!(
                        "{label}: {} {path}: gate::allows disagrees",
                        r.method
                    ));
                }
            }
            if got != want && !public_404 {
                wrong.push(format!(
                    "{label}: {} {path}: expected {want:?}, got {got:?}",
                    r.method
                ));
            }
        }
    }
    assert!(checked > 300, "only {checked} checks ran");
    assert!(
        wrong.is_empty(),
        "{} route checks failed:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Refusals of signed-in users are in the audit trail.
    let denied = app
        .store
        .audit_entries(
            almere,
            &mtp_store::AuditFilter {
                outcome: Some("denied".into()),
                ..Default::default()
            },
            // Every role is refused at most routes: enough for all of them.
            20_000,
        )
        .await
        .unwrap_or_default();
    assert!(
        denied.iter().any(|e| e.action == "access.denied"
            && e.actor_role == "worker"
            && e.detail == "GET /admin/accounts"),
        "{denied:?}"
    );
}
on_both!(
    role_by_route,
    every_route_allows_exactly_the_roles_in_its_rule
);

async fn a_tenant_never_sees_another_tenants_records(app: TestApp) {
    let logins = app.demo().await;
    let all_orgs = app.store.organisations().await.unwrap_or_default();
    let lelystad = all_orgs
        .iter()
        .find(|o| o.name.contains("Lelystad"))
        .map(|o| o.id)
        .unwrap_or_default();
    let almere = all_orgs
        .iter()
        .find(|o| o.name.contains("Almere"))
        .map(|o| o.id)
        .unwrap_or_default();
    let foreign_nb = app
        .store
        .neighbourhoods(&Tenant {
            org_id: lelystad,
            role: Role::Admin,
            neighbourhoods: vec![],
        })
        .await
        .unwrap_or_default();
    let foreign_accounts = app.store.accounts(lelystad).await.unwrap_or_default();
    let haven = app
        .store
        .neighbourhoods(&Tenant {
            org_id: almere,
            role: Role::Admin,
            neighbourhoods: vec![],
        })
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|n| n.name == "Almere Haven")
        .map(|n| n.id)
        .unwrap_or_default();

    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let r = admin
        .get(&format!("/admin/neighbourhoods/{}", foreign_nb[0].id))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("Atolwijk"));
    let r = admin
        .get(&format!("/admin/accounts/{}", foreign_accounts[0].id))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = admin
        .post(
            &format!("/admin/accounts/{}/disable", foreign_accounts[0].id),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        !app.store
            .account(lelystad, foreign_accounts[0].id)
            .await
            .map(|a| a.disabled)
            .unwrap_or(true)
    );
    let list = admin.get("/admin/accounts").await.body;
    assert!(
        !list.contains("lelystad"),
        "another organisation's accounts are not listed"
    );
    // Malformed ids are a 404, not a crash.
    assert_eq!(
        admin.get("/admin/accounts/niet-een-id").await.status,
        StatusCode::NOT_FOUND
    );

    // Within one organisation, a coordinator reaches only their own neighbourhoods.
    let mut coord = app.client();
    coord.login(&logins["coordinator"]).await;
    assert_eq!(
        coord
            .get(&format!("/admin/neighbourhoods/{haven}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = coord.get("/admin/neighbourhoods").await;
    assert!(r.body.contains("Almere Poort") && !r.body.contains("Almere Haven"));
}
on_both!(
    tenant_isolation,
    a_tenant_never_sees_another_tenants_records
);

/// A partner of another partner organisation sees none of the school's referrals, and a
/// partner account never reads the team's pages.
async fn a_partner_sees_only_its_own_referrals(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let by = crate::referrals::school_scope(&app, &logins).await;
    let id = app
        .store
        .create_referral(
            &by,
            &crate::referrals::draft("Ilse", "06-10101010", poort),
            crate::referrals::event(t.org_id),
        )
        .await
        .unwrap();
    let health = app
        .store
        .partners(&t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.kind == mtp_domain::partner::PartnerKind::YouthHealthCare)
        .map(|p| p.id)
        .expect("the demo has youth health care");
    let pw = NewPassword::parse("consultatiebureau-wachtwoord").unwrap();
    app.store
        .create_account(
            &mtp_store::NewAccount {
                org_id: t.org_id,
                email: Email::parse("cb@almere.test").unwrap(),
                display_name: PersonName::parse("Carolien").unwrap(),
                role: Role::Partner,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![poort],
                partner_org_id: Some(health),
            },
            None,
        )
        .await
        .unwrap();
    let mut other = signed_in_as(
        &app,
        &Login {
            email: "cb@almere.test".into(),
            password: pw.expose().into(),
        },
    )
    .await;
    let list = other.get("/referrals").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Ilse"));
    assert!(list.body.contains("Jullie hebben nog niemand verwezen."));
    for path in [format!("/referrals/{id}"), "/referrals/inbox".to_string()] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        other
            .post(&format!("/referrals/{id}/link"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other_scope = mtp_store::referrals::PartnerScope {
        partner_id: health,
        ..by
    };
    assert!(
        app.store
            .partner_referrals(&other_scope)
            .await
            .unwrap()
            .iter()
            .all(|r| r.first_name.as_deref() != Some("Ilse"))
    );
    // The school still sees its own.
    let mut school = signed_in_as(&app, &logins["partner"]).await;
    assert!(school.get("/referrals").await.body.contains("Ilse"));
}
on_both!(
    referral_cross_partner,
    a_partner_sees_only_its_own_referrals
);

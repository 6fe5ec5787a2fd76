//! Inbound referrals (issue #16, docs/guide/referrals.md): a partner account refers a parent
//! and every bad field says what is wrong; the parent confirms (or declines) through a
//! one-time link; until then the team sees the first name only; a confirmed referral becomes a
//! household or joins one; an unconfirmed one never does and expires after 30 days, erased;
//! the partner sees only the minimal status of its own referrals.

use chrono::{Duration, Utc};
use mtp_domain::referral::{ReferralDraft, ReferralForm, ReferralState};
use mtp_domain::{Email, Tenant};
use mtp_store::AuditFilter;
use mtp_store::referrals::{ParentLink, PartnerScope};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, TestApp};
use crate::on_both;

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

/// The message in a field's own error paragraph.
fn error_at(body: &str, field: &str) -> String {
    let at = body
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("no error at {field}"));
    let end = at + body[at..].find("</p>").unwrap_or(0);
    body[at..end].to_string()
}

/// The demo's partner account (the school) as the store's scope.
pub async fn school_scope(
    app: &TestApp,
    logins: &std::collections::HashMap<String, Login>,
) -> PartnerScope {
    let account = app
        .store
        .account_by_email(&Email::parse(&logins["partner"].email).unwrap())
        .await
        .unwrap()
        .unwrap();
    PartnerScope {
        org_id: account.org_id,
        partner_id: account
            .partner_org_id
            .expect("the demo partner is the school's"),
        account_id: account.id,
    }
}

pub fn draft(first_name: &str, reach: &str, nb: Uuid) -> ReferralDraft {
    let nb = nb.to_string();
    ReferralDraft::parse(&ReferralForm {
        first_name,
        reach,
        need: "Andere moeders leren kennen",
        neighbourhood: &nb,
        agreed: true,
    })
    .unwrap()
}

pub fn event(org_id: Uuid) -> mtp_store::NewAuditEvent {
    mtp_store::NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "partner".into(),
        action: mtp_domain::audit::Action::ReferralCreated,
        object_type: "referral".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: mtp_domain::audit::Outcome::Allowed,
        detail: String::new(),
    }
}

/// A worker of Almere Haven only.
async fn haven_worker(app: &TestApp, t: &Tenant, haven: Uuid) -> Login {
    let pw = mtp_domain::NewPassword::parse("wijkwerker-van-haven").unwrap();
    app.store
        .create_account(
            &mtp_store::NewAccount {
                org_id: t.org_id,
                email: Email::parse("haven@almere.test").unwrap(),
                display_name: mtp_domain::PersonName::parse("Haven Werker").unwrap(),
                role: mtp_domain::Role::Worker,
                password: pw.clone(),
                must_change_password: false,
                neighbourhoods: vec![haven],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    Login {
        email: "haven@almere.test".into(),
        password: pw.expose().into(),
    }
}

/// The audit entries of one action about one referral.
async fn audit_of(app: &TestApp, t: &Tenant, action: &str, id: Uuid) -> Vec<mtp_store::AuditEntry> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                object_id: Some(id),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap()
}

/// The referral's id from the team's list, by first name.
async fn referral_id(app: &TestApp, t: &Tenant, first_name: &str) -> Uuid {
    app.store
        .team_referrals(t)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.first_name == first_name)
        .map(|r| r.id)
        .unwrap_or_else(|| panic!("no open referral of {first_name}"))
}

/// The parent's link on the page the worker got when making it.
fn token_in(body: &str) -> String {
    let at = body.find("/referral/").expect("a link on the page") + "/referral/".len();
    body[at..at + 64].to_string()
}

/// The partner's form for Sanaa, to this neighbourhood, ticked or not.
async fn refer(partner: &mut Client, nb: Uuid, agreed: bool) -> crate::helpers::Res {
    let nb = nb.to_string();
    let mut fields = vec![
        ("first_name", "Sanaa"),
        ("reach", "06-12345678"),
        ("need", "Andere moeders leren kennen"),
        ("neighbourhood_id", nb.as_str()),
    ];
    if agreed {
        fields.push(("agreed", "yes"));
    }
    partner.post("/referrals/new", &fields).await
}

async fn a_partner_refers_a_parent_and_bad_fields_are_named(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let mut partner = signed_in(&app, &logins["partner"]).await;

    // The start page links the form and the list.
    let home = partner.get("/").await;
    assert!(home.body.contains("href=\"/referrals/new\""));
    assert!(home.body.contains("href=\"/referrals\""));
    // The school works in Poort only: that is the one neighbourhood, chosen already.
    let form = partner.get("/referrals/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Almere Poort") && !form.body.contains("Almere Haven"));
    assert!(form.body.contains(&format!("value=\"{poort}\" checked")));

    let r = partner
        .post(
            "/referrals/new",
            &[
                ("first_name", " "),
                ("reach", "bel maar"),
                ("need", &"x".repeat(301)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, msg) in [
        ("first_name", "Vul een voornaam in."),
        ("reach", "Dit is geen goed telefoonnummer of e-mailadres."),
        ("need", "Dit is te lang. Gebruik hoogstens 300 tekens."),
        ("neighbourhood_id", "Kies de wijk van de ouder."),
        (
            "agreed",
            "Verwijs een ouder alleen als de ouder het goed vindt.",
        ),
    ] {
        assert!(error_at(&r.body, field).contains(msg), "{field}: {msg}");
    }
    // Without the parent's agreement, nothing is stored.
    let r = refer(&mut partner, poort, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "agreed").contains("Zet dan een vinkje"));
    // A neighbourhood the partner does not work in is refused at the field.
    let r = refer(&mut partner, haven, true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_at(&r.body, "neighbourhood_id").contains("Kies een wijk uit de lijst."));
    let before = app.store.team_referrals(&t).await.unwrap().len();

    let r = refer(&mut partner, poort, true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/referrals");
    assert_eq!(
        app.store.team_referrals(&t).await.unwrap().len(),
        before + 1
    );
    let list = partner.get("/referrals").await;
    assert!(list.body.contains("De verwijzing van Sanaa is verstuurd."));
    let at = list.body.find("Sanaa</h2>").expect("Sanaa on the list");
    assert!(list.body[at..].contains("Ontvangen"));
    // The trail says who referred, and nothing about the parent.
    let id = referral_id(&app, &t, "Sanaa").await;
    let trail = audit_of(&app, &t, "referral.created", id).await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor_role, "partner");
    assert!(!trail[0].detail.contains("Sanaa") && !trail[0].detail.contains("0612345678"));
}
on_both!(
    partner_refers,
    a_partner_refers_a_parent_and_bad_fields_are_named
);

async fn the_parent_confirms_and_the_worker_makes_a_household(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let by = school_scope(&app, &logins).await;
    app.store
        .create_referral(
            &by,
            &draft("Yasmina", "06-11223344", poort),
            event(t.org_id),
        )
        .await
        .unwrap();
    let id = referral_id(&app, &t, "Yasmina").await;

    // Until the parent confirmed, the team sees the first name only.
    let mut worker = signed_in(&app, &logins["worker"]).await;
    let inbox = worker.get("/referrals/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK);
    let at = inbox.body.find("Yasmina").expect("on the team's list");
    assert!(inbox.body[at..].contains("Verwijzing wacht op bevestiging van de ouder"));
    let page = worker.get(&format!("/referrals/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Basisschool De Regenboog"));
    assert!(!page.body.contains("11 22 33 44") && !page.body.contains("11223344"));
    assert!(!page.body.contains("Andere moeders leren kennen"));
    // An unconfirmed referral never becomes a household.
    let r = worker
        .post(
            &format!("/referrals/{id}/household"),
            &[("kind", "single_parent")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, format!("/referrals/{id}"));
    assert_eq!(
        app.store.team_referral(&t, id).await.unwrap().state,
        ReferralState::Waiting
    );
    // A worker of the other neighbourhood does not reach it.
    let haven_nb = app.neighbourhood(&t, "Almere Haven").await;
    let mut haven = signed_in(&app, &haven_worker(&app, &t, haven_nb).await).await;
    assert_eq!(
        haven.get(&format!("/referrals/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!haven.get("/referrals/inbox").await.body.contains("Yasmina"));

    // The worker makes the link: WhatsApp and text-message buttons, and the link to copy.
    let made = worker.post(&format!("/referrals/{id}/link"), &[]).await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.body.contains("https://wa.me/31611223344"));
    assert!(made.body.contains("sms:+31611223344"));
    let token = token_in(&made.body);
    let trail = audit_of(&app, &t, "referral.link-made", id).await;
    assert_eq!(trail.len(), 1);
    assert!(!trail[0].detail.contains(&token));

    // The parent opens it on their own phone: no sign-in; opening alone answers nothing.
    let mut parent = app.client();
    let page = parent.get(&format!("/referral/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hallo Yasmina,"));
    assert!(page.body.contains("Basisschool De Regenboog vertelde ons"));
    assert_eq!(
        app.store.team_referral(&t, id).await.unwrap().state,
        ReferralState::Waiting
    );
    let r = parent
        .post(&format!("/referral/{token}"), &[("answer", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Iemand van ons team neemt snel contact met je op.")
    );
    // Once only.
    let again = parent
        .post(&format!("/referral/{token}"), &[("answer", "no")])
        .await;
    assert!(again.body.contains("Je hebt al geantwoord."));
    let after = app.store.team_referral(&t, id).await.unwrap();
    assert_eq!(after.state, ReferralState::Confirmed);

    // Now the worker sees how to reach the parent and what they look for.
    let page = worker.get(&format!("/referrals/{id}")).await;
    assert!(page.body.contains("06-11 22 33 44"), "{}", page.body);
    assert!(page.body.contains("Andere moeders leren kennen"));
    let r = worker
        .post(
            &format!("/referrals/{id}/household"),
            &[("kind", "single_parent")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let household: Uuid = r
        .location
        .trim_start_matches("/households/")
        .parse()
        .unwrap_or_else(|_| panic!("to the household: {}", r.location));
    let h = app.store.household(&t, household).await.unwrap();
    assert_eq!(h.status, mtp_domain::HouseholdStatus::Contacted);
    assert_eq!(h.neighbourhood_id, poort);
    assert_eq!(h.source, mtp_domain::Source::School);
    assert_eq!(
        h.source_partner_org.as_ref().map(|(_, n)| n.as_str()),
        Some("Basisschool De Regenboog")
    );
    assert_eq!(h.parents[0].first_name, "Yasmina");
    assert_eq!(
        h.parents[0].phone.as_ref().map(|p| p.e164()),
        Some("+31611223344")
    );
    assert_eq!(h.interests, "Andere moeders leren kennen");
    assert!(
        h.consents
            .iter()
            .any(|c| c.given && c.method == mtp_domain::ConsentMethod::Portal)
    );
    // The referral keeps only the link to the household; a second press makes no second one.
    let done = app.store.team_referral(&t, id).await.unwrap();
    assert_eq!(done.state, ReferralState::Household);
    assert_eq!(done.household_id, Some(household));
    assert_eq!(done.first_name, "");
    let r = worker
        .post(
            &format!("/referrals/{id}/household"),
            &[("kind", "single_parent")],
        )
        .await;
    assert_eq!(r.location, format!("/referrals/{id}"));

    // The school sees "contact made", and nothing of the family.
    let mut partner = signed_in(&app, &logins["partner"]).await;
    let list = partner.get("/referrals").await;
    assert!(list.body.contains("Contact gelegd"));
    assert!(!list.body.contains("Yasmina") && !list.body.contains(&household.to_string()));
}
on_both!(
    parent_confirms,
    the_parent_confirms_and_the_worker_makes_a_household
);

async fn a_referral_joins_a_household_the_team_knows(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let by = school_scope(&app, &logins).await;
    // A family of Poort the team knows, with a phone number.
    let (rows, _) = app
        .store
        .households(
            &t,
            &mtp_store::HouseholdFilter {
                neighbourhood_id: Some(poort),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
    let mut known = None;
    for row in rows {
        let h = app.store.household(&t, row.id).await.unwrap();
        if let Some(phone) = h.parents[0].phone.clone() {
            known = Some((h, phone));
            break;
        }
    }
    let (known, phone) = known.expect("a Poort family with a phone");
    let first = known.parents[0].first_name.clone();
    app.store
        .create_referral(
            &by,
            &draft(&first, &phone.display(), poort),
            event(t.org_id),
        )
        .await
        .unwrap();
    let id = referral_id(&app, &t, &first).await;
    let link = app
        .store
        .make_referral_link(&t, id, event(t.org_id))
        .await
        .unwrap();
    assert_eq!(
        app.store
            .answer_referral_at(&link.token, true, Utc::now())
            .await
            .unwrap(),
        Ok(())
    );
    let mut worker = signed_in(&app, &logins["worker"]).await;
    let page = worker.get(&format!("/referrals/{id}")).await;
    assert!(
        page.body.contains(&format!("value=\"{}\"", known.id)),
        "the known family is offered"
    );
    // A household of another neighbourhood is refused.
    let (other, _) = app
        .store
        .households(
            &t,
            &mtp_store::HouseholdFilter {
                neighbourhood_id: Some(haven),
                ..Default::default()
            },
            1,
            0,
        )
        .await
        .unwrap();
    let r = worker
        .post(
            &format!("/referrals/{id}/merge"),
            &[("household_id", &other[0].id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "out of the worker's reach");
    let r = worker
        .post(
            &format!("/referrals/{id}/merge"),
            &[("household_id", &known.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, format!("/households/{}", known.id));
    let h = app.store.household(&t, known.id).await.unwrap();
    assert!(h.events.iter().any(|e| e.kind == "referral_merged"));
    assert_eq!(
        app.store.team_referral(&t, id).await.unwrap().household_id,
        Some(known.id)
    );
}
on_both!(referral_merges, a_referral_joins_a_household_the_team_knows);

async fn unconfirmed_referrals_expire_and_declined_ones_are_erased(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let by = school_scope(&app, &logins).await;
    let now = Utc::now();
    let old = app
        .store
        .create_referral_at(
            &by,
            &draft("Oud", "oud@example.nl", poort),
            event(t.org_id),
            now - Duration::days(31),
        )
        .await
        .unwrap();
    let recent = app
        .store
        .create_referral_at(
            &by,
            &draft("Recent", "06-99887766", poort),
            event(t.org_id),
            now - Duration::days(29),
        )
        .await
        .unwrap();
    let link = app
        .store
        .make_referral_link_at(&t, old, event(t.org_id), now - Duration::days(30))
        .await
        .unwrap();
    // The link of a referral past its 30 days takes no answer, even before the sweep.
    assert_eq!(
        app.store
            .answer_referral_at(&link.token, true, now)
            .await
            .unwrap(),
        Err(ParentLink::Expired)
    );
    // The demo's own waiting referrals are days old: only this one is due.
    assert_eq!(app.store.expire_referrals_at(now).await.unwrap(), 1);
    // A second sweep finds nothing (several servers run it).
    assert_eq!(app.store.expire_referrals_at(now).await.unwrap(), 0);
    let gone = app.store.team_referral(&t, old).await.unwrap();
    assert_eq!(gone.state, ReferralState::Expired);
    assert_eq!(gone.first_name, "");
    assert!(gone.confirmed.is_none());
    assert_eq!(
        app.store.referral_link_at(&link.token, now).await.unwrap(),
        ParentLink::Expired
    );
    assert_eq!(
        app.store.team_referral(&t, recent).await.unwrap().state,
        ReferralState::Waiting
    );
    // It never becomes a household, and its trail says the system expired it.
    assert!(
        app.store
            .referral_to_household(
                &t,
                None,
                old,
                mtp_domain::HouseholdKind::SingleParent,
                event(t.org_id)
            )
            .await
            .is_err()
    );
    let trail = audit_of(&app, &t, "referral.expired", old).await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor_role, "system");
    // The recent one expires on its own day, judged by the clock it is given.
    assert_eq!(
        app.store
            .expire_referrals_at(now + Duration::days(2))
            .await
            .unwrap(),
        1
    );

    // A parent who says no is erased at once.
    let declined = app
        .store
        .create_referral(&by, &draft("Nee", "06-55555555", poort), event(t.org_id))
        .await
        .unwrap();
    let link = app
        .store
        .make_referral_link(&t, declined, event(t.org_id))
        .await
        .unwrap();
    let mut parent = app.client();
    parent.get(&format!("/referral/{}", link.token)).await;
    let r = parent
        .post(&format!("/referral/{}", link.token), &[("answer", "no")])
        .await;
    assert!(r.body.contains("We hebben je naam en nummer verwijderd."));
    let d = app.store.team_referral(&t, declined).await.unwrap();
    assert_eq!(d.state, ReferralState::Declined);
    assert_eq!(d.first_name, "");
    // A link nobody made is answered plainly.
    let unknown = parent.get(&format!("/referral/{}", "ab".repeat(32))).await;
    assert!(unknown.body.contains("Deze link werkt niet."));

    // The school sees "did not join" for both, and no names.
    let mut partner = signed_in(&app, &logins["partner"]).await;
    let list = partner.get("/referrals").await.body;
    assert!(list.matches("Niet gekomen").count() >= 3, "{list}");
    assert!(!list.contains("Oud") && !list.contains("Nee<"));
}
on_both!(
    referral_expiry,
    unconfirmed_referrals_expire_and_declined_ones_are_erased
);

async fn the_link_goes_by_email_through_the_queue(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let by = school_scope(&app, &logins).await;
    let id = app
        .store
        .create_referral(
            &by,
            &draft("Lotte", "lotte@example.nl", poort),
            event(t.org_id),
        )
        .await
        .unwrap();
    let mut worker = signed_in(&app, &logins["worker"]).await;
    let page = worker.get(&format!("/referrals/{id}")).await;
    assert!(page.body.contains("Link per e-mail sturen"));
    assert!(!page.body.contains("lotte@example.nl"));
    let r = worker
        .post(&format!("/referrals/{id}/link"), &[("channel", "email")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, format!("/referrals/{id}"));
    let now = Utc::now();
    let jobs = app
        .store
        .mail_jobs(&t, now - Duration::hours(1), now + Duration::hours(1))
        .await
        .unwrap();
    let job = jobs
        .iter()
        .find(|j| j.kind == mtp_store::jobs::JobKind::ReferralMail)
        .expect("the link is queued");
    assert_eq!(job.neighbourhood_id, Some(poort));
    assert_eq!(job.household_id, None);
    // The queue page names it without the address.
    let queue = worker.get("/reminders").await;
    assert!(queue.body.contains("Link voor een verwezen ouder"));
    assert!(!queue.body.contains("lotte@example.nl"));
}
on_both!(referral_mail, the_link_goes_by_email_through_the_queue);

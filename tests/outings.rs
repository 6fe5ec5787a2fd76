//! Outings and holiday activities (issue #18, docs/guide/outings.md): an outing planned with
//! parents of the neighbourhood (linked households, only from the worker's reach), its budget
//! and the cost per family, transport, the checklist, the costs booked and who came; the
//! organisation's holiday list that the activities page proposes from.

use chrono::{Datelike, Duration};
use mtp_domain::Tenant;
use mtp_domain::outing::{Budget, Group, cost_per_family};
use mtp_store::{AuditFilter, HouseholdFilter};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Res, TestApp};
use crate::on_both;

async fn activity(app: &TestApp, t: &Tenant, name: &str) -> Uuid {
    app.store
        .activities(t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == name)
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("the demo has {name}"))
}

/// A household of a neighbourhood that is still active.
/// Book a cost on an outing through the form on its page, as staff do.
pub(crate) async fn book_cost(
    c: &mut Client,
    outing: Uuid,
    description: &str,
    amount: &str,
    on: &str,
) -> Res {
    c.get(&format!("/activities/{outing}")).await;
    c.post(
        &format!("/activities/{outing}/costs"),
        &[
            ("cost_description", description),
            ("cost_amount", amount),
            ("cost_date", on),
        ],
    )
    .await
}

async fn household_in(app: &TestApp, t: &Tenant, nb: &str) -> Uuid {
    let nb = app.neighbourhood(t, nb).await;
    let (rows, _) = app
        .store
        .households(
            t,
            &HouseholdFilter {
                neighbourhood_id: Some(nb),
                ..Default::default()
            },
            100,
            0,
        )
        .await
        .unwrap();
    rows.into_iter()
        .find(|h| h.status == mtp_domain::HouseholdStatus::Active)
        .map(|h| h.id)
        .expect("an active household")
}

async fn audited(app: &TestApp, t: &Tenant, action: &str) -> usize {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            1000,
        )
        .await
        .unwrap()
        .len()
}

async fn a_worker_plans_an_outing_with_the_parents(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let farm = activity(&app, &t, "Uitje naar de kinderboerderij").await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get(&format!("/activities/{farm}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Ouders die meeorganiseren"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Kinderboerderij Almere"));
    assert!(page.body.contains("Wat kost het per gezin?"));
    let saved_before = audited(&app, &t, "outing.saved").await;

    // Bad input: each field says what to fix, in Dutch.
    let r = w
        .post(
            &format!("/activities/{farm}/outing"),
            &[
                ("destination", ""),
                ("ticket", "twee euro"),
                ("transport", "-5"),
                ("subsidy", ""),
                ("affordable", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Vul in waar het uitje heen gaat."));
    assert!(r.body.contains("Vul een bedrag in, zoals 0 of 2,50."));
    assert!(
        r.body.contains("value=\"twee euro\""),
        "the typed value comes back"
    );
    assert_eq!(audited(&app, &t, "outing.saved").await, saved_before);

    // The budget in cents, and the cost per family it leads to.
    let r = w
        .post(
            &format!("/activities/{farm}/outing"),
            &[
                ("destination", "Dierenpark Amersfoort"),
                ("meeting_point", "Station Poort"),
                ("public_transport", "Trein van 9.12 uur"),
                ("ticket", "7,50"),
                ("transport", "120"),
                ("subsidy", "150"),
                ("affordable", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let view = app.store.outing(&t, farm, None).await.unwrap();
    let draft = view.draft.expect("saved");
    assert_eq!(
        draft.budget,
        Budget {
            ticket_cents: 750,
            transport_cents: 12_000,
            subsidy_cents: 15_000,
            affordable_cents: 1_000,
        }
    );
    assert_eq!(audited(&app, &t, "outing.saved").await, saved_before + 1);
    // The families expected on the day and their people, as the page counts them.
    let session = app.store.first_session(&t, farm).await.unwrap().unwrap();
    let detail = app.store.session_detail(&t, session).await.unwrap();
    let expected: Vec<_> = detail.lines.iter().filter(|l| l.expected()).collect();
    let group = Group {
        families: u32::try_from(expected.len()).unwrap(),
        people: expected
            .iter()
            .map(|l| u32::try_from(l.parents.len().max(1) + l.children.len()).unwrap())
            .sum(),
    };
    let page = w.get(&format!("/activities/{farm}")).await;
    assert!(page.body.contains("Dierenpark Amersfoort"));
    if let Some(cost) = cost_per_family(&draft.budget, group) {
        let euros = format!(
            "€ {},{:02}",
            cost.per_family_cents / 100,
            cost.per_family_cents % 100
        );
        assert!(
            page.body
                .contains(&format!("<dt>Per gezin</dt><dd>{euros}</dd>")),
            "{euros} per family for {group:?}"
        );
        let verdict = if cost.fits {
            "Dit past bij wat de gezinnen kunnen betalen."
        } else {
            "Dit is meer dan de gezinnen kunnen betalen."
        };
        assert!(page.body.contains(verdict));
    }

    // Co-organisers: linked households of the neighbourhood, never one out of reach.
    let haven = household_in(&app, &t, "Almere Haven").await;
    let r = w
        .post(
            &format!("/activities/{farm}/organisers"),
            &[("organiser", &haven.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Kies een gezin uit de wijk van deze activiteit.")
    );
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let r = admin
        .post(
            &format!("/activities/{farm}/organisers"),
            &[("organiser", &haven.to_string())],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a Haven family cannot organise a Poort outing, not even for an administrator"
    );
    let before = app.store.outing(&t, farm, None).await.unwrap().organisers;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let ids: Vec<Uuid> = before.iter().map(|(h, _)| *h).collect();
    let candidate = app
        .store
        .neighbourhood_households(&t, poort, &ids, 1)
        .await
        .unwrap()
        .remove(0);
    let r = w
        .post(
            &format!("/activities/{farm}/organisers"),
            &[("organiser", &candidate.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = app.store.outing(&t, farm, None).await.unwrap().organisers;
    assert_eq!(after.len(), before.len() + 1);
    let page = w.get(&format!("/activities/{farm}")).await;
    assert!(page.body.contains(&format!("/households/{}", candidate.id)));
    assert!(audited(&app, &t, "outing.organiser-added").await >= 1);

    // Transport: a driver with too many seats is refused at the field.
    let r = w
        .post(
            &format!("/activities/{farm}/rides"),
            &[
                ("ride_kind", "driver"),
                ("ride_household", ""),
                ("driver_name", "Henk"),
                ("seats", "12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Vul een aantal plekken in van 1 tot en met 8.")
    );
    let r = w
        .post(
            &format!("/activities/{farm}/rides"),
            &[
                ("ride_kind", "driver"),
                ("ride_household", ""),
                ("driver_name", "Henk"),
                ("seats", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.get(&format!("/activities/{farm}")).await;
    assert!(page.body.contains("Henk (4 plekken)"));

    // A cost booked in cents.
    let r = book_cost(&mut w, farm, "Treinkaartjes", "veel", "2026-12-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = book_cost(&mut w, farm, "Treinkaartjes", "42,50", "2026-12-01").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let view = app.store.outing(&t, farm, None).await.unwrap();
    assert_eq!(view.booked_cents(), 4_250);
    let page = w.get(&format!("/activities/{farm}")).await;
    assert!(page.body.contains("<td>Treinkaartjes</td>"));
    assert!(page.body.contains("€ 42,50"));

    // The checklist: tick a line.
    let first = view
        .checks
        .iter()
        .find(|c| !c.done)
        .expect("the standard checklist has lines to do");
    let r = w
        .post(
            &format!("/activities/{farm}/checks/set"),
            &[("check", &first.id.to_string()), ("done", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let view = app.store.outing(&t, farm, None).await.unwrap();
    assert!(view.checks.iter().any(|c| c.id == first.id && c.done));

    // Another organisation's worker finds nothing.
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let r = other
        .post(
            &format!("/activities/{farm}/outing"),
            &[("destination", "Ergens"), ("affordable", "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
on_both!(
    outing_planned_with_parents,
    a_worker_plans_an_outing_with_the_parents
);

async fn the_past_outing_shows_who_came_and_what_it_cost(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let beach = activity(&app, &t, "Uitje naar het strand").await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get(&format!("/activities/{beach}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("6 gezinnen waren er bij:"),
        "{}",
        page.body
    );
    // € 34,50 + € 40,00 + € 62,75.
    assert!(
        page.body
            .contains("<th scope=\"row\" colspan=\"2\">Totaal</th><td>€ 137,25</td>")
    );
    assert!(page.body.contains("Henk (vrijwilliger) (4 plekken)"));
    let view = app.store.outing(&t, beach, None).await.unwrap();
    assert_eq!(view.organisers.len(), 2);
    assert_eq!(view.booked_cents(), 13_725);
    assert!(view.checks.iter().all(|c| c.done));
    // Looking at the outing (names of families) is on record.
    assert!(audited(&app, &t, "outing.viewed").await >= 1);
    // A host sees no activity page at all.
    let mut host = app.client();
    host.login(&logins["host"]).await;
    let r = host.get(&format!("/activities/{beach}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The parents who help organise are linked families on every kind of activity, not
    // free text: Sanne's and Naima's on the coffee hour, Fatima's on the farm outing.
    let named = |view: mtp_store::outings::OutingView, name: &str| {
        view.organisers.iter().any(|(_, n)| n.contains(name))
    };
    let coffee = activity(&app, &t, "Koffie-uurtje Poort").await;
    let farm = activity(&app, &t, "Uitje naar de kinderboerderij").await;
    for (id, name) in [(coffee, "Sanne"), (coffee, "Naima"), (farm, "Fatima")] {
        let view = app.store.outing(&t, id, None).await.unwrap();
        assert!(named(view, name), "{name} organises");
    }
    let page = w.get(&format!("/activities/{coffee}")).await;
    assert!(
        page.body.contains("Ouders die meeorganiseren"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("id=\"outing-title\""),
        "no outing plan on a coffee hour"
    );
    assert!(!page.body.contains("name=\"co_organisers\""));
}
on_both!(past_outing, the_past_outing_shows_who_came_and_what_it_cost);

/// The day of an outing (its first session), in Amsterdam: its own budget is that year's.
async fn outing_day(app: &TestApp, t: &Tenant, outing: Uuid) -> chrono::NaiveDate {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    match app.store.first_session(t, outing).await.unwrap() {
        Some(s) => app
            .store
            .session_detail(t, s)
            .await
            .unwrap()
            .s
            .starts_at
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive(),
        None => today,
    }
}

/// The part of an activity page with its own budget; empty when the page has none.
fn own_budget_part(body: &str) -> String {
    body.split("id=\"own-budget\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default()
        .to_string()
}

/// An outing's and a workshop's own page show their own budget, as `/budget` counts it, to the
/// roles that may open `/budget`; a worker who books the costs sees the costs, not the budget.
async fn the_outing_page_shows_its_own_budget_to_who_sees_the_budget(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let beach = activity(&app, &t, "Uitje naar het strand").await;
    let cooking = activity(&app, &t, "Kookworkshop (1 keer per maand)").await;
    let farm = activity(&app, &t, "Uitje naar de kinderboerderij").await;
    let beach_day = outing_day(&app, &t, beach).await;
    let year = beach_day.year();
    let mut c = app.client();
    c.login(&logins["coordinator"]).await;

    // The demo's beach outing: € 150 of its own, € 137,25 booked on it, € 12,75 left.
    let page = c.get(&format!("/activities/{beach}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let own = own_budget_part(&page.body);
    assert!(own.contains(&format!("Eigen budget {year}</h2>")), "{own}");
    assert!(
        own.contains("<dt>Eigen budget</dt><dd>€ 150,00</dd>"),
        "{own}"
    );
    assert!(
        own.contains("<dt>Uitgegeven</dt><dd>€ 137,25</dd>"),
        "{own}"
    );
    assert!(own.contains("<dt>Nog over</dt><dd>€ 12,75</dd>"), "{own}");
    assert!(!own.contains("banner--warning"), "{own}");
    let budget_link = format!("/budget?nb={poort}&#38;year={year}");
    assert!(own.contains(&format!("href=\"{budget_link}\"")), "{own}");
    let budget = c.get(&budget_link.replace("&#38;", "&")).await;
    assert_eq!(budget.status, StatusCode::OK);
    assert!(
        budget.body.contains("€ 137,25"),
        "the same figure on /budget"
    );

    // The cooking workshop: € 300 of its own, for this year.
    let workshop = own_budget_part(&c.get(&format!("/activities/{cooking}")).await.body);
    assert!(
        workshop.contains("<dt>Eigen budget</dt><dd>€ 300,00</dd>"),
        "{workshop}"
    );
    // The farm outing has none: it says so and where to give it one.
    let farm_year = outing_day(&app, &t, farm).await.year();
    let none = own_budget_part(&c.get(&format!("/activities/{farm}")).await.body);
    assert!(
        none.contains(&format!("Er is geen eigen budget voor {farm_year}.")),
        "{none}"
    );
    assert!(
        none.contains("Een eigen budget geven op de begroting"),
        "{none}"
    );

    // An outing further ahead than budgets are made (next year) has no budget page to
    // show or link to: the part is left out instead of linking to a page that is not there.
    let ahead = app
        .store
        .create_activity(
            &t,
            &mtp_store::ActivityDraft {
                name: "Uitje naar de Efteling".into(),
                ..app.store.activity(&t, farm).await.unwrap().d
            },
            None,
        )
        .await
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(beach_day.year() + 3, 6, 12).unwrap();
    app.plan_one(&t, ahead, day, (9, 0), (17, 0)).await;
    let far = c.get(&format!("/activities/{ahead}")).await;
    assert_eq!(far.status, StatusCode::OK);
    assert!(far.body.contains("Uitje naar de Efteling"), "{}", far.body);
    assert!(own_budget_part(&far.body).is_empty(), "{}", far.body);
    assert!(!far.body.contains("/budget?"), "{}", far.body);

    // A worker books the costs and sees them, but not the budget.
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let seen = w.get(&format!("/activities/{beach}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("€ 137,25"), "the worker sees the costs");
    assert!(own_budget_part(&seen.body).is_empty(), "{}", seen.body);
    assert!(!seen.body.contains("€ 150,00"));
    assert!(!seen.body.contains("€ 12,75"));
    assert!(!seen.body.contains("/budget?"));
    let workshop = w.get(&format!("/activities/{cooking}")).await;
    assert!(!workshop.body.contains("€ 300,00"));

    // € 20 more on the outing's day: € 157,25 against € 150, and the budget page's warning.
    let r = book_cost(&mut c, beach, "Parkeren", "20", &beach_day.to_string()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let over = own_budget_part(&c.get(&format!("/activities/{beach}")).await.body);
    assert!(
        over.contains("<dt>Uitgegeven</dt><dd>€ 157,25</dd>"),
        "{over}"
    );
    assert!(
        over.contains("<dt>Meer uitgegeven dan het eigen budget</dt><dd>€ 7,25</dd>"),
        "{over}"
    );
    assert!(
        over.contains(
            "Uitje naar het strand: er is al meer uitgegeven dan het eigen budget van € 150,00."
        ),
        "{over}"
    );

    // In English, in English figures.
    c.post("/lang/en", &[("next", "/")]).await;
    let en = own_budget_part(&c.get(&format!("/activities/{beach}")).await.body);
    assert!(en.contains(&format!("Own budget {year}</h2>")), "{en}");
    assert!(en.contains("<dt>Own budget</dt><dd>€150.00</dd>"), "{en}");
    assert!(en.contains("<dt>Spent</dt><dd>€157.25</dd>"), "{en}");
    assert!(
        en.contains("<dt>Spent over the own budget</dt><dd>€7.25</dd>"),
        "{en}"
    );
    assert!(
        en.contains("more has been spent than its own budget of €150.00"),
        "{en}"
    );
}
on_both!(
    outing_own_budget,
    the_outing_page_shows_its_own_budget_to_who_sees_the_budget
);

async fn a_coordinator_keeps_the_holiday_list(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut c = app.client();
    c.login(&logins["coordinator"]).await;
    let page = c.get("/holiday-activities").await;
    assert_eq!(page.status, StatusCode::OK);
    for name in [
        "Moederdag",
        "Vaderdag",
        "Keti Koti",
        "Sinterklaas",
        "Suikerfeest",
        "Zomerfeest in de wijk",
    ] {
        assert!(page.body.contains(name), "{name} on the list");
    }
    assert!(
        page.body.contains("10 maart 2027"),
        "Suikerfeest's date: {}",
        page.body
    );

    // Bad input says what to fix.
    let r = c
        .post(
            "/holiday-activities",
            &[("holiday_name", ""), ("fixed_day", "31-2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Vul de naam van de feestdag in."));
    assert!(
        r.body
            .contains("Vul een dag en maand in, zoals 1-7 voor 1 juli.")
    );

    // A holiday ten days ahead is proposed on the activities page at once.
    let soon = mtp_web::today() + Duration::days(10);
    let day = format!("{}-{}", soon.day(), soon.month());
    let r = c
        .post(
            "/holiday-activities",
            &[("holiday_name", "Buurtfeest"), ("fixed_day", &day)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = c.get("/activities").await;
    assert!(list.body.contains("Buurtfeest"), "{}", list.body);
    let own = app
        .store
        .holiday_list(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.own.as_ref().is_some_and(|(_, n)| n == "Buurtfeest"))
        .expect("added");
    let r = c
        .post(
            "/holiday-activities/hide",
            &[("holiday", &own.reference()), ("hidden", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = c.get("/activities").await;
    assert!(!list.body.contains("Buurtfeest"));

    // A built-in holiday taken off the list, and put back.
    let r = c
        .post(
            "/holiday-activities/hide",
            &[("holiday", "holiday-mothers-day"), ("hidden", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mothers = |list: &[mtp_store::outings::ListedHoliday]| {
        list.iter()
            .find(|h| h.key == Some("holiday-mothers-day"))
            .map(|h| h.hidden)
    };
    assert_eq!(
        mothers(&app.store.holiday_list(&t).await.unwrap()),
        Some(true)
    );
    c.post(
        "/holiday-activities/hide",
        &[("holiday", "holiday-mothers-day"), ("hidden", "no")],
    )
    .await;
    assert_eq!(
        mothers(&app.store.holiday_list(&t).await.unwrap()),
        Some(false)
    );
    assert!(audited(&app, &t, "holiday-list.changed").await >= 4);

    // A worker may not change it; Lelystad's list is its own.
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    assert_eq!(
        w.get("/holiday-activities").await.status,
        StatusCode::FORBIDDEN
    );
    let lelystad = app.org("Lelystad").await;
    let theirs = app.store.holiday_list(&lelystad).await.unwrap();
    assert!(theirs.iter().all(|h| h.own.is_none() && h.dates.is_empty()));
}
on_both!(holiday_list, a_coordinator_keeps_the_holiday_list);

/// A holiday activity can name a parent as organiser, like an outing.
async fn a_parent_organises_a_holiday_activity(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let id = w
        .new_activity(poort, "holiday", "Suikerfeest in de wijk")
        .await;
    let parent = household_in(&app, &t, "Almere Poort").await;
    let r = w
        .post(
            &format!("/activities/{id}/organisers"),
            &[("organiser", &parent.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.get(&format!("/activities/{id}")).await;
    assert!(page.body.contains("Ouders die dit organiseren"));
    assert!(page.body.contains(&format!("/households/{parent}")));
    // The outing's own forms are not for a holiday activity.
    let r = w
        .post(
            &format!("/activities/{id}/outing"),
            &[("destination", "Ergens")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.store
            .outing(&t, id, None)
            .await
            .unwrap()
            .draft
            .is_none()
    );
    assert!(
        app.store
            .organised_by(&t, parent)
            .await
            .unwrap()
            .contains(&(id, "Suikerfeest in de wijk".to_string()))
    );
}
on_both!(holiday_organiser, a_parent_organises_a_holiday_activity);

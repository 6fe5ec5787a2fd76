//! Time and money (issue #20, docs/guide/money.md): the budget, the expense ledger, the
//! receipts, a worker's week and the year's workbook, on the demo's year.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::Datelike;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Res, TestApp};
use crate::on_both;

fn this_year() -> i32 {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .year()
}

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .to_string()
}

/// "€ 1.234,56" (the page's Dutch amount in the cell with this id) as euros.
fn amount_at(body: &str, id: &str) -> f64 {
    let start = body
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no {id} on the page"))
        + id.len()
        + 6;
    let text = &body[start..start + body[start..].find('<').unwrap()];
    let negative = text.contains('−');
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',')
        .collect::<String>()
        .replace(',', ".");
    let v: f64 = digits.parse().unwrap_or_else(|_| panic!("{text}"));
    if negative { -v } else { v }
}

async fn upload(c: &mut Client, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Res {
    c.get("/budget/expenses").await;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "receipt",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let r = c
        .http
        .post(format!("{}/budget/expenses?_csrf={}", c.base, c.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let headers = r.headers().clone();
    Res {
        status,
        location,
        body: r.text().await.unwrap_or_default(),
        headers,
    }
}

/// The demo loaded once (a second load gives every demo account a new password), and a
/// client signed in with one of its accounts.
async fn signed_in(
    app: &TestApp,
    label: &str,
) -> (
    Client,
    std::collections::HashMap<String, crate::helpers::Login>,
) {
    let logins = app.demo().await;
    let mut c = app.client();
    c.login(&logins[label]).await;
    (c, logins)
}

async fn a_correction_after_the_fact_changes_the_totals(app: TestApp) {
    let (mut c, _) = signed_in(&app, "coordinator").await;
    let before = c.get("/budget").await;
    assert_eq!(before.status, StatusCode::OK);
    let spent_before = amount_at(&before.body, "total-spent");
    assert!(spent_before > 0.0, "the demo's year has spending");

    let r = upload(
        &mut c,
        &[
            ("spent_on", &today()),
            ("line", "activities"),
            ("amount", "€ 123,45"),
            ("supplier", "Testwinkel"),
            ("note", "Taart"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = c.get("/budget").await;
    let spent_after = amount_at(&after.body, "total-spent");
    assert!(
        (spent_after - spent_before - 123.45).abs() < 0.005,
        "{spent_before} + 123,45 ≠ {spent_after}"
    );

    // The correction: a new line reverses the old one; both stay in the ledger.
    let tenant = app.org("Almere").await;
    let poort = app.neighbourhood(&tenant, "Almere Poort").await;
    let entry = app
        .store
        .expenses(&tenant, poort, this_year())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.supplier == "Testwinkel")
        .unwrap();
    c.get("/budget/expenses").await;
    let r = c
        .post(
            &format!("/budget/expenses/{}/reverse", entry.id),
            &[
                ("nb", &poort.to_string()),
                ("year", &this_year().to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ledger = c.get("/budget/expenses").await;
    assert!(ledger.body.contains("Teruggedraaid"), "the old line stays");
    assert!(
        ledger.body.contains("Correctie"),
        "the new line says it corrects"
    );
    assert!(ledger.body.contains("−€ 123,45"));
    let corrected = c.get("/budget").await;
    let spent_corrected = amount_at(&corrected.body, "total-spent");
    assert!(
        (spent_corrected - spent_before).abs() < 0.005,
        "{spent_before} ≠ {spent_corrected}"
    );
    // Once only.
    let again = c
        .post(
            &format!("/budget/expenses/{}/reverse", entry.id),
            &[
                ("nb", &poort.to_string()),
                ("year", &this_year().to_string()),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Deze uitgave is al teruggedraaid"));
    // Nothing was edited in place: the first entry is as it was, and the trail has both.
    let list = app
        .store
        .expenses(&tenant, poort, this_year())
        .await
        .unwrap();
    let old = list.iter().find(|e| e.id == entry.id).unwrap();
    assert_eq!(old.amount.cents(), 12_345);
    assert_eq!(old.note, "Taart");
    let trail = app
        .store
        .audit_entries(tenant.org_id, &mtp_store::AuditFilter::default(), 500)
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "expense.added"));
    assert!(trail.iter().any(|e| e.action == "expense.reversed"));

    // A negative amount and a date outside the year are refused at their fields.
    let r = upload(
        &mut c,
        &[
            ("spent_on", &format!("{}-06-01", this_year() - 1)),
            ("line", "activities"),
            ("amount", "-5"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Vul een bedrag zonder min in"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("Kies een datum in {}", this_year()))
    );
}
on_both!(correction, a_correction_after_the_fact_changes_the_totals);

async fn a_week_of_more_than_sixty_hours_is_refused(app: TestApp) {
    let (mut c, _) = signed_in(&app, "worker").await;
    let page = c.get("/time").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Aanmoedigen en de WhatsAppgroep"));
    let r = c
        .post(
            "/time",
            &[("c_preparation", "30"), ("c_execution", "30,25")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Een week heeft hoogstens 60 uur"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"c_preparation-error\""));
    // What was typed stays.
    assert!(r.body.contains("value=\"30,25\""));

    // Hours as people type them, and a wrong one at its field.
    let r = c.post("/time", &[("c_encouragement", "abc")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"c_encouragement-error\""));
    let r = c
        .post("/time", &[("c_encouragement", "2.5"), ("c_other", "0:45")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&r.location).await;
    assert!(page.body.contains("value=\"2.5\""), "{}", page.body);
    assert!(page.body.contains("value=\"0.75\""));
}
on_both!(sixty_hours, a_week_of_more_than_sixty_hours_is_refused);

async fn a_receipt_that_is_not_what_its_name_says_is_refused(app: TestApp) {
    let (mut c, logins) = signed_in(&app, "coordinator").await;
    let fields = [
        ("spent_on", today()),
        ("line", "organisation".to_string()),
        ("amount", "12,50".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = upload(
        &mut c,
        &fields,
        Some(("bon.pdf", b"<html>not a pdf at all</html>".to_vec())),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Dit bestand is geen PDF, JPEG of PNG"),
        "{}",
        r.body
    );
    // A PNG named .pdf is not what its name says either.
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
    let r = upload(&mut c, &fields, Some(("bon.pdf", png))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A real PDF is kept, and served only to those who reach its neighbourhood.
    let pdf = b"%PDF-1.4\n%test\n".to_vec();
    let r = upload(&mut c, &fields, Some(("bon.pdf", pdf.clone()))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let tenant = app.org("Almere").await;
    let poort = app.neighbourhood(&tenant, "Almere Poort").await;
    let receipt = app
        .store
        .expenses(&tenant, poort, this_year())
        .await
        .unwrap()
        .into_iter()
        .find_map(|e| e.receipt_id)
        .unwrap();
    let (status, kind, bytes) = c.get_bytes(&format!("/budget/receipts/{receipt}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert_eq!(bytes, pdf);
    // Looking at a receipt is on record, with the receipt it was.
    let trail = app
        .store
        .audit_entries(tenant.org_id, &mtp_store::AuditFilter::default(), 500)
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "receipt.viewed" && e.object_id == Some(receipt))
    );
    let mut other = app.client();
    other.login(&logins["other-worker"]).await;
    let (status, _, _) = other
        .get_bytes(&format!("/budget/receipts/{receipt}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut host = app.client();
    host.login(&logins["host"]).await;
    let (status, _, _) = host.get_bytes(&format!("/budget/receipts/{receipt}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = c
        .get_bytes(&format!("/budget/receipts/{}", Uuid::new_v4()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(
    fake_receipt,
    a_receipt_that_is_not_what_its_name_says_is_refused
);

async fn a_worker_cannot_see_another_workers_hours(app: TestApp) {
    let logins = app.demo().await;
    let tenant = app.org("Almere").await;
    let accounts = app.store.accounts(tenant.org_id).await.unwrap();
    let id_of = |name: &str| {
        accounts
            .iter()
            .find(|a| a.display_name == name)
            .map(|a| a.id)
            .unwrap()
    };
    let (fatima, sem, carla) = (
        id_of("Fatima el Amrani"),
        id_of("Sem de Boer"),
        id_of("Carla Jansen"),
    );
    let mut worker = app.client();
    worker.login(&logins["worker"]).await;
    let own = worker.get("/time").await;
    assert!(own.body.contains("Uren van Fatima el Amrani"));
    for other in [sem, carla] {
        let r = worker.get(&format!("/time?worker={other}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = worker
            .post("/time", &[("worker", &other.to_string()), ("c_other", "1")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // The demo's rota proposal is the bulk of her week.
    let r = worker.get("/budget").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The coordinator sees her team (Almere Poort), not Almere Haven's worker.
    let mut coordinator = app.client();
    coordinator.login(&logins["coordinator"]).await;
    let r = coordinator.get(&format!("/time?worker={fatima}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Uren van Fatima el Amrani"));
    let r = coordinator.get(&format!("/time?worker={sem}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Hosts, partners and researchers see no hours at all.
    for label in ["host", "partner", "researcher"] {
        let mut c = app.client();
        c.login(&logins[label]).await;
        assert_eq!(
            c.get("/time").await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
        assert_eq!(
            c.get("/budget").await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
    }
}
on_both!(own_hours, a_worker_cannot_see_another_workers_hours);

async fn the_workbook_has_the_totals_of_the_page(app: TestApp) {
    let (mut c, _) = signed_in(&app, "coordinator").await;
    let page = c.get("/budget").await;
    assert_eq!(page.status, StatusCode::OK);
    // The demo's year: the activities are about to overrun, the hours come from the rota.
    assert!(
        page.body
            .contains("Activiteitenkosten: in dit tempo geef je"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<svg"));
    assert!(page.body.contains("Norm 12 uur"));
    let spent = amount_at(&page.body, "total-spent");
    let budgeted = amount_at(&page.body, "total-budgeted");
    let (status, kind, bytes) = c.get_bytes("/budget/export.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    // A summary and a sheet per budget line.
    assert_eq!(book.sheet_names().len(), 7, "{:?}", book.sheet_names());
    let summary = book.worksheet_range("Overzicht").unwrap();
    let row = (0..summary.height() as u32)
        .find(|r| summary.get_value((*r, 0)) == Some(&Data::String("Totaal".into())))
        .expect("a total row");
    let number = |v: Option<&Data>| match v {
        Some(Data::Float(f)) => *f,
        other => panic!("not a number: {other:?}"),
    };
    assert!((number(summary.get_value((row, 1))) - budgeted).abs() < 0.005);
    assert!((number(summary.get_value((row, 2))) - spent).abs() < 0.005);
    // The activities sheet lists the ledger; its amounts add up to the summary's line.
    let activities = book.worksheet_range("Activiteitenkosten").unwrap();
    let sum: f64 = (1..activities.height() as u32)
        .map(|r| number(activities.get_value((r, 1))))
        .sum();
    let line = (0..summary.height() as u32)
        .find(|r| summary.get_value((*r, 0)) == Some(&Data::String("Activiteitenkosten".into())))
        .unwrap();
    assert!((number(summary.get_value((line, 2))) - sum).abs() < 0.005);
    // Staff hours: the rota's proposal made them, so there are hours.
    let staff = (0..summary.height() as u32)
        .find(|r| summary.get_value((*r, 0)) == Some(&Data::String("Uren uitvoerder".into())))
        .unwrap();
    assert!(number(summary.get_value((staff, 5))) > 0.0);

    // The own budgets within the activity line: the beach outing's row has the page's
    // figures (its budget and what was booked on it).
    let beach = (0..summary.height() as u32)
        .find(|r| summary.get_value((*r, 0)) == Some(&Data::String("Uitje naar het strand".into())))
        .expect("the beach outing's own budget in the workbook");
    assert!((number(summary.get_value((beach, 1))) - 150.0).abs() < 0.005);
    assert!((number(summary.get_value((beach, 2))) - 137.25).abs() < 0.005);
    assert!(page.body.contains(
        "<th scope=\"row\">Uitje naar het strand<br><span class=\"hint\">Uitje</span></th><td>€ 150,00</td><td>€ 137,25</td>"
    ), "{}", page.body);

    // The printable page has the same total, and the own budgets.
    let print = c.get("/budget/print").await;
    assert_eq!(print.status, StatusCode::OK);
    assert!((amount_at(&print.body, "total-spent") - spent).abs() < 0.005);
    assert!(print.body.contains(
        "<th scope=\"row\">Uitje naar het strand</th><td>€ 150,00</td><td>€ 137,25</td>"
    ));
}
on_both!(workbook, the_workbook_has_the_totals_of_the_page);

/// The 60-hour rule is counted and decided at once: a worker's two neighbourhoods saved side
/// by side (two phones) cannot together pass it.
async fn two_saves_at_once_cannot_together_pass_sixty_hours(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let admin = app
        .store
        .accounts(t.org_id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email.as_str() == "beheer@almere.demo.meettheparents.nl")
        .expect("the demo's administrator works in Poort and Haven")
        .id;
    let event = || crate::referrals::event(t.org_id);
    let thirty_five_hours = [(mtp_domain::money::TimeCategory::Execution, 35 * 60)];
    for weeks_ago in 20..25 {
        let monday = mtp_domain::money::monday_of(
            chrono::Utc::now().date_naive() - chrono::Duration::weeks(weeks_ago),
        );
        let save = |nb| {
            app.store
                .set_week_hours(&t, admin, admin, nb, monday, &thirty_five_hours, event())
        };
        let (a, b) = tokio::join!(save(poort), save(haven));
        let refused = [&a, &b]
            .iter()
            .filter(|r| matches!(r, Err(mtp_store::StoreError::Refused(_))))
            .count();
        assert_eq!(
            (a.is_ok() as usize + b.is_ok() as usize, refused),
            (1, 1),
            "one save passes, the other is refused: {a:?} {b:?}"
        );
        let week = app
            .store
            .week_hours(&t, admin, admin, poort, monday)
            .await
            .unwrap();
        let here: i64 = week.minutes.iter().map(|(_, m)| m).sum();
        assert_eq!(here + week.elsewhere, 35 * 60, "{monday}");
    }
}
on_both!(
    sixty_hours_at_once,
    two_saves_at_once_cannot_together_pass_sixty_hours
);

async fn activity_named(app: &TestApp, t: &mtp_domain::Tenant, name: &str) -> Uuid {
    app.store
        .activities(t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == name)
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("the demo has {name}"))
}

/// The activity line's spending and one own budget's, as the store sums them.
async fn line_and_own(
    app: &TestApp,
    t: &mtp_domain::Tenant,
    nb: Uuid,
    activity: Uuid,
) -> (i64, i64) {
    let y = app.store.money_year(t, nb, this_year()).await.unwrap();
    let line: i64 = y
        .expenses
        .iter()
        .filter(|e| e.line == mtp_domain::money::BudgetLine::Activities)
        .map(|e| e.amount.cents())
        .sum();
    let own = y
        .subs
        .iter()
        .find(|b| b.activity_id == activity)
        .map(|b| b.record.spent.cents())
        .expect("the activity has its own budget");
    (line, own)
}

/// One ledger (issue #20): a cost booked on the outing is an expense on the activity line,
/// counted once there and once in the outing's own budget; taking it off reverses it. An
/// own budget that is overspent, and own budgets that add up to more than the line, warn.
async fn an_outing_cost_counts_once_in_the_line_and_its_own_budget(app: TestApp) {
    let (mut c, _) = signed_in(&app, "coordinator").await;
    let tenant = app.org("Almere").await;
    let poort = app.neighbourhood(&tenant, "Almere Poort").await;
    let beach = activity_named(&app, &tenant, "Uitje naar het strand").await;
    let cooking = activity_named(&app, &tenant, "Kookworkshop (1 keer per maand)").await;
    let q = format!("nb={poort}&year={}", this_year());
    let (line_before, own_before) = line_and_own(&app, &tenant, poort, beach).await;
    assert_eq!(
        own_before, 13_725,
        "the demo's beach costs are in the ledger"
    );
    let page = c.get(&format!("/budget?{q}")).await;
    assert!(
        page.body
            .contains("Uitjes en workshops binnen de activiteitenkosten")
    );
    assert!(page.body.contains("Overige activiteiten"));
    assert!(!page.body.contains("Uitje naar het strand: er is al meer"));

    // €20 booked on the outing: once in the line, once in its own budget.
    let r = crate::outings::book_cost(&mut c, beach, "Parkeren", "20", &today()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (line, own) = line_and_own(&app, &tenant, poort, beach).await;
    assert_eq!(line - line_before, 2_000);
    assert_eq!(own - own_before, 2_000);
    let view = app.store.outing(&tenant, beach, None).await.unwrap();
    assert_eq!(view.booked_cents(), 15_725);
    let ledger = c.get(&format!("/budget/expenses?{q}")).await;
    assert_eq!(
        ledger.body.matches("<td>Parkeren").count(),
        1,
        "{}",
        ledger.body
    );
    // €157.25 against €150: the own budget is overspent.
    let page = c.get(&format!("/budget?{q}")).await;
    assert!(
        page.body.contains(
            "Uitje naar het strand: er is al meer uitgegeven dan het eigen budget van € 150,00."
        ),
        "{}",
        page.body
    );

    // Taken off the outing: reversed in the ledger, the sums as before.
    let cost = view
        .costs
        .iter()
        .find(|c| c.description == "Parkeren")
        .unwrap()
        .id;
    c.get(&format!("/activities/{beach}")).await;
    let r = c
        .post(
            &format!("/activities/{beach}/costs/remove"),
            &[("cost", &cost.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        line_and_own(&app, &tenant, poort, beach).await,
        (line_before, own_before)
    );
    let ledger = c.get(&format!("/budget/expenses?{q}")).await;
    assert!(ledger.body.contains("Correctie"));

    // The workshop's own budget set on the budget page: wrong input first.
    c.get(&format!("/budget?{q}")).await;
    let year = this_year().to_string();
    let nb = poort.to_string();
    let form = |activity: String, amount: &'static str| {
        vec![
            ("nb", nb.clone()),
            ("year", year.clone()),
            ("activity", activity),
            ("activity_amount", amount.to_string()),
        ]
    };
    let coffee = app
        .store
        .money_activities(&tenant, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|(id, _)| *id != beach && *id != cooking)
        .map(|(id, _)| id)
        .unwrap();
    for (fields, message) in [
        (form(cooking.to_string(), "veel"), "money-error"),
        (
            form(coffee.to_string(), "100"),
            "Kies een uitje of workshop uit de lijst.",
        ),
        (
            form(Uuid::new_v4().to_string(), "100"),
            "Kies een uitje of workshop uit de lijst.",
        ),
    ] {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post("/budget/activities", &pairs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        if message != "money-error" {
            assert!(r.body.contains(message), "{}", r.body);
        }
        assert!(r.body.contains("aria-invalid=\"true\""));
    }
    // Own budgets that add up to more than the line warn.
    let fields = form(cooking.to_string(), "2950");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = c.post("/budget/activities", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&format!("/budget?{q}")).await;
    assert!(
        page.body
            .contains("De eigen budgetten van uitjes en workshops zijn samen € 3.100,00."),
        "{}",
        page.body
    );
    let trail = app
        .store
        .audit_entries(tenant.org_id, &mtp_store::AuditFilter::default(), 500)
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "activity-budget.saved" && e.object_id == Some(cooking))
    );
    // The outing is Poort's: for Haven it is no choice (the activity must be in the
    // budget's neighbourhood), and nothing is saved.
    let haven = app.neighbourhood(&tenant, "Almere Haven").await.to_string();
    let (mut admin, _) = signed_in(&app, "admin").await;
    admin.get("/budget").await;
    let beach_id = beach.to_string();
    let r = admin
        .post(
            "/budget/activities",
            &[
                ("nb", haven.as_str()),
                ("year", year.as_str()),
                ("activity", beach_id.as_str()),
                ("activity_amount", "100"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kies een uitje of workshop uit de lijst."));
    let haven_id = Uuid::parse_str(&haven).unwrap();
    let y = app
        .store
        .money_year(&tenant, haven_id, this_year())
        .await
        .unwrap();
    assert!(y.subs.iter().all(|b| b.activity_id != beach));
    // Another organisation's worker is turned away.
    let (mut other, _) = signed_in(&app, "other-worker").await;
    let r = other.post("/budget/activities", &pairs).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
on_both!(
    outing_cost_once,
    an_outing_cost_counts_once_in_the_line_and_its_own_budget
);

/// An expense can name a session of its activity; the ledger shows it. A session of another
/// activity is refused at the field.
async fn an_expense_names_a_session_of_its_activity(app: TestApp) {
    let (mut c, _) = signed_in(&app, "coordinator").await;
    let tenant = app.org("Almere").await;
    let poort = app.neighbourhood(&tenant, "Almere Poort").await;
    let beach = activity_named(&app, &tenant, "Uitje naar het strand").await;
    let cooking = activity_named(&app, &tenant, "Kookworkshop (1 keer per maand)").await;
    let sessions = app
        .store
        .money_sessions(&tenant, poort, this_year())
        .await
        .unwrap();
    let beach_day = sessions.iter().find(|s| s.activity_id == beach).unwrap().id;
    let page = c.get(&format!("/budget/expenses?nb={poort}")).await;
    assert!(
        page.body
            .contains("<optgroup label=\"Uitje naar het strand\">")
    );
    assert!(
        page.body
            .contains(&format!("<option value=\"{beach_day}\">"))
    );
    let nb = poort.to_string();
    let wrong = [
        ("nb", nb.as_str()),
        ("spent_on", &today()),
        ("line", "activities"),
        ("amount", "8,00"),
        ("activity", &cooking.to_string()),
        ("session", &beach_day.to_string()),
    ]
    .map(|(k, v)| (k, v.to_string()));
    let pairs: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = upload(&mut c, &pairs, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Kies een bijeenkomst van de gekozen activiteit, uit de lijst."),
        "{}",
        r.body
    );
    let right: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| if *k == "activity" { (*k, "") } else { (*k, *v) })
        .collect();
    let r = upload(&mut c, &right, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let entry = app
        .store
        .expenses(&tenant, poort, this_year())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.session_id == Some(beach_day) && e.amount.cents() == 800)
        .expect("the expense with its session");
    assert_eq!(
        entry.activity_id,
        Some(beach),
        "the session gives the activity"
    );
    let ledger = c.get(&format!("/budget/expenses?nb={poort}")).await;
    assert!(
        ledger
            .body
            .contains("<span class=\"hint\">bijeenkomst van ")
    );
}
on_both!(expense_session, an_expense_names_a_session_of_its_activity);

//! The referral figures on `/reports` and in its workbook (issue #16,
//! docs/guide/reports.md#referrals), worked by hand: four referrals in 2024 (three by the
//! school's account, one through the youth health care's referral address), three of them
//! taken on after 2, 6 and 3 days, two of those came to an activity.

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::household::HouseholdKind;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;
use crate::referrals::{draft, event, school_scope};

fn at(month: u32, day: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2024, month, day)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .map(|d| d.and_utc())
        .unwrap()
}

/// Set a timestamp column of one row, as the database stores it (bound, not typed in).
async fn set(app: &TestApp, table: &str, column: &str, id: Uuid, when: DateTime<Utc>) {
    let db = Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
        _ => format!("UPDATE {table} SET {column} = ? WHERE id = ?"),
    };
    let n = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(when), Value::from(id)],
        ))
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(n, 1);
}

/// A referral the parent confirmed, taken on as a new household `contact` later; the
/// family's first visit on `visit`, if any.
async fn taken_on(
    app: &TestApp,
    t: &mtp_domain::Tenant,
    id: Uuid,
    made: DateTime<Utc>,
    contact: DateTime<Utc>,
    visit: Option<DateTime<Utc>>,
) {
    let link = app
        .store
        .make_referral_link_at(t, id, event(t.org_id), made)
        .await
        .unwrap();
    app.store
        .answer_referral_at(&link.token, true, made)
        .await
        .unwrap()
        .unwrap();
    let household = app
        .store
        .referral_to_household(t, None, id, HouseholdKind::SingleParent, event(t.org_id))
        .await
        .unwrap();
    set(app, "inbound_referral", "changed_at", id, contact).await;
    if let Some(visit) = visit {
        set(app, "household", "first_visit_at", household, visit).await;
    }
}

async fn the_report_counts_referrals_of_its_period(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let by = school_scope(&app, &logins).await;
    let school = |name: &'static str, when| {
        let store = app.store.clone();
        async move {
            store
                .create_referral_at(
                    &by,
                    &draft(name, "06-31313131", poort),
                    event(t.org_id),
                    when,
                )
                .await
                .unwrap()
        }
    };
    let a = school("Anouk", at(3, 1)).await;
    let b = school("Bo", at(3, 2)).await;
    school("Cato", at(3, 5)).await;
    taken_on(&app, &t, a, at(3, 1), at(3, 3), Some(at(3, 10))).await;
    taken_on(&app, &t, b, at(3, 2), at(3, 8), None).await;
    // The youth health care team has no account: through its referral address.
    let jgz = app
        .store
        .partners(&t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "JGZ Almere Poort")
        .unwrap()
        .id;
    let token = app
        .store
        .make_referral_address(&t, jgz, event(t.org_id))
        .await
        .unwrap();
    let d = app
        .store
        .create_address_referral(
            &token,
            &draft("Dewi", "06-41414141", poort),
            &mtp_domain::Email::parse("zorg@jgz.example.nl").unwrap(),
            at(3, 4),
        )
        .await
        .unwrap()
        .referral_id;
    taken_on(&app, &t, d, at(3, 4), at(3, 7), Some(at(3, 12))).await;

    let mut c = app.client();
    c.login(&logins["coordinator"]).await;
    let query = format!("period=custom&from=2024-01-01&to=2024-12-31&nb={poort}");
    let page = c.get(&format!("/reports?{query}")).await;
    assert_eq!(page.status, reqwest::StatusCode::OK);
    assert!(page.body.contains("<h2 id=\"referrals\">Verwijzingen</h2>"));
    // School: 3 referred, 2 taken on (after 2 and 6 days: the lower middle value is 2), 1
    // came (33.3 %). Youth health care: 1, 1, 1 (100 %), 3 days. All: 4, 3, 2 (50 %), the
    // middle of 2, 3 and 6 days is 3.
    for row in [
        "<th scope=\"row\">School</th><td>3</td><td>2</td><td>1</td><td>33,3%</td><td>2</td>",
        "<th scope=\"row\">Jeugdgezondheidszorg</th><td>1</td><td>1</td><td>1</td><td>100,0%</td><td>3</td>",
        "<th scope=\"row\">Totaal</th><td>4</td><td>3</td><td>2</td><td>50,0%</td><td>3</td>",
        "<th scope=\"row\">JGZ Almere Poort</th><td>1</td>",
        "<th scope=\"row\">Basisschool De Regenboog</th><td>3</td>",
    ] {
        assert!(page.body.contains(row), "{row}");
    }
    // No referral to help was made in 2024: that total is 0 (the demo's are of this year).
    assert!(
        page.body
            .contains("<th scope=\"row\">Totaal</th><td>0</td><td>0</td>")
    );
    let this_year = c
        .get(&format!(
            "/reports?period=year&year={}&nb={poort}",
            chrono::Utc::now().format("%Y")
        ))
        .await;
    assert!(
        !this_year
            .body
            .contains("<th scope=\"row\">Totaal</th><td>0</td><td>0</td><td>0</td><td>0</td>")
    );

    // The workbook has the same figures on a sheet of its own, numbers as numbers.
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let (status, _, bytes) = c.get_bytes(&format!("/reports/export.xlsx?{query}")).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Verwijzingen").unwrap();
    let row = (0..sheet.height() as u32)
        .find(|r| sheet.get_value((*r, 0)) == Some(&Data::String("School".into())))
        .expect("a row for schools");
    let cells: Vec<Option<&Data>> = (1..=5).map(|col| sheet.get_value((row, col))).collect();
    assert_eq!(
        cells,
        vec![
            Some(&Data::Float(3.0)),
            Some(&Data::Float(2.0)),
            Some(&Data::Float(1.0)),
            Some(&Data::Float(1.0 / 3.0)),
            Some(&Data::Float(2.0)),
        ]
    );
}
on_both!(referral_report, the_report_counts_referrals_of_its_period);

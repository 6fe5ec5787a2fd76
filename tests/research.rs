//! The pseudonymised research export (issue #15, docs/guide/research.md): who is in it, under
//! which pseudonym, what it never holds, its bad input, and who may reach it.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::consent::{ConsentMethod, Purpose};
use mtp_domain::research::{StudyKey, pseudonym};
use mtp_domain::{
    Channel, ChildBirth, Email, HouseholdKind, PersonName, PhoneNumber, PlaceName, Postcode4, Role,
    Source, Tenant,
};
use mtp_store::{ChildDraft, HouseholdDraft, NewAuditEvent, ParentDraft};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::helpers::{Client, TestApp};
use crate::on_both;

/// What a test family was registered with, to look for in the export afterwards.
struct Family {
    id: Uuid,
    words: Vec<String>,
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// A family in `neighbourhood` with a name, phone, e-mail and note of its own, a child born
/// `child_months` months ago, and research consent when `research` says so.
async fn family(
    app: &TestApp,
    t: &Tenant,
    neighbourhood: Uuid,
    n: usize,
    child_months: u32,
    research: bool,
) -> Family {
    let first = format!("Onderzoekouder{n}");
    let last = format!("Achternaamzeldzaam{n}");
    let email = format!("ouder{n}.geheim@gezin.test");
    let phone = PhoneNumber::parse(&format!("06-4{:07}", 1_234_500 + n)).unwrap();
    let note = format!("Notitie die niemand mag lezen {n}");
    let born = today()
        .checked_sub_months(Months::new(child_months))
        .unwrap();
    let d = HouseholdDraft {
        neighbourhood_id: neighbourhood,
        kind: HouseholdKind::SingleParent,
        source: Source::School,
        source_partner: Some(format!("Partnerschool{n}")),
        postcode4: Postcode4::parse_optional("1359").unwrap(),
        interests: String::new(),
        talents: String::new(),
        notes: note.clone(),
        parents: vec![ParentDraft {
            first_name: PersonName::parse(&first).unwrap(),
            last_name: Some(PersonName::parse(&last).unwrap()),
            phone: Some(phone.clone()),
            email: Some(Email::parse(&email).unwrap()),
            channel: Channel::WhatsApp,
            languages: String::new(),
            works: n.is_multiple_of(2),
            free_days: vec![],
        }],
        children: vec![ChildDraft {
            first_name: PersonName::parse(&format!("Kindnaam{n}")).unwrap(),
            birth: ChildBirth {
                year: born.year(),
                month: born.month(),
            },
        }],
        data_consent: ConsentMethod::Verbal,
    };
    let id = app.store.create_household(t, None, &d, None).await.unwrap();
    if research {
        consent(app, t, id, true).await;
    }
    Family {
        id,
        words: vec![
            first,
            last,
            email,
            phone.e164().to_string(),
            phone.display(),
            note,
            format!("Kindnaam{n}"),
            format!("Partnerschool{n}"),
            id.to_string(),
            id.simple().to_string(),
        ],
    }
}

async fn consent(app: &TestApp, t: &Tenant, id: Uuid, given: bool) {
    app.store
        .record_consent(
            t,
            None,
            id,
            Purpose::Research,
            given,
            ConsentMethod::Paper,
            None,
        )
        .await
        .unwrap();
}

/// The instants of `Store::research_page` for an export in which every visit counts: this
/// century.
fn everything() -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>) {
    let at = |y| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    };
    (at(2000), at(2100), at(2100))
}

/// A neighbourhood of the demo organisation of our own, so its households are exactly ours.
async fn neighbourhood(app: &TestApp, t: &Tenant, name: &str) -> Uuid {
    app.store
        .create_neighbourhood(t.org_id, &PlaceName::parse(name).unwrap(), None, None)
        .await
        .unwrap()
}

/// Make a study as the administrator; returns its id and the key the page showed.
async fn make_study(app: &TestApp, admin: &mut Client, name: &str) -> (Uuid, String) {
    admin.get("/research").await;
    let r = admin
        .post("/research/studies", &[("study_name", name)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let start = r.body.find("id=\"study-key\">").expect("the key is shown") + 15;
    let key = r.body[start..start + 64].to_string();
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
    let t = app.org("Almere").await;
    let id = app
        .store
        .studies(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .map(|s| s.id)
        .expect("the study is listed");
    (id, key)
}

fn export_path(ext: &str, study: Uuid, neighbourhoods: &[Uuid], from: &str, to: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::new(format!("/research/export.{ext}?"));
    s.append_pair("study", &study.to_string());
    for n in neighbourhoods {
        s.append_pair("neighbourhood", &n.to_string());
    }
    s.append_pair("research_from", from)
        .append_pair("research_to", to);
    s.finish()
}

/// The CSV's header and rows.
fn rows(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let body = body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = header.iter().position(|h| h == name).expect(name);
    rows.iter().map(|r| r[i].clone()).collect()
}

async fn csv(c: &mut Client, path: &str) -> (Vec<String>, Vec<Vec<String>>, String) {
    let r = c.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{path}"
    );
    let (h, rows) = rows(&r.body);
    (h, rows, r.body)
}

async fn xlsx(c: &mut Client, path: &str) -> Vec<(String, Vec<Vec<Data>>)> {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let cells = range.rows().map(|r| r.to_vec()).collect();
            (n, cells)
        })
        .collect()
}

fn assert_names_nobody(text: &str, families: &[Family], what: &str) {
    for f in families {
        for w in &f.words {
            assert!(
                !text.to_lowercase().contains(&w.to_lowercase()),
                "{what} holds {w:?}"
            );
        }
    }
}

async fn the_export_holds_consenting_households_under_stable_pseudonyms(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let n = neighbourhood(&app, &t, "Onderzoekwijk").await;
    let mut families = Vec::new();
    // Nine with consent: the first a child born 3 years and 1 month ago, the others 7 years.
    for i in 0..9 {
        let months = if i == 0 { 37 } else { 7 * 12 + 2 };
        families.push(family(&app, &t, n, i, months, true).await);
    }
    let never = family(&app, &t, n, 20, 50, false).await;
    let withdrawn = family(&app, &t, n, 21, 50, true).await;
    consent(&app, &t, withdrawn.id, false).await;
    let erased = family(&app, &t, n, 22, 50, true).await;
    let event = NewAuditEvent {
        org_id: t.org_id,
        actor_id: None,
        actor_role: "admin".into(),
        action: Action::HouseholdErased,
        object_type: "household".into(),
        object_id: Some(erased.id),
        neighbourhood_id: Some(n),
        outcome: Outcome::Allowed,
        detail: String::new(),
    };
    assert!(
        app.store
            .erase_household(&t, None, erased.id, event)
            .await
            .unwrap()
    );

    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let (study, key) = make_study(&app, &mut admin, "Evaluatie 2026").await;
    let (other_study, other_key) = make_study(&app, &mut admin, "Tweede onderzoek").await;
    assert_ne!(key, other_key);
    // At rest: sealed where the server has a key (SQLite's test servers make one on their
    // first start), bound to its row; never the key itself.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let stored: Vec<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT key AS v FROM research_study",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "v").unwrap())
        .collect();
    let _ = db.close().await;
    assert_eq!(stored.len(), 2);
    if app.database_url.starts_with("sqlite") {
        assert!(
            stored.iter().all(|v| v.starts_with("sealed1:")),
            "{stored:?}"
        );
        assert!(
            stored
                .iter()
                .all(|v| !v.contains(&key) && !v.contains(&other_key))
        );
    }
    // Never again: not on the list page, not for the researcher.
    let list = admin.get("/research").await;
    assert!(list.body.contains("Evaluatie 2026"));
    assert!(!list.body.contains(&key) && !list.body.contains(&other_key));

    let mut researcher = app.client();
    researcher.login(&logins["researcher"]).await;
    let page = researcher.get("/research").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/research\""), "in the menu");
    assert!(!page.body.contains(&key));
    assert!(
        !page.body.contains("/research/studies"),
        "only admins make studies"
    );

    let from = format!("{}-01-01", today().year());
    let to = today().to_string();
    let path = export_path("csv", study, &[n], &from, &to);
    let (header, first, body) = csv(&mut researcher, &path).await;
    assert_eq!(header, mtp_domain::research::header());
    assert_eq!(first.len(), 9, "the nine with consent, no more");
    let k = StudyKey::from_hex(&key).unwrap();
    let mut want: Vec<String> = families.iter().map(|f| pseudonym(&k, f.id)).collect();
    want.sort();
    let mut got = column(&header, &first, "pseudonym");
    got.sort();
    assert_eq!(got, want, "the pseudonyms are made with the key shown once");
    for absent in [&never, &withdrawn, &erased] {
        assert!(!got.contains(&pseudonym(&k, absent.id)));
    }
    // The export is one page, so its households were counted on it (`research_start`): the
    // database's count says the same.
    let (counted, _) = app
        .store
        .research_start(&t, &[n], everything())
        .await
        .unwrap();
    assert_eq!(counted, HashMap::from([(n, 9)]));
    assert_eq!(
        app.store.research_participants(&t, &[n]).await.unwrap(),
        counted
    );
    // Nine in the neighbourhood: below ten, no postcode.
    assert!(
        column(&header, &first, "postcode4")
            .iter()
            .all(String::is_empty)
    );
    let mut ages = column(&header, &first, "children_ages");
    ages.sort();
    ages.dedup();
    assert_eq!(ages, ["3", "7"]);
    assert!(
        column(&header, &first, "household_kind")
            .iter()
            .all(|k| k == "single_parent")
    );
    assert!(
        column(&header, &first, "source")
            .iter()
            .all(|s| s == "school")
    );
    // One parent each, who works in the even-numbered families: the parents and whether one
    // works are read together (`PARENTS` in the store), so both are checked per family.
    let works: std::collections::HashMap<String, String> = column(&header, &first, "pseudonym")
        .into_iter()
        .zip(column(&header, &first, "parent_works"))
        .collect();
    for (i, f) in families.iter().enumerate() {
        let want = if i % 2 == 0 { "1" } else { "0" };
        assert_eq!(works[&pseudonym(&k, f.id)], want, "family {i}");
    }
    assert!(column(&header, &first, "parents").iter().all(|p| p == "1"));
    assert_names_nobody(&body, &families, "the CSV");
    assert_names_nobody(&body, std::slice::from_ref(&never), "the CSV");

    // The same study again: the same pseudonyms. Another study: none of them.
    let (_, again, _) = csv(&mut researcher, &path).await;
    let mut again = column(&header, &again, "pseudonym");
    again.sort();
    assert_eq!(again, got);
    let (_, other, _) = csv(
        &mut researcher,
        &export_path("csv", other_study, &[n], &from, &to),
    )
    .await;
    let other = column(&header, &other, "pseudonym");
    assert_eq!(other.len(), 9);
    assert!(other.iter().all(|p| !got.contains(p)));

    // A tenth household with consent: now the postcode shows, for all ten.
    families.push(family(&app, &t, n, 9, 40, true).await);
    let (_, ten, _) = csv(&mut researcher, &path).await;
    assert_eq!(ten.len(), 10);
    assert!(
        column(&header, &ten, "postcode4")
            .iter()
            .all(|p| p == "1359")
    );
    // Withdrawn: gone from the next export, and below ten again.
    consent(&app, &t, families[9].id, false).await;
    let (_, nine, _) = csv(&mut researcher, &path).await;
    assert_eq!(nine.len(), 9);
    assert!(!column(&header, &nine, "pseudonym").contains(&pseudonym(&k, families[9].id)));
    assert!(
        column(&header, &nine, "postcode4")
            .iter()
            .all(String::is_empty)
    );

    // The workbook: the same rows, numbers as numbers, a codebook, and nobody named in any
    // cell of any sheet.
    let book = xlsx(
        &mut researcher,
        &export_path("xlsx", study, &[n], &from, &to),
    )
    .await;
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["data", "codebook"]);
    let data = &book[0].1;
    assert_eq!(data.len(), 10, "a header and nine rows");
    let parents = header.iter().position(|h| h == "parents").unwrap();
    assert!(data[1..].iter().all(|r| r[parents] == Data::Float(1.0)));
    let mut all_text = String::new();
    for (_, sheet) in &book {
        for row in sheet {
            for cell in row {
                all_text.push_str(&cell.to_string());
                all_text.push('\n');
            }
        }
    }
    assert_names_nobody(&all_text, &families, "the workbook");
    assert!(!all_text.contains(&key));
    let codebook = &book[1].1;
    assert!(
        codebook
            .iter()
            .any(|r| r[0] == Data::String("parent_birth_year".into())
                && r[3] == Data::String("not recorded".into()))
    );
    assert!(
        codebook
            .iter()
            .any(|r| r[0] == Data::String("postcode4".into()))
    );

    // Every export is in the audit trail with its filter, never with the key.
    let exported = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some(Action::ResearchExported.as_str().into()),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap();
    assert_eq!(exported.len(), 6, "{exported:?}");
    assert!(exported.iter().all(|e| e.actor_role == "researcher"));
    assert!(exported.iter().any(|e| e.detail
        == format!(
            "study=\"Evaluatie 2026\" neighbourhoods={n} from={from} to={to} format=xlsx rows=9"
        )));
    assert!(
        exported
            .iter()
            .any(|e| e.detail.contains("format=csv rows=10"))
    );
    assert!(
        exported
            .iter()
            .any(|e| e.object_id == Some(other_study) && e.detail.contains("Tweede onderzoek"))
    );
    let created = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some(Action::ResearchStudyCreated.as_str().into()),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap();
    assert_eq!(created.len(), 2);
    assert!(created.iter().any(|e| e.object_id == Some(study)));
    let everything = app
        .store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 5000)
        .await
        .unwrap();
    assert!(
        everything
            .iter()
            .all(|e| !e.detail.contains(&key) && !e.detail.contains(&other_key))
    );

    // The whole organisation: the demo's families with research consent, who came this year.
    let (_, demo, body) = csv(&mut researcher, &export_path("csv", study, &[], &from, &to)).await;
    assert!(demo.len() > 9, "{}", demo.len());
    assert!(
        column(&header, &demo, "visits_period")
            .iter()
            .any(|v| v.parse::<u32>().unwrap_or(0) > 0),
        "the demo's year has visits: {body}"
    );
    assert!(
        column(&header, &demo, "first_visit")
            .iter()
            .any(|v| v.len() == 7)
    );
}
on_both!(
    research_export,
    the_export_holds_consenting_households_under_stable_pseudonyms
);

/// Issue #19: the questionnaire scores of a household in the export are those of its first
/// and latest round, as the domain scores them; a household without research consent is not
/// in it, however many rounds it has.
async fn the_export_has_the_questionnaire_scores_of_consenting_households(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let n = neighbourhood(&app, &t, "Vragenlijstwijk").await;
    let twice = family(&app, &t, n, 0, 40, true).await;
    let once = family(&app, &t, n, 1, 40, true).await;
    let without = family(&app, &t, n, 2, 40, false).await;
    let worker = app
        .store
        .account_by_email(&Email::parse(&logins["worker"].email).unwrap())
        .await
        .unwrap()
        .expect("the demo worker");
    // The worker of this neighbourhood enters the rounds from paper.
    let worker_t = Tenant {
        role: Role::Worker,
        neighbourhoods: vec![n],
        ..t.clone()
    };
    let round = |household: Uuid, days_ago: i64, answers: Vec<(&'static str, Option<u8>)>| {
        let worker_t = worker_t.clone();
        let store = app.store.clone();
        async move {
            store
                .start_round(
                    &worker_t,
                    worker.id,
                    household,
                    mtp_domain::questionnaire::EnteredBy::WorkerFromPaper,
                    today() - chrono::Duration::days(days_ago),
                    &answers,
                    crate::referrals::event(worker_t.org_id),
                )
                .await
                .unwrap()
        }
    };
    // First: health poor (4), support 1 + 2 + 2 = 5; latest: health good (2), support
    // 3 + 4 + 4 = 11, and every loneliness item "no": the three social items count, 3.
    round(
        twice.id,
        120,
        vec![
            ("health", Some(4)),
            ("osss1", Some(1)),
            ("osss2", Some(2)),
            ("osss3", Some(2)),
        ],
    )
    .await;
    let mut latest = vec![
        ("health", Some(2)),
        ("osss1", Some(3)),
        ("osss2", Some(4)),
        ("osss3", Some(4)),
    ];
    for k in ["djg1", "djg2", "djg3", "djg4", "djg5", "djg6"] {
        latest.push((k, Some(3)));
    }
    round(twice.id, 10, latest).await;
    round(once.id, 30, vec![("health", Some(3))]).await;
    round(without.id, 30, vec![("health", Some(5))]).await;

    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let (study, key) = make_study(&app, &mut admin, "Vragenlijsten 2026").await;
    let k = StudyKey::from_hex(&key).unwrap();
    let mut researcher = app.client();
    researcher.login(&logins["researcher"]).await;
    let from = format!("{}-01-01", today().year());
    let path = export_path("csv", study, &[n], &from, &today().to_string());
    let (header, rows, body) = csv(&mut researcher, &path).await;
    assert_eq!(rows.len(), 2, "only the two with research consent");
    let of = |id: Uuid, name: &str| {
        let who = column(&header, &rows, "pseudonym");
        let i = who
            .iter()
            .position(|p| *p == pseudonym(&k, id))
            .expect("in the export");
        column(&header, &rows, name)[i].clone()
    };
    assert_eq!(of(twice.id, "questionnaires"), "2");
    assert_eq!(of(twice.id, "health_first"), "4");
    assert_eq!(of(twice.id, "support_first"), "5");
    assert_eq!(
        of(twice.id, "loneliness_first"),
        "",
        "no loneliness item answered"
    );
    assert_eq!(of(twice.id, "health_latest"), "2");
    assert_eq!(of(twice.id, "support_latest"), "11");
    assert_eq!(of(twice.id, "loneliness_latest"), "3");
    assert_eq!(of(once.id, "questionnaires"), "1");
    assert_eq!(of(once.id, "health_first"), "3");
    assert_eq!(of(once.id, "health_latest"), "", "one round is no pair");
    assert!(
        !column(&header, &rows, "pseudonym").contains(&pseudonym(&k, without.id)),
        "rounds do not put a household without research consent in the export"
    );
    assert_names_nobody(&body, &[twice, once, without], "the export");

    // The workbook keeps scores as numbers.
    let book = xlsx(
        &mut researcher,
        &export_path("xlsx", study, &[n], &from, &today().to_string()),
    )
    .await;
    let (_, data) = book
        .iter()
        .find(|(name, _)| name == "data")
        .expect("a data sheet");
    let at = |name: &str| {
        data[0]
            .iter()
            .position(|c| *c == Data::String(name.into()))
            .expect(name)
    };
    let numbers: Vec<&Data> = data[1..].iter().map(|r| &r[at("health_first")]).collect();
    assert!(
        numbers
            .iter()
            .all(|d| matches!(d, Data::Float(_) | Data::Int(_))),
        "{numbers:?}"
    );
    let codebook = book
        .iter()
        .find(|(name, _)| name == "codebook")
        .expect("a codebook");
    assert!(
        codebook
            .1
            .iter()
            .any(|r| r.first() == Some(&Data::String("support_latest".into()))),
        "the codebook explains the score columns"
    );
}
on_both!(
    research_scores,
    the_export_has_the_questionnaire_scores_of_consenting_households
);

/// A further server on the app's database whose workbooks hold at most `max` households, and
/// a client signed in there; the server runs while the returned app lives.
async fn with_workbook_max(
    app: &TestApp,
    login: &crate::helpers::Login,
    max: u32,
) -> (TestApp, Client) {
    let server =
        crate::helpers::spawn_configured(app.database_url.clone(), app.data_dir.clone(), |cfg| {
            cfg.research_workbook_max = max
        })
        .await;
    let mut client = server.client();
    client.login(login).await;
    (server, client)
}

/// A workbook holds at most `MTP_RESEARCH_WORKBOOK_MAX` households: beyond it the form comes
/// back with a message at the neighbourhoods that names the limit, and nothing is recorded;
/// the CSV of the same export streams every household. At the limit the workbook is made.
async fn a_workbook_above_the_limit_is_refused_and_the_csv_is_not(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let n = neighbourhood(&app, &t, "Grenswijk").await;
    for i in 0..3 {
        family(&app, &t, n, 40 + i, 30, true).await;
    }
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let (study, _) = make_study(&app, &mut admin, "Grensonderzoek").await;
    let (from, to) = ("2026-01-01", "2026-03-31");
    let (store, org) = (&app.store, t.org_id);
    let exported = || async move {
        store
            .audit_entries(
                org,
                &mtp_store::AuditFilter {
                    action: Some(Action::ResearchExported.as_str().into()),
                    ..Default::default()
                },
                50,
            )
            .await
            .unwrap()
    };

    // A second server on the same database whose limit is two households.
    let (_small, mut researcher) = with_workbook_max(&app, &logins["researcher"], 2).await;
    let refused = researcher
        .get(&export_path("xlsx", study, &[n], from, to))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Dit zijn meer dan 2 gezinnen."),
        "{}",
        refused.body
    );
    assert!(
        !refused.headers.contains_key("content-disposition"),
        "no file"
    );
    assert!(
        exported().await.is_empty(),
        "a refused export is not recorded"
    );
    let (_, rows, _) = csv(&mut researcher, &export_path("csv", study, &[n], from, to)).await;
    assert_eq!(rows.len(), 3, "the CSV has no limit");
    let after_csv = exported().await;
    assert_eq!(after_csv.len(), 1);
    assert!(after_csv[0].detail.contains("format=csv rows=3"));

    // At the limit: the workbook is made, with its entry.
    let (_exact, mut researcher) = with_workbook_max(&app, &logins["researcher"], 3).await;
    let book = xlsx(&mut researcher, &export_path("xlsx", study, &[n], from, to)).await;
    assert_eq!(book[0].1.len(), 4, "the header and three households");
    assert!(
        exported()
            .await
            .iter()
            .any(|e| e.detail.contains("format=xlsx rows=3"))
    );
}
on_both!(
    research_workbook_limit,
    a_workbook_above_the_limit_is_refused_and_the_csv_is_not
);

async fn an_export_without_consent_is_a_header_and_bad_input_a_field_message(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let empty = neighbourhood(&app, &t, "Lege wijk").await;
    let nobody = family(&app, &t, empty, 30, 24, false).await;
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let (study, _) = make_study(&app, &mut admin, "Leeg onderzoek").await;
    let (header, rows, body) = csv(
        &mut admin,
        &export_path("csv", study, &[empty], "2026-01-01", "2026-03-31"),
    )
    .await;
    assert!(rows.is_empty());
    assert_eq!(header, mtp_domain::research::header());
    assert_eq!(body.lines().count(), 1, "{body}");
    assert_names_nobody(&body, std::slice::from_ref(&nobody), "the empty CSV");
    let book = xlsx(
        &mut admin,
        &export_path("xlsx", study, &[empty], "2026-01-01", "2026-03-31"),
    )
    .await;
    assert_eq!(book[0].1.len(), 1, "only the header row");

    // A second study of the same name: a field message, not a second key.
    let again = admin
        .post("/research/studies", &[("study_name", "Leeg onderzoek")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Er is al een onderzoek met deze naam."));
    assert!(!again.body.contains("id=\"study-key\""));
    let blank = admin
        .post("/research/studies", &[("study_name", " ")])
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("Vul de naam van het onderzoek in."));

    // A neighbourhood of another organisation.
    let lelystad = app.org("Lelystad").await;
    let elsewhere = app
        .store
        .neighbourhoods(&lelystad)
        .await
        .unwrap()
        .first()
        .map(|n| n.id)
        .unwrap();
    let ok = "2026-01-01";
    for (path, message) in [
        (
            export_path("csv", Uuid::now_v7(), &[empty], ok, ok),
            "Kies een onderzoek uit de lijst.",
        ),
        (
            "/research/export.csv?study=nonsense&research_from=2026-01-01&research_to=2026-02-01"
                .to_string(),
            "Kies een onderzoek uit de lijst.",
        ),
        (
            "/research/export.xlsx?research_from=2026-01-01&research_to=2026-02-01".to_string(),
            "Kies een onderzoek.",
        ),
        (
            export_path("csv", study, &[elsewhere], ok, ok),
            "Kies alleen wijken uit de lijst.",
        ),
        (
            export_path("xlsx", study, &[empty], "2026-02-31", ok),
            "Vul de eerste dag in als datum, zoals 2026-01-01.",
        ),
        (
            export_path("csv", study, &[empty], "gisteren", ok),
            "Vul de eerste dag in als datum, zoals 2026-01-01.",
        ),
        (
            export_path("csv", study, &[empty], "2026-03-01", "2026-01-01"),
            "De laatste dag moet op of na de eerste dag liggen.",
        ),
        (
            export_path("csv", study, &[empty], "", ""),
            "Vul de eerste dag van de periode in.",
        ),
    ] {
        let r = admin.get(&path).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(r.body.contains(message), "{path}: {message}");
        assert!(r.body.contains("<title>Fout: "), "{path}");
        assert!(r.body.contains("error-summary"), "{path}");
    }
    // Nothing refused was exported.
    let exported = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some(Action::ResearchExported.as_str().into()),
                ..Default::default()
            },
            50,
        )
        .await
        .unwrap();
    assert_eq!(exported.len(), 2);
    assert!(exported.iter().all(|e| e.detail.ends_with("rows=0")));
}
on_both!(
    research_empty_and_bad_input,
    an_export_without_consent_is_a_header_and_bad_input_a_field_message
);

/// The routes of household data a researcher must never open, filled in.
async fn a_researcher_reaches_research_and_no_household_data(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (rows, _) = app
        .store
        .households(&t, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .unwrap();
    let household = rows[0].id;
    let (activity, session) = app.coffee_hour().await;
    let mut researcher = app.client();
    researcher.login(&logins["researcher"]).await;
    for path in [
        "/households".to_string(),
        format!("/households/{household}"),
        format!("/households/{household}/edit"),
        format!("/households/{household}/export"),
        format!("/households/{household}/export.json"),
        "/households/import".to_string(),
        "/activities".to_string(),
        format!("/activities/{activity}"),
        "/sessions".to_string(),
        format!("/sessions/{session}"),
        format!("/sessions/{session}/checkin"),
        format!("/sessions/{session}/encourage"),
        "/encourage".to_string(),
        "/chat".to_string(),
        "/messages".to_string(),
        "/reminders".to_string(),
        "/audit".to_string(),
        "/admin/accounts".to_string(),
    ] {
        let r = researcher.get(&path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let made = researcher
        .post("/research/studies", &[("study_name", "Van de onderzoeker")])
        .await;
    assert_eq!(made.status, StatusCode::FORBIDDEN);
    assert_eq!(researcher.get("/research").await.status, StatusCode::OK);

    // By the gate's own table: every route with household data is closed to researchers.
    for r in mtp_web::gate::rules() {
        let household_data = [
            "/households",
            "/activities",
            "/sessions",
            "/encourage",
            "/chat",
            "/messages",
            "/reminders",
            "/requests",
            "/ideas",
            "/audit",
            "/admin",
        ]
        .iter()
        .any(|p| r.path.starts_with(p));
        if household_data {
            assert!(
                !mtp_web::gate::allows(Role::Researcher, &r.method, r.path),
                "{} {}",
                r.method,
                r.path
            );
        }
    }
    // And the research page is closed to everyone else who signs in.
    for label in ["coordinator", "worker", "host", "partner"] {
        let mut c = app.client();
        c.login(&logins[label]).await;
        assert_eq!(
            c.get("/research").await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
        assert_eq!(
            c.get("/research/export.csv").await.status,
            StatusCode::FORBIDDEN,
            "{label}"
        );
    }
}
on_both!(
    research_roles,
    a_researcher_reaches_research_and_no_household_data
);

/// The pages in a real browser at phone width: axe-clean, no sideways scrolling, light.
async fn the_research_pages_are_accessible(app: TestApp) {
    use crate::browser::{axe_source, browser, check, fill, submit, title};
    let logins = app.demo().await;
    let src = axe_source();
    let (_driver, c) = browser(360, 740).await;
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    fill(&c, "email", &logins["admin"].email).await;
    fill(&c, "password", &logins["admin"].password).await;
    submit(&c, "/login").await;
    c.goto(&format!("{}/research", app.base)).await.unwrap();
    check(&c, &src, "research without a study").await;
    fill(&c, "study_name", "Evaluatie 2026").await;
    submit(&c, "/research/studies").await;
    check(&c, &src, "the key, once").await;
    c.goto(&format!("{}/research", app.base)).await.unwrap();
    check(&c, &src, "research with a study").await;
    fill(&c, "research_from", "gisteren").await;
    submit(&c, "/research/export.csv").await;
    assert!(title(&c).await.starts_with("Fout: "));
    check(&c, &src, "research with an error").await;
    let _ = c.close().await;
}
on_both!(research_a11y, the_research_pages_are_accessible);

/// More households than one page: the CSV goes on past the page boundary, each household
/// once; the store's first page is full and says where the next starts.
async fn an_export_longer_than_a_page_has_every_household_once(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let n = neighbourhood(&app, &t, "Grote wijk").await;
    let total = usize::try_from(mtp_store::research::PAGE).unwrap() + 3;
    let drafts: Vec<HouseholdDraft> = (0..total)
        .map(|i| HouseholdDraft {
            neighbourhood_id: n,
            kind: HouseholdKind::MultiParent,
            source: Source::Publicity,
            source_partner: None,
            postcode4: Postcode4::parse_optional("1359").unwrap(),
            interests: String::new(),
            talents: String::new(),
            notes: String::new(),
            parents: vec![ParentDraft {
                first_name: PersonName::parse(&format!("Veelouder{i}")).unwrap(),
                last_name: None,
                phone: None,
                email: None,
                channel: Channel::WhatsApp,
                languages: String::new(),
                works: false,
                free_days: vec![],
            }],
            children: vec![],
            data_consent: ConsentMethod::Verbal,
        })
        .collect();
    let ids = app.store.create_households_bulk(&t, &drafts).await.unwrap();
    for id in &ids {
        consent(&app, &t, *id, true).await;
    }
    // Two withdraw: each page leaves them out, and so does the count.
    let mut by_id = ids.clone();
    by_id.sort();
    let (early, late) = (by_id[0], by_id[total - 1]);
    consent(&app, &t, early, false).await;
    consent(&app, &t, late, false).await;
    let counted = everything();
    let first = app
        .store
        .research_page(&t, &[n], None, counted)
        .await
        .unwrap();
    // A page holds only households that take part: the early one's place goes to the next.
    assert_eq!(
        first.households.len(),
        usize::try_from(mtp_store::research::PAGE).unwrap(),
        "a full page"
    );
    assert!(!first.households.iter().any(|h| h.id == early));
    assert!(first.next.is_some());
    let second = app
        .store
        .research_page(&t, &[n], first.next, counted)
        .await
        .unwrap();
    assert_eq!(second.households.len(), 1, "the rest, less the late one");
    assert!(!second.households.iter().any(|h| h.id == late));
    assert_eq!(second.next, None);
    // More than one page: the database counts, by the same rule as the pages.
    let (counts, start) = app.store.research_start(&t, &[n], counted).await.unwrap();
    assert_eq!(
        counts,
        HashMap::from([(n, u32::try_from(total - 2).unwrap())])
    );
    assert_eq!(start.next, first.next);

    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let (study, _) = make_study(&app, &mut admin, "Groot onderzoek").await;
    let (header, rows, _) = csv(
        &mut admin,
        &export_path("csv", study, &[n], "2026-01-01", "2026-03-31"),
    )
    .await;
    assert_eq!(rows.len(), total - 2);
    let mut pseudonyms = column(&header, &rows, "pseudonym");
    pseudonyms.sort();
    pseudonyms.dedup();
    assert_eq!(pseudonyms.len(), total - 2, "every household once");
    assert!(
        column(&header, &rows, "postcode4")
            .iter()
            .all(|p| p == "1359")
    );
}
on_both!(
    research_pages,
    an_export_longer_than_a_page_has_every_household_once
);

/// A draft of `n`'s household with the parents (name, works) and children's births given.
fn facts_draft(
    nb: Uuid,
    n: usize,
    parents: &[(&str, bool)],
    births: &[(i32, u32)],
) -> HouseholdDraft {
    HouseholdDraft {
        neighbourhood_id: nb,
        kind: HouseholdKind::SingleParent,
        source: Source::School,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents: parents
            .iter()
            .map(|(name, works)| ParentDraft {
                first_name: PersonName::parse(&format!("{name}{n}")).unwrap(),
                last_name: None,
                phone: None,
                email: None,
                channel: Channel::WhatsApp,
                languages: String::new(),
                works: *works,
                free_days: vec![],
            })
            .collect(),
        children: births
            .iter()
            .enumerate()
            .map(|(i, (year, month))| ChildDraft {
                first_name: PersonName::parse(&format!("Kind{n}x{i}")).unwrap(),
                birth: ChildBirth {
                    year: *year,
                    month: *month,
                },
            })
            .collect(),
        data_consent: ConsentMethod::Verbal,
    }
}

/// What the export reads of a household's parents and children: how many parents, whether
/// one works, and the births, oldest first.
async fn kept_facts(app: &TestApp, t: &Tenant, nb: Uuid, id: Uuid) -> (u32, bool, Vec<(i32, u32)>) {
    let mut after = None;
    loop {
        let page = app
            .store
            .research_page(t, &[nb], after, everything())
            .await
            .unwrap();
        if let Some(h) = page.households.iter().find(|h| h.id == id) {
            let mut births: Vec<(i32, u32)> =
                h.children.iter().map(|b| (b.year, b.month)).collect();
            births.sort_unstable();
            return (h.parents, h.parent_works, births);
        }
        after = page.next;
        assert!(after.is_some(), "household {id} is not in the export");
    }
}

/// What a household row keeps of its parents and children (`household_facts` in the store)
/// equals a recomputation from the parent and child rows after every write that changes
/// them: the demo, households made one by one and in bulk, a form saved with other parents
/// and children, two households merged and one erased. The export reads what was saved, and
/// a row changed behind the store's back is found.
async fn the_kept_parents_and_children_follow_every_write(app: TestApp) {
    let _ = app.demo().await;
    let t = app.org("Almere").await;
    let none = Vec::<Uuid>::new();
    let drift = || async { app.store.household_facts_drift(t.org_id).await.unwrap() };
    assert_eq!(drift().await, none, "after the demo");
    let nb = neighbourhood(&app, &t, "Grote wijk").await;

    let a = app
        .store
        .create_household(
            &t,
            None,
            &facts_draft(nb, 1, &[("Ouder", false)], &[(2019, 4)]),
            None,
        )
        .await
        .unwrap();
    let b = app
        .store
        .create_household(&t, None, &facts_draft(nb, 2, &[("Ouder", true)], &[]), None)
        .await
        .unwrap();
    consent(&app, &t, a, true).await;
    assert_eq!(drift().await, none, "after two households were made");
    assert_eq!(
        kept_facts(&app, &t, nb, a).await,
        (1, false, vec![(2019, 4)])
    );

    // The form saved: a second parent who works, and another child beside the first.
    let saved = facts_draft(
        nb,
        1,
        &[("Ouder", false), ("Tweede", true)],
        &[(2021, 11), (2019, 4)],
    );
    app.store
        .update_household(
            &t,
            None,
            a,
            &saved,
            crate::reports::event(&t, Action::HouseholdUpdated),
        )
        .await
        .unwrap();
    assert_eq!(drift().await, none, "after the form was saved");
    assert_eq!(
        kept_facts(&app, &t, nb, a).await,
        (2, true, vec![(2019, 4), (2021, 11)])
    );
    // And saved again with one parent who does not work and no children.
    let fewer = facts_draft(nb, 1, &[("Ouder", false)], &[]);
    app.store
        .update_household(
            &t,
            None,
            a,
            &fewer,
            crate::reports::event(&t, Action::HouseholdUpdated),
        )
        .await
        .unwrap();
    assert_eq!(drift().await, none, "after the form was saved with fewer");
    assert_eq!(kept_facts(&app, &t, nb, a).await, (1, false, vec![]));

    // Merged: b's parent (another name) and child come over.
    let with_child = facts_draft(nb, 2, &[("Ouder", true)], &[(2017, 2)]);
    app.store
        .update_household(
            &t,
            None,
            b,
            &with_child,
            crate::reports::event(&t, Action::HouseholdUpdated),
        )
        .await
        .unwrap();
    app.store
        .merge_households(
            &t,
            None,
            a,
            b,
            crate::reports::event(&t, Action::HouseholdMerged),
        )
        .await
        .unwrap();
    assert_eq!(drift().await, none, "after two households were merged");
    assert_eq!(
        kept_facts(&app, &t, nb, a).await,
        (2, true, vec![(2017, 2)])
    );

    let bulk: Vec<HouseholdDraft> = (3..6)
        .map(|n| facts_draft(nb, n, &[("Ouder", n == 4), ("Tweede", false)], &[(2020, 1)]))
        .collect();
    let made = app.store.create_households_bulk(&t, &bulk).await.unwrap();
    assert_eq!(drift().await, none, "after a bulk load");
    // Research consent given, then withdrawn: the latest record decides, and the count too.
    let counted = || async { app.store.research_participants(&t, &[nb]).await.unwrap() };
    let before = counted().await.get(&nb).copied().unwrap_or(0);
    consent(&app, &t, made[0], true).await;
    assert_eq!(drift().await, none, "after consent was given");
    assert_eq!(counted().await.get(&nb).copied(), Some(before + 1));
    consent(&app, &t, made[0], false).await;
    assert_eq!(drift().await, none, "after consent was withdrawn");
    assert_eq!(counted().await.get(&nb).copied().unwrap_or(0), before);

    app.store
        .erase_household(
            &t,
            None,
            a,
            crate::reports::event(&t, Action::HouseholdErased),
        )
        .await
        .unwrap();
    assert_eq!(drift().await, none, "after a household was erased");

    // A row changed behind the store's back is found: the check can fail.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let behind = Query::update()
        .table(Alias::new("household"))
        .value(Alias::new("parent_count"), 7)
        .and_where(Expr::col(Alias::new("id")).eq(made[1]))
        .to_owned();
    assert_eq!(db.execute(&behind).await.unwrap().rows_affected(), 1);
    let _ = db.close().await;
    assert_eq!(drift().await, vec![made[1]]);
}
on_both!(
    research_household_facts,
    the_kept_parents_and_children_follow_every_write
);

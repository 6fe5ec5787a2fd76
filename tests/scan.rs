//! The neighbourhood scan and a new site's start (issue #19, docs/guide/scan.md): the sample
//! CBS files in the real export format import and fill the target-group estimate; a wrong file
//! (missing column, unknown code, wrong format, a bad number) gets a message naming what is
//! wrong and changes nothing; an oversized file is refused before it is read whole; the
//! key-informant log, the action plan and the start-up checklist work for the neighbourhood's
//! coordinator, are read-only for its worker and closed to others; every change is in the
//! audit trail.

use mtp_domain::Tenant;
use mtp_store::AuditFilter;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, Login, Res, TestApp};
use crate::on_both;

const KERN: &[u8] = include_bytes!("fixtures/cbs/85984NED_kerncijfers_2024.csv");
const HOUSEHOLDS: &[u8] = include_bytes!("fixtures/cbs/71487ned_huishoudens_2023.csv");
const PROPERTIES_JSON: &[u8] = include_bytes!("fixtures/cbs/85984NED_dataproperties_2024.json");

async fn signed_in(app: &TestApp, login: &Login) -> Client {
    let mut c = app.client();
    c.login(login).await;
    c
}

/// The upload form as a browser sends it: code, year and the files given.
async fn upload(
    c: &mut Client,
    nb: Uuid,
    code: &str,
    year: &str,
    files: &[(&str, Vec<u8>)],
) -> Res {
    try_upload(c, nb, code, year, files)
        .await
        .expect("the upload is sent")
}

/// As [`upload`]; a transport error is returned: the server may answer an upload over the
/// body limit and close the connection while the client is still sending.
async fn try_upload(
    c: &mut Client,
    nb: Uuid,
    code: &str,
    year: &str,
    files: &[(&str, Vec<u8>)],
) -> Result<Res, reqwest::Error> {
    let mut form = reqwest::multipart::Form::new()
        .text("code", code.to_string())
        .text("year", year.to_string());
    for (name, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(format!("{name}.csv"));
        form = form.part(name.to_string(), part);
    }
    let r = c
        .http
        .post(format!(
            "{}/neighbourhoods/{nb}/scan?_csrf={}",
            c.base, c.csrf
        ))
        .header("connection", "close")
        .multipart(form)
        .send()
        .await?;
    let status = r.status();
    let headers = r.headers().clone();
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Ok(Res {
        status,
        location,
        body: r.text().await.unwrap_or_default(),
        headers,
    })
}

async fn estimate(app: &TestApp, t: &Tenant, nb: Uuid) -> Option<(u32, String)> {
    app.store
        .neighbourhood(t, nb)
        .await
        .unwrap()
        .target_group
        .map(|g| (g.estimate.get(), g.source))
}

async fn entries(app: &TestApp, t: &Tenant, action: &str) -> Vec<mtp_store::AuditEntry> {
    app.store
        .audit_entries(
            t.org_id,
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap()
}

async fn a_sample_file_imports_and_fills_the_target_group_estimate(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    assert_eq!(
        estimate(&app, &t, poort).await,
        Some((310, "CBS 2025".into()))
    );
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let page = c.get(&format!("/neighbourhoods/{poort}/scan")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Wijkscan Almere Poort"), "{}", page.body);
    assert!(page.body.contains("Er zijn nog geen cijfers."));
    // The form starts from the neighbourhood's own code.
    assert!(page.body.contains("value=\"WK003401\""), "{}", page.body);

    let r = upload(
        &mut c,
        poort,
        "WK003401",
        "2024",
        &[
            ("kerncijfers", KERN.to_vec()),
            ("households", HOUSEHOLDS.to_vec()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // 4,600 households with children × Almere's 3,325 / 35,000 = 437.
    assert_eq!(
        estimate(&app, &t, poort).await,
        Some((437, "CBS 2024".into()))
    );
    let page = c.get(&format!("/neighbourhoods/{poort}/scan")).await;
    for shown in [
        "De cijfers zijn ingelezen.",
        "Cijfers van 2024",
        "WK003401 (GM0034)",
        "24.100",
        "9.300",
        "4.600",
        "9,5%",
        "437 (CBS 2024)",
        "€ 29.100",
        "Bron: CBS",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    // Bijstand is "." for Poort in the sample: not known, not 0.
    assert!(page.body.contains("Niet bekend"));
    let imported = entries(&app, &t, "scan.imported").await;
    let e = imported
        .iter()
        .find(|e| e.actor_role == "coordinator")
        .expect("the import is in the audit trail");
    assert_eq!(e.object_id, Some(poort));
    assert!(e.detail.contains("estimate=437"), "{}", e.detail);
    // The import ticked the start-up step "scan done" itself: today, by the coordinator.
    let today = mtp_web::today();
    let steps = app.store.start_steps(&t, poort).await.unwrap();
    assert_eq!(
        steps,
        vec![mtp_store::scan::DoneStep {
            step: mtp_domain::scan::StartStep::ScanDone,
            done_on: Some(today),
            done_by: "Carla Jansen".into(),
        }]
    );
    let start = c.get(&format!("/neighbourhoods/{poort}/start")).await;
    assert!(
        start.body.contains("1 van 7 stappen klaar"),
        "{}",
        start.body
    );
    assert!(start.body.contains("door Carla Jansen"));

    // Without the household table: the figures change, the estimate stays.
    let r = upload(
        &mut c,
        poort,
        "WK003401",
        "2024",
        &[("kerncijfers", KERN.to_vec())],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        estimate(&app, &t, poort).await,
        Some((437, "CBS 2024".into()))
    );
    // The reach report uses it.
    let mut admin = signed_in(&app, &logins["admin"]).await;
    let page = admin.get(&format!("/admin/neighbourhoods/{poort}")).await;
    assert!(page.body.contains("value=\"437\""), "{}", page.body);
    // The second import kept the step as it was: one step, the first date.
    assert_eq!(app.store.start_steps(&t, poort).await.unwrap(), steps);

    // DataProperties in the JSON form CBS open data serves is read too; broken JSON is
    // refused at its field.
    let broken = b"{\"value\": [\n{\"Key\": ".to_vec();
    for (properties, status) in [
        (PROPERTIES_JSON.to_vec(), StatusCode::SEE_OTHER),
        (broken, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let files = [("kerncijfers", KERN.to_vec()), ("properties", properties)];
        let r = upload(&mut c, poort, "WK003401", "2024", &files).await;
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(
            r.body.contains("id=\"properties-error\""),
            status == StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
on_both!(
    sample_imports,
    a_sample_file_imports_and_fills_the_target_group_estimate
);

/// A wrong upload: code, year, files, and the message it must get.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, Vec<u8>)>, &'a str);

async fn a_wrong_file_names_what_is_wrong_and_changes_nothing(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    c.get(&format!("/neighbourhoods/{poort}/scan")).await;
    let text = String::from_utf8_lossy(KERN).to_string();
    // Without the households-with-children column.
    let missing = text.replace("HuishoudensMetKinderen_31", "Iets_31");
    // A number CBS would never write.
    let bad_number = text.replacen(";24100;", ";24k;", 1);
    let bad_code = text.replacen("\"WK003401  \"", "\"onzin     \"", 1);
    let cases: Vec<Case> = vec![
        (
            "WK003401",
            "2024",
            vec![("kerncijfers", missing.into_bytes())],
            "De kolom &#34;Huishoudens met kinderen&#34; staat niet in dit bestand.",
        ),
        (
            "WK099901",
            "2024",
            vec![("kerncijfers", KERN.to_vec())],
            "De code WK099901 staat niet in dit bestand.",
        ),
        (
            "WK003401",
            "2024",
            vec![("kerncijfers", b"PK\x03\x04\x14\x00\x00\x00binary".to_vec())],
            "Dit is geen CSV-bestand.",
        ),
        (
            "WK003401",
            "2024",
            vec![("kerncijfers", bad_number.into_bytes())],
            "Rij 4, kolom &#34;AantalInwoners_5&#34;: &#34;24k&#34; is geen getal.",
        ),
        (
            "WK003401",
            "2024",
            vec![("kerncijfers", bad_code.into_bytes())],
            "Rij 4 heeft geen geldige regiocode: &#34;onzin&#34;.",
        ),
        (
            "WK003401",
            "2024",
            vec![
                ("kerncijfers", KERN.to_vec()),
                (
                    "households",
                    b"RegioS;TotaalEenouderhuishoudensMetKinderen_13\nGM0363;10\n".to_vec(),
                ),
            ],
            "De code GM0034 staat niet in dit bestand.",
        ),
        (
            "GM0034",
            "2024",
            vec![("kerncijfers", KERN.to_vec())],
            "Vul een CBS-code in: WK en 6 cijfers, of BU en 8 cijfers.",
        ),
        (
            "WK003401",
            "2024",
            vec![],
            "Kies het bestand met de kerncijfers.",
        ),
    ];
    for (code, year, files, message) in cases {
        let r = upload(&mut c, poort, code, year, &files).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
        // The form keeps what was typed.
        assert!(r.body.contains(&format!("value=\"{code}\"")));
    }
    // A wrong year is named at its field.
    let r = upload(
        &mut c,
        poort,
        "WK003401",
        "1850",
        &[("kerncijfers", KERN.to_vec())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"year-error\""), "{}", r.body);

    // Nothing changed.
    assert_eq!(
        estimate(&app, &t, poort).await,
        Some((310, "CBS 2025".into()))
    );
    assert!(app.store.scan_figures(&t, poort).await.unwrap().is_none());
    assert!(app.store.start_steps(&t, poort).await.unwrap().is_empty());
    assert!(
        entries(&app, &t, "scan.imported")
            .await
            .iter()
            .all(|e| e.actor_role == "cli"),
        "only the demo's import"
    );
    assert_eq!(entries(&app, &t, "scan.import-refused").await.len(), 9);
}
on_both!(
    wrong_files,
    a_wrong_file_names_what_is_wrong_and_changes_nothing
);

async fn an_oversized_file_is_refused_before_it_is_read_whole(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    c.get(&format!("/neighbourhoods/{poort}/scan")).await;
    // Over the file limit, under the body limit: the handler stops reading at the limit.
    let mut big = KERN.to_vec();
    big.resize(mtp_domain::cbs::MAX_BYTES + 1, b'\n');
    let r = upload(&mut c, poort, "WK003401", "2024", &[("kerncijfers", big)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Dit bestand is te groot."), "{}", r.body);
    // Over the body limit: refused as well, with the same message.
    let huge = vec![b'1'; mtp_web::routes::scan::MAX_UPLOAD + 1];
    if let Ok(r) = try_upload(&mut c, poort, "WK003401", "2024", &[("kerncijfers", huge)]).await {
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY
                || r.status == StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            r.status
        );
    }
    assert!(app.store.scan_figures(&t, poort).await.unwrap().is_none());
    assert_eq!(
        estimate(&app, &t, poort).await,
        Some((310, "CBS 2025".into()))
    );
}
on_both!(
    oversized,
    an_oversized_file_is_refused_before_it_is_read_whole
);

async fn informants_plan_and_checklist_for_the_team(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let school = app
        .store
        .partners(&t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Basisschool De Regenboog")
        .map(|p| p.id)
        .unwrap();
    let mut c = signed_in(&app, &logins["coordinator"]).await;
    let scan = format!("/neighbourhoods/{poort}/scan");
    c.get(&scan).await;

    // A conversation: bad input is named at its field, and nothing is saved.
    let r = c
        .post(
            &format!("{scan}/informants"),
            &[("name", ""), ("held_on", "2099-01-01"), ("sees", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"name-error\""), "{}", r.body);
    assert!(r.body.contains("id=\"held_on-error\""));
    assert!(r.body.contains("id=\"sees-error\""));
    let today = mtp_web::today().format("%Y-%m-%d").to_string();
    let r = c
        .post(
            &format!("{scan}/informants"),
            &[
                ("name", "Intern begeleider"),
                ("organisation", "De Regenboog"),
                ("partner", &school.to_string()),
                ("held_on", &today),
                (
                    "sees",
                    "Moeders die er alleen voor staan, blijven niet hangen.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&scan).await;
    assert!(page.body.contains("Intern begeleider"));
    assert!(page.body.contains(&format!("href=\"/partners/{school}\"")));
    assert!(page.body.contains("blijven niet hangen"));
    // A partner id that is not one of ours.
    let r = c
        .post(
            &format!("{scan}/informants"),
            &[
                ("name", "X"),
                ("partner", &Uuid::now_v7().to_string()),
                ("held_on", &today),
                ("sees", "Y"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"partner-error\""));
    assert_eq!(app.store.informants(&t, poort).await.unwrap().len(), 1);

    // The action plan: edited, then read and printed.
    let plan = format!("/neighbourhoods/{poort}/plan");
    c.get(&format!("{plan}/edit")).await;
    let r = c
        .post(
            &plan,
            &[
                ("goals", "Ouders ontmoeten elkaar.\nMeer rust."),
                ("modules", "Koffie-uurtje"),
                ("location", "De Regenboog"),
                ("partners", "School en JGZ"),
                ("start_on", "2027-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&plan).await;
    for shown in [
        "Plan van aanpak Almere Poort",
        "<p>Ouders ontmoeten elkaar.</p>",
        "<p>Meer rust.</p>",
        "Koffie-uurtje",
        "maandag 1 februari 2027",
        "Druk deze pagina af",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let r = c.post(&plan, &[("start_on", "morgen")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"start_on-error\""));

    // The checklist: tick, see who and when, untick; the list shows the progress.
    let start = format!("/neighbourhoods/{poort}/start");
    let page = c.get(&start).await;
    assert!(page.body.contains("0 van 7 stappen klaar"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"{scan}\"")));
    let r = c.post(&start, &[("step", "scan"), ("done", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(&start).await;
    assert!(page.body.contains("1 van 7 stappen klaar"));
    assert!(page.body.contains("door Carla Jansen"), "{}", page.body);
    let list = c.get("/admin/neighbourhoods").await;
    assert!(list.body.contains("1 van 7"), "{}", list.body);
    let r = c.post(&start, &[("step", "onzin"), ("done", "yes")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.post(&start, &[("step", "scan"), ("done", "no")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.store.start_steps(&t, poort).await.unwrap().is_empty());

    // Every change is in the audit trail.
    for (action, n) in [
        ("scan.informant-added", 1),
        ("scan.plan-saved", 1),
        ("start.step-ticked", 1),
        ("start.step-unticked", 1),
    ] {
        let found = entries(&app, &t, action)
            .await
            .into_iter()
            .filter(|e| e.actor_role == "coordinator")
            .count();
        assert_eq!(found, n, "{action}");
    }

    // The worker of Poort reads, and changes nothing.
    let mut worker = signed_in(&app, &logins["worker"]).await;
    let page = worker.get(&scan).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Intern begeleider"));
    assert!(!page.body.contains("name=\"kerncijfers\""));
    assert!(!page.body.contains("Gesprek opslaan"));
    assert_eq!(worker.get(&plan).await.status, StatusCode::OK);
    assert_eq!(worker.get(&start).await.status, StatusCode::OK);
    let r = worker
        .post(&start, &[("step", "scan"), ("done", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Hosts, partners and researchers: no page at all.
    for who in ["host", "partner", "researcher"] {
        let mut other = signed_in(&app, &logins[who]).await;
        assert_eq!(
            other.get(&scan).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    // Poort's coordinator does not reach Almere Haven; Lelystad's worker not Poort.
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    assert_eq!(
        c.get(&format!("/neighbourhoods/{haven}/scan")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = c
        .post(
            &format!("/neighbourhoods/{haven}/start"),
            &[("step", "scan"), ("done", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut other = signed_in(&app, &logins["other-worker"]).await;
    assert_eq!(other.get(&scan).await.status, StatusCode::NOT_FOUND);
}
on_both!(team, informants_plan_and_checklist_for_the_team);

async fn the_demo_has_a_new_site_half_started(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let buiten = app.neighbourhood(&t, "Almere Buiten").await;
    // 5,200 households with children × 9.5 %.
    assert_eq!(
        estimate(&app, &t, buiten).await,
        Some((494, "CBS 2024".into()))
    );
    assert_eq!(app.store.informants(&t, buiten).await.unwrap().len(), 2);
    let mut admin = signed_in(&app, &logins["admin"]).await;
    let page = admin.get(&format!("/neighbourhoods/{buiten}/start")).await;
    assert!(page.body.contains("4 van 7 stappen klaar"), "{}", page.body);
    let page = admin.get("/admin/neighbourhoods").await;
    assert!(page.body.contains("4 van 7"), "{}", page.body);
    let page = admin.get(&format!("/neighbourhoods/{buiten}/plan")).await;
    assert!(page.body.contains("Basisschool De Sterrenkijker"));
    // A second demo run changes nothing.
    app.demo().await;
    assert_eq!(app.store.informants(&t, buiten).await.unwrap().len(), 2);
    assert_eq!(app.store.start_steps(&t, buiten).await.unwrap().len(), 4);
}
on_both!(demo_site, the_demo_has_a_new_site_half_started);

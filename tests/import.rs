//! Moving today's spreadsheet in: CSV and XLSX, column matching, every row's problems, all or
//! nothing, and garbage files that change nothing.

use reqwest::StatusCode;

use crate::helpers::{Client, Res, TestApp};
use crate::on_both;

pub(crate) async fn upload(c: &mut Client, name: &str, bytes: Vec<u8>) -> Res {
    upload_to(c, name, bytes, None).await
}

/// Upload for one neighbourhood (needed when the account has more than one).
async fn upload_to(
    c: &mut Client,
    name: &str,
    bytes: Vec<u8>,
    neighbourhood: Option<uuid::Uuid>,
) -> Res {
    c.get("/households/import").await;
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let mut form = reqwest::multipart::Form::new().part("file", part);
    if let Some(nb) = neighbourhood {
        form = form.text("neighbourhood", nb.to_string());
    }
    let r = c
        .http
        .post(format!("{}/households/import?_csrf={}", c.base, c.csrf))
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

pub(crate) async fn count(app: &TestApp) -> u64 {
    let all = app.org("Almere").await;
    app.store
        .households(&all, &mtp_store::HouseholdFilter::default(), 1, 0)
        .await
        .map(|(_, n)| n)
        .unwrap_or(0)
}

async fn a_spreadsheet_with_bad_rows_changes_nothing_until_they_are_fixed_or_skipped(app: TestApp) {
    let logins = app.demo().await;
    let before = count(&app).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    // Windows-1252, semicolons, the way Excel on Windows saves "CSV".
    let mut csv: Vec<u8> =
        b"Voornaam;Achternaam;Mobiel;E-mail;Kanaal;Kind 1;Geboren kind 1\r\n".to_vec();
    csv.extend_from_slice(b"Zo\xEB;Baida;06-11112222;;WhatsApp;Noah;03-2019\r\n"); // row 2: good
    csv.extend_from_slice(b"Fatima;;06-123;;WhatsApp;;\r\n"); // row 3: bad phone
    csv.extend_from_slice(b";Jansen;0611113333;;;;\r\n"); // row 4: no first name
    csv.extend_from_slice(b"Priya;Pinas;06-00000001;;;;\r\n"); // row 5: the demo has this number
    csv.extend_from_slice(b"Kim;Bos;+31 6 1111 4444;kim@voorbeeld.nl;postduif;;\r\n"); // row 6: unknown channel
    csv.extend_from_slice(b"Ilse;Bos;;;;;\r\n"); // row 7: no way to reach
    csv.extend_from_slice(b"Joyce;Kramer;0611117777;;=HYPERLINK(\"x\");;\r\n"); // row 8: a formula
    let r = upload(&mut w, "gezinnen.csv", csv).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let columns = w.get(&r.location).await;
    assert!(
        columns.body.contains("Stap 2 van 4") && columns.body.contains("(Zoë, Fatima, Priya)"),
        "{}",
        columns.body
    );
    let id = r
        .location
        .trim_start_matches("/households/import/")
        .trim_end_matches("/columns")
        .to_string();
    // Keep the guessed mapping, as a worker would.
    let r = w
        .post(
            &format!("/households/import/{id}/columns"),
            &[
                ("first_name", "0"),
                ("last_name", "1"),
                ("phone", "2"),
                ("email", "3"),
                ("channel", "4"),
                ("child1_name", "5"),
                ("child1_birth", "6"),
            ],
        )
        .await;
    assert_eq!(r.location, format!("/households/import/{id}/check"));
    let check = w.get(&r.location).await;
    assert!(
        check.body.contains("Rijen gelezen: 7.")
            && check.body.contains("Goed / met een fout: 1/6."),
        "{}",
        check.body
    );
    for msg in [
        "Vul een telefoonnummer in zoals 06-12345678 of 020-1234567.",
        "Vul een voornaam in.",
        "Bestaat al in het systeem.",
        "Onbekende manier.",
        "Er is geen telefoonnummer en geen e-mailadres.",
    ] {
        assert!(check.body.contains(msg), "missing {msg:?}");
    }
    assert!(
        check.body.contains("<td class=\"num\">3</td>"),
        "rows are numbered as in the spreadsheet"
    );
    // Without a decision, nothing happens.
    let r = w.post(&format!("/households/import/{id}/check"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Er zijn rijen met een fout."));
    assert_eq!(count(&app).await, before);
    // The error list is safe to open in Excel.
    let errors = w.get(&format!("/households/import/{id}/errors.csv")).await;
    assert!(
        errors.body.contains("'=HYPERLINK") && !errors.body.contains(";=HYPERLINK"),
        "{}",
        errors.body
    );

    w.get(&format!("/households/import/{id}/check")).await;
    let r = w
        .post(
            &format!("/households/import/{id}/check"),
            &[("only_good", "yes")],
        )
        .await;
    assert_eq!(r.location, format!("/households/import/{id}/confirm"));
    let confirm = w.get(&r.location).await;
    assert!(
        confirm.body.contains("Nieuwe gezinnen: 1."),
        "{}",
        confirm.body
    );
    let r = w
        .post(
            &format!("/households/import/{id}/confirm"),
            &[("consent_method", "paper")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app).await, before, "no consent, no import");
    let r = w
        .post(
            &format!("/households/import/{id}/confirm"),
            &[("consent_data", "yes"), ("consent_method", "paper")],
        )
        .await;
    assert_eq!(r.location, "/households");
    assert!(
        w.get("/households")
            .await
            .body
            .contains("Klaar. Gezinnen geïmporteerd: 1.")
    );
    assert_eq!(count(&app).await, before + 1);
    assert!(
        w.get("/households?q=baida")
            .await
            .body
            .contains("Zoë Baida")
    );
    // A second click does not import twice.
    let r = w
        .post(
            &format!("/households/import/{id}/confirm"),
            &[("consent_data", "yes"), ("consent_method", "paper")],
        )
        .await;
    assert_eq!(r.location, "/households");
    assert_eq!(count(&app).await, before + 1);
}
on_both!(
    csv_with_errors,
    a_spreadsheet_with_bad_rows_changes_nothing_until_they_are_fixed_or_skipped
);

async fn an_excel_file_imports_whole(app: TestApp) {
    let logins = app.demo().await;
    let before = count(&app).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 4]; 3] = [
        ["Naam", "Telefoon", "Soort gezin", "Postcode"],
        ["Amal El Idrissi", "", "eenoudergezin", "1363 AB"],
        ["Tom de Graaf", "", "meeroudergezin", "1361"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let _ = sheet.write_string(r as u32, c as u16, *v);
        }
    }
    // Excel keeps phone numbers as numbers: the leading zero is gone.
    let _ = sheet.write_number(1, 1, 611115555.0);
    let _ = sheet.write_number(2, 1, 611116666.0);
    let bytes = book.save_to_buffer().unwrap();
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let r = upload(&mut w, "gezinnen.xlsx", bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location
        .trim_start_matches("/households/import/")
        .trim_end_matches("/columns")
        .to_string();
    let cols = w.get(&r.location).await;
    assert!(cols.body.contains("(Amal El Idrissi, Tom de Graaf)"));
    w.post(
        &format!("/households/import/{id}/columns"),
        &[
            ("full_name", "0"),
            ("phone", "1"),
            ("kind", "2"),
            ("postcode", "3"),
        ],
    )
    .await;
    let check = w.get(&format!("/households/import/{id}/check")).await;
    assert!(
        check.body.contains("Goed / met een fout: 2/0."),
        "{}",
        check.body
    );
    w.post(&format!("/households/import/{id}/check"), &[]).await;
    w.get(&format!("/households/import/{id}/confirm")).await;
    let r = w
        .post(
            &format!("/households/import/{id}/confirm"),
            &[("consent_data", "yes"), ("consent_method", "verbal")],
        )
        .await;
    assert_eq!(r.location, "/households");
    assert_eq!(count(&app).await, before + 2);
    let list = w.get("/households?q=idrissi").await.body;
    assert!(list.contains("Amal El Idrissi"));
    let list = w.get("/households?q=0611116666").await.body;
    assert!(list.contains("Tom de Graaf") && list.contains("Gezin met twee ouders"));
}
on_both!(xlsx, an_excel_file_imports_whole);

async fn garbage_files_get_a_clear_message_and_change_nothing(app: TestApp) {
    let logins = app.demo().await;
    let before = count(&app).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let mut many = String::from("Voornaam;Telefoon\n");
    for i in 0..100_000 {
        many.push_str(&format!("Ouder{i};\n"));
    }
    for (name, bytes, msg) in [
        ("leeg.csv", Vec::new(), "Het bestand is leeg."),
        (
            "foto.csv",
            vec![0u8, 159, 146, 150, 0, 1, 2, 3],
            "Dit is geen CSV- of Excelbestand.",
        ),
        (
            "kop.csv",
            b"Voornaam;Telefoon\n".to_vec(),
            "Er staan geen gezinnen in het bestand.",
        ),
        (
            "kapot.xlsx",
            b"PK\x03\x04kapot".to_vec(),
            "We kunnen dit bestand niet lezen.",
        ),
        (
            "groot.csv",
            many.into_bytes(),
            "Het bestand heeft 100.000 rijen.",
        ),
    ] {
        let r = upload(&mut w, name, bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.body.contains(msg), "{name}: {msg:?} not in page");
        assert!(r.body.contains("<title>Fout: "), "{name}");
    }
    // An upload without the page's token is refused.
    let part = reqwest::multipart::Part::bytes(b"Voornaam\nSanne\n".to_vec()).file_name("x.csv");
    let r = w
        .http
        .post(format!("{}/households/import", w.base))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, before);
}
on_both!(
    garbage,
    garbage_files_get_a_clear_message_and_change_nothing
);

/// The register is searched only for what the sheet holds (its phone numbers, e-mail
/// addresses and last names), and still finds a family written in other capitals.
async fn families_already_registered_are_found_by_name_and_email_in_any_capitals(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let csv = "Voornaam;Achternaam;Telefoon;E-mail\r\n\
               AYSE;el idrissi;0611110001;\r\n\
               Nieuw;Gezin;;KIM.6@ouders.demo.invalid\r\n\
               Esther;Bakker;0611110002;\r\n\
               Naima;Visser-Smit;0611110003;\r\n";
    let r = upload(&mut w, "dubbel.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location
        .trim_start_matches("/households/import/")
        .trim_end_matches("/columns")
        .to_string();
    w.get(&r.location).await;
    w.post(
        &format!("/households/import/{id}/columns"),
        &[
            ("first_name", "0"),
            ("last_name", "1"),
            ("phone", "2"),
            ("email", "3"),
        ],
    )
    .await;
    let check = w.get(&format!("/households/import/{id}/check")).await.body;
    assert!(
        check.contains("Goed / met een fout: 2/2."),
        "Ayse El Idrissi and kim.6@ are in the demo, Esther Bakker and Naima Visser-Smit are not: {check}"
    );
    assert!(check.contains("<td>ayse el idrissi</td>"), "{check}");
    assert!(
        check.contains("<td>kim.6@ouders.demo.invalid</td>"),
        "{check}"
    );
}
on_both!(
    known_families,
    families_already_registered_are_found_by_name_and_email_in_any_capitals
);

/// The progress script (app.js) sends the wizard's forms itself with `X-Mtp-Progress`; it is
/// told where to go next instead of being redirected, so the next page, and its one-time
/// message, is fetched once, by the browser.
async fn the_progress_script_is_told_the_next_page_instead_of_redirected(app: TestApp) {
    let logins = app.demo().await;
    let before = count(&app).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get("/households/import").await;
    let part = reqwest::multipart::Part::bytes(b"Voornaam;Telefoon\nDemi;0611112222\n".to_vec())
        .file_name("een.csv");
    let r = w
        .http
        .post(format!("{}/households/import?_csrf={}", w.base, w.csrf))
        .header("x-mtp-progress", "1")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let next = r
        .headers()
        .get("x-mtp-location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        next.starts_with("/households/import/") && next.ends_with("/columns"),
        "{next:?}"
    );
    let id = next
        .trim_start_matches("/households/import/")
        .trim_end_matches("/columns")
        .to_string();
    let send = |path: String, fields: Vec<(&'static str, &'static str)>, csrf: String| {
        let mut form = vec![("_csrf", csrf)];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        w.http
            .post(format!("{}{path}", w.base))
            .header("x-mtp-progress", "1")
            .form(&form)
            .send()
    };
    let r = send(
        format!("/households/import/{id}/columns"),
        vec![("first_name", "0"), ("phone", "1")],
        w.csrf.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        r.headers()
            .get("x-mtp-location")
            .and_then(|v| v.to_str().ok()),
        Some(format!("/households/import/{id}/check").as_str())
    );
    // A form with a mistake comes back as the page with its errors, as without the script.
    let r = send(
        format!("/households/import/{id}/confirm"),
        vec![("consent_method", "paper")],
        w.csrf.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers().get("x-mtp-location").is_none());
    let body = r.text().await.unwrap_or_default();
    assert!(
        body.contains("data-progress=\"import-progress\"")
            && body.contains("We importeren de gezinnen (1)."),
        "{body}"
    );
    let r = send(
        format!("/households/import/{id}/confirm"),
        vec![("consent_data", "yes"), ("consent_method", "paper")],
        w.csrf.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        r.headers()
            .get("x-mtp-location")
            .and_then(|v| v.to_str().ok()),
        Some("/households")
    );
    assert_eq!(count(&app).await, before + 1);
    // The one-time message is still there for the page the browser loads next.
    assert!(
        w.get("/households")
            .await
            .body
            .contains("Klaar. Gezinnen geïmporteerd: 1.")
    );
}
on_both!(
    progress_script,
    the_progress_script_is_told_the_next_page_instead_of_redirected
);

/// Upload a sheet, keep the columns (first name, last name, phone) and give the check page.
async fn checked(c: &mut Client, csv: &str, neighbourhood: Option<uuid::Uuid>) -> (String, String) {
    let r = upload_to(c, "wijk.csv", csv.as_bytes().to_vec(), neighbourhood).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location
        .trim_start_matches("/households/import/")
        .trim_end_matches("/columns")
        .to_string();
    c.get(&r.location).await;
    c.post(
        &format!("/households/import/{id}/columns"),
        &[("first_name", "0"), ("last_name", "1"), ("phone", "2")],
    )
    .await;
    let check = c.get(&format!("/households/import/{id}/check")).await.body;
    (id, check)
}

/// Issue #14, finding 4: the duplicate check looks only within the importer's reach. A worker
/// of Almere Poort learns nothing about a family of Almere Haven with the same phone number:
/// the row is new. A coordinator of Poort gets one sentence without any detail, and only
/// that; the administrator, who reaches Haven, sees the duplicate. The import never touches
/// the family of Haven.
async fn the_duplicate_check_stays_within_reach(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let family = crate::activities::family_in(
        &app,
        &t,
        haven,
        &[("Wendelien", Some("06-55501234"))],
        Some("Havenkind"),
    )
    .await;
    // Row 2 matches only the family of Haven; row 3 a family of Poort (the demo's).
    let csv = "Voornaam;Achternaam;Telefoon\r\n\
               Anna;Nieuwkomer;0655501234\r\n\
               Priya;Pinas;06-00000001\r\n";
    let hint = "Misschien staat dit gezin al in een andere wijk.";

    let mut c = app.client();
    c.login(&logins["coordinator"]).await;
    let (_, check) = checked(&mut c, csv, None).await;
    assert!(check.contains("Goed / met een fout: 1/1."), "{check}");
    assert!(
        check.contains(hint),
        "the coordinator hears there may be more: {check}"
    );
    assert!(
        !check.contains("Wendelien") && !check.contains("Haveman") && !check.contains("Haven"),
        "but nothing about whom or where: {check}"
    );

    let mut a = app.client();
    a.login(&logins["admin"]).await;
    let (_, check) = checked(&mut a, csv, Some(poort)).await;
    assert!(
        check.contains("Goed / met een fout: 0/2."),
        "the administrator reaches Haven: a duplicate there is a duplicate: {check}"
    );

    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let (id, check) = checked(&mut w, csv, None).await;
    assert!(
        check.contains("Goed / met een fout: 1/1."),
        "for the worker of Poort, Anna is new: {check}"
    );
    assert!(check.contains("Bestaat al in het systeem."), "{check}");
    assert!(!check.contains(hint), "no hint for a worker: {check}");
    assert!(
        !check.contains("0655501234")
            && !check.contains("06-55501234")
            && !check.contains("55501234"),
        "the number of the family of Haven is not on the page: {check}"
    );
    w.post(
        &format!("/households/import/{id}/check"),
        &[("only_good", "yes")],
    )
    .await;
    w.get(&format!("/households/import/{id}/confirm")).await;
    let r = w
        .post(
            &format!("/households/import/{id}/confirm"),
            &[("consent_data", "yes"), ("consent_method", "paper")],
        )
        .await;
    assert_eq!(r.location, "/households", "{}", r.body);
    let list = w.get("/households?q=0655501234").await.body;
    assert!(
        list.contains("Anna Nieuwkomer") && !list.contains("Wendelien"),
        "a new household of Poort; Haven's stays out of sight: {list}"
    );
    let kept = app.store.household(&t, family).await.unwrap();
    assert_eq!(kept.neighbourhood_id, haven);
    assert_eq!(
        kept.parents
            .iter()
            .map(|p| p.full_name())
            .collect::<Vec<_>>(),
        vec!["Wendelien Haveman".to_string()],
        "the import did not touch the family of Haven"
    );
    assert!(
        kept.events.iter().all(|e| e.kind == "registered"),
        "nothing on its timeline but its registration: {:?}",
        kept.events
    );
}
on_both!(duplicate_reach, the_duplicate_check_stays_within_reach);

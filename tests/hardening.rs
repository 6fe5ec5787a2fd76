//! Hostile input that once took the server down or past a check (issue #14): files that
//! inflate, addresses that leave the site, control characters in text.

use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex};

use mtp_domain::household::Channel;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{SmtpServer, TestApp, spawn_with_mail};
use crate::import::{count, upload};
use crate::on_both;

/// An `.xlsx` package written part by part, so that a test can make one no spreadsheet
/// program would: `sheet_data` is the inside of `<sheetData>`, `extra` adds parts of zeros.
fn package(sheet_data: &str, shared: Option<&str>, extra: &[(&str, usize)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    if let Some(sst) = shared {
        parts.push(("xl/sharedStrings.xml", sst.as_bytes().to_vec()));
    }
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(&body).unwrap();
    }
    for (name, size) in extra {
        z.start_file(*name, opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(size >> 20) {
            z.write_all(&zeros).unwrap();
        }
    }
    z.finish().unwrap().into_inner()
}

async fn a_hostile_spreadsheet_is_refused_and_the_server_stays_up(app: TestApp) {
    let logins = app.demo().await;
    let before = count(&app).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;

    // The 1.5 KB file that made the server allocate ~550 GB and die: a cell in A1 and one in
    // XFD1048576, as a spreadsheet program writes it.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.write_string(0, 0, "Voornaam");
    let _ = sheet.write_string(1_048_575, 16_383, "x");
    let far = book.save_to_buffer().unwrap();
    assert!(far.len() < 8 * 1024, "{} bytes", far.len());
    // A cell a million rows down, in the first column.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.write_string(0, 0, "Voornaam");
    let _ = sheet.write_string(1_048_575, 0, "x");
    let down = book.save_to_buffer().unwrap();
    // A zip bomb: 49 MB of zeros in a part, ~50 KB on disk.
    let bomb = package(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Voornaam</t></is></c></row>"#,
        None,
        &[("xl/media/image1.png", 49 << 20)],
    );
    assert!(bomb.len() < 200 * 1024, "{} bytes", bomb.len());
    // A shared-string table that announces a trillion strings.
    let announced = package(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some(r#"<sst uniqueCount="999999999999"><si><t>Voornaam</t></si></sst>"#),
        &[],
    );

    for (name, bytes, message) in [
        ("ver.xlsx", far, "Het bestand heeft te veel kolommen."),
        ("diep.xlsx", down, "Het bestand heeft 1.048.575 rijen."),
        (
            "bom.xlsx",
            bomb,
            "Er staat meer in het bestand dan we in één keer kunnen lezen.",
        ),
        (
            "veel.xlsx",
            announced,
            "Er staat meer in het bestand dan we in één keer kunnen lezen.",
        ),
    ] {
        let r = upload(&mut w, name, bytes).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
        assert!(
            r.body.contains(message),
            "{name}: {message:?} not in the page"
        );
        assert!(r.body.contains("<title>Fout: "), "{name}");
        let health = w.get("/healthz").await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok\n"),
            "{name}"
        );
    }
    // And a good file still imports after them.
    let good = package(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Voornaam</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Sanne</t></is></c></row>"#,
        None,
        &[],
    );
    let r = upload(&mut w, "goed.xlsx", good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(w.get(&r.location).await.body.contains("Sanne"));
    assert_eq!(count(&app).await, before, "nothing imported yet");
}
on_both!(
    hostile_spreadsheets,
    a_hostile_spreadsheet_is_refused_and_the_server_stays_up
);

async fn the_way_back_never_leaves_the_site(app: TestApp) {
    let mut c = app.client();
    for next in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "/%00",
    ] {
        let r = c.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(
            (r.status, r.location.as_str()),
            (StatusCode::SEE_OTHER, "/"),
            "{next}"
        );
        assert!(
            !r.headers.contains_key("set-cookie")
                || !r
                    .headers
                    .get_all("set-cookie")
                    .iter()
                    .any(|v| v.to_str().unwrap_or("").starts_with("x=")),
            "{next}"
        );
    }
    let r = c.get("/lang/en?next=/households%3Fq%3Dzo%25C3%25AB").await;
    assert_eq!(r.location, "/households?q=zo%C3%AB");
}
on_both!(open_redirect, the_way_back_never_leaves_the_site);

async fn control_characters_in_text_never_give_a_500(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    // PostgreSQL refused a NUL in a search with an error page.
    let r = w.get("/households?q=Dem%00i").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w.get("/households?q=%00%01%1b").await;
    assert_eq!(r.status, StatusCode::OK);
    // A form value arrives cleaned: the family is saved without the NUL and the escape.
    let r = w
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Nu\u{0}ria\u{1b}"),
                ("p0_phone", "06-1234\u{0}5678"),
                ("p0_channel", "whatsapp"),
                ("source", "school"),
                ("notes", "regel een\r\nregel\u{0} twee"),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w.get(&r.location).await;
    assert!(page.body.contains("Nuria"), "{}", page.body);
    assert!(!page.body.contains('\u{0}') && !page.body.contains('\u{1b}'));
    let found = w.get("/households?q=nuria").await;
    assert!(found.body.contains("Nuria"), "{}", found.body);
}
on_both!(
    control_characters,
    control_characters_in_text_never_give_a_500
);

/// Log lines written while the test runs, as the binary writes them (JSON).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

async fn job_payloads(app: &TestApp) -> Vec<(String, String)> {
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT state, payload FROM job",
        ))
        .await
        .unwrap();
    let _ = db.close().await;
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "state").unwrap_or_default(),
                r.try_get::<String>("", "payload").unwrap_or_default(),
            )
        })
        .collect()
}

fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    text.split_once(marker)
        .map(|(_, rest)| {
            rest.split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
        })
        .unwrap_or("")
}

async fn secrets_stay_out_of_the_logs_and_the_mail_queue(app: TestApp) {
    let logs = Captured::default();
    let installed = mtp::logs::install(
        mtp::logs::LogFormat::Json,
        tracing_subscriber::EnvFilter::new("info"),
        logs.clone(),
    );
    assert!(
        installed.is_ok(),
        "this test captures the process's logs: run it with cargo nextest (a process per test)"
    );
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let fam = crate::reminders::family(&app, &t, "Sanne", Channel::Email, "Nederlands").await;
    let smtp = SmtpServer::start().await;
    let _mailer = spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url()).await;

    // The parent asks for a sign-in link; it is e-mailed through the queue.
    let mut phone = app.client();
    phone.get("/portal/login").await;
    phone
        .post("/portal/login", &[("contact", &fam.email)])
        .await;
    let mails = smtp
        .wait_until(30, |m| {
            m.iter()
                .any(|x| String::from_utf8_lossy(x).contains("/portal/link/"))
        })
        .await;
    let mail = mails
        .iter()
        .filter_map(|m| mail_parser::MessageParser::default().parse(m.as_slice()))
        .map(|m| m.body_text(0).unwrap_or_default().to_string())
        .find(|m| m.contains("/portal/link/"))
        .expect("a sign-in mail");
    let link_token = after(&mail, "/portal/link/").to_string();
    let unsubscribe_token = after(&mail, "/unsubscribe/").to_string();
    assert_eq!(link_token.len(), 64, "{mail}");
    assert_eq!(unsubscribe_token.len(), 64, "{mail}");
    // Once sent, the queue keeps no copy of the link.
    let mut payloads = job_payloads(&app).await;
    for _ in 0..50 {
        if payloads
            .iter()
            .all(|(state, _)| state != "waiting" && state != "sending")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        payloads = job_payloads(&app).await;
    }
    assert!(!payloads.is_empty());
    assert!(
        payloads.iter().all(|(_, p)| !p.contains(&link_token)),
        "{payloads:?}"
    );

    // The parent signs in with it, a calendar feed is fetched, the parent unsubscribes.
    phone.get(&format!("/portal/link/{link_token}")).await;
    let signed_in = phone.post(&format!("/portal/link/{link_token}"), &[]).await;
    assert_eq!(signed_in.location, "/portal", "{}", signed_in.body);
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get(&format!("/households/{}", fam.id)).await;
    let page = w
        .post(&format!("/households/{}/calendar", fam.id), &[])
        .await;
    let feed_token = after(&page.body, "/calendar/").to_string();
    assert_eq!(feed_token.len(), 64, "{}", page.body);
    let feed = app
        .client()
        .get(&format!("/calendar/{feed_token}.ics"))
        .await;
    assert_eq!(feed.status, StatusCode::OK);
    let gone = app
        .client()
        .get(&format!("/unsubscribe/{unsubscribe_token}"))
        .await;
    assert_eq!(gone.status, StatusCode::OK);

    // The log names the routes, never the secrets in their paths.
    let text = logs.text();
    for route in [
        "/portal/link/{token}",
        "/calendar/{file}",
        "/unsubscribe/{token}",
    ] {
        assert!(text.contains(route), "{route} not logged: {text}");
    }
    for (what, secret) in [
        ("sign-in link", &link_token),
        ("calendar feed", &feed_token),
        ("unsubscribe", &unsubscribe_token),
    ] {
        assert!(
            !text.contains(secret.as_str()),
            "the {what} token is in the log"
        );
    }
    assert!(
        !text.contains(&fam.email),
        "an e-mail address is in the log"
    );
}
on_both!(
    secrets_in_logs,
    secrets_stay_out_of_the_logs_and_the_mail_queue
);

async fn raw_secrets(database_url: &str) -> Vec<String> {
    let db = sea_orm::Database::connect(database_url).await.unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT value AS v FROM app_secret WHERE name LIKE 'secret:%'",
        "SELECT totp_secret AS v FROM account WHERE totp_secret IS NOT NULL",
    ] {
        for r in db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
        {
            out.push(r.try_get::<String>("", "v").unwrap_or_default());
        }
    }
    let _ = db.close().await;
    out
}

async fn totp_seeds_and_keys_are_sealed_at_rest(app: TestApp) {
    const SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let logins = app.demo().await;
    let admin = app
        .store
        .account_by_email(&mtp_domain::Email::parse(&logins["admin"].email).unwrap())
        .await
        .unwrap()
        .expect("the demo admin");
    app.store
        .set_totp(admin.org_id, admin.id, Some(SEED.into()), true, None)
        .await
        .unwrap();
    // SQLite made its key file on first start, readable by its owner only; PostgreSQL's
    // servers share a key they are given.
    let sqlite = app.database_url.starts_with("sqlite");
    let key = if sqlite {
        use std::os::unix::fs::PermissionsExt;
        let file = app.data_dir.join("secret.key");
        let mode = std::fs::metadata(&file).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
        std::fs::read_to_string(&file).unwrap()
    } else {
        assert!(
            raw_secrets(&app.database_url)
                .await
                .iter()
                .any(|v| v == SEED),
            "without a key the seed is stored as it is"
        );
        mtp_store::sealing::SealKey::generate_hex()
    };
    let mut cfg = mtp::Config::for_tests(app.data_dir.clone(), Some(app.database_url.clone()));
    cfg.secret_key = Some(key);
    let (_stop, rx) = tokio::sync::oneshot::channel::<()>();
    let sealed = mtp::start(&cfg, async move {
        let _ = rx.await;
    })
    .await
    .unwrap();

    // What a copy of the database holds: no seed, no key, only sealed values.
    let raw = raw_secrets(&app.database_url).await;
    assert!(raw.len() >= 2, "{raw:?}");
    assert!(raw.iter().all(|v| v.starts_with("sealed1:")), "{raw:?}");
    assert!(raw.iter().all(|v| !v.contains(SEED)));

    // Signing in with a security code still works through the server with the key.
    let mut c = crate::helpers::Client::new(&format!("http://{}", sealed.addr));
    c.get("/login").await;
    let r = c
        .post(
            "/login",
            &[
                ("email", &logins["admin"].email),
                ("password", &logins["admin"].password),
            ],
        )
        .await;
    assert_eq!(r.location, "/login/code", "{}", r.body);
    c.get("/login/code").await;
    let code = crate::helpers::totp_code(SEED, &logins["admin"].email);
    let r = c.post("/login/code", &[("code", &code)]).await;
    assert_eq!(r.location, "/", "{}", r.body);

    // A server with another key refuses to start, and says why.
    cfg.secret_key = Some(mtp_store::sealing::SealKey::generate_hex());
    let wrong = mtp::start(&cfg, std::future::pending()).await;
    let message = wrong.err().map(|e| format!("{e:#}")).unwrap_or_default();
    assert!(message.contains("MTP_SECRET_KEY"), "{message}");
}
on_both!(sealed_secrets, totp_seeds_and_keys_are_sealed_at_rest);

async fn a_broken_session_form_is_refused_not_called_saved(app: TestApp) {
    let logins = app.demo().await;
    let (_, session) = app.coffee_hour().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get(&format!("/sessions/{session}")).await;
    for (path, fields) in [
        (
            "rsvp",
            vec![("household", "not-a-family"), ("coming", "yes")],
        ),
        ("state", vec![("state", "exploded")]),
        ("staff", vec![("account", "nobody"), ("reply", "yes")]),
    ] {
        let r = w
            .post(&format!("/sessions/{session}/{path}"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        let next = w.get(&format!("/sessions/{session}")).await;
        assert!(
            !next.body.contains("De wijzigingen zijn opgeslagen"),
            "{path}: a broken form was called saved"
        );
    }
}
on_both!(
    broken_session_forms,
    a_broken_session_form_is_refused_not_called_saved
);

async fn a_broken_upload_is_called_unreadable_not_too_big(app: TestApp) {
    let logins = app.demo().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get("/households/import").await;
    // A part whose header holds a NUL: the multipart reader refuses it, and the file is tiny.
    let body = b"--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\0b.csv\"\r\nContent-Type: text/csv\r\n\r\nVoornaam\nSanne\n\r\n--grens--\r\n".to_vec();
    let r = w
        .http
        .post(format!("{}/households/import?_csrf={}", w.base, w.csrf))
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap_or_default();
    assert!(page.contains("We kunnen dit bestand niet lezen."), "{page}");
    assert!(!page.contains("Het bestand is te groot."), "{page}");
}
on_both!(
    broken_upload,
    a_broken_upload_is_called_unreadable_not_too_big
);

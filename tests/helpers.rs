//! `spawn_app()` and an HTTP client that keeps cookies and the page's CSRF token.

use std::path::PathBuf;

use mtp::Config;
use mtp_store::Store;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub database_url: String,
    pub data_dir: PathBuf,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database for one test.
pub async fn fresh_database(backend: Backend) -> Option<(String, PathBuf)> {
    mtp::install_crypto_provider();
    let dir = std::env::temp_dir().join(format!("mtp-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).ok()?;
    match backend {
        Backend::Sqlite => Some((
            format!("sqlite://{}/mtp.sqlite?mode=rwc", dir.display()),
            dir,
        )),
        Backend::Postgres => {
            let url = empty_postgres_database().await?;
            Store::migrate(&url).await.ok()?;
            Some((url, dir))
        }
    }
}

/// A new PostgreSQL database without any table (not even migrated); `None` without
/// `MTP_TEST_POSTGRES_URL`.
pub async fn empty_postgres_database() -> Option<String> {
    mtp::install_crypto_provider();
    let base = std::env::var("MTP_TEST_POSTGRES_URL").ok()?;
    let name = format!("mtp_test_{}", uuid::Uuid::now_v7().simple());
    let admin = Database::connect(&base).await.ok()?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .ok()?;
    let _ = admin.close().await;
    let mut url = url::Url::parse(&base).ok()?;
    url.set_path(&name);
    Some(url.to_string())
}

/// Start the real application on 127.0.0.1:0. `None` when the backend is not configured
/// (PostgreSQL without `MTP_TEST_POSTGRES_URL`).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let (url, dir) = fresh_database(backend).await?;
    Some(spawn_on(url, dir).await)
}

pub async fn spawn_on(url: String, dir: PathBuf) -> TestApp {
    spawn_configured(url, dir, |_| {}).await
}

/// A further app server on the same database, with the test configuration as `change` leaves
/// it.
pub async fn spawn_configured(
    url: String,
    dir: PathBuf,
    change: impl FnOnce(&mut Config),
) -> TestApp {
    let mut cfg = Config::for_tests(dir.clone(), Some(url.clone()));
    change(&mut cfg);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let running = mtp::start(&cfg, async move {
        let _ = rx.await;
    })
    .await
    .expect("the app did not start");
    TestApp {
        base: format!("http://{}", running.addr),
        store: running.store,
        database_url: url,
        data_dir: dir,
        _shutdown: tx,
    }
}

/// Runs a test body on SQLite, and on PostgreSQL when configured.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("SQLite test app did not start");
                super::$body(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                    Some(app) => super::$body(app).await,
                    None => {
                        assert!(
                            std::env::var("MTP_TEST_POSTGRES_URL").is_err(),
                            "MTP_TEST_POSTGRES_URL is set but the PostgreSQL test app did not start"
                        );
                        eprintln!("MTP_TEST_POSTGRES_URL not set: PostgreSQL variant not run");
                    }
                }
            }
        }
    };
}

pub struct Login {
    pub email: String,
    pub password: String,
}

impl TestApp {
    /// Load the demo data and return its logins by label ("admin", "worker", …).
    pub async fn demo(&self) -> std::collections::HashMap<String, Login> {
        mtp::demo::load(&self.store)
            .await
            .expect("demo failed")
            .into_iter()
            .map(|l| {
                (
                    l.label,
                    Login {
                        email: l.email,
                        password: l.password,
                    },
                )
            })
            .collect()
    }

    /// The demo organisation by part of its name, seen as its administrator sees it.
    pub async fn org(&self, name_part: &str) -> mtp_domain::Tenant {
        let org_id = self
            .store
            .organisations()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|o| o.name.contains(name_part))
            .map(|o| o.id)
            .unwrap_or_else(|| panic!("no organisation named like {name_part}"));
        mtp_domain::Tenant {
            org_id,
            role: mtp_domain::Role::Admin,
            neighbourhoods: vec![],
        }
    }

    /// One session of `activity` on `day`, from `from` until `until` (hours, minutes), in
    /// Amsterdam time.
    pub async fn plan_one(
        &self,
        t: &mtp_domain::Tenant,
        activity: uuid::Uuid,
        day: chrono::NaiveDate,
        from: (u32, u32),
        until: (u32, u32),
    ) {
        let time = |(h, m): (u32, u32)| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let slot = mtp_domain::schedule::slot(day, time(from), time(until));
        self.store
            .plan_sessions(t, activity, &[(day, slot)], None)
            .await
            .unwrap();
    }

    /// A neighbourhood of an organisation by name.
    pub async fn neighbourhood(&self, tenant: &mtp_domain::Tenant, name: &str) -> uuid::Uuid {
        self.store
            .neighbourhoods(tenant)
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|n| n.name == name)
            .map(|n| n.id)
            .unwrap_or_else(|| panic!("no neighbourhood {name}"))
    }

    /// A household's portal scope, as a parent who opened a fresh sign-in link gets it.
    pub async fn parent_scope(
        &self,
        t: &mtp_domain::Tenant,
        household: uuid::Uuid,
    ) -> mtp_store::portal::PortalScope {
        let token = self
            .store
            .create_portal_link(t, None, household, None)
            .await
            .unwrap();
        self.store
            .use_portal_link(&token)
            .await
            .unwrap()
            .map(|(_, scope)| scope)
            .expect("the link did not open")
    }

    /// The demo's coffee hour in Almere Poort and its next session.
    pub async fn coffee_hour(&self) -> (uuid::Uuid, uuid::Uuid) {
        let t = self.org("Almere").await;
        let coffee = self
            .store
            .activities(&t)
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|a| a.d.name == "Koffie-uurtje Poort")
            .map(|a| a.id)
            .expect("the demo has a coffee hour");
        let session = self
            .store
            .activity_sessions(&t, coffee, chrono::Utc::now(), 1)
            .await
            .unwrap_or_default()
            .first()
            .map(|s| s.id)
            .expect("the demo plans coffee hours ahead");
        (coffee, session)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

pub struct Res {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

pub fn csrf_in(body: &str) -> Option<String> {
    let i = body.find("name=\"_csrf\" value=\"")?;
    let rest = &body[i + 20..];
    Some(rest[..rest.find('"')?].to_string())
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client::with(base, reqwest::Client::builder())
    }

    /// A client that opens a new connection for every request. For tests whose requests the
    /// server may answer early and then close the connection (a body over a limit): a kept
    /// connection can be closed just as the next request is written into it.
    pub fn without_keep_alive(base: &str) -> Client {
        Client::with(base, reqwest::Client::builder().pool_max_idle_per_host(0))
    }

    fn with(base: &str, builder: reqwest::ClientBuilder) -> Client {
        let http = builder
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Client {
            http,
            base: base.to_string(),
            csrf: String::new(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let res = into_res(r).await;
        if let Some(t) = csrf_in(&res.body) {
            self.csrf = t;
        }
        res
    }

    /// GET a download: the status, the content type and the bytes as sent.
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = r.status();
        let kind = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = r.bytes().await.unwrap_or_default().to_vec();
        (status, kind, bytes)
    }

    /// POST a form with the current CSRF token (fetched from `/login` if none yet).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        if self.csrf.is_empty() {
            self.get("/login").await;
        }
        let mut form: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.post_raw(path, body).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Res {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let res = into_res(r).await;
        if let Some(t) = csrf_in(&res.body) {
            self.csrf = t;
        }
        res
    }

    /// Sign in with e-mail and password; asserts it worked and refreshes the CSRF token.
    pub async fn login(&mut self, l: &Login) {
        self.get("/login").await;
        let r = self
            .post("/login", &[("email", &l.email), ("password", &l.password)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {} failed: {}",
            l.email,
            r.body
        );
        assert_eq!(
            r.location, "/",
            "login of {} went to {}",
            l.email, r.location
        );
        let home = self.get("/").await;
        assert_eq!(
            home.status,
            StatusCode::OK,
            "home after login: {}",
            home.body
        );
    }
}

async fn into_res(r: reqwest::Response) -> Res {
    let status = r.status();
    let headers = r.headers().clone();
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = r.text().await.unwrap_or_default();
    Res {
        status,
        location,
        body,
        headers,
    }
}

/// The current security code for a TOTP secret as shown on the enrolment page.
pub fn totp_code(secret_grouped: &str, email: &str) -> String {
    totp_code_ahead(secret_grouped, email, 0)
}

/// The code of a later time step. The server accepts one step of clock drift, and a code
/// is good once, so a test that signs in right after enrolling uses the next step's code.
pub fn totp_code_ahead(secret_grouped: &str, email: &str, steps: u64) -> String {
    let compact: String = secret_grouped
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    mtp_web::totp::totp(&compact, email)
        .map(|t| t.generate(now + 30 * steps).to_string())
        .unwrap_or_default()
}

/// A real SMTP server for the e-mail tests: Python's aiosmtpd (from PyPI, installed by
/// `scripts/test.sh`) on 127.0.0.1, storing every message it accepts in a maildir. Stopped
/// when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    child: Option<std::process::Child>,
}

/// Whether process `pid` holds the listening socket of 127.0.0.1:`port` (Linux: the socket's
/// inode from /proc/net/tcp among the process's open files).
fn listens(pid: u32, port: u16) -> bool {
    let local = format!("0100007F:{port:04X}");
    let inodes: Vec<String> = std::fs::read_to_string("/proc/net/tcp")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            // local address, state 0A = LISTEN, inode
            (f.get(1) == Some(&local.as_str()) && f.get(3) == Some(&"0A"))
                .then(|| f.get(9).map(|s| format!("socket:[{s}]")))
                .flatten()
        })
        .collect();
    if inodes.is_empty() {
        return false;
    }
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| {
            dir.flatten().any(|fd| {
                std::fs::read_link(fd.path())
                    .map(|target| inodes.iter().any(|i| target.to_string_lossy() == *i))
                    .unwrap_or(false)
            })
        })
        .unwrap_or(false)
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

impl SmtpServer {
    /// Start on a free port. Two tests may be handed the same free port at once; the one
    /// whose aiosmtpd cannot bind it tries another, so no test reads another test's mail.
    pub async fn start() -> SmtpServer {
        for _ in 0..10 {
            if let Some(server) = SmtpServer::try_start_on(free_port()).await {
                return server;
            }
        }
        panic!("aiosmtpd did not start on any of ten free ports");
    }

    /// Start on `port` (e.g. one an app was told about while the server was still down).
    pub async fn start_on(port: u16) -> SmtpServer {
        SmtpServer::try_start_on(port)
            .await
            .unwrap_or_else(|| panic!("aiosmtpd did not listen on port {port}"))
    }

    /// Our aiosmtpd listening on `port`, or `None` when it could not bind it. "Something
    /// answers on the port" is not enough: it may be another test's server.
    async fn try_start_on(port: u16) -> Option<SmtpServer> {
        let maildir =
            std::env::temp_dir().join(format!("mtp-smtp-{}", uuid::Uuid::now_v7().simple()));
        let child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd did not start (pip install aiosmtpd)");
        let pid = child.id();
        let mut server = SmtpServer {
            port,
            maildir,
            child: Some(child),
        };
        for _ in 0..150 {
            let exited = server
                .child
                .as_mut()
                .is_none_or(|c| matches!(c.try_wait(), Ok(Some(_))));
            if exited {
                return None;
            }
            if listens(pid, port) {
                return Some(server);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    }

    pub fn url(&self) -> String {
        smtp_url(self.port)
    }

    /// Every message received so far, as raw RFC 5322 bytes.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(dir) = std::fs::read_dir(self.maildir.join(sub)) else {
                continue;
            };
            let mut files: Vec<_> = dir.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            files.sort();
            out.extend(files.into_iter().filter_map(|f| std::fs::read(f).ok()));
        }
        out
    }

    /// Wait until `pred` holds for the received messages, at most `secs` seconds.
    pub async fn wait_until(&self, secs: u64, pred: impl Fn(&[Vec<u8>]) -> bool) -> Vec<Vec<u8>> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let m = self.messages();
            if pred(&m) || std::time::Instant::now() > deadline {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// A further app server on the same database whose mail queue sends to `smtp_url`.
pub async fn spawn_with_mail(url: String, dir: PathBuf, smtp_url: String) -> TestApp {
    spawn_configured(url, dir, |cfg| {
        cfg.smtp_url = Some(smtp_url);
        cfg.mail_from = Some("Meet the Parents <noreply@mtp.test>".into());
    })
    .await
}

/// The organisation form (`/admin/organisation`) as an administrator sends it: the name,
/// region, two-factor policy and retention as they are set now, plus `changes`. Fields the
/// form leaves out keep what is set.
pub async fn post_org_settings(
    admin: &mut Client,
    org: &mtp_store::Organisation,
    changes: &[(&str, &str)],
) -> Res {
    let months = org.retention_months.to_string();
    let mut fields = vec![
        ("org_name", org.name.as_str()),
        ("holiday_region", org.holiday_region.as_str()),
        ("two_factor", org.two_factor.as_str()),
        ("retention_months", months.as_str()),
    ];
    fields.extend_from_slice(changes);
    admin.post("/admin/organisation", &fields).await
}

impl Client {
    /// Make an activity through the form (`/activities/new`) and return its id from where the
    /// form sends the browser.
    pub async fn new_activity(&mut self, nb: uuid::Uuid, kind: &str, name: &str) -> uuid::Uuid {
        let r = self
            .post(
                "/activities/new",
                &[
                    ("neighbourhood", &nb.to_string()),
                    ("kind", kind),
                    ("name", name),
                    ("place", "Buurthuis"),
                    ("cost", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.location
            .trim_start_matches("/activities/")
            .split(['/', '?', '#'])
            .next()
            .and_then(|s| s.parse().ok())
            .expect("the new activity's page")
    }
}

//! Hostile input on every form (issue #14).
//!
//! The walker takes every POST route from the gate's own table (`mtp_web::gate::rules()`), so
//! a new form is walked without anyone adding it here. For each route it signs in as the
//! least-privileged role the route's rule allows (a parent through a portal link), opens the
//! page that holds the form, takes the fields that form sends with the page's own values (a
//! plausible value where a person must type one), and then sends each field each hostile
//! value while the other fields keep their values, so the request gets past the first check.
//! Then the same with hostile field names, once as the app's own script sends the form
//! (JSON answers), and with the path parameters: real ids from the demo data for the walk, an
//! unknown id and hostile text after it. The set-up form walks on a second, empty
//! installation; the import's upload gets hostile file names and contents (multipart).
//!
//! Nothing may give a 500 or the "something went wrong on our side" page, a page may never
//! hold a hostile value as markup, a form over the gate's limit gets 413, a wrong id is
//! refused (400, 403, 404, 410 or 422), and `/healthz` answers after every route. Saved
//! hostile text comes back escaped (a registration, notes, a parent's idea, a reflection, the
//! set-up's names), and a browser test checks that nothing of it runs in Chromium.
//!
//! Caps (the walk takes about a minute per database in a debug build):
//! - at most [`CAP`] field × value requests per route. A route with more fields than fit
//!   gives each field [`CAP`] / fields values (at least [`MIN_PER_FIELD`]), rotating through
//!   the list so that every value is still sent to some field of the route;
//! - a form without fields of its own (a button) gets the values in one field nobody asked
//!   for, `next` (which some handlers do read);
//! - as the script sends it: every value in the form's first field only;
//! - path parameters: an unknown UUID and [`BAD_SEGMENTS`] per parameter, each once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use axum::http::Method;
use mtp_domain::{Email, NewPassword, PersonName, Role, Tenant};
use mtp_store::NewAccount;
use mtp_web::gate::{Access, Rule, rules};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Backend, Client, Res, TestApp, fresh_database, spawn_on, totp_code};
use crate::on_both;

/// Field × value requests per route, at most.
const CAP: usize = 160;
/// Values per field when a route has too many fields for every value in every field.
const MIN_PER_FIELD: usize = 4;

const XSS_SCRIPT: &str = "<script>alert(1)</script>";
const XSS_ATTRIBUTE: &str = "\"><img src=x onerror=alert(1)>";
/// What may never be in a page: the payloads as markup rather than as text.
const RAW: &[&str] = &["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"];
/// The 500 page's title, in both languages (a form may switch the language).
const SERVER_ERROR: &[&str] = &[
    "Er ging iets mis bij ons",
    "Something went wrong on our side",
];

/// Hostile path segments, already percent-encoded as a browser would send them.
const BAD_SEGMENTS: &[&str] = &[
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "'%20OR%201=1%20--",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%E2%80%AEabc",
    "-1",
    "99999999999999999999999999999999999999",
];

/// How one field of a form is spoiled.
#[derive(Debug, Clone)]
enum How {
    /// This text instead of the page's own value.
    Text(String),
    /// The field twice: the page's own value, then the script payload.
    Twice,
    /// The field 200 times with the page's own value (a list that repeats one item).
    Many,
    /// The field left out.
    Missing,
    /// Bytes that are not UTF-8, written into the body as they are.
    NotUtf8,
}

struct Hostile {
    label: &'static str,
    how: How,
}

fn text(label: &'static str, value: impl Into<String>) -> Hostile {
    Hostile {
        label,
        how: How::Text(value.into()),
    }
}

fn hostile_values() -> Vec<Hostile> {
    vec![
        text("xss-script", XSS_SCRIPT),
        text("xss-attribute", XSS_ATTRIBUTE),
        text("sql-or", "' OR 1=1 --"),
        text("sql-drop", "'); DROP TABLE household; --"),
        text("nul", "Sa\u{0}nne"),
        text("control", "\u{1b}[2J\u{7}\u{8}\u{7f}\u{85}\u{9b}x\r\n\ty"),
        // Larger than the gate takes (64 KiB): refused before a handler sees it.
        text("100-kb", "A".repeat(100 * 1024)),
        // Just under the limit: reaches the handler, past every field's own maximum.
        text("30-kb", "Lang ".repeat(6_000)),
        text("rtl-override", "\u{202e}txt.exe\u{202c} Sanne"),
        text(
            "emoji-combining",
            "👩‍👧‍👦 Zoë Z\u{351}\u{308}\u{301}a\u{300}\u{301}\u{302}lgo 🇳🇱",
        ),
        text("letters", "abc"),
        text("negative", "-1"),
        text("huge", "99999999999999999999999999"),
        text("i64-overflow", "9223372036854775808"),
        text("float", "1e309"),
        text("feb-30", "2026-02-30"),
        text("far-date", "9999-12-31"),
        // The ends of chrono's calendar: date arithmetic past them has no answer.
        text("year-one", "0001-01-01"),
        text("last-date", "262142-12-31"),
        text("bad-time", "25:61"),
        text("midnight-24", "24:00"),
        // Digits that `char::is_numeric` takes and `str::parse` does not.
        text("fullwidth-digits", "１２３４"),
        text("5k-digits", format!("06{}", "1".repeat(5_000))),
        text("not-a-uuid", "00000000-0000-0000-0000-00000000000g"),
        text("unknown-uuid", Uuid::now_v7().to_string()),
        text("empty", ""),
        text("spaces", "   "),
        Hostile {
            label: "twice",
            how: How::Twice,
        },
        Hostile {
            label: "many",
            how: How::Many,
        },
        Hostile {
            label: "missing",
            how: How::Missing,
        },
        Hostile {
            label: "not-utf8",
            how: How::NotUtf8,
        },
    ]
}

// ---------------------------------------------------------------- reading forms

/// A `<form method="post">` of a page: where it posts and what a browser would send.
#[derive(Debug, Clone, Default)]
struct Form {
    action: String,
    /// Name, value and kind (`text`, `date`, `checkbox`, `textarea`, …; a select's kind is
    /// `select:` and its first real choice, what a person picks from a list that starts
    /// with "choose …").
    fields: Vec<(String, String, String)>,
}

/// The value of an HTML attribute, with the entities askama writes decoded.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tag's attributes: name, and value unless it has none (`checked`).
type Attrs = Vec<(String, Option<String>)>;

/// The start tag at the beginning of `s` (which starts with `<`): its name, its attributes
/// and what follows it.
fn start_tag(s: &str) -> Option<(String, Attrs, &str)> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name = s[1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((name, attrs, &s[i + 1..]));
        }
        let start = i;
        while i < b.len() && !b"\t\n\r =>/".contains(&b[i]) {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let key = s[start..i].to_ascii_lowercase();
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let from = i + 1;
                i = from;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                value = Some(decode(&s[from..i.min(b.len())]));
                i += 1;
            } else {
                let from = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = Some(decode(&s[from..i]));
            }
        }
        attrs.push((key, value));
    }
}

fn attr<'a>(attrs: &'a [(String, Option<String>)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_deref().unwrap_or(""))
}

/// The controls inside one form, as a browser submits them: checkboxes as checked (a person
/// could tick them), a radio group and a select with their chosen or first value.
fn controls(inner: &str) -> Vec<(String, String, String)> {
    let mut fields: Vec<(String, String, String)> = Vec::new();
    let mut radios: Vec<(String, String, bool)> = Vec::new();
    let mut select: Option<(String, Vec<(String, bool)>)> = None;
    let mut rest = inner;
    while let Some(i) = rest.find('<') {
        let tail = &rest[i..];
        if tail.starts_with("</select") {
            if let Some((name, options)) = select.take() {
                let chosen = options
                    .iter()
                    .find(|(_, selected)| *selected)
                    .or_else(|| options.first())
                    .map(|(v, _)| v.clone())
                    .unwrap_or_default();
                let first_real = options
                    .iter()
                    .find(|(v, _)| !v.is_empty())
                    .map(|(v, _)| v.as_str())
                    .unwrap_or("");
                fields.push((name, chosen, format!("select:{first_real}")));
            }
            rest = &tail[1..];
            continue;
        }
        if tail.starts_with("</") || tail.starts_with("<!") {
            rest = &tail[1..];
            continue;
        }
        let Some((tag, attrs, after)) = start_tag(tail) else {
            break;
        };
        let name = attr(&attrs, "name").unwrap_or("").to_string();
        let disabled = attr(&attrs, "disabled").is_some();
        match tag.as_str() {
            "input" if !name.is_empty() && !disabled => {
                let kind = attr(&attrs, "type").unwrap_or("text").to_ascii_lowercase();
                let value = attr(&attrs, "value").unwrap_or("").to_string();
                match kind.as_str() {
                    "submit" | "button" | "image" | "reset" | "file" => {}
                    "checkbox" => {
                        let v = if value.is_empty() { "on".into() } else { value };
                        fields.push((name, v, kind));
                    }
                    "radio" => {
                        let checked = attr(&attrs, "checked").is_some();
                        match radios.iter_mut().find(|(n, _, _)| *n == name) {
                            Some(group) if checked && !group.2 => {
                                group.1 = value;
                                group.2 = true;
                            }
                            Some(_) => {}
                            None => radios.push((name, value, checked)),
                        }
                    }
                    _ => fields.push((name, value, kind)),
                }
            }
            "select" if !name.is_empty() && !disabled => select = Some((name, Vec::new())),
            "option" => {
                if let Some((_, options)) = &mut select {
                    let value = match attr(&attrs, "value") {
                        Some(v) => v.to_string(),
                        None => decode(after.split('<').next().unwrap_or("").trim()),
                    };
                    options.push((value, attr(&attrs, "selected").is_some()));
                }
            }
            "textarea" if !name.is_empty() && !disabled => {
                let end = after.find("</textarea>").unwrap_or(after.len());
                fields.push((name, decode(&after[..end]), "textarea".into()));
                rest = &after[end..];
                continue;
            }
            // The button a person presses sends its own name and value.
            "button" if !name.is_empty() && !fields.iter().any(|(n, _, _)| *n == name) => {
                let value = attr(&attrs, "value").unwrap_or("").to_string();
                fields.push((name, value, "button".into()));
            }
            _ => {}
        }
        rest = after;
    }
    fields.extend(
        radios
            .into_iter()
            .map(|(name, value, _)| (name, value, "radio".into())),
    );
    fields
}

fn forms(html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<form") {
        let Some((_, attrs, after)) = start_tag(&rest[i..]) else {
            break;
        };
        let end = after.find("</form>").unwrap_or(after.len());
        if attr(&attrs, "method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
            out.push(Form {
                action: attr(&attrs, "action")
                    .unwrap_or("")
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                fields: controls(&after[..end]),
            });
        }
        rest = &after[end..];
    }
    out
}

/// The fields of every form on the page that posts to `path`: the largest form's, plus the
/// names only the others have (the three "send a link" buttons, the chat's join and leave).
fn fields_for(html: &str, path: &str) -> Option<Vec<(String, String, String)>> {
    let mut matching: Vec<Form> = forms(html)
        .into_iter()
        .filter(|f| f.action == path)
        .collect();
    matching.sort_by_key(|f| std::cmp::Reverse(f.fields.len()));
    let mut it = matching.into_iter();
    let mut fields = it.next()?.fields;
    for other in it {
        for f in other.fields {
            if !fields.iter().any(|(n, _, _)| *n == f.0) {
                fields.push(f);
            }
        }
    }
    Some(fields)
}

/// A value that gets past the first check, for a field the page leaves empty that a person
/// has to fill in; `None` for an optional field, which stays empty as on the page. `{n}`
/// becomes a number of its own in each request (names and addresses that must be unique)
/// and `{d}` a date of its own (a session or a holiday on a day not yet taken).
fn plausible(name: &str, kind: &str) -> Option<String> {
    let n = name.to_ascii_lowercase();
    let text = |s: &str| Some(s.to_string());
    match kind {
        "date" => return text("{d}"),
        "time" => return text("10:00"),
        "email" => return text("vijandig{n}@example.nl"),
        _ => {}
    }
    match n.as_str() {
        "pin" | "pin_again" => text("4826"),
        "code" => text("123456"),
        "contact" => text("0612345678"),
        "from" | "until" | "date" | "first_day" | "last_day" => text("{d}"),
        "start" | "end" => text("10:00"),
        "name" | "display_name" | "org_name" | "neighbourhood_name" | "first_name"
        | "p0_first_name" => text("Sanne {n}"),
        "text" | "idea" | "title" | "place" => text("Sanne {n}"),
        _ if n.contains("email") => text("vijandig{n}@example.nl"),
        _ if n.contains("phone") => text("0612345678"),
        _ if n.contains("password") || kind == "password" => text("een lang wachtwoord 2026"),
        _ => None,
    }
}

/// Field values a route needs that the page alone does not give (a person types or
/// chooses them), so the walk's requests get past the first check. A name ending in `*`
/// stands for every field it starts; `{choose}` is a select's first real choice; `{y}` is
/// next year.
fn overrides(pattern: &str) -> &'static [(&'static str, &'static str)] {
    match pattern {
        // One parent, a single-parent family: a second parent's fields stay empty.
        "/households/new" => &[
            ("kind", "single_parent"),
            ("p1_*", ""),
            ("consent_data", "yes"),
            ("consent_method", "verbal"),
        ],
        "/households/{id}/edit" => &[("p1_*", "")],
        "/activities/{id}/register" => &[("household", "{choose}")],
        // Two fields left empty, so that no single hostile value completes the set-up and
        // every value meets the form's checks (after a set-up the form is gone). The set-up
        // is completed once, with hostile names, after the walk.
        "/setup" => &[("email", ""), ("password", "")],
        // An autumn holiday of its own, next year: inside the weeks autumn holidays fall in.
        "/admin/holidays" => &[
            ("holiday", "autumn"),
            ("first_day", "{y}-10-19"),
            ("last_day", "{y}-10-23"),
        ],
        _ => &[],
    }
}

fn override_for(pattern: &str, name: &str) -> Option<&'static str> {
    overrides(pattern)
        .iter()
        .find(|(k, _)| match k.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => *k == name,
        })
        .map(|(_, v)| *v)
}

/// Fields of forms no GET page shows (the confirm step of a consent comes from a POST).
fn fallback(pattern: &str) -> Vec<(String, String, String)> {
    let pairs: &[(&str, &str)] = match pattern {
        "/portal/consents/{purpose}/confirm" => &[("given", "yes")],
        "/portal/unlock" => &[("pin", "4826")],
        "/unsubscribe/{token}" => &[("List-Unsubscribe", "One-Click")],
        // Read from the handlers: the names the app's forms use most.
        _ => &[
            ("name", "Sanne"),
            ("text", "Sanne"),
            ("note", "Sanne"),
            ("reason", "Sanne"),
            ("date", "{d}"),
            ("email", "vijandig@example.nl"),
            ("password", "een lang wachtwoord 2026"),
            ("code", "123456"),
            ("household", ""),
            ("channel", "whatsapp"),
            ("status", "active"),
            ("next", "/"),
        ],
    };
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string(), "text".to_string()))
        .collect()
}

// ---------------------------------------------------------------- sending

/// Numbers the `{n}` and `{d}` of [`plausible`] values, one per request.
static REQUEST: AtomicI64 = AtomicI64::new(0);

/// A url-encoded body: the page's fields with `field` spoiled as `how` says.
fn body(csrf: &str, base: &[(String, String)], field: &str, how: &How) -> String {
    let n = REQUEST.fetch_add(1, Ordering::Relaxed);
    let day = (chrono::Utc::now() + chrono::Duration::days(9 + n % 300))
        .format("%Y-%m-%d")
        .to_string();
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let base: Vec<(String, String)> = base
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace("{n}", &n.to_string())
                .replace("{d}", &day)
                .replace("{y}", &next_year.to_string());
            (k.clone(), v)
        })
        .collect();
    let mut pairs: Vec<(String, String)> = vec![("_csrf".into(), csrf.into())];
    let mut placed = false;
    for (n, v) in &base {
        if n != field {
            pairs.push((n.clone(), v.clone()));
            continue;
        }
        if placed {
            continue;
        }
        placed = true;
        match how {
            How::Text(h) => pairs.push((n.clone(), h.clone())),
            How::Twice => {
                pairs.push((n.clone(), v.clone()));
                pairs.push((n.clone(), XSS_SCRIPT.into()));
            }
            How::Many => {
                let v = if v.is_empty() { "1" } else { v.as_str() };
                pairs.extend((0..200).map(|_| (n.clone(), v.to_string())));
            }
            How::Missing | How::NotUtf8 => {}
        }
    }
    // A field the page does not have (the generic names, `next` on a button's form).
    if !placed {
        match how {
            How::Text(h) => pairs.push((field.into(), h.clone())),
            How::Twice => {
                pairs.push((field.into(), String::new()));
                pairs.push((field.into(), XSS_SCRIPT.into()));
            }
            How::Many => pairs.extend((0..200).map(|_| (field.to_string(), "1".to_string()))),
            How::Missing | How::NotUtf8 => {}
        }
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    if matches!(how, How::NotUtf8) {
        let name: String = url::form_urlencoded::byte_serialize(field.as_bytes()).collect();
        out.push_str(&format!("&{name}=Sa%FF%FEnne%C3"));
    }
    out
}

/// The gate reads at most this much of a form (`gate::FORM_LIMIT`).
const FORM_LIMIT: usize = 64 * 1024;

/// POST a url-encoded body. A transport error is returned, not a panic: the server answers
/// a body over the gate's limit with 413 before it has read it all, and then closes the
/// connection, which the client may see as an error while it is still sending.
async fn send(c: &mut Client, path: &str, body: String, script: bool) -> Result<Res, String> {
    let mut request = c
        .http
        .post(format!("{}{path}", c.base))
        .header("content-type", "application/x-www-form-urlencoded");
    if script {
        // As the app's own scripts send a form (static/app.js): they ask for JSON, give the
        // token in a header, and the import's steps mark themselves.
        request = request
            .header("accept", "application/json")
            .header("x-csrf-token", c.csrf.clone())
            .header("x-mtp-progress", "1");
    }
    if body.len() > FORM_LIMIT {
        // The server closes this connection after its 413; the client must not put it back
        // in its pool, or the next request is written into a closed socket.
        request = request.header("connection", "close");
    }
    let r = request
        .body(body)
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let res = into(r).await;
    if let Some(t) = crate::helpers::csrf_in(&res.body) {
        c.csrf = t;
    }
    Ok(res)
}

/// What the walk saw: every request counted by route and status, and what went wrong.
#[derive(Default)]
struct Walk {
    /// Whether the route being walked reads fields of its own: then a form over the gate's
    /// limit must be refused with 413. (A button's route may answer before reading it: the
    /// one-click unsubscribe reads no body, a signed-out request is sent to sign in.)
    reads_form: bool,
    requests: usize,
    by_route: BTreeMap<String, BTreeMap<u16, usize>>,
    problems: Vec<String>,
}

impl Walk {
    /// Send one request of the walk and check its answer.
    async fn post(
        &mut self,
        c: &mut Client,
        (pattern, path): (&str, &str),
        what: &str,
        body: String,
        script: bool,
    ) -> Option<StatusCode> {
        let large = body.len() > FORM_LIMIT;
        match send(c, path, body, script).await {
            Ok(res) => {
                self.check(pattern, what, &res);
                if large && self.reads_form && res.status != StatusCode::PAYLOAD_TOO_LARGE {
                    self.problems.push(format!(
                        "{pattern} {what}: a form over the limit got {}",
                        res.status
                    ));
                }
                Some(res.status)
            }
            Err(_) if large => {
                self.count(pattern, 0);
                None
            }
            Err(e) => {
                self.problems
                    .push(format!("{pattern} {what}: no answer: {e}"));
                None
            }
        }
    }

    fn count(&mut self, pattern: &str, status: u16) {
        self.requests += 1;
        *self
            .by_route
            .entry(pattern.to_string())
            .or_default()
            .entry(status)
            .or_default() += 1;
    }

    /// How many requests a route got, and their statuses (`0`: the connection was closed
    /// on a form over the limit).
    fn summary(&self, pattern: &str) -> (usize, String) {
        let Some(m) = self.by_route.get(pattern) else {
            return (0, String::new());
        };
        let statuses: Vec<String> = m.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        (m.values().sum(), statuses.join(" "))
    }

    /// No 500, no error page of ours for a server fault, and no hostile markup in a page.
    fn check(&mut self, pattern: &str, what: &str, res: &Res) {
        self.count(pattern, res.status.as_u16());
        if res.status.is_server_error() {
            self.problems
                .push(format!("{pattern} {what}: status {}", res.status));
        } else if SERVER_ERROR.iter().any(|s| res.body.contains(s)) {
            self.problems
                .push(format!("{pattern} {what}: the server-error page"));
        }
        let html = res
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if html && let Some(raw) = RAW.iter().find(|r| res.body.contains(**r)) {
            self.problems
                .push(format!("{pattern} {what}: {raw} came back unescaped"));
        }
    }

    /// Bad ids are refused as a person would be told: not found, wrong request, not allowed
    /// or (a sign-in link) gone.
    fn check_refused(&mut self, pattern: &str, what: &str, res: &Res) {
        self.check(pattern, what, res);
        let refused = [400, 403, 404, 410, 422];
        if !res.status.is_server_error() && !refused.contains(&res.status.as_u16()) {
            self.problems.push(format!(
                "{pattern} {what}: expected a refusal, got {} {}",
                res.status, res.location
            ));
        }
    }
}

// ---------------------------------------------------------------- who and where

/// The real ids the demo gives each path parameter.
struct Targets {
    neighbourhood: Uuid,
    account: Uuid,
    holiday: Uuid,
    import: Uuid,
    /// A household for most routes, not the parent's (ending portal access must not sign
    /// the walking parent out).
    household: Uuid,
    /// Status and consent change it.
    changing: Uuid,
    erased: Uuid,
    merge_keep: Uuid,
    merge_other: Uuid,
    parent_family: Uuid,
    /// The coffee hour's next two sessions (the parent's activity).
    session: Uuid,
    later_session: Uuid,
    /// Edited and planned: another activity, so the parent's one stays as it is.
    movement: Uuid,
    /// Takes registrations.
    outing: Uuid,
    request: Uuid,
    idea: Uuid,
    follow_up: Uuid,
    /// A demo partner and its contact person; another one that the walk deletes.
    partner: Uuid,
    partner_contact: Uuid,
    partner_deleted: Uuid,
    /// A demo referral waiting for the parent (issue #16).
    referral: Uuid,
    /// The demo's overdue referral to help.
    help_referral: Uuid,
    /// The demo's usable quote.
    quote: Uuid,
    /// A questionnaire round the parent is answering, and one the worker goes through with
    /// the parent (issue #19).
    portal_round: Uuid,
    worker_round: Uuid,
    /// The demo's wish that waits, and its bootcamp course (issue #18).
    wish: Uuid,
    talent: Uuid,
    /// A parent's idea the walk does not hide (the hide route comes first).
    idea_wish: Uuid,
    portal_token: String,
    unsubscribe_token: String,
    /// A working referral address of the demo's partner without an account.
    refer_token: String,
}

fn fill(pattern: &str, t: &Targets) -> String {
    let id = match pattern {
        p if p.starts_with("/admin/neighbourhoods/") => t.neighbourhood,
        p if p.starts_with("/neighbourhoods/") => t.neighbourhood,
        p if p.starts_with("/admin/accounts/") => t.account,
        p if p.starts_with("/admin/holidays/") => t.holiday,
        p if p.starts_with("/households/import/") => t.import,
        "/households/{id}/status" | "/households/{id}/consent" => t.changing,
        "/households/{id}/erase" => t.erased,
        p if p.starts_with("/households/{id}/merge/") => t.merge_keep,
        p if p.starts_with("/households/") => t.household,
        "/activities/{id}/register" | "/activities/{id}/unregister" => t.outing,
        // The outing's own forms (issue #18) are on an outing's page.
        "/activities/{id}/outing"
        | "/activities/{id}/organisers"
        | "/activities/{id}/organisers/remove"
        | "/activities/{id}/rides"
        | "/activities/{id}/rides/remove"
        | "/activities/{id}/checks"
        | "/activities/{id}/checks/set"
        | "/activities/{id}/costs"
        | "/activities/{id}/costs/remove" => t.outing,
        p if p.starts_with("/activities/") => t.movement,
        "/sessions/{id}/state" | "/sessions/{id}/move" => t.later_session,
        p if p.starts_with("/sessions/") || p.starts_with("/portal/sessions/") => t.session,
        p if p.starts_with("/requests/") => t.request,
        "/ideas/{id}/activity" | "/ideas/{id}/theme" => t.idea_wish,
        p if p.starts_with("/ideas/") || p.starts_with("/portal/ideas/") => t.idea,
        p if p.starts_with("/encourage/follow-ups/") => t.follow_up,
        "/partners/{id}/delete" => t.partner_deleted,
        p if p.starts_with("/partners/") => t.partner,
        p if p.starts_with("/referrals/") => t.referral,
        p if p.starts_with("/help-referrals/") => t.help_referral,
        p if p.starts_with("/quotes/") => t.quote,
        p if p.starts_with("/portal/questionnaire/") => t.portal_round,
        p if p.starts_with("/questionnaires/") => t.worker_round,
        p if p.starts_with("/wishes/") => t.wish,
        p if p.starts_with("/talent/") => t.talent,
        _ => Uuid::nil(),
    };
    let token = if pattern.starts_with("/unsubscribe/") {
        &t.unsubscribe_token
    } else if pattern.starts_with("/refer/") {
        &t.refer_token
    } else {
        &t.portal_token
    };
    pattern
        .replace("{id}", &id.to_string())
        .replace("{other}", &t.merge_other.to_string())
        .replace("{contact}", &t.partner_contact.to_string())
        // The language the footer's form offers a Dutch-speaking worker.
        .replace("{lang}", "en")
        .replace("{purpose}", "photos")
        .replace("{token}", token)
}

/// The pages that may hold the form for a route: the same path, the pages above it, and a
/// few the path does not point at.
fn pages(pattern: &str, path: &str, t: &Targets) -> Vec<String> {
    let gets: HashSet<&str> = rules()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| r.path)
        .collect();
    let mut out = Vec::new();
    let (mut pat, mut p) = (pattern.to_string(), path.to_string());
    loop {
        if gets.contains(pat.as_str()) {
            out.push(p.clone());
        }
        match (pat.rfind('/'), p.rfind('/')) {
            (Some(0), _) | (_, Some(0)) => break,
            (Some(a), Some(b)) => {
                pat.truncate(a);
                p.truncate(b);
            }
            _ => break,
        }
    }
    match pattern {
        "/sessions/{id}/walk-in" => out.insert(0, format!("/sessions/{}/checkin", t.session)),
        "/sessions/{id}/staff/reply" => out.push("/sessions".into()),
        "/requests/{id}/done" => out.push(format!("/households/{}", t.household)),
        "/ideas/{id}/hide" => out.push("/activities".into()),
        "/ideas/{id}/activity" | "/ideas/{id}/theme" => out.push("/wishes".into()),
        _ => {}
    }
    if pattern.starts_with("/portal") {
        out.push("/portal".into());
    } else {
        out.push("/".into());
    }
    out
}

/// The least-privileged role a rule allows: the walk sees what that person can send.
fn who(r: &Rule) -> &'static str {
    match r.path {
        // Signed-in staff switch language with a form (visitors with a link).
        "/lang/{lang}" => "worker",
        // Signing out: the last thing the worker does in the walk.
        "/logout" => "worker",
        "/portal/logout" => "parent",
        // A phone of its own: five wrong PINs sign it out.
        "/portal/unlock" => "parent2",
        // Only an account with two-factor sign-in on can turn it off.
        "/account/two-factor/off" => "researcher",
        _ => match r.access {
            Access::Public | Access::Metrics => "anonymous",
            Access::SecondFactor => "pending",
            Access::SignedIn => "partner",
            Access::Parent | Access::ParentAnyLock => "parent",
            Access::Roles(roles) => {
                if roles.contains(&Role::Host) {
                    "host"
                } else if roles.contains(&Role::Worker) {
                    "worker"
                } else if roles.contains(&Role::Coordinator) {
                    "coordinator"
                } else if roles.contains(&Role::Partner) {
                    "partner"
                } else {
                    "admin"
                }
            }
        },
    }
}

/// Routes that change what the rest of the walk needs run late; routes that end a session
/// run last. The sign-in walk runs after everyone has signed in: wrong passwords count
/// against this network address.
fn phase(r: &Rule) -> u8 {
    match r.path {
        "/account/sign-out-everywhere" | "/logout" | "/portal/logout" => 6,
        "/login" => 5,
        "/admin/retention/run"
        | "/households/{id}/erase"
        | "/households/{id}/merge/{other}"
        | "/partners/{id}/delete"
        | "/partners/{id}/contacts/{contact}/remove" => 4,
        _ => match r.access {
            Access::Public | Access::SecondFactor | Access::Parent | Access::ParentAnyLock => 1,
            _ => 2,
        },
    }
}

/// The fields for a route as the form page shows them, with plausible values where the page
/// leaves them empty. `None` when no page shows the form.
async fn harvest(
    c: &mut Client,
    pattern: &str,
    path: &str,
    t: &Targets,
) -> Option<Vec<(String, String)>> {
    let mut found = None;
    for page in pages(pattern, path, t) {
        let res = c.get(&page).await;
        if let Some(fields) = fields_for(&res.body, path) {
            found = Some(fields);
            break;
        }
    }
    let fields = found?;
    Some(complete(pattern, fields))
}

fn complete(pattern: &str, fields: Vec<(String, String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(n, _, _)| n != "_csrf")
        .map(|(n, v, kind)| {
            let v = if let Some(o) = override_for(pattern, &n) {
                match kind.strip_prefix("select:") {
                    Some(first_real) if o == "{choose}" => first_real.to_string(),
                    _ => o.to_string(),
                }
            } else if v.is_empty()
                && !kind.starts_with("select")
                && !matches!(kind.as_str(), "radio" | "hidden")
            {
                plausible(&n, &kind).unwrap_or_default()
            } else {
                v
            };
            (n, v)
        })
        .collect();
    for (k, v) in overrides(pattern) {
        let named = !k.ends_with('*') && !v.starts_with('{');
        if named && !v.is_empty() && !out.iter().any(|(n, _)| n == k) {
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}

/// Which (field, value) pairs a route gets: all of them when they fit in [`CAP`], else a
/// rotating share per field so that every value still reaches some field.
fn plan(fields: &[String], values: usize) -> Vec<(usize, usize)> {
    if fields.len() * values <= CAP {
        return (0..fields.len())
            .flat_map(|f| (0..values).map(move |v| (f, v)))
            .collect();
    }
    let per = (CAP / fields.len().max(1)).max(MIN_PER_FIELD).min(values);
    (0..fields.len())
        .flat_map(|f| (0..per).map(move |j| (f, (f * per + j) % values)))
        .collect()
}

/// Forms that change with each request that goes through (the statuses a household may get
/// next): the walk reads them again after a success.
const CHANGING_FORMS: &[&str] = &["/households/{id}/status"];

/// After a request that may have ended the session, fetch a fresh CSRF token the way the
/// person's next page would give it.
async fn refresh_token(c: &mut Client, pattern: &str) {
    let page = if pattern.starts_with("/portal") {
        "/portal/login"
    } else {
        "/login"
    };
    c.get(page).await;
}

/// Walk one POST route: the page's own form first, then every planned field × value, the
/// hostile field names, then the wrong path parameters.
async fn walk_route(
    c: &mut Client,
    r: &Rule,
    t: &Targets,
    values: &[Hostile],
    walk: &mut Walk,
) -> (usize, bool) {
    let pattern = r.path;
    let path = fill(pattern, t);
    let harvested = harvest(c, pattern, &path, t).await;
    let from_page = harvested.is_some();
    let mut base = harvested.unwrap_or_else(|| complete(pattern, fallback(pattern)));
    let mut names: Vec<String> = Vec::new();
    for (n, _) in &base {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    walk.reads_form = !names.is_empty();
    if names.is_empty() {
        // A button: the values go into a field nobody asked for.
        names.push("next".into());
        base.push(("next".into(), "/".into()));
    }
    let ends_session = phase(r) == 6;
    let baseline = body(&c.csrf, &base, "", &How::Missing);
    let status = walk
        .post(c, (pattern, &path), "as the page sends it", baseline, false)
        .await;
    if CHANGING_FORMS.contains(&pattern)
        && status.is_some_and(|s| s.is_redirection())
        && let Some(fresh) = harvest(c, pattern, &path, t).await
    {
        base = fresh;
    }
    for (f, v) in plan(&names, values.len()) {
        if ends_session {
            refresh_token(c, pattern).await;
        }
        let (field, hostile) = (&names[f], &values[v]);
        let what = format!("{field}={}", hostile.label);
        let sent = body(&c.csrf, &base, field, &hostile.how);
        let status = walk.post(c, (pattern, &path), &what, sent, false).await;
        if CHANGING_FORMS.contains(&pattern)
            && status.is_some_and(|s| s.is_redirection())
            && let Some(fresh) = harvest(c, pattern, &path, t).await
        {
            base = fresh;
        }
    }
    // Hostile field names, with the page's own fields.
    if ends_session {
        refresh_token(c, pattern).await;
    }
    let mut pairs: Vec<(String, String)> = vec![("_csrf".into(), c.csrf.clone())];
    pairs.extend(base.iter().cloned());
    for name in [XSS_SCRIPT, "' OR 1=1 --", "a\u{0}b", &"n".repeat(5_000)] {
        pairs.push((name.to_string(), XSS_ATTRIBUTE.to_string()));
    }
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    walk.post(c, (pattern, &path), "hostile field names", encoded, false)
        .await;

    // The same form as the page's script sends it (some handlers answer a script with JSON):
    // every value in the form's first field.
    for hostile in values {
        if ends_session {
            refresh_token(c, pattern).await;
        }
        let what = format!("{}={} from a script", names[0], hostile.label);
        let sent = body(&c.csrf, &base, &names[0], &hostile.how);
        walk.post(c, (pattern, &path), &what, sent, true).await;
    }

    // Path parameters: an id nobody has, and hostile text, one parameter at a time.
    for param in [
        "{id}",
        "{other}",
        "{contact}",
        "{token}",
        "{purpose}",
        "{lang}",
    ] {
        if !pattern.contains(param) {
            continue;
        }
        let mut bad: Vec<String> = vec![Uuid::now_v7().to_string()];
        bad.extend(BAD_SEGMENTS.iter().map(|s| s.to_string()));
        for segment in bad {
            if ends_session {
                refresh_token(c, pattern).await;
            }
            let wrong = fill(&pattern.replace(param, "\u{1}"), t).replace('\u{1}', &segment);
            let what = format!("{param}={segment}");
            let sent = body(&c.csrf, &base, "", &How::Missing);
            match send(c, &wrong, sent, false).await {
                Ok(res) => walk.check_refused(pattern, &what, &res),
                Err(e) => walk
                    .problems
                    .push(format!("{pattern} {what}: no answer: {e}")),
            }
        }
    }
    (names.len(), from_page)
}

// ---------------------------------------------------------------- the import's upload

/// A multipart upload with this file name and content, and the neighbourhood field.
async fn upload(c: &mut Client, name: &str, bytes: Vec<u8>, nb: Option<&str>) -> Res {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let mut form = reqwest::multipart::Form::new().part("file", part);
    if let Some(nb) = nb {
        form = form.text("neighbourhood", nb.to_string());
    }
    let r = c
        .http
        .post(format!("{}/households/import?_csrf={}", c.base, c.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("upload {name}: {e}"));
    into(r).await
}

async fn into(r: reqwest::Response) -> Res {
    let status = r.status();
    let headers = r.headers().clone();
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Res {
        status,
        location,
        body: r.text().await.unwrap_or_default(),
        headers,
    }
}

/// A CSV a worker might get from a school, with every hostile value in a cell.
fn hostile_csv() -> Vec<u8> {
    let mut csv = String::from(
        "Voornaam;Achternaam;Telefoon;E-mail;Kanaal;Soort gezin;Postcode;Notities\r\n",
    );
    let cells = [
        XSS_SCRIPT,
        XSS_ATTRIBUTE,
        "' OR 1=1 --",
        "'); DROP TABLE household; --",
        "=HYPERLINK(\"http://evil.example\";\"klik\")",
        "\u{202e}txt.exe",
        "👩‍👧‍👦 Zoë Z\u{351}\u{308}a\u{300}",
        "   ",
        "2026-02-30",
        "-1",
    ];
    for (i, cell) in cells.iter().enumerate() {
        let quoted = cell.replace('"', "\"\"");
        csv.push_str(&format!(
            "\"{quoted}\";\"{quoted}\";06-1234567{};\"{quoted}\";\"{quoted}\";\"{quoted}\";\"{quoted}\";\"{quoted}\"\r\n",
            i % 10
        ));
    }
    // And one family the import takes, so the later steps have a row to go on with.
    csv.push_str(
        "Sanne;de Vries;0611122233;sanne.import@example.nl;WhatsApp;eenoudergezin;1359;Via school\r\n",
    );
    csv.into_bytes()
}

/// The upload form with hostile file names, contents and fields. Returns the id of an import
/// made from the hostile CSV, for the steps after the upload.
async fn walk_upload(c: &mut Client, nb: Uuid, walk: &mut Walk) -> Uuid {
    let pattern = "/households/import";
    c.get(pattern).await;
    let long_cell = format!("Voornaam\r\n{}\r\n", "x".repeat(100 * 1024)).into_bytes();
    let wide = format!("{}\r\n", vec!["Kolom"; 1_000].join(";")).into_bytes();
    let mut not_utf8 = b"Voornaam;Notities\r\nSa\xff\xfenne;\xc3\r\n".to_vec();
    not_utf8.extend_from_slice(&[0u8; 16]);
    let contents: Vec<(&str, Vec<u8>)> = vec![
        ("hostile cells", hostile_csv()),
        ("empty", Vec::new()),
        (
            "a NUL in a cell",
            b"Voornaam;Notities\r\nSa\x00nne;x\r\n".to_vec(),
        ),
        (
            "control characters",
            b"Voornaam;Notities\r\nSa\x1bnne;\x07\x08\r\n".to_vec(),
        ),
        ("not utf-8", not_utf8),
        ("utf-16", b"\xff\xfeV\x00o\x00o\x00r\x00".to_vec()),
        ("a 100 KB cell", long_cell),
        ("1,000 columns", wide),
        (
            "a broken zip",
            b"PK\x03\x04\x14\x00\x00\x00garbage".to_vec(),
        ),
        (
            "random bytes",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
    ];
    let names = [
        "gezinnen.csv",
        "gezinnen.xlsx",
        "<script>alert(1)</script>.csv",
        "\"><img src=x onerror=alert(1)>.csv",
        "' OR 1=1 --.csv",
        "../../../etc/passwd",
        "\u{202e}vsc.exe",
        "Sa\u{0}nne.csv",
        "👩‍👧‍👦.xlsx",
        "",
    ];
    let long_name = format!("{}.csv", "n".repeat(5_000));
    let mut import = None;
    // Every content under a plain name and as an .xlsx; every name with the hostile CSV
    // (which is taken, so the name travels on to the next step) and with another content.
    let mut sends: Vec<(String, usize)> = Vec::new();
    for i in 0..contents.len() {
        sends.push(("gezinnen.csv".into(), i));
        sends.push(("gezinnen.xlsx".into(), i));
    }
    for (i, name) in names.iter().chain([&long_name.as_str()]).enumerate() {
        sends.push((name.to_string(), 0));
        sends.push((name.to_string(), i % contents.len()));
    }
    for (name, i) in sends {
        let (label, bytes) = &contents[i];
        let res = upload(c, &name, bytes.clone(), None).await;
        walk.check(pattern, &format!("file {name:?} with {label}"), &res);
        if res.status == StatusCode::SEE_OTHER && res.location.ends_with("/columns") {
            let page = c.get(&res.location).await;
            walk.check(pattern, &format!("columns after {name:?}"), &page);
            if i == 0 && import.is_none() {
                import = res
                    .location
                    .split('/')
                    .nth(3)
                    .and_then(|id| Uuid::parse_str(id).ok());
            }
        }
    }
    // The neighbourhood field (a worker of one neighbourhood may leave it out): hostile
    // values, and the worker's own.
    for v in hostile_values() {
        if let How::Text(value) = &v.how {
            let res = upload(c, "gezinnen.csv", hostile_csv(), Some(value)).await;
            walk.check(pattern, &format!("neighbourhood={}", v.label), &res);
        }
    }
    let res = upload(c, "gezinnen.csv", hostile_csv(), Some(&nb.to_string())).await;
    walk.check(pattern, "neighbourhood of its own", &res);
    // A body that says multipart and is not, and one without the token.
    for (what, content_type, bytes, token) in [
        (
            "garbage body",
            "multipart/form-data; boundary=x",
            b"--x\r\nnot a header\r\n\r\n--y--".to_vec(),
            true,
        ),
        (
            "no boundary",
            "multipart/form-data",
            b"anything".to_vec(),
            true,
        ),
        (
            "no token",
            "multipart/form-data; boundary=x",
            b"--x--\r\n".to_vec(),
            false,
        ),
    ] {
        let url = if token {
            format!("{}{pattern}?_csrf={}", c.base, c.csrf)
        } else {
            format!("{}{pattern}", c.base)
        };
        let r = c
            .http
            .post(url)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let res = into(r).await;
        walk.check(pattern, what, &res);
        if !token {
            assert_eq!(
                res.status,
                StatusCode::FORBIDDEN,
                "an upload without the token"
            );
        }
    }
    import.expect("the hostile CSV was not taken as an import")
}

// ---------------------------------------------------------------- the test

/// The security-code secret shown on the enrolment page.
fn secret_on(body: &str) -> String {
    let i = body
        .find("id=\"totp-secret\">")
        .expect("no secret on the page");
    let rest = &body[i + 17..];
    rest[..rest.find('<').unwrap_or(0)].to_string()
}

/// A parent's phone signed in through a fresh link for the household.
pub(crate) async fn parent_client(app: &TestApp, t: &Tenant, household: Uuid) -> Client {
    let token = app
        .store
        .create_portal_link(t, None, household, None)
        .await
        .unwrap();
    let mut c = Client::without_keep_alive(&app.base);
    c.get(&format!("/portal/link/{token}")).await;
    let res = c.post(&format!("/portal/link/{token}"), &[]).await;
    assert_eq!(res.location, "/portal", "the parent signs in: {}", res.body);
    c.get("/portal").await;
    c
}

async fn targets(app: &TestApp, worker: &mut Client, walk: &mut Walk) -> Targets {
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let (coffee, _) = app.coffee_hour().await;
    let sessions = app
        .store
        .activity_sessions(&t, coffee, chrono::Utc::now(), 2)
        .await
        .unwrap();
    let (session, later_session) = match sessions.as_slice() {
        [a, b, ..] => (a.id, b.id),
        _ => panic!("the demo plans coffee hours ahead"),
    };
    let parent_family = app
        .store
        .session_detail(&t, session)
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.kind == mtp_domain::HouseholdKind::SingleParent)
        .map(|l| l.household_id)
        .expect("the coffee hour expects single-parent families");
    let (rows, _) = app
        .store
        .households(&t, &mtp_store::HouseholdFilter::default(), 500, 0)
        .await
        .unwrap();
    let others: Vec<Uuid> = rows
        .iter()
        .map(|h| h.id)
        .filter(|id| *id != parent_family)
        .collect();
    let [household, changing, erased, merge_keep, merge_other, ..] = others.as_slice() else {
        panic!("the demo has forty households");
    };
    let activities = app.store.activities(&t).await.unwrap();
    let by_name = |name: &str| {
        activities
            .iter()
            .find(|a| a.d.name == name)
            .map(|a| a.id)
            .unwrap_or_else(|| panic!("the demo has {name}"))
    };
    let scope = app.parent_scope(&t, parent_family).await;
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
    // The open request is another family's: the walking parent's own erasure form stays
    // on its page.
    let other_scope = app.parent_scope(&t, *household).await;
    app.store
        .portal_request_erasure(
            &other_scope,
            mtp_web::audit::parent_event(
                &other_scope,
                mtp_domain::audit::Action::PortalErasureRequested,
                "",
            ),
        )
        .await
        .unwrap();
    let request = app
        .store
        .parent_requests(&t, Some(*household))
        .await
        .unwrap()
        .first()
        .map(|r| r.id)
        .expect("the erasure request is open");
    let follow_up = app
        .store
        .open_follow_ups(&t, 1)
        .await
        .unwrap()
        .0
        .first()
        .map(|f| f.id)
        .expect("the demo has an open follow-up task");
    let holiday = app
        .store
        .school_holidays(&t)
        .await
        .unwrap()
        .first()
        .map(|h| h.id)
        .expect("the demo has own school holidays");
    // A throw-away account in Almere Poort that the account routes may change.
    let account = app
        .store
        .create_account(
            &NewAccount {
                org_id: t.org_id,
                email: Email::parse("doelwit@almere.test").unwrap(),
                display_name: PersonName::parse("Doelwit").unwrap(),
                role: Role::Host,
                password: NewPassword::parse("slachtoffer-van-de-test").unwrap(),
                must_change_password: false,
                neighbourhoods: vec![poort],
                partner_org_id: None,
            },
            None,
        )
        .await
        .unwrap();
    let unsubscribe_token = app
        .store
        .unsubscribe_url(&t, *household, "")
        .await
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let portal_token = app
        .store
        .create_portal_link(&t, None, parent_family, None)
        .await
        .unwrap();
    let import = walk_upload(worker, poort, walk).await;
    let partners = app
        .store
        .partners(&t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap();
    let partner_named = |name: &str| {
        partners
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id)
            .unwrap_or_else(|| panic!("the demo has partner {name}"))
    };
    let partner = partner_named("Basisschool De Regenboog");
    let partner_contact = app.store.partner(&t, partner).await.unwrap().contacts[0].id;
    let referral = app
        .store
        .team_referrals(&t)
        .await
        .unwrap()
        .first()
        .map(|r| r.id)
        .expect("the demo has a referral waiting for the parent");
    let (referrals, _) = app.store.help_referral_tasks(&t, 1).await.unwrap();
    let help_referral = referrals
        .first()
        .map(|r| r.id)
        .expect("the demo has an open referral to help");
    let quote = app
        .store
        .usable_quotes(&t)
        .await
        .unwrap()
        .first()
        .map(|q| q.id)
        .expect("the demo has a usable quote");
    let jgz = partner_named("JGZ Almere Poort");
    let refer_token = app
        .store
        .make_referral_address(&t, jgz, crate::referrals::event(t.org_id))
        .await
        .unwrap();
    let scope = app.parent_scope(&t, parent_family).await;
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
        .unwrap();
    let poort_worker = app
        .store
        .accounts(t.org_id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Worker && a.neighbourhoods.contains(&poort))
        .expect("the demo has a Poort worker");
    let worker_round = app
        .store
        .start_round(
            &Tenant {
                org_id: t.org_id,
                role: Role::Worker,
                neighbourhoods: vec![poort],
            },
            poort_worker.id,
            parent_family,
            mtp_domain::questionnaire::EnteredBy::WorkerWithParent,
            chrono::Utc::now().date_naive(),
            &[],
            crate::referrals::event(t.org_id),
        )
        .await
        .unwrap();
    let wish = app
        .store
        .wishes(&t, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.title == "Kinderen en sociale media")
        .map(|w| w.id)
        .expect("the demo has a wish that waits");
    let talent = app
        .store
        .talents(&t, poort)
        .await
        .unwrap()
        .first()
        .map(|x| x.id)
        .expect("the demo has a bootcamp course");
    let idea_wish = app
        .store
        .wishes(&t, poort)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.title == "Omgaan met geldzorgen")
        .map(|w| w.id)
        .expect("the demo has the parents' money idea");
    Targets {
        portal_round,
        worker_round,
        idea_wish,
        wish,
        talent,
        refer_token,
        quote,
        help_referral,
        partner,
        partner_contact,
        partner_deleted: partner_named("Schuldhulp Almere"),
        referral,
        neighbourhood: poort,
        account,
        holiday,
        import,
        household: *household,
        changing: *changing,
        erased: *erased,
        merge_keep: *merge_keep,
        merge_other: *merge_other,
        parent_family,
        session,
        later_session,
        movement: by_name("Samen bewegen"),
        outing: by_name("Uitje naar de kinderboerderij"),
        request,
        idea,
        follow_up,
        portal_token,
        unsubscribe_token,
    }
}

/// `text` as an HTML escaper writes it: with named entities (`&lt;`), or with the numeric
/// ones askama 0.16 uses (`&#60;`). Either is text in a browser, never markup.
fn escaped(text: &str) -> [String; 2] {
    let named = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let numeric = text
        .replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;");
    [named, numeric]
}

fn assert_escaped(page: &Res, what: &str, text: &str) {
    assert_eq!(page.status, StatusCode::OK, "{what}: {}", page.body);
    assert!(
        escaped(text).iter().any(|e| page.body.contains(e.as_str())),
        "{what}: {text} is not in the page as text"
    );
    for raw in RAW {
        assert!(!page.body.contains(raw), "{what}: {raw} is in the page");
    }
}

/// Saved hostile text comes back as text: a registration, a contact note, a parent's idea.
async fn saved_text_comes_back_escaped(worker: &mut Client, parent: &mut Client, t: &Targets) {
    let script = XSS_SCRIPT;
    // The registration: a name and a note, each with its own payload.
    let page = worker.get("/households/new").await;
    let fields =
        fields_for(&page.body, "/households/new").expect("the registration form is on its page");
    let mut base = complete("/households/new", fields);
    for (n, v) in base.iter_mut() {
        match n.as_str() {
            "p0_first_name" => *v = XSS_SCRIPT.into(),
            "notes" => *v = format!("Komt via school {XSS_ATTRIBUTE}"),
            _ => {}
        }
    }
    let res = worker
        .post_raw(
            "/households/new",
            body(&worker.csrf, &base, "", &How::Missing),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "registered: {}",
        res.body
    );
    let household = worker.get(&res.location).await;
    assert_escaped(&household, "the household page", script);
    assert_escaped(&household, "the note on the household page", XSS_ATTRIBUTE);
    let list = worker.get("/households?q=%3Cscript%3Ealert").await;
    assert_escaped(&list, "the household list", script);

    // A contact note on the session's encouragement page.
    let path = format!("/sessions/{}/encourage/contact", t.session);
    let page = worker
        .get(&format!("/sessions/{}/encourage", t.session))
        .await;
    // A card is short until it is opened (docs/ui.md §3.6): open the first, as its
    // "Vastleggen" link does without a script, and write about that family.
    let open = page
        .body
        .split("/encourage?open=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .expect("a card to open")
        .to_string();
    let page = worker
        .get(&format!("/sessions/{}/encourage?open={open}", t.session))
        .await;
    let fields = fields_for(&page.body, &path).expect("the contact form is on its page");
    let mut base = complete(&path, fields);
    for (n, v) in base.iter_mut() {
        match n.as_str() {
            "household" => v.clone_from(&open),
            "note" => *v = format!("{XSS_SCRIPT} {XSS_ATTRIBUTE}"),
            // "Needs help" with a follow-up puts the note on the task list as well; the
            // list shows the earliest few, so an overdue date puts it first.
            "outcome" => *v = "needs_help".into(),
            "follow_up" => *v = "2020-01-01".into(),
            _ => {}
        }
    }
    let res = worker
        .post_raw(&path, body(&worker.csrf, &base, "", &How::Missing))
        .await;
    assert!(res.status.is_redirection(), "contact saved: {}", res.body);
    let page = worker
        .get(&format!("/sessions/{}/encourage", t.session))
        .await;
    assert_escaped(&page, "the encouragement card", script);
    let page = worker.get("/encourage").await;
    assert_escaped(&page, "the follow-up task with its note", script);

    // A parent's idea, on the parent's page and on the worker's.
    let res = parent
        .post(
            "/portal/ideas",
            &[("kind", "outing"), ("idea", &format!("Uitje {XSS_SCRIPT}"))],
        )
        .await;
    assert!(res.status.is_redirection(), "idea saved: {}", res.body);
    let page = parent.get("/portal/ideas").await;
    assert_escaped(&page, "the parent's ideas", script);
    let page = worker.get("/activities").await;
    assert_escaped(&page, "the wishes of parents", script);

    // The worker's own reflection (issue #19): its note on the list of earlier ones.
    let mut fields: Vec<(String, String)> = mtp_domain::reflection::COMPETENCIES
        .iter()
        .map(|c| (mtp_domain::reflection::field(c), "good".to_string()))
        .collect();
    fields.push(("note".into(), format!("{XSS_SCRIPT} {XSS_ATTRIBUTE}")));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = worker.post("/help/reflection", &pairs).await;
    assert!(
        res.status.is_redirection(),
        "reflection saved: {}",
        res.body
    );
    let page = worker.get("/help/reflection").await;
    assert_escaped(&page, "the note of a reflection", script);
}

async fn every_form_survives_hostile_input(app: TestApp) {
    let started = Instant::now();
    let backend = if app.database_url.starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    // The set-up form walks on an installation that still needs it.
    let mut walk = Walk::default();
    let values = hostile_values();
    let setup = rules()
        .into_iter()
        .find(|r| r.path == "/setup" && r.method == Method::POST)
        .expect("the gate has POST /setup");
    {
        let (url, dir) = fresh_database(backend).await.expect("a second database");
        let fresh = spawn_on(url, dir).await;
        let mut c = fresh.client();
        let t = no_targets();
        let (fields, from_page) = walk_route(&mut c, &setup, &t, &values, &mut walk).await;
        assert!(from_page && fields >= 5, "the set-up form has its fields");
        // Once through with hostile names: they are saved, and shown as text.
        c.get("/setup").await;
        let res = c
            .post(
                "/setup",
                &[
                    ("org_name", XSS_SCRIPT),
                    ("holiday_region", "noord"),
                    ("neighbourhood_name", "' OR 1=1 --"),
                    ("cbs_code", ""),
                    ("display_name", XSS_ATTRIBUTE),
                    ("email", "beheer@hostile.test"),
                    ("password", "een lang wachtwoord 2026"),
                ],
            )
            .await;
        assert!(res.status.is_redirection(), "set up: {}", res.body);
        c.login(&crate::helpers::Login {
            email: "beheer@hostile.test".into(),
            password: "een lang wachtwoord 2026".into(),
        })
        .await;
        let page = c.get("/admin/organisation").await;
        assert_escaped(&page, "the organisation's name", XSS_SCRIPT);
        let page = c.get("/admin/neighbourhoods").await;
        assert_escaped(&page, "the neighbourhood's name", "' OR 1=1 --");
    }

    let logins = app.demo().await;
    let t = app.org("Almere").await;
    // Everyone signs in before the sign-in form gets its wrong passwords.
    let mut clients: HashMap<&str, Client> = HashMap::new();
    for label in [
        "admin",
        "coordinator",
        "worker",
        "host",
        "partner",
        "researcher",
    ] {
        let mut c = Client::without_keep_alive(&app.base);
        c.login(&logins[label]).await;
        clients.insert(label, c);
    }
    // Two-factor sign-in on for the researcher: one phone to turn it off, one halfway.
    let r = &logins["researcher"];
    if let Some(c) = clients.get_mut("researcher") {
        let page = c.get("/account/two-factor").await;
        let secret = secret_on(&page.body);
        let res = c
            .post(
                "/account/two-factor",
                &[("code", &totp_code(&secret, &r.email))],
            )
            .await;
        assert_eq!(res.location, "/", "two-factor on: {}", res.body);
    }
    let mut pending = Client::without_keep_alive(&app.base);
    pending.get("/login").await;
    let res = pending
        .post("/login", &[("email", &r.email), ("password", &r.password)])
        .await;
    assert_eq!(res.location, "/login/code", "{}", res.body);
    clients.insert("pending", pending);
    clients.insert("anonymous", Client::without_keep_alive(&app.base));

    let mut worker = clients.remove("worker").expect("the worker is signed in");
    let targets = targets(&app, &mut worker, &mut walk).await;
    let mut parent = parent_client(&app, &t, targets.parent_family).await;
    saved_text_comes_back_escaped(&mut worker, &mut parent, &targets).await;
    clients.insert("worker", worker);
    clients.insert("parent", parent);
    clients.insert(
        "parent2",
        parent_client(&app, &t, targets.parent_family).await,
    );

    let mut table: Vec<Rule> = rules()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path != "/setup")
        .collect();
    table.sort_by_key(phase);
    let mut lines = vec![format!(
        "{:<45} {:>6} {:>6}  statuses",
        "route", "fields", "sent"
    )];
    let mut routes = 1; // the set-up form, above
    let (sent, statuses) = walk.summary("/setup");
    lines.push(format!(
        "{:<45} {:>6} {sent:>6}  {statuses} (anonymous, a new installation)",
        "/setup", ""
    ));
    for r in &table {
        let label = who(r);
        let c = clients
            .get_mut(label)
            .unwrap_or_else(|| panic!("no client {label}"));
        let (fields, from_page) = if r.path == "/households/import" {
            // Multipart: walked before the steps after it (it made their import); its
            // fields are the file and the neighbourhood.
            (2, true)
        } else {
            walk_route(c, r, &targets, &values, &mut walk).await
        };
        routes += 1;
        let (sent, statuses) = walk.summary(r.path);
        lines.push(format!(
            "{:<45} {:>6} {:>6}  {statuses}{} ({label})",
            r.path,
            fields,
            sent,
            if from_page {
                ""
            } else {
                " [no page: fallback names]"
            },
        ));
        // The server keeps serving between routes, not only at the end.
        let health = Client::without_keep_alive(&app.base).get("/healthz").await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok\n"),
            "after {}",
            r.path
        );
    }
    eprintln!(
        "hostile walk on {backend:?}: {routes} POST routes, {} values, {} requests in {:.0?}\n{}",
        values.len(),
        walk.requests,
        started.elapsed(),
        lines.join("\n")
    );
    let posts = rules().iter().filter(|r| r.method == Method::POST).count();
    assert_eq!(routes, posts, "every POST route of the gate was walked");
    assert!(
        walk.problems.is_empty(),
        "{} hostile requests went wrong:\n{}",
        walk.problems.len(),
        walk.problems.join("\n")
    );
    let health = Client::without_keep_alive(&app.base).get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok\n")
    );
}
on_both!(every_form, every_form_survives_hostile_input);

/// Targets for an installation without data (the set-up form has no path parameters).
fn no_targets() -> Targets {
    let nil = Uuid::nil();
    Targets {
        neighbourhood: nil,
        account: nil,
        holiday: nil,
        import: nil,
        household: nil,
        changing: nil,
        erased: nil,
        merge_keep: nil,
        merge_other: nil,
        parent_family: nil,
        session: nil,
        later_session: nil,
        movement: nil,
        outing: nil,
        request: nil,
        idea: nil,
        follow_up: nil,
        partner: nil,
        partner_contact: nil,
        partner_deleted: nil,
        referral: nil,
        help_referral: nil,
        quote: nil,
        portal_round: nil,
        worker_round: nil,
        wish: nil,
        talent: nil,
        idea_wish: nil,
        portal_token: String::new(),
        unsubscribe_token: String::new(),
        refer_token: String::new(),
    }
}

// ---------------------------------------------------------------- in a real browser

/// Saved markup stays text in Chromium: a name and a note that would change the page's
/// title or open an alert if they ran.
async fn nothing_hostile_runs_in_the_browser(app: TestApp) {
    use crate::browser::{axe, axe_source, browser, fill as type_in, submit, text, title};
    let logins = app.demo().await;
    let w = &logins["worker"];
    let mut c = Client::without_keep_alive(&app.base);
    c.login(w).await;
    let name = "<img src=x onerror=\"document.title='pwned'\">";
    let note = "<script>document.title='pwned'</script><script>alert('pwned')</script>";
    let page = c.get("/households/new").await;
    let fields =
        fields_for(&page.body, "/households/new").expect("the registration form is on its page");
    let mut base = complete("/households/new", fields);
    for (n, v) in base.iter_mut() {
        match n.as_str() {
            "p0_first_name" => *v = name.into(),
            "p0_last_name" => *v = "<img src=x onerror=alert('pwned')>".into(),
            "notes" => *v = note.into(),
            _ => {}
        }
    }
    let res = c
        .post_raw("/households/new", body(&c.csrf, &base, "", &How::Missing))
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "registered: {}",
        res.body
    );
    let household = res.location;
    // The title as the server writes it; a handler that ran would have changed it.
    let served = c.get(&household).await.body;
    let served_title = served
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| decode(t))
        .expect("the household page has a title");

    let src = axe_source();
    // The guard kills chromedriver also when an assertion below fails.
    let (_driver, b) = browser(1280, 800).await;
    b.goto(&format!("{}/login", app.base)).await.unwrap();
    type_in(&b, "email", &w.email).await;
    type_in(&b, "password", &w.password).await;
    submit(&b, "/login").await;
    b.goto(&format!("{}{household}", app.base)).await.unwrap();
    // Give an injected handler time to run, were there one.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        b.get_alert_text().await.is_err(),
        "an alert was opened on the household page"
    );
    let shown_title = title(&b).await;
    assert_ne!(shown_title, "pwned", "a handler from the form ran");
    assert_eq!(shown_title, served_title, "the page's title was changed");
    let injected = b
        .execute(
            "return document.querySelectorAll('img[onerror], script:not([src])').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        injected,
        serde_json::json!(0),
        "markup from the form is in the page"
    );
    let shown = text(&b).await;
    assert!(shown.contains(name), "the name is shown as text: {shown}");
    assert!(shown.contains(note), "the note is shown as text");
    axe(&b, &src, "household with hostile text").await;
}
on_both!(browser_runs_nothing, nothing_hostile_runs_in_the_browser);

//! The import wizard (docs/ui.md §3.8): choose a file → match columns → check → import.
//! The batch lives in the database between steps, so any app server can take the next one.

use mtp_domain::audit::Action;
use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mtp_domain::consent::ConsentMethod;
use mtp_store::imports::KnownContacts;
use mtp_store::{ImportBatch, Neighbourhood, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::import::rows::{self, Checked, FIELDS, Problem};
use crate::import::table::{self, TableError};
use crate::label::options;
use crate::page::{Page, render_page};
use crate::respond::redirect_with_flash;

/// The largest file we take: far more than 20,000 rows of a family sheet.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

fn batch_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Our script (app.js, "import progress") sends the wizard's forms itself, with this header,
/// to show a progress indicator. It follows a redirect as a normal page load, so the answer
/// names the next page instead of redirecting: the script's request does not fetch that page
/// (and use up its one-time message) before the browser does.
const SCRIPT_HEADER: &str = "x-mtp-progress";
const SCRIPT_LOCATION: &str = "x-mtp-location";

fn for_script(headers: &HeaderMap, mut res: Response) -> Response {
    if headers.contains_key(SCRIPT_HEADER)
        && res.status().is_redirection()
        && let Some(to) = res.headers_mut().remove(header::LOCATION)
    {
        *res.status_mut() = StatusCode::NO_CONTENT;
        res.headers_mut()
            .insert(HeaderName::from_static(SCRIPT_LOCATION), to);
    }
    res
}

/// "10.000" in Dutch, "10,000" in English (docs/ui.md §5.3).
fn count(t: &Tr, n: usize) -> String {
    t.number(u32::try_from(n).unwrap_or(u32::MAX))
}

async fn open_batch(state: &AppState, user: &User, id: &str) -> Result<ImportBatch, AppError> {
    let b = state
        .store
        .import_batch(&user.tenant, batch_id(id)?)
        .await?;
    if b.committed {
        return Err(AppError::NotFound);
    }
    Ok(b)
}

// ---------------------------------------------------------------- 1. choose a file

#[derive(Template)]
#[template(path = "import_upload.html")]
struct UploadPage {
    p: Page,
    neighbourhoods: Vec<Neighbourhood>,
    chosen: String,
    max_rows: String,
    progress: String,
}

async fn upload_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: FormErrors,
    chosen: String,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "import-title").with_errors(errors);
    Ok(render_page(&UploadPage {
        neighbourhoods: state.store.neighbourhoods(&user.tenant).await?,
        chosen,
        max_rows: count(&p.t, table::MAX_ROWS),
        progress: p.t.get("import-progress-reading"),
        p,
    }))
}

pub async fn upload_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    upload_page(&state, &ctx, &user, FormErrors::default(), String::new()).await
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Staff(user): Staff,
    form: Multipart,
) -> Result<Response, AppError> {
    let res = upload_file(&state, &ctx, &user, form).await?;
    Ok(for_script(&headers, res))
}

/// Only a body past the limit is "too big"; a broken one (a cut-off upload, a file name
/// with a NUL) is unreadable.
fn upload_error(err: &axum::extract::multipart::MultipartError) -> &'static str {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        "import-error-too-big"
    } else {
        "import-error-unreadable"
    }
}

async fn upload_file(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let mut file: Option<Vec<u8>> = None;
    let mut neighbourhood = String::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(bytes) if name == "file" => file = Some(bytes.to_vec()),
                    Ok(bytes) if name == "neighbourhood" => {
                        neighbourhood = String::from_utf8_lossy(&bytes).chars().take(64).collect();
                    }
                    Ok(_) => {}
                    Err(err) => {
                        e.add("file", t.get(upload_error(&err)));
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(err) => {
                e.add("file", t.get(upload_error(&err)));
                break;
            }
        }
    }
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let nb = match neighbourhoods.as_slice() {
        [only] => Some(only.id),
        _ => Uuid::parse_str(&neighbourhood)
            .ok()
            .filter(|id| neighbourhoods.iter().any(|n| n.id == *id)),
    };
    if nb.is_none() {
        e.add("neighbourhood", t.get("error-choice-invalid-neighbourhood"));
    }
    let parsed = match file {
        // Reading inflates and parses up to the limits: seconds of CPU that must not stall
        // the other requests on this worker thread.
        Some(bytes) if e.get("file").is_none() => {
            match tokio::task::spawn_blocking(move || table::read(&bytes))
                .await
                .unwrap_or(Err(TableError::Unreadable))
            {
                Ok(tbl) => Some(tbl),
                Err(err) => {
                    let text = match err {
                        TableError::TooManyRows(n) => {
                            t.get1("import-error-too-many-rows", "name", count(&t, n))
                        }
                        other => t.get(other.key()),
                    };
                    e.add("file", text);
                    None
                }
            }
        }
        None => {
            e.add("file", t.get("import-error-no-file"));
            None
        }
        Some(_) => None,
    };
    let (Some(nb), Some(tbl), true) = (nb, parsed, e.is_empty()) else {
        return Ok(unprocessable(
            upload_page(state, ctx, user, e, neighbourhood).await?,
        ));
    };
    // The store puts the new batch's id in the entry.
    let event = audit_event(
        user,
        Action::ImportUploaded,
        Subject::in_neighbourhood("import", Uuid::nil(), nb),
        &format!("rows={}", tbl.rows.len()),
    );
    let id = match state
        .store
        .create_import(
            &user.tenant,
            Some(user.account.id),
            nb,
            tbl.kind,
            &tbl.headers,
            &tbl.rows,
            Some(event),
        )
        .await
    {
        Ok(id) => id,
        Err(StoreError::NotFound) => return Err(AppError::Forbidden),
        Err(err) => return Err(err.into()),
    };
    let guessed = rows::guess(&tbl.headers);
    state
        .store
        .set_import_choices(&user.tenant, id, &guessed, &BTreeSet::new())
        .await?;
    Ok(axum::response::Redirect::to(&format!("/households/import/{id}/columns")).into_response())
}

/// A template a worker can fill in: the headers we recognise at once.
pub async fn template() -> Response {
    let body = "\u{feff}Voornaam;Achternaam;Telefoon;E-mail;Kanaal;Soort gezin;Postcode;Talen;Kind 1;Geboren kind 1;Kind 2;Geboren kind 2;Notities\r\n\
                Sanne;de Vries;06-12345678;;WhatsApp;eenoudergezin;1363;Nederlands;Noah;03-2019;;;\r\n";
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gezinnen-voorbeeld.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------- 2. match columns

pub struct FieldRow {
    pub field: &'static str,
    pub label: String,
    pub required: bool,
    pub chosen: Option<usize>,
}

pub struct ColumnInfo {
    pub index: usize,
    pub header: String,
    pub samples: String,
}

#[derive(Template)]
#[template(path = "import_columns.html")]
struct ColumnsPage {
    p: Page,
    id: Uuid,
    fields: Vec<FieldRow>,
    columns: Vec<ColumnInfo>,
    progress: String,
}

fn columns_page(ctx: &Ctx, b: &ImportBatch, errors: FormErrors) -> Response {
    let p = Page::new(ctx, "import-columns-title").with_errors(errors);
    let fields = FIELDS
        .iter()
        .map(|(f, _)| FieldRow {
            field: f,
            label: p.t.get(format!("import-field-{f}")),
            required: false,
            chosen: b.mapping.get(*f).copied(),
        })
        .collect();
    let columns = b
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnInfo {
            index: i,
            header: if h.is_empty() {
                p.t.get1("import-column-n", "name", i + 1)
            } else {
                h.clone()
            },
            samples: b
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|v| !v.is_empty())
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    render_page(&ColumnsPage {
        id: b.id,
        fields,
        columns,
        progress: p.t.get1(
            "import-progress-checking",
            "name",
            count(&p.t, b.rows.len()),
        ),
        p,
    })
}

pub async fn columns_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let b = open_batch(&state, &user, &id).await?;
    Ok(columns_page(&ctx, &b, FormErrors::default()))
}

pub async fn columns_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let res = save_columns(&state, &ctx, &user, &id, &f).await?;
    Ok(for_script(&headers, res))
}

async fn save_columns(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: &str,
    f: &FormData,
) -> Result<Response, AppError> {
    let mut b = open_batch(state, user, id).await?;
    let t = Tr::new(ctx.lang);
    let mut mapping = BTreeMap::new();
    for (field, _) in FIELDS {
        if let Ok(i) = f.get(field).parse::<usize>()
            && i < b.headers.len()
        {
            mapping.insert((*field).to_string(), i);
        }
    }
    b.mapping = mapping;
    if !b.mapping.contains_key("first_name") && !b.mapping.contains_key("full_name") {
        let mut e = FormErrors::default();
        e.add("first_name", t.get("import-error-need-name"));
        return Ok(unprocessable(columns_page(ctx, &b, e)));
    }
    state
        .store
        .set_import_choices(&user.tenant, b.id, &b.mapping, &BTreeSet::new())
        .await?;
    Ok(axum::response::Redirect::to(&format!("/households/import/{}/check", b.id)).into_response())
}

// ---------------------------------------------------------------- 3. check

async fn run_check(
    state: &AppState,
    user: &User,
    t: &Tr,
    b: &ImportBatch,
    consent: ConsentMethod,
) -> Result<Checked, AppError> {
    // Two passes: the first finds what to look up in the register, the second flags the
    // households that are already there. A pass over 10,000 rows takes milliseconds; reading
    // the whole register instead took most of a second on PostgreSQL.
    let nobody = KnownContacts::default();
    let mut ctx = rows::Context {
        t,
        headers: &b.headers,
        mapping: &b.mapping,
        neighbourhood_id: b.neighbourhood_id,
        consent,
        known: &nobody,
        today: chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive(),
    };
    let keys = rows::check(&ctx, &b.rows).keys;
    let known = state.store.known_contacts(&user.tenant, &keys).await?;
    ctx.known = &known;
    Ok(rows::check(&ctx, &b.rows))
}

#[derive(Template)]
#[template(path = "import_check.html")]
struct CheckPage {
    p: Page,
    id: Uuid,
    summary: String,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    bad: usize,
    only_good_label: String,
    progress: String,
}

async fn check_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    b: &ImportBatch,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "import-check-title").with_errors(errors);
    let t = p.t;
    let checked = run_check(state, user, &t, b, ConsentMethod::Paper).await?;
    let (good, bad) = (checked.good.len(), checked.bad_rows.len());
    let summary = format!(
        "{} {}",
        t.get1("import-rows", "name", count(&t, b.rows.len())),
        t.get1(
            "import-rows-good-bad",
            "name",
            format!("{}/{}", count(&t, good), count(&t, bad))
        )
    );
    Ok(render_page(&CheckPage {
        id: b.id,
        summary,
        problems: checked.problems.into_iter().take(500).collect(),
        notes: checked.notes.into_iter().take(500).collect(),
        bad,
        only_good_label: t.get1("import-only-good", "name", count(&t, good)),
        progress: t.get1("import-progress-checking", "name", count(&t, b.rows.len())),
        p,
    }))
}

pub async fn check_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let b = open_batch(&state, &user, &id).await?;
    check_page(&state, &ctx, &user, &b, FormErrors::default()).await
}

pub async fn check_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let res = accept_check(&state, &ctx, &user, &id, &f).await?;
    Ok(for_script(&headers, res))
}

async fn accept_check(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: &str,
    f: &FormData,
) -> Result<Response, AppError> {
    let b = open_batch(state, user, id).await?;
    let t = Tr::new(ctx.lang);
    let checked = run_check(state, user, &t, &b, ConsentMethod::Paper).await?;
    if !checked.bad_rows.is_empty() && !f.has("only_good") {
        // One bad row changes nothing until it is fixed or excluded (issue #3).
        let mut e = FormErrors::default();
        e.add("only_good", t.get("import-error-fix-or-skip"));
        return Ok(unprocessable(check_page(state, ctx, user, &b, e).await?));
    }
    if checked.good.is_empty() {
        let mut e = FormErrors::default();
        e.add("only_good", t.get("import-error-nothing-good"));
        return Ok(unprocessable(check_page(state, ctx, user, &b, e).await?));
    }
    state
        .store
        .set_import_choices(&user.tenant, b.id, &b.mapping, &checked.bad_rows)
        .await?;
    Ok(
        axum::response::Redirect::to(&format!("/households/import/{}/confirm", b.id))
            .into_response(),
    )
}

/// The list of problems as a CSV file, safe to open in a spreadsheet.
pub async fn errors_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let b = open_batch(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let checked = run_check(&state, &user, &t, &b, ConsentMethod::Paper).await?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let head = [
        t.get("import-col-row"),
        t.get("import-col-column"),
        t.get("import-col-value"),
        t.get("import-col-problem"),
    ];
    w.write_record(&head).map_err(|_| AppError::Internal)?;
    for pr in &checked.problems {
        w.write_record([
            pr.line.to_string().as_str(),
            &rows::csv_safe(&pr.column),
            &rows::csv_safe(&pr.value),
            &rows::csv_safe(&pr.message),
        ])
        .map_err(|_| AppError::Internal)?;
    }
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(w.into_inner().map_err(|_| AppError::Internal)?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"importfouten.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------- 4. import

#[derive(Template)]
#[template(path = "import_confirm.html")]
struct ConfirmPage {
    p: Page,
    id: Uuid,
    total_line: String,
    methods: Vec<(&'static str, String)>,
    method: String,
    progress: String,
}

async fn confirm_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    b: &ImportBatch,
    errors: FormErrors,
    method: String,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "import-confirm-title").with_errors(errors);
    let t = p.t;
    let checked = run_check(state, user, &t, b, ConsentMethod::Paper).await?;
    let importing = checked
        .good
        .iter()
        .filter(|(i, _)| !b.excluded.contains(i))
        .count();
    Ok(render_page(&ConfirmPage {
        id: b.id,
        total_line: t.get1("import-will-create", "name", count(&t, importing)),
        progress: t.get1("import-progress-importing", "name", count(&t, importing)),
        methods: options(&t, [ConsentMethod::Verbal, ConsentMethod::Paper]),
        method,
        p,
    }))
}

pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let b = open_batch(&state, &user, &id).await?;
    confirm_page(
        &state,
        &ctx,
        &user,
        &b,
        FormErrors::default(),
        "paper".into(),
    )
    .await
}

pub async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let res = commit_batch(&state, &ctx, &user, &id, &f).await?;
    Ok(for_script(&headers, res))
}

async fn commit_batch(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: &str,
    f: &FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let b = match state
        .store
        .import_batch(&user.tenant, batch_id(id)?)
        .await?
    {
        // A second click on "Importeren" after the first one went through.
        b if b.committed => {
            return Ok(redirect_with_flash(
                state,
                "/households",
                "flash-import-done-before",
                "",
            ));
        }
        b => b,
    };
    let mut e = FormErrors::default();
    if !f.has("consent_data") {
        e.add("consent_data", t.get("import-error-consent"));
    }
    let method = e.take(
        &t,
        "consent_method",
        ConsentMethod::parse(f.get("consent_method")),
    );
    let Some(method) = method.filter(|_| e.is_empty()) else {
        return Ok(unprocessable(
            confirm_page(state, ctx, user, &b, e, f.get("consent_method").to_string()).await?,
        ));
    };
    // Check again: the register may have changed since the preview.
    let checked = run_check(state, user, &t, &b, method).await?;
    if checked.bad_rows.iter().any(|i| !b.excluded.contains(i)) {
        return Ok(
            axum::response::Redirect::to(&format!("/households/import/{}/check", b.id))
                .into_response(),
        );
    }
    let drafts: Vec<_> = checked
        .good
        .into_iter()
        .filter(|(i, _)| !b.excluded.contains(i))
        .map(|(_, d)| d)
        .collect();
    let event = audit_event(
        user,
        Action::ImportCommitted,
        Subject::in_neighbourhood("import", b.id, b.neighbourhood_id),
        &format!("households={}", drafts.len()),
    );
    match state
        .store
        .commit_import(&user.tenant, Some(user.account.id), b.id, &drafts, event)
        .await?
    {
        Some(n) => Ok(redirect_with_flash(
            state,
            "/households",
            "flash-import-done",
            &n.to_string(),
        )),
        None => Ok(redirect_with_flash(
            state,
            "/households",
            "flash-import-done-before",
            "",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_the_way_each_language_writes_them() {
        let nl = Tr::new(mtp_domain::Language::Nl);
        let en = Tr::new(mtp_domain::Language::En);
        assert_eq!(count(&nl, 7), "7");
        assert_eq!(count(&nl, 999), "999");
        assert_eq!(count(&nl, 1_250), "1.250");
        assert_eq!(count(&nl, 20_000), "20.000");
        assert_eq!(count(&en, 1_234_567), "1,234,567");
    }
}

//! The pseudonymised research export (docs/guide/research.md): administrators make a study
//! (its key is shown once), researchers and administrators download the households with
//! research consent as CSV or as a workbook with a codebook. Nothing in it names a family:
//! what a row holds is `mtp_domain::research`'s rule.

use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use mtp_domain::audit::Action;
use mtp_domain::report::{PeriodForm, parse_period};
use mtp_domain::research::{self, Cell, Export, StudyKey};
use mtp_domain::{PlaceName, Tenant};
use mtp_store::research::{self as stored, Study};
use mtp_store::{Neighbourhood, Store, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit as record, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::import::rows::csv_safe;
use crate::page::{Page, render_page};

pub struct StudyRow {
    pub id: Uuid,
    pub name: String,
    pub created: String,
}

pub struct NeighbourhoodChoice {
    pub id: Uuid,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "research.html")]
struct ResearchPage {
    p: Page,
    studies: Vec<StudyRow>,
    neighbourhoods: Vec<NeighbourhoodChoice>,
    study: String,
    from: String,
    to: String,
    study_name: String,
    may_create: bool,
}

#[derive(Template)]
#[template(path = "research_created.html")]
struct CreatedPage {
    p: Page,
    name: String,
    key: String,
}

/// The export form's fields as typed (from the address), and the new study's name.
#[derive(Default)]
struct Typed {
    f: FormData,
    study_name: String,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    typed: Typed,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "research-title").with_errors(errors);
    let studies = state
        .store
        .studies(&user.tenant)
        .await?
        .into_iter()
        .map(|s| StudyRow {
            id: s.id,
            created: p.t.date(s.created_at),
            name: s.name,
        })
        .collect();
    let chosen = typed.f.all("neighbourhood");
    let neighbourhoods = state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| NeighbourhoodChoice {
            checked: chosen.contains(&n.id.to_string().as_str()),
            id: n.id,
            name: n.name,
        })
        .collect();
    let today = crate::today();
    let or = |v: &str, default: String| {
        if ["study", "research_from", "research_to"]
            .iter()
            .any(|k| typed.f.has(k))
        {
            v.to_string()
        } else {
            default
        }
    };
    let from = or(
        typed.f.get("research_from"),
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1)
            .unwrap_or(today)
            .to_string(),
    );
    let to = or(typed.f.get("research_to"), today.to_string());
    Ok(render_page(&ResearchPage {
        studies,
        neighbourhoods,
        study: typed.f.get("study").to_string(),
        from,
        to,
        study_name: typed.study_name,
        may_create: crate::gate::allows(user.role(), &Method::POST, "/research/studies"),
        p,
    }))
}

/// The research page: the export form, the studies, and for an administrator a new study.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    page(&state, &ctx, &user, Typed::default(), FormErrors::default()).await
}

/// Make a study. The answer is the page with its key, shown this once: not a redirect, so the
/// key is in no address and no cookie. Sent again, the name is taken and the form says so.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let raw = f.get("study_name");
    let mut e = FormErrors::default();
    let typed = Typed {
        study_name: raw.to_string(),
        ..Typed::default()
    };
    let Some(name) = e.take(&t, "study_name", PlaceName::parse(raw)) else {
        return Ok(unprocessable(page(&state, &ctx, &user, typed, e).await?));
    };
    let event = audit_event(
        &user,
        Action::ResearchStudyCreated,
        Subject::none("research_study"),
        &format!("name={:?}", name.as_str()),
    );
    match state
        .store
        .create_study(&user.tenant, Some(user.account.id), &name, event)
        .await
    {
        Ok((_, key)) => Ok(render_page(&CreatedPage {
            p: Page::new(&ctx, "research-created-title"),
            name: name.into_inner(),
            key: key.hex(),
        })),
        Err(StoreError::Duplicate(_)) => {
            e.add("study_name", t.get("research-error-name-taken"));
            Ok(unprocessable(page(&state, &ctx, &user, typed, e).await?))
        }
        Err(err) => Err(err.into()),
    }
}

/// What one export is about, checked.
struct Plan {
    study: Study,
    key: StudyKey,
    chosen: Vec<Neighbourhood>,
    all: bool,
    from: NaiveDate,
    to: NaiveDate,
}

/// The export form from the address, or the page again with a message per field.
async fn plan(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    query: Option<String>,
) -> Result<Result<Plan, Response>, AppError> {
    let t = Tr::new(ctx.lang);
    let f = FormData::parse(query.unwrap_or_default().as_bytes());
    let mut e = FormErrors::default();
    let study = match f.get("study").trim() {
        "" => {
            e.field(&t, "study", mtp_domain::FieldError::Required);
            None
        }
        raw => match Uuid::parse_str(raw) {
            Ok(id) => match state.store.study_key(&user.tenant, id).await {
                Ok(found) => Some(found),
                Err(StoreError::NotFound) => {
                    e.field(&t, "study", mtp_domain::FieldError::ChoiceInvalid);
                    None
                }
                Err(err) => return Err(err.into()),
            },
            Err(_) => {
                e.field(&t, "study", mtp_domain::FieldError::ChoiceInvalid);
                None
            }
        },
    };
    let all = state.store.neighbourhoods(&user.tenant).await?;
    // A box ticked twice (a hand-made address) is still one neighbourhood.
    let wanted: std::collections::BTreeSet<&str> = f.all("neighbourhood").into_iter().collect();
    let chosen: Vec<Neighbourhood> = all
        .iter()
        .filter(|n| wanted.is_empty() || wanted.contains(&n.id.to_string().as_str()))
        .cloned()
        .collect();
    if chosen.len() < wanted.len() {
        e.field(&t, "neighbourhoods", mtp_domain::FieldError::ChoiceInvalid);
    }
    let period = parse_period(
        PeriodForm {
            kind: "custom",
            from: f.get("research_from"),
            to: f.get("research_to"),
            ..PeriodForm::default()
        },
        crate::today(),
    );
    let period = match period {
        Ok(p) => Some(p.period()),
        Err(errors) => {
            for (field, err) in errors {
                let field = if field == "from" {
                    "research_from"
                } else {
                    "research_to"
                };
                e.field(&t, field, err);
            }
            None
        }
    };
    match (study, period) {
        (Some((study, key)), Some(period)) if e.is_empty() => Ok(Ok(Plan {
            study,
            key,
            all: wanted.is_empty(),
            chosen,
            from: period.from(),
            to: period.to(),
        })),
        _ => {
            let typed = Typed {
                f,
                ..Typed::default()
            };
            Ok(Err(unprocessable(page(state, ctx, user, typed, e).await?)))
        }
    }
}

/// The export's filter for the audit trail: ids, dates and codes, never the key.
fn detail(plan: &Plan, format: &str, rows: u32) -> String {
    let neighbourhoods = if plan.all {
        "all".to_string()
    } else {
        plan.chosen
            .iter()
            .map(|n| n.id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "study={:?} neighbourhoods={neighbourhoods} from={} to={} format={format} rows={rows}",
        plan.study.name, plan.from, plan.to
    )
}

/// Everything a page of rows needs, owned, so the CSV can stream after the handler returned.
struct Writer {
    store: Store,
    tenant: Tenant,
    ids: Vec<Uuid>,
    key: StudyKey,
    /// Name and CBS code per neighbourhood.
    labels: HashMap<Uuid, (String, String)>,
    counts: HashMap<Uuid, u32>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
}

impl Writer {
    /// A writer without its counts: `start` puts them in.
    fn new(store: &Store, user: &User, plan: &Plan) -> Writer {
        Writer {
            store: store.clone(),
            tenant: user.tenant.clone(),
            ids: plan.chosen.iter().map(|n| n.id).collect(),
            key: plan.key.clone(),
            labels: plan
                .chosen
                .iter()
                .map(|n| {
                    (
                        n.id,
                        (n.name.clone(), n.cbs_code.clone().unwrap_or_default()),
                    )
                })
                .collect(),
            counts: HashMap::new(),
            from: plan.from,
            to: plan.to,
            today: crate::today(),
        }
    }

    /// The next page's rows, and where the page after it starts.
    async fn page(
        &self,
        after: Option<Uuid>,
    ) -> Result<(Vec<Vec<Cell>>, Option<Uuid>), StoreError> {
        let page = self.fetch(after).await?;
        Ok((self.rows(&page), page.next))
    }

    fn export(&self) -> Export<'_> {
        Export {
            key: &self.key,
            from: self.from,
            to: self.to,
            today: self.today,
        }
    }

    async fn fetch(&self, after: Option<Uuid>) -> Result<stored::ResearchPage, StoreError> {
        self.store
            .research_page(&self.tenant, &self.ids, after, self.export().instants())
            .await
    }

    /// A page's rows; the postcode rule needs `counts` in place.
    fn rows(&self, page: &stored::ResearchPage) -> Vec<Vec<Cell>> {
        let e = self.export();
        page.households
            .iter()
            .map(|h| {
                let (name, cbs) = self
                    .labels
                    .get(&h.neighbourhood_id)
                    .map(|(n, c)| (n.as_str(), c.as_str()))
                    .unwrap_or(("", ""));
                let n = self.counts.get(&h.neighbourhood_id).copied().unwrap_or(0);
                research::row(e, h, name, cbs, n)
            })
            .collect()
    }
}

/// The export's first step: the first page, and the writer with the households counted per
/// neighbourhood (`Store::research_start`); returns how many households the export holds.
/// Nothing is recorded yet: the caller decides whether the export goes on, and then writes
/// its audit entry (`record_export`) before the first byte leaves.
async fn start(
    state: &AppState,
    user: &User,
    plan: &Plan,
) -> Result<(Writer, stored::ResearchPage, u32), AppError> {
    let mut writer = Writer::new(&state.store, user, plan);
    let (counts, first) = state
        .store
        .research_start(&user.tenant, &writer.ids, writer.export().instants())
        .await?;
    let total = counts.values().sum();
    writer.counts = counts;
    Ok((writer, first, total))
}

/// The audit entry of an export that goes on, with its filter and size.
async fn record_export(state: &AppState, user: &User, plan: &Plan, format: &str, total: u32) {
    record(
        state,
        user,
        Action::ResearchExported,
        Subject::of("research_study", plan.study.id),
        &detail(plan, format, total),
    )
    .await;
}

/// A CSV writer as every download here has them: `;` between cells.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new())
}

fn csv_done(w: csv::Writer<Vec<u8>>) -> Result<Bytes, std::io::Error> {
    w.into_inner()
        .map(Bytes::from)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

fn file_name(ext: &str) -> String {
    format!(
        "attachment; filename=\"onderzoek-export-{}.{ext}\"",
        crate::today()
    )
}

/// A page's rows as CSV, each text's formula defused. Cell by cell, without a string per
/// cell: a page is tens of thousands of them (docs/benchmarks.md, "Research export",
/// session 17).
fn csv_chunk(rows: &[Vec<Cell>]) -> Result<Bytes, std::io::Error> {
    let mut w = csv_writer();
    let mut number = String::new();
    for r in rows {
        for cell in r {
            match cell {
                Cell::Text(t) => w.write_field(csv_safe(t).as_bytes())?,
                Cell::Number(n) => {
                    number.clear();
                    write!(number, "{n}").map_err(std::io::Error::other)?;
                    w.write_field(&number)?;
                }
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    csv_done(w)
}

/// The header row as CSV.
fn csv_header() -> Result<Bytes, std::io::Error> {
    let mut w = csv_writer();
    w.write_record(research::header().iter().map(|h| csv_safe(h).into_owned()))?;
    csv_done(w)
}

/// The export as CSV (`;`, UTF-8 with a byte-order mark, as the other downloads), streamed
/// page by page so memory stays flat for any organisation. Formulas are defused.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let plan = match plan(&state, &ctx, &user, query).await? {
        Ok(plan) => plan,
        Err(page) => return Ok(page),
    };
    // A CSV has no limit: it streams.
    let (writer, page, total) = start(&state, &user, &plan).await?;
    record_export(&state, &user, &plan, "csv", total).await;
    let first = writer.rows(&page);
    let next = page.next;
    // The state of the stream: the writer with the first page's rows, then the writer and
    // where the next page starts; `None` when done.
    enum Step {
        First(Writer, Vec<Vec<Cell>>, Option<Uuid>),
        Page(Writer, Uuid),
    }
    let stream =
        futures_util::stream::unfold(Some(Step::First(writer, first, next)), |step| async move {
            match step? {
                Step::First(w, rows, next) => {
                    let mut bytes = "\u{feff}".as_bytes().to_vec();
                    let head = csv_header().and_then(|h| {
                        bytes.extend_from_slice(&h);
                        csv_chunk(&rows)
                    });
                    match head {
                        Ok(page) => {
                            bytes.extend_from_slice(&page);
                            let more = next.map(|n| Step::Page(w, n));
                            Some((Ok(Bytes::from(bytes)), more))
                        }
                        Err(e) => Some((Err(e), None)),
                    }
                }
                Step::Page(w, after) => match w.page(Some(after)).await {
                    Ok((rows, next)) => {
                        let more = next.map(|n| Step::Page(w, n));
                        Some((csv_chunk(&rows), more))
                    }
                    Err(e) => {
                        // The download breaks off rather than ending as if it were complete.
                        tracing::error!(error = %e, "research export stopped");
                        Some((Err(std::io::Error::other("research export stopped")), None))
                    }
                },
            }
        });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, file_name("csv")),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The export as a workbook: a sheet "data" with numbers as numbers, and a sheet "codebook"
/// that explains every column.
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let plan = match plan(&state, &ctx, &user, query.clone()).await? {
        Ok(plan) => plan,
        Err(page) => return Ok(page),
    };
    let (writer, first, total) = start(&state, &user, &plan).await?;
    let max = state.cfg.research_workbook_max;
    if total > max {
        let mut e = FormErrors::default();
        e.add(
            "neighbourhoods",
            t.get1("research-error-too-many-for-xlsx", "max", t.number(max)),
        );
        let typed = Typed {
            f: FormData::parse(query.unwrap_or_default().as_bytes()),
            ..Typed::default()
        };
        return Ok(unprocessable(page(&state, &ctx, &user, typed, e).await?));
    }
    record_export(&state, &user, &plan, "xlsx", total).await;
    let mut rows = writer.rows(&first);
    let mut after = first.next;
    while let Some(n) = after {
        let (page, next) = writer.page(Some(n)).await?;
        rows.extend(page);
        after = next;
    }
    let bytes = workbook(&plan, &rows).map_err(|e| {
        tracing::error!(error = %e, "research workbook failed");
        AppError::Internal
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, file_name("xlsx")),
        ],
        bytes,
    )
        .into_response())
}

fn workbook(plan: &Plan, rows: &[Vec<Cell>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let bold = Format::new().set_bold();
    let mut data = Worksheet::new();
    data.set_name("data")?;
    for (c, name) in (0u16..).zip(research::header()) {
        data.write_string_with_format(0, c, name, &bold)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                // Written as text, never as a formula, whatever it starts with.
                Cell::Text(s) if !s.is_empty() => {
                    data.write_string(r, c, s)?;
                }
                Cell::Text(_) => {}
                Cell::Number(n) => {
                    data.write_number(r, c, f64::from(*n))?;
                }
            }
        }
    }
    data.set_freeze_panes(1, 0)?;
    let mut book = Worksheet::new();
    book.set_name("codebook")?;
    for (c, name) in (0u16..).zip(["column", "betekenis", "meaning", "values"]) {
        book.write_string_with_format(0, c, name, &bold)?;
    }
    let mut r = 1u32;
    for col in research::columns()
        .into_iter()
        .chain(research::not_recorded())
    {
        for (c, text) in (0u16..).zip([&col.name, &col.meaning_nl, &col.meaning_en, &col.values]) {
            book.write_string(r, c, text)?;
        }
        r += 1;
    }
    r += 1;
    for (label, value) in [
        ("study", plan.study.name.clone()),
        ("visits_from", plan.from.to_string()),
        ("visits_to", plan.to.to_string()),
        ("exported_on", crate::today().to_string()),
        ("households", rows.len().to_string()),
    ] {
        book.write_string_with_format(r, 0, label, &bold)?;
        book.write_string(r, 1, value)?;
        r += 1;
    }
    book.set_column_width(1, 60)?;
    book.set_column_width(2, 60)?;
    let mut wb = Workbook::new();
    wb.push_worksheet(data);
    wb.push_worksheet(book);
    wb.save_to_buffer()
}

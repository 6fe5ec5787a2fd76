//! The neighbourhood scan and a new site's start (issue #19, docs/guide/scan.md): CBS figures
//! imported from files the team downloads by hand, the key-informant conversations, the
//! action plan (with a printable view) and the start-up checklist. Staff of the neighbourhood
//! read; coordinators of the neighbourhood and administrators change (the gate and the store
//! both say so).

use askama::Template;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::Method;
use axum::response::Response;
use mtp_domain::audit::Action;
use mtp_domain::cbs::{self, CbsError, Scan};
use mtp_domain::scan::{InformantDraft, InformantForm, PlanDraft, PlanForm, StartStep};
use mtp_store::{Neighbourhood, ScanFigures, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

/// The upload's body limit: two large files and a small properties file.
pub const MAX_UPLOAD: usize = 2 * cbs::MAX_BYTES + 1024 * 1024;

/// Whether the user may change the scan, plan and checklist: whom the gate lets upload.
fn may_manage(user: &User) -> bool {
    crate::gate::allows(user.role(), &Method::POST, "/neighbourhoods/{id}/scan")
}

async fn neighbourhood(
    state: &AppState,
    user: &User,
    raw: &str,
) -> Result<Neighbourhood, AppError> {
    let id = parse_id(raw)?;
    Ok(state.store.neighbourhood(&user.tenant, id).await?)
}

/// A CBS file's error in the user's language: the figure named, the row, column or code.
fn cbs_message(t: &Tr, e: &CbsError) -> String {
    let args: Vec<(&str, String)> = e
        .args()
        .into_iter()
        .map(|(k, v)| if k == "figure" { (k, t.get(v)) } else { (k, v) })
        .collect();
    t.get_texts(e.key(), &args)
}

fn tenths(t: &Tr, v: Option<i64>) -> Option<String> {
    #[allow(clippy::cast_precision_loss)]
    v.map(|v| t.percent(Some(v as f64 / 10.0)))
}

// ---------------------------------------------------------------- the scan page

/// One line of the figures: label and value.
pub struct FigureRow {
    pub label: String,
    pub value: String,
}

pub struct InformantRow {
    pub name: String,
    pub organisation: String,
    pub partner: Option<(Uuid, String)>,
    pub held_on: String,
    pub sees: String,
}

#[derive(Template)]
#[template(path = "scan.html")]
struct ScanPage {
    p: Page,
    nb: Neighbourhood,
    f: FormData,
    figures: Vec<FigureRow>,
    imported: String,
    target: String,
    informants: Vec<InformantRow>,
    partners: Vec<(Uuid, String)>,
    may_manage: bool,
    max_mb: usize,
    files: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

/// The upload's file fields: name, label, hint and the file types the picker offers.
const FILES: &[(&str, &str, &str, &str)] = &[
    (
        "kerncijfers",
        "scan-field-kerncijfers",
        "scan-field-kerncijfers-hint",
        ".csv,text/csv",
    ),
    (
        "households",
        "scan-field-households",
        "scan-field-households-hint",
        ".csv,text/csv",
    ),
    (
        "properties",
        "scan-field-properties",
        "scan-field-properties-hint",
        ".csv,.json,text/csv,application/json",
    ),
];

fn figure_rows(t: &Tr, s: &ScanFigures) -> Vec<FigureRow> {
    let mut rows = Vec::new();
    let mut put = |key: &str, v: Option<String>| {
        rows.push(FigureRow {
            label: t.get(key),
            value: v.unwrap_or_else(|| t.get("scan-not-published")),
        });
    };
    put(
        "scan-area",
        Some(format!("{} ({})", s.area_code, s.municipality)),
    );
    put("cbs-figure-inhabitants", s.inhabitants.map(|n| t.number(n)));
    put("cbs-figure-households", s.households.map(|n| t.number(n)));
    put(
        "cbs-figure-with-children",
        s.with_children.map(|n| t.number(n)),
    );
    put("scan-share", tenths(t, s.share_tenths.map(i64::from)));
    put(
        "scan-single-parent-estimate",
        s.single_parent_estimate.map(|n| t.number(n)),
    );
    put(
        "cbs-figure-average-income",
        s.average_income_tenths
            .and_then(|v| u32::try_from(v * 100).ok())
            .map(|euros| format!("€ {}", t.number(euros))),
    );
    put("cbs-figure-low-income", tenths(t, s.low_income_tenths));
    put(
        "cbs-figure-social-minimum",
        tenths(t, s.social_minimum_tenths),
    );
    put("cbs-figure-assistance", s.assistance.map(|n| t.number(n)));
    rows
}

async fn scan_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    nb: Neighbourhood,
    f: FormData,
    e: FormErrors,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let figures = state.store.scan_figures(&user.tenant, nb.id).await?;
    let informants = state
        .store
        .informants(&user.tenant, nb.id)
        .await?
        .into_iter()
        .map(|i| InformantRow {
            name: i.name,
            organisation: i.organisation,
            partner: i.partner,
            held_on: i.held_on.map(|d| t.day(d)).unwrap_or_default(),
            sees: i.sees,
        })
        .collect();
    let partners = state
        .store
        .partners(&user.tenant, &mtp_store::PartnerFilter::default())
        .await?
        .into_iter()
        .filter(|p| p.neighbourhoods.iter().any(|(id, _)| *id == nb.id))
        .map(|p| (p.id, p.name))
        .collect();
    let target = match &nb.target_group {
        Some(g) if g.source.is_empty() => t.number(g.estimate.get()),
        Some(g) => format!("{} ({})", t.number(g.estimate.get()), g.source),
        None => t.get("scan-no-target"),
    };
    let mut f = f;
    if f.get("code").is_empty() && f.get("year").is_empty() {
        // The form starts from the neighbourhood's own code and last year's figures.
        use chrono::Datelike;
        f = FormData::parse(
            format!(
                "code={}&year={}",
                nb.cbs_code.clone().unwrap_or_default(),
                crate::today().year() - 1
            )
            .as_bytes(),
        );
    }
    let p = Page::new(ctx, "scan-title").with_errors(e);
    Ok(render_page(&ScanPage {
        imported: figures
            .as_ref()
            .map(|s| {
                t.get2(
                    "scan-imported",
                    ("year", s.year),
                    ("date", t.date(s.imported_at)),
                )
            })
            .unwrap_or_default(),
        figures: figures
            .as_ref()
            .map(|s| figure_rows(&t, s))
            .unwrap_or_default(),
        target,
        informants,
        partners,
        may_manage: may_manage(user),
        max_mb: cbs::MAX_BYTES / (1024 * 1024),
        files: FILES,
        nb,
        f,
        p,
    }))
}

/// `GET /neighbourhoods/{id}/scan`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    scan_page(
        &state,
        &ctx,
        &user,
        nb,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

/// Read one upload field in chunks, refusing it as soon as it passes `max` bytes: a file
/// that is too large is never read whole.
async fn read_field(field: &mut Field<'_>, max: usize) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > max {
                    return Err(CbsError::TooLarge.key());
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => return Err(upload_error(&e)),
        }
    }
}

fn upload_error(err: &axum::extract::multipart::MultipartError) -> &'static str {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        CbsError::TooLarge.key()
    } else {
        "cbs-error-unreadable-upload"
    }
}

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    code: String,
    year: String,
    kerncijfers: Option<Vec<u8>>,
    households: Option<Vec<u8>>,
    properties: Option<Vec<u8>>,
}

/// `POST /neighbourhoods/{id}/scan`: import the CBS files. Nothing changes unless every file
/// reads and the neighbourhood's code is found; the message says which file, row, column or
/// code is wrong.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    // The neighbourhood first: another tenant's id is 404 whatever the body is.
    let nb = neighbourhood(&state, &user, &id).await?;
    if !may_manage(&user) {
        return Err(AppError::Forbidden);
    }
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let mut form = match Multipart::from_request(req, &()).await {
        Ok(form) => form,
        Err(_) => {
            e.add("kerncijfers", t.get("cbs-error-unreadable-upload"));
            return refused(&state, &ctx, &user, nb, FormData::default(), e).await;
        }
    };
    let mut up = Upload::default();
    loop {
        match form.next_field().await {
            Ok(Some(mut field)) => {
                let name = field.name().unwrap_or("").to_string();
                let max = if name == "properties" {
                    1024 * 1024
                } else {
                    cbs::MAX_BYTES
                };
                match read_field(&mut field, max).await {
                    Ok(bytes) => {
                        let text = || String::from_utf8_lossy(&bytes).chars().take(20).collect();
                        match name.as_str() {
                            "code" => up.code = text(),
                            "year" => up.year = text(),
                            "kerncijfers" if !bytes.is_empty() => up.kerncijfers = Some(bytes),
                            "households" if !bytes.is_empty() => up.households = Some(bytes),
                            "properties" if !bytes.is_empty() => up.properties = Some(bytes),
                            _ => {}
                        }
                    }
                    Err(key) => {
                        let at = match name.as_str() {
                            "households" | "properties" => name.clone(),
                            _ => "kerncijfers".to_string(),
                        };
                        e.add(&at, t.get(key));
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(err) => {
                e.add("kerncijfers", t.get(upload_error(&err)));
                break;
            }
        }
    }
    let code = match cbs::area_code(&up.code) {
        Some(c) => Some(c),
        None => {
            e.add("code", t.get("scan-error-code"));
            None
        }
    };
    let year = e.take(
        &t,
        "year",
        mtp_domain::scan::parse_year(&up.year, crate::today()),
    );
    if up.kerncijfers.is_none() && e.get("kerncijfers").is_none() {
        e.add("kerncijfers", t.get("scan-error-no-file"));
    }
    let form_back = FormData::parse(
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &up.code)
            .append_pair("year", &up.year)
            .finish()
            .as_bytes(),
    );
    let (Some(code), Some(year), Some(kern), true) =
        (code, year, up.kerncijfers.take(), e.is_empty())
    else {
        return refused(&state, &ctx, &user, nb, form_back, e).await;
    };
    // Reading parses up to the limits: CPU that must not stall this worker thread.
    let (households, properties) = (up.households.take(), up.properties.take());
    let read = tokio::task::spawn_blocking(move || read_all(&kern, households, properties, &code))
        .await
        .map_err(|_| AppError::Internal)?;
    let scan = match read {
        Ok(scan) => scan,
        Err((field, err)) => {
            e.add(field, cbs_message(&t, &err));
            return refused(&state, &ctx, &user, nb, form_back, e).await;
        }
    };
    let detail = format!(
        "code={} year={year} estimate={}",
        scan.code,
        scan.single_parent_estimate
            .map(|n| n.to_string())
            .unwrap_or_default()
    );
    let event = audit_event(
        &user,
        Action::ScanImported,
        Subject::neighbourhood(nb.id),
        &detail,
    );
    state
        .store
        .import_scan(
            &user.tenant,
            Some(user.account.id),
            &user.account.display_name,
            nb.id,
            year,
            &scan,
            crate::today(),
            event,
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/neighbourhoods/{}/scan", nb.id),
        "flash-scan-imported",
        "",
    ))
}

/// The page again with the upload's errors (422), and the refusal in the audit trail.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    nb: Neighbourhood,
    f: FormData,
    e: FormErrors,
) -> Result<Response, AppError> {
    let detail: String = e
        .list()
        .iter()
        .map(|(field, _)| field.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let event = audit_event(
        user,
        Action::ScanImportRefused,
        Subject::neighbourhood(nb.id),
        &detail,
    );
    if let Err(err) = state.store.audit(event).await {
        tracing::error!(error = %err, "could not write audit event");
    }
    Ok(unprocessable(scan_page(state, ctx, user, nb, f, e).await?))
}

/// Read the files and make the scan of `code`; an error names the form field of its file.
fn read_all(
    kern: &[u8],
    households: Option<Vec<u8>>,
    properties: Option<Vec<u8>>,
    code: &str,
) -> Result<Scan, (&'static str, CbsError)> {
    let titles = properties
        .map(|p| cbs::read_properties(&p))
        .transpose()
        .map_err(|e| ("properties", e))?;
    let k = cbs::read_kerncijfers(kern, titles.as_ref()).map_err(|e| ("kerncijfers", e))?;
    let h = households
        .map(|h| cbs::read_households(&h, titles.as_ref()))
        .transpose()
        .map_err(|e| ("households", e))?;
    cbs::scan(&k, h.as_ref(), code).map_err(|e| match e {
        // The municipality missing from the household table is that file's fault.
        CbsError::CodeNotFound { ref code } if code.starts_with("GM") => ("households", e),
        CbsError::NoShare { .. } => ("households", e),
        _ => ("code", e),
    })
}

/// `POST /neighbourhoods/{id}/scan/informants`: log a key-informant conversation.
pub async fn add_informant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = InformantForm {
        name: f.get("name"),
        organisation: f.get("organisation"),
        partner: f.get("partner"),
        held_on: f.get("held_on"),
        sees: f.get("sees"),
    };
    let draft = match InformantDraft::parse(&form, crate::today()) {
        Ok(d) => d,
        Err(errors) => {
            e.fields(&t, errors);
            return Ok(unprocessable(
                scan_page(&state, &ctx, &user, nb, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::ScanInformantAdded,
        Subject::in_neighbourhood("scan-informant", Uuid::nil(), nb.id),
        "",
    );
    match state
        .store
        .add_informant(&user.tenant, Some(user.account.id), nb.id, &draft, event)
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/neighbourhoods/{}/scan#informants", nb.id),
            "flash-scan-informant-added",
            "",
        )),
        // A partner out of reach or deleted: the choice is wrong, the page stays.
        Err(StoreError::NotFound) if draft.partner_id.is_some() => {
            e.field(&t, "partner", mtp_domain::FieldError::ChoiceInvalid);
            Ok(unprocessable(
                scan_page(&state, &ctx, &user, nb, f, e).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- the action plan

#[derive(Template)]
#[template(path = "scan_plan.html")]
struct PlanPage {
    p: Page,
    nb: Neighbourhood,
    plan: PlanLines,
    start_on: String,
    updated: String,
    target: String,
    may_manage: bool,
}

/// The plan's texts as paragraphs, one per line the team typed.
struct PlanLines {
    goals: Vec<String>,
    modules: Vec<String>,
    location: Vec<String>,
    partners: Vec<String>,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `GET /neighbourhoods/{id}/plan`: the action plan as a document to read and print.
pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let plan = state.store.action_plan(&user.tenant, nb.id).await?;
    let target = match &nb.target_group {
        Some(g) if g.source.is_empty() => t.number(g.estimate.get()),
        Some(g) => format!("{} ({})", t.number(g.estimate.get()), g.source),
        None => t.get("scan-no-target"),
    };
    Ok(render_page(&PlanPage {
        p: Page::new(&ctx, "plan-title"),
        start_on: plan.plan.start_on.map(|d| t.day(d)).unwrap_or_default(),
        updated: plan
            .updated_at
            .map(|d| t.get1("plan-updated", "date", t.date(d)))
            .unwrap_or_default(),
        plan: PlanLines {
            goals: lines(&plan.plan.goals),
            modules: lines(&plan.plan.modules),
            location: lines(&plan.plan.location),
            partners: lines(&plan.plan.partners),
        },
        target,
        may_manage: may_manage(&user),
        nb,
    }))
}

#[derive(Template)]
#[template(path = "scan_plan_form.html")]
struct PlanFormPage {
    p: Page,
    nb: Neighbourhood,
    f: FormData,
}

fn plan_form_page(ctx: &Ctx, nb: Neighbourhood, f: FormData, e: FormErrors) -> Response {
    render_page(&PlanFormPage {
        p: Page::new(ctx, "plan-edit-title").with_errors(e),
        nb,
        f,
    })
}

/// `GET /neighbourhoods/{id}/plan/edit`.
pub async fn plan_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    let plan = state.store.action_plan(&user.tenant, nb.id).await?.plan;
    let f = FormData::parse(
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("goals", &plan.goals)
            .append_pair("modules", &plan.modules)
            .append_pair("location", &plan.location)
            .append_pair("partners", &plan.partners)
            .append_pair(
                "start_on",
                &plan
                    .start_on
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            )
            .finish()
            .as_bytes(),
    );
    Ok(plan_form_page(&ctx, nb, f, FormErrors::default()))
}

/// `POST /neighbourhoods/{id}/plan`: save the whole plan.
pub async fn plan_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let form = PlanForm {
        goals: f.get("goals"),
        modules: f.get("modules"),
        location: f.get("location"),
        partners: f.get("partners"),
        start_on: f.get("start_on"),
    };
    let plan = match PlanDraft::parse(&form) {
        Ok(p) => p,
        Err(errors) => {
            let mut e = FormErrors::default();
            e.fields(&t, errors);
            return Ok(unprocessable(plan_form_page(&ctx, nb, f, e)));
        }
    };
    let event = audit_event(
        &user,
        Action::ScanPlanSaved,
        Subject::neighbourhood(nb.id),
        "",
    );
    state
        .store
        .save_action_plan(&user.tenant, Some(user.account.id), nb.id, &plan, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/neighbourhoods/{}/plan", nb.id),
        "flash-plan-saved",
        "",
    ))
}

// ---------------------------------------------------------------- the start-up checklist

pub struct StepRow {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
    pub href: String,
    pub link: String,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "scan_start.html")]
struct StartPage {
    p: Page,
    nb: Neighbourhood,
    steps: Vec<StepRow>,
    progress: String,
    may_manage: bool,
}

/// Where in the app a step is done.
fn step_href(step: StartStep, nb: Uuid) -> String {
    match step {
        StartStep::ScanDone => format!("/neighbourhoods/{nb}/scan"),
        StartStep::PartnersInformed => "/partners".to_string(),
        StartStep::LocationChosen | StartStep::PreconditionsMet => {
            format!("/neighbourhoods/{nb}/plan")
        }
        StartStep::HostsFound => "/admin/accounts".to_string(),
        StartStep::WhatsappStarted => "/chat".to_string(),
        StartStep::FirstCoffeeHour => "/activities".to_string(),
    }
}

/// `GET /neighbourhoods/{id}/start`.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    start_page(&state, &ctx, &user, nb, FormErrors::default()).await
}

async fn start_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    nb: Neighbourhood,
    e: FormErrors,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let done = state.store.start_steps(&user.tenant, nb.id).await?;
    let ticked: Vec<StartStep> = done.iter().map(|d| d.step).collect();
    let (n, total) = mtp_domain::scan::progress(&ticked);
    let steps = StartStep::ALL
        .into_iter()
        .map(|s| {
            let key = format!("start-step-{}", s.as_str());
            let href = step_href(s, nb.id);
            let path = href.replace(&nb.id.to_string(), "{id}");
            StepRow {
                value: s.as_str(),
                label: t.get(&key),
                hint: t.get(format!("{key}-hint")),
                link: if crate::gate::allows(user.role(), &Method::GET, &path) {
                    t.get(format!("{key}-link"))
                } else {
                    String::new()
                },
                href,
                done: done.iter().find(|d| d.step == s).map(|d| {
                    t.get2(
                        "start-done-by",
                        ("date", d.done_on.map(|x| t.day(x)).unwrap_or_default()),
                        ("name", d.done_by.clone()),
                    )
                }),
            }
        })
        .collect();
    Ok(render_page(&StartPage {
        p: Page::new(ctx, "start-title").with_errors(e),
        progress: t.get2("start-progress", ("done", n), ("total", total)),
        steps,
        may_manage: may_manage(user),
        nb,
    }))
}

/// `POST /neighbourhoods/{id}/start`: tick (`done=yes`) or untick a step.
pub async fn tick(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let nb = neighbourhood(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let Ok(step) = StartStep::parse(f.get("step")) else {
        let mut e = FormErrors::default();
        e.field(&t, "step", mtp_domain::FieldError::ChoiceInvalid);
        return Ok(unprocessable(start_page(&state, &ctx, &user, nb, e).await?));
    };
    let done = f.get("done") == "yes";
    let event = audit_event(
        &user,
        if done {
            Action::StartStepTicked
        } else {
            Action::StartStepUnticked
        },
        Subject::neighbourhood(nb.id),
        step.as_str(),
    );
    state
        .store
        .set_start_step(
            &user.tenant,
            Some(user.account.id),
            &user.account.display_name,
            nb.id,
            step,
            done,
            crate::today(),
            event,
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/neighbourhoods/{}/start#step-{}", nb.id, step.as_str()),
        if done {
            "flash-start-ticked"
        } else {
            "flash-start-unticked"
        },
        "",
    ))
}

/// "3 van 7": a neighbourhood's start-up progress for the neighbourhood list.
pub fn progress_text(t: &Tr, done: usize) -> String {
    t.get2(
        "start-progress-short",
        ("done", done),
        ("total", StartStep::ALL.len()),
    )
}

//! The household register: list and search, register, the household page with its timeline,
//! status and consent. Hosts see first names in the list and nothing else (docs/design.md §2).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::Response;
use chrono::Utc;
use mtp_domain::audit::Action;
use mtp_domain::consent::{self, ConsentMethod, ConsentRecord, Purpose};
use mtp_domain::{
    Channel, ChildBirth, Email, FieldError, HouseholdKind, HouseholdStatus, PersonName,
    PhoneNumber, Postcode4, Role, Source,
};
use mtp_store::{
    ChildDraft, Household, HouseholdDraft, HouseholdFilter, HouseholdSummary, Neighbourhood,
    ParentDraft, StoreError,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::{Tr, WEEK};
use crate::label::options;
use crate::page::{Page, render_page};
use crate::respond::redirect_with_flash;

const PAGE_SIZE: u64 = 50;
/// Rows for children on the registration form; more can be added on the household page later.
pub const CHILD_ROWS: usize = 4;
/// The most child rows a form carries.
const MAX_CHILD_ROWS: usize = 12;
/// Free text fields (interests, talents, notes) are bounded so a paste cannot fill the disk.
const MAX_TEXT: usize = 2000;

fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

// ---------------------------------------------------------------- list

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    neighbourhood: String,
    /// "1": only households registered in the last `NEW_WEEKS` weeks.
    #[serde(default)]
    new: String,
    /// "recent", "away" or "never": see `attended_filter`.
    #[serde(default)]
    attended: String,
    #[serde(default)]
    page: u64,
}

/// "Came recently" and "stayed away" both mean: within or beyond this many weeks.
const RECENT_WEEKS: i64 = 4;

fn attended_filter(raw: &str) -> Option<mtp_store::Attended> {
    let since = Utc::now() - chrono::Duration::weeks(RECENT_WEEKS);
    match raw {
        "recent" => Some(mtp_store::Attended::Since(since)),
        "away" => Some(mtp_store::Attended::NotSince(since)),
        "never" => Some(mtp_store::Attended::Never),
        _ => None,
    }
}

/// A household counts as new for this many weeks after registration: the handbook's
/// "newcomer in the first weeks" who needs extra attention.
const NEW_WEEKS: i64 = 8;

pub struct Card {
    pub id: Uuid,
    pub names: String,
    pub status: String,
    pub status_tag: &'static str,
    pub kind: String,
    pub neighbourhood: String,
    pub children: usize,
}

#[derive(Template)]
#[template(path = "households.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    cards: Vec<Card>,
    count_text: String,
    host_view: bool,
    may_register: bool,
    neighbourhoods: Vec<Neighbourhood>,
    statuses: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    attended: Vec<(&'static str, String)>,
    next_href: Option<String>,
    prev_href: Option<String>,
}

pub fn status_tag(s: HouseholdStatus) -> &'static str {
    match s {
        HouseholdStatus::Active => "tag--present",
        HouseholdStatus::Contacted => "tag--info",
        HouseholdStatus::Quiet => "tag--excused",
        HouseholdStatus::Left => "tag--neutral",
    }
}

fn card(t: &Tr, s: HouseholdSummary, host_view: bool) -> Card {
    Card {
        id: s.id,
        // Hosts are volunteers: first names only (docs/ui.md §1.10).
        names: if host_view {
            s.first_names.join(" & ")
        } else {
            s.full_names.join(" & ")
        },
        status: t.label(&s.status),
        status_tag: status_tag(s.status),
        kind: t.label(&s.kind),
        neighbourhood: s.neighbourhood_name,
        children: s.children,
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(mut q): Query<ListQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let host_view = user.role() == Role::Host;
    let p = Page::new(&ctx, "households-title");
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let mut filter = HouseholdFilter {
        q: q.q.chars().take(100).collect(),
        status: HouseholdStatus::parse(&q.status).ok(),
        kind: HouseholdKind::parse(&q.kind).ok(),
        neighbourhood_id: Uuid::parse_str(&q.neighbourhood).ok(),
        registered_since: (q.new == "1").then(|| Utc::now() - chrono::Duration::weeks(NEW_WEEKS)),
        attended: attended_filter(&q.attended),
    };
    if host_view {
        // A host cannot search (a phone number would tell them who is registered) and sees
        // the families who take part now.
        q.q.clear();
        filter.q.clear();
        filter.status = Some(HouseholdStatus::Active);
    }
    let page = q.page.min(10_000);
    let (rows, total) = state
        .store
        .households(&user.tenant, &filter, PAGE_SIZE, page * PAGE_SIZE)
        .await?;
    audit(
        &state,
        &user,
        Action::HouseholdsListed,
        Subject::none("household"),
        &format!("rows={}", rows.len()),
    )
    .await;
    let link = |page: u64| {
        url::form_urlencoded::Serializer::new("/households?".to_string())
            .append_pair("q", &q.q)
            .append_pair("status", &q.status)
            .append_pair("kind", &q.kind)
            .append_pair("neighbourhood", &q.neighbourhood)
            .append_pair("new", &q.new)
            .append_pair("attended", &q.attended)
            .append_pair("page", &page.to_string())
            .finish()
    };
    let next_href = ((page + 1) * PAGE_SIZE < total).then(|| link(page + 1));
    let prev_href = (page > 0).then(|| link(page - 1));
    let statuses = options(&p.t, HouseholdStatus::ALL);
    let kinds = options(&p.t, HouseholdKind::ALL);
    Ok(render_page(&ListPage {
        cards: rows.into_iter().map(|s| card(&p.t, s, host_view)).collect(),
        count_text: if total > mtp_store::households::COUNT_CAP {
            p.t.get1("households-count-more", "name", "1.000")
        } else {
            p.t.get1("households-count", "count", total)
        },
        host_view,
        may_register: crate::gate::allows(user.role(), &Method::GET, "/households/new"),
        neighbourhoods,
        statuses,
        kinds,
        attended: options(
            &p.t,
            ["recent", "away", "never"].map(|a| (a, format!("households-attended-{a}"))),
        ),
        next_href,
        prev_href,
        q,
        p,
    }))
}

// ---------------------------------------------------------------- register

#[derive(Template)]
#[template(path = "household_new.html")]
struct NewPage {
    p: Page,
    f: FormData,
    neighbourhoods: Vec<Neighbourhood>,
    kinds: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    sources: Vec<(&'static str, String)>,
    methods: Vec<(&'static str, String)>,
    months: Vec<(String, String)>,
    weekdays: Vec<(String, String)>,
    child_rows: Vec<usize>,
    action: String,
    editing: bool,
    /// The partner organisations the family may have come through: id and name.
    partners: Vec<(String, String)>,
}

impl NewPage {
    fn free_day_checked(&self, parent: impl std::fmt::Display, day: &str) -> bool {
        self.f.all(&format!("p{parent}_free_days")).contains(&day)
    }
}

async fn new_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    form_page(state, ctx, user, f, errors, None).await
}

/// The partner organisations a household may have come through (docs/guide/partners.md):
/// those in the user's reach working in the form's neighbourhood (any of the user's, while
/// none is chosen), and the household's own partner as stored, even one deleted since.
async fn partner_options(
    state: &AppState,
    user: &User,
    f: &FormData,
    editing: Option<&Household>,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let nb = Uuid::parse_str(f.get("neighbourhood")).ok();
    let nb = match nb {
        Some(nb) => Some(nb),
        None => match state.store.neighbourhoods(&user.tenant).await?.as_slice() {
            [only] => Some(only.id),
            _ => None,
        },
    };
    let mut out = state.store.partner_choices(&user.tenant, nb).await?;
    if let Some((id, name)) = editing.and_then(|h| h.source_partner_org.clone())
        && !out.iter().any(|(o, _)| *o == id)
    {
        out.push((id, name));
    }
    Ok(out)
}

/// The form's "came through partner": `Some(None)` for none, `Some(Some(id))` for one of
/// [`partner_options`]; anything else is an error at the field (`None`).
async fn parse_source_partner(
    state: &AppState,
    user: &User,
    t: &Tr,
    e: &mut FormErrors,
    f: &FormData,
    editing: Option<&Household>,
) -> Result<Option<Option<Uuid>>, AppError> {
    let raw = f.get("source_partner_id").trim();
    if raw.is_empty() {
        return Ok(Some(None));
    }
    let allowed = partner_options(state, user, f, editing).await?;
    match Uuid::parse_str(raw) {
        Ok(id) if allowed.iter().any(|(a, _)| *a == id) => Ok(Some(Some(id))),
        _ => {
            e.field(t, "source_partner_id", FieldError::ChoiceInvalid);
            Ok(None)
        }
    }
}

/// The registration form; with `editing` the same form corrects an existing household.
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
    household: Option<&Household>,
) -> Result<Response, AppError> {
    let partners = partner_options(state, user, &f, household)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let editing = household.map(|h| h.id);
    let title = if editing.is_some() {
        "household-edit-title"
    } else {
        "household-new-title"
    };
    let p = Page::new(ctx, title).with_errors(errors);
    let rows_wanted = (0..MAX_CHILD_ROWS)
        .filter(|i| !f.get(&format!("c{i}_first_name")).is_empty())
        .count()
        .saturating_add(1)
        .clamp(CHILD_ROWS, MAX_CHILD_ROWS);
    let t = p.t;
    let page = NewPage {
        neighbourhoods: state.store.neighbourhoods(&user.tenant).await?,
        kinds: options(&t, HouseholdKind::ALL),
        channels: options(&t, Channel::ALL),
        sources: options(&t, Source::ALL),
        methods: options(&t, [ConsentMethod::Verbal, ConsentMethod::Paper]),
        months: (1..=12).map(|m| (m.to_string(), t.month(m))).collect(),
        weekdays: WEEK
            .iter()
            .map(|&d| {
                (
                    d.num_days_from_monday().to_string(),
                    t.weekday(d).to_string(),
                )
            })
            .collect(),
        child_rows: (0..rows_wanted).collect(),
        action: match editing {
            Some(id) => format!("/households/{id}/edit"),
            None => "/households/new".to_string(),
        },
        editing: editing.is_some(),
        partners,
        f,
        p,
    };
    Ok(render_page(&page))
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let f = FormData::parse(
        b"kind=single_parent&p0_channel=whatsapp&source=neighbourhood_team&consent_method=verbal",
    );
    new_page(&state, &ctx, &user, f, FormErrors::default()).await
}

fn optional<T>(r: Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(FieldError::Required) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One parent's fields; `required` is false for the second parent, who may be left empty.
fn parse_parent(
    t: &Tr,
    e: &mut FormErrors,
    f: &FormData,
    i: usize,
    required: bool,
) -> Option<ParentDraft> {
    let key = |name: &str| format!("p{i}_{name}");
    let any = ["first_name", "last_name", "phone", "email"]
        .iter()
        .any(|n| !f.get(&key(n)).trim().is_empty());
    if !required && !any {
        return None;
    }
    let first = e.take(
        t,
        &key("first_name"),
        PersonName::parse(f.get(&key("first_name"))),
    );
    let last = e.take(
        t,
        &key("last_name"),
        optional(PersonName::parse(f.get(&key("last_name")))),
    );
    let phone = e.take(
        t,
        &key("phone"),
        PhoneNumber::parse_optional(f.get(&key("phone"))),
    );
    let email = e.take(
        t,
        &key("email"),
        optional(Email::parse(f.get(&key("email")))),
    );
    let channel = e.take(t, &key("channel"), Channel::parse(f.get(&key("channel"))));
    let languages: String = f.get(&key("languages")).trim().chars().take(200).collect();
    let free_days: Vec<u8> = f
        .all(&key("free_days"))
        .iter()
        .filter_map(|d| d.parse::<u8>().ok())
        .filter(|d| *d < 7)
        .collect();
    // The channel must be one we can use: no WhatsApp without a phone number.
    if let (Some(c), Some(phone), Some(email)) = (channel, &phone, &email) {
        let missing_phone =
            matches!(c, Channel::WhatsApp | Channel::Phone | Channel::Sms) && phone.is_none();
        if missing_phone {
            e.add(&key("phone"), t.get("error-phone-needed-for-channel"));
        }
        if c == Channel::Email && email.is_none() {
            e.add(&key("email"), t.get("error-email-needed-for-channel"));
        }
    }
    Some(ParentDraft {
        first_name: first?,
        last_name: last?,
        phone: phone?,
        email: email?,
        channel: channel?,
        languages,
        works: f.has(&key("works")),
        free_days,
    })
}

fn parse_children(t: &Tr, e: &mut FormErrors, f: &FormData) -> Vec<ChildDraft> {
    let mut out = Vec::new();
    for i in 0..MAX_CHILD_ROWS {
        let key = |name: &str| format!("c{i}_{name}");
        let (name, month, year) = (
            f.get(&key("first_name")),
            f.get(&key("month")),
            f.get(&key("year")),
        );
        if name.trim().is_empty() && month.trim().is_empty() && year.trim().is_empty() {
            continue;
        }
        let first = e.take(t, &key("first_name"), PersonName::parse(name));
        match ChildBirth::parse(month, year, today()) {
            Ok(birth) => {
                if let Some(first_name) = first {
                    out.push(ChildDraft { first_name, birth });
                }
            }
            Err(errs) => {
                for (field, err) in errs {
                    e.field(t, &key(field), err);
                }
            }
        }
    }
    out
}

/// Parse the registration (or edit) form. With `need_consent` the consent for registering
/// is required, as at registration.
async fn parse_draft(
    state: &AppState,
    user: &User,
    t: &Tr,
    f: &FormData,
    need_consent: bool,
) -> Result<(FormErrors, Option<HouseholdDraft>), AppError> {
    let mut e = FormErrors::default();
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let neighbourhood_id = match neighbourhoods.as_slice() {
        [only] => Some(only.id),
        _ => match Uuid::parse_str(f.get("neighbourhood")) {
            Ok(id) if neighbourhoods.iter().any(|n| n.id == id) => Some(id),
            _ => {
                e.add("neighbourhood", t.get("error-choice-invalid-neighbourhood"));
                None
            }
        },
    };
    let kind = e.take(t, "kind", HouseholdKind::parse(f.get("kind")));
    let p0 = parse_parent(t, &mut e, f, 0, true);
    let p1 = parse_parent(t, &mut e, f, 1, false);
    let children = parse_children(t, &mut e, f);
    let postcode = e.take(
        t,
        "postcode4",
        Postcode4::parse_optional(f.get("postcode4")),
    );
    let source = e.take(t, "source", Source::parse(f.get("source")));
    let source_partner: String = f.get("source_partner").trim().chars().take(100).collect();
    let interests = e.text(t, f, "interests", MAX_TEXT);
    let talents = e.text(t, f, "talents", MAX_TEXT);
    let notes = e.text(t, f, "notes", MAX_TEXT);
    let method = if need_consent {
        if !f.has("consent_data") {
            e.add("consent_data", t.get("error-consent-data-needed"));
        }
        e.take(
            t,
            "consent_method",
            ConsentMethod::parse(f.get("consent_method")),
        )
    } else {
        // Unused when editing: the consent was recorded at registration.
        Some(ConsentMethod::Verbal)
    };
    let (
        Some(neighbourhood_id),
        Some(kind),
        Some(p0),
        Some(postcode4),
        Some(source),
        Some(data_consent),
        true,
    ) = (
        neighbourhood_id,
        kind,
        p0,
        postcode,
        source,
        method,
        e.is_empty(),
    )
    else {
        return Ok((e, None));
    };
    let mut parents = vec![p0];
    parents.extend(p1);
    Ok((
        e,
        Some(HouseholdDraft {
            neighbourhood_id,
            kind,
            source,
            source_partner: Some(source_partner).filter(|s| !s.is_empty()),
            postcode4,
            interests,
            talents,
            notes,
            parents,
            children,
            data_consent,
        }),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (mut e, draft) = parse_draft(&state, &user, &t, &f, true).await?;
    let partner = parse_source_partner(&state, &user, &t, &mut e, &f, None).await?;
    let (Some(draft), Some(partner)) = (draft, partner) else {
        return Ok(unprocessable(new_page(&state, &ctx, &user, f, e).await?));
    };
    // The store puts the new household's id in the entry.
    let event = audit_event(
        &user,
        Action::HouseholdCreated,
        Subject::household(Uuid::nil(), draft.neighbourhood_id),
        "",
    );
    match state
        .store
        .create_household_via(
            &user.tenant,
            Some(user.account.id),
            &draft,
            partner,
            Some(event),
        )
        .await
    {
        Ok(id) => {
            let name = draft.parents[0].first_name.as_str().to_string();
            Ok(redirect_with_flash(
                &state,
                &format!("/households/{id}"),
                "flash-household-created",
                &name,
            ))
        }
        Err(StoreError::Refused(key)) => {
            e.add("source_partner_id", t.get(key));
            Ok(unprocessable(new_page(&state, &ctx, &user, f, e).await?))
        }
        Err(StoreError::NotFound) => Err(AppError::Forbidden),
        Err(err) => Err(err.into()),
    }
}

/// The household as the form's fields, to correct it.
fn as_form(h: &Household) -> FormData {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("neighbourhood", &h.neighbourhood_id.to_string())
        .append_pair("kind", h.kind.as_str())
        .append_pair("postcode4", h.postcode4.as_deref().unwrap_or(""))
        .append_pair("source", h.source.as_str())
        .append_pair("source_partner", h.source_partner.as_deref().unwrap_or(""))
        .append_pair(
            "source_partner_id",
            &h.source_partner_org
                .as_ref()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default(),
        )
        .append_pair("interests", &h.interests)
        .append_pair("talents", &h.talents)
        .append_pair("notes", &h.notes);
    for (i, p) in h.parents.iter().enumerate().take(2) {
        let k = |n: &str| format!("p{i}_{n}");
        ser.append_pair(&k("first_name"), &p.first_name)
            .append_pair(&k("last_name"), p.last_name.as_deref().unwrap_or(""))
            .append_pair(
                &k("phone"),
                &p.phone.as_ref().map(|n| n.display()).unwrap_or_default(),
            )
            .append_pair(&k("email"), p.email.as_deref().unwrap_or(""))
            .append_pair(&k("channel"), p.channel.as_str())
            .append_pair(&k("languages"), &p.languages);
        if p.works {
            ser.append_pair(&k("works"), "yes");
        }
        for d in &p.free_days {
            ser.append_pair(&k("free_days"), &d.to_string());
        }
    }
    for (i, c) in h.children.iter().enumerate().take(MAX_CHILD_ROWS) {
        ser.append_pair(&format!("c{i}_first_name"), &c.first_name)
            .append_pair(&format!("c{i}_month"), &c.birth.month.to_string())
            .append_pair(&format!("c{i}_year"), &c.birth.year.to_string());
    }
    FormData::parse(ser.finish().as_bytes())
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    if h.anonymised {
        // Nothing left to correct: show what remains.
        return Ok(to_household(h.id));
    }
    audit(
        &state,
        &user,
        Action::HouseholdViewed,
        Subject::household(h.id, h.neighbourhood_id),
        "edit",
    )
    .await;
    let f = as_form(&h);
    form_page(&state, &ctx, &user, f, FormErrors::default(), Some(&h)).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let (mut e, draft) = parse_draft(&state, &user, &t, &f, false).await?;
    let partner = parse_source_partner(&state, &user, &t, &mut e, &f, Some(&h)).await?;
    let (Some(draft), Some(partner)) = (draft, partner) else {
        return Ok(unprocessable(
            form_page(&state, &ctx, &user, f, e, Some(&h)).await?,
        ));
    };
    let event = audit_event(
        &user,
        Action::HouseholdUpdated,
        Subject::household(h.id, draft.neighbourhood_id),
        "",
    );
    match state
        .store
        .update_household_via(
            &user.tenant,
            Some(user.account.id),
            h.id,
            &draft,
            Some(partner),
            event,
        )
        .await
    {
        Ok(()) => {}
        Err(StoreError::Refused(key)) => {
            e.add("source_partner_id", t.get(key));
            return Ok(unprocessable(
                form_page(&state, &ctx, &user, f, e, Some(&h)).await?,
            ));
        }
        Err(err) => return Err(err.into()),
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{}", h.id),
        "flash-saved",
        "",
    ))
}

// ---------------------------------------------------------------- one household

pub struct ConsentRow {
    pub purpose: &'static str,
    pub label: String,
    pub given: Option<bool>,
    pub when: String,
    pub how: String,
}

/// The household page, where a worker lands after an action that is moot (already erased).
fn to_household(id: Uuid) -> Response {
    axum::response::IntoResponse::into_response(axum::response::Redirect::to(&format!(
        "/households/{id}"
    )))
}

fn timeline_rows(t: &Tr, h: &Household) -> Vec<TimelineRow> {
    h.events
        .iter()
        .map(|e| TimelineRow {
            when: t.datetime(e.at),
            who: e.actor_name.clone().unwrap_or_default(),
            what: timeline_text(t, &e.kind, &e.detail),
        })
        .collect()
}

pub struct TimelineRow {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    p: Page,
    h: Household,
    kind_label: String,
    status_label: String,
    status_tag: &'static str,
    source_label: String,
    primary_target: bool,
    children: Vec<(String, String)>,
    consents: Vec<ConsentRow>,
    next_statuses: Vec<(&'static str, String)>,
    methods: Vec<(&'static str, String)>,
    timeline: Vec<TimelineRow>,
    parent_phones: Vec<String>,
    duplicates: Vec<Card>,
    registered: String,
    attendance: Vec<AttendanceRow>,
    calendar: bool,
    portal: crate::views::PortalSection,
    /// The family's questionnaire answers over time: their own worker only (issue #19).
    questionnaire: Option<crate::routes::questionnaires::HouseholdSection>,
    /// The engagement ladder and the family's return services (issue #18).
    engagement: crate::routes::talent::Engagement,
}

pub struct AttendanceRow {
    pub session_id: Uuid,
    pub what: String,
    pub when: String,
    pub status: String,
    pub status_tag: &'static str,
    /// "Came: Sanne" when the worker said who of two parents came; empty otherwise.
    pub who: String,
}

/// How many past sessions the household page lists.
const ATTENDANCE_SHOWN: u64 = 20;

fn consent_rows(t: &Tr, records: &[ConsentRecord]) -> Vec<ConsentRow> {
    Purpose::ALL
        .iter()
        .map(|purpose| {
            let latest = consent::latest(records, *purpose);
            ConsentRow {
                purpose: purpose.as_str(),
                label: t.label(&purpose),
                given: latest.map(|r| r.given),
                when: latest.map(|r| t.datetime(r.at)).unwrap_or_default(),
                how: latest.map(|r| t.label(&r.method)).unwrap_or_default(),
            }
        })
        .collect()
}

fn timeline_text(t: &Tr, kind: &str, detail: &str) -> String {
    match kind {
        "status" => {
            let (from, to) = detail.split_once('>').unwrap_or(("", detail));
            let label = |s: &str| {
                HouseholdStatus::parse(s)
                    .map(|s| t.label(&s))
                    .unwrap_or_default()
            };
            format!(
                "{}: {} → {}",
                t.get("timeline-status"),
                label(from),
                label(to)
            )
        }
        "consent" => {
            let (purpose, state) = detail.split_once(':').unwrap_or((detail, ""));
            format!(
                "{}: {}",
                t.get(format!("timeline-consent-{state}")),
                t.get(format!("consent-purpose-{purpose}"))
            )
        }
        "contact" => {
            let (channel, outcome) = detail.split_once(':').unwrap_or((detail, ""));
            format!(
                "{} ({}): {}",
                t.get("timeline-contact"),
                t.get(format!("contact-channel-{channel}")),
                t.get(format!("contact-outcome-{outcome}"))
            )
        }
        "portal_request" => format!(
            "{}: {}",
            t.get("timeline-portal_request"),
            t.get(format!("parent-request-{detail}"))
        ),
        // Activity events carry the activity's name.
        other if other.starts_with("activity_") => {
            format!("{}: {detail}", t.get(format!("timeline-{other}")))
        }
        other => t.get(format!("timeline-{other}")),
    }
}

fn parse_household_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Load a household for this user; a miss on a valid id is logged as a refused attempt.
async fn load(state: &AppState, user: &User, id: Uuid) -> Result<Household, AppError> {
    match state.store.household(&user.tenant, id).await {
        Ok(h) => Ok(h),
        Err(StoreError::NotFound) => {
            let event = mtp_store::NewAuditEvent {
                org_id: user.org.id,
                actor_id: Some(user.account.id),
                actor_role: user.role().as_str().into(),
                action: Action::HouseholdViewed,
                object_type: "household".into(),
                object_id: Some(id),
                neighbourhood_id: None,
                outcome: mtp_domain::audit::Outcome::Denied,
                detail: "not found or out of reach".into(),
            };
            crate::audit::record(state, event).await;
            Err(AppError::NotFound)
        }
        Err(err) => Err(err.into()),
    }
}

async fn household_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    h: Household,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "household-title").with_errors(errors);
    let t = p.t;
    let today = today();
    let children = h
        .children
        .iter()
        .map(|c| {
            let age = c.birth.age_on(today);
            (
                c.first_name.clone(),
                format!(
                    "{} {} ({})",
                    t.month(c.birth.month),
                    c.birth.year,
                    t.get1("age-years", "name", age)
                ),
            )
        })
        .collect();
    let births: Vec<ChildBirth> = h.children.iter().map(|c| c.birth).collect();
    let next_statuses = options(
        &t,
        HouseholdStatus::ALL
            .into_iter()
            .filter(|s| h.status.may_become(*s)),
    );
    let timeline = timeline_rows(&t, &h);
    let tenant = &user.tenant;
    let attendance = state
        .store
        .household_attendance(tenant, h.id, ATTENDANCE_SHOWN)
        .await?
        .into_iter()
        .map(|(s, a)| AttendanceRow {
            session_id: s.id,
            what: s.activity_name.clone(),
            when: t.date(s.starts_at),
            status: match a.reason {
                Some(r) => format!("{} ({})", t.label(&a.status), t.label(&r)),
                None => t.label(&a.status),
            },
            status_tag: crate::views::status_tag(a.status),
            who: {
                let names: Vec<&str> = h
                    .parents
                    .iter()
                    .filter(|p| a.parents.contains(&p.id))
                    .map(|p| p.first_name.as_str())
                    .collect();
                if names.is_empty() {
                    String::new()
                } else {
                    t.get1("attendance-who", "name", names.join(" & "))
                }
            },
        })
        .collect();
    let calendar = state.store.has_calendar_feed(tenant, h.id).await?;
    let portal = if h.anonymised {
        Default::default()
    } else {
        crate::views::portal_section(state, ctx, user, &h).await?
    };
    let questionnaire =
        crate::routes::questionnaires::household_section(state, ctx, user, &h).await?;
    let engagement = crate::routes::talent::engagement(state, user, &t, h.id).await?;
    Ok(render_page(&HouseholdPage {
        questionnaire,
        engagement,
        portal,
        attendance,
        calendar,
        kind_label: t.label(&h.kind),
        status_label: t.label(&h.status),
        status_tag: status_tag(h.status),
        source_label: t.label(&h.source),
        primary_target: mtp_domain::is_primary_target(h.kind, &births, today),
        consents: consent_rows(&t, &h.consents),
        methods: options(&t, ConsentMethod::ALL),
        // Shown in Dutch national format (docs/ui.md §5.3); empty when unknown.
        parent_phones: h
            .parents
            .iter()
            .map(|x| x.phone.as_ref().map(|n| n.display()).unwrap_or_default())
            .collect(),
        registered: t.datetime(h.created_at),
        duplicates: if h.anonymised {
            Vec::new()
        } else {
            state
                .store
                .possible_duplicates(&user.tenant, h.id)
                .await?
                .into_iter()
                .map(|s| card(&t, s, false))
                .collect()
        },
        children,
        next_statuses,
        timeline,
        h,
        p,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    // NEN 7513: every view of a household record is logged.
    audit(
        &state,
        &user,
        Action::HouseholdViewed,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    )
    .await;
    household_page(&state, &ctx, &user, h, FormErrors::default()).await
}

pub async fn change_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let next = e.take(&t, "status", HouseholdStatus::parse(f.get("status")));
    let reason: String = f.get("status_reason").trim().chars().take(200).collect();
    if let Some(next) = next {
        if !h.status.may_become(next) {
            e.add("status", t.get("error-status-move"));
        } else if state
            .store
            .set_household_status(
                &user.tenant,
                Some(user.account.id),
                h.id,
                next,
                Some(reason).filter(|r| !r.is_empty()),
                Some(audit_event(
                    &user,
                    Action::HouseholdStatusChanged,
                    Subject::household(h.id, h.neighbourhood_id),
                    next.as_str(),
                )),
            )
            .await?
        {
            return Ok(redirect_with_flash(
                &state,
                &format!("/households/{}", h.id),
                "flash-saved",
                "",
            ));
        } else {
            e.add("status", t.get("error-status-move"));
        }
    }
    Ok(unprocessable(
        household_page(&state, &ctx, &user, h, e).await?,
    ))
}

pub async fn change_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let purpose = Purpose::parse(f.get("purpose"));
    let given = match f.get("given") {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let method = e.take(
        &t,
        "consent_method",
        ConsentMethod::parse(f.get("consent_method")),
    );
    let (Some(purpose), Some(given), Some(method)) = (purpose, given, method) else {
        if purpose.is_none() || given.is_none() {
            return Err(AppError::BadRequest);
        }
        return Ok(unprocessable(
            household_page(&state, &ctx, &user, h, e).await?,
        ));
    };
    let action = if given {
        Action::HouseholdConsentGiven
    } else {
        Action::HouseholdConsentWithdrawn
    };
    let event = audit_event(
        &user,
        action,
        Subject::household(h.id, h.neighbourhood_id),
        purpose.as_str(),
    );
    state
        .store
        .record_consent(
            &user.tenant,
            Some(user.account.id),
            h.id,
            purpose,
            given,
            method,
            Some(event),
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{}", h.id),
        "flash-saved",
        "",
    ))
}

// ---------------------------------------------------------------- privacy rights

#[derive(Template)]
#[template(path = "household_export.html")]
struct ExportPage {
    p: Page,
    h: Household,
    consents: Vec<ConsentRow>,
    timeline: Vec<TimelineRow>,
}

/// The readable copy of everything recorded (AVG art. 15), with the JSON download beside it.
pub async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    audit(
        &state,
        &user,
        Action::HouseholdExported,
        Subject::household(h.id, h.neighbourhood_id),
        "page",
    )
    .await;
    let p = Page::new(&ctx, "export-title");
    let t = p.t;
    let timeline = timeline_rows(&t, &h);
    Ok(render_page(&ExportPage {
        consents: consent_rows(&t, &h.consents),
        timeline,
        h,
        p,
    }))
}

/// The same data as a JSON file (AVG art. 20). The file name holds no name of a person.
pub async fn export_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    let data = state.store.export_household(&user.tenant, h.id).await?;
    audit(
        &state,
        &user,
        Action::HouseholdExported,
        Subject::household(h.id, h.neighbourhood_id),
        "json",
    )
    .await;
    let body = serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)?;
    let disposition = format!(
        "attachment; filename=\"gezin-{}.json\"",
        &h.id.to_string()[..8]
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "household_erase.html")]
struct ErasePage {
    p: Page,
    id: Uuid,
    names: String,
}

pub async fn erase_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    if h.anonymised {
        // Already erased (perhaps by a colleague a moment ago): show what is left.
        return Ok(to_household(h.id));
    }
    let names = h
        .parents
        .iter()
        .map(|x| x.first_name.clone())
        .collect::<Vec<_>>()
        .join(" & ");
    Ok(render_page(&ErasePage {
        p: Page::new(&ctx, "erase-title"),
        id: h.id,
        names,
    }))
}

/// Erasure on request: anonymise at once. Irreversible, so it has a confirmation page first
/// (docs/ui.md §1.7).
pub async fn erase(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = load(&state, &user, parse_household_id(&id)?).await?;
    let event = audit_event(
        &user,
        Action::HouseholdErased,
        Subject::household(h.id, h.neighbourhood_id),
        "request",
    );
    state
        .store
        .erase_household(&user.tenant, Some(user.account.id), h.id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/households",
        "flash-household-erased",
        "",
    ))
}

// ---------------------------------------------------------------- merge duplicates

#[derive(Template)]
#[template(path = "household_merge.html")]
struct MergePage {
    p: Page,
    keep: Uuid,
    other: Uuid,
    keep_names: String,
    other_names: String,
}

async fn pair(
    state: &AppState,
    user: &User,
    id: &str,
    other: &str,
) -> Result<(Household, Household), AppError> {
    let keep = load(state, user, parse_household_id(id)?).await?;
    let other = load(state, user, parse_household_id(other)?).await?;
    if keep.id == other.id {
        return Err(AppError::NotFound);
    }
    Ok((keep, other))
}

/// After one of the two was erased there is nothing to merge: show the one that stays.
fn gone(keep: &Household, other: &Household) -> Option<Response> {
    (keep.anonymised || other.anonymised).then(|| to_household(keep.id))
}

fn names(h: &Household) -> String {
    h.parents
        .iter()
        .map(|p| p.full_name())
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Merging cannot be undone, so it asks first (docs/ui.md §1.7).
pub async fn merge_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, other)): Path<(String, String)>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let (keep, other) = pair(&state, &user, &id, &other).await?;
    if let Some(res) = gone(&keep, &other) {
        return Ok(res);
    }
    Ok(render_page(&MergePage {
        p: Page::new(&ctx, "merge-title"),
        keep: keep.id,
        other: other.id,
        keep_names: names(&keep),
        other_names: names(&other),
    }))
}

pub async fn merge(
    State(state): State<AppState>,
    Path((id, other)): Path<(String, String)>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let (keep, other) = pair(&state, &user, &id, &other).await?;
    // The confirmation page's button sends this; a bare POST merges nothing.
    if f.get("merge") != "yes" {
        return Err(AppError::BadRequest);
    }
    if let Some(res) = gone(&keep, &other) {
        return Ok(res);
    }
    let event = audit_event(
        &user,
        Action::HouseholdMerged,
        Subject::household(keep.id, keep.neighbourhood_id),
        &format!("merged={}", other.id),
    );
    state
        .store
        .merge_households(
            &user.tenant,
            Some(user.account.id),
            keep.id,
            other.id,
            event,
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{}", keep.id),
        "flash-household-merged",
        "",
    ))
}

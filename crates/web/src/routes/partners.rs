//! Partner organisations (issue #16, docs/guide/partners.md): the register of the warm
//! network (handbook §2.6, §3.5). Coordinators and administrators keep it; workers read it.
//! The store decides reach (the neighbourhoods a partner works in); these handlers parse,
//! ask and render.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::Response;
use mtp_domain::audit::Action;
use mtp_domain::partner::{
    BriefingDraft, BriefingForm, ContactDraft, ContactForm, PartnerDraft, PartnerForm, PartnerKind,
};
use mtp_store::{Neighbourhood, Partner, PartnerDetail, PartnerFilter, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

/// Who may change partners: whom the gate lets add one.
fn may_manage(user: &User) -> bool {
    crate::gate::allows(user.role(), &Method::POST, "/partners/new")
}

/// Record each field error the domain named, in the user's language.
fn field_errors(t: &Tr, e: &mut FormErrors, errors: Vec<(&'static str, mtp_domain::FieldError)>) {
    for (field, err) in errors {
        e.field(t, field, err);
    }
}

/// "Verwijst gezinnen · Biedt een activiteit of plek": what the partner does for us.
fn roles_text(t: &Tr, p: &Partner) -> String {
    [
        (p.refers_families, "partner-refers-families"),
        (p.offers_activity, "partner-offers-activity"),
        (p.receives_referrals, "partner-receives-referrals"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| t.get(key))
    .collect::<Vec<_>>()
    .join(" · ")
}

fn neighbourhood_names(p: &Partner) -> String {
    p.neighbourhoods
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn last_contact_text(t: &Tr, p: &Partner) -> String {
    match p.last_contact {
        Some(d) => t.day(d),
        None => t.get("partner-no-contact-yet"),
    }
}

// ---------------------------------------------------------------- the list

pub struct PartnerRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub roles: String,
    pub neighbourhoods: String,
    pub last_contact: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    kinds: Vec<(&'static str, String)>,
    rows: Vec<PartnerRow>,
    may_manage: bool,
    searched: bool,
}

/// `GET /partners`: the partners in reach, by name; a name search and a kind filter that
/// work as a plain GET form.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "partners-title");
    // An unknown kind in the address filters nothing rather than failing the page.
    let kind = PartnerKind::parse(&q.kind).ok();
    let filter = PartnerFilter {
        q: q.q.trim().chars().take(100).collect(),
        kind,
    };
    let rows = state
        .store
        .partners(&user.tenant, &filter)
        .await?
        .iter()
        .map(|x| PartnerRow {
            id: x.id,
            name: x.name.clone(),
            kind: p.t.label(&x.kind),
            roles: roles_text(&p.t, x),
            neighbourhoods: neighbourhood_names(x),
            last_contact: last_contact_text(&p.t, x),
        })
        .collect();
    Ok(render_page(&ListPage {
        kinds: options(&p.t, PartnerKind::ALL),
        searched: !filter.q.is_empty() || kind.is_some(),
        rows,
        may_manage: may_manage(&user),
        q,
        p,
    }))
}

// ---------------------------------------------------------------- new and edit

#[derive(Template)]
#[template(path = "partner_form.html")]
struct FormPage {
    p: Page,
    f: FormData,
    kinds: Vec<(&'static str, String)>,
    neighbourhoods: Vec<Neighbourhood>,
    /// The partner being changed; `None` for a new one.
    editing: Option<(Uuid, String)>,
    /// Neighbourhoods the partner also works in that the editor cannot change.
    elsewhere: Vec<String>,
}

impl FormPage {
    fn checked(&self, id: &Uuid) -> bool {
        self.f
            .all("partner_neighbourhoods")
            .contains(&id.to_string().as_str())
    }

    fn ticked(&self, field: &str) -> bool {
        self.f.has(field)
    }
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
    editing: Option<&Partner>,
) -> Result<Response, AppError> {
    let title = if editing.is_some() {
        "partner-edit-title"
    } else {
        "partner-new-title"
    };
    let p = Page::new(ctx, title).with_errors(errors);
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let elsewhere = editing
        .map(|x| {
            x.neighbourhoods
                .iter()
                .filter(|(id, _)| !neighbourhoods.iter().any(|n| n.id == *id))
                .map(|(_, name)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    Ok(render_page(&FormPage {
        kinds: options(&p.t, PartnerKind::ALL),
        neighbourhoods,
        editing: editing.map(|x| (x.id, x.name.clone())),
        elsewhere,
        f,
        p,
    }))
}

/// The partner as the form's fields.
fn as_form(x: &Partner) -> FormData {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("partner_name", &x.name)
        .append_pair("partner_kind", x.kind.as_str())
        .append_pair("partner_note", &x.note);
    for (on, field) in [
        (x.refers_families, "refers_families"),
        (x.offers_activity, "offers_activity"),
        (x.receives_referrals, "receives_referrals"),
    ] {
        if on {
            ser.append_pair(field, "yes");
        }
    }
    for (id, _) in &x.neighbourhoods {
        ser.append_pair("partner_neighbourhoods", &id.to_string());
    }
    FormData::parse(ser.finish().as_bytes())
}

fn parse_form(t: &Tr, f: &FormData, e: &mut FormErrors) -> Option<PartnerDraft> {
    let form = PartnerForm {
        name: f.get("partner_name"),
        kind: f.get("partner_kind"),
        refers_families: f.has("refers_families"),
        offers_activity: f.has("offers_activity"),
        receives_referrals: f.has("receives_referrals"),
        note: f.get("partner_note"),
        neighbourhoods: f.all("partner_neighbourhoods"),
    };
    match PartnerDraft::parse(&form) {
        Ok(d) => Some(d),
        Err(errors) => {
            field_errors(t, e, errors);
            None
        }
    }
}

/// A refusal of the store that belongs at a field of the form (a neighbourhood outside the
/// editor's reach); anything else passes on.
fn refused_at(t: &Tr, e: &mut FormErrors, field: &str, err: StoreError) -> Result<(), AppError> {
    match err {
        StoreError::Refused(key) => {
            e.add(field, t.get(key));
            Ok(())
        }
        other => Err(other.into()),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    // With one neighbourhood there is nothing to choose: it is ticked already.
    let mine = state.store.neighbourhoods(&user.tenant).await?;
    let body = match mine.as_slice() {
        [only] => format!(
            "partner_kind=school&refers_families=yes&partner_neighbourhoods={}",
            only.id
        ),
        _ => "partner_kind=school&refers_families=yes".to_string(),
    };
    let f = FormData::parse(body.as_bytes());
    form_page(&state, &ctx, &user, f, FormErrors::default(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let Some(draft) = parse_form(&t, &f, &mut e) else {
        return Ok(unprocessable(
            form_page(&state, &ctx, &user, f, e, None).await?,
        ));
    };
    let event = audit_event(&user, Action::PartnerCreated, Subject::none("partner"), "");
    match state
        .store
        .create_partner(&user.tenant, Some(user.account.id), &draft, event)
        .await
    {
        Ok(id) => Ok(redirect_with_flash(
            &state,
            &format!("/partners/{id}"),
            "flash-partner-created",
            draft.name.as_str(),
        )),
        Err(err) => {
            refused_at(&t, &mut e, "partner_neighbourhoods", err)?;
            Ok(unprocessable(
                form_page(&state, &ctx, &user, f, e, None).await?,
            ))
        }
    }
}

/// A partner in reach that may still be changed: deleted ones are only shown.
async fn live(state: &AppState, user: &User, id: &str) -> Result<PartnerDetail, AppError> {
    let d = state.store.partner(&user.tenant, parse_id(id)?).await?;
    if d.partner.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let d = live(&state, &user, &id).await?;
    let f = as_form(&d.partner);
    form_page(
        &state,
        &ctx,
        &user,
        f,
        FormErrors::default(),
        Some(&d.partner),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let d = live(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let Some(draft) = parse_form(&t, &f, &mut e) else {
        return Ok(unprocessable(
            form_page(&state, &ctx, &user, f, e, Some(&d.partner)).await?,
        ));
    };
    let event = audit_event(
        &user,
        Action::PartnerUpdated,
        Subject::of("partner", d.partner.id),
        "",
    );
    match state
        .store
        .update_partner(&user.tenant, d.partner.id, &draft, event)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/partners/{}", d.partner.id),
            "flash-saved",
            "",
        )),
        Err(err) => {
            refused_at(&t, &mut e, "partner_neighbourhoods", err)?;
            Ok(unprocessable(
                form_page(&state, &ctx, &user, f, e, Some(&d.partner)).await?,
            ))
        }
    }
}

// ---------------------------------------------------------------- one partner

pub struct ContactRow {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub phone: String,
    pub phone_href: String,
    pub email: String,
}

pub struct BriefingRow {
    pub when: String,
    pub who: String,
    pub presented: String,
}

#[derive(Template)]
#[template(path = "partner.html")]
struct ShowPage {
    p: Page,
    x: Partner,
    kind: String,
    roles: String,
    neighbourhoods: String,
    last_contact: String,
    deleted_on: String,
    contacts: Vec<ContactRow>,
    briefings: Vec<BriefingRow>,
    givers: Vec<(Uuid, String)>,
    /// The contact and briefing forms' values (shown again with their errors).
    f: FormData,
    may_manage: bool,
    /// The secret referral address's state, for coordinators (never the address).
    address: String,
    has_address: bool,
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    d: PartnerDetail,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "partner-title").with_errors(errors);
    let manage = may_manage(user) && d.partner.deleted_at.is_none();
    let givers = if manage {
        state
            .store
            .briefing_givers(&user.tenant, d.partner.id)
            .await?
    } else {
        Vec::new()
    };
    let (address, has_address) = if manage {
        crate::routes::referral_address::state_text(state, user, &p.t, d.partner.id).await?
    } else {
        (String::new(), false)
    };
    let x = d.partner;
    Ok(render_page(&ShowPage {
        address,
        has_address,
        kind: p.t.label(&x.kind),
        roles: roles_text(&p.t, &x),
        neighbourhoods: neighbourhood_names(&x),
        last_contact: last_contact_text(&p.t, &x),
        deleted_on: x.deleted_at.map(|at| p.t.date(at)).unwrap_or_default(),
        contacts: d
            .contacts
            .into_iter()
            .map(|c| ContactRow {
                id: c.id,
                name: c.name,
                role: c.role,
                phone: c.phone.as_ref().map(|n| n.display()).unwrap_or_default(),
                phone_href: c
                    .phone
                    .as_ref()
                    .map(|n| format!("tel:{}", n.e164()))
                    .unwrap_or_default(),
                email: c.email.unwrap_or_default(),
            })
            .collect(),
        briefings: d
            .briefings
            .into_iter()
            .map(|b| BriefingRow {
                when: p.t.day(b.given_on),
                who: b.given_by_name,
                presented: b.presented,
            })
            .collect(),
        givers,
        f,
        may_manage: manage,
        x,
        p,
    }))
}

/// The briefing form starts on today, given by the one filling it in.
fn fresh_forms(user: &User) -> FormData {
    let body = format!("given_on={}&given_by={}", crate::today(), user.account.id);
    FormData::parse(body.as_bytes())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let d = state.store.partner(&user.tenant, parse_id(&id)?).await?;
    let f = fresh_forms(&user);
    show_page(&state, &ctx, &user, d, f, FormErrors::default()).await
}

pub async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let d = live(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = ContactForm {
        name: f.get("contact_name"),
        role: f.get("contact_role"),
        phone: f.get("contact_phone"),
        email: f.get("contact_email"),
    };
    let contact = match ContactDraft::parse(&form) {
        Ok(c) => c,
        Err(errors) => {
            field_errors(&t, &mut e, errors);
            return Ok(unprocessable(
                show_page(&state, &ctx, &user, d, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::PartnerContactAdded,
        Subject::of("partner", d.partner.id),
        "",
    );
    state
        .store
        .add_partner_contact(&user.tenant, d.partner.id, &contact, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/partners/{}#contacts", d.partner.id),
        "flash-partner-contact-added",
        contact.name.as_str(),
    ))
}

pub async fn remove_contact(
    State(state): State<AppState>,
    Path((id, contact)): Path<(String, String)>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let d = live(&state, &user, &id).await?;
    let contact = parse_id(&contact)?;
    // The button sends this; a bare POST removes nobody.
    if f.get("remove") != "yes" {
        return Err(AppError::BadRequest);
    }
    let name = d
        .contacts
        .iter()
        .find(|c| c.id == contact)
        .map(|c| c.name.clone())
        .ok_or(AppError::NotFound)?;
    let event = audit_event(
        &user,
        Action::PartnerContactRemoved,
        Subject::of("partner", d.partner.id),
        "",
    );
    state
        .store
        .remove_partner_contact(&user.tenant, d.partner.id, contact, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/partners/{}#contacts", d.partner.id),
        "flash-partner-contact-removed",
        &name,
    ))
}

pub async fn add_briefing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let d = live(&state, &user, &id).await?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = BriefingForm {
        given_on: f.get("given_on"),
        given_by: f.get("given_by"),
        presented: f.get("presented"),
    };
    let briefing = match BriefingDraft::parse(&form, crate::today()) {
        Ok(b) => b,
        Err(errors) => {
            field_errors(&t, &mut e, errors);
            return Ok(unprocessable(
                show_page(&state, &ctx, &user, d, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::PartnerBriefingAdded,
        Subject::of("partner", d.partner.id),
        "",
    );
    match state
        .store
        .add_briefing(
            &user.tenant,
            Some(user.account.id),
            d.partner.id,
            &briefing,
            event,
        )
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/partners/{}#briefings", d.partner.id),
            "flash-partner-briefing-added",
            "",
        )),
        Err(err) => {
            refused_at(&t, &mut e, "given_by", err)?;
            Ok(unprocessable(
                show_page(&state, &ctx, &user, d, f, e).await?,
            ))
        }
    }
}

// ---------------------------------------------------------------- delete

#[derive(Template)]
#[template(path = "partner_delete.html")]
struct DeletePage {
    p: Page,
    id: Uuid,
    name: String,
}

/// Deleting asks first (docs/ui.md §1.7).
pub async fn delete_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let d = state.store.partner(&user.tenant, parse_id(&id)?).await?;
    if d.partner.deleted_at.is_some() {
        return Ok(redirect_with_flash(
            &state,
            "/partners",
            "flash-partner-deleted",
            &d.partner.name,
        ));
    }
    Ok(render_page(&DeletePage {
        p: Page::new(&ctx, "partner-delete-title"),
        id: d.partner.id,
        name: d.partner.name,
    }))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let d = state.store.partner(&user.tenant, parse_id(&id)?).await?;
    // The confirmation page's button sends this; a bare POST deletes nothing.
    if f.get("delete") != "yes" {
        return Err(AppError::BadRequest);
    }
    let event = audit_event(
        &user,
        Action::PartnerDeleted,
        Subject::of("partner", d.partner.id),
        "",
    );
    state
        .store
        .delete_partner(&user.tenant, Some(user.account.id), d.partner.id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/partners",
        "flash-partner-deleted",
        &d.partner.name,
    ))
}

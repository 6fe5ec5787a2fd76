//! Administration: organisation settings, neighbourhoods, accounts.
//!
//! Administrators manage everything in their organisation. Coordinators manage the accounts of
//! their neighbourhoods and rename those neighbourhoods, but cannot create administrators,
//! change an administrator's account, or give anyone a neighbourhood they do not have.

use mtp_domain::audit::Action;
use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use mtp_domain::encourage::{Thresholds, ThresholdsForm};
use mtp_domain::message::WeeklyBudget;
use mtp_domain::questionnaire::IntervalMonths;
use mtp_domain::{
    CbsCode, Email, HolidayRegion, NewPassword, OrgSettings, PersonName, PhotoPolicy, PlaceName,
    RetentionMonths, Role, TwoFactorPolicy,
};
use mtp_store::{Account, AccountUpdate, Neighbourhood, NewAccount, StoreError};
use rand::Rng;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

// ---------------------------------------------------------------- organisation

#[derive(Template)]
#[template(path = "admin_org.html")]
struct OrgPage {
    p: Page,
    f: FormData,
    regions: Vec<(&'static str, String)>,
    policies: Vec<(&'static str, String)>,
    photo_policies: Vec<(&'static str, String)>,
    /// The organisation's own minutes per session, per kind (`admin_org_staff.html`).
    staff_kinds: Vec<crate::routes::rules::StaffKindRow>,
}

fn org_page(ctx: &Ctx, f: FormData, errors: FormErrors) -> Response {
    let p = Page::new(ctx, "org-title").with_errors(errors);
    let regions = options(&p.t, HolidayRegion::ALL);
    let policies = options(&p.t, TwoFactorPolicy::ALL);
    let photo_policies = options(&p.t, PhotoPolicy::ALL);
    let staff_kinds = crate::routes::rules::staff_kind_rows(&p.t, &f);
    render_page(&OrgPage {
        p,
        f,
        regions,
        policies,
        photo_policies,
        staff_kinds,
    })
}

pub async fn org_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let org = &user.org;
    let questionnaire = state.store.questionnaire_interval(org.id).await?;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("org_name", &org.name)
        .append_pair("holiday_region", org.holiday_region.as_str())
        .append_pair("two_factor", org.two_factor.as_str())
        .append_pair("retention_months", &org.retention_months.to_string())
        .append_pair("photo_policy", org.photos.as_str())
        .append_pair("chat_budget", &org.chat_budget.get().to_string())
        .append_pair(
            "absent_in_a_row",
            &org.encourage.absent_in_a_row.to_string(),
        )
        .append_pair("newcomer_weeks", &org.encourage.newcomer_weeks.to_string())
        .append_pair(
            "no_contact_weeks",
            &org.encourage.no_contact_weeks.to_string(),
        )
        .append_pair(
            "regular_attended",
            &org.encourage.regular_attended.to_string(),
        )
        .append_pair("regular_window", &org.encourage.regular_window.to_string())
        .append_pair("chat_left_days", &org.encourage.chat_left_days.to_string())
        .append_pair("questionnaire_months", &questionnaire.get().to_string())
        .extend_pairs(crate::routes::rules::staff_form_pairs(&org.staff_minutes))
        .finish();
    Ok(org_page(
        &ctx,
        FormData::parse(body.as_bytes()),
        FormErrors::default(),
    ))
}

pub async fn org_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = crate::i18n::Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let name = e.take(&t, "org_name", PlaceName::parse(f.get("org_name")));
    let region = e.take(
        &t,
        "holiday_region",
        HolidayRegion::parse(f.get("holiday_region")),
    );
    let two_factor = e.take(
        &t,
        "two_factor",
        TwoFactorPolicy::parse(f.get("two_factor")),
    );
    let retention = e.take(
        &t,
        "retention_months",
        RetentionMonths::parse(f.get("retention_months")),
    );
    // A form from before this setting existed keeps what is set.
    let photos = if f.get("photo_policy").trim().is_empty() {
        Some(user.org.photos)
    } else {
        e.take(
            &t,
            "photo_policy",
            PhotoPolicy::parse(f.get("photo_policy")),
        )
    };
    let chat_budget = if f.get("chat_budget").trim().is_empty() {
        Some(user.org.chat_budget)
    } else {
        e.take(&t, "chat_budget", WeeklyBudget::parse(f.get("chat_budget")))
    };
    let form = ThresholdsForm {
        absent_in_a_row: f.get("absent_in_a_row"),
        newcomer_weeks: f.get("newcomer_weeks"),
        no_contact_weeks: f.get("no_contact_weeks"),
        regular_attended: f.get("regular_attended"),
        regular_window: f.get("regular_window"),
        chat_left_days: f.get("chat_left_days"),
    };
    // A form without the worklist fields (an older page still open) keeps what is set.
    let untouched = [
        form.absent_in_a_row,
        form.newcomer_weeks,
        form.no_contact_weeks,
        form.regular_attended,
        form.regular_window,
        form.chat_left_days,
    ]
    .iter()
    .all(|v| v.trim().is_empty());
    let encourage = match Thresholds::parse(&form) {
        _ if untouched => Some(user.org.encourage),
        Ok(th) => Some(th),
        Err(errors) => {
            for (field, err) in errors {
                e.field(&t, field, err);
            }
            None
        }
    };
    let staff_minutes =
        crate::routes::rules::parse_staff_estimates(&t, &f, &mut e, user.org.staff_minutes);
    // A form from before this setting existed keeps what is set.
    // `Some(None)`: keep what is set.
    let questionnaire = if f.get("questionnaire_months").trim().is_empty() {
        Some(None)
    } else {
        e.take(
            &t,
            "questionnaire_months",
            IntervalMonths::parse(f.get("questionnaire_months")),
        )
        .map(Some)
    };
    let (
        Some(name),
        Some(holiday_region),
        Some(two_factor),
        Some(retention),
        Some(encourage),
        Some(photos),
        Some(chat_budget),
        Some(staff_minutes),
        Some(questionnaire),
    ) = (
        name,
        region,
        two_factor,
        retention,
        encourage,
        photos,
        chat_budget,
        staff_minutes,
        questionnaire,
    )
    else {
        return Ok(unprocessable(org_page(&ctx, f, e)));
    };
    let s = OrgSettings {
        name,
        holiday_region,
        two_factor,
        retention,
        encourage,
        photos,
        chat_budget,
        staff_minutes,
    };
    let detail = format!(
        "holiday_region={} two_factor={} retention_months={} encourage={:?} photo_policy={} chat_budget={} staff_minutes={}",
        s.holiday_region.as_str(),
        s.two_factor.as_str(),
        s.retention.get(),
        s.encourage,
        s.photos.as_str(),
        s.chat_budget.get(),
        s.staff_minutes.to_text()
    );
    let event = audit_event(
        &user,
        Action::OrganisationUpdated,
        Subject::of("organisation", user.org.id),
        &detail,
    );
    state
        .store
        .update_org_settings(user.org.id, &s, event)
        .await?;
    let before = state.store.questionnaire_interval(user.org.id).await?;
    if let Some(months) = questionnaire.filter(|m| *m != before) {
        let event = audit_event(
            &user,
            Action::OrganisationUpdated,
            Subject::of("organisation", user.org.id),
            &format!("questionnaire_months={}", months.get()),
        );
        state
            .store
            .set_questionnaire_interval(&user.tenant, months, event)
            .await?;
    }
    Ok(redirect_with_flash(
        &state,
        "/admin/organisation",
        "flash-saved",
        "",
    ))
}

// ---------------------------------------------------------------- neighbourhoods

#[derive(Template)]
#[template(path = "admin_neighbourhoods.html")]
struct NeighbourhoodsPage {
    p: Page,
    items: Vec<Neighbourhood>,
    may_create: bool,
    /// Each site's start-up steps ticked (issue #19, docs/guide/scan.md).
    start: std::collections::HashMap<Uuid, usize>,
}

impl NeighbourhoodsPage {
    /// "3 van 7" for a neighbourhood of the list.
    fn start_of(&self, id: &Uuid) -> String {
        crate::routes::scan::progress_text(&self.p.t, self.start.get(id).copied().unwrap_or(0))
    }
}

pub async fn neighbourhoods(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let items = state.store.neighbourhoods(&user.tenant).await?;
    Ok(render_page(&NeighbourhoodsPage {
        p: Page::new(&ctx, "neighbourhoods-title"),
        items,
        may_create: crate::gate::allows(user.role(), &Method::GET, "/admin/neighbourhoods/new"),
        start: state.store.start_progress(&user.tenant).await?,
    }))
}

#[derive(Template)]
#[template(path = "admin_neighbourhood_form.html")]
struct NeighbourhoodForm {
    p: Page,
    f: FormData,
    action: String,
    is_new: bool,
    /// "Ingevuld op …" under the target-group estimate; empty when none was entered.
    target_set_on: String,
    /// The neighbourhood's public programme address; empty on the new-neighbourhood form.
    programmes: Vec<crate::routes::calendar::ProgrammeLink>,
}

fn neighbourhood_page(ctx: &Ctx, f: FormData, errors: FormErrors, id: Option<Uuid>) -> Response {
    neighbourhood_page_with(ctx, f, errors, id, String::new(), Vec::new())
}

fn neighbourhood_page_with(
    ctx: &Ctx,
    f: FormData,
    errors: FormErrors,
    id: Option<Uuid>,
    target_set_on: String,
    programmes: Vec<crate::routes::calendar::ProgrammeLink>,
) -> Response {
    let (title, action) = match id {
        Some(id) => (
            "neighbourhood-edit-title",
            format!("/admin/neighbourhoods/{id}"),
        ),
        None => (
            "neighbourhood-new-title",
            "/admin/neighbourhoods/new".to_string(),
        ),
    };
    let p = Page::new(ctx, title).with_errors(errors);
    render_page(&NeighbourhoodForm {
        p,
        f,
        action,
        is_new: id.is_none(),
        target_set_on,
        programmes,
    })
}

/// The target-group estimate and where it comes from, as typed on the edit form
/// (docs/indicators.md §2). Both optional; a source without a number is dropped.
type TargetGroupInput = (
    Option<mtp_domain::TargetGroupEstimate>,
    Option<mtp_domain::EstimateSource>,
);

fn parse_target_group(
    t: &crate::i18n::Tr,
    f: &FormData,
    e: &mut FormErrors,
) -> Option<TargetGroupInput> {
    let estimate = e.take(
        t,
        "target_group",
        mtp_domain::TargetGroupEstimate::parse_optional(f.get("target_group")),
    );
    let source = e.take(
        t,
        "target_group_source",
        mtp_domain::EstimateSource::parse_optional(f.get("target_group_source")),
    );
    Some((estimate?, source?))
}

/// Who parents of the neighbourhood can contact: a first name and a phone number, both
/// optional.
type Contact = (Option<PersonName>, Option<mtp_domain::PhoneNumber>);

fn parse_neighbourhood(
    t: &crate::i18n::Tr,
    f: &FormData,
) -> (FormErrors, Option<(PlaceName, Option<CbsCode>, Contact)>) {
    let mut e = FormErrors::default();
    let name = e.take(t, "name", PlaceName::parse(f.get("name")));
    let cbs = e.take(t, "cbs_code", CbsCode::parse_optional(f.get("cbs_code")));
    let contact_name = match f.get("contact_name").trim() {
        "" => Some(None),
        raw => e.take(t, "contact_name", PersonName::parse(raw)).map(Some),
    };
    let contact_phone = e.take(
        t,
        "contact_phone",
        mtp_domain::PhoneNumber::parse_optional(f.get("contact_phone")),
    );
    let parsed = match (name, cbs, contact_name, contact_phone) {
        (Some(n), Some(c), Some(cn), Some(cp)) => Some((n, c, (cn, cp))),
        _ => None,
    };
    (e, parsed)
}

pub async fn neighbourhood_new(ctx: Ctx) -> Response {
    neighbourhood_page(&ctx, FormData::default(), FormErrors::default(), None)
}

pub async fn neighbourhood_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = crate::i18n::Tr::new(ctx.lang);
    let (mut e, parsed) = parse_neighbourhood(&t, &f);
    let Some((name, cbs, (contact_name, contact_phone))) = parsed else {
        return Ok(unprocessable(neighbourhood_page(&ctx, f, e, None)));
    };
    // The store puts the new neighbourhood's id in the entry.
    let event = audit_event(
        &user,
        Action::NeighbourhoodCreated,
        Subject::neighbourhood(Uuid::nil()),
        "",
    );
    match state
        .store
        .create_neighbourhood(user.org.id, &name, cbs.as_ref(), Some(event))
        .await
    {
        Ok(id) => {
            state
                .store
                .set_neighbourhood_contact(
                    &user.tenant,
                    id,
                    contact_name.as_ref(),
                    contact_phone.as_ref(),
                )
                .await?;
            Ok(redirect_with_flash(
                &state,
                "/admin/neighbourhoods",
                "flash-neighbourhood-created",
                name.as_str(),
            ))
        }
        Err(StoreError::Duplicate(_)) => {
            e.add("name", t.get("error-neighbourhood-exists"));
            Ok(unprocessable(neighbourhood_page(&ctx, f, e, None)))
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn neighbourhood_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let n = state
        .store
        .neighbourhood(&user.tenant, parse_id(&id)?)
        .await?;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("name", &n.name)
        .append_pair("cbs_code", n.cbs_code.as_deref().unwrap_or(""))
        .append_pair("contact_name", &n.contact_name)
        .append_pair(
            "contact_phone",
            &n.contact_phone
                .as_ref()
                .map(|p| p.display())
                .unwrap_or_default(),
        )
        .append_pair(
            "target_group",
            &n.target_group
                .as_ref()
                .map(|g| g.estimate.get().to_string())
                .unwrap_or_default(),
        )
        .append_pair(
            "target_group_source",
            n.target_group
                .as_ref()
                .map(|g| g.source.as_str())
                .unwrap_or(""),
        )
        .finish();
    let t = crate::i18n::Tr::new(ctx.lang);
    Ok(neighbourhood_page_with(
        &ctx,
        FormData::parse(body.as_bytes()),
        FormErrors::default(),
        Some(n.id),
        target_set_on(&t, &n),
        vec![crate::routes::calendar::programme_link(
            &state.cfg.public_url,
            n.id,
            &n.name,
        )],
    ))
}

fn target_set_on(t: &crate::i18n::Tr, n: &mtp_store::Neighbourhood) -> String {
    n.target_group
        .as_ref()
        .and_then(|g| g.set_on)
        .map(|d| t.get1("neighbourhood-target-set-on", "date", t.day(d)))
        .unwrap_or_default()
}

pub async fn neighbourhood_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    // Existence and reach first: another tenant's id is a 404 whatever the form says.
    let existing = state.store.neighbourhood(&user.tenant, id).await?;
    let t = crate::i18n::Tr::new(ctx.lang);
    let (mut e, parsed) = parse_neighbourhood(&t, &f);
    let target = parse_target_group(&t, &f, &mut e);
    let (Some((name, cbs, (contact_name, contact_phone))), Some((estimate, source))) =
        (parsed, target)
    else {
        let set_on = target_set_on(&t, &existing);
        return Ok(unprocessable(neighbourhood_page_with(
            &ctx,
            f,
            e,
            Some(id),
            set_on,
            vec![crate::routes::calendar::programme_link(
                &state.cfg.public_url,
                id,
                &existing.name,
            )],
        )));
    };
    let event = audit_event(
        &user,
        Action::NeighbourhoodUpdated,
        Subject::neighbourhood(id),
        "",
    );
    match state
        .store
        .update_neighbourhood(&user.tenant, id, &name, cbs.as_ref(), event)
        .await
    {
        Ok(()) => {
            state
                .store
                .set_neighbourhood_contact(
                    &user.tenant,
                    id,
                    contact_name.as_ref(),
                    contact_phone.as_ref(),
                )
                .await?;
            // Only a changed estimate is stored again, so its date says when it was entered.
            let before = existing
                .target_group
                .as_ref()
                .map(|g| (g.estimate, g.source.as_str()));
            let after = estimate.map(|n| (n, source.as_ref().map_or("", |s| s.as_str())));
            if before != after {
                let detail = after
                    .map(|(n, s)| format!("{} {s}", n.get()).trim_end().to_string())
                    .unwrap_or_default();
                let event = audit_event(
                    &user,
                    Action::NeighbourhoodTargetGroupSet,
                    Subject::neighbourhood(id),
                    &detail,
                );
                state
                    .store
                    .set_target_group(
                        &user.tenant,
                        id,
                        estimate,
                        source.as_ref(),
                        crate::today(),
                        event,
                    )
                    .await?;
            }
            Ok(redirect_with_flash(
                &state,
                "/admin/neighbourhoods",
                "flash-saved",
                "",
            ))
        }
        Err(StoreError::Duplicate(_)) => {
            e.add("name", t.get("error-neighbourhood-exists"));
            let set_on = target_set_on(&t, &existing);
            Ok(unprocessable(neighbourhood_page_with(
                &ctx,
                f,
                e,
                Some(id),
                set_on,
                vec![crate::routes::calendar::programme_link(
                    &state.cfg.public_url,
                    id,
                    &existing.name,
                )],
            )))
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- accounts

pub struct AccountRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub neighbourhoods: String,
    pub disabled: bool,
    pub two_factor: bool,
}

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    p: Page,
    rows: Vec<AccountRow>,
}

pub async fn accounts(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "accounts-title");
    let nbs = state.store.neighbourhoods(&user.tenant).await?;
    let all = state.store.accounts(user.org.id).await?;
    let rows = all
        .into_iter()
        .filter(|a| visible_to(&user, a))
        .map(|a| AccountRow {
            id: a.id,
            name: a.display_name,
            email: a.email,
            role: p.t.label(&a.role),
            neighbourhoods: nbs
                .iter()
                .filter(|n| a.neighbourhoods.contains(&n.id))
                .map(|n| n.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            disabled: a.disabled,
            two_factor: a.totp_enabled,
        })
        .collect();
    Ok(render_page(&AccountsPage { p, rows }))
}

/// A coordinator sees the accounts that share a neighbourhood with them, and accounts not
/// yet placed in any; an administrator sees all of the organisation.
fn visible_to(user: &User, a: &Account) -> bool {
    user.role().sees_whole_organisation()
        || a.id == user.account.id
        || a.neighbourhoods.is_empty()
        || a.neighbourhoods
            .iter()
            .any(|n| user.tenant.neighbourhoods.contains(n))
}

/// Whether `user` may change account `a` at all.
fn may_manage(user: &User, a: &Account) -> bool {
    user.role().may_grant(a.role) && visible_to(user, a)
}

#[derive(Template)]
#[template(path = "admin_account_form.html")]
struct AccountForm {
    p: Page,
    f: FormData,
    roles: Vec<(&'static str, String)>,
    neighbourhoods: Vec<Neighbourhood>,
    account: Option<Account>,
    is_self: bool,
    /// The partner organisations a partner account may belong to: id and name.
    partners: Vec<(Uuid, String)>,
}

impl AccountForm {
    fn checked(&self, id: &Uuid) -> bool {
        self.f
            .all("neighbourhoods")
            .contains(&id.to_string().as_str())
    }
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
    account: Option<Account>,
) -> Result<Response, AppError> {
    let title = if account.is_some() {
        "account-edit-title"
    } else {
        "account-new-title"
    };
    let p = Page::new(ctx, title).with_errors(errors);
    let roles = options(
        &p.t,
        Role::ALL.into_iter().filter(|r| user.role().may_grant(*r)),
    );
    let neighbourhoods = state.store.neighbourhoods(&user.tenant).await?;
    let is_self = account.as_ref().is_some_and(|a| a.id == user.account.id);
    let partners = partner_choices(state, user, account.as_ref()).await?;
    Ok(render_page(&AccountForm {
        p,
        f,
        roles,
        neighbourhoods,
        account,
        is_self,
        partners,
    }))
}

pub async fn account_new(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    account_page(
        &state,
        &ctx,
        &user,
        FormData::parse(b"role=worker"),
        FormErrors::default(),
        None,
    )
    .await
}

/// The partner organisations an account may be put in: those in the editor's reach, and the
/// account's own (it may work in a neighbourhood the editor does not see), so that saving
/// keeps it.
async fn partner_choices(
    state: &AppState,
    user: &User,
    account: Option<&Account>,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let mut out = state.store.partner_choices(&user.tenant, None).await?;
    if let Some(own) = account.and_then(|a| a.partner_org_id)
        && !out.iter().any(|(id, _)| *id == own)
        && let Some(d) = state.store.own_partner(user.org.id, Some(own)).await?
    {
        // Only while it is not deleted: an account cannot stay in a deleted partner.
        out.push((own, d.partner.name));
    }
    Ok(out)
}

struct AccountFields {
    name: PersonName,
    role: Role,
    neighbourhoods: Vec<Uuid>,
    partner_org_id: Option<Uuid>,
}

/// Parse the shared fields of the create and edit forms. Neighbourhoods outside the
/// editor's reach are refused, not silently dropped.
async fn parse_account_fields(
    state: &AppState,
    user: &User,
    t: &crate::i18n::Tr,
    f: &FormData,
    e: &mut FormErrors,
    account: Option<&Account>,
) -> Result<Option<AccountFields>, AppError> {
    let name = e.take(t, "display_name", PersonName::parse(f.get("display_name")));
    let role = match Role::parse(f.get("role")) {
        Some(r) if user.role().may_grant(r) => Some(r),
        _ => {
            e.add("role", t.get("error-choice-invalid-role"));
            None
        }
    };
    let reachable: BTreeSet<Uuid> = state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    let mut chosen = Vec::new();
    for raw in f.all("neighbourhoods") {
        match Uuid::parse_str(raw) {
            Ok(id) if reachable.contains(&id) => chosen.push(id),
            _ => e.add(
                "neighbourhoods",
                t.get("error-choice-invalid-neighbourhoods"),
            ),
        }
    }
    // A partner account belongs to one partner organisation in the editor's reach
    // (docs/guide/partners.md).
    let partner = match f.get("partner_org").trim() {
        "" => None,
        raw => {
            let choices = partner_choices(state, user, account).await?;
            match Uuid::parse_str(raw) {
                Ok(id) if choices.iter().any(|(c, _)| *c == id) => Some(id),
                _ => {
                    e.field(t, "partner_org", mtp_domain::FieldError::ChoiceInvalid);
                    None
                }
            }
        }
    };
    let partner_org_id = match role {
        Some(r) => e.take(
            t,
            "partner_org",
            mtp_domain::partner::account_partner(r, partner),
        ),
        None => None,
    };
    Ok(match (name, role) {
        (Some(name), Some(role)) if e.is_empty() => Some(AccountFields {
            name,
            role,
            neighbourhoods: chosen,
            partner_org_id: partner_org_id.flatten(),
        }),
        _ => None,
    })
}

/// A temporary password to pass on by phone: easy to read aloud, no look-alike characters.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[derive(Template)]
#[template(path = "admin_account_password.html")]
struct PasswordShown {
    p: Page,
    name: String,
    email: String,
    password: String,
    created: bool,
}

pub async fn account_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = crate::i18n::Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let email = e.take(&t, "email", Email::parse(f.get("email")));
    let fields = parse_account_fields(&state, &user, &t, &f, &mut e, None).await?;
    let (Some(email), Some(fields)) = (email, fields) else {
        return Ok(unprocessable(
            account_page(&state, &ctx, &user, f, e, None).await?,
        ));
    };
    let password = temporary_password();
    let new = NewAccount {
        org_id: user.org.id,
        email: email.clone(),
        display_name: fields.name.clone(),
        role: fields.role,
        password: NewPassword::parse(&password).map_err(|_| AppError::Internal)?,
        must_change_password: true,
        neighbourhoods: fields.neighbourhoods,
        partner_org_id: fields.partner_org_id,
    };
    // The store puts the new account's id in the entry.
    let event = audit_event(
        &user,
        Action::AccountCreated,
        Subject::account(Uuid::nil()),
        &format!("role={}", fields.role.as_str()),
    );
    match state.store.create_account(&new, Some(event)).await {
        Ok(_) => {
            let p = Page::new(&ctx, "account-created-title");
            Ok(render_page(&PasswordShown {
                p,
                name: fields.name.into_inner(),
                email: email.as_str().into(),
                password,
                created: true,
            }))
        }
        Err(StoreError::Duplicate(_)) => {
            e.add("email", t.get("error-email-exists"));
            Ok(unprocessable(
                account_page(&state, &ctx, &user, f, e, None).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

async fn managed_account(state: &AppState, user: &User, id: &str) -> Result<Account, AppError> {
    let a = state.store.account(user.org.id, parse_id(id)?).await?;
    if !visible_to(user, &a) {
        return Err(AppError::NotFound);
    }
    if !may_manage(user, &a) {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

pub async fn account_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let a = managed_account(&state, &user, &id).await?;
    // The serializer is not Send; finish it before the next await.
    let body = {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("display_name", &a.display_name)
            .append_pair("role", a.role.as_str());
        if let Some(partner) = a.partner_org_id {
            ser.append_pair("partner_org", &partner.to_string());
        }
        for n in &a.neighbourhoods {
            ser.append_pair("neighbourhoods", &n.to_string());
        }
        ser.finish()
    };
    let f = FormData::parse(body.as_bytes());
    account_page(&state, &ctx, &user, f, FormErrors::default(), Some(a)).await
}

pub async fn account_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let a = managed_account(&state, &user, &id).await?;
    let t = crate::i18n::Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let fields = parse_account_fields(&state, &user, &t, &f, &mut e, Some(&a)).await?;
    if a.id == user.account.id && fields.as_ref().is_some_and(|x| x.role != a.role) {
        // Nobody demotes themselves by accident and locks the organisation out.
        e.add("role", t.get("error-own-role"));
    }
    let Some(fields) = fields.filter(|_| e.is_empty()) else {
        return Ok(unprocessable(
            account_page(&state, &ctx, &user, f, e, Some(a)).await?,
        ));
    };
    // Keep the neighbourhoods the editor cannot see; replace the ones they can.
    let reachable: BTreeSet<Uuid> = state
        .store
        .neighbourhoods(&user.tenant)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    let mut neighbourhoods: Vec<Uuid> = a
        .neighbourhoods
        .iter()
        .filter(|n| !reachable.contains(n))
        .copied()
        .collect();
    neighbourhoods.extend(fields.neighbourhoods);
    let update = AccountUpdate {
        display_name: fields.name,
        role: fields.role,
        neighbourhoods,
        partner_org_id: fields.partner_org_id,
    };
    let event = audit_event(
        &user,
        Action::AccountUpdated,
        Subject::account(a.id),
        &format!("role={}", update.role.as_str()),
    );
    state
        .store
        .update_account(user.org.id, a.id, &update, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/admin/accounts",
        "flash-saved",
        "",
    ))
}

async fn set_disabled(
    state: AppState,
    user: User,
    id: String,
    disabled: bool,
) -> Result<Response, AppError> {
    let a = managed_account(&state, &user, &id).await?;
    if a.id == user.account.id {
        return Err(AppError::Forbidden);
    }
    let (action, flash) = if disabled {
        (Action::AccountDisabled, "flash-account-disabled")
    } else {
        (Action::AccountEnabled, "flash-account-enabled")
    };
    let event = audit_event(&user, action, Subject::account(a.id), "");
    state
        .store
        .set_disabled(user.org.id, a.id, disabled, Some(event))
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/admin/accounts/{}", a.id),
        flash,
        &a.display_name,
    ))
}

pub async fn account_disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    set_disabled(state, user, id, true).await
}

pub async fn account_enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    set_disabled(state, user, id, false).await
}

#[derive(Template)]
#[template(path = "admin_reset_confirm.html")]
struct ResetConfirm {
    p: Page,
    account: Account,
}

pub async fn reset_password_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let account = managed_account(&state, &user, &id).await?;
    Ok(render_page(&ResetConfirm {
        p: Page::new(&ctx, "reset-password-title"),
        account,
    }))
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let a = managed_account(&state, &user, &id).await?;
    let password = temporary_password();
    let pw = NewPassword::parse(&password).map_err(|_| AppError::Internal)?;
    let event = audit_event(
        &user,
        Action::AccountPasswordReset,
        Subject::account(a.id),
        "",
    );
    state
        .store
        .set_password(user.org.id, a.id, &pw, true, Some(event))
        .await?;
    let p = Page::new(&ctx, "reset-password-done-title");
    Ok(render_page(&PasswordShown {
        p,
        name: a.display_name,
        email: a.email,
        password,
        created: false,
    }))
}

pub async fn reset_two_factor(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let a = managed_account(&state, &user, &id).await?;
    let event = audit_event(
        &user,
        Action::AccountTwoFactorReset,
        Subject::account(a.id),
        "",
    );
    state
        .store
        .set_totp(user.org.id, a.id, None, false, Some(event))
        .await?;
    state.store.end_all_sessions(user.org.id, a.id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/admin/accounts/{}", a.id),
        "flash-two-factor-reset",
        &a.display_name,
    ))
}

// ---------------------------------------------------------------- retention

pub struct RunRow {
    pub ran_at: String,
    pub cutoff: String,
    pub anonymised: u32,
}

#[derive(Template)]
#[template(path = "admin_retention.html")]
struct RetentionPage {
    p: Page,
    months: u16,
    runs: Vec<RunRow>,
    may_run: bool,
}

/// The report of the retention job: when it ran and how many households it anonymised.
pub async fn retention(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "retention-title");
    let runs = state
        .store
        .retention_runs(user.org.id, 20)
        .await?
        .into_iter()
        .map(|r| RunRow {
            ran_at: p.t.datetime(r.ran_at),
            cutoff: p.t.datetime(r.cutoff),
            anonymised: r.anonymised,
        })
        .collect();
    Ok(render_page(&RetentionPage {
        months: user.org.retention_months,
        runs,
        may_run: crate::gate::allows(user.role(), &Method::POST, "/admin/retention/run"),
        p,
    }))
}

pub async fn retention_run(
    State(state): State<AppState>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    // The administrator's own organisation only; `mtp retention` and the timer run for all.
    // The store writes the number anonymised into the entry.
    let event = audit_event(&user, Action::RetentionRun, Subject::none("household"), "");
    let n = state
        .store
        .run_retention_for(user.org.id, event)
        .await?
        .anonymised;
    Ok(redirect_with_flash(
        &state,
        "/admin/retention",
        "flash-retention-run",
        &n.to_string(),
    ))
}

//! Inbound referrals (issue #16, docs/guide/referrals.md). A partner account refers a parent
//! (`/referrals/new`) and follows its own referrals' minimal status (`/referrals`); the team
//! of the neighbourhood sends the parent a one-time link, and once the parent confirmed
//! (`/referral/{token}`, no sign-in) turns the referral into a household or joins it to one.
//! The store decides reach; these handlers parse, ask and render.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use mtp_domain::Role;
use mtp_domain::audit::Action;
use mtp_domain::household::HouseholdKind;
use mtp_domain::message::{mailto_link, sms_link, whatsapp_link};
use mtp_domain::portal::ContactKey;
use mtp_domain::referral::{ReferralDraft, ReferralForm, ReferralState};
use mtp_store::referrals::{ParentLink, PartnerScope, TeamReferral};
use mtp_store::{Neighbourhood, NewAuditEvent, StoreError};

use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event, record};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::label::options;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;
use crate::routes::portal::valid_token;
use crate::routes::portal_staff::SendButton;

/// The partner organisation a signed-in partner account acts for: its own, from the account,
/// never from the request. Another role, or a partner account without one, is refused.
fn partner_scope(user: &User) -> Result<PartnerScope, AppError> {
    match (user.role(), user.account.partner_org_id) {
        (Role::Partner, Some(partner_id)) => Ok(PartnerScope {
            org_id: user.org.id,
            partner_id,
            account_id: user.account.id,
        }),
        _ => Err(AppError::Forbidden),
    }
}

/// A refusal of the store that the page names in a flash message; anything else passes on.
fn refused_flash(
    state: &AppState,
    to: &str,
    t: &Tr,
    err: StoreError,
) -> Result<Response, AppError> {
    match err {
        StoreError::Refused(key) => Ok(redirect_with_flash(
            state,
            to,
            "flash-referral-refused",
            &t.get(key),
        )),
        other => Err(other.into()),
    }
}

// ---------------------------------------------------------------- the partner's form

/// The referral form: a partner account's (`/referrals/new`) and the one behind a referral
/// address (`crate::routes::referral_address`), which adds the referrer's e-mail address and
/// the bot check.
#[derive(Template)]
#[template(path = "referral_form.html")]
pub(crate) struct FormPage {
    pub p: Page,
    pub f: FormData,
    pub neighbourhoods: Vec<Neighbourhood>,
    /// Where the form is sent.
    pub action: String,
    /// Behind a referral address: who refers, and the form's signed time stamp.
    pub address: Option<AddressExtras>,
}

impl FormPage {
    /// "Je verwijst namens …, naar …": behind a referral address only.
    fn address_lead(&self) -> String {
        self.address.as_ref().map_or_else(String::new, |a| {
            self.p.t.get2(
                "refer-address-for",
                ("partner", a.partner_name.as_str()),
                ("org", a.org_name.as_str()),
            )
        })
    }
}

/// What the form behind a referral address adds.
pub(crate) struct AddressExtras {
    pub partner_name: String,
    pub org_name: String,
    pub form_token: String,
}

/// The referral fields of a submitted form, either way it came.
pub(crate) fn referral_form(f: &FormData) -> ReferralForm<'_> {
    ReferralForm {
        first_name: f.get("first_name"),
        reach: f.get("reach"),
        need: f.get("need"),
        neighbourhood: f.get("neighbourhood_id"),
        agreed: f.has("agreed"),
    }
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    by: &PartnerScope,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let neighbourhoods = state.store.referral_neighbourhoods(by).await?;
    Ok(render_page(&FormPage {
        p: Page::new(ctx, "referral-new-title").with_errors(errors),
        f,
        neighbourhoods,
        action: "/referrals/new".into(),
        address: None,
    }))
}

/// `GET /referrals/new`: the referral form. With one neighbourhood there is nothing to
/// choose: it is chosen already.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let by = partner_scope(&user)?;
    if state
        .store
        .own_partner(by.org_id, Some(by.partner_id))
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let mine = state.store.referral_neighbourhoods(&by).await?;
    let body = match mine.as_slice() {
        [only] => format!("neighbourhood_id={}", only.id),
        _ => String::new(),
    };
    form_page(
        &state,
        &ctx,
        &by,
        FormData::parse(body.as_bytes()),
        FormErrors::default(),
    )
    .await
}

/// `POST /referrals/new`.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let by = partner_scope(&user)?;
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let draft = match ReferralDraft::parse(&referral_form(&f)) {
        Ok(d) => d,
        Err(errors) => {
            for (field, err) in errors {
                e.field(&t, field, err);
            }
            return Ok(unprocessable(form_page(&state, &ctx, &by, f, e).await?));
        }
    };
    let event = audit_event(
        &user,
        Action::ReferralCreated,
        Subject::none("referral"),
        "",
    );
    match state.store.create_referral(&by, &draft, event).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/referrals",
            "flash-referral-created",
            draft.first_name.as_str(),
        )),
        Err(StoreError::Refused(key)) => {
            e.add("neighbourhood_id", t.get(key));
            Ok(unprocessable(form_page(&state, &ctx, &by, f, e).await?))
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------- the partner's list

pub struct PartnerRow {
    pub referred_on: String,
    pub first_name: String,
    pub neighbourhood: String,
    pub status: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ListPage {
    p: Page,
    rows: Vec<PartnerRow>,
}

/// `GET /referrals`: the partner's own referrals with their minimal status.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let by = partner_scope(&user)?;
    let p = Page::new(&ctx, "referrals-title");
    let rows = state
        .store
        .partner_referrals(&by)
        .await?
        .into_iter()
        .map(|r| PartnerRow {
            referred_on: p.t.date(r.created_at),
            first_name: r.first_name.unwrap_or_default(),
            neighbourhood: r.neighbourhood_name,
            status: p.t.get(r.status.key()),
            since: p.t.date(r.since),
        })
        .collect();
    Ok(render_page(&ListPage { p, rows }))
}

// ---------------------------------------------------------------- the team's side

pub struct TeamRow {
    pub id: Uuid,
    pub first_name: String,
    pub partner: String,
    pub neighbourhood: String,
    pub referred_on: String,
    pub state: String,
    pub waiting: bool,
}

#[derive(Template)]
#[template(path = "referrals_inbox.html")]
struct InboxPage {
    p: Page,
    rows: Vec<TeamRow>,
}

fn state_text(t: &Tr, r: &TeamReferral) -> String {
    match r.state {
        ReferralState::Waiting => t.get("referral-state-waiting"),
        ReferralState::Confirmed => t.get("referral-state-confirmed"),
        ReferralState::Declined => t.get("referral-state-declined"),
        ReferralState::Expired => t.get("referral-state-expired"),
        ReferralState::Household => t.get("referral-state-household"),
    }
}

/// `GET /referrals/inbox`: the open referrals of the worker's neighbourhoods. Until the
/// parent confirmed, the first name only.
pub async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "referrals-inbox-title");
    let list = state.store.team_referrals(&user.tenant).await?;
    audit(
        &state,
        &user,
        Action::ReferralsListed,
        Subject::none("referral"),
        &format!("count={}", list.len()),
    )
    .await;
    let rows = list
        .iter()
        .map(|r| TeamRow {
            id: r.id,
            first_name: r.first_name.clone(),
            partner: r.partner_name.clone(),
            neighbourhood: r.neighbourhood_name.clone(),
            referred_on: p.t.date(r.created_at),
            state: state_text(&p.t, r),
            waiting: r.state == ReferralState::Waiting,
        })
        .collect();
    Ok(render_page(&InboxPage { p, rows }))
}

pub struct MatchRow {
    pub id: Uuid,
    pub names: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ShowPage {
    p: Page,
    r: TeamReferral,
    state: String,
    referred_on: String,
    expires_on: String,
    link_made_on: String,
    reach: String,
    kinds: Vec<(&'static str, String)>,
    matches: Vec<MatchRow>,
}

/// `GET /referrals/{id}`: one referral of the worker's neighbourhoods, with what can be done.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let (r, viewed) = acting_on(&state, &user, &id, Action::ReferralViewed, "").await?;
    record(&state, viewed).await;
    let p = Page::new(&ctx, "referral-title");
    let matches = if r.state == ReferralState::Confirmed {
        state
            .store
            .referral_matches(&user.tenant, r.id)
            .await?
            .into_iter()
            .map(|h| MatchRow {
                id: h.id,
                names: h.full_names.join(", "),
                status: p.t.label(&h.status),
            })
            .collect()
    } else {
        Vec::new()
    };
    let reach = r.confirmed.as_ref().and_then(|c| c.reach.as_ref());
    Ok(render_page(&ShowPage {
        state: state_text(&p.t, &r),
        referred_on: p.t.date(r.created_at),
        expires_on: p.t.date(r.expires_at),
        link_made_on: r.link_made_at.map(|d| p.t.datetime(d)).unwrap_or_default(),
        reach: match reach {
            Some(ContactKey::Phone(ph)) => ph.display(),
            Some(ContactKey::Email(em)) => em.as_str().to_string(),
            None => String::new(),
        },
        kinds: options(&p.t, HouseholdKind::ALL),
        matches,
        r,
        p,
    }))
}

/// The referral a team action names, within the worker's reach, and the action's audit entry.
async fn acting_on(
    state: &AppState,
    user: &User,
    id: &str,
    action: Action,
    detail: &str,
) -> Result<(TeamReferral, NewAuditEvent), AppError> {
    let r = state
        .store
        .team_referral(&user.tenant, parse_id(id)?)
        .await?;
    let event = audit_event(
        user,
        action,
        Subject::in_neighbourhood("referral", r.id, r.neighbourhood_id),
        detail,
    );
    Ok((r, event))
}

/// On to the family's page with a notification, or back to the referral with the store's
/// refusal.
fn to_family(
    state: &AppState,
    t: &Tr,
    r: &TeamReferral,
    done: Result<Uuid, StoreError>,
    flash: &str,
) -> Result<Response, AppError> {
    match done {
        Ok(household) => Ok(redirect_with_flash(
            state,
            &format!("/households/{household}"),
            flash,
            &r.first_name,
        )),
        Err(err) => refused_flash(state, &format!("/referrals/{}", r.id), t, err),
    }
}

#[derive(Template)]
#[template(path = "referral_link_made.html")]
struct LinkMadePage {
    p: Page,
    id: Uuid,
    url: String,
    buttons: Vec<SendButton>,
}

/// `POST /referrals/{id}/link`: a new one-time link for the parent, handed over once as
/// WhatsApp, text-message or e-mail buttons with the message filled in, and to copy.
pub async fn make_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let asked_mail = f.get("channel") == "email";
    let detail = if asked_mail { "email" } else { "" };
    let (r, event) = acting_on(&state, &user, &id, Action::ReferralLinkMade, detail).await?;
    let t = Tr::new(ctx.lang);
    let by_mail = asked_mail && r.by_email;
    let link = match state
        .store
        .make_referral_link(&user.tenant, r.id, event)
        .await
    {
        Ok(link) => link,
        Err(err) => return refused_flash(&state, &format!("/referrals/{}", r.id), &t, err),
    };
    let url = format!("{}/referral/{}", state.cfg.public_url, link.token);
    let text = t.get2(
        "referral-link-message",
        ("name", &link.first_name),
        ("url", &url),
    );
    let home = format!("/referrals/{}", r.id);
    if by_mail {
        return match state
            .store
            .queue_referral_mail(
                &user.tenant,
                r.id,
                &link.token,
                &t.get("referral-link-mail-subject"),
                &text,
            )
            .await
        {
            Ok(_) => Ok(redirect_with_flash(
                &state,
                &home,
                "flash-referral-mailed",
                &link.first_name,
            )),
            Err(err) => refused_flash(&state, &home, &t, err),
        };
    }
    let buttons = match &link.reach {
        Some(ContactKey::Phone(phone)) => vec![
            SendButton {
                href: whatsapp_link(phone, &text),
                label: t.get1("referral-send-whatsapp", "name", &link.first_name),
            },
            SendButton {
                href: sms_link(phone, &text),
                label: t.get1("referral-send-sms", "name", &link.first_name),
            },
        ],
        Some(ContactKey::Email(email)) => vec![SendButton {
            href: mailto_link(email, &t.get("referral-link-mail-subject"), &text),
            label: t.get1("referral-send-email", "name", &link.first_name),
        }],
        None => Vec::new(),
    };
    Ok(render_page(&LinkMadePage {
        p: Page::new(&ctx, "referral-link-title"),
        id: r.id,
        url,
        buttons,
    }))
}

/// `POST /referrals/{id}/household`: a confirmed referral becomes a new household.
pub async fn to_household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    // The referral first: another tenant's is "not found", whatever the form holds.
    let (r, event) = acting_on(&state, &user, &id, Action::ReferralHousehold, "").await?;
    let kind = HouseholdKind::parse(f.get("kind")).map_err(|_| AppError::BadRequest)?;
    let done = state
        .store
        .referral_to_household(&user.tenant, Some(user.account.id), r.id, kind, event)
        .await;
    to_family(
        &state,
        &Tr::new(ctx.lang),
        &r,
        done,
        "flash-referral-household",
    )
}

/// `POST /referrals/{id}/merge`: a confirmed referral joins a household the team knows.
pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let (r, event) = acting_on(&state, &user, &id, Action::ReferralMerged, "").await?;
    let household =
        Uuid::parse_str(f.get("household_id").trim()).map_err(|_| AppError::BadRequest)?;
    let done = state
        .store
        .merge_referral(&user.tenant, Some(user.account.id), r.id, household, event)
        .await
        .map(|()| household);
    to_family(
        &state,
        &Tr::new(ctx.lang),
        &r,
        done,
        "flash-referral-merged",
    )
}

// ---------------------------------------------------------------- the parent's link

#[derive(Template)]
#[template(path = "referral_answer.html")]
struct AnswerPage {
    p: Page,
    token: String,
    link: ParentLink,
    /// After an answer: "yes" or "no".
    answered: &'static str,
}

impl AnswerPage {
    /// "De school vertelde ons …; wij zijn …".
    fn lead(&self, partner: &str, org: &str) -> String {
        self.p
            .t
            .get2("referral-answer-lead", ("partner", partner), ("org", org))
    }
}

/// `GET /referral/{token}`: the parent's page: yes or no. Opening it changes nothing, so a
/// program that opens links to scan them does not answer for the parent.
pub async fn answer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let link = if valid_token(&token) {
        state
            .store
            .referral_link_at(&token, mtp_store::now())
            .await?
    } else {
        ParentLink::Unknown
    };
    Ok(render_page(&AnswerPage {
        p: Page::new(&ctx, "referral-answer-title"),
        token,
        link,
        answered: "",
    }))
}

/// `POST /referral/{token}`: the parent's answer, once.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    f: FormData,
) -> Result<Response, AppError> {
    if !valid_token(&token) {
        return Err(AppError::NotFound);
    }
    let yes = match f.get("answer") {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let (link, answered) = match state
        .store
        .answer_referral_at(&token, yes, mtp_store::now())
        .await?
    {
        Ok(()) => (ParentLink::Answered, if yes { "yes" } else { "no" }),
        Err(link) => (link, ""),
    };
    Ok(render_page(&AnswerPage {
        p: Page::new(&ctx, "referral-answer-title"),
        token: String::new(),
        link,
        answered,
    }))
}

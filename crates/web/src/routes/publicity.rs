//! Parents' quotes and publicity (issue #16, docs/guide/help-referrals.md#quotes-and-publicity;
//! handbook §3.5). A quote is recorded from the household's page, only while the family's
//! consent for quotes is given; `/publicity` lists the quotes that may be used now. The store
//! asks the consent on every read, so a withdrawal hides a quote at once.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use mtp_domain::audit::Action;
use mtp_domain::quote::{Attribution, QuoteDraft, QuoteForm};
use mtp_store::{Household, Quote, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

/// A quote as a card shows it.
pub struct QuoteRow {
    pub id: Uuid,
    pub household_id: Uuid,
    pub text: String,
    pub byline: String,
    pub neighbourhood: String,
    pub said_on: String,
    pub usable: bool,
}

fn row(t: &Tr, q: Quote) -> QuoteRow {
    QuoteRow {
        id: q.id,
        household_id: q.household_id,
        said_on: t.day(q.said_on),
        text: q.text,
        byline: q.byline,
        neighbourhood: q.neighbourhood_name,
        usable: q.usable,
    }
}

// ---------------------------------------------------------------- the publicity list

#[derive(Template)]
#[template(path = "publicity.html")]
struct PublicityPage {
    p: Page,
    quotes: Vec<QuoteRow>,
}

/// `GET /publicity`: the quotes that may be used now, newest first.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let p = Page::new(&ctx, "publicity-title");
    let quotes: Vec<QuoteRow> = state
        .store
        .usable_quotes(&user.tenant)
        .await?
        .into_iter()
        .map(|q| row(&p.t, q))
        .collect();
    audit(
        &state,
        &user,
        Action::PublicityViewed,
        Subject::none("publicity"),
        &format!("quotes={}", quotes.len()),
    )
    .await;
    Ok(render_page(&PublicityPage { quotes, p }))
}

// ---------------------------------------------------------------- a household's quotes

#[derive(Template)]
#[template(path = "quotes.html")]
struct HouseholdPage {
    p: Page,
    household_id: Uuid,
    names: String,
    /// The family's consent for quotes is given now: a quote may be recorded.
    consent: bool,
    anonymised: bool,
    quotes: Vec<QuoteRow>,
    attributions: Vec<(&'static str, String)>,
    parents: Vec<(Uuid, String)>,
    f: FormData,
}

async fn household_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    h: &Household,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "quotes-title").with_errors(errors);
    let t = p.t;
    let quotes = state
        .store
        .quotes_of(&user.tenant, h.id)
        .await?
        .into_iter()
        .map(|q| row(&t, q))
        .collect();
    Ok(render_page(&HouseholdPage {
        household_id: h.id,
        names: h
            .parents
            .iter()
            .map(|x| x.first_name.as_str())
            .collect::<Vec<_>>()
            .join(" & "),
        consent: mtp_domain::quote::usable(&h.consents),
        anonymised: h.anonymised,
        quotes,
        attributions: Attribution::ALL
            .into_iter()
            .map(|a| {
                (
                    a.as_str(),
                    t.get(format!("quote-attribution-{}", a.as_str())),
                )
            })
            .collect(),
        parents: h
            .parents
            .iter()
            .map(|x| (x.id, x.first_name.clone()))
            .collect(),
        f,
        p,
    }))
}

/// The form starts on today, named by a phrase: "een moeder uit <wijk>", which the parent
/// may change.
fn fresh_form(t: &Tr, h: &Household) -> FormData {
    let phrase = t.get1(
        "quote-phrase-default",
        "neighbourhood",
        h.neighbourhood_name.as_str(),
    );
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("quote_attribution", "phrase")
        .append_pair("quote_phrase", &phrase)
        .append_pair("quote_said_on", &crate::today().to_string())
        .append_pair(
            "quote_parent",
            &h.parents
                .first()
                .map(|x| x.id.to_string())
                .unwrap_or_default(),
        )
        .finish();
    FormData::parse(body.as_bytes())
}

/// `GET /households/{id}/quotes`: the family's quotes (text hidden while the consent is not
/// given) and the form for a new one.
pub async fn of_household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &id).await?;
    audit(
        &state,
        &user,
        Action::PublicityViewed,
        Subject::household(h.id, h.neighbourhood_id),
        "household",
    )
    .await;
    let f = fresh_form(&Tr::new(ctx.lang), &h);
    household_page(&state, &ctx, &user, &h, f, FormErrors::default()).await
}

/// `POST /households/{id}/quotes`: record a quote.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let h = crate::views::household_in_reach(&state, &user, &id).await?;
    if h.anonymised {
        // Nothing to add to an erased family: show what remains.
        return Ok(crate::views::erased(format!("/households/{}/quotes", h.id)));
    }
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let form = QuoteForm {
        text: f.get("quote_text"),
        attribution: f.get("quote_attribution"),
        parent: f.get("quote_parent"),
        phrase: f.get("quote_phrase"),
        said_on: f.get("quote_said_on"),
    };
    let draft = match QuoteDraft::parse(&form, crate::today()) {
        Ok(d) => d,
        Err(errors) => {
            e.fields(&t, errors);
            return Ok(unprocessable(
                household_page(&state, &ctx, &user, &h, f, e).await?,
            ));
        }
    };
    let event = audit_event(
        &user,
        Action::QuoteRecorded,
        Subject::household(h.id, h.neighbourhood_id),
        "",
    );
    match state
        .store
        .add_quote(&user.tenant, Some(user.account.id), h.id, &draft, event)
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/households/{}/quotes", h.id),
            "flash-quote-recorded",
            "",
        )),
        Err(StoreError::Refused(key)) => {
            let field = if key.ends_with("quote_parent") {
                "quote_parent"
            } else {
                "quote_text"
            };
            e.add(field, t.get(key));
            Ok(unprocessable(
                household_page(&state, &ctx, &user, &h, f, e).await?,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /quotes/{id}/remove`: remove a quote for good.
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    // Reach first: another tenant's quote is not found, whatever the form says.
    state.store.quote_household(&user.tenant, id).await?;
    // The button sends this; a bare POST removes nothing.
    if f.get("remove") != "yes" {
        return Err(AppError::BadRequest);
    }
    let event = audit_event(&user, Action::QuoteRemoved, Subject::none("household"), "");
    let household = state
        .store
        .remove_quote(&user.tenant, Some(user.account.id), id, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/households/{household}/quotes"),
        "flash-quote-removed",
        "",
    ))
}

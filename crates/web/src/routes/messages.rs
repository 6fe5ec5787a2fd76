//! A neighbourhood's own wording of the messages workers send (WhatsApp, text, e-mail), per
//! purpose and language, with a preview. A text with a placeholder we do not know is refused
//! when it is saved, so it can never fail when a worker taps *WhatsApp*.

use askama::Template as Page_;
use axum::extract::{Query, State};
use axum::response::Response;
use mtp_domain::Language;
use mtp_domain::audit::Action;
use mtp_domain::message::{Placeholder, Template, TemplateError, TemplatePurpose, Values};
use mtp_store::Neighbourhood;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::parse::pick_neighbourhood;
use crate::respond::redirect_with_flash;

#[derive(Debug, Deserialize, Default)]
pub struct MessagesQuery {
    #[serde(default)]
    nb: String,
}

pub struct TemplateCard {
    pub field: String,
    pub purpose: &'static str,
    pub lang: String,
    pub title: String,
    pub text: String,
    pub preview: String,
    pub own: bool,
}

#[derive(Page_)]
#[template(path = "messages.html")]
struct MessagesPage {
    p: Page,
    neighbourhoods: Vec<Neighbourhood>,
    nb: Uuid,
    placeholders: String,
    cards: Vec<TemplateCard>,
}

/// Example values for the preview, in the language of the message.
fn sample(lang: Language) -> Values {
    let t = Tr::new(lang);
    Values::new()
        .with(Placeholder::FirstName, "Sanne")
        .with(Placeholder::Activity, &t.get("messages-sample-activity"))
        .with(Placeholder::Day, t.weekday(chrono::Weekday::Wed))
        .with(Placeholder::Date, &format!("4 {}", t.month(12)))
        .with(Placeholder::Time, "09:30–10:30")
        .with(Placeholder::Place, &t.get("messages-sample-place"))
        .with(Placeholder::Worker, "Ellen")
}

fn field(purpose: TemplatePurpose, lang: Language) -> String {
    format!("text-{}-{}", purpose.as_str(), lang.as_str())
}

fn error_text(t: &Tr, e: &TemplateError) -> String {
    match e {
        TemplateError::UnknownPlaceholder(name) => t.get1(e.key(), "name", format!("{{{name}}}")),
        TemplateError::MissingValue(p) => t.get1(e.key(), "name", p.name_in(t.lang)),
        other => t.get(other.key()),
    }
}

/// `typed`: the text the user just sent for one template, shown back with its error.
async fn messages_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    nb_raw: &str,
    errors: FormErrors,
    typed: Option<(String, String)>,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (neighbourhoods, nb) = pick_neighbourhood(state, user, nb_raw).await?;
    let own = state.store.message_templates(&user.tenant, nb).await?;
    let mut cards = Vec::new();
    for purpose in TemplatePurpose::ALL {
        for lang in [Language::Nl, Language::En] {
            let f = field(purpose, lang);
            let stored = own.get(&(purpose.as_str().to_string(), lang.as_str().to_string()));
            let template = stored
                .and_then(|s| Template::parse(s).ok())
                .unwrap_or_else(|| Template::default_for(purpose, lang));
            let text = match &typed {
                Some((k, v)) if *k == f => v.clone(),
                _ => template.as_str().to_string(),
            };
            cards.push(TemplateCard {
                title: format!("{} ({})", t.label(&purpose), t.label(&lang)),
                preview: template.render(&sample(lang)).unwrap_or_default(),
                purpose: purpose.as_str(),
                lang: lang.as_str().to_string(),
                own: stored.is_some(),
                field: f,
                text,
            });
        }
    }
    let placeholders = Placeholder::ALL
        .into_iter()
        .map(|p| format!("{{{}}}", p.name_in(ctx.lang)))
        .collect::<Vec<_>>()
        .join(" ");
    Ok(render_page(&MessagesPage {
        p: Page::new(ctx, "messages-title").with_errors(errors),
        neighbourhoods,
        nb,
        placeholders,
        cards,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MessagesQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    messages_page(&state, &ctx, &user, &q.nb, FormErrors::default(), None).await
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let (_, nb) = pick_neighbourhood(&state, &user, f.get("nb")).await?;
    let (Ok(purpose), Some(lang)) = (
        TemplatePurpose::parse(f.get("purpose")),
        Language::parse(f.get("lang")),
    ) else {
        return Err(AppError::BadRequest);
    };
    let key = field(purpose, lang);
    let text = if f.has("reset") {
        None
    } else {
        match Template::parse(f.get("text")) {
            Ok(template) => Some(template),
            Err(err) => {
                let mut e = FormErrors::default();
                e.add(&key, error_text(&t, &err));
                let typed = Some((key, f.get("text").to_string()));
                return Ok(unprocessable(
                    messages_page(&state, &ctx, &user, f.get("nb"), e, typed).await?,
                ));
            }
        }
    };
    let event = audit_event(
        &user,
        Action::MessageTemplateSaved,
        Subject::neighbourhood(nb),
        &format!("purpose={} lang={}", purpose.as_str(), lang.as_str()),
    );
    state
        .store
        .set_message_template(
            &user.tenant,
            Some(user.account.id),
            nb,
            purpose,
            lang,
            text.as_ref(),
            event,
        )
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/messages?nb={nb}#{key}"),
        "flash-saved",
        "",
    ))
}

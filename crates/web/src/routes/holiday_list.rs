//! The organisation's holiday list (issue #18, docs/guide/outings.md#holiday-activities):
//! which holidays the activities page proposes to organise something for. Built-in ones
//! (Moederdag, Vaderdag, Keti Koti, Sinterklaas, Kerst, Suikerfeest) can be taken off and put
//! back; coordinators add their own, and enter the date per year of a holiday that moves.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use mtp_domain::activity::ActivityKind;
use mtp_domain::audit::Action;
use mtp_domain::outing::{HolidayRule, parse_fixed_day, upcoming};
use mtp_domain::{FieldError, schedule};
use mtp_store::StoreError;
use mtp_store::outings::ListedHoliday;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors, unprocessable};
use crate::i18n::Tr;
use crate::page::{Page, render_page};
use crate::respond::redirect_with_flash;

/// The name of a listed holiday in the user's language.
fn name(t: &Tr, h: &ListedHoliday) -> String {
    match (&h.key, &h.own) {
        (Some(k), _) => t.get(k),
        (None, Some((_, n))) => n.clone(),
        (None, None) => String::new(),
    }
}

/// A holiday coming up: its name, day and the link that starts an activity for it.
pub struct Suggestion {
    pub title: String,
    pub when: String,
    pub href: String,
    pub date: NaiveDate,
}

/// The organisation's holidays whose planning window is open now or opens within
/// `horizon_days`, for the activities page.
pub async fn suggestions(
    state: &AppState,
    user: &User,
    t: &Tr,
    horizon_days: i64,
) -> Result<Vec<Suggestion>, AppError> {
    let today = crate::today();
    let mut out: Vec<Suggestion> = state
        .store
        .holiday_list(&user.tenant)
        .await?
        .iter()
        .filter(|h| !h.hidden)
        .flat_map(|h| {
            let title = name(t, h);
            upcoming(h.rule, &h.dates, today, horizon_days)
                .into_iter()
                .map(move |(date, _)| (title.clone(), date))
        })
        .map(|(title, date)| Suggestion {
            href: url::form_urlencoded::Serializer::new("/activities/new?".to_string())
                .append_pair("kind", ActivityKind::Holiday.as_str())
                .append_pair("name", &title)
                .finish(),
            when: t.day(date),
            title,
            date,
        })
        .collect();
    out.sort_by_key(|s| s.date);
    Ok(out)
}

pub struct HolidayRow {
    pub reference: String,
    pub name: String,
    /// When it falls: "every year on 1 July", "the second Sunday of May", or the dates.
    pub rule: String,
    pub next: String,
    pub hidden: bool,
    pub entered: bool,
    pub own: bool,
    pub plan_href: String,
    /// The id of the row's date field.
    pub date_field: String,
}

#[derive(Template)]
#[template(path = "holiday_list.html")]
struct ListPage {
    p: Page,
    rows: Vec<HolidayRow>,
    f: FormData,
}

fn describe(t: &Tr, h: &ListedHoliday) -> String {
    match h.rule {
        HolidayRule::Fixed(month, day) => t.get2(
            "holiday-rule-fixed",
            ("day", day),
            ("month", t.month(month)),
        ),
        HolidayRule::NthWeekday(month, weekday, nth) => {
            let which = t.get(
                schedule::Repeat::Monthly(nth)
                    .key()
                    .replace("repeat-", "nth-"),
            );
            t.get2(
                "holiday-rule-nth",
                ("which", format!("{which} {}", t.weekday(weekday))),
                ("month", t.month(month)),
            )
        }
        HolidayRule::Entered if h.dates.is_empty() => t.get("holiday-rule-entered-none"),
        HolidayRule::Entered => t.get1(
            "holiday-rule-entered",
            "name",
            h.dates
                .iter()
                .map(|d| t.day(*d))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "holiday-list-title").with_errors(errors);
    let t = p.t;
    let today = crate::today();
    let rows = state
        .store
        .holiday_list(&user.tenant)
        .await?
        .iter()
        .map(|h| {
            let title = name(&t, h);
            HolidayRow {
                date_field: format!("day-{}", h.reference()),
                reference: h.reference(),
                rule: describe(&t, h),
                next: upcoming(h.rule, &h.dates, today, 366)
                    .first()
                    .map(|(d, _)| t.day(*d))
                    .unwrap_or_default(),
                hidden: h.hidden,
                entered: h.rule == HolidayRule::Entered,
                own: h.own.is_some(),
                plan_href: url::form_urlencoded::Serializer::new("/activities/new?".to_string())
                    .append_pair("kind", ActivityKind::Holiday.as_str())
                    .append_pair("name", &title)
                    .finish(),
                name: title,
            }
        })
        .collect();
    Ok(render_page(&ListPage { p, rows, f }))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &ctx,
        &user,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

fn org_subject(user: &User) -> Subject<'static> {
    Subject::of("organisation", user.org.id)
}

/// Add an own holiday: a name, and its day when it is the same every year.
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let holiday_name = e.text(&t, &f, "holiday_name", 100);
    if holiday_name.is_empty() {
        e.field(&t, "holiday_name", FieldError::Required);
    }
    let rule = e.take(&t, "fixed_day", parse_fixed_day(f.get("fixed_day")));
    let (Some(rule), true) = (rule, e.is_empty()) else {
        return Ok(unprocessable(list_page(&state, &ctx, &user, f, e).await?));
    };
    let event = audit_event(
        &user,
        Action::HolidayListChanged,
        org_subject(&user),
        &format!("added {}", rule.as_stored()),
    );
    state
        .store
        .add_holiday(&user.tenant, &holiday_name, rule, event)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/holiday-activities",
        "flash-holiday-list-added",
        &holiday_name,
    ))
}

/// Take a holiday off the list, or put a built-in one back (`hidden` = "yes" / "no").
pub async fn hide(
    State(state): State<AppState>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    // A form that names no change changes nothing.
    let hidden = match f.get("hidden") {
        "yes" => true,
        "no" => false,
        _ => {
            return Ok(redirect_with_flash(
                &state,
                "/holiday-activities",
                "flash-saved",
                "",
            ));
        }
    };
    let reference = f.get("holiday").trim().to_string();
    let event = audit_event(
        &user,
        Action::HolidayListChanged,
        org_subject(&user),
        &format!(
            "{} hidden={hidden}",
            reference.chars().take(60).collect::<String>()
        ),
    );
    match state
        .store
        .hide_holiday(&user.tenant, &reference, hidden, event)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            "/holiday-activities",
            "flash-saved",
            "",
        )),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(err) => Err(err.into()),
    }
}

/// Enter the date of a moving holiday (Suikerfeest) for a year.
pub async fn set_date(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let reference = f.get("holiday").trim().to_string();
    let field = format!("day-{reference}");
    let Some(day) = e.take(&t, "day", schedule::parse_date(f.get("day"))) else {
        // The error belongs to the row's own date field.
        let mut row = FormErrors::default();
        if let Some(message) = e.get("day") {
            row.add(&field, message.to_string());
        }
        return Ok(unprocessable(list_page(&state, &ctx, &user, f, row).await?));
    };
    let event = audit_event(
        &user,
        Action::HolidayListChanged,
        org_subject(&user),
        &format!("date {}", day.format("%Y-%m-%d")),
    );
    match state
        .store
        .set_holiday_date(&user.tenant, &reference, day, event)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            "/holiday-activities",
            "flash-saved",
            "",
        )),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(err) => Err(err.into()),
    }
}

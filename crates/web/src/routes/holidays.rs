//! The organisation's school holidays: the national advice for its region, refined by the
//! dates its own schools keep. Coordinators see them (they plan the series); administrators
//! add and remove own dates, as they change the organisation's other settings (decision ac).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use mtp_domain::FieldError;
use mtp_domain::audit::Action;
use mtp_domain::schedule::{HolidaySource, Holidays, OwnHoliday, SchoolHoliday, school_year_of};
use mtp_store::{Changed, StoreError};
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

/// Who may add and remove own dates: whom the gate lets add them.
fn may_edit(user: &User) -> bool {
    crate::gate::allows(user.role(), &Method::POST, "/admin/holidays")
}

/// "20 februari – 28 februari 2027": both days, the year where it is not this year, and only
/// once when both days are in the same year.
fn dates(t: &Tr, first: NaiveDate, last: NaiveDate, today: NaiveDate) -> String {
    // Written as if in the last day's year, the first day shows no year of its own.
    let first_text = if first.year() == last.year() {
        t.day_month(first, last)
    } else {
        t.day_month(first, today)
    };
    format!("{first_text} – {}", t.day_month(last, today))
}

/// "Voorjaarsvakantie (20 februari – 28 februari 2027)", for messages.
fn describe(t: &Tr, p: &OwnHoliday) -> String {
    describe_on(t, p, crate::today())
}

fn describe_on(t: &Tr, p: &OwnHoliday, today: NaiveDate) -> String {
    format!(
        "{} ({})",
        t.label(&p.holiday),
        dates(t, p.first, p.last, today)
    )
}

pub struct HolidayRow {
    pub holiday: String,
    pub dates: String,
    pub source: String,
    pub tag: &'static str,
    /// The own period's id, for its remove button.
    pub own_id: Option<Uuid>,
}

pub struct SchoolYearTable {
    pub caption_id: String,
    pub caption: String,
    pub rows: Vec<HolidayRow>,
}

#[derive(Template)]
#[template(path = "admin_holidays.html")]
struct HolidaysPage {
    p: Page,
    region: String,
    years: Vec<SchoolYearTable>,
    may_edit: bool,
    f: FormData,
    choices: Vec<(&'static str, String)>,
    /// Just removed: what, and the id for its *Ongedaan maken* button.
    undo: Option<(Uuid, String)>,
}

/// One table per school year, from this one to the last one anything is known for; in each,
/// the five holidays in order, with the ones nobody knows yet marked as such.
fn year_tables(
    t: &Tr,
    holidays: &Holidays,
    own: &[mtp_store::StoredHoliday],
) -> Vec<SchoolYearTable> {
    let periods = holidays.periods();
    let today = crate::today();
    let this_year = school_year_of(today);
    let last_year = periods
        .iter()
        .map(|p| school_year_of(p.period.first))
        .max()
        .unwrap_or(this_year)
        .max(this_year);
    (this_year..=last_year)
        .map(|year| {
            let mut rows = Vec::new();
            for kind in SchoolHoliday::ALL {
                let of_kind: Vec<_> = periods
                    .iter()
                    .filter(|p| p.period.holiday == kind && school_year_of(p.period.first) == year)
                    .collect();
                if of_kind.is_empty() {
                    rows.push(HolidayRow {
                        holiday: t.label(&kind),
                        dates: t.get("holidays-unknown-dates"),
                        source: t.get("holidays-source-unknown"),
                        tag: "tag--excused",
                        own_id: None,
                    });
                }
                for p in of_kind {
                    let own_id = own
                        .iter()
                        .find(|s| {
                            p.source == HolidaySource::Own
                                && s.period.holiday == p.period.holiday
                                && s.period.first == p.period.first
                                && s.period.last == p.period.last
                        })
                        .map(|s| s.id);
                    let (source, tag) = match p.source {
                        HolidaySource::National => ("holidays-source-national", "tag--neutral"),
                        HolidaySource::Own => ("holidays-source-own", "tag--info"),
                    };
                    rows.push(HolidayRow {
                        holiday: t.label(&kind),
                        dates: dates(t, p.period.first, p.period.last, today),
                        source: t.get(source),
                        tag,
                        own_id,
                    });
                }
            }
            SchoolYearTable {
                caption_id: format!("year-{year}"),
                caption: t.get1(
                    "holidays-school-year",
                    "name",
                    format!("{year}–{}", year + 1),
                ),
                rows,
            }
        })
        .collect()
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: FormData,
    errors: FormErrors,
    undo: Option<(Uuid, String)>,
) -> Result<Response, AppError> {
    let p = Page::new(ctx, "holidays-title").with_errors(errors);
    let own = state.store.school_holidays(&user.tenant).await?;
    let holidays = Holidays::new(
        user.org.holiday_region,
        own.iter().map(|s| s.period).collect(),
    );
    let years = year_tables(&p.t, &holidays, &own);
    let region = p.t.label(&user.org.holiday_region);
    let choices = options(&p.t, SchoolHoliday::ALL);
    Ok(render_page(&HolidaysPage {
        region,
        years,
        may_edit: may_edit(user),
        f,
        choices,
        undo: undo.filter(|_| may_edit(user)),
        p,
    }))
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    undo: String,
}

/// The page; after a remove (`?undo=<id>`) with a banner that offers to undo it, for as long
/// as the period stays removed.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let undo = match Uuid::parse_str(&q.undo) {
        Ok(id) => match state.store.school_holiday(&user.tenant, id).await {
            Ok((h, true)) => Some((
                id,
                t.get1("holidays-removed", "name", describe(&t, &h.period)),
            )),
            Ok((_, false)) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    page(
        &state,
        &ctx,
        &user,
        FormData::default(),
        FormErrors::default(),
        undo,
    )
    .await
}

/// A field's message. A holiday outside its season says which months that holiday falls in.
fn field_error(t: &Tr, e: &mut FormErrors, field: &str, err: FieldError, kind: &str) {
    if err == FieldError::HolidayOutOfSeason {
        e.add(field, t.get(format!("error-holiday-out-of-season-{kind}")));
    } else {
        e.field(t, field, err);
    }
}

pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let mut e = FormErrors::default();
    let period = match OwnHoliday::parse(f.get("holiday"), f.get("first_day"), f.get("last_day")) {
        Ok(period) => Some(period),
        Err(errors) => {
            for (field, err) in errors {
                field_error(&t, &mut e, field, err, f.get("holiday"));
            }
            None
        }
    };
    let Some(period) = period else {
        return Ok(unprocessable(page(&state, &ctx, &user, f, e, None).await?));
    };
    let existing: Vec<OwnHoliday> = state
        .store
        .school_holidays(&user.tenant)
        .await?
        .into_iter()
        .map(|s| s.period)
        .collect();
    if let Some(other) = period.overlapping(&existing) {
        e.add(
            "first_day",
            t.get1("error-holiday-overlaps-named", "name", describe(&t, other)),
        );
        return Ok(unprocessable(page(&state, &ctx, &user, f, e, None).await?));
    }
    let event = audit_event(
        &user,
        Action::SchoolHolidayAdded,
        Subject::none("school_holiday"),
        "",
    );
    match state
        .store
        .add_school_holiday(&user.tenant, Some(user.account.id), &period, event)
        .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/admin/holidays",
            "flash-holiday-added",
            &describe(&t, &period),
        )),
        // Added in another tab or by another administrator a moment ago.
        Err(StoreError::Duplicate(field)) => {
            e.field(&t, field, FieldError::HolidayOverlaps);
            Ok(unprocessable(page(&state, &ctx, &user, f, e, None).await?))
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let event = audit_event(
        &user,
        Action::SchoolHolidayRemoved,
        Subject::of("school_holiday", id),
        "",
    );
    // Removed now or before (a resend): either way the page says so and offers to undo it
    // (docs/ui.md §1.7).
    state
        .store
        .remove_school_holiday(&user.tenant, Some(user.account.id), id, event)
        .await?;
    Ok(axum::response::Redirect::to(&format!("/admin/holidays?undo={id}")).into_response())
}

/// Undo a remove: the period holds again (unless one added since overlaps it).
pub async fn restore(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let t = Tr::new(ctx.lang);
    let event = audit_event(
        &user,
        Action::SchoolHolidayRestored,
        Subject::of("school_holiday", id),
        "",
    );
    match state
        .store
        .restore_school_holiday(&user.tenant, id, event)
        .await
    {
        Ok(Changed::Now(period) | Changed::Already(period)) => Ok(redirect_with_flash(
            &state,
            "/admin/holidays",
            "flash-holiday-restored",
            &describe(&t, &period),
        )),
        Err(StoreError::Duplicate(field)) => {
            let mut e = FormErrors::default();
            e.field(&t, field, FieldError::HolidayOverlaps);
            Ok(unprocessable(
                page(&state, &ctx, &user, FormData::default(), e, None).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_described_with_its_name_and_both_days() {
        let t = Tr::new(mtp_domain::Language::Nl);
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let p = OwnHoliday::new(SchoolHoliday::Spring, d(2027, 2, 20), d(2027, 2, 28));
        let today = d(2026, 11, 29);
        let text = p.map(|p| describe_on(&t, &p, today)).unwrap_or_default();
        assert_eq!(text, "Voorjaarsvakantie (20 februari – 28 februari 2027)");
        let text = p
            .map(|p| describe_on(&t, &p, d(2027, 1, 5)))
            .unwrap_or_default();
        assert_eq!(text, "Voorjaarsvakantie (20 februari – 28 februari)");
        let p = OwnHoliday::new(SchoolHoliday::Christmas, d(2027, 12, 25), d(2028, 1, 9));
        let text = p.map(|p| describe_on(&t, &p, today)).unwrap_or_default();
        assert_eq!(text, "Kerstvakantie (25 december 2027 – 9 januari 2028)");
    }
}

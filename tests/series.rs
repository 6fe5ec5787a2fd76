//! Series other than weekly (issue #18, docs/guide/sessions.md#series): every N weeks or the
//! n-th weekday of the month, with the school holidays left out and the wall-clock time kept;
//! and the weekday choice that shows how many taking-part families can come on each day.

use chrono::{Datelike, NaiveDate, Weekday};
use mtp_domain::schedule::{self, TZ};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;

async fn a_cooking_workshop_once_a_month_skips_the_holidays(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let cooking = app
        .store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == "Workshop: gezond koken voor weinig geld")
        .map(|a| a.id)
        .expect("the demo's cooking workshop");
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get(&format!("/activities/{cooking}")).await;
    assert!(
        page.body
            .contains("1 keer per maand, de tweede van de maand")
    );

    // A rhythm the form does not offer says so at the field.
    let r = w
        .post(
            &format!("/activities/{cooking}/plan"),
            &[
                ("weekday", "4"),
                ("repeat", "m9"),
                ("start", "17:30"),
                ("end", "19:30"),
                ("from", "2027-09-01"),
                ("until", "2028-06-30"),
                ("skip_holidays", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kies hoe vaak de bijeenkomst is."));

    // The second Thursday from September 2027 to June 2028: the Christmas holiday has none,
    // and the first Thursday of January 2028 would have been in it.
    let r = w
        .post(
            &format!("/activities/{cooking}/plan"),
            &[
                ("weekday", "4"),
                ("repeat", "m2"),
                ("start", "17:30"),
                ("end", "19:30"),
                ("from", "2027-09-01"),
                ("until", "2028-06-30"),
                ("skip_holidays", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let from = NaiveDate::from_ymd_opt(2027, 9, 1).unwrap();
    let sessions = app
        .store
        .activity_sessions(
            &t,
            cooking,
            schedule::local_to_utc(from, chrono::NaiveTime::MIN),
            100,
        )
        .await
        .unwrap();
    let days: Vec<NaiveDate> = sessions
        .iter()
        .map(|s| s.starts_at.with_timezone(&TZ).date_naive())
        .filter(|d| d.year() <= 2028)
        .collect();
    assert!(!days.is_empty());
    for d in &days {
        assert_eq!(d.weekday(), Weekday::Thu, "{d}");
        assert!((8..=14).contains(&d.day()), "{d} is a second Thursday");
    }
    // The dates are the domain's, holidays left out (the organisation's own included).
    let holidays = {
        let own = app
            .store
            .school_holidays(&t)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.period)
            .collect();
        schedule::Holidays::new(mtp_domain::HolidayRegion::Noord, own)
    };
    let expected = schedule::Weekly {
        weekday: Weekday::Thu,
        start: chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
        end: chrono::NaiveTime::from_hms_opt(19, 30, 0).unwrap(),
        from,
        until: NaiveDate::from_ymd_opt(2028, 6, 30).unwrap(),
        skip_school_holidays: Some(holidays.clone()),
    }
    .series(schedule::Repeat::Monthly(schedule::Nth::Second))
    .dates()
    .unwrap();
    assert_eq!(days, expected);
    assert!(days.iter().all(|d| holidays.holiday_on(*d).is_none()));
    // Every session starts at half past five, Dutch time, summer or winter.
    for s in &sessions {
        let local = s.starts_at.with_timezone(&TZ);
        assert_eq!(local.format("%H:%M").to_string(), "17:30");
    }
    let audit = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("activity.sessions-planned".into()),
                object_id: Some(cooking),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.detail.contains("repeat=m2")));
}
on_both!(
    monthly_series,
    a_cooking_workshop_once_a_month_skips_the_holidays
);

async fn every_other_week(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let movement: Uuid = app
        .store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == "Samen bewegen")
        .map(|a| a.id)
        .expect("the demo's movement activity");
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let r = w
        .post(
            &format!("/activities/{movement}/plan"),
            &[
                ("weekday", "6"),
                ("repeat", "w2"),
                ("start", "10:00"),
                ("end", "11:00"),
                ("from", "2029-03-01"),
                ("until", "2029-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let from = NaiveDate::from_ymd_opt(2029, 3, 1).unwrap();
    let days: Vec<NaiveDate> = app
        .store
        .activity_sessions(
            &t,
            movement,
            schedule::local_to_utc(from, chrono::NaiveTime::MIN),
            10,
        )
        .await
        .unwrap()
        .iter()
        .map(|s| s.starts_at.with_timezone(&TZ).date_naive())
        .filter(|d| *d <= NaiveDate::from_ymd_opt(2029, 3, 31).unwrap())
        .collect();
    // Saturdays 3, 17 and 31 March 2029.
    let d = |day| NaiveDate::from_ymd_opt(2029, 3, day).unwrap();
    assert_eq!(days, vec![d(3), d(17), d(31)]);
}
on_both!(fortnightly_series, every_other_week);

/// The weekday choice shows how many taking-part families can come on each day (§3.3:
/// Wednesday and Friday suit parents who work part-time).
async fn the_weekday_shows_who_can_come(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let poort = app.neighbourhood(&t, "Almere Poort").await;
    let fit = app
        .store
        .weekday_fit(&t, poort, mtp_web::today())
        .await
        .unwrap();
    assert!(fit.taking_part > 0, "the demo has families taking part");
    let on = |day: Weekday| {
        fit.fit
            .days
            .iter()
            .find(|f| f.weekday == day)
            .map(|f| f.can_come)
            .unwrap()
    };
    // Everyone who does not work can come on every day; working parents only on free days.
    assert!(on(Weekday::Wed) <= fit.taking_part);
    assert!(on(Weekday::Fri) >= on(Weekday::Mon));
    let coffee = app
        .store
        .activities(&t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == "Koffie-uurtje Poort")
        .map(|a| a.id)
        .unwrap();
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let page = w.get(&format!("/activities/{coffee}")).await;
    assert!(
        page.body
            .contains(&format!("{} gezinnen doen mee", fit.taking_part)),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("woensdag ({} kunnen)", on(Weekday::Wed)))
    );
    assert!(
        page.body
            .contains(&format!("vrijdag ({} kunnen)", on(Weekday::Fri)))
    );
    // Only counts: the neighbourhood of another organisation is out of reach.
    let lelystad = app.org("Lelystad").await;
    assert!(
        app.store
            .weekday_fit(&lelystad, poort, mtp_web::today())
            .await
            .is_err()
    );
}
on_both!(weekday_fit, the_weekday_shows_who_can_come);

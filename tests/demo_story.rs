//! The demo's year tells the story the reports show (docs/guide/demo.md, "The story in
//! numbers"), checked from the raw records: Almere Haven runs its coffee hour less faithfully
//! than Almere Poort, and some of Poort's families came often and then stayed away.

use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_store::HouseholdFilter;

use crate::helpers::TestApp;
use crate::on_both;

async fn coffee_sessions(
    app: &TestApp,
    t: &mtp_domain::Tenant,
    name: &str,
) -> Vec<mtp_store::SessionSummary> {
    let coffee = app
        .store
        .activities(t)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.d.name == name)
        .unwrap_or_else(|| panic!("the demo has {name}"));
    let from = chrono::Utc::now() - chrono::Duration::weeks(120);
    app.store
        .activity_sessions(t, coffee.id, from, 1000)
        .await
        .unwrap()
}

async fn haven_cancels_and_forgets_poort_closes_every_week(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let now = chrono::Utc::now();
    let count = |sessions: &[mtp_store::SessionSummary], state: SessionState| {
        sessions
            .iter()
            .filter(|s| s.ends_at < now && s.state == state)
            .count()
    };
    let haven = coffee_sessions(&app, &t, "Koffie-uurtje Haven").await;
    let poort = coffee_sessions(&app, &t, "Koffie-uurtje Poort").await;
    // A year and a quarter back at least: five quarters of history, each with a cancelled
    // week and a week nobody closed in Haven.
    assert!(count(&haven, SessionState::Cancelled) >= 5, "{haven:?}");
    assert!(count(&haven, SessionState::Planned) >= 5);
    assert!(count(&haven, SessionState::Held) >= 5 * 4);
    assert_eq!(count(&poort, SessionState::Cancelled), 0);
    assert_eq!(
        count(&poort, SessionState::Planned),
        0,
        "Poort closes every week"
    );
    assert_eq!(
        count(&poort, SessionState::NotHeld),
        1,
        "one double-booked room"
    );
    assert!(count(&poort, SessionState::Held) >= 5 * 6);

    // Poort's checklist is ticked in full, Haven's healthy snacks are missing some weeks.
    let snacks = mtp_domain::attendance::ChecklistItem::HealthySnacks;
    let held = |sessions: &[mtp_store::SessionSummary]| -> Vec<uuid::Uuid> {
        sessions
            .iter()
            .filter(|s| s.ends_at < now && s.state == SessionState::Held)
            .map(|s| s.id)
            .take(12)
            .collect()
    };
    let mut haven_without = 0;
    for id in held(&haven) {
        let d = app.store.session_detail(&t, id).await.unwrap();
        haven_without += usize::from(!d.checklist.contains(&snacks));
        assert!(d.staff.len() <= 2, "one worker and a host at most in Haven");
    }
    assert!(haven_without >= 2, "Haven forgets the snacks now and then");
    for id in held(&poort) {
        let d = app.store.session_detail(&t, id).await.unwrap();
        assert!(d.checklist.contains(&snacks), "{:?}", d.checklist);
        assert!(
            d.staff.len() >= 3,
            "host, worker and a second worker when busy"
        );
    }
}
on_both!(
    demo_fidelity,
    haven_cancels_and_forgets_poort_closes_every_week
);

async fn some_families_came_often_and_then_stayed_away(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let now = chrono::Utc::now();
    let eight_weeks_ago = now - chrono::Duration::weeks(8);
    let (households, _) = app
        .store
        .households(&t, &HouseholdFilter::default(), 100, 0)
        .await
        .unwrap();
    assert_eq!(
        households.len(),
        40 + 16,
        "Poort's forty and Haven's sixteen"
    );
    let (mut dropped, mut stayed, mut reasons) = (0, 0, Vec::new());
    for h in &households {
        let rows = app
            .store
            .household_attendance(&t, h.id, 1000)
            .await
            .unwrap();
        let present: Vec<_> = rows
            .iter()
            .filter(|(_, a)| a.status == AttendanceStatus::Present)
            .map(|(s, _)| s.starts_at)
            .collect();
        if present.len() >= 3 && present.iter().all(|at| *at < eight_weeks_ago) {
            dropped += 1;
        }
        if present.len() >= 40 {
            stayed += 1;
        }
        reasons.extend(rows.iter().filter_map(|(_, a)| a.reason));
    }
    // Poort: two who moved away, two regulars, one who came back later does not count here;
    // Haven: one who moved away, one who went quiet.
    assert!(dropped >= 5, "drop-outs: {dropped}");
    assert!(stayed >= 14, "a core that comes most weeks: {stayed}");
    let of = |r| reasons.iter().filter(|x| **x == r).count();
    use mtp_domain::attendance::AbsenceReason::{NoChildcare, SickChild, Transport, Work};
    assert!(of(NoChildcare) > of(Work), "{reasons:?}");
    assert!(of(Work) > of(Transport) && of(Work) > of(SickChild));
}
on_both!(
    demo_drop_outs,
    some_families_came_often_and_then_stayed_away
);

/// The numbers of docs/guide/demo.md, "The story in numbers", recomputed from the raw
/// records with the indicator rules: reach and drop-outs for the last full quarter and the
/// year, and the absences behind the top barrier.
async fn the_year_adds_up_to_the_guides_numbers(app: TestApp) {
    use chrono::{Datelike, NaiveDate};
    use mtp_domain::indicators::{self, Household, Period, Visit};
    app.demo().await;
    let t = app.org("Almere").await;
    let tz = mtp_domain::schedule::TZ;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    // Quarter 0 holds the day 70 days back (the guide's reference rule).
    let settled = today - chrono::Duration::days(70);
    let zero =
        NaiveDate::from_ymd_opt(settled.year(), (settled.month() - 1) / 3 * 3 + 1, 1).unwrap();
    let quarter = |q: i32, len: u32| {
        let from = if q < 0 {
            zero - chrono::Months::new(3 * q.unsigned_abs())
        } else {
            zero
        };
        let to = from + chrono::Months::new(len) - chrono::Duration::days(1);
        Period::new(from, to).unwrap()
    };
    let last = quarter(-1, 3);
    let year = quarter(-4, 12);
    // Per quarter: reached came, reached, not reached came, not reached (the guide's
    // "Encouragement"); the year is four times as much.
    for (name, effect) in [
        ("Koffie-uurtje Poort", [12, 13, 3, 6]),
        ("Koffie-uurtje Haven", [2, 2, 1, 2]),
    ] {
        let sessions = coffee_sessions(&app, &t, name).await;
        let ids: Vec<uuid::Uuid> = sessions.iter().map(|s| s.id).collect();
        let effects = app.store.effects(&t, &ids).await.unwrap();
        let dated: Vec<_> = sessions
            .iter()
            .filter(|s| s.state == SessionState::Held)
            .map(|s| {
                let date = s.starts_at.with_timezone(&tz).date_naive();
                (date, effects.get(&s.id).copied().flatten())
            })
            .collect();
        for (period, times) in [(last, 1), (year, 4)] {
            let e = indicators::encouragement(&dated, period);
            let got = [
                e.reached_came.part,
                e.reached_came.whole,
                e.not_reached_came.part,
                e.not_reached_came.whole,
            ];
            assert_eq!(got, effect.map(|n| n * times), "{name} {period:?}");
            assert_eq!(e.not_judged, 0);
        }
    }
    for (nb, reached, taking_part, new, drop_outs, childcare_absences) in [
        ("Almere Poort", [24, 31], [23, 27], [2, 9], [2, 6], [4, 16]),
        ("Almere Haven", [14, 16], [10, 12], [1, 8], [1, 2], [2, 8]),
    ] {
        let nb_id = app
            .store
            .neighbourhoods(&t)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.name == nb)
            .unwrap()
            .id;
        let filter = HouseholdFilter {
            neighbourhood_id: Some(nb_id),
            ..HouseholdFilter::default()
        };
        let (households, _) = app.store.households(&t, &filter, 100, 0).await.unwrap();
        let mut visits = Vec::new();
        let mut absences = Vec::new();
        for h in &households {
            for (s, a) in app
                .store
                .household_attendance(&t, h.id, 1000)
                .await
                .unwrap()
            {
                if s.state != SessionState::Held {
                    continue;
                }
                let date = s.starts_at.with_timezone(&tz).date_naive();
                if a.status == AttendanceStatus::Present {
                    visits.push(Visit {
                        household: h.id,
                        date,
                        kind: s.kind,
                    });
                } else {
                    absences.push((date, a.reason));
                }
            }
        }
        let hs: Vec<Household<uuid::Uuid>> = households
            .iter()
            .map(|h| Household {
                id: h.id,
                kind: h.kind,
            })
            .collect();
        for (i, period) in [last, year].into_iter().enumerate() {
            let r = indicators::reach(&hs, &visits, period, None);
            let what = format!("{nb} {period:?}");
            assert_eq!(r.reached.total(), reached[i], "reached {what}");
            assert_eq!(r.taking_part.total(), taking_part[i], "taking part {what}");
            assert_eq!(r.new.total(), new[i], "new {what}");
            let d = indicators::drop_outs(&visits, period, today);
            assert_eq!(d.len(), drop_outs[i], "drop-outs {what}");
            let b = indicators::barriers(&absences, &[], &[], period);
            let top = b.absences.first().unwrap();
            assert_eq!(
                top.reason,
                Some(mtp_domain::attendance::AbsenceReason::NoChildcare),
                "{what}"
            );
            assert_eq!(top.count, childcare_absences[i], "{what}: {b:?}");
        }
    }
}
on_both!(demo_numbers, the_year_adds_up_to_the_guides_numbers);

/// The report's own path (`Store::report_inputs` + `report::compute`) gives the guide's
/// numbers too, fidelity and childcare included: what a coordinator sees on `/reports`.
async fn the_report_says_what_the_guide_says(app: TestApp) {
    use chrono::{Datelike, NaiveDate};
    use mtp_domain::indicators::Period;
    app.demo().await;
    let t = app.org("Almere").await;
    let today = chrono::Utc::now()
        .with_timezone(&mtp_domain::schedule::TZ)
        .date_naive();
    let settled = today - chrono::Duration::days(70);
    let zero =
        NaiveDate::from_ymd_opt(settled.year(), (settled.month() - 1) / 3 * 3 + 1, 1).unwrap();
    let last_from = zero - chrono::Months::new(3);
    let last = Period::new(last_from, zero - chrono::Duration::days(1)).unwrap();
    let year = Period::new(zero - chrono::Months::new(12), last.to()).unwrap();
    for (nb, reached, taking_part, new, drop_outs, missed, childcare) in [
        (
            "Almere Poort",
            [24, 31],
            [23, 27],
            [2, 9],
            [2, 6],
            [0, 0],
            [2, 8],
        ),
        (
            "Almere Haven",
            [14, 16],
            [10, 12],
            [1, 8],
            [1, 2],
            [6, 22],
            [1, 4],
        ),
    ] {
        let id = app.neighbourhood(&t, nb).await;
        let rows = app
            .store
            .report_inputs(&t, id, last.to(), today)
            .await
            .unwrap();
        for (i, period) in [last, year].into_iter().enumerate() {
            let r = mtp_domain::report::compute(&rows.inputs, period, today);
            let what = format!("{nb} {period:?}");
            assert_eq!(r.reach.reached.total(), reached[i], "reached {what}");
            assert_eq!(
                r.reach.taking_part.total(),
                taking_part[i],
                "taking part {what}"
            );
            assert_eq!(r.reach.new.total(), new[i], "new {what}");
            assert_eq!(r.drop_outs.total(), drop_outs[i], "drop-outs {what}");
            assert_eq!(r.fidelity.missed.len(), missed[i], "missed weeks {what}");
            assert_eq!(
                r.barriers.childcare_requests, childcare[i],
                "childcare {what}"
            );
        }
        if nb == "Almere Poort" {
            let r = mtp_domain::report::compute(&rows.inputs, last, today);
            assert_eq!(
                r.fidelity.score.part, r.fidelity.score.whole,
                "Poort runs it by the book"
            );
            assert_eq!(r.reach.reach.whole, 310, "the demo's estimate for Poort");
        }
    }
}
on_both!(demo_report, the_report_says_what_the_guide_says);

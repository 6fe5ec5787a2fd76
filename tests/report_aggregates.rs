//! The visits kept on each household (`crate::visit_marks` in the store, docs/indicators.md
//! §10.2) against a recomputation from the raw attendance rows, after every kind of write a
//! working team makes: check-ins at the door, the attendance form changed afterwards, an
//! offline check-in replayed, an undo, two households merged, a household erased and an
//! activity given another kind, a family that stopped coming years ago and a session of
//! theirs moved into the window. After each, the kept logs and the sessions' kept attendance
//! counts equal the recomputation, and the report built from them equals the report built
//! from every attendance row: per neighbourhood and for the whole organisation pooled, on
//! SQLite and PostgreSQL.

use mtp_domain::activity::ActivityKind;
use mtp_domain::attendance::{AbsenceReason, AttendanceStatus};
use mtp_domain::audit::Action;
use mtp_domain::indicators::Period;
use mtp_domain::report::{self, Inputs, PeriodChoice};
use mtp_domain::{HouseholdKind, Tenant};
use mtp_store::{Checkin, CheckinOutcome, PastAttendance, Tap};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;
use crate::reports::{d, event, example, household};

/// The reports a user can ask for, compared: quarters, a year and a custom period.
fn choices() -> Vec<PeriodChoice> {
    vec![
        PeriodChoice::Quarter {
            year: 2026,
            quarter: 1,
        },
        PeriodChoice::Quarter {
            year: 2026,
            quarter: 4,
        },
        PeriodChoice::Year(2026),
        PeriodChoice::Year(2025),
        PeriodChoice::Custom(Period::new(d(2025, 11, 1), d(2026, 2, 28)).unwrap()),
    ]
}

/// The kept logs equal a recomputation, and every report from them equals the one from the
/// raw rows, per neighbourhood and pooled over the organisation. Returns how many visits the
/// raw rows hold, so the caller can see its writes arrive.
async fn same_as_raw(app: &TestApp, t: &Tenant, after: &str) -> usize {
    assert_eq!(
        app.store.visit_marks_drift(t.org_id).await.unwrap(),
        Vec::<Uuid>::new(),
        "the kept visits drifted after {after}"
    );
    assert_eq!(
        app.store.session_counts_drift(t.org_id).await.unwrap(),
        Vec::<Uuid>::new(),
        "the kept attendance counts drifted after {after}"
    );
    let today = d(2026, 12, 6);
    let nbs: Vec<Uuid> = app
        .store
        .neighbourhoods(t)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.id)
        .collect();
    let mut visits = 0;
    for choice in choices() {
        let (period, before) = (choice.period(), choice.previous());
        let until = period.reference(today);
        let window = report::VisitWindow::new(&[period, before], today);
        let kept = app
            .store
            .report_rows(t, &nbs, Some(window), until, today)
            .await
            .unwrap();
        let mut raw = Vec::new();
        for nb in &nbs {
            raw.push(app.store.report_inputs(t, *nb, until, today).await.unwrap());
        }
        visits = raw.iter().map(|r| r.inputs.visits.len()).sum();
        for (k, r) in kept.iter().zip(&raw) {
            assert_eq!(k.neighbourhood.id, r.neighbourhood.id);
            for p in [period, before] {
                assert_eq!(
                    report::compute(&k.inputs, p, today),
                    report::compute(&r.inputs, p, today),
                    "{} after {after}, {choice:?}, period {p:?}",
                    r.neighbourhood.name
                );
            }
        }
        let pooled_kept = Inputs::pool(kept.into_iter().map(|k| k.inputs));
        let pooled_raw = Inputs::pool(raw.into_iter().map(|r| r.inputs));
        for p in [period, before] {
            assert_eq!(
                report::compute(&pooled_kept, p, today),
                report::compute(&pooled_raw, p, today),
                "the organisation after {after}, {choice:?}, period {p:?}"
            );
        }
    }
    visits
}

fn tap(t: &Tenant, session: Uuid, household: Uuid, status: Option<AttendanceStatus>) -> Tap {
    Tap {
        tenant: t.clone(),
        from_day: None,
        actor: None,
        checkin: Checkin {
            session_id: session,
            household_id: household,
            status,
            reason: (status == Some(AttendanceStatus::Excused)).then_some(AbsenceReason::Transport),
            adults: 1,
            children: 0,
            parents: None,
            key: None,
            at: None,
        },
        audit: event(t, Action::AttendanceRecorded),
    }
}

/// The example neighbourhood's coffee-hour session of each date.
async fn coffee_sessions(
    app: &TestApp,
    ex: &crate::reports::Example,
) -> std::collections::HashMap<chrono::NaiveDate, Uuid> {
    app.store
        .report_inputs(&ex.t, ex.nb, d(2026, 12, 6), d(2026, 12, 6))
        .await
        .unwrap()
        .coffee_sessions
}

/// Whether a report of `choice` with a window (as the page asks it) reads `household`.
async fn windowed_reads(
    app: &TestApp,
    t: &Tenant,
    nb: Uuid,
    choice: PeriodChoice,
    household: Uuid,
) -> bool {
    let today = d(2026, 12, 6);
    let (period, before) = (choice.period(), choice.previous());
    let window = report::VisitWindow::new(&[period, before], today);
    let rows = app
        .store
        .report_rows(t, &[nb], Some(window), period.reference(today), today)
        .await
        .unwrap();
    rows[0].inputs.households.iter().any(|h| h.id == household)
}

/// A family that came three times in 2022 and stayed away since: every window of `choices`
/// starts after its latest visit, so a report with a window does not read it
/// (docs/indicators.md §10.3) and still equals the one from every row, which does. One of
/// its sessions moved into 2026 makes it a family that came in the window: read again.
async fn gone_since_2022(app: &TestApp, ex: &crate::reports::Example) {
    let t = &ex.t;
    let coffee = coffee_sessions(app, ex).await;
    let activity = app
        .store
        .session_summary(t, coffee[&d(2026, 1, 22)])
        .await
        .unwrap()
        .activity_id;
    let slot = |day| {
        mtp_domain::schedule::slot(
            day,
            chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
        )
    };
    let days = [d(2022, 3, 3), d(2022, 3, 10), d(2022, 3, 17)];
    let slots: Vec<_> = days.iter().map(|day| (*day, slot(*day))).collect();
    app.store
        .plan_sessions(t, activity, &slots, None)
        .await
        .unwrap();
    let old: Vec<_> = app
        .store
        .activity_sessions(
            t,
            activity,
            d(2022, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc(),
            3,
        )
        .await
        .unwrap();
    assert_eq!(old.len(), 3, "the three sessions of 2022");
    let eef = app
        .store
        .create_households_bulk(t, &[household(ex.nb, HouseholdKind::SingleParent, "Eef")])
        .await
        .unwrap()[0];
    let rows: Vec<PastAttendance> = old
        .iter()
        .map(|s| PastAttendance {
            session_id: s.id,
            session_start: s.starts_at,
            household_id: eef,
            status: AttendanceStatus::Present,
            reason: None,
            children: 0,
        })
        .collect();
    app.store.load_attendance(t.org_id, &rows).await.unwrap();
    same_as_raw(app, t, "a family that stopped coming in 2022").await;
    let raw = app
        .store
        .report_inputs(t, ex.nb, d(2026, 12, 6), d(2026, 12, 6))
        .await
        .unwrap();
    assert!(
        raw.inputs.households.iter().any(|h| h.id == eef),
        "the recomputation from every row reads every household"
    );
    for choice in choices() {
        assert!(
            !windowed_reads(app, t, ex.nb, choice, eef).await,
            "a report of {choice:?} reads no family that last came in 2022"
        );
    }

    app.store
        .move_session(
            t,
            old[0].id,
            slot(d(2026, 2, 12)),
            event(t, Action::SessionMoved),
        )
        .await
        .unwrap();
    same_as_raw(app, t, "a session of 2022 moved into 2026").await;
    assert!(
        windowed_reads(app, t, ex.nb, PeriodChoice::Year(2026), eef).await,
        "after the move the family came in 2026: read"
    );
}

async fn the_kept_visits_equal_the_raw_rows_after_every_write(app: TestApp) {
    let ex = example(&app).await;
    let t = &ex.t;
    let start = same_as_raw(&app, t, "the demo and a loaded history").await;
    assert!(start > 8, "the demo's year and the example: {start} visits");
    gone_since_2022(&app, &ex).await;

    let coffee = coffee_sessions(&app, &ex).await;
    let (jan22, jan29) = (coffee[&d(2026, 1, 22)], coffee[&d(2026, 1, 29)]);
    let ids: Vec<Uuid> = app
        .store
        .report_inputs(t, ex.nb, d(2026, 12, 6), d(2026, 12, 6))
        .await
        .unwrap()
        .inputs
        .households
        .iter()
        .map(|h| h.id)
        .collect();

    // Check-ins at the door, side by side so the group commit takes them together: two new
    // families present on 29 January, one of the example's excused.
    let new = app
        .store
        .create_households_bulk(
            t,
            &[
                household(ex.nb, HouseholdKind::SingleParent, "Noor"),
                household(ex.nb, HouseholdKind::SingleParent, "Ravi"),
            ],
        )
        .await
        .unwrap();
    let present = Some(AttendanceStatus::Present);
    let (a, b, c) = tokio::join!(
        app.store.check_in(tap(t, jan29, new[0], present)),
        app.store.check_in(tap(t, jan29, new[1], present)),
        app.store
            .check_in(tap(t, jan29, ids[1], Some(AttendanceStatus::Excused))),
    );
    for outcome in [a, b, c] {
        assert!(matches!(outcome.unwrap(), CheckinOutcome::Recorded));
    }
    let after_door = same_as_raw(&app, t, "check-ins at the door").await;
    assert!(after_door > start, "{after_door} visits after the door");

    // The attendance form, afterwards: present becomes excused, and back to present.
    let summary = app.store.session_summary(t, jan22).await.unwrap();
    for status in [AttendanceStatus::Excused, AttendanceStatus::Present] {
        let mut form = tap(t, jan22, ids[0], Some(status)).checkin;
        form.adults = u32::from(status == AttendanceStatus::Present);
        app.store
            .record_attendance(
                t,
                &summary,
                None,
                &form,
                event(t, Action::AttendanceRecorded),
            )
            .await
            .unwrap();
        same_as_raw(&app, t, &format!("the attendance form set {status:?}")).await;
    }

    // A phone that was offline sends its check-in twice: the second is a replay.
    let offline = |at| {
        let mut tp = tap(t, jan22, new[0], present);
        tp.checkin.key = Some("offline-tap-0001".into());
        tp.checkin.at = Some(at);
        tp
    };
    let at = summary.starts_at + chrono::Duration::minutes(20);
    assert!(matches!(
        app.store.check_in(offline(at)).await.unwrap(),
        CheckinOutcome::Recorded
    ));
    assert!(matches!(
        app.store.check_in(offline(at)).await.unwrap(),
        CheckinOutcome::Replayed
    ));
    same_as_raw(&app, t, "an offline check-in and its replay").await;

    // An undo at the door takes a visit away again.
    app.store
        .check_in(tap(t, jan29, new[1], None))
        .await
        .unwrap();
    same_as_raw(&app, t, "an undo").await;

    // Two families that are one: where both were at a session, one row is left.
    app.store
        .merge_households(t, None, ids[3], new[1], event(t, Action::HouseholdMerged))
        .await
        .unwrap();
    same_as_raw(&app, t, "a merge").await;

    // A household erased on request keeps its (anonymous) visits in the counts.
    assert!(
        app.store
            .erase_household(t, None, ids[2], event(t, Action::HouseholdErased))
            .await
            .unwrap()
    );
    same_as_raw(&app, t, "an erasure").await;

    // The coffee hour becomes an outing and back: the kind of every visit there changes.
    let activity = summary.activity_id;
    for kind in [ActivityKind::Outing, ActivityKind::CoffeeHourExclusive] {
        let draft = mtp_store::ActivityDraft {
            kind,
            ..app.store.activity(t, activity).await.unwrap().d
        };
        app.store
            .update_activity(t, activity, &draft, event(t, Action::ActivityUpdated))
            .await
            .unwrap();
        let rows = app
            .store
            .report_rows(
                t,
                &[ex.nb],
                Some(report::VisitWindow::new(
                    &[PeriodChoice::Year(2026).period()],
                    d(2026, 12, 6),
                )),
                d(2026, 12, 6),
                d(2026, 12, 6),
            )
            .await
            .unwrap();
        assert!(
            rows[0]
                .inputs
                .visits
                .iter()
                .filter(|v| v.date >= d(2026, 1, 1))
                .all(|v| v.kind == kind),
            "every visit of Teststad is at the {kind:?} now"
        );
        same_as_raw(&app, t, &format!("the activity became {kind:?}")).await;
    }
}
on_both!(
    kept_visits,
    the_kept_visits_equal_the_raw_rows_after_every_write
);

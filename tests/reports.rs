//! The report (issue #15, docs/indicators.md): the worked example of §2 recorded for real in a
//! neighbourhood of its own, read back through the store and through `/reports`, on SQLite and
//! PostgreSQL alike. Hand-computed numbers, so both databases are held to the same answer.

use chrono::{NaiveDate, NaiveTime};
use mtp_domain::attendance::{AbsenceReason, AttendanceStatus, HostReply};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::indicators::{Check, Share, Split};
use mtp_domain::report::{self, PeriodChoice};
use mtp_domain::{HouseholdKind, PlaceName, Tenant};
use mtp_store::{NewAuditEvent, PastAttendance};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn q1() -> PeriodChoice {
    PeriodChoice::Quarter {
        year: 2026,
        quarter: 1,
    }
}

/// "Teststad": the households and visits of docs/indicators.md §2, a coffee hour every
/// Thursday of January, a session on 5 February nobody closed, a host who said yes on
/// 8 January, and three absences.
pub(crate) struct Example {
    pub(crate) logins: std::collections::HashMap<String, crate::helpers::Login>,
    pub(crate) t: Tenant,
    pub(crate) nb: Uuid,
    pub(crate) jan8: Uuid,
}

pub(crate) fn household(nb: Uuid, kind: HouseholdKind, first: &str) -> mtp_store::HouseholdDraft {
    let name = |n: &str| mtp_domain::PersonName::parse(n).unwrap();
    let parent = |first: &str, works: bool, free: Vec<u8>| mtp_store::ParentDraft {
        first_name: name(first),
        last_name: None,
        phone: None,
        email: None,
        channel: mtp_domain::Channel::WhatsApp,
        languages: String::new(),
        works,
        free_days: free,
    };
    mtp_store::HouseholdDraft {
        neighbourhood_id: nb,
        kind,
        source: mtp_domain::Source::School,
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        // A works and is free on Friday (4 = Friday, the form's numbering); C's two parents
        // do not work.
        parents: match kind {
            HouseholdKind::SingleParent => vec![parent(first, true, vec![4])],
            HouseholdKind::MultiParent => {
                vec![parent(first, false, vec![]), parent("Tom", false, vec![])]
            }
        },
        children: vec![],
        data_consent: mtp_domain::ConsentMethod::Verbal,
    }
}

pub(crate) async fn example(app: &TestApp) -> Example {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let nb = app
        .store
        .create_neighbourhood(t.org_id, &PlaceName::parse("Teststad").unwrap(), None, None)
        .await
        .unwrap();
    let event = NewAuditEvent {
        org_id: t.org_id,
        actor_id: None,
        actor_role: "test".into(),
        action: Action::NeighbourhoodTargetGroupSet,
        object_type: "neighbourhood".into(),
        object_id: Some(nb),
        neighbourhood_id: Some(nb),
        outcome: Outcome::Allowed,
        detail: String::new(),
    };
    app.store
        .set_target_group(
            &t,
            nb,
            mtp_domain::TargetGroupEstimate::parse_optional("20").unwrap(),
            mtp_domain::EstimateSource::parse_optional("CBS 2025")
                .unwrap()
                .as_ref(),
            d(2026, 1, 1),
            event,
        )
        .await
        .unwrap();
    let (coffee, _) = app.coffee_hour().await;
    let draft = mtp_store::ActivityDraft {
        neighbourhood_id: nb,
        ..app.store.activity(&t, coffee).await.unwrap().d
    };
    let activity = app.store.create_activity(&t, &draft, None).await.unwrap();
    let days = [
        d(2025, 12, 10),
        d(2026, 1, 8),
        d(2026, 1, 15),
        d(2026, 1, 22),
        d(2026, 1, 29),
        d(2026, 2, 5),
        d(2026, 4, 2),
    ];
    let slots: Vec<_> = days
        .iter()
        .map(|day| {
            (
                *day,
                mtp_domain::schedule::slot(
                    *day,
                    NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
                    NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
                ),
            )
        })
        .collect();
    app.store
        .plan_sessions(&t, activity, &slots, None)
        .await
        .unwrap();
    let sessions = app
        .store
        .activity_sessions(
            &t,
            activity,
            d(2025, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc(),
            20,
        )
        .await
        .unwrap();
    let session = |day: NaiveDate| {
        sessions
            .iter()
            .find(|s| {
                s.starts_at
                    .with_timezone(&mtp_domain::schedule::TZ)
                    .date_naive()
                    == day
            })
            .unwrap_or_else(|| panic!("no session on {day}"))
    };
    let drafts = [
        household(nb, HouseholdKind::SingleParent, "Anna"),
        household(nb, HouseholdKind::SingleParent, "Bo"),
        household(nb, HouseholdKind::MultiParent, "Cem"),
        household(nb, HouseholdKind::SingleParent, "Dana"),
    ];
    let ids = app.store.create_households_bulk(&t, &drafts).await.unwrap();
    let (a, b, c, dd) = (ids[0], ids[1], ids[2], ids[3]);
    let row = |day, h, status, reason| {
        let s = session(day);
        PastAttendance {
            session_id: s.id,
            session_start: s.starts_at,
            household_id: h,
            status,
            reason,
            children: 0,
        }
    };
    use AttendanceStatus::{Absent, Excused, Present};
    let rows = vec![
        row(d(2025, 12, 10), a, Present, None),
        row(d(2026, 1, 8), a, Present, None),
        row(d(2026, 1, 15), a, Present, None),
        row(d(2026, 1, 22), a, Present, None),
        row(d(2026, 1, 8), b, Present, None),
        row(d(2026, 1, 15), c, Present, None),
        row(d(2026, 1, 22), c, Present, None),
        row(d(2026, 1, 29), c, Present, None),
        row(d(2026, 4, 2), dd, Present, None),
        row(d(2026, 1, 15), b, Excused, Some(AbsenceReason::NoChildcare)),
        row(d(2026, 1, 22), b, Excused, Some(AbsenceReason::NoChildcare)),
        row(d(2026, 1, 8), dd, Absent, None),
    ];
    app.store.load_attendance(t.org_id, &rows).await.unwrap();
    let host = app
        .store
        .accounts(t.org_id)
        .await
        .unwrap()
        .into_iter()
        .find(|acc| acc.role == mtp_domain::Role::Host)
        .expect("the demo has a host");
    app.store
        .set_session_staff(
            &t,
            session(d(2026, 1, 8)).id,
            host.id,
            HostReply::Confirmed,
            None,
        )
        .await
        .unwrap();
    Example {
        logins,
        t,
        nb,
        jan8: session(d(2026, 1, 8)).id,
    }
}

async fn the_store_gathers_the_worked_example_and_compute_counts_it(app: TestApp) {
    let ex = example(&app).await;
    let today = d(2026, 12, 6);
    let period = q1().period();
    let rows = app
        .store
        .report_inputs(&ex.t, ex.nb, period.reference(today), today)
        .await
        .unwrap();
    assert_eq!(rows.neighbourhood.name, "Teststad");
    // The April visit lies after the reference date (31 March): not read at all.
    assert_eq!(rows.inputs.visits.len(), 8);
    let r = report::compute(&rows.inputs, period, today);

    // §2: A, B, C reached (single 2, other 1); A and C take part; B and C are new; 2 of 20.
    assert_eq!(
        r.reach.reached,
        Split {
            single_parent: 2,
            other: 1
        }
    );
    assert_eq!(
        r.reach.taking_part,
        Split {
            single_parent: 1,
            other: 1
        }
    );
    assert_eq!(
        r.reach.new,
        Split {
            single_parent: 1,
            other: 1
        }
    );
    assert_eq!(r.reach.reach, Share::new(2, 20));
    // §3: 1 visit → 1 household, 3 visits → 2 households; median 3.
    assert_eq!(r.dose.distribution.get(&1), Some(&1));
    assert_eq!(r.dose.distribution.get(&3), Some(&2));
    assert_eq!(r.dose.median, Some(3.0));
    // §4.2: A (4th visit 22 Jan) away from 19 March, C (3rd on 29 Jan) from 26 March.
    assert_eq!(
        r.drop_outs,
        Split {
            single_parent: 1,
            other: 1
        }
    );
    // §5: four held coffee hours (held, host, snacks, free, encouraged apply: no chat group,
    // nobody above ten) and 5 February left planned (only "held" applies). Passed: held and
    // free on each of the four, the host on 8 January: 9 of 21.
    assert_eq!(r.fidelity.score, Share::new(9, 21));
    let host = r
        .fidelity
        .per_check
        .iter()
        .find(|(c, _)| *c == Check::HostPresent);
    assert_eq!(host.map(|(_, s)| *s), Some(Share::new(1, 4)));
    assert_eq!(r.fidelity.missed.len(), 5);
    assert_eq!(
        r.fidelity.missed.last().map(|m| (m.date, m.failed.clone())),
        Some((d(2026, 2, 5), vec![Check::Held]))
    );
    // No chat group in Teststad: the budget check never applied.
    let chat = r
        .fidelity
        .per_check
        .iter()
        .find(|(c, _)| *c == Check::ChatBudgetKept);
    assert!(chat.is_none_or(|(_, s)| s.whole == 0), "{chat:?}");
    // §6: no childcare twice, unknown once.
    let absences: Vec<_> = r
        .barriers
        .absences
        .iter()
        .map(|c| (c.reason, c.count))
        .collect();
    assert_eq!(
        absences,
        vec![(Some(AbsenceReason::NoChildcare), 2), (None, 1)]
    );
    // §8: A (works, free Friday) and C (nobody works) take part; the coffee hour is on
    // Thursday. Friday: both; Thursday: only C.
    let day = |w| {
        r.time_slot_fit
            .days
            .iter()
            .find(|f| f.weekday == w)
            .unwrap()
    };
    assert_eq!(day(chrono::Weekday::Fri).can_come, 2);
    assert_eq!(day(chrono::Weekday::Thu).can_come, 1);
    assert!(day(chrono::Weekday::Thu).activity_runs);
    assert_eq!(r.time_slot_fit.working_parent, Share::new(1, 2));
    // The coffee-hour session of 8 January is known, to link it from the missed weeks.
    assert_eq!(rows.coffee_sessions.get(&d(2026, 1, 8)), Some(&ex.jan8));
}
on_both!(
    store_example,
    the_store_gathers_the_worked_example_and_compute_counts_it
);

async fn a_neighbourhood_out_of_reach_is_not_found(app: TestApp) {
    let ex = example(&app).await;
    let poort = app.neighbourhood(&ex.t, "Almere Poort").await;
    let coordinator = Tenant {
        org_id: ex.t.org_id,
        role: mtp_domain::Role::Coordinator,
        neighbourhoods: vec![poort],
    };
    let today = d(2026, 12, 6);
    let r = app
        .store
        .report_inputs(&coordinator, ex.nb, today, today)
        .await;
    assert!(matches!(r, Err(mtp_store::StoreError::NotFound)), "{r:?}");
    let other_org = Tenant {
        org_id: Uuid::now_v7(),
        role: mtp_domain::Role::Admin,
        neighbourhoods: vec![],
    };
    let r = app
        .store
        .report_inputs(&other_org, ex.nb, today, today)
        .await;
    assert!(matches!(r, Err(mtp_store::StoreError::NotFound)), "{r:?}");
}
on_both!(out_of_reach, a_neighbourhood_out_of_reach_is_not_found);

/// Six years of weekly coffee hours in "Langstad", with families who stay, who leave, who
/// came twice long ago and return, and who joined lately: the window the report reads
/// (`docs/indicators.md §10.1`) gives every indicator the same as all records do, for
/// quarters, years and a long custom period, on both databases.
async fn the_window_gives_the_same_report_as_all_records(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let nb = app
        .store
        .create_neighbourhood(t.org_id, &PlaceName::parse("Langstad").unwrap(), None, None)
        .await
        .unwrap();
    let (coffee, _) = app.coffee_hour().await;
    let draft = mtp_store::ActivityDraft {
        neighbourhood_id: nb,
        ..app.store.activity(&t, coffee).await.unwrap().d
    };
    let activity = app.store.create_activity(&t, &draft, None).await.unwrap();
    let first = d(2021, 1, 7);
    let days: Vec<NaiveDate> = (0..308u64)
        .map(|w| first + chrono::Days::new(7 * w))
        .filter(|day| *day < d(2026, 12, 1))
        .collect();
    let slots: Vec<_> = days
        .iter()
        .map(|day| {
            (
                *day,
                mtp_domain::schedule::slot(
                    *day,
                    NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
                    NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
                ),
            )
        })
        .collect();
    app.store
        .plan_sessions(&t, activity, &slots, None)
        .await
        .unwrap();
    let sessions = app
        .store
        .activity_sessions(
            &t,
            activity,
            d(2020, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc(),
            1000,
        )
        .await
        .unwrap();
    let session = |day: NaiveDate| {
        sessions
            .iter()
            .find(|s| {
                s.starts_at
                    .with_timezone(&mtp_domain::schedule::TZ)
                    .date_naive()
                    == day
            })
            .unwrap_or_else(|| panic!("no session on {day}"))
    };
    let kinds = [
        HouseholdKind::SingleParent,
        HouseholdKind::SingleParent,
        HouseholdKind::MultiParent,
        HouseholdKind::SingleParent,
        HouseholdKind::MultiParent,
        HouseholdKind::SingleParent,
    ];
    let drafts: Vec<_> = kinds.iter().map(|k| household(nb, *k, "Lot")).collect();
    let ids = app.store.create_households_bulk(&t, &drafts).await.unwrap();
    use AttendanceStatus::{Excused, Present};
    let mut rows = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let came: Vec<usize> = [
            // Always there.
            (0, true),
            // The first two years, then gone.
            (1, *day < d(2022, 6, 1)),
            // Twice in 2021, then back from March to September 2025.
            (2, i < 2 || (d(2025, 3, 1) <= *day && *day < d(2025, 9, 15))),
            // New in November 2024, every other week until February 2026.
            (
                3,
                d(2024, 11, 1) <= *day && *day < d(2026, 2, 10) && i % 2 == 0,
            ),
            // Once in 2022, then two Thursdays in January 2026: a drop-out in the quarter.
            (
                4,
                *day == d(2022, 3, 3) || *day == d(2026, 1, 8) || *day == d(2026, 1, 15),
            ),
            // Every third week since 2025.
            (5, *day >= d(2025, 1, 1) && i % 3 == 0),
        ]
        .into_iter()
        .filter_map(|(h, c)| c.then_some(h))
        .collect();
        let s = session(*day);
        for (h, id) in ids.iter().enumerate() {
            let status = if came.contains(&h) {
                Present
            } else if h == 5 && i % 3 == 1 {
                Excused
            } else {
                continue;
            };
            rows.push(PastAttendance {
                session_id: s.id,
                session_start: s.starts_at,
                household_id: *id,
                status,
                reason: (status == Excused).then_some(AbsenceReason::NoChildcare),
                children: 0,
            });
        }
    }
    app.store.load_attendance(t.org_id, &rows).await.unwrap();
    assert_eq!(
        app.store.visit_marks_drift(t.org_id).await.unwrap(),
        Vec::<Uuid>::new()
    );

    let today = d(2026, 12, 6);
    let choices = [
        PeriodChoice::Year(2026),
        q1(),
        PeriodChoice::Quarter {
            year: 2025,
            quarter: 3,
        },
        PeriodChoice::Year(2025),
        PeriodChoice::Custom(
            mtp_domain::indicators::Period::new(d(2023, 3, 1), d(2026, 2, 28)).unwrap(),
        ),
    ];
    let mut drop_outs = 0;
    for choice in choices {
        let (period, before) = (choice.period(), choice.previous());
        let until = period.reference(today);
        let window = report::VisitWindow::new(&[period, before], today);
        let all = app.store.report_inputs(&t, nb, until, today).await.unwrap();
        let windowed = app
            .store
            .report_rows(&t, &[nb], Some(window), until, today)
            .await
            .unwrap()
            .pop()
            .unwrap();
        // A custom period of three years looks back six: then the window holds everything.
        let custom = matches!(choice, PeriodChoice::Custom(_));
        assert!(
            custom || windowed.inputs.visits.len() < all.inputs.visits.len(),
            "{choice:?}: the window read {} of {} visits",
            windowed.inputs.visits.len(),
            all.inputs.visits.len()
        );
        for p in [period, before] {
            let (a, w) = (
                report::compute(&all.inputs, p, today),
                report::compute(&windowed.inputs, p, today),
            );
            assert_eq!(a, w, "{choice:?}, period {p:?}");
            drop_outs += a.drop_outs.total();
        }
    }
    // Not a comparison of empty reports: the families above leave traces.
    assert!(drop_outs >= 3, "{drop_outs} drop-outs");
    let q1_report = {
        let rows = app
            .store
            .report_rows(
                &t,
                &[nb],
                Some(report::VisitWindow::new(
                    &[q1().period(), q1().previous()],
                    today,
                )),
                d(2026, 3, 31),
                today,
            )
            .await
            .unwrap()
            .pop()
            .unwrap();
        report::compute(&rows.inputs, q1().period(), today)
    };
    // Household 4 came in 2022 and twice in January 2026: its third visit, then 8 weeks away.
    assert!(q1_report.drop_outs.other >= 1, "{:?}", q1_report.drop_outs);
    assert_eq!(q1_report.reach.new.total(), 0);
}
on_both!(window, the_window_gives_the_same_report_as_all_records);

pub(crate) fn event(t: &Tenant, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id: t.org_id,
        actor_id: None,
        actor_role: "test".into(),
        action,
        object_type: "session".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: String::new(),
    }
}

/// The first two visits kept on each household (`crate::visit_marks`, docs/indicators.md
/// §10.1) equal a recomputation from the attendance rows after every kind of write that can
/// change them: the demo's history, a loaded history, a check-in at the door and its undo,
/// a session cancelled and held again, a session moved, two households merged and a
/// household moved to another neighbourhood.
async fn the_first_visits_follow_every_write(app: TestApp) {
    let ex = example(&app).await;
    let t = &ex.t;
    let drift = || async { app.store.visit_marks_drift(t.org_id).await.unwrap() };
    assert_eq!(
        drift().await,
        Vec::<Uuid>::new(),
        "after the demo and a load"
    );

    // A new family checked in at the door on 29 January: its first visit. Then undone.
    let newcomer = app
        .store
        .create_households_bulk(t, &[household(ex.nb, HouseholdKind::SingleParent, "Noor")])
        .await
        .unwrap()[0];
    let jan29 = app
        .store
        .report_inputs(t, ex.nb, d(2026, 3, 31), d(2026, 12, 6))
        .await
        .unwrap()
        .coffee_sessions[&d(2026, 1, 29)];
    let tap = |status| mtp_store::Tap {
        tenant: t.clone(),
        from_day: None,
        actor: None,
        checkin: mtp_store::Checkin {
            session_id: jan29,
            household_id: newcomer,
            status,
            reason: None,
            adults: 1,
            children: 0,
            parents: None,
            key: None,
            at: None,
        },
        audit: event(t, Action::AttendanceRecorded),
    };
    app.store
        .check_in(tap(Some(AttendanceStatus::Present)))
        .await
        .unwrap();
    assert_eq!(drift().await, Vec::<Uuid>::new(), "after a check-in");
    let only = [ex.nb];
    let windowed = |from| {
        app.store.report_rows(
            t,
            &only,
            Some(report::VisitWindow {
                every_visit_from: from,
                cohorts_from: from,
            }),
            d(2026, 3, 31),
            d(2026, 12, 6),
        )
    };
    let rows = windowed(d(2026, 1, 1)).await.unwrap();
    assert!(
        rows[0]
            .inputs
            .visits
            .iter()
            .any(|v| v.household == newcomer && v.date == d(2026, 1, 29)),
        "the check-in is the newcomer's first visit, in the window"
    );
    // Its latest visit is before a window from February: that report does not read it
    // (docs/indicators.md §10.3).
    let rows = windowed(d(2026, 2, 1)).await.unwrap();
    assert!(
        !rows[0].inputs.households.iter().any(|h| h.id == newcomer),
        "a window after the newcomer's only visit does not read it"
    );
    app.store.check_in(tap(None)).await.unwrap();
    assert_eq!(drift().await, Vec::<Uuid>::new(), "after an undo");

    // 8 January cancelled after all, then held again; 15 January moved to the 16th.
    for state in [
        mtp_domain::attendance::SessionState::Cancelled,
        mtp_domain::attendance::SessionState::Held,
    ] {
        app.store
            .set_session_state(t, ex.jan8, state, None)
            .await
            .unwrap();
        assert_eq!(drift().await, Vec::<Uuid>::new(), "after {state:?}");
    }
    let jan15 = app
        .store
        .report_inputs(t, ex.nb, d(2026, 3, 31), d(2026, 12, 6))
        .await
        .unwrap()
        .coffee_sessions[&d(2026, 1, 15)];
    app.store
        .move_session(
            t,
            jan15,
            mtp_domain::schedule::slot(
                d(2025, 11, 20),
                NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
                NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            ),
            event(t, Action::SessionMoved),
        )
        .await
        .unwrap();
    assert_eq!(drift().await, Vec::<Uuid>::new(), "after a move");

    // Two of the example's families are one; then the one left moves to Almere Poort.
    let ids: Vec<Uuid> = app
        .store
        .report_inputs(t, ex.nb, d(2026, 3, 31), d(2026, 12, 6))
        .await
        .unwrap()
        .inputs
        .households
        .iter()
        .map(|h| h.id)
        .collect();
    let (keep, other) = (ids[0], ids[1]);
    app.store
        .merge_households(t, None, keep, other, event(t, Action::HouseholdMerged))
        .await
        .unwrap();
    assert_eq!(drift().await, Vec::<Uuid>::new(), "after a merge");
    let poort = app
        .store
        .neighbourhoods(t)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == "Almere Poort")
        .unwrap()
        .id;
    app.store
        .update_household(
            t,
            None,
            keep,
            &household(poort, HouseholdKind::SingleParent, "Anna"),
            event(t, Action::HouseholdUpdated),
        )
        .await
        .unwrap();
    assert_eq!(
        drift().await,
        Vec::<Uuid>::new(),
        "after a move to Almere Poort"
    );
}
on_both!(visit_marks, the_first_visits_follow_every_write);

fn q1_path(nb: Uuid) -> String {
    format!("/reports?period=quarter&year=2026&quarter=1&nb={nb}")
}

/// The text of the row whose header is `label` in the table captioned `caption`.
fn table_row(body: &str, caption: &str, label: &str) -> String {
    let start = body
        .find(&format!(">{caption}</caption>"))
        .unwrap_or_else(|| panic!("no table {caption}"));
    let table = &body[start..];
    let table = &table[..table.find("</table>").unwrap()];
    let row = table
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("no row {label} in {caption}"));
    let row = &table[row..];
    row[..row.find("</tr>").unwrap()].to_string()
}

async fn the_report_page_shows_the_worked_example(app: TestApp) {
    let ex = example(&app).await;
    let mut c = app.client();
    c.login(&ex.logins["admin"]).await;
    let r = c.get(&q1_path(ex.nb)).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.body;
    assert!(body.contains("Van donderdag 1 januari 2026 tot en met dinsdag 31 maart 2026"));
    assert_eq!(
        table_row(&body, "Bereik per wijk", "Bereikt (1 keer of vaker)"),
        "<th scope=\"row\">Bereikt (1 keer of vaker)</th><td>3</td>"
    );
    assert!(
        table_row(
            &body,
            "Bereik per wijk",
            "Bereik van de eenoudergezinnen in de wijk"
        )
        .contains("<td>10,0%</td>")
    );
    assert!(
        table_row(
            &body,
            "Bereik per wijk",
            "Schatting eenoudergezinnen in de wijk"
        )
        .contains("20 (CBS 2025)")
    );
    assert!(
        table_row(
            &body,
            "Nog komen en gestopt",
            "Gestopt (3 keer of vaker geweest, daarna 8 weken niet)"
        )
        .contains("<td>2</td>")
    );
    assert!(table_row(&body, "Punten uit het handboek, per wijk", "Score").contains("42,9%"));
    assert!(
        table_row(
            &body,
            "Afgemeld of niet gekomen, per reden",
            "Geen opvang voor de kinderen"
        )
        .contains("<td>2</td>")
    );
    assert!(
        table_row(
            &body,
            "Afgemeld of niet gekomen, per reden",
            "Geen reden gegeven"
        )
        .contains("<td>1</td>")
    );
    // The week of 8 January missed its snacks and is linked to its session.
    assert!(body.contains(&format!(
        "<a href=\"/sessions/{}\">donderdag 8 januari 2026</a>",
        ex.jan8
    )));
    // The period before (Q4 2025) had A's one visit: two more reached now.
    assert!(
        body.contains("2 meer dan de periode ervoor"),
        "no change against Q4"
    );

    // English, same numbers.
    c.post("/lang/en", &[("next", "/")]).await;
    let body = c.get(&q1_path(ex.nb)).await.body;
    assert_eq!(
        table_row(&body, "Reach per neighbourhood", "Reached (once or more)"),
        "<th scope=\"row\">Reached (once or more)</th><td>3</td>"
    );
    assert!(body.contains("<td>10.0%</td>"));
}
on_both!(page_example, the_report_page_shows_the_worked_example);

async fn researchers_see_small_counts_hidden_and_no_links(app: TestApp) {
    let ex = example(&app).await;
    let mut c = app.client();
    c.login(&ex.logins["researcher"]).await;
    let body = c.get(&q1_path(ex.nb)).await.body;
    assert_eq!(
        table_row(&body, "Bereik per wijk", "Bereikt (1 keer of vaker)"),
        "<th scope=\"row\">Bereikt (1 keer of vaker)</th><td>&#60; 5</td>"
    );
    assert!(
        !body.contains("/sessions/"),
        "a researcher gets no link to a session"
    );
    assert!(!body.contains("Anna") && !body.contains("Cem"));
}
on_both!(
    researcher_view,
    researchers_see_small_counts_hidden_and_no_links
);

async fn nonsense_in_the_filter_gets_a_field_message(app: TestApp) {
    let ex = example(&app).await;
    let mut c = app.client();
    c.login(&ex.logins["admin"]).await;
    let r = c
        .get(&format!(
            "/reports?period=custom&from=31-02-2026&to=2026-01-01&nb={}",
            ex.nb
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("<a href=\"#from\">"),
        "the summary links the field"
    );
    assert!(r.body.contains("id=\"from-error\""));
    let r = c.get("/reports?period=quarter&year=1850").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<a href=\"#year\">"));
    // A neighbourhood of another organisation, or no id at all, is a wrong choice.
    let r = c.get(&format!("/reports?nb={}", Uuid::now_v7())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<a href=\"#nb\">"));
}
on_both!(bad_filter, nonsense_in_the_filter_gets_a_field_message);

async fn the_report_is_for_staff_and_researchers_only(app: TestApp) {
    let logins = app.demo().await;
    for (who, expected) in [
        ("coordinator", StatusCode::OK),
        ("worker", StatusCode::OK),
        ("researcher", StatusCode::OK),
        ("host", StatusCode::FORBIDDEN),
        ("partner", StatusCode::FORBIDDEN),
    ] {
        let mut c = app.client();
        c.login(&logins[who]).await;
        let r = c.get("/reports").await;
        assert_eq!(r.status, expected, "{who}");
        if expected == StatusCode::OK {
            assert!(r.body.contains("<h1>Rapportage</h1>"), "{who}");
        }
    }
    let t = app.org("Almere").await;
    let viewed = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("report.viewed".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(viewed.len(), 3);
    assert!(viewed.iter().all(|e| e.detail.starts_with("period=")));
}
on_both!(who_may_see, the_report_is_for_staff_and_researchers_only);

async fn the_workbook_has_the_numbers_of_the_page(app: TestApp) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let ex = example(&app).await;
    let mut c = app.client();
    c.login(&ex.logins["admin"]).await;
    let path = format!(
        "/reports/export.xlsx?period=quarter&year=2026&quarter=1&nb={}",
        ex.nb
    );
    let (status, kind, bytes) = c.get_bytes(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    // Nine sheets of the indicators, and the referral figures (issue #16).
    assert_eq!(book.sheet_names().len(), 10);
    let reach = book.worksheet_range("Bereik").unwrap();
    let row = (0..reach.height() as u32)
        .find(|r| reach.get_value((*r, 0)) == Some(&Data::String("Bereikt: totaal".into())))
        .expect("a row with the reached total");
    // The page says 3 reached (the worked example); the workbook holds the number 3.
    assert_eq!(reach.get_value((row, 1)), Some(&Data::Float(3.0)));
    assert_eq!(
        reach.get_value((0, 1)),
        Some(&Data::String("Teststad".into()))
    );

    // A year without any record gives a valid, empty workbook.
    let (status, _, bytes) = c
        .get_bytes(&format!(
            "/reports/export.xlsx?period=year&year=2019&nb={}",
            ex.nb
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let reach = book.worksheet_range("Bereik").unwrap();
    assert_eq!(reach.get_value((row, 1)), Some(&Data::Float(0.0)));

    // Nonsense sends the user back to the form, where the message is.
    let (status, _, _) = c
        .get_bytes("/reports/export.xlsx?period=quarter&year=abc")
        .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");

    // Researchers read the page with small counts hidden, not the full workbook.
    let mut r = app.client();
    r.login(&ex.logins["researcher"]).await;
    let (status, _, _) = r.get_bytes(&path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let exported = app
        .store
        .audit_entries(
            ex.t.org_id,
            &mtp_store::AuditFilter {
                action: Some("report.exported".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(exported.len(), 2, "one entry per workbook made");
}
on_both!(workbook, the_workbook_has_the_numbers_of_the_page);

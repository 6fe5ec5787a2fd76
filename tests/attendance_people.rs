//! Attendance per person: the worker ticks who of a two-parent family came; the door counts
//! families, not people; a walk-in connected later to the family it belongs to keeps its visit.

use chrono::{Duration, NaiveTime, Utc};
use mtp_domain::attendance::AttendanceStatus;
use mtp_domain::schedule::{self, TZ};
use mtp_domain::{HouseholdKind, HouseholdStatus, Tenant};
use mtp_store::HouseholdFilter;

use crate::activities::next_session;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Client, TestApp};
use crate::on_both;

async fn activity_named(app: &TestApp, t: &Tenant, name: &str) -> Uuid {
    app.store
        .activities(t)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.d.name == name)
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("the demo has {name}"))
}

async fn households_of_kind(app: &TestApp, t: &Tenant, kind: HouseholdKind) -> Vec<Uuid> {
    let (rows, _) = app
        .store
        .households(t, &HouseholdFilter::default(), 100, 0)
        .await
        .unwrap_or_default();
    rows.into_iter()
        .filter(|h| h.kind == kind && h.status == HouseholdStatus::Active)
        .map(|h| h.id)
        .collect()
}

/// The attendance of one household at one session, as the store keeps it.
async fn line(
    app: &TestApp,
    t: &Tenant,
    session: Uuid,
    household: Uuid,
) -> Option<mtp_store::AttendanceLine> {
    app.store
        .session_detail(t, session)
        .await
        .unwrap()
        .lines
        .into_iter()
        .find(|l| l.household_id == household)
        .and_then(|l| l.attendance)
}

fn refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A tap at the door as the check-in script sends it.
async fn door_tap(c: &Client, session: Uuid, household: Uuid, status: &str, key: &str) -> u16 {
    door_tap_at(c, session, household, status, key, None).await
}

/// A tap made at `at` (a phone that was offline sends it later).
async fn door_tap_at(
    c: &Client,
    session: Uuid,
    household: Uuid,
    status: &str,
    key: &str,
    at: Option<&str>,
) -> u16 {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.append_pair("_csrf", &c.csrf)
        .append_pair("household", &household.to_string())
        .append_pair("status", status)
        .append_pair("children", "1")
        .append_pair("key", key);
    if let Some(at) = at {
        body.append_pair("at", at);
    }
    let body = body.finish();
    c.http
        .post(format!("{}/sessions/{session}/checkin", c.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .expect("check-in")
        .status()
        .as_u16()
}

async fn the_worker_ticks_who_of_two_parents_came(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let open = activity_named(&app, &t, "Koffie-uurtje voor iedereen").await;
    let s = next_session(&app, &t, open).await;
    let couple = households_of_kind(&app, &t, HouseholdKind::MultiParent).await[0];
    let single = households_of_kind(&app, &t, HouseholdKind::SingleParent).await[0];
    let parents = app.store.household(&t, couple).await.unwrap().parents;
    assert_eq!(parents.len(), 2, "the demo's two-parent families have two");
    let (mother, father) = (&parents[0], &parents[1]);
    let stranger = app.store.household(&t, single).await.unwrap().parents[0].id;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let path = format!("/sessions/{}/attendance", s.id);
    let h = couple.to_string();
    let post = |who: Vec<String>, status: &'static str, reason: &'static str| {
        let mut f = vec![
            ("household".to_string(), h.clone()),
            ("status".into(), status.into()),
            ("reason".into(), reason.into()),
            ("children".into(), "1".into()),
            ("who".into(), "1".into()),
        ];
        f.extend(who.into_iter().map(|p| ("parent".to_string(), p)));
        f
    };

    // Only the father came.
    let r = w
        .post(
            &path,
            &refs(&post(vec![father.id.to_string()], "present", "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = line(&app, &t, s.id, couple).await.expect("recorded");
    assert_eq!((a.parents.clone(), a.adults), (vec![father.id], 1));
    let page = w.get(&format!("/sessions/{}", s.id)).await;
    assert!(
        page.body.contains(&format!(
            "id=\"parent-{}\" name=\"parent\" value=\"{}\" checked",
            father.id, father.id
        )) && page.body.contains(&format!(
            "id=\"parent-{}\" name=\"parent\" value=\"{}\">",
            mother.id, mother.id
        )),
        "the father ticked, the mother not: {}",
        page.body
    );
    assert!(page.body.contains("Wie kwam er?"));
    let household = w.get(&format!("/households/{couple}")).await;
    assert!(
        household
            .body
            .contains(&format!("Gekomen: {}", father.first_name)),
        "{}",
        household.body
    );

    // The family's own copy of its data says it too.
    let export = w.get(&format!("/households/{couple}/export.json")).await;
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    let came = json["attendance"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["parents_who_came"][0].is_string()))
        .map(|r| r["parents_who_came"].clone());
    assert_eq!(came, Some(serde_json::json!([father.first_name])));

    // A parent of another family is refused, and nothing changes.
    let r = w
        .post(
            &path,
            &refs(&post(vec![stranger.to_string()], "present", "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("een ouder uit dit gezin"), "{}", r.body);
    let a = line(&app, &t, s.id, couple).await.expect("kept");
    assert_eq!(a.parents, vec![father.id]);
    let r = w
        .post(
            &path,
            &refs(&post(vec!["not-a-parent".into()], "present", "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The door counts the family, not the people: a tap keeps who the worker said came.
    assert_eq!(door_tap(&w, s.id, couple, "present", "door-1").await, 200);
    let a = line(&app, &t, s.id, couple).await.expect("kept");
    assert_eq!(a.parents, vec![father.id]);

    // Both came: two parents counted.
    let both = vec![mother.id.to_string(), father.id.to_string()];
    w.post(&path, &refs(&post(both, "present", ""))).await;
    let a = line(&app, &t, s.id, couple).await.expect("kept");
    assert_eq!(a.adults, 2);
    assert_eq!(a.parents.len(), 2);
    let page = w.get(&format!("/sessions/{}", s.id)).await;
    assert!(page.body.contains("Ouders: 2"), "{}", page.body);

    // Nobody ticked: present, but who is not said.
    w.post(&path, &refs(&post(vec![], "present", ""))).await;
    let a = line(&app, &t, s.id, couple).await.expect("kept");
    assert!(a.parents.is_empty() && a.status == AttendanceStatus::Present);

    // An excused absence or an undo leaves nobody "came".
    w.post(
        &path,
        &refs(&post(vec![mother.id.to_string()], "present", "")),
    )
    .await;
    w.post(
        &path,
        &refs(&post(vec![mother.id.to_string()], "excused", "work")),
    )
    .await;
    let a = line(&app, &t, s.id, couple).await.expect("kept");
    assert!(a.parents.is_empty() && a.status == AttendanceStatus::Excused);
    w.post(
        &path,
        &refs(&post(vec![mother.id.to_string()], "present", "")),
    )
    .await;
    assert_eq!(door_tap(&w, s.id, couple, "undo", "door-2").await, 200);
    assert!(line(&app, &t, s.id, couple).await.is_none());
    assert_eq!(door_tap(&w, s.id, couple, "present", "door-3").await, 200);
    let a = line(&app, &t, s.id, couple).await.expect("again");
    assert!(a.parents.is_empty(), "the undo took back who came");

    // A one-parent family keeps the number field, no boxes.
    let page = w.get(&format!("/sessions/{}", s.id)).await;
    assert!(!page.body.contains(&format!("id=\"parent-{stranger}\"")));
}
on_both!(who_came, the_worker_ticks_who_of_two_parents_came);

async fn a_walk_in_connected_to_its_family_keeps_the_visit(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;

    // A known family whose mother is not on the list today walks in as "Sanne".
    let family = households_of_kind(&app, &t, HouseholdKind::SingleParent).await[1];
    let known = app.store.household(&t, family).await.unwrap();
    let first = known.parents[0].first_name.clone();
    let walk_in_form = [
        ("first_name", first.as_str()),
        ("kind", "single_parent"),
        ("children", "2"),
        ("consent", "yes"),
        ("key", "walk-merge"),
    ];
    let walk_in_path = format!("/sessions/{session}/walk-in");
    let r = w.post(&walk_in_path, &walk_in_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = app.store.session_detail(&t, session).await.unwrap();
    let walk_in = d
        .lines
        .iter()
        .find(|l| l.attendance.as_ref().is_some_and(|a| a.walk_in))
        .map(|l| l.household_id)
        .expect("the walk-in is on the list");

    // The worker connects the walk-in to the family: the visit moves, the person is not doubled.
    let r = w
        .post(
            &format!("/households/{family}/merge/{walk_in}"),
            &[("merge", "yes")],
        )
        .await;
    assert_eq!(r.location, format!("/households/{family}"), "{}", r.body);
    let a = line(&app, &t, session, family)
        .await
        .expect("the visit moved to the family");
    assert_eq!((a.status, a.children), (AttendanceStatus::Present, 2));
    assert!(line(&app, &t, session, walk_in).await.is_none());
    let merged = app.store.household(&t, family).await.unwrap();
    assert_eq!(
        merged.parents.len(),
        known.parents.len(),
        "{first} is the same person"
    );
    assert_eq!(
        w.get(&format!("/households/{walk_in}")).await.status,
        StatusCode::NOT_FOUND
    );
    // The replayed walk-in form does not bring the merged household back.
    let again = w.post(&walk_in_path, &walk_in_form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let d = app.store.session_detail(&t, session).await.unwrap();
    let walked_in: Vec<Uuid> = d
        .lines
        .iter()
        .filter(|l| l.attendance.as_ref().is_some_and(|a| a.walk_in))
        .map(|l| l.household_id)
        .collect();
    assert_eq!(
        walked_in,
        vec![family],
        "the replay was counted once, and that visit is the family's now"
    );
}
on_both!(
    walk_in_merged,
    a_walk_in_connected_to_its_family_keeps_the_visit
);

async fn a_tap_made_offline_yesterday_counts_at_its_own_time(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (coffee, _) = app.coffee_hour().await;
    let yesterday = (Utc::now() - Duration::days(1))
        .with_timezone(&TZ)
        .date_naive();
    let at9 = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    let slot = schedule::slot(yesterday, at9(9, 30), at9(10, 30));
    app.store
        .plan_sessions(&t, coffee, &[(yesterday, slot)], None)
        .await
        .unwrap();
    let s = app
        .store
        .activity_sessions(&t, coffee, slot.start, 1)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.starts_at == slot.start)
        .expect("yesterday's coffee hour");
    let regulars = households_of_kind(&app, &t, HouseholdKind::SingleParent).await;
    let mut host = app.client();
    host.login(&logins["host"]).await;
    host.get(&format!("/sessions/{}/checkin", app.coffee_hour().await.1))
        .await;

    // Sent today without a time: a host cannot reach yesterday's session.
    assert_eq!(
        door_tap_at(&host, s.id, regulars[0], "present", "late-0", None).await,
        403
    );
    // Tapped yesterday at 09:42 with the network down, sent now: counted, at 09:42.
    let tapped = schedule::local_to_utc(yesterday, at9(9, 42));
    let stamp = tapped.to_rfc3339();
    assert_eq!(
        door_tap_at(&host, s.id, regulars[0], "present", "late-1", Some(&stamp)).await,
        200
    );
    let a = line(&app, &t, s.id, regulars[0]).await.expect("counted");
    assert_eq!(
        a.recorded_at, tapped,
        "the time of the tap, not of the sync"
    );
    let page = {
        let mut w = app.client();
        w.login(&logins["worker"]).await;
        w.get(&format!("/sessions/{}/checkin", s.id)).await
    };
    assert!(
        page.body
            .contains("<span class=\"door-card__time\">09:42</span>"),
        "{}",
        page.body
    );
    // A time that cannot be true is not believed: a week and a day ago, or tomorrow.
    let old = (Utc::now() - Duration::days(8)).to_rfc3339();
    assert_eq!(
        door_tap_at(&host, s.id, regulars[1], "present", "late-2", Some(&old)).await,
        403
    );
    let ahead = (Utc::now() + Duration::days(1)).to_rfc3339();
    assert_eq!(
        door_tap_at(&host, s.id, regulars[1], "present", "late-3", Some(&ahead)).await,
        403
    );
    assert!(line(&app, &t, s.id, regulars[1]).await.is_none());
}
on_both!(
    tap_time,
    a_tap_made_offline_yesterday_counts_at_its_own_time
);

async fn a_second_answer_before_the_first_page_keeps_its_own_message(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let families = households_of_kind(&app, &t, HouseholdKind::SingleParent).await;
    let names: Vec<String> = {
        let mut out = Vec::new();
        for id in &families[..2] {
            let h = app.store.household(&t, *id).await.unwrap();
            out.push(h.parents[0].first_name.clone());
        }
        out
    };
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    let path = format!("/sessions/{session}/rsvp");
    // Two answers noted one after the other, the first one's page never fetched.
    for id in &families[..2] {
        let r = w
            .post(&path, &[("household", &id.to_string()), ("coming", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let page = w.get(&format!("/sessions/{session}")).await;
    assert!(
        page.body
            .contains(&format!("Genoteerd wat {} zei.", names[1])),
        "the second answer's message: {}",
        page.body
    );
    // Shown once.
    let again = w.get(&format!("/sessions/{session}")).await;
    assert!(!again.body.contains("Genoteerd wat"));
}
on_both!(
    flash_after_flash,
    a_second_answer_before_the_first_page_keeps_its_own_message
);

/// Issue #14, finding 7: who came is ticked only for families within reach. A two-parent
/// family of another neighbourhood, named by id on the open coffee hour's attendance list,
/// is unknown there: no attendance, no parents, nothing on the page; and a walk-in cannot be
/// connected to it either.
async fn who_came_is_not_recorded_for_a_family_out_of_reach(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let haven = app.neighbourhood(&t, "Almere Haven").await;
    let couple = crate::activities::family_in(
        &app,
        &t,
        haven,
        &[("Gijsbrecht", None), ("Machteld", None)],
        Some("Havenkind"),
    )
    .await;
    let father = app.store.household(&t, couple).await.unwrap().parents[0].id;
    let open = activity_named(&app, &t, "Koffie-uurtje voor iedereen").await;
    let s = next_session(&app, &t, open).await;
    let mut w = app.client();
    w.login(&logins["worker"]).await;
    w.get(&format!("/sessions/{}", s.id)).await;
    let r = w
        .post(
            &format!("/sessions/{}/attendance", s.id),
            &[
                ("household", &couple.to_string()),
                ("status", "present"),
                ("children", "1"),
                ("who", "1"),
                ("parent", &father.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.contains("Gijsbrecht"));
    assert_eq!(
        door_tap(&w, s.id, couple, "present", "tap-haven").await,
        404
    );
    assert!(
        line(&app, &t, s.id, couple).await.is_none(),
        "no attendance row for the family of Haven"
    );
    let page = w.get(&format!("/sessions/{}", s.id)).await;
    assert!(
        !page.body.contains("Gijsbrecht") && !page.body.contains(&couple.to_string()),
        "{}",
        page.body
    );
    // A walk-in of Poort cannot be connected to the family of Haven.
    let r = w
        .post(
            &format!("/sessions/{}/walk-in", s.id),
            &[
                ("first_name", "Gijsbrecht"),
                ("kind", "multi_parent"),
                ("children", "0"),
                ("consent", "yes"),
                ("key", "walk-haven"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let walk_in = app
        .store
        .session_detail(&t, s.id)
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.first_names == "Gijsbrecht")
        .map(|l| l.household_id)
        .expect("the walk-in is on the list");
    let r = w
        .post(
            &format!("/households/{walk_in}/merge/{couple}"),
            &[("merge", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.household(&t, couple).await.unwrap().parents.len(),
        2,
        "the family of Haven is as it was"
    );
}
on_both!(
    who_came_reach,
    who_came_is_not_recorded_for_a_family_out_of_reach
);

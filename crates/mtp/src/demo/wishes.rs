//! The demo's wishes and talent (issue #18, docs/guide/wishes.md, docs/guide/talent.md).
//!
//! In Almere Poort two wishes became workshops: three mothers asked the worker about debts at
//! the coffee hour (two of the three came to the workshop), and the parents' portal idea
//! "Gezond koken met weinig geld" (one of its three voters came). A third wish, about social
//! media, waits. One mother's bootcamp-instructor course was paid from the project budget;
//! she gives ten free bootcamp sessions in return, four of them given so far.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use mtp_domain::activity::{ActivityKind, Audience, Cost, StaffMinutes};
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::talent::{TalentDraft, TalentForm};
use mtp_domain::wishes::{Theme, WishDraft};
use mtp_domain::{HouseholdStatus, Role, Tenant};
use mtp_store::wishes::{WishRef, WishSource};
use mtp_store::{HouseholdFilter, NewAuditEvent, Store};
use uuid::Uuid;

fn cli_event(org_id: Uuid, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "wish".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: "demo".into(),
    }
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// One session on `day`, held, with `came` present.
async fn held_session(
    store: &Store,
    tenant: &Tenant,
    activity: Uuid,
    day: NaiveDate,
    (start, end): (NaiveTime, NaiveTime),
    came: &[Uuid],
) -> anyhow::Result<()> {
    store
        .plan_sessions(
            tenant,
            activity,
            &[(day, mtp_domain::schedule::slot(day, start, end))],
            None,
        )
        .await?;
    let from = mtp_domain::schedule::slot(day, start, end).start - Duration::hours(1);
    let sessions = store.activity_sessions(tenant, activity, from, 1).await?;
    let Some(s) = sessions.first() else {
        return Ok(());
    };
    for h in came {
        let checkin = mtp_store::Checkin {
            session_id: s.id,
            household_id: *h,
            status: Some(AttendanceStatus::Present),
            reason: None,
            adults: 1,
            children: 1,
            parents: None,
            key: None,
            at: None,
        };
        let event = NewAuditEvent {
            object_type: "household".into(),
            object_id: Some(*h),
            neighbourhood_id: Some(s.neighbourhood_id),
            ..cli_event(tenant.org_id, Action::AttendanceLoaded)
        };
        store
            .record_attendance(tenant, s, None, &checkin, event)
            .await?;
    }
    store
        .set_session_state(tenant, s.id, SessionState::Held, None)
        .await?;
    Ok(())
}

fn draft(theme: Theme, title: &str, demand: u32, note: &str) -> WishDraft {
    WishDraft {
        theme,
        title: title.into(),
        demand,
        note: note.into(),
    }
}

/// The wishes, workshops and the bootcamp course, made once: a second `mtp demo --force`
/// finds the worker's wishes and adds nothing.
pub async fn load(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if store
        .wishes(&tenant, poort)
        .await?
        .iter()
        .any(|w| w.source == WishSource::Worker)
    {
        return Ok(());
    }
    let filter = HouseholdFilter {
        neighbourhood_id: Some(poort),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (families, _) = store.households(&tenant, &filter, 12, 0).await?;
    let ids: Vec<Uuid> = families.iter().map(|h| h.id).collect();
    let staff = ActivityKind::Workshop.default_staff_minutes();

    // Three mothers asked about debts at the coffee hour; two came to the workshop.
    let asked: Vec<Uuid> = ids.iter().skip(6).take(3).copied().collect();
    let debts = store
        .add_wish(
            &tenant,
            None,
            poort,
            &draft(
                Theme::Money,
                "Schulden en rekeningen: waar begin je?",
                3,
                "Gevraagd bij het koffie-uurtje. Liefst op een avond, met oppas.",
            ),
            &asked,
            cli_event(org_id, Action::WishAdded),
        )
        .await?;
    let workshop = store
        .make_workshop(
            &tenant,
            None,
            WishRef::Wish(debts),
            staff,
            cli_event(org_id, Action::WishMadeActivity),
        )
        .await?;
    let came: Vec<Uuid> = asked.iter().take(2).copied().collect();
    held_session(
        store,
        &tenant,
        workshop,
        today - Duration::days(12),
        (time(19, 30), time(21, 0)),
        &came,
    )
    .await?;

    // The parents' own idea from the portal: healthy cooking on a small budget.
    let cooking = store
        .wishes(&tenant, poort)
        .await?
        .into_iter()
        .find(|w| w.source == WishSource::Idea && w.title == "Gezond koken met weinig geld");
    if let Some(idea) = cooking {
        store
            .set_idea_theme(
                &tenant,
                None,
                idea.id,
                Theme::HealthFood,
                cli_event(org_id, Action::IdeaThemeSet),
            )
            .await?;
        let workshop = store
            .make_workshop(
                &tenant,
                None,
                WishRef::Idea(idea.id),
                staff,
                cli_event(org_id, Action::IdeaMadeActivity),
            )
            .await?;
        // One of the families who voted came.
        let came: Vec<Uuid> = store
            .invitees(&tenant, workshop)
            .await?
            .into_iter()
            .take(1)
            .collect();
        held_session(
            store,
            &tenant,
            workshop,
            today - Duration::days(5),
            (time(10, 0), time(12, 0)),
            &came,
        )
        .await?;
    }
    let money_idea = store
        .wishes(&tenant, poort)
        .await?
        .into_iter()
        .find(|w| w.source == WishSource::Idea && w.title == "Omgaan met geldzorgen");
    if let Some(idea) = money_idea {
        store
            .set_idea_theme(
                &tenant,
                None,
                idea.id,
                Theme::Money,
                cli_event(org_id, Action::IdeaThemeSet),
            )
            .await?;
    }

    // A wish that waits: four parents worry about their children on their phones.
    store
        .add_wish(
            &tenant,
            None,
            poort,
            &draft(
                Theme::SocialMedia,
                "Kinderen en sociale media",
                4,
                "Vooral over TikTok en hoe lang ze op hun telefoon zitten.",
            ),
            &[],
            cli_event(org_id, Action::WishAdded),
        )
        .await?;

    bootcamp(store, &tenant, poort, today, &ids).await
}

/// The mother whose bootcamp-instructor course the project paid, and the ten bootcamp
/// sessions she gives in return: Saturday mornings in the park, four given so far.
async fn bootcamp(
    store: &Store,
    tenant: &Tenant,
    poort: Uuid,
    today: NaiveDate,
    families: &[Uuid],
) -> anyhow::Result<()> {
    let Some(family) = families.get(1) else {
        return Ok(());
    };
    let h = store.household(tenant, *family).await?;
    let Some(parent) = h.parents.first() else {
        return Ok(());
    };
    let invested = (today - Duration::days(120)).format("%Y-%m-%d").to_string();
    let course = TalentDraft::parse(
        &TalentForm {
            course: "Bootcamp-instructeur",
            certificate: "Instructeur groepsfitness",
            cost: "450,00",
            invested_on: &invested,
            budget: "project",
            budget_other: "",
            service: "Tien gratis bootcamplessen voor de ouders van de wijk",
            sessions_agreed: "10",
        },
        today,
    )
    .map_err(|e| anyhow::anyhow!("demo talent: {e:?}"))?;
    let talent = store
        .add_talent(
            tenant,
            None,
            parent.id,
            &course,
            NewAuditEvent {
                object_type: "talent".into(),
                ..cli_event(tenant.org_id, Action::TalentAdded)
            },
        )
        .await?;
    let activity = store
        .create_activity(
            tenant,
            &mtp_store::ActivityDraft {
                neighbourhood_id: poort,
                kind: ActivityKind::Movement,
                audience: Audience::Open,
                name: format!("Bootcamp in het park met {}", parent.first_name),
                description: "Gratis bootcamp voor ouders. De trainer is zelf moeder uit de wijk."
                    .into(),
                place: "Park de Poort".into(),
                address: String::new(),
                accessibility: "Buiten, op gras. Zonder drempels.".into(),
                near_school: false,
                cost: Cost::FREE,
                capacity: None,
                childcare: false,
                staff: StaffMinutes {
                    preparation: 15,
                    execution: 60,
                    wrap_up: 15,
                },
            },
            None,
        )
        .await?;
    // Ten Saturdays: four behind us (held), six ahead.
    let last_saturday =
        today - Duration::days((i64::from(today.weekday().num_days_from_monday()) + 2) % 7);
    let first = last_saturday - Duration::weeks(3);
    let slots: Vec<_> = (0..10)
        .map(|w| {
            let d = first + Duration::weeks(w);
            (d, mtp_domain::schedule::slot(d, time(9, 30), time(10, 30)))
        })
        .collect();
    store.plan_sessions(tenant, activity, &slots, None).await?;
    // She organises her bootcamp herself: her family is linked as organiser.
    store
        .add_organiser(
            tenant,
            activity,
            h.id,
            NewAuditEvent {
                object_id: Some(h.id),
                neighbourhood_id: Some(poort),
                ..cli_event(tenant.org_id, Action::OutingOrganiserAdded)
            },
        )
        .await?;
    let from = Utc::now() - Duration::weeks(6);
    for s in store.activity_sessions(tenant, activity, from, 20).await? {
        if s.ends_at < Utc::now() {
            store
                .set_session_state(tenant, s.id, SessionState::Held, None)
                .await?;
        }
        store
            .link_talent_session(
                tenant,
                talent,
                s.id,
                cli_event(tenant.org_id, Action::TalentSessionLinked),
            )
            .await?;
    }
    Ok(())
}

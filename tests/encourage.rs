//! The encouragement worklist before a session (handbook §3.3): who needs a personal word and
//! why, one tap to reach them, the outcome logged as a contact moment, and what came of it.

use mtp_domain::attendance::AttendanceStatus;
use mtp_domain::audit::Action;
use mtp_domain::encourage::{Reason, Thresholds};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&mtp_domain::schedule::TZ)
        .date_naive()
}

async fn worklist(app: &TestApp, session: Uuid) -> mtp_store::Worklist {
    let t = app.org("Almere").await;
    app.store
        .worklist(&t, session, today(), &Thresholds::default())
        .await
        .unwrap()
}

fn position(w: &mtp_store::Worklist, f: impl Fn(&[Reason]) -> bool) -> usize {
    w.cards
        .iter()
        .position(|c| f(&c.reasons))
        .expect("no such card in the demo's worklist")
}

async fn the_worklist_puts_families_at_risk_first_and_says_why(app: TestApp) {
    let logins = app.demo().await;
    let (_, session) = app.coffee_hour().await;
    let w = worklist(&app, session).await;

    // The demo's stories: three times in a row away (at risk) comes first, then the family
    // that could not come for want of childcare (we can solve that), then the regular who
    // missed the last two, and those who came last time at the bottom.
    assert!(w.cards[0].at_risk, "{:?}", w.cards[0]);
    let three = position(&w, |r| r.contains(&Reason::AbsentInARow(3)));
    let childcare = position(&w, |r| {
        r.contains(&Reason::ExcusedSolvable(
            mtp_domain::attendance::AbsenceReason::NoChildcare,
        ))
    });
    let regular = position(&w, |r| r.first() == Some(&Reason::RegularMissedLastTwo));
    let came = position(&w, |r| r.first() == Some(&Reason::CameLastTime));
    assert!(three < childcare && childcare < regular && regular < came);
    assert!(
        w.cards[came..]
            .iter()
            .all(|c| c.reasons.first() == Some(&Reason::CameLastTime)),
        "those who came last time are last"
    );

    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let page = wk.get(&format!("/sessions/{session}/encourage")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("3 keer op rij niet gekomen"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Vorige keer gekomen"));
    assert!(
        page.body
            .contains(&format!("0 van {} gedaan", w.cards.len()))
    );
    // One tap to WhatsApp with the first name in the message, a number the desk phone can
    // dial, and a call link.
    let first = &w.cards[0];
    let phone = first
        .parents
        .iter()
        .find_map(|p| p.phone.clone())
        .expect("the demo family has a number");
    let wa = format!("https://wa.me/{}?text=Hoi%20", phone.wa_digits());
    assert!(page.body.contains(&wa), "WhatsApp link {wa}");
    assert!(
        page.body
            .contains(&format!("href=\"tel:{}\"", phone.e164()))
    );
    assert!(page.body.contains(&phone.display()));

    // Hosts never see phone numbers: no worklist for them.
    let mut host = app.client();
    host.login(&logins["host"]).await;
    assert_eq!(
        host.get(&format!("/sessions/{session}/encourage"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let t = app.org("Almere").await;
    let seen = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("session.worklist-viewed".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_default();
    assert_eq!(seen.len(), 1, "viewing the worklist is audited");
}
on_both!(
    worklist_order,
    the_worklist_puts_families_at_risk_first_and_says_why
);

async fn a_logged_contact_is_done_becomes_the_answer_and_is_counted_afterwards(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let w = worklist(&app, session).await;
    let card = w.cards[0].household_id;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let path = format!("/sessions/{session}/encourage/contact");

    // Bad input: no outcome, a date that is no date, someone not on the list.
    let r = wk
        .post(
            &path,
            &[
                ("household", &card.to_string()),
                ("channel", "whatsapp"),
                ("follow_up", "volgende week"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Vul een datum in zoals"), "{}", r.body);
    let r = wk
        .post(
            &path,
            &[("household", &card.to_string()), ("channel", "whatsapp")],
        )
        .await;
    assert!(r.body.contains("Kies een uitkomst."), "{}", r.body);
    let r = wk
        .post(
            &path,
            &[
                ("household", &Uuid::now_v7().to_string()),
                ("channel", "phone"),
                ("outcome", "coming"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = wk
        .post(
            &path,
            &[
                ("household", &card.to_string()),
                ("channel", "whatsapp"),
                ("outcome", "coming"),
                ("note", "Komt met de kleine mee."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location
            .starts_with(&format!("/sessions/{session}/encourage#h-"))
    );
    let page = wk.get(&format!("/sessions/{session}/encourage")).await;
    assert!(
        page.body
            .contains(&format!("1 van {} gedaan", w.cards.len()))
    );

    // "She is coming" is the family's answer for the session, on the list at the door.
    let d = app.store.session_detail(&t, session).await.unwrap();
    let line = d
        .lines
        .iter()
        .find(|l| l.household_id == card)
        .expect("on the list");
    assert!(line.rsvp.as_ref().is_some_and(|r| r.coming));
    let household = wk.get(&format!("/households/{card}")).await;
    assert!(
        household.body.contains("Contact (WhatsApp): Komt"),
        "on the timeline"
    );

    // Afterwards: of the families encouraged, how many came.
    app.store
        .record_attendance(
            &t,
            &d.s,
            None,
            &mtp_store::Checkin {
                session_id: session,
                household_id: card,
                status: Some(AttendanceStatus::Present),
                reason: None,
                adults: 1,
                children: 0,
                parents: None,
                key: None,
                at: None,
            },
            mtp_store::NewAuditEvent {
                org_id: t.org_id,
                actor_id: None,
                actor_role: "worker".into(),
                action: Action::AttendanceRecorded,
                object_type: "household".into(),
                object_id: Some(card),
                neighbourhood_id: Some(d.s.neighbourhood_id),
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: String::new(),
            },
        )
        .await
        .unwrap();
    let after = worklist(&app, session).await;
    let effect = after
        .effect
        .expect("attendance was taken, so there is an effect");
    assert_eq!((effect.reached, effect.reached_came), (1, 1));
    let logged = app
        .store
        .audit_entries(
            t.org_id,
            &mtp_store::AuditFilter {
                action: Some("household.contact-logged".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_default();
    // The demo's own contacts (the open tasks) are in the trail too; this one is about the
    // session.
    let logged: Vec<_> = logged
        .into_iter()
        .filter(|e| e.detail.contains(&format!("session={session}")))
        .collect();
    assert_eq!(logged.len(), 1);
    assert!(
        !logged[0].detail.contains("Komt met"),
        "no note in the audit"
    );
}
on_both!(
    contact_logged,
    a_logged_contact_is_done_becomes_the_answer_and_is_counted_afterwards
);

async fn a_family_without_a_phone_number_gets_a_hint_not_a_whatsapp_button(app: TestApp) {
    let logins = app.demo().await;
    let (coffee, session) = app.coffee_hour().await;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let r = wk
        .post(
            "/households/new",
            &[
                ("kind", "single_parent"),
                ("p0_first_name", "Zonder"),
                ("p0_email", "zonder@example.org"),
                ("p0_channel", "email"),
                ("source", "school"),
                ("consent_data", "yes"),
                ("consent_method", "verbal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.location.trim_start_matches("/households/").to_string();
    let r = wk
        .post(
            &format!("/activities/{coffee}/register"),
            &[("household", &id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let w = worklist(&app, session).await;
    let card = w
        .cards
        .iter()
        .find(|c| c.household_id.to_string() == id)
        .expect("a new family is on the worklist");
    assert!(
        card.reasons.contains(&Reason::Newcomer),
        "{:?}",
        card.reasons
    );
    let page = wk.get(&format!("/sessions/{session}/encourage")).await;
    let section = page
        .body
        .split(&format!("id=\"h-{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .unwrap_or_default();
    assert!(section.contains("Geen telefoonnummer bekend"), "{section}");
    assert!(!section.contains("wa.me"));
    assert!(section.contains("zonder@example.org"), "e-mail instead");

    // The e-mail goes through the organisation's mail server, once, with the personal text.
    let smtp = crate::helpers::SmtpServer::start().await;
    let mail =
        crate::helpers::spawn_with_mail(app.database_url.clone(), app.data_dir.clone(), smtp.url())
            .await;
    let mut wm = mail.client();
    wm.login(&logins["worker"]).await;
    for _ in 0..2 {
        let r = wm
            .post(
                &format!("/sessions/{session}/encourage/email"),
                &[("household", &id)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let got = smtp.wait_until(30, |m| !m.is_empty()).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let got = if got.len() == smtp.messages().len() {
        got
    } else {
        smtp.messages()
    };
    assert_eq!(
        got.len(),
        1,
        "sent once, though the button was pressed twice"
    );
    let text = String::from_utf8_lossy(&got[0]).to_string();
    assert!(text.contains("zonder@example.org"), "{text}");
    assert!(text.contains("Zonder"), "the first name in the message");
}
on_both!(
    no_phone_number,
    a_family_without_a_phone_number_gets_a_hint_not_a_whatsapp_button
);

async fn the_chat_group_asks_consent_and_a_family_that_leaves_needs_a_word(app: TestApp) {
    let logins = app.demo().await;
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let page = wk.get("/chat").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Groepsbeheerder"),
        "the demo group has a moderator"
    );
    assert!(page.body.contains("Deze week: 2 van 3 berichten."));
    assert!(page.body.contains("Te veel berichten"), "who left and why");

    // The demo family that left the group is on the worklist for it.
    let w = worklist(&app, session).await;
    assert!(
        w.cards.iter().any(|c| c
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::LeftChatGroup(_)))),
        "leaving the group puts a family on the worklist"
    );

    // Without the chat-group consent nobody is put in the group.
    let (rows, _) = app
        .store
        .households(&t, &mtp_store::HouseholdFilter::default(), 100, 0)
        .await
        .unwrap_or_default();
    let mut without = None;
    for h in &rows {
        let c = app
            .store
            .household_consents(&t, h.id)
            .await
            .unwrap_or_default();
        // A single parent: a two-parent family is refused for the audience first.
        if !mtp_domain::has_consent(&c, mtp_domain::Purpose::ChatGroup)
            && h.status != mtp_domain::HouseholdStatus::Left
            && h.kind == mtp_domain::HouseholdKind::SingleParent
        {
            without = Some(h.id);
            break;
        }
    }
    let without = without.expect("the demo has a family without consent");
    let r = wk
        .post(
            "/chat/members",
            &[("do", "join"), ("household", &without.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("geen toestemming gegeven voor de WhatsApp-groep")
    );

    // Withdrawing the consent takes a member off the roster.
    let nb = app.neighbourhood(&t, "Almere Poort").await;
    let member = app
        .store
        .chat_roster(&t, nb)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.left_at.is_none())
        .expect("the demo group has members");
    app.store
        .record_consent(
            &t,
            None,
            member.household_id,
            mtp_domain::Purpose::ChatGroup,
            false,
            mtp_domain::ConsentMethod::Verbal,
            None,
        )
        .await
        .unwrap();
    let after = app.store.chat_roster(&t, nb).await.unwrap_or_default();
    let gone = after
        .iter()
        .find(|m| m.household_id == member.household_id)
        .expect("still listed as left");
    assert!(gone.left_at.is_some());
    assert_eq!(gone.left_reason.as_deref(), Some("consent_withdrawn"));

    // A third message this week: saved, shared through WhatsApp's link, and the budget warns.
    let r = wk.post("/chat/posts", &[("text", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Schrijf eerst een bericht."));
    let r = wk
        .post(
            "/chat/posts",
            &[("text", "Zaterdag is de speeltuin open & gratis.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = wk.get("/chat").await;
    assert!(page.body.contains("Deze week: 3 van 3 berichten."));
    assert!(page.body.contains("al genoeg berichten geplaatst"));
    assert!(
        page.body
            .contains("https://wa.me/?text=Zaterdag%20is%20de%20speeltuin%20open%20%26%20gratis.")
    );

    let mut host = app.client();
    host.login(&logins["host"]).await;
    assert_eq!(host.get("/chat").await.status, StatusCode::FORBIDDEN);
}
on_both!(
    chat_group,
    the_chat_group_asks_consent_and_a_family_that_leaves_needs_a_word
);

async fn the_organisation_tunes_when_a_family_is_on_the_list(app: TestApp) {
    let logins = app.demo().await;
    let mut a = app.client();
    a.login(&logins["admin"]).await;
    let form = a.get("/admin/organisation").await;
    assert!(
        form.body.contains("value=\"3\""),
        "the handbook's default of three"
    );
    let settings = |absent: &'static str, attended: &'static str| {
        vec![
            ("org_name", "Welzijn Almere"),
            ("holiday_region", "noord"),
            ("two_factor", "optional"),
            ("retention_months", "24"),
            ("absent_in_a_row", absent),
            ("newcomer_weeks", "6"),
            ("no_contact_weeks", "4"),
            ("regular_attended", attended),
            ("regular_window", "6"),
            ("chat_left_days", "30"),
        ]
    };
    let r = a.post("/admin/organisation", &settings("13", "7")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Vul een getal in van 2 tot en met 12."));
    assert!(
        r.body
            .contains("mag niet groter zijn dan het aantal bijeenkomsten"),
        "seven of the last six cannot be"
    );
    let r = a.post("/admin/organisation", &settings("2", "3")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Two misses in a row are now enough to call: the demo's regular who missed the last two
    // is at risk, and the worker's page says so.
    let (_, session) = app.coffee_hour().await;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let page = wk.get(&format!("/sessions/{session}/encourage")).await;
    assert!(
        page.body.contains("2 keer op rij niet gekomen"),
        "{}",
        page.body
    );
}
on_both!(
    tuned_thresholds,
    the_organisation_tunes_when_a_family_is_on_the_list
);

async fn a_neighbourhood_words_its_own_messages_and_a_wrong_placeholder_is_refused(app: TestApp) {
    let logins = app.demo().await;
    let (_, session) = app.coffee_hour().await;
    let mut wk = app.client();
    wk.login(&logins["worker"]).await;
    let page = wk.get("/messages").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hoi {voornaam},"), "the default text");
    assert!(page.body.contains("Hoi Sanne,"), "and its preview");

    let r = wk
        .post(
            "/messages",
            &[
                ("purpose", "coffee_hour"),
                ("lang", "nl"),
                ("text", "Hoi {naam}, kom je {dag}?"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("{naam} kennen we niet"), "{}", r.body);
    assert!(
        r.body.contains("Hoi {naam}, kom je {dag}?"),
        "what was typed stays"
    );

    let r = wk
        .post(
            "/messages",
            &[
                ("purpose", "coffee_hour"),
                ("lang", "nl"),
                ("text", "Dag {voornaam}, {dag} is er koffie & thee."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The worklist's WhatsApp links use the neighbourhood's own words for families that came.
    let w = wk.get(&format!("/sessions/{session}/encourage")).await;
    assert!(
        w.body.contains("?text=Dag%20"),
        "the own text in the WhatsApp link"
    );
    assert!(w.body.contains("koffie%20%26%20thee."));

    let r = wk
        .post(
            "/messages",
            &[("purpose", "coffee_hour"), ("lang", "nl"), ("reset", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = wk.get("/messages").await;
    assert!(!page.body.contains("Dag {voornaam}"));
}
on_both!(
    own_messages,
    a_neighbourhood_words_its_own_messages_and_a_wrong_placeholder_is_refused
);

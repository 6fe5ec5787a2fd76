//! The parents' words (issue #22): the portal's trust pages speak the parent's language, not
//! the staff's (docs/glossary.md), "my data" is a page a parent can read, and withdrawing photo
//! consent says what the organisation really does with photos already taken.

use reqwest::StatusCode;

use crate::helpers::{Client, TestApp, post_org_settings};
use crate::on_both;

/// A signed-in portal client for a single-parent family on the demo coffee hour's list, and
/// that family's id.
async fn parent(app: &TestApp) -> (Client, uuid::Uuid) {
    let t = app.org("Almere").await;
    let (_, session) = app.coffee_hour().await;
    let family = crate::portal::family_on_the_list(app, &t, session).await;
    let token = app
        .store
        .create_portal_link(&t, None, family, None)
        .await
        .unwrap();
    let mut c = app.client();
    c.get(&format!("/portal/link/{token}")).await;
    let res = c.post(&format!("/portal/link/{token}"), &[]).await;
    assert_eq!(res.location, "/portal", "{}", res.body);
    (c, family)
}

/// "A page the parent can read (and print/save as PDF from the browser), with the JSON
/// download as a second option — a parent cannot open a .json."
async fn a_parent_reads_everything_we_know_on_one_page(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let (mut c, family) = parent(&app).await;
    let h = app.store.household(&t, family).await.unwrap();
    let attendance = app
        .store
        .household_attendance(&t, family, 1000)
        .await
        .unwrap();

    let data = c.get("/portal/data").await;
    let read = data
        .body
        .find("/portal/data/all")
        .expect("a link to read it all");
    let download = data
        .body
        .find("/portal/data/download")
        .expect("the download");
    assert!(read < download, "reading comes first, the file second");
    assert!(data.body.contains("als bestand (voor een computer)"));

    let page = c.get("/portal/data/all").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h1>Wat we over je weten</h1>"),
        "{}",
        page.body
    );
    let p = &h.parents[0];
    assert!(page.body.contains(&p.full_name()), "{}", page.body);
    if let Some(phone) = &p.phone {
        assert!(page.body.contains(&phone.display()), "{}", page.body);
    }
    for child in &h.children {
        assert!(page.body.contains(&child.first_name), "{}", page.body);
    }
    assert!(page.body.contains("Gezin met één ouder"), "{}", page.body);
    // Every consent record, in the parent's words, with its date.
    assert!(page.body.contains("Wanneer je ja of nee zei"));
    assert!(!h.consents.is_empty());
    assert!(
        page.body
            .contains("Je gegevens bewaren en contact met je opnemen")
    );
    // Every session the family was on, with what happened.
    assert!(!attendance.is_empty(), "the demo family has a history");
    let (s, _) = &attendance[0];
    assert!(page.body.contains(&s.activity_name), "{}", page.body);
    assert!(page.body.contains("Aanwezig") || page.body.contains("Afgemeld"));
    // Never the worker's notes, never a staff word.
    if !h.notes.trim().is_empty() {
        assert!(!page.body.contains(h.notes.trim()));
    }
    for staff in ["Eenoudergezin", "huishouden", "Gegevens vastleggen"] {
        assert!(!page.body.contains(staff), "says {staff}");
    }
    // It prints without the menu.
    assert!(page.body.contains("class=\"back-link noprint\""));

    let audited = app
        .store
        .audit_entries(t.org_id, &mtp_store::AuditFilter::default(), 500)
        .await
        .unwrap()
        .into_iter()
        .any(|e| e.actor_role == "parent" && e.action == "portal.data-viewed" && e.detail == "all");
    assert!(audited, "reading all is audit-logged");

    // English too.
    c.get("/lang/en?next=/portal/data/all").await;
    let en = c.get("/portal/data/all").await;
    assert!(
        en.body.contains("<h1>What we know about you</h1>"),
        "{}",
        en.body
    );
    assert!(en.body.contains("Family with one parent"));
    assert!(
        en.body
            .contains("Keeping your details and getting in touch with you")
    );
}
on_both!(
    portal_data_readable,
    a_parent_reads_everything_we_know_on_one_page
);

/// "Say in plain words what each yes/no means, that 'nee' has no consequences for taking
/// part, exactly what erasure removes and what stays."
async fn the_consent_and_erasure_pages_speak_the_parents_words(app: TestApp) {
    app.demo().await;
    let (mut c, _) = parent(&app).await;
    let consents = c.get("/portal/consents").await;
    let consents_text = unescape(&consents.body);
    assert!(consents_text.contains("Op foto's staan"), "{consents_text}");
    assert!(
        consents
            .body
            .contains("Zeg je nee? Dan kun je gewoon blijven meedoen.")
    );
    assert!(!consents_text.contains("Foto's maken en gebruiken"));
    let question = c.get("/portal/consents/research").await;
    assert!(
        question
            .body
            .contains("Nee zeggen mag. Je kunt dan gewoon meedoen.")
    );
    let erase = c.get("/portal/data/erase").await;
    assert!(erase.body.contains("Je vraag gaat naar je contactpersoon."));
    assert!(
        erase
            .body
            .contains("Wat blijft: alleen cijfers zonder naam.")
    );
    assert!(erase.body.contains("binnen 2 weken"));
    let data = c.get("/portal/data").await;
    assert!(data.body.contains("Soort gezin") && data.body.contains("Gezin met één ouder"));
    assert!(!data.body.contains("Eenoudergezin"));

    c.get("/lang/en?next=/portal/consents").await;
    let en = c.get("/portal/consents").await;
    assert!(en.body.contains("Being in photos"), "{}", en.body);
    assert!(en.body.contains("You can still take part just the same."));
    let erase = c.get("/portal/data/erase").await;
    assert!(
        erase
            .body
            .contains("What stays: only numbers without a name.")
    );
}
on_both!(
    portal_parent_words,
    the_consent_and_erasure_pages_speak_the_parents_words
);

/// Withdraw the consent for photos in the portal; the confirmation page's body.
async fn withdraw_photos(c: &mut Client) -> String {
    let done = c
        .post("/portal/consents/photos/confirm", &[("given", "no")])
        .await;
    assert_eq!(done.location, "/portal/consents/photos/done");
    unescape(&c.get("/portal/consents/photos/done").await.body)
}

/// The page text as a reader sees it: askama writes an apostrophe as `&#x27;`.
fn unescape(body: &str) -> String {
    body.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
}

/// "Withdrawing photo consent must say truthfully what happens to photos already taken (ask
/// the organisation's setting, don't promise)."
async fn withdrawing_photo_consent_says_what_the_organisation_does_with_photos(app: TestApp) {
    let logins = app.demo().await;
    let (mut c, _) = parent(&app).await;
    // Until the organisation chooses, no promise: ask the contact person.
    c.get("/portal/consents/photos").await;
    let check = c.post("/portal/consents/photos", &[("given", "no")]).await;
    assert!(
        check.body.contains("Vraag het je contactpersoon."),
        "{}",
        check.body
    );
    let body = withdraw_photos(&mut c).await;
    assert!(
        body.contains("Wat gebeurt er met foto's die er al zijn?"),
        "{body}"
    );
    assert!(!body.contains("website"));

    // The administrator says what the organisation does.
    let mut admin = app.client();
    admin.login(&logins["admin"]).await;
    let form = admin.get("/admin/organisation").await;
    assert!(
        form.body
            .contains("name=\"photo_policy\" type=\"radio\" value=\"not_set\" checked"),
        "{}",
        form.body
    );
    let org = app
        .store
        .organisation(app.org("Almere").await.org_id)
        .await
        .unwrap();
    let bad = post_org_settings(&mut admin, &org, &[("photo_policy", "burn")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("photo_policy-error"), "{}", bad.body);
    let ok = post_org_settings(&mut admin, &org, &[("photo_policy", "remove")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let org = app.store.organisation(org.id).await.unwrap();
    assert_eq!(org.photos, mtp_domain::PhotoPolicy::RemovePublished);
    // The other settings stayed as they were.
    assert_eq!(org.encourage, mtp_domain::encourage::Thresholds::default());

    let body = withdraw_photos(&mut c).await;
    assert!(body.contains("van onze website en sociale media"), "{body}");
    assert!(body.contains("kunnen we niet terughalen"), "{body}");
}
on_both!(
    portal_photo_policy,
    withdrawing_photo_consent_says_what_the_organisation_does_with_photos
);

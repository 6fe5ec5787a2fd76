//! A family that came through a partner (issue #16): its source says so, linked to the
//! partner organisation, and both privacy exports name that partner; the parent sees the
//! family's referrals to help in the portal, in the parents' words.

use mtp_domain::Language;
use mtp_domain::household::{HouseholdKind, Source};
use mtp_web::i18n::Tr;

use crate::helpers::TestApp;
use crate::hostile::parent_client;
use crate::on_both;
use crate::referrals::{draft, event};

async fn a_family_through_a_partner_says_which(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    // The debt help has no account and no source of its own: through its referral address.
    let debt = app
        .store
        .partners(&t, &mtp_store::PartnerFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Schuldhulp Almere")
        .unwrap()
        .id;
    let token = app
        .store
        .make_referral_address(&t, debt, event(t.org_id))
        .await
        .unwrap();
    let nb = app
        .store
        .referral_address_form(&token)
        .await
        .unwrap()
        .unwrap()
        .neighbourhoods[0]
        .id;
    let now = chrono::Utc::now();
    let id = app
        .store
        .create_address_referral(
            &token,
            &draft("Roos", "06-51515151", nb),
            &mtp_domain::Email::parse("balie@schuldhulp.example.nl").unwrap(),
            now,
        )
        .await
        .unwrap()
        .referral_id;
    let link = app
        .store
        .make_referral_link_at(&t, id, event(t.org_id), now)
        .await
        .unwrap();
    app.store
        .answer_referral_at(&link.token, true, now)
        .await
        .unwrap()
        .unwrap();
    let household = app
        .store
        .referral_to_household(&t, None, id, HouseholdKind::SingleParent, event(t.org_id))
        .await
        .unwrap();
    let h = app.store.household(&t, household).await.unwrap();
    assert_eq!(h.source, Source::Partner);
    assert_eq!(
        h.source_partner_org.map(|(_, name)| name).as_deref(),
        Some("Schuldhulp Almere")
    );
    // The staff's export and the parent's own download and readable page name the partner.
    let export = app.store.export_household(&t, household).await.unwrap();
    assert_eq!(export["household"]["source"], "partner");
    assert_eq!(
        export["household"]["source_partner_org"],
        "Schuldhulp Almere"
    );
    let mut parent = parent_client(&app, &t, household).await;
    let all = parent.get("/portal/data/all").await;
    assert!(all.body.contains("Via wie kwam je bij ons"), "{}", all.body);
    assert!(all.body.contains("Schuldhulp Almere"));
    let (_, _, json) = parent.get_bytes("/portal/data/download").await;
    assert!(
        String::from_utf8_lossy(&json).contains("\"source_partner_org\": \"Schuldhulp Almere\"")
    );
    // No referral to help yet: the portal says so in plain words.
    let data = parent.get("/portal/data").await;
    assert!(data.body.contains("We bespraken geen hulp met je."));
}
on_both!(source_partner, a_family_through_a_partner_says_which);

async fn the_parent_sees_the_familys_referrals_to_help(app: TestApp) {
    app.demo().await;
    let t = app.org("Almere").await;
    let (tasks, _) = app.store.help_referral_tasks(&t, 1).await.unwrap();
    let r = app.store.help_referral(&t, tasks[0].id).await.unwrap();
    let mut parent = parent_client(&app, &t, r.household_id).await;
    let page = parent.get("/portal/data").await;
    let nl = Tr::new(Language::Nl);
    assert!(page.body.contains("Hulp die we met je bespraken"));
    assert!(
        page.body
            .contains(&nl.get(format!("portal-help-kind-{}", r.kind.as_str())))
    );
    assert!(
        page.body
            .contains(&nl.get(format!("portal-help-state-{}", r.state.as_str())))
    );
    if let Some((_, name)) = &r.partner {
        assert!(page.body.contains(&format!("Bij: {name}")));
    }
    // Never the worker's reason.
    assert!(r.reason.is_empty() || !page.body.contains(&r.reason));
}
on_both!(portal_help, the_parent_sees_the_familys_referrals_to_help);

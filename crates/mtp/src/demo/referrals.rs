//! The demo's inbound referrals (docs/guide/referrals.md): three referrals by the school's
//! partner account in Almere Poort, each in another state — one waiting for the parent's
//! confirmation, one the parent confirmed that joined a family who came to an activity, and
//! one that expired unanswered (its details erased). Made once: a second `mtp demo --force`
//! finds the school's referrals and leaves them.

use chrono::{Duration, Utc};
use mtp_domain::audit::Action;
use mtp_domain::referral::{ReferralDraft, ReferralForm};
use mtp_domain::{Email, Role, Tenant};
use mtp_store::referrals::PartnerScope;
use mtp_store::{Attended, HouseholdFilter, Store};

use super::partners::cli_event;
use uuid::Uuid;

fn draft(first_name: &str, reach: &str, need: &str, poort: Uuid) -> anyhow::Result<ReferralDraft> {
    let nb = poort.to_string();
    ReferralDraft::parse(&ReferralForm {
        first_name,
        reach,
        need,
        neighbourhood: &nb,
        agreed: true,
    })
    .map_err(|e| anyhow::anyhow!("demo referral {first_name}: {e:?}"))
}

pub async fn load(store: &Store, org_id: Uuid, poort: Uuid) -> anyhow::Result<()> {
    let login = Email::parse("partner@almere.demo.meettheparents.nl")
        .map_err(|e| anyhow::anyhow!("demo partner e-mail: {e:?}"))?;
    let Some(account) = store.account_by_email(&login).await? else {
        return Ok(());
    };
    let Some(partner_id) = account.partner_org_id else {
        return Ok(());
    };
    let by = PartnerScope {
        org_id,
        partner_id,
        account_id: account.id,
    };
    if !store.partner_referrals(&by).await?.is_empty() {
        return Ok(());
    }
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let now = Utc::now();
    let event = |a| cli_event(org_id, a);

    // Expired: made 40 days ago, never answered; the sweep erased it.
    store
        .create_referral_at(
            &by,
            &draft(
                "Nadia",
                "06-12 00 00 41",
                "Nederlands oefenen met andere moeders",
                poort,
            )?,
            event(Action::ReferralCreated),
            now - Duration::days(40),
        )
        .await?;
    store.expire_referrals_at(now).await?;

    // Confirmed, and joined to a Poort family that came to an activity.
    let (came, _) = store
        .households(
            &tenant,
            &HouseholdFilter {
                neighbourhood_id: Some(poort),
                attended: Some(Attended::Since(now - Duration::days(365))),
                ..Default::default()
            },
            1,
            0,
        )
        .await?;
    if let Some(family) = came.first() {
        let first = family.first_names.first().cloned().unwrap_or_default();
        let id = store
            .create_referral_at(
                &by,
                &draft(
                    &first,
                    "06-12 00 00 42",
                    "Andere ouders in de wijk leren kennen",
                    poort,
                )?,
                event(Action::ReferralCreated),
                now - Duration::days(20),
            )
            .await?;
        let link = store
            .make_referral_link_at(
                &tenant,
                id,
                event(Action::ReferralLinkMade),
                now - Duration::days(20),
            )
            .await?;
        if store
            .answer_referral_at(&link.token, true, now - Duration::days(19))
            .await?
            .is_ok()
        {
            store
                .merge_referral(&tenant, None, id, family.id, event(Action::ReferralMerged))
                .await?;
        }
    }

    // Waiting for the parent: made three days ago, the link not yet sent.
    store
        .create_referral_at(
            &by,
            &draft(
                "Samira",
                "06-12 00 00 43",
                "Met andere moeders praten over opvoeden",
                poort,
            )?,
            event(Action::ReferralCreated),
            now - Duration::days(3),
        )
        .await?;
    Ok(())
}

/// A partner without an account (the sports coach of Poort) has a secret
/// referral address, and one referral came through it, waiting for the parent
/// (docs/guide/referrals.md#a-referral-address). Made once: a partner that has an address
/// already is left alone. The address itself is not kept anywhere: the demo never shows it.
pub async fn load_address(store: &Store, org_id: Uuid, poort: Uuid) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let Some(jgz) = store
        .partners(&tenant, &mtp_store::PartnerFilter::default())
        .await?
        .into_iter()
        .find(|p| p.name == "Buurtsportcoach Poort")
    else {
        return Ok(());
    };
    if store
        .referral_address_state(&tenant, jgz.id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let token = store
        .make_referral_address(
            &tenant,
            jgz.id,
            cli_event(org_id, Action::ReferralAddressMade),
        )
        .await?;
    let referrer = Email::parse("sport.poort@example.nl")
        .map_err(|e| anyhow::anyhow!("demo referrer e-mail: {e:?}"))?;
    store
        .create_address_referral(
            &token,
            &draft(
                "Meryem",
                "06-12 00 00 44",
                "Samen sporten met andere ouders",
                poort,
            )?,
            &referrer,
            Utc::now() - Duration::days(2),
        )
        .await?;
    Ok(())
}

//! The demo's referrals to help (docs/guide/help-referrals.md): two Almere Poort families
//! referred on. One was sent to Schuldhulp Almere three weeks ago and its follow-up date has
//! passed without word of a first contact (overdue in the worker's open tasks); the other was
//! proposed this week and waits for the mother's consent.

use chrono::{Duration, NaiveDate};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::consent::ConsentMethod;
use mtp_domain::help_referral::{
    HelpKind, ReferralDraft, ReferralState, Step, StepDraft, Transition,
};
use mtp_domain::{HouseholdStatus, Role, Tenant};
use mtp_store::{HouseholdFilter, NewAuditEvent, PartnerFilter, Store};
use uuid::Uuid;

fn cli_event(org_id: Uuid, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "household".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: String::new(),
    }
}

/// The organisation as its administrator sees it, and the first ten active Almere Poort
/// families: the demo refers two of them and quotes two others.
async fn poort_families(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
) -> anyhow::Result<(Tenant, Vec<mtp_store::HouseholdSummary>)> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let filter = HouseholdFilter {
        neighbourhood_id: Some(poort),
        status: Some(HouseholdStatus::Active),
        ..Default::default()
    };
    let (families, _) = store.households(&tenant, &filter, 10, 0).await?;
    Ok((tenant, families))
}

/// The two referrals, made once: a second `mtp demo --force` finds the first family's
/// referral and adds nothing.
pub async fn load(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let (tenant, families) = poort_families(store, org_id, poort).await?;
    let (Some(debts), Some(parenting)) = (families.get(2), families.get(3)) else {
        return Ok(());
    };
    if !store.help_referrals_of(&tenant, debts.id).await?.is_empty() {
        return Ok(());
    }
    let debt_help = store
        .partners(&tenant, &PartnerFilter::default())
        .await?
        .into_iter()
        .find(|p| p.name == "Schuldhulp Almere")
        .map(|p| p.id);
    let day = |ago: i64| today - Duration::days(ago);

    // Sent three weeks ago; the check on the first contact was due four days ago.
    let sent = ReferralDraft {
        kind: HelpKind::DebtHelp,
        partner: debt_help,
        reason: "Post van deurwaarders stapelt zich op; ze wil hulp om overzicht te krijgen."
            .into(),
        consent: Some((ConsentMethod::Verbal, day(23))),
        follow_up_on: day(20),
    };
    let id = store
        .create_help_referral(
            &tenant,
            None,
            debts.id,
            &sent,
            cli_event(org_id, Action::HelpReferralCreated),
        )
        .await?;
    store
        .help_referral_step(
            &tenant,
            None,
            id,
            ReferralState::Consented,
            &StepDraft {
                step: Step::Refer,
                on: day(21),
                transition: Transition {
                    to: ReferralState::Referred,
                    outcome: None,
                },
                follow_up_on: Some(day(4)),
            },
            cli_event(org_id, Action::HelpReferralReferred),
        )
        .await?;

    // Proposed this week: the mother thinks about it.
    let proposed = ReferralDraft {
        kind: HelpKind::ParentingSupport,
        partner: None,
        reason: "Zoekt tips voor de bedtijd van haar peuter; denkt na over opvoedsteun.".into(),
        consent: None,
        follow_up_on: today + Duration::days(5),
    };
    store
        .create_help_referral(
            &tenant,
            None,
            parenting.id,
            &proposed,
            cli_event(org_id, Action::HelpReferralCreated),
        )
        .await?;
    Ok(())
}

/// Two parents' quotes for publicity (docs/guide/help-referrals.md#quotes-and-publicity): one
/// usable, named as "een moeder uit Almere Poort"; one whose family withdrew the consent for
/// quotes afterwards, so it is hidden everywhere. Made once.
pub async fn load_quotes(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    today: NaiveDate,
) -> anyhow::Result<()> {
    use mtp_domain::consent::Purpose;
    use mtp_domain::quote::{Attribution, QuoteDraft};
    let (tenant, families) = poort_families(store, org_id, poort).await?;
    let (Some(shown), Some(hidden)) = (families.get(4), families.get(5)) else {
        return Ok(());
    };
    if !store.quotes_of(&tenant, shown.id).await?.is_empty() {
        return Ok(());
    }
    let quotes = [
        (
            shown.id,
            "Hier hoef ik even niets uit te leggen. Iedereen snapt hoe het is om het alleen te doen.",
            20,
        ),
        (
            hidden.id,
            "Sinds het koffie-uur ken ik eindelijk andere moeders op het schoolplein.",
            45,
        ),
    ];
    for (household, text, days_ago) in quotes {
        store
            .record_consent(
                &tenant,
                None,
                household,
                Purpose::PublishQuote,
                true,
                ConsentMethod::Paper,
                None,
            )
            .await?;
        let draft = QuoteDraft {
            text: text.into(),
            attribution: Attribution::Phrase,
            parent: None,
            phrase: "een moeder uit Almere Poort".into(),
            said_on: today - Duration::days(days_ago),
        };
        store
            .add_quote(
                &tenant,
                None,
                household,
                &draft,
                cli_event(org_id, Action::QuoteRecorded),
            )
            .await?;
    }
    // The second mother changed her mind: her quote is hidden at once.
    store
        .record_consent(
            &tenant,
            None,
            hidden.id,
            Purpose::PublishQuote,
            false,
            ConsentMethod::Portal,
            None,
        )
        .await?;
    Ok(())
}

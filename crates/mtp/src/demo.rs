//! `mtp demo`: a living, fictional neighbourhood so a newcomer sees the system at work.
//!
//! Everyone in it is made up. The demo is idempotent with `--force`: organisations and
//! neighbourhoods are found by name, and existing demo accounts get a fresh password, so the
//! printed credentials always work.

use mtp_domain::audit::Action;
use mtp_domain::{CbsCode, Email, HolidayRegion, NewPassword, PersonName, PlaceName, Role, Tenant};
use mtp_store::{NewAccount, Store, StoreError};
use rand::RngCore;
use uuid::Uuid;

mod help;
mod help_referrals;
mod money;
mod outcomes;
mod outings;
mod partners;
mod referrals;
mod rules;
mod scan;
mod wishes;
mod year;

/// One printed line: `<role> <email> <password>`.
pub struct DemoLogin {
    pub label: String,
    pub email: String,
    pub password: String,
}

fn password() -> String {
    let mut b = [0u8; 9];
    rand::rng().fill_bytes(&mut b);
    format!("demo-{}", hex_lower(&b))
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn name(s: &str) -> anyhow::Result<PlaceName> {
    PlaceName::parse(s).map_err(|e| anyhow::anyhow!("demo name {s}: {e}"))
}

async fn organisation(store: &Store, org_name: &str) -> anyhow::Result<Uuid> {
    if let Some(o) = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.name == org_name)
    {
        return Ok(o.id);
    }
    Ok(store
        .create_organisation(&name(org_name)?, HolidayRegion::Noord)
        .await?)
}

async fn neighbourhood(
    store: &Store,
    org_id: Uuid,
    nb_name: &str,
    cbs: Option<&str>,
) -> anyhow::Result<Uuid> {
    let all = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if let Some(n) = store
        .neighbourhoods(&all)
        .await?
        .into_iter()
        .find(|n| n.name == nb_name)
    {
        return Ok(n.id);
    }
    let code = cbs
        .map(CbsCode::parse_optional)
        .transpose()
        .map_err(|e| anyhow::anyhow!("demo CBS code: {e}"))?
        .flatten();
    Ok(store
        .create_neighbourhood(org_id, &name(nb_name)?, code.as_ref(), None)
        .await?)
}

/// The coordinators' estimates of single-parent households, which reach % is computed
/// against (docs/indicators.md §2). The numbers and the "CBS 2025" source are made up for
/// the demo, not real CBS figures. Set once: a second `mtp demo` keeps them and their date.
async fn target_groups(
    store: &Store,
    org_id: Uuid,
    estimates: &[(Uuid, u32, &str)],
) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    for &(id, number, source) in estimates {
        if store
            .neighbourhood(&tenant, id)
            .await?
            .target_group
            .is_some()
        {
            continue;
        }
        let estimate = mtp_domain::TargetGroupEstimate::parse_optional(&number.to_string())
            .map_err(|e| anyhow::anyhow!("demo estimate: {e}"))?;
        let source = mtp_domain::EstimateSource::parse_optional(source)
            .map_err(|e| anyhow::anyhow!("demo estimate source: {e}"))?;
        let event = mtp_store::NewAuditEvent {
            org_id,
            actor_id: None,
            actor_role: "cli".into(),
            action: Action::NeighbourhoodTargetGroupSet,
            object_type: "neighbourhood".into(),
            object_id: Some(id),
            neighbourhood_id: Some(id),
            outcome: mtp_domain::audit::Outcome::Allowed,
            detail: format!("{number} {}", source.as_ref().map_or("", |s| s.as_str())),
        };
        store
            .set_target_group(
                &tenant,
                id,
                estimate,
                source.as_ref(),
                mtp_web::today(),
                event,
            )
            .await?;
    }
    Ok(())
}

async fn account(
    store: &Store,
    org_id: Uuid,
    label: &str,
    role: Role,
    email: &str,
    display: &str,
    nbs: &[Uuid],
) -> anyhow::Result<DemoLogin> {
    let pw = password();
    let email_p = Email::parse(email).map_err(|e| anyhow::anyhow!("demo e-mail {email}: {e}"))?;
    let password = NewPassword::parse(&pw).map_err(|e| anyhow::anyhow!("demo password: {e}"))?;
    let new = NewAccount {
        org_id,
        email: email_p.clone(),
        display_name: PersonName::parse(display).map_err(|e| anyhow::anyhow!("demo name: {e}"))?,
        role,
        password: password.clone(),
        must_change_password: false,
        neighbourhoods: nbs.to_vec(),
        partner_org_id: None,
    };
    match store.create_account(&new, None).await {
        Ok(_) => {}
        Err(StoreError::Duplicate(_)) => {
            let existing = store
                .account_by_email(&email_p)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo account {email} vanished"))?;
            store
                .set_password(existing.org_id, existing.id, &password, false, None)
                .await?;
            store
                .set_disabled(existing.org_id, existing.id, false, None)
                .await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(DemoLogin {
        label: label.into(),
        email: email.into(),
        password: pw,
    })
}

/// Whether the database already holds anything a demo could get mixed up with.
pub async fn has_data(store: &Store) -> anyhow::Result<bool> {
    Ok(!store.needs_setup().await? || store.has_accounts().await?)
}

pub async fn load(store: &Store) -> anyhow::Result<Vec<DemoLogin>> {
    let almere = organisation(store, "Welzijn Almere (demo)").await?;
    let poort = neighbourhood(store, almere, "Almere Poort", Some("WK003401")).await?;
    let haven = neighbourhood(store, almere, "Almere Haven", None).await?;
    target_groups(
        store,
        almere,
        &[(poort, 310, "CBS 2025"), (haven, 180, "eigen schatting")],
    )
    .await?;

    let mut logins = vec![
        account(
            store,
            almere,
            "admin",
            Role::Admin,
            "beheer@almere.demo.meettheparents.nl",
            "Bram Beheer",
            &[poort, haven],
        )
        .await?,
        account(
            store,
            almere,
            "coordinator",
            Role::Coordinator,
            "coordinator@almere.demo.meettheparents.nl",
            "Carla Jansen",
            &[poort],
        )
        .await?,
        account(
            store,
            almere,
            "worker",
            Role::Worker,
            "wijkwerker@almere.demo.meettheparents.nl",
            "Fatima el Amrani",
            &[poort],
        )
        .await?,
        account(
            store,
            almere,
            "host",
            Role::Host,
            "gastvrouw@almere.demo.meettheparents.nl",
            "Ineke de Vries",
            &[poort],
        )
        .await?,
        account(
            store,
            almere,
            "partner",
            Role::Partner,
            "partner@almere.demo.meettheparents.nl",
            "Jeroen Bakker",
            &[poort],
        )
        .await?,
        account(
            store,
            almere,
            "researcher",
            Role::Researcher,
            "onderzoek@almere.demo.meettheparents.nl",
            "Noor Visser",
            &[],
        )
        .await?,
    ];
    // A second worker in the other neighbourhood shows that reach follows neighbourhoods.
    account(
        store,
        almere,
        "worker-haven",
        Role::Worker,
        "wijkwerker.haven@almere.demo.meettheparents.nl",
        "Sem de Boer",
        &[haven],
    )
    .await?;

    let lelystad = organisation(store, "Welzijn Lelystad (demo)").await?;
    let atol = neighbourhood(store, lelystad, "Lelystad Atolwijk", None).await?;
    target_groups(store, lelystad, &[(atol, 260, "CBS 2025")]).await?;
    // Almere Haven's host, not printed: she shows up on Haven's rota.
    account(
        store,
        almere,
        "host-haven",
        Role::Host,
        "gastvrouw.haven@almere.demo.meettheparents.nl",
        "Hanneke Koster",
        &[haven],
    )
    .await?;
    let partners =
        partners::load(store, almere, poort, haven, chrono::Utc::now().date_naive()).await?;
    // The steps' futures are boxed: held inline, together they pass clippy's stack limit.
    Box::pin(households(store, almere, poort, haven, &partners)).await?;
    school_holidays(store, almere).await?;
    Box::pin(activities(store, almere, poort, haven)).await?;
    Box::pin(portal(store, almere, poort)).await?;
    Box::pin(referrals::load(store, almere, poort)).await?;
    Box::pin(rules::load(store, almere, poort)).await?;
    // The outings first: the beach outing's costs are in the ledger when the year's money
    // is made around them.
    Box::pin(outings::load(store, almere, poort)).await?;
    Box::pin(money::load(store, almere, &[poort, haven])).await?;
    Box::pin(referrals::load_address(store, almere, poort)).await?;
    let today = chrono::Utc::now().date_naive();
    Box::pin(help_referrals::load(store, almere, poort, today)).await?;
    Box::pin(help_referrals::load_quotes(store, almere, poort, today)).await?;
    Box::pin(outcomes::load(store, almere, poort, today)).await?;
    // A new site just starting (issue #19): its scan, plan and start-up checklist.
    Box::pin(scan::load(store, almere, today)).await?;
    Box::pin(wishes::load(store, almere, poort, today)).await?;
    // The worker's own earlier reflection on the handbook's competencies.
    Box::pin(help::load(store, almere)).await?;
    for org_id in [almere, lelystad] {
        store
            .audit(mtp_store::NewAuditEvent {
                org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: Action::DemoLoaded,
                object_type: "organisation".into(),
                object_id: Some(org_id),
                neighbourhood_id: None,
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: String::new(),
            })
            .await?;
    }
    logins.push(
        account(
            store,
            lelystad,
            "other-worker",
            Role::Worker,
            "wijkwerker@lelystad.demo.meettheparents.nl",
            "Daan Smit",
            &[atol],
        )
        .await?,
    );
    Ok(logins)
}

/// Parents in the portal: ideas with votes (the worker's "wishes of parents" on the
/// activities page) and a parent who asked for a new link with her phone number.
async fn portal(store: &Store, org_id: Uuid, poort: Uuid) -> anyhow::Result<()> {
    use mtp_domain::HouseholdStatus;
    use mtp_domain::portal::{ContactKey, IdeaKind, IdeaTitle};
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if !store.idea_demand(&tenant, poort).await?.is_empty() {
        return Ok(());
    }
    // The worker parents see on their start page (a made-up number).
    let contact = PersonName::parse("Fatima").map_err(|e| anyhow::anyhow!("demo name: {e}"))?;
    let phone = mtp_domain::PhoneNumber::parse("06-12 00 00 01")
        .map_err(|e| anyhow::anyhow!("demo phone: {e}"))?;
    store
        .set_neighbourhood_contact(&tenant, poort, Some(&contact), Some(&phone))
        .await?;
    let (households, _) = store
        .households(&tenant, &mtp_store::HouseholdFilter::default(), 100, 0)
        .await?;
    let active: Vec<Uuid> = households
        .iter()
        .filter(|h| h.status == HouseholdStatus::Active)
        .map(|h| h.id)
        .take(6)
        .collect();
    let mut scopes = Vec::new();
    for id in &active {
        let token = store.create_portal_link(&tenant, None, *id, None).await?;
        if let Ok((_, scope)) = store.use_portal_link(&token).await? {
            scopes.push(scope);
        }
    }
    let ideas = [
        (
            0,
            IdeaKind::Workshop,
            "Omgaan met geldzorgen",
            &[1, 2, 3][..],
        ),
        (1, IdeaKind::Outing, "Naar de kinderboerderij", &[4][..]),
        (
            2,
            IdeaKind::Workshop,
            "Gezond koken met weinig geld",
            &[0, 5][..],
        ),
    ];
    for (author, kind, title, voters) in ideas {
        let Some(scope) = scopes.get(author) else {
            continue;
        };
        let title = IdeaTitle::parse(title).map_err(|e| anyhow::anyhow!("demo idea: {e}"))?;
        let id = store.add_idea(scope, kind, &title, None).await?;
        for v in voters {
            if let Some(voter) = scopes.get(*v) {
                store.toggle_idea_vote(voter, id, None).await?;
            }
        }
    }
    if let Some(last) = active.last() {
        let h = store.household(&tenant, *last).await?;
        if let Some(phone) = h.parents.first().and_then(|p| p.phone.clone()) {
            store.request_portal_link(&ContactKey::Phone(phone)).await?;
        }
    }
    Ok(())
}

/// A fresh sign-in link for the first active family of the demo, so a coordinator can see
/// the parent portal too: `(first name, path)`.
pub async fn parent_link(store: &Store) -> anyhow::Result<Option<(String, String)>> {
    let Some(org) = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.name == "Welzijn Almere (demo)")
    else {
        return Ok(None);
    };
    let tenant = Tenant {
        org_id: org.id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let (households, _) = store
        .households(&tenant, &mtp_store::HouseholdFilter::default(), 100, 0)
        .await?;
    let Some(h) = households
        .iter()
        .find(|h| h.status == mtp_domain::HouseholdStatus::Active)
    else {
        return Ok(None);
    };
    let token = store.create_portal_link(&tenant, None, h.id, None).await?;
    let name = h.first_names.first().cloned().unwrap_or_default();
    Ok(Some((name, format!("/portal/link/{token}"))))
}

pub(crate) const MOTHERS: [&str; 36] = [
    "Sanne", "Fatima", "Priya", "Ayse", "Lisa", "Naima", "Kim", "Esther", "Samira", "Joyce",
    "Ilse", "Marloes", "Yasmina", "Chantal", "Dewi", "Olga", "Amal", "Rosa", "Bianca", "Merel",
    "Hanna", "Zeynep", "Sharon", "Nadia", "Ingrid", "Latifa", "Anouk", "Mariska", "Ebru", "Gloria",
    "Tamara", "Jolanda", "Kelly", "Rania", "Svetlana", "Wendy",
];
pub(crate) const FATHERS: [&str; 6] = ["Mark", "Kevin", "Youssef", "Dennis", "Ricardo", "Tom"];
pub(crate) const LAST: [&str; 14] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "El Idrissi",
    "Yilmaz",
    "Visser",
    "Smit",
    "Mulder",
    "Kramer",
    "Bos",
    "Pinas",
    "Nguyen",
    "Kowalski",
    "de Graaf",
];
pub(crate) const CHILDREN: [&str; 20] = [
    "Noah", "Emma", "Sem", "Julia", "Liam", "Mila", "Adam", "Sara", "Yusuf", "Nora", "Daan", "Zoë",
    "Milan", "Lina", "Finn", "Lotte", "Amir", "Tess", "Luca", "Ivy",
];
const INTERESTS: [&str; 6] = [
    "koken en samen eten",
    "wandelen in het park",
    "een workshop over geldzaken",
    "sporten met de kinderen",
    "naaien en handwerken",
    "uitjes naar de dierentuin",
];

/// About forty fictional households in Almere Poort: mostly single-parent, children of all
/// ages, every status, and consents given and withdrawn. Deterministic, so a demo looks the
/// same every time. Skipped when the neighbourhood already has households (`--force`).
async fn households(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    haven: Uuid,
    partners: &partners::DemoPartners,
) -> anyhow::Result<()> {
    use mtp_domain::HouseholdStatus;
    use mtp_store::HouseholdFilter;

    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if store
        .households(&tenant, &HouseholdFilter::default(), 1, 0)
        .await?
        .1
        > 0
    {
        return Ok(());
    }
    let this_year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    // Haven's first: the household list shows the newest first, so Poort's forty stay on top
    // where the other demo steps and the tests look for them.
    for h in 0..year::HAVEN_FAMILIES {
        let draft = year::haven_draft(h, this_year, haven)?;
        let id = store.create_household(&tenant, None, &draft, None).await?;
        store
            .set_household_status(&tenant, None, id, HouseholdStatus::Active, None, None)
            .await?;
        if let Some((status, why)) = year::haven_status(h) {
            store
                .set_household_status(&tenant, None, id, status, Some(why.into()), None)
                .await?;
        }
    }
    for i in 0..40usize {
        let draft = household_draft(i, this_year, poort)?;
        let id = store
            .create_household_via(&tenant, None, &draft, partners.for_household(i), None)
            .await?;
        household_status(store, &tenant, i, id).await?;
        household_consents(store, &tenant, i, id).await?;
    }
    Ok(())
}

fn person(s: &str) -> anyhow::Result<PersonName> {
    PersonName::parse(s).map_err(|e| anyhow::anyhow!("demo name {s}: {e}"))
}

/// Demo household `i` of Almere Poort: every tenth has two parents.
fn household_draft(
    i: usize,
    this_year: i32,
    poort: Uuid,
) -> anyhow::Result<mtp_store::HouseholdDraft> {
    use mtp_domain::consent::ConsentMethod;
    use mtp_domain::{HouseholdKind, Postcode4, Source};
    use mtp_store::{ChildDraft, HouseholdDraft};

    let multi = i % 10 == 9;
    let mut children = Vec::new();
    for c in 0..(1 + i % 3) {
        let age = ((i * 7 + c * 5) % 16) as i32;
        let birth = mtp_domain::ChildBirth {
            year: this_year - age - 1,
            month: ((i + c * 4) % 12 + 1) as u32,
        };
        children.push(ChildDraft {
            first_name: person(CHILDREN[(i * 3 + c) % CHILDREN.len()])?,
            birth,
        });
    }
    Ok(HouseholdDraft {
        neighbourhood_id: poort,
        kind: if multi {
            HouseholdKind::MultiParent
        } else {
            HouseholdKind::SingleParent
        },
        source: Source::ALL[i % Source::ALL.len()],
        source_partner: (i.is_multiple_of(7)).then(|| "Wijkteam Poort".to_string()),
        postcode4: Postcode4::parse_optional(["1363", "1361", "1362", "1364"][i % 4])
            .ok()
            .flatten(),
        interests: INTERESTS[i % INTERESTS.len()].into(),
        talents: if i.is_multiple_of(5) {
            "bakken, organiseren".into()
        } else {
            String::new()
        },
        notes: if i.is_multiple_of(6) {
            "Zoekt kinderopvang op woensdagochtend.".into()
        } else {
            String::new()
        },
        parents: household_parents(i, multi)?,
        children,
        data_consent: if i.is_multiple_of(2) {
            ConsentMethod::Verbal
        } else {
            ConsentMethod::Paper
        },
    })
}

/// The mother of demo household `i`, and with `multi` the father too.
fn household_parents(i: usize, multi: bool) -> anyhow::Result<Vec<mtp_store::ParentDraft>> {
    use mtp_domain::{Channel, PhoneNumber};
    use mtp_store::ParentDraft;

    let mother = MOTHERS[i % MOTHERS.len()];
    let last = LAST[i % LAST.len()];
    // 06-0000 00NN: the 060 range is not issued, so these numbers reach nobody.
    let phone = PhoneNumber::parse(&format!("06-000000{:02}", i)).ok();
    let email = if i.is_multiple_of(3) {
        Email::parse(&format!(
            "{}.{}@ouders.demo.invalid",
            mother.to_lowercase(),
            i
        ))
        .ok()
    } else {
        None
    };
    let channel = match i % 7 {
        0 if email.is_some() => Channel::Email,
        1 => Channel::Phone,
        2 => Channel::Sms,
        _ => Channel::WhatsApp,
    };
    let mut parents = vec![ParentDraft {
        first_name: person(mother)?,
        last_name: if i.is_multiple_of(4) {
            None
        } else {
            Some(person(last)?)
        },
        phone,
        email,
        channel,
        languages: [
            "Nederlands",
            "Nederlands, Arabisch",
            "Nederlands, Turks",
            "Nederlands, Engels",
        ][i % 4]
            .into(),
        works: i % 3 == 1,
        free_days: if i % 3 == 1 { vec![2, 5] } else { vec![] },
    }];
    if multi {
        parents.push(ParentDraft {
            first_name: person(FATHERS[i % FATHERS.len()])?,
            last_name: Some(person(last)?),
            phone: PhoneNumber::parse(&format!("06-000001{:02}", i)).ok(),
            email: None,
            channel: Channel::WhatsApp,
            languages: "Nederlands".into(),
            works: true,
            free_days: vec![5, 6],
        });
    }
    Ok(parents)
}

/// 4 stay "contacted"; the rest became active, and some went quiet or left since.
async fn household_status(
    store: &Store,
    tenant: &Tenant,
    i: usize,
    id: Uuid,
) -> anyhow::Result<()> {
    use mtp_domain::HouseholdStatus;
    if i % 10 != 3 {
        store
            .set_household_status(tenant, None, id, HouseholdStatus::Active, None, None)
            .await?;
    }
    if i % 8 == 5 {
        store
            .set_household_status(
                tenant,
                None,
                id,
                HouseholdStatus::Quiet,
                Some("werkt nu overdag".into()),
                None,
            )
            .await?;
    }
    if i % 13 == 12 {
        store
            .set_household_status(
                tenant,
                None,
                id,
                HouseholdStatus::Left,
                Some("verhuisd".into()),
                None,
            )
            .await?;
    }
    Ok(())
}

/// Consents given (and one for photos withdrawn) by demo household `i`, in this order.
async fn household_consents(
    store: &Store,
    tenant: &Tenant,
    i: usize,
    id: Uuid,
) -> anyhow::Result<()> {
    use mtp_domain::consent::{ConsentMethod, Purpose};
    let consents = [
        (i % 4 != 3, Purpose::ChatGroup, true, ConsentMethod::Verbal),
        (
            i.is_multiple_of(2),
            Purpose::Photos,
            true,
            ConsentMethod::Paper,
        ),
        (i % 10 == 4, Purpose::Photos, false, ConsentMethod::Verbal),
        (i % 4 == 1, Purpose::Research, true, ConsentMethod::Paper),
    ];
    for (applies, purpose, given, method) in consents {
        if applies {
            store
                .record_consent(tenant, None, id, purpose, given, method, None)
                .await?;
        }
    }
    Ok(())
}

/// A small deterministic "random" number in 0..100 for household `i` in week `w`.
fn dice(i: usize, w: usize) -> usize {
    (i.wrapping_mul(7919) ^ w.wrapping_mul(104_729)).wrapping_mul(2_654_435_761) % 100
}

/// Almere's schools' own dates for the holidays the national table lacks (spring, May and
/// summer 2027), entered on the school-holidays page as an administrator would.
///
/// These are DEMO VALUES, made up to show the feature (Saturday to Sunday, in the usual weeks
/// of region noord); they are not Almere's or the government's real dates.
async fn school_holidays(store: &Store, org_id: Uuid) -> anyhow::Result<()> {
    use chrono::NaiveDate;
    use mtp_domain::schedule::{OwnHoliday, SchoolHoliday};

    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if !store.school_holidays(&tenant).await?.is_empty() {
        return Ok(());
    }
    let day = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("demo date {y}-{m}-{d}"))
    };
    for (holiday, first, last) in [
        (SchoolHoliday::Spring, day(2027, 2, 20)?, day(2027, 2, 28)?),
        (SchoolHoliday::May, day(2027, 4, 24)?, day(2027, 5, 2)?),
        (SchoolHoliday::Summer, day(2027, 7, 17)?, day(2027, 8, 29)?),
    ] {
        let period = OwnHoliday::new(holiday, first, last)
            .map_err(|e| anyhow::anyhow!("demo holiday {holiday:?}: {e:?}"))?;
        let event = mtp_store::NewAuditEvent {
            org_id,
            actor_id: None,
            actor_role: "cli".into(),
            action: Action::SchoolHolidayAdded,
            object_type: "school_holiday".into(),
            object_id: None,
            neighbourhood_id: None,
            outcome: mtp_domain::audit::Outcome::Allowed,
            detail: String::new(),
        };
        store
            .add_school_holiday(&tenant, None, &period, event)
            .await?;
    }
    Ok(())
}

/// The programme of Almere Poort: weekly coffee hours from the story's history (five quarters
/// back, `year`) to 40 weeks ahead, not in
/// the school holidays of region noord as the organisation keeps them (its own 2027 dates
/// included, so the coming spring, May and summer holidays show as gaps) with realistic attendance and absences, an open
/// coffee hour, a movement activity with childcare, an outing with limited places, and a
/// workshop by invitation. Hosts are on the rota for the coming weeks, with one gap.
///
/// The steps run in this order because session and household ids, and so the lists built
/// from them, follow the order of creation.
async fn activities(store: &Store, org_id: Uuid, poort: Uuid, haven: Uuid) -> anyhow::Result<()> {
    use mtp_domain::HolidayRegion;
    use mtp_domain::schedule::{self, Holidays};
    use mtp_store::HouseholdFilter;

    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    if !store.activities(&tenant).await?.is_empty() {
        return Ok(());
    }
    let today = chrono::Utc::now().with_timezone(&schedule::TZ).date_naive();
    let own = store
        .school_holidays(&tenant)
        .await?
        .into_iter()
        .map(|s| s.period)
        .collect();
    let plan = Programme {
        store,
        tenant,
        neighbourhood: poort,
        today,
        holidays: Holidays::new(HolidayRegion::Noord, own),
    };
    let coffee = coffee_hours(&plan).await?;
    let open = open_coffee_hour(&plan).await?;
    let movement = movement_activity(&plan).await?;
    let outing = outing_with_waiting_list(&plan).await?;
    let workshop = workshop(&plan).await?;

    let of_poort = HouseholdFilter {
        neighbourhood_id: Some(poort),
        ..HouseholdFilter::default()
    };
    let (households, _) = store.households(&plan.tenant, &of_poort, 100, 0).await?;
    let ids = [coffee, movement, outing, workshop];
    let regulars = registrations(&plan, ids, &households).await?;

    let from = year::history_from(today);
    let sessions = store
        .activity_sessions(&plan.tenant, coffee, from, 1000)
        .await?;
    let now = chrono::Utc::now();
    let staff = year::Staff {
        host: staff_account(&plan, Role::Host, poort).await?,
        worker: staff_account(&plan, Role::Worker, poort).await?,
        second: staff_account(&plan, Role::Coordinator, poort).await?,
    };
    let regular_ids: Vec<Uuid> = regulars.iter().map(|(_, h)| h.id).collect();
    let left: Vec<Uuid> = households
        .iter()
        .filter(|h| h.status == mtp_domain::HouseholdStatus::Left)
        .map(|h| h.id)
        .collect();
    let families = year::poort_families(&regular_ids, &left);
    year::coffee_year(
        &plan,
        &sessions,
        &families,
        year::Fidelity::Faithful,
        &staff,
    )
    .await?;
    haven_year(&plan, haven, from).await?;
    open_coffee_hour_attendance(&plan, open, &households, now).await?;
    chat_group_week(&plan, &regulars).await?;
    let worker = rota(&plan, &sessions, now).await?;
    help_requests(&plan, &regulars, worker).await?;
    school_trip(&plan, &sessions, now).await
}

/// The first account with `role` in neighbourhood `nb`.
async fn staff_account(plan: &Programme<'_>, role: Role, nb: Uuid) -> anyhow::Result<Option<Uuid>> {
    Ok(plan
        .store
        .accounts(plan.tenant.org_id)
        .await?
        .into_iter()
        .find(|a| a.role == role && a.neighbourhoods.contains(&nb))
        .map(|a| a.id))
}

/// Almere Haven's open coffee hour on Thursdays, from the story's history to eight weeks
/// ahead, run less faithfully than Poort's (`year::Fidelity::Loose`).
async fn haven_year(
    plan: &Programme<'_>,
    haven: Uuid,
    from: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use mtp_domain::activity::ActivityKind;
    use mtp_store::HouseholdFilter;
    let plan = Programme {
        store: plan.store,
        tenant: plan.tenant.clone(),
        neighbourhood: haven,
        today: plan.today,
        holidays: plan.holidays.clone(),
    };
    let coffee = plan
        .store
        .create_activity(
            &plan.tenant,
            &mtp_store::ActivityDraft {
                description: "Elke donderdag koffie en thee. Iedereen is welkom.".into(),
                address: "Kruisstraat 2, Almere".into(),
                ..plan.draft(
                    ActivityKind::CoffeeHourOpen,
                    "Koffie-uurtje Haven",
                    "Buurthuis De Marken",
                )
            },
            None,
        )
        .await?;
    plan.plan_weekly_from(
        coffee,
        chrono::Weekday::Thu,
        (time(9, 30), time(10, 30)),
        year::first_day(plan.today),
        8,
    )
    .await?;
    let sessions = plan
        .store
        .activity_sessions(&plan.tenant, coffee, from, 1000)
        .await?;
    let of_haven = HouseholdFilter {
        neighbourhood_id: Some(haven),
        ..HouseholdFilter::default()
    };
    let (mut households, _) = plan
        .store
        .households(&plan.tenant, &of_haven, 100, 0)
        .await?;
    // Newest first in the list; the story counts them in the order they were registered.
    households.reverse();
    let ids: Vec<Uuid> = households.iter().map(|h| h.id).collect();
    let staff = year::Staff {
        host: staff_account(&plan, Role::Host, haven).await?,
        worker: staff_account(&plan, Role::Worker, haven).await?,
        second: None,
    };
    year::coffee_year(
        &plan,
        &sessions,
        &year::haven_families(&ids),
        year::Fidelity::Loose,
        &staff,
    )
    .await
}

/// What every step of the demo programme works with.
struct Programme<'a> {
    store: &'a Store,
    tenant: Tenant,
    /// Almere Poort, or Almere Haven for its coffee hour.
    neighbourhood: Uuid,
    today: chrono::NaiveDate,
    holidays: mtp_domain::schedule::Holidays,
}

/// A household of Almere Poort with its place in the household list.
type Regular<'a> = (usize, &'a mtp_store::HouseholdSummary);

fn time(h: u32, m: u32) -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap_or(chrono::NaiveTime::MIN)
}

impl Programme<'_> {
    fn draft(
        &self,
        kind: mtp_domain::activity::ActivityKind,
        name: &str,
        place: &str,
    ) -> mtp_store::ActivityDraft {
        let staff = kind.default_staff_minutes();
        mtp_store::ActivityDraft {
            neighbourhood_id: self.neighbourhood,
            kind,
            audience: kind.default_audience(),
            name: name.into(),
            description: String::new(),
            place: place.into(),
            address: "Fongersplaats 10, Almere".into(),
            accessibility: "Ingang zonder drempel. Plek voor kinderwagens.".into(),
            near_school: true,
            cost: mtp_domain::activity::Cost::FREE,
            capacity: None,
            childcare: false,
            staff,
        }
    }

    /// A weekly activity from `back` weeks ago to `ahead` weeks on, without the school
    /// holidays, planned from `start` to `end`.
    async fn plan_weekly(
        &self,
        activity: Uuid,
        weekday: chrono::Weekday,
        (start, end): (chrono::NaiveTime, chrono::NaiveTime),
        back: i64,
        ahead: i64,
    ) -> anyhow::Result<()> {
        let from = self.today - chrono::Duration::weeks(back);
        self.plan_weekly_from(activity, weekday, (start, end), from, ahead)
            .await
    }

    /// A weekly activity from the day `from` to `ahead` weeks on, without the school holidays.
    async fn plan_weekly_from(
        &self,
        activity: Uuid,
        weekday: chrono::Weekday,
        (start, end): (chrono::NaiveTime, chrono::NaiveTime),
        from: chrono::NaiveDate,
        ahead: i64,
    ) -> anyhow::Result<()> {
        use mtp_domain::schedule::{self, Weekly};
        let slots = Weekly {
            weekday,
            start,
            end,
            from,
            until: self.today + chrono::Duration::weeks(ahead),
            skip_school_holidays: Some(self.holidays.clone()),
        }
        .dates()
        .map_err(|e| anyhow::anyhow!("demo schedule: {e}"))?
        .into_iter()
        .map(|d| (d, schedule::slot(d, start, end)))
        .collect::<Vec<_>>();
        self.store
            .plan_sessions(&self.tenant, activity, &slots, None)
            .await?;
        Ok(())
    }

    /// A one-off activity `days` from today, from `start` to `end`.
    async fn plan_once(
        &self,
        activity: Uuid,
        days: i64,
        (start, end): (chrono::NaiveTime, chrono::NaiveTime),
    ) -> anyhow::Result<()> {
        let day = self.today + chrono::Duration::days(days);
        self.store
            .plan_sessions(
                &self.tenant,
                activity,
                &[(day, mtp_domain::schedule::slot(day, start, end))],
                None,
            )
            .await?;
        Ok(())
    }
}

/// The coffee hours of Almere Poort: every Wednesday, from the story's history (`year`) to 40
/// weeks ahead.
async fn coffee_hours(plan: &Programme<'_>) -> anyhow::Result<Uuid> {
    use mtp_domain::activity::ActivityKind;
    let coffee = plan.store
        .create_activity(
            &plan.tenant,
            &mtp_store::ActivityDraft {
                description: "Elke woensdag koffie, thee en gezonde hapjes. De kinderen spelen in de zaal ernaast.".into(),
                ..plan.draft(ActivityKind::CoffeeHourExclusive, "Koffie-uurtje Poort", "Buurthuis De Schakel")
            }, None)
        .await?;
    plan.plan_weekly_from(
        coffee,
        chrono::Weekday::Wed,
        (time(9, 30), time(10, 30)),
        year::first_day(plan.today),
        40,
    )
    .await?;
    Ok(coffee)
}

/// The open coffee hour in the library: Thursdays, 3 weeks back to 8 ahead.
async fn open_coffee_hour(plan: &Programme<'_>) -> anyhow::Result<Uuid> {
    use mtp_domain::activity::ActivityKind;
    let open = plan
        .store
        .create_activity(
            &plan.tenant,
            &plan.draft(
                ActivityKind::CoffeeHourOpen,
                "Koffie-uurtje voor iedereen",
                "Bibliotheek Poort",
            ),
            None,
        )
        .await?;
    plan.plan_weekly(open, chrono::Weekday::Thu, (time(14, 0), time(15, 0)), 3, 8)
        .await?;
    Ok(open)
}

/// The movement activity with childcare: Saturdays, the coming 8 weeks.
async fn movement_activity(plan: &Programme<'_>) -> anyhow::Result<Uuid> {
    use mtp_domain::activity::ActivityKind;
    let movement = plan
        .store
        .create_activity(
            &plan.tenant,
            &mtp_store::ActivityDraft {
                childcare: true,
                ..plan.draft(ActivityKind::Movement, "Samen bewegen", "Gymzaal Poort")
            },
            None,
        )
        .await?;
    plan.plan_weekly(
        movement,
        chrono::Weekday::Sat,
        (time(10, 0), time(11, 0)),
        0,
        8,
    )
    .await?;
    Ok(movement)
}

/// The outing to the children's farm, with 12 places (more register, so a waiting list).
async fn outing_with_waiting_list(plan: &Programme<'_>) -> anyhow::Result<Uuid> {
    use mtp_domain::activity::ActivityKind;
    let outing = plan
        .store
        .create_activity(
            &plan.tenant,
            &mtp_store::ActivityDraft {
                capacity: Some(12),
                ..plan.draft(
                    ActivityKind::Outing,
                    "Uitje naar de kinderboerderij",
                    "Kinderboerderij Almere",
                )
            },
            None,
        )
        .await?;
    plan.plan_once(outing, 24, (time(10, 0), time(14, 0)))
        .await?;
    Ok(outing)
}

/// The workshop on money the parents asked for, by invitation.
async fn workshop(plan: &Programme<'_>) -> anyhow::Result<Uuid> {
    use mtp_domain::activity::{ActivityKind, Audience};
    let workshop = plan
        .store
        .create_activity(
            &plan.tenant,
            &mtp_store::ActivityDraft {
                audience: Audience::Tailored,
                description: "De ouders vroegen om tips over geld en toeslagen.".into(),
                ..plan.draft(
                    ActivityKind::Workshop,
                    "Workshop: rondkomen met je geld",
                    "Buurthuis De Schakel",
                )
            },
            None,
        )
        .await?;
    plan.plan_once(workshop, 16, (time(19, 30), time(21, 0)))
        .await?;
    Ok(workshop)
}

/// Who comes: the single-parent households that take part register for the coffee hour (the
/// regulars, returned); everyone may come to the open activities. `[coffee, movement, outing,
/// workshop]`.
async fn registrations<'h>(
    plan: &Programme<'_>,
    [coffee, movement, outing, workshop]: [Uuid; 4],
    households: &'h [mtp_store::HouseholdSummary],
) -> anyhow::Result<Vec<Regular<'h>>> {
    use mtp_domain::{HouseholdKind, HouseholdStatus};
    let (store, tenant) = (plan.store, &plan.tenant);
    let mut regulars = Vec::new();
    for (i, h) in households.iter().enumerate() {
        let taking_part = matches!(h.status, HouseholdStatus::Active | HouseholdStatus::Quiet);
        if h.kind == HouseholdKind::SingleParent && taking_part {
            store.register(tenant, None, coffee, h.id, None).await?;
            regulars.push((i, h));
        }
        // The WhatsApp group: everyone taking part who said yes to it; the first one helps
        // moderate.
        if taking_part {
            match store.chat_join(tenant, None, h.id, i == 0, None).await {
                Ok(()) | Err(mtp_store::StoreError::Refused(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if taking_part && i % 3 == 0 {
            store.register(tenant, None, movement, h.id, None).await?;
        }
        if taking_part && i % 4 == 1 {
            store.register(tenant, None, outing, h.id, None).await?;
        }
        if taking_part && i % 5 == 2 {
            store.invite(tenant, workshop, h.id, None).await?;
            store.register(tenant, None, workshop, h.id, None).await?;
        }
    }
    Ok(regulars)
}

/// The open coffee hour of the last weeks: two-parent families came too, and the worker
/// ticked who of the two was there (attendance per person).
async fn open_coffee_hour_attendance(
    plan: &Programme<'_>,
    open: Uuid,
    households: &[mtp_store::HouseholdSummary],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use mtp_domain::attendance::{AttendanceStatus, SessionState};
    use mtp_domain::{HouseholdKind, HouseholdStatus};
    let (store, tenant) = (plan.store, &plan.tenant);
    let couples: Vec<_> = households
        .iter()
        .filter(|h| h.kind == HouseholdKind::MultiParent)
        .filter(|h| matches!(h.status, HouseholdStatus::Active | HouseholdStatus::Quiet))
        .collect();
    let open_past = store
        .activity_sessions(tenant, open, now - chrono::Duration::weeks(5), 10)
        .await?;
    for (w, s) in open_past.iter().filter(|s| s.ends_at < now).enumerate() {
        for (i, h) in couples.iter().enumerate() {
            let parents: Vec<Uuid> = store
                .household(tenant, h.id)
                .await?
                .parents
                .iter()
                .map(|p| p.id)
                .collect();
            // Mostly the mother alone, now and then both.
            let came: Vec<Uuid> = if (w + i) % 3 == 0 {
                parents.clone()
            } else {
                parents.iter().take(1).copied().collect()
            };
            let checkin = mtp_store::Checkin {
                session_id: s.id,
                household_id: h.id,
                status: Some(AttendanceStatus::Present),
                reason: None,
                adults: 1,
                children: u32::try_from(dice(i, w) % 3).unwrap_or(0),
                parents: Some(came),
                key: None,
                at: None,
            };
            let event = mtp_store::NewAuditEvent {
                org_id: tenant.org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: Action::AttendanceLoaded,
                object_type: "household".into(),
                object_id: Some(h.id),
                neighbourhood_id: Some(plan.neighbourhood),
                outcome: mtp_domain::audit::Outcome::Allowed,
                detail: format!("demo session={} status=present", s.id),
            };
            store
                .record_attendance(tenant, s, None, &checkin, event)
                .await?;
        }
        store
            .set_session_state(tenant, s.id, SessionState::Held, None)
            .await?;
    }
    Ok(())
}

/// This week in the chat group: someone left last week ("too many messages"), so the
/// worklist asks for a word; the worker's announcements count against the weekly budget.
async fn chat_group_week(plan: &Programme<'_>, regulars: &[Regular<'_>]) -> anyhow::Result<()> {
    if let Some((_, h)) = regulars.get(3) {
        plan.store
            .chat_leave(&plan.tenant, None, h.id, "too_many_messages", None)
            .await?;
    }
    for text in [
        "Woensdag is er weer koffie-uurtje in het buurthuis, van 9.30 tot 10.30 uur. Tot dan.",
        "Wie gaat er mee naar de kinderboerderij? Laat het even weten.",
    ] {
        plan.store
            .chat_post(&plan.tenant, None, plan.neighbourhood, text)
            .await?;
    }
    Ok(())
}

/// The rota: the host is asked for the coming coffee hours; she said yes to all but the
/// third, which shows as a gap. The worker of Almere Poort is on all four; returns her id.
async fn rota(
    plan: &Programme<'_>,
    sessions: &[mtp_store::SessionSummary],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Option<Uuid>> {
    use mtp_domain::attendance::HostReply;
    let (store, tenant, org_id) = (plan.store, &plan.tenant, plan.tenant.org_id);
    let host = store
        .accounts(org_id)
        .await?
        .into_iter()
        .find(|a| a.role == Role::Host && a.neighbourhoods.contains(&plan.neighbourhood))
        .map(|a| a.id);
    let worker = store
        .accounts(org_id)
        .await?
        .into_iter()
        .find(|a| a.role == Role::Worker && a.neighbourhoods.contains(&plan.neighbourhood))
        .map(|a| a.id);
    let upcoming: Vec<_> = sessions
        .iter()
        .filter(|s| s.starts_at > now)
        .take(4)
        .collect();
    for (k, s) in upcoming.iter().enumerate() {
        if let Some(host) = host {
            let reply = match k {
                2 => HostReply::Declined,
                3 => HostReply::Asked,
                _ => HostReply::Confirmed,
            };
            store
                .set_session_staff(tenant, s.id, host, reply, None)
                .await?;
        }
        if let Some(worker) = worker {
            store
                .set_session_staff(tenant, s.id, worker, HostReply::Confirmed, None)
                .await?;
        }
    }
    Ok(worker)
}

/// Two families asked for help when the worker spoke to them: open tasks on the weekly
/// overview (/encourage), one for today and one later this week, each with its note, which
/// the worklist card also shows ("Laatst gesproken: …").
async fn help_requests(
    plan: &Programme<'_>,
    regulars: &[Regular<'_>],
    worker: Option<Uuid>,
) -> anyhow::Result<()> {
    let today = chrono::Utc::now()
        .with_timezone(&mtp_domain::schedule::TZ)
        .date_naive();
    for (k, days, note) in [
        (
            4,
            0,
            "Zoekt hulp bij het aanvragen van toeslag. Samen met het wijkteam terugbellen.",
        ),
        (
            6,
            3,
            "Vraagt naar kinderopvang tijdens de beweegactiviteit.",
        ),
    ] {
        let Some((_, h)) = regulars.get(k) else {
            continue;
        };
        let contact = mtp_store::NewContact {
            household_id: h.id,
            channel: mtp_domain::message::ContactChannel::Phone,
            outcome: mtp_domain::message::ContactOutcome::NeedsHelp,
            note: note.into(),
            follow_up_on: Some(today + chrono::Duration::days(days)),
        };
        let event = mtp_store::NewAuditEvent {
            org_id: plan.tenant.org_id,
            actor_id: worker,
            actor_role: "cli".into(),
            action: Action::HouseholdContactLogged,
            object_type: "household".into(),
            object_id: Some(h.id),
            neighbourhood_id: Some(plan.neighbourhood),
            outcome: mtp_domain::audit::Outcome::Allowed,
            detail: "demo channel=phone outcome=needs_help".into(),
        };
        plan.store
            .record_contact(&plan.tenant, None, worker, &contact, event)
            .await?;
    }
    Ok(())
}

/// The sixth coming week is the school trip: cancelled, so calendars show it struck out.
async fn school_trip(
    plan: &Programme<'_>,
    sessions: &[mtp_store::SessionSummary],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use mtp_domain::attendance::SessionState;
    if let Some(s) = sessions.iter().filter(|s| s.starts_at > now).nth(5) {
        plan.store
            .set_session_state(&plan.tenant, s.id, SessionState::Cancelled, None)
            .await?;
    }
    Ok(())
}

/// Synthetic households in the demo's Almere Poort, in transactions of 5,000, for benchmarks.
/// Names and numbers are made up and deterministic.
pub async fn generate(store: &Store, n: usize) -> anyhow::Result<usize> {
    use mtp_domain::consent::ConsentMethod;
    use mtp_domain::{Channel, ChildBirth, HouseholdKind, PhoneNumber, Source};
    use mtp_store::{ChildDraft, HouseholdDraft, ParentDraft};

    let org = store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.name == "Welzijn Almere (demo)")
        .ok_or_else(|| anyhow::anyhow!("load the demo first: mtp demo"))?;
    let tenant = Tenant {
        org_id: org.id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let poort = store
        .neighbourhoods(&tenant)
        .await?
        .into_iter()
        .find(|x| x.name == "Almere Poort")
        .ok_or_else(|| anyhow::anyhow!("the demo has no Almere Poort"))?
        .id;
    let person = |s: &str| PersonName::parse(s).map_err(|e| anyhow::anyhow!("{e}"));
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(5_000);
        let mut drafts = Vec::with_capacity(batch);
        for k in done..done + batch {
            drafts.push(HouseholdDraft {
                neighbourhood_id: poort,
                kind: if k % 10 == 9 {
                    HouseholdKind::MultiParent
                } else {
                    HouseholdKind::SingleParent
                },
                source: Source::ALL[k % Source::ALL.len()],
                source_partner: None,
                postcode4: None,
                interests: String::new(),
                talents: String::new(),
                notes: String::new(),
                parents: vec![ParentDraft {
                    first_name: person(MOTHERS[k % MOTHERS.len()])?,
                    last_name: Some(person(&format!("{} {}", LAST[k % LAST.len()], k))?),
                    // +31 6 1xxxxxxx: fine for a throw-away benchmark database only.
                    phone: PhoneNumber::parse(&format!("06-1{:07}", k % 10_000_000)).ok(),
                    email: None,
                    channel: Channel::WhatsApp,
                    languages: String::new(),
                    works: k % 3 == 0,
                    free_days: vec![],
                }],
                children: vec![ChildDraft {
                    first_name: person(CHILDREN[k % CHILDREN.len()])?,
                    birth: ChildBirth {
                        year: 2012 + (k % 12) as i32,
                        month: (k % 12 + 1) as u32,
                    },
                }],
                data_consent: ConsentMethod::Paper,
            });
        }
        store.create_households_bulk(&tenant, &drafts).await?;
        done += batch;
    }
    store.analyze().await?;
    Ok(done)
}

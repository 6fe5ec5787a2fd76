//! `mtp demo`: a living, fictional neighbourhood so a newcomer sees the system at work.
//!
//! Everyone in it is made up. The demo is idempotent with `--force`: organisations and
//! neighbourhoods are found by name, and existing demo accounts get a fresh password, so the
//! printed credentials always work.

use mtp_domain::{CbsCode, Email, HolidayRegion, NewPassword, PersonName, PlaceName, Role, Tenant};
use mtp_store::{NewAccount, Store, StoreError};
use rand::RngCore;
use uuid::Uuid;

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
        .create_neighbourhood(org_id, &name(nb_name)?, code.as_ref())
        .await?)
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
    };
    match store.create_account(&new).await {
        Ok(_) => {}
        Err(StoreError::Duplicate(_)) => {
            let existing = store
                .account_by_email(&email_p)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo account {email} vanished"))?;
            store
                .set_password(existing.org_id, existing.id, &password, false)
                .await?;
            store
                .set_disabled(existing.org_id, existing.id, false)
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
    for org_id in [almere, lelystad] {
        store
            .audit(mtp_store::NewAuditEvent {
                org_id,
                actor_id: None,
                actor_role: "cli".into(),
                action: "demo.loaded".into(),
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

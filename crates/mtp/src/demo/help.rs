//! The demo worker's earlier reflection on the handbook's competencies (issue #19,
//! docs/guide/help.md#my-reflection): six weeks ago Fatima rated most skills as going well
//! and two as ones to work on, with a short note. Only she sees it when she signs in.

use chrono::{Duration, Utc};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::reflection::{COMPETENCIES, ReflectionDraft, field};
use mtp_domain::{Email, Role, Tenant};
use mtp_store::{NewAuditEvent, Store};
use uuid::Uuid;

/// The note of the demo reflection; the tests look for it.
pub const NOTE: &str =
    "Vaker bellen als iemand twee keer niet kwam. De groep-app 's avonds vaker lezen.";

pub async fn load(store: &Store, org_id: Uuid) -> anyhow::Result<()> {
    let email = Email::parse("wijkwerker@almere.demo.meettheparents.nl")
        .map_err(|e| anyhow::anyhow!("demo e-mail: {e}"))?;
    let Some(worker) = store.account_by_email(&email).await? else {
        return Ok(());
    };
    let tenant = Tenant {
        org_id,
        role: Role::Worker,
        neighbourhoods: Vec::new(),
    };
    if !store.my_reflections(&tenant, worker.id).await?.is_empty() {
        return Ok(());
    }
    let grow = ["encourage", "whatsapp"];
    let form: Vec<(String, &str)> = COMPETENCIES
        .iter()
        .map(|c| (field(c), if grow.contains(c) { "grow" } else { "good" }))
        .chain(std::iter::once(("note".to_string(), NOTE)))
        .collect();
    let draft = ReflectionDraft::parse(|k| {
        form.iter()
            .find(|(name, _)| name == k)
            .map_or("", |(_, v)| *v)
    })
    .map_err(|e| anyhow::anyhow!("demo reflection: {e:?}"))?;
    let audit = NewAuditEvent {
        org_id,
        actor_id: Some(worker.id),
        actor_role: Role::Worker.as_str().into(),
        action: Action::ReflectionSaved,
        object_type: "account".into(),
        object_id: Some(worker.id),
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: "demo".into(),
    };
    store
        .add_reflection(
            &tenant,
            worker.id,
            &draft,
            Utc::now() - Duration::weeks(6),
            audit,
        )
        .await?;
    Ok(())
}

//! The demo's partner organisations (docs/guide/partners.md): five partners of Almere, each
//! with a contact person and briefings; the demo's partner account belongs to the school, and
//! some Poort families came through a partner.

use chrono::{Duration, NaiveDate};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::partner::{
    BriefingDraft, BriefingForm, ContactDraft, ContactForm, PartnerDraft, PartnerForm, PartnerKind,
};
use mtp_domain::{Email, Role, Tenant};
use mtp_store::{NewAuditEvent, PartnerFilter, Store};
use uuid::Uuid;

/// The partners families of the demo came through, by their `Source`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoPartners {
    pub school: Option<Uuid>,
    pub youth_health_care: Option<Uuid>,
    pub neighbourhood_team: Option<Uuid>,
}

impl DemoPartners {
    /// The partner Poort household `i` came through (the demo's `household_draft` gives it
    /// the matching source), for a few of them.
    pub fn for_household(&self, i: usize) -> Option<Uuid> {
        match i % 7 {
            0 => self.neighbourhood_team,
            1 => self.school,
            2 if i < 20 => self.youth_health_care,
            _ => None,
        }
    }
}

struct Spec {
    name: &'static str,
    kind: PartnerKind,
    refers: bool,
    offers: bool,
    receives: bool,
    note: &'static str,
    haven_too: bool,
    contact: (&'static str, &'static str, &'static str, &'static str),
    /// Days ago, who gave it (an account's e-mail address), what was presented.
    briefings: &'static [(i64, &'static str, &'static str)],
}

const COORDINATOR: &str = "coordinator@almere.demo.meettheparents.nl";
const WORKER: &str = "wijkwerker@almere.demo.meettheparents.nl";

const SPECS: [Spec; 5] = [
    Spec {
        name: "Basisschool De Regenboog",
        kind: PartnerKind::School,
        refers: true,
        offers: true,
        receives: false,
        note: "Het koffie-uur mag in het speellokaal als het buurthuis dicht is.",
        haven_too: false,
        contact: (
            "Ellen Bos",
            "intern begeleider",
            "06-41234567",
            "e.bos@regenboog.demo.meettheparents.nl",
        ),
        briefings: &[
            (
                200,
                COORDINATOR,
                "Voorlichting in het teamoverleg: folder en filmpje van Meet the Parents.",
            ),
            (
                30,
                WORKER,
                "Bij de ouderavond van groep 1–4 verteld over het koffie-uur; flyers achtergelaten.",
            ),
        ],
    },
    Spec {
        name: "JGZ Almere Poort",
        kind: PartnerKind::YouthHealthCare,
        refers: true,
        offers: false,
        receives: true,
        note: "",
        haven_too: false,
        contact: ("Mirjam de Groot", "jeugdverpleegkundige", "036-5123456", ""),
        briefings: &[(
            120,
            WORKER,
            "Kort verteld in het overleg van de jeugdverpleegkundigen; folder meegegeven.",
        )],
    },
    Spec {
        name: "Wijkteam Poort",
        kind: PartnerKind::NeighbourhoodTeam,
        refers: true,
        offers: false,
        receives: true,
        note: "Overleg elke tweede dinsdag van de maand.",
        haven_too: true,
        contact: (
            "Karim Ouali",
            "wijkcoach",
            "06-48765432",
            "k.ouali@wijkteam.demo.meettheparents.nl",
        ),
        briefings: &[
            (
                300,
                COORDINATOR,
                "Meet the Parents voorgesteld aan het hele wijkteam.",
            ),
            (
                14,
                COORDINATOR,
                "Cijfers van het afgelopen jaar en twee verhalen van moeders gedeeld.",
            ),
        ],
    },
    Spec {
        name: "Buurtsportcoach Poort",
        kind: PartnerKind::SportsCoach,
        refers: true,
        offers: true,
        receives: false,
        note: "Geeft de beweegactiviteit in de gymzaal.",
        haven_too: false,
        contact: ("Sanne Mulder", "buurtsportcoach", "06-47654321", ""),
        briefings: &[(
            60,
            WORKER,
            "Samen de beweegactiviteit voor ouders en kinderen besproken.",
        )],
    },
    Spec {
        name: "Schuldhulp Almere",
        kind: PartnerKind::DebtHelp,
        refers: false,
        offers: false,
        receives: true,
        note: "Inloopspreekuur op donderdagochtend, zonder afspraak.",
        haven_too: true,
        contact: (
            "Peter Smits",
            "schuldhulpverlener",
            "",
            "p.smits@schuldhulp.demo.meettheparents.nl",
        ),
        briefings: &[(
            90,
            COORDINATOR,
            "Afspraken gemaakt over doorverwijzen; folder van het spreekuur voor de koffietafel.",
        )],
    },
];

/// The audit entry of a change the demo makes (no account); the store names the object.
pub(super) fn cli_event(org_id: Uuid, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "partner".into(),
        object_id: None,
        neighbourhood_id: None,
        outcome: Outcome::Allowed,
        detail: String::new(),
    }
}

fn err<E: std::fmt::Debug>(what: &str) -> impl Fn(E) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo partner {what}: {e:?}")
}

/// The five partners, made once: a second `mtp demo --force` finds them by name. The
/// partner account is put in the school either way.
pub async fn load(
    store: &Store,
    org_id: Uuid,
    poort: Uuid,
    haven: Uuid,
    today: NaiveDate,
) -> anyhow::Result<DemoPartners> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let existing = store.partners(&tenant, &PartnerFilter::default()).await?;
    let mut ids = Vec::new();
    for spec in &SPECS {
        if let Some(p) = existing.iter().find(|p| p.name == spec.name) {
            ids.push(p.id);
            continue;
        }
        ids.push(create(store, &tenant, spec, poort, haven, today).await?);
    }
    let by_kind = |kind: PartnerKind| {
        SPECS
            .iter()
            .zip(&ids)
            .find(|(s, _)| s.kind == kind)
            .map(|(_, id)| *id)
    };
    let partners = DemoPartners {
        school: by_kind(PartnerKind::School),
        youth_health_care: by_kind(PartnerKind::YouthHealthCare),
        neighbourhood_team: by_kind(PartnerKind::NeighbourhoodTeam),
    };
    let partner_login =
        Email::parse("partner@almere.demo.meettheparents.nl").map_err(err("partner e-mail"))?;
    if let Some(account) = store.account_by_email(&partner_login).await? {
        store
            .set_account_partner(org_id, account.id, partners.school)
            .await?;
    }
    Ok(partners)
}

async fn create(
    store: &Store,
    tenant: &Tenant,
    spec: &Spec,
    poort: Uuid,
    haven: Uuid,
    today: NaiveDate,
) -> anyhow::Result<Uuid> {
    let (poort_s, haven_s) = (poort.to_string(), haven.to_string());
    let mut neighbourhoods = vec![poort_s.as_str()];
    if spec.haven_too {
        neighbourhoods.push(haven_s.as_str());
    }
    let draft = PartnerDraft::parse(&PartnerForm {
        name: spec.name,
        kind: spec.kind.as_str(),
        refers_families: spec.refers,
        offers_activity: spec.offers,
        receives_referrals: spec.receives,
        note: spec.note,
        neighbourhoods,
    })
    .map_err(err(spec.name))?;
    let id = store
        .create_partner(
            tenant,
            None,
            &draft,
            cli_event(tenant.org_id, Action::PartnerCreated),
        )
        .await?;
    let (name, role, phone, email) = spec.contact;
    let contact = ContactDraft::parse(&ContactForm {
        name,
        role,
        phone,
        email,
    })
    .map_err(err(name))?;
    store
        .add_partner_contact(
            tenant,
            id,
            &contact,
            cli_event(tenant.org_id, Action::PartnerContactAdded),
        )
        .await?;
    for (days_ago, by, presented) in spec.briefings {
        let by = Email::parse(by).map_err(err("briefing e-mail"))?;
        let Some(giver) = store.account_by_email(&by).await? else {
            continue;
        };
        let (on, giver) = (
            (today - Duration::days(*days_ago)).to_string(),
            giver.id.to_string(),
        );
        let briefing = BriefingDraft::parse(
            &BriefingForm {
                given_on: &on,
                given_by: &giver,
                presented,
            },
            today,
        )
        .map_err(err("briefing"))?;
        store
            .add_briefing(
                tenant,
                None,
                id,
                &briefing,
                cli_event(tenant.org_id, Action::PartnerBriefingAdded),
            )
            .await?;
    }
    Ok(id)
}

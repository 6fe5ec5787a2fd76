//! What a partner account's start page shows (docs/guide/partners.md): the partner
//! organisation it belongs to and that organisation's contact with the team — the
//! neighbourhoods it works in, whom to call there, and the last briefing. Nothing about
//! families.

use crate::AppState;
use crate::ctx::User;
use crate::error::AppError;
use crate::i18n::Tr;

pub struct TeamContact {
    pub neighbourhood: String,
    pub name: String,
    pub phone: String,
    pub phone_href: String,
}

pub struct PartnerHome {
    pub name: String,
    pub kind: String,
    pub team: Vec<TeamContact>,
    pub last_contact: String,
    /// Date, who gave it, what was presented.
    pub last_briefing: Option<(String, String, String)>,
}

/// The start page's partner section: `None` for every role but partner; for a partner
/// account without (or with a deleted) partner organisation, `Some(None)`.
pub async fn load(
    state: &AppState,
    user: &User,
    t: &Tr,
) -> Result<Option<Option<PartnerHome>>, AppError> {
    if user.role() != mtp_domain::Role::Partner {
        return Ok(None);
    }
    let Some(d) = state
        .store
        .own_partner(user.org.id, user.account.partner_org_id)
        .await?
    else {
        return Ok(Some(None));
    };
    let team = state
        .store
        .partner_team(user.org.id, d.partner.id)
        .await?
        .into_iter()
        .map(|n| TeamContact {
            neighbourhood: n.name,
            name: n.contact_name,
            phone: n
                .contact_phone
                .as_ref()
                .map(|p| p.display())
                .unwrap_or_default(),
            phone_href: n
                .contact_phone
                .as_ref()
                .map(|p| format!("tel:{}", p.e164()))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Some(Some(PartnerHome {
        name: d.partner.name.clone(),
        kind: t.label(&d.partner.kind),
        team,
        last_contact: d
            .partner
            .last_contact
            .map(|day| t.day(day))
            .unwrap_or_else(|| t.get("partner-no-contact-yet")),
        last_briefing: d
            .briefings
            .into_iter()
            .next()
            .map(|b| (t.day(b.given_on), b.given_by_name, b.presented)),
    })))
}

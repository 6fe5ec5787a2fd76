//! The report's referral figures (issue #16; docs/guide/reports.md#referrals): the inbound
//! referrals of a period as `mtp_domain::referral_figures` counts them. Kept apart from the
//! report's own queries (`crate::reports`). Reach: the tenant's neighbourhoods, narrowed to
//! the report's choice; no name or contact detail leaves this module.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mtp_domain::Tenant;
use mtp_domain::partner::PartnerKind;
use mtp_domain::referral::{PartnerStatus, ReferralState};
use mtp_domain::referral_figures::InboundInput;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{inbound_referral, partner_org};
use crate::referrals::statuses_of;
use crate::{Result, Store};

impl Store {
    /// The inbound referrals made from `from` until before `until` in the chosen
    /// neighbourhoods that the tenant may see, as the figures count them. The first contact
    /// is when the referral became (or joined) a household.
    pub async fn inbound_referral_figures(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<InboundInput>> {
        let chosen: Vec<Uuid> = neighbourhoods
            .iter()
            .copied()
            .filter(|nb| tenant.may_see_neighbourhood(tenant.org_id, *nb))
            .collect();
        let rows = inbound_referral::Entity::find()
            .filter(inbound_referral::Column::OrgId.eq(tenant.org_id))
            .filter(inbound_referral::Column::NeighbourhoodId.is_in(chosen))
            .filter(inbound_referral::Column::CreatedAt.gte(from))
            .filter(inbound_referral::Column::CreatedAt.lt(until))
            .all(&self.db)
            .await?;
        let partners: HashMap<Uuid, partner_org::Model> = partner_org::Entity::find()
            .filter(partner_org::Column::OrgId.eq(tenant.org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let statuses = statuses_of(&self.db, tenant.org_id, &rows).await?;
        Ok(rows
            .iter()
            .zip(statuses)
            .map(|(r, (status, _))| {
                let partner = partners.get(&r.partner_id);
                InboundInput {
                    partner: partner.map(|p| p.name.clone()).unwrap_or_default(),
                    kind: partner
                        .and_then(|p| PartnerKind::parse(&p.kind).ok())
                        .unwrap_or(PartnerKind::Other),
                    referred_at: r.created_at,
                    contact_at: (ReferralState::parse(&r.state) == Some(ReferralState::Household))
                        .then_some(r.changed_at),
                    joined: status == PartnerStatus::Joined,
                }
            })
            .collect())
    }
}

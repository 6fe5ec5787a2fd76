//! Calendar feeds: a neighbourhood's public programme, and a household's own sessions behind a
//! secret, revocable address. Only the SHA-256 of a household's token is stored.

use chrono::{DateTime, Duration, Utc};
use mtp_domain::Tenant;
use mtp_domain::activity::Audience;
use sea_orm::ActiveModelTrait;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::activities::SessionSummary;
use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{activity, calendar_feed, neighbourhood, registration, rsvp, session};
use crate::sign_in::{random_token, token_hash};
use crate::{Result, Store, StoreError, now};

/// How far back and ahead a feed reaches: recent sessions stay visible a while, a year ahead
/// covers the planning of a weekly series.
const FEED_PAST: Duration = Duration::days(60);
const FEED_AHEAD: Duration = Duration::days(400);
/// The most events one feed carries.
const FEED_MAX: u64 = 1000;

/// What a feed holds.
#[derive(Debug, Clone)]
pub struct Feed {
    pub name: String,
    pub sessions: Vec<SessionSummary>,
}

impl Store {
    /// A new secret feed address for a household; an earlier address stops working. Returns
    /// the token, which is shown once and never stored.
    pub async fn renew_calendar_feed(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<String> {
        let h = self.household_row(tenant, household_id).await?;
        let token = random_token();
        let txn = self.db.begin().await?;
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::RevokedAt, Some(now()).into())
            .filter(calendar_feed::Column::OrgId.eq(h.org_id))
            .filter(calendar_feed::Column::HouseholdId.eq(h.id))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        calendar_feed::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(h.org_id),
            household_id: Set(h.id),
            token_hash: Set(token_hash(&token)),
            created_at: Set(now()),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(token)
    }

    /// Stop a household's feed address, with the audit entry.
    pub async fn revoke_calendar_feed(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let h = self.household_row(tenant, household_id).await?;
        let txn = self.db.begin().await?;
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::RevokedAt, Some(now()).into())
            .filter(calendar_feed::Column::OrgId.eq(h.org_id))
            .filter(calendar_feed::Column::HouseholdId.eq(h.id))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether a household has a working feed address (the address itself cannot be shown
    /// again).
    pub async fn has_calendar_feed(&self, tenant: &Tenant, household_id: Uuid) -> Result<bool> {
        let h = self.household_row(tenant, household_id).await?;
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::OrgId.eq(h.org_id))
            .filter(calendar_feed::Column::HouseholdId.eq(h.id))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .is_some())
    }

    /// The sessions behind a household's secret address: of the activities it is registered
    /// for, and those it said it would come to. `None` for an unknown or revoked token.
    pub async fn household_feed(&self, token: &str, at: DateTime<Utc>) -> Result<Option<Feed>> {
        let Some(feed) = calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(token_hash(token)))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let org = feed.org_id;
        let activities: Vec<Uuid> = registration::Entity::find()
            .select_only()
            .column(registration::Column::ActivityId)
            .filter(registration::Column::OrgId.eq(org))
            .filter(registration::Column::HouseholdId.eq(feed.household_id))
            .filter(registration::Column::State.eq("registered"))
            .into_tuple()
            .all(&self.db)
            .await?;
        let said_yes: Vec<Uuid> = rsvp::Entity::find()
            .select_only()
            .column(rsvp::Column::SessionId)
            .filter(rsvp::Column::OrgId.eq(org))
            .filter(rsvp::Column::HouseholdId.eq(feed.household_id))
            .filter(rsvp::Column::Coming.eq(true))
            .into_tuple()
            .all(&self.db)
            .await?;
        let rows = session::Entity::find()
            .filter(session::Column::OrgId.eq(org))
            .filter(
                sea_orm::Condition::any()
                    .add(session::Column::ActivityId.is_in(activities))
                    .add(session::Column::Id.is_in(said_yes)),
            )
            .filter(session::Column::EndsAt.gte(at - FEED_PAST))
            .filter(session::Column::StartsAt.lt(at + FEED_AHEAD))
            .order_by_asc(session::Column::StartsAt)
            .limit(FEED_MAX)
            .all(&self.db)
            .await?;
        Ok(Some(Feed {
            name: "Meet the Parents".into(),
            sessions: self.summaries(org, rows).await?,
        }))
    }

    /// A neighbourhood's public programme: every activity that is not by invitation. It
    /// names activities, places and times, never a family.
    pub async fn neighbourhood_feed(
        &self,
        neighbourhood_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Feed> {
        let nb = neighbourhood::Entity::find_by_id(neighbourhood_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let public: Vec<Uuid> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .filter(activity::Column::OrgId.eq(nb.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(nb.id))
            .filter(activity::Column::Audience.ne(Audience::Tailored.as_str()))
            .filter(activity::Column::ArchivedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let rows = session::Entity::find()
            .filter(session::Column::OrgId.eq(nb.org_id))
            .filter(session::Column::NeighbourhoodId.eq(nb.id))
            .filter(session::Column::ActivityId.is_in(public))
            .filter(session::Column::EndsAt.gte(at - FEED_PAST))
            .filter(session::Column::StartsAt.lt(at + FEED_AHEAD))
            .order_by_asc(session::Column::StartsAt)
            .limit(FEED_MAX)
            .all(&self.db)
            .await?;
        Ok(Feed {
            name: format!("Meet the Parents {}", nb.name),
            sessions: self.summaries(nb.org_id, rows).await?,
        })
    }
}

//! The chat-group register of a neighbourhood (handbook §3.3): who is in the WhatsApp group,
//! who left and why, who moderates, and the announcements the worker posted. The group itself
//! lives on WhatsApp; this is the worker's memory of it. Nobody is put on the roster without
//! the chat-group consent, and withdrawing that consent takes them off.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use mtp_domain::activity::{ActivityKind, Audience, AudienceRefusal, may_join};
use mtp_domain::consent::{Purpose, has_consent};
use mtp_domain::{HouseholdKind, Tenant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use mtp_domain::Language;
use mtp_domain::message::{Template, TemplatePurpose};
use sea_orm::sea_query::OnConflict;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{activity, chat_membership, chat_post, message_template};
use crate::register::add_event;
use crate::{Result, Store, StoreError, now};

/// How long a household that left stays visible on the roster.
const LEFT_SHOWN_DAYS: i64 = 90;

#[derive(Debug, Clone)]
pub struct ChatMember {
    pub household_id: Uuid,
    pub first_names: String,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
    pub left_reason: Option<String>,
    pub moderator: bool,
}

#[derive(Debug, Clone)]
pub struct ChatPost {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// End a household's open memberships, inside the caller's transaction.
pub(crate) async fn end_membership<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
    reason: &str,
) -> Result<u64> {
    Ok(chat_membership::Entity::update_many()
        .col_expr(chat_membership::Column::LeftAt, now().into())
        .col_expr(chat_membership::Column::LeftReason, reason.into())
        .filter(chat_membership::Column::OrgId.eq(org_id))
        .filter(chat_membership::Column::HouseholdId.eq(household_id))
        .filter(chat_membership::Column::LeftAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

impl Store {
    /// The group of a neighbourhood: members first (by name), then those who left lately.
    pub async fn chat_roster(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<Vec<ChatMember>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let since = now() - Duration::days(LEFT_SHOWN_DAYS);
        let rows = chat_membership::Entity::find()
            .filter(chat_membership::Column::OrgId.eq(tenant.org_id))
            .filter(chat_membership::Column::NeighbourhoodId.eq(neighbourhood_id))
            .order_by_asc(chat_membership::Column::JoinedAt)
            .all(&self.db)
            .await?;
        // The newest membership of each household tells where it stands.
        let mut latest: HashMap<Uuid, chat_membership::Model> = HashMap::new();
        for r in rows {
            latest.insert(r.household_id, r);
        }
        let ids: Vec<Uuid> = latest.keys().copied().collect();
        // A member who moved to a neighbourhood out of the reader's reach drops off the list.
        let names = self.first_names(tenant, &ids).await?;
        let mut out: Vec<ChatMember> = latest
            .into_values()
            .filter(|m| m.left_at.is_none_or(|l| l >= since))
            .filter_map(|m| {
                Some(ChatMember {
                    first_names: names.get(&m.household_id)?.clone(),
                    household_id: m.household_id,
                    joined_at: m.joined_at,
                    left_at: m.left_at,
                    left_reason: m.left_reason,
                    moderator: m.moderator,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            a.left_at.is_some().cmp(&b.left_at.is_some()).then(
                a.first_names
                    .to_lowercase()
                    .cmp(&b.first_names.to_lowercase()),
            )
        });
        Ok(out)
    }

    /// Who may be added to a neighbourhood's group: the households taking part that gave the
    /// chat-group consent and are not in it; and how many others lack that consent.
    pub async fn chat_candidates(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<(Vec<crate::HouseholdName>, usize)> {
        let members: Vec<Uuid> = self
            .chat_roster(tenant, neighbourhood_id)
            .await?
            .into_iter()
            .filter(|m| m.left_at.is_none())
            .map(|m| m.household_id)
            .collect();
        let all = self
            .neighbourhood_households(tenant, neighbourhood_id, &members, 1000)
            .await?;
        let ids: Vec<Uuid> = all.iter().map(|h| h.id).collect();
        let consents = self.consents_of(tenant.org_id, &ids).await?;
        let (with, without): (Vec<_>, Vec<_>) = all.into_iter().partition(|h| {
            consents
                .get(&h.id)
                .is_some_and(|c| has_consent(c, Purpose::ChatGroup))
        });
        Ok((with, without.len()))
    }

    /// Who the neighbourhood's group is for: the audience of its chat-group activity (the
    /// newest that is not archived), else what the handbook gives the chat group (§3.3,
    /// "exclusief eenoudergezinnen": single parents only).
    async fn chat_audience(&self, org_id: Uuid, neighbourhood_id: Uuid) -> Result<Audience> {
        let chosen = activity::Entity::find()
            .filter(activity::Column::OrgId.eq(org_id))
            .filter(activity::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(activity::Column::Kind.eq(ActivityKind::ChatGroup.as_str()))
            .filter(activity::Column::ArchivedAt.is_null())
            .order_by_desc(activity::Column::CreatedAt)
            .one(&self.db)
            .await?;
        Ok(match chosen {
            // An unreadable audience is the handbook's, never "open".
            Some(a) => Audience::parse(&a.audience)
                .unwrap_or_else(|_| ActivityKind::ChatGroup.default_audience()),
            None => ActivityKind::ChatGroup.default_audience(),
        })
    }

    /// Put a household in its neighbourhood's group. Refused when the group's audience does
    /// not admit the household (a two-parent family in the exclusive group) and without the
    /// chat-group consent; joining twice changes nothing (and is on record all the same).
    /// With the audit entry, if any.
    pub async fn chat_join(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        moderator: bool,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let h = self.household_row(tenant, household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        // The worker adding a household is its invitation, so only "single parents only"
        // can refuse here. An unreadable kind is not taken for a single parent.
        let kind = HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::MultiParent);
        let audience = self
            .chat_audience(tenant.org_id, h.neighbourhood_id)
            .await?;
        if let Err(AudienceRefusal::NotSingleParent | AudienceRefusal::NotInvited) =
            may_join(audience, kind, true)
        {
            return Err(StoreError::Refused("chat-refused-not-single-parent"));
        }
        let consents = self.household_consents(tenant, household_id).await?;
        if !has_consent(&consents, Purpose::ChatGroup) {
            return Err(StoreError::Refused("chat-refused-no-consent"));
        }
        let txn = self.db.begin().await?;
        let open = chat_membership::Entity::find()
            .filter(chat_membership::Column::OrgId.eq(tenant.org_id))
            .filter(chat_membership::Column::HouseholdId.eq(household_id))
            .filter(chat_membership::Column::LeftAt.is_null())
            .count(&txn)
            .await?;
        if open == 0 {
            chat_membership::Entity::insert(chat_membership::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(tenant.org_id),
                neighbourhood_id: Set(h.neighbourhood_id),
                household_id: Set(household_id),
                joined_at: Set(now()),
                left_at: Set(None),
                left_reason: Set(None),
                moderator: Set(moderator),
            })
            .exec_without_returning(&txn)
            .await?;
            add_event(&txn, tenant.org_id, household_id, actor, "chat_joined", "").await?;
        }
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// A household left the group (or was taken off); the reason is a short code. With the
    /// audit entry, if any, also when it was not a member.
    pub async fn chat_leave(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        reason: &str,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        self.household_row(tenant, household_id).await?;
        let txn = self.db.begin().await?;
        if end_membership(&txn, tenant.org_id, household_id, reason).await? > 0 {
            add_event(
                &txn,
                tenant.org_id,
                household_id,
                actor,
                "chat_left",
                reason,
            )
            .await?;
        }
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Make a member a moderator of the group, or not.
    pub async fn chat_set_moderator(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        moderator: bool,
        audit: NewAuditEvent,
    ) -> Result<()> {
        self.household_row(tenant, household_id).await?;
        let txn = self.db.begin().await?;
        chat_membership::Entity::update_many()
            .col_expr(chat_membership::Column::Moderator, moderator.into())
            .filter(chat_membership::Column::OrgId.eq(tenant.org_id))
            .filter(chat_membership::Column::HouseholdId.eq(household_id))
            .filter(chat_membership::Column::LeftAt.is_null())
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Log an announcement the worker is about to post in the group.
    pub async fn chat_post(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        neighbourhood_id: Uuid,
        text: &str,
    ) -> Result<()> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        chat_post::Entity::insert(chat_post::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(neighbourhood_id),
            actor_id: Set(actor),
            text: Set(text.to_string()),
            at: Set(now()),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// The announcements of a neighbourhood's group since `since`, newest first.
    pub async fn chat_posts(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        since: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<ChatPost>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        Ok(chat_post::Entity::find()
            .filter(chat_post::Column::OrgId.eq(tenant.org_id))
            .filter(chat_post::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(chat_post::Column::At.gte(since))
            .order_by_desc(chat_post::Column::At)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| ChatPost {
                at: p.at,
                text: p.text,
            })
            .collect())
    }
}

/// A neighbourhood's own wording of the messages (`mtp_domain::message`), by purpose and
/// language. Only texts that parsed as a template are stored.
impl Store {
    pub async fn message_templates(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<HashMap<(String, String), String>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        Ok(message_template::Entity::find()
            .filter(message_template::Column::OrgId.eq(tenant.org_id))
            .filter(message_template::Column::NeighbourhoodId.eq(neighbourhood_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| ((m.purpose, m.lang), m.text))
            .collect())
    }

    /// Save a neighbourhood's wording; `None` goes back to the default.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_message_template(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        neighbourhood_id: Uuid,
        purpose: TemplatePurpose,
        lang: Language,
        text: Option<&Template>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let key = (
            message_template::Column::OrgId.eq(tenant.org_id),
            message_template::Column::NeighbourhoodId.eq(neighbourhood_id),
            message_template::Column::Purpose.eq(purpose.as_str()),
            message_template::Column::Lang.eq(lang.as_str()),
        );
        let txn = self.db.begin().await?;
        let Some(text) = text else {
            message_template::Entity::delete_many()
                .filter(key.0)
                .filter(key.1)
                .filter(key.2)
                .filter(key.3)
                .exec(&txn)
                .await?;
            append_audit_in(&txn, audit).await?;
            txn.commit().await?;
            return Ok(());
        };
        message_template::Entity::insert(message_template::ActiveModel {
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(neighbourhood_id),
            purpose: Set(purpose.as_str().into()),
            lang: Set(lang.as_str().into()),
            text: Set(text.as_str().into()),
            updated_by: Set(actor),
            updated_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                message_template::Column::OrgId,
                message_template::Column::NeighbourhoodId,
                message_template::Column::Purpose,
                message_template::Column::Lang,
            ])
            .update_columns([
                message_template::Column::Text,
                message_template::Column::UpdatedBy,
                message_template::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The template to use: the neighbourhood's own wording, else the default.
    pub async fn message_template(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        purpose: TemplatePurpose,
        lang: Language,
    ) -> Result<Template> {
        let own = message_template::Entity::find()
            .filter(message_template::Column::OrgId.eq(tenant.org_id))
            .filter(message_template::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(message_template::Column::Purpose.eq(purpose.as_str()))
            .filter(message_template::Column::Lang.eq(lang.as_str()))
            .one(&self.db)
            .await?;
        Ok(own
            .and_then(|m| Template::parse(&m.text).ok())
            .unwrap_or_else(|| Template::default_for(purpose, lang)))
    }
}

//! The parent portal's storage: sign-in links, parents' sessions, what a household may join,
//! its answers, consents, contact details, ideas and requests.
//!
//! A parent never holds a [`Tenant`]. Every function here takes a [`PortalScope`], which only
//! this module makes (from a live portal session) and which names one household; the
//! household id never comes from a URL. That is how "a parent can only ever reach their own
//! household" is kept in one place.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use mtp_domain::activity::{Audience, Cost, may_join};
use mtp_domain::attendance::SessionState;
use mtp_domain::portal::{
    ContactKey, IdeaKind, IdeaTitle, LINK_VALID, PIN_MAX_FAILURES, PIN_RELOCK, Pin, RefusalReason,
    RequestKind, SESSION_IDLE,
};
use mtp_domain::{ConsentMethod, ConsentRecord, Email, HouseholdKind, PhoneNumber, Purpose, Role};
use mtp_domain::{Language, Tenant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::activities::SessionSummary;
use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{
    activity, activity_invite, household, idea, idea_vote, parent, portal_link, portal_request,
    portal_session, registration, rsvp, session,
};
use crate::register::{add_event, set_search_tokens, stored_tokens};
use crate::sessions::RsvpLine;
use crate::sign_in::{random_token, token_hash};
use crate::{Result, Store, StoreError, now};

/// One household, as reached through a live portal session. Made only by this module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalScope {
    org_id: Uuid,
    neighbourhood_id: Uuid,
    household_id: Uuid,
}

impl PortalScope {
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    pub fn neighbourhood_id(&self) -> Uuid {
        self.neighbourhood_id
    }

    pub fn household_id(&self) -> Uuid {
        self.household_id
    }

    /// The reach the shared household and session functions need: the household's own
    /// neighbourhood. Never leaves this crate; every caller passes `household_id` itself.
    fn tenant(&self) -> Tenant {
        Tenant {
            org_id: self.org_id,
            role: Role::Worker,
            neighbourhoods: vec![self.neighbourhood_id],
        }
    }
}

/// A parent with a live portal session.
#[derive(Debug, Clone)]
pub struct PortalVisitor {
    pub scope: PortalScope,
    /// The first parent's first name, for "Hallo Sanne".
    pub first_name: String,
    pub has_pin: bool,
    /// A PIN is set and has not been typed recently: only the PIN page is open.
    pub locked: bool,
    /// Open with a PIN, and the "still in use" time is a minute old: worth one write.
    pub touch: bool,
}

/// What a sign-in link can still do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Valid,
    Expired,
    Used,
    Unknown,
}

/// How a household's portal access looks to the worker.
#[derive(Debug, Clone, Default)]
pub struct PortalAccess {
    pub open_links: u64,
    pub phones: u64,
    pub last_sign_in: Option<DateTime<Utc>>,
}

/// A session a household may join, as the portal shows it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub session: SessionSummary,
    pub description: String,
    pub accessibility: String,
    pub cost: Cost,
    pub childcare: bool,
    pub registered: bool,
    pub answer: Option<RsvpLine>,
}

/// An idea, as one parent sees it: never whose it is, unless it is their own.
#[derive(Debug, Clone)]
pub struct IdeaLine {
    pub id: Uuid,
    pub kind: IdeaKind,
    pub title: String,
    pub votes: u64,
    pub mine: bool,
    pub voted: bool,
    pub created_at: DateTime<Utc>,
}

/// An open request of a parent, for the worker.
#[derive(Debug, Clone)]
pub struct ParentRequest {
    pub id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub first_names: String,
    pub kind: RequestKind,
    pub created_at: DateTime<Utc>,
}

/// A new sign-in link to e-mail to a parent who asked for one: to the address they typed,
/// greeting that parent (in a two-parent household it is not always the first one).
#[derive(Debug, Clone)]
pub struct LinkToMail {
    pub org_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub household_id: Uuid,
    pub token: String,
    pub parent_id: Uuid,
    pub email: String,
    pub first_name: String,
    pub lang: Option<Language>,
}

/// Where a household's erasure request stands, as the portal tells the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasureStatus {
    /// Never asked, or asked and refused longer ago than a new request.
    NotAsked,
    /// Asked; no answer yet.
    Open { asked_at: DateTime<Utc> },
    /// The latest request was refused, with the reason the family is told.
    Refused { reason: String, at: DateTime<Utc> },
}

/// The answer to a typed PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlock {
    Open,
    Wrong {
        left: i32,
    },
    /// Too many wrong PINs: this try signed the phone out.
    LockedOut,
    /// The phone was signed out already: by a try before this one, or by the worker.
    SignedOut,
}

/// A parent's change to the contact details of one of the household's parents.
#[derive(Debug, Clone)]
pub struct ContactChange {
    pub parent_id: Uuid,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

impl Store {
    // ---- links and sessions -------------------------------------------------------------

    /// A new single-use sign-in link for a household, made by a worker. Returns the token,
    /// which is shown once; only its hash is kept.
    pub async fn create_portal_link(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        audit: Option<NewAuditEvent>,
    ) -> Result<String> {
        let h = self.household_row(tenant, household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        self.insert_link(h.org_id, h.id, actor, audit).await
    }

    async fn insert_link(
        &self,
        org_id: Uuid,
        household_id: Uuid,
        actor: Option<Uuid>,
        audit: Option<NewAuditEvent>,
    ) -> Result<String> {
        let token = random_token();
        let t = now();
        let txn = self.db.begin().await?;
        portal_link::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(org_id),
            household_id: Set(household_id),
            token_hash: Set(token_hash(&token)),
            created_by: Set(actor),
            created_at: Set(t),
            expires_at: Set(t + LINK_VALID),
            used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(token)
    }

    /// What a link can do, for the page behind it (which signs in only on a button press, so
    /// that a mail scanner following the link does not use it up).
    pub async fn portal_link_state(&self, token: &str) -> Result<LinkState> {
        self.portal_link_state_at(token, now()).await
    }

    pub async fn portal_link_state_at(&self, token: &str, at: DateTime<Utc>) -> Result<LinkState> {
        let Some(l) = portal_link::Entity::find()
            .filter(portal_link::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(LinkState::Unknown);
        };
        Ok(if l.used_at.is_some() {
            LinkState::Used
        } else if l.revoked_at.is_some() || l.expires_at <= at {
            LinkState::Expired
        } else {
            LinkState::Valid
        })
    }

    /// Use a link: exactly once, before it expires, unless revoked. Returns the new session's
    /// token and the household it opens, or the reason it did not.
    pub async fn use_portal_link(
        &self,
        token: &str,
    ) -> Result<std::result::Result<(String, PortalScope), LinkState>> {
        self.use_portal_link_at(token, now()).await
    }

    /// [`Store::use_portal_link`] as if it were `t` (tests of expiry).
    pub async fn use_portal_link_at(
        &self,
        token: &str,
        t: DateTime<Utc>,
    ) -> Result<std::result::Result<(String, PortalScope), LinkState>> {
        let hash = token_hash(token);
        let txn = self.db.begin().await?;
        // The conditional update is the single use: of two taps at once, one wins.
        let won = portal_link::Entity::update_many()
            .col_expr(portal_link::Column::UsedAt, Some(t).into())
            .filter(portal_link::Column::TokenHash.eq(hash.clone()))
            .filter(portal_link::Column::UsedAt.is_null())
            .filter(portal_link::Column::RevokedAt.is_null())
            .filter(portal_link::Column::ExpiresAt.gt(t))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !won {
            txn.rollback().await?;
            return Ok(Err(self.portal_link_state_at(token, t).await?));
        }
        let Some(link) = portal_link::Entity::find()
            .filter(portal_link::Column::TokenHash.eq(hash))
            .one(&txn)
            .await?
        else {
            txn.rollback().await?;
            return Ok(Err(LinkState::Unknown));
        };
        let Some(h) = household::Entity::find_by_id(link.household_id)
            .filter(household::Column::OrgId.eq(link.org_id))
            .one(&txn)
            .await?
            .filter(|h| h.anonymised_at.is_none())
        else {
            txn.rollback().await?;
            return Ok(Err(LinkState::Unknown));
        };
        let session_token = random_token();
        portal_session::ActiveModel {
            token_hash: Set(token_hash(&session_token)),
            org_id: Set(h.org_id),
            household_id: Set(h.id),
            created_at: Set(t),
            last_seen_at: Set(t),
            expires_at: Set(t + SESSION_IDLE),
            ended_at: Set(None),
            pin_hash: Set(None),
            pin_failures: Set(0),
            unlocked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        add_event(&txn, h.org_id, h.id, None, "portal_sign_in", "").await?;
        txn.commit().await?;
        Ok(Ok((
            session_token,
            PortalScope {
                org_id: h.org_id,
                neighbourhood_id: h.neighbourhood_id,
                household_id: h.id,
            },
        )))
    }

    /// The parent behind a portal cookie, if the session is live. A visit moves the end of
    /// the session forward (at most once an hour, to save writes).
    pub async fn portal_visitor(&self, token: &str) -> Result<Option<PortalVisitor>> {
        let hash = token_hash(token);
        let t = now();
        let Some(s) = portal_session::Entity::find_by_id(hash.clone())
            .one(&self.db)
            .await?
            .filter(|s| s.ended_at.is_none() && s.expires_at > t)
        else {
            return Ok(None);
        };
        let Some(h) = household::Entity::find_by_id(s.household_id)
            .filter(household::Column::OrgId.eq(s.org_id))
            .one(&self.db)
            .await?
            .filter(|h| h.anonymised_at.is_none())
        else {
            return Ok(None);
        };
        let first_name = parent::Entity::find()
            .filter(parent::Column::OrgId.eq(h.org_id))
            .filter(parent::Column::HouseholdId.eq(h.id))
            .order_by_asc(parent::Column::Position)
            .one(&self.db)
            .await?
            .map(|p| p.first_name)
            .unwrap_or_default();
        if s.last_seen_at + Duration::hours(1) <= t {
            portal_session::Entity::update_many()
                .col_expr(portal_session::Column::LastSeenAt, t.into())
                .col_expr(portal_session::Column::ExpiresAt, (t + SESSION_IDLE).into())
                .filter(portal_session::Column::TokenHash.eq(hash))
                .exec(&self.db)
                .await?;
        }
        let has_pin = s.pin_hash.is_some();
        let locked = has_pin && s.unlocked_at.is_none_or(|u| u + PIN_RELOCK <= t);
        let touch =
            has_pin && !locked && s.unlocked_at.is_some_and(|u| u + Duration::minutes(1) <= t);
        Ok(Some(PortalVisitor {
            scope: PortalScope {
                org_id: h.org_id,
                neighbourhood_id: h.neighbourhood_id,
                household_id: h.id,
            },
            first_name,
            has_pin,
            locked,
            touch,
        }))
    }

    /// Keep a PIN-protected session open while the parent is using it.
    pub async fn touch_portal_unlock(&self, token: &str) -> Result<()> {
        portal_session::Entity::update_many()
            .col_expr(portal_session::Column::UnlockedAt, Some(now()).into())
            .filter(portal_session::Column::TokenHash.eq(token_hash(token)))
            .filter(portal_session::Column::PinHash.is_not_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn end_portal_session(&self, token: &str) -> Result<()> {
        portal_session::Entity::update_many()
            .col_expr(portal_session::Column::EndedAt, Some(now()).into())
            .filter(portal_session::Column::TokenHash.eq(token_hash(token)))
            .filter(portal_session::Column::EndedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The worker ends a household's portal access: every phone signed out, every open link
    /// stopped. Returns (phones, links).
    pub async fn end_portal_access(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        audit: impl FnOnce(u64, u64) -> NewAuditEvent + Send,
    ) -> Result<(u64, u64)> {
        let h = self.household_row(tenant, household_id).await?;
        let t = now();
        let txn = self.db.begin().await?;
        let phones = portal_session::Entity::update_many()
            .col_expr(portal_session::Column::EndedAt, Some(t).into())
            .filter(portal_session::Column::OrgId.eq(h.org_id))
            .filter(portal_session::Column::HouseholdId.eq(h.id))
            .filter(portal_session::Column::EndedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        let links = portal_link::Entity::update_many()
            .col_expr(portal_link::Column::RevokedAt, Some(t).into())
            .filter(portal_link::Column::OrgId.eq(h.org_id))
            .filter(portal_link::Column::HouseholdId.eq(h.id))
            .filter(portal_link::Column::UsedAt.is_null())
            .filter(portal_link::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        add_event(&txn, h.org_id, h.id, actor, "portal_ended", "").await?;
        append_audit_in(&txn, audit(phones, links)).await?;
        txn.commit().await?;
        Ok((phones, links))
    }

    /// Open links, signed-in phones and the last sign-in of a household, for its page.
    pub async fn portal_access(&self, tenant: &Tenant, household_id: Uuid) -> Result<PortalAccess> {
        let h = self.household_row(tenant, household_id).await?;
        let t = now();
        let open_links = portal_link::Entity::find()
            .filter(portal_link::Column::OrgId.eq(h.org_id))
            .filter(portal_link::Column::HouseholdId.eq(h.id))
            .filter(portal_link::Column::UsedAt.is_null())
            .filter(portal_link::Column::RevokedAt.is_null())
            .filter(portal_link::Column::ExpiresAt.gt(t))
            .count(&self.db)
            .await?;
        let sessions = portal_session::Entity::find()
            .filter(portal_session::Column::OrgId.eq(h.org_id))
            .filter(portal_session::Column::HouseholdId.eq(h.id))
            .order_by_desc(portal_session::Column::CreatedAt)
            .all(&self.db)
            .await?;
        Ok(PortalAccess {
            open_links,
            phones: sessions
                .iter()
                .filter(|s| s.ended_at.is_none() && s.expires_at > t)
                .count() as u64,
            last_sign_in: sessions.first().map(|s| s.created_at),
        })
    }

    /// Set or remove the PIN of this phone's session, with its audit entry.
    pub async fn set_portal_pin(
        &self,
        token: &str,
        pin: Option<&Pin>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let hash = match pin {
            Some(p) => Some(crate::password::hash_bounded(p.as_str().to_string()).await?),
            None => None,
        };
        let txn = self.db.begin().await?;
        portal_session::Entity::update_many()
            .col_expr(portal_session::Column::PinHash, hash.into())
            .col_expr(portal_session::Column::PinFailures, 0.into())
            .col_expr(portal_session::Column::UnlockedAt, Some(now()).into())
            .filter(portal_session::Column::TokenHash.eq(token_hash(token)))
            .filter(portal_session::Column::EndedAt.is_null())
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Check a typed PIN. Too many wrong ones end the session.
    ///
    /// The try is counted before the PIN is checked, in one statement that adds one and
    /// reads the sum back (`UPDATE … RETURNING`): tries sent side by side each get their own
    /// number, so no more than [`PIN_MAX_FAILURES`] of them are ever checked. A right PIN
    /// sets the count back to zero.
    pub async fn unlock_portal(&self, token: &str, pin: &Pin) -> Result<Unlock> {
        let hash = token_hash(token);
        let mut count = portal_session::Entity::update_many()
            .col_expr(
                portal_session::Column::PinFailures,
                Expr::col(portal_session::Column::PinFailures).add(1),
            )
            .filter(portal_session::Column::TokenHash.eq(hash.clone()))
            .filter(portal_session::Column::EndedAt.is_null())
            .filter(portal_session::Column::PinHash.is_not_null())
            .into_query();
        count.returning(Query::returning().columns([
            portal_session::Column::PinFailures,
            portal_session::Column::PinHash,
        ]));
        let Some(row) = self.db.query_one(&count).await? else {
            // No live session, or one without a PIN.
            let live = portal_session::Entity::find_by_id(hash)
                .one(&self.db)
                .await?
                .is_some_and(|s| s.ended_at.is_none());
            return Ok(if live {
                Unlock::Open
            } else {
                Unlock::SignedOut
            });
        };
        let tries: i32 = row.try_get("", portal_session::Column::PinFailures.as_str())?;
        let stored: String = row.try_get("", portal_session::Column::PinHash.as_str())?;
        if tries > PIN_MAX_FAILURES {
            return self.end_after_pin_failures(&hash).await;
        }
        if crate::password::verify_bounded(pin.as_str().to_string(), stored).await? {
            let open = portal_session::Entity::update_many()
                .col_expr(portal_session::Column::PinFailures, 0.into())
                .col_expr(portal_session::Column::UnlockedAt, Some(now()).into())
                .filter(portal_session::Column::TokenHash.eq(hash))
                .filter(portal_session::Column::EndedAt.is_null())
                .exec(&self.db)
                .await?
                .rows_affected;
            // A wrong try sent alongside may have ended the session while this one was
            // checked; then the phone stays signed out.
            return Ok(if open == 1 {
                Unlock::Open
            } else {
                Unlock::SignedOut
            });
        }
        if tries >= PIN_MAX_FAILURES {
            return self.end_after_pin_failures(&hash).await;
        }
        Ok(Unlock::Wrong {
            left: PIN_MAX_FAILURES - tries,
        })
    }

    /// End a session after too many PIN tries. Only the try that ends it is told
    /// [`Unlock::LockedOut`], so the lock-out is audited once however many tries were sent.
    async fn end_after_pin_failures(&self, hash: &str) -> Result<Unlock> {
        let ended = portal_session::Entity::update_many()
            .col_expr(portal_session::Column::EndedAt, Some(now()).into())
            .filter(portal_session::Column::TokenHash.eq(hash))
            .filter(portal_session::Column::EndedAt.is_null())
            .exec(&self.db)
            .await?
            .rows_affected;
        Ok(if ended == 1 {
            Unlock::LockedOut
        } else {
            Unlock::SignedOut
        })
    }

    /// A parent asks for a new link with an e-mail address or a phone number. For an address
    /// we know, a link is made for each household it belongs to (to be e-mailed); for a number
    /// we know, the worker gets a request to send one. The caller answers the same either way.
    pub async fn request_portal_link(&self, key: &ContactKey) -> Result<Vec<LinkToMail>> {
        let parents = match key {
            ContactKey::Email(e) => {
                parent::Entity::find()
                    .filter(parent::Column::Email.eq(e.as_str()))
                    .limit(20)
                    .all(&self.db)
                    .await?
            }
            ContactKey::Phone(p) => {
                parent::Entity::find()
                    .filter(parent::Column::Phone.eq(p.e164()))
                    .limit(20)
                    .all(&self.db)
                    .await?
            }
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for p in parents {
            if !seen.insert(p.household_id) {
                continue;
            }
            let Some(h) = household::Entity::find_by_id(p.household_id)
                .filter(household::Column::OrgId.eq(p.org_id))
                .one(&self.db)
                .await?
                .filter(|h| h.anonymised_at.is_none())
            else {
                continue;
            };
            match key {
                ContactKey::Email(e) => {
                    let token = self.insert_link(h.org_id, h.id, None, None).await?;
                    out.push(LinkToMail {
                        org_id: h.org_id,
                        neighbourhood_id: h.neighbourhood_id,
                        household_id: h.id,
                        token,
                        parent_id: p.id,
                        email: e.as_str().to_string(),
                        first_name: p.first_name.clone(),
                        lang: mtp_domain::reminder::language_of(&p.languages),
                    });
                }
                ContactKey::Phone(_) => {
                    self.open_request(&h, RequestKind::NewLink, None).await?;
                }
            }
        }
        Ok(out)
    }

    /// E-mail a link a parent asked for, through the job queue (retries, sent once): to the
    /// address the parent typed only, also when the household unsubscribed from e-mail.
    pub async fn queue_portal_link_mail(
        &self,
        link: &LinkToMail,
        subject: &str,
        text: &str,
    ) -> Result<Uuid> {
        let scope = PortalScope {
            org_id: link.org_id,
            neighbourhood_id: link.neighbourhood_id,
            household_id: link.household_id,
        };
        let key = format!("portal-link:{}", token_hash(&link.token));
        self.queue_personal_mail(
            &scope.tenant(),
            link.household_id,
            subject,
            text,
            &key,
            true,
            Some(crate::jobs::AskedBy {
                parent_id: link.parent_id,
                email: link.email.clone(),
            }),
            None,
        )
        .await
    }

    // ---- what a household may join, and its answers ----------------------------------

    /// The sessions a household may join between `from` and `until`: of its neighbourhood,
    /// activities it may join by the audience rule (a multi-parent household never sees the
    /// exclusive coffee hour; an invitation-only workshop only when invited).
    pub async fn portal_offers(
        &self,
        scope: &PortalScope,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Offer>> {
        let h = self.scope_household(scope).await?;
        let kind = HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::MultiParent);
        let invited: HashSet<Uuid> = activity_invite::Entity::find()
            .filter(activity_invite::Column::OrgId.eq(scope.org_id))
            .filter(activity_invite::Column::HouseholdId.eq(scope.household_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| i.activity_id)
            .collect();
        let activities: HashMap<Uuid, activity::Model> = activity::Entity::find()
            .filter(activity::Column::OrgId.eq(scope.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(scope.neighbourhood_id))
            .filter(activity::Column::ArchivedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|a| {
                let audience = Audience::parse(&a.audience).unwrap_or(Audience::Open);
                may_join(audience, kind, invited.contains(&a.id)).is_ok()
            })
            .map(|a| (a.id, a))
            .collect();
        if activities.is_empty() {
            return Ok(Vec::new());
        }
        let rows = session::Entity::find()
            .filter(session::Column::OrgId.eq(scope.org_id))
            .filter(session::Column::NeighbourhoodId.eq(scope.neighbourhood_id))
            .filter(session::Column::ActivityId.is_in(activities.keys().copied()))
            .filter(session::Column::EndsAt.gte(from))
            .filter(session::Column::StartsAt.lt(until))
            .order_by_asc(session::Column::StartsAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.offers(scope, rows, &activities).await
    }

    /// One session for the answer page; NotFound when the household may not join it, so a
    /// guessed id of the exclusive coffee hour looks like no session at all.
    pub async fn portal_offer(&self, scope: &PortalScope, session_id: Uuid) -> Result<Offer> {
        let s = self.session_row(&scope.tenant(), session_id).await?;
        let a = activity::Entity::find_by_id(s.activity_id)
            .filter(activity::Column::OrgId.eq(scope.org_id))
            .filter(activity::Column::ArchivedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let h = self.scope_household(scope).await?;
        self.check_audience(&a, &h)
            .await
            .map_err(|_| StoreError::NotFound)?;
        let activities = HashMap::from([(a.id, a)]);
        self.offers(scope, vec![s], &activities)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn offers(
        &self,
        scope: &PortalScope,
        rows: Vec<session::Model>,
        activities: &HashMap<Uuid, activity::Model>,
    ) -> Result<Vec<Offer>> {
        let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
        let answers: HashMap<Uuid, RsvpLine> = rsvp::Entity::find()
            .filter(rsvp::Column::OrgId.eq(scope.org_id))
            .filter(rsvp::Column::HouseholdId.eq(scope.household_id))
            .filter(rsvp::Column::SessionId.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.session_id,
                    RsvpLine {
                        coming: r.coming,
                        reason: r.reason,
                        children: u32::try_from(r.children).unwrap_or(0),
                        childcare: r.childcare,
                    },
                )
            })
            .collect();
        let registered: HashSet<Uuid> = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(scope.org_id))
            .filter(registration::Column::HouseholdId.eq(scope.household_id))
            .filter(registration::Column::State.eq("registered"))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.activity_id)
            .collect();
        let summaries = self.summaries(scope.org_id, rows).await?;
        Ok(summaries
            .into_iter()
            .filter_map(|s| {
                let a = activities.get(&s.activity_id)?;
                Some(Offer {
                    description: a.description.clone(),
                    accessibility: a.accessibility.clone(),
                    cost: Cost::from_cents(u32::try_from(a.cost_cents).unwrap_or(0))
                        .unwrap_or_default(),
                    childcare: a.childcare,
                    registered: registered.contains(&a.id),
                    answer: answers.get(&s.id).cloned(),
                    session: s,
                })
            })
            .collect())
    }

    /// A parent's answer for one session: coming (with children and childcare) or not (with
    /// an optional reason). The audience rule applies; a cancelled or past session refuses.
    /// The audit entry commits with the answer.
    pub async fn portal_answer(
        &self,
        scope: &PortalScope,
        session_id: Uuid,
        answer: &RsvpLine,
        audit: NewAuditEvent,
    ) -> Result<Offer> {
        let offer = self.portal_offer(scope, session_id).await?;
        if offer.session.state == SessionState::Cancelled {
            return Err(StoreError::Refused("portal-refused-cancelled"));
        }
        if offer.session.ends_at <= now() {
            return Err(StoreError::Refused("portal-refused-past"));
        }
        self.set_rsvp(
            &scope.tenant(),
            session_id,
            scope.household_id,
            answer,
            Some(audit),
        )
        .await?;
        Ok(offer)
    }

    // ---- the household's own data --------------------------------------------------------

    async fn scope_household(&self, scope: &PortalScope) -> Result<household::Model> {
        household::Entity::find_by_id(scope.household_id)
            .filter(household::Column::OrgId.eq(scope.org_id))
            .one(&self.db)
            .await?
            .filter(|h| h.anonymised_at.is_none())
            .ok_or(StoreError::NotFound)
    }

    /// What is recorded about the household, for the parent: everything but the worker's
    /// own notes.
    pub async fn portal_household(&self, scope: &PortalScope) -> Result<crate::Household> {
        let mut h = self.household(&scope.tenant(), scope.household_id).await?;
        h.notes.clear();
        h.status_reason = None;
        Ok(h)
    }

    /// How many times the household came, for the parent's own overview.
    /// The family's own attendance record, newest first (the readable "my data" page).
    pub async fn portal_attendance(
        &self,
        scope: &PortalScope,
    ) -> Result<Vec<(crate::SessionSummary, crate::AttendanceLine)>> {
        self.household_attendance(&scope.tenant(), scope.household_id, 10_000)
            .await
    }

    pub async fn portal_visits(&self, scope: &PortalScope) -> Result<usize> {
        Ok(self
            .portal_attendance(scope)
            .await?
            .iter()
            .filter(|(_, a)| a.status == mtp_domain::attendance::AttendanceStatus::Present)
            .count())
    }

    /// The household's data as JSON for the parent to download, without the worker's notes.
    /// Recorded on the household's timeline: a download is something the worker may ask about.
    pub async fn portal_export(&self, scope: &PortalScope) -> Result<serde_json::Value> {
        let mut v = self
            .export_household(&scope.tenant(), scope.household_id)
            .await?;
        if let Some(h) = v.get_mut("household").and_then(|h| h.as_object_mut()) {
            h.remove("notes");
            h.remove("status_reason");
        }
        add_event(
            &self.db,
            scope.org_id,
            scope.household_id,
            None,
            "data_downloaded",
            "portal",
        )
        .await?;
        Ok(v)
    }

    pub async fn portal_consents(&self, scope: &PortalScope) -> Result<Vec<ConsentRecord>> {
        self.household_consents(&scope.tenant(), scope.household_id)
            .await
    }

    /// Give or withdraw one consent, recorded as given through the portal, with its audit
    /// entry.
    pub async fn portal_set_consent(
        &self,
        scope: &PortalScope,
        purpose: Purpose,
        given: bool,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if !mtp_domain::portal::parent_may_change(purpose) {
            return Err(StoreError::Refused("portal-refused-consent"));
        }
        self.record_consent(
            &scope.tenant(),
            None,
            scope.household_id,
            purpose,
            given,
            ConsentMethod::Portal,
            Some(audit),
        )
        .await
    }

    /// Correct the phone numbers and e-mail addresses of the household's parents, in one
    /// transaction with the audit entry.
    pub async fn portal_update_contacts(
        &self,
        scope: &PortalScope,
        changes: &[ContactChange],
        audit: NewAuditEvent,
    ) -> Result<()> {
        self.scope_household(scope).await?;
        let txn = self.db.begin().await?;
        for change in changes {
            update_contact(&txn, scope, change).await?;
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// "Remove our data": a request for the worker, once (asking twice keeps one open; each
    /// asking is in the audit trail).
    pub async fn portal_request_erasure(
        &self,
        scope: &PortalScope,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let h = self.scope_household(scope).await?;
        self.open_request(&h, RequestKind::Erasure, Some(audit))
            .await
    }

    async fn open_request(
        &self,
        h: &household::Model,
        kind: RequestKind,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let open = portal_request::Entity::find()
            .filter(portal_request::Column::OrgId.eq(h.org_id))
            .filter(portal_request::Column::HouseholdId.eq(h.id))
            .filter(portal_request::Column::Kind.eq(kind.as_str()))
            .filter(portal_request::Column::DoneAt.is_null())
            .one(&self.db)
            .await?;
        let txn = self.db.begin().await?;
        if open.is_some() {
            append_audit_opt(&txn, audit).await?;
            txn.commit().await?;
            return Ok(());
        }
        portal_request::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(h.org_id),
            neighbourhood_id: Set(h.neighbourhood_id),
            household_id: Set(h.id),
            kind: Set(kind.as_str().into()),
            created_at: Set(now()),
            done_at: Set(None),
            done_by: Set(None),
            refusal: Set(None),
        }
        .insert(&txn)
        .await?;
        add_event(&txn, h.org_id, h.id, None, "portal_request", kind.as_str()).await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether the household has an open erasure request (the portal says it is on its way).
    pub async fn portal_erasure_requested(&self, scope: &PortalScope) -> Result<bool> {
        Ok(matches!(
            self.portal_erasure_status(scope).await?,
            ErasureStatus::Open { .. }
        ))
    }

    /// The household's latest erasure request: open, refused (with the reason the family is
    /// told), or none. A request closed by the erasure itself is never seen here: the
    /// household can no longer sign in.
    pub async fn portal_erasure_status(&self, scope: &PortalScope) -> Result<ErasureStatus> {
        let latest = portal_request::Entity::find()
            .filter(portal_request::Column::OrgId.eq(scope.org_id))
            .filter(portal_request::Column::HouseholdId.eq(scope.household_id))
            .filter(portal_request::Column::Kind.eq(RequestKind::Erasure.as_str()))
            .order_by_desc(portal_request::Column::CreatedAt)
            .order_by_desc(portal_request::Column::Id)
            .one(&self.db)
            .await?;
        Ok(match latest {
            Some(r) if r.done_at.is_none() => ErasureStatus::Open {
                asked_at: r.created_at,
            },
            Some(r) => match (r.refusal, r.done_at) {
                (Some(reason), Some(at)) => ErasureStatus::Refused { reason, at },
                _ => ErasureStatus::NotAsked,
            },
            None => ErasureStatus::NotAsked,
        })
    }

    /// Parents' open requests in the worker's neighbourhoods (or of one household).
    pub async fn parent_requests(
        &self,
        tenant: &Tenant,
        household_id: Option<Uuid>,
    ) -> Result<Vec<ParentRequest>> {
        let mut q = portal_request::Entity::find()
            .filter(portal_request::Column::OrgId.eq(tenant.org_id))
            .filter(portal_request::Column::DoneAt.is_null());
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(
                portal_request::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()),
            );
        }
        if let Some(id) = household_id {
            q = q.filter(portal_request::Column::HouseholdId.eq(id));
        }
        let rows = q
            .order_by_asc(portal_request::Column::CreatedAt)
            .limit(200)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.household_id).collect();
        let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
        for p in parent::Entity::find()
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .filter(parent::Column::HouseholdId.is_in(ids))
            .order_by_asc(parent::Column::Position)
            .all(&self.db)
            .await?
        {
            names.entry(p.household_id).or_default().push(p.first_name);
        }
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(ParentRequest {
                    id: r.id,
                    household_id: r.household_id,
                    neighbourhood_id: r.neighbourhood_id,
                    first_names: names
                        .get(&r.household_id)
                        .map(|n| n.join(" & "))
                        .unwrap_or_default(),
                    kind: RequestKind::parse(&r.kind)?,
                    created_at: r.created_at,
                })
            })
            .collect())
    }

    /// One parent's request in the worker's reach, open or not, with the household's first
    /// names; `NotFound` for another organisation's or neighbourhood's.
    pub async fn parent_request(&self, tenant: &Tenant, request_id: Uuid) -> Result<ParentRequest> {
        let r = self.request_row(tenant, request_id).await?;
        let first_names = self
            .first_names(tenant, &[r.household_id])
            .await?
            .remove(&r.household_id)
            .unwrap_or_default();
        Ok(ParentRequest {
            first_names,
            ..request_of(&r)?
        })
    }

    /// Whether a request is still open (a colleague may have handled it a moment ago).
    pub async fn parent_request_open(&self, tenant: &Tenant, request_id: Uuid) -> Result<bool> {
        Ok(self
            .request_row(tenant, request_id)
            .await?
            .done_at
            .is_none())
    }

    async fn request_row(
        &self,
        tenant: &Tenant,
        request_id: Uuid,
    ) -> Result<portal_request::Model> {
        portal_request::Entity::find_by_id(request_id)
            .filter(portal_request::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|r| tenant.may_see_neighbourhood(r.org_id, r.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// The worker marks a parent's request as handled. Not an erasure request: that one is
    /// closed only by the erasure itself or by [`Store::refuse_erasure_request`], so a family
    /// is never told "done" while their data is still here
    /// (`parent-request-erasure-not-closed`).
    pub async fn finish_parent_request(
        &self,
        tenant: &Tenant,
        actor: Uuid,
        request_id: Uuid,
        audit: impl FnOnce(&ParentRequest) -> NewAuditEvent + Send,
    ) -> Result<ParentRequest> {
        let r = self.request_row(tenant, request_id).await?;
        if RequestKind::parse(&r.kind) != Some(RequestKind::NewLink) {
            return Err(StoreError::Refused("parent-request-erasure-not-closed"));
        }
        let txn = self.db.begin().await?;
        portal_request::Entity::update_many()
            .col_expr(portal_request::Column::DoneAt, Some(now()).into())
            .col_expr(portal_request::Column::DoneBy, Some(actor).into())
            .filter(portal_request::Column::Id.eq(r.id))
            .filter(portal_request::Column::DoneAt.is_null())
            .exec(&txn)
            .await?;
        let done = request_of(&r)?;
        append_audit_in(&txn, audit(&done)).await?;
        txn.commit().await?;
        Ok(done)
    }

    /// Refuse an open erasure request with a reason the family is told (in the portal, and
    /// by e-mail when the caller queues one). Closes the request, with the timeline event and
    /// the audit entry in one transaction. `NotFound` out of reach; refused when the request
    /// is not an erasure request (`parent-request-not-erasure`) or no longer open
    /// (`parent-request-closed`).
    pub async fn refuse_erasure_request(
        &self,
        tenant: &Tenant,
        actor: Uuid,
        request_id: Uuid,
        reason: &RefusalReason,
        audit: impl FnOnce(&ParentRequest) -> NewAuditEvent + Send,
    ) -> Result<ParentRequest> {
        let r = self.request_row(tenant, request_id).await?;
        if RequestKind::parse(&r.kind) != Some(RequestKind::Erasure) {
            return Err(StoreError::Refused("parent-request-not-erasure"));
        }
        let txn = self.db.begin().await?;
        let t = now();
        let closed = portal_request::Entity::update_many()
            .col_expr(portal_request::Column::DoneAt, Some(t).into())
            .col_expr(portal_request::Column::DoneBy, Some(actor).into())
            .col_expr(
                portal_request::Column::Refusal,
                Some(reason.as_str().to_string()).into(),
            )
            .filter(portal_request::Column::OrgId.eq(r.org_id))
            .filter(portal_request::Column::Id.eq(r.id))
            .filter(portal_request::Column::DoneAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if closed == 0 {
            txn.rollback().await?;
            return Err(StoreError::Refused("parent-request-closed"));
        }
        // The timeline says that it was refused; the reason itself stays with the request.
        add_event(
            &txn,
            r.org_id,
            r.household_id,
            Some(actor),
            "erasure_refused",
            "",
        )
        .await?;
        let refused = request_of(&r)?;
        append_audit_in(&txn, audit(&refused)).await?;
        txn.commit().await?;
        Ok(refused)
    }

    // ---- ideas ------------------------------------------------------------------------

    /// The ideas of the household's neighbourhood, most votes first.
    pub async fn portal_ideas(&self, scope: &PortalScope) -> Result<Vec<IdeaLine>> {
        self.ideas_of(
            scope.org_id,
            scope.neighbourhood_id,
            Some(scope.household_id),
        )
        .await
    }

    /// The ideas of a neighbourhood for the worker: the parents' demand.
    pub async fn idea_demand(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
    ) -> Result<Vec<IdeaLine>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        self.ideas_of(tenant.org_id, neighbourhood_id, None).await
    }

    async fn ideas_of(
        &self,
        org_id: Uuid,
        neighbourhood_id: Uuid,
        household_id: Option<Uuid>,
    ) -> Result<Vec<IdeaLine>> {
        let rows = idea::Entity::find()
            .filter(idea::Column::OrgId.eq(org_id))
            .filter(idea::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(idea::Column::HiddenAt.is_null())
            .order_by_desc(idea::Column::CreatedAt)
            .limit(200)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|i| i.id).collect();
        let votes = idea_vote::Entity::find()
            .filter(idea_vote::Column::OrgId.eq(org_id))
            .filter(idea_vote::Column::IdeaId.is_in(ids))
            .all(&self.db)
            .await?;
        let mut count: HashMap<Uuid, u64> = HashMap::new();
        let mut mine: HashSet<Uuid> = HashSet::new();
        for v in votes {
            *count.entry(v.idea_id).or_default() += 1;
            if Some(v.household_id) == household_id {
                mine.insert(v.idea_id);
            }
        }
        let mut out: Vec<IdeaLine> = rows
            .into_iter()
            .filter_map(|i| {
                Some(IdeaLine {
                    id: i.id,
                    kind: IdeaKind::parse(&i.kind).ok()?,
                    votes: count.get(&i.id).copied().unwrap_or(0),
                    mine: Some(i.household_id) == household_id,
                    voted: mine.contains(&i.id),
                    title: i.title,
                    created_at: i.created_at,
                })
            })
            .collect();
        out.sort_by(|a, b| b.votes.cmp(&a.votes).then(b.created_at.cmp(&a.created_at)));
        Ok(out)
    }

    /// A parent's new idea; it starts with their own vote. With its audit entry, if any.
    pub async fn add_idea(
        &self,
        scope: &PortalScope,
        kind: IdeaKind,
        title: &IdeaTitle,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        self.scope_household(scope).await?;
        let id = Uuid::now_v7();
        let t = now();
        let txn = self.db.begin().await?;
        idea::ActiveModel {
            id: Set(id),
            org_id: Set(scope.org_id),
            neighbourhood_id: Set(scope.neighbourhood_id),
            household_id: Set(scope.household_id),
            kind: Set(kind.as_str().into()),
            title: Set(title.as_str().into()),
            created_at: Set(t),
            hidden_at: Set(None),
        }
        .insert(&txn)
        .await?;
        idea_vote::ActiveModel {
            org_id: Set(scope.org_id),
            idea_id: Set(id),
            household_id: Set(scope.household_id),
            created_at: Set(t),
        }
        .insert(&txn)
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Vote for an idea of the household's neighbourhood, or take the vote back. Returns
    /// whether the household now votes for it. `audit`, if any, gives the entry for that
    /// answer, committed with the vote.
    pub async fn toggle_idea_vote(
        &self,
        scope: &PortalScope,
        idea_id: Uuid,
        audit: Option<&(dyn Fn(bool) -> NewAuditEvent + Sync)>,
    ) -> Result<bool> {
        idea::Entity::find_by_id(idea_id)
            .filter(idea::Column::OrgId.eq(scope.org_id))
            .filter(idea::Column::NeighbourhoodId.eq(scope.neighbourhood_id))
            .filter(idea::Column::HiddenAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let txn = self.db.begin().await?;
        let removed = idea_vote::Entity::delete_many()
            .filter(idea_vote::Column::OrgId.eq(scope.org_id))
            .filter(idea_vote::Column::IdeaId.eq(idea_id))
            .filter(idea_vote::Column::HouseholdId.eq(scope.household_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if removed > 0 {
            append_audit_opt(&txn, audit.map(|a| a(false))).await?;
            txn.commit().await?;
            return Ok(false);
        }
        idea_vote::Entity::insert(idea_vote::ActiveModel {
            org_id: Set(scope.org_id),
            idea_id: Set(idea_id),
            household_id: Set(scope.household_id),
            created_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                idea_vote::Column::OrgId,
                idea_vote::Column::IdeaId,
                idea_vote::Column::HouseholdId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_opt(&txn, audit.map(|a| a(true))).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The worker hides an idea (done, or not for this place), with the audit entry (the
    /// store sets its neighbourhood to the idea's).
    pub async fn hide_idea(
        &self,
        tenant: &Tenant,
        idea_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let i = idea::Entity::find_by_id(idea_id)
            .filter(idea::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|i| tenant.may_see_neighbourhood(i.org_id, i.neighbourhood_id))
            .ok_or(StoreError::NotFound)?;
        let txn = self.db.begin().await?;
        idea::Entity::update_many()
            .col_expr(idea::Column::HiddenAt, Some(now()).into())
            .filter(idea::Column::Id.eq(i.id))
            .exec(&txn)
            .await?;
        let audit = NewAuditEvent {
            neighbourhood_id: Some(i.neighbourhood_id),
            ..audit
        };
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(i.neighbourhood_id)
    }

    /// Who the parents of the household's neighbourhood can call or WhatsApp, if set.
    pub async fn portal_contact(
        &self,
        scope: &PortalScope,
    ) -> Result<Option<(String, Option<PhoneNumber>)>> {
        let n = self
            .neighbourhood(&scope.tenant(), scope.neighbourhood_id)
            .await?;
        Ok((!n.contact_name.is_empty() || n.contact_phone.is_some())
            .then_some((n.contact_name, n.contact_phone)))
    }

    /// A household's calendar address from the portal: a new one, shown once; with its
    /// audit entry.
    pub async fn portal_calendar_feed(
        &self,
        scope: &PortalScope,
        audit: NewAuditEvent,
    ) -> Result<String> {
        self.renew_calendar_feed(&scope.tenant(), scope.household_id, audit)
            .await
    }

    /// Whether the household already has a calendar address.
    pub async fn portal_has_calendar_feed(&self, scope: &PortalScope) -> Result<bool> {
        self.has_calendar_feed(&scope.tenant(), scope.household_id)
            .await
    }
}

/// A stored request as the worker's line, without names.
fn request_of(r: &portal_request::Model) -> Result<ParentRequest> {
    Ok(ParentRequest {
        id: r.id,
        household_id: r.household_id,
        neighbourhood_id: r.neighbourhood_id,
        first_names: String::new(),
        kind: RequestKind::parse(&r.kind).ok_or(StoreError::NotFound)?,
        created_at: r.created_at,
    })
}

/// One parent's corrected phone number and e-mail address, with the search tokens and the
/// timeline event.
async fn update_contact(
    txn: &sea_orm::DatabaseTransaction,
    scope: &PortalScope,
    change: &ContactChange,
) -> Result<()> {
    let row = parent::Entity::find_by_id(change.parent_id)
        .filter(parent::Column::OrgId.eq(scope.org_id))
        .filter(parent::Column::HouseholdId.eq(scope.household_id))
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut active = parent::ActiveModel::from(row);
    active.phone = Set(change.phone.as_ref().map(|p| p.e164().to_string()));
    active.email = Set(change.email.as_ref().map(|e| e.as_str().to_string()));
    active.update(txn).await?;
    let parents = parent::Entity::find()
        .filter(parent::Column::OrgId.eq(scope.org_id))
        .filter(parent::Column::HouseholdId.eq(scope.household_id))
        .all(txn)
        .await?;
    set_search_tokens(
        txn,
        scope.org_id,
        scope.household_id,
        &stored_tokens(&parents),
    )
    .await?;
    add_event(
        txn,
        scope.org_id,
        scope.household_id,
        None,
        "contact_changed",
        "portal",
    )
    .await?;
    Ok(())
}

/// Whether a session is still ahead, for the answer buttons.
pub fn open_for_answers(s: &SessionSummary, at: DateTime<Utc>) -> bool {
    s.state != SessionState::Cancelled && s.ends_at > at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_reaches_only_its_own_neighbourhood() {
        let s = PortalScope {
            org_id: Uuid::now_v7(),
            neighbourhood_id: Uuid::now_v7(),
            household_id: Uuid::now_v7(),
        };
        let t = s.tenant();
        assert!(t.may_see_neighbourhood(s.org_id, s.neighbourhood_id));
        assert!(!t.may_see_neighbourhood(s.org_id, Uuid::now_v7()));
        assert!(!t.may_see_neighbourhood(Uuid::now_v7(), s.neighbourhood_id));
    }
}

//! The encouragement worklist of a session and the contact moments logged from it (handbook
//! §3.3). The rules live in `mtp_domain::encourage`; this module gathers the facts they need
//! in a fixed number of queries, whatever the size of the list.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::attendance::{AbsenceReason, AttendanceStatus, SessionState};
use mtp_domain::encourage::{self, HouseholdFacts, PastSession, Reason, Rsvp, Thresholds, Visit};
use mtp_domain::message::{ContactChannel, ContactOutcome};
use mtp_domain::schedule::TZ;
use mtp_domain::{HouseholdKind, HouseholdStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::activities::{SessionSummary, to_summary};
use crate::audit::NewAuditEvent;
use crate::entities::{
    attendance, chat_membership, contact_moment, household, parent, registration, rsvp, session,
};
use crate::households::{Parent, add_event, to_parent};
use crate::sessions::RsvpLine;
use crate::{Result, Store, StoreError, now};

/// How many earlier sessions of the same activity the rules look at.
const HISTORY: u64 = 8;

/// One card: a household, why it may need a word, and how to reach it.
#[derive(Debug, Clone)]
pub struct WorklistCard {
    pub household_id: Uuid,
    /// "Sanne & Ahmed".
    pub first_names: String,
    pub kind: HouseholdKind,
    /// Every reason that applies, the deciding one first.
    pub reasons: Vec<Reason>,
    pub at_risk: bool,
    /// The household already answered for this session.
    pub answered: bool,
    pub parents: Vec<Parent>,
    pub last_contact: Option<NaiveDate>,
    /// The latest contact moment about this session, if the worker logged one.
    pub outcome: Option<ContactOutcome>,
}

impl WorklistCard {
    /// Done for this session: a contact was logged and it was not "try later".
    pub fn done(&self) -> bool {
        self.outcome.is_some_and(ContactOutcome::is_done)
    }
}

#[derive(Debug, Clone)]
pub struct Worklist {
    pub s: SessionSummary,
    pub cards: Vec<WorklistCard>,
    /// Households with a contact moment about this session…
    pub encouraged: usize,
    /// …and how many of those came (known once attendance is taken).
    pub encouraged_came: usize,
}

/// A contact moment as the worker logs it from a card.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub household_id: Uuid,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub note: String,
    pub follow_up_on: Option<NaiveDate>,
}

/// The earliest session of the window this household has an attendance record for.
fn first_record(
    past: &[session::Model],
    visits: &HashMap<(Uuid, Uuid), Visit>,
    household: &Uuid,
) -> Option<NaiveDate> {
    past.iter()
        .filter(|p| visits.contains_key(&(p.id, *household)))
        .map(|p| local_date(p.starts_at))
        .min()
}

fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

impl Store {
    /// The worklist "who to encourage" for a session, most urgent first.
    pub async fn worklist(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        today: NaiveDate,
        thresholds: &Thresholds,
    ) -> Result<Worklist> {
        let s = self.session_row(tenant, session_id).await?;
        let a = self.activity_row(tenant, s.activity_id).await?;
        let org = tenant.org_id;

        // The earlier sessions of this activity that took place.
        let past: Vec<session::Model> = session::Entity::find()
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::ActivityId.eq(s.activity_id))
            .filter(session::Column::StartsAt.lt(s.starts_at))
            .filter(session::Column::State.is_not_in([
                SessionState::Cancelled.as_str(),
                SessionState::NotHeld.as_str(),
            ]))
            .order_by_desc(session::Column::StartsAt)
            .limit(HISTORY)
            .all(&self.db)
            .await?;
        let past_ids: Vec<Uuid> = past.iter().map(|p| p.id).collect();
        let rows = if past_ids.is_empty() {
            Vec::new()
        } else {
            attendance::Entity::find()
                .filter(attendance::Column::OrgId.eq(org))
                .filter(attendance::Column::SessionId.is_in(past_ids.clone()))
                .all(&self.db)
                .await?
        };
        // A session where attendance was taken: a registered family without a row did not come.
        let taken: BTreeSet<Uuid> = rows.iter().map(|r| r.session_id).collect();
        let mut visits: HashMap<(Uuid, Uuid), Visit> = HashMap::new();
        for r in &rows {
            visits.insert(
                (r.session_id, r.household_id),
                Visit::from_record(
                    AttendanceStatus::parse(&r.status).ok(),
                    r.reason
                        .as_deref()
                        .and_then(|x| AbsenceReason::parse(x).ok()),
                ),
            );
        }

        let registered: HashMap<Uuid, DateTime<Utc>> = registration::Entity::find()
            .filter(registration::Column::OrgId.eq(org))
            .filter(registration::Column::ActivityId.eq(s.activity_id))
            .filter(registration::Column::State.ne("waiting"))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.household_id, r.created_at))
            .collect();
        let answers: HashMap<Uuid, rsvp::Model> = rsvp::Entity::find()
            .filter(rsvp::Column::OrgId.eq(org))
            .filter(rsvp::Column::SessionId.eq(s.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.household_id, r))
            .collect();

        let mut ids: BTreeSet<Uuid> = registered.keys().copied().collect();
        ids.extend(answers.keys().copied());
        ids.extend(rows.iter().map(|r| r.household_id));
        let ids: Vec<Uuid> = ids.into_iter().collect();

        let mut households: HashMap<Uuid, household::Model> = HashMap::new();
        let mut parents: HashMap<Uuid, Vec<Parent>> = HashMap::new();
        let mut last_contact: HashMap<Uuid, NaiveDate> = HashMap::new();
        let mut outcome: HashMap<Uuid, ContactOutcome> = HashMap::new();
        let mut left_chat: HashMap<Uuid, NaiveDate> = HashMap::new();
        for chunk in ids.chunks(500) {
            for h in household::Entity::find()
                .filter(household::Column::OrgId.eq(org))
                .filter(household::Column::Id.is_in(chunk.to_vec()))
                .filter(household::Column::AnonymisedAt.is_null())
                .all(&self.db)
                .await?
            {
                if tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id) {
                    households.insert(h.id, h);
                }
            }
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(org))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(parent::Column::Position)
                .all(&self.db)
                .await?
            {
                parents
                    .entry(p.household_id)
                    .or_default()
                    .push(to_parent(p));
            }
            // Oldest first, so the newest contact is the one that stays.
            for c in contact_moment::Entity::find()
                .filter(contact_moment::Column::OrgId.eq(org))
                .filter(contact_moment::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(contact_moment::Column::At)
                .all(&self.db)
                .await?
            {
                last_contact.insert(c.household_id, local_date(c.at));
                if c.session_id == Some(s.id)
                    && let Ok(o) =
                        ContactOutcome::parse(&c.outcome, c.reason.as_deref().unwrap_or(""))
                {
                    outcome.insert(c.household_id, o);
                }
            }
            for m in chat_membership::Entity::find()
                .filter(chat_membership::Column::OrgId.eq(org))
                .filter(chat_membership::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(chat_membership::Column::JoinedAt)
                .all(&self.db)
                .await?
            {
                match m.left_at {
                    Some(left) => left_chat.insert(m.household_id, local_date(left)),
                    None => left_chat.remove(&m.household_id),
                };
            }
        }

        let facts: Vec<HouseholdFacts<Uuid>> = ids
            .iter()
            .filter_map(|id| {
                let h = households.get(id)?;
                let since = registered.get(id).copied();
                let history = past
                    .iter()
                    .map(|p| PastSession {
                        date: local_date(p.starts_at),
                        visit: match visits.get(&(p.id, *id)) {
                            Some(v) => *v,
                            None if taken.contains(&p.id)
                                && since.is_some_and(|at| at <= p.starts_at) =>
                            {
                                Visit::Absent(None)
                            }
                            None => Visit::NoRecord,
                        },
                    })
                    .collect();
                let rsvp = answers.get(id).map(|r| {
                    if r.coming {
                        Rsvp::Coming
                    } else {
                        Rsvp::NotComing(
                            r.reason
                                .as_deref()
                                .and_then(|x| AbsenceReason::parse(x).ok()),
                        )
                    }
                });
                // Seen at a session counts as contact too.
                let seen = past
                    .iter()
                    .find(|p| matches!(visits.get(&(p.id, *id)), Some(Visit::Present)))
                    .map(|p| local_date(p.starts_at));
                Some(HouseholdFacts {
                    id: *id,
                    status: HouseholdStatus::parse(&h.status).unwrap_or(HouseholdStatus::Active),
                    history,
                    rsvp,
                    // Registered today after a year of paper lists is no newcomer: the
                    // earliest session on record counts as joining too.
                    joined: first_record(&past, &visits, id)
                        .map(|d| d.min(local_date(h.created_at)))
                        .or(Some(local_date(h.created_at))),
                    left_chat_group: left_chat.get(id).copied(),
                    last_contact: std::cmp::max(last_contact.get(id).copied(), seen),
                })
            })
            .collect();
        let entries = encourage::worklist(&facts, today, thresholds);
        let mut cards: Vec<WorklistCard> = entries
            .into_iter()
            .filter_map(|e| {
                let h = households.get(&e.id)?;
                Some(WorklistCard {
                    household_id: e.id,
                    first_names: parents
                        .get(&e.id)
                        .map(|ps| {
                            ps.iter()
                                .map(|p| p.first_name.as_str())
                                .collect::<Vec<_>>()
                                .join(" & ")
                        })
                        .unwrap_or_default(),
                    kind: HouseholdKind::parse(&h.kind).unwrap_or(HouseholdKind::SingleParent),
                    at_risk: e.at_risk(),
                    answered: e.priority.answered(),
                    reasons: e.reasons,
                    parents: parents.remove(&e.id).unwrap_or_default(),
                    last_contact: last_contact.get(&e.id).copied(),
                    outcome: outcome.get(&e.id).copied(),
                })
            })
            .collect();
        // Done cards go below the open ones, in the same order.
        cards.sort_by_key(WorklistCard::done);

        let encouraged: Vec<Uuid> = outcome.keys().copied().collect();
        let came = if encouraged.is_empty() {
            0
        } else {
            attendance::Entity::find()
                .filter(attendance::Column::OrgId.eq(org))
                .filter(attendance::Column::SessionId.eq(s.id))
                .filter(attendance::Column::HouseholdId.is_in(encouraged.clone()))
                .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
                .all(&self.db)
                .await?
                .len()
        };
        Ok(Worklist {
            s: to_summary(s, &a),
            cards,
            encouraged: encouraged.len(),
            encouraged_came: came,
        })
    }

    /// Log a contact moment from the worklist, on the household's timeline and in the audit
    /// trail, in one transaction. A parent's answer ("she is coming") becomes the RSVP.
    pub async fn record_contact(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        actor: Option<Uuid>,
        c: &NewContact,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let s = self.session_row(tenant, session_id).await?;
        let h = self.household_row(tenant, c.household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        if let Some(answer) = c.outcome.rsvp() {
            let line = match answer {
                Rsvp::Coming => RsvpLine {
                    coming: true,
                    reason: None,
                    children: 0,
                    childcare: false,
                },
                Rsvp::NotComing(r) => RsvpLine {
                    coming: false,
                    reason: r.map(|r| r.as_str().to_string()),
                    children: 0,
                    childcare: false,
                },
            };
            self.set_rsvp(tenant, s.id, h.id, &line).await?;
        }
        loop {
            let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
            contact_moment::Entity::insert(contact_moment::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(tenant.org_id),
                household_id: Set(h.id),
                session_id: Set(Some(s.id)),
                actor_id: Set(actor),
                channel: Set(c.channel.as_str().into()),
                outcome: Set(c.outcome.as_str().into()),
                reason: Set(c.outcome.reason().map(|r| r.as_str().to_string())),
                note: Set(c.note.clone()),
                follow_up_on: Set(c.follow_up_on.map(|d| d.to_string())),
                follow_up_done_at: Set(None),
                at: Set(now()),
            })
            .exec_without_returning(&txn)
            .await?;
            add_event(
                &txn,
                tenant.org_id,
                h.id,
                actor,
                "contact",
                &format!("{}:{}", c.channel.as_str(), c.outcome.as_str()),
            )
            .await?;
            if self.commit_with_audit(txn, audit.clone()).await? {
                return Ok(());
            }
        }
    }

    /// The follow-up tasks ("needs help") not done yet, oldest date first, within the
    /// tenant's reach: (household, date, session).
    pub async fn open_follow_ups(
        &self,
        tenant: &Tenant,
    ) -> Result<Vec<(Uuid, NaiveDate, Option<Uuid>)>> {
        let rows = contact_moment::Entity::find()
            .filter(contact_moment::Column::OrgId.eq(tenant.org_id))
            .filter(contact_moment::Column::FollowUpOn.is_not_null())
            .filter(contact_moment::Column::FollowUpDoneAt.is_null())
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.household_id).collect();
        let mut reach: BTreeMap<Uuid, bool> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            for h in household::Entity::find()
                .filter(household::Column::OrgId.eq(tenant.org_id))
                .filter(household::Column::Id.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                reach.insert(
                    h.id,
                    h.anonymised_at.is_none()
                        && tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id),
                );
            }
        }
        let mut out: Vec<(Uuid, NaiveDate, Option<Uuid>)> = rows
            .into_iter()
            .filter(|r| reach.get(&r.household_id).copied().unwrap_or(false))
            .filter_map(|r| {
                let d = r.follow_up_on.as_deref()?.parse::<NaiveDate>().ok()?;
                Some((r.household_id, d, r.session_id))
            })
            .collect();
        out.sort_by_key(|r| r.1);
        Ok(out)
    }
}

//! The encouragement worklist of a session and the contact moments logged from it (handbook
//! §3.3). The rules live in `mtp_domain::encourage`; this module gathers the facts they need
//! in a fixed number of queries, whatever the size of the list.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::attendance::{AbsenceReason, AttendanceStatus, SessionState};
use mtp_domain::effect::{self, Effect};
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
use crate::households::{Parent, to_parent};
use crate::register::add_event;
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
    /// The note of the latest contact moment, when the worker wrote one: what was said last
    /// time is what the next word builds on.
    pub last_note: Option<String>,
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
    /// Of the households encouraged for this session, how many came; `None` while there are
    /// contacts but the attendance is not taken.
    pub effect: Option<Effect>,
}

/// An open follow-up task: a contact moment with the outcome "needs help" and a date.
#[derive(Debug, Clone)]
pub struct FollowUp {
    /// The contact moment's id.
    pub id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    /// "Sanne & Ahmed".
    pub first_names: String,
    pub due: NaiveDate,
    /// What the worker wrote down; may be empty.
    pub note: String,
    /// The session the contact was about, if any.
    pub session_id: Option<Uuid>,
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

/// The earlier sessions of the activity (newest first, at most `HISTORY`) and their
/// attendance.
struct History {
    past: Vec<session::Model>,
    /// The sessions whose attendance was taken.
    taken: BTreeSet<Uuid>,
    visits: HashMap<(Uuid, Uuid), Visit>,
    /// Every household with an attendance record in those sessions.
    households: Vec<Uuid>,
}

/// What households said: registered for the activity (since when), answered for the session.
struct Said {
    registered: HashMap<Uuid, DateTime<Utc>>,
    answers: HashMap<Uuid, rsvp::Model>,
}

/// What the worklist shows of each household; only households in reach are in `households`.
#[derive(Default)]
struct About {
    households: HashMap<Uuid, household::Model>,
    parents: HashMap<Uuid, Vec<Parent>>,
    last_contact: HashMap<Uuid, NaiveDate>,
    last_note: HashMap<Uuid, String>,
    outcome: HashMap<Uuid, ContactOutcome>,
    left_chat: HashMap<Uuid, NaiveDate>,
}

/// The facts the rules decide on, for each household in reach.
fn facts(ids: &[Uuid], history: &History, said: &Said, about: &About) -> Vec<HouseholdFacts<Uuid>> {
    let History {
        past,
        taken,
        visits,
        ..
    } = history;
    ids.iter()
        .filter_map(|id| {
            let h = about.households.get(id)?;
            let since = said.registered.get(id).copied();
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
            let rsvp = said.answers.get(id).map(|r| {
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
                joined: first_record(past, visits, id)
                    .map(|d| d.min(local_date(h.created_at)))
                    .or(Some(local_date(h.created_at))),
                left_chat_group: about.left_chat.get(id).copied(),
                last_contact: std::cmp::max(about.last_contact.get(id).copied(), seen),
            })
        })
        .collect()
}

/// A card for each entry the rules put on the list, in their order.
fn cards(entries: Vec<encourage::Entry<Uuid>>, mut about: About) -> Vec<WorklistCard> {
    entries
        .into_iter()
        .filter_map(|e| {
            let h = about.households.get(&e.id)?;
            Some(WorklistCard {
                household_id: e.id,
                first_names: about
                    .parents
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
                parents: about.parents.remove(&e.id).unwrap_or_default(),
                last_contact: about.last_contact.get(&e.id).copied(),
                last_note: about.last_note.remove(&e.id),
                outcome: about.outcome.get(&e.id).copied(),
            })
        })
        .collect()
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
        let history = self.history(tenant.org_id, &s).await?;
        let said = self.said(tenant.org_id, &s).await?;

        let mut ids: BTreeSet<Uuid> = said.registered.keys().copied().collect();
        ids.extend(said.answers.keys().copied());
        ids.extend(history.households.iter().copied());
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let about = self.about(tenant, &s, &ids).await?;

        let facts = facts(&ids, &history, &said, &about);
        let entries = encourage::worklist(&facts, today, thresholds);
        let mut cards = cards(entries, about);
        // Done cards go below the open ones, in the same order.
        cards.sort_by_key(WorklistCard::done);

        let effect = self.effects(tenant, &[s.id]).await?.remove(&s.id).flatten();
        Ok(Worklist {
            s: to_summary(s, &a),
            cards,
            effect,
        })
    }

    /// The earlier sessions of this activity that took place, and who came to them.
    async fn history(&self, org: Uuid, s: &session::Model) -> Result<History> {
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
        Ok(History {
            past,
            taken,
            visits,
            households: rows.iter().map(|r| r.household_id).collect(),
        })
    }

    /// Who registered for the activity (not on the waiting list), and who answered for this
    /// session.
    async fn said(&self, org: Uuid, s: &session::Model) -> Result<Said> {
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
        Ok(Said {
            registered,
            answers,
        })
    }

    /// The households in the tenant's reach, their parents, the latest contact and how each
    /// left the chat group: a few queries per 500 households.
    async fn about(&self, tenant: &Tenant, s: &session::Model, ids: &[Uuid]) -> Result<About> {
        let org = tenant.org_id;
        let mut about = About::default();
        for chunk in ids.chunks(500) {
            for h in household::Entity::find()
                .filter(household::Column::OrgId.eq(org))
                .filter(household::Column::Id.is_in(chunk.to_vec()))
                .filter(household::Column::AnonymisedAt.is_null())
                .all(&self.db)
                .await?
            {
                if tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id) {
                    about.households.insert(h.id, h);
                }
            }
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(org))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(parent::Column::Position)
                .all(&self.db)
                .await?
            {
                about
                    .parents
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
                about.last_contact.insert(c.household_id, local_date(c.at));
                if c.note.trim().is_empty() {
                    about.last_note.remove(&c.household_id);
                } else {
                    about.last_note.insert(c.household_id, c.note.clone());
                }
                if c.session_id == Some(s.id)
                    && let Ok(o) =
                        ContactOutcome::parse(&c.outcome, c.reason.as_deref().unwrap_or(""))
                {
                    about.outcome.insert(c.household_id, o);
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
                    Some(left) => about.left_chat.insert(m.household_id, local_date(left)),
                    None => about.left_chat.remove(&m.household_id),
                };
            }
        }
        Ok(about)
    }

    /// For each session, of the households encouraged, how many came (`mtp_domain::effect`);
    /// `None` for a session with contacts whose attendance was not taken. Two queries for any number of
    /// sessions, so the weekly overview can ask for all of its week at once.
    pub async fn effects(
        &self,
        tenant: &Tenant,
        sessions: &[Uuid],
    ) -> Result<HashMap<Uuid, Option<Effect>>> {
        let org = tenant.org_id;
        let mut contacts: HashMap<Uuid, Vec<(Uuid, ContactOutcome)>> = HashMap::new();
        let mut present: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        let mut taken: BTreeSet<Uuid> = BTreeSet::new();
        for chunk in sessions.chunks(500) {
            // Oldest first: the latest contact with a household decides.
            for c in contact_moment::Entity::find()
                .filter(contact_moment::Column::OrgId.eq(org))
                .filter(contact_moment::Column::SessionId.is_in(chunk.to_vec()))
                .order_by_asc(contact_moment::Column::At)
                .all(&self.db)
                .await?
            {
                let (Some(sid), Ok(o)) = (
                    c.session_id,
                    ContactOutcome::parse(&c.outcome, c.reason.as_deref().unwrap_or("")),
                ) else {
                    continue;
                };
                contacts.entry(sid).or_default().push((c.household_id, o));
            }
            for r in attendance::Entity::find()
                .filter(attendance::Column::OrgId.eq(org))
                .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                taken.insert(r.session_id);
                if r.status == AttendanceStatus::Present.as_str() {
                    present
                        .entry(r.session_id)
                        .or_default()
                        .insert(r.household_id);
                }
            }
        }
        Ok(sessions
            .iter()
            .map(|id| {
                let e = effect::effect(
                    contacts.get(id).map(Vec::as_slice).unwrap_or_default(),
                    &present.remove(id).unwrap_or_default(),
                    taken.contains(id),
                );
                (*id, e)
            })
            .collect())
    }

    /// Log a contact moment, on the household's timeline and in the audit trail, in one
    /// transaction. From the worklist it is about a session, and a parent's answer ("she is
    /// coming") becomes the RSVP; a contact outside the worklist has no session.
    pub async fn record_contact(
        &self,
        tenant: &Tenant,
        session_id: Option<Uuid>,
        actor: Option<Uuid>,
        c: &NewContact,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let s = match session_id {
            Some(id) => Some(self.session_row(tenant, id).await?),
            None => None,
        };
        let h = self.household_row(tenant, c.household_id).await?;
        // A contact about a session counts for that session's figures: only for a family of
        // its neighbourhood.
        let elsewhere = s
            .as_ref()
            .is_some_and(|s| s.neighbourhood_id != h.neighbourhood_id);
        if h.anonymised_at.is_some() || elsewhere {
            return Err(StoreError::NotFound);
        }
        if let (Some(s), Some(answer)) = (&s, c.outcome.rsvp()) {
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
            self.set_rsvp(tenant, s.id, h.id, &line, None).await?;
        }
        loop {
            let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
            contact_moment::Entity::insert(contact_moment::ActiveModel {
                id: Set(Uuid::now_v7()),
                org_id: Set(tenant.org_id),
                household_id: Set(h.id),
                session_id: Set(s.as_ref().map(|s| s.id)),
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

    /// The follow-up tasks ("needs help") not done yet, within the tenant's reach, the
    /// earliest date first (overdue ones on top). At most `limit`, and the number there are.
    pub async fn open_follow_ups(
        &self,
        tenant: &Tenant,
        limit: usize,
    ) -> Result<(Vec<FollowUp>, usize)> {
        let rows = contact_moment::Entity::find()
            .filter(contact_moment::Column::OrgId.eq(tenant.org_id))
            .filter(contact_moment::Column::FollowUpDoneAt.is_null())
            .filter(contact_moment::Column::FollowUpOn.is_not_null())
            .order_by_asc(contact_moment::Column::FollowUpOn)
            .order_by_asc(contact_moment::Column::At)
            .all(&self.db)
            .await?;
        let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.household_id).collect();
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let mut reach: HashMap<Uuid, Uuid> = HashMap::new();
        let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for h in household::Entity::find()
                .filter(household::Column::OrgId.eq(tenant.org_id))
                .filter(household::Column::Id.is_in(chunk.to_vec()))
                .filter(household::Column::AnonymisedAt.is_null())
                .all(&self.db)
                .await?
            {
                if tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id) {
                    reach.insert(h.id, h.neighbourhood_id);
                }
            }
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(parent::Column::Position)
                .all(&self.db)
                .await?
            {
                names.entry(p.household_id).or_default().push(p.first_name);
            }
        }
        let all: Vec<FollowUp> = rows
            .into_iter()
            .filter_map(|r| {
                let neighbourhood_id = *reach.get(&r.household_id)?;
                Some(FollowUp {
                    id: r.id,
                    household_id: r.household_id,
                    neighbourhood_id,
                    first_names: names
                        .get(&r.household_id)
                        .map(|n| n.join(" & "))
                        .unwrap_or_default(),
                    due: r.follow_up_on.as_deref()?.parse::<NaiveDate>().ok()?,
                    note: r.note,
                    session_id: r.session_id,
                })
            })
            .collect();
        let total = all.len();
        Ok((all.into_iter().take(limit).collect(), total))
    }

    /// One follow-up task, open or done, within the tenant's reach; with whether it is done.
    pub async fn follow_up(&self, tenant: &Tenant, id: Uuid) -> Result<(FollowUp, bool)> {
        let r = contact_moment::Entity::find_by_id(id)
            .filter(contact_moment::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let h = self.household_row(tenant, r.household_id).await?;
        let due = r
            .follow_up_on
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .ok_or(StoreError::NotFound)?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let first_names = parent::Entity::find()
            .filter(parent::Column::OrgId.eq(tenant.org_id))
            .filter(parent::Column::HouseholdId.eq(h.id))
            .order_by_asc(parent::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| p.first_name)
            .collect::<Vec<_>>()
            .join(" & ");
        Ok((
            FollowUp {
                id: r.id,
                household_id: h.id,
                neighbourhood_id: h.neighbourhood_id,
                first_names,
                due,
                note: r.note,
                session_id: r.session_id,
            },
            r.follow_up_done_at.is_some(),
        ))
    }

    /// Mark a follow-up task done, with an event on the household's timeline and the audit
    /// entry, in one transaction. Done twice (a resent form, two workers) changes nothing the
    /// second time: the update only touches a task that is still open. Returns whether this
    /// call closed it.
    pub async fn complete_follow_up(
        &self,
        tenant: &Tenant,
        id: Uuid,
        actor: Option<Uuid>,
        audit: NewAuditEvent,
    ) -> Result<bool> {
        let (task, _) = self.follow_up(tenant, id).await?;
        loop {
            let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
            let changed = contact_moment::Entity::update_many()
                .col_expr(contact_moment::Column::FollowUpDoneAt, Some(now()).into())
                .filter(contact_moment::Column::OrgId.eq(tenant.org_id))
                .filter(contact_moment::Column::Id.eq(id))
                .filter(contact_moment::Column::FollowUpDoneAt.is_null())
                .exec(&txn)
                .await?
                .rows_affected;
            if changed == 0 {
                txn.rollback().await?;
                return Ok(false);
            }
            add_event(
                &txn,
                tenant.org_id,
                task.household_id,
                actor,
                "follow_up_done",
                "",
            )
            .await?;
            if self.commit_with_audit(txn, audit.clone()).await? {
                return Ok(true);
            }
        }
    }
}

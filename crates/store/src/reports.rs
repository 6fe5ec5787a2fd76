//! The rows a report is computed from (`docs/indicators.md §1.6`), gathered per neighbourhood.
//!
//! The store only reads here: which household came when, what the team recorded about each
//! coffee hour, what kept families away. The counting is `mtp_domain::report::compute`, so the
//! page, the workbook and the test that recomputes from raw records share one definition.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use mtp_domain::activity::ActivityKind;
use mtp_domain::attendance::{
    AbsenceReason, AttendanceStatus, ChecklistItem, HostReply, SessionState,
};
use mtp_domain::effect::Effect;
use mtp_domain::indicators::{CoffeeHourRecord, Household, ParentDays, Visit};
use mtp_domain::message::{ContactOutcome, WeeklyBudget};
use mtp_domain::report::Inputs;
use mtp_domain::schedule::{TZ, local_to_utc};
use mtp_domain::{HouseholdKind, Role, Tenant};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entities::{
    account, activity, attendance, chat_membership, chat_post, contact_moment, household, parent,
    rsvp, session, session_staff,
};
use crate::orgs::Neighbourhood;
use crate::{Result, Store};

fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

/// The first instant of the day after `day` in Amsterdam: records before it belong to `day`
/// or earlier.
fn end_of(day: NaiveDate) -> DateTime<Utc> {
    local_to_utc(day + Days::new(1), NaiveTime::MIN)
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

fn is_coffee_hour(kind: ActivityKind) -> bool {
    matches!(
        kind,
        ActivityKind::CoffeeHourExclusive | ActivityKind::CoffeeHourOpen
    )
}

/// A session as the report needs it.
struct Held {
    date: NaiveDate,
    starts_at: DateTime<Utc>,
    kind: ActivityKind,
    state: SessionState,
    checklist: Vec<ChecklistItem>,
    free: bool,
}

/// One neighbourhood's rows for a report.
#[derive(Debug, Clone)]
pub struct ReportRows {
    pub neighbourhood: Neighbourhood,
    pub inputs: Inputs<Uuid>,
    /// The coffee-hour session of each date, so the weeks that missed can link to it.
    pub coffee_sessions: HashMap<NaiveDate, Uuid>,
}

impl Store {
    /// The rows of one neighbourhood's report, recorded up to and including `until` (the
    /// report's reference date, `docs/indicators.md §4.1`), looked at on `today`.
    /// Reach-checked: a neighbourhood outside the caller's organisation or neighbourhoods is
    /// `NotFound`.
    pub async fn report_inputs(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        until: NaiveDate,
        today: NaiveDate,
    ) -> Result<ReportRows> {
        let nb = self.neighbourhood(tenant, neighbourhood_id).await?;
        let org = tenant.org_id;
        let before = end_of(until);

        let kinds: HashMap<Uuid, (ActivityKind, bool)> = activity::Entity::find()
            .select_only()
            .columns([
                activity::Column::Id,
                activity::Column::Kind,
                activity::Column::CostCents,
            ])
            .filter(activity::Column::OrgId.eq(org))
            .filter(activity::Column::NeighbourhoodId.eq(nb.id))
            .into_tuple::<(Uuid, String, i32)>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(id, kind, cost)| {
                ActivityKind::parse(&kind)
                    .ok()
                    .map(|k| (id, (k, cost == 0)))
            })
            .collect();

        let mut sessions: HashMap<Uuid, Held> = HashMap::new();
        for (id, activity_id, starts_at, state, checklist) in session::Entity::find()
            .select_only()
            .columns([
                session::Column::Id,
                session::Column::ActivityId,
                session::Column::StartsAt,
                session::Column::State,
                session::Column::Checklist,
            ])
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::NeighbourhoodId.eq(nb.id))
            .filter(session::Column::StartsAt.lt(before))
            .into_tuple::<(Uuid, Uuid, DateTime<Utc>, String, String)>()
            .all(&self.db)
            .await?
        {
            let (Some((kind, free)), Ok(state)) =
                (kinds.get(&activity_id), SessionState::parse(&state))
            else {
                continue;
            };
            sessions.insert(
                id,
                Held {
                    date: local_date(starts_at),
                    starts_at,
                    kind: *kind,
                    state,
                    checklist: checklist
                        .split(',')
                        .filter_map(|s| ChecklistItem::parse(s).ok())
                        .collect(),
                    free: *free,
                },
            );
        }
        let held = |id: &Uuid| sessions.get(id).filter(|s| s.state == SessionState::Held);

        let mut inputs = Inputs::<Uuid> {
            estimate: nb.target_group.as_ref().map(|t| t.estimate.get()),
            ..Inputs::default()
        };

        // Attendance of the neighbourhood's sessions: visits (present at a held session) and
        // absences (excused or absent at a held session), `§1.3` and `§6`.
        let mut present: HashMap<Uuid, u32> = HashMap::new();
        for (session_id, household_id, status, reason) in attendance::Entity::find()
            .select_only()
            .columns([
                attendance::Column::SessionId,
                attendance::Column::HouseholdId,
                attendance::Column::Status,
                attendance::Column::Reason,
            ])
            .join(
                JoinType::InnerJoin,
                attendance::Entity::belongs_to(session::Entity)
                    .from(attendance::Column::SessionId)
                    .to(session::Column::Id)
                    .into(),
            )
            .filter(attendance::Column::OrgId.eq(org))
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::NeighbourhoodId.eq(nb.id))
            .filter(session::Column::StartsAt.lt(before))
            .into_tuple::<(Uuid, Uuid, String, Option<String>)>()
            .all(&self.db)
            .await?
        {
            let Some(s) = held(&session_id) else {
                continue;
            };
            if status == AttendanceStatus::Present.as_str() {
                inputs.visits.push(Visit {
                    household: household_id,
                    date: s.date,
                    kind: s.kind,
                });
                *present.entry(session_id).or_default() += 1;
            } else {
                let reason = reason.as_deref().and_then(|r| AbsenceReason::parse(r).ok());
                inputs.absences.push((s.date, reason));
            }
        }

        inputs.households = household::Entity::find()
            .select_only()
            .columns([household::Column::Id, household::Column::Kind])
            .filter(household::Column::OrgId.eq(org))
            .filter(household::Column::NeighbourhoodId.eq(nb.id))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, kind)| Household {
                id,
                kind: HouseholdKind::parse(&kind).unwrap_or(HouseholdKind::SingleParent),
            })
            .collect();

        for (household_id, works, free_days) in parent::Entity::find()
            .select_only()
            .columns([
                parent::Column::HouseholdId,
                parent::Column::Works,
                parent::Column::FreeDays,
            ])
            .join(
                JoinType::InnerJoin,
                parent::Entity::belongs_to(household::Entity)
                    .from(parent::Column::HouseholdId)
                    .to(household::Column::Id)
                    .into(),
            )
            .filter(parent::Column::OrgId.eq(org))
            .filter(household::Column::OrgId.eq(org))
            .filter(household::Column::NeighbourhoodId.eq(nb.id))
            .into_tuple::<(Uuid, bool, String)>()
            .all(&self.db)
            .await?
        {
            // Stored as 0 = Monday … 6 = Sunday, the form's numbering.
            let free_days = free_days
                .split(',')
                .filter_map(|d| d.parse::<u8>().ok())
                .filter_map(|d| chrono::Weekday::try_from(d).ok())
                .collect();
            inputs
                .parent_days
                .entry(household_id)
                .or_default()
                .push(ParentDays { works, free_days });
        }

        // "Can't come" from the household itself, and childcare asked for (`§6`), dated by
        // the session they are about.
        for (session_id, coming, reason, childcare) in rsvp::Entity::find()
            .select_only()
            .columns([
                rsvp::Column::SessionId,
                rsvp::Column::Coming,
                rsvp::Column::Reason,
                rsvp::Column::Childcare,
            ])
            .join(
                JoinType::InnerJoin,
                rsvp::Entity::belongs_to(session::Entity)
                    .from(rsvp::Column::SessionId)
                    .to(session::Column::Id)
                    .into(),
            )
            .filter(rsvp::Column::OrgId.eq(org))
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::NeighbourhoodId.eq(nb.id))
            .filter(session::Column::StartsAt.lt(before))
            .into_tuple::<(Uuid, bool, Option<String>, bool)>()
            .all(&self.db)
            .await?
        {
            let Some(s) = sessions.get(&session_id) else {
                continue;
            };
            if !coming {
                let reason = reason.as_deref().and_then(|r| AbsenceReason::parse(r).ok());
                inputs.cant_come.push((s.date, reason));
            }
            if childcare {
                inputs.childcare_requests.push(s.date);
            }
        }

        // Contact moments about the neighbourhood's sessions: "not coming" is a "can't come"
        // answer (`§6`), and one logged before the session started means the team encouraged
        // (`§5`, check 6).
        let mut encouraged: HashSet<Uuid> = HashSet::new();
        for (session_id, outcome, reason, at) in contact_moment::Entity::find()
            .select_only()
            .columns([
                contact_moment::Column::SessionId,
                contact_moment::Column::Outcome,
                contact_moment::Column::Reason,
                contact_moment::Column::At,
            ])
            .join(
                JoinType::InnerJoin,
                contact_moment::Entity::belongs_to(session::Entity)
                    .from(contact_moment::Column::SessionId)
                    .to(session::Column::Id)
                    .into(),
            )
            .filter(contact_moment::Column::OrgId.eq(org))
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::NeighbourhoodId.eq(nb.id))
            .filter(session::Column::StartsAt.lt(before))
            .into_tuple::<(Option<Uuid>, String, Option<String>, DateTime<Utc>)>()
            .all(&self.db)
            .await?
        {
            let Some((id, s)) = session_id.and_then(|id| sessions.get(&id).map(|s| (id, s))) else {
                continue;
            };
            if at < s.starts_at {
                encouraged.insert(id);
            }
            if let Ok(ContactOutcome::NotComing(reason)) =
                ContactOutcome::parse(&outcome, reason.as_deref().unwrap_or(""))
            {
                inputs.cant_come.push((s.date, reason));
            }
        }

        let held_ids: Vec<Uuid> = sessions
            .iter()
            .filter(|(_, s)| s.state == SessionState::Held)
            .map(|(id, _)| *id)
            .collect();
        inputs.held_sessions = held_ids
            .iter()
            .filter_map(|id| sessions.get(id).map(|s| s.date))
            .collect();
        let effects = self.effects(tenant, &held_ids).await?;
        inputs.effects = held_ids
            .iter()
            .filter_map(|id| {
                let s = sessions.get(id)?;
                // A session the answer leaves out had nobody to judge: an empty effect.
                let effect = effects.get(id).copied().unwrap_or(Some(Effect::default()));
                Some((s.date, effect))
            })
            .collect();

        inputs.coffee_hours = self
            .coffee_hour_records(org, nb.id, &sessions, &present, &encouraged, today)
            .await?;
        let coffee_sessions = sessions
            .iter()
            .filter(|(_, s)| is_coffee_hour(s.kind))
            .map(|(id, s)| (s.date, *id))
            .collect();
        Ok(ReportRows {
            neighbourhood: nb,
            inputs,
            coffee_sessions,
        })
    }

    /// One record per coffee-hour session that took place or should have (`§5`): planned
    /// sessions still to come are not held against the team.
    async fn coffee_hour_records(
        &self,
        org: Uuid,
        nb: Uuid,
        sessions: &HashMap<Uuid, Held>,
        present: &HashMap<Uuid, u32>,
        encouraged: &HashSet<Uuid>,
        today: NaiveDate,
    ) -> Result<Vec<CoffeeHourRecord>> {
        let coffee: Vec<(&Uuid, &Held)> = sessions
            .iter()
            .filter(|(_, s)| is_coffee_hour(s.kind))
            .filter(|(_, s)| s.state != SessionState::Planned || s.date < today)
            .collect();
        if coffee.is_empty() {
            return Ok(Vec::new());
        }

        // Who said yes on the rota: a host, and how many workers.
        let mut hosts: HashSet<Uuid> = HashSet::new();
        let mut workers: HashMap<Uuid, u32> = HashMap::new();
        let ids: Vec<Uuid> = coffee.iter().map(|(id, _)| **id).collect();
        for chunk in ids.chunks(500) {
            for (session_id, reply, role) in session_staff::Entity::find()
                .select_only()
                .column(session_staff::Column::SessionId)
                .column(session_staff::Column::Reply)
                .column(account::Column::Role)
                .join(
                    JoinType::InnerJoin,
                    session_staff::Entity::belongs_to(account::Entity)
                        .from(session_staff::Column::AccountId)
                        .to(account::Column::Id)
                        .into(),
                )
                .filter(session_staff::Column::OrgId.eq(org))
                .filter(account::Column::OrgId.eq(org))
                .filter(session_staff::Column::SessionId.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, String, String)>()
                .all(&self.db)
                .await?
            {
                if HostReply::parse(&reply) != Ok(HostReply::Confirmed) {
                    continue;
                }
                match Role::parse(&role) {
                    Some(Role::Host) => {
                        hosts.insert(session_id);
                    }
                    Some(Role::Worker | Role::Coordinator | Role::Admin) => {
                        *workers.entry(session_id).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }

        // The chat group's posts per week, and since when the neighbourhood has a group.
        let group_since: Option<NaiveDate> = chat_membership::Entity::find()
            .select_only()
            .column(chat_membership::Column::JoinedAt)
            .filter(chat_membership::Column::OrgId.eq(org))
            .filter(chat_membership::Column::NeighbourhoodId.eq(nb))
            .into_tuple::<DateTime<Utc>>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(local_date)
            .min();
        let mut posts: HashMap<NaiveDate, u32> = HashMap::new();
        if group_since.is_some() {
            for at in chat_post::Entity::find()
                .select_only()
                .column(chat_post::Column::At)
                .filter(chat_post::Column::OrgId.eq(org))
                .filter(chat_post::Column::NeighbourhoodId.eq(nb))
                .into_tuple::<DateTime<Utc>>()
                .all(&self.db)
                .await?
            {
                *posts.entry(monday(local_date(at))).or_default() += 1;
            }
        }
        let budget = WeeklyBudget::DEFAULT.get();

        Ok(coffee
            .into_iter()
            .map(|(id, s)| CoffeeHourRecord {
                date: s.date,
                state: s.state,
                host_present: hosts.contains(id),
                healthy_snacks: s.checklist.contains(&ChecklistItem::HealthySnacks),
                attended: present.get(id).copied().unwrap_or(0),
                workers: workers.get(id).copied().unwrap_or(0),
                free_of_charge: s.free,
                encouraged_before: encouraged.contains(id)
                    || s.checklist.contains(&ChecklistItem::ParticipantsEncouraged),
                chat_budget_kept: group_since
                    .filter(|since| *since <= s.date)
                    .map(|_| posts.get(&monday(s.date)).copied().unwrap_or(0) <= budget),
            })
            .collect())
    }
}

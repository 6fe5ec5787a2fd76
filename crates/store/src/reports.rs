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
use mtp_domain::effect::effect;
use mtp_domain::indicators::{ACTIVE_WINDOW_DAYS, CoffeeHourRecord, Household, ParentDays, Visit};
use mtp_domain::message::{ContactOutcome, WeeklyBudget};
use mtp_domain::report::{Inputs, VisitWindow};
use mtp_domain::schedule::{TZ, local_to_utc};
use mtp_domain::{HouseholdKind, Role, Tenant};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Select};
use uuid::Uuid;

use crate::entities::{
    account, activity, attendance, chat_membership, chat_post, contact_moment, household,
    organisation, rsvp, session, session_staff,
};
use crate::orgs::Neighbourhood;
use crate::visit_marks::{decode_counts, decode_log, log_since};
use crate::{Result, Store, StoreError};

fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

/// The first instant of the day after `day` in Amsterdam: records before it belong to `day`
/// or earlier.
fn end_of(day: NaiveDate) -> DateTime<Utc> {
    local_to_utc(day + Days::new(1), NaiveTime::MIN)
}

/// The first day of the periods a window was made for: every record but the visits only
/// counts within a period (`docs/indicators.md §10.2`).
fn periods_from(w: VisitWindow) -> NaiveDate {
    w.every_visit_from
        .checked_add_days(Days::new(ACTIVE_WINDOW_DAYS))
        .unwrap_or(w.every_visit_from)
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
    neighbourhood: Uuid,
    date: NaiveDate,
    starts_at: DateTime<Utc>,
    kind: ActivityKind,
    state: SessionState,
    checklist: Vec<ChecklistItem>,
    free: bool,
    /// The attendance counted per status and reason, kept on the session
    /// (`crate::visit_marks::decode_counts`).
    counts: String,
}

/// One neighbourhood's rows for a report.
#[derive(Debug, Clone)]
pub struct ReportRows {
    pub neighbourhood: Neighbourhood,
    pub inputs: Inputs<Uuid>,
    /// The coffee-hour session of each date, so the weeks that missed can link to it.
    pub coffee_sessions: HashMap<NaiveDate, Uuid>,
}

/// The sessions a report reads: of the chosen neighbourhoods, from the window's first day
/// (when there is one) up to the reference date.
fn sessions_between<E: EntityTrait>(
    q: Select<E>,
    org: Uuid,
    neighbourhoods: &[Uuid],
    from: Option<DateTime<Utc>>,
    before: DateTime<Utc>,
) -> Select<E> {
    let q = q
        .filter(session::Column::OrgId.eq(org))
        .filter(session::Column::NeighbourhoodId.is_in(neighbourhoods.to_vec()))
        .filter(session::Column::StartsAt.lt(before));
    match from {
        Some(from) => q.filter(session::Column::StartsAt.gte(from)),
        None => q,
    }
}

/// The rows of `E` about those sessions, joined to the session through `session_id`.
fn of_sessions<E: EntityTrait>(
    q: Select<E>,
    session_id: E::Column,
    org: Uuid,
    neighbourhoods: &[Uuid],
    from: Option<DateTime<Utc>>,
    before: DateTime<Utc>,
) -> Select<E> {
    let q = q.join(
        JoinType::InnerJoin,
        E::belongs_to(session::Entity)
            .from(session_id)
            .to(session::Column::Id)
            .into(),
    );
    sessions_between(q, org, neighbourhoods, from, before)
}

/// Attendance of the periods' sessions from the counts kept on each session (`§10.2`): the
/// absences (`§6`), the turnout (`§5`) and which sessions had their attendance taken, without
/// reading a row per household. Which contacted households came, for the encouragement
/// effect (`§7`), comes with the contact moments (`Store::gather_answers`); the visits from
/// the households' logs.
fn count_attendance(sessions: &HashMap<Uuid, Held>, per: &mut HashMap<Uuid, Gathered>) {
    let present = AttendanceStatus::Present.as_str();
    for (session_id, s) in sessions {
        let Some(g) = per.get_mut(&s.neighbourhood) else {
            continue;
        };
        for group in decode_counts(&s.counts) {
            g.taken.insert(*session_id);
            if s.state != SessionState::Held {
                continue;
            }
            if group.status == present {
                *g.parents_present.entry(*session_id).or_default() += group.adults;
            } else {
                let reason = group.reason.and_then(|r| AbsenceReason::parse(r).ok());
                g.inputs.absences.extend(std::iter::repeat_n(
                    (s.date, reason),
                    usize::try_from(group.n).unwrap_or(0),
                ));
            }
        }
    }
}

/// What is gathered per neighbourhood before it becomes `ReportRows`.
#[derive(Default)]
struct Gathered {
    inputs: Inputs<Uuid>,
    /// The neighbourhood's households: only their visits count (`docs/indicators.md §10`).
    own: HashSet<Uuid>,
    /// Households recorded present, per session: all of them when every row is read, and
    /// with a window only those the team contacted about it, all the effect needs (`§7`).
    present: HashMap<Uuid, HashSet<Uuid>>,
    /// Parents recorded present, per session: the second-worker check's group (children do
    /// not count; `attendance::needs_second_worker`).
    parents_present: HashMap<Uuid, u32>,
    /// Sessions whose attendance was taken.
    taken: HashSet<Uuid>,
    /// Per session, the households contacted about it and the outcome, oldest first.
    contacts: HashMap<Uuid, Vec<(Uuid, ContactOutcome)>>,
    /// Sessions the team contacted a household about before they started.
    encouraged: HashSet<Uuid>,
}

/// A household row as a report reads it: id, neighbourhood, kind, first and second visit,
/// visit log, and its parents' days (`Store::household_rows`).
type HouseholdRow = (
    Uuid,
    Uuid,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    String,
    String,
);
/// Session, household, status, reason, adults.
type AttendanceRow = (Uuid, Uuid, String, Option<String>, i32);
/// Session, coming, reason, childcare.
type RsvpRow = (Uuid, bool, Option<String>, bool);
/// Session, household, outcome, reason, when, and whether the household came.
type ContactRow = (
    Option<Uuid>,
    Uuid,
    String,
    Option<String>,
    DateTime<Utc>,
    Option<i32>,
);
/// Session, reply, role of the account on the rota.
type StaffRow = (Uuid, String, String);

/// What the coffee-hour records need besides the sessions (`Store::coffee_hour_records`).
struct RotaAndChat {
    staff: Vec<StaffRow>,
    memberships: Vec<(Uuid, DateTime<Utc>)>,
    posts: Vec<(Uuid, DateTime<Utc>)>,
    budget: u32,
}

impl Store {
    /// The rows of one neighbourhood's report, every visit up to and including `until` (the
    /// report's reference date, `docs/indicators.md §4.1`), looked at on `today`: the
    /// recomputation the windowed [`Store::report_rows`] is tested against. Reach-checked: a
    /// neighbourhood outside the caller's organisation or neighbourhoods is `NotFound`.
    pub async fn report_inputs(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        until: NaiveDate,
        today: NaiveDate,
    ) -> Result<ReportRows> {
        self.report_rows(tenant, &[neighbourhood_id], None, until, today)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The rows of each neighbourhood's report, in the order asked, recorded up to and
    /// including `until`. With a `window` (`mtp_domain::report::VisitWindow`), only the
    /// households that came in it are read, the visits it reads one by one, with stand-ins
    /// for the rest, come from the log kept on each of them, and the other records are read
    /// from the periods' first day, the attendance from the counts kept on each session
    /// (`docs/indicators.md §10.1`–`§10.3`). Without one, every household and every record
    /// is read row by row: the recomputation the tests compare with.
    /// Reach-checked: any neighbourhood outside the caller's organisation or neighbourhoods
    /// makes it `NotFound`.
    ///
    /// The kinds of record are independent of each other, so they are read side by side
    /// (on PostgreSQL each on its own connection, on SQLite on the pool's reader threads)
    /// and put together afterwards: a report waits for its slowest query, not for their sum
    /// (docs/benchmarks.md, "Reports").
    pub async fn report_rows(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
        window: Option<VisitWindow>,
        until: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<ReportRows>> {
        // One query for all: the tenant's neighbourhoods are those in its reach.
        let mut reach: HashMap<Uuid, Neighbourhood> = self
            .neighbourhoods(tenant)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        let mut nbs = Vec::with_capacity(neighbourhoods.len());
        for id in neighbourhoods {
            nbs.push(reach.remove(id).ok_or(StoreError::NotFound)?);
        }
        let ids: Vec<Uuid> = nbs.iter().map(|n| n.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let org = tenant.org_id;
        let before = end_of(until);
        // Visits come from the window's start (`add_households`); every other record only
        // counts within a period, so it is read from the periods' first day.
        let from = window.map(|w| local_to_utc(periods_from(w), NaiveTime::MIN));
        let came_since = window.map(|w| local_to_utc(w.start(), NaiveTime::MIN));
        let mut per: HashMap<Uuid, Gathered> = nbs
            .iter()
            .map(|n| {
                let inputs = Inputs {
                    estimate: n.target_group.as_ref().map(|t| t.estimate.get()),
                    ..Inputs::default()
                };
                (
                    n.id,
                    Gathered {
                        inputs,
                        ..Gathered::default()
                    },
                )
            })
            .collect();

        let ids = ids.as_slice();
        // Each read is boxed: side by side, their futures would otherwise make one future
        // of hundreds of kilobytes.
        let (sessions, households, attendance, rsvps, contacts, rota) = tokio::try_join!(
            Box::pin(self.report_sessions(org, ids, from, before)),
            Box::pin(self.household_rows(org, ids, came_since)),
            Box::pin(async {
                // With a window the sessions' kept counts stand for the attendance rows.
                match from {
                    None => self.attendance_rows(org, ids, before).await.map(Some),
                    Some(_) => Ok(None),
                }
            }),
            Box::pin(self.rsvp_rows(org, ids, from, before)),
            Box::pin(self.contact_rows(org, ids, from, before)),
            Box::pin(self.rota_and_chat(org, ids, from, before)),
        )?;
        add_households(households, window, until, &mut per);
        match attendance {
            Some(rows) => add_attendance(rows, &sessions, &mut per),
            None => count_attendance(&sessions, &mut per),
        }
        add_answers(rsvps, contacts, &sessions, &mut per);

        let mut out = Vec::with_capacity(nbs.len());
        let mut records = coffee_hour_records(&sessions, &per, rota, today);
        for nb in nbs {
            let Some(mut g) = per.remove(&nb.id) else {
                continue;
            };
            let mine = || {
                sessions
                    .iter()
                    .filter(move |(_, s)| s.neighbourhood == nb.id)
            };
            let mut held: Vec<(&Uuid, &Held)> = mine()
                .filter(|(_, s)| s.state == SessionState::Held)
                .collect();
            held.sort_by_key(|(_, s)| s.starts_at);
            g.inputs.held_sessions = held.iter().map(|(_, s)| s.date).collect();
            g.inputs.effects = held
                .iter()
                .map(|(id, s)| {
                    let contacts = g.contacts.get(*id).map(Vec::as_slice).unwrap_or_default();
                    let present = g.present.remove(*id).unwrap_or_default();
                    (s.date, effect(contacts, &present, g.taken.contains(*id)))
                })
                .collect();
            g.inputs.coffee_hours = records.remove(&nb.id).unwrap_or_default();
            let coffee_sessions = mine()
                .filter(|(_, s)| is_coffee_hour(s.kind))
                .map(|(id, s)| (s.date, *id))
                .collect();
            out.push(ReportRows {
                neighbourhood: nb,
                inputs: g.inputs,
                coffee_sessions,
            });
        }
        Ok(out)
    }

    /// The sessions of the neighbourhoods' activities in the window, with what the report
    /// needs of their activity.
    async fn report_sessions(
        &self,
        org: Uuid,
        ids: &[Uuid],
        from: Option<DateTime<Utc>>,
        before: DateTime<Utc>,
    ) -> Result<HashMap<Uuid, Held>> {
        let activities = activity::Entity::find()
            .select_only()
            .columns([
                activity::Column::Id,
                activity::Column::Kind,
                activity::Column::CostCents,
            ])
            .filter(activity::Column::OrgId.eq(org))
            .filter(activity::Column::NeighbourhoodId.is_in(ids.to_vec()))
            .into_tuple::<(Uuid, String, i32)>()
            .all(&self.db);
        let sessions = sessions_between(
            session::Entity::find().select_only().columns([
                session::Column::Id,
                session::Column::ActivityId,
                session::Column::NeighbourhoodId,
                session::Column::StartsAt,
                session::Column::State,
                session::Column::Checklist,
                session::Column::AttendanceCounts,
            ]),
            org,
            ids,
            from,
            before,
        )
        .into_tuple::<(Uuid, Uuid, Uuid, DateTime<Utc>, String, String, String)>()
        .all(&self.db);
        let (activities, rows) = tokio::try_join!(Box::pin(activities), Box::pin(sessions))?;
        let kinds: HashMap<Uuid, (ActivityKind, bool)> = activities
            .into_iter()
            .filter_map(|(id, kind, cost)| {
                ActivityKind::parse(&kind)
                    .ok()
                    .map(|k| (id, (k, cost == 0)))
            })
            .collect();
        let mut sessions = HashMap::with_capacity(rows.len());
        for (id, activity_id, neighbourhood, starts_at, state, checklist, counts) in rows {
            let (Some((kind, free)), Ok(state)) =
                (kinds.get(&activity_id), SessionState::parse(&state))
            else {
                continue;
            };
            sessions.insert(
                id,
                Held {
                    neighbourhood,
                    date: local_date(starts_at),
                    starts_at,
                    kind: *kind,
                    state,
                    checklist: checklist
                        .split(',')
                        .filter_map(|s| ChecklistItem::parse(s).ok())
                        .collect(),
                    free: *free,
                    counts,
                },
            );
        }
        Ok(sessions)
    }

    /// Attendance of the sessions, every row (`add_attendance`): the recomputation from
    /// raw records; a report with a window uses `count_attendance`.
    async fn attendance_rows(
        &self,
        org: Uuid,
        ids: &[Uuid],
        before: DateTime<Utc>,
    ) -> Result<Vec<AttendanceRow>> {
        Ok(of_sessions(
            attendance::Entity::find()
                .select_only()
                .columns([
                    attendance::Column::SessionId,
                    attendance::Column::HouseholdId,
                    attendance::Column::Status,
                    attendance::Column::Reason,
                    attendance::Column::Adults,
                ])
                .filter(attendance::Column::OrgId.eq(org)),
            attendance::Column::SessionId,
            org,
            ids,
            None,
            before,
        )
        .into_tuple::<AttendanceRow>()
        .all(&self.db)
        .await?)
    }

    /// The neighbourhoods' households with their marks, visit log and parents' days
    /// (`add_households`, `crate::household_facts`). With `came_since` (a window's first
    /// day) only those whose latest own visit is on or after it: the others add nothing to
    /// a report of the window (`docs/indicators.md §10.3`).
    async fn household_rows(
        &self,
        org: Uuid,
        ids: &[Uuid],
        came_since: Option<DateTime<Utc>>,
    ) -> Result<Vec<HouseholdRow>> {
        let mut q = household::Entity::find()
            .select_only()
            .columns([
                household::Column::Id,
                household::Column::NeighbourhoodId,
                household::Column::Kind,
                household::Column::FirstVisitAt,
                household::Column::SecondVisitAt,
                household::Column::VisitLog,
                household::Column::ParentDays,
            ])
            .filter(household::Column::OrgId.eq(org))
            .filter(household::Column::NeighbourhoodId.is_in(ids.to_vec()));
        if let Some(since) = came_since {
            q = q.filter(household::Column::LastVisitAt.gte(since));
        }
        Ok(q.into_tuple::<HouseholdRow>().all(&self.db).await?)
    }

    /// What households answered about the sessions themselves: "I can't come" and
    /// childcare asked for (`add_answers`).
    async fn rsvp_rows(
        &self,
        org: Uuid,
        ids: &[Uuid],
        from: Option<DateTime<Utc>>,
        before: DateTime<Utc>,
    ) -> Result<Vec<RsvpRow>> {
        Ok(of_sessions(
            rsvp::Entity::find()
                .select_only()
                .columns([
                    rsvp::Column::SessionId,
                    rsvp::Column::Coming,
                    rsvp::Column::Reason,
                    rsvp::Column::Childcare,
                ])
                .filter(rsvp::Column::OrgId.eq(org)),
            rsvp::Column::SessionId,
            org,
            ids,
            from,
            before,
        )
        .into_tuple::<RsvpRow>()
        .all(&self.db)
        .await?)
    }

    /// The contact moments of the worklist about the sessions, oldest first, each with
    /// whether the household contacted came (`add_answers`).
    async fn contact_rows(
        &self,
        org: Uuid,
        ids: &[Uuid],
        from: Option<DateTime<Utc>>,
        before: DateTime<Utc>,
    ) -> Result<Vec<ContactRow>> {
        // Whether the household contacted came to the session: all the encouragement
        // effect needs of the attendance (`§7`), one lookup by primary key per contact.
        let came = Expr::cust(format!(
            "(SELECT 1 FROM attendance a WHERE a.org_id = contact_moment.org_id \
             AND a.session_id = contact_moment.session_id \
             AND a.household_id = contact_moment.household_id AND a.status = '{}')",
            AttendanceStatus::Present.as_str()
        ));
        // Oldest first: for the encouragement effect the latest contact with a household
        // decides (`mtp_domain::effect`).
        Ok(of_sessions(
            contact_moment::Entity::find()
                .select_only()
                .columns([
                    contact_moment::Column::SessionId,
                    contact_moment::Column::HouseholdId,
                    contact_moment::Column::Outcome,
                    contact_moment::Column::Reason,
                    contact_moment::Column::At,
                ])
                .column_as(came, "came")
                .filter(contact_moment::Column::OrgId.eq(org)),
            contact_moment::Column::SessionId,
            org,
            ids,
            from,
            before,
        )
        .order_by_asc(contact_moment::Column::At)
        .into_tuple::<ContactRow>()
        .all(&self.db)
        .await?)
    }

    /// Who said yes on the rota of the sessions, the chat groups' members and posts, and the
    /// organisation's weekly number of posts: the rest of what `coffee_hour_records` needs.
    async fn rota_and_chat(
        &self,
        org: Uuid,
        ids: &[Uuid],
        from: Option<DateTime<Utc>>,
        before: DateTime<Utc>,
    ) -> Result<RotaAndChat> {
        let staff = of_sessions(
            session_staff::Entity::find()
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
                .filter(account::Column::OrgId.eq(org)),
            session_staff::Column::SessionId,
            org,
            ids,
            from,
            before,
        )
        .into_tuple::<StaffRow>()
        .all(&self.db);
        let memberships = chat_membership::Entity::find()
            .select_only()
            .column(chat_membership::Column::NeighbourhoodId)
            .column(chat_membership::Column::JoinedAt)
            .filter(chat_membership::Column::OrgId.eq(org))
            .filter(chat_membership::Column::NeighbourhoodId.is_in(ids.to_vec()))
            .into_tuple::<(Uuid, DateTime<Utc>)>()
            .all(&self.db);
        let mut posts = chat_post::Entity::find()
            .select_only()
            .column(chat_post::Column::NeighbourhoodId)
            .column(chat_post::Column::At)
            .filter(chat_post::Column::OrgId.eq(org))
            .filter(chat_post::Column::NeighbourhoodId.is_in(ids.to_vec()));
        // A week counts from its Monday, up to six days before the window's first day.
        if let Some(from) = from {
            posts = posts.filter(chat_post::Column::At.gte(from - chrono::Duration::days(7)));
        }
        let posts = posts.into_tuple::<(Uuid, DateTime<Utc>)>().all(&self.db);
        let organisation = organisation::Entity::find_by_id(org).one(&self.db);
        let (staff, memberships, posts, organisation) = tokio::try_join!(
            Box::pin(staff),
            Box::pin(memberships),
            Box::pin(posts),
            Box::pin(organisation)
        )?;
        // The organisation's own weekly number of posts (docs/guide/admin.md); the handbook
        // gives none.
        let budget = organisation
            .and_then(|o| WeeklyBudget::parse(&o.chat_budget.to_string()).ok())
            .unwrap_or_default()
            .get();
        Ok(RotaAndChat {
            staff,
            memberships,
            posts,
            budget,
        })
    }
}

/// Attendance of the sessions, every row: visits (present at a held session) of the
/// neighbourhood's own households and absences (excused or absent at a held session),
/// `§1.3` and `§6`; and who was present, for the encouragement effect (`§7`). The
/// households must have been added first (`add_households`): only their visits count.
fn add_attendance(
    rows: Vec<AttendanceRow>,
    sessions: &HashMap<Uuid, Held>,
    per: &mut HashMap<Uuid, Gathered>,
) {
    let present = AttendanceStatus::Present.as_str();
    for (session_id, household_id, status, reason, adults) in rows {
        let Some(s) = sessions.get(&session_id) else {
            continue;
        };
        let Some(g) = per.get_mut(&s.neighbourhood) else {
            continue;
        };
        g.taken.insert(session_id);
        if s.state != SessionState::Held {
            continue;
        }
        if status == present {
            g.present
                .entry(session_id)
                .or_default()
                .insert(household_id);
            *g.parents_present.entry(session_id).or_default() += u32::try_from(adults).unwrap_or(0);
            if g.own.contains(&household_id) {
                g.inputs.visits.push(Visit {
                    household: household_id,
                    date: s.date,
                    kind: s.kind,
                });
            }
        } else {
            let reason = reason.as_deref().and_then(|r| AbsenceReason::parse(r).ok());
            g.inputs.absences.push((s.date, reason));
        }
    }
}

/// The neighbourhoods' households and their parents' working days (`§8`). With a window,
/// the households that came in it (`§10.3`) and their visits from the log kept on each
/// household (`crate::visit_marks`, `§10.2`): those
/// the window reads one by one, and the stand-ins for the rest (`VisitWindow::stand_ins`,
/// from the first two visits kept beside it).
fn add_households(
    rows: Vec<HouseholdRow>,
    window: Option<VisitWindow>,
    until: NaiveDate,
    per: &mut HashMap<Uuid, Gathered>,
) {
    for (id, nb, kind, first, second, log, parents) in rows {
        let Some(g) = per.get_mut(&nb) else {
            continue;
        };
        g.own.insert(id);
        g.inputs.households.push(Household {
            id,
            kind: HouseholdKind::parse(&kind).unwrap_or(HouseholdKind::SingleParent),
        });
        if let Some(w) = window {
            let first = first.map(local_date);
            // The log is oldest first and a window reads nothing before its start: only
            // the log's tail is decoded (a year's report of a household of ten years reads
            // one year of it).
            g.inputs.visits.extend(
                decode_log(log_since(&log, w.start()))
                    .filter(|v| v.own && v.date <= until && w.reads(v.date, first))
                    .map(|v| Visit {
                        household: id,
                        date: v.date,
                        kind: v.kind,
                    }),
            );
            g.inputs
                .visits
                .extend(w.stand_ins(&id, first, second.map(local_date)));
        }
        if parents.is_empty() {
            continue;
        }
        let days = parents.split(';').filter_map(|p| {
            let (works, free_days) = p.split_once(':')?;
            // Stored as 0 = Monday … 6 = Sunday, the form's numbering.
            let free_days = free_days
                .split(',')
                .filter_map(|d| d.parse::<u8>().ok())
                .filter_map(|d| chrono::Weekday::try_from(d).ok())
                .collect();
            Some(ParentDays {
                works: works == "1",
                free_days,
            })
        });
        g.inputs.parent_days.entry(id).or_default().extend(days);
    }
}

/// What households answered about the sessions: their own "I can't come" and childcare
/// asked for, and the contact moments of the worklist (`§6`, `§7`), all dated by the
/// session they are about. A contact logged before the session started means the team
/// encouraged (`§5`, check 6).
fn add_answers(
    rsvps: Vec<RsvpRow>,
    contacts: Vec<ContactRow>,
    sessions: &HashMap<Uuid, Held>,
    per: &mut HashMap<Uuid, Gathered>,
) {
    for (session_id, coming, reason, childcare) in rsvps {
        let Some((s, g)) = sessions
            .get(&session_id)
            .and_then(|s| per.get_mut(&s.neighbourhood).map(|g| (s, g)))
        else {
            continue;
        };
        if !coming {
            let reason = reason.as_deref().and_then(|r| AbsenceReason::parse(r).ok());
            g.inputs.cant_come.push((s.date, reason));
        }
        if childcare {
            g.inputs.childcare_requests.push(s.date);
        }
    }
    for (session_id, household_id, outcome, reason, at, came) in contacts {
        let Some((id, s, g)) = session_id.and_then(|id| {
            let s = sessions.get(&id)?;
            per.get_mut(&s.neighbourhood).map(|g| (id, s, g))
        }) else {
            continue;
        };
        if at < s.starts_at {
            g.encouraged.insert(id);
        }
        if came.is_some() {
            g.present.entry(id).or_default().insert(household_id);
        }
        let Ok(outcome) = ContactOutcome::parse(&outcome, reason.as_deref().unwrap_or("")) else {
            continue;
        };
        if let ContactOutcome::NotComing(reason) = outcome {
            g.inputs.cant_come.push((s.date, reason));
        }
        g.contacts
            .entry(id)
            .or_default()
            .push((household_id, outcome));
    }
}

/// Per neighbourhood, one record per coffee-hour session that took place or should have
/// (`§5`): planned sessions still to come are not held against the team.
fn coffee_hour_records(
    sessions: &HashMap<Uuid, Held>,
    per: &HashMap<Uuid, Gathered>,
    rota: RotaAndChat,
    today: NaiveDate,
) -> HashMap<Uuid, Vec<CoffeeHourRecord>> {
    // Who said yes on the rota: a host, and how many workers.
    let mut hosts: HashSet<Uuid> = HashSet::new();
    let mut workers: HashMap<Uuid, u32> = HashMap::new();
    for (session_id, reply, role) in rota.staff {
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

    // Each chat group's posts per week, and since when the neighbourhood has a group.
    let mut group_since: HashMap<Uuid, NaiveDate> = HashMap::new();
    for (nb, joined) in rota.memberships {
        let day = local_date(joined);
        group_since
            .entry(nb)
            .and_modify(|d| *d = Ord::min(*d, day))
            .or_insert(day);
    }
    let mut posts: HashMap<(Uuid, NaiveDate), u32> = HashMap::new();
    for (nb, at) in rota.posts {
        if group_since.contains_key(&nb) {
            *posts.entry((nb, monday(local_date(at)))).or_default() += 1;
        }
    }

    let judged =
        |s: &Held| is_coffee_hour(s.kind) && (s.state != SessionState::Planned || s.date < today);
    let mut records: HashMap<Uuid, Vec<CoffeeHourRecord>> = HashMap::new();
    let mut coffee: Vec<(&Uuid, &Held)> = sessions.iter().filter(|(_, s)| judged(s)).collect();
    coffee.sort_by_key(|(_, s)| s.starts_at);
    for (id, s) in coffee {
        let nb = s.neighbourhood;
        let encouraged = per.get(&nb).is_some_and(|g| g.encouraged.contains(id));
        // The group of parents, not of families (issue #17): the second-worker check.
        let attended = per
            .get(&nb)
            .and_then(|g| g.parents_present.get(id))
            .copied()
            .unwrap_or(0);
        records.entry(nb).or_default().push(CoffeeHourRecord {
            date: s.date,
            state: s.state,
            host_present: hosts.contains(id),
            healthy_snacks: s.checklist.contains(&ChecklistItem::HealthySnacks),
            attended,
            workers: workers.get(id).copied().unwrap_or(0),
            free_of_charge: s.free,
            encouraged_before: encouraged
                || s.checklist.contains(&ChecklistItem::ParticipantsEncouraged),
            chat_budget_kept: group_since
                .get(&nb)
                .filter(|since| **since <= s.date)
                .map(|_| posts.get(&(nb, monday(s.date))).copied().unwrap_or(0) <= rota.budget),
        });
    }
    records
}

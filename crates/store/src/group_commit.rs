//! Group commit for check-ins at the door.
//!
//! Every tap must reach the disk before the phone is told "counted" (an acknowledged write
//! survives a crash), and on SQLite with `synchronous=FULL` that is one flush of the log per
//! commit. Taps arriving while a commit is under way wait in a queue; the writer takes the
//! whole queue into the next transaction, one flush and one bump of the audit chain for all of
//! them.
//!
//! The handler queues a tap without reading anything: the checks (session in reach and not
//! cancelled, a host's "from today on", household in reach, of the session's neighbourhood
//! and in the audience)
//! and the writes (keys, attendance, last attendance, audit entries) are a fixed number of
//! set-based statements per group, not a few per tap. On SQLite every statement is a round
//! trip to sqlx's worker thread, and those hand-overs, not the work, set the pace
//! (docs/benchmarks.md). Each tap still claims its own key, so a replay inside a group or
//! across groups counts once. If a group fails, its taps are tried one by one, so one bad tap
//! cannot sink the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use mtp_domain::HouseholdKind;
use mtp_domain::activity::{Audience, may_join};
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, IdenStatic,
    JoinType, QueryFilter, QuerySelect, QueryTrait, Set,
};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_many};
use crate::entities::{
    activity, activity_invite, attendance, attendance_parent, checkin_key, household, parent,
    session,
};
use crate::sessions::{CheckinOutcome, Tap, attendance_row, attendance_upsert};
use crate::{Result, Store, StoreError, now};

/// The most taps in one transaction; more wait for the next. Keeps every multi-row statement
/// well under both databases' limits on bound values (attendance: 11 a row).
const MAX_BATCH: usize = 256;

struct Job {
    tap: Tap,
    reply: oneshot::Sender<Result<CheckinOutcome>>,
}

/// The queue's sending end, made on first use inside the runtime that serves requests.
#[derive(Clone, Debug, Default)]
pub(crate) struct Queue(Arc<OnceLock<mpsc::UnboundedSender<Job>>>);

/// What the group needs to know of a session.
struct SessionFacts {
    org_id: Uuid,
    neighbourhood_id: Uuid,
    activity_id: Uuid,
    starts_at: DateTime<Utc>,
    cancelled: bool,
    /// Only a held session's attendance is a visit (`SessionState::counts_attendance`):
    /// taps at any other leave the households' visit marks and logs as they are.
    held: bool,
    audience: Audience,
}

/// What the group needs to know of a household.
struct HouseholdFacts {
    org_id: Uuid,
    neighbourhood_id: Uuid,
    kind: HouseholdKind,
    erased: bool,
}

impl Store {
    /// Queue one tap and wait until it is committed (or found to be a replay or refused).
    pub(crate) async fn commit_checkin(&self, tap: Tap) -> Result<CheckinOutcome> {
        let (reply, answer) = oneshot::channel();
        let job = Job { tap, reply };
        let sender = self.checkins.0.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            // The writer runs on its own task, so a request dropped half-way (the phone lost
            // its connection) cannot leave the taps of other phones uncommitted.
            tokio::spawn(self.clone().write_checkins(rx));
            tx
        });
        if let Err(mpsc::error::SendError(job)) = sender.send(job) {
            // The writer is gone (its runtime ended): write this one tap here.
            self.write_batch(vec![job]).await;
        }
        answer.await.unwrap_or_else(|_| {
            Err(crate::StoreError::Db(sea_orm::DbErr::Custom(
                "the check-in writer stopped".into(),
            )))
        })
    }

    async fn write_checkins(self, mut rx: mpsc::UnboundedReceiver<Job>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.write_batch(batch).await;
        }
    }

    /// Write a batch in one transaction and answer every tap. A failed batch of several taps
    /// is tried again tap by tap, so only the tap that fails gets the error.
    async fn write_batch(&self, batch: Vec<Job>) {
        match self.try_batch(&batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    // A phone that hung up does not mind.
                    let _ = job.reply.send(outcome);
                }
            }
            Err(e) if batch.len() == 1 => {
                if let Some(job) = batch.into_iter().next() {
                    let _ = job.reply.send(Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, taps = batch.len(), "a check-in batch failed; trying each tap alone");
                for job in batch {
                    Box::pin(self.write_batch(vec![job])).await;
                }
            }
        }
    }

    /// One transaction for the group. The outer error is the database's (the group is tried
    /// again tap by tap); the inner results are each tap's answer.
    async fn try_batch(&self, batch: &[Job]) -> Result<Vec<Result<CheckinOutcome>>> {
        loop {
            let (_gate, txn) = self.begin_write().await?;
            let (outcomes, audit) = checked_writes(&txn, batch).await?;
            let mut headless = Vec::new();
            for (org_id, events) in audit {
                if append_audit_many(&txn, org_id, events).await?.is_some() {
                    headless.push(org_id);
                }
            }
            if headless.is_empty() {
                txn.commit().await?;
                return Ok(outcomes);
            }
            txn.rollback().await?;
            drop(_gate);
            for org_id in headless {
                self.audit_ensure_head(org_id).await?;
            }
        }
    }
}

/// Each tap's answer so far; `None` while it passes every check.
type Answers = Vec<Option<Result<CheckinOutcome>>>;

/// Check every tap of the group and write the ones that pass, in the caller's transaction.
/// Gives each tap's answer and the audit entries to append, per organisation, in tap order.
#[allow(clippy::type_complexity)]
async fn checked_writes(
    txn: &DatabaseTransaction,
    batch: &[Job],
) -> Result<(
    Vec<Result<CheckinOutcome>>,
    BTreeMap<Uuid, Vec<NewAuditEvent>>,
)> {
    let taps: Vec<&Tap> = batch.iter().map(|j| &j.tap).collect();
    let orgs: BTreeSet<Uuid> = taps.iter().map(|t| t.tenant.org_id).collect();
    let sessions = sessions_of(txn, &orgs, &taps).await?;
    let mut answers = check_sessions(&taps, &sessions);
    check_households(txn, &orgs, &taps, &sessions, &mut answers).await?;
    check_parents(txn, &orgs, &taps, &mut answers).await?;
    check_keys(txn, &taps, &mut answers).await?;
    let plan = plan(&taps, &sessions, &mut answers);
    let audit = write_plan(txn, &taps, plan).await?;
    let answers = answers
        .into_iter()
        .map(|a| a.unwrap_or(Err(StoreError::NotFound)))
        .collect();
    Ok((answers, audit))
}

/// The session: in the tenant's reach, for hosts not in the past, not cancelled.
fn check_sessions(taps: &[&Tap], sessions: &HashMap<Uuid, SessionFacts>) -> Answers {
    taps.iter()
        .map(|t| match sessions.get(&t.checkin.session_id) {
            Some(s) if t.tenant.may_see_neighbourhood(s.org_id, s.neighbourhood_id) => {
                let day = s
                    .starts_at
                    .with_timezone(&mtp_domain::schedule::TZ)
                    .date_naive();
                if t.from_day.is_some_and(|from| day < from) {
                    Some(Err(StoreError::Forbidden))
                } else if s.cancelled {
                    Some(Err(StoreError::Refused("session-refused-cancelled")))
                } else {
                    None
                }
            }
            _ => Some(Err(StoreError::NotFound)),
        })
        .collect()
}

/// The household: within the tapper's reach, not erased, and (unless the tap is an undo)
/// of the session's neighbourhood and in the activity's audience; tailored activities ask
/// their invitation list. A household out of reach is answered like an id nobody has.
async fn check_households(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    taps: &[&Tap],
    sessions: &HashMap<Uuid, SessionFacts>,
    answers: &mut Answers,
) -> Result<()> {
    let wanted: BTreeSet<Uuid> = open(answers, taps)
        .map(|(_, t)| t.checkin.household_id)
        .collect();
    let households = households_of(txn, orgs, &wanted).await?;
    let tailored: BTreeSet<Uuid> = open(answers, taps)
        .filter_map(|(_, t)| sessions.get(&t.checkin.session_id))
        .filter(|s| s.audience == Audience::Tailored)
        .map(|s| s.activity_id)
        .collect();
    let invited = invitations(txn, orgs, &tailored, &wanted).await?;
    for (i, t) in taps.iter().enumerate() {
        if answers[i].is_some() {
            continue;
        }
        let c = &t.checkin;
        let s = sessions.get(&c.session_id);
        let h = households.get(&c.household_id).filter(|h| {
            h.org_id == t.tenant.org_id
                && !h.erased
                && t.tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id)
                // A session's list is read by everyone who reaches the session (its host too),
                // so only its own neighbourhood's families go on it. An undo only takes a
                // family off, also one that has moved since.
                && (c.status.is_none() || s.is_some_and(|s| s.neighbourhood_id == h.neighbourhood_id))
        });
        let Some(h) = h else {
            answers[i] = Some(Err(StoreError::NotFound));
            continue;
        };
        if c.status.is_none() {
            continue;
        }
        if let Some(s) = s {
            let on_list = invited.contains(&(s.activity_id, c.household_id));
            if let Err(r) = may_join(s.audience, h.kind, on_list) {
                answers[i] = Some(Err(StoreError::Refused(r.key())));
            }
        }
    }
    Ok(())
}

/// Who came: every parent named must be one of the household's own.
async fn check_parents(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    taps: &[&Tap],
    answers: &mut Answers,
) -> Result<()> {
    let named: BTreeSet<Uuid> = open(answers, taps)
        .filter_map(|(_, t)| t.checkin.parents.as_ref())
        .flatten()
        .copied()
        .collect();
    let parents = parents_of(txn, orgs, &named).await?;
    for (i, t) in taps.iter().enumerate() {
        let c = &t.checkin;
        if answers[i].is_some() {
            continue;
        }
        let Some(named) = &c.parents else {
            continue;
        };
        let foreign = named
            .iter()
            .any(|p| parents.get(p) != Some(&(t.tenant.org_id, c.household_id)));
        if foreign {
            answers[i] = Some(Err(StoreError::Refused("checkin-refused-parents")));
        }
    }
    Ok(())
}

/// Keys: the first tap with a key claims it; a later one (in this group, or a key already
/// stored) is a replay that writes nothing.
async fn check_keys(txn: &DatabaseTransaction, taps: &[&Tap], answers: &mut Answers) -> Result<()> {
    let mut seen: HashSet<(Uuid, &str)> = HashSet::new();
    let mut claims = Vec::new();
    for (i, t) in taps.iter().enumerate() {
        if answers[i].is_some() {
            continue;
        }
        let Some(key) = t.checkin.key.as_deref() else {
            continue;
        };
        if !seen.insert((t.tenant.org_id, key)) {
            answers[i] = Some(Ok(CheckinOutcome::Replayed));
            continue;
        }
        claims.push(i);
    }
    // In key order: two app servers claiming overlapping keys then take PostgreSQL's locks
    // on them in the same order and wait for each other instead of deadlocking.
    claims.sort_by(|&a, &b| {
        (taps[a].tenant.org_id, taps[a].checkin.key.as_deref())
            .cmp(&(taps[b].tenant.org_id, taps[b].checkin.key.as_deref()))
    });
    let claimed = claim_keys(txn, taps, &claims).await?;
    for i in claims {
        let key = taps[i].checkin.key.as_deref().unwrap_or_default();
        if !claimed.contains(&(taps[i].tenant.org_id, key.to_string())) {
            answers[i] = Some(Ok(CheckinOutcome::Replayed));
        }
    }
    Ok(())
}

/// What the group writes, gathered from the taps that passed every check.
#[derive(Default)]
struct Plan {
    /// Per organisation, session and household: the tap that decides the row.
    last: BTreeMap<(Uuid, Uuid, Uuid), usize>,
    /// Per organisation and session: the households whose row an undo removes.
    undone: BTreeMap<(Uuid, Uuid), Vec<Uuid>>,
    /// Per organisation and session start: the households seen there.
    moved: BTreeMap<(Uuid, DateTime<Utc>), BTreeSet<Uuid>>,
    audit: BTreeMap<Uuid, Vec<NewAuditEvent>>,
    who: BTreeMap<(Uuid, Uuid, Uuid), Who>,
    /// The group's sessions that are held: only taps there change visits.
    held: BTreeSet<Uuid>,
}

/// Everything still open is recorded. Per household and session only the last tap
/// decides the row; an undo anywhere in the group removes the row first, so a tap after
/// it writes a fresh row, exactly as one transaction per tap would have.
fn plan(taps: &[&Tap], sessions: &HashMap<Uuid, SessionFacts>, answers: &mut Answers) -> Plan {
    let recorded: Vec<usize> = (0..taps.len()).filter(|&i| answers[i].is_none()).collect();
    let mut plan = Plan::default();
    for &i in &recorded {
        let (t, c) = (taps[i], &taps[i].checkin);
        let org_id = t.tenant.org_id;
        // Every open tap passed the session check above.
        let Some(s) = sessions.get(&c.session_id) else {
            continue;
        };
        plan.last.insert((org_id, c.session_id, c.household_id), i);
        if s.held {
            plan.held.insert(c.session_id);
        }
        let w = plan
            .who
            .entry((org_id, c.session_id, c.household_id))
            .or_insert(Who::Keep);
        match (c.status, &c.parents) {
            (Some(AttendanceStatus::Present), Some(named)) if !named.is_empty() => {
                *w = Who::Set(named.clone())
            }
            // An empty list takes back what was said: present, nobody named.
            (Some(AttendanceStatus::Present), None) => {}
            _ => *w = Who::Clear,
        }
        if c.status.is_none() {
            plan.undone
                .entry((org_id, c.session_id))
                .or_default()
                .push(c.household_id);
        }
        if c.status == Some(AttendanceStatus::Present) {
            plan.moved
                .entry((org_id, s.starts_at))
                .or_default()
                .insert(c.household_id);
        }
        let mut event = t.audit.clone();
        event.neighbourhood_id = Some(s.neighbourhood_id);
        plan.audit.entry(org_id).or_default().push(event);
        answers[i] = Some(Ok(CheckinOutcome::Recorded));
    }
    plan
}

/// Write the plan: undos, attendance rows, who came, last attendance. Gives the audit
/// entries to append.
async fn write_plan(
    txn: &DatabaseTransaction,
    taps: &[&Tap],
    plan: Plan,
) -> Result<BTreeMap<Uuid, Vec<NewAuditEvent>>> {
    let Plan {
        last,
        undone,
        moved,
        audit,
        who,
        held,
    } = plan;
    // The households whose visits change, per organisation: their marks are refreshed below.
    // At the door the session is usually not yet marked held, and then no visit changes:
    // rebuilding those households' logs would cost every tap a read of its whole history.
    let mut touched: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for ((org_id, session_id), households) in &undone {
        if held.contains(session_id) {
            touched.entry(*org_id).or_default().extend(households);
        }
    }
    for (org_id, session_id, household_id) in last.keys() {
        if held.contains(session_id) {
            touched.entry(*org_id).or_default().push(*household_id);
        }
    }
    // And the sessions whose attendance counts change.
    let mut counted: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (org_id, session_id) in undone.keys() {
        counted.entry(*org_id).or_default().push(*session_id);
    }
    for (org_id, session_id, _) in last.keys() {
        counted.entry(*org_id).or_default().push(*session_id);
    }
    for ((org_id, session_id), households) in undone {
        attendance::Entity::delete_many()
            .filter(attendance::Column::OrgId.eq(org_id))
            .filter(attendance::Column::SessionId.eq(session_id))
            .filter(attendance::Column::HouseholdId.is_in(households))
            .exec(txn)
            .await?;
    }
    let rows: Vec<attendance::ActiveModel> = last
        .values()
        .filter_map(|&i| {
            attendance_row(
                taps[i].tenant.org_id,
                taps[i].actor,
                &taps[i].checkin,
                false,
            )
        })
        .collect();
    if !rows.is_empty() {
        attendance::Entity::insert_many(rows)
            .on_conflict(attendance_upsert())
            .exec_without_returning(txn)
            .await?;
    }
    for (org_id, households) in touched {
        crate::visit_marks::refresh_visit_marks(txn, org_id, &households).await?;
    }
    for (org_id, sessions) in counted {
        crate::visit_marks::refresh_session_counts(txn, org_id, &sessions).await?;
    }
    write_who(txn, who).await?;
    for ((org_id, starts_at), households) in moved {
        household::Entity::update_many()
            .col_expr(household::Column::LastAttendedAt, starts_at.into())
            .filter(household::Column::OrgId.eq(org_id))
            .filter(household::Column::Id.is_in(households))
            .filter(
                Condition::any()
                    .add(household::Column::LastAttendedAt.is_null())
                    .add(household::Column::LastAttendedAt.lt(starts_at)),
            )
            .exec(txn)
            .await?;
    }
    Ok(audit)
}

/// What the group leaves of "who came" for one household and session. Taps count in order:
/// an undo or an absence clears it, a worker's list replaces it, a tap at the door keeps it.
enum Who {
    Keep,
    Clear,
    Set(Vec<Uuid>),
}

/// Clear and write "who came": one delete per session and one insert for the group, and
/// nothing at all for plain taps at the door.
async fn write_who(
    txn: &DatabaseTransaction,
    who: BTreeMap<(Uuid, Uuid, Uuid), Who>,
) -> Result<()> {
    let mut clear: BTreeMap<(Uuid, Uuid), Vec<Uuid>> = BTreeMap::new();
    let mut rows = Vec::new();
    for ((org_id, session_id, household_id), w) in who {
        if matches!(w, Who::Keep) {
            continue;
        }
        clear
            .entry((org_id, session_id))
            .or_default()
            .push(household_id);
        if let Who::Set(named) = w {
            let named: BTreeSet<Uuid> = named.into_iter().collect();
            rows.extend(
                named
                    .into_iter()
                    .map(|parent_id| attendance_parent::ActiveModel {
                        org_id: Set(org_id),
                        session_id: Set(session_id),
                        parent_id: Set(parent_id),
                        household_id: Set(household_id),
                    }),
            );
        }
    }
    for ((org_id, session_id), households) in clear {
        attendance_parent::Entity::delete_many()
            .filter(attendance_parent::Column::OrgId.eq(org_id))
            .filter(attendance_parent::Column::SessionId.eq(session_id))
            .filter(attendance_parent::Column::HouseholdId.is_in(households))
            .exec(txn)
            .await?;
    }
    for chunk in rows.chunks(MAX_BATCH) {
        attendance_parent::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// The household and organisation of each named parent, in one query.
async fn parents_of(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    ids: &BTreeSet<Uuid>,
) -> Result<HashMap<Uuid, (Uuid, Uuid)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid, Uuid)> = parent::Entity::find()
        .select_only()
        .column(parent::Column::Id)
        .column(parent::Column::OrgId)
        .column(parent::Column::HouseholdId)
        .filter(parent::Column::OrgId.is_in(orgs.iter().copied()))
        .filter(parent::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, org_id, household_id)| (id, (org_id, household_id)))
        .collect())
}

/// The taps still without an answer.
fn open<'a>(
    answers: &'a [Option<Result<CheckinOutcome>>],
    taps: &'a [&'a Tap],
) -> impl Iterator<Item = (usize, &'a Tap)> + 'a {
    taps.iter()
        .enumerate()
        .filter(|(i, _)| answers[*i].is_none())
        .map(|(i, t)| (i, *t))
}

/// id, org, neighbourhood, activity, start, state; the activity's org and audience.
type SessionRow = (Uuid, Uuid, Uuid, Uuid, DateTime<Utc>, String, Uuid, String);

/// The group's sessions with their activity's audience, in one query.
async fn sessions_of(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    taps: &[&Tap],
) -> Result<HashMap<Uuid, SessionFacts>> {
    let ids: BTreeSet<Uuid> = taps.iter().map(|t| t.checkin.session_id).collect();
    let rows: Vec<SessionRow> = session::Entity::find()
        .select_only()
        .column(session::Column::Id)
        .column(session::Column::OrgId)
        .column(session::Column::NeighbourhoodId)
        .column(session::Column::ActivityId)
        .column(session::Column::StartsAt)
        .column(session::Column::State)
        .column(activity::Column::OrgId)
        .column(activity::Column::Audience)
        .join(
            JoinType::InnerJoin,
            session::Entity::belongs_to(activity::Entity)
                .from(session::Column::ActivityId)
                .to(activity::Column::Id)
                .into(),
        )
        .filter(session::Column::OrgId.is_in(orgs.iter().copied()))
        .filter(session::Column::Id.is_in(ids))
        .filter(activity::Column::OrgId.is_in(orgs.iter().copied()))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.1 == r.6)
        .map(
            |(id, org_id, neighbourhood_id, activity_id, starts_at, state, _, audience)| {
                let facts = SessionFacts {
                    org_id,
                    neighbourhood_id,
                    activity_id,
                    starts_at,
                    cancelled: SessionState::parse(&state).ok() == Some(SessionState::Cancelled),
                    held: SessionState::parse(&state).is_ok_and(SessionState::counts_attendance),
                    audience: Audience::parse(&audience).unwrap_or(Audience::Open),
                };
                (id, facts)
            },
        )
        .collect())
}

/// id, org, neighbourhood, kind, erased at.
type HouseholdRow = (Uuid, Uuid, Uuid, String, Option<DateTime<Utc>>);

/// The group's households, in one query: only what the checks need.
async fn households_of(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    ids: &BTreeSet<Uuid>,
) -> Result<HashMap<Uuid, HouseholdFacts>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<HouseholdRow> = household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .column(household::Column::OrgId)
        .column(household::Column::NeighbourhoodId)
        .column(household::Column::Kind)
        .column(household::Column::AnonymisedAt)
        .filter(household::Column::OrgId.is_in(orgs.iter().copied()))
        .filter(household::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, org_id, neighbourhood_id, kind, anonymised_at)| {
            let facts = HouseholdFacts {
                org_id,
                neighbourhood_id,
                kind: HouseholdKind::parse(&kind).unwrap_or(HouseholdKind::MultiParent),
                erased: anonymised_at.is_some(),
            };
            (id, facts)
        })
        .collect())
}

/// Which of the group's households are on the invitation list of its tailored activities.
async fn invitations(
    txn: &DatabaseTransaction,
    orgs: &BTreeSet<Uuid>,
    activities: &BTreeSet<Uuid>,
    households: &BTreeSet<Uuid>,
) -> Result<HashSet<(Uuid, Uuid)>> {
    if activities.is_empty() || households.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<(Uuid, Uuid)> = activity_invite::Entity::find()
        .select_only()
        .column(activity_invite::Column::ActivityId)
        .column(activity_invite::Column::HouseholdId)
        .filter(activity_invite::Column::OrgId.is_in(orgs.iter().copied()))
        .filter(activity_invite::Column::ActivityId.is_in(activities.iter().copied()))
        .filter(activity_invite::Column::HouseholdId.is_in(households.iter().copied()))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Insert the keys of these taps in one statement; gives back the ones this group claimed
/// (`RETURNING` names only rows that were inserted, not those `ON CONFLICT DO NOTHING` skipped,
/// on both databases). Another app server inserting the same key at the same moment waits on
/// it (PostgreSQL) or on the write lock (SQLite), so exactly one of them claims it.
async fn claim_keys(
    txn: &DatabaseTransaction,
    taps: &[&Tap],
    which: &[usize],
) -> Result<HashSet<(Uuid, String)>> {
    if which.is_empty() {
        return Ok(HashSet::new());
    }
    let at = now();
    let rows = which.iter().map(|&i| {
        let c = &taps[i].checkin;
        checkin_key::ActiveModel {
            org_id: Set(taps[i].tenant.org_id),
            key: Set(c.key.clone().unwrap_or_default()),
            session_id: Set(c.session_id),
            household_id: Set(c.household_id),
            action: Set(c.status.map_or("undo", |s| s.as_str()).into()),
            at: Set(at),
        }
    });
    let mut q = checkin_key::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([checkin_key::Column::OrgId, checkin_key::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .into_query();
    // One RETURNING clause with both columns: `returning_col` twice would keep only the last.
    q.returning(Query::returning().columns([checkin_key::Column::OrgId, checkin_key::Column::Key]));
    let mut out = HashSet::new();
    for r in txn.query_all(&q).await? {
        let org_id: Uuid = r.try_get("", checkin_key::Column::OrgId.as_str())?;
        let key: String = r.try_get("", checkin_key::Column::Key.as_str())?;
        out.insert((org_id, key));
    }
    Ok(out)
}

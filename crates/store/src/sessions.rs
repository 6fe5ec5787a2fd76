//! One session: its plan, who is expected, what happened (attendance), the check-in at the
//! door and the host rota.
//!
//! An RSVP is intent and attendance is what happened: they are separate rows and neither
//! overwrites the other.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::activity::StaffMinutes;
use mtp_domain::attendance::{
    AbsenceReason, AttendanceStatus, ChecklistItem, HostReply, SessionState,
};
use mtp_domain::schedule::Slot;
use mtp_domain::{ChildBirth, HouseholdKind, Role, Tenant};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::activities::{Activity, SessionSummary, to_summary, u32_of};
use crate::audit::{append_audit_in, append_audit_opt};
use crate::entities::{
    account, activity, attendance, attendance_parent, checkin_key, child, household, parent,
    registration, rsvp, session, session_staff,
};
use crate::visit_marks::{households_at, refresh_session_counts, refresh_visit_marks};
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// How many households a host's search at the door reads before it narrows them to first
/// names; past that the page asks for more of the name.
const DOOR_SCAN: u64 = 300;

/// A household by its parents' names, "Sanne & Ahmed" and "Sanne de Vries & Ahmed Bakker".
#[derive(Debug, Clone)]
pub struct HouseholdName {
    pub id: Uuid,
    pub first_names: String,
    pub full_names: String,
}

#[derive(Debug, Clone)]
pub struct RsvpLine {
    pub coming: bool,
    pub reason: Option<String>,
    pub children: u32,
    pub childcare: bool,
}

#[derive(Debug, Clone)]
pub struct AttendanceLine {
    pub status: AttendanceStatus,
    pub reason: Option<AbsenceReason>,
    pub adults: u32,
    pub children: u32,
    pub walk_in: bool,
    /// Which parents came, when the worker said so (a present household only); empty means
    /// "not said", which for a one-parent household can only be that parent.
    pub parents: Vec<Uuid>,
    /// When it was recorded: for a tap at the door, the time of the tap (also one made
    /// offline and sent later).
    pub recorded_at: DateTime<Utc>,
}

/// A household on a session's list: registered for the series, answered for this session,
/// or came.
#[derive(Debug, Clone)]
pub struct SessionLine {
    pub household_id: Uuid,
    pub first_names: String,
    pub kind: HouseholdKind,
    pub registered: bool,
    pub waiting: bool,
    pub rsvp: Option<RsvpLine>,
    pub attendance: Option<AttendanceLine>,
    pub children: Vec<ChildBirth>,
    /// The household's parents (id, first name), for "who came".
    pub parents: Vec<(Uuid, String)>,
}

impl SessionLine {
    /// Expected at the door: registered (not on the waiting list) and not said no, or said yes.
    pub fn expected(&self) -> bool {
        match &self.rsvp {
            Some(r) => r.coming,
            None => self.registered && !self.waiting,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StaffLine {
    pub account_id: Uuid,
    pub name: String,
    pub role: Role,
    pub reply: HostReply,
}

#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub s: SessionSummary,
    pub activity: Activity,
    pub note: String,
    pub checklist: Vec<ChecklistItem>,
    pub minutes: StaffMinutes,
    pub lines: Vec<SessionLine>,
    pub staff: Vec<StaffLine>,
}

/// One tap at the door or one line of the attendance form. `status: None` undoes a check-in.
#[derive(Debug, Clone)]
pub struct Checkin {
    pub session_id: Uuid,
    pub household_id: Uuid,
    pub status: Option<AttendanceStatus>,
    pub reason: Option<AbsenceReason>,
    /// Parents who came (at least one when present).
    pub adults: u32,
    pub children: u32,
    /// Who of the household's parents came: `None` leaves what was said before (a tap at the
    /// door counts the family, not the people); `Some` replaces it, and an empty list takes it
    /// back. Only for `Present`; any other status clears it.
    pub parents: Option<Vec<Uuid>>,
    /// The idempotency key the device made for this tap.
    pub key: Option<String>,
    /// When the tap was made (a tap queued offline arrives later); `None`: now.
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinOutcome {
    Recorded,
    /// The key was seen before: this tap was already counted.
    Replayed,
}

/// A tap as the handler hands it over. Every check runs inside the group commit's
/// transaction, set-based for the whole group: the session within the tenant's reach and not
/// cancelled, a host's "from today on", the household within the tenant's reach and not
/// erased, and (for anything but an undo) of the session's neighbourhood and in the
/// activity's audience.
#[derive(Debug, Clone)]
pub struct Tap {
    pub tenant: Tenant,
    /// Hosts reach sessions from this day on (Europe/Amsterdam); `None` for staff. An earlier
    /// session answers `StoreError::Forbidden`.
    pub from_day: Option<NaiveDate>,
    pub actor: Option<Uuid>,
    pub checkin: Checkin,
    /// The tap's audit entry; the writer sets its neighbourhood from the session row.
    pub audit: NewAuditEvent,
}

/// The door's side of a walk-in: children who came along, the phone's key and the tap's time.
#[derive(Debug, Clone)]
pub struct WalkInTap {
    pub children: u32,
    pub key: String,
    pub at: Option<DateTime<Utc>>,
}

/// Attendance recorded earlier (the demo's year of coffee hours, paper lists typed in later).
#[derive(Debug, Clone)]
pub struct PastAttendance {
    pub session_id: Uuid,
    pub session_start: DateTime<Utc>,
    pub household_id: Uuid,
    pub status: AttendanceStatus,
    pub reason: Option<AbsenceReason>,
    pub children: u32,
}

/// Who was on a past session's rota and what its checklist said (the demo's year, paper
/// rotas typed in later).
#[derive(Debug, Clone)]
pub struct PastRota {
    pub session_id: Uuid,
    pub staff: Vec<(Uuid, HostReply)>,
    pub checklist: Vec<ChecklistItem>,
}

/// The longest idempotency key we keep; a device makes a UUID.
pub const MAX_KEY: usize = 64;

fn checklist_text(items: &[ChecklistItem]) -> String {
    items
        .iter()
        .map(|i| i.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_checklist(text: &str) -> Vec<ChecklistItem> {
    text.split(',')
        .filter_map(|s| ChecklistItem::parse(s).ok())
        .collect()
}

impl Store {
    pub(crate) async fn session_row(&self, tenant: &Tenant, id: Uuid) -> Result<session::Model> {
        session::Entity::find_by_id(id)
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|s| tenant.may_see_neighbourhood(s.org_id, s.neighbourhood_id))
            .ok_or(StoreError::NotFound)
    }

    /// A session as lists show it, within the tenant's reach.
    pub async fn session_summary(&self, tenant: &Tenant, id: Uuid) -> Result<SessionSummary> {
        let (s, a) = self.session_with_activity(tenant, id).await?;
        Ok(to_summary(s, &a))
    }

    /// A session and its activity in one round trip: every check-in starts here.
    async fn session_with_activity(
        &self,
        tenant: &Tenant,
        id: Uuid,
    ) -> Result<(session::Model, activity::Model)> {
        let joined = session::Entity::find_by_id(id)
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .join(
                JoinType::InnerJoin,
                session::Entity::belongs_to(activity::Entity)
                    .from(session::Column::ActivityId)
                    .to(activity::Column::Id)
                    .into(),
            )
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .select_also(activity::Entity)
            .one(&self.db)
            .await?;
        match joined {
            Some((s, Some(a))) if tenant.may_see_neighbourhood(s.org_id, s.neighbourhood_id) => {
                Ok((s, a))
            }
            _ => Err(StoreError::NotFound),
        }
    }

    /// First names of the households within the tenant's reach, "Sanne & Ahmed" for two
    /// parents. A household out of reach is left out, as one that does not exist; the reach
    /// is a filter of the same query, not a read of its own.
    pub(crate) async fn first_names(
        &self,
        tenant: &Tenant,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, String>> {
        let mut out: HashMap<Uuid, String> = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut q = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .column(parent::Column::FirstName)
                .join(
                    JoinType::InnerJoin,
                    parent::Entity::belongs_to(household::Entity)
                        .from(parent::Column::HouseholdId)
                        .to(household::Column::Id)
                        .into(),
                )
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(household::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()));
            if !tenant.role.sees_whole_organisation() {
                q = q.filter(
                    household::Column::NeighbourhoodId.is_in(tenant.neighbourhoods.clone()),
                );
            }
            let rows: Vec<(Uuid, String)> = q
                .order_by_asc(parent::Column::Position)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (household_id, name) in rows {
                let names = out.entry(household_id).or_default();
                if !names.is_empty() {
                    names.push_str(" & ");
                }
                names.push_str(&name);
            }
        }
        Ok(out)
    }

    /// The parents (id, first name) of households, in their order on the household.
    async fn parents_of(
        &self,
        org_id: Uuid,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<(Uuid, String)>>> {
        let mut out: HashMap<Uuid, Vec<(Uuid, String)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, Uuid, String)> = parent::Entity::find()
                .select_only()
                .column(parent::Column::HouseholdId)
                .column(parent::Column::Id)
                .column(parent::Column::FirstName)
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(parent::Column::Position)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (household_id, id, name) in rows {
                out.entry(household_id).or_default().push((id, name));
            }
        }
        Ok(out)
    }

    /// Neighbourhood, kind and "erased" of households, by id.
    async fn household_kinds(
        &self,
        org_id: Uuid,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, (Uuid, String, bool)>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, Uuid, String, Option<DateTime<Utc>>)> = household::Entity::find()
                .select_only()
                .column(household::Column::Id)
                .column(household::Column::NeighbourhoodId)
                .column(household::Column::Kind)
                .column(household::Column::AnonymisedAt)
                .filter(household::Column::OrgId.eq(org_id))
                .filter(household::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            out.extend(
                rows.into_iter()
                    .map(|(id, neighbourhood_id, kind, erased)| {
                        (id, (neighbourhood_id, kind, erased.is_some()))
                    }),
            );
        }
        Ok(out)
    }

    /// The children's birth year and month, per household.
    pub(crate) async fn child_births(
        &self,
        org_id: Uuid,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<ChildBirth>>> {
        let mut out: HashMap<Uuid, Vec<ChildBirth>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, i32, i32)> = child::Entity::find()
                .select_only()
                .column(child::Column::HouseholdId)
                .column(child::Column::BirthYear)
                .column(child::Column::BirthMonth)
                .filter(child::Column::OrgId.eq(org_id))
                .filter(child::Column::HouseholdId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (household_id, year, month) in rows {
                out.entry(household_id).or_default().push(ChildBirth {
                    year,
                    month: u32::try_from(month).unwrap_or(1),
                });
            }
        }
        Ok(out)
    }

    /// Who came, per household, where the worker said so: one session or all of them.
    async fn parents_present(
        &self,
        org_id: Uuid,
        session_id: Option<Uuid>,
        household_id: Option<Uuid>,
    ) -> Result<HashMap<(Uuid, Uuid), Vec<Uuid>>> {
        let mut q = attendance_parent::Entity::find()
            .select_only()
            .column(attendance_parent::Column::SessionId)
            .column(attendance_parent::Column::HouseholdId)
            .column(attendance_parent::Column::ParentId)
            .filter(attendance_parent::Column::OrgId.eq(org_id));
        if let Some(id) = session_id {
            q = q.filter(attendance_parent::Column::SessionId.eq(id));
        }
        if let Some(id) = household_id {
            q = q.filter(attendance_parent::Column::HouseholdId.eq(id));
        }
        let rows: Vec<(Uuid, Uuid, Uuid)> = q.into_tuple().all(&self.db).await?;
        let mut out: HashMap<(Uuid, Uuid), Vec<Uuid>> = HashMap::new();
        for (session, household, parent) in rows {
            out.entry((session, household)).or_default().push(parent);
        }
        Ok(out)
    }

    /// Everything about one session: the plan, the list of households and the rota.
    pub async fn session_detail(&self, tenant: &Tenant, id: Uuid) -> Result<SessionDetail> {
        let (s, a) = self.session_with_activity(tenant, id).await?;
        let org = s.org_id;
        // Independent reads run side by side: on SQLite each is a hand-over to a connection's
        // own thread, so their waits overlap instead of adding up.
        let db = &self.db;
        let (activity, registrations, rsvps, attendances, mut who) = tokio::try_join!(
            self.activity_of(&a),
            async {
                Ok::<_, StoreError>(
                    registration::Entity::find()
                        .filter(registration::Column::OrgId.eq(org))
                        .filter(registration::Column::ActivityId.eq(s.activity_id))
                        .all(db)
                        .await?,
                )
            },
            async {
                Ok::<_, StoreError>(
                    rsvp::Entity::find()
                        .filter(rsvp::Column::OrgId.eq(org))
                        .filter(rsvp::Column::SessionId.eq(id))
                        .all(db)
                        .await?,
                )
            },
            async {
                Ok::<_, StoreError>(
                    attendance::Entity::find()
                        .filter(attendance::Column::OrgId.eq(org))
                        .filter(attendance::Column::SessionId.eq(id))
                        .all(db)
                        .await?,
                )
            },
            self.parents_present(org, Some(id), None),
        )?;
        let mut lines: BTreeMap<Uuid, SessionLine> = BTreeMap::new();
        let blank = |household_id| SessionLine {
            household_id,
            first_names: String::new(),
            kind: HouseholdKind::SingleParent,
            registered: false,
            waiting: false,
            rsvp: None,
            attendance: None,
            children: Vec::new(),
            parents: Vec::new(),
        };
        for r in registrations {
            let l = lines
                .entry(r.household_id)
                .or_insert_with(|| blank(r.household_id));
            l.registered = true;
            l.waiting = r.state == "waiting";
        }
        for r in rsvps {
            lines
                .entry(r.household_id)
                .or_insert_with(|| blank(r.household_id))
                .rsvp = Some(RsvpLine {
                coming: r.coming,
                reason: r.reason,
                children: u32_of(r.children),
                childcare: r.childcare,
            });
        }
        for a in attendances {
            lines
                .entry(a.household_id)
                .or_insert_with(|| blank(a.household_id))
                .attendance = Some(AttendanceLine {
                status: AttendanceStatus::parse(&a.status).unwrap_or(AttendanceStatus::Present),
                reason: a
                    .reason
                    .as_deref()
                    .and_then(|r| AbsenceReason::parse(r).ok()),
                adults: u32_of(a.adults),
                children: u32_of(a.children),
                walk_in: a.walk_in,
                parents: who.remove(&(id, a.household_id)).unwrap_or_default(),
                recorded_at: a.recorded_at,
            });
        }
        let ids: Vec<Uuid> = lines.keys().copied().collect();
        let (mut parents, kinds, mut children, staff) = tokio::try_join!(
            self.parents_of(org, &ids),
            self.household_kinds(org, &ids),
            self.child_births(org, &ids),
            self.session_staff(org, id),
        )?;
        let mut lines: Vec<SessionLine> = lines
            .into_values()
            .filter_map(|mut l| {
                let (neighbourhood_id, kind, anonymised) = kinds.get(&l.household_id)?;
                // A row of a family out of the reader's reach (one that moved, or one written
                // before the neighbourhood was checked) stays for the figures, off the list.
                if !tenant.may_see_neighbourhood(org, *neighbourhood_id) {
                    return None;
                }
                // An erased household keeps its attendance for the figures, not its place on
                // the list at the door.
                if *anonymised && l.attendance.is_none() {
                    return None;
                }
                l.kind = HouseholdKind::parse(kind).unwrap_or(HouseholdKind::SingleParent);
                l.parents = parents.remove(&l.household_id).unwrap_or_default();
                let names: Vec<&str> = l.parents.iter().map(|(_, n)| n.as_str()).collect();
                l.first_names = names.join(" & ");
                l.children = children.remove(&l.household_id).unwrap_or_default();
                Some(l)
            })
            .collect();
        lines.sort_by(|a, b| {
            a.first_names
                .to_lowercase()
                .cmp(&b.first_names.to_lowercase())
                .then(a.household_id.cmp(&b.household_id))
        });
        let note = s.note.clone();
        let checklist = parse_checklist(&s.checklist);
        let minutes = StaffMinutes {
            preparation: u32_of(s.preparation_minutes),
            execution: u32_of(s.execution_minutes),
            wrap_up: u32_of(s.wrap_up_minutes),
        };
        Ok(SessionDetail {
            s: to_summary(s, &a),
            activity,
            note,
            checklist,
            minutes,
            lines,
            staff,
        })
    }

    async fn session_staff(&self, org_id: Uuid, session_id: Uuid) -> Result<Vec<StaffLine>> {
        let rows = session_staff::Entity::find()
            .filter(session_staff::Column::OrgId.eq(org_id))
            .filter(session_staff::Column::SessionId.eq(session_id))
            .all(&self.db)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let accounts: HashMap<Uuid, account::Model> = account::Entity::find()
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.is_in(rows.iter().map(|r| r.account_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let mut out: Vec<StaffLine> = rows
            .into_iter()
            .filter_map(|r| {
                let a = accounts.get(&r.account_id)?;
                Some(StaffLine {
                    account_id: r.account_id,
                    name: a.display_name.clone(),
                    role: Role::parse(&a.role)?,
                    reply: HostReply::parse(&r.reply).unwrap_or(HostReply::Asked),
                })
            })
            .collect();
        out.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name)));
        Ok(out)
    }

    /// Record one check-in, absence or undo, and its audit entry, in one transaction. A key
    /// seen before makes it a replay that changes nothing. The session must be within the
    /// tenant's reach and not cancelled, and the household within reach, of the session's
    /// neighbourhood and in the activity's audience; the group commit checks all of that in
    /// its transaction.
    pub async fn record_attendance(
        &self,
        tenant: &Tenant,
        s: &SessionSummary,
        actor: Option<Uuid>,
        c: &Checkin,
        audit: NewAuditEvent,
    ) -> Result<CheckinOutcome> {
        // The summary comes from `session_summary` for this tenant; a summary of another
        // session or tenant is refused before anything is queued.
        if s.id != c.session_id || !tenant.may_see_neighbourhood(tenant.org_id, s.neighbourhood_id)
        {
            return Err(StoreError::NotFound);
        }
        self.check_in(Tap {
            tenant: tenant.clone(),
            from_day: None,
            actor,
            checkin: c.clone(),
            audit,
        })
        .await
    }

    /// A tap at the door, checked and written by the group commit (`group_commit.rs`): no
    /// database round trip before it is queued.
    pub async fn check_in(&self, tap: Tap) -> Result<CheckinOutcome> {
        self.commit_checkin(tap).await
    }

    /// A family that comes for the first time, added at the door with a first name: a new
    /// household in the session's neighbourhood (consent for registration given by word of
    /// mouth), checked in as a walk-in, in one transaction with its audit entry (whose actor
    /// is the one recorded). A replayed key gives back the household the first tap made.
    pub async fn walk_in(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        draft: &crate::HouseholdDraft,
        door: &WalkInTap,
        audit: NewAuditEvent,
    ) -> Result<(Uuid, CheckinOutcome)> {
        let (children, key, at) = (door.children, door.key.as_str(), door.at);
        let s = self.session_row(tenant, session_id).await?;
        if SessionState::parse(&s.state).ok() == Some(SessionState::Cancelled) {
            return Err(StoreError::Refused("session-refused-cancelled"));
        }
        let a = activity::Entity::find_by_id(s.activity_id)
            .filter(activity::Column::OrgId.eq(s.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let audience = mtp_domain::activity::Audience::parse(&a.audience)
            .unwrap_or(mtp_domain::activity::Audience::Open);
        mtp_domain::activity::may_join(audience, draft.kind, false)
            .map_err(|r| StoreError::Refused(r.key()))?;
        let draft = crate::HouseholdDraft {
            neighbourhood_id: s.neighbourhood_id,
            ..draft.clone()
        };
        let actor = audit.actor_id;
        loop {
            let (_gate, txn) = self.begin_write().await?;
            let id = crate::imports::insert_many_households(
                &txn,
                s.org_id,
                actor,
                std::slice::from_ref(&draft),
                "walk_in",
            )
            .await?
            .first()
            .copied()
            .ok_or(StoreError::NotFound)?;
            let present = Some(AttendanceStatus::Present);
            if !claim_key(&txn, s.org_id, key, s.id, id, present).await? {
                txn.rollback().await?;
                // Only a key of this session gives its household back: a key used at a session
                // of another neighbourhood must not hand over that neighbourhood's family.
                let first = checkin_key::Entity::find()
                    .filter(checkin_key::Column::OrgId.eq(s.org_id))
                    .filter(checkin_key::Column::Key.eq(key))
                    .filter(checkin_key::Column::SessionId.eq(s.id))
                    .one(&self.db)
                    .await?
                    .map(|k| k.household_id)
                    .ok_or(StoreError::NotFound)?;
                // The walk-in may have been merged into a family since, also one of another
                // neighbourhood.
                let first = self.household_row(tenant, first).await?.id;
                return Ok((first, CheckinOutcome::Replayed));
            }
            let c = Checkin {
                session_id: s.id,
                household_id: id,
                status: present,
                reason: None,
                adults: 1,
                children,
                parents: None,
                key: None,
                at,
            };
            let at = Visit {
                org_id: s.org_id,
                session_id: s.id,
                starts_at: s.starts_at,
            };
            write_attendance(&txn, at, actor, &c, true).await?;
            let mut event = audit.clone();
            event.object_id = Some(id);
            if self.commit_with_audit(txn, event).await? {
                return Ok((id, CheckinOutcome::Recorded));
            }
        }
    }

    /// Load recorded attendance in bulk, in one transaction: the sessions become held, and each
    /// household's last attendance moves up. The caller writes one audit entry for the load.
    pub async fn load_attendance(&self, org_id: Uuid, rows: &[PastAttendance]) -> Result<u64> {
        let txn = self.db.begin().await?;
        let at = now();
        let models: Vec<attendance::ActiveModel> = rows
            .iter()
            .map(|r| {
                let present = r.status == AttendanceStatus::Present;
                attendance::ActiveModel {
                    org_id: Set(org_id),
                    session_id: Set(r.session_id),
                    household_id: Set(r.household_id),
                    status: Set(r.status.as_str().into()),
                    reason: Set(r.reason.map(|x| x.as_str().to_string())),
                    adults: Set(i32::from(present)),
                    children: Set(i32::try_from(r.children).unwrap_or(0)),
                    walk_in: Set(false),
                    recorded_by: Set(None),
                    recorded_at: Set(at),
                }
            })
            .collect();
        let mut n = 0;
        for chunk in models.chunks(1000) {
            n += attendance::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        attendance::Column::OrgId,
                        attendance::Column::SessionId,
                        attendance::Column::HouseholdId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        let mut sessions: Vec<Uuid> = rows.iter().map(|r| r.session_id).collect();
        sessions.sort();
        sessions.dedup();
        for chunk in sessions.chunks(500) {
            session::Entity::update_many()
                .col_expr(session::Column::State, SessionState::Held.as_str().into())
                .filter(session::Column::OrgId.eq(org_id))
                .filter(session::Column::Id.is_in(chunk.to_vec()))
                .filter(session::Column::State.eq(SessionState::Planned.as_str()))
                .exec(&txn)
                .await?;
        }
        // The sessions just became held: every household at them may have new first visits.
        let mut at_sessions: Vec<Uuid> = Vec::new();
        for chunk in sessions.chunks(500) {
            at_sessions.extend(
                attendance::Entity::find()
                    .select_only()
                    .column(attendance::Column::HouseholdId)
                    .filter(attendance::Column::OrgId.eq(org_id))
                    .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
                    .distinct()
                    .into_tuple::<Uuid>()
                    .all(&txn)
                    .await?,
            );
        }
        refresh_visit_marks(&txn, org_id, &at_sessions).await?;
        refresh_session_counts(&txn, org_id, &sessions).await?;
        let mut last: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for r in rows
            .iter()
            .filter(|r| r.status == AttendanceStatus::Present)
        {
            let e = last.entry(r.household_id).or_insert(r.session_start);
            *e = std::cmp::max(*e, r.session_start);
        }
        // One UPDATE per distinct last date, not per household: a loaded history has a few
        // dozen distinct dates for hundreds of households, and on PostgreSQL each statement
        // is a round trip (500,000 of them made the national data set minutes slower).
        let mut by_date: BTreeMap<DateTime<Utc>, Vec<Uuid>> = BTreeMap::new();
        for (household_id, at) in last {
            by_date.entry(at).or_default().push(household_id);
        }
        for (at, ids) in by_date {
            for chunk in ids.chunks(500) {
                household::Entity::update_many()
                    .col_expr(household::Column::LastAttendedAt, at.into())
                    .filter(household::Column::OrgId.eq(org_id))
                    .filter(household::Column::Id.is_in(chunk.to_vec()))
                    .filter(
                        Condition::any()
                            .add(household::Column::LastAttendedAt.is_null())
                            .add(household::Column::LastAttendedAt.lt(at)),
                    )
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        Ok(n)
    }

    /// Load past rotas and checklists in bulk, in one transaction, as `load_attendance` does
    /// for attendance: one statement per few hundred rows rather than a transaction per
    /// session. The accounts must be of the organisation; the caller writes one audit entry.
    pub async fn load_rota(&self, org_id: Uuid, rows: &[PastRota]) -> Result<u64> {
        let accounts: std::collections::HashSet<Uuid> = account::Entity::find()
            .filter(account::Column::OrgId.eq(org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        let at = now();
        let staff: Vec<session_staff::ActiveModel> = rows
            .iter()
            .flat_map(|r| r.staff.iter().map(move |s| (r.session_id, s)))
            .filter(|(_, (account, _))| accounts.contains(account))
            .map(
                |(session_id, (account, reply))| session_staff::ActiveModel {
                    org_id: Set(org_id),
                    session_id: Set(session_id),
                    account_id: Set(*account),
                    reply: Set(reply.as_str().into()),
                    at: Set(at),
                },
            )
            .collect();
        let mut by_checklist: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
        for r in rows {
            by_checklist
                .entry(checklist_text(&r.checklist))
                .or_default()
                .push(r.session_id);
        }
        let txn = self.db.begin().await?;
        let mut n = 0;
        for chunk in staff.chunks(500) {
            n += session_staff::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([
                        session_staff::Column::OrgId,
                        session_staff::Column::SessionId,
                        session_staff::Column::AccountId,
                    ])
                    .update_columns([session_staff::Column::Reply, session_staff::Column::At])
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        for (text, ids) in by_checklist {
            for chunk in ids.chunks(500) {
                session::Entity::update_many()
                    .col_expr(session::Column::Checklist, text.clone().into())
                    .filter(session::Column::OrgId.eq(org_id))
                    .filter(session::Column::Id.is_in(chunk.to_vec()))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        Ok(n)
    }

    /// Record a household's intent for one session ("I'm coming" with how many children and
    /// whether childcare is needed, or "I can't come" with a reason). Intent never touches
    /// attendance. The household must be of the session's neighbourhood; the audience rule
    /// applies to a "yes". The audit entry, if any, commits with the answer.
    pub async fn set_rsvp(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        household_id: Uuid,
        answer: &RsvpLine,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let s = self.session_row(tenant, session_id).await?;
        let h = self.household_row(tenant, household_id).await?;
        if h.anonymised_at.is_some() || h.neighbourhood_id != s.neighbourhood_id {
            return Err(StoreError::NotFound);
        }
        if answer.coming {
            let a = activity::Entity::find_by_id(s.activity_id)
                .filter(activity::Column::OrgId.eq(s.org_id))
                .one(&self.db)
                .await?
                .ok_or(StoreError::NotFound)?;
            self.check_audience(&a, &h).await?;
        }
        let txn = self.db.begin().await?;
        rsvp::Entity::insert(rsvp::ActiveModel {
            org_id: Set(s.org_id),
            session_id: Set(s.id),
            household_id: Set(h.id),
            coming: Set(answer.coming),
            reason: Set(answer.reason.clone()),
            children: Set(i32::try_from(answer.children).unwrap_or(0)),
            childcare: Set(answer.childcare),
            at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                rsvp::Column::OrgId,
                rsvp::Column::SessionId,
                rsvp::Column::HouseholdId,
            ])
            .update_columns([
                rsvp::Column::Coming,
                rsvp::Column::Reason,
                rsvp::Column::Children,
                rsvp::Column::Childcare,
                rsvp::Column::At,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Change the plan of a session: staff hours, the checklist and the note.
    pub async fn update_session_plan(
        &self,
        tenant: &Tenant,
        id: Uuid,
        minutes: StaffMinutes,
        checklist: &[ChecklistItem],
        note: &str,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let s = self.session_row(tenant, id).await?;
        let txn = self.db.begin().await?;
        session::Entity::update_many()
            .col_expr(
                session::Column::PreparationMinutes,
                i64::from(minutes.preparation).into(),
            )
            .col_expr(
                session::Column::ExecutionMinutes,
                i64::from(minutes.execution).into(),
            )
            .col_expr(
                session::Column::WrapUpMinutes,
                i64::from(minutes.wrap_up).into(),
            )
            .col_expr(session::Column::Checklist, checklist_text(checklist).into())
            .col_expr(session::Column::Note, note.into())
            .filter(session::Column::OrgId.eq(s.org_id))
            .filter(session::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Mark a session held, "we did not meet", cancelled, or planned again. Calendars see the
    /// change through the sequence number.
    pub async fn set_session_state(
        &self,
        tenant: &Tenant,
        id: Uuid,
        state: SessionState,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let s = self.session_row(tenant, id).await?;
        let txn = self.db.begin().await?;
        session::Entity::update_many()
            .col_expr(session::Column::State, state.as_str().into())
            .col_expr(
                session::Column::Sequence,
                Expr::col(session::Column::Sequence).add(1),
            )
            .filter(session::Column::OrgId.eq(s.org_id))
            .filter(session::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
        // Only a held session's attendance counts as visits.
        let at = households_at(&txn, s.org_id, s.id).await?;
        refresh_visit_marks(&txn, s.org_id, &at).await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Move one occurrence. Refused when it would overlap another session of the same activity.
    pub async fn move_session(
        &self,
        tenant: &Tenant,
        id: Uuid,
        to: Slot,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let s = self.session_row(tenant, id).await?;
        let overlapping = session::Entity::find()
            .filter(session::Column::OrgId.eq(s.org_id))
            .filter(session::Column::ActivityId.eq(s.activity_id))
            .filter(session::Column::Id.ne(s.id))
            .filter(session::Column::State.ne(SessionState::Cancelled.as_str()))
            .filter(session::Column::StartsAt.lt(to.end))
            .filter(session::Column::EndsAt.gt(to.start))
            .one(&self.db)
            .await?;
        if overlapping.is_some() {
            return Err(StoreError::Refused("session-refused-overlap"));
        }
        let txn = self.db.begin().await?;
        session::Entity::update_many()
            .col_expr(session::Column::StartsAt, to.start.into())
            .col_expr(session::Column::EndsAt, to.end.into())
            .col_expr(session::Column::Moved, true.into())
            .col_expr(
                session::Column::Sequence,
                Expr::col(session::Column::Sequence).add(1),
            )
            .filter(session::Column::OrgId.eq(s.org_id))
            .filter(session::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
        // A session moved before or past another changes which visit came first.
        let at = households_at(&txn, s.org_id, s.id).await?;
        refresh_visit_marks(&txn, s.org_id, &at).await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Ask a host or worker for a session, or record their answer.
    pub async fn set_session_staff(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        account_id: Uuid,
        reply: HostReply,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let s = self.session_row(tenant, session_id).await?;
        let a = account::Entity::find_by_id(account_id)
            .filter(account::Column::OrgId.eq(s.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if a.disabled {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        session_staff::Entity::insert(session_staff::ActiveModel {
            org_id: Set(s.org_id),
            session_id: Set(s.id),
            account_id: Set(a.id),
            reply: Set(reply.as_str().into()),
            at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                session_staff::Column::OrgId,
                session_staff::Column::SessionId,
                session_staff::Column::AccountId,
            ])
            .update_columns([session_staff::Column::Reply, session_staff::Column::At])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Take someone off a session's rota.
    pub async fn remove_session_staff(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        account_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let s = self.session_row(tenant, session_id).await?;
        let txn = self.db.begin().await?;
        session_staff::Entity::delete_many()
            .filter(session_staff::Column::OrgId.eq(s.org_id))
            .filter(session_staff::Column::SessionId.eq(s.id))
            .filter(session_staff::Column::AccountId.eq(account_id))
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sessions an account is on the rota of, from `from` on: a host's own sessions.
    pub async fn rota_sessions(&self, tenant: &Tenant, account_id: Uuid) -> Result<Vec<Uuid>> {
        Ok(session_staff::Entity::find()
            .select_only()
            .column(session_staff::Column::SessionId)
            .filter(session_staff::Column::OrgId.eq(tenant.org_id))
            .filter(session_staff::Column::AccountId.eq(account_id))
            .filter(session_staff::Column::Reply.ne(HostReply::Declined.as_str()))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Sessions in the coming `until` that have no confirmed host: the gaps in the rota.
    pub async fn rota_gaps(
        &self,
        tenant: &Tenant,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<SessionSummary>> {
        let sessions = self.programme(tenant, from, until, 500).await?;
        let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let staffed: Vec<(Uuid, Uuid)> = session_staff::Entity::find()
            .select_only()
            .column(session_staff::Column::SessionId)
            .column(session_staff::Column::AccountId)
            .filter(session_staff::Column::OrgId.eq(tenant.org_id))
            .filter(session_staff::Column::SessionId.is_in(ids))
            .filter(session_staff::Column::Reply.eq(HostReply::Confirmed.as_str()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let hosts: std::collections::HashSet<Uuid> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .filter(account::Column::OrgId.eq(tenant.org_id))
            .filter(account::Column::Id.is_in(staffed.iter().map(|(_, a)| *a)))
            .filter(account::Column::Role.eq(Role::Host.as_str()))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let covered: std::collections::HashSet<Uuid> = staffed
            .into_iter()
            .filter(|(_, a)| hosts.contains(a))
            .map(|(s, _)| s)
            .collect();
        Ok(sessions
            .into_iter()
            .filter(|s| s.state == SessionState::Planned && !covered.contains(&s.id))
            .collect())
    }

    /// "Someone else?" at the door: the households of a session's neighbourhood whose search
    /// words start with every word of `text` (names, phone numbers, e-mail addresses, as the
    /// household list searches), the ones who came most recently first; at most `limit`, and
    /// whether there are more. With `first_names_only` (a host) only the first names count
    /// (`search::first_names_match`), so a few hundred candidates are read and narrowed here.
    pub async fn door_search(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        text: &str,
        first_names_only: bool,
        limit: u64,
    ) -> Result<(Vec<HouseholdName>, bool)> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let words = mtp_domain::search::query_words(text);
        if words.is_empty() {
            return Ok((Vec::new(), false));
        }
        let q = household::Entity::find()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::Status.ne("left"));
        let scan = if first_names_only {
            DOOR_SCAN
        } else {
            limit + 1
        };
        let ids: Vec<Uuid> = self
            .matching_words(tenant, text, q)
            .await?
            .select_only()
            .column(household::Column::Id)
            .order_by_with_nulls(
                household::Column::LastAttendedAt,
                sea_orm::Order::Desc,
                sea_orm::sea_query::NullOrdering::Last,
            )
            .order_by_desc(household::Column::CreatedAt)
            .limit(scan)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut names: HashMap<Uuid, HouseholdName> = self
            .household_names(tenant.org_id, &ids)
            .await?
            .into_iter()
            .map(|h| (h.id, h))
            .collect();
        let mut found: Vec<HouseholdName> = ids
            .iter()
            .filter_map(|id| names.remove(id))
            .filter(|h| {
                !first_names_only || mtp_domain::search::first_names_match(&h.first_names, &words)
            })
            .collect();
        let more = found.len() as u64 > limit || (first_names_only && ids.len() as u64 == scan);
        found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok((found, more))
    }

    /// Households of a neighbourhood that take part now, for adding someone who is not on a
    /// list; the ones who came most recently first.
    pub async fn neighbourhood_households(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        except: &[Uuid],
        limit: u64,
    ) -> Result<Vec<HouseholdName>> {
        if !tenant.may_see_neighbourhood(tenant.org_id, neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let mut cond = Condition::all()
            .add(household::Column::OrgId.eq(tenant.org_id))
            .add(household::Column::NeighbourhoodId.eq(neighbourhood_id))
            .add(household::Column::AnonymisedAt.is_null())
            .add(household::Column::Status.ne("left"));
        if !except.is_empty() {
            cond = cond.add(household::Column::Id.is_not_in(except.to_vec()));
        }
        let ids: Vec<Uuid> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .filter(cond)
            .order_by_desc(household::Column::LastAttendedAt)
            .order_by_desc(household::Column::CreatedAt)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = self.household_names(tenant.org_id, &ids).await?;
        out.sort_by_key(|h| h.first_names.to_lowercase());
        Ok(out)
    }

    async fn household_names(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<HouseholdName>> {
        let mut by_household: BTreeMap<Uuid, HouseholdName> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            for p in parent::Entity::find()
                .filter(parent::Column::OrgId.eq(org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .order_by_asc(parent::Column::Position)
                .all(&self.db)
                .await?
            {
                let h = by_household
                    .entry(p.household_id)
                    .or_insert_with(|| HouseholdName {
                        id: p.household_id,
                        first_names: String::new(),
                        full_names: String::new(),
                    });
                let full = match &p.last_name {
                    Some(last) => format!("{} {last}", p.first_name),
                    None => p.first_name.clone(),
                };
                if !h.first_names.is_empty() {
                    h.first_names.push_str(" & ");
                    h.full_names.push_str(" & ");
                }
                h.first_names.push_str(&p.first_name);
                h.full_names.push_str(&full);
            }
        }
        Ok(by_household.into_values().collect())
    }

    /// First names of households within the tenant's reach, in the order asked; one out of
    /// reach is left out.
    pub async fn household_first_names(
        &self,
        tenant: &Tenant,
        ids: &[Uuid],
    ) -> Result<Vec<String>> {
        let names = self.first_names(tenant, ids).await?;
        Ok(ids.iter().filter_map(|id| names.get(id).cloned()).collect())
    }

    /// The sessions a household has an attendance record for, newest first.
    pub async fn household_attendance(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        limit: u64,
    ) -> Result<Vec<(SessionSummary, AttendanceLine)>> {
        let h = self.household_row(tenant, household_id).await?;
        let rows = attendance::Entity::find()
            .filter(attendance::Column::OrgId.eq(h.org_id))
            .filter(attendance::Column::HouseholdId.eq(h.id))
            .all(&self.db)
            .await?;
        let by_session: HashMap<Uuid, attendance::Model> =
            rows.into_iter().map(|a| (a.session_id, a)).collect();
        let ids: Vec<Uuid> = by_session.keys().copied().collect();
        let mut sessions = Vec::new();
        for chunk in ids.chunks(500) {
            sessions.extend(
                session::Entity::find()
                    .filter(session::Column::OrgId.eq(h.org_id))
                    .filter(session::Column::Id.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?,
            );
        }
        sessions.sort_by_key(|s| std::cmp::Reverse(s.starts_at));
        sessions.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let summaries = self.summaries(h.org_id, sessions).await?;
        let mut who = self.parents_present(h.org_id, None, Some(h.id)).await?;
        Ok(summaries
            .into_iter()
            .filter_map(|s| {
                let a = by_session.get(&s.id)?;
                let parents = who.remove(&(s.id, h.id)).unwrap_or_default();
                Some((
                    s,
                    AttendanceLine {
                        status: AttendanceStatus::parse(&a.status)
                            .unwrap_or(AttendanceStatus::Present),
                        reason: a
                            .reason
                            .as_deref()
                            .and_then(|r| AbsenceReason::parse(r).ok()),
                        adults: u32_of(a.adults),
                        children: u32_of(a.children),
                        walk_in: a.walk_in,
                        parents,
                        recorded_at: a.recorded_at,
                    },
                ))
            })
            .collect())
    }

    /// What an account answered for a session's rota; `None` when it was not asked.
    pub async fn session_staff_reply(
        &self,
        tenant: &Tenant,
        session_id: Uuid,
        account_id: Uuid,
    ) -> Result<Option<HostReply>> {
        Ok(session_staff::Entity::find()
            .filter(session_staff::Column::OrgId.eq(tenant.org_id))
            .filter(session_staff::Column::SessionId.eq(session_id))
            .filter(session_staff::Column::AccountId.eq(account_id))
            .one(&self.db)
            .await?
            .and_then(|r| HostReply::parse(&r.reply).ok()))
    }
}

/// Keep the device's key for this tap; false when it was already there (a replay).
pub(crate) async fn claim_key(
    txn: &DatabaseTransaction,
    org_id: Uuid,
    key: &str,
    session_id: Uuid,
    household_id: Uuid,
    status: Option<AttendanceStatus>,
) -> Result<bool> {
    let n = checkin_key::Entity::insert(checkin_key::ActiveModel {
        org_id: Set(org_id),
        key: Set(key.to_string()),
        session_id: Set(session_id),
        household_id: Set(household_id),
        action: Set(status.map_or("undo", |s| s.as_str()).into()),
        at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([checkin_key::Column::OrgId, checkin_key::Column::Key])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(n == 1)
}

/// The session an attendance row belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Visit {
    pub org_id: Uuid,
    pub session_id: Uuid,
    pub starts_at: DateTime<Utc>,
}

pub(crate) async fn write_attendance<C: ConnectionTrait>(
    txn: &C,
    s: Visit,
    actor: Option<Uuid>,
    c: &Checkin,
    walk_in: bool,
) -> Result<()> {
    let Some(row) = attendance_row(s.org_id, actor, c, walk_in) else {
        attendance::Entity::delete_many()
            .filter(attendance::Column::OrgId.eq(s.org_id))
            .filter(attendance::Column::SessionId.eq(s.session_id))
            .filter(attendance::Column::HouseholdId.eq(c.household_id))
            .exec(txn)
            .await?;
        refresh_session_counts(txn, s.org_id, &[s.session_id]).await?;
        return refresh_visit_marks(txn, s.org_id, &[c.household_id]).await;
    };
    let present = c.status == Some(AttendanceStatus::Present);
    attendance::Entity::insert(row)
        .on_conflict(attendance_upsert())
        .exec_without_returning(txn)
        .await?;
    refresh_visit_marks(txn, s.org_id, &[c.household_id]).await?;
    refresh_session_counts(txn, s.org_id, &[s.session_id]).await?;
    if present {
        household::Entity::update_many()
            .col_expr(household::Column::LastAttendedAt, s.starts_at.into())
            .filter(household::Column::OrgId.eq(s.org_id))
            .filter(household::Column::Id.eq(c.household_id))
            .filter(
                Condition::any()
                    .add(household::Column::LastAttendedAt.is_null())
                    .add(household::Column::LastAttendedAt.lt(s.starts_at)),
            )
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The attendance row a check-in writes; `None` for an undo, which removes the row.
pub(crate) fn attendance_row(
    org_id: Uuid,
    actor: Option<Uuid>,
    c: &Checkin,
    walk_in: bool,
) -> Option<attendance::ActiveModel> {
    let status = c.status?;
    let present = status == AttendanceStatus::Present;
    Some(attendance::ActiveModel {
        org_id: Set(org_id),
        session_id: Set(c.session_id),
        household_id: Set(c.household_id),
        status: Set(status.as_str().into()),
        reason: Set(if present {
            None
        } else {
            c.reason.map(|r| r.as_str().to_string())
        }),
        adults: Set(if present {
            // A list of who came counts itself.
            let named = c.parents.as_ref().filter(|p| !p.is_empty()).map(|p| {
                let mut p = p.clone();
                p.sort();
                p.dedup();
                u32::try_from(p.len()).unwrap_or(1)
            });
            i32::try_from(std::cmp::max(named.unwrap_or(c.adults), 1)).unwrap_or(1)
        } else {
            0
        }),
        children: Set(if present {
            i32::try_from(c.children).unwrap_or(0)
        } else {
            0
        }),
        walk_in: Set(walk_in),
        recorded_by: Set(actor),
        // Microseconds, as `now()` gives: PostgreSQL keeps no more.
        recorded_at: Set(c
            .at
            .and_then(|t| DateTime::from_timestamp_micros(t.timestamp_micros()))
            .unwrap_or_else(now)),
    })
}

/// A later check-in of the same household for the same session overwrites the earlier one;
/// `walk_in` stays as the first tap wrote it.
pub(crate) fn attendance_upsert() -> OnConflict {
    OnConflict::columns([
        attendance::Column::OrgId,
        attendance::Column::SessionId,
        attendance::Column::HouseholdId,
    ])
    .update_columns([
        attendance::Column::Status,
        attendance::Column::Reason,
        attendance::Column::Adults,
        attendance::Column::Children,
        attendance::Column::RecordedBy,
        attendance::Column::RecordedAt,
    ])
    .to_owned()
}

//! The demo's year as a story the reports tell (`docs/guide/demo.md`, "The story in numbers"):
//! families who stay, newcomers every quarter, drop-outs and one who came back, Almere Poort
//! running its coffee hour by the handbook and Almere Haven less faithfully.
//!
//! Every rule names a session by its quarter and its place in that quarter, never by a date
//! or a count of weeks, so the numbers in the guide hold on whatever day the demo is loaded:
//! school holidays change how many coffee hours a quarter has, not who came.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use mtp_domain::Channel;
use mtp_domain::attendance::{
    AbsenceReason, AttendanceStatus, ChecklistItem, HostReply, SessionState,
};
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::message::ContactOutcome;
use mtp_store::{NewAuditEvent, PastAttendance, PastContact, RsvpLine, SessionSummary};
use uuid::Uuid;

use super::Programme;

/// How far back the story's last quarter ends: the quarter before the one holding the day
/// 70 days ago. The worklist's stories of the last three coffee hours (at most 63 days back,
/// over the summer break) and the open coffee hour of the last weeks then never fall in the
/// quarters the guide gives numbers for.
const SETTLED_DAYS: u64 = 70;

/// The story's quarters, numbered from the quarter holding the day 70 days before the demo
/// was loaded (0): -1 is the last quarter the guide gives numbers for, -4..=-1 its year, -5
/// the history before.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quarters {
    zero: NaiveDate,
}

fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month() - 1) / 3 * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

impl Quarters {
    pub(super) fn new(today: NaiveDate) -> Quarters {
        let settled = today
            .checked_sub_days(Days::new(SETTLED_DAYS))
            .unwrap_or(today);
        Quarters {
            zero: quarter_start(settled),
        }
    }

    /// The first day of the history, quarter -5: where the weekly coffee hours begin.
    pub(super) fn first_day(self) -> NaiveDate {
        self.zero
            .checked_sub_months(Months::new(15))
            .unwrap_or(self.zero)
    }

    fn of(self, day: NaiveDate) -> i32 {
        let months =
            (day.year() - self.zero.year()) * 12 + day.month() as i32 - self.zero.month() as i32;
        months.div_euclid(3)
    }
}

/// One planned coffee hour with its place in the story: quarter `q`, `k`-th of its quarter
/// (from 0), and `g`, its place in the whole series.
struct Week<'s> {
    s: &'s SessionSummary,
    q: i32,
    k: usize,
    g: usize,
}

fn weeks(quarters: Quarters, sessions: &[SessionSummary]) -> Vec<Week<'_>> {
    let local = |s: &SessionSummary| s.starts_at.with_timezone(&mtp_domain::schedule::TZ);
    let qs: Vec<i32> = sessions
        .iter()
        .map(|s| quarters.of(local(s).date_naive()))
        .collect();
    let mut out: Vec<Week<'_>> = Vec::with_capacity(sessions.len());
    for (g, s) in sessions.iter().enumerate() {
        let q = qs.get(g).copied().unwrap_or_default();
        let k = match out.last() {
            Some(prev) if prev.q == q => prev.k + 1,
            _ => 0,
        };
        out.push(Week { s, q, k, g });
    }
    out
}

/// What one family does in the story.
#[derive(Debug, Clone, Copy)]
enum Role {
    /// Comes every week from the start, but for the absences the barriers rows give it.
    Stayer(usize),
    /// First comes to the second coffee hour of quarter `q`; stays, or tries twice.
    Newcomer { q: i32, stays: bool },
    /// Comes every week of quarters `from..=last`, then stays away: the drop-out date falls
    /// in quarter `last + 1`.
    DropOut { from: i32, last: i32 },
    /// Comes in quarter -5, stays away (a drop-out in -4) and is back every week from -2 on.
    Comeback,
    /// Comes every other week.
    EveryOtherWeek,
    /// Comes to the fourth coffee hour of quarters -2 and -1 only, when a neighbour brings
    /// her along: two visits, never taking part or dropping out.
    Visitor,
}

fn comes(role: Role, w: &Week<'_>) -> bool {
    match role {
        Role::Stayer(_) => true,
        Role::Newcomer { q, stays } => {
            (w.q == q && w.k >= 1 && (stays || w.k <= 2)) || (stays && w.q > q)
        }
        Role::DropOut { from, last } => (from..=last).contains(&w.q),
        Role::Comeback => w.q == -5 || w.q >= -2,
        Role::EveryOtherWeek => w.g.is_multiple_of(2),
        Role::Visitor => w.k == 3 && (w.q == -2 || w.q == -1),
    }
}

/// Almere Poort's families by their place among the families registered for the coffee
/// hour (newest first, as the household list shows them), then the three who left.
fn poort_role(regular: Option<usize>, left: Option<usize>) -> Option<Role> {
    if let Some(r) = regular {
        return Some(match r {
            0..=13 => Role::Stayer(r),
            14..=21 => Role::Newcomer {
                q: -4 + (r as i32 - 14) / 2,
                stays: r.is_multiple_of(2),
            },
            22 => Role::DropOut { from: -5, last: -3 },
            23 => Role::DropOut { from: -5, last: -2 },
            24 => Role::Comeback,
            _ => Role::EveryOtherWeek,
        });
    }
    match left? {
        0 => Some(Role::DropOut { from: -5, last: -5 }),
        1 => Some(Role::DropOut { from: -5, last: -4 }),
        2 => Some(Role::DropOut { from: -4, last: -2 }),
        _ => None,
    }
}

/// Almere Haven's families in the order they were registered (see `haven_draft`).
fn haven_role(h: usize) -> Option<Role> {
    Some(match h {
        0..=5 => Role::Stayer(h),
        6..=9 => Role::Newcomer {
            q: h as i32 - 10,
            stays: true,
        },
        10 => Role::DropOut { from: -5, last: -4 },
        11 => Role::DropOut { from: -5, last: -2 },
        12..=15 => Role::Visitor,
        _ => return None,
    })
}

/// A stayer's absences in every quarter of the story before 0 (`k`, stayer, reason; `None`:
/// absent without a reason): no childcare most, then work, then transport and a sick child.
const POORT_ABSENCES: [(usize, usize, Option<AbsenceReason>); 9] = [
    (3, 3, Some(AbsenceReason::NoChildcare)),
    (3, 4, Some(AbsenceReason::NoChildcare)),
    (3, 5, Some(AbsenceReason::Work)),
    (3, 6, Some(AbsenceReason::Transport)),
    (3, 7, None),
    (5, 8, Some(AbsenceReason::NoChildcare)),
    (5, 9, Some(AbsenceReason::NoChildcare)),
    (5, 10, Some(AbsenceReason::Work)),
    (5, 11, Some(AbsenceReason::SickChild)),
];

const HAVEN_ABSENCES: [(usize, usize, Option<AbsenceReason>); 3] = [
    (0, 1, Some(AbsenceReason::NoChildcare)),
    (0, 2, Some(AbsenceReason::Work)),
    (5, 3, Some(AbsenceReason::NoChildcare)),
];

/// A stayer's answers in the portal (`k`, stayer, answer): "I can't come" with a reason, or
/// "I'm coming" with a request for childcare. The one who can't come does not come.
const POORT_RSVPS: [(usize, usize, Rsvp); 4] = [
    (1, 12, Rsvp::Childcare),
    (1, 13, Rsvp::Childcare),
    (2, 13, Rsvp::Cant(AbsenceReason::Work)),
    (4, 12, Rsvp::Cant(AbsenceReason::NoChildcare)),
];

const HAVEN_RSVPS: [(usize, usize, Rsvp); 2] = [
    (1, 4, Rsvp::Cant(AbsenceReason::Work)),
    (3, 0, Rsvp::Childcare),
];

/// The answers for Haven's next coffee hour (stayer, answer): two families ask for
/// childcare, one cannot come for want of transport — what the session page shows the team.
const HAVEN_NEXT: [(usize, Rsvp); 3] = [
    (0, Rsvp::Childcare),
    (2, Rsvp::Childcare),
    (4, Rsvp::Cant(AbsenceReason::Transport)),
];

#[derive(Debug, Clone, Copy)]
enum Rsvp {
    Childcare,
    Cant(AbsenceReason),
}

impl Rsvp {
    fn line(self) -> RsvpLine {
        match self {
            Rsvp::Childcare => RsvpLine {
                coming: true,
                reason: None,
                children: 1,
                childcare: true,
            },
            Rsvp::Cant(r) => RsvpLine {
                coming: false,
                reason: Some(r.as_str().to_string()),
                children: 0,
                childcare: false,
            },
        }
    }
}

/// In `POORT_CONTACTS`: before each of the first six coffee hours of a quarter.
const FIRST_SIX: usize = usize::MAX;

/// The worker's word before a coffee hour (`k`, stayer or, for `None`, the first family that
/// comes every other week, outcome). Poort's worker calls before the first six coffee hours of
/// every quarter; Haven's only before the first and the fourth.
const POORT_CONTACTS: [(usize, Option<usize>, ContactOutcome); 4] = [
    (FIRST_SIX, Some(0), ContactOutcome::Coming),
    (FIRST_SIX, Some(1), ContactOutcome::Maybe),
    (FIRST_SIX, None, ContactOutcome::NotReached),
    (3, Some(3), ContactOutcome::Maybe),
];

const HAVEN_CONTACTS: [(usize, usize, ContactOutcome); 4] = [
    (0, 0, ContactOutcome::Coming),
    (0, 1, ContactOutcome::NotReached),
    (3, 2, ContactOutcome::Maybe),
    (3, 3, ContactOutcome::NotReached),
];

/// Whether a row of the story's barriers applies to this week: the quarters before 0, where
/// the worklist's own stories of the last weeks cannot meet them.
fn in_story(w: &Week<'_>) -> bool {
    w.q <= -1
}

/// One family of a neighbourhood with its role.
pub(super) struct Family {
    pub id: Uuid,
    role: Option<Role>,
    /// The worklist's stories of the last coffee hours (Poort's first three regulars).
    story: Option<usize>,
}

impl Family {
    fn stayer(&self) -> Option<usize> {
        match self.role {
            Some(Role::Stayer(s)) => Some(s),
            _ => None,
        }
    }
}

/// Poort's families: `regulars` (registered, newest first) and `left` (left the
/// neighbourhood's list, newest first).
pub(super) fn poort_families(regulars: &[Uuid], left: &[Uuid]) -> Vec<Family> {
    let mut out: Vec<Family> = regulars
        .iter()
        .enumerate()
        .map(|(r, id)| Family {
            id: *id,
            role: poort_role(Some(r), None),
            story: (r < 3).then_some(r),
        })
        .collect();
    out.extend(left.iter().enumerate().map(|(l, id)| Family {
        id: *id,
        role: poort_role(None, Some(l)),
        story: None,
    }));
    out
}

/// Haven's families in the order they were registered.
pub(super) fn haven_families(ids: &[Uuid]) -> Vec<Family> {
    ids.iter()
        .enumerate()
        .map(|(h, id)| Family {
            id: *id,
            role: haven_role(h),
            story: None,
        })
        .collect()
}

/// The worklist's stories (see `tests/encourage.rs`): the first regular stayed away the last
/// three times, the second missed the last two for work, the third could not come last time
/// for want of childcare. `ago` counts the past coffee hours back from the last (1).
fn worklist_story(story: usize, ago: usize) -> Option<(AttendanceStatus, Option<AbsenceReason>)> {
    match (story, ago) {
        (0, 1..=3) => Some((AttendanceStatus::Absent, None)),
        (1, 1..=2) => Some((AttendanceStatus::Excused, Some(AbsenceReason::Work))),
        (2, 1) => Some((AttendanceStatus::Excused, Some(AbsenceReason::NoChildcare))),
        _ => None,
    }
}

/// How a neighbourhood runs its coffee hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fidelity {
    /// By the handbook: held, host confirmed, snacks, encouraged, a second worker when busy.
    Faithful,
    /// Per quarter: the first week no snacks, the second no host and nobody encouraged, the
    /// third cancelled, the fourth busy with one worker, the fifth never closed, the sixth no
    /// snacks and nobody encouraged. From the seventh on as the handbook says.
    Loose,
}

/// What happens to a past week of the loose neighbourhood's coffee hour.
fn loose_week(
    k: usize,
) -> (
    Option<SessionState>,
    &'static [ChecklistItem],
    Option<HostReply>,
) {
    use ChecklistItem::{HealthySnacks, HostBriefed, ParticipantsEncouraged, RoomArranged};
    match k {
        0 => (
            None,
            &[RoomArranged, HostBriefed, ParticipantsEncouraged],
            Some(HostReply::Confirmed),
        ),
        1 => (None, &[RoomArranged, HealthySnacks], Some(HostReply::Asked)),
        2 => (Some(SessionState::Cancelled), &[], None),
        4 => (Some(SessionState::Planned), &[], None),
        5 => (
            None,
            &[RoomArranged, HostBriefed],
            Some(HostReply::Confirmed),
        ),
        _ => (None, &ChecklistItem::ALL, Some(HostReply::Confirmed)),
    }
}

/// The staff of a neighbourhood's coffee hour: the host, the worker, and the one who comes
/// along when more than ten families are expected (none in the loose neighbourhood).
pub(super) struct Staff {
    pub host: Option<Uuid>,
    pub worker: Option<Uuid>,
    pub second: Option<Uuid>,
}

/// A year and a quarter of one neighbourhood's coffee hour, up to now: attendance, answers,
/// the worker's calls, the rota and the checklist.
pub(super) async fn coffee_year(
    plan: &Programme<'_>,
    sessions: &[SessionSummary],
    families: &[Family],
    fidelity: Fidelity,
    staff: &Staff,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let quarters = Quarters::new(plan.today);
    let all = weeks(quarters, sessions);
    let past: Vec<&Week<'_>> = all.iter().filter(|w| w.s.ends_at < now).collect();
    let loose = fidelity == Fidelity::Loose;
    let mut rows = Vec::new();
    let mut contacts = Vec::new();
    let mut rsvps = Vec::new();
    let mut present_per_week = Vec::with_capacity(past.len());
    let mut not_held = Vec::new();
    for (n, w) in past.iter().enumerate() {
        let ago = past.len() - n;
        let state = if loose { loose_week(w.k).0 } else { None };
        // Poort's second coffee hour of the history: the room was double-booked.
        if !loose && w.q == -5 && w.k == 1 {
            not_held.push((w.s.id, SessionState::NotHeld));
            present_per_week.push(0);
            continue;
        }
        if let Some(state) = state {
            not_held.push((w.s.id, state));
            present_per_week.push(0);
            continue;
        }
        let (absences, answers): (&[_], &[_]) = if loose {
            (&HAVEN_ABSENCES, &HAVEN_RSVPS)
        } else {
            (&POORT_ABSENCES, &POORT_RSVPS)
        };
        let mut present = 0;
        for (i, f) in families.iter().enumerate() {
            let Some(role) = f.role else { continue };
            let mut status = comes(role, w).then_some((AttendanceStatus::Present, None));
            if in_story(w)
                && let Some(s) = f.stayer()
            {
                if let Some((_, _, reason)) =
                    absences.iter().find(|(k, st, _)| *k == w.k && *st == s)
                {
                    let kind = match reason {
                        Some(_) => AttendanceStatus::Excused,
                        None => AttendanceStatus::Absent,
                    };
                    status = Some((kind, *reason));
                }
                if let Some((_, _, answer)) =
                    answers.iter().find(|(k, st, _)| *k == w.k && *st == s)
                {
                    // The one who can't come does not come.
                    if let Rsvp::Cant(_) = answer {
                        status = None;
                    }
                    rsvps.push((w.s.id, f.id, answer.line()));
                }
            }
            if let Some(story) = f.story.and_then(|st| worklist_story(st, ago)) {
                status = Some(story);
            } else if f.story.is_some() && ago <= 6 {
                status = Some((AttendanceStatus::Present, None));
            }
            let Some((status, reason)) = status else {
                continue;
            };
            if status == AttendanceStatus::Present {
                present += 1;
            }
            rows.push(PastAttendance {
                session_id: w.s.id,
                session_start: w.s.starts_at,
                household_id: f.id,
                status,
                reason,
                children: if status == AttendanceStatus::Present {
                    u32::try_from(super::dice(i, w.g) % 3).unwrap_or(0)
                } else {
                    0
                },
            });
        }
        present_per_week.push(present);
        if in_story(w) {
            contacts.extend(week_contacts(plan, w, families, loose));
        }
    }
    plan.store
        .load_attendance(plan.tenant.org_id, &rows)
        .await?;
    plan.store
        .load_history(plan.tenant.org_id, &contacts, &[])
        .await?;
    // Haven's next coffee hour: what the team prepares for (childcare, a lift).
    if loose
        && let Some(next) = sessions
            .iter()
            .filter(|s| s.starts_at > now)
            .min_by_key(|s| s.starts_at)
    {
        for (stayer, answer) in HAVEN_NEXT {
            if let Some(f) = families.iter().find(|f| f.stayer() == Some(stayer)) {
                rsvps.push((next.id, f.id, answer.line()));
            }
        }
    }
    for (session, household, line) in rsvps {
        plan.store
            .set_rsvp(&plan.tenant, session, household, &line, None)
            .await?;
    }
    for (id, state) in not_held {
        if state != SessionState::Planned {
            plan.store
                .set_session_state(&plan.tenant, id, state, None)
                .await?;
        }
    }
    let rotas: Vec<mtp_store::PastRota> = past
        .iter()
        .zip(present_per_week)
        .filter_map(|(w, present)| rota_and_checklist(w, present, loose, staff))
        .collect();
    plan.store.load_rota(plan.tenant.org_id, &rotas).await?;
    plan.store
        .audit(NewAuditEvent {
            org_id: plan.tenant.org_id,
            actor_id: None,
            actor_role: "cli".into(),
            action: Action::SessionPlanned,
            object_type: "neighbourhood".into(),
            object_id: Some(plan.neighbourhood),
            neighbourhood_id: Some(plan.neighbourhood),
            outcome: Outcome::Allowed,
            detail: format!("demo rotas={}", rotas.len()),
        })
        .await?;
    Ok(())
}

/// The worker's calls before one coffee hour, two days before it.
fn week_contacts(
    plan: &Programme<'_>,
    w: &Week<'_>,
    families: &[Family],
    loose: bool,
) -> Vec<PastContact> {
    let at = w.s.starts_at - chrono::Duration::days(2);
    let stayer = |s: usize| families.iter().find(|f| f.stayer() == Some(s));
    let every_other = families
        .iter()
        .find(|f| matches!(f.role, Some(Role::EveryOtherWeek)));
    let calls: Vec<(Option<&Family>, ContactOutcome)> = if loose {
        HAVEN_CONTACTS
            .iter()
            .filter(|(k, _, _)| *k == w.k)
            .map(|(_, s, o)| (stayer(*s), *o))
            .collect()
    } else {
        POORT_CONTACTS
            .iter()
            .filter(|(k, _, _)| *k == w.k || (*k == FIRST_SIX && w.k <= 5))
            .map(|(_, s, o)| (s.map_or(every_other, stayer), *o))
            .collect()
    };
    calls
        .into_iter()
        .filter_map(|(f, outcome)| {
            f.map(|f| PastContact {
                household_id: f.id,
                neighbourhood_id: plan.neighbourhood,
                session_id: Some(w.s.id),
                channel: Channel::WhatsApp,
                outcome,
                at,
            })
        })
        .collect()
}

/// Who was on the rota of a past week, and what the checklist says; `None` for a week that
/// was not held.
fn rota_and_checklist(
    w: &Week<'_>,
    present: usize,
    loose: bool,
    staff: &Staff,
) -> Option<mtp_store::PastRota> {
    let (state, checklist, host_reply) = if loose {
        loose_week(w.k)
    } else if w.q == -5 && w.k == 1 {
        (Some(SessionState::NotHeld), &[][..], None)
    } else {
        (None, &ChecklistItem::ALL[..], Some(HostReply::Confirmed))
    };
    if state.is_some() {
        return None;
    }
    let mut on_rota = Vec::new();
    if let (Some(host), Some(reply)) = (staff.host, host_reply) {
        on_rota.push((host, reply));
    }
    if let Some(worker) = staff.worker {
        on_rota.push((worker, HostReply::Confirmed));
    }
    if let Some(second) = staff.second.filter(|_| present > 10) {
        on_rota.push((second, HostReply::Confirmed));
    }
    Some(mtp_store::PastRota {
        session_id: w.s.id,
        staff: on_rota,
        checklist: checklist.to_vec(),
    })
}

/// The first day of the story's history: where the weekly coffee hours begin.
pub(super) fn first_day(today: NaiveDate) -> NaiveDate {
    Quarters::new(today).first_day()
}

/// The first day of the story's history, as the instant sessions are listed from (a day
/// early: the coffee hour starts after midnight UTC in any case).
pub(super) fn history_from(today: NaiveDate) -> DateTime<Utc> {
    first_day(today)
        .pred_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or_else(Utc::now, |d| d.and_utc())
}

/// How many families Almere Haven has.
pub(super) const HAVEN_FAMILIES: usize = 16;

/// Whether Haven's family `h` brings a partner: the open coffee hour is for everyone.
fn haven_multi(h: usize) -> bool {
    matches!(h, 4 | 5 | 7 | 11 | 15)
}

/// Haven's family `h`: mothers who do not work, work but are free on Wednesday, or work all
/// week, so the time-slot fit shows that Wednesday would suit more of them than Thursday.
pub(super) fn haven_draft(
    h: usize,
    this_year: i32,
    haven: Uuid,
) -> anyhow::Result<mtp_store::HouseholdDraft> {
    use mtp_domain::consent::ConsentMethod;
    use mtp_domain::{ChildBirth, HouseholdKind, PhoneNumber, Source};
    use mtp_store::{ChildDraft, HouseholdDraft, ParentDraft};
    let person = |s: &str| {
        mtp_domain::PersonName::parse(s).map_err(|e| anyhow::anyhow!("demo name {s}: {e}"))
    };
    let last = super::LAST[(h * 5 + 3) % super::LAST.len()];
    let (works, free_days) = match h % 4 {
        0 => (false, vec![]),
        1 => (true, vec![2]),
        2 => (true, vec![0, 2]),
        _ => (true, vec![]),
    };
    let mut parents = vec![ParentDraft {
        first_name: person(super::MOTHERS[(h * 7 + 5) % super::MOTHERS.len()])?,
        last_name: Some(person(last)?),
        // 06-0000 02NN: the 060 range is not issued, so these numbers reach nobody.
        phone: PhoneNumber::parse(&format!("06-000002{h:02}")).ok(),
        email: None,
        channel: Channel::WhatsApp,
        languages: "Nederlands".into(),
        works,
        free_days,
    }];
    if haven_multi(h) {
        parents.push(ParentDraft {
            first_name: person(super::FATHERS[h % super::FATHERS.len()])?,
            last_name: Some(person(last)?),
            phone: PhoneNumber::parse(&format!("06-000003{h:02}")).ok(),
            email: None,
            channel: Channel::WhatsApp,
            languages: "Nederlands".into(),
            works: true,
            free_days: vec![5],
        });
    }
    let age = (h * 5 % 12) as i32;
    Ok(HouseholdDraft {
        neighbourhood_id: haven,
        kind: if haven_multi(h) {
            HouseholdKind::MultiParent
        } else {
            HouseholdKind::SingleParent
        },
        source: Source::ALL[h % Source::ALL.len()],
        source_partner: None,
        postcode4: None,
        interests: String::new(),
        talents: String::new(),
        notes: String::new(),
        parents,
        children: vec![ChildDraft {
            first_name: person(super::CHILDREN[(h * 3 + 1) % super::CHILDREN.len()])?,
            birth: ChildBirth {
                year: this_year - age - 1,
                month: (h % 12 + 1) as u32,
            },
        }],
        data_consent: ConsentMethod::Verbal,
    })
}

/// Haven's families that went quiet or left since, with the reason the worker wrote down.
pub(super) fn haven_status(h: usize) -> Option<(mtp_domain::HouseholdStatus, &'static str)> {
    use mtp_domain::HouseholdStatus;
    match h {
        10 => Some((HouseholdStatus::Quiet, "werkt nu overdag")),
        11 => Some((HouseholdStatus::Left, "verhuisd")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn quarter_zero_holds_the_day_seventy_days_back() {
        let q = Quarters::new(d(2026, 12, 6));
        // 70 days before 6 December is 27 September: quarter 0 is July–September 2026.
        assert_eq!(q.zero, d(2026, 7, 1));
        assert_eq!(q.of(d(2026, 6, 30)), -1);
        assert_eq!(q.of(d(2025, 7, 1)), -4);
        assert_eq!(q.first_day(), d(2025, 4, 1));
        assert_eq!(Quarters::new(d(2027, 3, 12)).zero, d(2027, 1, 1));
        assert_eq!(Quarters::new(d(2027, 3, 11)).zero, d(2026, 10, 1));
    }
}

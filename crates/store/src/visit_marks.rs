//! Each household's first two visits (`docs/indicators.md §10.1`) and its latest
//! (`§10.3`), kept on the household row.
//!
//! A report needs of the years before its window only whether a household came before it,
//! once or at least twice, in its own neighbourhood: the first two marks say that without
//! reading those years. The latest says whether it came in the window at all: a household
//! that did not is not read. Every write
//! that can change a household's visits (attendance at the door or on the form, a loaded
//! history, a session marked held or not, a session moved, two households merged, a household
//! moved to another neighbourhood) refreshes
//! the marks of the households it touched, in its own transaction, by recomputing them from
//! the attendance rows: never a nightly job that can be stale. `Store::visit_marks_drift`
//! recomputes them all for the tests that prove it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::activity::ActivityKind;
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use mtp_domain::schedule::TZ;
use sea_orm::sea_query::{Expr, Order, Query, SelectStatement, UpdateStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, JoinType, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{activity, attendance, household, organisation, session};
use crate::{Result, Store};

/// The start of a household's `nth` visit in its own neighbourhood, counted in `order` (0 =
/// the first, or with `Order::Desc` the latest): present at a session there that was held
/// (`docs/indicators.md §1.3`), in the order the sessions started. Correlated with the
/// household row being updated.
fn nth_visit(nth: u64, order: Order) -> SelectStatement {
    Query::select()
        .column((session::Entity, session::Column::StartsAt))
        .from(attendance::Entity)
        .inner_join(
            session::Entity,
            Expr::col((session::Entity, session::Column::Id))
                .equals((attendance::Entity, attendance::Column::SessionId)),
        )
        .and_where(
            Expr::col((attendance::Entity, attendance::Column::OrgId))
                .equals((household::Entity, household::Column::OrgId)),
        )
        .and_where(
            Expr::col((attendance::Entity, attendance::Column::HouseholdId))
                .equals((household::Entity, household::Column::Id)),
        )
        .and_where(
            Expr::col((session::Entity, session::Column::NeighbourhoodId))
                .equals((household::Entity, household::Column::NeighbourhoodId)),
        )
        .and_where(
            Expr::col((attendance::Entity, attendance::Column::Status))
                .eq(AttendanceStatus::Present.as_str()),
        )
        .and_where(
            Expr::col((session::Entity, session::Column::State)).eq(SessionState::Held.as_str()),
        )
        .order_by((session::Entity, session::Column::StartsAt), order)
        .limit(1)
        .offset(nth)
        .to_owned()
}

/// The statement that sets the first two visits from the attendance rows: the migration
/// that added them (000019) fills them with it.
pub(crate) fn refresh_statement() -> UpdateStatement {
    Query::update()
        .table(household::Entity)
        .value(
            household::Column::FirstVisitAt,
            Expr::SubQuery(None, Box::new(nth_visit(0, Order::Asc).into())),
        )
        .value(
            household::Column::SecondVisitAt,
            Expr::SubQuery(None, Box::new(nth_visit(1, Order::Asc).into())),
        )
        .to_owned()
}

/// The statement that sets the latest visit from the attendance rows: the migration that
/// added it (000038) fills it with it.
pub(crate) fn last_visit_statement() -> UpdateStatement {
    Query::update()
        .table(household::Entity)
        .value(
            household::Column::LastVisitAt,
            Expr::SubQuery(None, Box::new(nth_visit(0, Order::Desc).into())),
        )
        .to_owned()
}

/// The columns a write of the marks sets. A migration writes only those its schema has:
/// the one that added the log (000025) runs on a database without the latest visit, which
/// came with 000038.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Columns {
    UpTo000025,
    All,
}

/// One visit in a household's log (`docs/indicators.md §10.2`): its day in Amsterdam, the
/// kind of activity, and whether the session was in the household's own neighbourhood (only
/// those count in a report; the research export counts every one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LoggedVisit {
    pub date: NaiveDate,
    pub kind: ActivityKind,
    pub own: bool,
}

/// Day 0 of the log's numbering.
fn log_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The log as stored: per visit, oldest first, the day number (days since 1 January 2000)
/// followed by one letter for the kind (`A` + its place in `ActivityKind::ALL`; lower case
/// for a session in another neighbourhood), comma-separated: "9503A,9510A". About six bytes
/// a visit, so a household of ten years is one short text read with its row.
pub(crate) fn encode_log(visits: &[LoggedVisit]) -> String {
    let mut out = String::with_capacity(visits.len() * 7);
    for v in visits {
        let idx = ActivityKind::ALL
            .iter()
            .position(|k| *k == v.kind)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(0);
        let letter = char::from(if v.own { b'A' } else { b'a' } + idx);
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&(v.date - log_epoch()).num_days().to_string());
        out.push(letter);
    }
    out
}

/// One entry of a stored log ("9503A"); `None` when it does not read (none is written).
fn decode_entry(entry: &str) -> Option<LoggedVisit> {
    let letter = *entry.as_bytes().last()?;
    let (base, own) = if letter.is_ascii_uppercase() {
        (b'A', true)
    } else {
        (b'a', false)
    };
    let kind = *ActivityKind::ALL.get(usize::from(letter.checked_sub(base)?))?;
    let date = log_epoch().checked_add_signed(chrono::Duration::days(entry_day(entry)?))?;
    Some(LoggedVisit { date, kind, own })
}

/// The day number of an entry, without its kind.
fn entry_day(entry: &str) -> Option<i64> {
    entry.get(..entry.len().checked_sub(1)?)?.parse().ok()
}

/// The visits of a stored log, oldest first; an entry that does not read is left out.
pub(crate) fn decode_log(log: &str) -> impl Iterator<Item = LoggedVisit> + '_ {
    log.split(',').filter_map(decode_entry)
}

/// The visits of a stored log, newest first: a reader that needs only the latest visits
/// stops early instead of decoding years it does not look at.
pub(crate) fn decode_log_newest_first(log: &str) -> impl Iterator<Item = LoggedVisit> + '_ {
    log.rsplit(',').filter_map(decode_entry)
}

/// The part of a log from `from` on. The log is oldest first, so this is its tail, found
/// from the end by the day numbers alone: a year's report of a household of ten years
/// decodes one year of its log (docs/benchmarks.md, "Reports").
pub(crate) fn log_since(log: &str, from: NaiveDate) -> &str {
    let from_day = (from - log_epoch()).num_days();
    let mut end = log.len();
    loop {
        let begin = log[..end].rfind(',').map_or(0, |comma| comma + 1);
        if entry_day(&log[begin..end]).is_some_and(|day| day < from_day) {
            // Everything after this entry (and its comma) is on or after `from`.
            return log.get(end + 1..).unwrap_or("");
        }
        if begin == 0 {
            return log;
        }
        end = begin - 1;
    }
}

/// Every household's visit marks and log as the attendance rows say: per household, its
/// neighbourhood's first two visits and its log. `households` narrows it (all of `org` when
/// `None`).
async fn recompute<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    households: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, Marks>> {
    let mut hq = household::Entity::find()
        .select_only()
        .columns([household::Column::Id, household::Column::NeighbourhoodId])
        .filter(household::Column::OrgId.eq(org));
    let mut vq = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::HouseholdId)
        .column(session::Column::NeighbourhoodId)
        .column(session::Column::StartsAt)
        .column(activity::Column::Kind)
        .join(
            JoinType::InnerJoin,
            attendance::Entity::belongs_to(session::Entity)
                .from(attendance::Column::SessionId)
                .to(session::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            session::Entity::belongs_to(activity::Entity)
                .from(session::Column::ActivityId)
                .to(activity::Column::Id)
                .into(),
        )
        .filter(attendance::Column::OrgId.eq(org))
        .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
        .filter(session::Column::State.eq(SessionState::Held.as_str()));
    if let Some(ids) = households {
        hq = hq.filter(household::Column::Id.is_in(ids.to_vec()));
        vq = vq.filter(attendance::Column::HouseholdId.is_in(ids.to_vec()));
    }
    let mut out: HashMap<Uuid, Marks> = hq
        .into_tuple::<(Uuid, Uuid)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, nb)| {
            (
                id,
                Marks {
                    neighbourhood: nb,
                    ..Marks::default()
                },
            )
        })
        .collect();
    let mut rows = vq
        .into_tuple::<(Uuid, Uuid, DateTime<Utc>, String)>()
        .all(conn)
        .await?;
    // Oldest first, as the log is kept; the sort in Rust spares the database one.
    rows.sort_by_key(|r| r.2);
    let mut logs: HashMap<Uuid, Vec<LoggedVisit>> = HashMap::new();
    for (h, nb, at, kind) in rows {
        let Some(m) = out.get_mut(&h) else {
            continue;
        };
        let own = nb == m.neighbourhood;
        if own {
            if m.first.is_none() {
                m.first = Some(at);
            } else if m.second.is_none() {
                m.second = Some(at);
            }
            m.last = Some(at);
        }
        // A visit to an activity of a kind the code does not know counts nowhere, as in
        // the reports that read the rows themselves.
        if let Ok(kind) = ActivityKind::parse(&kind) {
            logs.entry(h).or_default().push(LoggedVisit {
                date: at.with_timezone(&TZ).date_naive(),
                kind,
                own,
            });
        }
    }
    for (h, visits) in logs {
        if let Some(m) = out.get_mut(&h) {
            m.log = encode_log(&visits);
        }
    }
    Ok(out)
}

/// What is kept on a household row about its visits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Marks {
    neighbourhood: Uuid,
    first: Option<DateTime<Utc>>,
    second: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    log: String,
}

async fn write_marks<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    marks: HashMap<Uuid, Marks>,
    columns: Columns,
) -> Result<()> {
    for (id, m) in marks {
        let mut update = household::Entity::update_many()
            .col_expr(household::Column::FirstVisitAt, m.first.into())
            .col_expr(household::Column::SecondVisitAt, m.second.into())
            .col_expr(household::Column::VisitLog, m.log.into());
        if columns == Columns::All {
            update = update.col_expr(household::Column::LastVisitAt, m.last.into());
        }
        update
            .filter(household::Column::OrgId.eq(org))
            .filter(household::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The ids a refresh was asked for, each once and in order, to be recomputed in chunks of
/// 500 (a write may name a household or session several times).
pub(crate) fn each_once(ids: &[Uuid]) -> Vec<Uuid> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Recompute the marks and the visit log of `households` of `org` from their attendance
/// rows, inside the caller's transaction.
pub(crate) async fn refresh_visit_marks<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    households: &[Uuid],
) -> Result<()> {
    for chunk in each_once(households).chunks(500) {
        let marks = recompute(conn, org, Some(chunk)).await?;
        write_marks(conn, org, marks, Columns::All).await?;
    }
    Ok(())
}

/// Each session's attendance as the rows say: per session, per status and reason, how many
/// households (`docs/indicators.md §10.2`). `sessions` narrows it (all of `org` when `None`).
/// One group of a session's attendance as counted: status, reason, households, parents.
type Group = (String, Option<String>, i64, i64);

async fn count_sessions<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    sessions: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, String>> {
    let mut sq = session::Entity::find()
        .select_only()
        .column(session::Column::Id)
        .filter(session::Column::OrgId.eq(org));
    let mut aq = attendance::Entity::find()
        .select_only()
        .columns([
            attendance::Column::SessionId,
            attendance::Column::Status,
            attendance::Column::Reason,
        ])
        .column_as(attendance::Column::HouseholdId.count(), "n")
        .column_as(attendance::Column::Adults.sum(), "adults")
        .filter(attendance::Column::OrgId.eq(org))
        .group_by(attendance::Column::SessionId)
        .group_by(attendance::Column::Status)
        .group_by(attendance::Column::Reason);
    if let Some(ids) = sessions {
        sq = sq.filter(session::Column::Id.is_in(ids.to_vec()));
        aq = aq.filter(attendance::Column::SessionId.is_in(ids.to_vec()));
    }
    let mut out: HashMap<Uuid, Vec<Group>> = sq
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .map(|id| (id, Vec::new()))
        .collect();
    for (session_id, status, reason, n, adults) in aq
        .into_tuple::<(Uuid, String, Option<String>, i64, i64)>()
        .all(conn)
        .await?
    {
        if let Some(v) = out.get_mut(&session_id) {
            v.push((status, reason, n, adults));
        }
    }
    Ok(out
        .into_iter()
        .map(|(id, mut groups)| {
            groups.sort();
            (id, encode_counts(&groups))
        })
        .collect())
}

/// The counts as stored: "present::29;excused:no_childcare:3;absent::5", one entry per status
/// and reason (statuses and reasons are lower-case words without `:` or `;`); empty when
/// attendance was never taken.
fn encode_counts(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|(status, reason, n, adults)| {
            format!("{status}:{}:{n}:{adults}", reason.as_deref().unwrap_or(""))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// One group of a session's stored counts.
pub(crate) struct CountedGroup<'a> {
    pub status: &'a str,
    pub reason: Option<&'a str>,
    /// Households.
    pub n: u32,
    /// The parents recorded with them (the second-worker check counts parents, §5).
    pub adults: u32,
}

/// The stored counts: status, reason, how many households and how many parents.
pub(crate) fn decode_counts(counts: &str) -> impl Iterator<Item = CountedGroup<'_>> {
    counts.split(';').filter_map(|entry| {
        let mut parts = entry.splitn(4, ':');
        let status = parts.next()?;
        let reason = parts.next()?;
        let n = parts.next()?.parse().ok()?;
        let adults = parts.next()?.parse().ok()?;
        Some(CountedGroup {
            status,
            reason: (!reason.is_empty()).then_some(reason),
            n,
            adults,
        })
    })
}

/// Recount the attendance of `sessions` of `org`, inside the caller's transaction: every
/// write of attendance rows calls it with the sessions it touched.
pub(crate) async fn refresh_session_counts<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    sessions: &[Uuid],
) -> Result<()> {
    for chunk in each_once(sessions).chunks(500) {
        write_counts(conn, org, count_sessions(conn, org, Some(chunk)).await?).await?;
    }
    Ok(())
}

async fn write_counts<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    counts: HashMap<Uuid, String>,
) -> Result<()> {
    for (id, counts) in counts {
        session::Entity::update_many()
            .col_expr(session::Column::AttendanceCounts, counts.into())
            .filter(session::Column::OrgId.eq(org))
            .filter(session::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Fill the marks, logs and session counts of every organisation (the migration that added
/// the logs, and `mtp refresh`), one organisation at a time so memory stays that of one
/// organisation's visits. `columns`: those of the marks the schema has.
pub(crate) async fn refresh_all<C: ConnectionTrait>(conn: &C, columns: Columns) -> Result<()> {
    let orgs: Vec<Uuid> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    for org in orgs {
        let marks = recompute(conn, org, None).await?;
        write_marks(conn, org, marks, columns).await?;
        write_counts(conn, org, count_sessions(conn, org, None).await?).await?;
    }
    Ok(())
}

/// The households with an attendance row at a session: whose marks a change to the session
/// can move.
pub(crate) async fn households_at<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    session_id: Uuid,
) -> Result<Vec<Uuid>> {
    Ok(attendance::Entity::find()
        .select_only()
        .column(attendance::Column::HouseholdId)
        .filter(attendance::Column::OrgId.eq(org))
        .filter(attendance::Column::SessionId.eq(session_id))
        .into_tuple()
        .all(conn)
        .await?)
}

impl Store {
    /// The households of `org` whose marks differ from a recomputation from every attendance
    /// row: empty when every write kept them. For the tests, and for an operator who doubts.
    pub async fn visit_marks_drift(&self, org: Uuid) -> Result<Vec<Uuid>> {
        let expected = recompute(&self.db, org, None).await?;
        let mut drift = Vec::new();
        for (id, nb, first, second, last, log) in household::Entity::find()
            .select_only()
            .columns([
                household::Column::Id,
                household::Column::NeighbourhoodId,
                household::Column::FirstVisitAt,
                household::Column::SecondVisitAt,
                household::Column::LastVisitAt,
                household::Column::VisitLog,
            ])
            .filter(household::Column::OrgId.eq(org))
            .into_tuple::<(
                Uuid,
                Uuid,
                Option<DateTime<Utc>>,
                Option<DateTime<Utc>>,
                Option<DateTime<Utc>>,
                String,
            )>()
            .all(&self.db)
            .await?
        {
            let kept = Marks {
                neighbourhood: nb,
                first,
                second,
                last,
                log,
            };
            if expected.get(&id) != Some(&kept) {
                drift.push(id);
            }
        }
        drift.sort_unstable();
        Ok(drift)
    }

    /// The sessions of `org` whose kept attendance counts differ from a recount of the
    /// attendance rows: empty when every write kept them.
    pub async fn session_counts_drift(&self, org: Uuid) -> Result<Vec<Uuid>> {
        let expected = count_sessions(&self.db, org, None).await?;
        let mut drift: Vec<Uuid> = session::Entity::find()
            .select_only()
            .columns([session::Column::Id, session::Column::AttendanceCounts])
            .filter(session::Column::OrgId.eq(org))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|(id, kept)| expected.get(id) != Some(kept))
            .map(|(id, _)| id)
            .collect();
        drift.sort_unstable();
        Ok(drift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(days: i64, own: bool) -> LoggedVisit {
        LoggedVisit {
            date: log_epoch() + chrono::Duration::days(days),
            kind: ActivityKind::ALL[usize::try_from(days).unwrap_or(0) % ActivityKind::ALL.len()],
            own,
        }
    }

    #[test]
    fn the_tail_of_a_log_holds_exactly_the_visits_from_a_day_on() {
        let visits: Vec<LoggedVisit> = [3, 10, 10, 17, 400, 401, 9000]
            .into_iter()
            .enumerate()
            .map(|(i, d)| visit(d, i % 3 != 0))
            .collect();
        let log = encode_log(&visits);
        for from in [0, 3, 4, 10, 11, 17, 18, 400, 401, 402, 9000, 9001] {
            let from = log_epoch() + chrono::Duration::days(from);
            let tail: Vec<LoggedVisit> = decode_log(log_since(&log, from)).collect();
            let expected: Vec<LoggedVisit> =
                visits.iter().copied().filter(|v| v.date >= from).collect();
            assert_eq!(tail, expected, "from {from}");
        }
        assert_eq!(log_since("", log_epoch()), "");
        let newest: Vec<LoggedVisit> = decode_log_newest_first(&log).collect();
        let mut oldest = visits.clone();
        oldest.reverse();
        assert_eq!(newest, oldest);
    }
}

//! Each household's first two visits (`docs/indicators.md §10.1`), kept on the household row.
//!
//! A report needs of the years before its window only whether a household came before it,
//! once or at least twice, in its own neighbourhood: these two marks say that without reading
//! those years. Every write
//! that can change a household's visits (attendance at the door or on the form, a loaded
//! history, a session marked held or not, a session moved, two households merged, a household
//! moved to another neighbourhood) refreshes
//! the marks of the households it touched, in its own transaction, by recomputing them from
//! the attendance rows: never a nightly job that can be stale. `Store::visit_marks_drift`
//! recomputes them all for the tests that prove it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mtp_domain::attendance::{AttendanceStatus, SessionState};
use sea_orm::sea_query::{Expr, Order, Query, SelectStatement, UpdateStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::{attendance, household, session};
use crate::{Result, Store};

/// The start of a household's `nth` visit (0 = the first) in its own neighbourhood: present
/// at a session there that was held (`docs/indicators.md §1.3`), in the order the sessions
/// started. Correlated with the household row being updated.
fn nth_visit(nth: u64) -> SelectStatement {
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
        .order_by((session::Entity, session::Column::StartsAt), Order::Asc)
        .limit(1)
        .offset(nth)
        .to_owned()
}

/// The statement that sets both marks from the attendance rows; the caller narrows it to
/// the households it touched. The migration that added the marks fills them with it too.
pub(crate) fn refresh_statement() -> UpdateStatement {
    Query::update()
        .table(household::Entity)
        .value(
            household::Column::FirstVisitAt,
            Expr::SubQuery(None, Box::new(nth_visit(0).into())),
        )
        .value(
            household::Column::SecondVisitAt,
            Expr::SubQuery(None, Box::new(nth_visit(1).into())),
        )
        .to_owned()
}

/// Recompute the marks of `households` of `org`, inside the caller's transaction.
pub(crate) async fn refresh_visit_marks<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    households: &[Uuid],
) -> Result<()> {
    let mut ids = households.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let stmt = refresh_statement()
            .and_where(household::Column::OrgId.eq(org))
            .and_where(household::Column::Id.is_in(chunk.to_vec()))
            .to_owned();
        conn.execute(&stmt).await?;
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
        let mut visits: HashMap<(Uuid, Uuid), Vec<DateTime<Utc>>> = HashMap::new();
        for (h, nb, at) in attendance::Entity::find()
            .select_only()
            .column(attendance::Column::HouseholdId)
            .column(session::Column::NeighbourhoodId)
            .column(session::Column::StartsAt)
            .join(
                JoinType::InnerJoin,
                attendance::Entity::belongs_to(session::Entity)
                    .from(attendance::Column::SessionId)
                    .to(session::Column::Id)
                    .into(),
            )
            .filter(attendance::Column::OrgId.eq(org))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .filter(session::Column::State.eq(SessionState::Held.as_str()))
            .order_by_asc(session::Column::StartsAt)
            .into_tuple::<(Uuid, Uuid, DateTime<Utc>)>()
            .all(&self.db)
            .await?
        {
            visits.entry((h, nb)).or_default().push(at);
        }
        let mut drift = Vec::new();
        for (id, nb, first, second) in household::Entity::find()
            .select_only()
            .columns([
                household::Column::Id,
                household::Column::NeighbourhoodId,
                household::Column::FirstVisitAt,
                household::Column::SecondVisitAt,
            ])
            .filter(household::Column::OrgId.eq(org))
            .into_tuple::<(Uuid, Uuid, Option<DateTime<Utc>>, Option<DateTime<Utc>>)>()
            .all(&self.db)
            .await?
        {
            let v = visits.get(&(id, nb)).map(Vec::as_slice).unwrap_or_default();
            if (first, second) != (v.first().copied(), v.get(1).copied()) {
                drift.push(id);
            }
        }
        Ok(drift)
    }
}

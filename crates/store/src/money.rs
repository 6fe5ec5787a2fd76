//! Time and money (issue #20, `mtp_domain::money`, docs/guide/money.md): a neighbourhood's
//! budget per year, the expense ledger with its receipts, the workers' hours per week and the
//! third parties' hours per month.
//!
//! Reach: every call checks the neighbourhood against the caller's organisation and
//! neighbourhoods, and every other id (an activity, a session, an expense, a receipt, a
//! worker) against that neighbourhood; anything out of reach is `NotFound`. A worker reads and
//! writes only their own hours; a coordinator those of the staff in their neighbourhoods; an
//! administrator everyone's. Every change is written with its audit entry in one transaction.
//!
//! The ledger is append-only: an expense is never updated or deleted; a correction is a new
//! entry with the opposite amount that names the one it reverses (`expense.reverses`, unique).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use mtp_domain::activity::ActivityKind;
use mtp_domain::attendance::{AttendanceStatus, HostReply, SessionState};
use mtp_domain::indicators::{Period, Visit, taking_part};
use mtp_domain::money::{
    self, BudgetLine, Cents, LineBudget, MAX_MONTH_MINUTES, MoneyError, ReceiptKind, SubRecord,
    TimeCategory, YearRecords,
};
use mtp_domain::schedule::{TZ, local_to_utc};
use mtp_domain::{Role, Tenant};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in};
use crate::entities::{
    account, account_neighbourhood, activity, activity_budget, attendance, budget_line, expense,
    neighbourhood, receipt, session, session_staff, third_party_hours, time_entry,
};
use crate::{Result, Store, StoreError, now};

/// A year's budget for one neighbourhood: the stored lines, or the handbook's template for a
/// year nobody has saved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub neighbourhood_id: Uuid,
    pub year: i32,
    pub lines: Vec<LineBudget>,
    /// Nothing saved yet: these are the handbook's figures.
    pub from_template: bool,
}

/// An expense to book.
#[derive(Debug, Clone)]
pub struct NewExpense {
    pub neighbourhood_id: Uuid,
    pub spent_on: NaiveDate,
    pub line: BudgetLine,
    pub amount: Cents,
    pub activity_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub supplier: String,
    pub note: String,
    /// The receipt's kind (from its content) and bytes.
    pub receipt: Option<(ReceiptKind, Vec<u8>)>,
}

/// One entry of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expense {
    pub id: Uuid,
    pub neighbourhood_id: Uuid,
    pub year: i32,
    pub line: BudgetLine,
    pub spent_on: NaiveDate,
    pub amount: Cents,
    pub activity_id: Option<Uuid>,
    pub activity_name: Option<String>,
    pub session_id: Option<Uuid>,
    /// When the session began, for the ledger.
    pub session_starts: Option<DateTime<Utc>>,
    pub supplier: String,
    pub note: String,
    pub receipt_id: Option<Uuid>,
    /// The entry this one reverses.
    pub reverses: Option<Uuid>,
    /// The entry that reversed this one.
    pub reversed_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The kinds of activity that can have their own budget within the activity line.
pub const OWN_BUDGET_KINDS: [ActivityKind; 2] = [ActivityKind::Outing, ActivityKind::Workshop];

/// A session of a neighbourhood's year, for the expense form and the own budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneySession {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub state: SessionState,
}

/// An outing's or workshop's own budget for the year, with what was booked on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityBudget {
    pub activity_id: Uuid,
    pub name: String,
    pub kind: ActivityKind,
    pub record: SubRecord,
}

/// A session of the week that the worker was on the rota for, with its minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotaSession {
    pub session_id: Uuid,
    pub activity_name: String,
    pub starts_at: DateTime<Utc>,
    pub preparation: i64,
    pub execution: i64,
    pub wrap_up: i64,
}

/// A worker's week in one neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekHours {
    pub worker_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub monday: NaiveDate,
    /// The minutes saved per category (every category, zero when none).
    pub minutes: Vec<(TimeCategory, i64)>,
    /// The sessions the worker was on the rota for (confirmed, not cancelled).
    pub rota: Vec<RotaSession>,
    /// The week's minutes in the worker's other neighbourhoods (the 60-hour rule is per
    /// worker and week).
    pub elsewhere: i64,
}

impl WeekHours {
    /// The proposal from the rota: preparation, execution and wrap-up of its sessions.
    pub fn proposal(&self) -> [(TimeCategory, i64); 3] {
        let sum = |f: fn(&RotaSession) -> i64| self.rota.iter().map(f).sum();
        [
            (TimeCategory::Preparation, sum(|s| s.preparation)),
            (TimeCategory::Execution, sum(|s| s.execution)),
            (TimeCategory::WrapUp, sum(|s| s.wrap_up)),
        ]
    }

    pub fn total(&self) -> i64 {
        self.minutes.iter().map(|(_, m)| *m).sum()
    }
}

/// A staff member whose hours the caller may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    pub neighbourhoods: Vec<Uuid>,
}

/// One week of the neighbourhood's hours, for the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekTotal {
    pub monday: NaiveDate,
    /// Every category but coordination, all workers together.
    pub staff: i64,
    pub coordination: i64,
}

/// Everything a year's dashboard, printable page and workbook show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyYear {
    pub budget: Budget,
    pub expenses: Vec<Expense>,
    pub weeks: Vec<WeekTotal>,
    /// The third parties' minutes per month, January first.
    pub third_party: [i64; 12],
    /// The outings' and workshops' own budgets within the activity line, by name.
    pub subs: Vec<ActivityBudget>,
    pub records: YearRecords,
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn first_of(year: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)
}

fn is_staff(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Worker)
}

fn refused(e: MoneyError) -> StoreError {
    StoreError::Refused(e.key())
}

/// The neighbourhood is in the organisation and the caller's reach.
async fn check_neighbourhood<C: ConnectionTrait>(db: &C, tenant: &Tenant, nb: Uuid) -> Result<()> {
    if !tenant.may_see_neighbourhood(tenant.org_id, nb) {
        return Err(StoreError::NotFound);
    }
    neighbourhood::Entity::find_by_id(nb)
        .filter(neighbourhood::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

fn expense_of(
    m: expense::Model,
    names: &HashMap<Uuid, String>,
    reversed: &HashMap<Uuid, Uuid>,
    starts: &HashMap<Uuid, DateTime<Utc>>,
) -> Expense {
    Expense {
        id: m.id,
        neighbourhood_id: m.neighbourhood_id,
        year: m.year,
        line: BudgetLine::parse(&m.line).unwrap_or(BudgetLine::Activities),
        spent_on: parse_day(&m.spent_on).unwrap_or_default(),
        amount: Cents::from_cents(m.amount_cents),
        activity_name: m.activity_id.and_then(|a| names.get(&a).cloned()),
        activity_id: m.activity_id,
        session_starts: m.session_id.and_then(|s| starts.get(&s).copied()),
        session_id: m.session_id,
        supplier: m.supplier,
        note: m.note,
        receipt_id: m.receipt_id,
        reverses: m.reverses,
        reversed_by: reversed.get(&m.id).copied(),
        created_at: m.created_at,
    }
}

/// An expense of the organisation in the caller's reach.
pub(crate) async fn expense_row<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<expense::Model> {
    let old = expense::Entity::find_by_id(id)
        .filter(expense::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    check_neighbourhood(db, tenant, old.neighbourhood_id).await?;
    Ok(old)
}

/// Write an expense (and its receipt) in the caller's transaction, without the audit entry:
/// the expense form and an outing's costs both book through here, so the ledger is the one
/// place a cost is counted. The activity and the session, when given, must be the
/// neighbourhood's, and the session the activity's (`money-error-session` otherwise).
pub(crate) async fn insert_expense<C: ConnectionTrait>(
    txn: &C,
    tenant: &Tenant,
    actor: Option<Uuid>,
    e: NewExpense,
) -> Result<Uuid> {
    if e.amount.cents() <= 0 {
        return Err(refused(MoneyError::AmountZero));
    }
    if e.line.is_hours() {
        return Err(StoreError::Refused("money-error-line-hours"));
    }
    check_neighbourhood(txn, tenant, e.neighbourhood_id).await?;
    let mut activity_id = e.activity_id;
    if let Some(sid) = e.session_id {
        let s = session::Entity::find_by_id(sid)
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::NeighbourhoodId.eq(e.neighbourhood_id))
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if activity_id.is_some_and(|a| a != s.activity_id) {
            return Err(StoreError::Refused("money-error-session"));
        }
        activity_id = Some(s.activity_id);
    }
    if let Some(aid) = activity_id {
        activity::Entity::find_by_id(aid)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(e.neighbourhood_id))
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
    }
    let at = now();
    let receipt_id = match e.receipt {
        Some((kind, bytes)) => {
            let id = Uuid::new_v4();
            receipt::ActiveModel {
                id: Set(id),
                org_id: Set(tenant.org_id),
                neighbourhood_id: Set(e.neighbourhood_id),
                content_type: Set(kind.content_type().into()),
                content: Set(bytes),
                created_at: Set(at),
                created_by: Set(actor),
            }
            .insert(txn)
            .await?;
            Some(id)
        }
        None => None,
    };
    let id = Uuid::now_v7();
    expense::ActiveModel {
        id: Set(id),
        org_id: Set(tenant.org_id),
        neighbourhood_id: Set(e.neighbourhood_id),
        year: Set(e.spent_on.year()),
        line: Set(e.line.as_str().into()),
        spent_on: Set(day_text(e.spent_on)),
        amount_cents: Set(e.amount.cents()),
        activity_id: Set(activity_id),
        session_id: Set(e.session_id),
        supplier: Set(e.supplier),
        note: Set(e.note),
        receipt_id: Set(receipt_id),
        reverses: Set(None),
        created_at: Set(at),
        created_by: Set(actor),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// Write the reversal of `old` in the caller's transaction, without the audit entry. A
/// reversal is not reversed, and an entry is reversed once (the unique `reverses` settles two
/// people reversing at once).
pub(crate) async fn reverse_in<C: ConnectionTrait>(
    txn: &C,
    tenant: &Tenant,
    actor: Option<Uuid>,
    old: &expense::Model,
) -> Result<Uuid> {
    if old.reverses.is_some() {
        return Err(StoreError::Refused("money-error-reverse-reversal"));
    }
    let already = expense::Entity::find()
        .filter(expense::Column::OrgId.eq(tenant.org_id))
        .filter(expense::Column::Reverses.eq(old.id))
        .one(txn)
        .await?;
    if already.is_some() {
        return Err(StoreError::Refused("money-error-already-reversed"));
    }
    let new_id = Uuid::now_v7();
    expense::Entity::insert(expense::ActiveModel {
        id: Set(new_id),
        org_id: Set(tenant.org_id),
        neighbourhood_id: Set(old.neighbourhood_id),
        year: Set(old.year),
        line: Set(old.line.clone()),
        spent_on: Set(old.spent_on.clone()),
        amount_cents: Set(-old.amount_cents),
        activity_id: Set(old.activity_id),
        session_id: Set(old.session_id),
        supplier: Set(old.supplier.clone()),
        note: Set(String::new()),
        receipt_id: Set(None),
        reverses: Set(Some(old.id)),
        created_at: Set(now()),
        created_by: Set(actor),
    })
    .exec_without_returning(txn)
    .await
    // Two people reversing at once: the unique `reverses` lets one through.
    .map_err(|e| match crate::unique_violation(e, "reverses") {
        StoreError::Duplicate(_) => StoreError::Refused("money-error-already-reversed"),
        other => other,
    })?;
    Ok(new_id)
}

impl Store {
    // ------------------------------------------------------------ budget

    /// The neighbourhood's budget for `year`: the saved lines, each missing one from the
    /// handbook's template. Reach-checked.
    pub async fn budget(&self, tenant: &Tenant, nb: Uuid, year: i32) -> Result<Budget> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        let rows = budget_line::Entity::find()
            .filter(budget_line::Column::OrgId.eq(tenant.org_id))
            .filter(budget_line::Column::NeighbourhoodId.eq(nb))
            .filter(budget_line::Column::Year.eq(year))
            .all(&self.db)
            .await?;
        let saved: HashMap<String, budget_line::Model> =
            rows.into_iter().map(|r| (r.line.clone(), r)).collect();
        let lines = money::template()
            .into_iter()
            .map(|t| match saved.get(t.line.as_str()) {
                Some(r) => LineBudget {
                    line: t.line,
                    amount: Cents::from_cents(r.amount_cents),
                    hours: r.hours,
                    rate: Cents::from_cents(r.rate_cents),
                },
                None => t,
            })
            .collect();
        Ok(Budget {
            neighbourhood_id: nb,
            year,
            lines,
            from_template: saved.is_empty(),
        })
    }

    /// Save a year's budget lines, with the audit entry. Reach-checked.
    pub async fn set_budget(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        nb: Uuid,
        year: i32,
        lines: &[LineBudget],
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        check_neighbourhood(&txn, tenant, nb).await?;
        let at = now();
        for l in lines {
            budget_line::Entity::insert(budget_line::ActiveModel {
                org_id: Set(tenant.org_id),
                neighbourhood_id: Set(nb),
                year: Set(year),
                line: Set(l.line.as_str().into()),
                amount_cents: Set(l.amount.cents()),
                hours: Set(l.hours),
                rate_cents: Set(l.rate.cents()),
                updated_at: Set(at),
                updated_by: Set(actor),
            })
            .on_conflict(
                OnConflict::columns([
                    budget_line::Column::OrgId,
                    budget_line::Column::NeighbourhoodId,
                    budget_line::Column::Year,
                    budget_line::Column::Line,
                ])
                .update_columns([
                    budget_line::Column::AmountCents,
                    budget_line::Column::Hours,
                    budget_line::Column::RateCents,
                    budget_line::Column::UpdatedAt,
                    budget_line::Column::UpdatedBy,
                ])
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        append_audit_in(
            &txn,
            NewAuditEvent {
                neighbourhood_id: Some(nb),
                detail: format!("year={year}"),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------ expenses

    /// Book an expense (and its receipt), with the audit entry. The activity and the
    /// session, when given, must be the neighbourhood's, and the session the activity's; the
    /// date gives the budget year.
    pub async fn add_expense(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        e: NewExpense,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        let nb = e.neighbourhood_id;
        let (line, cents, with_receipt) = (e.line, e.amount.cents(), e.receipt.is_some());
        let id = insert_expense(&txn, tenant, actor, e).await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(id),
                neighbourhood_id: Some(nb),
                detail: format!(
                    "line={} cents={cents}{}",
                    line.as_str(),
                    if with_receipt { " receipt" } else { "" }
                ),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Reverse an expense: a new entry with the opposite amount, on the same line, year and
    /// day, naming the one it reverses. An entry is reversed once; a reversal itself is not
    /// reversed (book the expense again instead). Reach-checked.
    pub async fn reverse_expense(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        let old = expense_row(&txn, tenant, id).await?;
        let new_id = reverse_in(&txn, tenant, actor, &old).await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(new_id),
                neighbourhood_id: Some(old.neighbourhood_id),
                detail: format!("reverses={id} cents={}", -old.amount_cents),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(new_id)
    }

    /// The ledger of a neighbourhood's year, oldest first. Reach-checked.
    pub async fn expenses(&self, tenant: &Tenant, nb: Uuid, year: i32) -> Result<Vec<Expense>> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        let rows = expense::Entity::find()
            .filter(expense::Column::OrgId.eq(tenant.org_id))
            .filter(expense::Column::NeighbourhoodId.eq(nb))
            .filter(expense::Column::Year.eq(year))
            .order_by_asc(expense::Column::SpentOn)
            .order_by_asc(expense::Column::CreatedAt)
            .order_by_asc(expense::Column::Id)
            .all(&self.db)
            .await?;
        let reversed: HashMap<Uuid, Uuid> = rows
            .iter()
            .filter_map(|r| r.reverses.map(|old| (old, r.id)))
            .collect();
        let names = self.activity_names(tenant.org_id, nb).await?;
        let starts: HashMap<Uuid, DateTime<Utc>> = self
            .money_sessions(tenant, nb, year)
            .await?
            .into_iter()
            .map(|s| (s.id, s.starts_at))
            .collect();
        Ok(rows
            .into_iter()
            .map(|m| expense_of(m, &names, &reversed, &starts))
            .collect())
    }

    /// The sessions of the neighbourhood's year, cancelled ones too (an expense may name one),
    /// oldest first: the expense form's choice and the own budgets' pace. Reach-checked.
    pub async fn money_sessions(
        &self,
        tenant: &Tenant,
        nb: Uuid,
        year: i32,
    ) -> Result<Vec<MoneySession>> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        let first = first_of(year)?;
        let next = first_of(year + 1)?;
        let rows: Vec<(Uuid, Uuid, DateTime<Utc>, String)> = session::Entity::find()
            .select_only()
            .column(session::Column::Id)
            .column(session::Column::ActivityId)
            .column(session::Column::StartsAt)
            .column(session::Column::State)
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::NeighbourhoodId.eq(nb))
            .filter(session::Column::StartsAt.gte(local_to_utc(first, NaiveTime::MIN)))
            .filter(session::Column::StartsAt.lt(local_to_utc(next, NaiveTime::MIN)))
            .order_by_asc(session::Column::StartsAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, activity_id, starts_at, state)| MoneySession {
                id,
                activity_id,
                starts_at,
                state: SessionState::parse(&state).unwrap_or(SessionState::Planned),
            })
            .collect())
    }

    /// The neighbourhood's outings and workshops by name: the activities that can have their
    /// own budget. Reach-checked.
    pub async fn budget_activities(
        &self,
        tenant: &Tenant,
        nb: Uuid,
    ) -> Result<Vec<(Uuid, String)>> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        Ok(activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .column(activity::Column::Name)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(nb))
            .filter(activity::Column::Kind.is_in(OWN_BUDGET_KINDS.map(ActivityKind::as_str)))
            .order_by_asc(activity::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Give an outing or a workshop of the neighbourhood its own budget for `year` within the
    /// activity line; zero takes it away. With the audit entry; reach-checked (the activity
    /// must be the neighbourhood's, `NotFound` otherwise).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_activity_budget(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        nb: Uuid,
        year: i32,
        activity_id: Uuid,
        amount: Cents,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if amount.cents() < 0 {
            return Err(refused(MoneyError::AmountNegative));
        }
        let txn = self.db.begin().await?;
        check_neighbourhood(&txn, tenant, nb).await?;
        activity::Entity::find_by_id(activity_id)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(nb))
            .filter(activity::Column::Kind.is_in(OWN_BUDGET_KINDS.map(ActivityKind::as_str)))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        activity_budget::Entity::delete_many()
            .filter(activity_budget::Column::OrgId.eq(tenant.org_id))
            .filter(activity_budget::Column::ActivityId.eq(activity_id))
            .filter(activity_budget::Column::Year.eq(year))
            .exec(&txn)
            .await?;
        if amount.cents() > 0 {
            activity_budget::ActiveModel {
                org_id: Set(tenant.org_id),
                activity_id: Set(activity_id),
                year: Set(year),
                neighbourhood_id: Set(nb),
                amount_cents: Set(amount.cents()),
                updated_at: Set(now()),
                updated_by: Set(actor),
            }
            .insert(&txn)
            .await?;
        }
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(activity_id),
                neighbourhood_id: Some(nb),
                detail: format!("year={year} cents={}", amount.cents()),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The neighbourhood's activities by name, for the expense form's choice.
    pub async fn money_activities(&self, tenant: &Tenant, nb: Uuid) -> Result<Vec<(Uuid, String)>> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        Ok(activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .column(activity::Column::Name)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::NeighbourhoodId.eq(nb))
            .order_by_asc(activity::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    async fn activity_names(&self, org: Uuid, nb: Uuid) -> Result<HashMap<Uuid, String>> {
        let rows: Vec<(Uuid, String)> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .column(activity::Column::Name)
            .filter(activity::Column::OrgId.eq(org))
            .filter(activity::Column::NeighbourhoodId.eq(nb))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// A receipt's type and bytes, and its neighbourhood. Reach-checked: a receipt of another
    /// organisation or neighbourhood is `NotFound`, like an id nobody has.
    pub async fn receipt(&self, tenant: &Tenant, id: Uuid) -> Result<(ReceiptKind, Vec<u8>, Uuid)> {
        let r = receipt::Entity::find_by_id(id)
            .filter(receipt::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !tenant.may_see_neighbourhood(tenant.org_id, r.neighbourhood_id) {
            return Err(StoreError::NotFound);
        }
        let kind = ReceiptKind::from_content_type(&r.content_type).ok_or(StoreError::NotFound)?;
        Ok((kind, r.content, r.neighbourhood_id))
    }

    // ------------------------------------------------------------ hours

    /// The staff whose hours `viewer` may read: a worker only themself; a coordinator the
    /// staff of their neighbourhoods; an administrator all staff. By name.
    pub async fn team(&self, tenant: &Tenant, viewer: Uuid) -> Result<Vec<TeamMember>> {
        if !is_staff(tenant.role) {
            return Err(StoreError::Forbidden);
        }
        let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in account_neighbourhood::Entity::find()
            .filter(account_neighbourhood::Column::OrgId.eq(tenant.org_id))
            .all(&self.db)
            .await?
        {
            links
                .entry(r.account_id)
                .or_default()
                .push(r.neighbourhood_id);
        }
        let mut q = account::Entity::find()
            .filter(account::Column::OrgId.eq(tenant.org_id))
            .filter(account::Column::Role.is_in([
                Role::Admin.as_str(),
                Role::Coordinator.as_str(),
                Role::Worker.as_str(),
            ]))
            .order_by_asc(account::Column::DisplayName);
        if tenant.role == Role::Worker {
            q = q.filter(account::Column::Id.eq(viewer));
        }
        let mut out = Vec::new();
        for a in q.all(&self.db).await? {
            let nbs = links.remove(&a.id).unwrap_or_default();
            let shares = tenant.role.sees_whole_organisation()
                || a.id == viewer
                || nbs
                    .iter()
                    .any(|n| tenant.may_see_neighbourhood(tenant.org_id, *n));
            if shares && (a.id == viewer || !a.disabled) {
                out.push(TeamMember {
                    id: a.id,
                    name: a.display_name,
                    neighbourhoods: nbs,
                });
            }
        }
        Ok(out)
    }

    /// The worker, if `viewer` may read and change their hours in `nb`.
    async fn team_member(
        &self,
        tenant: &Tenant,
        viewer: Uuid,
        worker: Uuid,
        nb: Uuid,
    ) -> Result<TeamMember> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        if tenant.role == Role::Worker && worker != viewer {
            return Err(StoreError::NotFound);
        }
        self.team(tenant, viewer)
            .await?
            .into_iter()
            .find(|m| m.id == worker)
            .ok_or(StoreError::NotFound)
    }

    /// A worker's week in one neighbourhood: the saved minutes, the sessions of the rota and
    /// the minutes elsewhere. Reach-checked (the worker too).
    pub async fn week_hours(
        &self,
        tenant: &Tenant,
        viewer: Uuid,
        worker: Uuid,
        nb: Uuid,
        monday: NaiveDate,
    ) -> Result<WeekHours> {
        self.team_member(tenant, viewer, worker, nb).await?;
        let monday = money::monday_of(monday);
        let rows = time_entry::Entity::find()
            .filter(time_entry::Column::OrgId.eq(tenant.org_id))
            .filter(time_entry::Column::AccountId.eq(worker))
            .filter(time_entry::Column::Week.eq(day_text(monday)))
            .all(&self.db)
            .await?;
        let mut here: HashMap<String, i64> = HashMap::new();
        let mut elsewhere = 0;
        for r in rows {
            if r.neighbourhood_id == nb {
                here.insert(r.category, i64::from(r.minutes));
            } else {
                elsewhere += i64::from(r.minutes);
            }
        }
        let minutes = TimeCategory::ALL
            .into_iter()
            .map(|c| (c, here.get(c.as_str()).copied().unwrap_or(0)))
            .collect();
        let rota = self.rota_of_week(tenant.org_id, worker, nb, monday).await?;
        Ok(WeekHours {
            worker_id: worker,
            neighbourhood_id: nb,
            monday,
            minutes,
            rota,
            elsewhere,
        })
    }

    async fn rota_of_week(
        &self,
        org: Uuid,
        worker: Uuid,
        nb: Uuid,
        monday: NaiveDate,
    ) -> Result<Vec<RotaSession>> {
        let from = local_to_utc(monday, NaiveTime::MIN);
        let to = local_to_utc(monday + Days::new(7), NaiveTime::MIN);
        let rows: Vec<(Uuid, String, DateTime<Utc>, i32, i32, i32)> = session::Entity::find()
            .select_only()
            .column(session::Column::Id)
            .column(activity::Column::Name)
            .column(session::Column::StartsAt)
            .column(session::Column::PreparationMinutes)
            .column(session::Column::ExecutionMinutes)
            .column(session::Column::WrapUpMinutes)
            .join(
                JoinType::InnerJoin,
                session::Entity::belongs_to(session_staff::Entity)
                    .from(session::Column::Id)
                    .to(session_staff::Column::SessionId)
                    .into(),
            )
            .join(
                JoinType::InnerJoin,
                session::Entity::belongs_to(activity::Entity)
                    .from(session::Column::ActivityId)
                    .to(activity::Column::Id)
                    .into(),
            )
            .filter(session::Column::OrgId.eq(org))
            .filter(session_staff::Column::OrgId.eq(org))
            .filter(session::Column::NeighbourhoodId.eq(nb))
            .filter(session_staff::Column::AccountId.eq(worker))
            .filter(session_staff::Column::Reply.eq(HostReply::Confirmed.as_str()))
            .filter(session::Column::State.ne(SessionState::Cancelled.as_str()))
            .filter(session::Column::StartsAt.gte(from))
            .filter(session::Column::StartsAt.lt(to))
            .order_by_asc(session::Column::StartsAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, at, p, e, w)| RotaSession {
                session_id: id,
                activity_name: name,
                starts_at: at,
                preparation: i64::from(p),
                execution: i64::from(e),
                wrap_up: i64::from(w),
            })
            .collect())
    }

    /// Save a worker's week in one neighbourhood (every category given; zero removes it),
    /// with the audit entry. The week rule counts the worker's other neighbourhoods too: more
    /// than 60 hours is refused (`money-error-week-too-long`). Reach-checked.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_week_hours(
        &self,
        tenant: &Tenant,
        viewer: Uuid,
        worker: Uuid,
        nb: Uuid,
        monday: NaiveDate,
        minutes: &[(TimeCategory, i64)],
        audit: NewAuditEvent,
    ) -> Result<()> {
        self.team_member(tenant, viewer, worker, nb).await?;
        let monday = money::monday_of(monday);
        let week = day_text(monday);
        // One worker's week is saved one save at a time, so two saves at once (two
        // neighbourhoods, two phones) cannot both pass the 60-hour rule: the no-op UPDATE
        // takes the worker's row lock on PostgreSQL until commit; on SQLite the write
        // transaction holds the database's lock from BEGIN. Count, then decide, under it.
        let (_gate, txn) = self.begin_write().await?;
        account::Entity::update_many()
            .col_expr(account::Column::Id, Expr::col(account::Column::Id))
            .filter(account::Column::OrgId.eq(tenant.org_id))
            .filter(account::Column::Id.eq(worker))
            .exec(&txn)
            .await?;
        let elsewhere: Vec<i32> = time_entry::Entity::find()
            .select_only()
            .column(time_entry::Column::Minutes)
            .filter(time_entry::Column::OrgId.eq(tenant.org_id))
            .filter(time_entry::Column::AccountId.eq(worker))
            .filter(time_entry::Column::Week.eq(week.clone()))
            .filter(time_entry::Column::NeighbourhoodId.ne(nb))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut all: Vec<i64> = minutes.iter().map(|(_, m)| *m).collect();
        all.extend(elsewhere.into_iter().map(i64::from));
        money::check_week(&all).map_err(refused)?;
        let at = now();
        time_entry::Entity::delete_many()
            .filter(time_entry::Column::OrgId.eq(tenant.org_id))
            .filter(time_entry::Column::AccountId.eq(worker))
            .filter(time_entry::Column::NeighbourhoodId.eq(nb))
            .filter(time_entry::Column::Week.eq(week.clone()))
            .exec(&txn)
            .await?;
        let mut detail = format!("week={week}");
        for (c, m) in minutes {
            if *m == 0 {
                continue;
            }
            detail.push_str(&format!(" {}={m}", c.as_str()));
            time_entry::ActiveModel {
                org_id: Set(tenant.org_id),
                account_id: Set(worker),
                neighbourhood_id: Set(nb),
                week: Set(week.clone()),
                category: Set(c.as_str().into()),
                minutes: Set(i32::try_from(*m).map_err(|_| refused(MoneyError::WeekTooLong))?),
                updated_at: Set(at),
                updated_by: Set(Some(viewer)),
            }
            .insert(&txn)
            .await?;
        }
        append_audit_in(
            &txn,
            NewAuditEvent {
                object_id: Some(worker),
                neighbourhood_id: Some(nb),
                detail,
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The third parties' minutes in a neighbourhood, per month of `year`. Reach-checked.
    pub async fn third_party_hours(
        &self,
        tenant: &Tenant,
        nb: Uuid,
        year: i32,
    ) -> Result<[i64; 12]> {
        check_neighbourhood(&self.db, tenant, nb).await?;
        let rows: Vec<(String, i32)> = third_party_hours::Entity::find()
            .select_only()
            .column(third_party_hours::Column::Month)
            .column(third_party_hours::Column::Minutes)
            .filter(third_party_hours::Column::OrgId.eq(tenant.org_id))
            .filter(third_party_hours::Column::NeighbourhoodId.eq(nb))
            .filter(third_party_hours::Column::Month.starts_with(format!("{year:04}-")))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = [0i64; 12];
        for (month, m) in rows {
            if let Some(i) = month
                .get(5..7)
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|i| (1..=12).contains(i))
            {
                out[i - 1] = i64::from(m);
            }
        }
        Ok(out)
    }

    /// Save the third parties' minutes of one month, with the audit entry. Reach-checked.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_third_party_hours(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        nb: Uuid,
        year: i32,
        month: u32,
        minutes: i64,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if !(1..=12).contains(&month) {
            return Err(StoreError::NotFound);
        }
        if !(0..=MAX_MONTH_MINUTES).contains(&minutes) {
            return Err(refused(MoneyError::HoursInvalid));
        }
        let txn = self.db.begin().await?;
        check_neighbourhood(&txn, tenant, nb).await?;
        let key = format!("{year:04}-{month:02}");
        third_party_hours::Entity::insert(third_party_hours::ActiveModel {
            org_id: Set(tenant.org_id),
            neighbourhood_id: Set(nb),
            month: Set(key.clone()),
            minutes: Set(i32::try_from(minutes).map_err(|_| refused(MoneyError::HoursInvalid))?),
            updated_at: Set(now()),
            updated_by: Set(actor),
        })
        .on_conflict(
            OnConflict::columns([
                third_party_hours::Column::OrgId,
                third_party_hours::Column::NeighbourhoodId,
                third_party_hours::Column::Month,
            ])
            .update_columns([
                third_party_hours::Column::Minutes,
                third_party_hours::Column::UpdatedAt,
                third_party_hours::Column::UpdatedBy,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                neighbourhood_id: Some(nb),
                detail: format!("month={key} minutes={minutes}"),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------ the year

    /// Everything of a neighbourhood's year: the budget, the ledger, the hours per week, the
    /// third parties per month, and the sessions held, the households taking part and the
    /// visits of the year (as the reports count them, docs/indicators.md §1.3 and §2).
    /// Reach-checked.
    pub async fn money_year(&self, tenant: &Tenant, nb: Uuid, year: i32) -> Result<MoneyYear> {
        let budget = self.budget(tenant, nb, year).await?;
        let expenses = self.expenses(tenant, nb, year).await?;
        let third_party = self.third_party_hours(tenant, nb, year).await?;
        let first = first_of(year)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(StoreError::NotFound)?;
        // Weeks counted in this year: Mondays from the one of the year's first Thursday.
        let mut monday = money::monday_of(first);
        if money::year_of_week(monday) < year {
            monday = monday + Days::new(7);
        }
        let mut weeks: BTreeMap<NaiveDate, WeekTotal> = BTreeMap::new();
        while money::year_of_week(monday) == year {
            weeks.insert(
                monday,
                WeekTotal {
                    monday,
                    staff: 0,
                    coordination: 0,
                },
            );
            monday = monday + Days::new(7);
        }
        let week_keys: Vec<String> = weeks.keys().map(|d| day_text(*d)).collect();
        let rows: Vec<(String, String, i32)> = time_entry::Entity::find()
            .select_only()
            .column(time_entry::Column::Week)
            .column(time_entry::Column::Category)
            .column(time_entry::Column::Minutes)
            .filter(time_entry::Column::OrgId.eq(tenant.org_id))
            .filter(time_entry::Column::NeighbourhoodId.eq(nb))
            .filter(time_entry::Column::Week.is_in(week_keys))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (week, category, m) in rows {
            let (Some(day), Some(c)) = (parse_day(&week), TimeCategory::parse(&category)) else {
                continue;
            };
            if let Some(w) = weeks.get_mut(&day) {
                if c.line() == BudgetLine::CoordinationHours {
                    w.coordination += i64::from(m);
                } else {
                    w.staff += i64::from(m);
                }
            }
        }
        let weeks: Vec<WeekTotal> = weeks.into_values().collect();

        // Sessions held and visits of the year, from the attendance (a visit: a household
        // present at a held session).
        let from = local_to_utc(first, NaiveTime::MIN);
        let to = local_to_utc(last + Days::new(1), NaiveTime::MIN);
        let sessions = self.money_sessions(tenant, nb, year).await?;
        let held = sessions
            .iter()
            .filter(|s| s.state == SessionState::Held)
            .count();
        let present: Vec<(Uuid, DateTime<Utc>, String)> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::HouseholdId)
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
            .filter(attendance::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::NeighbourhoodId.eq(nb))
            .filter(session::Column::State.eq(SessionState::Held.as_str()))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .filter(session::Column::StartsAt.gte(from))
            .filter(session::Column::StartsAt.lt(to))
            .into_tuple()
            .all(&self.db)
            .await?;
        let visits: Vec<Visit<Uuid>> = present
            .into_iter()
            .filter_map(|(h, at, kind)| {
                Some(Visit {
                    household: h,
                    date: at.with_timezone(&TZ).date_naive(),
                    kind: mtp_domain::activity::ActivityKind::parse(&kind).ok()?,
                })
            })
            .collect();
        let taking = taking_part(&visits, Period::at_least_a_day(first, last));
        let distinct: HashSet<Uuid> = taking.into_iter().collect();

        let mut spent: Vec<(BudgetLine, Cents)> = Vec::new();
        for e in &expenses {
            spent.push((e.line, e.amount));
        }
        let mut minutes: Vec<(BudgetLine, i64)> = Vec::new();
        for w in &weeks {
            minutes.push((BudgetLine::StaffHours, w.staff));
            minutes.push((BudgetLine::CoordinationHours, w.coordination));
        }
        minutes.push((BudgetLine::ThirdPartyHours, third_party.iter().sum()));
        let records = YearRecords {
            spent,
            minutes,
            sessions_held: held as u64,
            households_taking_part: distinct.len() as u64,
            visits: visits.len() as u64,
        };
        let subs = self
            .activity_budgets(tenant, nb, year, &expenses, &sessions)
            .await?;
        Ok(MoneyYear {
            budget,
            expenses,
            weeks,
            third_party,
            subs,
            records,
        })
    }

    /// The own budgets of the year, each with what was booked on the activity line for its
    /// activity (reversals included) and its sessions held and planned.
    async fn activity_budgets(
        &self,
        tenant: &Tenant,
        nb: Uuid,
        year: i32,
        expenses: &[Expense],
        sessions: &[MoneySession],
    ) -> Result<Vec<ActivityBudget>> {
        let rows: Vec<(Uuid, i64, String, String)> = activity_budget::Entity::find()
            .select_only()
            .column(activity_budget::Column::ActivityId)
            .column(activity_budget::Column::AmountCents)
            .column(activity::Column::Name)
            .column(activity::Column::Kind)
            .join(
                JoinType::InnerJoin,
                activity_budget::Entity::belongs_to(activity::Entity)
                    .from(activity_budget::Column::ActivityId)
                    .to(activity::Column::Id)
                    .into(),
            )
            .filter(activity_budget::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity_budget::Column::NeighbourhoodId.eq(nb))
            .filter(activity::Column::NeighbourhoodId.eq(nb))
            .filter(activity_budget::Column::Year.eq(year))
            .order_by_asc(activity::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, cents, name, kind)| {
                Some(ActivityBudget {
                    activity_id: id,
                    name,
                    kind: ActivityKind::parse(&kind).ok()?,
                    record: sub_record(id, Cents::from_cents(cents), expenses, sessions),
                })
            })
            .collect())
    }

    /// An outing's or a workshop's own budget for `year` with what was booked on it, counted
    /// as the budget page counts it; a budget of zero when it has none. For the activity's own
    /// page (docs/guide/outings.md#its-own-budget). Reach-checked through the activity's
    /// neighbourhood; another kind of activity is `NotFound`.
    pub async fn own_budget(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        year: i32,
    ) -> Result<SubRecord> {
        let nb: Uuid = activity::Entity::find_by_id(activity_id)
            .select_only()
            .column(activity::Column::NeighbourhoodId)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::Kind.is_in(OWN_BUDGET_KINDS.map(ActivityKind::as_str)))
            .into_tuple()
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_neighbourhood(&self.db, tenant, nb).await?;
        let cents: Option<i64> = activity_budget::Entity::find()
            .select_only()
            .column(activity_budget::Column::AmountCents)
            .filter(activity_budget::Column::OrgId.eq(tenant.org_id))
            .filter(activity_budget::Column::ActivityId.eq(activity_id))
            .filter(activity_budget::Column::Year.eq(year))
            .into_tuple()
            .one(&self.db)
            .await?;
        let expenses = self.expenses(tenant, nb, year).await?;
        let sessions = self.money_sessions(tenant, nb, year).await?;
        Ok(sub_record(
            activity_id,
            Cents::from_cents(cents.unwrap_or(0)),
            &expenses,
            &sessions,
        ))
    }
}

/// An activity's own budget with what was booked on the activity line for it (reversals
/// included) and its sessions of the year held and planned: the one place these are counted.
fn sub_record(
    id: Uuid,
    budget: Cents,
    expenses: &[Expense],
    sessions: &[MoneySession],
) -> SubRecord {
    let spent = expenses
        .iter()
        .filter(|e| e.line == BudgetLine::Activities && e.activity_id == Some(id))
        .fold(Cents::ZERO, |a, e| a.saturating_add(e.amount));
    let of = || sessions.iter().filter(move |s| s.activity_id == id);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    SubRecord {
        budget,
        spent,
        held: count(of().filter(|s| s.state == SessionState::Held).count()),
        planned: count(of().filter(|s| s.state != SessionState::Cancelled).count()),
    }
}

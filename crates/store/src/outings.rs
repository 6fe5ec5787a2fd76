//! Planning series around the parents' time (handbook §3.3: Wednesday and Friday suit parents
//! who work part-time), and later the outings of an activity.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use mtp_domain::Tenant;
use mtp_domain::indicators::{ParentDays, Period, TimeSlotFit, Visit, taking_part, time_slot_fit};
use mtp_domain::money::{BudgetLine, Cents};
use mtp_domain::outing::{BUILT_IN_HOLIDAYS, Budget, HolidayRule, RideKind, built_in};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{
    activity, activity_organiser, expense, household, org_holiday, org_holiday_date, outing,
    outing_check, outing_ride, parent, session,
};
use crate::money::{NewExpense, expense_row, insert_expense, reverse_in};
use crate::register::add_event;
use crate::visit_marks::decode_log;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// How far back a household's visits count for "taking part" when a worker picks a day.
pub const PLANNING_WINDOW_DAYS: i64 = 365;

/// Per weekday, how many taking-part households of a neighbourhood have a parent who can
/// come, out of how many take part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekdayFit {
    pub taking_part: u32,
    pub fit: TimeSlotFit,
}

/// A ride's organisation, activity and own id: what [`one_line`] filters on.
const RIDE: [outing_ride::Column; 3] = [
    outing_ride::Column::OrgId,
    outing_ride::Column::ActivityId,
    outing_ride::Column::Id,
];
const CHECK: [outing_check::Column; 3] = [
    outing_check::Column::OrgId,
    outing_check::Column::ActivityId,
    outing_check::Column::Id,
];

/// One line of an activity's lists (a ride, a checklist line, an organiser): the row whose
/// organisation, activity and own key (`columns`, in that order) are `ids`. The organisation
/// and activity are always part of it, so an id from another activity finds nothing.
fn one_line<Q: QueryFilter, C: ColumnTrait>(q: Q, columns: [C; 3], ids: [Uuid; 3]) -> Q {
    let [org, activity, own] = columns;
    q.filter(org.eq(ids[0]))
        .filter(activity.eq(ids[1]))
        .filter(own.eq(ids[2]))
}

/// Commit a change to an activity's lists, with its audit entry when it changed something:
/// a change that found nothing leaves no entry.
async fn finish(txn: DatabaseTransaction, changed: u64, audit: NewAuditEvent) -> Result<()> {
    if changed > 0 {
        append_audit_in(&txn, audit).await?;
    }
    txn.commit().await?;
    Ok(())
}

impl Store {
    /// The time-slot fit (`docs/indicators.md §8`) of the households of `neighbourhood_id`
    /// that took part (three visits or more) in the year up to `today`: on which weekday
    /// most of them can come. Only counts leave the store, no household.
    pub async fn weekday_fit(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        today: NaiveDate,
    ) -> Result<WeekdayFit> {
        // The neighbourhood must be the organisation's and within the tenant's reach.
        if !self
            .neighbourhoods(tenant)
            .await?
            .iter()
            .any(|n| n.id == neighbourhood_id)
        {
            return Err(StoreError::NotFound);
        }
        let period = Period::at_least_a_day(today - Duration::days(PLANNING_WINDOW_DAYS), today);
        let rows: Vec<(Uuid, String)> = household::Entity::find()
            .select_only()
            .columns([household::Column::Id, household::Column::VisitLog])
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::NeighbourhoodId.eq(neighbourhood_id))
            .filter(household::Column::AnonymisedAt.is_null())
            .filter(household::Column::Status.ne("left"))
            .into_tuple()
            .all(&self.db)
            .await?;
        let visits: Vec<Visit<Uuid>> = rows
            .iter()
            .flat_map(|(id, log)| {
                decode_log(log).filter(|v| v.own).map(move |v| Visit {
                    household: *id,
                    date: v.date,
                    kind: v.kind,
                })
            })
            .collect();
        let who = taking_part(&visits, period);
        let mut days: HashMap<Uuid, Vec<ParentDays>> =
            who.iter().map(|h| (*h, Vec::new())).collect();
        for chunk in who.chunks(500) {
            for (household_id, works, free_days) in parent::Entity::find()
                .select_only()
                .columns([
                    parent::Column::HouseholdId,
                    parent::Column::Works,
                    parent::Column::FreeDays,
                ])
                .filter(parent::Column::OrgId.eq(tenant.org_id))
                .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, bool, String)>()
                .all(&self.db)
                .await?
            {
                // Stored as 0 = Monday … 6 = Sunday, the form's numbering.
                let free_days = free_days
                    .split(',')
                    .filter_map(|d| d.trim().parse::<u8>().ok())
                    .filter_map(|d| chrono::Weekday::try_from(d).ok())
                    .collect();
                days.entry(household_id)
                    .or_default()
                    .push(ParentDays { works, free_days });
            }
        }
        let households: Vec<Vec<ParentDays>> = days.into_values().collect();
        Ok(WeekdayFit {
            taking_part: u32::try_from(households.len()).unwrap_or(u32::MAX),
            fit: time_slot_fit(&households, &[], period),
        })
    }
}

// ---------------------------------------------------------------- outings

/// What a worker fills in for an outing (amounts in cents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutingDraft {
    pub destination: String,
    pub meeting_point: String,
    pub public_transport: String,
    pub budget: Budget,
}

/// A driver or a family that needs a lift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ride {
    pub id: Uuid,
    pub kind: RideKind,
    pub household_id: Option<Uuid>,
    /// The family's first names, or the driver's name when not a parent.
    pub names: String,
    pub seats: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub id: Uuid,
    pub label: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedCost {
    pub id: Uuid,
    pub description: String,
    pub cents: u32,
    pub booked_on: NaiveDate,
}

/// Everything on an outing's part of its activity page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutingView {
    /// `None` until the worker saved the outing's details.
    pub draft: Option<OutingDraft>,
    /// The parents who organise it: (household, first names).
    pub organisers: Vec<(Uuid, String)>,
    pub rides: Vec<Ride>,
    pub checks: Vec<CheckLine>,
    pub costs: Vec<BookedCost>,
}

impl OutingView {
    pub fn booked_cents(&self) -> u64 {
        self.costs.iter().map(|c| u64::from(c.cents)).sum()
    }
}

/// An outing's costs: its entries on the activity line of the ledger that stand (neither
/// reversed nor a reversal), oldest first. The note is the cost's description, or the
/// supplier when there is no note (an entry booked on the expense page).
async fn outing_costs<C: sea_orm::ConnectionTrait>(
    db: &C,
    org: Uuid,
    activity_id: Uuid,
) -> Result<Vec<BookedCost>> {
    let rows = expense::Entity::find()
        .filter(expense::Column::OrgId.eq(org))
        .filter(expense::Column::ActivityId.eq(activity_id))
        .filter(expense::Column::Line.eq(BudgetLine::Activities.as_str()))
        .order_by_asc(expense::Column::SpentOn)
        .order_by_asc(expense::Column::CreatedAt)
        .all(db)
        .await?;
    let reversed: std::collections::HashSet<Uuid> =
        rows.iter().filter_map(|r| r.reverses).collect();
    Ok(rows
        .into_iter()
        .filter(|r| r.reverses.is_none() && !reversed.contains(&r.id))
        .map(|r| BookedCost {
            id: r.id,
            description: if r.note.is_empty() {
                r.supplier
            } else {
                r.note
            },
            cents: u32::try_from(r.amount_cents).unwrap_or(u32::MAX),
            booked_on: NaiveDate::parse_from_str(&r.spent_on, "%Y-%m-%d").unwrap_or_default(),
        })
        .collect())
}

fn cents(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn db_cents(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl Store {
    /// An activity the tenant may see, with its neighbourhood: every outing call starts here.
    async fn outing_activity(&self, tenant: &Tenant, activity_id: Uuid) -> Result<(Uuid, Uuid)> {
        let a = self.activity_row(tenant, activity_id).await?;
        Ok((a.id, a.neighbourhood_id))
    }

    /// A household of the activity's neighbourhood that the tenant may see, not erased or
    /// gone: an organiser, a driver or a family that needs a lift can be no one else.
    async fn household_of(
        &self,
        tenant: &Tenant,
        neighbourhood_id: Uuid,
        household_id: Uuid,
    ) -> Result<()> {
        let h = self.household_row(tenant, household_id).await?;
        if h.neighbourhood_id != neighbourhood_id || h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The outing part of an activity page. The audit event (a view of households' names)
    /// is written with the read.
    pub async fn outing(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        audit: Option<NewAuditEvent>,
    ) -> Result<OutingView> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let org = tenant.org_id;
        let draft = outing::Entity::find()
            .filter(outing::Column::OrgId.eq(org))
            .filter(outing::Column::ActivityId.eq(id))
            .one(&self.db)
            .await?
            .map(|o| OutingDraft {
                destination: o.destination,
                meeting_point: o.meeting_point,
                public_transport: o.public_transport,
                budget: Budget {
                    ticket_cents: cents(o.ticket_cents),
                    transport_cents: cents(o.transport_cents),
                    subsidy_cents: cents(o.subsidy_cents),
                    affordable_cents: cents(o.affordable_cents),
                },
            });
        let organiser_ids: Vec<Uuid> = activity_organiser::Entity::find()
            .select_only()
            .column(activity_organiser::Column::HouseholdId)
            .filter(activity_organiser::Column::OrgId.eq(org))
            .filter(activity_organiser::Column::ActivityId.eq(id))
            .order_by_asc(activity_organiser::Column::CreatedAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        let ride_rows = outing_ride::Entity::find()
            .filter(outing_ride::Column::OrgId.eq(org))
            .filter(outing_ride::Column::ActivityId.eq(id))
            .order_by_asc(outing_ride::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut ids = organiser_ids.clone();
        ids.extend(ride_rows.iter().filter_map(|r| r.household_id));
        let names = self.first_names(tenant, &ids).await?;
        let organisers = organiser_ids
            .iter()
            .filter_map(|h| names.get(h).map(|n| (*h, n.clone())))
            .collect();
        let rides = ride_rows
            .into_iter()
            .filter_map(|r| {
                let kind = RideKind::parse(&r.kind).ok()?;
                let names = match r.household_id {
                    Some(h) => names.get(&h).cloned()?,
                    None => r.name.clone().unwrap_or_default(),
                };
                Some(Ride {
                    id: r.id,
                    kind,
                    household_id: r.household_id,
                    names,
                    seats: cents(r.seats),
                })
            })
            .collect();
        let checks = outing_check::Entity::find()
            .filter(outing_check::Column::OrgId.eq(org))
            .filter(outing_check::Column::ActivityId.eq(id))
            .order_by_asc(outing_check::Column::CreatedAt)
            .order_by_asc(outing_check::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| CheckLine {
                id: c.id,
                label: c.label,
                done: c.done,
            })
            .collect();
        let costs = outing_costs(&self.db, org, id).await?;
        if let Some(e) = audit {
            self.audit(e).await?;
        }
        Ok(OutingView {
            draft,
            organisers,
            rides,
            checks,
            costs,
        })
    }

    /// Save an outing's details. The first save also writes the standard checklist, with
    /// the labels given (in the worker's language).
    pub async fn save_outing(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        d: &OutingDraft,
        checklist: &[String],
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let org = tenant.org_id;
        let at = now();
        let txn = self.db.begin().await?;
        let exists = outing::Entity::find()
            .filter(outing::Column::OrgId.eq(org))
            .filter(outing::Column::ActivityId.eq(id))
            .one(&txn)
            .await?
            .is_some();
        let row = outing::ActiveModel {
            org_id: Set(org),
            activity_id: Set(id),
            destination: Set(d.destination.clone()),
            meeting_point: Set(d.meeting_point.clone()),
            public_transport: Set(d.public_transport.clone()),
            ticket_cents: Set(db_cents(d.budget.ticket_cents)),
            transport_cents: Set(db_cents(d.budget.transport_cents)),
            subsidy_cents: Set(db_cents(d.budget.subsidy_cents)),
            affordable_cents: Set(db_cents(d.budget.affordable_cents)),
            updated_at: Set(at),
        };
        if exists {
            row.update(&txn).await?;
        } else {
            row.insert(&txn).await?;
            for (i, label) in checklist.iter().enumerate() {
                outing_check::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    org_id: Set(org),
                    activity_id: Set(id),
                    label: Set(label.clone()),
                    done: Set(false),
                    created_at: Set(
                        at + chrono::Duration::microseconds(i64::try_from(i).unwrap_or(0))
                    ),
                }
                .insert(&txn)
                .await?;
            }
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Name a household of the activity's neighbourhood as organiser. `false` when it
    /// already was one (nothing is written).
    pub async fn add_organiser(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<bool> {
        let a = self.activity_row(tenant, activity_id).await?;
        let id = a.id;
        self.household_of(tenant, a.neighbourhood_id, household_id)
            .await?;
        let org = tenant.org_id;
        let txn = self.db.begin().await?;
        let added = activity_organiser::Entity::insert(activity_organiser::ActiveModel {
            org_id: Set(org),
            activity_id: Set(id),
            household_id: Set(household_id),
            created_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                activity_organiser::Column::OrgId,
                activity_organiser::Column::ActivityId,
                activity_organiser::Column::HouseholdId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if added > 0 {
            // The family's timeline shows it: co-organising is the ladder's top step.
            add_event(
                &txn,
                org,
                household_id,
                audit.actor_id,
                "activity_organiser",
                &a.name,
            )
            .await?;
        }
        finish(txn, added, audit).await?;
        Ok(added > 0)
    }

    pub async fn remove_organiser(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        household_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let a = self.activity_row(tenant, activity_id).await?;
        let id = a.id;
        let txn = self.db.begin().await?;
        let gone = one_line(
            activity_organiser::Entity::delete_many(),
            [
                activity_organiser::Column::OrgId,
                activity_organiser::Column::ActivityId,
                activity_organiser::Column::HouseholdId,
            ],
            [tenant.org_id, id, household_id],
        )
        .exec(&txn)
        .await?
        .rows_affected;
        if gone > 0 {
            add_event(
                &txn,
                tenant.org_id,
                household_id,
                audit.actor_id,
                "activity_organiser_removed",
                &a.name,
            )
            .await?;
        }
        finish(txn, gone, audit).await
    }

    /// The activities a household co-organises (an outing, a holiday activity), id and name
    /// in the order they were named, for its page.
    pub async fn organised_by(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
    ) -> Result<Vec<(Uuid, String)>> {
        self.household_row(tenant, household_id).await?;
        let ids: Vec<Uuid> = activity_organiser::Entity::find()
            .select_only()
            .column(activity_organiser::Column::ActivityId)
            .filter(activity_organiser::Column::OrgId.eq(tenant.org_id))
            .filter(activity_organiser::Column::HouseholdId.eq(household_id))
            .order_by_asc(activity_organiser::Column::CreatedAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        let names: HashMap<Uuid, String> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .column(activity::Column::Name)
            .filter(activity::Column::OrgId.eq(tenant.org_id))
            .filter(activity::Column::Id.is_in(ids.clone()))
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(ids
            .into_iter()
            .filter_map(|id| names.get(&id).map(|n| (id, n.clone())))
            .collect())
    }

    /// Add a driver (a household of the neighbourhood, or a named volunteer) or a family
    /// that needs a lift.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_ride(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        kind: RideKind,
        household_id: Option<Uuid>,
        name: Option<String>,
        seats: u32,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, nb) = self.outing_activity(tenant, activity_id).await?;
        if let Some(h) = household_id {
            self.household_of(tenant, nb, h).await?;
        } else if kind == RideKind::Lift || name.as_deref().is_none_or(str::is_empty) {
            return Err(StoreError::NotFound);
        }
        let txn = self.db.begin().await?;
        outing_ride::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(tenant.org_id),
            activity_id: Set(id),
            kind: Set(kind.as_str().to_string()),
            household_id: Set(household_id),
            name: Set(if household_id.is_some() { None } else { name }),
            seats: Set(db_cents(seats)),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        finish(txn, 1, audit).await
    }

    pub async fn remove_ride(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        ride_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let txn = self.db.begin().await?;
        let gone = one_line(
            outing_ride::Entity::delete_many(),
            RIDE,
            [tenant.org_id, id, ride_id],
        )
        .exec(&txn)
        .await?
        .rows_affected;
        finish(txn, gone, audit).await
    }

    pub async fn add_check(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        label: &str,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let txn = self.db.begin().await?;
        outing_check::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(tenant.org_id),
            activity_id: Set(id),
            label: Set(label.to_string()),
            done: Set(false),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        finish(txn, 1, audit).await
    }

    /// Tick or untick a checklist line; `None` removes it.
    pub async fn set_check(
        &self,
        tenant: &Tenant,
        activity_id: Uuid,
        check_id: Uuid,
        done: Option<bool>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let txn = self.db.begin().await?;
        let ids = [tenant.org_id, id, check_id];
        let changed = match done {
            Some(done) => {
                one_line(outing_check::Entity::update_many(), CHECK, ids)
                    .col_expr(outing_check::Column::Done, done.into())
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            None => {
                one_line(outing_check::Entity::delete_many(), CHECK, ids)
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
        };
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        finish(txn, changed, audit).await
    }

    /// Book a cost of the outing: an entry of the expense ledger on the activity line, for
    /// this activity and its day (the first session), written with the audit entry in one
    /// transaction. The ledger is the only place the cost is kept, so the budget counts it
    /// once, in the activity line and in the outing's own budget.
    #[allow(clippy::too_many_arguments)]
    pub async fn book_cost(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        activity_id: Uuid,
        description: &str,
        amount_cents: u32,
        booked_on: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let (id, nb) = self.outing_activity(tenant, activity_id).await?;
        let session_id = self.first_session(tenant, id).await?;
        let txn = self.db.begin().await?;
        let expense_id = insert_expense(
            &txn,
            tenant,
            actor,
            NewExpense {
                neighbourhood_id: nb,
                spent_on: booked_on,
                line: BudgetLine::Activities,
                amount: Cents::from_cents(i64::from(amount_cents)),
                activity_id: Some(id),
                session_id,
                supplier: String::new(),
                note: description.to_string(),
                receipt: None,
            },
        )
        .await?;
        append_audit_in(
            &txn,
            NewAuditEvent {
                neighbourhood_id: Some(nb),
                ..audit
            },
        )
        .await?;
        txn.commit().await?;
        Ok(expense_id)
    }

    /// Take a cost off the outing: the ledger is only added to, so its entry is reversed
    /// (`Store::reverse_expense`). A cost that is not this outing's, or was reversed already,
    /// changes nothing.
    pub async fn remove_cost(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        activity_id: Uuid,
        cost_id: Uuid,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        let txn = self.db.begin().await?;
        let old = match expense_row(&txn, tenant, cost_id).await {
            Ok(old) if old.activity_id == Some(id) => old,
            Ok(_) | Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
        match reverse_in(&txn, tenant, actor, &old).await {
            Ok(_) => {}
            Err(StoreError::Refused(_)) => return Ok(()),
            Err(e) => return Err(e),
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The first session of an activity: an outing's day.
    pub async fn first_session(&self, tenant: &Tenant, activity_id: Uuid) -> Result<Option<Uuid>> {
        let (id, _) = self.outing_activity(tenant, activity_id).await?;
        Ok(session::Entity::find()
            .select_only()
            .column(session::Column::Id)
            .filter(session::Column::OrgId.eq(tenant.org_id))
            .filter(session::Column::ActivityId.eq(id))
            .order_by_asc(session::Column::StartsAt)
            .into_tuple()
            .one(&self.db)
            .await?)
    }
}

// ---------------------------------------------------------------- holiday list

/// A holiday on the organisation's list: a built-in one (`key`) or its own (`own`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedHoliday {
    /// The built-in holiday's text key, e.g. "holiday-suikerfeest".
    pub key: Option<&'static str>,
    /// The organisation's own holiday's id and name.
    pub own: Option<(Uuid, String)>,
    pub rule: HolidayRule,
    /// Dates entered for the years (a moving holiday).
    pub dates: Vec<NaiveDate>,
    /// A built-in holiday the organisation took off its list.
    pub hidden: bool,
}

impl ListedHoliday {
    /// How a date row refers to it: the key, or the own holiday's id.
    pub fn reference(&self) -> String {
        match (&self.key, &self.own) {
            (Some(k), _) => (*k).to_string(),
            (None, Some((id, _))) => id.to_string(),
            (None, None) => String::new(),
        }
    }
}

impl Store {
    /// The organisation's holiday list: every built-in holiday (hidden ones marked) and its
    /// own, each with the dates entered per year.
    pub async fn holiday_list(&self, tenant: &Tenant) -> Result<Vec<ListedHoliday>> {
        let org = tenant.org_id;
        let rows = org_holiday::Entity::find()
            .filter(org_holiday::Column::OrgId.eq(org))
            .order_by_asc(org_holiday::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut dates: HashMap<String, Vec<NaiveDate>> = HashMap::new();
        for d in org_holiday_date::Entity::find()
            .filter(org_holiday_date::Column::OrgId.eq(org))
            .order_by_asc(org_holiday_date::Column::Year)
            .all(&self.db)
            .await?
        {
            if let Ok(day) = NaiveDate::parse_from_str(&d.day, "%Y-%m-%d") {
                dates.entry(d.holiday).or_default().push(day);
            }
        }
        let mut out: Vec<ListedHoliday> = BUILT_IN_HOLIDAYS
            .iter()
            .map(|b| ListedHoliday {
                key: Some(b.key),
                own: None,
                rule: b.rule,
                dates: dates.get(b.key).cloned().unwrap_or_default(),
                hidden: rows
                    .iter()
                    .any(|r| r.key.as_deref() == Some(b.key) && r.hidden),
            })
            .collect();
        out.extend(
            rows.iter()
                .filter(|r| r.key.is_none() && !r.hidden)
                .map(|r| ListedHoliday {
                    key: None,
                    own: Some((r.id, r.name.clone())),
                    rule: HolidayRule::from_stored(&r.fixed_day),
                    dates: dates.get(&r.id.to_string()).cloned().unwrap_or_default(),
                    hidden: false,
                }),
        );
        Ok(out)
    }

    /// Add an own holiday to the organisation's list.
    pub async fn add_holiday(
        &self,
        tenant: &Tenant,
        name: &str,
        rule: HolidayRule,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        org_holiday::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            key: Set(None),
            name: Set(name.to_string()),
            fixed_day: Set(rule.as_stored()),
            hidden: Set(false),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Take a holiday off the list (`hidden`) or put a built-in one back. `reference` is a
    /// built-in key or an own holiday's id; an own holiday taken off is gone.
    pub async fn hide_holiday(
        &self,
        tenant: &Tenant,
        reference: &str,
        hidden: bool,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let org = tenant.org_id;
        let txn = self.db.begin().await?;
        if let Some(b) = built_in(reference) {
            org_holiday::Entity::delete_many()
                .filter(org_holiday::Column::OrgId.eq(org))
                .filter(org_holiday::Column::Key.eq(b.key))
                .exec(&txn)
                .await?;
            if hidden {
                org_holiday::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    org_id: Set(org),
                    key: Set(Some(b.key.to_string())),
                    name: Set(String::new()),
                    fixed_day: Set(String::new()),
                    hidden: Set(true),
                    created_at: Set(now()),
                }
                .insert(&txn)
                .await?;
            }
        } else {
            let id = Uuid::parse_str(reference).map_err(|_| StoreError::NotFound)?;
            if !hidden {
                return Err(StoreError::NotFound);
            }
            let gone = org_holiday::Entity::delete_many()
                .filter(org_holiday::Column::OrgId.eq(org))
                .filter(org_holiday::Column::Id.eq(id))
                .filter(org_holiday::Column::Key.is_null())
                .exec(&txn)
                .await?
                .rows_affected;
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            org_holiday_date::Entity::delete_many()
                .filter(org_holiday_date::Column::OrgId.eq(org))
                .filter(org_holiday_date::Column::Holiday.eq(id.to_string()))
                .exec(&txn)
                .await?;
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Enter the date of a moving holiday for the year it falls in (replacing that year's).
    pub async fn set_holiday_date(
        &self,
        tenant: &Tenant,
        reference: &str,
        day: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let list = self.holiday_list(tenant).await?;
        let Some(h) = list
            .iter()
            .find(|h| h.reference() == reference && h.rule == HolidayRule::Entered)
        else {
            return Err(StoreError::NotFound);
        };
        let org = tenant.org_id;
        let holiday = h.reference();
        let year = day.year();
        let txn = self.db.begin().await?;
        org_holiday_date::Entity::delete_many()
            .filter(org_holiday_date::Column::OrgId.eq(org))
            .filter(org_holiday_date::Column::Holiday.eq(holiday.clone()))
            .filter(org_holiday_date::Column::Year.eq(year))
            .exec(&txn)
            .await?;
        org_holiday_date::ActiveModel {
            org_id: Set(org),
            holiday: Set(holiday),
            year: Set(year),
            day: Set(day.format("%Y-%m-%d").to_string()),
        }
        .insert(&txn)
        .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

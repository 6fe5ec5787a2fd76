//! The demo's time and money (issue #20, docs/guide/money.md): for this year, every staff
//! member's weeks (the bulk from the rota's proposal: the sessions they were on the rota for,
//! with the activity's minutes), the coordinator's 2 hours a week, the third parties' hours
//! per month, the handbook's budget with hourly rates, and the expenses: the coffee hour's
//! snacks and rent, and activity costs that run slightly ahead of the year, so the
//! activities line is about to overrun. Within that line the beach outing (its costs booked
//! on the outing, `demo/outings.rs`) and the cooking workshop (its shopping booked per
//! session) have their own budgets. Made once: a neighbourhood whose budget for this year is
//! saved is left as it is.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Utc};
use mtp_domain::attendance::SessionState;
use mtp_domain::audit::{Action, Outcome};
use mtp_domain::money::{self, BudgetLine, Cents, TimeCategory};
use mtp_domain::{Role, Tenant, schedule};
use mtp_store::money::{NewExpense, OWN_BUDGET_KINDS};
use mtp_store::{NewAuditEvent, Store};
use uuid::Uuid;

fn event(org_id: Uuid, nb: Uuid, action: Action) -> NewAuditEvent {
    NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "neighbourhood".into(),
        object_id: Some(nb),
        neighbourhood_id: Some(nb),
        outcome: Outcome::Allowed,
        detail: "demo".into(),
    }
}

/// The hourly rates the demo's budget uses (the handbook gives none).
const STAFF_RATE: Cents = Cents::euros(55);
const COORDINATION_RATE: Cents = Cents::euros(65);
const THIRD_PARTY_RATE: Cents = Cents::euros(15);
/// The cooking workshop's shopping for one evening, in cents.
const SHOPPING: i64 = 2_250;

pub async fn load(store: &Store, org_id: Uuid, neighbourhoods: &[Uuid]) -> anyhow::Result<()> {
    let tenant = Tenant {
        org_id,
        role: Role::Admin,
        neighbourhoods: vec![],
    };
    let today = Utc::now().with_timezone(&schedule::TZ).date_naive();
    let year = today.year();
    for nb in neighbourhoods {
        if !store.budget(&tenant, *nb, year).await?.from_template {
            continue;
        }
        Box::pin(neighbourhood(store, &tenant, *nb, today)).await?;
    }
    Ok(())
}

async fn neighbourhood(
    store: &Store,
    tenant: &Tenant,
    nb: Uuid,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let org_id = tenant.org_id;
    let year = today.year();
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let days_in_year = i64::from(
        NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .ordinal(),
    );
    let passed = i64::from(today.ordinal());

    // The budget: the handbook's, with rates for the hours.
    let mut lines = money::template().to_vec();
    for l in &mut lines {
        l.rate = match l.line {
            BudgetLine::StaffHours => STAFF_RATE,
            BudgetLine::CoordinationHours => COORDINATION_RATE,
            BudgetLine::ThirdPartyHours => THIRD_PARTY_RATE,
            _ => l.rate,
        };
    }
    store
        .set_budget(
            tenant,
            None,
            nb,
            year,
            &lines,
            event(org_id, nb, Action::BudgetSaved),
        )
        .await?;

    // The weeks: every staff member of the neighbourhood, from the first week of the year
    // to last week.
    let team: Vec<_> = store
        .team(tenant, Uuid::nil())
        .await?
        .into_iter()
        .filter(|m| m.neighbourhoods.contains(&nb))
        .collect();
    let roles: Vec<(Uuid, Role)> = store
        .accounts(org_id)
        .await?
        .into_iter()
        .map(|a| (a.id, a.role))
        .collect();
    let mut monday = money::monday_of(first);
    if money::year_of_week(monday) < year {
        monday = monday.checked_add_days(Days::new(7)).unwrap_or(monday);
    }
    let this_week = money::monday_of(today);
    let mut k = 0usize;
    while monday < this_week && money::year_of_week(monday) == year {
        for m in &team {
            let role = roles
                .iter()
                .find(|(id, _)| *id == m.id)
                .map(|(_, r)| *r)
                .unwrap_or(Role::Worker);
            let week = store.week_hours(tenant, m.id, m.id, nb, monday).await?;
            let mut minutes: Vec<(TimeCategory, i64)> = week.proposal().to_vec();
            match role {
                Role::Coordinator => {
                    minutes.push((TimeCategory::Coordination, 120 + 15 * (k % 3) as i64));
                }
                Role::Worker => {
                    // Encouraging, talks with one family and outreach: the rest of the week,
                    // a little different each week.
                    minutes.push((TimeCategory::Encouragement, 120 + 30 * (k % 3) as i64));
                    minutes.push((TimeCategory::IndividualContact, 60 + 15 * (k % 4) as i64));
                    minutes.push((TimeCategory::Outreach, 45 + 15 * (k % 2) as i64));
                    minutes.push((TimeCategory::Coordination, 15 * (k % 2) as i64));
                }
                _ => continue,
            }
            store
                .set_week_hours(
                    tenant,
                    m.id,
                    m.id,
                    nb,
                    monday,
                    &minutes,
                    event(org_id, nb, Action::TimeSaved),
                )
                .await?;
        }
        k += 1;
        monday = monday.checked_add_days(Days::new(7)).unwrap_or(monday);
    }

    // The third parties: volunteers and partners, about 60 hours a month.
    for month in 1..today.month() {
        let hours = 55 + i64::from(month % 3) * 5;
        store
            .set_third_party_hours(
                tenant,
                None,
                nb,
                year,
                month,
                hours * 60,
                event(org_id, nb, Action::ThirdPartyHoursSaved),
            )
            .await?;
    }

    // The expenses. Activities run about 8 % ahead of the year: at this pace the line will
    // pass its budget before December ends.
    let budget = Cents::euros(3_000).cents();
    let target = budget * passed * 108 / 100 / days_in_year;
    let target = target.min(budget - 1_000).max(0);
    // What the outings booked on the line already counts towards it.
    let already: i64 = store
        .expenses(tenant, nb, year)
        .await?
        .iter()
        .filter(|e| e.line == BudgetLine::Activities)
        .map(|e| e.amount.cents())
        .sum();
    let own = own_budgets(store, tenant, nb, year).await?;
    let from = schedule::local_to_utc(first, NaiveTime::MIN);
    let until = schedule::local_to_utc(today, NaiveTime::MIN);
    let mut held: Vec<_> = store
        .programme(tenant, from, until, 2_000)
        .await?
        .into_iter()
        // The snacks are the coffee hours' and groups'; outings and workshops book their
        // own costs.
        .filter(|s| {
            s.neighbourhood_id == nb
                && s.state == SessionState::Held
                && !OWN_BUDGET_KINDS.contains(&s.kind)
        })
        .collect();
    held.sort_by_key(|s| s.starts_at);
    // The cooking workshop's shopping for its next evening, bought today, on its own budget.
    let evening = match own.workshop {
        Some(w) => store
            .money_sessions(tenant, nb, year)
            .await?
            .into_iter()
            .find(|s| s.activity_id == w && s.state != SessionState::Cancelled),
        None => None,
    };
    let shopping = if evening.is_some() { SHOPPING } else { 0 };
    let target = (target - already - shopping).max(0);
    let book = |day: NaiveDate,
                line: BudgetLine,
                cents: i64,
                activity: Option<Uuid>,
                supplier: &str,
                note: &str| NewExpense {
        neighbourhood_id: nb,
        spent_on: day,
        line,
        amount: Cents::from_cents(cents),
        activity_id: activity,
        session_id: None,
        supplier: supplier.into(),
        note: note.into(),
        receipt: None,
    };
    let mut entries = Vec::new();
    if let Some(s) = evening {
        entries.push(NewExpense {
            session_id: Some(s.id),
            ..book(
                today,
                BudgetLine::Activities,
                SHOPPING,
                Some(s.activity_id),
                "Supermarkt",
                "Boodschappen voor de kookworkshop",
            )
        });
    }
    let outing = 35_000.min(target / 4);
    if outing > 0 {
        let day = first
            .checked_add_days(Days::new(150))
            .unwrap_or(first)
            .min(today);
        entries.push(book(
            day,
            BudgetLine::Activities,
            outing,
            None,
            "Kinderboerderij De Beestenbende",
            "Uitje met de kinderen",
        ));
    }
    let rest = target - outing;
    if !held.is_empty() && rest > 0 {
        let n = i64::try_from(held.len()).unwrap_or(1);
        let each = rest / n;
        for (i, s) in held.iter().enumerate() {
            let mut cents = each;
            if i + 1 == held.len() {
                cents = rest - each * (n - 1);
            }
            if cents <= 0 {
                continue;
            }
            entries.push(book(
                s.starts_at.with_timezone(&schedule::TZ).date_naive(),
                BudgetLine::Activities,
                cents,
                Some(s.activity_id),
                "Supermarkt",
                "Fruit, koffie en thee",
            ));
        }
    } else if rest > 0 {
        entries.push(book(
            today,
            BudgetLine::Activities,
            rest,
            None,
            "Supermarkt",
            "",
        ));
    }
    // Rent of the room, once a quarter that has begun.
    for quarter in 0..4u32 {
        let Some(day) = NaiveDate::from_ymd_opt(year, quarter * 3 + 1, 5) else {
            continue;
        };
        if day <= today {
            entries.push(book(
                day,
                BudgetLine::Organisation,
                30_000,
                None,
                "Buurthuis De Schakel",
                "Huur zaal, kwartaal",
            ));
        }
    }
    for e in entries {
        store
            .add_expense(tenant, None, e, event(org_id, nb, Action::ExpenseAdded))
            .await?;
    }
    // A mistake put right: printing booked twice, the second one reversed.
    let day = first
        .checked_add_days(Days::new(40))
        .unwrap_or(first)
        .min(today);
    let flyers = || {
        book(
            day,
            BudgetLine::Organisation,
            12_500,
            None,
            "Drukkerij",
            "Flyers",
        )
    };
    store
        .add_expense(
            tenant,
            None,
            flyers(),
            event(org_id, nb, Action::ExpenseAdded),
        )
        .await?;
    let twice = store
        .add_expense(
            tenant,
            None,
            flyers(),
            event(org_id, nb, Action::ExpenseAdded),
        )
        .await?;
    store
        .reverse_expense(
            tenant,
            None,
            twice,
            event(org_id, nb, Action::ExpenseReversed),
        )
        .await?;
    Ok(())
}

/// The demo's own budgets within the activity line.
struct OwnBudgets {
    workshop: Option<Uuid>,
}

/// The beach outing gets €150 (its costs, booked on the outing, are €137.25) and the cooking
/// workshop €300 (about €22.50 of shopping per evening).
async fn own_budgets(
    store: &Store,
    tenant: &Tenant,
    nb: Uuid,
    year: i32,
) -> anyhow::Result<OwnBudgets> {
    let mut own = OwnBudgets { workshop: None };
    for (id, name) in store.budget_activities(tenant, nb).await? {
        let euros = match name.as_str() {
            super::outings::BEACH => 150,
            super::outings::COOKING => {
                own.workshop = Some(id);
                300
            }
            _ => continue,
        };
        store
            .set_activity_budget(
                tenant,
                None,
                nb,
                year,
                id,
                Cents::euros(euros),
                event(tenant.org_id, nb, Action::ActivityBudgetSaved),
            )
            .await?;
    }
    Ok(own)
}

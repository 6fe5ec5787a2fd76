//! Referrals to help (issue #16, docs/guide/help-referrals.md): a worker refers a family on,
//! with the parent's consent, and follows it up. The steps' rules are
//! `mtp_domain::help_referral`; this module keeps the rows.
//!
//! Reach: a referral is seen through its household. Every id a caller names (referral,
//! household, partner) is checked against the organisation and the tenant's neighbourhoods:
//! another tenant's id, or a household out of reach, is `NotFound`, exactly like one that does
//! not exist. Every change writes its household timeline event and its audit entry in the same
//! transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::consent::ConsentMethod;
use mtp_domain::help_referral::{
    FigureInput, HelpKind, ReferralDraft, ReferralOutcome, ReferralState, Step, StepDraft,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{help_referral, household, parent, partner_org};
use crate::register::add_event;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// One referral as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpReferral {
    pub id: Uuid,
    pub household_id: Uuid,
    pub neighbourhood_id: Uuid,
    /// "Sanne & Ahmed"; empty for an anonymised household.
    pub first_names: String,
    /// The partner organisation, deleted or not: id and name.
    pub partner: Option<(Uuid, String)>,
    pub kind: HelpKind,
    pub reason: String,
    pub state: ReferralState,
    pub outcome: Option<ReferralOutcome>,
    /// The parent's consent: how and on which day.
    pub consent: Option<(ConsentMethod, NaiveDate)>,
    /// The consent taken back (or never given): how and on which day.
    pub withdrawn: Option<(ConsentMethod, NaiveDate)>,
    pub referred_on: Option<NaiveDate>,
    pub first_contact_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub follow_up_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl HelpReferral {
    /// The day of the latest step: no later step may be dated before it.
    pub fn latest_step_on(&self) -> Option<NaiveDate> {
        [
            self.consent.map(|(_, d)| d),
            self.withdrawn.map(|(_, d)| d),
            self.referred_on,
            self.first_contact_on,
            self.ended_on,
        ]
        .into_iter()
        .flatten()
        .max()
    }
}

/// An open referral in the worker's open tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpReferralTask {
    pub id: Uuid,
    pub household_id: Uuid,
    pub first_names: String,
    pub kind: HelpKind,
    pub state: ReferralState,
    pub partner: Option<String>,
    pub due: NaiveDate,
}

fn date(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn consent(method: Option<&str>, on: Option<&str>) -> Option<(ConsentMethod, NaiveDate)> {
    ConsentMethod::parse(method?).ok().zip(date(on))
}

fn to_referral(
    m: help_referral::Model,
    neighbourhood_id: Uuid,
    first_names: String,
    partner: Option<(Uuid, String)>,
) -> HelpReferral {
    HelpReferral {
        id: m.id,
        household_id: m.household_id,
        neighbourhood_id,
        first_names,
        partner,
        // A kind or state this version does not know reads as "other" / ended, never as an
        // error page.
        kind: HelpKind::parse(&m.kind).unwrap_or(HelpKind::Other),
        state: ReferralState::parse(&m.state).unwrap_or(ReferralState::Closed),
        outcome: m
            .outcome
            .as_deref()
            .and_then(|o| ReferralOutcome::parse(o).ok()),
        consent: consent(m.consent_method.as_deref(), m.consent_on.as_deref()),
        withdrawn: consent(m.withdrawn_method.as_deref(), m.withdrawn_on.as_deref()),
        referred_on: date(m.referred_on.as_deref()),
        first_contact_on: date(m.first_contact_on.as_deref()),
        ended_on: date(m.ended_on.as_deref()),
        follow_up_on: date(m.follow_up_on.as_deref()),
        reason: m.reason,
        created_at: m.created_at,
    }
}

/// The first names of these households' parents, "Sanne & Ahmed".
pub(crate) async fn first_names_of<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    households: &[Uuid],
) -> Result<HashMap<Uuid, String>> {
    let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
    for chunk in households.chunks(500) {
        for p in parent::Entity::find()
            .filter(parent::Column::OrgId.eq(org_id))
            .filter(parent::Column::HouseholdId.is_in(chunk.to_vec()))
            .order_by_asc(parent::Column::Position)
            .all(db)
            .await?
        {
            if !p.first_name.is_empty() {
                names.entry(p.household_id).or_default().push(p.first_name);
            }
        }
    }
    Ok(names.into_iter().map(|(h, n)| (h, n.join(" & "))).collect())
}

/// The names of these partner organisations, deleted or not.
async fn partner_names<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(partner_org::Entity::find()
        .filter(partner_org::Column::OrgId.eq(org_id))
        .filter(partner_org::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// Which of these households the tenant may see, with their neighbourhood: of the
/// organisation, in reach, and (unless `erased_too`) not anonymised.
pub(crate) async fn households_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    households: impl IntoIterator<Item = Uuid>,
    erased_too: bool,
) -> Result<HashMap<Uuid, Uuid>> {
    let ids: Vec<Uuid> = households
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q = household::Entity::find()
            .filter(household::Column::OrgId.eq(tenant.org_id))
            .filter(household::Column::Id.is_in(chunk.to_vec()));
        if !erased_too {
            q = q.filter(household::Column::AnonymisedAt.is_null());
        }
        for h in q.all(db).await? {
            if tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id) {
                out.insert(h.id, h.neighbourhood_id);
            }
        }
    }
    Ok(out)
}

/// The household of a referral, if the tenant may see it.
async fn household_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<household::Model> {
    household::Entity::find_by_id(id)
        .filter(household::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id))
        .ok_or(StoreError::NotFound)
}

/// The referral row and its household, if the tenant may see that household.
async fn row_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    id: Uuid,
) -> Result<(help_referral::Model, household::Model)> {
    let row = help_referral::Entity::find_by_id(id)
        .filter(help_referral::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let h = household_in_reach(db, tenant, row.household_id).await?;
    Ok((row, h))
}

/// Commit a change with its audit entry, about the household, with this detail (ids and
/// codes only).
pub(crate) async fn commit_audited(
    txn: sea_orm::DatabaseTransaction,
    audit: NewAuditEvent,
    h: &household::Model,
    detail: String,
) -> Result<()> {
    append_audit_in(
        &txn,
        NewAuditEvent {
            object_type: "household".into(),
            object_id: Some(h.id),
            neighbourhood_id: Some(h.neighbourhood_id),
            detail,
            ..audit
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The stored names of the states a referral is still open in.
fn open_states() -> Vec<&'static str> {
    ReferralState::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

/// The timeline event of a step: `help_referral_` and the state it led to, or `withdrawn`.
fn event_kind(step: Step, to: ReferralState) -> String {
    match step {
        Step::Withdraw(_) => "help_referral_withdrawn".to_string(),
        _ => format!("help_referral_{}", to.as_str()),
    }
}

impl Store {
    /// The referrals of one household in reach, newest first.
    pub async fn help_referrals_of(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
    ) -> Result<Vec<HelpReferral>> {
        let h = household_in_reach(&self.db, tenant, household_id).await?;
        let rows = help_referral::Entity::find()
            .filter(help_referral::Column::OrgId.eq(tenant.org_id))
            .filter(help_referral::Column::HouseholdId.eq(h.id))
            .order_by_desc(help_referral::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.partner_id).collect();
        let partners = partner_names(&self.db, tenant.org_id, &ids).await?;
        let names = first_names_of(&self.db, tenant.org_id, &[h.id])
            .await?
            .remove(&h.id)
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|r| {
                let partner = r
                    .partner_id
                    .map(|p| (p, partners.get(&p).cloned().unwrap_or_default()));
                to_referral(r, h.neighbourhood_id, names.clone(), partner)
            })
            .collect())
    }

    /// One referral, if its household is in reach.
    pub async fn help_referral(&self, tenant: &Tenant, id: Uuid) -> Result<HelpReferral> {
        let (row, h) = row_in_reach(&self.db, tenant, id).await?;
        let partner = match row.partner_id {
            Some(p) => Some((
                p,
                partner_names(&self.db, tenant.org_id, &[p])
                    .await?
                    .remove(&p)
                    .unwrap_or_default(),
            )),
            None => None,
        };
        let names = first_names_of(&self.db, tenant.org_id, &[h.id])
            .await?
            .remove(&h.id)
            .unwrap_or_default();
        Ok(to_referral(row, h.neighbourhood_id, names, partner))
    }

    /// Refer a household in reach, with its timeline event and audit entry. The household
    /// must not be anonymised (`NotFound`). A partner must be one the household's
    /// neighbourhood can be referred to ([`Store::partner_choices`]: live, in reach, working
    /// there; else refused at `help_partner`); another organisation's is `NotFound`.
    pub async fn create_help_referral(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        household_id: Uuid,
        d: &ReferralDraft,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let h = household_in_reach(&self.db, tenant, household_id).await?;
        if h.anonymised_at.is_some() {
            return Err(StoreError::NotFound);
        }
        if let Some(p) = d.partner {
            let allowed = self
                .partner_choices(tenant, Some(h.neighbourhood_id))
                .await?
                .iter()
                .any(|(id, _)| *id == p);
            if !allowed {
                return match self.partner_name(tenant.org_id, p).await? {
                    Some(_) => Err(StoreError::Refused("error-choice-invalid-help_partner")),
                    None => Err(StoreError::NotFound),
                };
            }
        }
        let id = Uuid::now_v7();
        let state = d.state();
        let t = now();
        let txn = self.db.begin().await?;
        help_referral::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            household_id: Set(h.id),
            partner_id: Set(d.partner),
            kind: Set(d.kind.as_str().into()),
            reason: Set(d.reason.clone()),
            state: Set(state.as_str().into()),
            outcome: Set(None),
            consent_method: Set(d.consent.map(|(m, _)| m.as_str().to_string())),
            consent_on: Set(d.consent.map(|(_, on)| on.to_string())),
            withdrawn_method: Set(None),
            withdrawn_on: Set(None),
            referred_on: Set(None),
            first_contact_on: Set(None),
            ended_on: Set(None),
            follow_up_on: Set(Some(d.follow_up_on.to_string())),
            created_at: Set(t),
            created_by: Set(actor),
            updated_at: Set(t),
        }
        .insert(&txn)
        .await?;
        add_event(
            &txn,
            tenant.org_id,
            h.id,
            actor,
            &format!("help_referral_{}", state.as_str()),
            d.kind.as_str(),
        )
        .await?;
        commit_audited(
            txn,
            audit,
            &h,
            format!(
                "referral={id} kind={} state={}",
                d.kind.as_str(),
                state.as_str()
            ),
        )
        .await?;
        Ok(id)
    }

    /// Take a step on a referral in reach, with its timeline event and audit entry. The draft
    /// was made from the referral as it stood (`d.transition`); when someone else took a
    /// step in between, nothing changes and the step is refused (`help-refused-changed`).
    pub async fn help_referral_step(
        &self,
        tenant: &Tenant,
        actor: Option<Uuid>,
        id: Uuid,
        from: ReferralState,
        d: &StepDraft,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let (_, h) = row_in_reach(&txn, tenant, id).await?;
        let on = Some(d.on.to_string());
        let to = d.transition.to;
        let mut update = help_referral::Entity::update_many()
            .col_expr(help_referral::Column::State, Expr::value(to.as_str()))
            .col_expr(
                help_referral::Column::FollowUpOn,
                Expr::value(d.follow_up_on.map(|f| f.to_string())),
            )
            .col_expr(help_referral::Column::UpdatedAt, Expr::value(now()));
        update = match d.step {
            Step::Consent(m) => update
                .col_expr(
                    help_referral::Column::ConsentMethod,
                    Expr::value(Some(m.as_str())),
                )
                .col_expr(help_referral::Column::ConsentOn, Expr::value(on.clone())),
            Step::Withdraw(m) => update
                .col_expr(
                    help_referral::Column::WithdrawnMethod,
                    Expr::value(Some(m.as_str())),
                )
                .col_expr(help_referral::Column::WithdrawnOn, Expr::value(on.clone())),
            Step::Refer => {
                update.col_expr(help_referral::Column::ReferredOn, Expr::value(on.clone()))
            }
            Step::FirstContact => update.col_expr(
                help_referral::Column::FirstContactOn,
                Expr::value(on.clone()),
            ),
            Step::Close(_) => update,
        };
        if !to.is_open() {
            update = update
                .col_expr(help_referral::Column::EndedOn, Expr::value(on.clone()))
                .col_expr(
                    help_referral::Column::Outcome,
                    Expr::value(d.transition.outcome.map(|o| o.as_str())),
                );
        }
        let changed = update
            .filter(help_referral::Column::OrgId.eq(tenant.org_id))
            .filter(help_referral::Column::Id.eq(id))
            .filter(help_referral::Column::State.eq(from.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            return Err(StoreError::Refused("help-refused-changed"));
        }
        add_event(
            &txn,
            tenant.org_id,
            h.id,
            actor,
            &event_kind(d.step, to),
            "",
        )
        .await?;
        commit_audited(
            txn,
            audit,
            &h,
            format!(
                "referral={id} step={} state={}",
                d.step.kind().as_str(),
                to.as_str()
            ),
        )
        .await?;
        Ok(())
    }

    /// Move the follow-up date of an open referral in reach, with its audit entry. An ended
    /// referral has none: refused (`help-refused-ended`).
    pub async fn set_help_referral_follow_up(
        &self,
        tenant: &Tenant,
        id: Uuid,
        on: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let (_, h) = row_in_reach(&txn, tenant, id).await?;
        let changed = help_referral::Entity::update_many()
            .col_expr(
                help_referral::Column::FollowUpOn,
                Expr::value(Some(on.to_string())),
            )
            .col_expr(help_referral::Column::UpdatedAt, Expr::value(now()))
            .filter(help_referral::Column::OrgId.eq(tenant.org_id))
            .filter(help_referral::Column::Id.eq(id))
            .filter(help_referral::Column::State.is_in(open_states()))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            return Err(StoreError::Refused("help-refused-ended"));
        }
        commit_audited(txn, audit, &h, format!("referral={id} follow_up={on}")).await?;
        Ok(())
    }

    /// The open referrals with a follow-up date, within the tenant's reach, the earliest date
    /// first (overdue ones on top). At most `limit`, and the number there are.
    pub async fn help_referral_tasks(
        &self,
        tenant: &Tenant,
        limit: usize,
    ) -> Result<(Vec<HelpReferralTask>, usize)> {
        let rows = help_referral::Entity::find()
            .filter(help_referral::Column::OrgId.eq(tenant.org_id))
            .filter(help_referral::Column::State.is_in(open_states()))
            .filter(help_referral::Column::FollowUpOn.is_not_null())
            .order_by_asc(help_referral::Column::FollowUpOn)
            .order_by_asc(help_referral::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let reach =
            households_in_reach(&self.db, tenant, rows.iter().map(|r| r.household_id), false)
                .await?;
        let seen: Vec<Uuid> = reach.keys().copied().collect();
        let names = first_names_of(&self.db, tenant.org_id, &seen).await?;
        let partner_ids: Vec<Uuid> = rows
            .iter()
            .filter(|r| reach.contains_key(&r.household_id))
            .filter_map(|r| r.partner_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let partners = partner_names(&self.db, tenant.org_id, &partner_ids).await?;
        let all: Vec<HelpReferralTask> = rows
            .into_iter()
            .filter(|r| reach.contains_key(&r.household_id))
            .filter_map(|r| {
                Some(HelpReferralTask {
                    id: r.id,
                    household_id: r.household_id,
                    first_names: names.get(&r.household_id).cloned().unwrap_or_default(),
                    kind: HelpKind::parse(&r.kind).unwrap_or(HelpKind::Other),
                    state: ReferralState::parse(&r.state)?,
                    partner: r.partner_id.and_then(|p| partners.get(&p).cloned()),
                    due: date(r.follow_up_on.as_deref())?,
                })
            })
            .collect();
        let total = all.len();
        Ok((all.into_iter().take(limit).collect(), total))
    }
}

impl Store {
    /// The referrals made since `since` (by their creation) of households in the tenant's
    /// reach, erased ones included, as the figures count them: kind, partner name, outcome and
    /// the days of sending and first contact. No names, no reasons.
    pub async fn help_referral_figures(
        &self,
        tenant: &Tenant,
        since: DateTime<Utc>,
    ) -> Result<Vec<FigureInput>> {
        self.help_referral_figures_in(tenant, None, since, None)
            .await
    }

    /// As [`Store::help_referral_figures`], of the referrals made from `since` until before
    /// `until`, of households in `neighbourhoods` when given (the report's choice).
    pub async fn help_referral_figures_in(
        &self,
        tenant: &Tenant,
        neighbourhoods: Option<&[Uuid]>,
        since: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<FigureInput>> {
        let mut q = help_referral::Entity::find()
            .filter(help_referral::Column::OrgId.eq(tenant.org_id))
            .filter(help_referral::Column::CreatedAt.gte(since));
        if let Some(until) = until {
            q = q.filter(help_referral::Column::CreatedAt.lt(until));
        }
        let rows = q.all(&self.db).await?;
        let reach =
            households_in_reach(&self.db, tenant, rows.iter().map(|r| r.household_id), true)
                .await?;
        let partner_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.partner_id).collect();
        let partners = partner_names(&self.db, tenant.org_id, &partner_ids).await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                reach
                    .get(&r.household_id)
                    .is_some_and(|nb| neighbourhoods.is_none_or(|chosen| chosen.contains(nb)))
            })
            .map(|r| FigureInput {
                kind: HelpKind::parse(&r.kind).unwrap_or(HelpKind::Other),
                partner: r.partner_id.and_then(|p| partners.get(&p).cloned()),
                outcome: r
                    .outcome
                    .as_deref()
                    .and_then(|o| ReferralOutcome::parse(o).ok()),
                referred_on: date(r.referred_on.as_deref()),
                first_contact_on: date(r.first_contact_on.as_deref()),
            })
            .collect())
    }
}

/// A referral to help as the parent reads it in the portal: what, to whom, where it stands,
/// since when. Never the worker's reason or follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentHelpReferral {
    pub kind: HelpKind,
    pub partner: Option<String>,
    pub state: ReferralState,
    pub since: DateTime<Utc>,
}

impl Store {
    /// The household's own referrals to help, newest first, for its portal. The household
    /// is the portal session's own (`PortalScope`), never one from the request.
    pub async fn portal_help_referrals(
        &self,
        scope: &crate::portal::PortalScope,
    ) -> Result<Vec<ParentHelpReferral>> {
        let rows = help_referral::Entity::find()
            .filter(help_referral::Column::OrgId.eq(scope.org_id()))
            .filter(help_referral::Column::HouseholdId.eq(scope.household_id()))
            .order_by_desc(help_referral::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.partner_id).collect();
        let partners = partner_names(&self.db, scope.org_id(), &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| ParentHelpReferral {
                kind: HelpKind::parse(&r.kind).unwrap_or(HelpKind::Other),
                partner: r.partner_id.and_then(|p| partners.get(&p).cloned()),
                // A state this version does not know reads as stopped, never as running.
                state: ReferralState::parse(&r.state).unwrap_or(ReferralState::Stopped),
                since: r.updated_at,
            })
            .collect())
    }
}

/// A household's referrals as its data export shows them (the right of access): everything
/// stored about each, oldest first.
pub(crate) async fn export<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<Vec<serde_json::Value>> {
    let rows = help_referral::Entity::find()
        .filter(help_referral::Column::OrgId.eq(org_id))
        .filter(help_referral::Column::HouseholdId.eq(household_id))
        .order_by_asc(help_referral::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.partner_id).collect();
    let partners = partner_names(db, org_id, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "kind": r.kind,
                "partner": r.partner_id.and_then(|p| partners.get(&p).cloned()),
                "reason": r.reason,
                "state": r.state,
                "outcome": r.outcome,
                "consent_method": r.consent_method,
                "consent_on": r.consent_on,
                "withdrawn_method": r.withdrawn_method,
                "withdrawn_on": r.withdrawn_on,
                "referred_on": r.referred_on,
                "first_contact_on": r.first_contact_on,
                "ended_on": r.ended_on,
                "follow_up_on": r.follow_up_on,
                "created_at": r.created_at,
            })
        })
        .collect())
}

/// Erasure: a referral's reason is about the family; its kind, steps and dates stay for the
/// figures, and its follow-up goes (no one follows up a family that is gone).
pub(crate) async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<()> {
    help_referral::Entity::update_many()
        .col_expr(help_referral::Column::Reason, Expr::value(""))
        .col_expr(
            help_referral::Column::FollowUpOn,
            Expr::value(Option::<String>::None),
        )
        .filter(help_referral::Column::OrgId.eq(org_id))
        .filter(help_referral::Column::HouseholdId.eq(household_id))
        .exec(db)
        .await?;
    Ok(())
}

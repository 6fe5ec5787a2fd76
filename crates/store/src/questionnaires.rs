//! The parents' own questionnaires (issue #19, docs/outcomes.md): measurement rounds and their
//! answers, and the outcome figures computed from them.
//!
//! Answers are health data. Who may read what is decided here, for every call:
//! - the parent, through the portal scope, their own household's rounds;
//! - a worker (never a coordinator or an administrator) the rounds of a household in their
//!   reach — the household's own worker(s);
//! - anyone who reads the reports the answers of the households in their reach, but only as the
//!   paired figures of `mtp_domain::questionnaire::paired_outcomes`, hidden below ten parents.
//!
//! Every answer is written in one transaction with its audit entry; every read of individual
//! answers is audit-logged by the caller (the handlers), like every other page read.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use mtp_domain::questionnaire::{Answers, EnteredBy, IntervalMonths, item};
use mtp_domain::{Role, Tenant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::append_audit_in;
use crate::entities::{household, organisation, questionnaire_answer, questionnaire_round};
use crate::help_referrals::households_in_reach;
use crate::portal::PortalScope;
use crate::{NewAuditEvent, Result, Store, StoreError, now};

/// How long a round stays open for answers after it was started: the same sitting, or the
/// next day for a parent who stopped half-way.
pub const OPEN_HOURS: i64 = 48;

/// One measurement round with its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: Uuid,
    pub household_id: Uuid,
    pub taken_on: NaiveDate,
    pub entered_by: EnteredBy,
    pub answers: Answers,
    pub created_at: DateTime<Utc>,
}

impl Round {
    /// Still open for answers (`OPEN_HOURS`).
    pub fn open(&self, at: DateTime<Utc>) -> bool {
        at - self.created_at < Duration::hours(OPEN_HOURS)
    }
}

/// A worker's reach on a household that allows reading or giving individual answers.
fn worker_only(tenant: &Tenant) -> Result<()> {
    if tenant.role == Role::Worker {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

fn tenant_of(scope: &PortalScope) -> Tenant {
    Tenant {
        org_id: scope.org_id(),
        role: Role::Worker,
        neighbourhoods: vec![scope.neighbourhood_id()],
    }
}

/// The household, in reach and not anonymised.
async fn household_in_reach<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    household_id: Uuid,
) -> Result<household::Model> {
    household_seen(db, tenant, household_id)
        .await?
        .filter(|h| h.anonymised_at.is_none())
        .ok_or(StoreError::NotFound)
}

/// The household in reach, anonymised or not (an erased family's answers are gone: reading
/// them gives nothing).
async fn household_seen<C: ConnectionTrait>(
    db: &C,
    tenant: &Tenant,
    household_id: Uuid,
) -> Result<Option<household::Model>> {
    Ok(household::Entity::find_by_id(household_id)
        .filter(household::Column::OrgId.eq(tenant.org_id))
        .one(db)
        .await?
        .filter(|h| tenant.may_see_neighbourhood(h.org_id, h.neighbourhood_id)))
}

/// The rounds of these households, oldest first, with their answers.
pub(crate) async fn rounds_of<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    households: &[Uuid],
) -> Result<Vec<Round>> {
    let mut rows = Vec::new();
    for chunk in households.chunks(500) {
        rows.extend(
            round_rows(
                db,
                org_id,
                questionnaire_round::Column::HouseholdId.is_in(chunk.to_vec()),
            )
            .await?,
        );
    }
    with_answers(db, org_id, rows).await
}

/// The round rows of the organisation that `households` picks, oldest first.
async fn round_rows<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    households: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<questionnaire_round::Model>> {
    Ok(questionnaire_round::Entity::find()
        .filter(questionnaire_round::Column::OrgId.eq(org_id))
        .filter(households)
        .order_by_asc(questionnaire_round::Column::TakenOn)
        .order_by_asc(questionnaire_round::Column::CreatedAt)
        .all(db)
        .await?)
}

/// The rounds with their answers read in.
async fn with_answers<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    rows: Vec<questionnaire_round::Model>,
) -> Result<Vec<Round>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut answers: HashMap<Uuid, Vec<(String, u8)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for a in questionnaire_answer::Entity::find()
            .filter(questionnaire_answer::Column::OrgId.eq(org_id))
            .filter(questionnaire_answer::Column::RoundId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Ok(code) = u8::try_from(a.code) {
                answers
                    .entry(a.round_id)
                    .or_default()
                    .push((a.item_key, code));
            }
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let pairs = answers.remove(&r.id).unwrap_or_default();
            Some(Round {
                id: r.id,
                household_id: r.household_id,
                taken_on: NaiveDate::parse_from_str(&r.taken_on, "%Y-%m-%d").ok()?,
                entered_by: EnteredBy::parse(&r.entered_by).ok()?,
                answers: Answers::from_pairs(pairs.iter().map(|(k, c)| (k.as_str(), *c))),
                created_at: r.created_at,
            })
        })
        .collect())
}

/// Check an answer against its item: a known key, a code in range (or none: skipped).
fn checked(key: &str, code: Option<u8>) -> Result<&'static str> {
    let (_, it) = item(key).ok_or(StoreError::NotFound)?;
    if let Some(c) = code {
        let (lo, hi) = it.scale.range();
        if !(lo..=hi).contains(&c) {
            return Err(StoreError::Refused("questionnaire-error-answer"));
        }
    }
    Ok(it.key)
}

/// Write one answer (or take it away when skipped) in the open transaction.
async fn put_answer<C: ConnectionTrait>(
    txn: &C,
    org_id: Uuid,
    round_id: Uuid,
    key: &'static str,
    code: Option<u8>,
) -> Result<()> {
    questionnaire_answer::Entity::delete_many()
        .filter(questionnaire_answer::Column::OrgId.eq(org_id))
        .filter(questionnaire_answer::Column::RoundId.eq(round_id))
        .filter(questionnaire_answer::Column::ItemKey.eq(key))
        .exec(txn)
        .await?;
    if let Some(c) = code {
        questionnaire_answer::ActiveModel {
            id: Set(Uuid::now_v7()),
            org_id: Set(org_id),
            round_id: Set(round_id),
            item_key: Set(key.to_string()),
            code: Set(i32::from(c)),
            answered_at: Set(now()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn household_audit(audit: NewAuditEvent, h: &household::Model, detail: String) -> NewAuditEvent {
    NewAuditEvent {
        object_type: "household".into(),
        object_id: Some(h.id),
        neighbourhood_id: Some(h.neighbourhood_id),
        detail,
        ..audit
    }
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    async fn start(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        entered_by: EnteredBy,
        taken_on: NaiveDate,
        account: Option<Uuid>,
        answers: &[(&str, Option<u8>)],
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        let keys: Vec<(&'static str, Option<u8>)> = answers
            .iter()
            .map(|(k, c)| checked(k, *c).map(|k| (k, *c)))
            .collect::<Result<_>>()?;
        let txn = self.db.begin().await?;
        let h = household_in_reach(&txn, tenant, household_id).await?;
        let id = Uuid::now_v7();
        questionnaire_round::ActiveModel {
            id: Set(id),
            org_id: Set(tenant.org_id),
            household_id: Set(h.id),
            taken_on: Set(taken_on.to_string()),
            entered_by: Set(entered_by.as_str().to_string()),
            entered_by_account: Set(account),
            created_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        for (key, code) in &keys {
            put_answer(&txn, tenant.org_id, id, key, *code).await?;
        }
        let answered = keys.iter().filter(|(_, c)| c.is_some()).count();
        let detail = format!(
            "round={id} entered_by={} answered={answered}",
            entered_by.as_str()
        );
        append_audit_in(&txn, household_audit(audit, &h, detail)).await?;
        txn.commit().await?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn answer_in(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        round_id: Uuid,
        key: &str,
        code: Option<u8>,
        parent: bool,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let key = checked(key, code)?;
        let txn = self.db.begin().await?;
        let h = household_in_reach(&txn, tenant, household_id).await?;
        let round = questionnaire_round::Entity::find_by_id(round_id)
            .filter(questionnaire_round::Column::OrgId.eq(tenant.org_id))
            .filter(questionnaire_round::Column::HouseholdId.eq(h.id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        // A parent answers their own rounds only; a worker's paper entry is the worker's.
        if parent != (round.entered_by == EnteredBy::Parent.as_str()) {
            return Err(StoreError::NotFound);
        }
        if now() - round.created_at >= Duration::hours(OPEN_HOURS) {
            return Err(StoreError::Refused("questionnaire-error-closed"));
        }
        put_answer(&txn, tenant.org_id, round.id, key, code).await?;
        let detail = format!(
            "round={round_id} item={key} {}",
            if code.is_some() {
                "answered"
            } else {
                "skipped"
            }
        );
        append_audit_in(&txn, household_audit(audit, &h, detail)).await?;
        txn.commit().await?;
        Ok(())
    }

    // ---- the parent, in the portal ---------------------------------------------------------

    /// A new round the parent answers one question at a time.
    pub async fn portal_start_round(
        &self,
        scope: &PortalScope,
        today: NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        self.start(
            &tenant_of(scope),
            scope.household_id(),
            EnteredBy::Parent,
            today,
            None,
            &[],
            audit,
        )
        .await
    }

    /// The parent's answer to one item of their own open round; `None` is skipped.
    pub async fn portal_questionnaire_answer(
        &self,
        scope: &PortalScope,
        round_id: Uuid,
        key: &str,
        code: Option<u8>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        self.answer_in(
            &tenant_of(scope),
            scope.household_id(),
            round_id,
            key,
            code,
            true,
            audit,
        )
        .await
    }

    /// The household's own rounds, oldest first (the caller audit-logs the view).
    pub async fn portal_rounds(&self, scope: &PortalScope) -> Result<Vec<Round>> {
        let h = household_in_reach(&self.db, &tenant_of(scope), scope.household_id()).await?;
        rounds_of(&self.db, h.org_id, &[h.id]).await
    }

    /// One of the parent's own rounds that is still open for answers.
    pub async fn portal_open_round(&self, scope: &PortalScope, round_id: Uuid) -> Result<Round> {
        self.portal_rounds(scope)
            .await?
            .into_iter()
            .find(|r| r.id == round_id && r.entered_by == EnteredBy::Parent && r.open(now()))
            .ok_or(StoreError::NotFound)
    }

    // ---- the household's own worker ---------------------------------------------------------

    /// A round entered by a worker: from paper with all answers at once, or started to go
    /// through with the parent (then `answers` is empty). Workers only.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_round(
        &self,
        tenant: &Tenant,
        account: Uuid,
        household_id: Uuid,
        entered_by: EnteredBy,
        taken_on: NaiveDate,
        answers: &[(&str, Option<u8>)],
        audit: NewAuditEvent,
    ) -> Result<Uuid> {
        worker_only(tenant)?;
        if entered_by == EnteredBy::Parent {
            return Err(StoreError::Forbidden);
        }
        self.start(
            tenant,
            household_id,
            entered_by,
            taken_on,
            Some(account),
            answers,
            audit,
        )
        .await
    }

    /// One answer given with the worker on the worker's phone.
    pub async fn worker_answer(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
        round_id: Uuid,
        key: &str,
        code: Option<u8>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        worker_only(tenant)?;
        self.answer_in(tenant, household_id, round_id, key, code, false, audit)
            .await
    }

    /// The household's rounds, oldest first: the household's own worker only (the caller
    /// audit-logs the view).
    pub async fn household_rounds(
        &self,
        tenant: &Tenant,
        household_id: Uuid,
    ) -> Result<Vec<Round>> {
        worker_only(tenant)?;
        let h = household_seen(&self.db, tenant, household_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        rounds_of(&self.db, h.org_id, &[h.id]).await
    }

    /// One round a worker started to go through with the parent, still open: the household's
    /// own worker only.
    pub async fn worker_open_round(&self, tenant: &Tenant, round_id: Uuid) -> Result<Round> {
        worker_only(tenant)?;
        let row = questionnaire_round::Entity::find_by_id(round_id)
            .filter(questionnaire_round::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.household_rounds(tenant, row.household_id)
            .await?
            .into_iter()
            .find(|r| {
                r.id == round_id && r.entered_by == EnteredBy::WorkerWithParent && r.open(now())
            })
            .ok_or(StoreError::NotFound)
    }

    // ---- the outcome figures ----------------------------------------------------------------

    /// Every measurement of the households in the tenant's reach (in these neighbourhoods, or
    /// all when none is given), per household, for `mtp_domain::questionnaire::paired_outcomes`. The keys are
    /// fresh numbers, not household ids: nothing here names a family.
    pub async fn outcome_measurements(
        &self,
        tenant: &Tenant,
        neighbourhoods: &[Uuid],
    ) -> Result<HashMap<usize, Vec<(NaiveDate, Answers)>>> {
        let households: Vec<Uuid> = questionnaire_round::Entity::find()
            .filter(questionnaire_round::Column::OrgId.eq(tenant.org_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.household_id)
            .collect();
        let reach = households_in_reach(&self.db, tenant, households, false).await?;
        let ids: Vec<Uuid> = reach
            .iter()
            .filter(|(_, nb)| neighbourhoods.is_empty() || neighbourhoods.contains(nb))
            .map(|(h, _)| *h)
            .collect();
        let mut per: HashMap<Uuid, Vec<(NaiveDate, Answers)>> = HashMap::new();
        for r in rounds_of(&self.db, tenant.org_id, &ids).await? {
            per.entry(r.household_id)
                .or_default()
                .push((r.taken_on, r.answers));
        }
        Ok(per.into_values().enumerate().collect())
    }

    // ---- the organisation setting -----------------------------------------------------------

    pub async fn questionnaire_interval(&self, org_id: Uuid) -> Result<IntervalMonths> {
        let org = organisation::Entity::find_by_id(org_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(IntervalMonths::parse(&org.questionnaire_months.to_string()).unwrap_or_default())
    }

    /// Administrators and coordinators set how often the questionnaires come back.
    pub async fn set_questionnaire_interval(
        &self,
        tenant: &Tenant,
        months: IntervalMonths,
        audit: NewAuditEvent,
    ) -> Result<()> {
        if !matches!(tenant.role, Role::Admin | Role::Coordinator) {
            return Err(StoreError::Forbidden);
        }
        let txn = self.db.begin().await?;
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::QuestionnaireMonths,
                Expr::value(i32::from(months.get())),
            )
            .filter(organisation::Column::Id.eq(tenant.org_id))
            .exec(&txn)
            .await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Anonymising a household removes its answers: they are health data of a known person.
pub(crate) async fn anonymise<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    household_id: Uuid,
) -> Result<()> {
    let rounds: Vec<Uuid> = questionnaire_round::Entity::find()
        .filter(questionnaire_round::Column::OrgId.eq(org_id))
        .filter(questionnaire_round::Column::HouseholdId.eq(household_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if rounds.is_empty() {
        return Ok(());
    }
    questionnaire_answer::Entity::delete_many()
        .filter(questionnaire_answer::Column::OrgId.eq(org_id))
        .filter(questionnaire_answer::Column::RoundId.is_in(rounds.clone()))
        .exec(db)
        .await?;
    questionnaire_round::Entity::delete_many()
        .filter(questionnaire_round::Column::OrgId.eq(org_id))
        .filter(questionnaire_round::Column::Id.is_in(rounds))
        .exec(db)
        .await?;
    Ok(())
}

//! Organisations and their neighbourhoods: the tenants.

use mtp_domain::activity::StaffEstimates;
use mtp_domain::encourage::{Thresholds, ThresholdsForm};
use mtp_domain::message::WeeklyBudget;
use mtp_domain::{
    CbsCode, Email, HolidayRegion, NewPassword, OrgSettings, PersonName, PhotoPolicy, PlaceName,
    RetentionMonths, Role, Tenant, TwoFactorPolicy,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{app_secret, neighbourhood, organisation};
use crate::{Result, Store, StoreError, now, unique_violation};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub holiday_region: HolidayRegion,
    pub two_factor: TwoFactorPolicy,
    pub retention_months: u16,
    pub encourage: Thresholds,
    pub photos: PhotoPolicy,
    /// Posts a week the WhatsApp group aims for (docs/guide/encouragement.md).
    pub chat_budget: WeeklyBudget,
    /// The organisation's own estimate of a worker's minutes per session, per kind of
    /// activity the handbook gives no figure for (docs/guide/admin.md).
    pub staff_minutes: StaffEstimates,
}

/// The worklist thresholds as one column: six numbers in the order of `ThresholdsForm`.
/// Anything unreadable (or empty) gives the defaults, so a bad row can never hide the list.
fn thresholds_from_text(raw: &str) -> Thresholds {
    let v: Vec<&str> = raw.split(',').collect();
    let [a, n, c, ra, rw, l] = v.as_slice() else {
        return Thresholds::default();
    };
    Thresholds::parse(&ThresholdsForm {
        absent_in_a_row: a,
        newcomer_weeks: n,
        no_contact_weeks: c,
        regular_attended: ra,
        regular_window: rw,
        chat_left_days: l,
    })
    .unwrap_or_default()
}

fn thresholds_to_text(t: &Thresholds) -> String {
    format!(
        "{},{},{},{},{},{}",
        t.absent_in_a_row,
        t.newcomer_weeks,
        t.no_contact_weeks,
        t.regular_attended,
        t.regular_window,
        t.chat_left_days
    )
}

impl From<organisation::Model> for Organisation {
    fn from(m: organisation::Model) -> Self {
        Organisation {
            id: m.id,
            name: m.name,
            holiday_region: HolidayRegion::parse(&m.holiday_region).unwrap_or(HolidayRegion::Noord),
            two_factor: TwoFactorPolicy::parse(&m.two_factor).unwrap_or(TwoFactorPolicy::Optional),
            retention_months: u16::try_from(m.retention_months)
                .unwrap_or(RetentionMonths::DEFAULT.get()),
            encourage: thresholds_from_text(&m.encourage),
            photos: PhotoPolicy::parse(&m.photo_policy).unwrap_or_default(),
            chat_budget: WeeklyBudget::parse(&m.chat_budget.to_string()).unwrap_or_default(),
            staff_minutes: StaffEstimates::from_text(&m.staff_minutes),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub cbs_code: Option<String>,
    /// Who parents can call or WhatsApp (first name; empty when not set).
    pub contact_name: String,
    pub contact_phone: Option<mtp_domain::PhoneNumber>,
    /// The coordinator's estimate of single-parent households, what reach % is computed
    /// against (docs/indicators.md §2); `None` when nobody entered one.
    pub target_group: Option<TargetGroup>,
}

/// A target-group estimate as entered: the number, where it comes from, and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    pub estimate: mtp_domain::TargetGroupEstimate,
    /// "CBS 2025", "eigen schatting"; empty when not given.
    pub source: String,
    pub set_on: Option<chrono::NaiveDate>,
}

impl From<neighbourhood::Model> for Neighbourhood {
    fn from(m: neighbourhood::Model) -> Self {
        Neighbourhood {
            id: m.id,
            org_id: m.org_id,
            name: m.name,
            cbs_code: m.cbs_code,
            contact_name: m.contact_name,
            contact_phone: m
                .contact_phone
                .as_deref()
                .and_then(mtp_domain::PhoneNumber::from_e164),
            target_group: m
                .target_group_estimate
                .and_then(mtp_domain::TargetGroupEstimate::from_stored)
                .map(|estimate| TargetGroup {
                    estimate,
                    source: m.target_group_source,
                    set_on: m
                        .target_group_set_on
                        .as_deref()
                        .and_then(|d| d.parse().ok()),
                }),
        }
    }
}

/// What the first-run set-up asks for.
#[derive(Debug, Clone)]
pub struct FirstRun {
    pub org_name: PlaceName,
    pub holiday_region: HolidayRegion,
    pub neighbourhood_name: PlaceName,
    pub cbs_code: Option<CbsCode>,
    pub admin_name: PersonName,
    pub admin_email: Email,
    pub admin_password: NewPassword,
}

/// The row whose primary key makes the first-run set-up happen once, even when two app
/// servers receive the form at the same moment.
const SETUP_MARKER: &str = "first-run-done";

impl Store {
    /// Whether the first-run set-up is still to be done.
    pub async fn needs_setup(&self) -> Result<bool> {
        Ok(organisation::Entity::find().count(&self.db).await? == 0)
    }

    /// Create the first organisation, its first neighbourhood and its administrator, all or
    /// nothing, with the audit entry `audit` gives for the organisation and the account.
    /// Returns the organisation and the administrator's account id.
    pub async fn first_run(
        &self,
        f: &FirstRun,
        audit: impl FnOnce(Uuid, Uuid) -> NewAuditEvent + Send,
    ) -> Result<(Uuid, Uuid)> {
        let hash = crate::password::hash_bounded(f.admin_password.expose().to_string()).await?;
        let txn = self.db.begin().await?;
        app_secret::ActiveModel {
            name: Set(SETUP_MARKER.into()),
            value: Set(now().to_rfc3339()),
        }
        .insert(&txn)
        .await
        .map_err(|_| StoreError::AlreadySetUp)?;
        let org_id = insert_organisation(&txn, f.org_name.as_str(), f.holiday_region).await?;
        let nb_id =
            insert_neighbourhood(&txn, org_id, &f.neighbourhood_name, f.cbs_code.as_ref()).await?;
        let account = crate::accounts::insert_account(
            &txn,
            org_id,
            &f.admin_email,
            f.admin_name.as_str(),
            Role::Admin,
            hash,
            false,
            &[nb_id],
        )
        .await?;
        append_audit_in(&txn, audit(org_id, account)).await?;
        txn.commit().await?;
        self.audit_ensure_head(org_id).await?;
        Ok((org_id, account))
    }

    /// Create an organisation (demo data and the command line).
    pub async fn create_organisation(
        &self,
        name: &PlaceName,
        region: HolidayRegion,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        // Mark set-up as done so the first-run page does not offer itself over demo data.
        let _ = app_secret::Entity::insert(app_secret::ActiveModel {
            name: Set(SETUP_MARKER.into()),
            value: Set(now().to_rfc3339()),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(app_secret::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let id = insert_organisation(&txn, name.as_str(), region).await?;
        txn.commit().await?;
        self.audit_ensure_head(id).await?;
        Ok(id)
    }

    pub async fn organisation(&self, org_id: Uuid) -> Result<Organisation> {
        organisation::Entity::find_by_id(org_id)
            .one(&self.db)
            .await?
            .map(Organisation::from)
            .ok_or(StoreError::NotFound)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        Ok(organisation::Entity::find()
            .order_by_asc(organisation::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Organisation::from)
            .collect())
    }

    pub async fn update_org_settings(
        &self,
        org_id: Uuid,
        s: &OrgSettings,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let res = organisation::Entity::update_many()
            .col_expr(organisation::Column::Name, s.name.as_str().into())
            .col_expr(
                organisation::Column::HolidayRegion,
                s.holiday_region.as_str().into(),
            )
            .col_expr(
                organisation::Column::TwoFactor,
                s.two_factor.as_str().into(),
            )
            .col_expr(
                organisation::Column::RetentionMonths,
                i32::from(s.retention.get()).into(),
            )
            .col_expr(
                organisation::Column::Encourage,
                thresholds_to_text(&s.encourage).into(),
            )
            .col_expr(organisation::Column::PhotoPolicy, s.photos.as_str().into())
            .col_expr(
                organisation::Column::ChatBudget,
                i32::try_from(s.chat_budget.get()).unwrap_or(3).into(),
            )
            .col_expr(
                organisation::Column::StaffMinutes,
                s.staff_minutes.to_text().into(),
            )
            .filter(organisation::Column::Id.eq(org_id))
            .exec(&txn)
            .await?;
        if res.rows_affected > 0 {
            append_audit_in(&txn, audit).await?;
        }
        txn.commit().await?;
        self.sign_ins.forget_all();
        if res.rows_affected == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// The neighbourhoods the tenant may see, by name.
    pub async fn neighbourhoods(&self, tenant: &Tenant) -> Result<Vec<Neighbourhood>> {
        let mut q =
            neighbourhood::Entity::find().filter(neighbourhood::Column::OrgId.eq(tenant.org_id));
        if !tenant.role.sees_whole_organisation() {
            q = q.filter(neighbourhood::Column::Id.is_in(tenant.neighbourhoods.clone()));
        }
        Ok(q.order_by_asc(neighbourhood::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Neighbourhood::from)
            .collect())
    }

    /// One neighbourhood, if it exists and the tenant may see it. Another tenant's id gives
    /// `NotFound`, exactly like an id that does not exist.
    pub async fn neighbourhood(&self, tenant: &Tenant, id: Uuid) -> Result<Neighbourhood> {
        neighbourhood::Entity::find_by_id(id)
            .filter(neighbourhood::Column::OrgId.eq(tenant.org_id))
            .one(&self.db)
            .await?
            .filter(|n| tenant.may_see_neighbourhood(n.org_id, n.id))
            .map(Neighbourhood::from)
            .ok_or(StoreError::NotFound)
    }

    /// Create a neighbourhood, with its audit entry if any (the store sets its object and
    /// neighbourhood to the new one).
    pub async fn create_neighbourhood(
        &self,
        org_id: Uuid,
        name: &PlaceName,
        cbs: Option<&CbsCode>,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        let txn = self.db.begin().await?;
        let id = insert_neighbourhood(&txn, org_id, name, cbs).await?;
        let audit = audit.map(|e| NewAuditEvent {
            object_id: Some(id),
            neighbourhood_id: Some(id),
            ..e
        });
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Set who parents of a neighbourhood can contact (shown in the parent portal).
    pub async fn set_neighbourhood_contact(
        &self,
        tenant: &Tenant,
        id: Uuid,
        name: Option<&PersonName>,
        phone: Option<&mtp_domain::PhoneNumber>,
    ) -> Result<()> {
        let existing = self.neighbourhood(tenant, id).await?;
        neighbourhood::Entity::update_many()
            .col_expr(
                neighbourhood::Column::ContactName,
                name.map(|n| n.as_str().to_string())
                    .unwrap_or_default()
                    .into(),
            )
            .col_expr(
                neighbourhood::Column::ContactPhone,
                phone.map(|p| p.e164().to_string()).into(),
            )
            .filter(neighbourhood::Column::OrgId.eq(existing.org_id))
            .filter(neighbourhood::Column::Id.eq(existing.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Set (or clear, with `None`) the target-group estimate of a neighbourhood, dated `today`
    /// (the caller's day in Europe/Amsterdam), with its audit entry in the same transaction. Reach-checked: the tenant's organisation
    /// and, for a coordinator, one of their neighbourhoods; otherwise `NotFound`.
    pub async fn set_target_group(
        &self,
        tenant: &Tenant,
        id: Uuid,
        estimate: Option<mtp_domain::TargetGroupEstimate>,
        source: Option<&mtp_domain::EstimateSource>,
        today: chrono::NaiveDate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let existing = self.neighbourhood(tenant, id).await?;
        let today = today.format("%Y-%m-%d").to_string();
        let txn = self.db.begin().await?;
        let res = neighbourhood::Entity::update_many()
            .col_expr(
                neighbourhood::Column::TargetGroupEstimate,
                estimate
                    .map(|e| i32::try_from(e.get()).unwrap_or(i32::MAX))
                    .into(),
            )
            .col_expr(
                neighbourhood::Column::TargetGroupSource,
                estimate
                    .and(source)
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default()
                    .into(),
            )
            .col_expr(
                neighbourhood::Column::TargetGroupSetOn,
                estimate.map(|_| today).into(),
            )
            .filter(neighbourhood::Column::OrgId.eq(existing.org_id))
            .filter(neighbourhood::Column::Id.eq(existing.id))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn update_neighbourhood(
        &self,
        tenant: &Tenant,
        id: Uuid,
        name: &PlaceName,
        cbs: Option<&CbsCode>,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let existing = self.neighbourhood(tenant, id).await?;
        let txn = self.db.begin().await?;
        let res = neighbourhood::Entity::update_many()
            .col_expr(neighbourhood::Column::Name, name.as_str().into())
            .col_expr(
                neighbourhood::Column::CbsCode,
                cbs.map(|c| c.as_str().to_string()).into(),
            )
            .filter(neighbourhood::Column::OrgId.eq(existing.org_id))
            .filter(neighbourhood::Column::Id.eq(existing.id))
            .exec(&txn)
            .await
            .map_err(|e| unique_violation(e, "name"))?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        Ok(())
    }
}

async fn insert_organisation<C: sea_orm::ConnectionTrait>(
    db: &C,
    name: &str,
    region: HolidayRegion,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    organisation::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        holiday_region: Set(region.as_str().into()),
        two_factor: Set(TwoFactorPolicy::Optional.as_str().into()),
        retention_months: Set(i32::from(RetentionMonths::DEFAULT.get())),
        created_at: Set(now()),
        encourage: Set(String::new()),
        photo_policy: Set(PhotoPolicy::default().as_str().into()),
        chat_budget: Set(3),
        staff_minutes: Set(String::new()),
        questionnaire_months: Set(6),
    }
    .insert(db)
    .await?;
    Ok(id)
}

async fn insert_neighbourhood<C: sea_orm::ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    name: &PlaceName,
    cbs: Option<&CbsCode>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    neighbourhood::ActiveModel {
        id: Set(id),
        org_id: Set(org_id),
        name: Set(name.as_str().to_string()),
        cbs_code: Set(cbs.map(|c| c.as_str().to_string())),
        created_at: Set(now()),
        contact_name: Set(String::new()),
        contact_phone: Set(None),
        target_group_estimate: Set(None),
        target_group_source: Set(String::new()),
        target_group_set_on: Set(None),
    }
    .insert(db)
    .await
    .map_err(|e| unique_violation(e, "name"))?;
    Ok(id)
}

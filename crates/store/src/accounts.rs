//! Staff and volunteer accounts.

use mtp_domain::{Email, Language, NewPassword, PersonName, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_in, append_audit_opt};
use crate::entities::{account, account_neighbourhood, auth_session, neighbourhood};
use crate::{Result, Store, StoreError, now, unique_violation};

/// An account as the rest of the application sees it. The password hash stays in this crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub totp_enabled: bool,
    pub must_change_password: bool,
    pub disabled: bool,
    pub lang: Language,
    pub neighbourhoods: Vec<Uuid>,
    /// The partner organisation a partner account belongs to (docs/guide/partners.md).
    pub partner_org_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub org_id: Uuid,
    pub email: Email,
    pub display_name: PersonName,
    pub role: Role,
    pub password: NewPassword,
    /// Set when someone else chose the password: the owner picks their own at first sign-in.
    pub must_change_password: bool,
    pub neighbourhoods: Vec<Uuid>,
    /// Only for a partner account: the partner organisation it belongs to, of `org_id` and
    /// not deleted (else `NotFound`). Dropped for every other role.
    pub partner_org_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct AccountUpdate {
    pub display_name: PersonName,
    pub role: Role,
    pub neighbourhoods: Vec<Uuid>,
    /// As [`NewAccount::partner_org_id`].
    pub partner_org_id: Option<Uuid>,
}

pub(crate) fn to_account(m: account::Model, neighbourhoods: Vec<Uuid>) -> Account {
    Account {
        id: m.id,
        org_id: m.org_id,
        email: m.email,
        display_name: m.display_name,
        // An unknown role in the database gets the least privileged one, never more.
        role: Role::parse(&m.role).unwrap_or(Role::Researcher),
        totp_enabled: m.totp_enabled,
        must_change_password: m.must_change_password,
        disabled: m.disabled,
        lang: Language::parse(&m.lang).unwrap_or_default(),
        neighbourhoods,
        partner_org_id: m.partner_org_id,
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_account<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    email: &Email,
    display_name: &str,
    role: Role,
    password_hash: String,
    must_change_password: bool,
    neighbourhoods: &[Uuid],
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    account::ActiveModel {
        id: Set(id),
        org_id: Set(org_id),
        email: Set(email.as_str().to_string()),
        display_name: Set(display_name.to_string()),
        role: Set(role.as_str().into()),
        password_hash: Set(password_hash),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        must_change_password: Set(must_change_password),
        disabled: Set(false),
        lang: Set(Language::Nl.as_str().into()),
        created_at: Set(now()),
        partner_org_id: Set(None),
    }
    .insert(db)
    .await
    .map_err(|e| unique_violation(e, "email"))?;
    set_neighbourhoods(db, org_id, id, neighbourhoods).await?;
    Ok(id)
}

/// Replace an account's neighbourhoods, keeping only those of its own organisation.
async fn set_neighbourhoods<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    account_id: Uuid,
    ids: &[Uuid],
) -> Result<()> {
    account_neighbourhood::Entity::delete_many()
        .filter(account_neighbourhood::Column::OrgId.eq(org_id))
        .filter(account_neighbourhood::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    let valid: Vec<Uuid> = neighbourhood::Entity::find()
        .filter(neighbourhood::Column::OrgId.eq(org_id))
        .filter(neighbourhood::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    if valid.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(StoreError::NotFound);
    }
    for nb in valid {
        account_neighbourhood::ActiveModel {
            org_id: Set(org_id),
            account_id: Set(account_id),
            neighbourhood_id: Set(nb),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Tie a partner account to its partner organisation (checked: of the organisation, not
/// deleted); any other role belongs to none.
async fn set_partner_org<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    account_id: Uuid,
    role: Role,
    partner: Option<Uuid>,
) -> Result<()> {
    let partner = partner.filter(|_| role == Role::Partner);
    if let Some(p) = partner {
        Store::check_account_partner(db, org_id, p).await?;
    }
    account::Entity::update_many()
        .col_expr(account::Column::PartnerOrgId, partner.into())
        .filter(account::Column::OrgId.eq(org_id))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

impl Store {
    /// Put an existing partner account in a partner organisation (the demo, which makes its
    /// accounts before its partners). Another role's account is left without one.
    pub async fn set_account_partner(
        &self,
        org_id: Uuid,
        account_id: Uuid,
        partner: Option<Uuid>,
    ) -> Result<()> {
        let a = self.account(org_id, account_id).await?;
        set_partner_org(&self.db, org_id, a.id, a.role, partner).await?;
        self.sign_ins.forget_all();
        Ok(())
    }

    /// Create an account, with its audit entry if any (the store sets its object id to the
    /// new account's).
    pub async fn create_account(
        &self,
        a: &NewAccount,
        audit: Option<NewAuditEvent>,
    ) -> Result<Uuid> {
        let hash = crate::password::hash_bounded(a.password.expose().to_string()).await?;
        let txn = self.db.begin().await?;
        let id = insert_account(
            &txn,
            a.org_id,
            &a.email,
            a.display_name.as_str(),
            a.role,
            hash,
            a.must_change_password,
            &a.neighbourhoods,
        )
        .await?;
        set_partner_org(&txn, a.org_id, id, a.role, a.partner_org_id).await?;
        let audit = audit.map(|e| NewAuditEvent {
            object_id: Some(id),
            ..e
        });
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Check an e-mail address and password. Takes the same time whether or not the address
    /// is known, and returns the account even when disabled so the caller can say so.
    pub async fn check_password(&self, email: &Email, password: &str) -> Result<Option<Account>> {
        let found = account::Entity::find()
            .filter(account::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?;
        let stored = found
            .as_ref()
            .map(|m| m.password_hash.clone())
            .unwrap_or_else(|| crate::password::dummy_hash().to_string());
        let ok = crate::password::verify_bounded(password.to_string(), stored).await?;
        match (found, ok) {
            (Some(m), true) => Ok(Some(self.with_neighbourhoods(m).await?)),
            _ => Ok(None),
        }
    }

    /// The account id behind an e-mail address, for the per-account sign-in limit.
    pub async fn account_by_email(&self, email: &Email) -> Result<Option<Account>> {
        match account::Entity::find()
            .filter(account::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?
        {
            Some(m) => Ok(Some(self.with_neighbourhoods(m).await?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn with_neighbourhoods(&self, m: account::Model) -> Result<Account> {
        let nbs = account_neighbourhood::Entity::find()
            .filter(account_neighbourhood::Column::OrgId.eq(m.org_id))
            .filter(account_neighbourhood::Column::AccountId.eq(m.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.neighbourhood_id)
            .collect();
        Ok(to_account(m, nbs))
    }

    /// One account of the organisation. Another organisation's id gives `NotFound`.
    pub async fn account(&self, org_id: Uuid, id: Uuid) -> Result<Account> {
        let m = account::Entity::find_by_id(id)
            .filter(account::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.with_neighbourhoods(m).await
    }

    /// The enabled accounts assigned to one neighbourhood, by name: who can be asked for a
    /// session's rota.
    pub async fn neighbourhood_accounts(
        &self,
        org_id: Uuid,
        neighbourhood_id: Uuid,
    ) -> Result<Vec<Account>> {
        let ids: Vec<Uuid> = account_neighbourhood::Entity::find()
            .select_only()
            .column(account_neighbourhood::Column::AccountId)
            .filter(account_neighbourhood::Column::OrgId.eq(org_id))
            .filter(account_neighbourhood::Column::NeighbourhoodId.eq(neighbourhood_id))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = Vec::new();
        for m in account::Entity::find()
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.is_in(ids))
            .filter(account::Column::Disabled.eq(false))
            .order_by_asc(account::Column::DisplayName)
            .all(&self.db)
            .await?
        {
            out.push(to_account(m, vec![neighbourhood_id]));
        }
        Ok(out)
    }

    pub async fn accounts(&self, org_id: Uuid) -> Result<Vec<Account>> {
        let rows = account::Entity::find()
            .filter(account::Column::OrgId.eq(org_id))
            .order_by_asc(account::Column::DisplayName)
            .all(&self.db)
            .await?;
        let mut by_account: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in account_neighbourhood::Entity::find()
            .filter(account_neighbourhood::Column::OrgId.eq(org_id))
            .all(&self.db)
            .await?
        {
            by_account
                .entry(r.account_id)
                .or_default()
                .push(r.neighbourhood_id);
        }
        Ok(rows
            .into_iter()
            .map(|m| {
                let nbs = by_account.remove(&m.id).unwrap_or_default();
                to_account(m, nbs)
            })
            .collect())
    }

    pub async fn update_account(
        &self,
        org_id: Uuid,
        id: Uuid,
        u: &AccountUpdate,
        audit: NewAuditEvent,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let res = account::Entity::update_many()
            .col_expr(account::Column::DisplayName, u.display_name.as_str().into())
            .col_expr(account::Column::Role, u.role.as_str().into())
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        set_neighbourhoods(&txn, org_id, id, &u.neighbourhoods).await?;
        set_partner_org(&txn, org_id, id, u.role, u.partner_org_id).await?;
        // A changed role or reach takes effect at once: the account signs in again.
        revoke_sessions(&txn, org_id, id).await?;
        append_audit_in(&txn, audit).await?;
        txn.commit().await?;
        self.sign_ins.forget_all();
        Ok(())
    }

    /// Set a new password. `must_change` is true when someone else chose it. Every session of
    /// the account ends.
    pub async fn set_password(
        &self,
        org_id: Uuid,
        id: Uuid,
        password: &NewPassword,
        must_change: bool,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let hash = crate::password::hash_bounded(password.expose().to_string()).await?;
        self.update_and_sign_out(
            org_id,
            id,
            account::Entity::update_many()
                .col_expr(account::Column::PasswordHash, hash.into())
                .col_expr(account::Column::MustChangePassword, must_change.into()),
            audit,
        )
        .await
    }

    pub async fn set_disabled(
        &self,
        org_id: Uuid,
        id: Uuid,
        disabled: bool,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        self.update_and_sign_out(
            org_id,
            id,
            account::Entity::update_many().col_expr(account::Column::Disabled, disabled.into()),
            audit,
        )
        .await
    }

    /// Apply an update to one account of the organisation and end all its sessions, in one
    /// transaction: a changed password or a disabled account never leaves a session behind.
    async fn update_and_sign_out(
        &self,
        org_id: Uuid,
        id: Uuid,
        update: sea_orm::UpdateMany<account::Entity>,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        let res = update
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        revoke_sessions(&txn, org_id, id).await?;
        append_audit_opt(&txn, audit).await?;
        txn.commit().await?;
        self.sign_ins.forget_all();
        Ok(())
    }

    /// Store a TOTP secret that is not yet confirmed, or confirm it (`enabled`), or clear it
    /// (`None`, used by an administrator's reset); with its audit entry, if any.
    pub async fn set_totp(
        &self,
        org_id: Uuid,
        id: Uuid,
        secret: Option<String>,
        enabled: bool,
        audit: Option<NewAuditEvent>,
    ) -> Result<()> {
        let secret = match secret {
            Some(s) => Some(self.seal(&crate::sealing::account_place(id), &s)?),
            None => None,
        };
        let txn = self.db.begin().await?;
        let res = account::Entity::update_many()
            .col_expr(account::Column::TotpSecret, secret.into())
            .col_expr(account::Column::TotpEnabled, enabled.into())
            .col_expr(account::Column::TotpLastStep, Option::<i64>::None.into())
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected > 0 {
            append_audit_opt(&txn, audit).await?;
        }
        txn.commit().await?;
        self.sign_ins.forget_all();
        if res.rows_affected == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Record that a code for time step `step` was used. Returns false when that step (or a
    /// later one) was used before: a replayed code. The conditional update makes this hold
    /// even when two servers receive the same code at once.
    pub async fn use_totp_step(&self, org_id: Uuid, id: Uuid, step: i64) -> Result<bool> {
        use sea_orm::sea_query::{Condition, Expr};
        let res = account::Entity::update_many()
            .col_expr(account::Column::TotpLastStep, Expr::value(step))
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(account::Column::TotpLastStep.is_null())
                    .add(account::Column::TotpLastStep.lt(step)),
            )
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// The TOTP secret of an account, for checking a code. Stays inside the server.
    pub async fn totp_secret(&self, org_id: Uuid, id: Uuid) -> Result<Option<String>> {
        let stored = account::Entity::find_by_id(id)
            .filter(account::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .totp_secret;
        stored
            .map(|s| self.open(&crate::sealing::account_place(id), &s))
            .transpose()
    }

    pub async fn set_account_lang(&self, org_id: Uuid, id: Uuid, lang: Language) -> Result<()> {
        account::Entity::update_many()
            .col_expr(account::Column::Lang, lang.as_str().into())
            .filter(account::Column::OrgId.eq(org_id))
            .filter(account::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        self.sign_ins.forget_all();
        Ok(())
    }

    /// Whether any account exists in the whole installation (for `mtp demo`'s safety check).
    pub async fn has_accounts(&self) -> Result<bool> {
        Ok(account::Entity::find().one(&self.db).await?.is_some())
    }
}

pub(crate) async fn revoke_sessions<C: ConnectionTrait>(
    db: &C,
    org_id: Uuid,
    account_id: Uuid,
) -> Result<u64> {
    Ok(auth_session::Entity::delete_many()
        .filter(auth_session::Column::OrgId.eq(org_id))
        .filter(auth_session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?
        .rows_affected)
}

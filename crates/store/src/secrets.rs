//! Installation-wide secrets (CSRF and rate-limit keys), shared by every app server through
//! the database and created on first use; sealed at rest when there is a key (`sealing.rs`).

use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};

use crate::entities::app_secret;
use crate::{Result, Store, StoreError};

impl Store {
    /// The secret called `name`, created at random the first time. Two servers asking at once
    /// get the same value: the insert that loses does nothing.
    pub async fn secret(&self, name: &str) -> Result<String> {
        let name = format!("secret:{name}");
        let place = crate::sealing::secret_place(&name);
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        app_secret::Entity::insert(app_secret::ActiveModel {
            name: Set(name.clone()),
            value: Set(self.seal(&place, &hex::encode(bytes))?),
        })
        .on_conflict(
            OnConflict::column(app_secret::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        let stored = app_secret::Entity::find_by_id(name)
            .one(&self.db)
            .await?
            .map(|s| s.value)
            .ok_or(StoreError::NotFound)?;
        self.open(&place, &stored)
    }
}

//! The IndexedDB store: profiles, import versions and per-profile settings.
//!
//! Schema (see [`SCHEMA_VERSION`]): `profiles` (key `id`), `imports` (key `id`, index
//! `profile_id`), `settings` (key `profile_id`), `meta` (out-of-line keys). Every change
//! that touches several records runs in one transaction: it lands whole or not at all.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{de::DeserializeOwned, Serialize};

use crate::domain::store::{
    migrate_v1, ImportVersion, ImportVersionV1, Profile, ProfileSettings, SCHEMA_VERSION,
};

const PROFILES: &str = "profiles";
const IMPORTS: &str = "imports";
const SETTINGS: &str = "settings";
const META: &str = "meta";
const BY_PROFILE: &str = "profile_id";

/// The name of the app's database.
pub const DB_NAME: &str = "folio";

/// A storage failure, with the browser's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{action} failed: {detail}")]
pub struct StoreError {
    /// What was being done.
    pub action: &'static str,
    /// What the browser said.
    pub detail: String,
}

trait Context<T> {
    fn ctx(self, action: &'static str) -> Result<T, StoreError>;
}

impl<T, E: std::fmt::Display> Context<T> for Result<T, E> {
    fn ctx(self, action: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| StoreError {
            action,
            detail: e.to_string(),
        })
    }
}

/// An open database.
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (creating or upgrading) the database `name`, then completes any pending
    /// migration of v1 records.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version() as u32;
                if old < 1 {
                    db.create_object_store(PROFILES)
                        .with_key_path("id".into())
                        .build()?;
                    let imports = db
                        .create_object_store(IMPORTS)
                        .with_key_path("id".into())
                        .build()?;
                    imports
                        .create_index(BY_PROFILE, BY_PROFILE.into())
                        .build()?;
                }
                if old < 2 {
                    db.create_object_store(SETTINGS)
                        .with_key_path("profile_id".into())
                        .build()?;
                    db.create_object_store(META).build()?;
                }
                Ok(())
            })
            .await
            .ctx("Opening the database")?;
        let store = Store { db };
        store.migrate_v1_records().await?;
        Ok(store)
    }

    /// Gives every profile without a settings record one derived from its v1 imports'
    /// `active` flags. Idempotent, so an interrupted migration completes on the next open.
    async fn migrate_v1_records(&self) -> Result<(), StoreError> {
        let action = "Upgrading data from the previous version";
        let tx = self
            .db
            .transaction([PROFILES, IMPORTS, SETTINGS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        let profiles: Vec<Profile> = get_all(&tx, PROFILES).await.ctx(action)?;
        let settings: Vec<ProfileSettings> = get_all(&tx, SETTINGS).await.ctx(action)?;
        let missing: Vec<Profile> = profiles
            .into_iter()
            .filter(|p| !settings.iter().any(|s| s.profile_id == p.id))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let imports: Vec<ImportVersionV1> = get_all(&tx, IMPORTS).await.ctx(action)?;
        let store = tx.object_store(SETTINGS).ctx(action)?;
        for s in migrate_v1(&missing, &imports) {
            store.put(s).serde().ctx(action)?.await.ctx(action)?;
        }
        tx.commit().await.ctx(action)
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }

    /// All profiles, oldest first.
    pub async fn profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let tx = self
            .db
            .transaction(PROFILES)
            .build()
            .ctx("Reading profiles")?;
        let mut all: Vec<Profile> = get_all(&tx, PROFILES).await.ctx("Reading profiles")?;
        all.sort_by(|a, b| a.created_ms.total_cmp(&b.created_ms));
        Ok(all)
    }

    /// Creates a profile with its settings; with `seed`, also its first imports and
    /// manual entries, all in one transaction.
    pub async fn create_profile(
        &self,
        profile: &Profile,
        settings: &ProfileSettings,
        seed: &[ImportVersion],
    ) -> Result<(), StoreError> {
        let action = "Creating the profile";
        let tx = self
            .db
            .transaction([PROFILES, SETTINGS, IMPORTS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        tx.object_store(PROFILES)
            .ctx(action)?
            .add(profile)
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.object_store(SETTINGS)
            .ctx(action)?
            .put(settings)
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        let imports = tx.object_store(IMPORTS).ctx(action)?;
        for v in seed {
            imports.add(v).serde().ctx(action)?.await.ctx(action)?;
        }
        tx.commit().await.ctx(action)
    }

    /// Renames a profile.
    pub async fn rename_profile(&self, id: &str, name: &str) -> Result<(), StoreError> {
        let action = "Renaming the profile";
        let tx = self
            .db
            .transaction(PROFILES)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        let store = tx.object_store(PROFILES).ctx(action)?;
        let found: Option<Profile> = store
            .get(id.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        let mut p = found.ok_or(StoreError {
            action,
            detail: "the profile no longer exists".into(),
        })?;
        p.name = name.to_string();
        store.put(p).serde().ctx(action)?.await.ctx(action)?;
        tx.commit().await.ctx(action)
    }

    /// Deletes a profile with its settings and every import version, in one transaction.
    pub async fn delete_profile(&self, id: &str) -> Result<(), StoreError> {
        let action = "Deleting the profile";
        let tx = self
            .db
            .transaction([PROFILES, SETTINGS, IMPORTS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        let imports = tx.object_store(IMPORTS).ctx(action)?;
        let keys: Vec<String> = imports
            .index(BY_PROFILE)
            .ctx(action)?
            .get_all_keys()
            .with_query(id.to_string())
            .primitive()
            .ctx(action)?
            .await
            .ctx(action)?
            .collect::<Result<_, _>>()
            .ctx(action)?;
        for k in keys {
            imports
                .delete(k)
                .primitive()
                .ctx(action)?
                .await
                .ctx(action)?;
        }
        tx.object_store(SETTINGS)
            .ctx(action)?
            .delete(id.to_string())
            .primitive()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.object_store(PROFILES)
            .ctx(action)?
            .delete(id.to_string())
            .primitive()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.commit().await.ctx(action)
    }

    /// A profile's settings (empty settings if none were saved).
    pub async fn settings(&self, profile_id: &str) -> Result<ProfileSettings, StoreError> {
        let action = "Reading settings";
        let tx = self.db.transaction(SETTINGS).build().ctx(action)?;
        let store = tx.object_store(SETTINGS).ctx(action)?;
        let found: Option<ProfileSettings> = store
            .get(profile_id.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        Ok(found.unwrap_or_else(|| ProfileSettings {
            profile_id: profile_id.to_string(),
            ..ProfileSettings::default()
        }))
    }

    /// Saves a profile's settings.
    pub async fn save_settings(&self, settings: &ProfileSettings) -> Result<(), StoreError> {
        let action = "Saving settings";
        let tx = self
            .db
            .transaction(SETTINGS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        tx.object_store(SETTINGS)
            .ctx(action)?
            .put(settings)
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.commit().await.ctx(action)
    }

    /// A profile's import versions, newest first.
    pub async fn versions(&self, profile_id: &str) -> Result<Vec<ImportVersion>, StoreError> {
        let action = "Reading imports";
        let tx = self.db.transaction(IMPORTS).build().ctx(action)?;
        let store = tx.object_store(IMPORTS).ctx(action)?;
        let mut all: Vec<ImportVersion> = store
            .index(BY_PROFILE)
            .ctx(action)?
            .get_all()
            .with_query(profile_id.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?
            .collect::<Result<_, _>>()
            .ctx(action)?;
        all.sort_by(|a, b| b.imported_ms.total_cmp(&a.imported_ms));
        Ok(all)
    }

    /// Writes new import versions and the settings that make them active, in one
    /// transaction. A version id that already exists fails the whole commit.
    pub async fn commit_imports(
        &self,
        versions: &[ImportVersion],
        settings: &ProfileSettings,
    ) -> Result<(), StoreError> {
        let action = "Saving the import";
        let tx = self
            .db
            .transaction([IMPORTS, SETTINGS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        let imports = tx.object_store(IMPORTS).ctx(action)?;
        for v in versions {
            imports.add(v).serde().ctx(action)?.await.ctx(action)?;
        }
        tx.object_store(SETTINGS)
            .ctx(action)?
            .put(settings)
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.commit().await.ctx(action)
    }

    /// Deletes one import version and saves the settings that no longer point at it.
    pub async fn delete_version(
        &self,
        id: &str,
        settings: &ProfileSettings,
    ) -> Result<(), StoreError> {
        let action = "Deleting the import";
        let tx = self
            .db
            .transaction([IMPORTS, SETTINGS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        tx.object_store(IMPORTS)
            .ctx(action)?
            .delete(id.to_string())
            .primitive()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.object_store(SETTINGS)
            .ctx(action)?
            .put(settings)
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.commit().await.ctx(action)
    }

    /// Reads an app-level value.
    pub async fn meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let action = "Reading app settings";
        let tx = self.db.transaction(META).build().ctx(action)?;
        let store = tx.object_store(META).ctx(action)?;
        store
            .get(key.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)
    }

    /// Writes an app-level value.
    pub async fn set_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let action = "Saving app settings";
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .ctx(action)?;
        let store = tx.object_store(META).ctx(action)?;
        store
            .put(value)
            .with_key(key.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        tx.commit().await.ctx(action)
    }
}

async fn get_all<T: DeserializeOwned>(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
) -> indexed_db_futures::Result<Vec<T>> {
    tx.object_store(store)?.get_all().serde()?.await?.collect()
}

thread_local! {
    static SHARED: std::cell::RefCell<Option<std::rc::Rc<Store>>> = const { std::cell::RefCell::new(None) };
}

/// The app's database, opened once per page.
pub async fn shared() -> Result<std::rc::Rc<Store>, StoreError> {
    if let Some(s) = SHARED.with(|s| s.borrow().clone()) {
        return Ok(s);
    }
    let store = std::rc::Rc::new(Store::open(DB_NAME).await?);
    SHARED.with(|s| *s.borrow_mut() = Some(store.clone()));
    Ok(store)
}

//! The IndexedDB store: profiles, import versions and per-profile settings.
//!
//! Schema: the stores `domain::records::migrations` lists, each version's added by its
//! step — `profiles` (key `id`), `imports` (key `id`, index `profile_id`), `settings` (key
//! `profile_id`), `meta` (out-of-line keys); v3 added `quotes`, `history` and `snapshots`,
//! v4 `plans` (key `id`, index `profile_id`). Opening an older database runs each later
//! step in IndexedDB's upgrade transaction: its stores created, its records upgraded (the
//! same pure rule a restore of an older backup runs); a step that fails aborts the whole
//! upgrade, leaving the database as it was. Every change that touches several records runs
//! in one transaction: it lands whole or not at all. Backups and restores of every store are
//! in [`transfer`].

mod transfer;
mod upgrade;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use indexed_db_futures::database::Database;
use indexed_db_futures::database::ObjectStoreName;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

use crate::domain::dashboard::Snapshot;
use crate::domain::prices::history::DailySeries;
use crate::domain::prices::Quote;
use crate::domain::rebalance::saved::SavedPlan;
use crate::domain::records::migrations::Schema;
use crate::domain::records::{ImportVersion, Profile, ProfileSettings, VersionSummary};
use crate::domain::sorting::sort_by_key;

const PROFILES: &str = "profiles";
const IMPORTS: &str = "imports";
const SETTINGS: &str = "settings";
const META: &str = "meta";
const QUOTES: &str = "quotes";
const HISTORY: &str = "history";
const SNAPSHOTS: &str = "snapshots";
const PLANS: &str = "plans";
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

/// Called with the names of the stores a committed transaction wrote.
type WriteListener = Rc<dyn Fn(&[&str])>;

/// An open database.
pub struct Store {
    db: Database,
    schema: Schema,
    listener: RefCell<Option<WriteListener>>,
}

/// Rewrites the records of an older database in IndexedDB's upgrade transaction (its
/// stores created too): `upgrade::run`, given to [`Store::open_upgrading`] by the code that
/// may rewrite records, so that the first page's module, which never does, holds none of
/// that code.
pub type RecordUpgrade =
    fn(web_sys::IdbTransaction, Schema, u32) -> LocalBoxFuture<'static, Result<(), String>>;

/// What [`StoreError::detail`] says when a database holds records of an older version that
/// this module cannot rewrite ([`Store::open_upgrading`] without a [`RecordUpgrade`]).
const OLD_RECORDS: &str =
    "this browser holds data of an older version of Folio, which this page cannot upgrade";

impl StoreError {
    /// Whether the database could not be opened because its records need an upgrade this
    /// module does not hold (the whole app's module does).
    pub fn is_old_database(&self) -> bool {
        self.detail == OLD_RECORDS
    }
}

thread_local! {
    /// How [`shared`] rewrites the records of an older database, if it may (the whole app's
    /// module says so with [`upgrade_records_on_open`]).
    static RECORD_UPGRADE: Cell<Option<RecordUpgrade>> = const { Cell::new(None) };
}

/// Lets [`shared`] rewrite the records of an older database when it opens it. The whole
/// app's module calls this first; without it (the first page's module), such a database is
/// left as it is and the open fails with [`StoreError::is_old_database`].
pub fn upgrade_records_on_open() {
    RECORD_UPGRADE.with(|u| u.set(Some(upgrade::run_boxed)));
}

impl Store {
    /// Opens (creating or upgrading, records included) the database `name` at the app's
    /// schema.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        Store::open_with(name, Schema::app()).await
    }

    /// Opens (creating or upgrading, records included) the database `name` at `schema` (the
    /// app's, or one with a store only a benchmark or a test has).
    pub async fn open_with(name: &str, schema: Schema) -> Result<Store, StoreError> {
        Store::open_upgrading(name, schema, Some(upgrade::run_boxed)).await
    }

    /// Opens (creating or upgrading) the database `name` at `schema`; an older database
    /// whose records must be rewritten is upgraded by `records`, or, without it, left as it
    /// is (the error says [`StoreError::is_old_database`]).
    pub async fn open_upgrading(
        name: &str,
        schema: Schema,
        records: Option<RecordUpgrade>,
    ) -> Result<Store, StoreError> {
        let action = "Opening the database";
        // The upgrade works on IndexedDB's own upgrade transaction, which only the open
        // request gives: it is kept here before the upgrade event can fire.
        let request_cell: Rc<RefCell<Option<web_sys::IdbOpenDbRequest>>> = Rc::default();
        let failure: Rc<RefCell<Option<String>>> = Rc::default();
        let (cell, failed, steps) = (request_cell.clone(), failure.clone(), schema.clone());
        let request = Database::open(name)
            .with_version(schema.version())
            .with_on_upgrade_needed(move |event, _| {
                let old = event.old_version() as u32;
                let tx = cell.borrow().as_ref().and_then(|r| r.transaction());
                let Some(tx) = tx else {
                    return Err(JsValue::from_str("no upgrade transaction").into());
                };
                let fail = move |tx: &web_sys::IdbTransaction, e: String| {
                    *failed.borrow_mut() = Some(e);
                    crate::browser::idb::abort(tx);
                };
                match records {
                    Some(run) if upgrade::rewrites_records(&steps, old) => {
                        wasm_bindgen_futures::spawn_local(async move {
                            if let Err(e) = run(tx.clone(), steps, old).await {
                                fail(&tx, e);
                            }
                        });
                    }
                    None if upgrade::rewrites_records(&steps, old) => {
                        fail(&tx, OLD_RECORDS.to_string());
                    }
                    _ => {
                        if let Err(e) = upgrade::create_stores(&tx, &steps, old) {
                            fail(&tx, e);
                        }
                    }
                }
                Ok(())
            })
            .build()
            .ctx(action)?;
        *request_cell.borrow_mut() = Some(request.as_sys().clone());
        let db = request.await.map_err(|e| StoreError {
            action,
            detail: failure.borrow_mut().take().unwrap_or_else(|| e.to_string()),
        })?;
        Ok(Store {
            db,
            schema,
            listener: RefCell::new(None),
        })
    }

    /// The schema this database was opened at.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Calls `listener` after every committed write, with the stores written (one listener:
    /// a later call replaces it).
    pub fn on_write(&self, listener: impl Fn(&[&str]) + 'static) {
        *self.listener.borrow_mut() = Some(Rc::new(listener));
    }

    /// Commits `tx`, which wrote `stores`, and tells the listener.
    async fn commit(
        &self,
        tx: Transaction<'_>,
        stores: &[&str],
        action: &'static str,
    ) -> Result<(), StoreError> {
        tx.commit().await.ctx(action)?;
        self.wrote(stores);
        Ok(())
    }

    fn wrote(&self, stores: &[&str]) {
        let listener = self.listener.borrow().clone();
        if let Some(listener) = listener {
            listener(stores);
        }
    }

    /// A transaction over `stores`, read-write when `write`.
    fn tx<S: ObjectStoreName>(
        &self,
        stores: S,
        write: bool,
        action: &'static str,
    ) -> Result<Transaction<'_>, StoreError> {
        let mode = if write {
            TransactionMode::Readwrite
        } else {
            TransactionMode::Readonly
        };
        self.db
            .transaction(stores)
            .with_mode(mode)
            .build()
            .ctx(action)
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }

    /// All profiles, oldest first.
    pub async fn profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let action = "Reading profiles";
        let tx = self.tx(PROFILES, false, action)?;
        let mut all: Vec<Profile> = get_all(&tx, PROFILES, action).await?;
        sort_by_key(&mut all, |p| p.created);
        Ok(all)
    }

    /// Creates a profile with its settings and, for the demo, its first imports, all in
    /// one transaction.
    pub async fn create_profile(
        &self,
        profile: &Profile,
        settings: &ProfileSettings,
        seed: &[ImportVersion],
    ) -> Result<(), StoreError> {
        let action = "Creating the profile";
        let tx = self.tx([PROFILES, SETTINGS, IMPORTS], true, action)?;
        add(&tx, PROFILES, profile, action).await?;
        put(&tx, SETTINGS, settings, action).await?;
        for v in seed {
            add(&tx, IMPORTS, v, action).await?;
        }
        self.commit(tx, &[PROFILES, SETTINGS, IMPORTS], action)
            .await
    }

    /// Creates a profile with its settings and its first imports given as the JSON of their
    /// records (the demo's, recorded), all in one transaction.
    pub async fn create_profile_from_json(
        &self,
        profile: &Profile,
        settings: &ProfileSettings,
        versions_json: &str,
    ) -> Result<(), StoreError> {
        let action = "Creating the profile";
        let seed = crate::browser::idb::records_from_json(versions_json).ctx(action)?;
        let tx = self.tx([PROFILES, SETTINGS, IMPORTS], true, action)?;
        add(&tx, PROFILES, profile, action).await?;
        put(&tx, SETTINGS, settings, action).await?;
        for v in seed {
            tx.object_store(IMPORTS)
                .ctx(action)?
                .add(v)
                .primitive()
                .ctx(action)?
                .await
                .ctx(action)?;
        }
        self.commit(tx, &[PROFILES, SETTINGS, IMPORTS], action)
            .await
    }

    /// Renames a profile.
    pub async fn rename_profile(&self, id: &str, name: &str) -> Result<(), StoreError> {
        let action = "Renaming the profile";
        let tx = self.tx(PROFILES, true, action)?;
        let found: Option<Profile> = get(&tx, PROFILES, id, action).await?;
        let mut p = found.ok_or(StoreError {
            action,
            detail: "the profile no longer exists".into(),
        })?;
        p.name = name.to_string();
        put(&tx, PROFILES, &p, action).await?;
        self.commit(tx, &[PROFILES], action).await
    }

    /// A profile's settings (empty settings if none were saved).
    pub async fn settings(&self, profile_id: &str) -> Result<ProfileSettings, StoreError> {
        let action = "Reading settings";
        let tx = self.tx(SETTINGS, false, action)?;
        let found: Option<ProfileSettings> = get(&tx, SETTINGS, profile_id, action).await?;
        Ok(found.unwrap_or_else(|| ProfileSettings {
            profile_id: profile_id.to_string(),
            ..ProfileSettings::default()
        }))
    }

    /// Saves a profile's settings.
    pub async fn save_settings(&self, settings: &ProfileSettings) -> Result<(), StoreError> {
        let action = "Saving settings";
        let tx = self.tx(SETTINGS, true, action)?;
        put(&tx, SETTINGS, settings, action).await?;
        self.commit(tx, &[SETTINGS], action).await
    }

    /// A profile's import versions, newest first.
    pub async fn versions(&self, profile_id: &str) -> Result<Vec<ImportVersion>, StoreError> {
        let action = "Reading imports";
        let tx = self.tx(IMPORTS, false, action)?;
        let mut all: Vec<ImportVersion> = of_profile(&tx, IMPORTS, profile_id, action).await?;
        sort_by_key(&mut all, |v| std::cmp::Reverse(v.imported));
        Ok(all)
    }

    /// A profile's import versions as the app shows them (without their reports' details),
    /// newest first.
    pub async fn version_summaries(
        &self,
        profile_id: &str,
    ) -> Result<Vec<VersionSummary>, StoreError> {
        let action = "Reading imports";
        let tx = self.tx(IMPORTS, false, action)?;
        let mut all: Vec<VersionSummary> = of_profile(&tx, IMPORTS, profile_id, action).await?;
        sort_by_key(&mut all, |v| std::cmp::Reverse(v.imported));
        Ok(all)
    }

    /// A profile's snapshots, oldest first.
    pub async fn snapshots(&self, profile_id: &str) -> Result<Vec<Snapshot>, StoreError> {
        let action = "Reading snapshots";
        let tx = self.tx(SNAPSHOTS, false, action)?;
        let mut all: Vec<Snapshot> = of_profile(&tx, SNAPSHOTS, profile_id, action).await?;
        sort_by_key(&mut all, |s| s.at);
        Ok(all)
    }

    /// Saves a snapshot.
    pub async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let action = "Saving the snapshot";
        let tx = self.tx(SNAPSHOTS, true, action)?;
        add(&tx, SNAPSHOTS, snapshot, action).await?;
        self.commit(tx, &[SNAPSHOTS], action).await
    }

    /// Writes new import versions and the settings that make them active, in one
    /// transaction. A version id that already exists fails the whole commit.
    pub async fn commit_imports(
        &self,
        versions: &[ImportVersion],
        settings: &ProfileSettings,
    ) -> Result<(), StoreError> {
        let action = "Saving the import";
        let tx = self.tx([IMPORTS, SETTINGS], true, action)?;
        for v in versions {
            add(&tx, IMPORTS, v, action).await?;
        }
        put(&tx, SETTINGS, settings, action).await?;
        self.commit(tx, &[IMPORTS, SETTINGS], action).await
    }

    /// Deletes one import version and saves the settings that no longer point at it.
    pub async fn delete_version(
        &self,
        id: &str,
        settings: &ProfileSettings,
    ) -> Result<(), StoreError> {
        let action = "Deleting the import";
        let tx = self.tx([IMPORTS, SETTINGS], true, action)?;
        delete(&tx, IMPORTS, id, action).await?;
        put(&tx, SETTINGS, settings, action).await?;
        self.commit(tx, &[IMPORTS, SETTINGS], action).await
    }

    /// A profile's saved plans, newest first.
    pub async fn plans(&self, profile_id: &str) -> Result<Vec<SavedPlan>, StoreError> {
        let action = "Reading saved plans";
        let tx = self.tx(PLANS, false, action)?;
        let mut all: Vec<SavedPlan> = of_profile(&tx, PLANS, profile_id, action).await?;
        sort_by_key(&mut all, |p| std::cmp::Reverse(p.created()));
        Ok(all)
    }

    /// Saves a plan (a new one, or a state change of a saved one).
    pub async fn save_plan(&self, plan: &SavedPlan) -> Result<(), StoreError> {
        let action = "Saving the plan";
        let tx = self.tx(PLANS, true, action)?;
        put(&tx, PLANS, plan, action).await?;
        self.commit(tx, &[PLANS], action).await
    }

    /// Every cached spot price.
    pub async fn quotes(&self) -> Result<Vec<Quote>, StoreError> {
        let action = "Reading cached prices";
        let tx = self.tx(QUOTES, false, action)?;
        get_all(&tx, QUOTES, action).await
    }

    /// Caches spot prices (one record per asset, replaced by newer ones).
    pub async fn save_quotes(&self, quotes: &[Quote]) -> Result<(), StoreError> {
        let action = "Caching prices";
        let tx = self.tx(QUOTES, true, action)?;
        for q in quotes {
            put(&tx, QUOTES, q, action).await?;
        }
        self.commit(tx, &[QUOTES], action).await
    }

    /// Every stored daily series.
    pub async fn all_history(&self) -> Result<Vec<DailySeries>, StoreError> {
        let action = "Reading price history";
        let tx = self.tx(HISTORY, false, action)?;
        get_all(&tx, HISTORY, action).await
    }

    /// The daily series of an asset, if one was stored.
    pub async fn history(&self, key: &str) -> Result<Option<DailySeries>, StoreError> {
        let action = "Reading price history";
        let tx = self.tx(HISTORY, false, action)?;
        get(&tx, HISTORY, key, action).await
    }

    /// Stores an asset's daily series (one record per asset, not one per day).
    pub async fn save_history(&self, series: &DailySeries) -> Result<(), StoreError> {
        let action = "Saving price history";
        let tx = self.tx(HISTORY, true, action)?;
        put(&tx, HISTORY, series, action).await?;
        self.commit(tx, &[HISTORY], action).await
    }

    /// Reads an app-level value.
    pub async fn meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let action = "Reading app settings";
        let tx = self.tx(META, false, action)?;
        get(&tx, META, key, action).await
    }

    /// Writes an app-level value.
    pub async fn set_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let action = "Saving app settings";
        let tx = self.tx(META, true, action)?;
        tx.object_store(META)
            .ctx(action)?
            .put(value)
            .with_key(key.to_string())
            .serde()
            .ctx(action)?
            .await
            .ctx(action)?;
        self.commit(tx, &[META], action).await
    }
}

async fn get_all<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    store: &str,
    action: &'static str,
) -> Result<Vec<T>, StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .get_all()
        .serde()
        .ctx(action)?
        .await
        .ctx(action)?
        .collect::<Result<_, _>>()
        .ctx(action)
}

/// Records of one profile, through the store's `profile_id` index.
async fn of_profile<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    store: &str,
    profile_id: &str,
    action: &'static str,
) -> Result<Vec<T>, StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .index(BY_PROFILE)
        .ctx(action)?
        .get_all()
        .with_query(profile_id.to_string())
        .serde()
        .ctx(action)?
        .await
        .ctx(action)?
        .collect::<Result<_, _>>()
        .ctx(action)
}

async fn get<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
    action: &'static str,
) -> Result<Option<T>, StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .get(key.to_string())
        .serde()
        .ctx(action)?
        .await
        .ctx(action)
}

async fn put<T: Serialize>(
    tx: &Transaction<'_>,
    store: &str,
    value: &T,
    action: &'static str,
) -> Result<(), StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .put(value)
        .serde()
        .ctx(action)?
        .await
        .ctx(action)
}

/// Like [`put`], but fails when the key exists (so a colliding record aborts the transaction).
async fn add<T: Serialize>(
    tx: &Transaction<'_>,
    store: &str,
    value: &T,
    action: &'static str,
) -> Result<(), StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .add(value)
        .serde()
        .ctx(action)?
        .await
        .ctx(action)
}

async fn delete(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
    action: &'static str,
) -> Result<(), StoreError> {
    tx.object_store(store)
        .ctx(action)?
        .delete(key.to_string())
        .primitive()
        .ctx(action)?
        .await
        .ctx(action)
}

thread_local! {
    static SHARED: std::cell::RefCell<Option<std::rc::Rc<Store>>> = const { std::cell::RefCell::new(None) };
}

/// The app's database, opened once per page.
pub async fn shared() -> Result<std::rc::Rc<Store>, StoreError> {
    if let Some(s) = SHARED.with(|s| s.borrow().clone()) {
        return Ok(s);
    }
    let records = RECORD_UPGRADE.with(Cell::get);
    let store = std::rc::Rc::new(Store::open_upgrading(DB_NAME, Schema::app(), records).await?);
    SHARED.with(|s| *s.borrow_mut() = Some(store.clone()));
    Ok(store)
}

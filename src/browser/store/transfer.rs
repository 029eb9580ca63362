//! Every store at once, driven by the schema (`domain::records::migrations`), so a store
//! added by a later version is backed up, counted and restored with no change here: a dump
//! of the whole database or of one profile (the JSON records a backup carries), the
//! database's summary (what a restore preview compares with), a restore in one transaction,
//! and the removal of a profile's records from every store.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbObjectStore, IdbTransaction, IdbTransactionMode};

use super::{Context, Store, StoreError};
use crate::browser::files::Pacer;
use crate::browser::idb;
use crate::domain::backup::{ProfileSummary, Scope, Summary};
use crate::domain::records::migrations::{
    Owner, Records, StoreSpec, Tally, PROFILES, PROFILE_INDEX,
};
use crate::domain::records::restore::{count, weight, Coverage, Restore};
use indexed_db_futures::internals::SystemRepr;

/// Milliseconds of work between yields to the page while records are converted or written.
const SLICE_MS: f64 = 25.0;

fn js(e: JsValue) -> String {
    idb::error_text(&e)
}

impl Store {
    /// A raw transaction over `names`.
    fn raw_tx(&self, names: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, String> {
        let list: js_sys::Array = names.iter().map(|n| JsValue::from_str(n)).collect();
        self.db
            .as_sys()
            .transaction_with_str_sequence_and_mode(&list, mode)
            .map_err(js)
    }

    /// The stores a backup or restore covering `coverage` spans: every store for the whole
    /// database, the per-profile ones for a profile.
    fn covered(&self, coverage: &Coverage) -> Vec<&StoreSpec> {
        self.schema
            .stores()
            .filter(|s| *coverage == Coverage::Database || s.owner != Owner::Shared)
            .collect()
    }

    /// The records a backup covering `coverage` holds, as JSON, by store (empty stores
    /// left out): every record of every store, or the profile's records in every per-profile
    /// store (through the profile index where the store has one).
    pub async fn dump(&self, coverage: &Coverage) -> Result<Records, StoreError> {
        let action = "Reading the data to back up";
        let specs = self.covered(coverage);
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let tx = self
            .raw_tx(&names, IdbTransactionMode::Readonly)
            .ctx(action)?;
        let profile = match coverage {
            Coverage::Database => None,
            Coverage::Profile(id) => Some(id.as_str()),
        };
        let mut requests = Vec::with_capacity(specs.len());
        for spec in &specs {
            let store = tx.object_store(spec.name).map_err(js).ctx(action)?;
            requests.push(idb::read(&store, spec, profile).ctx(action)?);
        }
        let mut raw = Vec::with_capacity(specs.len());
        for r in requests {
            raw.push(idb::results(r).await.ctx(action)?);
        }
        let mut pacer = Pacer::new(SLICE_MS);
        let mut records = Records::new();
        for (spec, (values, keys)) in specs.iter().zip(raw) {
            let mut list = Vec::with_capacity(values.length() as usize);
            for record in idb::records_to_json(spec, values, keys) {
                let record = record.map_err(|e| format!("a record of “{}”: {e}", spec.name));
                let record = record.ctx(action)?;
                if profile.is_none_or(|id| spec.belongs(&record, id)) {
                    list.push(record);
                }
                pacer.tick().await;
            }
            if !list.is_empty() {
                records.insert(spec.name.to_string(), list);
            }
        }
        Ok(records)
    }

    /// Every profile here, with its accounts, transactions, imports and plans counted by
    /// each store's tally (counted through the profile index where possible).
    pub async fn summary(&self) -> Result<Summary, StoreError> {
        let action = "Reading what this browser holds";
        let tallied: Vec<&StoreSpec> = self
            .schema
            .stores()
            .filter(|s| s.tally != Tally::Nothing && s.owner == Owner::Profile)
            .collect();
        let mut names: Vec<&str> = tallied.iter().map(|s| s.name).collect();
        names.push(PROFILES);
        let tx = self
            .raw_tx(&names, IdbTransactionMode::Readonly)
            .ctx(action)?;
        let profiles_store = tx.object_store(PROFILES).map_err(js).ctx(action)?;
        let all = idb::settle(&profiles_store.get_all().map_err(js).ctx(action)?)
            .await
            .ctx(action)?;
        let mut profiles = Vec::new();
        for p in all.unchecked_into::<js_sys::Array>().to_vec() {
            let p = idb::to_json(p).ctx(action)?;
            if let Some(id) = p["id"].as_str() {
                profiles.push(ProfileSummary {
                    id: id.to_string(),
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    accounts: 0,
                    transactions: 0,
                    imports: 0,
                    plans: 0,
                });
            }
        }
        for spec in tallied {
            let store = tx.object_store(spec.name).map_err(js).ctx(action)?;
            let by_count = spec.indexed && !matches!(spec.tally, Tally::Transactions(Some(_)));
            if by_count {
                let index = store.index(PROFILE_INDEX).map_err(js).ctx(action)?;
                for p in &mut profiles {
                    let request = index
                        .count_with_key(&JsValue::from_str(&p.id))
                        .map_err(js)
                        .ctx(action)?;
                    let n = idb::settle(&request).await.ctx(action)?;
                    count(p, spec.tally, n.as_f64().unwrap_or(0.0) as u64);
                }
                continue;
            }
            let (values, keys) = idb::results(idb::read(&store, spec, None).ctx(action)?)
                .await
                .ctx(action)?;
            for record in idb::records_to_json(spec, values, keys) {
                let record = record.ctx(action)?;
                let owner = spec.owner_of(&record);
                if let Some(p) = profiles.iter_mut().find(|p| Some(p.id.as_str()) == owner) {
                    count(p, spec.tally, weight(spec.tally, &record));
                }
            }
        }
        Ok(Summary {
            scope: Scope::Database,
            profiles,
        })
    }

    /// Writes a prepared restore in one transaction: for the whole database every store is
    /// cleared, for a profile its records are removed from every per-profile store; then the
    /// file's records are written. Any failure aborts the transaction, leaving the database
    /// as it was. The records are converted before the transaction starts, and the writes
    /// are issued in slices so the page stays responsive.
    pub async fn restore(&self, restore: &Restore) -> Result<(), StoreError> {
        let action = "Restoring the backup";
        let mut pacer = Pacer::new(SLICE_MS);
        let mut converted = Vec::with_capacity(restore.records.len());
        for (name, list) in &restore.records {
            let spec = self
                .schema
                .store(name)
                .ok_or_else(|| format!("this database has no store “{name}”"))
                .ctx(action)?;
            let mut out = Vec::with_capacity(list.len());
            for record in list {
                out.push(idb::record_to_js(spec, record).ctx(action)?);
                pacer.tick().await;
            }
            converted.push((spec.name, out));
        }
        let specs = self.covered(&restore.coverage);
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let tx = self
            .raw_tx(&names, IdbTransactionMode::Readwrite)
            .ctx(action)?;
        let done = idb::completion(&tx);
        let written = async {
            for spec in &specs {
                let store = tx.object_store(spec.name).map_err(js)?;
                match &restore.coverage {
                    Coverage::Database => {
                        store.clear().map_err(js)?;
                    }
                    Coverage::Profile(id) => remove_profile(&store, spec, id).await?,
                }
            }
            let mut slice = Pacer::new(SLICE_MS);
            for (name, records) in &converted {
                let store = tx.object_store(name).map_err(js)?;
                for record in records {
                    let request = idb::put(&store, record)?;
                    // Let the browser run between slices; the transaction stays open as the
                    // next slice is issued from this request's success.
                    if slice.spent() {
                        idb::settle(&request).await?;
                    }
                }
            }
            Ok::<(), String>(())
        }
        .await;
        if let Err(e) = written {
            idb::abort(&tx);
            let _ = done.wait().await;
            return Err(e).ctx(action);
        }
        done.wait().await.ctx(action)?;
        self.wrote(&names);
        Ok(())
    }

    /// Deletes a profile and its records from every per-profile store, in one transaction.
    pub async fn delete_profile(&self, id: &str) -> Result<(), StoreError> {
        let action = "Deleting the profile";
        let coverage = Coverage::Profile(id.to_string());
        let specs = self.covered(&coverage);
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let tx = self
            .raw_tx(&names, IdbTransactionMode::Readwrite)
            .ctx(action)?;
        let done = idb::completion(&tx);
        let removed = async {
            for spec in &specs {
                let store = tx.object_store(spec.name).map_err(js)?;
                remove_profile(&store, spec, id).await?;
            }
            Ok::<(), String>(())
        }
        .await;
        if let Err(e) = removed {
            idb::abort(&tx);
            let _ = done.wait().await;
            return Err(e).ctx(action);
        }
        done.wait().await.ctx(action)?;
        self.wrote(&names);
        Ok(())
    }
}

/// Issues the deletion of every record of `store` belonging to the profile `id`.
async fn remove_profile(store: &IdbObjectStore, spec: &StoreSpec, id: &str) -> Result<(), String> {
    let key = JsValue::from_str(id);
    match spec.owner {
        Owner::Shared => Ok(()),
        Owner::Profiles => store.delete(&key).map(|_| ()).map_err(js),
        Owner::Profile if spec.indexed => {
            let index = store.index(PROFILE_INDEX).map_err(js)?;
            let keys = idb::settle(&index.get_all_keys_with_key(&key).map_err(js)?).await?;
            for k in keys.unchecked_into::<js_sys::Array>().iter() {
                store.delete(&k).map_err(js)?;
            }
            Ok(())
        }
        Owner::Profile => {
            let values = store.get_all().map_err(js)?;
            let keys = store.get_all_keys().map_err(js)?;
            let values: js_sys::Array = idb::settle(&values).await?.unchecked_into();
            let keys: js_sys::Array = idb::settle(&keys).await?.unchecked_into();
            for (value, k) in values.iter().zip(keys.iter()) {
                let record: Value = idb::to_json(value)?;
                // The key is not part of the value for out-of-line stores: wrap as the view.
                let record = match spec.key {
                    crate::domain::records::migrations::KeyPath::OutOfLine => {
                        serde_json::json!({ "value": record })
                    }
                    _ => record,
                };
                if spec.belongs(&record, id) {
                    store.delete(&k).map_err(js)?;
                }
            }
            Ok(())
        }
    }
}

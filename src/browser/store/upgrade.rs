//! The schema upgrade, inside IndexedDB's upgrade transaction: for each step after the
//! database's version, its stores created, then its records upgrade run on the stores it
//! names (read as JSON, rewritten whole). An error aborts the transaction: the database
//! stays at its old version with its old records.

use futures::future::LocalBoxFuture;
use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbTransaction};

use crate::browser::idb;
use crate::domain::records::migrations::{KeyPath, Records, Schema, StoreSpec, PROFILE_INDEX};

fn js(e: JsValue) -> String {
    idb::error_text(&e)
}

/// Whether bringing a database at version `old` to `schema`'s rewrites records (a new
/// database has none to carry).
pub(super) fn rewrites_records(schema: &Schema, old: u32) -> bool {
    old > 0
        && schema
            .steps()
            .iter()
            .any(|s| s.version > old && s.upgrade.is_some())
}

/// Creates the stores of every step after version `old`: the whole upgrade when no record is
/// rewritten ([`rewrites_records`]).
pub(super) fn create_stores(tx: &IdbTransaction, schema: &Schema, old: u32) -> Result<(), String> {
    let db = tx.db();
    for step in schema.steps().iter().filter(|s| s.version > old) {
        for spec in step.adds {
            create(&db, spec)?;
        }
    }
    Ok(())
}

/// [`run`], for [`super::RecordUpgrade`].
pub(super) fn run_boxed(
    tx: IdbTransaction,
    schema: Schema,
    old: u32,
) -> LocalBoxFuture<'static, Result<(), String>> {
    Box::pin(async move { run(&tx, &schema, old).await })
}

/// Brings a database at version `old` to `schema`'s version through `tx`, its upgrade
/// transaction.
pub(super) async fn run(tx: &IdbTransaction, schema: &Schema, old: u32) -> Result<(), String> {
    let db = tx.db();
    for step in schema.steps().iter().filter(|s| s.version > old) {
        for spec in step.adds {
            create(&db, spec)?;
        }
        // A new database has no records to carry.
        let Some(upgrade) = step.upgrade.filter(|_| old > 0) else {
            continue;
        };
        let mut records = Records::new();
        for name in upgrade.stores {
            let spec = spec_of(schema, name)?;
            let store = tx.object_store(name).map_err(js)?;
            let (values, keys) = idb::results(idb::read(&store, spec, None)?).await?;
            let list: Vec<Value> =
                idb::records_to_json(spec, values, keys).collect::<Result<_, _>>()?;
            records.insert(name.to_string(), list);
        }
        upgrade
            .run(step.version, &mut records)
            .map_err(|e| format!("the data could not be upgraded: {e}"))?;
        for name in upgrade.stores {
            let spec = spec_of(schema, name)?;
            let store = tx.object_store(name).map_err(js)?;
            store.clear().map_err(js)?;
            for record in records.get(*name).into_iter().flatten() {
                idb::put(&store, &idb::record_to_js(spec, record)?)?;
            }
        }
    }
    Ok(())
}

fn spec_of<'a>(schema: &'a Schema, name: &str) -> Result<&'a StoreSpec, String> {
    schema
        .store(name)
        .ok_or_else(|| format!("the upgrade names a store the schema lacks (“{name}”)"))
}

fn create(db: &IdbDatabase, spec: &StoreSpec) -> Result<(), String> {
    let params = IdbObjectStoreParameters::new();
    if let KeyPath::Field(field) = spec.key {
        params.set_key_path(&JsValue::from_str(field));
    }
    let store = db
        .create_object_store_with_optional_parameters(spec.name, &params)
        .map_err(js)?;
    if spec.indexed {
        store
            .create_index_with_str(PROFILE_INDEX, PROFILE_INDEX)
            .map_err(js)?;
    }
    Ok(())
}

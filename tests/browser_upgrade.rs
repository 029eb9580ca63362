//! Schema upgrades lose nothing (wasm-bindgen-test in headless Chromium, real IndexedDB).
//!
//! One generator per earlier schema version writes a database as that version's code laid it
//! out — its stores, key paths and indexes, created with raw IndexedDB calls — holding records
//! of that version's shape (field names and types as they were then: `created_ms` floats,
//! currencies as text, snapshot classes by label, v1's `active` flags…). Each database is
//! then opened with today's `Store`, and every record written must still be there, as
//! written (v1's imports lose only the flag the v2 upgrade moves into settings), and read
//! back by the app.
#![cfg(target_arch = "wasm32")]

use folio::browser::store::Store;
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::rebalance::model::{Market, PlanOptions, Position};
use folio::domain::rebalance::plan::plan;
use folio::domain::rebalance::saved::SavedPlan;
use folio::domain::rebalance::targets::Targets;
use folio::domain::records::migrations::SCHEMA_VERSION;
use folio::domain::records::restore::Coverage;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The stores schema `v` created: (name, key path — none for out-of-line keys — and whether
/// it has the `profile_id` index), as `browser::store` created them at that version.
fn layout(v: u32) -> Vec<(&'static str, Option<&'static str>, bool)> {
    let mut out = vec![
        ("profiles", Some("id"), false),
        ("imports", Some("id"), true),
    ];
    if v >= 2 {
        out.extend([
            ("settings", Some("profile_id"), false),
            ("meta", None, false),
        ]);
    }
    if v >= 3 {
        out.extend([
            ("quotes", Some("key"), false),
            ("history", Some("key"), false),
            ("snapshots", Some("id"), true),
        ]);
    }
    if v >= 4 {
        out.push(("plans", Some("id"), true));
    }
    out
}

/// One record as a version wrote it: its store, its key when out of line, its value.
type Written = (&'static str, Option<&'static str>, Value);

fn report() -> Value {
    json!({"file_name": "ct.csv", "format": "CoinTracking Balance by Exchange", "encoding": "UTF-8",
           "delimiter": ",", "header_line": 1, "rows_read": 3, "imported": 2, "skipped": 1,
           "skip_groups": [{"reason": {"BadNumber": {"column": "Amount"}}, "count": 1,
                            "lines": [4], "examples": ["abc"]}],
           "notes": [], "holdings": 2})
}

fn holdings() -> Value {
    json!([
        {"symbol": "BTC", "asset_class": "Crypto", "quantity": 0.5, "value": 21000.5,
         "currency": "USD", "price": null, "location": "Kraken"},
        {"symbol": "AAPL", "name": "Apple Inc.", "asset_class": "Stock", "quantity": 10.25,
         "value": null, "currency": "USD", "price": 190.5, "price_currency": "USD",
         "location": "Saxo", "venue": "XNAS"}
    ])
}

fn import(id: &str, ms: i64) -> Value {
    json!({"id": id, "profile_id": "p1", "source": "Crypto", "file_name": "ct.csv",
           "imported_ms": ms, "report": report(), "holdings": holdings()})
}

fn profile() -> Value {
    json!({"id": "p1", "name": "Alice", "created_ms": 1_700_000_000_000i64})
}

/// v1: profiles and imports, each import flagged `active`.
fn records_v1() -> Vec<Written> {
    let mut older = import("i1", 1_700_000_000_001);
    older["active"] = json!(true);
    let mut newer = import("i2", 1_700_000_000_002);
    newer["active"] = json!(false);
    vec![
        ("profiles", None, profile()),
        ("imports", None, older),
        ("imports", None, newer),
    ]
}

/// v2: the flags moved into a settings record per profile; app settings in `meta`.
fn settings_v2() -> Value {
    json!({"profile_id": "p1", "active": {"crypto": "i1"}, "group_overrides": {"ETH": "DeFi"},
           "mappings": [], "dust_min": 1.5,
           "manual": [{"symbol": "EUR", "asset_class": "Cash", "quantity": 1000.5, "value": null,
                       "currency": "EUR", "price": null, "location": "Bank"}]})
}

fn records_v2() -> Vec<Written> {
    vec![
        ("profiles", None, profile()),
        ("imports", None, import("i1", 1_700_000_000_001)),
        ("imports", None, import("i2", 1_700_000_000_002)),
        ("settings", None, settings_v2()),
        ("meta", Some("current_profile"), json!("p1")),
    ]
}

/// v3: prices and currency in the settings; the quote cache, daily history and snapshots
/// (classes by their labels then).
fn settings_v3() -> Value {
    let mut s = settings_v2();
    let extra = json!({"base_currency": "EUR", "pricing_mode": "Live",
        "crypto_sources": ["Binance", "CoinGecko", "Coinbase"], "twelvedata_key": "k3y",
        "id_overrides": {"coingecko:XYZ": "xyz-token"},
        "manual_prices": {"crypto:XYZ": {"key": "crypto:XYZ", "price": 0.25, "currency": "USD",
            "at_ms": 1_700_000_000_500i64, "change_24h_pct": null, "origin": "Manual"}}});
    s.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    s
}

fn records_v3() -> Vec<Written> {
    let mut out = records_v2();
    out[3] = ("settings", None, settings_v3());
    out.extend([
        (
            "quotes",
            None,
            json!({"key": "crypto:BTC", "price": 42000.5, "currency": "USD",
                   "at_ms": 1_700_000_000_100i64, "change_24h_pct": -1.25,
                   "origin": {"Provider": "CoinGecko"}}),
        ),
        (
            "history",
            None,
            json!({"key": "crypto:BTC", "currency": "USD", "source": "CoinGecko",
                   "points": [["2026-01-01", 41000.5], ["2026-01-02", 42000.5]]}),
        ),
        (
            "snapshots",
            None,
            json!({"id": "s1", "profile_id": "p1", "at_ms": 1_700_000_000_200i64,
                   "reason": "Import", "base": "USD", "total": 23950.75,
                   "by_group": {"BTC": 21000.5, "Stocks · USD": 2950.25},
                   "by_class": {"Crypto": 21000.5, "Stocks": 2950.25},
                   "holdings": [{"symbol": "BTC", "location": "Kraken", "quantity": 0.5,
                                 "value": 21000.5, "price": 42001.0, "origin": "CoinGecko"}]}),
        ),
        ("meta", Some("fx_history"), json!({"rates": {}})),
    ]);
    out
}

fn plan_v4() -> Value {
    let position = Position {
        symbol: "BTC".into(),
        alias: "BTC".into(),
        group: "BTC".into(),
        class: AssetClass::Crypto,
        location: "Kraken".into(),
        value: 21000.5,
        price: Some(42001.0),
        unknown: false,
    };
    let targets = Targets {
        classes: [(AssetClass::Crypto, 100.0)].into_iter().collect(),
        ..Targets::default()
    };
    let p = plan(
        &[position],
        &targets.validate().unwrap(),
        &PlanOptions::default(),
        &Market::new(Currency::USD),
    )
    .unwrap();
    let saved = SavedPlan::draft(
        "plan1".into(),
        "p1".into(),
        targets,
        p,
        Timestamp::from_millis(1_700_000_000_300),
    );
    serde_json::to_value(saved).unwrap()
}

/// v4 (today's shapes): targets and plan options in the settings, saved plans.
fn records_v4() -> Vec<Written> {
    let mut out = records_v3();
    let mut settings = settings_v3();
    settings["targets"] = json!({"classes": {"Crypto": 60.5, "Stocks": 39.5}});
    settings["plan_options"] = serde_json::to_value(PlanOptions::default()).unwrap();
    out[3] = ("settings", None, settings);
    out.push(("plans", None, plan_v4()));
    out
}

/// Writes database `name` at schema `v` with `records`, with raw IndexedDB calls.
async fn write_database(name: &str, v: u32, records: &[Written]) {
    Database::delete_by_name(name).unwrap().await.unwrap();
    let db = Database::open(name)
        .with_version(v)
        .with_on_upgrade_needed(move |_, db| {
            for (store, key_path, indexed) in layout(v) {
                let builder = db.create_object_store(store);
                let created = match key_path {
                    Some(k) => builder.with_key_path(k.into()).build()?,
                    None => builder.build()?,
                };
                if indexed {
                    created
                        .create_index("profile_id", "profile_id".into())
                        .build()?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
    let names: Vec<&str> = layout(v).into_iter().map(|(n, _, _)| n).collect();
    let tx = db
        .transaction(names)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    for (store, key, value) in records {
        let store = tx.object_store(store).unwrap();
        match key {
            Some(k) => {
                store
                    .put(value)
                    .with_key(k.to_string())
                    .serde()
                    .unwrap()
                    .await
                    .unwrap();
            }
            None => store.put(value).serde().unwrap().await.unwrap(),
        }
    }
    tx.commit().await.unwrap();
    db.close();
}

/// A JSON value as IndexedDB gives it back (integral numbers as integers, `null` kept).
fn as_stored(v: &Value) -> Value {
    let js = serde_wasm_bindgen::to_value(v).unwrap();
    serde_wasm_bindgen::from_value(js).unwrap()
}

/// Opens the database written at `v` with today's store and checks every record is there.
async fn opens_with_every_record(v: u32, records: Vec<Written>) {
    let name = format!("folio-test-schema-v{v}");
    write_database(&name, v, &records).await;
    let store = Store::open(&name).await.unwrap();
    assert_eq!(store.schema().version(), SCHEMA_VERSION);
    let now = store.dump(&Coverage::Database).await.unwrap();
    for (s, key, value) in &records {
        let mut expected = as_stored(value);
        if v == 1 && *s == "imports" {
            // The one change the v2 upgrade makes to an import.
            expected.as_object_mut().unwrap().remove("active");
        }
        let expected = match key {
            Some(k) => json!({"key": k, "value": expected}),
            None => expected,
        };
        let found = now.get(*s).is_some_and(|list| list.contains(&expected));
        assert!(found, "v{v}: {s} lost {expected}\nnow: {:?}", now.get(*s));
    }
    for (s, list) in &now {
        let written = records.iter().filter(|(w, _, _)| w == s).count();
        // v1 had no settings: the upgrade makes one for the profile.
        let made = usize::from(v == 1 && s == "settings");
        assert_eq!(list.len(), written + made, "v{v}: {s}");
    }
    // The app reads them.
    assert_eq!(store.profiles().await.unwrap()[0].name, "Alice");
    let settings = store.settings("p1").await.unwrap();
    assert_eq!(
        settings.active["crypto"], "i1",
        "v{v}: the flagged import stays active"
    );
    let versions = store.versions("p1").await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].holdings[1].venue.as_deref(), Some("XNAS"));
    if v >= 2 {
        assert_eq!(settings.manual[0].quantity, 1000.5);
        assert_eq!(
            store
                .meta::<String>("current_profile")
                .await
                .unwrap()
                .as_deref(),
            Some("p1")
        );
    }
    if v >= 3 {
        assert_eq!(settings.base_currency.to_string(), "EUR");
        assert_eq!(settings.manual_prices.len(), 1);
        assert_eq!(store.quotes().await.unwrap()[0].price, 42000.5);
        assert_eq!(store.all_history().await.unwrap()[0].points.len(), 2);
        let snaps = store.snapshots("p1").await.unwrap();
        assert_eq!(snaps[0].by_class[&AssetClass::Stock], 2950.25);
    }
    if v >= 4 {
        assert_eq!(settings.targets.classes[&AssetClass::Crypto], 60.5);
        assert_eq!(store.plans("p1").await.unwrap()[0].id, "plan1");
    }
    store.close();
    // Opening again changes nothing.
    let again = Store::open(&name).await.unwrap();
    assert_eq!(again.dump(&Coverage::Database).await.unwrap(), now);
    again.close();
}

#[wasm_bindgen_test]
async fn a_schema_v1_database_opens_with_every_record() {
    opens_with_every_record(1, records_v1()).await;
}

#[wasm_bindgen_test]
async fn a_schema_v2_database_opens_with_every_record() {
    opens_with_every_record(2, records_v2()).await;
}

#[wasm_bindgen_test]
async fn a_schema_v3_database_opens_with_every_record() {
    opens_with_every_record(3, records_v3()).await;
}

#[wasm_bindgen_test]
async fn a_schema_v4_database_opens_with_every_record() {
    opens_with_every_record(4, records_v4()).await;
}

#[wasm_bindgen_test]
async fn an_upgrade_that_fails_leaves_the_old_database_as_it_was() {
    // A v1 import the v2 rule cannot read (an unknown source): the upgrade aborts, the
    // database stays at v1 with its records, and the error names the record.
    let name = "folio-test-schema-broken";
    let mut records = records_v1();
    records[2].2["source"] = json!("Boat");
    write_database(name, 1, &records).await;
    let err = Store::open(name).await.err().unwrap();
    assert!(
        err.detail
            .contains("import record 2 (\"i2\") cannot be read"),
        "{}",
        err.detail
    );
    let db = Database::open(name).await.unwrap();
    assert_eq!(db.version(), 1.0);
    assert_eq!(
        db.object_store_names().collect::<Vec<_>>(),
        ["imports", "profiles"]
    );
    db.close();
}

#[wasm_bindgen_test]
async fn a_module_without_record_upgrades_leaves_an_old_database_to_one_with_them() {
    use folio::domain::records::migrations::Schema;
    // The first page's module opens without the record upgrades (they are the whole app's):
    // a v1 database is left as it was and the error says why; opened with them, it upgrades.
    let name = "folio-test-schema-v1-handed-over";
    write_database(name, 1, &records_v1()).await;
    let err = Store::open_upgrading(name, Schema::app(), None)
        .await
        .err()
        .unwrap();
    assert!(err.is_old_database(), "{}", err.detail);
    let db = Database::open(name).await.unwrap();
    assert_eq!(db.version(), 1.0);
    assert_eq!(
        db.object_store_names().collect::<Vec<_>>(),
        ["imports", "profiles"]
    );
    db.close();
    let store = Store::open(name).await.unwrap();
    assert_eq!(store.settings("p1").await.unwrap().active["crypto"], "i1");
    store.close();
    // A database with nothing to rewrite (v3: its upgrade only adds a store) opens without
    // them, and so does a new one.
    write_database("folio-test-schema-v3-light", 3, &records_v3()).await;
    let light = Store::open_upgrading("folio-test-schema-v3-light", Schema::app(), None)
        .await
        .unwrap();
    assert_eq!(light.plans("p1").await.unwrap().len(), 0);
    light.close();
    let fresh = Store::open_upgrading("folio-test-schema-new-light", Schema::app(), None)
        .await
        .unwrap();
    assert_eq!(fresh.schema().version(), SCHEMA_VERSION);
    fresh.close();
}

//! Browser tests (wasm-bindgen-test in headless Chromium, real IndexedDB) of backups: a dump
//! of every store written to a `.folio` file and restored into another database gives the
//! same records (bytes as bytes); a one-profile restore replaces that profile and nothing
//! else; a restore that fails part-way changes nothing; a file sealed through WebCrypto opens
//! with its passphrase only.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use folio::browser::crypto::WebCrypto;
use folio::browser::store::Store;
use folio::domain::backup::{self, Backup, BackupError, FileKey};
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::dashboard::{Snapshot, SnapshotReason};
use folio::domain::holding::{AssetClass, SourceKind};
use folio::domain::import::{import_bytes, ImportOptions};
use folio::domain::prices::history::DailySeries;
use folio::domain::prices::{PriceOrigin, Provider, Quote};
use folio::domain::rebalance::model::{Market, PlanOptions, Position};
use folio::domain::rebalance::plan::plan;
use folio::domain::rebalance::saved::SavedPlan;
use folio::domain::rebalance::targets::Targets;
use folio::domain::records::migrations::{Records, Schema, Step, StoreSpec, Tally};
use folio::domain::records::restore::{prepare, summarise, Coverage, Restore};
use folio::domain::records::{ImportVersion, Profile, ProfileSettings};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A ledger-like store of chunk records holding bytes, as a later schema adds one.
const CHUNKS: [StoreSpec; 1] = [StoreSpec::per_profile(
    "chunks",
    Tally::Transactions(Some("count")),
)];

fn schema() -> Schema {
    Schema::app()
        .with_step(Step {
            version: 5,
            adds: &CHUNKS,
            upgrade: None,
        })
        .unwrap()
}

async fn fresh(name: &str) -> Store {
    Database::delete_by_name(name).unwrap().await.unwrap();
    Store::open_with(name, schema()).await.unwrap()
}

fn version(id: &str, profile_id: &str, symbol: &str) -> ImportVersion {
    let csv = format!("Symbol,Quantity,Value\n{symbol},1.5,100\n");
    let out = import_bytes("f.csv", csv.into_bytes(), &ImportOptions::default())
        .unwrap()
        .unwrap();
    ImportVersion {
        id: id.into(),
        profile_id: profile_id.into(),
        source: SourceKind::Crypto,
        file_name: format!("{symbol}.csv"),
        imported: Timestamp::from_millis(1_700_000_000_000),
        report: out.report,
        holdings: out.holdings,
    }
}

fn saved_plan(id: &str, profile_id: &str) -> SavedPlan {
    let position = Position {
        symbol: "BTC".into(),
        alias: "BTC".into(),
        group: "BTC".into(),
        class: AssetClass::Crypto,
        location: "Binance".into(),
        value: 1000.0,
        price: Some(50_000.0),
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
    SavedPlan::draft(
        id.into(),
        profile_id.into(),
        targets,
        p,
        Timestamp::from_millis(1),
    )
}

fn snapshot(id: &str, profile_id: &str) -> Snapshot {
    Snapshot {
        id: id.into(),
        profile_id: profile_id.into(),
        at: Timestamp::from_millis(5),
        reason: SnapshotReason::OnDemand,
        base: Currency::USD,
        total: 150.0,
        by_group: [("BTC".to_string(), 150.0)].into_iter().collect(),
        by_class: Default::default(),
        holdings: vec![],
    }
}

fn quote(symbol: &str, price: f64) -> Quote {
    Quote {
        key: format!("crypto:{symbol}").parse().unwrap(),
        price,
        currency: Currency::USD,
        at: Timestamp::from_millis(9),
        change_24h_pct: None,
        origin: PriceOrigin::Provider(Provider::CoinGecko),
    }
}

/// Two profiles with an import, a snapshot and a plan each, settings with a group override
/// and a manual entry, a cached quote and a series, app settings, and a chunk of bytes per
/// profile.
async fn populate(name: &str, store: &Store) {
    for (id, symbol) in [("a", "BTC"), ("b", "ETH")] {
        let profile = Profile {
            id: id.into(),
            name: format!("Profile {id}"),
            created: Timestamp::from_millis(1),
            demo: false,
        };
        let mut settings = ProfileSettings {
            profile_id: id.into(),
            ..ProfileSettings::default()
        };
        settings.active.insert("crypto".into(), format!("{id}-1"));
        settings
            .group_overrides
            .insert("$WEIRD".into(), "DeFi".into());
        store
            .create_profile(
                &profile,
                &settings,
                &[version(&format!("{id}-1"), id, symbol)],
            )
            .await
            .unwrap();
        store
            .save_snapshot(&snapshot(&format!("s-{id}"), id))
            .await
            .unwrap();
        store
            .save_plan(&saved_plan(&format!("plan-{id}"), id))
            .await
            .unwrap();
    }
    store.save_quotes(&[quote("BTC", 50_000.0)]).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    store
        .save_history(&DailySeries::new(
            "crypto:BTC".parse().unwrap(),
            Currency::USD,
            "CoinGecko",
            vec![(day, 42_000.5)],
        ))
        .await
        .unwrap();
    store
        .set_meta("current_profile", &"b".to_string())
        .await
        .unwrap();
    // The chunks, written as a ledger's would be: `data` a Uint8Array.
    let db = Database::open(name).with_version(5u32).await.unwrap();
    let tx = db
        .transaction("chunks")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    for id in ["a", "b"] {
        let record = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&record, &k.into(), &v).unwrap();
        set("id", format!("{id}/000000").into());
        set("profile_id", id.into());
        set("count", 3.into());
        set(
            "data",
            js_sys::Uint8Array::from(&[0x46u8, 0x4c, 0, 255][..]).into(),
        );
        tx.object_store("chunks")
            .unwrap()
            .put(JsValue::from(record))
            .primitive()
            .unwrap()
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

fn backup_of(store: &Store, coverage: &Coverage, stores: Records) -> Backup {
    Backup {
        app_version: "test".into(),
        schema_version: store.schema().version(),
        written: Timestamp::from_millis(1_800_000_000_000),
        summary: summarise(store.schema(), coverage, &stores),
        stores,
    }
}

#[wasm_bindgen_test]
async fn a_whole_database_restored_elsewhere_holds_the_same_records() {
    let src = fresh("folio-test-backup-src").await;
    populate("folio-test-backup-src", &src).await;
    let dumped = src.dump(&Coverage::Database).await.unwrap();
    // Every store, every record: 2 profiles, 2 settings, 2 imports, 2 snapshots, 2 plans,
    // 1 quote, 1 series, 1 meta, 2 chunks.
    let sizes: Vec<(&str, usize)> = dumped.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
    assert_eq!(
        sizes,
        [
            ("chunks", 2),
            ("history", 1),
            ("imports", 2),
            ("meta", 1),
            ("plans", 2),
            ("profiles", 2),
            ("quotes", 1),
            ("settings", 2),
            ("snapshots", 2)
        ]
    );
    // Bytes stored as a Uint8Array come out tagged (an array of numbers would not); "$"
    // keys are escaped.
    assert_eq!(dumped["chunks"][0]["data"], json!({"$bytes": "RkwA/w=="}));
    assert_eq!(
        dumped["meta"][0],
        json!({"key": "current_profile", "value": "b"})
    );
    assert_eq!(
        dumped["settings"][0]["group_overrides"],
        json!({"$$WEIRD": "DeFi"})
    );

    let bytes = backup::encode(&backup_of(&src, &Coverage::Database, dumped.clone())).unwrap();
    let restore = prepare(&schema(), backup::decode_plain(&bytes).unwrap()).unwrap();
    let totals = restore.summary.totals();
    assert_eq!(
        (
            totals.profiles,
            totals.imports,
            totals.plans,
            totals.transactions
        ),
        (2, 2, 2, 6)
    );

    // The destination holds another profile, which the whole-database restore removes.
    let dst = fresh("folio-test-backup-dst").await;
    let (z, zs) = (
        Profile {
            id: "z".into(),
            name: "Z".into(),
            created: Timestamp::from_millis(3),
            demo: false,
        },
        ProfileSettings {
            profile_id: "z".into(),
            ..ProfileSettings::default()
        },
    );
    dst.create_profile(&z, &zs, &[version("z-1", "z", "DOGE")])
        .await
        .unwrap();
    dst.restore(&restore).await.unwrap();
    assert_eq!(dst.dump(&Coverage::Database).await.unwrap(), dumped);
    // And the app reads them back as it wrote them.
    for id in ["a", "b"] {
        assert_eq!(
            dst.versions(id).await.unwrap(),
            src.versions(id).await.unwrap()
        );
        assert_eq!(
            dst.settings(id).await.unwrap(),
            src.settings(id).await.unwrap()
        );
        assert_eq!(dst.plans(id).await.unwrap(), src.plans(id).await.unwrap());
        assert_eq!(
            dst.snapshots(id).await.unwrap(),
            src.snapshots(id).await.unwrap()
        );
    }
    assert!(dst.versions("z").await.unwrap().is_empty());
    assert_eq!(dst.quotes().await.unwrap(), src.quotes().await.unwrap());
    assert_eq!(
        dst.all_history().await.unwrap(),
        src.all_history().await.unwrap()
    );
    assert_eq!(
        dst.meta::<String>("current_profile")
            .await
            .unwrap()
            .as_deref(),
        Some("b")
    );
}

#[wasm_bindgen_test]
async fn a_profile_restore_replaces_that_profile_and_nothing_else() {
    let name = "folio-test-backup-profile";
    let store = fresh(name).await;
    populate(name, &store).await;
    let a = Coverage::Profile("a".into());
    let dumped = store.dump(&a).await.unwrap();
    // The profile's records in every per-profile store, no shared cache.
    assert_eq!(
        dumped.keys().collect::<Vec<_>>(),
        [
            "chunks",
            "imports",
            "plans",
            "profiles",
            "settings",
            "snapshots"
        ]
    );
    assert!(dumped
        .values()
        .flatten()
        .all(|r| { r["profile_id"] == "a" || (r["id"] == "a" && r.get("profile_id").is_none()) }));
    let bytes = backup::encode(&backup_of(&store, &a, dumped.clone())).unwrap();

    // Both profiles change after the backup; so does the shared cache.
    store.rename_profile("a", "Renamed").await.unwrap();
    store.save_plan(&saved_plan("plan-a2", "a")).await.unwrap();
    store.save_plan(&saved_plan("plan-b2", "b")).await.unwrap();
    store.save_quotes(&[quote("ETH", 3_000.0)]).await.unwrap();
    let b_before = store.dump(&Coverage::Profile("b".into())).await.unwrap();

    let restore = prepare(store.schema(), backup::decode_plain(&bytes).unwrap()).unwrap();
    store.restore(&restore).await.unwrap();
    assert_eq!(
        store.dump(&a).await.unwrap(),
        dumped,
        "a as it was backed up"
    );
    assert_eq!(store.profiles().await.unwrap()[0].name, "Profile a");
    assert_eq!(
        store.dump(&Coverage::Profile("b".into())).await.unwrap(),
        b_before,
        "b untouched"
    );
    assert_eq!(
        store.quotes().await.unwrap().len(),
        2,
        "the cache untouched"
    );
}

#[wasm_bindgen_test]
async fn a_restore_that_fails_part_way_changes_nothing() {
    let name = "folio-test-backup-atomic";
    let store = fresh(name).await;
    populate(name, &store).await;
    let before = store.dump(&Coverage::Database).await.unwrap();
    for coverage in [Coverage::Database, Coverage::Profile("a".into())] {
        // Records of the stores written first are fine; the last store's record has no key
        // (a restore bypassing `prepare`'s checks), so IndexedDB refuses it after the clears,
        // the deletions and the other writes were issued.
        let mut records = store.dump(&Coverage::Profile("a".into())).await.unwrap();
        records.get_mut("plans").unwrap()[0]["id"] = json!("new-plan");
        records
            .get_mut("snapshots")
            .unwrap()
            .push(json!({"profile_id": "a", "total": 1.0}));
        let restore = Restore {
            coverage: coverage.clone(),
            summary: summarise(store.schema(), &coverage, &records),
            records,
            written: Timestamp::from_millis(0),
            written_at_version: 5,
            app_version: "test".into(),
        };
        let err = store.restore(&restore).await.unwrap_err();
        assert_eq!(err.action, "Restoring the backup");
        assert!(err.detail.starts_with("DataError"), "{}", err.detail);
        assert_eq!(
            store.dump(&Coverage::Database).await.unwrap(),
            before,
            "{coverage:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_file_sealed_through_webcrypto_opens_with_its_passphrase_only() {
    let name = "folio-test-backup-sealed";
    let store = fresh(name).await;
    populate(name, &store).await;
    let a = Coverage::Profile("a".into());
    let original = backup_of(&store, &a, store.dump(&a).await.unwrap());
    let web = WebCrypto::new().unwrap();
    let key = FileKey::create(&web, "a long passphrase", 600_000)
        .await
        .unwrap();
    let bytes = backup::encode_sealed_with(&original, &web, &key)
        .await
        .unwrap();
    assert!(backup::inspect(&bytes).unwrap().sealed);
    assert_eq!(
        backup::decode(&bytes, &web, Some("a long passphrase!")).await,
        Err(BackupError::WrongPassphrase)
    );
    assert_eq!(
        backup::decode(&bytes, &web, Some("a long passphrase"))
            .await
            .unwrap(),
        original
    );
}

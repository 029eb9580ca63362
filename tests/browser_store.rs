//! Browser tests (wasm-bindgen-test in headless Chromium, real IndexedDB): atomic import
//! commits, isolation between profiles (imports, snapshots, plans), opening a database
//! written by schema v1, and the demo's recorded records stored as typed ones are.
#![cfg(target_arch = "wasm32")]

use folio::browser::store::{Store, StoreError};
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::holding::{AssetClass, SourceKind};
use folio::domain::import::{import_bytes, ImportOptions};
use folio::domain::rebalance::model::{Market, PlanOptions, Position};
use folio::domain::rebalance::plan::plan;
use folio::domain::rebalance::saved::{PlanState, SavedPlan};
use folio::domain::rebalance::targets::Targets;
use folio::domain::records::migrations::ImportVersionV1;
use folio::domain::records::{ImportVersion, Profile, ProfileSettings};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Store {
    Database::delete_by_name(name).unwrap().await.unwrap();
    Store::open(name).await.unwrap()
}

fn profile(id: &str) -> (Profile, ProfileSettings) {
    (
        Profile {
            id: id.into(),
            name: format!("Profile {id}"),
            created: Timestamp::from_millis(1),
            demo: false,
        },
        ProfileSettings {
            profile_id: id.into(),
            ..ProfileSettings::default()
        },
    )
}

fn version(id: &str, profile_id: &str, symbol: &str, ms: i64) -> ImportVersion {
    let csv = format!("Symbol,Quantity,Value\n{symbol},1,100\n");
    let out = import_bytes("f.csv", csv.into_bytes(), &ImportOptions::default())
        .unwrap()
        .unwrap();
    ImportVersion {
        id: id.into(),
        profile_id: profile_id.into(),
        source: SourceKind::Crypto,
        file_name: format!("{symbol}.csv"),
        imported: Timestamp::from_millis(ms),
        report: out.report,
        holdings: out.holdings,
    }
}

#[wasm_bindgen_test]
async fn a_failed_import_commit_leaves_earlier_data_untouched() {
    let store = fresh("folio-test-atomic").await;
    let (p, s) = profile("p");
    store.create_profile(&p, &s, &[]).await.unwrap();
    let first = version("v1", "p", "BTC", 1);
    let mut s1 = s.clone();
    s1.active.insert("crypto".into(), "v1".into());
    store
        .commit_imports(std::slice::from_ref(&first), &s1)
        .await
        .unwrap();

    // A commit whose second record collides with an existing one must fail as a whole:
    // neither the new version nor the new settings land.
    let mut s2 = s1.clone();
    s2.active.insert("crypto".into(), "v2".into());
    s2.group_overrides.insert("ETH".into(), "DeFi".into());
    let err: StoreError = store
        .commit_imports(
            &[version("v2", "p", "ETH", 2), version("v1", "p", "DOGE", 3)],
            &s2,
        )
        .await
        .unwrap_err();
    assert_eq!(err.action, "Saving the import");

    let versions = store.versions("p").await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0], first);
    let settings = store.settings("p").await.unwrap();
    assert_eq!(settings, s1);
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
    let plan = plan(
        &[position],
        &targets.validate().unwrap(),
        &PlanOptions::default(),
        &Market::new(folio::domain::currency::Currency::USD),
    )
    .unwrap();
    SavedPlan::draft(
        id.into(),
        profile_id.into(),
        targets,
        plan,
        Timestamp::from_millis(1),
    )
}

#[wasm_bindgen_test]
async fn profiles_see_only_their_own_data_and_delete_only_theirs() {
    let store = fresh("folio-test-isolation").await;
    for id in ["a", "b"] {
        let (p, mut s) = profile(id);
        s.active.insert("crypto".into(), format!("{id}-1"));
        store
            .create_profile(
                &p,
                &s,
                &[version(
                    &format!("{id}-1"),
                    id,
                    if id == "a" { "BTC" } else { "ETH" },
                    1,
                )],
            )
            .await
            .unwrap();
    }
    let a = store.versions("a").await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].holdings[0].symbol, "BTC");
    assert!(store
        .versions("b")
        .await
        .unwrap()
        .iter()
        .all(|v| v.profile_id == "b"));

    let snap = folio::domain::dashboard::Snapshot {
        id: "s-a".into(),
        profile_id: "a".into(),
        at: Timestamp::from_millis(1),
        reason: folio::domain::dashboard::SnapshotReason::OnDemand,
        base: Currency::USD,
        total: 1.0,
        by_group: Default::default(),
        by_class: Default::default(),
        holdings: vec![],
    };
    store.save_snapshot(&snap).await.unwrap();
    assert_eq!(store.snapshots("a").await.unwrap(), vec![snap]);
    assert!(store.snapshots("b").await.unwrap().is_empty());

    // Plans: saved per profile, state changes replace the record and keep its history.
    let mut saved = saved_plan("plan-a", "a");
    store.save_plan(&saved).await.unwrap();
    saved
        .transition(PlanState::Approved, Timestamp::from_millis(2))
        .unwrap();
    store.save_plan(&saved).await.unwrap();
    let plans = store.plans("a").await.unwrap();
    assert_eq!(plans, vec![saved]);
    assert_eq!(plans[0].history.len(), 2);
    assert!(store.plans("b").await.unwrap().is_empty());

    store.delete_profile("a").await.unwrap();
    assert!(store.snapshots("a").await.unwrap().is_empty());
    assert!(store.plans("a").await.unwrap().is_empty());
    assert_eq!(
        store
            .profiles()
            .await
            .unwrap()
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
    assert!(store.versions("a").await.unwrap().is_empty());
    assert_eq!(store.settings("a").await.unwrap().active.len(), 0);
    assert_eq!(store.versions("b").await.unwrap().len(), 1);
    assert_eq!(store.settings("b").await.unwrap().active["crypto"], "b-1");

    store.rename_profile("b", "Renamed").await.unwrap();
    assert_eq!(store.profiles().await.unwrap()[0].name, "Renamed");
}

#[wasm_bindgen_test]
async fn opens_a_database_written_by_schema_v1_and_migrates_it() {
    let name = "folio-test-upgrade";
    Database::delete_by_name(name).unwrap().await.unwrap();
    // Write the database exactly as schema v1 laid it out: two stores, `active` flags on imports.
    let v1 = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("profiles")
                .with_key_path("id".into())
                .build()?;
            let imports = db
                .create_object_store("imports")
                .with_key_path("id".into())
                .build()?;
            imports
                .create_index("profile_id", "profile_id".into())
                .build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = v1
        .transaction(["profiles", "imports"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("profiles")
        .unwrap()
        .put(profile("old").0)
        .serde()
        .unwrap()
        .await
        .unwrap();
    let imports = tx.object_store("imports").unwrap();
    let older = ImportVersionV1 {
        version: version("i1", "old", "BTC", 1),
        active: true,
    };
    let newer = ImportVersionV1 {
        version: version("i2", "old", "ETH", 2),
        active: false,
    };
    imports.put(&older).serde().unwrap().await.unwrap();
    imports.put(&newer).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    v1.close();

    let store = Store::open(name).await.unwrap();
    assert_eq!(store.profiles().await.unwrap()[0].name, "Profile old");
    let settings = store.settings("old").await.unwrap();
    assert_eq!(
        settings.active["crypto"], "i1",
        "the flagged version stays active"
    );
    let versions = store.versions("old").await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0], newer.version);
    // The new stores work.
    store
        .set_meta("current_profile", &"old".to_string())
        .await
        .unwrap();
    assert_eq!(
        store
            .meta::<String>("current_profile")
            .await
            .unwrap()
            .as_deref(),
        Some("old")
    );
    store.close();

    // Opening again is a no-op: the migration is idempotent.
    let again = Store::open(name).await.unwrap();
    assert_eq!(again.settings("old").await.unwrap(), settings);
}

/// The JS value `v`, structure and all: each object's own keys in their order (a key holding
/// `undefined` included), arrays item by item, other values by `Object.is`.
fn same_js(a: &wasm_bindgen::JsValue, b: &wasm_bindgen::JsValue, at: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    if a.is_object() && b.is_object() {
        let (a, b): (&js_sys::Object, &js_sys::Object) = (a.unchecked_ref(), b.unchecked_ref());
        let (ka, kb) = (js_sys::Object::keys(a), js_sys::Object::keys(b));
        let names = |k: &js_sys::Array| k.iter().filter_map(|x| x.as_string()).collect::<Vec<_>>();
        if names(&ka) != names(&kb) || js_sys::Array::is_array(a) != js_sys::Array::is_array(b) {
            return Err(format!("{at}: keys {:?} vs {:?}", names(&ka), names(&kb)));
        }
        for key in ka.iter() {
            let name = key.as_string().unwrap_or_default();
            same_js(
                &js_sys::Reflect::get(a, &key).unwrap(),
                &js_sys::Reflect::get(b, &key).unwrap(),
                &format!("{at}.{name}"),
            )?;
        }
        return Ok(());
    }
    if js_sys::Object::is(a, b) {
        Ok(())
    } else {
        Err(format!("{at}: {a:?} vs {b:?}"))
    }
}

#[wasm_bindgen_test]
async fn the_demo_written_from_recorded_json_is_stored_as_the_typed_versions_are() {
    use folio::domain::records::demo::{demo_profile, demo_versions};
    let at = Timestamp::from_millis(1_700_000_000_123);
    let ids = || {
        let mut n = 0;
        move || {
            n += 1;
            format!("v{n}")
        }
    };
    let (p, _) = profile("demo");
    let (settings, json) = demo_profile("demo", at, ids());
    let typed = fresh("folio-test-demo-typed").await;
    typed
        .create_profile(&p, &settings, &demo_versions("demo", at, ids()))
        .await
        .unwrap();
    typed.close();
    let from_json = fresh("folio-test-demo-json").await;
    from_json
        .create_profile_from_json(&p, &settings, &json)
        .await
        .unwrap();
    from_json.close();
    let mut stored = Vec::new();
    for name in ["folio-test-demo-typed", "folio-test-demo-json"] {
        let db = Database::open(name).await.unwrap();
        let tx = db
            .transaction("imports")
            .with_mode(TransactionMode::Readonly)
            .build()
            .unwrap();
        let all: Vec<wasm_bindgen::JsValue> = tx
            .object_store("imports")
            .unwrap()
            .get_all()
            .primitive()
            .unwrap()
            .await
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        drop(tx);
        stored.push(all);
        db.close();
    }
    assert_eq!(stored[0].len(), 2);
    assert_eq!(stored[1].len(), 2);
    for (typed, from_json) in stored[0].iter().zip(&stored[1]) {
        same_js(typed, from_json, "import").unwrap();
    }
    // The comparison sees what JSON cannot: a `None` is a key holding `undefined`.
    let price = js_sys::Reflect::get(
        &js_sys::Reflect::get(&stored[1][0], &"holdings".into())
            .unwrap()
            .unchecked_into::<js_sys::Array>()
            .get(0),
        &"price".into(),
    )
    .unwrap();
    assert!(price.is_undefined());
}

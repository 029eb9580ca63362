//! The benchmark page (not linked from the navigation): runs Folio's own work on seeded
//! synthetic data in this browser and shows the timings as JSON, for `make bench`
//! (`bench/browser.mjs` drives it, adds the JavaScript side and writes the results).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::browser::files::{js_error_text, yield_now};
use crate::browser::store::Store;
use crate::browser::worker::{import_file, ImportBytes, Imported};
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::jobs::import::ImportJob;
use crate::domain::jobs::risk::RiskJob;
use crate::domain::rebalance::model::{Market, PlanOptions, Policy};
use crate::domain::rebalance::plan::plan;
use crate::domain::rebalance::templates::{current_mix, from_template, GroupScope, Template};
use crate::domain::records::demo::demo_versions;
use crate::domain::records::{Profile, ProfileSettings};
use crate::domain::synthetic::{daily_history, positions, risk_inputs};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Median, min and max of timings in ms, and the timings in the order they were taken
/// (`bench/browser.mjs` pools the runs of several rounds).
fn summary(ms: Vec<f64>) -> serde_json::Value {
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.is_empty() {
        0.0
    } else {
        sorted[sorted.len() / 2]
    };
    serde_json::json!({
        "runs": ms.len(),
        "median_ms": median,
        "min_ms": sorted.first().copied().unwrap_or(0.0),
        "max_ms": sorted.last().copied().unwrap_or(0.0),
        "times_ms": ms,
    })
}

/// Plans for 2,000 holdings across 30 locations, 30 timed runs after 3 warm-ups.
async fn rebalance_bench() -> serde_json::Value {
    let ps = positions(2000, 30, 42);
    let flat =
        match from_template(Template::Balanced, &current_mix(&ps), GroupScope::All).validate() {
            Ok(f) => f,
            Err(e) => return serde_json::json!({ "error": e.to_string() }),
        };
    // The daily cap of 8 % (no longer the default) keeps the figure comparable.
    let opts = PlanOptions {
        policy: Policy {
            cap_daily_pct: Some(8.0),
            ..Policy::default()
        },
        ..PlanOptions::default()
    };
    let mut times = Vec::new();
    let mut actions = 0;
    for run in 0..33 {
        let t0 = now();
        let p = plan(&ps, &flat, &opts, &Market::new(Currency::USD));
        let dt = now() - t0;
        actions = p.map(|p| p.actions.len()).unwrap_or(0);
        if run >= 3 {
            times.push(dt);
        }
        yield_now().await;
    }
    let mut out = summary(times);
    out["holdings"] = 2000.into();
    out["locations"] = 30.into();
    out["actions"] = actions.into();
    out
}

/// The risk report for 100 assets × 1,826 days with 100,000 Monte Carlo paths
/// (`synthetic::risk_inputs`), computed by the risk Web Worker as the Risk page has it computed
/// (the job packed and sent, the report decoded), 3 timed runs after 1 warm-up.
async fn risk_bench(job: &RiskJob) -> serde_json::Value {
    let mut times = Vec::new();
    for run in 0..4 {
        let t0 = now();
        let r = crate::browser::worker::risk_report(job, |_| {}).await;
        let dt = now() - t0;
        if let Err(e) = r {
            return serde_json::json!({ "error": e });
        }
        if run >= 1 {
            times.push(dt);
        }
    }
    let mut out = summary(times);
    out["assets"] = 100.into();
    out["days"] = 1826.into();
    out["paths"] = 100_000.into();
    out
}

/// Folio's importer on each chosen file, as the app runs it: the bytes (in a JS
/// `Uint8Array`, as PapaParse gets them) go to the import worker, which copies them into its
/// memory, parses them and posts the outcome back (JSON, the holdings as typed arrays:
/// `domain::jobs::wire`); timed from the send to the
/// outcome in the page. `worker_ms` is the parsing alone, inside the worker. 1 warm-up,
/// then timed runs for at least 3 s and at least 5 runs: one round of `make bench`, which
/// alternates such rounds with criterion's (3 s) on the same file.
async fn import_bench(files: Vec<web_sys::File>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for file in files {
        let buffer = match JsFuture::from(file.array_buffer()).await {
            Ok(b) => js_sys::Uint8Array::new(&b),
            Err(e) => return serde_json::json!({ "error": js_error_text(&e) }),
        };
        let bytes = buffer.length() as f64;
        let (least_runs, least_ms) = (5, 3_000.0);
        let job = ImportJob {
            file_name: file.name(),
            ..ImportJob::default()
        };
        let mut times = Vec::new();
        let mut in_worker = Vec::new();
        let mut rows = 0;
        let mut holdings = 0;
        let mut timed_ms = 0.0;
        for run in 0.. {
            if run > least_runs && timed_ms >= least_ms {
                break;
            }
            let t0 = now();
            let r = import_file(&job, ImportBytes::Array(&buffer), |_| {}).await;
            let dt = now() - t0;
            match r {
                Ok(Imported::Done(o, worker_ms)) => {
                    rows = o.report.rows_read;
                    holdings = o.holdings.len();
                    if run > 0 {
                        in_worker.push(worker_ms);
                    }
                }
                Ok(Imported::NeedsMapping(_)) => {
                    return serde_json::json!({ "error": "the file needs a mapping" })
                }
                Err(e) => return serde_json::json!({ "error": e }),
            }
            if run > 0 {
                times.push(dt);
                timed_ms += dt;
            }
            yield_now().await;
        }
        let mut s = summary(times);
        s["bytes"] = bytes.into();
        s["rows"] = rows.into();
        s["holdings"] = holdings.into();
        s["mb_per_s"] = (bytes / 1e6 / (s["median_ms"].as_f64().unwrap_or(1.0) / 1e3)).into();
        s["worker"] = summary(in_worker);
        out.insert(file.name(), s);
    }
    serde_json::Value::Object(out)
}

/// IndexedDB through the app's store, in a database of its own (`folio-bench`, deleted
/// after): writes one import version of 100,000 positions and 200 daily series of 1,826
/// closes, then opens the database afresh and reads back what the app reads when it opens
/// (profiles, settings, import versions, snapshots, all price history). 3 runs each.
async fn storage_bench() -> serde_json::Value {
    const DB: &str = "folio-bench";
    let history = daily_history(200, 1826, 7);
    let series: Vec<_> = history.into_values().collect();
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    let mut read_back = (0, 0);
    for run in 0..3 {
        if let Err(e) = delete_database(DB).await {
            return serde_json::json!({ "error": e });
        }
        let profile = Profile {
            id: format!("bench-{run}"),
            name: "Bench".into(),
            created: Timestamp::from_millis(0),
            demo: false,
        };
        let settings = ProfileSettings {
            profile_id: profile.id.clone(),
            ..ProfileSettings::default()
        };
        let mut n = 0;
        let mut versions: Vec<_> = demo_versions(&profile.id, Timestamp::from_millis(0), || {
            n += 1;
            format!("v{n}")
        })
        .into_iter()
        .take(1)
        .collect();
        let mut settings = settings;
        for v in &versions {
            settings
                .active
                .insert(v.source.key().to_string(), v.id.clone());
        }
        versions[0].holdings = (0..100_000)
            .map(|i| {
                Holding::new(
                    &format!("TOK{i}"),
                    AssetClass::Crypto,
                    1.0 + f64::from(i) / 7.0,
                    Currency::USD,
                    &format!("Exchange {}", i % 30),
                )
            })
            .collect();
        let t0 = now();
        let written = async {
            let store = Store::open(DB).await?;
            store.create_profile(&profile, &settings, &[]).await?;
            store.commit_imports(&versions, &settings).await?;
            for s in &series {
                store.save_history(s).await?;
            }
            store.close();
            Ok::<_, crate::browser::store::StoreError>(())
        }
        .await;
        writes.push(now() - t0);
        if let Err(e) = written {
            return serde_json::json!({ "error": e.to_string() });
        }
        let t0 = now();
        let read = async {
            let store = Store::open(DB).await?;
            let profiles = store.profiles().await?;
            let id = profiles.first().map(|p| p.id.clone()).unwrap_or_default();
            let _ = store.settings(&id).await?;
            let versions = store.versions(&id).await?;
            let _ = store.snapshots(&id).await?;
            let history = store.all_history().await?;
            store.close();
            Ok::<_, crate::browser::store::StoreError>((
                versions.iter().map(|v| v.holdings.len()).sum::<usize>(),
                history.iter().map(|s| s.points.len()).sum::<usize>(),
            ))
        }
        .await;
        reads.push(now() - t0);
        match read {
            Ok(r) => read_back = r,
            Err(e) => return serde_json::json!({ "error": e.to_string() }),
        }
    }
    let _ = delete_database(DB).await;
    serde_json::json!({
        "write": summary(writes),
        "read": summary(reads),
        "positions": read_back.0,
        "history_points": read_back.1,
        "series": series.len(),
    })
}

/// Synthetic transaction-shaped records: `domain::ledger::Transaction`'s fields (a trade,
/// deposit or income with its legs, a fee, a value, an exchange id) and the profile's id, in
/// a bench-only store — the ledger's own store has not landed in the schema yet.
fn transaction_records(n: usize, profile_id: &str, seed: u64) -> Vec<serde_json::Value> {
    let mut rng = crate::domain::random::SplitMix64::new(seed);
    const ASSETS: [&str; 8] = ["BTC", "ETH", "SOL", "ADA", "DOT", "LINK", "AAPL", "VWCE"];
    (0..n)
        .map(|i| {
            let asset = ASSETS[rng.below(ASSETS.len() as u64) as usize];
            let quantity = (rng.below(1_000_000) as f64 + 1.0) / 1e4;
            let at = 1_600_000_000_000i64 + (i as i64) * 900_000;
            let kind = ["Trade", "Deposit", "Withdrawal"][i % 3];
            let mut tx = serde_json::json!({
                "id": format!("acct-{}:{:016x}", i % 10, rng.next_u64()),
                "profile_id": profile_id,
                "account_id": format!("acct-{}", i % 10),
                "at_ms": at,
                "kind": kind,
                "received": {"asset": asset, "class": "Crypto", "quantity": quantity},
                "fee": {"asset": "USD", "class": "Cash", "quantity": 0.25 + (i % 7) as f64 / 10.0},
                "value": {"amount": quantity * 1234.5, "currency": "USD"},
            });
            if i % 3 == 0 {
                tx["given"] = serde_json::json!({"asset": "USD", "class": "Cash", "quantity": quantity * 1234.5});
                tx["external_id"] = format!("{:019}", rng.next_u64() % 10_000_000_000_000_000_000).into();
            }
            tx
        })
        .collect()
}

/// Backup and restore of a profile with 100,000 transactions (synthetic records in a
/// bench-only `transactions` store, see [`transaction_records`]) and 200 daily series of
/// 1,826 closes, in a database of its own (`folio-bench-backup`, deleted after). Timed, 3
/// runs each: a one-profile backup (read, encode; the series are shared caches, not in it),
/// the same sealed (PBKDF2 600,000 rounds included), a whole-database backup (the profile
/// and the series), and the restore of each (decode, check, write in one transaction); with
/// the files' sizes.
async fn backup_bench() -> serde_json::Value {
    use crate::browser::crypto::WebCrypto;
    use crate::domain::backup::{self, Backup};
    use crate::domain::crypto::DEFAULT_ITERATIONS;
    use crate::domain::records::migrations::{Schema, Step, StoreSpec, Tally};
    use crate::domain::records::restore::{prepare, summarise, Coverage, Restore};

    const DB: &str = "folio-bench-backup";
    const TRANSACTIONS: [StoreSpec; 1] = [StoreSpec::per_profile(
        "transactions",
        Tally::Transactions(None),
    )];
    let schema = match Schema::app().with_step(Step {
        version: crate::domain::records::migrations::SCHEMA_VERSION + 1,
        adds: &TRANSACTIONS,
        upgrade: None,
    }) {
        Some(s) => s,
        None => return serde_json::json!({ "error": "the bench store's step is out of order" }),
    };
    let run = async {
        delete_database(DB).await?;
        let store = Store::open_with(DB, schema.clone())
            .await
            .map_err(|e| e.to_string())?;
        let profile = Profile {
            id: "bench".into(),
            name: "Bench".into(),
            created: Timestamp::from_millis(0),
            demo: false,
        };
        let settings = ProfileSettings {
            profile_id: profile.id.clone(),
            ..ProfileSettings::default()
        };
        let mut n = 0;
        let versions = demo_versions(&profile.id, Timestamp::from_millis(0), || {
            n += 1;
            format!("v{n}")
        });
        let mut settings = settings;
        for v in &versions {
            settings
                .active
                .insert(v.source.key().to_string(), v.id.clone());
        }
        store
            .create_profile(&profile, &settings, &versions)
            .await
            .map_err(|e| e.to_string())?;
        for s in daily_history(200, 1826, 7).values() {
            store.save_history(s).await.map_err(|e| e.to_string())?;
        }
        let coverage = Coverage::Profile(profile.id.clone());
        let mut records = store.dump(&coverage).await.map_err(|e| e.to_string())?;
        records.insert(
            "transactions".into(),
            transaction_records(100_000, &profile.id, 42),
        );
        let seed = Restore {
            coverage: coverage.clone(),
            summary: summarise(&schema, &coverage, &records),
            records,
            written: Timestamp::from_millis(0),
            written_at_version: schema.version(),
            app_version: "bench".into(),
        };
        store.restore(&seed).await.map_err(|e| e.to_string())?;
        let web = WebCrypto::new().map_err(|e| e.to_string())?;
        let mut out = serde_json::Map::new();
        for (label, coverage) in [("profile", coverage), ("database", Coverage::Database)] {
            let (mut write, mut sealed, mut read, mut restore) = (vec![], vec![], vec![], vec![]);
            let (mut dump_ms, mut encode_ms) = (vec![], vec![]);
            let (mut bytes, mut sealed_bytes, mut records) = (0, 0, 0);
            for _ in 0..3 {
                let t0 = now();
                let stores = store.dump(&coverage).await.map_err(|e| e.to_string())?;
                let t1 = now();
                let b = Backup {
                    app_version: "bench".into(),
                    schema_version: schema.version(),
                    written: crate::browser::now(),
                    summary: summarise(&schema, &coverage, &stores),
                    stores,
                };
                let file = backup::encode(&b).map_err(|e| e.to_string())?;
                let t2 = now();
                write.push(t2 - t0);
                dump_ms.push(t1 - t0);
                encode_ms.push(t2 - t1);
                bytes = file.len();
                records = b.stores.values().map(Vec::len).sum();
                let t0 = now();
                let s = backup::encode_sealed(&b, &web, "bench passphrase", DEFAULT_ITERATIONS)
                    .await
                    .map_err(|e| e.to_string())?;
                sealed.push(now() - t0 + dump_ms.last().copied().unwrap_or(0.0));
                sealed_bytes = s.len();
                yield_now().await;
                let t0 = now();
                let decoded = backup::decode_plain(&file).map_err(|e| e.to_string())?;
                let prepared = prepare(&schema, decoded).map_err(|e| e.to_string())?;
                let t1 = now();
                store.restore(&prepared).await.map_err(|e| e.to_string())?;
                let t2 = now();
                read.push(t1 - t0);
                restore.push(t2 - t0);
                yield_now().await;
            }
            out.insert(
                label.into(),
                serde_json::json!({
                    "backup": summary(write),
                    "dump": summary(dump_ms),
                    "encode": summary(encode_ms),
                    "backup_sealed": summary(sealed),
                    "restore": summary(restore),
                    "decode_and_check": summary(read),
                    "bytes": bytes,
                    "sealed_bytes": sealed_bytes,
                    "records": records,
                }),
            );
        }
        store.close();
        Ok::<_, String>(out)
    }
    .await;
    let _ = delete_database(DB).await;
    match run {
        Ok(out) => {
            let mut doc = serde_json::Value::Object(out);
            doc["transactions"] = 100_000.into();
            doc["series"] = 200.into();
            doc["days"] = 1826.into();
            doc["note"] = "transactions are synthetic transaction-shaped JSON records in a bench-only store (the ledger store has not landed)".into();
            doc
        }
        Err(e) => serde_json::json!({ "error": e }),
    }
}

async fn delete_database(name: &str) -> Result<(), String> {
    indexed_db_futures::database::Database::delete_by_name(name)
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())
}

/// A part of the bench page's work.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Every part below (the importer when files are chosen).
    All,
    /// The importer on the chosen files.
    Import,
    /// The rebalancing plan.
    Rebalance,
    /// The risk report in its worker.
    Risk,
    /// IndexedDB writes and reads.
    Storage,
    /// Backup and restore.
    Backup,
}

impl Part {
    /// The part named by the address's `run=` parameter, if any.
    fn from_search(search: &str) -> Option<Part> {
        let name = search
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("run="))?;
        match name {
            "all" => Some(Part::All),
            "import" => Some(Part::Import),
            "rebalance" => Some(Part::Rebalance),
            "risk" => Some(Part::Risk),
            "storage" => Some(Part::Storage),
            "backup" => Some(Part::Backup),
            _ => None,
        }
    }

    fn includes(self, part: Part) -> bool {
        self == Part::All || self == part
    }
}

/// The bench page: `?run=all` (or `import`, `rebalance`, `risk`, `storage`, `backup`) runs that part
/// on load; the buttons run every part or one. The results show as JSON in
/// `#bench-results`, whose `data-run` counts the runs (a driver waits for its own run's).
#[component]
pub fn BenchPage() -> impl IntoView {
    let results = RwSignal::new(None::<(u32, String)>);
    let runs = StoredValue::new(0u32);
    let input = NodeRef::<leptos::html::Input>::new();
    let run = move |part: Part| {
        let files: Vec<web_sys::File> = input
            .get_untracked()
            .and_then(|i| i.files())
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        runs.update_value(|n| *n += 1);
        let this_run = runs.get_value();
        results.set(None);
        spawn_local(async move {
            let mut doc = serde_json::json!({});
            // Each phase's start and end (performance.now()), to match long tasks to it.
            let mut phases = serde_json::Map::new();
            let mut phase = |name: &str, t0: f64| {
                phases.insert(name.into(), serde_json::json!([t0, now()]));
            };
            if part.includes(Part::Import) && !files.is_empty() {
                let t0 = now();
                doc["import"] = import_bench(files).await;
                phase("import", t0);
            }
            if part.includes(Part::Rebalance) {
                let t0 = now();
                doc["rebalance_plan"] = rebalance_bench().await;
                phase("rebalance_plan", t0);
            }
            if part.includes(Part::Risk) {
                // The synthetic data is made before the phase (whose long tasks are the
                // risk runs'): the app reads its history from IndexedDB instead.
                let (assets, history, settings) = risk_inputs(100, 1826, 100_000, 42);
                let job = RiskJob {
                    assets,
                    history,
                    held: Vec::new(),
                    settings,
                };
                yield_now().await;
                let t0 = now();
                doc["risk_report_worker"] = risk_bench(&job).await;
                phase("risk_report_worker", t0);
            }
            if part.includes(Part::Storage) {
                let t0 = now();
                doc["storage"] = storage_bench().await;
                phase("storage", t0);
            }
            if part.includes(Part::Backup) {
                let t0 = now();
                doc["backup"] = backup_bench().await;
                phase("backup", t0);
            }
            doc["phases"] = serde_json::Value::Object(phases);
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            results.set(Some((this_run, text)));
        });
    };
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if let Some(part) = Part::from_search(&search) {
        run(part);
    }
    view! {
        <section aria-labelledby="bench-title">
            <h1 id="bench-title">"Benchmarks"</h1>
            <p class="muted">"Seeded synthetic data, timed in this browser with performance.now()."</p>
            <label for="bench-files">"Files for the importer (optional) "</label>
            <input type="file" id="bench-files" multiple node_ref=input/>
            <button type="button" id="bench-run" on:click=move |_| run(Part::All)>"Run all"</button>
            <button type="button" id="bench-import" on:click=move |_| run(Part::Import)>"Importer"</button>
            <button type="button" id="bench-rebalance" on:click=move |_| run(Part::Rebalance)>"Plan"</button>
            <button type="button" id="bench-risk" on:click=move |_| run(Part::Risk)>"Risk report"</button>
            <button type="button" id="bench-storage" on:click=move |_| run(Part::Storage)>"Storage"</button>
            <button type="button" id="bench-backup" on:click=move |_| run(Part::Backup)>"Backup"</button>
            {move || results.get().map(|(n, r)| view! { <pre id="bench-results" data-run=n>{r}</pre> })}
        </section>
    }
}

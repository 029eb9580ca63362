//! The benchmark page (not linked from the navigation): runs Folio's own work on seeded
//! synthetic data in this browser and shows the timings as JSON, for `make bench`
//! (`bench/browser.mjs` drives it, adds the JavaScript side and writes the results).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::browser::files::{js_error_text, yield_now};
use crate::browser::store::Store;
use crate::browser::worker::{import_file, ImportBytes, Imported};
use crate::domain::demo::demo_imports;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::import::job::ImportJob;
use crate::domain::rebalance::current_mix;
use crate::domain::rebalance::plan::{plan, PlanOptions};
use crate::domain::rebalance::targets::{from_template, Template};
use crate::domain::store::{plan_commit, Profile, ProfileSettings};
use crate::domain::synthetic::{daily_history, positions};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Median, min and max of timings in ms.
fn summary(mut ms: Vec<f64>) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    let median = if ms.is_empty() { 0.0 } else { ms[ms.len() / 2] };
    serde_json::json!({
        "runs": ms.len(),
        "median_ms": median,
        "min_ms": ms.first().copied().unwrap_or(0.0),
        "max_ms": ms.last().copied().unwrap_or(0.0),
    })
}

/// Plans for 2,000 holdings across 30 locations, 30 timed runs after 3 warm-ups.
async fn rebalance_bench() -> serde_json::Value {
    let ps = positions(2000, 30, 42);
    let flat = match from_template(Template::Balanced, &current_mix(&ps)).validate() {
        Ok(f) => f,
        Err(e) => return serde_json::json!({ "error": e.to_string() }),
    };
    let opts = PlanOptions::default();
    let mut times = Vec::new();
    let mut actions = 0;
    for run in 0..33 {
        let t0 = now();
        let p = plan(&ps, &flat, &opts, "USD");
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

/// The risk report for 100 assets × 1,826 days with 100,000 Monte Carlo paths, computed by
/// the risk Web Worker (job serialisation included), 3 timed runs after 1 warm-up.
async fn risk_bench() -> serde_json::Value {
    let job = crate::domain::synthetic::risk_job(100, 1826, 100_000, 42);
    let mut times = Vec::new();
    for run in 0..4 {
        let t0 = now();
        let r = crate::browser::worker::risk_report(&job, |_| {}).await;
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
/// `domain::import::wire`); timed from the send to the
/// outcome in the page. `worker_ms` is the parsing alone, inside the worker. 1 warm-up,
/// then 3 timed runs of a file over 20 MB; of a smaller one, timed runs for at least 5 s
/// (and at least 15), as criterion samples the native importer for at least 5 s.
async fn import_bench(files: Vec<web_sys::File>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for file in files {
        let buffer = match JsFuture::from(file.array_buffer()).await {
            Ok(b) => js_sys::Uint8Array::new(&b),
            Err(e) => return serde_json::json!({ "error": js_error_text(&e) }),
        };
        let bytes = buffer.length() as f64;
        let (least_runs, least_ms) = if bytes > 20e6 {
            (3, 0.0)
        } else {
            (15, 5_000.0)
        };
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
            created_ms: 0.0,
        };
        let settings = ProfileSettings {
            profile_id: profile.id.clone(),
            ..ProfileSettings::default()
        };
        let mut n = 0;
        let (mut versions, settings) = plan_commit(
            &settings,
            demo_imports().into_iter().take(1).collect(),
            0.0,
            || {
                n += 1;
                format!("v{n}")
            },
        );
        versions[0].holdings = (0..100_000)
            .map(|i| {
                Holding::new(
                    &format!("TOK{i}"),
                    AssetClass::Crypto,
                    1.0 + f64::from(i) / 7.0,
                    "USD",
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

async fn delete_database(name: &str) -> Result<(), String> {
    indexed_db_futures::database::Database::delete_by_name(name)
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())
}

/// The bench page: `?run=all` runs every benchmark (`?run=rebalance` only the plan); the
/// Run button also times the importer on the files chosen.
#[component]
pub fn BenchPage() -> impl IntoView {
    let results = RwSignal::new(None::<String>);
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let only_rebalance = search.contains("run=rebalance");
    let input = NodeRef::<leptos::html::Input>::new();
    let run = move || {
        let files: Vec<web_sys::File> = input
            .get_untracked()
            .and_then(|i| i.files())
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        spawn_local(async move {
            let mut doc = serde_json::json!({});
            // Each phase's start and end (performance.now()), to match long tasks to it.
            let mut phases = serde_json::Map::new();
            let mut phase = |name: &str, t0: f64| {
                phases.insert(name.into(), serde_json::json!([t0, now()]));
            };
            if !files.is_empty() {
                let t0 = now();
                doc["import"] = import_bench(files).await;
                phase("import", t0);
            }
            let t0 = now();
            doc["rebalance_plan"] = rebalance_bench().await;
            phase("rebalance_plan", t0);
            if !only_rebalance {
                let t0 = now();
                doc["risk_report_worker"] = risk_bench().await;
                phase("risk_report_worker", t0);
                let t0 = now();
                doc["storage"] = storage_bench().await;
                phase("storage", t0);
            }
            doc["phases"] = serde_json::Value::Object(phases);
            results.set(Some(serde_json::to_string_pretty(&doc).unwrap_or_default()));
        });
    };
    if search.contains("run=") {
        run();
    }
    view! {
        <section aria-labelledby="bench-title">
            <h1 id="bench-title">"Benchmarks"</h1>
            <p class="muted">"Seeded synthetic data, timed in this browser with performance.now()."</p>
            <label for="bench-files">"Files for the importer (optional) "</label>
            <input type="file" id="bench-files" multiple node_ref=input/>
            <button type="button" id="bench-run" on:click=move |_| run()>"Run"</button>
            {move || results.get().map(|r| view! { <pre id="bench-results">{r}</pre> })}
        </section>
    }
}

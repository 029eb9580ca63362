//! The benchmark page (not linked from the navigation): runs Folio's own work on seeded
//! synthetic data in this browser and shows the timings as JSON, for `make bench`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::files::yield_now;
use crate::domain::rebalance::current_mix;
use crate::domain::rebalance::plan::{plan, PlanOptions};
use crate::domain::rebalance::targets::{from_template, Template};
use crate::domain::synthetic::positions;

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

/// The bench page: `?run=all` runs every benchmark (`?run=rebalance` only the plan).
#[component]
pub fn BenchPage() -> impl IntoView {
    let results = RwSignal::new(None::<String>);
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let only_rebalance = search.contains("run=rebalance");
    let run = move || {
        spawn_local(async move {
            let mut doc = serde_json::json!({ "rebalance_plan": rebalance_bench().await });
            if !only_rebalance {
                doc["risk_report_worker"] = risk_bench().await;
            }
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
            <button type="button" id="bench-run" on:click=move |_| run()>"Run"</button>
            {move || results.get().map(|r| view! { <pre id="bench-results">{r}</pre> })}
        </section>
    }
}

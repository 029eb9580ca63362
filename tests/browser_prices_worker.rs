//! The price clients in a dedicated Web Worker, where the price worker (`price_worker`) runs
//! them: with no window, requests are still fetched, and spaced out with the worker's own
//! timers.
#![cfg(target_arch = "wasm32")]

use folio::browser::prices::get_text;
use folio::domain::prices::Provider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn requests_to_one_provider_are_spaced_out_in_a_worker() {
    let global = js_sys::global();
    assert!(web_sys::window().is_none(), "this runs in a worker");
    let origin = js_sys::Reflect::get(&global, &"origin".into())
        .unwrap()
        .as_string()
        .unwrap();
    let scope: web_sys::WorkerGlobalScope = global.unchecked_into();
    let performance = scope.performance().unwrap();
    let start = performance.now();
    let first = get_text(&format!("{origin}/?worker-spacing-1"), Provider::CoinGecko).await;
    let second = get_text(&format!("{origin}/?worker-spacing-2"), Provider::CoinGecko).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    // A lower bound the client enforces (2 s between CoinGecko calls), so it cannot flake.
    let elapsed = performance.now() - start;
    assert!(elapsed >= 1_990.0, "{elapsed} ms");
}

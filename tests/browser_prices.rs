//! Browser test of the price clients' request spacing, with real fetches to the test page's
//! own origin. (Merging of identical requests is tested natively in `domain::prices::merge`.)
#![cfg(target_arch = "wasm32")]

use folio::browser::prices::get_text;
use folio::domain::prices::Provider;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn requests_to_one_provider_are_spaced_out() {
    let window = web_sys::window().unwrap();
    let origin = window.location().origin().unwrap();
    let performance = window.performance().unwrap();
    let start = performance.now();
    get_text(&format!("{origin}/?spacing-1"), Provider::CoinGecko)
        .await
        .unwrap();
    get_text(&format!("{origin}/?spacing-2"), Provider::CoinGecko)
        .await
        .unwrap();
    // A lower bound the client enforces (2 s between CoinGecko calls), so it cannot flake.
    let elapsed = performance.now() - start;
    assert!(elapsed >= 1_990.0, "{elapsed} ms");
}

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

/// A price worker's answer as the page reads it back from a structured clone.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_wasm_bindgen::from_value(serde_wasm_bindgen::to_value(value).unwrap()).unwrap()
}

#[wasm_bindgen_test]
fn price_jobs_and_answers_cross_to_and_from_the_worker_unchanged() {
    use std::collections::BTreeMap;

    use folio::domain::calendar::Timestamp;
    use folio::domain::currency::Currency;
    use folio::domain::jobs::prices::{PriceJob, PriceMessage, SpotJob, SpotRefresh};
    use folio::domain::price_key::PriceKey;
    use folio::domain::prices::chain::Health;
    use folio::domain::prices::fx::FxRates;
    use folio::domain::prices::ids::ProviderSymbol;
    use folio::domain::prices::refresh::{RefreshReport, SourceFailure};
    use folio::domain::prices::wanted::ListedAsset;
    use folio::domain::prices::{PriceError, PriceOrigin, Quote};

    let health = BTreeMap::from([(
        Provider::Binance,
        Health {
            failures: 2,
            benched_until: Timestamp::from_millis(1_700_000_060_000),
            last_error: Some("rate limited (HTTP 429)".into()),
        },
    )]);
    let job = PriceJob::Spot(SpotJob {
        crypto: vec!["BTC".into(), "XYZ".into()],
        listed: vec![ListedAsset {
            key: PriceKey::listed("VWCE", Some("XETR")),
            symbol: "VWCE".into(),
            venue: Some("XETR".into()),
            currency: Currency::EUR,
        }],
        crypto_sources: vec![Provider::CoinGecko, Provider::Binance],
        health: health.clone(),
        id_overrides: BTreeMap::from([(
            ProviderSymbol::new(Provider::CoinGecko, "XYZ"),
            "xyz-token".into(),
        )]),
        twelvedata_key: "key".into(),
    });
    assert_eq!(round_trip(&job), job);
    let spot = PriceMessage::Spot(Box::new(SpotRefresh {
        crypto: RefreshReport {
            quotes: vec![Quote {
                key: PriceKey::crypto("BTC"),
                price: 97_123.45,
                currency: Currency::USD,
                at: Timestamp::from_millis(1_700_000_000_000),
                change_24h_pct: None,
                origin: PriceOrigin::Provider(Provider::CoinGecko),
            }],
            events: vec!["CoinGecko: 1 price(s)".into()],
            unresolved: vec!["XYZ".into()],
            discovered: vec![("ABC".into(), "abc-token".into())],
            failed: vec![SourceFailure {
                provider: Provider::Binance,
                error: Some(PriceError::RateLimited {
                    status: 429,
                    retry_after_s: Some(30.0),
                }),
            }],
            without_key: 0,
        },
        listed: RefreshReport {
            without_key: 1,
            ..RefreshReport::default()
        },
        health,
    }));
    assert_eq!(round_trip(&spot), spot);
    let fx = PriceMessage::Fx(Ok(FxRates {
        base: Currency::EUR,
        date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
        rates: BTreeMap::from([(Currency::USD, 1.0353)]),
    }));
    assert_eq!(round_trip(&fx), fx);
    let failed = PriceMessage::Fx(Err(PriceError::Timeout(8)));
    assert_eq!(round_trip(&failed), failed);
    // The worker's first message, which the page waits for before sending a job.
    assert_eq!(round_trip(&PriceMessage::Ready), PriceMessage::Ready);
}

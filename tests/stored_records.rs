//! Records written by the previous version read back whole: a profile's settings and a
//! saved plan as Folio wrote them while targets were keyed by display label
//! (`tests/fixtures/records/`, written by that version's `serde_json::to_string`).

use std::collections::BTreeMap;

use folio::domain::holding::AssetClass;
use folio::domain::rebalance::saved::{PlanState, SavedPlan};
use folio::domain::rebalance::targets::{Bucket, Targets};
use folio::domain::records::ProfileSettings;

const SETTINGS: &str = include_str!("fixtures/records/settings_label_keys.json");
const SAVED_PLAN: &str = include_str!("fixtures/records/saved_plan_label_keys.json");

fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// The targets both fixtures hold: classes Crypto 50, Stocks 25, ETFs 15, Cash 10; crypto
/// BTC 60, ETH 30, stablecoins 10; AAPL 40 / MSFT 60 inside stocks, USDC 100 inside
/// stablecoins.
fn expected_targets() -> Targets {
    Targets {
        classes: [
            (AssetClass::Crypto, 50.0),
            (AssetClass::Stock, 25.0),
            (AssetClass::Etf, 15.0),
            (AssetClass::Cash, 10.0),
        ]
        .into_iter()
        .collect(),
        groups: map(&[("BTC", 60.0), ("ETH", 30.0), ("Stablecoins", 10.0)]),
        assets: [
            (
                Bucket::Class(AssetClass::Stock),
                map(&[("AAPL", 40.0), ("MSFT", 60.0)]),
            ),
            (Bucket::Group("Stablecoins".into()), map(&[("USDC", 100.0)])),
        ]
        .into_iter()
        .collect(),
    }
}

#[test]
fn settings_written_with_label_keys_read_back_with_typed_targets() {
    assert!(SETTINGS.contains(r#""classes":{"Cash":10.0,"Crypto":50.0,"ETFs":15.0,"Stocks":25.0}"#));
    let s: ProfileSettings = serde_json::from_str(SETTINGS).unwrap();
    assert_eq!(s.profile_id, "p1");
    assert_eq!(s.targets, expected_targets());
    // The daily cap is off by default now, but a record holds the 8 % the previous version
    // wrote (chosen or not, it cannot tell): that stays, as every other stored option.
    assert_eq!(s.plan_options.policy.cap_daily_pct, Some(8.0));
    assert_eq!(s.plan_options.policy.min_order, 25.0);
    // Settings that never held plan options get today's defaults: no cap.
    let bare: ProfileSettings = serde_json::from_str(r#"{"profile_id":"p2"}"#).unwrap();
    assert_eq!(bare.plan_options.policy.cap_daily_pct, None);
    // Written again and read back, nothing changes.
    let again: ProfileSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(again, s);
}

#[test]
fn a_saved_plan_written_with_label_keys_reads_back_whole() {
    let saved: SavedPlan = serde_json::from_str(SAVED_PLAN).unwrap();
    assert_eq!(
        (saved.id.as_str(), saved.state),
        ("plan-1", PlanState::Draft)
    );
    assert_eq!(saved.targets, expected_targets());
    // The plan itself: 10,000 USD, seven sleeves, the BTC sale first, as written.
    assert_eq!(saved.plan.base.to_string(), "USD");
    assert_eq!(saved.plan.total, 10_000.0);
    assert_eq!(saved.plan.sleeves.len(), 7);
    assert_eq!(saved.plan.actions[0].exec_hint, "Sell on Binance");
    assert_eq!(saved.plan.actions[0].amount, 3000.0);
    assert_eq!(saved.plan.options.policy.cap_daily_pct, Some(8.0));
    assert_eq!(saved.plan.days.len(), 10);
    let again: SavedPlan = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
    assert_eq!(again, saved);
}

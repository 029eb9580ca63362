//! A small portfolio for tests: two coins with 400 days of closes from a fixed formula (no
//! randomness), and a third without history.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::settings::AssetInput;
use crate::domain::calendar::{days_before, parse_iso_day};
use crate::domain::currency::Currency;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    parse_iso_day(s).unwrap()
}

/// A price key from its text.
pub fn k(s: &str) -> PriceKey {
    s.parse().unwrap()
}

/// BTC and ETH over the 400 days to 2026-11-20.
pub fn history() -> BTreeMap<PriceKey, DailySeries> {
    let mut out = BTreeMap::new();
    for (key, amp, drift) in [("crypto:BTC", 0.03, 0.001), ("crypto:ETH", 0.05, 0.0005)] {
        let mut p = 100.0;
        let pts = (0..400u32)
            .map(|i| {
                p *= 1.0
                    + drift
                    + amp * ((f64::from(i) * 0.7).sin() + 0.5 * (f64::from(i) * 1.3).cos());
                (days_before(d("2026-11-20"), 399 - i), p)
            })
            .collect();
        out.insert(
            k(key),
            DailySeries {
                key: k(key),
                currency: Currency::USD,
                points: pts,
                source: "test".into(),
            },
        );
    }
    out
}

/// 6,000 of BTC, 4,000 of ETH, 1,000 of NOPE (no history).
pub fn assets() -> Vec<AssetInput> {
    vec![
        AssetInput {
            key: k("crypto:BTC"),
            label: "BTC".into(),
            group: "BTC".into(),
            value: 6000.0,
            crypto: true,
        },
        AssetInput {
            key: k("crypto:ETH"),
            label: "ETH".into(),
            group: "ETH".into(),
            value: 4000.0,
            crypto: true,
        },
        AssetInput {
            key: k("crypto:NOPE"),
            label: "NOPE".into(),
            group: "Others".into(),
            value: 1000.0,
            crypto: true,
        },
    ]
}

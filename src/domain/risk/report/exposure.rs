//! Step 7, what the portfolio holds, with or without price history: the value of each asset
//! (merged by price key) and of each group, and the concentration figures read from them —
//! HHI, effective number of assets, memecoin share, group risk index. Cash is not among the
//! assets, so every share here is of the portfolio without cash.

use std::collections::BTreeMap;

use super::document::{
    metric, Metric, Unit, EFFECTIVE_ASSETS, GROUP_RISK_INDEX, HHI, MEMECOIN_SHARE,
};
use super::settings::AssetInput;
use crate::domain::price_key::PriceKey;
use crate::domain::risk::panel::{effective_assets, hhi};
use crate::domain::risk::scores::gri;

/// Values per group, and the concentration metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    /// Value per taxonomy group, in the base currency.
    pub group_values: BTreeMap<String, f64>,
    /// HHI, effective number of assets, memecoin share, group risk index.
    pub metrics: Vec<Metric>,
}

/// The exposure of the assets with a positive value.
pub fn exposure(assets: &[AssetInput]) -> Exposure {
    let held: Vec<&AssetInput> = assets.iter().filter(|a| a.value > 0.0).collect();
    let mut by_key: BTreeMap<&PriceKey, f64> = BTreeMap::new();
    let mut group_values: BTreeMap<String, f64> = BTreeMap::new();
    for a in &held {
        *by_key.entry(&a.key).or_default() += a.value;
        *group_values.entry(a.group.clone()).or_default() += a.value;
    }
    let total: f64 = by_key.values().sum();
    let w: Vec<f64> = by_key.values().map(|v| v / total).collect();
    let group_weights: BTreeMap<String, f64> = group_values
        .iter()
        .map(|(g, v)| (g.clone(), v / total))
        .collect();
    let memes = group_weights.get("Memecoins").copied().unwrap_or(0.0);
    let metrics = vec![
        metric(
            HHI,
            hhi(&w),
            Unit::Ratio,
            "Σ w², w each asset's share of the portfolio's value (cash left out; assets with and without history; one asset per price key)",
        ),
        metric(
            EFFECTIVE_ASSETS,
            effective_assets(&w),
            Unit::Assets,
            "1 / HHI",
        ),
        metric(
            MEMECOIN_SHARE,
            memes,
            Unit::Fraction,
            "value of the Memecoins group / the portfolio's value (cash left out)",
        ),
        metric(
            GROUP_RISK_INDEX,
            gri(&group_weights),
            Unit::Index,
            "clamp(Σ w_g · level_g, 0, 10), SmartFolio's group levels (stablecoins 0 … memecoins 9; stocks 4, ETFs 3); w_g the group's share of the portfolio's value (cash left out)",
        ),
    ];
    Exposure {
        group_values,
        metrics,
    }
}

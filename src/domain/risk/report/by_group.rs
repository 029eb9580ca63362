//! Step 9, by taxonomy group: SmartFolio's stress scenarios on today's values, and the
//! Brinson attribution of the window's returns.

use std::collections::BTreeMap;

use super::document::StressOut;
use super::series::{Covered, PortfolioSeries};
use crate::domain::risk::metrics::cum_returns_final;
use crate::domain::risk::stress::{apply, brinson, smartfolio_scenarios, AssetReturn, Attribution};

/// SmartFolio's six scenarios applied to the value of each group.
pub fn stress_tests(group_values: &BTreeMap<String, f64>) -> Vec<StressOut> {
    smartfolio_scenarios()
        .iter()
        .map(|s| apply(s, group_values).into())
        .collect()
}

/// Brinson attribution per group: each covered asset with today's weight and its cumulative
/// simple return over the window.
pub fn attribution(covered: &Covered<'_>, series: &PortfolioSeries) -> Vec<Attribution> {
    let assets: Vec<AssetReturn> = covered
        .groups
        .iter()
        .zip(&covered.weights)
        .enumerate()
        .map(|(j, (group, weight))| AssetReturn {
            group: group.clone(),
            weight: *weight,
            ret: cum_returns_final(&series.assets.iter().map(|r| r[j]).collect::<Vec<_>>()),
        })
        .collect();
    brinson(&assets)
}

//! The risk report of a portfolio: every metric with its method, window and inputs, from
//! today's weights (or those held at the time) and the stored daily closes.
//!
//! [`report`] runs the steps in order, one file each:
//! 1. [`series`] — today's assets with history, the window, the aligned dates, the
//!    portfolio's simple returns (static or historical weights);
//! 2. [`path`] — wealth-path figures (they compound simple returns);
//! 3. [`distribution`] — distribution figures, in the chosen kind of returns;
//! 4. [`covariance`] — covariance, correlation, PCA, risk contributions, diversification;
//! 5. [`var`] — VaR and CVaR by four methods;
//! 6. [`benchmark`] — beta, alpha and capture ratios against the benchmark;
//! 7. [`exposure`] — values per asset and group, concentration;
//! 8. [`scoring`] — SmartFolio's risk and structural scores, quoting the figures above;
//! 9. [`by_group`] — stress tests and attribution.
//!
//! [`settings`] holds what the report is asked, [`document`] what it answers and its CSV.

pub mod benchmark;
pub mod by_group;
pub mod covariance;
pub mod distribution;
pub mod document;
pub mod exposure;
pub mod path;
pub mod scoring;
pub mod series;
pub mod settings;
pub mod var;

#[cfg(test)]
pub(crate) mod sample;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::returns::{default_annualisation, HeldOn};

pub use benchmark::{benchmark_choices, BenchmarkChoice};
pub use document::{
    report_csv, Metric, RiskReport, ScoreOut, StressOut, Unit, VarEstimate, VarModel,
};
pub use series::RiskError;
pub use settings::{percent_label, AssetInput, RiskSettings, Weighting, MIN_POINTS};

/// Builds the report. `progress` gets the share done (the Monte Carlo part dominates).
///
/// Two return series of the portfolio are kept apart. Path metrics — cumulative return,
/// CAGR, drawdowns, Ulcer, Calmar, stability, attribution, capture ratios — follow wealth, so
/// they always compound simple returns. Distribution metrics — volatility, Sharpe, Sortino,
/// Omega, skew, kurtosis, tail ratio, beta and alpha, every VaR, the covariance and what
/// derives from it — use the kind chosen in the settings (log: `ln(1 + r)` of the simple
/// return, for the portfolio and for each asset).
///
/// With [`Weighting::Historical`], the portfolio's returns use the weights of `held` (see
/// [`crate::domain::risk::returns::historical_returns`]); assets held in the past take part
/// when their history is stored. The forward-looking figures (covariance, contributions,
/// diversification, Monte Carlo) stay on today's weights: they describe the portfolio as it
/// is. Concentration (HHI, memecoins, group risk) is of every asset held, with or without
/// history.
pub fn report(
    assets: &[AssetInput],
    history: &BTreeMap<PriceKey, DailySeries>,
    held: &[HeldOn],
    settings: &RiskSettings,
    progress: &mut dyn FnMut(f64),
) -> Result<RiskReport, RiskError> {
    let covered = series::Covered::of(assets, history)?;
    let series = series::PortfolioSeries::build(&covered, history, held, settings)?;
    let ann = settings
        .annualisation
        .unwrap_or_else(|| default_annualisation(covered.all_crypto));
    let rf = (1.0 + settings.risk_free).powf(1.0 / ann) - 1.0;
    let kind = settings.returns;
    let dist = series.returns_in(kind);

    let path = path::path_figures(&series.returns, &series.dates, ann);
    let panel = covariance::covariance_figures(&series.assets_in(kind), &covered.weights, kind);
    let bench = benchmark::benchmark_figures(
        &series,
        history.get(&settings.benchmark),
        &settings.benchmark,
        rf,
        ann,
        kind,
    );
    let exposure = exposure::exposure(assets);
    let metrics = [
        path.metrics,
        distribution::distribution_metrics(&dist, rf, ann, kind),
        bench.metrics,
        panel.metrics.clone(),
        exposure.metrics,
    ]
    .concat();
    progress(0.2);

    let var = var::var_figures(
        &series.returns,
        &dist,
        &panel,
        &covered.weights,
        settings,
        &mut |p| progress(0.2 + 0.6 * p),
    );
    let scores = scoring::scores(&metrics, &var.estimates);
    let stress = by_group::stress_tests(&exposure.group_values);
    let attribution = by_group::attribution(&covered, &series);
    progress(1.0);
    Ok(RiskReport {
        from: series.dates.first().copied().unwrap_or_default(),
        to: series.dates.last().copied().unwrap_or_default(),
        points: series.returns.len(),
        annualisation: ann,
        settings: settings.clone(),
        weights: covered
            .labels
            .iter()
            .cloned()
            .zip(covered.weights.iter().copied())
            .collect(),
        weighting: series.weighting.clone(),
        coverage: covered.coverage,
        missing: covered.missing.clone(),
        missing_coins: covered.missing_coins.clone(),
        notices: bench.notice.into_iter().collect(),
        metrics,
        var: var.estimates,
        drawdown: path.drawdown,
        rolling: distribution::rolling(&dist, &series.dates, rf, ann),
        contributions: covered
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let c = &panel.contributions;
                (l.clone(), c.marginal[i], c.component[i], c.percent[i])
            })
            .collect(),
        correlation: panel.correlation,
        pca: panel.pca,
        mc_sample: var.mc_sample,
        risk_score: Some(scores.risk),
        structural: scores.structural,
        stress,
        attribution,
    })
}

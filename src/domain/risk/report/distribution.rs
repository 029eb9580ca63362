//! Step 3, the distribution of the portfolio's returns, in the kind the settings choose
//! (simple, or log: `ln(1 + r)`): volatility, Sharpe, Sortino, Omega, skew, kurtosis, tail
//! ratio, and the rolling volatility and Sharpe.

use chrono::NaiveDate;

use super::document::{metric, Metric, Unit, ANNUAL_VOLATILITY, SHARPE_RATIO};
use crate::domain::risk::metrics::{
    annual_volatility, omega_ratio, sharpe_ratio, sortino_ratio, tail_ratio, Rate,
};
use crate::domain::risk::panel::{excess_kurtosis, skew};
use crate::domain::risk::returns::ReturnKind;

/// Periods of the rolling window.
pub const ROLLING: usize = 30;

/// The metrics of `dist` (returns of `kind`), `rf` per period, `ann` periods a year.
pub fn distribution_metrics(dist: &[f64], rf: f64, ann: f64, kind: ReturnKind) -> Vec<Metric> {
    let rfr = Rate::Constant(rf);
    let kind = kind.label();
    vec![
        metric(
            ANNUAL_VOLATILITY,
            annual_volatility(dist, ann),
            Unit::Fraction,
            &format!("σ(r, ddof 1) · √ann, {kind}"),
        ),
        metric(
            SHARPE_RATIO,
            sharpe_ratio(dist, &rfr, ann),
            Unit::Ratio,
            &format!("mean(r − rf) / σ(r − rf) · √ann, {kind}"),
        ),
        metric(
            "Sortino ratio",
            sortino_ratio(dist, &rfr, ann),
            Unit::Ratio,
            &format!("mean(r − rf) · ann / downside deviation, {kind}"),
        ),
        metric(
            "Omega ratio",
            omega_ratio(dist, &rfr, 0.0, ann),
            Unit::Ratio,
            &format!("Σ gains above rf / Σ losses below rf, {kind}"),
        ),
        metric(
            "Skew",
            skew(dist),
            Unit::Ratio,
            &format!("bias-corrected (pandas), {kind}"),
        ),
        metric(
            "Excess kurtosis",
            excess_kurtosis(dist),
            Unit::Ratio,
            &format!("bias-corrected (pandas), {kind}"),
        ),
        metric(
            "Tail ratio",
            tail_ratio(dist),
            Unit::Ratio,
            &format!("|P95| / |P5|, {kind}"),
        ),
    ]
}

/// Annualised volatility and Sharpe ratio over each [`ROLLING`] returns of `dist` (all of
/// them when fewer), dated by the window's last return.
pub fn rolling(dist: &[f64], dates: &[NaiveDate], rf: f64, ann: f64) -> Vec<(NaiveDate, f64, f64)> {
    let rfr = Rate::Constant(rf);
    let n = dist.len().min(dates.len());
    let win = ROLLING.min(n);
    (win..=n)
        .filter(|end| *end > 0)
        .map(|end| {
            let slice = &dist[end - win..end];
            (
                dates[end - 1],
                annual_volatility(slice, ann),
                sharpe_ratio(slice, &rfr, ann),
            )
        })
        .collect()
}

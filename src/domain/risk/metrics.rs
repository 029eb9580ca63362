//! Return-series metrics, matching empyrical (stefan-jansen/empyrical-reloaded 0.7.1).
//!
//! Conventions, shared by every function unless its own documentation says otherwise:
//! - `returns` are simple periodic returns (0.01 is +1 %). `NaN` marks a missing period:
//!   it is skipped by means, deviations and sums, counts as a zero return when returns are
//!   compounded, and — as in empyrical — still counts as a period where the number of
//!   periods sets the time span ([`annual_return`]).
//! - `ann` is the number of periods per year: 252 for trading days (empyrical's `DAILY`),
//!   365 for calendar days (crypto), 52 weekly, 12 monthly.
//! - Standard deviations are sample deviations (ddof = 1).
//! - A result that is undefined (too few points, a zero denominator) is `NaN`, or ±∞ where
//!   empyrical returns it (a Sharpe ratio of a constant positive series is +∞); the page
//!   turns both into words, never into a number.

/// Periods per year of trading days (empyrical `DAILY`).
pub const TRADING_DAYS: f64 = 252.0;
/// Periods per year of calendar days (crypto trades every day).
pub const CALENDAR_DAYS: f64 = 365.0;
/// Periods per year of weeks.
pub const WEEKS: f64 = 52.0;
/// Periods per year of months.
pub const MONTHS: f64 = 12.0;

fn finite(r: &[f64]) -> impl Iterator<Item = f64> + '_ {
    r.iter().copied().filter(|x| !x.is_nan())
}

/// Mean of the non-NaN values (`NaN` when there are none).
pub fn nanmean(r: &[f64]) -> f64 {
    let (sum, n) = finite(r).fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        sum / n as f64
    }
}

/// Sample standard deviation (ddof = 1) of the non-NaN values (`NaN` under two values;
/// exactly zero when they are all equal).
pub fn nanstd(r: &[f64]) -> f64 {
    let n = finite(r).count();
    if n < 2 {
        return f64::NAN;
    }
    // Identical values: exactly zero (a summed mean can miss the value by an ulp).
    let mut values = finite(r);
    let first = values.next().unwrap_or(0.0);
    if values.all(|x| x == first) {
        return 0.0;
    }
    let m = nanmean(r);
    let ss: f64 = finite(r).map(|x| (x - m) * (x - m)).sum();
    (ss / (n - 1) as f64).sqrt()
}

/// Cumulative return at the end: `∏(1 + rᵢ) − 1`, NaN periods counting as 0.
pub fn cum_returns_final(r: &[f64]) -> f64 {
    finite(r).fold(1.0, |w, x| w * (1.0 + x)) - 1.0
}

/// Wealth after each period, starting from 1 (NaN periods count as 0).
pub fn wealth(r: &[f64]) -> Vec<f64> {
    let mut w = 1.0;
    r.iter()
        .map(|x| {
            if !x.is_nan() {
                w *= 1.0 + x;
            }
            w
        })
        .collect()
}

/// Maximum drawdown: the largest fall from a running peak of wealth, as a negative
/// fraction (−0.25 is a 25 % fall). The starting wealth counts as the first peak.
///
/// # Formula
/// `min_t (W_t − max_{s≤t} W_s) / max_{s≤t} W_s`, with `W_0 = 1` and `W_t = ∏_{s≤t}(1 + r_s)`.
pub fn max_drawdown(r: &[f64]) -> f64 {
    let mut peak = 1.0f64;
    let mut worst = 0.0f64;
    for w in wealth(r) {
        peak = peak.max(w);
        worst = worst.min((w - peak) / peak);
    }
    worst
}

/// Compound annual growth rate (empyrical `annual_return`, also `cagr`).
///
/// # Formula
/// `(1 + cum_returns_final)^(ann / n) − 1`, where `n` counts every period, NaN ones included.
/// `NaN` for an empty series.
pub fn annual_return(r: &[f64], ann: f64) -> f64 {
    if r.is_empty() {
        return f64::NAN;
    }
    let years = r.len() as f64 / ann;
    (1.0 + cum_returns_final(r)).powf(1.0 / years) - 1.0
}

/// Annualised volatility: `σ · √ann`, σ the sample standard deviation (ddof = 1).
pub fn annual_volatility(r: &[f64], ann: f64) -> f64 {
    nanstd(r) * ann.sqrt()
}

/// `rᵢ − rfᵢ` for a constant or a series of the same length.
fn minus(r: &[f64], rf: &Rate) -> Vec<f64> {
    match rf {
        Rate::Constant(c) => r.iter().map(|x| x - c).collect(),
        Rate::Series(s) => r.iter().zip(s.iter()).map(|(x, y)| x - y).collect(),
    }
}

/// A risk-free rate or required return per period: a constant, or one per period.
#[derive(Debug, Clone, PartialEq)]
pub enum Rate<'a> {
    /// The same every period.
    Constant(f64),
    /// One value per period (same length as the returns).
    Series(&'a [f64]),
}

/// Sharpe ratio, annualised.
///
/// # Formula
/// `mean(r − rf) / σ(r − rf) · √ann`, σ with ddof = 1. `rf` is per period. `NaN` with fewer
/// than two returns; ±∞ when the excess returns are constant (σ = 0) and non-zero.
pub fn sharpe_ratio(r: &[f64], rf: &Rate, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let adj = minus(r, rf);
    nanmean(&adj) / nanstd(&adj) * ann.sqrt()
}

/// Downside deviation below a required return, annualised.
///
/// # Formula
/// `√(mean(min(r − required, 0)²)) · √ann` — the mean over every non-NaN period (a
/// population moment: periods above the requirement count as zeros).
pub fn downside_risk(r: &[f64], required: &Rate, ann: f64) -> f64 {
    let d: Vec<f64> = minus(r, required)
        .into_iter()
        .map(|x| if x.is_nan() { x } else { x.min(0.0).powi(2) })
        .collect();
    nanmean(&d).sqrt() * ann.sqrt()
}

/// Sortino ratio, annualised.
///
/// # Formula
/// `mean(r − required) · ann / downside_risk(r, required, ann)`. +∞ when no period falls
/// below the requirement and the mean is positive. `NaN` with fewer than two returns.
pub fn sortino_ratio(r: &[f64], required: &Rate, ann: f64) -> f64 {
    if r.len() < 2 {
        return f64::NAN;
    }
    let mu = nanmean(&minus(r, required));
    mu * ann / downside_risk(r, required, ann)
}

/// Calmar ratio: CAGR over the absolute maximum drawdown. `NaN` when there is no drawdown.
///
/// # Formula
/// `annual_return(r, ann) / |max_drawdown(r)|` when `max_drawdown < 0`.
pub fn calmar_ratio(r: &[f64], ann: f64) -> f64 {
    let dd = max_drawdown(r);
    if dd < 0.0 {
        let c = annual_return(r, ann) / dd.abs();
        if c.is_finite() {
            return c;
        }
    }
    f64::NAN
}

/// Omega ratio: gains above a threshold over losses below it.
///
/// # Formula
/// The threshold per period is `(1 + required)^(1/ann) − 1` (`required` is annual; with
/// `ann = 1` it is used as is). With `x = r − rf − threshold`: `Σ max(x, 0) / Σ max(−x, 0)`.
/// `NaN` when nothing falls below, or when `required ≤ −1`.
pub fn omega_ratio(r: &[f64], rf: &Rate, required: f64, ann: f64) -> f64 {
    let threshold = if ann == 1.0 {
        required
    } else if required <= -1.0 {
        return f64::NAN;
    } else {
        (1.0 + required).powf(1.0 / ann) - 1.0
    };
    let x: Vec<f64> = minus(r, rf).into_iter().map(|v| v - threshold).collect();
    let up: f64 = x.iter().filter(|v| **v > 0.0).sum();
    let down: f64 = -x.iter().filter(|v| **v < 0.0).sum::<f64>();
    if down > 0.0 {
        up / down
    } else {
        f64::NAN
    }
}

/// Excess Sharpe (information ratio per period, not annualised).
///
/// # Formula
/// `mean(r − f) / σ(r − f)`, σ with ddof = 1.
pub fn excess_sharpe(r: &[f64], factor: &Rate) -> f64 {
    let active = minus(r, factor);
    nanmean(&active) / nanstd(&active)
}

/// Beta and alpha against a benchmark, on the periods where both are known.
///
/// # Formula
/// `β = mean((f − f̄)·r) / mean((f − f̄)²)` over pairs with neither value NaN (f̄ is their
/// mean); `α = (1 + mean((r − rf) − β·(f − rf)))^ann − 1` (empyrical compounds the mean
/// daily alpha). The slices must be aligned on the same dates.
pub fn alpha_beta(r: &[f64], factor: &[f64], rf: f64, ann: f64) -> (f64, f64) {
    let pairs: Vec<(f64, f64)> = r
        .iter()
        .zip(factor)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .collect();
    if pairs.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let n = pairs.len() as f64;
    let fbar = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let cov = pairs.iter().map(|(a, b)| (b - fbar) * a).sum::<f64>() / n;
    let var = pairs
        .iter()
        .map(|(_, b)| (b - fbar) * (b - fbar))
        .sum::<f64>()
        / n;
    let beta = cov / var;
    let alpha_mean = pairs
        .iter()
        .map(|(a, b)| (a - rf) - beta * (b - rf))
        .sum::<f64>()
        / n;
    ((1.0 + alpha_mean).powf(ann) - 1.0, beta)
}

fn where_factor(r: &[f64], factor: &[f64], keep: impl Fn(f64) -> bool) -> (Vec<f64>, Vec<f64>) {
    r.iter()
        .zip(factor)
        .filter(|(_, f)| keep(**f))
        .map(|(a, b)| (*a, *b))
        .unzip()
}

/// Alpha and beta on the periods where the benchmark rose (empyrical `up_alpha_beta`).
///
/// # Formula
/// [`alpha_beta`] on the pairs `(rᵢ, fᵢ)` with `fᵢ > 0` (alpha annualised by `ann` as there).
pub fn up_alpha_beta(r: &[f64], factor: &[f64], rf: f64, ann: f64) -> (f64, f64) {
    let (a, b) = where_factor(r, factor, |f| f > 0.0);
    alpha_beta(&a, &b, rf, ann)
}

/// Alpha and beta on the periods where the benchmark fell (empyrical `down_alpha_beta`).
///
/// # Formula
/// [`alpha_beta`] on the pairs `(rᵢ, fᵢ)` with `fᵢ < 0`.
pub fn down_alpha_beta(r: &[f64], factor: &[f64], rf: f64, ann: f64) -> (f64, f64) {
    let (a, b) = where_factor(r, factor, |f| f < 0.0);
    alpha_beta(&a, &b, rf, ann)
}

/// Capture ratio (empyrical `capture`): how much of the benchmark's growth rate the
/// portfolio had.
///
/// # Formula
/// `annual_return(r, ann) / annual_return(f, ann)` on the same periods (simple returns, each
/// compounded; 1 when the two grew alike, negative when they went opposite ways).
pub fn capture(r: &[f64], factor: &[f64], ann: f64) -> f64 {
    annual_return(r, ann) / annual_return(factor, ann)
}

/// Up capture (empyrical `up_capture`): [`capture`] on the periods where the benchmark rose
/// (`f > 0`), each side compounded over those periods only and annualised by their count.
/// Above 1: the portfolio gained more than the benchmark when it rose.
pub fn up_capture(r: &[f64], factor: &[f64], ann: f64) -> f64 {
    let (a, b) = where_factor(r, factor, |f| f > 0.0);
    capture(&a, &b, ann)
}

/// Down capture (empyrical `down_capture`): [`capture`] on the periods where the benchmark
/// fell (`f < 0`). Below 1: the portfolio lost less than the benchmark when it fell.
pub fn down_capture(r: &[f64], factor: &[f64], ann: f64) -> f64 {
    let (a, b) = where_factor(r, factor, |f| f < 0.0);
    capture(&a, &b, ann)
}

/// Up/down capture (empyrical `up_down_capture`): `up_capture / down_capture`; above 1 the
/// portfolio kept more of the rises than of the falls.
pub fn up_down_capture(r: &[f64], factor: &[f64], ann: f64) -> f64 {
    up_capture(r, factor, ann) / down_capture(r, factor, ann)
}

/// Stability: R² of a straight line fitted to cumulative log returns.
///
/// # Formula
/// With `y_t = Σ_{s≤t} ln(1 + r_s)` over the non-NaN returns and `x_t = t`:
/// `corr(x, y)²`. `NaN` under two points.
pub fn stability_of_timeseries(r: &[f64]) -> f64 {
    let mut acc = 0.0;
    let y: Vec<f64> = finite(r)
        .map(|x| {
            acc += x.ln_1p();
            acc
        })
        .collect();
    let n = y.len();
    if n < 2 {
        return f64::NAN;
    }
    let xm = (n - 1) as f64 / 2.0;
    let ym = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let dx = i as f64 - xm;
        let dy = v - ym;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if syy == 0.0 {
        return f64::NAN;
    }
    sxy * sxy / (sxx * syy)
}

/// Percentile by linear interpolation between order statistics (numpy's default `linear`
/// method): `p` in 0–100, NaN values ignored. `NaN` for an empty series.
pub fn percentile(r: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = finite(r).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * (p / 100.0).clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Historical value at risk (empyrical's convention): the `cutoff` quantile of the returns,
/// a return (negative for a loss), by linear interpolation.
///
/// # Formula
/// `percentile(r, 100 · cutoff)`; `cutoff` 0.05 for 95 %.
pub fn value_at_risk(r: &[f64], cutoff: f64) -> f64 {
    percentile(r, 100.0 * cutoff)
}

/// Historical conditional value at risk (expected shortfall), empyrical's convention: the
/// mean of the `⌊(n − 1)·cutoff⌋ + 1` smallest returns (a return, negative for a loss).
pub fn conditional_value_at_risk(r: &[f64], cutoff: f64) -> f64 {
    let mut v: Vec<f64> = finite(r).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let k = ((v.len() - 1) as f64 * cutoff) as usize + 1;
    v[..k].iter().sum::<f64>() / k as f64
}

/// Tail ratio: `|P95| / |P5|` of the returns (NaN ignored).
pub fn tail_ratio(r: &[f64]) -> f64 {
    percentile(r, 95.0).abs() / percentile(r, 5.0).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_beta_split_the_periods_by_the_benchmark_sign() {
        // The portfolio moves half as much as the benchmark when it rises, twice as much
        // when it falls. Down pairs (−0.02, −0.01), (−0.04, −0.02): f̄ = −0.015,
        // cov = (0.005·−0.02 − 0.005·−0.04)/2 = 0.00005, var = 0.000025, β = 2, and
        // r − 2f = 0 on both, so α = 0. Up pairs: β = 0.5, α = 0.
        let f = [0.02, -0.01, 0.01, -0.02];
        let r = [0.01, -0.02, 0.005, -0.04];
        let (down_alpha, down_beta) = down_alpha_beta(&r, &f, 0.0, 365.0);
        let (up_alpha, up_beta) = up_alpha_beta(&r, &f, 0.0, 365.0);
        assert!((down_beta - 2.0).abs() < 1e-12, "{down_beta}");
        assert!((up_beta - 0.5).abs() < 1e-12, "{up_beta}");
        assert!(down_alpha.abs() < 1e-12 && up_alpha.abs() < 1e-12);
    }
}

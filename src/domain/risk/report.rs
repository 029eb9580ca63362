//! The risk report of a portfolio: every metric with its method, window and inputs, from
//! today's weights and the stored daily closes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::domain::calendar::{days_before, days_between};
use crate::domain::currency::Currency;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::metrics::*;
use crate::domain::risk::panel::*;
use crate::domain::risk::returns::{
    align, default_annualisation, historical_returns, relevant, HeldOn, ReturnKind,
};
use crate::domain::risk::scores::{
    gri, risk_score, smartfolio_diversification, structural_score, RiskInputs, Score,
};
use crate::domain::risk::stress::{
    apply, brinson, smartfolio_scenarios, AssetReturn, Attribution, StressResult,
};

/// Fewer aligned returns than this and a metric says "not enough data".
pub const MIN_POINTS: usize = 30;

/// What the user chose on the risk page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskSettings {
    /// Days of history used (calendar days back from the last shared date).
    pub window_days: u32,
    /// Horizon of the multi-day VaR, in periods.
    pub horizon: u32,
    /// The benchmark's series (BTC by default).
    pub benchmark: PriceKey,
    /// Periods per year; `None`: 365 for crypto only, else 252.
    pub annualisation: Option<f64>,
    /// Annual risk-free rate (fraction), turned into a per-period rate `(1 + rf)^(1/ann) − 1`.
    pub risk_free: f64,
    /// Monte Carlo paths (10,000 to 100,000).
    pub mc_paths: usize,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The confidence the page highlights and marks on the distribution (both 95 % and
    /// 99 % are always computed).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// Simple or log returns for the distribution metrics (see [`report`]).
    #[serde(default)]
    pub returns: ReturnKind,
    /// Today's weights throughout, or the weights held at the time (from snapshots).
    #[serde(default)]
    pub weighting: Weighting,
}

/// Which weights turn asset returns into the portfolio's returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Weighting {
    /// Today's weights on every day of the window (what today's portfolio would have done).
    #[default]
    Static,
    /// On each day, the weights of the latest snapshot taken on or before it (what the
    /// portfolio as it was held did); the window starts at the first snapshot.
    Historical,
}

fn default_confidence() -> f64 {
    0.95
}

impl Default for RiskSettings {
    fn default() -> RiskSettings {
        RiskSettings {
            window_days: 365,
            horizon: 10,
            benchmark: PriceKey::crypto("BTC"),
            annualisation: None,
            risk_free: 0.0,
            mc_paths: 10_000,
            seed: 42,
            confidence: 0.95,
            returns: ReturnKind::Simple,
            weighting: Weighting::Static,
        }
    }
}

/// One asset of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetInput {
    /// Its daily series in the history store.
    pub key: PriceKey,
    /// Display name.
    pub label: String,
    /// Taxonomy group.
    pub group: String,
    /// Value today, in the base currency.
    pub value: f64,
    /// Crypto (trades every day).
    pub crypto: bool,
}

/// A number with what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Name.
    pub name: String,
    /// Value; `None` when undefined or with too little data.
    pub value: Option<f64>,
    /// Unit: "ratio", "fraction" (shown as %), "days", "score", "assets".
    pub unit: String,
    /// Method and conventions.
    pub method: String,
}

/// One VaR estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarEstimate {
    /// Method label.
    pub method: String,
    /// Confidence (0.95 or 0.99).
    pub confidence: f64,
    /// Horizon in periods.
    pub horizon: u32,
    /// VaR as a return (negative for a loss).
    pub var: Option<f64>,
    /// CVaR as a return.
    pub cvar: Option<f64>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    /// First return date.
    pub from: NaiveDate,
    /// Last return date.
    pub to: NaiveDate,
    /// Number of aligned returns.
    pub points: usize,
    /// Periods per year used.
    pub annualisation: f64,
    /// Settings.
    pub settings: RiskSettings,
    /// Assets used, with today's weights (fractions of the covered value).
    pub weights: Vec<(String, f64)>,
    /// How the portfolio's returns were weighted, in words (with the snapshots used).
    #[serde(default)]
    pub weighting: String,
    /// Share of the portfolio's value with history (fraction).
    pub coverage: f64,
    /// Assets left out for lack of history.
    pub missing: Vec<String>,
    /// Summary metrics.
    pub metrics: Vec<Metric>,
    /// VaR and CVaR by method, confidence and horizon.
    pub var: Vec<VarEstimate>,
    /// Drawdown per date (fractions, ≤ 0).
    pub drawdown: Vec<(NaiveDate, f64)>,
    /// 30-period rolling annualised volatility and Sharpe.
    pub rolling: Vec<(NaiveDate, f64, f64)>,
    /// Correlation matrix (asset order of `weights`).
    pub correlation: Vec<Vec<f64>>,
    /// PCA explained variance shares.
    pub pca: Vec<f64>,
    /// Risk contributions per asset: (asset, marginal, component, percent), per period.
    pub contributions: Vec<(String, f64, f64, f64)>,
    /// Monte Carlo 1-period portfolio returns (sorted), for the distribution chart.
    pub mc_sample: Vec<f64>,
    /// Risk score with its steps.
    pub risk_score: Option<ScoreOut>,
    /// Structural score with its steps.
    pub structural: ScoreOut,
    /// Stress tests.
    pub stress: Vec<StressOut>,
    /// Attribution per group over the window.
    pub attribution: Vec<Attribution>,
}

/// A score as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreOut {
    /// 0–100.
    pub value: f64,
    /// Level.
    pub level: String,
    /// Steps (rule, points).
    pub steps: Vec<(String, f64)>,
}

impl From<Score> for ScoreOut {
    fn from(s: Score) -> ScoreOut {
        ScoreOut {
            value: s.value,
            level: s.level.to_string(),
            steps: s.steps.into_iter().map(|x| (x.rule, x.points)).collect(),
        }
    }
}

/// A stress result as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StressOut {
    /// Scenario.
    pub name: String,
    /// Change, base currency.
    pub change: f64,
    /// Change, percent.
    pub change_pct: f64,
    /// Per group: (group, value, shock %, change).
    pub groups: Vec<(String, f64, f64, f64)>,
}

impl From<StressResult> for StressOut {
    fn from(r: StressResult) -> StressOut {
        StressOut {
            name: r.name,
            change: r.change,
            change_pct: r.change_pct,
            groups: r
                .groups
                .into_iter()
                .map(|g| (g.group, g.value, g.shock_pct, g.change))
                .collect(),
        }
    }
}

/// Why no report could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RiskError {
    /// No asset has a stored daily series.
    #[error("No daily price history is stored for these holdings yet: load it on the Dashboard (or import a price CSV).")]
    NoHistory,
    /// Too few shared dates.
    #[error("Only {0} daily return(s) are shared by every asset in the window; at least {MIN_POINTS} are needed.")]
    TooShort(usize),
    /// Historical weights were asked for, but no snapshot falls in the window.
    #[error("Historical weights need snapshots: none was taken on or before {0}. The Dashboard saves one a day while the app is open, one per import, and on demand.")]
    NoSnapshots(NaiveDate),
    /// Historical weights leave too few returns.
    #[error("With historical weights, only {0} daily return(s) are covered by snapshots (from {1}); at least {MIN_POINTS} are needed. Use today's weights, or come back when more snapshots have accumulated.")]
    TooFewSnapshotReturns(usize, NaiveDate),
}

fn defined(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn metric(name: &str, value: f64, unit: &str, method: &str) -> Metric {
    Metric {
        name: name.into(),
        value: defined(value),
        unit: unit.into(),
        method: method.into(),
    }
}

/// Builds the report. `progress` gets the share done (the Monte Carlo part dominates).
///
/// Two return series of the portfolio are kept apart. Path metrics — cumulative return,
/// CAGR, drawdowns, Ulcer, Calmar, stability, attribution — follow wealth, so they always
/// compound simple returns. Distribution metrics — volatility, Sharpe, Sortino, Omega, skew,
/// kurtosis, tail ratio, beta and alpha, every VaR, the covariance and what derives from it —
/// use the kind chosen in the settings (log: `ln(1 + r)` of the simple return, for the
/// portfolio and for each asset).
///
/// With [`Weighting::Historical`], the portfolio's returns use the weights of `held` (see
/// [`historical_returns`]); assets held in the past take part when their history is
/// stored. The forward-looking figures (covariance, contributions, diversification, Monte
/// Carlo) stay on today's weights: they describe the portfolio as it is.
pub fn report(
    assets: &[AssetInput],
    history: &BTreeMap<PriceKey, DailySeries>,
    held: &[HeldOn],
    settings: &RiskSettings,
    progress: &mut dyn FnMut(f64),
) -> Result<RiskReport, RiskError> {
    // Merge assets by price key; keep those with a series.
    let mut by_key: BTreeMap<&PriceKey, (f64, &AssetInput)> = BTreeMap::new();
    for a in assets.iter().filter(|a| a.value > 0.0) {
        by_key.entry(&a.key).or_insert((0.0, a)).0 += a.value;
    }
    let total: f64 = by_key.values().map(|v| v.0).sum();
    let (with, without): (Vec<_>, Vec<_>) = by_key
        .into_iter()
        .partition(|(k, _)| history.get(*k).is_some_and(|s| s.points.len() > 1));
    if with.is_empty() {
        return Err(RiskError::NoHistory);
    }
    let series: Vec<&DailySeries> = with.iter().map(|(k, _)| &history[*k]).collect();
    let last = series
        .iter()
        .filter_map(|s| s.points.last().map(|p| p.0))
        .min()
        .unwrap_or_default();
    let mut from = days_before(last, settings.window_days);
    let m = series.len();
    let mut all = series.clone();
    // With historical weights: the window starts at the first snapshot, and what the
    // snapshots held beyond today's assets joins as more columns (when its history is stored).
    let mut past_missing = Vec::new();
    let held = match settings.weighting {
        Weighting::Static => &held[..0],
        Weighting::Historical => {
            let used = relevant(held, from, last);
            let Some(first) = used.first() else {
                return Err(RiskError::NoSnapshots(last));
            };
            from = from.max(first.date);
            let mut extra: Vec<&PriceKey> = used
                .iter()
                .flat_map(|h| h.values.keys())
                .filter(|k| !with.iter().any(|(w, _)| w == k))
                .collect();
            extra.sort_unstable();
            extra.dedup();
            for k in extra {
                match history.get(k).filter(|s| s.points.len() > 1) {
                    Some(s) => all.push(s),
                    None => past_missing.push(k.to_string()),
                }
            }
            used
        }
    };
    let columns = all.len();
    // The benchmark is aligned with the assets, as one more column.
    let bench_series = history
        .get(&settings.benchmark)
        .filter(|b| b.points.len() > 1);
    all.extend(bench_series);
    let mut aligned = align(&all, Some(from), Some(last), ReturnKind::Simple);
    let mut bench: Option<Vec<f64>> = bench_series.map(|_| {
        aligned
            .rows
            .iter_mut()
            .map(|r| r.pop().unwrap_or(f64::NAN))
            .collect()
    });
    aligned.keys.truncate(columns);
    let covered: f64 = with.iter().map(|(_, (v, _))| v).sum();
    let w: Vec<f64> = with.iter().map(|(_, (v, _))| v / covered).collect();
    // The portfolio's simple returns, and (historical) the rows they cover.
    let (port, weighting) = if held.is_empty() {
        if aligned.rows.len() < MIN_POINTS {
            return Err(RiskError::TooShort(aligned.rows.len()));
        }
        (
            portfolio_returns(&aligned.rows, &w),
            "Today's weights on every day of the window (static)".to_string(),
        )
    } else {
        let (r, cover) = historical_returns(&aligned, held);
        let keep: Vec<bool> = r.iter().map(Option::is_some).collect();
        let dropped = keep.iter().filter(|k| !**k).count();
        retain_by(&mut aligned.rows, &keep);
        retain_by(&mut aligned.starts, &keep);
        retain_by(&mut aligned.dates, &keep);
        if let Some(b) = &mut bench {
            retain_by(b, &keep);
        }
        if aligned.rows.len() < MIN_POINTS {
            return Err(RiskError::TooFewSnapshotReturns(aligned.rows.len(), from));
        }
        let mut text = format!(
            "Weights held at the time: each day uses the latest of {} snapshot(s) ({} to {}) taken on or before its start; {:.1} % or more of each snapshot's value has price history",
            held.len(),
            held[0].date,
            held[held.len() - 1].date,
            cover * 100.0
        );
        if !past_missing.is_empty() {
            text.push_str(&format!(
                " (no history for {}, once held)",
                past_missing.join(", ")
            ));
        }
        if dropped > 0 {
            text.push_str(&format!(
                "; {dropped} return(s) left out: their snapshot held nothing with history"
            ));
        }
        (r.into_iter().flatten().collect(), text)
    };
    // Today's assets only, for the covariance and what follows from it.
    let rows: Vec<Vec<f64>> = aligned
        .rows
        .iter()
        .map(|r| {
            r[..m]
                .iter()
                .map(|x| settings.returns.of_simple(*x))
                .collect()
        })
        .collect();
    let n = rows.len();
    let labels: Vec<String> = with.iter().map(|(_, (_, a))| a.label.clone()).collect();
    let all_crypto = with.iter().all(|(_, (_, a))| a.crypto);
    let ann = settings
        .annualisation
        .unwrap_or_else(|| default_annualisation(all_crypto));
    let rf = (1.0 + settings.risk_free).powf(1.0 / ann) - 1.0;
    // `port` compounds (paths); `dist` is the chosen kind (distribution).
    let dist: Vec<f64> = port
        .iter()
        .map(|x| settings.returns.of_simple(*x))
        .collect();
    let bench: Option<Vec<f64>> =
        bench.map(|b| b.iter().map(|x| settings.returns.of_simple(*x)).collect());
    let cov = covariance(&rows, 1);
    let corr = correlation(&cov);
    let mu = means(&rows);
    let sigma = nanstd(&dist);
    let pmean = nanmean(&dist);
    let h = f64::from(settings.horizon.max(1));
    let rfr = Rate::Constant(rf);
    let kind = settings.returns.label();

    // One drawdown series serves the current drawdown, the Ulcer index, the span and the chart.
    let dd = drawdowns(&port);
    let mut metrics = vec![
        metric(
            "Cumulative return",
            cum_returns_final(&port),
            "fraction",
            "∏(1 + r) − 1 over the window",
        ),
        metric(
            "Annual return (CAGR)",
            annual_return(&port, ann),
            "fraction",
            "(1 + cumulative)^(ann/n) − 1",
        ),
        metric(
            "Annual volatility",
            annual_volatility(&dist, ann),
            "fraction",
            &format!("σ(r, ddof 1) · √ann, {kind}"),
        ),
        metric(
            "Sharpe ratio",
            sharpe_ratio(&dist, &rfr, ann),
            "ratio",
            &format!("mean(r − rf) / σ(r − rf) · √ann, {kind}"),
        ),
        metric(
            "Sortino ratio",
            sortino_ratio(&dist, &rfr, ann),
            "ratio",
            &format!("mean(r − rf) · ann / downside deviation, {kind}"),
        ),
        metric(
            "Calmar ratio",
            calmar_ratio(&port, ann),
            "ratio",
            "CAGR / |max drawdown|",
        ),
        metric(
            "Omega ratio",
            omega_ratio(&dist, &rfr, 0.0, ann),
            "ratio",
            &format!("Σ gains above rf / Σ losses below rf, {kind}"),
        ),
        metric(
            "Max drawdown",
            max_drawdown(&port),
            "fraction",
            "largest fall from a running peak of wealth",
        ),
        metric(
            "Current drawdown",
            dd.last().copied().unwrap_or(f64::NAN),
            "fraction",
            "today's wealth against its running peak",
        ),
        metric(
            "Ulcer index",
            (dd.iter().map(|x| x * x).sum::<f64>() / dd.len() as f64).sqrt(),
            "fraction",
            "√mean(drawdown²)",
        ),
        metric(
            "Skew",
            skew(&dist),
            "ratio",
            &format!("bias-corrected (pandas), {kind}"),
        ),
        metric(
            "Excess kurtosis",
            excess_kurtosis(&dist),
            "ratio",
            &format!("bias-corrected (pandas), {kind}"),
        ),
        metric(
            "Tail ratio",
            tail_ratio(&dist),
            "ratio",
            &format!("|P95| / |P5|, {kind}"),
        ),
        metric(
            "Stability",
            stability_of_timeseries(&port),
            "ratio",
            "R² of cumulative log returns on time",
        ),
        metric(
            "Diversification ratio",
            diversification_ratio(&cov, &w),
            "ratio",
            &format!("Σ wᵢσᵢ / σ_p, today's weights, {kind}"),
        ),
        metric(
            "Effective number of assets",
            effective_assets(&w),
            "assets",
            "1 / Σ w², today's weights",
        ),
        metric("HHI", hhi(&w), "ratio", "Σ w², today's weights"),
    ];
    let (dd_start, dd_end, dd_days) = drawdown_span(&dd, &aligned.dates);
    metrics.push(Metric {
        name: "Max drawdown period".into(),
        value: Some(dd_days as f64),
        unit: "days".into(),
        method: format!("{dd_start} → {dd_end} (peak to recovery or today)"),
    });
    if let Some(b) = &bench {
        let (alpha, beta) = alpha_beta(&dist, b, rf, ann);
        metrics.push(metric(
            "Beta",
            beta,
            "ratio",
            &format!("cov(r, b) / var(b) against {}, {kind}", settings.benchmark),
        ));
        metrics.push(metric(
            "Alpha (annual)",
            alpha,
            "fraction",
            &format!("(1 + mean(r − rf − β(b − rf)))^ann − 1, {kind}"),
        ));
    }
    progress(0.2);

    let mut var = Vec::new();
    for c in [0.95, 0.99] {
        for hz in [1.0, h] {
            let hist = if hz == 1.0 {
                (
                    value_at_risk(&dist, 1.0 - c),
                    conditional_value_at_risk(&dist, 1.0 - c),
                )
            } else {
                // Overlapping h-period sums of the returns.
                let k = hz as usize;
                let sums: Vec<f64> = dist.windows(k).map(|x| x.iter().sum()).collect();
                (
                    value_at_risk(&sums, 1.0 - c),
                    conditional_value_at_risk(&sums, 1.0 - c),
                )
            };
            var.push(VarEstimate {
                method: format!(
                    "Historical (empyrical: linear percentile; CVaR mean of the tail), {kind}"
                ),
                confidence: c,
                horizon: hz as u32,
                var: defined(hist.0),
                cvar: defined(hist.1),
            });
            var.push(VarEstimate {
                method: format!("Parametric normal (quantstats: μ·h + z·σ·√h), {kind}"),
                confidence: c,
                horizon: hz as u32,
                var: defined(parametric_var(pmean, sigma, c, hz, true)),
                cvar: defined(parametric_cvar(pmean, sigma, c, hz)),
            });
            var.push(VarEstimate {
                method: format!("Cornish–Fisher (skew and kurtosis adjusted), {kind}"),
                confidence: c,
                horizon: hz as u32,
                var: defined(cornish_fisher_var(
                    pmean,
                    sigma,
                    skew(&dist),
                    excess_kurtosis(&dist),
                    c,
                    hz,
                )),
                cvar: None,
            });
        }
    }
    let mut mc_sample = Vec::new();
    // One set of 1-period paths; the horizon's are the same paths scaled (exact in
    // distribution), and both confidences are read from each.
    let spec = McSpec {
        paths: settings.mc_paths,
        horizon: 1,
        confidence: 0.95,
        seed: settings.seed,
    };
    let daily = monte_carlo_var(&mu, &cov, &w, &spec, &mut |p| progress(0.2 + 0.6 * p));
    if let Some(r) = &daily {
        let step = (r.sorted.len() / 2000).max(1);
        mc_sample = r.sorted.iter().step_by(step).copied().collect();
    }
    for hz in [1u32, h as u32] {
        let run = daily.as_ref().map(|r| {
            if hz == 1 {
                r.clone()
            } else {
                r.over(f64::from(hz))
            }
        });
        for c in [0.95, 0.99] {
            var.push(VarEstimate {
                method: format!(
                    "Monte Carlo ({} paths, multivariate normal via Cholesky, seed {}, today's weights), {kind}",
                    settings.mc_paths, settings.seed
                ),
                confidence: c,
                horizon: hz,
                var: run.as_ref().and_then(|r| defined(r.var_at(c))),
                cvar: run.as_ref().and_then(|r| defined(r.cvar_at(c))),
            });
        }
    }

    let drawdown: Vec<(NaiveDate, f64)> = aligned
        .dates
        .iter()
        .copied()
        .zip(dd.iter().copied())
        .collect();
    let win = 30.min(n);
    let rolling = (win..=n)
        .map(|end| {
            let slice = &dist[end - win..end];
            (
                aligned.dates[end - 1],
                annual_volatility(slice, ann),
                sharpe_ratio(slice, &rfr, ann),
            )
        })
        .collect();
    let rc = risk_contributions(&cov, &w);

    // Scores, stress tests and attribution on groups.
    let mut group_values: BTreeMap<String, f64> = BTreeMap::new();
    for a in assets.iter().filter(|a| a.value > 0.0) {
        *group_values.entry(a.group.clone()).or_default() += a.value;
    }
    let group_weights: BTreeMap<String, f64> = group_values
        .iter()
        .map(|(g, v)| (g.clone(), v / total))
        .collect();
    let asset_w: Vec<f64> = assets
        .iter()
        .filter(|a| a.value > 0.0)
        .map(|a| a.value / total)
        .collect();
    let memes = group_weights.get("Memecoins").copied().unwrap_or(0.0);
    let g = gri(&group_weights);
    let structural = structural_score(hhi(&asset_w), memes, g).into();
    let rs = risk_score(&RiskInputs {
        var95: -value_at_risk(&dist, 0.05),
        sharpe: sharpe_ratio(&dist, &rfr, ann),
        max_drawdown: max_drawdown(&port).abs(),
        volatility: annual_volatility(&dist, ann),
        memes,
        hhi: hhi(&asset_w),
        gri: g,
        diversification: smartfolio_diversification(&corr, &w),
    });
    let stress = smartfolio_scenarios()
        .iter()
        .map(|s| apply(s, &group_values).into())
        .collect();
    let window_returns: Vec<AssetReturn> = with
        .iter()
        .enumerate()
        .map(|(j, (_, (v, a)))| AssetReturn {
            group: a.group.clone(),
            weight: v / covered,
            ret: cum_returns_final(&aligned.rows.iter().map(|r| r[j]).collect::<Vec<_>>()),
        })
        .collect();
    progress(1.0);
    Ok(RiskReport {
        from: aligned.dates.first().copied().unwrap_or_default(),
        to: aligned.dates.last().copied().unwrap_or_default(),
        points: n,
        annualisation: ann,
        settings: settings.clone(),
        weights: labels.iter().cloned().zip(w.iter().copied()).collect(),
        weighting,
        coverage: if total > 0.0 { covered / total } else { 0.0 },
        missing: without.iter().map(|(_, (_, a))| a.label.clone()).collect(),
        metrics,
        var,
        drawdown,
        rolling,
        correlation: corr.clone(),
        pca: pca_explained(&corr),
        contributions: labels
            .into_iter()
            .enumerate()
            .map(|(i, l)| (l, rc.marginal[i], rc.component[i], rc.percent[i]))
            .collect(),
        mc_sample,
        risk_score: Some(rs.into()),
        structural,
        stress,
        attribution: brinson(&window_returns),
    })
}

/// Keeps the items whose flag in `keep` (same length) is true.
fn retain_by<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    v.retain(|_| flags.next().copied().unwrap_or(false));
}

/// Drawdown after each period (fractions, ≤ 0), from a starting wealth of 1.
pub fn drawdowns(r: &[f64]) -> Vec<f64> {
    let mut peak = 1.0f64;
    wealth(r)
        .into_iter()
        .map(|w| {
            peak = peak.max(w);
            w / peak - 1.0
        })
        .collect()
}

/// From the drawdown series: the maximum drawdown's peak date, its recovery date (or the
/// last date), and its length in periods.
fn drawdown_span(dd: &[f64], dates: &[NaiveDate]) -> (String, String, usize) {
    let Some((trough, _)) = dd.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)) else {
        return (String::new(), String::new(), 0);
    };
    let peak = dd[..trough]
        .iter()
        .rposition(|x| *x == 0.0)
        .map_or(0, |p| p + 1)
        .min(trough);
    let end = dd[trough..]
        .iter()
        .position(|x| *x == 0.0)
        .map_or(dd.len() - 1, |p| trough + p);
    let start_date = if peak == 0 {
        dates.first()
    } else {
        dates.get(peak - 1)
    };
    let text = |d: Option<&NaiveDate>| d.map(NaiveDate::to_string).unwrap_or_default();
    (text(start_date), text(dates.get(end)), end + 1 - peak)
}

/// The report as CSV: one line per metric and per VaR estimate (`section,name,value,unit,method`).
pub fn report_csv(r: &RiskReport) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["section", "name", "value", "unit", "method"]);
    let cell = |v: Option<f64>| {
        v.map(|x| x.to_string())
            .unwrap_or_else(|| "undefined".into())
    };
    let _ = w.write_record(["window", "from", &r.from.to_string(), "date", ""]);
    let _ = w.write_record(["window", "to", &r.to.to_string(), "date", ""]);
    let _ = w.write_record([
        "window",
        "points",
        &r.points.to_string(),
        "returns",
        "daily returns shared by every asset",
    ]);
    let _ = w.write_record([
        "window",
        "annualisation",
        &r.annualisation.to_string(),
        "periods per year",
        "",
    ]);
    let _ = w.write_record(["window", "weighting", "", "", &r.weighting]);
    for m in &r.metrics {
        let _ = w.write_record(["metric", &m.name, &cell(m.value), &m.unit, &m.method]);
    }
    for v in &r.var {
        let name = format!("VaR {:.0} % {} d", v.confidence * 100.0, v.horizon);
        let _ = w.write_record(["var", &name, &cell(v.var), "return", &v.method]);
        let name = format!("CVaR {:.0} % {} d", v.confidence * 100.0, v.horizon);
        let _ = w.write_record(["var", &name, &cell(v.cvar), "return", &v.method]);
    }
    for (k, m, c, p) in &r.contributions {
        let method = format!("percent of σ_p (marginal {m}, component {c} per period)");
        let _ = w.write_record(["contribution", k, &p.to_string(), "fraction", &method]);
    }
    for (k, x) in &r.weights {
        let _ = w.write_record([
            "weight",
            k,
            &x.to_string(),
            "fraction",
            "value share among assets with history",
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::domain::calendar::{is_weekend, parse_iso_day};

    fn d(s: &str) -> NaiveDate {
        parse_iso_day(s).unwrap()
    }

    fn k(s: &str) -> PriceKey {
        s.parse().unwrap()
    }

    /// Two assets over 400 days, prices from a fixed formula (no randomness).
    fn history() -> BTreeMap<PriceKey, DailySeries> {
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

    fn assets() -> Vec<AssetInput> {
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

    #[test]
    fn report_uses_the_metric_functions_on_the_weighted_returns() {
        let h = history();
        let mut seen = Vec::new();
        let r = report(&assets(), &h, &[], &RiskSettings::default(), &mut |p| {
            seen.push(p)
        })
        .unwrap();
        assert_eq!(r.points, 365, "a 365-day window gives 365 daily returns");
        assert_eq!(r.annualisation, 365.0);
        assert_eq!(r.missing, vec!["NOPE"]);
        assert!((r.coverage - 10.0 / 11.0).abs() < 1e-12);
        assert_eq!(
            r.weights,
            vec![("BTC".to_string(), 0.6), ("ETH".to_string(), 0.4)]
        );
        // The report's Sharpe is sharpe_ratio of 0.6·BTC + 0.4·ETH on the same dates.
        let a = align(
            &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
            None,
            None,
            ReturnKind::Simple,
        );
        let port = portfolio_returns(&a.rows, &[0.6, 0.4]);
        let sharpe = r
            .metrics
            .iter()
            .find(|m| m.name == "Sharpe ratio")
            .unwrap()
            .value
            .unwrap();
        assert!(
            (sharpe - sharpe_ratio(&port[port.len() - 365..], &Rate::Constant(0.0), 365.0)).abs()
                < 1e-9
        );
        // BTC is the benchmark and 60 % of the portfolio: beta is defined and positive.
        assert!(
            r.metrics
                .iter()
                .find(|m| m.name == "Beta")
                .unwrap()
                .value
                .unwrap()
                > 0.0
        );
        // Every method, both confidences, 1 day and the horizon; VaR 99 beyond VaR 95.
        assert_eq!(r.var.len(), 16);
        for m in ["Historical", "Parametric", "Monte Carlo"] {
            let pick = |c: f64| {
                r.var
                    .iter()
                    .find(|v| v.method.starts_with(m) && v.confidence == c && v.horizon == 1)
                    .unwrap()
                    .var
                    .unwrap()
            };
            assert!(pick(0.99) <= pick(0.95), "{m}");
        }
        assert!(seen.last() == Some(&1.0) && seen.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(r.stress.len(), 6);
        assert!(r.risk_score.as_ref().unwrap().value.is_finite());
        let csv = report_csv(&r);
        assert!(csv.starts_with("section,name,value,unit,method\n"));
        assert!(csv.contains("metric,Sharpe ratio,"));
    }

    #[test]
    fn the_worker_job_round_trips_through_json() {
        let job = RiskJob {
            assets: assets(),
            history: history(),
            held: Vec::new(),
            settings: RiskSettings::default(),
        };
        let mut steps = 0;
        let out = run_job(&serde_json::to_string(&job).unwrap(), &mut |_| steps += 1);
        // The same report as on the job the worker read (JSON may move a float by an ulp).
        let read: RiskJob = serde_json::from_str(&serde_json::to_string(&job).unwrap()).unwrap();
        let expected = read.report(&mut |_| {}).unwrap();
        assert_eq!(
            out,
            serde_json::to_string(&WorkerMessage::Done(Box::new(expected))).unwrap()
        );
        assert!(matches!(
            serde_json::from_str::<WorkerMessage>(&out).unwrap(),
            WorkerMessage::Done(_)
        ));
        assert!(steps > 5);
        let bad = run_job("{not json", &mut |_| {});
        assert!(matches!(
            serde_json::from_str::<WorkerMessage>(&bad).unwrap(),
            WorkerMessage::Failed(_)
        ));
    }

    fn metric_value(r: &RiskReport, name: &str) -> f64 {
        r.metrics
            .iter()
            .find(|m| m.name == name)
            .unwrap()
            .value
            .unwrap()
    }

    fn held(date: &str, values: &[(&str, f64)]) -> HeldOn {
        HeldOn {
            date: d(date),
            values: values.iter().map(|(key, v)| (k(key), *v)).collect(),
        }
    }

    #[test]
    fn historical_weights_follow_the_snapshots() {
        let mut h = history();
        // SOL was held in October, and is no longer.
        let mut sol = h[&k("crypto:ETH")].clone();
        sol.key = k("crypto:SOL");
        for (i, p) in sol.points.iter_mut().enumerate() {
            p.1 *= 1.0 + 0.01 * (i % 7) as f64;
        }
        h.insert(k("crypto:SOL"), sol);
        let snaps = [
            // Before the window: it holds on its first day, but nothing it held has history.
            held("2025-06-01", &[("crypto:OLD", 1.0)]),
            held("2026-09-01", &[("crypto:BTC", 100.0)]),
            held("2026-10-01", &[("crypto:BTC", 50.0), ("crypto:SOL", 50.0)]),
            // NOPE has no history: the other 80 % are renormalised.
            held(
                "2026-10-15",
                &[
                    ("crypto:ETH", 30.0),
                    ("crypto:BTC", 10.0),
                    ("crypto:NOPE", 10.0),
                ],
            ),
        ];
        let settings = RiskSettings {
            weighting: Weighting::Historical,
            ..RiskSettings::default()
        };
        let r = report(&assets(), &h, &snaps, &settings, &mut |_| {}).unwrap();
        // Worked out by hand: the returns up to 2026-09-01 are left out (OLD has no history),
        // then each snapshot holds from its date.
        let close = |key: &str, day: NaiveDate| {
            h[&k(key)]
                .points
                .iter()
                .find(|p| p.0 == day)
                .map(|p| p.1)
                .unwrap()
        };
        let dates: Vec<NaiveDate> = h[&k("crypto:BTC")]
            .points
            .iter()
            .map(|p| p.0)
            .filter(|day| *day >= d("2026-09-01"))
            .collect();
        let expected: Vec<f64> = dates
            .windows(2)
            .map(|pair| {
                let ret = |k: &str| close(k, pair[1]) / close(k, pair[0]) - 1.0;
                if pair[0] < d("2026-10-01") {
                    ret("crypto:BTC")
                } else if pair[0] < d("2026-10-15") {
                    0.5 * ret("crypto:BTC") + 0.5 * ret("crypto:SOL")
                } else {
                    0.75 * ret("crypto:ETH") + 0.25 * ret("crypto:BTC")
                }
            })
            .collect();
        assert_eq!(r.from, d("2026-09-02"));
        assert_eq!(r.points, expected.len());
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        assert!(near(
            metric_value(&r, "Cumulative return"),
            cum_returns_final(&expected)
        ));
        assert!(near(
            metric_value(&r, "Annual volatility"),
            annual_volatility(&expected, 365.0)
        ));
        assert!(
            r.weighting
                .contains("4 snapshot(s) (2025-06-01 to 2026-10-15)")
                && r.weighting.contains("285 return(s) left out")
                && r.weighting.contains("80.0 %")
                && r.weighting.contains("crypto:NOPE"),
            "{}",
            r.weighting
        );
        // Today's weights still drive the forward-looking figures.
        assert_eq!(r.weights.len(), 2);
        assert_eq!(r.correlation.len(), 2);

        // No snapshot in the window, or too few returns after the first: said, not computed.
        assert_eq!(
            report(&assets(), &h, &[], &settings, &mut |_| {}),
            Err(RiskError::NoSnapshots(d("2026-11-20")))
        );
        assert_eq!(
            report(
                &assets(),
                &h,
                &[held("2026-11-10", &[("crypto:BTC", 1.0)])],
                &settings,
                &mut |_| {}
            ),
            Err(RiskError::TooFewSnapshotReturns(10, d("2026-11-10")))
        );
    }

    #[test]
    fn log_returns_change_the_distribution_metrics_not_the_path() {
        let h = history();
        let simple = report(&assets(), &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
        let log = report(
            &assets(),
            &h,
            &[],
            &RiskSettings {
                returns: ReturnKind::Log,
                ..RiskSettings::default()
            },
            &mut |_| {},
        )
        .unwrap();
        let a = align(
            &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
            Some(d("2025-11-20")),
            None,
            ReturnKind::Simple,
        );
        let port = portfolio_returns(&a.rows, &[0.6, 0.4]);
        let logs: Vec<f64> = port.iter().map(|x| x.ln_1p()).collect();
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        assert!(near(
            metric_value(&log, "Annual volatility"),
            annual_volatility(&logs, 365.0)
        ));
        assert!(near(
            metric_value(&simple, "Annual volatility"),
            annual_volatility(&port, 365.0)
        ));
        for path in ["Cumulative return", "Max drawdown", "Annual return (CAGR)"] {
            assert_eq!(
                metric_value(&log, path),
                metric_value(&simple, path),
                "{path}"
            );
        }
        let hist95 = log
            .var
            .iter()
            .find(|v| v.method.starts_with("Historical") && v.confidence == 0.95 && v.horizon == 1)
            .unwrap();
        assert!(hist95.method.ends_with("log returns"));
        assert!(near(hist95.var.unwrap(), value_at_risk(&logs, 0.05)));
    }

    #[test]
    fn a_packed_job_unpacks_to_the_same_job_and_report() {
        let mut h = history();
        // A stock: weekdays only (gaps in the packed days).
        let mut stock = h[&k("crypto:ETH")].clone();
        stock.key = k("listed:AAPL");
        stock.points.retain(|(day, _)| !is_weekend(*day));
        h.insert(k("listed:AAPL"), stock);
        let job = RiskJob {
            assets: assets(),
            history: h,
            held: vec![held("2026-10-01", &[("crypto:BTC", 1.0)])],
            settings: RiskSettings::default(),
        };
        let packed = job.pack().unwrap();
        assert_eq!(
            RiskJob::unpack(&packed.header, &packed.closes).unwrap(),
            job
        );
        // Closes travel exactly (no decimal formatting): the very report of the job.
        let direct = job.report(&mut |_| {}).unwrap();
        assert_eq!(
            run_packed_job(&packed.header, &packed.closes, &mut |_| {}),
            serde_json::to_string(&WorkerMessage::Done(Box::new(direct))).unwrap()
        );
        assert!(RiskJob::unpack(&packed.header, &packed.closes[1..]).is_err());
    }

    #[test]
    fn too_little_history_is_said_not_computed() {
        let h = history();
        let short = RiskSettings {
            window_days: 10,
            ..RiskSettings::default()
        };
        assert_eq!(
            report(&assets(), &h, &[], &short, &mut |_| {}),
            Err(RiskError::TooShort(10))
        );
        assert_eq!(
            report(
                &assets(),
                &BTreeMap::new(),
                &[],
                &RiskSettings::default(),
                &mut |_| {}
            ),
            Err(RiskError::NoHistory)
        );
    }
}

/// What the risk worker is asked to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskJob {
    /// The portfolio.
    pub assets: Vec<AssetInput>,
    /// Daily series by price key.
    pub history: BTreeMap<PriceKey, DailySeries>,
    /// Settings.
    pub settings: RiskSettings,
    /// What the snapshots held, oldest first (used with historical weights).
    #[serde(default)]
    pub held: Vec<HeldOn>,
}

/// A [`RiskJob`] packed for the trip to the worker: the daily closes as one `f64` array (a
/// typed array the page hands over without copying or formatting), the rest as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PackedJob {
    /// JSON of [`PackedHeader`].
    pub header: String,
    /// Each series' closes on consecutive days from its first, NaN on days without one.
    pub closes: Vec<f64>,
}

/// Everything of a [`RiskJob`] but the closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedHeader {
    /// The portfolio.
    pub assets: Vec<AssetInput>,
    /// Snapshots.
    pub held: Vec<HeldOn>,
    /// Settings.
    pub settings: RiskSettings,
    /// The series, in the order of their closes.
    pub series: Vec<PackedSeries>,
}

/// Where one series lies in [`PackedJob::closes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedSeries {
    /// The asset.
    pub key: PriceKey,
    /// Currency of the closes.
    pub currency: Currency,
    /// Source label.
    pub source: String,
    /// Date of the first close.
    pub first_day: NaiveDate,
    /// Days covered (closes in the array).
    pub days: usize,
}

impl RiskJob {
    /// The job's report ([`report`] on its parts).
    pub fn report(&self, progress: &mut dyn FnMut(f64)) -> Result<RiskReport, RiskError> {
        report(
            &self.assets,
            &self.history,
            &self.held,
            &self.settings,
            progress,
        )
    }

    /// The job packed for the worker; `None` when its header cannot be written as JSON.
    pub fn pack(&self) -> Option<PackedJob> {
        let mut closes = Vec::new();
        let mut series = Vec::with_capacity(self.history.len());
        for s in self.history.values() {
            let (Some(&(first, _)), Some(&(last, _))) = (s.points.first(), s.points.last()) else {
                continue;
            };
            let start = closes.len();
            let span = usize::try_from(days_between(first, last) + 1).ok()?;
            closes.resize(start + span, f64::NAN);
            for (day, close) in &s.points {
                closes[start + usize::try_from(days_between(first, *day)).ok()?] = *close;
            }
            series.push(PackedSeries {
                key: s.key.clone(),
                currency: s.currency,
                source: s.source.clone(),
                first_day: first,
                days: span,
            });
        }
        let header = PackedHeader {
            assets: self.assets.clone(),
            held: self.held.clone(),
            settings: self.settings.clone(),
            series,
        };
        Some(PackedJob {
            header: serde_json::to_string(&header).ok()?,
            closes,
        })
    }

    /// The job back from [`RiskJob::pack`]'s parts (days without a close are left out).
    pub fn unpack(header: &str, closes: &[f64]) -> Result<RiskJob, String> {
        let h: PackedHeader = serde_json::from_str(header)
            .map_err(|e| format!("The risk job could not be read: {e}"))?;
        let mut history = BTreeMap::new();
        let mut at = 0;
        for s in h.series {
            let values = closes
                .get(at..at + s.days)
                .ok_or("The risk job's closes are shorter than its header says.")?;
            at += s.days;
            let points = s
                .first_day
                .iter_days()
                .zip(values)
                .filter(|(_, v)| !v.is_nan())
                .map(|(day, v)| (day, *v))
                .collect();
            history.insert(
                s.key.clone(),
                DailySeries {
                    key: s.key,
                    currency: s.currency,
                    points,
                    source: s.source,
                },
            );
        }
        Ok(RiskJob {
            assets: h.assets,
            history,
            held: h.held,
            settings: h.settings,
        })
    }
}

/// A message from the risk worker (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerMessage {
    /// The worker is ready for a job.
    Ready,
    /// Share done, 0–1.
    Progress(f64),
    /// The report.
    Done(Box<RiskReport>),
    /// Why there is no report.
    Failed(String),
}

/// Runs a job given as JSON and returns the final message as JSON; `progress` receives
/// progress messages as JSON. This is the whole of the worker's work, testable natively.
pub fn run_job(job_json: &str, progress: &mut dyn FnMut(String)) -> String {
    run(
        serde_json::from_str::<RiskJob>(job_json)
            .map_err(|e| format!("The risk job could not be read: {e}")),
        progress,
    )
}

/// [`run_job`] for a packed job ([`RiskJob::pack`]).
pub fn run_packed_job(header: &str, closes: &[f64], progress: &mut dyn FnMut(String)) -> String {
    run(RiskJob::unpack(header, closes), progress)
}

fn run(job: Result<RiskJob, String>, progress: &mut dyn FnMut(String)) -> String {
    let message = match job {
        Err(e) => WorkerMessage::Failed(e),
        Ok(job) => match job.report(&mut |p| {
            progress(serde_json::to_string(&WorkerMessage::Progress(p)).unwrap_or_default())
        }) {
            Ok(r) => WorkerMessage::Done(Box::new(r)),
            Err(e) => WorkerMessage::Failed(e.to_string()),
        },
    };
    serde_json::to_string(&message).unwrap_or_default()
}

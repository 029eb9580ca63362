//! Step 5, value at risk and expected shortfall at 95 and 99 %, over one day and over the
//! horizon, by four methods: historical, parametric normal, Cornish–Fisher and Monte Carlo.

use super::covariance::CovarianceFigures;
use super::document::{defined, VarEstimate, VarModel};
use super::settings::RiskSettings;
use crate::domain::risk::metrics::{conditional_value_at_risk, nanmean, nanstd, value_at_risk};
use crate::domain::risk::panel::{
    cornish_fisher_var, excess_kurtosis, monte_carlo_var, parametric_cvar, parametric_var, skew,
    McSpec,
};
use crate::domain::risk::returns::ReturnKind;

/// Most Monte Carlo returns kept for the distribution chart.
const MC_SAMPLE: usize = 2000;

/// The estimates and a sample of the simulated 1-day returns.
#[derive(Debug, Clone, PartialEq)]
pub struct VarFigures {
    /// Historical, parametric and Cornish–Fisher for 95 % then 99 %, each over 1 day then
    /// the horizon; then Monte Carlo over 1 day then the horizon, each at 95 % then 99 %.
    pub estimates: Vec<VarEstimate>,
    /// At most 2,000 of the simulated 1-day returns (evenly spaced), sorted.
    pub mc_sample: Vec<f64>,
}

/// The portfolio's return over each run of `k` consecutive periods (overlapping windows),
/// in `kind`, from its simple returns `port`: compounded, `∏(1 + r) − 1`, for simple returns;
/// the sum of the log returns (the same compounding) for log returns.
pub fn horizon_returns(port: &[f64], k: usize, kind: ReturnKind) -> Vec<f64> {
    match kind {
        ReturnKind::Simple => port
            .windows(k.max(1))
            .map(|x| x.iter().fold(1.0, |w, r| w * (1.0 + r)) - 1.0)
            .collect(),
        ReturnKind::Log => port
            .windows(k.max(1))
            .map(|x| x.iter().map(|r| r.ln_1p()).sum())
            .collect(),
    }
}

/// The estimates for the simple returns `port` (`dist`: the same in the settings' kind),
/// with today's weights `w` and the covariance figures for the Monte Carlo; `progress` gets
/// the share of the simulation done.
pub fn var_figures(
    port: &[f64],
    dist: &[f64],
    panel: &CovarianceFigures,
    w: &[f64],
    settings: &RiskSettings,
    progress: &mut dyn FnMut(f64),
) -> VarFigures {
    let kind = settings.returns.label();
    let (mean, sigma) = (nanmean(dist), nanstd(dist));
    let (sk, ku) = (skew(dist), excess_kurtosis(dist));
    let h = settings.horizon.max(1);
    let mut estimates = Vec::new();
    for c in [0.95, 0.99] {
        for hz in [1, h] {
            let (returns, window) = if hz == 1 {
                (dist.to_vec(), String::new())
            } else {
                let how = match settings.returns {
                    ReturnKind::Simple => "compounded, ∏(1 + r) − 1",
                    ReturnKind::Log => "the sum of their log returns",
                };
                (
                    horizon_returns(port, hz as usize, settings.returns),
                    format!("; {hz}-day returns: every run of {hz} days, {how}"),
                )
            };
            let t = f64::from(hz);
            estimates.push(VarEstimate {
                model: VarModel::Historical,
                method: format!(
                    "Historical (empyrical: linear percentile; CVaR mean of the tail{window}), {kind}"
                ),
                confidence: c,
                horizon: hz,
                var: defined(value_at_risk(&returns, 1.0 - c)),
                cvar: defined(conditional_value_at_risk(&returns, 1.0 - c)),
            });
            estimates.push(VarEstimate {
                model: VarModel::Parametric,
                method: format!("Parametric normal (quantstats: μ·h + z·σ·√h), {kind}"),
                confidence: c,
                horizon: hz,
                var: defined(parametric_var(mean, sigma, c, t, true)),
                cvar: defined(parametric_cvar(mean, sigma, c, t)),
            });
            estimates.push(VarEstimate {
                model: VarModel::CornishFisher,
                method: format!("Cornish–Fisher (skew and kurtosis adjusted), {kind}"),
                confidence: c,
                horizon: hz,
                var: defined(cornish_fisher_var(mean, sigma, sk, ku, c, t)),
                cvar: None,
            });
        }
    }
    // One set of 1-period paths; the horizon's are the same paths scaled (exact in
    // distribution), and both confidences are read from each.
    let spec = McSpec {
        paths: settings.mc_paths,
        horizon: 1,
        confidence: 0.95,
        seed: settings.seed,
    };
    let daily = monte_carlo_var(&panel.means, &panel.covariance, w, &spec, progress);
    let mc_sample = daily.as_ref().map_or_else(Vec::new, |r| {
        let step = (r.sorted.len() / MC_SAMPLE).max(1);
        r.sorted.iter().step_by(step).copied().collect()
    });
    for hz in [1, h] {
        let run = daily.as_ref().map(|r| {
            if hz == 1 {
                r.clone()
            } else {
                r.over(f64::from(hz))
            }
        });
        for c in [0.95, 0.99] {
            estimates.push(VarEstimate {
                model: VarModel::MonteCarlo,
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
    VarFigures {
        estimates,
        mc_sample,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_returns_compound_simple_returns_and_add_log_returns() {
        // +10 %, +10 %, −50 %: two-day windows compound to 1.1·1.1 − 1 = 0.21 and
        // 1.1·0.5 − 1 = −0.45 (adding them would say 0.20 and −0.40).
        let port = [0.1, 0.1, -0.5];
        let simple = horizon_returns(&port, 2, ReturnKind::Simple);
        assert_eq!(simple.len(), 2);
        assert!((simple[0] - 0.21).abs() < 1e-15 && (simple[1] + 0.45).abs() < 1e-15);
        // In log returns the same windows are ln 1.21 and ln 0.55: the logs add up.
        let log = horizon_returns(&port, 2, ReturnKind::Log);
        assert!((log[0] - 1.21f64.ln()).abs() < 1e-15 && (log[1] - 0.55f64.ln()).abs() < 1e-15);
    }
}

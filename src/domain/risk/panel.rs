//! Several assets at once: covariance and correlation, the portfolio's returns and
//! volatility, risk contributions, concentration, PCA, and value at risk by the parametric
//! (normal and Cornish–Fisher) and Monte Carlo methods.
//!
//! Conventions: `rows` are periods (T rows) of asset returns (N columns), aligned on the same
//! dates without gaps (see [`crate::domain::risk::returns::align`]); weights sum to 1 and are
//! held fixed (rebalanced every period), so the portfolio return is `R·w`. Covariances are
//! sample covariances (ddof = 1) unless said otherwise. VaR and CVaR are returns, negative
//! for a loss, at `confidence` 0.95 or 0.99.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};

use crate::domain::random::SplitMix64;

/// A dense square matrix, row-major.
pub type Matrix = Vec<Vec<f64>>;

/// Column means.
pub fn means(rows: &[Vec<f64>]) -> Vec<f64> {
    let n = rows.first().map_or(0, Vec::len);
    let mut m = vec![0.0; n];
    for r in rows {
        for (a, x) in m.iter_mut().zip(r) {
            *a += x;
        }
    }
    let t = rows.len().max(1) as f64;
    m.iter_mut().for_each(|a| *a /= t);
    m
}

/// Covariance matrix with `ddof` (1: sample, numpy's `np.cov` default; 0: population).
///
/// # Formula
/// `Σ_jk = Σ_t (r_tj − r̄_j)(r_tk − r̄_k) / (T − ddof)`.
// Matrix algebra reads clearest with indices.
#[allow(clippy::needless_range_loop)]
pub fn covariance(rows: &[Vec<f64>], ddof: usize) -> Matrix {
    let m = means(rows);
    let n = m.len();
    let mut c = vec![vec![0.0; n]; n];
    let mut d = vec![0.0; n];
    for r in rows {
        for ((dj, x), mj) in d.iter_mut().zip(r).zip(&m) {
            *dj = x - mj;
        }
        for (j, row) in c.iter_mut().enumerate() {
            let dj = d[j];
            for (ck, dk) in row[j..].iter_mut().zip(&d[j..]) {
                *ck += dj * dk;
            }
        }
    }
    let denom = rows.len().saturating_sub(ddof).max(1) as f64;
    for j in 0..n {
        for k in j..n {
            let v = c[j][k] / denom;
            c[j][k] = v;
            c[k][j] = v;
        }
    }
    c
}

/// Correlation matrix from a covariance matrix: `ρ_jk = Σ_jk / √(Σ_jj Σ_kk)`.
pub fn correlation(cov: &Matrix) -> Matrix {
    let sd: Vec<f64> = (0..cov.len()).map(|i| cov[i][i].sqrt()).collect();
    cov.iter()
        .enumerate()
        .map(|(j, row)| {
            row.iter()
                .enumerate()
                .map(|(k, c)| c / (sd[j] * sd[k]))
                .collect()
        })
        .collect()
}

/// The portfolio's return each period: `R·w`.
pub fn portfolio_returns(rows: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    rows.iter()
        .map(|r| r.iter().zip(w).map(|(a, b)| a * b).sum())
        .collect()
}

fn mat_vec(m: &Matrix, v: &[f64]) -> Vec<f64> {
    m.iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
        .collect()
}

/// Portfolio volatility per period: `σ_p = √(wᵀ Σ w)`.
pub fn portfolio_sigma(cov: &Matrix, w: &[f64]) -> f64 {
    mat_vec(cov, w)
        .iter()
        .zip(w)
        .map(|(a, b)| a * b)
        .sum::<f64>()
        .sqrt()
}

/// How much of the portfolio's volatility each asset carries.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskContributions {
    /// Marginal: `∂σ_p/∂w_i = (Σw)_i / σ_p`.
    pub marginal: Vec<f64>,
    /// Component: `w_i · marginal_i`; they sum to `σ_p`.
    pub component: Vec<f64>,
    /// Percent (as fractions): `component_i / σ_p`; they sum to 1.
    pub percent: Vec<f64>,
}

/// Marginal, component and percent risk contributions (Euler decomposition of `σ_p`).
pub fn risk_contributions(cov: &Matrix, w: &[f64]) -> RiskContributions {
    let sw = mat_vec(cov, w);
    let sigma = portfolio_sigma(cov, w);
    let marginal: Vec<f64> = sw.iter().map(|x| x / sigma).collect();
    let component: Vec<f64> = marginal.iter().zip(w).map(|(m, wi)| m * wi).collect();
    let percent = component.iter().map(|c| c / sigma).collect();
    RiskContributions {
        marginal,
        component,
        percent,
    }
}

/// Diversification ratio: `Σ w_i σ_i / σ_p` (1 for a single asset, higher when
/// correlations are low).
pub fn diversification_ratio(cov: &Matrix, w: &[f64]) -> f64 {
    let weighted: f64 = w
        .iter()
        .enumerate()
        .map(|(i, wi)| wi * cov[i][i].sqrt())
        .sum();
    weighted / portfolio_sigma(cov, w)
}

/// Herfindahl–Hirschman index of the weights: `Σ w_i²` (1 for one asset, 1/N when equal).
pub fn hhi(w: &[f64]) -> f64 {
    w.iter().map(|x| x * x).sum()
}

/// Effective number of assets: `1 / Σ w_i²`. (SmartFolio's `1/Σw⁴` is a defect: it counts
/// 16 equal assets as 4,096.)
pub fn effective_assets(w: &[f64]) -> f64 {
    1.0 / hhi(w)
}

/// Eigenvalues of a symmetric matrix (cyclic Jacobi), largest first.
// Matrix algebra reads clearest with indices.
#[allow(clippy::needless_range_loop)]
pub fn eigenvalues(m: &Matrix) -> Vec<f64> {
    let n = m.len();
    let mut a = m.clone();
    let total: f64 = a.iter().flatten().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        // Converged when what is left off the diagonal is negligible against the matrix.
        if off <= 1e-24 * total {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
    let mut ev: Vec<f64> = (0..n).map(|i| a[i][i]).collect();
    ev.sort_by(|x, y| y.total_cmp(x));
    ev
}

/// PCA of the correlation matrix: the share of total variance each principal component
/// explains, largest first (they sum to 1).
pub fn pca_explained(corr: &Matrix) -> Vec<f64> {
    let ev = eigenvalues(corr);
    let total: f64 = ev.iter().sum();
    ev.iter().map(|e| e / total).collect()
}

/// Lower-triangular Cholesky factor `L` with `L Lᵀ = Σ`. `None` when the matrix is not
/// positive definite (for instance two identical assets).
// Matrix algebra reads clearest with indices.
#[allow(clippy::needless_range_loop)]
pub fn cholesky(m: &Matrix) -> Option<Matrix> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - s;
                if d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (m[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Cholesky of `Σ`, or of `Σ + εI` when `Σ` is singular (two assets moving in lockstep, a
/// stablecoin pair): ε grows from 1e−10 to 1e−4 times the mean variance until the factor
/// exists (SmartFolio adds a fixed 1e−6 ridge). `None` when even that fails.
pub fn cholesky_with_ridge(cov: &Matrix) -> Option<Matrix> {
    if let Some(l) = cholesky(cov) {
        return Some(l);
    }
    let n = cov.len().max(1);
    let scale = (0..cov.len()).map(|i| cov[i][i]).sum::<f64>() / n as f64;
    let scale = if scale > 0.0 { scale } else { 1e-12 };
    [1e-10, 1e-8, 1e-6, 1e-4].iter().find_map(|k| {
        let mut m = cov.clone();
        for (i, row) in m.iter_mut().enumerate() {
            row[i] += k * scale;
        }
        cholesky(&m)
    })
}

fn std_normal() -> Normal {
    // Mean 0 and standard deviation 1 are valid parameters.
    Normal::standard()
}

/// The standard normal quantile (`scipy.stats.norm.ppf`).
pub fn normal_quantile(p: f64) -> f64 {
    std_normal().inverse_cdf(p)
}

/// Parametric (normal) VaR over `horizon` periods, quantstats' convention (a return,
/// negative for a loss).
///
/// # Formula
/// `μ·h + z_{1−c}·σ·√h` with `mean_adjusted`, else `z_{1−c}·σ·√h` (the square-root-of-time
/// rule); `z` is the standard normal quantile.
pub fn parametric_var(
    mu: f64,
    sigma: f64,
    confidence: f64,
    horizon: f64,
    mean_adjusted: bool,
) -> f64 {
    let z = normal_quantile(1.0 - confidence);
    let m = if mean_adjusted { mu * horizon } else { 0.0 };
    m + z * sigma * horizon.sqrt()
}

/// Parametric (normal) CVaR, the closed-form expected shortfall of quantstats ≥ 0.0.83.
///
/// # Formula
/// `μ·h − σ·√h · φ(z_{1−c}) / (1 − c)`, φ the standard normal density.
pub fn parametric_cvar(mu: f64, sigma: f64, confidence: f64, horizon: f64) -> f64 {
    let z = normal_quantile(1.0 - confidence);
    mu * horizon - sigma * horizon.sqrt() * std_normal().pdf(z) / (1.0 - confidence)
}

/// `Σ(x − mean)^k / n`.
fn central_moment(r: &[f64], mean: f64, k: i32) -> f64 {
    r.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / r.len() as f64
}

/// Skewness, bias-corrected (pandas `Series.skew`, which quantstats uses).
///
/// # Formula
/// `G₁ = √(n(n−1)) / (n−2) · m₃ / m₂^{3/2}`, with central moments `m_k = Σ(x − x̄)^k / n`.
/// `NaN` under three points or for a constant series.
pub fn skew(r: &[f64]) -> f64 {
    let n = r.len() as f64;
    if r.len() < 3 {
        return f64::NAN;
    }
    let m = r.iter().sum::<f64>() / n;
    let m2 = central_moment(r, m, 2);
    let m3 = central_moment(r, m, 3);
    if m2 == 0.0 {
        return f64::NAN;
    }
    (n * (n - 1.0)).sqrt() / (n - 2.0) * m3 / m2.powf(1.5)
}

/// Excess kurtosis, bias-corrected (pandas `Series.kurt`).
///
/// # Formula
/// `G₂ = ((n+1)·g₂ + 6)·(n−1) / ((n−2)(n−3))`, with `g₂ = m₄/m₂² − 3`. `NaN` under four
/// points or for a constant series.
pub fn excess_kurtosis(r: &[f64]) -> f64 {
    let n = r.len() as f64;
    if r.len() < 4 {
        return f64::NAN;
    }
    let m = r.iter().sum::<f64>() / n;
    let m2 = central_moment(r, m, 2);
    let m4 = central_moment(r, m, 4);
    if m2 == 0.0 {
        return f64::NAN;
    }
    let g2 = m4 / (m2 * m2) - 3.0;
    ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}

/// Cornish–Fisher VaR: the normal quantile corrected for skew `S` and excess kurtosis `K`.
///
/// # Formula
/// `z_cf = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36`, VaR `= μ·h + z_cf·σ·√h`.
pub fn cornish_fisher_var(
    mu: f64,
    sigma: f64,
    s: f64,
    k: f64,
    confidence: f64,
    horizon: f64,
) -> f64 {
    let z = normal_quantile(1.0 - confidence);
    let zcf = z + (z * z - 1.0) * s / 6.0 + (z.powi(3) - 3.0 * z) * k / 24.0
        - (2.0 * z.powi(3) - 5.0 * z) * s * s / 36.0;
    mu * horizon + zcf * sigma * horizon.sqrt()
}

/// A uniform in (0, 1) from 53 random bits.
fn uniform(rng: &mut SplitMix64) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// Pairs of independent standard normals (Marsaglia's polar method: no trigonometry).
fn normals(rng: &mut SplitMix64) -> (f64, f64) {
    loop {
        let u = 2.0 * uniform(rng) - 1.0;
        let v = 2.0 * uniform(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            let k = (-2.0 * s.ln() / s).sqrt();
            return (u * k, v * k);
        }
    }
}

/// What a Monte Carlo run draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct McSpec {
    /// Number of simulated paths (10,000 to 100,000 on the risk page).
    pub paths: usize,
    /// Periods per path.
    pub horizon: usize,
    /// Confidence, 0.95 or 0.99.
    pub confidence: f64,
    /// Seed: the same seed gives the same numbers.
    pub seed: u64,
}

/// The outcome of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    /// Simulated portfolio returns over the horizon, sorted ascending.
    pub sorted: Vec<f64>,
    /// VaR: the `1 − c` quantile of the simulated returns (linear interpolation).
    pub var: f64,
    /// CVaR: the mean of the simulated returns at or below the VaR.
    pub cvar: f64,
    /// Mean portfolio return per period, `wᵀμ`.
    pub drift: f64,
}

/// Monte Carlo VaR and CVaR: `paths` draws of the asset returns from a multivariate normal
/// with the sample means and covariance (through its Cholesky factor `L`), seeded so the
/// same seed gives the same numbers. A path over `horizon` periods is the sum of that many
/// independent daily returns.
///
/// The portfolio return of a draw `x = μ + L z` is `wᵀμ + (Lᵀw)ᵀ z`: `Lᵀw` is computed once,
/// which is exact and makes each path cost N, not N², operations. A singular covariance
/// gets a small ridge ([`cholesky_with_ridge`]); `None` when even that fails. `progress` is called with the share done.
pub fn monte_carlo_var(
    mu: &[f64],
    cov: &Matrix,
    w: &[f64],
    spec: &McSpec,
    progress: &mut dyn FnMut(f64),
) -> Option<MonteCarlo> {
    let McSpec {
        paths,
        horizon,
        confidence,
        seed,
    } = *spec;
    let l = cholesky_with_ridge(cov)?;
    let n = w.len();
    let b: Vec<f64> = (0..n)
        .map(|j| (j..n).map(|i| l[i][j] * w[i]).sum())
        .collect();
    let drift: f64 = mu.iter().zip(w).map(|(m, x)| m * x).sum();
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(paths);
    let mut spare: Option<f64> = None;
    let mut draw = |rng: &mut SplitMix64| match spare.take() {
        Some(z) => z,
        None => {
            let (a, c) = normals(rng);
            spare = Some(c);
            a
        }
    };
    // The sum of h independent daily draws is normal with mean h·wᵀμ and standard
    // deviation √h times the daily one: drawn once per path (exact in distribution).
    let h = horizon.max(1) as f64;
    let (shift, spread) = (drift * h, h.sqrt());
    let step = (paths / 20).max(1);
    for p in 0..paths {
        let mut x = 0.0;
        for bj in &b {
            x += bj * draw(&mut rng);
        }
        out.push(shift + spread * x);
        if p % step == 0 {
            progress(p as f64 / paths as f64);
        }
    }
    out.sort_by(f64::total_cmp);
    progress(1.0);
    let mut run = MonteCarlo {
        sorted: out,
        var: f64::NAN,
        cvar: f64::NAN,
        drift: shift / h,
    };
    (run.var, run.cvar) = (run.var_at(confidence), run.cvar_at(confidence));
    Some(run)
}

impl MonteCarlo {
    /// The same paths over `h` times the horizon: each path's random part scaled by √h and
    /// its drift by h (exact in distribution; sorting is preserved).
    pub fn over(&self, h: f64) -> MonteCarlo {
        let sorted: Vec<f64> = self
            .sorted
            .iter()
            .map(|x| self.drift * h + h.sqrt() * (x - self.drift))
            .collect();
        let mut run = MonteCarlo {
            sorted,
            var: f64::NAN,
            cvar: f64::NAN,
            drift: self.drift * h,
        };
        (run.var, run.cvar) = (run.var_at(0.95), run.cvar_at(0.95));
        run
    }

    /// VaR at another confidence, from the same paths.
    pub fn var_at(&self, confidence: f64) -> f64 {
        crate::domain::risk::metrics::percentile(&self.sorted, 100.0 * (1.0 - confidence))
    }

    /// CVaR at another confidence, from the same paths: the mean of the paths at or below
    /// that VaR.
    pub fn cvar_at(&self, confidence: f64) -> f64 {
        let var = self.var_at(confidence);
        let tail: Vec<f64> = self
            .sorted
            .iter()
            .copied()
            .take_while(|x| *x <= var)
            .collect();
        tail.iter().sum::<f64>() / tail.len().max(1) as f64
    }
}

//! Step 4, today's assets together: their covariance (returns of the chosen kind), the
//! correlation matrix, PCA, each asset's risk contribution, and the two diversification
//! figures. They describe the portfolio as it is, so they use today's weights.

use super::document::{metric, Metric, Unit, DIVERSIFICATION_RATIO, SMARTFOLIO_DIVERSIFICATION};
use crate::domain::risk::panel::{
    correlation, covariance, diversification_ratio, means, pca_explained, risk_contributions,
    Matrix, RiskContributions,
};
use crate::domain::risk::returns::ReturnKind;
use crate::domain::risk::scores::smartfolio_diversification;

/// What the covariance of today's assets gives.
#[derive(Debug, Clone, PartialEq)]
pub struct CovarianceFigures {
    /// Mean return per asset, per period.
    pub means: Vec<f64>,
    /// Sample covariance (ddof 1).
    pub covariance: Matrix,
    /// Correlation.
    pub correlation: Matrix,
    /// PCA explained-variance shares, largest first.
    pub pca: Vec<f64>,
    /// Risk contributions (Euler decomposition of σ_p).
    pub contributions: RiskContributions,
    /// The diversification ratio and SmartFolio's diversification index.
    pub metrics: Vec<Metric>,
}

/// The figures of `rows` (one row per period, one column per asset, in `kind`) with
/// today's weights `w`.
pub fn covariance_figures(rows: &[Vec<f64>], w: &[f64], kind: ReturnKind) -> CovarianceFigures {
    let cov = covariance(rows, 1);
    let corr = correlation(&cov);
    let kind = kind.label();
    let metrics = vec![
        metric(
            DIVERSIFICATION_RATIO,
            diversification_ratio(&cov, w),
            Unit::Ratio,
            &format!("Σ wᵢσᵢ / σ_p (Choueifaty–Coignard): 1 for one asset, higher as correlations fall; today's weights among assets with history, {kind}"),
        ),
        metric(
            SMARTFOLIO_DIVERSIFICATION,
            smartfolio_diversification(&corr, w),
            Unit::Ratio,
            &format!("√(Σ w² / wᵀCw), C the correlation matrix (SmartFolio, read by its risk score): 1 when uncorrelated, lower as correlations rise; today's weights among assets with history, {kind}"),
        ),
    ];
    CovarianceFigures {
        means: means(rows),
        pca: pca_explained(&corr),
        contributions: risk_contributions(&cov, w),
        covariance: cov,
        correlation: corr,
        metrics,
    }
}

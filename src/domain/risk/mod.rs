//! Risk and performance analytics. [`metrics`] holds the return-series metrics, each
//! matching empyrical and documenting its formula and conventions; [`panel`] the
//! multi-asset ones (covariance, contributions, PCA, parametric and Monte Carlo VaR).

pub mod metrics;
pub mod panel;

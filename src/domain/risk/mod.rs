//! Risk and performance analytics. [`metrics`] holds the return-series metrics, each
//! matching empyrical and documenting its formula and conventions; [`panel`] the
//! multi-asset ones (covariance, contributions, PCA, parametric and Monte Carlo VaR);
//! [`returns`] aligns daily closes into returns; [`scores`] SmartFolio's GRI, structural
//! and risk scores; [`stress`] stress tests and Brinson attribution; [`report`] puts
//! them together for a portfolio.

pub mod metrics;
pub mod panel;
pub mod report;
pub mod returns;
pub mod scores;
pub mod stress;

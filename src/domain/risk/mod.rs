//! Risk and performance analytics. [`metrics`] holds the return-series metrics, each
//! matching empyrical and documenting its formula and conventions.

pub mod metrics;

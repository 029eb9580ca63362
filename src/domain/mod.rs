//! Pure domain code: no browser types. Builds and is tested natively.

pub mod dashboard;
pub mod demo;
pub mod holding;
pub mod import;
pub mod number;
pub mod portfolio;
pub mod prices;
pub mod rebalance;
pub mod risk;
pub mod store;
pub mod swar;
pub mod symbol;
pub mod synthetic;
pub mod taxonomy;
pub mod valuation;

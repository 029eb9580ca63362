//! One module per route.

#[cfg(feature = "bench")]
pub mod bench;
pub mod dashboard;
pub mod holdings;
pub mod import;
pub mod rebalance;
pub mod risk;
pub mod settings;
pub mod shared;
pub mod sources;

//! One module per route.

pub mod dashboard;
pub mod holdings;
pub mod import;
pub mod settings;
pub mod sources;

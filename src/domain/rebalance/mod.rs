//! Rebalancing: targets, the plan (what to sell and buy, where, how much), governance
//! limits, execution schedules and exports.
//!
//! - [`targets`]: target weights per class, crypto group and asset; templates.
//! - [`venues`]: location names, sell priorities, execution hints, default fees.
//! - [`plan`]: the planner (SmartFolio's algorithm, with drift bands, modes and fees).
//! - [`governance`]: policy (daily cap, order sizes, freeze), days, plan states.
//! - [`schedule`]: TWAP and iceberg slicing.
//! - [`export`]: CSV, JSON and share links.

pub mod export;
pub mod governance;
pub mod plan;
pub mod schedule;
pub mod targets;
pub mod venues;

use crate::domain::holding::AssetClass;
use plan::Position;
use targets::{class_bucket, CurrentMix};

/// Today's values per class and per crypto group, for templates and "current weights".
pub fn current_mix(positions: &[Position]) -> CurrentMix {
    let mut mix = CurrentMix::default();
    for p in positions {
        *mix.classes
            .entry(class_bucket(p.class).to_string())
            .or_default() += p.value;
        if p.class == AssetClass::Crypto {
            *mix.groups.entry(p.group.clone()).or_default() += p.value;
        }
    }
    mix
}

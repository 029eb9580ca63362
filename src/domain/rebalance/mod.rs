//! Rebalancing: targets, the plan (what to sell and buy, where, how much), governance
//! limits, saved plans, execution schedules and exports.
//!
//! Layers inside the module (a file imports only from the rows below its own):
//!
//! 1. [`model`] (the planner's vocabulary: positions, options, policy, actions, the plan)
//!    and [`venues`] (location names, sell priorities, execution hints, default fees).
//! 2. [`targets`] (target weights per class, crypto group and asset, keyed by type) and
//!    [`templates`] (today's weights, the templates, SmartFolio's risk budget).
//! 3. [`governance`] (policy checks, freeze, days under the daily cap) and
//!    [`plan`] (the planner: SmartFolio's algorithm, with drift bands, modes and fees).
//! 4. [`saved`] (saved plans and their states), [`schedule`] (TWAP and iceberg slicing)
//!    and [`export`] (CSV, JSON and share links).

pub mod export;
pub mod governance;
pub mod model;
pub mod plan;
pub mod saved;
pub mod schedule;
pub mod targets;
pub mod templates;
pub mod venues;

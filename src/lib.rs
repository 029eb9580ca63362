//! Folio: portfolio tracking, rebalancing and risk analytics that run entirely in the browser.
//!
//! Module map and dependency rule:
//! - [`domain`]: pure Rust (import formats, holdings, taxonomy, portfolio views). Imports
//!   nothing from `browser` or `ui`; builds and is tested natively.
//! - `browser` (wasm32 only): IndexedDB, files, downloads; converts JS values into domain types.
//! - `ui` (wasm32 only): the Leptos app; holds signals of plain domain values.
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout)]
#![warn(missing_docs)]

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;

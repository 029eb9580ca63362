//! Work handed to the Web Workers: what the page sends, what the worker answers, and the
//! run itself (pure, so it is tested natively).
//!
//! - [`import`]: the import job (a file's bytes in, progress and an outcome out).
//! - [`wire`]: how a finished import's holdings cross back to the page.
//! - [`prices`]: the price refresh (FX rates, live prices), whose fetching is the browser's.
//! - [`risk`]: the risk job (assembled from the valuation, the stored series and the
//!   snapshots; packed with its closes as one array), its messages and its run.

pub mod import;
pub mod prices;
pub mod risk;
pub mod wire;

//! Work handed to the Web Workers: what the page sends, what the worker answers, and the
//! run itself (pure, so it is tested natively).
//!
//! - [`import`]: the import job (a file's bytes in, progress and an outcome out).
//! - [`wire`]: how a finished import's holdings cross back to the page.
//! - [`risk`]: the risk job (assembled from the valuation, the stored series and the
//!   snapshots; packed with its closes as one array), its messages and its run.

pub mod import;
pub mod risk;
pub mod wire;

//! The price refresh as a job for a Web Worker: what the page asks the price worker to fetch
//! and what the worker answers. The fetching is the browser's (`browser::prices`); it runs in
//! the worker so that the first page's module carries no provider code.
//!
//! Jobs and answers cross as structured clones (`serde_wasm_bindgen`), not JSON: the page's
//! side needs no JSON code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::prices::chain::Health;
use crate::domain::prices::fx::FxRates;
use crate::domain::prices::ids::IdOverrides;
use crate::domain::prices::refresh::RefreshReport;
use crate::domain::prices::wanted::ListedAsset;
use crate::domain::prices::{PriceError, Provider};

/// What the page asks of the price worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PriceJob {
    /// The latest ECB rates.
    Fx,
    /// Live prices.
    Spot(SpotJob),
}

/// Live prices to fetch, and what the sources need to fetch them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpotJob {
    /// Coin symbols.
    pub crypto: Vec<String>,
    /// Stocks and ETFs.
    pub listed: Vec<ListedAsset>,
    /// The crypto sources in the order they are tried.
    pub crypto_sources: Vec<Provider>,
    /// How each source has been doing in this session.
    pub health: BTreeMap<Provider, Health>,
    /// Provider ids chosen by the user.
    pub id_overrides: IdOverrides,
    /// The user's Twelve Data API key.
    pub twelvedata_key: String,
}

/// What one round of live prices gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpotRefresh {
    /// The coins' report.
    pub crypto: RefreshReport,
    /// The stocks' and ETFs' report.
    pub listed: RefreshReport,
    /// Each source's health after the round.
    pub health: BTreeMap<Provider, Health>,
}

/// A message from the price worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PriceMessage {
    /// The worker's handler is set: jobs may be sent.
    Ready,
    /// The answer to [`PriceJob::Fx`].
    Fx(Result<FxRates, PriceError>),
    /// The answer to [`PriceJob::Spot`].
    Spot(Box<SpotRefresh>),
    /// The job could not be read.
    Failed(String),
}

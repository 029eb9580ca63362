//! Prices: quotes and where they come from, provider responses, the source chain with
//! back-off, FX rates, and daily history. Types and parsing only; the HTTP clients live in
//! `browser::prices`.

pub mod chain;
pub mod fx;
pub mod history;
pub mod ids;
pub mod merge;
pub mod parse;
pub mod refresh;
pub mod wanted;

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::price_key::PriceKey;

/// A public price or FX service the browser calls directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Provider {
    /// CoinGecko (`api.coingecko.com/api/v3`): spot for many coins in one call, daily history ≤ 365 days.
    CoinGecko,
    /// Binance public market data (`data-api.binance.vision`), quoted in USDT.
    Binance,
    /// Coinbase Exchange (`api.exchange.coinbase.com`) candles, quoted in USD.
    Coinbase,
    /// Twelve Data (`api.twelvedata.com`): stocks and ETFs with the user's own API key.
    TwelveData,
    /// Frankfurter (`api.frankfurter.dev`): ECB reference FX rates.
    Frankfurter,
}

impl Provider {
    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Provider::CoinGecko => "CoinGecko",
            Provider::Binance => "Binance",
            Provider::Coinbase => "Coinbase",
            Provider::TwelveData => "Twelve Data",
            Provider::Frankfurter => "Frankfurter (ECB)",
        }
    }

    /// Every provider.
    pub const ALL: [Provider; 5] = [
        Provider::CoinGecko,
        Provider::Binance,
        Provider::Coinbase,
        Provider::TwelveData,
        Provider::Frankfurter,
    ];

    /// Providers that price crypto, in the default order.
    pub const CRYPTO: [Provider; 3] = [Provider::CoinGecko, Provider::Binance, Provider::Coinbase];
}

/// Where a price used for a value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PriceOrigin {
    /// The imported file's own value or price.
    File,
    /// A provider (fetched now or read from the cache).
    Provider(Provider),
    /// Typed by the user.
    Manual,
    /// The last close of a price-history CSV the user imported.
    HistoryCsv,
    /// Cash: worth its balance, converted by FX.
    Cash,
}

impl PriceOrigin {
    /// Display label.
    pub fn label(&self) -> String {
        match self {
            PriceOrigin::File => "file".to_string(),
            PriceOrigin::Provider(p) => p.label().to_string(),
            PriceOrigin::Manual => "manual".to_string(),
            PriceOrigin::HistoryCsv => "price CSV".to_string(),
            PriceOrigin::Cash => "cash".to_string(),
        }
    }
}

/// A spot price of one asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The asset.
    pub key: PriceKey,
    /// Price of one unit.
    pub price: f64,
    /// Currency of `price`.
    pub currency: Currency,
    /// When the provider says the price was last updated.
    #[serde(rename = "at_ms")]
    pub at: Timestamp,
    /// Change over 24 hours in percent, when the provider gives it.
    pub change_24h_pct: Option<f64>,
    /// Where it came from.
    pub origin: PriceOrigin,
}

/// Why a provider gave no price.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum PriceError {
    /// HTTP 429 (or 418 from Binance): too many requests.
    #[error("rate limited (HTTP {status})")]
    RateLimited {
        /// The status.
        status: u16,
        /// Seconds to wait, from `Retry-After`.
        retry_after_s: Option<f64>,
    },
    /// Another HTTP error status.
    #[error("HTTP {status}{}", if .message.is_empty() { String::new() } else { format!(": {}", .message) })]
    Http {
        /// The status.
        status: u16,
        /// The provider's message, if any.
        message: String,
    },
    /// The request failed without a readable response: offline, blocked, or a throttled
    /// response without CORS headers (which the browser hides as a network error).
    #[error("network error or blocked response ({0})")]
    Network(String),
    /// No answer in time.
    #[error("no answer within {0} s")]
    Timeout(u32),
    /// A response that is not what the provider documents.
    #[error("unexpected response: {0}")]
    Malformed(String),
    /// The provider does not know the asset.
    #[error("{0} is not listed")]
    NotListed(String),
    /// A key is needed and none was given.
    #[error("needs an API key (Settings)")]
    NoKey,
}

/// Pricing modes, as in SmartFolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PricingMode {
    /// Only the files' own values.
    Local,
    /// Only live prices (files' values where no live price is known).
    Live,
    /// Live when the import is older than [`HYBRID_MAX_AGE_MIN`] minutes or the file has no
    /// price; otherwise the file's. A deviation above [`HYBRID_MAX_DEVIATION_PCT`] between
    /// the two is flagged.
    #[default]
    Hybrid,
}

impl PricingMode {
    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            PricingMode::Local => "File values",
            PricingMode::Live => "Live prices",
            PricingMode::Hybrid => "Hybrid",
        }
    }
}

/// Hybrid mode: file values older than this many minutes give way to live prices.
pub const HYBRID_MAX_AGE_MIN: f64 = 30.0;
/// Hybrid mode: a live/file deviation above this percentage is flagged.
pub const HYBRID_MAX_DEVIATION_PCT: f64 = 5.0;
/// A live quote older than this many minutes is shown as stale.
pub const STALE_AFTER_MIN: f64 = 60.0;

/// Endpoints, shared by the clients and the tests that intercept them.
pub mod urls {
    /// CoinGecko API root.
    pub const COINGECKO: &str = "https://api.coingecko.com/api/v3";
    /// Binance public market data root.
    pub const BINANCE: &str = "https://data-api.binance.vision/api/v3";
    /// Coinbase Exchange root.
    pub const COINBASE: &str = "https://api.exchange.coinbase.com";
    /// Frankfurter root.
    pub const FRANKFURTER: &str = "https://api.frankfurter.dev/v1";
    /// Twelve Data root.
    pub const TWELVEDATA: &str = "https://api.twelvedata.com";
}

//! The price source chain: sources tried in the user's order; a failing source is put
//! aside for a while (rotki's pattern), longer after each consecutive failure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{PriceError, Provider};
use crate::domain::calendar::Timestamp;

/// First back-off after a failure, in seconds (doubles per consecutive failure).
pub const BASE_BACKOFF_S: f64 = 30.0;
/// Longest back-off, in seconds.
pub const MAX_BACKOFF_S: f64 = 30.0 * 60.0;

/// How one source has been doing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// Consecutive failures.
    pub failures: u32,
    /// Not tried again before this time.
    pub benched_until: Timestamp,
    /// The last error, for the UI.
    pub last_error: Option<String>,
}

/// An ordered list of sources with their health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    /// Sources in the order they are tried.
    pub order: Vec<Provider>,
    /// Health per source.
    pub health: BTreeMap<Provider, Health>,
}

impl Chain {
    /// A chain with the given order and every source healthy.
    pub fn new(order: Vec<Provider>) -> Chain {
        Chain {
            order,
            health: BTreeMap::new(),
        }
    }

    /// Sources to try now, in order, skipping those put aside.
    pub fn candidates(&self, now: Timestamp) -> Vec<Provider> {
        self.order
            .iter()
            .copied()
            .filter(|p| self.health.get(p).is_none_or(|h| h.benched_until <= now))
            .collect()
    }

    /// Records a failure and puts the source aside: `Retry-After` when the provider gives
    /// one, else 30 s doubling per consecutive failure up to 30 min. An unlisted asset is
    /// not the source's fault and does not bench it.
    pub fn failed(&mut self, p: Provider, err: &PriceError, now: Timestamp) {
        if matches!(err, PriceError::NotListed(_)) {
            return;
        }
        let h = self.health.entry(p).or_default();
        h.failures += 1;
        let exp = BASE_BACKOFF_S * 2f64.powi(h.failures.saturating_sub(1).min(16) as i32);
        let wait = match err {
            PriceError::RateLimited {
                retry_after_s: Some(s),
                ..
            } => s.max(1.0),
            PriceError::NoKey => MAX_BACKOFF_S,
            _ => exp,
        }
        .min(MAX_BACKOFF_S);
        h.benched_until = now.plus_millis((wait * 1000.0).round() as i64);
        h.last_error = Some(err.to_string());
    }

    /// Records a success: the source is healthy again.
    pub fn succeeded(&mut self, p: Provider) {
        self.health.remove(&p);
    }

    /// Moves a source one place earlier (`up`) or later in the order.
    pub fn shift(&mut self, p: Provider, up: bool) {
        if let Some(i) = self.order.iter().position(|x| *x == p) {
            let j = if up {
                i.checked_sub(1)
            } else {
                Some(i + 1).filter(|j| *j < self.order.len())
            };
            if let Some(j) = j {
                self.order.swap(i, j);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn failing_sources_are_put_aside_with_growing_backoff() {
        let mut c = Chain::new(Provider::CRYPTO.to_vec());
        assert_eq!(c.candidates(at(0)), Provider::CRYPTO);
        let http = PriceError::Http {
            status: 500,
            message: String::new(),
        };
        c.failed(Provider::CoinGecko, &http, at(0));
        assert_eq!(
            c.candidates(at(1000)),
            [Provider::Binance, Provider::Coinbase]
        );
        assert_eq!(
            c.candidates(at(30_000)),
            Provider::CRYPTO,
            "back after 30 s"
        );
        c.failed(Provider::CoinGecko, &http, at(30_000));
        assert_eq!(
            c.health[&Provider::CoinGecko].benched_until,
            at(90_000),
            "60 s the second time"
        );
        for _ in 0..20 {
            c.failed(Provider::CoinGecko, &PriceError::Timeout(10), at(0));
        }
        assert_eq!(
            c.health[&Provider::CoinGecko].benched_until,
            at((MAX_BACKOFF_S * 1000.0) as i64)
        );
        c.succeeded(Provider::CoinGecko);
        assert_eq!(c.candidates(at(0)), Provider::CRYPTO);
    }

    #[test]
    fn retry_after_is_honoured_and_unlisted_assets_do_not_bench() {
        let mut c = Chain::new(Provider::CRYPTO.to_vec());
        c.failed(
            Provider::Binance,
            &PriceError::RateLimited {
                status: 429,
                retry_after_s: Some(120.0),
            },
            at(0),
        );
        assert_eq!(c.health[&Provider::Binance].benched_until, at(120_000));
        c.failed(
            Provider::Coinbase,
            &PriceError::NotListed("XYZ".into()),
            at(0),
        );
        assert!(c.candidates(at(0)).contains(&Provider::Coinbase));
        assert_eq!(
            c.health[&Provider::Binance].last_error.as_deref(),
            Some("rate limited (HTTP 429)")
        );
    }

    #[test]
    fn order_is_editable() {
        let mut c = Chain::new(Provider::CRYPTO.to_vec());
        c.shift(Provider::Coinbase, true);
        assert_eq!(
            c.order,
            [Provider::CoinGecko, Provider::Coinbase, Provider::Binance]
        );
        c.shift(Provider::CoinGecko, true);
        assert_eq!(c.order[0], Provider::CoinGecko);
        c.shift(Provider::Binance, false);
        assert_eq!(c.order[2], Provider::Binance);
    }
}

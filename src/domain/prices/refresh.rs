//! What one price refresh achieved, in a form the status line can tell truthfully: how many
//! live prices were needed and obtained, which sources failed and why, and what became of
//! the FX rates. (`browser::prices` fills it; the UI words it.)

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::prices::{PriceError, Provider, Quote};

/// What one round of a source chain (or of the listed-securities source) did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RefreshReport {
    /// Quotes obtained.
    pub quotes: Vec<Quote>,
    /// One line per provider call: what it gave or why it failed.
    pub events: Vec<String>,
    /// Symbols no source could price.
    pub unresolved: Vec<String>,
    /// CoinGecko ids found by search for symbols the bundled map does not know.
    pub discovered: Vec<(String, String)>,
    /// Sources that failed or were skipped after earlier failures.
    pub failed: Vec<SourceFailure>,
    /// Securities left unpriced because no API key is set.
    pub without_key: usize,
}

/// A source that failed during a refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFailure {
    /// The source.
    pub provider: Provider,
    /// Why: the error, or `None` when it was skipped, set aside after earlier failures.
    pub error: Option<PriceError>,
}

/// What became of the FX rates in a refresh.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FxRefresh {
    /// The cached rates were recent enough: not fetched.
    #[default]
    NotDue,
    /// Fetched: the ECB rates of this day.
    Fetched(NaiveDate),
    /// The fetch failed; the cached rates of this day are used.
    Cached(NaiveDate, PriceError),
    /// The fetch failed and no rates are cached: values in other currencies are left out.
    Missing(PriceError),
}

/// What one refresh achieved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshSummary {
    /// Live prices the portfolio needed (coins and listed securities; fiat is FX's job).
    pub wanted: usize,
    /// Fresh prices obtained.
    pub priced: usize,
    /// Sources that failed or were skipped, in the order tried.
    pub failed: Vec<SourceFailure>,
    /// Listed securities left without a price because no Twelve Data key is set.
    pub without_key: usize,
    /// The FX rates.
    pub fx: FxRefresh,
}

/// The one-sentence verdict on the prices of a refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceVerdict {
    /// Nothing needs a live price (cash, or file values only).
    NothingToPrice,
    /// Every price needed was refreshed.
    AllFresh,
    /// Some prices were refreshed; `missing` were not.
    Partial {
        /// Prices not refreshed.
        missing: usize,
    },
    /// No price was refreshed and at least one source failed: cached prices and file
    /// values stand in.
    AllSourcesFailed,
    /// No price was refreshed though no source failed (unknown assets, no key).
    NoneFound,
}

impl RefreshSummary {
    /// The verdict on the prices.
    pub fn verdict(&self) -> PriceVerdict {
        if self.wanted == 0 {
            PriceVerdict::NothingToPrice
        } else if self.priced >= self.wanted {
            PriceVerdict::AllFresh
        } else if self.priced > 0 {
            PriceVerdict::Partial {
                missing: self.wanted - self.priced,
            }
        } else if self.failed.is_empty() {
            PriceVerdict::NoneFound
        } else {
            PriceVerdict::AllSourcesFailed
        }
    }
}

/// What loading one coin's daily history gave.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLoad {
    /// The coin.
    pub symbol: String,
    /// The source that served it and the number of days, or every source's failure (empty
    /// when no source knows the coin).
    pub result: Result<(Provider, usize), Vec<(Provider, PriceError)>>,
}

/// The outcome of loading daily history, told in a sentence with the details apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistorySummary {
    /// Coins asked for.
    pub asked: usize,
    /// Coins whose history was stored.
    pub loaded: usize,
    /// Coins no source had a history for (unknown id, 404), sorted.
    pub without_history: Vec<String>,
    /// Coins whose sources failed for another reason (rate limit, network), sorted.
    pub failed: Vec<String>,
}

impl HistorySummary {
    /// Sums up the loads.
    pub fn of(loads: &[HistoryLoad]) -> HistorySummary {
        let mut s = HistorySummary {
            asked: loads.len(),
            ..HistorySummary::default()
        };
        for l in loads {
            match &l.result {
                Ok(_) => s.loaded += 1,
                Err(errors) if errors.iter().all(|(_, e)| unknown_coin(e)) => {
                    s.without_history.push(l.symbol.clone())
                }
                Err(_) => s.failed.push(l.symbol.clone()),
            }
        }
        s.without_history.sort();
        s.failed.sort();
        s
    }
}

/// An answer that means "no such coin here" rather than "try again later".
fn unknown_coin(e: &PriceError) -> bool {
    matches!(
        e,
        PriceError::NotListed(_)
            | PriceError::Http {
                status: 400 | 404,
                ..
            }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_summary_separates_unknown_coins_from_failing_sources() {
        let http404 = PriceError::Http {
            status: 404,
            message: "NotFound".into(),
        };
        let loads = [
            HistoryLoad {
                symbol: "BTC".into(),
                result: Ok((Provider::CoinGecko, 365)),
            },
            HistoryLoad {
                symbol: "ZZZ".into(),
                result: Err(vec![
                    (Provider::CoinGecko, http404.clone()),
                    (Provider::Binance, http404),
                ]),
            },
            HistoryLoad {
                symbol: "AAA".into(),
                result: Err(Vec::new()),
            },
            HistoryLoad {
                symbol: "ETH".into(),
                result: Err(vec![(Provider::CoinGecko, PriceError::Timeout(8))]),
            },
        ];
        assert_eq!(
            HistorySummary::of(&loads),
            HistorySummary {
                asked: 4,
                loaded: 1,
                without_history: vec!["AAA".into(), "ZZZ".into()],
                failed: vec!["ETH".into()],
            }
        );
    }

    fn failure(p: Provider) -> SourceFailure {
        SourceFailure {
            provider: p,
            error: Some(PriceError::Timeout(8)),
        }
    }

    #[test]
    fn every_source_failing_is_not_a_fresh_refresh() {
        let s = RefreshSummary {
            wanted: 13,
            priced: 0,
            failed: vec![failure(Provider::CoinGecko), failure(Provider::Binance)],
            ..RefreshSummary::default()
        };
        assert_eq!(s.verdict(), PriceVerdict::AllSourcesFailed);
    }

    #[test]
    fn a_fallback_that_prices_everything_is_fresh_despite_a_failure() {
        let s = RefreshSummary {
            wanted: 13,
            priced: 13,
            failed: vec![failure(Provider::CoinGecko)],
            ..RefreshSummary::default()
        };
        assert_eq!(s.verdict(), PriceVerdict::AllFresh);
    }

    #[test]
    fn partial_and_empty_refreshes_say_so() {
        let partial = RefreshSummary {
            wanted: 15,
            priced: 12,
            ..RefreshSummary::default()
        };
        assert_eq!(partial.verdict(), PriceVerdict::Partial { missing: 3 });
        let unknown = RefreshSummary {
            wanted: 2,
            without_key: 2,
            ..RefreshSummary::default()
        };
        assert_eq!(unknown.verdict(), PriceVerdict::NoneFound);
        assert_eq!(
            RefreshSummary::default().verdict(),
            PriceVerdict::NothingToPrice
        );
    }
}

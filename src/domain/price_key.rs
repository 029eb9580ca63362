//! The key an asset's prices are stored and looked up under. Its text form (`crypto:BTC`,
//! `listed:AAPL@XNAS`, `other:GLD`) is written and read here and nowhere else.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::holding::{AssetClass, Holding};

/// What a price is the price of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PriceKey {
    /// A coin or token, by its canonical ticker (`crypto:BTC`).
    Crypto(String),
    /// A stock or ETF, by ticker and, when known, the market it trades on
    /// (`listed:AAPL@XNAS`, `listed:AAPL`).
    Listed {
        /// Ticker.
        symbol: String,
        /// Market identifier code.
        venue: Option<String>,
    },
    /// Anything else, by its symbol (`other:GLD`).
    Other(String),
}

/// Why a text is not a price key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a price key (crypto:…, listed:… or other:…)")]
pub struct PriceKeyError(pub String);

impl PriceKey {
    /// The key of a coin.
    pub fn crypto(symbol: &str) -> PriceKey {
        PriceKey::Crypto(symbol.to_string())
    }

    /// The key of a listed security.
    pub fn listed(symbol: &str, venue: Option<&str>) -> PriceKey {
        PriceKey::Listed {
            symbol: symbol.to_string(),
            venue: venue.map(str::to_string),
        }
    }

    /// The key a holding's prices are kept under.
    pub fn of(h: &Holding) -> PriceKey {
        match h.asset_class {
            AssetClass::Crypto => PriceKey::crypto(&h.symbol),
            AssetClass::Stock | AssetClass::Etf => PriceKey::listed(&h.symbol, h.venue.as_deref()),
            AssetClass::Cash | AssetClass::Other => PriceKey::Other(h.symbol.clone()),
        }
    }

    /// The ticker: `BTC` for `crypto:BTC`, `AAPL` for `listed:AAPL@XNAS`.
    pub fn symbol(&self) -> &str {
        match self {
            PriceKey::Crypto(s) | PriceKey::Other(s) | PriceKey::Listed { symbol: s, .. } => s,
        }
    }

    /// Whether this is a coin's key.
    pub fn is_crypto(&self) -> bool {
        matches!(self, PriceKey::Crypto(_))
    }
}

impl fmt::Display for PriceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceKey::Crypto(s) => write!(f, "crypto:{s}"),
            PriceKey::Listed {
                symbol,
                venue: Some(v),
            } => write!(f, "listed:{symbol}@{v}"),
            PriceKey::Listed {
                symbol,
                venue: None,
            } => write!(f, "listed:{symbol}"),
            PriceKey::Other(s) => write!(f, "other:{s}"),
        }
    }
}

impl FromStr for PriceKey {
    type Err = PriceKeyError;
    fn from_str(s: &str) -> Result<PriceKey, PriceKeyError> {
        let bad = || PriceKeyError(s.to_string());
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        if rest.is_empty() {
            return Err(bad());
        }
        match kind {
            "crypto" => Ok(PriceKey::crypto(rest)),
            "listed" => Ok(match rest.split_once('@') {
                Some((symbol, venue)) if !symbol.is_empty() && !venue.is_empty() => {
                    PriceKey::listed(symbol, Some(venue))
                }
                Some(_) => return Err(bad()),
                None => PriceKey::listed(rest, None),
            }),
            "other" => Ok(PriceKey::Other(rest.to_string())),
            _ => Err(bad()),
        }
    }
}

impl Serialize for PriceKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PriceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PriceKey, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::currency::Currency;

    #[test]
    fn a_holding_s_key_reads_back_as_itself() {
        let mut aapl = Holding::new("AAPL", AssetClass::Stock, 1.0, Currency::USD, "Saxo");
        aapl.venue = Some("XNAS".into());
        let cases = [
            (
                Holding::new("BTC", AssetClass::Crypto, 1.0, Currency::USD, "Kraken"),
                "crypto:BTC",
            ),
            (aapl, "listed:AAPL@XNAS"),
            (
                Holding::new("VWCE", AssetClass::Etf, 1.0, Currency::EUR, "Bank"),
                "listed:VWCE",
            ),
            (
                Holding::new("GLD", AssetClass::Other, 1.0, Currency::USD, "Bank"),
                "other:GLD",
            ),
        ];
        for (h, text) in cases {
            let key = PriceKey::of(&h);
            assert_eq!(key.to_string(), text);
            assert_eq!(text.parse::<PriceKey>(), Ok(key.clone()));
            assert_eq!(key.symbol(), h.symbol);
            let json = serde_json::to_string(&key).unwrap();
            assert_eq!(json, format!("\"{text}\""), "stored as its text");
            assert_eq!(serde_json::from_str::<PriceKey>(&json).unwrap(), key);
        }
    }

    #[test]
    fn other_texts_are_not_keys() {
        for bad in ["BTC", "crypto:", "coin:BTC", "listed:@XNAS", "listed:AAPL@"] {
            assert_eq!(bad.parse::<PriceKey>(), Err(PriceKeyError(bad.into())));
        }
    }
}

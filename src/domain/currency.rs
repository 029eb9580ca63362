//! Currency codes: three upper-case letters (the ISO 4217 form), stored and shown as text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A currency code such as `EUR` or `USD`: three ASCII letters, upper case. Cheap to copy.
///
/// Any three letters are accepted (`BTC` values from a CoinTracking column are kept as
/// such); [`Currency::is_fiat`] tells the currencies the ECB publishes rates for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Why a text is not a currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a currency code: use three letters, like EUR or USD.")]
pub struct CurrencyError(pub String);

impl Currency {
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// ISO 4217's code for "no currency": what a stored text that is no code reads back as.
    pub const NONE: Currency = Currency(*b"XXX");

    /// The currencies whose rates the ECB publishes (through Frankfurter), plus USD and EUR.
    pub const FIAT: [Currency; 31] = [
        Currency(*b"USD"),
        Currency(*b"EUR"),
        Currency(*b"CHF"),
        Currency(*b"GBP"),
        Currency(*b"JPY"),
        Currency(*b"CAD"),
        Currency(*b"AUD"),
        Currency(*b"NZD"),
        Currency(*b"SEK"),
        Currency(*b"NOK"),
        Currency(*b"DKK"),
        Currency(*b"PLN"),
        Currency(*b"CZK"),
        Currency(*b"HUF"),
        Currency(*b"RON"),
        Currency(*b"BGN"),
        Currency(*b"ISK"),
        Currency(*b"TRY"),
        Currency(*b"SGD"),
        Currency(*b"HKD"),
        Currency(*b"CNY"),
        Currency(*b"KRW"),
        Currency(*b"INR"),
        Currency(*b"IDR"),
        Currency(*b"ILS"),
        Currency(*b"MXN"),
        Currency(*b"BRL"),
        Currency(*b"ZAR"),
        Currency(*b"THB"),
        Currency(*b"MYR"),
        Currency(*b"PHP"),
    ];

    /// Reads a code, ignoring surrounding spaces and case: `" eur "` → `EUR`.
    pub fn parse(s: &str) -> Result<Currency, CurrencyError> {
        let t = s.trim().as_bytes();
        match t {
            [a, b, c] if t.iter().all(u8::is_ascii_alphabetic) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(CurrencyError(s.trim().to_string())),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Whether this is a fiat currency with ECB rates ([`Currency::FIAT`]).
    pub fn is_fiat(self) -> bool {
        Currency::FIAT.contains(&self)
    }
}

impl Default for Currency {
    fn default() -> Currency {
        Currency::USD
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Currency, CurrencyError> {
        Currency::parse(s)
    }
}

impl PartialEq<&str> for Currency {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_three_letters_in_upper_case() {
        assert_eq!(Currency::parse(" eur "), Ok(Currency::EUR));
        assert_eq!("chf".parse::<Currency>().unwrap().to_string(), "CHF");
        for bad in ["", "EU", "EURO", "E1R", "€", "ÉUR"] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Currency::parse("euro").unwrap_err().to_string(),
            "“euro” is not a currency code: use three letters, like EUR or USD."
        );
    }

    #[test]
    fn fiat_is_what_the_ecb_publishes() {
        assert!(Currency::EUR.is_fiat());
        assert!(Currency::parse("SEK").unwrap().is_fiat());
        assert!(!Currency::parse("BTC").unwrap().is_fiat());
    }

    #[test]
    fn stored_as_text() {
        let json = serde_json::to_string(&Currency::EUR).unwrap();
        assert_eq!(json, "\"EUR\"");
        assert_eq!(
            serde_json::from_str::<Currency>("\"usd\"").unwrap(),
            Currency::USD
        );
        assert!(serde_json::from_str::<Currency>("\"dollars\"").is_err());
    }
}

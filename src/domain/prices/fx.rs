//! FX rates (ECB reference rates via Frankfurter) and conversion between any two currencies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Rates of one day: 1 `base` = `rates[c]` units of `c`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FxRates {
    /// Base currency of the table (Frankfurter's default is EUR).
    pub base: String,
    /// Date of the rates (`YYYY-MM-DD`; ECB publishes on working days around 16:00 CET).
    pub date: String,
    /// Currency → units per one `base`.
    pub rates: BTreeMap<String, f64>,
}

impl FxRates {
    /// Units of `c` per one `base` (1 for the base itself).
    fn per_base(&self, c: &str) -> Option<f64> {
        if c == self.base {
            Some(1.0)
        } else {
            self.rates
                .get(c)
                .copied()
                .filter(|r| *r > 0.0 && r.is_finite())
        }
    }

    /// The rate to turn one unit of `from` into `to` (cross rate through the base).
    ///
    /// ```
    /// use folio::domain::prices::fx::FxRates;
    /// let fx = FxRates { base: "EUR".into(), date: "2025-01-02".into(), rates: [("USD".to_string(), 1.25), ("CHF".to_string(), 0.95)].into() };
    /// assert_eq!(fx.rate("USD", "EUR"), Some(0.8));
    /// assert!((fx.rate("USD", "CHF").unwrap() - 0.76).abs() < 1e-12);
    /// ```
    pub fn rate(&self, from: &str, to: &str) -> Option<f64> {
        if from == to {
            return Some(1.0);
        }
        Some(self.per_base(to)? / self.per_base(from)?)
    }

    /// Converts an amount.
    pub fn convert(&self, amount: f64, from: &str, to: &str) -> Option<f64> {
        self.rate(from, to).map(|r| amount * r)
    }

    /// Currencies this table can convert.
    pub fn currencies(&self) -> Vec<String> {
        let mut v: Vec<String> = self.rates.keys().cloned().collect();
        v.push(self.base.clone());
        v.sort();
        v.dedup();
        v
    }
}

/// Daily rate tables over a period, for converting values of past dates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FxSeries {
    /// Date → rates, sorted by date.
    pub days: BTreeMap<String, FxRates>,
}

impl FxSeries {
    /// The rates that applied on `date`: that day's, or the last published before it
    /// (weekends and holidays have none). `None` before the first day.
    pub fn on(&self, date: &str) -> Option<&FxRates> {
        self.days
            .range(..=date.to_string())
            .next_back()
            .map(|(_, r)| r)
    }
}

/// True for ISO codes of fiat currencies Folio values as cash.
pub fn is_fiat(symbol: &str) -> bool {
    const FIAT: [&str; 31] = [
        "USD", "EUR", "CHF", "GBP", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "HUF", "RON", "BGN", "ISK", "TRY", "SGD", "HKD", "CNY", "KRW", "INR", "IDR", "ILS", "MXN",
        "BRL", "ZAR", "THB", "MYR", "PHP",
    ];
    FIAT.contains(&symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(date: &str, usd: f64) -> FxRates {
        FxRates {
            base: "EUR".into(),
            date: date.into(),
            rates: [("USD".to_string(), usd), ("GBP".to_string(), 0.85)].into(),
        }
    }

    #[test]
    fn converts_through_the_base() {
        let fx = table("2025-01-02", 1.25);
        assert_eq!(fx.convert(100.0, "EUR", "USD"), Some(125.0));
        assert_eq!(fx.convert(125.0, "USD", "EUR"), Some(100.0));
        assert_eq!(fx.convert(5.0, "JPY", "EUR"), None);
        assert_eq!(fx.convert(5.0, "JPY", "JPY"), Some(5.0));
    }

    #[test]
    fn past_dates_use_the_last_published_rates() {
        let mut s = FxSeries::default();
        s.days
            .insert("2025-01-02".into(), table("2025-01-02", 1.10));
        s.days
            .insert("2025-01-03".into(), table("2025-01-03", 1.20));
        assert_eq!(s.on("2025-01-03").unwrap().rates["USD"], 1.20);
        assert_eq!(
            s.on("2025-01-05").unwrap().date,
            "2025-01-03",
            "weekend uses Friday"
        );
        assert!(s.on("2025-01-01").is_none());
    }

    #[test]
    fn knows_fiat_codes() {
        assert!(is_fiat("USD") && is_fiat("CHF"));
        assert!(!is_fiat("USDT") && !is_fiat("BTC"));
    }
}

/// FX rates as cached in the browser, with when they were fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedFx {
    /// The rates.
    pub rates: FxRates,
    /// When they were fetched (ms since the epoch).
    pub fetched_ms: f64,
}

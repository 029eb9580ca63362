//! FX rates (ECB reference rates via Frankfurter) and conversion between any two currencies.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::date_text::{deserialize_date, deserialize_date_map};
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;

/// Rates of one day: 1 `base` = `rates[c]` units of `c`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FxRates {
    /// Base currency of the table (Frankfurter's default is EUR).
    pub base: Currency,
    /// Date of the rates (ECB publishes on working days around 16:00 CET).
    #[serde(deserialize_with = "deserialize_date")]
    pub date: NaiveDate,
    /// Currency → units per one `base`.
    pub rates: BTreeMap<Currency, f64>,
}

impl FxRates {
    /// Units of `c` per one `base` (1 for the base itself).
    fn per_base(&self, c: Currency) -> Option<f64> {
        if c == self.base {
            Some(1.0)
        } else {
            self.rates
                .get(&c)
                .copied()
                .filter(|r| *r > 0.0 && r.is_finite())
        }
    }

    /// The rate to turn one unit of `from` into `to` (cross rate through the base).
    ///
    /// ```
    /// use folio::domain::currency::Currency;
    /// use folio::domain::prices::fx::FxRates;
    /// let c = |s: &str| Currency::parse(s).unwrap();
    /// let fx = FxRates {
    ///     base: c("EUR"),
    ///     date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
    ///     rates: [(c("USD"), 1.25), (c("CHF"), 0.95)].into(),
    /// };
    /// assert_eq!(fx.rate(c("USD"), c("EUR")), Some(0.8));
    /// assert!((fx.rate(c("USD"), c("CHF")).unwrap() - 0.76).abs() < 1e-12);
    /// ```
    pub fn rate(&self, from: Currency, to: Currency) -> Option<f64> {
        if from == to {
            return Some(1.0);
        }
        Some(self.per_base(to)? / self.per_base(from)?)
    }

    /// Converts an amount.
    pub fn convert(&self, amount: f64, from: Currency, to: Currency) -> Option<f64> {
        self.rate(from, to).map(|r| amount * r)
    }

    /// Currencies this table can convert, in code order.
    pub fn currencies(&self) -> Vec<Currency> {
        let mut v: Vec<Currency> = self.rates.keys().copied().collect();
        v.push(self.base);
        v.sort();
        v.dedup();
        v
    }
}

/// Daily rate tables over a period, for converting values of past dates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FxSeries {
    /// Date → rates, sorted by date.
    #[serde(deserialize_with = "deserialize_date_map")]
    pub days: BTreeMap<NaiveDate, FxRates>,
}

impl FxSeries {
    /// The rates that applied on `date`: that day's, or the last published before it
    /// (weekends and holidays have none). `None` before the first day.
    pub fn on(&self, date: NaiveDate) -> Option<&FxRates> {
        self.days.range(..=date).next_back().map(|(_, r)| r)
    }
}

/// True for the codes of fiat currencies Folio values as cash (a holding's symbol).
pub fn is_fiat(symbol: &str) -> bool {
    Currency::FIAT.iter().any(|c| c.as_str() == symbol)
}

/// FX rates as cached in the browser, with when they were fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedFx {
    /// The rates.
    pub rates: FxRates,
    /// When they were fetched.
    #[serde(rename = "fetched_ms")]
    pub fetched: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Currency {
        Currency::parse(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        crate::domain::calendar::parse_iso_day(s).unwrap()
    }

    fn table(date: &str, usd: f64) -> FxRates {
        FxRates {
            base: Currency::EUR,
            date: day(date),
            rates: [(Currency::USD, usd), (c("GBP"), 0.85)].into(),
        }
    }

    #[test]
    fn converts_through_the_base() {
        let fx = table("2025-01-02", 1.25);
        let (eur, usd, jpy) = (Currency::EUR, Currency::USD, c("JPY"));
        assert_eq!(fx.convert(100.0, eur, usd), Some(125.0));
        assert_eq!(fx.convert(125.0, usd, eur), Some(100.0));
        assert_eq!(fx.convert(5.0, jpy, eur), None);
        assert_eq!(fx.convert(5.0, jpy, jpy), Some(5.0));
    }

    #[test]
    fn past_dates_use_the_last_published_rates() {
        let mut s = FxSeries::default();
        s.days.insert(day("2025-01-02"), table("2025-01-02", 1.10));
        s.days.insert(day("2025-01-03"), table("2025-01-03", 1.20));
        assert_eq!(s.on(day("2025-01-03")).unwrap().rates[&Currency::USD], 1.20);
        assert_eq!(
            s.on(day("2025-01-05")).unwrap().date,
            day("2025-01-03"),
            "weekend uses Friday"
        );
        assert!(s.on(day("2025-01-01")).is_none());
    }

    #[test]
    fn knows_fiat_codes() {
        assert!(is_fiat("USD") && is_fiat("CHF"));
        assert!(!is_fiat("USDT") && !is_fiat("BTC") && !is_fiat("usd "));
    }

    #[test]
    fn cached_rates_keep_their_stored_bytes() {
        let cached = CachedFx {
            rates: table("2025-01-02", 1.25),
            fetched: Timestamp::from_millis(1_735_776_000_000),
        };
        let json = serde_json::to_string(&cached).unwrap();
        assert_eq!(
            json,
            r#"{"rates":{"base":"EUR","date":"2025-01-02","rates":{"GBP":0.85,"USD":1.25}},"fetched_ms":1735776000000}"#
        );
        let old = json.replace("1735776000000", "1735776000000.0");
        assert_eq!(serde_json::from_str::<CachedFx>(&old).unwrap(), cached);
    }
}

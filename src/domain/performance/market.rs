//! Prices and FX rates the performance figures are valued with, filled by the caller.
//!
//! Every amount in `domain::performance` is in one base currency. An amount in another
//! currency is converted at the rate of its own date; an asset is valued at its close of
//! the day. [`Market`] is what the calculators ask; [`MarketData`] is the ready-made
//! implementation the app fills from its ECB series (`prices::fx::FxSeries`) and its daily
//! price series (`prices::history::DailySeries`, keyed by [`PriceKey`]).
//!
//! A rate or close that is missing is never taken as zero: the lookup returns `None`, and
//! the calculator records a [`Gap`] naming what was missing and on which days.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_between;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, FnvBuildHasher};
use crate::domain::ledger::Money;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::fx::FxSeries;
use crate::domain::prices::history::DailySeries;

/// What the performance calculators need to know about markets.
///
/// Only [`Market::base`], [`Market::fx`] and [`Market::close`] are required; the two
/// series methods have per-day defaults and exist so an implementation can answer a
/// run of days faster (the daily valuations ask for every asset on every day).
pub trait Market {
    /// The currency every figure is expressed in.
    fn base(&self) -> Currency;

    /// Units of the base currency one unit of `currency` is worth on `date` (1 for the
    /// base itself); `None` when no rate applies to that date.
    fn fx(&self, currency: Currency, date: NaiveDate) -> Option<f64>;

    /// The close of the asset priced under `key` on `date`, in its quote currency.
    fn close(&self, key: &PriceKey, date: NaiveDate) -> Option<Money>;

    /// [`Market::fx`] for `days` consecutive days starting at `from`.
    fn fx_series(&self, currency: Currency, from: NaiveDate, days: usize) -> Vec<Option<f64>> {
        from.iter_days()
            .take(days)
            .map(|d| self.fx(currency, d))
            .collect()
    }

    /// The close of `key` converted to the base currency, for `days` consecutive days
    /// starting at `from` (`None` where the close or its rate is missing).
    fn base_closes(&self, key: &PriceKey, from: NaiveDate, days: usize) -> Vec<Option<f64>> {
        from.iter_days()
            .take(days)
            .map(|d| {
                let m = self.close(key, d)?;
                Some(m.amount * self.fx(m.currency, d)?)
            })
            .collect()
    }
}

/// What a value could not be found for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Missing {
    /// No FX rate from this currency to the base currency.
    Fx(Currency),
    /// No close for this asset.
    Price(PriceKey),
    /// A cash leg whose asset is not a currency code.
    NotACurrency(String),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Fx(c) => write!(f, "no {c} exchange rate"),
            Missing::Price(k) => write!(f, "no price for {}", k.symbol()),
            Missing::NotACurrency(s) => {
                write!(f, "“{s}” is marked as cash but is not a currency code")
            }
        }
    }
}

/// A value that could not be computed: what was missing, on how many days, first and last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// What was missing.
    pub missing: Missing,
    /// The first day it was needed and missing.
    pub first: NaiveDate,
    /// The last day it was needed and missing.
    pub last: NaiveDate,
    /// How many times it was needed and missing (transactions or valuation days).
    pub occurrences: usize,
}

/// Gaps gathered while computing, one entry per missing thing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gaps(BTreeMap<Missing, (NaiveDate, NaiveDate, usize)>);

impl Gaps {
    pub(crate) fn record(&mut self, missing: Missing, date: NaiveDate) {
        let e = self.0.entry(missing).or_insert((date, date, 0));
        e.0 = e.0.min(date);
        e.1 = e.1.max(date);
        e.2 += 1;
    }

    pub(crate) fn into_vec(self) -> Vec<Gap> {
        self.0
            .into_iter()
            .map(|(missing, (first, last, occurrences))| Gap {
                missing,
                first,
                last,
                occurrences,
            })
            .collect()
    }
}

/// The key an asset's closes are looked up under: coins by ticker, stocks and ETFs by
/// ticker and venue, anything else by symbol. Cash has no key (it is valued by FX).
pub fn price_key_of(symbol: &str, class: AssetClass, venue: Option<&str>) -> Option<PriceKey> {
    match class {
        AssetClass::Crypto => Some(PriceKey::crypto(symbol)),
        AssetClass::Stock | AssetClass::Etf => Some(PriceKey::listed(symbol, venue)),
        AssetClass::Other => Some(PriceKey::Other(symbol.to_string())),
        AssetClass::Cash => None,
    }
}

/// The value in the base currency of one unit of an asset on `date`: a currency's rate,
/// or a close times its currency's rate. A listed security with a venue is also looked
/// up without it (a series stored before its venue was known).
pub fn unit_value<M: Market + ?Sized>(
    market: &M,
    symbol: &str,
    class: AssetClass,
    venue: Option<&str>,
    date: NaiveDate,
) -> Result<f64, Missing> {
    match price_key_of(symbol, class, venue) {
        None => {
            let c = Currency::parse(symbol).map_err(|_| Missing::NotACurrency(symbol.into()))?;
            market.fx(c, date).ok_or(Missing::Fx(c))
        }
        Some(key) => {
            let close = market.close(&key, date).or_else(|| match &key {
                PriceKey::Listed {
                    symbol,
                    venue: Some(_),
                } => market.close(&PriceKey::listed(symbol, None), date),
                _ => None,
            });
            let m = close.ok_or(Missing::Price(key))?;
            Ok(m.amount * market.fx(m.currency, date).ok_or(Missing::Fx(m.currency))?)
        }
    }
}

/// Daily points of one series, ascending by date, one per date.
#[derive(Debug, Clone, Default, PartialEq)]
struct Series(Vec<(NaiveDate, f64)>);

impl Series {
    fn new(mut points: Vec<(NaiveDate, f64)>) -> Series {
        points.retain(|(_, v)| v.is_finite() && *v > 0.0);
        points.sort_by_key(|p| p.0);
        // The last point given for a date wins.
        let mut out: Vec<(NaiveDate, f64)> = Vec::with_capacity(points.len());
        for p in points {
            match out.last_mut() {
                Some(last) if last.0 == p.0 => *last = p,
                _ => out.push(p),
            }
        }
        Series(out)
    }

    /// The point on `date` or the last before it, if it is at most `max_age` days old.
    fn on(&self, date: NaiveDate, max_age: i64) -> Option<f64> {
        let i = self.0.partition_point(|(d, _)| *d <= date);
        let (d, v) = *self.0.get(i.checked_sub(1)?)?;
        (days_between(d, date) <= max_age).then_some(v)
    }

    /// [`Series::on`] for consecutive days, in one walk.
    fn run(&self, from: NaiveDate, days: usize, max_age: i64) -> Vec<Option<f64>> {
        let mut i = self.0.partition_point(|(d, _)| *d <= from);
        let mut out = Vec::with_capacity(days);
        for date in from.iter_days().take(days) {
            while i < self.0.len() && self.0[i].0 <= date {
                i += 1;
            }
            out.push(
                i.checked_sub(1)
                    .map(|j| self.0[j])
                    .filter(|(d, _)| days_between(*d, date) <= max_age)
                    .map(|(_, v)| v),
            );
        }
        out
    }
}

/// Daily FX rates and closes, filled by the caller; the usual [`Market`].
///
/// A rate or close applies to its own date and, when a date has none (weekends, holidays,
/// a day the provider skipped), to the following days up to [`MarketData::max_age_days`]
/// (7 by default); beyond that it is missing.
#[derive(Debug, Clone)]
pub struct MarketData {
    base: Currency,
    max_age: i64,
    fx: HashMap<Currency, Series, FnvBuildHasher>,
    closes: HashMap<PriceKey, (Currency, Series), FnvBuildHasher>,
}

impl MarketData {
    /// No rates or prices yet; values in `base`.
    pub fn new(base: Currency) -> MarketData {
        MarketData {
            base,
            max_age: 7,
            fx: HashMap::default(),
            closes: HashMap::default(),
        }
    }

    /// How many days a rate or close stays valid after its date (default 7).
    pub fn max_age_days(mut self, days: u32) -> MarketData {
        self.max_age = i64::from(days);
        self
    }

    /// Daily rates of `currency`: units of the base currency per unit of `currency`.
    /// Points that are not positive and finite are dropped; the last given for a date wins.
    pub fn add_fx(&mut self, currency: Currency, points: Vec<(NaiveDate, f64)>) {
        self.fx.insert(currency, Series::new(points));
    }

    /// Every currency of the app's ECB tables, turned into rates to the base currency
    /// (crossed through the tables' own base).
    pub fn add_fx_series(&mut self, series: &FxSeries) {
        let mut per: HashMap<Currency, Vec<(NaiveDate, f64)>> = HashMap::new();
        for (day, table) in &series.days {
            for c in table.currencies() {
                if let Some(rate) = table.rate(c, self.base).filter(|_| c != self.base) {
                    per.entry(c).or_default().push((*day, rate));
                }
            }
        }
        for (c, points) in per {
            self.add_fx(c, points);
        }
    }

    /// Daily closes of the asset priced under `key`, quoted in `currency`.
    pub fn add_closes(&mut self, key: PriceKey, currency: Currency, points: Vec<(NaiveDate, f64)>) {
        self.closes.insert(key, (currency, Series::new(points)));
    }

    /// A stored daily series (`prices::history::DailySeries`).
    pub fn add_daily_series(&mut self, s: &DailySeries) {
        self.add_closes(s.key.clone(), s.currency, s.points.clone());
    }
}

impl Market for MarketData {
    fn base(&self) -> Currency {
        self.base
    }

    fn fx(&self, currency: Currency, date: NaiveDate) -> Option<f64> {
        if currency == self.base {
            return Some(1.0);
        }
        self.fx.get(&currency)?.on(date, self.max_age)
    }

    fn close(&self, key: &PriceKey, date: NaiveDate) -> Option<Money> {
        let (currency, s) = self.closes.get(key)?;
        Some(Money {
            amount: s.on(date, self.max_age)?,
            currency: *currency,
        })
    }

    fn fx_series(&self, currency: Currency, from: NaiveDate, days: usize) -> Vec<Option<f64>> {
        if currency == self.base {
            return vec![Some(1.0); days];
        }
        match self.fx.get(&currency) {
            Some(s) => s.run(from, days, self.max_age),
            None => vec![None; days],
        }
    }

    fn base_closes(&self, key: &PriceKey, from: NaiveDate, days: usize) -> Vec<Option<f64>> {
        let Some((currency, s)) = self.closes.get(key) else {
            return vec![None; days];
        };
        let rates = self.fx_series(*currency, from, days);
        s.run(from, days, self.max_age)
            .into_iter()
            .zip(rates)
            .map(|(c, r)| Some(c? * r?))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::prices::fx::FxRates;

    fn d(s: &str) -> NaiveDate {
        crate::domain::calendar::parse_iso_day(s).unwrap()
    }

    fn usd() -> Currency {
        Currency::USD
    }

    #[test]
    fn rates_apply_until_they_are_too_old() {
        let mut m = MarketData::new(Currency::EUR).max_age_days(3);
        m.add_fx(usd(), vec![(d("2025-01-03"), 0.9), (d("2025-01-02"), 0.8)]);
        assert_eq!(m.fx(Currency::EUR, d("2020-01-01")), Some(1.0));
        assert_eq!(m.fx(usd(), d("2025-01-01")), None, "before the first rate");
        assert_eq!(m.fx(usd(), d("2025-01-02")), Some(0.8));
        assert_eq!(
            m.fx(usd(), d("2025-01-06")),
            Some(0.9),
            "three days after Friday"
        );
        assert_eq!(m.fx(usd(), d("2025-01-07")), None, "four days is too old");
        assert_eq!(
            m.fx_series(usd(), d("2025-01-01"), 7),
            vec![
                None,
                Some(0.8),
                Some(0.9),
                Some(0.9),
                Some(0.9),
                Some(0.9),
                None
            ]
        );
    }

    #[test]
    fn closes_are_converted_at_their_own_day_s_rate() {
        let mut m = MarketData::new(Currency::EUR);
        m.add_fx(usd(), vec![(d("2025-01-01"), 0.5), (d("2025-01-02"), 0.8)]);
        let btc = PriceKey::crypto("BTC");
        m.add_closes(
            btc.clone(),
            usd(),
            vec![(d("2025-01-01"), 100.0), (d("2025-01-02"), 110.0)],
        );
        // 100 USD × 0.5 = 50 EUR; 110 × 0.8 = 88.
        assert_eq!(
            m.base_closes(&btc, d("2024-12-31"), 3),
            vec![None, Some(50.0), Some(88.0)]
        );
        assert_eq!(
            unit_value(&m, "BTC", AssetClass::Crypto, None, d("2025-01-02")),
            Ok(88.0)
        );
        assert_eq!(
            unit_value(&m, "ETH", AssetClass::Crypto, None, d("2025-01-02")),
            Err(Missing::Price(PriceKey::crypto("ETH")))
        );
        assert_eq!(
            unit_value(&m, "USD", AssetClass::Cash, None, d("2025-01-02")),
            Ok(0.8)
        );
        assert_eq!(
            unit_value(&m, "USDT", AssetClass::Cash, None, d("2025-01-02")),
            Err(Missing::NotACurrency("USDT".into()))
        );
    }

    #[test]
    fn a_listed_security_falls_back_to_its_series_without_venue() {
        let mut m = MarketData::new(usd());
        m.add_closes(
            PriceKey::listed("AAPL", None),
            usd(),
            vec![(d("2025-01-02"), 200.0)],
        );
        assert_eq!(
            unit_value(&m, "AAPL", AssetClass::Stock, Some("XNAS"), d("2025-01-02")),
            Ok(200.0)
        );
    }

    #[test]
    fn takes_the_app_s_stored_series_and_ecb_tables() {
        let mut m = MarketData::new(Currency::EUR);
        let mut days = BTreeMap::new();
        days.insert(
            d("2025-01-02"),
            FxRates {
                base: Currency::EUR,
                date: d("2025-01-02"),
                rates: [(usd(), 1.25)].into(),
            },
        );
        m.add_fx_series(&FxSeries { days });
        assert_eq!(m.fx(usd(), d("2025-01-02")), Some(0.8));
        let btc = PriceKey::crypto("BTC");
        let s = DailySeries::new(btc.clone(), usd(), "test", vec![(d("2025-01-02"), 10.0)]);
        m.add_daily_series(&s);
        assert_eq!(m.base_closes(&btc, d("2025-01-02"), 1), vec![Some(8.0)]);
    }

    #[test]
    fn gaps_are_summarised_per_missing_thing() {
        let mut g = Gaps::default();
        g.record(Missing::Fx(usd()), d("2025-01-05"));
        g.record(Missing::Fx(usd()), d("2025-01-02"));
        g.record(Missing::Price(PriceKey::crypto("X")), d("2025-01-03"));
        let v = g.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].first, v[0].last, v[0].occurrences),
            (d("2025-01-02"), d("2025-01-05"), 2)
        );
        assert_eq!(v[1].missing.to_string(), "no price for X");
    }
}

//! Positions imported without a ledger (a CoinTracking balance, Saxo positions): a cost
//! where the file gives one (Saxo's entry price), always labelled as lacking history, so
//! no figure built on them passes for one built from transactions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::ledger::Money;
use crate::domain::performance::market::{unit_value, Gap, Gaps, Market};

/// A position with no transactions behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnledgeredPosition {
    /// Ticker.
    pub symbol: String,
    /// Broad kind.
    pub class: AssetClass,
    /// Market of a listed security.
    pub venue: Option<String>,
    /// Where it is held.
    pub account: String,
    /// Units.
    pub quantity: f64,
    /// The file's average entry price per unit, in its currency.
    pub entry_price: Option<Money>,
    /// When the position was opened, if the file says.
    pub opened: Option<NaiveDate>,
}

impl UnledgeredPosition {
    /// A holding from a positions file, with the entry price the file gave for it.
    pub fn from_holding(h: &Holding, entry_price: Option<Money>) -> UnledgeredPosition {
        UnledgeredPosition {
            symbol: h.symbol.clone(),
            class: h.asset_class,
            venue: h.venue.clone(),
            account: h.location.clone(),
            quantity: h.quantity,
            entry_price,
            opened: None,
        }
    }
}

/// Where a cost came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CostSource {
    /// Units × the file's entry price.
    EntryPrice,
    /// The file gave none.
    Unknown,
}

/// A position's cost and unrealised gain, lacking history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnledgeredCost {
    /// The position.
    pub position: UnledgeredPosition,
    /// Cost in the base currency.
    pub cost: Option<f64>,
    /// Where it came from.
    pub cost_source: CostSource,
    /// The date whose FX rate converted the entry price: the opening date when known,
    /// else the valuation date (the rate of the purchase is not in the file).
    pub rate_date: Option<NaiveDate>,
    /// Value at the valuation date.
    pub value: Option<f64>,
    /// Value − cost.
    pub unrealised: Option<f64>,
    /// Always true: no acquisition date, no realised gain, no return can be computed.
    pub lacks_history: bool,
}

/// The costs of positions without a ledger, valued at `as_of`.
pub fn costs_without_history<M: Market + ?Sized>(
    positions: &[UnledgeredPosition],
    market: &M,
    as_of: NaiveDate,
) -> (Vec<UnledgeredCost>, Vec<Gap>) {
    let mut gaps = Gaps::default();
    let base: Currency = market.base();
    let out = positions
        .iter()
        .map(|p| {
            let rate_date = p.entry_price.map(|_| p.opened.unwrap_or(as_of));
            let cost = p.entry_price.and_then(|m| {
                let date = rate_date.unwrap_or(as_of);
                let rate = if m.currency == base {
                    Some(1.0)
                } else {
                    market.fx(m.currency, date)
                };
                if rate.is_none() {
                    gaps.record(
                        crate::domain::performance::market::Missing::Fx(m.currency),
                        date,
                    );
                }
                Some(m.amount * p.quantity * rate?)
            });
            let value = unit_value(market, &p.symbol, p.class, p.venue.as_deref(), as_of)
                .map_err(|m| gaps.record(m, as_of))
                .ok()
                .map(|u| u * p.quantity);
            UnledgeredCost {
                position: p.clone(),
                cost,
                cost_source: if p.entry_price.is_some() {
                    CostSource::EntryPrice
                } else {
                    CostSource::Unknown
                },
                rate_date,
                value,
                unrealised: value.and_then(|v| cost.map(|c| v - c)),
                lacks_history: true,
            }
        })
        .collect();
    (out, gaps.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::performance::market::MarketData;
    use crate::domain::price_key::PriceKey;

    /// Saxo's Tesla line: 25 shares entered at 311.0696 USD, now 347.17 USD, USD at 0.9
    /// EUR: cost 25 × 311.0696 × 0.9 = 6,999.066; value 25 × 347.17 × 0.9 = 7,811.325.
    #[test]
    fn an_entry_price_gives_a_cost_labelled_as_lacking_history() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        let mut m = MarketData::new(Currency::EUR);
        m.add_fx(Currency::USD, vec![(day, 0.9)]);
        m.add_closes(
            PriceKey::listed("TSLA", Some("XNAS")),
            Currency::USD,
            vec![(day, 347.17)],
        );
        let mut h = Holding::new(
            "TSLA",
            AssetClass::Stock,
            25.0,
            Currency::EUR,
            "Saxo 80000/6671430",
        );
        h.venue = Some("XNAS".into());
        let p = UnledgeredPosition::from_holding(
            &h,
            Some(Money {
                amount: 311.0696,
                currency: Currency::USD,
            }),
        );
        let (costs, gaps) = costs_without_history(&[p], &m, day);
        assert!(gaps.is_empty());
        let c = &costs[0];
        assert!((c.cost.unwrap() - 6_999.066).abs() < 1e-9);
        assert!((c.value.unwrap() - 7_811.325).abs() < 1e-9);
        assert!((c.unrealised.unwrap() - 812.259).abs() < 1e-9);
        assert!(c.lacks_history);
        assert_eq!(
            (c.cost_source, c.rate_date),
            (CostSource::EntryPrice, Some(day))
        );
    }

    #[test]
    fn no_entry_price_no_cost() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        let m = MarketData::new(Currency::EUR);
        let h = Holding::new(
            "BTC",
            AssetClass::Crypto,
            1.0,
            Currency::EUR,
            "CoinTracking",
        );
        let (costs, gaps) =
            costs_without_history(&[UnledgeredPosition::from_holding(&h, None)], &m, day);
        assert_eq!(
            (costs[0].cost, costs[0].cost_source),
            (None, CostSource::Unknown)
        );
        assert_eq!(gaps.len(), 1, "the missing BTC price is reported");
    }
}

//! The pieces importers make transactions from: the transaction, its legs, fees and amounts.

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::ledger::{Leg, Money, Transaction, TxKind};

/// A transaction of `kind` at `at` with nothing else set.
pub fn transaction(at: Timestamp, kind: TxKind) -> Transaction {
    Transaction {
        id: String::new(),
        account_id: String::new(),
        at,
        kind,
        received: None,
        given: None,
        fee: None,
        value: None,
        external_id: None,
        isin: None,
        venue: None,
        counterpart: None,
        note: None,
    }
}

/// A leg of `quantity` (its absolute value) of `asset`; `None` for zero or no quantity.
pub fn leg(asset: &str, class: AssetClass, quantity: f64) -> Option<Leg> {
    let q = quantity.abs();
    (q > 0.0 && q.is_finite()).then(|| Leg {
        asset: asset.to_string(),
        class,
        quantity: q,
    })
}

/// A leg of a coin or a currency: cash when `asset` is a fiat currency, crypto otherwise.
pub fn coin_leg(asset: &str, quantity: f64) -> Option<Leg> {
    leg(asset, coin_class(asset), quantity)
}

/// Cash for a fiat currency code, crypto for anything else.
pub fn coin_class(asset: &str) -> AssetClass {
    match Currency::parse(asset) {
        Ok(c) if c.is_fiat() => AssetClass::Cash,
        _ => AssetClass::Crypto,
    }
}

/// A money amount; `None` when the currency is not a code.
pub fn money(amount: f64, currency: &str) -> Option<Money> {
    let currency = Currency::parse(currency).ok()?;
    amount.is_finite().then_some(Money {
        amount: amount.abs(),
        currency,
    })
}

/// Adds `extra` to a fee leg of the same asset, or keeps the first fee (returns the one
/// that did not fit).
pub fn add_fee(fee: &mut Option<Leg>, extra: Option<Leg>) -> Option<Leg> {
    match (fee.as_mut(), extra) {
        (_, None) => None,
        (None, Some(e)) => {
            *fee = Some(e);
            None
        }
        (Some(f), Some(e)) if f.asset == e.asset => {
            f.quantity += e.quantity;
            None
        }
        (Some(_), Some(e)) => Some(e),
    }
}

//! Ledgers and markets for the performance tests, written the way an importer would.
#![allow(dead_code)]

use chrono::NaiveDate;
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::ledger::{IncomeKind, Leg, Money, Transaction, TxKind};
use folio::domain::performance::MarketData;
use folio::domain::price_key::PriceKey;

pub const EUR: Currency = Currency::EUR;

/// A date.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Noon (UTC) of a date, plus `minutes`.
pub fn at(date: NaiveDate, minutes: i64) -> Timestamp {
    Timestamp::start_of(date).plus_millis(12 * 3_600_000 + minutes * 60_000)
}

/// A leg: three-letter fiat codes are cash, everything else a coin.
pub fn leg(asset: &str, quantity: f64) -> Option<Leg> {
    let class = if Currency::parse(asset).is_ok_and(|c| c.is_fiat()) {
        AssetClass::Cash
    } else {
        AssetClass::Crypto
    };
    Some(Leg {
        asset: asset.into(),
        class,
        quantity,
    })
}

/// A transaction with only the fields that matter here.
pub fn tx(id: &str, account: &str, when: Timestamp, kind: TxKind) -> Transaction {
    Transaction {
        id: id.into(),
        account_id: account.into(),
        at: when,
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

pub fn deposit(id: &str, account: &str, when: Timestamp, asset: &str, q: f64) -> Transaction {
    Transaction {
        received: leg(asset, q),
        ..tx(id, account, when, TxKind::Deposit)
    }
}

pub fn withdrawal(id: &str, account: &str, when: Timestamp, asset: &str, q: f64) -> Transaction {
    Transaction {
        given: leg(asset, q),
        ..tx(id, account, when, TxKind::Withdrawal)
    }
}

/// A trade: `received` bought with `given`.
pub fn trade(
    id: &str,
    account: &str,
    when: Timestamp,
    received: (&str, f64),
    given: (&str, f64),
    fee: Option<(&str, f64)>,
) -> Transaction {
    Transaction {
        received: leg(received.0, received.1),
        given: leg(given.0, given.1),
        fee: fee.and_then(|f| leg(f.0, f.1)),
        ..tx(id, account, when, TxKind::Trade)
    }
}

pub fn income(id: &str, account: &str, when: Timestamp, asset: &str, q: f64) -> Transaction {
    Transaction {
        received: leg(asset, q),
        ..tx(id, account, when, TxKind::Income(IncomeKind::Staking))
    }
}

pub fn fee(id: &str, account: &str, when: Timestamp, asset: &str, q: f64) -> Transaction {
    Transaction {
        fee: leg(asset, q),
        ..tx(id, account, when, TxKind::Fee)
    }
}

/// Both halves of a transfer between own accounts, each naming the other.
pub fn transfer(
    id: &str,
    from: &str,
    to: &str,
    when: Timestamp,
    asset: &str,
    sent: f64,
    arrived: f64,
) -> [Transaction; 2] {
    let (o, i) = (format!("{id}-out"), format!("{id}-in"));
    [
        Transaction {
            given: leg(asset, sent),
            counterpart: Some(i.clone()),
            ..tx(&o, from, when, TxKind::TransferOut)
        },
        Transaction {
            received: leg(asset, arrived),
            counterpart: Some(o),
            ..tx(&i, to, when, TxKind::TransferIn)
        },
    ]
}

/// The file's own fiat value of a transaction.
pub fn valued(mut t: Transaction, amount: f64, currency: Currency) -> Transaction {
    t.value = Some(Money { amount, currency });
    t
}

/// Closes in EUR: (coin, [(date, close)]).
pub fn market(closes: &[(&str, &[(NaiveDate, f64)])]) -> MarketData {
    let mut m = MarketData::new(EUR);
    for (coin, points) in closes {
        m.add_closes(PriceKey::crypto(coin), EUR, points.to_vec());
    }
    m
}

/// |a − b| ≤ 1e-9 · max(1, |b|).
#[track_caller]
pub fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

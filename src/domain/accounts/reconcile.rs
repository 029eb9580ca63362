//! Reconciliation: where an account has both a ledger and a positions file, one line per
//! asset says what each holds and whether they agree. The difference is shown, never
//! hidden or netted away.
//!
//! # Rule
//! - The ledger side is the account's positions at the file's instant (the caller passes
//!   [`super::positions::PositionIndex::at`] of the file's date), summed per ticker over
//!   asset classes; the file side is the file's holdings summed per symbol.
//! - `difference = file − ledger`. The two agree when `|difference| ≤ 10⁻⁸ + 10⁻⁹ ·
//!   max(|file|, |ledger|)` ([`agrees`]): files print 8 decimals (CoinTracking) or more,
//!   and the ledger's sum is exact.
//! - An asset on one side only is [`Status::LedgerOnly`] or [`Status::FileOnly`] (a
//!   file's zero row counts as a row).

use std::collections::BTreeMap;

use crate::domain::calendar::Timestamp;
use crate::domain::holding::Holding;

use super::positions::Positions;

/// How the two sides of a line compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Both hold the same quantity (within the tolerance).
    Agrees,
    /// Both list the asset with different quantities.
    Differs,
    /// Only the ledger holds it.
    LedgerOnly,
    /// Only the file lists it.
    FileOnly,
}

/// One asset of the reconciliation.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The asset's ticker.
    pub asset: String,
    /// Quantity from the ledger (0 when it has none).
    pub ledger: f64,
    /// Quantity in the file (0 when it has none).
    pub file: f64,
    /// `file − ledger`.
    pub difference: f64,
    /// How they compare.
    pub status: Status,
}

/// An account's ledger against its positions file.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    /// The account.
    pub account_id: String,
    /// The instant the ledger was summed at (the file's).
    pub as_of: Timestamp,
    /// One line per asset, sorted by asset.
    pub lines: Vec<Line>,
}

impl Reconciliation {
    /// Whether every line agrees.
    pub fn agrees(&self) -> bool {
        self.lines.iter().all(|l| l.status == Status::Agrees)
    }

    /// The lines that do not agree.
    pub fn disagreements(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.status != Status::Agrees)
    }
}

/// Whether a ledger and a file quantity agree (see the module's rule).
pub fn agrees(ledger: f64, file: f64) -> bool {
    (file - ledger).abs() <= 1e-8 + 1e-9 * file.abs().max(ledger.abs())
}

/// Reconciles `account_id`'s positions in `ledger` with its positions file's holdings.
pub fn reconcile(account_id: &str, ledger: &Positions, file: &[Holding]) -> Reconciliation {
    let mut sides: BTreeMap<&str, (Option<f64>, Option<f64>)> = BTreeMap::new();
    for p in ledger.of_account(account_id) {
        let side = &mut sides.entry(p.asset.as_str()).or_default().0;
        *side = Some(side.unwrap_or(0.0) + p.quantity);
    }
    for h in file {
        let side = &mut sides.entry(h.symbol.as_str()).or_default().1;
        *side = Some(side.unwrap_or(0.0) + h.quantity);
    }
    let lines = sides
        .into_iter()
        .map(|(asset, (l, f))| {
            let (ledger, file) = (l.unwrap_or(0.0), f.unwrap_or(0.0));
            let status = match (l, f) {
                (Some(_), None) => Status::LedgerOnly,
                (None, Some(_)) => Status::FileOnly,
                _ if agrees(ledger, file) => Status::Agrees,
                _ => Status::Differs,
            };
            Line {
                asset: asset.to_string(),
                ledger,
                file,
                difference: file - ledger,
                status,
            }
        })
        .collect();
    Reconciliation {
        account_id: account_id.to_string(),
        as_of: ledger.as_of,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::tests::{deposit, leg, tx};
    use crate::domain::accounts::positions::PositionIndex;
    use crate::domain::currency::Currency;
    use crate::domain::holding::AssetClass;
    use crate::domain::ledger::{Transaction, TxKind};

    #[test]
    fn one_line_per_asset_with_the_difference() {
        // Ledger of account "k": +1 BTC, +2 ETH, −0.5 ETH, +100 EUR, +3 DOT.
        // File: BTC 1.000000004 (8 decimals of rounding: agrees), ETH 1.4 (ledger 1.5:
        // −0.1), EUR absent, SOL 5 (file only), DOT in two rows 1 + 2 = 3.
        let mut ledger = vec![
            deposit(0, "BTC", 1.0),
            deposit(0, "ETH", 2.0),
            Transaction {
                given: leg("ETH", 0.5),
                ..tx(1, TxKind::Withdrawal)
            },
            deposit(0, "EUR", 100.0),
            deposit(0, "DOT", 3.0),
            deposit(0, "XRP", 9.0),
        ];
        for t in &mut ledger {
            t.account_id = "k".into();
        }
        ledger[5].account_id = "other".into();
        let positions = PositionIndex::build(&ledger).latest();
        let file = [
            Holding::new(
                "BTC",
                AssetClass::Crypto,
                1.000000004,
                Currency::USD,
                "Kraken",
            ),
            Holding::new("ETH", AssetClass::Crypto, 1.4, Currency::USD, "Kraken"),
            Holding::new("SOL", AssetClass::Crypto, 5.0, Currency::USD, "Kraken"),
            Holding::new("DOT", AssetClass::Crypto, 1.0, Currency::USD, "Kraken"),
            Holding::new("DOT", AssetClass::Crypto, 2.0, Currency::EUR, "Kraken"),
        ];
        let r = reconcile("k", &positions, &file);
        let got: Vec<(&str, f64, f64, Status)> = r
            .lines
            .iter()
            .map(|l| (l.asset.as_str(), l.ledger, l.file, l.status))
            .collect();
        assert_eq!(
            got,
            vec![
                ("BTC", 1.0, 1.000000004, Status::Agrees),
                ("DOT", 3.0, 3.0, Status::Agrees),
                ("ETH", 1.5, 1.4, Status::Differs),
                ("EUR", 100.0, 0.0, Status::LedgerOnly),
                ("SOL", 0.0, 5.0, Status::FileOnly),
            ]
        );
        assert!((r.lines[2].difference - -0.1).abs() < 1e-15);
        assert!(!r.agrees());
        assert_eq!(r.disagreements().count(), 3);
    }

    #[test]
    fn the_tolerance_is_eight_decimals() {
        assert!(agrees(0.12345678, 0.123456785));
        assert!(!agrees(0.12345678, 0.12345680));
        assert!(agrees(1e9, 1e9 + 0.5), "relative 10⁻⁹ of a large quantity");
        assert!(!agrees(1e9, 1e9 + 2.0));
    }
}

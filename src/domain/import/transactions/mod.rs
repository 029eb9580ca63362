//! Transaction exports: the rows of an exchange's or a broker's history read into the
//! ledger's [`Transaction`]s, each with the account the file says it belongs to.
//!
//! Every importer here returns transactions whose `id` and `account_id` are empty (the
//! ledger core assigns them) and whose `external_id` is the exchange's own id where the
//! file has one. Quantities are positive; the leg (received, given, fee) says the direction.
//!
//! **Account hints.** The file says whose transactions they are: the exchange of an
//! exchange export, a broker's account number or client id, CoinTracking's `Exchange`
//! column (one file, many venues). Each transaction points at an [`AccountHint`] in
//! [`Ledger::accounts`]; the core turns hints into accounts (or asks the user).
//!
//! **Internal moves.** A move between two wallets of one account (Binance Spot, Funding,
//! Earn and futures wallets, Simple Earn subscriptions and redemptions, Kraken's spot,
//! staking and earn wallets, Coinbase's vaults and staking) is a
//! [`TxKind::TransferOut`] (the wallet it left) or [`TxKind::TransferIn`] (the wallet it
//! reached) with [`ImportedTransaction::internal`] set. Such a row changes no total of the
//! account: the ledger core makes it a [`TxKind::Internal`]
//! (`accounts::transfers::make_internal`), whose legs stay in the account.
//! When the export lists both halves (Binance's Spot −10 and Funding +10) both come; when
//! it lists one (a Simple Earn subscription leaves Spot; Earn is not in the statement),
//! one comes. Never a deposit, a withdrawal or a sale.
//!
//! **Moves to another account of the user** that the file names (Coinbase retail ↔
//! Coinbase Pro, XTB sub-accounts) are TransferOut/TransferIn without `internal`, with
//! [`ImportedTransaction::counterparty`] naming the other account: the core matches them with
//! the other account's deposit or withdrawal.

pub(crate) mod binance;
pub(crate) mod bitvavo;
pub(crate) mod coinbase;
pub(crate) mod cointracking;
pub(crate) mod generic;
pub(crate) mod ghostfolio;
pub(crate) mod kraken;
pub(crate) mod revolut;
pub(crate) mod saxo;
pub(crate) mod trade_republic;
pub(crate) mod xtb;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::records::Cells;
use super::report::{ReportBuilder, SkipReason};
use super::text::trim_cell;
use super::when::{read_date_time, DateOrder, Zone};
use super::Skip;
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, FnvBuildHasher as Fnv};
use crate::domain::ledger::{AccountKind, Leg, Money, Transaction, TxKind};
use crate::domain::number::NumberReader;

/// Whose transactions a file holds, as far as the file says: the ledger's
/// [`AccountHint`], with the constructors importers use.
pub use crate::domain::ledger::AccountHint;

impl AccountHint {
    /// The hint for an exchange's own export: named after it, its venue.
    pub fn exchange(name: &str) -> AccountHint {
        AccountHint {
            name: name.to_string(),
            kind: AccountKind::Exchange,
            currency: None,
            venue: Some(name.to_string()),
            number: None,
            found_in: format!("the format (a {name} export)"),
        }
    }

    /// The hint for a broker's export.
    pub fn broker(name: &str, number: Option<String>, currency: Option<Currency>) -> AccountHint {
        AccountHint {
            name: match &number {
                Some(n) => format!("{name} {n}"),
                None => name.to_string(),
            },
            kind: AccountKind::Broker,
            currency,
            venue: Some(name.to_string()),
            number,
            found_in: format!("the format (a {name} export)"),
        }
    }
}

/// One transaction read from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedTransaction {
    /// Its account: an index into [`Ledger::accounts`] (and the outcome's `accounts`).
    pub account: u32,
    /// The sub-account of the exchange the row moved in, as the file names it (`Spot`,
    /// `Funding`, `spot / main`, `earn / flexible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<String>,
    /// A move between two wallets of the same account (see the module docs): it changes no
    /// total of the account.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// For a transfer to or from another account of the user that the file names: that
    /// account ("Coinbase Pro").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<String>,
    /// The transaction, `id` and `account_id` empty.
    pub transaction: Transaction,
}

/// The accounts and transactions one file yielded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// The accounts the file's transactions belong to.
    pub accounts: Vec<AccountHint>,
    /// The transactions, in time order (rows of one instant in file order).
    pub transactions: Vec<ImportedTransaction>,
}

/// Collects a file's accounts and transactions.
#[derive(Debug, Default)]
pub(crate) struct LedgerBuilder {
    ledger: Ledger,
    index: HashMap<String, u32, Fnv>,
}

impl LedgerBuilder {
    /// The index of the account keyed `key`, made by `hint` the first time.
    pub fn account(&mut self, key: &str, hint: impl FnOnce() -> AccountHint) -> u32 {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        let i = self.ledger.accounts.len() as u32;
        self.ledger.accounts.push(hint());
        self.index.insert(key.to_string(), i);
        i
    }

    /// Adds a transaction to account `account`.
    pub fn push(&mut self, account: u32, transaction: Transaction) {
        self.push_imported(ImportedTransaction {
            account,
            wallet: None,
            internal: false,
            counterparty: None,
            transaction,
        });
    }

    /// Adds a transaction with its wallet and transfer marks.
    pub fn push_imported(&mut self, t: ImportedTransaction) {
        self.ledger.transactions.push(t);
    }

    /// Notes what was read and returns the ledger, its transactions in time order (rows
    /// of one instant in file order).
    pub fn finish(self, report: &mut ReportBuilder) -> Ledger {
        let mut ledger = self.ledger;
        in_time_order(&mut ledger.transactions);
        let internal = ledger.transactions.iter().filter(|t| t.internal).count();
        if internal > 0 {
            report.note(format!(
                "{internal} move(s) between wallets of one account (Spot, Funding, Earn, staking…) are marked internal: they change no total of the account."
            ));
        }
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for t in &ledger.transactions {
            let label = kind_label(t.transaction.kind);
            match kinds.iter_mut().find(|(k, _)| k == label) {
                Some((_, n)) => *n += 1,
                None => kinds.push((label.to_string(), 1)),
            }
        }
        if !kinds.is_empty() {
            kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            report.note(format!("Transactions by kind: {}.", list.join(", ")));
        }
        ledger
    }
}

/// Puts `transactions` in time order, ties in their order, moving each at most once: the
/// (instant, position) keys are sorted, not the transactions (a few hundred bytes each,
/// a million in a large Trade List), and the order is applied by following its cycles.
fn in_time_order(transactions: &mut [ImportedTransaction]) {
    if transactions
        .windows(2)
        .all(|w| w[0].transaction.at <= w[1].transaction.at)
    {
        return;
    }
    let mut keys: Vec<(Timestamp, usize)> = transactions
        .iter()
        .enumerate()
        .map(|(i, t)| (t.transaction.at, i))
        .collect();
    keys.sort_unstable();
    // from[k]: the position of the transaction that goes to position k.
    let mut from: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut k = start;
        while from[k] != start {
            let next = from[k];
            transactions.swap(k, next);
            from[k] = k;
            k = next;
        }
        from[k] = k;
    }
}

/// A short label of a kind, for the report.
pub fn kind_label(kind: TxKind) -> &'static str {
    use crate::domain::ledger::IncomeKind as I;
    match kind {
        TxKind::Trade => "trade",
        TxKind::Deposit => "deposit",
        TxKind::Withdrawal => "withdrawal",
        TxKind::TransferOut => "transfer out",
        TxKind::TransferIn => "transfer in",
        TxKind::Fee => "fee",
        TxKind::Income(I::Staking) => "staking income",
        TxKind::Income(I::Interest) => "interest",
        TxKind::Income(I::Dividend) => "dividend",
        TxKind::Income(I::Airdrop) => "airdrop",
        TxKind::Income(I::Mining) => "mining income",
        TxKind::Income(I::Reward) => "reward",
        TxKind::Spend => "spend",
        TxKind::Internal => "internal move",
    }
}

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

/// A file's cells, trimmed, with the reasons a row is skipped named after its columns.
pub(crate) struct Row<'r, 'c> {
    pub cells: Cells<'r>,
    pub columns: &'c super::columns::Columns,
    pub numbers: &'c NumberReader,
}

impl<'r> Row<'r, '_> {
    /// Cell `i`, trimmed (`""` when the row is shorter).
    pub fn text(&self, i: usize) -> &'r str {
        trim_cell(self.cells.get(i).unwrap_or(""))
    }

    /// Cell `i` when the column exists and the cell is not empty.
    pub fn opt(&self, i: Option<usize>) -> Option<&'r str> {
        i.map(|i| self.text(i)).filter(|s| !s.is_empty())
    }

    /// Cell `i` as a number (`None` when empty or a dash); a bad number skips the row.
    pub fn number(&self, i: usize) -> Result<Option<f64>, Skip<'r>> {
        let cell = self.text(i);
        self.numbers.read(cell).map_err(|_| {
            (
                SkipReason::BadNumber {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(cell),
            )
        })
    }

    /// Like [`Row::number`] for an optional column.
    pub fn opt_number(&self, i: Option<usize>) -> Result<Option<f64>, Skip<'r>> {
        match i {
            Some(i) => self.number(i),
            None => Ok(None),
        }
    }

    /// Cell `i` as a number that must be there.
    pub fn required_number(&self, i: usize) -> Result<f64, Skip<'r>> {
        self.number(i)?.ok_or_else(|| {
            (
                SkipReason::MissingValue {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(""),
            )
        })
    }

    /// Cell `i` as a date and time, in `zone` unless it gives its own offset.
    pub fn instant(&self, i: usize, order: DateOrder, zone: Zone) -> Result<Timestamp, Skip<'r>> {
        let cell = self.text(i);
        if cell.is_empty() {
            return Err((
                SkipReason::MissingValue {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(""),
            ));
        }
        read_date_time(cell, order)
            .map(|w| w.instant(zone))
            .map_err(|_| {
                (
                    SkipReason::BadDate {
                        column: self.columns.label(i),
                    },
                    Cow::Borrowed(cell),
                )
            })
    }

    /// A skip for a type value this format does not know.
    pub fn unknown_type(&self, i: usize) -> Skip<'r> {
        (
            SkipReason::UnknownType {
                column: self.columns.label(i),
                value: self.text(i).to_string(),
            },
            Cow::Borrowed(self.text(i)),
        )
    }
}

/// The asset of a cell: upper case, trimmed.
pub fn asset_of(cell: &str) -> String {
    cell.trim().to_uppercase()
}

/// A skip for a row with nothing to move.
pub fn no_amount<'r>(cell: &'r str) -> Skip<'r> {
    (SkipReason::NoAmount, Cow::Borrowed(cell))
}

/// Tries each transaction format on a header row.
pub(crate) fn recognise(
    c: &super::columns::Columns,
    context: &super::Context<'_>,
) -> Option<(super::Format, super::MakeParser)> {
    binance::recognise(c, context)
        .or_else(|| coinbase::recognise(c, context))
        .or_else(|| kraken::recognise(c, context))
        .or_else(|| bitvavo::recognise(c, context))
        .or_else(|| revolut::recognise(c, context))
        .or_else(|| saxo::recognise(c, context))
        .or_else(|| trade_republic::recognise(c, context))
        .or_else(|| xtb::recognise(c, context))
        .or_else(|| ghostfolio::recognise(c, context))
}

/// A parser factory from a layout and a header.
pub(crate) fn make<L: Clone + 'static>(
    layout: L,
    columns: &super::columns::Columns,
    f: fn(L, super::columns::Columns) -> Box<dyn super::RowParser>,
) -> super::MakeParser {
    let columns = columns.clone();
    Box::new(move || f(layout.clone(), columns.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_are_put_in_time_order_ties_kept_in_file_order() {
        let at = [5, 1, 3, 1, 5, 0, 3];
        let mut list: Vec<ImportedTransaction> = at
            .iter()
            .enumerate()
            .map(|(i, &t)| ImportedTransaction {
                account: i as u32,
                wallet: None,
                internal: false,
                counterparty: None,
                transaction: transaction(Timestamp::from_millis(t), TxKind::Deposit),
            })
            .collect();
        in_time_order(&mut list);
        let order: Vec<(i64, u32)> = list
            .iter()
            .map(|t| (t.transaction.at.millis(), t.account))
            .collect();
        assert_eq!(
            order,
            [(0, 5), (1, 1), (1, 3), (3, 2), (3, 6), (5, 0), (5, 4)]
        );
    }
}

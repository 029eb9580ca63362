//! What a file's transactions are read into: each [`ImportedTransaction`] with the account
//! it belongs to, collected by a [`LedgerBuilder`] into the file's [`Ledger`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::FnvBuildHasher as Fnv;
use crate::domain::import::report::ReportBuilder;
use crate::domain::ledger::{AccountHint, AccountKind, Transaction, TxKind};

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
    /// A move between two wallets of the same account (see [`crate::domain::import::transactions`]): it changes no
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::transactions::parts::transaction;

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

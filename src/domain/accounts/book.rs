//! Accounts as their records change: created from an importer's hint, renamed, merged,
//! deleted. Pure functions over the profile's accounts, ledgers (by account id) and files
//! (any record that belongs to an account: [`AccountFile`]).
//!
//! # Rules
//! - **Create** ([`account_for`], [`new_account`]): a hint names an existing account when
//!   the kind is the same and the names are equal ignoring case and spacing ("Binance",
//!   " binance "); otherwise a new account takes the hint's name, kind and venue (an
//!   exchange without a venue gets its name as venue) and the hint's currency, else the
//!   profile's base currency. Account ids may not contain `:` (it ends the id's prefix in
//!   transaction ids).
//! - **Rename** ([`rename`]): a name is not empty and not another account's (ignoring case
//!   and spacing).
//! - **Merge** ([`merge_accounts`]): the merged account's ledger is imported into the kept
//!   one by [`super::dedup`]'s rule, so a transaction both had is kept once; its
//!   transactions get the kept account's ids (their old ids are returned, and every
//!   counterpart that named one is updated); rows that conflict are set aside, not added,
//!   and returned for the user to settle; its files move to the kept account; the merged
//!   account is removed. A transfer between the two becomes a transfer within one account:
//!   both halves stay, and they net to the network fee.
//! - **Delete** ([`delete_account`]): the account, its ledger and its files go; transfers
//!   whose other half was in it become the withdrawals and deposits they were.

use std::collections::{BTreeMap, HashMap};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::Holding;
use crate::domain::ledger::{Account, AccountHint, AccountKind, Transaction};

use super::dedup::{check, merge_import, Conflict, InvalidTransaction, MergeCounts};
use super::identity::assign_ids;
use super::transfers::detach;

/// A record that belongs to one account (a positions file, an import version).
pub trait AccountFile {
    /// The account it belongs to.
    fn account_id(&self) -> &str;
    /// Moves it to another account.
    fn set_account_id(&mut self, account_id: &str);
}

/// A positions file (a balances import) kept for an account.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PositionsFile {
    /// Random identifier.
    pub id: String,
    /// The account.
    pub account_id: String,
    /// The file's name.
    pub file_name: String,
    /// The instant its positions describe (the export's time, else the import's).
    pub as_of: Timestamp,
    /// Its holdings.
    pub holdings: Vec<Holding>,
}

impl AccountFile for PositionsFile {
    fn account_id(&self) -> &str {
        &self.account_id
    }
    fn set_account_id(&mut self, account_id: &str) {
        self.account_id = account_id.to_string();
    }
}

/// Why an account operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// An empty name.
    #[error("an account needs a name")]
    EmptyName,
    /// Another account has the name.
    #[error("an account named “{0}” exists already")]
    NameTaken(String),
    /// An id that is empty or contains `:`.
    #[error("“{0}” cannot be an account id (empty, or contains “:”)")]
    BadId(String),
    /// No account has the id.
    #[error("no account has the id “{0}”")]
    NoSuchAccount(String),
    /// An account merged into itself.
    #[error("an account cannot be merged into itself")]
    SameAccount,
}

/// A name as accounts are compared: lower case, runs of spaces as one, trimmed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The existing account a hint names, if any (same kind, same name by [`name_key`]).
pub fn account_for<'a>(accounts: &'a [Account], hint: &AccountHint) -> Option<&'a Account> {
    let key = name_key(&hint.name);
    accounts
        .iter()
        .find(|a| a.kind == hint.kind && name_key(&a.name) == key)
}

/// A new account from a hint (see the module's rule).
pub fn new_account(
    hint: &AccountHint,
    id: &str,
    profile_id: &str,
    base_currency: Currency,
) -> Result<Account, AccountError> {
    if id.is_empty() || id.contains(':') {
        return Err(AccountError::BadId(id.to_string()));
    }
    let name = hint.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AccountError::EmptyName);
    }
    let venue = hint
        .venue
        .clone()
        .or_else(|| (hint.kind == AccountKind::Exchange).then(|| name.clone()));
    Ok(Account {
        id: id.to_string(),
        profile_id: profile_id.to_string(),
        name,
        kind: hint.kind,
        currency: hint.currency.unwrap_or(base_currency),
        venue,
    })
}

/// Renames an account (see the module's rule).
pub fn rename(accounts: &mut [Account], id: &str, name: &str) -> Result<(), AccountError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AccountError::EmptyName);
    }
    let key = name_key(&name);
    if accounts
        .iter()
        .any(|a| a.id != id && name_key(&a.name) == key)
    {
        return Err(AccountError::NameTaken(name));
    }
    let account = accounts
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or_else(|| AccountError::NoSuchAccount(id.to_string()))?;
    account.name = name;
    Ok(())
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountsMerged {
    /// The merged account's transactions: added, already in the kept account's ledger,
    /// conflicting (set aside), invalid.
    pub counts: MergeCounts,
    /// Rows set aside because they conflict with the kept ledger (see [`super::dedup`]).
    pub conflicts: Vec<Conflict>,
    /// Rows set aside as malformed (a ledger holds none unless written by other means).
    pub invalid: Vec<(Transaction, InvalidTransaction)>,
    /// Old id → id in the kept account (the row's new id, or the transaction it was
    /// recognised as).
    pub new_ids: BTreeMap<String, String>,
    /// Files moved to the kept account.
    pub files_moved: usize,
    /// Counterparts updated in every ledger.
    pub counterparts_updated: usize,
}

/// Merges account `from` into account `into` (see the module's rule).
pub fn merge_accounts<F: AccountFile>(
    accounts: &mut Vec<Account>,
    ledgers: &mut BTreeMap<String, Vec<Transaction>>,
    files: &mut [F],
    from: &str,
    into: &str,
) -> Result<AccountsMerged, AccountError> {
    if from == into {
        return Err(AccountError::SameAccount);
    }
    for id in [from, into] {
        if !accounts.iter().any(|a| a.id == id) {
            return Err(AccountError::NoSuchAccount(id.to_string()));
        }
    }
    let moving = ledgers.remove(from).unwrap_or_default();
    let mut invalid = Vec::new();
    let mut valid = Vec::with_capacity(moving.len());
    for t in moving {
        match check(&t) {
            Ok(()) => valid.push(t),
            Err(e) => invalid.push((t, e)),
        }
    }
    // merge_import assigns ids exactly so: the same rows in the same order.
    let old_ids: Vec<String> = valid.iter().map(|t| t.id.clone()).collect();
    let mut assigned = valid.clone();
    assign_ids(into, &mut assigned);
    let kept = ledgers.entry(into.to_string()).or_default();
    let merged = merge_import(into, kept, valid);
    let mut counts = merged.counts();
    counts.invalid = invalid.len();

    let mut final_id: HashMap<&str, &str> = HashMap::new();
    for t in &merged.new {
        final_id.insert(&t.id, &t.id);
    }
    for r in &merged.already_there {
        if let Some(e) = r.existing.first() {
            final_id.insert(&r.incoming, e);
        }
    }
    let new_ids: BTreeMap<String, String> = old_ids
        .into_iter()
        .zip(&assigned)
        .filter_map(|(old, t)| Some((old, final_id.get(t.id.as_str())?.to_string())))
        .collect();

    let conflicts = merged.conflicts;
    kept.extend(merged.new);
    let mut counterparts_updated = 0;
    for ledger in ledgers.values_mut() {
        for t in ledger.iter_mut() {
            if let Some(new) = t.counterpart.as_ref().and_then(|c| new_ids.get(c)) {
                t.counterpart = Some(new.clone());
                counterparts_updated += 1;
            }
        }
    }
    let mut files_moved = 0;
    for f in files.iter_mut().filter(|f| f.account_id() == from) {
        f.set_account_id(into);
        files_moved += 1;
    }
    accounts.retain(|a| a.id != from);
    Ok(AccountsMerged {
        counts,
        conflicts,
        invalid,
        new_ids,
        files_moved,
        counterparts_updated,
    })
}

/// What a deletion removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Deleted {
    /// The account.
    pub account: Account,
    /// Its transactions.
    pub transactions: usize,
    /// Its files.
    pub files: usize,
    /// Transfers in other accounts whose other half was in it, now withdrawals and
    /// deposits again.
    pub transfers_detached: usize,
}

/// Deletes an account with its ledger and files (see the module's rule).
pub fn delete_account<F: AccountFile>(
    accounts: &mut Vec<Account>,
    ledgers: &mut BTreeMap<String, Vec<Transaction>>,
    files: &mut Vec<F>,
    id: &str,
) -> Result<Deleted, AccountError> {
    let at = accounts
        .iter()
        .position(|a| a.id == id)
        .ok_or_else(|| AccountError::NoSuchAccount(id.to_string()))?;
    let account = accounts.remove(at);
    let gone = ledgers.remove(id).unwrap_or_default();
    let gone_ids: std::collections::HashSet<&str> = gone.iter().map(|t| t.id.as_str()).collect();
    let mut transfers_detached = 0;
    for ledger in ledgers.values_mut() {
        for t in ledger.iter_mut() {
            if t.counterpart
                .as_deref()
                .is_some_and(|c| gone_ids.contains(c))
            {
                detach(t);
                transfers_detached += 1;
            }
        }
    }
    let before = files.len();
    files.retain(|f| f.account_id() != id);
    Ok(Deleted {
        account,
        transactions: gone.len(),
        files: before - files.len(),
        transfers_detached,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::tests::{deposit, leg, tx};
    use crate::domain::accounts::positions::PositionIndex;
    use crate::domain::holding::AssetClass;
    use crate::domain::ledger::TxKind;

    fn hint(name: &str, kind: AccountKind, venue: Option<&str>) -> AccountHint {
        AccountHint {
            name: name.into(),
            kind,
            currency: None,
            venue: venue.map(str::to_string),
            number: None,
            found_in: "column Exchange".into(),
        }
    }

    fn account(id: &str, name: &str) -> Account {
        new_account(
            &hint(name, AccountKind::Exchange, None),
            id,
            "p",
            Currency::EUR,
        )
        .unwrap()
    }

    fn file(id: &str, account: &str) -> PositionsFile {
        PositionsFile {
            id: id.into(),
            account_id: account.into(),
            file_name: format!("{id}.csv"),
            as_of: Timestamp::from_millis(0),
            holdings: vec![Holding::new(
                "BTC",
                AssetClass::Crypto,
                1.0,
                Currency::USD,
                "Binance",
            )],
        }
    }

    #[test]
    fn a_cointracking_location_becomes_an_exchange_account_with_its_venue() {
        let h = hint("Binance", AccountKind::Exchange, Some("Binance"));
        let a = new_account(&h, "acc1", "p1", Currency::EUR).unwrap();
        assert_eq!(
            a,
            Account {
                id: "acc1".into(),
                profile_id: "p1".into(),
                name: "Binance".into(),
                kind: AccountKind::Exchange,
                currency: Currency::EUR,
                venue: Some("Binance".into()),
            }
        );
        // An exchange hint without a venue routes to its name; a wallet gets none; a
        // broker's currency is kept.
        let k = new_account(
            &hint(" Kraken ", AccountKind::Exchange, None),
            "k",
            "p",
            Currency::EUR,
        );
        assert_eq!(k.unwrap().venue.as_deref(), Some("Kraken"));
        let w = new_account(
            &hint("Ledger Wallets", AccountKind::Wallet, None),
            "w",
            "p",
            Currency::EUR,
        );
        assert_eq!(w.unwrap().venue, None);
        let mut b = hint("Saxo Bank 80000/1", AccountKind::Broker, Some("Saxo Bank"));
        b.currency = Some(Currency::USD);
        assert_eq!(
            new_account(&b, "s", "p", Currency::EUR).unwrap().currency,
            Currency::USD
        );

        assert_eq!(
            new_account(&h, "a:b", "p", Currency::EUR),
            Err(AccountError::BadId("a:b".into()))
        );
        assert_eq!(
            new_account(
                &hint("  ", AccountKind::Exchange, None),
                "x",
                "p",
                Currency::EUR
            ),
            Err(AccountError::EmptyName)
        );
    }

    #[test]
    fn a_hint_names_the_account_of_the_same_kind_and_name() {
        let accounts = vec![account("a", "Binance"), account("b", "Kraken")];
        let again = hint("binance ", AccountKind::Exchange, None);
        assert_eq!(
            account_for(&accounts, &again).map(|a| a.id.as_str()),
            Some("a")
        );
        let wallet = hint("Binance", AccountKind::Wallet, None);
        assert_eq!(account_for(&accounts, &wallet), None);
    }

    #[test]
    fn rename_refuses_empty_and_taken_names() {
        let mut accounts = vec![account("a", "Binance"), account("b", "Kraken")];
        rename(&mut accounts, "a", "  Binance   Main ").unwrap();
        assert_eq!(accounts[0].name, "Binance Main");
        assert_eq!(
            rename(&mut accounts, "a", " "),
            Err(AccountError::EmptyName)
        );
        assert_eq!(
            rename(&mut accounts, "a", "KRAKEN"),
            Err(AccountError::NameTaken("KRAKEN".into()))
        );
        rename(&mut accounts, "b", "kraken").unwrap();
        assert_eq!(
            rename(&mut accounts, "z", "Z"),
            Err(AccountError::NoSuchAccount("z".into()))
        );
    }

    #[test]
    fn merging_keeps_each_transaction_once_and_follows_its_transfers() {
        // "bn" and "bn2" are the same Binance account imported twice: both have the 1 BTC
        // deposit; "bn2" also has a 0.5 BTC deposit and a withdrawal matched with a
        // deposit in the wallet "w".
        let mut accounts = vec![
            account("bn", "Binance"),
            account("bn2", "Binance 2"),
            account("w", "Wallet"),
        ];
        let mut ledgers = BTreeMap::new();
        let mut add = |acc: &str, rows: Vec<Transaction>| {
            let m = merge_import(acc, &[], rows);
            ledgers.insert(acc.to_string(), m.new);
        };
        add("bn", vec![deposit(0, "BTC", 1.0)]);
        add(
            "bn2",
            vec![
                deposit(0, "BTC", 1.0),
                deposit(10, "BTC", 0.5),
                Transaction {
                    given: leg("BTC", 0.2),
                    ..tx(20, TxKind::Withdrawal)
                },
            ],
        );
        add("w", vec![deposit(30, "BTC", 0.2)]);
        let out_id = ledgers["bn2"][2].id.clone();
        let in_id = ledgers["w"][0].id.clone();
        {
            let (mut a, mut b) = (ledgers["bn2"][2].clone(), ledgers["w"][0].clone());
            crate::domain::accounts::transfers::match_by_hand(&mut a, &mut b).unwrap();
            ledgers.get_mut("bn2").unwrap()[2] = a;
            ledgers.get_mut("w").unwrap()[0] = b;
        }
        let mut files = vec![file("f1", "bn2"), file("f2", "w")];

        let merged = merge_accounts(&mut accounts, &mut ledgers, &mut files, "bn2", "bn").unwrap();
        assert_eq!(
            merged.counts,
            MergeCounts {
                new: 2,
                already_there: 1,
                ..MergeCounts::default()
            }
        );
        assert_eq!(
            accounts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            vec!["bn", "w"]
        );
        assert!(!ledgers.contains_key("bn2"));
        assert_eq!(ledgers["bn"].len(), 3);
        assert!(ledgers["bn"]
            .iter()
            .all(|t| t.account_id == "bn" && t.id.starts_with("bn:")));
        // The withdrawal's new id is followed by its counterpart in the wallet.
        let new_out = &merged.new_ids[&out_id];
        assert!(new_out.starts_with("bn:"));
        assert_eq!(ledgers["w"][0].counterpart.as_ref(), Some(new_out));
        let moved = ledgers["bn"].iter().find(|t| &t.id == new_out).unwrap();
        assert_eq!(moved.counterpart.as_deref(), Some(in_id.as_str()));
        assert_eq!(merged.counterparts_updated, 1);
        assert_eq!(
            (files[0].account_id.as_str(), merged.files_moved),
            ("bn", 1)
        );
        // Binance holds 1 + 0.5 − 0.2 = 1.3 BTC: the shared deposit counted once.
        let all: Vec<&Transaction> = ledgers.values().flatten().collect();
        let p = PositionIndex::build(all).latest();
        let bn: Vec<f64> = p.of_account("bn").map(|x| x.quantity).collect();
        assert_eq!(bn, vec![1.3]);

        assert_eq!(
            merge_accounts(&mut accounts, &mut ledgers, &mut files, "bn", "bn"),
            Err(AccountError::SameAccount)
        );
        assert_eq!(
            merge_accounts(&mut accounts, &mut ledgers, &mut files, "zz", "bn"),
            Err(AccountError::NoSuchAccount("zz".into()))
        );
    }

    #[test]
    fn deleting_an_account_detaches_the_transfers_that_named_it() {
        let mut accounts = vec![account("a", "A"), account("b", "B")];
        let mut w = Transaction {
            id: "a:1".into(),
            account_id: "a".into(),
            given: leg("ETH", 1.0),
            ..tx(0, TxKind::Withdrawal)
        };
        let mut d = Transaction {
            id: "b:1".into(),
            account_id: "b".into(),
            received: leg("ETH", 1.0),
            ..tx(60, TxKind::Deposit)
        };
        crate::domain::accounts::transfers::match_by_hand(&mut w, &mut d).unwrap();
        let mut ledgers = BTreeMap::from([("a".to_string(), vec![w]), ("b".to_string(), vec![d])]);
        let mut files = vec![file("f1", "a"), file("f2", "b"), file("f3", "a")];
        let gone = delete_account(&mut accounts, &mut ledgers, &mut files, "a").unwrap();
        assert_eq!(
            (gone.transactions, gone.files, gone.transfers_detached),
            (1, 2, 1)
        );
        assert_eq!(gone.account.id, "a");
        assert_eq!(ledgers["b"][0].kind, TxKind::Deposit);
        assert_eq!(ledgers["b"][0].counterpart, None);
        assert_eq!(files.len(), 1);
        assert_eq!(
            delete_account(&mut accounts, &mut ledgers, &mut files, "a"),
            Err(AccountError::NoSuchAccount("a".into()))
        );
    }
}

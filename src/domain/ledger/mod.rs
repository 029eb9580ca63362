//! Accounts and their ledger of transactions: what a person did, not only what they hold.
//!
//! An [`Account`] is one place that holds assets (an exchange account, a wallet, a broker
//! account, a bank account). Its [`Transaction`]s say what came in and what went out, when,
//! at what price and for what fee. Positions at any date are the ledger summed up to that
//! date; cost basis, gains and returns (`domain::performance`) are computed from it.
//!
//! Conventions every importer follows:
//! - Quantities in a [`Leg`] are positive; the side of the leg (received, given, fee) says
//!   its direction.
//! - Times are UTC [`Timestamp`]s; an export in local time is converted by its importer.
//! - A transaction's [`Transaction::id`] is stable across re-imports of the same row: the
//!   exchange's own id when it has one, else a fingerprint of the row and its multiplicity.

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;

/// What kind of place an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccountKind {
    /// A crypto exchange account (Binance, Kraken, Coinbase…).
    Exchange,
    /// A self-custody wallet (hardware, browser, on-chain address).
    Wallet,
    /// A securities account at a broker (Saxo Bank, Trade Republic…).
    Broker,
    /// A bank account.
    Bank,
    /// Anything else (real estate, a loan, a tracker that spans several places).
    Other,
}

/// One place that holds assets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Random identifier (stable; the key of its records).
    pub id: String,
    /// Owning profile.
    pub profile_id: String,
    /// Name chosen by the user or found in the file ("Binance", "Saxo 12345678").
    pub name: String,
    /// Kind of place.
    pub kind: AccountKind,
    /// The account's own currency (a broker's account currency, a bank account's).
    pub currency: Currency,
    /// The venue the planner routes orders to, when it is not the name ("Binance").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

/// Whose transactions or holdings a file holds, as far as the file says (a CoinTracking
/// "Binance" location, a Saxo account number, the exchange of an export); importers give
/// it and `domain::accounts` finds or creates the account from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountHint {
    /// The name to give the account ("Binance", "Saxo Bank 80000/1", CoinTracking's
    /// exchange name).
    pub name: String,
    /// What kind of place it is.
    pub kind: AccountKind,
    /// The account's own currency, when the file says it (a broker's account currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The venue the planner routes orders to ("Binance"), for exchange accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// The account number or client id the file gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Where in the file the hint was found ("the exchange of a Binance export", "column
    /// Exchange", "column Client ID").
    pub found_in: String,
}

/// An amount of one asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    /// Canonical ticker (`BTC`, `AAPL`), or a currency code for cash (`EUR`).
    pub asset: String,
    /// Broad kind of the asset (cash legs are [`AssetClass::Cash`]).
    pub class: AssetClass,
    /// Units, positive.
    pub quantity: f64,
}

/// Why income was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IncomeKind {
    /// Staking rewards.
    Staking,
    /// Interest (savings, lending, cash balances).
    Interest,
    /// Dividends and other distributions of a security.
    Dividend,
    /// Airdrops and forks.
    Airdrop,
    /// Mining and masternode rewards.
    Mining,
    /// Other rewards, bonuses, gifts received, cashback.
    Reward,
}

/// What a transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TxKind {
    /// An exchange of one asset for another: [`Transaction::received`] bought,
    /// [`Transaction::given`] paid (a buy, a sell, a convert between two coins).
    Trade,
    /// Assets arriving from outside the profile (a fiat deposit, coins received):
    /// [`Transaction::received`] only.
    Deposit,
    /// Assets leaving the profile (a fiat withdrawal, coins sent away):
    /// [`Transaction::given`] only.
    Withdrawal,
    /// The leaving half of a move between two of the profile's own accounts:
    /// [`Transaction::given`] only. Never a sale.
    TransferOut,
    /// The arriving half of a move between own accounts: [`Transaction::received`] only.
    TransferIn,
    /// A fee on its own (custody fee, network fee): [`Transaction::fee`] only.
    Fee,
    /// Income: [`Transaction::received`] only.
    Income(IncomeKind),
    /// Assets spent on goods or services, given away, lost or stolen:
    /// [`Transaction::given`] only.
    Spend,
    /// A move between the account's own sub-accounts (Binance Spot ↔ Funding ↔ Earn,
    /// Kraken's wallets, a subscription to or redemption from a savings product): no sale,
    /// no deposit, and no change to any position of the account. Its legs say what moved
    /// ([`Transaction::given`] out of one sub-account, [`Transaction::received`] into
    /// another; a file may show one side or both) and are not counted; only a
    /// [`Transaction::fee`] leaves the account.
    Internal,
}

/// A price or value in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub amount: f64,
    /// Its currency.
    pub currency: Currency,
}

/// One line of an account's ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// Stable identifier: `<account id>:<exchange id>` or `<account id>:<fingerprint>#<n>`.
    pub id: String,
    /// The account it belongs to.
    pub account_id: String,
    /// When it happened (UTC).
    pub at: Timestamp,
    /// What it is.
    pub kind: TxKind,
    /// What came into the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Leg>,
    /// What left the account (not counting the fee).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<Leg>,
    /// The fee, in whatever asset it was paid (it also leaves the account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Leg>,
    /// The value of the transaction in a fiat currency, as the file states it (a trade's
    /// total, an income's market value); `None` when the file gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// The exchange's or broker's own id of the row, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// For a listed security: its ISIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isin: Option<String>,
    /// For a listed security: the market it traded on (MIC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// For a transfer: the id of its other half, once matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<String>,
    /// The file's comment or description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Transaction {
    /// The net change this transaction makes to `asset`'s quantity in its account:
    /// received minus given minus the fee, each counted when it is in `asset` (an
    /// [`TxKind::Internal`] move counts its fee only).
    pub fn change_of(&self, asset: &str) -> f64 {
        self.changes()
            .filter(|(l, _)| l.asset == asset)
            .map(|(_, q)| q)
            .sum()
    }

    /// Every (asset, change) this transaction makes to its account's positions: received
    /// positive, given and fee negative; an [`TxKind::Internal`] move's legs stay inside
    /// the account and only its fee is a change.
    pub fn changes(&self) -> impl Iterator<Item = (&Leg, f64)> {
        let moves = self.kind != TxKind::Internal;
        let received = self.received.iter().filter(move |_| moves);
        let given = self.given.iter().filter(move |_| moves);
        let received = received.map(|l| (l, l.quantity));
        let given = given.map(|l| (l, -l.quantity));
        let fee = self.fee.iter().map(|l| (l, -l.quantity));
        received.chain(given).chain(fee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(asset: &str, quantity: f64) -> Option<Leg> {
        let class = if asset == "EUR" {
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

    #[test]
    fn a_trade_changes_both_legs_and_the_fee_asset() {
        let t = Transaction {
            id: "a:1".into(),
            account_id: "a".into(),
            at: Timestamp::from_millis(0),
            kind: TxKind::Trade,
            received: leg("BTC", 0.5),
            given: leg("EUR", 20_000.0),
            fee: leg("BTC", 0.001),
            value: None,
            external_id: None,
            isin: None,
            venue: None,
            counterpart: None,
            note: None,
        };
        assert_eq!(t.change_of("BTC"), 0.499);
        assert_eq!(t.change_of("EUR"), -20_000.0);
        assert_eq!(t.change_of("ETH"), 0.0);
        let total: f64 = t.changes().map(|(_, q)| q).sum();
        assert_eq!(total, 0.5 - 20_000.0 - 0.001);
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            !json.contains("isin"),
            "absent fields are not stored: {json}"
        );
        assert_eq!(serde_json::from_str::<Transaction>(&json).unwrap(), t);
    }

    #[test]
    fn an_internal_move_changes_only_its_fee() {
        // Binance: 10 USDT from Spot to Earn, 0.01 USDT fee.
        let t = Transaction {
            id: "b:1".into(),
            account_id: "b".into(),
            at: Timestamp::from_millis(0),
            kind: TxKind::Internal,
            received: leg("USDT", 10.0),
            given: leg("USDT", 10.0),
            fee: leg("USDT", 0.01),
            value: None,
            external_id: None,
            isin: None,
            venue: None,
            counterpart: None,
            note: Some("Spot → Earn".into()),
        };
        assert_eq!(t.change_of("USDT"), -0.01);
        assert_eq!(t.changes().count(), 1);
        let one_side = Transaction {
            received: None,
            fee: None,
            ..t
        };
        assert_eq!(
            one_side.change_of("USDT"),
            0.0,
            "the subscription row alone"
        );
    }
}

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
//!
//! [`Transaction`]: crate::domain::ledger::Transaction
//! [`TxKind::TransferOut`]: crate::domain::ledger::TxKind::TransferOut
//! [`TxKind::TransferIn`]: crate::domain::ledger::TxKind::TransferIn
//! [`TxKind::Internal`]: crate::domain::ledger::TxKind::Internal

pub(crate) mod binance;
pub(crate) mod bitvavo;
pub(crate) mod coinbase;
pub(crate) mod cointracking;
pub(crate) mod generic;
pub(crate) mod ghostfolio;
pub(crate) mod imported;
pub(crate) mod kraken;
pub(crate) mod parts;
pub(crate) mod revolut;
pub(crate) mod row;
pub(crate) mod saxo;
pub(crate) mod trade_republic;
pub(crate) mod xtb;

use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::MakeParser;

/// Whose transactions a file holds, as far as the file says: the ledger's
/// [`AccountHint`], with the constructors importers use.
pub use crate::domain::ledger::AccountHint;
pub use imported::{kind_label, ImportedTransaction, Ledger};
pub use parts::{add_fee, coin_class, coin_leg, leg, money, transaction};
pub use row::{asset_of, no_amount};

/// Tries each transaction format on a header row.
pub(crate) fn recognise(c: &Columns, context: &Context<'_>) -> Option<(Format, MakeParser)> {
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

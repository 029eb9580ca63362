//! Accounts and their ledgers: the calculators over `domain::ledger`'s vocabulary.
//!
//! - [`identity`]: each transaction's id and the fingerprint that recognises it again.
//! - [`dedup`]: merging an import into an account's ledger without adding anything twice.
//! - [`positions`]: positions of an account, or of all, at any date.
//! - [`transfers`]: transfers between own accounts, matched automatically or by hand.
//! - [`reconcile`]: an account's ledger against its positions file, asset by asset.
//! - [`book`]: accounts created from importers' hints, renamed, merged, deleted.
//! - [`overlap`]: two sources describing the same holdings, and which one counts.

pub mod book;
pub mod dedup;
pub mod identity;
pub mod overlap;
pub mod positions;
pub mod reconcile;
pub mod transfers;

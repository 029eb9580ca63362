//! Accounts and their ledgers: the calculators over `domain::ledger`'s vocabulary.
//!
//! - [`identity`]: each transaction's id and the fingerprint that recognises it again.
//! - [`dedup`]: merging an import into an account's ledger without adding anything twice.

pub mod dedup;
pub mod identity;

//! Pure domain code: no browser types. Builds and is tested natively.
//!
//! Three layers; a module imports only from its own layer or those below it, and no two
//! modules import each other (checked by `tests/architecture.rs`, which reads the list below,
//! and file by file by `make lint`'s cargo-cycles):
//!
//! 1. **Vocabulary** — values every other part speaks in: [`calendar`] (dates, instants),
//!    [`currency`], [`format`] (numbers and dates as shown), [`holding`] (assets, holdings and their merging), [`price_key`],
//!    [`symbol`], [`number`] (numbers as users write them), [`swar`], [`random`],
//!    [`sorting`] (one stable sort, compiled once, for every list),
//!    [`crypto`] (sealing and passphrase keys), [`taxonomy`], [`ledger`] (accounts and
//!    transactions).
//! 2. **Calculators** — pure functions over the vocabulary: [`accounts`] (ledgers:
//!    identity, duplicates, transfers, positions, reconciliation), [`import`] (export formats),
//!    [`prices`], [`valuation`], [`portfolio`], [`manual`], [`dashboard`], [`rebalance`],
//!    [`risk`], [`performance`] (cost basis, gains, returns).
//! 3. **Records and jobs** — what is stored and what crosses to the Web Workers:
//!    [`records`] (profiles, settings, import versions, schema migrations, the demo,
//!    ledger chunks), [`backup`] (the `.folio` file), [`vault`] (encryption at rest),
//!    [`jobs`] (the import, risk and price jobs), and, for benchmarks only (the cargo feature
//!    `bench`), `synthetic`.

pub mod calendar;
pub mod crypto;
pub mod currency;
pub mod format;
pub mod holding;
pub mod ledger;
pub mod number;
pub mod price_key;
pub mod random;
pub mod sorting;
pub mod swar;
pub mod symbol;
pub mod taxonomy;

pub mod accounts;
pub mod dashboard;
pub mod import;
pub mod manual;
pub mod performance;
pub mod portfolio;
pub mod prices;
pub mod rebalance;
pub mod risk;
pub mod valuation;

pub mod backup;
pub mod jobs;
pub mod records;
#[cfg(any(test, feature = "bench"))]
pub mod synthetic;
pub mod vault;

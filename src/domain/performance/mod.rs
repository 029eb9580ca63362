//! Performance accounting: what each holding cost, what was earned, and how the portfolio
//! did against a benchmark. Pure functions over the ledger (`domain::ledger`) and the
//! prices and rates the caller gives ([`Market`]).
//!
//! How the parts fit:
//! 1. [`build_book`] walks the ledger in time order into lots, disposals, income, fees,
//!    contributions and position movements, by the rules documented in [`book`] (lot
//!    methods and pooling in [`lots`]; values from [`market`], missing ones reported as
//!    [`Gap`]s, never taken as zero).
//! 2. [`gains::gains`] values the book at a date: realised and unrealised gains per lot,
//!    asset, group, account and portfolio, income and fees apart, and the accounting
//!    identity `value − net contributions = realised + unrealised + income − fees`.
//!    [`tax_report`] lists a tax year's disposals (CSV export, not tax advice);
//!    [`unledgered`] gives positions without a ledger a cost from the file's entry price.
//! 3. [`timeline::timeline`] values every scope (portfolio, group, account, asset) on
//!    every day with its external flows and chains its time-weighted index ([`twr`]);
//!    [`returns`] turns it into figures for [`periods`] (TWR, money-weighted [`xirr`],
//!    simple return and gain, each with its flows and formulas); [`benchmark`],
//!    [`calendar_returns`], [`contributions`], [`income`] and [`change`] answer the
//!    Performance page's other questions.
//!
//! Every amount is in the market's base currency. Costs are O(n log n) in the number of
//! transactions (lots are kept in ordered maps) plus O(days × positions) for the
//! valuations.

pub mod benchmark;
pub mod book;
pub mod calendar_returns;
pub mod change;
pub mod contributions;
pub mod gains;
pub mod income;
pub mod lots;
pub mod market;
pub mod periods;
pub mod returns;
pub mod scope;
pub mod tax_report;
pub mod timeline;
pub mod twr;
pub mod unledgered;
pub mod xirr;

pub use benchmark::{blend, compare_twr, same_flows_in_benchmark, BenchmarkSeries};
pub use book::{build_book, Book, BookOptions};
pub use calendar_returns::calendar_returns;
pub use change::{split_change, split_change_between, ChangeSplit};
pub use contributions::{contributions, Level};
pub use gains::{gains, GainSummary, Gains};
pub use income::income_by_month;
pub use lots::{LotMethod, Pooling};
pub use market::{Gap, Market, MarketData};
pub use periods::{Period, STANDARD_PERIODS};
pub use returns::{figure, figures, ReturnFigure};
pub use scope::{Grouping, Scope};
pub use tax_report::{gains_report, gains_report_csv, ReportOptions, TaxYear, NOT_TAX_ADVICE};
pub use timeline::{timeline, Timeline};
pub use unledgered::costs_without_history;
pub use xirr::{xirr, CashFlow};

//! Performance accounting: what each holding cost, what was earned, and how the portfolio
//! did against a benchmark.

pub mod book;
pub mod lots;
pub mod market;

pub use book::{build_book, Book, BookOptions};
pub use market::{Gap, Market, MarketData};
pub mod gains;
pub mod periods;
pub mod returns;
pub mod scope;
pub mod timeline;
pub mod twr;
pub mod xirr;

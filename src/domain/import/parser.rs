//! The parsers' side of an import: a format's parser takes a file's rows one at a time
//! ([`RowParser`]), says why a row was skipped ([`Skip`]) and yields the holdings or the
//! transactions ([`Parsed`]).

use std::borrow::Cow;

use super::columns::Columns;
use super::records::{Cells, Record};
use super::report::{ReportBuilder, SkipReason};
use super::rows::{LinesSeen, Rows};
use super::transactions::imported::Ledger;
use crate::domain::holding::Holding;
use crate::domain::number::NumberReader;

/// Why a row was not imported, and the offending cell (shown in the report).
pub(crate) type Skip<'r> = (SkipReason, Cow<'r, str>);

/// What a parser made of its rows.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// Holdings (positions formats).
    pub holdings: Vec<Holding>,
    /// Accounts and transactions (transaction formats).
    pub ledger: Ledger,
}

impl From<Vec<Holding>> for Parsed {
    fn from(holdings: Vec<Holding>) -> Parsed {
        Parsed {
            holdings,
            ledger: Ledger::default(),
        }
    }
}

/// What a parser may ask of the session while it reads a row.
pub(crate) struct RowContext<'a> {
    /// The file's number reader.
    pub numbers: &'a NumberReader,
    /// Where the row is, for parsers that report a row later (grouped rows).
    pub(super) at: Option<(&'a Rows, &'a Record, &'a mut LinesSeen)>,
}

impl RowContext<'_> {
    /// The row's 1-based line (0 while the session samples the header's rows).
    pub fn line(&mut self) -> u64 {
        match &mut self.at {
            Some((rows, rec, seen)) => rows.line(rec, seen),
            None => 0,
        }
    }
}

/// Parses one row at a time.
pub(crate) trait RowParser {
    /// Takes a data row: `Ok` when it was imported, or why it was skipped (the session
    /// finds the row's line only then).
    fn row<'r>(&mut self, rec: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>>;
    /// Produces the holdings or the transactions.
    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed;
}

/// Makes a fresh parser (a file is read again when its number style changes).
pub(crate) type MakeParser = Box<dyn Fn() -> Box<dyn RowParser>>;

/// A factory of parsers made by `f` from clones of `layout` and `columns`.
pub(crate) fn factory<L: Clone + 'static>(
    layout: L,
    columns: &Columns,
    f: fn(L, Columns) -> Box<dyn RowParser>,
) -> MakeParser {
    let columns = columns.clone();
    Box::new(move || f(layout.clone(), columns.clone()))
}

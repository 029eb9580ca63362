//! A row of a transaction export, its cells read as the importers need them: text, numbers
//! and instants, a bad cell naming its column in the skip.

use std::borrow::Cow;

use crate::domain::calendar::Timestamp;
use crate::domain::import::columns::Columns;
use crate::domain::import::parser::Skip;
use crate::domain::import::records::Cells;
use crate::domain::import::report::SkipReason;
use crate::domain::import::text::trim_cell;
use crate::domain::import::when::{read_date_time, DateOrder, Zone};
use crate::domain::number::NumberReader;

/// A file's cells, trimmed, with the reasons a row is skipped named after its columns.
pub(crate) struct Row<'r, 'c> {
    pub cells: Cells<'r>,
    pub columns: &'c Columns,
    pub numbers: &'c NumberReader,
}

impl<'r> Row<'r, '_> {
    /// Cell `i`, trimmed (`""` when the row is shorter).
    pub fn text(&self, i: usize) -> &'r str {
        trim_cell(self.cells.get(i).unwrap_or(""))
    }

    /// Cell `i` when the column exists and the cell is not empty.
    pub fn opt(&self, i: Option<usize>) -> Option<&'r str> {
        i.map(|i| self.text(i)).filter(|s| !s.is_empty())
    }

    /// Cell `i` as a number (`None` when empty or a dash); a bad number skips the row.
    pub fn number(&self, i: usize) -> Result<Option<f64>, Skip<'r>> {
        let cell = self.text(i);
        self.numbers.read(cell).map_err(|_| {
            (
                SkipReason::BadNumber {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(cell),
            )
        })
    }

    /// Like [`Row::number`] for an optional column.
    pub fn opt_number(&self, i: Option<usize>) -> Result<Option<f64>, Skip<'r>> {
        match i {
            Some(i) => self.number(i),
            None => Ok(None),
        }
    }

    /// Cell `i` as a number that must be there.
    pub fn required_number(&self, i: usize) -> Result<f64, Skip<'r>> {
        self.number(i)?.ok_or_else(|| {
            (
                SkipReason::MissingValue {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(""),
            )
        })
    }

    /// Cell `i` as a date and time, in `zone` unless it gives its own offset.
    pub fn instant(&self, i: usize, order: DateOrder, zone: Zone) -> Result<Timestamp, Skip<'r>> {
        let cell = self.text(i);
        if cell.is_empty() {
            return Err((
                SkipReason::MissingValue {
                    column: self.columns.label(i),
                },
                Cow::Borrowed(""),
            ));
        }
        read_date_time(cell, order)
            .map(|w| w.instant(zone))
            .map_err(|_| {
                (
                    SkipReason::BadDate {
                        column: self.columns.label(i),
                    },
                    Cow::Borrowed(cell),
                )
            })
    }

    /// A skip for a type value this format does not know.
    pub fn unknown_type(&self, i: usize) -> Skip<'r> {
        (
            SkipReason::UnknownType {
                column: self.columns.label(i),
                value: self.text(i).to_string(),
            },
            Cow::Borrowed(self.text(i)),
        )
    }
}

/// The asset of a cell: upper case, trimmed.
pub fn asset_of(cell: &str) -> String {
    cell.trim().to_uppercase()
}

/// A skip for a row with nothing to move.
pub fn no_amount<'r>(cell: &'r str) -> Skip<'r> {
    (SkipReason::NoAmount, Cow::Borrowed(cell))
}

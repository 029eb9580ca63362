//! The rows of a file being imported, and the lines they are on.

use csv::StringRecord;

use super::records::{Cells, Record, Records};

/// A file's rows: from its text (CSV) or its worksheet.
pub(super) enum Rows {
    Csv {
        records: Records<String>,
        /// Where the first data row may start (after the header).
        data_start: usize,
    },
    Sheet {
        rows: Vec<StringRecord>,
        /// Rows consumed (the header's index + 1 when the data starts).
        done: u64,
        /// The first data row's index.
        first: u64,
    },
}

impl Rows {
    /// Reads the next row into `rec`; false after the last.
    pub(super) fn next(&mut self, rec: &mut Record) -> bool {
        match self {
            Rows::Csv { records, .. } => records.read(rec),
            Rows::Sheet { rows, done, .. } => match rows.get(*done as usize) {
                Some(r) => {
                    *done += 1;
                    rec.set_fields(r);
                    true
                }
                None => false,
            },
        }
    }

    /// Back to the first data row.
    pub(super) fn restart(&mut self) {
        match self {
            Rows::Csv {
                records,
                data_start,
            } => {
                let delimiter = records.delimiter();
                let text =
                    std::mem::replace(records, Records::new(String::new(), b',')).into_text();
                *records = Records::starting_at(text, *data_start, delimiter);
            }
            Rows::Sheet { done, first, .. } => *done = *first,
        }
    }

    /// The cells of `rec`, a row read by [`Rows::next`].
    pub(super) fn cells<'t>(&'t self, rec: &'t Record) -> Cells<'t> {
        match self {
            Rows::Csv { records, .. } => records.cells(rec),
            Rows::Sheet { .. } => Cells::new("", rec),
        }
    }

    /// The 1-based line (the row, in a workbook) of `rec`, the row last read. Newlines are
    /// counted from the last row asked about (`seen`): only skipped rows are asked about.
    pub(super) fn line(&self, rec: &Record, seen: &mut LinesSeen) -> u64 {
        match self {
            Rows::Csv { records, .. } => {
                let start = rec.start();
                if start > seen.counted {
                    let text = &records.text().as_bytes()[seen.counted..start];
                    seen.newlines += count_newlines(text);
                    seen.counted = start;
                }
                seen.newlines + 1
            }
            Rows::Sheet { done, .. } => *done,
        }
    }

    pub(super) fn progress(&self) -> (u64, u64) {
        match self {
            Rows::Csv { records, .. } => (records.offset() as u64, records.text().len() as u64),
            Rows::Sheet { done, rows, .. } => (*done, rows.len() as u64),
        }
    }
}

/// Newlines counted in a text up to byte `counted`, for the lines of skipped rows.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LinesSeen {
    pub(super) newlines: u64,
    pub(super) counted: usize,
}

/// The newlines in `bytes`.
pub(super) fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

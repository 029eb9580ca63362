//! The import report: what was read, imported and skipped, and why, row by row.

use serde::{Deserialize, Serialize};

use crate::domain::number::DecimalStyle;

/// How many line numbers a report keeps per skip reason; the count stays exact beyond it.
pub const MAX_LINES_PER_REASON: usize = 1000;

/// Why a row was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SkipReason {
    /// A group summary or total row (`Actions (98)`, `Total`).
    SummaryRow,
    /// The symbol cell is empty.
    MissingSymbol,
    /// The quantity cell is empty.
    MissingQuantity,
    /// A cell that must be a number is not one.
    BadNumber {
        /// Header of the offending column.
        column: String,
    },
    /// A currency cell that is not a currency code.
    BadCurrency {
        /// Header of the offending column.
        column: String,
    },
    /// An amount is given without its currency (CoinTracking Trade List).
    AmountWithoutCurrency {
        /// Header of the amount column.
        column: String,
    },
    /// A transaction row that moves nothing (no buy, sell or fee amount).
    NoAmount,
    /// A closed position in a positions export.
    ClosedPosition,
    /// The row has fewer cells than the columns the format needs.
    TooFewCells,
    /// A cell that must hold a value is empty.
    MissingValue {
        /// Header of the empty column.
        column: String,
    },
    /// A cell that must be a date is not one.
    BadDate {
        /// Header of the offending column.
        column: String,
    },
    /// A transaction type (operation, side, event) the format's importer does not know.
    UnknownType {
        /// Header of the type column.
        column: String,
        /// The value found.
        value: String,
    },
    /// A transaction that did not complete (cancelled, pending, failed).
    NotCompleted {
        /// The status the file gives.
        status: String,
    },
    /// A text cell that is not in the form the format writes (`Buy 3 @ 134.85 USD`).
    UnreadableText {
        /// Header of the offending column.
        column: String,
    },
    /// Part of a transaction spread over several rows whose other parts are missing.
    Unpaired,
    /// An amount whose currency the file does not give.
    UnknownCurrency,
}

impl SkipReason {
    /// One sentence for the report.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::SummaryRow => "summary or total row".to_string(),
            SkipReason::MissingSymbol => "no symbol".to_string(),
            SkipReason::MissingQuantity => "no quantity".to_string(),
            SkipReason::BadNumber { column } => format!("“{column}” is not a number"),
            SkipReason::BadCurrency { column } => {
                format!("“{column}” is not a currency code (three letters, like EUR)")
            }
            SkipReason::AmountWithoutCurrency { column } => {
                format!("“{column}” has an amount but no currency")
            }
            SkipReason::NoAmount => "no buy, sell or fee amount".to_string(),
            SkipReason::ClosedPosition => "closed position".to_string(),
            SkipReason::TooFewCells => "fewer cells than the header".to_string(),
            SkipReason::MissingValue { column } => format!("“{column}” is empty"),
            SkipReason::BadDate { column } => format!("“{column}” is not a date"),
            SkipReason::UnknownType { column, value } => {
                format!("“{value}” in “{column}” is not a transaction type Folio knows")
            }
            SkipReason::NotCompleted { status } => {
                format!("not completed (status “{status}”)")
            }
            SkipReason::UnreadableText { column } => {
                format!("“{column}” is not written the way this export writes it")
            }
            SkipReason::Unpaired => {
                "part of a transaction whose other rows are not in the file".to_string()
            }
            SkipReason::UnknownCurrency => {
                "the file does not say the currency of the amount (choose the account's currency)"
                    .to_string()
            }
        }
    }
}

/// All skipped rows sharing one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipGroup {
    /// The reason.
    pub reason: SkipReason,
    /// How many rows were skipped for it.
    pub count: u64,
    /// Their line numbers in the file (1-based), at most [`MAX_LINES_PER_REASON`].
    pub lines: Vec<u64>,
    /// The offending cell of the first few rows, to show the user what was in the file.
    pub examples: Vec<String>,
}

/// What one file yielded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file's name.
    pub file_name: String,
    /// The recognised format's label.
    pub format: String,
    /// Encoding the text was read with.
    pub encoding: String,
    /// Field delimiter (`None` for workbooks).
    pub delimiter: Option<char>,
    /// Line of the header row (1-based).
    pub header_line: u64,
    /// Data rows read (blank rows are not counted).
    pub rows_read: u64,
    /// Rows that contributed to holdings.
    pub imported: u64,
    /// Rows skipped, in total.
    pub skipped: u64,
    /// Skipped rows grouped by reason, most frequent first.
    pub skip_groups: Vec<SkipGroup>,
    /// Things worth knowing that did not stop a row (negative balances, assumptions made).
    pub notes: Vec<String>,
    /// Number of holdings the rows produced after merging.
    pub holdings: u64,
    /// Number of transactions the rows produced (a trade spread over several rows is one).
    #[serde(default)]
    pub transactions: u64,
    /// How cells that both decimal styles read (`1,500`) were read: decided once for the
    /// file from all its number cells, or as the options said.
    #[serde(default)]
    pub number_style: DecimalStyle,
}

/// Builds an [`ImportReport`] row by row.
#[derive(Debug, Default)]
pub struct ReportBuilder {
    rows_read: u64,
    imported: u64,
    groups: Vec<SkipGroup>,
    notes: Vec<String>,
}

impl ReportBuilder {
    /// Records an imported row.
    pub fn imported(&mut self) {
        self.rows_read += 1;
        self.imported += 1;
    }

    /// Records a skipped row at `line` with the offending cell text.
    pub fn skipped(&mut self, line: u64, reason: SkipReason, cell: &str) {
        self.rows_read += 1;
        let group = match self.groups.iter_mut().position(|g| g.reason == reason) {
            Some(i) => &mut self.groups[i],
            None => {
                self.groups.push(SkipGroup {
                    reason,
                    count: 0,
                    lines: Vec::new(),
                    examples: Vec::new(),
                });
                self.groups.last_mut().expect("just pushed")
            }
        };
        group.count += 1;
        if group.lines.len() < MAX_LINES_PER_REASON {
            group.lines.push(line);
        }
        if group.examples.len() < 3 && !cell.is_empty() {
            group.examples.push(cell.chars().take(80).collect());
        }
    }

    /// Adds a note (deduplicated).
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Rows imported so far.
    pub fn imported_count(&self) -> u64 {
        self.imported
    }

    /// Records that a row counted as imported was skipped after all (a transaction spread
    /// over rows whose other rows never came).
    pub fn revoke(&mut self, line: u64, reason: SkipReason, cell: &str) {
        self.imported = self.imported.saturating_sub(1);
        self.rows_read = self.rows_read.saturating_sub(1);
        self.skipped(line, reason, cell);
    }

    /// Finishes the report.
    pub fn build(
        mut self,
        header: ReportHeader,
        holdings: u64,
        transactions: u64,
        number_style: DecimalStyle,
    ) -> ImportReport {
        self.groups
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        ImportReport {
            file_name: header.file_name,
            format: header.format,
            encoding: header.encoding,
            delimiter: header.delimiter,
            header_line: header.header_line,
            rows_read: self.rows_read,
            imported: self.imported,
            skipped: self.rows_read - self.imported,
            skip_groups: self.groups,
            notes: self.notes,
            holdings,
            transactions,
            number_style,
        }
    }
}

/// The parts of a report known before the rows are read.
#[derive(Debug, Clone)]
pub struct ReportHeader {
    /// File name.
    pub file_name: String,
    /// Format label.
    pub format: String,
    /// Encoding label.
    pub encoding: String,
    /// Delimiter.
    pub delimiter: Option<char>,
    /// Header line (1-based).
    pub header_line: u64,
}

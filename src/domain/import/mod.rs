//! Importing export files into holdings.
//!
//! [`ImportSession::start`] sniffs the encoding, the delimiter, preamble lines and the
//! header row, and recognises the format; [`ImportSession::step`] then parses a bounded
//! number of rows at a time so a caller can report progress and yield between chunks;
//! [`ImportSession::finish`] returns the holdings and the [`ImportReport`].
//! [`import_bytes`] does all three at once.

mod balances;
mod columns;
mod generic;
pub mod records;
mod report;
mod saxo;
pub mod text;
mod trade_list;

use std::borrow::Cow;
use std::io::Cursor;

use csv::StringRecord;
use serde::{Deserialize, Serialize};

pub use balances::{BalanceLayout, SymbolStyle};
pub use columns::{currency_in_header, Columns};
pub use generic::ColumnMapping;
pub use report::{
    ImportReport, ReportBuilder, ReportHeader, SkipGroup, SkipReason, MAX_LINES_PER_REASON,
};

use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding, SourceKind};
use crate::domain::number::DecimalStyle;
use balances::BalanceParser;
use records::{Cells, Record, Records};
use saxo::{SaxoLayout, SaxoParser};
use text::{decode, is_zip, looks_binary, sniff_delimiter, trim_cell, Encoding};
use trade_list::{TradeListLayout, TradeListParser};

/// How many leading rows are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// How many leading bytes of a text file are searched for the header.
const HEADER_SEARCH_BYTES: usize = 256 * 1024;

/// The formats Folio recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// CoinTracking "Current Balance".
    CoinTrackingCurrentBalance,
    /// CoinTracking "Balance by Exchange".
    CoinTrackingBalanceByExchange,
    /// CoinTracking "Coins by Exchange".
    CoinTrackingCoinsByExchange,
    /// CoinTracking "Trade List".
    CoinTrackingTradeList,
    /// Saxo Bank "Positions".
    SaxoPositions,
    /// Any table with a symbol and a quantity column.
    Generic,
}

impl Format {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Format::CoinTrackingCurrentBalance => "CoinTracking Current Balance",
            Format::CoinTrackingBalanceByExchange => "CoinTracking Balance by Exchange",
            Format::CoinTrackingCoinsByExchange => "CoinTracking Coins by Exchange",
            Format::CoinTrackingTradeList => "CoinTracking Trade List",
            Format::SaxoPositions => "Saxo Bank Positions",
            Format::Generic => "Generic table",
        }
    }

    /// The source an import of this format goes to by default.
    pub fn default_source(self) -> SourceKind {
        match self {
            Format::SaxoPositions => SourceKind::Stocks,
            _ => SourceKind::Crypto,
        }
    }
}

/// The sentence shown for a file in no known format.
pub const EXPECTED_FORMATS: &str = "Folio reads CSV and XLSX exports: CoinTracking “Current Balance”, “Balance by Exchange”, “Coins by Exchange” or “Trade List”; Saxo Bank “Positions”; or any table with a symbol column and a quantity column.";

/// Why a file could not be imported at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Nothing in the file.
    #[error("“{file}” is empty.")]
    Empty {
        /// File name.
        file: String,
    },
    /// Not a table in any recognised format.
    #[error("“{file}” is not in a format Folio knows. {EXPECTED_FORMATS}")]
    UnknownFormat {
        /// File name.
        file: String,
    },
    /// A workbook that could not be opened.
    #[error("“{file}” looks like an Excel workbook but could not be read ({detail}). {EXPECTED_FORMATS}")]
    Workbook {
        /// File name.
        file: String,
        /// What the workbook reader said.
        detail: String,
    },
    /// A mapping that does not fit the file.
    #[error("The column mapping for “{file}” is incomplete: {detail}")]
    Mapping {
        /// File name.
        file: String,
        /// What is missing.
        detail: String,
    },
}

/// Options for one import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Column mappings saved earlier; one whose signature matches the file's header is used.
    pub saved_mappings: Vec<ColumnMapping>,
    /// A mapping the user just confirmed for this file (wins over detection).
    pub mapping: Option<ColumnMapping>,
}

/// A file whose columns the user must map: its header, a few rows and the best guess.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingRequest {
    /// File name.
    pub file_name: String,
    /// Header cells as written.
    pub headers: Vec<String>,
    /// Up to five data rows.
    pub samples: Vec<Vec<String>>,
    /// The sniffer's guess (incomplete, or it would not be asking).
    pub guess: ColumnMapping,
}

/// What [`ImportSession::start`] found.
pub enum Started {
    /// The format is known: parse it.
    Ready(Box<ImportSession>),
    /// A table whose columns must be mapped by the user.
    NeedsMapping(Box<MappingRequest>),
}

/// What a finished import yields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// The recognised format.
    pub format: Format,
    /// Merged holdings.
    pub holdings: Vec<Holding>,
    /// The report.
    pub report: ImportReport,
    /// Where these holdings go unless the user chooses otherwise.
    pub suggested_source: SourceKind,
    /// The mapping used, for generic files (to save for next time).
    pub mapping: Option<ColumnMapping>,
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Bytes (CSV) or rows (XLSX) consumed.
    pub done: u64,
    /// Total bytes or rows.
    pub total: u64,
    /// Data rows read so far.
    pub rows: u64,
    /// True when every row has been read.
    pub finished: bool,
}

/// Why a row was not imported, and the offending cell (shown in the report).
pub(crate) type Skip<'r> = (SkipReason, Cow<'r, str>);

/// Parses one row at a time.
pub(crate) trait RowParser {
    /// Takes a data row: `Ok` when it was imported, or why it was skipped (the session
    /// finds the row's line only then).
    fn row<'r>(&mut self, rec: Cells<'r>) -> Result<(), Skip<'r>>;
    /// Produces the holdings.
    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Vec<Holding>;
}

/// What detection found: header row index, format, parser, and the mapping used.
type Detected = (usize, Format, Box<dyn RowParser>, Option<ColumnMapping>);

enum Rows {
    Csv(Records<String>),
    Sheet {
        rows: std::vec::IntoIter<StringRecord>,
        done: u64,
        total: u64,
    },
}

impl Rows {
    /// Reads the next row into `rec`; false after the last.
    fn next(&mut self, rec: &mut Record) -> bool {
        match self {
            Rows::Csv(records) => records.read(rec),
            Rows::Sheet { rows, done, .. } => match rows.next() {
                Some(r) => {
                    *done += 1;
                    rec.set_fields(&r);
                    true
                }
                None => false,
            },
        }
    }

    /// The cells of `rec`, a row read by [`Rows::next`].
    fn cells<'t>(&'t self, rec: &'t Record) -> Cells<'t> {
        match self {
            Rows::Csv(records) => records.cells(rec),
            Rows::Sheet { .. } => Cells::new("", rec),
        }
    }

    /// The 1-based line (the row, in a workbook) of `rec`, the row last read. Newlines are
    /// counted from the last row asked about (`seen`): only skipped rows are asked about.
    fn line(&self, rec: &Record, seen: &mut LinesSeen) -> u64 {
        match self {
            Rows::Csv(records) => {
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

    fn progress(&self) -> (u64, u64) {
        match self {
            Rows::Csv(records) => (records.offset() as u64, records.text().len() as u64),
            Rows::Sheet { done, total, .. } => (*done, *total),
        }
    }
}

/// Newlines counted in a text up to byte `counted`, for the lines of skipped rows.
#[derive(Debug, Clone, Copy, Default)]
struct LinesSeen {
    newlines: u64,
    counted: usize,
}

/// An import in progress. See the module docs.
pub struct ImportSession {
    format: Format,
    rows: Rows,
    lines: LinesSeen,
    record: Record,
    parser: Box<dyn RowParser>,
    report: ReportBuilder,
    header: ReportHeader,
    mapping: Option<ColumnMapping>,
    finished: bool,
}

impl ImportSession {
    /// Sniffs the file and prepares the parser.
    pub fn start(
        file_name: &str,
        bytes: Vec<u8>,
        options: &ImportOptions,
    ) -> Result<Started, ImportError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Empty {
                file: file_name.to_string(),
            });
        }
        if is_zip(&bytes) {
            let rows = read_workbook(file_name, &bytes)?;
            let total = rows.len() as u64;
            return Self::detect(
                file_name,
                options,
                Encoding::Xlsx,
                None,
                rows.clone(),
                |header_index| {
                    let skip = header_index + 1;
                    let sheet = Rows::Sheet {
                        rows: rows.into_iter().skip(skip).collect::<Vec<_>>().into_iter(),
                        done: skip as u64,
                        total,
                    };
                    (sheet, LinesSeen::default(), skip as u64)
                },
            );
        }
        if looks_binary(&bytes) {
            return Err(ImportError::UnknownFormat {
                file: file_name.to_string(),
            });
        }
        let (text, encoding) = decode(bytes);
        let delimiter = sniff_delimiter(text.as_bytes());
        let mut head_end = text.len().min(HEADER_SEARCH_BYTES);
        while !text.is_char_boundary(head_end) {
            head_end -= 1;
        }
        let mut head_records = Records::new(&text[..head_end], delimiter);
        let (mut head, mut starts) = (Vec::new(), Vec::new());
        let mut rec = Record::default();
        while head.len() < HEADER_SEARCH_ROWS && head_records.read(&mut rec) {
            head.push(head_records.cells(&rec).iter().collect::<StringRecord>());
            starts.push(rec.start());
        }
        Self::detect(
            file_name,
            options,
            encoding,
            Some(delimiter as char),
            head,
            move |header_index| {
                let header_byte = starts[header_index];
                let header_line = count_newlines(&text.as_bytes()[..header_byte]) + 1;
                let mut records = Records::starting_at(text, header_byte, delimiter);
                records.read(&mut rec);
                let lines = LinesSeen {
                    newlines: header_line - 1,
                    counted: header_byte,
                };
                (Rows::Csv(records), lines, header_line)
            },
        )
    }

    fn detect(
        file_name: &str,
        options: &ImportOptions,
        encoding: Encoding,
        delimiter: Option<char>,
        head: Vec<StringRecord>,
        rows_after: impl FnOnce(usize) -> (Rows, LinesSeen, u64),
    ) -> Result<Started, ImportError> {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
        let mut found: Option<Detected> = None;
        for (i, rec) in head.iter().enumerate() {
            let cols = Columns::new(rec.iter());
            if let Some(m) = &options.mapping {
                if m.signature == cols.signature() {
                    let layout = m.layout(&cols).map_err(|detail| ImportError::Mapping {
                        file: file_name.to_string(),
                        detail,
                    })?;
                    found = Some((
                        i,
                        Format::Generic,
                        Box::new(BalanceParser::new(layout, cols)),
                        Some(m.clone()),
                    ));
                    break;
                }
                continue;
            }
            if let Some((format, parser)) = recognise(&cols) {
                found = Some((i, format, parser, None));
                break;
            }
            if let Some(m) = options
                .saved_mappings
                .iter()
                .find(|m| m.signature == cols.signature())
            {
                if let Ok(layout) = m.layout(&cols) {
                    found = Some((
                        i,
                        Format::Generic,
                        Box::new(BalanceParser::new(layout, cols)),
                        Some(m.clone()),
                    ));
                    break;
                }
            }
        }
        if found.is_none() {
            // A table nobody recognised: take the first row that looks like a header of the
            // modal width and either use the alias guess or ask the user.
            let Some(h) = header_candidate(&head) else {
                return Err(match &options.mapping {
                    Some(_) => ImportError::Mapping {
                        file: file_name.to_string(),
                        detail: "the file's header no longer matches the mapping.".to_string(),
                    },
                    None => ImportError::UnknownFormat {
                        file: file_name.to_string(),
                    },
                });
            };
            let cols = Columns::new(head[h].iter());
            let guess = ColumnMapping::guess(&cols, stem);
            if options.mapping.is_some()
                || !guess.is_complete()
                || guess.value.is_none() && guess.price.is_none()
            {
                return Ok(Started::NeedsMapping(Box::new(MappingRequest {
                    file_name: file_name.to_string(),
                    headers: cols.raw.clone(),
                    samples: head[h + 1..]
                        .iter()
                        .take(5)
                        .map(|r| r.iter().map(str::to_string).collect())
                        .collect(),
                    guess,
                })));
            }
            let layout = guess.layout(&cols).map_err(|detail| ImportError::Mapping {
                file: file_name.to_string(),
                detail,
            })?;
            found = Some((
                h,
                Format::Generic,
                Box::new(BalanceParser::new(layout, cols)),
                Some(guess),
            ));
        }
        let (header_index, format, parser, mapping) = found.expect("set above");
        let (rows, lines, header_line) = rows_after(header_index);
        Ok(Started::Ready(Box::new(ImportSession {
            format,
            rows,
            lines,
            record: Record::default(),
            parser,
            report: ReportBuilder::default(),
            header: ReportHeader {
                file_name: file_name.to_string(),
                format: format.label().to_string(),
                encoding: encoding.label().to_string(),
                delimiter,
                header_line,
            },
            mapping,
            finished: false,
        })))
    }

    /// The recognised format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Parses up to `max_rows` more rows.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        let mut n = 0;
        while n < max_rows && !self.finished {
            if !self.rows.next(&mut self.record) {
                self.finished = true;
                break;
            }
            n += 1;
            let cells = self.rows.cells(&self.record);
            if cells.iter().all(|c| trim_cell(c).is_empty()) {
                continue;
            }
            match self.parser.row(cells) {
                Ok(()) => self.report.imported(),
                Err((reason, cell)) => {
                    let line = self.rows.line(&self.record, &mut self.lines);
                    self.report.skipped(line, reason, &cell);
                }
            }
        }
        let (done, total) = self.rows.progress();
        Progress {
            done: if self.finished { total } else { done },
            total,
            rows: self.report.rows_read(),
            finished: self.finished,
        }
    }

    /// Parses whatever is left and returns the outcome.
    pub fn finish(mut self: Box<Self>) -> ImportOutcome {
        while !self.step(usize::MAX).finished {}
        let mut report = self.report;
        let holdings = self.parser.finish(&mut report);
        let report = report.build(self.header, holdings.len() as u64);
        ImportOutcome {
            format: self.format,
            suggested_source: match (&self.mapping, self.format) {
                (Some(m), Format::Generic) => match m.default_asset_class {
                    AssetClass::Stock | AssetClass::Etf => SourceKind::Stocks,
                    AssetClass::Cash => SourceKind::Bank,
                    _ => SourceKind::Crypto,
                },
                (_, f) => f.default_source(),
            },
            holdings,
            report,
            mapping: self.mapping,
        }
    }
}

/// Imports a whole file in one call.
///
/// ```
/// use folio::domain::import::{import_bytes, ImportOptions, Format};
/// let csv = "\u{feff}\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"\n\"2\",\"ETH\",\"8000\",\"0.1\",\"Kraken\"\n";
/// let out = import_bytes("balance.csv", csv.as_bytes().to_vec(), &ImportOptions::default()).unwrap().unwrap();
/// assert_eq!(out.format, Format::CoinTrackingBalanceByExchange);
/// assert_eq!(out.holdings[0].value, Some(8000.0));
/// ```
pub fn import_bytes(
    file_name: &str,
    bytes: Vec<u8>,
    options: &ImportOptions,
) -> Result<Result<ImportOutcome, MappingRequest>, ImportError> {
    Ok(match ImportSession::start(file_name, bytes, options)? {
        Started::Ready(session) => Ok(session.finish()),
        Started::NeedsMapping(request) => Err(*request),
    })
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Tries each known format on a header row.
fn recognise(c: &Columns) -> Option<(Format, Box<dyn RowParser>)> {
    let usd = |i: usize| Some((i, currency_in_header(&c.label(i))));
    if let Some(layout) = TradeListLayout::detect(c) {
        return Some((
            Format::CoinTrackingTradeList,
            Box::new(TradeListParser::new(layout, c.clone())),
        ));
    }
    if c.has_all(&["ticker", "amount"]) && c.find_prefix(&["value in "]).is_some() {
        let layout = BalanceLayout {
            symbol: (c.find(&["ticker"])?, SymbolStyle::CoinTrackingTicker),
            quantity: c.find(&["amount"])?,
            value: usd(c
                .find(&["value in usd"])
                .or_else(|| c.find_prefix(&["value in "]))?),
            price: c
                .find(&["price in usd"])
                .or_else(|| c.find_prefix(&["price in "]))
                .and_then(usd),
            currency: None,
            location: c.find(&["exchange"]),
            name: c.find(&["name"]),
            asset_class: None,
            ..ct_defaults("CoinTracking")
        };
        return Some((
            Format::CoinTrackingCurrentBalance,
            Box::new(BalanceParser::new(layout, c.clone())),
        ));
    }
    let current_value = c
        .find(&["current value in usd"])
        .or_else(|| c.find_prefix(&["current value in "]));
    if let (Some(value), true) = (current_value, c.has_all(&["amount", "exchange"])) {
        let (symbol, format) = match (c.find(&["currency"]), c.find(&["coin"])) {
            (Some(s), _) => (
                (s, SymbolStyle::CoinTrackingTicker),
                Format::CoinTrackingBalanceByExchange,
            ),
            (None, Some(s)) => (
                (s, SymbolStyle::CoinTrackingCoin),
                Format::CoinTrackingCoinsByExchange,
            ),
            (None, None) => return None,
        };
        let layout = BalanceLayout {
            symbol,
            quantity: c.find(&["amount"])?,
            value: usd(value),
            price: None,
            currency: None,
            location: c.find(&["exchange"]),
            name: None,
            asset_class: None,
            ..ct_defaults("CoinTracking")
        };
        return Some((format, Box::new(BalanceParser::new(layout, c.clone()))));
    }
    if let Some(layout) = SaxoLayout::detect(c) {
        return Some((
            Format::SaxoPositions,
            Box::new(SaxoParser::new(layout, c.clone())),
        ));
    }
    None
}

fn ct_defaults(location: &str) -> BalanceLayout {
    BalanceLayout {
        symbol: (0, SymbolStyle::CoinTrackingTicker),
        quantity: 0,
        value: None,
        price: None,
        currency: None,
        location: None,
        name: None,
        asset_class: None,
        default_currency: Currency::USD,
        default_location: location.to_string(),
        default_asset_class: AssetClass::Crypto,
        decimal_style: DecimalStyle::Auto,
    }
}

/// The first row of the most common width (≥ 2 cells) whose cells are mostly text, not numbers.
fn header_candidate(head: &[StringRecord]) -> Option<usize> {
    let widths: Vec<usize> = head.iter().map(StringRecord::len).collect();
    let modal = (2..=widths.iter().copied().max().unwrap_or(0))
        .max_by_key(|w| (widths.iter().filter(|x| *x == w).count(), *w))?;
    if widths.iter().filter(|&&w| w == modal).count() < 2 {
        return None;
    }
    head.iter().position(|r| {
        r.len() == modal && {
            let texty = r
                .iter()
                .filter(|c| {
                    let c = c.trim();
                    !c.is_empty()
                        && crate::domain::number::parse_number(c, DecimalStyle::Auto).is_err()
                })
                .count();
            texty * 2 > modal
        }
    })
}

fn read_workbook(file_name: &str, bytes: &[u8]) -> Result<Vec<StringRecord>, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let err = |detail: String| ImportError::Workbook {
        file: file_name.to_string(),
        detail,
    };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let names = wb.sheet_names();
    let name = names
        .iter()
        .find(|n| n.to_lowercase().contains("position"))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| err("it has no worksheet".to_string()))?;
    let range = wb.worksheet_range(&name).map_err(|e| err(e.to_string()))?;
    Ok(range
        .rows()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.as_f64().to_string(),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("{e:?}"),
                })
                .collect();
            StringRecord::from(cells)
        })
        .collect())
}

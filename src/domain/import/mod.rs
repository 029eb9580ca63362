//! Importing export files: positions into holdings, histories into transactions.
//!
//! [`ImportSession::start`] sniffs the encoding, the delimiter, preamble lines and the
//! header row, and recognises the format; [`ImportSession::step`] then parses a bounded
//! number of rows at a time so a caller can report progress and yield between chunks;
//! [`ImportSession::finish`] returns the holdings or the transactions (with the accounts
//! they belong to) and the [`ImportReport`]. [`import_bytes`] does all three at once.
//!
//! **Number style.** Cells that both decimal styles read, differently (`1,500`), are read
//! with one style decided for the whole file from all its number cells
//! ([`NumberReader`]): first from the rows around the header, then checked against every
//! cell read; when the whole file calls for the other style and such cells were read, the
//! file is read again. [`ImportOptions::number_style`] (or a mapping's style) overrides it.
//!
//! **Time zones.** Instants are UTC. Each format's module says what its export writes;
//! times written without a zone by an export that uses the user's local time (CoinTracking,
//! Revolut, generic files) are read in [`ImportOptions::time_zone`], UTC when none is given
//! (the report says so).

mod balances;
mod columns;
mod context;
mod format;
mod generic;
mod options;
mod parser;
pub mod records;
mod report;
mod rows;
mod saxo;
pub mod shape;
pub mod text;
mod trade_list;
pub mod transactions;
pub mod when;

use std::io::Cursor;

use csv::StringRecord;
use serde::{Deserialize, Serialize};

pub use balances::{BalanceLayout, SymbolStyle};
pub use columns::{currency_in_header, Columns};
pub use format::Format;
pub use generic::{ColumnMapping, KindValue, RowKind, TransactionColumns};
pub use options::ImportOptions;
pub use report::{
    ImportReport, ReportBuilder, ReportHeader, SkipGroup, SkipReason, MAX_LINES_PER_REASON,
};
pub use transactions::{AccountHint, ImportedTransaction, Ledger};
pub use when::DateOrder;

use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding, SourceKind};
use crate::domain::number::{DecimalStyle, NumberReader};
use balances::BalanceParser;
use context::Context;
use parser::{factory, MakeParser, RowContext, RowParser};
use records::{Cells, Record, Records};
use rows::{count_newlines, LinesSeen, Rows};
use saxo::{SaxoLayout, SaxoParser};
use text::{decode, is_zip, looks_binary, sniff_delimiter, trim_cell, Encoding};
use trade_list::{TradeListLayout, TradeListParser};
use when::Zone;

/// How many leading rows are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// How many leading bytes of a text file are searched for the header.
const HEADER_SEARCH_BYTES: usize = 256 * 1024;

/// The sentence shown for a file in no known format.
pub const EXPECTED_FORMATS: &str = "Folio reads CSV and XLSX exports: CoinTracking “Current Balance”, “Balance by Exchange”, “Coins by Exchange” or “Trade List”; Saxo Bank “Positions” or transactions; Binance, Coinbase, Coinbase Pro, Kraken, Bitvavo, Revolut, Trade Republic and XTB histories; Ghostfolio activities (CSV or JSON); or any table with a symbol column and a quantity column.";

/// Why a file could not be imported at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Nothing in the file.
    #[error("“{file}” is empty.")]
    Empty {
        /// File name.
        file: String,
    },
    /// A header line and nothing after it, in no format Folio recognises by its header.
    #[error("“{file}” has a header and no rows: there is nothing to import.")]
    HeaderOnly {
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
    /// A time zone the options name that Folio does not know.
    #[error("“{zone}” is not a time zone Folio knows: use a name such as Europe/Paris or UTC.")]
    TimeZone {
        /// The name given.
        zone: String,
    },
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
    /// Merged holdings (positions formats).
    pub holdings: Vec<Holding>,
    /// The accounts the transactions belong to, as the file says (transaction formats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountHint>,
    /// The transactions (transaction formats); each points into `accounts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<ImportedTransaction>,
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

/// What detection found: header row index, format, parser, and the mapping used.
type Detected = (usize, Format, MakeParser, Option<ColumnMapping>);

/// An import in progress. See the module docs.
pub struct ImportSession {
    format: Format,
    rows: Rows,
    lines: LinesSeen,
    lines_at_start: LinesSeen,
    record: Record,
    make: MakeParser,
    parser: Box<dyn RowParser>,
    numbers: NumberReader,
    /// The number style was chosen by the user (no decision from the file).
    style_chosen: bool,
    report: ReportBuilder,
    header: ReportHeader,
    mapping: Option<ColumnMapping>,
    finished: bool,
    /// The header row's index among the rows detection saw.
    header_index: usize,
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
        let zone = match &options.time_zone {
            None => Zone::Utc,
            Some(name) => {
                Zone::named(name).ok_or_else(|| ImportError::TimeZone { zone: name.clone() })?
            }
        };
        if is_zip(&bytes) {
            let rows = read_workbook(file_name, &bytes)?;
            return Self::detect(file_name, options, zone, Encoding::Xlsx, None, rows, false);
        }
        if looks_binary(&bytes) {
            return Err(ImportError::UnknownFormat {
                file: file_name.to_string(),
            });
        }
        let (text, encoding) = decode(bytes);
        if text.trim_start().starts_with(['{', '[']) {
            return match transactions::ghostfolio::json_rows(&text) {
                Some(rows) => Self::detect(file_name, options, zone, encoding, None, rows, true),
                None => Err(ImportError::UnknownFormat {
                    file: file_name.to_string(),
                }),
            };
        }
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
        let started = Self::detect(
            file_name,
            options,
            zone,
            encoding,
            Some(delimiter as char),
            head,
            false,
        )?;
        let Started::Ready(mut session) = started else {
            return Ok(started);
        };
        // Detection read the head as a sheet; the rows now come from the text.
        let header_byte = starts[session.header_index];
        let header_line = count_newlines(&text.as_bytes()[..header_byte]) + 1;
        let mut records = Records::starting_at(text, header_byte, delimiter);
        records.read(&mut rec);
        let lines = LinesSeen {
            newlines: header_line - 1,
            counted: header_byte,
        };
        session.rows = Rows::Csv {
            data_start: records.offset(),
            records,
        };
        session.lines = lines;
        session.lines_at_start = lines;
        session.header.header_line = header_line;
        Ok(Started::Ready(session))
    }

    #[allow(clippy::too_many_arguments)]
    fn detect(
        file_name: &str,
        options: &ImportOptions,
        zone: Zone,
        encoding: Encoding,
        delimiter: Option<char>,
        head: Vec<StringRecord>,
        from_json: bool,
    ) -> Result<Started, ImportError> {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
        let mapped = |m: &ColumnMapping, cols: Columns| -> Result<(Format, MakeParser), String> {
            match &m.transactions {
                Some(_) => {
                    let layout = generic::TransactionLayout::new(m, &cols, zone)?;
                    Ok((
                        Format::GenericTransactions,
                        Box::new(move || {
                            Box::new(transactions::generic::GenericParser::new(
                                layout.clone(),
                                cols.clone(),
                            )) as Box<dyn RowParser>
                        }) as MakeParser,
                    ))
                }
                None => {
                    let layout = m.layout(&cols)?;
                    Ok((
                        Format::Generic,
                        Box::new(move || {
                            Box::new(BalanceParser::new(layout.clone(), cols.clone()))
                                as Box<dyn RowParser>
                        }) as MakeParser,
                    ))
                }
            }
        };
        let mut found: Option<Detected> = None;
        for (i, rec) in head.iter().enumerate() {
            let cols = Columns::new(rec.iter());
            if let Some(m) = &options.mapping {
                if m.signature == cols.signature() {
                    let (format, make) =
                        mapped(m, cols).map_err(|detail| ImportError::Mapping {
                            file: file_name.to_string(),
                            detail,
                        })?;
                    found = Some((i, format, make, Some(m.clone())));
                    break;
                }
                continue;
            }
            let context = Context {
                file_name,
                options,
                preamble: &head[..i],
                zone,
                from_json,
            };
            if let Some((format, make)) = recognise(&cols, &context) {
                found = Some((i, format, make, None));
                break;
            }
            if let Some(m) = options
                .saved_mappings
                .iter()
                .find(|m| m.signature == cols.signature())
            {
                if let Ok((format, make)) = mapped(m, cols) {
                    found = Some((i, format, make, Some(m.clone())));
                    break;
                }
            }
        }
        if found.is_none() {
            // A table nobody recognised: take the first row that looks like a header of the
            // modal width and either use the alias guess or ask the user. A table with a
            // date, type or side column holds transactions: it is never summed as
            // balances, and its mapping is always confirmed by the user.
            let Some(h) = header_candidate(&head) else {
                let rows: Vec<&StringRecord> = head
                    .iter()
                    .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                    .collect();
                let header_only = matches!(rows.as_slice(), [only] if only.len() >= 2);
                return Err(match &options.mapping {
                    Some(_) => ImportError::Mapping {
                        file: file_name.to_string(),
                        detail: "the file's header no longer matches the mapping.".to_string(),
                    },
                    None if header_only => ImportError::HeaderOnly {
                        file: file_name.to_string(),
                    },
                    None => ImportError::UnknownFormat {
                        file: file_name.to_string(),
                    },
                });
            };
            let cols = Columns::new(head[h].iter());
            let guess = ColumnMapping::guess_with_rows(&cols, stem, &head[h + 1..]);
            if options.mapping.is_some()
                || guess.transactions.is_some()
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
            let (format, make) = mapped(&guess, cols).map_err(|detail| ImportError::Mapping {
                file: file_name.to_string(),
                detail,
            })?;
            found = Some((h, format, make, Some(guess)));
        }
        let Some((header_index, format, make, mapping)) = found else {
            return Err(ImportError::UnknownFormat {
                file: file_name.to_string(),
            });
        };
        // The number style: the user's, else what the rows after the header call for
        // (checked against the whole file in `finish`).
        let chosen = options.number_style.or(mapping
            .as_ref()
            .map(|m| m.decimal_style)
            .filter(|s| *s != DecimalStyle::Auto));
        let numbers = match chosen {
            Some(style) => NumberReader::new(style),
            None => {
                let sample = NumberReader::default();
                let mut parser = make();
                let mut rec = Record::default();
                for row in head[header_index + 1..].iter().take(HEADER_SEARCH_ROWS) {
                    rec.set_fields(row);
                    let mut ctx = RowContext {
                        numbers: &sample,
                        at: None,
                    };
                    let _ = parser.row(Cells::new("", &rec), &mut ctx);
                }
                NumberReader::new(sample.decided())
            }
        };
        let first = header_index as u64 + 1;
        Ok(Started::Ready(Box::new(ImportSession {
            format,
            rows: Rows::Sheet {
                rows: head,
                done: first,
                first,
            },
            lines: LinesSeen::default(),
            lines_at_start: LinesSeen::default(),
            record: Record::default(),
            parser: make(),
            make,
            numbers,
            style_chosen: chosen.is_some(),
            report: ReportBuilder::default(),
            header: ReportHeader {
                file_name: file_name.to_string(),
                format: format.label().to_string(),
                encoding: encoding.label().to_string(),
                delimiter,
                header_line: first,
            },
            header_index,
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
            let mut ctx = RowContext {
                numbers: &self.numbers,
                at: Some((&self.rows, &self.record, &mut self.lines)),
            };
            match self.parser.row(cells, &mut ctx) {
                Ok(()) => self.report.imported(),
                Err((reason, cell)) => {
                    let line = ctx.line();
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
        if !self.style_chosen {
            let decided = self.numbers.decided();
            let (_, _, either) = self.numbers.counts();
            if either > 0 && self.numbers.reads_differently(decided) {
                // Cells like `1,500` were read with the style the first rows called for,
                // and the whole file calls for the other: read it again.
                self.numbers = NumberReader::new(decided);
                self.parser = (self.make)();
                self.report = ReportBuilder::default();
                self.lines = self.lines_at_start;
                self.rows.restart();
                self.finished = false;
                while !self.step(usize::MAX).finished {}
            }
        }
        let style = self.numbers.style();
        let mut report = self.report;
        note_number_style(&mut report, &self.numbers, self.style_chosen);
        let parsed = self.parser.finish(&mut report);
        let report = report.build(
            self.header,
            parsed.holdings.len() as u64,
            parsed.ledger.transactions.len() as u64,
            style,
        );
        ImportOutcome {
            format: self.format,
            suggested_source: match (&self.mapping, self.format) {
                (Some(m), Format::Generic | Format::GenericTransactions) => {
                    match m.default_asset_class {
                        AssetClass::Stock | AssetClass::Etf => SourceKind::Stocks,
                        AssetClass::Cash => SourceKind::Bank,
                        _ => SourceKind::Crypto,
                    }
                }
                (_, f) => f.default_source(),
            },
            holdings: parsed.holdings,
            accounts: parsed.ledger.accounts,
            transactions: parsed.ledger.transactions,
            report,
            mapping: self.mapping,
        }
    }
}

/// Says in the report how cells that both styles read were read, when there were any.
fn note_number_style(report: &mut ReportBuilder, numbers: &NumberReader, chosen: bool) {
    let (point, comma, either) = numbers.counts();
    if either == 0 {
        return;
    }
    let comma_style = numbers.style() == DecimalStyle::CommaDecimal;
    let how = if comma_style {
        "with a decimal comma (“1,500” is one and a half)"
    } else {
        "with a decimal point (“1,500” is fifteen hundred)"
    };
    let why = if chosen {
        "as the number style chosen for it".to_string()
    } else if point > 0 && comma > 0 {
        format!("although the file writes numbers both ways ({point} with a point, {comma} with a comma): choose the number style if that is wrong")
    } else if point + comma == 0 {
        "as no other number in the file decides it: choose the number style if that is wrong"
            .to_string()
    } else {
        format!(
            "as the file's other numbers are written ({} of them)",
            point.max(comma)
        )
    };
    report.note(format!(
        "{either} number cell(s) could be read either way; they were read {how}, {why}."
    ));
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

/// Tries each known format on a header row: positions formats first (as they always were),
/// then transaction histories.
fn recognise(c: &Columns, context: &Context<'_>) -> Option<(Format, MakeParser)> {
    let usd = |i: usize| Some((i, currency_in_header(&c.label(i))));
    if let Some(layout) = TradeListLayout::detect(c) {
        if context.options.trade_list_as_transactions {
            let layout = transactions::cointracking::Layout::detect(c, context.zone)?;
            return Some((
                Format::CoinTrackingTransactions,
                factory(layout, c, |l, c| {
                    Box::new(transactions::cointracking::Parser::new(l, c))
                }),
            ));
        }
        return Some((
            Format::CoinTrackingTradeList,
            factory(layout, c, |l, c| Box::new(TradeListParser::new(l, c))),
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
            factory(layout, c, |l, c| Box::new(BalanceParser::new(l, c))),
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
        return Some((
            format,
            factory(layout, c, |l, c| Box::new(BalanceParser::new(l, c))),
        ));
    }
    if let Some(layout) = SaxoLayout::detect(c) {
        return Some((
            Format::SaxoPositions,
            factory(layout, c, |l, c| Box::new(SaxoParser::new(l, c))),
        ));
    }
    transactions::recognise(c, context)
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

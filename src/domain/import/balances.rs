//! One parser for every "one row per balance" table: CoinTracking's Current Balance,
//! Balance by Exchange and Coins by Exchange reports, and generic CSVs mapped by column.

use csv::StringRecord;

use super::columns::Columns;
use super::report::{ReportBuilder, SkipReason};
use super::RowParser;
use crate::domain::holding::{AssetClass, Holding, Merger};
use crate::domain::number::{parse_number, DecimalStyle};
use crate::domain::symbol::{
    cointracking_ticker, parse_cointracking_coin, parse_listed_symbol, ParsedSymbol,
};

/// How the symbol cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolStyle {
    /// A CoinTracking ticker (`APT3`).
    CoinTrackingTicker,
    /// A CoinTracking coin cell (`AAVE (Aave) by Exchange`).
    CoinTrackingCoin,
    /// Any other ticker, optionally with a venue (`TSLA:xnas`).
    Plain,
}

/// Where each field of a balance row is found.
#[derive(Debug, Clone)]
pub struct BalanceLayout {
    /// Symbol column and how it is written.
    pub symbol: (usize, SymbolStyle),
    /// Quantity column.
    pub quantity: usize,
    /// Value column and the currency of its values (when the header names one).
    pub value: Option<(usize, Option<String>)>,
    /// Unit-price column and its currency (when the header names one).
    pub price: Option<(usize, Option<String>)>,
    /// Currency column (per-row currency of value and price).
    pub currency: Option<usize>,
    /// Location column.
    pub location: Option<usize>,
    /// Name column.
    pub name: Option<usize>,
    /// Asset-class column.
    pub asset_class: Option<usize>,
    /// Currency when neither the header nor a column gives one.
    pub default_currency: String,
    /// Location when the file has no location column.
    pub default_location: String,
    /// Asset class when the file has no asset-class column (or an unknown value in it).
    pub default_asset_class: AssetClass,
    /// Number style of the file.
    pub decimal_style: DecimalStyle,
}

/// Parses rows laid out as in [`BalanceLayout`].
pub struct BalanceParser {
    layout: BalanceLayout,
    columns: Columns,
    rows: Merger,
}

impl BalanceParser {
    /// A parser for the given layout and header.
    pub fn new(layout: BalanceLayout, columns: Columns) -> BalanceParser {
        BalanceParser {
            layout,
            columns,
            rows: Merger::default(),
        }
    }

    fn parse(&self, rec: &StringRecord) -> Result<Holding, (SkipReason, String)> {
        let l = &self.layout;
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let number = |i: usize| {
            parse_number(cell(i), l.decimal_style).map_err(|_| {
                (
                    SkipReason::BadNumber {
                        column: self.columns.label(i),
                    },
                    cell(i).to_string(),
                )
            })
        };
        if is_summary_row(rec) {
            return Err((SkipReason::SummaryRow, cell(0).to_string()));
        }
        let raw_symbol = cell(l.symbol.0);
        if raw_symbol.is_empty() {
            return Err((SkipReason::MissingSymbol, String::new()));
        }
        let parsed: ParsedSymbol = match l.symbol.1 {
            SymbolStyle::CoinTrackingTicker => cointracking_ticker(raw_symbol),
            SymbolStyle::CoinTrackingCoin => parse_cointracking_coin(raw_symbol),
            SymbolStyle::Plain => parse_listed_symbol(raw_symbol),
        };
        let quantity = number(l.quantity)?.ok_or((SkipReason::MissingQuantity, String::new()))?;
        let row_currency = l
            .currency
            .map(cell)
            .filter(|c| !c.is_empty())
            .map(str::to_uppercase);
        let price = match l.price {
            Some((i, _)) => number(i)?,
            None => None,
        };
        // Currencies and location are borrowed until the holding is built (once per row).
        let price_currency = header_or_row(&l.price, row_currency.as_deref());
        let value_currency = header_or_row(&l.value, row_currency.as_deref());
        let mut value = match l.value {
            Some((i, _)) => number(i)?,
            None => None,
        };
        let currency = value_currency
            .or(price_currency)
            .unwrap_or(&l.default_currency);
        if value.is_none() && price_currency.is_none_or(|pc| pc == currency) {
            value = price.map(|p| p * quantity);
        }
        let asset_class = l
            .asset_class
            .and_then(|i| AssetClass::parse(cell(i)))
            .unwrap_or(l.default_asset_class);
        let location = l
            .location
            .map(cell)
            .filter(|s| !s.is_empty())
            .unwrap_or(&l.default_location);
        let mut h = Holding {
            symbol: parsed.symbol,
            ..Holding::new("", asset_class, quantity, currency, location)
        };
        h.alias = parsed.alias;
        h.venue = parsed.venue;
        h.name = parsed.name.or_else(|| {
            l.name
                .map(cell)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        });
        h.value = value;
        h.price = price;
        h.price_currency = price_currency
            .filter(|pc| *pc != currency)
            .map(str::to_string);
        Ok(h)
    }
}

impl RowParser for BalanceParser {
    fn row(&mut self, line: u64, rec: &StringRecord, report: &mut ReportBuilder) {
        match self.parse(rec) {
            Ok(h) => {
                report.imported();
                self.rows.push(h);
            }
            Err((reason, cell)) => report.skipped(line, reason, &cell),
        }
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Vec<Holding> {
        let holdings = self.rows.finish();
        let negative = holdings.iter().filter(|h| h.quantity < 0.0).count();
        if negative > 0 {
            report.note(format!(
                "{negative} balance(s) are negative in the file and were kept as they are."
            ));
        }
        holdings
    }
}

/// The currency a column's header names, else the row's currency.
fn header_or_row<'a>(
    column: &'a Option<(usize, Option<String>)>,
    row: Option<&'a str>,
) -> Option<&'a str> {
    column.as_ref().and_then(|(_, c)| c.as_deref()).or(row)
}

/// A total or group-summary row: first cell `Total`/`Totals`/`Sum`/`Summe`/`Gesamt`, or
/// `Name (N)` with every other identifying cell empty (Saxo's `Actions (98)`).
pub fn is_summary_row(rec: &StringRecord) -> bool {
    let first = rec
        .iter()
        .find(|c| !c.trim().is_empty())
        .unwrap_or("")
        .trim();
    const WORDS: [&str; 7] = [
        "total",
        "totals",
        "grand total",
        "sum",
        "summe",
        "gesamt",
        "total général",
    ];
    // Once per row: ASCII cells are compared without lower-casing them; the words are
    // short, so longer cells are not lower-cased at all.
    let word = if first.is_ascii() {
        WORDS.iter().any(|w| first.eq_ignore_ascii_case(w))
    } else {
        first.len() <= 16 && WORDS.contains(&first.to_lowercase().as_str())
    };
    if word {
        return true;
    }
    let counted = first.ends_with(')')
        && first.rfind('(').is_some_and(|i| {
            first[i + 1..first.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit())
                && i + 2 < first.len()
        });
    counted
        && rec.get(1).is_none_or(|c| c.trim().is_empty())
        && rec.get(2).is_none_or(|c| c.trim().is_empty())
}

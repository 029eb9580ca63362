//! One parser for every "one row per balance" table: CoinTracking's Current Balance,
//! Balance by Exchange and Coins by Exchange reports, and generic CSVs mapped by column.

use std::borrow::Cow;

use super::columns::Columns;
use super::parser::{Parsed, RowContext, RowParser, Skip};
use super::records::Cells;
use super::report::{ReportBuilder, SkipReason};
use super::text::trim_cell;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding, MergeKey, MergeRow, Merger};
use crate::domain::number::NumberReader;
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
    pub value: Option<(usize, Option<Currency>)>,
    /// Unit-price column and its currency (when the header names one).
    pub price: Option<(usize, Option<Currency>)>,
    /// Currency column (per-row currency of value and price).
    pub currency: Option<usize>,
    /// Location column.
    pub location: Option<usize>,
    /// Name column.
    pub name: Option<usize>,
    /// Asset-class column.
    pub asset_class: Option<usize>,
    /// Currency when neither the header nor a column gives one.
    pub default_currency: Currency,
    /// Location when the file has no location column.
    pub default_location: String,
    /// Asset class when the file has no asset-class column (or an unknown value in it).
    /// (The number style is the session's: one for the whole file.)
    pub default_asset_class: AssetClass,
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

    /// One row (a free function of the layout, so the merger can be borrowed beside it).
    fn parse<'a, 'r: 'a>(
        l: &'a BalanceLayout,
        columns: &Columns,
        numbers: &NumberReader,
        rec: Cells<'r>,
    ) -> Result<Row<'a>, Skip<'r>> {
        let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
        let number = |i: usize| {
            numbers.read(cell(i)).map_err(|_| {
                (
                    SkipReason::BadNumber {
                        column: columns.label(i),
                    },
                    Cow::Borrowed(cell(i)),
                )
            })
        };
        if is_summary_row(rec) {
            return Err((SkipReason::SummaryRow, Cow::Borrowed(cell(0))));
        }
        let raw_symbol = cell(l.symbol.0);
        if raw_symbol.is_empty() {
            return Err((SkipReason::MissingSymbol, Cow::Borrowed("")));
        }
        let mut symbol = match l.symbol.1 {
            SymbolStyle::CoinTrackingTicker => cointracking_ticker(raw_symbol),
            SymbolStyle::CoinTrackingCoin => parse_cointracking_coin(raw_symbol),
            SymbolStyle::Plain => parse_listed_symbol(raw_symbol),
        };
        let quantity =
            number(l.quantity)?.ok_or((SkipReason::MissingQuantity, Cow::Borrowed("")))?;
        let row_currency = match l.currency.map(|i| (i, cell(i))) {
            Some((i, c)) if !c.is_empty() => Some(Currency::parse(c).map_err(|_| {
                (
                    SkipReason::BadCurrency {
                        column: columns.label(i),
                    },
                    Cow::Borrowed(c),
                )
            })?),
            _ => None,
        };
        let price = match l.price {
            Some((i, _)) => number(i)?,
            None => None,
        };
        let header_or_row = |column: &Option<(usize, Option<Currency>)>| {
            column.and_then(|(_, c)| c).or(row_currency)
        };
        let price_currency = header_or_row(&l.price);
        let mut value = match l.value {
            Some((i, _)) => number(i)?,
            None => None,
        };
        let currency = header_or_row(&l.value)
            .or(price_currency)
            .unwrap_or(l.default_currency);
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
        if symbol.name.is_none() {
            symbol.name = l
                .name
                .map(cell)
                .filter(|s| !s.is_empty())
                .map(Cow::Borrowed);
        }
        Ok(Row {
            price_currency: price_currency.filter(|pc| *pc != currency),
            symbol,
            asset_class,
            quantity,
            value,
            price,
            currency,
            location,
        })
    }
}

/// A parsed balance row, borrowing from the record and the layout until it becomes a
/// holding (rows merged into an earlier one never do).
struct Row<'a> {
    symbol: ParsedSymbol<'a>,
    asset_class: AssetClass,
    quantity: f64,
    value: Option<f64>,
    price: Option<f64>,
    currency: Currency,
    price_currency: Option<Currency>,
    location: &'a str,
}

impl MergeRow for Row<'_> {
    fn key(&self) -> MergeKey<'_> {
        MergeKey {
            symbol: &self.symbol.symbol,
            location: self.location,
            asset_class: self.asset_class,
            currency: self.currency,
        }
    }

    fn absorb_into(&self, h: &mut Holding) {
        h.absorb_parts(
            self.quantity,
            self.value,
            self.symbol.name.as_deref(),
            self.symbol.alias.as_deref(),
        );
    }

    fn into_holding(self) -> Holding {
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        Holding {
            symbol: self.symbol.symbol.into_owned(),
            alias: owned(self.symbol.alias),
            name: owned(self.symbol.name),
            asset_class: self.asset_class,
            quantity: self.quantity,
            value: self.value,
            currency: self.currency,
            price: self.price,
            price_currency: self.price_currency,
            location: self.location.to_string(),
            venue: self.symbol.venue,
            isin: None,
        }
    }
}

impl RowParser for BalanceParser {
    fn row<'r>(&mut self, rec: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let row = Self::parse(&self.layout, &self.columns, ctx.numbers, rec)?;
        self.rows.push(row);
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        let holdings = self.rows.finish();
        let negative = holdings.iter().filter(|h| h.quantity < 0.0).count();
        if negative > 0 {
            report.note(format!(
                "{negative} balance(s) are negative in the file and were kept as they are."
            ));
        }
        holdings.into()
    }
}

/// A total or group-summary row: first cell `Total`/`Totals`/`Sum`/`Summe`/`Gesamt`, or
/// `Name (N)` with every other identifying cell empty (Saxo's `Actions (98)`).
pub fn is_summary_row(rec: Cells<'_>) -> bool {
    let first = rec
        .iter()
        .map(trim_cell)
        .find(|c| !c.is_empty())
        .unwrap_or("");
    const WORDS: [&str; 7] = [
        "total",
        "totals",
        "grand total",
        "sum",
        "summe",
        "gesamt",
        "total général",
    ];
    // Once per row: every word starts with an ASCII letter (no other character lower-cases
    // to one of theirs), so most cells (numbers) stop at the first byte; ASCII cells are
    // compared without lower-casing them; the words are short, so longer cells are not
    // lower-cased at all.
    let word = first
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic)
        && if first.is_ascii() {
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

#[cfg(test)]
mod tests {
    use super::is_summary_row;
    use crate::domain::import::records::{Record, Records};

    fn summary(line: &str) -> bool {
        let mut records = Records::new(line, b',');
        let mut rec = Record::default();
        assert!(records.read(&mut rec));
        is_summary_row(records.cells(&rec))
    }

    #[test]
    fn knows_total_rows_in_any_case_and_language() {
        for line in [
            "Total,,1",
            "TOTALS,2",
            ",  grand total ,3",
            "Summe,4",
            "GESAMT,5",
            "Total Général,6",
            "Actions (98),,",
            "1inch (3),,",
        ] {
            assert!(summary(line), "{line}");
        }
        for line in [
            "21.5,Total",
            "Totalisator,1",
            "Actions (98),AAPL,",
            "ETH (Ethereum),1,",
            "(),,",
            "Ŧotal,1",
            ",,",
        ] {
            assert!(!summary(line), "{line}");
        }
    }
}

//! Saxo Bank "Positions" export (French and English UI; CSV or XLSX).
//!
//! The value column is in the account currency, named in its header
//! (`Valeur actuelle (EUR)`, `Market Value (EUR)`); `Devise`/`Currency` is the instrument
//! currency, in which the current price is quoted.

use std::borrow::Cow;

use super::balances::is_summary_row;
use super::columns::{currency_in_header, Columns};
use super::parser::{Parsed, RowContext, RowParser, Skip};
use super::records::Cells;
use super::report::{ReportBuilder, SkipReason};
use super::text::trim_cell;
use crate::domain::currency::Currency;
use crate::domain::holding::{merge_holdings, AssetClass, Holding};
use crate::domain::number::NumberReader;
use crate::domain::symbol::parse_listed_symbol;

/// Where Saxo puts each field.
#[derive(Debug, Clone)]
pub struct SaxoLayout {
    instrument: usize,
    quantity: usize,
    symbol: usize,
    value: Option<(usize, Currency)>,
    price: Option<usize>,
    currency: Option<usize>,
    isin: Option<usize>,
    asset_type: Option<usize>,
    status: Option<usize>,
    side: Option<usize>,
}

impl SaxoLayout {
    /// Recognises a Saxo positions header in French or English.
    pub fn detect(c: &Columns) -> Option<SaxoLayout> {
        let instrument = c.find(&["instruments", "instrument"])?;
        let quantity = c.find(&["quantite", "quantity", "amount", "qty"])?;
        let symbol = c.find(&["symbole", "symbol"])?;
        let value = c
            .find_prefix(&[
                "valeur actuelle (",
                "market value (",
                "current value (",
                "value (",
            ])
            .and_then(|i| currency_in_header(&c.label(i)).map(|cur| (i, cur)));
        let price = c.find(&["prix actuel", "current price", "last price", "price"]);
        if value.is_none() && price.is_none() {
            return None;
        }
        Some(SaxoLayout {
            instrument,
            quantity,
            symbol,
            value,
            price,
            currency: c.find(&["devise", "currency", "instrument currency"]),
            isin: c.find(&["isin"]),
            asset_type: c.find(&["type d'actif", "asset type", "asset class", "type"]),
            status: c.find(&["statut", "status"]),
            side: c.find(&["sens", "l/s", "direction"]),
        })
    }
}

/// Parses Saxo position rows.
pub struct SaxoParser {
    layout: SaxoLayout,
    columns: Columns,
    rows: Vec<Holding>,
}

impl SaxoParser {
    /// A parser for the given layout.
    pub fn new(layout: SaxoLayout, columns: Columns) -> SaxoParser {
        SaxoParser {
            layout,
            columns,
            rows: Vec::new(),
        }
    }

    fn parse<'r>(&self, rec: Cells<'r>, numbers: &NumberReader) -> Result<Holding, Skip<'r>> {
        let l = &self.layout;
        let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
        let number = |i: usize| {
            numbers.read(cell(i)).map_err(|_| {
                let column = self.columns.label(i);
                (SkipReason::BadNumber { column }, Cow::Borrowed(cell(i)))
            })
        };
        if is_summary_row(rec) || (cell(l.quantity).is_empty() && cell(l.symbol).is_empty()) {
            return Err((SkipReason::SummaryRow, Cow::Borrowed(cell(l.instrument))));
        }
        if let Some(s) = l.status {
            let status = cell(s).to_lowercase();
            if status.starts_with("ferm") || status.starts_with("closed") {
                return Err((
                    SkipReason::ClosedPosition,
                    Cow::Borrowed(cell(l.instrument)),
                ));
            }
        }
        let mut quantity =
            number(l.quantity)?.ok_or((SkipReason::MissingQuantity, Cow::Borrowed("")))?;
        if l.side
            .is_some_and(|s| cell(s).eq_ignore_ascii_case("short"))
            && quantity > 0.0
        {
            quantity = -quantity;
        }
        let raw_symbol = cell(l.symbol);
        let isin = l
            .isin
            .map(cell)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let parsed = match (raw_symbol.is_empty(), &isin) {
            (false, _) => parse_listed_symbol(raw_symbol),
            (true, Some(isin)) => parse_listed_symbol(isin),
            (true, None) => {
                return Err((SkipReason::MissingSymbol, Cow::Borrowed(cell(l.instrument))))
            }
        };
        let instrument_currency = match l.currency.map(|i| (i, cell(i))) {
            Some((i, c)) if !c.is_empty() => Some(Currency::parse(c).map_err(|_| {
                (
                    SkipReason::BadCurrency {
                        column: self.columns.label(i),
                    },
                    Cow::Borrowed(c),
                )
            })?),
            _ => None,
        };
        let price = match l.price {
            Some(i) => number(i)?,
            None => None,
        };
        let (value, currency) = match l.value {
            Some((i, cur)) => (number(i)?, cur),
            None => (None, instrument_currency.unwrap_or(Currency::EUR)),
        };
        let asset_class = l
            .asset_type
            .map(cell)
            .map_or(AssetClass::Stock, asset_class_of);
        let mut h = Holding::new(&parsed.symbol, asset_class, quantity, currency, "Saxo Bank");
        h.alias = parsed.alias.map(Cow::into_owned);
        h.venue = parsed.venue;
        h.name = Some(cell(l.instrument).to_string()).filter(|n| !n.is_empty());
        h.isin = isin;
        h.price = price;
        h.price_currency = instrument_currency.filter(|c| *c != currency);
        h.value = value.or_else(|| {
            (h.price_currency.is_none())
                .then_some(price.map(|p| p * quantity))
                .flatten()
        });
        Ok(h)
    }
}

/// Maps Saxo's asset-type cell (`Action`, `Stock`, `Exchange Traded Fund (ETF)`, `ETC`…).
fn asset_class_of(cell: &str) -> AssetClass {
    let c = cell.to_lowercase();
    if ["etf", "etp", "etc", "etn", "fund", "fonds"]
        .iter()
        .any(|k| c.contains(k))
    {
        AssetClass::Etf
    } else if ["action", "stock", "share", "equity"]
        .iter()
        .any(|k| c.contains(k))
        || c.is_empty()
    {
        AssetClass::Stock
    } else if c.contains("cash") || c.contains("fx") {
        AssetClass::Cash
    } else {
        AssetClass::Other
    }
}

impl RowParser for SaxoParser {
    fn row<'r>(&mut self, rec: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let h = self.parse(rec, ctx.numbers)?;
        self.rows.push(h);
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        if self.layout.value.is_some() {
            report.note("Values are in the account currency named in the value column; prices are in each instrument's currency.");
        }
        merge_holdings(self.rows).into()
    }
}

//! CoinTracking "Trade List": balances per currency and exchange reconstructed from every
//! trade, deposit, withdrawal, income and fee.
//!
//! CoinTracking puts what comes in under `Buy` and what goes out under `Sell` for every
//! transaction type, and the fee under `Fee`, so one rule covers them all:
//! balance(currency, exchange) += Buy − Sell − Fee.

use std::borrow::Cow;
use std::collections::HashMap;

use super::columns::Columns;
use super::records::Cells;
use super::report::{ReportBuilder, SkipReason};
use super::text::trim_cell;
use super::{RowParser, Skip};
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::number::{parse_number, DecimalStyle};
use crate::domain::symbol::cointracking_ticker;

/// Column positions of a Trade List (the three `Cur.` columns are positional).
#[derive(Debug, Clone)]
pub struct TradeListLayout {
    kind: usize,
    legs: Vec<(usize, usize, i8)>,
    exchange: Option<usize>,
}

impl TradeListLayout {
    /// Recognises the header: `Type, Buy, Cur., Sell, Cur.` (Fee and Exchange optional).
    pub fn detect(c: &Columns) -> Option<TradeListLayout> {
        let kind = c.find(&["type"])?;
        let buy = c.find(&["buy"])?;
        let buy_cur = c.find_after("cur.", buy)?;
        let sell = c.find(&["sell"])?;
        let sell_cur = c.find_after("cur.", sell)?;
        let mut legs = vec![(buy, buy_cur, 1), (sell, sell_cur, -1)];
        if let Some(fee) = c.find(&["fee"]) {
            legs.push((fee, c.find_after("cur.", fee)?, -1));
        }
        Some(TradeListLayout {
            kind,
            legs,
            exchange: c.find(&["exchange"]),
        })
    }
}

/// Accumulates balances from Trade List rows.
pub struct TradeListParser {
    layout: TradeListLayout,
    columns: Columns,
    balances: HashMap<(String, String), (f64, Option<String>)>,
    order: Vec<(String, String)>,
    types: HashMap<String, u64>,
}

impl TradeListParser {
    /// A parser for the given layout.
    pub fn new(layout: TradeListLayout, columns: Columns) -> TradeListParser {
        TradeListParser {
            layout,
            columns,
            balances: HashMap::new(),
            order: Vec::new(),
            types: HashMap::new(),
        }
    }
}

impl RowParser for TradeListParser {
    fn row<'r>(&mut self, rec: Cells<'r>) -> Result<(), Skip<'r>> {
        let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
        let exchange = self
            .layout
            .exchange
            .map(cell)
            .filter(|s| !s.is_empty())
            .unwrap_or("Unknown");
        let mut moves = Vec::with_capacity(3);
        for &(amount_col, cur_col, sign) in &self.layout.legs {
            let amount = match parse_number(cell(amount_col), DecimalStyle::Auto) {
                Ok(a) => a,
                Err(_) => {
                    let column = self.columns.label(amount_col);
                    return Err((
                        SkipReason::BadNumber { column },
                        Cow::Borrowed(cell(amount_col)),
                    ));
                }
            };
            let Some(amount) = amount else { continue };
            let currency = cell(cur_col);
            if currency.is_empty() {
                if amount == 0.0 {
                    continue;
                }
                let column = self.columns.label(amount_col);
                return Err((
                    SkipReason::AmountWithoutCurrency { column },
                    Cow::Borrowed(cell(amount_col)),
                ));
            }
            moves.push((currency, f64::from(sign) * amount));
        }
        if moves.is_empty() {
            return Err((SkipReason::NoAmount, Cow::Borrowed(cell(self.layout.kind))));
        }
        *self
            .types
            .entry(cell(self.layout.kind).to_string())
            .or_default() += 1;
        for (currency, delta) in moves {
            let parsed = cointracking_ticker(currency);
            let key = (parsed.symbol.into_owned(), exchange.to_string());
            let entry = self.balances.entry(key.clone()).or_insert_with(|| {
                self.order.push(key);
                (0.0, parsed.alias.map(Cow::into_owned))
            });
            entry.0 += delta;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Vec<Holding> {
        let mut holdings = Vec::new();
        let mut negative = 0;
        for key in &self.order {
            let (qty, alias) = &self.balances[key];
            if qty.abs() < 1e-10 {
                continue;
            }
            if *qty < 0.0 {
                negative += 1;
            }
            let mut h = Holding::new(&key.0, AssetClass::Crypto, *qty, "USD", &key.1);
            h.alias.clone_from(alias);
            holdings.push(h);
        }
        let mut types: Vec<_> = self.types.into_iter().collect();
        types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let summary: Vec<String> = types.iter().map(|(t, n)| format!("{t} {n}")).collect();
        report.note(format!("Transactions by type: {}.", summary.join(", ")));
        report.note("A trade list has quantities but no current prices: values appear once prices are available.");
        if negative > 0 {
            report.note(format!(
                "{negative} reconstructed balance(s) are negative (the list is missing some incoming transactions); kept as they are."
            ));
        }
        holdings
    }
}

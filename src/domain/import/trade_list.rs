//! CoinTracking "Trade List": balances per currency and exchange reconstructed from every
//! trade, deposit, withdrawal, income and fee.
//!
//! CoinTracking puts what comes in under `Buy` and what goes out under `Sell` for every
//! transaction type, and the fee under `Fee`, so one rule covers them all:
//! balance(currency, exchange) += Buy − Sell − Fee.

use std::borrow::Cow;
use std::collections::HashMap;

use super::columns::Columns;
use super::parser::{Parsed, RowContext, RowParser, Skip};
use super::records::Cells;
use super::report::{ReportBuilder, SkipReason};
use super::text::trim_cell;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, FnvBuildHasher as Fnv, Holding};
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

/// Accumulates balances from Trade List rows. A row whose currencies and exchange were
/// seen before allocates nothing: keys are looked up by the row's borrowed cells.
pub struct TradeListParser {
    layout: TradeListLayout,
    columns: Columns,
    /// Per exchange, each symbol's index in `balances`.
    index: HashMap<String, HashMap<String, usize, Fnv>, Fnv>,
    /// The balances in first-seen order.
    balances: Vec<Balance>,
    types: HashMap<String, u64, Fnv>,
}

/// One currency's balance on one exchange.
struct Balance {
    symbol: String,
    exchange: String,
    quantity: f64,
    /// The alias of the first row that named the currency.
    alias: Option<String>,
}

impl TradeListParser {
    /// A parser for the given layout.
    pub fn new(layout: TradeListLayout, columns: Columns) -> TradeListParser {
        TradeListParser {
            layout,
            columns,
            index: HashMap::default(),
            balances: Vec::new(),
            types: HashMap::default(),
        }
    }
}

impl RowParser for TradeListParser {
    fn row<'r>(&mut self, rec: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
        let exchange = self
            .layout
            .exchange
            .map(cell)
            .filter(|s| !s.is_empty())
            .unwrap_or("Unknown");
        // At most three legs (buy, sell, fee: `TradeListLayout::detect`).
        let mut moves = [("", 0.0); 3];
        let mut n = 0;
        for &(amount_col, cur_col, sign) in &self.layout.legs {
            let amount = match ctx.numbers.read(cell(amount_col)) {
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
            moves[n] = (currency, f64::from(sign) * amount);
            n += 1;
        }
        if n == 0 {
            return Err((SkipReason::NoAmount, Cow::Borrowed(cell(self.layout.kind))));
        }
        let kind = cell(self.layout.kind);
        match self.types.get_mut(kind) {
            Some(count) => *count += 1,
            None => {
                self.types.insert(kind.to_string(), 1);
            }
        }
        if !self.index.contains_key(exchange) {
            self.index.insert(exchange.to_string(), HashMap::default());
        }
        let symbols = self.index.get_mut(exchange).expect("inserted above");
        for &(currency, delta) in &moves[..n] {
            let parsed = cointracking_ticker(currency);
            let i = match symbols.get(parsed.symbol.as_ref()) {
                Some(&i) => i,
                None => {
                    let i = self.balances.len();
                    symbols.insert(parsed.symbol.to_string(), i);
                    self.balances.push(Balance {
                        symbol: parsed.symbol.into_owned(),
                        exchange: exchange.to_string(),
                        quantity: 0.0,
                        alias: parsed.alias.map(Cow::into_owned),
                    });
                    i
                }
            };
            self.balances[i].quantity += delta;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        let mut holdings = Vec::new();
        let mut negative = 0;
        for b in self.balances {
            if b.quantity.abs() < 1e-10 {
                continue;
            }
            if b.quantity < 0.0 {
                negative += 1;
            }
            let mut h = Holding::new(
                &b.symbol,
                AssetClass::Crypto,
                b.quantity,
                Currency::USD,
                &b.exchange,
            );
            h.alias = b.alias;
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
        holdings.into()
    }
}

//! Trade Republic transactions: `datetime;date;account_type;category;type;asset_class;
//! name;symbol;shares;price;amount;fee;tax;currency;original_amount;original_currency;
//! fx_rate;description;transaction_id;…`.
//!
//! `datetime` is ISO with `Z` (UTC). `amount` is the cash movement (negative for a buy),
//! `fee` and `tax` are beside it (negative), in `currency`; `shares` is signed. The
//! security is its `symbol` (an ISIN for shares and funds, `BTC` for crypto), its class
//! from `asset_class` (`STOCK`, `FUND`/`ETF`, `CRYPTO`, `BOND`).
//! - BUY / SELL (and SAVINGS_PLAN, ROUNDUP, SAVEBACK as buys): shares for cash, the fee and
//!   tax as the fee.
//! - CUSTOMER_INPAYMENT / CUSTOMER_OUTPAYMENT (and other payment types by sign): deposit /
//!   withdrawal of cash, gross, the fee beside it.
//! - DIVIDEND, DISTRIBUTION: dividend; INTEREST (INTEREST_PAYMENT): interest; TAX…: fee.

use super::imported::LedgerBuilder;
use super::parts::{add_fee, leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::ReportBuilder;
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, TxKind};

/// Columns of a Trade Republic export.
#[derive(Debug, Clone)]
pub struct Layout {
    datetime: usize,
    category: Option<usize>,
    kind: usize,
    asset_class: Option<usize>,
    name: Option<usize>,
    symbol: usize,
    shares: usize,
    price: Option<usize>,
    amount: usize,
    fee: Option<usize>,
    tax: Option<usize>,
    currency: usize,
    id: Option<usize>,
    description: Option<usize>,
}

/// Recognises a Trade Republic export.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    c.find(&["account_type"])?;
    let l = Layout {
        datetime: c.find(&["datetime"])?,
        category: c.find(&["category"]),
        kind: c.find(&["type"])?,
        asset_class: c.find(&["asset_class"]),
        name: c.find(&["name"]),
        symbol: c.find(&["symbol"])?,
        shares: c.find(&["shares"])?,
        price: c.find(&["price"]),
        amount: c.find(&["amount"])?,
        fee: c.find(&["fee"]),
        tax: c.find(&["tax"]),
        currency: c.find(&["currency"])?,
        id: c.find(&["transaction_id"]),
        description: c.find(&["description"]),
    };
    Some((
        Format::TradeRepublic,
        factory(l, c, |l, c| Box::new(Parser::new(l, c))),
    ))
}

/// Parses a Trade Republic export.
pub struct Parser {
    layout: Layout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl Parser {
    fn new(layout: Layout, columns: Columns) -> Parser {
        Parser {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

/// `DE0005557508`: two letters, nine letters or digits, a check digit.
pub fn looks_like_isin(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..11].iter().all(u8::is_ascii_alphanumeric)
        && b[11].is_ascii_digit()
}

impl RowParser for Parser {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let at = row.instant(l.datetime, DateOrder::Auto, Zone::Utc)?;
        let kind = row.text(l.kind).to_uppercase();
        let category = row.opt(l.category).unwrap_or("").to_uppercase();
        let currency = row.text(l.currency).to_uppercase();
        let amount = row.number(l.amount)?.unwrap_or(0.0);
        let fee = row.opt_number(l.fee)?.unwrap_or(0.0);
        let tax = row.opt_number(l.tax)?.unwrap_or(0.0);
        let shares = row.number(l.shares)?.unwrap_or(0.0);
        let symbol = row.text(l.symbol).to_uppercase();
        let class = match row.opt(l.asset_class).map(str::to_uppercase).as_deref() {
            Some("CRYPTO") => AssetClass::Crypto,
            Some("FUND") | Some("ETF") | Some("ETP") => AssetClass::Etf,
            Some("STOCK") | Some("BOND") | Some("DERIVATIVE") => AssetClass::Stock,
            _ if looks_like_isin(&symbol) => AssetClass::Stock,
            _ => AssetClass::Other,
        };
        let cash = |q: f64| leg(&currency, AssetClass::Cash, q);
        let security = |q: f64| leg(&symbol, class, q);
        let trade = matches!(
            kind.as_str(),
            "BUY" | "SELL" | "SAVINGS_PLAN" | "ROUNDUP" | "ROUND_UP" | "SAVEBACK"
        ) || (category == "TRADING" && shares != 0.0);
        let mut t = if trade {
            if symbol.is_empty() || shares == 0.0 {
                return Err(no_amount(row.text(l.kind)));
            }
            let mut t = transaction(at, TxKind::Trade);
            if shares > 0.0 {
                t.received = security(shares);
                t.given = cash(amount);
            } else {
                t.given = security(shares);
                t.received = cash(amount);
            }
            if let Some(price) = row.opt_number(l.price)? {
                t.value = money(price * shares, &currency);
            }
            t
        } else if kind.contains("DIVIDEND") || kind.contains("DISTRIBUTION") {
            let mut t = transaction(at, TxKind::Income(IncomeKind::Dividend));
            t.received = cash(amount);
            t
        } else if kind.contains("INTEREST") {
            let mut t = transaction(
                at,
                if amount >= 0.0 {
                    TxKind::Income(IncomeKind::Interest)
                } else {
                    TxKind::Fee
                },
            );
            if amount >= 0.0 {
                t.received = cash(amount);
            } else {
                t.fee = cash(amount);
            }
            t
        } else if kind.contains("TAX") || kind.contains("FEE") {
            let mut t = transaction(
                at,
                if amount > 0.0 {
                    TxKind::Income(IncomeKind::Reward)
                } else {
                    TxKind::Fee
                },
            );
            if amount > 0.0 {
                t.received = cash(amount);
            } else {
                t.fee = cash(amount);
            }
            t
        } else if kind.contains("PAYMENT") || kind.contains("TRANSFER") || category == "CASH" {
            let mut t = transaction(
                at,
                if amount >= 0.0 {
                    TxKind::Deposit
                } else {
                    TxKind::Withdrawal
                },
            );
            if amount >= 0.0 {
                t.received = cash(amount);
            } else {
                t.given = cash(amount);
            }
            t
        } else {
            return Err(row.unknown_type(l.kind));
        };
        let _ = add_fee(&mut t.fee, cash(fee));
        let _ = add_fee(&mut t.fee, cash(tax));
        if tax != 0.0 {
            t.note = Some("fee includes tax".to_string());
        }
        if t.received.is_none() && t.given.is_none() && t.fee.is_none() {
            return Err(no_amount(row.text(l.kind)));
        }
        if looks_like_isin(&symbol) {
            t.isin = Some(symbol.clone());
        }
        t.external_id = row.opt(l.id).map(str::to_string);
        if t.note.is_none() {
            t.note = row
                .opt(l.name)
                .or(row.opt(l.description))
                .map(str::to_string);
        }
        let account_currency = Currency::parse(&currency).ok();
        let account = self.ledger.account("trade republic", || {
            AccountHint::broker("Trade Republic", None, account_currency)
        });
        self.ledger.push(account, t);
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}

//! XTB "Cash Operations": preamble lines (`Account number;…`, `Date from (UTC);…`), then
//! `Type;Ticker;Instrument;Time;Amount;ID;Comment;Product`, a `Total` row at the end.
//!
//! Times are UTC (the preamble says so). Amounts are in the account's currency, which the
//! file does not write: it is taken from [`ImportOptions::account_currency`], else from the
//! file name (`EUR_account…`, `account_12345_USD…`), else the rows are skipped with that
//! reason. Numbers use the account's locale (`-50,25`); the quantities in the comments are
//! written with a point (`OPEN BUY 2 @ 25.125`).
//! - Stock purchase / Stocks/ETF purchase: the shares of the comment received for the
//!   amount; Stock sell / Stocks/ETF sale: given, the amount received.
//! - Deposit, Withdrawal; Dividend (`DIVIDENT`); Withholding tax, commissions, fees: fee;
//!   Free-funds interest: interest (its tax a fee); Subaccount transfer: a transfer to or
//!   from another XTB account of the user.
//!
//! [`ImportOptions::account_currency`]: crate::domain::import::ImportOptions::account_currency

use std::borrow::Cow;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{leg, transaction};
use super::row::{no_amount, Row};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::import::balances::is_summary_row;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, TxKind};
use crate::domain::number::{DecimalStyle, NumberReader};

/// Columns of an XTB cash operations export.
#[derive(Debug, Clone)]
pub struct Layout {
    kind: usize,
    ticker: usize,
    instrument: Option<usize>,
    time: usize,
    amount: usize,
    id: Option<usize>,
    comment: Option<usize>,
    currency: Option<Currency>,
    number: Option<String>,
}

/// Recognises an XTB export.
pub(crate) fn recognise(c: &Columns, context: &Context<'_>) -> Option<(Format, MakeParser)> {
    c.find(&["product"])?;
    let number = context.preamble.iter().find_map(|r| {
        let first = r.get(0)?.trim().to_lowercase();
        (first == "account number" || first == "account")
            .then(|| r.get(1).unwrap_or("").trim().to_string())
    });
    let currency = context
        .options
        .account_currency
        .or_else(|| currency_in_name(context.file_name));
    let l = Layout {
        kind: c.find(&["type"])?,
        ticker: c.find(&["ticker", "symbol"])?,
        instrument: c.find(&["instrument"]),
        time: c.find(&["time"])?,
        amount: c.find(&["amount"])?,
        id: c.find(&["id"]),
        comment: c.find(&["comment"]),
        currency,
        number: number.filter(|n| !n.is_empty()),
    };
    Some((
        Format::XtbCashOperations,
        factory(l, c, |l, c| Box::new(Parser::new(l, c))),
    ))
}

/// A fiat currency code that stands alone in a file name (`EUR_account_sample.csv`).
fn currency_in_name(name: &str) -> Option<Currency> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() == 3)
        .filter_map(|t| Currency::parse(t).ok())
        .find(|c| c.is_fiat())
}

/// Parses an XTB export.
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

/// `OPEN BUY 2 @ 25.125` / `CLOSE BUY 0.5 @ 49.5` → (2, 25.125).
fn comment_trade(comment: &str) -> Option<(f64, f64)> {
    let (left, right) = comment.split_once('@')?;
    let quantity = left.split_whitespace().last()?;
    let price = right.split_whitespace().next()?;
    let dot = NumberReader::new(DecimalStyle::DotDecimal);
    Some((dot.read(quantity).ok()??, dot.read(price).ok()??))
}

impl RowParser for Parser {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        if is_summary_row(cells) {
            return Err((
                SkipReason::SummaryRow,
                Cow::Borrowed(cells.get(0).unwrap_or("")),
            ));
        }
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let kind = super::super::text::normalise_header(row.text(l.kind));
        let amount = row.required_number(l.amount)?;
        let at = row.instant(l.time, DateOrder::DayFirst, Zone::Utc)?;
        let Some(currency) = l.currency else {
            return Err((
                SkipReason::UnknownCurrency,
                Cow::Borrowed(row.text(l.amount)),
            ));
        };
        let cash = leg(currency.as_str(), AssetClass::Cash, amount);
        let ticker = row.text(l.ticker).to_uppercase();
        let comment = row.opt(l.comment).unwrap_or("");
        let unreadable = || {
            (
                SkipReason::UnreadableText {
                    column: l.comment.map(|i| self.columns.label(i)).unwrap_or_default(),
                },
                Cow::Borrowed(comment),
            )
        };
        let mut counterparty = None;
        let has = |w: &[&str]| w.iter().any(|w| kind.contains(w));
        let mut t = if has(&["purchase", "stock sell", "sale", "stocks/etf sell"]) {
            let (quantity, _) = comment_trade(comment).ok_or_else(unreadable)?;
            let buy = kind.contains("purchase");
            let class = if row.opt(l.instrument).is_some_and(|i| i.contains("ETF")) {
                AssetClass::Etf
            } else {
                AssetClass::Stock
            };
            let shares = leg(&ticker, class, quantity);
            let mut t = transaction(at, TxKind::Trade);
            if buy {
                t.received = shares;
                t.given = cash;
            } else {
                t.given = shares;
                t.received = cash;
            }
            t
        } else if has(&["divident", "dividend"]) {
            let mut t = transaction(at, TxKind::Income(IncomeKind::Dividend));
            t.received = cash;
            t
        } else if has(&["tax", "commission", "fee", "swap"]) {
            let mut t = transaction(
                at,
                if amount > 0.0 {
                    TxKind::Income(IncomeKind::Reward)
                } else {
                    TxKind::Fee
                },
            );
            if amount > 0.0 {
                t.received = cash;
            } else {
                t.fee = cash;
            }
            t
        } else if has(&["interest"]) {
            let mut t = transaction(
                at,
                if amount >= 0.0 {
                    TxKind::Income(IncomeKind::Interest)
                } else {
                    TxKind::Fee
                },
            );
            if amount >= 0.0 {
                t.received = cash;
            } else {
                t.fee = cash;
            }
            t
        } else if has(&["subaccount", "transfer"]) {
            counterparty = Some("XTB".to_string());
            let mut t = transaction(
                at,
                if amount >= 0.0 {
                    TxKind::TransferIn
                } else {
                    TxKind::TransferOut
                },
            );
            if amount >= 0.0 {
                t.received = cash;
            } else {
                t.given = cash;
            }
            t
        } else if has(&["deposit", "withdrawal"]) {
            let mut t = transaction(
                at,
                if amount >= 0.0 {
                    TxKind::Deposit
                } else {
                    TxKind::Withdrawal
                },
            );
            if amount >= 0.0 {
                t.received = cash;
            } else {
                t.given = cash;
            }
            t
        } else {
            return Err(row.unknown_type(l.kind));
        };
        if t.received.is_none() && t.given.is_none() && t.fee.is_none() {
            return Err(no_amount(row.text(l.kind)));
        }
        t.external_id = row.opt(l.id).map(str::to_string);
        t.note = Some(comment.to_string()).filter(|c| !c.is_empty());
        let number = l.number.clone();
        let account = self.ledger.account("xtb", || {
            let mut hint = AccountHint::broker("XTB", number.clone(), Some(currency));
            if number.is_some() {
                hint.found_in = "the line “Account number” above the header".to_string();
            }
            hint
        });
        self.ledger.push_imported(ImportedTransaction {
            account,
            wallet: None,
            internal: false,
            counterparty,
            transaction: t,
        });
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_comments_and_currencies_in_file_names() {
        assert_eq!(comment_trade("OPEN BUY 2 @ 25.125"), Some((2.0, 25.125)));
        assert_eq!(comment_trade("CLOSE BUY 0.5 @ 49.5"), Some((0.5, 49.5)));
        assert_eq!(comment_trade("Deposit"), None);
        assert_eq!(
            currency_in_name("EUR_account_sample.csv").map(|c| c.to_string()),
            Some("EUR".into())
        );
        assert_eq!(
            currency_in_name("account_123_USD_2025.xlsx").map(|c| c.to_string()),
            Some("USD".into())
        );
        assert_eq!(currency_in_name("cash operations.csv"), None);
    }
}

//! Bitvavo transactions: `Timezone,Date,Time,Type,Currency,Amount,Quote Currency,Quote
//! Price,Received / Paid Currency,Received / Paid Amount,Fee currency,Fee amount,Status,
//! Transaction ID,Address`.
//!
//! Each row names its time zone (`Europe/Amsterdam`): date and time (with milliseconds,
//! `11:36:46.620`) are read in it, daylight saving included, and converted to UTC.
//! - buy: `Amount` of `Currency` received; `Received / Paid Amount` is what was paid, the fee
//!   included when it is in the same currency (so `Paid − Fee` is the price paid, the fee the
//!   fee). sell: `Amount` given; what was received is net of the fee.
//! - deposit / withdrawal: the amount, the fee beside it.
//! - staking, fixed staking, staking reward: staking income; rebate, affiliate, reward,
//!   bonus: reward.
//!
//! Only `Completed` rows count (others are skipped as not completed).

use super::imported::LedgerBuilder;
use super::parts::{coin_leg, money, transaction};
use super::row::Row;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{read_date_time, DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, TxKind};

/// Columns of a Bitvavo export.
#[derive(Debug, Clone)]
pub struct Layout {
    zone: usize,
    date: usize,
    time: usize,
    kind: usize,
    currency: usize,
    amount: usize,
    paid_currency: usize,
    paid: usize,
    fee_currency: usize,
    fee: usize,
    status: Option<usize>,
    id: Option<usize>,
    quote: Option<usize>,
    price: Option<usize>,
}

/// Recognises a Bitvavo export.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    let l = Layout {
        zone: c.find(&["timezone"])?,
        date: c.find(&["date"])?,
        time: c.find(&["time"])?,
        kind: c.find(&["type"])?,
        currency: c.find(&["currency"])?,
        amount: c.find(&["amount"])?,
        paid_currency: c.find(&["received / paid currency"])?,
        paid: c.find(&["received / paid amount"])?,
        fee_currency: c.find(&["fee currency"])?,
        fee: c.find(&["fee amount"])?,
        status: c.find(&["status"]),
        id: c.find(&["transaction id"]),
        quote: c.find(&["quote currency"]),
        price: c.find(&["quote price"]),
    };
    Some((
        Format::Bitvavo,
        factory(l, c, |l, c| Box::new(Parser::new(l, c))),
    ))
}

/// Parses a Bitvavo export.
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

impl RowParser for Parser {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        if let Some(status) = row.opt(l.status) {
            if !status.eq_ignore_ascii_case("completed") {
                return Err((
                    SkipReason::NotCompleted {
                        status: status.to_string(),
                    },
                    std::borrow::Cow::Borrowed(status),
                ));
            }
        }
        let zone_name = row.text(l.zone);
        let zone = if zone_name.is_empty() {
            Zone::Utc
        } else {
            Zone::named(zone_name).ok_or_else(|| {
                (
                    SkipReason::UnreadableText {
                        column: self.columns.label(l.zone),
                    },
                    std::borrow::Cow::Borrowed(zone_name),
                )
            })?
        };
        let written = format!("{} {}", row.text(l.date), row.text(l.time));
        let at = read_date_time(&written, DateOrder::Auto)
            .map(|w| w.instant(zone))
            .map_err(|_| {
                (
                    SkipReason::BadDate {
                        column: self.columns.label(l.date),
                    },
                    std::borrow::Cow::Borrowed(row.text(l.date)),
                )
            })?;
        let kind = row.text(l.kind).to_lowercase();
        let currency = row.text(l.currency).to_uppercase();
        let amount = row.required_number(l.amount)?;
        let paid_currency = row.text(l.paid_currency).to_uppercase();
        let paid = row.number(l.paid)?.unwrap_or(0.0).abs();
        let fee_currency = row.text(l.fee_currency).to_uppercase();
        let fee = row.number(l.fee)?.unwrap_or(0.0).abs();
        let fee_leg = coin_leg(&fee_currency, fee).filter(|_| !fee_currency.is_empty());
        let this = coin_leg(&currency, amount);
        let mut t = match kind.as_str() {
            "buy" | "sell" => {
                let buy = kind == "buy";
                let same = fee_currency == paid_currency;
                let cash = if buy && same {
                    coin_leg(&paid_currency, paid - fee)
                } else if !buy && same {
                    coin_leg(&paid_currency, paid + fee)
                } else {
                    coin_leg(&paid_currency, paid)
                };
                let mut t = transaction(at, TxKind::Trade);
                if buy {
                    t.received = this;
                    t.given = cash;
                } else {
                    t.received = cash;
                    t.given = this;
                }
                let quote = l.quote.map(|i| row.text(i)).unwrap_or("");
                if let (Some(price), false) = (row.opt_number(l.price)?, quote.is_empty()) {
                    t.value = money(price * amount, quote);
                }
                t
            }
            "deposit" | "withdrawal" => {
                let mut t = transaction(
                    at,
                    if amount > 0.0 {
                        TxKind::Deposit
                    } else {
                        TxKind::Withdrawal
                    },
                );
                if amount > 0.0 {
                    t.received = this;
                } else {
                    t.given = this;
                }
                t
            }
            "staking" | "fixed staking" | "staking reward" => {
                let mut t = transaction(at, TxKind::Income(IncomeKind::Staking));
                t.received = this;
                t
            }
            "rebate" | "affiliate" | "reward" | "bonus" => {
                let mut t = transaction(at, TxKind::Income(IncomeKind::Reward));
                t.received = this;
                t
            }
            _ => return Err(row.unknown_type(l.kind)),
        };
        t.fee = fee_leg;
        t.external_id = row.opt(l.id).map(str::to_string);
        let account = self
            .ledger
            .account("bitvavo", || AccountHint::exchange("Bitvavo"));
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

//! Revolut crypto statement: `Symbol,Type,Quantity,Price,Value,Fees,Date`.
//!
//! Money cells carry their currency, as a code after (`50.00 SEK`, `"89,162.28 SEK"`) or a
//! sign before (`€10.00`, `$5`, `£2`); one file may mix currencies, and each row keeps its
//! own. Dates are US long dates in the app's local time (`May 5, 2020, 10:10:57 PM`): read
//! in [`ImportOptions::time_zone`], UTC when none is given.
//! - Buy: `Quantity` received, `Value` paid, `Fees` on top. Sell: the reverse.
//! - Send / Receive: withdrawal / deposit. Stake / Unstake: internal (the coins stay in the
//!   account, in its staking wallet). Staking reward, Reward, Learn reward: income.
//!
//! [`ImportOptions::time_zone`]: crate::domain::import::ImportOptions::time_zone

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{coin_leg, money, transaction};
use super::row::Row;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, TxKind};
use crate::domain::number::NumberReader;

/// Columns of a Revolut statement.
#[derive(Debug, Clone)]
pub struct Layout {
    symbol: usize,
    kind: usize,
    quantity: usize,
    price: usize,
    value: usize,
    fees: usize,
    date: usize,
    zone: Zone,
}

/// Recognises a Revolut crypto statement.
pub(crate) fn recognise(c: &Columns, context: &Context<'_>) -> Option<(Format, MakeParser)> {
    if c.len() > 9 {
        return None;
    }
    let l = Layout {
        symbol: c.find(&["symbol"])?,
        kind: c.find(&["type"])?,
        quantity: c.find(&["quantity"])?,
        price: c.find(&["price"])?,
        value: c.find(&["value"])?,
        fees: c.find(&["fees"])?,
        date: c.find(&["date"])?,
        zone: context.zone,
    };
    Some((
        Format::RevolutCrypto,
        factory(l, c, |l, c| Box::new(Parser::new(l, c))),
    ))
}

/// A money cell: its amount and currency (`"89,162.28 SEK"`, `€10.00`).
fn read_money(cell: &str, numbers: &NumberReader) -> Option<(f64, String)> {
    let c = cell.trim();
    let symbol = |s: &str| match s {
        "€" => Some("EUR"),
        "$" => Some("USD"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₣" => Some("CHF"),
        _ => None,
    };
    let amount = numbers.read(c).ok()??;
    let letters: String = c
        .chars()
        .rev()
        .take_while(|ch| ch.is_ascii_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if letters.len() == 3 {
        return Some((amount, letters.to_uppercase()));
    }
    c.chars()
        .find_map(|ch| symbol(ch.encode_utf8(&mut [0; 4])))
        .map(|code| (amount, code.to_string()))
}

/// Parses a Revolut statement.
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
        let symbol = row.text(l.symbol).to_uppercase();
        let kind = row.text(l.kind).to_lowercase();
        let at = row.instant(l.date, DateOrder::MonthFirst, l.zone)?;
        let quantity = row.required_number(l.quantity)?;
        let money_of = |i: usize| -> Result<Option<(f64, String)>, Skip<'r>> {
            let cell = row.text(i);
            if cell.is_empty() {
                return Ok(None);
            }
            read_money(cell, ctx.numbers).map(Some).ok_or((
                SkipReason::UnreadableText {
                    column: self.columns.label(i),
                },
                std::borrow::Cow::Borrowed(cell),
            ))
        };
        let value = money_of(l.value)?;
        let fees = money_of(l.fees)?;
        let _ = money_of(l.price)?;
        let this = coin_leg(&symbol, quantity);
        let cash = value.as_ref().and_then(|(v, c)| coin_leg(c, *v));
        let mut internal = false;
        let mut t = match kind.as_str() {
            "buy" | "sell" => {
                let mut t = transaction(at, TxKind::Trade);
                if kind == "buy" {
                    t.received = this;
                    t.given = cash;
                } else {
                    t.received = cash;
                    t.given = this;
                }
                t.fee = fees.as_ref().and_then(|(f, c)| coin_leg(c, *f));
                t
            }
            "send" | "receive" => {
                let send = kind == "send";
                let mut t = transaction(
                    at,
                    if send {
                        TxKind::Withdrawal
                    } else {
                        TxKind::Deposit
                    },
                );
                if send {
                    t.given = this;
                } else {
                    t.received = this;
                }
                t
            }
            "stake" | "unstake" => {
                internal = true;
                let stake = kind == "stake";
                let mut t = transaction(
                    at,
                    if stake {
                        TxKind::TransferOut
                    } else {
                        TxKind::TransferIn
                    },
                );
                if stake {
                    t.given = this;
                } else {
                    t.received = this;
                }
                t
            }
            "staking reward" | "reward" | "learn reward" | "airdrop" => {
                let k = match kind.as_str() {
                    "staking reward" => IncomeKind::Staking,
                    "airdrop" => IncomeKind::Airdrop,
                    _ => IncomeKind::Reward,
                };
                let mut t = transaction(at, TxKind::Income(k));
                t.received = this;
                t
            }
            _ => return Err(row.unknown_type(l.kind)),
        };
        t.value = value.as_ref().and_then(|(v, c)| money(*v, c));
        let account = self
            .ledger
            .account("revolut", || AccountHint::exchange("Revolut"));
        self.ledger.push_imported(ImportedTransaction {
            account,
            wallet: internal.then(|| "staking".to_string()),
            internal,
            counterparty: None,
            transaction: t,
        });
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        if self.layout.zone == Zone::Utc {
            report.note("Revolut writes times in your phone's time zone; they were read as UTC (choose the time zone to change it).");
        }
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
    fn reads_money_with_its_currency() {
        let n = NumberReader::default();
        assert_eq!(
            read_money("89,162.28 SEK", &n),
            Some((89162.28, "SEK".into()))
        );
        assert_eq!(read_money("€35,761.54", &n), Some((35761.54, "EUR".into())));
        assert_eq!(read_money("0.00 SEK", &n), Some((0.0, "SEK".into())));
        assert_eq!(read_money("12", &n), None);
    }
}

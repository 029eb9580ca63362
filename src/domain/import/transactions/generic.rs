//! Any table of transactions, read through a [`TransactionLayout`] the user confirmed (or
//! saved earlier for files with the same header).
//!
//! Each row: the date (in the layout's slash order; times without a zone in
//! [`ImportOptions::time_zone`], UTC when none), the type or side value mapped to a
//! [`RowKind`], the symbol and `|quantity|`, the cash side in the row's currency (the
//! currency column, else the mapping's default): the total column when mapped (less the
//! fee when it includes it), else `quantity × price`; the fee in the fee-currency column's
//! currency, else the row's. One account per value of the location column, else the
//! mapping's default location.
//!
//! [`ImportOptions::time_zone`]: crate::domain::import::ImportOptions::time_zone

use std::borrow::Cow;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{add_fee, coin_class, leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::holding::AssetClass;
use crate::domain::import::balances::is_summary_row;
use crate::domain::import::columns::Columns;
use crate::domain::import::generic::{RowKind, TransactionLayout};
use crate::domain::import::parser::{Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::ledger::{AccountHint, AccountKind, TxKind};
use crate::domain::symbol::parse_listed_symbol;

/// Parses a mapped table of transactions.
pub struct GenericParser {
    layout: TransactionLayout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl GenericParser {
    /// A parser for `layout` over `columns`.
    pub fn new(layout: TransactionLayout, columns: Columns) -> GenericParser {
        GenericParser {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

impl RowParser for GenericParser {
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
        let kind = match l.kind {
            Some(k) => {
                let value = row.text(k).to_lowercase();
                match l.kinds.iter().find(|(v, _)| *v == value) {
                    Some((_, Some(kind))) => *kind,
                    _ => return Err(row.unknown_type(k)),
                }
            }
            None => l.default_kind.ok_or_else(|| row.unknown_type(0))?,
        };
        let at = row.instant(l.date.0, l.date.1, l.zone)?;
        let raw = row.text(l.symbol);
        if raw.is_empty() && kind != RowKind::Fee {
            return Err((SkipReason::MissingSymbol, Cow::Borrowed("")));
        }
        let parsed = parse_listed_symbol(raw);
        let symbol = parsed.symbol.to_string();
        let quantity = row.number(l.quantity)?.unwrap_or(0.0).abs();
        let currency = row
            .opt(l.currency)
            .map(str::to_uppercase)
            .unwrap_or_else(|| l.default_currency.clone());
        let class = l
            .asset_class
            .and_then(|i| AssetClass::parse(row.text(i)))
            .unwrap_or(match l.default_asset_class {
                AssetClass::Crypto => coin_class(&symbol),
                c => c,
            });
        let fee = row.opt_number(l.fee)?.map(f64::abs).unwrap_or(0.0);
        let fee_currency = row
            .opt(l.fee_currency)
            .map(str::to_uppercase)
            .unwrap_or_else(|| currency.clone());
        let price = row.opt_number(l.price)?.map(f64::abs);
        let total = row.opt_number(l.total)?.map(f64::abs);
        let cash_amount = match (total, price) {
            (Some(t), _) if l.total_includes_fee && fee_currency == currency => {
                // A buy's total paid includes the fee; a sell's net proceeds exclude it.
                match kind {
                    RowKind::Sell => Some(t + fee),
                    _ => Some((t - fee).max(0.0)),
                }
            }
            (Some(t), _) => Some(t),
            (None, Some(p)) => Some(p * quantity),
            (None, None) => None,
        };
        let this = leg(&symbol, class, quantity);
        let cash = cash_amount.and_then(|a| leg(&currency, AssetClass::Cash, a));
        let mut t = match kind {
            RowKind::Buy | RowKind::Sell => {
                let mut t = transaction(at, TxKind::Trade);
                if kind == RowKind::Buy {
                    t.received = this;
                    t.given = cash;
                } else {
                    t.given = this;
                    t.received = cash;
                }
                t
            }
            RowKind::Deposit | RowKind::TransferIn => {
                let mut t = transaction(
                    at,
                    if kind == RowKind::Deposit {
                        TxKind::Deposit
                    } else {
                        TxKind::TransferIn
                    },
                );
                t.received = this;
                t
            }
            RowKind::Withdrawal | RowKind::TransferOut | RowKind::Spend => {
                let mut t = transaction(
                    at,
                    match kind {
                        RowKind::Withdrawal => TxKind::Withdrawal,
                        RowKind::TransferOut => TxKind::TransferOut,
                        _ => TxKind::Spend,
                    },
                );
                t.given = this;
                t
            }
            RowKind::Income(k) => {
                let mut t = transaction(at, TxKind::Income(k));
                // Income in the symbol itself, else (a dividend of a share) in cash.
                t.received = if quantity > 0.0 && price.is_none() && total.is_none() {
                    this
                } else {
                    cash.or(this)
                };
                t
            }
            RowKind::Fee => {
                let mut t = transaction(at, TxKind::Fee);
                if fee == 0.0 {
                    t.fee = this;
                }
                t
            }
        };
        if fee > 0.0 {
            let f = leg(&fee_currency, coin_class(&fee_currency), fee);
            let _ = add_fee(&mut t.fee, f);
        }
        if t.received.is_none() && t.given.is_none() && t.fee.is_none() {
            return Err(no_amount(raw));
        }
        if kind != RowKind::Buy && kind != RowKind::Sell {
            t.value = cash_amount.and_then(|a| money(a, &currency));
        } else if let Some(p) = price {
            t.value = money(p * quantity, &currency);
        }
        t.venue = parsed.venue;
        t.external_id = row.opt(l.id).map(str::to_string);
        t.note = row.opt(l.name).map(str::to_string);
        let name = row.opt(l.account).unwrap_or(&l.default_account).to_string();
        let column = l.account.map(|i| self.columns.label(i));
        let kind_of_account = match l.default_asset_class {
            AssetClass::Stock | AssetClass::Etf => AccountKind::Broker,
            AssetClass::Crypto => AccountKind::Exchange,
            AssetClass::Cash => AccountKind::Bank,
            AssetClass::Other => AccountKind::Other,
        };
        let account = self.ledger.account(&name, || AccountHint {
            name: name.clone(),
            kind: kind_of_account,
            currency: None,
            venue: None,
            number: None,
            found_in: match &column {
                Some(c) => format!("column {c}"),
                None => "the mapping's default location".to_string(),
            },
        });
        self.ledger.push_imported(ImportedTransaction {
            account,
            wallet: None,
            internal: false,
            counterparty: None,
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

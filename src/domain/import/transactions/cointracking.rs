//! CoinTracking "Trade List" as transactions: dates, amounts and fees kept, one account per
//! value of the `Exchange` column.
//!
//! Columns: `Type, Buy, Cur., Sell, Cur., Fee, Cur., Exchange, Group, Comment, Date` (the
//! three `Cur.` read by position), `Tx-ID` in newer exports. What comes in is under `Buy`,
//! what goes out under `Sell`, the fee under `Fee`, for every type:
//!
//! | Type | Transaction |
//! |---|---|
//! | Trade | trade: Buy received, Sell given |
//! | Deposit / Withdrawal | deposit of Buy / withdrawal of Sell |
//! | Income, Gift/Tip, Reward/Bonus, Margin Profit, Derivatives / Futures Profit | income (reward) |
//! | Interest Income, Lending Income | income (interest) |
//! | Staking | income (staking) |
//! | Mining, Masternode, Minting | income (mining) |
//! | Airdrop | income (airdrop) |
//! | Spend, Donation, Gift, Lost, Stolen, Margin Loss, Derivatives / Futures Loss, Other Expense | spend of Sell |
//! | Margin Fee, Borrowing Fee, Settlement Fee, Other Fee | fee (Sell, with Fee when both are one currency) |
//!
//! Any other type is skipped and named in the report. Dates are written in the time zone
//! set in the user's CoinTracking account (`DD.MM.YYYY HH:MM:SS` by default, also ISO and
//! US `M/D/YYYY H:MM`, mixed in one file): read in [`ImportOptions::time_zone`], UTC when
//! none is given. Slashed dates are US (month first), as CoinTracking writes them.
//!
//! [`ImportOptions::time_zone`]: crate::domain::import::ImportOptions::time_zone

use std::borrow::Cow;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{add_fee, coin_class, leg, transaction};
use crate::domain::import::columns::Columns;
use crate::domain::import::parser::{Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::text::trim_cell;
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, AccountKind, IncomeKind, Leg, TxKind};
use crate::domain::symbol::cointracking_ticker;

/// Column positions of a Trade List.
#[derive(Debug, Clone)]
pub struct Layout {
    kind: usize,
    buy: (usize, usize),
    sell: (usize, usize),
    fee: Option<(usize, usize)>,
    exchange: Option<usize>,
    comment: Option<usize>,
    date: usize,
    id: Option<usize>,
    zone: Zone,
}

impl Layout {
    /// The layout of a Trade List header with a `Date` column.
    pub fn detect(c: &Columns, zone: Zone) -> Option<Layout> {
        let kind = c.find(&["type"])?;
        let buy = c.find(&["buy"])?;
        let sell = c.find(&["sell"])?;
        let fee = c.find(&["fee"]);
        Some(Layout {
            kind,
            buy: (buy, c.find_after("cur.", buy)?),
            sell: (sell, c.find_after("cur.", sell)?),
            fee: match fee {
                Some(f) => Some((f, c.find_after("cur.", f)?)),
                None => None,
            },
            exchange: c.find(&["exchange"]),
            comment: c.find(&["comment"]),
            date: c.find(&["date"])?,
            id: c.find(&["tx-id", "txid", "tx id"]),
            zone,
        })
    }
}

/// Reads Trade List rows into transactions.
pub struct Parser {
    layout: Layout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl Parser {
    /// A parser for `layout`.
    pub fn new(layout: Layout, columns: Columns) -> Parser {
        Parser {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

/// What a CoinTracking type is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Trade,
    Deposit,
    Withdrawal,
    Income(IncomeKind),
    Spend,
    Fee,
}

/// CoinTracking's types (compared without case).
const KINDS: [(&str, Kind); 27] = [
    ("Trade", Kind::Trade),
    ("Deposit", Kind::Deposit),
    ("Withdrawal", Kind::Withdrawal),
    ("Staking", Kind::Income(IncomeKind::Staking)),
    ("Income", Kind::Income(IncomeKind::Reward)),
    ("Gift/Tip", Kind::Income(IncomeKind::Reward)),
    ("Reward/Bonus", Kind::Income(IncomeKind::Reward)),
    ("Margin Profit", Kind::Income(IncomeKind::Reward)),
    (
        "Derivatives / Futures Profit",
        Kind::Income(IncomeKind::Reward),
    ),
    ("Interest Income", Kind::Income(IncomeKind::Interest)),
    ("Lending Income", Kind::Income(IncomeKind::Interest)),
    ("Mining", Kind::Income(IncomeKind::Mining)),
    ("Masternode", Kind::Income(IncomeKind::Mining)),
    ("Minting", Kind::Income(IncomeKind::Mining)),
    ("Airdrop", Kind::Income(IncomeKind::Airdrop)),
    ("Spend", Kind::Spend),
    ("Donation", Kind::Spend),
    ("Gift", Kind::Spend),
    ("Lost", Kind::Spend),
    ("Stolen", Kind::Spend),
    ("Margin Loss", Kind::Spend),
    ("Derivatives / Futures Loss", Kind::Spend),
    ("Other Expense", Kind::Spend),
    ("Margin Fee", Kind::Fee),
    ("Borrowing Fee", Kind::Fee),
    ("Settlement Fee", Kind::Fee),
    ("Other Fee", Kind::Fee),
];

fn kind_of(t: &str) -> Option<Kind> {
    let t = t.trim();
    KINDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(t))
        .map(|(_, k)| *k)
}

impl RowParser for Parser {
    fn row<'r>(&mut self, rec: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
        let columns = &self.columns;
        let amount = |(a, cur): (usize, usize)| -> Result<Option<Leg>, Skip<'r>> {
            let n = ctx.numbers.read(cell(a)).map_err(|_| {
                (
                    SkipReason::BadNumber {
                        column: columns.label(a),
                    },
                    Cow::Borrowed(cell(a)),
                )
            })?;
            let Some(n) = n.filter(|n| *n != 0.0) else {
                return Ok(None);
            };
            let currency = cell(cur);
            if currency.is_empty() {
                return Err((
                    SkipReason::AmountWithoutCurrency {
                        column: columns.label(a),
                    },
                    Cow::Borrowed(cell(a)),
                ));
            }
            let symbol = cointracking_ticker(currency).symbol;
            Ok(leg(&symbol, coin_class(&symbol), n))
        };
        let kind_cell = cell(l.kind);
        let Some(kind) = kind_of(kind_cell) else {
            return Err((
                SkipReason::UnknownType {
                    column: columns.label(l.kind),
                    value: kind_cell.to_string(),
                },
                Cow::Borrowed(kind_cell),
            ));
        };
        let buy = amount(l.buy)?;
        let sell = amount(l.sell)?;
        let fee = match l.fee {
            Some(f) => amount(f)?,
            None => None,
        };
        if buy.is_none() && sell.is_none() && fee.is_none() {
            return Err((SkipReason::NoAmount, Cow::Borrowed(kind_cell)));
        }
        let date = cell(l.date);
        let at = crate::domain::import::when::read_date_time(date, DateOrder::MonthFirst)
            .map(|w| w.instant(l.zone))
            .map_err(|_| {
                (
                    SkipReason::BadDate {
                        column: columns.label(l.date),
                    },
                    Cow::Borrowed(date),
                )
            })?;
        let (tx_kind, received, given, fee) = match kind {
            Kind::Trade => (TxKind::Trade, buy, sell, fee),
            Kind::Deposit => (TxKind::Deposit, buy, sell, fee),
            Kind::Withdrawal => (TxKind::Withdrawal, buy, sell, fee),
            Kind::Income(k) => (TxKind::Income(k), buy, sell, fee),
            Kind::Spend => (TxKind::Spend, buy, sell, fee),
            Kind::Fee => {
                let mut f = sell;
                match add_fee(&mut f, fee) {
                    // Sell and Fee in one currency: one fee.
                    None => (TxKind::Fee, buy, None, f),
                    // In two currencies: the Sell amount spent, the fee as a fee.
                    Some(other) => (TxKind::Spend, buy, f, Some(other)),
                }
            }
        };
        // A leg on the side the type does not use (a deposit with a Sell amount) still
        // moved the balance: kept, so that balances match CoinTracking's.
        let exchange = l.exchange.map(cell).filter(|s| !s.is_empty());
        let key = exchange.unwrap_or("");
        let exchange_column = l.exchange.map(|i| columns.label(i)).unwrap_or_default();
        let account = self
            .ledger
            .account(key, || account_hint(exchange, &exchange_column));
        let mut t = transaction(at, tx_kind);
        t.received = received;
        t.given = given;
        t.fee = fee;
        t.note = l
            .comment
            .map(cell)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        t.external_id = l.id.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
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
        if self.layout.zone == Zone::Utc {
            report.note("CoinTracking writes dates in the time zone of your CoinTracking account; they were read as UTC (choose the time zone to change it).");
        }
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}

/// The account of an `Exchange` value: wallets for wallet-like names and CoinTracking's
/// on-chain imports, exchanges otherwise; an empty cell is CoinTracking itself.
fn account_hint(exchange: Option<&str>, column: &str) -> AccountHint {
    let Some(name) = exchange else {
        return AccountHint {
            name: "CoinTracking".to_string(),
            kind: AccountKind::Other,
            currency: None,
            venue: None,
            number: None,
            found_in: "no exchange in the row".to_string(),
        };
    };
    let lower = name.to_lowercase();
    let wallet = [
        "wallet",
        "ledger",
        "trezor",
        "metamask",
        "phantom",
        "transaction",
        "exodus",
        "electrum",
        "keplr",
        "yoroi",
        "cold",
        "no exchange",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let manual = lower == "manually" || lower == "no exchange";
    AccountHint {
        name: name.to_string(),
        kind: if manual {
            AccountKind::Other
        } else if wallet {
            AccountKind::Wallet
        } else {
            AccountKind::Exchange
        },
        currency: None,
        venue: (!wallet && !manual).then(|| name.to_string()),
        number: None,
        found_in: format!("column {column}"),
    }
}

//! Coinbase: the retail "Transactions" export and the Coinbase Pro / Advanced account
//! statement. Times are UTC and say so (`2025-01-17 16:57:02 UTC`, `2023-04-20T04:05:40Z`).
//!
//! **Transactions** (2023–2025 variants: with or without `ID`; `Price Currency`/`Price at
//! Transaction` or `Spot Price Currency`/`Spot Price at Transaction`; `Total (inclusive of
//! fees and/or spread)`/`Fees and/or Spread` or the older `Total (inclusive of
//! fees)`/`Fees`; the oldest with the currency in the headers, `EUR Subtotal`), after 2–3
//! preamble lines. Values carry their currency sign (`€3343.11`, `-€597.49846`).
//! - Buy (and Advanced Trade Buy): the asset received, the subtotal paid in the quote
//!   currency, the fee in it; the quote is the one the notes name (`Bought 0.25 BTC for 34234.6
//!   EUR on BTC-EUR`), else the price currency. When the notes name another quote than the
//!   price currency (an Advanced Trade in USDC), the amount the notes give is what was
//!   paid, fee included. Sell: the reverse.
//! - Convert: the asset given, and the asset received read from the notes (`Converted
//!   0.00363125 BTC to 156.145683 XRP`); its value is the total.
//! - Send / Receive: withdrawal / deposit (receipts from Coinbase Earn, Rewards or a
//!   referral are income); the fee column of a send is the network fee's value in the price
//!   currency, not a cash fee, and is not counted.
//! - Deposit / Withdrawal (cash): the quantity is net of the fee.
//! - Staking Income, Rewards Income, Inflation Reward: staking income; Interest payout:
//!   interest; Coinbase Earn, Learning Reward, Subscription Rebate: reward.
//! - Exchange Deposit / Pro Deposit / Prime Deposit: moved to Coinbase Pro (transfer out to
//!   that account); Exchange Withdrawal / Pro Withdrawal: moved back (transfer in).
//! - Vault, Savings, staking transfers: internal.
//! - Donation, Card Spend, Subscription, Admin Debit: spent.
//!
//! **Pro / Advanced statement** (`portfolio,type,time,amount,balance,amount/balance
//! unit,transfer id,trade id,order id`): `match` and `fee` rows grouped by trade id into
//! trades (`conversion` rows likewise), deposits and withdrawals (with their transfer id),
//! rebates as rewards, transfers between portfolios internal.

use std::borrow::Cow;
use std::collections::HashMap;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{add_fee, coin_leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::calendar::Timestamp;
use crate::domain::holding::FnvBuildHasher as Fnv;
use crate::domain::import::columns::{currency_in_header, Columns};
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, Leg, TxKind};
use crate::domain::number::NumberReader;

/// Recognises the two Coinbase exports.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    if let Some(l) = RetailLayout::detect(c) {
        return Some((
            Format::CoinbaseTransactions,
            factory(l, c, |l, c| Box::new(Retail::new(l, c))),
        ));
    }
    if let Some(l) = ProLayout::detect(c) {
        return Some((
            Format::CoinbasePro,
            factory(l, c, |l, c| Box::new(Pro::new(l, c))),
        ));
    }
    None
}

/// Columns of the retail export.
#[derive(Debug, Clone)]
pub struct RetailLayout {
    id: Option<usize>,
    time: usize,
    kind: usize,
    asset: usize,
    quantity: usize,
    /// The price currency column, or the currency the headers name.
    currency: Result<usize, String>,
    subtotal: Option<usize>,
    total: Option<usize>,
    fees: Option<usize>,
    notes: Option<usize>,
}

impl RetailLayout {
    fn detect(c: &Columns) -> Option<RetailLayout> {
        let time = c.find(&["timestamp"])?;
        let kind = c.find(&["transaction type"])?;
        let asset = c.find(&["asset"])?;
        let quantity = c.find(&["quantity transacted"])?;
        let subtotal = c
            .find(&["subtotal"])
            .or_else(|| c.names.iter().position(|n| n.ends_with(" subtotal")));
        let currency = match c.find(&["price currency", "spot price currency"]) {
            Some(i) => Ok(i),
            None => Err(subtotal
                .and_then(|i| currency_in_header(&c.label(i)))
                .map_or_else(|| "USD".to_string(), |c| c.to_string())),
        };
        Some(RetailLayout {
            id: c.find(&["id"]),
            time,
            kind,
            asset,
            quantity,
            currency,
            subtotal,
            total: c.find_prefix(&["total (inclusive of fees"]).or_else(|| {
                c.names
                    .iter()
                    .position(|n| n.contains(" total (inclusive of fees"))
            }),
            fees: c
                .find(&["fees and/or spread", "fees"])
                .or_else(|| c.names.iter().position(|n| n.ends_with(" fees"))),
            notes: c.find(&["notes"]),
        })
    }
}

/// Parses the retail export.
pub struct Retail {
    layout: RetailLayout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl Retail {
    fn new(layout: RetailLayout, columns: Columns) -> Retail {
        Retail {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

/// `Bought 0.00166779 BTC for 70 EUR` / `Sold … for …` → (amount, quote asset).
fn trade_quote<'n>(notes: &'n str, numbers: &NumberReader) -> Option<(f64, &'n str)> {
    let rest = notes.split_once(" for ")?.1.trim_start();
    let mut words = rest.split_whitespace();
    let amount = words.next()?;
    let quote = words.next()?;
    let v = numbers.read(amount).ok()??;
    Some((v, quote.trim_end_matches([',', '.'])))
}

/// `Converted 0.00363125 BTC to 156.145683 XRP` → (156.145683, XRP).
fn converted_to<'n>(notes: &'n str, numbers: &NumberReader) -> Option<(f64, &'n str)> {
    let rest = notes.rsplit_once(" to ")?.1.trim();
    let mut words = rest.split_whitespace();
    let amount = words.next()?;
    let asset = words.next()?;
    let v = numbers.read(amount).ok()??;
    Some((v, asset.trim_end_matches([',', '.'])))
}

enum Retailkind {
    Buy,
    Sell,
    Convert,
    Receive,
    Send,
    CashDeposit,
    CashWithdrawal,
    Income(IncomeKind),
    ToPro,
    FromPro,
    Internal,
    Spend,
}

fn retail_kind(t: &str) -> Option<Retailkind> {
    use Retailkind as R;
    let t = t.trim().to_lowercase();
    Some(match t.as_str() {
        "buy" | "advanced trade buy" | "advance trade buy" | "credit" => R::Buy,
        "sell" | "advanced trade sell" | "advance trade sell" | "retail simple dust" => R::Sell,
        "convert" => R::Convert,
        "receive" => R::Receive,
        "send" => R::Send,
        "deposit" => R::CashDeposit,
        "withdrawal" => R::CashWithdrawal,
        "staking income" | "rewards income" | "reward income" | "inflation reward" => {
            R::Income(IncomeKind::Staking)
        }
        "interest payout" => R::Income(IncomeKind::Interest),
        "coinbase earn"
        | "learning reward"
        | "subscription rebate"
        | "subscription rebates (24 hours)" => R::Income(IncomeKind::Reward),
        "exchange deposit" | "pro deposit" | "prime deposit" => R::ToPro,
        "exchange withdrawal" | "pro withdrawal" => R::FromPro,
        "vault withdrawal"
        | "vault deposit"
        | "cash to savings"
        | "savings to cash"
        | "transfer"
        | "retail staking transfer"
        | "retail unstaking transfer"
        | "staking transfer"
        | "unstaking transfer" => R::Internal,
        "donation" | "admin debit" | "subscription" | "card spend" => R::Spend,
        _ => return None,
    })
}

impl RowParser for Retail {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let Some(kind) = retail_kind(row.text(l.kind)) else {
            return Err(row.unknown_type(l.kind));
        };
        let at = row.instant(l.time, DateOrder::Auto, Zone::Utc)?;
        let asset = row.text(l.asset).to_uppercase();
        let quantity = row.required_number(l.quantity)?.abs();
        let currency = match &l.currency {
            Ok(i) => row.text(*i).to_uppercase(),
            Err(c) => c.clone(),
        };
        let subtotal = row.opt_number(l.subtotal)?.map(f64::abs);
        let total = row.opt_number(l.total)?.map(f64::abs);
        let fees = row.opt_number(l.fees)?.map(f64::abs).unwrap_or(0.0);
        let notes = row.opt(l.notes).unwrap_or("");
        let unreadable = || {
            (
                SkipReason::UnreadableText {
                    column: l.notes.map(|i| self.columns.label(i)).unwrap_or_default(),
                },
                Cow::Borrowed(notes),
            )
        };
        let this = coin_leg(&asset, quantity);
        let mut internal = false;
        let mut counterparty = None;
        let mut t = match kind {
            Retailkind::Buy | Retailkind::Sell => {
                let buy = matches!(kind, Retailkind::Buy);
                let mut t = transaction(at, TxKind::Trade);
                let cash = match trade_quote(notes, ctx.numbers) {
                    Some((amount, quote)) if !quote.eq_ignore_ascii_case(&currency) => {
                        // Quoted in another asset (an Advanced Trade in USDC): what the
                        // notes say was paid or received, fee included.
                        t.value = subtotal.and_then(|s| money(s, &currency));
                        coin_leg(&quote.to_uppercase(), amount)
                    }
                    _ => {
                        t.fee = coin_leg(&currency, fees);
                        t.value = total.and_then(|s| money(s, &currency));
                        coin_leg(&currency, subtotal.or(total).unwrap_or(0.0))
                    }
                };
                if buy {
                    t.received = this;
                    t.given = cash;
                } else {
                    t.received = cash;
                    t.given = this;
                }
                t
            }
            Retailkind::Convert => {
                let (amount, to) = converted_to(notes, ctx.numbers).ok_or_else(unreadable)?;
                let mut t = transaction(at, TxKind::Trade);
                t.given = this;
                t.received = coin_leg(&to.to_uppercase(), amount);
                t.value = total.and_then(|s| money(s, &currency));
                t
            }
            Retailkind::Receive => {
                let lower = notes.to_lowercase();
                let income = ["coinbase earn", "coinbase rewards", "coinbase referral"]
                    .iter()
                    .any(|w| lower.contains(w));
                let mut t = transaction(
                    at,
                    if income {
                        TxKind::Income(IncomeKind::Reward)
                    } else {
                        TxKind::Deposit
                    },
                );
                t.received = this;
                t.value = total.and_then(|s| money(s, &currency));
                t
            }
            Retailkind::Send => {
                let mut t = transaction(at, TxKind::Withdrawal);
                t.given = this;
                t.value = total.and_then(|s| money(s, &currency));
                t
            }
            Retailkind::CashDeposit => {
                let mut t = transaction(at, TxKind::Deposit);
                t.received = coin_leg(&asset, quantity + fees);
                t.fee = coin_leg(&asset, fees);
                t
            }
            Retailkind::CashWithdrawal => {
                let mut t = transaction(at, TxKind::Withdrawal);
                t.given = coin_leg(&asset, (quantity - fees).max(0.0));
                t.fee = coin_leg(&asset, fees);
                t
            }
            Retailkind::Income(k) => {
                let mut t = transaction(at, TxKind::Income(k));
                t.received = this;
                t.value = total.and_then(|s| money(s, &currency));
                t
            }
            Retailkind::ToPro | Retailkind::FromPro => {
                let out = matches!(kind, Retailkind::ToPro);
                let mut t = transaction(
                    at,
                    if out {
                        TxKind::TransferOut
                    } else {
                        TxKind::TransferIn
                    },
                );
                if out {
                    t.given = this;
                } else {
                    t.received = this;
                }
                counterparty = Some("Coinbase Pro".to_string());
                t
            }
            Retailkind::Internal => {
                let signed = row.required_number(l.quantity)?;
                let out = signed < 0.0;
                let mut t = transaction(
                    at,
                    if out {
                        TxKind::TransferOut
                    } else {
                        TxKind::TransferIn
                    },
                );
                if out {
                    t.given = this;
                } else {
                    t.received = this;
                }
                internal = true;
                t
            }
            Retailkind::Spend => {
                let mut t = transaction(at, TxKind::Spend);
                t.given = this;
                t.value = total.and_then(|s| money(s, &currency));
                t
            }
        };
        if t.received.is_none() && t.given.is_none() && t.fee.is_none() {
            return Err(no_amount(row.text(l.kind)));
        }
        t.external_id = row.opt(l.id).map(str::to_string);
        t.note = Some(notes.to_string()).filter(|n| !n.is_empty());
        let account = self
            .ledger
            .account("coinbase", || AccountHint::exchange("Coinbase"));
        self.ledger.push_imported(ImportedTransaction {
            account,
            wallet: None,
            internal,
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

// ---------------------------------------------------------------------------------------
// Pro / Advanced statement

/// Columns of the Pro statement.
#[derive(Debug, Clone)]
pub struct ProLayout {
    portfolio: Option<usize>,
    kind: usize,
    time: usize,
    amount: usize,
    unit: usize,
    transfer: Option<usize>,
    trade: Option<usize>,
}

impl ProLayout {
    fn detect(c: &Columns) -> Option<ProLayout> {
        Some(ProLayout {
            portfolio: c.find(&["portfolio"]),
            kind: c.find(&["type"])?,
            time: c.find(&["time", "timestamp"])?,
            amount: c.find(&["amount"])?,
            unit: c.find(&["amount/balance unit"])?,
            transfer: c.find(&["transfer id"]),
            trade: c.find(&["trade id"]),
        })
    }
}

struct ProRow {
    at: Timestamp,
    key: String,
    portfolio: Option<String>,
    asset: String,
    amount: f64,
    fee: bool,
}

/// Parses the Pro statement.
pub struct Pro {
    layout: ProLayout,
    columns: Columns,
    ledger: LedgerBuilder,
    trades: Vec<ProRow>,
}

impl Pro {
    fn new(layout: ProLayout, columns: Columns) -> Pro {
        Pro {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
            trades: Vec::new(),
        }
    }
}

fn coinbase_pro(ledger: &mut LedgerBuilder) -> u32 {
    ledger.account("coinbase pro", || {
        let mut hint = AccountHint::exchange("Coinbase Pro");
        hint.venue = Some("Coinbase".to_string());
        hint
    })
}

impl RowParser for Pro {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let kind = row.text(l.kind).to_lowercase();
        let at = row.instant(l.time, DateOrder::Auto, Zone::Utc)?;
        let amount = row.required_number(l.amount)?;
        let asset = row.text(l.unit).to_uppercase();
        if asset.is_empty() || amount == 0.0 {
            return Err(no_amount(row.text(l.kind)));
        }
        let portfolio = row.opt(l.portfolio).map(str::to_string);
        let this = coin_leg(&asset, amount);
        let account = coinbase_pro(&mut self.ledger);
        let single = |kind: TxKind, internal: bool| {
            let mut t = transaction(at, kind);
            if amount > 0.0 {
                t.received = this.clone();
            } else {
                t.given = this.clone();
            }
            ImportedTransaction {
                account,
                wallet: portfolio.clone(),
                internal,
                counterparty: None,
                transaction: t,
            }
        };
        match kind.as_str() {
            "match" | "fee" | "conversion" => {
                let key = match row.opt(l.trade) {
                    Some(id) => id.to_string(),
                    None => format!("{}:{kind}", at.millis()),
                };
                self.trades.push(ProRow {
                    at,
                    key,
                    portfolio,
                    asset,
                    amount,
                    fee: kind == "fee",
                });
            }
            "deposit" | "withdrawal" => {
                let mut t = single(
                    if amount > 0.0 {
                        TxKind::Deposit
                    } else {
                        TxKind::Withdrawal
                    },
                    false,
                );
                t.transaction.external_id = row.opt(l.transfer).map(str::to_string);
                self.ledger.push_imported(t);
            }
            "rebate" => {
                let t = single(
                    if amount > 0.0 {
                        TxKind::Income(IncomeKind::Reward)
                    } else {
                        TxKind::Spend
                    },
                    false,
                );
                self.ledger.push_imported(t);
            }
            "transfer" => {
                let t = single(
                    if amount > 0.0 {
                        TxKind::TransferIn
                    } else {
                        TxKind::TransferOut
                    },
                    true,
                );
                self.ledger.push_imported(t);
            }
            _ => return Err(row.unknown_type(l.kind)),
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<&ProRow>, Fnv> = HashMap::default();
        for r in &self.trades {
            groups
                .entry(r.key.as_str())
                .or_insert_with(|| {
                    order.push(r.key.as_str());
                    Vec::new()
                })
                .push(r);
        }
        let mut one_sided = 0;
        let mut made = Vec::new();
        if !order.is_empty() {
            let account = coinbase_pro(&mut self.ledger);
            for key in order {
                let rows = &groups[key];
                let leg_of = |keep: &dyn Fn(&ProRow) -> bool| -> Option<Leg> {
                    let mut out: Option<Leg> = None;
                    for r in rows.iter().filter(|r| keep(r)) {
                        if add_fee(&mut out, coin_leg(&r.asset, r.amount)).is_some() {
                            return None;
                        }
                    }
                    out
                };
                let mut t = transaction(rows[0].at, TxKind::Trade);
                t.received = leg_of(&|r| !r.fee && r.amount > 0.0);
                t.given = leg_of(&|r| !r.fee && r.amount < 0.0);
                t.fee = leg_of(&|r| r.fee);
                if t.received.is_none() || t.given.is_none() {
                    one_sided += 1;
                }
                if !key.contains(':') {
                    t.external_id = Some(key.to_string());
                }
                made.push(ImportedTransaction {
                    account,
                    wallet: rows[0].portfolio.clone(),
                    internal: false,
                    counterparty: None,
                    transaction: t,
                });
            }
        }
        for t in made {
            self.ledger.push_imported(t);
        }
        if one_sided > 0 {
            report.note(format!("{one_sided} trade(s) have one side only in the statement: kept with the side it has."));
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
    fn reads_quotes_and_conversions_from_the_notes() {
        let n = NumberReader::default();
        assert_eq!(
            trade_quote("Bought 0.00166779 BTC for 70 EUR", &n),
            Some((70.0, "EUR"))
        );
        assert_eq!(
            trade_quote("Bought 0.25453454 BTC for 34234.6 EUR on BTC-EUR", &n),
            Some((34234.6, "EUR"))
        );
        assert_eq!(
            trade_quote("Bought 0.00213232 ETH for €4.85 EUR", &n),
            Some((4.85, "EUR"))
        );
        assert_eq!(
            converted_to("Converted 0.00363125 BTC to 156.145683 XRP", &n),
            Some((156.145683, "XRP"))
        );
        assert_eq!(
            converted_to("Converted 1,000 USDC to 0.5 ETH", &n),
            Some((0.5, "ETH"))
        );
        assert_eq!(converted_to("Sent 1 BTC", &n), None);
    }
}

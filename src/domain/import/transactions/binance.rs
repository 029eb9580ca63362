//! Binance: the "Transaction History" statement, the spot trade history and the "Buy
//! Crypto" (card purchase) history. All times are UTC (the headers say so: `UTC_Time`,
//! `Date(UTC)`).
//!
//! **Statement** (`User_ID,UTC_Time,Account,Operation,Coin,Change,Remark`, `User_ID`
//! optional, fully quoted or not): one row per balance change, signed. A trade is several
//! rows at the same second in one wallet — `Buy`/`Sell`/`Fee`, `Transaction
//! Buy/Spend/Fee/Sold/Revenue`, `Transaction Related` — grouped into one trade: positive
//! changes received, negative given, `Fee` rows the fee. Conversions (`Binance Convert`,
//! `Large OTC trading`, `Small assets exchange BNB`, `ETH 2.0 Staking`…) are grouped the
//! same way, each operation by itself; a conversion of several coins into one (dust to
//! BNB) becomes one trade per coin given, the coin received split evenly between them (the
//! statement does not say how it was split; the report says so). Moves between the
//! account's wallets (Spot, Funding, Earn, futures, margin; savings and Simple Earn
//! subscriptions and redemptions; Launchpool) are internal. Deposits, withdrawals, interest,
//! staking rewards, airdrops, distributions, referral rewards, futures profit and loss and
//! funding fees keep their sign's direction. Any other operation is skipped and named.
//!
//! **Spot trade history**: `Date(UTC),Pair,Side,Price,Executed,Amount,Fee` with the unit
//! written after each value (`0.1800000000SOL`, `19.8054BUSD`), or the older
//! `Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin` with plain numbers (the market
//! split by its quote asset).
//!
//! **Buy Crypto**: `Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID`;
//! `Amount` is what was paid including `Fees`; only `Completed` rows count.

use std::collections::HashMap;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{add_fee, coin_leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::calendar::Timestamp;
use crate::domain::holding::FnvBuildHasher as Fnv;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, Leg, TxKind};

/// Recognises the three Binance exports.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    if let Some(l) = StatementLayout::detect(c) {
        return Some((
            Format::BinanceStatement,
            factory(l, c, |l, c| Box::new(Statement::new(l, c))),
        ));
    }
    if let Some(l) = TradesLayout::detect(c) {
        return Some((
            Format::BinanceTrades,
            factory(l, c, |l, c| Box::new(Trades::new(l, c))),
        ));
    }
    if let Some(l) = BuyCryptoLayout::detect(c) {
        return Some((
            Format::BinanceBuyCrypto,
            factory(l, c, |l, c| Box::new(BuyCrypto::new(l, c))),
        ));
    }
    None
}

fn binance(ledger: &mut LedgerBuilder, number: Option<&str>) -> u32 {
    ledger.account("binance", || {
        let mut hint = AccountHint::exchange("Binance");
        hint.number = number.map(str::to_string);
        hint
    })
}

// ---------------------------------------------------------------------------------------
// Statement

/// Columns of the statement.
#[derive(Debug, Clone)]
pub struct StatementLayout {
    user: Option<usize>,
    time: usize,
    account: usize,
    operation: usize,
    coin: usize,
    change: usize,
    remark: Option<usize>,
}

impl StatementLayout {
    fn detect(c: &Columns) -> Option<StatementLayout> {
        Some(StatementLayout {
            user: c.find(&["user_id", "user id"]),
            time: c.find(&["utc_time", "utc time"])?,
            account: c.find(&["account"])?,
            operation: c.find(&["operation"])?,
            coin: c.find(&["coin"])?,
            change: c.find(&["change"])?,
            remark: c.find(&["remark"]),
        })
    }
}

/// What an operation is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    /// Part of a trade or conversion grouped by the second (the family groups them).
    Group(&'static str),
    /// One row, its kind by its sign: (when positive, when negative).
    Single(TxKind, TxKind),
    /// A move between two wallets of the account.
    Internal,
}

fn operation(op: &str, wallet: &str) -> Option<Op> {
    use IncomeKind as I;
    use TxKind as K;
    let op = op.trim().to_lowercase();
    let futures = wallet.to_lowercase().contains("futures");
    let income = |k: I| Op::Single(K::Income(k), K::Spend);
    Some(match op.as_str() {
        "fee" if futures => Op::Single(K::Income(I::Reward), K::Fee),
        "buy"
        | "sell"
        | "fee"
        | "transaction related"
        | "transaction buy"
        | "transaction spend"
        | "transaction fee"
        | "transaction sold"
        | "transaction revenue" => Op::Group("trade"),
        "binance convert" | "large otc trading" | "buy crypto with card" => Op::Group("convert"),
        "small assets exchange bnb" | "bnb fee deduction" => Op::Group("dust"),
        "eth 2.0 staking" => Op::Group("eth 2.0 staking"),
        "leverage token redemption" => Op::Group("leverage token redemption"),
        "stablecoins auto-conversion" => Op::Group("stablecoins auto-conversion"),
        "liquid swap sell" | "swap farming transaction" => Op::Group("liquid swap"),
        "asset conversion transfer" | "futures convert" => Op::Group("futures convert"),
        "auto-invest transaction" => Op::Group("auto-invest"),
        "deposit" | "fiat deposit" | "crypto deposit" | "fiat ocbs - add fiat and fees" => {
            Op::Single(K::Deposit, K::Withdrawal)
        }
        "withdraw" | "withdrawal" | "fiat withdraw" | "fiat withdrawal" | "send"
        | "crypto withdrawal" => Op::Single(K::Deposit, K::Withdrawal),
        "savings interest"
        | "simple earn flexible interest"
        | "pool distribution"
        | "savings distribution"
        | "launchpool interest"
        | "cross margin interest"
        | "isolated margin interest" => income(I::Interest),
        "pos savings interest"
        | "staking rewards"
        | "staking reward"
        | "eth 2.0 staking rewards"
        | "liquid swap rewards"
        | "simple earn locked rewards"
        | "dot slot auction rewards"
        | "launchpool earnings withdrawal"
        | "bnb vault rewards"
        | "swap farming rewards" => income(I::Staking),
        "airdrop assets"
        | "simple earn flexible airdrop"
        | "launchpool airdrop"
        | "hodler airdrops distribution"
        | "megadrop rewards"
        | "distribution"
        | "token swap - distribution"
        | "token swap - redenomination/rebranding"
        | "launchpool airdrop - user claim distribution"
        | "launchpool airdrop - system distribution"
        | "asset - transfer" => income(I::Airdrop),
        "super bnb mining" | "mining rewards" => income(I::Mining),
        "commission history"
        | "referrer rebates"
        | "referee rebates"
        | "commission rebate"
        | "commission fee shared with you"
        | "referral kickback"
        | "referral commission"
        | "cash voucher distribution"
        | "campaign related reward"
        | "mission reward distribution"
        | "binance card cashback"
        | "card cashback"
        | "crypto box"
        | "binance card spending"
        | "realized profit and loss"
        | "realize profit and loss"
        | "insurance fund refund" => income(I::Reward),
        "funding fee" | "insurance fund compensation" => Op::Single(K::Income(I::Reward), K::Fee),
        "asset recovery" | "leveraged coin consolidation" => Op::Single(K::Deposit, K::Spend),
        "margin loan" | "isolated margin loan" => Op::Single(K::Deposit, K::Withdrawal),
        "margin repayment"
        | "isolated margin repayment"
        | "cross margin liquidation - repayment" => Op::Single(K::Deposit, K::Withdrawal),
        "transfer_in"
        | "transfer_out"
        | "savings purchase"
        | "savings principal redemption"
        | "pos savings purchase"
        | "pos savings redemption"
        | "staking purchase"
        | "staking redemption"
        | "simple earn locked subscription"
        | "simple earn locked redemption"
        | "simple earn flexible subscription"
        | "simple earn flexible redemption"
        | "launchpool subscription/redemption"
        | "launchpad subscribe"
        | "main and funding account transfer"
        | "funding account transfer"
        | "transfer funds to spot"
        | "transfer funds to funding wallet"
        | "isolated margin transfer"
        | "cross margin transfer" => Op::Internal,
        o if o.starts_with("transfer between") => Op::Internal,
        _ => return None,
    })
}

/// One row of a grouped trade, kept until the file is read.
struct GroupRow {
    at: Timestamp,
    wallet: String,
    family: &'static str,
    coin: String,
    change: f64,
    fee: bool,
}

/// Parses the statement.
pub struct Statement {
    layout: StatementLayout,
    columns: Columns,
    ledger: LedgerBuilder,
    groups: Vec<GroupRow>,
}

impl Statement {
    fn new(layout: StatementLayout, columns: Columns) -> Statement {
        Statement {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
            groups: Vec::new(),
        }
    }
}

impl RowParser for Statement {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let at = row.instant(l.time, DateOrder::Auto, Zone::Utc)?;
        let wallet = row.text(l.account);
        let op = row.text(l.operation);
        let coin = row.text(l.coin).to_uppercase();
        let change = row.number(l.change)?.filter(|c| *c != 0.0);
        let (Some(change), false) = (change, coin.is_empty()) else {
            return Err(no_amount(op));
        };
        let Some(kind) = operation(op, wallet) else {
            return Err(row.unknown_type(l.operation));
        };
        let account = binance(&mut self.ledger, row.opt(l.user));
        let note = row.opt(l.remark).map(str::to_string);
        match kind {
            Op::Group(family) => {
                let lower = op.to_lowercase();
                self.groups.push(GroupRow {
                    at,
                    wallet: wallet.to_string(),
                    family,
                    coin,
                    change,
                    fee: lower == "fee" || lower == "transaction fee",
                });
            }
            Op::Single(plus, minus) => {
                let kind = if change > 0.0 { plus } else { minus };
                let mut t = transaction(at, kind);
                let l = coin_leg(&coin, change);
                match kind {
                    TxKind::Fee => t.fee = l,
                    _ if change > 0.0 => t.received = l,
                    _ => t.given = l,
                }
                t.note = note.or_else(|| Some(op.to_string()));
                self.ledger.push_imported(ImportedTransaction {
                    account,
                    wallet: Some(wallet.to_string()),
                    internal: false,
                    counterparty: None,
                    transaction: t,
                });
            }
            Op::Internal => {
                let kind = if change > 0.0 {
                    TxKind::TransferIn
                } else {
                    TxKind::TransferOut
                };
                let mut t = transaction(at, kind);
                let l = coin_leg(&coin, change);
                if change > 0.0 {
                    t.received = l;
                } else {
                    t.given = l;
                }
                t.note = Some(op.to_string());
                self.ledger.push_imported(ImportedTransaction {
                    account,
                    wallet: Some(wallet.to_string()),
                    internal: true,
                    counterparty: None,
                    transaction: t,
                });
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        // Group by (second, wallet, family), in first-seen order.
        let mut order: Vec<(Timestamp, &str, &str)> = Vec::new();
        let mut members: HashMap<(Timestamp, &str, &str), Vec<&GroupRow>, Fnv> = HashMap::default();
        for g in &self.groups {
            let key = (g.at, g.wallet.as_str(), g.family);
            members
                .entry(key)
                .or_insert_with(|| {
                    order.push(key);
                    Vec::new()
                })
                .push(g);
        }
        let (mut one_sided, mut split) = (0, 0);
        let mut made = Vec::new();
        // Every group row made the account when it was read.
        let account = 0;
        for key in order {
            let rows = &members[&key];
            let trades = group_trades(rows, &mut one_sided, &mut split);
            for t in trades {
                made.push(ImportedTransaction {
                    account,
                    wallet: Some(key.1.to_string()),
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
            report.note(format!("{one_sided} trade(s) have rows on one side only (the export cut them at its start or end?): kept with the side the file has."));
        }
        if split > 0 {
            report.note(format!("{split} conversion(s) of several coins into one (such as small balances into BNB): one trade per coin given, the coin received split evenly between them, as the statement does not say how it was split."));
        }
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}

/// Sums per asset, in first-seen order.
fn sums(rows: &[&GroupRow], keep: impl Fn(&GroupRow) -> bool) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for r in rows.iter().filter(|r| keep(r)) {
        match out.iter_mut().find(|(a, _)| *a == r.coin) {
            Some((_, q)) => *q += r.change.abs(),
            None => out.push((r.coin.clone(), r.change.abs())),
        }
    }
    out
}

/// The trades of one group of rows (see the module docs).
fn group_trades(
    rows: &[&GroupRow],
    one_sided: &mut usize,
    split: &mut usize,
) -> Vec<crate::domain::ledger::Transaction> {
    let at = rows[0].at;
    let received = sums(rows, |r| !r.fee && r.change > 0.0);
    let given = sums(rows, |r| !r.fee && r.change < 0.0);
    let fees = sums(rows, |r| r.fee && r.change < 0.0);
    let refunds = sums(rows, |r| r.fee && r.change > 0.0);
    let mut out = Vec::new();
    let legs = |v: &[(String, f64)]| -> Vec<Option<Leg>> {
        v.iter().map(|(a, q)| coin_leg(a, *q)).collect()
    };
    let (r, g) = (legs(&received), legs(&given));
    let mut pairs: Vec<(Option<Leg>, Option<Leg>)> = Vec::new();
    match (r.len(), g.len()) {
        (0..=1, 0..=1) => {
            if r.is_empty() != g.is_empty() {
                *one_sided += 1;
            }
            if !(r.is_empty() && g.is_empty()) {
                pairs.push((
                    r.into_iter().flatten().next(),
                    g.into_iter().flatten().next(),
                ));
            }
        }
        (1, n) => {
            *split += 1;
            for gi in g {
                let share = received[0].1 / n as f64;
                pairs.push((coin_leg(&received[0].0, share), gi));
            }
        }
        (n, 1) => {
            *split += 1;
            for ri in r {
                let share = given[0].1 / n as f64;
                pairs.push((ri, coin_leg(&given[0].0, share)));
            }
        }
        _ => {
            *split += 1;
            let n = r.len().max(g.len());
            let (mut r, mut g) = (r.into_iter(), g.into_iter());
            for _ in 0..n {
                pairs.push((r.next().flatten(), g.next().flatten()));
            }
        }
    }
    let mut fee_legs = legs(&fees).into_iter().flatten();
    for (i, (received, given)) in pairs.into_iter().enumerate() {
        let mut t = transaction(at, TxKind::Trade);
        t.received = received;
        t.given = given;
        if i == 0 {
            let mut fee = fee_legs.next();
            for extra in fee_legs.by_ref() {
                if let Some(other) = add_fee(&mut fee, Some(extra)) {
                    let mut f = transaction(at, TxKind::Fee);
                    f.fee = Some(other);
                    out.push(f);
                }
            }
            t.fee = fee;
        }
        out.push(t);
    }
    if out.is_empty() {
        // Only fees.
        for f in legs(&fees).into_iter().flatten() {
            let mut t = transaction(at, TxKind::Fee);
            t.fee = Some(f);
            out.push(t);
        }
    }
    for (a, q) in refunds {
        let mut t = transaction(at, TxKind::Income(IncomeKind::Reward));
        t.received = coin_leg(&a, q);
        t.note = Some("fee refund".to_string());
        out.push(t);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Spot trade history

/// Columns of the spot trade history.
#[derive(Debug, Clone)]
pub struct TradesLayout {
    date: usize,
    pair: usize,
    side: usize,
    /// New export: `Executed`, `Amount`, `Fee`, each with its unit.
    executed: Option<usize>,
    amount: usize,
    /// Old export: `Total` and `Fee Coin`.
    total: Option<usize>,
    fee: usize,
    fee_coin: Option<usize>,
}

impl TradesLayout {
    fn detect(c: &Columns) -> Option<TradesLayout> {
        let date = c.find(&["date(utc)", "date (utc)", "date(utc+0)"])?;
        if let (Some(pair), Some(side), Some(executed)) =
            (c.find(&["pair"]), c.find(&["side"]), c.find(&["executed"]))
        {
            return Some(TradesLayout {
                date,
                pair,
                side,
                executed: Some(executed),
                amount: c.find(&["amount"])?,
                total: None,
                fee: c.find(&["fee"])?,
                fee_coin: None,
            });
        }
        Some(TradesLayout {
            date,
            pair: c.find(&["market"])?,
            side: c.find(&["type"])?,
            executed: None,
            amount: c.find(&["amount"])?,
            total: Some(c.find(&["total"])?),
            fee: c.find(&["fee"])?,
            fee_coin: Some(c.find(&["fee coin"])?),
        })
    }
}

/// Quote assets a Binance market ends with, longest first.
const QUOTES: [&str; 46] = [
    "FDUSD", "RLUSD", "BIDR", "BKRW", "BUSD", "BVND", "EURI", "GYEN", "IDRT", "TUSD", "USDC",
    "USDP", "USDS", "USDT", "AEUR", "USD1", "AED", "ARS", "AUD", "BNB", "BRL", "BTC", "COP", "CZK",
    "DAI", "DOT", "ETH", "EUR", "GBP", "IDR", "JPY", "KZT", "MXN", "NGN", "PAX", "PLN", "RON",
    "RUB", "SOL", "TRY", "UAH", "UST", "USD", "XRP", "ZAR", "TRX",
];

/// `BNBBTC` → (`BNB`, `BTC`); `SOL/BUSD` and `SOL-BUSD` are split at the mark.
pub fn split_market(market: &str) -> Option<(&str, &str)> {
    let m = market.trim();
    if let Some((b, q)) = m.split_once(['/', '-', '_']) {
        return (!b.is_empty() && !q.is_empty()).then_some((b, q));
    }
    let quote = QUOTES
        .iter()
        .filter(|q| m.len() > q.len() && m.ends_with(*q))
        .max_by_key(|q| q.len())?;
    Some((&m[..m.len() - quote.len()], quote))
}

/// A value with its unit written after it: `0.1800000000SOL`, `500.00 CAD`, `1,234.5USDT`.
/// The unit is one of `units` when the cell ends with one (so that `0.181INCH` is 0.18 of
/// `1INCH`), else the trailing letters.
fn split_unit<'c>(
    cell: &'c str,
    units: &[&'c str],
    numbers: &crate::domain::number::NumberReader,
) -> Option<(f64, &'c str)> {
    let c = cell.trim();
    let try_unit = |unit: &'c str| -> Option<(f64, &'c str)> {
        let n = c.strip_suffix(unit)?.trim();
        let v = numbers.read(n).ok()??;
        Some((v, unit))
    };
    let mut sorted: Vec<&str> = units.to_vec();
    sorted.sort_by_key(|u| std::cmp::Reverse(u.len()));
    if let Some(found) = sorted
        .into_iter()
        .filter(|u| !u.is_empty())
        .find_map(try_unit)
    {
        return Some(found);
    }
    let letters = c
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'/')
        .count();
    if letters == 0 {
        return None;
    }
    try_unit(&c[c.len() - letters..])
}

/// Parses the spot trade history.
pub struct Trades {
    layout: TradesLayout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl Trades {
    fn new(layout: TradesLayout, columns: Columns) -> Trades {
        Trades {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

impl RowParser for Trades {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let at = row.instant(l.date, DateOrder::Auto, Zone::Utc)?;
        let pair = row.text(l.pair);
        let (base, quote) = split_market(pair).ok_or_else(|| {
            (
                SkipReason::UnreadableText {
                    column: self.columns.label(l.pair),
                },
                std::borrow::Cow::Borrowed(pair),
            )
        })?;
        let side = row.text(l.side).to_ascii_lowercase();
        let buy = match side.as_str() {
            "buy" => true,
            "sell" => false,
            _ => return Err(row.unknown_type(l.side)),
        };
        let unreadable = |i: usize| {
            (
                SkipReason::UnreadableText {
                    column: self.columns.label(i),
                },
                std::borrow::Cow::Borrowed(row.text(i)),
            )
        };
        let (base_leg, quote_leg, fee) = match l.executed {
            Some(ex) => {
                let (q, a) = split_unit(row.text(ex), &[base, quote], ctx.numbers)
                    .ok_or_else(|| unreadable(ex))?;
                let (t, b) = split_unit(row.text(l.amount), &[quote, base], ctx.numbers)
                    .ok_or_else(|| unreadable(l.amount))?;
                let fee = match row.text(l.fee) {
                    "" => None,
                    cell => {
                        let (f, fa) = split_unit(cell, &[base, quote, "BNB"], ctx.numbers)
                            .ok_or_else(|| unreadable(l.fee))?;
                        coin_leg(&fa.to_uppercase(), f)
                    }
                };
                (
                    coin_leg(&a.to_uppercase(), q),
                    coin_leg(&b.to_uppercase(), t),
                    fee,
                )
            }
            None => {
                let amount = row.required_number(l.amount)?;
                let total = row.required_number(l.total.unwrap_or(l.amount))?;
                let fee = row.number(l.fee)?.unwrap_or(0.0);
                let fee_coin = l.fee_coin.map(|i| row.text(i)).unwrap_or("");
                (
                    coin_leg(&base.to_uppercase(), amount),
                    coin_leg(&quote.to_uppercase(), total),
                    coin_leg(&fee_coin.to_uppercase(), fee).filter(|_| !fee_coin.is_empty()),
                )
            }
        };
        let mut t = transaction(at, TxKind::Trade);
        if buy {
            t.received = base_leg;
            t.given = quote_leg;
        } else {
            t.received = quote_leg;
            t.given = base_leg;
        }
        t.fee = fee;
        let account = binance(&mut self.ledger, None);
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

// ---------------------------------------------------------------------------------------
// Buy Crypto

/// Columns of the Buy Crypto history.
#[derive(Debug, Clone)]
pub struct BuyCryptoLayout {
    date: usize,
    method: Option<usize>,
    amount: usize,
    fees: usize,
    final_amount: usize,
    status: usize,
    id: Option<usize>,
}

impl BuyCryptoLayout {
    fn detect(c: &Columns) -> Option<BuyCryptoLayout> {
        Some(BuyCryptoLayout {
            date: c.find(&["date(utc)", "date (utc)"])?,
            method: c.find(&["method"]),
            amount: c.find(&["amount"])?,
            fees: c.find(&["fees"])?,
            final_amount: c.find(&["final amount"])?,
            status: c.find(&["status"])?,
            id: c.find(&["transaction id"]),
        })
    }
}

/// Parses the Buy Crypto history.
pub struct BuyCrypto {
    layout: BuyCryptoLayout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl BuyCrypto {
    fn new(layout: BuyCryptoLayout, columns: Columns) -> BuyCrypto {
        BuyCrypto {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

impl RowParser for BuyCrypto {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let status = row.text(l.status);
        if !status.eq_ignore_ascii_case("completed") && !status.eq_ignore_ascii_case("successful") {
            return Err((
                SkipReason::NotCompleted {
                    status: status.to_string(),
                },
                std::borrow::Cow::Borrowed(status),
            ));
        }
        let at = row.instant(l.date, DateOrder::Auto, Zone::Utc)?;
        let unreadable = |i: usize| {
            (
                SkipReason::UnreadableText {
                    column: self.columns.label(i),
                },
                std::borrow::Cow::Borrowed(row.text(i)),
            )
        };
        let (paid, fiat) =
            split_unit(row.text(l.amount), &[], ctx.numbers).ok_or_else(|| unreadable(l.amount))?;
        let (fee, fee_unit) = match row.text(l.fees) {
            "" => (0.0, fiat),
            c => split_unit(c, &[fiat], ctx.numbers).ok_or_else(|| unreadable(l.fees))?,
        };
        let (got, coin) = split_unit(row.text(l.final_amount), &[], ctx.numbers)
            .ok_or_else(|| unreadable(l.final_amount))?;
        let mut t = transaction(at, TxKind::Trade);
        t.received = coin_leg(&coin.to_uppercase(), got);
        let fee_leg = coin_leg(&fee_unit.to_uppercase(), fee);
        t.given = if fee_unit == fiat {
            coin_leg(&fiat.to_uppercase(), paid.abs() - fee.abs())
        } else {
            coin_leg(&fiat.to_uppercase(), paid)
        };
        t.fee = fee_leg;
        t.value = money(paid, fiat);
        t.external_id = row.opt(l.id).map(str::to_string);
        t.note = row.opt(l.method).map(str::to_string);
        let account = binance(&mut self.ledger, None);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::number::NumberReader;

    #[test]
    fn splits_markets_and_units() {
        assert_eq!(split_market("BNBBTC"), Some(("BNB", "BTC")));
        assert_eq!(split_market("ETHUSDT"), Some(("ETH", "USDT")));
        assert_eq!(split_market("SOL/BUSD"), Some(("SOL", "BUSD")));
        assert_eq!(split_market("USDT"), None);
        let n = NumberReader::default();
        assert_eq!(
            split_unit("0.1800000000SOL", &["SOL", "BUSD"], &n),
            Some((0.18, "SOL"))
        );
        assert_eq!(
            split_unit("0.181INCH", &["1INCH", "USDT"], &n),
            Some((0.18, "1INCH"))
        );
        assert_eq!(split_unit("500.00 CAD", &[], &n), Some((500.0, "CAD")));
        assert_eq!(split_unit("1,234.5USDT", &[], &n), Some((1234.5, "USDT")));
        assert_eq!(
            split_unit("1.30771315 USDT/CAD", &[], &n),
            Some((1.30771315, "USDT/CAD"))
        );
        assert_eq!(split_unit("12", &[], &n), None);
    }
}

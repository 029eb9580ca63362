//! Kraken: ledgers and trades. Times are UTC (`2024-11-02 08:39:43.3077`).
//!
//! **Ledgers** (`txid,refid,time,type,subtype,aclass[,subclass],asset[,wallet],amount,fee,
//! balance[,amountusd]`): every row changes `asset` by `amount − fee`. Rows without a
//! `txid` are pending or failed and skipped. Assets are written in Kraken's old codes
//! (`XXBT`, `XETH`, `ZEUR`, `XXDG`) or new ones (`BTC`, `GBP`, `USDT`), staked forms with a
//! suffix (`DOT.S`, `ETH2.S`, `ADA28.S`, `XBT.M`, `USDT.F`, `DOT.P`, `SOL.B`): all read as
//! the coin (`BTC`, `ETH`, `DOGE`, `DOT`, `ETH2`, `ADA`), the suffix naming the wallet when
//! there is no `wallet` column (`staking`, `opt-in rewards`, `earn / flexible`, `parachain`,
//! `earn / bonded`).
//! - `trade`, `spend`/`receive`, `settled`, `sale`, `conversion`: the rows of one `refid`
//!   grouped into a trade (positive received, negative given, their fees the fee); the
//!   trade's id is the refid, which is the trades export's `txid`.
//! - `deposit`/`withdrawal` (by sign), `staking` and `earn`/`reward` (staking income),
//!   `dividend`, `invite bonus` and `credit` (reward), `adjustment`, `transfer` with no or an
//!   `airdrop` subtype (airdrop, or spent when negative), `margin` (profit as reward, loss
//!   spent), `rollover` (fee).
//! - `transfer` with `spottostaking`, `stakingfromspot`, `stakingtospot`,
//!   `spotfromstaking`, `spottofutures`, `spotfromfutures`, and `earn` with `allocation`,
//!   `deallocation`, `autoallocation`, `migration` (or no subtype and no fee): internal.
//!
//! **Trades** (`txid,ordertxid,pair,[aclass,subclass,]time,type,ordertype,price,cost,fee,
//! vol,margin,misc,ledgers,…`): buy receives `vol` of the base and pays `cost` of the quote,
//! sell the reverse, the fee in the quote. (Kraken may have taken the fee in the base
//! asset instead — the ledgers say so; the trades export gives its value in the quote.)

use std::collections::HashMap;

use super::imported::{ImportedTransaction, LedgerBuilder};
use super::parts::{add_fee, coin_leg, transaction};
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

/// Recognises the Kraken exports.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    if let Some(l) = LedgerLayout::detect(c) {
        return Some((
            Format::KrakenLedgers,
            factory(l, c, |l, c| Box::new(Ledgers::new(l, c))),
        ));
    }
    if let Some(l) = TradesLayout::detect(c) {
        return Some((
            Format::KrakenTrades,
            factory(l, c, |l, c| Box::new(Trades::new(l, c))),
        ));
    }
    None
}

fn kraken(ledger: &mut LedgerBuilder) -> u32 {
    ledger.account("kraken", || AccountHint::exchange("Kraken"))
}

/// Kraken's asset code as the coin it is, and the wallet its suffix names:
/// `XXBT` → BTC, `ZEUR` → EUR, `DOT.S` → (DOT, staking), `ADA28.S` → ADA.
pub fn normalise_asset(code: &str) -> (String, Option<&'static str>) {
    let code = code.trim().to_uppercase();
    let (base, wallet) = match code.split_once('.') {
        Some((b, suffix)) => {
            let wallet = match suffix {
                "S" => Some("staking"),
                "M" => Some("opt-in rewards"),
                "F" => Some("earn / flexible"),
                "B" => Some("earn / bonded"),
                "P" => Some("parachain"),
                "HOLD" => Some("hold"),
                _ => None,
            };
            let mut b = b.to_string();
            // Locked staking periods: `ADA28.S`, `DOT03.S`.
            if suffix == "S" {
                for period in ["03", "04", "07", "14", "21", "28"] {
                    if b.len() > period.len() + 1 && b.ends_with(period) {
                        b.truncate(b.len() - period.len());
                        break;
                    }
                }
            }
            (b, wallet)
        }
        None => (code, None),
    };
    let alt = match base.as_str() {
        "XXBT" | "XBT" => "BTC",
        "XXDG" | "XDG" => "DOGE",
        "XETH" => "ETH",
        "XETC" => "ETC",
        "XLTC" => "LTC",
        "XMLN" => "MLN",
        "XREP" => "REP",
        "XXLM" => "XLM",
        "XXMR" => "XMR",
        "XXRP" => "XRP",
        "XZEC" => "ZEC",
        b if b.len() == 4 && b.starts_with('Z') && is_fiat(&b[1..]) => &b[1..],
        b => b,
    };
    (alt.to_string(), wallet)
}

fn is_fiat(code: &str) -> bool {
    crate::domain::currency::Currency::parse(code).is_ok_and(|c| c.is_fiat())
        || matches!(
            code,
            "ARS" | "CLP" | "COP" | "GEL" | "GHS" | "LKR" | "UGX" | "VND" | "XOF"
        )
}

// ---------------------------------------------------------------------------------------
// Ledgers

/// Columns of a ledgers export.
#[derive(Debug, Clone)]
pub struct LedgerLayout {
    txid: usize,
    refid: usize,
    time: usize,
    kind: usize,
    subtype: Option<usize>,
    asset: usize,
    wallet: Option<usize>,
    amount: usize,
    fee: usize,
}

impl LedgerLayout {
    fn detect(c: &Columns) -> Option<LedgerLayout> {
        if !c.has_all(&["balance"]) {
            return None;
        }
        Some(LedgerLayout {
            txid: c.find(&["txid"])?,
            refid: c.find(&["refid"])?,
            time: c.find(&["time"])?,
            kind: c.find(&["type"])?,
            subtype: c.find(&["subtype"]),
            asset: c.find(&["asset"])?,
            wallet: c.find(&["wallet"]),
            amount: c.find(&["amount"])?,
            fee: c.find(&["fee"])?,
        })
    }
}

struct TradeRow {
    at: Timestamp,
    refid: String,
    wallet: Option<String>,
    asset: String,
    amount: f64,
    fee: f64,
}

/// Parses a ledgers export.
pub struct Ledgers {
    layout: LedgerLayout,
    columns: Columns,
    ledger: LedgerBuilder,
    trades: Vec<TradeRow>,
}

impl Ledgers {
    fn new(layout: LedgerLayout, columns: Columns) -> Ledgers {
        Ledgers {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
            trades: Vec::new(),
        }
    }
}

impl RowParser for Ledgers {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        use IncomeKind as I;
        use TxKind as K;
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        if row.text(l.txid).is_empty() {
            return Err((
                SkipReason::NotCompleted {
                    status: "no ledger id (pending or failed)".to_string(),
                },
                std::borrow::Cow::Borrowed(row.text(l.kind)),
            ));
        }
        let at = row.instant(l.time, DateOrder::Auto, Zone::Utc)?;
        let kind = row.text(l.kind).to_lowercase();
        let subtype = row.opt(l.subtype).unwrap_or("").to_lowercase();
        let (asset, suffix_wallet) = normalise_asset(row.text(l.asset));
        let amount = row.number(l.amount)?.unwrap_or(0.0);
        let fee = row.number(l.fee)?.unwrap_or(0.0);
        if asset.is_empty() || (amount == 0.0 && fee == 0.0) {
            return Err(no_amount(row.text(l.kind)));
        }
        let wallet = row
            .opt(l.wallet)
            .map(str::to_string)
            .or_else(|| suffix_wallet.map(str::to_string));
        let account = kraken(&mut self.ledger);
        if matches!(
            kind.as_str(),
            "trade" | "spend" | "receive" | "settled" | "sale" | "conversion"
        ) {
            self.trades.push(TradeRow {
                at,
                refid: row.text(l.refid).to_string(),
                wallet,
                asset,
                amount,
                fee,
            });
            return Ok(());
        }
        let plus = amount > 0.0;
        let by_sign = |p: TxKind, m: TxKind| if plus { p } else { m };
        let internal_transfer = matches!(
            subtype.as_str(),
            "spottostaking"
                | "stakingfromspot"
                | "stakingtospot"
                | "spotfromstaking"
                | "spottofutures"
                | "spotfromfutures"
        );
        let (tx_kind, internal) = match kind.as_str() {
            "deposit" | "withdrawal" => (by_sign(K::Deposit, K::Withdrawal), false),
            "staking" => (by_sign(K::Income(I::Staking), K::Spend), false),
            "dividend" => (by_sign(K::Income(I::Dividend), K::Spend), false),
            "invite bonus" | "credit" => (by_sign(K::Income(I::Reward), K::Spend), false),
            "adjustment" => (by_sign(K::Income(I::Reward), K::Spend), false),
            "margin" => (by_sign(K::Income(I::Reward), K::Spend), false),
            "rollover" => (K::Fee, false),
            "transfer" if internal_transfer => (by_sign(K::TransferIn, K::TransferOut), true),
            "transfer" if matches!(subtype.as_str(), "" | "airdrop" | "delistingconversion") => {
                (by_sign(K::Income(I::Airdrop), K::Spend), false)
            }
            "earn" => match subtype.as_str() {
                "reward" => (by_sign(K::Income(I::Staking), K::Spend), false),
                "airdrop" => (by_sign(K::Income(I::Airdrop), K::Spend), false),
                "delistingconversion" => (by_sign(K::Income(I::Airdrop), K::Spend), false),
                "migration" | "autoallocate" | "allocation" | "deallocation" | "autoallocation" => {
                    (by_sign(K::TransferIn, K::TransferOut), true)
                }
                "" if fee != 0.0 => (by_sign(K::Income(I::Staking), K::Spend), false),
                "" => (by_sign(K::TransferIn, K::TransferOut), true),
                _ => return Err(row.unknown_type(l.subtype.unwrap_or(l.kind))),
            },
            _ => return Err(row.unknown_type(l.kind)),
        };
        let mut t = transaction(at, tx_kind);
        let this = coin_leg(&asset, amount);
        if tx_kind == K::Fee {
            t.fee = coin_leg(&asset, amount.abs() + fee.abs());
        } else {
            if plus {
                t.received = this;
            } else {
                t.given = this;
            }
            t.fee = coin_leg(&asset, fee);
        }
        t.external_id = Some(row.text(l.txid).to_string());
        if !subtype.is_empty() {
            t.note = Some(format!("{kind} / {subtype}"));
        } else if kind == "margin" {
            t.note = Some("margin".to_string());
        }
        self.ledger.push_imported(ImportedTransaction {
            account,
            wallet,
            internal,
            counterparty: None,
            transaction: t,
        });
        Ok(())
    }

    fn finish(mut self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<&TradeRow>, Fnv> = HashMap::default();
        for r in &self.trades {
            groups
                .entry(r.refid.as_str())
                .or_insert_with(|| {
                    order.push(r.refid.as_str());
                    Vec::new()
                })
                .push(r);
        }
        let mut made = Vec::new();
        let mut one_sided = 0;
        if !order.is_empty() {
            let account = kraken(&mut self.ledger);
            for refid in order {
                let rows = &groups[refid];
                let at = rows[0].at;
                let mut t = transaction(at, TxKind::Trade);
                let mut extra: Vec<(bool, Leg)> = Vec::new();
                for r in rows {
                    let side = if r.amount > 0.0 {
                        &mut t.received
                    } else {
                        &mut t.given
                    };
                    if let Some(other) = add_fee(side, coin_leg(&r.asset, r.amount)) {
                        // A second asset on one side: kept as a trade of its own below.
                        extra.push((r.amount > 0.0, other));
                    }
                    if let Some(other) = add_fee(&mut t.fee, coin_leg(&r.asset, r.fee)) {
                        let mut f = transaction(at, TxKind::Fee);
                        f.fee = Some(other);
                        f.external_id = Some(format!("{refid}:fee:{}", r.asset));
                        made.push((rows[0].wallet.clone(), f));
                    }
                }
                for (received, leg) in extra {
                    let mut x = transaction(at, TxKind::Trade);
                    if received {
                        x.received = Some(leg);
                    } else {
                        x.given = Some(leg);
                    }
                    one_sided += 1;
                    made.push((rows[0].wallet.clone(), x));
                }
                if t.received.is_none() || t.given.is_none() {
                    one_sided += 1;
                }
                t.external_id = Some(refid.to_string());
                made.push((rows[0].wallet.clone(), t));
            }
            for (wallet, t) in made {
                self.ledger.push_imported(ImportedTransaction {
                    account,
                    wallet,
                    internal: false,
                    counterparty: None,
                    transaction: t,
                });
            }
        }
        if one_sided > 0 {
            report.note(format!("{one_sided} trade(s) have rows on one side only in the ledger (the export cut them?): kept with the side it has."));
        }
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Trades

/// Columns of a trades export.
#[derive(Debug, Clone)]
pub struct TradesLayout {
    txid: usize,
    pair: usize,
    time: usize,
    kind: usize,
    cost: usize,
    fee: usize,
    vol: usize,
    margin: Option<usize>,
}

impl TradesLayout {
    fn detect(c: &Columns) -> Option<TradesLayout> {
        c.find(&["ordertxid"])?;
        Some(TradesLayout {
            txid: c.find(&["txid"])?,
            pair: c.find(&["pair"])?,
            time: c.find(&["time"])?,
            kind: c.find(&["type"])?,
            cost: c.find(&["cost"])?,
            fee: c.find(&["fee"])?,
            vol: c.find(&["vol"])?,
            margin: c.find(&["margin"]),
        })
    }
}

/// Quote codes a Kraken pair without a slash may end with, longest first.
const QUOTES: [&str; 33] = [
    "USD:BTNL", "PYUSD", "RLUSD", "EUROP", "AUSD", "EURC", "FIDD", "USD1", "USDC", "USDD", "USDQ",
    "USDR", "USDT", "XETH", "XXBT", "ZAUD", "ZCAD", "ZEUR", "ZGBP", "ZJPY", "ZUSD", "AED", "AUD",
    "CAD", "CHF", "DAI", "DOT", "ETH", "EUR", "GBP", "JPY", "USD", "XBT",
];

/// `USDT/GBP` → (USDT, GBP); `XXBTZEUR` → (XXBT, ZEUR); `ETHUSDC` → (ETH, USDC).
pub fn split_pair(pair: &str) -> Option<(&str, &str)> {
    let p = pair.trim();
    if let Some((b, q)) = p.split_once('/') {
        return (!b.is_empty() && !q.is_empty()).then_some((b, q));
    }
    let quote = QUOTES
        .iter()
        .filter(|q| p.len() >= q.len() + 2 && p.ends_with(*q))
        .max_by_key(|q| q.len())?;
    Some((&p[..p.len() - quote.len()], quote))
}

/// Parses a trades export.
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
        let at = row.instant(l.time, DateOrder::Auto, Zone::Utc)?;
        let pair = row.text(l.pair);
        let (base, quote) = split_pair(pair).ok_or_else(|| {
            (
                SkipReason::UnreadableText {
                    column: self.columns.label(l.pair),
                },
                std::borrow::Cow::Borrowed(pair),
            )
        })?;
        let (base, quote) = (normalise_asset(base).0, normalise_asset(quote).0);
        let buy = match row.text(l.kind).to_lowercase().as_str() {
            "buy" => true,
            "sell" => false,
            _ => return Err(row.unknown_type(l.kind)),
        };
        let vol = row.required_number(l.vol)?;
        let cost = row.required_number(l.cost)?;
        let fee = row.number(l.fee)?.unwrap_or(0.0);
        let mut t = transaction(at, TxKind::Trade);
        let (b, q) = (coin_leg(&base, vol), coin_leg(&quote, cost));
        if buy {
            t.received = b;
            t.given = q;
        } else {
            t.received = q;
            t.given = b;
        }
        t.fee = coin_leg(&quote, fee);
        t.external_id = Some(row.text(l.txid).to_string()).filter(|s| !s.is_empty());
        if row.opt_number(l.margin)?.is_some_and(|m| m != 0.0) {
            t.note = Some("margin trade".to_string());
        }
        let account = kraken(&mut self.ledger);
        self.ledger.push(account, t);
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        report.note("Kraken's trades export gives each fee in the quote currency, even where Kraken took it in the base asset: the ledgers export says which.");
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
    fn reads_old_and_new_asset_codes_and_staking_suffixes() {
        for (code, coin, wallet) in [
            ("XXBT", "BTC", None),
            ("XBT.M", "BTC", Some("opt-in rewards")),
            ("ZEUR", "EUR", None),
            ("ZGBP", "GBP", None),
            ("XETH", "ETH", None),
            ("XXDG", "DOGE", None),
            ("DOT.S", "DOT", Some("staking")),
            ("ADA28.S", "ADA", Some("staking")),
            ("ETH2.S", "ETH2", Some("staking")),
            ("USDT", "USDT", None),
            ("GBP", "GBP", None),
            ("ZRX", "ZRX", None),
            ("SOL.F", "SOL", Some("earn / flexible")),
        ] {
            assert_eq!(normalise_asset(code), (coin.to_string(), wallet), "{code}");
        }
    }

    #[test]
    fn splits_pairs_old_and_new() {
        assert_eq!(split_pair("USDT/GBP"), Some(("USDT", "GBP")));
        assert_eq!(split_pair("XXBTZEUR"), Some(("XXBT", "ZEUR")));
        assert_eq!(split_pair("XETHXXBT"), Some(("XETH", "XXBT")));
        assert_eq!(split_pair("DOTUSDT"), Some(("DOT", "USDT")));
        assert_eq!(split_pair("ZEUR"), None);
    }
}

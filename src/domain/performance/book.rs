//! The ledger walked in time order into lots, disposals, income, fees, contributions and
//! position movements ([`build_book`]).
//!
//! # The rules, in the order the code applies them
//!
//! Every amount is in the base currency of the [`Market`]: a transaction's own fiat
//! `value` when the file gives one (converted at that day's rate), else its cash leg at
//! that day's rate, else the market value of its assets at that day's close. A value
//! that cannot be found is `None` and the missing rate or price is a [`Gap`]; it is never
//! taken as zero.
//!
//! - **Order**: by time; at one instant, what arrives (trades, deposits, income, incoming
//!   transfers) before what leaves, so that a sale stamped in the same millisecond as the
//!   purchase that funded it takes that purchase's lot.
//! - **Trade** (both legs): a disposal of the given asset and an acquisition of the
//!   received one, both at the trade's value `T`. A buy (cash given) puts its fee into the
//!   cost of what it bought (cost `T + fee`); a sale (cash received) and a convert (two
//!   non-cash assets, or two currencies) take the fee out of the proceeds (`T − fee`).
//!   A fee paid in the received asset reduces the units acquired instead; one paid in the
//!   given asset is disposed of with it; one paid in a third asset (BNB, a network fee in
//!   ETH) is also a disposal of that asset at its market value.
//! - **Deposit** (from outside the profile): a contribution at its market value; a lot at
//!   that value, dated the day it arrived (the real acquisition is not in the ledger).
//! - **Withdrawal**: a negative contribution at its market value; its lots leave as a
//!   [`DisposalKind::Withdrawal`] (a performance figure, not a sale).
//! - **Spend** (goods, gifts, losses): a disposal at market value, and the value leaves the
//!   profile as a withdrawal does.
//! - **Transfer between own accounts** (a `TransferOut` and the `TransferIn` its
//!   `counterpart` names): realises nothing and is no contribution. Per-account pools move
//!   the lots (dates and cost kept); a pooled asset's lots stay as they are. Both halves
//!   are applied at the earlier one's time. Fewer units arriving than leaving is a network
//!   fee (expensed, disposed of at market value); more arriving is a deposit of the
//!   surplus. A half without its other half counts as a deposit or withdrawal, and is
//!   reported.
//! - **Fee** on its own: an expense at market value, and a disposal of the asset paid.
//!   Fees on deposits, withdrawals, income and transfers are expenses too.
//! - **Income**: a lot at its market value on the day received; that value is income.
//! - **Missing history**: units disposed of beyond the lots held are a [`Shortfall`] with
//!   unknown cost; a later acquisition in the same pool covers them (the row is marked).
//! - Cash in the base currency has no lots: its cost is its amount.
//!
//! Each transaction's values balance: the cost of what enters equals the proceeds of what
//! leaves plus contributions plus income minus expensed fees. Summed over the ledger this
//! is the accounting identity `value − net contributions = realised + unrealised + income
//! − fees` (see `gains`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, FnvBuildHasher};
use crate::domain::ledger::{IncomeKind, Leg, Transaction, TxKind};
use crate::domain::performance::lots::{
    AccountId, AssetId, Disposal, DisposalKind, Lot, LotMethod, LotOrigin, Piece, Pool, Pooling,
    REL,
};
use crate::domain::performance::market::{price_key_of, unit_value, Gap, Gaps, Market, Missing};
use crate::domain::price_key::PriceKey;

/// How lots are chosen and pooled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookOptions {
    /// Which lots a disposal takes first.
    pub method: LotMethod,
    /// One pool per asset, or per account and asset.
    pub pooling: Pooling,
}

impl Default for BookOptions {
    /// FIFO, pooled per asset.
    fn default() -> BookOptions {
        BookOptions {
            method: LotMethod::Fifo,
            pooling: Pooling::PerAsset,
        }
    }
}

/// An asset the ledger mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetInfo {
    /// Ticker, or currency code for cash.
    pub symbol: String,
    /// Broad kind.
    pub class: AssetClass,
    /// Market of a listed security, when a transaction names one.
    pub venue: Option<String>,
    /// Whether it is cash in the base currency (no lots, no gains).
    pub is_base: bool,
}

/// Where a fee's value went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FeeTreatment {
    /// Into the cost of what a purchase bought.
    InCost,
    /// Out of the proceeds of what a sale or convert disposed of.
    FromProceeds,
    /// An expense (a fee on its own, or on a deposit, withdrawal, income or transfer).
    Expense,
}

/// A fee paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeEvent {
    /// The asset it was paid in.
    pub asset: AssetId,
    /// The account it was paid from.
    pub account: AccountId,
    /// Index of the transaction in the slice given to [`build_book`].
    pub tx: usize,
    /// When.
    pub at: Timestamp,
    /// Units paid.
    pub quantity: f64,
    /// Value in the base currency (`None` when a value was missing).
    pub value: Option<f64>,
    /// Where its value went.
    pub treatment: FeeTreatment,
}

/// Income received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeEvent {
    /// The asset received.
    pub asset: AssetId,
    /// The account it arrived in.
    pub account: AccountId,
    /// Index of the transaction.
    pub tx: usize,
    /// When.
    pub at: Timestamp,
    /// Why.
    pub kind: IncomeKind,
    /// Units received (before any fee).
    pub quantity: f64,
    /// Market value on the day in the base currency.
    pub value: Option<f64>,
}

/// What made a contribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContributionKind {
    /// A deposit from outside the profile.
    Deposit,
    /// A withdrawal to outside the profile.
    Withdrawal,
    /// Assets spent, given away or lost.
    Spend,
    /// An incoming transfer whose other half is not in the ledger.
    UnmatchedTransferIn,
    /// An outgoing transfer whose other half is not in the ledger.
    UnmatchedTransferOut,
    /// More arrived in a transfer between own accounts than left.
    TransferSurplus,
}

/// Value entering (positive) or leaving (negative) the profile from outside.
///
/// **Net contributions** are the sum of these values: every external deposit minus every
/// withdrawal, each valued in the base currency on its own date. Income is not a
/// contribution (it is return), nor is a fee, nor a transfer between own accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The asset.
    pub asset: AssetId,
    /// The account.
    pub account: AccountId,
    /// Index of the transaction.
    pub tx: usize,
    /// When.
    pub at: Timestamp,
    /// Units (positive).
    pub quantity: f64,
    /// Value in the base currency, positive in, negative out.
    pub value: Option<f64>,
    /// What made it.
    pub kind: ContributionKind,
}

/// A change of one position (account, asset), with the value that crossed its boundary.
///
/// `flow` is what the position's time- and money-weighted returns treat as an external
/// cash flow: the value paid into it or taken out of it by a trade, a deposit, a
/// withdrawal or a transfer. Income arriving and fees leaving are not flows (they are the
/// position's return), so their flow is 0. The flows of one step sum to the step's
/// contributions, so flows between positions of one scope cancel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// Steps number the walk's units of work: one transaction, or both halves of a
    /// transfer; movements of one step share it.
    pub step: u32,
    /// Index of the transaction.
    pub tx: usize,
    /// When it applies.
    pub at: Timestamp,
    /// The asset.
    pub asset: AssetId,
    /// The account.
    pub account: AccountId,
    /// Units, positive in.
    pub quantity: f64,
    /// Value in the base currency, positive in; `None` when a value was missing.
    pub flow: Option<f64>,
}

/// Units disposed of (or moved) beyond the lots held: history missing from the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// The asset.
    pub asset: AssetId,
    /// The account.
    pub account: AccountId,
    /// Index of the transaction.
    pub tx: usize,
    /// When.
    pub at: Timestamp,
    /// Units without lots.
    pub quantity: f64,
}

/// Something in the ledger the walk could not take as it is, and what it did instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum LedgerIssue {
    /// A leg the kind needs is absent.
    #[error("transaction {id}: a {kind} needs a {leg} leg; the transaction was left out")]
    MissingLeg {
        /// Transaction id.
        id: String,
        /// Its kind.
        kind: String,
        /// The leg (received, given, fee).
        leg: String,
    },
    /// A quantity that is negative, infinite or not a number.
    #[error("transaction {id}: the {leg} quantity {quantity} is not a positive number; the transaction was left out")]
    BadQuantity {
        /// Transaction id.
        id: String,
        /// The leg.
        leg: String,
        /// The quantity as given.
        quantity: f64,
    },
    /// A leg the kind does not have.
    #[error("transaction {id}: a {kind} has no {leg} leg; that leg was ignored")]
    UnexpectedLeg {
        /// Transaction id.
        id: String,
        /// Its kind.
        kind: String,
        /// The leg.
        leg: String,
    },
    /// A transfer half without its other half.
    #[error("transfer {id} has no matching other half in the ledger; it was counted as a {counted_as} at its market value")]
    UnmatchedTransfer {
        /// Transaction id.
        id: String,
        /// "deposit" or "withdrawal".
        counted_as: String,
    },
    /// The halves of a transfer name different assets.
    #[error("transfer {out_id} → {in_id}: {sent} left but {received} arrived; both halves were counted as unmatched")]
    TransferAssetsDiffer {
        /// The leaving half.
        out_id: String,
        /// The arriving half.
        in_id: String,
        /// Asset that left.
        sent: String,
        /// Asset that arrived.
        received: String,
    },
    /// Fewer units arrived than left.
    #[error("transfer {out_id} → {in_id}: {quantity} {asset} fewer arrived than left; the difference was counted as a network fee")]
    TransferShrank {
        /// The leaving half.
        out_id: String,
        /// The arriving half.
        in_id: String,
        /// Asset.
        asset: String,
        /// Units lost.
        quantity: f64,
    },
    /// More units arrived than left.
    #[error("transfer {out_id} → {in_id}: {quantity} {asset} more arrived than left; the surplus was counted as a deposit")]
    TransferGrew {
        /// The leaving half.
        out_id: String,
        /// The arriving half.
        in_id: String,
        /// Asset.
        asset: String,
        /// Units gained.
        quantity: f64,
    },
    /// A fee larger than the units it was taken from.
    #[error("transaction {id}: the fee of {fee} {asset} is larger than the {received} received; it was counted as a separate disposal")]
    FeeExceedsReceived {
        /// Transaction id.
        id: String,
        /// Asset.
        asset: String,
        /// Fee units.
        fee: f64,
        /// Units received.
        received: f64,
    },
}

/// Everything the walk produced. Asset and account ids index [`Book::assets`] and
/// [`Book::accounts`]; `tx` fields index the transaction slice given to [`build_book`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Book {
    /// The options it was built with.
    pub options: BookOptions,
    /// Currency of every value.
    pub base: Currency,
    /// Assets, by [`AssetId`].
    pub assets: Vec<AssetInfo>,
    /// Account ids as the ledger names them, by [`AccountId`].
    pub accounts: Vec<String>,
    /// Lots still open at the end of the ledger.
    pub lots: Vec<Lot>,
    /// Every disposal piece, by time.
    pub disposals: Vec<Disposal>,
    /// Income received.
    pub income: Vec<IncomeEvent>,
    /// Fees paid.
    pub fees: Vec<FeeEvent>,
    /// Value that entered or left the profile.
    pub contributions: Vec<Contribution>,
    /// Every change of every position, in time order.
    pub movements: Vec<Movement>,
    /// Units disposed of or moved without lots.
    pub shortfalls: Vec<Shortfall>,
    /// Transactions taken differently than written, and why.
    pub issues: Vec<LedgerIssue>,
    /// Rates and prices that were missing.
    pub gaps: Vec<Gap>,
}

/// Units held of one asset in one account.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The asset.
    pub asset: AssetId,
    /// The account.
    pub account: AccountId,
    /// Units (negative when the ledger lacks history).
    pub quantity: f64,
}

impl Book {
    /// The asset of an id.
    pub fn asset(&self, id: AssetId) -> &AssetInfo {
        &self.assets[id.0 as usize]
    }

    /// The account id (as the ledger names it) of an id.
    pub fn account(&self, id: AccountId) -> &str {
        &self.accounts[id.0 as usize]
    }

    /// The id of an asset by symbol and class.
    pub fn asset_id(&self, symbol: &str, class: AssetClass) -> Option<AssetId> {
        self.assets
            .iter()
            .position(|a| a.symbol == symbol && a.class == class)
            .map(|i| AssetId(i as u32))
    }

    /// The id of an account.
    pub fn account_id(&self, account: &str) -> Option<AccountId> {
        self.accounts
            .iter()
            .position(|a| a == account)
            .map(|i| AccountId(i as u32))
    }

    /// Positions at the end of the ledger (the movements summed), zero ones left out.
    pub fn positions(&self) -> Vec<Position> {
        let mut by: HashMap<(AccountId, AssetId), (f64, f64)> = HashMap::new();
        for m in &self.movements {
            let e = by.entry((m.account, m.asset)).or_default();
            e.0 += m.quantity;
            e.1 = e.1.max(m.quantity.abs());
        }
        let mut out: Vec<Position> = by
            .into_iter()
            .filter(|(_, (q, largest))| q.abs() > largest * REL)
            .map(|((account, asset), (quantity, _))| Position {
                asset,
                account,
                quantity,
            })
            .collect();
        out.sort_by_key(|p| (p.asset, p.account));
        out
    }

    /// Net contributions: Σ of [`Contribution::value`] up to and including `until` (all
    /// when `None`), with how many had no value.
    pub fn net_contributions(&self, until: Option<Timestamp>) -> (f64, usize) {
        let mut unknown = 0;
        let sum = self
            .contributions
            .iter()
            .filter(|c| until.is_none_or(|u| c.at <= u))
            .filter_map(|c| {
                if c.value.is_none() {
                    unknown += 1;
                }
                c.value
            })
            .sum();
        (sum, unknown)
    }
}

/// Walks the ledger by the rules of this module's documentation.
///
/// # Example
/// ```
/// use folio::domain::calendar::Timestamp;
/// use folio::domain::currency::Currency;
/// use folio::domain::holding::AssetClass;
/// use folio::domain::ledger::{Leg, Transaction, TxKind};
/// use folio::domain::performance::{build_book, BookOptions, MarketData};
///
/// let leg = |asset: &str, class, quantity| Some(Leg { asset: asset.into(), class, quantity });
/// let tx = |id: &str, day: i64, kind, received, given| Transaction {
///     id: id.into(), account_id: "a".into(), at: Timestamp::from_millis(day * 86_400_000),
///     kind, received, given, fee: None, value: None, external_id: None, isin: None,
///     venue: None, counterpart: None, note: None,
/// };
/// let ledger = [
///     tx("1", 0, TxKind::Deposit, leg("EUR", AssetClass::Cash, 1000.0), None),
///     tx("2", 1, TxKind::Trade, leg("BTC", AssetClass::Crypto, 1.0), leg("EUR", AssetClass::Cash, 600.0)),
///     tx("3", 2, TxKind::Trade, leg("EUR", AssetClass::Cash, 400.0), leg("BTC", AssetClass::Crypto, 0.5)),
/// ];
/// let book = build_book(&ledger, &MarketData::new(Currency::EUR), BookOptions::default());
/// // Half the lot (cost 300) sold for 400.
/// assert_eq!(book.disposals[0].gain(), Some(100.0));
/// assert_eq!(book.lots[0].cost, Some(300.0));
/// assert!(book.gaps.is_empty() && book.issues.is_empty());
/// ```
pub fn build_book<M: Market + ?Sized>(
    transactions: &[Transaction],
    market: &M,
    options: BookOptions,
) -> Book {
    let mut walk = Walk::new(transactions, market, options);
    walk.run();
    walk.finish()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Buy,
    Sell,
    Convert,
}

/// A validated leg: its asset and units.
#[derive(Clone, Copy)]
struct L {
    asset: AssetId,
    quantity: f64,
}

type PoolKey = (u32, u32);

struct Walk<'a, M: Market + ?Sized> {
    txs: &'a [Transaction],
    market: &'a M,
    options: BookOptions,
    base: Currency,
    assets: Vec<AssetInfo>,
    /// Each asset's price key (none for cash).
    keys: Vec<Option<PriceKey>>,
    /// Symbol → the asset's id per class (in [`AssetClass::ALL`]'s order; `u32::MAX` none).
    asset_ix: HashMap<String, [u32; 5], FnvBuildHasher>,
    accounts: Vec<String>,
    account_ix: HashMap<String, u32, FnvBuildHasher>,
    pools: HashMap<PoolKey, Pool, FnvBuildHasher>,
    seq: u64,
    step: u32,
    now: Timestamp,
    pieces: Vec<Piece>,
    lots_out: Vec<Lot>,
    disposals: Vec<Disposal>,
    income: Vec<IncomeEvent>,
    fees: Vec<FeeEvent>,
    contributions: Vec<Contribution>,
    movements: Vec<Movement>,
    shortfalls: Vec<Shortfall>,
    issues: Vec<LedgerIssue>,
    gaps: Gaps,
}

fn plus(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? + b?)
}

fn minus(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

fn neg(a: Option<f64>) -> Option<f64> {
    a.map(|v| -v)
}

fn kind_name(kind: TxKind) -> &'static str {
    match kind {
        TxKind::Trade => "trade",
        TxKind::Deposit => "deposit",
        TxKind::Withdrawal => "withdrawal",
        TxKind::TransferOut => "outgoing transfer",
        TxKind::TransferIn => "incoming transfer",
        TxKind::Fee => "fee",
        TxKind::Income(_) => "income",
        TxKind::Spend => "spend",
        TxKind::Internal => "internal move",
    }
}

/// Arrivals before departures at one instant.
fn phase(kind: TxKind) -> u8 {
    match kind {
        TxKind::Trade | TxKind::Deposit | TxKind::Income(_) | TxKind::TransferIn => 0,
        TxKind::TransferOut
        | TxKind::Withdrawal
        | TxKind::Spend
        | TxKind::Fee
        | TxKind::Internal => 1,
    }
}

impl<'a, M: Market + ?Sized> Walk<'a, M> {
    fn new(txs: &'a [Transaction], market: &'a M, options: BookOptions) -> Walk<'a, M> {
        Walk {
            txs,
            market,
            options,
            base: market.base(),
            assets: Vec::new(),
            keys: Vec::new(),
            asset_ix: HashMap::default(),
            accounts: Vec::new(),
            account_ix: HashMap::default(),
            pools: HashMap::default(),
            seq: 0,
            step: 0,
            now: Timestamp::default(),
            pieces: Vec::new(),
            lots_out: Vec::new(),
            disposals: Vec::new(),
            income: Vec::new(),
            fees: Vec::new(),
            contributions: Vec::new(),
            movements: Vec::new(),
            shortfalls: Vec::new(),
            issues: Vec::new(),
            gaps: Gaps::default(),
        }
    }

    fn asset(&mut self, leg: &Leg, venue: Option<&str>) -> AssetId {
        let class = AssetClass::ALL
            .iter()
            .position(|c| *c == leg.class)
            .unwrap_or(0);
        let known = self.asset_ix.get(leg.asset.as_str()).map(|ids| ids[class]);
        if let Some(i) = known.filter(|i| *i != u32::MAX) {
            let info = &mut self.assets[i as usize];
            if info.venue.is_none() && leg.class != AssetClass::Cash && venue.is_some() {
                info.venue = venue.map(str::to_string);
                self.keys[i as usize] = price_key_of(&info.symbol, info.class, venue);
            }
            return AssetId(i);
        }
        let i = self.assets.len() as u32;
        self.asset_ix
            .entry(leg.asset.clone())
            .or_insert([u32::MAX; 5])[class] = i;
        let venue = venue.filter(|_| leg.class != AssetClass::Cash);
        self.keys.push(price_key_of(&leg.asset, leg.class, venue));
        self.assets.push(AssetInfo {
            symbol: leg.asset.clone(),
            class: leg.class,
            venue: venue.map(str::to_string),
            is_base: leg.class == AssetClass::Cash && Currency::parse(&leg.asset) == Ok(self.base),
        });
        AssetId(i)
    }

    fn account(&mut self, id: &str) -> AccountId {
        if let Some(&i) = self.account_ix.get(id) {
            return AccountId(i);
        }
        let i = self.accounts.len() as u32;
        self.account_ix.insert(id.to_string(), i);
        self.accounts.push(id.to_string());
        AccountId(i)
    }

    fn info(&self, a: AssetId) -> &AssetInfo {
        &self.assets[a.0 as usize]
    }

    fn is_cash(&self, a: AssetId) -> bool {
        self.info(a).class == AssetClass::Cash
    }

    /// Value of one unit on `date`, or what is missing.
    fn unit(&self, a: AssetId, date: NaiveDate) -> Result<f64, Missing> {
        let info = self.info(a);
        if info.is_base {
            return Ok(1.0);
        }
        match &self.keys[a.0 as usize] {
            // The common case, without building the key again.
            Some(key @ (PriceKey::Crypto(_) | PriceKey::Other(_))) => {
                let m = self
                    .market
                    .close(key, date)
                    .ok_or_else(|| Missing::Price(key.clone()))?;
                let rate = self
                    .market
                    .fx(m.currency, date)
                    .ok_or(Missing::Fx(m.currency))?;
                Ok(m.amount * rate)
            }
            _ => unit_value(
                self.market,
                &info.symbol,
                info.class,
                info.venue.as_deref(),
                date,
            ),
        }
    }

    /// Value of `l`, recording a gap when it cannot be found.
    fn value(&mut self, l: L, date: NaiveDate) -> Option<f64> {
        match self.unit(l.asset, date) {
            Ok(u) => Some(u * l.quantity),
            Err(m) => {
                self.gaps.record(m, date);
                None
            }
        }
    }

    /// The transaction's own fiat value in the base currency, when it has one that converts.
    fn stated(&self, tx: &Transaction) -> Option<f64> {
        let v = tx
            .value
            .filter(|v| v.currency.is_fiat() && v.amount.is_finite())?;
        Some(v.amount.abs() * self.market.fx(v.currency, tx.at.date())?)
    }

    /// The file's value, else the market value of `l`.
    fn value_of(&mut self, tx: &Transaction, l: L) -> Option<f64> {
        self.stated(tx).or_else(|| self.value(l, tx.at.date()))
    }

    fn pool_key(&self, account: AccountId, asset: AssetId) -> PoolKey {
        match self.options.pooling {
            Pooling::PerAsset => (u32::MAX, asset.0),
            Pooling::PerAccount => (account.0, asset.0),
        }
    }

    fn movement(&mut self, tx: usize, account: AccountId, l: L, sign: f64, flow: Option<f64>) {
        if l.quantity == 0.0 {
            return;
        }
        self.movements.push(Movement {
            step: self.step,
            tx,
            at: self.now,
            asset: l.asset,
            account,
            quantity: sign * l.quantity,
            flow,
        });
    }

    fn acquire(
        &mut self,
        tx: usize,
        account: AccountId,
        l: L,
        cost: Option<f64>,
        origin: LotOrigin,
        acquired: Timestamp,
    ) {
        if self.info(l.asset).is_base || l.quantity <= 0.0 {
            return;
        }
        let key = self.pool_key(account, l.asset);
        self.seq += 1;
        let lot = Lot {
            asset: l.asset,
            account,
            acquired,
            quantity: l.quantity,
            cost,
            origin,
            tx,
        };
        let method = self.options.method;
        self.pools
            .entry(key)
            .or_default()
            .add(method, lot, self.seq, &mut self.disposals);
    }

    fn dispose(
        &mut self,
        tx: usize,
        account: AccountId,
        l: L,
        proceeds: Option<f64>,
        kind: DisposalKind,
    ) {
        if self.info(l.asset).is_base || l.quantity <= 0.0 {
            return;
        }
        let key = self.pool_key(account, l.asset);
        let method = self.options.method;
        let at = self.now;
        let pool = self.pools.entry(key).or_default();
        self.pieces.clear();
        let missing = pool.take(method, l.quantity, &mut self.pieces);
        let share = |q: f64| proceeds.map(|p| p * q / l.quantity);
        for p in &self.pieces {
            self.disposals.push(Disposal {
                asset: l.asset,
                account,
                tx,
                kind,
                disposed: at,
                acquired: Some(p.acquired),
                acquired_tx: Some(p.tx),
                quantity: p.quantity,
                proceeds: share(p.quantity),
                cost: p.cost,
                covered_later: false,
            });
        }
        if missing > 0.0 {
            pool.short(self.disposals.len(), missing);
            self.disposals.push(Disposal {
                asset: l.asset,
                account,
                tx,
                kind,
                disposed: at,
                acquired: None,
                acquired_tx: None,
                quantity: missing,
                proceeds: share(missing),
                cost: None,
                covered_later: false,
            });
            self.shortfalls.push(Shortfall {
                asset: l.asset,
                account,
                tx,
                at,
                quantity: missing,
            });
        }
    }

    fn fee(&mut self, tx: usize, account: AccountId, l: L, value: Option<f64>, t: FeeTreatment) {
        self.fees.push(FeeEvent {
            asset: l.asset,
            account,
            tx,
            at: self.now,
            quantity: l.quantity,
            value,
            treatment: t,
        });
    }

    /// A fee paid from `account` and expensed: a disposal at `value` (its market value
    /// unless the caller knows an implied one), not a flow.
    fn expensed_fee(&mut self, tx: usize, account: AccountId, l: L, value: Option<f64>) {
        self.dispose(tx, account, l, value, DisposalKind::FeePayment);
        self.fee(tx, account, l, value, FeeTreatment::Expense);
        self.movement(tx, account, l, -1.0, Some(0.0));
    }

    /// A leg checked: `None` when absent or zero; an issue when not a positive number.
    fn leg(&mut self, tx: &Transaction, leg: Option<&Leg>, name: &str) -> Result<Option<L>, ()> {
        let Some(leg) = leg else { return Ok(None) };
        if leg.quantity == 0.0 {
            return Ok(None);
        }
        if !(leg.quantity.is_finite() && leg.quantity > 0.0) {
            self.issues.push(LedgerIssue::BadQuantity {
                id: tx.id.clone(),
                leg: name.into(),
                quantity: leg.quantity,
            });
            return Err(());
        }
        Ok(Some(L {
            asset: self.asset(leg, tx.venue.as_deref()),
            quantity: leg.quantity,
        }))
    }

    /// The transaction's three legs, validated against its kind.
    #[allow(clippy::type_complexity)]
    fn legs(&mut self, i: usize) -> Option<(Option<L>, Option<L>, Option<L>)> {
        let txs = self.txs;
        let tx = &txs[i];
        let received = self.leg(tx, tx.received.as_ref(), "received").ok()?;
        let given = self.leg(tx, tx.given.as_ref(), "given").ok()?;
        let fee = self.leg(tx, tx.fee.as_ref(), "fee").ok()?;
        let (needs_received, needs_given) = match tx.kind {
            TxKind::Trade => (true, true),
            TxKind::Deposit | TxKind::Income(_) | TxKind::TransferIn => (true, false),
            TxKind::Withdrawal | TxKind::Spend | TxKind::TransferOut => (false, true),
            TxKind::Fee | TxKind::Internal => (false, false),
        };
        let kind = kind_name(tx.kind);
        let missing = |leg: &str| LedgerIssue::MissingLeg {
            id: tx.id.clone(),
            kind: kind.into(),
            leg: leg.into(),
        };
        let unexpected = |leg: &str| LedgerIssue::UnexpectedLeg {
            id: tx.id.clone(),
            kind: kind.into(),
            leg: leg.into(),
        };
        if tx.kind == TxKind::Internal {
            // A move between the account's own wallets: its legs stay in the account and
            // move no lot; only its fee leaves.
            return Some((None, None, fee));
        }
        if tx.kind == TxKind::Fee {
            // A fee on its own may be written in the fee leg or in the given leg.
            if received.is_some() {
                self.issues.push(unexpected("received"));
            }
            return match (fee, given) {
                (Some(f), g) => {
                    if g.is_some() {
                        self.issues.push(unexpected("given"));
                    }
                    Some((None, None, Some(f)))
                }
                (None, Some(g)) => Some((None, None, Some(g))),
                (None, None) => {
                    self.issues.push(missing("fee"));
                    None
                }
            };
        }
        if needs_received && received.is_none() {
            self.issues.push(missing("received"));
            return None;
        }
        if needs_given && given.is_none() {
            self.issues.push(missing("given"));
            return None;
        }
        let received = if !needs_received && received.is_some() {
            self.issues.push(unexpected("received"));
            None
        } else {
            received
        };
        let given = if !needs_given && given.is_some() {
            self.issues.push(unexpected("given"));
            None
        } else {
            given
        };
        Some((received, given, fee))
    }

    fn run(&mut self) {
        let txs = self.txs;
        let mut order: Vec<usize> = (0..txs.len()).collect();
        order.sort_by_key(|&i| (txs[i].at, phase(txs[i].kind), i));
        let partner = self.pair_transfers();
        let mut done = vec![false; txs.len()];
        for i in order {
            if done[i] {
                continue;
            }
            done[i] = true;
            self.step += 1;
            self.now = txs[i].at;
            match partner[i] {
                Some(j) => {
                    done[j] = true;
                    let (o, n) = if txs[i].kind == TxKind::TransferOut {
                        (i, j)
                    } else {
                        (j, i)
                    };
                    self.transfer(o, n);
                }
                None => {
                    if let Some(legs) = self.legs(i) {
                        self.apply(i, legs);
                    }
                }
            }
        }
    }

    /// For each transfer half, its other half when the ledger pairs them (either half's
    /// `counterpart` names the other, of the opposite direction and the same asset).
    fn pair_transfers(&mut self) -> Vec<Option<usize>> {
        let txs = self.txs;
        let is_transfer =
            |t: &Transaction| matches!(t.kind, TxKind::TransferIn | TxKind::TransferOut);
        let ids: HashMap<&str, usize> = txs
            .iter()
            .enumerate()
            .filter(|(_, t)| is_transfer(t))
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut partner = vec![None; txs.len()];
        for (i, t) in txs.iter().enumerate() {
            if !is_transfer(t) || partner[i].is_some() {
                continue;
            }
            let Some(&j) = t.counterpart.as_deref().and_then(|c| ids.get(c)) else {
                continue;
            };
            let u = &txs[j];
            let opposite = u.kind != t.kind;
            let agrees = u.counterpart.as_deref().is_none_or(|c| c == t.id);
            if !opposite || !agrees || partner[j].is_some() || i == j {
                continue;
            }
            let (o, n) = if t.kind == TxKind::TransferOut {
                (t, u)
            } else {
                (u, t)
            };
            let sent = o.given.as_ref().map(|l| (&l.asset, l.class));
            let received = o_received(n);
            if sent.is_some() && received.is_some() && sent != received {
                self.issues.push(LedgerIssue::TransferAssetsDiffer {
                    out_id: o.id.clone(),
                    in_id: n.id.clone(),
                    sent: sent.map(|s| s.0.clone()).unwrap_or_default(),
                    received: received.map(|s| s.0.clone()).unwrap_or_default(),
                });
                continue;
            }
            partner[i] = Some(j);
            partner[j] = Some(i);
        }
        partner
    }

    /// Both halves of a transfer between own accounts, applied at the earlier one's time;
    /// a half whose legs were refused leaves the other unmatched.
    fn transfer(&mut self, o: usize, n: usize) {
        let txs = self.txs;
        let (out_tx, in_tx) = (&txs[o], &txs[n]);
        let at = self.now;
        let (out_legs, in_legs) = (self.legs(o), self.legs(n));
        let (g, out_fee, r, in_fee) = match (out_legs, in_legs) {
            (Some((_, Some(g), out_fee)), Some((Some(r), _, in_fee))) => (g, out_fee, r, in_fee),
            (Some(legs), None) => return self.apply(o, legs),
            (None, Some(legs)) => return self.apply(n, legs),
            _ => return,
        };
        let from = self.account(&out_tx.account_id);
        let to = self.account(&in_tx.account_id);
        let date = at.date();
        // One unit's value: the file's own, else the market's.
        let unit = match self.stated(out_tx).or_else(|| self.stated(in_tx)) {
            Some(v) => Some(v / g.quantity),
            None => self.value(L { quantity: 1.0, ..g }, date),
        };
        let worth = |q: f64| unit.map(|u| u * q);
        if let Some(f) = out_fee {
            let v = if f.asset == g.asset {
                worth(f.quantity)
            } else {
                self.value(f, date)
            };
            self.expensed_fee(o, from, f, v);
        }
        let moved = g.quantity.min(r.quantity);
        let lost = g.quantity - r.quantity;
        if lost > g.quantity * REL {
            let l = L {
                quantity: lost,
                ..g
            };
            self.expensed_fee(o, from, l, worth(lost));
            self.issues.push(LedgerIssue::TransferShrank {
                out_id: out_tx.id.clone(),
                in_id: in_tx.id.clone(),
                asset: self.info(g.asset).symbol.clone(),
                quantity: lost,
            });
        }
        let m = L {
            quantity: moved,
            ..g
        };
        self.movement(o, from, m, -1.0, neg(worth(moved)));
        self.movement(n, to, m, 1.0, worth(moved));
        self.move_lots(o, from, to, m, at);
        if -lost > r.quantity * REL {
            let l = L {
                quantity: -lost,
                ..g
            };
            let v = worth(-lost);
            self.contribute(n, to, l, v, ContributionKind::TransferSurplus);
            self.acquire(n, to, l, v, LotOrigin::TransferSurplus, at);
            self.movement(n, to, l, 1.0, v);
            self.issues.push(LedgerIssue::TransferGrew {
                out_id: out_tx.id.clone(),
                in_id: in_tx.id.clone(),
                asset: self.info(g.asset).symbol.clone(),
                quantity: -lost,
            });
        }
        if let Some(f) = in_fee {
            let v = if f.asset == g.asset {
                worth(f.quantity)
            } else {
                self.value(f, date)
            };
            self.expensed_fee(n, to, f, v);
        }
    }

    /// Per-account pools: the lots of `l` leave `from`'s pool for `to`'s with their dates
    /// and cost; units without lots arrive as a lot of unknown cost (a shortfall).
    fn move_lots(&mut self, tx: usize, from: AccountId, to: AccountId, l: L, at: Timestamp) {
        if self.options.pooling == Pooling::PerAsset || self.info(l.asset).is_base || from == to {
            return;
        }
        let method = self.options.method;
        let key = self.pool_key(from, l.asset);
        self.pieces.clear();
        let missing = self
            .pools
            .entry(key)
            .or_default()
            .take(method, l.quantity, &mut self.pieces);
        let pieces = std::mem::take(&mut self.pieces);
        for p in &pieces {
            self.acquire(
                p.tx,
                to,
                L {
                    quantity: p.quantity,
                    ..l
                },
                p.cost,
                p.origin,
                p.acquired,
            );
        }
        self.pieces = pieces;
        if missing > 0.0 {
            self.shortfalls.push(Shortfall {
                asset: l.asset,
                account: from,
                tx,
                at,
                quantity: missing,
            });
            let m = L {
                quantity: missing,
                ..l
            };
            self.acquire(tx, to, m, None, LotOrigin::MissingHistory, at);
        }
    }

    fn contribute(
        &mut self,
        tx: usize,
        account: AccountId,
        l: L,
        v: Option<f64>,
        kind: ContributionKind,
    ) {
        self.contributions.push(Contribution {
            asset: l.asset,
            account,
            tx,
            at: self.now,
            quantity: l.quantity,
            value: v,
            kind,
        });
    }

    /// One transaction (not a paired transfer), its legs validated.
    #[allow(clippy::type_complexity)]
    fn apply(&mut self, i: usize, (received, given, fee): (Option<L>, Option<L>, Option<L>)) {
        let txs = self.txs;
        let tx = &txs[i];
        let account = self.account(&tx.account_id);
        match (tx.kind, received, given) {
            // A disposal and an acquisition at the trade's value; the fee by side.
            (TxKind::Trade, Some(r), Some(g)) => self.trade(i, account, r, g, fee),
            // A contribution at market value, a lot at that value dated today.
            (TxKind::Deposit, Some(r), _) => self.arrival(
                i,
                account,
                r,
                fee,
                Arrival::Contribution(ContributionKind::Deposit),
            ),
            // Half a transfer without its other half: a deposit, reported.
            (TxKind::TransferIn, Some(r), _) => {
                self.issues.push(LedgerIssue::UnmatchedTransfer {
                    id: tx.id.clone(),
                    counted_as: "deposit".into(),
                });
                let kind = ContributionKind::UnmatchedTransferIn;
                self.arrival(i, account, r, fee, Arrival::Contribution(kind))
            }
            // A lot at its market value on the day received; that value is income.
            (TxKind::Income(kind), Some(r), _) => {
                self.arrival(i, account, r, fee, Arrival::Income(kind))
            }
            // A negative contribution; its lots leave as a withdrawal, not a sale.
            (TxKind::Withdrawal, _, Some(g)) => {
                let kind = (ContributionKind::Withdrawal, DisposalKind::Withdrawal);
                self.departure(i, account, g, fee, kind)
            }
            // Half a transfer without its other half: a withdrawal, reported.
            (TxKind::TransferOut, _, Some(g)) => {
                self.issues.push(LedgerIssue::UnmatchedTransfer {
                    id: tx.id.clone(),
                    counted_as: "withdrawal".into(),
                });
                let kind = (
                    ContributionKind::UnmatchedTransferOut,
                    DisposalKind::Withdrawal,
                );
                self.departure(i, account, g, fee, kind)
            }
            // A disposal at market value whose value leaves the profile.
            (TxKind::Spend, _, Some(g)) => self.departure(
                i,
                account,
                g,
                fee,
                (ContributionKind::Spend, DisposalKind::Spend),
            ),
            // An expense, and a disposal of the asset paid (an internal move's fee too).
            (TxKind::Fee | TxKind::Internal, _, _) => {
                if let Some(f) = fee {
                    let v = self.value_of(tx, f);
                    self.expensed_fee(i, account, f, v);
                }
            }
            // `legs` refused every other combination.
            _ => {}
        }
    }

    /// The value of a trade: the file's, else a cash leg's, else the given then the
    /// received asset's market value.
    fn trade_value(&mut self, tx: &Transaction, r: L, g: L) -> Option<f64> {
        if let Some(v) = self.stated(tx) {
            return Some(v);
        }
        let date = tx.at.date();
        let mut missing = Vec::new();
        let cash_first = [g, r].into_iter().filter(|l| self.is_cash(l.asset));
        let others = [g, r].into_iter().filter(|l| !self.is_cash(l.asset));
        for l in cash_first.chain(others).collect::<Vec<_>>() {
            match self.unit(l.asset, date) {
                Ok(u) => return Some(u * l.quantity),
                Err(m) => missing.push(m),
            }
        }
        for m in missing {
            self.gaps.record(m, date);
        }
        None
    }

    /// A trade, by the rules of the module's documentation.
    fn trade(&mut self, i: usize, account: AccountId, r: L, g: L, fee: Option<L>) {
        let txs = self.txs;
        let tx = &txs[i];
        let side = match (self.is_cash(g.asset), self.is_cash(r.asset)) {
            (true, false) => Side::Buy,
            (false, true) => Side::Sell,
            _ => Side::Convert,
        };
        let t = self.trade_value(tx, r, g);
        let (given_kind, origin) = match side {
            Side::Buy => (DisposalKind::Payment, LotOrigin::Purchase),
            Side::Sell => (DisposalKind::Sale, LotOrigin::Convert),
            Side::Convert => (DisposalKind::Convert, LotOrigin::Convert),
        };
        let at = self.now;
        let Some(phi) = fee else {
            self.dispose(i, account, g, t, given_kind);
            self.acquire(i, account, r, t, origin, at);
            self.movement(i, account, g, -1.0, neg(t));
            self.movement(i, account, r, 1.0, t);
            return;
        };
        let implied = |of: L| t.map(|t| t * phi.quantity / of.quantity);
        let buy = side == Side::Buy;
        let treatment = if buy {
            FeeTreatment::InCost
        } else {
            FeeTreatment::FromProceeds
        };
        if phi.asset == r.asset && phi.quantity <= r.quantity {
            // Paid in the units received: fewer units acquired.
            let f = implied(r);
            let net = L {
                quantity: r.quantity - phi.quantity,
                ..r
            };
            let cost = if buy { t } else { minus(t, f) };
            self.dispose(i, account, g, cost, given_kind);
            self.acquire(i, account, net, cost, origin, at);
            self.movement(i, account, g, -1.0, neg(cost));
            self.movement(i, account, net, 1.0, cost);
            self.fee(i, account, phi, f, treatment);
        } else if phi.asset == g.asset {
            // Paid in the units given: they leave with them.
            let f = implied(g);
            let out = L {
                quantity: g.quantity + phi.quantity,
                ..g
            };
            let value = if buy { plus(t, f) } else { t };
            self.dispose(i, account, out, value, given_kind);
            self.acquire(i, account, r, value, origin, at);
            self.movement(i, account, out, -1.0, neg(value));
            self.movement(i, account, r, 1.0, value);
            self.fee(i, account, phi, f, treatment);
        } else {
            // Paid in a third asset (or more of the received one than arrived): a
            // disposal of it at its market value.
            let f = if phi.asset == r.asset {
                self.issues.push(LedgerIssue::FeeExceedsReceived {
                    id: tx.id.clone(),
                    asset: self.info(r.asset).symbol.clone(),
                    fee: phi.quantity,
                    received: r.quantity,
                });
                implied(r)
            } else {
                self.value(phi, at.date())
            };
            let (proceeds, cost) = if buy {
                (t, plus(t, f))
            } else {
                (minus(t, f), t)
            };
            self.dispose(i, account, g, proceeds, given_kind);
            self.acquire(i, account, r, cost, origin, at);
            self.dispose(i, account, phi, f, DisposalKind::FeePayment);
            self.movement(i, account, g, -1.0, neg(proceeds));
            self.movement(i, account, r, 1.0, cost);
            self.movement(i, account, phi, -1.0, neg(f));
            self.fee(i, account, phi, f, treatment);
        }
    }

    /// A deposit, an unmatched incoming transfer or income.
    fn arrival(&mut self, i: usize, account: AccountId, r: L, fee: Option<L>, what: Arrival) {
        let txs = self.txs;
        let tx = &txs[i];
        let at = self.now;
        let v = self.value_of(tx, r);
        let (origin, flow) = match what {
            Arrival::Contribution(kind) => {
                self.contribute(i, account, r, v, kind);
                (LotOrigin::Deposit, v)
            }
            Arrival::Income(kind) => {
                self.income.push(IncomeEvent {
                    asset: r.asset,
                    account,
                    tx: i,
                    at,
                    kind,
                    quantity: r.quantity,
                    value: v,
                });
                (LotOrigin::Income(kind), Some(0.0))
            }
        };
        match fee {
            Some(phi) if phi.asset == r.asset && phi.quantity <= r.quantity => {
                // An expense taken from the units received: fewer units, at less cost.
                let f = v.map(|v| v * phi.quantity / r.quantity);
                let net = L {
                    quantity: r.quantity - phi.quantity,
                    ..r
                };
                self.acquire(i, account, net, minus(v, f), origin, at);
                self.movement(i, account, r, 1.0, flow);
                self.movement(i, account, phi, -1.0, Some(0.0));
                self.fee(i, account, phi, f, FeeTreatment::Expense);
            }
            _ => {
                self.acquire(i, account, r, v, origin, at);
                self.movement(i, account, r, 1.0, flow);
                if let Some(phi) = fee {
                    let f = self.value(phi, at.date());
                    self.expensed_fee(i, account, phi, f);
                }
            }
        }
    }

    /// A withdrawal, an unmatched outgoing transfer or a spend.
    fn departure(
        &mut self,
        i: usize,
        account: AccountId,
        g: L,
        fee: Option<L>,
        (contribution, disposal): (ContributionKind, DisposalKind),
    ) {
        let txs = self.txs;
        let tx = &txs[i];
        let v = self.value_of(tx, g);
        self.contribute(i, account, g, neg(v), contribution);
        self.dispose(i, account, g, v, disposal);
        self.movement(i, account, g, -1.0, neg(v));
        if let Some(phi) = fee {
            let f = if phi.asset == g.asset {
                v.map(|v| v * phi.quantity / g.quantity)
            } else {
                self.value(phi, tx.at.date())
            };
            self.expensed_fee(i, account, phi, f);
        }
    }

    fn finish(mut self) -> Book {
        let method = self.options.method;
        let mut pools: Vec<(PoolKey, Pool)> = std::mem::take(&mut self.pools).into_iter().collect();
        pools.sort_by_key(|(k, _)| (k.1, k.0));
        for (_, pool) in pools {
            self.lots_out.extend(pool.into_lots(method));
        }
        self.disposals.sort_by_key(|d| d.disposed);
        Book {
            options: self.options,
            base: self.base,
            assets: self.assets,
            accounts: self.accounts,
            lots: self.lots_out,
            disposals: self.disposals,
            income: self.income,
            fees: self.fees,
            contributions: self.contributions,
            movements: self.movements,
            shortfalls: self.shortfalls,
            issues: self.issues,
            gaps: self.gaps.into_vec(),
        }
    }
}

/// What an arrival is.
#[derive(Clone, Copy)]
enum Arrival {
    Contribution(ContributionKind),
    Income(IncomeKind),
}

/// The received leg's asset of an incoming half.
fn o_received(t: &Transaction) -> Option<(&String, AssetClass)> {
    t.received.as_ref().map(|l| (&l.asset, l.class))
}

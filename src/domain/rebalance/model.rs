//! The planner's vocabulary: what goes in (positions, options, the governance policy) and
//! what comes out (actions, sleeves, days, the plan), and why a plan cannot be made.
//! Plain data; the rules live in [`super::plan`] and [`super::governance`].

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::price_key::PriceKey;
use crate::domain::taxonomy::GroupOrigin;
use crate::domain::valuation::{Pricing, Valuation};

/// The crypto group whose assets count as cash.
pub const STABLECOINS: &str = "Stablecoins";

/// SmartFolio's minimum trade (`MIN_TRADE_USD`), in the base currency.
pub const DEFAULT_MIN_TRADE: f64 = 25.0;

/// One asset at one location, valued in the base currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Canonical symbol.
    pub symbol: String,
    /// The ticker as the file wrote it (`LUNA2`); assets are told apart by it.
    pub alias: String,
    /// Taxonomy group.
    pub group: String,
    /// Asset class.
    pub class: AssetClass,
    /// Exchange, wallet, broker or bank.
    pub location: String,
    /// Value in the base currency (positive).
    pub value: f64,
    /// Unit price in the base currency.
    pub price: Option<f64>,
    /// The symbol is not in the taxonomy (it sits in "Others" until assigned).
    pub unknown: bool,
}

impl Position {
    /// Cash and stablecoins: the settlement side of trades.
    pub fn cash_like(&self) -> bool {
        self.class == AssetClass::Cash || self.group == STABLECOINS
    }
}

/// What was left out when positions were built, so the page can say it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeftOut {
    /// Rows without a value (no price).
    pub unvalued: usize,
    /// Rows with a negative or zero value.
    pub non_positive: usize,
    /// The sum of those values (zero or negative): what the plan's total lacks of the
    /// Holdings total.
    pub non_positive_value: f64,
}

/// Positions of valued rows, with what had to be left out.
pub fn positions(valuation: &Valuation) -> (Vec<Position>, LeftOut) {
    let mut out = Vec::with_capacity(valuation.rows.len());
    let mut left = LeftOut::default();
    for v in &valuation.rows {
        let row = &v.row;
        match v.value {
            None => left.unvalued += 1,
            Some(x) if x <= 0.0 || !x.is_finite() => {
                left.non_positive += 1;
                if x.is_finite() {
                    left.non_positive_value += x;
                }
            }
            Some(value) => out.push(Position {
                symbol: row.holding.symbol.clone(),
                alias: row
                    .holding
                    .alias
                    .clone()
                    .unwrap_or_else(|| row.holding.symbol.clone()),
                group: row.group.clone(),
                class: row.holding.asset_class,
                location: row.holding.location.clone(),
                value,
                price: v.price.filter(|p| *p > 0.0 && p.is_finite()),
                unknown: row.group_origin == GroupOrigin::Unknown,
            }),
        }
    }
    (out, left)
}

/// What a plan is priced in: its base currency, and the live unit prices (in it) of the
/// assets it may buy without holding them, by price key. Held assets are priced by their
/// [`Position`]; this is for the others (BTC for a BTC target when none is held, a stock
/// named in per-asset targets). Built before planning ([`Market::live`]), so the planner
/// stays a function of its inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Market {
    /// Currency of every amount of the plan.
    pub base: Currency,
    /// Unit prices in `base`.
    pub quotes: BTreeMap<PriceKey, f64>,
}

impl Market {
    /// A market that quotes nothing but the base currency itself.
    pub fn new(base: Currency) -> Market {
        Market {
            base,
            quotes: BTreeMap::new(),
        }
    }

    /// Every live price the valuation's book holds (the user's prices first), in its base
    /// currency.
    pub fn live(pricing: &Pricing<'_>) -> Market {
        Market {
            base: pricing.base,
            quotes: pricing.live_prices(),
        }
    }

    /// The unit price of an asset nothing is held of: its quote by key; for a stock or ETF
    /// held nowhere the market is unknown, so a quote under its ticker on one market only;
    /// the base currency is worth 1. `None` when there is no quote, or several listings of
    /// the ticker disagree on which it is.
    pub fn price_of(&self, class: AssetClass, symbol: &str) -> Option<f64> {
        let price = match class {
            AssetClass::Crypto => self.quotes.get(&PriceKey::crypto(symbol)).copied(),
            AssetClass::Stock | AssetClass::Etf => {
                let mut listed = self
                    .quotes
                    .iter()
                    .filter(|(k, _)| matches!(k, PriceKey::Listed { .. }) && k.symbol() == symbol);
                match (listed.next(), listed.next()) {
                    (Some((_, p)), None) => Some(*p),
                    _ => self.quotes.get(&PriceKey::listed(symbol, None)).copied(),
                }
            }
            AssetClass::Cash if Currency::parse(symbol) == Ok(self.base) => Some(1.0),
            AssetClass::Cash | AssetClass::Other => self
                .quotes
                .get(&PriceKey::Other(symbol.to_string()))
                .copied(),
        };
        price.filter(|p| *p > 0.0 && p.is_finite())
    }
}

/// How the plan may trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Mode {
    /// Sell what is over target and buy what is under.
    #[default]
    Full,
    /// Only buy, paying with the cash and stablecoins held above their target.
    BuyOnly,
    /// Only sell what is over target, into cash and stablecoins below their target.
    SellOnly,
    /// Invest a deposit (or raise a withdrawal) as close to target as possible, without
    /// selling (or buying).
    CashFlow,
}

impl Mode {
    /// All modes, in display order.
    pub const ALL: [Mode; 4] = [Mode::Full, Mode::BuyOnly, Mode::SellOnly, Mode::CashFlow];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Full => "Buy and sell",
            Mode::BuyOnly => "Buy only (spend cash)",
            Mode::SellOnly => "Sell only (raise cash)",
            Mode::CashFlow => "Deposit or withdrawal",
        }
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::BuyOnly => "buy-only",
            Mode::SellOnly => "sell-only",
            Mode::CashFlow => "cash-flow",
        }
    }
}

/// Drift bands. A sleeve is outside when its weight differs from its target by more than
/// `abs_pp` points or by more than `rel_pct` % of the target (the "5/25" rule when both are
/// set). Nothing is traded while every sleeve is inside.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Band {
    /// Absolute band, in percentage points.
    pub abs_pp: Option<f64>,
    /// Relative band, in percent of the target.
    pub rel_pct: Option<f64>,
}

impl Band {
    /// The tolerance, as a fraction of the portfolio, for a target given as a fraction.
    /// Without bands, zero.
    pub fn tolerance(&self, target: f64) -> f64 {
        let abs = self.abs_pp.map(|a| a / 100.0);
        let rel = self.rel_pct.map(|r| target * r / 100.0);
        match (abs, rel) {
            (Some(a), Some(r)) => a.min(r),
            (Some(a), None) => a,
            (None, Some(r)) => r,
            (None, None) => 0.0,
        }
    }
}

/// Freeze modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Freeze {
    /// Trading allowed.
    #[default]
    None,
    /// Nothing is traded.
    Full,
    /// Only sells into stablecoins and cash (SmartFolio's `s3_freeze`): no purchases, no rotations.
    SellsToStables,
}

impl Freeze {
    /// All modes, in display order.
    pub const ALL: [Freeze; 3] = [Freeze::None, Freeze::SellsToStables, Freeze::Full];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Freeze::None => "No freeze",
            Freeze::SellsToStables => "Sells to stables only",
            Freeze::Full => "Full freeze",
        }
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Freeze::None => "none",
            Freeze::SellsToStables => "sells-to-stables",
            Freeze::Full => "full",
        }
    }
}

/// Limits on what a plan may trade (SmartFolio §1.8); checked and applied by
/// [`super::governance`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Share of the portfolio that may change hands per day, in percent; sells and buys both
    /// count. `None`: no cap, the whole plan in one day (the default; SmartFolio's is 8 %).
    /// Records written when the cap was always set keep the value they hold.
    pub cap_daily_pct: Option<f64>,
    /// Smallest order, in the base currency (SmartFolio's minimum trade, 25).
    pub min_order: f64,
    /// Largest order, in the base currency; larger actions are split into several orders.
    pub max_order: Option<f64>,
    /// Freeze mode.
    pub freeze: Freeze,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            cap_daily_pct: None,
            min_order: DEFAULT_MIN_TRADE,
            max_order: None,
            freeze: Freeze::None,
        }
    }
}

/// Everything the plan depends on besides positions and targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// How the plan may trade.
    #[serde(default)]
    pub mode: Mode,
    /// Cash-flow mode: deposit (positive) or withdrawal (negative), in the base currency.
    #[serde(default)]
    pub flow: f64,
    /// Drift bands.
    #[serde(default)]
    pub band: Band,
    /// Fee in basis points per location key (see
    /// [`location_key`](super::venues::location_key)); others use
    /// [`default_fee_bps`](super::venues::default_fee_bps).
    #[serde(default)]
    pub fees_bps: BTreeMap<String, f64>,
    /// Governance limits.
    #[serde(default)]
    pub policy: Policy,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            mode: Mode::Full,
            flow: 0.0,
            band: Band::default(),
            fees_bps: BTreeMap::new(),
            policy: Policy::default(),
        }
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// Nothing valued to plan with.
    #[error("There is nothing valued to rebalance: import holdings or fetch prices first.")]
    Empty,
    /// The withdrawal is larger than the portfolio.
    #[error("The withdrawal ({asked:.2}) is larger than the portfolio ({total:.2}).")]
    WithdrawalTooLarge {
        /// Amount asked.
        asked: f64,
        /// Portfolio value.
        total: f64,
    },
    /// A number in the options is not usable.
    #[error("{0}")]
    BadOption(String),
}

/// Sell or buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    /// Reduce a position.
    Sell,
    /// Add to a position.
    Buy,
}

impl Side {
    /// `"sell"` or `"buy"`, as in SmartFolio's CSV.
    pub fn key(self) -> &'static str {
        match self {
            Side::Sell => "sell",
            Side::Buy => "buy",
        }
    }
}

/// One trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Sleeve key.
    pub sleeve: String,
    /// Bucket (crypto group or class): SmartFolio's `group` column.
    pub group: String,
    /// Ticker as held (`alias` column).
    pub alias: String,
    /// Canonical symbol.
    pub symbol: String,
    /// Asset class.
    pub class: AssetClass,
    /// Sell or buy.
    pub side: Side,
    /// Amount in the base currency, positive (see [`Action::signed`]).
    pub amount: f64,
    /// Where to trade.
    pub location: String,
    /// Execution hint ("Sell on Binance", "Buy on Ledger (manual)"…).
    pub exec_hint: String,
    /// Unit price used for the quantity, in the base currency.
    pub price_used: Option<f64>,
    /// Estimated fee in the base currency.
    pub fee: f64,
    /// Fee rate used, in basis points.
    pub fee_bps: f64,
    /// Nothing of this bucket is held: the user must choose the asset to buy.
    pub choose_asset: bool,
    /// Cash or stablecoin leg.
    pub cash_like: bool,
}

impl Action {
    /// The amount as SmartFolio signs it: negative for sells.
    pub fn signed(&self) -> f64 {
        match self.side {
            Side::Sell => -self.amount,
            Side::Buy => self.amount,
        }
    }

    /// Changes the amount, and the fee with it.
    pub fn set_amount(&mut self, amount: f64) {
        self.amount = amount;
        self.fee = amount * self.fee_bps / 10_000.0;
    }

    /// Estimated quantity (`amount / price`), when a price is known.
    pub fn est_quantity(&self) -> Option<f64> {
        self.price_used.map(|p| self.amount / p)
    }
}

/// Where a sleeve stands before and after the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SleeveSummary {
    /// Sleeve key.
    pub key: String,
    /// Bucket.
    pub bucket: String,
    /// Current value.
    pub current: f64,
    /// Current weight in percent.
    pub current_pct: f64,
    /// Target weight in percent.
    pub target_pct: f64,
    /// Target value after the cash flow (`target% · (total + flow)`).
    pub target_value: f64,
    /// Band half-width in percentage points around the target.
    pub band_pp: f64,
    /// Outside its band before the plan.
    pub outside: bool,
    /// Value after the plan.
    pub after: f64,
    /// Weight after the plan in percent.
    pub after_pct: f64,
    /// Cash or stablecoins.
    pub cash_like: bool,
}

/// Why the plan has the actions it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanStatus {
    /// There are trades to make.
    Trades,
    /// Every sleeve is inside its band.
    InsideBands,
    /// The policy is in full freeze.
    Frozen,
    /// Outside the bands, but no trade reaches the minimum size (or nothing funds it).
    NothingToTrade,
}

/// One order of a day: part of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Index of the action in the plan.
    pub action: usize,
    /// Amount in the base currency.
    pub amount: f64,
}

/// One day of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// Day number, from 1.
    pub day: u32,
    /// Orders, sells first.
    pub orders: Vec<Order>,
    /// Sum of the orders.
    pub volume: f64,
}

/// A rebalancing plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Base currency of every amount.
    #[serde(deserialize_with = "stored_currency")]
    pub base: Currency,
    /// Options it was made with.
    pub options: PlanOptions,
    /// Portfolio value before.
    pub total: f64,
    /// Portfolio value after (plus the flow, less fees).
    pub total_after: f64,
    /// Sleeves, largest target first.
    pub sleeves: Vec<SleeveSummary>,
    /// Sells first (by priority), then buys.
    pub actions: Vec<Action>,
    /// Sum of sells.
    pub sells: f64,
    /// Sum of buys.
    pub buys: f64,
    /// Sum of estimated fees.
    pub fees: f64,
    /// Why there are (or are no) actions.
    pub status: PlanStatus,
    /// The plan split into days under the daily cap (one day without a cap).
    pub days: Vec<Day>,
    /// Remarks for the user (actions dropped, scaled, a mode replaced by the freeze…).
    pub notes: Vec<String>,
    /// Aliases not in the taxonomy.
    pub unknown_aliases: Vec<String>,
}

/// A saved plan's base currency: plans were saved with the settings' code, so a text that
/// is no code never was written; should one be met, it reads as `XXX` ("no currency")
/// rather than losing the plan.
fn stored_currency<'de, D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(Currency::parse(&s).unwrap_or(Currency::NONE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Timestamp;
    use crate::domain::prices::fx::FxRates;
    use crate::domain::prices::{PriceOrigin, PricingMode, Provider, Quote};
    use crate::domain::valuation::PriceBook;

    fn quote(key: PriceKey, price: f64, currency: Currency, origin: PriceOrigin) -> Quote {
        Quote {
            key,
            price,
            currency,
            at: Timestamp::from_millis(0),
            change_24h_pct: None,
            origin,
        }
    }

    #[test]
    fn positions_leave_out_unvalued_and_non_positive_rows_and_sum_the_latter() {
        use crate::domain::holding::{Holding, SourceKind};
        use crate::domain::portfolio::PortfolioRow;
        use crate::domain::taxonomy::GroupOrigin;
        use crate::domain::valuation::ValuedRow;
        let row = |symbol: &str, value: Option<f64>| ValuedRow {
            row: PortfolioRow {
                holding: Holding::new(symbol, AssetClass::Crypto, 1.0, Currency::USD, "X"),
                source: SourceKind::Crypto,
                group: "G".into(),
                group_origin: GroupOrigin::Builtin,
                suggestion: None,
                as_of: None,
            },
            value,
            price: value,
            origin: None,
            at: None,
            stale: false,
            deviation_pct: None,
            change_24h_pct: None,
            file_kept_until: None,
        };
        let v = Valuation {
            rows: vec![
                row("BTC", Some(100.0)),
                row("DEBT", Some(-7.84)),
                row("ZERO", Some(0.0)),
                row("ZZZ", None),
            ],
            ..Valuation::empty(Currency::USD)
        };
        let (kept, left) = positions(&v);
        assert_eq!(kept.len(), 1);
        // −7.84 + 0 left out: the plan's total is 7.84 above the Holdings total.
        assert_eq!(
            left,
            LeftOut {
                unvalued: 1,
                non_positive: 2,
                non_positive_value: -7.84
            }
        );
    }

    #[test]
    fn the_market_holds_every_live_price_in_the_base_currency() {
        let eur = Currency::EUR;
        let chf = Currency::parse("CHF").unwrap();
        let provider = PriceOrigin::Provider(Provider::CoinGecko);
        let mut book = PriceBook::default();
        for q in [
            // BTC 50,000 EUR from a provider; ETH 2,000 USD from a provider, but the user
            // typed 2,100 USD, which wins.
            quote(PriceKey::crypto("BTC"), 50_000.0, eur, provider.clone()),
            quote(
                PriceKey::crypto("ETH"),
                2000.0,
                Currency::USD,
                provider.clone(),
            ),
            quote(
                PriceKey::listed("MSFT", Some("XNAS")),
                400.0,
                Currency::USD,
                provider.clone(),
            ),
            // The same ticker on two markets: which one is meant is unknown.
            quote(
                PriceKey::listed("SHOP", Some("XNYS")),
                100.0,
                Currency::USD,
                provider.clone(),
            ),
            quote(
                PriceKey::listed("SHOP", Some("XTSE")),
                137.0,
                Currency::USD,
                provider.clone(),
            ),
            // No rate for CHF: left out rather than shown unconverted.
            quote(PriceKey::crypto("XCH"), 10.0, chf, provider.clone()),
        ] {
            book.quotes.insert(q.key.clone(), q);
        }
        let typed = quote(
            PriceKey::crypto("ETH"),
            2100.0,
            Currency::USD,
            PriceOrigin::Manual,
        );
        book.manual.insert(typed.key.clone(), typed);
        // 1 EUR = 1.25 USD.
        let fx = FxRates {
            base: eur,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            rates: [(Currency::USD, 1.25)].into(),
        };
        let pricing = Pricing {
            book: &book,
            fx: Some(&fx),
            base: Currency::USD,
            mode: PricingMode::Live,
            now: Timestamp::from_millis(0),
        };
        let m = Market::live(&pricing);
        assert_eq!(m.base, Currency::USD);
        assert_eq!(m.price_of(AssetClass::Crypto, "BTC"), Some(62_500.0));
        assert_eq!(m.price_of(AssetClass::Crypto, "ETH"), Some(2100.0));
        assert_eq!(m.price_of(AssetClass::Stock, "MSFT"), Some(400.0));
        assert_eq!(m.price_of(AssetClass::Etf, "MSFT"), Some(400.0));
        assert_eq!(m.price_of(AssetClass::Stock, "SHOP"), None);
        assert_eq!(m.price_of(AssetClass::Crypto, "XCH"), None);
        assert_eq!(m.price_of(AssetClass::Crypto, "SOL"), None);
        assert_eq!(m.price_of(AssetClass::Cash, "USD"), Some(1.0));
        assert_eq!(m.price_of(AssetClass::Cash, "EUR"), None);
        assert_eq!(m.quotes.len(), 5);
    }
}

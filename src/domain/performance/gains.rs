//! Realised and unrealised gains per lot, asset, group, account and the portfolio, with
//! income and fees apart, and the accounting identity they satisfy.
//!
//! # Definitions (all in the base currency)
//! - **Value**: the positions at the end of the ledger at the closes of `as_of`.
//! - **Realised**: Σ over disposals of proceeds − cost.
//! - **Unrealised**: Σ over open lots of value − cost (cash in the base currency: none).
//! - **Income**: Σ of income received, at its market value on the day.
//! - **Fees**: Σ of expensed fees (fees put into a cost or taken from proceeds are already
//!   in realised or unrealised, and are shown apart as `fees_in_cost` and
//!   `fees_from_proceeds`).
//! - **Net contributions**: for the portfolio, external deposits minus withdrawals, each at
//!   its value on its date (`book::Contribution`). For an asset, a group or an account,
//!   the value that entered it net: the flows of its movements (trades into it, deposits,
//!   transfers in at market value, minus the same out).
//!
//! # Identity
//! `value − net contributions = realised + unrealised + income − fees` holds for the
//! portfolio, each asset and each group whenever the ledger is complete (no unknown
//! value, no shortfall left uncovered): every transaction's values balance (see `book`),
//! and these sums add them up. For an account it holds with per-account pools only when
//! no transfer moved lots between accounts at a cost different from their market value;
//! it is not claimed there. [`GainSummary::residual`] is what is left of it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::performance::book::{Book, FeeTreatment};
use crate::domain::performance::lots::{AccountId, AssetId, Lot, Pooling};
use crate::domain::performance::market::{unit_value, Gap, Gaps, Market};
use crate::domain::performance::scope::Grouping;

/// Gains of one part of the portfolio.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GainSummary {
    /// Value of its positions at `as_of`.
    pub value: f64,
    /// Cost of its open lots (cash in the base currency at its amount).
    pub cost: f64,
    /// Proceeds − cost of its disposals.
    pub realised: f64,
    /// Value − cost of its open lots.
    pub unrealised: f64,
    /// Income received.
    pub income: f64,
    /// Fees expensed.
    pub fees: f64,
    /// Fees put into the cost of purchases (informative: already in the gains).
    pub fees_in_cost: f64,
    /// Fees taken from the proceeds of sales and converts (informative: already in the gains).
    pub fees_from_proceeds: f64,
    /// Net contributions (see the module's definitions).
    pub net_contributions: f64,
    /// Items left out of these sums because a value, a cost or a price was unknown.
    pub unknown: usize,
}

impl GainSummary {
    /// Realised + unrealised + income − fees.
    pub fn total_gain(&self) -> f64 {
        self.realised + self.unrealised + self.income - self.fees
    }

    /// `value − net contributions − total gain`: 0 (up to rounding) when the identity holds.
    pub fn residual(&self) -> f64 {
        self.value - self.net_contributions - self.total_gain()
    }
}

/// An open lot valued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotGain {
    /// The lot.
    pub lot: Lot,
    /// Its value at `as_of`.
    pub value: Option<f64>,
    /// Value − cost.
    pub unrealised: Option<f64>,
}

/// Gains at one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gains {
    /// The date positions are valued at.
    pub as_of: NaiveDate,
    /// Every open lot (not cash in the base currency).
    pub lots: Vec<LotGain>,
    /// The whole portfolio.
    pub portfolio: GainSummary,
    /// Per asset.
    pub by_asset: BTreeMap<AssetId, GainSummary>,
    /// Per group.
    pub by_group: BTreeMap<String, GainSummary>,
    /// Per account. With pools per asset, an account's share of an asset's open cost is
    /// in proportion to the units it holds.
    pub by_account: BTreeMap<AccountId, GainSummary>,
    /// Prices missing at `as_of`.
    pub gaps: Vec<Gap>,
}

/// Computes the gains of `book` with positions valued at the closes of `as_of`.
pub fn gains<M: Market + ?Sized>(
    book: &Book,
    market: &M,
    grouping: &Grouping,
    as_of: NaiveDate,
) -> Gains {
    let mut gaps = Gaps::default();
    let units: Vec<Option<f64>> = book
        .assets
        .iter()
        .map(|a| {
            if a.is_base {
                return Some(1.0);
            }
            unit_value(market, &a.symbol, a.class, a.venue.as_deref(), as_of)
                .map_err(|m| gaps.record(m, as_of))
                .ok()
        })
        .collect();
    let group_of = |a: AssetId| grouping.group_of(&book.asset(a).symbol).to_string();
    let mut by_asset: BTreeMap<AssetId, GainSummary> = BTreeMap::new();
    let mut by_account: BTreeMap<AccountId, GainSummary> = BTreeMap::new();
    let mut portfolio = GainSummary::default();

    // Adds `v` to a field of the asset's and the account's summaries (and the
    // portfolio's), or counts it unknown.
    fn add(s: &mut [&mut GainSummary], v: Option<f64>, field: fn(&mut GainSummary) -> &mut f64) {
        for x in s.iter_mut() {
            match v {
                Some(v) => *field(x) += v,
                None => x.unknown += 1,
            }
        }
    }
    macro_rules! at {
        ($asset:expr, $account:expr) => {
            [
                by_asset.entry($asset).or_default(),
                by_account.entry($account).or_default(),
                &mut portfolio,
            ]
        };
    }

    for d in &book.disposals {
        add(&mut at!(d.asset, d.account), d.gain(), |s| &mut s.realised);
    }
    for i in &book.income {
        add(&mut at!(i.asset, i.account), i.value, |s| &mut s.income);
    }
    for f in &book.fees {
        let field: fn(&mut GainSummary) -> &mut f64 = match f.treatment {
            FeeTreatment::Expense => |s| &mut s.fees,
            FeeTreatment::InCost => |s| &mut s.fees_in_cost,
            FeeTreatment::FromProceeds => |s| &mut s.fees_from_proceeds,
        };
        add(&mut at!(f.asset, f.account), f.value, field);
    }
    for m in &book.movements {
        let [a, c, _] = at!(m.asset, m.account);
        add(&mut [a, c], m.flow, |s| &mut s.net_contributions);
    }
    let (net, unknown) = book.net_contributions(None);
    portfolio.net_contributions = net;
    portfolio.unknown += unknown;

    // Positions: value, and cash in the base currency at cost.
    let positions = book.positions();
    let mut held: HashMap<AssetId, f64> = HashMap::new();
    for p in &positions {
        *held.entry(p.asset).or_default() += p.quantity;
        let value = units[p.asset.0 as usize].map(|u| u * p.quantity);
        let base = book.asset(p.asset).is_base;
        let [a, c, t] = at!(p.asset, p.account);
        add(&mut [a, c, t], value, |s| &mut s.value);
        if base {
            let [a, c, t] = at!(p.asset, p.account);
            add(&mut [a, c, t], value, |s| &mut s.cost);
        }
    }

    // Open lots: cost and unrealised, per asset and portfolio; per account by the lot's
    // account (per-account pools) or by units held (pooled).
    let mut lots = Vec::with_capacity(book.lots.len());
    let mut open: HashMap<AssetId, (f64, f64, usize)> = HashMap::new();
    for lot in &book.lots {
        let value = units[lot.asset.0 as usize].map(|u| u * lot.quantity);
        let unrealised = value.and_then(|v| lot.cost.map(|c| v - c));
        let [a, t] = [by_asset.entry(lot.asset).or_default(), &mut portfolio];
        add(&mut [a, t], lot.cost, |s| &mut s.cost);
        let [a, t] = [by_asset.entry(lot.asset).or_default(), &mut portfolio];
        add(&mut [a, t], unrealised, |s| &mut s.unrealised);
        match book.options.pooling {
            Pooling::PerAccount => {
                let c = by_account.entry(lot.account).or_default();
                add(&mut [c], lot.cost, |s| &mut s.cost);
                let c = by_account.entry(lot.account).or_default();
                add(&mut [c], unrealised, |s| &mut s.unrealised);
            }
            Pooling::PerAsset => {
                let e = open.entry(lot.asset).or_default();
                match lot.cost {
                    Some(c) => e.0 += c,
                    None => e.2 += 1,
                }
                e.1 += lot.quantity;
            }
        }
        lots.push(LotGain {
            lot: lot.clone(),
            value,
            unrealised,
        });
    }
    if book.options.pooling == Pooling::PerAsset {
        for p in &positions {
            let Some(&(cost, quantity, unknown)) = open.get(&p.asset) else {
                continue;
            };
            let c = by_account.entry(p.account).or_default();
            if unknown > 0 || quantity <= 0.0 {
                c.unknown += 1;
                continue;
            }
            let share = cost * p.quantity / quantity;
            c.cost += share;
            match units[p.asset.0 as usize] {
                Some(u) => c.unrealised += u * p.quantity - share,
                None => c.unknown += 1,
            }
        }
    }

    let mut by_group: BTreeMap<String, GainSummary> = BTreeMap::new();
    for (asset, s) in &by_asset {
        let g = by_group.entry(group_of(*asset)).or_default();
        g.value += s.value;
        g.cost += s.cost;
        g.realised += s.realised;
        g.unrealised += s.unrealised;
        g.income += s.income;
        g.fees += s.fees;
        g.fees_in_cost += s.fees_in_cost;
        g.fees_from_proceeds += s.fees_from_proceeds;
        g.net_contributions += s.net_contributions;
        g.unknown += s.unknown;
    }
    Gains {
        as_of,
        lots,
        portfolio,
        by_asset,
        by_group,
        by_account,
        gaps: gaps.into_vec(),
    }
}

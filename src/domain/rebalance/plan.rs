//! The planner: from valued positions and targets to the sells and buys that bring the
//! portfolio back to target, per asset and per location.
//!
//! Baseline: SmartFolio's `plan_rebalance` (seed-systems §1.2). Sleeve deltas are
//! `target% · total − current`; a sell is split across the sleeve's assets in proportion to
//! what is held and taken from each asset's locations in priority order (exchanges first,
//! cold storage last, then larger holdings first), passing over a location that holds less
//! than the minimum trade; a buy goes to the best location where the asset is already held,
//! else the best one holding its class, priced from the [`Market`] when the asset is held
//! nowhere. Beyond it: drift bands, buy-only, sell-only and cash-flow modes, fees per venue,
//! and a plan that balances exactly (sells net of fees, plus the deposit, pay for buys and
//! their fees).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::rebalance::governance::{governed_mode, split_days};
use crate::domain::rebalance::model::{
    Action, Freeze, Market, Mode, Plan, PlanError, PlanOptions, PlanStatus, Position, Side,
    SleeveSummary, STABLECOINS,
};
use crate::domain::rebalance::targets::{Bucket, FlatTargets};
use crate::domain::rebalance::venues::{
    default_fee_bps, hint, is_broker_key, location_key, normalize_location, priority_of_key,
    DEFAULT_PRIORITY,
};

/// Amounts below this are treated as zero (a thousandth of a cent).
const EPS: f64 = 1e-5;

struct Sleeve {
    key: String,
    bucket: Bucket,
    asset: Option<String>,
    target: f64,
    positions: Vec<usize>,
    current: f64,
    cash_like: bool,
}

/// Water-filling: takes `amount` from `demands` (each ≥ 0), levelling the largest first:
/// `x_i = max(0, d_i − μ)` with `Σ x_i = amount`. This minimises the sum of squared gaps
/// left. An amount above the total demand fills every demand.
pub fn water_fill(demands: &[f64], amount: f64) -> Vec<f64> {
    let total: f64 = demands.iter().filter(|d| **d > 0.0).sum();
    if amount <= 0.0 || total <= 0.0 {
        return vec![0.0; demands.len()];
    }
    if amount >= total {
        return demands.iter().map(|d| d.max(0.0)).collect();
    }
    let mut sorted: Vec<f64> = demands.iter().copied().filter(|d| *d > 0.0).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    // Find μ: with the k largest above μ, Σ_{i<k} (d_i − μ) = amount.
    let mut prefix = 0.0;
    let mut mu = 0.0;
    for (k, d) in sorted.iter().enumerate() {
        prefix += d;
        let m = (prefix - amount) / (k + 1) as f64;
        let next = sorted.get(k + 1).copied().unwrap_or(0.0);
        if m >= next {
            mu = m;
            break;
        }
    }
    demands.iter().map(|d| (d - mu).max(0.0)).collect()
}

/// Splits `total` across `weights` in proportion (equally when they sum to zero).
pub fn allocate_proportional(total: f64, weights: &[f64]) -> Vec<f64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum <= 0.0 {
        return vec![total / weights.len() as f64; weights.len()];
    }
    weights.iter().map(|w| total * w / sum).collect()
}

/// A position with its location's key and sell priority, computed once.
struct Placed<'a> {
    p: &'a Position,
    /// Value after merging duplicate rows.
    value: f64,
    /// Price (the first known among merged rows).
    price: Option<f64>,
    key: String,
    priority: u32,
    /// Normalised display name.
    place: String,
    broker: bool,
}

/// Sell order between two positions: priority, then larger holdings, then name.
fn by_priority(a: &Placed, b: &Placed) -> Ordering {
    a.priority
        .cmp(&b.priority)
        .then(b.value.total_cmp(&a.value))
        .then_with(|| a.key.cmp(&b.key))
}

/// Sorts and merges positions so the plan does not depend on the order of input rows.
fn canonical(positions: &[Position]) -> Vec<Placed<'_>> {
    type Keyed<'a> = (String, &'a Position);
    let same = |a: &Keyed, b: &Keyed| {
        (&a.1.alias, &a.1.symbol, a.1.class, &a.0, &a.1.group).cmp(&(
            &b.1.alias,
            &b.1.symbol,
            b.1.class,
            &b.0,
            &b.1.group,
        ))
    };
    let mut keyed: Vec<Keyed> = positions
        .iter()
        .map(|p| (location_key(&p.location), p))
        .collect();
    keyed.sort_by(|a, b| {
        same(a, b)
            .then(a.1.value.total_cmp(&b.1.value))
            .then_with(|| a.1.location.cmp(&b.1.location))
    });
    let mut out: Vec<Placed> = Vec::with_capacity(keyed.len());
    let mut previous: Option<&Keyed> = None;
    for k in &keyed {
        match (previous, out.last_mut()) {
            (Some(prev), Some(last)) if same(prev, k) == Ordering::Equal => {
                last.value += k.1.value;
                if last.price.is_none() {
                    last.price = k.1.price;
                }
            }
            _ => out.push(Placed {
                p: k.1,
                value: k.1.value,
                price: k.1.price,
                key: k.0.clone(),
                priority: priority_of_key(&k.0),
                place: normalize_location(&k.1.location),
                broker: is_broker_key(&k.0),
            }),
        }
        previous = Some(k);
    }
    out
}

/// The asset bought for a sleeve nothing of which is held, and whether the user must pick.
fn default_asset(bucket: &Bucket, base: Currency) -> (String, bool) {
    match bucket {
        Bucket::Group(g) if matches!(g.as_str(), "BTC" | "ETH" | "SOL") => (g.clone(), false),
        Bucket::Group(g) if g == STABLECOINS => ("USDC".to_string(), false),
        Bucket::Class(AssetClass::Cash) => (base.to_string(), false),
        Bucket::Class(AssetClass::Crypto) => ("BTC".to_string(), false),
        _ => (bucket.to_string(), true),
    }
}

struct Builder<'a> {
    positions: &'a [Placed<'a>],
    opts: &'a PlanOptions,
    market: &'a Market,
    min: f64,
}

impl Builder<'_> {
    fn action(
        &self,
        s: &Sleeve,
        placed: Option<&Placed>,
        alias: &str,
        side: Side,
        amount: f64,
    ) -> Action {
        let sell = side == Side::Sell;
        let (location, symbol, class, price, cash) = match placed {
            Some(x) => (
                x.p.location.clone(),
                x.p.symbol.clone(),
                x.p.class,
                x.price,
                x.p.cash_like(),
            ),
            None => (
                String::new(),
                alias.to_string(),
                AssetClass::Crypto,
                None,
                s.cash_like,
            ),
        };
        let fee_bps = match placed {
            Some(x) if !cash => self
                .opts
                .fees_bps
                .get(&x.key)
                .copied()
                .unwrap_or_else(|| default_fee_bps(&x.key)),
            _ => 0.0,
        };
        let exec_hint = match placed {
            Some(x) => hint(
                sell,
                &x.place,
                x.priority,
                x.broker,
                class == AssetClass::Cash,
            ),
            None => format!("{} (choose where)", if sell { "Sell" } else { "Buy" }),
        };
        Action {
            sleeve: s.key.clone(),
            group: s.bucket.to_string(),
            alias: alias.to_string(),
            symbol,
            class,
            side,
            amount,
            location,
            exec_hint,
            price_used: price,
            fee: amount * fee_bps / 10_000.0,
            fee_bps,
            choose_asset: false,
            cash_like: cash,
        }
    }

    /// Sells `amount` from a sleeve: across its assets in proportion to their value, each
    /// from its locations in priority order. A location holding less than the minimum trade
    /// is passed over and its part taken from the next one (as SmartFolio skips slices under
    /// the minimum and goes on); a last slice under the minimum takes the minimum, the slice
    /// before giving up the difference. Returns how many assets could not sell their whole
    /// share in trades of at least the minimum.
    fn sells(&self, s: &Sleeve, amount: f64, out: &mut Vec<Action>) -> usize {
        let mut assets: BTreeMap<&str, Vec<&Placed>> = BTreeMap::new();
        for &i in &s.positions {
            let p = &self.positions[i];
            assets.entry(p.p.alias.as_str()).or_default().push(p);
        }
        let weights: Vec<f64> = assets
            .values()
            .map(|ps| ps.iter().map(|p| p.value).sum())
            .collect();
        let shares = allocate_proportional(amount, &weights);
        let mut left_out = 0;
        for ((alias, mut places), share) in assets.into_iter().zip(shares) {
            places.sort_by(|a, b| by_priority(a, b));
            let mut left = share;
            let mut previous: Option<usize> = None;
            for p in places {
                if left <= EPS {
                    break;
                }
                if p.value < self.min {
                    continue;
                }
                if left < self.min {
                    let need = self.min - left;
                    if let Some(before) = previous.filter(|&i| out[i].amount - need >= self.min) {
                        let reduced = out[before].amount - need;
                        out[before].set_amount(reduced);
                        out.push(self.action(s, Some(p), alias, Side::Sell, self.min));
                        left = 0.0;
                    }
                    break;
                }
                let slice = left.min(p.value);
                left -= slice;
                previous = Some(out.len());
                out.push(self.action(s, Some(p), alias, Side::Sell, slice));
            }
            if left > EPS {
                left_out += 1;
            }
        }
        left_out
    }

    /// Buys `amount` into a sleeve: its pinned asset, else the held assets in proportion to
    /// their value, else the bucket's default asset; each at the best location holding it
    /// (see [`Builder::unheld_buy`] for an asset held nowhere).
    fn buys(&self, s: &Sleeve, amount: f64, out: &mut Vec<Action>) {
        let held: Vec<&Placed> = s.positions.iter().map(|&i| &self.positions[i]).collect();
        let best_of = |alias: &str| -> Option<&Placed> {
            held.iter()
                .copied()
                .filter(|p| p.p.alias == alias)
                .min_by(|a, b| by_priority(a, b))
        };
        let mut targets: Vec<(String, f64)> = Vec::new();
        match &s.asset {
            Some(a) => targets.push((a.clone(), 1.0)),
            None => {
                let mut values: BTreeMap<&str, f64> = BTreeMap::new();
                for p in &held {
                    *values.entry(p.p.alias.as_str()).or_default() += p.value;
                }
                targets.extend(values.into_iter().map(|(a, v)| (a.to_string(), v)));
            }
        }
        if targets.is_empty() {
            let (asset, choose) = default_asset(&s.bucket, self.market.base);
            out.push(self.unheld_buy(s, &asset, amount, choose));
            return;
        }
        let weights: Vec<f64> = targets.iter().map(|t| t.1).collect();
        for ((alias, _), share) in targets.iter().zip(allocate_proportional(amount, &weights)) {
            out.push(match best_of(alias) {
                Some(place) => self.action(s, Some(place), alias, Side::Buy, share),
                None => self.unheld_buy(s, alias, share, false),
            });
        }
    }

    /// A buy of an asset held nowhere: of the bucket's class, at the best location holding
    /// that class on the same side (cash or not), priced from the market's quotes when they
    /// have the asset. `choose`: the asset is a placeholder the user must pick.
    fn unheld_buy(&self, s: &Sleeve, asset: &str, amount: f64, choose: bool) -> Action {
        let class = s.bucket.class();
        let place = self
            .positions
            .iter()
            .filter(|p| p.p.class == class && p.p.cash_like() == s.cash_like)
            .min_by(|a, b| by_priority(a, b));
        let mut a = self.action(s, place, asset, Side::Buy, amount);
        a.symbol = asset.to_string();
        a.class = class;
        a.price_used = if choose {
            None
        } else {
            self.market.price_of(class, asset)
        };
        a.choose_asset = choose;
        a
    }
}

/// Net cash of a set of actions: sells less their fees, less buys and their fees.
fn net_cash(actions: &[Action]) -> (f64, f64) {
    let mut sells_net = 0.0;
    let mut buys_gross = 0.0;
    for a in actions {
        match a.side {
            Side::Sell => sells_net += a.amount - a.fee,
            Side::Buy => buys_gross += a.amount + a.fee,
        }
    }
    (sells_net, buys_gross)
}

fn scale(actions: &mut [Action], side: Side, k: f64) {
    for a in actions.iter_mut().filter(|a| a.side == side) {
        a.set_amount(a.amount * k);
    }
}

/// Drops actions under the minimum, then scales the larger side down so that
/// `sells − sell fees + flow = buys + buy fees`; repeats while scaling pushes actions
/// under the minimum. Returns how many actions were dropped.
fn balance(actions: &mut Vec<Action>, flow: f64, min: f64) -> usize {
    let mut dropped = 0;
    loop {
        let before = actions.len();
        actions.retain(|a| a.amount >= min.max(EPS));
        dropped += before - actions.len();
        let (sells_net, buys_gross) = net_cash(actions);
        let supply = sells_net + flow;
        if buys_gross > supply + EPS {
            let k = if buys_gross > 0.0 {
                (supply / buys_gross).max(0.0)
            } else {
                0.0
            };
            scale(actions, Side::Buy, k);
        } else if buys_gross < supply - EPS && sells_net > 0.0 {
            let k = ((buys_gross - flow) / sells_net).clamp(0.0, 1.0);
            scale(actions, Side::Sell, k);
        }
        if actions.iter().all(|a| a.amount >= min.max(EPS)) {
            return dropped;
        }
    }
}

/// The sleeves: every target, plus every sleeve something is held in; largest target
/// first, then by key.
fn sleeves(positions: &[Placed], targets: &FlatTargets) -> Vec<Sleeve> {
    let mut sleeves: Vec<Sleeve> = targets
        .sleeves
        .iter()
        .map(|t| Sleeve {
            key: t.key.clone(),
            bucket: t.bucket.clone(),
            asset: t.asset.clone(),
            target: t.pct / 100.0,
            positions: Vec::new(),
            current: 0.0,
            cash_like: t.bucket.cash_like(),
        })
        .collect();
    for (i, Placed { p, value, .. }) in positions.iter().enumerate() {
        let (key, bucket, asset) = targets.sleeve_of(p.class, &p.group, &p.alias);
        let idx = match sleeves.iter().position(|s| s.key == key) {
            Some(idx) => idx,
            None => {
                sleeves.push(Sleeve {
                    cash_like: bucket.cash_like(),
                    key,
                    bucket,
                    asset,
                    target: 0.0,
                    positions: Vec::new(),
                    current: 0.0,
                });
                sleeves.len() - 1
            }
        };
        sleeves[idx].positions.push(i);
        sleeves[idx].current += value;
    }
    sleeves.sort_by(|a, b| {
        b.target
            .total_cmp(&a.target)
            .then_with(|| a.key.cmp(&b.key))
    });
    sleeves
}

/// The actions of a deposit (`flow` > 0) or withdrawal: the amount water-filled over the
/// sleeves' gaps to target after the flow, raised until the trades kept (at least the
/// minimum) move the whole flow net of fees, then balanced. Returns the actions and how
/// many trades were left out under the minimum.
fn cash_flow(
    builder: &Builder,
    sleeves: &[Sleeve],
    total: f64,
    flow: f64,
    notes: &mut Vec<String>,
) -> (Vec<Action>, usize) {
    let min = builder.min;
    let mut actions: Vec<Action> = Vec::new();
    let deposit = flow > 0.0;
    let goal = flow.abs();
    let capacity = if deposit { f64::INFINITY } else { total };
    let mut amount = goal;
    let mut left_out = 0;
    for _ in 0..32 {
        let new_total = total + if deposit { amount } else { -amount };
        let demands: Vec<f64> = sleeves
            .iter()
            .map(|s| {
                let gap = s.target * new_total - s.current;
                if deposit {
                    gap.max(0.0)
                } else {
                    (-gap).max(0.0)
                }
            })
            .collect();
        actions.clear();
        left_out = 0;
        for (s, x) in sleeves.iter().zip(water_fill(&demands, amount)) {
            if x > EPS {
                if deposit {
                    builder.buys(s, x, &mut actions);
                } else {
                    left_out += builder.sells(s, x, &mut actions);
                }
            }
        }
        actions.retain(|a| a.amount >= min.max(EPS));
        let (sells_net, buys_gross) = net_cash(&actions);
        let moved = if deposit { buys_gross } else { sells_net };
        if (moved - goal).abs() <= EPS || amount >= capacity {
            break;
        }
        amount = (amount + goal - moved).min(capacity);
    }
    let dropped = left_out + balance(&mut actions, flow, min);
    let (sells_net, buys_gross) = net_cash(&actions);
    let moved = if deposit { buys_gross } else { sells_net };
    if moved + 0.005 < goal {
        notes.push(format!(
            "Only {moved:.2} of the {goal:.2} {} could be placed in trades of at least {min:.2}.",
            if deposit { "deposit" } else { "withdrawal" }
        ));
    }
    (actions, dropped)
}

/// How much to sell and buy per sleeve in the other modes: every gap to target (full), or
/// the cash and stablecoin sleeves on one side and the others on the opposite side,
/// water-filled up to the smaller of the two totals (buy-only spends cash above target on
/// the largest deficits; sell-only raises cash from the largest excesses).
fn sell_and_buy(mode: Mode, sleeves: &[Sleeve], total: f64) -> (Vec<f64>, Vec<f64>) {
    let gaps: Vec<f64> = sleeves
        .iter()
        .map(|s| s.target * total - s.current)
        .collect();
    if !matches!(mode, Mode::BuyOnly | Mode::SellOnly) {
        let sell = gaps.iter().map(|g| (-g).max(0.0)).collect();
        let buy = gaps.iter().map(|g| g.max(0.0)).collect();
        return (sell, buy);
    }
    let buy_only = mode == Mode::BuyOnly;
    let want = |i: usize, cash: bool| -> f64 {
        if sleeves[i].cash_like != cash {
            return 0.0;
        }
        // Buy-only: cash excess funds risk deficits; sell-only: risk excess fills cash
        // deficits.
        if buy_only == cash {
            (-gaps[i]).max(0.0)
        } else {
            gaps[i].max(0.0)
        }
    };
    let cash_side: Vec<f64> = (0..sleeves.len()).map(|i| want(i, true)).collect();
    let risk_side: Vec<f64> = (0..sleeves.len()).map(|i| want(i, false)).collect();
    let amount = cash_side.iter().sum::<f64>().min(risk_side.iter().sum());
    let cash = water_fill(&cash_side, amount);
    let risk = water_fill(&risk_side, amount);
    if buy_only {
        (cash, risk)
    } else {
        (risk, cash)
    }
}

/// Sells first, then by location priority, larger first (amounts are positive, so their
/// bit patterns order like the numbers).
fn sort_actions(actions: &mut [Action], positions: &[Placed]) {
    let ranks: HashMap<&str, u32> = positions
        .iter()
        .map(|p| (p.p.location.as_str(), p.priority))
        .collect();
    actions.sort_by_cached_key(|a| {
        (
            a.side,
            ranks
                .get(a.location.as_str())
                .copied()
                .unwrap_or(DEFAULT_PRIORITY),
            std::cmp::Reverse(a.amount.to_bits()),
            a.alias.clone(),
            a.location.clone(),
        )
    });
}

/// Makes the plan, in the market's base currency; buys of assets held nowhere are priced
/// from its quotes. Positions may come in any order and may repeat an asset and location
/// (they are merged); the plan is the same.
pub fn plan(
    positions: &[Position],
    targets: &FlatTargets,
    opts: &PlanOptions,
    market: &Market,
) -> Result<Plan, PlanError> {
    let policy = &opts.policy;
    policy.check().map_err(PlanError::BadOption)?;
    if !opts.flow.is_finite() {
        return Err(PlanError::BadOption(
            "The deposit or withdrawal is not a number.".into(),
        ));
    }
    let positions = canonical(positions);
    let total: f64 = positions.iter().map(|p| p.value).sum();
    if positions.is_empty() || total <= 0.0 {
        return Err(PlanError::Empty);
    }
    let mut notes = Vec::new();
    let (mode, note) = governed_mode(policy, opts.mode);
    notes.extend(note);
    let flow = if mode == Mode::CashFlow {
        opts.flow
    } else {
        0.0
    };
    if -flow > total {
        return Err(PlanError::WithdrawalTooLarge {
            asked: -flow,
            total,
        });
    }

    let sleeves = sleeves(&positions, targets);
    let tolerance: Vec<f64> = sleeves
        .iter()
        .map(|s| opts.band.tolerance(s.target))
        .collect();
    let outside: Vec<bool> = sleeves
        .iter()
        .zip(&tolerance)
        .map(|(s, tol)| (s.current / total - s.target).abs() > tol + 1e-12)
        .collect();

    let min = policy.min_order;
    let builder = Builder {
        positions: &positions,
        opts,
        market,
        min,
    };
    let mut actions: Vec<Action> = Vec::new();
    let mut status = PlanStatus::Trades;
    let mut dropped = 0;
    if policy.freeze == Freeze::Full {
        status = PlanStatus::Frozen;
        notes.push("The policy is in full freeze: no trades.".to_string());
    } else if mode != Mode::CashFlow && !outside.iter().any(|o| *o) {
        status = PlanStatus::InsideBands;
    } else if mode == Mode::CashFlow {
        if flow.abs() > EPS {
            (actions, dropped) = cash_flow(&builder, &sleeves, total, flow, &mut notes);
        }
    } else {
        let (sell_x, buy_x) = sell_and_buy(mode, &sleeves, total);
        for (s, x) in sleeves.iter().zip(&sell_x) {
            if *x > EPS {
                dropped += builder.sells(s, *x, &mut actions);
            }
        }
        for (s, x) in sleeves.iter().zip(&buy_x) {
            if *x > EPS {
                builder.buys(s, *x, &mut actions);
            }
        }
        dropped += balance(&mut actions, 0.0, min);
    }
    if dropped > 0 {
        notes.push(format!(
            "{dropped} trade(s) under the minimum of {min:.2} were left out; the other side was reduced to match."
        ));
    }
    if actions.is_empty() && status == PlanStatus::Trades {
        status = PlanStatus::NothingToTrade;
    }
    sort_actions(&mut actions, &positions);

    let fees: f64 = actions.iter().map(|a| a.fee).sum();
    let sells: f64 = actions
        .iter()
        .filter(|a| a.side == Side::Sell)
        .map(|a| a.amount)
        .sum();
    let buys: f64 = actions
        .iter()
        .filter(|a| a.side == Side::Buy)
        .map(|a| a.amount)
        .sum();
    let total_after = total + flow - fees;
    let new_total = total + flow;
    let summaries = sleeves
        .iter()
        .zip(&tolerance)
        .zip(&outside)
        .map(|((s, tol), out)| {
            let after = s.current
                + actions
                    .iter()
                    .filter(|a| a.sleeve == s.key)
                    .map(Action::signed)
                    .sum::<f64>();
            SleeveSummary {
                key: s.key.clone(),
                bucket: s.bucket.to_string(),
                current: s.current,
                current_pct: 100.0 * s.current / total,
                target_pct: 100.0 * s.target,
                target_value: s.target * new_total,
                band_pp: 100.0 * tol,
                outside: *out,
                after,
                after_pct: if total_after > 0.0 {
                    100.0 * after / total_after
                } else {
                    0.0
                },
                cash_like: s.cash_like,
            }
        })
        .collect();
    let mut unknown_aliases: Vec<String> = positions
        .iter()
        .filter(|p| p.p.unknown)
        .map(|p| p.p.alias.clone())
        .collect();
    unknown_aliases.sort();
    unknown_aliases.dedup();
    let days = split_days(&actions, total, policy)?;
    Ok(Plan {
        base: market.base,
        options: opts.clone(),
        total,
        total_after,
        sleeves: summaries,
        actions,
        sells,
        buys,
        fees,
        status,
        days,
        notes,
        unknown_aliases,
    })
}

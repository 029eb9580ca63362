//! Daily valuations and flows of every scope (the portfolio, each group, each account,
//! each asset), and their chained time-weighted index.
//!
//! Day 0 is the day before the ledger's first movement (value 0); the last day is the
//! valuation date. A position's value on a day is its units at the end of the day times
//! that day's close in the base currency (the last close up to the market's maximum age;
//! see `market`). A scope's flows on a day are, for each transaction (or transfer pair),
//! the sum of its movements' flows inside the scope, added to the day's inflows when
//! positive and outflows when negative; a trade between two assets of one scope cancels
//! out. A value or flow that is unknown makes the scope's day unknown (see `twr`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{days_after, days_before, days_between};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::performance::book::Book;
use crate::domain::performance::lots::{AccountId, AssetId, REL};
use crate::domain::performance::market::{price_key_of, Gap, Gaps, Market, Missing};
use crate::domain::performance::scope::{Grouping, Scope};
use crate::domain::performance::twr::{twr_index, TwrIndex};
use crate::domain::price_key::PriceKey;

/// A position: an asset in an account.
type PositionKey = (AssetId, AccountId);

/// One scope's days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeSeries {
    /// What it covers.
    pub scope: Scope,
    /// End-of-day values (`NaN` when unknown).
    pub values: Vec<f64>,
    /// Value that came in from outside the scope each day (≥ 0; `NaN` when unknown).
    pub inflows: Vec<f64>,
    /// Value that went out of the scope each day (≥ 0; `NaN` when unknown).
    pub outflows: Vec<f64>,
    /// The chained time-weighted index.
    pub twr: TwrIndex,
    /// The first day with a value or a flow.
    pub first_day: Option<usize>,
}

/// Every scope's days over one range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Day 0.
    pub start: NaiveDate,
    /// Number of days, day 0 included.
    pub days: usize,
    /// The portfolio first, then groups, accounts and assets.
    pub scopes: Vec<ScopeSeries>,
    /// Prices and rates missing on days a position needed them.
    pub gaps: Vec<Gap>,
    /// Movements after the last day, left out.
    pub later_movements: usize,
}

impl Timeline {
    /// The date of day `day`.
    pub fn date(&self, day: usize) -> NaiveDate {
        days_after(self.start, u32::try_from(day).unwrap_or(u32::MAX))
    }

    /// The day of `date`, when it is inside the range.
    pub fn day_of(&self, date: NaiveDate) -> Option<usize> {
        let d = days_between(self.start, date);
        (0..self.days as i64).contains(&d).then_some(d as usize)
    }

    /// The last day.
    pub fn last_day(&self) -> usize {
        self.days.saturating_sub(1)
    }

    /// The series of a scope.
    pub fn series(&self, scope: &Scope) -> Option<&ScopeSeries> {
        self.scopes.iter().find(|s| &s.scope == scope)
    }
}

/// Per-scope accumulators while building.
struct Acc {
    values: Vec<f64>,
    inflows: Vec<f64>,
    outflows: Vec<f64>,
}

impl Acc {
    fn new(days: usize) -> Acc {
        Acc {
            values: vec![0.0; days],
            inflows: vec![0.0; days],
            outflows: vec![0.0; days],
        }
    }
}

/// Unit values of an asset in the base currency for every day of the range.
fn unit_values<M: Market + ?Sized>(
    market: &M,
    symbol: &str,
    class: AssetClass,
    venue: Option<&str>,
    is_base: bool,
    start: NaiveDate,
    days: usize,
) -> Vec<Option<f64>> {
    if is_base {
        return vec![Some(1.0); days];
    }
    match price_key_of(symbol, class, venue) {
        None => match Currency::parse(symbol) {
            Ok(c) => market.fx_series(c, start, days),
            Err(_) => vec![None; days],
        },
        Some(key) => {
            let mut v = market.base_closes(&key, start, days);
            if let PriceKey::Listed {
                symbol,
                venue: Some(_),
            } = &key
            {
                if v.iter().any(Option::is_none) {
                    let plain = market.base_closes(&PriceKey::listed(symbol, None), start, days);
                    for (a, b) in v.iter_mut().zip(plain) {
                        *a = a.or(b);
                    }
                }
            }
            v
        }
    }
}

/// What was missing for an asset on a day without a unit value.
fn missing_of<M: Market + ?Sized>(
    market: &M,
    symbol: &str,
    class: AssetClass,
    venue: Option<&str>,
    date: NaiveDate,
) -> Missing {
    match price_key_of(symbol, class, venue) {
        None => match Currency::parse(symbol) {
            Ok(c) => Missing::Fx(c),
            Err(_) => Missing::NotACurrency(symbol.to_string()),
        },
        Some(key) => match market.close(&key, date) {
            Some(m) => Missing::Fx(m.currency),
            None => Missing::Price(key),
        },
    }
}

/// The daily valuations and flows of every scope from the book's first movement to
/// `until` (see the module documentation).
pub fn timeline<M: Market + ?Sized>(
    book: &Book,
    market: &M,
    grouping: &Grouping,
    until: NaiveDate,
) -> Timeline {
    let first = book.movements.iter().map(|m| m.at.date()).min();
    let start = days_before(first.unwrap_or(until).min(until), 1);
    let days = (days_between(start, until) + 1).max(1) as usize;
    let day_of = |date: NaiveDate| -> Option<usize> {
        let d = days_between(start, date);
        (d < days as i64).then_some(d.max(0) as usize)
    };

    // Scopes: portfolio, groups, accounts, assets.
    let mut group_names: Vec<String> = book
        .assets
        .iter()
        .map(|a| grouping.group_of(&a.symbol).to_string())
        .collect();
    let asset_group_names = group_names.clone();
    group_names.sort();
    group_names.dedup();
    let mut scopes: Vec<Scope> = vec![Scope::Portfolio];
    scopes.extend(group_names.iter().cloned().map(Scope::Group));
    let account_base = scopes.len();
    scopes.extend((0..book.accounts.len()).map(|i| Scope::Account(AccountId(i as u32))));
    let asset_base = scopes.len();
    scopes.extend((0..book.assets.len()).map(|i| Scope::Asset(AssetId(i as u32))));
    let group_of: Vec<usize> = asset_group_names
        .iter()
        .map(|g| 1 + group_names.binary_search(g).unwrap_or(0))
        .collect();
    let mut acc: Vec<Acc> = (0..scopes.len()).map(|_| Acc::new(days)).collect();

    // Units of each position by day.
    let mut changes: HashMap<(AssetId, AccountId), Vec<(usize, f64)>> = HashMap::new();
    let mut later = 0;
    for m in &book.movements {
        match day_of(m.at.date()) {
            Some(d) => changes
                .entry((m.asset, m.account))
                .or_default()
                .push((d, m.quantity)),
            None => later += 1,
        }
    }
    let mut positions: Vec<(PositionKey, Vec<(usize, f64)>)> = changes.into_iter().collect();
    positions.sort_by_key(|(k, _)| *k);

    let mut gaps = Gaps::default();
    let mut i = 0;
    while i < positions.len() {
        let asset = positions[i].0 .0;
        let info = book.asset(asset);
        let units = unit_values(
            market,
            &info.symbol,
            info.class,
            info.venue.as_deref(),
            info.is_base,
            start,
            days,
        );
        let mut gap_seen = vec![false; days];
        let asset_scope = asset_base + asset.0 as usize;
        while i < positions.len() && positions[i].0 .0 == asset {
            let ((_, account), changes) = &positions[i];
            let account_scope = account_base + account.0 as usize;
            let (mut q, mut largest) = (0.0f64, 0.0f64);
            let mut c = 0;
            let from = changes.first().map_or(days, |c| c.0);
            for d in from..days {
                while c < changes.len() && changes[c].0 == d {
                    q += changes[c].1;
                    largest = largest.max(q.abs()).max(changes[c].1.abs());
                    c += 1;
                }
                if q.abs() <= largest * REL {
                    continue;
                }
                let v = match units[d] {
                    Some(u) => u * q,
                    None => {
                        if !gap_seen[d] {
                            gap_seen[d] = true;
                            let date = days_after(start, d as u32);
                            gaps.record(
                                missing_of(
                                    market,
                                    &info.symbol,
                                    info.class,
                                    info.venue.as_deref(),
                                    date,
                                ),
                                date,
                            );
                        }
                        f64::NAN
                    }
                };
                acc[account_scope].values[d] += v;
                acc[asset_scope].values[d] += v;
            }
            i += 1;
        }
    }
    for a in 0..book.assets.len() {
        let (head, tail) = acc.split_at_mut(asset_base);
        let asset_values = &tail[a].values;
        let g = group_of[a];
        for (d, &v) in asset_values.iter().enumerate() {
            head[g].values[d] += v;
            head[0].values[d] += v;
        }
    }

    // Flows: per step, netted inside each scope.
    let mut step_flows: Vec<(usize, f64, f64)> = Vec::new();
    let mut k = 0;
    let moves = &book.movements;
    while k < moves.len() {
        let step = moves[k].step;
        step_flows.clear();
        let day = day_of(moves[k].at.date());
        while k < moves.len() && moves[k].step == step {
            let m = &moves[k];
            let f = m.flow.unwrap_or(f64::NAN);
            for s in [
                0,
                group_of[m.asset.0 as usize],
                account_base + m.account.0 as usize,
                asset_base + m.asset.0 as usize,
            ] {
                match step_flows.iter_mut().find(|e| e.0 == s) {
                    Some(e) => {
                        e.1 += f;
                        e.2 += f.abs();
                    }
                    None => step_flows.push((s, f, f.abs())),
                }
            }
            k += 1;
        }
        let Some(d) = day else { continue };
        for &(s, net, gross) in &step_flows {
            if net.is_nan() {
                acc[s].inflows[d] = f64::NAN;
            } else if net.abs() <= gross * REL {
                // Flows that cancel inside the scope, up to rounding.
            } else if net > 0.0 {
                acc[s].inflows[d] += net;
            } else {
                acc[s].outflows[d] -= net;
            }
        }
    }

    let series = scopes
        .into_iter()
        .zip(acc)
        .map(|(scope, a)| {
            let first_day = (0..days)
                .find(|&d| a.values[d] != 0.0 || a.inflows[d] != 0.0 || a.outflows[d] != 0.0);
            let twr = twr_index(&a.values, &a.inflows, &a.outflows);
            ScopeSeries {
                scope,
                values: a.values,
                inflows: a.inflows,
                outflows: a.outflows,
                twr,
                first_day,
            }
        })
        .collect();
    Timeline {
        start,
        days,
        scopes: series,
        gaps: gaps.into_vec(),
        later_movements: later,
    }
}

//! Contributions to return: how much of a period's time-weighted return each group or
//! asset made.
//!
//! # Formula
//! On day `d` a component `i` gains `g_{i,d} = V_{i,d} + out_{i,d} − V_{i,d−1} − in_{i,d}`
//! (its own flows, so a purchase is not a gain), and the portfolio's return is
//! `R_d = Σᵢ g_{i,d} / D_d` with `D_d = V_{d−1} + in_d` the portfolio's invested amount
//! (flows between components cancel). The contribution over days `s+1 … e` is
//! `cᵢ = Σ_d (g_{i,d} / D_d) · ∏_{t<d} (1 + R_t)` (products from `s+1`), and
//! `Σᵢ cᵢ = ∏ (1 + R_d) − 1`: the contributions add up to the portfolio's TWR exactly
//! (each day's share compounded by the return before it). Days the portfolio's TWR could
//! not chain (unknown or undefined) are left out, and listed in the TWR figure.

use serde::{Deserialize, Serialize};

use crate::domain::performance::periods::Window;
use crate::domain::performance::scope::Scope;
use crate::domain::performance::timeline::Timeline;

/// Which parts to split the return into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// Each group.
    Group,
    /// Each asset.
    Asset,
}

/// One part's contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnContribution {
    /// The part.
    pub scope: Scope,
    /// Its contribution to the portfolio's TWR (0.01 is one point of return).
    pub contribution: f64,
    /// Its gain in the base currency (`Σ g_{i,d}`).
    pub gain: f64,
}

/// Contributions over a window, with the TWR they add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionReport {
    /// The portfolio's TWR over the days counted.
    pub twr: f64,
    /// Each part, largest contribution first.
    pub parts: Vec<ReturnContribution>,
    /// Days left out (the portfolio's return unknown or undefined).
    pub days_left_out: usize,
}

/// The contributions of each group or asset of `timeline` over `window`.
pub fn contributions(timeline: &Timeline, window: Window, level: Level) -> ContributionReport {
    let s = timeline.day_of(window.start).unwrap_or(0);
    let e = timeline.day_of(window.end).unwrap_or(timeline.last_day());
    let parts: Vec<&_> = timeline
        .scopes
        .iter()
        .filter(|x| match level {
            Level::Group => matches!(x.scope, Scope::Group(_)),
            Level::Asset => matches!(x.scope, Scope::Asset(_)),
        })
        .collect();
    let mut out: Vec<ReturnContribution> = parts
        .iter()
        .map(|p| ReturnContribution {
            scope: p.scope.clone(),
            contribution: 0.0,
            gain: 0.0,
        })
        .collect();
    let Some(p) = timeline.scopes.first() else {
        return ContributionReport {
            twr: 0.0,
            parts: out,
            days_left_out: 0,
        };
    };
    let mut growth = 1.0;
    let mut left_out = 0;
    for d in s + 1..=e.max(s) {
        let invested = p.values[d - 1] + p.inflows[d];
        let ended = p.values[d] + p.outflows[d];
        if invested.is_nan() || invested <= 0.0 || !ended.is_finite() {
            left_out += usize::from(ended != 0.0 || invested != 0.0);
            continue;
        }
        let gains: Vec<f64> = parts
            .iter()
            .map(|x| x.values[d] + x.outflows[d] - x.values[d - 1] - x.inflows[d])
            .collect();
        if gains.iter().any(|g| !g.is_finite()) {
            left_out += 1;
            continue;
        }
        for (o, g) in out.iter_mut().zip(&gains) {
            o.contribution += g / invested * growth;
            o.gain += g;
        }
        growth *= ended / invested;
    }
    out.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    ContributionReport {
        twr: growth - 1.0,
        parts: out,
        days_left_out: left_out,
    }
}

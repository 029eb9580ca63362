//! Time-weighted return, chained daily from end-of-day valuations and each day's external
//! flows.
//!
//! # Formula
//! `r_d = (V_d + out_d) / (V_{d−1} + in_d) − 1`, and over days `s+1 … e`
//! `TWR = ∏ (1 + r_d) − 1`, where `V_d` is the value at the end of day `d`, `in_d` the
//! external flows into the scope on day `d` and `out_d` those out of it (both ≥ 0).
//!
//! # Flows at the day boundary
//! Money that comes in counts from the **start** of its day; money that goes out counts
//! until the **end** of its day (Portfolio Performance's TTWROR convention). Valuations are
//! daily closes and flows have no time of day a close can be compared with, so a
//! deposit's day is credited with the day's move of what it bought (it was invested at the
//! day's prices), and a withdrawal is charged with the move of what was withdrawn up to
//! the close. This keeps the denominator at least the start value: a first deposit into an
//! empty scope (`V_{d−1} = 0`) gives a defined return, and so does withdrawing everything.
//!
//! # Days that cannot be chained
//! - A day whose value or flows are unknown (a missing price): the return across the gap
//!   is taken on the next known day, from the last known value with every flow between
//!   added; the unknown days are listed.
//! - A day with nothing invested and nothing coming out (`V_{d−1} + in_d = 0` and
//!   `V_d + out_d = 0`): no return (0).
//! - A day where value appears from nothing or the invested amount is negative
//!   (`V_{d−1} + in_d ≤ 0` and `V_d + out_d ≠ 0`: income into an empty scope, a position
//!   below zero from missing history): undefined, counted as 0 and listed.

use serde::{Deserialize, Serialize};

/// The chained index and the days it could not chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TwrIndex {
    /// `index[0] = 1`, `index[d] = index[d−1] · (1 + r_d)`; the TWR from `s` to `e` is
    /// `index[e] / index[s] − 1`.
    pub index: Vec<f64>,
    /// Days whose value or flows were unknown (their index is the last known one).
    pub unknown: Vec<u32>,
    /// Days whose return was undefined (counted as 0).
    pub undefined: Vec<u32>,
}

impl TwrIndex {
    /// The TWR from the end of day `s` to the end of day `e` (`None` outside the index).
    pub fn between(&self, s: usize, e: usize) -> Option<f64> {
        let (a, b) = (self.index.get(s)?, self.index.get(e)?);
        Some(b / a - 1.0)
    }
}

/// Chains daily returns (see the module documentation). `values[d]` is the end-of-day
/// value (`NaN` when unknown), `inflows[d]` and `outflows[d]` the day's flows (≥ 0, `NaN`
/// when unknown); day 0 is the start and has no return.
pub fn twr_index(values: &[f64], inflows: &[f64], outflows: &[f64]) -> TwrIndex {
    let n = values.len().min(inflows.len()).min(outflows.len());
    let mut out = TwrIndex {
        index: Vec::with_capacity(n),
        ..TwrIndex::default()
    };
    if n == 0 {
        return out;
    }
    out.index.push(1.0);
    let mut level = 1.0;
    let mut before = values[0];
    let (mut pending_in, mut pending_out) = (0.0, 0.0);
    if before.is_nan() {
        out.unknown.push(0);
        before = 0.0;
    }
    for d in 1..n {
        pending_in += inflows[d];
        pending_out += outflows[d];
        let v = values[d];
        if v.is_nan() || pending_in.is_nan() || pending_out.is_nan() {
            out.unknown.push(d as u32);
            if !v.is_nan() {
                // Known again but a flow in the gap was not: restart from here.
                before = v;
                pending_in = 0.0;
                pending_out = 0.0;
            }
            out.index.push(level);
            continue;
        }
        let invested = before + pending_in;
        let ended = v + pending_out;
        if invested > 0.0 {
            level *= ended / invested;
        } else if ended != 0.0 || invested < 0.0 {
            out.undefined.push(d as u32);
        }
        before = v;
        pending_in = 0.0;
        pending_out = 0.0;
        out.index.push(level);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 at the start; day 1 +10 % → 110; day 2 a deposit of 50 at the start of the day,
    /// then −10 % → (110 + 50) × 0.9 = 144; day 3 +5 %, and 44 withdrawn at the end:
    /// 144 × 1.05 − 44 = 107.2. TWR = 1.1 × 0.9 × 1.05 − 1 = 3.95 %.
    #[test]
    fn flows_do_not_move_the_time_weighted_return() {
        let t = twr_index(
            &[100.0, 110.0, 144.0, 107.2],
            &[0.0, 0.0, 50.0, 0.0],
            &[0.0, 0.0, 0.0, 44.0],
        );
        assert!((t.between(0, 3).unwrap() - 0.0395).abs() < 1e-12);
        assert!((t.between(1, 2).unwrap() + 0.1).abs() < 1e-12);
        assert!(t.unknown.is_empty() && t.undefined.is_empty());
    }

    /// Day 0 empty; day 1 a deposit of 100 that closes at 120: +20 % on the first day.
    /// Day 2 everything (126) withdrawn at the end after +5 %: value 0. Day 3 nothing.
    #[test]
    fn an_empty_start_and_an_emptied_scope() {
        let t = twr_index(
            &[0.0, 120.0, 0.0, 0.0],
            &[0.0, 100.0, 0.0, 0.0],
            &[0.0, 0.0, 126.0, 0.0],
        );
        assert!((t.between(0, 3).unwrap() - (1.2 * 1.05 - 1.0)).abs() < 1e-12);
        assert!(t.undefined.is_empty());
    }

    /// Day 2 unknown: the return from day 1 (100) to day 3 (121, with 10 deposited on day
    /// 2) is 121 / 110 − 1 = 10 %, taken on day 3.
    #[test]
    fn a_gap_is_bridged_from_the_last_known_value() {
        let t = twr_index(
            &[100.0, 100.0, f64::NAN, 121.0],
            &[0.0, 0.0, 10.0, 0.0],
            &[0.0; 4],
        );
        assert_eq!(t.unknown, vec![2]);
        assert!((t.between(0, 3).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(t.index[2], 1.0);
    }

    #[test]
    fn value_from_nothing_is_undefined() {
        let t = twr_index(&[0.0, 5.0, 6.0], &[0.0; 3], &[0.0; 3]);
        assert_eq!(t.undefined, vec![1]);
        assert!((t.between(0, 2).unwrap() - 0.2).abs() < 1e-12);
    }
}

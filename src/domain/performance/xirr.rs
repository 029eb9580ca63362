//! Money-weighted return: the internal rate of return of dated cash flows (XIRR).
//!
//! # Formula
//! The annual rate `r > −1` with `Σᵢ cᵢ · (1 + r)^(−(dᵢ − d₀) / 365) = 0`: actual/365 day
//! count, as Excel's `XIRR`, pyxirr and LibreOffice use. Flows are the investor's: money
//! put in is negative, money taken out and the final value positive. Flows on the same
//! date are added together first.
//!
//! # Solver
//! In `x = ln(1 + r)` the sum `f(x) = Σ cᵢ e^(−x tᵢ)` is smooth over all reals. A root is
//! bracketed (by stepping out from `x = 0`), then refined by Newton's method safeguarded
//! by bisection: a Newton step that leaves the bracket or does not shrink it fast enough
//! is replaced by a bisection, so it converges whenever the bracket holds a root (with one
//! sign change the bracket is searched up to `|x| = 16384`, so a 99.99 % loss in a day,
//! `x ≈ −3361`, is found and reported as a rate of −100 %). The
//! terms are computed with exponents ≤ 0 (for `x < 0` the sum is multiplied by the
//! positive `e^(x t_max)`, which has the same roots), so nothing overflows, and each
//! `e^(−x tᵢ)` is the previous one times `e^(−x (tᵢ − tᵢ₋₁))`.
//!
//! # Several roots, no root
//! Days are whole, so with `u = e^(−x/365)` the sum is a power series in `u`, and
//! Descartes' rule of signs bounds its roots: there are at most as many rates above 0
//! (`x > 0`) as sign changes of the running sums of the flows from the first date, and at
//! most as many below 0 as sign changes of the running sums from the last date (the sum
//! divided by `1 − u` has the running sums as coefficients). Flows of one sign have no
//! rate ([`XirrError::OneSign`]). When the bounds allow one rate at most (deposits then a
//! final value, with withdrawals that never take out more than came in, almost always
//! do), it is bracketed and refined directly. Otherwise [`xirr`] looks for every root on
//! a grid of `x` from −64 to 64 (step 0.1 between −4 and 4) on the sides the bounds allow,
//! and refines each; [`Xirr::rate`] is the one nearest 0 and [`Xirr::roots`] lists all
//! (two roots closer than a grid step may be seen as none).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_between;

/// An amount on a date, from the investor's side (in negative, out positive).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CashFlow {
    /// The date.
    pub date: NaiveDate,
    /// The amount: negative put in, positive taken out (or held at the end).
    pub amount: f64,
}

/// The solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Xirr {
    /// The annual rate (0.1 is 10 % a year); of several, the nearest 0.
    pub rate: f64,
    /// Every rate found, ascending (one unless the flows change sign more than once).
    pub roots: Vec<f64>,
    /// Sign changes of the flows in date order (an upper bound on the number of rates).
    pub sign_changes: usize,
    /// `ln(1 + rate)`: exact where `rate` itself overflows or rounds to −1.
    pub ln_growth: f64,
}

impl Xirr {
    /// The rate over `days` days: `(1 + rate)^(days/365) − 1`, from [`Xirr::ln_growth`].
    pub fn over_days(&self, days: i64) -> f64 {
        (self.ln_growth * days as f64 / 365.0).exp_m1()
    }

    /// Whether more than one rate solves the flows.
    pub fn is_ambiguous(&self) -> bool {
        self.roots.len() > 1
    }
}

/// Why there is no rate.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum XirrError {
    /// Fewer than two dates with a non-zero flow.
    #[error("a money-weighted return needs flows on at least two dates")]
    TooFewFlows,
    /// An amount is not a finite number.
    #[error("cash flow {index} is not a finite number")]
    NotFinite {
        /// Position of the flow as given.
        index: usize,
    },
    /// Every flow has the same sign: no rate makes them sum to zero.
    #[error("every cash flow goes the same way, so no rate of return balances them")]
    OneSign,
    /// The flows change sign, but no rate between −100 % and e⁶⁴ − 1 balances them.
    #[error("no rate of return balances these cash flows")]
    NoRoot,
}

/// Flows netted per date, as (days since the first date, amount), ascending.
struct Flows {
    days: Vec<i64>,
    amounts: Vec<f64>,
}

impl Flows {
    fn new(flows: &[CashFlow]) -> Result<Flows, XirrError> {
        if let Some(index) = flows.iter().position(|f| !f.amount.is_finite()) {
            return Err(XirrError::NotFinite { index });
        }
        let mut sorted: Vec<CashFlow> = flows.to_vec();
        sorted.sort_by_key(|f| f.date);
        let first = sorted.first().map(|f| f.date);
        let mut days: Vec<i64> = Vec::with_capacity(sorted.len());
        let mut amounts: Vec<f64> = Vec::with_capacity(sorted.len());
        for f in sorted {
            let d = first.map_or(0, |first| days_between(first, f.date));
            if days.last() == Some(&d) {
                if let Some(a) = amounts.last_mut() {
                    *a += f.amount;
                }
            } else {
                days.push(d);
                amounts.push(f.amount);
            }
        }
        // Dates whose flows cancel out are no flow.
        let keep: Vec<bool> = amounts.iter().map(|a| *a != 0.0).collect();
        let mut k = keep.iter();
        days.retain(|_| *k.next().unwrap_or(&false));
        amounts.retain(|a| *a != 0.0);
        if let Some(&d0) = days.first() {
            days.iter_mut().for_each(|d| *d -= d0);
        }
        Ok(Flows { days, amounts })
    }

    /// The sum (scaled by a positive factor, see the module docs) and its derivative in x.
    fn eval(&self, x: f64) -> (f64, f64) {
        let n = self.days.len();
        let (mut f, mut df) = (0.0, 0.0);
        if x >= 0.0 {
            let b = (-x / 365.0).exp();
            let mut p = 1.0;
            let mut prev = 0;
            for i in 0..n {
                p *= pow(b, self.days[i] - prev);
                prev = self.days[i];
                let term = self.amounts[i] * p;
                f += term;
                df -= term * self.days[i] as f64 / 365.0;
            }
        } else {
            let b = (x / 365.0).exp();
            let last = self.days[n - 1];
            let mut p = 1.0;
            let mut prev = last;
            for i in (0..n).rev() {
                p *= pow(b, prev - self.days[i]);
                prev = self.days[i];
                let term = self.amounts[i] * p;
                f += term;
                df += term * (last - self.days[i]) as f64 / 365.0;
            }
        }
        (f, df)
    }

    fn sign_changes(&self) -> usize {
        changes(self.amounts.iter().copied())
    }

    /// Upper bounds on the number of roots with `x > 0` and with `x < 0`: the sign changes
    /// of the running sums from the first flow and from the last (see the module docs).
    fn root_bounds(&self) -> (usize, usize) {
        let running = |it: &mut dyn Iterator<Item = f64>| {
            let mut sum = 0.0;
            changes(it.map(|a| {
                sum += a;
                sum
            }))
        };
        (
            running(&mut self.amounts.iter().copied()),
            running(&mut self.amounts.iter().rev().copied()),
        )
    }
}

/// Sign changes of a sequence, zeros skipped.
fn changes(values: impl Iterator<Item = f64>) -> usize {
    let mut last: Option<bool> = None;
    let mut n = 0;
    for v in values.filter(|v| *v != 0.0) {
        let positive = v > 0.0;
        if last.is_some_and(|l| l != positive) {
            n += 1;
        }
        last = Some(positive);
    }
    n
}

/// `b^k` for a gap of `k ≥ 0` days.
fn pow(b: f64, k: i64) -> f64 {
    match k {
        0 => 1.0,
        1 => b,
        k if k <= i64::from(i32::MAX) => b.powi(k as i32),
        k => b.powf(k as f64),
    }
}

/// Newton's method safeguarded by bisection on `[lo, hi]`, whose ends have opposite signs.
fn refine(flows: &Flows, mut lo: f64, mut hi: f64) -> f64 {
    let (f_lo, _) = flows.eval(lo);
    if f_lo == 0.0 {
        return lo;
    }
    let lo_positive = f_lo > 0.0;
    let mut x = 0.5 * (lo + hi);
    let (mut f, mut df) = flows.eval(x);
    let mut step_before = hi - lo;
    let mut step = step_before;
    for _ in 0..300 {
        if f == 0.0 {
            return x;
        }
        if (f > 0.0) == lo_positive {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - f / df;
        let inside = df != 0.0 && newton.is_finite() && newton > lo.min(hi) && newton < lo.max(hi);
        if inside && (2.0 * f).abs() <= (step_before * df).abs() {
            step_before = step;
            step = x - newton;
            x = newton;
        } else {
            step_before = step;
            step = 0.5 * (hi - lo);
            x = lo + step;
        }
        if step.abs() <= 1e-15 * x.abs().max(1.0) || (hi - lo).abs() <= 1e-15 * x.abs().max(1.0) {
            return x;
        }
        (f, df) = flows.eval(x);
    }
    x
}

/// The grid scanned when the flows change sign more than once.
fn grid() -> Vec<f64> {
    let mut g: Vec<f64> = [-64.0, -48.0, -32.0, -24.0, -16.0, -12.0, -8.0, -6.0, -5.0].to_vec();
    g.extend((-40..=40).map(|i| f64::from(i) / 10.0));
    g.extend([5.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0]);
    g
}

/// The money-weighted annual return of `flows` (see the module documentation).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use folio::domain::performance::xirr::{xirr, CashFlow};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // 1000 in, 1100 out 365 days later: 10 % a year.
/// let flows = [
///     CashFlow { date: d(2023, 1, 1), amount: -1000.0 },
///     CashFlow { date: d(2024, 1, 1), amount: 1100.0 },
/// ];
/// assert!((xirr(&flows).unwrap().rate - 0.1).abs() < 1e-12);
/// ```
pub fn xirr(flows: &[CashFlow]) -> Result<Xirr, XirrError> {
    let flows = Flows::new(flows)?;
    if flows.days.len() < 2 {
        return Err(XirrError::TooFewFlows);
    }
    let sign_changes = flows.sign_changes();
    if sign_changes == 0 {
        return Err(XirrError::OneSign);
    }
    let mut roots: Vec<f64> = Vec::new();
    let (above, below) = flows.root_bounds();
    let at_zero = usize::from(flows.eval(0.0).0 == 0.0);
    if sign_changes == 1 || above + below + at_zero <= 1 {
        let (f0, _) = flows.eval(0.0);
        if f0 == 0.0 {
            roots.push(0.0);
        } else {
            let mut h = 0.25;
            while h <= 16_384.0 {
                let (up, _) = flows.eval(h);
                if (up > 0.0) != (f0 > 0.0) || up == 0.0 {
                    roots.push(refine(&flows, 0.0, h));
                    break;
                }
                let (down, _) = flows.eval(-h);
                if (down > 0.0) != (f0 > 0.0) || down == 0.0 {
                    roots.push(refine(&flows, -h, 0.0));
                    break;
                }
                h *= 2.0;
            }
        }
    } else {
        let g: Vec<f64> = grid()
            .into_iter()
            .filter(|&x| (x < 0.0 && below > 0) || x == 0.0 || (x > 0.0 && above > 0))
            .collect();
        let values: Vec<f64> = g.iter().map(|&x| flows.eval(x).0).collect();
        for i in 0..g.len() {
            if values[i] == 0.0 {
                roots.push(g[i]);
            } else if i + 1 < g.len()
                && values[i + 1] != 0.0
                && (values[i] > 0.0) != (values[i + 1] > 0.0)
            {
                roots.push(refine(&flows, g[i], g[i + 1]));
            }
        }
    }
    roots.sort_by(f64::total_cmp);
    roots.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * a.abs().max(1.0));
    let ln_growth = roots
        .iter()
        .copied()
        .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        .ok_or(XirrError::NoRoot)?;
    Ok(Xirr {
        rate: ln_growth.exp_m1(),
        roots: roots.into_iter().map(f64::exp_m1).collect(),
        sign_changes,
        ln_growth,
    })
}

/// The rate over `days` equivalent to an annual `rate`: `(1 + rate)^(days/365) − 1`.
pub fn deannualise(rate: f64, days: i64) -> f64 {
    ((days as f64 / 365.0) * rate.ln_1p()).exp_m1()
}

/// The annual rate equivalent to `rate` over `days`: `(1 + rate)^(365/days) − 1`.
pub fn annualise(rate: f64, days: i64) -> f64 {
    ((365.0 / days as f64) * rate.ln_1p()).exp_m1()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cf(date: NaiveDate, amount: f64) -> CashFlow {
        CashFlow { date, amount }
    }

    /// 100 in, then 100 in a year later, 231 out two years after the start:
    /// −100(1+r)² − 100(1+r) + 231 = 0 with 365-day years → (1+r) = 1.1, r = 10 %.
    #[test]
    fn two_deposits_and_a_final_value() {
        let x = xirr(&[
            cf(d(2021, 1, 1), -100.0),
            cf(d(2022, 1, 1), -100.0),
            cf(d(2023, 1, 1), 231.0),
        ])
        .unwrap();
        assert!((x.rate - 0.1).abs() < 1e-12, "{}", x.rate);
        assert_eq!(x.roots.len(), 1);
        assert_eq!(x.sign_changes, 1);
    }

    /// Half lost in 730 days: (1+r)² = 0.5, r = √0.5 − 1 = −29.289 %.
    #[test]
    fn a_loss_is_a_negative_rate() {
        let x = xirr(&[cf(d(2020, 1, 1), -1000.0), cf(d(2021, 12, 31), 500.0)]).unwrap();
        assert!((x.rate - (0.5f64.sqrt() - 1.0)).abs() < 1e-12, "{}", x.rate);
    }

    #[test]
    fn flows_of_one_sign_or_one_date_have_no_rate() {
        assert_eq!(xirr(&[]), Err(XirrError::TooFewFlows));
        assert_eq!(
            xirr(&[cf(d(2020, 1, 1), -1.0), cf(d(2020, 1, 1), 2.0)]),
            Err(XirrError::TooFewFlows)
        );
        assert_eq!(
            xirr(&[cf(d(2020, 1, 1), -1.0), cf(d(2021, 1, 1), -2.0)]),
            Err(XirrError::OneSign)
        );
        assert_eq!(
            xirr(&[cf(d(2020, 1, 1), -1.0), cf(d(2021, 1, 1), f64::NAN)]),
            Err(XirrError::NotFinite { index: 1 })
        );
    }

    /// −1, +2.3, −1.32 a year apart: with v = 1+r, −v² + 2.3v − 1.32 = 0 → v = 1.1 or 1.2.
    #[test]
    fn two_sign_changes_can_have_two_rates() {
        let x = xirr(&[
            cf(d(2021, 1, 1), -1.0),
            cf(d(2022, 1, 1), 2.3),
            cf(d(2023, 1, 1), -1.32),
        ])
        .unwrap();
        assert_eq!(x.sign_changes, 2);
        assert_eq!(x.roots.len(), 2);
        assert!(
            (x.roots[0] - 0.1).abs() < 1e-10 && (x.roots[1] - 0.2).abs() < 1e-10,
            "{:?}",
            x.roots
        );
        assert!((x.rate - 0.1).abs() < 1e-10);
        assert!(x.is_ambiguous());
    }

    /// In, out, in, final value: three sign changes, but the running sums (−1,000, −800,
    /// −1,300, +200 from the start; 1,500, 1,000, 1,200, 200 from the end) change sign once
    /// and never: one rate at most, found without a scan.
    #[test]
    fn running_sums_prove_a_single_rate() {
        let flows = Flows::new(&[
            cf(d(2021, 1, 1), -1000.0),
            cf(d(2021, 4, 11), 200.0),
            cf(d(2021, 7, 20), -500.0),
            cf(d(2022, 2, 5), 1500.0),
        ])
        .unwrap();
        assert_eq!((flows.sign_changes(), flows.root_bounds()), (3, (1, 0)));
        let x = xirr(&[
            cf(d(2021, 1, 1), -1000.0),
            cf(d(2021, 4, 11), 200.0),
            cf(d(2021, 7, 20), -500.0),
            cf(d(2022, 2, 5), 1500.0),
        ])
        .unwrap();
        assert_eq!(x.roots.len(), 1);
        assert!(flows.eval(x.ln_growth).0.abs() < 1e-9);
        // A loss: no rate above 0, at most one below.
        let loss = Flows::new(&[cf(d(2021, 1, 1), -1000.0), cf(d(2022, 1, 1), 900.0)]).unwrap();
        assert_eq!(loss.root_bounds(), (0, 1));
    }

    /// −1, +3, −3 a year apart: −v² + 3v − 3 has no real root.
    #[test]
    fn sign_changes_without_a_rate() {
        assert_eq!(
            xirr(&[
                cf(d(2021, 1, 1), -1.0),
                cf(d(2022, 1, 1), 3.0),
                cf(d(2023, 1, 1), -3.0)
            ]),
            Err(XirrError::NoRoot)
        );
    }

    #[test]
    fn extreme_rates_do_not_overflow() {
        // ×2 in ten years (3650 days): 2^(1/10) − 1 = 7.177 %.
        let x = xirr(&[cf(d(2000, 1, 1), -1.0), cf(d(2009, 12, 29), 2.0)]).unwrap();
        assert!((x.rate - (2f64.powf(1.0 / 10.0) - 1.0)).abs() < 1e-12);
        // 99.99 % lost in a day: (1e-4)^365 − 1 = −1 + 1e-1460, which rounds to −1.
        let x = xirr(&[cf(d(2000, 1, 1), -1.0), cf(d(2000, 1, 2), 1e-4)]).unwrap();
        assert_eq!(x.rate, -1.0);
        // ×10 in a day: 10^365 − 1 = 1e365 overflows f64: reported as +∞.
        // The rate over the day itself is still exact: 9 (×10).
        let x = xirr(&[cf(d(2000, 1, 1), -1.0), cf(d(2000, 1, 2), 10.0)]).unwrap();
        assert_eq!(x.rate, f64::INFINITY);
        assert!((x.over_days(1) - 9.0).abs() < 1e-12);
    }

    #[test]
    fn annualising_and_back() {
        assert!((annualise(0.21, 730) - 0.1).abs() < 1e-12);
        assert!((deannualise(0.1, 730) - 0.21).abs() < 1e-12);
    }
}

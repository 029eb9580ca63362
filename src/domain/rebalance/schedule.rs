//! Execution schedules (QFrame's execution service, seed-systems §2): each order of a plan
//! day sliced TWAP-style (equal child orders at a fixed interval) or iceberg-style (visible
//! slices, each placed after the previous one fills).

use serde::{Deserialize, Serialize};

use crate::domain::rebalance::model::{Plan, Side};

/// How each order is worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algo {
    /// One order, at once.
    Immediate,
    /// `slices` equal limit orders, one every `interval_min` minutes (QFrame: 6 every 5 min).
    Twap {
        /// Child orders per order.
        slices: u32,
        /// Minutes between child orders.
        interval_min: u32,
    },
    /// `slices` visible slices, each after the previous fills (QFrame: 5).
    Iceberg {
        /// Visible slices per order.
        slices: u32,
    },
}

impl Algo {
    /// QFrame's TWAP defaults.
    pub const TWAP: Algo = Algo::Twap {
        slices: 6,
        interval_min: 5,
    };
    /// QFrame's iceberg default.
    pub const ICEBERG: Algo = Algo::Iceberg { slices: 5 };
}

/// One child order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slice {
    /// Plan day, from 1.
    pub day: u32,
    /// Index of the action in the plan.
    pub action: usize,
    /// Sell or buy.
    pub side: Side,
    /// Ticker.
    pub alias: String,
    /// Where.
    pub location: String,
    /// Slice number, from 1.
    pub slice: u32,
    /// Slices of this order.
    pub of: u32,
    /// Minutes after the order's start (TWAP and immediate); `None`: after the previous fill.
    pub start_min: Option<u32>,
    /// Amount in the base currency.
    pub amount: f64,
    /// Estimated quantity.
    pub est_quantity: Option<f64>,
    /// Order type.
    pub kind: &'static str,
}

/// The child orders of every order of the plan, day by day. An order is cut into fewer
/// slices than asked when equal slices would fall under the policy's minimum trade.
pub fn schedule(plan: &Plan, algo: Algo) -> Vec<Slice> {
    let min = plan.options.policy.min_order;
    let mut out = Vec::new();
    for day in &plan.days {
        for order in &day.orders {
            let Some(a) = plan.actions.get(order.action) else {
                continue;
            };
            let (asked, interval, kind) = match algo {
                Algo::Immediate => (1, None, "market"),
                Algo::Twap {
                    slices,
                    interval_min,
                } => (slices.max(1), Some(interval_min), "limit"),
                Algo::Iceberg { slices } => (slices.max(1), None, "iceberg (visible slice)"),
            };
            let fit = if min > 0.0 {
                (order.amount / min + 1e-9).floor().max(1.0) as u32
            } else {
                asked
            };
            let n = asked.min(fit).max(1);
            let part = order.amount / f64::from(n);
            for k in 0..n {
                out.push(Slice {
                    day: day.day,
                    action: order.action,
                    side: a.side,
                    alias: a.alias.clone(),
                    location: a.location.clone(),
                    slice: k + 1,
                    of: n,
                    start_min: match (algo, interval) {
                        (Algo::Iceberg { .. }, _) => None,
                        (_, Some(i)) => Some(k * i),
                        _ => Some(0),
                    },
                    amount: part,
                    est_quantity: a.price_used.map(|p| part / p),
                    kind,
                });
            }
        }
    }
    out
}

//! Governance (SmartFolio §1.8): the policy's limits checked, its freeze applied to the
//! mode a plan may use, and the split of a plan into days under the daily cap with orders
//! between the minimum and maximum size.

use crate::domain::rebalance::model::{Action, Day, Freeze, Mode, Order, PlanError, Policy};

impl Policy {
    /// Checks the numbers make sense, with a message the user can act on.
    pub fn check(&self) -> Result<(), String> {
        if let Some(cap) = self.cap_daily_pct {
            if !(cap.is_finite() && (1.0..=100.0).contains(&cap)) {
                return Err(format!(
                    "The daily cap must be between 1 and 100 % of the portfolio, or off (it is {cap})."
                ));
            }
        }
        if !(self.min_order.is_finite() && self.min_order >= 0.0) {
            return Err("The minimum trade must be zero or more.".to_string());
        }
        if let Some(max) = self.max_order {
            if !(max.is_finite() && max > 0.0 && max >= self.min_order) {
                return Err(format!(
                    "The maximum order ({max}) must be positive and at least the minimum trade ({}).",
                    self.min_order
                ));
            }
        }
        Ok(())
    }
}

/// The mode a plan may use under the policy: the freeze "sells to stables only" plans in
/// sell-only mode, and says so. (A full freeze trades nothing: see [`Freeze::Full`].)
pub fn governed_mode(policy: &Policy, mode: Mode) -> (Mode, Option<String>) {
    match policy.freeze {
        Freeze::SellsToStables if mode != Mode::SellOnly => (
            Mode::SellOnly,
            Some("The policy allows only sells into stablecoins and cash: planning in sell-only mode.".to_string()),
        ),
        _ => (mode, None),
    }
}

const MAX_DAYS: usize = 1000;

/// Splits the actions into days so that no day trades more than the cap, no order is
/// larger than the maximum, and no order is smaller than the minimum (an action is cut into
/// equal parts, on different days while there are days enough, each part at least the
/// minimum). Parts go to the least-loaded day, largest first. Without a cap, one day.
pub fn split_days(actions: &[Action], total: f64, policy: &Policy) -> Result<Vec<Day>, PlanError> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let cap = policy
        .cap_daily_pct
        .map_or(f64::INFINITY, |pct| pct / 100.0 * total);
    if cap + 1e-9 < policy.min_order {
        return Err(PlanError::BadOption(format!(
            "The daily cap ({cap:.2}) is smaller than the minimum trade ({:.2}).",
            policy.min_order
        )));
    }
    let limit = policy.max_order.map_or(cap, |m| m.min(cap));
    let gross: f64 = actions.iter().map(|a| a.amount).sum();
    let mut order: Vec<usize> = (0..actions.len()).collect();
    order.sort_by(|&a, &b| {
        actions[b]
            .amount
            .total_cmp(&actions[a].amount)
            .then(a.cmp(&b))
    });
    let mut n = ((gross / cap - 1e-9).ceil() as usize).max(1);
    while n <= MAX_DAYS {
        let mut days: Vec<Day> = (1..=n as u32)
            .map(|day| Day {
                day,
                orders: Vec::new(),
                volume: 0.0,
            })
            .collect();
        let mut by_load: Vec<usize> = (0..n).collect();
        for &i in &order {
            let a = actions[i].amount;
            let at_least = (a / limit - 1e-9).ceil().max(1.0) as usize;
            let at_most = if policy.min_order > 0.0 {
                (a / policy.min_order + 1e-9).floor() as usize
            } else {
                usize::MAX
            };
            let parts = at_least.max(n.min(at_most)).max(1);
            let part = a / parts as f64;
            // Rounds of at most one part per day: a full round goes to every day, a partial
            // one to the least-loaded days.
            let mut left = parts;
            while left > 0 {
                let take = left.min(n);
                if take < n {
                    by_load
                        .sort_by(|x, y| days[*x].volume.total_cmp(&days[*y].volume).then(x.cmp(y)));
                }
                for &d in &by_load[..take] {
                    days[d].orders.push(Order {
                        action: i,
                        amount: part,
                    });
                    days[d].volume += part;
                }
                left -= take;
            }
        }
        if days.iter().all(|d| d.volume <= cap * (1.0 + 1e-9) + 1e-9) {
            for d in &mut days {
                d.orders.sort_by_key(|o| (actions[o.action].side, o.action));
            }
            days.retain(|d| !d.orders.is_empty());
            return Ok(days);
        }
        n += 1;
    }
    Err(PlanError::BadOption(format!(
        "The plan needs more than {MAX_DAYS} days under the daily cap; raise the cap."
    )))
}

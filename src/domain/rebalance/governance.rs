//! Governance (SmartFolio §1.8): a policy that caps how much is traded per day, bounds
//! order sizes and can freeze trading; the split of a plan into days; and the states a
//! saved plan goes through.

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;

use crate::domain::rebalance::plan::{Action, Plan, PlanError};
use crate::domain::rebalance::targets::Targets;

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

/// Limits on what a plan may trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Share of the portfolio that may change hands per day, in percent; sells and buys both
    /// count. SmartFolio's default is 8 %.
    pub cap_daily_pct: f64,
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
            cap_daily_pct: 8.0,
            min_order: crate::domain::rebalance::plan::DEFAULT_MIN_TRADE,
            max_order: None,
            freeze: Freeze::None,
        }
    }
}

impl Policy {
    /// Checks the numbers make sense, with a message the user can act on.
    pub fn check(&self) -> Result<(), String> {
        if !(self.cap_daily_pct.is_finite() && (1.0..=100.0).contains(&self.cap_daily_pct)) {
            return Err(format!(
                "The daily cap must be between 1 and 100 % of the portfolio (it is {}).",
                self.cap_daily_pct
            ));
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

const MAX_DAYS: usize = 1000;

/// Splits the actions into days so that no day trades more than the cap, no order is
/// larger than the maximum, and no order is smaller than the minimum (an action is cut into
/// equal parts, on different days while there are days enough, each part at least the
/// minimum). Parts go to the least-loaded day, largest first.
pub fn split_days(actions: &[Action], total: f64, policy: &Policy) -> Result<Vec<Day>, PlanError> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let cap = policy.cap_daily_pct / 100.0 * total;
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

/// Where a saved plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanState {
    /// Made, not yet approved.
    Draft,
    /// Approved for execution.
    Approved,
    /// Carried out by the user (holdings are not changed: the next import shows them).
    Executed,
    /// Abandoned.
    Cancelled,
}

impl PlanState {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "Draft",
            PlanState::Approved => "Approved",
            PlanState::Executed => "Executed",
            PlanState::Cancelled => "Cancelled",
        }
    }

    /// The states this one may move to.
    pub fn next(self) -> &'static [PlanState] {
        match self {
            PlanState::Draft => &[PlanState::Approved, PlanState::Cancelled],
            PlanState::Approved => &[PlanState::Executed, PlanState::Cancelled],
            PlanState::Executed | PlanState::Cancelled => &[],
        }
    }
}

/// A state change, kept in the plan's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateChange {
    /// The new state.
    pub state: PlanState,
    /// When.
    #[serde(rename = "at_ms")]
    pub at: Timestamp,
}

/// A plan kept in the profile's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    /// Unique id.
    pub id: String,
    /// Owning profile.
    pub profile_id: String,
    /// Current state.
    pub state: PlanState,
    /// Every state it went through, oldest first (the first is `Draft`).
    pub history: Vec<StateChange>,
    /// The targets it was made for.
    pub targets: Targets,
    /// The plan as it was made.
    pub plan: Plan,
}

/// A state change that is not allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("A plan that is {from} cannot become {to}.", from = .from.label(), to = .to.label())]
pub struct TransitionError {
    /// Current state.
    pub from: PlanState,
    /// Asked state.
    pub to: PlanState,
}

impl SavedPlan {
    /// A new draft.
    pub fn draft(
        id: String,
        profile_id: String,
        targets: Targets,
        plan: Plan,
        at: Timestamp,
    ) -> SavedPlan {
        SavedPlan {
            id,
            profile_id,
            state: PlanState::Draft,
            history: vec![StateChange {
                state: PlanState::Draft,
                at,
            }],
            targets,
            plan,
        }
    }

    /// When it was made.
    pub fn created(&self) -> Timestamp {
        self.history
            .first()
            .map_or_else(Timestamp::default, |c| c.at)
    }

    /// Moves to `to`, recording when; refuses moves [`PlanState::next`] does not list.
    pub fn transition(&mut self, to: PlanState, at: Timestamp) -> Result<(), TransitionError> {
        if !self.state.next().contains(&to) {
            return Err(TransitionError {
                from: self.state,
                to,
            });
        }
        self.state = to;
        self.history.push(StateChange { state: to, at });
        Ok(())
    }
}

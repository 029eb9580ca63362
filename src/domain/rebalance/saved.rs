//! Saved plans: a plan kept in the profile's history with the targets it was made for,
//! and the states it goes through (draft → approved → executed, or cancelled).

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::rebalance::model::Plan;
use crate::domain::rebalance::targets::Targets;

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

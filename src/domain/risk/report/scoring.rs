//! Step 8, SmartFolio's risk score and structural score, read from the report's own figures
//! and quoting each by the name and value the metrics table (or, for the VaR, the VaR table)
//! shows.

use super::document::{
    Metric, ScoreOut, Unit, VarEstimate, VarModel, ANNUAL_VOLATILITY, EFFECTIVE_ASSETS,
    GROUP_RISK_INDEX, HHI, HISTORICAL_VAR_95, MAX_DRAWDOWN, MEMECOIN_SHARE, SHARPE_RATIO,
    SMARTFOLIO_DIVERSIFICATION,
};
use crate::domain::risk::scores::{risk_score, structural_score, Input, RiskInputs};

/// The two scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// The risk score.
    pub risk: ScoreOut,
    /// The structural score.
    pub structural: ScoreOut,
}

/// The 1-day historical VaR at 95 % among `var`.
fn historical_var_95(var: &[VarEstimate]) -> Option<&VarEstimate> {
    var.iter()
        .find(|v| v.model == VarModel::Historical && v.confidence == 0.95 && v.horizon == 1)
}

/// The table's name of the figure a rule reads.
fn name_of(input: Input) -> &'static str {
    match input {
        Input::Var95 => HISTORICAL_VAR_95,
        Input::Sharpe => SHARPE_RATIO,
        Input::MaxDrawdown => MAX_DRAWDOWN,
        Input::Volatility => ANNUAL_VOLATILITY,
        Input::Memes => MEMECOIN_SHARE,
        Input::Hhi => HHI,
        Input::Gri => GROUP_RISK_INDEX,
        Input::Diversification => SMARTFOLIO_DIVERSIFICATION,
        Input::EffectiveAssets => EFFECTIVE_ASSETS,
    }
}

/// The scores of the report's `metrics` and `var` estimates.
pub fn scores(metrics: &[Metric], var: &[VarEstimate]) -> Scores {
    let hist = historical_var_95(var);
    let value = |input: Input| -> Option<f64> {
        match input {
            Input::Var95 => hist.and_then(|v| v.var),
            _ => metrics
                .iter()
                .find(|m| m.name == name_of(input))
                .and_then(|m| m.value),
        }
    };
    let quote = |input: Input| -> String {
        let unit = match input {
            Input::Var95 => Unit::Fraction,
            _ => metrics
                .iter()
                .find(|m| m.name == name_of(input))
                .map_or(Unit::Ratio, |m| m.unit),
        };
        match value(input) {
            Some(v) => format!("{} {}", name_of(input), unit.show(Some(v))),
            None => format!("{} undefined", name_of(input)),
        }
    };
    let number = |input: Input| value(input).unwrap_or(f64::NAN);
    let risk = risk_score(&RiskInputs {
        // SmartFolio reads VaR and drawdown as positive losses.
        var95: -number(Input::Var95),
        sharpe: number(Input::Sharpe),
        max_drawdown: number(Input::MaxDrawdown).abs(),
        volatility: number(Input::Volatility),
        memes: number(Input::Memes),
        hhi: number(Input::Hhi),
        gri: number(Input::Gri),
        diversification: number(Input::Diversification),
    });
    let structural = structural_score(number(Input::Hhi), number(Input::Memes), number(Input::Gri));
    Scores {
        risk: ScoreOut::quoting(risk, quote),
        structural: ScoreOut::quoting(structural, quote),
    }
}

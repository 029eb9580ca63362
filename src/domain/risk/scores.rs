//! SmartFolio's scores (seed-systems §1.6), each returned with the inputs and the rule that
//! moved it, so the page can say why: the group risk index (GRI), the structural score and
//! the risk score with its level. Convention: higher scores are more robust.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Risk level of a group, 0 (stablecoins) to 9 (memecoins); SmartFolio's
/// `_GROUP_RISK_LEVELS`, unknown groups 6. Classes outside crypto are Folio's own levels:
/// cash 0, ETFs 3, stocks 4.
pub fn group_level(group: &str) -> f64 {
    match group {
        "Stablecoins" | "Cash" => 0.0,
        "BTC" => 2.0,
        "ETH" | "ETFs" => 3.0,
        "Stocks" => 4.0,
        "L2/Scaling" | "DeFi" | "AI/Data" => 5.0,
        "SOL" | "L1/L0 majors" | "Gaming/NFT" => 6.0,
        "Others" => 7.0,
        "Memecoins" => 9.0,
        g if g.starts_with("Cash") => 0.0,
        g if g.starts_with("ETFs") => 3.0,
        g if g.starts_with("Stocks") => 4.0,
        _ => 6.0,
    }
}

/// Group risk index: `clamp(Σ w_g · level_g, 0, 10)`, `w_g` the group's share (fractions).
pub fn gri(weights: &BTreeMap<String, f64>) -> f64 {
    weights
        .iter()
        .map(|(g, w)| w * group_level(g))
        .sum::<f64>()
        .clamp(0.0, 10.0)
}

/// The figure a rule reads. The report quotes it by the name and value its metrics table
/// shows, so a step and the table never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// 1-day historical VaR 95 %.
    Var95,
    /// Annualised Sharpe ratio.
    Sharpe,
    /// Maximum drawdown.
    MaxDrawdown,
    /// Annualised volatility.
    Volatility,
    /// Memecoin share of the portfolio.
    Memes,
    /// HHI of the asset weights.
    Hhi,
    /// Group risk index.
    Gri,
    /// SmartFolio's diversification index.
    Diversification,
    /// Effective number of assets, `1 / HHI`.
    EffectiveAssets,
}

/// One rule that moved a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The figure the rule reads.
    pub input: Input,
    /// The rule, in words, about that figure ("above 0.25"); "not enough data, not scored"
    /// when the figure is undefined.
    pub rule: String,
    /// Points added (negative: taken away).
    pub points: f64,
}

/// A score's level: the structural score's robustness (very robust … very fragile) or the
/// risk score's risk (very low … critical). Serialized in SmartFolio's snake case
/// (`very_robust`); shown in words (`very robust`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Structural score ≥ 85.
    VeryRobust,
    /// Structural score ≥ 70.
    Robust,
    /// Structural score ≥ 50.
    Moderate,
    /// Structural score ≥ 30.
    Fragile,
    /// Structural score < 30.
    VeryFragile,
    /// Risk score ≥ 80.
    VeryLow,
    /// Risk score ≥ 65.
    Low,
    /// Risk score ≥ 50.
    Medium,
    /// Risk score ≥ 35.
    High,
    /// Risk score ≥ 20.
    VeryHigh,
    /// Risk score < 20.
    Critical,
}

impl Level {
    /// The level in words.
    pub fn label(self) -> &'static str {
        match self {
            Level::VeryRobust => "very robust",
            Level::Robust => "robust",
            Level::Moderate => "moderate",
            Level::Fragile => "fragile",
            Level::VeryFragile => "very fragile",
            Level::VeryLow => "very low",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::VeryHigh => "very high",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A score with its level and the steps that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// 0–100, higher is more robust.
    pub value: f64,
    /// Level.
    pub level: Level,
    /// What moved it.
    pub steps: Vec<Step>,
}

impl Score {
    /// `base` plus the steps' points, clamped to 0–100, at the first level whose floor it
    /// reaches (`levels` from the highest floor down; below them all, `lowest`).
    fn from_steps(base: f64, steps: Vec<Step>, levels: &[(f64, Level)], lowest: Level) -> Score {
        let value = (base + steps.iter().map(|s| s.points).sum::<f64>()).clamp(0.0, 100.0);
        let level = levels
            .iter()
            .find(|(floor, _)| value >= *floor)
            .map_or(lowest, |(_, l)| *l);
        Score {
            value,
            level,
            steps,
        }
    }
}

/// Structural score V2.
///
/// # Formula
/// `clamp(100 − [max(0, HHI − 0.25)·100 + memes·40 + GRI·5 + (10 if effective assets < 5)], 0, 100)`
/// with `memes` the memecoin share (fraction) and effective assets `1/HHI`. Levels: ≥ 85 very
/// robust, ≥ 70 robust, ≥ 50 moderate, ≥ 30 fragile, else very fragile.
pub fn structural_score(hhi: f64, memes: f64, gri: f64) -> Score {
    let mut steps = vec![
        Step {
            input: Input::Hhi,
            rule: "above 0.25, × 100".into(),
            points: -(hhi - 0.25).max(0.0) * 100.0,
        },
        Step {
            input: Input::Memes,
            rule: "× 40".into(),
            points: -memes * 40.0,
        },
        Step {
            input: Input::Gri,
            rule: "× 5".into(),
            points: -gri * 5.0,
        },
    ];
    let effective = 1.0 / hhi;
    if effective < 5.0 {
        steps.push(Step {
            input: Input::EffectiveAssets,
            rule: "fewer than 5".into(),
            points: -10.0,
        });
    }
    Score::from_steps(
        100.0,
        steps,
        &[
            (85.0, Level::VeryRobust),
            (70.0, Level::Robust),
            (50.0, Level::Moderate),
            (30.0, Level::Fragile),
        ],
        Level::VeryFragile,
    )
}

/// Inputs of the risk score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskInputs {
    /// 1-day historical VaR 95 % as a positive loss fraction (0.05 is 5 %).
    pub var95: f64,
    /// Annualised Sharpe ratio.
    pub sharpe: f64,
    /// Maximum drawdown as a positive fraction.
    pub max_drawdown: f64,
    /// Annualised volatility (fraction).
    pub volatility: f64,
    /// Memecoin share (fraction).
    pub memes: f64,
    /// HHI of the asset weights.
    pub hhi: f64,
    /// Group risk index.
    pub gri: f64,
    /// SmartFolio's diversification index `√(Σw² / wᵀCw)` with `C` the correlation matrix
    /// ([`smartfolio_diversification`]).
    pub diversification: f64,
}

/// The first band whose test holds: `(test, rule, points)`, in order.
fn band(bands: &[(bool, &str, f64)]) -> Option<(String, f64)> {
    bands
        .iter()
        .find(|(hit, _, _)| *hit)
        .map(|(_, rule, points)| (rule.to_string(), *points))
}

/// SmartFolio's risk score (`risk_scoring.py` `assess_risk_level`): start at 50, add or take
/// points per rule, clamp to 0–100. Levels: ≥ 80 very low, ≥ 65 low, ≥ 50 medium, ≥ 35 high,
/// ≥ 20 very high, else critical (risk, not robustness: a high score is a low risk).
/// Only rules that move the score are steps; an input that is not a number (too little
/// history) moves nothing and says so (those steps come last).
pub fn risk_score(i: &RiskInputs) -> Score {
    let mut steps = Vec::new();
    let mut missing = Vec::new();
    let mut rule = |input: Input, value: f64, found: Option<(String, f64)>| {
        if !value.is_finite() {
            missing.push(Step {
                input,
                rule: "not enough data, not scored".into(),
                points: 0.0,
            });
        } else if let Some((rule, points)) = found.filter(|(_, p)| *p != 0.0) {
            steps.push(Step {
                input,
                rule,
                points,
            });
        }
    };
    let v = i.var95;
    rule(
        Input::Var95,
        v,
        band(&[
            (v > 0.25, "a loss beyond 25 %", -30.0),
            (v > 0.15, "a loss beyond 15 %", -15.0),
            (v < 0.05, "a loss under 5 %", 10.0),
            (v < 0.10, "a loss under 10 %", 5.0),
        ]),
    );
    let s = i.sharpe;
    rule(
        Input::Sharpe,
        s,
        band(&[
            (s < 0.0, "below 0", -15.0),
            (s > 2.0, "above 2", 20.0),
            (s > 1.5, "above 1.5", 15.0),
            (s > 1.0, "above 1", 10.0),
            (s > 0.5, "above 0.5", 5.0),
        ]),
    );
    let d = i.max_drawdown.abs();
    rule(
        Input::MaxDrawdown,
        i.max_drawdown,
        band(&[
            (d > 0.70, "deeper than 70 %", -22.0),
            (d > 0.50, "deeper than 50 %", -15.0),
            (d > 0.30, "deeper than 30 %", -10.0),
            (d < 0.10, "shallower than 10 %", 10.0),
            (d < 0.20, "shallower than 20 %", 5.0),
        ]),
    );
    let v = i.volatility;
    rule(
        Input::Volatility,
        v,
        band(&[
            (v > 1.0, "above 100 %", -10.0),
            (v > 0.60, "above 60 %", -5.0),
            (v < 0.20, "below 20 %", 10.0),
            (v < 0.40, "below 40 %", 5.0),
        ]),
    );
    let m = i.memes;
    let linear = -10.0 - 5.0 * (m - 0.48) / 0.04;
    rule(
        Input::Memes,
        m,
        band(&[
            (m > 0.70, "above 70 %", -22.0),
            (m > 0.52, "above 52 %", -15.0),
            (m >= 0.48, "48–52 %, −10 to −15 in proportion", linear),
            (m > 0.30, "above 30 %", -10.0),
            (m > 0.15, "above 15 %", -6.0),
            (m > 0.05, "above 5 %", -3.0),
        ]),
    );
    let h = i.hhi;
    rule(
        Input::Hhi,
        h,
        band(&[
            (h > 0.40, "above 0.40", -12.0),
            (h > 0.25, "above 0.25", -8.0),
            (h > 0.15, "above 0.15", -3.0),
        ]),
    );
    let g = i.gri;
    rule(
        Input::Gri,
        g,
        band(&[
            (g > 7.0, "above 7", -10.0),
            (g > 6.0, "above 6", -7.0),
            (g > 5.0, "above 5", -4.0),
            (g < 3.0, "below 3", 5.0),
        ]),
    );
    let d = i.diversification;
    rule(
        Input::Diversification,
        d,
        band(&[
            (d < 0.4, "below 0.4", -10.0),
            (d < 0.6, "below 0.6", -5.0),
            (d > 0.8, "above 0.8", 5.0),
        ]),
    );
    steps.extend(missing);
    Score::from_steps(
        50.0,
        steps,
        &[
            (80.0, Level::VeryLow),
            (65.0, Level::Low),
            (50.0, Level::Medium),
            (35.0, Level::High),
            (20.0, Level::VeryHigh),
        ],
        Level::Critical,
    )
}

/// SmartFolio's diversification ratio for the risk score: `√(Σw² / wᵀCw)`, `C` the
/// correlation matrix (unit volatilities). 1 for uncorrelated equal weights, `1/√N` when
/// everything moves together.
pub fn smartfolio_diversification(corr: &[Vec<f64>], w: &[f64]) -> f64 {
    let num: f64 = w.iter().map(|x| x * x).sum();
    let den: f64 = corr
        .iter()
        .zip(w)
        .map(|(row, wi)| wi * row.iter().zip(w).map(|(c, wj)| c * wj).sum::<f64>())
        .sum();
    (num / den).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn gri_weights_group_levels() {
        // 50 % BTC (2), 30 % stablecoins (0), 20 % memecoins (9): 1 + 0 + 1.8 = 2.8.
        let g = gri(&w(&[
            ("BTC", 0.5),
            ("Stablecoins", 0.3),
            ("Memecoins", 0.2),
        ]));
        assert!((g - 2.8).abs() < 1e-12);
        assert_eq!(group_level("Cash · EUR"), 0.0);
        assert_eq!(group_level("Something new"), 6.0);
    }

    #[test]
    fn structural_score_by_hand() {
        // HHI 0.30 → −5; memes 10 % → −4; GRI 2.8 → −14; effective 3.3 < 5 → −10: 67, moderate.
        let s = structural_score(0.30, 0.10, 2.8);
        assert!((s.value - 67.0).abs() < 1e-9, "{s:?}");
        assert_eq!(s.level, Level::Moderate);
        assert_eq!(s.steps.len(), 4);
    }

    #[test]
    fn levels_start_at_their_floor_and_values_are_clamped() {
        let step = |points: f64| {
            vec![Step {
                input: Input::Hhi,
                rule: String::new(),
                points,
            }]
        };
        let (a, b, c) = (Level::VeryRobust, Level::Robust, Level::Moderate);
        let ladder = [(85.0, a), (70.0, b)];
        let at = |points| Score::from_steps(50.0, step(points), &ladder, c);
        assert_eq!((at(35.0).value, at(35.0).level), (85.0, a));
        assert_eq!(at(34.9).level, b);
        assert_eq!(at(20.0).level, b);
        assert_eq!(at(19.9).level, c);
        assert_eq!((at(80.0).value, at(-80.0).value), (100.0, 0.0));
    }

    #[test]
    fn risk_score_by_hand() {
        // VaR 4 % +10, Sharpe 1.2 +10, MDD 25 % 0, vol 55 % 0, memes 50 % −12.5 (linear),
        // HHI 0.2 −3, GRI 2.8 +5, DR 0.9 +5: 50 + 14.5 = 64.5, "medium".
        let s = risk_score(&RiskInputs {
            var95: 0.04,
            sharpe: 1.2,
            max_drawdown: 0.25,
            volatility: 0.55,
            memes: 0.50,
            hhi: 0.2,
            gri: 2.8,
            diversification: 0.9,
        });
        assert!((s.value - 64.5).abs() < 1e-9, "{s:?}");
        assert_eq!(s.level, Level::Medium);
        let thin = risk_score(&RiskInputs {
            var95: f64::NAN,
            sharpe: f64::NAN,
            ..RiskInputs {
                var95: 0.0,
                sharpe: 0.0,
                max_drawdown: 0.0,
                volatility: 0.1,
                memes: 0.0,
                hhi: 0.1,
                gri: 3.0,
                diversification: 0.7,
            }
        });
        assert!(thin
            .steps
            .iter()
            .any(|s| s.rule.contains("not enough data")));
        assert!(thin.value.is_finite());
    }

    #[test]
    fn smartfolio_diversification_bounds() {
        let eye = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
        assert!((smartfolio_diversification(&eye, &[0.5, 0.5]) - 1.0).abs() < 1e-12);
        let ones = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        assert!((smartfolio_diversification(&ones, &[0.5, 0.5]) - 0.5f64.sqrt()).abs() < 1e-12);
    }
}

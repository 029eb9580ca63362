//! Target allocations: percent per asset class, per crypto group inside the crypto class,
//! and optionally per asset inside any bucket; their validation, and the templates a user
//! starts from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::holding::AssetClass;
use crate::domain::rebalance::model::Position;
use crate::domain::taxonomy::GROUPS;

/// Tolerance on "sums to 100 %", in percentage points.
pub const SUM_TOLERANCE_PP: f64 = 0.01;

/// The bucket name of a non-crypto class (and of crypto when it is not split by group).
pub fn class_bucket(class: AssetClass) -> &'static str {
    class.label()
}

/// Targets of one profile, in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// Percent of the portfolio per asset class, keyed by [`AssetClass::label`].
    #[serde(default)]
    pub classes: BTreeMap<String, f64>,
    /// Percent of the crypto class per taxonomy group. Empty: crypto is one bucket.
    #[serde(default)]
    pub groups: BTreeMap<String, f64>,
    /// Optional percent of a bucket (a crypto group or a class) per asset symbol. Assets of
    /// that bucket left out of its map have a target of zero.
    #[serde(default)]
    pub assets: BTreeMap<String, BTreeMap<String, f64>>,
}

/// Why targets cannot be planned with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    /// No class has a target.
    #[error("No targets are set yet.")]
    Empty,
    /// A target is negative, above 100 or not a number.
    #[error("The target for {key} is {value}: each target must be between 0 and 100 %.")]
    OutOfRange {
        /// The bucket or asset.
        key: String,
        /// The value given.
        value: f64,
    },
    /// Class targets do not add up to 100.
    #[error("Asset-class targets add up to {sum:.2} %, not 100 % ({left:+.2} points to assign).")]
    ClassSum {
        /// Their sum.
        sum: f64,
        /// 100 − sum.
        left: f64,
    },
    /// Group targets inside crypto do not add up to 100.
    #[error("Crypto group targets add up to {sum:.2} % of crypto, not 100 % ({left:+.2} points to assign).")]
    GroupSum {
        /// Their sum.
        sum: f64,
        /// 100 − sum.
        left: f64,
    },
    /// Asset targets inside a bucket do not add up to 100.
    #[error("Asset targets inside {bucket} add up to {sum:.2} %, not 100 %.")]
    AssetSum {
        /// The bucket.
        bucket: String,
        /// Their sum.
        sum: f64,
    },
}

/// The effective target of one sleeve: a bucket, or one asset of a bucket with asset targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SleeveTarget {
    /// Unique key: the bucket, or `bucket › SYMBOL`.
    pub key: String,
    /// The bucket (crypto group or class label).
    pub bucket: String,
    /// The asset, for asset-level targets.
    pub asset: Option<String>,
    /// Percent of the whole portfolio.
    pub pct: f64,
}

/// Validated targets, flattened to percent of the whole portfolio per sleeve.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlatTargets {
    /// Sleeves with a target (zero targets included), in a stable order.
    pub sleeves: Vec<SleeveTarget>,
    /// Crypto is split by group.
    pub split_crypto: bool,
    /// Buckets with asset-level targets.
    pub asset_buckets: Vec<String>,
}

fn sleeve_key(bucket: &str, asset: Option<&str>) -> String {
    match asset {
        Some(a) => format!("{bucket} › {a}"),
        None => bucket.to_string(),
    }
}

impl FlatTargets {
    /// The sleeve a position belongs to: `(key, bucket, asset)`.
    pub fn sleeve_of(
        &self,
        class: AssetClass,
        group: &str,
        symbol: &str,
    ) -> (String, String, Option<String>) {
        let bucket = if class == AssetClass::Crypto && self.split_crypto {
            group.to_string()
        } else {
            class_bucket(class).to_string()
        };
        if self.asset_buckets.contains(&bucket) {
            (
                sleeve_key(&bucket, Some(symbol)),
                bucket,
                Some(symbol.to_string()),
            )
        } else {
            (bucket.clone(), bucket, None)
        }
    }

    /// Target percent of a sleeve (zero when it has none).
    pub fn pct_of(&self, key: &str) -> f64 {
        self.sleeves
            .iter()
            .find(|s| s.key == key)
            .map_or(0.0, |s| s.pct)
    }
}

fn check_range(key: &str, value: f64) -> Result<(), TargetError> {
    if value.is_finite() && (0.0..=100.0).contains(&value) {
        Ok(())
    } else {
        Err(TargetError::OutOfRange {
            key: key.to_string(),
            value,
        })
    }
}

fn sum(map: &BTreeMap<String, f64>) -> f64 {
    map.values().sum()
}

impl Targets {
    /// Points left to assign among the classes (100 − Σ).
    pub fn class_remainder(&self) -> f64 {
        100.0 - sum(&self.classes)
    }

    /// Points left to assign among the crypto groups (100 − Σ).
    pub fn group_remainder(&self) -> f64 {
        100.0 - sum(&self.groups)
    }

    /// Crypto's class target.
    pub fn crypto_pct(&self) -> f64 {
        self.classes
            .get(class_bucket(AssetClass::Crypto))
            .copied()
            .unwrap_or(0.0)
    }

    /// Checks every level sums to 100 % (within [`SUM_TOLERANCE_PP`]) and flattens the
    /// targets to percent of the portfolio per sleeve.
    pub fn validate(&self) -> Result<FlatTargets, TargetError> {
        if self.classes.values().all(|v| *v == 0.0) {
            return Err(TargetError::Empty);
        }
        for (k, v) in self.classes.iter().chain(&self.groups) {
            check_range(k, *v)?;
        }
        let class_sum = sum(&self.classes);
        if (class_sum - 100.0).abs() > SUM_TOLERANCE_PP {
            return Err(TargetError::ClassSum {
                sum: class_sum,
                left: 100.0 - class_sum,
            });
        }
        let crypto = self.crypto_pct();
        let split_crypto = !self.groups.is_empty();
        if split_crypto && crypto > 0.0 {
            let s = sum(&self.groups);
            if (s - 100.0).abs() > SUM_TOLERANCE_PP {
                return Err(TargetError::GroupSum {
                    sum: s,
                    left: 100.0 - s,
                });
            }
        }
        let mut buckets: Vec<(String, f64)> = Vec::new();
        for (class, pct) in &self.classes {
            if class == class_bucket(AssetClass::Crypto) && split_crypto {
                for (g, share) in &self.groups {
                    buckets.push((g.clone(), crypto * share / 100.0));
                }
            } else {
                buckets.push((class.clone(), *pct));
            }
        }
        let mut flat = FlatTargets {
            sleeves: Vec::new(),
            split_crypto,
            asset_buckets: Vec::new(),
        };
        for (bucket, pct) in buckets {
            match self.assets.get(&bucket).filter(|m| !m.is_empty()) {
                Some(assets) => {
                    for (k, v) in assets {
                        check_range(k, *v)?;
                    }
                    let s = sum(assets);
                    if (s - 100.0).abs() > SUM_TOLERANCE_PP {
                        return Err(TargetError::AssetSum { bucket, sum: s });
                    }
                    for (asset, share) in assets {
                        flat.sleeves.push(SleeveTarget {
                            key: sleeve_key(&bucket, Some(asset)),
                            bucket: bucket.clone(),
                            asset: Some(asset.clone()),
                            pct: pct * share / 100.0,
                        });
                    }
                    flat.asset_buckets.push(bucket);
                }
                None => flat.sleeves.push(SleeveTarget {
                    key: bucket.clone(),
                    bucket,
                    asset: None,
                    pct,
                }),
            }
        }
        Ok(flat)
    }
}

/// Current values (base currency) the templates adapt to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrentMix {
    /// Value per class label.
    pub classes: BTreeMap<String, f64>,
    /// Value per crypto group.
    pub groups: BTreeMap<String, f64>,
}

/// Today's values per class and per crypto group, for templates and "current weights".
pub fn current_mix(positions: &[Position]) -> CurrentMix {
    let mut mix = CurrentMix::default();
    for p in positions {
        *mix.classes
            .entry(class_bucket(p.class).to_string())
            .or_default() += p.value;
        if p.class == AssetClass::Crypto {
            *mix.groups.entry(p.group.clone()).or_default() += p.value;
        }
    }
    mix
}

/// A starting point for targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Template {
    /// Mostly equities and cash, crypto mostly BTC, ETH and stablecoins.
    Conservative,
    /// Equities first, a third in crypto spread over the majors.
    Balanced,
    /// Crypto first, spread into alts.
    Aggressive,
    /// SmartFolio's risk budget: the stablecoin share inside crypto follows from a risk score.
    RiskBudget(RiskBudget),
    /// Today's weights.
    Current,
}

/// Class split of a template: (crypto, equities, cash) in percent.
fn class_split(t: Template) -> (f64, f64, f64) {
    match t {
        Template::Conservative => (15.0, 55.0, 30.0),
        Template::Balanced => (35.0, 50.0, 15.0),
        _ => (60.0, 35.0, 5.0),
    }
}

/// Crypto group split of a template, in percent of crypto.
fn group_split(t: Template) -> &'static [(&'static str, f64)] {
    match t {
        Template::Conservative => &[
            ("BTC", 50.0),
            ("ETH", 20.0),
            ("Stablecoins", 20.0),
            ("SOL", 3.0),
            ("L1/L0 majors", 4.0),
            ("DeFi", 2.0),
            ("Others", 1.0),
        ],
        Template::Balanced => &[
            ("BTC", 40.0),
            ("ETH", 25.0),
            ("Stablecoins", 12.0),
            ("SOL", 5.0),
            ("L1/L0 majors", 8.0),
            ("L2/Scaling", 3.0),
            ("DeFi", 4.0),
            ("AI/Data", 1.0),
            ("Memecoins", 1.0),
            ("Others", 1.0),
        ],
        _ => &[
            ("BTC", 30.0),
            ("ETH", 25.0),
            ("Stablecoins", 5.0),
            ("SOL", 8.0),
            ("L1/L0 majors", 12.0),
            ("L2/Scaling", 5.0),
            ("DeFi", 6.0),
            ("AI/Data", 3.0),
            ("Gaming/NFT", 2.0),
            ("Memecoins", 3.0),
            ("Others", 1.0),
        ],
    }
}

/// Rounds every value to two decimals and gives the rounding remainder to the largest, so
/// the map sums to exactly `total` (when it is not empty).
pub fn round_to_total(map: &mut BTreeMap<String, f64>, total: f64) {
    for v in map.values_mut() {
        *v = (*v * 100.0).round() / 100.0;
    }
    let left = total - sum(map);
    if let Some(v) = map
        .values_mut()
        .max_by(|a, b| a.total_cmp(b))
        .filter(|_| left.abs() > 1e-9)
    {
        *v = ((*v + left) * 100.0).round() / 100.0;
    }
}

/// Shares of `values` in percent of their sum, rounded to sum to 100.
fn shares(values: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let total: f64 = values.values().filter(|v| **v > 0.0).sum();
    let mut out: BTreeMap<String, f64> = values
        .iter()
        .filter(|(_, v)| **v > 0.0 && total > 0.0)
        .map(|(k, v)| (k.clone(), 100.0 * v / total))
        .collect();
    round_to_total(&mut out, 100.0);
    out
}

/// Builds targets from a template, adapted to what the user holds: classes nobody holds
/// get no share (theirs goes to the held ones), the equity share is split between stocks
/// and ETFs as they are held today, and "Other" assets (which a plan cannot trade) keep
/// their current weight. The risk-budget template only sets the crypto groups.
pub fn from_template(template: Template, current: &CurrentMix) -> Targets {
    let held = |label: &str| current.classes.get(label).copied().unwrap_or(0.0) > 0.0;
    let crypto_label = class_bucket(AssetClass::Crypto);
    let current_classes = shares(&current.classes);
    let current_groups = shares(&current.groups);
    match template {
        Template::Current => Targets {
            classes: current_classes,
            groups: current_groups,
            assets: BTreeMap::new(),
        },
        Template::RiskBudget(budget) => Targets {
            classes: current_classes,
            groups: budget.groups(),
            assets: BTreeMap::new(),
        },
        t => {
            let (crypto, equities, cash) = class_split(t);
            let other_label = class_bucket(AssetClass::Other);
            let other = current_classes.get(other_label).copied().unwrap_or(0.0);
            let stock = current
                .classes
                .get(class_bucket(AssetClass::Stock))
                .copied()
                .unwrap_or(0.0);
            let etf = current
                .classes
                .get(class_bucket(AssetClass::Etf))
                .copied()
                .unwrap_or(0.0);
            let mut raw = BTreeMap::new();
            if held(crypto_label) {
                raw.insert(crypto_label.to_string(), crypto);
            }
            if stock + etf > 0.0 {
                for (label, v) in [(AssetClass::Stock, stock), (AssetClass::Etf, etf)] {
                    if v > 0.0 {
                        raw.insert(
                            class_bucket(label).to_string(),
                            equities * v / (stock + etf),
                        );
                    }
                }
            }
            if held(class_bucket(AssetClass::Cash)) {
                raw.insert(class_bucket(AssetClass::Cash).to_string(), cash);
            }
            let raw_sum: f64 = raw.values().sum();
            let mut classes: BTreeMap<String, f64> = raw
                .into_iter()
                .map(|(k, v)| (k, v / raw_sum * (100.0 - other)))
                .collect();
            if other > 0.0 {
                classes.insert(other_label.to_string(), other);
            }
            round_to_total(&mut classes, 100.0);
            let mut groups: BTreeMap<String, f64> = group_split(t)
                .iter()
                .map(|(g, v)| (g.to_string(), *v))
                .collect();
            if !held(crypto_label) {
                groups.clear();
            }
            Targets {
                classes,
                groups,
                assets: BTreeMap::new(),
            }
        }
    }
}

/// Which risk-factor curve the risk budget uses (SmartFolio `calculateRiskBudget`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RiskCurve {
    /// `risk_factor = 0.5 + 0.5·Risk/100`.
    Conservative,
    /// `risk_factor = 0.4 + 0.7·Risk/100`.
    Aggressive,
}

/// Inputs of SmartFolio's risk budget (`market-regimes.js` `calculateRiskBudget`) and of
/// the Allocation Engine V2 split of the risky part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RiskBudget {
    /// Risk score, 0–100 (higher is more robust, SmartFolio's convention).
    pub risk_score: f64,
    /// Blended decision score, 0–100.
    pub blended_score: f64,
    /// Cycle score, 0–100, which splits the risky part between BTC, ETH and alts.
    pub cycle_score: f64,
    /// Risk-factor curve.
    pub curve: RiskCurve,
}

impl Default for RiskBudget {
    fn default() -> RiskBudget {
        RiskBudget {
            risk_score: 50.0,
            blended_score: 50.0,
            cycle_score: 50.0,
            curve: RiskCurve::Conservative,
        }
    }
}

/// Every step of the risk budget, so the user can see why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskBudgetSteps {
    /// `0.5 + 0.5·Risk/100` (or the aggressive curve).
    pub risk_factor: f64,
    /// `clamp((round(blended) − 35)/45, 0, 1)`.
    pub base_risky: f64,
    /// `clamp(base_risky·risk_factor, 0.20, 0.85)`.
    pub risky: f64,
    /// `100 − round(risky·100)`: the stablecoin share of crypto in percent.
    pub stables_pct: f64,
    /// Shares of the risky part: (BTC, ETH, alts).
    pub risky_split: (f64, f64, f64),
}

/// Alt-group floors of Allocation Engine V2 (base, and bullish when the cycle is ≥ 90),
/// used to spread the alts share.
const ALT_FLOORS: [(&str, f64, f64); 8] = [
    ("SOL", 0.03, 0.06),
    ("L1/L0 majors", 0.08, 0.12),
    ("L2/Scaling", 0.03, 0.06),
    ("DeFi", 0.04, 0.08),
    ("Memecoins", 0.02, 0.05),
    ("Gaming/NFT", 0.01, 0.02),
    ("AI/Data", 0.01, 0.02),
    ("Others", 0.01, 0.01),
];

impl RiskBudget {
    /// The steps of the computation.
    pub fn steps(&self) -> RiskBudgetSteps {
        let r = self.risk_score.clamp(0.0, 100.0);
        let risk_factor = match self.curve {
            RiskCurve::Conservative => 0.5 + 0.5 * r / 100.0,
            RiskCurve::Aggressive => 0.4 + 0.7 * r / 100.0,
        };
        let base_risky =
            ((self.blended_score.clamp(0.0, 100.0).round() - 35.0) / 45.0).clamp(0.0, 1.0);
        let risky = (base_risky * risk_factor).clamp(0.20, 0.85);
        let stables_pct = 100.0 - (risky * 100.0).round();
        let risky_split = if self.cycle_score >= 90.0 {
            (0.25, 0.20, 0.55)
        } else if self.cycle_score >= 70.0 {
            (0.30, 0.22, 0.48)
        } else {
            (0.35, 0.25, 0.40)
        };
        RiskBudgetSteps {
            risk_factor,
            base_risky,
            risky,
            stables_pct,
            risky_split,
        }
    }

    /// Crypto group targets in percent of crypto, summing to 100.
    pub fn groups(&self) -> BTreeMap<String, f64> {
        let s = self.steps();
        let risky_pct = 100.0 - s.stables_pct;
        let (btc, eth, alts) = s.risky_split;
        let bullish = self.cycle_score >= 90.0;
        let floors: f64 = ALT_FLOORS
            .iter()
            .map(|(_, base, bull)| if bullish { bull } else { base })
            .sum();
        let mut out = BTreeMap::new();
        out.insert("Stablecoins".to_string(), s.stables_pct);
        out.insert("BTC".to_string(), risky_pct * btc);
        out.insert("ETH".to_string(), risky_pct * eth);
        for (g, base, bull) in ALT_FLOORS {
            let f = if bullish { bull } else { base };
            out.insert(g.to_string(), risky_pct * alts * f / floors);
        }
        round_to_total(&mut out, 100.0);
        debug_assert!(out.keys().all(|g| GROUPS.contains(&g.as_str())));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn flattens_classes_groups_and_assets() {
        let t = Targets {
            classes: map(&[("Crypto", 50.0), ("Stocks", 30.0), ("Cash", 20.0)]),
            groups: map(&[("BTC", 60.0), ("ETH", 40.0)]),
            assets: [("Stocks".to_string(), map(&[("AAPL", 25.0), ("MSFT", 75.0)]))]
                .into_iter()
                .collect(),
        };
        let flat = t.validate().unwrap();
        let pct = |k: &str| flat.pct_of(k);
        assert_eq!(pct("BTC"), 30.0);
        assert_eq!(pct("ETH"), 20.0);
        assert_eq!(pct("Stocks › AAPL"), 7.5);
        assert_eq!(pct("Stocks › MSFT"), 22.5);
        assert_eq!(pct("Cash"), 20.0);
        let total: f64 = flat.sleeves.iter().map(|s| s.pct).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert_eq!(
            flat.sleeve_of(AssetClass::Stock, "Stocks · USD", "NVDA").0,
            "Stocks › NVDA"
        );
        assert_eq!(flat.sleeve_of(AssetClass::Crypto, "DeFi", "UNI").0, "DeFi");
        assert_eq!(flat.pct_of("DeFi"), 0.0);
    }

    #[test]
    fn refuses_sums_other_than_100_with_the_remainder() {
        let t = Targets {
            classes: map(&[("Crypto", 60.0), ("Cash", 35.0)]),
            ..Targets::default()
        };
        assert_eq!(t.class_remainder(), 5.0);
        let e = t.validate().unwrap_err();
        assert_eq!(
            e,
            TargetError::ClassSum {
                sum: 95.0,
                left: 5.0
            }
        );
        assert!(e.to_string().contains("+5.00 points"));
        let t = Targets {
            classes: map(&[("Crypto", 100.0)]),
            groups: map(&[("BTC", 70.0), ("ETH", 40.0)]),
            ..Targets::default()
        };
        assert!(matches!(t.validate(), Err(TargetError::GroupSum { .. })));
        let t = Targets {
            classes: map(&[("Crypto", 120.0), ("Cash", -20.0)]),
            ..Targets::default()
        };
        assert!(matches!(t.validate(), Err(TargetError::OutOfRange { .. })));
        assert_eq!(Targets::default().validate(), Err(TargetError::Empty));
    }

    #[test]
    fn templates_adapt_to_held_classes_and_sum_to_100() {
        let current = CurrentMix {
            classes: map(&[
                ("Crypto", 60_000.0),
                ("Stocks", 20_000.0),
                ("ETFs", 10_000.0),
                ("Cash", 10_000.0),
            ]),
            groups: map(&[("BTC", 40_000.0), ("ETH", 20_000.0)]),
        };
        for t in [
            Template::Conservative,
            Template::Balanced,
            Template::Aggressive,
        ] {
            let targets = from_template(t, &current);
            let flat = targets.validate().unwrap();
            let total: f64 = flat.sleeves.iter().map(|s| s.pct).sum();
            assert!((total - 100.0).abs() < 1e-6, "{t:?}");
        }
        let b = from_template(Template::Balanced, &current);
        assert_eq!(b.classes["Crypto"], 35.0);
        assert!((b.classes["Stocks"] - 100.0 / 3.0).abs() < 0.01);
        let c = from_template(Template::Current, &current);
        assert_eq!(c.classes["Crypto"], 60.0);
        assert!((c.groups["BTC"] - 66.67).abs() < 1e-9);
        assert!((c.group_remainder()).abs() < 1e-9);
        let crypto_only = CurrentMix {
            classes: map(&[("Crypto", 1000.0)]),
            groups: map(&[("BTC", 1000.0)]),
        };
        assert_eq!(
            from_template(Template::Conservative, &crypto_only).classes,
            map(&[("Crypto", 100.0)])
        );
    }

    #[test]
    fn risk_budget_follows_smartfolio_formula() {
        // Risk 50, blended 80: factor 0.75, base (80−35)/45 = 1, risky 0.75, stables 25.
        let b = RiskBudget {
            risk_score: 50.0,
            blended_score: 80.0,
            cycle_score: 50.0,
            curve: RiskCurve::Conservative,
        };
        let s = b.steps();
        assert_eq!(s.risk_factor, 0.75);
        assert_eq!(s.base_risky, 1.0);
        assert_eq!(s.risky, 0.75);
        assert_eq!(s.stables_pct, 25.0);
        let g = b.groups();
        assert_eq!(g["Stablecoins"], 25.0);
        // 75 % risky × 0.35, plus the two-decimal rounding remainder of the alts.
        assert!((g["BTC"] - 26.25).abs() < 0.05, "{g:?}");
        assert!((g.values().sum::<f64>() - 100.0).abs() < 1e-9);
        // Low blended score: risky clamps to 0.20, stables 80.
        let low = RiskBudget {
            blended_score: 20.0,
            ..b
        }
        .steps();
        assert_eq!((low.risky, low.stables_pct), (0.20, 80.0));
        // Aggressive curve, risk 100: factor 1.1, risky clamps to 0.85.
        let hi = RiskBudget {
            risk_score: 100.0,
            curve: RiskCurve::Aggressive,
            ..b
        }
        .steps();
        assert!((hi.risk_factor - 1.1).abs() < 1e-12);
        assert_eq!(hi.stables_pct, 15.0);
    }
}

//! Starting points for targets: today's weights (a plan made with them trades nothing),
//! the conservative, balanced and aggressive templates adapted to what is held, and
//! SmartFolio's risk budget.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::holding::AssetClass;
use crate::domain::rebalance::model::{Position, STABLECOINS};
use crate::domain::rebalance::targets::{round_to_total, Bucket, Targets};
use crate::domain::taxonomy::GROUPS;

/// Today's values (base currency) the templates adapt to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrentMix {
    /// Value per class.
    pub classes: BTreeMap<AssetClass, f64>,
    /// Value per crypto group.
    pub groups: BTreeMap<String, f64>,
    /// Value per asset (alias) inside every bucket a target can name: a crypto asset is
    /// under its class and under its group.
    pub assets: BTreeMap<Bucket, BTreeMap<String, f64>>,
}

/// Today's values per class, crypto group and asset.
pub fn current_mix(positions: &[Position]) -> CurrentMix {
    let mut mix = CurrentMix::default();
    for p in positions {
        *mix.classes.entry(p.class).or_default() += p.value;
        let mut buckets = vec![Bucket::Class(p.class)];
        if p.class == AssetClass::Crypto {
            *mix.groups.entry(p.group.clone()).or_default() += p.value;
            buckets.push(Bucket::Group(p.group.clone()));
        }
        for b in buckets {
            *mix.assets
                .entry(b)
                .or_default()
                .entry(p.alias.clone())
                .or_default() += p.value;
        }
    }
    mix
}

/// Today's weights of `values`: the positive ones in percent of their sum, unrounded (so
/// targets set to them leave nothing to trade).
pub fn weights_of<K: Ord + Clone>(values: &BTreeMap<K, f64>) -> BTreeMap<K, f64> {
    let total: f64 = values.values().filter(|v| **v > 0.0).sum();
    values
        .iter()
        .filter(|(_, v)| **v > 0.0 && total > 0.0)
        .map(|(k, v)| (k.clone(), 100.0 * v / total))
        .collect()
}

/// [`weights_of`] rounded to two decimals, summing to 100.
fn shares<K: Ord + Clone>(values: &BTreeMap<K, f64>) -> BTreeMap<K, f64> {
    let mut out = weights_of(values);
    round_to_total(&mut out, 100.0);
    out
}

/// Targets equal to today's weights: per class, per crypto group (crypto split when it is
/// held), and per asset inside each of `asset_buckets`. The shares are not rounded (each
/// level sums to 100 within a few 1e-13), so every sleeve is on target: a plan made with
/// them trades nothing. Where a new profile starts.
pub fn current_weights(mix: &CurrentMix, asset_buckets: &[Bucket]) -> Targets {
    let assets = asset_buckets
        .iter()
        .filter_map(|b| {
            let shares = weights_of(mix.assets.get(b)?);
            (!shares.is_empty()).then(|| (b.clone(), shares))
        })
        .collect();
    Targets {
        classes: weights_of(&mix.classes),
        groups: weights_of(&mix.groups),
        assets,
    }
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
}

/// Which crypto groups a template may target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupScope {
    /// Only the groups something is held in; the others stay at zero (buying into them
    /// means choosing assets the user never picked). The default.
    #[default]
    Held,
    /// Every group the template names, held or not.
    All,
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

/// Keeps a group split to the groups held (and the `kept` ones, at their share), the others
/// scaled up in proportion to sum to 100. When the template names none of the held groups,
/// those keep today's weights.
fn held_groups(
    split: BTreeMap<String, f64>,
    current: &CurrentMix,
    kept: &[&str],
) -> BTreeMap<String, f64> {
    let is_kept = |g: &str| kept.contains(&g);
    let held = |g: &str| current.groups.get(g).is_some_and(|v| *v > 0.0);
    let fixed: BTreeMap<String, f64> = split
        .iter()
        .filter(|(g, _)| is_kept(g))
        .map(|(g, v)| (g.clone(), *v))
        .collect();
    let mut free: BTreeMap<String, f64> = split
        .iter()
        .filter(|(g, v)| !is_kept(g) && held(g) && **v > 0.0)
        .map(|(g, v)| (g.clone(), *v))
        .collect();
    if free.is_empty() {
        free = current
            .groups
            .iter()
            .filter(|(g, v)| !is_kept(g) && **v > 0.0)
            .map(|(g, v)| (g.clone(), *v))
            .collect();
    }
    let fixed_sum: f64 = fixed.values().sum();
    let free_sum: f64 = free.values().sum();
    let mut out = fixed;
    if free_sum > 0.0 {
        for (g, v) in free {
            out.insert(g, v / free_sum * (100.0 - fixed_sum));
        }
    } else if fixed_sum > 0.0 {
        for v in out.values_mut() {
            *v *= 100.0 / fixed_sum;
        }
    }
    round_to_total(&mut out, 100.0);
    out
}

/// Builds targets from a template, adapted to what the user holds: classes nobody holds
/// get no share (theirs goes to the held ones), the equity share is split between stocks
/// and ETFs as they are held today, and "Other" assets (which a plan cannot trade) keep
/// their current weight. With [`GroupScope::Held`], crypto groups nothing is held in get no
/// share either (theirs goes to the held groups in proportion); the risk budget keeps its
/// stablecoin share, which is what it computes. The risk-budget template only sets the
/// crypto groups.
pub fn from_template(template: Template, current: &CurrentMix, scope: GroupScope) -> Targets {
    let held = |class: AssetClass| current.classes.get(&class).copied().unwrap_or(0.0) > 0.0;
    let current_classes = shares(&current.classes);
    let scoped = |split: BTreeMap<String, f64>, kept: &[&str]| match scope {
        GroupScope::All => split,
        GroupScope::Held => held_groups(split, current, kept),
    };
    match template {
        Template::RiskBudget(budget) => Targets {
            classes: current_classes,
            groups: scoped(budget.groups(), &[STABLECOINS]),
            assets: BTreeMap::new(),
        },
        t => {
            let (crypto, equities, cash) = class_split(t);
            let other = current_classes
                .get(&AssetClass::Other)
                .copied()
                .unwrap_or(0.0);
            let stock = current
                .classes
                .get(&AssetClass::Stock)
                .copied()
                .unwrap_or(0.0);
            let etf = current
                .classes
                .get(&AssetClass::Etf)
                .copied()
                .unwrap_or(0.0);
            let mut raw = BTreeMap::new();
            if held(AssetClass::Crypto) {
                raw.insert(AssetClass::Crypto, crypto);
            }
            if stock + etf > 0.0 {
                for (class, v) in [(AssetClass::Stock, stock), (AssetClass::Etf, etf)] {
                    if v > 0.0 {
                        raw.insert(class, equities * v / (stock + etf));
                    }
                }
            }
            if held(AssetClass::Cash) {
                raw.insert(AssetClass::Cash, cash);
            }
            let raw_sum: f64 = raw.values().sum();
            let mut classes: BTreeMap<AssetClass, f64> = raw
                .into_iter()
                .map(|(k, v)| (k, v / raw_sum * (100.0 - other)))
                .collect();
            if other > 0.0 {
                classes.insert(AssetClass::Other, other);
            }
            round_to_total(&mut classes, 100.0);
            let groups = if held(AssetClass::Crypto) {
                scoped(
                    group_split(t)
                        .iter()
                        .map(|(g, v)| (g.to_string(), *v))
                        .collect(),
                    &[],
                )
            } else {
                BTreeMap::new()
            };
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

    fn classes(pairs: &[(AssetClass, f64)]) -> BTreeMap<AssetClass, f64> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn templates_adapt_to_held_classes_and_sum_to_100() {
        let current = CurrentMix {
            classes: classes(&[
                (AssetClass::Crypto, 60_000.0),
                (AssetClass::Stock, 20_000.0),
                (AssetClass::Etf, 10_000.0),
                (AssetClass::Cash, 10_000.0),
            ]),
            groups: map(&[("BTC", 40_000.0), ("ETH", 20_000.0)]),
            assets: BTreeMap::new(),
        };
        for t in [
            Template::Conservative,
            Template::Balanced,
            Template::Aggressive,
        ] {
            let targets = from_template(t, &current, GroupScope::All);
            let flat = targets.validate().unwrap();
            let total: f64 = flat.sleeves.iter().map(|s| s.pct).sum();
            assert!((total - 100.0).abs() < 1e-6, "{t:?}");
        }
        let b = from_template(Template::Balanced, &current, GroupScope::All);
        assert_eq!(b.classes[&AssetClass::Crypto], 35.0);
        assert!((b.classes[&AssetClass::Stock] - 100.0 / 3.0).abs() < 0.01);
        let crypto_only = CurrentMix {
            classes: classes(&[(AssetClass::Crypto, 1000.0)]),
            groups: map(&[("BTC", 1000.0)]),
            assets: BTreeMap::new(),
        };
        assert_eq!(
            from_template(Template::Conservative, &crypto_only, GroupScope::All).classes,
            classes(&[(AssetClass::Crypto, 100.0)])
        );
    }

    #[test]
    fn current_weights_are_today_s_shares_unrounded() {
        // 100,000: crypto 60,000 (BTC 40,000 at Kraken, ETH 20,000), stocks 20,000 (AAPL
        // 5,000, MSFT 15,000), ETFs 10,000, cash 10,000.
        let p = |alias: &str, group: &str, class: AssetClass, value: f64| Position {
            symbol: alias.into(),
            alias: alias.into(),
            group: group.into(),
            class,
            location: "Somewhere".into(),
            value,
            price: None,
            unknown: false,
        };
        let mix = current_mix(&[
            p("BTC", "BTC", AssetClass::Crypto, 40_000.0),
            p("ETH", "ETH", AssetClass::Crypto, 20_000.0),
            p("AAPL", "Stocks · USD", AssetClass::Stock, 5_000.0),
            p("MSFT", "Stocks · USD", AssetClass::Stock, 15_000.0),
            p("VWCE", "ETFs · EUR", AssetClass::Etf, 10_000.0),
            p("EUR", "Cash · EUR", AssetClass::Cash, 10_000.0),
        ]);
        let stocks = Bucket::Class(AssetClass::Stock);
        let t = current_weights(&mix, std::slice::from_ref(&stocks));
        assert_eq!(t.classes[&AssetClass::Crypto], 60.0);
        assert_eq!(t.classes[&AssetClass::Stock], 20.0);
        // 40,000 of 60,000: 200/3, not rounded to 66.67.
        assert_eq!(t.groups["BTC"], 200.0 / 3.0);
        assert!(t.group_remainder().abs() < 1e-12);
        assert_eq!(t.assets[&stocks], map(&[("AAPL", 25.0), ("MSFT", 75.0)]));
        assert_eq!(t.assets.len(), 1);
        // Crypto assets are listed under their group and under the class.
        assert_eq!(
            mix.assets[&Bucket::Class(AssetClass::Crypto)],
            map(&[("BTC", 40_000.0), ("ETH", 20_000.0)])
        );
        assert_eq!(
            mix.assets[&Bucket::Group("ETH".into())],
            map(&[("ETH", 20_000.0)])
        );
        // Nothing held: no targets (the page then says none are set).
        assert!(current_weights(&CurrentMix::default(), &[]).is_empty());
    }

    #[test]
    fn templates_leave_groups_nobody_holds_at_zero_unless_asked() {
        // Only BTC and ETH are held in crypto.
        let current = CurrentMix {
            classes: classes(&[(AssetClass::Crypto, 60_000.0), (AssetClass::Cash, 40_000.0)]),
            groups: map(&[("BTC", 40_000.0), ("ETH", 20_000.0)]),
            assets: BTreeMap::new(),
        };
        // Balanced names BTC 40 and ETH 25 among ten groups: held only, they are scaled to
        // 100 — 40/65 = 61.54 and 25/65 = 38.46 — and no memecoin is bought.
        let held = from_template(Template::Balanced, &current, GroupScope::Held);
        assert_eq!(held.groups, map(&[("BTC", 61.54), ("ETH", 38.46)]));
        // Asked for, every group of the template.
        let all = from_template(Template::Balanced, &current, GroupScope::All);
        assert_eq!(all.groups.len(), 10);
        assert_eq!(all.groups["Memecoins"], 1.0);
        // The class split does not depend on it.
        assert_eq!(held.classes, all.classes);
        // The risk budget keeps its stablecoin share (25 % here, not held) and spreads the
        // risky 75 % over BTC and ETH as the budget weighs them.
        let budget = RiskBudget {
            blended_score: 80.0,
            ..RiskBudget::default()
        };
        let g = budget.groups();
        let rb = from_template(Template::RiskBudget(budget), &current, GroupScope::Held);
        assert_eq!(rb.groups.len(), 3);
        assert_eq!(rb.groups["Stablecoins"], 25.0);
        let btc = 75.0 * g["BTC"] / (g["BTC"] + g["ETH"]);
        assert!((rb.groups["BTC"] - btc).abs() < 0.006, "{rb:?}");
        assert!((rb.groups.values().sum::<f64>() - 100.0).abs() < 1e-9);
        // None of the template's groups held (only Gaming/NFT): today's weights stay.
        let gaming = CurrentMix {
            classes: classes(&[(AssetClass::Crypto, 1000.0)]),
            groups: map(&[("Gaming/NFT", 1000.0)]),
            assets: BTreeMap::new(),
        };
        assert_eq!(
            from_template(Template::Conservative, &gaming, GroupScope::Held).groups,
            map(&[("Gaming/NFT", 100.0)])
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

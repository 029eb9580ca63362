//! Stress tests (SmartFolio `services/risk/stress_testing.py`): per-group shocks applied to
//! today's values; and performance attribution per group (Brinson).

use std::collections::BTreeMap;

/// A scenario: a shock in percent per group (−50 is a 50 % fall).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Shock per group, in percent.
    pub shocks: BTreeMap<String, f64>,
    /// Shock for groups the scenario does not name, in percent.
    pub default_shock: f64,
}

/// SmartFolio's group order for its shock tables.
const ORDER: [&str; 11] = [
    "BTC",
    "ETH",
    "DeFi",
    "Stablecoins",
    "L1/L0 majors",
    "L2/Scaling",
    "Memecoins",
    "AI/Data",
    "Gaming/NFT",
    "SOL",
    "Others",
];

/// SmartFolio's six scenarios (crypto groups, in its order), with Folio's own shocks for
/// stocks and ETFs (the historical index falls: 2008 −50, 2020 −34, a Fed emergency −10;
/// crypto-only events 0) and none for cash. Every shock can be edited.
pub fn smartfolio_scenarios() -> Vec<Scenario> {
    let table: [(&str, [f64; 11], f64); 6] = [
        (
            "Crisis 2008",
            [
                -50.0, -55.0, -70.0, -5.0, -60.0, -65.0, -80.0, -60.0, -75.0, -65.0, -65.0,
            ],
            -50.0,
        ),
        (
            "COVID 2020",
            [
                -40.0, -45.0, -55.0, 0.0, -50.0, -55.0, -70.0, -50.0, -60.0, -50.0, -50.0,
            ],
            -34.0,
        ),
        (
            "China ban",
            [
                -35.0, -30.0, -35.0, -2.0, -40.0, -35.0, -50.0, -35.0, -45.0, -35.0, -40.0,
            ],
            0.0,
        ),
        (
            "Tether collapse",
            [
                -35.0, -40.0, -60.0, -25.0, -45.0, -50.0, -70.0, -45.0, -55.0, -45.0, -50.0,
            ],
            0.0,
        ),
        (
            "Fed emergency",
            [
                -25.0, -30.0, -40.0, 0.0, -35.0, -35.0, -55.0, -30.0, -45.0, -35.0, -35.0,
            ],
            -10.0,
        ),
        (
            "Exchange hack",
            [
                -20.0, -25.0, -30.0, -3.0, -28.0, -30.0, -40.0, -25.0, -35.0, -28.0, -30.0,
            ],
            0.0,
        ),
    ];
    table
        .iter()
        .map(|(name, shocks, equities)| {
            let mut m: BTreeMap<String, f64> = ORDER
                .iter()
                .zip(shocks)
                .map(|(g, s)| (g.to_string(), *s))
                .collect();
            m.insert("Stocks".into(), *equities);
            m.insert("ETFs".into(), *equities);
            m.insert("Cash".into(), 0.0);
            Scenario {
                name: name.to_string(),
                shocks: m,
                default_shock: 0.0,
            }
        })
        .collect()
}

/// One group under a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupImpact {
    /// Group.
    pub group: String,
    /// Value before.
    pub value: f64,
    /// Shock applied, percent.
    pub shock_pct: f64,
    /// Change in value (negative: a loss).
    pub change: f64,
}

/// A scenario's result.
#[derive(Debug, Clone, PartialEq)]
pub struct StressResult {
    /// Scenario name.
    pub name: String,
    /// Per group.
    pub groups: Vec<GroupImpact>,
    /// Total change.
    pub change: f64,
    /// Total change in percent of the portfolio.
    pub change_pct: f64,
}

/// Applies a scenario to group values: `change_g = value_g · shock_g / 100`. A group is
/// matched by name, then by its class prefix (`Stocks · USD` → `Stocks`, `Cash · EUR` →
/// `Cash`), else gets the default shock.
pub fn apply(scenario: &Scenario, values: &BTreeMap<String, f64>) -> StressResult {
    let shock_of = |g: &str| {
        scenario
            .shocks
            .get(g)
            .or_else(|| g.split(" · ").next().and_then(|p| scenario.shocks.get(p)))
            .copied()
            .unwrap_or(scenario.default_shock)
    };
    let groups: Vec<GroupImpact> = values
        .iter()
        .map(|(g, v)| {
            let s = shock_of(g);
            GroupImpact {
                group: g.clone(),
                value: *v,
                shock_pct: s,
                change: v * s / 100.0,
            }
        })
        .collect();
    let total: f64 = values.values().sum();
    let change: f64 = groups.iter().map(|g| g.change).sum();
    StressResult {
        name: scenario.name.clone(),
        groups,
        change,
        change_pct: if total > 0.0 {
            100.0 * change / total
        } else {
            f64::NAN
        },
    }
}

/// One asset's part in the attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetReturn {
    /// Group.
    pub group: String,
    /// Weight in the portfolio (fraction).
    pub weight: f64,
    /// Return over the window (fraction).
    pub ret: f64,
}

/// Brinson attribution of one group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attribution {
    /// Group.
    pub group: String,
    /// Portfolio weight `wp`.
    pub wp: f64,
    /// Benchmark weight `wb = 1 / groups`.
    pub wb: f64,
    /// Portfolio return of the group (value-weighted) `Rp`.
    pub rp: f64,
    /// Benchmark return of the group (equal-weighted over its assets) `Rb`.
    pub rb: f64,
    /// `(wp − wb)·Rb`.
    pub allocation: f64,
    /// `wb·(Rp − Rb)`.
    pub selection: f64,
    /// `(wp − wb)·(Rp − Rb)`.
    pub interaction: f64,
}

/// Brinson attribution per group against an equal-weight-per-group benchmark (SmartFolio):
/// each group weighs `1/G` in the benchmark and returns the plain mean of its assets'
/// returns. The three effects of every group sum to its contribution to the active return
/// `wp·Rp − wb·Rb`.
pub fn brinson(assets: &[AssetReturn]) -> Vec<Attribution> {
    let mut groups: BTreeMap<&str, Vec<&AssetReturn>> = BTreeMap::new();
    for a in assets {
        groups.entry(a.group.as_str()).or_default().push(a);
    }
    let g = groups.len().max(1) as f64;
    let total: f64 = assets.iter().map(|a| a.weight).sum();
    groups
        .into_iter()
        .map(|(name, list)| {
            let wsum: f64 = list.iter().map(|a| a.weight).sum();
            let wp = if total > 0.0 { wsum / total } else { 0.0 };
            let rp = if wsum > 0.0 {
                list.iter().map(|a| a.weight * a.ret).sum::<f64>() / wsum
            } else {
                0.0
            };
            let rb = list.iter().map(|a| a.ret).sum::<f64>() / list.len() as f64;
            let wb = 1.0 / g;
            Attribution {
                group: name.to_string(),
                wp,
                wb,
                rp,
                rb,
                allocation: (wp - wb) * rb,
                selection: wb * (rp - rb),
                interaction: (wp - wb) * (rp - rb),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crisis_2008_by_hand() {
        let s = &smartfolio_scenarios()[0];
        let values: BTreeMap<String, f64> = [
            ("BTC", 1000.0),
            ("Stablecoins", 500.0),
            ("Stocks · USD", 500.0),
            ("Cash · EUR", 200.0),
            ("Brand new", 100.0),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
        let r = apply(s, &values);
        // BTC −500, stables −25, stocks −250, cash 0, unknown group 0: −775 of 2,300.
        assert!((r.change + 775.0).abs() < 1e-9, "{r:?}");
        assert!((r.change_pct + 775.0 / 23.0).abs() < 1e-9);
        assert_eq!(smartfolio_scenarios().len(), 6);
    }

    #[test]
    fn brinson_effects_add_up() {
        let assets = vec![
            AssetReturn {
                group: "BTC".into(),
                weight: 0.6,
                ret: 0.10,
            },
            AssetReturn {
                group: "ETH".into(),
                weight: 0.3,
                ret: -0.05,
            },
            AssetReturn {
                group: "ETH".into(),
                weight: 0.1,
                ret: 0.15,
            },
        ];
        let a = brinson(&assets);
        // ETH: wp 0.4, Rp (0.3·−0.05 + 0.1·0.15)/0.4 = 0, Rb (−0.05 + 0.15)/2 = 0.05, wb 0.5.
        let eth = &a[1];
        assert!((eth.rp - 0.0).abs() < 1e-12 && (eth.rb - 0.05).abs() < 1e-12);
        assert!((eth.allocation - (-0.1 * 0.05)).abs() < 1e-12);
        assert!((eth.selection - (0.5 * -0.05)).abs() < 1e-12);
        for x in &a {
            let total = x.allocation + x.selection + x.interaction;
            assert!((total - (x.wp * x.rp - x.wb * x.rb)).abs() < 1e-12);
        }
    }
}

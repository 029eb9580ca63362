//! Properties of every plan, on random portfolios, targets and options.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::rebalance::model::{
    Band, Market, Mode, Plan, PlanOptions, PlanStatus, Policy, Position, Side,
};
use folio::domain::rebalance::plan::plan;
use folio::domain::rebalance::targets::Targets;
use folio::domain::rebalance::venues::location_key;
use proptest::prelude::*;

/// (alias, group, class)
const ASSETS: [(&str, &str, AssetClass); 10] = [
    ("BTC", "BTC", AssetClass::Crypto),
    ("WBTC", "BTC", AssetClass::Crypto),
    ("ETH", "ETH", AssetClass::Crypto),
    ("USDT", "Stablecoins", AssetClass::Crypto),
    ("USDC", "Stablecoins", AssetClass::Crypto),
    ("SOL", "SOL", AssetClass::Crypto),
    ("DOGE", "Memecoins", AssetClass::Crypto),
    ("UNI", "DeFi", AssetClass::Crypto),
    ("AAPL", "Stocks · USD", AssetClass::Stock),
    ("EUR", "Cash · EUR", AssetClass::Cash),
];
const PLACES: [&str; 8] = [
    "Binance",
    "Kraken",
    "Ledger Wallets",
    "OKX",
    "okx",
    "Metamask",
    "Saxo",
    "Bank",
];

fn position() -> impl Strategy<Value = Position> {
    (
        0..ASSETS.len(),
        0..PLACES.len(),
        1.0f64..50_000.0,
        prop::option::of(0.01f64..70_000.0),
    )
        .prop_map(|(a, l, value, price)| {
            let (alias, group, class) = ASSETS[a];
            Position {
                symbol: alias.to_string(),
                alias: alias.to_string(),
                group: group.to_string(),
                class,
                location: PLACES[l].to_string(),
                value,
                price,
                unknown: false,
            }
        })
}

fn shares<K: Ord + Clone>(labels: &[K], weights: &[u32]) -> BTreeMap<K, f64> {
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut m: BTreeMap<K, f64> = labels
        .iter()
        .zip(weights)
        .map(|(l, w)| (l.clone(), 100.0 * f64::from(*w) / f64::from(total)))
        .collect();
    if weights.iter().all(|w| *w == 0) {
        m.insert(labels[0].clone(), 100.0);
    }
    folio::domain::rebalance::targets::round_to_total(&mut m, 100.0);
    m
}

fn targets() -> impl Strategy<Value = Targets> {
    (
        prop::collection::vec(0u32..10, 3),
        prop::collection::vec(0u32..10, 5),
    )
        .prop_map(|(c, g)| Targets {
            classes: shares(
                &[AssetClass::Crypto, AssetClass::Stock, AssetClass::Cash],
                &c,
            ),
            groups: shares(
                &["BTC", "ETH", "Stablecoins", "SOL", "DeFi"].map(String::from),
                &g,
            ),
            assets: BTreeMap::new(),
        })
}

fn options() -> impl Strategy<Value = PlanOptions> {
    (
        0..4usize,
        -0.6f64..1.0,
        prop::option::of(0.5f64..20.0),
        prop::option::of(5.0f64..50.0),
        0.0f64..200.0,
        prop::option::of(100.0f64..5000.0),
        prop::option::of(1.0f64..100.0),
    )
        .prop_map(|(m, flow, abs, rel, min, max, cap)| PlanOptions {
            mode: Mode::ALL[m],
            flow,
            band: Band {
                abs_pp: abs,
                rel_pct: rel,
            },
            policy: Policy {
                cap_daily_pct: cap,
                min_order: min,
                max_order: max.map(|x| x.max(min)),
                ..Policy::default()
            },
            ..PlanOptions::default()
        })
}

/// Value per sleeve key after applying the plan.
fn after(p: &Plan) -> BTreeMap<String, f64> {
    p.sleeves.iter().map(|s| (s.key.clone(), s.after)).collect()
}

fn check(
    positions: &[Position],
    targets: &Targets,
    mut opts: PlanOptions,
) -> Result<(), TestCaseError> {
    let flat = targets.validate().unwrap();
    let total: f64 = positions.iter().map(|p| p.value).sum();
    opts.flow *= total;
    let result = plan(positions, &flat, &opts, &Market::new(Currency::USD));
    let p = match result {
        Ok(p) => p,
        // Policies that cannot be met say so (daily cap under the minimum trade).
        Err(e) => {
            prop_assert!(
                opts.policy
                    .cap_daily_pct
                    .is_some_and(|cap| cap / 100.0 * total < opts.policy.min_order),
                "{e}"
            );
            return Ok(());
        }
    };
    let flow = if opts.mode == Mode::CashFlow {
        opts.flow
    } else {
        0.0
    };
    let tol = 1e-6 * total.max(1.0);

    // No action is under the minimum trade.
    for a in &p.actions {
        prop_assert!(a.amount >= opts.policy.min_order - 1e-9, "{a:?}");
    }
    // No sell takes more than the location holds.
    let mut held: BTreeMap<(String, String), f64> = BTreeMap::new();
    for x in positions {
        *held
            .entry((x.alias.clone(), location_key(&x.location)))
            .or_default() += x.value;
    }
    let mut sold: BTreeMap<(String, String), f64> = BTreeMap::new();
    for a in p.actions.iter().filter(|a| a.side == Side::Sell) {
        *sold
            .entry((a.alias.clone(), location_key(&a.location)))
            .or_default() += a.amount;
    }
    for (k, s) in &sold {
        prop_assert!(
            *s <= held.get(k).copied().unwrap_or(0.0) + tol,
            "sells {s} of {k:?}"
        );
    }
    // Sells net of fees plus the flow pay for buys and their fees, exactly.
    let sells_net: f64 = p
        .actions
        .iter()
        .filter(|a| a.side == Side::Sell)
        .map(|a| a.amount - a.fee)
        .sum();
    let buys_gross: f64 = p
        .actions
        .iter()
        .filter(|a| a.side == Side::Buy)
        .map(|a| a.amount + a.fee)
        .sum();
    prop_assert!(
        (buys_gross - sells_net - flow).abs() <= tol
            || p.actions.is_empty()
            || flow != 0.0 && p.notes.iter().any(|n| n.starts_with("Only")),
        "buys {buys_gross} sells {sells_net} flow {flow}"
    );
    // Deposits never sell, withdrawals never buy; buy-only sells only cash, sell-only buys only cash.
    match opts.mode {
        Mode::CashFlow if flow > 0.0 => prop_assert!(p.actions.iter().all(|a| a.side == Side::Buy)),
        Mode::CashFlow => prop_assert!(p.actions.iter().all(|a| a.side == Side::Sell)),
        Mode::BuyOnly => prop_assert!(p
            .actions
            .iter()
            .filter(|a| a.side == Side::Sell)
            .all(|a| a.cash_like)),
        Mode::SellOnly => prop_assert!(p
            .actions
            .iter()
            .filter(|a| a.side == Side::Buy)
            .all(|a| a.cash_like)),
        Mode::Full => {}
    }
    // Inside the bands nothing trades (cash flows are always placed).
    if opts.mode != Mode::CashFlow && p.sleeves.iter().all(|s| !s.outside) {
        prop_assert_eq!(p.status, PlanStatus::InsideBands);
        prop_assert!(p.actions.is_empty());
    }
    // Every sleeve ends closer to its target, or where it was; none moves away, beyond the
    // drag of the fees on its weight.
    let new_total = total + flow;
    let after_total = new_total - p.fees;
    let after = after(&p);
    for s in &p.sleeves {
        let t = s.target_pct / 100.0;
        let before_gap = (s.current - t * new_total).abs();
        let after_gap = (after[&s.key] - t * after_total).abs();
        let traded = p.actions.iter().any(|a| a.sleeve == s.key);
        prop_assert!(
            after_gap <= before_gap + t * p.fees + tol,
            "{} moved away: {before_gap} → {after_gap}",
            s.key
        );
        if traded {
            prop_assert!(
                after_gap < before_gap + t * p.fees,
                "{} traded without getting closer",
                s.key
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_plan_keeps_its_invariants(
        positions in prop::collection::vec(position(), 1..40),
        targets in targets(),
        opts in options(),
    ) {
        check(&positions, &targets, opts)?;
    }

    #[test]
    fn the_plan_does_not_depend_on_row_order(
        positions in prop::collection::vec(position(), 1..30),
        targets in targets(),
        opts in options(),
        seed in any::<u64>(),
    ) {
        let flat = targets.validate().unwrap();
        let a = plan(&positions, &flat, &opts, &Market::new(Currency::USD));
        let mut shuffled = positions.clone();
        let mut rng = folio::domain::random::SplitMix64::new(seed);
        for i in (1..shuffled.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let b = plan(&shuffled, &flat, &opts, &Market::new(Currency::USD));
        prop_assert_eq!(a, b);
    }
}

//! Criterion benchmark of the rebalancing plan: 2,000 holdings across 30 locations, the
//! balanced template, min trade 25 and a daily cap of 8 % (no longer the default, kept so
//! the figure measures the same work: the split into days).

use criterion::{criterion_group, criterion_main, Criterion};
use folio::domain::currency::Currency;
use folio::domain::rebalance::model::{Market, PlanOptions, Policy, Position};
use folio::domain::rebalance::plan::plan;
use folio::domain::rebalance::targets::FlatTargets;
use folio::domain::rebalance::templates::{current_mix, from_template, GroupScope, Template};
use folio::domain::synthetic::positions;

fn setup() -> (Vec<Position>, FlatTargets) {
    let ps = positions(2000, 30, 42);
    let targets = from_template(Template::Balanced, &current_mix(&ps), GroupScope::All);
    let flat = targets.validate().unwrap();
    (ps, flat)
}

fn rebalance(c: &mut Criterion) {
    let (ps, flat) = setup();
    let opts = PlanOptions {
        policy: Policy {
            cap_daily_pct: Some(8.0),
            ..Policy::default()
        },
        ..PlanOptions::default()
    };
    let market = Market::new(Currency::USD);
    let p = plan(&ps, &flat, &opts, &market).unwrap();
    assert!(p.actions.len() > 100, "{} actions", p.actions.len());
    c.bench_function("plan_2000_holdings_30_locations", |b| {
        b.iter(|| plan(&ps, &flat, &opts, &market).unwrap().actions.len())
    });
}

criterion_group!(benches, rebalance);
criterion_main!(benches);

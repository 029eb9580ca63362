//! Criterion benchmark of the full risk report: 100 assets × 1,826 days (five years of
//! daily closes, `synthetic::daily_history`, seed 42), covariance, every metric, the VaR
//! methods with 100,000 Monte Carlo paths. Also writes the same data for `bench/risk_numpy.py`.

use criterion::{criterion_group, criterion_main, Criterion};
use folio::domain::risk::report::report;
use folio::domain::synthetic::risk_inputs;

fn risk(c: &mut Criterion) {
    let (assets, history, settings) = risk_inputs(100, 1826, 100_000, 42);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/out");
    let _ = std::fs::create_dir_all(&out);
    let closes: Vec<Vec<f64>> = history
        .values()
        .map(|s| s.points.iter().map(|p| p.1).collect())
        .collect();
    let _ = std::fs::write(
        out.join("risk_input.json"),
        serde_json::json!({ "closes": closes, "paths": 100_000, "horizon": 10 }).to_string(),
    );
    let r = report(&assets, &history, &[], &settings, &mut |_| {}).unwrap();
    assert_eq!(r.points, 1825);
    let mut group = c.benchmark_group("risk");
    group.sample_size(10);
    group.bench_function("report_100_assets_1826_days_100k_paths", |b| {
        b.iter(|| {
            report(&assets, &history, &[], &settings, &mut |_| {})
                .unwrap()
                .points
        })
    });
    group.finish();
}

criterion_group!(benches, risk);
criterion_main!(benches);

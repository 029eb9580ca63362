//! Criterion benchmarks of every importer on deterministic synthetic files
//! (`folio::domain::synthetic`). Throughput is reported in bytes; rows/s = rows ÷ time.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use folio::domain::import::{import_bytes, ImportOptions};
use folio::domain::synthetic::{balance_by_exchange, saxo_positions, trade_list};

fn importers(c: &mut Criterion) {
    let files = [
        ("balance_by_exchange_100k", balance_by_exchange(100_000, 42)),
        // The same bytes as `examples/synth.rs` writes for the browser benchmark.
        ("trade_list_1m", trade_list(1_000_000, 42)),
        ("saxo_positions_10k", saxo_positions(10_000, 42)),
    ];
    let mut group = c.benchmark_group("import");
    for (name, bytes) in files {
        // `make bench` (bench/browser.mjs) runs one of these at a time, 3 s after 1 s of
        // warm-up, in rounds alternating with the bench page's runs on the same file; 10
        // samples (criterion's least), of one run each for the 1M-row Trade List (criterion
        // samples flat when runs are this long).
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, bytes| {
            b.iter(|| {
                import_bytes("bench.csv", bytes.clone(), &ImportOptions::default())
                    .unwrap()
                    .unwrap()
                    .holdings
                    .len()
            })
        });
    }
    group.finish();
}

/// The 1M-row Trade List read as transactions (dates, legs, fees and an account per
/// exchange kept), as the ledger will import it.
fn trade_list_as_transactions(c: &mut Criterion) {
    let bytes = trade_list(1_000_000, 42);
    let options = ImportOptions {
        trade_list_as_transactions: true,
        ..ImportOptions::default()
    };
    let mut group = c.benchmark_group("import_transactions");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter("trade_list_1m"),
        &bytes,
        |b, bytes| {
            b.iter(|| {
                import_bytes("bench.csv", bytes.clone(), &options)
                    .unwrap()
                    .unwrap()
                    .transactions
                    .len()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, importers, trade_list_as_transactions);
criterion_main!(benches);

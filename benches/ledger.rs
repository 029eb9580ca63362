//! Criterion benchmarks of the ledger core on `folio::domain::synthetic::ledger`'s mix:
//! 100,000 transactions across 10 accounts and 500 assets. The target (issue 18): positions
//! at a date under 50 ms for such a ledger.

use std::collections::{BTreeMap, BTreeSet};

use criterion::{criterion_group, criterion_main, Criterion};
use folio::domain::accounts::dedup::merge_import;
use folio::domain::accounts::positions::PositionIndex;
use folio::domain::accounts::transfers::{find_transfers, TransferRule};
use folio::domain::calendar::Timestamp;
use folio::domain::ledger::Transaction;
use folio::domain::records::ledger_chunks::{decode_ledger, encode_ledger, ROWS_PER_CHUNK};
use folio::domain::synthetic::ledger;

fn by_account(txs: &[Transaction]) -> BTreeMap<String, Vec<Transaction>> {
    let mut out: BTreeMap<String, Vec<Transaction>> = BTreeMap::new();
    for t in txs {
        out.entry(t.account_id.clone()).or_default().push(t.clone());
    }
    out
}

fn ledger_core(c: &mut Criterion) {
    let txs = ledger(100_000, 10, 500, 42);
    let (first, last) = PositionIndex::build(&txs).span().unwrap();
    let middle = Timestamp::from_millis((first.millis() + last.millis()) / 2);
    let mut group = c.benchmark_group("ledger_100k_500_assets");
    group.sample_size(20);

    // From the ledger to the positions at a date: index built, then one date asked.
    group.bench_function("positions_at_date_from_ledger", |b| {
        b.iter(|| PositionIndex::build(&txs).at(middle).rows.len())
    });
    // Another date once the index is built (the "as of" slider).
    let index = PositionIndex::build(&txs);
    assert!(index.at(middle).rows.len() > 1_000);
    group.bench_function("positions_at_date_from_index", |b| {
        b.iter(|| index.at(middle).rows.len())
    });

    // The whole ledger imported into empty accounts, then imported again (all already there).
    let accounts = by_account(&txs);
    let fresh: Vec<(String, Vec<Transaction>)> = accounts
        .iter()
        .map(|(a, rows)| {
            let rows = rows
                .iter()
                .map(|t| Transaction {
                    id: String::new(),
                    account_id: String::new(),
                    ..t.clone()
                })
                .collect();
            (a.clone(), rows)
        })
        .collect();
    group.bench_function("import_into_empty_ledgers", |b| {
        b.iter(|| {
            fresh
                .iter()
                .map(|(a, rows)| merge_import(a, &[], rows.clone()).new.len())
                .sum::<usize>()
        })
    });
    group.bench_function("reimport_same_rows", |b| {
        b.iter(|| {
            fresh
                .iter()
                .map(|(a, rows)| {
                    merge_import(a, &accounts[a], rows.clone())
                        .already_there
                        .len()
                })
                .sum::<usize>()
        })
    });

    group.bench_function("find_transfers", |b| {
        b.iter(|| find_transfers(&txs, &TransferRule::default(), &BTreeSet::new()).len())
    });

    group.bench_function("encode_chunks", |b| {
        b.iter(|| {
            accounts
                .iter()
                .map(|(a, rows)| encode_ledger("p", a, rows, ROWS_PER_CHUNK).unwrap().len())
                .sum::<usize>()
        })
    });
    let chunks: Vec<_> = accounts
        .iter()
        .flat_map(|(a, rows)| encode_ledger("p", a, rows, ROWS_PER_CHUNK).unwrap())
        .collect();
    group.bench_function("decode_chunks", |b| {
        b.iter(|| decode_ledger(&chunks).unwrap().len())
    });
    group.finish();
}

criterion_group!(benches, ledger_core);
criterion_main!(benches);

//! Criterion benchmark of performance accounting from scratch: 100,000 transactions across
//! 500 assets and 10 accounts with five years (1,826 days) of daily closes (seeded,
//! generated below): the FIFO lots and disposals, the gains per lot, asset, group, account
//! and portfolio, the daily valuations and TWR index of every scope, and the figures (TWR,
//! XIRR, simple return) of every scope for the seven standard periods.
//!
//! Also writes the same ledger and closes to `bench/out/performance_input.json`, with
//! Folio's results, for `bench/performance_pandas.py` (pandas for the FIFO lots, pyxirr for
//! XIRR) to run the same work and compare (`make bench-performance` prints the ratio).
//! With `FOLIO_BENCH_1M=1` it also times 1,000,000 transactions.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use folio::domain::calendar::{days_after, Timestamp};
use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::ledger::{IncomeKind, Leg, Transaction, TxKind};
use folio::domain::performance::gains::gains;
use folio::domain::performance::returns::figures;
use folio::domain::performance::timeline::timeline;
use folio::domain::performance::{
    build_book, BookOptions, Grouping, MarketData, Period, Scope, STANDARD_PERIODS,
};
use folio::domain::price_key::PriceKey;
use folio::domain::random::SplitMix64;
use serde_json::json;

const ACCOUNTS: usize = 10;
const GROUPS: [&str; 11] = [
    "BTC",
    "ETH",
    "Stablecoins",
    "SOL",
    "L1/L0 majors",
    "L2/Scaling",
    "DeFi",
    "AI/Data",
    "Gaming/NFT",
    "Memecoins",
    "Others",
];

/// A seeded ledger and its closes.
struct Synthetic {
    txs: Vec<Transaction>,
    market: MarketData,
    grouping: Grouping,
    start: NaiveDate,
    end: NaiveDate,
    /// closes[asset][day], EUR.
    closes: Vec<Vec<f64>>,
    /// The ledger as compact rows for the Python side:
    /// [kind, account, day, asset_in, q_in, asset_out, q_out, fee_eur, pair].
    rows: Vec<serde_json::Value>,
}

fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn coin(i: usize) -> String {
    format!("C{i:03}")
}

fn leg(asset: &str, quantity: f64) -> Option<Leg> {
    let class = if asset == "EUR" {
        AssetClass::Cash
    } else {
        AssetClass::Crypto
    };
    Some(Leg {
        asset: asset.into(),
        class,
        quantity,
    })
}

fn synthetic(n: usize, assets: usize, days: usize, seed: u64) -> Synthetic {
    let mut rng = SplitMix64::new(seed);
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    let end = days_after(start, days as u32 - 1);
    let mut market = MarketData::new(Currency::EUR);
    let mut grouping = Grouping::new("Others");
    grouping.assign("EUR", "Cash");
    let mut closes = Vec::with_capacity(assets);
    for a in 0..assets {
        let mut p = 10f64.powf(-2.0 + 6.0 * unit(&mut rng));
        let c: Vec<f64> = (0..days)
            .map(|_| {
                p *= 1.0 + 0.06 * (unit(&mut rng) - 0.5);
                p
            })
            .collect();
        let points = c
            .iter()
            .enumerate()
            .map(|(d, v)| (days_after(start, d as u32), *v))
            .collect();
        market.add_closes(PriceKey::crypto(&coin(a)), Currency::EUR, points);
        grouping.assign(&coin(a), GROUPS[a % GROUPS.len()]);
        closes.push(c);
    }
    let mut eur = [0.0f64; ACCOUNTS];
    let mut held = vec![vec![0.0f64; assets]; ACCOUNTS];
    let mut held_list: Vec<Vec<usize>> = vec![Vec::new(); ACCOUNTS];
    let mut txs = Vec::with_capacity(n + n / 20);
    let mut rows = Vec::with_capacity(n + n / 20);
    let mut i = 0;
    while txs.len() < n {
        let day = txs.len() * days / n;
        let at = Timestamp::start_of(days_after(start, day as u32))
            .plus_millis((txs.len() % 86_000) as i64 * 1_000);
        let acct = rng.below(ACCOUNTS as u64) as usize;
        let id = format!("t{i}");
        i += 1;
        let base = Transaction {
            id: id.clone(),
            account_id: format!("acct{acct}"),
            at,
            kind: TxKind::Deposit,
            received: None,
            given: None,
            fee: None,
            value: None,
            external_id: None,
            isin: None,
            venue: None,
            counterpart: None,
            note: None,
        };
        let r = rng.below(100);
        let pick = |rng: &mut SplitMix64, list: &Vec<usize>| {
            (!list.is_empty()).then(|| list[rng.below(list.len() as u64) as usize])
        };
        match r {
            0..=4 => {
                let q = (1_000.0 + 9_000.0 * unit(&mut rng)).round();
                eur[acct] += q;
                txs.push(Transaction {
                    received: leg("EUR", q),
                    ..base
                });
                rows.push(json!(["deposit", acct, day, -1, q, -1, 0.0, 0.0, -1]));
            }
            5..=6 if eur[acct] > 100.0 => {
                let q = (0.1 * eur[acct]).round();
                eur[acct] -= q;
                txs.push(Transaction {
                    given: leg("EUR", q),
                    kind: TxKind::Withdrawal,
                    ..base
                });
                rows.push(json!(["withdrawal", acct, day, -1, 0.0, -1, q, 0.0, -1]));
            }
            7..=51 if eur[acct] > 50.0 => {
                let a = rng.below(assets as u64) as usize;
                let spend = eur[acct] * (0.02 + 0.18 * unit(&mut rng));
                let fee = spend * 0.001;
                let q = spend / closes[a][day];
                eur[acct] -= spend + fee;
                if held[acct][a] == 0.0 {
                    held_list[acct].push(a);
                }
                held[acct][a] += q;
                txs.push(Transaction {
                    received: leg(&coin(a), q),
                    given: leg("EUR", spend),
                    fee: leg("EUR", fee),
                    kind: TxKind::Trade,
                    ..base
                });
                rows.push(json!(["buy", acct, day, a, q, -1, spend, fee, -1]));
            }
            52..=81 => {
                let Some(a) = pick(&mut rng, &held_list[acct]).filter(|a| held[acct][*a] > 0.0)
                else {
                    continue;
                };
                let q = held[acct][a]
                    * if unit(&mut rng) < 0.3 {
                        1.0
                    } else {
                        0.1 + 0.8 * unit(&mut rng)
                    };
                let got = q * closes[a][day];
                let fee = got * 0.001;
                held[acct][a] -= q;
                if held[acct][a] < 1e-12 * q {
                    held[acct][a] = 0.0;
                    held_list[acct].retain(|x| *x != a);
                }
                eur[acct] += got - fee;
                txs.push(Transaction {
                    received: leg("EUR", got),
                    given: leg(&coin(a), q),
                    fee: leg("EUR", fee),
                    kind: TxKind::Trade,
                    ..base
                });
                rows.push(json!(["sell", acct, day, -1, got, a, q, fee, -1]));
            }
            82..=89 => {
                let Some(a) = pick(&mut rng, &held_list[acct]).filter(|a| held[acct][*a] > 0.0)
                else {
                    continue;
                };
                let b = rng.below(assets as u64) as usize;
                if a == b {
                    continue;
                }
                let q = held[acct][a] * (0.2 + 0.8 * unit(&mut rng));
                let got = q * closes[a][day] / closes[b][day];
                held[acct][a] -= q;
                if held[acct][b] == 0.0 {
                    held_list[acct].push(b);
                }
                held[acct][b] += got;
                txs.push(Transaction {
                    received: leg(&coin(b), got),
                    given: leg(&coin(a), q),
                    kind: TxKind::Trade,
                    ..base
                });
                rows.push(json!(["convert", acct, day, b, got, a, q, 0.0, -1]));
            }
            90..=94 => {
                let a = rng.below(assets as u64) as usize;
                let q = 10.0 / closes[a][day];
                if held[acct][a] == 0.0 {
                    held_list[acct].push(a);
                }
                held[acct][a] += q;
                txs.push(Transaction {
                    received: leg(&coin(a), q),
                    kind: TxKind::Income(IncomeKind::Staking),
                    ..base
                });
                rows.push(json!(["income", acct, day, a, q, -1, 0.0, 0.0, -1]));
            }
            95..=98 => {
                let Some(a) = pick(&mut rng, &held_list[acct]).filter(|a| held[acct][*a] > 0.0)
                else {
                    continue;
                };
                let to = (acct + 1 + rng.below(ACCOUNTS as u64 - 1) as usize) % ACCOUNTS;
                let q = 0.5 * held[acct][a];
                held[acct][a] -= q;
                if held[to][a] == 0.0 {
                    held_list[to].push(a);
                }
                held[to][a] += q;
                let in_id = format!("{id}-in");
                txs.push(Transaction {
                    given: leg(&coin(a), q),
                    kind: TxKind::TransferOut,
                    counterpart: Some(in_id.clone()),
                    ..base.clone()
                });
                txs.push(Transaction {
                    id: in_id,
                    account_id: format!("acct{to}"),
                    received: leg(&coin(a), q),
                    kind: TxKind::TransferIn,
                    counterpart: Some(id),
                    ..base
                });
                rows.push(json!(["transfer", acct, day, a, q, a, q, 0.0, to]));
            }
            _ if eur[acct] > 10.0 => {
                let q = 1.0 + (4.0 * unit(&mut rng)).round();
                eur[acct] -= q;
                txs.push(Transaction {
                    fee: leg("EUR", q),
                    kind: TxKind::Fee,
                    ..base
                });
                rows.push(json!(["fee", acct, day, -1, 0.0, -1, 0.0, q, -1]));
            }
            _ => {}
        }
    }
    Synthetic {
        txs,
        market,
        grouping,
        start,
        end,
        closes,
        rows,
    }
}

/// Everything the Performance page needs, from scratch.
fn run(s: &Synthetic) -> (f64, usize) {
    let book = build_book(&s.txs, &s.market, BookOptions::default());
    let g = gains(&book, &s.market, &s.grouping, s.end);
    let t = timeline(&book, &s.market, &s.grouping, s.end);
    let f = figures(&t, &STANDARD_PERIODS, s.end)
        .map(|f| f.len())
        .unwrap_or(0);
    (g.portfolio.total_gain(), f)
}

fn write_input(s: &Synthetic) {
    let book = build_book(&s.txs, &s.market, BookOptions::default());
    let g = gains(&book, &s.market, &s.grouping, s.end);
    let t = timeline(&book, &s.market, &s.grouping, s.end);
    let all = figures(&t, &[Period::SinceStart], s.end).unwrap_or_default();
    let mwr = |scope: &Scope| {
        all.iter()
            .find(|f| &f.scope == scope)
            .and_then(|f| f.xirr.as_ref().map(|x| x.rate))
    };
    let accounts: Vec<_> = (0..ACCOUNTS)
        .map(|a| {
            book.account_id(&format!("acct{a}"))
                .and_then(|id| mwr(&Scope::Account(id)))
        })
        .collect();
    let groups: serde_json::Map<String, serde_json::Value> = GROUPS
        .iter()
        .chain(&["Cash"])
        .map(|g| (g.to_string(), json!(mwr(&Scope::Group(g.to_string())))))
        .collect();
    let doc = json!({
        "start": s.start.to_string(),
        "days": s.closes.first().map_or(0, Vec::len),
        "groups": (0..s.closes.len()).map(|a| GROUPS[a % GROUPS.len()]).collect::<Vec<_>>(),
        "closes": s.closes,
        "rows": s.rows,
        "folio": {
            "realised_fifo": g.portfolio.realised,
            "unrealised_fifo": g.portfolio.unrealised,
            "disposals": book.disposals.len(),
            "xirr_portfolio": mwr(&Scope::Portfolio),
            "xirr_accounts": accounts,
            "xirr_groups": groups,
        }
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/out");
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(out.join("performance_input.json"), doc.to_string());
}

/// Milliseconds this thread has run on a CPU (Linux), which a loaded machine's waiting
/// does not inflate; wall time elsewhere.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(
            || {
                std::time::UNIX_EPOCH
                    .elapsed()
                    .map_or(0.0, |d| d.as_secs_f64() * 1e3)
            },
            |ns| ns / 1e6,
        )
}

/// The CPU time of each part, once (printed with `FOLIO_BENCH_PHASES=1`).
fn phases(s: &Synthetic) {
    let t0 = cpu_ms();
    let book = build_book(&s.txs, &s.market, BookOptions::default());
    let t1 = cpu_ms();
    let g = gains(&book, &s.market, &s.grouping, s.end);
    let t2 = cpu_ms();
    let t = timeline(&book, &s.market, &s.grouping, s.end);
    let t3 = cpu_ms();
    let f = figures(&t, &STANDARD_PERIODS, s.end)
        .map(|f| f.len())
        .unwrap_or(0);
    let t4 = cpu_ms();
    eprintln!(
        "{} transactions, CPU time: lots {:.0} ms ({} disposals), gains {:.0} ms ({} lots), timeline {:.0} ms ({} scopes), figures {:.0} ms ({f}); total {:.0} ms",
        s.txs.len(),
        t1 - t0,
        book.disposals.len(),
        t2 - t1,
        g.lots.len(),
        t3 - t2,
        t.scopes.len(),
        t4 - t3,
        t4 - t0,
    );
}

fn performance(c: &mut Criterion) {
    let s = synthetic(100_000, 500, 1826, 19);
    write_input(&s);
    if std::env::var_os("FOLIO_BENCH_PHASES").is_some() {
        phases(&s);
    }
    let (gain, n) = run(&s);
    assert!(gain.is_finite() && n > 0);
    let mut group = c.benchmark_group("performance");
    group.sample_size(10);
    group.bench_function("100k_tx_500_assets_1826_days_from_scratch", |b| {
        b.iter(|| run(&s))
    });
    if std::env::var_os("FOLIO_BENCH_1M").is_some() {
        let big = synthetic(1_000_000, 500, 1826, 19);
        if std::env::var_os("FOLIO_BENCH_PHASES").is_some() {
            phases(&big);
        }
        group.bench_function("1m_tx_500_assets_1826_days_from_scratch", |b| {
            b.iter(|| run(&big))
        });
    }
    group.finish();
}

criterion_group!(benches, performance);
criterion_main!(benches);

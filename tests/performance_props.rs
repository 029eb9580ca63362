//! Property tests of performance accounting on random ledgers: the accounting identity,
//! the lot method moving gains between realised and unrealised but never changing their
//! total, the time-weighted return's indifference to flows, XIRR of one deposit, and no
//! panic on any ledger.
#![cfg(not(target_arch = "wasm32"))]

mod perf_support;

use chrono::NaiveDate;
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::ledger::{IncomeKind, Leg, Money, Transaction, TxKind};
use folio::domain::performance::gains::gains;
use folio::domain::performance::lots::{LotMethod, Pooling};
use folio::domain::performance::periods::{Period, STANDARD_PERIODS};
use folio::domain::performance::returns::{figure, figures};
use folio::domain::performance::scope::{Grouping, Scope};
use folio::domain::performance::timeline::timeline;
use folio::domain::performance::twr::twr_index;
use folio::domain::performance::xirr::{xirr, CashFlow};
use folio::domain::performance::{build_book, BookOptions, MarketData};
use folio::domain::price_key::PriceKey;
use perf_support::{at, d, leg, tx};
use proptest::prelude::*;

const ASSETS: [&str; 6] = ["EUR", "USD", "BTC", "ETH", "SOL", "BNB"];
const START: (i32, u32, u32) = (2023, 1, 1);
const DAYS: u32 = 120;

fn day(n: u32) -> NaiveDate {
    folio::domain::calendar::days_after(d(START.0, START.1, START.2), n)
}

/// Daily closes in EUR of every asset but EUR (USD as an FX rate), a seeded random walk.
fn market(seed: u64) -> (MarketData, Vec<Vec<f64>>) {
    let mut rng = folio::domain::random::SplitMix64::new(seed);
    let mut m = MarketData::new(Currency::EUR);
    let mut table = vec![vec![1.0; DAYS as usize + 1]];
    for (i, start) in [0.9, 20_000.0, 1_500.0, 50.0, 300.0]
        .into_iter()
        .enumerate()
    {
        let mut p: f64 = start;
        let closes: Vec<f64> = (0..=DAYS)
            .map(|_| {
                let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                p *= 1.0 + 0.08 * (u - 0.5);
                p
            })
            .collect();
        let points: Vec<(NaiveDate, f64)> = closes
            .iter()
            .enumerate()
            .map(|(k, c)| (day(k as u32), *c))
            .collect();
        if i == 0 {
            m.add_fx(Currency::USD, points);
        } else {
            m.add_closes(PriceKey::crypto(ASSETS[i + 1]), Currency::EUR, points);
        }
        table.push(closes);
    }
    (m, table)
}

/// One random step: what it does, the assets and account it touches, two fractions.
#[derive(Debug, Clone)]
struct Op {
    kind: u8,
    a: usize,
    b: usize,
    account: usize,
    x: f64,
    y: f64,
    fee: u8,
    gap: u32,
}

fn op() -> impl Strategy<Value = Op> {
    (
        0u8..9,
        0usize..6,
        0usize..6,
        0usize..2,
        0.05f64..1.0,
        0.0f64..1.0,
        0u8..4,
        0u32..3,
    )
        .prop_map(|(kind, a, b, account, x, y, fee, gap)| Op {
            kind,
            a,
            b,
            account,
            x,
            y,
            fee,
            gap,
        })
}

/// A ledger of `ops` that never gives more than an account holds (no missing history),
/// with every kind of transaction and fee, over two accounts.
fn ledger(ops: &[Op], prices: &[Vec<f64>]) -> Vec<Transaction> {
    let mut held = [[0.0f64; 6]; 2];
    let mut out = Vec::new();
    let mut today = 0u32;
    let accounts = ["a", "b"];
    for (n, o) in ops.iter().enumerate() {
        today = (today + o.gap).min(DAYS);
        let when = at(day(today), n as i64);
        let id = format!("t{n}");
        let acct = o.account;
        let price = |asset: usize| prices[asset][today as usize];
        let l = |asset: usize, q: f64| leg(ASSETS[asset], q);
        let h = held[acct];
        let mut t = match o.kind {
            0 => {
                let q = o.x * 10_000.0 / price(o.a);
                held[acct][o.a] += q;
                Transaction {
                    received: l(o.a, q),
                    ..tx(&id, accounts[acct], when, TxKind::Deposit)
                }
            }
            1 | 8 if h[o.a] > 0.0 => {
                let q = o.x * h[o.a];
                held[acct][o.a] -= q;
                let kind = if o.kind == 1 {
                    TxKind::Withdrawal
                } else {
                    TxKind::Spend
                };
                Transaction {
                    given: l(o.a, q),
                    ..tx(&id, accounts[acct], when, kind)
                }
            }
            2..=4 => {
                // 2: buy a coin with cash, 3: sell a coin for cash, 4: convert.
                let cash = o.b % 2;
                let coin = 2 + o.a % 4;
                let (g, r) = match o.kind {
                    2 => (cash, coin),
                    3 => (coin, cash),
                    _ => (2 + o.b % 4, coin),
                };
                if g == r || h[g] <= 0.0 {
                    continue;
                }
                let gq = o.x * h[g] * 0.9;
                let rq = gq * price(g) / price(r) * (0.97 + 0.06 * o.y);
                held[acct][g] -= gq;
                held[acct][r] += rq;
                let third = (0..6).find(|&k| k != g && k != r && held[acct][k] > 0.0);
                let fee = match (o.fee, third) {
                    (1, _) => Some((r, 0.01 * rq)),
                    (2, _) => Some((g, 0.01 * gq)),
                    (3, Some(k)) => Some((k, 0.01 * held[acct][k])),
                    _ => None,
                };
                if let Some((k, q)) = fee {
                    held[acct][k] -= q;
                }
                Transaction {
                    received: l(r, rq),
                    given: l(g, gq),
                    fee: fee.and_then(|(k, q)| l(k, q)),
                    ..tx(&id, accounts[acct], when, TxKind::Trade)
                }
            }
            5 => {
                let coin = 2 + o.a % 4;
                let q = o.x * 100.0 / price(coin);
                held[acct][coin] += q;
                let mut t = Transaction {
                    received: l(coin, q),
                    ..tx(
                        &id,
                        accounts[acct],
                        when,
                        TxKind::Income(IncomeKind::Staking),
                    )
                };
                if o.fee == 1 {
                    held[acct][coin] -= 0.1 * q;
                    t.fee = l(coin, 0.1 * q);
                }
                t
            }
            6 if h[o.a] > 0.0 => {
                let q = 0.01 * o.x * h[o.a];
                held[acct][o.a] -= q;
                Transaction {
                    fee: l(o.a, q),
                    ..tx(&id, accounts[acct], when, TxKind::Fee)
                }
            }
            7 if h[o.a] > 0.0 => {
                let q = o.x * h[o.a];
                let lost = if o.fee == 0 { 0.001 * q } else { 0.0 };
                held[acct][o.a] -= q;
                held[1 - acct][o.a] += q - lost;
                let (oid, iid) = (format!("{id}-out"), format!("{id}-in"));
                out.push(Transaction {
                    given: l(o.a, q),
                    counterpart: Some(iid.clone()),
                    ..tx(&oid, accounts[acct], when, TxKind::TransferOut)
                });
                Transaction {
                    received: l(o.a, q - lost),
                    counterpart: Some(oid),
                    ..tx(
                        &iid,
                        accounts[1 - acct],
                        when.plus_millis(60_000 * i64::from(o.gap)),
                        TxKind::TransferIn,
                    )
                }
            }
            _ => continue,
        };
        if o.fee == 3 && o.kind == 0 && o.y < 0.3 {
            // A deposit with a fee taken from it.
            t.fee = l(o.a, 0.001 * t.received.as_ref().map_or(0.0, |r| r.quantity));
            held[acct][o.a] -= 0.001 * t.received.as_ref().map_or(0.0, |r| r.quantity);
        }
        if o.y > 0.9 && o.kind == 2 {
            // The file's own value of the trade.
            let v = t
                .given
                .as_ref()
                .map_or(0.0, |g| g.quantity * price(o.b % 2));
            t.value = Some(Money {
                amount: v,
                currency: Currency::EUR,
            });
        }
        out.push(t);
    }
    out
}

fn scale(s: &folio::domain::performance::GainSummary) -> f64 {
    1.0 + s.value.abs()
        + s.net_contributions.abs()
        + s.realised.abs()
        + s.unrealised.abs()
        + s.income
        + s.fees
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// value − net contributions = realised + unrealised + income − fees, for the
    /// portfolio, every asset and every group, under every method and pooling; and the
    /// total gain is the same under all of them.
    #[test]
    fn the_identity_holds_and_the_method_never_changes_the_total(
        ops in prop::collection::vec(op(), 1..80),
        seed in any::<u64>(),
    ) {
        let (m, table) = market(seed);
        let l = ledger(&ops, &table);
        let mut grouping = Grouping::new("Others");
        grouping.assign("BTC", "BTC");
        grouping.assign("ETH", "ETH");
        let mut totals = Vec::new();
        for method in LotMethod::ALL {
            for pooling in [Pooling::PerAsset, Pooling::PerAccount] {
                let b = build_book(&l, &m, BookOptions { method, pooling });
                prop_assert!(b.gaps.is_empty(), "{:?}", b.gaps);
                prop_assert!(b.shortfalls.is_empty(), "{:?}", b.shortfalls);
                let g = gains(&b, &m, &grouping, day(DAYS));
                for s in std::iter::once(&g.portfolio).chain(g.by_asset.values()).chain(g.by_group.values()) {
                    prop_assert_eq!(s.unknown, 0);
                    prop_assert!(s.residual().abs() <= 1e-9 * scale(s), "{method:?} {pooling:?}: residual {} of {s:?}", s.residual());
                }
                totals.push((g.portfolio.total_gain(), scale(&g.portfolio)));
            }
        }
        let (first, sc) = totals[0];
        for (t, _) in &totals {
            prop_assert!((t - first).abs() <= 1e-9 * sc, "{t} vs {first}");
        }
    }

    /// Daily returns fixed, flows scaled by any factor: the TWR is ∏(1 + r) − 1 each time.
    #[test]
    fn twr_ignores_the_size_of_flows(
        returns in prop::collection::vec(-0.2f64..0.2, 1..60),
        flows in prop::collection::vec((0.0f64..1_000.0, 0.0f64..1.0), 60),
        k in 0.01f64..100.0,
    ) {
        let expected = returns.iter().fold(1.0, |w, r| w * (1.0 + r)) - 1.0;
        for factor in [1.0, k] {
            let mut values = vec![1_000.0];
            let (mut ins, mut outs) = (vec![0.0], vec![0.0]);
            for (d, r) in returns.iter().enumerate() {
                let inflow = factor * flows[d].0;
                let grown = (values[d] + inflow) * (1.0 + r);
                let outflow = flows[d].1 * grown;
                values.push(grown - outflow);
                ins.push(inflow);
                outs.push(outflow);
            }
            let t = twr_index(&values, &ins, &outs);
            let got = t.between(0, returns.len()).unwrap();
            prop_assert!((got - expected).abs() <= 1e-9 * (1.0 + expected.abs()), "{got} vs {expected}");
        }
    }

    /// Without flows the TWR is the simple return, in the index and in a figure built from
    /// a ledger (one deposit of coins, then only prices move).
    #[test]
    fn without_flows_twr_is_the_simple_return(
        values in prop::collection::vec(1.0f64..1e6, 2..50),
        seed in any::<u64>(),
        q in 0.01f64..10.0,
        from in 0u32..60,
    ) {
        let n = values.len();
        let t = twr_index(&values, &vec![0.0; n], &vec![0.0; n]);
        let simple = values[n - 1] / values[0] - 1.0;
        prop_assert!((t.between(0, n - 1).unwrap() - simple).abs() <= 1e-12 * (1.0 + simple.abs()));

        let (m, _) = market(seed);
        let l = vec![Transaction { received: leg("ETH", q), ..tx("1", "a", at(day(0), 0), TxKind::Deposit) }];
        let b = build_book(&l, &m, BookOptions::default());
        let tl = timeline(&b, &m, &Grouping::default(), day(DAYS));
        let custom = Period::Custom { from: day(from + 1), to: day(DAYS) };
        for period in [Period::SinceStart, custom] {
            let f = figure(&tl, &Scope::Portfolio, period, day(DAYS)).unwrap().unwrap();
            let (twr, simple) = (f.twr.unwrap(), f.simple_return.unwrap());
            prop_assert!((twr - simple).abs() <= 1e-9 * (1.0 + simple.abs()), "{period:?}: {twr} vs {simple}");
        }
    }

    /// One deposit and one final value: the XIRR is the annualised simple return.
    #[test]
    fn xirr_of_one_deposit_is_the_annualised_simple_return(
        deposit in 1.0f64..1e7,
        growth in 0.05f64..20.0,
        days in 1i64..15_000,
    ) {
        let start = d(2000, 1, 1);
        let end = start + chrono::Days::new(days as u64);
        let x = xirr(&[CashFlow { date: start, amount: -deposit }, CashFlow { date: end, amount: deposit * growth }]).unwrap();
        let expected = growth.powf(365.0 / days as f64) - 1.0;
        prop_assert!((x.rate - expected).abs() <= 1e-9 * expected.abs().max(1.0) || (x.rate.is_infinite() && expected.is_infinite()), "{} vs {expected}", x.rate);
        prop_assert!((x.over_days(days) - (growth - 1.0)).abs() <= 1e-9 * growth);
    }

    /// Any ledger, however malformed (negative, NaN or missing quantities, kinds without
    /// their legs, counterparts pointing anywhere): no panic, and every figure computes.
    #[test]
    fn no_ledger_makes_it_panic(
        rows in prop::collection::vec((0u8..9, 0usize..6, prop::option::of(-10.0f64..1e6), prop::option::of(-10.0f64..1e6), prop::option::of(0.0f64..10.0), 0i64..400, 0usize..3, prop::option::of(0usize..40)), 0..40),
        nan in any::<bool>(),
    ) {
        let kinds = [TxKind::Trade, TxKind::Deposit, TxKind::Withdrawal, TxKind::TransferOut, TxKind::TransferIn, TxKind::Fee, TxKind::Income(IncomeKind::Airdrop), TxKind::Spend, TxKind::Trade];
        let l: Vec<Transaction> = rows
            .iter()
            .enumerate()
            .map(|(i, (k, a, r, g, f, day_n, acct, cp))| {
                let mk = |q: f64, asset: usize| {
                    Some(Leg { asset: ASSETS[asset].into(), class: if asset < 2 { AssetClass::Cash } else { AssetClass::Crypto }, quantity: if nan && q < 0.0 { f64::NAN } else { q } })
                };
                Transaction {
                    received: r.and_then(|q| mk(q, *a)),
                    given: g.and_then(|q| mk(q, (a + 1) % 6)),
                    fee: f.and_then(|q| mk(q, (a + 2) % 6)),
                    counterpart: cp.map(|c| format!("t{c}")),
                    ..tx(&format!("t{i}"), ["a", "b", "c"][*acct], Timestamp::from_millis(day_n * 86_400_000 + 1_672_531_200_000), kinds[*k as usize])
                }
            })
            .collect();
        let (m, _) = market(7);
        for method in LotMethod::ALL {
            for pooling in [Pooling::PerAsset, Pooling::PerAccount] {
                let b = build_book(&l, &m, BookOptions { method, pooling });
                let _ = gains(&b, &m, &Grouping::default(), day(DAYS));
                let tl = timeline(&b, &m, &Grouping::default(), day(DAYS));
                prop_assert!(figures(&tl, &STANDARD_PERIODS, day(DAYS)).is_ok());
            }
        }
    }
}

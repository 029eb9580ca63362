//! Performance accounting on portfolios worked out by hand in the comments: lots and
//! gains under each method and pooling, the accounting identity, time- and money-weighted
//! returns, benchmarks, the tax report.

mod perf_support;

use folio::domain::ledger::Transaction;
use folio::domain::performance::book::{FeeTreatment, LedgerIssue};
use folio::domain::performance::gains::gains;
use folio::domain::performance::lots::{DisposalKind, LotMethod, LotOrigin, Pooling};
use folio::domain::performance::scope::{Grouping, Scope};
use folio::domain::performance::{build_book, Book, BookOptions, MarketData};
use perf_support::*;

/// The main hand-worked ledger (base EUR, account "ex" and a wallet):
///
/// 1. 01-01 deposit 10,000 EUR.
/// 2. 01-02 buy 1 BTC for 5,000 EUR, fee 10 EUR → lot A: 1 BTC, cost 5,010 (fee in cost).
/// 3. 01-03 buy 1 BTC for 6,000 EUR, fee 0.001 BTC → lot B: 0.999 BTC, cost 6,000
///    (fee worth 6,000 × 0.001 = 6, in cost by buying fewer units).
/// 4. 01-04 staking income 2 ETH at 300 → lot C: 2 ETH, cost 600; income 600.
/// 5. 01-05 sell 1.5 BTC for 9,000 EUR, fee 9 EUR → proceeds 8,991 (fee out of proceeds).
///    FIFO: all of A (proceeds 8,991 × 1/1.5 = 5,994, cost 5,010, gain 984) and 0.5 of B
///    (proceeds 2,997, cost 6,000 × 0.5/0.999 = 3,003.003003, gain −6.003003).
/// 6. 01-05 buy 10 BNB for 500 EUR → lot D: 10 BNB, cost 500.
/// 7. 01-06 convert 0.4 BTC into 8 ETH, fee 0.1 BNB (BTC 6,500, ETH 320, BNB 52): the
///    trade's value is the given BTC's, 0.4 × 6,500 = 2,600; the fee is worth 5.2 and comes
///    out of the proceeds: BTC proceeds 2,594.8, cost 0.4 × 6,006.006006 = 2,402.402402,
///    gain 192.397598; lot E: 8 ETH, cost 2,600; the BNB fee is a disposal: proceeds 5.2,
///    cost 5, gain 0.2.
/// 8. 01-07 5 ETH sent to the wallet, 4.99 arrive (ETH 330): 0.01 ETH is a network fee,
///    expensed 3.3, and a disposal from lot C (cost 3, gain 0.3). Pooled: no lot moves.
/// 9. 01-08 withdrawal of 1,000 EUR; custody fee 2 EUR (expensed).
///
/// At 01-10 (BTC 7,000, ETH 350, BNB 55): EUR 10,000 − 5,010 − 6,000 + 8,991 − 500 − 1,000
/// − 2 = 6,479; BTC 0.099 (lot B's rest, cost 594.594595) worth 693; ETH 9.99 (C 1.99 at
/// 597, E 8 at 2,600) worth 3,496.5; BNB 9.9 (cost 495) worth 544.5. Value 11,213.
/// Net contributions 10,000 − 1,000 = 9,000. Realised 984 − 6.003003 + 192.397598 +
/// 0.2 + 0.3 = 1,170.894595; unrealised (693 − 594.594595) + (3,496.5 − 3,197) + (544.5
/// − 495) = 447.405405; income 600; fees 3.3 + 2 = 5.3. Total 1,170.894595 +
/// 447.405405 + 600 − 5.3 = 2,213 = 11,213 − 9,000.
fn ledger() -> Vec<Transaction> {
    let mut l = vec![
        deposit("1", "ex", at(d(2024, 1, 1), 0), "EUR", 10_000.0),
        trade(
            "2",
            "ex",
            at(d(2024, 1, 2), 0),
            ("BTC", 1.0),
            ("EUR", 5_000.0),
            Some(("EUR", 10.0)),
        ),
        trade(
            "3",
            "ex",
            at(d(2024, 1, 3), 0),
            ("BTC", 1.0),
            ("EUR", 6_000.0),
            Some(("BTC", 0.001)),
        ),
        income("4", "ex", at(d(2024, 1, 4), 0), "ETH", 2.0),
        trade(
            "5",
            "ex",
            at(d(2024, 1, 5), 0),
            ("EUR", 9_000.0),
            ("BTC", 1.5),
            Some(("EUR", 9.0)),
        ),
        trade(
            "6",
            "ex",
            at(d(2024, 1, 5), 1),
            ("BNB", 10.0),
            ("EUR", 500.0),
            None,
        ),
        trade(
            "7",
            "ex",
            at(d(2024, 1, 6), 0),
            ("ETH", 8.0),
            ("BTC", 0.4),
            Some(("BNB", 0.1)),
        ),
    ];
    l.extend(transfer(
        "8",
        "ex",
        "wallet",
        at(d(2024, 1, 7), 0),
        "ETH",
        5.0,
        4.99,
    ));
    l.push(withdrawal("9", "ex", at(d(2024, 1, 8), 0), "EUR", 1_000.0));
    l.push(fee("10", "ex", at(d(2024, 1, 8), 1), "EUR", 2.0));
    l
}

fn prices() -> MarketData {
    market(&[
        (
            "BTC",
            &[
                (d(2024, 1, 2), 5_000.0),
                (d(2024, 1, 3), 6_000.0),
                (d(2024, 1, 6), 6_500.0),
                (d(2024, 1, 10), 7_000.0),
            ],
        ),
        (
            "ETH",
            &[
                (d(2024, 1, 4), 300.0),
                (d(2024, 1, 6), 320.0),
                (d(2024, 1, 7), 330.0),
                (d(2024, 1, 10), 350.0),
            ],
        ),
        (
            "BNB",
            &[
                (d(2024, 1, 5), 50.0),
                (d(2024, 1, 6), 52.0),
                (d(2024, 1, 10), 55.0),
            ],
        ),
    ])
}

fn book(method: LotMethod, pooling: Pooling) -> Book {
    build_book(&ledger(), &prices(), BookOptions { method, pooling })
}

fn sym(b: &Book, a: folio::domain::performance::lots::AssetId) -> &str {
    &b.asset(a).symbol
}

#[test]
fn fifo_disposals_follow_each_rule() {
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    assert!(b.gaps.is_empty(), "{:?}", b.gaps);
    assert!(b.shortfalls.is_empty());
    let rows: Vec<(&str, DisposalKind, f64, f64, f64)> = b
        .disposals
        .iter()
        .map(|r| {
            (
                sym(&b, r.asset),
                r.kind,
                r.quantity,
                r.proceeds.unwrap(),
                r.cost.unwrap(),
            )
        })
        .collect();
    let expected = [
        ("BTC", DisposalKind::Sale, 1.0, 5_994.0, 5_010.0),
        ("BTC", DisposalKind::Sale, 0.5, 2_997.0, 3_003.003_003_003),
        (
            "BTC",
            DisposalKind::Convert,
            0.4,
            2_594.8,
            2_402.402_402_402,
        ),
        ("BNB", DisposalKind::FeePayment, 0.1, 5.2, 5.0),
        ("ETH", DisposalKind::FeePayment, 0.01, 3.3, 3.0),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (r, e) in rows.iter().zip(expected) {
        assert_eq!((r.0, r.1), (e.0, e.1));
        close(r.2, e.2);
        close(r.3, e.3);
        close(r.4, e.4);
    }
    // The income lot keeps its origin and its date; the transfer moved nothing.
    let eth: Vec<_> = b
        .lots
        .iter()
        .filter(|l| sym(&b, l.asset) == "ETH")
        .collect();
    assert_eq!(eth.len(), 2);
    assert_eq!(
        eth[0].origin,
        LotOrigin::Income(folio::domain::ledger::IncomeKind::Staking)
    );
    close(eth[0].quantity, 1.99);
    close(eth[0].cost.unwrap(), 597.0);
    close(eth[1].cost.unwrap(), 2_600.0);
    assert!(
        matches!(b.issues.as_slice(), [LedgerIssue::TransferShrank { quantity, .. }] if (quantity - 0.01).abs() < 1e-12)
    );
    let expected = [
        (FeeTreatment::InCost, 10.0),
        (FeeTreatment::InCost, 6.0),
        (FeeTreatment::FromProceeds, 9.0),
        (FeeTreatment::FromProceeds, 5.2),
        (FeeTreatment::Expense, 3.3),
        (FeeTreatment::Expense, 2.0),
    ];
    assert_eq!(b.fees.len(), expected.len());
    for (f, (treatment, value)) in b.fees.iter().zip(expected) {
        assert_eq!(f.treatment, treatment);
        close(f.value.unwrap(), value);
    }
}

#[test]
fn the_accounting_identity_holds_on_the_hand_worked_ledger() {
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let g = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    let p = &g.portfolio;
    close(p.value, 11_213.0);
    close(p.net_contributions, 9_000.0);
    close(p.realised, 1_170.894_594_594_6);
    close(p.unrealised, 447.405_405_405_4);
    close(p.income, 600.0);
    close(p.fees, 5.3);
    close(p.fees_in_cost, 16.0);
    close(p.fees_from_proceeds, 14.2);
    assert_eq!(p.unknown, 0);
    assert!(p.residual().abs() < 1e-9, "{}", p.residual());
    // Per asset too: BTC's flows in 5,010 + 6,000, out 8,991 + 2,594.8: net 575.8 out;
    // 693 + 575.8 = 1,268.8 = realised 1,170.394595 + unrealised 98.405405.
    let btc = &g.by_asset[&b
        .asset_id("BTC", folio::domain::holding::AssetClass::Crypto)
        .unwrap()];
    close(btc.net_contributions, -575.8);
    close(btc.realised + btc.unrealised, 1_268.8);
    for s in g.by_asset.values().chain(g.by_group.values()) {
        assert!(s.residual().abs() < 1e-9, "{s:?}");
    }
}

/// LIFO: the sale takes lot B (0.999: proceeds 8,991 × 0.999/1.5 = 5,988.006, cost 6,000)
/// then 0.501 of A (proceeds 3,002.994, cost 2,510.01); the convert takes 0.4 of A's rest
/// (cost 2,004). BTC realised −11.994 + 492.984 + 590.8 = 1,071.79, unrealised 693 − 0.099
/// × 5,010 = 197.01: the same 1,268.8 in total as FIFO, split differently.
#[test]
fn the_method_moves_gain_between_realised_and_unrealised() {
    let fifo = gains(
        &book(LotMethod::Fifo, Pooling::PerAsset),
        &prices(),
        &Grouping::default(),
        d(2024, 1, 10),
    );
    let b = book(LotMethod::Lifo, Pooling::PerAsset);
    let lifo = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    let btc = &lifo.by_asset[&b
        .asset_id("BTC", folio::domain::holding::AssetClass::Crypto)
        .unwrap()];
    close(btc.realised, 1_071.79);
    close(btc.unrealised, 197.01);
    close(lifo.portfolio.total_gain(), fifo.portfolio.total_gain());
    for method in LotMethod::ALL {
        for pooling in [Pooling::PerAsset, Pooling::PerAccount] {
            let g = gains(
                &book(method, pooling),
                &prices(),
                &Grouping::default(),
                d(2024, 1, 10),
            );
            close(g.portfolio.total_gain(), 2_213.0);
            assert!(
                g.portfolio.residual().abs() < 1e-9,
                "{method:?} {pooling:?}"
            );
        }
    }
}

/// Per-account pools: the transfer moves 4.99 ETH from "ex" FIFO: lot C's 1.99 (cost
/// 597, 4 Jan) and 3 of lot E (cost 2,600 × 3/8 = 975, 6 Jan). The wallet's lots cost
/// 1,572 and are worth 4.99 × 350 = 1,746.5; "ex" keeps 5 of E at 1,625.
#[test]
fn a_transfer_moves_lots_between_account_pools_with_dates_and_cost() {
    let b = book(LotMethod::Fifo, Pooling::PerAccount);
    let wallet = b.account_id("wallet").unwrap();
    let lots: Vec<_> = b.lots.iter().filter(|l| l.account == wallet).collect();
    assert_eq!(lots.len(), 2);
    assert_eq!(lots[0].acquired.date(), d(2024, 1, 4));
    assert_eq!(lots[1].acquired.date(), d(2024, 1, 6));
    close(lots[0].cost.unwrap(), 597.0);
    close(lots[1].cost.unwrap(), 975.0);
    let g = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    let w = &g.by_account[&wallet];
    close(w.cost, 1_572.0);
    close(w.value, 1_746.5);
    close(w.unrealised, 174.5);
    close(w.realised, 0.0);
    // Pooled, the wallet's share of the ETH pool's cost is by units: 3,197 × 4.99/9.99.
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let g = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    close(
        g.by_account[&b.account_id("wallet").unwrap()].cost,
        3_197.0 * 4.99 / 9.99,
    );
}

/// HIFO on the sale: B first (unit cost 6,006 > 5,010), like LIFO here; average cost:
/// the pool's (5,010 + 6,000) / 1.999 per unit for every disposal.
#[test]
fn hifo_and_average_cost_on_the_sale() {
    let b = book(LotMethod::Hifo, Pooling::PerAsset);
    close(b.disposals[0].cost.unwrap(), 6_000.0);
    let b = book(LotMethod::AverageCost, Pooling::PerAsset);
    let unit = 11_010.0 / 1.999;
    close(
        b.disposals[0].cost.unwrap() + b.disposals[1].cost.unwrap(),
        1.5 * unit,
    );
    assert_eq!(
        b.disposals[0].acquired.unwrap().date(),
        d(2024, 1, 2),
        "dates taken FIFO"
    );
    let convert = b
        .disposals
        .iter()
        .find(|r| r.kind == DisposalKind::Convert)
        .unwrap();
    close(convert.cost.unwrap(), 0.4 * unit);
}

#[test]
fn a_missing_price_is_a_gap_not_a_zero() {
    // No BNB price on the day of the convert: its fee has no value, the BTC proceeds
    // (T − fee) are unknown, and so is that realised gain; the rest is computed.
    let mut m = prices();
    m.add_closes(
        folio::domain::price_key::PriceKey::crypto("BNB"),
        EUR,
        vec![(d(2024, 1, 10), 55.0)],
    );
    let b = build_book(&ledger(), &m, BookOptions::default());
    assert_eq!(b.gaps.len(), 1);
    assert_eq!(b.gaps[0].missing.to_string(), "no price for BNB");
    assert_eq!(b.gaps[0].first, d(2024, 1, 6));
    let convert = b
        .disposals
        .iter()
        .find(|r| r.kind == DisposalKind::Convert)
        .unwrap();
    assert_eq!(convert.proceeds, None);
    let g = gains(&b, &m, &Grouping::default(), d(2024, 1, 10));
    assert!(g.portfolio.unknown > 0);
}

#[test]
fn a_sale_beyond_the_lots_held_is_reported_and_later_covered() {
    // 2 BTC sold on 01-02 with no history; 1 BTC bought on 01-03 covers half.
    let l = vec![
        trade(
            "s",
            "ex",
            at(d(2024, 1, 2), 0),
            ("EUR", 10_000.0),
            ("BTC", 2.0),
            None,
        ),
        trade(
            "b",
            "ex",
            at(d(2024, 1, 3), 0),
            ("BTC", 1.0),
            ("EUR", 6_000.0),
            None,
        ),
    ];
    let b = build_book(&l, &prices(), BookOptions::default());
    assert_eq!(b.shortfalls.len(), 1);
    close(b.shortfalls[0].quantity, 2.0);
    let covered: Vec<_> = b.disposals.iter().filter(|r| r.covered_later).collect();
    let open: Vec<_> = b
        .disposals
        .iter()
        .filter(|r| r.acquired.is_none())
        .collect();
    assert_eq!((covered.len(), open.len()), (1, 1));
    assert_eq!(
        (covered[0].cost, covered[0].gain()),
        (Some(6_000.0), Some(-1_000.0))
    );
    assert_eq!((open[0].quantity, open[0].cost), (1.0, None));
    assert!(b.lots.is_empty(), "the purchase went to the earlier sale");
}

#[test]
fn the_file_s_own_value_is_preferred() {
    // A convert the file values at 2,700 EUR: proceeds 2,700 − 5.2, not 0.4 × 6,500.
    let mut l = ledger();
    l[6] = valued(l[6].clone(), 2_700.0, EUR);
    let b = build_book(&l, &prices(), BookOptions::default());
    let convert = b
        .disposals
        .iter()
        .find(|r| r.kind == DisposalKind::Convert)
        .unwrap();
    close(convert.proceeds.unwrap(), 2_694.8);
}

/// An internal move (Spot → Earn on the exchange: 0.05 BTC, both halves in one row, and
/// an Earn subscription of 1 ETH of which only the Spot half is listed) moves no lot and
/// changes no figure; its 2 EUR fee is an expense like a custody fee: fees 5.3 + 2 = 7.3.
#[test]
fn an_internal_move_changes_nothing_but_its_fee() {
    use folio::domain::ledger::TxKind;
    let base_issues = build_book(&ledger(), &prices(), BookOptions::default()).issues;
    let g = |l: &[Transaction]| {
        let b = build_book(l, &prices(), BookOptions::default());
        assert_eq!(b.issues, base_issues, "no issue from the internal moves");
        gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10)).portfolio
    };
    let before = g(&ledger());
    let mut l = ledger();
    l.push(Transaction {
        received: leg("BTC", 0.05),
        given: leg("BTC", 0.05),
        ..tx("i1", "ex", at(d(2024, 1, 8), 1), TxKind::Internal)
    });
    l.push(Transaction {
        given: leg("ETH", 1.0),
        ..tx("i2", "ex", at(d(2024, 1, 8), 2), TxKind::Internal)
    });
    let after = g(&l);
    close(after.value, before.value);
    close(after.realised, before.realised);
    close(after.unrealised, before.unrealised);
    close(after.fees, before.fees);
    l.push(Transaction {
        fee: leg("EUR", 2.0),
        given: leg("BTC", 0.01),
        ..tx("i3", "ex", at(d(2024, 1, 8), 3), TxKind::Internal)
    });
    let with_fee = g(&l);
    close(with_fee.fees, 7.3);
    close(with_fee.value, before.value - 2.0);
    assert!(with_fee.residual().abs() < 1e-9);
}

#[test]
fn an_unmatched_transfer_counts_as_a_withdrawal_and_is_reported() {
    let mut l = ledger();
    l.retain(|t| t.id != "8-in");
    let b = build_book(&l, &prices(), BookOptions::default());
    assert!(b
        .issues
        .iter()
        .any(|i| matches!(i, LedgerIssue::UnmatchedTransfer { id, .. } if id == "8-out")));
    // 5 ETH at 330 left the profile: net contributions 9,000 − 1,650.
    close(b.net_contributions(None).0, 7_350.0);
    let g = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    assert!(g.portfolio.residual().abs() < 1e-9);
    assert!(b
        .disposals
        .iter()
        .any(|r| r.kind == DisposalKind::Withdrawal));
}

#[test]
fn groups_sum_their_assets() {
    let mut grouping = Grouping::new("Others");
    grouping.assign("BTC", "BTC");
    grouping.assign("ETH", "ETH");
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let g = gains(&b, &prices(), &grouping, d(2024, 1, 10));
    close(g.by_group["ETH"].value, 3_496.5);
    // Others: EUR 6,479 and BNB 544.5.
    close(g.by_group["Others"].value, 7_023.5);
    let _ = Scope::Portfolio;
}

// ---------------------------------------------------------------------------------------
// Returns.

use folio::domain::performance::benchmark::{
    blend, compare_twr, same_flows_in_benchmark, BenchmarkSeries,
};
use folio::domain::performance::calendar_returns::calendar_returns;
use folio::domain::performance::change::split_change_between;
use folio::domain::performance::contributions::{contributions, Level};
use folio::domain::performance::income::income_by_month;
use folio::domain::performance::periods::{Period, STANDARD_PERIODS};
use folio::domain::performance::returns::{figure, figures};
use folio::domain::performance::tax_report::{
    gains_report, gains_report_csv, ReportOptions, TaxYear, Term,
};
use folio::domain::performance::timeline::timeline;

/// Two deposits into BTC (closes 100, 110, 99, 108.9 on 1–4 January 2024):
/// 01-01 deposit 1,000 EUR, buy 10 BTC at 100; 01-03 deposit 990 EUR, buy 10 BTC at 99.
/// Day 0 is 31 December (nothing). Portfolio values 1,000, 1,100, 1,980, 2,178:
/// r₁ = 1,000 / (0 + 1,000) − 1 = 0; r₂ = 10 %; r₃ = 1,980 / (1,100 + 990) − 1 (the
/// deposit counts from the start of its day); r₄ = 10 %.
/// TWR = 1.1 × 1,980/2,090 × 1.1 − 1 = 14.6315789 %. Gain 2,178 − 1,990 = 188, simple
/// return 188 / 1,990 = 9.447236 %.
fn two_deposits() -> (Vec<Transaction>, MarketData) {
    let l = vec![
        deposit("1", "ex", at(d(2024, 1, 1), 0), "EUR", 1_000.0),
        trade(
            "2",
            "ex",
            at(d(2024, 1, 1), 1),
            ("BTC", 10.0),
            ("EUR", 1_000.0),
            None,
        ),
        deposit("3", "ex", at(d(2024, 1, 3), 0), "EUR", 990.0),
        trade(
            "4",
            "ex",
            at(d(2024, 1, 3), 1),
            ("BTC", 10.0),
            ("EUR", 990.0),
            None,
        ),
    ];
    let m = market(&[(
        "BTC",
        &[
            (d(2024, 1, 1), 100.0),
            (d(2024, 1, 2), 110.0),
            (d(2024, 1, 3), 99.0),
            (d(2024, 1, 4), 108.9),
        ],
    )]);
    (l, m)
}

#[test]
fn time_and_money_weighted_returns_of_two_deposits() {
    let (l, m) = two_deposits();
    let b = build_book(&l, &m, BookOptions::default());
    let t = timeline(&b, &m, &Grouping::default(), d(2024, 1, 4));
    assert_eq!((t.start, t.days), (d(2023, 12, 31), 5));
    let f = figure(&t, &Scope::Portfolio, Period::SinceStart, d(2024, 1, 4))
        .unwrap()
        .unwrap();
    close(f.twr.unwrap(), 1.1 * 1_980.0 / 2_090.0 * 1.1 - 1.0);
    close(f.absolute_gain.unwrap(), 188.0);
    close(f.simple_return.unwrap(), 188.0 / 1_990.0);
    assert_eq!(
        (f.inflows, f.outflows, f.end_value),
        (Some(1_990.0), Some(0.0), Some(2_178.0))
    );
    assert_eq!(f.twr_annualised, None, "three days are not annualised");
    // The MWR over the period: with u the daily growth, 1,000 u³ + 990 u = 2,178.
    let u = (1.0 + f.mwr.unwrap()).powf(1.0 / 3.0);
    assert!((1_000.0 * u.powi(3) + 990.0 * u - 2_178.0).abs() < 1e-8);
    assert_eq!(
        f.flows.len(),
        3,
        "two deposits and the end value: {:?}",
        f.flows
    );
    // The asset has the same flows (the EUR only passes through).
    let btc = b
        .asset_id("BTC", folio::domain::holding::AssetClass::Crypto)
        .unwrap();
    let fb = figure(&t, &Scope::Asset(btc), Period::SinceStart, d(2024, 1, 4))
        .unwrap()
        .unwrap();
    close(fb.twr.unwrap(), f.twr.unwrap());
    // One month back from 4 January reaches before the data: clipped, the same figures.
    let f1 = figure(&t, &Scope::Portfolio, Period::OneMonth, d(2024, 1, 4))
        .unwrap()
        .unwrap();
    assert!(f1.clipped);
    close(f1.twr.unwrap(), f.twr.unwrap());
}

#[test]
fn every_scope_and_period_has_a_figure_with_its_formulas() {
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let t = timeline(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    assert!(t.gaps.is_empty(), "{:?}", t.gaps);
    let all = figures(&t, &STANDARD_PERIODS, d(2024, 1, 10)).unwrap();
    assert_eq!(all.len(), t.scopes.len() * STANDARD_PERIODS.len());
    let p = all
        .iter()
        .find(|f| f.scope == Scope::Portfolio && f.period == Period::SinceStart)
        .unwrap();
    // The gain since the start is the identity's total: 11,213 − 9,000.
    close(p.absolute_gain.unwrap(), 2_213.0);
    assert!(p.undefined_days.is_empty() && p.unknown_days.is_empty());
    assert_eq!(
        folio::domain::performance::ReturnFigure::formulas().len(),
        4
    );
    // Per asset, the gain since the start is the asset's total gain (identity per asset).
    let g = gains(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    for (asset, s) in &g.by_asset {
        let f = all
            .iter()
            .find(|f| f.scope == Scope::Asset(*asset) && f.period == Period::SinceStart)
            .unwrap();
        close(f.absolute_gain.unwrap(), s.total_gain());
    }
}

/// A benchmark at 50, 50, 55, 60, 66 on days 0–4: its return is 66/50 − 1 = 32 %. The
/// same deposits in it: 1,000 on day 1 buys at day 0's close (50): 20 units; 990 on day 3
/// at day 2's close (55): 18 units; 38 × 66 = 2,508 at the end.
#[test]
fn a_benchmark_by_twr_and_with_the_same_flows() {
    let (l, m) = two_deposits();
    let b = build_book(&l, &m, BookOptions::default());
    let t = timeline(&b, &m, &Grouping::default(), d(2024, 1, 4));
    let pts = [
        (d(2023, 12, 31), 50.0),
        (d(2024, 1, 2), 55.0),
        (d(2024, 1, 3), 60.0),
        (d(2024, 1, 4), 66.0),
    ];
    let bench = BenchmarkSeries::from_points("ETH", &pts, t.start, t.days);
    assert_eq!(bench.levels, vec![50.0, 50.0, 55.0, 60.0, 66.0]);
    let w = Period::SinceStart
        .window(d(2024, 1, 4), t.start, d(2024, 1, 4))
        .unwrap();
    let p = t.series(&Scope::Portfolio).unwrap();
    let c = compare_twr(&t, p, &bench, w).unwrap();
    close(c.benchmark, 0.32);
    close(c.excess, c.twr - 0.32);
    let s = same_flows_in_benchmark(&t, p, &bench, w).unwrap();
    close(s.end_value, 2_508.0);
    close(s.actual_end_value, 2_178.0);
    assert!(s.mwr.unwrap() > s.actual_mwr.unwrap());
    assert_eq!(s.went_negative, None);
}

/// A 50/50 blend of A (100 → 200 → 100) and B (flat), rebalanced daily: +50 % then
/// −25 %: 1.5 × 0.75 = 1.125, where holding the two without rebalancing ends at 1.0.
#[test]
fn a_blend_is_rebalanced_daily() {
    let start = d(2024, 1, 1);
    let a = BenchmarkSeries::from_points(
        "A",
        &[
            (start, 100.0),
            (d(2024, 1, 2), 200.0),
            (d(2024, 1, 3), 100.0),
        ],
        start,
        3,
    );
    let flat = BenchmarkSeries::from_points("B", &[(start, 100.0)], start, 3);
    let mix = blend("50 % A + 50 % B", &[(a.clone(), 0.5), (flat.clone(), 0.5)]).unwrap();
    assert_eq!(mix.levels, vec![1.0, 1.5, 1.125]);
    assert!(blend("bad", &[(a, 0.6), (flat, 0.6)]).is_err());
}

/// BTC bought on 15 January with 1,000 EUR at 100 (10 units), closes 100 until 30 January,
/// 120 from 31 January, 90 from 29 February, 99 on 10 March. January +20 % (partial),
/// February −25 % (full), March +10 % (partial); 2024: 1.2 × 0.75 × 1.1 − 1 = −1 %.
#[test]
fn monthly_and_yearly_returns() {
    let l = vec![
        deposit("1", "ex", at(d(2024, 1, 15), 0), "EUR", 1_000.0),
        trade(
            "2",
            "ex",
            at(d(2024, 1, 15), 1),
            ("BTC", 10.0),
            ("EUR", 1_000.0),
            None,
        ),
    ];
    let closes: Vec<_> = d(2024, 1, 15)
        .iter_days()
        .take_while(|x| *x <= d(2024, 3, 10))
        .map(|x| {
            let p = if x < d(2024, 1, 31) {
                100.0
            } else if x < d(2024, 2, 29) {
                120.0
            } else if x < d(2024, 3, 10) {
                90.0
            } else {
                99.0
            };
            (x, p)
        })
        .collect();
    let m = market(&[("BTC", &closes)]);
    let b = build_book(&l, &m, BookOptions::default());
    let t = timeline(&b, &m, &Grouping::default(), d(2024, 3, 10));
    let c = calendar_returns(&t, t.series(&Scope::Portfolio).unwrap());
    let months: Vec<(u32, bool)> = c
        .months
        .iter()
        .map(|x| (x.month.unwrap(), x.partial))
        .collect();
    assert_eq!(months, vec![(1, true), (2, false), (3, true)]);
    close(c.months[0].twr, 0.2);
    close(c.months[1].twr, -0.25);
    close(c.months[2].twr, 0.1);
    assert_eq!(c.years.len(), 1);
    close(c.years[0].twr, -0.01);
    assert!(c.years[0].partial);
}

/// 1,000 EUR buys 5 A and 5 B at 100 on day 1; on day 2 A closes at 120, B at 90. The
/// portfolio makes 1,050 / 1,000 − 1 = 5 %: A +100 / 1,000 = 10 points, B −5, EUR 0.
#[test]
fn contributions_add_up_to_the_twr() {
    let l = vec![
        deposit("1", "ex", at(d(2024, 1, 1), 0), "EUR", 1_000.0),
        trade(
            "2",
            "ex",
            at(d(2024, 1, 1), 1),
            ("AAA", 5.0),
            ("EUR", 500.0),
            None,
        ),
        trade(
            "3",
            "ex",
            at(d(2024, 1, 1), 2),
            ("BBB", 5.0),
            ("EUR", 500.0),
            None,
        ),
    ];
    let m = market(&[
        ("AAA", &[(d(2024, 1, 1), 100.0), (d(2024, 1, 2), 120.0)]),
        ("BBB", &[(d(2024, 1, 1), 100.0), (d(2024, 1, 2), 90.0)]),
    ]);
    let b = build_book(&l, &m, BookOptions::default());
    let t = timeline(&b, &m, &Grouping::default(), d(2024, 1, 2));
    let w = Period::SinceStart
        .window(d(2024, 1, 2), t.start, d(2024, 1, 2))
        .unwrap();
    let c = contributions(&t, w, Level::Asset);
    close(c.twr, 0.05);
    let by = |s: &str| {
        let id = b
            .asset_id(s, folio::domain::holding::AssetClass::Crypto)
            .unwrap();
        c.parts
            .iter()
            .find(|p| p.scope == Scope::Asset(id))
            .unwrap()
            .contribution
    };
    close(by("AAA"), 0.10);
    close(by("BBB"), -0.05);
    // On the main ledger, by group and by asset, the parts add up to the TWR.
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let t = timeline(&b, &prices(), &Grouping::default(), d(2024, 1, 10));
    let w = Period::SinceStart
        .window(d(2024, 1, 10), t.start, d(2024, 1, 10))
        .unwrap();
    let twr = t
        .series(&Scope::Portfolio)
        .unwrap()
        .twr
        .between(0, t.last_day())
        .unwrap();
    for level in [Level::Asset, Level::Group] {
        let c = contributions(&t, w, level);
        close(c.parts.iter().map(|p| p.contribution).sum::<f64>(), twr);
        close(c.twr, twr);
    }
}

#[test]
fn the_tax_report_of_a_year_and_its_csv() {
    let mut l = ledger();
    l[4].account_id = "=HYPERLINK(\"x\")".into();
    let b = build_book(&l, &prices(), BookOptions::default());
    let year = TaxYear::calendar(2024).unwrap();
    let r = gains_report(&b, &l, year, ReportOptions::default());
    // BTC ×3, the BNB fee, the ETH network fee; no cash, no withdrawal.
    assert_eq!(r.rows.len(), 5);
    let first = &r.rows[0];
    assert_eq!(
        (
            first.acquired,
            first.disposed,
            first.holding_days,
            first.term
        ),
        (Some(d(2024, 1, 2)), d(2024, 1, 5), Some(3), Term::Short)
    );
    close(r.totals.gains, 984.0 + 192.397_597_597_6 + 0.2 + 0.3);
    close(r.totals.losses, -6.003_003_003);
    assert_eq!(r.totals.unknown_rows, 0);
    // Long-term above 2 days: lot A (3 days) is long, lot B (2 days) short.
    let r2 = gains_report(
        &b,
        &l,
        year,
        ReportOptions {
            long_term_after_days: 2,
            ..ReportOptions::default()
        },
    );
    assert_eq!(
        (r2.rows[0].term, r2.rows[1].term),
        (Term::Long, Term::Short)
    );
    let csv = gains_report_csv(&r);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\"Not tax advice."), "{}", lines[0]);
    assert!(lines[1].starts_with(
        "\"Method: FIFO, pooled per asset; long-term when held more than 365 days; amounts in EUR"
    ));
    assert_eq!(lines[2], "asset,class,account,transaction,kind,acquired,disposed,holding_days,term,quantity,proceeds,cost,gain,note");
    assert!(lines[3].starts_with("BTC,Crypto,\"'=HYPERLINK(\"\"x\"\")\",5,sale,2024-01-02,2024-01-05,3,short,1,5994.00,5010.00,984.00,"), "{}", lines[3]);
    assert!(csv.contains("\nnet,1170.89\n"), "{csv}");
    // The UK's year runs from 6 April to 5 April: these January disposals fall in 2023–24.
    let uk = TaxYear::starting(d(2023, 4, 6)).unwrap();
    assert_eq!(uk.to, d(2024, 4, 5));
    assert_eq!(
        gains_report(&b, &l, uk, ReportOptions::default())
            .rows
            .len(),
        5
    );
    assert!(gains_report(
        &b,
        &l,
        TaxYear::calendar(2023).unwrap(),
        ReportOptions::default()
    )
    .rows
    .is_empty());
}

#[test]
fn income_by_month_and_the_dashboard_split() {
    let b = book(LotMethod::Fifo, Pooling::PerAsset);
    let months = income_by_month(&b);
    assert_eq!(months.len(), 1);
    assert_eq!((months[0].year, months[0].month), (2024, 1));
    close(months[0].total, 600.0);
    // From before the first deposit (value 0) to after the withdrawal (worth 11,213 at the
    // end): 9,000 of the change is net deposits, 2,213 the market.
    let s = split_change_between(
        &b,
        (at(d(2023, 12, 31), 0), 0.0),
        (at(d(2024, 1, 10), 0), 11_213.0),
    );
    close(s.net_deposits, 9_000.0);
    close(s.market_gain, 2_213.0);
}

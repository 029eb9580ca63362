//! Properties of the ledger core on random ledgers: balances, duplicates, transfers and
//! storage.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use folio::domain::accounts::dedup::merge_import;
use folio::domain::accounts::positions::{PositionIndex, Positions, Total};
use folio::domain::accounts::transfers::{apply_matches, find_transfers, TransferRule};
use folio::domain::calendar::Timestamp;
use folio::domain::currency::Currency;
use folio::domain::holding::AssetClass;
use folio::domain::ledger::{IncomeKind, Leg, Money, Transaction, TxKind};
use folio::domain::records::ledger_chunks::{decode_chunk, encode_chunk};
use proptest::prelude::*;

const ASSETS: [&str; 5] = ["BTC", "ETH", "EUR", "SOL", "AAPL"];

/// A quantity as files write them: up to 8 decimals, up to 10⁶.
fn quantity() -> impl Strategy<Value = f64> {
    (1u64..100_000_000_000_000).prop_map(|m| m as f64 / 1e8)
}

fn leg() -> impl Strategy<Value = Leg> {
    (0..ASSETS.len(), quantity()).prop_map(|(a, quantity)| Leg {
        asset: ASSETS[a].to_string(),
        class: if ASSETS[a] == "EUR" {
            AssetClass::Cash
        } else {
            AssetClass::Crypto
        },
        quantity,
    })
}

fn kind() -> impl Strategy<Value = TxKind> {
    prop_oneof![
        Just(TxKind::Trade),
        Just(TxKind::Deposit),
        Just(TxKind::Withdrawal),
        Just(TxKind::Fee),
        Just(TxKind::Income(IncomeKind::Staking)),
        Just(TxKind::Spend),
        Just(TxKind::Internal),
    ]
}

/// A transaction of a file (no id, no account), at a time on a 5-second grid, with the
/// legs its kind takes and sometimes a fee and a value.
fn row() -> impl Strategy<Value = Transaction> {
    (
        0i64..2_000,
        kind(),
        leg(),
        leg(),
        prop::option::weighted(0.4, leg()),
        prop::option::weighted(0.3, quantity()),
    )
        .prop_map(|(slot, kind, a, b, fee, value)| {
            let (received, given) = match kind {
                TxKind::Trade => (Some(a), Some(b.clone())),
                TxKind::Deposit | TxKind::Income(_) => (Some(a), None),
                TxKind::Withdrawal | TxKind::Spend => (None, Some(a)),
                TxKind::Internal => (Some(a.clone()), Some(a)),
                _ => (None, None),
            };
            let fee = if kind == TxKind::Fee { Some(b) } else { fee };
            Transaction {
                id: String::new(),
                account_id: String::new(),
                at: Timestamp::from_millis(1_700_000_000_000 + slot * 5_000),
                kind,
                received,
                given,
                fee,
                value: value.map(|amount| Money {
                    amount,
                    currency: Currency::EUR,
                }),
                external_id: None,
                isin: None,
                venue: None,
                counterpart: None,
                note: None,
            }
        })
}

/// A file whose rows often repeat (equal deposits on one day) — drawn from a small pool.
fn file() -> impl Strategy<Value = Vec<Transaction>> {
    prop::collection::vec(row(), 1..12).prop_flat_map(|pool| {
        let n = pool.len();
        prop::collection::vec(0..n, 0..60)
            .prop_map(move |picks| picks.into_iter().map(|i| pool[i].clone()).collect())
    })
}

/// Rows of three accounts, ids assigned as their imports would.
fn ledgers() -> impl Strategy<Value = Vec<Transaction>> {
    prop::collection::vec((0usize..3, row()), 0..120).prop_map(|rows| {
        let mut out = Vec::new();
        for account in 0..3 {
            let mine: Vec<Transaction> = rows
                .iter()
                .filter(|(a, _)| *a == account)
                .map(|(_, t)| t.clone())
                .collect();
            out.extend(merge_import(&format!("a{account}"), &[], mine).new);
        }
        out
    })
}

fn import(ledger: &mut Vec<Transaction>, account: &str, rows: Vec<Transaction>) -> usize {
    let m = merge_import(account, ledger, rows);
    let n = m.new.len();
    ledger.extend(m.new);
    n
}

fn latest(txs: &[Transaction]) -> Positions {
    PositionIndex::build(txs).latest()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Balances are exact sums: shuffling the rows changes no position, to the bit.
    #[test]
    fn the_order_of_rows_does_not_change_balances(
        (txs, shuffled) in ledgers().prop_flat_map(|t| (Just(t.clone()), Just(t).prop_shuffle())),
        at in 0i64..2_000,
    ) {
        let t = Timestamp::from_millis(1_700_000_000_000 + at * 5_000);
        prop_assert_eq!(latest(&txs), latest(&shuffled));
        prop_assert_eq!(PositionIndex::build(&txs).at(t), PositionIndex::build(&shuffled).at(t));
    }

    /// Importing a file again (in any order) adds nothing; the ledger and its balances are
    /// those of one import.
    #[test]
    fn a_file_imported_twice_equals_once(
        (rows, shuffled) in file().prop_flat_map(|f| (Just(f.clone()), Just(f).prop_shuffle())),
    ) {
        let mut once = Vec::new();
        let added = import(&mut once, "k", rows.clone());
        prop_assert_eq!(added, rows.len(), "every row of one file is its own transaction");
        let mut twice = once.clone();
        let again = merge_import("k", &twice, shuffled);
        prop_assert_eq!(again.counts().already_there, rows.len());
        prop_assert_eq!(again.counts().conflicting, 0);
        twice.extend(again.new);
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(latest(&twice), latest(&once));
    }

    /// Two exports of overlapping periods add up to the export of the whole period.
    #[test]
    fn overlapping_exports_add_up_to_the_whole(rows in file(), a in 0i64..2_000, b in 0i64..2_000) {
        let (from, to) = (a.min(b), a.max(b));
        let at = |t: &Transaction| (t.at.millis() - 1_700_000_000_000) / 5_000;
        let earlier: Vec<Transaction> = rows.iter().filter(|t| at(t) <= to).cloned().collect();
        let later: Vec<Transaction> = rows.iter().filter(|t| at(t) >= from).cloned().collect();
        let mut whole = Vec::new();
        import(&mut whole, "k", rows.clone());
        let mut pieces = Vec::new();
        import(&mut pieces, "k", earlier);
        import(&mut pieces, "k", later);
        let ids = |l: &[Transaction]| l.iter().map(|t| t.id.clone()).collect::<BTreeSet<_>>();
        prop_assert_eq!(ids(&pieces), ids(&whole));
        prop_assert_eq!(pieces.len(), rows.len());
        prop_assert_eq!(latest(&pieces), latest(&whole));
    }

    /// Matching transfers between own accounts changes no position and no total.
    #[test]
    fn transfers_between_own_accounts_change_no_total(
        mut txs in ledgers(),
        sends in prop::collection::vec((0usize..3, 1usize..3, leg(), 0i64..2_000, 0i64..3_600), 0..10),
    ) {
        // Moves from account x to account x + k: sent, then received (the same quantity)
        // up to an hour later. Both halves change no total together.
        let before = latest(&txs).totals;
        for (i, (from, step, l, slot, delay)) in sends.into_iter().enumerate() {
            let to = (from + step) % 3;
            let at = 1_700_000_000_000 + slot * 5_000;
            let half = |account: usize, kind, at: i64| Transaction {
                id: format!("a{account}:move{i}"),
                account_id: format!("a{account}"),
                at: Timestamp::from_millis(at),
                kind,
                received: (kind == TxKind::Deposit).then(|| l.clone()),
                given: (kind == TxKind::Withdrawal).then(|| l.clone()),
                fee: None,
                value: None,
                external_id: None,
                isin: None,
                venue: None,
                counterpart: None,
                note: None,
            };
            txs.push(half(from, TxKind::Withdrawal, at));
            txs.push(half(to, TxKind::Deposit, at + delay * 1_000));
        }
        let with_moves = latest(&txs);
        let totals = |t: &[Total]| {
            t.iter()
                .filter(|t| t.quantity != 0.0)
                .map(|t| (t.asset.clone(), t.class, t.quantity))
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(totals(&with_moves.totals), totals(&before));
        let found = find_transfers(&txs, &TransferRule::default(), &BTreeSet::new());
        apply_matches(&mut txs, &found);
        for m in &found {
            prop_assert_ne!(&m.from_account, &m.to_account);
        }
        prop_assert_eq!(latest(&txs), with_moves);
    }

    /// The position at a date is the sum of the changes of the transactions up to it.
    #[test]
    fn positions_at_a_date_equal_the_sum_of_changes_up_to_it(txs in ledgers(), at in 0i64..2_000) {
        let t = Timestamp::from_millis(1_700_000_000_000 + at * 5_000);
        let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
        for tx in txs.iter().filter(|x| x.at <= t) {
            for (l, q) in tx.changes() {
                let e = sums.entry((tx.account_id.clone(), l.asset.clone())).or_default();
                e.0 += q;
                e.1 += q.abs();
            }
        }
        let p = PositionIndex::build(&txs).at(t);
        let got: BTreeMap<(String, String), f64> = p
            .rows
            .iter()
            .map(|r| ((r.account_id.clone(), r.asset.clone()), r.quantity))
            .collect();
        for (key, (sum, scale)) in &sums {
            let q = got.get(key).copied().unwrap_or(0.0);
            prop_assert!((q - sum).abs() <= 1e-12 * scale + 1e-12, "{key:?}: {q} vs {sum}");
        }
        prop_assert!(got.keys().all(|k| sums.contains_key(k)));
        // And exactly what the ledger cut at the date gives.
        let cut: Vec<Transaction> = txs.iter().filter(|x| x.at <= t).cloned().collect();
        prop_assert_eq!(PositionIndex::build(&cut).at(t).rows, p.rows);
    }

    /// Internal moves (between an exchange's own wallets) change no position.
    #[test]
    fn internal_moves_change_no_position(txs in ledgers(), moves in prop::collection::vec((0usize..3, leg(), 0i64..2_000), 0..10)) {
        let before = latest(&txs);
        let mut with = txs;
        for (i, (account, l, slot)) in moves.into_iter().enumerate() {
            with.push(Transaction {
                id: format!("a{account}:internal{i}"),
                account_id: format!("a{account}"),
                at: Timestamp::from_millis(1_700_000_000_000 + slot * 5_000),
                kind: TxKind::Internal,
                received: None,
                given: Some(l),
                fee: None,
                value: None,
                external_id: None,
                isin: None,
                venue: None,
                counterpart: None,
                note: Some("Spot → Earn".into()),
            });
        }
        prop_assert_eq!(latest(&with), before);
    }
}

/// Any f64 but NaN (whose bits are kept but which never equals itself).
fn any_number() -> impl Strategy<Value = f64> {
    use prop::num::f64::*;
    NORMAL | SUBNORMAL | ZERO | INFINITE | NEGATIVE | POSITIVE
}

fn any_leg() -> impl Strategy<Value = Leg> {
    (
        "\\PC{0,6}",
        prop::sample::select(AssetClass::ALL.to_vec()),
        any_number(),
    )
        .prop_map(|(asset, class, quantity)| Leg {
            asset,
            class,
            quantity,
        })
}

fn any_kind() -> impl Strategy<Value = TxKind> {
    prop_oneof![
        kind(),
        Just(TxKind::TransferIn),
        Just(TxKind::TransferOut),
        Just(TxKind::Income(IncomeKind::Dividend)),
        Just(TxKind::Income(IncomeKind::Reward)),
    ]
}

/// Any transaction of account `acc`, with an id of any form: a fingerprint id (kept as the
/// import gave it), its exchange id, another suffix, or an id of another shape.
fn any_transaction() -> impl Strategy<Value = Transaction> {
    (
        (any::<i64>(), any::<bool>(), any_kind()),
        prop::option::of(any_leg()),
        prop::option::of(any_leg()),
        prop::option::of(any_leg()),
        prop::option::of((
            any_number(),
            prop::sample::select(vec!["EUR", "USD", "BTC"]),
        )),
        prop::collection::vec(prop::option::of("\\PC{0,12}"), 5),
        (0u8..4, "\\PC{0,10}"),
    )
        .prop_map(
            |((at, whole_s, kind), received, given, fee, value, texts, (form, other))| {
                let at = if whole_s { at / 1_000_000 * 1_000 } else { at };
                let mut tx = Transaction {
                    id: String::new(),
                    account_id: "acc".into(),
                    at: Timestamp::from_millis(at),
                    kind,
                    received,
                    given,
                    fee,
                    value: value.and_then(|(amount, c)| {
                        Some(Money {
                            amount,
                            currency: Currency::parse(c).ok()?,
                        })
                    }),
                    external_id: texts[0].clone(),
                    isin: texts[1].clone(),
                    venue: texts[2].clone(),
                    counterpart: texts[3].clone(),
                    note: texts[4].clone(),
                };
                tx.id = match form {
                    0 => {
                        let mut one = [tx.clone()];
                        one[0].external_id = None;
                        folio::domain::accounts::identity::assign_ids("acc", &mut one);
                        one[0].id.clone()
                    }
                    1 => format!("acc:{}", tx.external_id.clone().unwrap_or_default()),
                    2 => format!("acc:{other}"),
                    _ => other,
                };
                tx
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A chunk reads back exactly what was written, field for field and bit for bit.
    #[test]
    fn chunks_round_trip(txs in prop::collection::vec(any_transaction(), 0..40)) {
        let bytes = encode_chunk("acc", &txs).unwrap();
        let back = decode_chunk("acc", &bytes).unwrap();
        prop_assert_eq!(&back, &txs);
        let bits = |t: &[Transaction]| -> Vec<Option<u64>> {
            t.iter()
                .flat_map(|x| [&x.received, &x.given, &x.fee])
                .map(|l| l.as_ref().map(|l| l.quantity.to_bits()))
                .collect()
        };
        prop_assert_eq!(bits(&back), bits(&txs));
    }

    /// Merging, matching, positions and reconciliation accept any transactions (extreme
    /// times, infinite or negative quantities, empty assets) without a panic.
    #[test]
    fn the_ledger_core_never_panics(
        existing in prop::collection::vec(any_transaction(), 0..20),
        incoming in prop::collection::vec(any_transaction(), 0..20),
        t in any::<i64>(),
    ) {
        let merged = merge_import("acc", &existing, incoming);
        let mut all = existing;
        all.extend(merged.new);
        for (i, tx) in all.iter_mut().enumerate() {
            if i % 2 == 1 {
                tx.account_id = "other".into();
            }
        }
        let found = find_transfers(&all, &TransferRule::default(), &BTreeSet::new());
        apply_matches(&mut all, &found);
        if all.len() >= 2 {
            let (a, b) = all.split_at_mut(1);
            let _ = folio::domain::accounts::transfers::match_by_hand(&mut a[0], &mut b[0]);
        }
        let p = PositionIndex::build(&all).at(Timestamp::from_millis(t));
        let file = [folio::domain::holding::Holding::new("BTC", AssetClass::Crypto, 1.0, Currency::USD, "x")];
        let _ = folio::domain::accounts::reconcile::reconcile("acc", &p, &file);
    }

    /// Damaged chunk bytes are refused or read, never a panic.
    #[test]
    fn damaged_chunks_never_panic(
        txs in prop::collection::vec(any_transaction(), 1..10),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = encode_chunk("acc", &txs).unwrap();
        for (i, b) in damage {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        let _ = decode_chunk("acc", &bytes);
        let _ = decode_chunk("acc", &bytes[..cut.index(bytes.len())]);
    }
}

//! Merging an import into an account's ledger: nothing is added twice.
//!
//! [`merge_import`] gives the import's transactions their ids ([`super::identity`]) and
//! sorts each into new, already there, conflicting or invalid; the caller shows the
//! [`MergeCounts`] in the preview and, on confirmation, appends [`ImportMerge::new`] to the
//! ledger. Conflicting rows are not added: the existing transaction stays until the user
//! chooses.
//!
//! # Rule, in order
//! 1. **Invalid**: a leg or a value that is not a finite number, a negative quantity, or
//!    legs that do not fit the kind ([`check`]) — refused, with the reason.
//! 2. **Same id** (`<account>:<exchange id>`, or `<account>:<fingerprint>#<n>`): already
//!    there when the canonical fields agree ([`same_content`]), or when they describe the
//!    same event as step 3 judges it (Kraken's ledger and its trades export carry one id,
//!    to the second in one and to the 0.1 ms in the other); conflicting otherwise: for
//!    another fee (Kraken's trades export states the fee in the quote currency where its
//!    ledger took it from the base: the balances differ, the user picks), or other content
//!    (the exchange changed the row, or the user edited it). Re-importing a file, or importing a
//!    later export that overlaps an earlier one, is settled here: the overlap has the same
//!    ids, and a fingerprint repeated k times in the file and j times before adds
//!    max(0, k − j) rows.
//! 3. **Same trade, another export**: the same event exported once as a ledger and once
//!    as a trade list (Binance's statement and its trade history; CoinTracking's list and
//!    an exchange's own file) carries other ids, fees booked elsewhere and other values.
//!    It is recognised by what both exports must agree on: the kind, the assets received
//!    and given, their quantities as far as the less precise export writes them
//!    ([`agree`]: exports round or cut to different decimals) and the time within
//!    [`TIME_TOLERANCE_MS`] (exports keep or drop fractions of a second). Each existing transaction is claimed once, the closest in
//!    time first. When both sides carry a fee they must agree, and when both carry an
//!    exchange id they must be equal; else the row is conflicting.
//! 4. **Same moment, summed**: an export that lists an order's fills one by one and one
//!    that books them as one line. What is left of both sides is grouped by whole second,
//!    kind and assets; groups whose quantities sum to the same (within the tolerance) are
//!    already there, groups that differ are conflicting — never added next to each other.
//! 5. Everything else is **new**.
//!
//! # Limits
//! Two exports of one event are not recognised when they disagree on its kind (a deposit
//! in one, income in the other), on its assets (`XBT` and `BTC` unless an importer maps
//! them), on its time by more than a second (a file in local time read as UTC), or on its
//! quantities (one books the fee inside the quantity received, the other beside it); they
//! are then conflicting when they fall in the same second and new otherwise. Two events a
//! second apart with the same assets and quantities, one in each of two exports that do
//! not overlap, are taken for one.

use std::collections::HashMap;

use crate::domain::accounts::identity::{assign_ids, identity_kind, same_content};
use crate::domain::holding::FnvBuildHasher;
use crate::domain::ledger::{Leg, Transaction, TxKind};

/// Relative tolerance on quantities when two exports of one event are compared (step 3):
/// 10⁻⁶, so a quantity printed to 7 significant digits still matches the full one.
pub const QUANTITY_TOLERANCE: f64 = 1e-6;

/// The fewest decimals [`agree`] assumes an export wrote: a quantity written `2` agrees
/// with one written `2.004`, not with `2.4`.
pub const MIN_DECIMALS: u32 = 2;

/// Tolerance on times when two exports of one event are compared (step 3): one second.
pub const TIME_TOLERANCE_MS: i64 = 1_000;

/// The preview's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeCounts {
    /// Rows that will be added.
    pub new: usize,
    /// Rows the ledger already has.
    pub already_there: usize,
    /// Rows that differ from a transaction the ledger has (not added).
    pub conflicting: usize,
    /// Rows refused as malformed.
    pub invalid: usize,
}

/// How an incoming row was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecognisedBy {
    /// The same id, the same content.
    SameId,
    /// The same trade in another export (step 3).
    SameTrade,
    /// The same moment's rows summed to the same quantities (step 4).
    SameMomentSummed,
}

/// An incoming row the ledger already has.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    /// The incoming row's id.
    pub incoming: String,
    /// The ledger's transactions it was recognised as.
    pub existing: Vec<String>,
    /// How.
    pub by: RecognisedBy,
}

/// Why an incoming row conflicts with the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConflictReason {
    /// Same id, other content: the exchange changed the row, or it was edited by hand.
    #[error("the ledger has this id with other content")]
    SameIdOtherContent,
    /// The same trade, but the two exchange ids differ.
    #[error("the ledger has the same trade under another exchange id")]
    OtherExchangeId,
    /// The same trade, but the two fees differ.
    #[error("the ledger has the same trade with another fee")]
    OtherFee,
    /// Rows of the same second, kind and assets whose quantities differ.
    #[error("the ledger has rows of the same second and assets with other quantities")]
    OtherQuantities,
}

/// An incoming row that differs from what the ledger has; it is not added.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The incoming transaction (with its id).
    pub incoming: Transaction,
    /// The ledger's transactions it collides with.
    pub existing: Vec<String>,
    /// Why.
    pub reason: ConflictReason,
}

/// Why a transaction is malformed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidTransaction {
    /// A quantity that is negative, NaN or infinite.
    #[error("the {leg} quantity of {asset} is {quantity}, not a positive number")]
    Quantity {
        /// `received`, `given` or `fee`.
        leg: &'static str,
        /// The leg's asset.
        asset: String,
        /// The quantity.
        quantity: f64,
    },
    /// A value that is NaN or infinite.
    #[error("the value {amount} is not a number")]
    Value {
        /// The amount.
        amount: f64,
    },
    /// Legs that do not fit the kind.
    #[error("a {kind} needs {needs}")]
    Shape {
        /// The kind's name.
        kind: &'static str,
        /// What it needs.
        needs: &'static str,
    },
}

/// A refused incoming row.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRow {
    /// Its position in the import (0-based).
    pub index: usize,
    /// Its time.
    pub at: crate::domain::calendar::Timestamp,
    /// Why.
    pub error: InvalidTransaction,
}

/// An import sorted against an account's ledger.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportMerge {
    /// Rows to append to the ledger, in import order, with their ids and account.
    pub new: Vec<Transaction>,
    /// Rows the ledger already has.
    pub already_there: Vec<Recognised>,
    /// Rows that differ from the ledger (not added).
    pub conflicts: Vec<Conflict>,
    /// Rows refused as malformed.
    pub invalid: Vec<InvalidRow>,
}

impl ImportMerge {
    /// The preview's counts.
    pub fn counts(&self) -> MergeCounts {
        MergeCounts {
            new: self.new.len(),
            already_there: self.already_there.len(),
            conflicting: self.conflicts.len(),
            invalid: self.invalid.len(),
        }
    }
}

/// Checks a transaction's numbers and that its legs fit its kind: a trade receives and
/// gives; a deposit, transfer in or income receives only; a withdrawal, transfer out or
/// spend gives only; a fee has a fee and no other leg; an internal move has at least one
/// leg. Any kind may carry a fee. Quantities are finite and not negative.
pub fn check(tx: &Transaction) -> Result<(), InvalidTransaction> {
    for (name, leg) in [
        ("received", &tx.received),
        ("given", &tx.given),
        ("fee", &tx.fee),
    ] {
        if let Some(l) = leg {
            if !(l.quantity.is_finite() && l.quantity >= 0.0) {
                return Err(InvalidTransaction::Quantity {
                    leg: name,
                    asset: l.asset.clone(),
                    quantity: l.quantity,
                });
            }
        }
    }
    if let Some(v) = &tx.value {
        if !v.amount.is_finite() {
            return Err(InvalidTransaction::Value { amount: v.amount });
        }
    }
    let (r, g) = (tx.received.is_some(), tx.given.is_some());
    let shape = |kind, needs| Err(InvalidTransaction::Shape { kind, needs });
    match tx.kind {
        TxKind::Trade if !(r && g) => shape("trade", "an asset received and one given"),
        TxKind::Deposit if !r || g => shape("deposit", "an asset received and none given"),
        TxKind::TransferIn if !r || g => shape("transfer in", "an asset received and none given"),
        TxKind::Income(_) if !r || g => shape("income", "an asset received and none given"),
        TxKind::Withdrawal if r || !g => shape("withdrawal", "an asset given and none received"),
        TxKind::TransferOut if r || !g => shape("transfer out", "an asset given and none received"),
        TxKind::Spend if r || !g => shape("spend", "an asset given and none received"),
        TxKind::Fee if r || g || tx.fee.is_none() => shape("fee", "a fee and no other leg"),
        TxKind::Internal if !r && !g => shape("internal move", "an asset moved"),
        _ => Ok(()),
    }
}

/// Decimals of the shortest decimal that reads back to `x` (at most 15).
fn decimals(x: f64) -> u32 {
    let mut p = 1.0;
    for d in 0..15 {
        if ((x * p).round() / p) == x {
            return d;
        }
        p *= 10.0;
    }
    15
}

/// Whether two exports' quantities of one event agree: they differ by less than one unit
/// of the last decimal the less precise one has (at least [`MIN_DECIMALS`]; Kraken's
/// ledger cuts the fee 2.95608082 of its trades export to 2.9560), or by at most
/// [`QUANTITY_TOLERANCE`] of their size.
pub fn agree(a: f64, b: f64) -> bool {
    let diff = (a - b).abs();
    let coarse = decimals(a).min(decimals(b)).max(MIN_DECIMALS);
    diff < 10f64.powi(-(coarse as i32)) || diff <= QUANTITY_TOLERANCE * a.abs().max(b.abs())
}

fn close_leg(a: Option<&Leg>, b: Option<&Leg>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.asset == b.asset && agree(a.quantity, b.quantity),
        _ => false,
    }
}

/// Whether two rows describe one event as two exports may (step 3's test without the
/// exchange ids): same kind and assets, quantities that [`agree`], times within
/// [`TIME_TOLERANCE_MS`], and, when `fees` is asked, fees that agree when both have one.
fn same_event(a: &Transaction, b: &Transaction, fees: bool) -> bool {
    core_key(a) == core_key(b)
        && a.at.millis().abs_diff(b.at.millis()) <= TIME_TOLERANCE_MS as u64
        && close_leg(a.received.as_ref(), b.received.as_ref())
        && close_leg(a.given.as_ref(), b.given.as_ref())
        && (!fees
            || match (&a.fee, &b.fee) {
                (Some(x), Some(y)) => close_leg(Some(x), Some(y)),
                _ => true,
            })
}

/// What two exports of one event agree on: kind and assets.
type CoreKey<'a> = (TxKind, Option<&'a str>, Option<&'a str>);

fn core_key(tx: &Transaction) -> CoreKey<'_> {
    (
        identity_kind(tx.kind),
        tx.received.as_ref().map(|l| l.asset.as_str()),
        tx.given.as_ref().map(|l| l.asset.as_str()),
    )
}

/// Sorts an import's transactions against the account's ledger (see the module's rule).
/// `existing` is the account's ledger; `incoming` the import, whose ids and account are
/// set here.
pub fn merge_import(
    account_id: &str,
    existing: &[Transaction],
    incoming: Vec<Transaction>,
) -> ImportMerge {
    let mut out = ImportMerge::default();
    let mut rows = Vec::with_capacity(incoming.len());
    for (index, tx) in incoming.into_iter().enumerate() {
        match check(&tx) {
            Ok(()) => rows.push(tx),
            Err(error) => out.invalid.push(InvalidRow {
                index,
                at: tx.at,
                error,
            }),
        }
    }
    assign_ids(account_id, &mut rows);

    let mut claimed = vec![false; existing.len()];
    // What becomes of each incoming row; None = not settled yet.
    let mut settled: Vec<Option<Outcome>> = vec![None; rows.len()];

    // 2. Same id.
    let by_id: HashMap<&str, usize, FnvBuildHasher> = existing
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    for (r, tx) in rows.iter().enumerate() {
        if let Some(&e) = by_id.get(tx.id.as_str()) {
            claimed[e] = true;
            let old = &existing[e];
            settled[r] = Some(if same_content(tx, old) || same_event(tx, old, true) {
                Outcome::Recognised(vec![e], RecognisedBy::SameId)
            } else if same_event(tx, old, false) {
                Outcome::Conflict(vec![e], ConflictReason::OtherFee)
            } else {
                Outcome::Conflict(vec![e], ConflictReason::SameIdOtherContent)
            });
        }
    }

    // 3. Same trade in another export.
    let mut by_core: HashMap<CoreKey<'_>, Vec<(i64, usize)>> = HashMap::new();
    for (e, tx) in existing.iter().enumerate() {
        if !claimed[e] {
            by_core
                .entry(core_key(tx))
                .or_default()
                .push((tx.at.millis(), e));
        }
    }
    for list in by_core.values_mut() {
        list.sort_unstable();
    }
    for (r, tx) in rows.iter().enumerate() {
        if settled[r].is_some() {
            continue;
        }
        let Some(list) = by_core.get(&core_key(tx)) else {
            continue;
        };
        let t = tx.at.millis();
        let from = list.partition_point(|&(at, _)| at < t.saturating_sub(TIME_TOLERANCE_MS));
        let best = list[from..]
            .iter()
            .take_while(|&&(at, _)| at <= t.saturating_add(TIME_TOLERANCE_MS))
            .filter(|&&(_, e)| {
                !claimed[e]
                    && close_leg(tx.received.as_ref(), existing[e].received.as_ref())
                    && close_leg(tx.given.as_ref(), existing[e].given.as_ref())
            })
            .min_by_key(|&&(at, e)| ((at - t).abs(), e));
        if let Some(&(_, e)) = best {
            claimed[e] = true;
            let other = &existing[e];
            let other_id = matches!((&tx.external_id, &other.external_id),
                (Some(a), Some(b)) if a != b);
            let other_fee = match (&tx.fee, &other.fee) {
                (Some(a), Some(b)) => !close_leg(Some(a), Some(b)),
                _ => false,
            };
            settled[r] = Some(if other_id {
                Outcome::Conflict(vec![e], ConflictReason::OtherExchangeId)
            } else if other_fee {
                Outcome::Conflict(vec![e], ConflictReason::OtherFee)
            } else {
                Outcome::Recognised(vec![e], RecognisedBy::SameTrade)
            });
        }
    }

    // 4. Same moment, summed.
    type MomentKey<'a> = (i64, CoreKey<'a>);
    let moment = |tx: &Transaction| -> i64 { tx.at.millis().div_euclid(1000) };
    let mut existing_moments: HashMap<MomentKey<'_>, Vec<usize>> = HashMap::new();
    for (e, tx) in existing.iter().enumerate() {
        if !claimed[e] {
            existing_moments
                .entry((moment(tx), core_key(tx)))
                .or_default()
                .push(e);
        }
    }
    let mut incoming_moments: HashMap<MomentKey<'_>, Vec<usize>> = HashMap::new();
    for (r, tx) in rows.iter().enumerate() {
        if settled[r].is_none() {
            let key = (moment(tx), core_key(tx));
            if existing_moments.contains_key(&key) {
                incoming_moments.entry(key).or_default().push(r);
            }
        }
    }
    let sum = |txs: &mut dyn Iterator<Item = &Transaction>| {
        txs.fold((0.0, 0.0), |(r, g), t| {
            (
                r + t.received.as_ref().map_or(0.0, |l| l.quantity),
                g + t.given.as_ref().map_or(0.0, |l| l.quantity),
            )
        })
    };
    for (key, group) in &incoming_moments {
        let Some(olds) = existing_moments.get(key) else {
            continue;
        };
        let (ir, ig) = sum(&mut group.iter().map(|&r| &rows[r]));
        let (er, eg) = sum(&mut olds.iter().map(|&e| &existing[e]));
        let outcome = if agree(ir, er) && agree(ig, eg) {
            Outcome::Recognised(olds.clone(), RecognisedBy::SameMomentSummed)
        } else {
            Outcome::Conflict(olds.clone(), ConflictReason::OtherQuantities)
        };
        for &r in group {
            settled[r] = Some(outcome.clone());
        }
    }

    // 5. New.
    let ids = |es: Vec<usize>| es.into_iter().map(|e| existing[e].id.clone()).collect();
    for (tx, outcome) in rows.into_iter().zip(settled) {
        match outcome {
            None => out.new.push(tx),
            Some(Outcome::Recognised(es, by)) => out.already_there.push(Recognised {
                incoming: tx.id,
                existing: ids(es),
                by,
            }),
            Some(Outcome::Conflict(es, reason)) => out.conflicts.push(Conflict {
                incoming: tx,
                existing: ids(es),
                reason,
            }),
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Outcome {
    Recognised(Vec<usize>, RecognisedBy),
    Conflict(Vec<usize>, ConflictReason),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::tests::{deposit, leg, tx};
    use crate::domain::calendar::Timestamp;
    use crate::domain::currency::Currency;
    use crate::domain::ledger::Money;

    fn trade(at_ms: i64, got: (&str, f64), paid: (&str, f64)) -> Transaction {
        Transaction {
            at: Timestamp::from_millis(at_ms),
            received: leg(got.0, got.1),
            given: leg(paid.0, paid.1),
            ..tx(0, TxKind::Trade)
        }
    }

    fn commit(ledger: &mut Vec<Transaction>, account: &str, rows: Vec<Transaction>) -> MergeCounts {
        let m = merge_import(account, ledger, rows);
        let c = m.counts();
        ledger.extend(m.new);
        c
    }

    #[test]
    fn a_file_imported_twice_adds_nothing_the_second_time() {
        let file = vec![
            deposit(100, "EUR", 245.25),
            deposit(100, "EUR", 245.25),
            trade(200_000, ("ETH", 0.03605), ("EUR", 134.4719075)),
        ];
        let mut ledger = Vec::new();
        let first = commit(&mut ledger, "b", file.clone());
        assert_eq!(
            first,
            MergeCounts {
                new: 3,
                ..MergeCounts::default()
            }
        );
        let second = merge_import("b", &ledger, file);
        assert_eq!(
            second.counts(),
            MergeCounts {
                already_there: 3,
                ..MergeCounts::default()
            }
        );
        assert!(second
            .already_there
            .iter()
            .all(|r| r.by == RecognisedBy::SameId));
    }

    #[test]
    fn an_overlapping_later_export_adds_only_its_new_rows() {
        // Earlier export: one deposit of 100 EUR on day 1, a trade on day 2. Later export
        // (days 1–3): the same, a second equal deposit on day 1, a trade on day 3.
        let d1 = deposit(86_400, "EUR", 100.0);
        let t2 = trade(172_800_000, ("BTC", 0.01), ("EUR", 300.0));
        let t3 = trade(259_200_000, ("BTC", 0.02), ("EUR", 610.0));
        let mut ledger = Vec::new();
        commit(&mut ledger, "k", vec![d1.clone(), t2.clone()]);
        let later = merge_import("k", &ledger, vec![d1.clone(), d1, t2, t3]);
        // d1#1 and t2 by id; d1#2 and t3 are new (2 = max(0, 2 − 1) copies of d1 + t3).
        assert_eq!(
            later.counts(),
            MergeCounts {
                new: 2,
                already_there: 2,
                ..MergeCounts::default()
            }
        );
        assert!(later.new[0].id.ends_with("#2"));
        assert_eq!(later.new[1].received, leg("BTC", 0.02));
    }

    #[test]
    fn the_same_trades_as_a_ledger_and_as_a_trade_list_are_recognised() {
        // Binance statement (to the second, fee booked, no value) then the trade history of
        // the same fills (milliseconds, 7 significant digits, a value, a fee in BNB).
        let statement = vec![
            Transaction {
                fee: leg("BNB", 0.0001057),
                ..trade(1_605_169_314_000, ("BTC", 0.001366875), ("IOTA", 67.5))
            },
            trade(
                1_606_837_907_000,
                ("BTC", 0.10680859385),
                ("ETH", 1.01065076),
            ),
        ];
        let mut ledger = Vec::new();
        commit(&mut ledger, "b", statement);
        let history = vec![
            Transaction {
                fee: leg("BNB", 0.0001057),
                value: Some(Money {
                    amount: 20.1,
                    currency: Currency::EUR,
                }),
                ..trade(1_605_169_314_420, ("BTC", 0.001366875), ("IOTA", 67.5))
            },
            trade(1_606_837_907_000, ("BTC", 0.1068086), ("ETH", 1.010651)),
            trade(1_606_900_000_000, ("BTC", 0.2), ("ETH", 2.0)),
        ];
        let m = merge_import("b", &ledger, history);
        assert_eq!(
            m.counts(),
            MergeCounts {
                new: 1,
                already_there: 2,
                ..MergeCounts::default()
            }
        );
        assert!(m
            .already_there
            .iter()
            .all(|r| r.by == RecognisedBy::SameTrade));
        assert_eq!(m.new[0].received, leg("BTC", 0.2));
    }

    #[test]
    fn a_ledger_row_is_recognised_once() {
        // The ledger (one export) has one fill; the trade list has two equal fills in that
        // second: one is the ledger's, the other is new.
        let mut ledger = Vec::new();
        commit(
            &mut ledger,
            "b",
            vec![trade(7_000, ("SOL", 0.18), ("BUSD", 19.8054))],
        );
        let fill = Transaction {
            value: Some(Money {
                amount: 18.0,
                currency: Currency::EUR,
            }),
            ..trade(7_000, ("SOL", 0.18), ("BUSD", 19.8054))
        };
        let m = merge_import("b", &ledger, vec![fill.clone(), fill]);
        assert_eq!(
            m.counts(),
            MergeCounts {
                new: 1,
                already_there: 1,
                ..MergeCounts::default()
            }
        );
    }

    #[test]
    fn fills_listed_one_by_one_are_recognised_in_a_summed_line() {
        // The ledger books one order as one line (0.3 BTC for 9,000 EUR); the trade list
        // has its three fills in the same second (0.1 + 0.15 + 0.05 = 0.3 BTC, 3,000 +
        // 4,500 + 1,500 = 9,000 EUR).
        let mut ledger = Vec::new();
        commit(
            &mut ledger,
            "b",
            vec![trade(5_000_000, ("BTC", 0.3), ("EUR", 9_000.0))],
        );
        let fills = vec![
            trade(5_000_100, ("BTC", 0.1), ("EUR", 3_000.0)),
            trade(5_000_200, ("BTC", 0.15), ("EUR", 4_500.0)),
            trade(5_000_900, ("BTC", 0.05), ("EUR", 1_500.0)),
        ];
        let m = merge_import("b", &ledger, fills.clone());
        assert_eq!(m.counts().already_there, 3);
        assert!(m
            .already_there
            .iter()
            .all(|r| r.by == RecognisedBy::SameMomentSummed));

        // A fill missing: 0.25 BTC ≠ 0.3 BTC: conflicting, not added beside the line.
        let m = merge_import("b", &ledger, fills[..2].to_vec());
        assert_eq!(
            m.counts(),
            MergeCounts {
                conflicting: 2,
                ..MergeCounts::default()
            }
        );
        assert_eq!(m.conflicts[0].reason, ConflictReason::OtherQuantities);
    }

    #[test]
    fn differing_content_under_one_id_is_a_conflict_and_keeps_the_ledger_row() {
        let mut a = deposit(10, "BTC", 1.0);
        a.external_id = Some("L1".into());
        let mut ledger = Vec::new();
        commit(&mut ledger, "k", vec![a.clone()]);
        a.received = leg("BTC", 1.5);
        let m = merge_import("k", &ledger, vec![a]);
        assert_eq!(m.counts().conflicting, 1);
        assert_eq!(m.conflicts[0].reason, ConflictReason::SameIdOtherContent);
        assert_eq!(m.conflicts[0].existing, vec!["k:L1".to_string()]);
    }

    #[test]
    fn quantities_agree_as_far_as_the_coarser_export_writes_them() {
        assert!(agree(2.956, 2.95608082), "cut to 4 decimals (2.9560)");
        assert!(agree(1478.0404, 1478.04040853));
        assert!(agree(0.10680859385, 0.1068086), "7 significant digits");
        assert!(!agree(2.956, 2.958), "the third decimal differs");
        assert!(
            agree(2.0, 2.004) && !agree(2.0, 2.4),
            "at least two decimals"
        );
        assert!(!agree(0.001366875, 0.001367875));
        assert!(agree(1e9, 1e9 + 500.0), "10⁻⁶ of the size");
    }

    #[test]
    fn one_exchange_id_in_two_exports_is_one_transaction() {
        // Kraken's ledger (to the second, 4 decimals) and its trades export (0.1 ms, 8
        // decimals) of trade TIIAWV: one id, the same event.
        let mut ledger = Vec::new();
        let mut from_ledger = Transaction {
            fee: leg("GBP", 2.956),
            ..trade(1_730_536_783_000, ("USDT", 1909.0), ("GBP", 1478.0404))
        };
        from_ledger.external_id = Some("TIIAWV-NWCDG-SZ4WV2".into());
        commit(&mut ledger, "k", vec![from_ledger]);
        let mut from_trades = Transaction {
            fee: leg("GBP", 2.95608082),
            ..trade(1_730_536_783_307, ("USDT", 1909.0), ("GBP", 1478.04040853))
        };
        from_trades.external_id = Some("TIIAWV-NWCDG-SZ4WV2".into());
        let m = merge_import("k", &ledger, vec![from_trades]);
        assert_eq!(m.counts().already_there, 1);
        assert_eq!(m.already_there[0].by, RecognisedBy::SameId);
    }

    #[test]
    fn the_same_trade_with_another_fee_or_exchange_id_conflicts() {
        let mut ledger = Vec::new();
        let mut t = trade(1_000, ("BTC", 1.0), ("EUR", 30_000.0));
        t.fee = leg("EUR", 30.0);
        t.external_id = Some("A".into());
        commit(&mut ledger, "k", vec![t.clone()]);

        let mut other_fee = t.clone();
        other_fee.external_id = None;
        other_fee.fee = leg("EUR", 60.0);
        let m = merge_import("k", &ledger, vec![other_fee]);
        assert_eq!(m.conflicts[0].reason, ConflictReason::OtherFee);

        let mut other_id = t;
        other_id.external_id = Some("B".into());
        let m = merge_import("k", &ledger, vec![other_id]);
        assert_eq!(m.conflicts[0].reason, ConflictReason::OtherExchangeId);
    }

    #[test]
    fn a_matched_transfer_is_still_the_row_its_file_listed() {
        let mut ledger = Vec::new();
        let w = Transaction {
            given: leg("BTC", 0.5),
            ..tx(50, TxKind::Withdrawal)
        };
        commit(&mut ledger, "k", vec![w.clone()]);
        ledger[0].kind = TxKind::TransferOut;
        ledger[0].counterpart = Some("w:x".into());
        let m = merge_import("k", &ledger, vec![w]);
        assert_eq!(m.counts().already_there, 1);
    }

    #[test]
    fn malformed_rows_are_refused_with_their_reason() {
        let neg = deposit(1, "BTC", -1.0);
        let nan = deposit(2, "BTC", f64::NAN);
        let half_trade = Transaction {
            received: leg("BTC", 1.0),
            ..tx(3, TxKind::Trade)
        };
        let bad_value = Transaction {
            value: Some(Money {
                amount: f64::INFINITY,
                currency: Currency::USD,
            }),
            ..deposit(4, "BTC", 1.0)
        };
        let m = merge_import(
            "k",
            &[],
            vec![neg, deposit(5, "BTC", 1.0), nan, half_trade, bad_value],
        );
        assert_eq!(m.counts().new, 1);
        let idx: Vec<usize> = m.invalid.iter().map(|r| r.index).collect();
        assert_eq!(idx, vec![0, 2, 3, 4]);
        assert_eq!(
            m.invalid[0].error.to_string(),
            "the received quantity of BTC is -1, not a positive number"
        );
        assert_eq!(
            m.invalid[2].error.to_string(),
            "a trade needs an asset received and one given"
        );
    }
}

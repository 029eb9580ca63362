//! Transfers between the profile's own accounts: a withdrawal from one matched with a
//! deposit into another becomes a `TransferOut`/`TransferIn` pair, each naming the other
//! in `counterpart`. A transfer is never a sale, a purchase, a contribution or a
//! withdrawal of capital; matching changes kinds, not quantities, so no position and no
//! total moves (the network fee, sent minus received, is the only loss, and it was already
//! in the legs).
//!
//! Moves between one exchange's own sub-accounts (Spot, Funding, Earn, savings products)
//! are not transfers: importers mark them [`TxKind::Internal`], which changes nothing.
//!
//! # Automatic matching ([`find_transfers`])
//! A withdrawal (or an unmatched transfer out) of quantity `s` of an asset, with fee `f` in
//! the same asset (0 if none), matches a deposit (or unmatched transfer in) of quantity `r`
//! of the same ticker into **another** account when
//! - `s − max(f, 2 % · s) ≤ r ≤ s` (each side widened by 10⁻⁹·s for rounding): the
//!   receiver gets what was sent, less a network fee the sender may book inside `s`
//!   ([`TransferRule::fee_share`]: 2 % covers the usual fees of a withdrawal that is not
//!   tiny, 0.0002 BTC of 0.01 BTC, 0.002 ETH of 0.1 ETH; a smaller one is matched by hand);
//! - the deposit is at most 1 h before and at most 72 h after the withdrawal
//!   ([`TransferRule::before_ms`], [`TransferRule::after_ms`]): two venues stamp a transfer
//!   at different moments (request, broadcast, credit), and a bank transfer sent on a
//!   Friday evening arrives on Monday; coins held up longer are matched by hand;
//! - the pair was not unmatched by the user before ([`Unmatched`]).
//!
//! Each transaction is matched at most once. Candidate pairs are taken best first, by
//! `hours apart + 100 × (s − r) / s` (a deposit 1 % short is as good as one an hour
//! later), then by ids.

use std::collections::{BTreeSet, HashMap};

use crate::domain::ledger::{Transaction, TxKind};

/// The window and tolerance of automatic matching (see the module's rule).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferRule {
    /// How long before the withdrawal the deposit may be stamped (ms).
    pub before_ms: i64,
    /// How long after the withdrawal the deposit may be stamped (ms).
    pub after_ms: i64,
    /// The share of the sent quantity the received one may lack beyond the stated fee.
    pub fee_share: f64,
}

impl Default for TransferRule {
    fn default() -> TransferRule {
        TransferRule {
            before_ms: 3_600_000,
            after_ms: 72 * 3_600_000,
            fee_share: 0.02,
        }
    }
}

/// A matched pair.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferMatch {
    /// The leaving half's id.
    pub out_id: String,
    /// The arriving half's id.
    pub in_id: String,
    /// The account sent from.
    pub from_account: String,
    /// The account received in.
    pub to_account: String,
    /// The asset.
    pub asset: String,
    /// Quantity that left (the withdrawal's given leg).
    pub sent: f64,
    /// Quantity that arrived.
    pub received: f64,
    /// Deposit time minus withdrawal time (ms).
    pub gap_ms: i64,
}

impl TransferMatch {
    /// What the move cost on the way: sent minus received.
    pub fn network_fee(&self) -> f64 {
        self.sent - self.received
    }
}

/// A pair the user unmatched: automatic matching never pairs it again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unmatched {
    /// The leaving half's id.
    pub out_id: String,
    /// The arriving half's id.
    pub in_id: String,
}

/// Why a user's match or unmatch was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransferError {
    /// The leaving side is not a withdrawal.
    #[error("{id} is a {kind:?}, not a withdrawal")]
    NotOutgoing {
        /// Its id.
        id: String,
        /// Its kind.
        kind: TxKind,
    },
    /// The arriving side is not a deposit.
    #[error("{id} is a {kind:?}, not a deposit")]
    NotIncoming {
        /// Its id.
        id: String,
        /// Its kind.
        kind: TxKind,
    },
    /// One side is already matched.
    #[error("{id} is already matched with {counterpart}")]
    AlreadyMatched {
        /// Its id.
        id: String,
        /// Its counterpart.
        counterpart: String,
    },
    /// Both sides are in one account.
    #[error("both are in account {account}: a move inside one account is an internal move")]
    SameAccount {
        /// The account.
        account: String,
    },
    /// The two sides move different assets.
    #[error("{sent} was sent but {received} received")]
    DifferentAssets {
        /// The asset sent.
        sent: String,
        /// The asset received.
        received: String,
    },
    /// More arrived than left.
    #[error("{received} {asset} received is more than the {sent} sent")]
    ReceivedMore {
        /// The asset.
        asset: String,
        /// Quantity sent.
        sent: f64,
        /// Quantity received.
        received: f64,
    },
    /// The two are not each other's counterparts.
    #[error("{a} and {b} are not matched with each other")]
    NotAPair {
        /// One id.
        a: String,
        /// The other.
        b: String,
    },
}

fn is_outgoing(tx: &Transaction) -> bool {
    matches!(tx.kind, TxKind::Withdrawal | TxKind::TransferOut)
}

fn is_incoming(tx: &Transaction) -> bool {
    matches!(tx.kind, TxKind::Deposit | TxKind::TransferIn)
}

/// The rounding slack on a quantity: 10⁻⁹ of it, at least 10⁻¹².
fn slack(q: f64) -> f64 {
    1e-9 * q.abs() + 1e-12
}

/// Finds transfers between different accounts among `txs` (every account's ledger), by the
/// module's rule; transactions already matched are left alone.
pub fn find_transfers<'a>(
    txs: impl IntoIterator<Item = &'a Transaction>,
    rule: &TransferRule,
    unmatched: &BTreeSet<Unmatched>,
) -> Vec<TransferMatch> {
    let mut outs: Vec<&Transaction> = Vec::new();
    let mut ins: HashMap<&str, Vec<&Transaction>> = HashMap::new();
    for tx in txs {
        if tx.counterpart.is_some() {
            continue;
        }
        match (&tx.given, &tx.received) {
            (Some(_), None) if is_outgoing(tx) => outs.push(tx),
            (None, Some(r)) if is_incoming(tx) => ins.entry(r.asset.as_str()).or_default().push(tx),
            _ => {}
        }
    }
    for list in ins.values_mut() {
        list.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    }

    struct Candidate<'t> {
        score: f64,
        out: &'t Transaction,
        inn: &'t Transaction,
    }
    let mut candidates = Vec::new();
    for out in outs {
        let Some(sent) = &out.given else { continue };
        let Some(list) = ins.get(sent.asset.as_str()) else {
            continue;
        };
        let s = sent.quantity;
        let fee = out
            .fee
            .as_ref()
            .filter(|f| f.asset == sent.asset)
            .map_or(0.0, |f| f.quantity);
        let lowest = s - fee.max(rule.fee_share * s) - slack(s);
        let highest = s + slack(s);
        let t = out.at.millis();
        let from = list.partition_point(|d| d.at.millis() < t.saturating_sub(rule.before_ms));
        for inn in list[from..]
            .iter()
            .take_while(|d| d.at.millis() <= t.saturating_add(rule.after_ms))
        {
            let Some(r) = &inn.received else { continue };
            if inn.account_id == out.account_id || r.quantity < lowest || r.quantity > highest {
                continue;
            }
            let pair = Unmatched {
                out_id: out.id.clone(),
                in_id: inn.id.clone(),
            };
            if unmatched.contains(&pair) {
                continue;
            }
            let hours = (inn.at.millis() - t).abs() as f64 / 3_600_000.0;
            let short = if s > 0.0 {
                (s - r.quantity).max(0.0) / s
            } else {
                0.0
            };
            candidates.push(Candidate {
                score: hours + 100.0 * short,
                out,
                inn,
            });
        }
    }
    candidates.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| a.out.id.cmp(&b.out.id))
            .then_with(|| a.inn.id.cmp(&b.inn.id))
    });
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut matches = Vec::new();
    for c in candidates {
        if used.contains(c.out.id.as_str()) || used.contains(c.inn.id.as_str()) {
            continue;
        }
        used.insert(&c.out.id);
        used.insert(&c.inn.id);
        matches.push(pair_of(c.out, c.inn));
    }
    matches
}

fn pair_of(out: &Transaction, inn: &Transaction) -> TransferMatch {
    let sent = out.given.as_ref();
    TransferMatch {
        out_id: out.id.clone(),
        in_id: inn.id.clone(),
        from_account: out.account_id.clone(),
        to_account: inn.account_id.clone(),
        asset: sent.map_or_else(String::new, |l| l.asset.clone()),
        sent: sent.map_or(0.0, |l| l.quantity),
        received: inn.received.as_ref().map_or(0.0, |l| l.quantity),
        gap_ms: inn.at.millis().saturating_sub(out.at.millis()),
    }
}

/// Applies matches to the transactions of `ledger` they name (call it on each account's
/// ledger): the leaving half becomes a `TransferOut`, the arriving one a `TransferIn`,
/// each with the other's id as counterpart. Returns how many transactions changed.
pub fn apply_matches(ledger: &mut [Transaction], matches: &[TransferMatch]) -> usize {
    let mut by_id: HashMap<&str, (TxKind, &str)> = HashMap::new();
    for m in matches {
        by_id.insert(&m.out_id, (TxKind::TransferOut, &m.in_id));
        by_id.insert(&m.in_id, (TxKind::TransferIn, &m.out_id));
    }
    let mut changed = 0;
    for tx in ledger.iter_mut() {
        if let Some(&(kind, other)) = by_id.get(tx.id.as_str()) {
            tx.kind = kind;
            tx.counterpart = Some(other.to_string());
            changed += 1;
        }
    }
    changed
}

/// The user's match of a withdrawal in one account with a deposit in another (any time
/// apart, any fee); refused when the sides are not a withdrawal and a deposit, are already
/// matched, share an account, move different assets, or more arrived than left.
pub fn match_by_hand(
    out: &mut Transaction,
    inn: &mut Transaction,
) -> Result<TransferMatch, TransferError> {
    for tx in [&*out, &*inn] {
        if let Some(c) = &tx.counterpart {
            return Err(TransferError::AlreadyMatched {
                id: tx.id.clone(),
                counterpart: c.clone(),
            });
        }
    }
    let (Some(sent), None) = (&out.given, &out.received) else {
        return Err(TransferError::NotOutgoing {
            id: out.id.clone(),
            kind: out.kind,
        });
    };
    if !is_outgoing(out) {
        return Err(TransferError::NotOutgoing {
            id: out.id.clone(),
            kind: out.kind,
        });
    }
    let (Some(got), None) = (&inn.received, &inn.given) else {
        return Err(TransferError::NotIncoming {
            id: inn.id.clone(),
            kind: inn.kind,
        });
    };
    if !is_incoming(inn) {
        return Err(TransferError::NotIncoming {
            id: inn.id.clone(),
            kind: inn.kind,
        });
    }
    if out.account_id == inn.account_id {
        return Err(TransferError::SameAccount {
            account: out.account_id.clone(),
        });
    }
    if sent.asset != got.asset {
        return Err(TransferError::DifferentAssets {
            sent: sent.asset.clone(),
            received: got.asset.clone(),
        });
    }
    if got.quantity > sent.quantity + slack(sent.quantity) {
        return Err(TransferError::ReceivedMore {
            asset: sent.asset.clone(),
            sent: sent.quantity,
            received: got.quantity,
        });
    }
    let m = pair_of(out, inn);
    out.kind = TxKind::TransferOut;
    out.counterpart = Some(inn.id.clone());
    inn.kind = TxKind::TransferIn;
    inn.counterpart = Some(out.id.clone());
    Ok(m)
}

/// The ledger's form of a move between an exchange's own sub-accounts that an importer
/// marked internal (a `TransferOut` from Spot, a `TransferIn` to Earn, one half or both):
/// [`TxKind::Internal`], whose legs stay in the account, so it changes no position and no
/// total and is never matched as a transfer.
pub fn make_internal(tx: &mut Transaction) {
    tx.kind = TxKind::Internal;
    tx.counterpart = None;
}

/// Turns a transfer half back into the withdrawal or deposit it was, without a counterpart
/// (its other half was unmatched or deleted).
pub fn detach(tx: &mut Transaction) {
    tx.kind = match tx.kind {
        TxKind::TransferOut => TxKind::Withdrawal,
        TxKind::TransferIn => TxKind::Deposit,
        k => k,
    };
    tx.counterpart = None;
}

/// The user's unmatch of a pair: both become the withdrawal and deposit they were, and the
/// returned [`Unmatched`] (to be kept) stops automatic matching from pairing them again.
pub fn unmatch(a: &mut Transaction, b: &mut Transaction) -> Result<Unmatched, TransferError> {
    if a.counterpart.as_deref() != Some(b.id.as_str())
        || b.counterpart.as_deref() != Some(a.id.as_str())
    {
        return Err(TransferError::NotAPair {
            a: a.id.clone(),
            b: b.id.clone(),
        });
    }
    let (out, inn) = if a.kind == TxKind::TransferOut {
        (&*a, &*b)
    } else {
        (&*b, &*a)
    };
    let pair = Unmatched {
        out_id: out.id.clone(),
        in_id: inn.id.clone(),
    };
    detach(a);
    detach(b);
    Ok(pair)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::tests::{leg, tx};
    use crate::domain::accounts::positions::PositionIndex;

    const H: i64 = 3_600;

    fn withdrawal(id: &str, account: &str, at_s: i64, asset: &str, q: f64) -> Transaction {
        Transaction {
            id: id.into(),
            account_id: account.into(),
            given: leg(asset, q),
            ..tx(at_s, TxKind::Withdrawal)
        }
    }

    fn deposit(id: &str, account: &str, at_s: i64, asset: &str, q: f64) -> Transaction {
        Transaction {
            id: id.into(),
            account_id: account.into(),
            received: leg(asset, q),
            ..tx(at_s, TxKind::Deposit)
        }
    }

    fn find(txs: &[Transaction]) -> Vec<(String, String)> {
        find_transfers(txs, &TransferRule::default(), &BTreeSet::new())
            .into_iter()
            .map(|m| (m.out_id, m.in_id))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.into(), b.into())
    }

    #[test]
    fn a_withdrawal_matches_the_deposit_that_arrives_less_its_network_fee() {
        // Kraken sends 0.5 BTC at 10:00; the wallet receives 0.4998 BTC at 10:40
        // (fee 0.0002 = 0.04 %, inside 2 %).
        let txs = vec![
            withdrawal("k:1", "kraken", 10 * H, "BTC", 0.5),
            deposit("w:1", "wallet", 10 * H + 2_400, "BTC", 0.4998),
        ];
        let found = find_transfers(&txs, &TransferRule::default(), &BTreeSet::new());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].gap_ms, 2_400_000);
        assert!((found[0].network_fee() - 0.0002).abs() < 1e-15);
        assert_eq!(
            (found[0].from_account.as_str(), found[0].to_account.as_str()),
            ("kraken", "wallet")
        );
    }

    #[test]
    fn the_window_and_tolerance_bound_a_match() {
        let cases = [
            // (deposit at, received, matches?)
            (-H + 1, 1.0, true),  // 59:59 before: clocks differ
            (-H - 1, 1.0, false), // more than an hour before
            (72 * H, 1.0, true),  // three days later
            (72 * H + 1, 1.0, false),
            (60, 0.98, true),        // 2 % short
            (60, 0.979, false),      // 2.1 % short
            (60, 1.000000001, true), // rounding
            (60, 1.001, false),      // more arrived than left
        ];
        for (at, r, expected) in cases {
            let txs = vec![
                withdrawal("a:1", "a", 100 * H, "ETH", 1.0),
                deposit("b:1", "b", 100 * H + at, "ETH", r),
            ];
            assert_eq!(find(&txs).len() == 1, expected, "deposit at {at} s of {r}");
        }
        // A fee stated on the withdrawal widens the tolerance to it: 1 ETH sent, 0.05 ETH
        // fee, 0.95 ETH received (5 %).
        let mut w = withdrawal("a:1", "a", 0, "ETH", 1.0);
        w.fee = leg("ETH", 0.05);
        assert_eq!(find(&[w, deposit("b:1", "b", 60, "ETH", 0.95)]).len(), 1);
    }

    #[test]
    fn no_match_within_one_account_or_across_assets() {
        let txs = vec![
            withdrawal("a:1", "a", 0, "BTC", 1.0),
            deposit("a:2", "a", 60, "BTC", 1.0),
            deposit("b:1", "b", 60, "ETH", 1.0),
        ];
        assert!(find(&txs).is_empty());
    }

    #[test]
    fn each_half_is_matched_once_the_closest_first() {
        // Two equal withdrawals, two equal deposits: each deposit goes to the closer one.
        let txs = vec![
            withdrawal("a:1", "a", 0, "SOL", 10.0),
            withdrawal("a:2", "a", 5 * H, "SOL", 10.0),
            deposit("b:2", "b", 5 * H + 60, "SOL", 10.0),
            deposit("b:1", "b", 60, "SOL", 10.0),
        ];
        assert_eq!(find(&txs), vec![pair("a:1", "b:1"), pair("a:2", "b:2")]);
        // An exact deposit 70 h later loses to one 0.1 % short 20 minutes later.
        let txs = vec![
            withdrawal("a:1", "a", 0, "BTC", 1.0),
            deposit("b:1", "b", 70 * H, "BTC", 1.0),
            deposit("c:1", "c", 1_200, "BTC", 0.999),
        ];
        assert_eq!(find(&txs), vec![pair("a:1", "c:1")]);
    }

    #[test]
    fn matching_changes_kinds_and_no_position() {
        let mut txs = vec![
            deposit("a:0", "a", 0, "BTC", 2.0),
            withdrawal("a:1", "a", H, "BTC", 1.0),
            deposit("b:1", "b", 2 * H, "BTC", 0.9995),
        ];
        let before = PositionIndex::build(&txs).latest();
        let found = find_transfers(&txs, &TransferRule::default(), &BTreeSet::new());
        assert_eq!(apply_matches(&mut txs, &found), 2);
        assert_eq!(txs[1].kind, TxKind::TransferOut);
        assert_eq!(txs[1].counterpart.as_deref(), Some("b:1"));
        assert_eq!(txs[2].kind, TxKind::TransferIn);
        assert_eq!(txs[2].counterpart.as_deref(), Some("a:1"));
        assert_eq!(PositionIndex::build(&txs).latest(), before);
        assert!(find(&txs).is_empty(), "matched halves are left alone");
    }

    #[test]
    fn internal_moves_change_nothing_and_are_never_matched() {
        // Binance: Spot → Funding 10 USDT (both halves), then a Simple Earn subscription of
        // 5 USDT (the Spot half only); Kraken receives 10 USDT a minute later.
        let mut txs = vec![
            deposit("b:0", "b", 0, "USDT", 20.0),
            withdrawal("b:1", "b", 60, "USDT", 10.0),
            Transaction {
                received: leg("USDT", 10.0),
                ..tx(60, TxKind::TransferIn)
            },
            withdrawal("b:3", "b", 120, "USDT", 5.0),
            deposit("k:1", "k", 120, "USDT", 10.0),
        ];
        txs[2].id = "b:2".into();
        txs[2].account_id = "b".into();
        for t in &mut txs[1..4] {
            make_internal(t);
        }
        let p = PositionIndex::build(&txs).latest();
        let b: Vec<f64> = p.of_account("b").map(|x| x.quantity).collect();
        assert_eq!(b, vec![20.0]);
        assert!(find(&txs).is_empty());
    }

    #[test]
    fn a_user_match_is_checked_and_an_unmatch_is_remembered() {
        let mut w = withdrawal("a:1", "a", 0, "USDT", 100.0);
        let mut d = deposit("b:1", "b", 10 * 24 * H, "USDT", 75.0);
        // Ten days and 25 % apart: not found, but the user may match it.
        assert!(find(&[w.clone(), d.clone()]).is_empty());
        let m = match_by_hand(&mut w, &mut d).unwrap();
        assert_eq!(m.network_fee(), 25.0);
        assert_eq!(w.kind, TxKind::TransferOut);
        assert_eq!(
            match_by_hand(&mut w.clone(), &mut d.clone()),
            Err(TransferError::AlreadyMatched {
                id: "a:1".into(),
                counterpart: "b:1".into()
            })
        );
        let forgotten = unmatch(&mut d, &mut w).unwrap();
        assert_eq!(
            forgotten,
            Unmatched {
                out_id: "a:1".into(),
                in_id: "b:1".into()
            }
        );
        assert_eq!((w.kind, d.kind), (TxKind::Withdrawal, TxKind::Deposit));
        assert_eq!((w.counterpart.clone(), d.counterpart.clone()), (None, None));

        // Automatic matching respects the unmatch.
        let mut near = deposit("b:1", "b", 60, "USDT", 100.0);
        let txs = [w.clone(), near.clone()];
        assert_eq!(find(&txs).len(), 1);
        let remembered = BTreeSet::from([forgotten]);
        assert!(find_transfers(&txs, &TransferRule::default(), &remembered).is_empty());

        // Refusals.
        let mut same = deposit("a:9", "a", 60, "USDT", 100.0);
        assert_eq!(
            match_by_hand(&mut w.clone(), &mut same),
            Err(TransferError::SameAccount {
                account: "a".into()
            })
        );
        near.received = leg("USDC", 100.0);
        assert!(matches!(
            match_by_hand(&mut w.clone(), &mut near),
            Err(TransferError::DifferentAssets { .. })
        ));
        let mut more = deposit("b:2", "b", 60, "USDT", 101.0);
        assert!(matches!(
            match_by_hand(&mut w.clone(), &mut more),
            Err(TransferError::ReceivedMore { .. })
        ));
        let mut not_out = deposit("c:1", "c", 0, "USDT", 100.0);
        assert!(matches!(
            match_by_hand(&mut not_out, &mut more),
            Err(TransferError::NotOutgoing { .. })
        ));
        assert!(matches!(
            unmatch(&mut w.clone(), &mut more),
            Err(TransferError::NotAPair { .. })
        ));
    }
}

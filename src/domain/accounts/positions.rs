//! Positions at any date, from the ledgers.
//!
//! # Formula
//! The position of an asset in an account at instant `t` is the sum of the changes
//! ([`Transaction::changes`]: received +, given −, fee −; an internal move's legs count
//! nothing) of the account's transactions with `at ≤ t`. A position "at the end of" a
//! date includes every transaction of that UTC day.
//!
//! # Conventions
//! - Sums are exact: each change is converted once to whole units of 10⁻ᵏ of its asset
//!   (k = 18 unless the asset's largest quantity times its number of changes would leave
//!   i128's range, then less) and added as integers. The order of the rows therefore never
//!   changes a balance, and a balance that should be zero (ten buys of 0.1, one sale of 1)
//!   is exactly zero, not 10⁻¹⁷.
//! - Assets are told apart by ticker and asset class, as the legs give them.
//! - Positions that sum to zero are left out; negative positions are kept and listed by
//!   [`Positions::negative`] (a ledger that starts after the account did, a missing
//!   deposit or a fee booked twice: shown, never hidden).
//! - Changes whose quantity is not finite (a transaction [`super::dedup::check`] refuses)
//!   count as zero and are counted in [`PositionIndex::non_finite`].
//!
//! # Cost
//! [`PositionIndex::build`] sorts the changes by time (O(n log n)) and keeps a snapshot of
//! every balance after each block of changes; [`PositionIndex::at`] then adds at most one
//! block to a snapshot, whatever the date.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::calendar::{days_after, Timestamp};
use crate::domain::holding::{AssetClass, FnvBuildHasher};
use crate::domain::ledger::Transaction;

/// One asset held in one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// The account.
    pub account_id: String,
    /// The asset's ticker.
    pub asset: String,
    /// Its class.
    pub class: AssetClass,
    /// Units held (negative when the ledger gave away more than it received).
    pub quantity: f64,
}

/// One asset summed over accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// The asset's ticker.
    pub asset: String,
    /// Its class.
    pub class: AssetClass,
    /// Units held across the accounts.
    pub quantity: f64,
    /// How many accounts hold a non-zero position of it.
    pub accounts: usize,
}

/// Every non-zero position at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Positions {
    /// The instant (transactions at or before it are counted).
    pub as_of: Timestamp,
    /// Sorted by account, then asset, then class.
    pub rows: Vec<Position>,
    /// Each asset summed over the accounts (exactly, as the positions are), sorted by
    /// asset then class; an asset whose accounts cancel out is kept with 0.
    pub totals: Vec<Total>,
}

impl Positions {
    /// The positions of one account.
    pub fn of_account<'a>(&'a self, account_id: &'a str) -> impl Iterator<Item = &'a Position> {
        self.rows.iter().filter(move |p| p.account_id == account_id)
    }

    /// Positions below zero.
    pub fn negative(&self) -> impl Iterator<Item = &Position> {
        self.rows.iter().filter(|p| p.quantity < 0.0)
    }
}

/// The ledgers' changes sorted by time, ready to give positions at any instant.
#[derive(Debug, Clone)]
pub struct PositionIndex {
    accounts: Vec<String>,
    assets: Vec<(String, AssetClass)>,
    /// Slot → (account, asset).
    slots: Vec<(u32, u32)>,
    /// 10^k per asset: units per unit of quantity.
    scales: Vec<f64>,
    times: Vec<i64>,
    changed: Vec<u32>,
    deltas: Vec<i128>,
    /// Balances per slot after `(i + 1) * block` changes.
    snapshots: Vec<Vec<i128>>,
    block: usize,
    non_finite: usize,
}

/// The fewest changes between two snapshots.
const MIN_BLOCK: usize = 4096;

impl PositionIndex {
    /// Indexes the changes of `txs` (one account's ledger, or every account's).
    pub fn build<'a>(txs: impl IntoIterator<Item = &'a Transaction>) -> PositionIndex {
        let mut accounts = Vec::new();
        let mut account_ix: HashMap<&'a str, u32, FnvBuildHasher> = HashMap::default();
        let mut assets = Vec::new();
        let mut asset_ix: HashMap<(&'a str, AssetClass), u32, FnvBuildHasher> = HashMap::default();
        let mut slots: Vec<(u32, u32)> = Vec::new();
        let mut slot_ix: HashMap<(u32, u32), u32, FnvBuildHasher> = HashMap::default();
        let mut raw: Vec<(i64, u32, f64)> = Vec::new();
        let mut non_finite = 0;
        for tx in txs {
            let account = *account_ix.entry(tx.account_id.as_str()).or_insert_with(|| {
                accounts.push(tx.account_id.clone());
                (accounts.len() - 1) as u32
            });
            for (leg, q) in tx.changes() {
                let asset = *asset_ix
                    .entry((leg.asset.as_str(), leg.class))
                    .or_insert_with(|| {
                        assets.push((leg.asset.clone(), leg.class));
                        (assets.len() - 1) as u32
                    });
                let slot = *slot_ix.entry((account, asset)).or_insert_with(|| {
                    slots.push((account, asset));
                    (slots.len() - 1) as u32
                });
                let q = if q.is_finite() {
                    q
                } else {
                    non_finite += 1;
                    0.0
                };
                raw.push((tx.at.millis(), slot, q));
            }
        }
        raw.sort_unstable_by_key(|&(t, slot, _)| (t, slot));

        // Units per asset: the largest |quantity| times the number of changes stays below
        // 10³⁷ units (i128 holds 1.7·10³⁸).
        let mut largest = vec![0.0f64; assets.len()];
        let mut count = vec![0u64; assets.len()];
        for &(_, slot, q) in &raw {
            let a = slots[slot as usize].1 as usize;
            largest[a] = largest[a].max(q.abs());
            count[a] += 1;
        }
        let scales: Vec<f64> = largest
            .iter()
            .zip(&count)
            .map(|(&m, &n)| {
                let bound = m * n as f64;
                let mut k = 18i32;
                while k > -300 && bound * 10f64.powi(k) > 1e37 {
                    k -= 1;
                }
                10f64.powi(k)
            })
            .collect();

        let block = MIN_BLOCK.max(4 * slots.len());
        let mut times = Vec::with_capacity(raw.len());
        let mut changed = Vec::with_capacity(raw.len());
        let mut deltas = Vec::with_capacity(raw.len());
        let mut balances = vec![0i128; slots.len()];
        let mut snapshots = Vec::new();
        for (i, &(t, slot, q)) in raw.iter().enumerate() {
            let a = slots[slot as usize].1 as usize;
            let units = (q * scales[a]).round() as i128;
            times.push(t);
            changed.push(slot);
            deltas.push(units);
            balances[slot as usize] += units;
            if (i + 1) % block == 0 {
                snapshots.push(balances.clone());
            }
        }
        PositionIndex {
            accounts,
            assets,
            slots,
            scales,
            times,
            changed,
            deltas,
            snapshots,
            block,
            non_finite,
        }
    }

    /// Number of changes indexed.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether no change is indexed.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Changes whose quantity was not a finite number (counted as zero).
    pub fn non_finite(&self) -> usize {
        self.non_finite
    }

    /// The time of the first and the last change.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        Some((
            Timestamp::from_millis(*self.times.first()?),
            Timestamp::from_millis(*self.times.last()?),
        ))
    }

    /// Every non-zero position at instant `t` (transactions at `t` included).
    pub fn at(&self, t: Timestamp) -> Positions {
        let k = self.times.partition_point(|&x| x <= t.millis());
        let done = k / self.block;
        let mut balances = match done {
            0 => vec![0i128; self.slots.len()],
            n => self.snapshots[n - 1].clone(),
        };
        for i in done * self.block..k {
            balances[self.changed[i] as usize] += self.deltas[i];
        }
        let mut sums = vec![(0i128, 0usize); self.assets.len()];
        let mut rows: Vec<Position> = Vec::new();
        for (slot, &u) in balances.iter().enumerate().filter(|(_, &u)| u != 0) {
            let (account, asset) = self.slots[slot];
            let (name, class) = &self.assets[asset as usize];
            let sum = &mut sums[asset as usize];
            sum.0 += u;
            sum.1 += 1;
            rows.push(Position {
                account_id: self.accounts[account as usize].clone(),
                asset: name.clone(),
                class: *class,
                quantity: u as f64 / self.scales[asset as usize],
            });
        }
        rows.sort_by(|a, b| {
            (&a.account_id, &a.asset, a.class).cmp(&(&b.account_id, &b.asset, b.class))
        });
        let mut totals: Vec<Total> = sums
            .iter()
            .enumerate()
            .filter(|(_, &(_, n))| n > 0)
            .map(|(asset, &(u, accounts))| Total {
                asset: self.assets[asset].0.clone(),
                class: self.assets[asset].1,
                quantity: u as f64 / self.scales[asset],
                accounts,
            })
            .collect();
        totals.sort_by(|a, b| (&a.asset, a.class).cmp(&(&b.asset, b.class)));
        Positions {
            as_of: t,
            rows,
            totals,
        }
    }

    /// Every non-zero position at the end of `date` (UTC): every transaction of that day.
    pub fn at_end_of(&self, date: NaiveDate) -> Positions {
        self.at(Timestamp::start_of(days_after(date, 1)).plus_millis(-1))
    }

    /// Every non-zero position after the last transaction.
    pub fn latest(&self) -> Positions {
        self.at(Timestamp::from_millis(i64::MAX))
    }
}

/// The positions of `txs` at `t`: [`PositionIndex::build`] then [`PositionIndex::at`] (build
/// the index once to ask several dates).
pub fn positions_at<'a>(txs: impl IntoIterator<Item = &'a Transaction>, t: Timestamp) -> Positions {
    PositionIndex::build(txs).at(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::tests::{deposit, leg, tx};
    use crate::domain::ledger::TxKind;

    fn at_s(t: Transaction, account: &str) -> Transaction {
        Transaction {
            account_id: account.into(),
            ..t
        }
    }

    fn q(p: &Positions, account: &str, asset: &str) -> Option<f64> {
        p.of_account(account)
            .find(|x| x.asset == asset)
            .map(|x| x.quantity)
    }

    #[test]
    fn positions_at_a_date_count_what_happened_until_then() {
        // Day 0: deposit 1,000 EUR. Day 1: buy 0.02 BTC for 600 EUR, fee 1.5 EUR. Day 2:
        // withdraw 0.005 BTC with a 0.0001 BTC fee. Day 3: internal move of 0.01 BTC.
        let day = 86_400;
        let ledger = vec![
            at_s(deposit(0, "EUR", 1_000.0), "a"),
            at_s(
                Transaction {
                    received: leg("BTC", 0.02),
                    given: leg("EUR", 600.0),
                    fee: leg("EUR", 1.5),
                    ..tx(day, TxKind::Trade)
                },
                "a",
            ),
            at_s(
                Transaction {
                    given: leg("BTC", 0.005),
                    fee: leg("BTC", 0.0001),
                    ..tx(2 * day, TxKind::Withdrawal)
                },
                "a",
            ),
            at_s(
                Transaction {
                    given: leg("BTC", 0.01),
                    ..tx(3 * day, TxKind::Internal)
                },
                "a",
            ),
        ];
        let index = PositionIndex::build(&ledger);
        let d = |n| NaiveDate::from_ymd_opt(1970, 1, n).unwrap();
        let p0 = index.at_end_of(d(1));
        assert_eq!(q(&p0, "a", "EUR"), Some(1_000.0));
        assert_eq!(q(&p0, "a", "BTC"), None);
        let p1 = index.at_end_of(d(2));
        assert_eq!(q(&p1, "a", "EUR"), Some(398.5), "1000 − 600 − 1.5");
        assert_eq!(q(&p1, "a", "BTC"), Some(0.02));
        let p3 = index.at_end_of(d(4));
        assert_eq!(q(&p3, "a", "BTC"), Some(0.0149), "0.02 − 0.005 − 0.0001");
        assert_eq!(
            index.latest(),
            p3.clone().with_as_of(Timestamp::from_millis(i64::MAX))
        );
        assert_eq!(
            index.at(Timestamp::from_millis(day * 1000 - 1)).rows.len(),
            1,
            "an instant before the trade"
        );
        assert_eq!(index.at(Timestamp::from_millis(day * 1000)).rows.len(), 2);
    }

    impl Positions {
        fn with_as_of(self, as_of: Timestamp) -> Positions {
            Positions { as_of, ..self }
        }
    }

    #[test]
    fn sums_are_exact_so_a_closed_position_is_zero() {
        // Ten buys of 0.1 BTC and one withdrawal of 1 BTC: in f64, 0.1 added ten times is
        // 0.9999999999999999 and the position would be −1.1e-16.
        let mut ledger: Vec<Transaction> = (0..10).map(|i| deposit(i, "BTC", 0.1)).collect();
        ledger.push(Transaction {
            given: leg("BTC", 1.0),
            ..tx(100, TxKind::Withdrawal)
        });
        assert_ne!((0..10).map(|_| 0.1).sum::<f64>(), 1.0);
        assert!(positions_at(&ledger, Timestamp::from_millis(i64::MAX))
            .rows
            .is_empty());
    }

    #[test]
    fn negative_balances_are_reported() {
        let ledger = vec![
            at_s(deposit(0, "ETH", 1.0), "a"),
            at_s(
                Transaction {
                    given: leg("ETH", 1.5),
                    ..tx(1, TxKind::Withdrawal)
                },
                "a",
            ),
            at_s(deposit(0, "ETH", 2.0), "b"),
        ];
        let p = PositionIndex::build(&ledger).latest();
        let neg: Vec<_> = p
            .negative()
            .map(|x| (x.account_id.as_str(), x.quantity))
            .collect();
        assert_eq!(neg, vec![("a", -0.5)]);
        let totals = &p.totals;
        assert_eq!(totals.len(), 1);
        assert_eq!((totals[0].quantity, totals[0].accounts), (1.5, 2));
    }

    #[test]
    fn huge_quantities_keep_their_magnitude() {
        // 10^24 units of a token (airdropped scam tokens hold such numbers) would leave
        // i128's range at 10⁻¹⁸ units; its scale is lowered instead.
        let ledger = vec![deposit(0, "SCAM", 1e24), deposit(1, "SCAM", 1e24)];
        let p = positions_at(&ledger, Timestamp::from_millis(10_000));
        assert_eq!(p.rows[0].quantity, 2e24);
    }

    #[test]
    fn any_date_reads_across_snapshots() {
        // 10,000 deposits of 1 unit, one per second: at second s the position is s + 1.
        let ledger: Vec<Transaction> = (0..10_000).map(|i| deposit(i, "X", 1.0)).collect();
        let index = PositionIndex::build(&ledger);
        for s in [0, 4095, 4096, 8191, 8192, 9_999] {
            let p = index.at(Timestamp::from_millis(s * 1000));
            assert_eq!(p.rows[0].quantity, (s + 1) as f64, "second {s}");
        }
        assert!(index.at(Timestamp::from_millis(-1)).rows.is_empty());
    }
}

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
//! [`PositionIndex::build`] (or [`PositionIndexBuilder`], fed one decoded chunk at a time)
//! sorts the changes by time (O(n log n)) and keeps a snapshot of every balance after each
//! block of changes; [`PositionIndex::at`] then adds at most one block to a snapshot,
//! whatever the date. The index holds about 28 bytes per change (a transaction has one to
//! three). `benches/ledger.rs` times 100,000 transactions across 500 assets.

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
    /// Slots sorted by account name, asset, class: the order positions are listed in.
    slot_order: Vec<u32>,
    /// Assets sorted by name and class: the order totals are listed in.
    asset_order: Vec<u32>,
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

/// No slot yet.
const NONE: u32 = u32::MAX;

/// Collects the changes of transactions one at a time, so that a ledger read chunk by
/// chunk never has to be held whole; [`PositionIndexBuilder::finish`] makes the index.
#[derive(Debug, Default)]
pub struct PositionIndexBuilder {
    accounts: Vec<String>,
    account_ix: HashMap<String, u32, FnvBuildHasher>,
    last_account: Option<u32>,
    assets: Vec<(String, AssetClass)>,
    /// Asset → its index per class (`NONE` when absent).
    asset_ix: HashMap<String, [u32; 5], FnvBuildHasher>,
    slots: Vec<(u32, u32)>,
    /// Per account, asset → slot (`NONE` when absent).
    account_slots: Vec<Vec<u32>>,
    raw: Vec<(i64, u32, f64)>,
    non_finite: usize,
}

fn class_index(class: AssetClass) -> usize {
    match class {
        AssetClass::Crypto => 0,
        AssetClass::Stock => 1,
        AssetClass::Etf => 2,
        AssetClass::Cash => 3,
        AssetClass::Other => 4,
    }
}

/// `x` rounded to a whole number of units; through i64 when it fits (one instruction in
/// wasm, where a float-to-i128 conversion is a library call).
fn to_units(x: f64) -> i128 {
    let r = x.round();
    if r.abs() < 9.0e18 {
        r as i64 as i128
    } else {
        r as i128
    }
}

impl PositionIndexBuilder {
    /// Adds a transaction's changes.
    pub fn add(&mut self, tx: &Transaction) {
        let account = match self.last_account {
            Some(a) if self.accounts[a as usize] == tx.account_id => a,
            _ => {
                let a = match self.account_ix.get(tx.account_id.as_str()) {
                    Some(&a) => a,
                    None => {
                        let a = self.accounts.len() as u32;
                        self.accounts.push(tx.account_id.clone());
                        self.account_ix.insert(tx.account_id.clone(), a);
                        self.account_slots.push(Vec::new());
                        a
                    }
                };
                self.last_account = Some(a);
                a
            }
        };
        for (leg, q) in tx.changes() {
            let c = class_index(leg.class);
            let per_class = match self.asset_ix.get_mut(leg.asset.as_str()) {
                Some(p) => p,
                None => self.asset_ix.entry(leg.asset.clone()).or_insert([NONE; 5]),
            };
            if per_class[c] == NONE {
                per_class[c] = self.assets.len() as u32;
                self.assets.push((leg.asset.clone(), leg.class));
            }
            let asset = per_class[c];
            let of_account = &mut self.account_slots[account as usize];
            if of_account.len() <= asset as usize {
                of_account.resize(asset as usize + 1, NONE);
            }
            if of_account[asset as usize] == NONE {
                of_account[asset as usize] = self.slots.len() as u32;
                self.slots.push((account, asset));
            }
            let slot = of_account[asset as usize];
            let q = if q.is_finite() {
                q
            } else {
                self.non_finite += 1;
                0.0
            };
            self.raw.push((tx.at.millis(), slot, q));
        }
    }

    /// Sorts the changes by time and makes the index.
    pub fn finish(self) -> PositionIndex {
        let PositionIndexBuilder {
            accounts,
            assets,
            slots,
            mut raw,
            non_finite,
            ..
        } = self;
        // By time only: sums are exact, so the order within one instant changes nothing.
        raw.sort_unstable_by_key(|&(t, _, _)| t);

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
            let units = to_units(q * scales[a]);
            times.push(t);
            changed.push(slot);
            deltas.push(units);
            balances[slot as usize] += units;
            if (i + 1) % block == 0 {
                snapshots.push(balances.clone());
            }
        }
        let mut asset_order: Vec<u32> = (0..assets.len() as u32).collect();
        asset_order.sort_by(|&a, &b| {
            let (x, y) = (&assets[a as usize], &assets[b as usize]);
            (&x.0, x.1).cmp(&(&y.0, y.1))
        });
        let mut slot_order: Vec<u32> = (0..slots.len() as u32).collect();
        slot_order.sort_by(|&a, &b| {
            let ((xa, xs), (ya, ys)) = (slots[a as usize], slots[b as usize]);
            let (x, y) = (&assets[xs as usize], &assets[ys as usize]);
            (&accounts[xa as usize], &x.0, x.1).cmp(&(&accounts[ya as usize], &y.0, y.1))
        });
        PositionIndex {
            accounts,
            assets,
            slots,
            slot_order,
            asset_order,
            scales,
            times,
            changed,
            deltas,
            snapshots,
            block,
            non_finite,
        }
    }
}

impl PositionIndex {
    /// Indexes the changes of `txs` (one account's ledger, or every account's).
    pub fn build<'a>(txs: impl IntoIterator<Item = &'a Transaction>) -> PositionIndex {
        let mut builder = PositionIndexBuilder::default();
        for tx in txs {
            builder.add(tx);
        }
        builder.finish()
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
        for &slot in &self.slot_order {
            let u = balances[slot as usize];
            if u == 0 {
                continue;
            }
            let (account, asset) = self.slots[slot as usize];
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
        let totals = self
            .asset_order
            .iter()
            .map(|&a| (a as usize, sums[a as usize]))
            .filter(|&(_, (_, accounts))| accounts > 0)
            .map(|(a, (u, accounts))| Total {
                asset: self.assets[a].0.clone(),
                class: self.assets[a].1,
                quantity: u as f64 / self.scales[a],
                accounts,
            })
            .collect();
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
    fn a_ledger_read_chunk_by_chunk_gives_the_same_index() {
        // Accounts b, a, b; assets listed by account name then asset whatever the order
        // they came in.
        let ledger = vec![
            at_s(deposit(5, "SOL", 2.0), "b"),
            at_s(deposit(1, "BTC", 1.0), "a"),
            at_s(deposit(3, "ADA", 7.0), "b"),
        ];
        let mut builder = PositionIndexBuilder::default();
        for chunk in ledger.chunks(2) {
            let decoded: Vec<Transaction> = chunk.to_vec();
            for t in &decoded {
                builder.add(t);
            }
        }
        let streamed = builder.finish().latest();
        assert_eq!(streamed, PositionIndex::build(&ledger).latest());
        let order: Vec<(&str, &str)> = streamed
            .rows
            .iter()
            .map(|p| (p.account_id.as_str(), p.asset.as_str()))
            .collect();
        assert_eq!(order, vec![("a", "BTC"), ("b", "ADA"), ("b", "SOL")]);
        let totals: Vec<&str> = streamed.totals.iter().map(|t| t.asset.as_str()).collect();
        assert_eq!(totals, vec!["ADA", "BTC", "SOL"]);
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

//! Lots, disposals, and the order a method takes lots in.
//!
//! A lot is a quantity of an asset acquired at one instant for a cost in the base currency.
//! A disposal takes quantity from the lots of its pool in the order of the chosen
//! [`LotMethod`]; each lot it touches gives one [`Disposal`] row (a piece), so every row has
//! one acquisition date.
//!
//! Pools ([`Pooling`]): one per asset across every account (the default; the UK's share
//! pools and France's weighted average pool all of a person's holdings of an asset), or
//! one per account and asset (US rules since 2025, "per wallet"). The ledger walk that
//! fills the pools is in `book`.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::ledger::IncomeKind;

/// Which lots a disposal takes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LotMethod {
    /// First in, first out: the earliest acquired lot first.
    Fifo,
    /// Last in, first out: the latest acquired lot first.
    Lifo,
    /// Highest in, first out: the lot with the highest cost per unit first (ties: the
    /// earliest acquired); lots whose cost is unknown are taken last.
    Hifo,
    /// Moving average cost: every unit of a pool costs the pool's total cost divided by its
    /// quantity at the moment of the disposal (France's PMP, the UK's section 104 pool,
    /// Canada's ACB). Acquisition dates, which an average has none of, are taken from the
    /// lots in FIFO order, so the holding period of a piece is that of the oldest units.
    AverageCost,
}

impl LotMethod {
    /// Every method, in display order.
    pub const ALL: [LotMethod; 4] = [
        LotMethod::Fifo,
        LotMethod::Lifo,
        LotMethod::Hifo,
        LotMethod::AverageCost,
    ];

    /// Short label (`FIFO`, `LIFO`, `HIFO`, `Average cost`).
    pub fn label(self) -> &'static str {
        match self {
            LotMethod::Fifo => "FIFO",
            LotMethod::Lifo => "LIFO",
            LotMethod::Hifo => "HIFO",
            LotMethod::AverageCost => "Average cost",
        }
    }
}

/// How lots are pooled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pooling {
    /// One pool per asset across all accounts: a disposal in any account takes from the
    /// asset's lots wherever they were bought; a transfer between own accounts changes no
    /// lot. Per-account figures share the pool's cost out by quantity held.
    PerAsset,
    /// One pool per account and asset: a disposal takes only from its account's lots; a
    /// transfer moves lots (their dates and cost) from one account's pool to the other's.
    PerAccount,
}

impl Pooling {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            Pooling::PerAsset => "pooled per asset",
            Pooling::PerAccount => "per account",
        }
    }
}

/// An asset of a [`crate::domain::performance::Book`] (an index into its `assets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AssetId(pub u32);

/// An account of a [`crate::domain::performance::Book`] (an index into its `accounts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountId(pub u32);

/// How a lot came to be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LotOrigin {
    /// Bought with cash.
    Purchase,
    /// Received in a trade for another non-cash asset (or one currency for another).
    Convert,
    /// Received as income, at its market value on the day.
    Income(IncomeKind),
    /// Brought in from outside the profile, at its market value on the day (its real
    /// acquisition date and cost are not in the ledger).
    Deposit,
    /// A transfer between own accounts that arrived with more than left (kept as a deposit).
    TransferSurplus,
    /// Moved between own accounts without lots to move (missing history): cost unknown.
    MissingHistory,
}

/// What a disposal was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DisposalKind {
    /// Sold for cash.
    Sale,
    /// Traded for another non-cash asset (or a currency for another currency).
    Convert,
    /// A foreign currency paid for a purchase.
    Payment,
    /// Paid as a fee (also a disposal: the asset left at its market value).
    FeePayment,
    /// Spent, given away, lost or stolen.
    Spend,
    /// Taken out of the profile (withdrawn, or sent to an account the ledger does not
    /// know). Not a sale: a performance figure, left out of the tax report by default.
    Withdrawal,
}

impl DisposalKind {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            DisposalKind::Sale => "sale",
            DisposalKind::Convert => "convert",
            DisposalKind::Payment => "payment",
            DisposalKind::FeePayment => "fee",
            DisposalKind::Spend => "spend",
            DisposalKind::Withdrawal => "withdrawal",
        }
    }
}

/// An open lot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lot {
    /// The asset.
    pub asset: AssetId,
    /// The account holding it (per-account pools), or where it was acquired (pooled).
    pub account: AccountId,
    /// When it was acquired (for a lot moved between own accounts: its original date).
    pub acquired: Timestamp,
    /// Units still held.
    pub quantity: f64,
    /// Cost of those units in the base currency; `None` when a value was missing (a
    /// [`crate::domain::performance::Gap`]) or the history is.
    pub cost: Option<f64>,
    /// How it came to be held.
    pub origin: LotOrigin,
    /// Index of the acquiring transaction in the slice given to `build_book`.
    pub tx: usize,
}

impl Lot {
    /// Cost per unit.
    pub fn unit_cost(&self) -> Option<f64> {
        self.cost
            .filter(|_| self.quantity > 0.0)
            .map(|c| c / self.quantity)
    }
}

/// One piece of a disposal: units taken from one lot (or from none, when the history is
/// missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disposal {
    /// The asset.
    pub asset: AssetId,
    /// The account it left.
    pub account: AccountId,
    /// Index of the disposing transaction in the slice given to `build_book`.
    pub tx: usize,
    /// What it was.
    pub kind: DisposalKind,
    /// When it left.
    pub disposed: Timestamp,
    /// When the lot was acquired; `None` for units the ledger never showed arriving.
    pub acquired: Option<Timestamp>,
    /// Index of the acquiring transaction, when known.
    pub acquired_tx: Option<usize>,
    /// Units.
    pub quantity: f64,
    /// Proceeds in the base currency (the disposal's share by quantity); `None` when a
    /// value was missing.
    pub proceeds: Option<f64>,
    /// Cost in the base currency; `None` when unknown (missing history or value).
    pub cost: Option<f64>,
    /// The units were disposed of before the ledger shows them acquired; a later
    /// acquisition in the same pool covered them (its date and cost are used).
    pub covered_later: bool,
}

impl Disposal {
    /// Proceeds minus cost, when both are known.
    pub fn gain(&self) -> Option<f64> {
        Some(self.proceeds? - self.cost?)
    }
}

/// Relative tolerance below which a quantity left over is rounding, not holdings.
pub(crate) const REL: f64 = 1e-9;

/// A piece taken from a lot.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub acquired: Timestamp,
    pub quantity: f64,
    pub cost: Option<f64>,
    pub origin: LotOrigin,
    pub tx: usize,
}

type Key = (i64, i64, u64);

/// A total order on floats as integers (for HIFO keys).
fn ordered(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// The lots of one pool, ordered for the method.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pool {
    lots: BTreeMap<Key, Lot>,
    /// Σ quantity of the lots.
    quantity: f64,
    /// Σ cost of the lots (the average-cost pool's total); `None` once a cost is unknown,
    /// until the pool is emptied.
    cost: Option<f64>,
    /// Disposals not covered by lots, oldest first: (row in the disposals, units).
    shorts: VecDeque<(usize, f64)>,
}

impl Pool {
    fn key(method: LotMethod, lot: &Lot, seq: u64) -> Key {
        let at = lot.acquired.millis();
        match method {
            LotMethod::Fifo | LotMethod::Lifo | LotMethod::AverageCost => (at, 0, seq),
            LotMethod::Hifo => (
                lot.unit_cost().map_or(i64::MIN, ordered),
                at.saturating_neg(),
                u64::MAX - seq,
            ),
        }
    }

    /// Units held.
    #[cfg(test)]
    pub fn quantity(&self) -> f64 {
        self.quantity
    }

    /// Adds a lot; it first covers disposals that found no lots (oldest first).
    pub fn add(
        &mut self,
        method: LotMethod,
        mut lot: Lot,
        seq: u64,
        disposals: &mut Vec<Disposal>,
    ) {
        let original = lot.quantity;
        while let Some(&(row, short)) = self.shorts.front() {
            if lot.quantity <= 0.0 {
                break;
            }
            let take = short.min(lot.quantity);
            let share = |v: Option<f64>, part: f64, whole: f64| v.map(|v| v * part / whole);
            let cost = share(lot.cost, take, lot.quantity);
            let d = &mut disposals[row];
            if take >= short * (1.0 - REL) {
                d.acquired = Some(lot.acquired);
                d.acquired_tx = Some(lot.tx);
                d.cost = cost;
                d.covered_later = true;
                self.shorts.pop_front();
            } else {
                let mut covered = d.clone();
                covered.quantity = take;
                covered.proceeds = share(d.proceeds, take, short);
                covered.cost = cost;
                covered.acquired = Some(lot.acquired);
                covered.acquired_tx = Some(lot.tx);
                covered.covered_later = true;
                d.quantity = short - take;
                d.proceeds = share(d.proceeds, short - take, short);
                if let Some(front) = self.shorts.front_mut() {
                    front.1 = short - take;
                }
                disposals.push(covered);
            }
            lot.cost = lot.cost.map(|c| c - cost.unwrap_or(0.0));
            lot.quantity -= take;
            if lot.quantity <= original * REL {
                return;
            }
        }
        if self.lots.is_empty() {
            self.quantity = 0.0;
            self.cost = Some(0.0);
        }
        self.quantity += lot.quantity;
        self.cost = match (self.cost, lot.cost) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.lots.insert(Pool::key(method, &lot, seq), lot);
    }

    /// Registers units disposed of without lots (row `row` of the disposals), for a later
    /// acquisition to cover.
    pub fn short(&mut self, row: usize, quantity: f64) {
        self.shorts.push_back((row, quantity));
    }

    /// Takes `quantity` units in the method's order into `out`; returns the units that no
    /// lot covered (0 when the pool held enough, up to rounding).
    pub fn take(&mut self, method: LotMethod, quantity: f64, out: &mut Vec<Piece>) -> f64 {
        let average = (method == LotMethod::AverageCost && self.quantity > 0.0)
            .then(|| self.cost.map(|c| c / self.quantity));
        let mut need = quantity;
        while need > quantity * REL {
            let entry = match method {
                LotMethod::Lifo | LotMethod::Hifo => self.lots.last_entry(),
                LotMethod::Fifo | LotMethod::AverageCost => self.lots.first_entry(),
            };
            let Some(mut entry) = entry else { break };
            let lot = entry.get_mut();
            let whole = lot.quantity - need <= lot.quantity * REL;
            let q = if whole { lot.quantity } else { need };
            let lot_cost = if whole {
                lot.cost
            } else {
                lot.cost.map(|c| c * q / lot.quantity)
            };
            let cost = match average {
                Some(avg) => avg.map(|a| a * q),
                None => lot_cost,
            };
            out.push(Piece {
                acquired: lot.acquired,
                quantity: q,
                cost,
                origin: lot.origin,
                tx: lot.tx,
            });
            need -= q;
            self.quantity -= q;
            self.cost = match (self.cost, cost) {
                (Some(a), Some(b)) => Some(a - b),
                _ => None,
            };
            if whole {
                entry.remove();
            } else {
                lot.quantity -= q;
                lot.cost = lot.cost.map(|c| c - lot_cost.unwrap_or(0.0));
            }
        }
        if self.lots.is_empty() {
            self.quantity = 0.0;
            self.cost = Some(0.0);
        }
        if need > quantity * REL {
            need
        } else {
            0.0
        }
    }

    /// The open lots; under average cost each is given its share of the pool's cost.
    pub fn into_lots(self, method: LotMethod) -> impl Iterator<Item = Lot> {
        let average = (method == LotMethod::AverageCost && self.quantity > 0.0)
            .then(|| self.cost.map(|c| c / self.quantity));
        self.lots.into_values().map(move |mut lot| {
            if let Some(avg) = average {
                lot.cost = avg.map(|a| a * lot.quantity);
            }
            lot
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(day: i64, quantity: f64, cost: f64) -> Lot {
        Lot {
            asset: AssetId(0),
            account: AccountId(0),
            acquired: Timestamp::from_millis(day * 86_400_000),
            quantity,
            cost: Some(cost),
            origin: LotOrigin::Purchase,
            tx: day as usize,
        }
    }

    /// Three lots: day 1, 1 unit for 10; day 2, 1 for 30; day 3, 1 for 20. Taking 1.5:
    /// FIFO 10 + 15 = 25; LIFO 20 + 15 = 35; HIFO 30 + 10 = 40; average 60/3 × 1.5 = 30.
    #[test]
    fn each_method_takes_lots_in_its_order() {
        for (method, cost, first_day) in [
            (LotMethod::Fifo, 25.0, 1),
            (LotMethod::Lifo, 35.0, 3),
            (LotMethod::Hifo, 40.0, 2),
            (LotMethod::AverageCost, 30.0, 1),
        ] {
            let mut pool = Pool::default();
            let mut rows = Vec::new();
            for (seq, l) in [lot(1, 1.0, 10.0), lot(2, 1.0, 30.0), lot(3, 1.0, 20.0)]
                .into_iter()
                .enumerate()
            {
                pool.add(method, l, seq as u64, &mut rows);
            }
            let mut out = Vec::new();
            assert_eq!(pool.take(method, 1.5, &mut out), 0.0);
            let total: f64 = out.iter().map(|p| p.cost.unwrap()).sum();
            assert!((total - cost).abs() < 1e-12, "{method:?}: {total}");
            assert_eq!(
                out[0].acquired.millis() / 86_400_000,
                first_day,
                "{method:?}"
            );
            assert!((pool.quantity() - 1.5).abs() < 1e-12);
            let left: f64 = pool
                .clone()
                .into_lots(method)
                .map(|l| l.cost.unwrap())
                .sum();
            assert!((left - (60.0 - cost)).abs() < 1e-9, "{method:?}: {left}");
        }
    }

    #[test]
    fn taking_more_than_held_returns_the_shortfall() {
        let mut pool = Pool::default();
        pool.add(LotMethod::Fifo, lot(1, 2.0, 10.0), 0, &mut Vec::new());
        let mut out = Vec::new();
        assert_eq!(pool.take(LotMethod::Fifo, 5.0, &mut out), 3.0);
        assert_eq!(out.len(), 1);
        assert_eq!(pool.quantity(), 0.0);
    }

    #[test]
    fn rounding_left_in_a_lot_is_not_a_holding() {
        let mut pool = Pool::default();
        pool.add(LotMethod::Fifo, lot(1, 0.3, 3.0), 0, &mut Vec::new());
        let mut out = Vec::new();
        // 0.1 + 0.2 is 0.30000000000000004: the whole lot goes, no shortfall is reported.
        assert_eq!(pool.take(LotMethod::Fifo, 0.1 + 0.2, &mut out), 0.0);
        assert_eq!(out[0].cost, Some(3.0));
    }

    /// A sale of 2 units found no lot (row 0, proceeds 100); a purchase of 3 units for 60
    /// a day later covers it: the row gets that date and a cost of 40, one unit stays open
    /// at 20. A purchase of 1 unit instead covers half: the row splits in two.
    #[test]
    fn a_later_acquisition_covers_an_earlier_shortfall() {
        let short = Disposal {
            asset: AssetId(0),
            account: AccountId(0),
            tx: 0,
            kind: DisposalKind::Sale,
            disposed: Timestamp::from_millis(0),
            acquired: None,
            acquired_tx: None,
            quantity: 2.0,
            proceeds: Some(100.0),
            cost: None,
            covered_later: false,
        };
        let mut rows = vec![short.clone()];
        let mut pool = Pool::default();
        pool.short(0, 2.0);
        pool.add(LotMethod::Fifo, lot(1, 3.0, 60.0), 0, &mut rows);
        assert_eq!(rows[0].cost, Some(40.0));
        assert!(rows[0].covered_later);
        assert_eq!(rows[0].gain(), Some(60.0));
        assert_eq!(pool.quantity(), 1.0);

        let mut rows = vec![short];
        let mut pool = Pool::default();
        pool.short(0, 2.0);
        pool.add(LotMethod::Fifo, lot(1, 1.0, 30.0), 0, &mut rows);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].quantity, rows[0].proceeds, rows[0].cost),
            (1.0, Some(50.0), None)
        );
        assert_eq!(
            (rows[1].quantity, rows[1].proceeds, rows[1].cost),
            (1.0, Some(50.0), Some(30.0))
        );
        assert_eq!(pool.quantity(), 0.0);
        pool.add(LotMethod::Fifo, lot(2, 1.0, 40.0), 1, &mut rows);
        assert_eq!(rows[0].cost, Some(40.0), "the rest covered by the next lot");
    }

    #[test]
    fn an_unknown_cost_makes_the_average_unknown_until_the_pool_empties() {
        let mut pool = Pool::default();
        let mut rows = Vec::new();
        let mut unknown = lot(1, 1.0, 0.0);
        unknown.cost = None;
        pool.add(LotMethod::AverageCost, unknown, 0, &mut rows);
        pool.add(LotMethod::AverageCost, lot(2, 1.0, 10.0), 1, &mut rows);
        let mut out = Vec::new();
        pool.take(LotMethod::AverageCost, 2.0, &mut out);
        assert!(out.iter().all(|p| p.cost.is_none()));
        pool.add(LotMethod::AverageCost, lot(3, 2.0, 10.0), 2, &mut rows);
        out.clear();
        pool.take(LotMethod::AverageCost, 1.0, &mut out);
        assert_eq!(out[0].cost, Some(5.0));
    }

    #[test]
    fn hifo_takes_unknown_costs_last() {
        let mut pool = Pool::default();
        let mut unknown = lot(1, 1.0, 0.0);
        unknown.cost = None;
        pool.add(LotMethod::Hifo, unknown, 0, &mut Vec::new());
        pool.add(LotMethod::Hifo, lot(2, 1.0, 5.0), 1, &mut Vec::new());
        let mut out = Vec::new();
        pool.take(LotMethod::Hifo, 1.0, &mut out);
        assert_eq!(out[0].cost, Some(5.0));
    }
}

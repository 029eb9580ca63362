//! A change of value split into net deposits and market gain, for the dashboard (whose
//! change since the previous snapshot would otherwise count a deposit as a gain).

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::performance::book::Book;

/// A change of value between two moments, split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChangeSplit {
    /// Value before.
    pub before: f64,
    /// Value after.
    pub after: f64,
    /// `after − before`.
    pub change: f64,
    /// Net contributions between the two moments (deposits minus withdrawals).
    pub net_deposits: f64,
    /// `change − net deposits`: what the markets (and income, less fees) did.
    pub market_gain: f64,
    /// Contributions in between whose value was unknown (left out of `net_deposits`).
    pub unknown: usize,
}

/// Splits a change of value: `market gain = (after − before) − net deposits`.
pub fn split_change(before: f64, after: f64, net_deposits: f64) -> ChangeSplit {
    let change = after - before;
    ChangeSplit {
        before,
        after,
        change,
        net_deposits,
        market_gain: change - net_deposits,
        unknown: 0,
    }
}

/// [`split_change`] with the net deposits the book records after `from` up to and
/// including `to` (the instants the two values were taken at).
pub fn split_change_between(
    book: &Book,
    from: (Timestamp, f64),
    to: (Timestamp, f64),
) -> ChangeSplit {
    let mut unknown = 0;
    let net: f64 = book
        .contributions
        .iter()
        .filter(|c| c.at > from.0 && c.at <= to.0)
        .filter_map(|c| {
            if c.value.is_none() {
                unknown += 1;
            }
            c.value
        })
        .sum();
    ChangeSplit {
        unknown,
        ..split_change(from.1, to.1, net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10,000 → 12,500 with a 2,000 deposit in between: 500 of market gain.
    #[test]
    fn a_deposit_is_not_a_gain() {
        let s = split_change(10_000.0, 12_500.0, 2_000.0);
        assert_eq!((s.change, s.market_gain), (2_500.0, 500.0));
    }
}

//! Income by month, in total and by kind.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::domain::ledger::IncomeKind;
use crate::domain::performance::book::Book;

/// The income of one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthIncome {
    /// The year.
    pub year: i32,
    /// The month (1–12).
    pub month: u32,
    /// Total value received, in the base currency.
    pub total: f64,
    /// Value per kind, in the order first received.
    pub by_kind: Vec<(IncomeKind, f64)>,
    /// Receipts whose value was unknown (left out of the sums).
    pub unknown: usize,
}

/// Income per calendar month (UTC), months without income left out.
pub fn income_by_month(book: &Book) -> Vec<MonthIncome> {
    let mut months: BTreeMap<(i32, u32), MonthIncome> = BTreeMap::new();
    for i in &book.income {
        let date = i.at.date();
        let m = months
            .entry((date.year(), date.month()))
            .or_insert_with(|| MonthIncome {
                year: date.year(),
                month: date.month(),
                total: 0.0,
                by_kind: Vec::new(),
                unknown: 0,
            });
        let Some(v) = i.value else {
            m.unknown += 1;
            continue;
        };
        m.total += v;
        match m.by_kind.iter_mut().find(|k| k.0 == i.kind) {
            Some(k) => k.1 += v,
            None => m.by_kind.push((i.kind, v)),
        }
    }
    months.into_values().collect()
}

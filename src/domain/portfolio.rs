//! The holdings view across sources: grouping, totals, sorting and the dust filter.
//!
//! Values stay in the currency the file gave them until live prices and FX arrive, so
//! every total is kept per currency and never summed across currencies.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
pub use crate::domain::format::{format_amount, format_quantity};
use crate::domain::holding::{Holding, SourceKind};
use crate::domain::sorting;
use crate::domain::taxonomy::{suggest_group, GroupOrigin, Taxonomy, GROUPS};

/// One line of the holdings table.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioRow {
    /// The holding.
    pub holding: Holding,
    /// Which source it comes from.
    pub source: SourceKind,
    /// Its group.
    pub group: String,
    /// How the group was decided.
    pub group_origin: GroupOrigin,
    /// A pattern-based suggestion for unknown symbols.
    pub suggestion: Option<&'static str>,
    /// When the file was imported; `None` for manual entries.
    pub as_of: Option<Timestamp>,
}

/// Holdings of one source as they enter the holdings view.
#[derive(Debug, Clone, Copy)]
pub struct SourceHoldings<'a> {
    /// The source.
    pub source: SourceKind,
    /// Its holdings (the active import's, or the manual entries).
    pub holdings: &'a [Holding],
    /// When they were imported; `None` for manual entries.
    pub as_of: Option<Timestamp>,
}

/// Builds the holdings table's rows from each source's holdings, grouped by the taxonomy
/// with the user's own group assignments (`overrides`: symbol → group).
pub fn assemble<'a>(
    sources: impl IntoIterator<Item = SourceHoldings<'a>>,
    overrides: &BTreeMap<String, String>,
) -> Vec<PortfolioRow> {
    let taxonomy = Taxonomy::with_overrides(overrides.clone());
    let mut rows = Vec::new();
    for SourceHoldings {
        source,
        holdings,
        as_of,
    } in sources
    {
        for h in holdings {
            let (group, group_origin) = taxonomy.group_of(h);
            let suggestion = (group_origin == GroupOrigin::Unknown)
                .then(|| suggest_group(h.alias.as_deref().unwrap_or(&h.symbol)))
                .flatten();
            rows.push(PortfolioRow {
                holding: h.clone(),
                source,
                group,
                group_origin,
                suggestion,
                as_of,
            });
        }
    }
    rows
}

/// Values per currency, plus how many rows had no value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrencyTotals {
    /// Currency → sum of values.
    pub by_currency: BTreeMap<Currency, f64>,
    /// Rows without a value.
    pub unvalued: usize,
}

impl CurrencyTotals {
    /// Adds one holding.
    pub fn add(&mut self, h: &Holding) {
        match h.value {
            Some(v) => *self.by_currency.entry(h.currency).or_default() += v,
            None => self.unvalued += 1,
        }
    }

    /// Totals of a set of holdings.
    pub fn of<'a>(holdings: impl IntoIterator<Item = &'a Holding>) -> CurrencyTotals {
        let mut t = CurrencyTotals::default();
        for h in holdings {
            t.add(h);
        }
        t
    }

    /// `"12,345.67 USD + 1,000.00 EUR"`, or `"—"` when nothing has a value.
    pub fn describe(&self) -> String {
        if self.by_currency.is_empty() {
            return "—".to_string();
        }
        self.by_currency
            .iter()
            .map(|(c, v)| format!("{} {c}", format_amount(*v, 2)))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Taxonomy group.
    Group,
    /// Asset class.
    AssetClass,
    /// Exchange, wallet, broker or bank.
    Location,
    /// Currency of the value.
    Currency,
    /// Source.
    Source,
}

impl Dimension {
    /// All dimensions, in display order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Group,
        Dimension::AssetClass,
        Dimension::Location,
        Dimension::Currency,
        Dimension::Source,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Group => "Group",
            Dimension::AssetClass => "Asset class",
            Dimension::Location => "Location",
            Dimension::Currency => "Currency",
            Dimension::Source => "Source",
        }
    }

    /// The key of a row in this dimension.
    pub fn key_of(self, r: &PortfolioRow) -> String {
        match self {
            Dimension::Group => r.group.clone(),
            Dimension::AssetClass => r.holding.asset_class.label().to_string(),
            Dimension::Location => r.holding.location.clone(),
            Dimension::Currency => r.holding.currency.to_string(),
            Dimension::Source => r.source.label().to_string(),
        }
    }
}

/// Items sharing a key, with their total.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// The key (group name, location…).
    pub key: String,
    /// How many items share it.
    pub count: usize,
    /// Sum of the items' values.
    pub total: f64,
    /// Items without a value.
    pub unvalued: usize,
}

/// Groups items by a dimension of their row and sums `value`. Taxonomy groups come first
/// in their canonical order; the rest by total, largest first, then by key.
pub fn group_by<T>(
    items: &[T],
    row: impl Fn(&T) -> &PortfolioRow,
    value: impl Fn(&T) -> Option<f64>,
    dim: Dimension,
) -> Vec<Bucket> {
    let mut map: BTreeMap<String, Bucket> = BTreeMap::new();
    for item in items {
        let key = dim.key_of(row(item));
        let b = map.entry(key.clone()).or_insert(Bucket {
            key,
            count: 0,
            total: 0.0,
            unvalued: 0,
        });
        b.count += 1;
        match value(item) {
            Some(v) => b.total += v,
            None => b.unvalued += 1,
        }
    }
    let mut buckets: Vec<Bucket> = map.into_values().collect();
    let rank = |k: &str| GROUPS.iter().position(|g| *g == k).unwrap_or(GROUPS.len());
    sorting::sort_by(&mut buckets, |a, b| {
        rank(&a.key)
            .cmp(&rank(&b.key))
            .then(b.total.total_cmp(&a.total))
            .then_with(|| a.key.cmp(&b.key))
    });
    buckets
}

/// Sortable columns of the holdings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Symbol.
    Symbol,
    /// Name.
    Name,
    /// Group.
    Group,
    /// Quantity.
    Quantity,
    /// Value (compared as numbers regardless of currency; rows without value last).
    Value,
    /// Currency.
    Currency,
    /// Location.
    Location,
    /// Source.
    Source,
}

/// Sorts any items that carry a row, with `value` giving the number sorted on for
/// [`SortKey::Value`] (rows without a value sort last in both directions).
pub fn sort_by<T>(
    items: &mut [T],
    row: impl Fn(&T) -> &PortfolioRow,
    value: impl Fn(&T) -> Option<f64>,
    key: SortKey,
    ascending: bool,
) {
    let text = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
    sorting::sort_by(items, |x, y| {
        let (a, b) = (row(x), row(y));
        let (ha, hb) = (&a.holding, &b.holding);
        let ord = match key {
            SortKey::Symbol => text(&ha.symbol, &hb.symbol),
            SortKey::Name => text(
                ha.name.as_deref().unwrap_or(""),
                hb.name.as_deref().unwrap_or(""),
            ),
            SortKey::Group => text(&a.group, &b.group),
            SortKey::Quantity => ha.quantity.total_cmp(&hb.quantity),
            SortKey::Value => match (value(x), value(y)) {
                (Some(p), Some(q)) => p.total_cmp(&q),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            SortKey::Currency => text(ha.currency.as_str(), hb.currency.as_str()),
            SortKey::Location => text(&ha.location, &hb.location),
            SortKey::Source => a.source.cmp(&b.source),
        };
        let ord = if ascending { ord } else { ord.reverse() };
        ord.then_with(|| text(&ha.symbol, &hb.symbol))
            .then_with(|| text(&ha.location, &hb.location))
    });
}

/// Keeps items whose `value` is at least `min_value` in absolute terms, and items without one.
pub fn retain_above<T>(
    mut items: Vec<T>,
    value: impl Fn(&T) -> Option<f64>,
    min_value: f64,
) -> Vec<T> {
    if min_value > 0.0 {
        items.retain(|x| value(x).is_none_or(|v| v.abs() >= min_value));
    }
    items
}

/// Distinct crypto symbols that no map knows, with their suggestion, sorted.
pub fn unknown_symbols(rows: &[PortfolioRow]) -> Vec<(String, Option<&'static str>)> {
    let mut out: BTreeMap<String, Option<&'static str>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.group_origin == GroupOrigin::Unknown)
    {
        out.insert(r.holding.symbol.clone(), r.suggestion);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holding::AssetClass;

    fn row(symbol: &str, value: Option<f64>, currency: &str, location: &str) -> PortfolioRow {
        let mut h = Holding::new(
            symbol,
            AssetClass::Crypto,
            1.0,
            Currency::parse(currency).unwrap(),
            location,
        );
        h.value = value;
        let (group, group_origin) = Taxonomy::default().group_of(&h);
        PortfolioRow {
            holding: h,
            source: SourceKind::Crypto,
            group,
            group_origin,
            suggestion: None,
            as_of: None,
        }
    }

    #[test]
    fn totals_stay_per_currency() {
        let rows = [
            row("BTC", Some(100.0), "USD", "A"),
            row("ETH", Some(50.0), "EUR", "B"),
            row("X", None, "USD", "C"),
        ];
        let t = CurrencyTotals::of(rows.iter().map(|r| &r.holding));
        assert_eq!(t.describe(), "50.00 EUR + 100.00 USD");
        assert_eq!(t.unvalued, 1);
    }

    #[test]
    fn groups_follow_taxonomy_order() {
        let rows = vec![
            row("DOGE", Some(1.0), "USD", "A"),
            row("ETH", Some(2.0), "USD", "A"),
            row("BTC", Some(3.0), "USD", "B"),
        ];
        let value = |r: &PortfolioRow| r.holding.value;
        let keys: Vec<String> = group_by(&rows, |r| r, value, Dimension::Group)
            .into_iter()
            .map(|b| b.key)
            .collect();
        assert_eq!(keys, ["BTC", "ETH", "Memecoins"]);
        let by_loc = group_by(&rows, |r| r, value, Dimension::Location);
        assert_eq!((by_loc[0].key.as_str(), by_loc[0].count), ("A", 2));
        assert_eq!(by_loc[0].total, 3.0);
    }

    #[test]
    fn sorts_by_value_with_unvalued_last_both_ways() {
        let mut rows = vec![
            row("A", Some(1.0), "USD", "x"),
            row("B", None, "USD", "x"),
            row("C", Some(3.0), "USD", "x"),
        ];
        sort_by(&mut rows, |r| r, |r| r.holding.value, SortKey::Value, false);
        assert_eq!(
            rows.iter()
                .map(|r| r.holding.symbol.as_str())
                .collect::<String>(),
            "CAB"
        );
        sort_by(&mut rows, |r| r, |r| r.holding.value, SortKey::Value, true);
        assert_eq!(
            rows.iter()
                .map(|r| r.holding.symbol.as_str())
                .collect::<String>(),
            "ACB"
        );
    }

    #[test]
    fn dust_filter_keeps_unvalued_rows() {
        let rows = vec![
            row("A", Some(0.5), "USD", "x"),
            row("B", None, "USD", "x"),
            row("C", Some(-30.0), "USD", "x"),
        ];
        let kept: Vec<String> = retain_above(rows, |r| r.holding.value, 1.0)
            .into_iter()
            .map(|r| r.holding.symbol)
            .collect();
        assert_eq!(kept, ["B", "C"]);
    }

    #[test]
    fn unknown_symbols_are_listed_once() {
        let rows = vec![
            row("ZZZ", None, "USD", "a"),
            row("ZZZ", None, "USD", "b"),
            row("BTC", None, "USD", "a"),
        ];
        assert_eq!(unknown_symbols(&rows), vec![("ZZZ".to_string(), None)]);
    }
}

//! Dashboard data, prepared here and drawn by the UI: portfolio snapshots, allocation
//! slices, change since the previous snapshot and over 24 hours, top movers, and the
//! value-over-time series.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::{class_keyed, AssetClass};
use crate::domain::portfolio::{Dimension, PortfolioRow};
use crate::domain::price_key::PriceKey;
use crate::domain::prices::fx::{is_fiat, FxSeries};
use crate::domain::prices::history::DailySeries;
use crate::domain::taxonomy::GROUPS;
use crate::domain::valuation::Valuation;

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotReason {
    /// After an import.
    Import,
    /// The user asked for it.
    OnDemand,
    /// The first time the app was open on a day.
    Daily,
}

/// One holding as it was valued in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotHolding {
    /// Symbol.
    pub symbol: String,
    /// Location.
    pub location: String,
    /// Quantity.
    pub quantity: f64,
    /// Value in the snapshot's base currency.
    pub value: Option<f64>,
    /// Unit price in the base currency.
    pub price: Option<f64>,
    /// Where the price came from.
    pub origin: String,
}

/// The portfolio at one moment: holdings, prices, values, base currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Identifier.
    pub id: String,
    /// Owning profile.
    pub profile_id: String,
    /// When it was taken.
    #[serde(rename = "at_ms")]
    pub at: Timestamp,
    /// Why.
    pub reason: SnapshotReason,
    /// Base currency of every value in it.
    pub base: Currency,
    /// Total value.
    pub total: f64,
    /// Value per group.
    pub by_group: BTreeMap<String, f64>,
    /// Value per asset class.
    /// Snapshots written before classes were stored by name keep their display labels
    /// (`Stocks`, `ETFs`) as keys; both forms read back as classes.
    #[serde(deserialize_with = "class_keyed")]
    pub by_class: BTreeMap<AssetClass, f64>,
    /// Every holding.
    pub holdings: Vec<SnapshotHolding>,
}

/// Takes a snapshot of a valuation.
pub fn snapshot(
    id: String,
    profile_id: &str,
    reason: SnapshotReason,
    valuation: &Valuation,
    now: Timestamp,
) -> Snapshot {
    let mut by_group = BTreeMap::new();
    let mut by_class = BTreeMap::new();
    let mut holdings = Vec::with_capacity(valuation.rows.len());
    for v in &valuation.rows {
        let r = &v.row;
        if let Some(value) = v.value {
            *by_group.entry(r.group.clone()).or_insert(0.0) += value;
            *by_class.entry(r.holding.asset_class).or_insert(0.0) += value;
        }
        holdings.push(SnapshotHolding {
            symbol: r.holding.symbol.clone(),
            location: r.holding.location.clone(),
            quantity: r.holding.quantity,
            value: v.value,
            price: v.price,
            origin: v.origin.as_ref().map_or("none".to_string(), |o| o.label()),
        });
    }
    Snapshot {
        id,
        profile_id: profile_id.to_string(),
        at: now,
        reason,
        base: valuation.base,
        total: valuation.total,
        by_group,
        by_class,
        holdings,
    }
}

/// True when no snapshot was taken yet on the (UTC) day of `now`.
pub fn daily_due(last: Option<Timestamp>, now: Timestamp) -> bool {
    last.is_none_or(|t| t.date() != now.date())
}

/// A change in value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// In the base currency.
    pub abs: f64,
    /// In percent of the earlier value; `None` when that was zero.
    pub pct: Option<f64>,
}

/// The change from `before` to `after`.
pub fn change(before: f64, after: f64) -> Change {
    Change {
        abs: after - before,
        pct: (before.abs() > 1e-9).then(|| (after - before) / before.abs() * 100.0),
    }
}

/// The change over 24 hours implied by the live quotes' 24 h changes: for each valued row
/// with a change c %, its value 24 h ago was v / (1 + c/100). Returns the change and the
/// share of the total value that has a 24 h figure (rows without one count as unchanged).
pub fn change_24h(valuation: &Valuation) -> Option<(Change, f64)> {
    let mut now = 0.0;
    let mut before = 0.0;
    for v in &valuation.rows {
        if let (Some(value), Some(c)) = (v.value, v.change_24h_pct) {
            if c > -100.0 {
                now += value;
                before += value / (1.0 + c / 100.0);
            }
        }
    }
    if now == 0.0 {
        return None;
    }
    let covered = if valuation.total.abs() > 1e-9 {
        now / valuation.total
    } else {
        0.0
    };
    let c = change(before, now);
    Some((
        Change {
            abs: c.abs,
            pct: change(valuation.total - c.abs, valuation.total).pct,
        },
        covered,
    ))
}

/// A slice of an allocation chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// Group, class…
    pub label: String,
    /// Value in the base currency.
    pub value: f64,
    /// Share of the positive total, 0–1.
    pub share: f64,
}

/// Allocation by a dimension: positive values only (negative balances cannot be drawn as
/// slices), largest first.
pub fn allocation(valuation: &Valuation, dim: Dimension) -> Vec<Slice> {
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    for v in &valuation.rows {
        if let Some(value) = v.value.filter(|x| *x > 0.0) {
            *sums.entry(dim.key_of(&v.row)).or_insert(0.0) += value;
        }
    }
    let total: f64 = sums.values().sum();
    let mut slices: Vec<Slice> = sums
        .into_iter()
        .map(|(label, value)| Slice {
            label,
            value,
            share: if total > 0.0 { value / total } else { 0.0 },
        })
        .collect();
    slices.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.label.cmp(&b.label))
    });
    slices
}

/// Distinct colours of a categorical chart before "Other" (design: Okabe–Ito, 7 hues).
pub const CHART_HUES: usize = 7;

/// A slice as drawn: its share, and the colour slot it keeps wherever it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSlice {
    /// The slice (for "Other", the sum of the slices folded into it).
    pub slice: Slice,
    /// Colour slot: `0..CHART_HUES` for a category, [`CHART_HUES`] for "Other".
    pub slot: usize,
    /// Slices folded into this one ("Other"); empty for a category.
    pub folded: Vec<String>,
}

/// The colour slot a category prefers: its place among the taxonomy's groups, else a hash of
/// its label, so that a group keeps its colour on every page and in every portfolio.
fn preferred_slot(label: &str) -> usize {
    match GROUPS.iter().position(|g| *g == label) {
        Some(i) => i % CHART_HUES,
        None => {
            // FNV-1a: stable across builds and platforms.
            let h = label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            (h % CHART_HUES as u64) as usize
        }
    }
}

/// The slices to draw: the `CHART_HUES` largest, each in the colour its label prefers (the
/// next free one when a larger slice took it), then the rest folded into one "Other" slice
/// (last, neutral). `slices` come largest first, as [`allocation`] gives them.
pub fn chart_slices(slices: &[Slice], other_label: &str) -> Vec<ChartSlice> {
    let (shown, rest) = slices.split_at(slices.len().min(CHART_HUES));
    let mut taken = [false; CHART_HUES];
    let mut out: Vec<ChartSlice> = shown
        .iter()
        .map(|s| {
            let first = preferred_slot(&s.label);
            let slot = (0..CHART_HUES)
                .map(|k| (first + k) % CHART_HUES)
                .find(|&k| !taken[k])
                .unwrap_or(first);
            taken[slot] = true;
            ChartSlice {
                slice: s.clone(),
                slot,
                folded: Vec::new(),
            }
        })
        .collect();
    if !rest.is_empty() {
        out.push(ChartSlice {
            slice: Slice {
                label: other_label.to_string(),
                value: rest.iter().map(|s| s.value).sum(),
                share: rest.iter().map(|s| s.share).sum(),
            },
            slot: CHART_HUES,
            folded: rest.iter().map(|s| s.label.clone()).collect(),
        });
    }
    out
}

/// An asset that moved over 24 hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    /// Symbol.
    pub symbol: String,
    /// 24 h change in percent.
    pub change_pct: f64,
    /// Value held, in the base currency.
    pub value: f64,
}

/// The `n` biggest movers by absolute 24 h change, one per symbol.
pub fn top_movers(valuation: &Valuation, n: usize) -> Vec<Mover> {
    let mut by_symbol: BTreeMap<String, Mover> = BTreeMap::new();
    for v in &valuation.rows {
        if let (Some(value), Some(c)) = (v.value, v.change_24h_pct) {
            let symbol = &v.holding().symbol;
            let m = by_symbol.entry(symbol.clone()).or_insert(Mover {
                symbol: symbol.clone(),
                change_pct: c,
                value: 0.0,
            });
            m.value += value;
        }
    }
    let mut movers: Vec<Mover> = by_symbol.into_values().collect();
    movers.sort_by(|a, b| {
        b.change_pct
            .abs()
            .total_cmp(&a.change_pct.abs())
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    movers.truncate(n);
    movers
}

/// Total value over time from snapshots in `base`, oldest first; snapshots taken in
/// another base currency are left out (their count is returned).
pub fn value_series(snapshots: &[Snapshot], base: Currency) -> (Vec<(Timestamp, f64)>, usize) {
    let mut points: Vec<(Timestamp, f64)> = snapshots
        .iter()
        .filter(|s| s.base == base)
        .map(|s| (s.at, s.total))
        .collect();
    points.sort_by_key(|p| p.0);
    let other = snapshots.len() - points.len();
    (points, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(label: &str, value: f64) -> Slice {
        Slice {
            label: label.into(),
            value,
            share: value / 100.0,
        }
    }

    #[test]
    fn a_group_keeps_its_colour_whatever_its_rank() {
        // BTC is GROUPS[0] and ETH GROUPS[1]: slots 0 and 1 whether BTC leads or trails.
        let a = chart_slices(&[slice("BTC", 60.0), slice("ETH", 40.0)], "Other");
        let b = chart_slices(&[slice("ETH", 70.0), slice("BTC", 30.0)], "Other");
        let slot = |v: &[ChartSlice], l: &str| v.iter().find(|c| c.slice.label == l).unwrap().slot;
        assert_eq!((slot(&a, "BTC"), slot(&a, "ETH")), (0, 1));
        assert_eq!((slot(&b, "BTC"), slot(&b, "ETH")), (0, 1));
        // "Others" is GROUPS[10]: 10 mod 7 = 3; "DeFi" (6) keeps 6.
        let c = chart_slices(&[slice("Others", 50.0), slice("DeFi", 50.0)], "Other");
        assert_eq!((c[0].slot, c[1].slot), (3, 6));
    }

    #[test]
    fn colours_never_repeat_and_the_tail_folds_into_other() {
        // "Gaming/NFT" is GROUPS[8] → slot 1, already ETH's: it takes the next free, 2.
        let slices: Vec<Slice> = [
            "ETH",
            "Gaming/NFT",
            "BTC",
            "SOL",
            "DeFi",
            "AI/Data",
            "Memecoins",
            "L2/Scaling",
            "Stablecoins",
        ]
        .iter()
        .enumerate()
        .map(|(i, l)| slice(l, 20.0 - i as f64))
        .collect();
        let drawn = chart_slices(&slices, "Other");
        assert_eq!(drawn.len(), CHART_HUES + 1);
        assert_eq!(drawn[1].slot, 2);
        let mut slots: Vec<usize> = drawn.iter().map(|c| c.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots.len(), CHART_HUES + 1, "eight distinct colours");
        let other = drawn.last().unwrap();
        assert_eq!(other.slot, CHART_HUES);
        assert_eq!(other.folded, ["L2/Scaling", "Stablecoins"]);
        // 13 + 12 = 25 of the value, shares summed.
        assert_eq!(other.slice.value, 25.0);
        assert!((other.slice.share - 0.25).abs() < 1e-12);
    }
    use crate::domain::holding::{Holding, SourceKind};
    use crate::domain::prices::PriceOrigin;
    use crate::domain::taxonomy::GroupOrigin;
    use crate::domain::valuation::ValuedRow;

    fn fixture() -> Valuation {
        let v = |s: &str, class: AssetClass, group: &str, value: f64, c: Option<f64>| ValuedRow {
            row: PortfolioRow {
                holding: Holding::new(s, class, 1.0, Currency::USD, "X"),
                source: SourceKind::Crypto,
                group: group.into(),
                group_origin: GroupOrigin::Builtin,
                suggestion: None,
                as_of: None,
            },
            value: Some(value),
            price: Some(value),
            origin: Some(PriceOrigin::File),
            at: None,
            stale: false,
            deviation_pct: None,
            change_24h_pct: c,
            file_kept_until: None,
        };
        Valuation {
            rows: vec![
                v("BTC", AssetClass::Crypto, "BTC", 600.0, Some(20.0)),
                v("ETH", AssetClass::Crypto, "ETH", 300.0, Some(-25.0)),
                v("AAPL", AssetClass::Stock, "Stocks · USD", 100.0, None),
                v("DEBT", AssetClass::Crypto, "Others", -50.0, None),
            ],
            total: 950.0,
            ..Valuation::empty(Currency::USD)
        }
    }

    #[test]
    fn allocation_uses_positive_values_largest_first() {
        let val = fixture();
        let slices = allocation(&val, Dimension::Group);
        assert_eq!(
            slices.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
            ["BTC", "ETH", "Stocks · USD"]
        );
        assert_eq!(slices[0].share, 0.6);
        let classes = allocation(&val, Dimension::AssetClass);
        assert_eq!(
            (classes[0].label.as_str(), classes[0].value),
            ("Crypto", 900.0)
        );
    }

    #[test]
    fn change_over_24h_from_quote_changes() {
        let val = fixture();
        // BTC was 600/1.2 = 500, ETH was 300/0.75 = 400: 900 now vs 900 before → 0 change.
        let (c, covered) = change_24h(&val).unwrap();
        assert!(c.abs.abs() < 1e-9);
        assert!((covered - 900.0 / 950.0).abs() < 1e-12);
        assert_eq!(
            change(200.0, 250.0),
            Change {
                abs: 50.0,
                pct: Some(25.0)
            }
        );
        assert_eq!(change(0.0, 5.0).pct, None);
    }

    #[test]
    fn movers_sorted_by_absolute_change() {
        let val = fixture();
        let m = top_movers(&val, 5);
        assert_eq!(
            m.iter()
                .map(|m| (m.symbol.as_str(), m.change_pct))
                .collect::<Vec<_>>(),
            [("ETH", -25.0), ("BTC", 20.0)]
        );
    }

    #[test]
    fn snapshots_sum_by_group_and_class_and_series_keep_one_currency() {
        let val = fixture();
        let day = |ms: i64| Timestamp::from_millis(ms);
        let s = snapshot(
            "s1".into(),
            "p",
            SnapshotReason::Import,
            &val,
            day(86_400_000),
        );
        assert_eq!(s.by_group["Others"], -50.0);
        assert_eq!(s.by_class[&AssetClass::Crypto], 850.0);
        assert_eq!(s.holdings.len(), 4);
        let mut eur = s.clone();
        eur.base = Currency::EUR;
        eur.at = day(0);
        let (points, other) = value_series(&[s.clone(), eur], Currency::USD);
        assert_eq!((points, other), (vec![(day(86_400_000), 950.0)], 1));
        assert!(daily_due(None, day(0)));
        assert!(!daily_due(
            Some(day(86_400_000)),
            day(86_400_000 + 3_600_000)
        ));
        assert!(daily_due(Some(day(86_400_000)), day(2 * 86_400_000)));
    }

    #[test]
    fn snapshots_written_with_class_labels_read_back_as_classes() {
        let old = r#"{"id":"s","profile_id":"p","at_ms":1.0,"reason":"Daily","base":"EUR","total":3.0,
            "by_group":{},"by_class":{"Crypto":1.0,"Stocks":1.5,"ETFs":0.5},"holdings":[]}"#;
        let s: Snapshot = serde_json::from_str(old).unwrap();
        assert_eq!(
            s.by_class,
            [
                (AssetClass::Crypto, 1.0),
                (AssetClass::Stock, 1.5),
                (AssetClass::Etf, 0.5)
            ]
            .into()
        );
        let again: Snapshot = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(again, s, "written by class name, read back the same");
    }
}

/// Value over time rebuilt from today's quantities and daily closes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rebuilt {
    /// `(date, value in the base currency)`, oldest first.
    pub points: Vec<(NaiveDate, f64)>,
    /// Distinct assets included (those with a series, and cash currencies).
    pub included: usize,
    /// Symbols left out for lack of a price history.
    pub missing: Vec<String>,
}

/// Rebuilds the portfolio's value for each day on which every included asset has a close:
/// Σ quantity × close(date), each close converted with the FX rates of that date (the last
/// published on or before it). Cash counts at its balance converted the same way. Rows
/// without a series are left out and named in `missing`.
pub fn rebuild_history(
    rows: &[PortfolioRow],
    series: &BTreeMap<PriceKey, DailySeries>,
    fx: &FxSeries,
    base: Currency,
) -> Rebuilt {
    let mut priced = Vec::new();
    let mut cash = Vec::new();
    let mut missing = Vec::new();
    for r in rows {
        let h = &r.holding;
        if h.asset_class == AssetClass::Cash
            || (h.asset_class == AssetClass::Crypto && is_fiat(&h.symbol))
        {
            cash.push((
                Currency::parse(&h.symbol).unwrap_or(Currency::NONE),
                h.quantity,
            ));
        } else if let Some(s) = series
            .get(&PriceKey::of(h))
            .filter(|s| !s.points.is_empty())
        {
            priced.push((s, h.quantity));
        } else if !missing.contains(&h.symbol) {
            missing.push(h.symbol.clone());
        }
    }
    let Some(start) = priced
        .iter()
        .filter_map(|(s, _)| s.points.first().map(|p| p.0))
        .max()
    else {
        return Rebuilt {
            points: Vec::new(),
            included: 0,
            missing,
        };
    };
    let mut dates: Vec<NaiveDate> = priced
        .iter()
        .flat_map(|(s, _)| s.points.iter().map(|p| p.0))
        .filter(|d| *d >= start)
        .collect();
    dates.sort();
    dates.dedup();
    let convert = |amount: f64, from: Currency, date: NaiveDate| -> Option<f64> {
        if from == base {
            Some(amount)
        } else {
            fx.on(date)?.convert(amount, from, base)
        }
    };
    let points = dates
        .into_iter()
        .filter_map(|date| {
            let mut total = 0.0;
            for (s, qty) in &priced {
                total += convert(qty * s.on(date)?, s.currency, date)?;
            }
            for (currency, qty) in &cash {
                total += convert(*qty, *currency, date)?;
            }
            Some((date, total))
        })
        .collect();
    let mut assets: Vec<String> = priced
        .iter()
        .map(|(s, _)| s.key.to_string())
        .chain(cash.iter().map(|(c, _)| c.to_string()))
        .collect();
    assets.sort_unstable();
    assets.dedup();
    Rebuilt {
        points,
        included: assets.len(),
        missing,
    }
}

#[cfg(test)]
mod rebuild_tests {
    use super::*;
    use crate::domain::holding::{Holding, SourceKind};
    use crate::domain::prices::fx::FxRates;
    use crate::domain::taxonomy::GroupOrigin;

    #[test]
    fn rebuilds_value_from_quantities_closes_and_fx_of_each_date() {
        let row = |s: &str, class: AssetClass, qty: f64| PortfolioRow {
            holding: Holding::new(s, class, qty, Currency::USD, "X"),
            source: SourceKind::Crypto,
            group: "G".into(),
            group_origin: GroupOrigin::Builtin,
            suggestion: None,
            as_of: None,
        };
        let day = |s: &str| crate::domain::calendar::parse_iso_day(s).unwrap();
        // BTC held in two places counts once.
        let rows = [
            row("BTC", AssetClass::Crypto, 1.5),
            row("EUR", AssetClass::Cash, 100.0),
            row("ZZZ", AssetClass::Crypto, 1.0),
            row("BTC", AssetClass::Crypto, 0.5),
        ];
        let mut series = BTreeMap::new();
        let btc = DailySeries::new(
            PriceKey::crypto("BTC"),
            Currency::USD,
            "t",
            vec![
                (day("2025-01-01"), 10.0),
                (day("2025-01-02"), 12.0),
                (day("2025-01-04"), 20.0),
            ],
        );
        series.insert(PriceKey::crypto("BTC"), btc);
        let mut fx = FxSeries::default();
        for (d, usd) in [("2025-01-01", 2.0), ("2025-01-03", 4.0)] {
            fx.days.insert(
                day(d),
                FxRates {
                    base: Currency::EUR,
                    date: day(d),
                    rates: [(Currency::USD, usd)].into(),
                },
            );
        }
        let r = rebuild_history(&rows, &series, &fx, Currency::EUR);
        // 2 BTC at 10 USD = 20 USD / 2 = 10 EUR, plus 100 EUR cash; then 24/2 + 100; 40/4 + 100 (FX of 01-03 applies on 01-04).
        assert_eq!(
            r.points,
            vec![
                (day("2025-01-01"), 110.0),
                (day("2025-01-02"), 112.0),
                (day("2025-01-04"), 110.0)
            ]
        );
        assert_eq!(
            (r.included, r.missing.clone()),
            (2, vec!["ZZZ".to_string()])
        );
        assert!(rebuild_history(&rows[2..3], &series, &fx, Currency::EUR)
            .points
            .is_empty());
    }
}

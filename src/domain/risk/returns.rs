//! From daily closes to aligned return series.
//!
//! The alignment rule: a return is only computed between two dates on which **every** asset
//! of the set has a close; no price is invented or carried forward. Crypto trades every day
//! and stocks on weekdays, so a mixed set is aligned on the stocks' trading days and a
//! Friday-to-Monday crypto move lands in Monday's return, as it would for the stock.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::dashboard::Snapshot;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::{in_date_order, DailySeries};

/// How returns are computed from two closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ReturnKind {
    /// `p_t / p_{t−1} − 1` (the metrics' convention).
    #[default]
    Simple,
    /// `ln(p_t / p_{t−1})` (SmartFolio's VaR calculator).
    Log,
}

impl ReturnKind {
    /// A simple return `r` in this kind (`ln(1 + r)` for log).
    pub fn of_simple(self, r: f64) -> f64 {
        match self {
            ReturnKind::Simple => r,
            ReturnKind::Log => r.ln_1p(),
        }
    }

    /// "simple returns" or "log returns", as method labels say it.
    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::Simple => "simple returns",
            ReturnKind::Log => "log returns",
        }
    }
}

/// Aligned returns of several assets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aligned {
    /// Keys of the assets, in column order.
    pub keys: Vec<PriceKey>,
    /// The start date of each return (the previous shared date).
    pub starts: Vec<NaiveDate>,
    /// The end date of each return.
    pub dates: Vec<NaiveDate>,
    /// One row per date, one column per asset.
    pub rows: Vec<Vec<f64>>,
}

/// Returns of `series` on the dates they all share, within `[from, to]` (inclusive; `None`
/// for no bound). Closes that are not positive are treated as missing.
pub fn align(
    series: &[&DailySeries],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: ReturnKind,
) -> Aligned {
    if series.is_empty() {
        return Aligned::default();
    }
    let closes: Vec<Vec<(NaiveDate, f64)>> = series
        .iter()
        .map(|s| {
            let points = s
                .points
                .iter()
                .filter(|(d, p)| {
                    *p > 0.0
                        && p.is_finite()
                        && from.is_none_or(|f| *d >= f)
                        && to.is_none_or(|t| *d <= t)
                })
                .map(|(d, p)| (*d, *p))
                .collect();
            in_date_order(points)
        })
        .collect();
    // The shared dates: the first series' dates, intersected with each other's (all sorted).
    let mut common: Vec<NaiveDate> = closes[0].iter().map(|(d, _)| *d).collect();
    for other in &closes[1..] {
        let mut at = 0;
        common.retain(|d| {
            while at < other.len() && other[at].0 < *d {
                at += 1;
            }
            at < other.len() && other[at].0 == *d
        });
    }
    // Each series' closes on the shared dates, in one walk.
    let on_common: Vec<Vec<f64>> = closes
        .iter()
        .map(|c| {
            let mut at = 0;
            common
                .iter()
                .map(|d| {
                    while c[at].0 < *d {
                        at += 1;
                    }
                    c[at].1
                })
                .collect()
        })
        .collect();
    let mut out = Aligned {
        keys: series.iter().map(|s| s.key.clone()).collect(),
        ..Aligned::default()
    };
    for t in 1..common.len() {
        let row = on_common
            .iter()
            .map(|c| {
                let ratio = c[t] / c[t - 1];
                match kind {
                    ReturnKind::Simple => ratio - 1.0,
                    ReturnKind::Log => ratio.ln(),
                }
            })
            .collect();
        out.starts.push(common[t - 1]);
        out.dates.push(common[t]);
        out.rows.push(row);
    }
    out
}

/// What a snapshot held, as the risk report weighs it: value per price key on a (UTC) date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldOn {
    /// The (UTC) date of the snapshot.
    pub date: NaiveDate,
    /// Value per price key, in the snapshot's base currency (only ratios matter).
    pub values: BTreeMap<PriceKey, f64>,
}

/// The snapshots as [`HeldOn`], oldest first. `key_of` maps a holding's symbol to its price
/// key; holdings whose symbol it does not know (cash, for one) or without a positive value
/// are left out, and holdings of one key are added up (the same coin in several places).
/// Snapshots with nothing left are dropped; of several on one date, the last taken counts.
pub fn held_on(snapshots: &[Snapshot], key_of: &BTreeMap<String, PriceKey>) -> Vec<HeldOn> {
    type Held = (crate::domain::calendar::Timestamp, BTreeMap<PriceKey, f64>);
    let mut by_date: BTreeMap<NaiveDate, Held> = BTreeMap::new();
    for s in snapshots {
        let mut values = BTreeMap::new();
        for h in &s.holdings {
            if let (Some(key), Some(v)) = (key_of.get(&h.symbol), h.value) {
                if v > 0.0 && v.is_finite() {
                    *values.entry(key.clone()).or_insert(0.0) += v;
                }
            }
        }
        if values.is_empty() {
            continue;
        }
        let date = s.at.date();
        if by_date.get(&date).is_none_or(|(at, _)| s.at >= *at) {
            by_date.insert(date, (s.at, values));
        }
    }
    by_date
        .into_iter()
        .map(|(date, (_, values))| HeldOn { date, values })
        .collect()
}

/// The snapshots that weigh returns over `[from, to]`: the latest one on or before `from`
/// (it holds on the window's first day) and every later one up to `to`.
pub fn relevant(held: &[HeldOn], from: NaiveDate, to: NaiveDate) -> &[HeldOn] {
    let start = held.iter().rposition(|h| h.date <= from).unwrap_or(0);
    let end = held.partition_point(|h| h.date <= to);
    &held[start..end.max(start)]
}

/// Portfolio returns with the weights held at the time. The return from `starts[t]` to
/// `dates[t]` uses the latest snapshot dated on or before `starts[t]` — the holdings over
/// that period — its values turned into weights over the columns of `aligned` (what it held
/// without a column is left out and the rest renormalised). Rows before the first snapshot,
/// or whose snapshot holds nothing with a column, are `None`. `held` is oldest first.
/// Also returns the smallest share of a used snapshot's value that had a column.
pub fn historical_returns(aligned: &Aligned, held: &[HeldOn]) -> (Vec<Option<f64>>, f64) {
    let column: HashMap<&PriceKey, usize> = aligned
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k, i))
        .collect();
    // Weights of each snapshot over the columns, and the share of its value they cover.
    let weights: Vec<(Vec<(usize, f64)>, f64)> = held
        .iter()
        .map(|h| {
            let total: f64 = h.values.values().sum();
            let cols: Vec<(usize, f64)> = h
                .values
                .iter()
                .filter_map(|(k, v)| column.get(k).map(|&i| (i, *v)))
                .collect();
            let covered: f64 = cols.iter().map(|c| c.1).sum();
            let w = cols.into_iter().map(|(i, v)| (i, v / covered)).collect();
            (w, if total > 0.0 { covered / total } else { 0.0 })
        })
        .collect();
    let mut min_cover = f64::INFINITY;
    let returns = aligned
        .starts
        .iter()
        .zip(&aligned.rows)
        .map(|(start, row)| {
            let at = held.partition_point(|h| h.date <= *start);
            let (w, cover) = weights.get(at.checked_sub(1)?)?;
            if w.is_empty() {
                return None;
            }
            min_cover = min_cover.min(*cover);
            Some(w.iter().map(|(i, x)| x * row[*i]).sum())
        })
        .collect();
    (
        returns,
        if min_cover.is_finite() {
            min_cover
        } else {
            0.0
        },
    )
}

/// Periods per year for a set of assets: 365 when every asset trades every day (crypto
/// only), else 252 (the set is aligned on trading days).
pub fn default_annualisation(all_crypto: bool) -> f64 {
    if all_crypto {
        crate::domain::risk::metrics::CALENDAR_DAYS
    } else {
        crate::domain::risk::metrics::TRADING_DAYS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{parse_iso_day, Timestamp};
    use crate::domain::currency::Currency;

    fn d(s: &str) -> NaiveDate {
        parse_iso_day(s).unwrap()
    }

    fn s(key: &str, pts: &[(&str, f64)]) -> DailySeries {
        DailySeries {
            key: PriceKey::crypto(key),
            currency: Currency::USD,
            points: pts.iter().map(|(day, p)| (d(day), *p)).collect(),
            source: "test".into(),
        }
    }

    #[test]
    fn aligns_on_shared_dates_without_inventing_prices() {
        // BTC every day, a stock on Friday 5th and Monday 8th only.
        let btc = s(
            "BTC",
            &[
                ("2026-06-05", 100.0),
                ("2026-06-06", 110.0),
                ("2026-06-07", 90.0),
                ("2026-06-08", 120.0),
            ],
        );
        let stock = s("AAPL", &[("2026-06-05", 50.0), ("2026-06-08", 55.0)]);
        let a = align(&[&btc, &stock], None, None, ReturnKind::Simple);
        assert_eq!(a.dates, vec![d("2026-06-08")]);
        assert!(
            (a.rows[0][0] - 0.2).abs() < 1e-12,
            "Friday to Monday for BTC too"
        );
        assert!((a.rows[0][1] - 0.1).abs() < 1e-12);
        let only = align(&[&btc], Some(d("2026-06-06")), None, ReturnKind::Log);
        assert_eq!(only.rows.len(), 2);
        assert!((only.rows[0][0] - (90.0f64 / 110.0).ln()).abs() < 1e-12);
        assert_eq!(default_annualisation(true), 365.0);
        assert_eq!(default_annualisation(false), 252.0);
    }

    fn snap(at: &str, holdings: &[(&str, Option<f64>)]) -> Snapshot {
        use crate::domain::dashboard::{SnapshotHolding, SnapshotReason};
        // "YYYY-MM-DDTHH".
        let hour: i64 = at[11..13].parse().unwrap();
        let at_ms = Timestamp::start_of(d(&at[..10])).plus_millis(hour * 3_600_000);
        Snapshot {
            id: at.into(),
            profile_id: "p".into(),
            at: at_ms,
            reason: SnapshotReason::OnDemand,
            base: Currency::EUR,
            total: 0.0,
            by_group: BTreeMap::new(),
            by_class: BTreeMap::new(),
            holdings: holdings
                .iter()
                .map(|(s, v)| SnapshotHolding {
                    symbol: s.to_string(),
                    location: "Kraken".into(),
                    quantity: 1.0,
                    value: *v,
                    price: None,
                    origin: "test".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn snapshots_become_values_per_price_key_one_per_date() {
        let key_of: BTreeMap<String, PriceKey> = [("BTC", "crypto:BTC"), ("AAPL", "listed:AAPL")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.parse().unwrap()))
            .collect();
        let held = held_on(
            &[
                snap("2026-05-02T09", &[("BTC", Some(10.0))]),
                // Later the same day: it replaces the morning's.
                snap(
                    "2026-05-02T18",
                    &[("BTC", Some(5.0)), ("BTC", Some(2.0)), ("EUR", Some(100.0))],
                ),
                // Earlier in time but stored after: order of the input does not matter.
                snap("2026-05-01T12", &[("AAPL", Some(3.0)), ("BTC", None)]),
                // Nothing known in it: dropped.
                snap("2026-05-03T12", &[("EUR", Some(100.0))]),
            ],
            &key_of,
        );
        assert_eq!(held.len(), 2);
        assert_eq!(held[0].date, d("2026-05-01"));
        assert_eq!(
            held[0].values,
            [(PriceKey::listed("AAPL", None), 3.0)].into()
        );
        assert_eq!(held[1].values, [(PriceKey::crypto("BTC"), 7.0)].into());
        // The snapshot holding on the window's first day, and the later ones up to its end.
        let h = |day: &str| HeldOn {
            date: d(day),
            values: BTreeMap::new(),
        };
        let all = [
            h("2026-01-01"),
            h("2026-02-01"),
            h("2026-03-01"),
            h("2026-04-01"),
        ];
        let dates = |x: &[HeldOn]| x.iter().map(|h| h.date.to_string()).collect::<Vec<_>>();
        assert_eq!(
            dates(relevant(&all, d("2026-02-15"), d("2026-03-01"))),
            ["2026-02-01", "2026-03-01"]
        );
        assert_eq!(
            dates(relevant(&all, d("2025-12-01"), d("2026-01-15"))),
            ["2026-01-01"]
        );
        assert!(relevant(&all, d("2025-01-01"), d("2025-06-01")).is_empty());
    }
}

// proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod align_props {
    use super::*;
    use crate::domain::currency::Currency;
    use proptest::prelude::*;

    fn june(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, day).unwrap()
    }

    /// The alignment rule by lookup: each series as a map (the last close given for a date
    /// wins), the first series' dates that every map has, sorted.
    fn aligned_by_lookup(series: &[&DailySeries], from: NaiveDate, kind: ReturnKind) -> Aligned {
        let maps: Vec<HashMap<NaiveDate, f64>> = series
            .iter()
            .map(|s| {
                s.points
                    .iter()
                    .filter(|(d, p)| *p > 0.0 && p.is_finite() && *d >= from)
                    .map(|(d, p)| (*d, *p))
                    .collect()
            })
            .collect();
        let mut common: Vec<NaiveDate> = maps[0]
            .keys()
            .copied()
            .filter(|d| maps[1..].iter().all(|m| m.contains_key(d)))
            .collect();
        common.sort_unstable();
        let mut out = Aligned {
            keys: series.iter().map(|s| s.key.clone()).collect(),
            ..Aligned::default()
        };
        for pair in common.windows(2) {
            out.rows.push(
                maps.iter()
                    .map(|m| kind.of_simple(m[&pair[1]] / m[&pair[0]] - 1.0))
                    .collect(),
            );
            out.starts.push(pair[0]);
            out.dates.push(pair[1]);
        }
        out
    }

    /// Points on days 1–12 of a month, in any order, with repeats and bad closes.
    fn series() -> impl Strategy<Value = DailySeries> {
        prop::collection::vec(
            (1u32..13, prop_oneof![4 => 1.0f64..100.0, 1 => Just(0.0)]),
            0..20,
        )
        .prop_map(|points| DailySeries {
            key: PriceKey::crypto("K"),
            currency: Currency::USD,
            points: points.into_iter().map(|(day, p)| (june(day), p)).collect(),
            source: "test".into(),
        })
    }

    proptest! {
        #[test]
        fn merging_sorted_dates_aligns_as_lookup_does(
            set in prop::collection::vec(series(), 1..5),
            from in 1u32..6,
            log in any::<bool>(),
        ) {
            let kind = if log { ReturnKind::Log } else { ReturnKind::Simple };
            let refs: Vec<&DailySeries> = set.iter().collect();
            let from = june(from);
            let got = align(&refs, Some(from), None, kind);
            let expected = aligned_by_lookup(&refs, from, kind);
            prop_assert_eq!(&got.dates, &expected.dates);
            prop_assert_eq!(&got.starts, &expected.starts);
            for (g, e) in got.rows.iter().flatten().zip(expected.rows.iter().flatten()) {
                prop_assert!((g - e).abs() <= 1e-12 * e.abs().max(1.0), "{} vs {}", g, e);
            }
            // Sorted series (as `DailySeries::new` makes them) give the same rows.
            let built: Vec<DailySeries> = set
                .iter()
                .map(|s| DailySeries::new(PriceKey::crypto("K"), Currency::USD, "test", s.points.clone()))
                .collect();
            let refs: Vec<&DailySeries> = built.iter().collect();
            prop_assert_eq!(align(&refs, Some(from), None, kind), got);
        }
    }
}

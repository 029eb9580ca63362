//! Benchmarks: any daily series, or a blend of several, compared with a scope by
//! time-weighted return, and "the same deposits and withdrawals invested in the benchmark
//! instead" compared by money-weighted return.
//!
//! A benchmark is a daily level on the timeline's days. A day without a close keeps the
//! last level (no return that day: markets closed). A blend is **rebalanced daily** to its
//! weights: its return each day is `Σ wᵢ rᵢ,d`, the weighted sum of its components'
//! returns, so a 60 % ETF / 40 % BTC blend holds those weights at every close.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::performance::market::Market;
use crate::domain::performance::periods::Window;
use crate::domain::performance::returns::MwrError;
use crate::domain::performance::timeline::{ScopeSeries, Timeline};
use crate::domain::performance::xirr::{xirr, CashFlow, Xirr};
use crate::domain::price_key::PriceKey;

/// A daily level on a timeline's days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkSeries {
    /// Name shown ("BTC", "60 % VWCE + 40 % BTC").
    pub label: String,
    /// Day 0's date.
    pub start: NaiveDate,
    /// Level per day, the last known carried forward; `NaN` before the first known.
    pub levels: Vec<f64>,
}

/// Why a benchmark cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum BenchmarkError {
    /// A blend's weights are negative or do not add up to 100 %.
    #[error("the blend's weights must be positive and add up to 100 % (they add up to {sum_percent:.4} %)")]
    Weights {
        /// Their sum, in percent.
        sum_percent: f64,
    },
    /// A blend with no component.
    #[error("a blend needs at least one series")]
    Empty,
    /// The series do not cover the same days.
    #[error("“{label}” does not cover the same days as the others")]
    Misaligned {
        /// The series.
        label: String,
    },
    /// No level on the first day compared.
    #[error("“{label}” has no level on {date}, the start of the comparison")]
    NoLevel {
        /// The series.
        label: String,
        /// The day.
        date: NaiveDate,
    },
}

impl BenchmarkSeries {
    /// An asset's closes in the base currency from the market, on `days` days from `start`
    /// (a timeline's `start` and `days`).
    pub fn from_market<M: Market + ?Sized>(
        market: &M,
        key: &PriceKey,
        label: &str,
        start: NaiveDate,
        days: usize,
    ) -> BenchmarkSeries {
        let closes = market.base_closes(key, start, days);
        BenchmarkSeries::carried(label, start, closes)
    }

    /// Any daily series given as (date, level) points, in any order.
    pub fn from_points(
        label: &str,
        points: &[(NaiveDate, f64)],
        start: NaiveDate,
        days: usize,
    ) -> BenchmarkSeries {
        let mut sorted: Vec<(NaiveDate, f64)> = points
            .iter()
            .copied()
            .filter(|(_, v)| v.is_finite() && *v > 0.0)
            .collect();
        sorted.sort_by_key(|p| p.0);
        let mut i = 0;
        let mut closes = Vec::with_capacity(days);
        for date in start.iter_days().take(days) {
            let mut today = None;
            while i < sorted.len() && sorted[i].0 <= date {
                today = Some(sorted[i].1);
                i += 1;
            }
            closes.push(today);
        }
        BenchmarkSeries::carried(label, start, closes)
    }

    fn carried(label: &str, start: NaiveDate, closes: Vec<Option<f64>>) -> BenchmarkSeries {
        let mut last = f64::NAN;
        let levels = closes
            .into_iter()
            .map(|c| {
                if let Some(c) = c.filter(|c| c.is_finite() && *c > 0.0) {
                    last = c;
                }
                last
            })
            .collect();
        BenchmarkSeries {
            label: label.to_string(),
            start,
            levels,
        }
    }

    /// The return from the close of day `s` to that of day `e`.
    fn between(&self, s: usize, e: usize) -> Result<f64, BenchmarkError> {
        let level = |d: usize| {
            self.levels
                .get(d)
                .copied()
                .filter(|v| !v.is_nan())
                .ok_or_else(|| BenchmarkError::NoLevel {
                    label: self.label.clone(),
                    date: crate::domain::calendar::days_after(self.start, d as u32),
                })
        };
        Ok(level(e)? / level(s)? - 1.0)
    }
}

/// A blend of series with weights (fractions adding up to 1), rebalanced daily: its level
/// starts at 1 on the first day every component has a level and moves each day by
/// `Σ wᵢ (Pᵢ,d / Pᵢ,d−1 − 1)`.
pub fn blend(
    label: &str,
    parts: &[(BenchmarkSeries, f64)],
) -> Result<BenchmarkSeries, BenchmarkError> {
    let first = parts.first().ok_or(BenchmarkError::Empty)?;
    let sum: f64 = parts.iter().map(|p| p.1).sum();
    if parts
        .iter()
        .any(|p| p.1.is_nan() || p.1 < 0.0 || !p.1.is_finite())
        || (sum - 1.0).abs() > 1e-9
    {
        return Err(BenchmarkError::Weights {
            sum_percent: sum * 100.0,
        });
    }
    let days = first.0.levels.len();
    if let Some(p) = parts
        .iter()
        .find(|p| p.0.levels.len() != days || p.0.start != first.0.start)
    {
        return Err(BenchmarkError::Misaligned {
            label: p.0.label.clone(),
        });
    }
    let mut level = f64::NAN;
    let levels = (0..days)
        .map(|d| {
            if parts.iter().any(|p| p.0.levels[d].is_nan()) {
                return f64::NAN;
            }
            level = if level.is_nan() {
                1.0
            } else {
                let r: f64 = parts
                    .iter()
                    .map(|(s, w)| w * (s.levels[d] / s.levels[d - 1] - 1.0))
                    .sum();
                level * (1.0 + r)
            };
            level
        })
        .collect();
    Ok(BenchmarkSeries {
        label: label.to_string(),
        start: first.0.start,
        levels,
    })
}

/// A scope's time-weighted return beside a benchmark's over one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwrComparison {
    /// The benchmark.
    pub label: String,
    /// The close compared from.
    pub start: NaiveDate,
    /// The close compared to.
    pub end: NaiveDate,
    /// The scope's TWR.
    pub twr: f64,
    /// The benchmark's return.
    pub benchmark: f64,
    /// `twr − benchmark`.
    pub excess: f64,
}

/// Compares the TWR of `series` with `bench` over `window` (days of `timeline`).
pub fn compare_twr(
    timeline: &Timeline,
    series: &ScopeSeries,
    bench: &BenchmarkSeries,
    window: Window,
) -> Result<TwrComparison, BenchmarkError> {
    let (s, e) = days_of(timeline, bench, window)?;
    let twr = series
        .twr
        .between(s, e)
        .ok_or_else(|| BenchmarkError::Misaligned {
            label: bench.label.clone(),
        })?;
    let benchmark = bench.between(s, e)?;
    Ok(TwrComparison {
        label: bench.label.clone(),
        start: window.start,
        end: window.end,
        twr,
        benchmark,
        excess: twr - benchmark,
    })
}

fn days_of(
    timeline: &Timeline,
    bench: &BenchmarkSeries,
    window: Window,
) -> Result<(usize, usize), BenchmarkError> {
    if bench.start != timeline.start || bench.levels.len() != timeline.days {
        return Err(BenchmarkError::Misaligned {
            label: bench.label.clone(),
        });
    }
    let s = timeline.day_of(window.start).unwrap_or(0);
    let e = timeline.day_of(window.end).unwrap_or(timeline.last_day());
    Ok((s, e))
}

/// The scope's own deposits and withdrawals, had they bought and sold the benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SameFlows {
    /// The benchmark.
    pub label: String,
    /// The close compared from.
    pub start: NaiveDate,
    /// The close compared to.
    pub end: NaiveDate,
    /// What the benchmark holding would be worth at the end.
    pub end_value: f64,
    /// What the scope is worth at the end.
    pub actual_end_value: f64,
    /// The money-weighted return of the benchmark holding over the window.
    pub mwr: Result<f64, MwrError>,
    /// The scope's money-weighted return over the window, from the same flows.
    pub actual_mwr: Result<f64, MwrError>,
    /// The benchmark holding's XIRR solution.
    pub xirr: Option<Xirr>,
    /// The flows (investor's side), the benchmark holding's end value last.
    pub flows: Vec<CashFlow>,
    /// The first day withdrawals took more than the benchmark holding had (it went
    /// below zero and was kept negative).
    pub went_negative: Option<NaiveDate>,
}

/// Invests the scope's start value and every inflow in `bench` and takes every outflow
/// out of it, with the same timing convention as the TWR: an inflow buys at the previous
/// close (it counts from the start of its day), an outflow sells at its day's close.
pub fn same_flows_in_benchmark(
    timeline: &Timeline,
    series: &ScopeSeries,
    bench: &BenchmarkSeries,
    window: Window,
) -> Result<SameFlows, BenchmarkError> {
    let (s, e) = days_of(timeline, bench, window)?;
    let level = |d: usize| bench.levels[d];
    if level(s).is_nan() {
        return Err(BenchmarkError::NoLevel {
            label: bench.label.clone(),
            date: timeline.date(s),
        });
    }
    let start_value = series.values[s];
    let mut units = if start_value.is_nan() {
        0.0
    } else {
        start_value / level(s)
    };
    let mut went_negative = None;
    let mut flows = Vec::new();
    if start_value != 0.0 && !start_value.is_nan() {
        flows.push(CashFlow {
            date: timeline.date(s),
            amount: -start_value,
        });
    }
    for d in s + 1..=e {
        let (i, o) = (series.inflows[d], series.outflows[d]);
        if i > 0.0 {
            units += i / level(d - 1);
            flows.push(CashFlow {
                date: timeline.date(d),
                amount: -i,
            });
        }
        if o > 0.0 {
            units -= o / level(d);
            flows.push(CashFlow {
                date: timeline.date(d),
                amount: o,
            });
        }
        if units < 0.0 && went_negative.is_none() {
            went_negative = Some(timeline.date(d));
        }
    }
    let end_value = units * level(e);
    let actual_end_value = series.values[e];
    let mut actual = flows.clone();
    let mut mirrored = flows.clone();
    let end = timeline.date(e);
    actual.push(CashFlow {
        date: end,
        amount: actual_end_value,
    });
    mirrored.push(CashFlow {
        date: end,
        amount: end_value,
    });
    let days = crate::domain::calendar::days_between(timeline.date(s), end);
    let unknown = series.values[s..=e].iter().any(|v| v.is_nan())
        || series.inflows[s..=e]
            .iter()
            .chain(&series.outflows[s..=e])
            .any(|v| v.is_nan());
    let solve = |f: &[CashFlow]| -> Result<Xirr, MwrError> {
        if unknown {
            return Err(MwrError::UnknownValues);
        }
        xirr(f).map_err(MwrError::from)
    };
    let mine = solve(&mirrored);
    Ok(SameFlows {
        label: bench.label.clone(),
        start: timeline.date(s),
        end,
        end_value,
        actual_end_value,
        mwr: mine.as_ref().map(|x| x.over_days(days)).map_err(|e| *e),
        actual_mwr: solve(&actual).map(|x| x.over_days(days)),
        xirr: mine.ok(),
        flows: mirrored,
        went_negative,
    })
}

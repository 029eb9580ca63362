//! Step 2, the wealth path: figures that follow the value of the portfolio over time, so
//! they always compound simple returns whatever kind the distribution figures use —
//! cumulative return, CAGR, Calmar, drawdowns and their span, Ulcer index, stability.

use chrono::NaiveDate;

use super::document::{metric, Metric, Unit, MAX_DRAWDOWN};
use crate::domain::risk::metrics::{
    annual_return, calmar_ratio, cum_returns_final, max_drawdown, stability_of_timeseries, wealth,
};

/// The path's metrics and the drawdown on each date (for the chart).
#[derive(Debug, Clone, PartialEq)]
pub struct PathFigures {
    /// The metrics.
    pub metrics: Vec<Metric>,
    /// Drawdown per date (fractions, ≤ 0).
    pub drawdown: Vec<(NaiveDate, f64)>,
}

/// The figures of the simple returns `port` ending on `dates`, with `ann` periods a year.
pub fn path_figures(port: &[f64], dates: &[NaiveDate], ann: f64) -> PathFigures {
    // One drawdown series serves the current drawdown, the Ulcer index, the span and the chart.
    let dd = drawdowns(port);
    let (dd_start, dd_end, dd_days) = drawdown_span(&dd, dates);
    let metrics = vec![
        metric(
            "Cumulative return",
            cum_returns_final(port),
            Unit::Fraction,
            "∏(1 + r) − 1 over the window",
        ),
        metric(
            "Annual return (CAGR)",
            annual_return(port, ann),
            Unit::Fraction,
            "(1 + cumulative)^(ann/n) − 1",
        ),
        metric(
            "Calmar ratio",
            calmar_ratio(port, ann),
            Unit::Ratio,
            "CAGR / |max drawdown|",
        ),
        metric(
            MAX_DRAWDOWN,
            max_drawdown(port),
            Unit::Fraction,
            "largest fall from a running peak of wealth",
        ),
        Metric {
            name: "Max drawdown period".into(),
            value: Some(dd_days as f64),
            unit: Unit::Days,
            method: format!("{dd_start} → {dd_end} (peak to recovery or today)"),
        },
        metric(
            "Current drawdown",
            dd.last().copied().unwrap_or(f64::NAN),
            Unit::Fraction,
            "today's wealth against its running peak",
        ),
        metric(
            "Ulcer index",
            (dd.iter().map(|x| x * x).sum::<f64>() / dd.len() as f64).sqrt(),
            Unit::Fraction,
            "√mean(drawdown²)",
        ),
        metric(
            "Stability",
            stability_of_timeseries(port),
            Unit::Ratio,
            "R² of cumulative log returns on time",
        ),
    ];
    PathFigures {
        metrics,
        drawdown: dates.iter().copied().zip(dd).collect(),
    }
}

/// Drawdown after each period (fractions, ≤ 0), from a starting wealth of 1.
pub fn drawdowns(r: &[f64]) -> Vec<f64> {
    let mut peak = 1.0f64;
    wealth(r)
        .into_iter()
        .map(|w| {
            peak = peak.max(w);
            w / peak - 1.0
        })
        .collect()
}

/// From the drawdown series: the maximum drawdown's peak date, its recovery date (or the
/// last date), and its length in periods.
fn drawdown_span(dd: &[f64], dates: &[NaiveDate]) -> (String, String, usize) {
    let Some((trough, _)) = dd.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)) else {
        return (String::new(), String::new(), 0);
    };
    let peak = dd[..trough]
        .iter()
        .rposition(|x| *x == 0.0)
        .map_or(0, |p| p + 1)
        .min(trough);
    let end = dd[trough..]
        .iter()
        .position(|x| *x == 0.0)
        .map_or(dd.len() - 1, |p| trough + p);
    let start_date = if peak == 0 {
        dates.first()
    } else {
        dates.get(peak - 1)
    };
    let text = |d: Option<&NaiveDate>| d.map(NaiveDate::to_string).unwrap_or_default();
    (text(start_date), text(dates.get(end)), end + 1 - peak)
}

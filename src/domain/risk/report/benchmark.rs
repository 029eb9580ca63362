//! Step 6, the portfolio against a benchmark: beta and alpha, beta in the benchmark's rises
//! and in its falls, and the capture ratios; and which stored series can be the benchmark.
//!
//! The benchmark is paired with the portfolio, not aligned with it: the portfolio's series
//! keeps its own dates (a stock benchmark does not drop a crypto portfolio's weekends), and
//! each pair is the two returns between consecutive dates on which both have a value — the
//! portfolio's compounded over the days in between.
//!
//! Shown and not: empyrical's up and down *alpha* (the intercept of the regression on one
//! side of the benchmark's sign, its daily mean compounded over a year) are left out: on
//! daily returns they come out as figures like −92 % and +1,600 % a year that describe no
//! return anyone earned. The up and down capture ratios compound each side over the periods
//! of one sign and annualise that, which on daily returns raises one-signed daily means to
//! the 365th power (a portfolio with a beta of 1 shows an up capture of 0.07); they are
//! computed on monthly returns, the convention they were defined with (Morningstar's, and
//! empyrical's when fed monthly returns).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::document::{metric, Metric, Unit, BETA};
use super::series::PortfolioSeries;
use super::settings::MIN_POINTS;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::metrics::{
    alpha_beta, capture, down_alpha_beta, down_capture, up_alpha_beta, up_capture, up_down_capture,
};
use crate::domain::risk::returns::ReturnKind;

/// The benchmark's metrics, and why they are undefined when they are.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkFigures {
    /// Beta, alpha, up and down beta, capture ratios (always listed; undefined without
    /// enough shared returns).
    pub metrics: Vec<Metric>,
    /// Why they are undefined, for the user.
    pub notice: Option<String>,
}

/// Simple returns of the portfolio and of the benchmark over the same periods.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paired {
    /// The end date of each period.
    pub ends: Vec<NaiveDate>,
    /// The portfolio's.
    pub portfolio: Vec<f64>,
    /// The benchmark's.
    pub benchmark: Vec<f64>,
}

impl Paired {
    /// The pairs compounded per calendar month of their end date (the window's first and
    /// last months may be partial), in date order.
    pub fn monthly(&self) -> Paired {
        let mut out = Paired::default();
        let mut month = None;
        for ((end, r), b) in self.ends.iter().zip(&self.portfolio).zip(&self.benchmark) {
            let this = (end.year(), end.month());
            if month != Some(this) {
                month = Some(this);
                out.ends.push(*end);
                out.portfolio.push(0.0);
                out.benchmark.push(0.0);
            }
            let last = out.ends.len() - 1;
            out.ends[last] = *end;
            out.portfolio[last] = (1.0 + out.portfolio[last]) * (1.0 + r) - 1.0;
            out.benchmark[last] = (1.0 + out.benchmark[last]) * (1.0 + b) - 1.0;
        }
        out
    }
}

/// Pairs `series` with `bench`: for consecutive dates of the portfolio's series on which the
/// benchmark has a (positive) close, within one unbroken run of the portfolio's returns, the
/// benchmark's `c₁ / c₀ − 1` and the portfolio's `∏(1 + r) − 1` over the returns between
/// (the return itself when there is one).
pub fn pair(series: &PortfolioSeries, bench: &DailySeries) -> Paired {
    let closes: HashMap<NaiveDate, f64> = bench
        .points
        .iter()
        .filter(|(_, c)| *c > 0.0 && c.is_finite())
        .copied()
        .collect();
    let mut out = Paired::default();
    let mut anchor: Option<f64> = None;
    let mut since: Vec<f64> = Vec::new();
    let mut previous_end: Option<NaiveDate> = None;
    let periods = series.starts.iter().zip(&series.dates).zip(&series.returns);
    for ((start, end), r) in periods {
        if previous_end != Some(*start) {
            // A new run of returns: it can only be paired from its first date.
            anchor = closes.get(start).copied();
            since.clear();
        }
        previous_end = Some(*end);
        since.push(*r);
        if let Some(close) = closes.get(end) {
            if let Some(c0) = anchor {
                out.portfolio.push(match since[..] {
                    [one] => one,
                    _ => since.iter().fold(1.0, |w, x| w * (1.0 + x)) - 1.0,
                });
                out.benchmark.push(close / c0 - 1.0);
                out.ends.push(*end);
            }
            anchor = Some(*close);
            since.clear();
        }
    }
    out
}

/// The figures of `series` against `bench` (the series stored under `key`, if any), in
/// `kind` for beta and alpha and in simple returns for the capture ratios (they compound);
/// `rf` per period, `ann` periods a year.
pub fn benchmark_figures(
    series: &PortfolioSeries,
    bench: Option<&DailySeries>,
    key: &PriceKey,
    rf: f64,
    ann: f64,
    kind: ReturnKind,
) -> BenchmarkFigures {
    let paired = bench.map(|b| pair(series, b)).unwrap_or_default();
    let n = paired.portfolio.len();
    let notice = match bench {
        None => Some(format!(
            "No daily history is stored for the benchmark {} ({key}): beta, alpha and the capture ratios are undefined. Choose a benchmark with history, or load its daily prices on the Dashboard (or import a price CSV).",
            key.symbol()
        )),
        Some(_) if n < MIN_POINTS => Some(format!(
            "The benchmark {} ({key}) shares only {n} daily return(s) with the portfolio in the window; beta, alpha and the capture ratios need at least {MIN_POINTS}.",
            key.symbol()
        )),
        Some(_) => None,
    };
    let usable = notice.is_none();
    let r: Vec<f64> = paired
        .portfolio
        .iter()
        .map(|x| kind.of_simple(*x))
        .collect();
    let b: Vec<f64> = paired
        .benchmark
        .iter()
        .map(|x| kind.of_simple(*x))
        .collect();
    let months = paired.monthly();
    let (rm, bm) = (&months.portfolio, &months.benchmark);
    let figure = |value: f64| if usable { value } else { f64::NAN };
    let (alpha, beta) = alpha_beta(&r, &b, rf, ann);
    let (_, up_beta) = up_alpha_beta(&r, &b, rf, ann);
    let (_, down_beta) = down_alpha_beta(&r, &b, rf, ann);
    let kind = kind.label();
    let on = format!("against {key}, on the {n} periods shared with it");
    let monthly = format!(
        "against {key}, on {} monthly returns (calendar months, the first and last maybe partial), simple returns compounded",
        rm.len()
    );
    let metrics = vec![
        metric(
            BETA,
            figure(beta),
            Unit::Ratio,
            &format!("cov(r, b) / var(b) {on}, {kind}"),
        ),
        metric(
            "Alpha (annual)",
            figure(alpha),
            Unit::Fraction,
            &format!("(1 + mean(r − rf − β(b − rf)))^ann − 1 {on}, {kind}"),
        ),
        metric(
            "Up beta",
            figure(up_beta),
            Unit::Ratio,
            &format!("beta on the periods the benchmark rose, b > 0 (empyrical up_alpha_beta) {on}, {kind}"),
        ),
        metric(
            "Down beta",
            figure(down_beta),
            Unit::Ratio,
            &format!("beta on the periods the benchmark fell, b < 0 (empyrical down_alpha_beta) {on}, {kind}"),
        ),
        metric(
            "Capture ratio",
            figure(capture(&paired.portfolio, &paired.benchmark, ann)),
            Unit::Ratio,
            &format!("CAGR of the portfolio / CAGR of the benchmark (empyrical capture) {on}, simple returns compounded"),
        ),
        metric(
            "Up capture",
            figure(up_capture(rm, bm, 12.0)),
            Unit::Ratio,
            &format!("(1 + g_r)^12 − 1 over (1 + g_b)^12 − 1, g the geometric mean return of the months the benchmark rose (empyrical up_capture, monthly); above 1, more of the rises {monthly}"),
        ),
        metric(
            "Down capture",
            figure(down_capture(rm, bm, 12.0)),
            Unit::Ratio,
            &format!("the same over the months the benchmark fell (empyrical down_capture, monthly); below 1, less of the falls {monthly}"),
        ),
        metric(
            "Up/down capture",
            figure(up_down_capture(rm, bm, 12.0)),
            Unit::Ratio,
            &format!("up capture / down capture; above 1, more of the rises than of the falls {monthly}"),
        ),
    ];
    BenchmarkFigures { metrics, notice }
}

/// A series the user can pick as the benchmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchmarkChoice {
    /// Its key.
    pub key: PriceKey,
    /// What the picker shows ("AAPL — listed on XNAS, price CSV").
    pub label: String,
    /// It has at least two closes (false only for the current choice, listed so that the
    /// picker shows what is selected).
    pub has_history: bool,
}

/// Every stored series with at least two closes (crypto, listed stocks and ETFs, imported
/// price CSVs), in key order; `current` first when it has none, marked so.
pub fn benchmark_choices(
    history: &BTreeMap<PriceKey, DailySeries>,
    current: &PriceKey,
) -> Vec<BenchmarkChoice> {
    let what = |k: &PriceKey| match k {
        PriceKey::Crypto(_) => "crypto".to_string(),
        PriceKey::Listed { venue: Some(v), .. } => format!("listed on {v}"),
        PriceKey::Listed { venue: None, .. } => "listed".to_string(),
        PriceKey::Other(_) => "other".to_string(),
    };
    let with: Vec<BenchmarkChoice> = history
        .iter()
        .filter(|(_, s)| s.points.len() > 1)
        .map(|(k, s)| BenchmarkChoice {
            key: k.clone(),
            label: format!("{} — {}, {}", k.symbol(), what(k), s.source),
            has_history: true,
        })
        .collect();
    let mut out = Vec::with_capacity(with.len() + 1);
    if !with.iter().any(|c| c.key == *current) {
        out.push(BenchmarkChoice {
            key: current.clone(),
            label: format!(
                "{} — {}, no history stored",
                current.symbol(),
                what(current)
            ),
            has_history: false,
        });
    }
    out.extend(with);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::currency::Currency;
    use crate::domain::risk::report::sample::{d, k};

    fn series(dates: &[(&str, &str)], returns: &[f64]) -> PortfolioSeries {
        PortfolioSeries {
            starts: dates.iter().map(|p| d(p.0)).collect(),
            dates: dates.iter().map(|p| d(p.1)).collect(),
            assets: returns.iter().map(|r| vec![*r]).collect(),
            returns: returns.to_vec(),
            weighting: String::new(),
        }
    }

    fn closes(key: &str, points: &[(&str, f64)], source: &str) -> DailySeries {
        DailySeries {
            key: k(key),
            currency: Currency::USD,
            points: points.iter().map(|(day, c)| (d(day), *c)).collect(),
            source: source.into(),
        }
    }

    #[test]
    fn a_weekday_benchmark_pairs_with_the_portfolio_over_its_own_dates() {
        // A crypto portfolio Fri 5 → Sat 6 → Sun 7 → Mon 8 June, then a gap (a return left
        // out), then Wed 10 → Thu 11. The stock closes Fri 100, Mon 110, Wed 120, Thu 108.
        let s = series(
            &[
                ("2026-06-05", "2026-06-06"),
                ("2026-06-06", "2026-06-07"),
                ("2026-06-07", "2026-06-08"),
                ("2026-06-10", "2026-06-11"),
            ],
            &[0.1, -0.5, 0.2, 0.05],
        );
        let stock = closes(
            "listed:AAPL",
            &[
                ("2026-06-05", 100.0),
                ("2026-06-08", 110.0),
                ("2026-06-10", 120.0),
                ("2026-06-11", 108.0),
            ],
            "price CSV",
        );
        let p = pair(&s, &stock);
        // Friday to Monday: 1.1 · 0.5 · 1.2 − 1 = −0.34 against 110/100 − 1 = 0.1; the run
        // from Wednesday starts afresh: 0.05 against 108/120 − 1 = −0.1.
        assert_eq!(p.ends, vec![d("2026-06-08"), d("2026-06-11")]);
        assert!((p.portfolio[0] + 0.34).abs() < 1e-15, "{:?}", p.portfolio);
        assert_eq!(p.portfolio[1], 0.05);
        assert!((p.benchmark[0] - 0.1).abs() < 1e-15 && (p.benchmark[1] + 0.1).abs() < 1e-15);
        // Compounded per month: one month here.
        let m = p.monthly();
        assert_eq!(m.ends, vec![d("2026-06-11")]);
        assert!((m.portfolio[0] - (0.66 * 1.05 - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn any_series_with_history_can_be_the_benchmark() {
        let history: BTreeMap<PriceKey, DailySeries> = [
            closes(
                "crypto:BTC",
                &[("2026-06-05", 1.0), ("2026-06-06", 2.0)],
                "CoinGecko",
            ),
            closes(
                "listed:IWDA@XAMS",
                &[("2026-06-05", 1.0), ("2026-06-08", 2.0)],
                "price CSV",
            ),
            closes(
                "listed:AAPL",
                &[("2026-06-05", 1.0), ("2026-06-08", 2.0)],
                "Twelve Data",
            ),
            closes(
                "other:GLD",
                &[("2026-06-05", 1.0), ("2026-06-08", 2.0)],
                "price CSV",
            ),
            // One close: no return, not a benchmark.
            closes("crypto:ONE", &[("2026-06-05", 1.0)], "CoinGecko"),
        ]
        .into_iter()
        .map(|s| (s.key.clone(), s))
        .collect();
        let labels = |current: &str| {
            benchmark_choices(&history, &k(current))
                .into_iter()
                .map(|c| (c.key.to_string(), c.label, c.has_history))
                .collect::<Vec<_>>()
        };
        let with = vec![
            (
                "crypto:BTC".to_string(),
                "BTC — crypto, CoinGecko".to_string(),
                true,
            ),
            (
                "listed:AAPL".into(),
                "AAPL — listed, Twelve Data".into(),
                true,
            ),
            (
                "listed:IWDA@XAMS".into(),
                "IWDA — listed on XAMS, price CSV".into(),
                true,
            ),
            ("other:GLD".into(), "GLD — other, price CSV".into(), true),
        ];
        assert_eq!(labels("listed:AAPL"), with);
        // A choice without history stays listed, first, and says so.
        let mut missing = vec![(
            "crypto:ONE".to_string(),
            "ONE — crypto, no history stored".to_string(),
            false,
        )];
        missing.extend(with);
        assert_eq!(labels("crypto:ONE"), missing);
    }
}

//! Return figures of a scope over a period: time-weighted, money-weighted, simple, and the
//! absolute gain, each with the cash flows and formulas behind it ([`ReturnFigure`]).
//!
//! Annualised figures are given only for periods longer than 365 days; a shorter period's
//! money-weighted return is the XIRR turned back into a rate over the period.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_between;
use crate::domain::performance::periods::{Period, PeriodError, Window};
use crate::domain::performance::scope::Scope;
use crate::domain::performance::timeline::{ScopeSeries, Timeline};
use crate::domain::performance::xirr::{annualise, xirr, CashFlow, Xirr, XirrError};

/// How the time-weighted return is computed.
pub const TWR_FORMULA: &str = "TWR = ∏(1 + r_d) − 1 over the period's days, r_d = (V_d + out_d) / (V_{d−1} + in_d) − 1: V_d the value at the close of day d, in_d the value that came in on day d (counted from the start of the day), out_d the value that went out (counted to its end).";
/// How the money-weighted return is computed.
pub const MWR_FORMULA: &str = "MWR: the rate r with Σ c_i (1 + r)^(−t_i / 365) = 0 (XIRR, actual/365), over the cash flows listed from the investor's side: the start value and each inflow negative, each outflow and the end value positive, t_i the days since the start; shown as the rate over the period, (1 + r)^(days / 365) − 1.";
/// How the gain and the simple return are computed.
pub const SIMPLE_FORMULA: &str =
    "Gain = V_end − V_start − inflows + outflows; simple return = gain / (V_start + inflows).";
/// How figures are annualised.
pub const ANNUALISED_FORMULA: &str =
    "Annualised = (1 + R)^(365 / days) − 1, only for periods longer than 365 days.";

/// Why a money-weighted return is missing.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum MwrError {
    /// The start or end value, or a flow, is unknown (a missing price).
    #[error("a value or flow in the period is unknown (a price or rate is missing)")]
    UnknownValues,
    /// The cash flows have no rate.
    #[error(transparent)]
    Xirr(#[from] XirrError),
}

/// Every return of one scope over one period, with what they were computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnFigure {
    /// What it covers.
    pub scope: Scope,
    /// The period asked for.
    pub period: Period,
    /// The close it starts from.
    pub start: NaiveDate,
    /// The close it ends at.
    pub end: NaiveDate,
    /// Days between them.
    pub days: i64,
    /// The period was shortened to the data or to the scope's first activity.
    pub clipped: bool,
    /// Value at the start (`None` when unknown).
    pub start_value: Option<f64>,
    /// Value at the end.
    pub end_value: Option<f64>,
    /// Value that came in during the period.
    pub inflows: Option<f64>,
    /// Value that went out.
    pub outflows: Option<f64>,
    /// `end − start − inflows + outflows`.
    pub absolute_gain: Option<f64>,
    /// Gain over `start + inflows` (`None` when nothing was invested).
    pub simple_return: Option<f64>,
    /// Time-weighted return over the period (`None` when the scope held nothing in it).
    pub twr: Option<f64>,
    /// Annualised, for periods longer than 365 days.
    pub twr_annualised: Option<f64>,
    /// Money-weighted return over the period (from its first cash flow to its end).
    pub mwr: Result<f64, MwrError>,
    /// Annualised, for periods longer than 365 days.
    pub mwr_annualised: Option<f64>,
    /// The XIRR solution (every rate found, sign changes).
    pub xirr: Option<Xirr>,
    /// The cash flows from the investor's side (start value, flows, end value).
    pub flows: Vec<CashFlow>,
    /// Days whose value or flows were unknown.
    pub unknown_days: Vec<NaiveDate>,
    /// Days whose time-weighted return was undefined (counted as 0).
    pub undefined_days: Vec<NaiveDate>,
}

impl ReturnFigure {
    /// The formulas behind the figure: (name, formula).
    pub fn formulas() -> [(&'static str, &'static str); 4] {
        [
            ("Time-weighted return", TWR_FORMULA),
            ("Money-weighted return", MWR_FORMULA),
            ("Gain and simple return", SIMPLE_FORMULA),
            ("Annualised", ANNUALISED_FORMULA),
        ]
    }
}

fn known(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// The figure of `series` over `window` (days of `timeline`).
fn compute(
    timeline: &Timeline,
    series: &ScopeSeries,
    period: Period,
    window: Window,
) -> ReturnFigure {
    let last = timeline.last_day();
    let mut s = timeline.day_of(window.start).unwrap_or(0);
    let e = timeline.day_of(window.end).unwrap_or(last);
    let mut clipped = window.clipped;
    if let Some(f) = series.first_day {
        if f > 0 && s < f - 1 && period != Period::SinceStart {
            clipped = true;
        }
        if f > 0 && s < f - 1 {
            s = (f - 1).min(e);
        }
    }
    let days = days_between(timeline.date(s), timeline.date(e));
    let v = &series.values;
    let (start_value, end_value) = (known(v[s]), known(v[e]));
    let mut flows = Vec::new();
    if let Some(sv) = start_value.filter(|v| *v != 0.0) {
        flows.push(CashFlow {
            date: timeline.date(s),
            amount: -sv,
        });
    }
    let (mut inflows, mut outflows) = (0.0, 0.0);
    for d in s + 1..=e {
        let (i, o) = (series.inflows[d], series.outflows[d]);
        inflows += i;
        outflows += o;
        if i != 0.0 && !i.is_nan() {
            flows.push(CashFlow {
                date: timeline.date(d),
                amount: -i,
            });
        }
        if o != 0.0 && !o.is_nan() {
            flows.push(CashFlow {
                date: timeline.date(d),
                amount: o,
            });
        }
    }
    if let Some(ev) = end_value.filter(|v| *v != 0.0) {
        flows.push(CashFlow {
            date: timeline.date(e),
            amount: ev,
        });
    }
    let (inflows, outflows) = (known(inflows), known(outflows));
    let absolute_gain = absolute_gain_of(start_value, end_value, inflows, outflows);
    let simple_return = absolute_gain.and_then(|g| {
        let invested = start_value? + inflows?;
        (invested > 0.0).then(|| g / invested)
    });
    // A scope with nothing in it over the whole window has no return (not 0 %).
    let active =
        (s..=e).any(|d| v[d] != 0.0 || series.inflows[d] != 0.0 || series.outflows[d] != 0.0);
    let twr = (e > s && active)
        .then(|| series.twr.between(s, e))
        .flatten();
    let long = days > 365;
    let solved = match (start_value, end_value, inflows, outflows) {
        (Some(_), Some(_), Some(_), Some(_)) => xirr(&flows).map_err(MwrError::from),
        _ => Err(MwrError::UnknownValues),
    };
    // The money-weighted rate is over the days money was invested: from the first flow
    // (the start value, or the first deposit into an empty scope) to the end.
    let mwr_days = flows
        .first()
        .map_or(days, |f| days_between(f.date, timeline.date(e)));
    let in_window = |list: &[u32]| -> Vec<NaiveDate> {
        list.iter()
            .map(|&d| d as usize)
            .filter(|d| *d > s && *d <= e)
            .map(|d| timeline.date(d))
            .collect()
    };
    ReturnFigure {
        scope: series.scope.clone(),
        period,
        start: timeline.date(s),
        end: timeline.date(e),
        days,
        clipped,
        start_value,
        end_value,
        inflows,
        outflows,
        absolute_gain,
        simple_return,
        twr,
        twr_annualised: twr.filter(|_| long).map(|r| annualise(r, days)),
        mwr: solved
            .as_ref()
            .map(|x| x.over_days(mwr_days))
            .map_err(|e| *e),
        mwr_annualised: solved
            .as_ref()
            .ok()
            .filter(|_| mwr_days > 365)
            .map(|x| x.rate),
        xirr: solved.ok(),
        flows,
        unknown_days: in_window(&series.twr.unknown),
        undefined_days: in_window(&series.twr.undefined),
    }
}

fn absolute_gain_of(
    start: Option<f64>,
    end: Option<f64>,
    inflows: Option<f64>,
    outflows: Option<f64>,
) -> Option<f64> {
    Some(end? - start? - inflows? + outflows?)
}

/// The figure of one scope over one period, valued up to `as_of` (the timeline's last day
/// when later).
pub fn figure(
    timeline: &Timeline,
    scope: &Scope,
    period: Period,
    as_of: NaiveDate,
) -> Option<Result<ReturnFigure, PeriodError>> {
    let series = timeline.series(scope)?;
    let last = timeline.date(timeline.last_day());
    Some(
        period
            .window(as_of.min(last), timeline.start, last)
            .map(|w| compute(timeline, series, period, w)),
    )
}

/// Every scope's figure for every period (scopes in the timeline's order, periods in the
/// order given); a period that has no window refuses the whole call.
pub fn figures(
    timeline: &Timeline,
    periods: &[Period],
    as_of: NaiveDate,
) -> Result<Vec<ReturnFigure>, PeriodError> {
    let last = timeline.date(timeline.last_day());
    let windows = periods
        .iter()
        .map(|p| {
            p.window(as_of.min(last), timeline.start, last)
                .map(|w| (*p, w))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(timeline
        .scopes
        .iter()
        .flat_map(|series| {
            windows
                .iter()
                .map(move |(p, w)| compute(timeline, series, *p, *w))
        })
        .collect())
}

//! Monthly and yearly time-weighted returns: the data of a calendar heatmap.
//!
//! A month's return is the scope's TWR from the close of the previous month's last day to
//! the close of the month's last day (`index[end] / index[start] − 1`); a year's likewise.
//! The first and last months (and years) of the data are partial: their returns run from
//! the first day or to the last day there is, and are marked.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_after;
use crate::domain::performance::timeline::{ScopeSeries, Timeline};

/// The return of one month or year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarReturn {
    /// The year.
    pub year: i32,
    /// The month (1–12); `None` for a year.
    pub month: Option<u32>,
    /// Time-weighted return over it.
    pub twr: f64,
    /// It does not cover the whole month or year.
    pub partial: bool,
    /// Some of its days had unknown values.
    pub unknown_days: usize,
}

/// Monthly and yearly returns of one scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarReturns {
    /// Months in order.
    pub months: Vec<CalendarReturn>,
    /// Years in order.
    pub years: Vec<CalendarReturn>,
}

/// The monthly and yearly returns of `series` from its first activity.
pub fn calendar_returns(timeline: &Timeline, series: &ScopeSeries) -> CalendarReturns {
    let mut out = CalendarReturns::default();
    let Some(first) = series.first_day else {
        return out;
    };
    let from = first.saturating_sub(1);
    let last = timeline.last_day();
    let index = &series.twr.index;
    let unknown = |s: usize, e: usize| {
        series
            .twr
            .unknown
            .iter()
            .filter(|&&d| (d as usize) > s && (d as usize) <= e)
            .count()
    };
    let date = |d: usize| timeline.date(d);
    let next_day = |d: usize| days_after(date(d), 1);
    let cell = |year: i32, month: Option<u32>, s: usize, e: usize, full: bool| CalendarReturn {
        year,
        month,
        twr: index[e] / index[s] - 1.0,
        partial: !full,
        unknown_days: unknown(s, e),
    };
    // `s` is the close before the month (or year), `d` its last day in the data.
    let (mut month_start, mut year_start) = (from, from);
    for d in from + 1..=last {
        let today: NaiveDate = date(d);
        let tomorrow = next_day(d);
        if tomorrow.month() != today.month() || d == last {
            let opened = next_day(month_start);
            let full = opened.day() == 1
                && opened.month() == today.month()
                && tomorrow.month() != today.month();
            out.months.push(cell(
                today.year(),
                Some(today.month()),
                month_start,
                d,
                full,
            ));
            month_start = d;
        }
        if tomorrow.year() != today.year() || d == last {
            let opened = next_day(year_start);
            let full = opened.ordinal() == 1
                && opened.year() == today.year()
                && tomorrow.year() != today.year();
            out.years
                .push(cell(today.year(), None, year_start, d, full));
            year_start = d;
        }
    }
    out
}

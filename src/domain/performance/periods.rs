//! The periods returns are shown for, and the dates they span.
//!
//! A period's return runs from the close of its start date to the close of its end date:
//! one month to a 31 May valuation starts at the close of 30 April, so the month's first
//! day of returns is 1 May. Months are calendar months (chrono's: 31 March minus one month
//! is the last day of February).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_before;

/// A span of time to show returns over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    /// The last month.
    OneMonth,
    /// The last three months.
    ThreeMonths,
    /// Since the close of the last day of the previous year.
    YearToDate,
    /// The last twelve months.
    OneYear,
    /// The last 36 months.
    ThreeYears,
    /// The last 60 months.
    FiveYears,
    /// Since before the first transaction.
    SinceStart,
    /// From the start of `from` to the end of `to` (both days included).
    Custom {
        /// First day of returns.
        from: NaiveDate,
        /// Last day of returns.
        to: NaiveDate,
    },
}

/// The standard periods, in display order.
pub const STANDARD_PERIODS: [Period; 7] = [
    Period::OneMonth,
    Period::ThreeMonths,
    Period::YearToDate,
    Period::OneYear,
    Period::ThreeYears,
    Period::FiveYears,
    Period::SinceStart,
];

/// The dates a period spans for one valuation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The close the period starts from.
    pub start: NaiveDate,
    /// The close it ends at.
    pub end: NaiveDate,
    /// The period reached back before the data (or the scope's first activity) and was
    /// shortened to it.
    pub clipped: bool,
}

/// Why a period has no window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PeriodError {
    /// A custom period ending before it starts.
    #[error("the period ends ({to}) before it starts ({from})")]
    Reversed {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// A period that ends before the data starts.
    #[error("the period ends on {end}, before the first valuation ({first})")]
    BeforeData {
        /// The period's end.
        end: NaiveDate,
        /// The first valuation day.
        first: NaiveDate,
    },
}

impl Period {
    /// Short label (`1M`, `3M`, `YTD`, `1Y`, `3Y`, `5Y`, `Since start`, `2024-01-01 – 2024-06-30`).
    pub fn label(&self) -> String {
        match self {
            Period::OneMonth => "1M".into(),
            Period::ThreeMonths => "3M".into(),
            Period::YearToDate => "YTD".into(),
            Period::OneYear => "1Y".into(),
            Period::ThreeYears => "3Y".into(),
            Period::FiveYears => "5Y".into(),
            Period::SinceStart => "Since start".into(),
            Period::Custom { from, to } => format!("{from} – {to}"),
        }
    }

    /// The window of this period for a valuation on `as_of`, when the data starts (value
    /// zero) at the close of `first` and ends at `last`. A period reaching before `first`
    /// starts there (marked clipped); one ending after `last` ends there (also marked).
    pub fn window(
        &self,
        as_of: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Window, PeriodError> {
        let end = match self {
            Period::Custom { from, to } if to < from => {
                return Err(PeriodError::Reversed {
                    from: *from,
                    to: *to,
                });
            }
            Period::Custom { to, .. } => *to,
            _ => as_of,
        };
        let months = |n: u32| {
            end.checked_sub_months(Months::new(n))
                .unwrap_or(NaiveDate::MIN)
        };
        let start = match self {
            Period::OneMonth => months(1),
            Period::ThreeMonths => months(3),
            Period::OneYear => months(12),
            Period::ThreeYears => months(36),
            Period::FiveYears => months(60),
            Period::YearToDate => {
                NaiveDate::from_ymd_opt(end.year() - 1, 12, 31).unwrap_or(NaiveDate::MIN)
            }
            Period::SinceStart => first,
            Period::Custom { from, .. } => days_before(*from, 1),
        };
        if end < first {
            return Err(PeriodError::BeforeData { end, first });
        }
        let clipped_end = end.min(last);
        Ok(Window {
            start: start.max(first).min(clipped_end),
            end: clipped_end,
            clipped: (start < first && *self != Period::SinceStart) || end > last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn standard_periods_end_at_the_valuation_date() {
        let (first, last) = (d(2015, 1, 1), d(2030, 1, 1));
        let as_of = d(2024, 3, 31);
        let start = |p: Period| p.window(as_of, first, last).unwrap().start;
        assert_eq!(
            start(Period::OneMonth),
            d(2024, 2, 29),
            "a month before 31 March"
        );
        assert_eq!(start(Period::ThreeMonths), d(2023, 12, 31));
        assert_eq!(start(Period::YearToDate), d(2023, 12, 31));
        assert_eq!(start(Period::OneYear), d(2023, 3, 31));
        assert_eq!(start(Period::ThreeYears), d(2021, 3, 31));
        assert_eq!(start(Period::FiveYears), d(2019, 3, 31));
        assert_eq!(start(Period::SinceStart), first);
        let custom = Period::Custom {
            from: d(2024, 1, 1),
            to: d(2024, 1, 31),
        };
        let w = custom.window(as_of, first, last).unwrap();
        assert_eq!(
            (w.start, w.end, w.clipped),
            (d(2023, 12, 31), d(2024, 1, 31), false)
        );
    }

    #[test]
    fn periods_longer_than_the_data_are_clipped() {
        let w = Period::FiveYears
            .window(d(2024, 3, 31), d(2023, 6, 1), d(2024, 3, 31))
            .unwrap();
        assert_eq!((w.start, w.clipped), (d(2023, 6, 1), true));
        let custom = Period::Custom {
            from: d(2024, 1, 1),
            to: d(2025, 1, 1),
        };
        let w = custom
            .window(d(2024, 3, 31), d(2023, 6, 1), d(2024, 3, 31))
            .unwrap();
        assert_eq!((w.end, w.clipped), (d(2024, 3, 31), true));
    }

    #[test]
    fn impossible_periods_are_refused() {
        let reversed = Period::Custom {
            from: d(2024, 2, 1),
            to: d(2024, 1, 1),
        };
        assert_eq!(
            reversed
                .window(d(2024, 3, 1), d(2020, 1, 1), d(2024, 3, 1))
                .unwrap_err()
                .to_string(),
            "the period ends (2024-01-01) before it starts (2024-02-01)"
        );
        let early = Period::Custom {
            from: d(2019, 1, 1),
            to: d(2019, 2, 1),
        };
        assert!(matches!(
            early.window(d(2024, 3, 1), d(2020, 1, 1), d(2024, 3, 1)),
            Err(PeriodError::BeforeData { .. })
        ));
    }
}

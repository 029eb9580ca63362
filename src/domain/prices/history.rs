//! Daily price history: one series per asset (stored as one record), and the import of
//! price-history CSVs (date, close) for assets no free provider covers.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::domain::calendar::date_text::deserialize_dated;
use crate::domain::calendar::parse_day;
use crate::domain::currency::Currency;
use crate::domain::import::text::{decode, sniff_delimiter};
use crate::domain::number::{parse_number, DecimalStyle};
use crate::domain::price_key::PriceKey;

/// `points` by ascending date, one per date, the last given for a date winning; points
/// already in that order are returned as they are.
pub fn in_date_order<D: Ord>(mut points: Vec<(D, f64)>) -> Vec<(D, f64)> {
    if points.windows(2).all(|w| w[0].0 < w[1].0) {
        return points;
    }
    // Stable sort keeps input order within a date, so the dedup keeps the last given.
    points.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(D, f64)> = Vec::with_capacity(points.len());
    for p in points {
        match out.last_mut() {
            Some(last) if last.0 == p.0 => *last = p,
            _ => out.push(p),
        }
    }
    out
}

/// Daily closes of one asset, sorted by date, one point per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailySeries {
    /// The asset.
    pub key: PriceKey,
    /// Currency of the closes.
    pub currency: Currency,
    /// `(date, close)`, ascending, unique dates.
    #[serde(deserialize_with = "deserialize_dated")]
    pub points: Vec<(NaiveDate, f64)>,
    /// Where it came from (provider label or "price CSV").
    pub source: String,
}

impl DailySeries {
    /// Builds a series from points in any order; the last point given for a date wins;
    /// closes that are not positive finite numbers are dropped.
    pub fn new(
        key: PriceKey,
        currency: Currency,
        source: &str,
        mut points: Vec<(NaiveDate, f64)>,
    ) -> DailySeries {
        points.retain(|(_, p)| p.is_finite() && *p > 0.0);
        DailySeries {
            key,
            currency,
            points: in_date_order(points),
            source: source.to_string(),
        }
    }

    /// The close on `date` or the last one before it.
    pub fn on(&self, date: NaiveDate) -> Option<f64> {
        let i = self.points.partition_point(|(d, _)| *d <= date);
        i.checked_sub(1).map(|i| self.points[i].1)
    }

    /// The most recent point.
    pub fn last(&self) -> Option<&(NaiveDate, f64)> {
        self.points.last()
    }
}

/// Why a price-history CSV was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryCsvError {
    /// No date or close column.
    #[error("“{0}” needs a date column and a close (or price) column.")]
    Columns(String),
    /// No usable rows.
    #[error("“{0}” has no row with a valid date and price.")]
    Empty(String),
}

/// A row of a price-history CSV that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRowProblem {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Why it was left out, naming the cell.
    pub reason: String,
}

/// Reads a price-history CSV: a date column (read by [`parse_day`]: `YYYY-MM-DD`,
/// `DD.MM.YYYY`, `DD/MM/YYYY`, or `MM/DD/YYYY` when the day is over 12) and a close column
/// (`close`, `adj close`, `price`, `last`, `schluss`, `cours`). Rows that cannot be read
/// are returned with their line and reason, not fatal; an impossible day (`31.02.2026`) is
/// one of them.
pub fn parse_history_csv(
    file_name: &str,
    bytes: Vec<u8>,
    key: PriceKey,
    currency: Currency,
) -> Result<(DailySeries, Vec<HistoryRowProblem>), HistoryCsvError> {
    use crate::domain::import::records::{Record, Records};
    use crate::domain::import::Columns;
    let (text, _) = decode(bytes);
    let mut records = Records::new(text.as_str(), sniff_delimiter(text.as_bytes()));
    let mut rec = Record::default();
    if !records.read(&mut rec) {
        return Err(HistoryCsvError::Empty(file_name.to_string()));
    }
    let cols = Columns::new(records.cells(&rec).iter());
    let date_col = cols.find(&["date", "datum", "day", "time", "timestamp", "datetime"]);
    let close_col = cols.find(&[
        "close",
        "adj close",
        "adjusted close",
        "price",
        "last",
        "schluss",
        "schlusskurs",
        "cours",
        "kurs",
        "value",
    ]);
    let (Some(dc), Some(cc)) = (date_col, close_col) else {
        return Err(HistoryCsvError::Columns(file_name.to_string()));
    };
    let mut points = Vec::new();
    let mut problems = Vec::new();
    while records.read(&mut rec) {
        let r = records.cells(&rec);
        let date = parse_day(r.get(dc).unwrap_or("")).map_err(|e| e.to_string());
        let close_cell = r.get(cc).unwrap_or("");
        let close = match parse_number(close_cell, DecimalStyle::Auto) {
            Ok(Some(c)) if c > 0.0 && c.is_finite() => Ok(c),
            _ => Err(format!("“{}” is not a positive price", close_cell.trim())),
        };
        match (date, close) {
            (Ok(d), Ok(c)) => points.push((d, c)),
            (Err(why), _) | (_, Err(why)) => problems.push(HistoryRowProblem {
                line: line_of(records.text(), rec.start()),
                reason: why,
            }),
        }
    }
    if points.is_empty() {
        return Err(HistoryCsvError::Empty(file_name.to_string()));
    }
    Ok((
        DailySeries::new(key, currency, "price CSV", points),
        problems,
    ))
}

/// 1-based line of the byte at `at`.
fn line_of(text: &str, at: usize) -> u64 {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::calendar::parse_iso_day(s).unwrap()
    }

    #[test]
    fn series_dedups_sorts_and_looks_up_the_last_close() {
        let s = DailySeries::new(
            PriceKey::crypto("K"),
            Currency::USD,
            "t",
            vec![
                (day("2024-01-03"), 3.0),
                (day("2024-01-01"), 1.0),
                (day("2024-01-03"), 4.0),
                (day("2024-01-02"), f64::NAN),
            ],
        );
        assert_eq!(
            s.points,
            vec![(day("2024-01-01"), 1.0), (day("2024-01-03"), 4.0)]
        );
        assert_eq!(s.on(day("2024-01-02")), Some(1.0));
        assert_eq!(s.on(day("2023-12-31")), None);
    }

    #[test]
    fn imports_price_history_csvs() {
        let csv = "Datum;Schluss\n02.01.2025;101,5\n03.01.2025;102,25\nbad;row\n";
        let key = PriceKey::listed("IWDA", Some("XAMS"));
        let (s, problems) =
            parse_history_csv("iwda.csv", csv.as_bytes().to_vec(), key, Currency::EUR).unwrap();
        assert_eq!(
            s.points,
            vec![(day("2025-01-02"), 101.5), (day("2025-01-03"), 102.25)]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 4);
        let err = parse_history_csv(
            "x.csv",
            b"a,b\n1,2\n".to_vec(),
            PriceKey::crypto("K"),
            Currency::EUR,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "“x.csv” needs a date column and a close (or price) column."
        );
    }

    #[test]
    fn an_impossible_day_is_refused_with_its_row_not_moved_to_march() {
        let csv = "Date,Close\n27.02.2026,10\n31.02.2026,11\n02.03.2026,12\n";
        let (s, problems) = parse_history_csv(
            "p.csv",
            csv.as_bytes().to_vec(),
            PriceKey::crypto("X"),
            Currency::EUR,
        )
        .unwrap();
        assert_eq!(
            s.points,
            vec![(day("2026-02-27"), 10.0), (day("2026-03-02"), 12.0)],
            "the 31 February row is not stored"
        );
        assert_eq!(
            problems,
            vec![HistoryRowProblem {
                line: 3,
                reason: "“31.02.2026” is not a day of the calendar".into()
            }]
        );
    }

    #[test]
    fn series_keep_their_stored_bytes() {
        let s = DailySeries::new(
            PriceKey::crypto("BTC"),
            Currency::USD,
            "CoinGecko",
            vec![(day("2026-01-02"), 1.5)],
        );
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"key":"crypto:BTC","currency":"USD","points":[["2026-01-02",1.5]],"source":"CoinGecko"}"#
        );
        assert_eq!(serde_json::from_str::<DailySeries>(&json).unwrap(), s);
    }
}

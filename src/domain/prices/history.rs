//! Daily price history: one series per asset (stored as one record), and the import of
//! price-history CSVs (date, close) for assets no free provider covers.

use serde::{Deserialize, Serialize};

use crate::domain::import::text::{decode, sniff_delimiter};
use crate::domain::number::{parse_number, DecimalStyle};

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailySeries {
    /// Price key of the asset.
    pub key: String,
    /// Currency of the closes.
    pub currency: String,
    /// `(YYYY-MM-DD, close)`, ascending, unique dates.
    pub points: Vec<(String, f64)>,
    /// Where it came from (provider label or "price CSV").
    pub source: String,
}

impl DailySeries {
    /// Builds a series from points in any order; the last point given for a date wins.
    pub fn new(
        key: &str,
        currency: &str,
        source: &str,
        mut points: Vec<(String, f64)>,
    ) -> DailySeries {
        points.retain(|(_, p)| p.is_finite() && *p > 0.0);
        DailySeries {
            key: key.to_string(),
            currency: currency.to_string(),
            points: in_date_order(points),
            source: source.to_string(),
        }
    }

    /// The close on `date` or the last one before it.
    pub fn on(&self, date: &str) -> Option<f64> {
        let i = self.points.partition_point(|(d, _)| d.as_str() <= date);
        i.checked_sub(1).map(|i| self.points[i].1)
    }

    /// The most recent point.
    pub fn last(&self) -> Option<&(String, f64)> {
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

/// Reads a price-history CSV: a date column (`YYYY-MM-DD`, `DD.MM.YYYY`, `DD/MM/YYYY` or
/// `MM/DD/YYYY` when the day is over 12) and a close column (`close`, `adj close`, `price`,
/// `last`, `schluss`, `cours`). Rows that cannot be read are counted, not fatal.
pub fn parse_history_csv(
    file_name: &str,
    bytes: Vec<u8>,
    key: &str,
    currency: &str,
) -> Result<(DailySeries, usize), HistoryCsvError> {
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
    let mut bad = 0;
    while records.read(&mut rec) {
        let r = records.cells(&rec);
        let date = r.get(dc).and_then(parse_date);
        let close = r
            .get(cc)
            .and_then(|c| parse_number(c, DecimalStyle::Auto).ok().flatten());
        match (date, close) {
            (Some(d), Some(c)) if c > 0.0 => points.push((d, c)),
            _ => bad += 1,
        }
    }
    if points.is_empty() {
        return Err(HistoryCsvError::Empty(file_name.to_string()));
    }
    Ok((DailySeries::new(key, currency, "price CSV", points), bad))
}

/// Parses a date cell into `YYYY-MM-DD` (a time part after the date is ignored).
pub fn parse_date(cell: &str) -> Option<String> {
    let s = cell.trim().trim_matches('"');
    let day = s.split([' ', 'T']).next()?;
    let parts: Vec<&str> = day.split(['-', '.', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        // Day first unless the second part cannot be a month (US M/D/YYYY).
        if day.contains('/') && n[1] > 12 {
            (n[2], n[0], n[1])
        } else {
            (n[2], n[1], n[0])
        }
    } else {
        return None;
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1900..=2200).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian calendar).
pub fn day_of_date(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date[..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days-from-civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Unix time in milliseconds of an ISO date's midnight (UTC).
pub fn ms_of_date(date: &str) -> Option<f64> {
    day_of_date(date).map(|d| d as f64 * 86_400_000.0)
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn date_of_day(day: i64) -> String {
    date_of_ms(day as f64 * 86_400_000.0)
}

/// `YYYY-MM-DD` of a Unix time in milliseconds (UTC).
pub fn date_of_ms(ms: f64) -> String {
    let days = (ms / 86_400_000.0).floor() as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_to_day_numbers_and_back() {
        assert_eq!(ms_of_date("2026-05-01"), Some(1_777_593_600_000.0));
        assert_eq!(day_of_date("1970-01-01"), Some(0));
        for date in ["1969-12-31", "2024-02-29", "2026-03-01", "2100-12-31"] {
            assert_eq!(date_of_day(day_of_date(date).unwrap()), date);
        }
        for bad in ["2026-13-01", "2026-1-01", "01.02.2026", "2026-05-00"] {
            assert_eq!(day_of_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_dates_in_common_styles() {
        assert_eq!(parse_date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(
            parse_date("05.03.2024 10:00:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("05/03/2024").as_deref(), Some("2024-03-05"));
        assert_eq!(parse_date("3/25/2024").as_deref(), Some("2024-03-25"));
        assert_eq!(
            parse_date("2024-03-05T00:00:00Z").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2024-13-01"), None);
    }

    #[test]
    fn formats_unix_days() {
        assert_eq!(date_of_ms(0.0), "1970-01-01");
        assert_eq!(date_of_ms(1_735_776_000_000.0), "2025-01-02");
        assert_eq!(date_of_ms(951_782_400_000.0), "2000-02-29");
    }

    #[test]
    fn series_dedups_sorts_and_looks_up_the_last_close() {
        let s = DailySeries::new(
            "k",
            "USD",
            "t",
            vec![
                ("2024-01-03".into(), 3.0),
                ("2024-01-01".into(), 1.0),
                ("2024-01-03".into(), 4.0),
                ("2024-01-02".into(), f64::NAN),
            ],
        );
        assert_eq!(
            s.points,
            vec![
                ("2024-01-01".to_string(), 1.0),
                ("2024-01-03".to_string(), 4.0)
            ]
        );
        assert_eq!(s.on("2024-01-02"), Some(1.0));
        assert_eq!(s.on("2023-12-31"), None);
    }

    #[test]
    fn imports_price_history_csvs() {
        let csv = "Datum;Schluss\n02.01.2025;101,5\n03.01.2025;102,25\nbad;row\n";
        let (s, bad) = parse_history_csv(
            "iwda.csv",
            csv.as_bytes().to_vec(),
            "listed:IWDA@XAMS",
            "EUR",
        )
        .unwrap();
        assert_eq!(
            s.points,
            vec![
                ("2025-01-02".to_string(), 101.5),
                ("2025-01-03".to_string(), 102.25)
            ]
        );
        assert_eq!(bad, 1);
        let err = parse_history_csv("x.csv", b"a,b\n1,2\n".to_vec(), "k", "EUR").unwrap_err();
        assert_eq!(
            err.to_string(),
            "“x.csv” needs a date column and a close (or price) column."
        );
    }
}

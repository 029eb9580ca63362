//! Dates and instants. A calendar day is a [`chrono::NaiveDate`] (stored and exported as
//! `YYYY-MM-DD`); an instant is a [`Timestamp`] (milliseconds since the Unix epoch, UTC).
//! Date arithmetic is chrono's; no day number is computed by hand.

pub mod date_text;

use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// An instant: whole milliseconds since 1970-01-01T00:00:00Z.
///
/// Stored as a number (records written when instants were `f64` milliseconds read back
/// unchanged; a fraction of a millisecond is rounded away).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// The instant of a JavaScript time value (`Date.now()`, `performance.timeOrigin`);
    /// `None` for NaN or infinity.
    pub fn from_js(ms: f64) -> Option<Timestamp> {
        ms.is_finite().then(|| Timestamp(ms.round() as i64))
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Milliseconds since the epoch as a JavaScript time value.
    pub fn as_js(self) -> f64 {
        self.0 as f64
    }

    /// Midnight (UTC) at the start of `date`.
    pub fn start_of(date: NaiveDate) -> Timestamp {
        Timestamp(date.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
    }

    /// The instant of a date and time read as UTC.
    pub fn of_utc(at: NaiveDateTime) -> Timestamp {
        Timestamp(at.and_utc().timestamp_millis())
    }

    /// The calendar day (UTC) this instant falls on.
    pub fn date(self) -> NaiveDate {
        self.date_time().date()
    }

    /// The date and time (UTC).
    pub fn date_time(self) -> NaiveDateTime {
        DateTime::from_timestamp_millis(self.0)
            .unwrap_or(DateTime::UNIX_EPOCH)
            .naive_utc()
    }

    /// Milliseconds from `earlier` to this instant (negative when `earlier` is later).
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0 - earlier.0
    }

    /// Minutes from `earlier` to this instant.
    pub fn minutes_since(self, earlier: Timestamp) -> f64 {
        self.millis_since(earlier) as f64 / 60_000.0
    }

    /// To the minute, in UTC, for a document's "generated" line: `2026-12-01 21:34 UTC`.
    pub fn minute_label(self) -> String {
        let t = self.date_time();
        format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
    }

    /// This instant moved by `ms` milliseconds.
    pub fn plus_millis(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 in UTC, to the second: `2026-12-01T21:34:19Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written field by field: chrono's `format` brings its format-string engine into
        // the first page's module.
        let t = self.date_time();
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            t.date(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        struct Millis;
        impl serde::de::Visitor<'_> for Millis {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("milliseconds since the Unix epoch")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(Timestamp)
                    .map_err(|_| E::custom("instant out of range"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Timestamp::from_js(v).ok_or_else(|| E::custom("instant is not a finite number"))
            }
        }
        d.deserialize_any(Millis)
    }
}

/// Why a date cell was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a date in any style Folio reads.
    #[error("“{0}” is not a date (expected e.g. 2026-03-31, 31.03.2026 or 03/31/2026)")]
    Unreadable(String),
    /// Shaped like a date, but no such day exists.
    #[error("“{0}” is not a day of the calendar")]
    NoSuchDay(String),
}

/// Reads a date cell in the styles exports use: `YYYY-MM-DD` (also with `/` or `.`),
/// `DD.MM.YYYY`, `DD/MM/YYYY`, `DD-MM-YYYY`, or `MM/DD/YYYY` when the middle part cannot
/// be a month; a time after the date (`T…` or ` …`) is ignored. Impossible days
/// (`31.02.2026`) are refused, not moved to the next month.
pub fn parse_day(cell: &str) -> Result<NaiveDate, DateError> {
    let s = cell.trim().trim_matches('"');
    let unreadable = || DateError::Unreadable(s.to_string());
    let day = s.split([' ', 'T']).next().ok_or_else(unreadable)?;
    let parts: Vec<&str> = day.split(['-', '.', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unreadable());
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
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
        return Err(unreadable());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
        return Err(unreadable());
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| DateError::NoSuchDay(s.to_string()))
}

/// Reads an ISO date `YYYY-MM-DD` exactly (the stored form); `None` for any other text or
/// a day the calendar does not have. Digits are read by hand rather than through chrono's
/// format-string parser, which the first page's module would otherwise carry.
pub fn parse_iso_day(s: &str) -> Option<NaiveDate> {
    (s.len() == 10)
        .then(|| date_text::parse_date(s).ok())
        .flatten()
}

/// `date` moved back by `days` calendar days (saturating at chrono's earliest date).
pub fn days_before(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// `date` moved forward by `days` calendar days (saturating at chrono's latest date).
pub fn days_after(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Whether `date` falls on a Saturday or a Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    date.weekday().number_from_monday() >= 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_dates_in_the_styles_exports_use() {
        assert_eq!(parse_day("2024-03-05"), Ok(ymd(2024, 3, 5)));
        assert_eq!(parse_day("05.03.2024 10:00:00"), Ok(ymd(2024, 3, 5)));
        assert_eq!(parse_day("05/03/2024"), Ok(ymd(2024, 3, 5)));
        assert_eq!(parse_day("3/25/2024"), Ok(ymd(2024, 3, 25)));
        assert_eq!(parse_day("2024-03-05T00:00:00Z"), Ok(ymd(2024, 3, 5)));
        assert_eq!(parse_day(" \"2024/03/05\" "), Ok(ymd(2024, 3, 5)));
        assert_eq!(parse_day("29.02.2024"), Ok(ymd(2024, 2, 29)));
    }

    #[test]
    fn refuses_impossible_days_instead_of_moving_them() {
        assert_eq!(
            parse_day("31.02.2026"),
            Err(DateError::NoSuchDay("31.02.2026".into()))
        );
        assert_eq!(
            parse_day("29.02.2025").unwrap_err().to_string(),
            "“29.02.2025” is not a day of the calendar"
        );
        assert!(matches!(
            parse_day("2024-13-01"),
            Err(DateError::Unreadable(_))
        ));
        assert!(matches!(
            parse_day("yesterday"),
            Err(DateError::Unreadable(_))
        ));
        assert!(matches!(parse_day("1.2.3"), Err(DateError::Unreadable(_))));
    }

    #[test]
    fn iso_dates_are_read_exactly() {
        assert_eq!(parse_iso_day("2026-05-01"), Some(ymd(2026, 5, 1)));
        for bad in [
            "2026-13-01",
            "2026-1-01",
            "01.02.2026",
            "2026-05-00",
            "2026-02-31",
        ] {
            assert_eq!(parse_iso_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_and_days() {
        let t = Timestamp::start_of(ymd(2026, 5, 1));
        assert_eq!(t.millis(), 1_777_593_600_000);
        assert_eq!(t.date(), ymd(2026, 5, 1));
        assert_eq!(t.plus_millis(DAY_MS - 1).date(), ymd(2026, 5, 1));
        assert_eq!(t.plus_millis(-1).date(), ymd(2026, 4, 30));
        assert_eq!(Timestamp::from_millis(0).date(), ymd(1970, 1, 1));
        assert_eq!(t.to_string(), "2026-05-01T00:00:00Z");
        assert_eq!(t.plus_millis(90_000).minute_label(), "2026-05-01 00:01 UTC");
        assert_eq!(Timestamp::from_js(f64::NAN), None);
        assert_eq!(
            t.plus_millis(90_000).minutes_since(t),
            1.5,
            "minutes between instants"
        );
    }

    #[test]
    fn instants_read_back_from_numbers_written_as_floats() {
        let t: Timestamp = serde_json::from_str("1777593600000.0").unwrap();
        assert_eq!(t.millis(), 1_777_593_600_000);
        let t: Timestamp = serde_json::from_str("1777593600000").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "1777593600000");
        assert!(serde_json::from_str::<Timestamp>("\"soon\"").is_err());
    }

    #[test]
    fn date_arithmetic_is_the_calendar_s() {
        assert_eq!(days_before(ymd(2026, 3, 1), 1), ymd(2026, 2, 28));
        assert_eq!(days_before(ymd(2024, 3, 1), 1), ymd(2024, 2, 29));
        assert_eq!(days_before(ymd(2026, 1, 1), 365), ymd(2025, 1, 1));
        assert_eq!(days_after(ymd(2024, 2, 28), 2), ymd(2024, 3, 1));
        assert_eq!(days_between(ymd(2024, 1, 1), ymd(2025, 1, 1)), 366);
        assert!(is_weekend(ymd(2026, 11, 28)));
        assert!(!is_weekend(ymd(2026, 11, 30)));
        let stored = serde_json::to_string(&ymd(2026, 2, 3)).unwrap();
        assert_eq!(stored, "\"2026-02-03\"", "dates keep their stored bytes");
    }
}

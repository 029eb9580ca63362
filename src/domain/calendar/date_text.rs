//! Days as chrono writes them (`2024-03-05`), read back exactly as chrono's
//! `NaiveDate::from_str` and its serde implementation read them (the same days, the same
//! errors), without chrono's general format engine: reading a stored day is all the first
//! page's module needs of it.
//!
//! chrono's reading: an optional run of spaces before each part and at the end; the year as
//! up to four digits, or any number of digits after a `+` or `-`; month and day as one or two
//! digits; a `-` between them; then the day must exist.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// Why a text is not a day (the kinds chrono's reading can give, with its words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateTextError {
    /// A part is out of its range, or the day does not exist (`2023-02-29`).
    #[error("input is out of range")]
    OutOfRange,
    /// A character where a digit or a `-` must be.
    #[error("input contains invalid characters")]
    Invalid,
    /// The text ends before the day does.
    #[error("premature end of input")]
    TooShort,
    /// Something follows the day.
    #[error("trailing input")]
    TooLong,
}

use DateTextError::{Invalid, OutOfRange, TooLong, TooShort};

/// Reads `text` as `text.parse::<NaiveDate>()` does.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateTextError> {
    let s = text.trim_start();
    let (s, year) = if let Some(rest) = s.strip_prefix('-') {
        let (s, v) = number(rest, usize::MAX)?;
        (s, -v)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let year = i32::try_from(year).map_err(|_| OutOfRange)?;
    let (s, month) = number(dash(s)?.trim_start(), 2)?;
    if !(1..=12).contains(&month) {
        return Err(OutOfRange);
    }
    let (s, day) = number(dash(s)?.trim_start(), 2)?;
    if !(1..=31).contains(&day) {
        return Err(OutOfRange);
    }
    if !s.trim_start().is_empty() {
        return Err(TooLong);
    }
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).ok_or(OutOfRange)
}

/// The text after the `-` that must start `s` (spaces before it allowed).
fn dash(s: &str) -> Result<&str, DateTextError> {
    let s = s.trim_start();
    match s.strip_prefix('-') {
        Some(rest) => Ok(rest),
        None if s.is_empty() => Err(TooShort),
        None => Err(Invalid),
    }
}

/// At least one and at most `max` ASCII digits at the start of `s`: the rest and the number.
fn number(s: &str, max: usize) -> Result<(&str, i64), DateTextError> {
    if s.is_empty() {
        return Err(TooShort);
    }
    let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(Invalid);
    }
    let mut n = 0i64;
    for b in s[..digits].bytes() {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(b - b'0')))
            .ok_or(OutOfRange)?;
    }
    Ok((&s[digits..], n))
}

/// A day read through [`parse_date`] with chrono's serde wording.
struct Day(NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        struct DayVisitor;
        impl Visitor<'_> for DayVisitor {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a formatted date string")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Day, E> {
                parse_date(v).map(Day).map_err(E::custom)
            }
        }
        d.deserialize_str(DayVisitor)
    }
}

/// Reads a stored day as chrono's `Deserialize` does (`#[serde(deserialize_with)]`).
pub fn deserialize_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    Day::deserialize(d).map(|day| day.0)
}

/// Reads stored `(day, value)` pairs as chrono's `Deserialize` reads their days.
pub fn deserialize_dated<'de, D, V>(d: D) -> Result<Vec<(NaiveDate, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let pairs = Vec::<(Day, V)>::deserialize(d)?;
    Ok(pairs.into_iter().map(|(day, v)| (day.0, v)).collect())
}

/// Reads a stored map keyed by day as chrono's `Deserialize` reads its keys (a day given
/// twice keeps its last value, as serde's map reading does).
pub fn deserialize_date_map<'de, D, V>(d: D) -> Result<BTreeMap<NaiveDate, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct MapVisitor<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
        type Value = BTreeMap<NaiveDate, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((Day(day), v)) = map.next_entry()? {
                out.insert(day, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(MapVisitor(PhantomData))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono(text: &str) -> Result<NaiveDate, String> {
        text.parse::<NaiveDate>().map_err(|e| e.to_string())
    }

    fn ours(text: &str) -> Result<NaiveDate, String> {
        parse_date(text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_what_chrono_writes_and_refuses_what_it_refuses() {
        for text in [
            "2024-03-05",
            "0000-01-01",
            "-0001-12-31",
            "+12345-06-07",
            " 2024 - 3 - 5 ",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "20240-01-01",
            "2024-01",
            "2024-01-",
            "2024/01/01",
            "2024-01-01T00:00",
            "",
            "-",
            "+99999999999-01-01",
            "99999999999999999999-1-1",
            "2024-1-5",
            "२०२४-01-01",
        ] {
            assert_eq!(ours(text), chrono(text), "{text:?}");
        }
        // By hand: 2024-02-30 does not exist; 13 is no month; a fifth year digit is trailing
        // text where a `-` must be.
        assert_eq!(ours("2024-02-30"), Err("input is out of range".into()));
        assert_eq!(ours("2024-13-01"), Err("input is out of range".into()));
        assert_eq!(
            ours("20240-01-01"),
            Err("input contains invalid characters".into())
        );
        assert_eq!(ours("2024-01"), Err("premature end of input".into()));
        assert_eq!(ours("2024-01-01x"), Err("trailing input".into()));
    }

    #[test]
    fn serde_reads_days_as_chrono_does() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Stored {
            #[serde(deserialize_with = "deserialize_date")]
            day: NaiveDate,
            #[serde(deserialize_with = "deserialize_dated")]
            points: Vec<(NaiveDate, f64)>,
            #[serde(deserialize_with = "deserialize_date_map")]
            days: BTreeMap<NaiveDate, u8>,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Chrono {
            day: NaiveDate,
            points: Vec<(NaiveDate, f64)>,
            days: BTreeMap<NaiveDate, u8>,
        }
        let json = r#"{"day": "2024-03-05", "points": [["2024-03-04", 1.5]], "days": {"2024-01-02": 1, "2024-01-01": 2}}"#;
        let ours: Stored = serde_json::from_str(json).unwrap();
        let theirs: Chrono = serde_json::from_str(json).unwrap();
        assert_eq!(
            (ours.day, ours.points, ours.days),
            (theirs.day, theirs.points, theirs.days)
        );
        for bad in [
            r#"{"day": "2024-02-30", "points": [], "days": {}}"#,
            r#"{"day": 5, "points": [], "days": {}}"#,
            r#"{"day": "2024-01-01", "points": [["x", 1.0]], "days": {}}"#,
            r#"{"day": "2024-01-01", "points": [], "days": {"2024-1-1x": 1}}"#,
        ] {
            let ours = serde_json::from_str::<Stored>(bad).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Chrono>(bad).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_text_reads_as_chrono_reads_it(text in "[ +\\-0-9]{0,6}[\\- ]{0,2}[0-9 ]{0,3}[\\- ]{0,2}[0-9 ]{0,3}[ x]{0,2}") {
            prop_assert_eq!(ours(&text), chrono(&text));
        }

        #[test]
        fn every_day_reads_back(days in -1_000_000i32..1_000_000) {
            let day = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(parse_date(&day.to_string()), Ok(day));
        }
    }
}

//! Dates and times as transaction exports write them, read into UTC instants.
//!
//! One reader for every style seen in the exports Folio knows: ISO (`2024-11-02 08:39:43.3077`,
//! `2023-04-20T04:05:40Z`, `2021-08-06T00:00:00.000000Z`, `2025-01-17 16:57:02 UTC`,
//! `…+02:00`), day first with dots or dashes (`18.01.2025 15:18:55`, `16-09-2021`), slashes
//! in the order the format says (CoinTracking's US `5/9/2017 21:14`, Ghostfolio's
//! `17/11/2021`), month names in English, French, Dutch and German (`02-Apr-2025`,
//! `16-jan-2025`, `10-sept.-2025`, `May 5, 2020, 10:10:57 PM`) and `yyyyMMdd`. Fractions of a
//! second are kept to the millisecond. A time written with its offset or `Z`/`UTC` is
//! converted with it; a time without one is local to the place the format says, which the
//! caller passes as a [`Zone`]. The calendar is chrono's, the time-zone rules chrono-tz's.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{DateError, Timestamp};

/// How a date written with slashes and the year last is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateOrder {
    /// Decided by the cell: day first, unless the middle part cannot be a month.
    #[default]
    Auto,
    /// `dd/mm/yyyy` (and `dd.mm.yyyy`, `dd-mm-yyyy`).
    DayFirst,
    /// `mm/dd/yyyy` (US); dots and dashes stay day first.
    MonthFirst,
}

/// The time zone of times written without an offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// UTC (what most exchanges write).
    Utc,
    /// A fixed offset east of UTC, in minutes.
    Offset(i32),
    /// An IANA zone, with its daylight-saving rules.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The IANA zone named `name` (`Europe/Amsterdam`), `UTC` included; `None` when unknown.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("gmt") {
            return Some(Zone::Utc);
        }
        name.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The instant of the local date and time `at`. A time skipped by a daylight-saving
    /// change is read with the offset before the change; a repeated one is its first
    /// occurrence.
    pub fn instant(self, at: NaiveDateTime) -> Timestamp {
        match self {
            Zone::Utc => Timestamp::of_utc(at),
            Zone::Offset(minutes) => match FixedOffset::east_opt(minutes * 60) {
                Some(offset) => offset_instant(at, offset),
                None => Timestamp::of_utc(at),
            },
            Zone::Named(tz) => match tz.from_local_datetime(&at).earliest() {
                Some(t) => Timestamp::from_millis(t.timestamp_millis()),
                None => {
                    // In a gap: the offset in force just before it.
                    let before = at - chrono::Duration::hours(3);
                    let offset = tz
                        .from_local_datetime(&before)
                        .earliest()
                        .map(|t| t.offset().fix())
                        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
                    offset_instant(at, offset)
                }
            },
        }
    }
}

fn offset_instant(at: NaiveDateTime, offset: FixedOffset) -> Timestamp {
    match offset.from_local_datetime(&at).single() {
        Some(t) => Timestamp::from_millis(t.timestamp_millis()),
        None => Timestamp::of_utc(at),
    }
}

/// A date and time read from a cell, with the offset the cell wrote (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The date and time as written.
    pub at: NaiveDateTime,
    /// The offset the cell gave (`Z`, `UTC`, `+02:00`), in minutes east of UTC.
    pub offset_minutes: Option<i32>,
}

impl Written {
    /// The instant: with the cell's own offset, else in `zone`.
    pub fn instant(self, zone: Zone) -> Timestamp {
        match self.offset_minutes {
            Some(m) => Zone::Offset(m).instant(self.at),
            None => zone.instant(self.at),
        }
    }
}

/// Reads a date, with an optional time after it, in any style listed in the module docs.
pub fn read_date_time(cell: &str, order: DateOrder) -> Result<Written, DateError> {
    let s = cell.trim().trim_matches('"').trim();
    let unreadable = || DateError::Unreadable(s.to_string());
    if s.is_empty() {
        return Err(unreadable());
    }
    let (date, rest) = split_date(s, order)?;
    let (time, offset) = read_time(rest).ok_or_else(unreadable)?;
    Ok(Written {
        at: date.and_time(time),
        offset_minutes: offset,
    })
}

/// Reads the date part; returns it and what follows it.
fn split_date(s: &str, order: DateOrder) -> Result<(NaiveDate, &str), DateError> {
    let unreadable = || DateError::Unreadable(s.to_string());
    let no_day = || DateError::NoSuchDay(s.to_string());
    let day = |y: i64, m: i64, d: i64| -> Result<NaiveDate, DateError> {
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=2200).contains(&y) {
            return Err(unreadable());
        }
        NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or_else(no_day)
    };
    // A month name first: `May 5, 2020, 10:10:57 PM`.
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        let (name, rest) = s.split_at(s.find([' ', '.', '-']).unwrap_or(s.len()));
        let month = month_number(name).ok_or_else(unreadable)?;
        let rest = rest.trim_start_matches(['.', ' ', '-']);
        let (d, rest) = leading_number(rest).ok_or_else(unreadable)?;
        let rest = rest.trim_start_matches([',', ' ']);
        let (y, rest) = leading_number(rest).ok_or_else(unreadable)?;
        return Ok((day(y.0, month, d.0)?, rest.trim_start_matches([',', ' '])));
    }
    let (a, rest) = leading_number(s).ok_or_else(unreadable)?;
    // yyyyMMdd
    if a.1 == 8 {
        let v = a.0;
        return Ok((day(v / 10_000, v / 100 % 100, v % 100)?, rest));
    }
    let sep = rest.chars().next().ok_or_else(unreadable)?;
    if !matches!(sep, '-' | '.' | '/') {
        return Err(unreadable());
    }
    let rest = &rest[1..];
    // A month name in the middle: `02-Apr-2025`, `16-jan-2025`, `10-sept.-2025`.
    if rest.as_bytes().first().is_some_and(|b| !b.is_ascii_digit()) {
        let end = rest
            .find(|c: char| c == sep || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let month = month_number(&rest[..end]).ok_or_else(unreadable)?;
        let rest = rest[end..].trim_start_matches(sep);
        let (y, rest) = leading_number(rest).ok_or_else(unreadable)?;
        if y.1 != 4 {
            return Err(unreadable());
        }
        return Ok((day(y.0, month, a.0)?, rest));
    }
    let (b, rest) = leading_number(rest).ok_or_else(unreadable)?;
    let rest = rest.strip_prefix(sep).ok_or_else(unreadable)?;
    let (c, rest) = leading_number(rest).ok_or_else(unreadable)?;
    let date = if a.1 == 4 {
        day(a.0, b.0, c.0)?
    } else if c.1 == 4 && a.1 <= 2 && b.1 <= 2 {
        let month_first = sep == '/'
            && match order {
                DateOrder::MonthFirst => true,
                DateOrder::DayFirst => false,
                DateOrder::Auto => b.0 > 12,
            };
        if month_first {
            day(c.0, a.0, b.0)?
        } else {
            day(c.0, b.0, a.0)?
        }
    } else {
        return Err(unreadable());
    };
    Ok((date, rest))
}

/// A leading run of ASCII digits: (value, number of digits) and the rest.
fn leading_number(s: &str) -> Option<((i64, usize), &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 9 {
        return None;
    }
    Some(((s[..n].parse().ok()?, n), &s[n..]))
}

/// Month names and abbreviations in English, French, Dutch and German.
fn month_number(name: &str) -> Option<i64> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    let n = n.as_str();
    const MONTHS: [&[&str]; 12] = [
        &[
            "jan", "january", "janv", "janvier", "januari", "januar", "jän",
        ],
        &[
            "feb", "february", "févr", "fevr", "février", "fevrier", "februari", "februar", "fév",
            "fev",
        ],
        &[
            "mar", "march", "mars", "mrt", "maart", "mär", "märz", "maerz",
        ],
        &["apr", "april", "avr", "avril"],
        &["may", "mai", "mei"],
        &["jun", "june", "juin", "juni"],
        &["jul", "july", "juil", "juillet", "juli"],
        &["aug", "august", "août", "aout", "aoû", "augustus"],
        &["sep", "sept", "september", "septembre"],
        &["oct", "october", "octobre", "okt", "oktober"],
        &["nov", "november", "novembre"],
        &[
            "dec",
            "december",
            "déc",
            "décembre",
            "decembre",
            "dez",
            "dezember",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&n))
        .map(|i| i as i64 + 1)
}

/// Reads what follows a date: nothing (midnight), or a time (`T` or spaces before it) with
/// optional seconds, fraction, `AM`/`PM`, and an offset (`Z`, `UTC`, `GMT`, `+02:00`,
/// `+0200`). `None` when something else is there.
fn read_time(s: &str) -> Option<(NaiveTime, Option<i32>)> {
    let s = s.trim_start_matches(['T', ' ', ',']).trim_end();
    if s.is_empty() {
        return Some((NaiveTime::MIN, None));
    }
    if !s.as_bytes()[0].is_ascii_digit() {
        // A date with only an offset after it.
        return Some((NaiveTime::MIN, Some(read_offset(s)?)));
    }
    let (h, rest) = leading_number(s)?;
    let rest = rest.strip_prefix(':')?;
    let (m, mut rest) = leading_number(rest)?;
    let mut sec = 0;
    let mut milli = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let (sv, r) = leading_number(r)?;
        sec = sv.0;
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            // Milliseconds: the first three digits, padded (`.3077` → 307, `.6` → 600).
            let digits = &r[..n.min(3)];
            milli = digits.parse::<i64>().ok()? * 10_i64.pow(3 - digits.len() as u32);
            rest = &r[n..];
        }
    }
    let mut hour = h.0;
    let rest = rest.trim_start();
    let upper = rest.get(..2).map(str::to_ascii_uppercase);
    let rest = match upper.as_deref() {
        Some("AM") | Some("PM") => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            let pm = upper.as_deref() == Some("PM");
            hour = match (pm, hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
            &rest[2..]
        }
        _ => rest,
    };
    let time = NaiveTime::from_hms_milli_opt(hour as u32, m.0 as u32, sec as u32, milli as u32)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some((time, None));
    }
    Some((time, Some(read_offset(rest)?)))
}

/// `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `-05`, `UTC+1`: minutes east of UTC.
fn read_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let named = [3, 3, 1]
        .into_iter()
        .zip(["UTC", "GMT", "Z"])
        .find(|(n, name)| s.get(..*n).is_some_and(|p| p.eq_ignore_ascii_case(name)))
        .map_or(0, |(n, _)| n);
    let rest = &s[named..];
    if rest.is_empty() {
        return (named > 0).then_some(0);
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        _ => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(cell: &str, order: DateOrder) -> String {
        read_date_time(cell, order)
            .map(|w| w.instant(Zone::Utc).to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    fn ms(cell: &str) -> i64 {
        read_date_time(cell, DateOrder::Auto)
            .unwrap()
            .instant(Zone::Utc)
            .millis()
            % 1000
    }

    #[test]
    fn reads_every_style_the_exports_write() {
        let auto = DateOrder::Auto;
        for (cell, expected) in [
            ("20.09.2019 13:00:00", "2019-09-20T13:00:00Z"),
            ("2025-01-01 10:12:27", "2025-01-01T10:12:27Z"),
            ("2024-11-02 08:39:43.3077", "2024-11-02T08:39:43Z"),
            ("2023-04-20T04:05:40Z", "2023-04-20T04:05:40Z"),
            ("2025-01-17 16:57:02 UTC", "2025-01-17T16:57:02Z"),
            ("2021-08-06T00:00:00.000000Z", "2021-08-06T00:00:00Z"),
            ("2018-03-15T10:42:31.215Z", "2018-03-15T10:42:31Z"),
            ("2024-03-01T10:00:00+02:00", "2024-03-01T08:00:00Z"),
            ("2024-03-01 10:00:00 +0130", "2024-03-01T08:30:00Z"),
            ("02-Apr-2025", "2025-04-02T00:00:00Z"),
            ("16-jan-2025", "2025-01-16T00:00:00Z"),
            ("10-sept.-2025", "2025-09-10T00:00:00Z"),
            ("08-août-2025", "2025-08-08T00:00:00Z"),
            ("May 5, 2020, 10:10:57 PM", "2020-05-05T22:10:57Z"),
            ("Nov 9, 2020, 3:50:00 AM", "2020-11-09T03:50:00Z"),
            ("Jun 1, 2020, 12:18:21 AM", "2020-06-01T00:18:21Z"),
            ("20500606", "2050-06-06T00:00:00Z"),
            ("16-09-2021", "2021-09-16T00:00:00Z"),
            ("01.01.2022", "2022-01-01T00:00:00Z"),
            ("2021/09/16", "2021-09-16T00:00:00Z"),
            ("17/11/2021", "2021-11-17T00:00:00Z"),
            ("5/9/2017 21:14", "2017-09-05T21:14:00Z"),
        ] {
            assert_eq!(utc(cell, auto), expected, "{cell}");
        }
        assert_eq!(
            utc("5/9/2017 21:14", DateOrder::MonthFirst),
            "2017-05-09T21:14:00Z"
        );
        assert_eq!(
            utc("12/11/2021", DateOrder::DayFirst),
            "2021-11-12T00:00:00Z"
        );
        assert_eq!(
            utc("12.11.2021", DateOrder::MonthFirst),
            "2021-11-12T00:00:00Z"
        );
        assert_eq!(ms("2024-11-02 08:39:43.3077"), 307);
        assert_eq!(ms("2023-11-30 11:36:46.62"), 620);
    }

    #[test]
    fn refuses_what_is_not_a_date_or_no_such_day() {
        for cell in [
            "",
            "yesterday",
            "2024-13-01",
            "1.2.3",
            "2024-01-01 25:00",
            "2024-01-01 10:00 soon",
            "32-Jan-2024",
            "1/2/24",
        ] {
            assert!(read_date_time(cell, DateOrder::Auto).is_err(), "{cell}");
        }
        assert_eq!(
            read_date_time("29.02.2025", DateOrder::Auto),
            Err(DateError::NoSuchDay("29.02.2025".into()))
        );
    }

    #[test]
    fn local_times_follow_their_zone_s_daylight_saving_rules() {
        let amsterdam = Zone::named("Europe/Amsterdam").unwrap();
        let at = |cell: &str| {
            read_date_time(cell, DateOrder::Auto)
                .unwrap()
                .instant(amsterdam)
                .to_string()
        };
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(at("2023-11-30 11:37:41"), "2023-11-30T10:37:41Z");
        assert_eq!(at("2023-07-01 12:00:00"), "2023-07-01T10:00:00Z");
        // 02:30 on 2024-03-31 does not exist in Amsterdam: read with the winter offset.
        assert_eq!(at("2024-03-31 02:30:00"), "2024-03-31T01:30:00Z");
        // 02:30 on 2024-10-27 happens twice: the first (summer time).
        assert_eq!(at("2024-10-27 02:30:00"), "2024-10-27T00:30:00Z");
        // A written offset wins over the zone.
        assert_eq!(at("2023-07-01 12:00:00Z"), "2023-07-01T12:00:00Z");
        assert_eq!(Zone::named("Mars/Olympus"), None);
        assert_eq!(Zone::named("utc"), Some(Zone::Utc));
        let east = Zone::Offset(60);
        assert_eq!(
            read_date_time("2024-01-01 10:00", DateOrder::Auto)
                .unwrap()
                .instant(east)
                .to_string(),
            "2024-01-01T09:00:00Z"
        );
    }
}

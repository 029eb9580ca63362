//! Numbers and dates as the UI shows them: the one place that decides separators, signs,
//! decimals and month names, so that a locale can be added here without touching a page.
//! English (`1,234.56`, `12 Mar 2025`) is the only locale today.
//!
//! Conventions: a true minus sign (U+2212) on negative figures shown to people, a sign on
//! every change (`+1.20 %`, `−3.00`), zero without a sign; amounts with thousands separators;
//! prices to six significant digits. Files written for programs (CSV, JSON) use
//! [`plain_price`], never the display forms.

use chrono::{Datelike, NaiveDate};

/// The minus sign shown to people (not the ASCII hyphen).
pub const MINUS: char = '\u{2212}';

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Digits with thousands separators and `decimals` decimals, without a sign
/// (`1234567.891`, 2 → `1,234,567.89`).
fn grouped(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(int.len() + int.len() / 3 + decimals + 1);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// True when `v` rounded to `decimals` is not zero (so `-0.001` at 2 decimals has no sign).
fn shows_nonzero(v: f64, decimals: usize) -> bool {
    format!("{:.*}", decimals, v.abs())
        .chars()
        .any(|c| c.is_ascii_digit() && c != '0')
}

/// A number with thousands separators and a fixed number of decimals, negative with an
/// ASCII hyphen (`1234567.891` → `1,234,567.89`, `-8.97` → `-8.97`). Used in tables and in
/// texts that tests and older exports read.
pub fn format_amount(v: f64, decimals: usize) -> String {
    let sign = if v < 0.0 && shows_nonzero(v, decimals) {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", grouped(v, decimals))
}

/// A quantity with up to 8 decimals, trailing zeros removed (`3843208.0` → `3,843,208`).
pub fn format_quantity(q: f64) -> String {
    let s = format_amount(q, 8);
    match s.split_once('.') {
        Some((i, f)) => match f.trim_end_matches('0') {
            "" => i.to_string(),
            f => format!("{i}.{f}"),
        },
        None => s,
    }
}

/// An amount shown to people: true minus sign, no sign when positive
/// (`-1234.5`, 2 → `−1,234.50`).
pub fn amount(v: f64, decimals: usize) -> String {
    if v < 0.0 && shows_nonzero(v, decimals) {
        format!("{MINUS}{}", grouped(v, decimals))
    } else {
        grouped(v, decimals)
    }
}

/// A change: `+` or `−` before every figure that is not zero (`12.5`, 2 → `+12.50`).
pub fn signed_amount(v: f64, decimals: usize) -> String {
    match (v > 0.0, shows_nonzero(v, decimals)) {
        (_, false) => grouped(0.0, decimals),
        (true, true) => format!("+{}", grouped(v, decimals)),
        (false, true) => format!("{MINUS}{}", grouped(v, decimals)),
    }
}

/// A share or a rate in percent (`12.345`, 1 → `12.3 %`).
pub fn percent(v: f64, decimals: usize) -> String {
    format!("{} %", amount(v, decimals))
}

/// A change in percent, signed (`-3.2`, 1 → `−3.2 %`).
pub fn signed_percent(v: f64, decimals: usize) -> String {
    format!("{} %", signed_amount(v, decimals))
}

/// Decimals that show a price to six significant digits, at least two (`43521.1` → 2,
/// `0.0123` → 7).
fn price_decimals(p: f64) -> usize {
    if p == 0.0 || !p.is_finite() {
        return 2;
    }
    let magnitude = p.abs().log10().floor() as i32;
    (5 - magnitude).clamp(2, 12) as usize
}

/// Removes trailing zeros after the second decimal (`1.23450` → `1.2345`, `3.10` stays).
fn trim_price(s: String) -> String {
    match s.split_once('.') {
        Some((i, f)) if f.len() > 2 => {
            let kept = f.trim_end_matches('0');
            format!("{i}.{kept:0<2}")
        }
        _ => s,
    }
}

/// A unit price shown to people: six significant digits, at least two decimals, thousands
/// separators (`43521.123456789` → `43,521.12`, `0.012345678` → `0.0123457`).
pub fn price(p: f64) -> String {
    trim_price(amount(p, price_decimals(p)))
}

/// A unit price for a file read by programs: like [`price`] but without separators and with
/// an ASCII minus (`43521.123456789012` → `43521.12`, never fifteen digits).
pub fn plain_price(p: f64) -> String {
    if !p.is_finite() {
        return String::new();
    }
    trim_price(format!("{:.*}", price_decimals(p), p))
}

/// A large amount in few characters, for chart axes (`45600` → `45.6 k`, `2.5e6` →
/// `2.5 M`, `950` → `950`).
pub fn compact_amount(v: f64) -> String {
    let a = v.abs();
    let (scaled, unit) = if a >= 1e9 {
        (v / 1e9, " G")
    } else if a >= 1e6 {
        (v / 1e6, " M")
    } else if a >= 1e4 {
        (v / 1e3, " k")
    } else {
        (v, "")
    };
    let decimals = if unit.is_empty() || scaled.abs() >= 100.0 {
        0
    } else {
        1
    };
    let text = amount(scaled, decimals);
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    format!("{text}{unit}")
}

/// A quantity of data in words, in powers of 1,000 as browsers and disks count them: bytes
/// under 1 KB, one decimal for KB and MB, two for GB and TB (`840` → `840 B`, `12_345` →
/// `12.3 KB`, `987_654_321_000` → `987.65 GB`). The unit is chosen after rounding, so that
/// `999_999` is `1.0 MB`, never `1000.0 KB`.
pub fn byte_size(bytes: u64) -> String {
    const UNITS: [(&str, i32); 4] = [("KB", 1), ("MB", 1), ("GB", 2), ("TB", 2)];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let rounded = |v: f64, decimals: i32| (v * 10f64.powi(decimals)).round() / 10f64.powi(decimals);
    let mut scaled = bytes as f64 / 1000.0;
    let mut unit = 0;
    while unit + 1 < UNITS.len() && rounded(scaled, UNITS[unit].1) >= 1000.0 {
        scaled /= 1000.0;
        unit += 1;
    }
    let (name, decimals) = UNITS[unit];
    format!("{} {name}", amount(scaled, decimals as usize))
}

/// The value of the last digit [`compact_amount`] shows for `v` (`45600` → 100,
/// `120500` → 1000, `950` → 1).
fn compact_precision(v: f64) -> f64 {
    let a = v.abs();
    let (scale, scaled) = if a >= 1e9 {
        (1e9, a / 1e9)
    } else if a >= 1e6 {
        (1e6, a / 1e6)
    } else if a >= 1e4 {
        (1e3, a / 1e3)
    } else {
        return 1.0;
    };
    if scaled >= 100.0 {
        scale
    } else {
        scale / 10.0
    }
}

/// A day in full (`12 Mar 2025`).
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month(d), d.year())
}

fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// How a time axis labels its ticks, chosen by the span it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisDates {
    /// Under two months: `12 Mar`.
    Days,
    /// Under two years: `Mar 25`.
    Months,
    /// Longer: `2025`.
    Years,
}

impl AxisDates {
    /// The labelling for an axis from `first` to `last`.
    pub fn for_span(first: NaiveDate, last: NaiveDate) -> AxisDates {
        let days = (last - first).num_days().abs();
        if days < 61 {
            AxisDates::Days
        } else if days < 731 {
            AxisDates::Months
        } else {
            AxisDates::Years
        }
    }

    /// The label of one tick.
    pub fn label(self, d: NaiveDate) -> String {
        match self {
            AxisDates::Days => format!("{} {}", d.day(), month(d)),
            AxisDates::Months => format!("{} {:02}", month(d), d.year().rem_euclid(100)),
            AxisDates::Years => d.year().to_string(),
        }
    }
}

/// At most `max` tick dates between `first` and `last` (inclusive), evenly spaced, each
/// with a label no other tick has: one date never shows twice on an axis. A single day
/// gives one tick.
pub fn date_ticks(first: NaiveDate, last: NaiveDate, max: usize) -> Vec<(NaiveDate, String)> {
    let (first, last) = (first.min(last), first.max(last));
    let style = AxisDates::for_span(first, last);
    let span = (last - first).num_days();
    let n = max.max(1) as i64;
    let mut out: Vec<(NaiveDate, String)> = Vec::new();
    for i in 0..n {
        let offset = if n == 1 { 0 } else { span * i / (n - 1) };
        let d = first + chrono::Days::new(offset as u64);
        let label = style.label(d);
        if !out.iter().any(|(_, l)| *l == label) {
            out.push((d, label));
        }
    }
    out
}

/// Ticks for a value axis from `lo` to `hi`: at most `max` round values (steps of 1, 2 or 5
/// times a power of ten), each with a label no other tick has — compact (`120 k`) when that
/// stays distinct, else with the decimals the step needs.
pub fn value_ticks(lo: f64, hi: f64, max: usize) -> Vec<(f64, String)> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
        return vec![(lo, amount(lo, 2))];
    }
    let raw = (hi - lo) / (max.max(2) - 1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    // Compact labels only when they are exact: their last digit is no finer than the step.
    let coarsest = values
        .iter()
        .map(|v| compact_precision(*v))
        .fold(1.0, f64::max);
    let compact: Vec<String> = values.iter().map(|v| compact_amount(*v)).collect();
    let distinct = compact.windows(2).all(|w| w[0] != w[1]);
    let labels = if distinct && step >= coarsest * (1.0 - 1e-9) {
        compact
    } else {
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        values.iter().map(|v| amount(*v, decimals)).collect()
    };
    values.into_iter().zip(labels).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn amounts_group_thousands_and_round() {
        assert_eq!(format_amount(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_amount(-8.97, 2), "-8.97");
        assert_eq!(format_amount(-0.001, 2), "0.00");
        assert_eq!(format_amount(999.0, 0), "999");
        assert_eq!(format_quantity(3_843_208.0), "3,843,208");
        assert_eq!(format_quantity(0.00008169), "0.00008169");
    }

    #[test]
    fn figures_for_people_use_a_true_minus_and_sign_every_change() {
        assert_eq!(amount(-1234.5, 2), "−1,234.50");
        assert_eq!(amount(-0.004, 2), "0.00");
        assert_eq!(signed_amount(12.5, 2), "+12.50");
        assert_eq!(signed_amount(-12.5, 2), "−12.50");
        assert_eq!(signed_amount(0.001, 2), "0.00");
        assert_eq!(percent(12.345, 1), "12.3 %");
        assert_eq!(signed_percent(-3.24, 1), "−3.2 %");
        assert_eq!(signed_percent(0.26, 1), "+0.3 %");
    }

    #[test]
    fn prices_keep_six_significant_digits_never_fifteen() {
        assert_eq!(price(43_521.123_456_789), "43,521.12");
        assert_eq!(price(1.234_5), "1.2345");
        assert_eq!(price(3.1), "3.10");
        assert_eq!(price(0.012_345_678), "0.0123457");
        assert_eq!(plain_price(43_521.123_456_789_01), "43521.12");
        assert_eq!(plain_price(0.000_012_345_678_9), "0.0000123457");
        assert_eq!(plain_price(2_500.0), "2500.00");
        assert_eq!(plain_price(-1.5), "-1.50");
        assert_eq!(plain_price(f64::NAN), "");
    }

    #[test]
    fn compact_amounts_for_axes() {
        assert_eq!(compact_amount(950.0), "950");
        assert_eq!(compact_amount(12_000.0), "12 k");
        assert_eq!(compact_amount(120_500.0), "120 k");
        assert_eq!(compact_amount(45_600.0), "45.6 k");
        assert_eq!(compact_amount(2_500_000.0), "2.5 M");
        assert_eq!(compact_amount(-3_000_000_000.0), "−3 G");
    }

    #[test]
    fn byte_sizes_count_in_thousands_and_pick_the_unit_after_rounding() {
        assert_eq!(byte_size(0), "0 B");
        assert_eq!(byte_size(999), "999 B");
        assert_eq!(byte_size(1_000), "1.0 KB");
        // 12,345 / 1,000 = 12.345 → 12.3.
        assert_eq!(byte_size(12_345), "12.3 KB");
        // 999,999 B = 999.999 KB, which rounds to 1000.0: shown as 0.999999 MB → 1.0 MB.
        assert_eq!(byte_size(999_999), "1.0 MB");
        assert_eq!(byte_size(3_100_000), "3.1 MB");
        // Above 4 GB (more than a 32-bit usize holds, as quotas often are): 987.654321 GB.
        assert_eq!(byte_size(987_654_321_000), "987.65 GB");
        assert_eq!(byte_size(2_500_000_000_000), "2.50 TB");
        // The largest unit groups its thousands: 18,446,744.07… TB.
        assert_eq!(byte_size(u64::MAX), "18,446,744.07 TB");
    }

    #[test]
    fn dates_and_axis_labels_follow_the_span() {
        assert_eq!(date(day(2025, 3, 12)), "12 Mar 2025");
        assert_eq!(
            AxisDates::for_span(day(2025, 1, 1), day(2025, 2, 20)),
            AxisDates::Days
        );
        assert_eq!(
            AxisDates::for_span(day(2024, 1, 1), day(2025, 6, 1)),
            AxisDates::Months
        );
        assert_eq!(AxisDates::Months.label(day(2025, 3, 1)), "Mar 25");
        assert_eq!(AxisDates::Years.label(day(2025, 3, 1)), "2025");
    }

    #[test]
    fn value_ticks_are_round_and_distinct() {
        // 0 to 100,000 in at most 5 ticks: raw step 25,000 → 50,000.
        let t = value_ticks(0.0, 100_000.0, 5);
        assert_eq!(
            t,
            vec![
                (0.0, "0".to_string()),
                (50_000.0, "50 k".to_string()),
                (100_000.0, "100 k".to_string())
            ]
        );
        // A narrow band where compact labels would all read "50 k": full figures instead.
        let narrow = value_ticks(49_950.0, 49_956.0, 4);
        let labels: Vec<&str> = narrow.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["49,950", "49,952", "49,954", "49,956"]);
        // One value: one tick.
        assert_eq!(value_ticks(7.0, 7.0, 5), vec![(7.0, "7.00".to_string())]);
        // Steps finer than 1 never get whole-number labels (0.5 is not "0").
        let ratios = value_ticks(0.4, 1.1, 3);
        let labels: Vec<&str> = ratios.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0.5", "1.0"]);
        // Nor a 50 step over 12,000 labels rounded to hundreds.
        let fifties = value_ticks(12_000.0, 12_100.0, 3);
        let labels: Vec<&str> = fifties.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["12,000", "12,050", "12,100"]);
    }

    #[test]
    fn axis_ticks_never_repeat_a_label() {
        // One day: one tick, not five copies of it.
        let one = date_ticks(day(2025, 3, 12), day(2025, 3, 12), 5);
        assert_eq!(one, vec![(day(2025, 3, 12), "12 Mar".to_string())]);
        // Three days asked for five ticks: offsets 0, 0, 1, 1, 2 → three distinct days.
        let three = date_ticks(day(2025, 3, 10), day(2025, 3, 12), 5);
        let labels: Vec<&str> = three.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["10 Mar", "11 Mar", "12 Mar"]);
        // A year in monthly labels: 4 ticks at 0, 121, 243, 365 days.
        let year = date_ticks(day(2024, 1, 1), day(2024, 12, 31), 4);
        let labels: Vec<&str> = year.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jan 24", "May 24", "Aug 24", "Dec 24"]);
    }
}

//! Locale-aware number parsing for values found in real export files.
//!
//! Handles dot and comma decimals, comma/dot/space/no-break-space/apostrophe grouping,
//! currency codes and symbols as prefix or suffix, percent signs, scientific notation and
//! the dashes (`-`, `–`, `—`) that exports use for "no value".

use std::cell::Cell;

use serde::{Deserialize, Serialize};

use crate::domain::swar;

/// How an ambiguous single separator (`1,234` or `1.234`) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DecimalStyle {
    /// Guess per cell: the last of `.`/`,` is the decimal mark when both appear; a lone `,`
    /// followed by exactly three digits is a thousands separator, otherwise a decimal mark;
    /// a lone `.` is a decimal mark.
    #[default]
    Auto,
    /// `1,234.56`: `,` groups, `.` is the decimal mark.
    DotDecimal,
    /// `1.234,56`: `.` groups, `,` is the decimal mark.
    CommaDecimal,
}

/// Why a cell could not be read as a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{text}” is not a number")]
pub struct NumberError {
    /// The cell as written in the file.
    pub text: String,
}

/// Parses a number cell; `Ok(None)` for an empty cell or a dash meaning "no value".
///
/// ```
/// use folio::domain::number::{parse_number, DecimalStyle};
/// assert_eq!(parse_number("1.234,56", DecimalStyle::Auto), Ok(Some(1234.56)));
/// assert_eq!(parse_number("\"3843,208.00000000\"", DecimalStyle::Auto), Ok(Some(3843208.0)));
/// assert_eq!(parse_number("8\u{a0}679 USD", DecimalStyle::Auto), Ok(Some(8679.0)));
/// assert_eq!(parse_number("–", DecimalStyle::Auto), Ok(None));
/// ```
pub fn parse_number(cell: &str, style: DecimalStyle) -> Result<Option<f64>, NumberError> {
    let err = || NumberError {
        text: cell.to_string(),
    };
    // Fast paths: plain machine-formatted numbers, the vast majority of cells.
    if style != DecimalStyle::CommaDecimal {
        if let Some(v) = plain_decimal(cell) {
            return Ok(Some(v));
        }
        if cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
        {
            if let Ok(v) = cell.parse::<f64>() {
                return finite(v).ok_or_else(err).map(Some);
            }
        }
    }
    let trimmed = cell.trim().trim_matches('"').trim();
    if trimmed.is_empty() || matches!(trimmed, "-" | "–" | "—" | "n/a" | "N/A") {
        return Ok(None);
    }
    let mut negative = false;
    let mut digits = String::with_capacity(trimmed.len());
    let mut seen_digit = false;
    let mut exponent: Option<String> = None;
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' => {
                seen_digit = true;
                digits.push(c);
            }
            '.' | ',' => digits.push(c),
            '-' | '−' | '–' if !seen_digit && digits.is_empty() => negative = !negative,
            '+' if !seen_digit && digits.is_empty() => {}
            '(' if !seen_digit => negative = true,
            ')' if seen_digit => {}
            'e' | 'E'
                if seen_digit
                    && chars
                        .peek()
                        .is_some_and(|n| n.is_ascii_digit() || *n == '-' || *n == '+') =>
            {
                let mut e = String::new();
                for n in chars.by_ref() {
                    if n.is_ascii_digit() || ((n == '-' || n == '+') && e.is_empty()) {
                        e.push(n);
                    } else {
                        return Err(err());
                    }
                }
                exponent = Some(e);
            }
            // Grouping spaces (plain, no-break, narrow no-break, thin) and Swiss apostrophes.
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {}
            '%' => {}
            c if c.is_alphabetic() || "€$£¥₿₣".contains(c) => {
                // A currency code or symbol is allowed only before or after the digits.
                if seen_digit && chars.clone().any(|n| n.is_ascii_digit()) {
                    return Err(err());
                }
            }
            _ => return Err(err()),
        }
    }
    if !seen_digit {
        return Err(err());
    }
    let normalised = normalise_separators(&digits, style).ok_or_else(err)?;
    let mut text = normalised;
    if let Some(e) = exponent {
        text.push('e');
        text.push_str(&e);
    }
    let v: f64 = text.parse().map_err(|_| err())?;
    let v = finite(v).ok_or_else(err)?;
    Ok(Some(if negative { -v } else { v }))
}

/// What one number cell says about its file's decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// No separator (`42`, `-7`, `8 679 USD`), or not a number.
    Neither,
    /// Only a decimal point reads it: `0.5`, `1,234.56`, `1,234,567`, `6.0E-7`.
    Point,
    /// Only a decimal comma reads it: `0,5`, `1.234,56`, `1.234.567`, `-405,55`.
    Comma,
    /// Either reads it, differently: one separator followed by exactly three digits
    /// (`1,500`, `1.500`): a decimal mark in one style, a thousands separator in the other.
    Either,
}

/// Classifies a number cell by its `.` and `,` separators (see [`Evidence`]). Only the digit
/// run counts: currency codes and symbols, signs, spaces and `%` are ignored; an exponent
/// ends the run.
///
/// ```
/// use folio::domain::number::{evidence, Evidence};
/// assert_eq!(evidence("-405,55"), Evidence::Comma);
/// assert_eq!(evidence("89,162.28 SEK"), Evidence::Point);
/// assert_eq!(evidence("1,500"), Evidence::Either);
/// assert_eq!(evidence("-441"), Evidence::Neither);
/// ```
pub fn evidence(cell: &str) -> Evidence {
    let b = cell.as_bytes();
    // (position, separator) of the first and last separators, their counts, and whether
    // an exponent followed the digits.
    let (mut dots, mut commas) = (0u32, 0u32);
    let (mut first, mut last) = (usize::MAX, 0usize);
    let mut digits_seen = false;
    let mut exponent = false;
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => digits_seen = true,
            b'.' | b',' if digits_seen || b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                if c == b'.' {
                    dots += 1;
                } else {
                    commas += 1;
                }
                first = first.min(i);
                last = i;
            }
            b'e' | b'E'
                if i > 0
                    && b[i - 1].is_ascii_digit()
                    && match b.get(i + 1) {
                        Some(b'-' | b'+') => b.get(i + 2).is_some_and(u8::is_ascii_digit),
                        Some(n) => n.is_ascii_digit(),
                        None => false,
                    } =>
            {
                exponent = true;
                end = i;
                break;
            }
            _ if digits_seen && c.is_ascii_alphabetic() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if !digits_seen {
        return Evidence::Neither;
    }
    let digits_after = |from: usize| {
        b[from + 1..end]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let digits_before = |to: usize| {
        b[..to]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    match (dots, commas) {
        (0, 0) => Evidence::Neither,
        (_, 0) if exponent => Evidence::Point,
        (0, _) if exponent => Evidence::Comma,
        (d, c) if d > 0 && c > 0 => {
            if b[last] == b'.' {
                Evidence::Point
            } else {
                Evidence::Comma
            }
        }
        (1, 0) | (0, 1) => {
            let lead = digits_before(first);
            let grouped = digits_after(first) == 3
                && (1..=3).contains(&lead)
                && !(lead == 1 && b[first - 1] == b'0');
            match (grouped, b[first]) {
                (true, _) => Evidence::Either,
                (false, b'.') => Evidence::Point,
                (false, _) => Evidence::Comma,
            }
        }
        // Two or more of one separator group thousands: the other is the decimal mark.
        (_, 0) => Evidence::Comma,
        _ => Evidence::Point,
    }
}

/// Reads a file's number cells with one decimal style decided for the whole file, and
/// counts what each cell says about it ([`Evidence`]).
///
/// A cell that only one style reads (`0,5`, `1,234.56`) is read that way whatever the
/// style; the style decides the cells that both read, differently (`1,500`): with
/// [`DecimalStyle::CommaDecimal`] `1,500` is one and a half and `1.500` fifteen hundred;
/// with any other style the reverse. [`NumberReader::decided`] gives the style the counted
/// cells call for; the importer reads a file again when it differs from the one it
/// started with and some cells depended on it.
#[derive(Debug, Default)]
pub struct NumberReader {
    style: DecimalStyle,
    point: Cell<u64>,
    comma: Cell<u64>,
    either: Cell<u64>,
}

impl NumberReader {
    /// A reader resolving ambiguous cells with `style`.
    pub fn new(style: DecimalStyle) -> NumberReader {
        NumberReader {
            style,
            ..NumberReader::default()
        }
    }

    /// The style ambiguous cells are read with.
    pub fn style(&self) -> DecimalStyle {
        self.style
    }

    /// Reads one cell; `Ok(None)` for an empty cell or a dash.
    #[inline]
    pub fn read(&self, cell: &str) -> Result<Option<f64>, NumberError> {
        let count = |c: &Cell<u64>| c.set(c.get() + 1);
        let style = match evidence(cell) {
            Evidence::Neither => DecimalStyle::Auto,
            Evidence::Point => {
                count(&self.point);
                DecimalStyle::Auto
            }
            Evidence::Comma => {
                count(&self.comma);
                DecimalStyle::Auto
            }
            Evidence::Either => {
                count(&self.either);
                match self.style {
                    DecimalStyle::CommaDecimal => DecimalStyle::CommaDecimal,
                    _ => DecimalStyle::DotDecimal,
                }
            }
        };
        parse_number(cell, style)
    }

    /// Cells read so far that only a decimal point, only a decimal comma, or both read.
    pub fn counts(&self) -> (u64, u64, u64) {
        (self.point.get(), self.comma.get(), self.either.get())
    }

    /// The style the cells read so far call for: a decimal comma when some cell needs one
    /// and none needs a point, a point in the reverse case, and [`DecimalStyle::Auto`]
    /// (ambiguous cells read with a point, as most exports write them) when the cells
    /// disagree or none decides.
    pub fn decided(&self) -> DecimalStyle {
        match (self.point.get(), self.comma.get()) {
            (0, c) if c > 0 => DecimalStyle::CommaDecimal,
            (p, 0) if p > 0 => DecimalStyle::DotDecimal,
            _ => DecimalStyle::Auto,
        }
    }

    /// True when reading ambiguous cells with `style` gives other numbers than this
    /// reader's style did.
    pub fn reads_differently(&self, style: DecimalStyle) -> bool {
        let comma = |s: DecimalStyle| s == DecimalStyle::CommaDecimal;
        comma(style) != comma(self.style)
    }
}

/// Powers of ten that are exact in an `f64` (10²² is the last).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`-12.5`, `+3`, `.5`, `7.`) read in one pass, when its value is one
/// exact division: at most 19 digits, which without the point make an integer of at most
/// 2⁵³, at most 22 of them after the point. Both operands are then exact `f64`s and IEEE
/// division rounds the quotient correctly, so the result is `str::parse`'s (Clinger's fast
/// path, which `str::parse` itself takes after a slower scan). `None` for anything else.
fn plain_decimal(cell: &str) -> Option<f64> {
    let b = cell.as_bytes();
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    // Wrapping arithmetic (no 128-bit overflow check, slow in wasm): 19 digits never
    // overflow a u64, and more are refused.
    let mut mantissa: u64 = 0;
    let whole = swar::read_digits(digits, &mut mantissa);
    let (fraction, end) = match digits.get(whole) {
        Some(b'.') => {
            let n = swar::read_digits(&digits[whole + 1..], &mut mantissa);
            (n, whole + 1 + n)
        }
        _ => (0, whole),
    };
    let count = whole + fraction;
    if end != digits.len() || count == 0 || count > 19 || mantissa > 1 << 53 {
        return None;
    }
    let v = mantissa as f64 / EXACT_POWERS_OF_TEN.get(fraction)?;
    Some(if negative { -v } else { v })
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Turns a run of digits with `.`/`,` separators into a Rust-parsable decimal.
fn normalise_separators(s: &str, style: DecimalStyle) -> Option<String> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => None, // 1.234.567
        (0, _) if commas > 1 => None,
        (1, 0) => match style {
            DecimalStyle::CommaDecimal if looks_grouped(s, '.') => None,
            _ => Some('.'),
        },
        (0, 1) => match style {
            DecimalStyle::DotDecimal => None,
            DecimalStyle::CommaDecimal => Some(','),
            DecimalStyle::Auto if looks_grouped(s, ',') => None,
            DecimalStyle::Auto => Some(','),
        },
        _ => {
            // Both present: the last one is the decimal mark and must appear once.
            let last = s.rfind(['.', ','])?;
            let mark = s[last..].chars().next()?;
            if s.matches(mark).count() != 1 {
                return None;
            }
            Some(mark)
        }
    };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '.' | ',' if Some(c) == decimal => out.push('.'),
            '.' | ',' => {}
            _ => out.push(c),
        }
    }
    Some(out)
}

/// `1,234` or `12,345,678`: every group after the first has exactly three digits, and the
/// leading group is 1–3 digits that are not a lone `0`.
fn looks_grouped(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first != "0"
        && rest.iter().all(|p| p.len() == 3)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod plain_decimal_props {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn takes_the_cells_exports_are_made_of() {
        for (cell, v) in [
            ("21.26892291", 21.26892291),
            ("-0.27638580", -0.2763858),
            ("+3", 3.0),
            (".5", 0.5),
            ("7.", 7.0),
            ("9007199254740992", 9007199254740992.0),
            ("0.000000000000000001", 1e-18),
        ] {
            assert_eq!(plain_decimal(cell), Some(v), "{cell}");
        }
        assert!(plain_decimal("-0").unwrap().is_sign_negative());
        for cell in [
            "",
            "-",
            "+",
            ".",
            "1.2.3",
            "1e5",
            "--1",
            "1-",
            " 1",
            "1,5",
            "9007199254740993",
            "0.00000000000000000000001",
            "99999999999999999999",
        ] {
            assert_eq!(plain_decimal(cell), None, "{cell:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Whatever it reads, it reads as `str::parse` does, to the bit.
        #[test]
        fn agrees_with_str_parse(
            sign in prop_oneof![Just(""), Just("-"), Just("+")],
            int in "[0-9]{0,17}",
            point in any::<bool>(),
            frac in "[0-9]{0,24}",
        ) {
            let cell = format!("{sign}{int}{}{frac}", if point { "." } else { "" });
            if let Some(v) = plain_decimal(&cell) {
                prop_assert_eq!(v.to_bits(), cell.parse::<f64>().unwrap().to_bits(), "{}", cell);
            }
        }

        /// Machine-formatted values of up to 15 digits (what exports hold) are taken.
        #[test]
        fn agrees_on_formatted_floats(v in -1e6f64..1e6, places in 0usize..10) {
            let cell = format!("{v:.places$}");
            let expected = cell.parse::<f64>().unwrap();
            prop_assert_eq!(plain_decimal(&cell).map(f64::to_bits), Some(expected.to_bits()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(s: &str) -> Option<f64> {
        parse_number(s, DecimalStyle::Auto).unwrap()
    }

    #[test]
    fn reads_european_thousands_and_decimal_comma() {
        assert_eq!(auto("1.234,56"), Some(1234.56));
        assert_eq!(auto("1 234,56"), Some(1234.56));
        assert_eq!(auto("-405,55"), Some(-405.55));
        assert_eq!(auto("\"-405,55\""), Some(-405.55));
        assert_eq!(auto("12,5"), Some(12.5));
    }

    #[test]
    fn reads_us_thousands_and_odd_grouping() {
        assert_eq!(auto("1,234.56"), Some(1234.56));
        assert_eq!(auto("3843,208.00000000"), Some(3_843_208.0));
        assert_eq!(auto("1,234,567"), Some(1_234_567.0));
        assert_eq!(auto("1'234.5"), Some(1234.5));
        assert_eq!(auto("16'997.84"), Some(16997.84));
    }

    #[test]
    fn reads_currency_affixes_nbsp_and_percent() {
        assert_eq!(auto("8\u{a0}679 USD"), Some(8679.0));
        assert_eq!(auto("€3343.11"), Some(3343.11));
        assert_eq!(auto("-€597.49846"), Some(-597.49846));
        assert_eq!(auto("500.00 CAD"), Some(500.0));
        assert_eq!(auto("\"89,162.28 SEK\""), Some(89162.28));
        assert_eq!(auto("0,06%"), Some(0.06));
        assert_eq!(auto("0.1800000000SOL"), Some(0.18));
    }

    #[test]
    fn reads_scientific_notation() {
        assert_eq!(auto("-3.605E-05"), Some(-3.605e-5));
        assert_eq!(auto("6.0E-7"), Some(6.0e-7));
        assert_eq!(auto("1e3"), Some(1000.0));
    }

    #[test]
    fn dashes_and_blanks_mean_no_value() {
        for s in ["", "  ", "-", "–", "—", "\"\""] {
            assert_eq!(auto(s), None, "{s:?}");
        }
    }

    #[test]
    fn rejects_text_and_malformed_numbers() {
        for s in [
            "abc",
            "1.2.3,4,5",
            "12-3",
            "1,2,3.4.5",
            "NaN",
            "USD",
            "2024-01-01",
        ] {
            assert!(parse_number(s, DecimalStyle::Auto).is_err(), "{s:?}");
        }
    }

    #[test]
    fn explicit_styles_resolve_ambiguity() {
        assert_eq!(
            parse_number("1,234", DecimalStyle::CommaDecimal),
            Ok(Some(1.234))
        );
        assert_eq!(parse_number("1,234", DecimalStyle::Auto), Ok(Some(1234.0)));
        assert_eq!(
            parse_number("1.234", DecimalStyle::CommaDecimal),
            Ok(Some(1234.0))
        );
        assert_eq!(parse_number("1.234", DecimalStyle::Auto), Ok(Some(1.234)));
        assert_eq!(parse_number("0,125", DecimalStyle::Auto), Ok(Some(0.125)));
    }

    #[test]
    fn evidence_tells_which_decimal_mark_a_cell_needs() {
        for (cell, e) in [
            ("0.01000000", Evidence::Point),
            ("21.5", Evidence::Point),
            ("1,234.56", Evidence::Point),
            ("1,234,567", Evidence::Point),
            ("3843,208.00000000", Evidence::Point),
            ("-3.605E-05", Evidence::Point),
            ("€3343.11", Evidence::Point),
            ("0.1800000000SOL", Evidence::Point),
            ("0.500", Evidence::Point),
            ("-405,55", Evidence::Comma),
            ("0,06%", Evidence::Comma),
            ("1.234,56", Evidence::Comma),
            ("1.234.567", Evidence::Comma),
            ("0,125", Evidence::Comma),
            ("1,500", Evidence::Either),
            ("-1.500 EUR", Evidence::Either),
            ("\"12,345\"", Evidence::Either),
            ("42", Evidence::Neither),
            ("8\u{a0}679 USD", Evidence::Neither),
            ("abc", Evidence::Neither),
            ("", Evidence::Neither),
        ] {
            assert_eq!(evidence(cell), e, "{cell:?}");
        }
    }

    #[test]
    fn a_reader_decides_ambiguous_cells_by_the_file_and_counts_the_evidence() {
        let comma = NumberReader::new(DecimalStyle::CommaDecimal);
        assert_eq!(comma.read("1,500"), Ok(Some(1.5)));
        assert_eq!(comma.read("1.500"), Ok(Some(1500.0)));
        assert_eq!(
            comma.read("0.25"),
            Ok(Some(0.25)),
            "unambiguous: read as written"
        );
        assert_eq!(comma.read("12,5"), Ok(Some(12.5)));
        assert_eq!(comma.counts(), (1, 1, 2));
        assert_eq!(comma.decided(), DecimalStyle::Auto, "the cells disagree");
        let dot = NumberReader::new(DecimalStyle::Auto);
        assert_eq!(dot.read("1,500"), Ok(Some(1500.0)));
        assert_eq!(dot.read("1.500"), Ok(Some(1.5)));
        assert_eq!(dot.read("-50,25"), Ok(Some(-50.25)));
        assert_eq!(dot.decided(), DecimalStyle::CommaDecimal);
        assert!(dot.reads_differently(DecimalStyle::CommaDecimal));
        assert!(!dot.reads_differently(DecimalStyle::DotDecimal));
        let plain = NumberReader::default();
        assert_eq!(plain.read("7"), Ok(Some(7.0)));
        assert_eq!(plain.decided(), DecimalStyle::Auto);
    }

    #[test]
    fn negative_in_parentheses() {
        assert_eq!(auto("(1,234.50)"), Some(-1234.5));
    }
}

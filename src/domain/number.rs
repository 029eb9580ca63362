//! Locale-aware number parsing for values found in real export files.
//!
//! Handles dot and comma decimals, comma/dot/space/no-break-space/apostrophe grouping,
//! currency codes and symbols as prefix or suffix, percent signs, scientific notation and
//! the dashes (`-`, `–`, `—`) that exports use for "no value".

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
    fn negative_in_parentheses() {
        assert_eq!(auto("(1,234.50)"), Some(-1234.5));
    }
}

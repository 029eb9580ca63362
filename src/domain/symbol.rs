//! Normalisation of tickers as exports write them.

use std::borrow::Cow;

/// A ticker split into its canonical symbol and what the file wrote; the parts borrow from
/// the cell where they can (an importer then allocates only for rows that become new
/// holdings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSymbol<'a> {
    /// Canonical upper-case ticker.
    pub symbol: Cow<'a, str>,
    /// The ticker as written, when it differs from `symbol` after upper-casing.
    pub alias: Option<Cow<'a, str>>,
    /// A long name found next to the ticker (`AAVE (Aave) by Exchange` → `Aave`).
    pub name: Option<Cow<'a, str>>,
    /// Trading venue (`TSLA:xnas` → `XNAS`).
    pub venue: Option<String>,
}

/// `s` in upper case, borrowed when it already is (no ASCII lower-case letter, all ASCII).
#[inline(always)]
pub fn upper_case(s: &str) -> Cow<'_, str> {
    if !s.is_ascii() {
        Cow::Owned(s.to_uppercase())
    } else if s.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(s.to_ascii_uppercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Reads CoinTracking's `Coin` cells: `"AAVE (Aave) by Exchange"` → AAVE (name Aave),
/// `"4BELT by Exchange"` → 4BELT. Digit-suffixed duplicates resolve to their base coin.
pub fn parse_cointracking_coin(cell: &str) -> ParsedSymbol<'_> {
    let mut s = cell.trim();
    for suffix in [" by Exchange", " by exchange", " BY EXCHANGE"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
        }
    }
    let (ticker, name) = match (s.find(" ("), s.ends_with(')')) {
        (Some(i), true) => (&s[..i], Some(s[i + 2..s.len() - 1].trim())),
        _ => (s, None),
    };
    let mut parsed = cointracking_ticker(ticker);
    parsed.name = name.filter(|n| !n.is_empty()).map(Cow::Borrowed);
    parsed
}

/// Canonicalises a CoinTracking ticker. CoinTracking disambiguates coins that share a
/// ticker by appending one digit (`APT3`, `SOL2`, `TAO6`); these resolve to the base coin
/// when at least two letters precede the digit. `1INCH`, `C98` and one-letter tickers
/// such as `S5` are kept as written.
#[inline(always)]
pub fn cointracking_ticker(raw: &str) -> ParsedSymbol<'_> {
    let upper = upper_case(raw.trim());
    let bytes = upper.as_bytes();
    let n = bytes.len();
    let suffixed = n >= 3
        && (b'2'..=b'9').contains(&bytes[n - 1])
        && bytes[..n - 1].iter().all(u8::is_ascii_uppercase);
    let (symbol, alias) = match upper {
        Cow::Borrowed(s) if suffixed => (Cow::Borrowed(&s[..n - 1]), Some(Cow::Borrowed(s))),
        Cow::Owned(s) if suffixed => (Cow::Owned(s[..n - 1].to_string()), Some(Cow::Owned(s))),
        upper => (upper, None),
    };
    ParsedSymbol {
        symbol,
        alias,
        name: None,
        venue: None,
    }
}

/// Reads broker symbols with a venue suffix: `TSLA:xnas` → TSLA on XNAS, `BRKb:xnys` → BRK.B.
pub fn parse_listed_symbol(cell: &str) -> ParsedSymbol<'_> {
    let s = cell.trim();
    let (ticker, venue) = match s.rsplit_once(':') {
        Some((t, v)) if !t.is_empty() && !v.is_empty() => (t, Some(v.to_uppercase())),
        _ => (s, None),
    };
    // Saxo writes share classes as a trailing lower-case letter: BRKb, SLHn. Only then
    // does the symbol differ from the ticker in upper case, and the ticker is kept.
    let (symbol, alias) = match ticker.char_indices().last() {
        Some((i, c))
            if c.is_ascii_lowercase()
                && i > 0
                && ticker[..i].chars().all(|c| c.is_ascii_uppercase()) =>
        {
            let class = format!("{}.{}", &ticker[..i], c.to_ascii_uppercase());
            (Cow::Owned(class), Some(Cow::Borrowed(ticker)))
        }
        _ => (upper_case(ticker), None),
    };
    ParsedSymbol {
        alias,
        symbol,
        name: None,
        venue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_name_and_by_exchange_suffix() {
        let p = parse_cointracking_coin("AAVE (Aave) by Exchange");
        assert_eq!((&*p.symbol, p.name.as_deref()), ("AAVE", Some("Aave")));
        assert_eq!(parse_cointracking_coin("4BELT by Exchange").symbol, "4BELT");
        assert_eq!(
            parse_cointracking_coin("1INCH (1inch) by Exchange").symbol,
            "1INCH"
        );
    }

    #[test]
    fn digit_suffixed_tickers_resolve_to_base_coin() {
        let p = cointracking_ticker("APT3");
        assert_eq!((&*p.symbol, p.alias.as_deref()), ("APT", Some("APT3")));
        assert_eq!(cointracking_ticker("SOL2").symbol, "SOL");
        assert_eq!(cointracking_ticker("TAO6").symbol, "TAO");
        assert_eq!(cointracking_ticker("S5").symbol, "S5");
        assert_eq!(cointracking_ticker("C98").symbol, "C98");
        assert_eq!(cointracking_ticker("1INCH").symbol, "1INCH");
        assert_eq!(cointracking_ticker("BTC").alias, None);
        assert_eq!(
            (
                &*cointracking_ticker(" apt3").symbol,
                cointracking_ticker("apt3").alias
            ),
            ("APT", Some(Cow::Borrowed("APT3")))
        );
    }

    #[test]
    fn upper_case_tickers_are_borrowed_from_the_cell() {
        let p = cointracking_ticker("SOL2");
        assert!(matches!(p.symbol, Cow::Borrowed("SOL")));
        assert!(matches!(p.alias, Some(Cow::Borrowed("SOL2"))));
        assert!(matches!(cointracking_ticker("btc").symbol, Cow::Owned(_)));
        assert!(matches!(upper_case("ÄB"), Cow::Owned(_)));
        assert_eq!(upper_case("äb"), "ÄB");
    }

    #[test]
    fn splits_saxo_venue_and_share_class() {
        let p = parse_listed_symbol("TSLA:xnas");
        assert_eq!((&*p.symbol, p.venue.as_deref()), ("TSLA", Some("XNAS")));
        assert_eq!(parse_listed_symbol("BRKb:xnys").symbol, "BRK.B");
        assert_eq!(
            parse_listed_symbol("BRKb:xnys").alias.as_deref(),
            Some("BRKb")
        );
        assert_eq!(parse_listed_symbol("tsla").alias, None);
        assert_eq!(parse_listed_symbol("SLHn:xvtx").symbol, "SLH.N");
        assert_eq!(parse_listed_symbol("IWDA:xams").symbol, "IWDA");
        assert_eq!(parse_listed_symbol("AAPL").venue, None);
    }
}

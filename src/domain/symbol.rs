//! Normalisation of tickers as exports write them.

/// A ticker split into its canonical symbol and what the file wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSymbol {
    /// Canonical upper-case ticker.
    pub symbol: String,
    /// The ticker as written, when it differs from `symbol` after upper-casing.
    pub alias: Option<String>,
    /// A long name found next to the ticker (`AAVE (Aave) by Exchange` → `Aave`).
    pub name: Option<String>,
    /// Trading venue (`TSLA:xnas` → `XNAS`).
    pub venue: Option<String>,
}

/// Reads CoinTracking's `Coin` cells: `"AAVE (Aave) by Exchange"` → AAVE (name Aave),
/// `"4BELT by Exchange"` → 4BELT. Digit-suffixed duplicates resolve to their base coin.
pub fn parse_cointracking_coin(cell: &str) -> ParsedSymbol {
    let mut s = cell.trim();
    for suffix in [" by Exchange", " by exchange", " BY EXCHANGE"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
        }
    }
    let (ticker, name) = match (s.find(" ("), s.ends_with(')')) {
        (Some(i), true) => (&s[..i], Some(s[i + 2..s.len() - 1].trim().to_string())),
        _ => (s, None),
    };
    let mut parsed = cointracking_ticker(ticker);
    parsed.name = name.filter(|n| !n.is_empty());
    parsed
}

/// Canonicalises a CoinTracking ticker. CoinTracking disambiguates coins that share a
/// ticker by appending one digit (`APT3`, `SOL2`, `TAO6`); these resolve to the base coin
/// when at least two letters precede the digit. `1INCH`, `C98` and one-letter tickers
/// such as `S5` are kept as written.
pub fn cointracking_ticker(raw: &str) -> ParsedSymbol {
    let raw = raw.trim();
    let upper = if raw.is_ascii() {
        raw.to_ascii_uppercase()
    } else {
        raw.to_uppercase()
    };
    let bytes = upper.as_bytes();
    let n = bytes.len();
    let base = (n >= 3
        && (b'2'..=b'9').contains(&bytes[n - 1])
        && bytes[..n - 1].iter().all(u8::is_ascii_uppercase))
    .then(|| upper[..n - 1].to_string());
    match base {
        Some(b) => ParsedSymbol {
            symbol: b,
            alias: Some(upper),
            name: None,
            venue: None,
        },
        None => ParsedSymbol {
            symbol: upper,
            alias: None,
            name: None,
            venue: None,
        },
    }
}

/// Reads broker symbols with a venue suffix: `TSLA:xnas` → TSLA on XNAS, `BRKb:xnys` → BRK.B.
pub fn parse_listed_symbol(cell: &str) -> ParsedSymbol {
    let s = cell.trim();
    let (ticker, venue) = match s.rsplit_once(':') {
        Some((t, v)) if !t.is_empty() && !v.is_empty() => (t, Some(v.to_uppercase())),
        _ => (s, None),
    };
    // Saxo writes share classes as a trailing lower-case letter: BRKb, SLHn.
    let symbol = match ticker.char_indices().last() {
        Some((i, c))
            if c.is_ascii_lowercase()
                && i > 0
                && ticker[..i].chars().all(|c| c.is_ascii_uppercase()) =>
        {
            format!("{}.{}", &ticker[..i], c.to_ascii_uppercase())
        }
        _ => ticker.to_uppercase(),
    };
    ParsedSymbol {
        alias: (symbol != ticker.to_uppercase()).then(|| ticker.to_string()),
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
        assert_eq!(
            (p.symbol.as_str(), p.name.as_deref()),
            ("AAVE", Some("Aave"))
        );
        assert_eq!(parse_cointracking_coin("4BELT by Exchange").symbol, "4BELT");
        assert_eq!(
            parse_cointracking_coin("1INCH (1inch) by Exchange").symbol,
            "1INCH"
        );
    }

    #[test]
    fn digit_suffixed_tickers_resolve_to_base_coin() {
        let p = cointracking_ticker("APT3");
        assert_eq!(
            (p.symbol.as_str(), p.alias.as_deref()),
            ("APT", Some("APT3"))
        );
        assert_eq!(cointracking_ticker("SOL2").symbol, "SOL");
        assert_eq!(cointracking_ticker("TAO6").symbol, "TAO");
        assert_eq!(cointracking_ticker("S5").symbol, "S5");
        assert_eq!(cointracking_ticker("C98").symbol, "C98");
        assert_eq!(cointracking_ticker("1INCH").symbol, "1INCH");
        assert_eq!(cointracking_ticker("BTC").alias, None);
    }

    #[test]
    fn splits_saxo_venue_and_share_class() {
        let p = parse_listed_symbol("TSLA:xnas");
        assert_eq!(
            (p.symbol.as_str(), p.venue.as_deref()),
            ("TSLA", Some("XNAS"))
        );
        assert_eq!(parse_listed_symbol("BRKb:xnys").symbol, "BRK.B");
        assert_eq!(parse_listed_symbol("SLHn:xvtx").symbol, "SLH.N");
        assert_eq!(parse_listed_symbol("IWDA:xams").symbol, "IWDA");
        assert_eq!(parse_listed_symbol("AAPL").venue, None);
    }
}

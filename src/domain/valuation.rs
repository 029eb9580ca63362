//! Valuation in the profile's base currency: each row's value from the file, a live quote,
//! a manual price or its cash balance, chosen by the pricing mode, converted with FX, and
//! labelled with where it came from and how old it is.

use std::collections::BTreeMap;

use crate::domain::holding::{AssetClass, Holding};
use crate::domain::portfolio::PortfolioRow;
use crate::domain::prices::fx::{is_fiat, FxRates};
use crate::domain::prices::{
    price_key, PriceOrigin, PricingMode, Quote, HYBRID_MAX_AGE_MIN, HYBRID_MAX_DEVIATION_PCT,
    STALE_AFTER_MIN,
};

/// Everything known about prices: live quotes and the user's manual prices, by price key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceBook {
    /// Quotes from providers (fresh or cached).
    pub quotes: BTreeMap<String, Quote>,
    /// Prices typed by the user, or the last close of an imported price CSV; they win over quotes.
    pub manual: BTreeMap<String, Quote>,
}

/// How one row was valued.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedRow {
    /// Value in the base currency, `None` when neither a price nor a file value (or the FX
    /// rate) is available.
    pub value: Option<f64>,
    /// Unit price in the base currency.
    pub price: Option<f64>,
    /// Where the price came from.
    pub origin: Option<PriceOrigin>,
    /// Time of the price (ms since the epoch): quote time, or import time for file values.
    pub at_ms: Option<f64>,
    /// A live quote older than [`STALE_AFTER_MIN`] minutes.
    pub stale: bool,
    /// Live vs file deviation in percent, when both exist.
    pub deviation_pct: Option<f64>,
    /// 24 h change in percent (live quotes only).
    pub change_24h_pct: Option<f64>,
}

/// A price the valuation needed and did not find.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPrice {
    /// Price key.
    pub key: String,
    /// Symbol.
    pub symbol: String,
    /// Asset class.
    pub asset_class: AssetClass,
    /// Rows affected.
    pub rows: usize,
    /// Whether the file at least gave a value (used meanwhile).
    pub has_file_value: bool,
}

/// The valuation of a set of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Valuation {
    /// Base currency.
    pub base: String,
    /// One entry per input row, same order.
    pub rows: Vec<ValuedRow>,
    /// Sum of the row values that could be valued.
    pub total: f64,
    /// Rows without a value.
    pub unvalued: usize,
    /// Prices to fetch or type, one per asset.
    pub missing: Vec<MissingPrice>,
    /// Currencies that could not be converted (no FX rate).
    pub missing_fx: Vec<String>,
}

/// Values `rows` in `base`. `fx` converts between currencies (absent: only same-currency
/// values count). See [`PricingMode`] for how file values and live prices are chosen.
pub fn value_rows(
    rows: &[PortfolioRow],
    book: &PriceBook,
    fx: Option<&FxRates>,
    base: &str,
    mode: PricingMode,
    now_ms: f64,
) -> Valuation {
    let convert = |amount: f64, from: &str| -> Option<f64> {
        if from == base {
            Some(amount)
        } else {
            fx.and_then(|f| f.convert(amount, from, base))
        }
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut missing: BTreeMap<String, MissingPrice> = BTreeMap::new();
    let mut missing_fx: Vec<String> = Vec::new();
    for r in rows {
        let h = &r.holding;
        let v = value_row(r, book, &convert, mode, now_ms);
        if let Some(currency) = unconvertible(h, &v, &convert) {
            if !missing_fx.contains(&currency) {
                missing_fx.push(currency);
            }
        }
        let key = price_key(h);
        let has_live = book.manual.contains_key(&key) || book.quotes.contains_key(&key);
        if mode != PricingMode::Local && !is_cash(h) && !has_live {
            let m = missing.entry(key.clone()).or_insert(MissingPrice {
                key,
                symbol: h.symbol.clone(),
                asset_class: h.asset_class,
                rows: 0,
                has_file_value: h.value.is_some(),
            });
            m.rows += 1;
        }
        out.push(v);
    }
    let total = out.iter().filter_map(|v| v.value).sum();
    let unvalued = out.iter().filter(|v| v.value.is_none()).count();
    missing_fx.sort();
    Valuation {
        base: base.to_string(),
        rows: out,
        total,
        unvalued,
        missing: missing.into_values().collect(),
        missing_fx,
    }
}

/// Cash: bank balances and fiat held on exchanges are worth their balance.
fn is_cash(h: &Holding) -> bool {
    h.asset_class == AssetClass::Cash || (h.asset_class == AssetClass::Crypto && is_fiat(&h.symbol))
}

fn unconvertible(
    h: &Holding,
    v: &ValuedRow,
    convert: &impl Fn(f64, &str) -> Option<f64>,
) -> Option<String> {
    if v.value.is_some() {
        return None;
    }
    let currency = if is_cash(h) { &h.symbol } else { &h.currency };
    (h.value.is_some() || is_cash(h))
        .then(|| currency.clone())
        .filter(|c| convert(1.0, c).is_none())
}

fn value_row(
    r: &PortfolioRow,
    book: &PriceBook,
    convert: &impl Fn(f64, &str) -> Option<f64>,
    mode: PricingMode,
    now_ms: f64,
) -> ValuedRow {
    let h = &r.holding;
    let none = ValuedRow {
        value: None,
        price: None,
        origin: None,
        at_ms: None,
        stale: false,
        deviation_pct: None,
        change_24h_pct: None,
    };
    if is_cash(h) {
        let price = convert(1.0, &h.symbol);
        return ValuedRow {
            value: price.map(|p| p * h.quantity),
            price,
            origin: Some(PriceOrigin::Cash),
            at_ms: None,
            ..none
        };
    }
    let key = price_key(h);
    let file_value = h.value.and_then(|v| convert(v, &h.currency));
    let file = file_value.map(|value| ValuedRow {
        value: Some(value),
        price: (h.quantity != 0.0).then(|| value / h.quantity),
        origin: Some(PriceOrigin::File),
        at_ms: r.as_of_ms,
        ..none.clone()
    });
    let quote = book.manual.get(&key).or_else(|| book.quotes.get(&key));
    let live = quote.and_then(|q| {
        let price = convert(q.price, &q.currency)?;
        let provider_quote = matches!(q.origin, PriceOrigin::Provider(_));
        Some(ValuedRow {
            value: Some(price * h.quantity),
            price: Some(price),
            origin: Some(q.origin.clone()),
            at_ms: Some(q.at_ms),
            stale: provider_quote && now_ms - q.at_ms > STALE_AFTER_MIN * 60_000.0,
            deviation_pct: None,
            change_24h_pct: q.change_24h_pct,
        })
    });
    let deviation = match (&live, file_value) {
        (Some(l), Some(f)) if f.abs() > 1e-9 => l.value.map(|lv| (lv - f) / f.abs() * 100.0),
        _ => None,
    };
    let file_is_old = r
        .as_of_ms
        .is_some_and(|t| now_ms - t > HYBRID_MAX_AGE_MIN * 60_000.0);
    let chosen = match mode {
        PricingMode::Local => file,
        PricingMode::Live => live.or(file),
        PricingMode::Hybrid if file.is_none() || file_is_old => live.or(file),
        PricingMode::Hybrid => file.or(live),
    };
    let mut v = chosen.unwrap_or(none);
    v.deviation_pct = deviation;
    // The asset's 24 h move is known from its quote even when the file value is shown.
    v.change_24h_pct = quote.and_then(|q| q.change_24h_pct);
    v
}

/// True when a hybrid-mode deviation is above [`HYBRID_MAX_DEVIATION_PCT`].
pub fn deviation_flagged(v: &ValuedRow) -> bool {
    v.deviation_pct
        .is_some_and(|d| d.abs() > HYBRID_MAX_DEVIATION_PCT)
}

/// "just now", "3 min ago", "5 h ago".
pub fn ago_label(at_ms: f64, now_ms: f64) -> String {
    match age_label(at_ms, now_ms) {
        s if s == "just now" => s,
        s => format!("{s} ago"),
    }
}

/// "3 min", "5 h", "2 d": how old a time is.
pub fn age_label(at_ms: f64, now_ms: f64) -> String {
    let min = ((now_ms - at_ms) / 60_000.0).max(0.0);
    if min < 1.0 {
        "just now".to_string()
    } else if min < 60.0 {
        format!("{} min", min.floor())
    } else if min < 48.0 * 60.0 {
        format!("{} h", (min / 60.0).floor())
    } else {
        format!("{} d", (min / 1440.0).floor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holding::SourceKind;
    use crate::domain::prices::Provider;
    use crate::domain::taxonomy::GroupOrigin;

    const MIN: f64 = 60_000.0;

    fn row(
        symbol: &str,
        class: AssetClass,
        qty: f64,
        value: Option<f64>,
        currency: &str,
        as_of: Option<f64>,
    ) -> PortfolioRow {
        let mut h = Holding::new(symbol, class, qty, currency, "X");
        h.value = value;
        PortfolioRow {
            holding: h,
            source: SourceKind::Crypto,
            group: "G".into(),
            group_origin: GroupOrigin::Builtin,
            suggestion: None,
            as_of_ms: as_of,
        }
    }

    fn fx() -> FxRates {
        FxRates {
            base: "EUR".into(),
            date: "2025-01-02".into(),
            rates: [("USD".to_string(), 1.25), ("CHF".to_string(), 1.0)].into(),
        }
    }

    fn quote(key: &str, price: f64, at: f64) -> Quote {
        Quote {
            key: key.into(),
            price,
            currency: "USD".into(),
            at_ms: at,
            change_24h_pct: Some(2.0),
            origin: PriceOrigin::Provider(Provider::CoinGecko),
        }
    }

    #[test]
    fn converts_mixed_currencies_into_the_base() {
        // A CoinTracking row in USD and a Saxo row already in EUR end up in one EUR total.
        let rows = [
            row(
                "BTC",
                AssetClass::Crypto,
                1.0,
                Some(125.0),
                "USD",
                Some(0.0),
            ),
            row("AAPL", AssetClass::Stock, 2.0, Some(50.0), "EUR", Some(0.0)),
            row("CHF", AssetClass::Cash, 10.0, Some(10.0), "CHF", None),
        ];
        let v = value_rows(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "EUR",
            PricingMode::Local,
            0.0,
        );
        assert_eq!(
            v.rows.iter().map(|r| r.value).collect::<Vec<_>>(),
            [Some(100.0), Some(50.0), Some(10.0)]
        );
        assert_eq!(v.total, 160.0);
        assert_eq!(v.rows[2].origin, Some(PriceOrigin::Cash));
        assert!(v.missing.is_empty(), "local mode needs no live prices");
    }

    #[test]
    fn hybrid_prefers_fresh_file_values_and_flags_deviation() {
        let rows = [row(
            "BTC",
            AssetClass::Crypto,
            1.0,
            Some(125.0),
            "USD",
            Some(0.0),
        )];
        let mut book = PriceBook::default();
        book.quotes
            .insert("crypto:BTC".into(), quote("crypto:BTC", 150.0, 10.0 * MIN));
        let fresh = value_rows(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            10.0 * MIN,
        );
        assert_eq!(fresh.rows[0].origin, Some(PriceOrigin::File));
        assert_eq!(fresh.rows[0].value, Some(100.0));
        assert_eq!(fresh.rows[0].deviation_pct, Some(20.0));
        assert_eq!(
            fresh.rows[0].change_24h_pct,
            Some(2.0),
            "from the quote, though the file value is shown"
        );
        assert!(deviation_flagged(&fresh.rows[0]));
        let old = value_rows(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            31.0 * MIN,
        );
        assert_eq!(
            old.rows[0].origin,
            Some(PriceOrigin::Provider(Provider::CoinGecko))
        );
        assert_eq!(old.rows[0].value, Some(120.0));
        assert!(!old.rows[0].stale);
        let much_later = value_rows(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Live,
            10.0 * MIN + 61.0 * MIN,
        );
        assert!(much_later.rows[0].stale);
    }

    #[test]
    fn manual_prices_win_and_missing_prices_are_listed_once_per_asset() {
        let rows = [
            row("ZZZ", AssetClass::Crypto, 3.0, None, "USD", Some(0.0)),
            row("ZZZ", AssetClass::Crypto, 1.0, None, "USD", Some(0.0)),
            row("ETH", AssetClass::Crypto, 1.0, Some(10.0), "USD", Some(0.0)),
        ];
        let v = value_rows(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "USD",
            PricingMode::Live,
            0.0,
        );
        assert_eq!(v.unvalued, 2);
        assert_eq!(v.missing.len(), 2);
        assert_eq!(
            (
                v.missing[1].symbol.as_str(),
                v.missing[1].rows,
                v.missing[1].has_file_value
            ),
            ("ZZZ", 2, false)
        );
        let mut book = PriceBook::default();
        let mut manual = quote("crypto:ZZZ", 2.0, 0.0);
        manual.origin = PriceOrigin::Manual;
        book.manual.insert("crypto:ZZZ".into(), manual);
        book.quotes
            .insert("crypto:ZZZ".into(), quote("crypto:ZZZ", 99.0, 0.0));
        let v = value_rows(&rows, &book, Some(&fx()), "USD", PricingMode::Live, 1e12);
        assert_eq!(v.rows[0].value, Some(6.0));
        assert!(!v.rows[0].stale, "manual prices are never stale");
        assert_eq!(v.missing.len(), 1);
        // In hybrid mode a fresh file value is used, but the asset has a live quote: not missing.
        let mut eth = PriceBook::default();
        eth.quotes
            .insert("crypto:ETH".into(), quote("crypto:ETH", 12.0, 0.0));
        let fresh = value_rows(
            &rows[2..],
            &eth,
            Some(&fx()),
            "USD",
            PricingMode::Hybrid,
            0.0,
        );
        assert_eq!(fresh.rows[0].origin, Some(PriceOrigin::File));
        assert!(fresh.missing.is_empty());
    }

    #[test]
    fn unknown_fx_leaves_rows_unvalued_and_says_which_currency() {
        let rows = [row(
            "X",
            AssetClass::Stock,
            1.0,
            Some(100.0),
            "SEK",
            Some(0.0),
        )];
        let v = value_rows(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "EUR",
            PricingMode::Local,
            0.0,
        );
        assert_eq!(
            (v.unvalued, v.missing_fx.clone()),
            (1, vec!["SEK".to_string()])
        );
        let no_fx = value_rows(
            &rows,
            &PriceBook::default(),
            None,
            "SEK",
            PricingMode::Local,
            0.0,
        );
        assert_eq!(no_fx.total, 100.0, "same currency needs no FX");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age_label(0.0, 30_000.0), "just now");
        assert_eq!(age_label(0.0, 5.0 * MIN), "5 min");
        assert_eq!(age_label(0.0, 300.0 * MIN), "5 h");
        assert_eq!(age_label(0.0, 4.0 * 1440.0 * MIN), "4 d");
        assert_eq!(ago_label(0.0, 30_000.0), "just now");
        assert_eq!(ago_label(0.0, 5.0 * MIN), "5 min ago");
    }
}

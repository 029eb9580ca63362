//! Valuation in the profile's base currency: each row's value from the file, a live quote,
//! a manual price or its cash balance, chosen by the pricing mode, converted with FX, and
//! labelled with where it came from and how old it is.

use std::collections::BTreeMap;

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::portfolio::PortfolioRow;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::fx::{is_fiat, FxRates};
use crate::domain::prices::{
    PriceOrigin, PricingMode, Quote, HYBRID_MAX_AGE_MIN, HYBRID_MAX_DEVIATION_PCT, STALE_AFTER_MIN,
};
use crate::domain::sorting;

/// Everything known about prices: live quotes and the user's manual prices, by price key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceBook {
    /// Quotes from providers (fresh or cached).
    pub quotes: BTreeMap<PriceKey, Quote>,
    /// Prices typed by the user, or the last close of an imported price CSV; they win over quotes.
    pub manual: BTreeMap<PriceKey, Quote>,
}

/// One row of the holdings table with its value in the base currency.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedRow {
    /// The row (holding, source, group).
    pub row: PortfolioRow,
    /// Value in the base currency, `None` when neither a price nor a file value (or the FX
    /// rate) is available.
    pub value: Option<f64>,
    /// Unit price in the base currency.
    pub price: Option<f64>,
    /// Where the price came from.
    pub origin: Option<PriceOrigin>,
    /// Time of the price: quote time, or import time for file values.
    pub at: Option<Timestamp>,
    /// A live quote older than [`STALE_AFTER_MIN`] minutes.
    pub stale: bool,
    /// Live vs file deviation in percent, when both exist.
    pub deviation_pct: Option<f64>,
    /// 24 h change in percent (live quotes only).
    pub change_24h_pct: Option<f64>,
    /// Hybrid mode kept the file's value although a live price exists, because the import
    /// is younger than [`HYBRID_MAX_AGE_MIN`]: the time the live price takes over.
    pub file_kept_until: Option<Timestamp>,
}

impl ValuedRow {
    /// The holding.
    pub fn holding(&self) -> &Holding {
        &self.row.holding
    }
}

/// A price the valuation needed and did not find.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPrice {
    /// Price key.
    pub key: PriceKey,
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
    pub base: Currency,
    /// Every input row with its value, in input order.
    pub rows: Vec<ValuedRow>,
    /// Sum of the row values that could be valued.
    pub total: f64,
    /// Rows without a value.
    pub unvalued: usize,
    /// Prices to fetch or type, one per asset.
    pub missing: Vec<MissingPrice>,
    /// Currencies that could not be converted (no FX rate).
    pub missing_fx: Vec<Currency>,
    /// Holdings the total leaves out, and why, in input order.
    pub left_out: Vec<LeftOut>,
}

/// Why a holding has no value and is left out of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOutReason {
    /// Its value, price or balance is in a currency without an FX rate.
    NoFxRate(Currency),
    /// Neither a price nor a value in the file.
    NoPrice,
}

/// A holding the total leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Its symbol.
    pub symbol: String,
    /// Where it is held.
    pub location: String,
    /// Why.
    pub reason: LeftOutReason,
}

/// Hybrid mode's file values kept over live prices (imports younger than
/// [`HYBRID_MAX_AGE_MIN`] minutes): how many, and when the last gives way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FileValuesKept {
    /// Holdings showing their file value although a live price exists.
    pub holdings: usize,
    /// When live prices take over for all of them.
    pub until: Timestamp,
}

impl Valuation {
    /// The file values hybrid mode keeps over live prices, if any.
    pub fn file_values_kept(&self) -> Option<FileValuesKept> {
        let kept: Vec<Timestamp> = self.rows.iter().filter_map(|r| r.file_kept_until).collect();
        let until = kept.iter().copied().max()?;
        Some(FileValuesKept {
            holdings: kept.len(),
            until,
        })
    }
}

impl Valuation {
    /// A valuation of no rows.
    pub fn empty(base: Currency) -> Valuation {
        Valuation {
            base,
            rows: Vec::new(),
            total: 0.0,
            unvalued: 0,
            missing: Vec::new(),
            missing_fx: Vec::new(),
            left_out: Vec::new(),
        }
    }
}

/// What prices are valued with: the book, FX, the base currency, the mode and the clock.
#[derive(Debug, Clone, Copy)]
pub struct Pricing<'a> {
    /// Quotes and manual prices.
    pub book: &'a PriceBook,
    /// Today's FX rates (absent: only values already in `base` count).
    pub fx: Option<&'a FxRates>,
    /// The currency every value is shown in.
    pub base: Currency,
    /// How file values and live prices are chosen.
    pub mode: PricingMode,
    /// Now.
    pub now: Timestamp,
}

impl Pricing<'_> {
    /// `amount` of `from` in the base currency; `None` without a rate.
    pub fn to_base(&self, amount: f64, from: Currency) -> Option<f64> {
        if from == self.base {
            Some(amount)
        } else {
            self.fx.and_then(|f| f.convert(amount, from, self.base))
        }
    }

    /// The live quote of `key`: the user's price (or a price CSV's last close), else the
    /// provider's.
    pub fn live_quote(&self, key: &PriceKey) -> Option<&Quote> {
        self.book
            .manual
            .get(key)
            .or_else(|| self.book.quotes.get(key))
    }

    /// Every live unit price in the base currency, by key ([`Pricing::live_quote`] of each
    /// key the book holds, converted; those without a rate are left out).
    pub fn live_prices(&self) -> BTreeMap<PriceKey, f64> {
        self.book
            .manual
            .keys()
            .chain(self.book.quotes.keys())
            .filter_map(|k| {
                let q = self.live_quote(k)?;
                Some((k.clone(), self.to_base(q.price, q.currency)?))
            })
            .collect()
    }
}

/// Values `rows` in `p.base`. See [`PricingMode`] for how file values and live prices are
/// chosen.
pub fn value_rows(rows: Vec<PortfolioRow>, p: &Pricing<'_>) -> Valuation {
    let base = p.base;
    let convert = |amount: f64, from: Currency| p.to_base(amount, from);
    let mut out = Vec::with_capacity(rows.len());
    let mut missing: BTreeMap<PriceKey, MissingPrice> = BTreeMap::new();
    let mut missing_fx: Vec<Currency> = Vec::new();
    let mut left_out = Vec::new();
    for r in rows {
        let v = value_row(r, p, &convert);
        let h = v.holding();
        let no_rate = unconvertible(&v, &convert);
        if let Some(currency) = no_rate {
            if !missing_fx.contains(&currency) {
                missing_fx.push(currency);
            }
        }
        if v.value.is_none() {
            left_out.push(LeftOut {
                symbol: h.symbol.clone(),
                location: h.location.clone(),
                reason: no_rate.map_or(LeftOutReason::NoPrice, LeftOutReason::NoFxRate),
            });
        }
        let key = PriceKey::of(h);
        let has_live = p.book.manual.contains_key(&key) || p.book.quotes.contains_key(&key);
        if p.mode != PricingMode::Local && !is_cash(h) && !has_live {
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
    sorting::sort(&mut missing_fx);
    Valuation {
        base,
        rows: out,
        total,
        unvalued,
        missing: missing.into_values().collect(),
        missing_fx,
        left_out,
    }
}

/// Cash: bank balances and fiat held on exchanges are worth their balance.
fn is_cash(h: &Holding) -> bool {
    h.asset_class == AssetClass::Cash || (h.asset_class == AssetClass::Crypto && is_fiat(&h.symbol))
}

/// The currency a cash holding is a balance of (its symbol), `XXX` when it is no code.
fn cash_currency(h: &Holding) -> Currency {
    Currency::parse(&h.symbol).unwrap_or(Currency::NONE)
}

fn unconvertible(
    v: &ValuedRow,
    convert: &impl Fn(f64, Currency) -> Option<f64>,
) -> Option<Currency> {
    let h = v.holding();
    if v.value.is_some() {
        return None;
    }
    let currency = if is_cash(h) {
        cash_currency(h)
    } else {
        h.currency
    };
    (h.value.is_some() || is_cash(h))
        .then_some(currency)
        .filter(|c| convert(1.0, *c).is_none())
}

fn value_row(
    row: PortfolioRow,
    p: &Pricing<'_>,
    convert: &impl Fn(f64, Currency) -> Option<f64>,
) -> ValuedRow {
    let h = &row.holding;
    if is_cash(h) {
        let price = convert(1.0, cash_currency(h));
        let value = price.map(|p| p * h.quantity);
        return ValuedRow {
            value,
            price,
            origin: Some(PriceOrigin::Cash),
            at: None,
            stale: false,
            deviation_pct: None,
            change_24h_pct: None,
            file_kept_until: None,
            row,
        };
    }
    /// A price found for a row, before the mode chooses.
    struct Found {
        value: f64,
        price: Option<f64>,
        origin: PriceOrigin,
        at: Option<Timestamp>,
        stale: bool,
    }
    let key = PriceKey::of(h);
    let file_value = h.value.and_then(|v| convert(v, h.currency));
    let file = file_value.map(|value| Found {
        value,
        price: (h.quantity != 0.0).then(|| value / h.quantity),
        origin: PriceOrigin::File,
        at: row.as_of,
        stale: false,
    });
    let quote = p.live_quote(&key);
    let live = quote.and_then(|q| {
        let price = convert(q.price, q.currency)?;
        let provider_quote = matches!(q.origin, PriceOrigin::Provider(_));
        Some(Found {
            value: price * h.quantity,
            price: Some(price),
            origin: q.origin.clone(),
            at: Some(q.at),
            stale: provider_quote && p.now.minutes_since(q.at) > STALE_AFTER_MIN,
        })
    });
    let deviation = match (&live, file_value) {
        (Some(l), Some(f)) if f.abs() > 1e-9 => Some((l.value - f) / f.abs() * 100.0),
        _ => None,
    };
    let file_is_old = row
        .as_of
        .is_some_and(|t| p.now.minutes_since(t) > HYBRID_MAX_AGE_MIN);
    let file_kept_until = match (p.mode, &file, &live, row.as_of) {
        (PricingMode::Hybrid, Some(_), Some(_), Some(t)) if !file_is_old => {
            Some(t.plus_millis((HYBRID_MAX_AGE_MIN * 60_000.0) as i64))
        }
        _ => None,
    };
    let chosen = match p.mode {
        PricingMode::Local => file,
        PricingMode::Live => live.or(file),
        PricingMode::Hybrid if file.is_none() || file_is_old => live.or(file),
        PricingMode::Hybrid => file.or(live),
    };
    // The asset's 24 h move is known from its quote even when the file value is shown.
    let change_24h_pct = quote.and_then(|q| q.change_24h_pct);
    match chosen {
        Some(f) => ValuedRow {
            value: Some(f.value),
            price: f.price,
            origin: Some(f.origin),
            at: f.at,
            stale: f.stale,
            deviation_pct: deviation,
            change_24h_pct,
            file_kept_until,
            row,
        },
        None => ValuedRow {
            value: None,
            price: None,
            origin: None,
            at: None,
            stale: false,
            deviation_pct: deviation,
            change_24h_pct,
            file_kept_until: None,
            row,
        },
    }
}

/// True when a hybrid-mode deviation is above [`HYBRID_MAX_DEVIATION_PCT`].
pub fn deviation_flagged(v: &ValuedRow) -> bool {
    v.deviation_pct
        .is_some_and(|d| d.abs() > HYBRID_MAX_DEVIATION_PCT)
}

/// "just now", "3 min ago", "5 h ago".
pub fn ago_label(at: Timestamp, now: Timestamp) -> String {
    match age_label(at, now) {
        s if s == "just now" => s,
        s => format!("{s} ago"),
    }
}

/// "3 min", "5 h", "2 d": how old a time is.
pub fn age_label(at: Timestamp, now: Timestamp) -> String {
    let min = now.minutes_since(at).max(0.0);
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

    fn value(
        rows: &[PortfolioRow],
        book: &PriceBook,
        fx: Option<&FxRates>,
        base: &str,
        mode: PricingMode,
        now: i64,
    ) -> Valuation {
        let p = Pricing {
            book,
            fx,
            base: c(base),
            mode,
            now: at(now),
        };
        value_rows(rows.to_vec(), &p)
    }

    const MIN: i64 = 60_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn c(s: &str) -> Currency {
        Currency::parse(s).unwrap()
    }

    fn row(
        symbol: &str,
        class: AssetClass,
        qty: f64,
        value: Option<f64>,
        currency: &str,
        as_of: Option<i64>,
    ) -> PortfolioRow {
        let mut h = Holding::new(symbol, class, qty, c(currency), "X");
        h.value = value;
        PortfolioRow {
            holding: h,
            source: SourceKind::Crypto,
            group: "G".into(),
            group_origin: GroupOrigin::Builtin,
            suggestion: None,
            as_of: as_of.map(at),
        }
    }

    fn fx() -> FxRates {
        FxRates {
            base: Currency::EUR,
            date: crate::domain::calendar::parse_iso_day("2025-01-02").unwrap(),
            rates: [(Currency::USD, 1.25), (c("CHF"), 1.0)].into(),
        }
    }

    fn key(s: &str) -> PriceKey {
        s.parse().unwrap()
    }

    fn quote(k: &str, price: f64, t: i64) -> Quote {
        Quote {
            key: key(k),
            price,
            currency: Currency::USD,
            at: at(t),
            change_24h_pct: Some(2.0),
            origin: PriceOrigin::Provider(Provider::CoinGecko),
        }
    }

    #[test]
    fn converts_mixed_currencies_into_the_base() {
        // A CoinTracking row in USD and a Saxo row already in EUR end up in one EUR total.
        let rows = [
            row("BTC", AssetClass::Crypto, 1.0, Some(125.0), "USD", Some(0)),
            row("AAPL", AssetClass::Stock, 2.0, Some(50.0), "EUR", Some(0)),
            row("CHF", AssetClass::Cash, 10.0, Some(10.0), "CHF", None),
        ];
        let v = value(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "EUR",
            PricingMode::Local,
            0,
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
            Some(0),
        )];
        let mut book = PriceBook::default();
        book.quotes
            .insert(key("crypto:BTC"), quote("crypto:BTC", 150.0, 10 * MIN));
        let fresh = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            10 * MIN,
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
        let old = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            31 * MIN,
        );
        assert_eq!(
            old.rows[0].origin,
            Some(PriceOrigin::Provider(Provider::CoinGecko))
        );
        assert_eq!(old.rows[0].value, Some(120.0));
        assert!(!old.rows[0].stale);
        let much_later = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Live,
            10 * MIN + 61 * MIN,
        );
        assert!(much_later.rows[0].stale);
    }

    #[test]
    fn hybrid_says_which_file_values_it_keeps_and_until_when() {
        // Imported at 0 and 5 min; BTC has a live quote, ETH none. At 10 min BTC keeps its
        // file value until 0 + 30 min; ETH keeps it for want of a live price (not counted).
        let rows = [
            row("BTC", AssetClass::Crypto, 1.0, Some(125.0), "USD", Some(0)),
            row(
                "ETH",
                AssetClass::Crypto,
                1.0,
                Some(10.0),
                "USD",
                Some(5 * MIN),
            ),
        ];
        let mut book = PriceBook::default();
        book.quotes
            .insert(key("crypto:BTC"), quote("crypto:BTC", 150.0, 10 * MIN));
        let v = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            10 * MIN,
        );
        assert_eq!(
            v.file_values_kept(),
            Some(FileValuesKept {
                holdings: 1,
                until: at(30 * MIN)
            })
        );
        let later = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            31 * MIN,
        );
        assert_eq!(
            later.file_values_kept(),
            None,
            "the live price has taken over"
        );
        let live = value(
            &rows,
            &book,
            Some(&fx()),
            "EUR",
            PricingMode::Live,
            10 * MIN,
        );
        assert_eq!(live.file_values_kept(), None);
    }

    #[test]
    fn the_total_names_what_it_leaves_out_and_why() {
        // SEK cash and a SEK-valued stock with no SEK rate; a coin with no price at all.
        let rows = [
            row("SEK", AssetClass::Cash, 1000.0, None, "SEK", None),
            row("ERIC", AssetClass::Stock, 10.0, Some(600.0), "SEK", Some(0)),
            row("ZZZ", AssetClass::Crypto, 3.0, None, "USD", Some(0)),
            row("BTC", AssetClass::Crypto, 1.0, Some(125.0), "USD", Some(0)),
        ];
        let v = value(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "EUR",
            PricingMode::Hybrid,
            0,
        );
        let sek = c("SEK");
        assert_eq!(
            v.left_out
                .iter()
                .map(|l| (l.symbol.as_str(), l.reason))
                .collect::<Vec<_>>(),
            [
                ("SEK", LeftOutReason::NoFxRate(sek)),
                ("ERIC", LeftOutReason::NoFxRate(sek)),
                ("ZZZ", LeftOutReason::NoPrice),
            ]
        );
        assert_eq!(v.total, 100.0, "only BTC: 125 USD at 1.25 USD per EUR");
    }

    #[test]
    fn manual_prices_win_and_missing_prices_are_listed_once_per_asset() {
        let rows = [
            row("ZZZ", AssetClass::Crypto, 3.0, None, "USD", Some(0)),
            row("ZZZ", AssetClass::Crypto, 1.0, None, "USD", Some(0)),
            row("ETH", AssetClass::Crypto, 1.0, Some(10.0), "USD", Some(0)),
        ];
        let v = value(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "USD",
            PricingMode::Live,
            0,
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
        let mut manual = quote("crypto:ZZZ", 2.0, 0);
        manual.origin = PriceOrigin::Manual;
        book.manual.insert(key("crypto:ZZZ"), manual);
        book.quotes
            .insert(key("crypto:ZZZ"), quote("crypto:ZZZ", 99.0, 0));
        let v = value(
            &rows,
            &book,
            Some(&fx()),
            "USD",
            PricingMode::Live,
            1_000_000_000_000,
        );
        assert_eq!(v.rows[0].value, Some(6.0));
        assert!(!v.rows[0].stale, "manual prices are never stale");
        assert_eq!(v.missing.len(), 1);
        // In hybrid mode a fresh file value is used, but the asset has a live quote: not missing.
        let mut eth = PriceBook::default();
        eth.quotes
            .insert(key("crypto:ETH"), quote("crypto:ETH", 12.0, 0));
        let fresh = value(&rows[2..], &eth, Some(&fx()), "USD", PricingMode::Hybrid, 0);
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
            Some(0),
        )];
        let v = value(
            &rows,
            &PriceBook::default(),
            Some(&fx()),
            "EUR",
            PricingMode::Local,
            0,
        );
        assert_eq!((v.unvalued, v.missing_fx.clone()), (1, vec![c("SEK")]));
        let no_fx = value(
            &rows,
            &PriceBook::default(),
            None,
            "SEK",
            PricingMode::Local,
            0,
        );
        assert_eq!(no_fx.total, 100.0, "same currency needs no FX");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age_label(at(0), at(30_000)), "just now");
        assert_eq!(age_label(at(0), at(5 * MIN)), "5 min");
        assert_eq!(age_label(at(0), at(300 * MIN)), "5 h");
        assert_eq!(age_label(at(0), at(4 * 1440 * MIN)), "4 d");
        assert_eq!(ago_label(at(0), at(30_000)), "just now");
        assert_eq!(ago_label(at(0), at(5 * MIN)), "5 min ago");
    }
}

//! Which prices a set of holdings needs, and from which kind of source: coins go to the
//! crypto chain by symbol, stocks and ETFs to the listed-securities source by ticker and
//! market, cash and other assets to no one (cash is worth its balance).

use serde::{Deserialize, Serialize};

use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::price_key::PriceKey;
use crate::domain::sorting::{sort, sort_by};

/// A stock or ETF to price: its key, ticker, market and the currency it is quoted in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedAsset {
    /// Its price key.
    pub key: PriceKey,
    /// Ticker.
    pub symbol: String,
    /// Market identifier code, e.g. `XAMS`.
    pub venue: Option<String>,
    /// The currency its price is quoted in (the file's price currency, else its value's).
    pub currency: Currency,
}

/// The prices to fetch for a set of holdings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wanted {
    /// Coin symbols, sorted, once each.
    pub crypto: Vec<String>,
    /// Listed securities, by key order, once each.
    pub listed: Vec<ListedAsset>,
}

/// What `holdings` need priced: every coin once, every listed security once (the first
/// holding of a key gives its quote currency). Cash and other assets need no quote.
pub fn wanted<'a>(holdings: impl IntoIterator<Item = &'a Holding>) -> Wanted {
    let mut out = Wanted::default();
    for h in holdings {
        match h.asset_class {
            AssetClass::Crypto => out.crypto.push(h.symbol.clone()),
            AssetClass::Stock | AssetClass::Etf => out.listed.push(ListedAsset {
                key: PriceKey::of(h),
                symbol: h.symbol.clone(),
                venue: h.venue.clone(),
                currency: h.price_currency.unwrap_or(h.currency),
            }),
            AssetClass::Cash | AssetClass::Other => {}
        }
    }
    sort(&mut out.crypto);
    out.crypto.dedup();
    // Stable sort: the first holding of a key is kept.
    sort_by(&mut out.listed, |a, b| a.key.cmp(&b.key));
    out.listed.dedup_by(|later, first| later.key == first.key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_asset_is_priced_once_by_its_kind_of_source() {
        let usd = Currency::USD;
        let chf = Currency::parse("CHF").unwrap();
        let mut nesn = Holding::new("NESN", AssetClass::Stock, 3.0, Currency::EUR, "Saxo");
        nesn.venue = Some("XSWX".into());
        nesn.price_currency = Some(chf);
        let mut nesn_again = nesn.clone();
        nesn_again.price_currency = Some(usd);
        let holdings = [
            Holding::new("ETH", AssetClass::Crypto, 1.0, usd, "Kraken"),
            nesn,
            Holding::new("BTC", AssetClass::Crypto, 1.0, usd, "Kraken"),
            Holding::new("VWCE", AssetClass::Etf, 2.0, Currency::EUR, "Broker"),
            Holding::new("EUR", AssetClass::Cash, 100.0, Currency::EUR, "Bank"),
            Holding::new("BTC", AssetClass::Crypto, 0.5, usd, "Ledger"),
            Holding::new("Watch", AssetClass::Other, 1.0, Currency::EUR, "Home"),
            nesn_again,
        ];
        let w = wanted(&holdings);
        assert_eq!(w.crypto, ["BTC", "ETH"]);
        assert_eq!(
            w.listed
                .iter()
                .map(|l| (l.key.to_string(), l.currency))
                .collect::<Vec<_>>(),
            [
                ("listed:NESN@XSWX".to_string(), chf),
                ("listed:VWCE".to_string(), Currency::EUR)
            ],
            "the first NESN gives its quote currency; cash and other assets are not priced"
        );
        assert_eq!(w.listed[0].venue.as_deref(), Some("XSWX"));
    }
}

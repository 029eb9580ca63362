//! Generic CSVs: columns found by alias, or mapped by the user when the sniffer is unsure.

use serde::{Deserialize, Serialize};

use super::balances::{BalanceLayout, SymbolStyle};
use super::columns::{currency_in_header, Columns};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::number::DecimalStyle;

const SYMBOL: &[&str] = &[
    "symbol",
    "ticker",
    "coin",
    "asset",
    "code",
    "symbole",
    "token",
    "instrument symbol",
    "wertpapier",
];
const QUANTITY: &[&str] = &[
    "quantity", "qty", "amount", "balance", "units", "shares", "quantite", "holdings", "anzahl",
    "menge", "stuck", "position", "nominal",
];
const VALUE: &[&str] = &[
    "value",
    "market value",
    "current value",
    "total value",
    "value in usd",
    "value in eur",
    "usd value",
    "eur value",
    "value (usd)",
    "value (eur)",
    "valeur",
    "marktwert",
    "wert",
    "current value in usd",
    "current value in eur",
];
const PRICE: &[&str] = &[
    "price",
    "last price",
    "current price",
    "unit price",
    "price in usd",
    "price (usd)",
    "prix",
    "kurs",
    "close",
];
const CURRENCY: &[&str] = &["currency", "ccy", "devise", "wahrung", "currency code"];
const LOCATION: &[&str] = &[
    "location", "exchange", "wallet", "account", "broker", "bank", "platform", "compte", "konto",
    "depot",
];
const NAME: &[&str] = &["name", "description", "instrument", "nom", "bezeichnung"];
const CLASS: &[&str] = &["asset class", "asset type", "class", "type", "category"];

/// Which column holds which field, chosen by alias or by the user. Column indices refer
/// to the header row identified by `signature`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// [`Columns::signature`] of the header this mapping was made for.
    pub signature: String,
    /// Symbol column (required).
    pub symbol: Option<usize>,
    /// Quantity column (required).
    pub quantity: Option<usize>,
    /// Value column.
    pub value: Option<usize>,
    /// Unit-price column.
    pub price: Option<usize>,
    /// Currency column.
    pub currency: Option<usize>,
    /// Location column.
    pub location: Option<usize>,
    /// Name column.
    pub name: Option<usize>,
    /// Asset-class column.
    pub asset_class: Option<usize>,
    /// Currency of values when no column or header names one.
    pub default_currency: String,
    /// Location when there is no location column.
    pub default_location: String,
    /// Asset class when there is no asset-class column.
    pub default_asset_class: AssetClass,
    /// Number style.
    pub decimal_style: DecimalStyle,
}

impl ColumnMapping {
    /// Guesses a mapping from header aliases. `symbol` or `quantity` stay `None` when no
    /// column matches.
    pub fn guess(c: &Columns, default_location: &str) -> ColumnMapping {
        let symbol = c.find(SYMBOL);
        // "Currency" names the symbol in some exports (CoinTracking) when nothing else does.
        let symbol = symbol.or_else(|| c.find(&["currency"]).filter(|_| c.find(VALUE).is_some()));
        let currency = c.find(CURRENCY).filter(|&i| Some(i) != symbol);
        let value = c
            .find(VALUE)
            .or_else(|| c.find_prefix(&["value in ", "value (", "market value", "current value"]));
        ColumnMapping {
            signature: c.signature(),
            symbol,
            quantity: c.find(QUANTITY).filter(|&i| Some(i) != symbol),
            value,
            price: c
                .find(PRICE)
                .or_else(|| c.find_prefix(&["price in ", "price ("])),
            currency,
            location: c.find(LOCATION),
            name: c.find(NAME).filter(|&i| Some(i) != symbol),
            asset_class: c.find(CLASS),
            default_currency: "USD".to_string(),
            default_location: default_location.to_string(),
            default_asset_class: AssetClass::Crypto,
            decimal_style: DecimalStyle::Auto,
        }
    }

    /// True when both required columns were found.
    pub fn is_complete(&self) -> bool {
        self.symbol.is_some() && self.quantity.is_some()
    }

    /// The parser layout, or a sentence saying what is missing.
    pub fn layout(&self, c: &Columns) -> Result<BalanceLayout, String> {
        let in_range = |o: Option<usize>| o.filter(|&i| i < c.len());
        let symbol = in_range(self.symbol).ok_or("Choose the column that holds the symbol.")?;
        let quantity =
            in_range(self.quantity).ok_or("Choose the column that holds the quantity.")?;
        let with_currency =
            |o: Option<usize>| in_range(o).map(|i| (i, currency_in_header(&c.label(i))));
        Ok(BalanceLayout {
            symbol: (symbol, SymbolStyle::Plain),
            quantity,
            value: with_currency(self.value),
            price: with_currency(self.price),
            currency: in_range(self.currency),
            location: in_range(self.location),
            name: in_range(self.name),
            asset_class: in_range(self.asset_class),
            default_currency: Currency::parse(&self.default_currency).map_err(|e| e.to_string())?,
            default_location: self.default_location.clone(),
            default_asset_class: self.default_asset_class,
            decimal_style: self.decimal_style,
        })
    }
}

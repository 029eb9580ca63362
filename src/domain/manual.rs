//! Entries typed by hand (bank accounts, cash, a watch): the form's validation.

use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};

/// Why a manual entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManualEntryError {
    /// No symbol or name.
    #[error("Give the entry a symbol or a name.")]
    MissingSymbol,
    /// Currency is not a three-letter code.
    #[error("“{0}” is not a currency code: use three letters, like EUR or USD.")]
    BadCurrency(String),
    /// Quantity or value is not a finite number.
    #[error("“{0}” is not a number.")]
    BadNumber(String),
    /// No location.
    #[error("Say where it is held (a bank, a broker, “Home”…).")]
    MissingLocation,
}

/// A manual entry as typed in the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManualEntry {
    /// Symbol (for cash: leave empty, the currency is used).
    pub symbol: String,
    /// Asset class.
    pub asset_class: Option<AssetClass>,
    /// Quantity (for cash: the balance).
    pub quantity: String,
    /// Total value (optional for non-cash; cash is worth its balance).
    pub value: String,
    /// Currency of the value.
    pub currency: String,
    /// Where it is held.
    pub location: String,
}

/// Validates a manual entry and turns it into a holding.
pub fn manual_holding(e: &ManualEntry) -> Result<Holding, ManualEntryError> {
    use crate::domain::number::{parse_number, DecimalStyle};
    let currency = Currency::parse(&e.currency)
        .map_err(|_| ManualEntryError::BadCurrency(e.currency.trim().to_string()))?;
    let class = e.asset_class.unwrap_or(AssetClass::Cash);
    let symbol = match (e.symbol.trim(), class) {
        ("", AssetClass::Cash) => currency.to_string(),
        ("", _) => return Err(ManualEntryError::MissingSymbol),
        (s, _) => s.to_uppercase(),
    };
    let location = e.location.trim();
    if location.is_empty() {
        return Err(ManualEntryError::MissingLocation);
    }
    let number = |s: &str| {
        parse_number(s, DecimalStyle::Auto)
            .map_err(|_| ManualEntryError::BadNumber(s.trim().to_string()))
    };
    let quantity =
        number(&e.quantity)?.ok_or_else(|| ManualEntryError::BadNumber(e.quantity.clone()))?;
    let mut value = number(&e.value)?;
    if class == AssetClass::Cash && value.is_none() && currency == symbol.as_str() {
        value = Some(quantity);
    }
    let mut h = Holding::new(&symbol, class, quantity, currency, location);
    h.value = value;
    if let Some(v) = value.filter(|_| quantity != 0.0) {
        h.price = Some(v / quantity);
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_entries_are_validated() {
        let cash = ManualEntry {
            quantity: "12.500,50".into(),
            currency: "chf".into(),
            location: "UBS".into(),
            ..Default::default()
        };
        let h = manual_holding(&cash).unwrap();
        assert_eq!(
            (h.symbol.as_str(), h.value, h.asset_class),
            ("CHF", Some(12_500.5), AssetClass::Cash)
        );
        let bad = ManualEntry {
            currency: "euro".into(),
            ..cash.clone()
        };
        assert_eq!(
            manual_holding(&bad).unwrap_err().to_string(),
            "“euro” is not a currency code: use three letters, like EUR or USD."
        );
        let no_loc = ManualEntry {
            location: " ".into(),
            ..cash.clone()
        };
        assert_eq!(
            manual_holding(&no_loc),
            Err(ManualEntryError::MissingLocation)
        );
        let nan = ManualEntry {
            quantity: "lots".into(),
            ..cash
        };
        assert_eq!(
            manual_holding(&nan),
            Err(ManualEntryError::BadNumber("lots".into()))
        );
        let watch = ManualEntry {
            symbol: "Watch".into(),
            asset_class: Some(AssetClass::Other),
            quantity: "1".into(),
            value: "8000".into(),
            currency: "EUR".into(),
            location: "Home".into(),
        };
        assert_eq!(manual_holding(&watch).unwrap().value, Some(8000.0));
    }
}

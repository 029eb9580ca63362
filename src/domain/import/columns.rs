//! Finding columns by normalised header name.

use super::text::normalise_header;
use crate::domain::currency::Currency;

/// Currency codes recognised inside headers such as `Value in USD` or `Valeur actuelle (EUR)`.
const HEADER_CURRENCIES: [&str; 22] = [
    "USD", "EUR", "CHF", "GBP", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "SGD", "HKD", "CNY", "INR", "BRL", "ZAR", "BTC", "ETH",
];

/// A header row, normalised for lookup, with the original text kept for messages.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Normalised names (see [`normalise_header`]).
    pub names: Vec<String>,
    /// Headers as written (trimmed).
    pub raw: Vec<String>,
}

impl Columns {
    /// Builds the lookup from header cells.
    pub fn new<'a>(cells: impl IntoIterator<Item = &'a str>) -> Columns {
        let raw: Vec<String> = cells
            .into_iter()
            .map(|c| {
                c.trim()
                    .trim_start_matches('\u{feff}')
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        Columns {
            names: raw.iter().map(|r| normalise_header(r)).collect(),
            raw,
        }
    }

    /// Index of the first column whose normalised name equals one of `aliases` (tried in order).
    pub fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases
            .iter()
            .find_map(|a| self.names.iter().position(|n| n == a))
    }

    /// Index of the first column whose normalised name starts with one of `prefixes`.
    pub fn find_prefix(&self, prefixes: &[&str]) -> Option<usize> {
        prefixes
            .iter()
            .find_map(|p| self.names.iter().position(|n| n.starts_with(p)))
    }

    /// Index of the first column named `name` after column `after`.
    pub fn find_after(&self, name: &str, after: usize) -> Option<usize> {
        self.names
            .iter()
            .enumerate()
            .skip(after + 1)
            .find(|(_, n)| *n == name)
            .map(|(i, _)| i)
    }

    /// True when every name in `required` is present.
    pub fn has_all(&self, required: &[&str]) -> bool {
        required.iter().all(|r| self.names.iter().any(|n| n == r))
    }

    /// The header as written, for messages.
    pub fn label(&self, i: usize) -> String {
        self.raw.get(i).cloned().unwrap_or_default()
    }

    /// A signature identifying this header layout (for saved column mappings).
    pub fn signature(&self) -> String {
        self.names.join("|")
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True for an empty header.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The currency named in a header (`Current value in USD` → USD, `Valeur actuelle (EUR)` → EUR).
pub fn currency_in_header(header: &str) -> Option<Currency> {
    header
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|t| Currency::parse(t).ok())
        .rfind(|c| HEADER_CURRENCIES.contains(&c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_columns_and_currencies() {
        let c = Columns::new([
            "\u{feff}Amount",
            "Cur.",
            "Sell",
            "Cur.",
            "Valeur actuelle (EUR)",
        ]);
        assert_eq!(c.find(&["qty", "amount"]), Some(0));
        assert_eq!(c.find_after("cur.", 2), Some(3));
        assert_eq!(c.find_prefix(&["valeur actuelle ("]), Some(4));
        assert_eq!(currency_in_header(&c.label(4)), Some(Currency::EUR));
        assert_eq!(
            currency_in_header("Current value in USD"),
            Some(Currency::USD)
        );
        assert_eq!(currency_in_header("Value"), None);
    }
}

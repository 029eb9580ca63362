//! The options one import is given.

use serde::{Deserialize, Serialize};

use super::generic::ColumnMapping;
use crate::domain::currency::Currency;
use crate::domain::number::DecimalStyle;

/// Options for one import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Column mappings saved earlier; one whose signature matches the file's header is used.
    pub saved_mappings: Vec<ColumnMapping>,
    /// A mapping the user just confirmed for this file (wins over detection).
    pub mapping: Option<ColumnMapping>,
    /// The number style, when the user chose one; `None` decides it from the file.
    #[serde(default)]
    pub number_style: Option<DecimalStyle>,
    /// Read a CoinTracking Trade List as transactions instead of end balances.
    #[serde(default)]
    pub trade_list_as_transactions: bool,
    /// The IANA time zone (`Europe/Paris`) of exports that write local times without a
    /// zone (CoinTracking, Revolut, generic files); UTC when `None`.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The account's currency, for exports that do not write it (XTB).
    #[serde(default)]
    pub account_currency: Option<Currency>,
}

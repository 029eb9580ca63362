//! What a figure is about: the portfolio, a group, an account or an asset.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::performance::lots::{AccountId, AssetId};

/// The part of the portfolio a figure covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// Everything.
    Portfolio,
    /// The assets of one group (the taxonomy's, or any grouping the caller gives).
    Group(String),
    /// One account, all its assets.
    Account(AccountId),
    /// One asset, across all accounts.
    Asset(AssetId),
}

/// Which group each asset belongs to, filled by the caller (from the taxonomy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    groups: HashMap<String, String>,
    default: String,
}

impl Grouping {
    /// Every asset in `default` until assigned.
    pub fn new(default: &str) -> Grouping {
        Grouping {
            groups: HashMap::new(),
            default: default.to_string(),
        }
    }

    /// Puts the asset with this symbol in `group`.
    pub fn assign(&mut self, symbol: &str, group: &str) {
        self.groups.insert(symbol.to_string(), group.to_string());
    }

    /// The group of a symbol.
    pub fn group_of(&self, symbol: &str) -> &str {
        self.groups.get(symbol).unwrap_or(&self.default)
    }
}

impl Default for Grouping {
    /// Everything in "Others" (the taxonomy's catch-all group).
    fn default() -> Grouping {
        Grouping::new("Others")
    }
}

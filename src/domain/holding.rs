//! Holdings: what a person owns, where, and what the file said it was worth.

use serde::{Deserialize, Serialize};

/// The broad kind of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssetClass {
    /// Coins and tokens (fiat balances held on exchanges are classified by the taxonomy).
    Crypto,
    /// Single stocks.
    Stock,
    /// Exchange-traded funds and other exchange-traded products.
    Etf,
    /// Bank balances and cash in any currency.
    Cash,
    /// Anything else entered by hand (real estate, a loan, a watch…).
    Other,
}

impl AssetClass {
    /// All classes, in display order.
    pub const ALL: [AssetClass; 5] = [
        AssetClass::Crypto,
        AssetClass::Stock,
        AssetClass::Etf,
        AssetClass::Cash,
        AssetClass::Other,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            AssetClass::Crypto => "Crypto",
            AssetClass::Stock => "Stocks",
            AssetClass::Etf => "ETFs",
            AssetClass::Cash => "Cash",
            AssetClass::Other => "Other",
        }
    }

    /// Parses the label or a common synonym (case-insensitive).
    pub fn parse(s: &str) -> Option<AssetClass> {
        match s.trim().to_ascii_lowercase().as_str() {
            "crypto" | "coin" | "token" | "cryptocurrency" => Some(AssetClass::Crypto),
            "stock" | "stocks" | "action" | "actions" | "equity" | "share" | "shares" => {
                Some(AssetClass::Stock)
            }
            "etf" | "etfs" | "etp" | "fund" | "exchange traded fund (etf)" => Some(AssetClass::Etf),
            "cash" | "currency" | "fiat" | "bank" => Some(AssetClass::Cash),
            "other" => Some(AssetClass::Other),
            _ => None,
        }
    }
}

/// Where a set of holdings came from, within a profile. Each source keeps its own import
/// versions, one of which is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceKind {
    /// Crypto exchanges and wallets (CoinTracking exports, generic crypto CSVs).
    Crypto,
    /// Broker positions (Saxo Bank).
    Stocks,
    /// Bank balances imported from a CSV.
    Bank,
    /// Entries typed by hand.
    Manual,
}

impl SourceKind {
    /// All sources, in display order.
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Crypto,
        SourceKind::Stocks,
        SourceKind::Bank,
        SourceKind::Manual,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Crypto => "Crypto",
            SourceKind::Stocks => "Stocks",
            SourceKind::Bank => "Bank",
            SourceKind::Manual => "Manual",
        }
    }

    /// Stable key used in storage and URLs.
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Crypto => "crypto",
            SourceKind::Stocks => "stocks",
            SourceKind::Bank => "bank",
            SourceKind::Manual => "manual",
        }
    }

    /// Inverse of [`SourceKind::key`].
    pub fn from_key(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// One position: a quantity of an asset at a location, with the value the file gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    /// Canonical ticker (upper case; CoinTracking's digit-suffixed aliases resolved to the base coin).
    pub symbol: String,
    /// The ticker as written in the file, when it differs from `symbol` (`APT3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Long name, when the file has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Broad kind of asset.
    pub asset_class: AssetClass,
    /// Units held (negative balances exist in CoinTracking exports and are kept).
    pub quantity: f64,
    /// Value in `currency` as given by the file (or quantity × price); `None` when unknown.
    #[serde(default)]
    pub value: Option<f64>,
    /// ISO currency of `value`.
    pub currency: String,
    /// Unit price, in `price_currency` (or `currency` when that is `None`).
    #[serde(default)]
    pub price: Option<f64>,
    /// Currency of `price` when it differs from `currency` (Saxo: value in account currency, price in instrument currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_currency: Option<String>,
    /// Exchange, wallet, broker account or bank.
    pub location: String,
    /// Trading venue (market identifier code) for listed securities, e.g. `XNAS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// ISIN for listed securities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isin: Option<String>,
}

impl Holding {
    /// A holding with only the required fields set.
    pub fn new(
        symbol: &str,
        asset_class: AssetClass,
        quantity: f64,
        currency: &str,
        location: &str,
    ) -> Holding {
        Holding {
            symbol: symbol.to_string(),
            alias: None,
            name: None,
            asset_class,
            quantity,
            value: None,
            currency: currency.to_string(),
            price: None,
            price_currency: None,
            location: location.to_string(),
            venue: None,
            isin: None,
        }
    }

    /// The key two rows of one file are merged on: same asset, same place, same currency.
    pub fn merge_key(&self) -> (String, String, AssetClass, String) {
        (
            self.symbol.clone(),
            self.location.to_lowercase(),
            self.asset_class,
            self.currency.clone(),
        )
    }

    /// Adds another row of the same asset and location into this one.
    pub fn absorb(&mut self, other: &Holding) {
        self.quantity += other.quantity;
        self.value = match (self.value, other.value) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        if self.name.is_none() {
            self.name.clone_from(&other.name);
        }
        if self.alias.is_none() {
            self.alias.clone_from(&other.alias);
        }
    }
}

/// Merges rows with the same [`Holding::merge_key`], keeping first-seen order, and drops
/// zero balances (below 1e-12 units).
pub fn merge_holdings(rows: Vec<Holding>) -> Vec<Holding> {
    let mut merger = Merger::default();
    for h in rows {
        merger.push(h);
    }
    merger.finish()
}

/// [`merge_holdings`] one row at a time, without building a key per row: rows are found by
/// a hash of the key's fields (FNV-1a, the location lower-cased on the fly) and compared
/// field by field.
#[derive(Debug, Default)]
pub struct Merger {
    index: std::collections::HashMap<u64, Vec<usize>, PassThrough>,
    out: Vec<Holding>,
}

impl Merger {
    /// Adds a row: absorbed into the first-seen row with its key, or kept as a new one.
    pub fn push(&mut self, h: Holding) {
        let slot = self.index.entry(merge_hash(&h)).or_default();
        match slot.iter().find(|&&i| same_merge_key(&self.out[i], &h)) {
            Some(&i) => self.out[i].absorb(&h),
            None => {
                slot.push(self.out.len());
                self.out.push(h);
            }
        }
    }

    /// The merged rows in first-seen order, zero balances dropped.
    pub fn finish(mut self) -> Vec<Holding> {
        self.out
            .retain(|h| h.quantity.abs() >= 1e-12 || h.value.is_some_and(|v| v.abs() >= 1e-9));
        self.out
    }
}

/// Equal [`Holding::merge_key`]s, compared without building them.
fn same_merge_key(a: &Holding, b: &Holding) -> bool {
    a.symbol == b.symbol
        && a.asset_class == b.asset_class
        && a.currency == b.currency
        && if a.location.is_ascii() && b.location.is_ascii() {
            a.location.eq_ignore_ascii_case(&b.location)
        } else {
            a.location
                .chars()
                .flat_map(char::to_lowercase)
                .eq(b.location.chars().flat_map(char::to_lowercase))
        }
}

/// FNV-1a over the fields of [`Holding::merge_key`] (separated, so "ab"+"c" ≠ "a"+"bc").
fn merge_hash(h: &Holding) -> u64 {
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        x ^= u64::from(b);
        x = x.wrapping_mul(0x0100_0000_01b3);
    };
    h.symbol.bytes().for_each(&mut eat);
    eat(0xff);
    if h.location.is_ascii() {
        h.location.bytes().for_each(|b| eat(b.to_ascii_lowercase()));
    } else {
        let mut buf = [0u8; 4];
        for c in h.location.chars().flat_map(char::to_lowercase) {
            c.encode_utf8(&mut buf).bytes().for_each(&mut eat);
        }
    }
    eat(0xff);
    eat(h.asset_class as u8);
    h.currency.bytes().for_each(&mut eat);
    x
}

/// A hasher for keys that are already hashes.
#[derive(Debug, Default, Clone, Copy)]
struct PassThrough;

impl std::hash::BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

/// See [`PassThrough`].
#[derive(Debug, Default)]
struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

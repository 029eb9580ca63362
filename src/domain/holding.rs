//! Holdings: what a person owns, where, and what the file said it was worth.

use std::collections::BTreeMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::currency::Currency;

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

/// Reads a stored map keyed by asset class. Records written before classes were typed
/// keyed it by display label (`Stocks`, `ETFs`); those read back as the class
/// ([`AssetClass::parse`]), so a label can change without orphaning them. Values under two
/// spellings of one class are added; a key naming no class is refused with its text.
pub fn class_keyed<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<AssetClass, f64>, D::Error> {
    let raw = BTreeMap::<String, f64>::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        let class = AssetClass::parse(&k)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown asset class “{k}”")))?;
        *out.entry(class).or_insert(0.0) += v;
    }
    Ok(out)
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
    /// Currency of `value`.
    #[serde(deserialize_with = "stored_currency")]
    pub currency: Currency,
    /// Unit price, in `price_currency` (or `currency` when that is `None`).
    #[serde(default)]
    pub price: Option<f64>,
    /// Currency of `price` when it differs from `currency` (Saxo: value in account currency, price in instrument currency).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "stored_price_currency"
    )]
    pub price_currency: Option<Currency>,
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
        currency: Currency,
        location: &str,
    ) -> Holding {
        Holding {
            symbol: symbol.to_string(),
            alias: None,
            name: None,
            asset_class,
            quantity,
            value: None,
            currency,
            price: None,
            price_currency: None,
            location: location.to_string(),
            venue: None,
            isin: None,
        }
    }

    /// The key two rows of one file are merged on: same asset, same place, same currency.
    pub fn merge_key(&self) -> (String, String, AssetClass, Currency) {
        (
            self.symbol.clone(),
            self.location.to_lowercase(),
            self.asset_class,
            self.currency,
        )
    }

    /// Adds another row of the same asset and location into this one.
    pub fn absorb(&mut self, other: &Holding) {
        self.absorb_parts(
            other.quantity,
            other.value,
            other.name.as_deref(),
            other.alias.as_deref(),
        );
    }

    /// [`Holding::absorb`] of a row given by its parts: quantities and values add up, a
    /// missing name or alias is taken from the row.
    pub fn absorb_parts(
        &mut self,
        quantity: f64,
        value: Option<f64>,
        name: Option<&str>,
        alias: Option<&str>,
    ) {
        self.quantity += quantity;
        self.value = match (self.value, value) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        if self.name.is_none() {
            self.name = name.map(str::to_string);
        }
        if self.alias.is_none() {
            self.alias = alias.map(str::to_string);
        }
    }
}

/// A holding's currency as stored: records written before currencies were checked may hold
/// a text that is no code (a generic file's `USDT`); it reads back as `XXX` (ISO 4217's "no
/// currency"), which no rate converts — as the text was never converted before.
fn stored_currency<'de, D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(Currency::parse(&s).unwrap_or(Currency::NONE))
}

/// [`stored_currency`] of an optional price currency.
fn stored_price_currency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Currency>, D::Error> {
    let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
    Ok(s.map(|s| Currency::parse(&s).unwrap_or(Currency::NONE)))
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

/// What decides which rows merge ([`Holding::merge_key`]), borrowed.
#[derive(Debug, Clone, Copy)]
pub struct MergeKey<'a> {
    /// Canonical symbol.
    pub symbol: &'a str,
    /// Location (compared case-insensitively).
    pub location: &'a str,
    /// Asset class.
    pub asset_class: AssetClass,
    /// Currency of the value.
    pub currency: Currency,
}

impl MergeKey<'_> {
    /// True when `h` has this key.
    #[inline(always)]
    fn matches(&self, h: &Holding) -> bool {
        self.symbol == h.symbol
            && self.asset_class == h.asset_class
            && self.currency == h.currency
            && if self.location.is_ascii() && h.location.is_ascii() {
                self.location.eq_ignore_ascii_case(&h.location)
            } else {
                self.location
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(h.location.chars().flat_map(char::to_lowercase))
            }
    }

    /// [`Fnv1a`] over the fields (separated, so "ab"+"c" ≠ "a"+"bc"), the location
    /// lower-cased on the fly.
    #[inline(always)]
    fn hash(&self) -> u64 {
        let mut h = Fnv1a::default();
        h.write(self.symbol.as_bytes());
        h.write_u8(0xff);
        if self.location.is_ascii() {
            self.location
                .bytes()
                .for_each(|b| h.write_u8(b.to_ascii_lowercase()));
        } else {
            let mut buf = [0u8; 4];
            for c in self.location.chars().flat_map(char::to_lowercase) {
                h.write(c.encode_utf8(&mut buf).as_bytes());
            }
        }
        h.write_u8(0xff);
        h.write_u8(self.asset_class as u8);
        h.write(self.currency.as_str().as_bytes());
        h.finish()
    }
}

/// FNV-1a, byte by byte: a hash for short keys (merge keys; the Trade List's symbols and
/// exchanges, through [`FnvBuildHasher`]).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// [`Fnv1a`] for a `HashMap`.
pub type FnvBuildHasher = BuildHasherDefault<Fnv1a>;

/// A row for a [`Merger`]: its key, what it adds to a holding with the same key, and the
/// holding it becomes when it is the first with its key. A parser's borrowed row
/// implements it so that rows merged into an existing holding allocate nothing.
pub trait MergeRow {
    /// The row's key.
    fn key(&self) -> MergeKey<'_>;
    /// Adds this row into `h`, which has the same key (see [`Holding::absorb`]).
    fn absorb_into(&self, h: &mut Holding);
    /// The row as a holding of its own.
    fn into_holding(self) -> Holding;
}

impl MergeRow for Holding {
    fn key(&self) -> MergeKey<'_> {
        MergeKey {
            symbol: &self.symbol,
            location: &self.location,
            asset_class: self.asset_class,
            currency: self.currency,
        }
    }
    fn absorb_into(&self, h: &mut Holding) {
        h.absorb(self);
    }
    fn into_holding(self) -> Holding {
        self
    }
}

/// [`merge_holdings`] one row at a time, without building a key per row: a row is found
/// by the hash of its key's fields, then compared field by field with the holdings that
/// have that hash (chained through `next`, so no list per hash).
#[derive(Debug, Default)]
pub struct Merger {
    /// Another hash than [`MergeKey::hash`] (tests make keys collide with it); called
    /// only when set, so the usual hash is inlined.
    hash: Option<fn(&MergeKey<'_>) -> u64>,
    /// The first holding with each hash.
    first: std::collections::HashMap<u64, u32, PassThrough>,
    /// For each holding, the next one with the same hash.
    next: Vec<Option<u32>>,
    out: Vec<Holding>,
}

impl Merger {
    /// Adds a row: absorbed into the first-seen holding with its key, or kept as a new one.
    pub fn push(&mut self, row: impl MergeRow) {
        let key = row.key();
        let hash = self.hash.map_or_else(|| key.hash(), |hash| hash(&key));
        let mut at = self.first.get(&hash).copied();
        let mut last = None;
        while let Some(i) = at {
            if key.matches(&self.out[i as usize]) {
                row.absorb_into(&mut self.out[i as usize]);
                return;
            }
            last = Some(i);
            at = self.next[i as usize];
        }
        let i = self.out.len() as u32;
        match last {
            Some(l) => self.next[l as usize] = Some(i),
            None => {
                self.first.insert(hash, i);
            }
        }
        self.next.push(None);
        self.out.push(row.into_holding());
    }

    /// The merged rows in first-seen order, zero balances dropped.
    pub fn finish(mut self) -> Vec<Holding> {
        self.out
            .retain(|h| h.quantity.abs() >= 1e-12 || h.value.is_some_and(|v| v.abs() >= 1e-9));
        self.out
    }
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

// proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition: each row goes into the first earlier row with the same
    /// [`Holding::merge_key`], found by looking at every one.
    fn merged_by_definition(rows: Vec<Holding>) -> Vec<Holding> {
        let mut out: Vec<Holding> = Vec::new();
        for h in rows {
            match out.iter_mut().find(|o| o.merge_key() == h.merge_key()) {
                Some(o) => o.absorb(&h),
                None => out.push(h),
            }
        }
        out.retain(|h| h.quantity.abs() >= 1e-12 || h.value.is_some_and(|v| v.abs() >= 1e-9));
        out
    }

    fn row() -> impl Strategy<Value = Holding> {
        let pick = |v: &'static [&'static str]| prop::sample::select(v);
        (
            pick(&["BTC", "ETH", "SOL", "ß"]),
            pick(&["Kraken", "KRAKEN", "kraken", "Börse", "BÖRSE", ""]),
            prop::sample::select(AssetClass::ALL.to_vec()),
            pick(&["EUR", "USD"]),
            prop::option::of(-5i32..5),
            prop::option::of(-5i32..5),
            prop::option::of(pick(&["Bitcoin", "Ether"])),
            prop::option::of(pick(&["SOL2", "BTC3"])),
        )
            .prop_map(
                |(symbol, location, class, currency, qty, value, name, alias)| {
                    let mut h = Holding::new(
                        symbol,
                        class,
                        f64::from(qty.unwrap_or(0)) / 4.0,
                        Currency::parse(currency).unwrap(),
                        location,
                    );
                    h.value = value.map(|v| f64::from(v) * 1.5);
                    h.name = name.map(str::to_string);
                    h.alias = alias.map(str::to_string);
                    h
                },
            )
    }

    fn merged(rows: Vec<Holding>, hash: fn(&MergeKey<'_>) -> u64) -> Vec<Holding> {
        let mut m = Merger {
            hash: Some(hash),
            ..Merger::default()
        };
        rows.into_iter().for_each(|h| m.push(h));
        m.finish()
    }

    proptest! {
        #[test]
        fn the_merger_merges_as_the_definition_says(rows in prop::collection::vec(row(), 0..200)) {
            let expected = merged_by_definition(rows.clone());
            prop_assert_eq!(&merged(rows.clone(), |k| k.hash()), &expected);
            // Keys that share a hash are told apart by their fields.
            prop_assert_eq!(&merged(rows.clone(), |k| k.symbol.len() as u64), &expected);
            prop_assert_eq!(&merged(rows, |_| 0), &expected);
        }
    }
}

//! Target allocations: percent per asset class, per crypto group inside the crypto class,
//! and optionally per asset inside any bucket; their validation and flattening into the
//! sleeves a plan works on. Starting points are in [`super::templates`].
//!
//! Targets are keyed by typed values ([`AssetClass`], [`Bucket`]), never by the labels the
//! page shows, so a label can change (or be translated) without orphaning saved targets.
//! Records written when they were keyed by label (`"Stocks"`, `"ETFs"`) read back as the
//! same classes.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::holding::{class_keyed, AssetClass};
use crate::domain::rebalance::model::STABLECOINS;

/// Tolerance on "sums to 100 %", in percentage points.
pub const SUM_TOLERANCE_PP: f64 = 0.01;

/// What a target is set for: an asset class, or a crypto group when crypto is split by
/// group. Stocks and ETFs are separate classes (the templates split equities between them
/// as they are held, and a user may want index funds rather than single stocks).
///
/// Shown with [`fmt::Display`] (the class's label, or the group's name). Stored as the
/// class's own name (`Stock`, as [`AssetClass`] is stored) or the group's name; a stored
/// class label (`Stocks`) reads back as the class. No taxonomy group is named like a class.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    /// A whole asset class (crypto too, when it is not split by group).
    Class(AssetClass),
    /// A taxonomy group inside the crypto class.
    Group(String),
}

impl Bucket {
    /// The bucket a position falls in: its crypto group when crypto is split, else its class.
    pub fn of(class: AssetClass, group: &str, split_crypto: bool) -> Bucket {
        if class == AssetClass::Crypto && split_crypto {
            Bucket::Group(group.to_string())
        } else {
            Bucket::Class(class)
        }
    }

    /// The class of the assets in it.
    pub fn class(&self) -> AssetClass {
        match self {
            Bucket::Class(c) => *c,
            Bucket::Group(_) => AssetClass::Crypto,
        }
    }

    /// Cash and stablecoins: the settlement side of trades.
    pub fn cash_like(&self) -> bool {
        match self {
            Bucket::Class(c) => *c == AssetClass::Cash,
            Bucket::Group(g) => g == STABLECOINS,
        }
    }

    /// Reads a stored bucket: a class's name or former label, else a group's name.
    fn from_stored(s: &str) -> Bucket {
        let class = AssetClass::ALL
            .into_iter()
            .find(|c| stored_name(*c) == s || c.label() == s);
        match class {
            Some(c) => Bucket::Class(c),
            None => Bucket::Group(s.to_string()),
        }
    }
}

/// How a class bucket is stored: the class's variant name, as [`AssetClass`] itself is.
fn stored_name(class: AssetClass) -> &'static str {
    match class {
        AssetClass::Crypto => "Crypto",
        AssetClass::Stock => "Stock",
        AssetClass::Etf => "Etf",
        AssetClass::Cash => "Cash",
        AssetClass::Other => "Other",
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bucket::Class(c) => f.write_str(c.label()),
            Bucket::Group(g) => f.write_str(g),
        }
    }
}

impl Serialize for Bucket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Bucket::Class(c) => s.serialize_str(stored_name(*c)),
            Bucket::Group(g) => s.serialize_str(g),
        }
    }
}

impl<'de> Deserialize<'de> for Bucket {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Bucket, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Bucket::from_stored(&s))
    }
}

/// Targets of one profile, in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// Percent of the portfolio per asset class.
    #[serde(default, deserialize_with = "class_keyed")]
    pub classes: BTreeMap<AssetClass, f64>,
    /// Percent of the crypto class per taxonomy group. Empty: crypto is one bucket.
    #[serde(default)]
    pub groups: BTreeMap<String, f64>,
    /// Optional percent of a bucket per asset symbol. Assets of that bucket left out of its
    /// map have a target of zero.
    #[serde(default)]
    pub assets: BTreeMap<Bucket, BTreeMap<String, f64>>,
}

/// Why targets cannot be planned with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    /// No class has a target.
    #[error("No targets are set yet.")]
    Empty,
    /// A target is negative, above 100 or not a number.
    #[error("The target for {key} is {value}: each target must be between 0 and 100 %.")]
    OutOfRange {
        /// The class, group or asset, as shown.
        key: String,
        /// The value given.
        value: f64,
    },
    /// Class targets do not add up to 100.
    #[error("Asset-class targets add up to {sum:.2} %, not 100 % ({left:+.2} points to assign).")]
    ClassSum {
        /// Their sum.
        sum: f64,
        /// 100 − sum.
        left: f64,
    },
    /// Group targets inside crypto do not add up to 100.
    #[error("Crypto group targets add up to {sum:.2} % of crypto, not 100 % ({left:+.2} points to assign).")]
    GroupSum {
        /// Their sum.
        sum: f64,
        /// 100 − sum.
        left: f64,
    },
    /// Asset targets inside a bucket do not add up to 100.
    #[error("Asset targets inside {bucket} add up to {sum:.2} %, not 100 %.")]
    AssetSum {
        /// The bucket.
        bucket: Bucket,
        /// Their sum.
        sum: f64,
    },
}

/// The effective target of one sleeve: a bucket, or one asset of a bucket with asset targets.
#[derive(Debug, Clone, PartialEq)]
pub struct SleeveTarget {
    /// Unique key as shown: the bucket, or `bucket › SYMBOL`.
    pub key: String,
    /// The bucket.
    pub bucket: Bucket,
    /// The asset, for asset-level targets.
    pub asset: Option<String>,
    /// Percent of the whole portfolio.
    pub pct: f64,
}

/// Validated targets, flattened to percent of the whole portfolio per sleeve.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlatTargets {
    /// Sleeves with a target (zero targets included), in a stable order.
    pub sleeves: Vec<SleeveTarget>,
    /// Crypto is split by group.
    pub split_crypto: bool,
    /// Buckets with asset-level targets.
    pub asset_buckets: Vec<Bucket>,
}

fn sleeve_key(bucket: &Bucket, asset: Option<&str>) -> String {
    match asset {
        Some(a) => format!("{bucket} › {a}"),
        None => bucket.to_string(),
    }
}

impl FlatTargets {
    /// The sleeve a position belongs to: `(key, bucket, asset)`.
    pub fn sleeve_of(
        &self,
        class: AssetClass,
        group: &str,
        symbol: &str,
    ) -> (String, Bucket, Option<String>) {
        let bucket = Bucket::of(class, group, self.split_crypto);
        if self.asset_buckets.contains(&bucket) {
            (
                sleeve_key(&bucket, Some(symbol)),
                bucket,
                Some(symbol.to_string()),
            )
        } else {
            (sleeve_key(&bucket, None), bucket, None)
        }
    }

    /// Target percent of a sleeve (zero when it has none).
    pub fn pct_of(&self, key: &str) -> f64 {
        self.sleeves
            .iter()
            .find(|s| s.key == key)
            .map_or(0.0, |s| s.pct)
    }
}

fn check_range(key: &str, value: f64) -> Result<(), TargetError> {
    if value.is_finite() && (0.0..=100.0).contains(&value) {
        Ok(())
    } else {
        Err(TargetError::OutOfRange {
            key: key.to_string(),
            value,
        })
    }
}

fn sum<K>(map: &BTreeMap<K, f64>) -> f64 {
    map.values().sum()
}

impl Targets {
    /// Points left to assign among the classes (100 − Σ).
    pub fn class_remainder(&self) -> f64 {
        100.0 - sum(&self.classes)
    }

    /// Points left to assign among the crypto groups (100 − Σ).
    pub fn group_remainder(&self) -> f64 {
        100.0 - sum(&self.groups)
    }

    /// Crypto's class target.
    pub fn crypto_pct(&self) -> f64 {
        self.classes
            .get(&AssetClass::Crypto)
            .copied()
            .unwrap_or(0.0)
    }

    /// Whether no class has a target (nothing was ever set).
    pub fn is_empty(&self) -> bool {
        self.classes.values().all(|v| *v == 0.0)
    }

    /// Checks every level sums to 100 % (within [`SUM_TOLERANCE_PP`]) and flattens the
    /// targets to percent of the portfolio per sleeve.
    pub fn validate(&self) -> Result<FlatTargets, TargetError> {
        if self.is_empty() {
            return Err(TargetError::Empty);
        }
        for (class, v) in &self.classes {
            check_range(class.label(), *v)?;
        }
        for (group, v) in &self.groups {
            check_range(group, *v)?;
        }
        let class_sum = sum(&self.classes);
        if (class_sum - 100.0).abs() > SUM_TOLERANCE_PP {
            return Err(TargetError::ClassSum {
                sum: class_sum,
                left: 100.0 - class_sum,
            });
        }
        let crypto = self.crypto_pct();
        let split_crypto = !self.groups.is_empty();
        if split_crypto && crypto > 0.0 {
            let s = sum(&self.groups);
            if (s - 100.0).abs() > SUM_TOLERANCE_PP {
                return Err(TargetError::GroupSum {
                    sum: s,
                    left: 100.0 - s,
                });
            }
        }
        let mut buckets: Vec<(Bucket, f64)> = Vec::new();
        for (class, pct) in &self.classes {
            if *class == AssetClass::Crypto && split_crypto {
                for (g, share) in &self.groups {
                    buckets.push((Bucket::Group(g.clone()), crypto * share / 100.0));
                }
            } else {
                buckets.push((Bucket::Class(*class), *pct));
            }
        }
        let mut flat = FlatTargets {
            sleeves: Vec::new(),
            split_crypto,
            asset_buckets: Vec::new(),
        };
        for (bucket, pct) in buckets {
            match self.assets.get(&bucket).filter(|m| !m.is_empty()) {
                Some(assets) => {
                    for (k, v) in assets {
                        check_range(k, *v)?;
                    }
                    let s = sum(assets);
                    if (s - 100.0).abs() > SUM_TOLERANCE_PP {
                        return Err(TargetError::AssetSum { bucket, sum: s });
                    }
                    for (asset, share) in assets {
                        flat.sleeves.push(SleeveTarget {
                            key: sleeve_key(&bucket, Some(asset)),
                            bucket: bucket.clone(),
                            asset: Some(asset.clone()),
                            pct: pct * share / 100.0,
                        });
                    }
                    flat.asset_buckets.push(bucket);
                }
                None => flat.sleeves.push(SleeveTarget {
                    key: sleeve_key(&bucket, None),
                    bucket,
                    asset: None,
                    pct,
                }),
            }
        }
        Ok(flat)
    }
}

/// Rounds every value to two decimals and gives the rounding remainder to the largest, so
/// the map sums to exactly `total` (when it is not empty).
pub fn round_to_total<K: Ord>(map: &mut BTreeMap<K, f64>, total: f64) {
    for v in map.values_mut() {
        *v = (*v * 100.0).round() / 100.0;
    }
    let left = total - sum(map);
    if let Some(v) = map
        .values_mut()
        .max_by(|a, b| a.total_cmp(b))
        .filter(|_| left.abs() > 1e-9)
    {
        *v = ((*v + left) * 100.0).round() / 100.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn classes(pairs: &[(AssetClass, f64)]) -> BTreeMap<AssetClass, f64> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn flattens_classes_groups_and_assets() {
        let t = Targets {
            classes: classes(&[
                (AssetClass::Crypto, 50.0),
                (AssetClass::Stock, 30.0),
                (AssetClass::Cash, 20.0),
            ]),
            groups: map(&[("BTC", 60.0), ("ETH", 40.0)]),
            assets: [(
                Bucket::Class(AssetClass::Stock),
                map(&[("AAPL", 25.0), ("MSFT", 75.0)]),
            )]
            .into_iter()
            .collect(),
        };
        let flat = t.validate().unwrap();
        let pct = |k: &str| flat.pct_of(k);
        assert_eq!(pct("BTC"), 30.0);
        assert_eq!(pct("ETH"), 20.0);
        assert_eq!(pct("Stocks › AAPL"), 7.5);
        assert_eq!(pct("Stocks › MSFT"), 22.5);
        assert_eq!(pct("Cash"), 20.0);
        let total: f64 = flat.sleeves.iter().map(|s| s.pct).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert_eq!(
            flat.sleeve_of(AssetClass::Stock, "Stocks · USD", "NVDA").0,
            "Stocks › NVDA"
        );
        assert_eq!(flat.sleeve_of(AssetClass::Crypto, "DeFi", "UNI").0, "DeFi");
        assert_eq!(flat.pct_of("DeFi"), 0.0);
    }

    #[test]
    fn refuses_sums_other_than_100_with_the_remainder() {
        let t = Targets {
            classes: classes(&[(AssetClass::Crypto, 60.0), (AssetClass::Cash, 35.0)]),
            ..Targets::default()
        };
        assert_eq!(t.class_remainder(), 5.0);
        let e = t.validate().unwrap_err();
        assert_eq!(
            e,
            TargetError::ClassSum {
                sum: 95.0,
                left: 5.0
            }
        );
        assert!(e.to_string().contains("+5.00 points"));
        let t = Targets {
            classes: classes(&[(AssetClass::Crypto, 100.0)]),
            groups: map(&[("BTC", 70.0), ("ETH", 40.0)]),
            ..Targets::default()
        };
        assert!(matches!(t.validate(), Err(TargetError::GroupSum { .. })));
        let t = Targets {
            classes: classes(&[(AssetClass::Crypto, 120.0), (AssetClass::Cash, -20.0)]),
            ..Targets::default()
        };
        assert!(matches!(t.validate(), Err(TargetError::OutOfRange { .. })));
        assert_eq!(Targets::default().validate(), Err(TargetError::Empty));
    }

    /// Targets as Folio wrote them while they were keyed by display label (a profile's
    /// settings and every saved plan hold this form).
    const LABEL_KEYED: &str = r#"{"classes":{"Cash":10.0,"Crypto":50.0,"ETFs":15.0,"Stocks":25.0},"groups":{"BTC":60.0,"ETH":30.0,"Stablecoins":10.0},"assets":{"Stablecoins":{"USDC":100.0},"Stocks":{"AAPL":40.0,"MSFT":60.0}}}"#;

    #[test]
    fn targets_keyed_by_label_read_back_keyed_by_class_and_bucket() {
        let t: Targets = serde_json::from_str(LABEL_KEYED).unwrap();
        assert_eq!(
            t.classes,
            classes(&[
                (AssetClass::Crypto, 50.0),
                (AssetClass::Stock, 25.0),
                (AssetClass::Etf, 15.0),
                (AssetClass::Cash, 10.0),
            ])
        );
        assert_eq!(
            t.groups,
            map(&[("BTC", 60.0), ("ETH", 30.0), ("Stablecoins", 10.0)])
        );
        assert_eq!(
            t.assets,
            [
                (
                    Bucket::Class(AssetClass::Stock),
                    map(&[("AAPL", 40.0), ("MSFT", 60.0)])
                ),
                (Bucket::Group("Stablecoins".into()), map(&[("USDC", 100.0)])),
            ]
            .into_iter()
            .collect()
        );
        // Nothing is lost: the same sleeves as before (Stocks 25 % × AAPL 40 % = 10 %,
        // Stablecoins 50 % × 10 % × USDC 100 % = 5 %).
        let flat = t.validate().unwrap();
        assert_eq!(flat.pct_of("Stocks › AAPL"), 10.0);
        assert_eq!(flat.pct_of("Stablecoins › USDC"), 5.0);
        assert_eq!(flat.pct_of("ETFs"), 15.0);
        // Written back by class name, not label; that form reads back as itself.
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"classes":{"Crypto":50.0,"Stock":25.0,"Etf":15.0,"Cash":10.0},"groups":{"BTC":60.0,"ETH":30.0,"Stablecoins":10.0},"assets":{"Stock":{"AAPL":40.0,"MSFT":60.0},"Stablecoins":{"USDC":100.0}}}"#
        );
        assert_eq!(serde_json::from_str::<Targets>(&json).unwrap(), t);
    }

    #[test]
    fn a_class_bucket_is_stored_as_its_class_is() {
        for class in AssetClass::ALL {
            assert_eq!(
                serde_json::to_string(&Bucket::Class(class)).unwrap(),
                serde_json::to_string(&class).unwrap()
            );
            // Shown by label, read back from the stored name or the label.
            assert_eq!(Bucket::Class(class).to_string(), class.label());
            let label = format!("\"{}\"", class.label());
            assert_eq!(
                serde_json::from_str::<Bucket>(&label).unwrap(),
                Bucket::Class(class)
            );
        }
        assert_eq!(
            serde_json::from_str::<Bucket>("\"L1/L0 majors\"").unwrap(),
            Bucket::Group("L1/L0 majors".into())
        );
        // No taxonomy group is read as a class.
        for g in crate::domain::taxonomy::GROUPS {
            assert_eq!(Bucket::from_stored(g), Bucket::Group(g.to_string()));
        }
        assert!(serde_json::from_str::<Targets>(r#"{"classes":{"Shares?":1}}"#).is_err());
    }
}

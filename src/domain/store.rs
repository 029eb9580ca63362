//! Records kept per profile in the browser's database, and the pure rules that change them.
//! The IndexedDB code in `browser::store` only moves these records in and out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::rebalance::plan::PlanOptions;
use crate::domain::rebalance::targets::Targets;

use crate::domain::holding::{AssetClass, Holding, SourceKind};
use crate::domain::import::{ColumnMapping, ImportOutcome, ImportReport};
use crate::domain::prices::ids::IdOverrides;
use crate::domain::prices::{PricingMode, Provider, Quote};

/// Current schema version of the database.
///
/// - v1: stores `profiles` and `imports` (each import flagged `active`).
/// - v2: adds `settings` (one record per profile: active version per source, group
///   overrides, saved column mappings, manual entries) and `meta`; v1's `active` flags are
///   moved into the settings records.
/// - v3: adds `quotes` (the last spot price per asset, with its time and source) and
///   `history` (one daily series per asset).
pub const SCHEMA_VERSION: u32 = 4;

/// A person's portfolio, isolated from every other profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Random identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Creation time (ms since the Unix epoch).
    pub created_ms: f64,
}

/// One imported file, kept as a version of its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportVersion {
    /// Random identifier.
    pub id: String,
    /// Owning profile.
    pub profile_id: String,
    /// The source it belongs to.
    pub source: SourceKind,
    /// File name.
    pub file_name: String,
    /// Import time (ms since the Unix epoch).
    pub imported_ms: f64,
    /// The import report.
    pub report: ImportReport,
    /// The holdings it yielded.
    pub holdings: Vec<Holding>,
}

/// Everything else a profile keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSettings {
    /// Owning profile (the record's key).
    pub profile_id: String,
    /// Source key → active import version id.
    #[serde(default)]
    pub active: BTreeMap<String, String>,
    /// Symbol → group chosen by the user.
    #[serde(default)]
    pub group_overrides: BTreeMap<String, String>,
    /// Column mappings saved from generic imports.
    #[serde(default)]
    pub mappings: Vec<ColumnMapping>,
    /// Entries typed by hand (bank accounts, cash, anything).
    #[serde(default)]
    pub manual: Vec<Holding>,
    /// Hide rows worth less than this (in the base currency).
    #[serde(default)]
    pub dust_min: f64,
    /// Currency every value is shown in.
    #[serde(default = "default_base_currency")]
    pub base_currency: String,
    /// How file values and live prices are chosen.
    #[serde(default)]
    pub pricing_mode: PricingMode,
    /// Crypto price sources in the order they are tried.
    #[serde(default = "default_crypto_sources")]
    pub crypto_sources: Vec<Provider>,
    /// The user's Twelve Data API key (kept in this browser, sent only to Twelve Data).
    #[serde(default)]
    pub twelvedata_key: String,
    /// Provider ids chosen by the user (`"coingecko:XYZ"` → `"xyz-token"`).
    #[serde(default)]
    pub id_overrides: IdOverrides,
    /// Prices typed by the user, by price key.
    #[serde(default)]
    pub manual_prices: BTreeMap<String, Quote>,
    /// Target allocation.
    #[serde(default)]
    pub targets: Targets,
    /// Rebalancing options: mode, bands, fees, policy.
    #[serde(default)]
    pub plan_options: PlanOptions,
}

fn default_base_currency() -> String {
    "USD".to_string()
}

fn default_crypto_sources() -> Vec<Provider> {
    Provider::CRYPTO.to_vec()
}

impl Default for ProfileSettings {
    fn default() -> ProfileSettings {
        ProfileSettings {
            profile_id: String::new(),
            active: BTreeMap::new(),
            group_overrides: BTreeMap::new(),
            mappings: Vec::new(),
            manual: Vec::new(),
            dust_min: 0.0,
            base_currency: default_base_currency(),
            pricing_mode: PricingMode::default(),
            crypto_sources: default_crypto_sources(),
            twelvedata_key: String::new(),
            id_overrides: IdOverrides::new(),
            manual_prices: BTreeMap::new(),
            targets: Targets::default(),
            plan_options: PlanOptions::default(),
        }
    }
}

/// A v1 import record: the v2 fields plus the `active` flag that v2 moved to settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportVersionV1 {
    /// The v2 fields.
    #[serde(flatten)]
    pub version: ImportVersion,
    /// Whether this was the active version of its source.
    pub active: bool,
}

/// Builds v2 settings records from v1 imports: for each profile and source, the version
/// flagged active (the latest one if several or none are flagged).
pub fn migrate_v1(profiles: &[Profile], imports: &[ImportVersionV1]) -> Vec<ProfileSettings> {
    profiles
        .iter()
        .map(|p| {
            let mut active: BTreeMap<String, (bool, f64, String)> = BTreeMap::new();
            for i in imports.iter().filter(|i| i.version.profile_id == p.id) {
                let v = &i.version;
                let candidate = (i.active, v.imported_ms, v.id.clone());
                let slot = active
                    .entry(v.source.key().to_string())
                    .or_insert(candidate.clone());
                if (candidate.0, candidate.1) > (slot.0, slot.1) {
                    *slot = candidate;
                }
            }
            ProfileSettings {
                profile_id: p.id.clone(),
                active: active.into_iter().map(|(k, (_, _, id))| (k, id)).collect(),
                ..ProfileSettings::default()
            }
        })
        .collect()
}

/// One file the user confirmed in the import preview.
#[derive(Debug, Clone)]
pub struct ConfirmedImport {
    /// The parsed file.
    pub outcome: ImportOutcome,
    /// The source chosen for it.
    pub source: SourceKind,
}

/// The records one import commit writes: new versions, and the settings with those
/// versions active and their mappings saved. Applying them is all-or-nothing.
pub fn plan_commit(
    settings: &ProfileSettings,
    confirmed: Vec<ConfirmedImport>,
    now_ms: f64,
    mut new_id: impl FnMut() -> String,
) -> (Vec<ImportVersion>, ProfileSettings) {
    let mut settings = settings.clone();
    let mut versions = Vec::with_capacity(confirmed.len());
    for c in confirmed {
        let id = new_id();
        settings
            .active
            .insert(c.source.key().to_string(), id.clone());
        if let Some(m) = c.outcome.mapping {
            settings.mappings.retain(|old| old.signature != m.signature);
            settings.mappings.push(m);
        }
        versions.push(ImportVersion {
            id,
            profile_id: settings.profile_id.clone(),
            source: c.source,
            file_name: c.outcome.report.file_name.clone(),
            imported_ms: now_ms,
            report: c.outcome.report,
            holdings: c.outcome.holdings,
        });
    }
    (versions, settings)
}

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
    let currency = e.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ManualEntryError::BadCurrency(e.currency.trim().to_string()));
    }
    let class = e.asset_class.unwrap_or(AssetClass::Cash);
    let symbol = match (e.symbol.trim(), class) {
        ("", AssetClass::Cash) => currency.clone(),
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
    if class == AssetClass::Cash && value.is_none() && symbol == currency {
        value = Some(quantity);
    }
    let mut h = Holding::new(&symbol, class, quantity, &currency, location);
    h.value = value;
    if let Some(v) = value.filter(|_| quantity != 0.0) {
        h.price = Some(v / quantity);
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, ImportOptions};

    fn version(id: &str, profile: &str, source: SourceKind, ms: f64) -> ImportVersion {
        let out = import_bytes(
            "a.csv",
            b"Symbol,Quantity,Value\nBTC,1,10\n".to_vec(),
            &ImportOptions::default(),
        )
        .unwrap()
        .unwrap();
        ImportVersion {
            id: id.into(),
            profile_id: profile.into(),
            source,
            file_name: "a.csv".into(),
            imported_ms: ms,
            report: out.report,
            holdings: out.holdings,
        }
    }

    #[test]
    fn migration_keeps_the_flagged_version_active_per_profile_and_source() {
        let profiles = vec![
            Profile {
                id: "p1".into(),
                name: "Me".into(),
                created_ms: 0.0,
            },
            Profile {
                id: "p2".into(),
                name: "Partner".into(),
                created_ms: 0.0,
            },
        ];
        let imports = vec![
            ImportVersionV1 {
                version: version("a", "p1", SourceKind::Crypto, 1.0),
                active: true,
            },
            ImportVersionV1 {
                version: version("b", "p1", SourceKind::Crypto, 2.0),
                active: false,
            },
            ImportVersionV1 {
                version: version("c", "p1", SourceKind::Stocks, 1.0),
                active: false,
            },
            ImportVersionV1 {
                version: version("d", "p1", SourceKind::Stocks, 3.0),
                active: false,
            },
            ImportVersionV1 {
                version: version("e", "p2", SourceKind::Crypto, 1.0),
                active: true,
            },
        ];
        let settings = migrate_v1(&profiles, &imports);
        assert_eq!(settings[0].active["crypto"], "a");
        assert_eq!(
            settings[0].active["stocks"], "d",
            "latest when none is flagged"
        );
        assert_eq!(settings[1].active.len(), 1);
        assert_eq!(settings[1].active["crypto"], "e");
    }

    #[test]
    fn v1_records_deserialise_with_the_flag_flattened() {
        let v = ImportVersionV1 {
            version: version("a", "p1", SourceKind::Crypto, 1.0),
            active: true,
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["active"], true);
        assert_eq!(json["id"], "a");
        let back: ImportVersionV1 = serde_json::from_value(json).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn commit_makes_new_versions_active_and_saves_mappings() {
        let out = import_bytes(
            "b.csv",
            b"Symbol,Quantity,Value\nETH,2,10\n".to_vec(),
            &ImportOptions::default(),
        )
        .unwrap()
        .unwrap();
        let settings = ProfileSettings {
            profile_id: "p1".into(),
            ..Default::default()
        };
        let mut n = 0;
        let (versions, next) = plan_commit(
            &settings,
            vec![ConfirmedImport {
                outcome: out,
                source: SourceKind::Bank,
            }],
            5.0,
            || {
                n += 1;
                format!("id{n}")
            },
        );
        assert_eq!(versions[0].id, "id1");
        assert_eq!(next.active["bank"], "id1");
        assert_eq!(next.mappings.len(), 1);
        assert_eq!(settings.active.len(), 0, "input untouched");
    }

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

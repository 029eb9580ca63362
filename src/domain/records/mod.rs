//! Records kept per profile in the browser's database, and the pure rules that change them.
//! The IndexedDB code in `browser::store` only moves these records in and out.
//!
//! - [`migrations`]: the schema as data (stores, keys, owners) and the pure upgrades of
//!   records between versions.
//! - [`stored`]: records as JSON (the view backups carry and upgrades rewrite).
//! - [`restore`]: what a backup holds and what restoring it replaces.
//! - [`backup_log`]: the last backup and the reminder to make one.
//! - [`ledger_chunks`]: accounts' ledgers as compact chunk records.
//! - [`demo`]: the demo profile's records.
//! - [`appearance`]: the device's theme and gain colours.

pub mod appearance;
pub mod backup_log;
pub mod demo;
pub mod ledger_chunks;
pub mod migrations;
pub mod restore;
pub mod stored;

use std::collections::BTreeMap;

use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::price_key::PriceKey;

use crate::domain::rebalance::model::PlanOptions;
use crate::domain::rebalance::targets::Targets;

use crate::domain::holding::{Holding, SourceKind};
use crate::domain::import::{ColumnMapping, ImportOutcome, ImportReport};
use crate::domain::portfolio::{assemble, PortfolioRow, SourceHoldings};
use crate::domain::prices::ids::IdOverrides;
use crate::domain::prices::{PricingMode, Provider, Quote};

/// A person's portfolio, isolated from every other profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Random identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Creation time.
    #[serde(rename = "created_ms")]
    pub created: Timestamp,
    /// The demo profile the app creates on a first visit (invented holdings). Profiles
    /// stored before the flag existed read back `false`; see [`demo::is_legacy_demo`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// `wanted`, or `wanted 2`, `wanted 3`… whichever no profile in `existing` is called yet
/// (names compared without case).
pub fn unique_profile_name<'a>(
    wanted: &str,
    existing: impl IntoIterator<Item = &'a str>,
) -> String {
    let taken: Vec<String> = existing.into_iter().map(str::to_lowercase).collect();
    let free = |name: &String| !taken.contains(&name.to_lowercase());
    std::iter::once(wanted.to_string())
        .chain((2..).map(|n| format!("{wanted} {n}")))
        .find(free)
        .unwrap_or_default()
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
    /// Import time.
    #[serde(rename = "imported_ms")]
    pub imported: Timestamp,
    /// The import report.
    pub report: ImportReport,
    /// The holdings it yielded.
    pub holdings: Vec<Holding>,
}

/// What the app keeps of an import version once loaded: a stored [`ImportVersion`] read
/// without the parts of its report only an import's preview shows (skip groups, notes,
/// encoding…). The record is unchanged; serde skips the fields this does not name, so the
/// module of the first page needs no code to decode them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VersionSummary {
    /// Random identifier.
    pub id: String,
    /// The source it belongs to.
    pub source: SourceKind,
    /// File name.
    pub file_name: String,
    /// Import time.
    #[serde(rename = "imported_ms")]
    pub imported: Timestamp,
    /// The counts of the import report.
    pub report: ReportSummary,
    /// The holdings it yielded.
    pub holdings: Vec<Holding>,
}

/// The counts of an [`ImportReport`] the Sources page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportSummary {
    /// The recognised format's label.
    pub format: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows that contributed to holdings.
    pub imported: u64,
    /// Rows skipped, in total.
    pub skipped: u64,
}

impl From<&ImportVersion> for VersionSummary {
    fn from(v: &ImportVersion) -> VersionSummary {
        VersionSummary {
            id: v.id.clone(),
            source: v.source,
            file_name: v.file_name.clone(),
            imported: v.imported,
            report: ReportSummary {
                format: v.report.format.clone(),
                rows_read: v.report.rows_read,
                imported: v.report.imported,
                skipped: v.report.skipped,
            },
            holdings: v.holdings.clone(),
        }
    }
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
    #[serde(default, deserialize_with = "stored_base_currency")]
    pub base_currency: Currency,
    /// How file values and live prices are chosen.
    #[serde(default)]
    pub pricing_mode: PricingMode,
    /// Crypto price sources in the order they are tried.
    #[serde(default = "default_crypto_sources")]
    pub crypto_sources: Vec<Provider>,
    /// The user's Twelve Data API key (kept in this browser, sent only to Twelve Data).
    #[serde(default)]
    pub twelvedata_key: String,
    /// Provider ids chosen by the user (`coingecko:XYZ` → `xyz-token`).
    #[serde(default, deserialize_with = "typed_keys")]
    pub id_overrides: IdOverrides,
    /// Prices typed by the user, by price key.
    #[serde(default, deserialize_with = "typed_keys")]
    pub manual_prices: BTreeMap<PriceKey, Quote>,
    /// Target allocation.
    #[serde(default)]
    pub targets: Targets,
    /// Rebalancing options: mode, bands, fees, policy.
    #[serde(default)]
    pub plan_options: PlanOptions,
}

/// The base currency as stored; a text that is no code (none was ever written) reads as USD.
fn stored_base_currency<'de, D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Ok(Currency::parse(&s).unwrap_or_default())
}

/// A stored map whose keys are typed values written as text; an entry whose key does not
/// read back (none was ever written) is left out rather than losing the whole record.
fn typed_keys<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: FromStr + Ord,
    V: Deserialize<'de>,
{
    let mut out = BTreeMap::new();
    // Inserted one by one (collecting into a map would compile a sort for it).
    for (k, v) in BTreeMap::<String, V>::deserialize(d)? {
        if let Ok(k) = k.parse() {
            out.insert(k, v);
        }
    }
    Ok(out)
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
            base_currency: Currency::default(),
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

impl ProfileSettings {
    /// The holdings view of this profile: the active import of each source, then the
    /// manual entries, grouped with the user's own assignments.
    pub fn rows(&self, versions: &[VersionSummary]) -> Vec<PortfolioRow> {
        let imported = SourceKind::ALL.into_iter().filter_map(|source| {
            if source == SourceKind::Manual {
                return None;
            }
            let id = self.active.get(source.key())?;
            let v = versions.iter().find(|v| &v.id == id)?;
            Some(SourceHoldings {
                source,
                holdings: &v.holdings,
                as_of: Some(v.imported),
            })
        });
        let manual = SourceHoldings {
            source: SourceKind::Manual,
            holdings: &self.manual,
            as_of: None,
        };
        assemble(imported.chain([manual]), &self.group_overrides)
    }
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
    now: Timestamp,
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
            imported: now,
            report: c.outcome.report,
            holdings: c.outcome.holdings,
        });
    }
    (versions, settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, ImportOptions};

    #[test]
    fn a_new_profile_name_is_never_taken() {
        assert_eq!(
            unique_profile_name("My portfolio", ["Demo"]),
            "My portfolio"
        );
        assert_eq!(
            unique_profile_name("My portfolio", ["Demo", "my portfolio", "My portfolio 2"]),
            "My portfolio 3"
        );
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
            Timestamp::from_millis(5),
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
}

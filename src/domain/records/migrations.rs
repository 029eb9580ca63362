//! Schema versions of the browser's database and the pure rules that carry records from
//! one version to the next (the IndexedDB upgrade in `browser::store` applies them).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ImportVersion, Profile, ProfileSettings};
use crate::domain::calendar::Timestamp;

/// Current schema version of the database.
///
/// - v1: stores `profiles` and `imports` (each import flagged `active`).
/// - v2: adds `settings` (one record per profile: active version per source, group
///   overrides, saved column mappings, manual entries) and `meta`; v1's `active` flags are
///   moved into the settings records.
/// - v3: adds `quotes` (the last spot price per asset, with its time and source) and
///   `history` (one daily series per asset).
pub const SCHEMA_VERSION: u32 = 4;

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
            let mut active: BTreeMap<String, (bool, Timestamp, String)> = BTreeMap::new();
            for i in imports.iter().filter(|i| i.version.profile_id == p.id) {
                let v = &i.version;
                let candidate = (i.active, v.imported, v.id.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holding::SourceKind;
    use crate::domain::import::{import_bytes, ImportOptions};

    fn version(id: &str, profile: &str, source: SourceKind, ms: i64) -> ImportVersion {
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
            imported: Timestamp::from_millis(ms),
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
                created: Timestamp::from_millis(0),
                demo: false,
            },
            Profile {
                id: "p2".into(),
                name: "Partner".into(),
                created: Timestamp::from_millis(0),
                demo: false,
            },
        ];
        let imports = vec![
            ImportVersionV1 {
                version: version("a", "p1", SourceKind::Crypto, 1),
                active: true,
            },
            ImportVersionV1 {
                version: version("b", "p1", SourceKind::Crypto, 2),
                active: false,
            },
            ImportVersionV1 {
                version: version("c", "p1", SourceKind::Stocks, 1),
                active: false,
            },
            ImportVersionV1 {
                version: version("d", "p1", SourceKind::Stocks, 3),
                active: false,
            },
            ImportVersionV1 {
                version: version("e", "p2", SourceKind::Crypto, 1),
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
            version: version("a", "p1", SourceKind::Crypto, 1),
            active: true,
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["active"], true);
        assert_eq!(json["id"], "a");
        let back: ImportVersionV1 = serde_json::from_value(json).unwrap();
        assert_eq!(back, v);
    }
}

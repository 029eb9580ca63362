//! The demo profile that ships with the app, so a newcomer sees a real portfolio with no
//! file at hand. Its files went through the real importers (checked by a test).

use std::collections::BTreeMap;

use crate::domain::calendar::Timestamp;
use crate::domain::holding::{AssetClass, Holding, SourceKind};
use crate::domain::manual::{manual_holding, ManualEntry};
use crate::domain::records::{ImportVersion, ProfileSettings};

/// Name of the demo profile.
pub const DEMO_PROFILE_NAME: &str = "Demo";

/// The demo's files: name, text, and the source their holdings go to.
pub const DEMO_FILES: [(&str, &str, SourceKind); 2] = [
    (
        "demo - CoinTracking Balance by Exchange.csv",
        include_str!("demo/cointracking_balance_by_exchange.csv"),
        SourceKind::Crypto,
    ),
    (
        "demo - Saxo Positions.csv",
        include_str!("demo/saxo_positions.csv"),
        SourceKind::Stocks,
    ),
];

/// The import versions `plan_commit` makes of what the importers make of [`DEMO_FILES`], as
/// the JSON of their stored records, with [`PROFILE_PLACEHOLDER`], [`VERSION_PLACEHOLDERS`]
/// and [`RECORDED_AT`] for the profile, the ids and the time. Recorded so that a first visit
/// needs neither the import worker nor code to decode import reports; a test checks it
/// against the importers (`FOLIO_BLESS=1 cargo test demo` rewrites it).
const DEMO_VERSIONS: &str = include_str!("demo/versions.json");

/// The profile id [`DEMO_VERSIONS`] was recorded with.
const PROFILE_PLACEHOLDER: &str = "$profile";
/// The version ids [`DEMO_VERSIONS`] was recorded with, one per file.
const VERSION_PLACEHOLDERS: [&str; 2] = ["$version-1", "$version-2"];
/// The import time [`DEMO_VERSIONS`] was recorded with.
const RECORDED_AT: Timestamp = Timestamp::from_millis(0);

/// The demo profile's records for the profile `profile_id`, imported at `imported`, with
/// version ids from `new_id`: its settings (both imports active, the manual entry) and its
/// import versions as the JSON of their stored records (what `plan_commit` would write, a
/// `None` written as `null`).
pub fn demo_profile(
    profile_id: &str,
    imported: Timestamp,
    mut new_id: impl FnMut() -> String,
) -> (ProfileSettings, String) {
    let ids: Vec<String> = DEMO_FILES.iter().map(|_| new_id()).collect();
    let mut values = vec![
        (json_string(PROFILE_PLACEHOLDER), json_string(profile_id)),
        (imported_field(RECORDED_AT), imported_field(imported)),
    ];
    values.extend(
        VERSION_PLACEHOLDERS
            .iter()
            .zip(&ids)
            .map(|(placeholder, id)| (json_string(placeholder), json_string(id))),
    );
    let versions = replace_all(DEMO_VERSIONS, &values);
    let mut active = BTreeMap::new();
    for ((_, _, source), id) in DEMO_FILES.iter().zip(ids) {
        active.insert(source.key().to_string(), id);
    }
    let settings = ProfileSettings {
        profile_id: profile_id.to_string(),
        active,
        manual: demo_manual(),
        ..ProfileSettings::default()
    };
    (settings, versions)
}

/// The demo's import versions, as [`demo_profile`] writes them (benchmarks seed with them).
pub fn demo_versions(
    profile_id: &str,
    imported: Timestamp,
    new_id: impl FnMut() -> String,
) -> Vec<ImportVersion> {
    let (_, json) = demo_profile(profile_id, imported, new_id);
    serde_json::from_str(&json).unwrap_or_default()
}

/// `text` with each `(from, to)` of `values` replaced, in one pass (a `to` is never searched).
fn replace_all(text: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, (from, to))) = values
        .iter()
        .filter_map(|v| rest.find(v.0.as_str()).map(|at| (at, v)))
        .min_by_key(|(at, _)| *at)
    {
        out.push_str(&rest[..at]);
        out.push_str(to);
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` as a JSON string.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// The import time as [`DEMO_VERSIONS`] writes it (`serde_json`'s pretty form).
fn imported_field(at: Timestamp) -> String {
    format!("\"imported_ms\": {},", at.millis())
}

/// The demo's manual entries (a bank account).
pub fn demo_manual() -> Vec<Holding> {
    let entry = ManualEntry {
        symbol: String::new(),
        asset_class: Some(AssetClass::Cash),
        quantity: "12000".into(),
        value: String::new(),
        currency: "EUR".into(),
        location: "Demo Bank".into(),
    };
    manual_holding(&entry).into_iter().collect()
}

/// True for a profile stored before profiles carried a demo flag that is the demo the app
/// created: named [`DEMO_PROFILE_NAME`] and holding only the demo's files (at least one).
/// A profile so named into which the user imported a file of their own is not a demo.
pub fn is_legacy_demo<'a>(name: &str, version_files: impl IntoIterator<Item = &'a str>) -> bool {
    let mut any = false;
    for file in version_files {
        if !DEMO_FILES.iter().any(|(demo, _, _)| *demo == file) {
            return false;
        }
        any = true;
    }
    name == DEMO_PROFILE_NAME && any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, ImportOptions, SkipReason};
    use crate::domain::records::{plan_commit, ConfirmedImport};

    #[test]
    fn a_legacy_demo_holds_only_the_demo_files() {
        let crypto = DEMO_FILES[0].0;
        let stocks = DEMO_FILES[1].0;
        assert!(is_legacy_demo("Demo", [crypto, stocks]));
        assert!(is_legacy_demo("Demo", [crypto]));
        assert!(!is_legacy_demo("Demo", [crypto, "my balance.csv"]));
        assert!(!is_legacy_demo("Demo", []));
        assert!(!is_legacy_demo("Mine", [crypto, stocks]));
    }

    /// What the importers and `plan_commit` make of the demo's files for `profile_id`.
    fn committed(
        profile_id: &str,
        at: Timestamp,
        ids: [&str; 2],
    ) -> (Vec<ImportVersion>, ProfileSettings) {
        let confirmed = DEMO_FILES
            .iter()
            .map(|(name, text, source)| ConfirmedImport {
                outcome: import_bytes(name, text.as_bytes().to_vec(), &ImportOptions::default())
                    .unwrap()
                    .unwrap(),
                source: *source,
            })
            .collect();
        let settings = ProfileSettings {
            profile_id: profile_id.to_string(),
            ..ProfileSettings::default()
        };
        let mut ids = ids.into_iter().map(str::to_string);
        plan_commit(&settings, confirmed, at, || ids.next().unwrap())
    }

    #[test]
    fn recorded_versions_are_what_the_importers_make_of_the_files() {
        let (versions, _) = committed(PROFILE_PLACEHOLDER, RECORDED_AT, VERSION_PLACEHOLDERS);
        let fresh = serde_json::to_string_pretty(&versions).unwrap() + "\n";
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/domain/records/demo/versions.json"
        );
        if std::env::var_os("FOLIO_BLESS").is_some() {
            std::fs::write(path, fresh).unwrap();
            return;
        }
        // Text, not values: the records keep serde's field order, which IndexedDB keeps.
        assert!(
            DEMO_VERSIONS == fresh,
            "src/domain/records/demo/versions.json is stale: run `FOLIO_BLESS=1 cargo test demo`"
        );
    }

    #[test]
    fn demo_profile_is_the_commit_of_its_files_plus_the_manual_entry() {
        let at = Timestamp::from_millis(1_700_000_000_123);
        // An id with characters JSON escapes stays one string.
        let ids = ["v\"1", "v\\2"];
        let mut next = ids.into_iter().map(str::to_string);
        let (settings, json) = demo_profile("p \"1\"", at, || next.next().unwrap());
        let (versions, mut expected) = committed("p \"1\"", at, ids);
        expected.manual = demo_manual();
        assert_eq!(settings, expected);
        assert_eq!(settings.active["crypto"], "v\"1");
        assert_eq!(settings.active["stocks"], "v\\2");
        let written: Vec<ImportVersion> = serde_json::from_str(&json).unwrap();
        assert_eq!(written, versions);
        // The same text as serde writes: the field order is kept.
        assert_eq!(
            json,
            serde_json::to_string_pretty(&versions).unwrap() + "\n"
        );
    }

    #[test]
    fn demo_files_import_cleanly() {
        let versions = demo_versions("p", RECORDED_AT, {
            let mut n = 0;
            move || {
                n += 1;
                format!("v{n}")
            }
        });
        assert_eq!(versions.len(), 2);
        for v in &versions {
            assert_eq!(
                v.report.skipped,
                v.report.skip_groups.iter().map(|g| g.count).sum::<u64>()
            );
            assert!(v.holdings.len() >= 5, "{}", v.report.file_name);
            assert!(v
                .report
                .skip_groups
                .iter()
                .all(|g| g.reason == SkipReason::SummaryRow));
        }
        assert_eq!(demo_manual().len(), 1);
    }
}

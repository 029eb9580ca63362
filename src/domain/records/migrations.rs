//! The browser database's schema as data: which stores each version adds, how each store is
//! keyed and whose records it holds, and the pure rules that carry records from one version
//! to the next.
//!
//! A [`Step`] is one schema version: the stores it adds and, when records must change, an
//! [`Upgrade`] — a pure function on the records' JSON view ([`Records`], see
//! [`super::stored`]). The IndexedDB upgrade (`browser::store`) creates each step's stores
//! and runs its upgrade on the stores it names, inside the upgrade transaction; a restore of a
//! backup written by an earlier schema runs the same upgrades on the file's records
//! ([`Schema::upgrade`]). Adding a store is adding a step: the backup, the restore and the
//! upgrade need no change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::calendar::Timestamp;
use crate::domain::holding::SourceKind;

/// Current schema version of the database.
///
/// - v1: stores `profiles` and `imports` (each import flagged `active`).
/// - v2: adds `settings` (one record per profile: active version per source, group
///   overrides, saved column mappings, manual entries) and `meta`; v1's `active` flags are
///   moved into the settings records.
/// - v3: adds `quotes` (the last spot price per asset, with its time and source),
///   `history` (one daily series per asset) and `snapshots`.
/// - v4: adds `plans` (saved rebalancing plans).
pub const SCHEMA_VERSION: u32 = 4;

/// The index every store of per-profile records has on `profile_id`.
pub const PROFILE_INDEX: &str = "profile_id";
/// The store of profiles (its records' keys are the profile ids).
pub const PROFILES: &str = "profiles";

/// Records as JSON, by store name: each record as IndexedDB holds it ([`super::stored`]); a
/// record of a store with out-of-line keys as `{"key": …, "value": …}`.
pub type Records = BTreeMap<String, Vec<Value>>;

/// How a store's records are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPath {
    /// The key is the record's field of this name.
    Field(&'static str),
    /// The key is given apart from the record (in the JSON view, `{"key", "value"}`).
    OutOfLine,
}

/// Whose records a store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The profiles themselves: a record's `id` is its profile's.
    Profiles,
    /// Each record names its profile in `profile_id`.
    Profile,
    /// Records every profile shares: caches of prices and rates, app settings.
    Shared,
}

/// What a store's records count as in a backup's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// Not counted.
    Nothing,
    /// Accounts, one per record.
    Accounts,
    /// Transactions: one per record, or, when a field is named, the sum of that numeric
    /// field (a chunk record holding many).
    Transactions(Option<&'static str>),
    /// Import versions, one per record.
    Imports,
    /// Saved plans, one per record.
    Plans,
}

/// One object store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreSpec {
    /// Its name.
    pub name: &'static str,
    /// How its records are keyed.
    pub key: KeyPath,
    /// Whose records it holds.
    pub owner: Owner,
    /// Whether it has the [`PROFILE_INDEX`] (stores of many records per profile).
    pub indexed: bool,
    /// What its records count as.
    pub tally: Tally,
}

impl StoreSpec {
    /// A store of records keyed by `id`, each naming its profile, with the profile index.
    pub const fn per_profile(name: &'static str, tally: Tally) -> StoreSpec {
        StoreSpec {
            name,
            key: KeyPath::Field("id"),
            owner: Owner::Profile,
            indexed: true,
            tally,
        }
    }

    /// Whether `record` (in the JSON view) belongs to the profile `profile_id`.
    pub fn belongs(&self, record: &Value, profile_id: &str) -> bool {
        let value = match self.key {
            KeyPath::Field(_) => record,
            KeyPath::OutOfLine => &record["value"],
        };
        let field = match self.owner {
            Owner::Profiles => "id",
            Owner::Profile => "profile_id",
            Owner::Shared => return false,
        };
        value[field].as_str() == Some(profile_id)
    }

    /// The profile `record` belongs to, if any.
    pub fn owner_of<'a>(&self, record: &'a Value) -> Option<&'a str> {
        let value = match self.key {
            KeyPath::Field(_) => record,
            KeyPath::OutOfLine => &record["value"],
        };
        match self.owner {
            Owner::Profiles => value["id"].as_str(),
            Owner::Profile => value["profile_id"].as_str(),
            Owner::Shared => None,
        }
    }
}

/// A rewrite of records, run once when a database or a backup reaches its step's version.
#[derive(Debug, Clone, Copy)]
pub struct Upgrade {
    /// The stores it reads and rewrites: it is given these and no others.
    pub stores: &'static [&'static str],
    /// The rule: the records of `stores` as they were, changed in place.
    pub rule: Rule,
}

impl Upgrade {
    /// Applies the rule of the step making `version` to `records` (the stores it names).
    pub fn run(&self, version: u32, records: &mut Records) -> Result<(), MigrationError> {
        self.rule
            .apply(records)
            .map_err(|problem| MigrationError::Record { version, problem })
    }
}

/// A rule that rewrites records. The app's own are named rather than held as functions, so
/// that code which reads the schema only to create stores (the first page's module) holds
/// none of them.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// v2: the imports' `active` flags moved into settings records.
    ActiveFlagsToSettings,
    /// Any function (a step only a test or a benchmark has).
    Custom(fn(&mut Records) -> Result<(), String>),
}

impl Rule {
    /// Rewrites `records`; an error says which record cannot be carried over and why.
    pub fn apply(self, records: &mut Records) -> Result<(), String> {
        match self {
            Rule::ActiveFlagsToSettings => active_flags_to_settings(records),
            Rule::Custom(rule) => rule(records),
        }
    }
}

/// One schema version.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// The version this step makes.
    pub version: u32,
    /// The stores it adds.
    pub adds: &'static [StoreSpec],
    /// How earlier records change, if they do.
    pub upgrade: Option<Upgrade>,
}

/// Why records could not be carried to the current schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// The records' version is newer than this schema's.
    #[error("its data version {found} is newer than this version of Folio knows ({supported})")]
    Newer {
        /// The records' version.
        found: u32,
        /// The newest this schema knows.
        supported: u32,
    },
    /// Version 0 never existed.
    #[error("it declares data version 0, which never existed")]
    NoVersion,
    /// A step's rule refused a record.
    #[error("its records could not be upgraded to data version {version}: {problem}")]
    Record {
        /// The step's version.
        version: u32,
        /// What was wrong.
        problem: String,
    },
}

const STEPS: [Step; 4] = [
    Step {
        version: 1,
        adds: &[
            StoreSpec {
                name: PROFILES,
                key: KeyPath::Field("id"),
                owner: Owner::Profiles,
                indexed: false,
                tally: Tally::Nothing,
            },
            StoreSpec::per_profile("imports", Tally::Imports),
        ],
        upgrade: None,
    },
    Step {
        version: 2,
        adds: &[
            StoreSpec {
                name: "settings",
                key: KeyPath::Field("profile_id"),
                owner: Owner::Profile,
                indexed: false,
                tally: Tally::Nothing,
            },
            StoreSpec {
                name: "meta",
                key: KeyPath::OutOfLine,
                owner: Owner::Shared,
                indexed: false,
                tally: Tally::Nothing,
            },
        ],
        upgrade: Some(Upgrade {
            stores: &[PROFILES, "imports", "settings"],
            rule: Rule::ActiveFlagsToSettings,
        }),
    },
    Step {
        version: 3,
        adds: &[
            StoreSpec {
                name: "quotes",
                key: KeyPath::Field("key"),
                owner: Owner::Shared,
                indexed: false,
                tally: Tally::Nothing,
            },
            StoreSpec {
                name: "history",
                key: KeyPath::Field("key"),
                owner: Owner::Shared,
                indexed: false,
                tally: Tally::Nothing,
            },
            StoreSpec::per_profile("snapshots", Tally::Nothing),
        ],
        upgrade: None,
    },
    Step {
        version: 4,
        adds: &[StoreSpec::per_profile("plans", Tally::Plans)],
        upgrade: None,
    },
];

/// The steps from version 1 to a schema's version, in order.
#[derive(Debug, Clone)]
pub struct Schema {
    steps: Vec<Step>,
}

impl Schema {
    /// The app's schema, at [`SCHEMA_VERSION`].
    pub fn app() -> Schema {
        Schema {
            steps: STEPS.to_vec(),
        }
    }

    /// This schema with one more step (its version must be the next one), for a store that
    /// only a benchmark or a test has.
    pub fn with_step(mut self, step: Step) -> Option<Schema> {
        (step.version == self.version() + 1).then(|| {
            self.steps.push(step);
            self
        })
    }

    /// Its version: the last step's.
    pub fn version(&self) -> u32 {
        self.steps.last().map_or(0, |s| s.version)
    }

    /// Its steps, oldest first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Every store it has, in the order they were added.
    pub fn stores(&self) -> impl Iterator<Item = &StoreSpec> {
        self.steps.iter().flat_map(|s| s.adds.iter())
    }

    /// The store of that name.
    pub fn store(&self, name: &str) -> Option<&StoreSpec> {
        self.stores().find(|s| s.name == name)
    }

    /// Carries `records`, written at version `from`, to this schema's version: every later
    /// step's upgrade, in order, each given only the stores it names.
    pub fn upgrade(&self, records: &mut Records, from: u32) -> Result<(), MigrationError> {
        if from == 0 {
            return Err(MigrationError::NoVersion);
        }
        if from > self.version() {
            return Err(MigrationError::Newer {
                found: from,
                supported: self.version(),
            });
        }
        for step in self.steps.iter().filter(|s| s.version > from) {
            let Some(upgrade) = step.upgrade else {
                continue;
            };
            let mut part: Records = upgrade
                .stores
                .iter()
                .map(|name| (name.to_string(), records.remove(*name).unwrap_or_default()))
                .collect();
            upgrade.run(step.version, &mut part)?;
            records.extend(part.into_iter().filter(|(_, v)| !v.is_empty()));
        }
        Ok(())
    }
}

/// A v1 import record: the v2 fields plus the `active` flag that v2 moved to settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportVersionV1 {
    /// The v2 fields.
    #[serde(flatten)]
    pub version: super::ImportVersion,
    /// Whether this was the active version of its source.
    pub active: bool,
}

/// What v2's upgrade reads of a v1 import.
#[derive(Deserialize)]
struct ActiveFlag {
    id: String,
    profile_id: String,
    source: SourceKind,
    #[serde(rename = "imported_ms")]
    imported: Timestamp,
    #[serde(default)]
    active: bool,
}

/// v2: each profile without a settings record gets one whose active version per source is
/// the import flagged `active` (the latest one when several or none are), and the flags are
/// removed from the imports. A profile that has settings keeps them, so running it twice
/// changes nothing.
fn active_flags_to_settings(records: &mut Records) -> Result<(), String> {
    // Lists and loops rather than sets, maps and sorts: this rule is in the first page's
    // module (it runs when that page opens an old database), where each instance of a
    // generic collection's code counts.
    let mut with_settings: Vec<String> = Vec::new();
    for settings in records.get("settings").into_iter().flatten() {
        if let Some(id) = settings["profile_id"].as_str() {
            with_settings.push(id.to_string());
        }
    }
    let mut flags = Vec::new();
    for (n, record) in records.get("imports").into_iter().flatten().enumerate() {
        let flag = ActiveFlag::deserialize(record).map_err(|e| {
            format!(
                "import record {} ({}) cannot be read: {e}",
                n + 1,
                record["id"]
            )
        })?;
        flags.push(flag);
    }
    let mut made = Vec::new();
    for (n, profile) in records.get(PROFILES).into_iter().flatten().enumerate() {
        let id = profile["id"]
            .as_str()
            .ok_or_else(|| format!("profile record {} has no id", n + 1))?;
        if with_settings.iter().any(|s| s == id) {
            continue;
        }
        // Per source: (flagged, imported, version id) of the version to make active.
        let mut active: Vec<(&str, (bool, Timestamp, &str))> = Vec::new();
        for f in flags.iter().filter(|f| f.profile_id == id) {
            let candidate = (f.active, f.imported, f.id.as_str());
            match active
                .iter_mut()
                .find(|(source, _)| *source == f.source.key())
            {
                Some((_, slot)) if (candidate.0, candidate.1) > (slot.0, slot.1) => {
                    *slot = candidate;
                }
                Some(_) => {}
                None => active.push((f.source.key(), candidate)),
            }
        }
        let mut versions = serde_json::Map::new();
        for (source, (_, _, version)) in active {
            versions.insert(source.to_string(), Value::from(version));
        }
        made.push(default_settings(id, versions));
    }
    match records.get_mut("settings") {
        Some(settings) => settings.extend(made),
        None => {
            records.insert("settings".into(), made);
        }
    }
    for import in records.get_mut("imports").into_iter().flatten() {
        if let Some(fields) = import.as_object_mut() {
            // The other fields moved into a new map (rather than `remove`, whose code only
            // this would need).
            for (key, value) in std::mem::take(fields) {
                if key != "active" {
                    fields.insert(key, value);
                }
            }
        }
    }
    Ok(())
}

/// The record of a profile's [`ProfileSettings`](super::ProfileSettings) with only these active versions set, as
/// serde writes it (a test compares them): written out here so that the first page's module,
/// where this upgrade runs, needs no code to write settings as JSON.
fn default_settings(profile_id: &str, active: serde_json::Map<String, Value>) -> Value {
    serde_json::json!({
        "profile_id": profile_id,
        "active": active,
        "group_overrides": {},
        "mappings": [],
        "manual": [],
        "dust_min": 0.0,
        "base_currency": "USD",
        "pricing_mode": "Hybrid",
        "crypto_sources": ["CoinGecko", "Binance", "Coinbase"],
        "twelvedata_key": "",
        "id_overrides": {},
        "manual_prices": {},
        "targets": {"classes": {}, "groups": {}, "assets": {}},
        "plan_options": {
            "mode": "Full",
            "flow": 0.0,
            "band": {"abs_pp": null, "rel_pct": null},
            "fees_bps": {},
            "policy": {"cap_daily_pct": null, "min_order": 25.0, "max_order": null, "freeze": "None"},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::ProfileSettings;
    use serde_json::json;

    fn import(id: &str, profile: &str, source: &str, ms: i64, active: bool) -> Value {
        // A v1 import record as the v1 code wrote it (times as floats).
        json!({
            "id": id, "profile_id": profile, "source": source, "file_name": "a.csv",
            "imported_ms": ms as f64, "active": active,
            "report": {"file_name": "a.csv", "format": "Generic", "encoding": "UTF-8",
                       "delimiter": ",", "header_line": 1, "rows_read": 1, "imported": 1,
                       "skipped": 0, "skip_groups": [], "notes": [], "holdings": 1},
            "holdings": [{"symbol": "BTC", "asset_class": "Crypto", "quantity": 1.0,
                          "value": 10.0, "currency": "USD", "price": null, "location": "X"}],
        })
    }

    fn v1_records() -> Records {
        let profiles = vec![
            json!({"id": "p1", "name": "Me", "created_ms": 0.0}),
            json!({"id": "p2", "name": "Partner", "created_ms": 0.0}),
        ];
        let imports = vec![
            import("a", "p1", "Crypto", 1, true),
            import("b", "p1", "Crypto", 2, false),
            import("c", "p1", "Stocks", 1, false),
            import("d", "p1", "Stocks", 3, false),
            import("e", "p2", "Crypto", 1, true),
        ];
        [("profiles", profiles), ("imports", imports)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    fn settings_of<'a>(records: &'a Records, profile: &str) -> &'a Value {
        records["settings"]
            .iter()
            .find(|s| s["profile_id"] == profile)
            .unwrap()
    }

    #[test]
    fn v2_writes_settings_as_serde_writes_them() {
        let active = BTreeMap::from([("crypto".to_string(), "a".to_string())]);
        let typed = ProfileSettings {
            profile_id: "p1".into(),
            active: active.clone(),
            ..ProfileSettings::default()
        };
        let versions = active
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect();
        assert_eq!(
            default_settings("p1", versions),
            serde_json::to_value(typed).unwrap()
        );
    }

    #[test]
    fn v2_keeps_the_flagged_version_active_per_profile_and_source() {
        let mut records = v1_records();
        Schema::app().upgrade(&mut records, 1).unwrap();
        let p1 = settings_of(&records, "p1");
        // p1's crypto: "a" is flagged (though "b" is newer); stocks: none flagged, "d" is latest.
        assert_eq!(p1["active"], json!({"crypto": "a", "stocks": "d"}));
        assert_eq!(
            settings_of(&records, "p2")["active"],
            json!({"crypto": "e"})
        );
        // The settings read back as today's records, with today's defaults.
        let s: ProfileSettings = serde_json::from_value(p1.clone()).unwrap();
        assert_eq!(s.active["crypto"], "a");
        assert_eq!(s.crypto_sources, ProfileSettings::default().crypto_sources);
    }

    #[test]
    fn v2_removes_the_flags_and_keeps_every_other_field_of_the_imports() {
        let mut records = v1_records();
        let before = records["imports"].clone();
        Schema::app().upgrade(&mut records, 1).unwrap();
        assert_eq!(records["imports"].len(), 5);
        for (old, new) in before.iter().zip(&records["imports"]) {
            let mut expected = old.clone();
            expected.as_object_mut().unwrap().remove("active");
            assert_eq!(*new, expected);
        }
        assert_eq!(records["profiles"].len(), 2);
    }

    #[test]
    fn v2_leaves_a_profile_that_already_has_settings_alone() {
        let mut records = v1_records();
        let mine = json!({"profile_id": "p1", "active": {"crypto": "b"}, "dust_min": 5.0});
        records.insert("settings".into(), vec![mine.clone()]);
        Schema::app().upgrade(&mut records, 1).unwrap();
        assert_eq!(records["settings"].len(), 2);
        assert_eq!(*settings_of(&records, "p1"), mine);
        // Run again on its own output: nothing changes.
        let once = records.clone();
        STEPS[1].upgrade.unwrap().rule.apply(&mut records).unwrap();
        assert_eq!(records, once);
    }

    #[test]
    fn a_record_the_upgrade_cannot_read_is_named() {
        let mut records = v1_records();
        records.get_mut("imports").unwrap()[2]["source"] = json!("Boat");
        let err = Schema::app().upgrade(&mut records, 1).unwrap_err();
        let MigrationError::Record { version, problem } = err else {
            panic!("{err:?}")
        };
        assert_eq!(version, 2);
        assert!(
            problem.starts_with("import record 3 (\"c\") cannot be read: unknown variant `Boat`"),
            "{problem}"
        );
    }

    #[test]
    fn records_of_the_current_version_or_a_version_without_upgrades_are_untouched() {
        let mut records = v1_records();
        records.insert("plans".into(), vec![json!({"id": "x", "profile_id": "p1"})]);
        let before = records.clone();
        Schema::app().upgrade(&mut records, 2).unwrap();
        Schema::app().upgrade(&mut records, 4).unwrap();
        assert_eq!(records, before);
    }

    #[test]
    fn versions_outside_the_schema_are_refused() {
        let mut records = Records::new();
        assert_eq!(
            Schema::app().upgrade(&mut records, 5),
            Err(MigrationError::Newer {
                found: 5,
                supported: 4
            })
        );
        assert_eq!(
            Schema::app().upgrade(&mut records, 0),
            Err(MigrationError::NoVersion)
        );
    }

    #[test]
    fn an_upgrade_sees_only_the_stores_it_names() {
        fn count_stores(records: &mut Records) -> Result<(), String> {
            let seen: Vec<String> = records.keys().cloned().collect();
            records.insert("seen".into(), vec![json!(seen)]);
            Ok(())
        }
        let schema = Schema::app()
            .with_step(Step {
                version: 5,
                adds: &[],
                upgrade: Some(Upgrade {
                    stores: &["plans", "seen"],
                    rule: Rule::Custom(count_stores),
                }),
            })
            .unwrap();
        let mut records = v1_records();
        schema.upgrade(&mut records, 4).unwrap();
        assert_eq!(records["seen"], vec![json!(["plans", "seen"])]);
        assert_eq!(records["profiles"].len(), 2, "other stores kept");
        assert!(!records.contains_key("plans"), "no empty store left behind");
    }

    #[test]
    fn the_app_schema_lists_every_store_once_with_its_key() {
        let schema = Schema::app();
        assert_eq!(schema.version(), SCHEMA_VERSION);
        let names: Vec<&str> = schema.stores().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "profiles",
                "imports",
                "settings",
                "meta",
                "quotes",
                "history",
                "snapshots",
                "plans"
            ]
        );
        assert_eq!(schema.store("meta").unwrap().key, KeyPath::OutOfLine);
        assert_eq!(
            schema.store("settings").unwrap().key,
            KeyPath::Field("profile_id")
        );
        assert!(
            Schema::app().with_step(STEPS[0]).is_none(),
            "versions follow"
        );
    }

    #[test]
    fn records_belong_to_the_profile_they_name() {
        let schema = Schema::app();
        let profiles = schema.store("profiles").unwrap();
        let plans = schema.store("plans").unwrap();
        let quotes = schema.store("quotes").unwrap();
        assert!(profiles.belongs(&json!({"id": "p1"}), "p1"));
        assert!(!profiles.belongs(&json!({"id": "p1"}), "p2"));
        assert!(plans.belongs(&json!({"id": "x", "profile_id": "p1"}), "p1"));
        assert!(
            !plans.belongs(&json!({"id": "p1"}), "p1"),
            "a plan's id is not its profile"
        );
        assert!(!quotes.belongs(&json!({"key": "crypto:BTC", "profile_id": "p1"}), "p1"));
        let out_of_line = StoreSpec {
            name: "locks",
            key: KeyPath::OutOfLine,
            owner: Owner::Profile,
            indexed: false,
            tally: Tally::Nothing,
        };
        let lock = json!({"key": "k", "value": {"profile_id": "p1"}});
        assert!(out_of_line.belongs(&lock, "p1"));
        assert_eq!(out_of_line.owner_of(&lock), Some("p1"));
    }
}

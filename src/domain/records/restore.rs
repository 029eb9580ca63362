//! What a backup holds and what restoring it replaces, decided on the records' JSON view
//! before the database is touched.
//!
//! - A backup of the **whole database** holds every store; restoring it replaces every
//!   store: profiles not in the file are removed, shared caches and app settings replaced.
//! - A backup of **one profile** holds that profile's records in every per-profile store
//!   (no shared cache); restoring it replaces the profile of the same id (or adds it) and
//!   leaves every other profile and the shared stores alone.
//!
//! [`prepare`] checks a decoded backup against the schema (newer refused, older upgraded by
//! [`Schema::upgrade`], unknown stores, unkeyed records and records of another profile
//! refused) and gives the [`Restore`] the browser applies in one transaction; [`preview`]
//! says what it would replace.

use crate::domain::backup::{Backup, BackupError, ProfileSummary, Scope, Summary};
use crate::domain::calendar::Timestamp;

use super::migrations::{KeyPath, Owner, Records, Schema, Tally, PROFILES};

/// What a backup covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Every store.
    Database,
    /// The records of one profile (its id).
    Profile(String),
}

impl Coverage {
    /// The file's scope.
    pub fn scope(&self) -> Scope {
        match self {
            Coverage::Database => Scope::Database,
            Coverage::Profile(_) => Scope::Profile,
        }
    }
}

/// A backup checked and brought to the current schema, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Restore {
    /// What it replaces.
    pub coverage: Coverage,
    /// The records, in the current schema's shape, by store.
    pub records: Records,
    /// What it holds, counted from its records.
    pub summary: Summary,
    /// When the backup was written.
    pub written: Timestamp,
    /// The schema version it was written at.
    pub written_at_version: u32,
    /// The Folio version that wrote it.
    pub app_version: String,
}

/// One profile the restore replaces: as it is here, and as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The profile now.
    pub here: ProfileSummary,
    /// The profile in the file.
    pub file: ProfileSummary,
}

/// What a restore would do to this database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Profiles of the same id, replaced by the file's.
    pub replaced: Vec<Replacement>,
    /// Profiles of the file that are not here.
    pub added: Vec<ProfileSummary>,
    /// Profiles here that the restore deletes (a whole-database backup without them).
    pub removed: Vec<ProfileSummary>,
    /// Profiles here that the restore leaves alone (a one-profile backup).
    pub kept: Vec<ProfileSummary>,
    /// Whether cached prices, history, rates and app settings are replaced by the file's.
    pub replaces_shared: bool,
}

/// Adds `n` records of a store counted as `tally` to a profile's counts.
pub fn count(profile: &mut ProfileSummary, tally: Tally, n: u64) {
    let slot = match tally {
        Tally::Nothing => return,
        Tally::Accounts => &mut profile.accounts,
        Tally::Transactions(_) => &mut profile.transactions,
        Tally::Imports => &mut profile.imports,
        Tally::Plans => &mut profile.plans,
    };
    *slot = slot.saturating_add(n);
}

/// How many of its kind one record counts for.
pub fn weight(tally: Tally, record: &serde_json::Value) -> u64 {
    match tally {
        Tally::Nothing => 0,
        Tally::Transactions(Some(field)) => record[field].as_u64().unwrap_or(0),
        _ => 1,
    }
}

/// The summary of `records` (a dump covering `coverage`): its profiles in store order, with
/// their accounts, transactions, imports and plans counted by each store's [`Tally`].
pub fn summarise(schema: &Schema, coverage: &Coverage, records: &Records) -> Summary {
    let mut profiles: Vec<ProfileSummary> = records
        .get(PROFILES)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(ProfileSummary {
                id: p["id"].as_str()?.to_string(),
                name: p["name"].as_str().unwrap_or_default().to_string(),
                accounts: 0,
                transactions: 0,
                imports: 0,
                plans: 0,
            })
        })
        .collect();
    for spec in schema.stores().filter(|s| s.tally != Tally::Nothing) {
        for record in records.get(spec.name).into_iter().flatten() {
            let owner = spec.owner_of(record);
            if let Some(p) = profiles.iter_mut().find(|p| Some(p.id.as_str()) == owner) {
                count(p, spec.tally, weight(spec.tally, record));
            }
        }
    }
    Summary {
        scope: coverage.scope(),
        profiles,
    }
}

fn malformed(text: String) -> BackupError {
    BackupError::Malformed(text)
}

/// Checks a decoded backup and carries its records to `schema`'s version: a newer schema is
/// refused ([`BackupError::NewerSchema`]); a record that is not where it can be written (an
/// unknown store, no key, another profile's record or a shared cache in a one-profile backup)
/// is refused as damage. Nothing is written.
pub fn prepare(schema: &Schema, backup: Backup) -> Result<Restore, BackupError> {
    backup.check_schema(schema.version())?;
    let coverage = match backup.summary.scope {
        Scope::Database => Coverage::Database,
        Scope::Profile => {
            let id = backup
                .summary
                .profiles
                .first()
                .map(|p| p.id.clone())
                .ok_or_else(|| malformed("its summary names no profile".into()))?;
            Coverage::Profile(id)
        }
    };
    let mut records = backup.stores;
    schema
        .upgrade(&mut records, backup.schema_version)
        .map_err(|e| malformed(e.to_string()))?;
    for (name, list) in &records {
        let spec = schema.store(name).ok_or_else(|| {
            malformed(format!(
                "it holds records of a kind this version of Folio does not know (“{name}”)"
            ))
        })?;
        for (n, record) in list.iter().enumerate() {
            let key = match spec.key {
                KeyPath::Field(field) => &record[field],
                KeyPath::OutOfLine if record.get("value").is_some() => &record["key"],
                KeyPath::OutOfLine => &serde_json::Value::Null,
            };
            if !(key.is_string() || key.is_number()) {
                return Err(malformed(format!(
                    "record {} of “{name}” has no key",
                    n + 1
                )));
            }
            if let Coverage::Profile(id) = &coverage {
                if spec.owner == Owner::Shared {
                    return Err(malformed(format!(
                        "a one-profile backup holds shared records (“{name}”)"
                    )));
                }
                if !spec.belongs(record, id) {
                    return Err(malformed(format!(
                        "record {} of “{name}” belongs to another profile",
                        n + 1
                    )));
                }
            }
        }
    }
    let summary = summarise(schema, &coverage, &records);
    if let Coverage::Profile(id) = &coverage {
        if summary.profiles.len() != 1 {
            return Err(malformed(format!(
                "a one-profile backup holds {} profile records for “{id}”",
                summary.profiles.len()
            )));
        }
    }
    Ok(Restore {
        coverage,
        records,
        summary,
        written: backup.written,
        written_at_version: backup.schema_version,
        app_version: backup.app_version,
    })
}

/// What restoring a backup holding `file` does to a database holding `here` (the whole
/// database's summary).
pub fn preview(here: &Summary, file: &Summary) -> Preview {
    let in_file = |id: &str| file.profiles.iter().any(|p| p.id == id);
    let mut replaced = Vec::new();
    let mut added = Vec::new();
    for p in &file.profiles {
        match here.profiles.iter().find(|h| h.id == p.id) {
            Some(h) => replaced.push(Replacement {
                here: h.clone(),
                file: p.clone(),
            }),
            None => added.push(p.clone()),
        }
    }
    let others: Vec<ProfileSummary> = here
        .profiles
        .iter()
        .filter(|h| !in_file(&h.id))
        .cloned()
        .collect();
    let whole = file.scope == Scope::Database;
    Preview {
        replaced,
        added,
        removed: if whole { others.clone() } else { Vec::new() },
        kept: if whole { Vec::new() } else { others },
        replaces_shared: whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::migrations::{Step, StoreSpec};
    use serde_json::{json, Value};

    fn backup(scope: Scope, profile: &str, version: u32, stores: Records) -> Backup {
        Backup {
            app_version: "0.1.0".into(),
            schema_version: version,
            written: Timestamp::from_millis(1_000),
            summary: Summary {
                scope,
                profiles: vec![ProfileSummary {
                    id: profile.into(),
                    name: "Me".into(),
                    accounts: 0,
                    transactions: 0,
                    imports: 0,
                    plans: 0,
                }],
            },
            stores,
        }
    }

    fn records(entries: &[(&str, Vec<Value>)]) -> Records {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn profile_records(id: &str) -> Vec<(&'static str, Vec<Value>)> {
        vec![
            (
                "profiles",
                vec![json!({"id": id, "name": "Me", "created_ms": 1})],
            ),
            ("settings", vec![json!({"profile_id": id})]),
            (
                "imports",
                vec![
                    json!({"id": "i1", "profile_id": id}),
                    json!({"id": "i2", "profile_id": id}),
                ],
            ),
            ("plans", vec![json!({"id": "x", "profile_id": id})]),
        ]
    }

    fn summary_of(scope: Scope, profiles: &[(&str, u64)]) -> Summary {
        Summary {
            scope,
            profiles: profiles
                .iter()
                .map(|(id, imports)| ProfileSummary {
                    id: id.to_string(),
                    name: id.to_uppercase(),
                    accounts: 0,
                    transactions: 0,
                    imports: *imports,
                    plans: 0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_profile_backup_replaces_its_profile_and_keeps_the_others() {
        let here = summary_of(Scope::Database, &[("a", 1), ("b", 2)]);
        let file = summary_of(Scope::Profile, &[("b", 5)]);
        let p = preview(&here, &file);
        assert_eq!(p.replaced.len(), 1);
        assert_eq!(p.replaced[0].here.imports, 2);
        assert_eq!(p.replaced[0].file.imports, 5);
        assert_eq!(p.kept, vec![here.profiles[0].clone()]);
        assert!(p.added.is_empty() && p.removed.is_empty());
        assert!(!p.replaces_shared);
    }

    #[test]
    fn a_profile_backup_of_a_profile_not_here_adds_it() {
        let here = summary_of(Scope::Database, &[("a", 1)]);
        let p = preview(&here, &summary_of(Scope::Profile, &[("z", 3)]));
        assert_eq!(p.added[0].id, "z");
        assert!(p.replaced.is_empty());
        assert_eq!(p.kept.len(), 1);
    }

    #[test]
    fn a_database_backup_replaces_everything_and_removes_profiles_it_lacks() {
        let here = summary_of(Scope::Database, &[("a", 1), ("b", 2), ("c", 0)]);
        let file = summary_of(Scope::Database, &[("b", 1), ("d", 4)]);
        let p = preview(&here, &file);
        let ids = |v: &[ProfileSummary]| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&p.removed), ["a", "c"]);
        assert_eq!(ids(&p.added), ["d"]);
        assert_eq!(p.replaced[0].here.id, "b");
        assert!(p.kept.is_empty());
        assert!(p.replaces_shared);
    }

    #[test]
    fn the_summary_is_counted_from_the_records() {
        let r = records(&profile_records("p1"));
        let s = summarise(&Schema::app(), &Coverage::Profile("p1".into()), &r);
        assert_eq!(s.scope, Scope::Profile);
        assert_eq!(
            s.profiles,
            vec![ProfileSummary {
                id: "p1".into(),
                name: "Me".into(),
                accounts: 0,
                transactions: 0,
                imports: 2,
                plans: 1,
            }]
        );
    }

    #[test]
    fn stores_added_later_are_counted_by_their_tally() {
        // A ledger of chunk records (each holding `count` transactions) and accounts, as a
        // later schema adds them: the summary counts them with no change here.
        const ADDED: [StoreSpec; 2] = [
            StoreSpec::per_profile("accounts", Tally::Accounts),
            StoreSpec::per_profile("ledger", Tally::Transactions(Some("count"))),
        ];
        let schema = Schema::app()
            .with_step(Step {
                version: 5,
                adds: &ADDED,
                upgrade: None,
            })
            .unwrap();
        let mut entries = profile_records("p1");
        entries.push((
            "accounts",
            vec![
                json!({"id": "a1", "profile_id": "p1"}),
                json!({"id": "a2", "profile_id": "p1"}),
            ],
        ));
        entries.push((
            "ledger",
            vec![
                json!({"id": "a1/000000", "profile_id": "p1", "count": 10000}),
                json!({"id": "a1/000001", "profile_id": "p1", "count": 250}),
            ],
        ));
        let restore = prepare(&schema, backup(Scope::Profile, "p1", 5, records(&entries))).unwrap();
        let p = &restore.summary.profiles[0];
        assert_eq!(
            (p.accounts, p.transactions, p.imports, p.plans),
            (2, 10_250, 2, 1)
        );
    }

    #[test]
    fn an_older_backup_is_carried_to_the_current_schema() {
        // Written at v1: imports carry `active` flags and there is no settings store.
        let v1 = records(&[
            (
                "profiles",
                vec![json!({"id": "p1", "name": "Me", "created_ms": 1.0})],
            ),
            (
                "imports",
                vec![json!({"id": "i1", "profile_id": "p1", "source": "Crypto",
                            "imported_ms": 5.0, "active": true})],
            ),
        ]);
        let r = prepare(&Schema::app(), backup(Scope::Profile, "p1", 1, v1)).unwrap();
        assert_eq!(r.written_at_version, 1);
        assert_eq!(r.records["settings"][0]["active"], json!({"crypto": "i1"}));
        assert!(r.records["imports"][0].get("active").is_none());
        assert_eq!(r.summary.profiles[0].imports, 1);
    }

    #[test]
    fn a_newer_backup_is_refused_with_its_version() {
        let b = backup(Scope::Profile, "p1", 9, records(&profile_records("p1")));
        assert_eq!(
            prepare(&Schema::app(), b),
            Err(BackupError::NewerSchema {
                found: 9,
                supported: 4
            })
        );
    }

    #[test]
    fn a_profile_backup_with_another_profiles_record_is_refused() {
        let mut entries = profile_records("p1");
        entries[2].1.push(json!({"id": "i9", "profile_id": "p2"}));
        let err = prepare(
            &Schema::app(),
            backup(Scope::Profile, "p1", 4, records(&entries)),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The backup file is damaged: record 3 of “imports” belongs to another profile."
        );
    }

    #[test]
    fn a_profile_backup_with_shared_records_is_refused() {
        let mut entries = profile_records("p1");
        entries.push(("quotes", vec![json!({"key": "crypto:BTC"})]));
        let err = prepare(
            &Schema::app(),
            backup(Scope::Profile, "p1", 4, records(&entries)),
        )
        .unwrap_err();
        assert_eq!(
            err,
            BackupError::Malformed("a one-profile backup holds shared records (“quotes”)".into())
        );
    }

    #[test]
    fn unknown_stores_and_unkeyed_records_are_refused() {
        let mut entries = profile_records("p1");
        entries.push(("boats", vec![json!({"id": "b"})]));
        let err = prepare(
            &Schema::app(),
            backup(Scope::Database, "p1", 4, records(&entries)),
        )
        .unwrap_err();
        assert!(err.to_string().contains("(“boats”)"), "{err}");

        let mut entries = profile_records("p1");
        entries[3].1.push(json!({"profile_id": "p1"}));
        let err = prepare(
            &Schema::app(),
            backup(Scope::Profile, "p1", 4, records(&entries)),
        )
        .unwrap_err();
        assert_eq!(
            err,
            BackupError::Malformed("record 2 of “plans” has no key".into())
        );

        // Out-of-line records need both their key and their value.
        let meta = |r: Value| records(&[("meta", vec![r])]);
        let ok = meta(json!({"key": "current_profile", "value": "p1"}));
        assert!(prepare(&Schema::app(), backup(Scope::Database, "p1", 4, ok)).is_ok());
        for bad in [json!({"value": 1}), json!({"key": "k"})] {
            let err = prepare(&Schema::app(), backup(Scope::Database, "p1", 4, meta(bad)));
            assert_eq!(
                err,
                Err(BackupError::Malformed(
                    "record 1 of “meta” has no key".into()
                ))
            );
        }
    }

    #[test]
    fn a_profile_backup_must_hold_its_profile_record() {
        let mut entries = profile_records("p1");
        entries.remove(0);
        let err = prepare(
            &Schema::app(),
            backup(Scope::Profile, "p1", 4, records(&entries)),
        )
        .unwrap_err();
        assert_eq!(
            err,
            BackupError::Malformed("a one-profile backup holds 0 profile records for “p1”".into())
        );
    }
}

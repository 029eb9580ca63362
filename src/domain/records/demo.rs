//! The demo profile that ships with the app, so a newcomer sees a real portfolio with no
//! file at hand. Its files went through the real importers (checked by a test).

use crate::domain::holding::{AssetClass, SourceKind};
use crate::domain::import::ImportOutcome;
use crate::domain::manual::{manual_holding, ManualEntry};
use crate::domain::records::ConfirmedImport;

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

/// What the importers make of [`DEMO_FILES`], recorded so the first visit needs no import
/// worker; a test checks it against the importers (`FOLIO_BLESS=1 cargo test demo`
/// rewrites it).
const DEMO_OUTCOMES: &str = include_str!("demo/outcomes.json");

/// The demo's imports (crypto and stocks), as the real importers parse [`DEMO_FILES`].
pub fn demo_imports() -> Vec<ConfirmedImport> {
    let outcomes: Vec<ImportOutcome> = serde_json::from_str(DEMO_OUTCOMES).unwrap_or_default();
    outcomes
        .into_iter()
        .zip(DEMO_FILES)
        .map(|(outcome, (_, _, source))| ConfirmedImport { outcome, source })
        .collect()
}

/// The demo's manual entries (a bank account).
pub fn demo_manual() -> Vec<crate::domain::holding::Holding> {
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

    #[test]
    fn recorded_outcomes_are_what_the_importers_make_of_the_files() {
        use crate::domain::import::{import_bytes, ImportOptions};
        let fresh: Vec<ImportOutcome> = DEMO_FILES
            .iter()
            .map(|(name, text, _)| {
                import_bytes(name, text.as_bytes().to_vec(), &ImportOptions::default())
                    .unwrap()
                    .unwrap()
            })
            .collect();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/domain/records/demo/outcomes.json"
        );
        if std::env::var_os("FOLIO_BLESS").is_some() {
            std::fs::write(path, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
            return;
        }
        let recorded: Vec<ImportOutcome> = serde_json::from_str(DEMO_OUTCOMES).unwrap();
        assert!(
            recorded == fresh,
            "src/domain/records/demo/outcomes.json is stale: run `FOLIO_BLESS=1 cargo test demo`"
        );
    }

    #[test]
    fn demo_files_import_cleanly() {
        let imports = demo_imports();
        assert_eq!(imports.len(), 2);
        for i in &imports {
            assert_eq!(
                i.outcome.report.skipped,
                i.outcome
                    .report
                    .skip_groups
                    .iter()
                    .map(|g| g.count)
                    .sum::<u64>()
            );
            assert!(
                i.outcome.holdings.len() >= 5,
                "{}",
                i.outcome.report.file_name
            );
            assert!(i
                .outcome
                .report
                .skip_groups
                .iter()
                .all(|g| g.reason == crate::domain::import::SkipReason::SummaryRow));
        }
        assert_eq!(demo_manual().len(), 1);
    }
}

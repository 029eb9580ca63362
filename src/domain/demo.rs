//! The demo profile that ships with the app, so a newcomer sees a real portfolio with no
//! file at hand. Its files go through the real importers.

use crate::domain::holding::{AssetClass, SourceKind};
use crate::domain::import::{import_bytes, ImportOptions};
use crate::domain::store::{manual_holding, ConfirmedImport, ManualEntry};

/// Name of the demo profile.
pub const DEMO_PROFILE_NAME: &str = "Demo";

const CRYPTO: (&str, &str) = (
    "demo - CoinTracking Balance by Exchange.csv",
    include_str!("demo/cointracking_balance_by_exchange.csv"),
);
const STOCKS: (&str, &str) = (
    "demo - Saxo Positions.csv",
    include_str!("demo/saxo_positions.csv"),
);

/// The demo's imports (crypto and stocks), parsed by the real importers.
pub fn demo_imports() -> Vec<ConfirmedImport> {
    [(CRYPTO, SourceKind::Crypto), (STOCKS, SourceKind::Stocks)]
        .into_iter()
        .filter_map(|((name, text), source)| {
            let outcome = import_bytes(name, text.as_bytes().to_vec(), &ImportOptions::default())
                .ok()?
                .ok()?;
            Some(ConfirmedImport { outcome, source })
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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

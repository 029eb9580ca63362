//! Every importer and quirk, on fixtures written for Folio (`tests/fixtures/`, made by
//! `scripts/make_fixtures.py`).
#![cfg(not(target_arch = "wasm32"))]

use folio::domain::holding::{AssetClass, Holding, SourceKind};
use folio::domain::import::{
    import_bytes, ColumnMapping, Format, ImportError, ImportOptions, ImportOutcome, MappingRequest,
    SkipReason,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", manifest_dir())).expect("fixture exists")
}

fn import(name: &str) -> ImportOutcome {
    match import_bytes(name, fixture(name), &ImportOptions::default()) {
        Ok(Ok(out)) => out,
        Ok(Err(req)) => panic!("{name} asked for a mapping: {:?}", req.headers),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn ask_mapping(name: &str) -> MappingRequest {
    match import_bytes(name, fixture(name), &ImportOptions::default()) {
        Ok(Err(req)) => req,
        other => panic!("{name} should need a mapping, got {other:?}"),
    }
}

fn find<'a>(out: &'a ImportOutcome, symbol: &str, location: &str) -> &'a Holding {
    out.holdings
        .iter()
        .find(|h| h.symbol == symbol && h.location == location)
        .unwrap_or_else(|| panic!("no {symbol} at {location} in {:#?}", out.holdings))
}

fn total_value(out: &ImportOutcome) -> f64 {
    out.holdings.iter().filter_map(|h| h.value).sum()
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{a} != {b}");
}

#[test]
fn imports_cointracking_current_balance_with_bom_and_semicolons() {
    let out = import("ct_current_balance.csv");
    assert_eq!(out.format, Format::CoinTrackingCurrentBalance);
    assert_eq!(out.suggested_source, SourceKind::Crypto);
    assert_eq!(out.report.encoding, "UTF-8 with BOM");
    assert_eq!(out.report.delimiter, Some(';'));
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.report.skipped
        ),
        (5, 5, 0)
    );
    assert_close(total_value(&out), 100_000.0);
    let apt = find(&out, "APT", "CoinTracking");
    assert_eq!(apt.alias.as_deref(), Some("APT3"));
    assert_eq!(apt.name.as_deref(), Some("Aptos"));
    assert_eq!(apt.price, Some(5.0));
    let mystery = find(&out, "ZZTOP", "CoinTracking");
    assert_eq!(
        (mystery.value, mystery.price),
        (None, None),
        "an en dash means no value"
    );
}

#[test]
fn imports_cointracking_balance_by_exchange_with_crlf_negatives_and_bad_rows() {
    let out = import("ct_balance_by_exchange.csv");
    assert_eq!(out.format, Format::CoinTrackingBalanceByExchange);
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.report.skipped
        ),
        (8, 6, 2)
    );
    assert_close(total_value(&out), 45_490.0);
    assert_close(find(&out, "BTC", "Binance").quantity, -0.0001);
    assert_close(find(&out, "USDT", "Binance").quantity, 1000.0);
    assert_eq!(find(&out, "SOL", "Phantom").alias.as_deref(), Some("SOL2"));
    assert!(out.report.notes.iter().any(|n| n.contains("negative")));
    let bad = &out.report.skip_groups;
    assert_eq!(bad.len(), 2);
    let number = bad
        .iter()
        .find(|g| matches!(&g.reason, SkipReason::BadNumber { column } if column == "Amount"))
        .unwrap();
    assert_eq!(
        (number.count, number.lines.clone(), number.examples.clone()),
        (1, vec![8], vec!["abc".to_string()])
    );
    let missing = bad
        .iter()
        .find(|g| g.reason == SkipReason::MissingQuantity)
        .unwrap();
    assert_eq!(missing.lines, vec![9]);
}

#[test]
fn imports_cointracking_coins_by_exchange_with_comma_thousands_and_names() {
    let out = import("ct_coins_by_exchange.csv");
    assert_eq!(out.format, Format::CoinTrackingCoinsByExchange);
    assert_eq!(out.holdings.len(), 5);
    assert_close(total_value(&out), 5300.47);
    assert_close(
        find(&out, "AIR", "Metamask - BSC - Std").quantity,
        3_843_208.0,
    );
    let aave = find(&out, "AAVE", "Binance");
    assert_eq!(aave.name.as_deref(), Some("Aave"));
    assert_eq!(find(&out, "4BELT", "Metamask - BSC - Std").name, None);
    assert_eq!(find(&out, "TAO", "Kraken").alias.as_deref(), Some("TAO6"));
}

#[test]
fn reconstructs_balances_from_cointracking_trade_list() {
    let out = import("ct_trade_list.csv");
    assert_eq!(out.format, Format::CoinTrackingTradeList);
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.report.skipped
        ),
        (10, 7, 3)
    );
    assert_close(find(&out, "EUR", "Kraken").quantity, 198.0);
    assert_close(find(&out, "BTC", "Kraken").quantity, 0.01005);
    assert_close(find(&out, "BTC", "Ledger").quantity, 0.01);
    assert_close(find(&out, "ETH", "Unknown").quantity, 4.0);
    assert_eq!(out.holdings.len(), 4);
    assert!(out.holdings.iter().all(|h| h.value.is_none()));
    let reasons: Vec<&SkipReason> = out.report.skip_groups.iter().map(|g| &g.reason).collect();
    assert!(reasons.contains(&&SkipReason::NoAmount));
    assert!(reasons.contains(&&SkipReason::BadNumber {
        column: "Buy".into()
    }));
    assert!(reasons.contains(&&SkipReason::AmountWithoutCurrency {
        column: "Buy".into()
    }));
}

#[test]
fn imports_saxo_positions_in_french_with_embedded_newlines_and_summary_rows() {
    let out = import("saxo_positions_fr.csv");
    assert_eq!(out.format, Format::SaxoPositions);
    assert_eq!(out.suggested_source, SourceKind::Stocks);
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.report.skipped
        ),
        (6, 3, 3)
    );
    assert_close(total_value(&out), 11_411.0);
    let aapl = find(&out, "AAPL", "Saxo Bank");
    assert_eq!(aapl.venue.as_deref(), Some("XNAS"));
    assert_eq!(
        (
            aapl.currency.as_str(),
            aapl.price_currency.as_ref().map(|c| c.as_str())
        ),
        ("EUR", Some("USD"))
    );
    assert_eq!(aapl.name.as_deref(), Some("Apple Inc."));
    assert_eq!(aapl.isin.as_deref(), Some("US0378331005"));
    let brk = find(&out, "BRK.B", "Saxo Bank");
    assert_eq!(brk.price, Some(1234.56), "French-formatted price");
    assert_eq!(find(&out, "IWDA", "Saxo Bank").asset_class, AssetClass::Etf);
    let groups = &out.report.skip_groups;
    assert_eq!(groups[0].reason, SkipReason::SummaryRow);
    assert_eq!(groups[0].count, 2);
    assert!(groups
        .iter()
        .any(|g| g.reason == SkipReason::ClosedPosition));
    // The header has an embedded newline, and each position row spans two lines.
    assert_eq!(groups[0].lines, vec![3, 8]);
}

#[test]
fn imports_saxo_positions_in_english_with_shorts() {
    let out = import("saxo_positions_en.csv");
    assert_eq!(out.format, Format::SaxoPositions);
    assert_close(total_value(&out), 1569.0);
    let nesn = find(&out, "NESN", "Saxo Bank");
    assert_eq!(
        (
            nesn.currency.as_str(),
            nesn.price_currency.as_ref().map(|c| c.as_str())
        ),
        ("CHF", None)
    );
    assert_close(find(&out, "SHRT", "Saxo Bank").quantity, -3.0);
}

#[test]
fn imports_saxo_positions_from_xlsx() {
    let out = import("saxo_positions.xlsx");
    assert_eq!(out.format, Format::SaxoPositions);
    assert_eq!(out.report.encoding, "XLSX workbook");
    assert_eq!((out.report.rows_read, out.report.imported), (3, 2));
    assert_close(total_value(&out), 12_615.0);
    assert_eq!(find(&out, "VWCE", "Saxo Bank").asset_class, AssetClass::Etf);
}

#[test]
fn imports_generic_csv_by_column_alias_and_skips_total_rows() {
    let out = import("generic_simple.csv");
    assert_eq!(out.format, Format::Generic);
    assert_eq!((out.report.imported, out.report.skipped), (2, 1));
    assert_eq!(out.report.skip_groups[0].reason, SkipReason::SummaryRow);
    let btc = find(&out, "BTC", "Coinbase");
    assert_eq!(btc.value, Some(10_000.0));
    assert_eq!(btc.alias, None, "case alone is not an alias");
    assert!(
        out.mapping.is_some(),
        "the guessed mapping is returned to be saved"
    );
}

#[test]
fn skips_preamble_lines_before_the_header() {
    let out = import("generic_with_preamble.csv");
    assert_eq!(out.report.header_line, 4);
    assert_eq!(out.holdings.len(), 2);
    let ada = find(&out, "ADA", "Yoroi");
    assert_eq!((ada.value, ada.currency.as_str()), (Some(350.0), "EUR"));
}

#[test]
fn asks_for_a_mapping_when_unsure_and_applies_it_with_windows_1252_and_decimal_commas() {
    let req = ask_mapping("generic_eu_cp1252.csv");
    assert_eq!(req.headers[1], "Währung", "Windows-1252 decoded");
    assert_eq!(req.guess.symbol, None);
    assert_eq!(req.guess.quantity, Some(2));
    assert_eq!(req.samples.len(), 2);
    let mapping = ColumnMapping {
        symbol: Some(0),
        default_asset_class: AssetClass::Other,
        ..req.guess.clone()
    };
    let options = ImportOptions {
        mapping: Some(mapping.clone()),
        ..Default::default()
    };
    let out = import_bytes(
        "generic_eu_cp1252.csv",
        fixture("generic_eu_cp1252.csv"),
        &options,
    )
    .unwrap()
    .unwrap();
    assert_eq!(out.report.encoding, "Windows-1252");
    let btc = find(&out, "BITCOIN", "Börse Stuttgart");
    assert_eq!(
        (btc.quantity, btc.price, btc.value),
        (0.5, Some(60_000.0), Some(30_000.0))
    );
    assert_eq!(btc.asset_class, AssetClass::Other);
    // Saved for next time: the same file imports without asking.
    let saved = ImportOptions {
        saved_mappings: vec![mapping],
        ..Default::default()
    };
    let again = import_bytes(
        "generic_eu_cp1252.csv",
        fixture("generic_eu_cp1252.csv"),
        &saved,
    )
    .unwrap();
    assert_eq!(again.unwrap().holdings.len(), 2);
}

#[test]
fn a_mapping_without_symbol_is_a_clear_error() {
    let req = ask_mapping("generic_unsure.csv");
    let options = ImportOptions {
        mapping: Some(req.guess),
        ..Default::default()
    };
    let err = import_bytes(
        "generic_unsure.csv",
        fixture("generic_unsure.csv"),
        &options,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The column mapping for “generic_unsure.csv” is incomplete: Choose the column that holds the symbol."
    );
}

#[test]
fn unknown_files_get_one_sentence_naming_the_expected_formats() {
    for (name, bytes) in [
        ("garbage.txt", fixture("garbage.txt")),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
    ] {
        let err = import_bytes(name, bytes, &ImportOptions::default()).unwrap_err();
        assert!(
            matches!(err, ImportError::UnknownFormat { .. }),
            "{name}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("“{name}” is not in a format Folio knows.")),
            "{text}"
        );
        assert!(
            text.contains("CoinTracking") && text.contains("Saxo Bank"),
            "{text}"
        );
    }
    let empty =
        import_bytes("empty.csv", b"\n \n".to_vec(), &ImportOptions::default()).unwrap_err();
    assert_eq!(empty.to_string(), "“empty.csv” is empty.");
    // A header alone is said to be one, not an unknown format.
    let header = import_bytes(
        "header.csv",
        b"Symbol,Quantity\n\n".to_vec(),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        header.to_string(),
        "“header.csv” has a header and no rows: there is nothing to import."
    );
    // One cell is no header: still an unknown format.
    let word =
        import_bytes("word.csv", b"hello\n".to_vec(), &ImportOptions::default()).unwrap_err();
    assert!(
        matches!(word, ImportError::UnknownFormat { .. }),
        "{word:?}"
    );
    let zip = import_bytes(
        "broken.xlsx",
        b"PK\x03\x04garbage".to_vec(),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(zip, ImportError::Workbook { .. }), "{zip:?}");
}

#[test]
fn a_recognised_file_with_only_bad_rows_imports_nothing_and_says_why() {
    let out = import("malformed_ct.csv");
    assert_eq!(out.holdings.len(), 0);
    assert_eq!((out.report.rows_read, out.report.skipped), (2, 2));
    assert_eq!(
        out.report.skip_groups[0].reason.describe(),
        "“Amount” is not a number"
    );
}

#[test]
fn chunked_parsing_reports_progress_and_gives_the_same_result() {
    use folio::domain::import::{ImportSession, Started};
    let bytes = fixture("ct_balance_by_exchange.csv");
    let Ok(Started::Ready(mut session)) =
        ImportSession::start("b.csv", bytes.clone(), &ImportOptions::default())
    else {
        panic!("should be ready")
    };
    let mut seen = Vec::new();
    loop {
        let p = session.step(3);
        seen.push(p);
        if p.finished {
            break;
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen
        .windows(2)
        .all(|w| w[0].done <= w[1].done && w[0].rows <= w[1].rows));
    assert_eq!(seen.last().unwrap().done, seen.last().unwrap().total);
    let chunked = session.finish();
    let whole = import("ct_balance_by_exchange.csv");
    assert_eq!(chunked.holdings, whole.holdings);
}

/// The package directory at run time (cargo sets it for tests), so a test binary reused
/// from another checkout through a shared target directory still reads this checkout.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

#[test]
fn a_broken_utf8_sequence_after_a_bom_loses_no_row() {
    // Balance by Exchange with a UTF-8 BOM and one byte that is not UTF-8 in an exchange name.
    let mut bytes = b"\xEF\xBB\xBF\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"\r\n".to_vec();
    bytes.extend_from_slice(b"\"2\",\"ETH\",\"8000\",\"0.1\",\"Kraken\"\r\n");
    bytes.extend_from_slice(b"\"1\",\"BTC\",\"90000\",\"1\",\"B\xFFnance\"\r\n");
    bytes.extend_from_slice(b"\"x\",\"SOL\",\"100\",\"0.001\",\"Kraken\"\r\n");
    let out = import_bytes("balance.csv", bytes, &ImportOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(out.report.encoding, "UTF-8 with BOM");
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.report.skipped
        ),
        (3, 2, 1)
    );
    assert_eq!(find(&out, "BTC", "B\u{FFFD}nance").value, Some(90_000.0));
    // The bad number is reported at its line, counted across the CRLF line ends.
    assert_eq!(out.report.skip_groups[0].lines, vec![4]);
}

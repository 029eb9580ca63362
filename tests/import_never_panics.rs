//! Property tests: no input makes the importer or the number parser panic, and chunked
//! parsing always agrees with whole-file parsing. (The cargo-fuzz target in `fuzz/` explores
//! the same property with coverage guidance.)
#![cfg(not(target_arch = "wasm32"))]

use folio::domain::import::{import_bytes, ImportOptions, ImportSession, Started};
use folio::domain::number::{parse_number, DecimalStyle};
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+]?[0-9]{0,6}([.,][0-9]{0,4}){0,3}",
        "[A-Z]{1,6}[0-9]?( \\([A-Za-z]+\\) by Exchange)?",
        "\"[^\"]{0,8}\"",
        Just("–".to_string()),
        Just("\u{a0}".to_string()),
        "[ -~]{0,10}",
    ]
}

fn table() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"".to_string()),
        Just("\"Ticker\";\"Name\";\"Type\";\"Amount\";\"Value in USD\"".to_string()),
        Just("\"Type\",\"Buy\",\"Cur.\",\"Sell\",\"Cur.\",\"Fee\",\"Cur.\",\"Exchange\"".to_string()),
        Just("Instruments,Quantité,Prix actuel,Valeur actuelle (EUR),Symbole,Devise".to_string()),
        Just("Symbol,Quantity,Value".to_string()),
    ];
    (
        header,
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        prop_oneof![Just(","), Just(";")],
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(h, rows, d, nl)| {
            let mut s = h;
            for r in rows {
                s.push_str(nl);
                s.push_str(&r.join(d));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_bytes("x.csv", bytes, &ImportOptions::default());
    }

    #[test]
    fn near_valid_tables_never_panic_and_chunking_agrees(text in table(), chunk in 1usize..5) {
        let whole = import_bytes("x.csv", text.clone().into_bytes(), &ImportOptions::default());
        if let Ok(Started::Ready(mut s)) = ImportSession::start("x.csv", text.into_bytes(), &ImportOptions::default()) {
            while !s.step(chunk).finished {}
            let chunked = s.finish();
            let whole = whole.expect("same input").expect("same detection");
            prop_assert_eq!(chunked, whole);
        }
    }

    #[test]
    fn numbers_never_panic(s in "\\PC{0,24}") {
        for style in [DecimalStyle::Auto, DecimalStyle::DotDecimal, DecimalStyle::CommaDecimal] {
            if let Ok(Some(v)) = parse_number(&s, style) {
                prop_assert!(v.is_finite());
            }
        }
    }
}

//! No input makes the importer panic: arbitrary bytes, parsed whole and in chunks.
#![no_main]

use folio::domain::import::{import_bytes, ImportOptions, ImportSession, Started};
use folio::domain::number::{parse_number, DecimalStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes("fuzz.csv", data.to_vec(), &ImportOptions::default());
    if let Ok(Started::Ready(mut s)) =
        ImportSession::start("fuzz.csv", data.to_vec(), &ImportOptions::default())
    {
        while !s.step(3).finished {}
        let _ = s.finish();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for style in [
            DecimalStyle::Auto,
            DecimalStyle::DotDecimal,
            DecimalStyle::CommaDecimal,
        ] {
            let _ = parse_number(text, style);
        }
    }
});

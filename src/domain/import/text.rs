//! Byte-level sniffing: encoding, delimiter, header row, and header-name normalisation.

use serde::{Deserialize, Serialize};

/// The character encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (CoinTracking and Saxo exports).
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark ("Unicode text" from Excel).
    Utf16Le,
    /// Windows-1252 (Excel's "CSV" on Western-European Windows); chosen when the bytes are not UTF-8.
    Windows1252,
    /// An XLSX workbook (no text encoding).
    Xlsx,
}

impl Encoding {
    /// A short label for the import report.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Xlsx => "XLSX workbook",
        }
    }
}

/// `cell.trim()`, skipped for the common cell that starts and ends with a visible ASCII
/// character (importers trim every cell of every row).
#[inline(always)]
pub fn trim_cell(cell: &str) -> &str {
    match cell.as_bytes() {
        [a, .., b] if a.is_ascii_graphic() && b.is_ascii_graphic() => cell,
        [a] if a.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// Decodes file bytes into text, reporting which encoding was used. Malformed UTF-16
/// becomes U+FFFD, as do malformed sequences after a UTF-8 byte-order mark; Windows-1252
/// follows the WHATWG Encoding Standard's index (its five unassigned bytes map to the C1
/// controls of the same value).
pub fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return (text, Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let pairs = rest.chunks_exact(2);
        let odd = !pairs.remainder().is_empty();
        let units = pairs.map(|c| u16::from_le_bytes([c[0], c[1]]));
        let mut text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        if odd {
            text.push(char::REPLACEMENT_CHARACTER);
        }
        return (text, Encoding::Utf16Le);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, Encoding::Utf8),
        Err(e) => {
            let text: String = e.as_bytes().iter().map(|&b| windows_1252(b)).collect();
            (text, Encoding::Windows1252)
        }
    }
}

/// One Windows-1252 byte as a character (WHATWG index: 0x80–0x9F differ from Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// True when the bytes start like a ZIP archive (XLSX).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// True when the bytes look like binary data rather than text (NUL bytes in the first kilobytes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).filter(|&&b| b == 0).count() > 0
}

/// Lower-cases a header, strips accents, BOMs, quotes and surrounding space, and folds inner
/// whitespace (including embedded newlines) to single spaces: `"Quantité"` → `"quantite"`,
/// `"Achat/Vente\n"` → `"achat/vente"`.
pub fn normalise_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut pending_space = false;
    for c in h
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .chars()
    {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match fold_accent(c) {
            Some(s) => out.push_str(s),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ß' => "ss",
        '’' | '‘' => "'",
        '°' | 'º' => "o",
        _ => return None,
    })
}

/// Picks the delimiter among `,`, `;`, tab and `|` whose first records have the most
/// consistent number of fields (ties go to the one with more fields).
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let sample = &text[..text.len().min(64 * 1024)];
    let mut best = (b',', 0usize);
    for delim in [b',', b';', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut counts: Vec<usize> = Vec::new();
        for rec in reader.records().take(30) {
            match rec {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        // Drop a possibly truncated last record of the sample.
        if sample.len() < text.len() {
            counts.pop();
        }
        let Some(&mode) = mode_of(&counts) else {
            continue;
        };
        if mode < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == mode).count();
        let score = agreeing * 1000 + mode;
        if score > best.1 {
            best = (delim, score);
        }
    }
    best.0
}

fn mode_of(v: &[usize]) -> Option<&usize> {
    let mut best: Option<(&usize, usize)> = None;
    for x in v {
        let n = v.iter().filter(|y| *y == x).count();
        if best.is_none_or(|(bx, bn)| n > bn || (n == bn && x > bx)) {
            best = Some((x, n));
        }
    }
    best.map(|(x, _)| x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_cell_trims_as_trim_does() {
        for c in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}1\u{a0}",
            "\t1,5\r",
            "ab",
            "é",
            " é ",
            "1 000",
            "\u{3000}x",
        ] {
            assert_eq!(trim_cell(c), c.trim(), "{c:?}");
        }
    }

    #[test]
    fn strips_bom_and_detects_encodings() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,b".to_vec()),
            ("a,b".to_string(), Encoding::Utf8Bom)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,\xFFb".to_vec()),
            ("a,\u{FFFD}b".to_string(), Encoding::Utf8Bom),
            "a broken sequence after a BOM is replaced, not dropped"
        );
        assert_eq!(decode(b"a,b".to_vec()).1, Encoding::Utf8);
        let (text, enc) = decode(b"Quantit\xe9;Prix".to_vec());
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(text, "Quantité;Prix");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a;é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(utf16), ("a;é".to_string(), Encoding::Utf16Le));
    }

    // encoding_rs is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn decodes_as_encoding_rs_does() {
        // Every byte of Windows-1252, and UTF-16 with an unpaired surrogate and an odd byte.
        let all: Vec<u8> = (0x80..=0xFF).collect();
        let (ours, _) = decode(all.clone());
        let (theirs, _, _) = encoding_rs::WINDOWS_1252.decode(&all);
        assert_eq!(ours, theirs);
        let utf16 = [
            0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x62, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0x63,
        ];
        let (ours, _) = decode(utf16.to_vec());
        let (theirs, _, _) = encoding_rs::UTF_16LE.decode(&utf16);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn normalises_headers() {
        assert_eq!(normalise_header("\u{feff}Quantité"), "quantite");
        assert_eq!(normalise_header("\"Achat/Vente\n\""), "achat/vente");
        assert_eq!(normalise_header("+/- Brute  (EUR)"), "+/- brute (eur)");
        assert_eq!(normalise_header("N° de position"), "no de position");
        assert_eq!(normalise_header("Heure d’ouverture"), "heure d'ouverture");
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(
            sniff_delimiter(b"\"a\";\"b\";\"c\"\n\"1,5\";\"2\";\"3\"\n"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(b"x,\"a\nb\",c\n1,2,3\n"), b',');
    }
}

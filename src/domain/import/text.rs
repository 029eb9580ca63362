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

/// Decodes file bytes into UTF-8 text, reporting which encoding was used.
pub fn decode(bytes: Vec<u8>) -> (Vec<u8>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (rest.to_vec(), Encoding::Utf8Bom);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(&bytes);
        return (text.into_owned().into_bytes(), Encoding::Utf16Le);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s.into_bytes(), Encoding::Utf8),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            (text.into_owned().into_bytes(), Encoding::Windows1252)
        }
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
    fn strips_bom_and_detects_encodings() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,b".to_vec()),
            (b"a,b".to_vec(), Encoding::Utf8Bom)
        );
        assert_eq!(decode(b"a,b".to_vec()).1, Encoding::Utf8);
        let (text, enc) = decode(b"Quantit\xe9;Prix".to_vec());
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(String::from_utf8(text).unwrap(), "Quantité;Prix");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a;é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(
            decode(utf16),
            ("a;é".as_bytes().to_vec(), Encoding::Utf16Le)
        );
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

use std::sync::OnceLock;

use futures::executor::block_on;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::*;
use crate::domain::crypto::memo::MemoCrypto;
use crate::domain::crypto::DEFAULT_ITERATIONS;

const PASSPHRASE: &str = "correct horse battery staple";

fn sample() -> Backup {
    let mut stores = Stores::new();
    stores.insert(
        "profiles".into(),
        vec![json!({"id": "p1", "name": "Alice’s savings", "created_ms": 1_767_225_600_000.0})],
    );
    stores.insert(
        "transactions".into(),
        vec![
            json!({"id": "t1", "profile_id": "p1", "asset": "BTC", "quantity": 0.123_456_789_012_345_67,
                   "note": "café ☕", "fee": null, "tags": ["dca", 2, true]}),
            json!({"id": "t2", "profile_id": "p1", "asset": "ETH", "quantity": -1e-300, "big": u64::MAX}),
        ],
    );
    stores.insert("plans".into(), vec![]);
    Backup {
        app_version: "0.1.0".into(),
        schema_version: 4,
        written: Timestamp::from_millis(1_767_225_600_000),
        summary: Summary {
            scope: Scope::Profile,
            profiles: vec![ProfileSummary {
                id: "p1".into(),
                name: "Alice’s savings".into(),
                accounts: 0,
                transactions: 2,
                imports: 0,
                plans: 0,
            }],
        },
        stores,
    }
}

fn plain() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| encode(&sample()).unwrap())
}

fn sealed() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        block_on(encode_sealed(
            &sample(),
            &MemoCrypto,
            PASSPHRASE,
            DEFAULT_ITERATIONS,
        ))
        .unwrap()
    })
}

fn open(bytes: &[u8], passphrase: Option<&str>) -> Result<Backup, BackupError> {
    block_on(decode(bytes, &MemoCrypto, passphrase))
}

/// What a forger does after changing a file: recompute the trailing SHA-256.
fn with_new_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    let end = bytes.len() - 32;
    let sum = Sha256::digest(&bytes[..end]);
    bytes[end..].copy_from_slice(&sum);
    bytes
}

fn header_len(bytes: &[u8]) -> usize {
    u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize
}

/// What a forger does to change a header: edit it, fix the prefix, recompute the checksum.
fn edit_header(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let end = 24 + header_len(bytes);
    let header = std::str::from_utf8(&bytes[24..end]).unwrap();
    assert!(header.contains(from), "{from} not in {header}");
    let header = header.replacen(from, to, 1);
    let body = &bytes[end..bytes.len() - 32];
    frame::finish(
        frame::start(1, header.as_bytes(), body.len()).unwrap(),
        body,
    )
}

#[test]
fn a_plain_backup_round_trips_exactly() {
    assert_eq!(decode_plain(plain()).unwrap(), sample());
    assert_eq!(open(plain(), None).unwrap(), sample());
    assert_eq!(
        open(plain(), Some("ignored")).unwrap(),
        sample(),
        "a plain file ignores a passphrase"
    );
}

#[test]
fn a_sealed_backup_round_trips_exactly_with_its_passphrase() {
    assert_eq!(open(sealed(), Some(PASSPHRASE)).unwrap(), sample());
}

#[test]
fn the_file_is_magic_version_lengths_header_body_and_a_sha256() {
    let bytes = plain();
    assert_eq!(&bytes[..10], b"\x89FOLIO\r\n\x1a\n");
    assert_eq!(u16::from_le_bytes([bytes[10], bytes[11]]), 1);
    let h = header_len(bytes);
    let b = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    assert_eq!(bytes.len(), 24 + h + b + 32);
    let header: serde_json::Value = serde_json::from_slice(&bytes[24..24 + h]).unwrap();
    assert_eq!(header["app_version"], "0.1.0");
    assert_eq!(header["schema_version"], 4);
    assert_eq!(header["written"], 1_767_225_600_000_i64);
    assert_eq!(header["compression"], "deflate");
    assert_eq!(header["summary"]["scope"], "profile");
    let end = bytes.len() - 32;
    assert_eq!(&bytes[end..], Sha256::digest(&bytes[..end]).as_slice());
}

#[test]
fn a_sealed_header_shows_versions_and_parameters_but_no_names_or_counts() {
    let bytes = sealed();
    let header: serde_json::Value =
        serde_json::from_slice(&bytes[24..24 + header_len(bytes)]).unwrap();
    assert!(header.get("summary").is_none());
    assert_eq!(header["sealing"]["key"]["kdf"]["iterations"], 600_000);
    assert_eq!(
        header["sealing"]["key"]["kdf"]["algorithm"],
        "PBKDF2-HMAC-SHA-256"
    );
    let text = String::from_utf8_lossy(bytes);
    for secret in ["Alice", "BTC", "café", "transactions"] {
        assert!(!text.contains(secret), "{secret} readable in a sealed file");
    }
    let seen = inspect(bytes).unwrap();
    assert!(seen.sealed);
    assert_eq!(seen.summary, None);
    assert_eq!(seen.written, Timestamp::from_millis(1_767_225_600_000));
}

#[test]
fn inspecting_a_plain_file_shows_its_summary_and_totals() {
    let seen = inspect(plain()).unwrap();
    assert_eq!(seen.format_version, 1);
    assert!(!seen.sealed);
    let summary = seen.summary.unwrap();
    assert_eq!(summary, sample().summary);
    assert_eq!(
        summary.totals(),
        Totals {
            profiles: 1,
            transactions: 2,
            ..Totals::default()
        }
    );
}

#[test]
fn two_sealings_of_the_same_backup_use_fresh_salt_nonce_and_key() {
    let again = block_on(encode_sealed(
        &sample(),
        &MemoCrypto,
        PASSPHRASE,
        DEFAULT_ITERATIONS,
    ))
    .unwrap();
    let header = |b: &[u8]| -> serde_json::Value {
        serde_json::from_slice(&b[24..24 + header_len(b)]).unwrap()
    };
    let (a, b) = (header(sealed()), header(&again));
    assert_ne!(
        a["sealing"]["key"]["kdf"]["salt"],
        b["sealing"]["key"]["kdf"]["salt"]
    );
    assert_ne!(a["sealing"]["nonce"], b["sealing"]["nonce"]);
    assert_ne!(
        a["sealing"]["key"]["wrapped"],
        b["sealing"]["key"]["wrapped"]
    );
    assert_eq!(open(&again, Some(PASSPHRASE)).unwrap(), sample());
}

#[test]
fn a_kept_file_key_rewrites_the_file_with_a_fresh_nonce_and_the_same_salt() {
    let key = block_on(FileKey::create(&MemoCrypto, PASSPHRASE, DEFAULT_ITERATIONS)).unwrap();
    let mut changed = sample();
    changed.summary.profiles[0].name = "Renamed".into();
    let first = block_on(encode_sealed_with(&sample(), &MemoCrypto, &key)).unwrap();
    let second = block_on(encode_sealed_with(&changed, &MemoCrypto, &key)).unwrap();
    let header = |b: &[u8]| -> serde_json::Value {
        serde_json::from_slice(&b[24..24 + header_len(b)]).unwrap()
    };
    let (a, b) = (header(&first), header(&second));
    assert_eq!(
        a["sealing"]["key"], b["sealing"]["key"],
        "one wrapped key per file"
    );
    assert_ne!(a["sealing"]["nonce"], b["sealing"]["nonce"]);
    assert_eq!(open(&first, Some(PASSPHRASE)).unwrap(), sample());
    assert_eq!(open(&second, Some(PASSPHRASE)).unwrap(), changed);
    assert_eq!(
        open(&second, Some("wrong")),
        Err(BackupError::WrongPassphrase)
    );
}

#[test]
fn a_wrong_passphrase_is_refused() {
    assert_eq!(
        open(sealed(), Some("correct horse battery stapler")),
        Err(BackupError::WrongPassphrase)
    );
}

#[test]
fn a_sealed_file_asks_for_its_passphrase() {
    assert_eq!(decode_plain(sealed()), Err(BackupError::PassphraseNeeded));
    assert_eq!(open(sealed(), None), Err(BackupError::PassphraseNeeded));
}

#[test]
fn a_sealed_header_changed_with_a_new_checksum_is_tampered() {
    // The schema version is authenticated with the body: 4 → 3 is caught.
    let forged = edit_header(sealed(), "\"schema_version\":4", "\"schema_version\":3");
    assert_eq!(open(&forged, Some(PASSPHRASE)), Err(BackupError::Tampered));
}

#[test]
fn a_sealed_body_changed_with_a_new_checksum_is_tampered() {
    let mut forged = sealed().to_vec();
    let i = forged.len() - 40;
    forged[i] ^= 0x20;
    let forged = with_new_checksum(forged);
    assert_eq!(open(&forged, Some(PASSPHRASE)), Err(BackupError::Tampered));
}

#[test]
fn a_plain_header_whose_summary_disagrees_with_the_contents_is_refused() {
    let forged = edit_header(plain(), "\"transactions\":2", "\"transactions\":9");
    assert!(
        matches!(decode_plain(&forged), Err(BackupError::Malformed(m)) if m.contains("summary"))
    );
}

#[test]
fn a_newer_format_asks_for_an_update_and_a_damaged_version_reads_as_damage() {
    let mut newer = plain().to_vec();
    newer[10] = 2;
    let newer = with_new_checksum(newer);
    assert_eq!(
        decode_plain(&newer),
        Err(BackupError::NewerFormat {
            found: 2,
            supported: 1
        })
    );
    let mut flipped = plain().to_vec();
    flipped[10] = 2;
    assert_eq!(decode_plain(&flipped), Err(BackupError::Damaged));
    let mut zero = plain().to_vec();
    zero[10] = 0;
    assert!(matches!(
        decode_plain(&with_new_checksum(zero)),
        Err(BackupError::Malformed(_))
    ));
}

#[test]
fn a_newer_schema_is_refused_and_an_older_one_accepted() {
    let backup = decode_plain(plain()).unwrap();
    assert_eq!(
        backup.check_schema(3),
        Err(BackupError::NewerSchema {
            found: 4,
            supported: 3
        })
    );
    assert_eq!(backup.check_schema(4), Ok(()));
    assert_eq!(inspect(plain()).unwrap().check_schema(5), Ok(()));
}

#[test]
fn foreign_files_are_not_backups() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0";
    let json = br#"{"profiles": []}"#;
    for foreign in [&png[..], &zip[..], &json[..], b"Folio"] {
        assert_eq!(decode_plain(foreign), Err(BackupError::NotABackup));
    }
}

#[test]
fn an_empty_or_cut_file_is_truncated_and_extra_bytes_are_refused() {
    assert_eq!(decode_plain(b""), Err(BackupError::Truncated));
    assert_eq!(decode_plain(&plain()[..5]), Err(BackupError::Truncated));
    assert_eq!(
        decode_plain(&plain()[..plain().len() - 1]),
        Err(BackupError::Truncated)
    );
    let mut longer = plain().to_vec();
    longer.extend_from_slice(b"\n\n");
    assert_eq!(
        decode_plain(&longer),
        Err(BackupError::Malformed(
            "it has 2 unexpected bytes after its end".into()
        ))
    );
}

#[test]
fn a_body_longer_than_its_header_says_is_refused() {
    let content_len =
        serde_json::from_slice::<serde_json::Value>(&plain()[24..24 + header_len(plain())])
            .unwrap()["content_len"]
            .as_u64()
            .unwrap();
    // One digit changed keeps the length: the contents are now longer or shorter than said.
    let said = format!("\"content_len\":{content_len}");
    let forged = edit_header(plain(), &said, &other_last_digit(&said));
    assert!(
        matches!(decode_plain(&forged), Err(BackupError::Malformed(m)) if m.contains("bytes long"))
    );
}

/// The same text with its last digit replaced by another (9 → 8, others + 1).
fn other_last_digit(text: &str) -> String {
    let mut s = text.to_string();
    let d = s.pop().and_then(|c| c.to_digit(10)).unwrap();
    s.push(char::from_digit(if d == 9 { 8 } else { d + 1 }, 10).unwrap());
    s
}

#[test]
fn a_header_claiming_more_than_a_gibibyte_of_contents_is_refused_before_inflating() {
    let content_len =
        serde_json::from_slice::<serde_json::Value>(&plain()[24..24 + header_len(plain())])
            .unwrap()["content_len"]
            .as_u64()
            .unwrap();
    let said = format!("\"content_len\":{content_len}");
    let forged = edit_header(plain(), &said, "\"content_len\":1073741825");
    assert!(
        matches!(decode_plain(&forged), Err(BackupError::Malformed(m)) if m.contains("more than Folio can hold"))
    );
}

#[test]
fn weak_or_absurd_key_derivation_is_refused() {
    let weak = block_on(encode_sealed(&sample(), &MemoCrypto, PASSPHRASE, 100_000));
    assert_eq!(
        weak,
        Err(BackupError::Crypto(CryptoError::Iterations(100_000)))
    );
    // 4,000,000,000 rounds would take hours: refused when the header is read, before any
    // passphrase is asked.
    let absurd = edit_header(
        sealed(),
        "\"iterations\":600000",
        "\"iterations\":4000000000",
    );
    assert!(matches!(inspect(&absurd), Err(BackupError::Malformed(m)) if m.contains("4000000000")));
    let empty = block_on(encode_sealed(
        &sample(),
        &MemoCrypto,
        "",
        DEFAULT_ITERATIONS,
    ));
    assert_eq!(
        empty,
        Err(BackupError::Crypto(CryptoError::EmptyPassphrase))
    );
}

#[test]
fn a_one_profile_backup_must_list_exactly_one_profile() {
    let mut two = sample();
    two.summary.profiles.push(two.summary.profiles[0].clone());
    assert_eq!(
        encode(&two),
        Err(BackupError::Unwritable(
            "a one-profile backup lists 2 profiles".into()
        ))
    );
    two.summary.scope = Scope::Database;
    assert_eq!(decode_plain(&encode(&two).unwrap()).unwrap(), two);
}

#[test]
fn every_message_is_one_sentence() {
    let errors = [
        BackupError::NotABackup,
        BackupError::Truncated,
        BackupError::Damaged,
        BackupError::Malformed("its header cannot be read".into()),
        BackupError::NewerFormat {
            found: 2,
            supported: 1,
        },
        BackupError::NewerSchema {
            found: 9,
            supported: 4,
        },
        BackupError::PassphraseNeeded,
        BackupError::WrongPassphrase,
        BackupError::Tampered,
        BackupError::Unwritable("x".into()),
        BackupError::Crypto(CryptoError::Rejected),
    ];
    for e in errors {
        let m = e.to_string();
        assert!(m.ends_with('.'), "{m}");
        assert_eq!(m.matches(". ").count(), 0, "one sentence: {m}");
        assert!(m.chars().next().is_some_and(char::is_uppercase), "{m}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(serde_json::Value::from),
            ".*".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn backup() -> impl Strategy<Value = Backup> {
        (
            prop::collection::btree_map(
                "[a-z_]{1,12}",
                prop::collection::vec(json_value(), 0..5),
                0..5,
            ),
            prop::collection::vec(("[a-z0-9]{1,8}", ".*", any::<u64>(), any::<u64>()), 0..4),
            ".*",
            any::<u32>(),
            any::<i64>(),
        )
            .prop_map(
                |(stores, profiles, app_version, schema_version, ms)| Backup {
                    app_version,
                    schema_version,
                    written: Timestamp::from_millis(ms),
                    summary: Summary {
                        scope: Scope::Database,
                        profiles: profiles
                            .into_iter()
                            .map(|(id, name, accounts, transactions)| ProfileSummary {
                                id,
                                name,
                                accounts,
                                transactions,
                                imports: 1,
                                plans: 2,
                            })
                            .collect(),
                    },
                    stores,
                },
            )
    }

    /// Which error a single changed byte at `i` must give.
    fn expected_for_flip(i: usize, got: &BackupError) -> bool {
        match i {
            0..=9 => *got == BackupError::NotABackup,
            10..=11 => *got == BackupError::Damaged,
            12..=23 => matches!(got, BackupError::Truncated | BackupError::Malformed(_)),
            _ => *got == BackupError::Damaged,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_backup_round_trips_exactly(b in backup()) {
            let bytes = encode(&b).unwrap();
            prop_assert_eq!(decode_plain(&bytes).unwrap(), b);
        }

        #[test]
        fn any_changed_byte_of_a_plain_file_is_refused(i in any::<prop::sample::Index>(), x in 1u8..) {
            let mut bytes = plain().to_vec();
            let i = i.index(bytes.len());
            bytes[i] ^= x;
            let got = open(&bytes, None).unwrap_err();
            prop_assert!(expected_for_flip(i, &got), "byte {} gave {:?}", i, got);
        }

        #[test]
        fn any_changed_byte_of_a_sealed_file_is_refused(i in any::<prop::sample::Index>(), x in 1u8..) {
            let mut bytes = sealed().to_vec();
            let i = i.index(bytes.len());
            bytes[i] ^= x;
            let got = open(&bytes, Some(PASSPHRASE)).unwrap_err();
            prop_assert!(expected_for_flip(i, &got), "byte {} gave {:?}", i, got);
        }

        #[test]
        fn several_changed_bytes_are_refused(
            flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..), 1..16),
            which in any::<bool>(),
        ) {
            let mut bytes = if which { sealed() } else { plain() }.to_vec();
            let len = bytes.len();
            for (i, x) in flips {
                bytes[i.index(len)] ^= x;
            }
            prop_assert!(open(&bytes, Some(PASSPHRASE)).is_err());
        }

        #[test]
        fn every_truncation_is_refused_as_truncated(cut in any::<prop::sample::Index>(), which in any::<bool>()) {
            let bytes = if which { sealed() } else { plain() };
            let cut = cut.index(bytes.len());
            prop_assert_eq!(open(&bytes[..cut], Some(PASSPHRASE)), Err(BackupError::Truncated));
        }

        #[test]
        fn random_bytes_never_open_and_never_panic(tail in prop::collection::vec(any::<u8>(), 0..400), magic in any::<bool>()) {
            let mut bytes = if magic { frame::MAGIC.to_vec() } else { Vec::new() };
            bytes.extend_from_slice(&tail);
            prop_assert!(open(&bytes, Some(PASSPHRASE)).is_err());
            prop_assert!(inspect(&bytes).is_err());
        }
    }
}

//! The vectors `tests/browser_crypto.rs` checks WebCrypto against, recorded from
//! `NativeCrypto` in `tests/fixtures/crypto_vectors.json`: here each one is recomputed from its
//! inputs (or, for the files, opened), and the file is anchored to independent references
//! (the GCM specification, Python's `hashlib` and `cryptography`).
//!
//! `FOLIO_RECORD_VECTORS=1 cargo test --test crypto_vectors` writes the file afresh.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/crypto_vectors.rs"]
mod vectors;

use std::collections::BTreeMap;

use folio::domain::backup::{self, Backup, ProfileSummary, Scope, Summary};
use folio::domain::calendar::Timestamp;
use folio::domain::crypto::{Crypto, NativeCrypto, DEFAULT_ITERATIONS};
use folio::domain::vault::{self, ProfileLock, SealedRecord};
use futures::executor::block_on;
use serde_json::json;
use vectors::*;

fn derive(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
    nonce: [u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> Derive {
    let k = block_on(NativeCrypto.derive_key(passphrase, salt, iterations)).unwrap();
    let sealed = block_on(NativeCrypto.seal(&k, &nonce, aad, plaintext)).unwrap();
    Derive {
        passphrase: passphrase.into(),
        salt: hex(salt),
        iterations,
        nonce: hex(&nonce),
        aad: hex(aad),
        plaintext: hex(plaintext),
        sealed: hex(&sealed),
    }
}

fn seal(raw: [u8; 32], nonce: [u8; 12], aad: &[u8], plaintext: &[u8]) -> Seal {
    let k = block_on(NativeCrypto.import_key(&raw, false)).unwrap();
    let sealed = block_on(NativeCrypto.seal(&k, &nonce, aad, plaintext)).unwrap();
    Seal {
        key: hex(&raw),
        nonce: hex(&nonce),
        aad: hex(aad),
        plaintext: hex(plaintext),
        sealed: hex(&sealed),
    }
}

#[allow(clippy::too_many_arguments)]
fn wrap(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
    nonce: [u8; 12],
    aad: &[u8],
    raw: [u8; 32],
    probe_nonce: [u8; 12],
    probe: &[u8],
) -> Wrap {
    let kek = block_on(NativeCrypto.derive_key(passphrase, salt, iterations)).unwrap();
    let data = block_on(NativeCrypto.import_key(&raw, true)).unwrap();
    let wrapped = block_on(NativeCrypto.wrap_key(&kek, &nonce, aad, &data)).unwrap();
    let probe_sealed = block_on(NativeCrypto.seal(&data, &probe_nonce, b"", probe)).unwrap();
    Wrap {
        passphrase: passphrase.into(),
        salt: hex(salt),
        iterations,
        nonce: hex(&nonce),
        aad: hex(aad),
        key: hex(&raw),
        wrapped: hex(&wrapped),
        probe_nonce: hex(&probe_nonce),
        probe: hex(probe),
        probe_sealed: hex(&probe_sealed),
    }
}

/// The deterministic vectors, recomputed from the inputs recorded.
fn recompute(v: &Vectors) -> (Vec<Derive>, Vec<Seal>, Vec<Wrap>) {
    let derives = v
        .derive
        .iter()
        .map(|d| {
            derive(
                &d.passphrase,
                &unhex(&d.salt),
                d.iterations,
                nonce(&d.nonce),
                &unhex(&d.aad),
                &unhex(&d.plaintext),
            )
        })
        .collect();
    let seals = v
        .seal
        .iter()
        .map(|s| {
            seal(
                key(&s.key),
                nonce(&s.nonce),
                &unhex(&s.aad),
                &unhex(&s.plaintext),
            )
        })
        .collect();
    let wraps = v
        .wrap
        .iter()
        .map(|w| {
            wrap(
                &w.passphrase,
                &unhex(&w.salt),
                w.iterations,
                nonce(&w.nonce),
                &unhex(&w.aad),
                key(&w.key),
                nonce(&w.probe_nonce),
                &unhex(&w.probe),
            )
        })
        .collect();
    (derives, seals, wraps)
}

fn contents() -> Backup {
    let mut stores = BTreeMap::new();
    stores.insert(
        "profiles".to_string(),
        vec![json!({"id": "p1", "name": "Vectors", "created_ms": 1.0})],
    );
    stores.insert(
        "transactions".to_string(),
        vec![json!({"id": "t1", "profile_id": "p1", "asset": "BTC", "quantity": 0.25, "note": "€ ☕"})],
    );
    Backup {
        app_version: "0.1.0".into(),
        schema_version: 4,
        written: Timestamp::from_millis(1_767_225_600_000),
        summary: Summary {
            scope: Scope::Profile,
            profiles: vec![ProfileSummary {
                id: "p1".into(),
                name: "Vectors".into(),
                accounts: 0,
                transactions: 1,
                imports: 0,
                plans: 0,
            }],
        },
        stores,
    }
}

fn record() -> Vectors {
    let pattern: Vec<u8> = (0..1000u32).map(|i| (i * 31 % 256) as u8).collect();
    let mut derives = vec![
        derive(
            "correct horse battery staple",
            &(0..16).collect::<Vec<u8>>(),
            DEFAULT_ITERATIONS,
            [7; 12],
            b"aad",
            b"folio",
        ),
        derive("pässwörd 🔐", b"NaCl-salt-16byte", 1000, [0; 12], b"", b""),
    ];
    // Longer than a SHA-256 block: HMAC hashes it first.
    derives.push(derive(
        &"long passphrase ".repeat(12),
        &[0xaa; 16],
        1,
        [1; 12],
        b"",
        &pattern,
    ));
    let tc16_key = key("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    let seals = vec![
        seal(tc16_key, nonce("cafebabefacedbaddecaf888"), &unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), &unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")),
        seal([0x42; 32], [0xff; 12], b"only associated data", b""),
        seal([0; 32], [0; 12], b"", &pattern),
    ];
    let data_key: [u8; 32] = std::array::from_fn(|i| i as u8);
    let wraps = vec![wrap(
        "wrap me",
        &[0xaa; 16],
        1000,
        [1; 12],
        b"folio/profile-key/v1\0p1",
        data_key,
        [2; 12],
        b"probe",
    )];
    let passphrase = "vector passphrase";
    let file = block_on(backup::encode_sealed(
        &contents(),
        &NativeCrypto,
        passphrase,
        DEFAULT_ITERATIONS,
    ))
    .unwrap();
    let (lock, data) = block_on(ProfileLock::create(
        &NativeCrypto,
        "p1",
        passphrase,
        DEFAULT_ITERATIONS,
    ))
    .unwrap();
    let value = json!({"id": "t1", "asset": "ETH", "quantity": 3.5});
    let sealed = block_on(vault::seal_record(
        &NativeCrypto,
        &data,
        "transactions",
        "t1",
        &value,
    ))
    .unwrap();
    Vectors {
        note: "Recorded from NativeCrypto by `FOLIO_RECORD_VECTORS=1 cargo test --test crypto_vectors`; checked against WebCrypto by tests/browser_crypto.rs.".into(),
        derive: derives,
        seal: seals,
        wrap: wraps,
        backup: BackupVector { passphrase: passphrase.into(), file: b64(&file), contents: contents() },
        vault: VaultVector {
            passphrase: passphrase.into(),
            lock,
            store: "transactions".into(),
            key: "t1".into(),
            record: b64(sealed.as_bytes()),
            value,
        },
    }
}

#[test]
fn the_recorded_vectors_are_what_native_crypto_computes() {
    if std::env::var_os("FOLIO_RECORD_VECTORS").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/crypto_vectors.json");
        let text = serde_json::to_string_pretty(&record()).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
        eprintln!("RECORDED: {}", path.display());
        return;
    }
    let v = recorded();
    let (derives, seals, wraps) = recompute(&v);
    assert_eq!(derives, v.derive);
    assert_eq!(seals, v.seal);
    assert_eq!(wraps, v.wrap);
    assert!(v.derive.iter().any(|d| d.iterations == DEFAULT_ITERATIONS));
}

#[test]
fn the_recorded_vectors_agree_with_independent_references() {
    let v = recorded();
    // Python: AESGCM(hashlib.pbkdf2_hmac("sha256", b"correct horse battery staple",
    // bytes(range(16)), 600000, 32)).encrypt(bytes([7]*12), b"folio", b"aad")
    assert_eq!(
        v.derive[0].sealed,
        "09b3ff96d6fa1dbe58d033a37541d899899c0103ed"
    );
    // Python: the same with "pässwörd 🔐", b"NaCl-salt-16byte", 1000 rounds, nonce 0, no data.
    assert_eq!(v.derive[1].sealed, "330118a25cf399574f148757fe4adf03");
    // The GCM specification's test case 16: its tag ends the sealed bytes.
    assert!(v.seal[0]
        .sealed
        .starts_with("522dc1f099567d07f47f37a32a84427d"));
    assert!(v.seal[0]
        .sealed
        .ends_with("76fc6ece0f4e1768cddf8853bb2d551b"));
}

#[test]
fn the_recorded_backup_and_record_open_natively() {
    let v = recorded();
    let file = unb64(&v.backup.file);
    let opened = block_on(backup::decode(
        &file,
        &NativeCrypto,
        Some(&v.backup.passphrase),
    ))
    .unwrap();
    assert_eq!(opened, v.backup.contents);
    let data = block_on(v.vault.lock.unlock(&NativeCrypto, &v.vault.passphrase)).unwrap();
    let record = SealedRecord::from_bytes(unb64(&v.vault.record)).unwrap();
    let value: serde_json::Value = block_on(vault::open_record(
        &NativeCrypto,
        &data,
        &v.vault.store,
        &v.vault.key,
        &record,
    ))
    .unwrap();
    assert_eq!(value, v.vault.value);
}

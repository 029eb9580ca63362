use std::sync::OnceLock;

use futures::executor::block_on;
use serde_json::{json, Value};

use super::*;
use crate::domain::crypto::memo::MemoCrypto;
use crate::domain::crypto::{NativeKey, DEFAULT_ITERATIONS};

const PASSPHRASE: &str = "blue meadow 42";

/// One locked profile shared by the tests (each PBKDF2 run takes seconds unoptimised).
fn locked() -> &'static (ProfileLock, NativeKey) {
    static LOCKED: OnceLock<(ProfileLock, NativeKey)> = OnceLock::new();
    LOCKED.get_or_init(|| {
        block_on(ProfileLock::create(
            &MemoCrypto,
            "p1",
            PASSPHRASE,
            DEFAULT_ITERATIONS,
        ))
        .unwrap()
    })
}

fn holding() -> Value {
    json!({"id": "t1", "profile_id": "p1", "asset": "BTC", "quantity": 0.5, "api_key": "td-secret"})
}

fn seal(key: &NativeKey, store: &str, id: &str, value: &Value) -> SealedRecord {
    block_on(seal_record(&MemoCrypto, key, store, id, value)).unwrap()
}

fn open(
    key: &NativeKey,
    store: &str,
    id: &str,
    record: &SealedRecord,
) -> Result<Value, VaultError> {
    block_on(open_record(&MemoCrypto, key, store, id, record))
}

#[test]
fn a_sealed_record_opens_where_it_was_sealed_and_hides_its_contents() {
    let (_, key) = locked();
    let record = seal(key, "transactions", "t1", &holding());
    assert_eq!(open(key, "transactions", "t1", &record).unwrap(), holding());
    let text = String::from_utf8_lossy(record.as_bytes());
    for secret in ["BTC", "0.5", "td-secret", "quantity"] {
        assert!(!text.contains(secret), "{secret} readable");
    }
    // format (1) + nonce (12) + ciphertext (as long as the JSON) + tag (16)
    let json_len = serde_json::to_vec(&holding()).unwrap().len();
    assert_eq!(record.as_bytes().len(), 1 + 12 + json_len + 16);
    assert_eq!(record.as_bytes()[0], 1);
}

#[test]
fn the_same_value_sealed_twice_gets_two_nonces() {
    let (_, key) = locked();
    let a = seal(key, "transactions", "t1", &holding());
    let b = seal(key, "transactions", "t1", &holding());
    assert_ne!(a.as_bytes()[1..13], b.as_bytes()[1..13]);
    assert_eq!(open(key, "transactions", "t1", &b).unwrap(), holding());
}

#[test]
fn a_record_moved_to_another_key_or_store_is_rejected() {
    let (_, key) = locked();
    let record = seal(key, "transactions", "t1", &holding());
    assert_eq!(
        open(key, "transactions", "t2", &record),
        Err(VaultError::RecordRejected {
            store: "transactions".into(),
            key: "t2".into()
        })
    );
    assert!(matches!(
        open(key, "settings", "t1", &record),
        Err(VaultError::RecordRejected { .. })
    ));
    // Length prefixes: ("ab", "c") and ("a", "bc") are different places.
    let ab = seal(key, "ab", "c", &holding());
    assert!(open(key, "a", "bc", &ab).is_err());
}

#[test]
fn a_record_sealed_by_another_profile_is_rejected() {
    let (_, key) = locked();
    let other = block_on(MemoCrypto.import_key(&[7; 32], false)).unwrap();
    let theirs = seal(&other, "transactions", "t1", &holding());
    assert!(matches!(
        open(key, "transactions", "t1", &theirs),
        Err(VaultError::RecordRejected { .. })
    ));
}

#[test]
fn any_changed_byte_of_a_record_is_refused() {
    let (_, key) = locked();
    let record = seal(key, "transactions", "t1", &holding());
    for i in 0..record.as_bytes().len() {
        let mut bytes = record.as_bytes().to_vec();
        bytes[i] ^= 0x80;
        let got = SealedRecord::from_bytes(bytes).and_then(|r| open(key, "transactions", "t1", &r));
        match i {
            0 => assert_eq!(got, Err(VaultError::NewerFormat(0x81))),
            _ => assert!(
                matches!(got, Err(VaultError::RecordRejected { .. })),
                "byte {i}"
            ),
        }
    }
}

#[test]
fn short_or_unknown_records_are_refused_when_read() {
    assert!(matches!(
        SealedRecord::from_bytes(vec![1; 28]),
        Err(VaultError::Damaged(m)) if m.contains("28 bytes")
    ));
    assert!(matches!(
        SealedRecord::from_bytes(vec![0; 40]),
        Err(VaultError::Damaged(_))
    ));
    assert_eq!(
        SealedRecord::from_bytes(vec![2; 40]),
        Err(VaultError::NewerFormat(2))
    );
}

#[test]
fn a_record_is_stored_as_bytes_and_read_back() {
    let (_, key) = locked();
    let record = seal(key, "plans", "x", &json!([1, 2]));
    let json = serde_json::to_string(&record).unwrap();
    assert!(json.starts_with("[1,"), "a byte array: {json}");
    let back: SealedRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, record);
    assert!(serde_json::from_str::<SealedRecord>("[1,2,3]").is_err());
}

#[test]
fn a_wrong_passphrase_is_refused_and_changes_nothing() {
    let (lock, key) = locked();
    let before = lock.clone();
    let wrong = block_on(lock.unlock(&MemoCrypto, "blue meadow 43"));
    assert_eq!(wrong.map(|_| ()), Err(VaultError::WrongPassphrase));
    let wrong_change =
        block_on(lock.change_passphrase(&MemoCrypto, "nope", "new", DEFAULT_ITERATIONS));
    assert_eq!(wrong_change, Err(VaultError::WrongPassphrase));
    assert_eq!(*lock, before);
    let record = seal(key, "transactions", "t1", &holding());
    let again = block_on(lock.unlock(&MemoCrypto, PASSPHRASE)).unwrap();
    assert_eq!(
        open(&again, "transactions", "t1", &record).unwrap(),
        holding()
    );
}

#[test]
fn a_lock_moved_to_another_profile_does_not_open() {
    let (lock, _) = locked();
    let moved = ProfileLock {
        profile_id: "p2".into(),
        key: lock.key.clone(),
    };
    let got = block_on(moved.unlock(&MemoCrypto, PASSPHRASE));
    assert_eq!(got.map(|_| ()), Err(VaultError::WrongPassphrase));
}

#[test]
fn changing_the_passphrase_rewraps_the_key_and_keeps_every_record_readable() {
    let (lock, key) = locked();
    let records: Vec<SealedRecord> = (0..3)
        .map(|i| seal(key, "transactions", &format!("t{i}"), &json!({"n": i})))
        .collect();
    let changed = block_on(lock.change_passphrase(
        &MemoCrypto,
        PASSPHRASE,
        "new passphrase",
        DEFAULT_ITERATIONS,
    ))
    .unwrap();
    assert_eq!(changed.profile_id, "p1");
    assert_ne!(changed.key.wrapped, lock.key.wrapped);
    let new_key = block_on(changed.unlock(&MemoCrypto, "new passphrase")).unwrap();
    for (i, record) in records.iter().enumerate() {
        let id = format!("t{i}");
        assert_eq!(
            open(&new_key, "transactions", &id, record).unwrap(),
            json!({"n": i})
        );
    }
    let old = block_on(changed.unlock(&MemoCrypto, PASSPHRASE));
    assert_eq!(old.map(|_| ()), Err(VaultError::WrongPassphrase));
    let empty = block_on(lock.change_passphrase(&MemoCrypto, PASSPHRASE, "", DEFAULT_ITERATIONS));
    assert_eq!(empty, Err(VaultError::Crypto(CryptoError::EmptyPassphrase)));
}

//! Shared by `tests/crypto_vectors.rs` (native) and `tests/browser_crypto.rs` (WebCrypto):
//! the vectors recorded from `NativeCrypto` in `tests/fixtures/crypto_vectors.json`.
#![allow(dead_code)] // each test file uses its part

use folio::domain::backup::Backup;
use folio::domain::vault::ProfileLock;
use serde::{Deserialize, Serialize};

/// Every vector. Byte strings are lower-case hex, files and records base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vectors {
    /// How the file was made.
    pub note: String,
    /// A key derived from a passphrase, then one message sealed with it.
    pub derive: Vec<Derive>,
    /// A message sealed with a raw key.
    pub seal: Vec<Seal>,
    /// A raw data key wrapped by a derived key, then a message sealed with the data key.
    pub wrap: Vec<Wrap>,
    /// A sealed `.folio` file and what it holds.
    pub backup: BackupVector,
    /// A profile lock and one record sealed with its data key.
    pub vault: VaultVector,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derive {
    pub passphrase: String,
    pub salt: String,
    pub iterations: u32,
    pub nonce: String,
    pub aad: String,
    pub plaintext: String,
    pub sealed: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seal {
    pub key: String,
    pub nonce: String,
    pub aad: String,
    pub plaintext: String,
    pub sealed: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wrap {
    pub passphrase: String,
    pub salt: String,
    pub iterations: u32,
    pub nonce: String,
    pub aad: String,
    pub key: String,
    pub wrapped: String,
    pub probe_nonce: String,
    pub probe: String,
    pub probe_sealed: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupVector {
    pub passphrase: String,
    pub file: String,
    pub contents: Backup,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaultVector {
    pub passphrase: String,
    pub lock: ProfileLock,
    pub store: String,
    pub key: String,
    pub record: String,
    pub value: serde_json::Value,
}

/// The recorded vectors.
pub fn recorded() -> Vectors {
    serde_json::from_str(include_str!("../fixtures/crypto_vectors.json"))
        .expect("tests/fixtures/crypto_vectors.json is valid")
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn nonce(text: &str) -> [u8; 12] {
    unhex(text).try_into().expect("a 12-byte nonce")
}

pub fn key(text: &str) -> [u8; 32] {
    unhex(text).try_into().expect("a 32-byte key")
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

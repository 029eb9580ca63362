//! Encryption at rest for one profile: its records sealed with the profile's data key, the
//! data key kept wrapped by its passphrase. `docs/encryption.md` gives the threat model.
//!
//! - [`ProfileLock`]: the data key (32 random bytes) wrapped by a key PBKDF2-HMAC-SHA-256
//!   derives from the passphrase, bound to the profile's id. A wrong passphrase fails to
//!   unwrap it ([`VaultError::WrongPassphrase`]) and changes nothing; changing the
//!   passphrase re-wraps the same data key, so no record is rewritten.
//! - [`SealedRecord`]: one record as AES-256-GCM ciphertext with a fresh nonce, its store
//!   and key authenticated with it, so it cannot be moved to another place or swapped for
//!   another record. Bytes: format (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
//!
//! What stays readable is what the store needs to find records: the record's key and its
//! index fields (profile id), which stores hold how many records, and their sizes.

#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::crypto::{
    fresh_nonce, Crypto, CryptoError, Nonce, WrappedKey, NONCE_LEN, TAG_LEN,
};

/// The record format this code writes and reads.
pub const RECORD_FORMAT: u8 = 1;
/// Associated data of a profile's wrapped key, before the profile id.
const KEY_CONTEXT: &[u8] = b"folio/profile-key/v1\0";
/// Associated data of a record, before its store and key.
const RECORD_CONTEXT: &[u8] = b"folio/record/v1\0";

/// Why a profile could not be locked, unlocked, or a record sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The passphrase does not unwrap the profile's key.
    #[error("The passphrase is wrong; the profile stays locked.")]
    WrongPassphrase,
    /// A record failed authentication where it is stored.
    #[error("The record “{key}” in {store} could not be decrypted: it was changed, or moved from elsewhere.")]
    RecordRejected {
        /// The store it was read from.
        store: String,
        /// Its key there.
        key: String,
    },
    /// A record in a format this code does not know.
    #[error("The record was written by a newer version of Folio (record format {0}); update Folio to read it.")]
    NewerFormat(u8),
    /// A record too short to be sealed, or of a format that never existed.
    #[error("The encrypted record is damaged: {0}.")]
    Damaged(String),
    /// A record's value could not be converted to or from JSON.
    #[error("The record could not be converted: {0}.")]
    Encoding(String),
    /// The platform's cryptography failed, or a new passphrase was refused.
    #[error(transparent)]
    Crypto(CryptoError),
}

/// A profile's data key wrapped by its passphrase: stored with the profile, readable
/// without the passphrase, useless without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileLock {
    /// The profile it belongs to (authenticated with the wrapped key).
    pub profile_id: String,
    /// The data key, wrapped.
    pub key: WrappedKey,
}

impl ProfileLock {
    /// Locks a profile: a new random data key wrapped under `passphrase` (PBKDF2 with
    /// `iterations` rounds, at least 600,000). Returns the lock to store and the data key to
    /// seal the profile's records with.
    pub async fn create<C: Crypto>(
        crypto: &C,
        profile_id: &str,
        passphrase: &str,
        iterations: u32,
    ) -> Result<(ProfileLock, C::Key), VaultError> {
        let (key, data_key) =
            WrappedKey::create(crypto, passphrase, iterations, &key_context(profile_id))
                .await
                .map_err(VaultError::Crypto)?;
        let lock = ProfileLock {
            profile_id: profile_id.to_string(),
            key,
        };
        Ok((lock, data_key))
    }

    /// The data key, if `passphrase` is right.
    pub async fn unlock<C: Crypto>(
        &self,
        crypto: &C,
        passphrase: &str,
    ) -> Result<C::Key, VaultError> {
        self.key
            .unwrap(crypto, passphrase, &key_context(&self.profile_id))
            .await
            .map_err(wrong_passphrase)
    }

    /// The lock to store in place of this one: the same data key wrapped under `new`. Every
    /// sealed record stays readable; `self` is unchanged, so a failure changes nothing.
    pub async fn change_passphrase<C: Crypto>(
        &self,
        crypto: &C,
        old: &str,
        new: &str,
        iterations: u32,
    ) -> Result<ProfileLock, VaultError> {
        let key = self
            .key
            .rewrap(crypto, old, new, iterations, &key_context(&self.profile_id))
            .await
            .map_err(wrong_passphrase)?;
        Ok(ProfileLock {
            profile_id: self.profile_id.clone(),
            key,
        })
    }
}

fn wrong_passphrase(e: CryptoError) -> VaultError {
    match e {
        CryptoError::Rejected => VaultError::WrongPassphrase,
        other => VaultError::Crypto(other),
    }
}

fn key_context(profile_id: &str) -> Vec<u8> {
    [KEY_CONTEXT, profile_id.as_bytes()].concat()
}

/// The associated data of the record at `key` in `store`: each part length-prefixed, so no
/// two places give the same bytes.
fn record_context(store: &str, key: &str) -> Vec<u8> {
    let mut aad = RECORD_CONTEXT.to_vec();
    for part in [store, key] {
        aad.extend_from_slice(&(part.len() as u64).to_le_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

/// One record sealed at rest: format ‖ nonce ‖ ciphertext ‖ tag. Serialised as bytes (a
/// `Uint8Array` through serde-wasm-bindgen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord(Vec<u8>);

impl SealedRecord {
    /// The stored bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// A record read back from storage, its format and length checked.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SealedRecord, VaultError> {
        if bytes.len() < 1 + NONCE_LEN + TAG_LEN {
            return Err(VaultError::Damaged(format!(
                "it is {} bytes long, too short to hold anything",
                bytes.len()
            )));
        }
        match bytes[0] {
            RECORD_FORMAT => Ok(SealedRecord(bytes)),
            0 => Err(VaultError::Damaged("it declares record format 0".into())),
            newer => Err(VaultError::NewerFormat(newer)),
        }
    }

    fn nonce(&self) -> Nonce {
        let mut nonce = [0; NONCE_LEN];
        nonce.copy_from_slice(&self.0[1..1 + NONCE_LEN]);
        nonce
    }
}

impl Serialize for SealedRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for SealedRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SealedRecord, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the bytes of a sealed record")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        let bytes = d.deserialize_byte_buf(Bytes)?;
        SealedRecord::from_bytes(bytes).map_err(serde::de::Error::custom)
    }
}

/// Seals `plaintext` for the record at `key` in `store`, with a fresh nonce.
pub async fn seal_bytes<C: Crypto>(
    crypto: &C,
    data_key: &C::Key,
    store: &str,
    key: &str,
    plaintext: &[u8],
) -> Result<SealedRecord, VaultError> {
    let nonce = fresh_nonce(crypto).map_err(VaultError::Crypto)?;
    let sealed = crypto
        .seal(data_key, &nonce, &record_context(store, key), plaintext)
        .await
        .map_err(VaultError::Crypto)?;
    Ok(SealedRecord(
        [&[RECORD_FORMAT][..], &nonce, &sealed].concat(),
    ))
}

/// Opens the record read at `key` in `store`; [`VaultError::RecordRejected`] if it was
/// changed, sealed with another key, or sealed for another place.
pub async fn open_bytes<C: Crypto>(
    crypto: &C,
    data_key: &C::Key,
    store: &str,
    key: &str,
    record: &SealedRecord,
) -> Result<Vec<u8>, VaultError> {
    crypto
        .open(
            data_key,
            &record.nonce(),
            &record_context(store, key),
            &record.0[1 + NONCE_LEN..],
        )
        .await
        .map_err(|e| match e {
            CryptoError::Rejected => VaultError::RecordRejected {
                store: store.to_string(),
                key: key.to_string(),
            },
            other => VaultError::Crypto(other),
        })
}

/// Seals a value as JSON for the record at `key` in `store`.
pub async fn seal_record<C: Crypto, T: Serialize>(
    crypto: &C,
    data_key: &C::Key,
    store: &str,
    key: &str,
    value: &T,
) -> Result<SealedRecord, VaultError> {
    let json = serde_json::to_vec(value).map_err(|e| VaultError::Encoding(e.to_string()))?;
    seal_bytes(crypto, data_key, store, key, &json).await
}

/// Opens the record at `key` in `store` and reads its JSON.
pub async fn open_record<C: Crypto, T: DeserializeOwned>(
    crypto: &C,
    data_key: &C::Key,
    store: &str,
    key: &str,
    record: &SealedRecord,
) -> Result<T, VaultError> {
    let json = open_bytes(crypto, data_key, store, key, record).await?;
    serde_json::from_slice(&json).map_err(|e| VaultError::Encoding(e.to_string()))
}

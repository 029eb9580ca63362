//! A data key kept wrapped by a key derived from a passphrase: the passphrase key is never
//! stored, the data key only sealed. A wrong passphrase fails to open the wrapped key
//! ([`CryptoError::Rejected`]), so it is detected before any data is read; changing the
//! passphrase re-wraps the same data key, so the data it sealed stays readable.

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::base64_bytes;
use super::primitives::{
    fresh_nonce, Crypto, CryptoError, Nonce, KEY_LEN, MAX_ITERATIONS, MIN_ITERATIONS, SALT_LEN,
};

/// The one key-derivation function Folio writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KdfAlgorithm {
    /// PBKDF2 with HMAC-SHA-256, 32 bytes of output.
    #[serde(rename = "PBKDF2-HMAC-SHA-256")]
    Pbkdf2HmacSha256,
}

/// How a passphrase becomes a key: the algorithm, its rounds and its random salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassphraseKdf {
    /// Always PBKDF2-HMAC-SHA-256 (named so that a later algorithm is refused, not misread).
    pub algorithm: KdfAlgorithm,
    /// Rounds, between [`MIN_ITERATIONS`] and [`MAX_ITERATIONS`].
    pub iterations: u32,
    /// Random salt, fresh for every key.
    #[serde(with = "base64_bytes")]
    pub salt: [u8; SALT_LEN],
}

impl PassphraseKdf {
    /// New parameters with a fresh random salt.
    pub fn fresh<C: Crypto>(crypto: &C, iterations: u32) -> Result<PassphraseKdf, CryptoError> {
        let mut salt = [0; SALT_LEN];
        crypto.random_bytes(&mut salt)?;
        let kdf = PassphraseKdf {
            algorithm: KdfAlgorithm::Pbkdf2HmacSha256,
            iterations,
            salt,
        };
        kdf.check()?;
        Ok(kdf)
    }

    /// Refuses rounds outside [`MIN_ITERATIONS`]..=[`MAX_ITERATIONS`].
    pub fn check(&self) -> Result<(), CryptoError> {
        if (MIN_ITERATIONS..=MAX_ITERATIONS).contains(&self.iterations) {
            Ok(())
        } else {
            Err(CryptoError::Iterations(self.iterations))
        }
    }

    /// The key this passphrase gives under these parameters.
    pub async fn derive<C: Crypto>(
        &self,
        crypto: &C,
        passphrase: &str,
    ) -> Result<C::Key, CryptoError> {
        self.check()?;
        crypto
            .derive_key(passphrase, &self.salt, self.iterations)
            .await
    }
}

/// A 32-byte data key sealed (AES-256-GCM) by the key a passphrase derives.
///
/// `context` (the associated data of the wrapping) says what the key is for, so a wrapped
/// key cannot be moved to another use or another profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// How the wrapping key is derived from the passphrase.
    pub kdf: PassphraseKdf,
    /// The wrapping's nonce.
    #[serde(with = "base64_bytes")]
    pub nonce: Nonce,
    /// The data key sealed: 32 bytes of ciphertext and 16 of tag.
    #[serde(with = "base64_bytes")]
    pub wrapped: Vec<u8>,
}

impl WrappedKey {
    /// A new random data key wrapped under `passphrase`: the form to store, and the data key
    /// to use (not extractable).
    pub async fn create<C: Crypto>(
        crypto: &C,
        passphrase: &str,
        iterations: u32,
        context: &[u8],
    ) -> Result<(WrappedKey, C::Key), CryptoError> {
        if passphrase.is_empty() {
            return Err(CryptoError::EmptyPassphrase);
        }
        let kdf = PassphraseKdf::fresh(crypto, iterations)?;
        let mut raw = [0; KEY_LEN];
        crypto.random_bytes(&mut raw)?;
        let made = async {
            let exportable = crypto.import_key(&raw, true).await?;
            let key = crypto.import_key(&raw, false).await?;
            let wrapped = WrappedKey::wrap(crypto, kdf, passphrase, context, &exportable).await?;
            Ok((wrapped, key))
        }
        .await;
        raw.zeroize();
        made
    }

    /// The data key, if `passphrase` is the one it was wrapped with
    /// ([`CryptoError::Rejected`] otherwise, or if anything stored was changed).
    pub async fn unwrap<C: Crypto>(
        &self,
        crypto: &C,
        passphrase: &str,
        context: &[u8],
    ) -> Result<C::Key, CryptoError> {
        self.open(crypto, passphrase, context, false).await
    }

    /// The same data key wrapped under `new` (fresh salt and nonce, `iterations` rounds);
    /// `self` is left as it was, so a failure changes nothing.
    pub async fn rewrap<C: Crypto>(
        &self,
        crypto: &C,
        old: &str,
        new: &str,
        iterations: u32,
        context: &[u8],
    ) -> Result<WrappedKey, CryptoError> {
        if new.is_empty() {
            return Err(CryptoError::EmptyPassphrase);
        }
        let key = self.open(crypto, old, context, true).await?;
        let kdf = PassphraseKdf::fresh(crypto, iterations)?;
        WrappedKey::wrap(crypto, kdf, new, context, &key).await
    }

    async fn wrap<C: Crypto>(
        crypto: &C,
        kdf: PassphraseKdf,
        passphrase: &str,
        context: &[u8],
        key: &C::Key,
    ) -> Result<WrappedKey, CryptoError> {
        let wrapping = kdf.derive(crypto, passphrase).await?;
        let nonce = fresh_nonce(crypto)?;
        let wrapped = crypto.wrap_key(&wrapping, &nonce, context, key).await?;
        Ok(WrappedKey {
            kdf,
            nonce,
            wrapped,
        })
    }

    async fn open<C: Crypto>(
        &self,
        crypto: &C,
        passphrase: &str,
        context: &[u8],
        extractable: bool,
    ) -> Result<C::Key, CryptoError> {
        let wrapping = self.kdf.derive(crypto, passphrase).await?;
        crypto
            .unwrap_key(&wrapping, &self.nonce, context, &self.wrapped, extractable)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::crypto::memo::MemoCrypto;
    use crate::domain::crypto::primitives::DEFAULT_ITERATIONS;
    use futures::executor::block_on;

    const CONTEXT: &[u8] = b"folio/test-key/v1";

    /// Seals one message with `key` (fixed nonce) so two keys can be compared.
    fn fingerprint(key: &<MemoCrypto as Crypto>::Key) -> Vec<u8> {
        block_on(MemoCrypto.seal(key, &[0; 12], b"", b"same key?")).unwrap()
    }

    #[test]
    fn the_right_passphrase_unwraps_the_data_key_and_a_wrong_one_is_rejected() {
        let (wrapped, key) = block_on(WrappedKey::create(
            &MemoCrypto,
            "tulip",
            DEFAULT_ITERATIONS,
            CONTEXT,
        ))
        .unwrap();
        assert_eq!(wrapped.wrapped.len(), 48, "32 bytes of key and 16 of tag");
        let again = block_on(wrapped.unwrap(&MemoCrypto, "tulip", CONTEXT)).unwrap();
        assert_eq!(fingerprint(&again), fingerprint(&key));
        let wrong = block_on(wrapped.unwrap(&MemoCrypto, "Tulip", CONTEXT));
        assert_eq!(wrong.map(|_| ()), Err(CryptoError::Rejected));
        let elsewhere = block_on(wrapped.unwrap(&MemoCrypto, "tulip", b"folio/other/v1"));
        assert_eq!(elsewhere.map(|_| ()), Err(CryptoError::Rejected));
    }

    #[test]
    fn rewrapping_keeps_the_data_key_and_retires_the_old_passphrase() {
        let (wrapped, key) = block_on(WrappedKey::create(
            &MemoCrypto,
            "old",
            DEFAULT_ITERATIONS,
            CONTEXT,
        ))
        .unwrap();
        let wrong_old =
            block_on(wrapped.rewrap(&MemoCrypto, "olt", "new", DEFAULT_ITERATIONS, CONTEXT));
        assert_eq!(wrong_old, Err(CryptoError::Rejected));
        let rewrapped =
            block_on(wrapped.rewrap(&MemoCrypto, "old", "new", DEFAULT_ITERATIONS, CONTEXT))
                .unwrap();
        assert_ne!(rewrapped.kdf.salt, wrapped.kdf.salt, "a fresh salt");
        assert_ne!(rewrapped.nonce, wrapped.nonce, "a fresh nonce");
        let by_new = block_on(rewrapped.unwrap(&MemoCrypto, "new", CONTEXT)).unwrap();
        assert_eq!(fingerprint(&by_new), fingerprint(&key));
        let by_old = block_on(rewrapped.unwrap(&MemoCrypto, "old", CONTEXT));
        assert_eq!(by_old.map(|_| ()), Err(CryptoError::Rejected));
    }

    #[test]
    fn rounds_outside_the_accepted_range_are_refused_before_deriving() {
        let few = block_on(WrappedKey::create(&MemoCrypto, "p", 599_999, CONTEXT));
        assert_eq!(few.map(|_| ()), Err(CryptoError::Iterations(599_999)));
        let stored = WrappedKey {
            kdf: PassphraseKdf {
                algorithm: KdfAlgorithm::Pbkdf2HmacSha256,
                iterations: u32::MAX,
                salt: [0; SALT_LEN],
            },
            nonce: [0; 12],
            wrapped: vec![0; 48],
        };
        // Four billion rounds would take hours: refused at once.
        let many = block_on(stored.unwrap(&MemoCrypto, "p", CONTEXT));
        assert_eq!(many.map(|_| ()), Err(CryptoError::Iterations(u32::MAX)));
        let empty = block_on(WrappedKey::create(
            &MemoCrypto,
            "",
            DEFAULT_ITERATIONS,
            CONTEXT,
        ));
        assert_eq!(empty.map(|_| ()), Err(CryptoError::EmptyPassphrase));
    }

    #[test]
    fn a_wrapped_key_is_stored_as_json_with_base64_bytes() {
        let stored = WrappedKey {
            kdf: PassphraseKdf {
                algorithm: KdfAlgorithm::Pbkdf2HmacSha256,
                iterations: 600_000,
                salt: [0xff; SALT_LEN],
            },
            nonce: [0; 12],
            wrapped: vec![1, 2, 3],
        };
        let json = serde_json::to_string(&stored).unwrap();
        assert_eq!(
            json,
            r#"{"kdf":{"algorithm":"PBKDF2-HMAC-SHA-256","iterations":600000,"salt":"/////////////////////w=="},"nonce":"AAAAAAAAAAAAAAAA","wrapped":"AQID"}"#
        );
        assert_eq!(serde_json::from_str::<WrappedKey>(&json).unwrap(), stored);
        let short_salt = json.replace("/////////////////////w==", "AAAA");
        assert!(serde_json::from_str::<WrappedKey>(&short_salt).is_err());
        let argon = json.replace("PBKDF2-HMAC-SHA-256", "Argon2id");
        assert!(serde_json::from_str::<WrappedKey>(&argon).is_err());
    }
}

//! Tests only: [`NativeCrypto`] with each derived key remembered for the test process.
//! PBKDF2 at 600,000 rounds takes seconds unoptimised, and tests open the same key (same
//! passphrase and salt) several times; every result is still the native implementation's.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::native::{NativeCrypto, NativeKey};
use super::primitives::{Crypto, CryptoError, Nonce, KEY_LEN};

type Derivation = (String, Vec<u8>, u32);

static DERIVED: Mutex<BTreeMap<Derivation, NativeKey>> = Mutex::new(BTreeMap::new());

/// [`NativeCrypto`] remembering derived keys.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MemoCrypto;

impl Crypto for MemoCrypto {
    type Key = NativeKey;

    fn random_bytes(&self, out: &mut [u8]) -> Result<(), CryptoError> {
        NativeCrypto.random_bytes(out)
    }

    async fn derive_key(
        &self,
        passphrase: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<NativeKey, CryptoError> {
        let id = (passphrase.to_string(), salt.to_vec(), iterations);
        if let Some(key) = DERIVED.lock().unwrap().get(&id) {
            return Ok(key.clone());
        }
        let key = NativeCrypto
            .derive_key(passphrase, salt, iterations)
            .await?;
        DERIVED.lock().unwrap().insert(id, key.clone());
        Ok(key)
    }

    async fn import_key(
        &self,
        raw: &[u8; KEY_LEN],
        extractable: bool,
    ) -> Result<NativeKey, CryptoError> {
        NativeCrypto.import_key(raw, extractable).await
    }

    async fn seal(
        &self,
        key: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        NativeCrypto.seal(key, nonce, aad, plaintext).await
    }

    async fn open(
        &self,
        key: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        NativeCrypto.open(key, nonce, aad, sealed).await
    }

    async fn wrap_key(
        &self,
        wrapping: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        key: &NativeKey,
    ) -> Result<Vec<u8>, CryptoError> {
        NativeCrypto.wrap_key(wrapping, nonce, aad, key).await
    }

    async fn unwrap_key(
        &self,
        wrapping: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        wrapped: &[u8],
        extractable: bool,
    ) -> Result<NativeKey, CryptoError> {
        NativeCrypto
            .unwrap_key(wrapping, nonce, aad, wrapped, extractable)
            .await
    }
}

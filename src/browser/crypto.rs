//! The domain's [`Crypto`] through the browser's WebCrypto (`crypto.subtle`), in a page or
//! a worker. Keys are `CryptoKey`s: a key derived from a passphrase or unwrapped for use is
//! not extractable, so its bytes never reach the page. It produces the same bytes as
//! `NativeCrypto` (checked by `tests/browser_crypto.rs`).

use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

use crate::domain::crypto::{Crypto, CryptoError, Nonce, KEY_LEN};

const AES_GCM: &str = "AES-GCM";
/// The trait has one kind of key, so every key may seal, open, wrap and unwrap.
const KEY_USAGES: [&str; 4] = ["encrypt", "decrypt", "wrapKey", "unwrapKey"];
/// `getRandomValues` fills at most this many bytes per call.
const RANDOM_CHUNK: usize = 65_536;

/// WebCrypto of the global scope.
#[derive(Debug, Clone)]
pub struct WebCrypto {
    crypto: web_sys::Crypto,
    subtle: SubtleCrypto,
}

/// A WebCrypto AES-GCM key.
#[derive(Debug, Clone)]
pub struct WebKey(CryptoKey);

impl WebCrypto {
    /// The window's or worker's WebCrypto; an error where there is none (`crypto.subtle`
    /// exists only on secure origins: https or localhost).
    pub fn new() -> Result<WebCrypto, CryptoError> {
        let unavailable = |what: &str| CryptoError::Failed(format!("{what} is not available"));
        let crypto: web_sys::Crypto = Reflect::get(&js_sys::global(), &"crypto".into())
            .ok()
            .and_then(|c| c.dyn_into().ok())
            .ok_or_else(|| unavailable("crypto"))?;
        let subtle: SubtleCrypto = Reflect::get(&crypto, &"subtle".into())
            .ok()
            .and_then(|s| s.dyn_into().ok())
            .ok_or_else(|| unavailable("crypto.subtle (it needs https)"))?;
        Ok(WebCrypto { crypto, subtle })
    }
}

/// The browser's error as text: `name: message`.
fn describe(e: &JsValue) -> String {
    let field = |k: &str| Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string());
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        _ => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

fn failed(e: JsValue) -> CryptoError {
    CryptoError::Failed(describe(&e))
}

/// WebCrypto rejects a failed authentication with an `OperationError`.
fn rejected(e: JsValue) -> CryptoError {
    match Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
    {
        Some(name) if name == "OperationError" => CryptoError::Rejected,
        _ => failed(e),
    }
}

async fn settle(
    promise: Result<Promise, JsValue>,
    error: fn(JsValue) -> CryptoError,
) -> Result<JsValue, CryptoError> {
    JsFuture::from(promise.map_err(failed)?)
        .await
        .map_err(error)
}

fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}

/// AES-GCM parameters; the byte arrays are copied into JavaScript.
fn gcm(nonce: &Nonce, aad: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new(AES_GCM, &Uint8Array::from(&nonce[..]));
    params.set_additional_data(&Uint8Array::from(aad));
    params
}

fn bytes(buffer: JsValue) -> Vec<u8> {
    Uint8Array::new(&buffer).to_vec()
}

impl Crypto for WebCrypto {
    type Key = WebKey;

    fn random_bytes(&self, out: &mut [u8]) -> Result<(), CryptoError> {
        for chunk in out.chunks_mut(RANDOM_CHUNK) {
            self.crypto
                .get_random_values_with_u8_array(chunk)
                .map_err(failed)?;
        }
        Ok(())
    }

    async fn derive_key(
        &self,
        passphrase: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<WebKey, CryptoError> {
        let material = settle(
            self.subtle.import_key_with_str(
                "raw",
                &Uint8Array::from(passphrase.as_bytes()),
                "PBKDF2",
                false,
                &usages(&["deriveKey"]),
            ),
            failed,
        )
        .await?;
        let params =
            Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
        let key = settle(
            self.subtle.derive_key_with_object_and_object(
                &params,
                material.unchecked_ref(),
                &AesDerivedKeyParams::new(AES_GCM, 256),
                false,
                &usages(&KEY_USAGES),
            ),
            failed,
        )
        .await?;
        Ok(WebKey(key.unchecked_into()))
    }

    async fn import_key(
        &self,
        raw: &[u8; KEY_LEN],
        extractable: bool,
    ) -> Result<WebKey, CryptoError> {
        let key = settle(
            self.subtle.import_key_with_str(
                "raw",
                &Uint8Array::from(&raw[..]),
                AES_GCM,
                extractable,
                &usages(&KEY_USAGES),
            ),
            failed,
        )
        .await?;
        Ok(WebKey(key.unchecked_into()))
    }

    async fn seal(
        &self,
        key: &WebKey,
        nonce: &Nonce,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let sealed = settle(
            self.subtle
                .encrypt_with_object_and_u8_array(&gcm(nonce, aad), &key.0, plaintext),
            failed,
        )
        .await?;
        Ok(bytes(sealed))
    }

    async fn open(
        &self,
        key: &WebKey,
        nonce: &Nonce,
        aad: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let plain = settle(
            self.subtle
                .decrypt_with_object_and_u8_array(&gcm(nonce, aad), &key.0, sealed),
            rejected,
        )
        .await?;
        Ok(bytes(plain))
    }

    async fn wrap_key(
        &self,
        wrapping: &WebKey,
        nonce: &Nonce,
        aad: &[u8],
        key: &WebKey,
    ) -> Result<Vec<u8>, CryptoError> {
        if !key.0.extractable() {
            return Err(CryptoError::NotExtractable);
        }
        let wrapped = settle(
            self.subtle
                .wrap_key_with_object("raw", &key.0, &wrapping.0, &gcm(nonce, aad)),
            failed,
        )
        .await?;
        Ok(bytes(wrapped))
    }

    async fn unwrap_key(
        &self,
        wrapping: &WebKey,
        nonce: &Nonce,
        aad: &[u8],
        wrapped: &[u8],
        extractable: bool,
    ) -> Result<WebKey, CryptoError> {
        let key = settle(
            self.subtle.unwrap_key_with_u8_array_and_object_and_str(
                "raw",
                wrapped,
                &wrapping.0,
                &gcm(nonce, aad),
                AES_GCM,
                extractable,
                &usages(&KEY_USAGES),
            ),
            rejected,
        )
        .await?;
        Ok(WebKey(key.unchecked_into()))
    }
}

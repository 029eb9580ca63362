//! Authenticated encryption and passphrase keys behind one small trait, [`Crypto`], so that
//! the same sealing code runs natively ([`NativeCrypto`], RustCrypto) and in the browser
//! (`browser::crypto::WebCrypto`, WebCrypto). Both produce the same bytes from the same
//! inputs (checked by `tests/crypto_vectors.rs` and `tests/browser_crypto.rs`).
//!
//! The algorithms are fixed:
//! - keys are AES-256-GCM keys (32 bytes); a sealed message is the ciphertext followed by
//!   the 16-byte tag; nonces are 12 random bytes, fresh for every message;
//! - a passphrase key is PBKDF2-HMAC-SHA-256 over the passphrase's UTF-8 bytes, as typed
//!   (no Unicode normalisation), with a 16-byte random salt;
//! - a data key is 32 random bytes, stored only wrapped (sealed) by a passphrase key
//!   ([`WrappedKey`]).
//!
//! The trait has no bounds on its inputs (test vectors use one PBKDF2 round); the
//! parameters a stored key may use are checked by [`PassphraseKdf`].

pub mod base64_bytes;
#[cfg(test)]
pub(crate) mod memo;
mod native;
mod primitives;
mod wrapped;

pub use native::{NativeCrypto, NativeKey};
pub use primitives::{
    fresh_nonce, Crypto, CryptoError, Nonce, DEFAULT_ITERATIONS, KEY_LEN, MAX_ITERATIONS,
    MIN_ITERATIONS, NONCE_LEN, SALT_LEN, TAG_LEN,
};
pub use wrapped::{PassphraseKdf, WrappedKey};

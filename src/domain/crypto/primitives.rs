//! What every implementation provides: the algorithms' sizes and bounds, their error, and
//! the [`Crypto`] trait.

/// Bytes in an AES-256-GCM key.
pub const KEY_LEN: usize = 32;
/// Bytes in an AES-GCM nonce.
pub const NONCE_LEN: usize = 12;
/// Bytes in an AES-GCM tag, appended to every ciphertext.
pub const TAG_LEN: usize = 16;
/// Bytes in a PBKDF2 salt.
pub const SALT_LEN: usize = 16;
/// The fewest PBKDF2-HMAC-SHA-256 rounds a stored key may use (OWASP's 2023 figure).
pub const MIN_ITERATIONS: u32 = 600_000;
/// The most rounds a stored key may ask for: a file asking for more would keep the page busy
/// for minutes before saying anything.
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// The rounds used for new keys.
pub const DEFAULT_ITERATIONS: u32 = MIN_ITERATIONS;

/// An AES-GCM nonce.
pub type Nonce = [u8; NONCE_LEN];

/// Why a cryptographic operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Authentication failed: wrong key (so wrong passphrase), or changed ciphertext, nonce
    /// or associated data.
    #[error("The data could not be decrypted: the passphrase is wrong or the data was changed.")]
    Rejected,
    /// An empty passphrase was given for a new key.
    #[error("The passphrase is empty; choose one to protect your data.")]
    EmptyPassphrase,
    /// A stored key asks for a number of PBKDF2 rounds outside the accepted range.
    #[error("The key asks for {0} rounds of key derivation; Folio accepts 600,000 to 10,000,000.")]
    Iterations(u32),
    /// The key was made non-extractable, so it cannot be wrapped.
    #[error("This key is locked inside the browser and cannot be re-wrapped.")]
    NotExtractable,
    /// The platform's cryptography failed (the browser's error text).
    #[error("The browser's cryptography failed ({0}).")]
    Failed(String),
}

/// AES-256-GCM and PBKDF2-HMAC-SHA-256, as the platform provides them.
///
/// Every method is `async` because WebCrypto is; the native implementation is ready at once.
/// A derived or imported key is usable to seal, open, wrap and unwrap.
#[allow(async_fn_in_trait)] // the browser's futures are not `Send`; callers are generic
pub trait Crypto {
    /// A key held by the implementation (in the browser, a `CryptoKey`).
    type Key;

    /// Fills `out` with cryptographically secure random bytes.
    fn random_bytes(&self, out: &mut [u8]) -> Result<(), CryptoError>;

    /// Derives a non-extractable key from a passphrase with PBKDF2-HMAC-SHA-256.
    async fn derive_key(
        &self,
        passphrase: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<Self::Key, CryptoError>;

    /// Makes a key of 32 raw bytes; only an extractable key can be wrapped later.
    async fn import_key(
        &self,
        raw: &[u8; KEY_LEN],
        extractable: bool,
    ) -> Result<Self::Key, CryptoError>;

    /// Encrypts and authenticates `plaintext`, and authenticates `aad`: ciphertext ‖ tag.
    async fn seal(
        &self,
        key: &Self::Key,
        nonce: &Nonce,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError>;

    /// Reverses [`Crypto::seal`]; [`CryptoError::Rejected`] when anything differs.
    async fn open(
        &self,
        key: &Self::Key,
        nonce: &Nonce,
        aad: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, CryptoError>;

    /// Seals the raw bytes of an extractable `key` under `wrapping` (the same bytes as
    /// [`Crypto::seal`] of the raw key).
    async fn wrap_key(
        &self,
        wrapping: &Self::Key,
        nonce: &Nonce,
        aad: &[u8],
        key: &Self::Key,
    ) -> Result<Vec<u8>, CryptoError>;

    /// Reverses [`Crypto::wrap_key`]; [`CryptoError::Rejected`] when anything differs.
    async fn unwrap_key(
        &self,
        wrapping: &Self::Key,
        nonce: &Nonce,
        aad: &[u8],
        wrapped: &[u8],
        extractable: bool,
    ) -> Result<Self::Key, CryptoError>;
}

/// A fresh random nonce.
pub fn fresh_nonce<C: Crypto>(crypto: &C) -> Result<Nonce, CryptoError> {
    let mut nonce = [0; NONCE_LEN];
    crypto.random_bytes(&mut nonce)?;
    Ok(nonce)
}

//! [`Crypto`] with RustCrypto's pure-Rust crates (`aes-gcm`, `pbkdf2`, `sha2`) and the
//! operating system's random numbers (`getrandom`; `crypto.getRandomValues` on wasm32).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key};
use zeroize::Zeroize;

use super::primitives::{Crypto, CryptoError, Nonce, KEY_LEN};

/// The native implementation.
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeCrypto;

/// A key in memory; its raw bytes are erased when it is dropped.
#[derive(Clone)]
pub struct NativeKey {
    raw: [u8; KEY_LEN],
    cipher: Aes256Gcm,
    extractable: bool,
}

impl NativeKey {
    fn new(raw: &[u8; KEY_LEN], extractable: bool) -> NativeKey {
        NativeKey {
            raw: *raw,
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(*raw)),
            extractable,
        }
    }
}

impl Drop for NativeKey {
    fn drop(&mut self) {
        self.raw.zeroize();
    }
}

impl std::fmt::Debug for NativeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeKey")
            .field("extractable", &self.extractable)
            .finish_non_exhaustive()
    }
}

impl Crypto for NativeCrypto {
    type Key = NativeKey;

    fn random_bytes(&self, out: &mut [u8]) -> Result<(), CryptoError> {
        getrandom::fill(out).map_err(|e| CryptoError::Failed(e.to_string()))
    }

    async fn derive_key(
        &self,
        passphrase: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<NativeKey, CryptoError> {
        if iterations == 0 {
            return Err(CryptoError::Iterations(0));
        }
        let mut raw = [0; KEY_LEN];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, iterations, &mut raw);
        let key = NativeKey::new(&raw, false);
        raw.zeroize();
        Ok(key)
    }

    async fn import_key(
        &self,
        raw: &[u8; KEY_LEN],
        extractable: bool,
    ) -> Result<NativeKey, CryptoError> {
        Ok(NativeKey::new(raw, extractable))
    }

    async fn seal(
        &self,
        key: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        key.cipher
            .encrypt(&(*nonce).into(), payload)
            .map_err(|_| CryptoError::Failed("the message is too long for AES-GCM".into()))
    }

    async fn open(
        &self,
        key: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let payload = Payload { msg: sealed, aad };
        key.cipher
            .decrypt(&(*nonce).into(), payload)
            .map_err(|_| CryptoError::Rejected)
    }

    async fn wrap_key(
        &self,
        wrapping: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        key: &NativeKey,
    ) -> Result<Vec<u8>, CryptoError> {
        if !key.extractable {
            return Err(CryptoError::NotExtractable);
        }
        self.seal(wrapping, nonce, aad, &key.raw).await
    }

    async fn unwrap_key(
        &self,
        wrapping: &NativeKey,
        nonce: &Nonce,
        aad: &[u8],
        wrapped: &[u8],
        extractable: bool,
    ) -> Result<NativeKey, CryptoError> {
        let mut raw = self.open(wrapping, nonce, aad, wrapped).await?;
        let key = <&[u8; KEY_LEN]>::try_from(raw.as_slice())
            .map(|bytes| NativeKey::new(bytes, extractable))
            .map_err(|_| CryptoError::Failed("the unwrapped key is not 32 bytes long".into()));
        raw.zeroize();
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn key(raw: &[u8]) -> NativeKey {
        block_on(NativeCrypto.import_key(raw.try_into().unwrap(), true)).unwrap()
    }

    #[test]
    fn seals_the_gcm_specification_test_case_16() {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 60
        // bytes of plaintext, 20 of associated data); also reproduced with Python's
        // `cryptography` (OpenSSL): ciphertext ‖ tag 76fc6ece0f4e1768cddf8853bb2d551b.
        let k = key(&hex(
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        ));
        let nonce: Nonce = hex("cafebabefacedbaddecaf888").try_into().unwrap();
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let pt = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        let sealed = block_on(NativeCrypto.seal(&k, &nonce, &aad, &pt)).unwrap();
        assert_eq!(sealed, hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b"));
        assert_eq!(
            block_on(NativeCrypto.open(&k, &nonce, &aad, &sealed)).unwrap(),
            pt
        );
    }

    #[test]
    fn derives_the_pbkdf2_key_python_derives() {
        // Python: k = hashlib.pbkdf2_hmac("sha256", "pässwörd 🔐".encode(),
        // b"NaCl-salt-16byte", 1000, 32); AESGCM(k).encrypt(bytes(12), b"", b"")
        let k =
            block_on(NativeCrypto.derive_key("pässwörd 🔐", b"NaCl-salt-16byte", 1000)).unwrap();
        let sealed = block_on(NativeCrypto.seal(&k, &[0; 12], b"", b"")).unwrap();
        assert_eq!(sealed, hex("330118a25cf399574f148757fe4adf03"));
    }

    #[test]
    fn any_change_to_the_sealed_message_is_rejected() {
        let k = key(&[9; 32]);
        let nonce = [1; 12];
        let sealed = block_on(NativeCrypto.seal(&k, &nonce, b"store/key", b"holdings")).unwrap();
        let open = |n: &Nonce, aad: &[u8], s: &[u8]| block_on(NativeCrypto.open(&k, n, aad, s));
        assert_eq!(open(&nonce, b"store/key", &sealed).unwrap(), b"holdings");
        assert_eq!(
            open(&[2; 12], b"store/key", &sealed),
            Err(CryptoError::Rejected)
        );
        assert_eq!(
            open(&nonce, b"store/kez", &sealed),
            Err(CryptoError::Rejected)
        );
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(open(&nonce, b"store/key", &bad), Err(CryptoError::Rejected));
        }
        assert_eq!(
            open(&nonce, b"store/key", &sealed[..15]),
            Err(CryptoError::Rejected)
        );
        let other = key(&[8; 32]);
        let by_other = block_on(NativeCrypto.open(&other, &nonce, b"store/key", &sealed));
        assert_eq!(by_other, Err(CryptoError::Rejected));
    }

    #[test]
    fn a_wrapped_key_is_its_raw_bytes_sealed() {
        let wrapping = key(&[3; 32]);
        let data = key(&[4; 32]);
        let wrapped = block_on(NativeCrypto.wrap_key(&wrapping, &[5; 12], b"ctx", &data)).unwrap();
        let sealed = block_on(NativeCrypto.seal(&wrapping, &[5; 12], b"ctx", &[4; 32])).unwrap();
        assert_eq!(wrapped, sealed);
        let back = block_on(NativeCrypto.unwrap_key(&wrapping, &[5; 12], b"ctx", &wrapped, false))
            .unwrap();
        let by_data = block_on(NativeCrypto.seal(&data, &[6; 12], b"", b"x")).unwrap();
        let by_back = block_on(NativeCrypto.seal(&back, &[6; 12], b"", b"x")).unwrap();
        assert_eq!(by_back, by_data);
        let rewrap = block_on(NativeCrypto.wrap_key(&wrapping, &[5; 12], b"ctx", &back));
        assert_eq!(rewrap, Err(CryptoError::NotExtractable));
    }

    #[test]
    fn derived_keys_cannot_be_wrapped_and_zero_rounds_are_refused() {
        let derived = block_on(NativeCrypto.derive_key("p", b"salt", 1)).unwrap();
        let wrapping = key(&[3; 32]);
        let wrapped = block_on(NativeCrypto.wrap_key(&wrapping, &[5; 12], b"", &derived));
        assert_eq!(wrapped, Err(CryptoError::NotExtractable));
        let zero = block_on(NativeCrypto.derive_key("p", b"salt", 0));
        assert_eq!(zero.map(|_| ()), Err(CryptoError::Iterations(0)));
    }

    #[test]
    fn random_bytes_differ_between_calls() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        NativeCrypto.random_bytes(&mut a).unwrap();
        NativeCrypto.random_bytes(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0; 32]);
    }
}

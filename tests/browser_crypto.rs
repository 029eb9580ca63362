//! WebCrypto in headless Chromium against the vectors recorded from `NativeCrypto`
//! (`tests/fixtures/crypto_vectors.json`): the same bytes from every derivation, seal and
//! wrap; the natively written sealed backup and record open with WebCrypto, and what WebCrypto
//! wraps and seals opens with `NativeCrypto` (compiled to wasm). PBKDF2 at 600,000 rounds is
//! timed in the output.
#![cfg(target_arch = "wasm32")]

#[path = "common/crypto_vectors.rs"]
mod vectors;

use folio::browser::crypto::WebCrypto;
use folio::domain::backup::{self, BackupError};
use folio::domain::crypto::{Crypto, CryptoError, NativeCrypto, DEFAULT_ITERATIONS};
use folio::domain::vault::{self, SealedRecord, VaultError};
use vectors::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

#[wasm_bindgen_test]
async fn derived_keys_seal_the_bytes_native_crypto_recorded() {
    let web = WebCrypto::new().unwrap();
    for d in recorded().derive {
        let k = web
            .derive_key(&d.passphrase, &unhex(&d.salt), d.iterations)
            .await
            .unwrap();
        let sealed = web
            .seal(&k, &nonce(&d.nonce), &unhex(&d.aad), &unhex(&d.plaintext))
            .await
            .unwrap();
        assert_eq!(hex(&sealed), d.sealed, "{} rounds", d.iterations);
    }
}

#[wasm_bindgen_test]
async fn pbkdf2_at_600_000_rounds_is_timed() {
    let web = WebCrypto::new().unwrap();
    let mut runs = Vec::new();
    for _ in 0..5 {
        let start = now_ms();
        web.derive_key("timing", &[0; 16], DEFAULT_ITERATIONS)
            .await
            .unwrap();
        runs.push(now_ms() - start);
    }
    let shown: Vec<String> = runs.iter().map(|ms| format!("{ms:.0}")).collect();
    console_log!(
        "WebCrypto PBKDF2-HMAC-SHA-256, 600,000 rounds, 5 runs (ms): {}",
        shown.join(", ")
    );
    assert!(runs.iter().all(|ms| *ms > 0.0));
}

#[wasm_bindgen_test]
async fn raw_keys_seal_and_open_the_recorded_bytes() {
    let web = WebCrypto::new().unwrap();
    for s in recorded().seal {
        let k = web.import_key(&key(&s.key), false).await.unwrap();
        let (n, aad) = (nonce(&s.nonce), unhex(&s.aad));
        let sealed = web.seal(&k, &n, &aad, &unhex(&s.plaintext)).await.unwrap();
        assert_eq!(hex(&sealed), s.sealed);
        let opened = web.open(&k, &n, &aad, &unhex(&s.sealed)).await.unwrap();
        assert_eq!(hex(&opened), s.plaintext);
        let mut bad = unhex(&s.sealed);
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(
            web.open(&k, &n, &aad, &bad).await.map(|_| ()),
            Err(CryptoError::Rejected)
        );
        let mut other_aad = aad.clone();
        other_aad.push(0);
        assert_eq!(
            web.open(&k, &n, &other_aad, &unhex(&s.sealed))
                .await
                .map(|_| ()),
            Err(CryptoError::Rejected)
        );
    }
}

#[wasm_bindgen_test]
async fn wrapped_keys_are_the_recorded_bytes_and_unwrap_to_the_same_key() {
    let web = WebCrypto::new().unwrap();
    for w in recorded().wrap {
        let kek = web
            .derive_key(&w.passphrase, &unhex(&w.salt), w.iterations)
            .await
            .unwrap();
        let (n, aad) = (nonce(&w.nonce), unhex(&w.aad));
        let data = web.import_key(&key(&w.key), true).await.unwrap();
        let wrapped = web.wrap_key(&kek, &n, &aad, &data).await.unwrap();
        assert_eq!(hex(&wrapped), w.wrapped);
        let back = web
            .unwrap_key(&kek, &n, &aad, &unhex(&w.wrapped), false)
            .await
            .unwrap();
        let probe = web
            .seal(&back, &nonce(&w.probe_nonce), b"", &unhex(&w.probe))
            .await
            .unwrap();
        assert_eq!(hex(&probe), w.probe_sealed);
        let elsewhere = web.unwrap_key(&kek, &n, b"other", &wrapped, false).await;
        assert_eq!(elsewhere.map(|_| ()), Err(CryptoError::Rejected));
        let locked = web.wrap_key(&kek, &n, &aad, &back).await;
        assert_eq!(locked, Err(CryptoError::NotExtractable));
    }
}

#[wasm_bindgen_test]
async fn a_natively_sealed_backup_opens_with_webcrypto_and_refuses_a_wrong_passphrase() {
    let web = WebCrypto::new().unwrap();
    let v = recorded().backup;
    let file = unb64(&v.file);
    let opened = backup::decode(&file, &web, Some(&v.passphrase))
        .await
        .unwrap();
    assert_eq!(opened, v.contents);
    let wrong = backup::decode(&file, &web, Some("not it")).await;
    assert_eq!(wrong, Err(BackupError::WrongPassphrase));
}

#[wasm_bindgen_test]
async fn a_natively_sealed_record_opens_with_webcrypto() {
    let web = WebCrypto::new().unwrap();
    let v = recorded().vault;
    let data = v.lock.unlock(&web, &v.passphrase).await.unwrap();
    let record = SealedRecord::from_bytes(unb64(&v.record)).unwrap();
    let value: serde_json::Value = vault::open_record(&web, &data, &v.store, &v.key, &record)
        .await
        .unwrap();
    assert_eq!(value, v.value);
    let moved = vault::open_record::<_, serde_json::Value>(&web, &data, &v.store, "t2", &record);
    assert!(matches!(
        moved.await,
        Err(VaultError::RecordRejected { .. })
    ));
    let wrong = v.lock.unlock(&web, "not it").await;
    assert_eq!(wrong.map(|_| ()), Err(VaultError::WrongPassphrase));
}

/// The other direction, key by key: what WebCrypto derives, wraps and seals (random inputs),
/// `NativeCrypto` (compiled to wasm) unwraps and opens. (1,000 rounds: the wasm test build is
/// unoptimised and would hold the page for seconds at 600,000.)
#[wasm_bindgen_test]
async fn what_webcrypto_wraps_and_seals_native_crypto_opens() {
    let web = WebCrypto::new().unwrap();
    let mut salt = [0u8; 16];
    let mut raw = [0u8; 32];
    let mut message = vec![0u8; 3000];
    web.random_bytes(&mut salt).unwrap();
    web.random_bytes(&mut raw).unwrap();
    web.random_bytes(&mut message).unwrap();
    let (n1, n2) = ([3u8; 12], [4u8; 12]);
    let kek = web.derive_key("both ways", &salt, 1000).await.unwrap();
    let data = web.import_key(&raw, true).await.unwrap();
    let wrapped = web.wrap_key(&kek, &n1, b"ctx", &data).await.unwrap();
    let sealed = web.seal(&data, &n2, b"where", &message).await.unwrap();
    let native_kek = NativeCrypto
        .derive_key("both ways", &salt, 1000)
        .await
        .unwrap();
    let native_data = NativeCrypto
        .unwrap_key(&native_kek, &n1, b"ctx", &wrapped, false)
        .await
        .unwrap();
    let opened = NativeCrypto
        .open(&native_data, &n2, b"where", &sealed)
        .await
        .unwrap();
    assert_eq!(opened, message);
}

#[wasm_bindgen_test]
fn random_bytes_fill_buffers_longer_than_one_call_allows() {
    let web = WebCrypto::new().unwrap();
    let (mut a, mut b) = (vec![0u8; 100_000], vec![0u8; 100_000]);
    web.random_bytes(&mut a).unwrap();
    web.random_bytes(&mut b).unwrap();
    assert_ne!(a, b);
    // The second call of getRandomValues (bytes 65,536 on) filled its part too.
    assert!(a[65_536..].iter().filter(|&&x| x == 0).count() < 1_000);
}

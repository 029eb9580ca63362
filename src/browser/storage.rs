//! The browser's storage for this site (the Storage API): whether it is persistent, asking
//! for it, and how much is used and left.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn storage_manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Whether this site's storage is persistent (not evicted under pressure), without asking
/// for it; `None` when the browser has no Storage API.
pub async fn is_persisted() -> Option<bool> {
    JsFuture::from(storage_manager()?.persisted().ok()?)
        .await
        .ok()?
        .as_bool()
}

/// Asks the browser to keep this site's storage (Firefox may ask the user; Chromium decides
/// by itself). Returns the answer, or `None` when the browser has no Storage API.
pub async fn request_persistence() -> Option<bool> {
    if is_persisted().await == Some(true) {
        return Some(true);
    }
    JsFuture::from(storage_manager()?.persist().ok()?)
        .await
        .ok()?
        .as_bool()
}

/// What this site stores and may store, in bytes (the browser's estimate).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageUse {
    /// Bytes used (IndexedDB, the service worker's cache…).
    pub used: u64,
    /// Bytes the browser allows this site.
    pub quota: u64,
}

impl StorageUse {
    /// Bytes still available (zero when the estimate says more is used than allowed).
    pub fn left(&self) -> u64 {
        self.quota.saturating_sub(self.used)
    }
}

/// What this site stores and may store (`navigator.storage.estimate()`), or `None` when the
/// browser does not say.
pub async fn storage_estimate() -> Option<StorageUse> {
    let estimate: web_sys::StorageEstimate = JsFuture::from(storage_manager()?.estimate().ok()?)
        .await
        .ok()?
        .unchecked_into();
    Some(StorageUse {
        used: estimate.get_usage()? as u64,
        quota: estimate.get_quota()? as u64,
    })
}

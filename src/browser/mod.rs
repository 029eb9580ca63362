//! Browser-only I/O: IndexedDB, files, downloads, WebCrypto. Converts JS values into domain
//! types at the boundary; JS error text is kept as `String`.

use crate::domain::calendar::Timestamp;

pub mod crypto;
pub mod files;
pub mod idb;
pub mod prices;
pub mod storage;
pub mod store;
pub mod worker;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Now, as an instant.
pub fn now() -> Timestamp {
    Timestamp::from_js(js_sys::Date::now()).unwrap_or_default()
}

/// A random identifier (time-based prefix for ordering, random suffix for uniqueness).
pub fn new_id() -> String {
    let mut bytes = [0u8; 8];
    // getrandom's wasm_js backend uses crypto.getRandomValues.
    let _ = getrandom::fill(&mut bytes);
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:x}-{suffix}", now_ms() as u64)
}

/// Asks the browser to fetch the whole app's module (JS glue and wasm) in the background, so
/// that the next page opens from the cache. The addresses are those `index.html`'s loader
/// reads (`<meta name="folio-module">`); nothing happens if they are missing or already asked.
pub fn prefetch_whole_app() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(Some(meta)) = doc.query_selector(r#"meta[name="folio-module"][content^="/folio-"]"#)
    else {
        return;
    };
    let (Some(head), Some(js), Some(wasm)) = (
        doc.head(),
        meta.get_attribute("content"),
        meta.get_attribute("data-wasm"),
    ) else {
        return;
    };
    for href in [js, wasm] {
        let asked = format!(r#"link[rel="prefetch"][href="{href}"]"#);
        if matches!(doc.query_selector(&asked), Ok(Some(_))) {
            continue;
        }
        if let Ok(link) = doc.create_element("link") {
            let _ = link.set_attribute("rel", "prefetch");
            let _ = link.set_attribute("href", &href);
            let _ = head.append_child(&link);
        }
    }
}

//! Browser-only I/O: IndexedDB, files, downloads. Converts JS values into domain types at
//! the boundary; JS error text is kept as `String`.

pub mod files;
pub mod prices;
pub mod store;
pub mod worker;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A random identifier (time-based prefix for ordering, random suffix for uniqueness).
pub fn new_id() -> String {
    let mut bytes = [0u8; 8];
    // getrandom's wasm_js backend uses crypto.getRandomValues.
    let _ = getrandom::fill(&mut bytes);
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:x}-{suffix}", now_ms() as u64)
}

//! Times PBKDF2-HMAC-SHA-256 at 600,000 rounds with `NativeCrypto` (RustCrypto), the figure
//! `tests/browser_crypto.rs` prints for WebCrypto: `cargo run --release --example kdf_time`.

use std::time::Instant;

use folio::domain::crypto::{Crypto, NativeCrypto, DEFAULT_ITERATIONS};
use futures::executor::block_on;

fn main() {
    let runs: Vec<String> = (0..5)
        .map(|_| {
            let start = Instant::now();
            block_on(NativeCrypto.derive_key("timing", &[0; 16], DEFAULT_ITERATIONS))
                .expect("PBKDF2 runs");
            format!("{:.0}", start.elapsed().as_secs_f64() * 1000.0)
        })
        .collect();
    println!(
        "NativeCrypto PBKDF2-HMAC-SHA-256, {DEFAULT_ITERATIONS} rounds, 5 runs (ms): {}",
        runs.join(", ")
    );
}

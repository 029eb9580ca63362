//! Writes the benchmark's synthetic export files (seeded, so always the same bytes):
//! a CoinTracking Trade List of 1,000,000 rows and a Balance by Exchange of 100,000 rows.
//! Usage: cargo run --release --example synth -- <directory>

use folio::domain::synthetic::{balance_by_exchange, trade_list};

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out".into());
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in [
        ("trade_list_1m.csv", trade_list(1_000_000, 42)),
        (
            "balance_by_exchange_100k.csv",
            balance_by_exchange(100_000, 42),
        ),
    ] {
        let path = std::path::Path::new(&dir).join(name);
        std::fs::write(&path, &bytes)?;
        println!("{} {} bytes", path.display(), bytes.len());
    }
    Ok(())
}

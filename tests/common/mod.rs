//! Shared by the risk tests: the reference vectors beside the repository.

use serde_json::Value;

/// A file of `../shared/vectors/`, or `None` (with the reason printed) where it is absent.
pub fn vectors(name: &str) -> Option<Value> {
    let path = std::path::PathBuf::from(manifest_dir())
        .join("../shared/vectors")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(serde_json::from_str(&s).expect("valid JSON")),
        Err(e) => {
            eprintln!("SKIPPED: {} is not available ({e}).", path.display());
            None
        }
    }
}

/// A JSON number, or "NaN" / "Infinity" / "-Infinity".
pub fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) if s == "NaN" => f64::NAN,
        Value::String(s) if s == "Infinity" || s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-Infinity" || s == "-inf" => f64::NEG_INFINITY,
        other => panic!("not a number: {other}"),
    }
}

/// The package directory at run time (cargo sets it for tests), so a test binary reused
/// from another checkout through a shared target directory still reads this checkout.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

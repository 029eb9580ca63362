//! Folio's XIRR against reference values recorded by `scripts/xirr_vectors.py` (pyxirr,
//! a float64 bisection of the XNPV, and numpy-financial's irr for yearly flows) in
//! `tests/vectors/xirr.json`. The tests read the file; they never run Python.

use chrono::NaiveDate;
use folio::domain::performance::xirr::{xirr, CashFlow, XirrError};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/xirr.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn flows(case: &Value) -> Vec<CashFlow> {
    case["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| CashFlow {
            date: NaiveDate::parse_from_str(f[0].as_str().unwrap(), "%Y-%m-%d").unwrap(),
            amount: f[1].as_f64().unwrap(),
        })
        .collect()
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn every_recorded_case_matches_the_references() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let got = xirr(&flows(case));
        match case["error"].as_str() {
            Some("one_sign") => assert_eq!(got, Err(XirrError::OneSign), "{name}"),
            Some("no_root") => assert_eq!(got, Err(XirrError::NoRoot), "{name}"),
            Some(other) => panic!("{name}: unknown error {other}"),
            None => {
                let x = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                let py = case["pyxirr"].as_f64().unwrap();
                let exact = case["bisection"].as_f64().unwrap();
                // pyxirr stops about 1e-8 from the root; the bisection goes to the last bit.
                let rate = if x.is_ambiguous() {
                    *x.roots
                        .iter()
                        .find(|r| near(**r, exact, 1e-6))
                        .unwrap_or_else(|| panic!("{name}: {:?} vs {exact}", x.roots))
                } else {
                    x.rate
                };
                assert!(near(rate, py, 1e-8), "{name}: {rate} vs pyxirr {py}");
                assert!(
                    near(rate, exact, 1e-11),
                    "{name}: {rate} vs bisection {exact}"
                );
                if let Some(npf) = case.get("npf_irr").and_then(Value::as_f64) {
                    assert!(
                        near(rate, npf, 1e-12),
                        "{name}: {rate} vs numpy-financial {npf}"
                    );
                }
            }
        }
    }
}

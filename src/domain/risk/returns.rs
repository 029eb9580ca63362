//! From daily closes to aligned return series.
//!
//! The alignment rule: a return is only computed between two dates on which **every** asset
//! of the set has a close; no price is invented or carried forward. Crypto trades every day
//! and stocks on weekdays, so a mixed set is aligned on the stocks' trading days and a
//! Friday-to-Monday crypto move lands in Monday's return, as it would for the stock.

use std::collections::HashMap;

use crate::domain::prices::history::DailySeries;

/// How returns are computed from two closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    /// `p_t / p_{t−1} − 1` (the metrics' convention).
    Simple,
    /// `ln(p_t / p_{t−1})` (SmartFolio's VaR calculator).
    Log,
}

/// Aligned returns of several assets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aligned {
    /// Keys of the assets, in column order.
    pub keys: Vec<String>,
    /// The end date of each return.
    pub dates: Vec<String>,
    /// One row per date, one column per asset.
    pub rows: Vec<Vec<f64>>,
}

/// Returns of `series` on the dates they all share, within `[from, to]` (inclusive, ISO
/// dates; `None` for no bound). Closes that are not positive are treated as missing.
pub fn align(
    series: &[&DailySeries],
    from: Option<&str>,
    to: Option<&str>,
    kind: ReturnKind,
) -> Aligned {
    if series.is_empty() {
        return Aligned::default();
    }
    let maps: Vec<HashMap<&str, f64>> = series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .filter(|(d, p)| {
                    *p > 0.0
                        && p.is_finite()
                        && from.is_none_or(|f| d.as_str() >= f)
                        && to.is_none_or(|t| d.as_str() <= t)
                })
                .map(|(d, p)| (d.as_str(), *p))
                .collect()
        })
        .collect();
    let mut common: Vec<&str> = maps[0]
        .keys()
        .copied()
        .filter(|d| maps[1..].iter().all(|m| m.contains_key(d)))
        .collect();
    common.sort_unstable();
    let mut out = Aligned {
        keys: series.iter().map(|s| s.key.clone()).collect(),
        ..Aligned::default()
    };
    for pair in common.windows(2) {
        let row = maps
            .iter()
            .map(|m| {
                let ratio = m[pair[1]] / m[pair[0]];
                match kind {
                    ReturnKind::Simple => ratio - 1.0,
                    ReturnKind::Log => ratio.ln(),
                }
            })
            .collect();
        out.dates.push(pair[1].to_string());
        out.rows.push(row);
    }
    out
}

/// Periods per year for a set of assets: 365 when every asset trades every day (crypto
/// only), else 252 (the set is aligned on trading days).
pub fn default_annualisation(all_crypto: bool) -> f64 {
    if all_crypto {
        crate::domain::risk::metrics::CALENDAR_DAYS
    } else {
        crate::domain::risk::metrics::TRADING_DAYS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(key: &str, pts: &[(&str, f64)]) -> DailySeries {
        DailySeries {
            key: key.into(),
            currency: "USD".into(),
            points: pts.iter().map(|(d, p)| (d.to_string(), *p)).collect(),
            source: "test".into(),
        }
    }

    #[test]
    fn aligns_on_shared_dates_without_inventing_prices() {
        // BTC every day, a stock on Friday 5th and Monday 8th only.
        let btc = s(
            "BTC",
            &[
                ("2026-06-05", 100.0),
                ("2026-06-06", 110.0),
                ("2026-06-07", 90.0),
                ("2026-06-08", 120.0),
            ],
        );
        let stock = s("AAPL", &[("2026-06-05", 50.0), ("2026-06-08", 55.0)]);
        let a = align(&[&btc, &stock], None, None, ReturnKind::Simple);
        assert_eq!(a.dates, vec!["2026-06-08"]);
        assert!(
            (a.rows[0][0] - 0.2).abs() < 1e-12,
            "Friday to Monday for BTC too"
        );
        assert!((a.rows[0][1] - 0.1).abs() < 1e-12);
        let only = align(&[&btc], Some("2026-06-06"), None, ReturnKind::Log);
        assert_eq!(only.rows.len(), 2);
        assert!((only.rows[0][0] - (90.0f64 / 110.0).ln()).abs() < 1e-12);
        assert_eq!(default_annualisation(true), 365.0);
        assert_eq!(default_annualisation(false), 252.0);
    }
}

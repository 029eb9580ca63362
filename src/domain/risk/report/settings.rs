//! What the report is asked: the portfolio's assets and the user's choices on the Risk page.

use serde::{Deserialize, Serialize};

use crate::domain::format;
use crate::domain::price_key::PriceKey;
use crate::domain::risk::returns::ReturnKind;

/// Fewer aligned returns than this and a metric says "not enough data".
pub const MIN_POINTS: usize = 30;

/// What the user chose on the risk page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskSettings {
    /// Days of history used (calendar days back from the last shared date).
    pub window_days: u32,
    /// Horizon of the multi-day VaR, in periods.
    pub horizon: u32,
    /// The benchmark's series (BTC by default); any stored series with history will do
    /// (see [`benchmark_choices`](super::benchmark::benchmark_choices)).
    pub benchmark: PriceKey,
    /// Periods per year; `None`: 365 for crypto only, else 252.
    pub annualisation: Option<f64>,
    /// Annual risk-free rate (fraction), turned into a per-period rate `(1 + rf)^(1/ann) − 1`.
    pub risk_free: f64,
    /// Monte Carlo paths (10,000 to 100,000).
    pub mc_paths: usize,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The confidence the page highlights and marks on the distribution (both 95 % and
    /// 99 % are always computed).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// Simple or log returns for the distribution metrics (see [`report`](super::report)).
    #[serde(default)]
    pub returns: ReturnKind,
    /// Today's weights throughout, or the weights held at the time (from snapshots).
    #[serde(default)]
    pub weighting: Weighting,
    /// The share of the portfolio's value (fraction) that must have history for the report
    /// to describe the whole portfolio; below it, every score and figure says it is partial.
    #[serde(default = "default_min_coverage")]
    pub min_coverage: f64,
}

/// Which weights turn asset returns into the portfolio's returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Weighting {
    /// Today's weights on every day of the window (what today's portfolio would have done).
    #[default]
    Static,
    /// On each day, the weights of the latest snapshot taken on or before it (what the
    /// portfolio as it was held did); the window starts at the first snapshot.
    Historical,
}

fn default_confidence() -> f64 {
    0.95
}

/// 80 %: below it, a report on the covered part says little about the whole.
fn default_min_coverage() -> f64 {
    0.8
}

impl Default for RiskSettings {
    fn default() -> RiskSettings {
        RiskSettings {
            window_days: 365,
            horizon: 10,
            benchmark: PriceKey::crypto("BTC"),
            annualisation: None,
            risk_free: 0.0,
            mc_paths: 10_000,
            seed: 42,
            confidence: 0.95,
            returns: ReturnKind::Simple,
            weighting: Weighting::Static,
            min_coverage: default_min_coverage(),
        }
    }
}

impl RiskSettings {
    /// The settings in short, one chip each, as the Risk page's settings line shows them
    /// (defaults: `365-day window`, `VaR horizon 10 days`, `95 % confidence`,
    /// `risk-free 0 %`, `simple returns`, `today's weights`, `annualised by asset mix`,
    /// `benchmark BTC`, `coverage ≥ 80 %`, `10,000 paths`).
    pub fn chips(&self) -> Vec<String> {
        vec![
            format!("{}-day window", self.window_days),
            format!(
                "VaR horizon {} day{}",
                self.horizon,
                if self.horizon == 1 { "" } else { "s" }
            ),
            format!("{} confidence", percent_label(self.confidence)),
            format!("risk-free {}", percent_label(self.risk_free)),
            self.returns.label().to_string(),
            match self.weighting {
                Weighting::Static => "today's weights".to_string(),
                Weighting::Historical => "weights held at the time".to_string(),
            },
            match self.annualisation {
                None => "annualised by asset mix".to_string(),
                Some(n) => format!("{} periods a year", format::amount(n, 0)),
            },
            format!("benchmark {}", self.benchmark.symbol()),
            format!("coverage ≥ {}", percent_label(self.min_coverage)),
            format!("{} paths", format::amount(self.mc_paths as f64, 0)),
        ]
    }
}

/// A fraction in percent, whole when it is (`0.8` → `80 %`, `0.025` → `2.50 %`).
pub fn percent_label(fraction: f64) -> String {
    let v = fraction * 100.0;
    let whole = (v - v.round()).abs() < 1e-9;
    format::percent(if whole { v.round() } else { v }, if whole { 0 } else { 2 })
}

/// One asset of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetInput {
    /// Its daily series in the history store.
    pub key: PriceKey,
    /// Display name.
    pub label: String,
    /// Taxonomy group.
    pub group: String,
    /// Value today, in the base currency.
    pub value: f64,
    /// Crypto (trades every day).
    pub crypto: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_line_names_every_choice() {
        assert_eq!(
            RiskSettings::default().chips(),
            [
                "365-day window",
                "VaR horizon 10 days",
                "95 % confidence",
                "risk-free 0 %",
                "simple returns",
                "today's weights",
                "annualised by asset mix",
                "benchmark BTC",
                "coverage ≥ 80 %",
                "10,000 paths",
            ]
        );
        let chosen = RiskSettings {
            window_days: 90,
            horizon: 1,
            benchmark: "listed:SPY@ARCX".parse().unwrap(),
            annualisation: Some(252.0),
            risk_free: 0.025,
            mc_paths: 100_000,
            confidence: 0.99,
            returns: ReturnKind::Log,
            weighting: Weighting::Historical,
            min_coverage: 0.07,
            ..RiskSettings::default()
        };
        assert_eq!(
            chosen.chips(),
            [
                "90-day window",
                "VaR horizon 1 day",
                "99 % confidence",
                "risk-free 2.50 %",
                "log returns",
                "weights held at the time",
                "252 periods a year",
                "benchmark SPY",
                // 0.07 × 100 is 7.000000000000001: still a whole percent.
                "coverage ≥ 7 %",
                "100,000 paths",
            ]
        );
    }
}

//! The report as the page shows it and the exports write it: its types, the units its
//! figures are shown in, the names of the figures the scores quote, and its CSV.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::settings::RiskSettings;
use crate::domain::risk::scores::{Input, Level, Score};
use crate::domain::risk::stress::{Attribution, StressResult};

/// Name of the annualised Sharpe ratio.
pub const SHARPE_RATIO: &str = "Sharpe ratio";
/// Name of the annualised volatility.
pub const ANNUAL_VOLATILITY: &str = "Annual volatility";
/// Name of the maximum drawdown.
pub const MAX_DRAWDOWN: &str = "Max drawdown";
/// Name of the HHI of the whole portfolio's asset weights.
pub const HHI: &str = "HHI";
/// Name of `1 / HHI`.
pub const EFFECTIVE_ASSETS: &str = "Effective number of assets";
/// Name of the memecoin share.
pub const MEMECOIN_SHARE: &str = "Memecoin share";
/// Name of SmartFolio's group risk index.
pub const GROUP_RISK_INDEX: &str = "Group risk index (GRI)";
/// Name of `Σ wᵢσᵢ / σ_p`.
pub const DIVERSIFICATION_RATIO: &str = "Diversification ratio (Choueifaty)";
/// Name of SmartFolio's `√(Σw² / wᵀCw)`.
pub const SMARTFOLIO_DIVERSIFICATION: &str = "SmartFolio diversification index";
/// Name of the beta against the benchmark.
pub const BETA: &str = "Beta";
/// Name of the 1-day historical VaR at 95 % (a row of the VaR table).
pub const HISTORICAL_VAR_95: &str = "Historical VaR 95 % (1 day)";

/// What a figure measures, and so how it is shown. Serialized and exported as the word
/// [`Unit::word`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A plain number (Sharpe, beta, skew): three decimals.
    Ratio,
    /// A share or a return, 0.1234 shown as 12.34 %.
    Fraction,
    /// A number of days (periods of the aligned series).
    Days,
    /// A number of assets (possibly fractional): two decimals.
    Assets,
    /// A point on a fixed scale (the group risk index, 0–10): two decimals.
    Index,
}

impl Unit {
    /// The unit in a word, as the JSON and CSV exports write it.
    pub fn word(self) -> &'static str {
        match self {
            Unit::Ratio => "ratio",
            Unit::Fraction => "fraction",
            Unit::Days => "days",
            Unit::Assets => "assets",
            Unit::Index => "index",
        }
    }

    /// A value as the page shows it; an undefined one in words, never as a number.
    pub fn show(self, value: Option<f64>) -> String {
        let Some(v) = value else {
            return "undefined (not enough data or a zero denominator)".into();
        };
        match self {
            Unit::Fraction => format!("{:.2} %", v * 100.0),
            Unit::Days => format!("{v:.0} days"),
            Unit::Assets | Unit::Index => format!("{v:.2}"),
            Unit::Ratio => format!("{v:.3}"),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A number with what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Name (one per figure: the table, the score steps and the exports use it).
    pub name: String,
    /// Value; `None` when undefined or with too little data.
    pub value: Option<f64>,
    /// Unit.
    pub unit: Unit,
    /// Method and conventions.
    pub method: String,
}

impl Metric {
    /// The value as the page shows it.
    pub fn shown(&self) -> String {
        self.unit.show(self.value)
    }
}

/// `v` when it is a number, `None` when it is not (NaN, ±∞).
pub fn defined(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// A metric whose value is `value` when defined.
pub fn metric(name: &str, value: f64, unit: Unit, method: &str) -> Metric {
    Metric {
        name: name.into(),
        value: defined(value),
        unit,
        method: method.into(),
    }
}

/// How a VaR was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarModel {
    /// Quantile of the past returns (empyrical).
    Historical,
    /// Normal distribution of mean and σ (quantstats).
    Parametric,
    /// Normal quantile adjusted for skew and kurtosis.
    CornishFisher,
    /// Simulated multivariate normal paths.
    MonteCarlo,
}

/// One VaR estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarEstimate {
    /// How it was estimated.
    pub model: VarModel,
    /// Method label, with its conventions.
    pub method: String,
    /// Confidence (0.95 or 0.99).
    pub confidence: f64,
    /// Horizon in periods.
    pub horizon: u32,
    /// VaR as a return (negative for a loss).
    pub var: Option<f64>,
    /// CVaR as a return.
    pub cvar: Option<f64>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    /// First return date.
    pub from: NaiveDate,
    /// Last return date.
    pub to: NaiveDate,
    /// Number of aligned returns.
    pub points: usize,
    /// Periods per year used.
    pub annualisation: f64,
    /// Settings.
    pub settings: RiskSettings,
    /// Assets used, with today's weights (fractions of the covered value).
    pub weights: Vec<(String, f64)>,
    /// How the portfolio's returns were weighted, in words (with the snapshots used).
    #[serde(default)]
    pub weighting: String,
    /// Share of the portfolio's value with history (fraction).
    pub coverage: f64,
    /// Assets left out for lack of history.
    pub missing: Vec<String>,
    /// Those of them that are coins (loading daily history can bring them in).
    #[serde(default)]
    pub missing_coins: Vec<String>,
    /// What the user should know about figures left undefined (a benchmark without history).
    #[serde(default)]
    pub notices: Vec<String>,
    /// Summary metrics.
    pub metrics: Vec<Metric>,
    /// VaR and CVaR by method, confidence and horizon.
    pub var: Vec<VarEstimate>,
    /// Drawdown per date (fractions, ≤ 0).
    pub drawdown: Vec<(NaiveDate, f64)>,
    /// 30-period rolling annualised volatility and Sharpe.
    pub rolling: Vec<(NaiveDate, f64, f64)>,
    /// Correlation matrix (asset order of `weights`).
    pub correlation: Vec<Vec<f64>>,
    /// PCA explained variance shares.
    pub pca: Vec<f64>,
    /// Risk contributions per asset: (asset, marginal, component, percent), per period.
    pub contributions: Vec<(String, f64, f64, f64)>,
    /// Monte Carlo 1-period portfolio returns (sorted), for the distribution chart.
    pub mc_sample: Vec<f64>,
    /// Risk score with its steps.
    pub risk_score: Option<ScoreOut>,
    /// Structural score with its steps.
    pub structural: ScoreOut,
    /// Stress tests.
    pub stress: Vec<StressOut>,
    /// Attribution per group over the window.
    pub attribution: Vec<Attribution>,
}

impl RiskReport {
    /// Whether the report covers less of the portfolio's value than the user asked for
    /// (`coverage < settings.min_coverage`): its scores and figures describe only the part
    /// with history.
    pub fn partial(&self) -> bool {
        self.coverage < self.settings.min_coverage
    }

    /// The metric of that name.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// A score as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreOut {
    /// 0–100.
    pub value: f64,
    /// Level.
    pub level: Level,
    /// Steps: the figure it read with its name and value as the metrics table shows them,
    /// and the rule ("HHI 0.630 (above 0.40)"); the points.
    pub steps: Vec<(String, f64)>,
}

impl ScoreOut {
    /// `score` with each step's figure quoted by `quote` (its name and shown value).
    pub fn quoting(score: Score, quote: impl Fn(Input) -> String) -> ScoreOut {
        ScoreOut {
            value: score.value,
            level: score.level,
            steps: score
                .steps
                .into_iter()
                .map(|s| (format!("{} ({})", quote(s.input), s.rule), s.points))
                .collect(),
        }
    }
}

/// A stress result as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StressOut {
    /// Scenario.
    pub name: String,
    /// Change, base currency.
    pub change: f64,
    /// Change, percent.
    pub change_pct: f64,
    /// Per group: (group, value, shock %, change).
    pub groups: Vec<(String, f64, f64, f64)>,
}

impl From<StressResult> for StressOut {
    fn from(r: StressResult) -> StressOut {
        StressOut {
            name: r.name,
            change: r.change,
            change_pct: r.change_pct,
            groups: r
                .groups
                .into_iter()
                .map(|g| (g.group, g.value, g.shock_pct, g.change))
                .collect(),
        }
    }
}

/// The report as CSV (`section,name,value,unit,method`): the window, one line per notice,
/// metric, VaR estimate, score and score step, contribution and weight.
pub fn report_csv(r: &RiskReport) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["section", "name", "value", "unit", "method"]);
    let cell = |v: Option<f64>| {
        v.map(|x| x.to_string())
            .unwrap_or_else(|| "undefined".into())
    };
    let _ = w.write_record(["window", "from", &r.from.to_string(), "date", ""]);
    let _ = w.write_record(["window", "to", &r.to.to_string(), "date", ""]);
    let _ = w.write_record([
        "window",
        "points",
        &r.points.to_string(),
        "returns",
        "daily returns shared by every asset",
    ]);
    let _ = w.write_record([
        "window",
        "annualisation",
        &r.annualisation.to_string(),
        "periods per year",
        "",
    ]);
    let _ = w.write_record(["window", "weighting", "", "", &r.weighting]);
    for n in &r.notices {
        let _ = w.write_record(["notice", "", "", "", n]);
    }
    for m in &r.metrics {
        let _ = w.write_record(["metric", &m.name, &cell(m.value), m.unit.word(), &m.method]);
    }
    for v in &r.var {
        let name = format!("VaR {:.0} % {} d", v.confidence * 100.0, v.horizon);
        let _ = w.write_record(["var", &name, &cell(v.var), "return", &v.method]);
        let name = format!("CVaR {:.0} % {} d", v.confidence * 100.0, v.horizon);
        let _ = w.write_record(["var", &name, &cell(v.cvar), "return", &v.method]);
    }
    let scores = [
        ("Risk score (SmartFolio)", r.risk_score.as_ref()),
        ("Structural score", Some(&r.structural)),
    ];
    for (name, s) in scores.into_iter().filter_map(|(n, s)| Some((n, s?))) {
        let level = format!("level {}", s.level);
        let _ = w.write_record(["score", name, &s.value.to_string(), "points", &level]);
        for (rule, points) in &s.steps {
            let _ = w.write_record(["score step", rule, &points.to_string(), "points", name]);
        }
    }
    for (k, m, c, p) in &r.contributions {
        let method = format!("percent of σ_p (marginal {m}, component {c} per period)");
        let _ = w.write_record(["contribution", k, &p.to_string(), "fraction", &method]);
    }
    for (k, x) in &r.weights {
        let _ = w.write_record([
            "weight",
            k,
            &x.to_string(),
            "fraction",
            "value share among assets with history",
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_shown_by_kind_and_exported_as_words() {
        assert_eq!(Unit::Fraction.show(Some(-0.12345)), "-12.35 %");
        assert_eq!(Unit::Ratio.show(Some(1.23456)), "1.235");
        assert_eq!(Unit::Days.show(Some(42.0)), "42 days");
        assert_eq!(Unit::Assets.show(Some(2.2831)), "2.28");
        assert_eq!(Unit::Index.show(Some(3.0)), "3.00");
        assert_eq!(
            Unit::Ratio.show(None),
            "undefined (not enough data or a zero denominator)"
        );
        let m = metric("Annual volatility", 0.5, Unit::Fraction, "σ · √ann");
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["unit"], "fraction");
        assert_eq!(serde_json::from_value::<Metric>(json).unwrap(), m);
        // NaN and ±∞ are undefined, never a number.
        assert_eq!(metric("x", f64::INFINITY, Unit::Ratio, "").value, None);
        for u in [
            Unit::Ratio,
            Unit::Fraction,
            Unit::Days,
            Unit::Assets,
            Unit::Index,
        ] {
            assert_eq!(serde_json::to_value(u).unwrap(), u.word());
        }
    }

    #[test]
    fn score_levels_are_written_as_smartfolio_names_and_shown_in_words() {
        assert_eq!(
            serde_json::to_value(Level::VeryRobust).unwrap(),
            "very_robust"
        );
        assert_eq!(Level::VeryHigh.to_string(), "very high");
        let read: Level = serde_json::from_str("\"critical\"").unwrap();
        assert_eq!(read, Level::Critical);
    }
}

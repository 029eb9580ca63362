//! Step 1, the portfolio's return series: today's assets merged by price key (those with a
//! stored series take part, the others are named as missing), the window, the dates every
//! series shares, and the portfolio's simple returns with today's weights or with the
//! weights held at the time.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::settings::{AssetInput, RiskSettings, Weighting, MIN_POINTS};
use crate::domain::calendar::days_before;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::panel::portfolio_returns;
use crate::domain::risk::returns::{
    align, historical_returns, relevant, Aligned, HeldOn, ReturnKind,
};

/// Why no report could be made. Serialized: the risk worker sends it to the page, which
/// shows [`RiskError::NoHistory`] and [`RiskError::NoAssets`] as steps still to take, not as
/// failures.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RiskError {
    /// No holding other than cash has a positive value: there is nothing to analyse.
    #[error("There is nothing to analyse yet: no holding other than cash has a value. Import a file or add holdings first.")]
    NoAssets,
    /// Holdings have a value but none has a stored daily series (a fresh profile before its
    /// history is loaded): the report would cover 0 % of the portfolio.
    #[error("No daily price history is stored for these holdings yet ({}): load a year of daily prices, or import a price CSV.", .missing.join(", "))]
    NoHistory {
        /// Labels of every asset without a series, in price-key order.
        missing: Vec<String>,
        /// Those of them that are coins (loading daily history can bring them in).
        missing_coins: Vec<String>,
    },
    /// Too few shared dates.
    #[error("Only {0} daily return(s) are shared by every asset in the window; at least {MIN_POINTS} are needed.")]
    TooShort(usize),
    /// Historical weights were asked for, but no snapshot falls in the window.
    #[error("Historical weights need snapshots: none was taken on or before {0}. The Dashboard saves one a day while the app is open, one per import, and on demand.")]
    NoSnapshots(NaiveDate),
    /// Historical weights leave too few returns.
    #[error("With historical weights, only {0} daily return(s) are covered by snapshots (from {1}); at least {MIN_POINTS} are needed. Use today's weights, or come back when more snapshots have accumulated.")]
    TooFewSnapshotReturns(usize, NaiveDate),
}

/// Today's assets that have a stored series (at least two closes), merged by price key, in
/// key order: the columns of the covariance and the weights of the forward-looking figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Covered<'a> {
    /// Their price keys.
    pub keys: Vec<&'a PriceKey>,
    /// Their series.
    pub series: Vec<&'a DailySeries>,
    /// Their labels (the first asset's of each key).
    pub labels: Vec<String>,
    /// Their groups.
    pub groups: Vec<String>,
    /// Today's weights: value shares among these assets (they sum to 1).
    pub weights: Vec<f64>,
    /// Their share of the value of every asset with a positive value.
    pub coverage: f64,
    /// Labels of the assets without a series.
    pub missing: Vec<String>,
    /// Those of them that are coins.
    pub missing_coins: Vec<String>,
    /// Every one of them is crypto (trades every day).
    pub all_crypto: bool,
}

impl<'a> Covered<'a> {
    /// The assets with a positive value, merged by key and split by whether `history` has
    /// their series. [`RiskError::NoAssets`] when there is none, [`RiskError::NoHistory`]
    /// when none has a series.
    pub fn of(
        assets: &'a [AssetInput],
        history: &'a BTreeMap<PriceKey, DailySeries>,
    ) -> Result<Covered<'a>, RiskError> {
        let mut by_key: BTreeMap<&PriceKey, (f64, &AssetInput)> = BTreeMap::new();
        for a in assets.iter().filter(|a| a.value > 0.0) {
            by_key.entry(&a.key).or_insert((0.0, a)).0 += a.value;
        }
        let total: f64 = by_key.values().map(|v| v.0).sum();
        if by_key.is_empty() {
            return Err(RiskError::NoAssets);
        }
        let mut with = Vec::new();
        let mut missing = Vec::new();
        let mut missing_coins = Vec::new();
        for (key, (value, asset)) in by_key {
            match history.get(key).filter(|s| s.points.len() > 1) {
                Some(s) => with.push((key, s, value, asset)),
                None => {
                    missing.push(asset.label.clone());
                    if asset.crypto {
                        missing_coins.push(asset.label.clone());
                    }
                }
            }
        }
        if with.is_empty() {
            return Err(RiskError::NoHistory {
                missing,
                missing_coins,
            });
        }
        let covered: f64 = with.iter().map(|(_, _, v, _)| v).sum();
        Ok(Covered {
            keys: with.iter().map(|(k, _, _, _)| *k).collect(),
            series: with.iter().map(|(_, s, _, _)| *s).collect(),
            labels: with.iter().map(|(_, _, _, a)| a.label.clone()).collect(),
            groups: with.iter().map(|(_, _, _, a)| a.group.clone()).collect(),
            weights: with.iter().map(|(_, _, v, _)| v / covered).collect(),
            coverage: if total > 0.0 { covered / total } else { 0.0 },
            missing,
            missing_coins,
            all_crypto: with.iter().all(|(_, _, _, a)| a.crypto),
        })
    }
}

/// The portfolio's returns over the window, on the dates every series shares.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioSeries {
    /// The start date of each return (the previous shared date).
    pub starts: Vec<NaiveDate>,
    /// The end date of each return.
    pub dates: Vec<NaiveDate>,
    /// Simple returns of today's assets ([`Covered`]'s columns), one row per return.
    pub assets: Vec<Vec<f64>>,
    /// The portfolio's simple returns.
    pub returns: Vec<f64>,
    /// How they were weighted, in words.
    pub weighting: String,
}

impl PortfolioSeries {
    /// The window ends on the last date every covered series reaches and starts
    /// `settings.window_days` before it. With [`Weighting::Historical`] it starts at the
    /// first snapshot, each return is weighted by the latest snapshot on or before its start
    /// (see [`historical_returns`]), and what the snapshots held beyond today's assets joins
    /// when its series is stored; returns whose snapshot holds nothing with a series are left
    /// out (and said).
    pub fn build(
        covered: &Covered<'_>,
        history: &BTreeMap<PriceKey, DailySeries>,
        held: &[HeldOn],
        settings: &RiskSettings,
    ) -> Result<PortfolioSeries, RiskError> {
        let last = covered
            .series
            .iter()
            .filter_map(|s| s.points.last().map(|p| p.0))
            .min()
            .unwrap_or_default();
        let from = days_before(last, settings.window_days);
        match settings.weighting {
            Weighting::Static => {
                let aligned = align(&covered.series, Some(from), Some(last), ReturnKind::Simple);
                if aligned.rows.len() < MIN_POINTS {
                    return Err(RiskError::TooShort(aligned.rows.len()));
                }
                Ok(PortfolioSeries {
                    returns: portfolio_returns(&aligned.rows, &covered.weights),
                    weighting: "Today's weights on every day of the window (static)".into(),
                    starts: aligned.starts,
                    dates: aligned.dates,
                    assets: aligned.rows,
                })
            }
            Weighting::Historical => historical(covered, history, held, from, last),
        }
    }

    /// The portfolio's returns in `kind`.
    pub fn returns_in(&self, kind: ReturnKind) -> Vec<f64> {
        self.returns.iter().map(|x| kind.of_simple(*x)).collect()
    }

    /// Today's assets' returns in `kind`.
    pub fn assets_in(&self, kind: ReturnKind) -> Vec<Vec<f64>> {
        self.assets
            .iter()
            .map(|r| r.iter().map(|x| kind.of_simple(*x)).collect())
            .collect()
    }
}

/// [`PortfolioSeries::build`] with the weights held at the time.
fn historical(
    covered: &Covered<'_>,
    history: &BTreeMap<PriceKey, DailySeries>,
    held: &[HeldOn],
    from: NaiveDate,
    last: NaiveDate,
) -> Result<PortfolioSeries, RiskError> {
    let used = relevant(held, from, last);
    let Some(first) = used.first() else {
        return Err(RiskError::NoSnapshots(last));
    };
    let from = from.max(first.date);
    let columns = covered.series.len();
    let mut all = covered.series.clone();
    let mut past_missing = Vec::new();
    let mut extra: Vec<&PriceKey> = used
        .iter()
        .flat_map(|h| h.values.keys())
        .filter(|k| !covered.keys.contains(k))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    for k in extra {
        match history.get(k).filter(|s| s.points.len() > 1) {
            Some(s) => all.push(s),
            None => past_missing.push(k.to_string()),
        }
    }
    let mut aligned: Aligned = align(&all, Some(from), Some(last), ReturnKind::Simple);
    let (returns, cover) = historical_returns(&aligned, used);
    let keep: Vec<bool> = returns.iter().map(Option::is_some).collect();
    let dropped = keep.iter().filter(|k| !**k).count();
    retain_by(&mut aligned.rows, &keep);
    retain_by(&mut aligned.starts, &keep);
    retain_by(&mut aligned.dates, &keep);
    if aligned.rows.len() < MIN_POINTS {
        return Err(RiskError::TooFewSnapshotReturns(aligned.rows.len(), from));
    }
    let mut text = format!(
        "Weights held at the time: each day uses the latest of {} snapshot(s) ({} to {}) taken on or before its start; {:.1} % or more of each snapshot's value has price history",
        used.len(),
        used[0].date,
        used[used.len() - 1].date,
        cover * 100.0
    );
    if !past_missing.is_empty() {
        text.push_str(&format!(
            " (no history for {}, once held)",
            past_missing.join(", ")
        ));
    }
    if dropped > 0 {
        text.push_str(&format!(
            "; {dropped} return(s) left out: their snapshot held nothing with history"
        ));
    }
    for row in &mut aligned.rows {
        row.truncate(columns);
    }
    Ok(PortfolioSeries {
        starts: aligned.starts,
        dates: aligned.dates,
        assets: aligned.rows,
        returns: returns.into_iter().flatten().collect(),
        weighting: text,
    })
}

/// Keeps the items whose flag in `keep` (same length) is true.
fn retain_by<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    v.retain(|_| flags.next().copied().unwrap_or(false));
}

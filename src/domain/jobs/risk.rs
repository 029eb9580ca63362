//! The risk report as a job for a Web Worker: what the Risk page assembles from the
//! portfolio, how it is packed for the trip (the closes as one `f64` array), what the worker
//! answers, and the run itself (pure, so it is tested natively).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::days_between;
use crate::domain::currency::Currency;
use crate::domain::dashboard::Snapshot;
use crate::domain::holding::AssetClass;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::report::{report, AssetInput, RiskError, RiskReport, RiskSettings};
use crate::domain::risk::returns::{held_on, HeldOn};
use crate::domain::valuation::Valuation;

/// What the risk worker is asked to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskJob {
    /// The portfolio.
    pub assets: Vec<AssetInput>,
    /// Daily series by price key.
    pub history: BTreeMap<PriceKey, DailySeries>,
    /// Settings.
    pub settings: RiskSettings,
    /// What the snapshots held, oldest first (used with historical weights).
    #[serde(default)]
    pub held: Vec<HeldOn>,
}

/// A [`RiskJob`] packed for the trip to the worker: the daily closes as one `f64` array (a
/// typed array the page hands over without copying or formatting), the rest as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PackedJob {
    /// JSON of [`PackedHeader`].
    pub header: String,
    /// Each series' closes on consecutive days from its first, NaN on days without one.
    pub closes: Vec<f64>,
}

/// Everything of a [`RiskJob`] but the closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedHeader {
    /// The portfolio.
    pub assets: Vec<AssetInput>,
    /// Snapshots.
    pub held: Vec<HeldOn>,
    /// Settings.
    pub settings: RiskSettings,
    /// The series, in the order of their closes.
    pub series: Vec<PackedSeries>,
}

/// Where one series lies in [`PackedJob::closes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedSeries {
    /// The asset.
    pub key: PriceKey,
    /// Currency of the closes.
    pub currency: Currency,
    /// Source label.
    pub source: String,
    /// Date of the first close.
    pub first_day: NaiveDate,
    /// Days covered (closes in the array).
    pub days: usize,
}

/// Why the worker could not read a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RiskJobError {
    /// The JSON (the whole job, or a packed job's header) is not a risk job.
    #[error("The risk job could not be read: {0}")]
    Unreadable(String),
    /// A packed job's closes end before its header's series do.
    #[error("The risk job's closes are shorter than its header says ({closes} closes, series {key} needs {needed}).")]
    ShortCloses {
        /// Closes received.
        closes: usize,
        /// The first series that does not fit.
        key: PriceKey,
        /// Closes needed up to the end of that series.
        needed: usize,
    },
}

impl RiskJob {
    /// The Risk page's job: each valued row that is not cash and is worth more than zero
    /// (a row without a value, a short or an empty one is left out) as an asset under its
    /// price key; what the snapshots held, each symbol under the key of today's holding of
    /// that symbol, else of a stored series with that ticker (`SOL` → `crypto:SOL`, once
    /// held and no longer); the stored series and the settings as they are.
    pub fn assemble(
        valuation: &Valuation,
        history: BTreeMap<PriceKey, DailySeries>,
        snapshots: &[Snapshot],
        settings: RiskSettings,
    ) -> RiskJob {
        let assets: Vec<AssetInput> = valuation
            .rows
            .iter()
            .filter(|x| x.holding().asset_class != AssetClass::Cash)
            .filter_map(|x| {
                let value = x.value.filter(|v| *v > 0.0 && v.is_finite())?;
                let h = x.holding();
                Some(AssetInput {
                    key: PriceKey::of(h),
                    label: h.symbol.clone(),
                    group: x.row.group.clone(),
                    value,
                    crypto: h.asset_class == AssetClass::Crypto,
                })
            })
            .collect();
        let mut key_of: BTreeMap<String, PriceKey> = history
            .keys()
            .map(|k| (k.symbol().to_string(), k.clone()))
            .collect();
        key_of.extend(assets.iter().map(|a| (a.label.clone(), a.key.clone())));
        RiskJob {
            held: held_on(snapshots, &key_of),
            assets,
            history,
            settings,
        }
    }

    /// The job's report ([`report`] on its parts).
    pub fn report(&self, progress: &mut dyn FnMut(f64)) -> Result<RiskReport, RiskError> {
        report(
            &self.assets,
            &self.history,
            &self.held,
            &self.settings,
            progress,
        )
    }

    /// The job packed for the worker; `None` when its header cannot be written as JSON.
    pub fn pack(&self) -> Option<PackedJob> {
        let mut closes = Vec::new();
        let mut series = Vec::with_capacity(self.history.len());
        for s in self.history.values() {
            let (Some(&(first, _)), Some(&(last, _))) = (s.points.first(), s.points.last()) else {
                continue;
            };
            let start = closes.len();
            let span = usize::try_from(days_between(first, last) + 1).ok()?;
            closes.resize(start + span, f64::NAN);
            for (day, close) in &s.points {
                closes[start + usize::try_from(days_between(first, *day)).ok()?] = *close;
            }
            series.push(PackedSeries {
                key: s.key.clone(),
                currency: s.currency,
                source: s.source.clone(),
                first_day: first,
                days: span,
            });
        }
        let header = PackedHeader {
            assets: self.assets.clone(),
            held: self.held.clone(),
            settings: self.settings.clone(),
            series,
        };
        Some(PackedJob {
            header: serde_json::to_string(&header).ok()?,
            closes,
        })
    }

    /// The job back from [`RiskJob::pack`]'s parts (days without a close are left out).
    pub fn unpack(header: &str, closes: &[f64]) -> Result<RiskJob, RiskJobError> {
        let h: PackedHeader =
            serde_json::from_str(header).map_err(|e| RiskJobError::Unreadable(e.to_string()))?;
        let mut history = BTreeMap::new();
        let mut at = 0;
        for s in h.series {
            let values = closes
                .get(at..at + s.days)
                .ok_or_else(|| RiskJobError::ShortCloses {
                    closes: closes.len(),
                    key: s.key.clone(),
                    needed: at + s.days,
                })?;
            at += s.days;
            let points = s
                .first_day
                .iter_days()
                .zip(values)
                .filter(|(_, v)| !v.is_nan())
                .map(|(day, v)| (day, *v))
                .collect();
            history.insert(
                s.key.clone(),
                DailySeries {
                    key: s.key,
                    currency: s.currency,
                    points,
                    source: s.source,
                },
            );
        }
        Ok(RiskJob {
            assets: h.assets,
            history,
            held: h.held,
            settings: h.settings,
        })
    }
}

/// A message from the risk worker (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerMessage {
    /// The worker is ready for a job.
    Ready,
    /// Share done, 0–1.
    Progress(f64),
    /// The report.
    Done(Box<RiskReport>),
    /// Why the portfolio has no report yet, typed (no history, too few returns…): the page
    /// tells a step still to take from a failure by its kind.
    Refused(RiskError),
    /// Why the job could not be run (it could not be read).
    Failed(String),
}

/// Runs a job given as JSON and returns the final message as JSON; `progress` receives
/// progress messages as JSON. This is the whole of the worker's work, testable natively.
pub fn run_job(job_json: &str, progress: &mut dyn FnMut(String)) -> String {
    run(
        serde_json::from_str::<RiskJob>(job_json)
            .map_err(|e| RiskJobError::Unreadable(e.to_string())),
        progress,
    )
}

/// [`run_job`] for a packed job ([`RiskJob::pack`]).
pub fn run_packed_job(header: &str, closes: &[f64], progress: &mut dyn FnMut(String)) -> String {
    run(RiskJob::unpack(header, closes), progress)
}

fn run(job: Result<RiskJob, RiskJobError>, progress: &mut dyn FnMut(String)) -> String {
    let message = match job {
        Err(e) => WorkerMessage::Failed(e.to_string()),
        Ok(job) => match job.report(&mut |p| {
            progress(serde_json::to_string(&WorkerMessage::Progress(p)).unwrap_or_default())
        }) {
            Ok(r) => WorkerMessage::Done(Box::new(r)),
            Err(e) => WorkerMessage::Refused(e),
        },
    };
    serde_json::to_string(&message).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{is_weekend, Timestamp};
    use crate::domain::dashboard::{SnapshotHolding, SnapshotReason};
    use crate::domain::holding::{Holding, SourceKind};
    use crate::domain::portfolio::PortfolioRow;
    use crate::domain::risk::report::sample::{assets, d, history, k};
    use crate::domain::taxonomy::GroupOrigin;
    use crate::domain::valuation::ValuedRow;

    fn held(date: &str, values: &[(&str, f64)]) -> HeldOn {
        HeldOn {
            date: d(date),
            values: values.iter().map(|(key, v)| (k(key), *v)).collect(),
        }
    }

    #[test]
    fn the_worker_job_round_trips_through_json() {
        let job = RiskJob {
            assets: assets(),
            history: history(),
            held: Vec::new(),
            settings: RiskSettings::default(),
        };
        let mut steps = 0;
        let out = run_job(&serde_json::to_string(&job).unwrap(), &mut |_| steps += 1);
        // The same report as on the job the worker read (JSON may move a float by an ulp).
        let read: RiskJob = serde_json::from_str(&serde_json::to_string(&job).unwrap()).unwrap();
        let expected = read.report(&mut |_| {}).unwrap();
        assert_eq!(
            out,
            serde_json::to_string(&WorkerMessage::Done(Box::new(expected))).unwrap()
        );
        assert!(matches!(
            serde_json::from_str::<WorkerMessage>(&out).unwrap(),
            WorkerMessage::Done(_)
        ));
        assert!(steps > 5);
        let bad = run_job("{not json", &mut |_| {});
        assert!(matches!(
            serde_json::from_str::<WorkerMessage>(&bad).unwrap(),
            WorkerMessage::Failed(_)
        ));
    }

    #[test]
    fn the_worker_answers_a_portfolio_without_history_with_the_typed_refusal() {
        let job = RiskJob {
            assets: assets(),
            history: BTreeMap::new(),
            held: Vec::new(),
            settings: RiskSettings::default(),
        };
        let packed = job.pack().unwrap();
        let out = run_packed_job(&packed.header, &packed.closes, &mut |_| {});
        // Typed, through JSON: the page tells "no history yet" from a failure by its kind.
        assert_eq!(
            serde_json::from_str::<WorkerMessage>(&out).unwrap(),
            WorkerMessage::Refused(RiskError::NoHistory {
                missing: vec!["BTC".into(), "ETH".into(), "NOPE".into()],
                missing_coins: vec!["BTC".into(), "ETH".into(), "NOPE".into()],
            })
        );
        let short = RiskJob {
            history: history(),
            settings: RiskSettings {
                window_days: 10,
                ..RiskSettings::default()
            },
            ..job
        };
        let out = run_job(&serde_json::to_string(&short).unwrap(), &mut |_| {});
        assert_eq!(
            serde_json::from_str::<WorkerMessage>(&out).unwrap(),
            WorkerMessage::Refused(RiskError::TooShort(10))
        );
    }

    #[test]
    fn a_packed_job_unpacks_to_the_same_job_and_report() {
        let mut h = history();
        // A stock: weekdays only (gaps in the packed days).
        let mut stock = h[&k("crypto:ETH")].clone();
        stock.key = k("listed:AAPL");
        stock.points.retain(|(day, _)| !is_weekend(*day));
        h.insert(k("listed:AAPL"), stock);
        let job = RiskJob {
            assets: assets(),
            history: h,
            held: vec![held("2026-10-01", &[("crypto:BTC", 1.0)])],
            settings: RiskSettings::default(),
        };
        let packed = job.pack().unwrap();
        assert_eq!(
            RiskJob::unpack(&packed.header, &packed.closes).unwrap(),
            job
        );
        // Closes travel exactly (no decimal formatting): the very report of the job.
        let direct = job.report(&mut |_| {}).unwrap();
        assert_eq!(
            run_packed_job(&packed.header, &packed.closes, &mut |_| {}),
            serde_json::to_string(&WorkerMessage::Done(Box::new(direct))).unwrap()
        );
        assert!(RiskJob::unpack(&packed.header, &packed.closes[1..]).is_err());
    }

    fn row(symbol: &str, class: AssetClass, venue: Option<&str>, value: Option<f64>) -> ValuedRow {
        let mut holding = Holding::new(symbol, class, 1.0, Currency::EUR, "Kraken");
        holding.venue = venue.map(str::to_string);
        ValuedRow {
            row: PortfolioRow {
                holding,
                source: SourceKind::Crypto,
                group: format!("{symbol} group"),
                group_origin: GroupOrigin::Builtin,
                suggestion: None,
                as_of: None,
            },
            value,
            price: None,
            origin: None,
            at: None,
            stale: false,
            deviation_pct: None,
            change_24h_pct: None,
            file_kept_until: None,
        }
    }

    fn snapshot(day: &str, holdings: &[(&str, f64)]) -> Snapshot {
        Snapshot {
            id: day.into(),
            profile_id: "p".into(),
            at: Timestamp::start_of(d(day)).plus_millis(12 * 3_600_000),
            reason: SnapshotReason::OnDemand,
            base: Currency::EUR,
            total: 0.0,
            by_group: BTreeMap::new(),
            by_class: BTreeMap::new(),
            holdings: holdings
                .iter()
                .map(|(symbol, value)| SnapshotHolding {
                    symbol: symbol.to_string(),
                    location: "Kraken".into(),
                    quantity: 1.0,
                    value: Some(*value),
                    price: None,
                    origin: "test".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_job_takes_valued_holdings_and_maps_past_holdings_to_stored_series() {
        let mut valuation = Valuation::empty(Currency::EUR);
        valuation.rows = vec![
            row("BTC", AssetClass::Crypto, None, Some(600.0)),
            row("EUR", AssetClass::Cash, None, Some(1000.0)),
            row("ETH", AssetClass::Crypto, None, None),
            row("DOGE", AssetClass::Crypto, None, Some(0.0)),
            row("TSLA", AssetClass::Stock, Some("XNAS"), Some(-50.0)),
            row("AAPL", AssetClass::Stock, Some("XNAS"), Some(300.0)),
        ];
        let mut h = history();
        let mut sol = h[&k("crypto:ETH")].clone();
        sol.key = k("crypto:SOL");
        h.insert(k("crypto:SOL"), sol);
        let settings = RiskSettings {
            window_days: 90,
            ..RiskSettings::default()
        };
        let snapshots = [
            // SOL is no longer held: its stored series gives its key. Cash has no key.
            snapshot(
                "2026-10-01",
                &[("SOL", 100.0), ("BTC", 50.0), ("EUR", 900.0)],
            ),
            // AAPL maps to today's holding's key, with its venue.
            snapshot("2026-11-01", &[("AAPL", 30.0), ("BTC", 20.0), ("BTC", 5.0)]),
        ];
        let job = RiskJob::assemble(&valuation, h.clone(), &snapshots, settings.clone());
        // Cash, a row without a value, an empty one and a short one are left out.
        assert_eq!(
            job.assets,
            vec![
                AssetInput {
                    key: k("crypto:BTC"),
                    label: "BTC".into(),
                    group: "BTC group".into(),
                    value: 600.0,
                    crypto: true,
                },
                AssetInput {
                    key: k("listed:AAPL@XNAS"),
                    label: "AAPL".into(),
                    group: "AAPL group".into(),
                    value: 300.0,
                    crypto: false,
                },
            ]
        );
        assert_eq!(
            job.held,
            vec![
                held("2026-10-01", &[("crypto:SOL", 100.0), ("crypto:BTC", 50.0)]),
                held(
                    "2026-11-01",
                    &[("listed:AAPL@XNAS", 30.0), ("crypto:BTC", 25.0)]
                ),
            ]
        );
        assert_eq!(job.history, h);
        assert_eq!(job.settings, settings);
    }
}

//! The report end to end, on the sample portfolio.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::sample::{assets, d, history, k};
use super::*;
use crate::domain::prices::history::DailySeries;
use crate::domain::risk::metrics::*;
use crate::domain::risk::panel::portfolio_returns;
use crate::domain::risk::returns::{align, ReturnKind};

#[test]
fn report_uses_the_metric_functions_on_the_weighted_returns() {
    let h = history();
    let mut seen = Vec::new();
    let r = report(&assets(), &h, &[], &RiskSettings::default(), &mut |p| {
        seen.push(p)
    })
    .unwrap();
    assert_eq!(r.points, 365, "a 365-day window gives 365 daily returns");
    assert_eq!(r.annualisation, 365.0);
    assert_eq!(r.missing, vec!["NOPE"]);
    assert!((r.coverage - 10.0 / 11.0).abs() < 1e-12);
    assert_eq!(
        r.weights,
        vec![("BTC".to_string(), 0.6), ("ETH".to_string(), 0.4)]
    );
    // The report's Sharpe is sharpe_ratio of 0.6·BTC + 0.4·ETH on the same dates.
    let a = align(
        &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
        None,
        None,
        ReturnKind::Simple,
    );
    let port = portfolio_returns(&a.rows, &[0.6, 0.4]);
    let sharpe = r
        .metrics
        .iter()
        .find(|m| m.name == "Sharpe ratio")
        .unwrap()
        .value
        .unwrap();
    assert!(
        (sharpe - sharpe_ratio(&port[port.len() - 365..], &Rate::Constant(0.0), 365.0)).abs()
            < 1e-9
    );
    // BTC is the benchmark and 60 % of the portfolio: beta is defined and positive.
    assert!(
        r.metrics
            .iter()
            .find(|m| m.name == "Beta")
            .unwrap()
            .value
            .unwrap()
            > 0.0
    );
    // Every method, both confidences, 1 day and the horizon; VaR 99 beyond VaR 95.
    assert_eq!(r.var.len(), 16);
    for m in ["Historical", "Parametric", "Monte Carlo"] {
        let pick = |c: f64| {
            r.var
                .iter()
                .find(|v| v.method.starts_with(m) && v.confidence == c && v.horizon == 1)
                .unwrap()
                .var
                .unwrap()
        };
        assert!(pick(0.99) <= pick(0.95), "{m}");
    }
    assert!(seen.last() == Some(&1.0) && seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(r.stress.len(), 6);
    assert!(r.risk_score.as_ref().unwrap().value.is_finite());
    let csv = report_csv(&r);
    assert!(csv.starts_with("section,name,value,unit,method\n"));
    assert!(csv.contains("metric,Sharpe ratio,"));
}

fn metric_value(r: &RiskReport, name: &str) -> f64 {
    r.metrics
        .iter()
        .find(|m| m.name == name)
        .unwrap()
        .value
        .unwrap()
}

fn held(date: &str, values: &[(&str, f64)]) -> HeldOn {
    HeldOn {
        date: d(date),
        values: values.iter().map(|(key, v)| (k(key), *v)).collect(),
    }
}

#[test]
fn historical_weights_follow_the_snapshots() {
    let mut h = history();
    // SOL was held in October, and is no longer.
    let mut sol = h[&k("crypto:ETH")].clone();
    sol.key = k("crypto:SOL");
    for (i, p) in sol.points.iter_mut().enumerate() {
        p.1 *= 1.0 + 0.01 * (i % 7) as f64;
    }
    h.insert(k("crypto:SOL"), sol);
    let snaps = [
        // Before the window: it holds on its first day, but nothing it held has history.
        held("2025-06-01", &[("crypto:OLD", 1.0)]),
        held("2026-09-01", &[("crypto:BTC", 100.0)]),
        held("2026-10-01", &[("crypto:BTC", 50.0), ("crypto:SOL", 50.0)]),
        // NOPE has no history: the other 80 % are renormalised.
        held(
            "2026-10-15",
            &[
                ("crypto:ETH", 30.0),
                ("crypto:BTC", 10.0),
                ("crypto:NOPE", 10.0),
            ],
        ),
    ];
    let settings = RiskSettings {
        weighting: Weighting::Historical,
        ..RiskSettings::default()
    };
    let r = report(&assets(), &h, &snaps, &settings, &mut |_| {}).unwrap();
    // Worked out by hand: the returns up to 2026-09-01 are left out (OLD has no history),
    // then each snapshot holds from its date.
    let close = |key: &str, day: NaiveDate| {
        h[&k(key)]
            .points
            .iter()
            .find(|p| p.0 == day)
            .map(|p| p.1)
            .unwrap()
    };
    let dates: Vec<NaiveDate> = h[&k("crypto:BTC")]
        .points
        .iter()
        .map(|p| p.0)
        .filter(|day| *day >= d("2026-09-01"))
        .collect();
    let expected: Vec<f64> = dates
        .windows(2)
        .map(|pair| {
            let ret = |k: &str| close(k, pair[1]) / close(k, pair[0]) - 1.0;
            if pair[0] < d("2026-10-01") {
                ret("crypto:BTC")
            } else if pair[0] < d("2026-10-15") {
                0.5 * ret("crypto:BTC") + 0.5 * ret("crypto:SOL")
            } else {
                0.75 * ret("crypto:ETH") + 0.25 * ret("crypto:BTC")
            }
        })
        .collect();
    assert_eq!(r.from, d("2026-09-02"));
    assert_eq!(r.points, expected.len());
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    assert!(near(
        metric_value(&r, "Cumulative return"),
        cum_returns_final(&expected)
    ));
    assert!(near(
        metric_value(&r, "Annual volatility"),
        annual_volatility(&expected, 365.0)
    ));
    assert!(
        r.weighting
            .contains("4 snapshot(s) (2025-06-01 to 2026-10-15)")
            && r.weighting.contains("285 return(s) left out")
            && r.weighting.contains("80.0 %")
            && r.weighting.contains("crypto:NOPE"),
        "{}",
        r.weighting
    );
    // Today's weights still drive the forward-looking figures.
    assert_eq!(r.weights.len(), 2);
    assert_eq!(r.correlation.len(), 2);

    // No snapshot in the window, or too few returns after the first: said, not computed.
    assert_eq!(
        report(&assets(), &h, &[], &settings, &mut |_| {}),
        Err(RiskError::NoSnapshots(d("2026-11-20")))
    );
    assert_eq!(
        report(
            &assets(),
            &h,
            &[held("2026-11-10", &[("crypto:BTC", 1.0)])],
            &settings,
            &mut |_| {}
        ),
        Err(RiskError::TooFewSnapshotReturns(10, d("2026-11-10")))
    );
}

#[test]
fn log_returns_change_the_distribution_metrics_not_the_path() {
    let h = history();
    let simple = report(&assets(), &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
    let log = report(
        &assets(),
        &h,
        &[],
        &RiskSettings {
            returns: ReturnKind::Log,
            ..RiskSettings::default()
        },
        &mut |_| {},
    )
    .unwrap();
    let a = align(
        &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
        Some(d("2025-11-20")),
        None,
        ReturnKind::Simple,
    );
    let port = portfolio_returns(&a.rows, &[0.6, 0.4]);
    let logs: Vec<f64> = port.iter().map(|x| x.ln_1p()).collect();
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    assert!(near(
        metric_value(&log, "Annual volatility"),
        annual_volatility(&logs, 365.0)
    ));
    assert!(near(
        metric_value(&simple, "Annual volatility"),
        annual_volatility(&port, 365.0)
    ));
    for path in ["Cumulative return", "Max drawdown", "Annual return (CAGR)"] {
        assert_eq!(
            metric_value(&log, path),
            metric_value(&simple, path),
            "{path}"
        );
    }
    let hist95 = log
        .var
        .iter()
        .find(|v| v.method.starts_with("Historical") && v.confidence == 0.95 && v.horizon == 1)
        .unwrap();
    assert!(hist95.method.ends_with("log returns"));
    assert!(near(hist95.var.unwrap(), value_at_risk(&logs, 0.05)));
}

#[test]
fn too_little_history_is_said_not_computed() {
    let h = history();
    let short = RiskSettings {
        window_days: 10,
        ..RiskSettings::default()
    };
    assert_eq!(
        report(&assets(), &h, &[], &short, &mut |_| {}),
        Err(RiskError::TooShort(10))
    );
}

#[test]
fn without_any_history_the_report_names_what_lacks_it_and_which_are_coins() {
    let mut held = assets();
    held.push(AssetInput {
        key: k("listed:AAPL@XNAS"),
        label: "AAPL".into(),
        group: "Stocks · USD".into(),
        value: 500.0,
        crypto: false,
    });
    // Every asset without a series, in price-key order (crypto:… before listed:…); the
    // coins among them apart: loading daily history can bring those in, not AAPL.
    let err = report(
        &held,
        &BTreeMap::new(),
        &[],
        &RiskSettings::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        err,
        RiskError::NoHistory {
            missing: vec!["BTC".into(), "ETH".into(), "NOPE".into(), "AAPL".into()],
            missing_coins: vec!["BTC".into(), "ETH".into(), "NOPE".into()],
        }
    );
    assert_eq!(
        err.to_string(),
        "No daily price history is stored for these holdings yet (BTC, ETH, NOPE, AAPL): load a year of daily prices, or import a price CSV."
    );
    // With history for some, the report names the rest the same way.
    let r = report(
        &held,
        &history(),
        &[],
        &RiskSettings::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(r.missing, vec!["NOPE", "AAPL"]);
    assert_eq!(r.missing_coins, vec!["NOPE"]);
}

#[test]
fn with_nothing_but_cash_or_empty_rows_there_is_nothing_to_analyse() {
    let mut nothing = assets();
    for a in &mut nothing {
        a.value = 0.0;
    }
    for held in [Vec::new(), nothing] {
        assert_eq!(
            report(
                &held,
                &history(),
                &[],
                &RiskSettings::default(),
                &mut |_| {}
            ),
            Err(RiskError::NoAssets)
        );
    }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// The sample's portfolio returns over the report's default window (365 days to 2026-11-20),
/// with their end dates and BTC's returns.
fn sample_port(
    h: &BTreeMap<crate::domain::price_key::PriceKey, DailySeries>,
) -> (Vec<NaiveDate>, Vec<f64>, Vec<f64>) {
    let a = align(
        &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
        Some(d("2025-11-20")),
        None,
        ReturnKind::Simple,
    );
    let port = portfolio_returns(&a.rows, &[0.6, 0.4]);
    let btc = a.rows.iter().map(|r| r[0]).collect();
    (a.dates, port, btc)
}

#[test]
fn the_horizon_historical_var_compounds_the_daily_returns() {
    let h = history();
    let r = report(&assets(), &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
    let (_, port, _) = sample_port(&h);
    // Every run of 10 days, compounded by hand; adding them up is another (wrong) figure.
    let compounded: Vec<f64> = port
        .windows(10)
        .map(|w| w.iter().map(|x| 1.0 + x).product::<f64>() - 1.0)
        .collect();
    let added: Vec<f64> = port.windows(10).map(|w| w.iter().sum()).collect();
    for c in [0.95, 0.99] {
        let v = r
            .var
            .iter()
            .find(|v| v.model == VarModel::Historical && v.confidence == c && v.horizon == 10)
            .unwrap();
        assert!(near(v.var.unwrap(), value_at_risk(&compounded, 1.0 - c)));
        assert!(near(
            v.cvar.unwrap(),
            conditional_value_at_risk(&compounded, 1.0 - c)
        ));
        assert!((v.var.unwrap() - value_at_risk(&added, 1.0 - c)).abs() > 1e-3);
        assert!(
            v.method.contains("compounded, ∏(1 + r) − 1"),
            "{}",
            v.method
        );
    }
}

#[test]
fn the_two_diversification_figures_have_their_own_names() {
    // 90 % BTC, 10 % ETH: SmartFolio's index is √(0.82 / (0.82 + 0.18ρ)) ≥ 0.9, above the
    // 0.8 that earns the risk score 5 points, so a step quotes it.
    let mut portfolio = assets();
    portfolio[0].value = 9000.0;
    portfolio[1].value = 1000.0;
    let h = history();
    let r = report(&portfolio, &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
    let a = align(
        &[&h[&k("crypto:BTC")], &h[&k("crypto:ETH")]],
        Some(d("2025-11-20")),
        None,
        ReturnKind::Simple,
    );
    let w = [0.9, 0.1];
    let cov = crate::domain::risk::panel::covariance(&a.rows, 1);
    let corr = crate::domain::risk::panel::correlation(&cov);
    assert!(r.metric("Diversification ratio").is_none());
    let choueifaty = r.metric("Diversification ratio (Choueifaty)").unwrap();
    let expected = crate::domain::risk::panel::diversification_ratio(&cov, &w);
    assert!(near(choueifaty.value.unwrap(), expected) && expected > 1.0);
    let smartfolio = r.metric("SmartFolio diversification index").unwrap();
    let expected = crate::domain::risk::scores::smartfolio_diversification(&corr, &w);
    assert!(near(smartfolio.value.unwrap(), expected) && expected < 1.0);
    // The risk score reads SmartFolio's index, and says so with the table's value.
    let steps = &r.risk_score.as_ref().unwrap().steps;
    let quoted = format!(
        "SmartFolio diversification index {} (above 0.8)",
        smartfolio.shown()
    );
    assert!(steps.contains(&(quoted, 5.0)), "{steps:?}");
    assert!(!steps
        .iter()
        .any(|(s, _)| s.to_lowercase().starts_with("diversification ratio")));
}

#[test]
fn every_figure_a_score_step_quotes_is_the_one_in_the_tables() {
    // BTC in two places (one asset), ETH, and a memecoin without history. Over the whole
    // portfolio (11,000): weights 6/11, 4/11, 1/11, so HHI = (36 + 16 + 1)/121 = 53/121
    // = 0.438, effective assets 121/53, memecoins 1/11, GRI (2·6 + 3·4 + 9·1)/11 = 3.
    let mut portfolio = assets();
    portfolio[0].value = 3000.0;
    portfolio.insert(1, portfolio[0].clone());
    portfolio[3].group = "Memecoins".into();
    let r = report(
        &portfolio,
        &history(),
        &[],
        &RiskSettings::default(),
        &mut |_| {},
    )
    .unwrap();
    let value = |name: &str| r.metric(name).unwrap().value.unwrap();
    assert!(near(value("HHI"), 53.0 / 121.0));
    assert!(near(value("Effective number of assets"), 121.0 / 53.0));
    assert!(near(value("Memecoin share"), 1.0 / 11.0));
    assert!(near(value("Group risk index (GRI)"), 3.0));
    let hist95 = r
        .var
        .iter()
        .find(|v| v.model == VarModel::Historical && v.confidence == 0.95 && v.horizon == 1)
        .unwrap();
    let mut quotes: Vec<String> = r
        .metrics
        .iter()
        .map(|m| format!("{} {} (", m.name, m.shown()))
        .collect();
    quotes.push(format!(
        "Historical VaR 95 % (1 day) {} (",
        Unit::Fraction.show(hist95.var)
    ));
    let risk = r.risk_score.as_ref().unwrap();
    for (step, _) in risk.steps.iter().chain(&r.structural.steps) {
        assert!(
            quotes.iter().any(|q| step.starts_with(q.as_str())),
            "{step} quotes no figure of the tables"
        );
    }
    // HHI 0.438: −12 in the risk score, −(0.438 − 0.25)·100 in the structural one.
    assert!(risk
        .steps
        .contains(&("HHI 0.438 (above 0.40)".to_string(), -12.0)));
    assert!(r
        .structural
        .steps
        .iter()
        .any(|(s, p)| s == "HHI 0.438 (above 0.25, × 100)"
            && near(*p, -(53.0 / 121.0 - 0.25) * 100.0)));
    let csv = report_csv(&r);
    assert!(
        csv.contains("score step,HHI 0.438 (above 0.40),-12,points,Risk score (SmartFolio)"),
        "{csv}"
    );
}

#[test]
fn a_benchmark_without_history_is_said_and_a_weekday_one_keeps_the_portfolio_dates() {
    let mut h = history();
    let missing = RiskSettings {
        benchmark: k("crypto:XYZ"),
        ..RiskSettings::default()
    };
    let r = report(&assets(), &h, &[], &missing, &mut |_| {}).unwrap();
    assert_eq!(r.notices.len(), 1);
    assert!(
        r.notices[0].starts_with("No daily history is stored for the benchmark XYZ (crypto:XYZ)"),
        "{:?}",
        r.notices
    );
    assert_eq!(r.metric("Beta").unwrap().value, None);
    assert!(report_csv(&r).contains("notice,,,,\"No daily history"));

    // An index fund on weekdays only (ETH's closes on weekdays).
    let mut fund = h[&k("crypto:ETH")].clone();
    fund.key = k("listed:IWDA@XAMS");
    fund.points
        .retain(|(day, _)| !crate::domain::calendar::is_weekend(*day));
    h.insert(fund.key.clone(), fund.clone());
    let btc = report(&assets(), &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
    let against_fund = RiskSettings {
        benchmark: fund.key.clone(),
        ..RiskSettings::default()
    };
    let r = report(&assets(), &h, &[], &against_fund, &mut |_| {}).unwrap();
    // The portfolio keeps its 365 daily returns and its figures.
    assert_eq!(r.points, 365);
    assert_eq!(
        r.metric("Annual volatility"),
        btc.metric("Annual volatility")
    );
    assert!(r.notices.is_empty());
    // Beta on the weekday-to-weekday returns, by wealth ratios over the portfolio's dates.
    let (dates, port, _) = sample_port(&h);
    let mut wealth = vec![(d("2025-11-20"), 1.0)];
    for (day, x) in dates.iter().zip(&port) {
        let w = wealth[wealth.len() - 1].1 * (1.0 + x);
        wealth.push((*day, w));
    }
    let weekdays: Vec<(NaiveDate, f64)> = wealth
        .into_iter()
        .filter(|(day, _)| !crate::domain::calendar::is_weekend(*day))
        .collect();
    let close = |day: NaiveDate| fund.points.iter().find(|p| p.0 == day).unwrap().1;
    let (mut rp, mut rb) = (Vec::new(), Vec::new());
    for pair in weekdays.windows(2) {
        rp.push(pair[1].1 / pair[0].1 - 1.0);
        rb.push(close(pair[1].0) / close(pair[0].0) - 1.0);
    }
    let (alpha, beta) = alpha_beta(&rp, &rb, 0.0, 365.0);
    let got = |name: &str| r.metric(name).unwrap().value.unwrap();
    assert!(
        (got("Beta") - beta).abs() < 1e-9,
        "{} vs {beta}",
        got("Beta")
    );
    assert!((got("Alpha (annual)") - alpha).abs() < 1e-9);
    assert!(r
        .metric("Beta")
        .unwrap()
        .method
        .contains(&format!("on the {} periods shared with it", rp.len())));
}

#[test]
fn capture_ratios_and_up_and_down_beta_are_reported() {
    let h = history();
    let r = report(&assets(), &h, &[], &RiskSettings::default(), &mut |_| {}).unwrap();
    let (dates, port, btc) = sample_port(&h);
    let got = |name: &str| r.metric(name).unwrap().value.unwrap();
    assert!(near(
        got("Up beta"),
        up_alpha_beta(&port, &btc, 0.0, 365.0).1
    ));
    assert!(near(
        got("Down beta"),
        down_alpha_beta(&port, &btc, 0.0, 365.0).1
    ));
    assert!(near(got("Capture ratio"), capture(&port, &btc, 365.0)));
    // Up and down capture on calendar months, compounded here by hand.
    let mut months: BTreeMap<(i32, u32), (f64, f64)> = BTreeMap::new();
    for ((day, p), b) in dates.iter().zip(&port).zip(&btc) {
        use chrono::Datelike;
        let m = months
            .entry((day.year(), day.month()))
            .or_insert((1.0, 1.0));
        m.0 *= 1.0 + p;
        m.1 *= 1.0 + b;
    }
    assert_eq!(
        months.len(),
        13,
        "21 Nov 2025 to 20 Nov 2026: 13 calendar months"
    );
    let rm: Vec<f64> = months.values().map(|m| m.0 - 1.0).collect();
    let bm: Vec<f64> = months.values().map(|m| m.1 - 1.0).collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert!(close(got("Up capture"), up_capture(&rm, &bm, 12.0)));
    assert!(close(got("Down capture"), down_capture(&rm, &bm, 12.0)));
    assert!(close(
        got("Up/down capture"),
        up_down_capture(&rm, &bm, 12.0)
    ));
    assert!(r
        .metric("Up capture")
        .unwrap()
        .method
        .contains("on 13 monthly returns"));
    // Up and down alpha are not shown (see the benchmark step).
    assert!(r.metric("Up alpha (annual)").is_none());
    let csv = report_csv(&r);
    for name in [
        "Up beta",
        "Down beta",
        "Capture ratio",
        "Up capture",
        "Down capture",
        "Up/down capture",
    ] {
        assert!(csv.contains(&format!("metric,{name},")), "{name}");
    }
}

#[test]
fn a_report_is_partial_below_the_coverage_the_user_asks_for() {
    let h = history();
    // NOPE has no series: 10 of the 11 units of value are covered (90.9 %).
    let with = |min_coverage: f64| {
        let settings = RiskSettings {
            min_coverage,
            ..RiskSettings::default()
        };
        report(&assets(), &h, &[], &settings, &mut |_| {}).unwrap()
    };
    assert!(!with(0.8).partial(), "90.9 % is above the default 80 %");
    assert!(with(0.95).partial(), "90.9 % is below 95 %");
    assert!(
        !with(10.0 / 11.0).partial(),
        "exactly the threshold is enough"
    );
    // Settings stored before the threshold existed read back the default.
    let mut stored = serde_json::to_value(RiskSettings::default()).unwrap();
    stored.as_object_mut().unwrap().remove("min_coverage");
    let read: RiskSettings = serde_json::from_value(stored).unwrap();
    assert_eq!(read.min_coverage, 0.8);
}

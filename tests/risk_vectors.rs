//! The risk metrics against empyrical: the 58 expected values of empyrical-reloaded's own
//! test suite and the outputs recorded on fixed series (`../shared/vectors/`, beside the
//! repository; in a clone without them each test says it was skipped and why).

use std::collections::BTreeMap;

mod common;

use common::{num, vectors};
use folio::domain::risk::metrics::*;

/// The 9-day series of empyrical's conftest, by name.
fn series() -> Option<BTreeMap<String, Vec<f64>>> {
    let inputs = vectors("inputs.json")?;
    let mut out: BTreeMap<String, Vec<f64>> = inputs["series"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_array().unwrap().iter().map(num).collect()))
        .collect();
    // empyrical's conftest: weekly and monthly returns are the mixed returns with 0 for the
    // missing first period; one_return is a single 1 % period.
    let weekly: Vec<f64> = out["mixed_returns"]
        .iter()
        .map(|x| if x.is_nan() { 0.0 } else { *x })
        .collect();
    out.insert("weekly_returns".into(), weekly.clone());
    out.insert("monthly_returns".into(), weekly);
    out.insert("one_return".into(), vec![0.01]);
    Some(out)
}

/// Equal to 1e-8 relative (1e-12 absolute near zero), or both NaN, or the same infinity.
fn close(got: f64, want: f64, what: &str) {
    let ok = (got.is_nan() && want.is_nan())
        || (got.is_infinite() && got == want)
        || (got - want).abs() <= 1e-8 * want.abs().max(1e-4);
    assert!(ok, "{what}: got {got}, expected {want}");
}

#[test]
fn matches_empyricals_own_test_suite() {
    let (Some(suite), Some(s)) = (vectors("empyrical_test_suite_expected.json"), series()) else {
        return;
    };
    let r = |k: &str| s[k].clone();
    let tail = |k: &str| s[k][1..].to_vec();
    let c = Rate::Constant;
    let cases = suite["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 58);
    for case in cases {
        let call = case["call"].as_str().unwrap();
        let want = num(&case["expected"]);
        let decimals = case["decimals"].as_i64().unwrap_or(8) as i32;
        let got = match call {
            "max_drawdown(one_return)" => max_drawdown(&r("one_return")),
            "max_drawdown(simple_benchmark)" => max_drawdown(&r("simple_benchmark")),
            "max_drawdown(mixed_returns)" => max_drawdown(&r("mixed_returns")),
            "max_drawdown(positive_returns)" => max_drawdown(&r("positive_returns")),
            "max_drawdown(negative_returns)" => max_drawdown(&r("negative_returns")),
            "max_drawdown(all_negative_returns)" => max_drawdown(&r("all_negative_returns")),
            "max_drawdown(udu_returns)" => max_drawdown(&r("udu_returns")),
            "annual_return(mixed_returns, period='daily')" => {
                annual_return(&r("mixed_returns"), TRADING_DAYS)
            }
            "annual_return(weekly_returns, period='weekly')" => {
                annual_return(&r("weekly_returns"), WEEKS)
            }
            "annual_return(monthly_returns, period='monthly')" => {
                annual_return(&r("monthly_returns"), MONTHS)
            }
            "annual_volatility(mixed_returns,'daily')" => {
                annual_volatility(&r("mixed_returns"), TRADING_DAYS)
            }
            "annual_volatility(weekly_returns,'weekly')" => {
                annual_volatility(&r("weekly_returns"), WEEKS)
            }
            "annual_volatility(monthly_returns,'monthly')" => {
                annual_volatility(&r("monthly_returns"), MONTHS)
            }
            "calmar_ratio(mixed_returns,'daily')" => {
                calmar_ratio(&r("mixed_returns"), TRADING_DAYS)
            }
            "calmar_ratio(weekly_returns,'weekly')" => calmar_ratio(&r("weekly_returns"), WEEKS),
            "calmar_ratio(monthly_returns,'monthly')" => {
                calmar_ratio(&r("monthly_returns"), MONTHS)
            }
            "omega_ratio(mixed_returns, risk_free=0, required_return=10.0)" => {
                omega_ratio(&r("mixed_returns"), &c(0.0), 10.0, TRADING_DAYS)
            }
            "omega_ratio(mixed_returns, risk_free=flat_line_1, required_return=0)" => omega_ratio(
                &r("mixed_returns"),
                &Rate::Series(&r("flat_line_1")),
                0.0,
                TRADING_DAYS,
            ),
            "omega_ratio(positive_returns, risk_free=0.011)" => {
                omega_ratio(&r("positive_returns"), &c(0.011), 0.0, TRADING_DAYS)
            }
            "sharpe_ratio(mixed_returns, risk_free=0)" => {
                sharpe_ratio(&r("mixed_returns"), &c(0.0), TRADING_DAYS)
            }
            "sharpe_ratio(mixed_returns, risk_free=simple_benchmark)" => sharpe_ratio(
                &r("mixed_returns"),
                &Rate::Series(&r("simple_benchmark")),
                TRADING_DAYS,
            ),
            "sharpe_ratio(positive_returns, 0)" => {
                sharpe_ratio(&r("positive_returns"), &c(0.0), TRADING_DAYS)
            }
            "sharpe_ratio(negative_returns, 0)" => {
                sharpe_ratio(&r("negative_returns"), &c(0.0), TRADING_DAYS)
            }
            "sharpe_ratio(flat_line_1, 0)" => {
                sharpe_ratio(&r("flat_line_1"), &c(0.0), TRADING_DAYS)
            }
            "downside_risk(mixed_returns, 0, 'daily')" => {
                downside_risk(&r("mixed_returns"), &c(0.0), TRADING_DAYS)
            }
            "downside_risk(mixed_returns, 0.1, 'daily')" => {
                downside_risk(&r("mixed_returns"), &c(0.1), TRADING_DAYS)
            }
            "downside_risk(weekly_returns, 0, 'weekly')" => {
                downside_risk(&r("weekly_returns"), &c(0.0), WEEKS)
            }
            "downside_risk(monthly_returns, 0, 'monthly')" => {
                downside_risk(&r("monthly_returns"), &c(0.0), MONTHS)
            }
            "downside_risk(df_simple.one, 0, 'daily')" => {
                downside_risk(&r("one"), &c(0.0), TRADING_DAYS)
            }
            "sortino_ratio(mixed_returns, 0, 'daily')" => {
                sortino_ratio(&r("mixed_returns"), &c(0.0), TRADING_DAYS)
            }
            "sortino_ratio(mixed_returns, flat_line_1, 'daily')" => sortino_ratio(
                &r("mixed_returns"),
                &Rate::Series(&r("flat_line_1")),
                TRADING_DAYS,
            ),
            "sortino_ratio(positive_returns, 0)" => {
                sortino_ratio(&r("positive_returns"), &c(0.0), TRADING_DAYS)
            }
            "sortino_ratio(negative_returns, 0)" => {
                sortino_ratio(&r("negative_returns"), &c(0.0), TRADING_DAYS)
            }
            "sortino_ratio(weekly_returns, 0, 'weekly')" => {
                sortino_ratio(&r("weekly_returns"), &c(0.0), WEEKS)
            }
            "sortino_ratio(monthly_returns, 0, 'monthly')" => {
                sortino_ratio(&r("monthly_returns"), &c(0.0), MONTHS)
            }
            "sortino_ratio(df_simple.one, 0)" => sortino_ratio(&r("one"), &c(0.0), TRADING_DAYS),
            "sortino_ratio(df_simple.two, 0)" => sortino_ratio(&r("two"), &c(0.0), TRADING_DAYS),
            "excess_sharpe(mixed_returns, 0.0)" => excess_sharpe(&r("mixed_returns"), &c(0.0)),
            "excess_sharpe(mixed_returns, flat_line_1)" => {
                excess_sharpe(&r("mixed_returns"), &Rate::Series(&r("flat_line_1")))
            }
            // Aligned on dates: negative_returns[1:] starts on mixed_returns' second day.
            "alpha_beta(mixed_returns, negative_returns[1:])[alpha]" => {
                alpha_beta(
                    &tail("mixed_returns"),
                    &tail("negative_returns"),
                    0.0,
                    TRADING_DAYS,
                )
                .0
            }
            "alpha_beta(mixed_returns, negative_returns[1:])[beta]" => {
                alpha_beta(
                    &tail("mixed_returns"),
                    &tail("negative_returns"),
                    0.0,
                    TRADING_DAYS,
                )
                .1
            }
            "up_alpha_beta(mixed_returns[1:], positive_returns[1:])[alpha]" => {
                up_alpha_beta(
                    &tail("mixed_returns"),
                    &tail("positive_returns"),
                    0.0,
                    TRADING_DAYS,
                )
                .0
            }
            "up_alpha_beta(mixed_returns[1:], positive_returns[1:])[beta]" => {
                up_alpha_beta(
                    &tail("mixed_returns"),
                    &tail("positive_returns"),
                    0.0,
                    TRADING_DAYS,
                )
                .1
            }
            "stability_of_timeseries(mixed_returns)" => {
                stability_of_timeseries(&r("mixed_returns"))
            }
            "cagr(one_return,'daily')" => annual_return(&r("one_return"), TRADING_DAYS),
            "capture(all_negative_returns, mixed_returns)" => capture(
                &r("all_negative_returns"),
                &r("mixed_returns"),
                TRADING_DAYS,
            ),
            "down_capture(all_negative_returns, mixed_returns)" => down_capture(
                &r("all_negative_returns"),
                &r("mixed_returns"),
                TRADING_DAYS,
            ),
            "down_capture(positive_returns, mixed_returns)" => {
                down_capture(&r("positive_returns"), &r("mixed_returns"), TRADING_DAYS)
            }
            "up_capture(positive_returns, mixed_returns)" => {
                up_capture(&r("positive_returns"), &r("mixed_returns"), TRADING_DAYS)
            }
            "up_down_capture(positive_returns, mixed_returns)" => {
                up_down_capture(&r("positive_returns"), &r("mixed_returns"), TRADING_DAYS)
            }
            "cum_returns_final(mixed_returns)" => cum_returns_final(&r("mixed_returns")),
            "cum_returns_final(negative_returns)" => cum_returns_final(&r("negative_returns")),
            "value_at_risk([1.0, 2.0], cutoff=0.0)" => value_at_risk(&[1.0, 2.0], 0.0),
            "value_at_risk([1.0, 2.0], cutoff=0.3)" => value_at_risk(&[1.0, 2.0], 0.3),
            "value_at_risk([1.0, 2.0], cutoff=1.0)" => value_at_risk(&[1.0, 2.0], 1.0),
            "value_at_risk([1, 81, 82, 83, 84, 85], cutoff=0.1)" => {
                value_at_risk(&[1.0, 81.0, 82.0, 83.0, 84.0, 85.0], 0.1)
            }
            "value_at_risk([1, 81, 82, 83, 84, 85], cutoff=0.2)" => {
                value_at_risk(&[1.0, 81.0, 82.0, 83.0, 84.0, 85.0], 0.2)
            }
            "value_at_risk([1, 81, 82, 83, 84, 85], cutoff=0.3)" => {
                value_at_risk(&[1.0, 81.0, 82.0, 83.0, 84.0, 85.0], 0.3)
            }
            other => panic!("no mapping for the suite's case {other}"),
        };
        if decimals < 8 {
            // The suite's own precision (empyrical's assert_almost_equal(decimal=…)).
            let tol = 1.5 * 10f64.powi(-decimals);
            assert!(
                (got - want).abs() < tol,
                "{call}: got {got}, expected {want} to {decimals} decimals"
            );
        } else {
            close(got, want, call);
        }
    }
}

#[test]
fn matches_empyrical_outputs_on_every_fixed_series() {
    let (Some(out), Some(s)) = (vectors("outputs.json"), series()) else {
        return;
    };
    let c = Rate::Constant(0.0);
    let mut checked = 0;
    for (name, metrics) in out["empyrical_single_series"].as_object().unwrap() {
        let r = &s[name];
        for (key, want) in metrics.as_object().unwrap() {
            let got = match key.as_str() {
                "cum_returns_final" => cum_returns_final(r),
                "max_drawdown" => max_drawdown(r),
                "annual_return_daily252" => annual_return(r, TRADING_DAYS),
                "annual_volatility_daily252" => annual_volatility(r, TRADING_DAYS),
                "annual_volatility_ann365" => annual_volatility(r, CALENDAR_DAYS),
                "sharpe_ratio_rf0" => sharpe_ratio(r, &c, TRADING_DAYS),
                "sharpe_ratio_rf0_ann365" => sharpe_ratio(r, &c, CALENDAR_DAYS),
                "sortino_ratio_req0" => sortino_ratio(r, &c, TRADING_DAYS),
                "downside_risk_req0" => downside_risk(r, &c, TRADING_DAYS),
                "calmar_ratio" => calmar_ratio(r, TRADING_DAYS),
                "omega_ratio_rf0_req0" => omega_ratio(r, &c, 0.0, TRADING_DAYS),
                "value_at_risk_0.05" => value_at_risk(r, 0.05),
                "value_at_risk_0.01" => value_at_risk(r, 0.01),
                "conditional_value_at_risk_0.05" => conditional_value_at_risk(r, 0.05),
                "tail_ratio" => tail_ratio(r),
                "stability_of_timeseries" => stability_of_timeseries(r),
                other => panic!("no mapping for output {other}"),
            };
            close(got, num(want), &format!("{key}({name})"));
            checked += 1;
        }
    }
    for (call, want) in out["empyrical_var_examples"].as_object().unwrap() {
        let data = [1.0, 81.0, 82.0, 83.0, 84.0, 85.0];
        let got = match call.as_str() {
            "value_at_risk([1,2], 0.0)" => value_at_risk(&[1.0, 2.0], 0.0),
            "value_at_risk([1,2], 0.3)" => value_at_risk(&[1.0, 2.0], 0.3),
            "value_at_risk([1,2], 1.0)" => value_at_risk(&[1.0, 2.0], 1.0),
            "value_at_risk([1,81,82,83,84,85], 0.1)" => value_at_risk(&data, 0.1),
            "value_at_risk([1,81,82,83,84,85], 0.2)" => value_at_risk(&data, 0.2),
            "value_at_risk([1,81,82,83,84,85], 0.3)" => value_at_risk(&data, 0.3),
            "conditional_value_at_risk([1,81,82,83,84,85], 0.3)" => {
                conditional_value_at_risk(&data, 0.3)
            }
            other => panic!("no mapping for {other}"),
        };
        close(got, num(want), call);
        checked += 1;
    }
    let pairs = &out["empyrical_pairs"];
    let t = |k: &str| s[k][1..].to_vec();
    let m = &s["mixed_returns"];
    let neg_m: Vec<f64> = m.iter().map(|x| -x).collect();
    let ab = [
        (
            "alpha_beta(mixed_returns, negative_returns[1:])",
            alpha_beta(
                &t("mixed_returns"),
                &t("negative_returns"),
                0.0,
                TRADING_DAYS,
            ),
        ),
        (
            "alpha_beta(mixed_returns[1:], negative_returns[1:])",
            alpha_beta(
                &t("mixed_returns"),
                &t("negative_returns"),
                0.0,
                TRADING_DAYS,
            ),
        ),
        (
            "alpha_beta(mixed_returns, mixed_returns)",
            alpha_beta(m, m, 0.0, TRADING_DAYS),
        ),
        (
            "alpha_beta(mixed_returns, -mixed_returns)",
            alpha_beta(m, &neg_m, 0.0, TRADING_DAYS),
        ),
        (
            "alpha_beta(positive_returns, simple_benchmark)",
            alpha_beta(
                &s["positive_returns"],
                &s["simple_benchmark"],
                0.0,
                TRADING_DAYS,
            ),
        ),
    ];
    for (call, (alpha, beta)) in ab {
        let want = pairs[call].as_array().unwrap();
        close(alpha + 0.0, num(&want[0]), &format!("{call} alpha"));
        close(beta, num(&want[1]), &format!("{call} beta"));
        checked += 1;
    }
    close(
        sharpe_ratio(m, &Rate::Series(&s["simple_benchmark"]), TRADING_DAYS),
        num(&pairs["sharpe_ratio(mixed_returns, risk_free=simple_benchmark)"]),
        "sharpe vs benchmark",
    );
    close(
        sortino_ratio(m, &Rate::Series(&s["flat_line_1"]), TRADING_DAYS),
        num(&pairs["sortino_ratio(mixed_returns, required_return=flat_line_1)"]),
        "sortino vs flat line",
    );
    close(
        excess_sharpe(m, &c),
        num(&pairs["excess_sharpe(mixed_returns, 0.0)"]),
        "excess sharpe",
    );
    close(
        sharpe_ratio(m, &c, WEEKS),
        num(&pairs["sharpe_ratio(mixed_returns, risk_free=0.0, period='weekly')"]),
        "weekly sharpe",
    );
    close(
        annual_return(m, MONTHS),
        num(&pairs["annual_return(mixed_returns, period='monthly')"]),
        "monthly cagr",
    );
    assert!(checked > 100, "{checked} values checked");
}

//! Multi-asset risk against numpy/empyrical/quantstats on the 504-day × 4-asset panel of
//! `../shared/vectors/` (skipped, with the reason, where the vectors are absent).

mod common;

use common::{num, vectors};
use folio::domain::risk::metrics::*;
use folio::domain::risk::panel::*;
use serde_json::Value;

fn f(v: &Value) -> f64 {
    num(v)
}

fn vec1(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn mat(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(vec1).collect()
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-8 * want.abs().max(1e-6),
        "{what}: got {got}, expected {want}"
    );
}

fn close_all(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(*g, *w, &format!("{what}[{i}]"));
    }
}

struct Panel {
    rows: Vec<Vec<f64>>,
    bench: Vec<f64>,
    w: Vec<f64>,
    out: Value,
}

fn panel() -> Option<Panel> {
    let inputs = vectors("inputs.json")?;
    let out = vectors("outputs.json")?;
    let p = &inputs["panel"];
    Some(Panel {
        rows: mat(&p["returns_rows"]),
        bench: vec1(&p["benchmark"]),
        w: vec1(&p["weights"]),
        out: out["panel"].clone(),
    })
}

#[test]
fn covariance_correlation_and_portfolio_match_numpy() {
    let Some(p) = panel() else { return };
    let o = &p.out;
    let c1 = covariance(&p.rows, 1);
    for (name, got) in [
        ("cov_ddof1", &c1),
        ("cov_ddof0", &covariance(&p.rows, 0)),
        ("corr", &correlation(&c1)),
    ] {
        for (g, w) in got.iter().zip(mat(&o[name])) {
            close_all(g, &w, name);
        }
    }
    let annual: Vec<Vec<f64>> = c1
        .iter()
        .map(|r| r.iter().map(|x| x * TRADING_DAYS).collect())
        .collect();
    for (g, w) in annual.iter().zip(mat(&o["cov_ddof1_annualized_252"])) {
        close_all(g, &w, "annualised cov");
    }
    close_all(&means(&p.rows), &vec1(&o["mean_daily"]), "means");
    let sd: Vec<f64> = (0..4).map(|i| c1[i][i].sqrt()).collect();
    close_all(&sd, &vec1(&o["std_daily_ddof1"]), "std");
    let port = portfolio_returns(&p.rows, &p.w);
    close_all(
        &port[..5],
        &vec1(&o["portfolio_daily_returns_first5"]),
        "portfolio returns",
    );
    let sigma = portfolio_sigma(&c1, &p.w);
    close(sigma, f(&o["portfolio_sigma_daily"]), "sigma");
    close(
        sigma * TRADING_DAYS.sqrt(),
        f(&o["portfolio_sigma_annual_252"]),
        "annual sigma",
    );
    close(
        nanmean(&port),
        f(&o["portfolio_mean_daily"]),
        "portfolio mean",
    );
    // The portfolio's sample σ equals √(wᵀΣw).
    close(nanstd(&port), sigma, "σ of R·w");
    let rc = risk_contributions(&c1, &p.w);
    close_all(&rc.marginal, &vec1(&o["risk_contrib_marginal"]), "marginal");
    close_all(
        &rc.component,
        &vec1(&o["risk_contrib_component"]),
        "component",
    );
    close_all(&rc.percent, &vec1(&o["risk_contrib_percent"]), "percent");
    close(rc.percent.iter().sum::<f64>(), 1.0, "percent sum");
    // Concentration of equal weights, and PCA shares.
    close(hhi(&p.w), 0.25, "hhi");
    close(effective_assets(&p.w), 4.0, "effective assets");
    let pca = pca_explained(&correlation(&c1));
    close(pca.iter().sum::<f64>(), 1.0, "pca sum");
    assert!(pca.windows(2).all(|x| x[0] >= x[1]));
    let dr = diversification_ratio(&c1, &p.w);
    close(
        dr,
        sd.iter().map(|s| s * 0.25).sum::<f64>() / sigma,
        "diversification ratio",
    );
    assert!(dr > 1.0);
}

#[test]
fn value_at_risk_by_every_method_matches_its_reference() {
    let Some(p) = panel() else { return };
    let o = &p.out;
    let c1 = covariance(&p.rows, 1);
    let port = portfolio_returns(&p.rows, &p.w);
    let (mu, sigma) = (nanmean(&port), portfolio_sigma(&c1, &p.w));
    close(
        parametric_var(mu, sigma, 0.95, 1.0, true),
        f(&o["parametric_var_95_1d_mean_adjusted"]),
        "pVaR95",
    );
    close(
        parametric_var(mu, sigma, 0.99, 1.0, true),
        f(&o["parametric_var_99_1d_mean_adjusted"]),
        "pVaR99",
    );
    close(
        parametric_var(mu, sigma, 0.95, 1.0, false),
        f(&o["parametric_var_95_1d_zero_mean"]),
        "pVaR95 zero mean",
    );
    close(
        parametric_var(mu, sigma, 0.95, 10.0, false),
        f(&o["parametric_var_95_10d_sqrt_time_zero_mean"]),
        "pVaR95 10 d",
    );
    close(
        parametric_cvar(mu, sigma, 0.95, 1.0),
        f(&o["parametric_cvar_95_1d_mean_adjusted"]),
        "pCVaR95",
    );
    close(
        parametric_var(mu, nanstd(&port), 0.95, 1.0, true),
        f(&o["quantstats_var_0.95(port)"]),
        "quantstats VaR",
    );
    close(
        parametric_cvar(mu, nanstd(&port), 0.95, 1.0),
        f(&o["quantstats_cvar_param_0.95(port)"]),
        "quantstats CVaR",
    );
    close(
        value_at_risk(&port, 0.05),
        f(&o["empyrical_value_at_risk_0.05(port)"]),
        "historical VaR",
    );
    close(
        value_at_risk(&port, 0.05),
        f(&o["historical_var_quantile_by_numpy_method"]["0.05"]["linear"]),
        "numpy linear",
    );
    close(
        conditional_value_at_risk(&port, 0.05),
        f(&o["empyrical_cvar_0.05(port)"]),
        "historical CVaR",
    );
    // Cornish–Fisher with no skew and no excess kurtosis is the normal VaR.
    close(
        cornish_fisher_var(mu, sigma, 0.0, 0.0, 0.95, 1.0),
        parametric_var(mu, sigma, 0.95, 1.0, true),
        "CF = normal",
    );

    // Monte Carlo: within 3 standard deviations of 20 runs (as listed) of the analytic value.
    let mc = &o["monte_carlo_var95_1d_gaussian"];
    let target = f(&mc["analytic_target"]);
    for paths in [10_000usize, 100_000] {
        let sd = f(&mc["runs"][paths.to_string()]["std_of_20_runs_var95"]);
        let simulate = || {
            monte_carlo_var(
                &means(&p.rows),
                &c1,
                &p.w,
                &McSpec {
                    paths,
                    horizon: 1,
                    confidence: 0.95,
                    seed: 42,
                },
                &mut |_| {},
            )
            .unwrap()
        };
        let run = simulate();
        assert!(
            (run.var - target).abs() < 3.0 * sd,
            "{paths} paths: {} vs {target} (sd {sd})",
            run.var
        );
        assert!(run.cvar < run.var);
        // Seeded: the same seed gives the same numbers.
        assert_eq!(simulate().var, run.var);
    }
}

#[test]
fn per_asset_and_portfolio_metrics_match_empyrical_and_quantstats() {
    let Some(p) = panel() else { return };
    let o = &p.out;
    let rf = Rate::Constant(0.0);
    let check = |r: &[f64], want: &Value, what: &str| {
        close(
            annual_return(r, TRADING_DAYS),
            f(&want["annual_return"]),
            &format!("{what} CAGR"),
        );
        close(
            annual_volatility(r, TRADING_DAYS),
            f(&want["annual_volatility"]),
            &format!("{what} vol"),
        );
        close(
            sharpe_ratio(r, &rf, TRADING_DAYS),
            f(&want["sharpe_ratio"]),
            &format!("{what} Sharpe"),
        );
        close(
            sortino_ratio(r, &rf, TRADING_DAYS),
            f(&want["sortino_ratio"]),
            &format!("{what} Sortino"),
        );
        close(
            max_drawdown(r),
            f(&want["max_drawdown"]),
            &format!("{what} MDD"),
        );
        close(
            calmar_ratio(r, TRADING_DAYS),
            f(&want["calmar_ratio"]),
            &format!("{what} Calmar"),
        );
        let (a, b) = alpha_beta(r, &p.bench, 0.0, TRADING_DAYS);
        let ab = want["alpha_beta_vs_benchmark"].as_array().unwrap();
        close(a, f(&ab[0]), &format!("{what} alpha"));
        close(b, f(&ab[1]), &format!("{what} beta"));
    };
    for (i, name) in ["A", "B", "C", "D"].iter().enumerate() {
        let r: Vec<f64> = p.rows.iter().map(|row| row[i]).collect();
        check(&r, &o["empyrical_per_asset"][name], name);
    }
    let port = portfolio_returns(&p.rows, &p.w);
    check(&port, &o["empyrical_portfolio"], "portfolio");
    let q = &o["quantstats_portfolio"];
    close(annual_return(&port, TRADING_DAYS), f(&q["cagr"]), "qs cagr");
    close(
        sharpe_ratio(&port, &rf, TRADING_DAYS),
        f(&q["sharpe"]),
        "qs sharpe",
    );
    close(max_drawdown(&port), f(&q["max_drawdown"]), "qs mdd");
}

#[test]
fn skew_and_kurtosis_follow_pandas() {
    close(skew(&[1.0, 2.0, 3.0, 4.0, 5.0]), 0.0, "symmetric skew");
    // [1, 2, 3, 4, 10] by hand: mean 4, deviations −3 −2 −1 0 6, m₂ = 10, m₃ = 36,
    // m₄ = 278.8. Skew = √20/3 · 36/10^1.5 = 1.697056274847714; g₂ = 2.788 − 3 = −0.212,
    // kurtosis = (6·(−0.212) + 6)·4/(3·2) = 3.152.
    let x = [1.0, 2.0, 3.0, 4.0, 10.0];
    close(skew(&x), 1.697_056_274_847_714, "skew");
    close(excess_kurtosis(&x), 3.152, "kurt");
    assert!(skew(&[1.0, 1.0, 1.0]).is_nan());
    assert!(excess_kurtosis(&[1.0, 2.0, 3.0]).is_nan());
}

#[test]
fn monte_carlo_survives_assets_moving_in_lockstep() {
    // Two identical columns: Σ is singular, the ridge makes the factor exist, and the VaR
    // is the one of the single asset.
    let rows: Vec<Vec<f64>> = (0..200)
        .map(|i| {
            let x = ((i as f64) * 0.7).sin() * 0.02;
            vec![x, x]
        })
        .collect();
    let cov = covariance(&rows, 1);
    assert!(cholesky(&cov).is_none());
    let spec = McSpec {
        paths: 20_000,
        horizon: 1,
        confidence: 0.95,
        seed: 7,
    };
    let run = monte_carlo_var(&means(&rows), &cov, &[0.5, 0.5], &spec, &mut |_| {}).unwrap();
    let single = parametric_var(means(&rows)[0], cov[0][0].sqrt(), 0.95, 1.0, true);
    assert!(
        (run.var - single).abs() < 0.05 * single.abs(),
        "{} vs {single}",
        run.var
    );
}

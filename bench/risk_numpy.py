"""The point of comparison for Folio's risk report: the same work with numpy + empyrical.

Reads bench/out/risk_input.json (written by `cargo bench --bench risk`: 100 assets x 1,826
daily closes), computes returns, covariance and correlation, PCA, risk contributions,
empyrical's metrics, historical and parametric VaR/CVaR at 95 and 99 %, and Monte Carlo VaR
with 100,000 multivariate-normal paths for 1 day and the horizon, as a numpy user would
write it. Prints the median, min and max of 5 timed runs after 1 warm-up, and the runs, as JSON.
Usage: python bench/risk_numpy.py bench/out/risk_input.json
"""
import json
import sys
import time

import empyrical as ep
import numpy as np
from scipy.stats import norm

ANN = 365


def report(closes, paths, horizon):
    r = closes[1:] / closes[:-1] - 1.0
    n = r.shape[1]
    w = np.full(n, 1.0 / n)
    port = r @ w
    cov = np.cov(r, rowvar=False)
    corr = np.corrcoef(r, rowvar=False)
    sigma = np.sqrt(w @ cov @ w)
    marginal = cov @ w / sigma
    percent = w * marginal / sigma
    pca = np.linalg.eigvalsh(corr)[::-1] / n
    wealth = np.cumprod(1 + port)
    drawdown = wealth / np.maximum.accumulate(np.maximum(wealth, 1.0)) - 1
    rolling = [port[i - 30:i].std(ddof=1) * np.sqrt(ANN) for i in range(30, len(port) + 1)]
    out = {
        "cum": ep.cum_returns_final(port),
        "cagr": ep.annual_return(port, annualization=ANN),
        "vol": ep.annual_volatility(port, annualization=ANN),
        "sharpe": ep.sharpe_ratio(port, annualization=ANN),
        "sortino": ep.sortino_ratio(port, annualization=ANN),
        "calmar": ep.calmar_ratio(port, annualization=ANN),
        "omega": ep.omega_ratio(port, annualization=ANN),
        "mdd": ep.max_drawdown(port),
        "tail": ep.tail_ratio(port),
        "stability": ep.stability_of_timeseries(port),
        "alpha_beta": ep.alpha_beta(port, r[:, 0], annualization=ANN),
        "skew": float(((port - port.mean()) ** 3).mean()),
        "ulcer": float(np.sqrt((drawdown**2).mean())),
        "pca1": float(pca[0]),
        "contrib": float(percent.sum()),
        "rolling": float(rolling[-1]),
    }
    rng = np.random.default_rng(42)
    mu = r.mean(axis=0)
    for h in (1, horizon):
        sims = rng.multivariate_normal(mu * h, cov * h, size=paths) @ w
        for c in (0.95, 0.99):
            out[f"var{c}_{h}"] = (
                ep.value_at_risk(port, 1 - c),
                ep.conditional_value_at_risk(port, 1 - c),
                norm.ppf(1 - c, port.mean() * h, port.std(ddof=1) * np.sqrt(h)),
                np.percentile(sims, 100 * (1 - c)),
            )
    return out


def main():
    data = json.load(open(sys.argv[1]))
    closes = np.array(data["closes"]).T
    times = []
    for run in range(6):
        t0 = time.perf_counter()
        report(closes, data["paths"], data["horizon"])
        if run > 0:  # the first run warms up, as Folio's and criterion's do
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "numpy_empyrical_risk_report": {
            "assets": closes.shape[1], "days": closes.shape[0], "paths": data["paths"],
            "runs": len(times), "median_ms": sorted(times)[len(times) // 2],
            "min_ms": min(times), "max_ms": max(times), "times_ms": times,
            "numpy": np.__version__, "empyrical": getattr(ep, "__version__", "reloaded"),
        }
    }, indent=2))


if __name__ == "__main__":
    main()

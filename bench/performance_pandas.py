"""The point of comparison for Folio's performance accounting: the same ledger in pandas.

Reads bench/out/performance_input.json (written by `cargo bench --bench performance`:
100,000 transactions across 500 assets and 10 accounts, 1,826 daily closes) and does, as a
pandas user would: FIFO lots pooled per asset (realised and unrealised gains), the daily
values and flows of the portfolio, each group and each account (numpy), their time-weighted
return since the start, and their money-weighted return (pyxirr). Folio's own run does more
(every asset too, and seven periods), so the ratio flatters this side.

It checks its results against Folio's (written in the same file) and prints the median, min
and max of 5 timed runs after a warm-up (wall time, and the median CPU time of the process,
which a loaded machine inflates less), as JSON; given criterion's estimates.json for the
same ledger, the ratio of the wall-time medians too.

Usage: python bench/performance_pandas.py bench/out/performance_input.json \
           [target/criterion/performance/100k_tx_500_assets_1826_days_from_scratch/new/estimates.json]
"""
import collections
import datetime as dt
import json
import sys
import time

import numpy as np
import pandas as pd
import pyxirr

COLUMNS = ["kind", "acct", "day", "a_in", "q_in", "a_out", "q_out", "fee", "pair"]


def fifo(events):
    """Realised gain and open lots of one asset's events (qty > 0 in with cost, < 0 out
    with proceeds), first in, first out."""
    lots = collections.deque()
    realised = 0.0
    for q, amount in zip(events["q"].to_numpy(), events["amount"].to_numpy()):
        if q > 0:
            lots.append([q, amount])
            continue
        need, proceeds, cost = -q, amount, 0.0
        while need > 1e-9 * -q and lots:
            lot = lots[0]
            if lot[0] - need <= 1e-9 * lot[0]:
                cost += lot[1]
                need -= lot[0]
                lots.popleft()
            else:
                part = lot[1] * need / lot[0]
                cost += part
                lot[0] -= need
                lot[1] -= part
                need = 0.0
        realised += proceeds - cost
    return realised, list(lots)


def run(doc):
    closes = np.asarray(doc["closes"])
    n_assets, days = closes.shape
    accounts = 10
    rows = pd.DataFrame(doc["rows"], columns=COLUMNS)
    rows["seq"] = np.arange(len(rows))
    price = lambda asset, day: closes[asset, day]

    # Lots: every acquisition and disposal of a coin, in ledger order, FIFO per asset.
    buy, sell, conv, inc = (rows[rows.kind == k] for k in ("buy", "sell", "convert", "income"))
    conv_value = price(conv.a_out.to_numpy(), conv.day.to_numpy()) * conv.q_out.to_numpy()
    events = pd.concat([
        pd.DataFrame({"seq": buy.seq, "sub": 1, "asset": buy.a_in, "q": buy.q_in, "amount": buy.q_out + buy.fee}),
        pd.DataFrame({"seq": sell.seq, "sub": 0, "asset": sell.a_out, "q": -sell.q_out, "amount": sell.q_in - sell.fee}),
        pd.DataFrame({"seq": conv.seq, "sub": 0, "asset": conv.a_out, "q": -conv.q_out, "amount": conv_value}),
        pd.DataFrame({"seq": conv.seq, "sub": 1, "asset": conv.a_in, "q": conv.q_in, "amount": conv_value}),
        pd.DataFrame({"seq": inc.seq, "sub": 1, "asset": inc.a_in, "q": inc.q_in,
                      "amount": price(inc.a_in.to_numpy(), inc.day.to_numpy()) * inc.q_in.to_numpy()}),
    ]).sort_values(["seq", "sub"], kind="stable")
    realised = unrealised = 0.0
    last = closes[:, -1]
    for asset, ev in events.groupby("asset", sort=False):
        r, lots = fifo(ev)
        realised += r
        unrealised += sum(q * last[asset] - c for q, c in lots)

    # Daily units of every (account, asset); EUR is asset n_assets, worth 1.
    eur = n_assets
    changes = np.zeros((accounts, n_assets + 1, days))
    def add(acct, asset, day, q):
        np.add.at(changes, (acct.to_numpy(), asset.to_numpy() if hasattr(asset, "to_numpy") else asset, day.to_numpy()), q)
    dep, wd, fee, tr = (rows[rows.kind == k] for k in ("deposit", "withdrawal", "fee", "transfer"))
    add(dep.acct, eur, dep.day, dep.q_in.to_numpy())
    add(wd.acct, eur, wd.day, -wd.q_out.to_numpy())
    add(fee.acct, eur, fee.day, -fee.fee.to_numpy())
    add(buy.acct, buy.a_in, buy.day, buy.q_in.to_numpy())
    add(buy.acct, eur, buy.day, -(buy.q_out + buy.fee).to_numpy())
    add(sell.acct, sell.a_out, sell.day, -sell.q_out.to_numpy())
    add(sell.acct, eur, sell.day, (sell.q_in - sell.fee).to_numpy())
    add(conv.acct, conv.a_out, conv.day, -conv.q_out.to_numpy())
    add(conv.acct, conv.a_in, conv.day, conv.q_in.to_numpy())
    add(inc.acct, inc.a_in, inc.day, inc.q_in.to_numpy())
    add(tr.acct, tr.a_out, tr.day, -tr.q_out.to_numpy())
    add(tr.pair, tr.a_in, tr.day, tr.q_in.to_numpy())
    units = np.cumsum(changes, axis=2)
    prices = np.vstack([closes, np.ones((1, days))])
    values = units * prices[None, :, :]
    groups = doc["groups"] + ["Cash"]
    group_names = sorted(set(groups))
    group_of = np.array([group_names.index(g) for g in groups])

    # Flows per scope and transaction: scope keys ("p"), ("a", acct), ("g", group).
    flows = []
    def flow(frame, acct, asset, amount):
        flows.append(pd.DataFrame({"seq": frame.seq.to_numpy(), "day": frame.day.to_numpy(), "acct": acct,
                                   "group": group_of[asset], "amount": amount}))
    flow(dep, dep.acct.to_numpy(), np.full(len(dep), eur), dep.q_in.to_numpy())
    flow(wd, wd.acct.to_numpy(), np.full(len(wd), eur), -wd.q_out.to_numpy())
    flow(buy, buy.acct.to_numpy(), buy.a_in.to_numpy(), (buy.q_out + buy.fee).to_numpy())
    flow(buy, buy.acct.to_numpy(), np.full(len(buy), eur), -(buy.q_out + buy.fee).to_numpy())
    flow(sell, sell.acct.to_numpy(), sell.a_out.to_numpy(), -(sell.q_in - sell.fee).to_numpy())
    flow(sell, sell.acct.to_numpy(), np.full(len(sell), eur), (sell.q_in - sell.fee).to_numpy())
    flow(conv, conv.acct.to_numpy(), conv.a_out.to_numpy(), -conv_value)
    flow(conv, conv.acct.to_numpy(), conv.a_in.to_numpy(), conv_value)
    moved = price(tr.a_out.to_numpy(), tr.day.to_numpy()) * tr.q_out.to_numpy()
    flow(tr, tr.acct.to_numpy(), tr.a_out.to_numpy(), -moved)
    flow(tr, tr.pair.to_numpy(), tr.a_in.to_numpy(), moved)
    flows = pd.concat(flows)

    start = dt.date.fromisoformat(doc["start"])
    dates = np.array([start + dt.timedelta(days=d) for d in range(days)])
    results = {}
    def scope(name, value, per_tx):
        # A transaction's flows inside the scope cancel (a trade between two of its assets).
        net = per_tx.assign(gross=per_tx.amount.abs()).groupby(["seq", "day"])[["amount", "gross"]].sum().reset_index()
        net = net[net.amount.abs() > 1e-9 * net.gross]
        inflow = np.bincount(net.day, weights=net.amount.clip(lower=0), minlength=days)
        outflow = np.bincount(net.day, weights=(-net.amount).clip(lower=0), minlength=days)
        before = np.concatenate([[0.0], value[:-1]])
        invested = before + inflow
        ended = value + outflow
        r = np.where(invested > 0, ended / np.where(invested > 0, invested, 1) - 1, 0.0)
        twr = float(np.prod(1 + r) - 1)
        days_with = np.nonzero(inflow - outflow)[0]
        cash = np.concatenate([-(inflow - outflow)[days_with], [value[-1]]])
        when = np.concatenate([dates[days_with], [dates[-1]]])
        results[name] = {"twr": twr, "xirr": pyxirr.xirr(when, cash, silent=True)}
    scope("portfolio", values.sum(axis=(0, 1)), flows)
    for a in range(accounts):
        scope(f"acct{a}", values[a].sum(axis=0), flows[flows.acct == a])
    by_group = values.sum(axis=0)
    for g, name in enumerate(group_names):
        scope(name, by_group[group_of == g].sum(axis=0), flows[flows.group == g])
    return realised, unrealised, results


def main(path, estimates=None):
    with open(path) as f:
        doc = json.load(f)
    realised, unrealised, results = run(doc)
    folio = doc["folio"]
    diffs = {
        "realised_fifo": realised - folio["realised_fifo"],
        "unrealised_fifo": unrealised - folio["unrealised_fifo"],
        "xirr_portfolio": results["portfolio"]["xirr"] - folio["xirr_portfolio"],
    }
    for a, x in enumerate(folio["xirr_accounts"]):
        diffs[f"xirr_acct{a}"] = (results[f"acct{a}"]["xirr"] or float("nan")) - (x if x is not None else float("nan"))
    for g, x in folio["xirr_groups"].items():
        diffs[f"xirr_{g}"] = (results[g]["xirr"] or float("nan")) - (x if x is not None else float("nan"))
    run(doc)
    times, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        run(doc)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out = {
        "median_ms": float(np.median(times)),
        "min_ms": min(times),
        "max_ms": max(times),
        "runs_ms": times,
        "cpu_median_ms": float(np.median(cpu)),
        "realised_fifo": realised,
        "largest_difference_from_folio": max(abs(v) for v in diffs.values()),
        "differences_from_folio": diffs,
        "pandas": pd.__version__,
        "pyxirr": pyxirr.__version__,
    }
    if estimates:
        with open(estimates) as f:
            native_ms = json.load(f)["median"]["point_estimate"] / 1e6
        out["folio_native_median_ms"] = native_ms
        out["ratio_python_over_folio"] = out["median_ms"] / native_ms
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Records XIRR reference vectors for Folio's money-weighted return (tests/vectors/xirr.json).

Each case is a list of dated cash flows (investor's side: money in negative, out and the
final value positive) with:
- "pyxirr": pyxirr.xirr's rate (actual/365), or null when it finds none;
- "bisection": the same root refined by plain bisection of the XNPV in float64 (an
  independent check; pyxirr's own solver stops about 1e-8 from the root);
- "npf_irr": numpy-financial's irr, for cases whose flows are exactly 365 days apart;
- "error": "one_sign" or "no_root" when there is no rate.

The cases are seeded (the same file every run): hand cases, irregular flows, long horizons,
losses, near-zero returns, withdrawals, flows on the same date, and flows without a rate.

Usage: python scripts/xirr_vectors.py tests/vectors/xirr.json   (make xirr-vectors)
"""
import datetime as dt
import json
import math
import random
import sys

import numpy_financial as npf
import pyxirr

START = dt.date(2000, 1, 1)


def xnpv(rate, flows):
    d0 = min(d for d, _ in flows)
    g = math.log1p(rate)
    return sum(a * math.exp(-g * (d - d0).days / 365.0) for d, a in flows)


def bisect(flows, guess):
    """The root of the XNPV next to `guess`, to the last bit float64 can tell."""
    delta = 1e-6 * max(1.0, abs(guess))
    for _ in range(60):
        lo, hi = max(guess - delta, -1 + 1e-15), guess + delta
        flo, fhi = xnpv(lo, flows), xnpv(hi, flows)
        if (flo > 0) != (fhi > 0):
            break
        delta *= 2
    else:
        return None
    for _ in range(400):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        fm = xnpv(mid, flows)
        if fm == 0:
            return mid
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def case(name, flows):
    dates = [d for d, _ in flows]
    amounts = [a for _, a in flows]
    out = {"name": name, "flows": [[d.isoformat(), a] for d, a in flows]}
    try:
        rate = pyxirr.xirr(dates, amounts)
    except pyxirr.InvalidPaymentsError:
        out.update(pyxirr=None, bisection=None, error="one_sign")
        return out
    if rate is None or not math.isfinite(rate):
        out.update(pyxirr=None, bisection=None, error="no_root")
        return out
    out.update(pyxirr=rate, bisection=bisect(flows, rate), error=None)
    days = sorted({(d - dates[0]).days for d in dates})
    if all(b - a == 365 for a, b in zip(days, days[1:])) and len(days) == len(dates):
        out["npf_irr"] = float(npf.irr(amounts))
    return out


def main(path):
    rng = random.Random(19)
    day = lambda n: START + dt.timedelta(days=n)
    cases = [
        case("ten percent in 365 days", [(day(0), -1000.0), (day(365), 1100.0)]),
        case("two deposits, ten percent", [(day(0), -100.0), (day(365), -100.0), (day(730), 231.0)]),
        case("half lost in 730 days", [(day(0), -1000.0), (day(730), 500.0)]),
        case("same-date flows are added", [(day(0), -500.0), (day(0), -500.0), (day(100), 200.0), (day(100), -100.0), (day(400), 1000.0)]),
        case("flows given out of order", [(day(400), 1300.0), (day(0), -1000.0), (day(200), -100.0)]),
        case("a day's doubling", [(day(0), -1.0), (day(1), 2.0)]),
        case("one sign only", [(day(0), -1.0), (day(10), -2.0)]),
        case("no rate balances", [(day(0), -1.0), (day(365), 3.0), (day(730), -3.0)]),
        case("yearly, numpy-financial", [(day(365 * i), a) for i, a in enumerate([-1000.0, -200.0, 300.0, -50.0, 1400.0])]),
    ]
    for i in range(25):
        start = rng.randrange(0, 7000)
        n = rng.randrange(2, 30)
        span = rng.randrange(40, 5 * 365)
        days = sorted(rng.randrange(0, span) for _ in range(n))
        flows = [(day(start + d), -round(rng.uniform(10, 5000), 2)) for d in days]
        paid = -sum(a for _, a in flows)
        flows.append((day(start + span), round(paid * rng.uniform(0.6, 2.5), 2)))
        cases.append(case(f"irregular deposits {i}", flows))
    for i in range(6):
        start = rng.randrange(0, 3000)
        years = rng.randrange(25, 41)
        flows = [(day(start + round(m * 30.4375)), -round(rng.uniform(100, 600), 2)) for m in range(12 * years)]
        paid = -sum(a for _, a in flows)
        flows.append((day(start + years * 365 + 9), round(paid * rng.uniform(1.5, 6.0), 2)))
        cases.append(case(f"long horizon {years} years monthly {i}", flows))
    for i in range(6):
        start = rng.randrange(0, 7000)
        days = sorted(rng.randrange(0, 900) for _ in range(rng.randrange(1, 12)))
        flows = [(day(start + d), -round(rng.uniform(100, 2000), 2)) for d in days]
        paid = -sum(a for _, a in flows)
        flows.append((day(start + 1000), round(paid * rng.uniform(0.05, 0.9), 2)))
        cases.append(case(f"loss {i}", flows))
    for i in range(6):
        start = rng.randrange(0, 7000)
        days = sorted(rng.randrange(0, 500) for _ in range(rng.randrange(1, 8)))
        flows = [(day(start + d), -round(rng.uniform(100, 2000), 2)) for d in days]
        paid = -sum(a for _, a in flows)
        flows.append((day(start + 600), paid * (1 + rng.choice([-1, 1]) * 10 ** -rng.randrange(5, 9))))
        cases.append(case(f"near zero {i}", flows))
    for i in range(10):
        start = rng.randrange(0, 7000)
        days = sorted(rng.sample(range(0, 1500), rng.randrange(3, 20)))
        flows = []
        held = 0.0
        for d in days:
            if held > 500 and rng.random() < 0.3:
                a = round(held * rng.uniform(0.1, 0.4), 2)
                held -= a
                flows.append((day(start + d), a))
            else:
                a = round(rng.uniform(100, 3000), 2)
                held += a
                flows.append((day(start + d), -a))
        flows.append((day(start + 1600), round(held * rng.uniform(0.7, 1.8), 2)))
        cases.append(case(f"deposits and withdrawals {i}", flows))
    doc = {
        "generator": "scripts/xirr_vectors.py (make xirr-vectors)",
        "pyxirr": pyxirr.__version__,
        "numpy_financial": npf.__version__,
        "day_count": "actual/365",
        "sign": "investor's side: in negative, out and final value positive",
        "cases": cases,
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases written to {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/vectors/xirr.json")

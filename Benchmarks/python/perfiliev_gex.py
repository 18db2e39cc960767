#!/usr/bin/env python3
"""Independent numpy/scipy reimplementation of the gamma-exposure method of
Sergei Perfiliev, "How to calculate gamma exposure and zero gamma level"
(perfiliev.com), applied to a CBOE delayed-quote CSV ("quotedata").

It is GammaFlow's reference for the conventions of that method, written from
its published description, not from its code:

* Total GEX from the VENDOR gammas of the file, dealers long calls and short
  puts: sum over rows of
      CallGamma * CallOI * 100 * S^2 * 0.01  -  PutGamma * PutOI * 100 * S^2 * 0.01
  in dollars per 1% move, reported in billions.
* Profile from MODEL gammas (Black-Scholes from the file's IV), r = q = 0,
  T = numpy.busday_count(snapshot date, expiry date) / 262, replaced by 1/262
  when the count is zero; 60 spot levels from 0.8 S to 1.2 S (numpy.linspace).
  A side with IV = 0 contributes nothing.
* Expired rows: the snapshot date is the calendar date of the file's `Date:`
  line (its time is ignored); an expiry date before it gets a negative count,
  hence T < 0, sqrt(T) = NaN and a NaN exposure, which the method's pandas
  column sums skip. This script mirrors that with numpy.nansum, i.e. expired
  rows drop out of the profile (while their vendor gamma, zero in CBOE files,
  stays in the total).
* Zero gamma: linear interpolation between the two levels around the first
  sign change of the profile (numpy.diff(numpy.sign(profile))).

Usage:
    python3 perfiliev_gex.py FILE [--json OUT] [--repeat N] [--rowwise]

--json writes the numbers (total, zero gamma, the 60 levels and the profile)
that GammaFlow's Swift test compares against. --repeat times the whole method
(read, parse and compute) N times and reports the best and median wall time.
--rowwise also runs a row-by-row evaluation (one scalar call per row and
level, the structure of the original pandas `DataFrame.apply` loop) to time
it; it must agree with the vectorised result.
"""

import argparse
import csv
import datetime as dt
import json
import math
import re
import statistics
import sys
import time

import numpy as np
from scipy.stats import norm

YEAR = 262.0
LEVELS = 60
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ]
    )
}


def parse_snapshot_date(line):
    """The calendar date of the `Date:` line, in any of the CBOE spellings
    ('January 7, 2024 at 10:52 AM EST', 'July 12, 2022, 11:55 AM EDT',
    'February 5 2022, 8:09 PM EST')."""
    m = re.search(r"Date:\s*([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", line)
    if not m:
        raise ValueError(f"no snapshot date in {line!r}")
    return dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))


def read_quotedata(path):
    with open(path, newline="") as f:
        lines = [l for l in f.read().splitlines()]
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    head, date_line, _columns = lines[i], lines[i + 1], lines[i + 2]
    spot = float(re.search(r"Last:\s*([-+0-9.eE]+)", head).group(1))
    today = parse_snapshot_date(date_line)
    rows = [r for r in csv.reader(lines[i + 3:]) if r and any(x.strip() for x in r)]
    # Columns: 0 expiration, 7 call IV, 9 call gamma, 10 call OI, 11 strike,
    # 18 put IV, 20 put gamma, 21 put OI.
    exp = np.array(
        [dt.datetime.strptime(r[0].strip(), "%a %b %d %Y").date() for r in rows],
        dtype="datetime64[D]",
    )

    def col(k):
        return np.array([float(r[k]) for r in rows])

    return {
        "spot": spot,
        "today": today,
        "expiry": exp,
        "strike": col(11),
        "call_iv": col(7),
        "call_gamma": col(9),
        "call_oi": col(10),
        "put_iv": col(18),
        "put_gamma": col(20),
        "put_oi": col(21),
    }


def years(d):
    count = np.busday_count(np.datetime64(d["today"], "D"), d["expiry"]).astype(float)
    return np.where(count == 0, 1.0 / YEAR, count / YEAR)


def total_gex_vendor(d):
    s = d["spot"]
    call = d["call_gamma"] * d["call_oi"] * 100 * s * s * 0.01
    put = d["put_gamma"] * d["put_oi"] * 100 * s * s * 0.01
    return float(np.sum(call - put)) / 1e9


def model_gex(level, strike, vol, t, oi, put):
    """Dollar gamma per 1% of `oi` contracts at spot `level`; 0 where vol == 0
    (or T == 0); NaN where T < 0 (sqrt of a negative), as the method has it."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sqrt_t = np.sqrt(t)
        v = vol * sqrt_t
        dp = (np.log(level / strike) + 0.5 * vol * vol * t) / v
        if put:
            dm = dp - v
            gamma = strike * norm.pdf(dm) / (level * level * v)
        else:
            gamma = norm.pdf(dp) / (level * v)
        out = oi * 100 * level * level * 0.01 * gamma
    return np.where((t == 0) | (vol == 0), 0.0, out)


def profile(d):
    s = d["spot"]
    levels = np.linspace(0.8 * s, 1.2 * s, LEVELS)
    t = years(d)
    out = np.empty(LEVELS)
    for j, x in enumerate(levels):
        c = model_gex(x, d["strike"], d["call_iv"], t, d["call_oi"], put=False)
        p = model_gex(x, d["strike"], d["put_iv"], t, d["put_oi"], put=True)
        out[j] = np.nansum(c) - np.nansum(p)
    return levels, out / 1e9


def scalar_gex(level, strike, vol, t, oi, put):
    if t == 0 or vol == 0:
        return 0.0
    if t < 0:
        return math.nan
    v = vol * math.sqrt(t)
    dp = (math.log(level / strike) + 0.5 * vol * vol * t) / v
    if put:
        g = strike * math.exp(-0.5 * (dp - v) ** 2) / math.sqrt(2 * math.pi) / (level * level * v)
    else:
        g = math.exp(-0.5 * dp * dp) / math.sqrt(2 * math.pi) / (level * v)
    return oi * 100 * level * level * 0.01 * g


def profile_rowwise(d):
    s = d["spot"]
    levels = np.linspace(0.8 * s, 1.2 * s, LEVELS)
    t = years(d).tolist()
    k, civ, coi = d["strike"].tolist(), d["call_iv"].tolist(), d["call_oi"].tolist()
    piv, poi = d["put_iv"].tolist(), d["put_oi"].tolist()
    out = []
    for x in levels:
        c = p = 0.0
        for i in range(len(k)):
            gc = scalar_gex(x, k[i], civ[i], t[i], coi[i], False)
            gp = scalar_gex(x, k[i], piv[i], t[i], poi[i], True)
            c += 0.0 if math.isnan(gc) else gc
            p += 0.0 if math.isnan(gp) else gp
        out.append(c - p)
    return levels, np.array(out) / 1e9


def zero_gamma(levels, gex):
    idx = np.where(np.diff(np.sign(gex)))[0]
    if len(idx) == 0:
        return None
    i = idx[0]
    neg, pos = gex[i], gex[i + 1]
    return float(levels[i + 1] - (levels[i + 1] - levels[i]) * pos / (pos - neg))


def run(path):
    d = read_quotedata(path)
    total = total_gex_vendor(d)
    levels, gex = profile(d)
    return d, total, levels, gex, zero_gamma(levels, gex)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--json")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--rowwise", action="store_true")
    a = ap.parse_args()

    d, total, levels, gex, zg = run(a.file)
    t = years(d)
    expired = int(np.sum(d["expiry"] < np.datetime64(d["today"], "D")))
    print(f"file            {a.file}")
    print(f"spot            {d['spot']}")
    print(f"snapshot date   {d['today']}")
    print(f"rows            {len(t)} (expiry before snapshot date: {expired}; T floored to 1/262: "
          f"{int(np.sum(np.busday_count(np.datetime64(d['today'], 'D'), d['expiry']) == 0))})")
    print(f"total GEX       {total:.6f} $bn per 1% move (vendor gammas)")
    print(f"zero gamma      {zg:.6f}" if zg is not None else "zero gamma      none")
    print(f"profile at spot {float(np.interp(d['spot'], levels, gex)):.6f} $bn per 1% move (interpolated)")

    times = []
    for _ in range(max(a.repeat, 1)):
        t0 = time.perf_counter()
        run(a.file)
        times.append(time.perf_counter() - t0)
    print(f"timing          best {min(times) * 1e3:.1f} ms, median {statistics.median(times) * 1e3:.1f} ms "
          f"over {len(times)} runs (read + parse + total + 60-level profile, numpy {np.__version__})")

    if a.rowwise:
        t0 = time.perf_counter()
        lv, g2 = profile_rowwise(d)
        el = time.perf_counter() - t0
        print(f"rowwise         {el * 1e3:.0f} ms for the profile; max |diff| vs vectorised "
              f"{float(np.max(np.abs(g2 - gex))):.3e} $bn; zero gamma {zero_gamma(lv, g2):.6f}")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(
                {
                    "source": "Benchmarks/python/perfiliev_gex.py",
                    "file": a.file.split("/")[-1],
                    "spot": d["spot"],
                    "snapshot_date": str(d["today"]),
                    "total_gex_bn_per_1pct": total,
                    "zero_gamma": zg,
                    "levels": levels.tolist(),
                    "profile_bn_per_1pct": gex.tolist(),
                },
                f,
                indent=1,
            )
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

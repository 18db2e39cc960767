#!/usr/bin/env python3
"""Markdown tables from greeks-yardstick / gammaflow bench greeks / greeks_numpy.py JSON files.

    python3 Benchmarks/scripts/table.py default*.json tuned*.json numpy*.json

When several files hold the same (build, kernel, n, threads), the table shows
the median of their medians (repeat runs to tame a shared machine's noise).
"""
import json
import statistics
import sys
from collections import defaultdict

rows = []
profiles = {}
for path in sys.argv[1:]:
    data = json.load(open(path))
    if isinstance(data, dict):
        data = data["results"]
    for r in data:
        if "ns_per_option" in r:
            r.setdefault("build", "numpy" if r["kernel"].startswith("numpy") else "cli")
            rows.append(r)
        else:
            profiles.setdefault((r["kernel"], r["n"], r["grid"]), []).append(r["ns_per_eval"])

for (kernel, n, grid), values in profiles.items():
    v = statistics.median(values)
    print(f"profile: {kernel} {n} options x {grid} grid: {v:.3f} ns/eval, {v * n * grid / 1e6:.2f} ms/profile "
          f"(median of {len(values)} runs)")

samples = defaultdict(lambda: defaultdict(list))
for r in rows:
    samples[(r["n"], r["build"], r["kernel"])][r["threads"]].append(r["ns_per_option"])
table = {k: {t: statistics.median(v) for t, v in by_t.items()} for k, by_t in samples.items()}

def get(n, build, kernel, t=1):
    return table.get((n, build, kernel), {}).get(t)

# Ratios only between from-scratch kernels (the C yardstick and numpy compute
# from scratch); prepared re-evaluation is never compared with them.
yard = {"gamma-vanna": "c-avx512-gamma-vanna", "standard-greeks": "c-avx512-standard-greeks"}
npy = {"gamma-vanna": "numpy-gamma-vanna", "c-avx512-gamma-vanna": "numpy-gamma-vanna",
       "standard-greeks": "numpy-standard-greeks", "c-avx512-standard-greeks": "numpy-standard-greeks"}

for n in sorted({k[0] for k in table}):
    print(f"\n### n = {n:,}\n")
    print("| build | kernel | ns/option, 1 thread | ns/option, 2 threads | M options/s/core (1 thread) | 2-thread speed-up | x C AVX-512 (1 thread) | x faster than numpy (1 thread) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (nn, build, kernel), by_t in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][2])):
        if nn != n:
            continue
        t1, t2 = by_t.get(1), by_t.get(2)
        c = get(n, build, yard.get(kernel, ""), 1) if kernel in yard else None
        p = get(n, "numpy", npy.get(kernel, ""), 1)
        f = lambda x, fmt="{:.3f}": fmt.format(x) if x else "-"
        print(f"| {build} | {kernel} | {f(t1)} | {f(t2)} | {f(1e3 / t1 if t1 else None, '{:.0f}')} | "
              f"{f(t1 / t2 if t1 and t2 else None, '{:.2f}')} | {f(t1 / c if c and t1 else None, '{:.2f}')} | "
              f"{f(p / t1 if p and t1 else None, '{:.1f}')} |")

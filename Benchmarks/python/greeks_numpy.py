#!/usr/bin/env python3
"""numpy/scipy baselines for GammaFlow's speed targets (issues 2 and 4).

Greeks (issue 2): a straightforward vectorised numpy implementation with
scipy.stats.norm, for gamma+vanna and for the nine standard Greeks, at
S = 5000, r = 0.04, q = 0.013. With --chain-dir DIR it reads the exact chains
of the Swift runs (written by `greeks-yardstick --dump DIR`, i.e.
OptionChain.syntheticSPX); without, it generates a similar seeded SPX-like
chain itself (30 expiries from 0DTE to 3 years, strikes spread with sqrt T,
skewed smile).

GEX profile (issue 4): 20,000 options x 400 spot grid points, the fastest
numpy formulation found: per-option invariants once, then per chunk of grid
rows one (rows x options) matrix d1 = ln S * (1/v) + c built in place,
exp(-d1^2/2) in place, and a matrix-vector product with the weights
position * multiplier * e^-qT / v (BLAS). Also the straightforward
formulation (scipy norm.pdf per grid point) for reference.

Prints JSON: a list of {"kernel", "threads", "n", "ns_per_option"} objects
(`ns_per_eval` and "grid" for the profile), medians of timed runs after a
warm-up, wall clock (time.perf_counter_ns). numpy's element-wise operations
run on one thread, so "threads" is 1.

    python3 Benchmarks/python/greeks_numpy.py --n 1000 100000 1000000
    python3 Benchmarks/python/greeks_numpy.py --profile-only
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.stats import norm

MASK64 = (1 << 64) - 1
DAYS = [0.125, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 21, 28, 35, 42, 49, 56, 63, 91, 119, 147, 182, 273, 364, 455,
        546, 637, 728, 910, 1092]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next_unit(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        return (z >> 11) * 2.0 ** -53


def synthetic_chain(count, spot=5000.0, seed=42):
    """The chain of GreeksBenchmark.syntheticChain(count:spot:seed:), as numpy columns."""
    rng = SplitMix64(seed)
    K, phi, T, sigma = [], [], [], []
    per = (count + len(DAYS) - 1) // len(DAYS)
    for e, d in enumerate(DAYS):
        if len(K) >= count:
            break
        t = d / 365
        take = min(per, count - e * per)
        half = min(0.7, max(0.03, 0.6 * math.sqrt(t)))
        pairs = (take + 1) // 2
        for j in range(take):
            u = (j // 2) / (pairs - 1) if pairs > 1 else 0.5
            k = round(spot * (1 - half + 2 * half * u) * 100) / 100
            m = math.log(k / spot) / math.sqrt(max(t, 1 / 52))
            base = 0.13 + 0.05 * math.exp(-4 * t)
            noise = 1 + 0.02 * (rng.next_unit() - 0.5)
            iv = min(2.0, max(0.05, base * (1 - 0.9 * m + 1.2 * m * m) * noise))
            K.append(k)
            phi.append(1.0 if j % 2 == 0 else -1.0)
            T.append(t)
            sigma.append(iv)
    return tuple(np.array(c, dtype=np.float64) for c in (K, phi, T, sigma))


def load_chain(directory, count):
    """Columns written by `greeks-yardstick --dump DIR`: the exact chain of the Swift runs."""
    data = np.fromfile(f"{directory}/chain-{count}.f64", dtype="<f8")
    if data.size != 4 * count:
        sys.exit(f"{directory}/chain-{count}.f64: expected {4 * count} doubles, found {data.size}")
    K, phi, T, sigma = (np.ascontiguousarray(c) for c in data.reshape(4, count))
    return K, phi, T, sigma


def gamma_vanna(S, K, T, sigma, r, q):
    sqrtT = np.sqrt(T)
    v = sigma * sqrtT
    d1 = (np.log(S / K) + (r - q) * T) / v + 0.5 * v
    d2 = d1 - v
    pdf = norm.pdf(d1)
    dq = np.exp(-q * T)
    gamma = dq * pdf / (S * v)
    vanna = -dq * pdf * d2 / sigma
    return gamma, vanna


def standard_greeks(S, K, phi, T, sigma, r, q):
    sqrtT = np.sqrt(T)
    v = sigma * sqrtT
    d1 = (np.log(S / K) + (r - q) * T) / v + 0.5 * v
    d2 = d1 - v
    pdf = norm.pdf(d1)
    cdf1 = norm.cdf(phi * d1)
    cdf2 = norm.cdf(phi * d2)
    dq = np.exp(-q * T)
    dr = np.exp(-r * T)
    price = phi * (S * dq * cdf1 - K * dr * cdf2)
    delta = phi * dq * cdf1
    gamma = dq * pdf / (S * v)
    vega = S * dq * pdf * sqrtT
    theta = -S * dq * pdf * sigma / (2 * sqrtT) + phi * (q * S * dq * cdf1 - r * K * dr * cdf2)
    vanna = -dq * pdf * d2 / sigma
    carry = 2 * (r - q) * T - d2 * v
    charm = phi * q * dq * cdf1 - dq * pdf * carry / (2 * T * v)
    vomma = vega * d1 * d2 / sigma
    speed = -gamma * (d1 / v + 1) / S
    return price, delta, gamma, vega, theta, vanna, charm, vomma, speed


def median_ns(fn, items, runs, min_run_s):
    """Median ns per item over `runs` runs, each repeating fn for at least min_run_s, after a warm-up.

    The repetitions per run are calibrated on warm calls, doubling until a batch lasts min_run_s
    (as GreeksBenchmark.time does): sizing them from the cold first call made short runs.
    """
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(reps):
            fn()
        elapsed = time.perf_counter_ns() - t0
        if elapsed >= min_run_s * 1e9:
            break
        aim = reps * min_run_s * 1e9 / elapsed * 1.05 if elapsed > 0 else reps * 8
        reps = int(min(max(math.ceil(aim), reps * 2), reps * 8))
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter_ns() - t0) / (reps * items))
    return statistics.median(samples)


def profile_inputs(options, grid, spot=5000.0, r=0.04, q=0.013, seed=42, chain_dir=None):
    if chain_dir:
        K, phi, T, sigma = load_chain(chain_dir, options)
    else:
        K, phi, T, sigma = synthetic_chain(options, spot, seed)
    rng = np.random.default_rng(seed)
    position = rng.integers(-2000, 2000, size=options).astype(np.float64)
    multiplier = np.full(options, 100.0)
    spots = np.linspace(0.8 * spot, 1.2 * spot, grid)
    return K, T, sigma, position, multiplier, spots, r, q


def gex_profile_fast(K, T, sigma, position, multiplier, spots, r, q, chunk=16):
    """GEX(S) = sum_i pos_i mult_i gamma_i(S) S^2 / 100 for every S of the grid, dollars per 1% move."""
    v = sigma * np.sqrt(T)
    invv = 1.0 / v
    c = ((r - q) * T) * invv + 0.5 * v - np.log(K) * invv  # d1 = ln S / v + c
    w = position * multiplier * np.exp(-q * T) * invv
    lnS = np.log(spots)
    out = np.empty(len(spots))
    buf = np.empty((chunk, len(K)))
    for lo in range(0, len(spots), chunk):
        hi = min(lo + chunk, len(spots))
        d = buf[: hi - lo]
        np.multiply(lnS[lo:hi, None], invv[None, :], out=d)
        d += c
        np.square(d, out=d)
        d *= -0.5
        np.exp(d, out=d)
        out[lo:hi] = d @ w
    return out * (spots * 0.01 / math.sqrt(2 * math.pi))


def gex_profile_straightforward(K, T, sigma, position, multiplier, spots, r, q):
    out = np.empty(len(spots))
    for i, S in enumerate(spots):
        g, _ = gamma_vanna(S, K, T, sigma, r, q)
        out[i] = np.sum(position * multiplier * g) * S * S * 0.01
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 100000, 1000000])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--min-run-ms", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--chain-dir", help="read the chains written by greeks-yardstick --dump DIR "
                    "(GreeksBenchmark.syntheticChain, the chains of the Swift runs)")
    ap.add_argument("--profile-options", type=int, default=20000)
    ap.add_argument("--profile-grid", type=int, default=400)
    ap.add_argument("--profile-only", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args()
    S, r, q = 5000.0, 0.04, 0.013
    min_s = args.min_run_ms / 1000
    results = []
    if not args.profile_only:
        for n in args.n:
            if args.chain_dir:
                K, phi, T, sigma = load_chain(args.chain_dir, n)
            else:
                K, phi, T, sigma = synthetic_chain(n, S, args.seed)
            for name, fn in (
                ("numpy-gamma-vanna", lambda: gamma_vanna(S, K, T, sigma, r, q)),
                ("numpy-standard-greeks", lambda: standard_greeks(S, K, phi, T, sigma, r, q)),
            ):
                results.append({"kernel": name, "threads": 1, "n": n,
                                "ns_per_option": round(median_ns(fn, n, args.runs, min_s), 4)})
    if not args.no_profile:
        inputs = profile_inputs(args.profile_options, args.profile_grid, S, r, q, args.seed, args.chain_dir)
        fast = gex_profile_fast(*inputs)
        slow = gex_profile_straightforward(*inputs)
        err = float(np.max(np.abs(fast - slow)) / np.max(np.abs(slow)))
        if err > 1e-10:
            sys.exit(f"profile formulations disagree: max relative error {err}")
        evals = args.profile_options * args.profile_grid
        for name, fn in (("numpy-gex-profile-fast", lambda: gex_profile_fast(*inputs)),
                         ("numpy-gex-profile-straightforward", lambda: gex_profile_straightforward(*inputs))):
            results.append({"kernel": name, "threads": 1, "n": args.profile_options, "grid": args.profile_grid,
                            "ns_per_eval": round(median_ns(fn, evals, max(3, args.runs // 2), min_s), 4)})
    print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__, "results": results}, indent=1))


if __name__ == "__main__":
    main()

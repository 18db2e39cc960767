#!/usr/bin/env python3
"""High-precision reference values for GammaFlow's Black-Scholes tests.

Writes Tests/GammaFlowTests/Support/ReferenceValues.swift: CSV text in Swift
string literals, read by the tests at run time (string literals compile fast,
array literals of this size do not).

Every input is a binary64 number (a Python float); mpmath evaluates the closed
forms at those exact inputs with 60 significant digits, and every output is
the double nearest to the exact value (mpmath rounds to nearest on float()),
printed with repr() so that it round-trips. The inputs come from a seeded
generator, so the file is reproducible:

    python3 Tests/Reference/generate_reference.py

Requires mpmath (tested with 1.3.0).
"""

import math
import os
import random

from mpmath import mp, mpf

mp.dps = 60

SECOND = 1.0 / 31_536_000.0  # one second in ACT/365 years


def greeks(phi, S, K, T, sig, r, q):
    """Price and the ten Greeks of Docs/Greeks.md, exact to ~60 digits."""
    S, K, T, sig, r, q = (mpf(x) for x in (S, K, T, sig, r, q))
    sqrtT = mp.sqrt(T)
    v = sig * sqrtT
    d1 = (mp.log(S / K) + (r - q) * T) / v + v / 2
    d2 = d1 - v
    N = lambda x: mp.erfc(-x / mp.sqrt(2)) / 2
    n = mp.exp(-d1 * d1 / 2) / mp.sqrt(2 * mp.pi)
    dq, dr = mp.exp(-q * T), mp.exp(-r * T)
    N1, N2 = N(phi * d1), N(phi * d2)
    gamma = dq * n / (S * v)
    vega = S * dq * n * sqrtT
    carry = 2 * (r - q) * T - d2 * v
    return [
        phi * (S * dq * N1 - K * dr * N2),  # price
        phi * dq * N1,  # delta
        gamma,
        vega,
        -S * dq * n * sig / (2 * sqrtT) + phi * (q * S * dq * N1 - r * K * dr * N2),  # theta = -dV/dT
        -dq * n * d2 / sig,  # vanna
        phi * q * dq * N1 - dq * n * carry / (2 * T * v),  # charm = -dDelta/dT
        vega * d1 * d2 / sig,  # vomma
        -gamma * (d1 / v + 1) / S,  # speed
        gamma * (d1 * d2 - 1) / sig,  # zomma
        dq * n / (2 * S * T * v) * (2 * q * T + 1 + d1 * carry / v),  # color = -dGamma/dT
    ]


def strike_for_d1(S, T, sig, r, q, d1):
    """The double strike whose d1 is close to the requested one."""
    v = sig * math.sqrt(T)
    x = (d1 - 0.5 * v) * v - (r - q) * T  # ln(S/K)
    return S * math.exp(max(min(-x, 50.0), -50.0))


def greek_cases():
    rng = random.Random(20_240_601)
    cases = []
    # Published examples (Haug 2nd ed. ch. 1-2 via QuantLib's europeanoption.cpp; Hull).
    # (phi, S, K, T, sigma, r, q)
    cases += [
        (1, 60.0, 65.0, 0.25, 0.30, 0.08, 0.0),
        (-1, 100.0, 95.0, 0.5, 0.20, 0.10, 0.05),
        (1, 19.0, 19.0, 0.75, 0.28, 0.10, 0.10),
        (-1, 19.0, 19.0, 0.75, 0.28, 0.10, 0.10),
        (1, 1.56, 1.60, 0.5, 0.12, 0.06, 0.08),
        (-1, 75.0, 70.0, 0.5, 0.35, 0.10, 0.05),
        (1, 105.0, 100.0, 0.5, 0.36, 0.10, 0.10),
        (-1, 105.0, 100.0, 0.5, 0.36, 0.10, 0.10),
        (1, 55.0, 60.0, 0.75, 0.30, 0.10, 0.0),
        (-1, 430.0, 405.0, 1.0 / 12.0, 0.20, 0.07, 0.05),
        (1, 49.0, 50.0, 20.0 / 52.0, 0.20, 0.05, 0.0),
    ]
    # The corners of the domain: T from one second to 30 years, sigma from
    # 0.01 to 5, d1 from -38 to 38 (n(d1) ~ 1e-314 there), calls and puts.
    for T in (SECOND, 60 * SECOND, 3600 * SECOND, 1 / 365, 30 / 365, 1.0, 5.0, 30.0):
        for sig in (0.01, 0.2, 1.0, 5.0):
            for d1 in (-38.0, -20.0, -6.0, -1.0, 0.0, 0.7, 3.0, 12.0, 37.0):
                phi = rng.choice((1, -1))
                r, q = 0.05, 0.013
                K = strike_for_d1(4700.0, T, sig, r, q, d1)
                if 1e-4 < K / 4700.0 < 1e4:
                    cases.append((phi, 4700.0, K, T, sig, r, q))
    # Random inputs, log-uniform in T and sigma, uniform in d1, varied r and q.
    while len(cases) < 700:
        phi = rng.choice((1, -1))
        S = math.exp(rng.uniform(math.log(1.0), math.log(20_000.0)))
        T = math.exp(rng.uniform(math.log(SECOND), math.log(30.0)))
        sig = math.exp(rng.uniform(math.log(0.01), math.log(5.0)))
        r = rng.uniform(-0.01, 0.10)
        q = rng.choice((0.0, rng.uniform(0.0, 0.06)))
        d1 = rng.uniform(-37.5, 37.5)
        K = strike_for_d1(S, T, sig, r, q, d1)
        if 1e-4 < K / S < 1e4:
            cases.append((phi, S, K, T, sig, r, q))
    # Near the zeros of vanna (d2 = 0), vomma (d1 = 0 or d2 = 0), zomma
    # (d1 d2 = 1) and speed (d1 = -v): the scaled error measure matters here.
    for _ in range(60):
        phi = rng.choice((1, -1))
        T = math.exp(rng.uniform(math.log(60 * SECOND), math.log(10.0)))
        sig = math.exp(rng.uniform(math.log(0.05), math.log(2.0)))
        v = sig * math.sqrt(T)
        r, q = 0.05, 0.013
        target = rng.choice((0.0, v, -v, 0.5 * (v + math.sqrt(v * v + 4))))
        cases.append((phi, 4700.0, strike_for_d1(4700.0, T, sig, r, q, target), T, sig, r, q))
    return cases


def normal_points():
    """x values for N(x) and n(x): deep left tail to x = -38.4 (N ~ 1e-323),
    the body, and the right tail to x = 9 (N = 1 - 1e-19)."""
    rng = random.Random(7)
    xs = [-38.4, -38.0, -37.5, -30.0, -26.5, -20.0, -10.0, -8.3, -5.657, -1.4142, -1.0, -0.5, 0.0]
    xs += [1e-300, -1e-300, 1e-8, 0.5, 1.0, 1.4142, 2.0, 5.0, 8.0, 8.3, 9.0]
    xs += [rng.uniform(-38.4, 9.0) for _ in range(300)]
    xs += [rng.uniform(-3.0, 3.0) for _ in range(100)]
    return xs


def log_points():
    """x values for the double-double ln of the prepared kernels: strikes,
    spots, and a log-uniform sweep over the normal range."""
    rng = random.Random(11)
    xs = [1.0, 2.0, 0.5, 1.0000000000000002, 0.9999999999999999, 4700.0, 4700.25, 4700.000005521784, 1e-300, 1e300]
    xs += [math.sqrt(2.0), math.sqrt(0.5), math.e, 10.0, 100.0, 5000.0, 0.01]
    xs += [math.exp(rng.uniform(-700.0, 700.0)) for _ in range(60)]
    xs += [rng.uniform(1.0, 20_000.0) for _ in range(60)]
    return xs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "GammaFlowTests", "Support", "ReferenceValues.swift")
    lines = []
    for (phi, S, K, T, sig, r, q) in greek_cases():
        values = [float(x) for x in greeks(phi, S, K, T, sig, r, q)]
        kind = "C" if phi > 0 else "P"
        lines.append(",".join([kind] + [repr(x) for x in (S, K, T, sig, r, q)] + [repr(x) for x in values]))
    normals = []
    for x in normal_points():
        X = mpf(x)
        cdf = float(mp.erfc(-X / mp.sqrt(2)) / 2)
        pdf = float(mp.exp(-X * X / 2) / mp.sqrt(2 * mp.pi))
        normals.append(f"{x!r},{cdf!r},{pdf!r}")
    logs = []
    for x in log_points():
        L = mp.log(mpf(x))
        hi = float(L)
        logs.append(f"{x!r},{hi!r},{float(L - hi)!r}")
    with open(out, "w") as f:
        f.write("// Generated by Tests/Reference/generate_reference.py (mpmath, 60 digits).\n")
        f.write("// Do not edit; rerun the script instead.\n\n")
        f.write("/// High-precision reference values at exact binary64 inputs, as CSV text.\n")
        f.write("enum ReferenceValues {\n")
        f.write("    /// kind,S,K,T,sigma,r,q,price,delta,gamma,vega,theta,vanna,charm,vomma,speed,zomma,color\n")
        f.write("    /// (units of OptionGreeks; each value the double nearest the exact one).\n")
        f.write('    static let greeksCSV = """\n')
        for line in lines:
            f.write("        " + line + "\n")
        f.write('        """\n\n')
        f.write("    /// x,N(x),n(x) with N the standard normal distribution and n its density.\n")
        f.write('    static let normalCSV = """\n')
        for line in normals:
            f.write("        " + line + "\n")
        f.write('        """\n\n')
        f.write("    /// x,hi,lo with hi the double nearest ln x and lo the double nearest ln x - hi.\n")
        f.write('    static let logCSV = """\n')
        for line in logs:
            f.write("        " + line + "\n")
        f.write('        """\n')
        f.write("}\n")
    print(f"wrote {len(lines)} Greek cases and {len(normals)} normal points to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()

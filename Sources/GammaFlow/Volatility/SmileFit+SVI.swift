import RealModule

// SVI calibration by the quasi-explicit method of Zeliade Systems ("Quasi-
// explicit calibration of Gatheral's SVI model", 2009), in the standardised
// moneyness k = ln(K/F)/sqrt(T) of `SmileModel`:
//
//   sigma^2(k) = a + b (rho (k - m) + sqrt((k - m)^2 + s^2)).
//
// For fixed (m, s), with y = (k - m)/s, the variance is linear in
// p = (a, d, c) = (a, rho b s, b s):
//
//   sigma^2 = a + d y + c sqrt(y^2 + 1),
//
// and the admissible set is a polytope:
//   0 <= a <= max quoted variance           (positive variance everywhere),
//   |d| <= c                                 (|rho| <= 1, b >= 0),
//   c + |d| <= 4 s / sqrt(T)                 (Roger Lee's wing bound on the
//                                             total variance T sigma^2).
// The inner problem, a weighted least squares in p over that polytope, is a
// convex quadratic programme in three unknowns; it is solved exactly by
// visiting the polytope's faces: the unconstrained minimum, then the minimum
// on the affine hull of every facet, edge and vertex, keeping the best
// admissible one (the true minimum lies in the relative interior of some
// face and is that face's unconstrained minimum). The outer problem over
// (m, ln s) is two-dimensional and smooth enough for Nelder-Mead, started
// from three widths.
//
// The objective is in variance, weighted so that it approximates the vol
// objective of the linear smiles: an error dv in variance is an error
// dv / (2 sigma) in vol, so quote i weighs w_i / (4 sigma_i^2).

/// Quasi-explicit SVI fits (see the file comment).
enum _SVICalibration {
    // Vectors in p = (a, d, c) are `SIMD4<Double>` with a zero fourth lane,
    // and the small systems live in `InlineArray`s: the inner problem runs
    // thousands of times per expiry, and heap arrays made it allocation-bound.

    /// The six constraints `row . p <= bound`, in the order of `bounds(...)`.
    private static let rows: [SIMD4<Double>] = [
        [-1, 0, 0, 0],  // a >= 0
        [1, 0, 0, 0],  // a <= the largest quoted variance
        [0, 1, -1, 0],  // d <= c
        [0, -1, -1, 0],  // -d <= c
        [0, 1, 1, 0],  // c + d <= 4 s / sqrt(T)
        [0, -1, 1, 0],  // c - d <= 4 s / sqrt(T)
    ]

    /// Every subset of at most three of the six constraints, as bit sets,
    /// the empty set first; sets holding both a >= 0 and a <= cap (parallel
    /// planes) are left out.
    private static let activeSets: [UInt8] = {
        var sets: [UInt8] = [0]
        for bits in UInt8(1)..<64 where bits.nonzeroBitCount <= 3 && bits & 3 != 3 { sets.append(bits) }
        return sets.sorted { $0.nonzeroBitCount < $1.nonzeroBitCount }
    }()

    /// Solves the square system `a x = b` (row-major n x n, n <= 6) by
    /// Gaussian elimination with partial pivoting; nil when a pivot is below
    /// `1e-13` times the largest entry of its column (singular for our use).
    static func solve(_ a: InlineArray<36, Double>, _ b: InlineArray<6, Double>, n: Int) -> InlineArray<6, Double>? {
        var m = a
        var x = b
        for col in 0..<n {
            var pivot = col
            var scale = 0.0
            for r in col..<n {
                scale = Swift.max(scale, Swift.abs(m[r * n + col]))
                if Swift.abs(m[r * n + col]) > Swift.abs(m[pivot * n + col]) { pivot = r }
            }
            guard scale > 0, Swift.abs(m[pivot * n + col]) > 1e-13 * scale else { return nil }
            if pivot != col {
                for c in 0..<n {
                    let t = m[pivot * n + c]
                    m[pivot * n + c] = m[col * n + c]
                    m[col * n + c] = t
                }
                let t = x[pivot]
                x[pivot] = x[col]
                x[col] = t
            }
            let inv = 1 / m[col * n + col]
            for r in (col + 1)..<n {
                let f = m[r * n + col] * inv
                guard f != 0 else { continue }
                for c in col..<n { m[r * n + c] -= f * m[col * n + c] }
                x[r] -= f * x[col]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var v = x[r]
            for c in (r + 1)..<n { v -= m[r * n + c] * x[c] }
            x[r] = v / m[r * n + r]
            guard x[r].isFinite else { return nil }
        }
        return x
    }

    /// The inner problem: the best admissible p = (a, d, c) for one (m, s)
    /// and its objective sum_i omega_i (a + d y_i + c sqrt(y_i^2 + 1) - v_i)^2.
    /// - Parameters: `k` standardised moneyness, `variances` quoted variances
    ///   (decimal vol squared), `omega` weights, `wing` = 4 s / sqrt(T),
    ///   `varianceCap` the largest quoted variance.
    static func innerMinimum(
        k: [Double], variances: [Double], omega: [Double], m: Double, s: Double, wing: Double, varianceCap: Double
    ) -> (p: [Double], objective: Double) {
        // The normal equations: H = sum omega x x^T, g = sum omega v x for
        // x = (1, y, z), z = sqrt(y^2 + 1) (so z^2 = y^2 + 1).
        var (s1, sy, sz, syy, syz, sv, svy, svz, svv) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        let invS = 1 / s
        for i in k.indices {
            let y = (k[i] - m) * invS
            let z = (y * y + 1).squareRoot()
            let w = omega[i]
            let wv = w * variances[i]
            s1 += w
            sy += w * y
            sz += w * z
            syy += w * y * y
            syz += w * y * z
            sv += wv
            svy += wv * y
            svz += wv * z
            svv += wv * variances[i]
        }
        let h: [3 of SIMD4<Double>] = [[s1, sy, sz, 0], [sy, syy, syz, 0], [sz, syz, syy + s1, 0]]
        let g = SIMD4<Double>(sv, svy, svz, 0)
        // p^T H p - 2 g^T p + sum omega v^2: only for ranking candidates (see below).
        func objective(_ p: SIMD4<Double>) -> Double {
            let hp = SIMD4<Double>((h[0] * p).sum(), (h[1] * p).sum(), (h[2] * p).sum(), 0)
            return (p * (hp - 2 * g)).sum() + svv
        }
        let bounds: [6 of Double] = [0, varianceCap, 0, 0, wing, wing]
        let tolerance = 1e-12 * Swift.max(varianceCap, wing, 1)
        func admissible(_ p: SIMD4<Double>) -> Bool {
            for j in 0..<6 where (rows[j] * p).sum() > bounds[j] + tolerance { return false }
            return true
        }
        var best = SIMD4<Double>(repeating: 0)
        var bestObjective = objective(best)
        for set in activeSets {
            // KKT system of min p^T H p - 2 g^T p with the active rows as equalities:
            // [2H  G^T] [p     ]   [2g]
            // [G   0  ] [lambda] = [h ]
            let n = 3 + set.nonzeroBitCount
            var a = InlineArray<36, Double>(repeating: 0)
            var b = InlineArray<6, Double>(repeating: 0)
            for r in 0..<3 {
                for c in 0..<3 { a[r * n + c] = 2 * h[r][c] }
                b[r] = 2 * g[r]
            }
            var j = 3
            for index in 0..<6 where set & (1 << index) != 0 {
                for c in 0..<3 {
                    a[j * n + c] = rows[index][c]
                    a[c * n + j] = rows[index][c]
                }
                b[j] = bounds[index]
                j += 1
            }
            guard let x = solve(a, b, n: n) else { continue }
            let p = SIMD4<Double>(x[0], x[1], x[2], 0)
            guard admissible(p) else { continue }
            let f = objective(p)
            if f < bestObjective { (best, bestObjective) = (p, f) }
            // The unconstrained minimum, when admissible, is the answer.
            if set == 0 { break }
        }
        // The Gram form cancels to rounding noise (~1e-16 of sum omega v^2)
        // near a perfect fit, which would stall the outer search there; the
        // residuals themselves do not.
        var residual = 0.0
        for i in k.indices {
            let y = (k[i] - m) * invS
            let e = best[0] + best[1] * y + best[2] * (y * y + 1).squareRoot() - variances[i]
            residual += omega[i] * e * e
        }
        return ([best[0], best[1], best[2]], residual)
    }

    /// Fits `[a, b, rho, m, s]` of ``SmileModel/svi`` to quoted vols.
    /// - Parameters:
    ///   - k: standardised log-moneyness ln(K/F)/sqrt(T) of each quote.
    ///   - vols: quoted vols, annualised decimals (> 0).
    ///   - weights: the vol-space weight of each quote (>= 0).
    ///   - years: the expiry's T, years (> 0), for Lee's wing bound.
    /// - Returns: the coefficients, or nil when fewer than five quotes.
    static func fit(k: [Double], vols: [Double], weights: [Double], years T: Double) -> [Double]? {
        guard k.count >= 5, let kLow = k.min(), let kHigh = k.max() else { return nil }
        let variances = vols.map { $0 * $0 }
        var omega = zip(weights, vols).map { w, v in w / (4 * v * v) }
        let total = omega.reduce(0, +)
        guard total > 0, total.isFinite else { return nil }
        omega = omega.map { $0 / total }
        let cap = variances.max()!
        let range = Swift.max(kHigh - kLow, 1e-6)
        let sqrtT = T.squareRoot()
        let lowLogS = Double.log(1e-4 * range)
        let highLogS = Double.log(10 * range)

        // The outer objective over (m, ln s), both clamped to a generous box.
        func outer(_ point: (m: Double, logS: Double)) -> (objective: Double, p: [Double], m: Double, s: Double) {
            let m = Swift.min(Swift.max(point.m, kLow - range), kHigh + range)
            let s = Double.exp(Swift.min(Swift.max(point.logS, lowLogS), highLogS))
            let r = innerMinimum(
                k: k, variances: variances, omega: omega, m: m, s: s, wing: 4 * s / sqrtT, varianceCap: cap)
            return (r.objective, r.p, m, s)
        }

        let mStart = k[vols.indices.min { vols[$0] < vols[$1] }!]
        var best = outer((mStart, Double.log(range / 5)))
        for width in [range / 20, range / 5, range] {
            let found = nelderMead(start: (mStart, Double.log(width)), steps: (range / 10, 0.5)) { outer($0).objective }
            let candidate = outer(found)
            if candidate.objective < best.objective { best = candidate }
        }
        // The faces are solved to rounding: snap the last ulps onto the
        // polytope so that the published coefficients satisfy it exactly.
        let a = Swift.max(best.p[0], 0)
        var (d, c) = (best.p[1], Swift.max(best.p[2], 0))
        d = Swift.min(Swift.max(d, -c), c)
        let wing = 4 * best.s / sqrtT
        if c + Swift.abs(d) > wing {
            let shrink = wing / (c + Swift.abs(d))
            (d, c) = (d * shrink, c * shrink)
        }
        let b = c / best.s
        let rho = c > 0 ? Swift.min(Swift.max(d / c, -1), 1) : 0
        return [a, b, rho, best.m, best.s]
    }

    /// Minimises `f` over the plane by Nelder-Mead (reflection 1, expansion
    /// 2, contraction 1/2, shrink 1/2) from the simplex `start`,
    /// `start + (steps.0, 0)`, `start + (0, steps.1)`; stops when the
    /// objective's spread over the simplex is below 1e-12 (relative) and the
    /// simplex is below 1e-8 wide, or it is below 1e-10 wide, or after 400
    /// iterations.
    static func nelderMead(
        start: (Double, Double), steps: (Double, Double), _ f: ((m: Double, logS: Double)) -> Double
    ) -> (m: Double, logS: Double) {
        typealias Point = (m: Double, logS: Double)
        var simplex: [(point: Point, value: Double)] = [
            start, (start.0 + steps.0, start.1), (start.0, start.1 + steps.1),
        ].map { (Point($0.0, $0.1), f(Point($0.0, $0.1))) }
        func combine(_ p: Point, _ q: Point, _ t: Double) -> Point {
            (p.m + t * (q.m - p.m), p.logS + t * (q.logS - p.logS))
        }
        for _ in 0..<400 {
            simplex.sort { $0.value < $1.value }
            let (lo, hi) = (simplex[0].value, simplex[2].value)
            let size = Swift.max(
                Swift.abs(simplex[2].point.m - simplex[0].point.m),
                Swift.abs(simplex[2].point.logS - simplex[0].point.logS))
            if hi - lo <= 1e-12 * Swift.max(Swift.abs(lo), 1e-300) && size < 1e-8 { break }
            if size < 1e-10 { break }
            let centroid = combine(simplex[0].point, simplex[1].point, 0.5)
            let worst = simplex[2].point
            let reflected = combine(centroid, worst, -1)
            let fr = f(reflected)
            if fr < simplex[0].value {
                let expanded = combine(centroid, worst, -2)
                let fe = f(expanded)
                simplex[2] = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < simplex[1].value {
                simplex[2] = (reflected, fr)
            } else {
                let contracted =
                    fr < simplex[2].value ? combine(centroid, reflected, 0.5) : combine(centroid, worst, 0.5)
                let fc = f(contracted)
                if fc < Swift.min(fr, simplex[2].value) {
                    simplex[2] = (contracted, fc)
                } else {
                    for j in 1..<3 {
                        let p = combine(simplex[0].point, simplex[j].point, 0.5)
                        simplex[j] = (p, f(p))
                    }
                }
            }
        }
        return simplex.min { $0.value < $1.value }!.point
    }
}

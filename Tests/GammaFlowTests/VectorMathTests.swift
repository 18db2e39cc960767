import Foundation
import RealModule
import Testing

@testable import GammaFlow

/// The vector elementary functions of `Internal/Math+*.swift`, in both
/// instantiations (`Double` and `SIMD8<Double>`, a different value in every
/// lane), against the platform functions (glibc / Darwin libm through
/// RealModule) and, where the platform is itself inexact, against mpmath.
///
/// The kernel functions are named with their module (`GammaFlow._exp`): on
/// Linux an unqualified `_exp(Double)` in a module that imports Foundation
/// resolves to a platform symbol of the same name, not to the generic kernel.
@Suite struct VectorMathTests {
    /// Evaluates `f` in both instantiations on `xs`, checks that every SIMD
    /// lane is bit-identical to the scalar twin (same operations, same order),
    /// and returns the scalar results.
    static func both(_ xs: [Double], _ f: (Double) -> Double, _ g: (SIMD8<Double>) -> SIMD8<Double>) -> [Double] {
        var out = xs.map(f)
        var i = 0
        while i + 8 <= xs.count {
            let v = g(SIMD8<Double>(xs[i..<i + 8]))
            for j in 0..<8 {
                let s = out[i + j]
                #expect(v[j].bitPattern == s.bitPattern, "lane \(j) of x=\(xs[i + j]): SIMD \(v[j]) scalar \(s)")
                out[i + j] = v[j]
            }
            i += 8
        }
        return out
    }

    static func worstUlps(_ xs: [Double], _ got: [Double], _ want: (Double) -> Double) -> WorstCase {
        var worst = WorstCase()
        for (x, y) in zip(xs, got) {
            let w = want(x)
            worst.record(ulpError(y, w), "x=\(x) got \(y) want \(w)")
        }
        return worst
    }

    @Test func expMatchesPlatformOverItsRange() {
        var rng = SplitMix64(seed: 0xE4B)
        var xs = (0..<16_000).map { _ in rng.uniform(-745.13...709.78) }
        xs += (0..<8_000).map { _ in rng.uniform(-2...2) }
        xs += (0..<4_000).map { _ in rng.uniform(-745.13 ... -708.4) }  // subnormal results
        xs += (0..<4_000).map { _ in rng.uniform(700...709.78) }
        xs += [0, -0.0, 1e-300, -1e-300, 0.5 * 0.693_147_180_559_945_3, -708.396_418_532_264_1, 709.782_712_893_384]
        while xs.count % 8 != 0 { xs.append(rng.uniform(-1...1)) }
        let got = Self.both(xs, { GammaFlow._exp($0) }, { GammaFlow._exp($0) })
        let worst = Self.worstUlps(xs, got) { Foundation.exp($0) }
        print("[accuracy] _exp vs platform exp: max \(worst) ulps")
        #expect(worst.error <= 1, "\(worst)")
    }

    @Test func expEdgesAreExact() {
        // Below -745.13 the exact result rounds to 0; the kernel returns an exact 0.
        let edges: [Double] = [-745.2, -745.14, -746, -1000, -1e300, 709.79, 710, 1e300]
        let want: [Double] = [0, 0, 0, 0, 0, .infinity, .infinity, .infinity]
        var x = edges
        x.append(contentsOf: [-745.13, -745.0, 0, 1, 0, 0, 0, 0][0..<(16 - edges.count)])
        let got = Self.both(x, { GammaFlow._exp($0) }, { GammaFlow._exp($0) })
        for (i, w) in want.enumerated() {
            #expect(got[i] == w, "exp(\(edges[i])) = \(got[i]), want \(w)")
        }
        // The smallest subnormal, 2^-1074, is reached, not flushed.
        #expect(got[8] == Double.leastNonzeroMagnitude, "exp(-745.13) = \(got[8])")
        #expect(GammaFlow._exp(-745.2 as Double) == 0)
    }

    @Test func expTailArgumentIsCarried() {
        // e^(x + tail) with tail far below ulp(x) must see the tail.
        var rng = SplitMix64(seed: 0x7A11)
        var worst = WorstCase()
        for _ in 0..<4_000 {
            let x = rng.uniform(-700...700)
            let tail = rng.uniform(-1...1) * x.ulp
            let got = GammaFlow._exp(x, tail: tail)
            // Reference: e^x (1 + tail) in 80-bit extended precision, rounded once
            // (first order is exact to 1e-26 since |tail| < 1e-13).
            #if arch(x86_64) && !os(Windows)
                let want = Double(Float80.exp(Float80(x)) * (1 + Float80(tail)))
            #else
                let want = Foundation.exp(x) * (1 + tail)
            #endif
            worst.record(ulpError(got, want), "x=\(x) tail=\(tail)")
        }
        print("[accuracy] GammaFlow._exp(x, tail:) vs platform exp(x)(1 + tail): max \(worst) ulps")
        #expect(worst.error <= 1.5, "\(worst)")
    }

    @Test func logMatchesPlatformOverPositiveNormals() {
        var rng = SplitMix64(seed: 0x106)
        var xs = (0..<16_000).map { _ in Foundation.exp(rng.uniform(-708...709)) }
        xs += (0..<8_000).map { _ in rng.uniform(0.5...2) }
        xs += (0..<4_000).map { _ in 1 + rng.uniform(-1e-6...1e-6) }
        xs += [1, 2, 0.5, Double.leastNormalMagnitude, Double.greatestFiniteMagnitude, 1.0.nextUp, 1.0.nextDown]
        xs += [4700, 4700.25, Double.ulpOfOne, 1 / 3]
        while xs.count % 8 != 0 { xs.append(rng.uniform(1...10)) }
        let got = Self.both(xs, { GammaFlow._log($0) }, { GammaFlow._log($0) })
        let worst = Self.worstUlps(xs, got) { Foundation.log($0) }
        print("[accuracy] _log vs platform log: max \(worst) ulps")
        #expect(worst.error <= 1, "\(worst)")
    }

    @Test func splitLogIsDoubleDoubleAccurate() {
        var worst = WorstCase()
        for line in ReferenceValues.logCSV.split(separator: "\n") {
            let f = line.split(separator: ",").map { Double(String($0))! }
            let (x, hi, lo) = (f[0], f[1], f[2])
            let got = GammaFlow._splitLog(x)
            // (got.hi - hi) is exact (Sterbenz) when both round ln x.
            let error = abs((got.hi - hi) + (got.lo - lo))
            let relative = hi == 0 ? error : error / abs(hi)
            worst.record(relative, "x=\(x) got (\(got.hi), \(got.lo)) want (\(hi), \(lo))")
            #expect(relative <= 0x1p-100, "ln(\(x)): got (\(got.hi), \(got.lo)), want (\(hi), \(lo))")
        }
        print("[accuracy] _splitLog vs mpmath: max relative \(worst)")
    }

    @Test func laneSquareRootIsTheCorrectlyRoundedSquareRoot() {
        // The C shim (`__builtin_elementwise_sqrt`) against the standard
        // library's `squareRoot()`: both IEEE square roots, so bit for bit.
        var rng = SplitMix64(seed: 0x5097)
        var xs = (0..<4_000).map { _ in Foundation.exp(rng.uniform(-700...700)) }
        xs += [
            0, 1, 2, 4, Double.leastNormalMagnitude / 7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity,
            30.0 / 365,
        ]
        while xs.count % 8 != 0 { xs.append(rng.uniform(0...100)) }
        let got = Self.both(xs, { $0.laneSquareRoot() }, { $0.laneSquareRoot() })
        for (x, y) in zip(xs, got) {
            #expect(y.bitPattern == x.squareRoot().bitPattern, "sqrt(\(x)): got \(y), want \(x.squareRoot())")
        }
    }

    @Test func splitLogLanesEqualTheScalarTwin() {
        // Strikes are prepared eight at a time: every lane must give the
        // scalar `_splitLog` bit for bit, on both sides of sqrt 2 and over
        // the exponents.
        var rng = SplitMix64(seed: 0x5B1)
        var xs = (0..<4_000).map { _ in Foundation.exp(rng.uniform(-40...40)) }
        xs += [1, 2, 0.5, 1.4142135623730950, 1.4142135623730951, 5000, 1e-300, 1e300, Double.leastNormalMagnitude]
        while xs.count % 8 != 0 { xs.append(rng.uniform(1...10_000)) }
        var i = 0
        while i < xs.count {
            let v = GammaFlow._splitLogLanes(SIMD8<Double>(xs[i..<i + 8]))
            for j in 0..<8 {
                let s = GammaFlow._splitLog(xs[i + j])
                #expect(
                    v.hi[j].bitPattern == s.hi.bitPattern && v.lo[j].bitPattern == s.lo.bitPattern,
                    "lane \(j) of x=\(xs[i + j]): SIMD (\(v.hi[j]), \(v.lo[j])) scalar (\(s.hi), \(s.lo))")
            }
            i += 8
        }
    }

    /// ln(a / b) to far below an ulp: in double-double from `_splitLog`
    /// (pinned to mpmath above), and, within 1e-6 of a = b, where that
    /// difference's absolute error (2^-100 ln a) is no longer small against
    /// the result, from the series -d + d^2/2 - d^3/3 with d = (b - a) / a
    /// in double-double (b - a is exact there, by Sterbenz).
    static func exactLogRatio(_ a: Double, _ b: Double) -> Double {
        if abs(b - a) <= 1e-6 * a {
            let t = b - a
            let dh = t / a
            let dl = t.addingProduct(-dh, a) / a
            return -dh + ((dh * dh / 2 - dl) - dh * dh * dh / 3)
        }
        let x = GammaFlow._splitLog(a)
        let y = GammaFlow._splitLog(b)
        return (x.hi - y.hi) + (x.lo - y.lo)
    }

    /// `_logRatio` on (a, b) pairs in both instantiations, lanes pinned to the
    /// scalar twin bit for bit, against `exactLogRatio`.
    static func logRatioWorst(_ pairs: [(Double, Double)]) -> WorstCase {
        var worst = WorstCase()
        var i = 0
        while i < pairs.count {
            let n = min(8, pairs.count - i)
            var a = SIMD8<Double>(repeating: 1)
            var b = SIMD8<Double>(repeating: 1)
            for j in 0..<n { (a[j], b[j]) = pairs[i + j] }
            let v = GammaFlow._logRatio(a, b)
            for j in 0..<n {
                let (x, y) = pairs[i + j]
                let s = GammaFlow._logRatio(x, y)
                #expect(v[j].bitPattern == s.bitPattern, "lane \(j) of a=\(x) b=\(y): SIMD \(v[j]) scalar \(s)")
                let exact = exactLogRatio(x, y)
                worst.record(ulpError(s, exact), "a=\(x) b=\(y) got \(s) want \(exact)")
            }
            i += 8
        }
        return worst
    }

    @Test func logRatioRecoversTheQuotientsRounding() {
        // Near the money, where a / b rounded would carry an absolute error of
        // 2^-53 against a small result.
        var rng = SplitMix64(seed: 0x5A7)
        var pairs: [(Double, Double)] = []
        for _ in 0..<4_000 {
            let K = rng.uniform(1...20_000)
            pairs.append((K * (1 + rng.uniform(-1e-3...1e-3)), K))
        }
        pairs += [(5000, 5000), (5000, 5000.000000000001), (1, 1.0000000000000002), (2, 1.9999999999999998)]
        let worst = Self.logRatioWorst(pairs)
        for (S, K) in pairs.prefix(200) {
            let ref = BlackScholes.logRatio(S, K)
            #expect(ulpError(ref, Self.exactLogRatio(S, K)) <= 2, "S=\(S) K=\(K): reference \(ref)")
        }
        print("[accuracy] _logRatio near 1 vs double-double ln S - ln K: max \(worst) ulps")
        #expect(worst.error <= 2, "\(worst)")
    }

    @Test func logRatioIsAccurateAcrossRatiosAndExponents() {
        // Every reduction case: ratios from 1e-6 to 1e6, both operands across
        // the normal exponents, mantissas on either side of sqrt 2 and at the
        // binade edges, a different a in every lane (the implied-vol kernel
        // passes a forward per option).
        var rng = SplitMix64(seed: 0x10C)
        var pairs: [(Double, Double)] = []
        for _ in 0..<12_000 {
            let a = Foundation.exp(rng.uniform(-20...20))
            pairs.append((a, a * Foundation.exp(rng.uniform(-14...14))))
        }
        for _ in 0..<4_000 {
            let a = Double(sign: .plus, exponent: Int(rng.uniform(-1000...1000)), significand: rng.uniform(1...2))
            let b = Double(sign: .plus, exponent: Int(rng.uniform(-1000...1000)), significand: rng.uniform(1...2))
            pairs.append((a, b))
        }
        let edges: [Double] = [1, 1.4142135623730950, 1.4142135623730951, 1.9999999999999998, 0.7071067811865475]
        for x in edges { for y in edges { pairs.append((x, y)); pairs.append((x * 1024, y)) } }
        pairs += [(Double.leastNormalMagnitude, 1), (1, Double.leastNormalMagnitude), (1e308, 1e-307), (3, 1e300)]
        let worst = Self.logRatioWorst(pairs)
        print("[accuracy] _logRatio across ratios and exponents vs double-double: max \(worst) ulps")
        #expect(worst.error <= 2, "\(worst)")
    }

    @Test func normalDensityMatchesPlatformTwin() {
        var rng = SplitMix64(seed: 0xD0)
        var xs = (0..<16_000).map { _ in rng.uniform(-38.5...38.5) }
        xs += (0..<8_000).map { _ in rng.uniform(-3...3) }
        xs += [0, 1, -1, 37, -37.5, 38.5]
        while xs.count % 8 != 0 { xs.append(rng.uniform(-1...1)) }
        let got = Self.both(xs, { GammaFlow._normalDensity($0) }, { GammaFlow._normalDensity($0) })
        let worst = Self.worstUlps(xs, got) { BlackScholes.normalDensity($0) }
        print("[accuracy] _normalDensity vs platform twin: max \(worst) ulps")
        #expect(worst.error <= 2, "\(worst)")
        var exact = WorstCase()
        for p in referenceNormalPoints() {
            exact.record(ulpError(GammaFlow._normalDensity(p.x), p.pdf), "x=\(p.x)")
            #expect(
                ulpError(GammaFlow._normalDensity(p.x), p.pdf) <= 2,
                "n(\(p.x)) = \(GammaFlow._normalDensity(p.x)), want \(p.pdf)")
        }
        print("[accuracy] _normalDensity vs mpmath: max \(exact) ulps")
    }

    @Test func normalCDFMatchesPlatformTwin() {
        var rng = SplitMix64(seed: 0xCDF)
        var xs = (0..<16_000).map { _ in rng.uniform(-38.4...9) }
        xs += (0..<8_000).map { _ in rng.uniform(-1.5...1.5) }
        xs += (0..<4_000).map { _ in rng.uniform(-12 ... -10) }  // |z| = 8 branch switch
        xs += [0, 1.414_213_562_373_095, -1.414_213_562_373_095, -11.313_708_498_984_761, 8.3, 9, -38, -38.4]
        while xs.count % 8 != 0 { xs.append(rng.uniform(-1...1)) }
        let got = Self.both(xs, { GammaFlow._normalCDF($0) }, { GammaFlow._normalCDF($0) })
        let worst = Self.worstUlps(xs, got) { BlackScholes.normalCDF($0) }
        print("[accuracy] _normalCDF vs platform 0.5 erfc(-x/sqrt 2): max \(worst) ulps")
        // For |x| < sqrt 2 the kernel forms erfc = 1 - z T(z^2)/U(z^2) (Cephes):
        // its error is absolute, one ulp of 1, not relative to N(x) (which
        // reaches 0.079 there). Elsewhere each side is within (4 + 2 x^2) ulps
        // of the exact value (normalCDFAgainstHighPrecision), so they differ by
        // at most twice that.
        for (x, y) in zip(xs, got) {
            let want = BlackScholes.normalCDF(x)
            let allowed =
                abs(x) < 1.414_213_562_373_095_1 ? max(4 * want.ulp, 1.0.ulp) : 2 * (4 + 2 * x * x) * want.ulp
            #expect(abs(y - want) <= allowed, "N(\(x)) = \(y), platform \(want)")
        }
    }

    /// Against the exact N(x) both the kernel and the platform twin carry the
    /// rounding of z = -x/sqrt(2), which N amplifies by its conditioning
    /// x n(x)/N(x) ~ x^2 in the left tail: allowed 4 + 2 x^2 ulps (plus the
    /// absolute allowance of one ulp of 1 for |x| < sqrt 2, see above).
    @Test func normalCDFAgainstHighPrecision() {
        var kernel = WorstCase()
        var platform = WorstCase()
        for p in referenceNormalPoints() {
            let k = ulpError(GammaFlow._normalCDF(p.x), p.cdf)
            let bound = (abs(p.x) < 1.414_213_562_373_095_1 ? 1.0.ulp / p.cdf.ulp : 0) + 4 + 2 * p.x * p.x
            kernel.record(k / bound, "x=\(p.x) ulps \(k)")
            platform.record(ulpError(BlackScholes.normalCDF(p.x), p.cdf) / bound, "x=\(p.x)")
            #expect(k <= bound, "N(\(p.x)) = \(GammaFlow._normalCDF(p.x)), want \(p.cdf): \(k) ulps")
        }
        print("[accuracy] _normalCDF vs mpmath, in units of (4 + 2x^2) ulps: \(kernel); platform twin: \(platform)")
    }

    @Test func normalCDFLimits() {
        #expect(GammaFlow._normalCDF(-38.5 as Double) == 0)
        #expect(GammaFlow._normalCDF(-40.0 as Double) == 0)
        #expect(GammaFlow._normalCDF(-1e15 as Double) == 0)  // |d1| < 1.5e15 for validated inputs
        #expect(GammaFlow._normalCDF(8.3 as Double) == 1)
        #expect(GammaFlow._normalCDF(1e15 as Double) == 1)
        #expect(GammaFlow._normalCDF(-38.0 as Double) > 0)
        #expect(GammaFlow._normalDensity(40.0 as Double) == 0)
        #expect(GammaFlow._normalDensity(1e15 as Double) == 0)
    }
}

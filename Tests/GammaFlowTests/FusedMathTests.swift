import Foundation
import RealModule
import Testing

@testable import GammaFlow

/// The parts of `Internal/Math+*.swift` that differ between the fused build
/// (`-Xswiftc -DGAMMAFLOW_FMA`, `multiplyAdd` is one rounding) and the default
/// build (two roundings), and the kernels' shared-exponential helpers. Runs in
/// both builds: the exact splits must be exact either way, and the helpers
/// must meet the same bounds as the functions they stand in for.
@Suite struct FusedMathTests {
    /// Dekker's product with Veltkamp's split, written out here as the
    /// reference: exact for the magnitudes below, so any exact `lo` equals it.
    static func dekker(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        let hi = a * b
        let split = 134_217_729.0
        let ca = split * a
        let cb = split * b
        let ah = ca - (ca - a)
        let al = a - ah
        let bh = cb - (cb - b)
        let bl = b - bh
        return (hi, (((ah * bh - hi) + ah * bl) + al * bh) + al * bl)
    }

    @Test func exactProductAndSquareAreExact() {
        var rng = SplitMix64(seed: 0xF3A)
        var xs = (0..<4_000).map { _ in rng.uniform(-1...1) * Double.exp(rng.uniform(-40...40)) }
        xs += [1, -1, 1 / 3, 4700.25, 38.5, Double.ulpOfOne]
        while xs.count % 8 != 0 { xs.append(rng.uniform(-50...50)) }
        let ys = xs.map { _ in rng.uniform(0.5...2) * Double.exp(rng.uniform(-30...30)) }
        for (a, b) in zip(xs, ys) {
            let want = Self.dekker(a, b)
            let got = GammaFlow._exactProduct(a, b)
            #expect(got.hi == want.hi && got.lo == want.lo, "a=\(a) b=\(b): \(got) want \(want)")
            let sq = GammaFlow._exactSquare(a)
            let sqWant = Self.dekker(a, a)
            #expect(sq.hi == sqWant.hi && sq.lo == sqWant.lo, "x=\(a): \(sq) want \(sqWant)")
        }
        // SIMD lanes give the scalar twin's bits.
        var i = 0
        while i + 8 <= xs.count {
            let a = SIMD8<Double>(xs[i..<i + 8])
            let b = SIMD8<Double>(ys[i..<i + 8])
            let p = GammaFlow._exactProduct(a, b)
            let s = GammaFlow._exactSquare(a)
            for j in 0..<8 {
                let twin = GammaFlow._exactProduct(xs[i + j], ys[i + j])
                #expect(p.hi[j] == twin.hi && p.lo[j] == twin.lo, "lane \(j) of a=\(xs[i + j])")
                #expect(s.lo[j] == GammaFlow._exactSquare(xs[i + j]).lo, "lane \(j) of x=\(xs[i + j])")
            }
            i += 8
        }
        print("[accuracy] _exactProduct / _exactSquare exact (fused multiply-add: \(GammaFlow._fusedMultiplyAdd))")
    }

    /// `e^c n(x)` from one exponential against mpmath's n(x) times the
    /// platform's e^c (their product unrounded): within 2 ulps (the bound of
    /// `_normalDensity`) plus the reference's own error (half an ulp each in
    /// n(x) and e^c).
    @Test func discountedNormalDensityMatchesDensityTimesDiscount() {
        var rng = SplitMix64(seed: 0xD15C)
        var worst = WorstCase()
        for p in referenceNormalPoints() {
            for c in [0, -1e-9, -0.013, -rng.uniform(0...0.5), -rng.uniform(0...3)] {
                let got = GammaFlow._discountedNormalDensity(p.x, logDiscount: c)
                // The reference product unrounded, as hi + lo (Dekker).
                let (want, wantLo) = Self.dekker(p.pdf, Double.exp(c))
                guard want > 0x1p-960 else { continue }  // lo exact, not subnormal
                let e = abs((got - want) - wantLo) / want.ulp
                worst.record(e, "x=\(p.x) c=\(c) got \(got) want \(want)")
                #expect(e <= 3, "e^\(c) n(\(p.x)) = \(got), want \(want): \(e) ulps")
            }
        }
        print("[accuracy] _discountedNormalDensity vs mpmath n(x) e^c: max \(worst) ulps")
        var xs = (0..<1_600).map { _ in rng.uniform(-38...38) }
        let cs = xs.map { _ in -rng.uniform(0...1) }
        xs[0] = 0
        var i = 0
        while i + 8 <= xs.count {
            let v = GammaFlow._discountedNormalDensity(SIMD8(xs[i..<i + 8]), logDiscount: SIMD8(cs[i..<i + 8]))
            for j in 0..<8 {
                let s = GammaFlow._discountedNormalDensity(xs[i + j], logDiscount: cs[i + j])
                #expect(v[j].bitPattern == s.bitPattern, "lane \(j) of x=\(xs[i + j]) c=\(cs[i + j])")
            }
            i += 8
        }
    }

    /// N(x) with e^(-x^2/2) supplied (as the kernels do from n(d1)) meets the
    /// bound of `_normalCDF` against mpmath: (4 + 2 x^2) ulps, plus one ulp of
    /// 1 for |x| < sqrt 2.
    @Test func normalCDFWithGaussianAgainstHighPrecision() {
        var worst = WorstCase()
        for p in referenceNormalPoints() {
            let gaussian = GammaFlow._normalDensity(p.x) / _invSqrt2Pi
            let got = GammaFlow._normalCDF(p.x, gaussian: gaussian)
            let k = ulpError(got, p.cdf)
            let bound = (abs(p.x) < 1.414_213_562_373_095_1 ? 1.0.ulp / p.cdf.ulp : 0) + 4 + 2 * p.x * p.x
            worst.record(k / bound, "x=\(p.x) ulps \(k)")
            #expect(k <= bound, "N(\(p.x)) = \(got), want \(p.cdf): \(k) ulps")
        }
        print("[accuracy] _normalCDF(_:gaussian:) vs mpmath, in units of (4 + 2x^2) ulps: \(worst)")
    }
}

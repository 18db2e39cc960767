import Foundation
import Testing

@testable import GammaFlow

/// An independent, higher-precision reference for the implied-vol tests:
/// Black's formula in 80-bit extended precision (64-bit significand) with
/// the C library's `erfcl`, computing only the out-of-the-money side (the
/// in-the-money side adds the intrinsic value by put-call parity), so the
/// only cancellation is that of the two N() terms, three decimal digits
/// better than in double.
enum IVReference {
    #if arch(x86_64) && !os(Windows)
        typealias Wide = Float80
        static func erfc(_ x: Wide) -> Wide { erfcl(x) }
        static func exp(_ x: Wide) -> Wide { expl(x) }
        static func log(_ x: Wide) -> Wide { logl(x) }
        static let isExtended = true
    #else
        typealias Wide = Double
        static func erfc(_ x: Wide) -> Wide { Foundation.erfc(x) }
        static func exp(_ x: Wide) -> Wide { Foundation.exp(x) }
        static func log(_ x: Wide) -> Wide { Foundation.log(x) }
        static let isExtended = false
    #endif

    /// N(x) through `erfcl`; see ``otmNormalised(x:s:)`` for the far tail.
    static func cdf(_ x: Wide) -> Wide { 0.5 * erfc(-x * 0.707_106_781_186_547_524_400_844_362_104_849_039_3) }

    /// Mills' ratio R(y) = N(-y) / n(y) for y >= 2 by its continued fraction
    /// R(y) = 1/(y + 1/(y + 2/(y + 3/(y + ...)))), evaluated backwards.
    static func mills(_ y: Wide) -> Wide {
        var f = y
        for k in stride(from: 600, to: 0, by: -1) { f = y + Wide(k) / f }
        return 1 / f
    }

    /// The normalised out-of-the-money call b(x, s) = e^(x/2) N(h+t) - e^(-x/2) N(h-t),
    /// h = x/s, t = s/2, x <= 0. Out of the money (h + t < -2) as
    /// n~ (R(-h-t) - R(-h+t)), n~ = exp(-(h^2+t^2)/2)/sqrt(2 pi), so the
    /// cancellation of the two terms does not amplify the rounding of the
    /// exponent (glibc's `erfcl` there is also off by up to 1e-12; checked
    /// against mpmath at 50 digits).
    static func otmNormalised(x: Wide, s: Wide) -> Wide {
        let h = x / s, t = s / 2
        if h + t < -2 {
            let n = exp(-(h * h + t * t) / 2) * 0.398_942_280_401_432_677_939_946_059_934_381_868
            return n * (mills(-h - t) - mills(-h + t))
        }
        return exp(x / 2) * cdf(h + t) - exp(-x / 2) * cdf(h - t)
    }

    /// The price of one option (premium per unit of underlying), spot form.
    static func price(
        _ kind: OptionKind, spot S: Double, strike K: Double, years T: Double, vol sigma: Double, rate r: Double,
        dividendYield q: Double
    ) -> Double {
        let F = Wide(S) * exp(Wide(r - q) * Wide(T))
        let D = exp(-Wide(r) * Wide(T))
        let k = Wide(K)
        let s = Wide(sigma) * Wide(T).squareRoot()
        let phi: Wide = kind == .call ? 1 : -1
        let x = log(F / k)
        let inMoney = phi * x > 0
        // The out-of-the-money side by the reciprocal-strike symmetry, then parity.
        let otm = (F * k).squareRoot() * otmNormalised(x: -Swift.abs(x), s: s)
        let intrinsic = inMoney ? phi * (F - k) : 0
        return Double(D * (intrinsic + Swift.max(otm, 0)))
    }
}

/// A small seeded generator (SplitMix64) so that every random test replays.
struct IVSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ImpliedVolReferenceTests {
    /// Haug, *The Complete Guide to Option Pricing Formulas* (2nd ed.), p. 3:
    /// call S = 60, K = 65, T = 0.25, r = 8%, q = 0, sigma = 30% is worth 2.1334.
    @Test func referenceMatchesHaug() {
        let c = IVReference.price(.call, spot: 60, strike: 65, years: 0.25, vol: 0.3, rate: 0.08, dividendYield: 0)
        #expect(abs(c - 2.1334) < 5e-5, "reference call \(c)")
        let p = ImpliedVolatility.price(kind: .call, spot: 60, strike: 65, years: 0.25, vol: 0.3, rate: 0.08)
        #expect(abs(p - c) < 1e-14 * c, "library \(p) vs reference \(c)")
    }

    /// The reference obeys put-call parity C - P = S e^-qT - K e^-rT.
    @Test func referenceParity() {
        var rng = IVSeededGenerator(seed: 11)
        for _ in 0..<200 {
            let S = 100.0, K = Double.random(in: 50...150, using: &rng)
            let T = Double.random(in: 0.01...3, using: &rng), v = Double.random(in: 0.05...1, using: &rng)
            let r = 0.03, q = 0.01
            let c = IVReference.price(.call, spot: S, strike: K, years: T, vol: v, rate: r, dividendYield: q)
            let p = IVReference.price(.put, spot: S, strike: K, years: T, vol: v, rate: r, dividendYield: q)
            let parity = S * exp(-q * T) - K * exp(-r * T)
            #expect(abs(c - p - parity) < 1e-12 * S, "S=\(S) K=\(K) T=\(T) v=\(v)")
        }
    }
}

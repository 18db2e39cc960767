import Foundation
import RealModule

@testable import GammaFlow

/// One option's inputs, printed in full (shortest round-trip decimal) when a
/// test fails, so that the case can be replayed.
struct OptionInputs: CustomStringConvertible, Sendable {
    var kind: OptionKind
    var S: Double
    var K: Double
    var T: Double
    var sigma: Double
    var r: Double
    var q: Double

    var description: String { "kind=\(kind) S=\(S) K=\(K) T=\(T) sigma=\(sigma) r=\(r) q=\(q)" }

    /// The scalar reference (`BlackScholes.greeks`) at these inputs.
    var reference: OptionGreeks {
        BlackScholes.greeks(kind, spot: S, strike: K, years: T, vol: sigma, rate: r, dividendYield: q)
    }

    /// The same option with one input replaced.
    func with(S: Double? = nil, T: Double? = nil, sigma: Double? = nil) -> OptionInputs {
        var c = self
        c.S = S ?? self.S
        c.T = T ?? self.T
        c.sigma = sigma ?? self.sigma
        return c
    }
}

/// The members of ``OptionGreeks`` by name, for table-driven tests.
enum Greek: String, CaseIterable, Sendable {
    case price, delta, gamma, vega, theta, vanna, charm, vomma, speed, zomma, color

    func of(_ g: OptionGreeks) -> Double {
        switch self {
        case .price: g.price
        case .delta: g.delta
        case .gamma: g.gamma
        case .vega: g.vega
        case .theta: g.theta
        case .vanna: g.vanna
        case .charm: g.charm
        case .vomma: g.vomma
        case .speed: g.speed
        case .zomma: g.zomma
        case .color: g.color
        }
    }

    var selection: GreekSelection {
        switch self {
        case .price: .price
        case .delta: .delta
        case .gamma: .gamma
        case .vega: .vega
        case .theta: .theta
        case .vanna: .vanna
        case .charm: .charm
        case .vomma: .vomma
        case .speed: .speed
        case .zomma: .zomma
        case .color: .color
        }
    }

    static func members(of selection: GreekSelection) -> [Greek] {
        allCases.filter { selection.contains($0.selection) }
    }
}

/// The error measure of Docs/Accuracy.md ("scaled error"), in units of
/// `eps = 2^-52`:
/// ```
/// err = |computed - reference| / (eps * max(scale * kappa, 1e-280))
/// ```
/// - `scale` is the sum of the magnitudes of the terms that make up the Greek
///   (for gamma, vega, delta: the value itself), so that Greeks that cross
///   zero (theta, vanna, charm, vomma, speed, zomma, color) and prices that
///   cancel are measured against the size of what cancelled;
/// - `kappa = 1 + D * max(|d1|, |d2|)` is the conditioning of `n(d1)` and
///   `N(d)` on the absolute error of `d1`, which is a few ulps of
///   `D = (|ln(S/K)| + |(r - q) T|) / v + v / 2`, the magnitude of the terms
///   of `d1`: far in the tails (`|d1|` up to 38) a one-ulp difference in
///   `ln(S/K)` moves `n(d1)` by up to `d1^2` ulps;
/// - the floor `1e-280` turns results below about 1e-295 into absolute
///   comparisons: they are at or near the subnormal range, where relative
///   precision does not exist.
struct GreekErrorModel {
    let inputs: OptionInputs
    let d1: Double
    let d2: Double
    /// Magnitude of the terms of d1 and d2.
    let D: Double
    /// `1 + D max(|d1|, |d2|)`.
    let kappa: Double
    private let scales: [Greek: Double]

    init(_ x: OptionInputs) {
        inputs = x
        let (S, K, T, sigma, r, q) = (x.S, x.K, x.T, x.sigma, x.r, x.q)
        let sqrtT = T.squareRoot()
        let v = sigma * sqrtT
        let lnSK = BlackScholes.logRatio(S, K)
        d1 = (lnSK + (r - q) * T) / v + 0.5 * v
        d2 = d1 - v
        D = (abs(lnSK) + abs((r - q) * T)) / v + 0.5 * v
        kappa = 1 + D * max(abs(d1), abs(d2))
        let phi = x.kind.phi
        let n = BlackScholes.normalDensity(d1)
        let N1 = BlackScholes.normalCDF(phi * d1)
        let N2 = BlackScholes.normalCDF(phi * d2)
        let dq = Double.exp(-q * T)
        let dr = Double.exp(-r * T)
        let gamma = dq * n / (S * v)
        let vega = S * dq * n * sqrtT
        let carry = 2 * abs(r - q) * T + D * v
        scales = [
            .price: S * dq * N1 + K * dr * N2,
            .delta: dq * N1,
            .gamma: gamma,
            .vega: vega,
            .theta: S * dq * n * sigma / (2 * sqrtT) + abs(q) * S * dq * N1 + abs(r) * K * dr * N2,
            .vanna: dq * n * D / sigma,
            .charm: abs(q) * dq * N1 + dq * n * carry / (2 * T * v),
            .vomma: vega * D * D / sigma,
            .speed: gamma * (D / v + 1) / S,
            .zomma: gamma * (D * D + 1) / sigma,
            .color: dq * n / (2 * S * T * v) * (2 * abs(q) * T + 1 + D * carry / v),
        ]
    }

    /// The magnitude of the terms of `greek`.
    func scale(_ greek: Greek) -> Double { scales[greek]! }

    /// The scaled error, in units of eps = 2^-52.
    func error(_ greek: Greek, computed: Double, reference: Double) -> Double {
        let denominator = Double.ulpOfOne * max(scale(greek) * kappa, 1e-280)
        return abs(computed - reference) / denominator
    }

    /// Plain relative error `|computed - reference| / |reference|` (infinite
    /// where the reference is 0 and the computed value is not).
    static func relative(_ computed: Double, _ reference: Double) -> Double {
        computed == reference ? 0 : abs(computed - reference) / abs(reference)
    }
}

/// The worst value of a measure and the case where it happened.
struct WorstCase: CustomStringConvertible {
    var error = 0.0
    var note = ""

    mutating func record(_ e: Double, _ note: @autoclosure () -> String) {
        if e > error || e.isNaN {
            error = e
            self.note = note()
        }
    }

    var description: String { "\(error) at \(note)" }
}

/// Error in units in the last place of `reference` (`reference.ulp`, which
/// for subnormals and 0 is the least nonzero magnitude).
func ulpError(_ computed: Double, _ reference: Double) -> Double {
    if computed == reference { return 0 }
    if !computed.isFinite || !reference.isFinite { return .infinity }
    return abs(computed - reference) / reference.ulp
}

/// The high-precision reference cases of `ReferenceValues.greeksCSV`.
func referenceGreekCases() -> [(inputs: OptionInputs, exact: OptionGreeks)] {
    ReferenceValues.greeksCSV.split(separator: "\n").map { line in
        let f = line.split(separator: ",")
        let d = f.dropFirst().map { Double(String($0))! }
        let kind: OptionKind = f[0] == "C" ? .call : .put
        let x = OptionInputs(kind: kind, S: d[0], K: d[1], T: d[2], sigma: d[3], r: d[4], q: d[5])
        let g = OptionGreeks(
            price: d[6], delta: d[7], gamma: d[8], vega: d[9], theta: d[10], vanna: d[11], charm: d[12],
            vomma: d[13], speed: d[14], zomma: d[15], color: d[16])
        return (x, g)
    }
}

/// The high-precision `(x, N(x), n(x))` points of `ReferenceValues.normalCSV`.
func referenceNormalPoints() -> [(x: Double, cdf: Double, pdf: Double)] {
    ReferenceValues.normalCSV.split(separator: "\n").map { line in
        let f = line.split(separator: ",").map { Double(String($0))! }
        return (f[0], f[1], f[2])
    }
}

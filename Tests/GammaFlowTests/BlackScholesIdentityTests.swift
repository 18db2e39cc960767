import RealModule
import Testing

@testable import GammaFlow

/// The third independent check (STYLE.md 8): identities between calls and
/// puts that hold exactly in exact arithmetic, over seeded random inputs
/// covering the whole domain, for the reference and both batch paths.
@Suite struct BlackScholesIdentityTests {
    /// Random options: T from one second to 30 years and sigma from 0.01 to 5
    /// (log-uniform), d1 uniform in [-37, 37], rates of either sign.
    static func randomPairs(count: Int, seed: UInt64) -> [OptionInputs] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let S = rng.logUniform(1, 20_000)
            let T = rng.logUniform(1 / 31_536_000, 30)
            let sigma = rng.logUniform(0.01, 5)
            let r = rng.uniform(-0.01...0.10)
            let q = rng.uniform(0...0.06)
            let v = sigma * T.squareRoot()
            let d1 = rng.uniform(-37...37)
            let lnSK = max(min((d1 - 0.5 * v) * v - (r - q) * T, 50), -50)
            return OptionInputs(kind: .call, S: S, K: S * Double.exp(-lnSK), T: T, sigma: sigma, r: r, q: q)
        }
    }

    static let cases = randomPairs(count: 3_000, seed: 0x1DE7)

    /// Tolerance in eps (2^-52) of each side's magnitude times kappa.
    static let tolerance = 8.0

    struct Pair {
        let x: OptionInputs
        let call: OptionGreeks
        let put: OptionGreeks
    }

    /// The reference, fresh and prepared results for every case.
    static func pairs(_ x: [OptionInputs]) -> [(path: String, pairs: [Pair])] {
        let reference = x.map { c in
            var p = c
            p.kind = .put
            return Pair(x: c, call: c.reference, put: p.reference)
        }
        func batch(_ path: String, _ f: (OptionInputs, OptionKind) -> OptionGreeks) -> (String, [Pair]) {
            (path, x.map { Pair(x: $0, call: f($0, .call), put: f($0, .put)) })
        }
        // Each case is its own chain (its own S, r, q): nine copies for the fresh
        // kernel (lane 3 of the SIMD body is read), one for the prepared one
        // (its scalar twin).
        func fresh(_ c: OptionInputs, _ kind: OptionKind) -> OptionGreeks {
            _FreshKernel.evaluate(
                strikes: [Double](repeating: c.K, count: 9), kinds: [OptionKind](repeating: kind, count: 9),
                years: [Double](repeating: c.T, count: 9), vols: [Double](repeating: c.sigma, count: 9),
                market: MarketParameters(spot: c.S, rate: c.r, dividendYield: c.q), selection: .all, threads: 1)[3]
        }
        func prepared(_ c: OptionInputs, _ kind: OptionKind) -> OptionGreeks {
            GreeksEvaluator(
                strikes: [c.K], kinds: [kind], years: [c.T], vols: [c.sigma], rate: c.r, dividendYield: c.q
            ).greeks(spot: c.S, selection: .all)[0]
        }
        return [("reference", reference), batch("fresh", fresh), batch("prepared", prepared)]
    }

    @Test func callAndPutShareGammaVegaVannaVommaSpeedZommaColor() {
        for (path, pairs) in Self.pairs(Array(Self.cases.prefix(600))) {
            var worst = WorstCase()
            for p in pairs {
                for greek in [Greek.gamma, .vega, .vanna, .vomma, .speed, .zomma, .color] {
                    let m = GreekErrorModel(p.x)
                    let e = m.error(greek, computed: greek.of(p.call), reference: greek.of(p.put))
                    worst.record(e, "\(greek) \(p.x)")
                    #expect(
                        e <= Self.tolerance, "\(path) \(greek) \(p.x): call \(greek.of(p.call)) put \(greek.of(p.put))")
                }
            }
            print("[accuracy] identity call = put (gamma ... color), \(path): \(worst)")
        }
    }

    @Test func deltaCharmThetaDifferences() {
        for (path, pairs) in Self.pairs(Array(Self.cases.prefix(600))) {
            var worst = WorstCase()
            for p in pairs {
                let x = p.x
                let m = GreekErrorModel(x)
                let dq = Double.exp(-x.q * x.T)
                let dr = Double.exp(-x.r * x.T)
                // delta_C - delta_P = e^-qT
                let eDelta = abs((p.call.delta - p.put.delta) - dq) / (Double.ulpOfOne * dq * m.kappa)
                // charm_C - charm_P = q e^-qT  (charm = -dDelta/dT)
                let charmScale = m.scale(.charm) + abs(x.q) * dq
                let eCharm = abs((p.call.charm - p.put.charm) - x.q * dq) / (Double.ulpOfOne * charmScale * m.kappa)
                // theta_C - theta_P = q S e^-qT - r K e^-rT  (theta = -dV/dT)
                let thetaScale = m.scale(.theta) + abs(x.q) * x.S * dq + abs(x.r) * x.K * dr
                let eTheta =
                    abs((p.call.theta - p.put.theta) - (x.q * x.S * dq - x.r * x.K * dr))
                    / (Double.ulpOfOne * thetaScale * m.kappa)
                for (name, e) in [("delta", eDelta), ("charm", eCharm), ("theta", eTheta)] {
                    worst.record(e, "\(name) \(x)")
                    #expect(e <= Self.tolerance, "\(path) \(name) difference of \(x): \(e) eps")
                }
            }
            print("[accuracy] identity delta/charm/theta differences, \(path): \(worst)")
        }
    }

    @Test func putCallParity() {
        for (path, pairs) in Self.pairs(Array(Self.cases.prefix(600))) {
            var worst = WorstCase()
            for p in pairs {
                let x = p.x
                let m = GreekErrorModel(x)
                let forward = x.S * Double.exp(-x.q * x.T) - x.K * Double.exp(-x.r * x.T)
                // C - P = S e^-qT - K e^-rT; the scale is that of the four terms.
                let scale = x.S * Double.exp(-x.q * x.T) + x.K * Double.exp(-x.r * x.T)
                let e = abs((p.call.price - p.put.price) - forward) / (Double.ulpOfOne * scale * m.kappa)
                worst.record(e, "\(x) C=\(p.call.price) P=\(p.put.price)")
                #expect(e <= Self.tolerance, "\(path) parity \(x): C \(p.call.price) P \(p.put.price) F \(forward)")
            }
            print("[accuracy] put-call parity, \(path): \(worst)")
        }
    }

    /// n(d1) S e^-qT = n(d2) K e^-rT: the identity behind every closed form
    /// above. Its two sides differ by exp(d1 v - v^2/2 - ln(S/K) - (r - q) T),
    /// whose exponent carries the rounding of d1 times |d1| (hence kappa).
    @Test func densityIdentity() {
        var worst = WorstCase()
        for x in Self.cases {
            let m = GreekErrorModel(x)
            let a = BlackScholes.normalDensity(m.d1) * x.S * Double.exp(-x.q * x.T)
            let b = BlackScholes.normalDensity(m.d2) * x.K * Double.exp(-x.r * x.T)
            guard max(a, b) > 1e-280 else { continue }
            let e = abs(a - b) / (Double.ulpOfOne * max(a, b) * m.kappa)
            worst.record(e, "\(x)")
            #expect(e <= Self.tolerance, "\(x): n(d1) S e^-qT = \(a), n(d2) K e^-rT = \(b)")
        }
        print("[accuracy] n(d1) S e^-qT = n(d2) K e^-rT: \(worst)")
    }
}

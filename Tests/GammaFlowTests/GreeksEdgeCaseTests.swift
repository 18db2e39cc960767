import RealModule
import Testing

@testable import GammaFlow

/// The documented limits of `BlackScholes` (expiry, vanishing total vol,
/// the far tails), for the reference and both batch paths: never NaN, never
/// infinite, and the exact limit values where they are exact.
@Suite struct GreeksEdgeCaseTests {
    static let second = 1.0 / 31_536_000

    /// Reference, fresh (nine lanes: SIMD body and scalar tail) and prepared.
    static func allPaths(_ x: OptionInputs, selection: GreekSelection = .all) -> [(String, OptionGreeks)] {
        let n = 9
        let market = MarketParameters(spot: x.S, rate: x.r, dividendYield: x.q)
        let fresh = _FreshKernel.evaluate(
            strikes: .init(repeating: x.K, count: n), kinds: .init(repeating: x.kind, count: n),
            years: .init(repeating: x.T, count: n), vols: .init(repeating: x.sigma, count: n), market: market,
            selection: selection, threads: 1)
        let prepared = GreeksEvaluator(
            strikes: .init(repeating: x.K, count: n), kinds: .init(repeating: x.kind, count: n),
            years: .init(repeating: x.T, count: n), vols: .init(repeating: x.sigma, count: n), rate: x.r,
            dividendYield: x.q
        ).greeks(spot: x.S, selection: selection, threads: 1)
        return [
            ("reference", x.reference), ("fresh lane", fresh[0]), ("fresh tail", fresh[8]),
            ("prepared lane", prepared[0]), ("prepared tail", prepared[8]),
        ]
    }

    static func expectFinite(_ x: OptionInputs) {
        for (path, g) in allPaths(x) {
            for greek in Greek.allCases {
                #expect(greek.of(g).isFinite, "\(path) \(greek) of \(x) is \(greek.of(g))")
            }
        }
    }

    @Test(arguments: [0.0, -1e-9, -0.5])
    func atAndPastExpiryTheValueIsIntrinsic(T: Double) {
        for kind in OptionKind.allCases {
            for K in [4000.0, 4700, 5000] {
                let x = OptionInputs(kind: kind, S: 4700, K: K, T: T, sigma: 0.2, r: 0.05, q: 0.013)
                let phi = kind.phi
                let intrinsic = max(phi * (4700 - K), 0)
                let delta = 4700 == K ? phi * 0.5 : (phi * (4700 - K) > 0 ? phi : 0)
                for (path, g) in Self.allPaths(x) {
                    #expect(g.price == intrinsic, "\(path) price at \(x): \(g.price)")
                    #expect(g.delta == delta, "\(path) delta at \(x): \(g.delta)")
                    for greek in [Greek.gamma, .vega, .theta, .vanna, .charm, .vomma, .speed, .zomma, .color] {
                        #expect(greek.of(g) == 0, "\(path) \(greek) at \(x): \(greek.of(g))")
                    }
                }
            }
        }
    }

    @Test func vanishingTotalVolIsTheForwardLimit() {
        // sigma sqrt T = 0.01 * sqrt(1e-21) ~ 3e-13 < 1e-12.
        for kind in OptionKind.allCases {
            for K in [4000.0, 5000] {
                let x = OptionInputs(kind: kind, S: 4700, K: K, T: 1e-21, sigma: 0.01, r: 0.05, q: 0.013)
                let phi = kind.phi
                let dq = Double.exp(-x.q * x.T)
                let dr = Double.exp(-x.r * x.T)
                let itm = phi * (x.S * dq - x.K * dr) > 0
                for (path, g) in Self.allPaths(x) {
                    #expect(g.price == max(phi * (x.S * dq - x.K * dr), 0), "\(path) \(x): \(g.price)")
                    #expect(g.delta == (itm ? phi * dq : 0), "\(path) \(x): \(g.delta)")
                    #expect(g.theta == (itm ? phi * (x.q * x.S * dq - x.r * x.K * dr) : 0), "\(path) \(x): \(g.theta)")
                    for greek in [Greek.gamma, .vega, .vanna, .vomma, .speed, .zomma, .color] {
                        #expect(greek.of(g) == 0, "\(path) \(greek) at \(x): \(greek.of(g))")
                    }
                }
            }
        }
    }

    @Test func oneSecondToExpiryIsFiniteAndContinuous() {
        // One second, at and around the money, low and high vol: finite, and
        // the price sits between the discounted forward intrinsic value
        // max(phi (S e^-qT - K e^-rT), 0) and that plus S v.
        for kind in OptionKind.allCases {
            for sigma in [0.01, 0.2, 5] {
                for K in [4699.0, 4700, 4700.5, 4702] {
                    let x = OptionInputs(kind: kind, S: 4700, K: K, T: Self.second, sigma: sigma, r: 0.05, q: 0.013)
                    Self.expectFinite(x)
                    let g = x.reference
                    let dq = Double.exp(-x.q * x.T)
                    let dr = Double.exp(-x.r * x.T)
                    let intrinsic = max(kind.phi * (x.S * dq - x.K * dr), 0)
                    let v = sigma * x.T.squareRoot()
                    #expect(g.price >= intrinsic - 1e-9 && g.price <= intrinsic + x.S * v, "\(x): \(g.price)")
                }
            }
        }
    }

    @Test func atTheMoneyAtExpiryLimitsFromBothSides() {
        // As T -> 0 at S = K the call delta tends to 1/2 and the price to 0,
        // the value the T = 0 limit returns.
        let x = OptionInputs(kind: .call, S: 4700, K: 4700, T: Self.second * 1e-3, sigma: 0.2, r: 0, q: 0)
        let g = x.reference
        #expect(abs(g.delta - 0.5) < 1e-4, "\(g.delta)")
        #expect(g.price < 1e-2 && g.price > 0, "\(g.price)")
        #expect(x.with(T: 0).reference.delta == 0.5)
    }

    @Test(arguments: [1e-3, 1e3])
    func farTailsUnderflowCleanlyToZero(ratio: Double) {
        for kind in OptionKind.allCases {
            for T in [Self.second, 1.0 / 365, 7.0 / 365] {
                for sigma in [0.01, 0.2] {
                    let x = OptionInputs(kind: kind, S: 4700, K: 4700 * ratio, T: T, sigma: sigma, r: 0.05, q: 0.013)
                    let itm = kind.phi * (x.S - x.K) > 0
                    for (path, g) in Self.allPaths(x) {
                        for greek in [Greek.gamma, .vega, .vanna, .vomma, .speed, .zomma, .color] {
                            #expect(greek.of(g) == 0, "\(path) \(greek) of \(x): \(greek.of(g))")
                        }
                        let dq = Double.exp(-x.q * T)
                        let dr = Double.exp(-x.r * T)
                        // Deep in the money: the forward; deep out: exactly 0.
                        let price = itm ? kind.phi * (x.S * dq - x.K * dr) : 0
                        #expect(abs(g.price - price) <= 4 * Double.ulpOfOne * (x.S + x.K), "\(path) \(x): \(g.price)")
                        #expect(g.delta == (itm ? kind.phi * dq : 0), "\(path) \(x): \(g.delta)")
                        for greek in Greek.allCases {
                            #expect(greek.of(g).isFinite, "\(path) \(greek) of \(x): \(greek.of(g))")
                        }
                    }
                }
            }
        }
    }

    @Test func extremeCornersStayFinite() {
        let corners: [(T: Double, sigma: Double, ratio: Double)] = [
            (Self.second, 0.01, 1), (Self.second, 5, 1), (30, 5, 1), (30, 0.01, 1), (30, 5, 1e-3), (30, 5, 1e3),
            (Self.second, 0.01, 1 + 1e-9), (1e-20, 1, 1), (Self.second, 0.01, 1e3), (30, 0.01, 1e-3),
        ]
        for c in corners {
            for kind in OptionKind.allCases {
                Self.expectFinite(
                    OptionInputs(kind: kind, S: 4700, K: 4700 * c.ratio, T: c.T, sigma: c.sigma, r: 0.05, q: 0.013))
                Self.expectFinite(
                    OptionInputs(kind: kind, S: 4700, K: 4700 * c.ratio, T: c.T, sigma: c.sigma, r: -0.01, q: 0))
            }
        }
    }

    @Test func emptyChainsAreEmpty() {
        let e = GreeksEvaluator(strikes: [], kinds: [], years: [], vols: [], rate: 0.05)
        #expect(e.greeks(spot: 4700, selection: .all).count == 0)
        let f = _FreshKernel.evaluate(
            strikes: [], kinds: [], years: [], vols: [], market: MarketParameters(spot: 4700), selection: .all,
            threads: 2)
        #expect(f.count == 0 && f.gamma.isEmpty)
    }
}

import Foundation
import Testing

@testable import GammaFlow

/// Accuracy of the Let's Be Rational solver against the 80-bit reference.
///
/// Criteria (see Docs/ImpliedVolatility.md):
/// - round trip sigma -> price -> sigma within 1e-10 relative wherever the
///   price determines the vol, i.e. the vol's condition number
///   kappa = price / (sigma * vega) is at most 1e5 (a one-ulp change of the
///   price then moves sigma by at most 1e5 * 1.1e-16 = 1.1e-11 relative) and
///   the price is a normal double;
/// - re-pricing the solved vol reproduces the input price within 1e-12
///   relative wherever the price's elasticity to vol, 1 / kappa, is at most
///   1e3 (a one-ulp change of sigma then moves the price by at most 2.2e-13).
struct IVCase: CustomStringConvertible {
    var kind: OptionKind
    var spot = 100.0
    var strike: Double
    var years: Double
    var vol: Double
    var rate: Double
    var dividendYield: Double

    var description: String {
        "\(kind) S=\(spot) K=\(strike) T=\(years) sigma=\(vol) r=\(rate) q=\(dividendYield)"
    }

    var price: Double {
        IVReference.price(
            kind, spot: spot, strike: strike, years: years, vol: vol, rate: rate, dividendYield: dividendYield)
    }

    /// sigma * vega / price, the elasticity of the price to the vol.
    func elasticity(price: Double) -> Double {
        let F = spot * exp((rate - dividendYield) * years)
        let s = vol * years.squareRoot()
        let d1 = log(F / strike) / s + 0.5 * s
        let vega = exp(-rate * years) * F * BlackScholes.normalDensity(d1) * years.squareRoot()
        return vol * vega / price
    }
}

/// Solves every case in one batch and checks both criteria; returns the
/// numbers checked and the worst errors.
func checkIVCases(_ cases: [IVCase], label: String) -> (
    roundTrip: Int, reprice: Int, worstVol: Double, worstPrice: Double
) {
    let prices = cases.map(\.price)
    var roundTrip = 0, reprice = 0
    var worstVol = 0.0, worstPrice = 0.0
    // One batch per (r, q) pair is not needed: the batch takes one market, so group by it.
    let groups = Dictionary(grouping: cases.indices, by: { "\(cases[$0].rate) \(cases[$0].dividendYield)" })
    for (_, idx) in groups {
        let c0 = cases[idx[0]]
        let result = ImpliedVolatility.solve(
            prices: idx.map { prices[$0] }, strikes: idx.map { cases[$0].strike }, kinds: idx.map { cases[$0].kind },
            years: idx.map { cases[$0].years },
            market: MarketParameters(spot: c0.spot, rate: c0.rate, dividendYield: c0.dividendYield))
        for (j, i) in idx.enumerated() {
            let c = cases[i]
            let p = prices[i]
            let v = result.vols[j]
            #expect(!v.isNaN, "NaN vol for \(c)")
            guard p >= 2.3e-308 else { continue }
            let eta = c.elasticity(price: p)
            if eta >= 1e-5 {
                roundTrip += 1
                #expect(result.status[j] == .ok, "\(label): status \(result.status[j]) for \(c) price \(p)")
                let err = abs(v - c.vol) / c.vol
                if err > worstVol { worstVol = err }
                #expect(err <= 1e-10, "\(label): vol \(v) vs \(c.vol), rel \(err), eta \(eta) for \(c) price \(p)")
            }
            if result.status[j] == .ok && eta <= 1e3 {
                reprice += 1
                var back = c
                back.vol = v
                let err = abs(back.price - p) / p
                if err > worstPrice { worstPrice = err }
                #expect(err <= 1e-12, "\(label): reprice rel \(err), eta \(eta), vol \(v) for \(c) price \(p)")
            }
        }
    }
    print(
        "\(label): \(cases.count) cases, round trip checked \(roundTrip) (worst \(worstVol)), "
            + "reprice checked \(reprice) (worst \(worstPrice))")
    return (roundTrip, reprice, worstVol, worstPrice)
}

@Suite struct ImpliedVolAccuracyTests {
    static let sigmas = [0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3]
    static let minute = 1.0 / 525_600
    static let years = [minute, 10 * minute, 1.0 / 8_760, 1.0 / 365, 7.0 / 365, 30.0 / 365, 0.25, 1, 2, 5]
    /// Standardised moneyness h = ln(F/K) / (sigma sqrt T): 0 is at the money,
    /// -35 is as far out of the money as a call price stays representable.
    static let moneyness: [Double] = [
        -35, -30, -25, -20, -15, -12, -10, -8, -6, -4, -3, -2, -1.5, -1, -0.5, -0.2, -0.05, 0, 0.05, 0.2, 0.5,
        1, 1.5, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25, 30, 35,
    ]

    @Test func gridRoundTripAndReprice() {
        var cases: [IVCase] = []
        for (rate, q) in [(0.0, 0.0), (0.05, 0.02), (-0.01, 0.03)] {
            for sigma in Self.sigmas {
                for T in Self.years {
                    let F = 100 * exp((rate - q) * T)
                    let s = sigma * T.squareRoot()
                    for h in Self.moneyness {
                        let K = F * exp(-h * s)
                        for kind in OptionKind.allCases {
                            cases.append(
                                IVCase(kind: kind, strike: K, years: T, vol: sigma, rate: rate, dividendYield: q))
                        }
                    }
                }
            }
        }
        let r = checkIVCases(cases, label: "grid")
        #expect(r.roundTrip > cases.count / 2)
        #expect(r.reprice > cases.count / 2)
    }

    @Test func randomRoundTripAndReprice() {
        var rng = IVSeededGenerator(seed: 20_240_105)
        var cases: [IVCase] = []
        for _ in 0..<20_000 {
            let sigma = exp(Double.random(in: log(0.01)...log(3), using: &rng))
            let T = exp(Double.random(in: log(Self.minute)...log(5), using: &rng))
            let rate = [0.0, 0.05][Int.random(in: 0...1, using: &rng)]
            let q = [0.0, 0.02][Int.random(in: 0...1, using: &rng)]
            let F = 100 * exp((rate - q) * T)
            let h = Double.random(in: -36...36, using: &rng)
            let K = F * exp(-h * sigma * T.squareRoot())
            cases.append(
                IVCase(
                    kind: Bool.random(using: &rng) ? .call : .put, strike: K, years: T, vol: sigma, rate: rate,
                    dividendYield: q))
        }
        let r = checkIVCases(cases, label: "random")
        #expect(r.roundTrip > cases.count / 2)
    }

    /// Real strikes in index points: SPX-like chain from 1 minute to 2 years.
    @Test func indexChainRoundTrip() {
        var cases: [IVCase] = []
        for T in [Self.minute, 1.0 / 365, 0.1, 2] {
            for K in stride(from: 2_000.0, through: 8_000, by: 25) {
                let sigma = 0.12 + 0.4 * pow(log(K / 4_700), 2) / max(T, 0.05)
                for kind in OptionKind.allCases {
                    cases.append(
                        IVCase(
                            kind: kind, spot: 4_700, strike: K, years: T, vol: min(sigma, 3), rate: 0.053,
                            dividendYield: 0.014))
                }
            }
        }
        _ = checkIVCases(cases, label: "index chain")
    }
}

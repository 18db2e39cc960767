import Foundation
import Testing

@testable import GammaFlow

/// Statuses, the SIMD kernel against its scalar twin, the baseline solver,
/// and the pieces of the initial guess.
@Suite struct ImpliedVolEdgeTests {
    let market = MarketParameters(spot: 100, rate: 0.03, dividendYield: 0.01)

    @Test func statusesAtTheEdges() {
        let T = 0.5
        let F = 100 * exp(0.02 * T), D = exp(-0.03 * T)
        // Calls at K = 90: intrinsic D (F - K), upper bound D F.
        let intrinsic = D * (F - 90), upper = D * F
        let prices = [
            0, -1, .nan, intrinsic * (1 - 1e-9), upper * (1 + 1e-12), .infinity, 12, 12, intrinsic,
        ]
        let years = [T, T, T, T, T, T, 0, -1, T]
        let r = ImpliedVolatility.solve(
            prices: prices, strikes: Array(repeating: 90, count: prices.count),
            kinds: Array(repeating: .call, count: prices.count), years: years, market: market)
        #expect(
            r.status == [
                .noQuote, .noQuote, .noQuote, .belowIntrinsic, .aboveUpperBound, .aboveUpperBound, .expired, .expired,
                .belowIntrinsic,
            ])
        #expect(r.vols.allSatisfy { $0 == 0 }, "vols at non-ok statuses are exactly 0: \(r.vols)")
        #expect(r.statusCounts[.noQuote] == 3)
    }

    @Test func putBoundsAndParity() {
        let T = 0.25
        let D = exp(-0.03 * T)
        // A put is bounded by the discounted strike.
        let above = ImpliedVolatility.impliedVol(
            price: 120 * D * (1 + 1e-12), kind: .put, spot: 100, strike: 120, years: T, rate: 0.03, dividendYield: 0.01)
        #expect(above.status == .aboveUpperBound)
        // The call and the put of one strike at parity-consistent prices give one vol.
        let v = 0.37
        let c = ImpliedVolatility.price(
            kind: .call, spot: 100, strike: 110, years: T, vol: v, rate: 0.03, dividendYield: 0.01)
        let p = ImpliedVolatility.price(
            kind: .put, spot: 100, strike: 110, years: T, vol: v, rate: 0.03, dividendYield: 0.01)
        let vc = ImpliedVolatility.impliedVol(
            price: c, kind: .call, spot: 100, strike: 110, years: T, rate: 0.03, dividendYield: 0.01)
        let vp = ImpliedVolatility.impliedVol(
            price: p, kind: .put, spot: 100, strike: 110, years: T, rate: 0.03, dividendYield: 0.01)
        #expect(abs(vc.vol - v) < 1e-13 && abs(vp.vol - v) < 1e-13, "call \(vc) put \(vp)")
    }

    /// Different values in every lane; lengths 0, 1, lanes-1, lanes, lanes+1 and large,
    /// for both the eight-lane and the sixteen-lane step (and sixteen then eight):
    /// every SIMD lane must equal the scalar twin's answer for the same option.
    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 1_003])
    func simdMatchesScalarTwin(count: Int) {
        var rng = IVSeededGenerator(seed: UInt64(count) &+ 77)
        var prices = [Double](), strikes = [Double](), kinds = [OptionKind](), years = [Double]()
        for _ in 0..<count {
            let kind: OptionKind = Bool.random(using: &rng) ? .call : .put
            let K = exp(Double.random(in: log(40)...log(250), using: &rng))
            let T = exp(Double.random(in: log(1e-6)...log(5), using: &rng))
            let v = Double.random(in: 0.01...3, using: &rng)
            var p = ImpliedVolatility.price(
                kind: kind, spot: 100, strike: K, years: T, vol: v, rate: 0.03, dividendYield: 0.01)
            if Int.random(in: 0..<10, using: &rng) == 0 { p = [0, -1, 1e9][Int.random(in: 0...2, using: &rng)] }
            prices.append(p)
            strikes.append(K)
            kinds.append(kind)
            years.append(Int.random(in: 0..<20, using: &rng) == 0 ? 0 : T)
        }
        let batch = ImpliedVolatility.solve(
            prices: prices, strikes: strikes, kinds: kinds, years: years, market: market)
        #expect(batch.vols.count == count)
        for i in 0..<count {
            let one = ImpliedVolatility.impliedVol(
                price: prices[i], kind: kinds[i], spot: 100, strike: strikes[i], years: years[i], rate: 0.03,
                dividendYield: 0.01)
            // Same operations in the same order: exactness is the point.
            #expect(
                batch.vols[i].bitPattern == one.vol.bitPattern && batch.status[i] == one.status,
                "lane \(i % 8) of \(count): batch \(batch.vols[i]) \(batch.status[i]) scalar \(one.vol) \(one.status) for \(kinds[i]) K=\(strikes[i]) T=\(years[i]) price \(prices[i])"
            )
        }
    }

    /// The forward form and the spot form agree (F = S e^((r-q)T), D = e^(-rT)).
    @Test func forwardFormMatchesSpotForm() {
        var rng = IVSeededGenerator(seed: 5)
        let n = 101
        let K = (0..<n).map { _ in Double.random(in: 60...160, using: &rng) }
        let T = (0..<n).map { _ in Double.random(in: 0.01...2, using: &rng) }
        // Out of the money, so that the price determines the vol.
        let kinds = (0..<n).map { K[$0] > 100 * exp(0.02 * T[$0]) ? OptionKind.call : .put }
        let p = (0..<n).map {
            ImpliedVolatility.price(
                kind: kinds[$0], spot: 100, strike: K[$0], years: T[$0], vol: 0.25, rate: 0.03, dividendYield: 0.01)
        }
        let spotForm = ImpliedVolatility.solve(prices: p, strikes: K, kinds: kinds, years: T, market: market)
        let forwardForm = ImpliedVolatility.solve(
            prices: p, strikes: K, kinds: kinds, years: T, forwards: T.map { 100 * exp(0.02 * $0) },
            discountFactors: T.map { exp(-0.03 * $0) })
        for i in 0..<n {
            #expect(abs(spotForm.vols[i] - forwardForm.vols[i]) < 1e-12 * 0.25, "K=\(K[i]) T=\(T[i])")
            #expect(
                abs(spotForm.vols[i] - 0.25) < 1e-12,
                "K=\(K[i]) T=\(T[i]) vol \(spotForm.vols[i]) \(spotForm.status[i]) price \(p[i])")
        }
    }

    /// The Newton/bisection yardstick agrees where the textbook formula is well conditioned.
    @Test func baselineAgreesOnOrdinaryOptions() {
        var rng = IVSeededGenerator(seed: 9)
        let n = 500
        let K = (0..<n).map { _ in Double.random(in: 70...140, using: &rng) }
        let T = (0..<n).map { _ in Double.random(in: 0.02...3, using: &rng) }
        let v = (0..<n).map { _ in Double.random(in: 0.05...1.5, using: &rng) }
        let kinds = (0..<n).map { _ in Bool.random(using: &rng) ? OptionKind.call : .put }
        let p = (0..<n).map {
            ImpliedVolatility.price(
                kind: kinds[$0], spot: 100, strike: K[$0], years: T[$0], vol: v[$0], rate: 0.03, dividendYield: 0.01)
        }
        let lbr = ImpliedVolatility.solve(prices: p, strikes: K, kinds: kinds, years: T, market: market)
        let newton = ImpliedVolatility.solve(
            prices: p, strikes: K, kinds: kinds, years: T, market: market, method: .newtonBisection)
        #expect(newton.status == lbr.status)
        // Out of the money only: in the money the vol is ill-conditioned (the
        // time value is a sliver of the price) and the yardstick's stopping
        // rule, not its formula, decides the last digits.
        for i in 0..<n where lbr.status[i] == .ok && (kinds[i] == .call) == (K[i] > 100 * exp(0.02 * T[i])) {
            #expect(
                abs(newton.vols[i] - v[i]) < 1e-8 * v[i], "newton \(newton.vols[i]) vs \(v[i]), K=\(K[i]) T=\(T[i])")
        }
    }

    /// Acklam's inverse normal, used only for the initial guess, is good to 1.2e-9 relative.
    @Test func inverseNormalForTheGuess() {
        var worst = 0.0
        for e in stride(from: -300.0, through: log10(0.5), by: 0.37) {
            let p = pow(10, e)
            let z = _inverseNormalCDFLowerHalf(p)
            let back = BlackScholes.normalCDF(z)
            // Relative error of z from the relative error of N(z): dz = dN / n(z).
            let err = abs(back - p) / (BlackScholes.normalDensity(z) * max(abs(z), 1e-300))
            worst = max(worst, err)
        }
        #expect(worst < 1.5e-9, "worst relative error \(worst)")
    }

    /// The normalised Black function against the 80-bit reference, far out of the money and near expiry.
    @Test func normalisedBlackAccuracy() {
        var worst = 0.0
        var worstCase = ""
        for h in stride(from: -36.0, through: 0, by: 0.5) {
            for logS in stride(from: -12.0, through: 1.5, by: 0.25) {
                let s = exp(logS)
                let x = h * s
                let b = _normalisedBlack(x: x, s: s).b
                typealias W = IVReference.Wide
                let (wx, ws) = (W(x), W(s))
                let ref = Double(IVReference.otmNormalised(x: wx, s: ws))
                guard ref > 1e-300 else { continue }
                // The reference's R(-h-t) - R(-h+t) cancels by about |h| / s; keep
                // where that leaves it 10x more accurate than the check.
                guard max(abs(h), 1) / s < 1e5 else { continue }
                let err = abs(b - ref) / ref
                if err > worst {
                    worst = err
                    worstCase = "x=\(x) s=\(s) b=\(b) ref=\(ref)"
                }
            }
        }
        print("normalised Black: worst relative error \(worst) at \(worstCase)")
        #expect(worst < 1e-13, "\(worstCase)")
        // One point deep in the tail against mpmath at 40 digits
        // (mp.exp(x/2)*mp.ncdf(x/s+s/2) - mp.exp(-x/2)*mp.ncdf(x/s-s/2)).
        let b = _normalisedBlack(x: -0.186_286_903_170_939_16, s: 0.005_247_518_399_181_385).b
        #expect(abs(b / 3.627_141_136_880_545_335_434_574_628e-280 - 1) < 5e-14, "b = \(b)")
    }
}

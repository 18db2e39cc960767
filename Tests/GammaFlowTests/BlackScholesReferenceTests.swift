import Foundation
import Testing

@testable import GammaFlow

@Suite struct QuickSanity {
    @Test func batchMatchesReference() throws {
        var rng = SystemRandomNumberGenerator()
        let n = 1003
        var K = [Double](), T = [Double](), sig = [Double](), kinds = [OptionKind]()
        for _ in 0..<n {
            K.append(Double.random(in: 3000...6000, using: &rng))
            T.append(Double.random(in: 1e-6...3, using: &rng))
            sig.append(Double.random(in: 0.05...1.5, using: &rng))
            kinds.append(Bool.random(using: &rng) ? .call : .put)
        }
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let chain = try OptionChain(
            symbols: Array(repeating: "X", count: n), strikes: K,
            expiries: T.map { now.addingTimeInterval($0 * 31_536_000) }, kinds: kinds, impliedVols: sig,
            openInterest: Array(repeating: 1, count: n), valuationTime: now)
        let m = MarketParameters(spot: 4700, rate: 0.05, dividendYield: 0.01)
        let batch = chain.greeks(m, selection: .all)
        let ev = GreeksEvaluator(chain: chain, rate: 0.05, dividendYield: 0.01).greeks(spot: 4700, selection: .all)
        var worst = 0.0, worstP = 0.0
        for i in 0..<n {
            let ref = BlackScholes.greeks(
                kinds[i], spot: 4700, strike: K[i], years: chain.yearsToExpiry[i], vol: sig[i], rate: 0.05,
                dividendYield: 0.01)
            for (a, b, c) in [
                (batch[i].gamma, ref.gamma, ev[i].gamma), (batch[i].price, ref.price, ev[i].price),
                (batch[i].delta, ref.delta, ev[i].delta), (batch[i].vanna, ref.vanna, ev[i].vanna),
                (batch[i].charm, ref.charm, ev[i].charm), (batch[i].color, ref.color, ev[i].color),
            ] {
                let scale = max(abs(b), 1e-300)
                worst = max(worst, abs(a - b) / scale)
                worstP = max(worstP, abs(c - b) / scale)
            }
        }
        print("worst rel fresh", worst, "prepared", worstP)
        #expect(worst < 1e-10)
    }
}

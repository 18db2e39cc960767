import Foundation
import RealModule
import Testing

@testable import GammaFlow

/// The batch kernels (fresh: `OptionChain.greeks` / `_FreshKernel`; prepared:
/// `GreeksEvaluator`) against the scalar reference, with a different option
/// in every SIMD lane, at lengths 0, 1, lanes - 1, lanes, lanes + 1 and
/// large, on one and two threads, for every `GreekSelection` variant.
///
/// Agreement is measured with `GreekErrorModel`'s scaled error (eps units of
/// the magnitude of the terms, times kappa = 1 + D max(|d1|, |d2|)): each
/// path is within ~2 of the exact value (BlackScholesReferenceTests), so
/// their difference stays within 8. Where kappa <= 6 that is 1e-14 of the
/// terms' magnitude; in the far tails (|d1| ~ 38, kappa ~ 1500) it is 3e-12.
@Suite struct BatchKernelLaneTests {
    static let lengths = [0, 1, 7, 8, 9, 10_001]
    static let selections: [GreekSelection] = [.gammaVanna, .standard, .all]
    static let tolerance = 8.0
    static let market = MarketParameters(spot: 4700, rate: 0.05, dividendYield: 0.013)

    /// `n` options at spot 4700 over the whole domain: T one second to 30
    /// years and sigma 0.01 to 5 (log-uniform), d1 uniform in [-40, 40], and
    /// every 16th option far in the tails (K/S = 1e-3 or 1e3) or expired.
    static func chainColumns(_ n: Int, seed: UInt64) -> [OptionInputs] {
        var rng = SplitMix64(seed: seed)
        let (S, r, q) = (market.spot, market.rate, market.dividendYield)
        return (0..<n).map { i in
            let kind = rng.kind()
            let T = rng.logUniform(1 / 31_536_000, 30)
            let sigma = rng.logUniform(0.01, 5)
            var K: Double
            switch i % 16 {
            case 5: K = S * 1e-3
            case 11: K = S * 1e3
            default:
                let v = sigma * T.squareRoot()
                let lnSK = max(min((rng.uniform(-40...40) - 0.5 * v) * v - (r - q) * T, 7), -7)
                K = S * Double.exp(-lnSK)
            }
            K = K.isFinite ? K : S
            let years = i % 16 == 13 ? -rng.uniform(0...0.01) : T
            return OptionInputs(kind: kind, S: S, K: K, T: years, sigma: sigma, r: r, q: q)
        }
    }

    static func compare(
        _ path: String, _ x: [OptionInputs], _ g: ChainGreeks, _ selection: GreekSelection, _ worst: inout WorstCase
    ) {
        #expect(g.count == x.count)
        for (i, c) in x.enumerated() {
            let ref = c.reference
            let m = GreekErrorModel(c)
            for greek in Greek.members(of: selection) {
                let got = greek.of(g[i])
                let want = greek.of(ref)
                let e = c.T > 0 ? m.error(greek, computed: got, reference: want) : (got == want ? 0 : .infinity)
                worst.record(e, "[\(i)] \(greek) \(c) got \(got) want \(want)")
                #expect(
                    e <= tolerance && got.isFinite,
                    "\(path) [\(i)] lane \(i % 8) \(greek) of \(c): batch \(got), reference \(want), \(e) eps")
            }
            for greek in Greek.allCases where !selection.contains(greek.selection) {
                #expect(greek.of(g[i]) == 0, "\(path): \(greek) was not selected but is \(greek.of(g[i]))")
            }
        }
    }

    @Test(arguments: lengths, [1, 2])
    func freshAndPreparedMatchReference(length: Int, threads: Int) {
        let x = Self.chainColumns(length, seed: 0x1A4E + UInt64(length))
        let K = x.map(\.K)
        let kinds = x.map(\.kind)
        let T = x.map(\.T)
        let sigma = x.map(\.sigma)
        let evaluator = GreeksEvaluator(
            strikes: K, kinds: kinds, years: T, vols: sigma, rate: Self.market.rate,
            dividendYield: Self.market.dividendYield)
        var worstFresh = WorstCase()
        var worstPrepared = WorstCase()
        for selection in Self.selections {
            let fresh = _FreshKernel.evaluate(
                strikes: K, kinds: kinds, years: T, vols: sigma, market: Self.market, selection: selection,
                threads: threads)
            Self.compare("fresh n=\(length) threads=\(threads)", x, fresh, selection, &worstFresh)
            let prepared = evaluator.greeks(spot: Self.market.spot, selection: selection, threads: threads)
            Self.compare("prepared n=\(length) threads=\(threads)", x, prepared, selection, &worstPrepared)
        }
        if length > 100 {
            print("[accuracy] lanes n=\(length) threads=\(threads) fresh vs reference: \(worstFresh)")
            print("[accuracy] lanes n=\(length) threads=\(threads) prepared vs reference: \(worstPrepared)")
        }
    }

    /// The SIMD body and its scalar twin run the same operations in the same
    /// order: every option evaluated in a lane equals the same option
    /// evaluated alone (which takes the scalar tail). Equality is IEEE `==`,
    /// exact to the last bit except that +0 equals -0: the standard library
    /// negates SIMD vectors as `0 - x`, which turns -(+0) into +0 where the
    /// scalar negation gives -0 (vanna where n(d1) underflows to 0).
    @Test(arguments: selections)
    func simdLanesEqualScalarTwin(_ selection: GreekSelection) {
        let x = Self.chainColumns(203, seed: 0xB17)
        let K = x.map(\.K)
        let kinds = x.map(\.kind)
        let T = x.map(\.T)
        let sigma = x.map(\.sigma)
        let (r, q) = (Self.market.rate, Self.market.dividendYield)
        let fresh = _FreshKernel.evaluate(
            strikes: K, kinds: kinds, years: T, vols: sigma, market: Self.market, selection: selection, threads: 1)
        let prepared = GreeksEvaluator(strikes: K, kinds: kinds, years: T, vols: sigma, rate: r, dividendYield: q)
            .greeks(spot: Self.market.spot, selection: selection, threads: 1)
        for i in 0..<x.count {
            let f1 = _FreshKernel.evaluate(
                strikes: [K[i]], kinds: [kinds[i]], years: [T[i]], vols: [sigma[i]], market: Self.market,
                selection: selection, threads: 1)[0]
            let p1 = GreeksEvaluator(
                strikes: [K[i]], kinds: [kinds[i]], years: [T[i]], vols: [sigma[i]], rate: r, dividendYield: q
            ).greeks(spot: Self.market.spot, selection: selection, threads: 1)[0]
            for greek in Greek.members(of: selection) {
                #expect(
                    greek.of(fresh[i]) == greek.of(f1),
                    "fresh lane \(i % 8) \(greek) of \(x[i]): SIMD \(greek.of(fresh[i])), scalar \(greek.of(f1))")
                #expect(
                    greek.of(prepared[i]) == greek.of(p1),
                    "prepared lane \(i % 8) \(greek) of \(x[i]): SIMD \(greek.of(prepared[i])), scalar \(greek.of(p1))")
            }
        }
    }

    /// The public entry point: an `OptionChain` built from dates, on one and
    /// two threads, agrees with the reference at its own `yearsToExpiry`.
    @Test(arguments: [1, 2])
    func optionChainGreeksMatchReference(threads: Int) throws {
        let x = Self.chainColumns(1_001, seed: 0xC4A1)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let chain = try OptionChain(
            symbols: x.indices.map { "O\($0)" }, strikes: x.map(\.K),
            expiries: x.map { now.addingTimeInterval(($0.T * 31_536_000).rounded()) }, kinds: x.map(\.kind),
            impliedVols: x.map(\.sigma), openInterest: [Double](repeating: 1, count: x.count), valuationTime: now)
        let y = x.indices.map { i in
            var c = x[i]
            c.T = chain.yearsToExpiry[i]
            return c
        }
        var worst = WorstCase()
        for selection in Self.selections {
            Self.compare(
                "OptionChain.greeks threads=\(threads)", y,
                chain.greeks(Self.market, selection: selection, threads: threads),
                selection, &worst)
        }
        print("[accuracy] OptionChain.greeks threads=\(threads) vs reference: \(worst)")
    }

    @Test func oneAndTwoThreadsAgreeExactly() {
        let x = Self.chainColumns(10_001, seed: 0x7E)
        let K = x.map(\.K)
        let kinds = x.map(\.kind)
        let T = x.map(\.T)
        let sigma = x.map(\.sigma)
        let e = GreeksEvaluator(strikes: K, kinds: kinds, years: T, vols: sigma, rate: 0.05, dividendYield: 0.013)
        let a = e.greeks(spot: 4700, selection: .all, threads: 1)
        let b = e.greeks(spot: 4700, selection: .all, threads: 2)
        for greek in Greek.allCases {
            let ca = (0..<x.count).map { greek.of(a[$0]) }
            let cb = (0..<x.count).map { greek.of(b[$0]) }
            #expect(ca.map(\.bitPattern) == cb.map(\.bitPattern), "\(greek): threads 1 and 2 differ")
        }
    }

    /// The batch kernel reads phi straight from the kind column's bytes
    /// (`_loadPhi`): one byte per option, 0 for a call and 1 for a put.
    @Test func optionKindIsOneByteHoldingItsCaseIndex() {
        #expect(MemoryLayout<OptionKind>.size == 1 && MemoryLayout<OptionKind>.stride == 1)
        #expect(unsafeBitCast(OptionKind.call, to: UInt8.self) == 0)
        #expect(unsafeBitCast(OptionKind.put, to: UInt8.self) == 1)
        let kinds: [OptionKind] = [.put, .call, .call, .put, .put, .put, .call, .put, .call]
        kinds.withUnsafeBufferPointer { p in
            for i in 0...1 {
                let phi = GammaFlow._loadPhi(p.baseAddress!, i)
                for j in 0..<8 { #expect(phi[j] == kinds[i + j].phi, "lane \(j) from \(i)") }
            }
        }
    }
}

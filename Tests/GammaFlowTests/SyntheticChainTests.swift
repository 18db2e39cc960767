import Foundation
import Testing

@testable import GammaFlow

/// `OptionChain.syntheticSPX`: deterministic, exact sizes, SPX-like shape,
/// and the committed sample chain matches its generator.
@Suite struct SyntheticChainTests {
    /// The sample's valuation instant, `make demo`'s as-of: 2026-11-20T15:30:00Z,
    /// a Friday (a monthly expiry) at 10:30 New York.
    static let sampleAsOf = Date(timeIntervalSince1970: 1_795_188_600)
    /// The sample's spot, `make demo`'s spot.
    static let sampleSpot = 5850.0
    static let sampleSeed: UInt64 = 1

    /// `Examples/data/spx_sample_chain.csv`, found from this file's path.
    static var samplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/data/spx_sample_chain.csv").path
    }

    static func sample() -> OptionChain {
        OptionChain.syntheticSPX(spot: sampleSpot, valuationTime: sampleAsOf, seed: sampleSeed)
    }

    @Test func deterministicPerSeed() {
        let a = OptionChain.syntheticSPX(count: 5_000, valuationTime: Self.sampleAsOf, seed: 3)
        let b = OptionChain.syntheticSPX(count: 5_000, valuationTime: Self.sampleAsOf, seed: 3)
        let c = OptionChain.syntheticSPX(count: 5_000, valuationTime: Self.sampleAsOf, seed: 4)
        #expect(a.csvText() == b.csvText())
        #expect(a.strikes == c.strikes && a.expiries == c.expiries)
        #expect(a.impliedVols != c.impliedVols && a.openInterest != c.openInterest)
    }

    @Test(arguments: [0, 1, 2, 3, 7, 8, 13, 999, 1_000, 3_199, 3_200, 12_345, 100_000])
    func exactCount(_ n: Int) {
        let chain = OptionChain.syntheticSPX(count: n, spot: 4_321, valuationTime: Self.sampleAsOf)
        #expect(chain.count == n)
        #expect(chain.yearsToExpiry.allSatisfy { $0 > 0 })
        var seen = Set<String>()
        for i in 0..<chain.count {
            // Every (expiry, strike, type) at most once; symbols unique.
            let key = "\(chain.expiries[i].timeIntervalSince1970)/\(chain.strikes[i])/\(chain.kinds[i])"
            if !seen.insert(key).inserted {
                Issue.record("n = \(n): option \(i) repeats \(key)")
                break
            }
        }
        #expect(Set(chain.symbols).count == n, "n = \(n): symbols repeat")
        if n >= 1_000 {
            #expect(Set(chain.expiries).count >= 7, "n = \(n)")
            #expect(chain.strikes.min()! >= 0.69 * 4_321 && chain.strikes.max()! <= 1.21 * 4_321)
        }
    }

    @Test func naturalChainIsSPXLike() throws {
        let chain = Self.sample()
        let spot = Self.sampleSpot  // 5850: grid edges 4100, 5250, 5550, 6150, 6450, 7000
        #expect((2_000...4_000).contains(chain.count), "\(chain.count) options")
        let expiries = Set(chain.expiries).sorted()
        #expect(expiries.count == 7)
        let firstHours = expiries[0].timeIntervalSince(Self.sampleAsOf) / 3_600
        let lastDays = expiries.last!.timeIntervalSince(Self.sampleAsOf) / 86_400
        #expect(firstHours > 0 && firstHours < 24, "0DTE: \(firstHours) hours left")
        #expect(lastDays > 330 && lastDays < 400, "longest: \(lastDays) days")

        for expiry in expiries {
            let idx = chain.expiries.indices.filter { chain.expiries[$0] == expiry }
            let strikes = Set(idx.map { chain.strikes[$0] }).sorted()
            #expect(strikes.first == 4_100 && strikes.last == 7_000)
            // Grid steps: 5 near the money, 10 then 25 further out, all on 5-point multiples.
            let steps = Set(zip(strikes.dropFirst(), strikes).map { $0 - $1 })
            #expect(steps == [5, 10, 25])
            let nearSteps = zip(strikes.dropFirst(), strikes).filter { abs($0.1 / spot - 1) < 0.045 }.map { $0 - $1 }
            #expect(!nearSteps.isEmpty && nearSteps.allSatisfy { $0 == 5 })

            // Skew: the lowest strike's put has a higher vol than the ATM put, which is above the 110% call.
            func vol(_ k: Double, _ kind: OptionKind) -> Double {
                chain.impliedVols[idx.first { chain.strikes[$0] == k && chain.kinds[$0] == kind }!]
            }
            #expect(vol(4_100, .put) > vol(spot, .put) + 0.05)
            #expect(vol(spot, .put) > vol(6_450, .call))
            #expect(idx.allSatisfy { chain.impliedVols[$0] > 0.03 && chain.impliedVols[$0] < 3 })
        }
        // Term structure: short expiries have higher ATM vol.
        func atm(_ e: Date) -> Double {
            chain.impliedVols[chain.strikes.indices.first { chain.expiries[$0] == e && chain.strikes[$0] == spot }!]
        }
        #expect(atm(expiries[0]) > atm(expiries.last!) + 0.03)

        // Open interest: round strikes and the money attract it.
        func meanOI(_ keep: (Double) -> Bool) -> Double {
            let sel = chain.strikes.indices.filter {
                keep(chain.strikes[$0]) && abs(chain.strikes[$0] / spot - 1) < 0.05
            }
            return sel.reduce(0) { $0 + chain.openInterest[$1] } / Double(sel.count)
        }
        #expect(
            meanOI { $0.truncatingRemainder(dividingBy: 100) == 0 }
                > 2 * meanOI { $0.truncatingRemainder(dividingBy: 25) != 0 })
        let near = chain.strikes.indices.filter { abs(chain.strikes[$0] / spot - 1) < 0.03 }
        let far = chain.strikes.indices.filter { abs(chain.strikes[$0] / spot - 1) > 0.15 }
        #expect(
            near.reduce(0.0) { $0 + chain.openInterest[$1] } / Double(near.count)
                > 3 * (far.reduce(0.0) { $0 + chain.openInterest[$1] } / Double(far.count)))
        #expect(chain.openInterest.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
    }

    /// The committed sample is `syntheticSPX(spot: 5850, valuationTime:
    /// 2026-11-20T15:30:00Z, seed: 1)`. Set `GAMMAFLOW_WRITE_SAMPLE_CHAIN=1`
    /// to rewrite it (see Examples/data/README.md).
    @Test func committedSampleMatchesGenerator() throws {
        let chain = Self.sample()
        if ProcessInfo.processInfo.environment["GAMMAFLOW_WRITE_SAMPLE_CHAIN"] == "1" {
            try chain.csvText().write(toFile: Self.samplePath, atomically: true, encoding: .utf8)
            print("wrote \(chain.count) options to \(Self.samplePath)")
        }
        guard FileManager.default.fileExists(atPath: Self.samplePath) else {
            Issue.record(
                "missing \(Self.samplePath); run GAMMAFLOW_WRITE_SAMPLE_CHAIN=1 swift test --filter committedSample")
            return
        }
        let loaded = try OptionChain.load(csvAt: Self.samplePath, valuationTime: Self.sampleAsOf)
        #expect(loaded.ignoredColumns.isEmpty)
        let file = loaded.chain
        #expect(file.count == chain.count)
        guard file.count == chain.count else { return }
        #expect(file.symbols == chain.symbols && file.strikes == chain.strikes && file.kinds == chain.kinds)
        #expect(file.expiries == chain.expiries)
        // Vols are rounded to 1e-4 and open interest to whole contracts; allow one step for a platform's
        // last-bit difference in exp/log landing on a rounding boundary.
        for i in 0..<file.count
        where abs(file.impliedVols[i] - chain.impliedVols[i]) > 1.01e-4
            || abs(file.openInterest[i] - chain.openInterest[i]) > 1
        {
            Issue.record(
                "row \(i + 2): file \(file.impliedVols[i]), \(file.openInterest[i]); generator \(chain.impliedVols[i]), \(chain.openInterest[i])"
            )
            break
        }
    }
}

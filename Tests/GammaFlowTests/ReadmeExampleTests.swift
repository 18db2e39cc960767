import Foundation
import GammaFlow
import Testing

/// The library example of README.md, kept compiling and running here so the
/// README never shows code that does not build. Keep the two in step.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleRunsOnTheBundledChain() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Examples/data/spx_sample_chain.csv").standardized.path
        let summary = try Self.example(chainPath: path)
        #expect(summary.gammaATM > 0 && summary.gammaATM.isFinite)
        #expect(summary.zeroGamma.map(\.isFinite) ?? true)
        #expect(summary.sellOnOnePercentDrop.isFinite)
    }

    static func example(chainPath: String) throws -> (
        gammaATM: Double, zeroGamma: Double?, sellOnOnePercentDrop: Double
    ) {
        // --- README example begins ---
        let asOf = ISO8601Timestamp.date(from: "2026-11-20T15:30:00Z")!
        let chain = try OptionChain.load(csvAt: chainPath, valuationTime: asOf).chain
        let market = MarketParameters(spot: 5850, rate: 0.04, dividendYield: 0.013)

        let greeks = chain.greeks(market, selection: .standard)  // one SIMD pass over the columns
        print(greeks.gamma[0], greeks[0].dollarGammaPerOnePercent(spot: market.spot))

        let book = try DealerBook(chain: chain, convention: .longCallsShortPuts, rate: 0.04, dividendYield: 0.013)
        let levels = book.levels(spot: market.spot)
        print(levels.callWall ?? .nan, levels.putWall ?? .nan, levels.zeroGamma ?? .nan, levels.regime)

        let flow = book.spotMoveFlow(from: market.spot, to: market.spot * 0.99)
        print("a 1% drop makes dealers trade \(flow.dollars) dollars of the underlying")
        // --- README example ends ---
        let atm = chain.strikes.indices.min {
            abs(chain.strikes[$0] - market.spot) < abs(chain.strikes[$1] - market.spot)
        }!
        return (greeks.gamma[atm], levels.zeroGamma, flow.dollars)
    }
}

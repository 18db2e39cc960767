import Foundation
import Testing

@testable import GammaFlow

/// Properties of GEX under conventions: identities that must hold whatever
/// the data, checked on the real SPX snapshot.
@Suite struct CBOEConventionsTests {
    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func modelGEXAgreesWithTheChainRoute() throws {
        // Two routes to the same number: quote data under GammaFlow's conventions, and the
        // snapshot's chain through the batch Greeks and the dealer convention's positions.
        let s = try CBOESnapshot.load(path: CBOESamples.spx)
        let direct = s.quotes.gammaExposure(.gammaFlow)
        let gamma = s.chain.greeks(MarketParameters(spot: s.spot), selection: .gamma).gamma
        let positions = try DealerConvention.longCallsShortPuts.positions(for: s.chain)
        var viaChain = 0.0
        for i in gamma.indices { viaChain += positions[i] * 100 * gamma[i] * s.spot * s.spot * 0.01 }
        #expect(direct.included == s.chain.count)
        #expect(direct.excludedExpired == s.report.count(.expired))
        #expect(direct.excludedNoGamma == s.report.count(.noImpliedVol))
        #expect(abs(direct.netGEX - viaChain) <= 1e-12 * abs(viaChain), "\(direct.netGEX) vs \(viaChain)")
        // Scalar reference for the grid: the profile at each level from BlackScholes.greeks.
        let level = direct.levels[17]
        var scalar = 0.0
        for i in 0..<s.chain.count {
            let g = BlackScholes.greeks(
                s.chain.kinds[i], spot: level, strike: s.chain.strikes[i], years: s.chain.yearsToExpiry[i],
                vol: s.chain.impliedVols[i]
            ).gamma
            scalar += positions[i] * 100 * g * level * level * 0.01
        }
        #expect(abs(direct.profile[17] - scalar) <= 1e-10 * abs(scalar), "\(direct.profile[17]) vs \(scalar)")
    }

    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func oppositeDealerSignNegatesEverythingButZeroGamma() throws {
        let q = try CBOEQuoteData(path: CBOESamples.spx)
        let a = q.gammaExposure(.gammaFlow)
        var c = GEXConventions.gammaFlow
        c.dealer = .shortCallsLongPuts
        let b = q.gammaExposure(c)
        #expect(b.netGEX == -a.netGEX)
        #expect(zip(a.profile, b.profile).allSatisfy { $0 == -$1 })
        #expect(a.zeroGammaFirstCrossing == b.zeroGammaFirstCrossing)
        let za = try #require(a.zeroGammaNearestSpot)
        let zb = try #require(b.zeroGammaNearestSpot)
        #expect(abs(za - zb) <= 0.01)
    }

    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func zeroGammaRootIsARoot() throws {
        let q = try CBOEQuoteData(path: CBOESamples.spx)
        let r = q.gammaExposure(.gammaFlow)
        let z = try #require(r.zeroGammaNearestSpot)
        let curve = Self.curve(q, .gammaFlow)
        // The GEX curve changes sign within 0.01 of the refined root.
        #expect(curve(z - 0.01) * curve(z + 0.01) <= 0, "zero gamma \(z)")
    }

    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func settlementAndExpiryChoicesOnMonthlyExpirationMorning() throws {
        // Valued at 12:00 New York on Friday 19 January 2024 (the file's vols held fixed):
        // the SPX monthly has settled (AM, 09:30); the SPXW of the same date has not.
        let q = try CBOEQuoteData(path: CBOESamples.spx)
        let noon = CBOESamples.utc("2024-01-19T17:00:00Z")
        let raw = try CBOESamples.rawRows(CBOESamples.spx)
        let before19 = raw.filter {
            guard let d = ExpirationDay(cboe: $0[0]) else { return false }
            return d < ExpirationDay(year: 2024, month: 1, day: 19)
        }.count
        let spxMonthly = raw.filter { $0[1].hasPrefix("SPX240119") }.count
        let standard = q.gammaExposure(.gammaFlow, asOf: noon)
        #expect(standard.excludedExpired == 2 * (before19 + spxMonthly))
        var pm = GEXConventions.gammaFlow
        pm.settlement = .allPM
        let allPM = q.gammaExposure(pm, asOf: noon)
        #expect(allPM.excludedExpired == 2 * before19)
        #expect(allPM.netGEX != standard.netGEX)
        // Flooring keeps every side; the floored ones are exactly the expired ones.
        var floor = GEXConventions.gammaFlow
        floor.timeBasis = .init(clock: TimeBasis.act365.clock, minimumYears: 1.0 / 262)
        floor.expired = .floor
        let floored = q.gammaExposure(floor, asOf: noon)
        #expect(floored.excludedExpired == 0 && floored.flooredExpired == standard.excludedExpired)
    }

    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func vendorGammaIgnoresTimeAndIV() throws {
        let q = try CBOEQuoteData(path: CBOESamples.spx)
        var v = GEXConventions.gammaFlow
        v.gammaSource = .vendor
        let a = q.gammaExposure(v)
        v.timeBasis = .businessDays(yearLength: 252, intraday: true)
        let b = q.gammaExposure(v)
        #expect(a.netGEX == b.netGEX && a.levels.isEmpty && a.zeroGammaFirstCrossing == nil)
        // Every live side has a vendor gamma; sides without IV still count.
        #expect(a.excludedNoGamma == 0 && a.included == q.count - a.excludedExpired)
    }

    static func curve(_ q: CBOEQuoteData, _ c: GEXConventions) -> (Double) -> Double {
        { x in q.gammaExposure(c, spot: x, grid: SpotGrid(lower: 0.99, upper: 1.01, count: 2)).netGEX }
    }
}

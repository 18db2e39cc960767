import Foundation
import Testing

@testable import GammaFlow

/// Shared builders for the DealerBook tests.
enum DealerFixtures {
    static let now = Date(timeIntervalSince1970: 1_704_465_000)  // 2024-01-05T14:30:00Z = 09:30 New York
    static let close = Date(timeIntervalSince1970: 1_704_488_400)  // 2024-01-05T21:00:00Z = 16:00 New York

    struct Leg {
        var kind: OptionKind
        var strike: Double
        var days: Double
        var vol: Double
        var oi: Double
        var position: Double? = nil
    }

    static func chain(_ legs: [Leg], expiryBase: Date = now) throws -> OptionChain {
        try OptionChain(
            underlying: "SPX", symbols: legs.indices.map { "OPT\($0)" }, strikes: legs.map(\.strike),
            expiries: legs.map { expiryBase.addingTimeInterval($0.days * 86_400) }, kinds: legs.map(\.kind),
            impliedVols: legs.map(\.vol), openInterest: legs.map(\.oi),
            dealerPositions: legs.allSatisfy { $0.position != nil } ? legs.map { $0.position! } : nil,
            valuationTime: now)
    }

    /// A seeded SPX-like chain of `count` options around `spot`, with random signed positions.
    static func randomBook(count: Int, spot: Double = 4700, seed: UInt64, rate: Double = 0.05, q: Double = 0.01)
        throws -> DealerBook
    {
        let c = OptionChain.syntheticSPX(count: count, spot: spot, valuationTime: now, seed: seed)
        var rng = SplitMix(seed: seed)
        let pos = (0..<c.count).map { _ in (rng.unit() - 0.45) * 2000 }
        return try DealerBook(
            chain: c.replacingDealerPositions(pos), convention: .signedPositions, rate: rate, dividendYield: q)
    }
}

/// SplitMix64: a small seeded generator so failures replay.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-300) -> Double {
    abs(a - b) / max(abs(a), abs(b), floor)
}

@Suite struct DealerBookPositionTests {
    @Test func conventionsSignOpenInterest() throws {
        let c = try DealerFixtures.chain([
            .init(kind: .call, strike: 4700, days: 10, vol: 0.2, oi: 100, position: 7),
            .init(kind: .put, strike: 4700, days: 10, vol: 0.2, oi: 50, position: -3),
        ])
        #expect(try DealerBook(chain: c, convention: .longCallsShortPuts).positions == [100, -50])
        #expect(try DealerBook(chain: c, convention: .shortCallsLongPuts).positions == [-100, 50])
        #expect(try DealerBook(chain: c, convention: .signedPositions).positions == [7, -3])
        let noPositions = c.replacingDealerPositions(nil)
        #expect(throws: ChainError.self) { try DealerBook(chain: noPositions, convention: .signedPositions) }
    }

    @Test func expiredOptionsAreDropped() throws {
        let c = try DealerFixtures.chain([
            .init(kind: .call, strike: 4700, days: -1, vol: 0.2, oi: 100),
            .init(kind: .put, strike: 4700, days: 3, vol: 0.2, oi: 50),
        ])
        let b = try DealerBook(chain: c)
        #expect(b.count == 1)
        #expect(b.expiredCount == 1)
        #expect(b.contractIndex(of: "OPT1") == 0)
        #expect(b.contractIndex(of: "OPT0") == nil)
    }

    @Test func exposuresMatchScalarReference() throws {
        let book = try DealerFixtures.randomBook(count: 203, seed: 11)
        let S = 4712.5
        let e = book.exposures(spot: S)
        var gex = 0.0, dex = 0.0, vex = 0.0, cex = 0.0
        for i in 0..<book.count {
            let g = BlackScholes.greeks(
                book.chain.kinds[i], spot: S, strike: book.chain.strikes[i], years: book.chain.yearsToExpiry[i],
                vol: book.chain.impliedVols[i], rate: book.rate, dividendYield: book.dividendYield)
            let w = book.positions[i] * book.chain.multipliers[i]
            gex += w * g.gamma * S * S * 0.01
            dex += w * g.delta * S
            vex += w * g.vanna * S * 0.01
            cex += w * g.charm * S / 8760
        }
        #expect(relativeError(e.total.gex, gex) < 1e-9, "gex \(e.total.gex) vs \(gex)")
        #expect(relativeError(e.total.dex, dex) < 1e-9, "dex \(e.total.dex) vs \(dex)")
        #expect(relativeError(e.total.vex, vex) < 1e-9, "vex \(e.total.vex) vs \(vex)")
        #expect(relativeError(e.total.cexPerHour, cex) < 1e-9, "cex \(e.total.cexPerHour) vs \(cex)")
        #expect(abs(e.total.cexPerDay - 24 * e.total.cexPerHour) <= 1e-9 * abs(e.total.cexPerDay))
        // The breakdowns add up to the total.
        let strikeSum = e.perStrike.reduce(0) { $0 + $1.net.gex }
        let expirySum = e.perExpiry.reduce(0) { $0 + $1.totals.gex }
        #expect(relativeError(strikeSum, e.total.gex) < 1e-9)
        #expect(relativeError(expirySum, e.total.gex) < 1e-9)
        let zeroSum = e.perExpiry.filter(\.isZeroDTE).reduce(0) { $0 + $1.totals.dex }
        #expect(abs(zeroSum - e.zeroDTE.dex) <= 1e-9 * max(abs(zeroSum), 1))
        #expect(e.perExpiry.contains { $0.isZeroDTE }, "the synthetic chain at 09:30 has a 0DTE expiry")
    }

    @Test func negatedBookMirrorsExposuresAndKeepsLevels() throws {
        let book = try DealerFixtures.randomBook(count: 400, seed: 5)
        let S = 4690.0
        let (a, b) = (book.exposures(spot: S), book.negated().exposures(spot: S))
        for (x, y) in [
            (a.total.gex, b.total.gex), (a.total.dex, b.total.dex), (a.total.vex, b.total.vex),
            (a.total.cexPerHour, b.total.cexPerHour), (a.zeroDTE.gex, b.zeroDTE.gex),
        ] {
            #expect(x == -y, "\(x) vs \(y)")
        }
        for (p, q) in zip(a.perStrike, b.perStrike) {
            #expect(p.calls.gex == -q.calls.gex && p.puts.vex == -q.puts.vex)
        }
        let (la, lb) = (book.levels(spot: S), book.negated().levels(spot: S))
        #expect(la.callWall == lb.callWall && la.putWall == lb.putWall && la.largestGEXStrike == lb.largestGEXStrike)
        #expect(la.zeroGamma == lb.zeroGamma || abs((la.zeroGamma ?? 0) - (lb.zeroGamma ?? 0)) <= 0.01)
        #expect(la.regime != lb.regime || la.regime == .flat)
        #expect(la.zeroDTEGammaShare == lb.zeroDTEGammaShare)
    }

    @Test func zeroPositionChangesNothing() throws {
        let legs: [DealerFixtures.Leg] = [
            .init(kind: .call, strike: 4750, days: 5, vol: 0.15, oi: 900),
            .init(kind: .put, strike: 4650, days: 5, vol: 0.2, oi: 1200),
            .init(kind: .call, strike: 4800, days: 30, vol: 0.14, oi: 300),
        ]
        let base = try DealerBook(chain: DealerFixtures.chain(legs), rate: 0.04)
        let extra = try DealerBook(
            chain: DealerFixtures.chain(legs + [.init(kind: .put, strike: 4725, days: 2, vol: 0.3, oi: 0)]), rate: 0.04)
        var adjusted = base
        adjusted.adjustPosition(at: 1, byContracts: 0)
        for other in [extra, adjusted] {
            let (x, y) = (base.levels(spot: 4700), other.levels(spot: 4700))
            #expect(x.callWall == y.callWall && x.putWall == y.putWall && x.largestGEXStrike == y.largestGEXStrike)
            #expect(x.total == y.total)
            #expect(x.zeroGamma == y.zeroGamma)
        }
    }
}

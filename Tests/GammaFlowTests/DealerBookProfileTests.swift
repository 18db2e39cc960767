import Foundation
import Testing

@testable import GammaFlow

@Suite struct DealerBookProfileTests {
    /// The grid kernels (vector body plus scalar tail) against per-spot sums
    /// of the scalar reference, for lengths around the lane width.
    @Test(arguments: [0, 1, 7, 8, 9, 17, 203])
    func gridSumsMatchScalarReference(n: Int) throws {
        let book = try DealerFixtures.randomBook(count: max(n, 1), seed: UInt64(n) + 1)
        let sub = try DealerBook(
            chain: book.chain.selecting(Array(0..<n)), convention: .signedPositions, rate: book.rate,
            dividendYield: book.dividendYield)
        let spots = [4300.0, 4650.5, 4700, 4777.7, 5200]
        for method in [ProfileMethod.fused, .gemm] {
            let p = sub.profile(spots: spots, method: method)
            #expect(p.method == method)
            for (s, S) in spots.enumerated() {
                var gex = 0.0, dex = 0.0, vex = 0.0, scale = 1e-300, dscale = 1e-300, vscale = 1e-300
                for i in 0..<sub.count {
                    let g = BlackScholes.greeks(
                        sub.chain.kinds[i], spot: S, strike: sub.chain.strikes[i], years: sub.chain.yearsToExpiry[i],
                        vol: sub.chain.impliedVols[i], rate: sub.rate, dividendYield: sub.dividendYield)
                    let w = sub.positions[i] * sub.chain.multipliers[i]
                    gex += w * g.gamma * S * S * 0.01
                    dex += w * g.delta * S
                    vex += w * g.vanna * S * 0.01
                    scale += abs(w * g.gamma * S * S * 0.01)
                    dscale += abs(w * g.delta * S)
                    vscale += abs(w * g.vanna * S * 0.01)
                }
                #expect(abs(p.gex[s] - gex) <= 1e-12 * scale, "\(method) n=\(n) S=\(S): \(p.gex[s]) vs \(gex)")
                #expect(abs(p.dex[s] - dex) <= 1e-12 * dscale, "\(method) n=\(n) S=\(S): \(p.dex[s]) vs \(dex)")
                #expect(abs(p.vex[s] - vex) <= 1e-12 * vscale, "\(method) n=\(n) S=\(S): \(p.vex[s]) vs \(vex)")
            }
        }
    }

    @Test func splitsAddUpAndMatchExposuresAtSpot() throws {
        let book = try DealerFixtures.randomBook(count: 1200, seed: 21)
        for method in [ProfileMethod.fused, .gemm] {
            let p = book.profile(from: 4400, to: 5000, steps: 60, method: method, splitByExpiry: true)
            for s in p.spots.indices {
                let scale = max(abs(p.gexCalls[s]) + abs(p.gexPuts[s]), 1)
                #expect(abs(p.gexCalls[s] + p.gexPuts[s] - p.gex[s]) <= 1e-9 * scale)
                let byExpiry = p.gexByExpiry.reduce(0) { $0 + $1.gex[s] }
                #expect(abs(byExpiry - p.gex[s]) <= 1e-9 * scale)
                let zero = p.gexByExpiry.filter { book.valuationTime.distance(to: $0.expiry) < 86_400 }
                    .reduce(0) { $0 + $1.gex[s] }
                #expect(abs(zero - p.gexZeroDTE[s]) <= 1e-9 * scale)
            }
            let alone = book.gexProfile(spots: p.spots, method: method)
            for (a, b) in zip(alone, p.gex) { #expect(abs(a - b) <= 1e-12 * max(abs(b), 1)) }
            let at = book.exposures(spot: p.spots[30])
            #expect(relativeError(p.gex[30], at.total.gex) < 1e-10)
            #expect(relativeError(p.dex[30], at.total.dex) < 1e-10)
            #expect(relativeError(p.vex[30], at.total.vex) < 1e-10)
        }
    }

    @Test func zeroCrossingsInterpolateSignChanges() {
        let p = ExposureProfile(
            spots: [1, 2, 3, 4], gex: [-1, 1, 3, -1], dex: [], vex: [], gexZeroDTE: [], gexCalls: [], gexPuts: [],
            gexByExpiry: [], method: .fused, convention: .default)
        #expect(p.gexZeroCrossings() == [1.5, 3.75])
    }

    @Test func surfaceMatchesRevaluedBooks() throws {
        let book = try DealerFixtures.randomBook(count: 150, seed: 4)
        let times = [DealerFixtures.now, DealerFixtures.now.addingTimeInterval(3 * 3600)]
        let s = book.surface(spots: [4600, 4700, 4800], volShifts: [-2, 0, 3], times: times)
        for (t, time) in times.enumerated() {
            for (v, shift) in s.volShifts.enumerated() {
                let b = book.revalued(at: time).shiftingVols(byPoints: shift)
                for (k, S) in s.spots.enumerated() {
                    let d = b.dealerDelta(spot: S)
                    #expect(abs(s.dealerDelta[s.index(time: t, volShift: v, spot: k)] - d) <= 1e-9 * max(abs(d), 1))
                    let g = b.exposures(spot: S).total.gex / (S * S * 0.01)
                    #expect(abs(s.dealerGamma[s.index(time: t, volShift: v, spot: k)] - g) <= 1e-9 * max(abs(g), 1))
                }
            }
        }
    }
}

/// Each hedge flow's linear estimate (from GEX, VEX, CEX) against central
/// finite differences of the exactly re-evaluated dealer delta.
@Suite struct DealerBookHedgeFlowTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func flowsMatchFiniteDifferencesOfDealerDelta(seed: UInt64) throws {
        let book = try DealerFixtures.randomBook(count: 500, seed: seed)
        let S = 4700.0
        let e = book.exposures(spot: S).total
        // Spot: dD/dS S^2 / 100 = GEX.
        let h = 0.05
        let up = book.spotMoveFlow(from: S, to: S + h)
        let down = book.spotMoveFlow(from: S, to: S - h)
        let gexFD = (down.units - up.units) / (2 * h) * S * S * 0.01
        #expect(relativeError(gexFD, e.gex) < 1e-5, "seed \(seed): FD \(gexFD) vs GEX \(e.gex)")
        // Vol: dD/dvolpoint x S = VEX.
        let dv = 0.01
        let vUp = book.volMoveFlow(spot: S, points: dv)
        let vDown = book.volMoveFlow(spot: S, points: -dv)
        let vexFD = (vDown.units - vUp.units) / (2 * dv) * S
        #expect(relativeError(vexFD, e.vex) < 1e-5, "seed \(seed): FD \(vexFD) vs VEX \(e.vex)")
        // Time: dD/dhour x S = CEX per hour (one minute either side).
        let t = book.valuationTime
        let later = book.charmFlow(spot: S, to: t.addingTimeInterval(60))
        let earlier = book.charmFlow(spot: S, to: t.addingTimeInterval(-60))
        let cexFD = (earlier.units - later.units) / (2.0 / 60) * S
        #expect(relativeError(cexFD, e.cexPerHour) < 1e-4, "seed \(seed): FD \(cexFD) vs CEX \(e.cexPerHour)")
        // Small moves: the exact flow in dollars approaches the linear estimate.
        let onePct = book.spotMoveFlow(from: S, to: S * 1.0001)
        #expect(relativeError(onePct.dollars, onePct.linearEstimateDollars) < 1e-2)
        #expect(relativeError(vUp.dollars, vUp.linearEstimateDollars) < 1e-2)
        let soon = book.charmFlow(spot: S, to: t.addingTimeInterval(5))
        #expect(relativeError(soon.dollars, soon.linearEstimateDollars) < 1e-2)
    }

    @Test func longGammaDealersSellRalliesAndBuyDips() throws {
        let book = try DealerBook(
            chain: DealerFixtures.chain([.init(kind: .call, strike: 4700, days: 10, vol: 0.15, oi: 1000)]))
        #expect(book.spotMoveFlow(from: 4700, to: 4747).units < 0)
        #expect(book.spotMoveFlow(from: 4700, to: 4653).units > 0)
        // A 0DTE book into the close: charm to 16:00 settles to intrinsic delta.
        let zero = try DealerBook(
            chain: DealerFixtures.chain(
                [.init(kind: .call, strike: 4690, days: 0, vol: 0.15, oi: 1000)], expiryBase: DealerFixtures.close))
        let f = zero.charmFlow(spot: 4700, to: DealerFixtures.close)
        #expect(abs(f.dealerDeltaAfter - 1000 * 100) < 1e-9)
        #expect(f.units < 0)  // dealers long an ITM call gain delta into the close and sell
    }
}

@Suite struct DealerBookVolDynamicsTests {
    @Test func stickyMoneynessAtAnchorIsStickyStrikeAndMovesTheSmile() throws {
        let book = try DealerFixtures.randomBook(count: 300, seed: 13)
        let spots = [4600.0, 4700, 4800]
        let strike = book.profile(spots: spots)
        let moneyness = book.profile(spots: spots, dynamics: .stickyMoneyness, anchorSpot: 4700)
        // At the anchor every option's vol is its smile node (its own vol, or the call/put average).
        let anchorVols = (0..<book.count).map { i in
            DealerBook.interpolate(
                book.smileNodes(spot: 4700)[book.layout.expirySlot[i]], at: Foundation.log(book.chain.strikes[i] / 4700)
            )
        }
        let reference = try DealerBook(
            chain: book.chain.replacingImpliedVols(anchorVols), convention: .signedPositions, rate: book.rate,
            dividendYield: book.dividendYield)
        #expect(relativeError(moneyness.gex[1], reference.exposures(spot: 4700).total.gex) < 1e-10)
        // Away from the anchor the smile moves with spot, so the profiles differ.
        #expect(relativeError(moneyness.gex[0], strike.gex[0]) > 1e-6)
        // Interpolation: flat beyond the ends, linear between nodes.
        let nodes: [(x: Double, vol: Double)] = [(-0.1, 0.3), (0, 0.2), (0.1, 0.18)]
        #expect(DealerBook.interpolate(nodes, at: -1) == 0.3)
        #expect(DealerBook.interpolate(nodes, at: 1) == 0.18)
        #expect(abs(DealerBook.interpolate(nodes, at: 0.05) - 0.19) < 1e-15)
    }

    /// The vol-only rebuild (`replacingImpliedVols`, behind `shiftingVols` and
    /// sticky-moneyness profiles) reuses layout, symbols and trade state: it must
    /// give what a book built from scratch on the same chain gives.
    @Test func replacingVolsMatchesABookBuiltFromScratch() throws {
        var book = try DealerFixtures.randomBook(count: 300, seed: 21)
        book.adjustPosition(at: 7, byContracts: 250)
        book.adjustPosition(at: 120, byContracts: -40)
        let shifted = book.shiftingVols(byPoints: 2)
        let scratch = try DealerBook(
            chain: book.chain.replacingImpliedVols(book.chain.impliedVols.map { max($0 + 0.02, 1e-4) })
                .replacingDealerPositions(book.positions),
            convention: .signedPositions, rate: book.rate, dividendYield: book.dividendYield)
        #expect(shifted.positions == book.positions)
        #expect(shifted.tradedContracts == book.tradedContracts)
        #expect(shifted.chain.impliedVols == scratch.chain.impliedVols)
        #expect(shifted.contractIndex(of: book.chain.symbols[120]) == 120)
        let spots = [4600.0, 4700, 4800]
        let a = shifted.profile(spots: spots, method: .fused)
        let b = scratch.profile(spots: spots, method: .fused)
        #expect(a.gex.map(\.bitPattern) == b.gex.map(\.bitPattern))
        #expect(a.gexZeroDTE.map(\.bitPattern) == b.gexZeroDTE.map(\.bitPattern))
        #expect(a.vex.map(\.bitPattern) == b.vex.map(\.bitPattern))
    }
}

@Suite struct DealerBookSmileDynamicsTests {
    static let (spot, rate, dividendYield) = (4700.0, 0.03, 0.01)

    /// The exact smile of the fixture: vol = 0.18 - 0.10 k + 0.05 k^2 with
    /// k = ln(K / F(S)) / sqrt(T), F(S) = S e^((r - q) T).
    static func smileVol(strike K: Double, years T: Double, spot S: Double) -> Double {
        let k = Foundation.log(K / (S * Foundation.exp((rate - dividendYield) * T))) / T.squareRoot()
        return 0.18 - 0.10 * k + 0.05 * k * k
    }

    /// Calls and puts every 50 points from 4000 to 5400 on three expiries.
    static func chain() throws -> OptionChain {
        let now = Date(timeIntervalSince1970: 1_767_625_200)
        var strikes: [Double] = [], expiries: [Date] = [], kinds: [OptionKind] = [], vols: [Double] = []
        for days in [10.0, 40, 120] {
            for K in stride(from: 4000.0, through: 5400, by: 50) {
                for kind in OptionKind.allCases {
                    strikes.append(K)
                    expiries.append(now.addingTimeInterval(days * 86_400))
                    kinds.append(kind)
                    vols.append(smileVol(strike: K, years: days / 365, spot: spot))
                }
            }
        }
        return try OptionChain(
            underlying: "TEST", symbols: strikes.indices.map { "O\($0)" }, strikes: strikes, expiries: expiries,
            kinds: kinds, impliedVols: vols, openInterest: strikes.indices.map { Double(100 + 37 * ($0 % 11)) },
            valuationTime: now)
    }

    @Test func fittedSmileMovesWithSpotAsStickyMoneyness() throws {
        let chain = try Self.chain()
        let market = MarketParameters(spot: Self.spot, rate: Self.rate, dividendYield: Self.dividendYield)
        let fit = SmileFit(chain: chain, market: market, model: .quadratic, weighting: .vega)
        // The quadratic fixture is recovered: the fitted vols at the anchor are the chain's.
        for i in chain.strikes.indices {
            let v = try #require(fit.vol(strike: chain.strikes[i], years: chain.yearsToExpiry[i], spot: Self.spot))
            #expect(abs(v - chain.impliedVols[i]) < 1e-10, "option \(i): fitted \(v), quoted \(chain.impliedVols[i])")
        }
        let book = try DealerBook(chain: chain, rate: Self.rate, dividendYield: Self.dividendYield)
        let spots = [4600.0, 4700, 4800]
        let moving = book.profile(spots: spots, smile: fit)
        let sticky = book.profile(spots: spots)
        // At the anchor the vols are unchanged, so the profile is the sticky-strike one.
        #expect(relativeError(moving.gex[1], book.exposures(spot: 4700).total.gex) < 1e-9)
        // Away from it every option takes the exact smile at its new moneyness, computed independently here.
        for (j, S) in spots.enumerated() where j != 1 {
            let vols = chain.strikes.indices.map {
                Self.smileVol(strike: chain.strikes[$0], years: chain.yearsToExpiry[$0], spot: S)
            }
            let moved = try DealerBook(
                chain: chain.replacingImpliedVols(vols), rate: Self.rate, dividendYield: Self.dividendYield)
            let expected = moved.exposures(spot: S).total
            #expect(relativeError(moving.gex[j], expected.gex) < 1e-9, "S = \(S)")
            #expect(relativeError(moving.dex[j], expected.dex) < 1e-9, "S = \(S)")
            #expect(relativeError(moving.gex[j], sticky.gex[j]) > 1e-6, "S = \(S): the smile should have moved")
        }
    }
}

import Foundation
import Testing

@testable import GammaFlow

@Suite struct DealerBookLevelsTests {
    /// Dealers long `a` calls at K1 and short `a` puts at K2, same expiry and
    /// vol, r = q = 0: gamma cancels where n(d1(S, K1)) = n(d1(S, K2)), i.e.
    /// `S* = sqrt(K1 K2) exp(-sigma^2 T / 2)`.
    @Test(arguments: [(4800.0, 4600.0, 0.2, 30.0), (4750, 4680, 0.12, 3), (5000, 4500, 0.35, 90)])
    func zeroGammaClosedForm(k1: Double, k2: Double, vol: Double, days: Double) throws {
        let chain = try DealerFixtures.chain([
            .init(kind: .call, strike: k1, days: days, vol: vol, oi: 1000),
            .init(kind: .put, strike: k2, days: days, vol: vol, oi: 1000),
        ])
        let book = try DealerBook(chain: chain)
        let T = book.chain.yearsToExpiry[0]
        let expected = (k1 * k2).squareRoot() * Foundation.exp(-vol * vol * T / 2)
        let levels = book.levels(spot: 4700)
        let z = try #require(levels.zeroGamma, "no zero gamma for K1=\(k1) K2=\(k2) vol=\(vol) days=\(days)")
        #expect(abs(z - expected) <= 0.01, "zero gamma \(z), closed form \(expected)")
        #expect(book.levels(spot: expected * 1.01).regime == .long)
        #expect(book.levels(spot: expected * 0.99).regime == .short)
        #expect(levels.callWall == k1 && levels.putWall == k2)
    }

    /// OI concentrated at one call strike and one put strike (100x the rest,
    /// same vol and expiry) puts the walls there; the largest |GEX| strike is
    /// the wall with the larger gamma at spot.
    @Test func wallsAtConcentratedOpenInterest() throws {
        var legs: [DealerFixtures.Leg] = []
        for k in stride(from: 4500.0, through: 4900, by: 25) {
            legs.append(.init(kind: .call, strike: k, days: 14, vol: 0.16, oi: k == 4800 ? 5000 : 50))
            legs.append(.init(kind: .put, strike: k, days: 14, vol: 0.16, oi: k == 4600 ? 8000 : 50))
        }
        let book = try DealerBook(chain: DealerFixtures.chain(legs))
        let l = book.levels(spot: 4700)
        #expect(l.callWall == 4800)
        #expect(l.putWall == 4600)
        #expect(l.callWallGEX > 0 && l.putWallGEX < 0)
        #expect(l.largestGEXStrike == (abs(l.callWallGEX) > abs(l.putWallGEX) ? 4800 : 4600))
        // Under the opposite convention the walls stay, the signs flip.
        let flipped = try DealerBook(chain: DealerFixtures.chain(legs), convention: .shortCallsLongPuts).levels(
            spot: 4700)
        #expect(flipped.callWall == 4800 && flipped.putWall == 4600 && flipped.callWallGEX == -l.callWallGEX)
    }

    @Test func noSignChangeMeansNoZeroGamma() throws {
        let book = try DealerBook(
            chain: DealerFixtures.chain([.init(kind: .call, strike: 4700, days: 20, vol: 0.2, oi: 100)]))
        let l = book.levels(spot: 4700)
        #expect(l.zeroGamma == nil)
        #expect(l.regime == .long)
        #expect(l.putWall == nil)
    }

    @Test func rootRefinementBracketsToTolerance() {
        // f(x) = (x - r)^3 + 0.1 (x - r) has its only root at r.
        for r in [4691.234567, 4700.0, 4655.5] {
            let f = { (x: Double) in
                let d = x - r; return d * d * d + 0.1 * d
            }
            let z = DealerBook.refineRoot(4600, 4750, f(4600), f(4750), tolerance: 0.01, f)
            #expect(abs(z - r) <= 0.01, "root \(z) expected \(r)")
        }
    }

    @Test func trackerMatchesFromScratchLevels() throws {
        var rng = SplitMix(seed: 42)
        let book = try DealerFixtures.randomBook(count: 600, seed: 3)
        var tracker = DealerLevelTracker(book: book, spot: 4703)
        for step in 0..<300 {
            let i = Int(rng.next() % UInt64(book.count))
            tracker.adjustPosition(at: i, byContracts: (rng.unit() - 0.5) * 400)
            if step % 60 == 59 {
                let a = tracker.levels
                let b = tracker.book.levels(spot: 4703)
                #expect(a.callWall == b.callWall && a.putWall == b.putWall, "step \(step)")
                #expect(a.largestGEXStrike == b.largestGEXStrike, "step \(step)")
                #expect(relativeError(a.total.gex, b.total.gex) < 1e-9, "step \(step)")
                #expect(relativeError(a.total.cexPerHour, b.total.cexPerHour) < 1e-9, "step \(step)")
                #expect((a.zeroGamma == nil) == (b.zeroGamma == nil), "step \(step)")
                if let x = a.zeroGamma, let y = b.zeroGamma {
                    #expect(abs(x - y) <= 0.01, "step \(step): \(x) vs \(y)")
                }
            }
        }
    }
}

/// The real CBOE delayed-quote samples in `../shared/data/cboe/`, parsed
/// minimally here (PM settlement at 16:00 New York for every expiry; rows
/// with no implied vol dropped).
@Suite struct DealerBookCBOESampleTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/data/cboe").standardized

    static func load(_ name: String) throws -> (chain: OptionChain, spot: Double)? {
        let url = directory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let records = CSVReader.records(text: text)
        let spotField = try #require(records[0].fields.first { $0.hasPrefix("Last:") })
        let spot = try #require(Double(spotField.dropFirst(5).trimmingCharacters(in: .whitespaces)))
        let dateText = records[1].fields[0].replacingOccurrences(of: "Date: ", with: "")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = NewYorkCalendar.timeZone
        var asOf: Date?
        for format in ["MMMM d, yyyy 'at' h:mm a zzz", "MMMM d yyyy, h:mm a zzz"] where asOf == nil {
            f.dateFormat = format
            asOf = f.date(from: dateText)
        }
        let valuation = try #require(asOf, "cannot parse \(dateText)")
        f.dateFormat = "EEE MMM dd yyyy HH:mm"
        var symbols: [String] = [], strikes: [Double] = [], expiries: [Date] = [], kinds: [OptionKind] = []
        var vols: [Double] = [], oi: [Double] = []
        for r in records.dropFirst(3) where r.fields.count >= 22 {
            guard let expiry = f.date(from: r.fields[0] + " 16:00"), let strike = Double(r.fields[11]) else { continue }
            for (kind, sym, iv, o) in [(OptionKind.call, 1, 7, 10), (.put, 12, 18, 21)] {
                guard let v = Double(r.fields[iv]), v > 0, let x = Double(r.fields[o]) else { continue }
                symbols.append(r.fields[sym])
                strikes.append(strike)
                expiries.append(expiry)
                kinds.append(kind)
                vols.append(v)
                oi.append(x)
            }
        }
        let chain = try OptionChain(
            symbols: symbols, strikes: strikes, expiries: expiries, kinds: kinds, impliedVols: vols, openInterest: oi,
            valuationTime: valuation)
        return (chain, spot)
    }

    @Test(arguments: ["spx_quotedata_2024-01-05.csv", "ndx_quotedata_2022-02-04.csv"])
    func samplesGiveFiniteStableLevels(name: String) throws {
        guard let (chain, spot) = try Self.load(name) else {
            print("skipping \(name): not found in \(Self.directory.path)")
            return
        }
        let book = try DealerBook(chain: chain, rate: 0.05, dividendYield: 0.013)
        #expect(book.count > 1000, "\(name): \(book.count) live options")
        let l = book.levels(spot: spot)
        for x in [l.total.gex, l.total.dex, l.total.vex, l.total.cexPerHour, l.zeroDTEGammaShare] {
            #expect(x.isFinite, "\(name): \(l)")
        }
        let call = try #require(l.callWall)
        let put = try #require(l.putWall)
        #expect(call > 0 && put > 0)
        if let z = l.zeroGamma { #expect(abs(z / spot - 1) <= 0.2) }
        // Stable: nudging spot by 0.01 point moves nothing materially.
        let nudged = book.levels(spot: spot + 0.01)
        #expect(nudged.callWall == l.callWall && nudged.putWall == l.putWall)
        #expect(relativeError(nudged.total.gex, l.total.gex) < 1e-3)
        if let z = l.zeroGamma, let y = nudged.zeroGamma { #expect(abs(z - y) < 1) }
        // Fused and GEMM profiles agree on (every tenth option of) the real chain.
        let sub = try DealerBook(
            chain: book.chain.selecting(Array(stride(from: 0, to: book.count, by: 10))), rate: 0.05,
            dividendYield: 0.013)
        let fused = sub.profile(from: spot * 0.9, to: spot * 1.1, steps: 8, method: .fused)
        let gemm = sub.profile(from: spot * 0.9, to: spot * 1.1, steps: 8, method: .gemm)
        let scale = fused.gex.map(abs).max() ?? 1
        for (a, b) in zip(fused.gex, gemm.gex) { #expect(abs(a - b) <= 1e-10 * scale) }
    }
}

@Suite struct DealerBookEmptyTests {
    @Test func bookWithoutPositionsHasNoLevels() throws {
        let chain = try DealerFixtures.chain([
            .init(kind: .call, strike: 4700, days: 3, vol: 0.2, oi: 0),
            .init(kind: .put, strike: 4650, days: 3, vol: 0.2, oi: 0),
        ])
        let book = try DealerBook(chain: chain)
        for l in [book.levels(spot: 4700), DealerLevelTracker(book: book, spot: 4700).levels] {
            #expect(l.zeroGamma == nil && l.callWall == nil && l.putWall == nil && l.largestGEXStrike == nil)
            #expect(l.regime == .flat && l.total == ExposureTotals() && l.zeroDTEGammaShare == 0)
        }
    }
}

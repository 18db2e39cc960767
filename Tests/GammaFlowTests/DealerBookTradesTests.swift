import Foundation
import Testing

@testable import GammaFlow

@Suite struct DealerBookTradesTests {
    static func book() throws -> DealerBook {
        let legs: [DealerFixtures.Leg] = [
            .init(kind: .call, strike: 4700, days: 0.25, vol: 0.12, oi: 0),
            .init(kind: .put, strike: 4700, days: 0.25, vol: 0.13, oi: 0),
            .init(kind: .call, strike: 4750, days: 7, vol: 0.11, oi: 500),
        ]
        return try DealerBook(chain: DealerFixtures.chain(legs))
    }

    @Test func quoteMidpointAndTickRules() throws {
        var b = try Self.book()
        let t = DealerFixtures.now
        func trade(_ price: Double, bid: Double = 10, ask: Double = 12, sym: String = "OPT0") -> Trade {
            Trade(time: t, symbol: sym, quantity: 5, price: price, bid: bid, ask: ask)
        }
        #expect(try b.ingest(trade(12.5)) == .quote(.buy))
        #expect(try b.ingest(trade(10)) == .quote(.sell))
        #expect(try b.ingest(trade(11.5)) == .midpoint(.buy))
        #expect(try b.ingest(trade(10.5)) == .midpoint(.sell))
        #expect(try b.ingest(trade(11)) == .tick(.buy))  // above the previous 10.5
        #expect(try b.ingest(trade(11)) == .tick(.buy))  // zero tick: previous side
        #expect(try b.ingest(trade(11, sym: "OPT1")) == .unclassified)  // no earlier trade
        #expect(try b.ingest(Trade(time: t, symbol: "OPT1", quantity: 2, price: 3, side: .sell)) == .given(.sell))
        // Dealers take the other side: buys 5+5+5+5 = 20 customer-bought, 10 customer-sold on OPT0.
        #expect(b.positions[0] == -10)
        #expect(b.tradedContracts[0] == -10)
        #expect(b.positions[1] == 2)
        #expect(b.positions[2] == 500)
        let s = b.tradeStatistics
        #expect(s.byQuote == 2 && s.byMidpoint == 2 && s.byTick == 2 && s.unclassified == 1 && s.bySide == 1)
        #expect(s.applied == 7 && s.customerBoughtContracts == 20 && s.customerSoldContracts == 12)
    }

    @Test func badTradesNameLineAndFieldAndKeepEarlierTrades() throws {
        var b = try Self.book()
        let csv = """
            time,symbol,quantity,price,side,bid,ask
            2024-01-05T14:31:00Z,OPT0,3,11.2,buy,,
            2024-01-05T14:31:01Z,OPT2,4,2.5,,2.4,2.6
            2024-01-05T14:31:02Z,NOPE,1,1,buy,,
            2024-01-05T14:31:03Z,OPT0,9,11.2,sell,,
            """
        #expect {
            try b.ingestTrades(csvText: csv, source: "t.csv")
        } throws: { e in
            guard let e = e as? ChainError else { return false }
            return e.line == 4 && e.field == "symbol" && e.source == "t.csv"
        }
        #expect(b.positions[0] == -3)
        #expect(b.positions[2] == 500)  // at the midpoint, no earlier trade: unclassified
        #expect(b.tradeStatistics.unclassified == 1)

        for (row, field) in [
            ("2024-01-05T14:31:00Z,OPT0,0,11.2,buy,,", "quantity"),
            ("2024-01-05T14:31:00Z,OPT0,-2,11.2,buy,,", "quantity"),
            ("2024-01-05 14:31,OPT0,2,11.2,buy,,", "time"),
            ("2024-01-05T14:31:00Z,OPT0,2,abc,buy,,", "price"),
            ("2024-01-05T14:31:00Z,OPT0,2,11,hold,,", "side"),
            ("2024-01-05T14:31:00Z,OPT0,2,11,,,", "side"),
            ("2024-01-05T14:31:00Z,OPT0,2,11,,12,10", "ask"),
        ] {
            var c = try Self.book()
            #expect("bad row \(row)") {
                try c.ingestTrades(csvText: "time,symbol,quantity,price,side,bid,ask\n" + row, source: "x.csv")
            } throws: { e in (e as? ChainError)?.field == field && (e as? ChainError)?.line == 2 }
            #expect(c.positions == (try Self.book()).positions)
        }
    }

    @Test func skipInvalidRecordsEveryBadRow() throws {
        var b = try Self.book()
        let report = try b.ingestTrades(
            csvText: """
                Timestamp,Contract,Qty,Price,Side
                2024-01-05T14:31:00Z,OPT0,3,11.2,B
                2024-01-05T14:31:00Z,OPT9,3,11.2,B
                bad,OPT0,3,11.2,B
                2024-01-05T14:32:00-05:00,OPT1,1,4,s
                """, skipInvalid: true)
        #expect(report.accepted == 2)
        #expect(report.skipped.errors.map(\.line) == [3, 4])
        #expect(b.positions[0] == -3 && b.positions[1] == 1)
    }

    @Test func missingColumnsAreFileErrors() throws {
        var b = try Self.book()
        #expect(throws: ChainError.self) { try b.ingestTrades(csvText: "time,symbol,price\n") }
        #expect(throws: ChainError.self) { try b.ingestTrades(csvText: "") }
    }

    @Test func trackerIngestsTradesLikeTheBook() throws {
        var rng = SplitMix(seed: 9)
        let book = try DealerFixtures.randomBook(count: 300, seed: 8)
        var tracker = DealerLevelTracker(book: book, spot: 4700)
        var plain = book
        for k in 0..<500 {
            let i = Int(rng.next() % UInt64(book.count))
            let bid = 1 + rng.unit() * 20
            let t = Trade(
                time: DealerFixtures.now, symbol: book.chain.symbols[i], quantity: Double(1 + rng.next() % 50),
                price: bid + rng.unit() * 0.6, bid: bid, ask: bid + 0.5)
            let a = try tracker.ingest(t, line: k + 1)
            let c = try plain.ingest(t, line: k + 1)
            #expect(a == c)
        }
        #expect(tracker.book.positions == plain.positions)
        let (x, y) = (tracker.levels, plain.levels(spot: 4700))
        #expect(x.callWall == y.callWall && x.putWall == y.putWall)
        #expect(relativeError(x.total.dex, y.total.dex) < 1e-9)
    }
}

@Suite struct DealerBookSyntheticTradesTests {
    @Test func syntheticTradesAreSeededAndUseEveryRule() throws {
        let book = try DealerFixtures.randomBook(count: 400, seed: 2)
        let a = book.syntheticTrades(count: 3000, seed: 5)
        #expect(a == book.syntheticTrades(count: 3000, seed: 5))
        #expect(a != book.syntheticTrades(count: 3000, seed: 6))
        #expect(a.allSatisfy { book.isZeroDTE[book.contractIndex(of: $0.symbol)!] })
        var b = book
        try b.ingest(a)
        let s = b.tradeStatistics
        #expect(s.bySide == 1000 && s.byQuote > 0 && s.byMidpoint > 0 && s.byTick > 0)
        #expect(s.applied + s.unclassified == 3000)
    }
}

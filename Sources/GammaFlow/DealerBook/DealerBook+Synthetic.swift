import Foundation

extension DealerBook {
    /// A deterministic stream of trades on this book's contracts, for
    /// examples, tests and benchmarks (trade ingestion, level updates).
    ///
    /// Contracts are drawn uniformly (from the 0DTE options only when
    /// `zeroDTEOnly` and the book has some), quantities uniformly from 1 to
    /// 50 contracts, a bid from 0 to 49.75 on a 0.25 tick with a 1.00
    /// spread. Every third trade names the customer side; the others carry
    /// the quotes and a price on the 0.25 tick from the bid to the ask, so the quote,
    /// midpoint and tick rules all occur. Times start at `start` and step by
    /// `interval` seconds.
    /// - Precondition: the book is not empty, `count >= 0`.
    public func syntheticTrades(
        count: Int, start: Date? = nil, interval: Double = 0.01, zeroDTEOnly: Bool = true, seed: UInt64 = 1
    ) -> [Trade] {
        precondition(self.count > 0 && count >= 0, "syntheticTrades: need a non-empty book and count >= 0")
        let zero = layout.isZeroDTE.indices.filter { layout.isZeroDTE[$0] }
        let pool = zeroDTEOnly && !zero.isEmpty ? zero : Array(0..<self.count)
        var state = seed
        func next() -> UInt64 {
            // SplitMix64 (Steele, Lea, Flood 2014).
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let t0 = start ?? chain.valuationTime
        return (0..<count).map { k in
            let i = pool[Int(next() % UInt64(pool.count))]
            let quantity = Double(1 + next() % 50)
            // Quarter-point quotes: bid, ask, midpoint and prices are exact in binary.
            let bid = Double(next() % 200) * 0.25
            let ask = bid + 1
            let price = bid + Double(next() % 5) * 0.25
            let time = t0.addingTimeInterval(Double(k) * interval)
            if k % 3 == 0 {
                return Trade(
                    time: time, symbol: chain.symbols[i], quantity: quantity, price: price,
                    side: next() % 2 == 0 ? .buy : .sell)
            }
            return Trade(time: time, symbol: chain.symbols[i], quantity: quantity, price: price, bid: bid, ask: ask)
        }
    }
}

import Foundation

extension DealerBook {
    /// Applies one trade: finds the contract (a dictionary lookup), classifies
    /// the customer side, and moves the dealer position the other way. O(1).
    ///
    /// Classification, when the trade does not give the side:
    /// 1. quote rule: `price >= ask` is a customer buy, `price <= bid` a customer sell;
    /// 2. midpoint rule, strictly inside the spread: above `(bid + ask) / 2` a buy, below a sell;
    /// 3. tick rule, exactly at the midpoint: above the contract's previous
    ///    trade price a buy, below a sell, equal the previous trade's side;
    /// 4. otherwise ``TradeClassification/unclassified``: counted, no position change.
    ///
    /// - Parameters:
    ///   - trade: the trade (contract, quantity, price, side or quotes).
    ///   - line: the 1-based line (or position in a stream) named in errors.
    ///   - source: the file or stream named in errors.
    /// - Returns: how the trade was classified.
    /// - Throws: ``ChainError`` for an unknown contract (field `symbol`), a
    ///   quantity that is not finite and positive (`quantity`), a price that
    ///   is not finite and non-negative (`price`), bad or crossed quotes
    ///   (`bid`/`ask`), or neither a side nor both quotes (`side`). A rejected
    ///   trade changes nothing; earlier trades stay applied.
    @discardableResult
    public mutating func ingest(_ trade: Trade, line: Int? = nil, source: String = "<trades>") throws(ChainError)
        -> TradeClassification
    {
        guard let i = symbolIndex[trade.symbol] else {
            throw ChainError(
                source: source, line: line, field: "symbol", value: trade.symbol,
                kind: .invalidValue("unknown contract (not a live option of the chain)"))
        }
        return try ingest(
            contract: i, quantity: trade.quantity, price: trade.price, side: trade.side, bid: trade.bid,
            ask: trade.ask, time: trade.time, line: line, source: source)
    }

    /// Applies a trade in the contract at `index` (see ``ingest(_:line:source:)``).
    @discardableResult
    public mutating func ingest(
        contract i: Int, quantity: Double, price: Double, side: CustomerSide?, bid: Double? = nil,
        ask: Double? = nil, time: Date? = nil, line: Int? = nil, source: String = "<trades>"
    ) throws(ChainError) -> TradeClassification {
        func bad(_ field: String, _ value: Double, _ why: String) -> ChainError {
            ChainError(source: source, line: line, field: field, value: "\(value)", kind: .invalidValue(why))
        }
        guard i >= 0 && i < count else {
            throw ChainError(
                source: source, line: line, field: "symbol", value: "#\(i)", kind: .invalidValue("unknown contract"))
        }
        guard quantity.isFinite && quantity > 0 else {
            throw bad("quantity", quantity, "quantity must be finite and positive")
        }
        guard price.isFinite && price >= 0 else { throw bad("price", price, "price must be finite and non-negative") }
        let classification: TradeClassification
        if let side {
            classification = .given(side)
        } else {
            guard let bid, let ask else {
                throw ChainError(
                    source: source, line: line, field: "side",
                    kind: .invalidValue("a trade needs a customer side or both bid and ask"))
            }
            guard bid.isFinite && bid >= 0 else { throw bad("bid", bid, "bid must be finite and non-negative") }
            guard ask.isFinite && ask >= bid else { throw bad("ask", ask, "ask must be finite and not below the bid") }
            classification = Self.classify(price: price, bid: bid, ask: ask, last: lastPrice[i], lastSign: lastSign[i])
        }
        switch classification {
        case .given: tradeStatistics.bySide += 1
        case .quote: tradeStatistics.byQuote += 1
        case .midpoint: tradeStatistics.byMidpoint += 1
        case .tick: tradeStatistics.byTick += 1
        case .unclassified: tradeStatistics.unclassified += 1
        }
        if let time { tradeStatistics.lastTradeTime = time }
        lastPrice[i] = price
        guard let s = classification.side else { return classification }
        // The dealer takes the other side of the customer.
        let dealer = -s.sign * quantity
        positions[i] += dealer
        tradedContracts[i] += dealer
        lastSign[i] = s == .buy ? 1 : -1
        tradeStatistics.applied += 1
        if s == .buy {
            tradeStatistics.customerBoughtContracts += quantity
        } else {
            tradeStatistics.customerSoldContracts += quantity
        }
        return classification
    }

    /// Applies trades in order; the error of the first bad one names its
    /// 1-based position in the sequence as the line. Trades before it stay applied.
    public mutating func ingest<S: Sequence<Trade>>(_ trades: S, source: String = "<trades>") throws(ChainError) {
        var line = 0
        for t in trades {
            line += 1
            try ingest(t, line: line, source: source)
        }
    }

    /// The quote / midpoint / tick rule (see ``ingest(_:line:source:)``).
    static func classify(price: Double, bid: Double, ask: Double, last: Double, lastSign: Int8)
        -> TradeClassification
    {
        if price >= ask { return .quote(.buy) }
        if price <= bid { return .quote(.sell) }
        let mid = 0.5 * (bid + ask)
        if price > mid { return .midpoint(.buy) }
        if price < mid { return .midpoint(.sell) }
        guard !last.isNaN else { return .unclassified }
        if price > last { return .tick(.buy) }
        if price < last { return .tick(.sell) }
        switch lastSign {
        case 1: return .tick(.buy)
        case -1: return .tick(.sell)
        default: return .unclassified
        }
    }
}

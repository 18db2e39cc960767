import Foundation

/// The side the customer (the non-dealer) took in a trade.
public enum CustomerSide: String, Sendable, Hashable {
    /// The customer bought: the dealer sold.
    case buy
    /// The customer sold: the dealer bought.
    case sell

    /// +1 for a customer buy, -1 for a sell.
    public var sign: Double { self == .buy ? 1 : -1 }
}

/// One option trade: time, contract, quantity, price, and either the
/// customer's side or the bid/ask at the trade so that the quote rule can
/// classify it. The dealer takes the other side.
public struct Trade: Sendable, Hashable {
    /// When the trade printed.
    public var time: Date
    /// The contract code, as in ``OptionChain/symbols``.
    public var symbol: String
    /// Contracts traded, > 0.
    public var quantity: Double
    /// Trade price per unit of underlying (option premium in index points), >= 0.
    public var price: Double
    /// The customer's side when the source knows it; otherwise `nil` and the
    /// quote rule decides from ``bid`` and ``ask``.
    public var side: CustomerSide?
    /// Best bid at the trade (index points), when known.
    public var bid: Double?
    /// Best ask at the trade (index points), when known.
    public var ask: Double?

    /// Creates a trade.
    public init(
        time: Date, symbol: String, quantity: Double, price: Double, side: CustomerSide? = nil, bid: Double? = nil,
        ask: Double? = nil
    ) {
        self.time = time
        self.symbol = symbol
        self.quantity = quantity
        self.price = price
        self.side = side
        self.bid = bid
        self.ask = ask
    }
}

/// How a trade was classified, and by which rule.
public enum TradeClassification: Sendable, Hashable {
    /// The trade named the customer side.
    case given(CustomerSide)
    /// Quote rule: price at or above the ask is a customer buy, at or below the bid a customer sell.
    case quote(CustomerSide)
    /// Midpoint rule: strictly inside the spread, above the midpoint a buy, below a sell.
    case midpoint(CustomerSide)
    /// Tick rule, for a trade exactly at the midpoint: above the contract's
    /// previous trade a buy, below a sell, at the same price the previous
    /// trade's side (zero tick).
    case tick(CustomerSide)
    /// At the midpoint with no earlier trade of the contract to compare: no
    /// position change.
    case unclassified

    /// The customer side, when classified.
    public var side: CustomerSide? {
        switch self {
        case .given(let s), .quote(let s), .midpoint(let s), .tick(let s): s
        case .unclassified: nil
        }
    }
}

/// Counts of ingested trades.
public struct TradeStatistics: Sendable, Hashable {
    /// Trades applied to positions.
    public var applied = 0
    /// Trades accepted but not classified (no position change).
    public var unclassified = 0
    /// Trades whose customer side was given.
    public var bySide = 0
    /// Trades classified by the quote rule (at or outside the quotes).
    public var byQuote = 0
    /// Trades classified by the midpoint rule.
    public var byMidpoint = 0
    /// Trades classified by the tick rule.
    public var byTick = 0
    /// Contracts customers bought (dealers sold).
    public var customerBoughtContracts = 0.0
    /// Contracts customers sold (dealers bought).
    public var customerSoldContracts = 0.0
    /// The time of the latest trade seen.
    public var lastTradeTime: Date?

    /// Creates empty statistics.
    public init() {}
}

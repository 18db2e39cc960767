import Foundation

/// An option chain stored as columns (structure of arrays), valued at one
/// instant under one ``TimeBasis``.
///
/// Every column has ``count`` elements; element `i` of each column describes
/// option `i`. Numeric columns are contiguous `[Double]`, so the batch kernels
/// load them with plain SIMD loads. The year-fraction column
/// ``yearsToExpiry`` is derived from ``expiries``, ``valuationTime`` and
/// ``timeBasis``; ``revalued(at:basis:)`` recomputes it.
///
/// Values are checked when the chain is built: strikes and implied vols are
/// finite and positive, open interest is finite and non-negative, positions
/// and multipliers are finite (multipliers positive).
public struct OptionChain: Sendable {
    /// The underlying's name (e.g. `SPX`), or empty when unknown.
    public var underlying: String
    /// Contract codes (e.g. `SPXW240105C04700000`).
    public private(set) var symbols: [String]
    /// Strikes, in units of the underlying's price (index points).
    public private(set) var strikes: [Double]
    /// Expiry instants (the moment the option stops trading / is settled).
    public private(set) var expiries: [Date]
    /// Call or put.
    public private(set) var kinds: [OptionKind]
    /// Black-Scholes implied volatilities, annualised decimals (0.18 = 18 vol).
    public private(set) var impliedVols: [Double]
    /// Open interest, in contracts.
    public private(set) var openInterest: [Double]
    /// Signed dealer positions in contracts (positive: dealers long), when the
    /// source gives them; `nil` otherwise.
    public private(set) var dealerPositions: [Double]?
    /// Contract multipliers (underlying units per contract; 100 for SPX).
    public private(set) var multipliers: [Double]
    /// The valuation instant.
    public private(set) var valuationTime: Date
    /// How time to expiry is measured.
    public private(set) var timeBasis: TimeBasis
    /// Time to expiry in years under ``timeBasis``; zero or negative for
    /// options that expired at or before ``valuationTime``.
    public private(set) var yearsToExpiry: [Double]

    /// The number of options.
    public var count: Int { strikes.count }
    /// Whether the chain has no options.
    public var isEmpty: Bool { strikes.isEmpty }

    /// Builds a chain from columns, checking every value.
    ///
    /// - Throws: ``ChainError`` with `kind == .invalidValue` naming the row
    ///   (as `line`, 1-based row index) and field of the first bad value.
    /// - Precondition: all columns have the same length.
    public init(
        underlying: String = "",
        symbols: [String],
        strikes: [Double],
        expiries: [Date],
        kinds: [OptionKind],
        impliedVols: [Double],
        openInterest: [Double],
        dealerPositions: [Double]? = nil,
        multipliers: [Double]? = nil,
        valuationTime: Date,
        timeBasis: TimeBasis = .act365,
        source: String = "<columns>"
    ) throws {
        let n = strikes.count
        precondition(
            symbols.count == n && expiries.count == n && kinds.count == n && impliedVols.count == n
                && openInterest.count == n && (dealerPositions?.count ?? n) == n && (multipliers?.count ?? n) == n,
            "OptionChain: every column must have the same length (\(n) strikes)")
        let mult = multipliers ?? [Double](repeating: 100, count: n)
        for i in 0..<n {
            func bad(_ field: String, _ value: Double, _ why: String) -> ChainError {
                ChainError(source: source, line: i + 1, field: field, value: "\(value)", kind: .invalidValue(why))
            }
            if !(strikes[i].isFinite && strikes[i] >= .leastNormalMagnitude) {
                throw bad("strike", strikes[i], "strike must be finite and positive (a normal double)")
            }
            if !(impliedVols[i].isFinite && impliedVols[i] > 0) {
                throw bad("iv", impliedVols[i], "implied vol must be finite and positive")
            }
            if !(openInterest[i].isFinite && openInterest[i] >= 0) {
                throw bad("open_interest", openInterest[i], "open interest must be finite and non-negative")
            }
            if let p = dealerPositions?[i], !p.isFinite {
                throw bad("dealer_position", p, "dealer position must be finite")
            }
            if !(mult[i].isFinite && mult[i] > 0) {
                throw bad("multiplier", mult[i], "multiplier must be finite and positive")
            }
        }
        self.underlying = underlying
        self.symbols = symbols
        self.strikes = strikes
        self.expiries = expiries
        self.kinds = kinds
        self.impliedVols = impliedVols
        self.openInterest = openInterest
        self.dealerPositions = dealerPositions
        self.multipliers = mult
        self.valuationTime = valuationTime
        self.timeBasis = timeBasis
        self.yearsToExpiry = timeBasis.years(from: valuationTime, to: expiries)
    }

    /// The same chain valued at another instant and/or under another basis;
    /// only ``yearsToExpiry`` changes.
    public func revalued(at valuationTime: Date, basis: TimeBasis? = nil) -> OptionChain {
        var copy = self
        copy.valuationTime = valuationTime
        if let basis { copy.timeBasis = basis }
        copy.yearsToExpiry = copy.timeBasis.years(from: valuationTime, to: copy.expiries)
        return copy
    }

    /// The options that have not expired (`yearsToExpiry > 0`), and how many were dropped.
    public func excludingExpired() -> (chain: OptionChain, expired: Int) {
        let keep = yearsToExpiry.indices.filter { yearsToExpiry[$0] > 0 }
        return (selecting(keep), count - keep.count)
    }

    /// A chain holding the options at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> OptionChain {
        var c = self
        c.symbols = indices.map { symbols[$0] }
        c.strikes = indices.map { strikes[$0] }
        c.expiries = indices.map { expiries[$0] }
        c.kinds = indices.map { kinds[$0] }
        c.impliedVols = indices.map { impliedVols[$0] }
        c.openInterest = indices.map { openInterest[$0] }
        c.dealerPositions = dealerPositions.map { col in indices.map { col[$0] } }
        c.multipliers = indices.map { multipliers[$0] }
        c.yearsToExpiry = indices.map { yearsToExpiry[$0] }
        return c
    }

    /// The same chain with other implied vols (e.g. filled from a smile fit).
    /// - Precondition: `vols.count == count`, every vol finite and positive.
    public func replacingImpliedVols(_ vols: [Double]) -> OptionChain {
        precondition(vols.count == count, "replacingImpliedVols: \(vols.count) vols for \(count) options")
        precondition(
            vols.allSatisfy { $0.isFinite && $0 > 0 }, "replacingImpliedVols: vols must be finite and positive")
        var c = self
        c.impliedVols = vols
        return c
    }

    /// The same chain with signed dealer positions (contracts, positive = dealers long).
    /// - Precondition: `positions.count == count`, every position finite.
    public func replacingDealerPositions(_ positions: [Double]?) -> OptionChain {
        precondition((positions?.count ?? count) == count, "replacingDealerPositions: wrong length")
        precondition(positions?.allSatisfy(\.isFinite) ?? true, "replacingDealerPositions: positions must be finite")
        var c = self
        c.dealerPositions = positions
        return c
    }
}

import Foundation

/// Dealer positioning on one option chain: the signed contracts dealers hold
/// in every option, under an explicit ``DealerConvention``, updated
/// incrementally by trades.
///
/// A book turns positions into the exposures, profiles, levels and hedge
/// flows a desk watches:
/// - ``exposures(spot:)``: GEX, DEX, VEX, CEX per strike, per expiry, 0DTE
///   versus the rest, and in total (dollars; units on ``ExposureTotals``);
/// - ``profile(spots:method:splitByExpiry:threads:)``: the same against
///   hypothetical spot (sticky-strike vols);
/// - ``levels(spot:search:)``: call wall, put wall, zero gamma, the largest
///   absolute GEX strike and the gamma regime;
/// - ``spotMoveFlow(from:to:)``, ``volMoveFlow(spot:points:)``,
///   ``charmFlow(spot:to:)``: the hedge trades dealers need.
///
/// The per-contract invariants of the Black-Scholes kernels are prepared
/// once (a ``GreeksEvaluator``), so each new spot costs about one `exp` per
/// option; a trade changes one position in O(1).
///
/// Options that have expired at the chain's valuation time are dropped when
/// the book is built (``expiredCount`` says how many).
public struct DealerBook: Sendable {
    /// The live options (expired ones removed), in chain order.
    public let chain: OptionChain
    /// How the starting positions were derived.
    public let convention: DealerConvention
    /// Continuously compounded risk-free rate, per year.
    public let rate: Double
    /// Continuous dividend yield, per year.
    public let dividendYield: Double
    /// Options of the source chain dropped because they had expired.
    public let expiredCount: Int
    /// Signed dealer positions in contracts (positive: dealers long),
    /// including ingested trades.
    public internal(set) var positions: [Double]
    /// The part of ``positions`` that came from ingested trades, in contracts.
    public internal(set) var tradedContracts: [Double]
    /// Counts of ingested trades by how they were classified.
    public internal(set) var tradeStatistics = TradeStatistics()

    let evaluator: GreeksEvaluator
    let symbolIndex: [String: Int]
    let layout: _BookLayout
    /// Per contract, for the tick rule: the last traded price (NaN: none)
    /// and the last classification (+1 customer buy, -1 sell, 0 none).
    var lastPrice: [Double]
    var lastSign: [Int8]

    /// Builds a book from a chain.
    /// - Parameters:
    ///   - chain: the options; expired ones (``OptionChain/yearsToExpiry`` `<= 0`) are dropped.
    ///   - convention: how positions follow from open interest (or the chain's signed positions).
    ///   - rate: continuously compounded risk-free rate, per year.
    ///   - dividendYield: continuous dividend yield, per year.
    /// - Throws: ``ChainError`` when the convention is ``DealerConvention/signedPositions``
    ///   and the chain has no dealer positions.
    public init(
        chain: OptionChain, convention: DealerConvention = .default, rate: Double = 0, dividendYield: Double = 0
    ) throws(ChainError) {
        precondition(rate.isFinite && dividendYield.isFinite, "DealerBook: rate and dividend yield must be finite")
        let (live, expired) = chain.excludingExpired()
        let positions = try convention.positions(for: live)
        self.init(
            live: live, convention: convention, rate: rate, dividendYield: dividendYield, expired: expired,
            positions: positions, traded: [Double](repeating: 0, count: live.count))
    }

    init(
        live: OptionChain, convention: DealerConvention, rate: Double, dividendYield: Double, expired: Int,
        positions: [Double], traded: [Double]
    ) {
        self.chain = live
        self.convention = convention
        self.rate = rate
        self.dividendYield = dividendYield
        self.expiredCount = expired
        self.positions = positions
        self.tradedContracts = traded
        self.evaluator = GreeksEvaluator(chain: live, rate: rate, dividendYield: dividendYield)
        var index: [String: Int] = [:]
        index.reserveCapacity(live.count)
        for (i, s) in live.symbols.enumerated() where index[s] == nil { index[s] = i }
        self.symbolIndex = index
        self.layout = _BookLayout(chain: live)
        self.lastPrice = [Double](repeating: .nan, count: live.count)
        self.lastSign = [Int8](repeating: 0, count: live.count)
    }

    /// The number of options in the book.
    public var count: Int { chain.count }
    /// The valuation instant of the book's chain.
    public var valuationTime: Date { chain.valuationTime }
    /// The time basis of the book's chain.
    public var timeBasis: TimeBasis { chain.timeBasis }
    /// Whether option `i` expires on the New York date of the valuation time (0DTE).
    public var isZeroDTE: [Bool] { layout.isZeroDTE }

    /// The index of the contract with code `symbol` (the first one when the
    /// chain repeats a code), or `nil`. O(1).
    public func contractIndex(of symbol: String) -> Int? { symbolIndex[symbol] }

    /// Adds `contracts` (signed, positive: dealers buy) to the dealer
    /// position of option `index`. O(1).
    /// - Precondition: `index` in range, `contracts` finite.
    public mutating func adjustPosition(at index: Int, byContracts contracts: Double) {
        precondition(index >= 0 && index < count, "DealerBook: option index \(index) out of 0..<\(count)")
        precondition(contracts.isFinite, "DealerBook: position change must be finite")
        positions[index] += contracts
    }

    /// The book with every position negated (dealers take the other side of everything).
    public func negated() -> DealerBook {
        var b = self
        b.positions = positions.map { -$0 }
        b.tradedContracts = tradedContracts.map { -$0 }
        return b
    }

    /// The same positions valued at another instant (options that expire by
    /// then keep their positions and take the expiry limit: intrinsic delta, no gamma).
    public func revalued(at time: Date) -> DealerBook {
        let c = chain.revalued(at: time)
        // The 0DTE flags move with the valuation date; symbols and positions do not.
        return DealerBook(self, chain: c, layout: _BookLayout(chain: c))
    }

    /// The same positions with every implied vol shifted by `points` vol
    /// points (1 point = 0.01), floored at 0.0001.
    public func shiftingVols(byPoints points: Double) -> DealerBook {
        precondition(points.isFinite, "DealerBook: vol shift must be finite")
        return replacingImpliedVols(chain.impliedVols.map { max($0 + points * 0.01, 1e-4) })
    }

    /// The book with the chain's implied vols replaced by `vols` (one per
    /// option, finite and positive). Symbols, layout, positions and trade
    /// state do not depend on vols and carry over; only the evaluator is
    /// prepared again (sticky-moneyness profiles do this once per grid spot).
    func replacingImpliedVols(_ vols: [Double]) -> DealerBook {
        DealerBook(self, chain: chain.replacingImpliedVols(vols), layout: layout)
    }

    /// `book` on another valuation of the same contracts (`c` has the same
    /// options in the same order): positions, trade state and the symbol index
    /// carry over, the evaluator is prepared for `c`.
    private init(_ book: DealerBook, chain c: OptionChain, layout: _BookLayout) {
        chain = c
        convention = book.convention
        rate = book.rate
        dividendYield = book.dividendYield
        expiredCount = book.expiredCount
        positions = book.positions
        tradedContracts = book.tradedContracts
        tradeStatistics = book.tradeStatistics
        evaluator = GreeksEvaluator(chain: c, rate: book.rate, dividendYield: book.dividendYield)
        symbolIndex = book.symbolIndex
        self.layout = layout
        lastPrice = book.lastPrice
        lastSign = book.lastSign
    }

    /// Dealer position times multiplier per option: underlying units per unit
    /// of each option's delta (the weight of every dealer sum).
    var weights: [Double] { zip(positions, chain.multipliers).map { $0 * $1 } }

    /// Years of the book's time basis per hour of passing time: `3600 /
    /// secondsPerYear` on a calendar clock, `1 / (24 daysPerYear)` on a
    /// business-day clock.
    public var yearsPerHour: Double {
        switch chain.timeBasis.clock {
        case .calendarSeconds(let spy): 3600 / spy
        case .businessDays(let d, _): 1 / (24 * d)
        }
    }

    /// One line naming every assumption, for result headers.
    public var conventionsDescription: String {
        "positions: \(convention); vols: sticky strike; time: \(chain.timeBasis); model: Black-Scholes-Merton"
    }
}

/// Strike and expiry buckets of a chain, computed once per book.
struct _BookLayout: Sendable {
    /// Distinct strikes, ascending.
    let strikes: [Double]
    /// Per option, its index in ``strikes``.
    let strikeSlot: [Int]
    /// Distinct expiries, ascending.
    let expiries: [Date]
    /// Per option, its index in ``expiries``.
    let expirySlot: [Int]
    /// Per expiry, whether it falls on the valuation's New York date.
    let expiryIsZeroDTE: [Bool]
    /// Per option, whether it is 0DTE.
    let isZeroDTE: [Bool]

    init(chain: OptionChain) {
        let ks = Array(Set(chain.strikes)).sorted()
        let kIndex = Dictionary(uniqueKeysWithValues: ks.enumerated().map { ($1, $0) })
        strikes = ks
        strikeSlot = chain.strikes.map { kIndex[$0]! }
        let es = Array(Set(chain.expiries)).sorted()
        let eIndex = Dictionary(uniqueKeysWithValues: es.enumerated().map { ($1, $0) })
        expiries = es
        expirySlot = chain.expiries.map { eIndex[$0]! }
        let now = chain.valuationTime
        let cal = NewYorkCalendar.calendar
        expiryIsZeroDTE = es.map { $0 > now && cal.isDate($0, inSameDayAs: now) }
        let z = expiryIsZeroDTE
        isZeroDTE = expirySlot.map { z[$0] }
    }
}

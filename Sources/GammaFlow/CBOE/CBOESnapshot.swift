import Foundation

/// How a CBOE quotedata file becomes a chain: the settlement rule that fixes
/// each expiry instant, the time basis, and optional overrides of the file's
/// snapshot time and spot.
public struct CBOEImportOptions: Sendable, Hashable {
    /// Which roots settle AM (09:30 New York) and which PM (16:00).
    public var settlement: SettlementRule
    /// How time to expiry becomes years in the chain.
    public var timeBasis: TimeBasis
    /// The valuation instant; `nil` takes the file's `Date:` line.
    public var asOf: Date?
    /// The underlying's price, index points; `nil` takes the file's `Last:`.
    public var spot: Double?
    /// Drop rows that do not parse (recording each) instead of throwing on the first.
    public var skipInvalid: Bool

    /// Creates options; the defaults are GammaFlow's conventions.
    public init(
        settlement: SettlementRule = .standard, timeBasis: TimeBasis = .act365, asOf: Date? = nil,
        spot: Double? = nil, skipInvalid: Bool = false
    ) {
        precondition(
            spot.map { $0.isFinite && $0 >= .leastNormalMagnitude } ?? true,
            "CBOEImportOptions: spot must be finite and positive (a normal double)")
        self.settlement = settlement
        self.timeBasis = timeBasis
        self.asOf = asOf
        self.spot = spot
        self.skipInvalid = skipInvalid
    }
}

/// The vendor's per-option columns of a CBOE file, aligned with a
/// ``CBOESnapshot``'s chain (element `i` belongs to chain option `i`).
/// Missing values are NaN.
public struct CBOEVendorColumns: Sendable {
    /// The vendor's gamma, per index point.
    public var gamma: [Double]
    /// The vendor's delta, dimensionless.
    public var delta: [Double]
    /// Bid, index points per unit of underlying.
    public var bid: [Double]
    /// Ask, index points per unit of underlying.
    public var ask: [Double]
    /// Last sale, index points per unit of underlying.
    public var last: [Double]
    /// The session's volume, contracts.
    public var volume: [Double]
}

/// A CBOE delayed-quote snapshot as a GammaFlow chain.
///
/// Every side (call or put) of every file row is either in ``chain`` or listed
/// in ``report`` with the reason it was excluded:
/// - **expired**: its expiry instant (from the ``SettlementRule``) is not
///   after the valuation time. It is dropped, never floored to a minimum time.
/// - **no IV quote**: its implied vol is zero or missing, so it has no usable
///   quote. ``fillingImpliedVols(_:)`` puts such sides back with vols from
///   elsewhere (e.g. a smile fit).
///
/// The chain holds open interest as positions (contracts; multiplier 100), the
/// file's implied vols, expiries from the settlement rule and years under the
/// chosen ``TimeBasis``. The vendor's Greeks and quotes are kept aligned in
/// ``vendor``.
///
/// ```swift
/// let snapshot = try CBOESnapshot.load(path: "spx_quotedata.csv")
/// print(snapshot.report)                    // conventions and exclusions, with counts
/// let greeks = snapshot.chain.greeks(MarketParameters(spot: snapshot.spot), selection: .gamma)
/// ```
public struct CBOESnapshot: Sendable {
    /// The underlying's name from the file (e.g. `S&P 500 INDEX`).
    public var underlying: String { quotes.underlyingName }
    /// The underlying's price, index points (the file's `Last:` unless overridden).
    public var spot: Double
    /// The valuation instant (the file's `Date:` unless overridden).
    public var asOf: Date
    /// The options with a usable quote that had not expired, call then put of each file row.
    public var chain: OptionChain
    /// The vendor's columns, aligned with ``chain``.
    public var vendor: CBOEVendorColumns
    /// For each chain option, its index in ``quotes``.
    public var quoteIndices: [Int]
    /// The whole file, including the excluded sides.
    public var quotes: CBOEQuoteData
    /// What was imported, what was excluded and why, under which conventions.
    public var report: ImportReport
    /// The options this snapshot was built with.
    public var options: CBOEImportOptions

    /// Reads and converts the file at `path`.
    /// - Throws: ``ChainError`` naming the file, line and field.
    public static func load(path: String, options: CBOEImportOptions = CBOEImportOptions()) throws -> CBOESnapshot {
        try CBOESnapshot(quotes: CBOEQuoteData(path: path, skipInvalid: options.skipInvalid), options: options)
    }

    /// Reads and converts CSV bytes; `source` names them in errors.
    public static func load(
        data: Data, source: String, options: CBOEImportOptions = CBOEImportOptions()
    ) throws -> CBOESnapshot {
        try CBOESnapshot(
            quotes: CBOEQuoteData(data: data, source: source, skipInvalid: options.skipInvalid), options: options)
    }

    /// Converts parsed quote data.
    /// - Parameters:
    ///   - quotes: the parsed file.
    ///   - options: settlement, time basis, overrides of spot and as-of.
    ///   - filledVols: implied vols (annualised decimals, finite,
    ///     > 0) for sides that have no IV quote, keyed by index in `quotes`.
    /// - Precondition: every key of `filledVols` is a side without an IV quote.
    public init(
        quotes: CBOEQuoteData, options: CBOEImportOptions = CBOEImportOptions(), filledVols: [Int: Double] = [:]
    ) throws {
        let asOf = options.asOf ?? quotes.asOf
        let spot = options.spot ?? quotes.spot
        var keep: [Int] = []
        keep.reserveCapacity(quotes.count)
        var expiries: [Date] = []
        expiries.reserveCapacity(quotes.count)
        var vols: [Double] = []
        vols.reserveCapacity(quotes.count)
        var exclusions: [ImportReport.Exclusion] = []
        var cache: [ExpiryKey: Date] = [:]
        for i in 0..<quotes.count {
            let expiry = try Self.expiry(of: i, in: quotes, rule: options.settlement, cache: &cache)
            var reason: ImportReport.Reason?
            var vol = quotes.impliedVols[i]
            if !(expiry > asOf) {
                reason = .expired
            } else if !(vol > 0) {
                if let fill = filledVols[i] {
                    precondition(
                        fill.isFinite && fill > 0, "CBOESnapshot: filled vol \(fill) must be finite and positive")
                    vol = fill
                } else {
                    reason = .noImpliedVol
                }
            } else {
                precondition(filledVols[i] == nil, "CBOESnapshot: side \(i) (\(quotes.symbols[i])) has an IV quote")
            }
            if let reason {
                exclusions.append(
                    ImportReport.Exclusion(
                        quoteIndex: i, line: quotes.lines[i], symbol: quotes.symbols[i], kind: quotes.kinds[i],
                        reason: reason))
                continue
            }
            keep.append(i)
            expiries.append(expiry)
            vols.append(vol)
        }
        func pick(_ column: [Double]) -> [Double] { keep.map { column[$0] } }
        chain = try OptionChain(
            underlying: quotes.underlyingName, symbols: keep.map { quotes.symbols[$0] }, strikes: pick(quotes.strikes),
            expiries: expiries, kinds: keep.map { quotes.kinds[$0] }, impliedVols: vols,
            openInterest: pick(quotes.openInterest), valuationTime: asOf, timeBasis: options.timeBasis,
            source: quotes.source)
        vendor = CBOEVendorColumns(
            gamma: pick(quotes.vendorGamma), delta: pick(quotes.vendorDelta), bid: pick(quotes.bid),
            ask: pick(quotes.ask), last: pick(quotes.last), volume: pick(quotes.volume))
        self.spot = spot
        self.asOf = asOf
        self.quoteIndices = keep
        self.quotes = quotes
        self.options = options
        self.report = ImportReport(
            source: quotes.source, underlying: quotes.underlyingName, spot: spot, spotFromFile: options.spot == nil,
            asOf: asOf, asOfFromFile: options.asOf == nil, rows: quotes.rowCount, options: quotes.count,
            imported: keep.count, filledImpliedVols: filledVols.count, exclusions: exclusions,
            invalidRows: quotes.invalidRows, settlement: options.settlement, timeBasis: options.timeBasis)
    }

    /// The same snapshot with sides that had no IV quote put back with the
    /// given vols (annualised decimals), keyed by their index in ``quotes``
    /// (``ImportReport/Exclusion/quoteIndex``). Expired sides cannot be filled.
    public func fillingImpliedVols(_ vols: [Int: Double]) throws -> CBOESnapshot {
        try CBOESnapshot(quotes: quotes, options: options, filledVols: vols)
    }

    struct ExpiryKey: Hashable {
        var root: String
        var day: ExpirationDay
    }

    static func expiry(
        of i: Int, in quotes: CBOEQuoteData, rule: SettlementRule, cache: inout [ExpiryKey: Date]
    ) throws -> Date {
        let key = ExpiryKey(root: quotes.roots[i], day: quotes.expirationDays[i])
        if let hit = cache[key] { return hit }
        guard let date = rule.expiry(root: Substring(key.root), on: key.day) else {
            throw ChainError(
                source: quotes.source, line: quotes.lines[i], field: "Expiration Date", value: key.day.description,
                kind: .invalidValue("the expiration date does not exist"))
        }
        cache[key] = date
        return date
    }
}

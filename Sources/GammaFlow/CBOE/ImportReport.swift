import Foundation

/// What an import read, kept and excluded, and under which conventions:
/// printed by every command that loads a CBOE file.
public struct ImportReport: Sendable, CustomStringConvertible {
    /// Why an option side was left out of the chain.
    public enum Reason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Its expiry instant is not after the valuation time.
        case expired
        /// Its implied vol is zero or missing: no usable quote.
        case noImpliedVol

        /// `expired` or `no IV quote`.
        public var description: String { self == .expired ? "expired" : "no IV quote" }
    }

    /// One excluded option side.
    public struct Exclusion: Sendable, Hashable {
        /// Its index in ``CBOESnapshot/quotes``, the key for
        /// ``CBOESnapshot/fillingImpliedVols(_:)``.
        public var quoteIndex: Int
        /// The 1-based file line of its row.
        public var line: Int
        /// Its contract code.
        public var symbol: String
        /// Call or put.
        public var kind: OptionKind
        /// Why it was excluded.
        public var reason: Reason
    }

    /// The file.
    public var source: String
    /// The underlying's name.
    public var underlying: String
    /// The spot used, index points.
    public var spot: Double
    /// Whether ``spot`` is the file's `Last:` (false: overridden).
    public var spotFromFile: Bool
    /// The valuation instant used.
    public var asOf: Date
    /// Whether ``asOf`` is the file's `Date:` (false: overridden).
    public var asOfFromFile: Bool
    /// Data rows read (each a call and a put).
    public var rows: Int
    /// Option sides read (`2 * rows`).
    public var options: Int
    /// Option sides in the chain.
    public var imported: Int
    /// Sides without an IV quote that were put back with a filled vol.
    public var filledImpliedVols: Int
    /// Every excluded side, in file order.
    public var exclusions: [Exclusion]
    /// Rows dropped because they did not parse (only with `skipInvalid`).
    public var invalidRows: SkippedRows
    /// The settlement rule used for expiry instants.
    public var settlement: SettlementRule
    /// The time basis of the chain.
    public var timeBasis: TimeBasis

    /// The number of sides excluded for `reason`.
    public func count(_ reason: Reason) -> Int {
        exclusions.reduce(0) { $0 + ($1.reason == reason ? 1 : 0) }
    }

    /// Several lines: source, spot and time, conventions, and the counts.
    public var description: String {
        let when = Self.newYorkString(asOf)
        var lines = [
            "source: \(source) (\(underlying))",
            "spot: \(spot) (\(spotFromFile ? "file Last:" : "given"))",
            "as of: \(when) (\(asOfFromFile ? "file Date:" : "given"))",
            "settlement: \(settlement)",
            "time basis: \(timeBasis)",
            "rows: \(rows) (\(options) options), imported \(imported)"
                + (filledImpliedVols > 0 ? ", of which \(filledImpliedVols) with filled IV" : ""),
            "excluded: " + Reason.allCases.map { "\($0) \(count($0))" }.joined(separator: ", "),
            "invalid rows: \(invalidRows.count)",
        ]
        lines += invalidRows.errors.prefix(5).map { "  \($0)" }
        if invalidRows.count > 5 { lines.append("  ... \(invalidRows.count - 5) more") }
        return lines.joined(separator: "\n")
    }

    /// `2024-01-07 10:52:00 EST (2024-01-07T15:52:00Z)`: New York wall time and UTC.
    static func newYorkString(_ date: Date) -> String {
        let c = NewYorkCalendar.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ x: Int?) -> String { let v = x ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let offset = NewYorkCalendar.timeZone.secondsFromGMT(for: date)
        let zone = offset == -18_000 ? "EST" : (offset == -14_400 ? "EDT" : "UTC\(offset / 3600)")
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) "
            + "\(zone) (\(ISO8601Timestamp.string(from: date)))"
    }
}

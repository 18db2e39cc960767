import Foundation

/// Everything a CBOE delayed-quote download ("quotedata" CSV) holds, exactly
/// as the file gives it, before any convention is applied: one element per
/// option side, the call and the put of each file row next to each other
/// (element `2r` is the call of data row `r`, element `2r + 1` its put).
///
/// The file layout (Cboe's "Options data download" of delayed quotes):
/// ```
/// (blank lines)
/// S&P 500 INDEX,Last: 4697.2402,Change:  8.5602
/// "Date: January 7, 2024 at 10:52 AM EST",Bid: 4645.23,Ask: 4753.8999,...
/// Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,...
/// Fri Jan 05 2024,SPXW240105C01200000,3499.25,-1.1,3492.4,3501.3,1,0,0,0,24,1200.00,SPXW240105P01200000,...
/// ```
/// Line ends may be LF or CRLF and rows may carry trailing commas.
///
/// ``CBOESnapshot`` turns this into an ``OptionChain`` under a
/// ``SettlementRule`` and a ``TimeBasis``; ``gammaExposure(_:spot:asOf:grid:)``
/// evaluates it under any ``GEXConventions``.
public struct CBOEQuoteData: Sendable {
    /// The file (or label) the data came from, used in messages.
    public var source: String
    /// The underlying's name from line 1 (e.g. `S&P 500 INDEX`).
    public var underlyingName: String
    /// The underlying's last price from line 1 (`Last:`), in index points.
    public var spot: Double
    /// The snapshot instant from line 2 (`Date:`), read as New York time.
    public var asOf: Date
    /// The snapshot time as the file spells it (e.g. `January 7, 2024 at 10:52 AM EST`).
    public var asOfText: String
    /// The number of data rows read (each holds a call and a put).
    public var rowCount: Int { lines.count / 2 }
    /// The number of option sides (`2 * rowCount`).
    public var count: Int { lines.count }
    /// Rows that could not be read, when loaded with `skipInvalid`.
    public var invalidRows: SkippedRows

    /// The 1-based file line of each side's row.
    public internal(set) var lines: [Int] = []
    /// Contract codes (`SPXW240105C04700000`).
    public internal(set) var symbols: [String] = []
    /// Option roots, the letters of the contract code before the date (`SPXW`).
    public internal(set) var roots: [String] = []
    /// Call or put.
    public internal(set) var kinds: [OptionKind] = []
    /// Expiration dates (`Expiration Date` column).
    public internal(set) var expirationDays: [ExpirationDay] = []
    /// Strikes, index points.
    public internal(set) var strikes: [Double] = []
    /// The file's implied vols, annualised decimals; 0 when the vendor had
    /// none, NaN when the field was empty or `-`.
    public internal(set) var impliedVols: [Double] = []
    /// Open interest, contracts.
    public internal(set) var openInterest: [Double] = []
    /// The vendor's gamma (per index point), NaN when empty.
    public internal(set) var vendorGamma: [Double] = []
    /// The vendor's delta (dimensionless), NaN when empty.
    public internal(set) var vendorDelta: [Double] = []
    /// Bid, index points per unit; NaN when empty.
    public internal(set) var bid: [Double] = []
    /// Ask, index points per unit; NaN when empty.
    public internal(set) var ask: [Double] = []
    /// Last sale, index points per unit; NaN when empty.
    public internal(set) var last: [Double] = []
    /// Volume of the session, contracts; NaN when empty.
    public internal(set) var volume: [Double] = []

    /// Reads the file at `path`.
    /// - Parameters:
    ///   - path: the CBOE delayed-quote CSV.
    ///   - skipInvalid: drop rows that do not parse and record
    ///     them in ``invalidRows`` instead of throwing the first one.
    /// - Throws: ``ChainError`` naming the file, line and field.
    public init(path: String, skipInvalid: Bool = false) throws {
        let data = try ChainError.readFile(path)
        try self.init(data: data, source: path, skipInvalid: skipInvalid)
    }

    /// Reads CSV bytes; `source` names them in errors.
    public init(data: Data, source: String, skipInvalid: Bool = false) throws {
        // The byte-level scanner, not CSVReader: a full SPX file is 10,000+ rows of 22 fields.
        var scanner = try ChainCSVScanner(data: data, source: source)
        var records: [CSVRecord] = []
        records.reserveCapacity(data.count / 120)
        while scanner.next() {
            records.append(CSVRecord(line: scanner.line, fields: scanner.fields.indices.map(scanner.string)))
        }
        try self.init(records: records, source: source, skipInvalid: skipInvalid)
    }

    /// Reads already split CSV records (blank lines removed).
    public init(records: [CSVRecord], source: String, skipInvalid: Bool = false) throws {
        let body = records.drop { $0.fields.allSatisfy(\.isEmpty) }
        guard body.count >= 3 else { throw ChainError(source: source, line: nil, field: nil, kind: .empty) }
        let first = body[body.startIndex]
        let second = body[body.startIndex + 1]
        let header = body[body.startIndex + 2]
        let (name, spot) = try Self.parseTitle(first, source: source)
        let (asOf, asOfText) = try Self.parseDateLine(second, source: source)
        try Self.checkColumns(header, source: source)
        self.source = source
        self.underlyingName = name
        self.spot = spot
        self.asOf = asOf
        self.asOfText = asOfText
        self.invalidRows = SkippedRows()
        reserve(2 * (body.count - 3))
        var days: [String: ExpirationDay] = [:]
        for record in body.dropFirst(3) where !record.fields.allSatisfy(\.isEmpty) {
            do {
                try appendRow(record, source: source, days: &days)
            } catch let error as ChainError where skipInvalid {
                invalidRows.errors.append(error)
            }
        }
        if lines.isEmpty { throw ChainError(source: source, line: nil, field: nil, kind: .empty) }
    }

    private mutating func reserve(_ n: Int) {
        lines.reserveCapacity(n)
        symbols.reserveCapacity(n)
        roots.reserveCapacity(n)
        kinds.reserveCapacity(n)
        expirationDays.reserveCapacity(n)
        strikes.reserveCapacity(n)
        impliedVols.reserveCapacity(n)
        openInterest.reserveCapacity(n)
        vendorGamma.reserveCapacity(n)
        vendorDelta.reserveCapacity(n)
        bid.reserveCapacity(n)
        ask.reserveCapacity(n)
        last.reserveCapacity(n)
        volume.reserveCapacity(n)
    }
}

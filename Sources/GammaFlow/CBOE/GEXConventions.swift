/// What a tool does with options whose expiry is at or before the valuation
/// time (and, for some, with options expiring today).
///
/// - ``exclude``: options whose expiry instant is not after the valuation time
///   are left out; the rest keep their time to expiry (floored by the time
///   basis' `minimumYears` when it has one). GammaFlow's rule.
/// - ``floor``: every option is kept and gets at least the time basis'
///   `minimumYears`, expired or not (tools that write
///   `max(business_days, 1) / 262`).
/// - ``excludePriorDates``: only options whose expiry *date* (New York) is
///   before the valuation date are left out; options expiring on the
///   valuation date are kept and floored even after their settlement time.
///   This is what Perfiliev's method does: a negative business-day count gives
///   a negative `T`, a NaN gamma and a NaN exposure that pandas' sum skips,
///   while a zero count is replaced by one day.
public enum ExpiredOptionHandling: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case exclude
    case floor
    case excludePriorDates

    /// A phrase for result headers.
    public var description: String {
        switch self {
        case .exclude: "expired options excluded (expiry instant not after valuation)"
        case .floor: "expired options kept, time floored"
        case .excludePriorDates: "options expiring on earlier dates excluded, same-day ones floored"
        }
    }
}

/// Every assumption that turns a vendor snapshot into a dealer gamma exposure,
/// as one value that is printed with the result. Tools that publish "the" GEX
/// of the same file disagree because they pick these differently and say
/// nothing; `Docs/Conventions.md` shows by how much on a real SPX snapshot.
///
/// The defaults are GammaFlow's: ACT/365 on seconds, expired options
/// excluded, model gamma, the standard AM/PM settlement, dealers long calls
/// and short puts, r = q = 0.
public struct GEXConventions: Sendable, Hashable, CustomStringConvertible {
    /// How time to expiry becomes years (and its optional floor).
    public var timeBasis: TimeBasis
    /// What happens to expired and same-day options.
    public var expired: ExpiredOptionHandling
    /// Model or vendor gamma.
    public var gammaSource: GammaSource
    /// Which roots settle AM (09:30) and which PM (16:00).
    public var settlement: SettlementRule
    /// Which side of the open interest dealers hold. `.signedPositions` is not
    /// available for CBOE files (they carry no positions).
    public var dealer: DealerConvention
    /// Continuous risk-free rate, per year (model gamma only).
    public var rate: Double
    /// Continuous dividend yield, per year (model gamma only).
    public var dividendYield: Double

    /// Creates conventions; the defaults are GammaFlow's.
    /// - Precondition: `dealer` is not `.signedPositions`; with
    ///   `.floor` or `.excludePriorDates` the time basis has a `minimumYears`;
    ///   rate and yield are finite.
    public init(
        timeBasis: TimeBasis = .act365, expired: ExpiredOptionHandling = .exclude, gammaSource: GammaSource = .model,
        settlement: SettlementRule = .standard, dealer: DealerConvention = .longCallsShortPuts, rate: Double = 0,
        dividendYield: Double = 0
    ) {
        precondition(dealer != .signedPositions, "GEXConventions: CBOE files carry no signed dealer positions")
        precondition(
            expired == .exclude || timeBasis.minimumYears != nil,
            "GEXConventions: '\(expired.rawValue)' needs a time basis with minimumYears (the floor)")
        precondition(rate.isFinite && dividendYield.isFinite, "GEXConventions: rate and dividend yield must be finite")
        self.timeBasis = timeBasis
        self.expired = expired
        self.gammaSource = gammaSource
        self.settlement = settlement
        self.dealer = dealer
        self.rate = rate
        self.dividendYield = dividendYield
    }

    /// GammaFlow's defaults.
    public static let gammaFlow = GEXConventions()

    /// One line per convention, for result headers.
    public var description: String {
        [
            "time basis: \(timeBasis)",
            "expired: \(expired)",
            "gamma: \(gammaSource)",
            "settlement: \(settlement)",
            "dealers: \(dealer)",
            "r = \(rate), q = \(dividendYield)",
        ].joined(separator: "\n")
    }
}

/// Spot levels for a GEX profile: `count` points evenly spaced from
/// `lower * spot` to `upper * spot`, both included, computed as
/// `numpy.linspace` computes them (`start + i * step`, the last point exactly
/// `upper * spot`).
public struct SpotGrid: Sendable, Hashable, CustomStringConvertible {
    /// The lowest level as a fraction of spot.
    public var lower: Double
    /// The highest level as a fraction of spot.
    public var upper: Double
    /// The number of levels (>= 2).
    public var count: Int

    /// Creates a grid.
    /// - Precondition: `0 < lower < upper`, finite, `count >= 2`.
    public init(lower: Double, upper: Double, count: Int) {
        precondition(
            lower > 0 && lower < upper && upper.isFinite && count >= 2, "SpotGrid: need 0 < lower < upper, count >= 2")
        self.lower = lower
        self.upper = upper
        self.count = count
    }

    /// 60 levels from 0.8 to 1.2 times spot (Perfiliev's grid).
    public static let perfiliev = SpotGrid(lower: 0.8, upper: 1.2, count: 60)

    /// The levels around `spot`, index points.
    public func levels(spot: Double) -> [Double] {
        let start = lower * spot
        let stop = upper * spot
        let step = (stop - start) / Double(count - 1)
        var out = (0..<count).map { start + Double($0) * step }
        out[count - 1] = stop
        return out
    }

    /// `60 levels, 0.8..1.2 x spot`.
    public var description: String { "\(count) levels, \(lower)..\(upper) x spot" }
}

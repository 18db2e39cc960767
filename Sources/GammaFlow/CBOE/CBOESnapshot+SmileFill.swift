import Foundation

/// The outcome of ``CBOESnapshot/fillingMissingVolsFromSmile(model:weighting:rate:dividendYield:)``.
public struct CBOESmileFill: Sendable {
    /// The snapshot with the filled sides in its chain (its report counts
    /// them in ``ImportReport/filledImpliedVols``).
    public var snapshot: CBOESnapshot
    /// The smiles fitted to the quoted vols, one per expiry.
    public var fit: SmileFit
    /// The vols put in, keyed by index in ``CBOESnapshot/quotes``.
    public var filledVols: [Int: Double]
    /// The no-IV sides of live expiries that stay excluded because their
    /// expiry has no usable smile (too few quotes, rank deficient, T = 0 under
    /// a whole-day basis, ...).
    public var unfilled: [ImportReport.Exclusion]

    /// How many sides were filled.
    public var filled: Int { filledVols.count }
}

extension CBOESnapshot {
    /// The expiry instants of sides of ``quotes`` (by index) under this
    /// snapshot's settlement rule, whether imported or excluded.
    /// - Throws: ``ChainError`` when an expiration date does not exist.
    public func expiries(ofQuotes indices: [Int]) throws -> [Date] {
        var cache: [ExpiryKey: Date] = [:]
        return try indices.map { try Self.expiry(of: $0, in: quotes, rule: options.settlement, cache: &cache) }
    }

    /// The same snapshot with the sides that have no IV quote (zero or missing
    /// IV) of live expiries filled from smiles fitted per expiry to the file's
    /// quoted vols.
    ///
    /// - One smile per expiry (equal time to expiry) is fitted to the quoted
    ///   vols in ``chain`` (vols filled earlier are not used as quotes).
    /// - A side without an IV quote is filled only when its own expiry has a
    ///   fitted smile; its vol is the smile's at its strike, clamped to the
    ///   range of quoted strikes of that expiry (flat beyond the outermost
    ///   quotes, so a polynomial wing is never extrapolated far out).
    /// - Sides whose expiry has no usable smile stay excluded as "no IV quote";
    ///   expired sides are never filled.
    ///
    /// The result is re-imported through ``fillingImpliedVols(_:)``, so the
    /// quoted vols and every other column are unchanged.
    /// - Parameters:
    ///   - model: the smile's form.
    ///   - weighting: how the quotes count in the fit.
    ///   - rate: continuously compounded rate for the forwards (decimal).
    ///   - dividendYield: continuous dividend yield for the forwards (decimal).
    public func fillingMissingVolsFromSmile(
        model: SmileModel = .quadratic, weighting: SmileWeighting = .vega, rate: Double = 0, dividendYield: Double = 0
    ) throws -> CBOESmileFill {
        let market = MarketParameters(spot: spot, rate: rate, dividendYield: dividendYield)
        let quoted = quoteIndices.map { quotes.impliedVols[$0] > 0 }
        let years = chain.yearsToExpiry
        let fit = SmileFit(
            strikes: chain.strikes, years: years, vols: chain.impliedVols, market: market, model: model,
            weighting: weighting, include: quoted)
        // The quoted strike range of each fitted expiry.
        var range: [Double: ClosedRange<Double>] = [:]
        let fitted = Set(fit.fittedExpiries.map(\.years))
        for j in 0..<chain.count where quoted[j] && fitted.contains(years[j]) && chain.impliedVols[j] > 0 {
            let K = chain.strikes[j]
            if let r = range[years[j]] {
                range[years[j]] = Swift.min(r.lowerBound, K)...Swift.max(r.upperBound, K)
            } else {
                range[years[j]] = K...K
            }
        }
        let missing = report.exclusions.filter { $0.reason == .noImpliedVol }
        let expiries = try expiries(ofQuotes: missing.map(\.quoteIndex))
        let missingYears = options.timeBasis.years(from: asOf, to: expiries)
        var vols: [Int: Double] = [:]
        var unfilled: [ImportReport.Exclusion] = []
        for (e, T) in zip(missing, missingYears) {
            let K = quotes.strikes[e.quoteIndex]
            guard T > 0, let r = range[T],
                let v = fit.vol(strike: Swift.min(Swift.max(K, r.lowerBound), r.upperBound), years: T),
                v.isFinite, v > 0
            else {
                unfilled.append(e)
                continue
            }
            vols[e.quoteIndex] = v
        }
        // Keep vols filled earlier (they are not in `missing`).
        var all = vols
        for (j, q) in quoteIndices.enumerated() where !quoted[j] { all[q] = chain.impliedVols[j] }
        return CBOESmileFill(snapshot: try fillingImpliedVols(all), fit: fit, filledVols: vols, unfilled: unfilled)
    }
}

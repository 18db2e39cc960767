import Foundation

/// Dealer gamma exposure of a CBOE snapshot under explicit ``GEXConventions``,
/// at spot and across a spot grid, with the zero-gamma level found two ways.
///
/// Units: every exposure is in dollars per 1% move of the underlying,
/// `sum(position x 100 x gamma x S^2 x 0.01)` with positions in contracts
/// (signed by the dealer convention) and gamma per index point.
public struct CBOEGammaExposure: Sendable, CustomStringConvertible {
    /// The conventions used.
    public var conventions: GEXConventions
    /// The spot at which ``netGEX`` is evaluated, index points.
    public var spot: Double
    /// The valuation instant.
    public var asOf: Date
    /// Net dealer GEX at ``spot``, dollars per 1% move.
    public var netGEX: Double
    /// The grid of ``levels``.
    public var grid: SpotGrid
    /// Spot levels of the profile, index points (empty for vendor gamma,
    /// which exists at the file's spot only).
    public var levels: [Double]
    /// Net dealer GEX at each level, dollars per 1% move (empty for vendor gamma).
    public var profile: [Double]
    /// Zero gamma as Perfiliev defines it: the first sign change of the
    /// profile scanning up from the lowest level, located by linear
    /// interpolation between the two levels around it; index points, `nil`
    /// when the profile does not change sign.
    public var zeroGammaFirstCrossing: Double?
    /// Zero gamma as the root of the exact GEX curve in the grid interval
    /// nearest to spot, refined by bisection to 0.01 index points; `nil` when
    /// the profile does not change sign.
    public var zeroGammaNearestSpot: Double?
    /// Option sides that contributed.
    public var included: Int
    /// Sides left out as expired.
    public var excludedExpired: Int
    /// Sides left out for lack of a gamma: no IV quote (model) or an empty
    /// Gamma field (vendor).
    public var excludedNoGamma: Int
    /// Expired sides kept with a floored time (``ExpiredOptionHandling/floor``
    /// and same-day ones under ``ExpiredOptionHandling/excludePriorDates``).
    public var flooredExpired: Int

    /// Conventions, counts, net GEX and zero gamma.
    public var description: String {
        func bn(_ x: Double) -> String { String(format: "%.4f", x / 1e9) }
        func level(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "none" }
        return conventions.description + "\n"
            + "spot: \(spot), as of \(ImportReport.newYorkString(asOf))\n"
            + "options: \(included) included, \(excludedExpired) expired excluded, \(excludedNoGamma) without gamma, "
            + "\(flooredExpired) expired kept with floored time\n"
            + "net GEX: \(bn(netGEX)) $bn per 1% move\n"
            + "zero gamma: \(level(zeroGammaFirstCrossing)) (first crossing on \(grid)), "
            + "\(level(zeroGammaNearestSpot)) (root nearest spot)"
    }
}

extension CBOEQuoteData {
    /// Dealer gamma exposure of every option side of the file under `conventions`.
    ///
    /// - Parameters:
    ///   - conventions: time basis, expired handling, gamma source, settlement,
    ///     dealer sign, r and q (``GEXConventions/gammaFlow`` by default).
    ///   - spot: the spot, index points (`nil`: the file's `Last:`).
    ///   - asOf: the valuation instant (`nil`: the file's `Date:`).
    ///   - grid: the profile's levels (model gamma only).
    public func gammaExposure(
        _ conventions: GEXConventions = .gammaFlow, spot: Double? = nil, asOf: Date? = nil,
        grid: SpotGrid = .perfiliev
    ) -> CBOEGammaExposure {
        let s = spot ?? self.spot
        precondition(
            s.isFinite && s >= .leastNormalMagnitude,
            "gammaExposure: spot must be finite and positive (a normal double)")
        let t0 = asOf ?? self.asOf
        let valuationDay = ExpirationDay(newYorkDateOf: t0)
        let basis = conventions.timeBasis
        let floor = basis.minimumYears ?? 0
        var out = CBOEGammaExposure(
            conventions: conventions, spot: s, asOf: t0, netGEX: 0, grid: grid, levels: [], profile: [],
            zeroGammaFirstCrossing: nil, zeroGammaNearestSpot: nil, included: 0, excludedExpired: 0,
            excludedNoGamma: 0, flooredExpired: 0)
        var modelStrikes: [Double] = [], modelKinds: [OptionKind] = [], modelYears: [Double] = []
        var modelVols: [Double] = []
        var positions: [Double] = []
        var vendorSum = 0.0
        // Expiry instants and year fractions per (root, date): business-day
        // counts go through the calendar, so compute each once.
        var expiries: [CBOESnapshot.ExpiryKey: (Date, Double)] = [:]
        for i in 0..<count {
            let key = CBOESnapshot.ExpiryKey(root: roots[i], day: expirationDays[i])
            let expiry: Date
            var t: Double
            if let hit = expiries[key] {
                (expiry, t) = hit
            } else {
                // Parsing checked the weekday, so the date exists.
                expiry = conventions.settlement.expiry(root: Substring(key.root), on: key.day) ?? .distantPast
                t = basis.years(from: t0, to: expiry)
                expiries[key] = (expiry, t)
            }
            if !(expiry > t0) {
                switch conventions.expired {
                case .exclude:
                    out.excludedExpired += 1
                    continue
                case .excludePriorDates where expirationDays[i] < valuationDay:
                    out.excludedExpired += 1
                    continue
                case .floor, .excludePriorDates:
                    t = max(t, floor)
                    out.flooredExpired += 1
                }
            }
            let sign: Double =
                (kinds[i] == .call) == (conventions.dealer == .longCallsShortPuts) ? 1 : -1
            let position = sign * openInterest[i]
            switch conventions.gammaSource {
            case .vendor:
                guard !vendorGamma[i].isNaN else {
                    out.excludedNoGamma += 1
                    continue
                }
                vendorSum += position * vendorGamma[i]
            case .model:
                guard impliedVols[i] > 0 else {
                    out.excludedNoGamma += 1
                    continue
                }
                modelStrikes.append(strikes[i])
                modelKinds.append(kinds[i])
                modelYears.append(t)
                modelVols.append(impliedVols[i])
                positions.append(position)
            }
            out.included += 1
        }
        switch conventions.gammaSource {
        case .vendor:
            out.netGEX = vendorSum * 100 * s * s * 0.01
        case .model:
            let curve = GEXCurve(
                evaluator: GreeksEvaluator(
                    strikes: modelStrikes, kinds: modelKinds, years: modelYears, vols: modelVols,
                    rate: conventions.rate,
                    dividendYield: conventions.dividendYield),
                positions: positions)
            out.netGEX = curve(s)
            out.levels = grid.levels(spot: s)
            out.profile = out.levels.map(curve.callAsFunction)
            out.zeroGammaFirstCrossing = curve.firstCrossing(levels: out.levels, values: out.profile)
            out.zeroGammaNearestSpot = curve.rootNearest(spot: s, levels: out.levels, values: out.profile)
        }
        return out
    }
}

/// Net dealer GEX as a function of a hypothetical spot (sticky strike: each
/// option keeps its vol), dollars per 1% move.
struct GEXCurve {
    let evaluator: GreeksEvaluator
    let positions: [Double]

    func callAsFunction(_ x: Double) -> Double {
        let gamma = evaluator.greeks(spot: x, selection: .gamma).gamma
        var sum = 0.0
        for i in gamma.indices { sum += positions[i] * gamma[i] }
        return sum * 100 * x * x * 0.01
    }

    /// The first sign change of `values` (as `numpy.diff(numpy.sign(values))`
    /// finds it), linearly interpolated.
    func firstCrossing(levels: [Double], values: [Double]) -> Double? {
        guard let i = crossings(values).first else { return nil }
        let (x0, x1, g0, g1) = (levels[i], levels[i + 1], values[i], values[i + 1])
        return x1 - (x1 - x0) * g1 / (g1 - g0)
    }

    /// The root in the sign-change interval nearest `spot`, bisected to 0.01.
    func rootNearest(spot: Double, levels: [Double], values: [Double]) -> Double? {
        func distance(_ i: Int) -> Double {
            spot < levels[i] ? levels[i] - spot : (spot > levels[i + 1] ? spot - levels[i + 1] : 0)
        }
        guard let i = crossings(values).min(by: { distance($0) < distance($1) }) else { return nil }
        var (lo, hi, glo) = (levels[i], levels[i + 1], values[i])
        if glo == 0 { return lo }
        if values[i + 1] == 0 { return hi }
        while hi - lo > 0.01 {
            let mid = 0.5 * (lo + hi)
            let g = self(mid)
            if g == 0 { return mid }
            if (g < 0) == (glo < 0) {
                (lo, glo) = (mid, g)
            } else {
                hi = mid
            }
        }
        return 0.5 * (lo + hi)
    }

    func crossings(_ values: [Double]) -> [Int] {
        func sign(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }
        return values.indices.dropLast().filter { sign(values[$0]) != sign(values[$0 + 1]) }
    }
}

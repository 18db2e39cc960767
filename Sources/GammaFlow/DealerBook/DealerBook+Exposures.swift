import Foundation

/// Dealer exposures, in dollars, summed over some options.
///
/// With `w = position x multiplier` (dealer underlying units per unit of an
/// option's Greek) and spot `S`:
/// ```
/// GEX = sum w gamma S^2 0.01        $ of dealer delta gained per 1% rise of spot
/// DEX = sum w delta S               dealer delta, in $
/// VEX = sum w vanna S 0.01          $ of dealer delta gained per +1 vol point
/// CEX = sum w charm S (years/hour)  $ of dealer delta gained per hour of passing time
/// ```
/// A positive GEX (dealers long gamma) means dealers sell into rallies and
/// buy dips to stay hedged; a negative GEX means they chase the move.
public struct ExposureTotals: Sendable, Hashable {
    /// Dealer gamma exposure: $ change of dealer delta per 1% move of spot.
    public var gex: Double = 0
    /// Dealer delta, in $ (delta x S x multiplier x position).
    public var dex: Double = 0
    /// Dealer vanna exposure: $ change of dealer delta per 1 vol point (0.01) rise of every implied vol.
    public var vex: Double = 0
    /// Dealer charm exposure: $ change of dealer delta per hour of passing time
    /// (spot and vols fixed), on the book's time basis.
    public var cexPerHour: Double = 0
    /// Dealer charm exposure per day (24 hours of passing time), $.
    public var cexPerDay: Double { cexPerHour * 24 }

    /// Zero exposures.
    public init() {}

    /// Creates totals from values ($ per 1%, $, $ per vol point, $ per hour).
    public init(gex: Double, dex: Double, vex: Double, cexPerHour: Double) {
        self.gex = gex
        self.dex = dex
        self.vex = vex
        self.cexPerHour = cexPerHour
    }

    static func + (a: ExposureTotals, b: ExposureTotals) -> ExposureTotals {
        ExposureTotals(
            gex: a.gex + b.gex, dex: a.dex + b.dex, vex: a.vex + b.vex, cexPerHour: a.cexPerHour + b.cexPerHour)
    }
}

/// Exposures of the calls and the puts at one strike, summed over expiries.
public struct StrikeExposure: Sendable, Hashable {
    /// The strike, index points.
    public var strike: Double
    /// Calls at this strike (units on ``ExposureTotals``).
    public var calls = ExposureTotals()
    /// Puts at this strike.
    public var puts = ExposureTotals()
    /// Calls plus puts.
    public var net: ExposureTotals { calls + puts }
}

/// Exposures of one expiry.
public struct ExpiryExposure: Sendable, Hashable {
    /// The expiry instant.
    public var expiry: Date
    /// Whether it expires on the valuation's New York date.
    public var isZeroDTE: Bool
    /// The expiry's totals (units on ``ExposureTotals``).
    public var totals = ExposureTotals()
}

/// A book's exposures at one spot, per strike, per expiry, 0DTE versus the
/// rest, and in total. Units are those of ``ExposureTotals``.
public struct DealerExposures: Sendable {
    /// The spot they are evaluated at, index points.
    public var spot: Double
    /// The positioning convention of the book.
    public var convention: DealerConvention
    /// Per distinct strike, ascending.
    public var perStrike: [StrikeExposure]
    /// Per distinct expiry, ascending.
    public var perExpiry: [ExpiryExposure]
    /// Options expiring on the valuation's New York date.
    public var zeroDTE: ExposureTotals
    /// Every other option.
    public var rest: ExposureTotals
    /// Everything.
    public var total: ExposureTotals { zeroDTE + rest }
    /// `sum |GEX_i|` over 0DTE options divided by `sum |GEX_i|` over all
    /// options (per option, so offsetting positions do not hide gamma); 0 for an empty book.
    public var zeroDTEGammaShare: Double
}

/// Per-option dollar exposures at one spot (internal columns).
struct _OptionExposures {
    var gex: [Double]
    var dex: [Double]
    var vex: [Double]
    var cexPerHour: [Double]
}

extension DealerBook {
    /// Every option's dollar exposures at `spot`: one evaluation of delta,
    /// gamma, vanna and charm with the prepared invariants.
    func optionExposures(spot S: Double, threads: Int? = nil) -> _OptionExposures {
        let g = evaluator.greeks(spot: S, selection: [.delta, .gamma, .vanna, .charm], threads: threads)
        let n = count
        let w = weights
        let gexScale = S * S * 0.01
        let vexScale = S * 0.01
        let cexScale = S * yearsPerHour
        var out = _OptionExposures(
            gex: .init(repeating: 0, count: n), dex: .init(repeating: 0, count: n),
            vex: .init(repeating: 0, count: n), cexPerHour: .init(repeating: 0, count: n))
        for i in 0..<n {
            out.gex[i] = w[i] * g.gamma[i] * gexScale
            out.dex[i] = w[i] * g.delta[i] * S
            out.vex[i] = w[i] * g.vanna[i] * vexScale
            out.cexPerHour[i] = w[i] * g.charm[i] * cexScale
        }
        return out
    }

    /// GEX, DEX, VEX and CEX at `spot` (index points, > 0): per strike, per
    /// expiry, 0DTE versus the rest, and in total. Dollars; see ``ExposureTotals``.
    public func exposures(spot: Double) -> DealerExposures {
        precondition(spot.isFinite && spot > 0, "DealerBook: spot must be finite and positive, got \(spot)")
        return aggregate(optionExposures(spot: spot), spot: spot)
    }

    func aggregate(_ e: _OptionExposures, spot: Double) -> DealerExposures {
        var perStrike = layout.strikes.map { StrikeExposure(strike: $0) }
        var perExpiry = zip(layout.expiries, layout.expiryIsZeroDTE).map { ExpiryExposure(expiry: $0, isZeroDTE: $1) }
        var zero = ExposureTotals()
        var rest = ExposureTotals()
        var gross0 = 0.0
        var gross = 0.0
        let kinds = chain.kinds
        for i in 0..<count {
            let t = ExposureTotals(gex: e.gex[i], dex: e.dex[i], vex: e.vex[i], cexPerHour: e.cexPerHour[i])
            let k = layout.strikeSlot[i]
            if kinds[i] == .call {
                perStrike[k].calls = perStrike[k].calls + t
            } else {
                perStrike[k].puts = perStrike[k].puts + t
            }
            perExpiry[layout.expirySlot[i]].totals = perExpiry[layout.expirySlot[i]].totals + t
            gross += abs(e.gex[i])
            if layout.isZeroDTE[i] {
                zero = zero + t
                gross0 += abs(e.gex[i])
            } else {
                rest = rest + t
            }
        }
        return DealerExposures(
            spot: spot, convention: convention, perStrike: perStrike, perExpiry: perExpiry, zeroDTE: zero, rest: rest,
            zeroDTEGammaShare: gross > 0 ? gross0 / gross : 0)
    }

    /// Dealer delta at `spot` in underlying units (`sum position x multiplier
    /// x delta`), re-evaluated exactly (sticky-strike vols). Dealers hedge by
    /// holding minus this many units of the underlying.
    public func dealerDelta(spot: Double) -> Double {
        precondition(spot.isFinite && spot > 0, "DealerBook: spot must be finite and positive, got \(spot)")
        let g = evaluator.greeks(spot: spot, selection: .delta)
        var d = 0.0
        for i in 0..<count { d += positions[i] * chain.multipliers[i] * g.delta[i] }
        return d
    }
}

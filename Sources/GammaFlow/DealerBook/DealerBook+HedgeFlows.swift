import Foundation

/// The hedge trade dealers need after a change of market, to return to the
/// delta they held before (delta-neutral dealers hold minus their option delta
/// in the underlying).
///
/// Signs: positive = dealers buy the underlying, negative = they sell. "A 1%
/// drop forces dealers to sell $X" is a ``dollars`` of `-X`.
public struct HedgeFlow: Sendable, Hashable {
    /// Dealer option delta before the change, underlying units (shares, index units).
    public var dealerDeltaBefore: Double
    /// Dealer option delta after the change, re-evaluated exactly, underlying units.
    public var dealerDeltaAfter: Double
    /// The spot the trade is done at, index points.
    public var spot: Double
    /// Underlying units dealers must trade: `-(after - before)`.
    public var units: Double { -(dealerDeltaAfter - dealerDeltaBefore) }
    /// The trade in dollars at ``spot``: `units x spot`.
    public var dollars: Double { units * spot }
    /// The first-order estimate from the exposures at the starting point
    /// (`-GEX x move in %`, `-VEX x vol points`, `-CEX per hour x hours`), dollars.
    public var linearEstimateDollars: Double
}

extension DealerBook {
    /// The hedge trade when spot moves from `from` to `to` (index points),
    /// vols sticky by strike, time fixed. Linear estimate: `-GEX(from) x 100 (to/from - 1)`.
    public func spotMoveFlow(from S0: Double, to S1: Double) -> HedgeFlow {
        precondition(S0.isFinite && S0 > 0 && S1.isFinite && S1 > 0, "DealerBook: spots must be finite and positive")
        let gex = exposures(spot: S0).total.gex
        return HedgeFlow(
            dealerDeltaBefore: dealerDelta(spot: S0), dealerDeltaAfter: dealerDelta(spot: S1), spot: S1,
            linearEstimateDollars: -gex * 100 * (S1 / S0 - 1))
    }

    /// The vanna flow: the hedge trade when every implied vol moves by
    /// `points` vol points (1 = 0.01) at fixed `spot`. Linear estimate: `-VEX x points`.
    public func volMoveFlow(spot: Double, points: Double) -> HedgeFlow {
        let vex = exposures(spot: spot).total.vex
        return HedgeFlow(
            dealerDeltaBefore: dealerDelta(spot: spot),
            dealerDeltaAfter: shiftingVols(byPoints: points).dealerDelta(spot: spot), spot: spot,
            linearEstimateDollars: -vex * points)
    }

    /// The charm flow: the hedge trade as time passes from the valuation time
    /// to `time` (e.g. 16:00 New York, the close) at fixed spot and vols.
    /// Options expiring by then settle to their intrinsic delta. Linear
    /// estimate: `-CEX per hour x hours` (hours on the book's time basis).
    public func charmFlow(spot: Double, to time: Date) -> HedgeFlow {
        let cex = exposures(spot: spot).total.cexPerHour
        let years = chain.timeBasis.years(from: chain.valuationTime, to: time)
        return HedgeFlow(
            dealerDeltaBefore: dealerDelta(spot: spot), dealerDeltaAfter: revalued(at: time).dealerDelta(spot: spot),
            spot: spot, linearEstimateDollars: -cex * years / yearsPerHour)
    }
}

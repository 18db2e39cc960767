import Foundation

/// The gamma-exposure method of Sergei Perfiliev, "How to calculate gamma
/// exposure and zero gamma level" (perfiliev.com), the open-source method most
/// GEX tools start from, expressed in GammaFlow's convention values so that it
/// can be reproduced and compared.
///
/// - Total: the **vendor** gammas of every row of the file, dealers long calls
///   and short puts, `sum(CallGamma x CallOI - PutGamma x PutOI) x 100 x S^2 x 0.01`,
///   dollars per 1% move (the method reports it in billions).
/// - Profile: **model** gammas, r = q = 0, `T = busday_count(snapshot date,
///   expiry date) / 262`, replaced by `1/262` when the count is zero; options
///   whose expiry date is before the snapshot date drop out (their negative
///   `T` makes a NaN that the method's pandas sums skip); sides with IV = 0
///   contribute nothing. 60 levels from 0.8 to 1.2 times spot.
/// - Zero gamma: the first sign change of the profile, linearly interpolated.
///
/// The snapshot's time of day plays no part (only New York dates are
/// counted), nor does AM/PM settlement (the method dates every expiry at
/// 16:00, which whole business days ignore).
///
/// `Benchmarks/python/perfiliev_gex.py` is an independent numpy/scipy
/// reimplementation; on `spx_quotedata_2024-01-05.csv` both give a total of
/// -10.9987 $bn per 1% move and zero gamma 4734.48.
public enum PerfilievMethod {
    /// Business days / 262, whole days, floor 1/262.
    public static let timeBasis = TimeBasis.businessDays(yearLength: 262, intraday: false, minimumYears: 1.0 / 262)

    /// The total's conventions: vendor gamma of every row.
    public static let totalConventions = GEXConventions(
        timeBasis: timeBasis, expired: .floor, gammaSource: .vendor, settlement: .allPM)

    /// The profile's conventions: model gamma, business days / 262 with a
    /// one-day floor, earlier-dated expiries dropped.
    public static let profileConventions = GEXConventions(
        timeBasis: timeBasis, expired: .excludePriorDates, gammaSource: .model, settlement: .allPM)

    /// 60 levels, 0.8 to 1.2 times spot.
    public static let grid = SpotGrid.perfiliev

    /// The method's numbers.
    public struct Result: Sendable {
        /// Total GEX from vendor gammas, dollars per 1% move.
        public var totalGEX: Double
        /// The model-gamma evaluation: profile, zero gamma, counts.
        public var profile: CBOEGammaExposure
        /// Zero gamma, index points (first crossing of the profile), or `nil`.
        public var zeroGamma: Double? { profile.zeroGammaFirstCrossing }
    }

    /// Evaluates the method on a quotedata file at its own spot and date.
    public static func evaluate(_ quotes: CBOEQuoteData) -> Result {
        Result(
            totalGEX: quotes.gammaExposure(totalConventions, grid: grid).netGEX,
            profile: quotes.gammaExposure(profileConventions, grid: grid))
    }
}

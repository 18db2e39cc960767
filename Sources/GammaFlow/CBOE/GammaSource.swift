/// Where the gamma of each option comes from when exposures are computed from
/// a vendor file.
///
/// - ``model``: Black-Scholes gamma from the option's implied vol, strike and
///   time to expiry under the chosen ``TimeBasis``: exact, and re-evaluable at
///   any hypothetical spot (profiles, zero gamma). The default.
/// - ``vendor``: the file's own `Gamma` column, valid at the file's spot only.
///   CBOE prints it to four decimals (0.0001 per index point), so far
///   out-of-the-money and long-dated options round to 0 or to 0.0001, and it
///   is computed under the vendor's own (unstated) time and rate conventions.
public enum GammaSource: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case model
    case vendor

    /// The default: model gamma.
    public static let `default` = GammaSource.model

    /// A phrase for result headers.
    public var description: String {
        switch self {
        case .model: "model (Black-Scholes gamma from each option's IV)"
        case .vendor: "vendor (the file's Gamma column)"
        }
    }
}

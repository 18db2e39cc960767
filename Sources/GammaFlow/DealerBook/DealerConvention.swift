/// How dealer positions are derived from a chain: an explicit assumption,
/// printed with every result, because published gamma-exposure figures differ
/// mostly by this choice.
///
/// - ``longCallsShortPuts``: dealers are long every call's open interest and
///   short every put's (customers sell calls and buy puts). The
///   SqueezeMetrics / SpotGamma default, and GammaFlow's.
/// - ``shortCallsLongPuts``: the opposite (customers buy calls, sell puts).
/// - ``signedPositions``: the chain's own signed dealer positions
///   (``OptionChain/dealerPositions``, the `dealer_position` CSV column),
///   positive when dealers are long.
///
/// Positions are in contracts; trades ingested into a ``DealerBook`` add to
/// them whatever the convention.
public enum DealerConvention: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case longCallsShortPuts = "long-calls-short-puts"
    case shortCallsLongPuts = "short-calls-long-puts"
    case signedPositions = "signed-positions"

    /// The default: dealers long calls, short puts.
    public static let `default` = DealerConvention.longCallsShortPuts

    /// A sentence for result headers.
    public var description: String {
        switch self {
        case .longCallsShortPuts: "dealers long call OI, short put OI (SqueezeMetrics/SpotGamma)"
        case .shortCallsLongPuts: "dealers short call OI, long put OI"
        case .signedPositions: "signed dealer positions from the chain (dealer_position)"
        }
    }

    /// Signed dealer contracts for every option of `chain`.
    /// - Throws: ``ChainError`` (`.missingColumn`, field `dealer_position`)
    ///   for ``signedPositions`` when the chain has no dealer positions.
    public func positions(for chain: OptionChain, source: String = "<chain>") throws(ChainError) -> [Double] {
        switch self {
        case .longCallsShortPuts:
            return zip(chain.openInterest, chain.kinds).map { $1 == .call ? $0 : -$0 }
        case .shortCallsLongPuts:
            return zip(chain.openInterest, chain.kinds).map { $1 == .call ? -$0 : $0 }
        case .signedPositions:
            guard let p = chain.dealerPositions else {
                throw ChainError(source: source, line: nil, field: "dealer_position", kind: .missingColumn)
            }
            return p
        }
    }
}

/// Which Greeks a batch evaluation fills. Kernels compute only what is asked
/// for; asking for fewer is faster (``gammaVanna`` is the exposure workhorse).
public struct GreekSelection: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let price = GreekSelection(rawValue: 1 << 0)
    public static let delta = GreekSelection(rawValue: 1 << 1)
    public static let gamma = GreekSelection(rawValue: 1 << 2)
    public static let vega = GreekSelection(rawValue: 1 << 3)
    public static let theta = GreekSelection(rawValue: 1 << 4)
    public static let vanna = GreekSelection(rawValue: 1 << 5)
    public static let charm = GreekSelection(rawValue: 1 << 6)
    public static let vomma = GreekSelection(rawValue: 1 << 7)
    public static let speed = GreekSelection(rawValue: 1 << 8)
    public static let zomma = GreekSelection(rawValue: 1 << 9)
    public static let color = GreekSelection(rawValue: 1 << 10)

    /// Gamma and vanna only: the inputs of dealer gamma and vanna exposure.
    public static let gammaVanna: GreekSelection = [.gamma, .vanna]
    /// The nine Greeks of `gammaflow greeks`: price through speed.
    public static let standard: GreekSelection = [
        .price, .delta, .gamma, .vega, .theta, .vanna, .charm, .vomma, .speed,
    ]
    /// Everything, including zomma and color.
    public static let all: GreekSelection = [.standard, .zomma, .color]
}

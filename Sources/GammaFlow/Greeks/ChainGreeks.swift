/// The Greeks of every option of a chain, as columns in the chain's order.
///
/// Units are those of ``OptionGreeks`` (raw partial derivatives: per index
/// point, per 1.00 of vol, per year). A column that was not in the
/// ``selection`` is empty.
public struct ChainGreeks: Sendable {
    /// The number of options.
    public private(set) var count: Int
    /// Which columns are filled.
    public private(set) var selection: GreekSelection
    /// Values, index points per unit of underlying.
    public internal(set) var price: [Double]
    /// dV/dS, dimensionless.
    public internal(set) var delta: [Double]
    /// d2V/dS2, per index point.
    public internal(set) var gamma: [Double]
    /// dV/dsigma, index points per 1.00 of vol.
    public internal(set) var vega: [Double]
    /// dV/dt = -dV/dT, index points per year.
    public internal(set) var theta: [Double]
    /// d2V/dS dsigma, per 1.00 of vol.
    public internal(set) var vanna: [Double]
    /// dDelta/dt = -dDelta/dT, per year.
    public internal(set) var charm: [Double]
    /// d2V/dsigma2, index points per (1.00 of vol)^2.
    public internal(set) var vomma: [Double]
    /// d3V/dS3, per index point squared.
    public internal(set) var speed: [Double]
    /// dGamma/dsigma, per index point per 1.00 of vol.
    public internal(set) var zomma: [Double]
    /// dGamma/dt = -dGamma/dT, per index point per year.
    public internal(set) var color: [Double]

    /// An empty result, to be filled by the `into:` evaluations, which reuse
    /// its columns from one call to the next.
    public init() {
        self.init(count: 0, selection: [])
    }

    /// Columns for `count` options, allocated for `selection` and left
    /// uninitialised: every kernel writes every element of every selected column.
    init(count: Int, selection: GreekSelection) {
        self.count = count
        self.selection = selection
        func column(_ g: GreekSelection) -> [Double] {
            guard selection.contains(g) else { return [] }
            return [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        price = column(.price)
        delta = column(.delta)
        gamma = column(.gamma)
        vega = column(.vega)
        theta = column(.theta)
        vanna = column(.vanna)
        charm = column(.charm)
        vomma = column(.vomma)
        speed = column(.speed)
        zomma = column(.zomma)
        color = column(.color)
    }

    /// Makes the columns fit `count` options and `selection`, keeping storage
    /// that already fits (no allocation when nothing changed).
    mutating func prepare(count: Int, selection: GreekSelection) {
        if count == self.count && selection == self.selection { return }
        self = ChainGreeks(count: count, selection: selection)
    }

    /// The Greeks of option `i`; members outside the selection are 0.
    public subscript(i: Int) -> OptionGreeks {
        precondition(i >= 0 && i < count, "ChainGreeks: index \(i) out of 0..<\(count)")
        func at(_ c: [Double]) -> Double { c.isEmpty ? 0 : c[i] }
        return OptionGreeks(
            price: at(price), delta: at(delta), gamma: at(gamma), vega: at(vega), theta: at(theta),
            vanna: at(vanna), charm: at(charm), vomma: at(vomma), speed: at(speed), zomma: at(zomma),
            color: at(color))
    }
}

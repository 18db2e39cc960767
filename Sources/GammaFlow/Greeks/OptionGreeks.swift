/// The Black-Scholes-Merton value and sensitivities of one option, as raw
/// partial derivatives.
///
/// Units (S = spot in index points, sigma = vol as a decimal, t = calendar
/// time in years, T = time to expiry in years, so `d/dt = -d/dT`):
/// - ``price``: index points per unit of underlying (multiply by the contract
///   multiplier for dollars per contract).
/// - ``delta`` = dV/dS: dimensionless.
/// - ``gamma`` = d2V/dS2: per index point.
/// - ``vega`` = dV/dsigma: index points per 1.00 of vol.
/// - ``theta`` = dV/dt = -dV/dT: index points per year.
/// - ``vanna`` = d2V/dS dsigma: per 1.00 of vol.
/// - ``charm`` = dDelta/dt = -dDelta/dT: per year.
/// - ``vomma`` = d2V/dsigma2: index points per (1.00 of vol)^2.
/// - ``speed`` = d3V/dS3: per index point squared.
/// - ``zomma`` = dGamma/dsigma: per index point per 1.00 of vol.
/// - ``color`` = dGamma/dt = -dGamma/dT: per index point per year.
///
/// Market-convention views (per vol point, per calendar day, dollar gamma)
/// are separate, named members so that nobody has to guess a scale.
public struct OptionGreeks: Sendable, Hashable {
    /// Value, index points per unit of underlying.
    public var price: Double
    /// dV/dS, dimensionless.
    public var delta: Double
    /// d2V/dS2, per index point.
    public var gamma: Double
    /// dV/dsigma, index points per 1.00 of vol.
    public var vega: Double
    /// dV/dt = -dV/dT, index points per year.
    public var theta: Double
    /// d2V/dS dsigma, per 1.00 of vol.
    public var vanna: Double
    /// dDelta/dt = -dDelta/dT, per year.
    public var charm: Double
    /// d2V/dsigma2, index points per (1.00 of vol)^2.
    public var vomma: Double
    /// d3V/dS3, per index point squared.
    public var speed: Double
    /// dGamma/dsigma, per index point per 1.00 of vol.
    public var zomma: Double
    /// dGamma/dt = -dGamma/dT, per index point per year.
    public var color: Double

    /// Creates a value from its members.
    public init(
        price: Double, delta: Double, gamma: Double, vega: Double, theta: Double, vanna: Double,
        charm: Double, vomma: Double, speed: Double, zomma: Double, color: Double
    ) {
        self.price = price
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.theta = theta
        self.vanna = vanna
        self.charm = charm
        self.vomma = vomma
        self.speed = speed
        self.zomma = zomma
        self.color = color
    }
}

extension OptionGreeks {
    /// Vega per vol point (0.01 of vol): index points per vol point.
    public var vegaPerVolPoint: Double { vega * 0.01 }
    /// Vanna per vol point: change of delta per vol point.
    public var vannaPerVolPoint: Double { vanna * 0.01 }
    /// Theta per calendar day (`theta / 365`): index points per day.
    public var thetaPerCalendarDay: Double { theta / 365 }
    /// Charm per calendar day (`charm / 365`): change of delta per day.
    public var charmPerCalendarDay: Double { charm / 365 }
    /// Dollar gamma per 1% move for one unit of underlying: `gamma * S^2 * 0.01`,
    /// the change of dollar delta (`delta * S`) when spot moves 1%.
    /// Multiply by the contract multiplier and position for a book.
    public func dollarGammaPerOnePercent(spot: Double) -> Double { gamma * spot * spot * 0.01 }
}

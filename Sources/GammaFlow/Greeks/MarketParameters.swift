/// The market inputs shared by every option of a chain: spot, the continuous
/// risk-free rate and the continuous dividend yield.
public struct MarketParameters: Sendable, Hashable, CustomStringConvertible {
    /// The underlying's price, in the same units as the strikes (index points).
    public var spot: Double
    /// Continuously compounded risk-free rate, per year (0.05 = 5%).
    public var rate: Double
    /// Continuous dividend yield, per year (0.013 = 1.3%).
    public var dividendYield: Double

    /// Creates market inputs.
    /// - Precondition: `spot` finite and positive; `rate` and `dividendYield` finite.
    public init(spot: Double, rate: Double = 0, dividendYield: Double = 0) {
        precondition(
            spot.isFinite && spot >= .leastNormalMagnitude,
            "MarketParameters: spot must be finite and positive (a normal double), got \(spot)")
        precondition(rate.isFinite, "MarketParameters: rate must be finite, got \(rate)")
        precondition(dividendYield.isFinite, "MarketParameters: dividendYield must be finite, got \(dividendYield)")
        self.spot = spot
        self.rate = rate
        self.dividendYield = dividendYield
    }

    /// `S=… r=… q=…`.
    public var description: String { "S=\(spot) r=\(rate) q=\(dividendYield)" }
}

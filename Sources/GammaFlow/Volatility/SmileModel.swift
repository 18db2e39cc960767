/// The functional form of a fitted smile, in standardised log-moneyness
/// ```
/// k = ln(K / F) / sqrt(T)
/// ```
/// (F the forward of the expiry, T in years), so that one shape fits short
/// and long expiries alike. Every model is linear in its coefficients, so a
/// fit is one weighted linear least-squares solve (LAPACK `dgelsd`).
public enum SmileModel: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// sigma(k) = c0 + c1 k + c2 k^2 (level, skew, curvature).
    case quadratic
    /// sigma(k) = c0 + c1 k + c2 k^2 + c3 k^3 (adds asymmetric wings).
    case cubic

    /// The number of coefficients.
    public var parameterCount: Int { self == .quadratic ? 3 : 4 }

    /// The basis functions at k: the row of the design matrix.
    func basis(_ k: Double) -> [Double] {
        self == .quadratic ? [1, k, k * k] : [1, k, k * k, k * k * k]
    }

    /// sigma(k) for coefficients `c`, annualised decimal vol.
    public func vol(at k: Double, coefficients c: [Double]) -> Double {
        precondition(c.count == parameterCount, "SmileModel.vol: \(c.count) coefficients for \(self)")
        var v = 0.0
        for j in stride(from: c.count - 1, through: 0, by: -1) { v = v * k + c[j] }
        return v
    }

    /// `quadratic` or `cubic`.
    public var description: String { self == .quadratic ? "quadratic" : "cubic" }
}

/// How much each quoted vol counts in a smile fit.
public enum SmileWeighting: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Equal weights.
    case uniform
    /// Weight proportional to the Black-Scholes vega at the quoted vol: wings,
    /// whose vols move their prices little, count less.
    case vega
    /// Weight proportional to vega squared: minimises the price error
    /// (vega * vol error) rather than the vol error.
    case vegaSquared

    /// `uniform`, `vega` or `vega^2`.
    public var description: String {
        switch self {
        case .uniform: "uniform"
        case .vega: "vega"
        case .vegaSquared: "vega^2"
        }
    }
}

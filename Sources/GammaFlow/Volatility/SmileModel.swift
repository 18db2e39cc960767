/// The functional form of a fitted smile, in standardised log-moneyness
/// ```
/// k = ln(K / F) / sqrt(T)
/// ```
/// (F the forward of the expiry, T in years), so that one shape fits short
/// and long expiries alike.
///
/// The polynomials are linear in their coefficients: a fit is one weighted
/// linear least-squares solve (LAPACK `dgelsd`). SVI is fitted by the
/// quasi-explicit method (see ``svi``): a linear problem with linear
/// constraints inside a two-parameter search.
public enum SmileModel: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// sigma(k) = c0 + c1 k + c2 k^2 (level, skew, curvature).
    case quadratic
    /// sigma(k) = c0 + c1 k + c2 k^2 + c3 k^3 (adds asymmetric wings).
    case cubic
    /// Gatheral's SVI ("stochastic volatility inspired") for the variance:
    /// ```
    /// sigma(k)^2 = a + b (rho (k - m) + sqrt((k - m)^2 + s^2))
    /// ```
    /// with coefficients `[a, b, rho, m, s]`: `a` variance per year (decimal
    /// vol squared), `b >= 0` per year, `|rho| <= 1`, `m` and `s > 0` in units
    /// of k. Per expiry this is exactly Gatheral's raw SVI for the total
    /// variance w(x) = T sigma^2 at x = ln(K/F), with a_raw = a T,
    /// b_raw = b sqrt(T), m_raw = m sqrt(T), sigma_raw = s sqrt(T). The fit
    /// keeps `a >= 0` (so the variance is positive everywhere) and Roger Lee's
    /// wing bound b (1 + |rho|) <= 4 / sqrt(T), so the wings grow linearly in
    /// total variance instead of like a polynomial.
    case svi

    /// The number of coefficients.
    public var parameterCount: Int {
        switch self {
        case .quadratic: 3
        case .cubic: 4
        case .svi: 5
        }
    }

    /// Whether the model is linear in its coefficients (one least-squares solve).
    var isLinear: Bool { self != .svi }

    /// The basis functions at k: the row of the design matrix (linear models only).
    func basis(_ k: Double) -> [Double] {
        switch self {
        case .quadratic: [1, k, k * k]
        case .cubic: [1, k, k * k, k * k * k]
        case .svi: preconditionFailure("SmileModel.basis: SVI is not linear in its coefficients")
        }
    }

    /// sigma(k) for coefficients `c`, annualised decimal vol. For SVI a
    /// negative variance (which the fit never produces) gives 0.
    public func vol(at k: Double, coefficients c: [Double]) -> Double {
        precondition(c.count == parameterCount, "SmileModel.vol: \(c.count) coefficients for \(self)")
        if self == .svi {
            let (a, b, rho, m, s) = (c[0], c[1], c[2], c[3], c[4])
            let y = k - m
            let variance = a + b * (rho * y + (y * y + s * s).squareRoot())
            return Swift.max(variance, 0).squareRoot()
        }
        var v = 0.0
        for j in stride(from: c.count - 1, through: 0, by: -1) { v = v * k + c[j] }
        return v
    }

    /// `quadratic`, `cubic` or `svi`.
    public var description: String {
        switch self {
        case .quadratic: "quadratic"
        case .cubic: "cubic"
        case .svi: "svi"
        }
    }
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

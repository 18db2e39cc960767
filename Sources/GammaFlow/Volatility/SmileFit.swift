import Foundation
import RealModule

/// Smooth smiles fitted per expiry to quoted implied vols, and the vol of
/// any (strike, expiry) read from them.
///
/// Per expiry T (options with equal year fractions), with forward
/// F = S e^((r-q)T) and k = ln(K/F)/sqrt(T), the model's coefficients c solve
/// ```
/// min_c  sum_i w_i (sigma_model(k_i; c) - sigma_i)^2
/// ```
/// by LAPACK's `dgelsd` (SVD-based, rank-revealing) for the polynomial
/// models, and by the quasi-explicit method for ``SmileModel/svi`` (a
/// constrained linear problem inside a two-parameter search; the objective
/// is in variance, reweighted to approximate the same vol objective). Between fitted
/// expiries the total variance sigma^2 T is interpolated linearly in T at
/// fixed k; outside them the nearest smile's vol at that k is used.
///
/// Vol dynamics: ``vol(strike:years:spot:)`` reads the smile at the
/// moneyness of the strike against the forward of the *given* spot (sticky
/// moneyness); ``vol(strike:years:)`` uses the spot of the fit (sticky strike).
///
/// See also: ``SmileModel``, ``SmileWeighting``, ``ImpliedVolatility``.
public struct SmileFit: Sendable {
    /// The outcome of one expiry's fit.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// Fitted; the smile is used.
        case fitted
        /// Fewer usable quotes than coefficients; the expiry has no smile.
        case tooFewPoints(found: Int, needed: Int)
        /// The quotes do not determine the coefficients (e.g. all at one
        /// strike); the expiry has no smile.
        case rankDeficient(rank: Int, needed: Int)
        /// LAPACK reported that the SVD did not converge.
        case solverFailure

        /// A short explanation.
        public var description: String {
            switch self {
            case .fitted: "fitted"
            case .tooFewPoints(let found, let needed): "too few points (\(found) quotes, \(needed) coefficients)"
            case .rankDeficient(let rank, let needed): "rank deficient (rank \(rank) of \(needed))"
            case .solverFailure: "LAPACK dgelsd did not converge"
            }
        }
    }

    /// One expiry's smile.
    public struct Expiry: Sendable {
        /// Time to expiry, years.
        public var years: Double
        /// The forward used for k, same units as strikes.
        public var forward: Double
        /// The model coefficients (empty unless ``status`` is `.fitted`).
        public var coefficients: [Double]
        /// Quotes used.
        public var pointCount: Int
        /// Root-mean-square error of the fitted vols against the quotes, in vol
        /// points (1 vol point = 0.01), equal weights; 0 unless fitted.
        public var rmsVolPoints: Double
        /// The same, weighted as the fit was; 0 unless fitted.
        public var weightedRMSVolPoints: Double
        /// The worst absolute error, vol points; 0 unless fitted.
        public var maxErrorVolPoints: Double
        /// Whether and why not the expiry was fitted.
        public var status: Status
    }

    /// The model fitted.
    public let model: SmileModel
    /// The weighting used.
    public let weighting: SmileWeighting
    /// The market the forwards were computed from (the fit's spot).
    public let market: MarketParameters
    /// Below this the smile's value is floored (annualised decimal), so that a
    /// polynomial wing never yields a zero or negative vol. Default 0.01.
    public var volFloor: Double
    /// Every expiry that had at least one quote, shortest first.
    public let expiries: [Expiry]

    /// Fits one smile per distinct time to expiry.
    /// - Parameters:
    ///   - strikes: strikes, same units as spot.
    ///   - years: time to expiry, years (options with T <= 0 are ignored).
    ///   - vols: quoted implied vols, annualised decimals (non-positive or NaN ignored).
    ///   - market: spot, r, q for the forwards and the vega weights.
    ///   - model: the smile's form.
    ///   - weighting: how the quotes count.
    ///   - include: optionally, which quotes to use (e.g. false for excluded ones).
    ///   - volFloor: the smallest vol a fitted smile returns (annualised decimal).
    public init(
        strikes: [Double], years: [Double], vols: [Double], market: MarketParameters, model: SmileModel = .quadratic,
        weighting: SmileWeighting = .vega, include: [Bool]? = nil, volFloor: Double = 0.01
    ) {
        let n = strikes.count
        precondition(
            years.count == n && vols.count == n && (include?.count ?? n) == n,
            "SmileFit: strikes, years, vols (and include) must have equal lengths")
        precondition(volFloor >= 0 && volFloor.isFinite, "SmileFit: volFloor must be finite and non-negative")
        self.model = model
        self.weighting = weighting
        self.market = market
        self.volFloor = volFloor
        var groups: [Double: [Int]] = [:]
        for i in 0..<n
        where years[i] > 0 && (include?[i] ?? true) && vols[i] > 0 && vols[i].isFinite
            && strikes[i] > 0 && strikes[i].isFinite
        {
            groups[years[i], default: []].append(i)
        }
        expiries = groups.keys.sorted().map { T in
            Self.fitExpiry(
                T, indices: groups[T]!, strikes: strikes, vols: vols, market: market, model: model,
                weighting: weighting)
        }
    }

    static func fitExpiry(
        _ T: Double, indices: [Int], strikes: [Double], vols: [Double], market: MarketParameters, model: SmileModel,
        weighting: SmileWeighting
    ) -> Expiry {
        let F = market.spot * Double.exp((market.rate - market.dividendYield) * T)
        let p = model.parameterCount
        var expiry = Expiry(
            years: T, forward: F, coefficients: [], pointCount: indices.count, rmsVolPoints: 0,
            weightedRMSVolPoints: 0, maxErrorVolPoints: 0, status: .fitted)
        guard indices.count >= p else {
            expiry.status = .tooFewPoints(found: indices.count, needed: p)
            return expiry
        }
        let sqrtT = T.squareRoot()
        let k = indices.map { Double.log(strikes[$0] / F) / sqrtT }
        let y = indices.map { vols[$0] }
        let w: [Double]
        switch weighting {
        case .uniform:
            w = Array(repeating: 1, count: indices.count)
        case .vega, .vegaSquared:
            // Vega per unit of F e^-rT: n(d1) sqrt(T); normalised to the largest.
            let vega = zip(k, y).map { k, sigma in
                BlackScholes.normalDensity(-k / sigma + 0.5 * sigma * sqrtT) * sqrtT
            }
            let top = vega.max() ?? 1
            let rel = vega.map { top > 0 ? $0 / top : 1 }
            w = weighting == .vega ? rel : rel.map { $0 * $0 }
        }
        if model.isLinear {
            let design = k.flatMap(model.basis)
            guard
                let solution = _LeastSquares.solve(
                    design: design, rows: indices.count, columns: p, rhs: y, weights: w)
            else {
                expiry.status = .solverFailure
                return expiry
            }
            guard solution.rank == p else {
                expiry.status = .rankDeficient(rank: solution.rank, needed: p)
                return expiry
            }
            expiry.coefficients = solution.coefficients
        } else {
            guard let coefficients = _SVICalibration.fit(k: k, vols: y, weights: w, years: T) else {
                expiry.status = .solverFailure
                return expiry
            }
            expiry.coefficients = coefficients
        }
        let coefficients = expiry.coefficients
        var sum = 0.0, weighted = 0.0, totalWeight = 0.0, worst = 0.0
        for j in 0..<indices.count {
            let e = model.vol(at: k[j], coefficients: coefficients) - y[j]
            sum += e * e
            weighted += w[j] * e * e
            totalWeight += w[j]
            worst = Swift.max(worst, Swift.abs(e))
        }
        expiry.rmsVolPoints = 100 * (sum / Double(indices.count)).squareRoot()
        expiry.weightedRMSVolPoints = totalWeight > 0 ? 100 * (weighted / totalWeight).squareRoot() : 0
        expiry.maxErrorVolPoints = 100 * worst
        return expiry
    }

    /// The expiries that have a smile.
    public var fittedExpiries: [Expiry] { expiries.filter { $0.status == .fitted } }

    /// The smile's vol at strike K and time T with the underlying at `spot`
    /// (sticky moneyness: k = ln(K / F(spot)) / sqrt(T), F(spot) = spot e^((r-q)T)).
    /// - Returns: annualised decimal vol (at least ``volFloor``), or nil when
    ///   no expiry has a smile or T <= 0.
    public func vol(strike K: Double, years T: Double, spot: Double) -> Double? {
        guard T > 0, K > 0, spot > 0 else { return nil }
        let fitted = fittedExpiries
        guard let first = fitted.first, let last = fitted.last else { return nil }
        let F = spot * Double.exp((market.rate - market.dividendYield) * T)
        let k = Double.log(K / F) / T.squareRoot()
        func at(_ e: Expiry) -> Double { Swift.max(model.vol(at: k, coefficients: e.coefficients), volFloor) }
        if T <= first.years { return at(first) }
        if T >= last.years { return at(last) }
        let j = fitted.firstIndex { $0.years >= T }!
        let (a, b) = (fitted[j - 1], fitted[j])
        let va = at(a), vb = at(b)
        let wa = va * va * a.years, wb = vb * vb * b.years
        let w = wa + (wb - wa) * (T - a.years) / (b.years - a.years)
        return Swift.max((Swift.max(w, 0) / T).squareRoot(), volFloor)
    }

    /// The smile's vol at the fit's own spot (sticky strike).
    public func vol(strike K: Double, years T: Double) -> Double? {
        vol(strike: K, years: T, spot: market.spot)
    }

    /// Vols for columns of strikes and times with the underlying at `spot`
    /// (sticky moneyness), `fallback[i]` where no smile applies.
    public func vols(strikes: [Double], years: [Double], spot: Double, fallback: [Double]) -> [Double] {
        precondition(
            years.count == strikes.count && fallback.count == strikes.count,
            "SmileFit.vols: strikes, years and fallback must have equal lengths")
        return strikes.indices.map { vol(strike: strikes[$0], years: years[$0], spot: spot) ?? fallback[$0] }
    }
}

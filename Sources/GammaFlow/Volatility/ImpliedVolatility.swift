import RealModule

/// Why an implied volatility was or was not found for one option.
public enum IVStatus: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Solved: the vol reproduces the price (see `Docs/ImpliedVolatility.md` for the accuracy).
    case ok = 0
    /// The price is at or below the discounted intrinsic value (no time value); vol reported as 0.
    case belowIntrinsic = 1
    /// The price is at or above the no-arbitrage upper bound (the discounted
    /// forward for a call, the discounted strike for a put); vol reported as 0.
    case aboveUpperBound = 2
    /// The price is zero, negative or NaN; vol reported as 0.
    case noQuote = 3
    /// The time to expiry is zero, negative or NaN; vol reported as 0.
    case expired = 4

    /// `ok`, `below_intrinsic`, `above_upper_bound`, `no_quote` or `expired`.
    public var description: String {
        switch self {
        case .ok: "ok"
        case .belowIntrinsic: "below_intrinsic"
        case .aboveUpperBound: "above_upper_bound"
        case .noQuote: "no_quote"
        case .expired: "expired"
        }
    }
}

/// Implied vols of a batch of options, one element per input option.
public struct ImpliedVolatilityResult: Sendable, Hashable {
    /// Black-Scholes implied volatilities, annualised decimals (0.18 = 18 vol);
    /// exactly 0 wherever ``status`` is not ``IVStatus/ok``. Never NaN.
    public var vols: [Double]
    /// Per-option status.
    public var status: [IVStatus]

    /// Creates a result from columns.
    public init(vols: [Double], status: [IVStatus]) {
        precondition(vols.count == status.count, "ImpliedVolatilityResult: columns differ in length")
        self.vols = vols
        self.status = status
    }

    /// How many options have each status (statuses that do not occur are absent).
    public var statusCounts: [IVStatus: Int] {
        status.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

/// Black-Scholes implied volatility from option prices.
///
/// The default method is Jaeckel's "Let's Be Rational" (P. Jaeckel,
/// *Let's be rational*, Wilmott, January 2015): the price is reduced to the
/// normalised Black function of an out-of-the-money call
/// ```
/// x = ln(F/K),  beta = price / (D sqrt(F K)),  F = S e^((r-q)T),  D = e^(-rT)
/// b(x, s) = e^(x/2) N(x/s + s/2) - e^(-x/2) N(x/s - s/2),   s = sigma sqrt(T)
/// ```
/// an initial guess from one of four rational-cubic branches is refined by
/// two Householder(3) steps, and sigma = s / sqrt(T). Sixteen options are
/// solved per SIMD step (two interleaved groups of eight), then one group of
/// eight; the tail runs the same code on one option.
///
/// Edges: every option gets an ``IVStatus``; vols are never NaN and no call
/// throws. Inputs checked at this edge: strikes (and spot / forwards) finite
/// and positive, equal column lengths (preconditions).
///
/// See also: ``SmileFit`` (smooth smiles through the solved vols),
/// `Docs/ImpliedVolatility.md` (accuracy and speed as measured).
public enum ImpliedVolatility {
    /// The root finder.
    public enum Method: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Jaeckel's "Let's Be Rational": SIMD, two Householder(3) steps, machine precision.
        case letsBeRational
        /// A safeguarded Newton iteration on the textbook formula (bisection
        /// when a step leaves the bracket): the straightforward yardstick.
        case newtonBisection

        /// `lets-be-rational` or `newton-bisection`.
        public var description: String {
            self == .letsBeRational ? "lets-be-rational" : "newton-bisection"
        }
    }

    /// Implied vols for options on one underlying with spot `market.spot`,
    /// continuous rate r and dividend yield q (forward F = S e^((r-q)T),
    /// discount D = e^(-rT) per option).
    /// - Parameters:
    ///   - prices: option prices (premium per unit of underlying, e.g. index
    ///     points; the mid of bid and ask, or the last sale).
    ///   - strikes: strikes, same units as spot.
    ///   - kinds: call or put.
    ///   - years: time to expiry in years.
    ///   - market: spot, r and q.
    ///   - method: root finder (default Let's Be Rational).
    ///   - threads: workers; nil picks one below 32,768 options and every core above.
    public static func solve(
        prices: [Double], strikes: [Double], kinds: [OptionKind], years: [Double], market: MarketParameters,
        method: Method = .letsBeRational, threads: Int? = nil
    ) -> ImpliedVolatilityResult {
        _checkColumns(prices: prices, strikes: strikes, kinds: kinds, years: years)
        return _IVKernel.solve(
            prices: prices, strikes: strikes, kinds: kinds, years: years,
            underlying: .spot(market.spot, rate: market.rate, dividendYield: market.dividendYield),
            method: method, threads: threads)
    }

    /// Implied vols in Black's form: each option has its own forward F and
    /// discount factor D (price = D * Black(F, K, sigma, T)).
    /// - Parameters:
    ///   - prices: option prices, same units as strikes (index points).
    ///   - strikes: strikes (finite, positive).
    ///   - kinds: call or put per option.
    ///   - years: time to expiry in years.
    ///   - forwards: forward prices, same units as strikes (finite, positive).
    ///   - discountFactors: D = e^(-rT) per option (finite, positive).
    ///   - method: the solver.
    ///   - threads: worker threads (`nil`: automatic).
    public static func solve(
        prices: [Double], strikes: [Double], kinds: [OptionKind], years: [Double], forwards: [Double],
        discountFactors: [Double], method: Method = .letsBeRational, threads: Int? = nil
    ) -> ImpliedVolatilityResult {
        _checkColumns(prices: prices, strikes: strikes, kinds: kinds, years: years)
        precondition(
            forwards.count == prices.count && discountFactors.count == prices.count,
            "ImpliedVolatility.solve: forwards and discountFactors need one value per price")
        precondition(
            forwards.allSatisfy { $0.isFinite && $0 >= .leastNormalMagnitude },
            "ImpliedVolatility.solve: forwards must be finite and positive")
        precondition(
            discountFactors.allSatisfy { $0.isFinite && $0 > 0 },
            "ImpliedVolatility.solve: discount factors must be finite and positive")
        return _IVKernel.solve(
            prices: prices, strikes: strikes, kinds: kinds, years: years,
            underlying: .forwards(forwards, discountFactors: discountFactors), method: method, threads: threads)
    }

    /// The implied vol of one option (spot form); the scalar twin of the batch.
    /// - Returns: sigma (annualised decimal; 0 unless `.ok`) and the status.
    public static func impliedVol(
        price: Double, kind: OptionKind, spot: Double, strike: Double, years: Double, rate: Double = 0,
        dividendYield: Double = 0, method: Method = .letsBeRational
    ) -> (vol: Double, status: IVStatus) {
        let r = solve(
            prices: [price], strikes: [strike], kinds: [kind], years: [years],
            market: MarketParameters(spot: spot, rate: rate, dividendYield: dividendYield), method: method,
            threads: 1)
        return (r.vols[0], r.status[0])
    }

    /// The Black-Scholes price of one option (premium per unit of underlying)
    /// through the normalised Black function, accurate to a few ulps of the
    /// time value even far out of the money and near expiry (where the
    /// textbook difference of two N() terms cancels).
    ///
    /// `T <= 0` or `sigma <= 0`: the discounted intrinsic value of the forward.
    public static func price(
        kind: OptionKind, spot: Double, strike: Double, years: Double, vol: Double, rate: Double = 0,
        dividendYield: Double = 0
    ) -> Double {
        let T = years
        let carry = T > 0 ? T : 0
        let forward = spot * Double.exp((rate - dividendYield) * carry)
        return blackPrice(
            kind: kind, forward: forward, strike: strike, years: years, vol: vol,
            discountFactor: Double.exp(-rate * carry))
    }

    /// Black's formula, `D (phi (F N(phi d1) - K N(phi d2)))`, through the
    /// normalised Black function (see ``price(kind:spot:strike:years:vol:rate:dividendYield:)``).
    public static func blackPrice(
        kind: OptionKind, forward F: Double, strike K: Double, years T: Double, vol sigma: Double,
        discountFactor D: Double = 1
    ) -> Double {
        let x = _logRatio(F, K)
        let phi = kind.phi
        let sqrtFK = (F * K).squareRoot()
        let ex = Double.exp(0.5 * x)
        let intrinsic = phi * x > 0 ? phi * _twoSinhHalf(x, expHalf: ex) : 0
        guard T > 0, sigma > 0 else { return D * sqrtFK * intrinsic }
        let s = sigma * T.squareRoot()
        let timeValue = _normalisedBlack(x: -Swift.abs(x), s: s).b
        return D * sqrtFK * (intrinsic + timeValue)
    }

    static func _checkColumns(prices: [Double], strikes: [Double], kinds: [OptionKind], years: [Double]) {
        let n = prices.count
        precondition(
            strikes.count == n && kinds.count == n && years.count == n,
            "ImpliedVolatility.solve: prices, strikes, kinds and years must have equal lengths")
        precondition(
            strikes.allSatisfy { $0.isFinite && $0 >= .leastNormalMagnitude },
            "ImpliedVolatility.solve: strikes must be finite and positive (normal doubles)"
        )
    }
}

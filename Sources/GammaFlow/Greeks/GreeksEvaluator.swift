import RealModule

/// A chain's per-contract invariants at one valuation time and one rate and
/// dividend yield, computed once so that re-evaluating the Greeks at a new
/// spot costs about one `exp` per option (plus two normal CDFs when price,
/// delta, theta or charm are asked for).
///
/// Build one per chain and valuation time; evaluate it at every tick, grid
/// point or simulation step. The invariants are `ln K` (split into head and
/// tail so that `ln S - ln K` keeps full precision near the money),
/// `1 / (sigma sqrt T)`, `e^-qT`, `e^-rT` and the drift term of `d1`.
///
/// ```swift
/// let evaluator = GreeksEvaluator(chain: chain, rate: 0.05, dividendYield: 0.013)
/// let now = evaluator.greeks(spot: 4700, selection: .gammaVanna)
/// let after = evaluator.greeks(spot: 4653, selection: .gammaVanna)
/// ```
public struct GreeksEvaluator: Sendable {
    /// The number of options.
    public var count: Int { columns.count }
    /// The continuous risk-free rate r, per year.
    public let rate: Double
    /// The continuous dividend yield q, per year.
    public let dividendYield: Double
    @usableFromInline let columns: _PreparedColumns

    /// Prepares the options of `chain` (its strikes, kinds, implied vols and
    /// ``OptionChain/yearsToExpiry``).
    public init(chain: OptionChain, rate: Double = 0, dividendYield: Double = 0) {
        self.init(
            strikes: chain.strikes, kinds: chain.kinds, years: chain.yearsToExpiry, vols: chain.impliedVols,
            rate: rate, dividendYield: dividendYield)
    }

    /// Prepares options given as raw columns.
    /// - Precondition: equal lengths; strikes and vols finite and positive;
    ///   years, rate and dividend yield finite.
    public init(
        strikes: [Double], kinds: [OptionKind], years: [Double], vols: [Double], rate: Double = 0,
        dividendYield: Double = 0
    ) {
        precondition(
            kinds.count == strikes.count && years.count == strikes.count && vols.count == strikes.count,
            "GreeksEvaluator: columns must have equal lengths")
        precondition(rate.isFinite && dividendYield.isFinite, "GreeksEvaluator: rate and dividend yield must be finite")
        self.rate = rate
        self.dividendYield = dividendYield
        self.columns = _PreparedColumns(
            strikes: strikes, kinds: kinds, years: years, vols: vols, rate: rate, dividendYield: dividendYield)
    }

    /// The Greeks of every option at `spot` (index points, > 0).
    /// - Parameters:
    ///   - spot: the underlying's price, index points (> 0).
    ///   - selection: which columns to fill.
    ///   - threads: worker threads (`nil`: all cores for large chains, one for small).
    public func greeks(spot: Double, selection: GreekSelection = .standard, threads: Int? = nil) -> ChainGreeks {
        var out = ChainGreeks()
        greeks(spot: spot, selection: selection, threads: threads, into: &out)
        return out
    }

    /// The Greeks of every option at `spot`, written into `result`, whose
    /// columns are reused when they already fit (no allocation on a hot path
    /// such as a tick loop, a profile grid or a simulation step).
    public func greeks(
        spot: Double, selection: GreekSelection = .standard, threads: Int? = nil, into result: inout ChainGreeks
    ) {
        precondition(spot.isFinite && spot > 0, "GreeksEvaluator: spot must be finite and positive, got \(spot)")
        columns.evaluate(spot: spot, selection: selection, threads: threads, into: &result)
    }
}

extension OptionChain {
    /// The Black-Scholes-Merton Greeks of every option, from scratch, in one
    /// vectorised pass (multi-core for large chains).
    ///
    /// Options with ``yearsToExpiry`` `<= 0` get the expiry limits documented
    /// on ``BlackScholes``. Units are those of ``OptionGreeks``.
    public func greeks(
        _ market: MarketParameters, selection: GreekSelection = .standard, threads: Int? = nil
    ) -> ChainGreeks {
        var out = ChainGreeks()
        greeks(market, selection: selection, threads: threads, into: &out)
        return out
    }

    /// The Greeks of every option, from scratch, written into `result`, whose
    /// columns are reused when they already fit.
    public func greeks(
        _ market: MarketParameters, selection: GreekSelection = .standard, threads: Int? = nil,
        into result: inout ChainGreeks
    ) {
        _FreshKernel.evaluate(
            strikes: strikes, kinds: kinds, years: yearsToExpiry, vols: impliedVols, market: market,
            selection: selection, threads: threads, into: &result)
    }
}

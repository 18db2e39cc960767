import Foundation

/// The timing harness behind `gammaflow bench iv`: option prices made from
/// the seeded SPX-like benchmark chain at its own vols, solved back by each
/// ``ImpliedVolatility/Method``.
///
/// Orders: `chain` keeps the chain's order (by expiry, then strike, as
/// chains are stored, so neighbouring SIMD lanes tend to share a branch of
/// the solver); `shuffled` permutes the options with a seeded shuffle, the
/// worst case for a masked SIMD kernel. Prices come from
/// ``ImpliedVolatility/price(kind:spot:strike:years:vol:rate:dividendYield:)``
/// with r = 0.04, q = 0.013, S = 5000, so every option has a valid price.
///
/// Not part of the stable API: reach it with `@_spi(Benchmarks) import GammaFlow`.
@_spi(Benchmarks)
public enum ImpliedVolatilityBenchmark {
    /// A timed solver and order. Raw values are the `kernel` names printed in JSON.
    public enum Kernel: String, CaseIterable, Sendable {
        /// Let's Be Rational, options in chain order.
        case letsBeRational = "iv-lets-be-rational"
        /// Let's Be Rational, options shuffled.
        case letsBeRationalShuffled = "iv-lets-be-rational-shuffled"
        /// The straightforward Newton solver with bisection fallback (the yardstick), chain order.
        case newtonBisection = "iv-newton-bisection"

        /// The solver timed.
        public var method: ImpliedVolatility.Method {
            self == .newtonBisection ? .newtonBisection : .letsBeRational
        }
    }

    /// The inputs of one timing: prices and the option columns they belong to.
    public struct Quotes: Sendable {
        public var prices: [Double]
        public var strikes: [Double]
        public var kinds: [OptionKind]
        public var years: [Double]
        /// The vols the prices were made from (annualised decimals).
        public var vols: [Double]
        public var market: MarketParameters

        /// The same quotes in a seeded random order.
        public func shuffled(seed: UInt64) -> Quotes {
            var generator = SyntheticRNG(seed: seed)
            let order = Array(prices.indices).shuffled(using: &generator)
            return Quotes(
                prices: order.map { prices[$0] }, strikes: order.map { strikes[$0] }, kinds: order.map { kinds[$0] },
                years: order.map { years[$0] }, vols: order.map { vols[$0] }, market: market)
        }
    }

    /// Prices of ``GreeksBenchmark/syntheticChain(count:spot:seed:)`` at its own vols.
    public static func syntheticQuotes(count: Int, seed: UInt64 = 1) -> Quotes {
        precondition(count > 0, "ImpliedVolatilityBenchmark: count must be positive")
        let market = MarketParameters(spot: 5000, rate: 0.04, dividendYield: 0.013)
        let chain = GreeksBenchmark.syntheticChain(count: count, spot: market.spot, seed: seed)
        let prices = chain.strikes.indices.map { i in
            ImpliedVolatility.price(
                kind: chain.kinds[i], spot: market.spot, strike: chain.strikes[i], years: chain.yearsToExpiry[i],
                vol: chain.impliedVols[i], rate: market.rate, dividendYield: market.dividendYield)
        }
        return Quotes(
            prices: prices, strikes: chain.strikes, kinds: chain.kinds, years: chain.yearsToExpiry,
            vols: chain.impliedVols, market: market)
    }

    /// Times `kernel` on `quotes` (already in the kernel's order) with
    /// `threads` workers: one warm-up solve, then the median of `runs` timed
    /// runs; `ns_per_option` is nanoseconds per solved option (wall clock).
    public static func measure(
        _ kernel: Kernel, quotes q: Quotes, threads: Int, runs: Int = 7, minRunSeconds: Double = 0.02
    ) -> GreeksBenchmark.Result {
        var sink = 0.0
        let (median, samples) = GreeksBenchmark.time(n: q.prices.count, runs: runs, minRunSeconds: minRunSeconds) {
            let r = ImpliedVolatility.solve(
                prices: q.prices, strikes: q.strikes, kinds: q.kinds, years: q.years, market: q.market,
                method: kernel.method, threads: threads)
            sink += r.vols[0]
        }
        precondition(sink.isFinite, "ImpliedVolatilityBenchmark: a solved vol was not finite")
        return GreeksBenchmark.Result(
            kernel: kernel.rawValue, threads: threads, n: q.prices.count, nsPerOption: median, samples: samples)
    }

    /// The check that the timed solver is solving: a Let's Be Rational solve
    /// of `quotes`, with the largest |solved - true| vol (annualised decimal)
    /// over the options whose price carries the vol, and how many options
    /// that was. A price carries the vol when it is at least 1e-6 index
    /// points and its vega is at least 1e-4 times the price, so that one
    /// rounding of the price moves the vol by less than about 2e-12: far-wing
    /// prices of the synthetic chain round to (nearly) nothing and deep
    /// in-the-money ones are (nearly) all intrinsic value, and no solver can
    /// recover a vol from them. They are still timed.
    public static func recovery(_ q: Quotes) -> (worstVolError: Double, checked: Int) {
        let r = ImpliedVolatility.solve(
            prices: q.prices, strikes: q.strikes, kinds: q.kinds, years: q.years, market: q.market)
        var worst = 0.0
        var checked = 0
        for i in q.prices.indices where q.prices[i] >= 1e-6 && r.status[i] == .ok {
            let vega = BlackScholes.greeks(
                q.kinds[i], spot: q.market.spot, strike: q.strikes[i], years: q.years[i], vol: q.vols[i],
                rate: q.market.rate, dividendYield: q.market.dividendYield
            ).vega
            guard vega >= 1e-4 * q.prices[i] else { continue }
            worst = Swift.max(worst, Swift.abs(r.vols[i] - q.vols[i]))
            checked += 1
        }
        return (worst, checked)
    }
}

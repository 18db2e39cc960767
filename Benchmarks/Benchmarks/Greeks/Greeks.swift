// package-benchmark suites for the Greeks kernels, side by side on the same
// seeded SPX-like chains (GreeksBenchmark.syntheticChain) of 1k, 100k and 1M
// options:
//   scalar-reference   BlackScholes.greeks (libm) in a plain loop
//   simd-fresh/<sel>   OptionChain.greeks, from strike/T/vol at one spot
//   simd-prepared/<sel> GreeksEvaluator.greeks, re-evaluation at a new spot
//                       (the evaluator is built in setup, outside the timing)
//   c-avx512/<sel>     the hand-written AVX-512 C yardstick (CGreeksAVX512)
// with <sel> gamma-vanna, standard (9 Greeks), all (11; not for C), on 1 and 2
// threads. One benchmark iteration evaluates the whole chain once; divide the
// wall clock by n for ns per option.
//
// GEX profile (issue 4), 20,000 options x 400 grid spots (smoke: 2,000 x 50),
// on the book of ProfileBenchmark.syntheticBook and grid ProfileBenchmark.grid:
//   simd/gex-profile-fused   DealerBook.gexProfile(spots:method: .fused)
//   simd/gex-profile-folded  the same, method: .folded
//   c-avx512/gex-profile     the hand-written AVX-512 C profile kernel
//   simd/dealer-surface-{automatic,fused}  DealerBook.surface over up to 100 of
//                            those spots x 3 vol shifts x 8 hourly times
//                            (checked against the fused profile in setup)
// One iteration computes one whole profile; divide by options x grid for ns per evaluation.
//
// Implied vols (issue 3), 1k and 100k options (smoke: 1k), ImpliedVolatilityBenchmark:
//   iv-lets-be-rational, iv-lets-be-rational-shuffled, iv-newton-bisection
// One iteration solves the whole chain; divide by n for ns per solve.
//
//   swift package --package-path Benchmarks benchmark --target Greeks
//   BENCHMARK_SMOKE=1 swift package --package-path Benchmarks benchmark --target Greeks   # < 1 minute
//   (GAMMAFLOW_BENCH_SMOKE=1 works too)
//
// Thresholds for CI: wall clock p50 within +-15% (p75 +-25%) of a stored
// baseline or static thresholds (`benchmark thresholds update` / `check`).

import Benchmark
import CGreeksAVX512
import Foundation
@_spi(Benchmarks) import GammaFlow
import YardstickKit

let benchmarks: @Sendable () -> Void = {
    // A short run for `make test`: the 1k chain only, 100 ms per benchmark.
    let environment = ProcessInfo.processInfo.environment
    let smoke = environment["GAMMAFLOW_BENCH_SMOKE"] != nil || environment["BENCHMARK_SMOKE"] != nil
    let sizes: [(String, Int)] = smoke ? [("1k", 1_000)] : [("1k", 1_000), ("100k", 100_000), ("1M", 1_000_000)]
    let threadCounts = [1, 2]
    let market = MarketParameters(spot: 5000, rate: 0.04, dividendYield: 0.013)

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        warmupIterations: smoke ? 1 : 3,
        maxDuration: smoke ? .milliseconds(100) : .seconds(1),
        maxIterations: smoke ? 20 : 1_000,
        thresholds: [
            .wallClock: BenchmarkThresholds(relative: [.p50: 15.0, .p75: 25.0]),
            .throughput: BenchmarkThresholds(relative: [.p50: 15.0, .p75: 25.0]),
        ])

    for (label, n) in sizes {
        // A 1k chain evaluates in microseconds: 1,000 evaluations per iteration.
        let scaling: BenchmarkScalingFactor = n < 10_000 ? .kilo : .one
        let config = Benchmark.Configuration(tags: ["n": label], scalingFactor: scaling)
        for threads in threadCounts {
            let suffix = "\(label)/threads:\(threads)"

            Benchmark("scalar-reference/all/\(suffix)", configuration: config) { benchmark, chain in
                let out = UnsafeMutableBufferPointer<OptionGreeks>.allocate(capacity: chain.count)
                defer { out.deallocate() }
                let (K, kinds, T, sigma) = (chain.strikes, chain.kinds, chain.yearsToExpiry, chain.impliedVols)
                for _ in benchmark.scaledIterations {
                    if threads == 1 {
                        for i in 0..<chain.count {
                            out[i] = BlackScholes.greeks(
                                kinds[i], spot: market.spot, strike: K[i], years: T[i], vol: sigma[i],
                                rate: market.rate, dividendYield: market.dividendYield)
                        }
                    } else {
                        let base = UnsafeSendable(out.baseAddress!)
                        DispatchQueue.concurrentPerform(iterations: threads) { w in
                            let per = (chain.count + threads - 1) / threads
                            for i in min(w * per, chain.count)..<min((w + 1) * per, chain.count) {
                                base.pointer[i] = BlackScholes.greeks(
                                    kinds[i], spot: market.spot, strike: K[i], years: T[i], vol: sigma[i],
                                    rate: market.rate, dividendYield: market.dividendYield)
                            }
                        }
                    }
                    blackHole(out[chain.count / 2])
                }
            } setup: {
                GreeksBenchmark.syntheticChain(count: n)
            }

            for (name, selection) in [
                ("gamma-vanna", GreekSelection.gammaVanna), ("standard", .standard), ("all", .all),
            ] {
                // Into columns reused across iterations, as the C yardstick and the
                // scalar reference write into preallocated buffers.
                Benchmark("simd-fresh/\(name)/\(suffix)", configuration: config) { benchmark, chain in
                    var out = ChainGreeks()
                    for _ in benchmark.scaledIterations {
                        chain.greeks(market, selection: selection, threads: threads, into: &out)
                        blackHole(out.gamma[chain.count / 2])
                    }
                } setup: {
                    GreeksBenchmark.syntheticChain(count: n)
                }

                Benchmark("simd-prepared/\(name)/\(suffix)", configuration: config) { benchmark, evaluator in
                    var k = 0
                    var out = ChainGreeks()
                    for _ in benchmark.scaledIterations {
                        // A new spot every evaluation, as on every tick.
                        let spot = market.spot * (1 + 0.001 * Double(k % 16 - 8))
                        evaluator.greeks(spot: spot, selection: selection, threads: threads, into: &out)
                        blackHole(out.gamma[evaluator.count / 2])
                        k += 1
                    }
                } setup: {
                    GreeksEvaluator(
                        chain: GreeksBenchmark.syntheticChain(count: n), rate: market.rate,
                        dividendYield: market.dividendYield)
                }
            }

            // The plain call that allocates its result: what allocation costs.
            Benchmark("simd-fresh-allocating/gamma-vanna/\(suffix)", configuration: config) { benchmark, chain in
                for _ in benchmark.scaledIterations {
                    blackHole(chain.greeks(market, selection: .gammaVanna, threads: threads))
                }
            } setup: {
                GreeksBenchmark.syntheticChain(count: n)
            }

            for name in ["gamma-vanna", "standard"] where gf_avx512_available() == 1 {
                Benchmark("c-avx512/\(name)/\(suffix)", configuration: config) { (benchmark, columns: CColumns) in
                    for _ in benchmark.scaledIterations {
                        if name == "gamma-vanna" {
                            columns.gammaVanna(market, threads: threads)
                        } else {
                            columns.standard(market, threads: threads)
                        }
                        blackHole(columns.out[n / 2])
                    }
                } setup: {
                    let chain = GreeksBenchmark.syntheticChain(count: n)
                    let columns = CColumns(chain)
                    try columns.check(against: chain, market)
                    return columns
                }
            }
        }
    }

    let (profileOptions, profileGrid) = smoke ? (2_000, 50) : (20_000, 400)
    let profileShape = "\(profileOptions / 1000)kx\(profileGrid)"
    for threads in threadCounts {
        let config = Benchmark.Configuration(tags: ["profile": profileShape], scalingFactor: .one)
        let suffix = "\(profileShape)/threads:\(threads)"
        for method in [ProfileMethod.fused, .folded] {
            Benchmark("simd/gex-profile-\(method.rawValue)/\(suffix)", configuration: config) { benchmark, input in
                for _ in benchmark.scaledIterations {
                    blackHole(input.book.gexProfile(spots: input.spots, method: method, threads: threads))
                }
            } setup: {
                (
                    book: ProfileBenchmark.syntheticBook(options: profileOptions),
                    spots: ProfileBenchmark.grid(spot: 5000, count: profileGrid)
                )
            }
        }

        // The dealer delta-and-gamma surface a path simulator interpolates:
        // the grid x 3 vol shifts x 8 hourly times (24 preparations and passes).
        for method in [ProfileMethod.automatic, .fused] {
            Benchmark("simd/dealer-surface-\(method.rawValue)/\(suffix)", configuration: config) {
                (benchmark, input: (book: DealerBook, spots: [Double], times: [Date])) in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        input.book.surface(
                            spots: input.spots, volShifts: [-2, 0, 2], times: input.times, method: method,
                            threads: threads
                        ).dealerGamma)
                }
            } setup: {
                let book = ProfileBenchmark.syntheticBook(options: profileOptions)
                return (
                    book: book, spots: ProfileBenchmark.grid(spot: 5000, count: min(profileGrid, 100)),
                    times: (0..<8).map { book.valuationTime.addingTimeInterval(Double($0) * 3600) }
                )
            }
        }

        if gf_avx512_available() == 1 {
            Benchmark("c-avx512/gex-profile/\(suffix)", configuration: config) {
                (benchmark, columns: ProfileColumns) in
                for _ in benchmark.scaledIterations {
                    columns.run(threads: threads)
                    blackHole(columns.gex[profileGrid / 2])
                }
            } setup: {
                let book = ProfileBenchmark.syntheticBook(options: profileOptions)
                let columns = ProfileColumns(book: book, spots: ProfileBenchmark.grid(spot: 5000, count: profileGrid))
                try columns.check(against: book)
                return columns
            }
        }
    }

    // Implied vols (issue 3): prices of the benchmark chain at its own vols,
    // solved back; Let's Be Rational in chain order and shuffled, and the
    // Newton/bisection yardstick. One iteration solves the whole chain.
    for (label, n) in sizes where n <= 100_000 {
        for threads in threadCounts {
            let config = Benchmark.Configuration(tags: ["n": label], scalingFactor: .one)
            for kernel in ImpliedVolatilityBenchmark.Kernel.allCases {
                Benchmark("\(kernel.rawValue)/\(label)/threads:\(threads)", configuration: config) {
                    (benchmark, quotes: ImpliedVolatilityBenchmark.Quotes) in
                    for _ in benchmark.scaledIterations {
                        blackHole(
                            ImpliedVolatility.solve(
                                prices: quotes.prices, strikes: quotes.strikes, kinds: quotes.kinds,
                                years: quotes.years, market: quotes.market, method: kernel.method, threads: threads))
                    }
                } setup: {
                    let quotes = ImpliedVolatilityBenchmark.syntheticQuotes(count: n)
                    return kernel == .letsBeRationalShuffled ? quotes.shuffled(seed: 2) : quotes
                }
            }
        }
    }

    Benchmark(
        "evaluator-prepare/100k",
        configuration: .init(tags: ["n": "100k"], scalingFactor: .one, skip: smoke)
    ) { benchmark, chain in
        for _ in benchmark.scaledIterations {
            blackHole(GreeksEvaluator(chain: chain, rate: market.rate, dividendYield: market.dividendYield))
        }
    } setup: {
        GreeksBenchmark.syntheticChain(count: 100_000)
    }
}

struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

import Dispatch
import Foundation

/// The timing harness behind `gammaflow bench greeks` and the Benchmarks
/// package's side-by-side runner: a seeded SPX-like chain, the kernels by name,
/// and medians of timed runs on a monotonic clock.
///
/// From-scratch kernels (``OptionChain/greeks(_:selection:threads:)``) and
/// re-evaluation kernels (``GreeksEvaluator``, prepared once outside the
/// timing) are separate kernels with separate names; the cost of preparing an
/// evaluator is its own kernel (`evaluator-prepare`).
///
/// Not part of the stable API: reach it with `@_spi(Benchmarks) import GammaFlow`.
@_spi(Benchmarks)
public enum GreeksBenchmark {
    /// A timed kernel. Raw values are the `kernel` names printed in JSON.
    public enum Kernel: String, CaseIterable, Sendable {
        /// `BlackScholes.greeks` (platform libm, all eleven outputs) in a plain loop.
        case scalarReference = "scalar-reference"
        /// From scratch, gamma and vanna.
        case gammaVanna = "gamma-vanna"
        /// From scratch, the nine standard Greeks (price through speed).
        case standardGreeks = "standard-greeks"
        /// From scratch, all eleven Greeks.
        case allGreeks = "all-greeks"
        /// gamma-vanna into freshly allocated columns (the cost of the plain
        /// `greeks(_:)` call, allocation and page faults included).
        case gammaVannaAllocating = "gamma-vanna-allocating"
        /// Building a `GreeksEvaluator` (the per-contract invariants), once per chain.
        case evaluatorPrepare = "evaluator-prepare"
        /// Re-evaluation at a new spot with a prepared evaluator, gamma and vanna.
        case gammaVannaPrepared = "gamma-vanna-prepared"
        /// Re-evaluation, the nine standard Greeks.
        case standardGreeksPrepared = "standard-greeks-prepared"
        /// Re-evaluation, all eleven Greeks.
        case allGreeksPrepared = "all-greeks-prepared"

        /// Whether the kernel takes a thread count (the others run on one thread).
        public var isThreaded: Bool { self != .evaluatorPrepare }
    }

    /// One measured kernel at one thread count.
    public struct Result: Sendable {
        public var kernel: String
        public var threads: Int
        public var n: Int
        /// Median over the timed runs, nanoseconds per option (wall clock).
        public var nsPerOption: Double
        /// Every timed run, nanoseconds per option.
        public var samples: [Double]

        public init(kernel: String, threads: Int, n: Int, nsPerOption: Double, samples: [Double]) {
            self.kernel = kernel
            self.threads = threads
            self.n = n
            self.nsPerOption = nsPerOption
            self.samples = samples
        }
    }

    /// The valuation instant of ``syntheticChain(count:spot:seed:)``: a
    /// Monday, 10:00 New York, so that the chain includes a 0DTE expiry.
    public static let syntheticValuationTime = Date(timeIntervalSince1970: 1_767_625_200)  // 2026-01-05T15:00:00Z

    /// The benchmark chain: ``OptionChain/syntheticSPX(count:spot:valuationTime:timeBasis:seed:)``
    /// with `count` options at ``syntheticValuationTime`` (SPX-like expiries
    /// from 0DTE to a year, strike grids, skewed smile; seeded).
    public static func syntheticChain(count: Int, spot: Double = 5000, seed: UInt64 = 1) -> OptionChain {
        OptionChain.syntheticSPX(count: count, spot: spot, valuationTime: syntheticValuationTime, seed: seed)
    }

    /// Times `kernel` on `chain` at `market` with `threads` workers: one
    /// warm-up call, then `runs` timed runs, each repeating the kernel until it
    /// has taken at least `minRunSeconds`.
    public static func measure(
        _ kernel: Kernel, chain: OptionChain, market: MarketParameters, threads: Int, runs: Int = 7,
        minRunSeconds: Double = 0.02
    ) -> Result {
        let n = chain.count
        let t = kernel.isThreaded ? threads : 1
        let body: () -> Void
        switch kernel {
        case .scalarReference:
            body = scalarReferenceBody(chain: chain, market: market, threads: t)
        case .gammaVanna, .standardGreeks, .allGreeks:
            // Into columns reused from call to call, as the C yardstick and the
            // scalar reference write into preallocated buffers.
            let selection = kernel.selection
            var out = ChainGreeks()
            body = {
                chain.greeks(market, selection: selection, threads: t, into: &out)
                keep(out)
            }
        case .gammaVannaAllocating:
            body = { keep(chain.greeks(market, selection: .gammaVanna, threads: t)) }
        case .evaluatorPrepare:
            body = {
                keep(GreeksEvaluator(chain: chain, rate: market.rate, dividendYield: market.dividendYield))
            }
        case .gammaVannaPrepared, .standardGreeksPrepared, .allGreeksPrepared:
            let selection = kernel.selection
            let evaluator = GreeksEvaluator(chain: chain, rate: market.rate, dividendYield: market.dividendYield)
            // A new spot on every call, as on every tick.
            let spots = (0..<16).map { market.spot * (1 + 0.001 * Double($0 - 8)) }
            var k = 0
            var out = ChainGreeks()
            body = {
                evaluator.greeks(spot: spots[k & 15], selection: selection, threads: t, into: &out)
                keep(out)
                k &+= 1
            }
        }
        let (median, samples) = time(n: n, runs: runs, minRunSeconds: minRunSeconds, body)
        return Result(kernel: kernel.rawValue, threads: t, n: n, nsPerOption: median, samples: samples)
    }

    /// Median nanoseconds per item of `body` (which processes `n` items):
    /// one warm-up call, then `runs` runs of enough calls to last `minRunSeconds`.
    ///
    /// The number of calls per run is calibrated on warm calls, doubling until
    /// a batch lasts `minRunSeconds`: the first call is the slowest (page
    /// faults, cold caches), and sizing the runs from it made runs of a
    /// 1,000-option chain last about 0.1 ms instead of 20.
    public static func time(n: Int, runs: Int = 7, minRunSeconds: Double = 0.02, _ body: () -> Void) -> (
        median: Double, samples: [Double]
    ) {
        let clock = ContinuousClock()
        body()
        var reps = 1
        while true {
            let start = clock.now
            for _ in 0..<reps { body() }
            let elapsed = seconds(clock.now - start)
            if elapsed >= minRunSeconds || reps >= 1 << 30 { break }
            // Aim just past the target from what this batch took, at most 8x more.
            let aim = elapsed > 0 ? Double(reps) * minRunSeconds / elapsed * 1.05 : Double(reps) * 8
            reps = Int(min(max(aim.rounded(.up), Double(reps) * 2), Double(reps) * 8))
        }
        var samples: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = clock.now
            for _ in 0..<reps { body() }
            let elapsed = seconds(clock.now - start)
            samples.append(elapsed * 1e9 / Double(reps * max(n, 1)))
        }
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
        return (median, samples)
    }

    /// `[{"kernel": ..., "threads": T, "n": N, "ns_per_option": x}, ...]`, one object per line.
    public static func json(_ results: [Result]) -> String {
        let rows = results.map { r in
            "  {\"kernel\": \"\(r.kernel)\", \"threads\": \(r.threads), \"n\": \(r.n), \"ns_per_option\": "
                + String(format: "%.4f", r.nsPerOption) + "}"
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]"
    }

    /// Keeps a value alive so the optimizer cannot drop the work that made it.
    @inline(never)
    public static func keep<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The scalar reference over the chain into a preallocated buffer, split
    /// over `threads` workers like the batch kernels.
    static func scalarReferenceBody(chain: OptionChain, market: MarketParameters, threads: Int) -> () -> Void {
        let n = chain.count
        let out = UnsafeMutableBufferPointer<OptionGreeks>.allocate(capacity: max(n, 1))
        let zero = OptionGreeks(
            price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, vanna: 0, charm: 0, vomma: 0, speed: 0, zomma: 0,
            color: 0)
        out.initialize(repeating: zero)
        let holder = ScalarBuffer(out)
        let (K, kinds, T, sigma) = (chain.strikes, chain.kinds, chain.yearsToExpiry, chain.impliedVols)
        let (S, r, q) = (market.spot, market.rate, market.dividendYield)
        return {
            _parallelChunks(count: n, threads: threads) { range in
                for i in range {
                    holder.buffer[i] = BlackScholes.greeks(
                        kinds[i], spot: S, strike: K[i], years: T[i], vol: sigma[i], rate: r, dividendYield: q)
                }
            }
            keep(holder)
        }
    }

    /// Owns the scalar reference's output buffer; chunks write disjoint ranges.
    final class ScalarBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<OptionGreeks>
        init(_ buffer: UnsafeMutableBufferPointer<OptionGreeks>) { self.buffer = buffer }
        deinit { buffer.deallocate() }
    }
}

extension GreeksBenchmark.Kernel {
    var selection: GreekSelection {
        switch self {
        case .gammaVanna, .gammaVannaPrepared, .gammaVannaAllocating: return .gammaVanna
        case .standardGreeks, .standardGreeksPrepared: return .standard
        default: return .all
        }
    }
}

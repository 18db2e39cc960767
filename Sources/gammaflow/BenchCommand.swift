import ArgumentParser
import Foundation
@_spi(Benchmarks) import GammaFlow

/// `gammaflow bench ...`: timing of the library's kernels on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time GammaFlow's kernels on this machine (medians of timed runs after a warm-up).",
        discussion: """
            Each subcommand times kernels side by side on a seeded SPX-like input and prints one JSON \
            object per kernel and thread count (or a table with --format text). Build in release mode \
            for meaningful figures:

              swift build -c release
              .build/release/gammaflow bench greeks --n 100000 --threads 1
              .build/release/gammaflow bench profile --grid 400 --format text
            """,
        subcommands: [BenchGreeksCommand.self, BenchProfileCommand.self, BenchIVCommand.self])
}

/// `gammaflow bench greeks`: every Greeks kernel, from scratch and prepared,
/// at one or more thread counts, on a generated SPX-like chain or a given one.
struct BenchGreeksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "greeks",
        abstract: "Time the Greeks kernels: scalar reference, SIMD from scratch, SIMD prepared re-evaluation.",
        discussion: """
            Prints one object per kernel and thread count:
            {"kernel": K, "threads": T, "n": N, "ns_per_option": x}, x the median wall-clock time of \
            --runs timed runs after a warm-up (each run repeats the kernel for at least --min-run-ms).
            Kernels: \(GreeksBenchmark.Kernel.allCases.map(\.rawValue).joined(separator: ", ")).
            From-scratch kernels compute everything from strike, time and vol; the "-prepared" kernels \
            re-evaluate a GreeksEvaluator built beforehand (its cost is "evaluator-prepare").
            Without --chain the chain is synthetic and SPX-like (seeded), valued with r = 0.04, q = 0.013, S = 5000.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Option(name: .customLong("n"), help: "Options in the generated chain (ignored with --chain).")
    var n: Int = 100_000

    @OptionGroup var timing: BenchTimingOptions

    @Option(help: "A native chain CSV to time instead of the generated chain.")
    var chain: String?

    // The market flags of `greeks` (see MarketOptions), optional here: without
    // --chain the generated chain has its own market.
    @Option(help: "Spot, index points (required with --chain; default 5000 for the generated chain).")
    var spot: Double?

    @Option(help: "Continuous risk-free rate per year (default 0.04 generated, 0 with --chain).")
    var rate: Double?

    @Option(
        name: .customLong("div-yield"),
        help: "Continuous dividend yield per year (default 0.013 generated, 0 with --chain).")
    var divYield: Double?

    @Option(name: .customLong("as-of"), help: "Valuation instant, ISO-8601 with a zone (default now; with --chain).")
    var asOf: String?

    @Option(
        name: .customLong("time-basis"),
        help: ArgumentHelp(
            "Time basis with --chain: act365, busN or busN-intraday (as for `greeks`).", valueName: "basis"))
    var timeBasis: TimeBasisArgument = TimeBasisArgument(.act365, name: "act365")

    @Option(help: "Output format: json or text.")
    var format: Format = .json

    func validate() throws {
        guard n > 0 else { throw ValidationError("--n must be positive, got \(n)") }
        if chain != nil, spot == nil { throw ValidationError("--chain needs --spot") }
        if let spot, !(spot.isFinite && spot >= .leastNormalMagnitude) {
            throw ValidationError("--spot must be finite and positive (at least 2.2e-308), got \(spot)")
        }
        if let rate, !rate.isFinite { throw ValidationError("--rate must be finite") }
        if let divYield, !divYield.isFinite { throw ValidationError("--div-yield must be finite") }
        if let asOf, ISO8601Timestamp.date(from: asOf) == nil {
            throw ValidationError("--as-of is not an ISO-8601 instant with a zone: \(asOf)")
        }
        _ = try selectedKernels()
    }

    func selectedKernels() throws -> [GreeksBenchmark.Kernel] { try timing.kernels(GreeksBenchmark.Kernel.self) }

    func run() throws {
        let optionChain: OptionChain
        let market: MarketParameters
        if let path = chain {
            let asOfDate = asOf.flatMap(ISO8601Timestamp.date(from:)) ?? RunClock.start
            do {
                optionChain = try OptionChain.load(csvAt: path, valuationTime: asOfDate, timeBasis: timeBasis.basis)
                    .chain
            } catch let error as ChainError {
                StandardError.print("error: \(error)")
                throw ExitCode(2)
            }
            market = MarketParameters(spot: spot!, rate: rate ?? 0, dividendYield: divYield ?? 0)
        } else {
            optionChain = GreeksBenchmark.syntheticChain(count: n, spot: spot ?? 5000, seed: timing.seed)
            market = MarketParameters(spot: spot ?? 5000, rate: rate ?? 0.04, dividendYield: divYield ?? 0.013)
        }
        let threadCounts = timing.threadCounts
        var results: [GreeksBenchmark.Result] = []
        for kernel in try selectedKernels() {
            for t in kernel.isThreaded ? threadCounts : [1] {
                results.append(
                    GreeksBenchmark.measure(
                        kernel, chain: optionChain, market: market, threads: t, runs: timing.runs,
                        minRunSeconds: timing.minRunMilliseconds / 1000))
            }
        }
        switch format {
        case .json:
            print(GreeksBenchmark.json(results))
        case .text:
            print("n = \(optionChain.count), \(market), median of \(timing.runs) runs, ns per option")
            for r in results {
                let name = r.kernel.padding(toLength: 26, withPad: " ", startingAt: 0)
                let mops = 1e3 / r.nsPerOption
                print(
                    "\(name) threads \(r.threads)  \(String(format: "%9.3f", r.nsPerOption)) ns  "
                        + String(format: "%8.1f", mops) + " M options/s")
            }
        }
    }
}

/// `gammaflow bench profile`: the total-GEX profile of a dealer book over a
/// grid of spots, by the fused SIMD pass, the folded SIMD pass, the BLAS GEMM
/// and the automatic choice, and the full exposure profile by each path, at
/// one or more thread counts.
struct BenchProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time the GEX profile kernels: fused and folded SIMD passes, BLAS GEMM, and the automatic choice.",
        discussion: """
            Builds a seeded SPX-like dealer book of --options options (positions from open interest, \
            dealers long calls and short puts; r = 0.04, q = 0.013, S = 5000) and a grid of --grid \
            spots evenly spaced across spot +-20%, then times the total GEX profile by each method \
            (gex-profile-*: one position vector, gamma only) and the full exposure profile \
            (exposure-profile-*: total, 0DTE, calls and puts; gamma, delta and vanna), and the \
            dealer delta-and-gamma surface (dealer-surface*: the grid x 3 vol shifts x 8 hourly \
            times, the book prepared again for each of the 24; one evaluation is one option at one \
            time, shift and spot). \
            Prints one object per kernel and thread count:
            {"kernel": K, "threads": T, "options": N, "grid": M, "ns_per_eval": x}, x the median \
            wall-clock time of --runs timed runs after a warm-up, divided by N x M (one evaluation is \
            one option at one grid spot).
            Kernels: \(ProfileBenchmark.Kernel.allCases.map(\.rawValue).joined(separator: ", ")).

            Example:
              gammaflow bench profile --options 20000 --grid 400 --threads 1
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Option(help: "Options in the generated book.")
    var options: Int = 20_000

    @Option(help: "Spots in the grid (evenly spaced across spot +-20%).")
    var grid: Int = 400

    @OptionGroup var timing: BenchTimingOptions

    @Option(help: "Output format: json or text.")
    var format: Format = .json

    func validate() throws {
        guard options > 0 else { throw ValidationError("--options must be positive, got \(options)") }
        guard grid > 0 else { throw ValidationError("--grid must be positive, got \(grid)") }
        _ = try selectedKernels()
    }

    func selectedKernels() throws -> [ProfileBenchmark.Kernel] { try timing.kernels(ProfileBenchmark.Kernel.self) }

    func run() throws {
        let spot = 5000.0
        let book = ProfileBenchmark.syntheticBook(options: options, spot: spot, seed: timing.seed)
        let spots = ProfileBenchmark.grid(spot: spot, count: grid)
        let threadCounts = timing.threadCounts
        var results: [ProfileBenchmark.Result] = []
        for kernel in try selectedKernels() {
            for t in threadCounts {
                results.append(
                    ProfileBenchmark.measure(
                        kernel, book: book, spots: spots, threads: t, runs: timing.runs,
                        minRunSeconds: timing.minRunMilliseconds / 1000))
            }
        }
        switch format {
        case .json:
            print(ProfileBenchmark.json(results))
        case .text:
            print(
                "\(book.count) options x \(spots.count) spots (S = \(spot) +-20%), median of \(timing.runs) runs, "
                    + "ns per evaluation (one option at one spot)")
            for r in results {
                let name = r.kernel.padding(toLength: 24, withPad: " ", startingAt: 0)
                let perProfile = r.nsPerEval * Double(r.options * r.grid) / 1e6
                print(
                    "\(name) threads \(r.threads)  \(String(format: "%8.3f", r.nsPerEval)) ns  "
                        + String(format: "%9.3f", perProfile) + " ms per profile")
            }
        }
    }
}

/// `gammaflow bench iv`: implied vols solved back from prices, Let's Be
/// Rational in chain order and shuffled, beside the Newton/bisection yardstick.
struct BenchIVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iv",
        abstract: "Time the implied-vol solvers: Let's Be Rational (chain order and shuffled) and Newton/bisection.",
        discussion: """
            Prices the seeded SPX-like chain of `bench greeks` (--n options; r = 0.04, q = 0.013, \
            S = 5000) at its own vols, checks that Let's Be Rational gives the vols back, then times \
            ImpliedVolatility.solve on the prices by each kernel. Prints one object per kernel and \
            thread count: {"kernel": K, "threads": T, "n": N, "ns_per_option": x}, x the median \
            wall-clock time of --runs timed runs after a warm-up, per solved option.
            Kernels: \(ImpliedVolatilityBenchmark.Kernel.allCases.map(\.rawValue).joined(separator: ", ")).

            Example:
              gammaflow bench iv --n 100000 --threads 1
            """)

    @Option(help: "Options in the generated chain.")
    var n: Int = 100_000

    @OptionGroup var timing: BenchTimingOptions

    func validate() throws {
        guard n > 0 else { throw ValidationError("--n must be positive, got \(n)") }
        _ = try timing.kernels(ImpliedVolatilityBenchmark.Kernel.self)
    }

    func run() throws {
        let quotes = ImpliedVolatilityBenchmark.syntheticQuotes(count: n, seed: timing.seed)
        let shuffled = quotes.shuffled(seed: timing.seed &+ 1)
        let check = ImpliedVolatilityBenchmark.recovery(quotes)
        guard check.worstVolError < 1e-9, check.checked > n / 2 else {
            throw ValidationError(
                "the solver did not recover the chain's vols (worst error \(check.worstVolError) over \(check.checked) options); not timing it"
            )
        }
        FileHandle.standardError.write(
            Data(
                "# recovered \(check.checked) of \(n) vols to \(check.worstVolError) or better (the rest: prices that carry no vol)\n"
                    .utf8))
        var results: [GreeksBenchmark.Result] = []
        for kernel in try timing.kernels(ImpliedVolatilityBenchmark.Kernel.self) {
            for t in timing.threadCounts {
                results.append(
                    ImpliedVolatilityBenchmark.measure(
                        kernel, quotes: kernel == .letsBeRationalShuffled ? shuffled : quotes, threads: t,
                        runs: timing.runs, minRunSeconds: timing.minRunMilliseconds / 1000))
            }
        }
        print(GreeksBenchmark.json(results))
    }
}

/// The timing flags shared by every `bench` subcommand.
struct BenchTimingOptions: ParsableArguments {
    @Option(help: "Worker threads (default: 1 and every core).")
    var threads: Int?

    @Option(name: .customLong("kernels"), help: "Comma-separated kernels to run (default: all).")
    var kernelList: String?

    @Option(help: "Timed runs per kernel; the median is printed.")
    var runs: Int = 7

    @Option(name: .customLong("min-run-ms"), help: "Minimum duration of one timed run, milliseconds.")
    var minRunMilliseconds: Double = 20

    @Option(help: "Seed of the generated chain.")
    var seed: UInt64 = 1

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, got \(runs)") }
        guard minRunMilliseconds >= 0 else { throw ValidationError("--min-run-ms must be non-negative") }
    }

    /// The thread counts to time: the one asked for, else 1 and every core.
    var threadCounts: [Int] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return threads.map { [$0] } ?? (cores > 1 ? [1, cores] : [1])
    }

    /// The kernels named by `--kernels` (all when absent), or a validation
    /// error naming the unknown one and the known ones.
    func kernels<K: RawRepresentable & CaseIterable>(_: K.Type) throws -> [K] where K.RawValue == String {
        guard let kernelList else { return Array(K.allCases) }
        return try kernelList.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let k = K(rawValue: trimmed) else {
                throw ValidationError(
                    "unknown kernel '\(trimmed)'; known: " + K.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return k
        }
    }
}

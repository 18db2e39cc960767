// greeks-yardstick: GammaFlow's Swift kernels and the hand-written AVX-512 C
// kernels timed side by side in one process, on the same seeded SPX-like chain
// (GreeksBenchmark.syntheticChain), with the same harness as
// `gammaflow bench greeks`. Before timing, the C kernels are checked against
// the scalar reference (BlackScholes.greeks) on every option of every chain.
//
//   swift run -c release --package-path Benchmarks greeks-yardstick \
//       [--n 1000,100000,1000000] [--threads 1,2] [--runs 7] [--min-run-ms 20] [--kernels a,b] [--label L]
//       [--dump DIR]   (write each chain's columns for greeks_numpy.py --chain-dir DIR, no timing)
//
// Prints a JSON array of {"kernel", "threads", "n", "ns_per_option"} (plus
// "build": L when --label is given). C kernels are named "c-avx512-...".
//
// GEX profile (issue 4), the library's fused and GEMM paths (ProfileBenchmark,
// as `gammaflow bench profile`) against the hand-written AVX-512 C profile
// kernel, checked against DealerBook.gexProfile(.fused) before timing:
//
//   greeks-yardstick --profile [--options 20000] [--grid 400] [--threads 1,2] [--runs 7] [--label L]
//
// prints {"kernel": "c-avx512-gex-profile" | "gex-profile-fused" | "gex-profile-folded" | "gex-profile-gemm",
// "threads", "options", "grid", "ns_per_eval"} rows.

import CGreeksAVX512
import Dispatch
import Foundation
@_spi(Benchmarks) import GammaFlow
import YardstickKit

struct Arguments {
    var sizes = [1_000, 100_000, 1_000_000]
    var threads = [1, ProcessInfo.processInfo.activeProcessorCount].reduce(into: [Int]()) {
        if !$0.contains($1) { $0.append($1) }
    }
    var runs = 7
    var minRunSeconds = 0.02
    var kernels: Set<String>? = nil
    var label: String? = nil
    var dump: String? = nil
    var profile = false
    var options = 20_000
    var grid = 400

    init(_ argv: [String]) {
        var it = argv.dropFirst().makeIterator()
        func ints(_ s: String?) -> [Int] { (s ?? "").split(separator: ",").compactMap { Int($0) } }
        while let a = it.next() {
            switch a {
            case "--n": sizes = ints(it.next())
            case "--threads": threads = ints(it.next())
            case "--runs": runs = Int(it.next() ?? "") ?? runs
            case "--min-run-ms": minRunSeconds = (Double(it.next() ?? "") ?? 20) / 1000
            case "--kernels": kernels = Set((it.next() ?? "").split(separator: ",").map(String.init))
            case "--label": label = it.next()
            case "--dump": dump = it.next()
            case "--profile": profile = true
            case "--options": options = Int(it.next() ?? "") ?? options
            case "--grid": grid = Int(it.next() ?? "") ?? grid
            default:
                FileHandle.standardError.write(Data("greeks-yardstick: unknown argument \(a)\n".utf8))
                exit(64)
            }
        }
    }

    func wants(_ kernel: String) -> Bool { kernels?.contains(kernel) ?? true }
}

let args = Arguments(CommandLine.arguments)
guard gf_avx512_available() == 1 else {
    FileHandle.standardError.write(Data("greeks-yardstick: no AVX-512 kernels on this machine/build\n".utf8))
    exit(2)
}
if args.profile {
    let book = ProfileBenchmark.syntheticBook(options: args.options)
    let spots = ProfileBenchmark.grid(spot: 5000, count: args.grid)
    let c = ProfileColumns(book: book, spots: spots)
    do {
        FileHandle.standardError.write(Data((try c.check(against: book) + "\n").utf8))
    } catch {
        FileHandle.standardError.write(Data("greeks-yardstick: \(error)\n".utf8))
        exit(1)
    }
    let evals = book.count * spots.count
    // (kernel, threads, ns_per_eval); ProfileBenchmark.Result has no public initializer.
    var rows: [(kernel: String, threads: Int, nsPerEval: Double)] = []
    for t in args.threads {
        if args.wants("c-avx512-gex-profile") {
            let (median, _) = GreeksBenchmark.time(
                n: evals, runs: args.runs, minRunSeconds: args.minRunSeconds
            ) { c.run(threads: t) }
            rows.append(("c-avx512-gex-profile", t, median))
        }
        for kernel in [ProfileBenchmark.Kernel.fused, .folded, .gemm] where args.wants(kernel.rawValue) {
            let r = ProfileBenchmark.measure(
                kernel, book: book, spots: spots, threads: t, runs: args.runs, minRunSeconds: args.minRunSeconds)
            rows.append((r.kernel, r.threads, r.nsPerEval))
        }
    }
    // The shape of ProfileBenchmark.json (`gammaflow bench profile --format json`).
    var json =
        "[\n"
        + rows.map { r in
            "  {\"kernel\": \"\(r.kernel)\", \"threads\": \(r.threads), \"options\": \(book.count), "
                + "\"grid\": \(spots.count), \"ns_per_eval\": " + String(format: "%.4f", r.nsPerEval) + "}"
        }.joined(separator: ",\n") + "\n]"
    if let label = args.label {
        json = json.replacingOccurrences(of: "{\"kernel\"", with: "{\"build\": \"\(label)\", \"kernel\"")
    }
    print(json)
    exit(0)
}
var results: [GreeksBenchmark.Result] = []
for n in args.sizes {
    let chain = GreeksBenchmark.syntheticChain(count: n)
    let market = MarketParameters(spot: 5000, rate: 0.04, dividendYield: 0.013)
    if let dir = args.dump {
        // The chain's strike, phi, years and vol columns as raw little-endian
        // float64, for Benchmarks/python/greeks_numpy.py --chain-dir.
        let columns = [chain.strikes, chain.kinds.map(\.phi), chain.yearsToExpiry, chain.impliedVols]
        let bytes = columns.flatMap { $0 }.withUnsafeBytes { Data($0) }
        try! bytes.write(to: URL(fileURLWithPath: dir).appendingPathComponent("chain-\(n).f64"))
        continue
    }
    let c = CColumns(chain)
    do {
        FileHandle.standardError.write(Data((try c.check(against: chain, market) + "\n").utf8))
    } catch {
        FileHandle.standardError.write(Data("greeks-yardstick: \(error)\n".utf8))
        exit(1)
    }
    for kernel in GreeksBenchmark.Kernel.allCases where args.wants(kernel.rawValue) {
        for t in kernel.isThreaded ? args.threads : [1] {
            results.append(
                GreeksBenchmark.measure(
                    kernel, chain: chain, market: market, threads: t, runs: args.runs,
                    minRunSeconds: args.minRunSeconds))
        }
    }
    for t in args.threads {
        if args.wants("c-avx512-gamma-vanna") {
            let (median, samples) = GreeksBenchmark.time(n: n, runs: args.runs, minRunSeconds: args.minRunSeconds) {
                c.gammaVanna(market, threads: t)
            }
            results.append(
                .init(kernel: "c-avx512-gamma-vanna", threads: t, n: n, nsPerOption: median, samples: samples))
        }
        if args.wants("c-avx512-standard-greeks") {
            let (median, samples) = GreeksBenchmark.time(n: n, runs: args.runs, minRunSeconds: args.minRunSeconds) {
                c.standard(market, threads: t)
            }
            results.append(
                .init(kernel: "c-avx512-standard-greeks", threads: t, n: n, nsPerOption: median, samples: samples))
        }
    }
}
var json = GreeksBenchmark.json(results)
if let label = args.label {
    json = json.replacingOccurrences(of: "{\"kernel\"", with: "{\"build\": \"\(label)\", \"kernel\"")
}
print(json)

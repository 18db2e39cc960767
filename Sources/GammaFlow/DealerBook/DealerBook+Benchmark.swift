import Foundation

/// The timing harness behind `gammaflow bench profile`: a seeded SPX-like
/// ``DealerBook``, a grid of spots across +-20%, and the total-GEX profile
/// (``DealerBook/gexProfile(spots:method:threads:)``) timed per
/// ``ProfileMethod`` with ``GreeksBenchmark/time(n:runs:minRunSeconds:_:)``
/// (one warm-up call, median of timed runs).
///
/// One evaluation is one option at one grid spot, so `ns_per_eval` is the
/// median wall-clock time of a profile divided by options x grid spots.
///
/// Not part of the stable API: reach it with `@_spi(Benchmarks) import GammaFlow`.
@_spi(Benchmarks)
public enum ProfileBenchmark {
    /// A timed profile path. Raw values are the `kernel` names printed in JSON.
    ///
    /// The `gex-profile-*` kernels time the total-GEX profile
    /// (``DealerBook/gexProfile(spots:method:threads:)``: one position vector,
    /// gamma only); the `exposure-profile-*` kernels time the full
    /// ``DealerBook/profile(spots:method:splitByExpiry:threads:)`` (four position
    /// vectors: total, 0DTE, calls, puts; gamma, delta and vanna). The
    /// `dealer-surface*` kernels time ``DealerBook/surface(spots:volShifts:times:method:threads:)``
    /// over the grid, three vol shifts (-2, 0, +2 points) and eight hourly
    /// valuation times from the book's own: 24 preparations of the book and
    /// 24 delta-and-gamma passes over the grid, the table a path simulator
    /// interpolates; an evaluation there is one option at one (time, shift, spot).
    public enum Kernel: String, CaseIterable, Sendable {
        /// The fused SIMD pass (gamma only, accumulated per spot; no Greek matrix).
        case fused = "gex-profile-fused"
        /// The folded SIMD pass (invariants folded around the grid's middle; four spots per pass).
        case folded = "gex-profile-folded"
        /// A Greek matrix (spots x options) times the position vector with BLAS `dgemm`.
        case gemm = "gex-profile-gemm"
        /// Whichever ``DealerBook/preferredMethod(positionVectors:options:spots:)`` picks.
        case automatic = "gex-profile-automatic"
        /// The full exposure profile by the fused pass.
        case exposureFused = "exposure-profile-fused"
        /// The full exposure profile by the folded pass.
        case exposureFolded = "exposure-profile-folded"
        /// The full exposure profile by the BLAS GEMM.
        case exposureGEMM = "exposure-profile-gemm"
        /// The dealer delta-and-gamma surface by the automatic method.
        case surface = "dealer-surface"
        /// The dealer delta-and-gamma surface by the fused pass.
        case surfaceFused = "dealer-surface-fused"

        /// The profile method timed.
        public var method: ProfileMethod {
            switch self {
            case .fused, .exposureFused, .surfaceFused: .fused
            case .folded, .exposureFolded: .folded
            case .gemm, .exposureGEMM: .gemm
            case .automatic, .surface: .automatic
            }
        }

        /// True for the full exposure profile, false for the total-GEX profile.
        public var isExposureProfile: Bool {
            self == .exposureFused || self == .exposureFolded || self == .exposureGEMM
        }
    }

    /// One measured kernel at one thread count.
    public struct Result: Sendable {
        public var kernel: String
        public var threads: Int
        /// Options in the book.
        public var options: Int
        /// Spots in the grid.
        public var grid: Int
        /// Median over the timed runs, nanoseconds per option per grid spot (wall clock).
        public var nsPerEval: Double
        /// Every timed run, nanoseconds per evaluation.
        public var samples: [Double]
    }

    /// The benchmark book: ``GreeksBenchmark/syntheticChain(count:spot:seed:)``
    /// with open interest as positions under ``DealerConvention/default``,
    /// r = 0.04, q = 0.013. Expired options are dropped (the synthetic chain
    /// has none), so ``DealerBook/count`` is `options`.
    public static func syntheticBook(options: Int, spot: Double = 5000, seed: UInt64 = 1) -> DealerBook {
        precondition(options > 0, "ProfileBenchmark: options must be positive")
        let chain = GreeksBenchmark.syntheticChain(count: options, spot: spot, seed: seed)
        do {
            return try DealerBook(chain: chain, convention: .default, rate: 0.04, dividendYield: 0.013)
        } catch {
            preconditionFailure("ProfileBenchmark: the default convention needs no positions column: \(error)")
        }
    }

    /// `count` evenly spaced spots from 0.8 x `spot` to 1.2 x `spot` (just `spot` when `count` is 1).
    public static func grid(spot: Double, count: Int) -> [Double] {
        precondition(count > 0 && spot.isFinite && spot > 0, "ProfileBenchmark: need count > 0 and spot > 0")
        guard count > 1 else { return [spot] }
        return (0..<count).map { spot * (0.8 + 0.4 * Double($0) / Double(count - 1)) }
    }

    /// Times the total-GEX profile of `book` over `spots` by `kernel`'s method on `threads` workers.
    public static func measure(
        _ kernel: Kernel, book: DealerBook, spots: [Double], threads: Int, runs: Int = 7, minRunSeconds: Double = 0.02
    ) -> Result {
        let method = kernel.method
        let full = kernel.isExposureProfile
        let isSurface = kernel == .surface || kernel == .surfaceFused
        let shifts: [Double] = [-2, 0, 2]
        let times = (0..<8).map { book.valuationTime.addingTimeInterval(Double($0) * 3600) }
        let evals = book.count * spots.count * (isSurface ? shifts.count * times.count : 1)
        let (median, samples) = GreeksBenchmark.time(n: evals, runs: runs, minRunSeconds: minRunSeconds) {
            if isSurface {
                GreeksBenchmark.keep(
                    book.surface(spots: spots, volShifts: shifts, times: times, method: method, threads: threads)
                        .dealerGamma)
            } else if full {
                GreeksBenchmark.keep(book.profile(spots: spots, method: method, threads: threads).gex)
            } else {
                GreeksBenchmark.keep(book.gexProfile(spots: spots, method: method, threads: threads))
            }
        }
        return Result(
            kernel: kernel.rawValue, threads: threads, options: book.count, grid: spots.count, nsPerEval: median,
            samples: samples)
    }

    /// `[{"kernel": ..., "threads": T, "options": N, "grid": M, "ns_per_eval": x}, ...]`, one object per line.
    public static func json(_ results: [Result]) -> String {
        let rows = results.map { r in
            "  {\"kernel\": \"\(r.kernel)\", \"threads\": \(r.threads), \"options\": \(r.options), "
                + "\"grid\": \(r.grid), \"ns_per_eval\": " + String(format: "%.4f", r.nsPerEval) + "}"
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]"
    }
}

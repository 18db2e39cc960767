import Foundation

/// How a profile is computed. Both paths use the prepared Black-Scholes
/// invariants (one `exp` per option and spot, plus a normal CDF for delta).
public enum ProfileMethod: String, Sendable, Hashable, CaseIterable {
    /// Pick per shape (position vectors x options x spots); see ``DealerBook/preferredMethod(positionVectors:options:spots:)``.
    case automatic
    /// One SIMD pass per grid spot accumulating every dealer sum on the fly; no Greek matrix is stored.
    case fused
    /// A Greek matrix (spots x options) multiplied by all position vectors at
    /// once with BLAS `dgemm`, in blocks of spots.
    case gemm
    /// The fused pass on per-option invariants folded around a reference
    /// spot (the grid's geometric middle): `kappa d1 = a ln(S / S_ref) + b`
    /// with `kappa = sqrt(log2(e) / 2)`, then one FMA and a short `exp2` per
    /// option and spot, four spots per pass over the options (gamma-only
    /// profiles). A term's absolute error is below `|W| (0.72 du + 8e-16)`
    /// (W its weight, du about 2^-53 (3 |a ln(S / S_ref)| + 4 |b|)); normal
    /// densities below 2^-1021.5 (3e-308) are flushed to zero. See
    /// Internal/Kernel+FoldedGrid.swift.
    case folded
}

/// Dealer exposures against hypothetical spot, vols sticky by strike, time fixed.
/// Units are those of ``ExposureTotals``, each evaluated at the grid spot.
public struct ExposureProfile: Sendable {
    /// The grid spots, index points.
    public var spots: [Double]
    /// GEX at each spot: $ per 1% move.
    public var gex: [Double]
    /// DEX at each spot: dealer delta in $.
    public var dex: [Double]
    /// VEX at each spot: $ of dealer delta per vol point.
    public var vex: [Double]
    /// GEX of the 0DTE options alone, $ per 1%.
    public var gexZeroDTE: [Double]
    /// GEX of the calls alone, $ per 1%.
    public var gexCalls: [Double]
    /// GEX of the puts alone, $ per 1%.
    public var gexPuts: [Double]
    /// GEX of each expiry, when asked for (`splitByExpiry`), $ per 1%.
    public var gexByExpiry: [(expiry: Date, gex: [Double])]
    /// The path that computed it (never ``ProfileMethod/automatic``).
    public var method: ProfileMethod
    /// The positioning convention of the book.
    public var convention: DealerConvention

    /// Spots where the GEX curve changes sign, by linear interpolation
    /// between grid points, ascending.
    public func gexZeroCrossings() -> [Double] {
        var out: [Double] = []
        for s in 1..<max(spots.count, 1) {
            let (a, b) = (gex[s - 1], gex[s])
            if a == 0 {
                out.append(spots[s - 1])
            } else if (a < 0) != (b < 0) && b != 0 {
                out.append(spots[s - 1] + (spots[s] - spots[s - 1]) * a / (a - b))
            }
        }
        if let l = gex.last, l == 0, let s = spots.last { out.append(s) }
        return out
    }
}

extension DealerBook {
    /// Exposures at every spot of `spots` (index points, each > 0).
    /// - Parameters:
    ///   - spots: the grid, index points, each finite and positive.
    ///   - method: fused SIMD, BLAS GEMM, or automatic (the measured winner for the shape).
    ///   - splitByExpiry: also compute one GEX curve per expiry (more position vectors).
    ///   - threads: worker threads (`nil`: every core for large work, one for small).
    public func profile(
        spots: [Double], method: ProfileMethod = .automatic, splitByExpiry: Bool = false, threads: Int? = nil
    ) -> ExposureProfile {
        precondition(spots.allSatisfy { $0.isFinite && $0 > 0 }, "DealerBook: grid spots must be finite and positive")
        var columns = [weights]
        let w = weights
        columns.append(zip(w, layout.isZeroDTE).map { $1 ? $0 : 0 })
        columns.append(zip(w, chain.kinds).map { $1 == .call ? $0 : 0 })
        columns.append(zip(w, chain.kinds).map { $1 == .put ? $0 : 0 })
        if splitByExpiry {
            for e in layout.expiries.indices {
                columns.append(zip(w, layout.expirySlot).map { $1 == e ? $0 : 0 })
            }
        }
        let k = columns.count
        let m = spots.count
        let resolved =
            method == .automatic ? Self.preferredMethod(positionVectors: k, options: count, spots: m) : method
        let sums = dealerSums(spots: spots, columns: columns, greeks: .all, method: resolved, threads: threads)
        func row(_ b: Int, _ j: Int) -> ArraySlice<Double> { sums[((b * k + j) * m)..<((b * k + j + 1) * m)] }
        func gexRow(_ j: Int) -> [Double] { zip(row(0, j), spots).map { $0 * $1 * $1 * 0.01 } }
        return ExposureProfile(
            spots: spots, gex: gexRow(0), dex: zip(row(1, 0), spots).map { $0 * $1 },
            vex: zip(row(2, 0), spots).map { $0 * $1 * 0.01 }, gexZeroDTE: gexRow(1), gexCalls: gexRow(2),
            gexPuts: gexRow(3),
            gexByExpiry: splitByExpiry ? layout.expiries.enumerated().map { ($1, gexRow(4 + $0)) } : [],
            method: resolved, convention: convention)
    }

    /// Total GEX alone at every spot of `spots` ($ per 1% move): one
    /// position vector, gamma only (one `exp` per option and spot). The
    /// shape of the profile benchmark.
    public func gexProfile(spots: [Double], method: ProfileMethod = .automatic, threads: Int? = nil) -> [Double] {
        precondition(spots.allSatisfy { $0.isFinite && $0 > 0 }, "DealerBook: grid spots must be finite and positive")
        let resolved =
            method == .automatic ? Self.preferredMethod(positionVectors: 1, options: count, spots: spots.count) : method
        let sums: [Double]
        if resolved == .folded {
            sums = foldedGammaSums(spots: spots, threads: threads)
        } else if resolved == .gemm {
            sums = dealerSums(spots: spots, columns: [weights], greeks: .gamma, method: .gemm, threads: threads)
        } else {
            var w = weights
            for i in evaluator.columns.degenerate { w[i] = 0 }
            let workers = threads ?? (spots.count * count >= 100_000 ? _activeCores : 1)
            var g = w.withUnsafeBufferPointer { wb in
                evaluator.columns.gammaSums(spots: spots, weights: wb.baseAddress!, threads: workers)
            }
            if !evaluator.columns.degenerate.isEmpty {
                for (s, S) in spots.enumerated() { g[s] += degenerateGamma(spot: S) }
            }
            sums = g
        }
        return zip(sums, spots).map { $0 * $1 * $1 * 0.01 }
    }

    /// A profile over `steps + 1` evenly spaced spots from `lower` to `upper`.
    public func profile(
        from lower: Double, to upper: Double, steps: Int, method: ProfileMethod = .automatic,
        splitByExpiry: Bool = false, threads: Int? = nil
    ) -> ExposureProfile {
        precondition(steps >= 1 && lower > 0 && upper > lower, "DealerBook: need 0 < lower < upper and steps >= 1")
        let spots = (0...steps).map { lower + (upper - lower) * Double($0) / Double(steps) }
        return profile(spots: spots, method: method, splitByExpiry: splitByExpiry, threads: threads)
    }

    /// The profile path that measured fastest for a shape (release builds on
    /// a 2-core AMD EPYC, 20,000 options x 400 spots; Docs/DealerBook.md):
    /// the fused passes keep every dealer sum in registers and never store
    /// the Greek matrix, so they win while the position vectors are few; with
    /// many vectors (per-expiry splits) their accumulators spill and the GEMM
    /// caught up or won. Of the two fused passes the folded one measured
    /// about 2.8x faster on gamma-only profiles (``gexProfile(spots:method:threads:)``,
    /// 0.33 against 0.91 ns per evaluation, tuned build) and 1.1-1.3x on full
    /// ones (four vectors; delta's normal CDF dominates both), once its
    /// per-call folding of the invariants (a pass over the options) is
    /// shared by a few spots: on 20,000 options it lost at 1 and 2 spots and
    /// won from 4 (0.87 against 1.06 ns), hence ``foldedMinimumSpots``.
    public static func preferredMethod(positionVectors k: Int, options n: Int, spots m: Int) -> ProfileMethod {
        guard k <= _fusedMaximumVectors else { return .gemm }
        return m >= foldedMinimumSpots ? .folded : .fused
    }

    /// The fewest grid spots for which ``preferredMethod(positionVectors:options:spots:)`` picks the folded pass.
    public static let foldedMinimumSpots = 4

    /// Raw dealer sums `sum_i columns[j][i] greek_b,i(S_s)` in the layout of
    /// `_PreparedColumns.gridSums`; degenerate options (expired, or vanishing
    /// vol) go through the scalar reference.
    func dealerSums(
        spots: [Double], columns: [[Double]], greeks: _GridGreeks, method: ProfileMethod, threads: Int?
    ) -> [Double] {
        let n = count
        let k = columns.count
        let m = spots.count
        let prepared = evaluator.columns
        var flat = [Double](repeating: 0, count: k * n)
        for j in 0..<k { flat.replaceSubrange((j * n)..<((j + 1) * n), with: columns[j]) }
        for i in prepared.degenerate { for j in 0..<k { flat[j * n + i] = 0 } }
        let workers = threads ?? (m * n >= 100_000 ? _activeCores : 1)
        var sums = flat.withUnsafeBufferPointer { wb in
            switch method {
            case .gemm:
                prepared.gridSumsGEMM(spots: spots, weights: wb.baseAddress!, k: k, greeks: greeks, threads: workers)
            case .folded:
                _FoldedColumns(prepared, referenceSpot: Self.foldingReference(spots)).gridSums(
                    spots: spots, weights: wb.baseAddress!, k: k, greeks: greeks, threads: workers)
            default:
                prepared.gridSums(spots: spots, weights: wb.baseAddress!, k: k, greeks: greeks, threads: workers)
            }
        }
        guard !prepared.degenerate.isEmpty else { return sums }
        let blocks = _GridGreeks.order.filter { greeks.contains($0) }
        for (s, S) in spots.enumerated() {
            for i in prepared.degenerate {
                let g = BlackScholes.greeks(
                    chain.kinds[i], spot: S, strike: chain.strikes[i], years: chain.yearsToExpiry[i],
                    vol: chain.impliedVols[i], rate: rate, dividendYield: dividendYield)
                for (b, which) in blocks.enumerated() {
                    let value = which == .gamma ? g.gamma : (which == .delta ? g.delta : g.vanna)
                    for j in 0..<k { sums[(b * k + j) * m + s] += columns[j][i] * value }
                }
            }
        }
        return sums
    }
}

/// The largest number of position vectors for which the fused pass beat the GEMM.
let _fusedMaximumVectors = 8

/// Dealer delta and gamma tabulated over spot x vol shift x valuation time:
/// the table a path simulator interpolates instead of re-pricing the book.
public struct DealerGreekSurface: Sendable {
    /// Spots, index points.
    public var spots: [Double]
    /// Parallel shifts of every implied vol, in vol points (1 = 0.01).
    public var volShifts: [Double]
    /// Valuation instants.
    public var times: [Date]
    /// Dealer delta in underlying units, `[time][volShift][spot]` flattened
    /// as `(t * volShifts.count + v) * spots.count + s`.
    public var dealerDelta: [Double]
    /// Dealer gamma in underlying units per index point, same layout.
    public var dealerGamma: [Double]

    /// The flat index of (`time`, `volShift`, `spot`).
    public func index(time t: Int, volShift v: Int, spot s: Int) -> Int { (t * volShifts.count + v) * spots.count + s }
}

extension DealerBook {
    /// Dealer delta and gamma over every (time, vol shift, spot): the book is
    /// prepared once per (time, vol shift) (eight options per step), then one
    /// pass over the spots by `method` (``ProfileMethod/automatic``: the
    /// folded pass from 4 spots up, see ``preferredMethod(positionVectors:options:spots:)``).
    public func surface(
        spots: [Double], volShifts: [Double], times: [Date], method: ProfileMethod = .automatic,
        threads: Int? = nil
    ) -> DealerGreekSurface {
        precondition(spots.allSatisfy { $0.isFinite && $0 > 0 }, "DealerBook: grid spots must be finite and positive")
        var delta: [Double] = []
        var gamma: [Double] = []
        let m = spots.count
        let resolved =
            method == .automatic ? Self.preferredMethod(positionVectors: 1, options: count, spots: m) : method
        for t in times {
            let atTime = revalued(at: t)
            for v in volShifts {
                let b = v == 0 ? atTime : atTime.shiftingVols(byPoints: v)
                let sums = b.dealerSums(
                    spots: spots, columns: [b.weights], greeks: [.gamma, .delta], method: resolved, threads: threads)
                gamma.append(contentsOf: sums[0..<m])
                delta.append(contentsOf: sums[m..<(2 * m)])
            }
        }
        return DealerGreekSurface(
            spots: spots, volShifts: volShifts, times: times, dealerDelta: delta, dealerGamma: gamma)
    }
}

extension DealerBook {
    /// The reference spot of the folded kernel for a grid: its geometric
    /// middle, which makes the largest |ln(S / S_ref)| as small as it can be.
    static func foldingReference(_ spots: [Double]) -> Double {
        guard let lo = spots.min(), let hi = spots.max() else { return 1 }
        return (lo * hi).squareRoot()
    }

    /// Dealer gamma (per index point) at every spot by the folded kernel,
    /// folded around the grid's geometric middle; degenerate options through the scalar reference.
    func foldedGammaSums(spots: [Double], threads: Int?) -> [Double] {
        guard !spots.isEmpty else { return [] }
        let folded = _FoldedColumns(evaluator.columns, referenceSpot: Self.foldingReference(spots))
        let workers = threads ?? (spots.count * count >= 100_000 ? _activeCores : 1)
        let w = weights
        let W = w.withUnsafeBufferPointer { folded.weights($0.baseAddress!, k: 1, greeks: .gamma) }
        var g = W.withUnsafeBufferPointer { wb in
            folded.densitySums(offsets: folded.offsets(spots), weights: wb.baseAddress!, threads: workers)
        }
        for (s, S) in spots.enumerated() {
            g[s] /= S
            if !evaluator.columns.degenerate.isEmpty { g[s] += degenerateGamma(spot: S) }
        }
        return g
    }
}

import Foundation

/// Whether dealers are long or short gamma at spot (the sign of GEX).
public enum GammaRegime: String, Sendable, Hashable {
    /// GEX > 0: dealers sell rallies and buy dips to stay hedged, damping moves.
    case long
    /// GEX < 0: dealers buy rallies and sell dips, amplifying moves.
    case short
    /// GEX is exactly 0 (e.g. an empty book).
    case flat
}

/// Where and how finely the zero-gamma level is searched.
public struct ZeroGammaSearch: Sendable, Hashable {
    /// Half-width of the search window as a fraction of spot (0.2: +-20%).
    public var range: Double
    /// Intervals of the coarse grid that brackets sign changes (80: 0.5% steps
    /// at +-20%); even, so that spot is the middle grid point.
    public var steps: Int
    /// Width of the final bracket, index points.
    public var tolerance: Double

    /// Creates a search; the default is +-20%, 80 steps, 0.01 index points.
    public init(range: Double = 0.2, steps: Int = 80, tolerance: Double = 0.01) {
        precondition(range > 0 && range < 1, "ZeroGammaSearch: range must be in (0, 1)")
        precondition(
            steps >= 2 && steps % 2 == 0,
            "ZeroGammaSearch: steps must be even and at least 2 (spot is the middle point)")
        precondition(tolerance > 0, "ZeroGammaSearch: tolerance must be positive")
        self.range = range
        self.steps = steps
        self.tolerance = tolerance
    }

    /// The coarse grid around `spot`.
    func grid(spot S: Double) -> [Double] {
        (0...steps).map { S * (1 - range + 2 * range * Double($0) / Double(steps)) }
    }
}

/// The levels a desk watches, at one spot.
///
/// - ``callWall``: the strike with the largest absolute call GEX at spot,
///   summed over expiries.
/// - ``putWall``: the same for puts.
/// - ``zeroGamma``: the root of the GEX profile (spot varied, vols sticky by
///   strike, time fixed) nearest spot within the search window, bracketed to
///   the search tolerance (0.01 index points), or `nil`.
/// - ``largestGEXStrike``: the strike with the largest absolute net (call +
///   put) GEX.
/// - ``regime``: the sign of total GEX at spot.
///
/// See Docs/DealerBook.md for the alternatives other tools use.
public struct DealerLevels: Sendable, Hashable {
    /// Spot, index points.
    public var spot: Double
    /// The positioning convention.
    public var convention: DealerConvention
    /// Call wall strike, index points (`nil`: no call gamma).
    public var callWall: Double?
    /// Call GEX at the call wall, $ per 1%.
    public var callWallGEX: Double
    /// Put wall strike, index points (`nil`: no put gamma).
    public var putWall: Double?
    /// Put GEX at the put wall, $ per 1%.
    public var putWallGEX: Double
    /// Zero-gamma spot, index points (`nil`: no sign change within the window).
    public var zeroGamma: Double?
    /// Strike of the largest absolute net GEX, index points.
    public var largestGEXStrike: Double?
    /// Net GEX at that strike, $ per 1%.
    public var largestGEX: Double
    /// Long or short gamma at spot.
    public var regime: GammaRegime
    /// Book totals at spot (units on ``ExposureTotals``).
    public var total: ExposureTotals
    /// 0DTE totals at spot.
    public var zeroDTE: ExposureTotals
    /// Share of gross |GEX| in 0DTE options (see ``DealerExposures/zeroDTEGammaShare``).
    public var zeroDTEGammaShare: Double
}

extension DealerBook {
    /// Call wall, put wall, zero gamma, largest |GEX| strike and regime at `spot`.
    public func levels(spot: Double, search: ZeroGammaSearch = ZeroGammaSearch()) -> DealerLevels {
        precondition(spot.isFinite && spot > 0, "DealerBook: spot must be finite and positive, got \(spot)")
        let e = aggregate(optionExposures(spot: spot), spot: spot)
        var w = weights
        for i in evaluator.columns.degenerate { w[i] = 0 }
        // A book without positions has no gamma anywhere, hence no zero gamma.
        let empty = positions.allSatisfy { $0 == 0 }
        let zero =
            empty
            ? nil
            : w.withUnsafeBufferPointer { wb in
                Self.zeroGammaOutward(spot: spot, search: search) { S in
                    evaluator.columns.weightedGamma(spot: S, weights: wb.baseAddress!) + degenerateGamma(spot: S)
                }
            }
        return Self.levels(
            spot: spot, convention: convention, strikes: layout.strikes, callGEX: e.perStrike.map(\.calls.gex),
            putGEX: e.perStrike.map(\.puts.gex), total: e.total, zeroDTE: e.zeroDTE,
            zeroDTEGammaShare: e.zeroDTEGammaShare, zeroGamma: zero)
    }

    /// Dealer gamma of the degenerate options at `S` (normally none).
    func degenerateGamma(spot S: Double) -> Double {
        var g = 0.0
        for i in evaluator.columns.degenerate {
            g +=
                positions[i] * chain.multipliers[i]
                * BlackScholes.greeks(
                    chain.kinds[i], spot: S, strike: chain.strikes[i], years: chain.yearsToExpiry[i],
                    vol: chain.impliedVols[i], rate: rate, dividendYield: dividendYield
                ).gamma
        }
        return g
    }

    static func levels(
        spot: Double, convention: DealerConvention, strikes: [Double], callGEX: [Double], putGEX: [Double],
        total: ExposureTotals, zeroDTE: ExposureTotals, zeroDTEGammaShare: Double, zeroGamma: Double?
    ) -> DealerLevels {
        func argmaxAbs(_ x: [Double]) -> Int? {
            var best: Int?
            var bestValue = 0.0
            for (i, v) in x.enumerated() where abs(v) > bestValue {
                best = i
                bestValue = abs(v)
            }
            return best
        }
        let net = zip(callGEX, putGEX).map { $0 + $1 }
        let c = argmaxAbs(callGEX)
        let p = argmaxAbs(putGEX)
        let l = argmaxAbs(net)
        return DealerLevels(
            spot: spot, convention: convention, callWall: c.map { strikes[$0] },
            callWallGEX: c.map { callGEX[$0] } ?? 0,
            putWall: p.map { strikes[$0] }, putWallGEX: p.map { putGEX[$0] } ?? 0, zeroGamma: zeroGamma,
            largestGEXStrike: l.map { strikes[$0] }, largestGEX: l.map { net[$0] } ?? 0,
            regime: total.gex > 0 ? .long : (total.gex < 0 ? .short : .flat), total: total, zeroDTE: zeroDTE,
            zeroDTEGammaShare: zeroDTEGammaShare)
    }

    /// The zero-gamma search of ``levels(spot:search:)``: the coarse grid of
    /// `search` is evaluated outward from spot, one level (a grid point
    /// below and one above) at a time, and stops at the first level that
    /// brackets a sign change, so a zero gamma near spot costs a few passes
    /// instead of the whole grid. Returns the same root as
    /// ``zeroGamma(grid:values:spot:tolerance:_:)`` on the full grid.
    static func zeroGammaOutward(spot: Double, search: ZeroGammaSearch, _ f: (Double) -> Double) -> Double? {
        let grid = search.grid(spot: spot)
        let mid = search.steps / 2  // grid[mid] is spot when steps is even
        var values = [Double](repeating: .nan, count: grid.count)
        values[mid] = f(grid[mid])
        var lo = mid
        var hi = mid
        while lo > 0 || hi < grid.count - 1 {
            if lo > 0 {
                lo -= 1
                values[lo] = f(grid[lo])
            }
            if hi < grid.count - 1 {
                hi += 1
                values[hi] = f(grid[hi])
            }
            func brackets(_ s: Int) -> Bool {
                guard s >= 0, s + 1 < grid.count else { return false }
                let (a, b) = (values[s], values[s + 1])
                guard !a.isNaN, !b.isNaN else { return false }
                return a == 0 || b == 0 || (a < 0) != (b < 0)
            }
            let found = brackets(lo) || brackets(hi - 1)
            if found || values[mid] == 0 { break }
        }
        let g = Array(grid[lo...hi])
        let v = Array(values[lo...hi])
        return zeroGamma(grid: g, values: v, spot: spot, tolerance: search.tolerance, f)
    }

    /// The sign change of `f` nearest `spot`: brackets from the coarse
    /// `values` on `grid` (ascending), the nearest bracket on each side of
    /// spot refined by `refineRoot`, the root nearer spot returned.
    static func zeroGamma(
        grid: [Double], values: [Double], spot: Double, tolerance: Double, _ f: (Double) -> Double
    ) -> Double? {
        var below: Int?  // bracket [s, s+1] nearest spot from below
        var above: Int?
        for s in 0..<(grid.count - 1) {
            let (a, b) = (values[s], values[s + 1])
            guard a == 0 || (a < 0) != (b < 0) else { continue }
            if grid[s] <= spot { below = s } else if above == nil { above = s }
        }
        // Refine the bracket nearer spot first; the other only if it could hold a nearer root.
        func gap(_ s: Int) -> Double { max(0, grid[s] - spot, spot - grid[s + 1]) }
        var best: Double?
        for s in [below, above].compactMap({ $0 }).sorted(by: { gap($0) < gap($1) }) {
            if let b = best, gap(s) >= abs(b - spot) { continue }
            let root: Double
            if values[s] == 0 {
                root = grid[s]
            } else if values[s + 1] == 0 {
                root = grid[s + 1]
            } else {
                root = refineRoot(grid[s], grid[s + 1], values[s], values[s + 1], tolerance: tolerance, f)
            }
            if best == nil || abs(root - spot) < abs(best! - spot) { best = root }
        }
        return best
    }

    /// A root of `f` in `[a, b]` (`fa`, `fb` of opposite signs), bracketed
    /// to a width of at most `tolerance`: Brent's method (inverse quadratic
    /// interpolation and secant steps, falling back to bisection whenever
    /// they would not shrink the bracket fast enough), after R. P. Brent,
    /// *Algorithms for Minimization without Derivatives* (1973), ch. 4, in
    /// the form of Numerical Recipes' `zbrent`.
    static func refineRoot(
        _ a0: Double, _ b0: Double, _ fa0: Double, _ fb0: Double, tolerance: Double, _ f: (Double) -> Double
    ) -> Double {
        var (a, b, c) = (a0, b0, b0)
        var (fa, fb, fc) = (fa0, fb0, fb0)
        var d = b - a
        var e = d
        for _ in 0..<200 {
            if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
                c = a
                fc = fa
                d = b - a
                e = d
            }
            if abs(fc) < abs(fb) {
                (a, b, c) = (b, c, b)
                (fa, fb, fc) = (fb, fc, fb)
            }
            // The root is in [b, c] (either order); stop when that is within `tolerance`.
            let tol1 = 2 * Double.ulpOfOne * abs(b) + 0.5 * tolerance
            let xm = 0.5 * (c - b)
            if abs(xm) <= tol1 || fb == 0 { return b }
            if abs(e) >= tol1 && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double
                var q: Double
                if a == c {
                    p = 2 * xm * s
                    q = 1 - s
                } else {
                    let qa = fa / fc
                    let r = fb / fc
                    p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q }
                p = abs(p)
                if 2 * p < min(3 * xm * q - abs(tol1 * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = xm
                    e = d
                }
            } else {
                d = xm
                e = d
            }
            a = b
            fa = fb
            b += abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1)
            fb = f(b)
        }
        return b
    }
}

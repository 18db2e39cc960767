// The folded grid kernel: dealer sums of gamma, vanna and delta over a grid
// of spots, with everything that does not depend on spot folded into
// per-option columns around a reference spot S_ref, so that one evaluation
// (one option at one spot) is one FMA and a short exp2 of a non-positive
// argument. Issue 4's GEX profile kernel (`ProfileMethod.folded`).
//
// With x = ln(S / S_ref) per spot, kappa = sqrt(log2(e) / 2) and, per option,
//   a = kappa / v,   b = kappa d1(S_ref),   c = kappa v,
// u = a x + b = kappa d1(S) exactly, 2^(-u^2) = e^(-d1^2 / 2), and
//   gamma S = e^-qT n(d1) / v              = W_g 2^(-u^2),        W_g = e^-qT / (v sqrt(2 pi))
//   vanna   = -e^-qT n(d1) (d1 - v) / sigma = W_v 2^(-u^2) (u - c), W_v = -e^-qT / (sigma sqrt(2 pi) kappa)
//   delta   = phi e^-qT N(phi d1)          = W_d erfc(-phi d1 / sqrt 2), W_d = phi e^-qT / 2
// (each W also carries the position weight). Centring at S_ref (the grid's
// geometric middle) keeps |x| small (0.2 for a +-20% grid), and b comes from
// the prepared double-double ln K, so u is far more accurate than folding a
// raw ln S of about 8.5 (as the C yardstick does).
//
// 2^(-u^2) (`_foldedDensity`): n = round(u^2) by the 1.5 * 2^52 shifter;
// r = u^2 - n in one FMA (the product is exact inside it; |r| <= 1/2);
// 2^-r by a degree-10 minimax polynomial (Remez, relative error 3.4e-16 on
// |r| <= 0.5001), evaluated as even + r * odd parts in r^2 (two chains of
// five FMAs: half the latency of Horner for one more multiply; measured 12%
// faster); 2^-n by subtracting n from the exponent bits. Where n > 1021
// (u^2 > 1021.5, d1^2 / 2 > 708.0: densities below 2^-1021.5, 3e-308) the
// density is flushed to zero by a compare and a masked move, which also
// discards whatever a huge u made of the polynomial (the exact path keeps
// subnormals).
//
// Error of one term (u53 = 2^-53; measured in FoldedProfileTests):
//   |u^ - u| <= du ~ u53 (2 |a x| + 3 |b| + |u|) + u53 (|a x| + |kappa ln(S_ref/K) / v|)
//     (a, b, x each rounded about once or twice; the FMA; b's cancellation)
//   relative error <= 2 ln2 |u| du + 3.4e-16 + 4 u53
//     (+ ln2 u^2 u53 where multiplyAdd is not fused: u^2 - n then rounds the square)
// and since |u| 2^(-u^2) <= 0.52, a term's absolute error is below
// |W| (0.72 du + 8e-16). du grows with |a x| = |kappa ln(S/S_ref)| / v: for a
// 0DTE option one minute from expiry at 8% vol and a spot 20% from S_ref,
// |a x| is about 1,500 and du up to about 5e-13. Measured (FoldedProfileTests,
// error of the GEX/DEX/VEX profile over sum|terms|, unfused / fused builds):
// SPX-like books of 7 to 2,001 options 1.3e-15 / 1.2e-15 at worst (2.5e-13 /
// 2.3e-13 for a single option, where sum|terms| is that one term); 0DTE books
// 1 minute from expiry at spots up to +-20% 8.9e-15 / 3.6e-15; 2^(-u^2)
// itself within 7e-16 relative of the platform exp2. The tests pin 1e-12,
// the tolerance of the exact path's own tests.

/// The standard-library lane operations the folded kernel needs beyond ``_Lanes``.
@usableFromInline
protocol _FoldedLanes: _Lanes {
    /// `x > limit ? 0 : y` in every lane, bitwise (`y` may be NaN or
    /// infinite where `x > limit`): a compare and a masked move.
    static func zeroing(_ y: Self, where x: Self, exceeds limit: Double) -> Self
    /// `p 2^-n` for `p` in [0.7, 1.5) and the integer `0 <= n <= 1021` held in
    /// the low bits of `shifted` (`shifted = y + 1.5 * 2^52`, `y` rounded to
    /// `n`), by subtracting `n` from the exponent bits (exact: the result is normal).
    static func scaledDown(_ p: Self, shifted: Self) -> Self
}

extension Double: _FoldedLanes {
    @inlinable @inline(__always) static func zeroing(_ y: Double, where x: Double, exceeds limit: Double) -> Double {
        x > limit ? 0 : y
    }
    @inlinable @inline(__always) static func scaledDown(_ p: Double, shifted: Double) -> Double {
        Double(bitPattern: p.bitPattern &- (shifted.bitPattern &<< 52))
    }
}

extension SIMD8: _FoldedLanes where Scalar == Double {
    @inlinable @inline(__always) static func zeroing(_ y: Self, where x: Self, exceeds limit: Double) -> Self {
        y.replacing(with: 0, where: x .> Self(repeating: limit))
    }
    @inlinable @inline(__always) static func scaledDown(_ p: Self, shifted: Self) -> Self {
        Self(laneBits: p.laneBits &- (shifted.laneBits &<< 52))
    }
}

/// sqrt(log2(e) / 2): `u = kappa d1` makes `2^(-u^2) = e^(-d1^2 / 2)`.
@usableFromInline let _foldKappa = 0.849_321_800_288_019_1
/// 1 / sqrt(log2 e): `d1 / sqrt 2 = u / sqrt(log2 e)`.
@usableFromInline let _foldInvSqrtLog2e = 0.832_554_611_157_697_8

/// `2^(-u^2)` (that is `e^(-d1^2 / 2)` for `u = kappa d1`) and `u`, for
/// `u = a x + b`: one or eight options at one spot offset `x`. See the file
/// comment for the method and its error (about 3 ulps for an exact `u`).
@inlinable @inline(__always)
func _foldedDensity<V: _FoldedLanes>(a: V, b: V, x: V) -> (density: V, u: V) {
    let shifter = V.splat(_expShifter)  // 1.5 * 2^52
    let u = V.multiplyAdd(a, x, b)
    let k = V.multiplyAdd(u, u, shifter)
    let negN = shifter - k
    let r = V.multiplyAdd(u, u, negN)
    let r2 = r * r
    var pe = V.splat(7.037272078577624e-09)
    pe = V.multiplyAdd(pe, r2, .splat(1.3215662974763798e-06))
    pe = V.multiplyAdd(pe, r2, .splat(0.0001540352996061352))
    pe = V.multiplyAdd(pe, r2, .splat(0.009618129108035242))
    pe = V.multiplyAdd(pe, r2, .splat(0.24022650695908765))
    pe = V.multiplyAdd(pe, r2, .splat(1.0))
    var po = V.splat(-1.0208550040861103e-07)
    po = V.multiplyAdd(po, r2, .splat(-1.5252658056269577e-05))
    po = V.multiplyAdd(po, r2, .splat(-0.001333355822865956))
    po = V.multiplyAdd(po, r2, .splat(-0.055504108664458256))
    po = V.multiplyAdd(po, r2, .splat(-0.6931471805599498))
    let p = V.multiplyAdd(po, r, pe)
    // n > 1021 (u^2 > 1021.5): below 2^-1021.5, flushed (also any inf or NaN of a huge u).
    return (V.zeroing(V.scaledDown(p, shifted: k), where: k, exceeds: _expShifter + 1021), u)
}

/// `erfc(-phi d1 / sqrt 2)` given `u = kappa d1` and `e^(-d1^2 / 2)`:
/// `_erfc` with the folded density standing in for its exp(-z^2). `2 N(phi d1)`.
@inlinable @inline(__always)
func _foldedErfc<V: _FoldedLanes>(phi: V, u: V, density e: V) -> V {
    _erfc(-(phi * u) * .splat(_foldInvSqrtLog2e)) { _ in e }
}

/// Pointers to the folded per-option columns (and the prepared `phi`).
struct _FoldedPointers: @unchecked Sendable {
    let a, b, c, phi: UnsafePointer<Double>
}

/// The folded columns `a`, `b`, `c` of a prepared chain around one
/// reference spot; immutable after `init`, so safe to share across threads.
final class _FoldedColumns: @unchecked Sendable {
    let count: Int
    let prepared: _PreparedColumns
    /// ln S_ref as a double-double.
    let lnReference: (hi: Double, lo: Double)
    private let storage: UnsafeMutablePointer<Double>
    let pointers: _FoldedPointers

    /// Folds `prepared` around `referenceSpot` (index points, finite and
    /// positive). Degenerate options get `a = b = c = 0`; their weights must be zero.
    init(_ prepared: _PreparedColumns, referenceSpot: Double) {
        precondition(referenceSpot.isFinite && referenceSpot > 0, "_FoldedColumns: reference spot must be positive")
        let n = prepared.count
        count = n
        self.prepared = prepared
        let ref = _splitLog(referenceSpot)
        lnReference = ref
        let width = max(n, 1)
        storage = .allocate(capacity: 3 * width)
        storage.initialize(repeating: 0, count: 3 * width)
        let (a, b, c) = (storage, storage + width, storage + 2 * width)
        pointers = _FoldedPointers(
            a: UnsafePointer(a), b: UnsafePointer(b), c: UnsafePointer(c), phi: prepared.pointers.phi)
        let p = prepared.pointers
        for i in 0..<n {
            let x = (ref.hi - p.lnHi[i]) + (ref.lo - p.lnLo[i])
            a[i] = p.invV[i] * _foldKappa
            b[i] = (x * p.invV[i] + p.drift[i]) * _foldKappa
            c[i] = p.v[i] * _foldKappa
        }
        for i in prepared.degenerate { (a[i], b[i], c[i]) = (0, 0, 0) }
    }

    deinit { storage.deallocate() }

    /// `ln(S / S_ref)` for every spot, from double-double logs (error about u |x|).
    func offsets(_ spots: [Double]) -> [Double] {
        spots.map { S in
            let l = _splitLog(S)
            return (l.hi - lnReference.hi) + (l.lo - lnReference.lo)
        }
    }

    /// The `k` position-weight columns `w` (`count` each) times each
    /// block's factor (``_GridGreeks/order``): `W_g`, `W_d`, `W_v` of the
    /// file comment. Layout `(b * k + j) * count + i`.
    func weights(_ w: UnsafePointer<Double>, k: Int, greeks: _GridGreeks) -> [Double] {
        let n = count
        let p = prepared.pointers
        let blocks = _GridGreeks.order.filter { greeks.contains($0) }
        var out = [Double](repeating: 0, count: blocks.count * k * n)
        let vannaFactor = 0.469_718_639_349_825_66  // 1 / (sqrt(2 pi) kappa)
        for (bi, block) in blocks.enumerated() {
            for j in 0..<k {
                let base = (bi * k + j) * n
                for i in 0..<n {
                    let f: Double
                    switch block {
                    case .gamma: f = p.gammaCoef[i] * _invSqrt2Pi
                    case .delta: f = p.phi[i] * p.dq[i] * 0.5
                    default: f = -p.vannaCoef[i] * vannaFactor
                    }
                    out[base + i] = w[j * n + i] * f
                }
            }
        }
        for i in prepared.degenerate { for r in 0..<(blocks.count * k) { out[r * n + i] = 0 } }
        return out
    }

    /// `out[s] = sum_i W[i] e^(-t_i(x_s)^2)` for every offset, four spots
    /// per pass over the options (each option's `a`, `b`, `W` loaded once
    /// for four spots; four accumulator chains); spots split across
    /// `threads` workers.
    func densitySums(offsets x: [Double], weights W: UnsafePointer<Double>, threads: Int) -> [Double] {
        guard count > 0 else { return [Double](repeating: 0, count: x.count) }
        let f = pointers
        let n = count
        let w = _SharedPointers(weights: W)
        return _perSpot(x, threads: threads) { range, x, out in
            var s = range.lowerBound
            while s + 4 <= range.upperBound {
                (out[s], out[s + 1], out[s + 2], out[s + 3]) = _foldedDensitySums4(
                    f, w.weights, count: n, x: (x[s], x[s + 1], x[s + 2], x[s + 3]))
                s += 4
            }
            while s < range.upperBound {
                out[s] = _foldedDensitySum(f, w.weights, count: n, x: x[s])
                s += 1
            }
        }
    }
}

/// `sum_i W[i] e^(-(a_i x_s + b_i)^2)` at four spot offsets at once.
@inline(__always)
func _foldedDensitySums4(
    _ f: _FoldedPointers, _ W: UnsafePointer<Double>, count n: Int, x: (Double, Double, Double, Double)
) -> (Double, Double, Double, Double) {
    let (x0, x1, x2, x3) = (
        _Vector(repeating: x.0), _Vector(repeating: x.1), _Vector(repeating: x.2), _Vector(repeating: x.3)
    )
    var (c0, c1, c2, c3) = (_Vector(repeating: 0), _Vector(repeating: 0), _Vector(repeating: 0), _Vector(repeating: 0))
    var i = 0
    while i + 8 <= n {
        let a = _load(f.a, i)
        let b = _load(f.b, i)
        let w = _load(W, i)
        c0 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x0).density, c0)
        c1 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x1).density, c1)
        c2 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x2).density, c2)
        c3 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x3).density, c3)
        i += 8
    }
    var (t0, t1, t2, t3) = (0.0, 0.0, 0.0, 0.0)
    while i < n {
        let (a, b, w) = (f.a[i], f.b[i], W[i])
        t0 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x.0).density, t0)
        t1 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x.1).density, t1)
        t2 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x.2).density, t2)
        t3 = .multiplyAdd(w, _foldedDensity(a: a, b: b, x: x.3).density, t3)
        i += 1
    }
    return (c0.sum() + t0, c1.sum() + t1, c2.sum() + t2, c3.sum() + t3)
}

/// `sum_i W[i] e^(-(a_i x + b_i)^2)` at one spot offset.
@inline(__always)
func _foldedDensitySum(_ f: _FoldedPointers, _ W: UnsafePointer<Double>, count n: Int, x: Double) -> Double {
    let xv = _Vector(repeating: x)
    var c = _Vector(repeating: 0)
    var i = 0
    while i + 8 <= n {
        c = .multiplyAdd(_load(W, i), _foldedDensity(a: _load(f.a, i), b: _load(f.b, i), x: xv).density, c)
        i += 8
    }
    var t = 0.0
    while i < n {
        t = .multiplyAdd(W[i], _foldedDensity(a: f.a[i], b: f.b[i], x: x).density, t)
        i += 1
    }
    return c.sum() + t
}

extension _FoldedColumns {
    /// The folded twin of `_PreparedColumns.gridSums`: for every spot `s`
    /// and weight vector `j`, `out[(b * k + j) * m + s]` is the dealer sum of
    /// block `b` (gamma per index point, delta, vanna per 1.00 of vol) with the
    /// position weights `w` (`k` columns of `count`; zero on degenerate options).
    func gridSums(
        spots: [Double], weights w: UnsafePointer<Double>, k: Int, greeks: _GridGreeks, threads: Int
    ) -> [Double] {
        let n = count
        let f = pointers
        let folded = weights(w, k: k, greeks: greeks)
        let x = offsets(spots)
        // Rows of the folded weights for each block (-1: not computed), as `_gridSumsDriver` numbers them.
        let blocks = _GridGreeks.order.filter { greeks.contains($0) }.count
        let gB = greeks.contains(.gamma) ? 0 : -1
        let dB = greeks.contains(.delta) ? gB + 1 : -1
        let vB = greeks.contains(.vanna) ? blocks - 1 : -1
        return folded.withUnsafeBufferPointer { wb in
            let W = _SharedPointers(weights: wb.baseAddress!)
            return _gridSumsDriver(
                spots: spots, n: n, k: k, greeks: greeks, threads: threads,
                vectorStep: { s, i, acc in
                    _foldedGridStep(
                        { _load($0, i) }, f, W.weights, n: n, k: k, x: _Vector(repeating: x[s]),
                        rows: (gB, dB, vB), into: acc)
                },
                scalarStep: { s, i, tail in
                    _foldedGridStep({ $0[i] }, f, W.weights, n: n, k: k, x: x[s], rows: (gB, dB, vB), into: tail)
                })
        }
    }
}

/// One step (one or eight options at one spot offset `x`) of the folded
/// grid sums: adds `W_b,j e^(-t^2)` (gamma), `W_d,j erfc(-phi t)` (delta) and
/// `W_v,j e^(-t^2) (t - c)` (vanna) into `acc[j]`, `acc[k + j]`, `acc[2k + j]`.
@inline(__always)
func _foldedGridStep<V: _FoldedLanes>(
    _ load: (UnsafePointer<Double>) -> V, _ f: _FoldedPointers, _ W: UnsafePointer<Double>, n: Int, k: Int, x: V,
    rows: (gamma: Int, delta: Int, vanna: Int),
    into acc: UnsafeMutablePointer<V>
) {
    let (e, u) = _foldedDensity(a: load(f.a), b: load(f.b), x: x)
    if rows.gamma >= 0 {
        for j in 0..<k { acc[j] = .multiplyAdd(load(W + (rows.gamma * k + j) * n), e, acc[j]) }
    }
    if rows.delta >= 0 {
        let d = _foldedErfc(phi: load(f.phi), u: u, density: e)
        for j in 0..<k { acc[k + j] = .multiplyAdd(load(W + (rows.delta * k + j) * n), d, acc[k + j]) }
    }
    if rows.vanna >= 0 {
        let ev = e * (u - load(f.c))
        for j in 0..<k { acc[2 * k + j] = .multiplyAdd(load(W + (rows.vanna * k + j) * n), ev, acc[2 * k + j]) }
    }
}

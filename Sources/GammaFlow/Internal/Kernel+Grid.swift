// Grid kernels over a prepared chain (`_PreparedColumns`): dealer sums of
// gamma, delta and vanna at many spots, without materialising per-option
// Greeks (the fused path), or as a Greek matrix (grid x options) for a BLAS
// GEMM against several position vectors (the GEMM path).
//
// Per option and spot, with the invariants of `Kernel+Prepared.swift`:
//   d1    = ((ln S_hi - ln K_hi) + (ln S_lo - ln K_lo)) / v + drift
//   gamma = n(d1) e^-qT / (v S)           (gammaCoef = e^-qT / v, / S applied per spot)
//   vanna = -n(d1) (d1 - v) e^-qT / sigma  (vannaCoef = e^-qT / sigma)
//   delta = phi e^-qT N(phi d1)
// One exp per option for gamma and vanna; delta adds one normal CDF.
//
// Degenerate options (expired, or sigma sqrt T < 1e-12) must carry zero
// weight here; callers add them through the scalar reference.

/// Which dealer sums a grid pass computes.
struct _GridGreeks: OptionSet, Sendable {
    let rawValue: UInt8
    static let gamma = _GridGreeks(rawValue: 1)
    static let delta = _GridGreeks(rawValue: 2)
    static let vanna = _GridGreeks(rawValue: 4)
    static let all: _GridGreeks = [.gamma, .delta, .vanna]
    /// The order of the blocks in every output: gamma, delta, vanna.
    static let order: [_GridGreeks] = [.gamma, .delta, .vanna]
}

/// The Greeks of one or eight options at one spot (gamma without the 1/S factor).
@inline(__always)
func _gridBody<V: _Lanes>(
    _ load: (UnsafePointer<Double>) -> V, _ c: _PreparedPointers, lnSHi: Double, lnSLo: Double, wantDelta: Bool
) -> (gammaTimesS: V, delta: V, vanna: V) {
    let x = (V.splat(lnSHi) - load(c.lnHi)) + (V.splat(lnSLo) - load(c.lnLo))
    let v = load(c.v)
    let d1 = x * load(c.invV) + load(c.drift)
    let pdf = _normalDensity(d1)
    let g = pdf * load(c.gammaCoef)
    let vanna = -pdf * (d1 - v) * load(c.vannaCoef)
    var delta = V.splat(0)
    if wantDelta {
        let phi = load(c.phi)
        delta = phi * load(c.dq) * _normalCDF(phi * d1)
    }
    return (g, delta, vanna)
}

extension _PreparedColumns {
    /// `sum_i w[i] gamma_i(S)` (per index point), one pass, one thread. The
    /// inner loop of zero-gamma root finding.
    func weightedGamma(spot S: Double, weights w: UnsafePointer<Double>) -> Double {
        let (lnSHi, lnSLo) = _splitLog(S)
        return _gammaSum(pointers, w, count: count, lnSHi: lnSHi, lnSLo: lnSLo) / S
    }

    /// `out[s] = sum_i w[i] gamma_i(spots[s])` (per index point): the
    /// gamma-only fused pass, spots split across `threads` workers.
    func gammaSums(
        spots: [Double], weights w: UnsafePointer<Double>, threads: Int
    ) -> [Double] {
        guard count > 0 else { return [Double](repeating: 0, count: spots.count) }
        let c = pointers
        let n = count
        let shared = _SharedPointers(weights: w)
        return _perSpot(spots, threads: threads) { range, spots, out in
            for s in range {
                let S = spots[s]
                let (lnSHi, lnSLo) = _splitLog(S)
                out[s] = _gammaSum(c, shared.weights, count: n, lnSHi: lnSHi, lnSLo: lnSLo) / S
            }
        }
    }

    /// The fused path: for every spot `s` and weight vector `j`, the sums
    /// `out[(b * k + j) * m + s] = sum_i w[j * n + i] greek_b,i(S_s)` where
    /// `b` runs over the selected blocks in ``_GridGreeks/order``.
    /// - Parameters: `weights` holds `k` columns of `count` values each.
    func gridSums(
        spots: [Double], weights: UnsafePointer<Double>, k: Int, greeks: _GridGreeks, threads: Int
    ) -> [Double] {
        let c = pointers
        let n = count
        let w = _SharedPointers(weights: weights)
        let logs = spots.map { _splitLog($0) }
        let wantDelta = greeks.contains(.delta)
        return _gridSumsDriver(
            spots: spots, n: n, k: k, greeks: greeks, threads: threads,
            vectorStep: { s, i, acc in
                let g: (gammaTimesS: _Vector, delta: _Vector, vanna: _Vector) = _gridBody(
                    { _load($0, i) }, c, lnSHi: logs[s].hi, lnSLo: logs[s].lo, wantDelta: wantDelta)
                for j in 0..<k {
                    let wj = _load(w.weights + j * n, i)
                    acc[j] += wj * g.gammaTimesS
                    acc[k + j] += wj * g.delta
                    acc[2 * k + j] += wj * g.vanna
                }
            },
            scalarStep: { s, i, tail in
                let g: (gammaTimesS: Double, delta: Double, vanna: Double) = _gridBody(
                    { $0[i] }, c, lnSHi: logs[s].hi, lnSLo: logs[s].lo, wantDelta: wantDelta)
                for j in 0..<k {
                    let wj = w.weights[j * n + i]
                    tail[j] += wj * g.gammaTimesS
                    tail[k + j] += wj * g.delta
                    tail[2 * k + j] += wj * g.vanna
                }
            })
    }

    /// The GEMM path: fills `matrix` (row-major, `rows x count`) with one row
    /// per (block, spot) pair, row `b * spots.count + s`, then multiplies it
    /// by the `k` weight columns with BLAS. Returns the same layout as
    /// ``gridSums(spots:weights:k:greeks:threads:)``. Spots are processed in
    /// blocks of `blockSpots` so that the matrix stays in cache-sized pieces.
    func gridSumsGEMM(
        spots: [Double], weights: UnsafePointer<Double>, k: Int, greeks: _GridGreeks, threads: Int,
        blockSpots: Int = 16
    ) -> [Double] {
        let m = spots.count
        let selected = _GridGreeks.order.filter { greeks.contains($0) }
        let blocks = selected.count
        var out = [Double](repeating: 0, count: blocks * k * m)
        guard m > 0, k > 0, count > 0 else { return out }
        let n = count
        let c = pointers
        let wantDelta = greeks.contains(.delta)
        let bs = max(1, min(blockSpots, m))
        let rowsPerBlock = blocks * bs
        let matrix = UnsafeMutablePointer<Double>.allocate(capacity: rowsPerBlock * n)
        let product = UnsafeMutablePointer<Double>.allocate(capacity: rowsPerBlock * k)
        defer {
            matrix.deallocate()
            product.deallocate()
        }
        let mat = _SharedOutput(base: matrix)
        var start = 0
        while start < m {
            let count = min(bs, m - start)
            let first = start
            // Fill: row (b * count + s) holds greek b at spot first + s.
            spots.withUnsafeBufferPointer { sb in
                let sp = _SharedPointers(weights: sb.baseAddress!)
                _parallelChunks(count: count, threads: threads) { range in
                    for s in range {
                        let S = sp.weights[first + s]
                        let (lnSHi, lnSLo) = _splitLog(S)
                        let invS = 1 / S
                        let rows = selected.indices.map { mat.base + ($0 * count + s) * n }
                        var i = 0
                        while i + 8 <= n {
                            let g: (gammaTimesS: _Vector, delta: _Vector, vanna: _Vector) = _gridBody(
                                { _load($0, i) }, c, lnSHi: lnSHi, lnSLo: lnSLo, wantDelta: wantDelta)
                            for (r, b) in selected.enumerated() {
                                let value: _Vector =
                                    b == .gamma
                                    ? g.gammaTimesS * _Vector(repeating: invS) : (b == .delta ? g.delta : g.vanna)
                                UnsafeMutableRawPointer(rows[r] + i).storeBytes(of: value, as: _Vector.self)
                            }
                            i += 8
                        }
                        while i < n {
                            let g: (gammaTimesS: Double, delta: Double, vanna: Double) = _gridBody(
                                { $0[i] }, c, lnSHi: lnSHi, lnSLo: lnSLo, wantDelta: wantDelta)
                            for (r, b) in selected.enumerated() {
                                rows[r][i] = b == .gamma ? g.gammaTimesS * invS : (b == .delta ? g.delta : g.vanna)
                            }
                            i += 1
                        }
                    }
                }
            }
            let rows = blocks * count
            _LinearAlgebra.multiplyTransposedB(
                matrix, weights, into: product, rows: rows, inner: n, columns: k)
            for b in 0..<blocks {
                for s in 0..<count {
                    for j in 0..<k {
                        out[(b * k + j) * m + first + s] = product[(b * count + s) * k + j]
                    }
                }
            }
            start += count
        }
        return out
    }
}

/// `n(d1) e^-qT / v` (gamma times S) for one or eight options at `i`, with
/// `d1 = ((ln S_hi - ln K_hi) + (ln S_lo - ln K_lo)) / v + drift`, the
/// division replaced by the precomputed `1 / v`.
@inline(__always)
func _gammaTimesS<V: _Lanes>(
    _ load: (UnsafePointer<Double>) -> V, _ c: _PreparedPointers, lnSHi: Double, lnSLo: Double
) -> V {
    let x = (V.splat(lnSHi) - load(c.lnHi)) + (V.splat(lnSLo) - load(c.lnLo))
    let d1 = x * load(c.invV) + load(c.drift)
    return _normalDensity(d1) * load(c.gammaCoef)
}

/// `sum_i w[i] n(d1_i) e^-qT / v_i` over `count` options: sixteen options
/// per step in two independent vector chains (the polynomial of `exp` is a
/// long dependency chain; two in flight keep the FMA units busy), then eight,
/// then the scalar twin on the tail.
@inline(__always)
func _gammaSum(
    _ c: _PreparedPointers, _ w: UnsafePointer<Double>, count n: Int, lnSHi: Double, lnSLo: Double
) -> Double {
    var acc0 = _Vector(repeating: 0)
    var acc1 = _Vector(repeating: 0)
    var i = 0
    while i + 16 <= n {
        let j = i + 8
        let a: _Vector = _gammaTimesS({ _load($0, i) }, c, lnSHi: lnSHi, lnSLo: lnSLo)
        let b: _Vector = _gammaTimesS({ _load($0, j) }, c, lnSHi: lnSHi, lnSLo: lnSLo)
        acc0 += _load(w, i) * a
        acc1 += _load(w, j) * b
        i += 16
    }
    if i + 8 <= n {
        let a: _Vector = _gammaTimesS({ _load($0, i) }, c, lnSHi: lnSHi, lnSLo: lnSLo)
        acc0 += _load(w, i) * a
        i += 8
    }
    var tail = 0.0
    while i < n {
        let g: Double = _gammaTimesS({ $0[i] }, c, lnSHi: lnSHi, lnSLo: lnSLo)
        tail += w[i] * g
        i += 1
    }
    return (acc0 + acc1).sum() + tail
}

/// The per-spot loop shared by the fused and folded grid sums: spots split
/// across `threads` workers, and for each spot the `n` options in steps of
/// eight (`vectorStep` into `3k` vector accumulators) and the scalar tail
/// (`scalarStep` into `3k` scalar ones), then per weight vector `j` the
/// lanes folded into `out[(b * k + j) * m + s]` for each selected block `b`
/// of ``_GridGreeks/order``. Accumulator rows: gamma `j` (per index point
/// times S: divided by the spot here), delta `k + j`, vanna `2k + j`.
@inline(__always)
func _gridSumsDriver(
    spots: [Double], n: Int, k: Int, greeks: _GridGreeks, threads: Int,
    vectorStep: @escaping @Sendable (_ spot: Int, _ option: Int, _ acc: UnsafeMutablePointer<_Vector>) -> Void,
    scalarStep: @escaping @Sendable (_ spot: Int, _ option: Int, _ tail: UnsafeMutablePointer<Double>) -> Void
) -> [Double] {
    let m = spots.count
    let blocks = _GridGreeks.order.filter { greeks.contains($0) }.count
    var out = [Double](repeating: 0, count: blocks * k * m)
    guard m > 0, k > 0, n > 0 else { return out }
    // Output block of each Greek, -1 when not selected.
    let gB = greeks.contains(.gamma) ? 0 : -1
    let dB = greeks.contains(.delta) ? gB + 1 : -1
    let vB = greeks.contains(.vanna) ? blocks - 1 : -1
    out.withUnsafeMutableBufferPointer { ob in
        let o = _SharedOutput(base: ob.baseAddress!)
        _parallelChunks(count: m, threads: threads) { range in
            let acc = UnsafeMutablePointer<_Vector>.allocate(capacity: 3 * k)
            let tail = UnsafeMutablePointer<Double>.allocate(capacity: 3 * k)
            defer {
                acc.deallocate()
                tail.deallocate()
            }
            for s in range {
                acc.initialize(repeating: _Vector(repeating: 0), count: 3 * k)
                tail.initialize(repeating: 0, count: 3 * k)
                var i = 0
                while i + 8 <= n {
                    vectorStep(s, i, acc)
                    i += 8
                }
                while i < n {
                    scalarStep(s, i, tail)
                    i += 1
                }
                for j in 0..<k {
                    if gB >= 0 { o.base[(gB * k + j) * m + s] = (acc[j].sum() + tail[j]) / spots[s] }
                    if dB >= 0 { o.base[(dB * k + j) * m + s] = acc[k + j].sum() + tail[k + j] }
                    if vB >= 0 { o.base[(vB * k + j) * m + s] = acc[2 * k + j].sum() + tail[2 * k + j] }
                }
            }
        }
    }
    return out
}

/// Read-only pointers handed to worker threads.
struct _SharedPointers: @unchecked Sendable {
    let weights: UnsafePointer<Double>
}

/// A pointer to disjoint output rows written by worker threads.
struct _SharedOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

/// One result per value of `values` (spots or spot offsets):
/// `fill(range, values, out)` writes `out[s]` for `s` in `range`, over chunks
/// of `0..<values.count` on `threads` workers (disjoint ranges).
func _perSpot(
    _ values: [Double], threads: Int,
    _ fill: @Sendable (Range<Int>, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
) -> [Double] {
    var out = [Double](repeating: 0, count: values.count)
    guard !values.isEmpty else { return out }
    out.withUnsafeMutableBufferPointer { ob in
        let o = _SharedOutput(base: ob.baseAddress!)
        values.withUnsafeBufferPointer { vb in
            let v = _SharedPointers(weights: vb.baseAddress!)
            _parallelChunks(count: values.count, threads: threads) { range in fill(range, v.weights, o.base) }
        }
    }
    return out
}

// The re-evaluation kernel behind `GreeksEvaluator`: per-contract invariants
// are computed once; each evaluation at a new spot costs one exp per option
// for gamma and vanna (plus two normal CDFs for price, delta, theta, charm).
//
//   d1 = ((ln S_hi - ln K_hi) + (ln S_lo - ln K_lo)) / v + drift,
//   drift = (r - q) T / v + v / 2,
// where ln K = ln K_hi + ln K_lo is ln K in double-double (`_splitLog`, about
// 2^-100 relative), so that ln S - ln K is as accurate as ln(S/K) computed
// directly, even for a one-second option whose v = sigma sqrt T is 1e-6.

/// Column-major invariants in one allocation that this object owns; it is
/// immutable after `init`, so sharing it across threads is safe.
@usableFromInline
final class _PreparedColumns: @unchecked Sendable {
    let count: Int
    let rate: Double
    let dividendYield: Double
    /// Options that take the limit path (expired, or sigma sqrt T < 1e-12).
    let degenerate: [Int]
    private let storage: UnsafeMutablePointer<Double>
    let pointers: _PreparedPointers

    init(
        strikes: [Double], kinds: [OptionKind], years: [Double], vols: [Double], rate r: Double, dividendYield q: Double
    ) {
        let n = strikes.count
        count = n
        rate = r
        dividendYield = q
        let width = max(n, 1)
        storage = .allocate(capacity: _PreparedPointers.columnCount * width)
        // Every column of every option is written below (`prepare`), so no
        // zero fill; only the one padding slot of an empty chain is initialised.
        if n == 0 { storage.initialize(repeating: 0, count: _PreparedPointers.columnCount) }
        let c = _PreparedPointers(base: storage, stride: width)
        pointers = c
        for i in 0..<n {
            precondition(
                strikes[i].isFinite && strikes[i] >= .leastNormalMagnitude,
                "GreeksEvaluator: strike \(i) must be finite and positive (a normal double)")
            precondition(vols[i].isFinite && vols[i] > 0, "GreeksEvaluator: vol \(i) must be finite and positive")
            precondition(!years[i].isNaN, "GreeksEvaluator: years \(i) is NaN")
        }
        var degenerate: [Int] = []
        strikes.withUnsafeBufferPointer { K in
            kinds.withUnsafeBufferPointer { kinds in
                years.withUnsafeBufferPointer { T in
                    vols.withUnsafeBufferPointer { sigma in
                        guard let K = K.baseAddress, let kinds = kinds.baseAddress, let T = T.baseAddress,
                            let sigma = sigma.baseAddress
                        else { return }
                        var i = 0
                        while i + 8 <= n {
                            let mask = Self.prepare(
                                c, at: i, K: _load(K, i), phi: _loadPhi(kinds, i), T: _load(T, i),
                                sigma: _load(sigma, i), r: r, q: q
                            ) { UnsafeMutableRawPointer($1).storeBytes(of: $0, as: _Vector.self) }
                            if _Vector.any(mask) {
                                for j in 0..<8 where mask[j] != 0 { degenerate.append(i + j) }
                            }
                            i += 8
                        }
                        while i < n {
                            let isDegenerate = Self.prepare(
                                c, at: i, K: K[i], phi: kinds[i].phi, T: T[i], sigma: sigma[i], r: r, q: q
                            ) { $1.initialize(to: $0) }
                            if isDegenerate { degenerate.append(i) }
                            i += 1
                        }
                    }
                }
            }
        }
        self.degenerate = degenerate
    }

    deinit { storage.deallocate() }

    /// The invariants of one or eight options at offset `i`, written through
    /// `store(value, address)`; returns the lanes that take the limit path
    /// (expired, or sigma sqrt T below 1e-12). Those keep v = 1 and zero
    /// coefficients, so the vector pass yields finite zeros there and the
    /// limit pass overwrites them. `ln K` is the double-double
    /// `_splitLogLanes`, eight strikes at a time.
    @inline(__always)
    static func prepare<V: _Lanes>(
        _ c: _PreparedPointers, at i: Int, K: V, phi: V, T: V, sigma: V, r: Double, q: Double,
        store: (V, UnsafeMutablePointer<Double>) -> Void
    ) -> V.Mask {
        let s = T.laneSquareRoot()
        let v = sigma * s
        let degenerate = V.or(
            V.lanesLessOrEqual(T, .splat(0)), V.lanesLess(v, .splat(BlackScholes.vanishingTotalVol)))
        // Keep the garbage of degenerate lanes (T <= 0: sqrt of a negative) out of every column.
        func live(_ x: V, else fallback: Double) -> V { V.select(degenerate, .splat(fallback), x) }
        let safeT = live(T, else: 0)
        let safeV = live(v, else: 1)
        let dq = _exp(V.splat(-q) * safeT)
        let ln = _splitLogLanes(K)
        store(K, c.m(c.K) + i)
        store(phi, c.m(c.phi) + i)
        store(T, c.m(c.T) + i)
        store(sigma, c.m(c.sigma) + i)
        store(ln.hi, c.m(c.lnHi) + i)
        store(ln.lo, c.m(c.lnLo) + i)
        store(live(s, else: 0), c.m(c.sqrtT) + i)
        store(safeV, c.m(c.v) + i)
        store(V.splat(1) / safeV, c.m(c.invV) + i)
        store(live(dq, else: 1), c.m(c.dq) + i)
        store(live(_exp(V.splat(-r) * safeT), else: 1), c.m(c.dr) + i)
        store(live(V.splat(r - q) * safeT / safeV + V.splat(0.5) * safeV, else: 0), c.m(c.drift) + i)
        store(live(dq / safeV, else: 0), c.m(c.gammaCoef) + i)
        store(live(dq / sigma, else: 0), c.m(c.vannaCoef) + i)
        return degenerate
    }

    func evaluate(spot S: Double, selection: GreekSelection, threads: Int?, into out: inout ChainGreeks) {
        out.prepare(count: count, selection: selection)
        let flags = _KernelFlags(selection)
        let (lnSHi, lnSLo) = _splitLog(S)
        out._withOutputs { cols in
            _parallelChunks(count: count, threads: threads) { range in
                self.run(cols, range: range, S: S, lnSHi: lnSHi, lnSLo: lnSLo, flags: flags)
            }
            let c = pointers
            for i in degenerate {
                let kind: OptionKind = c.phi[i] > 0 ? .call : .put
                cols.store(
                    BlackScholes.greeks(
                        kind, spot: S, strike: c.K[i], years: c.T[i], vol: c.sigma[i], rate: rate,
                        dividendYield: dividendYield),
                    at: i)
            }
        }
    }

    /// The body for one or eight options at offset `i` of the columns.
    @inline(__always)
    func body<V: _Lanes>(
        _ load: (UnsafePointer<Double>) -> V, _ c: _PreparedPointers, S: Double, lnSHi: Double, lnSLo: Double,
        flags: _KernelFlags
    ) -> _GreekLanes<V> {
        let x = (V.splat(lnSHi) - load(c.lnHi)) + (V.splat(lnSLo) - load(c.lnLo))
        let v = load(c.v)
        let invV = load(c.invV)
        let d1 = x * invV + load(c.drift)
        let invS = V.splat(1 / S)
        if !flags.needsMore {
            // Gamma and vanna only: one exp and no division per option.
            var g = _GreekLanes<V>()
            let pdf = _normalDensity(d1)
            g.gamma = pdf * load(c.gammaCoef) * invS
            g.vanna = -pdf * (d1 - v) * load(c.vannaCoef)
            return g
        }
        let dq = load(c.dq)
        let pdf = _normalDensity(d1)
        return _greeksFromD1(
            S: .splat(S), K: load(c.K), phi: load(c.phi), T: load(c.T), sqrtT: load(c.sqrtT), sigma: load(c.sigma),
            v: v, invV: invV, invS: invS, d1: d1, dq: dq, dr: load(c.dr), dqPdf: dq * pdf, pdf: pdf, r: rate,
            q: dividendYield, flags: flags)
    }

    func run(_ out: _OutputColumns, range: Range<Int>, S: Double, lnSHi: Double, lnSLo: Double, flags: _KernelFlags) {
        let c = pointers
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let g: _GreekLanes<_Vector> = body({ _load($0, i) }, c, S: S, lnSHi: lnSHi, lnSLo: lnSLo, flags: flags)
            out.store(g, at: i)
            i += 8
        }
        while i < range.upperBound {
            let g: _GreekLanes<Double> = body({ $0[i] }, c, S: S, lnSHi: lnSHi, lnSLo: lnSLo, flags: flags)
            out.store(g, at: i)
            i += 1
        }
    }
}

/// Pointers to the columns of a `_PreparedColumns` allocation.
@usableFromInline
struct _PreparedPointers: @unchecked Sendable {
    static let columnCount = 14
    let K, phi, T, sqrtT, sigma, dq, dr, lnHi, lnLo, v, drift, gammaCoef, vannaCoef, invV: UnsafePointer<Double>

    init(base: UnsafeMutablePointer<Double>, stride n: Int) {
        func col(_ k: Int) -> UnsafePointer<Double> { UnsafePointer(base + k * n) }
        (K, phi, T, sqrtT, sigma, dq, dr) = (col(0), col(1), col(2), col(3), col(4), col(5), col(6))
        (lnHi, lnLo, v, drift, gammaCoef, vannaCoef) = (col(7), col(8), col(9), col(10), col(11), col(12))
        invV = col(13)
    }

    /// Write access during initialisation only.
    func m(_ p: UnsafePointer<Double>) -> UnsafeMutablePointer<Double> { UnsafeMutablePointer(mutating: p) }
}

// The from-scratch batch kernel: reads strike, kind, years and vol columns,
// writes the selected Greek columns. Eight options per step (sixteen for
// gamma and vanna alone, see `run`); the tail and every degenerate option
// (expired, or sigma sqrt T below 1e-12) go through the scalar path.

enum _FreshKernel {
    /// The from-scratch Greeks into fresh columns.
    static func evaluate(
        strikes: [Double], kinds: [OptionKind], years: [Double], vols: [Double], market: MarketParameters,
        selection: GreekSelection, threads: Int?
    ) -> ChainGreeks {
        var out = ChainGreeks()
        evaluate(
            strikes: strikes, kinds: kinds, years: years, vols: vols, market: market, selection: selection,
            threads: threads, into: &out)
        return out
    }

    static func evaluate(
        strikes: [Double], kinds: [OptionKind], years: [Double], vols: [Double], market: MarketParameters,
        selection: GreekSelection, threads: Int?, into out: inout ChainGreeks
    ) {
        let n = strikes.count
        precondition(kinds.count == n && years.count == n && vols.count == n, "greeks: columns must have equal lengths")
        out.prepare(count: n, selection: selection)
        let flags = _KernelFlags(selection)
        let (S, r, q) = (market.spot, market.rate, market.dividendYield)
        out._withOutputs { cols in
            strikes.withUnsafeBufferPointer { K in
                years.withUnsafeBufferPointer { T in
                    vols.withUnsafeBufferPointer { sigma in
                        kinds.withUnsafeBufferPointer { kinds in
                            let inputs = _FreshInputs(
                                K: K.baseAddress, T: T.baseAddress, sigma: sigma.baseAddress, kinds: kinds.baseAddress)
                            _parallelChunks(count: n, threads: threads) { range in
                                run(inputs, cols, range: range, S: S, r: r, q: q, flags: flags)
                            }
                        }
                    }
                }
            }
        }
    }

    struct _FreshInputs: @unchecked Sendable {
        let K, T, sigma: UnsafePointer<Double>?
        /// Call or put per option; phi = +1/-1 is read from it (`_loadPhi`)
        /// only when the selection needs N(phi d).
        let kinds: UnsafePointer<OptionKind>?
    }

    /// One chunk: vector body over whole groups of eight, scalar twin on the tail.
    @inline(__always)
    static func run(
        _ x: _FreshInputs, _ out: _OutputColumns, range: Range<Int>, S: Double, r: Double, q: Double,
        flags: _KernelFlags
    ) {
        guard let K = x.K, let T = x.T, let sigma = x.sigma, let kinds = x.kinds else { return }
        var i = range.lowerBound
        let Sv = _Vector(repeating: S)
        if !flags.needsMore {
            // Gamma and vanna: two groups of eight per step. The body is a
            // long dependency chain (ln(S/K) with its division, d1, the
            // exponential; sqrt T and 1/v beside it) with little other work,
            // so one group at a time leaves the core waiting on latency, as in
            // the implied-vol kernel; the branch-free body lets two groups
            // interleave in one basic block (tuned build, 100k options: 5.0 ->
            // 3.3 ns/option when the chain still had two divisions in series;
            // three groups measured slower, Docs/Performance.md finding 8).
            while i + 16 <= range.upperBound {
                let a = _freshGammaVanna(S: Sv, K: _load(K, i), T: _load(T, i), sigma: _load(sigma, i), r: r, q: q)
                let b = _freshGammaVanna(
                    S: Sv, K: _load(K, i + 8), T: _load(T, i + 8), sigma: _load(sigma, i + 8), r: r, q: q)
                out.storeGammaVanna(gamma: a.gamma, vanna: a.vanna, at: i)
                out.storeGammaVanna(gamma: b.gamma, vanna: b.vanna, at: i + 8)
                if _Vector.any(_Vector.or(a.degenerate, b.degenerate)) {
                    for j in 0..<16 where (j < 8 ? a.degenerate[j] : b.degenerate[j - 8]) != 0 {
                        storeLimit(out, at: i + j, K: K, T: T, sigma: sigma, kinds: kinds, S: S, r: r, q: q)
                    }
                }
                i += 16
            }
        }
        while i + 8 <= range.upperBound {
            let (g, degenerate) = _freshGreeks(
                S: Sv, K: _load(K, i), phi: flags.needsCDF ? _loadPhi(kinds, i) : .splat(1), T: _load(T, i),
                sigma: _load(sigma, i), r: r, q: q,
                flags: flags)
            out.store(g, at: i)
            if _Vector.any(degenerate) {
                for j in 0..<8 where degenerate[j] != 0 {
                    storeLimit(out, at: i + j, K: K, T: T, sigma: sigma, kinds: kinds, S: S, r: r, q: q)
                }
            }
            i += 8
        }
        while i < range.upperBound {
            scalarTwin(out, at: i, K: K, T: T, sigma: sigma, kinds: kinds, S: S, r: r, q: q, flags: flags)
            i += 1
        }
    }

    /// The scalar twin: the same body on one option.
    @inline(__always)
    static func scalarTwin(
        _ out: _OutputColumns, at i: Int, K: UnsafePointer<Double>, T: UnsafePointer<Double>,
        sigma: UnsafePointer<Double>, kinds: UnsafePointer<OptionKind>, S: Double,
        r: Double, q: Double, flags: _KernelFlags
    ) {
        let (g, degenerate) = _freshGreeks(
            S: S, K: K[i], phi: kinds[i].phi, T: T[i], sigma: sigma[i], r: r, q: q, flags: flags)
        if degenerate {
            storeLimit(out, at: i, K: K, T: T, sigma: sigma, kinds: kinds, S: S, r: r, q: q)
        } else {
            out.store(g, at: i)
        }
    }

    /// Expired or zero-vol options: the documented limits of the reference.
    static func storeLimit(
        _ out: _OutputColumns, at i: Int, K: UnsafePointer<Double>, T: UnsafePointer<Double>,
        sigma: UnsafePointer<Double>, kinds: UnsafePointer<OptionKind>, S: Double, r: Double, q: Double
    ) {
        out.store(
            BlackScholes.greeks(kinds[i], spot: S, strike: K[i], years: T[i], vol: sigma[i], rate: r, dividendYield: q),
            at: i)
    }
}

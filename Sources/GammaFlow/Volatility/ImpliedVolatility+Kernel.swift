// The batch loop of the implied-vol solver: sixteen options per SIMD step
// (two interleaved groups of eight), then one group of eight
// through `_impliedVolLanes`, the tail through the same body on `Double`,
// a bit-exact bisection as the safety net for the rare lane that comes out
// non-finite, and parallel chunks for large batches.

enum _IVKernel {
    /// How the forward and discount factor of each option are given.
    enum Underlying {
        case spot(Double, rate: Double, dividendYield: Double)
        case forwards([Double], discountFactors: [Double])
    }

    struct _Inputs: @unchecked Sendable {
        let price, strike, years, phi: UnsafePointer<Double>
        let forward, discount: UnsafePointer<Double>?
        let spot, rate, dividendYield: Double
        let vol: UnsafeMutablePointer<Double>
        let status: UnsafeMutablePointer<UInt8>
    }

    static func solve(
        prices: [Double], strikes: [Double], kinds: [OptionKind], years: [Double], underlying: Underlying,
        method: ImpliedVolatility.Method, threads: Int?
    ) -> ImpliedVolatilityResult {
        let n = prices.count
        var vols = [Double](repeating: 0, count: n)
        var codes = [UInt8](repeating: 0, count: n)
        let phi = kinds.map(\.phi)
        let (S, r, q, fwd, disc): (Double, Double, Double, [Double], [Double])
        switch underlying {
        case .spot(let s, let rate, let dividendYield): (S, r, q, fwd, disc) = (s, rate, dividendYield, [], [])
        case .forwards(let f, let d): (S, r, q, fwd, disc) = (1, 0, 0, f, d)
        }
        prices.withUnsafeBufferPointer { P in
            strikes.withUnsafeBufferPointer { K in
                years.withUnsafeBufferPointer { T in
                    phi.withUnsafeBufferPointer { phi in
                        fwd.withUnsafeBufferPointer { F in
                            disc.withUnsafeBufferPointer { D in
                                vols.withUnsafeMutableBufferPointer { out in
                                    codes.withUnsafeMutableBufferPointer { st in
                                        guard n > 0 else { return }
                                        let inputs = _Inputs(
                                            price: P.baseAddress!, strike: K.baseAddress!, years: T.baseAddress!,
                                            phi: phi.baseAddress!, forward: F.isEmpty ? nil : F.baseAddress,
                                            discount: D.isEmpty ? nil : D.baseAddress, spot: S, rate: r,
                                            dividendYield: q, vol: out.baseAddress!, status: st.baseAddress!)
                                        _parallelChunks(count: n, threads: threads) { range in
                                            switch method {
                                            case .letsBeRational: run(inputs, range: range)
                                            case .newtonBisection: runBaseline(inputs, range: range)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return ImpliedVolatilityResult(vols: vols, status: codes.map { IVStatus(rawValue: $0)! })
    }

    /// x = ln(F/K) and beta = price / (D sqrt(F K)) for one, eight or sixteen options.
    @inline(__always)
    static func normalise<V: _Lanes>(
        price: V, strike K: V, years T: V, forward: V?, discount: V?, spot: Double, rate: Double, dividendYield: Double
    ) -> (x: V, beta: V) {
        if let F = forward, let D = discount {
            return (_logRatio(F, K), price / (D * (F * K).laneSquareRoot()))
        }
        let S = V.splat(spot)
        let t = V.maximum(T, .splat(0))
        let x = _logRatio(S, K) + V.splat(rate - dividendYield) * t
        let beta = price * _exp(V.splat(0.5 * (rate + dividendYield)) * t) / (S * K).laneSquareRoot()
        return (x, beta)
    }

    /// One chunk: SIMD over whole groups of sixteen (two interleaved groups
    /// of eight), then at most one group of eight, the scalar twin on the tail.
    static func run(_ a: _Inputs, range: Range<Int>) {
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            @inline(__always) func load(_ p: UnsafePointer<Double>) -> _IVLanes16 {
                _IVLanes16(UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Double>.self))
            }
            let T = load(a.years)
            let (x, beta) = normalise(
                price: load(a.price), strike: load(a.strike), years: T, forward: a.forward.map { load($0) },
                discount: a.discount.map { load($0) }, spot: a.spot, rate: a.rate, dividendYield: a.dividendYield)
            let (vol, code) = _impliedVolLanes(beta: beta, x: x, phi: load(a.phi), years: T)
            UnsafeMutableRawPointer(a.vol + i).storeBytes(of: vol.v, as: SIMD16<Double>.self)
            for j in 0..<16 {
                a.status[i + j] = UInt8(code.v[j])
                if code.v[j] == _IVCode.ok && !(vol.v[j] > 0 && vol.v[j] < .infinity) {
                    repair(a, at: i + j, x: x.v[j], beta: beta.v[j])
                }
            }
            i += 16
        }
        while i + 8 <= range.upperBound {
            @inline(__always) func load(_ p: UnsafePointer<Double>) -> _IVLanes8 { _IVLanes8(_load(p, i)) }
            let T = load(a.years)
            let (x, beta) = normalise(
                price: load(a.price), strike: load(a.strike), years: T, forward: a.forward.map { load($0) },
                discount: a.discount.map { load($0) }, spot: a.spot, rate: a.rate, dividendYield: a.dividendYield)
            let (vol, code) = _impliedVolLanes(beta: beta, x: x, phi: load(a.phi), years: T)
            UnsafeMutableRawPointer(a.vol + i).storeBytes(of: vol.v, as: _Vector.self)
            for j in 0..<8 {
                a.status[i + j] = UInt8(code.v[j])
                if code.v[j] == _IVCode.ok && !(vol.v[j] > 0 && vol.v[j] < .infinity) {
                    repair(a, at: i + j, x: x.v[j], beta: beta.v[j])
                }
            }
            i += 8
        }
        while i < range.upperBound {
            scalarTwin(a, at: i)
            i += 1
        }
    }

    /// The same body on one option.
    static func scalarTwin(_ a: _Inputs, at i: Int) {
        let T = a.years[i]
        let (x, beta) = normalise(
            price: a.price[i], strike: a.strike[i], years: T, forward: a.forward?[i], discount: a.discount?[i],
            spot: a.spot, rate: a.rate, dividendYield: a.dividendYield)
        let (vol, code) = _impliedVolLanes(beta: beta, x: x, phi: a.phi[i], years: T)
        a.vol[i] = vol
        a.status[i] = UInt8(code)
        if code == _IVCode.ok && !(vol > 0 && vol < .infinity) { repair(a, at: i, x: x, beta: beta) }
    }

    /// The safety net: bisection on the bit patterns of s (at most 64
    /// halvings to adjacent doubles), monotone in s, never NaN.
    static func repair(_ a: _Inputs, at i: Int, x: Double, beta: Double) {
        let phi = a.phi[i]
        let ex = Double.exp(0.5 * x)
        let timeValue = beta - (phi * x > 0 ? phi * _twoSinhHalf(x, expHalf: ex) : 0)
        let xr = -Swift.abs(x)
        var lo = (1e-300).bitPattern
        var hi = (1e4).bitPattern
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if _normalisedBlack(x: xr, s: Double(bitPattern: mid)).b < timeValue { lo = mid } else { hi = mid }
        }
        a.vol[i] = Double(bitPattern: hi) / a.years[i].squareRoot()
    }
}

// The Black-Scholes-Merton kernel body, generic over lanes: the batch loop
// instantiates it with `SIMD8<Double>` and its scalar twin with `Double`.
// The expressions are those of `BlackScholes.greeks`, with every quotient
// rewritten as a product with `1/(sigma sqrt T)` and `1/S` (divisions were
// the kernels' bottleneck), so the batch kernel and the reference differ by
// the vector exp/log/normal functions and a few roundings; Docs/Accuracy.md
// has the measured bound.

/// The Greeks of one or eight options.
@usableFromInline
struct _GreekLanes<V: _Lanes> {
    @usableFromInline var price = V.splat(0)
    @usableFromInline var delta = V.splat(0)
    @usableFromInline var gamma = V.splat(0)
    @usableFromInline var vega = V.splat(0)
    @usableFromInline var theta = V.splat(0)
    @usableFromInline var vanna = V.splat(0)
    @usableFromInline var charm = V.splat(0)
    @usableFromInline var vomma = V.splat(0)
    @usableFromInline var speed = V.splat(0)
    @usableFromInline var zomma = V.splat(0)
    @usableFromInline var color = V.splat(0)
    @inlinable init() {}
}

/// What a kernel body needs besides the option's own inputs.
@usableFromInline
struct _KernelFlags: Sendable {
    @usableFromInline let selection: GreekSelection
    /// N(phi d1), N(phi d2) are needed (price, delta, theta, charm).
    @usableFromInline let needsCDF: Bool
    /// Anything beyond gamma and vanna.
    @usableFromInline let needsMore: Bool

    @inlinable init(_ selection: GreekSelection) {
        self.selection = selection
        self.needsCDF = !selection.isDisjoint(with: [.price, .delta, .theta, .charm])
        self.needsMore = !selection.isSubset(of: .gammaVanna)
    }
}

/// Everything after `d1`: the Greeks from the option's quantities.
/// - Parameters: `S` spot, `K` strike, `phi` +1/-1, `T` years, `sqrtT`,
///   `sigma`, `v = sigma sqrt T`, `invV = 1 / v`, `invS = 1 / S`, `d1`,
///   `dq = e^-qT`, `dr = e^-rT`, `dqPdf = e^-qT n(d1)`, `pdf = n(d1)`
///   (`dq`, `dr` and `pdf` are read only beyond gamma and vanna).
///
/// Divisions are the kernels' bottleneck (a 512-bit `vdivpd` issues every
/// several cycles), so every quotient goes through `invV` and `invS`:
/// `1/sigma = sqrt(T) invV`, `1/sqrt(T) = sigma invV`,
/// `1/(T v) = sigma^2 invV^3`.
@inlinable @inline(__always)
func _greeksFromD1<V: _Lanes>(
    S: V, K: V, phi: V, T: V, sqrtT: V, sigma: V, v: V, invV: V, invS: V, d1: V, dq: V, dr: V, dqPdf: V,
    pdf: V, r: Double, q: Double, flags: _KernelFlags
) -> _GreekLanes<V> {
    var g = _GreekLanes<V>()
    let sel = flags.selection
    let d2 = d1 - v
    let invSigma = sqrtT * invV
    let gamma = dqPdf * invV * invS
    g.gamma = gamma
    g.vanna = -dqPdf * d2 * invSigma
    guard flags.needsMore else { return g }
    let rv = V.splat(r)
    let qv = V.splat(q)
    let carry = V.splat(2) * (rv - qv) * T - d2 * v
    // 1 / (T v) = sigma^2 / v^3
    let invTV = sigma * sigma * invV * invV * invV
    if flags.needsCDF {
        // N(phi d1), N(phi d2) without exponentials of their own:
        // e^(-d1^2/2) = sqrt(2 pi) n(d1), and e^(-d2^2/2) from
        // S e^-qT n(d1) = K e^-rT n(d2) (d2 = d1 - v; one division instead of
        // an exponential, a few ulps, see `_normalCDF(_:gaussian:)`).
        let gaussian1 = V.splat(1 / _invSqrt2Pi) * pdf
        let gaussian2 = V.splat(1 / _invSqrt2Pi) * S * dqPdf / (K * dr)
        let cdf1 = _normalCDF(phi * d1, gaussian: gaussian1)
        let cdf2 = _normalCDF(phi * d2, gaussian: gaussian2)
        if sel.contains(.price) { g.price = phi * (S * dq * cdf1 - K * dr * cdf2) }
        if sel.contains(.delta) { g.delta = phi * dq * cdf1 }
        if sel.contains(.theta) {
            g.theta =
                V.splat(-0.5) * S * dqPdf * sigma * sigma * invV + phi * (qv * S * dq * cdf1 - rv * K * dr * cdf2)
        }
        if sel.contains(.charm) { g.charm = phi * qv * dq * cdf1 - V.splat(0.5) * dqPdf * carry * invTV }
    }
    let vega = S * dqPdf * sqrtT
    g.vega = vega
    if sel.contains(.vomma) { g.vomma = vega * d1 * d2 * invSigma }
    if sel.contains(.speed) { g.speed = -gamma * (d1 * invV + .splat(1)) * invS }
    if sel.contains(.zomma) { g.zomma = gamma * (d1 * d2 - .splat(1)) * invSigma }
    if sel.contains(.color) {
        g.color = V.splat(0.5) * dqPdf * invS * invTV * (V.splat(2) * qv * T + .splat(1) + d1 * carry * invV)
    }
    return g
}

/// The from-scratch inputs of the Greeks: `d1` from `ln(S/K)` (`_logRatio`:
/// one division, no rounding of `S/K`), `sqrt T`, `v = sigma sqrt T` and the reciprocals.
/// Lanes with `T <= 0` or `sigma sqrt T < 1e-12` are garbage and flagged in
/// `degenerate`; the caller replaces them with the limits. Branch-free.
@inlinable @inline(__always)
func _freshD1<V: _Lanes>(
    S: V, K: V, T: V, sigma: V, r: Double, q: Double
) -> (d1: V, sqrtT: V, v: V, invV: V, invS: V, degenerate: V.Mask) {
    let sqrtT = T.laneSquareRoot()
    let v = sigma * sqrtT
    let degenerate = V.or(V.lanesLessOrEqual(T, .splat(0)), V.lanesLess(v, .splat(BlackScholes.vanishingTotalVol)))
    let invS = V.splat(1) / S
    let invV = V.splat(1) / v
    let x = V.multiplyAdd(V.splat(r - q), T, _logRatio(S, K))
    let d1 = V.multiplyAdd(x, invV, V.splat(0.5) * v)
    return (d1, sqrtT, v, invV, invS, degenerate)
}

/// Gamma and vanna from scratch, branch-free, so that the batch loop can
/// interleave two groups of eight in one basic block (see `_FreshKernel`).
/// `e^-qT n(d1)` is one exponential, and the prefactors `1/(S v)` and
/// `(v - d1) sqrt(T) / v` join its power of two, so each Greek is one product
/// after the polynomial (`_discountedNormalDensity(_:logDiscount:times:_:)`).
/// The values `_freshGreeks` returns for the gamma-vanna selection (it calls
/// this) and within an ulp or two of `_greeksFromD1`'s.
@inlinable @inline(__always)
func _freshGammaVanna<V: _Lanes>(
    S: V, K: V, T: V, sigma: V, r: Double, q: Double
) -> (gamma: V, vanna: V, degenerate: V.Mask) {
    let (d1, sqrtT, v, invV, invS, degenerate) = _freshD1(S: S, K: K, T: T, sigma: sigma, r: r, q: q)
    let (gamma, vanna) = _discountedNormalDensity(
        d1, logDiscount: V.splat(-q) * T, times: invV * invS, (v - d1) * (sqrtT * invV))
    return (gamma, vanna, degenerate)
}

/// From scratch: `d1` (`_freshD1`), with `e^-qT`, `e^-rT` computed here.
/// Lanes flagged in `degenerate` are garbage (see `_freshD1`).
@inlinable @inline(__always)
func _freshGreeks<V: _Lanes>(
    S: V, K: V, phi: V, T: V, sigma: V, r: Double, q: Double, flags: _KernelFlags
) -> (greeks: _GreekLanes<V>, degenerate: V.Mask) {
    guard flags.needsMore else {
        var g = _GreekLanes<V>()
        let (gamma, vanna, degenerate) = _freshGammaVanna(S: S, K: K, T: T, sigma: sigma, r: r, q: q)
        g.gamma = gamma
        g.vanna = vanna
        return (g, degenerate)
    }
    let (d1, sqrtT, v, invV, invS, degenerate) = _freshD1(S: S, K: K, T: T, sigma: sigma, r: r, q: q)
    let dq = q == 0 ? V.splat(1) : _exp(V.splat(-q) * T)
    // e^-rT only enters price, theta and charm (through N(phi d2)).
    let dr = r == 0 || !flags.needsCDF ? V.splat(1) : _exp(V.splat(-r) * T)
    let pdf = _normalDensity(d1)
    let g = _greeksFromD1(
        S: S, K: K, phi: phi, T: T, sqrtT: sqrtT, sigma: sigma, v: v, invV: invV, invS: invS, d1: d1, dq: dq,
        dr: dr, dqPdf: dq * pdf, pdf: pdf, r: r, q: q, flags: flags)
    return (g, degenerate)
}

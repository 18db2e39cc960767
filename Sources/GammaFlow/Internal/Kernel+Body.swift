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
///   `dq = e^-qT`, `dr = e^-rT`.
///
/// Divisions are the kernels' bottleneck (a 512-bit `vdivpd` issues every
/// several cycles), so every quotient goes through `invV` and `invS`:
/// `1/sigma = sqrt(T) invV`, `1/sqrt(T) = sigma invV`,
/// `1/(T v) = sigma^2 invV^3`.
@inlinable @inline(__always)
func _greeksFromD1<V: _Lanes>(
    S: V, K: V, phi: V, T: V, sqrtT: V, sigma: V, v: V, invV: V, invS: V, d1: V, dq: V, dr: V, r: Double,
    q: Double, flags: _KernelFlags
) -> _GreekLanes<V> {
    var g = _GreekLanes<V>()
    let sel = flags.selection
    let d2 = d1 - v
    let pdf = _normalDensity(d1)
    let dqPdf = dq * pdf
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
        let cdf1 = _normalCDF(phi * d1)
        let cdf2 = _normalCDF(phi * d2)
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

/// From scratch: `d1` from `ln(S/K)` (corrected for the rounding of `S/K`), with `e^-qT`, `e^-rT` and `sqrt T`
/// computed here. Lanes with `T <= 0` or `sigma sqrt T < 1e-12` are garbage
/// and flagged in `degenerate`; the caller replaces them with the limits.
@inlinable @inline(__always)
func _freshGreeks<V: _Lanes>(
    S: V, K: V, phi: V, T: V, sigma: V, r: Double, q: Double, flags: _KernelFlags
) -> (greeks: _GreekLanes<V>, degenerate: V.Mask) {
    let sqrtT = T.squareRoot()
    let v = sigma * sqrtT
    let degenerate = V.or(V.lanesLessOrEqual(T, .splat(0)), V.lanesLess(v, .splat(BlackScholes.vanishingTotalVol)))
    let dq = q == 0 ? V.splat(1) : _exp(V.splat(-q) * T)
    // e^-rT only enters price, theta and charm (through N(phi d2)).
    let dr = r == 0 || !flags.needsCDF ? V.splat(1) : _exp(V.splat(-r) * T)
    let invS = V.splat(1) / S
    let invV = V.splat(1) / v
    let d1 = (_logRatio(S, K, reciprocalOfA: invS) + V.splat(r - q) * T) * invV + V.splat(0.5) * v
    let g = _greeksFromD1(
        S: S, K: K, phi: phi, T: T, sqrtT: sqrtT, sigma: sigma, v: v, invV: invV, invS: invS, d1: d1, dq: dq,
        dr: dr, r: r, q: q, flags: flags)
    return (g, degenerate)
}

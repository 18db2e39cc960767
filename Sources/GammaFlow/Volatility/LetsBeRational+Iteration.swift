// The Householder(3) iterations of "Let's Be Rational" (Jaeckel 2015,
// section 6) and the reduction of any option price to the normalised
// out-of-the-money call, for one or eight lanes.
//
// Each branch iterates on its own objective g(s), chosen so that g is
// nearly linear in s over the branch:
//   lower:   g = 1 / ln b(s) - 1 / ln beta
//   middle:  g = b(s) - beta
//   upper:   g = ln(b_max - beta) - ln(b_max - b(s))
// and the step is
// ```
// s' = s + nu (1 + h2 nu / 2) / (1 + nu (h2 + h3 nu / 6)),  nu = -g/g', h2 = g''/g', h3 = g'''/g'
// ```
// with, writing c2 = b''/b' = x^2/s^3 - s/4 and c3 = b'''/b' = c2^2 - 3 x^2/s^4 - 1/4,
//   middle: h2 = c2, h3 = c3;
//   lower (p = b'/b, l = 1/ln b): h2 = c2 - p (1 + 2 l),
//           h3 = c3 + p^2 (2 + 6 l + 6 l^2) - 3 c2 p (1 + 2 l);
//   upper (q = b'/(b_max - b)): h2 = c2 + q, h3 = c3 + 3 c2 q + 2 q^2.

/// Solves b(x, s) = beta for s, for x <= 0 and 0 < beta < e^(x/2).
/// Two Householder(3) steps after the initial guess; up to two more, only for
/// a lane whose last step was still large (see `_lbrFurtherStepThreshold`).
@inline(__always)
func _lbrSolveNormalised<V: _Lanes>(beta: V, x: V) -> V {
    let bMax = _exp(V.splat(0.5) * x)
    let (guess, branch, left, right) = _lbrInitialGuess(beta: beta, x: x, bMax: bMax)
    let lnBeta = V.select(branch.lower, _log(beta), .splat(-1))
    let gapBeta = bMax - beta
    var s = guess
    // Two steps for every lane; then up to two more, only for the lanes whose
    // last step was still large (per lane, so that a SIMD lane gives exactly
    // what the scalar twin gives for the same option).
    var active = V.lanesEqual(V.splat(0), V.splat(0))
    var pass = 0
    while pass < 2 || (pass < 4 && V.any(active)) {
        let ds = _householderStep(
            s: s, x: x, beta: beta, lnBeta: lnBeta, gapBeta: gapBeta, bMax: bMax, branch: branch)
        let next = V.minimum(V.maximum(s + ds, V.maximum(left, V.splat(0.0625) * s)), right)
        s = V.select(active, next, s)
        active = V.and(active, V.lanesLess(V.splat(_lbrFurtherStepThreshold) * s, ds.laneMagnitude))
        pass += 1
    }
    return s
}

/// A lane takes a third (and fourth) step only if its last step moved s by
/// more than this fraction of s. Householder(3) converges with order four:
/// a step of relative size d leaves an error of about C d^4, with C of order
/// one for these nearly linear objectives, so after a step below 2^-20
/// (9.5e-7) the error is far below an ulp. The earlier criterion (another
/// step while the last one exceeded 8 ulps) made nearly every lane take a
/// third step whose only effect was to confirm convergence (three
/// normalised-Black evaluations in the iteration instead of two).
let _lbrFurtherStepThreshold = 0x1p-20

/// One Householder(3) step for the objective of each lane's branch.
@inline(__always)
func _householderStep<V: _Lanes>(
    s: V, x: V, beta: V, lnBeta: V, gapBeta: V, bMax: V, branch: _LBRBranches<V>
) -> V {
    let (b, vega) = _normalisedBlack(x: x, s: s)
    let one = V.splat(1)
    let xx = x * x
    let invS = one / s
    let c2 = xx * invS * invS * invS - V.splat(0.25) * s
    let c3 = c2 * c2 - V.splat(3) * xx * invS * invS * invS * invS - V.splat(0.25)
    // Middle branch.
    var nu = (beta - b) / vega
    var h2 = c2
    var h3 = c3
    if V.any(branch.lower) {
        let lnB = _log(V.maximum(b, .splat(2.2250738585072014e-308)))
        let p = vega / b
        let l = one / lnB
        let onePlus2l = one + V.splat(2) * l
        let nuL = (lnBeta - lnB) * lnB / lnBeta / p
        let h2L = c2 - p * onePlus2l
        let h3L = c3 + p * p * (V.splat(2) + V.splat(6) * l * (one + l)) - V.splat(3) * c2 * p * onePlus2l
        nu = V.select(branch.lower, nuL, nu)
        h2 = V.select(branch.lower, h2L, h2)
        h3 = V.select(branch.lower, h3L, h3)
    }
    if V.any(branch.upper) {
        let gap = _normalisedBlackComplement(x: x, s: s)
        let q = vega / gap
        let nuU = _log(gap / gapBeta) / q
        let h2U = c2 + q
        let h3U = c3 + V.splat(3) * c2 * q + V.splat(2) * q * q
        nu = V.select(branch.upper, nuU, nu)
        h2 = V.select(branch.upper, h2U, h2)
        h3 = V.select(branch.upper, h3U, h3)
    }
    let numerator = nu * V.multiplyAdd(V.splat(0.5) * h2, nu, one)
    return numerator / V.multiplyAdd(nu, V.multiplyAdd(h3 * nu, .splat(1.0 / 6), h2), one)
}

/// IV status codes as lane values (the raw values of ``IVStatus``).
enum _IVCode {
    static let ok = 0.0
    static let belowIntrinsic = 1.0
    static let aboveUpperBound = 2.0
    static let noQuote = 3.0
    static let expired = 4.0
}

/// Implied vols for one or more options (one per lane) given x = ln(F/K), the price
/// normalised by sqrt(F K) times the discount factor, phi (+1 call, -1 put)
/// and T. Returns the vol (0 where the status is not ok) and the status code.
@inline(__always)
func _impliedVolLanes<V: _Lanes>(beta: V, x: V, phi: V, years T: V) -> (vol: V, code: V) {
    let zero = V.splat(0)
    let ex = _exp(V.splat(0.5) * x)
    let inMoney = V.lanesLess(zero, phi * x)
    // Put-call parity removes the intrinsic value, the reciprocal-strike
    // symmetry b(x, s, -1) = b(-x, s, +1) turns the rest into an OTM call.
    let intrinsic = V.select(inMoney, phi * _twoSinhHalf(x, expHalf: ex), zero)
    let timeValue = beta - intrinsic
    let xr = -x.laneMagnitude
    let bMax = V.select(V.lanesLessOrEqual(x, zero), ex, V.splat(1) / ex)
    var code = V.splat(_IVCode.ok)
    code = V.select(V.lanesLessOrEqual(bMax, timeValue), .splat(_IVCode.aboveUpperBound), code)
    code = V.select(V.lanesLessOrEqual(timeValue, zero), .splat(_IVCode.belowIntrinsic), code)
    code = V.select(V.not(V.lanesLess(zero, beta)), .splat(_IVCode.noQuote), code)
    code = V.select(V.not(V.lanesLess(zero, T)), .splat(_IVCode.expired), code)
    let ok = V.lanesEqual(code, zero)
    // Stand-ins keep the other lanes finite.
    let xs = V.select(ok, xr, .splat(-1))
    let bs = V.select(ok, timeValue, .splat(0.25))
    let s = _lbrSolveNormalised(beta: bs, x: xs)
    let vol = V.select(ok, s / V.select(ok, T, .splat(1)).laneSquareRoot(), zero)
    return (vol, code)
}

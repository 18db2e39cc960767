// The initial guess of "Let's Be Rational" (P. Jaeckel, Wilmott, January
// 2015, sections 3-5), for one or eight lanes.
//
// For x <= 0 and a normalised price 0 < beta < b_max = e^(x/2):
//   s_c = sqrt(2|x|) (the inflexion point of b(s)), b_c = b(s_c), v_c = b'(s_c),
//   s_l = s_c - b_c / v_c,  s_u = s_c + (b_max - b_c) / v_c,  b_l = b(s_l), b_u = b(s_u).
// Four branches:
//   beta < b_l:          rational cubic in beta of f_l(s) = 2 pi |x| / sqrt 27 N(-z)^3,
//                        z = |x| / (sqrt 3 s), then s = f_l^-1;
//   b_l <= beta <= b_c:  rational cubic for s(beta) through (b_l, s_l), (b_c, s_c);
//   b_c < beta <= b_u:   rational cubic for s(beta) through (b_c, s_c), (b_u, s_u);
//   beta > b_u:          rational cubic in beta of f_u(s) = N(-s/2), then s = -2 N^-1(f_u).
// The rational cubics are Delbourgo and Gregory's (IMA J. Numer. Anal. 5,
// 1985) with the control parameter chosen to match a second derivative at
// one end and clamped to preserve monotonicity and convexity.

/// The branch of the initial guess, which also picks the Householder objective.
struct _LBRBranches<V: _Lanes> {
    var lower, middle, upper: V.Mask
}

/// -(1 - sqrt(DBL_EPSILON)): the rational cubic's denominator stays positive above it.
let _minimumRationalCubicControl = -0.999_999_985_098_838_8
/// 2 / DBL_EPSILON^2: from here on the rational cubic is the straight line.
let _maximumRationalCubicControl = 4.056_481_920_730_334e31

/// The Delbourgo-Gregory rational cubic through (xl, yl), (xr, yr) with end
/// slopes dl, dr and control parameter r (r = 3 is the cubic Hermite
/// interpolant; r -> infinity tends to the straight line).
@inline(__always)
func _rationalCubic<V: _Lanes>(_ x: V, xl: V, xr: V, yl: V, yr: V, dl: V, dr: V, r: V) -> V {
    let h = xr - xl
    let t = (x - xl) / h
    let omt = V.splat(1) - t
    let t2 = t * t
    let omt2 = omt * omt
    let num = yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt
    let den = V.splat(1) + (r - .splat(3)) * t * omt
    let linear = yr * t + yl * omt
    return V.select(V.lanesLess(r, .splat(_maximumRationalCubicControl)), num / den, linear)
}

/// The smallest control parameter that keeps the rational cubic monotonic
/// and convex (or concave) when the data are; `preferShape` chooses the
/// straight line when the slope leaves no room.
@inline(__always)
func _minimumRationalCubicControlParameter<V: _Lanes>(dl: V, dr: V, slope s: V, preferShape: Bool) -> V {
    let zero = V.splat(0)
    let monotonic = V.and(V.lanesLessOrEqual(zero, dl * s), V.lanesLessOrEqual(zero, dr * s))
    let convex = V.and(V.lanesLessOrEqual(dl, s), V.lanesLessOrEqual(s, dr))
    let concave = V.and(V.lanesLessOrEqual(s, dl), V.lanesLessOrEqual(dr, s))
    let none = V.splat(-Double.greatestFiniteMagnitude)
    let big = V.splat(preferShape ? _maximumRationalCubicControl : -Double.greatestFiniteMagnitude)
    let sNonZero = V.not(V.lanesEqual(s, zero))
    let r1 = V.select(monotonic, V.select(sNonZero, (dr + dl) / s, big), none)
    let curved = V.or(convex, concave)
    let sMinusDl = s - dl
    let drMinusS = dr - s
    let gapsNonZero = V.and(V.not(V.lanesEqual(sMinusDl, zero)), V.not(V.lanesEqual(drMinusS, zero)))
    let spread = dr - dl
    let rCurved = V.maximum((spread / drMinusS).laneMagnitude, (spread / sMinusDl).laneMagnitude)
    let r2 = V.select(curved, V.select(gapsNonZero, rCurved, big), V.select(monotonic, big, none))
    let shaped = V.maximum(V.splat(_minimumRationalCubicControl), V.maximum(r1, r2))
    return V.select(V.or(monotonic, curved), shaped, .splat(_minimumRationalCubicControl))
}

/// The control parameter that makes the rational cubic's second derivative
/// `d2` at the left (`atLeft`) or right end, raised to the shape-preserving minimum.
@inline(__always)
func _convexControlParameter<V: _Lanes>(
    xl: V, xr: V, yl: V, yr: V, dl: V, dr: V, d2: V, atLeft: Bool, preferShape: Bool
) -> V {
    let h = xr - xl
    let slope = (yr - yl) / h
    let num = V.splat(0.5) * h * d2 + (dr - dl)
    let den = atLeft ? slope - dl : dr - slope
    let zero = V.splat(0)
    let huge = V.select(
        V.lanesLess(zero, num), .splat(_maximumRationalCubicControl), .splat(_minimumRationalCubicControl))
    var r = V.select(V.lanesEqual(den, zero), huge, num / den)
    r = V.select(V.lanesEqual(num, zero), zero, r)
    return V.maximum(r, _minimumRationalCubicControlParameter(dl: dl, dr: dr, slope: slope, preferShape: preferShape))
}

/// N^-1(p) for 0 < p <= 1/2 to about 1e-9 relative (P. J. Acklam's
/// rational approximation, 2003): enough for an initial guess that the
/// Householder steps then polish to full precision.
@inline(__always)
func _inverseNormalCDFLowerHalf<V: _Lanes>(_ p: V) -> V {
    let tail = V.lanesLess(p, .splat(0.024_25))
    var result = V.splat(0)
    if !V.all(tail) {
        let q = V.minimum(p, .splat(0.5)) - .splat(0.5)
        let r = q * q
        var a = V.splat(-3.969_683_028_665_376e+01)
        a = V.multiplyAdd(a, r, .splat(2.209_460_984_245_205e+02))
        a = V.multiplyAdd(a, r, .splat(-2.759_285_104_469_687e+02))
        a = V.multiplyAdd(a, r, .splat(1.383_577_518_672_690e+02))
        a = V.multiplyAdd(a, r, .splat(-3.066_479_806_614_716e+01))
        a = V.multiplyAdd(a, r, .splat(2.506_628_277_459_239e+00))
        var b = V.splat(-5.447_609_879_822_406e+01)
        b = V.multiplyAdd(b, r, .splat(1.615_858_368_580_409e+02))
        b = V.multiplyAdd(b, r, .splat(-1.556_989_798_598_866e+02))
        b = V.multiplyAdd(b, r, .splat(6.680_131_188_771_972e+01))
        b = V.multiplyAdd(b, r, .splat(-1.328_068_155_288_572e+01))
        b = V.multiplyAdd(b, r, .splat(1))
        result = a * q / b
    }
    if V.any(tail) {
        let q = (V.splat(-2) * _log(V.minimum(p, .splat(0.024_25)))).laneSquareRoot()
        var c = V.splat(-7.784_894_002_430_293e-03)
        c = V.multiplyAdd(c, q, .splat(-3.223_964_580_411_365e-01))
        c = V.multiplyAdd(c, q, .splat(-2.400_758_277_161_838e+00))
        c = V.multiplyAdd(c, q, .splat(-2.549_732_539_343_734e+00))
        c = V.multiplyAdd(c, q, .splat(4.374_664_141_464_968e+00))
        c = V.multiplyAdd(c, q, .splat(2.938_163_982_698_783e+00))
        var d = V.splat(7.784_695_709_041_462e-03)
        d = V.multiplyAdd(d, q, .splat(3.224_671_290_700_398e-01))
        d = V.multiplyAdd(d, q, .splat(2.445_134_137_142_996e+00))
        d = V.multiplyAdd(d, q, .splat(3.754_408_661_907_416e+00))
        d = V.multiplyAdd(d, q, .splat(1))
        result = V.select(tail, c / d, result)
    }
    return result
}

/// The initial guess for s = sigma sqrt(T), the branch, and the bracket
/// [left, right] that holds the root. Inputs: x <= 0, 0 < beta < e^(x/2).
@inline(__always)
func _lbrInitialGuess<V: _Lanes>(beta: V, x: V, bMax: V) -> (
    s: V, branches: _LBRBranches<V>, left: V, right: V
) {
    let zero = V.splat(0)
    let atm = V.lanesEqual(x, zero)
    let xs = V.select(atm, .splat(-1), x)  // a harmless stand-in for the bracket points
    let ax = -xs
    let sc = (V.splat(2) * ax).laneSquareRoot()
    let (bc, vc) = _normalisedBlack(x: xs, s: sc, atInflexion: true)
    let tinyS = V.splat(1e-300)
    let sl = V.maximum(sc - bc / vc, sc * .splat(1e-3))
    let su = sc + (bMax - bc) / vc
    // A lane needs b_l only when beta <= b_c and b_u only when beta > b_c
    // (b is increasing in s), so one evaluation at s_l or s_u serves both:
    // in each lane the other pair is never read (its branches are masked off).
    let belowCentre = V.lanesLessOrEqual(beta, bc)
    let (bo, vo) = _normalisedBlack(x: xs, s: V.select(belowCentre, sl, su))
    let (bl, vl, bu, vu) = (bo, vo, bo, vo)
    let m1 = V.and(belowCentre, V.lanesLess(beta, bl))
    let m4 = V.and(V.not(belowCentre), V.lanesLess(bu, beta))
    let m2 = V.and(belowCentre, V.not(m1))
    let m3 = V.and(V.not(belowCentre), V.not(m4))
    let one = V.splat(1)

    var s = sc
    if V.any(m2) {
        let r = _convexControlParameter(
            xl: bl, xr: bc, yl: sl, yr: sc, dl: one / vl, dr: one / vc, d2: zero, atLeft: false, preferShape: false)
        let g = _rationalCubic(beta, xl: bl, xr: bc, yl: sl, yr: sc, dl: one / vl, dr: one / vc, r: r)
        s = V.select(m2, g, s)
    }
    if V.any(m3) {
        let r = _convexControlParameter(
            xl: bc, xr: bu, yl: sc, yr: su, dl: one / vc, dr: one / vu, d2: zero, atLeft: true, preferShape: false)
        let g = _rationalCubic(beta, xl: bc, xr: bu, yl: sc, yr: su, dl: one / vc, dr: one / vu, r: r)
        s = V.select(m3, g, s)
    }
    if V.any(m1) {
        // f_l(s) = 2 pi |x| / sqrt(27) N(-z)^3 with N(-z) = n(z) Y(-z), z = |x| / (sqrt 3 s).
        let z = ax / (V.splat(1.732_050_807_568_877_293_5) * sl)
        let y = z * z
        let mills = _millsY(-z)
        let nz = V.splat(_oneOverSqrt2Pi) * _exp(V.splat(-0.5) * y)
        let cdf = nz * mills
        let k = V.splat(1.209_199_576_156_145_233_7)  // 2 pi / sqrt 27
        let fl = k * ax * cdf * cdf * cdf
        // d f / d beta = 2 pi y N(-z)^2 e^(y + s^2/8) = y Y(-z)^2 e^(s^2/8)
        let e8 = _exp(V.splat(0.125) * sl * sl)
        let fp = y * mills * mills * e8
        let dlnfp = (V.splat(-2) - V.splat(2) * y + V.splat(2) * z / mills) / sl + V.splat(0.25) * sl
        let fpp = fp * dlnfp / vl
        let r = _convexControlParameter(
            xl: zero, xr: bl, yl: zero, yr: fl, dl: one, dr: fp, d2: fpp, atLeft: false, preferShape: true)
        var f = _rationalCubic(beta, xl: zero, xr: bl, yl: zero, yr: fl, dl: one, dr: fp, r: r)
        let tt = beta / bl
        f = V.select(V.lanesLess(zero, f), f, (fl * tt + bl * (one - tt)) * tt)
        let u = _exp(_log(f / (k * ax)) * .splat(1.0 / 3))
        let g = ax / (V.splat(1.732_050_807_568_877_293_5) * _inverseNormalCDFLowerHalf(u)).laneMagnitude
        s = V.select(m1, g, s)
    }
    if V.any(m4) {
        // f_u(s) = N(-s/2); d f / d beta = -e^(x^2/(2 s^2)) / 2.
        let fu = _normalCDF(V.splat(-0.5) * su)
        let w = xs * xs / (su * su)
        let ew = _exp(V.splat(0.5) * w)
        let fp = V.splat(-0.5) * ew
        let fpp = V.splat(0.5) * ew * w / su / vu
        let finite = V.lanesLess(fpp.laneMagnitude, .splat(1.340_780_792_994_259_6e154))
        let r = V.select(
            finite,
            _convexControlParameter(
                xl: bu, xr: bMax, yl: fu, yr: zero, dl: fp, dr: .splat(-0.5), d2: fpp, atLeft: true,
                preferShape: true),
            .splat(_maximumRationalCubicControl))
        var f = _rationalCubic(beta, xl: bu, xr: bMax, yl: fu, yr: zero, dl: fp, dr: .splat(-0.5), r: r)
        let hh = bMax - bu
        let tt = (beta - bu) / hh
        f = V.select(V.lanesLess(zero, f), f, (fu * (one - tt) + V.splat(0.5) * hh * tt) * (one - tt))
        f = V.minimum(f, .splat(0.5))
        let g = V.splat(-2) * _inverseNormalCDFLowerHalf(V.maximum(f, .splat(1e-300)))
        s = V.select(m4, g, s)
    }
    var left = V.select(m1, tinyS, V.select(m2, sl, V.select(m3, sc, su)))
    var right = V.select(m1, sl, V.select(m2, sc, V.select(m3, su, .splat(.greatestFiniteMagnitude))))
    var lower = m1
    var middle = V.or(m2, m3)
    var upper = m4
    if V.any(atm) {
        // At the money b(0, s) = 1 - 2 N(-s/2), so s = -2 N^-1((1 - beta) / 2).
        let g = V.splat(-2) * _inverseNormalCDFLowerHalf(V.maximum(V.splat(0.5) * (one - beta), .splat(1e-300)))
        s = V.select(atm, g, s)
        left = V.select(atm, tinyS, left)
        right = V.select(atm, .splat(.greatestFiniteMagnitude), right)
        let high = V.lanesLess(.splat(0.9), beta)
        lower = V.and(lower, V.not(atm))
        middle = V.or(V.and(atm, V.not(high)), V.and(V.not(atm), middle))
        upper = V.or(V.and(atm, high), V.and(V.not(atm), upper))
    }
    s = V.minimum(V.maximum(s, left), right)
    return (s, _LBRBranches(lower: lower, middle: middle, upper: upper), left, right)
}

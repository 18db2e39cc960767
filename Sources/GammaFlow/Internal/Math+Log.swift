// ln(x) for one or eight lanes, after fdlibm's e_log.c (Sun Microsystems,
// 1993): x = 2^e * m with m in [sqrt(2)/2, sqrt(2)), f = m - 1,
// s = f / (2 + f), ln(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R a degree-7
// polynomial in s^2 with fdlibm's minimax coefficients Lg1..Lg7.
//
// Error (measured, see Docs/Accuracy.md): at most 1 ulp against the platform
// log (28,000 seeded points over the normal range and near 1); `_logRatio`
// at most 1 ulp against ln S - ln K in double-double for S/K within 1e-3 of
// 1. Valid range: positive, normal, finite x (the kernels pass S/K and
// strikes, which are validated); zero, negative, subnormal, inf and NaN are
// not handled.

/// ln(x).
@inlinable @inline(__always)
func _log<V: _Lanes>(_ x: V) -> V {
    let bits = x.laneBits
    // Mantissa bits with the exponent of 1.0, so that m is in [1, 2).
    let mantissaMask = V.Bits.splat(0x000F_FFFF_FFFF_FFFF)
    let one = V.Bits.splat(0x3FF0_0000_0000_0000)
    var m = V(laneBits: (bits & mantissaMask) | one)
    // The biased exponent as an exact double: OR it into the mantissa of 2^52.
    let twoTo52 = V.splat(4_503_599_627_370_496.0)
    var e = V(laneBits: (bits &>> 52) | twoTo52.laneBits) - twoTo52 - .splat(1023)
    // Move m into [sqrt(2)/2, sqrt(2)).
    let big = V.lanesLess(.splat(1.414_213_562_373_095_048_8), m)
    m = V.select(big, m * .splat(0.5), m)
    e = V.select(big, e + .splat(1), e)
    let f = m - .splat(1)
    let s = f / (.splat(2) + f)
    let z = s * s
    let w = z * z
    let t1 =
        w
        * V.multiplyAdd(
            w, V.multiplyAdd(w, .splat(1.531_383_769_920_937_332e-01), .splat(2.222_219_843_214_978_396e-01)),
            .splat(3.999_999_999_940_941_908e-01))
    let t2 =
        z
        * V.multiplyAdd(
            w,
            V.multiplyAdd(
                w, V.multiplyAdd(w, .splat(1.479_819_860_511_658_591e-01), .splat(1.818_357_216_161_805_012e-01)),
                .splat(2.857_142_874_366_239_149e-01)),
            .splat(6.666_666_666_666_735_130e-01))
    let r = t2 + t1
    let hfsq = V.splat(0.5) * f * f
    let inner = V.multiplyAdd(s, hfsq + r, e * .splat(_ln2Lo))
    return e * .splat(_ln2Hi) - ((hfsq - inner) - f)
}

/// `a * b` as an exact `hi + lo`, valid for |a|, |b| below 2^995 (and
/// `lo` not subnormal). Fused: `lo = fma(a, b, -hi)`, exact by definition.
/// Unfused: Dekker's product with Veltkamp's split (17 operations).
@inlinable @inline(__always)
func _exactProduct<V: _Lanes>(_ a: V, _ b: V) -> (hi: V, lo: V) {
    let hi = a * b
    #if GAMMAFLOW_FMA
        return (hi, V.multiplyAdd(a, b, -hi))
    #else
        let split = V.splat(134_217_729.0)  // 2^27 + 1
        let ca = split * a
        let cb = split * b
        let ah = ca - (ca - a)
        let al = a - ah
        let bh = cb - (cb - b)
        let bl = b - bh
        let lo = (((ah * bh - hi) + ah * bl) + al * bh) + al * bl
        return (hi, lo)
    #endif
}

/// ln(a / b) for positive normal `a` and `b`, without the rounding error of
/// the quotient. With `q = fl(a / b)` the remainder `a - q b` is exact
/// (Dekker), and
/// ```
/// ln(a / b) = ln q + ln(1 + (a - q b) / (q b)) = ln q + (a - q b) / a + O(2^-106)
/// ```
/// Near the money `ln(a / b)` is small while the rounding of `a / b` is an
/// absolute error of up to 2^-53; uncorrected, it reaches `d1` divided by
/// `sigma sqrt T` (see Docs/Accuracy.md). `reciprocalOfA` is `1 / a`, hoisted
/// by callers that divide many `b` into one `a`.
@inlinable @inline(__always)
func _logRatio<V: _Lanes>(_ a: V, _ b: V, reciprocalOfA: V) -> V {
    let q = a / b
    // The remainder a - q b is a double (Dekker), so one fused multiply-add
    // gives it exactly; unfused, the exact product q b = p + e, then a - p is
    // exact (Sterbenz) and so is its difference with e.
    #if GAMMAFLOW_FMA
        let remainder = V.multiplyAdd(-q, b, a)
    #else
        let (p, e) = _exactProduct(q, b)
        let remainder = (a - p) - e
    #endif
    return V.multiplyAdd(remainder, reciprocalOfA, _log(q))
}

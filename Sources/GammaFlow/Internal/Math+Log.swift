// ln(x) for one or eight lanes, after fdlibm's e_log.c (Sun Microsystems,
// 1993): x = 2^e * m with m in [sqrt(2)/2, sqrt(2)), f = m - 1,
// s = f / (2 + f), ln(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R a degree-7
// polynomial in s^2 with fdlibm's minimax coefficients Lg1..Lg7.
//
// Error (measured, see Docs/Accuracy.md): at most 1 ulp against the platform
// log (28,000 seeded points over the normal range and near 1); `_logRatio`
// (below: ln(a / b) with one division, the same polynomial) at most 1 ulp
// against ln a - ln b in double-double, near a = b and over ratios 1e-6 to
// 1e6 and exponents -1000 to 1000. Valid range: positive, normal, finite
// operands (the kernels pass spots, strikes and forwards, which are validated
// as normal doubles); zero, negative, subnormal, inf and NaN are not handled.

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

/// ln(a / b) for positive normal `a` and `b`, to about one ulp of the
/// result even when a / b is close to 1, with one division and no rounding of
/// the quotient. Write a = 2^ea A with A in [1, 2), and b = 2^k B with B
/// within a factor sqrt 2 of A; then, with s = (A - B) / (A + B),
/// ```
/// ln(a / b) = (ea - k) ln 2 + ln(A / B),   ln(A / B) = 2 atanh(s) = 2s + s R(s^2)
/// ```
/// where R is fdlibm's minimax polynomial (e_log.c, |s| <= 0.1716), here in
/// Estrin's form. A - B is exact (Sterbenz), and the roundings of A + B and of
/// the quotient are recovered (two-sum, and the division's remainder by one
/// fused multiply-add or Dekker's product) and added to 2s as a correction,
/// so near the money, where ln(a / b) is small and a / b rounded would carry
/// an absolute error of 2^-53, the result keeps its relative accuracy
/// (see Docs/Accuracy.md).
///
/// Finding k and B is integer work on the bits: subtracting the bits of
/// A / sqrt 2 from those of b leaves k in the top twelve bits (the
/// reduction of musl's log, with an offset taken from `a`). With `a` the
/// same in every lane (the spot), everything about it is hoisted out of the
/// kernels' loops, and the quotient S/K, the kernels' longest latency chain
/// before, is gone.
@inlinable @inline(__always)
func _logRatio<V: _Lanes>(_ a: V, _ b: V) -> V {
    let twoTo52 = V.splat(4_503_599_627_370_496.0)
    let aBits = a.laneBits
    let bBits = b.laneBits
    let A = V(laneBits: (aBits & V.Bits.splat(0x000F_FFFF_FFFF_FFFF)) | V.Bits.splat(0x3FF0_0000_0000_0000))
    let aExp = V(laneBits: (aBits &>> 52) | twoTo52.laneBits)  // 2^52 + biased exponent of a
    // b = 2^k B with B in [A / sqrt 2, A sqrt 2): subtracting the bits of
    // A / sqrt 2 leaves k in the top twelve bits (musl's log reduction, with
    // the offset taken from a instead of a constant), all integer work.
    let tmp = bBits &- (A * .splat(0.707_106_781_186_547_524_4)).laneBits
    let B = V(laneBits: bBits &- (tmp & V.Bits.splat(0xFFF0_0000_0000_0000)))
    let kExp = V(laneBits: ((tmp &+ V.Bits.splat(2048 << 52)) &>> 52) | twoTo52.laneBits)  // 2^52 + k + 2048
    let e = (aExp - kExp) + .splat(1025)
    let num = A - B  // exact (Sterbenz: B/2 <= A <= 2B)
    let den = A + B
    let bb = den - A
    let denErr = (A - (den - bb)) + (B - bb)
    let s = num / den
    #if GAMMAFLOW_FMA
        let rem = V.multiplyAdd(-s, den, num)
    #else
        let (p, pe) = _exactProduct(s, den)
        let rem = (num - p) - pe
    #endif
    // s + c is the exact quotient num / (A + B) to first order; 1/den is needed
    // only to about 1.5% for it (a bit-trick seed and one Newton step).
    let y0 = V(laneBits: V.Bits.splat(0x7FDE_6238_2000_0000) &- den.laneBits)
    let y1 = V.multiplyAdd(y0, V.multiplyAdd(-den, y0, .splat(1)), y0)
    let c = V.multiplyAdd(-s, denErr, rem) * y1
    let z = s * s
    let w = z * z
    let p01 = V.multiplyAdd(z, .splat(3.999_999_999_940_941_908e-01), .splat(6.666_666_666_666_735_130e-01))
    let p23 = V.multiplyAdd(z, .splat(2.222_219_843_214_978_396e-01), .splat(2.857_142_874_366_239_149e-01))
    let p45 = V.multiplyAdd(z, .splat(1.531_383_769_920_937_332e-01), .splat(1.818_357_216_161_805_012e-01))
    let q0 = V.multiplyAdd(w, p23, p01)
    let q1 = V.multiplyAdd(w, .splat(1.479_819_860_511_658_591e-01), p45)
    let R = z * V.multiplyAdd(w * w, q1, q0)
    let tail = V.multiplyAdd(s, R, V.multiplyAdd(e, .splat(_ln2Lo), c + c))
    return V.multiplyAdd(e, .splat(_ln2Hi), (s + s) + tail)
}

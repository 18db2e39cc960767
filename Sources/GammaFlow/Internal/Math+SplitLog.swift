// ln(x) as an unevaluated double-double sum hi + lo, for the prepared
// kernels' d1 = ((ln S_hi - ln K_hi) + (ln S_lo - ln K_lo)) / v + drift.
//
// Why double-double: the prepared path subtracts ln K (about 8.5 for index
// strikes) from ln S, and then divides by v = sigma sqrt T, which is 1.8e-6
// for a one-second option at 1% vol. An absolute error of 1e-19 in ln K (the
// precision of an 80-bit extended log) becomes 6e-14 in d1, and near d2 = 0
// (vanna) or d1 = 0 (vomma) that is a relative error of 1e-7. With hi + lo
// accurate to about 2^-104 |ln x|, `ln S - ln K` is exact to about one ulp of
// itself plus 1e-31, as good as `ln(S/K)` computed directly.
//
// Method (prepare-time only, about 300 flops, generic over lanes so that a
// chain's strikes go eight at a time): x = 2^e m with m in
// [sqrt(1/2), sqrt(2)), ln x = e ln 2 + 2 atanh(s), s = (m - 1)/(m + 1),
// 2 atanh(s) = 2 s + 2 s t (1/3 + t/5 + t^2/7 + ...), t = s^2 <= 0.0295,
// evaluated in double-double for the nine leading coefficients (1/3 ... 1/19)
// and in double for the rest (1/21 ... 1/43; their contribution is below
// 2^-53 relative there).
//
// Error (measured against mpmath, see Docs/Accuracy.md): |hi + lo - ln x|
// below 2^-100 |ln x| on positive normal x. Valid range: positive, normal,
// finite x.

/// Knuth's two-sum: `a + b` exactly as `hi + lo`, in every lane.
@inlinable @inline(__always)
func _twoSum<V: _Lanes>(_ a: V, _ b: V) -> (hi: V, lo: V) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}

/// Double-double sum of `a` and `b` (both `hi + lo`), about 2^-104 relative.
@inlinable @inline(__always)
func _doubleDoubleSum<V: _Lanes>(_ a: (hi: V, lo: V), _ b: (hi: V, lo: V)) -> (hi: V, lo: V) {
    let s = _twoSum(a.hi, b.hi)
    let t = _twoSum(a.lo, b.lo)
    let u = _twoSum(s.hi, s.lo + t.hi)
    return _twoSum(u.hi, u.lo + t.lo)
}

/// Double-double product of `a` and `b`, about 2^-104 relative.
@inlinable @inline(__always)
func _doubleDoubleProduct<V: _Lanes>(_ a: (hi: V, lo: V), _ b: (hi: V, lo: V)) -> (hi: V, lo: V) {
    let p = _exactProduct(a.hi, b.hi)
    return _twoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
}

/// ln(x) as `hi + lo` with |hi + lo - ln x| below about 2^-100 |ln x|.
/// Scalar entry point (spots, reference spots); strikes go through the
/// vector instantiation when a chain is prepared.
@usableFromInline
func _splitLog(_ x: Double) -> (hi: Double, lo: Double) {
    precondition(
        x >= .leastNormalMagnitude && x.isFinite, "_splitLog: x must be positive, normal and finite, got \(x)")
    return _splitLogLanes(x)
}

/// ln(x) as `hi + lo` for one or eight lanes of positive, normal, finite
/// `x` (not checked here), branch-free; see the file comment.
@inlinable @inline(__always)
func _splitLogLanes<V: _Lanes>(_ x: V) -> (hi: V, lo: V) {
    // x = 2^e m with m in [1, 2) from the bits, then [sqrt(1/2), sqrt(2)).
    let bits = x.laneBits
    let twoTo52 = V.splat(4_503_599_627_370_496.0)
    var m = V(laneBits: (bits & V.Bits.splat(0x000F_FFFF_FFFF_FFFF)) | V.Bits.splat(0x3FF0_0000_0000_0000))
    var e = V(laneBits: (bits &>> 52) | twoTo52.laneBits) - twoTo52 - .splat(1023)
    let big = V.lanesLess(.splat(1.414_213_562_373_095_1), m)
    m = V.select(big, m * .splat(0.5), m)
    e = V.select(big, e + .splat(1), e)
    // s = (m - 1) / (m + 1) as a double-double; m - 1 and the two-sum are exact.
    let num = m - .splat(1)
    let den = _twoSum(m, .splat(1))
    let sHi = num / den.hi
    let p = _exactProduct(sHi, den.hi)
    let sLo = (((num - p.hi) - p.lo) - sHi * den.lo) / den.hi
    let s = _twoSum(sHi, sLo)
    let t = _doubleDoubleProduct(s, s)
    // 2 atanh(s) = 2 s + 2 s t q(t), q(t) = 1/3 + t/5 + t^2/7 + ...; the
    // coefficients 1/21 ... 1/43 (t^9 ... t^20) in double, whose part is
    // below 2^-53 relative there (t <= 0.0295), ...
    var tail = V.splat(0.023_255_813_953_488_372)  // 1/43
    for c in _splitLogTailCoefficients { tail = V.multiplyAdd(tail, t.hi, .splat(c)) }
    // ... and 1/3 ... 1/19 in double-double, by Horner's rule.
    var q = (hi: tail, lo: V.splat(0))
    for c in _splitLogLeadingCoefficients {
        q = _doubleDoubleSum(_doubleDoubleProduct(q, t), (.splat(c.hi), .splat(c.lo)))
    }
    let twoS = (hi: V.splat(2) * s.hi, lo: V.splat(2) * s.lo)  // doubling is exact
    let lnM = _doubleDoubleSum(twoS, _doubleDoubleProduct(_doubleDoubleProduct(twoS, t), q))
    let ln2 = (hi: V.splat(0.693_147_180_559_945_3), lo: V.splat(2.319_046_813_846_299_6e-17))
    return _doubleDoubleSum(_doubleDoubleProduct((e, .splat(0)), ln2), lnM)
}

/// 1/41, 1/39, ..., 1/21: the tail of q(t) after 1/43, in Horner order.
@usableFromInline let _splitLogTailCoefficients: [Double] = [
    0.024390243902439025,  // 1/41
    0.02564102564102564,  // 1/39
    0.02702702702702703,  // 1/37
    0.02857142857142857,  // 1/35
    0.030303030303030304,  // 1/33
    0.03225806451612903,  // 1/31
    0.034482758620689655,  // 1/29
    0.037037037037037035,  // 1/27
    0.04,  // 1/25
    0.043478260869565216,  // 1/23
    0.047619047619047616,  // 1/21
]

/// 1/19, 1/17, ..., 1/3 as double-doubles (hi the nearest double, lo the
/// nearest double to the rest; exact rationals), in Horner order.
@usableFromInline let _splitLogLeadingCoefficients: [(hi: Double, lo: Double)] = [
    (0.05263157894736842, 2.921639538487254e-18),  // 1/19
    (0.058823529411764705, 8.163404592832033e-19),  // 1/17
    (0.06666666666666667, 9.251858538542971e-19),  // 1/15
    (0.07692307692307693, -4.270088556250602e-18),  // 1/13
    (0.09090909090909091, -2.523234146875356e-18),  // 1/11
    (0.1111111111111111, 6.1679056923619804e-18),  // 1/9
    (0.14285714285714285, 7.93016446160826e-18),  // 1/7
    (0.2, -1.1102230246251566e-17),  // 1/5
    (0.3333333333333333, 1.850371707708594e-17),  // 1/3
]

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
// Method (prepare-time only, about 300 flops): x = 2^e m with m in
// [sqrt(1/2), sqrt(2)), ln x = e ln 2 + 2 atanh(s), s = (m - 1)/(m + 1),
// 2 atanh(s) = 2 s + 2 s t (1/3 + t/5 + t^2/7 + ...), t = s^2 <= 0.0295,
// evaluated in double-double for the ten leading coefficients and in double
// for the rest (their contribution is below 2^-53 relative there).
//
// Error (measured against mpmath, see Docs/Accuracy.md): |hi + lo - ln x|
// below 2^-100 |ln x| on positive normal x. Valid range: positive, normal,
// finite x.

/// A double-double value `hi + lo` with |lo| <= ulp(hi)/2.
@usableFromInline
struct _DoubleDouble {
    @usableFromInline var hi: Double
    @usableFromInline var lo: Double

    @inlinable init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// Knuth's two-sum: `a + b` exactly as `hi + lo`.
    @inlinable static func twoSum(_ a: Double, _ b: Double) -> _DoubleDouble {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return _DoubleDouble(s, e)
    }

    @inlinable static func + (a: _DoubleDouble, b: _DoubleDouble) -> _DoubleDouble {
        let s = twoSum(a.hi, b.hi)
        let t = twoSum(a.lo, b.lo)
        let u = twoSum(s.hi, s.lo + t.hi)
        return twoSum(u.hi, u.lo + t.lo)
    }

    @inlinable static func * (a: _DoubleDouble, b: _DoubleDouble) -> _DoubleDouble {
        let p = _exactProduct(a.hi, b.hi)
        return twoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
    }

    /// `1 / n` for a small positive integer `n`, to double-double precision.
    @inlinable static func reciprocal(_ n: Double) -> _DoubleDouble {
        let hi = 1 / n
        let p = _exactProduct(hi, n)
        return _DoubleDouble(hi, ((1 - p.hi) - p.lo) / n)
    }
}

/// ln(x) as `hi + lo` with |hi + lo - ln x| below about 2^-100 |ln x|.
@usableFromInline
func _splitLog(_ x: Double) -> (hi: Double, lo: Double) {
    precondition(x > 0 && x.isFinite, "_splitLog: x must be positive and finite, got \(x)")
    var e = Double(x.exponent)
    var m = x.significand  // [1, 2), exact
    if m > 1.414_213_562_373_095_1 {
        m *= 0.5
        e += 1
    }
    // s = (m - 1) / (m + 1) as a double-double; m - 1 and the sum are exact.
    let num = m - 1
    let den = _DoubleDouble.twoSum(m, 1)
    let sHi = num / den.hi
    let p = _exactProduct(sHi, den.hi)
    let sLo = (((num - p.hi) - p.lo) - sHi * den.lo) / den.hi
    let s = _DoubleDouble.twoSum(sHi, sLo)
    let t = s * s
    // Tail in double: coefficients 1/23 ... 1/45 (t^10 ... t^21).
    var tail = 0.0
    for k in stride(from: 21, through: 10, by: -1) {
        tail = tail * t.hi + 1 / Double(2 * k + 1)
    }
    // Leading coefficients 1/3 ... 1/21 in double-double (Horner).
    var q = _DoubleDouble(tail)
    for k in stride(from: 9, through: 1, by: -1) {
        q = q * t + _DoubleDouble.reciprocal(Double(2 * k + 1))
    }
    // 2 atanh(s) = 2 s + 2 s t q; doubling is exact.
    let twoS = _DoubleDouble(2 * s.hi, 2 * s.lo)
    let lnM = twoS + twoS * t * q
    let ln2 = _DoubleDouble(0.693_147_180_559_945_3, 2.319_046_813_846_299_6e-17)
    let r = _DoubleDouble(e) * ln2 + lnM
    return (r.hi, r.lo)
}

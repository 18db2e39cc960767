// The standard normal density and distribution for one or eight lanes.
//
// n(x) = exp(-x^2/2) / sqrt(2 pi) with x^2 split exactly into head and tail
// (one fused multiply-add, or Dekker / Veltkamp without FMA), so the square's
// rounding never reaches the exponent.
//
// N(x) = erfc(z) / 2 with z = -x / sqrt(2), erfc by the rational
// approximations of Cephes' ndtr.c (S. L. Moshier, netlib cephes):
//   |z| < 1:      erfc(z) = 1 - z T(z^2) / U(z^2)
//   1 <= |z| < 8: erfc(|z|) = exp(-z^2) P(|z|) / Q(|z|)
//   |z| >= 8:     erfc(|z|) = exp(-z^2) R(|z|) / S(|z|)
// and erfc(z) = 2 - erfc(|z|) for z < 0. exp(-z^2) uses the exact square.
//
// Error (measured, see Docs/Accuracy.md):
// - n(x): at most 2 ulps against the platform twin (exact square, platform
//   exp) on [-38.5, 38.5], and at most 2 ulps against mpmath.
// - N(x): at most 9 ulps against the platform twin 0.5 erfc(-x/sqrt 2); the
//   worst is near x = -1.38, where erfc = 1 - z T/U loses bits to
//   cancellation (absolute error there below one ulp of 1). Against mpmath,
//   at most 0.68 (4 + 2 x^2) ulps: both the kernel and the platform round
//   z = -x/sqrt 2, and N amplifies that half-ulp by its conditioning ~x^2 in
//   the left tail (747 ulps at x = -23.5, 1e-13 relative).
// N(x) underflows cleanly to 0 below x = -38.5 and is exactly 1 above
// x = 8.3. Valid range: finite x with |x| < 1e15 (d1 never exceeds that for
// validated inputs).

@usableFromInline let _invSqrt2 = 0.707_106_781_186_547_524_40
@usableFromInline let _invSqrt2Pi = 0.398_942_280_401_432_677_94

/// `x * x` as an exact `hi + lo`. Fused: `lo = fma(x, x, -hi)`, exact by
/// definition (two instructions). Unfused: Veltkamp's split and Dekker's
/// product (eight operations). Valid for |x| below 2^995.
@inlinable @inline(__always)
func _exactSquare<V: _Lanes>(_ x: V) -> (hi: V, lo: V) {
    let hi = x * x
    #if GAMMAFLOW_FMA
        return (hi, V.multiplyAdd(x, x, -hi))
    #else
        let c = V.splat(134_217_729.0) * x
        let xh = c - (c - x)
        let xl = x - xh
        let lo = ((xh * xh - hi) + V.splat(2) * xh * xl) + xl * xl
        return (hi, lo)
    #endif
}

/// exp(-x^2) without the rounding error of the square.
@inlinable @inline(__always)
func _expMinusSquare<V: _Lanes>(_ x: V) -> V {
    let (hi, lo) = _exactSquare(x)
    return _exp(-hi, tail: -lo)
}

/// The standard normal density n(x).
@inlinable @inline(__always)
func _normalDensity<V: _Lanes>(_ x: V) -> V {
    let (hi, lo) = _exactSquare(x)
    return V.splat(_invSqrt2Pi) * _exp(V.splat(-0.5) * hi, tail: V.splat(-0.5) * lo)
}

/// `e^c n(x) = exp(c - x^2/2) / sqrt(2 pi)` with one exponential, for a
/// discount factor `e^c` (c = -q T) that multiplies the density anyway
/// (gamma, vanna). The head of the exponent, `-x^2/2 + c`, is split exactly
/// (Knuth's two-sum) and its rounding error joins the square's tail, so the
/// exponent carries no rounding at all and the result is as accurate as
/// `_normalDensity` (one rounding fewer than `e^c * n(x)` from two exponentials).
@inlinable @inline(__always)
func _discountedNormalDensity<V: _Lanes>(_ x: V, logDiscount c: V) -> V {
    let (hi, lo) = _exactSquare(x)
    let h = V.splat(-0.5) * hi  // exact
    let s = h + c
    let bb = s - h
    let err = (h - (s - bb)) + (c - bb)
    return V.splat(_invSqrt2Pi) * _exp(s, tail: V.multiplyAdd(.splat(-0.5), lo, err))
}

/// `a e^c n(x)` and `b e^c n(x)` (see `_discountedNormalDensity`), with the
/// prefactors multiplied into the exponential's power of two (`_expParts`)
/// while its polynomial runs, so that each result is one product (one
/// rounding) after it: gamma and vanna from scratch, where this chain is the
/// kernel's critical path. `a` and `b` must be finite; lanes whose density
/// underflows (exponent below -745.2) are exactly 0.
@inlinable @inline(__always)
func _discountedNormalDensity<V: _Lanes>(_ x: V, logDiscount c: V, times a: V, _ b: V) -> (V, V) {
    let (hi, lo) = _exactSquare(x)
    let h = V.splat(-0.5) * hi  // exact
    let s = h + c
    let bb = s - h
    let err = (h - (s - bb)) + (c - bb)
    // n from the square directly, not from the rounded sum s: two steps shorter.
    let shifted = V.multiplyAdd(hi, .splat(-0.5 * _log2e), V.multiplyAdd(c, .splat(_log2e), .splat(_expShifter)))
    let p = _expParts(s, tail: V.multiplyAdd(.splat(-0.5), lo, err), shifted: shifted)
    let scale = p.scale1 * V.splat(_invSqrt2Pi)
    let ya = p.mantissa * (a * scale * p.scale2)
    let yb = p.mantissa * (b * scale * p.scale2)
    // The exponent is at most c: no overflow for any sane discount; underflow is exact 0.
    let zeroA = V.select(p.underflow, .splat(0), ya)
    let zeroB = V.select(p.underflow, .splat(0), yb)
    return (V.select(p.overflow, .splat(.infinity), zeroA), V.select(p.overflow, .splat(.infinity), zeroB))
}

/// The standard normal cumulative distribution N(x).
@inlinable @inline(__always)
func _normalCDF<V: _Lanes>(_ x: V) -> V {
    _normalCDF(x) { a in _expMinusSquare(a) }
}

/// N(x) given `gaussian = e^(-x^2/2)` (`sqrt(2 pi) n(x)`), for a caller that
/// has it already: the kernels' N(phi d1) from n(d1), and N(phi d2) from
/// `S e^-qT n(d1) = K e^-rT n(d2)`. Saves the exponential of `_normalCDF`
/// on `|x| >= sqrt 2`; there the result's relative error is the tail's
/// (a few ulps) plus that of `gaussian`, which, computed from the exact
/// square of `x`, avoids the rounding of `x / sqrt 2` that `_normalCDF`
/// amplifies by `x^2`.
@inlinable @inline(__always)
func _normalCDF<V: _Lanes>(_ x: V, gaussian: V) -> V {
    _normalCDF(x) { _ in gaussian }
}

/// The body of both `_normalCDF`s: `N(x) = erfc(-x / sqrt 2) / 2`, with
/// `expMinusSquare(a)` e^(-a^2) at a = |x| / sqrt 2.
@inlinable @inline(__always)
func _normalCDF<V: _Lanes>(_ x: V, expMinusSquare: (V) -> V) -> V {
    V.splat(0.5) * _erfc(-x * .splat(_invSqrt2), expMinusSquare: expMinusSquare)
}

/// erfc(z) after Cephes (ndtr.c): `1 - z T(z^2) / U(z^2)` for |z| < 1, else
/// `e^(-z^2)` (`expMinusSquare(|z|)`, which the caller may already have) times
/// the scaled tail `_scaledErfcTail(|z|)`, reflected as `2 - erfc(|z|)` for
/// z < 0. Shared by the normal CDF and the folded grid kernel's delta.
@inlinable @inline(__always)
func _erfc<V: _Lanes>(_ z: V, expMinusSquare: (V) -> V) -> V {
    let a = z.laneMagnitude
    let small = V.lanesLess(a, .splat(1))
    var erfcZ = V.splat(0)
    if V.any(small) {
        let zz = z * z
        let (t, u) = _erfRational(zz)
        erfcZ = V.splat(1) - z * t / u
    }
    if !V.all(small) {
        let tail = expMinusSquare(a) * _scaledErfcTail(a)
        let erfcLarge = V.select(V.lanesLess(z, .splat(0)), V.splat(2) - tail, tail)
        erfcZ = V.select(small, erfcZ, erfcLarge)
    }
    return erfcZ
}

/// `erfc(a) e^(a^2)` for `a >= 1`: Cephes' rational P/Q on [1, 8) and R/S
/// beyond (ndtr.c). Shared by the normal CDF and the implied-vol solver's
/// normalised Black function.
@inlinable @inline(__always)
func _scaledErfcTail<V: _Lanes>(_ a: V) -> V {
    let far = V.lanesLessOrEqual(.splat(8), a)
    var ratio = V.splat(0)
    if !V.all(far) {
        var p = V.splat(2.461_969_814_735_305_125_24e-10)
        p = V.multiplyAdd(p, a, .splat(5.641_895_648_310_688_219_77e-1))
        p = V.multiplyAdd(p, a, .splat(7.463_210_564_422_699_126_87e0))
        p = V.multiplyAdd(p, a, .splat(4.863_719_709_856_813_666_14e1))
        p = V.multiplyAdd(p, a, .splat(1.965_208_329_560_770_982_42e2))
        p = V.multiplyAdd(p, a, .splat(5.264_451_949_954_773_586_31e2))
        p = V.multiplyAdd(p, a, .splat(9.345_285_271_719_576_075_40e2))
        p = V.multiplyAdd(p, a, .splat(1.027_551_886_895_157_102_72e3))
        p = V.multiplyAdd(p, a, .splat(5.575_353_353_693_993_275_26e2))
        var q = a + .splat(1.322_819_511_547_449_925_08e1)
        q = V.multiplyAdd(q, a, .splat(8.670_721_408_859_897_423_29e1))
        q = V.multiplyAdd(q, a, .splat(3.549_377_788_878_198_910_62e2))
        q = V.multiplyAdd(q, a, .splat(9.757_085_017_432_054_897_53e2))
        q = V.multiplyAdd(q, a, .splat(1.823_909_166_879_097_362_89e3))
        q = V.multiplyAdd(q, a, .splat(2.246_337_608_187_109_817_92e3))
        q = V.multiplyAdd(q, a, .splat(1.656_663_091_941_613_501_82e3))
        q = V.multiplyAdd(q, a, .splat(5.575_353_408_177_276_755_46e2))
        ratio = p / q
    }
    if V.any(far) {
        var r = V.splat(5.641_895_835_477_550_739_84e-1)
        r = V.multiplyAdd(r, a, .splat(1.275_366_707_599_781_044_16e0))
        r = V.multiplyAdd(r, a, .splat(5.019_050_422_511_804_774_14e0))
        r = V.multiplyAdd(r, a, .splat(6.160_210_979_930_535_851_95e0))
        r = V.multiplyAdd(r, a, .splat(7.409_742_699_504_489_391_60e0))
        r = V.multiplyAdd(r, a, .splat(2.978_866_653_721_002_406_70e0))
        var s = a + .splat(2.260_528_632_201_172_765_90e0)
        s = V.multiplyAdd(s, a, .splat(9.396_035_249_380_014_346_73e0))
        s = V.multiplyAdd(s, a, .splat(1.204_895_398_080_966_566_05e1))
        s = V.multiplyAdd(s, a, .splat(1.708_144_507_475_658_972_22e1))
        s = V.multiplyAdd(s, a, .splat(9.608_968_090_632_858_781_98e0))
        s = V.multiplyAdd(s, a, .splat(3.369_076_451_000_815_160_50e0))
        ratio = V.select(far, r / s, ratio)
    }
    return ratio
}

/// Cephes' rational for erf on |z| < 1 (ndtr.c): `erf(z) = z T(z^2) / U(z^2)`;
/// returns `(T, U)` at `zz = z^2`.
@inlinable @inline(__always)
func _erfRational<V: _Lanes>(_ zz: V) -> (t: V, u: V) {
    var t = V.splat(9.604_973_739_870_516_387_49e0)
    t = V.multiplyAdd(t, zz, .splat(9.002_601_972_038_426_892_17e1))
    t = V.multiplyAdd(t, zz, .splat(2.232_005_345_946_843_192_26e3))
    t = V.multiplyAdd(t, zz, .splat(7.003_325_141_128_050_754_73e3))
    t = V.multiplyAdd(t, zz, .splat(5.559_230_130_103_949_627_68e4))
    var u = zz + .splat(3.356_171_416_475_030_996_47e1)
    u = V.multiplyAdd(u, zz, .splat(5.213_579_497_801_526_797_95e2))
    u = V.multiplyAdd(u, zz, .splat(4.594_323_829_709_801_279_87e3))
    u = V.multiplyAdd(u, zz, .splat(2.262_900_006_138_909_342_46e4))
    u = V.multiplyAdd(u, zz, .splat(4.926_739_426_086_359_210_86e4))
    return (t, u)
}

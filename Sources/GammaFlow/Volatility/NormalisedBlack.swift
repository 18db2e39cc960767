// The normalised Black function of Jaeckel's "Let's Be Rational" (Wilmott,
// 2015), for one or eight lanes, accurate to a few ulps in relative terms
// wherever it is representable, including far out of the money and near
// expiry where the textbook difference of two N() terms cancels.
//
// For x = ln(F/K) <= 0 (an out-of-the-money call; every other case reduces
// to it) and s = sigma sqrt(T) > 0, with h = x/s and t = s/2:
//
//     b(x, s)  = e^(x/2) N(h + t) - e^(-x/2) N(h - t)
//     b'(x, s) = exp(-(h^2 + t^2)/2) / sqrt(2 pi)          (d b / d s)
//     b(x, s)  = b'(x, s) (Y(h + t) - Y(h - t)),   Y(z) = N(z) / n(z)
//
// Y(z) = sqrt(pi/2) erfcx(-z / sqrt 2) is computed without exponentials
// (the rational approximations of Cephes' ndtr.c). Three regions:
//   t < 0.21:     Taylor series in t, Y(h+t) - Y(h-t) = 2 sum_{k odd} Y_k(h) t^k / k!
//                 with Y_{n+1} = h Y_n + n Y_{n-1} (from Y' = 1 + z Y); for h < -10
//                 Y_1 and Y_2 come from their asymptotic series in 1/h.
//   h + t <= 0:   the difference of the two Y values (cancellation below 100x).
//   h + t > 0:    the two N() terms directly (no significant cancellation).

/// sqrt(pi / 2).
let _sqrtHalfPi = 1.253_314_137_315_500_251_21
/// 1 / sqrt(2 pi).
let _oneOverSqrt2Pi = 0.398_942_280_401_432_677_94

/// erfcx(a) = exp(a^2) erfc(a) for a >= 0, relative error a few ulps
/// (Cephes ndtr.c rational approximations; below 1 through exp and erf).
@inline(__always)
func _erfcx<V: _Lanes>(_ a: V) -> V {
    let small = V.lanesLess(a, .splat(1))
    var result = V.splat(0)
    if V.any(small) {
        let zz = a * a
        let (t, u) = _erfRational(zz)
        let erfc = V.splat(1) - a * t / u
        let (hi, lo) = _exactSquare(V.minimum(a, .splat(1)))
        result = erfc * _exp(hi, tail: lo)
    }
    if !V.all(small) {
        result = V.select(small, result, _scaledErfcTail(a))
    }
    return result
}

/// Y(z) = N(z) / n(z) for z <= 0 (the inverse Mills ratio's reciprocal).
@inline(__always)
func _millsY<V: _Lanes>(_ z: V) -> V {
    V.splat(_sqrtHalfPi) * _erfcx(-z * .splat(_invSqrt2))
}

/// Y_1(h) = 1 + h Y(h) and Y_2(h) = h Y_1 + Y(h) for h <= -10 by their
/// asymptotic series in w = 1/h^2 (30 terms: truncation below 1e-16):
/// ```
/// Y_1 = w sum_m (-1)^m (2m+1)!! w^m,   Y_2 = -2 h^-3 sum_j (-1)^j (j+1)(2j+1)!! w^j
/// ```
/// The coefficients (2m+1)!! are literals (the products as rounded to double),
/// unrolled: a global table here cost a lazy-initialisation check and a
/// bounds check per term inside the kernel.
@inline(__always)
func _asymptoticY12<V: _Lanes>(_ h: V) -> (y1: V, y2: V) {
    let u = V.splat(1) / h
    let w = u * u
    var s1 = V.splat(0)
    var s2 = V.splat(0)
    // Horner from m = 29 down to 0; c = (-1)^m (2m+1)!!.
    @inline(__always) func term(_ c: Double, _ mPlusOne: Double) {
        s1 = V.multiplyAdd(s1, w, .splat(c))
        s2 = V.multiplyAdd(s2, w, .splat(c * mPlusOne))
    }
    term(-2.9215606371473166e+40, 30)
    term(4.951797690080198e+38, 29)
    term(-8.687364368561751e+36, 28)
    term(1.5795207942839547e+35, 27)
    term(-2.980227913743311e+33, 26)
    term(5.843584144594727e+31, 25)
    term(-1.192568192774434e+30, 24)
    term(2.5373791335626256e+28, 23)
    term(-5.6386202968058344e+26, 22)
    term(1.3113070457687988e+25, 21)
    term(-3.1983098677287775e+23, 20)
    term(8.200794532637891e+21, 19)
    term(-2.2164309547669976e+20, 18)
    term(6.33265987076285e+18, 17)
    term(-1.9189878396251062e+17, 16)
    term(6_190_283_353_629_375, 15)
    term(-213_458_046_676_875, 14)
    term(7_905_853_580_625, 13)
    term(-316_234_143_225, 12)
    term(13_749_310_575, 11)
    term(-654_729_075, 10)
    term(34_459_425, 9)
    term(-2_027_025, 8)
    term(135_135, 7)
    term(-10_395, 6)
    term(945, 5)
    term(-105, 4)
    term(15, 3)
    term(-3, 2)
    term(1, 1)
    return (w * s1, V.splat(-2) * u * w * s2)
}

/// The normalised Black value and vega for x <= 0 (call out of the money)
/// and s > 0; see the file comment for the formula and regions.
///
/// `atInflexion`: the caller promises s = sqrt(2|x|) (the initial guess's
/// s_c), where h + t = 0. Outside the Taylor region b is then
/// `b' (Y(0) - Y(-s))` with Y(0) = sqrt(pi/2): one erfcx instead of the
/// direct formula's two N() and an exponential, and the region choice no
/// longer depends on the sign of a rounded h + t (which made SIMD lanes
/// evaluate both formulas).
/// - Returns: `b`, and `vega` = d b / d s = exp(-(h^2+t^2)/2)/sqrt(2 pi).
@inline(__always)
func _normalisedBlack<V: _Lanes>(x: V, s: V, atInflexion: Bool = false) -> (b: V, vega: V) {
    let h = x / s
    let t = V.splat(0.5) * s
    // h^2 to double-double precision: the quotient's remainder x - h s
    // (Dekker's product) and the square's tail, so that exp(-h^2/2) carries
    // no rounding error of h amplified by h^2 (up to about 1,400 here).
    let (hh, hl) = _exactSquare(h)
    let hRemainder = _productResidual(x, h, s) / s
    let tail = hl + V.splat(2) * h * hRemainder
    let vega = V.splat(_oneOverSqrt2Pi) * _exp(V.splat(-0.5) * (hh + t * t), tail: V.splat(-0.5) * tail)
    let small = V.lanesLess(t, .splat(0.21))
    var ratio = V.splat(0)  // b / vega where used
    var b = V.splat(0)
    if V.any(small) {
        // Taylor series in t about h.
        let y0 = _millsY(h)
        var y1 = V.splat(1) + h * y0
        var y2 = h * y1 + y0
        let far = V.lanesLess(h, .splat(-10))
        if V.any(far) {
            let (a1, a2) = _asymptoticY12(V.minimum(h, .splat(-10)))
            y1 = V.select(far, a1, y1)
            y2 = V.select(far, a2, y2)
        }
        // sum_{k odd} Y_k t^(k-1) / k! for k = 1...17, with the odd and even
        // derivatives from the forward recurrence Y_{n+1} = h Y_n + n Y_{n-1}.
        let tt = t * t
        var acc = y1
        var power = V.splat(1)
        var prev = y1
        var cur = y2
        var n = 2.0
        @inline(__always) func term(_ inverseFactorial: Double) {
            let odd = V.multiplyAdd(h, cur, V.splat(n) * prev)
            let even = V.multiplyAdd(h, odd, V.splat(n + 1) * cur)
            power = power * tt
            acc = V.multiplyAdd(odd * power, .splat(inverseFactorial), acc)
            prev = odd
            cur = even
            n += 2
        }
        term(1.0 / 6)
        term(1.0 / 120)
        term(1.0 / 5_040)
        term(1.0 / 362_880)
        term(1.0 / 39_916_800)
        term(1.0 / 6_227_020_800)
        term(1.0 / 1_307_674_368_000)
        term(1.0 / 355_687_428_096_000)
        ratio = V.splat(2) * t * acc
    }
    if !V.all(small) && atInflexion {
        let r = V.splat(_sqrtHalfPi) - _millsY(-s)
        return (vega * V.select(small, ratio, r), vega)
    }
    if !V.all(small) {
        let hpt = h + t
        let hmt = h - t
        let direct = V.lanesLess(.splat(0), hpt)
        var r = V.splat(0)
        if !V.all(direct) {
            r = _millsY(V.minimum(hpt, .splat(0))) - _millsY(hmt)
        }
        var d = V.splat(0)
        if V.any(direct) {
            let e = _exp(V.splat(0.5) * x)
            d = e * _normalCDF(hpt) - _normalCDF(hmt) / e
        }
        ratio = V.select(small, ratio, r)
        b = V.select(V.and(V.not(small), direct), d, b)
        let useRatio = V.or(small, V.not(direct))
        return (V.select(useRatio, vega * ratio, b), vega)
    }
    return (vega * ratio, vega)
}

/// b_max - b(x, s) = e^(x/2) N(-h-t) + e^(-x/2) N(h-t) for x <= 0, without
/// the cancellation of the difference (needed when b is close to its
/// upper bound e^(x/2), i.e. at large s).
@inline(__always)
func _normalisedBlackComplement<V: _Lanes>(x: V, s: V) -> V {
    let h = x / s
    let t = V.splat(0.5) * s
    let e = _exp(V.splat(0.5) * x)
    return e * _normalCDF(-(h + t)) + _normalCDF(h - t) / e
}

/// e^(x/2) - e^(-x/2) = 2 sinh(x/2), accurate to a couple of ulps also for
/// small |x| (Taylor series below |x/2| = 0.5, where the difference of the
/// exponentials would lose the leading digits).
@inline(__always)
func _twoSinhHalf<V: _Lanes>(_ x: V, expHalf ex: V) -> V {
    let y = V.splat(0.5) * x
    let yy = y * y
    var p = V.splat(1.0 / 1_307_674_368_000)
    p = V.multiplyAdd(p, yy, .splat(1.0 / 6_227_020_800))
    p = V.multiplyAdd(p, yy, .splat(1.0 / 39_916_800))
    p = V.multiplyAdd(p, yy, .splat(1.0 / 362_880))
    p = V.multiplyAdd(p, yy, .splat(1.0 / 5_040))
    p = V.multiplyAdd(p, yy, .splat(1.0 / 120))
    p = V.multiplyAdd(p, yy, .splat(1.0 / 6))
    let series = V.splat(2) * V.multiplyAdd(y * yy, p, y)
    return V.select(V.lanesLess(y.laneMagnitude, .splat(0.5)), series, ex - V.splat(1) / ex)
}

/// a - b c computed so that the rounding of the product b c is recovered;
/// exact when a and b c are within a factor of two of each other. Fused: one
/// `fma(-b, c, a)`, which rounds a - b c once (exact where it is a double).
/// Unfused: Dekker's product with Veltkamp's split.
@inline(__always)
func _productResidual<V: _Lanes>(_ a: V, _ b: V, _ c: V) -> V {
    #if GAMMAFLOW_FMA
        return V.multiplyAdd(-b, c, a)
    #else
        let split = V.splat(134_217_729.0)  // 2^27 + 1
        let cb = split * b
        let bh = cb - (cb - b)
        let bl = b - bh
        let cc = split * c
        let ch = cc - (cc - c)
        let cl = c - ch
        let p = b * c
        let e = ((bh * ch - p) + bh * cl + bl * ch) + bl * cl
        return (a - p) - e
    #endif
}

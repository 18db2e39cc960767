// exp(x) for one or eight lanes: Cody-Waite reduction by ln 2, a degree-13
// Taylor polynomial on |r| <= ln2/2, and scaling by 2^n built from bits.
//
// Error (measured, see Docs/Accuracy.md): at most 1 ulp against the platform
// exp on x in [-745.13, 709.78] (32,000 seeded points, subnormal results
// included), and `_exp(x, tail:)` at most 1 ulp against e^x (1 + tail) in
// extended precision; below -745.13 the result is exactly 0 (-745.2 and
// beyond by an explicit mask), subnormal results are produced by a two-step
// scale (exp(-745.13) is the smallest subnormal); above 709.78 it is +inf.
// Valid range: finite x (NaN is not handled; the kernels never pass it).

/// ln 2 split so that `n * _ln2Hi` is exact for |n| < 2^11.
@usableFromInline let _ln2Hi = 6.931_471_803_691_238_164_90e-01
@usableFromInline let _ln2Lo = 1.908_214_929_270_587_700_02e-10
@usableFromInline let _log2e = 1.442_695_040_888_963_387_00

/// e^x.
@inlinable @inline(__always)
func _exp<V: _Lanes>(_ x: V) -> V {
    _exp(x, tail: .splat(0))
}

/// e^(x + tail) where `tail` is a small correction (|tail| << 1) carried
/// separately, e.g. the low part of an exactly split square; the sum is never
/// rounded, so `x` may be large without losing the tail.
@inlinable @inline(__always)
func _exp<V: _Lanes>(_ x: V, tail: V) -> V {
    let p = _expParts(x, tail: tail)
    let y = p.mantissa * p.scale1 * p.scale2
    return V.select(p.overflow, .splat(.infinity), V.select(p.underflow, .splat(0), y))
}

/// The pieces of e^(x + tail) = mantissa * scale1 * scale2, with
/// mantissa = e^r (|r| <= ln2 / 2 plus the tail) and the scales the two
/// halves of 2^n; lanes flagged `underflow` (x < -745.2) are exactly 0 and
/// `overflow` (x > 709.79) +inf, whatever the pieces hold.
@inlinable @inline(__always)
func _expParts<V: _Lanes>(
    _ x: V, tail: V
) -> (mantissa: V, scale1: V, scale2: V, underflow: V.Mask, overflow: V.Mask) {
    _expParts(x, tail: tail, shifted: V.multiplyAdd(x, .splat(_log2e), .splat(_expShifter)))
}

/// 1.5 * 2^52: added to x log2(e), it rounds to an integer in the low bits.
@usableFromInline let _expShifter = 6_755_399_441_055_744.0

/// `_expParts(x, tail:)` given `shifted`, any value within about 2^-40 of
/// `x log2(e) + _expShifter` (the reduction takes n from it; a caller that
/// knows x as a sum can form it without waiting for the sum).
@inlinable @inline(__always)
func _expParts<V: _Lanes>(
    _ x: V, tail: V, shifted k: V
) -> (mantissa: V, scale1: V, scale2: V, underflow: V.Mask, overflow: V.Mask) {
    let shifter = V.splat(_expShifter)
    let n = k - shifter
    // r = x - n ln2 (Cody-Waite), then the tail. n * _ln2Hi is exact, so the
    // first step is exact fused or not; the fused second step rounds once.
    let r = V.multiplyAdd(-n, .splat(_ln2Lo), V.multiplyAdd(-n, .splat(_ln2Hi), x) + tail)
    // exp(r) = 1 + r + r^2 p(r), p(r) = 1/2! + r/3! + ... + r^11/13!, |r| <= 0.3466
    // (truncation < 4e-18). Estrin's scheme: the pairs, then r^2, r^4, r^8
    // combine them, so the dependency chain is about 7 operations deep
    // instead of Horner's 24 (the kernels are bound by this latency); with
    // fused multiply-adds it is 5 deep and 20 instructions.
    let r2 = r * r
    let r4 = r2 * r2
    let r8 = r4 * r4
    let q0 = V.multiplyAdd(r, .splat(1.0 / 6.0), .splat(1.0 / 2.0))
    let q1 = V.multiplyAdd(r, .splat(1.0 / 120.0), .splat(1.0 / 24.0))
    let q2 = V.multiplyAdd(r, .splat(1.0 / 5_040.0), .splat(1.0 / 720.0))
    let q3 = V.multiplyAdd(r, .splat(1.0 / 362_880.0), .splat(1.0 / 40_320.0))
    let q4 = V.multiplyAdd(r, .splat(1.0 / 39_916_800.0), .splat(1.0 / 3_628_800.0))
    let q5 = V.multiplyAdd(r, .splat(1.0 / 6_227_020_800.0), .splat(1.0 / 479_001_600.0))
    let e0 = V.multiplyAdd(q1, r2, q0)
    let e1 = V.multiplyAdd(q3, r2, q2)
    let e2 = V.multiplyAdd(q5, r2, q4)
    let p = V.multiplyAdd(e2, r8, V.multiplyAdd(e1, r4, e0))
    let er = V.splat(1) + V.multiplyAdd(r2, p, r)
    // 2^n as two factors 2^(n1) * 2^(n2), n1 = floor(n/2), so that every n in
    // [-1075, 1024] (subnormal results included) scales without overflow.
    let nBits = k.laneBits &- shifter.laneBits  // n as two's complement
    let n1 = V.Bits.splat(0) &+ _arithmeticHalf(nBits)
    let n2 = nBits &- n1
    let bias = V.Bits.splat(1023)
    let s1 = V(laneBits: (n1 &+ bias) &<< 52)
    let s2 = V(laneBits: (n2 &+ bias) &<< 52)
    // Out of range: exact 0 below the smallest subnormal, +inf above the largest double.
    return (er, s1, s2, V.lanesLess(x, .splat(-745.2)), V.lanesLess(.splat(709.79), x))
}

/// floor(n / 2) for two's-complement lanes (an arithmetic shift right by 1).
@inlinable @inline(__always)
func _arithmeticHalf<B: _LaneBits>(_ n: B) -> B {
    // (n >> 1) with the sign bit copied: add 2^62 offset trick avoided; use
    // ((n + 2^63) >> 1) - 2^62, exact for |n| < 2^62.
    let offset = B.splat(1 << 63)
    return ((n &+ offset) &>> 1) &- B.splat(1 << 62)
}

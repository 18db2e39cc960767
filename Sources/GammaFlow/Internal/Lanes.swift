// The lane abstraction that lets one kernel body compile to both the SIMD
// batch kernel (`SIMD8<Double>`, eight options per step) and its scalar twin
// (`Double`, the tail and the reference for lane tests). Both instantiations
// run the same operations in the same order, so they agree lane for lane.
//
// Everything here is internal: the public API sees value types and arrays.

import _GammaFlowShims

/// Eight lanes: one AVX-512 register, two AVX2 registers, four SSE2 / NEON registers.
@usableFromInline
typealias _Vector = SIMD8<Double>

/// Unsigned 64-bit lanes, for bit-level work in exp and log.
@usableFromInline
protocol _LaneBits {
    static func splat(_ x: UInt64) -> Self
    static func &+ (a: Self, b: Self) -> Self
    static func &- (a: Self, b: Self) -> Self
    static func & (a: Self, b: Self) -> Self
    static func | (a: Self, b: Self) -> Self
    static func &<< (a: Self, b: UInt64) -> Self
    static func &>> (a: Self, b: UInt64) -> Self
}

/// A value of one or more `Double` lanes with the operations the kernels use.
@usableFromInline
protocol _Lanes {
    associatedtype Mask
    associatedtype Bits: _LaneBits

    static func splat(_ x: Double) -> Self
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    /// The correctly rounded square root of every lane, through the C shim
    /// (`_gf_sqrt8`): one vector instruction in every build, where the
    /// standard library's `squareRoot()` keeps errno and scalarises unless
    /// the build passes `-Xcc -fno-math-errno`.
    func laneSquareRoot() -> Self
    /// `|x|` in every lane.
    var laneMagnitude: Self { get }
    /// The IEEE bit pattern of every lane.
    var laneBits: Bits { get }
    init(laneBits: Bits)

    static func lanesLess(_ a: Self, _ b: Self) -> Mask
    static func lanesLessOrEqual(_ a: Self, _ b: Self) -> Mask
    static func lanesEqual(_ a: Self, _ b: Self) -> Mask
    /// Per lane: `mask ? a : b`.
    static func select(_ mask: Mask, _ a: Self, _ b: Self) -> Self
    static func any(_ mask: Mask) -> Bool
    static func all(_ mask: Mask) -> Bool
    static func and(_ a: Mask, _ b: Mask) -> Mask
    static func or(_ a: Mask, _ b: Mask) -> Mask
    static func not(_ a: Mask) -> Mask
    static func minimum(_ a: Self, _ b: Self) -> Self
    static func maximum(_ a: Self, _ b: Self) -> Self
    /// `a * b + c`: one fused multiply-add (a single rounding) in builds
    /// compiled with `-Xswiftc -DGAMMAFLOW_FMA`, a product and a sum (two
    /// roundings) otherwise. See `_fusedMultiplyAdd`.
    static func multiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self
}

// Fused multiply-add is a build choice, not a run-time one. Swift never
// contracts `a * b + c`, and `addingProduct` is an FMA instruction only where
// the target has one (x86-64 with FMA3, i.e. `-Xcc -march=haswell` or later,
// and every arm64); on a baseline x86-64 target it becomes a call to libm's
// `fma`, far slower than the two roundings it saves. So the portable build
// keeps `a * b + c`, and the tuned build (`make tuned`, which passes
// `-Xcc -march=native -Xswiftc -DGAMMAFLOW_FMA`) fuses. Both are correct;
// the fused one rounds less (Docs/Accuracy.md measures both).

/// True when `multiplyAdd` is fused in this build.
@usableFromInline let _fusedMultiplyAdd: Bool = {
    #if GAMMAFLOW_FMA
        return true
    #else
        return false
    #endif
}()

extension UInt64: _LaneBits {
    @inlinable @inline(__always) static func splat(_ x: UInt64) -> UInt64 { x }
}

extension SIMD8: _LaneBits where Scalar == UInt64 {
    @inlinable @inline(__always) static func splat(_ x: UInt64) -> Self { Self(repeating: x) }
}

extension Double: _Lanes {
    @usableFromInline typealias Mask = Bool
    @usableFromInline typealias Bits = UInt64

    @inlinable @inline(__always) static func splat(_ x: Double) -> Double { x }
    @inlinable @inline(__always) func laneSquareRoot() -> Double { _gf_sqrt(self) }
    @inlinable @inline(__always) var laneMagnitude: Double { Swift.abs(self) }
    @inlinable @inline(__always) var laneBits: UInt64 { bitPattern }
    @inlinable @inline(__always) init(laneBits: UInt64) { self.init(bitPattern: laneBits) }
    @inlinable @inline(__always) static func lanesLess(_ a: Double, _ b: Double) -> Bool { a < b }
    @inlinable @inline(__always) static func lanesLessOrEqual(_ a: Double, _ b: Double) -> Bool { a <= b }
    @inlinable @inline(__always) static func lanesEqual(_ a: Double, _ b: Double) -> Bool { a == b }
    @inlinable @inline(__always) static func select(_ m: Bool, _ a: Double, _ b: Double) -> Double { m ? a : b }
    @inlinable @inline(__always) static func any(_ m: Bool) -> Bool { m }
    @inlinable @inline(__always) static func all(_ m: Bool) -> Bool { m }
    @inlinable @inline(__always) static func and(_ a: Bool, _ b: Bool) -> Bool { a && b }
    @inlinable @inline(__always) static func or(_ a: Bool, _ b: Bool) -> Bool { a || b }
    @inlinable @inline(__always) static func not(_ a: Bool) -> Bool { !a }
    // Branch-free on purpose: NaN never reaches the kernels (inputs are validated).
    @inlinable @inline(__always) static func minimum(_ a: Double, _ b: Double) -> Double { a < b ? a : b }
    @inlinable @inline(__always) static func maximum(_ a: Double, _ b: Double) -> Double { a > b ? a : b }
    @inlinable @inline(__always) static func multiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double {
        #if GAMMAFLOW_FMA
            return c.addingProduct(a, b)
        #else
            return a * b + c
        #endif
    }
}

extension SIMD8: _Lanes where Scalar == Double {
    /// Lane masks are all ones (true) or all zeros (false) in 64-bit lanes.
    ///
    /// They are built arithmetically rather than with `.<`: the standard
    /// library's comparison operators produce a `SIMDMask` lane by lane, and
    /// converting it, selecting with `replacing(with:where:)` or reducing it
    /// with `any`/`all` scalarises the whole kernel (measured: two-lane `xmm`
    /// code instead of `zmm`). For finite inputs, `a < b` exactly when
    /// `(a - b) + 0` is negative (the `+ 0` turns `-0` into `+0`), so the mask
    /// is the sign bit spread over the lane.
    @usableFromInline typealias Mask = SIMD8<UInt64>
    @usableFromInline typealias Bits = SIMD8<UInt64>

    @inlinable @inline(__always) static func _signMask(_ d: Self) -> Mask {
        Mask(repeating: 0) &- ((d + Self(repeating: 0)).laneBits &>> 63)
    }

    @inlinable @inline(__always) static func splat(_ x: Double) -> Self { Self(repeating: x) }
    @inlinable @inline(__always) func laneSquareRoot() -> Self { _gf_sqrt8(self) }
    @inlinable @inline(__always) var laneMagnitude: Self {
        Self(laneBits: laneBits & SIMD8<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF))
    }
    @inlinable @inline(__always) var laneBits: SIMD8<UInt64> { unsafeBitCast(self, to: SIMD8<UInt64>.self) }
    @inlinable @inline(__always) init(laneBits: SIMD8<UInt64>) { self = unsafeBitCast(laneBits, to: Self.self) }
    @inlinable @inline(__always) static func lanesLess(_ a: Self, _ b: Self) -> Mask { _signMask(a - b) }
    @inlinable @inline(__always) static func lanesLessOrEqual(_ a: Self, _ b: Self) -> Mask { ~_signMask(b - a) }
    @inlinable @inline(__always) static func lanesEqual(_ a: Self, _ b: Self) -> Mask {
        // |a - b| has all-zero bits exactly when a == b; subtracting 1 then borrows into the sign.
        let m = (a - b).laneBits & Mask(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        return Mask(repeating: 0) &- ((m &- Mask(repeating: 1)) &>> 63)
    }
    @inlinable @inline(__always) static func select(_ m: Mask, _ a: Self, _ b: Self) -> Self {
        Self(laneBits: (a.laneBits & m) | (b.laneBits & ~m))
    }
    @inlinable @inline(__always) static func any(_ m: Mask) -> Bool {
        let four = m.lowHalf | m.highHalf
        let two = four.lowHalf | four.highHalf
        return (two.x | two.y) != 0
    }
    @inlinable @inline(__always) static func all(_ m: Mask) -> Bool {
        let four = m.lowHalf & m.highHalf
        let two = four.lowHalf & four.highHalf
        return (two.x & two.y) == ~0
    }
    @inlinable @inline(__always) static func and(_ a: Mask, _ b: Mask) -> Mask { a & b }
    @inlinable @inline(__always) static func or(_ a: Mask, _ b: Mask) -> Mask { a | b }
    @inlinable @inline(__always) static func not(_ a: Mask) -> Mask { ~a }
    @inlinable @inline(__always) static func minimum(_ a: Self, _ b: Self) -> Self { select(lanesLess(a, b), a, b) }
    @inlinable @inline(__always) static func maximum(_ a: Self, _ b: Self) -> Self { select(lanesLess(b, a), a, b) }
    @inlinable @inline(__always) static func multiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self {
        #if GAMMAFLOW_FMA
            return c.addingProduct(a, b)
        #else
            return a * b + c
        #endif
    }
}

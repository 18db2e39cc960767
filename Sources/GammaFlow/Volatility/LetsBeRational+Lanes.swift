// The lane types the implied-vol solver runs on: `SIMD8<Double>` and
// `SIMD16<Double>` with their own mask tests.
//
// Why not `SIMD8<Double>` through `_Lanes` directly: the solver's body is one
// very large function after inlining, and there the optimiser stops inlining
// the standard library's `any(_:)` / `all(_:)` on `SIMDMask`. They then become
// out-of-line calls to the generic `min()` / `max()` reductions, a scalar loop
// over the lanes with the mask spilled to memory, about 30 times per solve.
// Callgrind put 15% of all instructions there (`SIMD.min()` / `SIMD.max()` on
// `SIMD8<Int64>`). Here a mask test is an OR / AND tree of three vector
// instructions and a compare. (Selecting with AND / ANDN / OR on the mask's
// bits instead of `replacing(with:where:)` was tried and is worse: LLVM
// then moves the mask into k registers two lanes at a time.)
//
// Every operation gives, lane for lane, exactly what `Double`'s `_Lanes`
// conformance gives, so a SIMD lane still equals the scalar twin bit for bit.

import _GammaFlowShims

/// Eight `Double` lanes for the implied-vol kernel (see the file comment).
@usableFromInline
struct _IVLanes8 {
    @usableFromInline var v: SIMD8<Double>

    @inlinable @inline(__always) init(_ v: SIMD8<Double>) { self.v = v }
}

extension _IVLanes8: _Lanes {
    @usableFromInline typealias Mask = SIMDMask<SIMD8<Int64>>
    @usableFromInline typealias Bits = SIMD8<UInt64>

    @inlinable @inline(__always) static func splat(_ x: Double) -> Self { Self(SIMD8(repeating: x)) }
    @inlinable @inline(__always) static func + (a: Self, b: Self) -> Self { Self(a.v + b.v) }
    @inlinable @inline(__always) static func - (a: Self, b: Self) -> Self { Self(a.v - b.v) }
    @inlinable @inline(__always) static func * (a: Self, b: Self) -> Self { Self(a.v * b.v) }
    @inlinable @inline(__always) static func / (a: Self, b: Self) -> Self { Self(a.v / b.v) }
    @inlinable @inline(__always) static prefix func - (a: Self) -> Self { Self(-a.v) }
    @inlinable @inline(__always) func laneSquareRoot() -> Self { Self(_gf_sqrt8(v)) }
    @inlinable @inline(__always) var laneMagnitude: Self {
        Self(laneBits: laneBits & SIMD8(repeating: 0x7FFF_FFFF_FFFF_FFFF))
    }
    @inlinable @inline(__always) var laneBits: SIMD8<UInt64> { unsafeBitCast(v, to: SIMD8<UInt64>.self) }
    @inlinable @inline(__always) init(laneBits: SIMD8<UInt64>) { v = unsafeBitCast(laneBits, to: SIMD8<Double>.self) }

    @inlinable @inline(__always) static func lanesLess(_ a: Self, _ b: Self) -> Mask { a.v .< b.v }
    @inlinable @inline(__always) static func lanesLessOrEqual(_ a: Self, _ b: Self) -> Mask { a.v .<= b.v }
    @inlinable @inline(__always) static func lanesEqual(_ a: Self, _ b: Self) -> Mask { a.v .== b.v }
    @inlinable @inline(__always) static func select(_ m: Mask, _ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: m))
    }
    // OR / AND trees on the mask's storage (each lane all ones or all zeros)
    // instead of the standard library's `any` / `all`, which the optimiser
    // leaves out of line in a function this large.
    @inlinable @inline(__always) static func any(_ m: Mask) -> Bool {
        let h = m._storage.lowHalf | m._storage.highHalf
        let q = h.lowHalf | h.highHalf
        return (q.x | q.y) != 0
    }
    @inlinable @inline(__always) static func all(_ m: Mask) -> Bool {
        let h = m._storage.lowHalf & m._storage.highHalf
        let q = h.lowHalf & h.highHalf
        return (q.x & q.y) != 0
    }
    @inlinable @inline(__always) static func and(_ a: Mask, _ b: Mask) -> Mask { a .& b }
    @inlinable @inline(__always) static func or(_ a: Mask, _ b: Mask) -> Mask { a .| b }
    @inlinable @inline(__always) static func not(_ a: Mask) -> Mask { .!a }
    // `a < b ? a : b` per lane, as `Double.minimum` in `_Lanes` (compiles to minpd).
    @inlinable @inline(__always) static func minimum(_ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: a.v .< b.v))
    }
    @inlinable @inline(__always) static func maximum(_ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: a.v .> b.v))
    }
    @inlinable @inline(__always) static func multiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self {
        #if GAMMAFLOW_FMA
            return Self(c.v.addingProduct(a.v, b.v))
        #else
            return Self(a.v * b.v + c.v)
        #endif
    }
}

/// Sixteen `Double` lanes: two independent eight-lane streams per operation,
/// for more instruction-level parallelism in the latency-bound polynomial and
/// division chains of the kernel (see `Docs/ImpliedVolatility.md`).
@usableFromInline
struct _IVLanes16 {
    @usableFromInline var v: SIMD16<Double>

    @inlinable @inline(__always) init(_ v: SIMD16<Double>) { self.v = v }
}

extension SIMD16: _LaneBits where Scalar == UInt64 {
    @inlinable @inline(__always) static func splat(_ x: UInt64) -> Self { Self(repeating: x) }
}

extension _IVLanes16: _Lanes {
    @usableFromInline typealias Mask = SIMDMask<SIMD16<Int64>>
    @usableFromInline typealias Bits = SIMD16<UInt64>

    @inlinable @inline(__always) static func splat(_ x: Double) -> Self { Self(SIMD16(repeating: x)) }
    @inlinable @inline(__always) static func + (a: Self, b: Self) -> Self { Self(a.v + b.v) }
    @inlinable @inline(__always) static func - (a: Self, b: Self) -> Self { Self(a.v - b.v) }
    @inlinable @inline(__always) static func * (a: Self, b: Self) -> Self { Self(a.v * b.v) }
    @inlinable @inline(__always) static func / (a: Self, b: Self) -> Self { Self(a.v / b.v) }
    @inlinable @inline(__always) static prefix func - (a: Self) -> Self { Self(-a.v) }
    @inlinable @inline(__always) func laneSquareRoot() -> Self { Self(_gf_sqrt16(v)) }
    @inlinable @inline(__always) var laneMagnitude: Self {
        Self(laneBits: laneBits & SIMD16(repeating: 0x7FFF_FFFF_FFFF_FFFF))
    }
    @inlinable @inline(__always) var laneBits: SIMD16<UInt64> { unsafeBitCast(v, to: SIMD16<UInt64>.self) }
    @inlinable @inline(__always) init(laneBits: SIMD16<UInt64>) {
        v = unsafeBitCast(laneBits, to: SIMD16<Double>.self)
    }

    @inlinable @inline(__always) static func lanesLess(_ a: Self, _ b: Self) -> Mask { a.v .< b.v }
    @inlinable @inline(__always) static func lanesLessOrEqual(_ a: Self, _ b: Self) -> Mask { a.v .<= b.v }
    @inlinable @inline(__always) static func lanesEqual(_ a: Self, _ b: Self) -> Mask { a.v .== b.v }
    @inlinable @inline(__always) static func select(_ m: Mask, _ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: m))
    }
    @inlinable @inline(__always) static func any(_ m: Mask) -> Bool {
        let e = m._storage.lowHalf | m._storage.highHalf
        let h = e.lowHalf | e.highHalf
        let q = h.lowHalf | h.highHalf
        return (q.x | q.y) != 0
    }
    @inlinable @inline(__always) static func all(_ m: Mask) -> Bool {
        let e = m._storage.lowHalf & m._storage.highHalf
        let h = e.lowHalf & e.highHalf
        let q = h.lowHalf & h.highHalf
        return (q.x & q.y) != 0
    }
    @inlinable @inline(__always) static func and(_ a: Mask, _ b: Mask) -> Mask { a .& b }
    @inlinable @inline(__always) static func or(_ a: Mask, _ b: Mask) -> Mask { a .| b }
    @inlinable @inline(__always) static func not(_ a: Mask) -> Mask { .!a }
    @inlinable @inline(__always) static func minimum(_ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: a.v .< b.v))
    }
    @inlinable @inline(__always) static func maximum(_ a: Self, _ b: Self) -> Self {
        Self(b.v.replacing(with: a.v, where: a.v .> b.v))
    }
    @inlinable @inline(__always) static func multiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self {
        #if GAMMAFLOW_FMA
            return Self(c.v.addingProduct(a.v, b.v))
        #else
            return Self(a.v * b.v + c.v)
        #endif
    }
}

import Dispatch
import Foundation

/// The number of usable cores, read once: Foundation re-reads the cgroup
/// quota files on every `activeProcessorCount` call.
@usableFromInline
let _activeCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Splits `0..<count` into contiguous chunks, each a multiple of 8 long
/// (except the last), and runs `body` on them on `threads` workers.
/// `threads == nil` picks one worker below 32,768 items and every core above.
@usableFromInline
func _parallelChunks(count: Int, threads: Int?, _ body: @Sendable (Range<Int>) -> Void) {
    let cores = _activeCores
    let workers = max(1, min(threads ?? (count < 32_768 ? 1 : cores), (count + 7) / 8))
    if workers == 1 || count == 0 {
        body(0..<count)
        return
    }
    let per = ((count + workers - 1) / workers + 7) / 8 * 8
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = min(w * per, count)
        let hi = min(lo + per, count)
        if lo < hi { body(lo..<hi) }
    }
}

/// The output columns of a batch evaluation as raw pointers (nil: not
/// selected). Only this internal layer sees it.
@usableFromInline
struct _OutputColumns: @unchecked Sendable {
    var price, delta, gamma, vega, theta, vanna, charm, vomma, speed, zomma, color: UnsafeMutablePointer<Double>?

    /// Stores eight lanes at `i`.
    @inline(__always)
    func store(_ g: _GreekLanes<_Vector>, at i: Int) {
        @inline(__always) func put(_ p: UnsafeMutablePointer<Double>?, _ v: _Vector) {
            if let p { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: _Vector.self) }
        }
        put(price, g.price)
        put(delta, g.delta)
        put(gamma, g.gamma)
        put(vega, g.vega)
        put(theta, g.theta)
        put(vanna, g.vanna)
        put(charm, g.charm)
        put(vomma, g.vomma)
        put(speed, g.speed)
        put(zomma, g.zomma)
        put(color, g.color)
    }

    /// Stores gamma and vanna (where selected) of eight options at `i`; for
    /// selections within `.gammaVanna`, whose other columns are absent.
    @inline(__always)
    func storeGammaVanna(gamma g: _Vector, vanna v: _Vector, at i: Int) {
        if let gamma { UnsafeMutableRawPointer(gamma + i).storeBytes(of: g, as: _Vector.self) }
        if let vanna { UnsafeMutableRawPointer(vanna + i).storeBytes(of: v, as: _Vector.self) }
    }

    /// Stores one option at `i`.
    @inline(__always)
    func store(_ g: _GreekLanes<Double>, at i: Int) {
        price?[i] = g.price
        delta?[i] = g.delta
        gamma?[i] = g.gamma
        vega?[i] = g.vega
        theta?[i] = g.theta
        vanna?[i] = g.vanna
        charm?[i] = g.charm
        vomma?[i] = g.vomma
        speed?[i] = g.speed
        zomma?[i] = g.zomma
        color?[i] = g.color
    }

    /// Stores the Greeks of one option computed by the scalar reference.
    func store(_ g: OptionGreeks, at i: Int) {
        price?[i] = g.price
        delta?[i] = g.delta
        gamma?[i] = g.gamma
        vega?[i] = g.vega
        theta?[i] = g.theta
        vanna?[i] = g.vanna
        charm?[i] = g.charm
        vomma?[i] = g.vomma
        speed?[i] = g.speed
        zomma?[i] = g.zomma
        color?[i] = g.color
    }
}

/// Loads eight lanes at `i`.
@inline(__always)
func _load(_ p: UnsafePointer<Double>, _ i: Int) -> _Vector {
    UnsafeRawPointer(p + i).loadUnaligned(as: _Vector.self)
}

/// phi (+1 for a call, -1 for a put) of the eight options from `i`, read
/// straight from the kind column: an `OptionKind` is one byte holding its
/// case index, 0 for `.call` and 1 for `.put` (pinned by a test), so the
/// byte shifted into the sign bit of 1.0 is phi. No phi column is built
/// (at a million options that was an 8 MB allocation and its page faults
/// per call).
@inline(__always)
func _loadPhi(_ kinds: UnsafePointer<OptionKind>, _ i: Int) -> _Vector {
    let bytes = UnsafeRawPointer(kinds + i).loadUnaligned(as: SIMD8<UInt8>.self)
    let sign = SIMD8<UInt64>(truncatingIfNeeded: bytes) &<< 63
    return _Vector(laneBits: _Vector.splat(1).laneBits | sign)
}

extension ChainGreeks {
    /// Runs `body` with raw pointers to the selected columns.
    mutating func _withOutputs<R>(_ body: (_OutputColumns) -> R) -> R {
        let sel = selection
        func ptr(_ b: UnsafeMutableBufferPointer<Double>, _ g: GreekSelection) -> UnsafeMutablePointer<Double>? {
            sel.contains(g) ? b.baseAddress : nil
        }
        return price.withUnsafeMutableBufferPointer { p0 in
            delta.withUnsafeMutableBufferPointer { p1 in
                gamma.withUnsafeMutableBufferPointer { p2 in
                    vega.withUnsafeMutableBufferPointer { p3 in
                        theta.withUnsafeMutableBufferPointer { p4 in
                            vanna.withUnsafeMutableBufferPointer { p5 in
                                charm.withUnsafeMutableBufferPointer { p6 in
                                    vomma.withUnsafeMutableBufferPointer { p7 in
                                        speed.withUnsafeMutableBufferPointer { p8 in
                                            zomma.withUnsafeMutableBufferPointer { p9 in
                                                color.withUnsafeMutableBufferPointer { p10 in
                                                    body(
                                                        _OutputColumns(
                                                            price: ptr(p0, .price), delta: ptr(p1, .delta),
                                                            gamma: ptr(p2, .gamma), vega: ptr(p3, .vega),
                                                            theta: ptr(p4, .theta), vanna: ptr(p5, .vanna),
                                                            charm: ptr(p6, .charm), vomma: ptr(p7, .vomma),
                                                            speed: ptr(p8, .speed), zomma: ptr(p9, .zomma),
                                                            color: ptr(p10, .color)))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// Swift side of the AVX-512 C GEX-profile yardstick (issue 4): the book's
// per-option invariants prepared once, the grid split across threads, and the
// check against the library's own DealerBook.gexProfile(spots:method: .fused).

import CGreeksAVX512
import Dispatch
import Foundation
import GammaFlow

/// The C GEX-profile kernel's prepared inputs for one ``DealerBook`` and one grid, allocated once.
public final class ProfileColumns: @unchecked Sendable {
    /// Options in the book.
    public let options: Int
    /// Options padded to a multiple of 8 (zero weight in the padding).
    public let padded: Int
    /// The grid spots.
    public let spots: [Double]
    /// GEX at each grid spot after the last ``run(threads:)``, $ per 1% move.
    public let gex: UnsafeMutablePointer<Double>

    // a, b, w columns of `padded` each, 64-byte aligned; then the spots.
    let storage: UnsafeMutableRawPointer
    var a: UnsafeMutablePointer<Double> { storage.assumingMemoryBound(to: Double.self) }
    var b: UnsafeMutablePointer<Double> { a + padded }
    var w: UnsafeMutablePointer<Double> { a + 2 * padded }
    var grid: UnsafeMutablePointer<Double> { a + 3 * padded }

    /// Prepares `book` (positions, multipliers, r, q) for the grid `spots`.
    public init(book: DealerBook, spots: [Double]) {
        let chain = book.chain
        options = book.count
        padded = (options + 7) / 8 * 8
        self.spots = spots
        storage = .allocate(byteCount: (3 * max(padded, 8) + max(spots.count, 1)) * 8, alignment: 64)
        gex = .allocate(capacity: max(spots.count, 1))
        gex.initialize(repeating: 0, count: max(spots.count, 1))
        let p = gf_gex_profile_prepare(
            options, chain.strikes, chain.yearsToExpiry, chain.impliedVols, book.positions, chain.multipliers,
            book.rate, book.dividendYield, storage.assumingMemoryBound(to: Double.self),
            storage.assumingMemoryBound(to: Double.self) + padded,
            storage.assumingMemoryBound(to: Double.self) + 2 * padded)
        precondition(p == padded, "ProfileColumns: padding mismatch")
        for (s, S) in spots.enumerated() { grid[s] = S }
    }
    deinit {
        storage.deallocate()
        gex.deallocate()
    }

    /// GEX over the grid on `threads` workers, each a contiguous block of grid spots
    /// (multiples of 4, the C kernel's spot block).
    public func run(threads: Int) {
        let m = spots.count
        let p = Pointers(self)
        let workers = max(1, min(threads, (m + 3) / 4))
        if workers == 1 {
            gf_avx512_gex_profile(padded, p.a, p.b, p.w, m, p.grid, p.gex)
        } else {
            let per = ((m + workers - 1) / workers + 3) / 4 * 4
            DispatchQueue.concurrentPerform(iterations: workers) { k in
                let lo = min(k * per, m)
                let hi = min(lo + per, m)
                if lo < hi { gf_avx512_gex_profile(p.padded, p.a, p.b, p.w, hi - lo, p.grid + lo, p.gex + lo) }
            }
        }
        withExtendedLifetime(self) {}
    }

    struct Pointers: @unchecked Sendable {
        let padded: Int
        let a, b, w, grid, gex: UnsafeMutablePointer<Double>
        init(_ c: ProfileColumns) { (padded, a, b, w, grid, gex) = (c.padded, c.a, c.b, c.w, c.grid, c.gex) }
    }

    /// The C profile disagrees with the library's.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the C kernel on 1 and 2 threads and compares every grid spot with
    /// `book.gexProfile(spots:method: .fused)`: |C - library| / max |library| <= `tolerance`.
    /// - Returns: a one-line report of the worst error.
    /// - Throws: ``Mismatch`` naming the spot and both values.
    @discardableResult
    public func check(against book: DealerBook, tolerance: Double = 1e-10) throws -> String {
        let expected = book.gexProfile(spots: spots, method: .fused, threads: 1)
        let scale = expected.reduce(0) { max($0, abs($1)) }
        guard scale > 0, scale.isFinite else {
            throw Mismatch(description: "library GEX profile is zero or not finite (max |GEX| = \(scale))")
        }
        var report: [String] = []
        for threads in [1, 2] {
            for s in 0..<spots.count { gex[s] = .nan }
            run(threads: threads)
            var (worst, at) = (0.0, 0)
            for s in 0..<spots.count {
                let e = abs(gex[s] - expected[s]) / scale
                if !(e <= worst) { (worst, at) = (e, s) }
            }
            report.append("threads \(threads): \(String(format: "%.2e", worst))")
            if !(worst <= tolerance) {
                throw Mismatch(
                    description:
                        "C AVX-512 GEX profile (threads \(threads)) disagrees with DealerBook.gexProfile(.fused) "
                        + "at spot \(spots[at]): got \(gex[at]), expected \(expected[at]) "
                        + "(error \(worst) of max |GEX| \(scale))")
            }
        }
        return "C AVX-512 GEX profile vs DealerBook.gexProfile(.fused), \(options) options x \(spots.count) spots, "
            + "worst error / max |GEX|: " + report.joined(separator: ", ")
    }
}

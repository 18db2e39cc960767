// Swift side of the AVX-512 C yardstick: columns of one chain laid out for
// the C kernels, outputs allocated once, chunking over threads like the
// library's batch kernels, and the check against the scalar reference.

import CGreeksAVX512
import Dispatch
import Foundation
import GammaFlow

/// The C kernels' inputs and outputs for one chain, allocated once.
public final class CColumns: @unchecked Sendable {
    public let n: Int
    let K, phi, T, sigma: [Double]
    /// Nine output columns of `n`: price, delta, gamma, vega, theta, vanna, charm, vomma, speed.
    public let out: UnsafeMutablePointer<Double>

    public static let columnNames = ["price", "delta", "gamma", "vega", "theta", "vanna", "charm", "vomma", "speed"]

    // Inputs copied into one allocation that this object owns (stable addresses).
    let inputs: UnsafeMutablePointer<Double>
    var inputK: UnsafePointer<Double> { UnsafePointer(inputs) }
    var inputPhi: UnsafePointer<Double> { UnsafePointer(inputs + n) }
    var inputT: UnsafePointer<Double> { UnsafePointer(inputs + 2 * n) }
    var inputSigma: UnsafePointer<Double> { UnsafePointer(inputs + 3 * n) }

    public init(_ chain: OptionChain) {
        n = chain.count
        K = chain.strikes
        phi = chain.kinds.map(\.phi)
        T = chain.yearsToExpiry
        sigma = chain.impliedVols
        out = .allocate(capacity: 9 * max(n, 1))
        out.initialize(repeating: 0, count: 9 * max(n, 1))
        inputs = .allocate(capacity: 4 * max(n, 1))
        inputs.initialize(repeating: 1, count: 4 * max(n, 1))
        for (k, column) in [K, phi, T, sigma].enumerated() {
            column.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { (inputs + k * n).update(from: base, count: n) }
            }
        }
    }
    deinit {
        out.deallocate()
        inputs.deallocate()
    }

    public func column(_ k: Int) -> UnsafeMutablePointer<Double> { out + k * n }

    /// Runs `body(range)` over `threads` contiguous chunks (multiples of 8 long).
    func chunks(_ threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let workers = max(1, min(threads, (n + 7) / 8))
        if workers == 1 { return body(0..<n) }
        let per = ((n + workers - 1) / workers + 7) / 8 * 8
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = min(w * per, n)
            let hi = min(lo + per, n)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Gamma (column 2) and vanna (column 5), from scratch.
    public func gammaVanna(_ m: MarketParameters, threads: Int) {
        let p = Pointers(self)
        chunks(threads) { r in
            let o = r.lowerBound
            gf_avx512_gamma_vanna(
                r.count, p.K + o, p.T + o, p.sigma + o, m.spot, m.rate, m.dividendYield, p.out + 2 * p.n + o,
                p.out + 5 * p.n + o)
        }
        withExtendedLifetime(self) {}
    }

    /// The nine standard Greeks, from scratch.
    public func standard(_ m: MarketParameters, threads: Int) {
        let p = Pointers(self)
        chunks(threads) { r in
            let o = r.lowerBound
            func c(_ k: Int) -> UnsafeMutablePointer<Double> { p.out + k * p.n + o }
            gf_avx512_standard(
                r.count, p.K + o, p.phi + o, p.T + o, p.sigma + o, m.spot, m.rate, m.dividendYield, c(0), c(1), c(2),
                c(3), c(4), c(5), c(6), c(7), c(8))
        }
        withExtendedLifetime(self) {}
    }

    /// Raw column addresses for the worker closures; valid while `self` lives
    /// (the input arrays are immutable `let`s, so their storage does not move).
    struct Pointers: @unchecked Sendable {
        let n: Int
        let K, phi, T, sigma: UnsafePointer<Double>
        let out: UnsafeMutablePointer<Double>
        init(_ c: CColumns) {
            n = c.n
            (K, phi, T, sigma) = (c.inputK, c.inputPhi, c.inputT, c.inputSigma)
            out = c.out
        }
    }

    /// A C kernel output that disagrees with `BlackScholes.greeks`.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs both C kernels on one thread and compares every output with
    /// `BlackScholes.greeks` on every option. Relative error, against
    /// max(|reference|, 1e-3 * largest |reference| of the column): outputs
    /// that pass through zero (vanna and vomma where d2 = 0, price, theta and
    /// charm by cancellation) have an unbounded relative condition number
    /// there, so near zero the error is measured against the column's scale.
    /// Tolerance 1e-10: a few ulps of exp and log amplified by |d1| (up to
    /// ~38 before n(d1) underflows) and by 1/v for 0DTE options.
    /// - Returns: a one-line report of the worst errors.
    /// - Throws: ``Mismatch`` naming the kernel, column, option and inputs.
    @discardableResult
    public func check(against chain: OptionChain, _ m: MarketParameters, tolerance: Double = 1e-10) throws -> String {
        let ref = (0..<n).map { i in
            BlackScholes.greeks(
                chain.kinds[i], spot: m.spot, strike: K[i], years: T[i], vol: sigma[i], rate: m.rate,
                dividendYield: m.dividendYield)
        }
        let paths: [KeyPath<OptionGreeks, Double>] = [
            \.price, \.delta, \.gamma, \.vega, \.theta, \.vanna, \.charm, \.vomma, \.speed,
        ]
        var report: [String] = []
        func compare(_ kernel: String, _ k: Int) throws {
            let expected = ref.map { $0[keyPath: paths[k]] }
            let floor = max(1e-300, 1e-3 * expected.reduce(0) { max($0, abs($1)) })
            let got = column(k)
            var (worst, at) = (0.0, 0)
            for i in 0..<n {
                let e = abs(got[i] - expected[i]) / max(abs(expected[i]), floor)
                if !(e <= worst) { (worst, at) = (e, i) }
            }
            report.append("\(kernel) \(Self.columnNames[k]) \(String(format: "%.2e", worst))")
            if !(worst <= tolerance) {
                throw Mismatch(
                    description:
                        "C \(kernel) \(Self.columnNames[k]) disagrees with BlackScholes.greeks at option \(at): "
                        + "got \(got[at]), expected \(expected[at]) (relative error \(worst)); K=\(K[at]) T=\(T[at]) "
                        + "sigma=\(sigma[at]) phi=\(phi[at]) \(m)")
            }
        }
        gammaVanna(m, threads: 1)
        for k in [2, 5] { try compare("gamma-vanna", k) }
        standard(m, threads: 1)
        for k in 0..<9 { try compare("standard", k) }
        return "C AVX-512 vs BlackScholes.greeks, n = \(n), worst relative errors: " + report.joined(separator: ", ")
    }
}

import Foundation
import Testing

@testable import GammaFlow

/// The folded grid kernel (Kernel+FoldedGrid.swift, ``ProfileMethod/folded``)
/// against the scalar reference `BlackScholes.greeks` summed option by option,
/// its vector body against its scalar twin lane by lane, and its exp against
/// the platform's.
@Suite struct FoldedProfileTests {
    /// Dealer GEX, DEX, VEX at `S` from the scalar reference, with the sums of |terms|.
    static func reference(_ book: DealerBook, spot S: Double) -> (value: [Double], scale: [Double]) {
        var value = [0.0, 0.0, 0.0]
        var scale = [1e-300, 1e-300, 1e-300]
        for i in 0..<book.count {
            let g = BlackScholes.greeks(
                book.chain.kinds[i], spot: S, strike: book.chain.strikes[i], years: book.chain.yearsToExpiry[i],
                vol: book.chain.impliedVols[i], rate: book.rate, dividendYield: book.dividendYield)
            let w = book.positions[i] * book.chain.multipliers[i]
            let terms = [w * g.gamma * S * S * 0.01, w * g.delta * S, w * g.vanna * S * 0.01]
            for b in 0..<3 {
                value[b] += terms[b]
                scale[b] += abs(terms[b])
            }
        }
        return (value, scale)
    }

    /// Checks `profile(.folded)` and `gexProfile(.folded)` at `spots` against
    /// the reference: |error| <= `tolerance` x sum|terms| (+ `floor`, $).
    /// Prints and returns the worst error / sum|terms|.
    @discardableResult
    static func check(
        _ book: DealerBook, spots: [Double], tolerance: Double = 1e-12, floor: Double = 0, _ label: String
    ) -> Double {
        var worst = 0.0
        let p = book.profile(spots: spots, method: .folded)
        #expect(p.method == .folded)
        let alone = book.gexProfile(spots: spots, method: .folded)
        for (s, S) in spots.enumerated() {
            let (ref, scale) = reference(book, spot: S)
            let got = [p.gex[s], p.dex[s], p.vex[s]]
            for (b, name) in ["gex", "dex", "vex"].enumerated() {
                let err = abs(got[b] - ref[b])
                worst = max(worst, err / scale[b])
                #expect(
                    err <= tolerance * scale[b] + floor,
                    "\(label) \(name) S=\(S): folded \(got[b]) vs reference \(ref[b]) (error \(err / scale[b]) of sum|terms| \(scale[b]))"
                )
            }
            #expect(
                abs(alone[s] - ref[0]) <= tolerance * scale[0] + floor,
                "\(label) gexProfile S=\(S): \(alone[s]) vs \(ref[0])")
        }
        print(
            "FoldedProfileTests \(label): worst error \(worst) of sum|terms| (fused multiply-add: \(_fusedMultiplyAdd))"
        )
        return worst
    }

    /// Lengths around the lane width (vector body plus scalar tail), SPX-like books.
    @Test(arguments: [0, 1, 7, 8, 9, 17, 203, 2_001])
    func matchesScalarReference(n: Int) throws {
        let book = try DealerFixtures.randomBook(count: max(n, 1), seed: UInt64(n) + 11)
        let sub = try DealerBook(
            chain: book.chain.selecting(Array(0..<n)), convention: .signedPositions, rate: book.rate,
            dividendYield: book.dividendYield)
        // +-20% and beyond, off-grid and on-strike spots; 401 spots exercise the four-spot blocks and the rest.
        Self.check(sub, spots: [3700, 4300.0, 4650.5, 4700, 4777.7, 5200, 5900], "n=\(n)")
        if n == 203 {
            let grid = (0...400).map { 4700 * (0.8 + 0.4 * Double($0) / 400) }
            Self.check(sub, spots: Array(grid[0..<5]) + Array(grid[199..<203]) + Array(grid[396...]), "n=203 grid")
            let full = sub.gexProfile(spots: grid, method: .folded)
            let exact = sub.gexProfile(spots: grid, method: .fused)
            let scale = exact.reduce(0) { max($0, abs($1)) }
            for s in grid.indices { #expect(abs(full[s] - exact[s]) <= 1e-12 * scale, "grid spot \(grid[s])") }
        }
    }

    /// 0DTE options minutes from expiry, whose d1 = ln(S/K) / (sigma sqrt T)
    /// is in the hundreds at the grid edges: the folded a ln(S / S_ref) and b
    /// are large and cancel near the strike.
    @Test(arguments: [1.0, 5, 30, 240])
    func zeroDTEMinutesFromExpiry(minutes: Double) throws {
        var legs: [DealerFixtures.Leg] = []
        var rng = SplitMix(seed: UInt64(minutes * 10))
        for k in 0..<41 {
            let strike = 4500 + 10 * Double(k)
            let vol = 0.08 + 0.3 * rng.unit()
            legs.append(
                .init(
                    kind: k % 2 == 0 ? .call : .put, strike: strike, days: minutes / 1440, vol: vol, oi: 0,
                    position: (rng.unit() - 0.4) * 5000))
            legs.append(.init(kind: .call, strike: strike + 5, days: 2 + Double(k), vol: vol, oi: 0, position: 700))
        }
        let book = try DealerBook(
            chain: DealerFixtures.chain(legs), convention: .signedPositions, rate: 0.05, dividendYield: 0.013)
        let spots = [3760.0, 4400, 4550, 4600.04, 4655, 4702.5, 4750, 4899.99, 5640]
        Self.check(book, spots: spots, "0DTE \(minutes) min")
    }

    /// Deep out-of-the-money options whose terms underflow at every spot:
    /// the folded kernel returns (essentially) zero, like the reference.
    @Test func deepOutOfTheMoneyTermsUnderflow() throws {
        let legs: [DealerFixtures.Leg] = [
            .init(kind: .call, strike: 9000, days: 0.01, vol: 0.1, oi: 0, position: 1e4),
            .init(kind: .put, strike: 1000, days: 0.01, vol: 0.1, oi: 0, position: -1e4),
            .init(kind: .call, strike: 6500, days: 1, vol: 0.05, oi: 0, position: 3e3),
        ]
        let book = try DealerBook(
            chain: DealerFixtures.chain(legs), convention: .signedPositions, rate: 0.05, dividendYield: 0.013)
        let spots = [3800.0, 4700, 5200]
        let g = book.gexProfile(spots: spots, method: .folded)
        for (s, S) in spots.enumerated() {
            let ref = Self.reference(book, spot: S)
            #expect(abs(g[s] - ref.value[0]) <= 1e-290, "S=\(S): \(g[s]) vs \(ref.value[0])")
        }
        // Mixed with live options, the underflowing terms change nothing.
        Self.check(book, spots: spots, floor: 1e-290, "deep OTM")
    }

    /// The vector body and its scalar twin agree lane by lane (different
    /// values in every lane, including |u| past the clamp and underflow).
    @Test func vectorBodyMatchesScalarTwin() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<2_000 {
            var a = _Vector(repeating: 0)
            var b = _Vector(repeating: 0)
            for l in 0..<8 {
                a[l] = rng.unit() * pow(10, 4 * rng.unit())
                b[l] = (rng.unit() - 0.5) * pow(10, 3 * rng.unit())
            }
            let x = (rng.unit() - 0.5) * 0.5
            let (e, u) = _foldedDensity(a: a, b: b, x: _Vector(repeating: x))
            for l in 0..<8 {
                let (es, us) = _foldedDensity(a: a[l], b: b[l], x: x)
                #expect(e[l].bitPattern == es.bitPattern, "lane \(l): a=\(a[l]) b=\(b[l]) x=\(x)")
                #expect(u[l].bitPattern == us.bitPattern)
            }
        }
    }

    /// `2^(-u^2)` against the platform's `exp2` of the exactly split square:
    /// at most 8e-16 relative while the result is normal (the polynomial's
    /// 3.4e-16, its evaluation, and the platform exp2's own error; plus ln 2 u^2 2^-53
    /// where `multiplyAdd` is not fused: u^2 - n then rounds the square
    /// first); below 2^-1021, zero or normal and no larger (flushed from 2^-1021.5 down).
    @Test func densityMatchesPlatformExp() {
        var rng = SplitMix(seed: 7)
        var worst = 0.0
        for k in 0..<40_000 {
            let u = (rng.unit() - 0.5) * (k % 2 == 0 ? 8 : 80)
            let e = _foldedDensity(a: 0.0, b: u, x: 0).density
            let hi = u * u
            let lo = (-hi).addingProduct(u, u)  // u^2 - hi exactly: the rounding error of the square
            let exact = exp2(-hi) * (1 - lo * M_LN2)
            if exact >= 0x1p-1021 {
                let bound = 8e-16 + (_fusedMultiplyAdd ? 0 : 1e-16 * hi)
                worst = max(worst, abs(e - exact) / exact / bound)
            } else {
                #expect(e >= 0 && e < 0x1p-1021, "u=\(u): \(e)")
            }
        }
        print("FoldedProfileTests density: worst error / bound \(worst)")
        #expect(worst <= 1, "worst relative error / bound \(worst)")
    }
}

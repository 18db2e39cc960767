import Foundation
import Testing

@testable import GammaFlow

/// ``CBOESnapshot/fillingMissingVolsFromSmile(model:weighting:rate:dividendYield:)``
/// on the SPX sample: the no-IV sides of fitted live expiries come back with
/// finite positive vols from the smile, the quoted vols are untouched and the
/// rest stay excluded and counted.
@Suite struct CBOESmileFillTests {
    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing)) func fillsNoIVSidesOfFittedExpiries() throws {
        let s = try CBOESnapshot.load(path: CBOESamples.spx)
        let noIV = s.report.exclusions.filter { $0.reason == .noImpliedVol }
        #expect(!noIV.isEmpty, "the sample has sides without an IV quote")
        let result = try s.fillingMissingVolsFromSmile()
        let filled = result.snapshot

        // The sides whose own expiry (years) has a fitted smile.
        let fitted = Set(result.fit.fittedExpiries.map(\.years))
        let years = s.options.timeBasis.years(from: s.asOf, to: try s.expiries(ofQuotes: noIV.map(\.quoteIndex)))
        let expected = years.filter { $0 > 0 && fitted.contains($0) }.count
        #expect(result.filled == expected)
        #expect(result.filled > 0)
        #expect(result.filled + result.unfilled.count == noIV.count)

        // Report: filled sides no longer excluded, counted as filled.
        #expect(filled.report.filledImpliedVols == result.filled)
        #expect(filled.report.count(.noImpliedVol) == noIV.count - result.filled)
        #expect(filled.report.count(.expired) == s.report.count(.expired))
        #expect(filled.chain.count == s.chain.count + result.filled)
        #expect(Set(result.unfilled.map(\.quoteIndex)).isSubset(of: Set(noIV.map(\.quoteIndex))))

        // Filled vols finite and positive, and the ones in the chain.
        // Deep wings of a quadratic in k can run above the quotes: bound by a multiple of the largest quoted vol.
        let topQuoted = s.chain.impliedVols.max() ?? 0
        let position = Dictionary(uniqueKeysWithValues: filled.quoteIndices.enumerated().map { ($1, $0) })
        for (q, v) in result.filledVols {
            #expect(v.isFinite && v > 0 && v <= 3 * topQuoted, "vol \(v) for \(s.quotes.symbols[q])")
            let j = try #require(position[q])
            #expect(filled.chain.impliedVols[j] == v)
            #expect(s.quotes.impliedVols[q].isNaN || s.quotes.impliedVols[q] == 0)
        }

        // Quoted vols unchanged.
        for (j, q) in s.quoteIndices.enumerated() {
            let k = try #require(position[q])
            #expect(filled.chain.impliedVols[k] == s.chain.impliedVols[j])
            #expect(filled.chain.yearsToExpiry[k] == s.chain.yearsToExpiry[j])
        }

        // Every fitted expiry reports a finite RMS in vol points.
        for e in result.fit.fittedExpiries { #expect(e.rmsVolPoints.isFinite && e.rmsVolPoints >= 0) }
    }

    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing)) func cubicModelAndRefillingAreStable() throws {
        let s = try CBOESnapshot.load(path: CBOESamples.spx)
        let cubic = try s.fillingMissingVolsFromSmile(model: .cubic, weighting: .uniform)
        #expect(cubic.fit.model == .cubic)
        #expect(cubic.snapshot.report.filledImpliedVols == cubic.filled)
        // Filling again fits to the quoted vols only, keeps the earlier fills and finds nothing new
        // beyond the sides the first pass could not fill.
        let again = try cubic.snapshot.fillingMissingVolsFromSmile(model: .cubic, weighting: .uniform)
        #expect(again.filled == 0)
        #expect(again.snapshot.chain.count == cubic.snapshot.chain.count)
        #expect(again.snapshot.chain.impliedVols == cubic.snapshot.chain.impliedVols)
    }

    /// SVI fills the same sides as the polynomials, with vols from admissible smiles
    /// (a >= 0, b >= 0, |rho| <= 1, Lee's b (1 + |rho|) <= 4 / sqrt(T)).
    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing)) func sviFillIsAdmissible() throws {
        let s = try CBOESnapshot.load(path: CBOESamples.spx)
        let svi = try s.fillingMissingVolsFromSmile(model: .svi)
        let quadratic = try s.fillingMissingVolsFromSmile(model: .quadratic)
        #expect(svi.fit.model == .svi)
        #expect(svi.filled == quadratic.filled, "every expiry with 5+ quotes has a smile under both")
        for (q, v) in svi.filledVols {
            #expect(v.isFinite && v > 0, "vol \(v) for \(s.quotes.symbols[q])")
        }
        for e in svi.fit.fittedExpiries {
            let (a, b, rho, s) = (e.coefficients[0], e.coefficients[1], e.coefficients[2], e.coefficients[4])
            #expect(a >= 0 && b >= 0 && abs(rho) <= 1 && s > 0, "T=\(e.years): \(e.coefficients)")
            #expect(b * (1 + abs(rho)) <= 4 / e.years.squareRoot() * (1 + 1e-9), "T=\(e.years): \(e.coefficients)")
        }
    }

    @Test func expiryWithoutASmileStaysExcluded() throws {
        // One expiry with only two quotes (a quadratic needs three) and one without IV.
        let csv = """
            TEST INDEX,Last: 100,Change: 0
            "Date: January 8, 2024 at 10:00 AM EST",Bid: 99,Ask: 101
            Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest
            Fri Jan 19 2024,TSTW240119C00090000,10,0,10,11,1,0.2,0.9,0.01,5,90.00,TSTW240119P00090000,1,0,1,1.1,1,0,-0.1,0.01,5
            Fri Jan 19 2024,TSTW240119C00100000,2,0,2,2.2,1,0.18,0.5,0.05,5,100.00,TSTW240119P00100000,2,0,2,2.2,1,0,-0.5,0.05,5

            """
        let s = try CBOESnapshot.load(data: Data(csv.utf8), source: "test")
        #expect(s.report.count(.noImpliedVol) == 2)
        let r = try s.fillingMissingVolsFromSmile()
        #expect(r.filled == 0)
        #expect(r.unfilled.count == 2)
        #expect(r.snapshot.report.count(.noImpliedVol) == 2)
        #expect(r.snapshot.chain.count == s.chain.count)
    }
}

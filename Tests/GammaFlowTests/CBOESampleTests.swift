import Foundation
import Testing

@testable import GammaFlow

/// The real Cboe downloads, checked against an independent naive reading of
/// the same file.
@Suite struct CBOESampleTests {
    @Test(.enabled(if: CBOESamples.spxAvailable, CBOESamples.missing))
    func spxSnapshotMatchesANaiveReading() throws {
        let raw = try CBOESamples.rawRows(CBOESamples.spx)
        let s = try CBOESnapshot.load(path: CBOESamples.spx)
        #expect(s.spot == 4697.2402)
        #expect(s.asOf == CBOESamples.utc("2024-01-07T15:52:00Z"))
        #expect(s.report.rows == raw.count && s.report.options == 2 * raw.count)
        // The snapshot is a Sunday: every Friday-the-5th side has expired (both roots' instants passed).
        let expiredRows = raw.filter { $0[0] == "Fri Jan 05 2024" }.count
        #expect(s.report.count(.expired) == 2 * expiredRows)
        let live = raw.filter { $0[0] != "Fri Jan 05 2024" }
        let unquoted = live.reduce(0) { $0 + (Double($1[7])! == 0 ? 1 : 0) + (Double($1[18])! == 0 ? 1 : 0) }
        #expect(s.report.count(.noImpliedVol) == unquoted)
        #expect(s.chain.count == 2 * raw.count - 2 * expiredRows - unquoted)
        #expect(s.report.invalidRows.count == 0)
        // Open interest and vendor gamma sum the same both ways.
        var oi = 0.0, gammaOI = 0.0
        for r in live {
            if Double(r[7])! > 0 { oi += Double(r[10])!; gammaOI += Double(r[9])! * Double(r[10])! }
            if Double(r[18])! > 0 { oi += Double(r[21])!; gammaOI += Double(r[20])! * Double(r[21])! }
        }
        #expect(s.chain.openInterest.reduce(0, +) == oi)
        let vendorGammaOI = zip(s.vendor.gamma, s.chain.openInterest).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(vendorGammaOI - gammaOI) <= 1e-12 * gammaOI)
        // Expiry instants: SPX monthly AM (09:30 EST), SPXW PM (16:00 EST).
        let jan19 = s.chain.symbols.indices.filter { s.chain.symbols[$0].hasPrefix("SPX240119") }
        let jan19w = s.chain.symbols.indices.filter { s.chain.symbols[$0].hasPrefix("SPXW240119") }
        #expect(!jan19.isEmpty && !jan19w.isEmpty)
        #expect(jan19.allSatisfy { s.chain.expiries[$0] == CBOESamples.utc("2024-01-19T14:30:00Z") })
        #expect(jan19w.allSatisfy { s.chain.expiries[$0] == CBOESamples.utc("2024-01-19T21:00:00Z") })
        // A summer expiry is in daylight time: 16:00 EDT = 20:00Z.
        let june = s.chain.symbols.indices.first { s.chain.symbols[$0].hasPrefix("SPXW240628") }
        #expect(june.map { s.chain.expiries[$0] } == CBOESamples.utc("2024-06-28T20:00:00Z"))
        #expect(s.chain.yearsToExpiry.allSatisfy { $0 > 0 })
        print(s.report)
    }

    @Test(.enabled(if: CBOESamples.ndxAvailable, CBOESamples.missing))
    func ndxSnapshotLoads() throws {
        let raw = try CBOESamples.rawRows(CBOESamples.ndx)
        let s = try CBOESnapshot.load(path: CBOESamples.ndx)
        #expect(s.spot == 14694.3506)
        #expect(s.asOf == CBOESamples.utc("2022-02-06T01:26:00Z"))  // February 5 2022, 8:26 PM EST
        #expect(s.report.rows == raw.count && s.report.count(.expired) == 0)
        // The April 2022 NDX monthly expired on Thursday the 14th (Good Friday): still AM, by its root.
        let april = s.chain.symbols.indices.first { s.chain.symbols[$0].hasPrefix("NDX220414") }
        #expect(april.map { s.chain.expiries[$0] } == CBOESamples.utc("2022-04-14T13:30:00Z"))
        let weekly = s.chain.symbols.indices.first { s.chain.symbols[$0].hasPrefix("NDXP220207") }
        #expect(weekly.map { s.chain.expiries[$0] } == CBOESamples.utc("2022-02-07T21:00:00Z"))
        print(s.report)
    }
}

import Foundation
import Testing

@testable import GammaFlow

/// A small quotedata file with the irregularities Cboe downloads show:
/// leading blank lines, CRLF, trailing commas.
private func sampleText(date: String = "January 18, 2024 at 3:10 PM EST", rows: [String]? = nil) -> String {
    let header =
        "Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest"
    let body =
        rows ?? [
            // SPXW (PM) on the 18th: 16:00 is after the 15:10 snapshot, so alive.
            "Thu Jan 18 2024,SPXW240118C04700000,10.5,1,10,11,5,0.12,0.52,0.011,100,4700.00,SPXW240118P04700000,9.5,-1,9,10,7,0.13,-0.48,0.012,200,",
            // SPX monthly (AM) on the 19th: alive.
            "Fri Jan 19 2024,SPX240119C04800000,1,0,1,2,0,0.11,0.2,0.003,50,4800.00,SPX240119P04800000,90,0,89,91,0,0,-0.8,0.001,60",
            // Expired yesterday.
            "Wed Jan 17 2024,SPXW240117C04600000,0,0,0,0,0,0.2,0,0,10,4600.00,SPXW240117P04600000,0,0,0,0,0,0.2,0,0,20",
        ]
    return "\r\n\r\nS&P 500 INDEX,Last: 4739.21,Change: 12\r\n\"Date: \(date)\",Bid: 0,Ask: 0,Size: 0*0,Volume: 0\r\n"
        + header + ",\r\n" + body.joined(separator: "\r\n") + "\r\n"
}

@Suite struct CBOEImportTests {
    @Test func readsHeaderColumnsAndSides() throws {
        let q = try CBOEQuoteData(data: Data(sampleText().utf8), source: "sample.csv")
        #expect(q.underlyingName == "S&P 500 INDEX")
        #expect(q.spot == 4739.21)
        #expect(q.asOf == CBOESamples.utc("2024-01-18T20:10:00Z"))
        #expect(q.rowCount == 3 && q.count == 6)
        #expect(q.lines == [6, 6, 7, 7, 8, 8])
        #expect(q.kinds == [.call, .put, .call, .put, .call, .put])
        #expect(q.roots == ["SPXW", "SPXW", "SPX", "SPX", "SPXW", "SPXW"])
        #expect(q.expirationDays[2] == ExpirationDay(year: 2024, month: 1, day: 19))
        #expect(q.strikes == [4700, 4700, 4800, 4800, 4600, 4600])
        #expect(q.impliedVols[0] == 0.12 && q.impliedVols[3] == 0)
        #expect(q.openInterest[1] == 200 && q.vendorGamma[1] == 0.012 && q.vendorDelta[1] == -0.48)
        #expect(q.bid[0] == 10 && q.ask[0] == 11 && q.last[1] == 9.5 && q.volume[1] == 7)
    }

    @Test func snapshotExcludesExpiredAndUnquotedAndCountsThem() throws {
        let s = try CBOESnapshot.load(data: Data(sampleText().utf8), source: "sample.csv")
        // Kept: both sides of row 1 and the SPX call; the SPX put has IV 0; row 3 expired.
        #expect(s.chain.symbols == ["SPXW240118C04700000", "SPXW240118P04700000", "SPX240119C04800000"])
        #expect(s.quoteIndices == [0, 1, 2])
        #expect(s.report.count(.expired) == 2)
        #expect(s.report.count(.noImpliedVol) == 1)
        #expect(s.report.imported == 3 && s.report.options == 6 && s.report.rows == 3)
        #expect(s.report.exclusions.map(\.quoteIndex) == [3, 4, 5])
        #expect(s.report.exclusions[0].line == 7 && s.report.exclusions[0].symbol == "SPX240119P04800000")
        // Expiry instants: SPXW PM 16:00 EST = 21:00Z; SPX AM 09:30 EST = 14:30Z.
        #expect(s.chain.expiries[0] == CBOESamples.utc("2024-01-18T21:00:00Z"))
        #expect(s.chain.expiries[2] == CBOESamples.utc("2024-01-19T14:30:00Z"))
        // ACT/365 seconds: 50 minutes to the PM close.
        #expect(abs(s.chain.yearsToExpiry[0] - 3000.0 / 31_536_000) < 1e-18)
        // Vendor columns aligned with the chain; OI and IV from the file.
        #expect(s.vendor.gamma == [0.011, 0.012, 0.003])
        #expect(s.vendor.bid == [10, 9, 1])
        #expect(s.chain.openInterest == [100, 200, 50])
        #expect(s.chain.impliedVols == [0.12, 0.13, 0.11])
        let text = s.report.description
        #expect(text.contains("expired 2") && text.contains("no IV quote 1") && text.contains("invalid rows: 0"))
        #expect(text.contains("as of: 2024-01-18 15:10:00 EST (2024-01-18T20:10:00Z) (file Date:)"))
        #expect(text.contains("SPX, NDX") || text.contains("NDX, RUT, SPX at 09:30 ET"))
    }

    @Test func afterTheCloseThePMSideExpiresAndBeforeItTheAMSideIsAlive() throws {
        // 16:00 exactly: expiry not after the snapshot, so expired (never floored).
        let atClose = try CBOESnapshot.load(
            data: Data(sampleText(date: "January 18, 2024, 4:00 PM EST").utf8), source: "s")
        #expect(atClose.report.count(.expired) == 4)
        // allPM moves the SPX monthly to 16:00 on the 19th; it stays alive either way here,
        // but at 10:00 on the 19th only the AM rule expires it.
        let morning = sampleText(date: "January 19, 2024, 10:00 AM EST")
        let standard = try CBOESnapshot.load(data: Data(morning.utf8), source: "s")
        let allPM = try CBOESnapshot.load(data: Data(morning.utf8), source: "s", options: .init(settlement: .allPM))
        #expect(standard.chain.symbols.isEmpty)
        #expect(allPM.chain.symbols == ["SPX240119C04800000"])
        #expect(allPM.chain.expiries[0] == CBOESamples.utc("2024-01-19T21:00:00Z"))
    }

    @Test func fillingPutsUnquotedSidesBack() throws {
        let s = try CBOESnapshot.load(data: Data(sampleText().utf8), source: "s")
        let unquoted = s.report.exclusions.filter { $0.reason == .noImpliedVol }.map(\.quoteIndex)
        let filled = try s.fillingImpliedVols(Dictionary(uniqueKeysWithValues: unquoted.map { ($0, 0.2) }))
        #expect(filled.chain.count == s.chain.count + unquoted.count)
        #expect(filled.report.count(.noImpliedVol) == 0 && filled.report.filledImpliedVols == unquoted.count)
        #expect(filled.chain.impliedVols.last == 0.2 && filled.quoteIndices.last == unquoted.last)
    }

    @Test(arguments: [
        ("January 7, 2024 at 10:52 AM EST", "2024-01-07T15:52:00Z"),
        ("July 12, 2022, 11:55 AM EDT", "2022-07-12T15:55:00Z"),
        ("February 5 2022, 8:09 PM EST", "2022-02-06T01:09:00Z"),
        ("March 8, 2024 at 4:00 PM ET", "2024-03-08T21:00:00Z"),
        ("March 11, 2024 at 4:00 PM", "2024-03-11T20:00:00Z"),
        ("Nov 3, 2024, 1:30 AM EDT", "2024-11-03T05:30:00Z"),
        ("Nov 3, 2024, 1:30 AM EST", "2024-11-03T06:30:00Z"),
        ("December 31, 2023 at 12:00 AM EST", "2023-12-31T05:00:00Z"),
        ("December 31, 2023 at 12:05 PM EST", "2023-12-31T17:05:00Z"),
        ("June 3, 2024 at 13:45:30 EDT", "2024-06-03T17:45:30Z"),
    ])
    func snapshotTimeFormats(text: String, utc: String) throws {
        #expect(try CBOEQuoteData.parseSnapshotTime(text) == CBOESamples.utc(utc), "\(text)")
    }

    @Test(arguments: [
        "January 7, 2024 at 10:52 AM EDT",  // EDT is not in force in January
        "Jan 7 2024",  // no time
        "Smarch 7, 2024 at 10:52 AM EST",
        "February 30, 2024 at 10:00 AM EST",
        "January 7, 2024 at 13:52 PM EST",
        "January 7, 2024 at 10:52 AM PST",
    ])
    func badSnapshotTimesAreErrorsOnLineTwoOfTheBody(text: String) {
        let error = #expect(throws: ChainError.self) {
            try CBOEQuoteData(data: Data(sampleText(date: text).utf8), source: "bad.csv")
        }
        #expect(error?.line == 4 && error?.field == "Date", "\(text): \(String(describing: error))")
    }

    @Test func badRowsNameTheirLineAndFieldOrAreSkipped() throws {
        let rows = [
            "Thu Jan 18 2024,SPXW240118C04700000,10.5,1,10,11,5,0.12,0.52,0.011,100,4700.00,SPXW240118P04700000,9.5,-1,9,10,7,0.13,-0.48,0.012,200",
            "Thu Jan 18 2024,SPXW240118C04710000,10.5,1,10,11,5,abc,0.52,0.011,100,4710.00,SPXW240118P04710000,9.5,-1,9,10,7,0.13,-0.48,0.012,200",
            "Thu Jan 18 2024,SPXW240118C04720000,10.5,1,10,11,5,0.1,0.52,0.011,100,4725.00,SPXW240118P04720000,9.5,-1,9,10,7,0.13,-0.48,0.012,200",
            "Thu Jan 32 2024,SPXW240118C04730000,10.5,1,10,11,5,0.1,0.52,0.011,100,4730.00,SPXW240118P04730000,9.5,-1,9,10,7,0.13,-0.48,0.012,200",
            "Thu Jan 18 2024,SPXW240118C04740000,10.5,1,10,11,5,0.1,0.52,0.011,100,4740.00",
            "Thu Jan 18 2024,SPXW240118P04750000,10.5,1,10,11,5,0.1,0.52,0.011,100,4750.00,SPXW240118P04750000,9.5,-1,9,10,7,0.13,-0.48,0.012,200",
            "Thu Jan 18 2024,SPXW240118C04760000,10.5,1,10,11,5,0.1,0.52,0.011,100,4760.00,SPXW240118P04760000,9.5,-1,9,10,7,0.13,-0.48,-5,200",
            "Wed Jan 18 2024,SPXW240118C04770000,10.5,1,10,11,5,0.1,0.52,0.011,100,4770.00,SPXW240118P04770000,9.5,-1,9,10,7,0.13,-0.48,0.01,200",
        ]
        let data = Data(sampleText(rows: rows).utf8)
        let first = #expect(throws: ChainError.self) { try CBOEQuoteData(data: data, source: "bad.csv") }
        #expect(first?.line == 7 && first?.field == "IV (calls)" && first?.value == "abc")
        #expect(first?.description.hasPrefix("bad.csv:7: field 'IV (calls)': expected a decimal number") == true)
        let q = try CBOEQuoteData(data: data, source: "bad.csv", skipInvalid: true)
        #expect(q.rowCount == 1)
        let errors = q.invalidRows.errors
        #expect(errors.map(\.line) == [7, 8, 9, 10, 11, 12, 13])
        #expect(
            errors.map { $0.field ?? "-" } == [
                "IV (calls)", "Calls", "Expiration Date", "-", "Calls", "Gamma (puts)", "Expiration Date",
            ])
        #expect(errors[3].kind == .shortRow(expected: 22, found: 12))
        let s = try CBOESnapshot(quotes: q)
        #expect(s.report.invalidRows.count == 7 && s.report.description.contains("invalid rows: 7"))
    }

    @Test func fileLevelProblems() {
        func error(_ text: String) -> ChainError? {
            #expect(throws: ChainError.self) { try CBOEQuoteData(data: Data(text.utf8), source: "f.csv") }
        }
        #expect(error("")?.kind == .empty)
        let good = sampleText()
        #expect(error(good.replacingOccurrences(of: "Last: 4739.21", with: "Price 4739.21"))?.field == "Last")
        #expect(
            error(good.replacingOccurrences(of: "Open Interest,Strike", with: "OI,Strike"))?.field == "Open Interest")
        let headerOnly = good.components(separatedBy: "\r\n").prefix(5).joined(separator: "\n")
        #expect(error(headerOnly)?.kind == .empty)
        #expect(error("\n\nS&P,Last: 1\nDate: x\n")?.kind == .empty)
    }

    @Test func settlementRuleValues() throws {
        let day = ExpirationDay(year: 2024, month: 3, day: 8)
        let after = ExpirationDay(year: 2024, month: 3, day: 11)  // first Monday of daylight saving
        #expect(SettlementRule.standard.expiry(root: "SPX", on: day) == CBOESamples.utc("2024-03-08T14:30:00Z"))
        #expect(SettlementRule.standard.expiry(root: "SPXW", on: day) == CBOESamples.utc("2024-03-08T21:00:00Z"))
        #expect(SettlementRule.standard.expiry(root: "NDXP", on: after) == CBOESamples.utc("2024-03-11T20:00:00Z"))
        #expect(SettlementRule.standard.expiry(root: "RUT", on: after) == CBOESamples.utc("2024-03-11T13:30:00Z"))
        #expect(SettlementRule.allPM.expiry(root: "SPX", on: day) == CBOESamples.utc("2024-03-08T21:00:00Z"))
        let djx = SettlementRule.standard.overriding("djx", with: .am)
        #expect(djx.time(forRoot: "DJX") == .am && djx.time(forRoot: "DJXW") == .pm)
        #expect(SettlementRule.standard.description == "NDX, RUT, SPX at 09:30 ET; others at 16:00 ET")
        #expect(SettlementRule.allPM.description == "all at 16:00 ET")
        #expect(ExpirationDay(cboe: "Fri Jan 05 2024") == ExpirationDay(year: 2024, month: 1, day: 5))
        #expect(ExpirationDay(cboe: "Thu Jan 05 2024") == nil)  // wrong weekday
        #expect(ExpirationDay(cboe: "Fri Feb 30 2024") == nil)
    }
}

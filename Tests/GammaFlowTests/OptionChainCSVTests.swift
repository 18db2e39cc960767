import Foundation
import Testing

@testable import GammaFlow

/// The native chain CSV loader and writer: every bad input names file, line
/// and field; lenient loads count what they drop; text round-trips exactly.
@Suite struct OptionChainCSVTests {
    static let now = Date(timeIntervalSince1970: 1_767_641_400)  // 2026-01-05T19:30:00Z
    static let header = "symbol,expiry,strike,type,iv,open_interest"
    static let goodRow = "SPXW261211C05000000,2026-12-11T21:00:00Z,5000,C,0.18,1200"

    /// Loads `text` as the source `t.csv`.
    func load(_ text: String, skipInvalid: Bool = false) throws -> (
        chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]
    ) {
        try OptionChain.load(csvText: text, source: "t.csv", valuationTime: Self.now, skipInvalid: skipInvalid)
    }

    /// The ChainError that loading `text` throws, or nil (recorded as a failure).
    func loadError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ChainError? {
        do {
            _ = try load(text)
            Issue.record("expected a ChainError for:\n\(text)", sourceLocation: sourceLocation)
            return nil
        } catch let error as ChainError {
            return error
        } catch {
            Issue.record("expected a ChainError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func loadsAGoodFile() throws {
        let text = """
            \(Self.header),dealer_position,multiplier
            SPXW261211C05000000,2026-12-11T21:00:00Z,5000,C,0.18,1200,-300,100
            SPXW261211P04500000,2026-12-11T16:00:00-05:00,4500.5,p,0.25,0,12.5,50
            SPXW260105C05100000,2026-01-05T21:00:00.250Z,5100,call,1e-1,3,0,100
            SPXW260105P05100000,2026-01-05T21:00:00+0000,5100,PUT,0.1,4,0,100
            """
        let (chain, skipped, ignored) = try load(text)
        #expect(chain.count == 4)
        #expect(skipped.count == 0)
        #expect(ignored.isEmpty)
        #expect(chain.symbols[1] == "SPXW261211P04500000")
        #expect(chain.strikes == [5000, 4500.5, 5100, 5100])
        #expect(chain.kinds == [.call, .put, .call, .put])
        #expect(chain.impliedVols == [0.18, 0.25, 0.1, 0.1])
        #expect(chain.openInterest == [1200, 0, 3, 4])
        #expect(chain.dealerPositions == [-300, 12.5, 0, 0])
        #expect(chain.multipliers == [100, 50, 100, 100])
        #expect(chain.expiries[0] == chain.expiries[1], "21:00Z and 16:00-05:00 are the same instant")
        #expect(chain.expiries[2].timeIntervalSince(chain.expiries[3]) == 0.25)
        let t = chain.expiries[0].timeIntervalSince(Self.now) / 31_536_000
        #expect(chain.yearsToExpiry[0] == t)
    }

    @Test func headerInAnyOrderWithIgnoredColumns() throws {
        let text = """
            IV, Open_Interest ,bid,type,strike,expiry,symbol,,ask
            0.2,10,1.5,P,4000,2026-03-20T20:00:00Z,A,x,1.7
            0.3,20,2.5,C,4100,2026-03-20T20:00:00Z,B,y,2.7
            """
        let (chain, _, ignored) = try load(text)
        #expect(ignored == ["bid", "(unnamed column 8)", "ask"])
        #expect(chain.symbols == ["A", "B"])
        #expect(chain.strikes == [4000, 4100])
        #expect(chain.impliedVols == [0.2, 0.3])
        #expect(chain.openInterest == [10, 20])
        #expect(chain.kinds == [.put, .call])
        #expect(chain.dealerPositions == nil)
        #expect(chain.multipliers == [100, 100])
    }

    @Test func quotedFieldsAndByteOrderMark() throws {
        let text = "\u{FEFF}\(Self.header)\r\n\"SPX, weekly \"\"W\"\"\",2026-12-11T21:00:00Z,\"5000\",C,0.18,1\r\n"
        let (chain, _, _) = try load(text)
        #expect(chain.symbols == ["SPX, weekly \"W\""])
    }

    /// One bad row, and the field and 1-based line the error must name.
    struct BadRow: CustomStringConvertible {
        var row: String
        var field: String?
        var kind: String
        var description: String { row }
    }

    static let badRows: [BadRow] = [
        BadRow(row: "S,2026-12-11T21:00:00Z,abc,C,0.18,1", field: "strike", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,,C,0.18,1", field: "strike", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000x,C,0.18,1", field: "strike", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,0,C,0.18,1", field: "strike", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,-5,C,0.18,1", field: "strike", kind: "invalid"),
        // Subnormal: the kernels' logs work on normal doubles only.
        BadRow(row: "S,2026-12-11T21:00:00Z,1e-310,C,0.18,1", field: "strike", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,nan,C,0.18,1", field: "strike", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,inf,C,0.18,1", field: "strike", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,1e999,C,0.18,1", field: "strike", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0,1", field: "iv", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,-0.2,1", field: "iv", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,NaN,1", field: "iv", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,18%,1", field: "iv", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0.18,-1", field: "open_interest", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0.18,-inf", field: "open_interest", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0.18,", field: "open_interest", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,X,0.18,1", field: "type", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,,0.18,1", field: "type", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00,5000,C,0.18,1", field: "expiry", kind: "invalid"),
        BadRow(row: "S,2026-12-11,5000,C,0.18,1", field: "expiry", kind: "malformed"),
        BadRow(row: "S,2026-02-30T21:00:00Z,5000,C,0.18,1", field: "expiry", kind: "malformed"),
        BadRow(row: "S,2026-12-11T25:00:00Z,5000,C,0.18,1", field: "expiry", kind: "malformed"),
        BadRow(row: "S,12/11/2026,5000,C,0.18,1", field: "expiry", kind: "malformed"),
        BadRow(row: "S,2026-12-11T21:00:00Z junk,5000,C,0.18,1", field: "expiry", kind: "malformed"),
        BadRow(row: ",2026-12-11T21:00:00Z,5000,C,0.18,1", field: "symbol", kind: "invalid"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0.18", field: "open_interest", kind: "short"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000", field: "type", kind: "short"),
        BadRow(row: "S,2026-12-11T21:00:00Z,5000,C,0.18,1,extra", field: nil, kind: "short"),
    ]

    @Test(arguments: badRows) func badRowNamesFileLineAndField(_ bad: BadRow) throws {
        // The bad row sits on line 4, after a blank line, so the line number is the file's, not the record's.
        let text = "\(Self.header)\n\(Self.goodRow)\n\n\(bad.row)\n\(Self.goodRow)\n"
        guard let error = loadError(text) else { return }
        #expect(error.source == "t.csv", "\(error)")
        #expect(error.line == 4, "\(error)")
        #expect(error.field == bad.field, "\(error)")
        switch (bad.kind, error.kind) {
        case ("malformed", .malformed), ("invalid", .invalidValue), ("short", .shortRow(expected: 6, found: _)):
            break
        default:
            Issue.record("expected a \(bad.kind) error, got \(error.kind) (\(error))")
        }
        #expect(error.description.hasPrefix("t.csv:4: "), "\(error)")

        // The same row is dropped, and recorded, by a lenient load.
        let (chain, skipped, _) = try load(text, skipInvalid: true)
        #expect(chain.count == 2)
        #expect(skipped.count == 1)
        #expect(skipped.errors.first == error)
    }

    @Test func badOptionalColumns() throws {
        let h = "\(Self.header),dealer_position,multiplier\n"
        let cases: [(String, String)] = [
            ("S,2026-12-11T21:00:00Z,5000,C,0.18,1,nan,100", "dealer_position"),
            ("S,2026-12-11T21:00:00Z,5000,C,0.18,1,x,100", "dealer_position"),
            ("S,2026-12-11T21:00:00Z,5000,C,0.18,1,5,0", "multiplier"),
            ("S,2026-12-11T21:00:00Z,5000,C,0.18,1,5,-100", "multiplier"),
            ("S,2026-12-11T21:00:00Z,5000,C,0.18,1,5,", "multiplier"),
        ]
        for (row, field) in cases {
            guard let error = loadError(h + row) else { continue }
            #expect(error.line == 2 && error.field == field, "\(row): \(error)")
        }
    }

    @Test func fileLevelProblems() throws {
        // (text, expected kind, field, line)
        let cases: [(String, ChainError.Kind, String?, Int?)] = [
            ("", .empty, nil, nil),
            ("\n\n  \n", .empty, nil, nil),
            (Self.header + "\n", .empty, nil, nil),
            ("symbol,expiry,strike,type,open_interest\n" + "S,2026-12-11T21:00:00Z,5000,C,1", .missingColumn, "iv", 1),
            ("\nsymbol,expiry,strike,kind,iv,open_interest\n" + Self.goodRow, .missingColumn, "type", 2),
            (Self.header + ",IV\n" + Self.goodRow + ",0.2", .duplicateColumn, "iv", 1),
            ("garbage that is not a chain\n1,2,3", .missingColumn, "symbol", 1),
        ]
        for (text, kind, field, line) in cases {
            guard let error = loadError(text) else { continue }
            #expect(
                error.kind == kind && error.field == field && error.line == line, "\(text.debugDescription): \(error)")
            #expect(error.source == "t.csv")
            // File-level problems throw even when rows may be skipped.
            #expect(throws: ChainError.self) { try load(text, skipInvalid: true) }
        }
    }

    @Test func binaryJunkIsRefused() throws {
        var rng = CSVTestRNG(seed: 7)
        var bytes = [UInt8](Self.header.utf8) + [10]
        for _ in 0..<4096 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        bytes.append(0)
        for data in [Data(bytes), Data([0xFF, 0xFE, 0x00, 0x41]), Data([0xC3, 0x28, 0x0A])] {
            do {
                _ = try OptionChain.load(csv: data, source: "junk.bin", valuationTime: Self.now, skipInvalid: true)
                Issue.record("binary data loaded")
            } catch let error as ChainError {
                #expect(error.kind == .notText && error.source == "junk.bin", "\(error)")
            }
        }
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try OptionChain.load(csvAt: "/nonexistent/dir/chain.csv", valuationTime: Self.now)
            Issue.record("a missing file loaded")
        } catch let error as ChainError {
            #expect(error.source == "/nonexistent/dir/chain.csv")
            #expect(error.kind == .unreadable("no such file"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func skipInvalidCountsEveryBadRowInOrder() throws {
        var lines = [Self.header]
        var expectedBad: [Int] = []
        for i in 0..<50 {
            switch i % 5 {
            case 1:
                lines.append("S\(i),2026-12-11T21:00:00Z,5000,C,-0.1,1")
                expectedBad.append(i + 2)
            case 3:
                lines.append("S\(i),2026-12-11T21:00:00Z,5000,C")
                expectedBad.append(i + 2)
            default:
                lines.append("S\(i),2026-12-11T21:00:00Z,\(4000 + i),P,0.2,\(i)")
            }
        }
        let (chain, skipped, _) = try load(lines.joined(separator: "\n"), skipInvalid: true)
        #expect(chain.count == 30)
        #expect(skipped.count == 20)
        #expect(skipped.errors.map(\.line) == expectedBad.map { Optional($0) })
        #expect(chain.symbols.first == "S0" && chain.symbols.last == "S49")
        // Without skipping, the first bad row (line 3) stops the load.
        #expect(loadError(lines.joined(separator: "\n"))?.line == 3)
    }

    @Test func everyRowSkippedGivesAnEmptyChain() throws {
        let text = "\(Self.header)\nS,2026-12-11T21:00:00Z,5000,C,0,1\nS,x,5000,C,0.2,1"
        let (chain, skipped, _) = try load(text, skipInvalid: true)
        #expect(chain.isEmpty)
        #expect(skipped.errors.map(\.field) == ["iv", "expiry"])
    }

    @Test func roundTripIsExact() throws {
        let original = OptionChain.syntheticSPX(count: 2_345, spot: 4_987.25, valuationTime: Self.now, seed: 11)
            .replacingDealerPositions((0..<2_345).map { Double($0 % 7) - 3.5 })
        var columns = original
        // Awkward values: sub-second expiries, long decimals, a symbol needing quotes.
        columns = try OptionChain(
            underlying: "SPX", symbols: ["A,\"B\""] + original.symbols.dropFirst(),
            strikes: [0.1 + 0.2] + original.strikes.dropFirst(),
            expiries: [Self.now.addingTimeInterval(3_600.123)] + original.expiries.dropFirst(),
            kinds: original.kinds, impliedVols: [1.0 / 3.0] + original.impliedVols.dropFirst(),
            openInterest: original.openInterest, dealerPositions: original.dealerPositions,
            multipliers: [10] + original.multipliers.dropFirst(), valuationTime: Self.now)
        for chain in [original, columns] {
            let text = chain.csvText()
            let back = try OptionChain.load(csvText: text, valuationTime: Self.now).chain
            #expect(back.symbols == chain.symbols)
            #expect(back.strikes == chain.strikes)
            #expect(back.kinds == chain.kinds)
            #expect(back.impliedVols == chain.impliedVols)
            #expect(back.openInterest == chain.openInterest)
            #expect(back.dealerPositions == chain.dealerPositions)
            #expect(back.multipliers == chain.multipliers)
            for i in 0..<chain.count where abs(back.expiries[i].timeIntervalSince(chain.expiries[i])) > 1e-6 {
                Issue.record("row \(i): expiry \(chain.expiries[i]) came back as \(back.expiries[i])")
                break
            }
            #expect(back.csvText() == text)
        }
        #expect(!original.csvText().contains("\"") && original.csvText().hasPrefix("symbol,expiry,strike,type,iv"))
    }

    @Test func writerWithoutPositionsHasNoPositionColumn() throws {
        let chain = try load("\(Self.header)\n\(Self.goodRow)").chain
        #expect(
            chain.csvText() == "symbol,expiry,strike,type,iv,open_interest,multiplier\n"
                + "SPXW261211C05000000,2026-12-11T21:00:00Z,5000.0,C,0.18,1200.0,100.0\n")
    }
}

/// The byte scanner behind ``CSVReader`` splits text exactly as the simple
/// character-level oracle does.
@Suite struct ChainCSVScannerTests {
    @Test func agreesWithReferenceSplitterOnSeededJunk() throws {
        var rng = CSVTestRNG(seed: 4_180)
        let alphabet: [String] = [
            "a", "B", "7", ".", " ", "\t", ",", ",", "\"", "\"\"", "\n", "\r\n", "\n\n", "é", "€", "x y",
        ]
        for round in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(rng.next() % 60) { text += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let expected = ReferenceCSVSplitter.records(text: text)
            var scanner = try ChainCSVScanner(data: Data(text.utf8), source: "fuzz")
            var got: [CSVRecord] = []
            while scanner.next() {
                got.append(CSVRecord(line: scanner.line, fields: (0..<scanner.fields.count).map { scanner.string($0) }))
            }
            let same =
                got.count == expected.count
                && zip(got, expected).allSatisfy { $0.line == $1.line && $0.fields == $1.fields }
            if !same {
                Issue.record("round \(round), text \(text.debugDescription):\n scanner \(got)\n reader  \(expected)")
                return
            }
        }
    }
}

/// The hand-written ISO-8601 parser against Foundation's `ISO8601DateFormatter`.
@Suite struct ISO8601TimestampTests {
    static func foundation(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    @Test func agreesWithFoundationOnSeededInstants() {
        var rng = CSVTestRNG(seed: 2026)
        let offsets = ["Z", "+00:00", "-05:00", "-04:00", "+05:30", "+14:00", "-09:30", "+01:00", "-08:00"]
        var formatters: [String: DateFormatter] = [:]
        for _ in 0..<5_000 {
            // Instants from 1900 to 2150, whole seconds or milliseconds.
            let seconds = -2_208_988_800 + Int64(rng.next() % 7_889_000_000)
            let millis = rng.next() % 3 == 0 ? Int64(rng.next() % 1000) : -1
            let offset = offsets[Int(rng.next() % UInt64(offsets.count))]
            let f =
                formatters[offset]
                ?? {
                    let f = DateFormatter()
                    f.locale = Locale(identifier: "en_US_POSIX")
                    f.calendar = Calendar(identifier: .gregorian)
                    let sign: Double = offset.hasPrefix("-") ? -1 : 1
                    let digits = offset.filter(\.isNumber)
                    let offsetSeconds =
                        offset == "Z" ? 0 : sign * (Double(digits.prefix(2))! * 3600 + Double(digits.suffix(2))! * 60)
                    f.timeZone = TimeZone(secondsFromGMT: Int(offsetSeconds))
                    f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
                    formatters[offset] = f
                    return f
                }()
            let date = Date(timeIntervalSince1970: Double(seconds))
            var text = f.string(from: date)
            if millis >= 0 { text += "." + String(format: "%03d", millis) }
            text += offset
            guard let expected = Self.foundation(text) else {
                Issue.record("Foundation refused \(text)")
                continue
            }
            guard case .success(let ours) = ISO8601Timestamp.parse(text) else {
                Issue.record("refused \(text)")
                continue
            }
            #expect(abs(ours.timeIntervalSince(expected)) < 1e-6, "\(text): \(ours) vs Foundation \(expected)")
        }
    }

    @Test func printsWhatFoundationPrints() {
        var rng = CSVTestRNG(seed: 99)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int64(rng.next() % 7_889_000_000) - 2_208_988_800))
            #expect(ISO8601Timestamp.string(from: date) == f.string(from: date))
        }
        #expect(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: 0.5)) == "1970-01-01T00:00:00.5Z")
        #expect(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.75Z")
    }

    @Test func shapes() {
        let base = Date(timeIntervalSince1970: 1_797_022_800)  // 2026-12-11T21:00:00Z
        let same = [
            "2026-12-11T21:00:00Z", "2026-12-11t21:00:00z", "2026-12-11T16:00:00-05:00", "2026-12-11T16:00:00-0500",
            "2026-12-12T02:30:00+05:30", "2026-12-11T21:00:00.000Z", "2026-12-11T21:00:00.000000000+00:00",
        ]
        for text in same { #expect(ISO8601Timestamp.date(from: text) == base, "\(text)") }
        #expect(ISO8601Timestamp.date(from: "2026-12-11T21:00:00.125Z") == base.addingTimeInterval(0.125))
        #expect(ISO8601Timestamp.date(from: "2024-02-29T00:00:00Z") != nil)
        #expect(ISO8601Timestamp.date(from: "2000-02-29T00:00:00Z") != nil)

        #expect(ISO8601Timestamp.parse("2026-12-11T21:00:00") == .failure(.missingZone))
        #expect(ISO8601Timestamp.parse("2026-12-11T21:00:00.5") == .failure(.missingZone))
        let malformed = [
            "", "2026-12-11", "2026-12-11T21:00Z", "2026-12-11 21:00:00Z", "2026-12-11T21:00:00.Z",
            "2026-12-11T21:00:00+5:00", "2026-12-11T21:00:00+05", "2026-12-11T21:00:00+24:00",
            "2026-12-11T21:00:00Zjunk", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-11T21:60:00Z", "2026-12-11T21:00:60Z",
            "2026-12-11T24:00:00Z", "+2026-12-11T21:00:00Z", "2026-12-1XT21:00:00Z", "\u{0}026-12-11T21:00:00Z",
        ]
        for text in malformed { #expect(ISO8601Timestamp.parse(text) == .failure(.malformed), "\(text)") }
    }

    @Test func calendarHelpersInvertEachOther() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 97) {
            let (y, m, d) = ISO8601Timestamp.civil(fromDays: days)
            #expect(ISO8601Timestamp.days(fromCivil: y, m, d) == days)
        }
    }
}

/// SplitMix64, seeded, for reproducible test inputs.
private struct CSVTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import Testing

@testable import GammaFlow

/// Runs the built `gammaflow` executable on good and bad input and checks
/// its output and exit codes.
///
/// The binary is `$GAMMAFLOW_EXECUTABLE` when set, else the `gammaflow` found
/// in the directory of the running test binary or up to three levels above it
/// (so any `--scratch-path` works, and the .xctest bundle layout on macOS).
/// When there is none, the suite is skipped with a message saying so.
@Suite(
    .enabled(
        if: GammaflowExecutable.url != nil,
        "gammaflow executable not found next to the test binary (build it with swift build, or set GAMMAFLOW_EXECUTABLE)"
    ))
struct GreeksCommandTests {
    static let asOf = "2026-01-05T19:30:00Z"
    static let valuation = Date(timeIntervalSince1970: 1_767_641_400)

    typealias Run = GammaflowRun

    /// Runs `gammaflow` with `arguments`; nil (with a recorded issue) when the binary is missing.
    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Run? {
        guard GammaflowExecutable.url != nil else {
            Issue.record("gammaflow executable not found", sourceLocation: sourceLocation)
            return nil
        }
        return try GammaflowProcess.run(arguments)
    }

    /// A temporary file holding `text`, removed at the end of the process.
    func tempFile(_ text: String, name: String = "chain.csv") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gammaflow-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let chain = OptionChain.syntheticSPX(count: 1_500, spot: 6_000, valuationTime: valuation, seed: 5)

    @Test func csvMatchesTheLibraryExactly() throws {
        let path = try tempFile(Self.chain.csvText())
        guard
            let r = try run([
                "greeks", "--chain", path, "--spot", "6010.5", "--rate", "0.043", "--div-yield", "0.012",
                "--as-of", Self.asOf,
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "symbol,expiry,strike,type,iv,t,price,delta,gamma,vega,theta,vanna,charm,vomma,speed")
        #expect(lines.count == Self.chain.count + 1)

        let chain = try OptionChain.load(csvAt: path, valuationTime: Self.valuation).chain
        let g = chain.greeks(MarketParameters(spot: 6010.5, rate: 0.043, dividendYield: 0.012))
        let expected = [g.price, g.delta, g.gamma, g.vega, g.theta, g.vanna, g.charm, g.vomma, g.speed]
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 15 else {
                Issue.record("row \(i): \(line)")
                break
            }
            // Shortest round-trip printing: every number reads back to the very same Double.
            let ok =
                f[0] == chain.symbols[i] && f[1] == ISO8601Timestamp.string(from: chain.expiries[i])
                && Double(f[2]) == chain.strikes[i] && f[3] == chain.kinds[i].description
                && Double(f[4]) == chain.impliedVols[i] && Double(f[5]) == chain.yearsToExpiry[i]
                && (0..<9).allSatisfy { Double(f[6 + $0]) == expected[$0][i] }
            if !ok {
                Issue.record("row \(i) differs from the library: \(line)")
                break
            }
        }
        #expect(r.stderr.contains("1500 options from \(path); 0 rows skipped; 0 expired"))
        #expect(r.stderr.contains("spot 6010.5 index points"))
        #expect(r.stderr.contains("as-of 2026-01-05T19:30:00Z"))
        #expect(r.stderr.contains("time basis act365: ACT/365"))
        #expect(r.stderr.contains("gamma d2V/dS2, per index point"))
    }

    @Test func jsonCarriesAssumptionsAndOptions() throws {
        let path = try tempFile(Self.chain.csvText())
        guard
            let r = try run([
                "greeks", "--chain", path, "--spot", "6000", "--rate", "0.04", "--as-of", "2026-01-05T14:30:00-05:00",
                "--format", "json", "--time-basis", "bus252", "--min-days", "1",
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let assumptions = object?["assumptions"] as? [String: Any]
        #expect(assumptions?["spot"] as? Double == 6000)
        #expect(assumptions?["rate"] as? Double == 0.04)
        #expect(assumptions?["dividend_yield"] as? Double == 0)
        #expect(assumptions?["as_of"] as? String == Self.asOf)
        #expect(assumptions?["time_basis"] as? String == "bus252 --min-days 1.0")
        let units = object?["units"] as? [String: String]
        #expect(units?.keys.sorted() == GreeksReportColumns.all.sorted())
        let options = object?["options"] as? [[String: Any]]
        #expect(options?.count == Self.chain.count)
        let basis = TimeBasis.businessDays(yearLength: 252, intraday: false, minimumYears: 1.0 / 252)
        let chain = Self.chain.revalued(at: Self.valuation, basis: basis)
        let g = chain.greeks(MarketParameters(spot: 6000, rate: 0.04))
        // Foundation's JSON reader is not always correctly rounded; the CSV test checks exactness.
        func close(_ a: Any?, _ b: Double) -> Bool {
            guard let a = a as? Double else { return false }
            return abs(a - b) <= 1e-14 * abs(b)
        }
        for i in [0, 1, 700, chain.count - 1] {
            let o = options?[i] ?? [:]
            #expect(o["symbol"] as? String == chain.symbols[i])
            #expect(o["type"] as? String == chain.kinds[i].description)
            #expect(o["expiry"] as? String == ISO8601Timestamp.string(from: chain.expiries[i]))
            #expect(close(o["strike"], chain.strikes[i]) && close(o["iv"], chain.impliedVols[i]))
            #expect(close(o["t"], chain.yearsToExpiry[i]), "\(o["t"] ?? "nil") vs \(chain.yearsToExpiry[i])")
            #expect(close(o["gamma"], g.gamma[i]) && close(o["theta"], g.theta[i]) && close(o["speed"], g.speed[i]))
        }
        #expect(chain.yearsToExpiry[0] == 1.0 / 252, "the 0DTE option gets the one-day floor")
        let counts = object?["counts"] as? [String: Int]
        #expect(counts == ["options": 1500, "skipped": 0, "expired": 0, "zero_time_live": 0])
    }

    @Test func wholeDayBasisWarnsAboutTodaysExpiries() throws {
        let path = try tempFile(Self.chain.csvText())
        guard
            let r = try run([
                "greeks", "--chain", path, "--spot", "6000", "--as-of", Self.asOf, "--time-basis", "bus262",
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let today = Self.chain.revalued(at: Self.valuation, basis: .businessDays(yearLength: 262, intraday: false))
            .yearsToExpiry.filter { $0 <= 0 }.count
        #expect(today > 0)
        #expect(r.stderr.contains("0 expired (expiry at or before as-of"), "\(r.stderr)")
        #expect(r.stderr.contains("note: \(today) options expire after the as-of time but have t = 0 under bus262"))
    }

    @Test func summaryIsReadable() throws {
        let path = try tempFile(Self.chain.csvText())
        guard let r = try run(["greeks", "--chain", path, "--spot", "6000", "--as-of", Self.asOf, "--summary"])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        for needle in ["Assumptions", "spot", "time basis", "Expiries", "Near the money", "Totals", "--format csv"] {
            #expect(r.stdout.contains(needle), "summary lacks \(needle):\n\(r.stdout)")
        }
        #expect(r.stdout.split(separator: "\n").count < 60)
    }

    @Test func badRowExitsWithOneLineNamingFileLineField() throws {
        let good = Self.chain.csvText().split(separator: "\n").prefix(4).joined(separator: "\n")
        let path = try tempFile(good + "\nSPXW1,2026-12-11T21:00:00Z,5000,C,abc,10,100\n")
        guard let r = try run(["greeks", "--chain", path, "--spot", "6000", "--as-of", Self.asOf]) else { return }
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "error: \(path):5: field 'iv': expected a decimal number, found \"abc\"\n", "\(r.stderr)")

        guard
            let lenient = try run([
                "greeks", "--chain", path, "--spot", "6000", "--as-of", Self.asOf, "--skip-invalid",
            ])
        else { return }
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdout.split(separator: "\n").count == 4)
        #expect(lenient.stderr.contains("3 options from \(path); 1 rows skipped"))
        #expect(lenient.stderr.contains("skipped: \(path):5: field 'iv'"))
    }

    @Test func fileProblemsExitTwo() throws {
        let junk = try tempFile(String(decoding: [0x47, 0x00, 0xFF, 0x10], as: UTF8.self), name: "junk.bin")
        let empty = try tempFile("")
        let noIV = try tempFile("symbol,expiry,strike,type,open_interest\nA,2026-12-11T21:00:00Z,5000,C,1\n")
        let allBad = try tempFile("symbol,expiry,strike,type,iv,open_interest\nA,2026-12-11T21:00:00Z,-1,C,0.2,1\n")
        let cases: [([String], String)] = [
            (["--chain", "/no/such/chain.csv"], "error: /no/such/chain.csv: cannot read the file (no such file)"),
            (["--chain", junk], "error: \(junk): the file is not text"),
            (["--chain", empty], "error: \(empty): the file holds no data rows"),
            (["--chain", noIV], "error: \(noIV):1: field 'iv': required column is missing"),
            (["--chain", allBad, "--skip-invalid"], "error: \(allBad): no valid rows (1 skipped)"),
        ]
        for (args, message) in cases {
            guard let r = try run(["greeks", "--spot", "6000", "--as-of", Self.asOf] + args) else { return }
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func badFlagsAreValidationErrors() throws {
        let path = try tempFile(Self.chain.csvText())
        let cases: [([String], String)] = [
            (["--spot", "-1"], "--spot"),
            (["--spot", "0"], "--spot"),
            (["--spot", "nan"], "--spot"),
            (["--spot", "inf"], "--spot"),
            (["--spot", "1e-310"], "--spot"),  // subnormal: the kernels' logs need normal doubles
            (["--spot", "6000", "--rate", "nan"], "--rate"),
            (["--spot", "6000", "--div-yield", "inf"], "--div-yield"),
            (["--spot", "6000", "--as-of", "2026-01-05T19:30:00"], "no time zone"),
            (["--spot", "6000", "--as-of", "yesterday"], "--as-of"),
            (["--spot", "6000", "--time-basis", "act360x"], "time-basis"),
            (["--spot", "6000", "--format", "xml"], "format"),
            (["--spot", "6000", "--summary", "--format", "json"], "--summary"),
            (["--spot", "abc"], "spot"),
            ([], "--spot"),
        ]
        for (args, needle) in cases {
            guard let r = try run(["greeks", "--chain", path] + args) else { return }
            #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func outputFileAndExpiredOptions() throws {
        let path = try tempFile(Self.chain.csvText())
        let outPath = try tempFile("", name: "out.csv")
        // Five days later: the 0DTE and next-day expiries are gone.
        guard
            let r = try run([
                "greeks", "--chain", path, "--spot", "6000", "--as-of", "2026-01-10T19:30:00Z", "--output", outPath,
                "--time-basis", "bus262-intraday",
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let later = Date(timeIntervalSince1970: 1_767_641_400 + 5 * 86_400)
        let chain = Self.chain.revalued(at: later, basis: .businessDays(yearLength: 262, intraday: true))
        let expired = chain.yearsToExpiry.filter { $0 <= 0 }.count
        #expect(expired > 0)
        #expect(r.stderr.contains("\(expired) expired (expiry at or before as-of"), "\(r.stderr)")
        let written = try String(contentsOfFile: outPath, encoding: .utf8)
        let rows = written.split(separator: "\n").dropFirst()
        #expect(rows.count == chain.count)
        let expiredRows = rows.filter { Double($0.split(separator: ",")[5])! <= 0 }
        #expect(expiredRows.count == expired)
        #expect(!written.contains("nan") && !written.contains("inf"))
    }

    @Test func committedSampleRuns() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/data/spx_sample_chain.csv").path
        guard FileManager.default.fileExists(atPath: sample) else {
            Issue.record("missing \(sample)")
            return
        }
        // `make demo`'s command line.
        guard
            let r = try run([
                "greeks", "--chain", sample, "--spot", "5850", "--rate", "0.04", "--div-yield", "0.013", "--as-of",
                "2026-11-20T15:30:00Z", "--summary",
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("options from \(sample)"))
        #expect(r.stdout.contains(" 0 expired"), "\(r.stdout)")
    }
}

/// The column names `gammaflow greeks` prints, as the tests expect them.
enum GreeksReportColumns {
    static let all = [
        "symbol", "expiry", "strike", "type", "iv", "t", "price", "delta", "gamma", "vega", "theta", "vanna", "charm",
        "vomma", "speed",
    ]
}

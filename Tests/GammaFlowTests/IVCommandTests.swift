import Foundation
import Testing

@testable import GammaFlow

/// Runs the built `gammaflow iv` as a subprocess: good input (vols recovered
/// from prices made with known vols), every status, and bad rows (an error
/// naming file, line and field, and a non-zero exit).
///
/// The binary is `$GAMMAFLOW_EXECUTABLE` when set, else the `gammaflow` found
/// in the directory of the running test binary or up to three levels above
/// it. When there is none, the suite is skipped with a message saying so.
@Suite(
    .enabled(
        if: GammaflowExecutable.url != nil,
        "gammaflow executable not found next to the test binary (build it with swift build, or set GAMMAFLOW_EXECUTABLE)"
    ))
struct IVCommandTests {
    static let asOf = "2026-01-05T21:00:00Z"
    static let spot = 6_000.0
    static let rate = 0.043
    static let dividendYield = 0.012
    static let header = "symbol,expiry,strike,type,price"

    typealias Run = GammaflowRun

    func run(_ arguments: [String]) throws -> Run? {
        guard GammaflowExecutable.url != nil else { return nil }
        return try GammaflowProcess.run(arguments)
    }

    static func tempDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A temporary CSV file holding `lines`.
    func csv(_ lines: [String]) throws -> String {
        let url = try Self.tempDirectory("gammaflow-iv-in").appendingPathComponent("prices.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func ivArguments(_ path: String) -> [String] {
        [
            "iv", "--prices", path, "--spot", "\(Self.spot)", "--rate", "\(Self.rate)", "--div-yield",
            "\(Self.dividendYield)", "--as-of", Self.asOf,
        ]
    }

    /// `days` after the as-of instant, as ISO-8601 (ACT/365 then gives days / 365 years).
    static func expiry(days: Int) -> String {
        let start = ISO8601Timestamp.date(from: asOf)!
        return ISO8601Timestamp.string(from: start.addingTimeInterval(Double(days) * 86_400))
    }

    /// The output rows as dictionaries keyed by the header's column names.
    func rows(_ stdout: String) -> [[String: String]] {
        let lines = stdout.split(separator: "\n").map(String.init)
        guard let head = lines.first else { return [] }
        let names = head.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(names, fields))
        }
    }

    @Test func recoversKnownVols() throws {
        var rng = IVSeededGenerator(seed: 31)
        var lines = [Self.header + ",iv"]
        var truth: [(vol: Double, years: Double)] = []
        for i in 0..<40 {
            let days = [1, 7, 30, 91, 365, 730][i % 6]
            let T = Double(days) / 365
            let K = (Self.spot * exp(Double.random(in: -0.25...0.25, using: &rng)) / 5).rounded() * 5
            let vol = Double.random(in: 0.08...0.9, using: &rng)
            let forward = Self.spot * exp((Self.rate - Self.dividendYield) * T)
            let kind: OptionKind = K >= forward ? .call : .put
            let price = ImpliedVolatility.price(
                kind: kind, spot: Self.spot, strike: K, years: T, vol: vol, rate: Self.rate,
                dividendYield: Self.dividendYield)
            // A vendor vol 0.5 vol points off, to check the difference column.
            lines.append(
                "SPXW\(i),\(Self.expiry(days: days)),\(K),\(kind == .call ? "C" : "P"),\(price),\(vol + 0.005)")
            truth.append((vol, T))
        }
        guard let r = try run(ivArguments(try csv(lines))) else { return }
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let out = rows(r.stdout)
        #expect(out.count == truth.count)
        for (row, t) in zip(out, truth) {
            #expect(row["status"] == "ok", "\(row)")
            let iv = Double(row["iv"] ?? "") ?? .nan
            let years = Double(row["years"] ?? "") ?? .nan
            #expect(abs(years - t.years) <= 1e-15 * t.years, "years \(years) vs \(t.years)")
            #expect(abs(iv - t.vol) <= 1e-10 * t.vol, "iv \(iv) vs \(t.vol) in \(row)")
            let diff = Double(row["diff_vol_points"] ?? "") ?? .nan
            #expect(abs(diff + 0.5) < 1e-8, "diff_vol_points \(diff) in \(row)")
        }
        #expect(r.stderr.contains("# statuses: ok=40 "), "\(r.stderr)")
        #expect(r.stderr.contains("spot=6000.0"), "assumptions printed: \(r.stderr)")
    }

    @Test func midOfBidAndAsk() throws {
        let T = 30.0 / 365
        let price = ImpliedVolatility.price(
            kind: .call, spot: Self.spot, strike: 6_100, years: T, vol: 0.2, rate: Self.rate,
            dividendYield: Self.dividendYield)
        let lines = [
            "symbol,expiry,strike,type,bid,ask",
            "SPXW1,\(Self.expiry(days: 30)),6100,C,\(price - 0.25),\(price + 0.25)",
        ]
        // `--chain` is the issue's spelling of `--prices` (a chain with bid/ask columns).
        var arguments = ivArguments(try csv(lines))
        arguments[1] = "--chain"
        guard let r = try run(arguments) else { return }
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let out = rows(r.stdout)
        #expect(out.first?["status"] == "ok")
        let iv = Double(out.first?["iv"] ?? "") ?? .nan
        // The mid differs from the model price only by rounding.
        #expect(abs(iv - 0.2) < 1e-10, "iv \(iv)")
        #expect(r.stderr.contains("mid of bid and ask"), "\(r.stderr)")
    }

    @Test func everyStatusIsPrinted() throws {
        let T = 91.0 / 365
        let forward = Self.spot * exp((Self.rate - Self.dividendYield) * T)
        let discount = exp(-Self.rate * T)
        let intrinsic = discount * (forward - 5_000)
        let lines = [
            Self.header,
            "OK,\(Self.expiry(days: 91)),5000,C,\(intrinsic + 20)",
            "BELOW,\(Self.expiry(days: 91)),5000,C,\(intrinsic * 0.99)",
            "ABOVE,\(Self.expiry(days: 91)),5000,C,\(discount * forward * 1.01)",
            "ZERO,\(Self.expiry(days: 91)),5000,C,0",
            "MISSING,\(Self.expiry(days: 91)),5000,P,",
            "EXPIRED,\(Self.expiry(days: -1)),5000,P,3.5",
        ]
        guard let r = try run(ivArguments(try csv(lines))) else { return }
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let out = rows(r.stdout)
        let statuses = out.map { $0["status"] ?? "" }
        #expect(
            statuses == ["ok", "below_intrinsic", "above_upper_bound", "no_quote", "no_quote", "expired"],
            "\(r.stdout)")
        for row in out.dropFirst() { #expect(row["iv"] == "0.0", "vol is 0 unless ok: \(row)") }
        #expect(
            r.stderr.contains(
                "# statuses: ok=1 below_intrinsic=1 above_upper_bound=1 no_quote=2 expired=1 (of 6)"),
            "\(r.stderr)")
    }

    @Test func badStrikeNamesFileLineAndField() throws {
        let lines = [
            Self.header,
            "A,\(Self.expiry(days: 30)),6000,C,50",
            "B,\(Self.expiry(days: 30)),sixty-one hundred,C,20",
        ]
        let path = try csv(lines)
        guard let r = try run(ivArguments(path)) else { return }
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(path):3"), "file:line in \(r.stderr)")
        #expect(r.stderr.contains("strike"), "field in \(r.stderr)")
        #expect(r.stdout.isEmpty, "no partial table: \(r.stdout)")
    }

    @Test func badTypeAndExpiryAndMissingColumn() throws {
        let badType = try csv([Self.header, "A,\(Self.expiry(days: 30)),6000,X,50"])
        if let r = try run(ivArguments(badType)) {
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(badType):2") && r.stderr.contains("type"), "\(r.stderr)")
        }
        let badExpiry = try csv([Self.header, "A,2026-13-45,6000,C,50"])
        if let r = try run(ivArguments(badExpiry)) {
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(badExpiry):2") && r.stderr.contains("expiry"), "\(r.stderr)")
        }
        let noPrice = try csv(["symbol,expiry,strike,type", "A,\(Self.expiry(days: 30)),6000,C"])
        if let r = try run(ivArguments(noPrice)) {
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(noPrice):1") && r.stderr.contains("price"), "\(r.stderr)")
        }
    }

    // MARK: --cboe

    /// The SPX sample, resolved from the package root through `#filePath`.
    static let spx = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/cboe/spx_quotedata_2024-01-05.csv").path
    static let spxAvailable = FileManager.default.isReadableFile(atPath: spx)
    static let missing: Comment = "CBOE sample missing from ../shared/data/cboe/spx_quotedata_2024-01-05.csv; skipped"

    func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object")
    }

    @Test(.enabled(if: spxAvailable, missing)) func cboeJSONSolvesEveryLiveSide() throws {
        guard let r = try run(["iv", "--cboe", Self.spx, "--format", "json"]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        #expect(doc["price"] as? String == "mid")
        let assumptions = try #require(doc["assumptions"] as? [String: Any])
        #expect(assumptions["spot"] as? Double == 4697.2402)
        #expect(assumptions["spot_source"] as? String == "file Last:")
        #expect(assumptions["as_of"] as? String == "2024-01-07T15:52:00Z")
        #expect(assumptions["rate"] as? Double == 0)
        let imported = try #require(doc["import"] as? [String: Any])
        let excluded = try #require(imported["excluded"] as? [String: Any])
        let expired = try #require(excluded["expired"] as? Int)
        let noIV = try #require(excluded["no_iv_quote"] as? Int)
        let options = try #require(doc["options"] as? [[String: Any]])
        // Every side that has not expired is solved, with or without a vendor IV.
        #expect(options.count == doc["count"] as? Int)
        #expect(options.count + expired == imported["options_read"] as? Int)
        #expect(doc["with_vendor_iv"] as? Int == imported["imported"] as? Int)
        #expect(options.count == (imported["imported"] as? Int ?? -1) + noIV)
        // Status counts add up and match the rows.
        let counts = try #require(doc["status_counts"] as? [String: Int])
        #expect(Set(counts.keys) == ["ok", "below_intrinsic", "above_upper_bound", "no_quote", "expired"])
        #expect(counts.values.reduce(0, +) == options.count)
        var seen: [String: Int] = [:]
        for o in options { seen[o["status"] as? String ?? "?", default: 0] += 1 }
        for (k, v) in counts where v > 0 { #expect(seen[k] == v, "\(k)") }
        #expect(counts["ok"]! > options.count / 2, "most mids solve: \(counts)")
        #expect(counts["no_quote"]! > 0 && counts["expired"] == 0)
        // Rows: ok ones have a positive vol; a diff exactly where both vols are positive.
        var compared = 0
        for o in options {
            let iv = try #require(o["iv"] as? Double)
            let status = try #require(o["status"] as? String)
            #expect(status == "ok" ? iv > 0 : iv == 0)
            let vendor = o["vendor_iv"] as? Double
            if let diff = o["diff_vol_points"] as? Double {
                compared += 1
                #expect(abs(diff - 100 * (iv - vendor!)) < 1e-9)
            } else {
                #expect(status != "ok" || vendor == nil)
            }
            #expect(o["symbol"] is String && o["expiry"] is String && o["strike"] is Double)
        }
        #expect(compared > 0)
        for needle in ["import: excluded: expired", "# statuses: ok=", "# prices: mid of bid and ask"] {
            #expect(r.stderr.contains(needle), "stderr lacks \(needle):\n\(r.stderr)")
        }
    }

    @Test(.enabled(if: spxAvailable, missing)) func cboeCSVWithLastAndOverrides() throws {
        guard
            let r = try run([
                "iv", "--cboe", Self.spx, "--price", "last", "--spot", "4700", "--rate", "0.05", "--div-yield", "0.013",
            ])
        else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let table = rows(r.stdout)
        #expect(r.stdout.hasPrefix("symbol,expiry,strike,type,price,years,iv,status,vendor_iv,diff_vol_points\n"))
        #expect(!table.isEmpty)
        let statuses = Set(table.compactMap { $0["status"] })
        #expect(statuses.isSubset(of: ["ok", "below_intrinsic", "above_upper_bound", "no_quote", "expired"]))
        #expect(statuses.contains("ok") && statuses.contains("no_quote"))
        let summary = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("# statuses: ") })
        let total = summary.split(separator: " ").compactMap { field -> Int? in
            let kv = field.split(separator: "=")
            return kv.count == 2 ? Int(kv[1]) : nil
        }
        .reduce(0, +)
        #expect(total == table.count, "\(summary)")
        for needle in [
            "import: spot: 4700.0 (given)", "# spot=4700.0 rate=0.05 div_yield=0.013", "# prices: last sale",
        ] {
            #expect(r.stderr.contains(needle), "stderr lacks \(needle):\n\(r.stderr)")
        }
    }

    @Test func sourceFlagCombinations() throws {
        let cases: [([String], String)] = [
            (["iv", "--prices", "a.csv", "--cboe", "b.csv", "--spot", "1"], "pass exactly one of them"),
            (["iv", "--spot", "1"], "--prices FILE"),
            (["iv", "--prices", "a.csv"], "--prices needs --spot"),
            (["iv", "--prices", "a.csv", "--spot", "1", "--price", "last"], "applies to --cboe"),
            (["iv", "--prices", "a.csv", "--spot", "1", "--settlement", "all-pm"], "applies to --cboe"),
            (["iv", "--cboe", "b.csv", "--price", "close"], "price"),
            (["iv", "--cboe", "b.csv", "--format", "xml"], "format"),
            (["iv", "--cboe", "b.csv", "--spot", "-3"], "--spot"),
        ]
        for (args, needle) in cases {
            guard let r = try run(args) else { return }
            #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args)")
        }
        guard let missing = try run(["iv", "--cboe", "/no/such/quotedata.csv"]) else { return }
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(missing.stderr.hasPrefix("error: /no/such/quotedata.csv"), "\(missing.stderr)")
    }
}

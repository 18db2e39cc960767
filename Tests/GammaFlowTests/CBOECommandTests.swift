import Foundation
@_spi(Benchmarks) import GammaFlow
import Testing

/// Runs the built `gammaflow` executable with `--cboe` on the real CBOE SPX
/// sample (`../shared/data/cboe/spx_quotedata_2024-01-05.csv`, read in place),
/// checks the flag combinations of the chain source, and runs `bench profile`.
///
/// Skipped with a message when the executable or the sample is missing.
@Suite(
    .enabled(
        if: GammaflowExecutable.url != nil,
        "gammaflow executable not found next to the test binary (build it with swift build, or set GAMMAFLOW_EXECUTABLE)"
    ))
struct CBOECommandTests {
    /// The SPX sample, resolved from the package root through `#filePath`.
    static let spx = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/cboe/spx_quotedata_2024-01-05.csv").path
    static let spxAvailable = FileManager.default.isReadableFile(atPath: spx)
    static let missing: Comment = "CBOE sample missing from ../shared/data/cboe/spx_quotedata_2024-01-05.csv; skipped"

    typealias Run = GammaflowRun

    func run(_ arguments: [String]) throws -> Run { try GammaflowProcess.run(arguments) }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object")
    }

    @Test(.enabled(if: spxAvailable, missing)) func greeksReadsSpotAndAsOfFromTheFile() throws {
        let r = try run(["greeks", "--cboe", Self.spx, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        let assumptions = try #require(doc["assumptions"] as? [String: Any])
        #expect(assumptions["spot"] as? Double == 4697.2402)
        #expect(assumptions["spot_source"] as? String == "file")
        #expect(assumptions["as_of"] as? String == "2024-01-07T15:52:00Z")
        #expect(assumptions["as_of_source"] as? String == "file")
        #expect(assumptions["rate"] as? Double == 0)
        #expect(assumptions["dividend_yield"] as? Double == 0)
        let imported = try #require(doc["import"] as? [String: Any])
        #expect(imported["spot_source"] as? String == "file Last:")
        #expect((imported["settlement"] as? String)?.contains("SPX") == true)
        let excluded = try #require(imported["excluded"] as? [String: Any])
        let expired = try #require(excluded["expired"] as? Int)
        let noIV = try #require(excluded["no_iv_quote"] as? Int)
        #expect(expired > 0, "the 2024-01-05 expiries are past at the Sunday snapshot")
        #expect(excluded["invalid_rows"] as? Int == 0)
        let options = try #require(doc["options"] as? [[String: Any]])
        #expect(options.count == imported["imported"] as? Int)
        #expect(options.count + expired + noIV == imported["options_read"] as? Int)
    }

    @Test(.enabled(if: spxAvailable, missing)) func greeksCSVPrintsTheImportReportOnStderr() throws {
        let r = try run(["greeks", "--cboe", Self.spx, "--spot", "4700", "--rate", "0.05", "--settlement", "all-pm"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("symbol,expiry,strike,type,iv,t,price,"))
        for needle in [
            "import: spot: 4700.0 (given)", "import: as of: 2024-01-07 10:52:00 EST",
            "import: settlement: all at 16:00 ET",
            "import: excluded: expired", "no IV quote", "import: rate 0.05, dividend yield 0.0 (default)",
            "spot 4700.0 index points",
        ] {
            #expect(r.stderr.contains(needle), "stderr lacks \(needle):\n\(r.stderr)")
        }
    }

    @Test(.enabled(if: spxAvailable, missing)) func levelsJSONFromTheFile() throws {
        let r = try run(["levels", "--cboe", Self.spx, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        #expect(doc["spot"] as? Double == 4697.2402)
        let gex = try #require(doc["net_gex"] as? Double)
        #expect(gex.isFinite && gex != 0)
        let zero = try #require(doc["zero_gamma"])
        #expect(zero is NSNull || (zero as? Double).map { $0 > 4697.2402 * 0.8 && $0 < 4697.2402 * 1.2 } == true)
        let call = try #require(doc["call_wall"] as? Double)
        let put = try #require(doc["put_wall"] as? Double)
        #expect(call > 0 && put > 0)
        let conventions = try #require(doc["conventions"] as? [String: Any])
        #expect(conventions["positions"] as? String == "long-calls-short-puts")
        let imported = try #require(doc["import"] as? [String: Any])
        #expect((imported["excluded"] as? [String: Any])?["expired"] as? Int ?? 0 > 0)
    }

    @Test(.enabled(if: spxAvailable, missing)) func levelsTextPrintsTheReportOnStderr() throws {
        let r = try run(["levels", "--cboe", Self.spx, "--convention", "short-calls-long-puts"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("cboe file:") && r.stdout.contains("short-calls-long-puts"), "\(r.stdout)")
        #expect(r.stdout.contains("excluded:"), "\(r.stdout)")
        #expect(r.stderr.contains("import: excluded: expired"), "\(r.stderr)")
    }

    @Test(.enabled(if: spxAvailable, missing)) func profileWithAFittedMoneynessSmile() throws {
        let args = ["profile", "--cboe", Self.spx, "--steps", "4", "--vol-dynamics", "sticky-moneyness"]
        let fitted = try run(args + ["--moneyness-smile", "quadratic"])
        #expect(fitted.status == 0, "\(fitted.stderr)")
        #expect(fitted.stderr.contains("sticky moneyness (fitted quadratic smile per expiry"), "\(fitted.stderr)")
        let interpolated = try run(args)
        #expect(interpolated.status == 0, "\(interpolated.stderr)")
        func gex(_ text: String) -> [Double] {
            text.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) }
        }
        let (a, b) = (gex(fitted.stdout), gex(interpolated.stdout))
        #expect(a.count == 5 && b.count == 5 && a.allSatisfy(\.isFinite))
        // Two different smiles: the same book, the same grid, different GEX away from spot.
        #expect(zip(a, b).contains { abs($0 - $1) > 1e-6 * abs($1) }, "\(a) vs \(b)")
    }

    @Test(.enabled(if: spxAvailable, missing)) func profileCSVRows() throws {
        let r = try run(["profile", "--cboe", Self.spx, "--steps", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "spot,gex,dex,vex,gex_0dte,gex_calls,gex_puts")
        #expect(lines.count == 22)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").compactMap { Double($0) }
            #expect(fields.count == 7 && fields.allSatisfy(\.isFinite), "\(line)")
        }
        let first = Double(lines[1].split(separator: ",")[0]) ?? 0
        #expect(abs(first - 4697.2402 * 0.8) < 1e-6)
        #expect(r.stderr.contains("import: spot: 4697.2402 (file Last:)"), "\(r.stderr)")
        #expect(r.stderr.contains("# as-of: 2024-01-07T15:52:00Z (file Date:"), "\(r.stderr)")
    }

    @Test(.enabled(if: spxAvailable, missing)) func fillMissingIVFromTheSmile() throws {
        let plain = try run(["greeks", "--cboe", Self.spx, "--format", "json"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let before = try #require(try jsonObject(plain.stdout)["import"] as? [String: Any])
        #expect(before["filled_from_smile"] as? Int == 0)
        #expect(before["smile_model"] is NSNull)
        let noIVBefore = try #require((before["excluded"] as? [String: Any])?["no_iv_quote"] as? Int)
        #expect(noIVBefore > 0)

        let r = try run(["greeks", "--cboe", Self.spx, "--fill-missing-iv", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try jsonObject(r.stdout)
        let imported = try #require(doc["import"] as? [String: Any])
        let filled = try #require(imported["filled_from_smile"] as? Int)
        #expect(imported["smile_model"] as? String == "quadratic")
        let fill = try #require(imported["smile_fill"] as? [String: Any])
        #expect(fill["model"] as? String == "quadratic" && fill["weighting"] as? String == "vega")
        #expect(fill["filled"] as? Int == filled)
        let excluded = try #require(imported["excluded"] as? [String: Any])
        let expired = try #require(excluded["expired"] as? Int)
        let noIV = try #require(excluded["no_iv_quote"] as? Int)
        #expect(filled > 0)
        #expect(filled + noIV == noIVBefore, "every no-IV side is filled or still excluded")
        #expect(fill["unfilled"] as? Int == noIV)
        #expect(imported["imported"] as? Int == (before["imported"] as? Int ?? -1) + filled)
        let options = try #require(doc["options"] as? [[String: Any]])
        #expect(options.count == imported["imported"] as? Int)
        #expect(options.count + expired + noIV == imported["options_read"] as? Int)
        #expect((imported["vols"] as? String)?.contains("filled from the quadratic smile of their expiry") == true)

        let text = try run(["levels", "--cboe", Self.spx, "--fill-missing-iv", "--smile-model", "cubic"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("import: filled from smile: \(filled) sides"), "\(text.stderr)")
        #expect(text.stderr.contains("cubic smile"), "\(text.stderr)")
        #expect(text.stderr.contains("import: excluded: expired \(expired), no IV quote \(noIV)"), "\(text.stderr)")

        let profile = try run(["profile", "--cboe", Self.spx, "--fill-missing-iv", "--format", "json"])
        #expect(profile.status == 0, "\(profile.stderr)")
        let profileImport = try #require(try jsonObject(profile.stdout)["import"] as? [String: Any])
        #expect(profileImport["filled_from_smile"] as? Int == filled)
    }

    @Test func chainSourceFlagCombinations() throws {
        let cases: [([String], String)] = [
            (["greeks", "--chain", "a.csv", "--cboe", "b.csv", "--spot", "1"], "pass exactly one of them"),
            (["levels", "--chain", "a.csv", "--cboe", "b.csv"], "pass exactly one of them"),
            (["profile", "--spot", "5000"], "--chain FILE"),
            (["greeks", "--spot", "5000"], "--cboe FILE"),
            (["levels", "--chain", "a.csv"], "--chain needs --spot"),
            (["greeks", "--chain", "a.csv", "--spot", "1", "--settlement", "all-pm"], "applies to --cboe"),
            (["greeks", "--cboe", "b.csv", "--settlement", "noon"], "settlement"),
            (["greeks", "--cboe", "b.csv", "--spot", "-3"], "--spot"),
            (
                ["levels", "--chain", "a.csv", "--spot", "1", "--fill-missing-iv"],
                "--fill-missing-iv applies to --cboe"
            ),
            (["profile", "--cboe", "b.csv", "--smile-model", "cubic"], "needs --fill-missing-iv"),
            (["greeks", "--cboe", "b.csv", "--fill-missing-iv", "--smile-model", "quartic"], "smile-model"),
            (
                ["profile", "--cboe", "b.csv", "--moneyness-smile", "cubic"],
                "applies to --vol-dynamics sticky-moneyness"
            ),
        ]
        for (args, needle) in cases {
            let r = try run(args)
            #expect(r.status == 64, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args)")
        }
        let missing = try run(["levels", "--cboe", "/no/such/quotedata.csv"])
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(missing.stderr.hasPrefix("error: /no/such/quotedata.csv"), "\(missing.stderr)")
    }

    @Test func benchProfileJSON() throws {
        // The profile kernels on a small book, then the surface kernels (24
        // preparations and passes each, slow in a debug build) on a tiny one.
        let profiles = [
            "gex-profile-fused", "gex-profile-folded", "gex-profile-gemm", "gex-profile-automatic",
            "exposure-profile-fused", "exposure-profile-folded", "exposure-profile-gemm",
        ]
        let surfaces = ["dealer-surface", "dealer-surface-fused"]
        #expect(Set(profiles + surfaces) == Set(ProfileBenchmark.Kernel.allCases.map(\.rawValue)))
        for (kernels, options, grid) in [(profiles, 2000, 50), (surfaces, 100, 6)] {
            let r = try run([
                "bench", "profile", "--options", "\(options)", "--grid", "\(grid)", "--runs", "1", "--threads", "1",
                "--min-run-ms", "0", "--kernels", kernels.joined(separator: ","), "--format", "json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            #expect(Set(rows.compactMap { $0["kernel"] as? String }) == Set(kernels))
            for row in rows {
                #expect(row["threads"] as? Int == 1)
                #expect(row["options"] as? Int == options)
                #expect(row["grid"] as? Int == grid)
                let ns = try #require(row["ns_per_eval"] as? Double)
                #expect(ns.isFinite && ns > 0)
            }
        }
    }

    /// `bench iv` checks the solver on its chain, then prints the `bench greeks` JSON shape.
    @Test func benchIVJSON() throws {
        let r = try run(["bench", "iv", "--n", "3000", "--runs", "1", "--threads", "1", "--min-run-ms", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("recovered"), "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(
            rows.compactMap { $0["kernel"] as? String }
                == ["iv-lets-be-rational", "iv-lets-be-rational-shuffled", "iv-newton-bisection"])
        for row in rows {
            #expect(row["threads"] as? Int == 1)
            #expect(row["n"] as? Int == 3000)
            let ns = try #require(row["ns_per_option"] as? Double)
            #expect(ns.isFinite && ns > 0)
        }
    }
}

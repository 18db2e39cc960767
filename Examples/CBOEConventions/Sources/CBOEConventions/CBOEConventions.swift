import ArgumentParser
import Foundation
import GammaFlow

/// Prints, for a CBOE quotedata snapshot, how each convention moves net
/// dealer GEX and zero gamma (the tables of `Docs/Conventions.md`), and times
/// the import.
///
/// ```
/// swift run -c release --scratch-path .build-cboe cboe-conventions --file ../../../shared/data/cboe/spx_quotedata_2024-01-05.csv
/// ```
@main
struct CBOEConventions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cboe-conventions",
        abstract: "How GEX conventions move net GEX and zero gamma on a CBOE snapshot; import timing.")

    @Option(help: "A CBOE delayed-quote CSV (quotedata).")
    var file: String

    @Option(help: "Also value the snapshot at this ISO-8601 instant (file vols, OI and spot held fixed).")
    var alsoAt: [String] = ["2024-01-19T12:00:00-05:00"]

    @Option(help: "Timing repetitions (0: no timing).")
    var repeats: Int = 50

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("cannot read --file \(file)")
        }
        guard repeats >= 0 else { throw ValidationError("--repeats must be >= 0") }
        for t in alsoAt where ISO8601Timestamp.date(from: t) == nil {
            throw ValidationError("--also-at \(t) is not an ISO-8601 instant with a zone")
        }
    }

    func run() throws {
        let quotes = try CBOEQuoteData(path: file)
        let snapshot = try CBOESnapshot(quotes: quotes)
        print("## Import\n")
        print("```\n\(snapshot.report)\n```\n")
        print("## Conventions at the file's own time\n")
        print(table(quotes, asOf: quotes.asOf))
        for text in alsoAt {
            let t = ISO8601Timestamp.date(from: text)!
            print("\n## Conventions valued at \(text) (file vols, open interest and spot held fixed)\n")
            print(table(quotes, asOf: t))
        }
        if repeats > 0 { try timing() }
    }

    /// One row per convention, each changing one thing from GammaFlow's defaults.
    func rows() -> [(String, GEXConventions)] {
        let g = GEXConventions.gammaFlow
        func with(_ change: (inout GEXConventions) -> Void) -> GEXConventions {
            var c = g
            change(&c)
            return c
        }
        let day262 = 1.0 / 262
        return [
            ("GammaFlow defaults", g),
            (
                "business days / 262, whole days, no floor",
                with { $0.timeBasis = .businessDays(yearLength: 262, intraday: false) }
            ),
            (
                "business days / 262, whole days, floor 1/262",
                with { $0.timeBasis = .businessDays(yearLength: 262, intraday: false, minimumYears: day262) }
            ),
            ("business days / 262, intraday", with { $0.timeBasis = .businessDays(yearLength: 262, intraday: true) }),
            (
                "business days / 252, whole days, floor 1/252",
                with { $0.timeBasis = .businessDays(yearLength: 252, intraday: false, minimumYears: 1.0 / 252) }
            ),
            ("business days / 252, intraday", with { $0.timeBasis = .businessDays(yearLength: 252, intraday: true) }),
            (
                "expired kept, floored to 1 day (ACT/365, floor 1/365)",
                with {
                    $0.timeBasis = TimeBasis(clock: TimeBasis.act365.clock, minimumYears: 1.0 / 365)
                    $0.expired = .floor
                }
            ),
            (
                "earlier-dated expiries excluded, same-day floored (floor 1/365)",
                with {
                    $0.timeBasis = TimeBasis(clock: TimeBasis.act365.clock, minimumYears: 1.0 / 365)
                    $0.expired = .excludePriorDates
                }
            ),
            ("vendor gamma (file's Gamma column)", with { $0.gammaSource = .vendor }),
            ("all expiries PM (16:00), no AM settlement", with { $0.settlement = .allPM }),
            ("dealers short calls, long puts", with { $0.dealer = .shortCallsLongPuts }),
            (
                "Perfiliev profile: bd/262 whole, floor 1/262, earlier dates out, all PM",
                PerfilievMethod.profileConventions
            ),
        ]
    }

    func table(_ quotes: CBOEQuoteData, asOf: Date) -> String {
        func bn(_ x: Double) -> String { String(format: "%+.3f", x / 1e9) }
        func level(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
        var out =
            "| convention (one change from GammaFlow's defaults) | net GEX at spot, $bn per 1% | change | "
            + "zero gamma, first crossing (60 levels) | zero gamma, root nearest spot | options used | expired excluded | expired floored |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        let base = quotes.gammaExposure(.gammaFlow, asOf: asOf)
        for (name, c) in rows() {
            let r = quotes.gammaExposure(c, asOf: asOf)
            out +=
                "| \(name) | \(bn(r.netGEX)) | \(bn(r.netGEX - base.netGEX)) | \(level(r.zeroGammaFirstCrossing)) | "
                + "\(level(r.zeroGammaNearestSpot)) | \(r.included) | \(r.excludedExpired) | \(r.flooredExpired) |\n"
        }
        if asOf == quotes.asOf {
            let p = PerfilievMethod.evaluate(quotes)
            out +=
                "| **Perfiliev's method**: vendor-gamma total, model profile as above | \(bn(p.totalGEX)) | "
                + "\(bn(p.totalGEX - base.netGEX)) | \(level(p.zeroGamma)) | \(level(p.profile.zeroGammaNearestSpot)) | "
                + "\(p.profile.included) | \(p.profile.excludedExpired) | \(p.profile.flooredExpired) |\n"
        }
        return out
    }

    func timing() throws {
        func measure(_ label: String, _ body: () throws -> Void) rethrows {
            var times: [Double] = []
            for _ in 0..<repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            times.sort()
            print(String(format: "| %@ | %.2f | %.2f |", label, times[0], times[times.count / 2]))
        }
        print("\n## Timing (\(repeats) runs each, wall clock)\n")
        print("| step | best, ms | median, ms |\n|---|---:|---:|")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        var sink = 0
        try measure("read file + split CSV (CSVReader)") { sink &+= try CSVReader.records(path: file).count }
        try measure("parse and validate rows (CBOEQuoteData from bytes)") {
            sink &+= try CBOEQuoteData(data: data, source: file).count
        }
        try measure("import end to end: read, validate, settle, exclude, build chain (CBOESnapshot.load)") {
            sink &+= try CBOESnapshot.load(path: file).chain.count
        }
        let quotes = try CBOEQuoteData(path: file)
        measure("GammaFlow defaults: net GEX + 60-level profile + both zero gammas") {
            sink &+= quotes.gammaExposure(.gammaFlow).included
        }
        measure("Perfiliev's method (vendor total + model profile, 60 levels)") {
            sink &+= PerfilievMethod.evaluate(quotes).profile.included
        }
        try measure("read + import + Perfiliev's method (what perfiliev_gex.py times)") {
            sink &+= PerfilievMethod.evaluate(try CBOEQuoteData(path: file)).profile.included
        }
        if sink == 42 { print("") }
    }
}

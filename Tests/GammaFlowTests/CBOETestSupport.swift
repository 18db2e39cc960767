import Foundation
import Testing

@testable import GammaFlow

/// The CBOE sample files, read from `../shared/data/cboe/` next to the
/// package (never copied into the repository).
enum CBOESamples {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/cboe")
    static let spx = directory.appendingPathComponent("spx_quotedata_2024-01-05.csv").path
    static let ndx = directory.appendingPathComponent("ndx_quotedata_2022-02-04.csv").path
    static let spxAvailable = FileManager.default.isReadableFile(atPath: spx)
    static let ndxAvailable = FileManager.default.isReadableFile(atPath: ndx)
    static let missing: Comment = "CBOE sample missing from ../shared/data/cboe/; skipped"

    /// The reference written by `Benchmarks/python/perfiliev_gex.py --json`.
    static let perfilievReference = packageRoot.appendingPathComponent(
        "Benchmarks/python/perfiliev_reference_spx_2024-01-05.json"
    ).path

    /// A UTC instant from an ISO-8601 text.
    static func utc(_ text: String) -> Date {
        guard let d = ISO8601Timestamp.date(from: text) else { preconditionFailure("bad test instant \(text)") }
        return d
    }

    /// The raw 22-field data rows of a quotedata file, split naively on
    /// commas (the samples hold no quoted commas in their data rows): an
    /// independent reading to check the importer against.
    static func rawRows(_ path: String) throws -> [[Substring]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst(3).map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        .filter { $0.count >= 22 }
    }
}

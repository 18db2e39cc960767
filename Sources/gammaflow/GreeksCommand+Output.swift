import Foundation
import GammaFlow

/// Machine-readable output of `gammaflow greeks`: CSV (with notes for
/// stderr) and JSON. Both are built in one String buffer and written once.
extension GreeksReport {
    /// Header plus one row per option, numbers in shortest round-trip form.
    func csvText() -> String {
        var out = Self.columns.map(\.name).joined(separator: ",") + "\n"
        out.reserveCapacity(chain.count * 260 + out.utf8.count)
        let values = greekColumns
        var expiryCache = ExpiryText()
        for i in 0..<chain.count {
            appendCSVField(&out, chain.symbols[i])
            out.append(",")
            out.append(expiryCache.text(chain.expiries[i]))
            out.append(",")
            appendNumber(&out, chain.strikes[i], json: false)
            out.append(chain.kinds[i] == .call ? ",C," : ",P,")
            appendNumber(&out, chain.impliedVols[i], json: false)
            out.append(",")
            appendNumber(&out, chain.yearsToExpiry[i], json: false)
            for column in values {
                out.append(",")
                appendNumber(&out, column[i], json: false)
            }
            out.append("\n")
        }
        return out
    }

    /// The assumptions and counts that accompany CSV output (for stderr).
    func notesText() -> String {
        var lines = loaded.importLines
        lines += [
            "gammaflow greeks: \(chain.count) options from \(source); \(skipped.count) rows skipped; "
                + "\(expiredCount) expired (expiry at or before as-of; valued at intrinsic)"
        ]
        if let note = zeroTimeNote { lines.append(note) }
        if !ignoredColumns.isEmpty { lines.append("ignored columns: " + ignoredColumns.joined(separator: ", ")) }
        for error in skipped.errors.prefix(20) { lines.append("skipped: \(error)") }
        if skipped.count > 20 { lines.append("skipped: ... and \(skipped.count - 20) more") }
        lines.append("assumptions: " + market.assumptions.map { "\($0.0) \($0.1)" }.joined(separator: "; "))
        lines.append("units: " + Self.columns.dropFirst(2).map { "\($0.name) \($0.unit)" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    /// One JSON object: `assumptions`, `import` (a CBOE file's import
    /// report, or null), `units`, `counts`, `skipped`,
    /// `ignored_columns` and the `options` array (one object per option).
    func jsonText() -> String {
        var out = "{\n  \"command\": \"gammaflow greeks\",\n  \"source\": "
        out.reserveCapacity(chain.count * 330 + 4096)
        appendJSONString(&out, source)
        out.append(",\n  \"assumptions\": {\n")
        let fields: [(String, String)] = [
            ("spot", json(market.spot)),
            ("spot_source", quoted(market.spotSource.rawValue)),
            ("rate", json(market.rate)),
            ("dividend_yield", json(market.divYield)),
            ("as_of", quoted(ISO8601Timestamp.string(from: market.valuationTime))),
            ("as_of_is_now", market.valuationIsNow ? "true" : "false"),
            ("as_of_source", quoted(market.asOfSource.rawValue)),
            ("time_basis", quoted(market.timeBasisName)),
            ("time_basis_description", quoted(market.timeBasis.description)),
            ("rate_convention", quoted("continuously compounded, per year")),
            ("dividend_yield_convention", quoted("continuous, per year")),
            ("model", quoted("Black-Scholes-Merton, European exercise, per unit of underlying")),
        ]
        out.append(fields.map { "    \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n"))
        out.append("\n  },\n  \"import\": ")
        out.append(loaded.importJSON.rendered(indent: 1))
        out.append(",\n  \"units\": {\n")
        out.append(Self.columns.map { "    \(quoted($0.name)): \(quoted($0.unit))" }.joined(separator: ",\n"))
        out.append("\n  },\n  \"counts\": {")
        out.append("\"options\": \(chain.count), \"skipped\": \(skipped.count), \"expired\": \(expiredCount), ")
        out.append("\"zero_time_live\": \(zeroTimeLiveCount)},\n")
        out.append("  \"skipped\": [")
        out.append(
            skipped.errors.map { e in
                "\n    {\"line\": \(e.line.map(String.init) ?? "null"), \"field\": "
                    + (e.field.map(quoted) ?? "null") + ", \"message\": \(quoted(e.description))}"
            }.joined(separator: ","))
        out.append(skipped.errors.isEmpty ? "],\n" : "\n  ],\n")
        out.append("  \"ignored_columns\": [" + ignoredColumns.map(quoted).joined(separator: ", ") + "],\n")
        out.append("  \"options\": [")
        let names = Self.columns.dropFirst(6).map { ", " + quoted($0.name) + ": " }
        let values = greekColumns
        var expiryCache = ExpiryText()
        for i in 0..<chain.count {
            out.append(i == 0 ? "\n    {\"symbol\": " : ",\n    {\"symbol\": ")
            appendJSONString(&out, chain.symbols[i])
            out.append(", \"expiry\": \"")
            out.append(expiryCache.text(chain.expiries[i]))
            out.append("\", \"strike\": ")
            appendNumber(&out, chain.strikes[i], json: true)
            out.append(chain.kinds[i] == .call ? ", \"type\": \"C\", \"iv\": " : ", \"type\": \"P\", \"iv\": ")
            appendNumber(&out, chain.impliedVols[i], json: true)
            out.append(", \"t\": ")
            appendNumber(&out, chain.yearsToExpiry[i], json: true)
            for (name, column) in zip(names, values) {
                out.append(name)
                appendNumber(&out, column[i], json: true)
            }
            out.append("}")
        }
        out.append(chain.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        return out
    }

    private func json(_ x: Double) -> String {
        var s = ""
        appendNumber(&s, x, json: true)
        return s
    }

    private func quoted(_ text: String) -> String {
        var s = ""
        appendJSONString(&s, text)
        return s
    }
}

/// Formats expiries, reusing the last result (chains are usually grouped by expiry).
struct ExpiryText {
    private var last: Date?
    private var lastText = ""

    mutating func text(_ date: Date) -> String {
        if date != last {
            last = date
            lastText = ISO8601Timestamp.string(from: date)
        }
        return lastText
    }
}

/// Appends `x` in Swift's shortest round-trip form (`0.1`, `1e-05`, `5000.0`).
/// Non-finite values (which validated inputs never produce) become `null` in
/// JSON and `nan`/`inf`/`-inf` in CSV.
func appendNumber(_ out: inout String, _ x: Double, json: Bool) {
    if x.isFinite {
        x.write(to: &out)
    } else {
        out.append(json ? "null" : x.isNaN ? "nan" : x > 0 ? "inf" : "-inf")
    }
}

/// Appends `text` as a CSV field, quoted when it holds a comma, quote or line break.
func appendCSVField(_ out: inout String, _ text: String) {
    let special = text.utf8.contains {
        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
    }
    if special {
        out.append("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
    } else {
        out.append(text)
    }
}

/// Appends `text` as a JSON string literal.
func appendJSONString(_ out: inout String, _ text: String) {
    out.append("\"")
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out.append("\\\"")
        case "\\": out.append("\\\\")
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        case let c where c.value < 0x20:
            let hex = String(c.value, radix: 16)
            out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default: out.unicodeScalars.append(scalar)
        }
    }
    out.append("\"")
}

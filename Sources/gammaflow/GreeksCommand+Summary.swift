import Foundation
import GammaFlow

/// The `--summary` report of `gammaflow greeks`: a page a newcomer can read.
/// It shows the assumptions, one line per expiry, the options nearest the
/// money in the first live expiry, and open-interest totals.
extension GreeksReport {
    func summaryText() -> String {
        var lines: [String] = []
        let expiries = expiryGroups()
        let live = expiries.filter { $0.years > 0 }
        lines.append("gammaflow greeks: \(grouped(chain.count)) options from \(source)")
        var counts = "  \(skipped.count) rows skipped, \(expiredCount) expired (valued at intrinsic), "
        counts += "\(expiries.count) expiries"
        if let first = expiries.first, let last = expiries.last {
            counts += " from \(minuteText(first.date)) to \(minuteText(last.date)) UTC"
        }
        lines.append(counts)
        if !ignoredColumns.isEmpty { lines.append("  ignored columns: " + ignoredColumns.joined(separator: ", ")) }
        if let note = zeroTimeNote { lines.append("  " + note) }
        for error in skipped.errors.prefix(5) { lines.append("  skipped: \(error)") }
        if skipped.count > 5 { lines.append("  skipped: ... and \(skipped.count - 5) more") }

        lines.append("")
        lines.append("Assumptions")
        for (name, value) in market.assumptions { lines.append("  " + pad(name, 15) + value) }

        lines.append("")
        lines.append("Expiries (OI = open interest in contracts; gamma of OI = sum of gamma x OI x multiplier,")
        lines.append("the delta change per index point of every open contract held long)")
        lines.append(
            "  " + pad("expiry (UTC)", 18) + lpad("days", 9) + lpad("options", 9) + lpad("call OI", 11)
                + lpad("put OI", 11) + lpad("ATM iv", 8) + lpad("gamma of OI", 13))
        for g in expiries {
            let gamma = g.indices.reduce(0.0) {
                $0 + greeks.gamma[$1] * chain.openInterest[$1] * chain.multipliers[$1]
            }
            let callOI = g.indices.reduce(0.0) { $0 + (chain.kinds[$1] == .call ? chain.openInterest[$1] : 0) }
            let putOI = g.indices.reduce(0.0) { $0 + (chain.kinds[$1] == .put ? chain.openInterest[$1] : 0) }
            let atm = g.indices.min { abs(chain.strikes[$0] - market.spot) < abs(chain.strikes[$1] - market.spot) }
            lines.append(
                "  " + pad(minuteText(g.date), 18) + lpad(fixed(g.days, 2), 9) + lpad(grouped(g.indices.count), 9)
                    + lpad(grouped(Int(callOI)), 11) + lpad(grouped(Int(putOI)), 11)
                    + lpad(atm.map { fixed(chain.impliedVols[$0] * 100, 1) + "%" } ?? "-", 8)
                    + lpad(fixed(gamma, 1), 13))
        }

        if let front = live.first {
            lines.append("")
            lines.append(
                "Near the money in the first live expiry, \(minuteText(front.date)) UTC "
                    + "(t = \(significant(front.years)) years), per unit of underlying")
            lines.append(
                "  " + pad("symbol", 22) + lpad("strike", 9) + lpad("type", 5) + lpad("iv", 8) + lpad("price", 10)
                    + lpad("delta", 8) + lpad("gamma", 10) + lpad("vega/pt", 9) + lpad("theta/day", 10))
            for i in nearTheMoney(front.indices, strikes: 3) {
                lines.append(
                    "  " + pad(chain.symbols[i], 22) + lpad(fixed(chain.strikes[i], 1), 9)
                        + lpad(chain.kinds[i].description, 5) + lpad(fixed(chain.impliedVols[i] * 100, 2) + "%", 8)
                        + lpad(fixed(greeks.price[i], 2), 10) + lpad(fixed(greeks.delta[i], 4), 8)
                        + lpad(fixed(greeks.gamma[i], 6), 10) + lpad(fixed(greeks.vega[i] / 100, 3), 9)
                        + lpad(fixed(greeks.theta[i] / 365, 3), 10))
            }
            lines.append("  vega/pt = vega / 100 (per vol point); theta/day = theta / 365 (per calendar day)")
        }

        var delta = 0.0
        var gamma = 0.0
        var vega = 0.0
        for i in 0..<chain.count {
            let scale = chain.openInterest[i] * chain.multipliers[i]
            delta += greeks.delta[i] * scale
            gamma += greeks.gamma[i] * scale
            vega += greeks.vega[i] * scale
        }
        lines.append("")
        lines.append(
            "Totals if every open contract were held long (greek x OI x multiplier; no dealer sign convention)")
        lines.append(
            "  delta  " + lpad(grouped(Int(delta.rounded())), 16) + "  units of underlying (calls add, puts subtract)")
        lines.append("  gamma  " + lpad(grouped(Int(gamma.rounded())), 16) + "  units of underlying per index point")
        lines.append(
            "  vega   " + lpad(grouped(Int((vega / 100).rounded())), 16)
                + "  index points x units per vol point ($ for SPX)")
        lines.append("")
        lines.append("Every option at full precision, raw units: --format csv or --format json.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Options grouped by expiry, in order of expiry.
    private func expiryGroups() -> [(date: Date, years: Double, days: Double, indices: [Int])] {
        var byDate: [Date: [Int]] = [:]
        for i in 0..<chain.count { byDate[chain.expiries[i], default: []].append(i) }
        return byDate.keys.sorted().map { date in
            let indices = byDate[date]!
            return (
                date, chain.yearsToExpiry[indices[0]], date.timeIntervalSince(chain.valuationTime) / 86_400, indices
            )
        }
    }

    /// The calls and puts at the `strikes` distinct strikes nearest spot on
    /// each side, by strike then call before put.
    private func nearTheMoney(_ indices: [Int], strikes per: Int) -> [Int] {
        let distinct = Set(indices.map { chain.strikes[$0] }).sorted()
        let below = distinct.filter { $0 <= market.spot }.suffix(per)
        let above = distinct.filter { $0 > market.spot }.prefix(per)
        let keep = Set(below).union(above)
        return indices.filter { keep.contains(chain.strikes[$0]) }.sorted {
            (chain.strikes[$0], chain.kinds[$0].rawValue) < (chain.strikes[$1], chain.kinds[$1].rawValue)
        }
    }
}

/// `2026-01-05 21:00`: an instant to the minute, UTC.
private func minuteText(_ date: Date) -> String {
    let s = ISO8601Timestamp.string(from: date)
    return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(5))
}

private func fixed(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }

private func significant(_ x: Double) -> String { String(format: "%.4g", x) }

/// `3,376`.
private func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

private func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}

import Foundation

/// A two-panel SVG chart of a dealer book: GEX by strike (call and put bars)
/// with spot, the walls and zero gamma marked, and the GEX profile against
/// spot with its zero crossings. Both panels share the x axis (index points).
public struct DealerChart: Sendable {
    /// The title line (underlying, as-of).
    public var title: String
    /// The conventions line under the title.
    public var subtitle: String
    /// The levels to mark.
    public var levels: DealerLevels
    /// The per-strike exposures for the bars.
    public var exposures: DealerExposures
    /// The profile curve; its spot range sets the x axis.
    public var profile: ExposureProfile

    /// Creates a chart.
    public init(
        title: String, subtitle: String, levels: DealerLevels, exposures: DealerExposures, profile: ExposureProfile
    ) {
        self.title = title
        self.subtitle = subtitle
        self.levels = levels
        self.exposures = exposures
        self.profile = profile
    }

    private static let width = 1000.0
    private static let left = 90.0
    private static let right = 970.0

    /// The SVG document.
    public func svg() -> String {
        let w = Self.width
        let h = 790.0
        let lo = profile.spots.first ?? levels.spot * 0.9
        let hi = profile.spots.last ?? levels.spot * 1.1
        func x(_ v: Double) -> Double { Self.left + (v - lo) / (hi - lo) * (Self.right - Self.left) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(w))" height="\(f(h))" viewBox="0 0 \(f(w)) \(f(h))" font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(w / 2))" y="28" text-anchor="middle" font-size="18" font-weight="bold">\(esc(title))</text>
            <text x="\(f(w / 2))" y="48" text-anchor="middle" font-size="12" fill="#444">\(esc(subtitle))</text>

            """

        // Panel 1: GEX by strike.
        let strikes = exposures.perStrike.filter { $0.strike >= lo && $0.strike <= hi }
        let barValues = strikes.flatMap { [$0.calls.gex, $0.puts.gex] }
        let (top1, bottom1) = (90.0, 380.0)
        let scale1 = Self.unitScale(barValues.map(abs).max() ?? 1)
        let (yMin1, yMax1) = Self.range(barValues.map { $0 / scale1.divisor })
        func y1(_ v: Double) -> Double { bottom1 - (v / scale1.divisor - yMin1) / (yMax1 - yMin1) * (bottom1 - top1) }
        s += axes(
            top: top1, bottom: bottom1, lo: lo, hi: hi, yMin: yMin1, yMax: yMax1,
            yLabel: "GEX, \(scale1.label) per 1% move", xLabel: nil, x: x)
        s +=
            "<text x=\"\(f(Self.left))\" y=\"\(f(top1 - 10))\" font-size=\"14\" font-weight=\"bold\">Dealer GEX by strike (summed over expiries)</text>\n"
        let spacing =
            strikes.count > 1
            ? (x(strikes[strikes.count - 1].strike) - x(strikes[0].strike)) / Double(strikes.count - 1) : 8
        let bw = max(1, min(12, spacing * 0.8))
        for k in strikes {
            for (v, color) in [(k.calls.gex, "#1a9850"), (k.puts.gex, "#d73027")] where v != 0 {
                let (a, b) = (y1(0), y1(v))
                s +=
                    "<rect x=\"\(f(x(k.strike) - bw / 2))\" y=\"\(f(min(a, b)))\" width=\"\(f(bw))\" height=\"\(f(max(abs(a - b), 0.5)))\" fill=\"\(color)\" fill-opacity=\"0.75\"/>\n"
            }
        }
        s +=
            "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.right))\" y1=\"\(f(y1(0)))\" y2=\"\(f(y1(0)))\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        s += legend(
            x: Self.right - 190, y: top1 + 8,
            items: [("#1a9850", "call GEX", false), ("#d73027", "put GEX", false)])

        // Panel 2: the profile.
        let (top2, bottom2) = (470.0, 700.0)
        let scale2 = Self.unitScale(profile.gex.map(abs).max() ?? 1)
        let (yMin2, yMax2) = Self.range(profile.gex.map { $0 / scale2.divisor })
        func y2(_ v: Double) -> Double { bottom2 - (v / scale2.divisor - yMin2) / (yMax2 - yMin2) * (bottom2 - top2) }
        s += axes(
            top: top2, bottom: bottom2, lo: lo, hi: hi, yMin: yMin2, yMax: yMax2,
            yLabel: "GEX, \(scale2.label) per 1% move", xLabel: "spot / strike (index points)", x: x)
        s +=
            "<text x=\"\(f(Self.left))\" y=\"\(f(top2 - 10))\" font-size=\"14\" font-weight=\"bold\">Dealer GEX profile against spot (vols sticky by strike)</text>\n"
        if yMin2 < 0 && yMax2 > 0 {
            s +=
                "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.right))\" y1=\"\(f(y2(0)))\" y2=\"\(f(y2(0)))\" stroke=\"#333\" stroke-width=\"1\"/>\n"
        }
        let path = zip(profile.spots, profile.gex).enumerated().map { i, p in
            "\(i == 0 ? "M" : "L")\(f(x(p.0))),\(f(y2(p.1)))"
        }.joined(separator: " ")
        s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#2166ac\" stroke-width=\"2\"/>\n"
        for c in profile.gexZeroCrossings() {
            s +=
                "<circle cx=\"\(f(x(c)))\" cy=\"\(f(y2(0)))\" r=\"4.5\" fill=\"white\" stroke=\"#762a83\" stroke-width=\"2\"/>\n"
        }

        // Markers on both panels.
        var markers: [(Double, String, String, String)] = [(levels.spot, "#000000", "spot \(f(levels.spot, 2))", "6,4")]
        if let z = levels.zeroGamma { markers.append((z, "#762a83", "zero gamma \(f(z, 2))", "2,3")) }
        if let c = levels.callWall { markers.append((c, "#1a9850", "call wall \(f(c, 0))", "")) }
        if let p = levels.putWall { markers.append((p, "#d73027", "put wall \(f(p, 0))", "")) }
        let visible = markers.filter { $0.0 >= lo && $0.0 <= hi }
        for m in visible.reversed() {  // spot drawn last, on top
            for (t, b) in [(top1, bottom1), (top2, bottom2)] {
                s +=
                    "<line x1=\"\(f(x(m.0)))\" x2=\"\(f(x(m.0)))\" y1=\"\(f(t))\" y2=\"\(f(b))\" stroke=\"\(m.1)\" stroke-width=\"1.5\" stroke-dasharray=\"\(m.3)\"/>\n"
            }
        }
        // Marker key, top left of the bar panel.
        let keyX = Self.left + 8
        s +=
            "<rect x=\"\(f(keyX))\" y=\"\(f(top1 + 6))\" width=\"170\" height=\"\(f(Double(markers.count + (levels.zeroGamma == nil ? 1 : 0)) * 16 + 6))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
        for (i, m) in markers.enumerated() {
            let yy = top1 + 18 + Double(i) * 16
            s +=
                "<line x1=\"\(f(keyX + 6))\" x2=\"\(f(keyX + 30))\" y1=\"\(f(yy - 4))\" y2=\"\(f(yy - 4))\" stroke=\"\(m.1)\" stroke-width=\"2\" stroke-dasharray=\"\(m.3)\"/>\n"
            s += "<text x=\"\(f(keyX + 36))\" y=\"\(f(yy))\" font-size=\"11\" fill=\"\(m.1)\">\(esc(m.2))</text>\n"
        }
        if levels.zeroGamma == nil {
            s +=
                "<text x=\"\(f(keyX + 6))\" y=\"\(f(top1 + 18 + Double(markers.count) * 16))\" font-size=\"11\" fill=\"#762a83\">no zero gamma within ±20%</text>\n"
        }
        let regime =
            "regime: \(levels.regime.rawValue) gamma · net GEX \(Self.money(levels.total.gex)) per 1% · 0DTE share \(f(100 * levels.zeroDTEGammaShare, 1))%"
        s +=
            "<text x=\"\(f(w / 2))\" y=\"\(f(h - 14))\" font-size=\"12\" fill=\"#444\" text-anchor=\"middle\">\(esc(regime))</text>\n"
        s += "</svg>\n"
        return s
    }

    private func axes(
        top: Double, bottom: Double, lo: Double, hi: Double, yMin: Double, yMax: Double, yLabel: String,
        xLabel: String?, x: (Double) -> Double
    ) -> String {
        var s =
            "<rect x=\"\(f(Self.left))\" y=\"\(f(top))\" width=\"\(f(Self.right - Self.left))\" height=\"\(f(bottom - top))\" fill=\"none\" stroke=\"#999\"/>\n"
        for t in Self.ticks(yMin, yMax) {
            let y = bottom - (t - yMin) / (yMax - yMin) * (bottom - top)
            s +=
                "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>\n"
            s +=
                "<text x=\"\(f(Self.left - 6))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\">\(Self.tickLabel(t))</text>\n"
        }
        for t in Self.ticks(lo, hi) {
            s +=
                "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom + 5))\" stroke=\"#666\"/>\n"
            s +=
                "<text x=\"\(f(x(t)))\" y=\"\(f(bottom + 18))\" font-size=\"11\" text-anchor=\"middle\">\(Self.tickLabel(t))</text>\n"
        }
        let mid = (top + bottom) / 2
        s +=
            "<text x=\"22\" y=\"\(f(mid))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 22 \(f(mid)))\">\(esc(yLabel))</text>\n"
        if let xLabel {
            s +=
                "<text x=\"\(f((Self.left + Self.right) / 2))\" y=\"\(f(bottom + 38))\" font-size=\"12\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        }
        return s
    }

    private func legend(x: Double, y: Double, items: [(String, String, Bool)]) -> String {
        var s = ""
        for (i, item) in items.enumerated() {
            let yy = y + Double(i) * 16
            s +=
                "<rect x=\"\(f(x + 100))\" y=\"\(f(yy))\" width=\"12\" height=\"10\" fill=\"\(item.0)\" fill-opacity=\"0.75\"/>\n"
            s += "<text x=\"\(f(x + 118))\" y=\"\(f(yy + 9))\" font-size=\"11\">\(esc(item.1))</text>\n"
        }
        return s
    }

    /// The scale ($bn, $M, $k) for values up to `maxAbs`.
    static func unitScale(_ maxAbs: Double) -> (divisor: Double, label: String) {
        if maxAbs >= 1e9 { return (1e9, "$bn") }
        if maxAbs >= 1e6 { return (1e6, "$M") }
        if maxAbs >= 1e3 { return (1e3, "$k") }
        return (1, "$")
    }

    /// A y range that includes 0 and every value, with 5% headroom.
    static func range(_ v: [Double]) -> (Double, Double) {
        var lo = min(v.min() ?? 0, 0)
        var hi = max(v.max() ?? 1, 0)
        if hi - lo == 0 { (lo, hi) = (-1, 1) }
        let pad = 0.05 * (hi - lo)
        return (lo - (lo < 0 ? pad : 0), hi + (hi > 0 ? pad : 0))
    }

    /// Round ticks (1, 2, 2.5, 5 x 10^k) inside `[lo, hi]`, about six of them.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let raw = (hi - lo) / 6
        guard raw > 0, raw.isFinite else { return [] }
        let p = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
        var t = Foundation.ceil(lo / step) * step
        var out: [Double] = []
        while t <= hi + 1e-9 * step {
            out.append(abs(t) < 1e-12 * step ? 0 : t)
            t += step
        }
        return out
    }

    static func tickLabel(_ t: Double) -> String {
        t == t.rounded() ? String(Int64(t)) : String(format: "%g", t)
    }

    static func money(_ x: Double) -> String {
        let (d, l) = unitScale(abs(x))
        return (x < 0 ? "-$" : "$") + String(format: "%.2f", abs(x) / d) + l.dropFirst()
    }
}

private func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

private func esc(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
}
